"""DATE recognizer (SPEC section 3): calendar expressions with ISO-8601 partial values.

Three steps over the working text, all driven by `extractor/data/dates.yaml`:

1. `tables().pattern` (one regex, built once from the tables) finds candidate phrases: years
   (2022年, 二〇二二年, 民國102年, 今年, 今（2026）年), periods after a year or on their own
   (年底, 上半年, 三季度, 1-6月, 前8月), months and days (7月30日, 4月末, 3月份), relative days
   (今天, 昨日, 昨（廿六）日) and quoted campaign days (“7·18”).
2. Filters drop what SPEC excludes: publication stamps and datelines (发布时间：…, 本报贵阳10月16日电,
   台灣網10月26日池州消息, 记者…从…获悉), durations, and words inside other words.
3. Resolution gives every phrase its value: a missing year comes from a date of the same
   sentence, else the nearest preceding date with a year, else `published`, else `XXXX`;
   `kind` comes from the first event word after the date in its clause.

The output depends only on the article (text and `published`), never on the clock.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

import opencc
import regex

from extractor.document import Doc, Span
from extractor.patterns import alternation
from extractor.tables import load_table

_RULE = "date"


# --------------------------------------------------------------------------- tables


@cache
def _converters() -> tuple[opencc.OpenCC, ...]:
    return tuple(opencc.OpenCC(c) for c in ("s2t", "s2tw", "s2hk"))


def variants(words: Any) -> list[str]:
    """The words with their Traditional spellings added, longest first (for regex alternation)."""
    out: set[str] = set()
    for w in words:
        out.add(w)
        for cc in _converters():
            out.add(cc.convert(w))
    return sorted(out, key=lambda w: (-len(w), w))


def _alt(words: Any) -> str:
    """An alternation of the words and their variants, longest first, written as a trie."""
    return alternation(variants(words))


def _variant_map(table: dict[str, Any]) -> dict[str, Any]:
    """A word -> value table with every Traditional spelling of each word as a key too."""
    out: dict[str, Any] = {}
    for word, value in table.items():
        for v in variants([word]):
            out[v] = value
    return out


@dataclass(frozen=True, slots=True)
class _Tables:
    """The compiled form of dates.yaml."""

    pattern: regex.Pattern[str]
    digits: dict[str, int]
    tens: dict[str, int]
    relative_years: dict[str, int]
    relative_days: dict[str, int]
    year_mods: dict[str, str]
    month_mods: dict[str, str]
    quarter_mods: dict[str, str]
    standalone: dict[str, tuple[str, str | None]]
    halves: dict[str, str]
    range_periods: dict[tuple[int, int], str]
    minguo_offset: int
    taiwan: regex.Pattern[str]
    blockers: frozenset[str]
    month_blockers: frozenset[str]
    bare_day_blockers: frozenset[str]
    word_guards: dict[str, tuple[frozenset[str], tuple[str, ...]]]
    bare_day_not_before: regex.Pattern[str]
    lunar_before: regex.Pattern[str]
    stamp_before: regex.Pattern[str]
    stamp_after: regex.Pattern[str]
    dateline_after: regex.Pattern[str]
    dateline_news: regex.Pattern[str]
    dateline_news_before: regex.Pattern[str]
    reporting: regex.Pattern[str]
    stamp_line: regex.Pattern[str]
    next_year_before: regex.Pattern[str]
    duration_after: regex.Pattern[str]
    fillers: regex.Pattern[str]
    clause_breaks: frozenset[str]
    joiners: regex.Pattern[str]
    other_before: regex.Pattern[str]
    kind_word: regex.Pattern[str]
    kind_of: dict[str, str]
    kind_time_noun: regex.Pattern[str]
    mod_not_before: dict[str, tuple[str, ...]]


@cache
def tables() -> _Tables:
    """Load and compile dates.yaml once per process."""
    t = load_table("dates")
    cn_digit = "".join(t["digits"])
    cn_small = cn_digit + "".join(t["tens"])
    n19 = "[一二三四五六七八九]"
    month = rf"(?:1[0-2]|0?[1-9]|十[一二]?|{n19})"
    day = rf"(?:3[01]|[12]\d|0?[1-9]|[二三]?十{n19}?|廿{n19}?|卅一?|{n19})"
    num_guard = r"(?<![\d.．%])"
    cn_guard = rf"(?<![{cn_small}百千万亿两第])"
    year_abs = (
        rf"(?:(?:{_alt(t['minguo_prefixes'])})\s*(?P<ymg>\d{{2,3}}|[{cn_digit}]{{2,3}})"
        rf"|{num_guard}(?P<y4>(?:19|20)\d\d)"
        rf"|{cn_guard}(?P<ycn>[{cn_digit}]{{4}})"
        rf"|{num_guard}(?P<ymg3>1[0-4]\d)|{cn_guard}(?P<ymg3>一[{cn_digit}]{{2}})"
        rf"|{num_guard}(?P<ymg2>[4-9]\d)(?=年\s*(?:1[0-2]|0?[1-9])月|年[底初末]))"
        r"\s?年"
    )
    year_rel = (
        rf"(?P<yrel>{_alt(t['relative_years'])})"
        rf"|(?P<yrp>{_alt(t['relative_year_prefixes'])})[（(]\s*(?P<yrpx>\d{{4}}|[{cn_digit}]{{4}})\s*[）)]\s*年"
    )
    seps = "|".join(regex.escape(s) for s in t["range_separators"])
    doubled = "|".join(regex.escape(k[1:]) for k in t["year_mods_doubled"])
    ymod = "|".join(regex.escape(k) for k in t["year_mods"])
    mmod = _alt(t["month_mods"])
    qmod = "|".join(regex.escape(k) for k in t["quarter_mods"])
    quarter = (
        rf"(?:(?:{_alt(t['period_infixes'])})?"
        rf"(?:第(?P<q>[1-4一二三四])季度?|(?P<q>[1-4一二三四])季度)(?P<qmod>{qmod})?)"
    )
    not_after = rf"(?<![{regex.escape(t['first_months_not_after'])}])"
    tail = (
        rf"(?:{quarter}"
        rf"|(?P<half>{_alt(t['halves'])})"
        rf"|(?P<mr1>{month})\s*(?:月份?)?\s*(?:{seps})\s*(?P<mr2>{month})\s*月份?"
        rf"|{not_after}前(?P<mfirst>{month})个?月份?"
        rf"|{not_after}前(?P<qfirst>[二两三23])个?季度"
        rf"|(?P<mon>{month})\s*月份?(?:(?P<mmod>{mmod})|\s*(?P<day>{day})(?:\s*(?:{seps})\s*{day})?\s*[日号號])?)"
    )
    # on their own, a quarter needs 季度 (第一季 alone is a season of a show) and 前N月 no 个
    standalone_tail = tail.replace("季度?", "季度", 1).replace("个?月份?", "月份?", 1)
    pattern = (
        rf"(?P<lysp>{_alt(t['last_year_same_period'])})"
        rf"|(?P<rdname>{_alt(t['relative_day_names'])})"
        rf"|(?P<rday>{_alt(t['relative_days'])})(?!{_alt(t['relative_day_not_before'])})(?:[（(]\s*(?:(?P<rdm>{month})\s*月\s*)?(?P<rdd>{day})\s*[日号][）)])?"
        rf"|(?P<rdp>[今昨明])[（(]\s*(?P<rdpx>{day})\s*[）)]\s*[天日]"
        rf"|(?P<yest>昨)(?=(?:{_alt(t['bare_yesterday_before'])}))"
        rf"|(?<=[“\"「])(?P<dotm>{month})[·•・](?P<dotd>{day})(?=[”\"」])"
        rf"|(?:{year_abs}|{year_rel})(?:\s?(?:{tail}|年(?P<ymodd>{doubled})|(?P<ymod>{ymod})))?"
        rf"|{num_guard}(?P<yrs>(?:19|20)\d\d)(?=\s*(?:{seps})\s*(?:19|20)\d\d\s?年)"
        rf"|(?P<period>{_alt(t['standalone_periods'])})"
        rf"|{num_guard}{cn_guard}(?:{standalone_tail})"
        rf"|第(?P<twq>[1-4一二三四])季(?!度)"
        rf"|{num_guard}(?<![月])(?P<bday>3[01]|[12]\d|0?[1-9])日"
    )

    def words_re(words: Any, fmt: str) -> regex.Pattern[str]:
        return regex.compile(fmt.format(_alt(words)))

    kinds = t["kinds"]
    kind_of: dict[str, str] = {}
    for kind, words in kinds.items():
        for w in variants(words):
            kind_of.setdefault(w, kind)
    not_before = {}
    for w, conts in t["kind_not_before"].items():
        for v in variants([w]):
            not_before[v] = _alt(conts)
    kind_alts = []
    for w in sorted(kind_of, key=lambda w: (-len(w), w)):
        guard = f"(?!{not_before[w]})" if w in not_before else ""
        kind_alts.append(regex.escape(w) + guard)
    doubled_mods = {k[1:]: v for k, v in t["year_mods_doubled"].items()}
    mod_not_before = {k: tuple(variants(v)) for k, v in t.get("mod_not_before", {}).items()}
    # Every phrase starts with one of these characters; the lookahead lets the regex engine
    # skip all other positions quickly (ten times faster on news text).
    starters = set("0123456789第前今昨明" + cn_small + "两")
    for key in ("relative_years", "relative_days", "relative_day_names", "last_year_same_period",
                "minguo_prefixes", "standalone_periods", "halves", "period_infixes", "relative_year_prefixes"):
        starters.update(w[0] for w in variants(t[key]))
    first = "".join(sorted(starters))
    return _Tables(
        pattern=regex.compile(f"(?=[{regex.escape(first)}])(?:{pattern})"),
        digits=dict(t["digits"]),
        tens=dict(t["tens"]),
        relative_years=_variant_map(t["relative_years"]),
        relative_days=_variant_map(t["relative_days"]),
        year_mods={**doubled_mods, **t["year_mods"]},
        month_mods=_variant_map(t["month_mods"]),
        quarter_mods=dict(t["quarter_mods"]),
        standalone={k: tuple(v) for k, v in _variant_map(t["standalone_periods"]).items()},
        halves=_variant_map(t["halves"]),
        range_periods={tuple(int(x) for x in k.split("-")): v for k, v in t["month_range_periods"].items()},
        minguo_offset=int(t["minguo_offset"]),
        taiwan=words_re(t["taiwan_cues"], "{}"),
        blockers=frozenset(variants(t["standalone_blockers"])),
        month_blockers=frozenset(variants(t["month_blockers"])),
        bare_day_blockers=frozenset(variants(t["bare_day_blockers"])),
        word_guards={w: (frozenset("".join(variants([before]))), tuple(variants(after)))
                     for word, (before, after) in t["word_guards"].items() for w in variants([word])},
        bare_day_not_before=words_re(t["bare_day_not_before"], r"(?:\d|{})"),
        lunar_before=words_re(t["lunar_before"], r"(?:{})\s*$"),
        stamp_before=words_re(t["stamp_before"], r"(?:{})\s*[:：]?\s*$"),
        stamp_after=regex.compile(
            rf"^\s*(?:(?:{_alt(t['stamp_after'])})|\d{{1,2}}\s*[:：]\s*\d{{2}}|\d{{0,3}}\s*版)"),
        dateline_after=words_re(t["dateline_after"], r"^\s*(?:{})"),
        dateline_news=regex.compile(rf"^\p{{Han}}{{0,6}}?(?:{_alt(t['dateline_news'])})"),
        dateline_news_before=words_re(t["dateline_news_before"], r"(?:{})\s*$"),
        reporting=regex.compile(
            rf"^(?:[，,]\s*(?:{_alt(t['reporting_subjects'])}))?[^，,。；;]{{0,20}}?(?:{_alt(t['reporting_verbs'])})"),
        next_year_before=words_re(t["next_year_words"], r"(?:{})\s*$"),
        stamp_line=words_re(t["stamp_line_labels"], r"\s*(?:{})\s*[:：]\s*$"),  # used with match(pos)
        duration_after=words_re(t["duration_after"], r"(?!以来)(?:{})"),
        fillers=words_re(t["clause_fillers"], r"^[\s]*(?:(?:{})[\s]*)*$"),
        clause_breaks=frozenset(t["clause_breaks"]),
        joiners=words_re(t["clause_joiners"], r"\s*(?:{})"),
        other_before=words_re(t["other_before"], r"(?:{})\s*$"),
        kind_word=regex.compile("|".join(kind_alts)),
        kind_of=kind_of,
        kind_time_noun=regex.compile(rf"(?:{'|'.join(kind_alts)})(?:的)?(?:时间|日期|時間)\s*[为是定于在:：]?\s*$"),
        mod_not_before=mod_not_before,
    )


# --------------------------------------------------------------------------- parsing


@dataclass(slots=True)
class _Date:
    """A candidate phrase, parsed: what is written, before the year is resolved."""

    start: int
    end: int
    year: int | None = None  # explicit year
    year_rel: int | None = None  # offset from the published year (今年 = 0)
    month: int | None = None
    day: int | None = None
    period: str | None = None  # Q1..Q4, H1, H2 (a part of the year)
    mod: str | None = None
    day_offset: int | None = None  # relative day: offset from the published date
    needs_month: bool = False  # a bare day (21日): month from a preceding date
    year_shift: int = 0  # 次年3月: one year after the year it takes from its context
    year_only: bool = False  # a month range written with its year (2021年前8月)
    value: str | None = None
    kind: str = "other"
    rule: str = _RULE


def _cn_number(s: str, t: _Tables) -> int | None:
    """An Arabic or Chinese small number: 12, 十二, 二十六, 廿六, 一一七, 二〇二二."""
    s = s.strip()
    if s.isdigit():
        return int(s)
    if all(c in t.digits for c in s):
        n = 0
        for c in s:
            n = n * 10 + t.digits[c]
        return n
    total, current = 0, 0
    for c in s:
        if c in t.digits:
            current = t.digits[c]
        elif c in t.tens:
            total += (current or 1) * t.tens[c] if t.tens[c] == 10 else t.tens[c]
            current = 0
        else:
            return None
    return total + current


def _quarter(q: str, t: _Tables) -> str:
    return f"Q{_cn_number(q, t)}"


def _parse(m: regex.Match[str], text: str, taiwan: bool, t: _Tables) -> _Date | None:
    """The parsed phrase of one match, or None when the match is not a DATE."""
    g = m  # groups read by name (a groupdict of this many groups costs more than the reads)
    d = _Date(m.start(), m.end())
    if g["rdname"] or t.lunar_before.search(text, max(0, m.start() - 4), m.start()):
        return None
    word = g["yrel"] or g["rday"] or g["period"]
    if word in t.word_guards:
        not_after, not_before = t.word_guards[word]
        if text[m.start() - 1: m.start()] in not_after or text.startswith(not_before, m.start() + len(word)):
            return None
    if g["lysp"]:
        d.year_rel, d.rule = -1, f"{_RULE}.last_year_same_period"
        return d
    if g["rday"] or g["rdp"] or g["yest"]:
        d.rule = f"{_RULE}.relative_day"
        if g["rdm"]:  # 今天（5月13日）: the date is written
            d.month, d.day = _cn_number(g["rdm"], t), _cn_number(g["rdd"], t)
            d.year_rel = 0
        elif g["rdp"] or g["rdd"]:  # 今（20）日, 今日（二十日）: the day is written
            d.day_offset = t.relative_days.get(g["rday"] or g["rdp"] + "日", 0)
            d.day = _cn_number(g["rdpx"] or g["rdd"], t)
        else:
            d.day_offset = t.relative_days.get(g["rday"] or "", -1)
        return d
    if g["dotm"]:
        d.month, d.day = _cn_number(g["dotm"], t), _cn_number(g["dotd"], t)
        d.rule = f"{_RULE}.campaign_day"
        return d
    if g["bday"]:
        if t.bare_day_not_before.match(text, m.end()) or text[m.start() - 1: m.start()] in t.bare_day_blockers:
            return None
        d.day, d.needs_month = int(g["bday"]), True
        d.rule = f"{_RULE}.bare_day"
        return d
    if g["twq"]:  # 第4季 without 度: a quarter in Taiwan news, a season of a show elsewhere
        if not taiwan:
            return None
        d.period, d.rule = _quarter(g["twq"], t), f"{_RULE}.quarter"
        return d
    if g["period"]:
        if text[m.start() - 1: m.start()] in t.blockers:
            return None
        d.period, d.mod = t.standalone[g["period"]]
        if d.period == "year":
            d.period = None
        d.rule = f"{_RULE}.period"
        return d
    # a year (absolute or relative), then perhaps a part of it
    if g["y4"] or g["yrs"]:
        d.year = int(g["y4"] or g["yrs"])
    elif g["ycn"]:
        d.year = _cn_number(g["ycn"], t)
    elif g["ymg"]:
        n = _cn_number(g["ymg"], t)
        d.year = n + t.minguo_offset if n is not None else None
    elif g["ymg3"] or g["ymg2"]:
        if not taiwan:  # outside Taiwan 100年 is a duration, not a Minguo year
            return None
        n = _cn_number(g["ymg3"] or g["ymg2"], t)
        d.year = n + t.minguo_offset if n is not None else None
    elif g["yrel"]:
        d.year_rel = t.relative_years[g["yrel"]]
    elif g["yrp"]:
        d.year = _cn_number(g["yrpx"], t)
    has_year_word = d.year is not None or d.year_rel is not None
    bare_year = not (g["q"] or g["half"] or g["mr1"] or g["mfirst"] or g["qfirst"] or g["mon"]
                     or g["ymod"] or g["ymodd"])
    if bare_year and (g["ymg3"] or g["ymg2"]) and t.duration_after.match(text, m.end()):
        return None  # 100年历史; a calendar year (2022年内) stays
    if g["ymodd"] or g["ymod"]:
        word = g["ymodd"] or g["ymod"]
        if text.startswith(t.mod_not_before.get(word, ()), m.end()):
            return None
        d.mod = t.year_mods[word]
    if g["q"]:
        d.period = _quarter(g["q"], t)
        d.mod = t.quarter_mods.get(g["qmod"] or "")
    elif g["half"]:
        d.period = t.halves[g["half"]]
    elif g["mr1"]:
        first, last = _cn_number(g["mr1"], t), _cn_number(g["mr2"], t)
        if first is None or last is None or not 1 <= first < last <= 12:
            return None
        d.period = t.range_periods.get((first, last))
        d.year_only = d.period is None
    elif g["mfirst"] or g["qfirst"]:
        d.year_only = True
    elif g["mon"]:
        d.month = _cn_number(g["mon"], t)
        if g["day"]:
            d.day = _cn_number(g["day"], t)
        elif g["mmod"]:
            if text.startswith(t.mod_not_before.get(g["mmod"], ()), m.end()):
                return None
            d.mod = t.month_mods[g["mmod"]]
    if not has_year_word and t.next_year_before.search(text, max(0, m.start() - 3), m.start()):
        d.year_shift = 1
    prev = text[m.start() - 1: m.start()]
    if not has_year_word and prev in (t.month_blockers if g["mon"] else t.blockers):
        return None
    if (d.month is not None and not 1 <= d.month <= 12) or (d.day is not None and not 1 <= d.day <= 31):
        return None
    d.rule = _rule_of(g)
    return d


_YEAR_RULES = (("y4", "year"), ("yrs", "year_range_start"), ("ycn", "year_cn"),
               ("ymg", "minguo"), ("ymg3", "minguo"), ("ymg2", "minguo"),
               ("yrel", "relative_year"), ("yrp", "relative_year"))
_TAIL_RULES = (("q", "quarter"), ("half", "half"), ("mr1", "month_range"), ("mfirst", "first_months"),
               ("qfirst", "first_months"), ("day", "month_day"), ("mon", "month"), ("ymod", "mod"), ("ymodd", "mod"))


def _rule_of(g: regex.Match[str]) -> str:
    """The rule id of a year/month phrase: date.<year form>+<part> (date.year+month_day)."""
    parts = [next((name for key, name in table if g[key]), None) for table in (_YEAR_RULES, _TAIL_RULES)]
    return ".".join((_RULE, "+".join(p for p in parts if p)))


# --------------------------------------------------------------------------- filters


_STAMP_FRAME = " \t\u3000[]【】()（）|"
_TITLE_MARKS: dict[str, str] = load_table("dates")["title_marks"]
_TITLE_MAX: int = load_table("dates")["title_max"]


def _is_metadata(d: _Date, text: str, t: _Tables) -> bool:
    """A publication stamp or dateline (发布时间：…, 本报贵阳10月16日电, 记者…从…获悉)."""
    line_start = text.rfind("\n", 0, d.start) + 1
    line_end = text.find("\n", d.end)
    line = text[line_start: len(text) if line_end < 0 else line_end]
    if d.year is not None and d.day is not None and line.strip(_STAMP_FRAME) == text[d.start:d.end]:
        return True  # a full date alone on its line: the page's date stamp
    before = text[max(line_start, d.start - 16): d.start]
    if t.stamp_before.search(before) or t.stamp_line.match(text, line_start, d.start):
        return True
    after = text[d.end: d.end + 24]
    if t.stamp_after.match(after) or t.dateline_after.match(after) or t.reporting.match(after):
        return True
    return bool(t.dateline_news.match(after) and t.dateline_news_before.search(before))


def _in_title(d: _Date, text: str) -> bool:
    """The date stands inside a title mark pair (《…》) that closes within `title_max` characters."""
    for opening, closing in _TITLE_MARKS.items():
        o = text.rfind(opening, max(0, d.start - _TITLE_MAX), d.start)
        if o < 0 or text.rfind(closing, o, d.start) >= 0:
            continue
        c = text.find(closing, d.end, d.end + _TITLE_MAX)
        if c >= 0 and text.rfind(opening, d.end, c) < 0:
            return True
    return False


# --------------------------------------------------------------------------- kind


def _clause(text: str, start: int, end: int, t: _Tables) -> tuple[int, int]:
    lo = start
    while lo > 0 and text[lo - 1] not in t.clause_breaks:
        lo -= 1
    hi = end
    while hi < len(text) and text[hi] not in t.clause_breaks:
        hi += 1
    return lo, hi


def _kind(d: _Date, text: str, sentence_end: int, t: _Tables) -> str:
    """`kind` from the first event word after the date in its clause (or the next clause when
    the date closes its clause: 4月7日上午，……正式开工)."""
    lo, hi = _clause(text, d.start, d.end, t)
    if t.other_before.search(text, lo, d.start):
        return "other"
    rest = text[d.end:hi]
    found = t.kind_word.search(rest)
    if found is None and hi < len(text) and text[hi] != "\n":
        nxt_hi = _clause(text, hi + 1, hi + 1, t)[1]
        if t.fillers.match(rest) and d.day is not None:  # an event day: the verb of its sentence
            nxt_hi = sentence_end
        if t.fillers.match(rest) or t.joiners.match(text, hi + 1, nxt_hi):
            found = t.kind_word.search(text, hi + 1, nxt_hi)
    if found is not None:
        return t.kind_of[found.group()]
    before = t.kind_time_noun.search(text, lo, d.start)
    if before is not None:
        return t.kind_of[t.kind_word.match(before.group()).group()]
    return "other"


# --------------------------------------------------------------------------- resolution


def _published(value: str | None) -> tuple[int | None, int | None, int | None]:
    if not value:
        return None, None, None
    parts = [int(p) for p in value.split("-")]
    return parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None


def _fmt(year: int | None, month: int | None = None, day: int | None = None, period: str | None = None) -> str:
    out = f"{year:04d}" if year is not None else "XXXX"
    if period:
        return f"{out}-{period}"
    if month is not None:
        out += f"-{month:02d}"
        if day is not None:
            out += f"-{day:02d}"
    return out


def _own_year(d: _Date, pub_year: int | None) -> tuple[bool, int | None]:
    """(has a year of its own, that year or None for XXXX)."""
    if d.year is not None:
        return True, d.year
    if d.year_rel is not None:
        return True, None if pub_year is None else pub_year + d.year_rel
    return False, None


def _resolve(dates: list[_Date], sentences: tuple[tuple[int, int], ...], published: str | None) -> list[_Date]:
    """Fill in every date's value (SPEC: same sentence, else preceding, else published, else XXXX)."""
    pub_y, pub_m, pub_d = _published(published)
    starts = [s for s, _ in sentences]

    def sentence_of(pos: int) -> int:
        return bisect.bisect_right(starts, pos) - 1

    # relative days first: they are full dates when `published` is known
    kept: list[_Date] = []
    for d in dates:
        if d.day_offset is not None:
            if pub_y is None or pub_m is None:
                continue
            if pub_d is None:
                d.year, d.month = pub_y, pub_m
            else:
                day = dt.date(pub_y, pub_m, pub_d) + dt.timedelta(days=d.day_offset)
                # a written day (昨（廿六）日) wins over the arithmetic, in the month around it
                d.year, d.month, d.day = day.year, day.month, d.day or day.day
        kept.append(d)
    dates = kept
    years: list[tuple[bool, int | None]] = [_own_year(d, pub_y) for d in dates]
    sent = [sentence_of(d.start) for d in dates]
    resolved_year: list[int | None] = [None] * len(dates)
    out: list[_Date] = []
    for i, d in enumerate(dates):
        has, year = years[i]
        if not has:
            same = [j for j in range(len(dates)) if j != i and sent[j] == sent[i] and years[j][0]]
            if same:
                j = min(same, key=lambda j: (abs(dates[j].start - d.start), j > i))
                year = years[j][1]
            else:
                prev = [j for j in range(i) if years[j][0]]
                year = years[prev[-1]][1] if prev else pub_y
            if year is not None:
                year += d.year_shift
        if d.needs_month:
            src = [j for j in range(i) if dates[j].month is not None and not dates[j].needs_month]
            same_sent = [j for j in src if sent[j] == sent[i]]
            src = same_sent or src
            if not src:
                continue
            d.month = dates[src[-1]].month
            year = resolved_year[src[-1]]
        resolved_year[i] = year
        if d.year_only:
            d.value = _fmt(year)
        else:
            d.value = _fmt(year, d.month, d.day, d.period)
        out.append(d)
    return out


# --------------------------------------------------------------------------- stage


def find_dates(text: str, sentences: tuple[tuple[int, int], ...], published: str | None) -> list[_Date]:
    """Every DATE phrase of `text` with its value, kind and mod (offsets into `text`)."""
    t = tables()
    taiwan = t.taiwan.search(text) is not None
    found: list[_Date] = []
    for m in t.pattern.finditer(text):
        d = _parse(m, text, taiwan, t)
        if d is None or _is_metadata(d, text, t) or _in_title(d, text):
            continue
        found.append(d)
    dates = _resolve(found, sentences, published)
    ends = [e for _, e in sentences]
    for d in dates:
        i = bisect.bisect_right(ends, d.start)
        d.kind = _kind(d, text, ends[i] if i < len(ends) else len(text), t)
    return dates


def recognize(doc: Doc) -> None:
    """Pipeline stage: add a DATE span for every calendar expression of the article."""
    for d in find_dates(doc.text, doc.working.sentences, doc.article.published):
        doc.spans.append(Span(label="DATE", start=d.start, end=d.end, value=d.value,
                              kind=d.kind, mod=d.mod, rule=d.rule))
