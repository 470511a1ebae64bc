"""One record per distinct project: aliases clustered, company, location and facts (SPEC section 2).

The stage reads the PROJECT, ORG, MONEY, CAPACITY, DATE and JOBS spans of a `Doc` and appends one
`ProjectDraft` per project:

* names are clustered when they are leniently equal (the scorer's rule), when one's core (the name
  without 项目/工程) contains the other's, when one abbreviates the other (中交能源烟台LNG项目 of
  烟台港西港区液化天然气(LNG)接收站项目), or when both start with the same company brand and
  carry the same phase (万锂泰二期项目 = 七台河万锂泰电材有限公司...二期); names with different
  phases, figures or leading places never merge;
* a fact goes to the project named in its sentence (inside the name, in the same clause, or the
  nearest name before it, shared by coordinated names, or each project listed after a figure that
  describes them: …的项目有2项，分别为A和B), or, in a sentence naming no project, to the project last
  named when the sentence refers back to it (该项目, 这家公司, 建成后) or continues its paragraph;
  the day several projects started or signed together goes to each;
* a bare phase (一期项目投资9亿元) takes the figures of its sentence and of the sentences continuing
  it, but a reference back (项目全部达产后, 该公司) after it points to the whole project;
* figures of a region, a group of projects or companies (全市, 15个重点项目, 2家业者), campaign labels,
  report, status and founding dates, periods of statistics (今年计划投资), ratings per unit or
  phase, old capacities of expanded plants, capital raised, a company's own figures when it has
  several projects, and figures of a sentence opened by another company are facts of no project.
All cue words are data (`data/records.yaml`).
"""

from __future__ import annotations

import bisect
import itertools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import regex

from extractor import segmenter
from extractor.document import Doc, FactDraft, ProjectDraft, Span
from extractor.numerals import parse_number
from extractor.patterns import alternation
from extractor.scoring import name_score
from extractor.tables import load_table

FACT_LABELS = ("MONEY", "CAPACITY", "DATE", "JOBS")
_CLAUSE_BREAK = regex.compile(r"[，,；;：:]")
_LATIN = regex.compile(r"[A-Za-z]{2,}")
_FIGURE = regex.compile(r"[A-Za-z\d]+(?:\.\d+)?")
_NOT_NAME_CHAR = regex.compile(r"[^\p{Han}\p{L}\p{N}]")
_PLACE = regex.compile(r"^\p{Han}{2,10}?(?:省|市|县|区|州|镇|乡|旗|盟)")
_LOCATED = regex.compile(r"(?:位于|位於|落户|坐落于|地处|选址(?:于|在|位于)?(?![及和与地]))"  # not 选址地块, 选址及…
                         r"([\p{Han}\d]{2,24}?)(?=[，,。；;、]|的|$|，)")
_NAME_PLACE = regex.compile(r"^(?:\p{Han}{2,3}(?:省|自治区))?\p{Han}{2,4}?(?:市|县|区|州|镇|乡|旗|盟)(?!园|区)")
_LOCATION_NOISE = regex.compile(r"^(?:在|于)|(?:境内|内|一带)$")
_LINE_START = regex.compile(r"(?:^|\n)[ \t\u3000]*$")
_LINE_END = regex.compile(r"[ \t\u3000]*(?:\n|$)")
_HAN = regex.compile(r"\p{Han}")
_NOT_SUBJECT_LEAD = regex.compile(r"[\s“”\"「」（）()]|而|则|另外|此外|同时")
_ORG_SUFFIX = regex.compile(r"(?:股份有限公司|有限责任公司|有限公司|控股集团|集团|公司)$")


@dataclass(frozen=True, slots=True)
class RecordRules:
    name_suffixes: tuple[str, ...]
    phase: regex.Pattern[str]
    anaphors: regex.Pattern[str]
    group_cues: regex.Pattern[str]
    campaign_after: regex.Pattern[str]
    per_unit_before: regex.Pattern[str]
    reporting_after: regex.Pattern[str]
    status_before: regex.Pattern[str]
    together: regex.Pattern[str]
    continuation_sentences: int
    bare_phase_name: regex.Pattern[str]
    together_count: regex.Pattern[str]
    company_capacity_before: regex.Pattern[str]
    company_present: regex.Pattern[str]
    period_after: regex.Pattern[str]
    company_anaphors: regex.Pattern[str]
    period_statistic: regex.Pattern[str]
    listed_after: regex.Pattern[str]
    superseded_after: regex.Pattern[str]
    whole_anaphors: regex.Pattern[str]
    raising_before: regex.Pattern[str]
    group_member_before: regex.Pattern[str]
    group_member_after: regex.Pattern[str]
    route: regex.Pattern[str]


