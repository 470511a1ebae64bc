"""ORG mentions without a legal suffix (SPEC section 3), after the names stage found the suffixed ones.

The rules, their words in `data/orgs.yaml`:

- `org-known`: well-known enterprises and their usual short names (台电, 中广核, 中国石化), one
  literal alternation over the whole text (scanned with the standard library's `re`, several times
  faster than `regex` on it); an industry word or legal suffix right after one belongs to it
  (中交能源, 中粮包装).
- `org-brand`: a brand of two to four characters and an industry word (鸿谷科技, 稳懋半导体,
  河南能源) where the article makes it act: before 董事长/表示/投资/与 ... or after 由/与/包括/大厂 ...,
  or listed (、 及) next to a name that does. A place or an everyday word as the brand (河南能源,
  外地企业) needs a company's context (董事长, 旗下 ...); a category (传统能源) never passes.
- `org-short`: the article's names again, and short forms of its full names (杭州士兰微电子股份有限公司
  -> 士兰微, 台电公司 -> 台电), annotated everywhere once the article uses the form on its own: in
  an acting context outside a project name (SPEC convention: 联顺 only inside 联顺项目 is no ORG).
- `org-institution`: a hospital, university or institute at the start of a project name followed by
  what it builds (青海大学附属医院南院区项目, 省人民医院东院区二期工程).
- `org-owner`: a name at the start of a project name followed by a place in brackets, the site of
  its plant (合肥丰华汽车零部件(遂宁)商用车车架项目).
- `org-listed`: a name without an industry word that has a stock code or announces something
  (士兰微发布公告称, 心连心<01866.HK>宣布).
- `org-alias`: a Latin name in brackets right after an ORG (沃旭能源（Ørsted）).

A candidate is only taken on word boundaries: no dictionary word of the segmenter may cross its
start or end (京东 is not in 北京东路). Spans equal to or overlapping an ORG already found are skipped.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import regex

from extractor import segmenter
from extractor.document import Doc, Span
from extractor.tables import load_table

_LATIN = regex.compile(r"[A-Za-z]")
_HAN = regex.compile(r"\p{Han}")
_NAME_CHAR = regex.compile(r"[\p{Han}A-Za-z]")
_CLAUSE_MARK = regex.compile(r"[^\p{Han}\p{L}\p{N}]")
_PLACE_WORD = regex.compile(r"^\p{Han}{2,8}?(?:省|市|县|区|州|旗|盟|自治区)")
_LIST_BEFORE = regex.compile(r"(?:、|,|，)?(?:以及|及|和|与|、)\s*$")
_LIST_MARK = regex.compile(r"[、及和与]")
_LIST_AFTER = regex.compile(r"\s*(?:、|,|，)?(?:以及|及|和|与|、)")
_ORDINAL_BEFORE = regex.compile(r"(?:\p{Han}{2,6}?(?:省|市|县|区|州))?第[一二三四五六七八九十\d]+$")
_BRACKETED = regex.compile(r"[（(][^（()）]{1,10}[）)]")
#: how far left of an industry word a brand (with a place before it) may begin
_BRAND_WINDOW = 10
_MAX_BRAND = 4
#: the rules of this stage whose names need no further test before they are propagated
_OWN_RULES = frozenset({"org-known", "org-brand", "org-institution", "org-owner", "org-listed"})


def _alternation(words: Iterable[str]) -> str:
    return "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _grouped_alternation(words: Iterable[str]) -> str:
    """中(?:国石化|粮|...)|华(?:能|电|...): one branch per first character, longest words first."""
    groups: dict[str, list[str]] = {}
    for w in sorted(set(words)):
        groups.setdefault(w[0], []).append(w[1:])
    return "|".join(f"{re.escape(c)}(?:{_alternation(rest)})" for c, rest in groups.items())


@dataclass(frozen=True, slots=True)
class OrgRules:
    known: re.Pattern[str]
    known_rest: regex.Pattern[str]
    known_blocked: regex.Pattern[str]
    agent_cue: regex.Pattern[str]
    industry: regex.Pattern[str]
    industry_scan: re.Pattern[str]
    industry_tail: regex.Pattern[str]
    agent_after: regex.Pattern[str]
    agent_before: regex.Pattern[str]
    place_agent_after: regex.Pattern[str]
    generic_words: frozenset[str]
    brand_stop_chars: frozenset[str]
    brand_stop_tags: frozenset[str]
    legal_suffix: regex.Pattern[str]
    industry_blocker: regex.Pattern[str]
    common_word_freq: int
    weak_industry: frozenset[str]
    category_industry: frozenset[str]
    weak_brand_freq: int
    brand_stop_words: frozenset[str]
    min_short: int
    short_form_max_freq: int
    short_industry: dict[str, str]
    glued_stops: frozenset[str]
    institution: regex.Pattern[str]
    latin_alias: regex.Pattern[str]
    listed_after: regex.Pattern[str]
    person_title_before: regex.Pattern[str]
    brand_veto: regex.Pattern[str]
    owner_with_place: regex.Pattern[str]


@cache
def rules() -> OrgRules:
    """The compiled rules of `data/orgs.yaml` (built once)."""
    t = load_table("orgs")
    known_names = [name for group in t["known"] for name in group]
    industry = "|".join([_alternation(t["industry"]), *t["industry_patterns"]])
    legal = _alternation(t["legal_suffixes"])
    # a literal alternation grouped by first character: the standard library's engine scans it
    # several times faster than `regex` does
    known = re.compile(_grouped_alternation(known_names))
    known_rest = regex.compile(
        rf"(?:(?>(?:{_alternation(set(t['industry']) - set(t['category_industry']))})+)"
        rf"(?!{_alternation(t['industry_blockers'])}))?(?:{legal})?"
    )
    blockers = ["[A-Za-z]", _alternation(t["known_blockers"]), *t["known_blocker_patterns"]]
    known_blocked = regex.compile("|".join(blockers))
    after = "|".join([_alternation(t["agent_after"]), *t["agent_after_patterns"]])
    return OrgRules(
        known=known,
        known_rest=known_rest,
        known_blocked=known_blocked,
        agent_cue=regex.compile(_alternation(t["agent_before"])),
        industry=regex.compile(rf"(?:{industry})+(?:{legal})?"),
        industry_scan=re.compile(_alternation([*t["industry"], *t["industry_pattern_starts"]])),
        industry_tail=regex.compile(rf"(?:{industry})+$"),
        agent_after=regex.compile(rf"\s*(?:{after})"),
        agent_before=regex.compile(rf"(?:{_alternation(t['agent_before'])})[\s:：]*$"),
        place_agent_after=regex.compile(rf"\s*(?:{_alternation(t['place_agent_after'])})"),
        generic_words=frozenset(t["generic_brands"]) | frozenset(t["industry"]),
        brand_stop_chars=frozenset(t["brand_stop_chars"]),
        brand_stop_tags=frozenset(t["brand_stop_tags"]),
        legal_suffix=regex.compile(rf"(?:{legal})$"),
        industry_blocker=regex.compile(_alternation(t["industry_blockers"])),
        common_word_freq=t["common_word_freq"],
        weak_industry=frozenset(t["weak_industry"]),
        category_industry=frozenset(t["category_industry"]),
        weak_brand_freq=t["weak_brand_freq"],
        brand_stop_words=frozenset(t["brand_stop_words"]),
        min_short=t["min_short"],
        short_form_max_freq=t["short_form_max_freq"],
        short_industry=dict(t["short_industry"]),
        glued_stops=frozenset(t["glued_stops"]),
        latin_alias=regex.compile(t["latin_alias"]),
        listed_after=regex.compile(t["listed_after"]),
        person_title_before=regex.compile(t["person_title_before"]),
        brand_veto=regex.compile(t["brand_veto"]),
        owner_with_place=regex.compile(t["owner_with_place"]),
        institution=regex.compile("|".join(rf"\p{{Han}}{{1,16}}{i['head']}(?={i['followers']})"
                                           for i in t["institutions"])),
    )


# --- helpers ---------------------------------------------------------------------------------


def _crosses_word(text: str, start: int, end: int) -> bool:
    """A dictionary word of two or more characters runs across `start` or `end` (京东 in 北京东路)."""
    left = start > 0 and _NAME_CHAR.match(text[start - 1]) is not None
    right = end < len(text) and _NAME_CHAR.match(text[end]) is not None
    if not (left or right):
        return False
    lo, hi = max(0, start - 4), min(len(text), end + 4)
    for word, ws, we in segmenter.tokens(text[lo:hi], lo):
        if len(word) < 2 or not segmenter.is_word(word):
            continue
        if (left and ws < start < we) or (right and ws < end < we):
            return True
    return False


@cache
def _is_generic(piece: str, words: frozenset[str]) -> bool:
    """`piece` is made of generic and industry words only (传统能源, 新能源科技)."""
    ok = [True] + [False] * len(piece)
    for end in range(1, len(piece) + 1):
        ok[end] = any(ok[b] and piece[b:end] in words for b in range(max(0, end - 6), end))
    return ok[-1]


def _is_place(word: str) -> bool:
    return segmenter.tag(word) == "ns" or _PLACE_WORD.fullmatch(word) is not None


def _leading_place(name: str) -> str:
    """The place a name starts with (杭州, 内蒙古, 汕头市), or ""."""
    words = segmenter.words(name[:12])
    if words and len(words[0]) >= 2 and _is_place(words[0]):
        return words[0]
    place = _PLACE_WORD.match(name)
    return place.group() if place else ""


class _Taken:
    """Sorted, non-overlapping ORG spans: what is already taken."""

    def __init__(self, spans: Iterable[Span]) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for sp in sorted(spans, key=lambda s: s.start):
            self.add(sp.start, sp.end)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, start)
        return (i < len(self.starts) and self.starts[i] < end) or (i > 0 and self.ends[i - 1] > start)

    def ends_at(self, pos: int) -> bool:
        i = bisect.bisect_left(self.ends, pos)
        return i < len(self.ends) and self.ends[i] == pos

    def starts_at(self, pos: int) -> bool:
        i = bisect.bisect_left(self.starts, pos)
        return i < len(self.starts) and self.starts[i] == pos

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)

    def remove(self, start: int, end: int) -> None:
        i = bisect.bisect_left(self.starts, start)
        if i < len(self.starts) and self.starts[i] == start and self.ends[i] == end:
            del self.starts[i], self.ends[i]

    def listed_with(self, text: str, start: int, end: int) -> bool:
        """[start, end) is an item of a list (、 及 和 以及) next to a taken span."""
        before = _LIST_BEFORE.search(text, max(0, start - 4), start)
        if before and self.ends_at(before.start()):
            return True
        after = _LIST_AFTER.match(text, end)
        return after is not None and self.starts_at(after.end())


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """[start, end) lies inside one of `spans` (sorted, not overlapping)."""
    i = bisect.bisect_right(spans, (start, 1 << 60)) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]


def _function_word(word: str, rs: OrgRules) -> bool:
    """A word of two or more characters with a function or verb tag, unless it is rare (立升 is
    tagged a verb, but it is a name)."""
    return (len(word) > 1 and segmenter.tag(word) in rs.brand_stop_tags
            and (segmenter.get_jieba().dt.FREQ.get(word) or 0) >= rs.weak_brand_freq)


def _brand_ok(brand: str, rs: OrgRules) -> bool:
    """A brand is a name: letters only, no function characters or verbs, not a category word."""
    return (all(_NAME_CHAR.match(c) for c in brand) and _HAN.search(brand) is not None
            and not rs.brand_veto.search(brand)
            and not any(c in rs.brand_stop_chars for c in brand)
            and not any(_function_word(w, rs) for w in (brand, *segmenter.words(brand)))
            and not _is_generic(brand, rs.generic_words))


def _acts(text: str, start: int, end: int, rs: OrgRules) -> bool:
    """The name at [start, end) stands in an acting context (…董事长, 由…, 与…签约)."""
    if rs.agent_after.match(text, end):
        return True
    return rs.agent_before.search(text, max(0, start - 6), start) is not None


# --- the rules -------------------------------------------------------------------------------


def _known(text: str, rs: OrgRules) -> list[Span]:
    out = []
    for m in rs.known.finditer(text):
        start, end = m.span()
        if start > 0 and _LATIN.match(text[start]) and _LATIN.match(text[start - 1]):
            continue
        if text.startswith("中国", start - 2) and not m.group().startswith("中国"):
            start -= 2  # 中国|葛洲坝集团
        end = rs.known_rest.match(text, end).end()
        if (rs.known_blocked.match(text, end) or rs.person_title_before.search(text, max(0, start - 4), start)
                or _crosses_word(text, start, end)):
            continue
        out.append(Span("ORG", start, end, value=text[start:end], rule="org-known"))
    return out


def _brand_start(text: str, ind_start: int, rs: OrgRules) -> tuple[int, int, str] | None:
    """(name start, brand start, the word before) of the brand left of an industry word, or None."""
    lo = ind_start
    floor = max(0, ind_start - _BRAND_WINDOW)
    while lo > floor and not _CLAUSE_MARK.match(text[lo - 1]):
        lo -= 1
    if ind_start - lo < 2:
        return None
    tokens = segmenter.tokens(text[lo:ind_start], lo)
    brand_start = ind_start
    before = ""
    i = len(tokens) - 1
    while i >= 0:
        word, ws, _we = tokens[i]
        if len(word) > 1 and word[0] in rs.glued_stops and not segmenter.is_word(word):
            word, ws, before = word[1:], ws + 1, word[0]  # 由昕|达: the segmenter glued 由 to the brand
            if ind_start - ws <= _MAX_BRAND:
                brand_start = ws
            break
        if (not _NAME_CHAR.match(word) or any(c in rs.brand_stop_chars for c in word)
                or _function_word(word, rs) or rs.agent_before.search(word)
                or word in rs.brand_stop_words):
            before = word
            break
        if ind_start - ws > _MAX_BRAND:
            break
        brand_start = ws
        i -= 1
    if ind_start - brand_start < 2:
        return None
    name_start = brand_start
    if i >= 0 and not before:  # the walk stopped on length: a place may lead (内蒙古伊泰化工)
        word, ws, _we = tokens[i]
        if not _is_place(word):
            return None
        name_start = ws
        before = tokens[i - 1][0] if i > 0 else ""
    return name_start, brand_start, before


def _is_common(brand: str, rs: OrgRules) -> bool:
    """The brand is (or starts with) an everyday word (外地, 试点), not a coined name."""
    freq = segmenter.get_jieba().dt.FREQ
    words = segmenter.words(brand)
    if len(words) > 1 and _is_place(words[0]):  # 台湾|立升: the word after the place decides
        words = words[1:]
        brand = "".join(words)
    first = words[0]
    return max(freq.get(brand) or 0, freq.get(first) or 0 if len(first) >= 2 else 0) >= rs.common_word_freq


def _is_word_before_weak(brand: str, industry: str, rs: OrgRules) -> bool:
    """A dictionary word before a word that also ends category phrases (负极|材料企业)."""
    if not any(w in industry for w in rs.weak_industry):
        return False
    freq = segmenter.get_jieba().dt.FREQ
    words = segmenter.words(brand)
    if len(words) > 1 and _is_place(words[0]):  # 台湾|立升投资控股集团: the place does not count
        words = words[1:]
        brand = "".join(words)
    return any((freq.get(w) or 0) >= rs.weak_brand_freq for w in (brand, *words) if len(w) > 1)


def _brands(text: str, projects: list[tuple[int, int]],
            rs: OrgRules) -> tuple[list[Span], list[Span], list[tuple[int, int]]]:
    """Brand + industry names in an acting context; those that are names but lack the context; and
    the industry words with only a list separator near them, left for the list pass to look at."""
    out: list[Span] = []
    weak: list[Span] = []
    listed_only: list[tuple[int, int]] = []
    covered = -1
    for word in rs.industry_scan.finditer(text):  # literal words first: stdlib `re` scans them fast
        if word.start() < covered:
            continue
        m = rs.industry.match(text, word.start())
        if m is None:
            continue
        covered = m.end()
        if rs.industry_blocker.match(text, m.end()):
            continue
        window = max(0, m.start() - _BRAND_WINDOW - 6)
        if not (rs.agent_after.match(text, m.end()) or rs.place_agent_after.match(text, m.end())
                or rs.agent_cue.search(text, window, m.start())):
            if _LIST_AFTER.match(text, m.end()) or _LIST_MARK.search(text, window, m.start()):
                listed_only.append((m.start(), m.end()))
            continue  # no context that could make it a name: skip the segmentation
        found = _brand(text, m.start(), m.end(), projects, rs)
        if found is not None:
            (out if found[1] else weak).append(found[0])
    return out, weak, listed_only


def _brand(text: str, start: int, end: int, projects: list[tuple[int, int]],
           rs: OrgRules) -> tuple[Span, bool] | None:
    """The name ending in the industry word at [start, end) and whether its context proves it."""
    found = _brand_start(text, start, rs)
    if found is None:
        return None
    name_start, brand_start, _before = found
    if _inside(projects, name_start, end):
        return None  # inside a project name it is an ORG only where the article also uses it alone
    brand = text[brand_start:start]
    industry = text[start:end]
    place = _leading_place(brand)
    rest = brand[len(place):]
    if (not _brand_ok(brand, rs) or _is_generic(brand + industry, rs.generic_words)
            or (rest and _is_generic(rest, rs.generic_words)) or _crosses_word(text, name_start, end)):
        return None
    if _is_place(brand) and any(w in industry for w in rs.category_industry):
        return None  # 中国企业, 美国集团: a category of companies
    span = Span("ORG", name_start, end, value=text[name_start:end], rule="org-brand")
    if _is_place(brand) or _is_common(brand, rs) or _is_word_before_weak(brand, industry, rs):
        return (span, True) if rs.place_agent_after.match(text, end) else None
    return span, _acts(text, name_start, end, rs)


def _listed(text: str, rs: OrgRules) -> list[Span]:
    """A name with a stock code or announcing something (士兰微发布公告称, 心连心<01866.HK>), no industry word."""
    out = []
    for m in rs.listed_after.finditer(text):
        found = _brand_start(text, m.start(), rs)
        if found is None:
            continue
        name_start, brand_start, _before = found
        brand = text[brand_start:m.start()]
        if (not all(_NAME_CHAR.match(c) for c in brand) or not _HAN.search(brand)
                or any(c in rs.brand_stop_chars for c in brand)
                or _is_generic(brand, rs.generic_words) or _is_place(brand) or _is_common(brand, rs)
                or _crosses_word(text, name_start, m.start())
                or rs.person_title_before.search(text, max(0, name_start - 4), name_start)):
            continue
        out.append(Span("ORG", name_start, m.start(), value=text[name_start:m.start()], rule="org-listed"))
    return out


def _institutions(text: str, projects: list[Span], rs: OrgRules) -> list[Span]:
    out = []
    for p in projects:
        m = rs.institution.match(text, p.start, p.end)
        if m and m.end() < p.end:
            start = m.start()
            ordinal = _ORDINAL_BEFORE.search(text, max(0, start - 12), start)  # 曲靖市第一|人民医院
            if ordinal:
                start = ordinal.start()
            out.append(Span("ORG", start, m.end(), value=text[start:m.end()], rule="org-institution"))
    return out


def _owners_with_place(text: str, projects: list[Span], rs: OrgRules) -> list[Span]:
    """合肥丰华汽车零部件(遂宁)商用车...项目 -> 合肥丰华汽车零部件, the owner of its plant in 遂宁."""
    out = []
    for p in projects:
        m = rs.owner_with_place.match(text, p.start, p.end)
        if not m or not _is_place(m.group(2)):
            continue
        name = m.group(1)
        place = _leading_place(name)
        core = rs.industry_tail.sub("", name[len(place):]) if place != name else name
        if core and _brand_ok(core.replace("-", ""), rs) and not _is_place(core):
            out.append(Span("ORG", m.start(1), m.end(1), value=name, rule="org-owner"))
    return out


def _latin_aliases(text: str, orgs_found: list[Span], taken: _Taken, rs: OrgRules) -> list[Span]:
    """沃旭能源（Ørsted）: the Latin name in brackets after an ORG."""
    out = []
    for sp in orgs_found:
        m = rs.latin_alias.match(text, sp.end)
        if m and (len(m.group(1)) > 4 or not m.group(1).isupper()) and not taken.overlaps(m.start(1), m.end(1)):
            taken.add(m.start(1), m.end(1))
            out.append(Span("ORG", m.start(1), m.end(1), value=m.group(1), rule="org-alias"))
    return out


def _short_forms(name: str, rs: OrgRules) -> list[str]:
    """Shorter names of one company: no legal suffix, no leading place, no industry words."""
    core = _BRACKETED.sub("", name)
    while (m := rs.legal_suffix.search(core)) and m.start() >= 2:
        core = core[:m.start()]
    forms = [core]
    place = _leading_place(core)
    if place and len(core) - len(place) >= 2:
        forms.append(core[len(place):])
    last = forms[-1]
    tail = rs.industry_tail.search(last)
    if tail:
        for k in range(len(last) - 1, tail.start() - 1, -1):  # 锐晶微电子 -> 锐晶微, 锐晶
            if k >= 2 and rs.industry_tail.fullmatch(last, k):
                forms.append(last[:k])
                for word, short in rs.short_industry.items():  # 锦洋新材料 -> 锦洋新材
                    if last.endswith(word) and k == len(last) - len(word):
                        forms.append(last[:k] + short)
    return [f for f in dict.fromkeys(forms)
            if f != name and len(f) >= rs.min_short and _brand_ok(f, rs) and not _is_place(f)
            and not _is_common(f, rs)
            and (segmenter.get_jieba().dt.FREQ.get(f) or 0) < rs.short_form_max_freq]


def _names_one_company(name: str, rs: OrgRules) -> bool:
    """The name without legal suffix, leading place and industry words still says which company."""
    core = _BRACKETED.sub("", name)
    while (m := rs.legal_suffix.search(core)) and m.start() >= 1:
        core = core[:m.start()]
    tail = rs.industry_tail.search(core)
    if tail and tail.start() >= 1:
        core = core[:tail.start()]
    place = _leading_place(core)
    if place and len(core) > len(place):
        core = core[len(place):]
    return (_brand_ok(core, rs) and not _is_common(core, rs)
            and (segmenter.get_jieba().dt.FREQ.get(core) or 0) < rs.short_form_max_freq)


def _occurrences(text: str, form: str) -> list[int]:
    out = []
    i = text.find(form)
    while i >= 0:
        out.append(i)
        i = text.find(form, i + len(form))
    return out


def _place_before(text: str, start: int, taken: _Taken) -> int:
    """Where a short name begins when a place is written right before it (厦门士兰微)."""
    for k in (3, 2):
        if start - k >= 0 and segmenter.tag(text[start - k:start]) == "ns" and not taken.overlaps(start - k, start):
            return start - k
    return start


def _propagate(text: str, names: list[Span], taken: _Taken, projects: list[tuple[int, int]],
               rs: OrgRules) -> list[Span]:
    """Every other occurrence of the article's ORG names and of their short forms."""
    out: list[Span] = []
    forms: dict[str, bool] = {}  # form -> it is the name itself (no "on its own" test needed)
    for sp in names:
        name = text[sp.start:sp.end]
        if sp.rule not in _OWN_RULES and not _names_one_company(name, rs):
            continue  # 基金公司, 大盘蓝筹公司: a kind of company, not a name
        forms[name] = forms.get(name, False) or sp.rule in _OWN_RULES
        if sp.rule != "org-known":  # the short names of known companies are known themselves
            for f in _short_forms(name, rs):
                forms.setdefault(f, False)
    for form in sorted(forms, key=len, reverse=True):
        occurrences = _occurrences(text, form)
        places = [i for i in occurrences if not taken.overlaps(i, i + len(form))
                  and (_inside(projects, i, i + len(form))  # 义美|食品 outside a project name: a longer name
                       or not rs.industry.match(text, i + len(form)))
                  and (len(form) >= 4 or not _crosses_word(text, i, i + len(form)))]
        if not places:
            continue
        proven = forms[form] or any(taken.starts_at(i) and taken.ends_at(i + len(form)) for i in occurrences)
        if not proven:
            alone = [i for i in places if not _inside(projects, i, i + len(form))
                     and _acts(text, i, i + len(form), rs)
                     and not rs.person_title_before.search(text, max(0, i - 4), i)]
            if not alone:
                continue
        for i in places:
            start = _place_before(text, i, taken)
            taken.add(start, i + len(form))
            out.append(Span("ORG", start, i + len(form), value=text[start:i + len(form)], rule="org-short"))
    return out


