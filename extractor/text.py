"""The working text: a normalised copy of an article's text with an exact map back to it.

Normalisation, in order, each step keeping the map `index[i]` = original offset of `text[i]`:

1. NFKC per character (`１２.５亿元` -> `12.5亿元`, `，` -> `,`), one `str.translate` pass;
   the rare characters NFKC expands (`㎾` -> `kW`) map every output character to their source.
2. Traditional -> Simplified with OpenCC t2s over the whole text (phrase-aware); if a phrase
   conversion changed the length, a per-character 1:1 table is used instead.
3. Lines broken inside a sentence are joined (the line break is dropped), see `line_breaks_to_join`.
4. Sentence spans, cut after 。！？； (and closing quotes) and at line breaks.

Recognizers see `WorkingText.text`; every span they return is mapped back with
`WorkingText.to_original(start, end)` so that output offsets point into the original text.
"""

from __future__ import annotations

import unicodedata
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

import regex

from extractor.tables import load_table


@dataclass(frozen=True, slots=True)
class WorkingText:
    """`text` is the normalised text; `index[i]` is the original index of `text[i]` (monotone)."""

    original: str
    text: str
    index: Sequence[int]
    sentences: tuple[tuple[int, int], ...] = field(default=())

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a working-text span [start, end) to the original text."""
        if start >= end:
            raise ValueError(f"empty span [{start}, {end})")
        return self.index[start], self.index[end - 1] + 1

    def original_slice(self, start: int, end: int) -> str:
        s, e = self.to_original(start, end)
        return self.original[s:e]

    def furniture(self) -> list[tuple[int, int, str]]:
        """Lines that are page furniture, not story sentences: `(start, end, kind)` in working
        offsets, kind "byline" (□王达 某某日报记者 赵宇清) or "caption" (…全景。 李福摄)."""
        from extractor.layout import furniture

        return [(s, e, str(kind)) for s, e, kind in furniture(self.text)]

    def to_working(self, pos: int) -> int:
        """The working offset of the first character at or after original offset `pos`."""
        return bisect_left(self.index, pos)


# --- character tables ------------------------------------------------------------------------

_CJK_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00), (0x20000, 0x2FA20))


#: code points below this are normalised (the BMP and the supplementary planes in use)
_NFKC_PLANES = 0x30000


@cache
def _nfkc_table() -> dict[int, str]:
    """NFKC of every character it changes (BMP and the supplementary planes in use)."""
    keep = set(load_table("layout")["normalise"]["keep_chars"])
    table: dict[int, str] = {}
    for cp in range(_NFKC_PLANES):
        ch = chr(cp)
        norm = unicodedata.normalize("NFKC", ch)
        if norm != ch and norm and ch not in keep:
            table[cp] = norm
    return table


@cache
def _nfkc_translation() -> list[int | str]:
    """`_nfkc_table` as a list indexed by code point (identity where NFKC changes nothing), for
    `str.translate`: a list lookup is about twice as fast as a missing dict key."""
    table: list[int | str] = list(range(_NFKC_PLANES))
    for cp, norm in _nfkc_table().items():
        table[cp] = norm
    return table


@cache
def _opencc():
    import opencc

    return opencc.OpenCC("t2s")


@cache
def _t2s_table() -> dict[int, str]:
    """Per-character t2s conversions that keep the length (the fallback of phrase conversion)."""
    chars = [chr(cp) for lo, hi in _CJK_RANGES for cp in range(lo, hi)]
    converted = _opencc().convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # never expected; convert one by one
        converted = [_opencc().convert(c) for c in chars]
    return {ord(c): s for c, s in zip(chars, converted, strict=True) if len(s) == 1 and s != c}


def _expansions(raw: str, table: dict[int, str]) -> list[tuple[int, int, str]]:
    """Edits replacing each character NFKC expands to several characters."""
    return [(i, i + 1, table[ord(ch)]) for i, ch in enumerate(raw)
            if len(table.get(ord(ch), ch)) > 1]


def _apply_edits(text: str, index: Sequence[int], edits: list[tuple[int, int, str]]
                 ) -> tuple[str, array]:
    """Replace `text[s:e]` by `rep` for each sorted, disjoint edit; the index follows.

    Inserted characters map to the original offset of the first replaced character.
    """
    parts: list[str] = []
    new_index = array("i")
    prev = 0
    for s, e, rep in edits:
        parts.append(text[prev:s])
        new_index.extend(index[prev:s])
        if rep:
            parts.append(rep)
            new_index.extend([index[s]] * len(rep))
        prev = e
    parts.append(text[prev:])
    new_index.extend(index[prev:])
    return "".join(parts), new_index


# --- line joins -------------------------------------------------------------------------------

_BREAK = regex.compile(r"[ \t\u3000\xa0]*(?:\r?\n[ \t\u3000\xa0]*)+")
_WORD = regex.compile(r"[\p{Han}\p{L}\p{N}]")
_HAN = regex.compile(r"\p{Han}")
_PROSE = regex.compile(r"[。,!?;、]")


@cache
def _join_rules() -> dict:
    rules = dict(load_table("layout")["line_joins"])
    for key in ("never_line_initial", "continues_line", "byline_markers"):
        rules[key] = frozenset(unicodedata.normalize("NFKC", rules[key]))
    rules["credit_end"] = regex.compile(rules["credit_end"])
    return rules


_NARROW = regex.compile(r"[\x00-\u2E7F]")


def display_width(s: str) -> float:
    """Width of a line: wide (CJK, from U+2E80) characters 1, half-width ones 0.5."""
    s = s.strip()
    narrow = len(_NARROW.findall(s))
    return (len(s) - narrow) + 0.5 * narrow


def _column_wrapped(text: str, singles: list[int]) -> bool:
    """Lines cut at a fixed column: most lines before single breaks have the same width."""
    if len(singles) < 3:
        return False
    widths = [display_width(text[text.rfind("\n", 0, s) + 1:s]) for s in singles]
    column = Counter(round(w) for w in widths).most_common(1)[0][0]
    rules = _join_rules()
    return column >= rules["min_wrapped_width"] and sum(abs(w - column) <= 1.5 for w in widths) >= 0.6 * len(widths)


def line_breaks_to_join(text: str) -> list[tuple[int, int]]:
    """The line breaks (with the spaces around them) that fall inside a sentence.

    Always joined: a line continued by a character that cannot start one (的 , 。) or ending
    in , 、. In hard-wrapped text (paragraphs separated by blank lines, at least as many
    blank-line breaks as single ones; or most lines cut at one column width), a single break
    between words (one side Han) is joined when the line before it is a full line: wide
    enough and not narrower than the next one (a headline or a paragraph's last line is
    short), it ends in no photo credit, and the next line is no
    byline and, unless the text is cut at a column, prose (has punctuation).
    """
    if "\n" not in text:
        return []
    rules = _join_rules()
    breaks = [(m.start(), m.end(), m.group().count("\n")) for m in _BREAK.finditer(text)
              if "\n" in m.group()]
    singles = [s for s, _, n in breaks if n == 1]
    column = _column_wrapped(text, singles)
    wrapped = column or (bool(singles) and len(breaks) - len(singles) >= len(singles))
    joins: list[tuple[int, int]] = []
    n = len(text)
    for s, e, lines in breaks:
        if s == 0 or e >= n:
            continue
        prev, nxt = text[s - 1], text[e]
        if nxt in rules["never_line_initial"] and _WORD.match(prev):
            joins.append((s, e))
            continue
        if lines > 1:
            continue
        if prev in rules["continues_line"] and _WORD.match(nxt):
            joins.append((s, e))
            continue
        if not (wrapped and _WORD.match(prev) and _WORD.match(nxt) and (_HAN.match(prev) or _HAN.match(nxt))):
            continue
        line_start = text.rfind("\n", 0, s) + 1
        line_end = text.find("\n", e)
        prev_line = text[line_start:s]
        next_line = text[e:n if line_end < 0 else line_end]
        if (next_line[0] in rules["byline_markers"] or not (column or _PROSE.search(next_line))
                or rules["credit_end"].search(prev_line)):
            continue
        width = display_width(prev_line)
        if width >= rules["min_wrapped_width"] and width + rules["width_slack"] >= display_width(next_line):
            joins.append((s, e))
    return joins


# --- sentences --------------------------------------------------------------------------------

_SENTENCE_END = regex.compile(r"[。！？；!?;\n]+[”’」』\"')）]*")
_SPACE = " \t\r\n\u3000\xa0"


def split_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Sentence spans of `text`, cut after 。！？； (with the closing quotes that follow) and at
    line breaks; surrounding whitespace is not part of a sentence."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        _add_sentence(text, start, m.end(), spans)
        start = m.end()
    _add_sentence(text, start, len(text), spans)
    return tuple(spans)


def _add_sentence(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    piece = text[start:end]
    stripped = piece.strip(_SPACE)
    if stripped:
        s = start + (len(piece) - len(piece.lstrip(_SPACE)))
        spans.append((s, s + len(stripped)))


def fold(s: str) -> str:
    """NFKC and Traditional -> Simplified only (no line joins, no map): for matching patterns."""
    text = s.translate(_nfkc_translation())
    simplified = _opencc().convert(text)
    return simplified if len(simplified) == len(text) else text.translate(_t2s_table())


# --- the whole normalisation --------------------------------------------------------------------

def normalise(original: str, region: tuple[int, int] | None = None) -> WorkingText:
    """The working text of `original` (or of `original[region[0]:region[1]]`, the index still
    pointing into the whole `original`). Results are cached: the same article read by the
    input stage (to split pages) and by the pipeline is normalised once."""
    return _normalise(original, None if region is None else (int(region[0]), int(region[1])))


@lru_cache(maxsize=8)
def _normalise(original: str, region: tuple[int, int] | None) -> WorkingText:
    lo, hi = region or (0, len(original))
    raw = original if (lo, hi) == (0, len(original)) else original[lo:hi]
    index: Sequence[int] = range(lo, hi)
    nfkc = _nfkc_translation()
    text = raw.translate(nfkc)
    if len(text) != len(raw):
        text, index = _apply_edits(raw, index, _expansions(raw, _nfkc_table()))
        text = text.translate(nfkc)  # the other characters (NFKC output is stable)
    simplified = _opencc().convert(text)
    if simplified != text:
        text = simplified if len(simplified) == len(text) else text.translate(_t2s_table())
    joins = line_breaks_to_join(text)
    if joins:
        text, index = _apply_edits(text, index, [(s, e, "") for s, e in joins])
    return WorkingText(original, text, index, split_sentences(text))