@cache
def rules() -> RecordRules:
    t = load_table("records")

    def alt(words: list[str]) -> regex.Pattern[str]:
        return regex.compile(alternation(words))

    return RecordRules(
        name_suffixes=tuple(sorted(t["name_suffixes"], key=len, reverse=True)),
        phase=regex.compile(t["phase"]),
        anaphors=alt(t["anaphors"]),
        group_cues=regex.compile(t["group_cues"]),
        campaign_after=regex.compile(t["campaign_after"]),
        per_unit_before=regex.compile(t["per_unit_before"]),
        reporting_after=regex.compile(t["reporting_after"]),
        status_before=regex.compile(t["status_before"]),
        together=regex.compile(t["together"]),
        continuation_sentences=t["continuation_sentences"],
        bare_phase_name=regex.compile(t["bare_phase_name"]),
        together_count=regex.compile(t["together_count"]),
        company_capacity_before=regex.compile(t["company_capacity_before"]),
        company_present=regex.compile(t["company_present"]),
        period_after=regex.compile(t["period_after"]),
        company_anaphors=regex.compile(t["company_anaphors"]),
        period_statistic=regex.compile(t["period_statistic"]),
        listed_after=regex.compile(t["listed_after"]),
        superseded_after=regex.compile(t["superseded_after"]),
        whole_anaphors=regex.compile(t["whole_anaphors"]),
        raising_before=regex.compile(t["raising_before"]),
        group_member_before=regex.compile(t["group_member_before"]),
        group_member_after=regex.compile(t["group_member_after"]),
        route=regex.compile(t["route"]),
    )


def norm_name(name: str) -> str:
    """A name as compared: NFKC, without whitespace and punctuation."""
    return _NOT_NAME_CHAR.sub("", unicodedata.normalize("NFKC", name))


def lenient_same(a: str, b: str) -> bool:
    """The scorer's lenient name rule (SPEC section 4)."""
    return name_score(a, b) > 0


@dataclass(slots=True)
class _Name:
    """What alias clustering needs to know about one distinct project name."""

    text: str
    core: str
    phases: frozenset[str]
    figures: frozenset[str]
    brand: str | None
    place: str
    route: tuple[str, str] | None = None


@dataclass(slots=True)
class _Cluster:
    names: list[_Name]
    mentions: list[Span] = field(default_factory=list)


def _core(name: str, rs: RecordRules) -> str:
    core = norm_name(name)
    changed = True
    while changed:
        changed = False
        for suffix in rs.name_suffixes:
            if core.endswith(suffix) and len(core) > len(suffix):
                core = core[: -len(suffix)]
                changed = True
    return core


def _leading_place(name: str) -> str:
    """The place a name starts with (七台河, 山东, 汕头市), or ""."""
    words = segmenter.words(name[:12])
    if words and len(words[0]) >= 2 and (segmenter.tag(words[0]) == "ns" or _PLACE.fullmatch(words[0])):
        return words[0]
    place = _PLACE.match(name)
    return place.group() if place else ""


def _brand(org: str) -> str:
    """A company name without legal suffix and leading place (七台河万锂泰电材有限公司 -> 万锂泰电材)."""
    core = _ORG_SUFFIX.sub("", norm_name(org))
    place = _leading_place(core)
    if place and len(core) - len(place) >= 2:
        core = core[len(place):]
    return core


def _brand_index(brands: set[str]) -> dict[str, list[str]]:
    """Brands by their first three characters (two for two-character brands), longest first."""
    index: dict[str, list[str]] = {}
    for b in sorted(brands, key=len, reverse=True):
        if len(b) >= 2:
            index.setdefault(b[:3], []).append(b)
    return index


