"""MONEY recognizer: amounts of money with currency (ISO 4217), kind and qualifier (SPEC 3).

Rules are data: `extractor/data/money.yaml` (kind keywords, exclusions, name filters) and
`extractor/data/currencies.yaml` (currency words, the article's local currency cues).
"""

from __future__ import annotations

import regex

from extractor.document import Doc, Span
from extractor.numerals import to_json_number
from extractor.patterns import alternation
from extractor.quantities import (
    SENTENCE_END,
    KeywordTable,
    Quantity,
    QuantityPattern,
    clause_start,
    overlaps_any,
    veto_spans,
)
from extractor.tables import load_table

_CUR = load_table("currencies")
_RULES = load_table("money")

#: currency word -> ISO code (ambiguous words such as 块 left out)
CURRENCY_WORDS: dict[str, str] = {
    w: code for code, words in _CUR["codes"].items() for w in words if w not in set(_CUR["ambiguous"])
}
LOCAL_UNITS: frozenset[str] = frozenset(_RULES["local_unit"])
_SUFFIXES = [*CURRENCY_WORDS, *LOCAL_UNITS, *(u + w for u in LOCAL_UNITS for w in CURRENCY_WORDS)]
PATTERN = QuantityPattern(_SUFFIXES, prefixes=CURRENCY_WORDS, unit_optional=True)

KINDS = KeywordTable(_RULES["kinds"])
KIND_AFTER = KeywordTable(_RULES["kind_after"])
EXCLUDE_AFTER = KeywordTable(_RULES["exclude_after"])
OVERRIDES = [(o["kind"], regex.compile(o["sentence"]), o["becomes"]) for o in _RULES["kind_overrides"]]
BARE_NOT_BEFORE = frozenset(_RULES["bare_not_before"])
THRESHOLD_UNLESS = regex.compile(_RULES["threshold_unless_before"])
EXCLUDE_BEFORE = regex.compile(_RULES["exclude_before"])
PRICE_CLAUSE = regex.compile(_RULES["price_clause"])
LIST_JOINER = regex.compile(_RULES["list_joiner"])
PRICE_SCALE = regex.compile(_RULES["price_clause_scale"])
_SMALL_CN = regex.compile(r"[^\d万萬亿億兆]+")
_LOCAL = _CUR["local_currency"]
_LOCAL_CUES = {code: cues for code, cues in _LOCAL["cues"].items()}
_CURRENCY_WORDS_LONGEST_FIRST = sorted(CURRENCY_WORDS, key=len, reverse=True)
_CUE_RE = regex.compile(alternation(w for cues in _LOCAL_CUES.values() for w in cues))


def local_currency(doc: Doc) -> str:
    """The currency of 元 alone in this article (decided once, kept in doc.meta)."""
    if "local_currency" not in doc.meta:
        text = doc.text + " " + (doc.article.title or "") + " " + (doc.article.source or "")
        found = set(_CUE_RE.findall(text))
        scores = {code: sum(w for cue, w in cues.items() if cue in found) for code, cues in _LOCAL_CUES.items()}
        best = max(scores, key=lambda c: scores[c])
        doc.meta["local_currency"] = best if scores[best] >= _LOCAL["threshold"] else _LOCAL["default"]
    return doc.meta["local_currency"]


def _currency(q: Quantity, doc: Doc) -> str:
    """The currency written with the amount, else the article's local currency (decided only then)."""
    unit = q.unit
    for word in _CURRENCY_WORDS_LONGEST_FIRST:
        if unit.endswith(word) or unit == word:
            return CURRENCY_WORDS[word]
    if q.prefix:
        return CURRENCY_WORDS[q.prefix]
    return local_currency(doc)


def _nearest_kind(text: str, lo: int, hi: int) -> tuple[str, int, int] | None:
    """The governing kind keyword in [lo, hi), skipping a gloss in parentheses: 产值(营业收入)."""
    hit = KINDS.nearest_before(text, lo, hi)
    if hit is not None and text[hit[2]:hit[2] + 1] in (")", "）"):
        opening = max(text.rfind("(", lo, hit[1]), text.rfind("（", lo, hit[1]))
        if opening >= 0:
            return KINDS.nearest_before(text, lo, opening) or hit
    return hit


def _kind(text: str, q: Quantity) -> tuple[str | None, bool]:
    """(kind, whether its keyword is in the amount's own clause) or (None, False)."""
    lo = clause_start(text, q.start)
    hit = _nearest_kind(text, lo, q.start)
    same_clause = hit is not None
    if hit is None:
        lo2 = clause_start(text, q.start, _RULES["sentence_window"], SENTENCE_END)
        hit = _nearest_kind(text, lo2, lo)
    if hit is None:
        return None, False
    kind = hit[0]
    sentence_start = clause_start(text, q.start, 80, SENTENCE_END)
    for when, pattern, becomes in OVERRIDES:  # the override must reach the keyword itself
        if kind == when and any(m.end() > hit[1] for m in pattern.finditer(text, sentence_start, hit[2])):
            kind = becomes
    if same_clause and q.start - hit[2] > _RULES["bare_window"]:
        same_clause = False
    return kind, same_clause


def recognize(doc: Doc) -> None:
    """Add a MONEY span for every amount of money in the working text."""
    text = doc.text
    names = veto_spans(text, tuple(_RULES["names"]))
    previous: Span | None = None
    for q in PATTERN.finditer(text):
        if names and overlaps_any(q.num_start, q.end, names):
            continue
        after = EXCLUDE_AFTER.first_after(text, q.end, min(len(text), q.end + 16))
        if after and after[1] == q.end:
            if after[0] in ("class", "price"):
                continue
            if after[0] == "price_if_unscaled":
                if not PRICE_SCALE.search(text, q.num_start, q.end):
                    continue
            elif q.qualifier != "exact" and not THRESHOLD_UNLESS.search(text, max(0, q.start - 8), q.start):
                continue
        if EXCLUDE_BEFORE.search(text, max(0, q.start - 12), q.start):
            continue
        kind, governed = _kind(text, q)
        if q.bare and previous is not None and LIST_JOINER.fullmatch(text, previous.end, q.start):
            kind, governed = previous.kind, True  # 营收分别为12.54亿、17.75亿和25.01亿
        if not governed and _SMALL_CN.fullmatch(text[q.num_start:q.end].removesuffix(q.unit).strip()):
            continue
        if q.bare and not q.prefix and (not governed or text[q.end:q.end + 1] in BARE_NOT_BEFORE):
            continue
        if not q.bare and not PRICE_SCALE.search(text, q.num_start, q.end) and PRICE_CLAUSE.search(
                text, clause_start(text, q.start, 40, SENTENCE_END), q.start):
            continue  # a price: 收盘价为36.36元
        if kind is None:
            after_kind = KIND_AFTER.first_after(text, q.end, min(len(text), q.end + 20))
            kind = after_kind[0] if after_kind else "other"
        rule = "money.bare" if q.bare else ("money.range" if q.value_max is not None else "money.amount")
        previous = Span(
            label="MONEY", start=q.start, end=q.end, value=to_json_number(q.value),
            value_max=None if q.value_max is None else to_json_number(q.value_max),
            unit=_currency(q, doc), qualifier=q.qualifier, kind=kind, rule=rule)
        doc.spans.append(previous)