def find_orgs(text: str, spans: list[Span]) -> list[Span]:
    """ORG spans of `text` (working text) that are not among the ORG `spans` already found."""
    rs = rules()
    found_orgs = [s for s in spans if s.label == "ORG"]
    projects = sorted((s for s in spans if s.label == "PROJECT"), key=lambda s: s.start)
    project_ranges = [(s.start, s.end) for s in projects]
    taken = _Taken(found_orgs)
    added: list[Span] = []
    brands, unproven, listed_only = _brands(text, project_ranges, rs)
    candidates = (_known(text, rs) + _institutions(text, projects, rs) + _owners_with_place(text, projects, rs)
                  + brands + _listed(text, rs))
    for sp in sorted(candidates, key=lambda s: (s.start, -(s.end - s.start))):
        if not taken.overlaps(sp.start, sp.end):
            taken.add(sp.start, sp.end)
            added.append(sp)
    added += _propagate(text, found_orgs + added, taken, project_ranges, rs)
    listed = []  # names without context of their own listed with a found one (力成科技、台塑...)
    for start, end in listed_only:  # only where a found name is near enough to be listed with it
        if taken.overlaps(max(0, start - _BRAND_WINDOW - 8), start) or taken.overlaps(end, end + 4):
            found = _brand(text, start, end, project_ranges, rs)
            if found is not None:
                unproven.append(found[0])
    for sp in unproven:
        inner = _known_inside(added, sp.start, sp.end)  # 台塑 in 台塑大金精密化学
        for k in inner:
            taken.remove(k.start, k.end)
        if not taken.overlaps(sp.start, sp.end) and taken.listed_with(text, sp.start, sp.end):
            taken.add(sp.start, sp.end)
            listed.append(sp)
            added = [a for a in added if a not in inner]
        else:
            for k in inner:
                taken.add(k.start, k.end)
    added += listed + _propagate(text, listed, taken, project_ranges, rs)
    added = _widen_known(text, added, taken)
    added += _latin_aliases(text, found_orgs + added, taken, rs)
    return sorted(added, key=lambda s: (s.start, -s.end))