def _describe(name: str, brands: dict[str, list[str]], rs: RecordRules) -> _Name:
    core = _core(name, rs)
    place = _leading_place(core)
    found = [b for candidate in (core, core[len(place):]) for key in (candidate[:3], candidate[:2])
             for b in brands.get(key, ()) if len(b) >= 3 or candidate.startswith(b)]
    brand = max(found, key=len) if found else None
    route = rs.route.search(core)
    return _Name(name, core, frozenset(rs.phase.findall(core)), frozenset(_FIGURE.findall(core)), brand, place,
                 route.groups() if route else None)


def _same_end(a: str, b: str) -> bool:
    return a.endswith(b) or b.endswith(a)


def _same_brand(a: str | None, b: str | None) -> bool:
    return bool(a and b and (a.startswith(b) or b.startswith(a) or a[:3] == b[:3]))


def _aliases(a: _Name, b: _Name) -> bool:
    """Whether two names denote the same project."""
    if a.phases != b.phases:
        return False
    if a.figures and b.figures and a.figures != b.figures:
        return False
    if a.place and b.place and a.place not in b.core and b.place not in a.core:
        return False
    if a.route and b.route and not (_same_end(a.route[0], b.route[0]) and _same_end(a.route[1], b.route[1])):
        return False  # 甲至乙高速 and 丙至乙高速 are two roads
    if lenient_same(a.text, b.text):
        return True
    short, long_ = sorted((a.core, b.core), key=len)
    if len(short) >= 2 and short in long_:
        return True
    if bool(a.phases) and _same_brand(a.brand, b.brand):
        return True
    return _abbreviates(a, b) or _abbreviates(b, a)


def _abbreviates(a: _Name, b: _Name) -> bool:
    """`a` (brand dropped) is `b` with characters left out, same first character (烟台LNG接收站 of
    烟台港西港区液化天然气(LNG)接收站)."""
    long_ = b.core[len(b.brand):] if b.brand and b.core.startswith(b.brand) else b.core
    for short in _without_owner(a):
        if 4 <= len(short) < len(long_) and short[0] == long_[0]:
            it = iter(long_)
            if all(ch in it for ch in short):
                return True
    return False


def _without_owner(n: _Name) -> list[str]:
    """The core of a name, and the core without an owner prefix (a brand, or two to four leading
    characters before a place or a Latin code: 中交能源烟台LNG -> 烟台LNG)."""
    out = [n.core]
    if n.brand and n.core.startswith(n.brand):
        out.append(n.core[len(n.brand):])
    for k in range(2, 5):
        rest = n.core[k:]
        if len(rest) >= 4 and (_leading_place(rest) or _LATIN.search(rest)):
            out.append(rest)
    return out


def same_project(names_a: Iterable[str], names_b: Iterable[str], orgs: Iterable[str] = ()) -> bool:
    """Whether two lists of names (a record's name and aliases) denote one project, by the alias
    rules used inside an article; `orgs` are the company names known around them."""
    rs = rules()
    brands = _brand_index({_brand(o) for o in orgs} - {""})
    described = [_describe(b, brands, rs) for b in names_b]
    return any(_aliases(_describe(a, brands, rs), d) for a in names_a for d in described)


def _cluster(projects: list[Span], orgs: list[Span], text: str, rs: RecordRules) -> list[_Cluster]:
    brands = _brand_index({_brand(text[o.start:o.end]) for o in orgs} - {""})
    clusters: list[_Cluster] = []
    home: dict[str, _Cluster] = {}  # distinct name -> its cluster
    for sp in projects:
        name = text[sp.start:sp.end]
        if name in home:
            home[name].mentions.append(sp)
            continue
        n = _describe(name, brands, rs)
        hits = [c for c in clusters if any(_aliases(n, m) for m in c.names)]
        if not hits:
            clusters.append(_Cluster([n], [sp]))
            home[name] = clusters[-1]
            continue
        first = hits[0]
        for other in hits[1:]:  # the new name joins clusters that were apart
            first.names.extend(other.names)
            first.mentions.extend(other.mentions)
            clusters.remove(other)
            for m in other.names:
                home[m.text] = first
        first.names.append(n)
        first.mentions.append(sp)
        home[name] = first
    return clusters


