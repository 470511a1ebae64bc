"""Shared machinery of the numeric recognizers (money, capacity, jobs).

`QuantityPattern` finds `qualifier? number (unit? sep number)? unit qualifier?` for a given set
of unit words, parses the numbers exactly (`numerals.parse_number`), and yields `Quantity`
objects; the label modules decide from the context whether and how to keep each one.
`KeywordTable` finds the keyword nearest before a position inside its clause (kind words).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import regex

from extractor.numerals import DECIMAL_POINTS, MAX_DIGITS, NUMBER, UNIT_GUARDS, is_vague, parse_number
from extractor.patterns import alternation
from extractor.tables import load_table

_QUAL = load_table("qualifiers")
QUALIFIERS_BEFORE: dict[str, str] = _QUAL["before"]
QUALIFIERS_MIDDLE: dict[str, str] = _QUAL["middle"]
QUALIFIERS_AFTER: dict[str, str] = _QUAL["after"]
#: a qualifier word starting with a key is none after one of the key's characters (签约, 最近)
_QUALIFIER_NOT_AFTER: dict[str, str] = _QUAL["before_not_after"]

#: characters that end a clause (a comma only when it is not inside a number)
CLAUSE_END = frozenset("，,、；;。！？!?\n：:")
#: clause ends without 、 (an enumeration: 年产40万吨A、60万吨B shares its rate word)
PHRASE_END = CLAUSE_END - {"、"}
SENTENCE_END = frozenset("。；;！？!?\n")
_SCALE_SUFFIX = regex.compile(r"[万萬亿億兆]+$")
_SCALE_CHARS = frozenset("万萬亿億兆")
_SCALES_ONLY = regex.compile(r"[十百千万亿萬億兆]+")


#: no number starts inside a digit run that the search has already read from its first digit: an
#: Arabic number read one digit earlier ends at the same place and continues the same way, so
#: the search skips the inside of every run (2023年 is tried once, not four times); only a run
#: longer than MAX_DIGITS may be read from inside. (With an optional unit every number matches
#: from its first digit and the search goes on after it anyway: no need there.)
_NOT_INSIDE_DIGITS = rf"(?!(?<=\d)\d{{1,{MAX_DIGITS - 1}}}(?!\d))"


#: sentence ends: no quantity contains one (nor looks at one), unless a word of its pattern does
SEARCH_BREAKS = "。！？；!?;"
#: regex constructs that may match any character (a break too)
_WILDCARD = regex.compile(r"\.|\[\^|\\[SDWPX]")


@dataclass(slots=True)
class Quantity:
    """One number (or range) with its unit as written, in working-text offsets."""

    start: int
    end: int
    num_start: int
    value: Decimal
    value_max: Decimal | None
    unit: str
    qualifier: str
    #: the number ends in a scale word (万/亿) and no unit word follows (投资110亿)
    bare: bool
    #: a word written before the number that belongs to the unit (新台币15亿元)
    prefix: str = ""


class QuantityPattern:
    """Finds quantities whose unit is one of `units` (or, if `prefixes`, a word before it).

    `unit_optional`: a number ending in 万/亿 may stand without a unit word (money).
    """

    def __init__(self, units: Iterable[str], *, prefixes: Iterable[str] = (),
                 unit_optional: bool = False, unit_tail: str = "") -> None:
        unit = alternation(units)
        pre_q = alternation(QUALIFIERS_BEFORE)
        mid_q = alternation(QUALIFIERS_MIDDLE)
        post_q = alternation(QUALIFIERS_AFTER)
        sep = alternation(_QUAL["range_separators"])
        prefix = rf"(?P<prefix>{alternation(prefixes)})?" if prefixes else ""
        opt = "?" if unit_optional else ""
        self.has_prefix = bool(prefixes)
        body = (
            rf"(?P<n1>{NUMBER}|(?<=(?:超|逾|近|超过|超過|突破))[万萬]?[亿億](?={unit}))(?P<mid1>{mid_q}(?P<s1>[万萬亿億]+)?|[个個](?P<s1g>[亿億]))?"
            rf"(?:\s?(?P<u1>{unit})?\s?(?P<sep>{sep})\s?(?P<n2>{NUMBER})(?P<mid2>{mid_q}(?P<s2>[万萬亿億]+)?)?)?"
            rf"\s?(?P<unit>{unit}{unit_tail}){opt}(?P<post>{post_q})?"
        )
        lead = rf"(?P<pre>{pre_q})?{prefix}(?P<pre2>{pre_q})?"
        #: for a search that starts inside a digit run (after a unit ending in a digit: 100m35万吨)
        self._from_inside = regex.compile(lead + body)
        self.regex = self._from_inside if unit_optional else regex.compile(lead + _NOT_INSIDE_DIGITS + body)
        # Only the sentences holding a unit word (or, when the unit is optional, a 万/亿) can hold
        # a quantity that is kept: the others are not searched. A sentence ends at a break that
        # none of the pattern's words contains (the data regex `unit_tail` taken as words too).
        words = [*units, *prefixes, *QUALIFIERS_BEFORE, *QUALIFIERS_MIDDLE, *QUALIFIERS_AFTER,
                 *_QUAL["range_separators"], *DECIMAL_POINTS, *(w for ws in UNIT_GUARDS.values() for w in ws),
                 unit_tail]
        breaks = "" if _WILDCARD.search(unit_tail) else "".join(
            c for c in SEARCH_BREAKS if not any(c in w for w in words))
        self._anchor = regex.compile(alternation(units) + ("|[万萬亿億兆]" if unit_optional else ""))
        self._break_after = regex.compile(f"[{regex.escape(breaks)}]") if breaks else None
        self._break_before = regex.compile(f"(?r)[{regex.escape(breaks)}]") if breaks else None

    def _sentences(self, text: str) -> Iterator[tuple[int, int]]:
        """[start, end) of each stretch between breaks that holds an anchor (a unit word or 万/亿)."""
        end = 0
        for anchor in self._anchor.finditer(text):
            if anchor.start() < end:
                continue
            if self._break_after is None:
                yield 0, len(text)
                return
            before = self._break_before.search(text, 0, anchor.start())
            after = self._break_after.search(text, anchor.end())
            end = after.start() if after else len(text)
            yield (before.end() if before else 0), end

    def finditer(self, text: str) -> Iterator[Quantity]:
        search, search_inside = self.regex.search, self._from_inside.search
        for lo, hi in self._sentences(text):
            pos = lo
            while True:
                inside = 0 < pos < len(text) and text[pos - 1].isdigit() and text[pos].isdigit()
                m = (search_inside if inside else search)(text, pos, hi)
                if m is None:
                    break
                pre = m["pre"]
                if pre and m.start() > 0 and text[m.start() - 1] in _QUALIFIER_NOT_AFTER.get(pre[0], ""):
                    pos = m.start() + len(pre)  # 签约93亿元: the 约 of 签约 is no qualifier
                    continue
                q = self._quantity(text, m)
                if q is None:  # never retry inside a rejected number (四五十亿 is no 五十亿)
                    pos = max(m.end("n1"), m.start() + 1)
                    continue
                yield q
                pos = m.end()

    def _quantity(self, text: str, m: regex.Match) -> Quantity | None:
        if not m["unit"]:  # no unit word and no 万/亿 at the end: most numbers when the unit is optional
            last = (m["s2"] or m["n2"]) if m["n2"] else (m["s1"] or m["s1g"] or m["n1"])
            if last[-1] not in _SCALE_CHARS:
                return None
        n1 = m["n1"] + (m["s1"] or m["s1g"] or "")  # 10个亿 = 10亿
        if n1 in ("亿", "億", "万亿", "萬億") and (m["pre"] or m["pre2"]):
            n1 = "一" + n1  # 超亿元, 突破万亿元: more than one 亿 / 万亿
        n2 = (m["n2"] + (m["s2"] or "")) if m["n2"] else None
        if is_vague(text, m.start("n1")) and not m["pre"] and not m["pre2"]:
            return None
        prefix = (m["prefix"] if self.has_prefix else None) or ""
        if not m["n1"][0].isdigit() and not m["unit"] and not (m["pre"] or m["pre2"] or prefix) \
                and _SCALES_ONLY.fullmatch(n1):
            return None  # 千万 alone is an adverb (千万不能); 迈百亿 needs its qualifier
        value = parse_number(n1)
        if not value:
            return None
        value_max = None
        if n2 is not None:
            value_max = parse_number(n2)
            if value_max is None:
                return None
            scale = _SCALE_SUFFIX.search(n2)
            if scale and not _SCALE_SUFFIX.search(n1) and not m["u1"]:
                value = parse_number(n1 + scale.group())  # 3至5亿元: 3亿
                if value is None:
                    return None
            if value_max < value:
                return None
            if value_max == value:
                value_max = None
        unit = m["unit"] or ""
        bare = not unit and bool(_SCALE_SUFFIX.search(n2 or n1))
        if not unit and not bare:
            return None
        qualifier = "exact"
        for word, table in ((m["pre"] or m["pre2"], QUALIFIERS_BEFORE),
                            ((m["mid2"] or m["mid1"] or "")[:1], QUALIFIERS_MIDDLE),
                            (m["post"], QUALIFIERS_AFTER)):
            if word and word in table:
                qualifier = table[word]
        end = m.end()
        if m["post"] and not unit:
            end = m.start("post")  # 投资3亿以上 keeps 以上 only after a unit word
            qualifier = "exact" if qualifier == QUALIFIERS_AFTER.get(m["post"]) else qualifier
        return Quantity(start=m.start(), end=end, num_start=m.start("n1"), value=value,
                        value_max=value_max, unit=unit.strip(), qualifier=qualifier, bare=bare,
                        prefix=prefix)


def clause_start(text: str, pos: int, limit: int = 40, stops: frozenset[str] = CLAUSE_END) -> int:
    """Start of the clause that ends at `pos` (a comma between digits does not end a clause)."""
    lo = max(0, pos - limit)
    i = pos - 1
    while i >= lo:
        c = text[i]
        if c in stops and not (c in ",，" and 0 < i < len(text) - 1 and text[i - 1].isdigit()
                               and text[i + 1].isdigit()):
            return i + 1
        i -= 1
    return lo


def clause_end(text: str, pos: int, limit: int = 40, stops: frozenset[str] = CLAUSE_END) -> int:
    """End of the clause that starts at `pos`."""
    hi = min(len(text), pos + limit)
    i = pos
    while i < hi:
        c = text[i]
        if c in stops and not (c in ",，" and 0 < i < len(text) - 1 and text[i - 1].isdigit()
                               and text[i + 1].isdigit()):
            return i
        i += 1
    return hi


class KeywordTable:
    """Regex patterns, each with a value (a kind), searched in a context window.

    `nearest_before` gives the value of the match ending closest to the end of the window
    (longest at equal ends); patterns are listed in data files as `{pattern: value}`. Each
    pattern is searched on its own, so a longer word is found even where a shorter one starts
    at the same place (投资完成 and 投资).
    """

    def __init__(self, entries: Mapping[str, str]) -> None:
        self.patterns: list[tuple[regex.Pattern[str], str]] = [
            (regex.compile(pattern), value) for pattern, value in entries.items()]
        self.regex = regex.compile("|".join(f"(?:{p})" for p in entries)) if entries else None

    def matches(self, text: str, lo: int, hi: int) -> list[tuple[int, int, str]]:
        if self.regex is None or lo >= hi or self.regex.search(text, lo, hi) is None:
            return []
        out = []
        for pattern, value in self.patterns:
            for m in pattern.finditer(text, lo, hi, overlapped=True):
                out.append((m.start(), m.end(), value))
        return out

    def nearest_before(self, text: str, lo: int, hi: int,
                       skip: frozenset[str] = frozenset()) -> tuple[str, int, int] | None:
        """(value, start, end) of the keyword ending nearest to `hi` within [lo, hi), values in `skip` ignored."""
        best = None
        for s, e, v in self.matches(text, lo, hi):
            if v in skip:
                continue
            if best is None or (e, e - s) > (best[2], best[2] - best[1]):
                best = (v, s, e)
        return best

    def first_after(self, text: str, lo: int, hi: int) -> tuple[str, int, int] | None:
        """(value, start, end) of the keyword starting nearest to `lo` (then ending first) in [lo, hi)."""
        best = None
        for s, e, v in self.matches(text, lo, hi):
            if best is None or (s, e) < (best[1], best[2]):
                best = (v, s, e)
        return best

    def search(self, text: str, lo: int, hi: int) -> bool:
        return self.regex is not None and lo < hi and self.regex.search(text, lo, hi) is not None


def overlaps_any(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


@lru_cache(maxsize=16)
def _word_regex(words: tuple[str, ...]) -> regex.Pattern[str] | None:
    """One compiled alternation of `words` (None if there are none)."""
    words = tuple(w for w in words if w)
    return regex.compile(alternation(words)) if words else None


def veto_spans(text: str, words: Iterable[str]) -> list[tuple[int, int]]:
    """Where the ambiguity-filter words occur (万达, 亿纬锂能, 千岛湖): no number inside them."""
    pattern = _word_regex(tuple(words))
    return [] if pattern is None else [(m.start(), m.end()) for m in pattern.finditer(text)]