def _known_inside(spans: list[Span], start: int, end: int) -> list[Span]:
    """The known names that begin a longer name at [start, end) (台塑 of 台塑大金精密化学)."""
    return [k for k in spans if k.rule == "org-known" and k.start == start and k.end < end]


def _widen_known(text: str, added: list[Span], taken: _Taken) -> list[Span]:
    """Where a longer name of this stage is written again, it replaces the known name inside it."""
    known = {s.value for s in added if s.rule == "org-known"}
    longer = {text[s.start:s.end] for s in added if s.rule != "org-known"}
    longer = {n for n in longer if any(n.startswith(k) and k != n for k in known)}
    for name in sorted(longer, key=len, reverse=True):
        for i in _occurrences(text, name):
            inner = _known_inside(added, i, i + len(name))
            if not inner:
                continue
            for k in inner:
                taken.remove(k.start, k.end)
            if taken.overlaps(i, i + len(name)):
                for k in inner:
                    taken.add(k.start, k.end)
                continue
            taken.add(i, i + len(name))
            added = [a for a in added if a not in inner]
            added.append(Span("ORG", i, i + len(name), value=name, rule="org-short"))
    return added


def recognize(doc: Doc) -> None:
    """Pipeline stage: add ORG spans without a legal suffix to `doc.spans`."""
    doc.spans.extend(find_orgs(doc.text, doc.spans))