def _sentence_of(sentences: tuple[tuple[int, int], ...], pos: int) -> int:
    lo, hi = 0, len(sentences)
    while lo < hi:
        mid = (lo + hi) // 2
        if sentences[mid][1] <= pos:
            lo = mid + 1
        else:
            hi = mid
    return min(lo, len(sentences) - 1)


def _clause(text: str, start: int, end: int, sent: tuple[int, int]) -> tuple[int, int]:
    """The clause (between commas/semicolons) of the sentence holding [start, end)."""
    lo = sent[0]
    for m in _CLAUSE_BREAK.finditer(text, sent[0], start):
        lo = m.end()
    nxt = _CLAUSE_BREAK.search(text, end, sent[1])
    return lo, (nxt.start() if nxt else sent[1])


def _value_key(sp: Span) -> tuple:
    value = round(float(sp.value), 6) if isinstance(sp.value, int | float) else sp.value
    return (sp.label, value, sp.unit, sp.per)


def _skip_fact(sp: Span, text: str, sent: tuple[int, int], rs: RecordRules, several: bool = False) -> bool:
    """A mention that is a fact of no project: a campaign label (“7·18”), a report, status or founding
    date, the period of a statistic (今年计划投资), a per-unit rating, the old capacity of an expanded
    plant, capital raised, or a company's capacity (when the article names `several` projects, or
    the present total is meant)."""
    if sp.label == "DATE":
        after = min(sent[1], sp.end + 16)
        quoted = text[sp.start - 1:sp.start] in ("“", '"') and text[sp.end:sp.end + 1] in ("”", '"')
        return bool(quoted or rs.campaign_after.match(text, sp.end, after)
                    or rs.reporting_after.match(text, sp.end, after) or rs.period_after.match(text, sp.end, after)
                    or rs.status_before.search(text, max(sent[0], sp.start - 6), sp.start))
    if sp.label == "MONEY":
        return bool(rs.raising_before.search(text, max(sent[0], sp.start - 12), sp.start))
    if sp.label != "CAPACITY":
        return False
    if rs.per_unit_before.search(text, max(sent[0], sp.start - 8), sp.start) or rs.superseded_after.match(
            text, sp.end, min(sent[1], sp.end + 8)):
        return True
    lo = _clause(text, sp.start, sp.end, sent)[0]
    company = rs.company_capacity_before.search(text, lo, sp.start)
    return bool(company and (several or rs.company_present.search(text, sent[0], sp.start)))


def _owners(sp: Span, text: str, sent_idx: int, sent: tuple[int, int], by_sentence: dict[int, list],
            focus: tuple[Span, _Cluster] | None, focus_sentence: int, clusters: list[_Cluster],
            rs: RecordRules, whole: _Cluster | None = None, other_subject: int = -1,
            several: bool = False) -> list[_Cluster]:
    """The projects a fact span belongs to (usually one, none for group figures); `whole` is the
    project a reference back (项目, 该公司) points to when that is not the project last named;
    `other_subject`: where the company the sentence opens with ends, when it is not named with the
    project last named (-1 otherwise); `several`: the article names several projects besides phases."""
    referred = whole or (focus[1] if focus else None)
    here = by_sentence.get(sent_idx, [])
    for mention, cluster in here:
        if mention.start <= sp.start and sp.end <= mention.end:
            return [cluster]
    named = {id(c) for _, c in here}
    if sp.label == "DATE" and _is_day(sp) and _together(text, sent, len(clusters), len(named), rs):
        if len(named) > 1 or _group(text, sent[0], sent[1], rs):
            return list(clusters)  # the day the article's projects started or signed together
    here = _prefer_nested(here, text)
    if here:
        lo, hi = _clause(text, sp.start, sp.end, sent)
        in_clause = [(m, c) for m, c in here if lo <= m.start < hi]
        if in_clause:
            before = [(m, c) for m, c in in_clause if m.end <= sp.start]
            return [(before[-1] if before else in_clause[0])[1]]
        before = [(m, c) for m, c in here if m.end <= sp.start]
        if before:
            if _group(text, before[-1][0].end, sp.start, rs) or _group(text, lo, hi, rs):
                return []  # …举行集中开工仪式，二季度共有7个项目集中开工: the figure's own clause is a group's
            if whole is not None and whole is not before[-1][1] and rs.whole_anaphors.search(
                    text, before[-1][0].end, sp.start):
                return [whole]  # 一期生产线投资1.5亿元，“项目全部达产后，年产值10亿元”: the whole project
            return _coordinated(before, text)
        listed = _listed_after(here, sp, text, rs)
        if listed:
            return listed
        if _group(text, sent[0], sp.start, rs):
            return []
        if referred is not None and rs.anaphors.search(text, sent[0], sp.start):
            return [referred]  # 项目位于...，总投资51亿元，将建设X物流中心: the project referred back to
        return [here[0][1]]
    lo, hi = _clause(text, sp.start, sp.end, sent)
    if _group(text, sent[0], sent[1], rs):
        return []
    headline = _headline_subject(sent_idx, sent, by_sentence)
    if focus is None or (headline and _own_line(text, sent) and "\n" in text[focus[0].end:sp.start]):
        return headline  # a headline line (总投资26亿元) over the story it opens, not the caption before it
    start = max(sent[0], other_subject)  # 乙公司 is no reference back to the project
    anaphor = rs.anaphors.search(text, start, sp.start) or rs.anaphors.search(text, max(lo, start), hi)
    if anaphor:
        for phase in rs.phase.findall(text, start, sp.start):  # 其中，一期项目投资…: the phase named so
            same_phase = [c for c in clusters if any(phase in n.phases for n in c.names)]
            if same_phase:
                return [same_phase[-1]]
        if several and _bare_company(anaphor, text, rs) and not any(
                not rs.company_anaphors.match(a.group()) for a in rs.anaphors.finditer(text, start, sp.start)):
            return []  # a figure of the company, which has several projects here (no 项目 either)
        return [referred or focus[1]]
    # no name and no reference back: the paragraph (or the next sentences) still speak of the
    # project last named, unless another company is the subject now (乙公司则将投资3亿元) or the figure is
    # a statistic of a period (1至4月已完成投资…)
    if other_subject >= 0 or (sp.label == "MONEY" and rs.period_statistic.search(text, sent[0], sp.start)):
        return []
    if "\n" not in text[focus[0].end:sp.start] or sent_idx - focus_sentence <= rs.continuation_sentences:
        return [focus[1]]
    return []


def _group(text: str, lo: int, hi: int, rs: RecordRules) -> bool:
    """[lo, hi) speaks of a region or a group of projects (not of one ranked among them: 第二个项目,
    第一批…项目之一)."""
    for m in rs.group_cues.finditer(text, lo, hi):
        if not (rs.group_member_before.search(text, max(0, m.start() - 2), m.start())
                or rs.group_member_after.match(text[m.end():m.end() + 16])):
            return True
    return False


def _whole(last: int, focus_points: list[Span], owner: dict[int, _Cluster], bare: set[int]) -> _Cluster:
    """The project a reference back (项目全部达产后, 该公司) points to: the one last named, or, when that is
    a bare phase (一期项目), the whole project named before it (a phase is referred back to by its phase
    word, 二期投产后)."""
    for m in reversed(focus_points[:last + 1]):
        if id(owner[id(m)]) not in bare:
            return owner[id(m)]
    return owner[id(focus_points[last])]


def _together(text: str, sent: tuple[int, int], n_projects: int, n_named: int, rs: RecordRules) -> bool:
    """The sentence tells of projects started or signed together (集中开工), or of a number of projects
    that it names (10个项目开工，包括A、B…) or that the article names (两个项目 with two named; not
    21个项目签订 with one named elsewhere)."""
    if rs.together.search(text, sent[0], sent[1]):
        return True
    count = rs.together_count.search(text, sent[0], sent[1])
    number = parse_number(count.group(1)) if count else None
    return number is not None and number > 1 and (n_named > 1 or number <= n_projects)


def _sentence_openers(orgs: list[Span], sentences: tuple[tuple[int, int], ...], text: str) -> dict[int, Span]:
    """The company a sentence opens with (its subject), by sentence index."""
    out: dict[int, Span] = {}
    for o in orgs:
        idx = _sentence_of(sentences, o.start)
        if idx not in out and not _NOT_SUBJECT_LEAD.sub("", text[sentences[idx][0]:o.start]):
            out[idx] = o
    return out


def _other_subject(idx: int, sentences: tuple[tuple[int, int], ...], openers: dict[int, Span], focus: Span,
                   text: str) -> int:
    """Where the company a sentence opens with ends, when it is not named in the sentence of the
    project last named; else -1."""
    org = openers.get(idx)
    if org is None:
        return -1
    s = sentences[_sentence_of(sentences, focus.start)]
    name = text[org.start:org.end]
    brand = _brand(name)
    if name in text[s[0]:s[1]] or (brand and brand in text[s[0]:s[1]]):
        return -1
    return org.end


def _bare_company(anaphor: regex.Match[str], text: str, rs: RecordRules) -> bool:
    """A reference to the company alone (该公司, 去年公司实现…), not the end of a company's name (亚泥公司)."""
    if not rs.company_anaphors.match(anaphor.group()):
        return False
    before = text[anaphor.start() - 1:anaphor.start()] if anaphor.start() else ""
    return anaphor.group()[0] in "该这" or not _HAN.match(before) or before in "年月日"


def _is_day(sp: Span) -> bool:
    """A date of day precision (2019-12-23): the day several projects started or signed together."""
    return isinstance(sp.value, str) and sp.value.count("-") == 2


def _headline_subject(sent_idx: int, sent: tuple[int, int],
                      by_sentence: dict[int, list[tuple[Span, _Cluster]]]) -> list[_Cluster]:
    """A figure in a short headline line before any name (投资100亿元! / X项目签约): the project
    that opens the next line."""
    following = by_sentence.get(sent_idx + 1, [])
    if sent[1] - sent[0] <= 16 and following:
        return [following[0][1]]
    return []


def _own_line(text: str, sent: tuple[int, int]) -> bool:
    """The sentence is a line of its own (a headline), not part of a paragraph."""
    return bool(_LINE_START.search(text, max(0, sent[0] - 8), sent[0]) and _LINE_END.match(text, sent[1]))


def _coordinated(before: list[tuple[Span, _Cluster]], text: str) -> list[_Cluster]:
    """The project named last before a fact, with those coordinated with it (A和B, A、B)."""
    out = [before[-1][1]]
    for (m, c), (nxt, _) in zip(reversed(before[:-1]), reversed(before[1:]), strict=True):
        if text[m.end:nxt.start].strip() in ("和", "、", "及", "与", "以及", ",", "，") and c not in out:
            out.append(c)
        else:
            break
    return out


_LIST_JOINERS = ("、", "和", "及", "与", "以及")


def _listed_after(here: list[tuple[Span, _Cluster]], sp: Span, text: str, rs: RecordRules) -> list[_Cluster]:
    """The projects listed right after a figure (…的项目有2项，分别为A和B), else none."""
    after = [(m, c) for m, c in here if m.start >= sp.end]
    if not after or not rs.listed_after.match(text[sp.end:after[0][0].start]):
        return []
    out = [after[0][1]]
    for (m, _), (nxt, c) in itertools.pairwise(after):
        if text[m.end:nxt.start].strip() not in _LIST_JOINERS:
            break
        if c not in out:
            out.append(c)
    return out


def _list_members(projects: list[Span], text: str) -> set[int]:
    """Mentions that are items of a list of several projects (A、B和C): they do not become the
    project that later references back (该项目) point to."""
    members: set[int] = set()
    for a, b in itertools.pairwise(projects):
        if text[a.end:b.start].strip() in _LIST_JOINERS:
            members.update((id(a), id(b)))
    return members


def _prefer_nested(here: list[tuple[Span, _Cluster]], text: str) -> list[tuple[Span, _Cluster]]:
    """Drop a name followed by a bracketed narrower name (示范项目(一期...项目)): the narrower one counts."""
    out = []
    for i, (m, c) in enumerate(here):
        nxt = here[i + 1][0] if i + 1 < len(here) else None
        if nxt is not None and 0 < nxt.start - m.end <= 2 and text[m.end:nxt.start].strip() in ("(", "（"):
            continue
        out.append((m, c))
    return out


def _company(cluster: _Cluster, orgs: list[Span], text: str, sentences) -> str | None:
    """The company inside one of the project's names, else the one nearest to a name in its sentence."""
    starts = [o.start for o in orgs]  # orgs sorted by start

    def between(lo: int, hi: int) -> list[Span]:
        return orgs[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)]

    inside = [o for m in cluster.mentions for o in between(m.start, m.end) if o.end <= m.end]
    if inside:
        return max((text[o.start:o.end] for o in inside), key=len)
    brands = {n.brand for n in cluster.names if n.brand}
    owners = [text[o.start:o.end] for o in orgs if _brand(text[o.start:o.end]) in brands]
    if owners:  # 万锂泰二期项目 -> 七台河万锂泰电材有限公司
        return max(owners, key=len)
    for m in cluster.mentions:
        s = sentences[_sentence_of(sentences, m.start)]
        near = between(s[0], s[1])
        if near:
            nearest = min(near, key=lambda o: abs(o.start - m.start))
            return text[nearest.start:nearest.end]
    return None


def _location(cluster: _Cluster, text: str, sentences) -> str | None:
    """Where a project is: 位于/落户 X after one of its names, else the place its name starts with."""
    for m in cluster.mentions:
        s = sentences[_sentence_of(sentences, m.start)]
        found = _LOCATED.search(text, m.end, s[1])
        if found:
            return _LOCATION_NOISE.sub("", found.group(1)) or None
    for n in cluster.names:  # an administrative place the name starts with (勐海县..., 汕头市...)
        place = _NAME_PLACE.match(n.core)
        if place and len(place.group()) + 2 < len(n.core):
            return place.group()
    return None


def build(doc: Doc) -> None:
    """Pipeline stage: one ProjectDraft per distinct project, with its facts."""
    rs = rules()
    text = doc.text
    sentences = doc.working.sentences or ((0, len(text)),)
    projects = sorted(doc.spans_of("PROJECT"), key=lambda s: s.start)
    if not projects:
        return
    orgs = sorted(doc.spans_of("ORG"), key=lambda s: s.start)
    clusters = _cluster(projects, orgs, text, rs)
    openers = _sentence_openers(orgs, sentences, text)
    owner = {id(m): c for c in clusters for m in c.mentions}
    by_sentence: dict[int, list[tuple[Span, _Cluster]]] = {}
    for m in projects:
        by_sentence.setdefault(_sentence_of(sentences, m.start), []).append((m, owner[id(m)]))
    facts: dict[int, dict[tuple, list[Span]]] = {id(c): {} for c in clusters}
    listed = _list_members(projects, text)
    focus_points = [m for m in projects if id(m) not in listed]  # sorted, not overlapping
    focus_ends = [m.end for m in focus_points]
    bare = {id(c) for c in clusters if all(rs.bare_phase_name.fullmatch(norm_name(n.text)) for n in c.names)}
    # the company has several projects: several besides bare phases, or phases only (一期 and X二期项目)
    several = len(clusters) - len(bare) > 1 or (len(clusters) > 1 and all(c.names[0].phases for c in clusters))
    for sp in sorted(doc.spans_of(*FACT_LABELS), key=lambda s: s.start):
        if sp.value is None:
            continue
        idx = _sentence_of(sentences, sp.start)
        sent = sentences[idx]
        if _skip_fact(sp, text, sent, rs, len(clusters) > 1):
            continue
        last = bisect.bisect_right(focus_ends, sp.start) - 1
        focus = (focus_points[last], owner[id(focus_points[last])]) if last >= 0 else None
        whole = _whole(last, focus_points, owner, bare) if last >= 0 else None
        if whole is not None and focus is not None and whole is focus[1]:
            whole = None  # the project last named is no bare phase
        focus_sentence = _sentence_of(sentences, focus[0].start) if focus else -1
        other = _other_subject(idx, sentences, openers, focus[0], text) if focus is not None else -1
        for c in _owners(sp, text, idx, sent, by_sentence, focus, focus_sentence, clusters, rs, whole, other,
                         several):
            facts[id(c)].setdefault(_value_key(sp), []).append(sp)
    for c in clusters:
        names = sorted({n.text for n in c.names}, key=lambda n: (-len(norm_name(n)), n))
        doc.projects.append(ProjectDraft(
            name=names[0], aliases=names[1:], company=_company(c, orgs, text, sentences),
            location=_location(c, text, sentences),
            facts=[FactDraft(spans=spans) for spans in facts[id(c)].values()],
        ))
