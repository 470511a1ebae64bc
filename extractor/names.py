"""PROJECT and ORG mentions (SPEC section 3), found from their head words.

A name ends in a head word (项目, 电站, 二期 ... for projects; 有限公司, 集团 ... for
organisations; tables in `data/names.yaml`). From the head, the name grows left over jieba
words until a stop word (verbs, prepositions, determiners), punctuation other than the few
that occur inside names, or the sentence start. A candidate whose remaining words are all
generic (省级重点项目, 二期项目, 该公司) is a category or an anaphor and is dropped, as is a
count (15个重点项目), a description of what is built (建设年产20万辆...生产基地, the last item of
建设A、B及C生产线), a place (在滨江产业园区) or a part (主体工程, …项目的电解槽厂房); of overlapping
candidates of one label the longest is kept. Words are classed by the tables and by the tags of
jieba's own dictionary (`segmenter.tag`). Roads between two places (平塘至罗甸高速公路), contrasted
bare phases (一期工程 / 二期工程) and bare phases that open a clause with their own figures
(…。一期项目投资9亿元, unless the article names that phase in full) are found by patterns of
their own.

Only sentences holding a head word are segmented, and only the stretch of them that can
hold a name, which keeps this stage cheap (see `segmenter`).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

import regex

from extractor import segmenter
from extractor.document import Doc, Span
from extractor.patterns import alternation
from extractor.tables import load_table

#: characters that may sit inside a name besides letters, digits and Han
_CONNECTORS = frozenset("()（）-/.·")
_NUMERAL = regex.compile(r"[\d一二三四五六七八九十]")
_WORDLIKE = regex.compile(r"[\p{Han}\p{L}\p{N}]")


@dataclass(frozen=True, slots=True)
class NameRule:
    """The head pattern and limits of one label."""

    label: str
    head: regex.Pattern[str]
    min_content: int
    max_length: int
    #: heads that need more content (工程: 5), a place counting as content
    weak_heads: dict[str, int] = field(default_factory=dict)
    #: heads at least this long (phases and 项目 left out) need no content besides a place
    facility_length: int = 99
    #: what is left out of a head when measuring it
    head_fillers: regex.Pattern[str] | None = None
    #: a last word before the head that makes the name a stake in a company (21%公司)
    stake: regex.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class NameRules:
    rules: tuple[NameRule, ...]
    cue: regex.Pattern[str]
    stop_words: frozenset[str]
    head_attached: frozenset[str]
    generic_words: frozenset[str]
    count_words: frozenset[str]
    count_suffixes: frozenset[str]
    stop_tags: frozenset[str]
    weak_tags: frozenset[str]
    inner_conjunctions: frozenset[str]
    always_inside: regex.Pattern[str]
    place: regex.Pattern[str]
    described_heads: frozenset[str]
    described_after: regex.Pattern[str]
    described_start: regex.Pattern[str]
    counted_after: regex.Pattern[str]
    leading_trim: frozenset[str]
    glued_starts: frozenset[str]
    glued_ends: frozenset[str]
    category_before_head: frozenset[str]
    leading_date: regex.Pattern[str]
    rate_words: frozenset[str]
    part_words: frozenset[str]
    bare_phase: regex.Pattern[str]
    introduced_phase: regex.Pattern[str]
    part_of_before: regex.Pattern[str]
    part_of_exempt: regex.Pattern[str]
    built_by_company: regex.Pattern[str]
    road: regex.Pattern[str]
    phase: regex.Pattern[str]
    ends_with_head: regex.Pattern[str]
    located_item: regex.Pattern[str]
    place_heads: frozenset[str]
    locatives: frozenset[str]


@cache
def rules() -> NameRules:
    """The compiled rules of `data/names.yaml` (built once)."""
    table = load_table("names")
    proj, org = table["project"], table["org"]
    phase = "|".join(proj["phases"])
    heads = "|".join([alternation(proj["heads"]), *proj["head_patterns"]])
    more = "|".join([alternation(proj["heads"] + proj["head_continuations"]), *proj["head_patterns"]])
    p_head = (
        rf"(?>(?:{phase})*(?:{heads})(?:{phase}|{more})*)"
        rf"(?!{alternation(proj['head_blockers'])})"
        rf"|(?>(?:{phase}))(?={proj['phase_end']})"
    )
    o_head = (
        rf"(?<!{alternation(org['head_not_after'])})(?>(?:{alternation(org['heads'])})(?:\p{{Han}}{{2,8}}?分公司)?)"
        rf"(?!{alternation(org['head_blockers'])})"
    )
    fillers = regex.compile(f"{phase}|{alternation(proj['head_continuations'] + ['项目', '专案'])}")
    project_rule = NameRule("PROJECT", regex.compile(p_head), proj["min_content"], proj["max_length"],
                            dict(proj["weak_heads"]), proj["facility_head_length"], fillers)
    org_rule = NameRule("ORG", regex.compile(o_head), org["min_content"], org["max_length"],
                        stake=regex.compile(org["stake_before_head"]))
    cue = regex.compile(f"{heads}|{phase}|{alternation(org['heads'])}")
    phase_only = regex.compile(phase)
    return NameRules(
        rules=(project_rule, org_rule),
        cue=cue,
        stop_words=frozenset(table["stop_words"]),
        head_attached=frozenset(table["head_attached"]),
        generic_words=frozenset(table["generic_words"]),
        count_words=frozenset(table["count_words"]),
        count_suffixes=frozenset(table["count_words"] + table["count_suffixes_extra"]),
        stop_tags=frozenset(table["stop_tags"]),
        weak_tags=frozenset(table["weak_tags"]),
        inner_conjunctions=frozenset(table["inner_conjunctions"]),
        always_inside=regex.compile(table["always_inside"]),
        place=regex.compile(table["place"]),
        described_heads=frozenset(proj["described_heads"]),
        described_after=regex.compile(proj["described_after"]),
        described_start=regex.compile(proj["described_start"]),
        counted_after=regex.compile(proj["counted_after"]),
        leading_trim=frozenset(table["leading_trim"]),
        glued_starts=frozenset(table["glued_starts"]),
        glued_ends=frozenset(table["glued_ends"]),
        category_before_head=frozenset(table["category_before_head"]),
        leading_date=regex.compile(table["leading_date"]),
        rate_words=frozenset(table["rate_words"]),
        part_words=frozenset(proj["part_words"]),
        bare_phase=regex.compile(proj["bare_phase"]),
        introduced_phase=regex.compile(proj["introduced_phase"]),
        part_of_before=regex.compile(proj["part_of_before"]),
        part_of_exempt=regex.compile(proj["part_of_exempt"]),
        built_by_company=regex.compile(proj["built_by_company"]),
        road=regex.compile(proj["road"]),
        phase=phase_only,
        ends_with_head=regex.compile(f"(?:{heads})(?:{phase})?$"),
        located_item=regex.compile(f"(?:{alternation(proj['locatives'])})[^，。；,;、：:]{{2,28}}$"),
        place_heads=frozenset(proj["place_heads"]),
        locatives=frozenset(proj["locatives"]),
    )


Token = tuple[str, int, int]

# word classes seen by the left walk
STOP, COUNTED, CONNECTOR, WEAK, PLACE, GENERIC, FIGURE, CONTENT, SINGLE_VERB = range(9)
_ORDINAL_OR_NUMERAL = regex.compile(r"[\d一二三四五六七八九十两几多首单每]+")
#: a verb glued to a preposition by the segmenter (停靠在, 落户于) ends a name like the preposition
_PREPOSITION_ENDS = frozenset("在于於到向为给")
_SCALE = frozenset("万亿千百十")
_FIGURE = regex.compile(r"^[\d.,%万千百亿十零一二三四五六七八九两a-zA-Z]+$")
_PHASE_WORD = regex.compile(r"(?:[一二三四五六七八九十\d]+|首)期")


def word_class(piece: str, rs: NameRules) -> int:
    """How a word (a jieba token, or the part of it left of a head) behaves inside a name."""
    if not _WORDLIKE.search(piece):
        return CONNECTOR if piece in _CONNECTORS else STOP
    if piece in rs.stop_words:
        return STOP
    if piece in rs.generic_words:
        return GENERIC
    if rs.always_inside.fullmatch(piece):
        return CONTENT if piece.startswith("第") else GENERIC
    if piece in rs.count_words or (len(piece) > 1 and piece[-1] in rs.count_suffixes
                                   and _ORDINAL_OR_NUMERAL.fullmatch(piece[:-1])):
        return COUNTED
    if piece in rs.inner_conjunctions:
        return WEAK
    if _all_generic(piece, rs.generic_words):
        return GENERIC
    if _FIGURE.match(piece):
        return STOP if len(piece) == 1 and piece in "一两" else FIGURE
    tag = segmenter.tag(piece)
    if tag == "m":
        return FIGURE if piece[0] in _SCALE and piece[-1] not in rs.count_words else COUNTED
    if tag in rs.stop_tags:
        return STOP
    if tag in rs.weak_tags:
        return SINGLE_VERB if len(piece) == 1 else STOP if piece[-1] in _PREPOSITION_ENDS else WEAK
    if tag == "ns" or rs.place.match(piece):
        return PLACE
    return CONTENT


@cache
def _generic_cached(piece: str, words: frozenset[str]) -> bool:
    ok = [True] + [False] * len(piece)
    for end in range(1, len(piece) + 1):
        ok[end] = any(ok[b] and piece[b:end] in words for b in range(max(0, end - 6), end))
    return ok[-1]


def _all_generic(piece: str, words: frozenset[str]) -> bool:
    """`piece` is made of generic words only (jieba may glue 省级+重点 into one word)."""
    return piece in words or (len(piece) <= 12 and _generic_cached(piece, words))


def _token_before(tokens: Sequence[Token], pos: int) -> int:
    """Index of the last token that starts before `pos` (-1 if none)."""
    lo, hi = 0, len(tokens)
    while lo < hi:
        mid = (lo + hi) // 2
        if tokens[mid][1] < pos:
            lo = mid + 1
        else:
            hi = mid
    return lo - 1


def _walk_left(text: str, tokens: Sequence[Token], head_start: int, floor: int,
               rs: NameRules, label: str = "PROJECT") -> tuple[int, list[tuple[int, int, int]], str] | None:
    """Start of the name whose head begins at `head_start`, its words (start, end, class) and the
    word that ended it ("" at the sentence start).

    None when the name is a count of things (2条...生产线).
    """
    taken: list[tuple[int, int, int]] = []
    stopper = ""
    i = _token_before(tokens, head_start)
    while i >= 0:
        _word, ws, we = tokens[i]
        glued = we > head_start  # the head ends a longer word (发电厂): its first part is the name's
        we = min(we, head_start)
        if ws < floor:
            break
        piece = text[ws:we]
        cls = word_class(piece, rs)
        if glued and cls in (STOP, COUNTED, WEAK, SINGLE_VERB) and piece not in rs.stop_words:
            cls = CONTENT
        elif cls == SINGLE_VERB:
            # a one-character verb ends a name (抓项目), unless it sits between two words of it (水库引调水)
            inside = (taken and taken[-1][2] == CONTENT and i > 0
                      and word_class(text[tokens[i - 1][1]:tokens[i - 1][2]], rs) in (CONTENT, PLACE))
            cls = WEAK if inside else STOP
        if cls == CONNECTOR or (piece == " " and ws > 0 and text[ws - 1].isascii() and text[ws - 1].isalnum()):
            cls = CONNECTOR
        elif piece == "、" and ws > 0 and _NUMERAL.match(text[ws - 1]) and _NUMERAL.match(text[we:we + 1]):
            cls = CONNECTOR
        elif cls == STOP and not taken and piece in rs.head_attached:
            cls = GENERIC
        elif piece in rs.inner_conjunctions and (label == "ORG" or not any(c == CONTENT for *_, c in taken)
                                                 or rs.ends_with_head.search(text, max(0, ws - 8), ws)):
            cls = STOP  # 甲公司与乙公司, 甲园区与乙园区 are two names; 运动与学校 joins no name parts
        after_figure = i > 0 and _FIGURE.match(text[tokens[i - 1][1]:tokens[i - 1][2]])
        if cls == COUNTED or (after_figure and piece[0] in rs.count_words):
            if after_figure and i > 1 and text[tokens[i - 2][1]:tokens[i - 2][2]] in rs.rate_words:
                cls = FIGURE  # 年产1500台: a rate, part of the name
            elif after_figure or len(piece) > 1:
                return None
            else:
                break
        if cls == STOP:
            stopper = piece
            break
        if len(piece) >= 2 and not segmenter.is_word(piece):
            if piece[-1] in rs.glued_ends:
                stopper = piece
                break
            if piece[0] in rs.glued_starts:
                taken.append((ws + 1, we, cls))
                stopper = piece[0]
                break
        taken.append((ws, we, cls))
        i -= 1
    while taken and taken[-1][2] in (WEAK, CONNECTOR):  # a name does not begin with a verb
        taken.pop()
    taken.reverse()
    return (taken[0][0] if taken else head_start), taken, stopper


def _balance(text: str, start: int, end: int) -> int:
    """Move `start` right past an unmatched bracket (the name began inside or after it)."""
    depth = 0
    cut = start
    for k in range(start, end):
        c = text[k]
        if c in "(（":
            depth += 1
        elif c in ")）":
            if depth == 0:
                cut = k + 1
            else:
                depth -= 1
    if depth > 0:  # an opening bracket never closed: the name starts after the last one
        opened = [k for k in range(cut, end) if text[k] in "(（"]
        cut = opened[-1] + 1
    while cut < end and not _WORDLIKE.match(text[cut]):
        cut += 1
    return cut


def find_names(text: str, sentences: Iterable[tuple[int, int]]) -> list[Span]:
    """PROJECT and ORG spans of `text` (working text), overlaps within one label resolved."""
    rs = rules()
    found: list[Span] = []
    bare_phases: list[Span] = []
    for s, e in sentences:
        sent = text[s:e]
        if not rs.cue.search(sent):
            continue
        for phase in rs.introduced_phase.finditer(sent):
            bare_phases.append(Span("PROJECT", s + phase.start(1), s + phase.end(1), value=phase.group(1),
                                    rule="project-phase-introduced"))
        for road in rs.road.finditer(sent):
            cut = next((k for k in (4, 3, 2) if road.group()[:k] in rs.stop_words), 0)  # 批复甲至乙铁路
            found.append(Span("PROJECT", s + road.start() + cut, s + road.end(), value=road.group()[cut:],
                              rule="project-road"))
        matches = [(rule, m) for rule in rs.rules for m in rule.head.finditer(sent)]
        if not matches:
            continue
        longest = max(rule.max_length for rule in rs.rules)
        lo = max(0, min(m.start() for _, m in matches) - longest)
        hi = max(m.end() for _, m in matches)
        tokens = segmenter.tokens(sent[lo:hi], s + lo)
        for rule, m in matches:
            hs, he = s + m.start(), s + m.end()
            walked = _walk_left(text, tokens, hs, max(s, he - rule.max_length), rs, rule.label)
            if walked is None:
                continue
            start, words, stopper = walked
            start = _balance(text, start, hs)
            bare = rs.bare_phase.fullmatch(m.group()) if rule.label == "PROJECT" and start >= hs else None
            if bare:
                bare_phases.append(Span("PROJECT", hs + bare.start(1), he, value=bare.group(1), rule="project-phase"))
                continue
            needed = rule.weak_heads.get(rs.phase.sub("", m.group()), rule.min_content)
            counted = (CONTENT, PLACE) if _is_facility(m.group(), rule) else (CONTENT,)
            content = sum(we - ws for ws, we, cls in words if cls in counted and ws >= start)
            if any(cls == FIGURE and _is_measure(text, ws, we) for ws, we, cls in words if ws >= start):
                content += rule.min_content
            if needed > rule.min_content and any(cls == PLACE for ws, _we, cls in words if ws >= start):
                content += rule.min_content  # a place makes a weak head more specific
            if start >= hs or content < needed:
                continue
            if needed > rule.min_content and words and text[words[-1][0]:words[-1][1]] in rs.part_words:
                continue
            if words and text[words[-1][0]:words[-1][1]] in rs.category_before_head:
                continue
            if rule.stake and words and rule.stake.search(text, words[-1][0], words[-1][1]):
                continue
            start = _trim_generic(text, start, words, hs, rs)
            date = rs.leading_date.match(text, start, hs)
            if date and date.end() > start:  # 2018年10月港珠澳大桥: the date is no part of the name
                start = date.end()
            if rule.label == "PROJECT" and not _names_a_project(text, start, hs, m.group(), stopper, rs):
                continue
            name = text[start:he]
            found.append(Span(rule.label, start, he, value=_canonical(name), rule=f"{rule.label.lower()}-head"))
    found.extend(_phases_of_their_own(bare_phases, found, text, rs))
    return _longest_per_label(found)


def _phases_of_their_own(bare_phases: list[Span], found: list[Span], text: str, rs: NameRules) -> list[Span]:
    """Bare phase names that are projects: contrasted phases (一期工程 ... 二期工程) and phases that
    introduce their own figures, except a phase the article also names in full (X项目二期, X产业园（二期）),
    which they only refer back to."""
    contrasted = len({sp.value for sp in bare_phases if sp.rule == "project-phase"}) >= 2
    named = {p for sp in found if sp.label == "PROJECT" for p in _PHASE_WORD.findall(text[sp.start:sp.end + 4])}
    out = []
    for sp in bare_phases:
        if sp.rule == "project-phase" and contrasted:
            out.append(sp)
        elif sp.rule == "project-phase-introduced" and _PHASE_WORD.match(str(sp.value)).group() not in named:
            out.append(sp)
    return out


def _is_facility(head: str, rule: NameRule) -> bool:
    """A head that names a kind of facility by itself (物流园, 污水处理厂), so a place prefix names it."""
    if rule.head_fillers is None:
        return False
    return len(rule.head_fillers.sub("", head)) >= rule.facility_length


def _is_measure(text: str, start: int, end: int) -> bool:
    """A figure that makes a name specific (5MW, 120万吨, LNG), not a date (2019年) or a lone numeral."""
    piece = text[start:end]
    if regex.search(r"[A-Za-z]", piece):
        return True
    if regex.match(r"[.\s]*(?:项目|专案|工程)", text[end:end + 4]):
        return False  # a section number (2.1项目), not a figure of the name
    after = text[end:end + 2]
    return (bool(regex.search(r"\d", piece)) and after[:1] not in "年月日号季亿元"
            and not after.startswith("万元"))


def _trim_generic(text: str, start: int, words: list[tuple[int, int, int]], head_start: int,
                  rs: NameRules) -> int:
    """Drop category words at the start of a name (台资企业亚东水泥... -> 亚东水泥...)."""
    for ws, we, _cls in words:
        if we <= start:
            continue
        if text[ws:we] in rs.leading_trim and we < head_start:
            start = we
            continue
        break
    return start


def _names_a_project(text: str, start: int, head_start: int, head: str, stopper: str, rs: NameRules) -> bool:
    """False for a description of what is built (建设年产20万辆...生产基地) or a place (在...园区)."""
    before = text[max(0, start - 48):start]
    if rs.part_of_before.search(before) and not rs.part_of_exempt.search(head):
        return False  # …项目的电解槽厂房: a part of the project named before
    if head in rs.described_heads and not rs.always_inside.search(text[start:head_start]) and (
            rs.described_after.search(before) or rs.described_start.match(text, start)) and not (
            rs.built_by_company.search(before)):
        return False
    if rs.counted_after.match(text, head_start + len(head)):
        return False
    if head not in rs.place_heads:
        return True
    if stopper in rs.inner_conjunctions:  # 在甲园区及乙园区: both are places
        before_item = text[max(0, start - len(stopper) - 30):start - len(stopper)]
        return not (any(before_item.endswith(h) for h in rs.place_heads) and rs.located_item.search(before_item))
    # a locative a character or two before the name: the segmenter cut the place's first characters
    # off (落户项城市食品产业园 -> 项 | 城市食品产业园)
    return stopper not in rs.locatives and not any(before[:-k].endswith(w) for w in rs.locatives for k in (1, 2))


def _canonical(name: str) -> str:
    return "".join(name.split())


def _longest_per_label(spans: list[Span]) -> list[Span]:
    """Drop spans contained in (or overlapping) a longer span of the same label."""
    kept: list[Span] = []
    for label in sorted({sp.label for sp in spans}):
        starts: list[int] = []  # kept spans of this label, sorted by start (they never overlap)
        ends: list[int] = []
        for sp in sorted((x for x in spans if x.label == label), key=lambda x: (-(x.end - x.start), x.start)):
            i = bisect.bisect_left(starts, sp.start)
            if (i < len(starts) and starts[i] < sp.end) or (i > 0 and ends[i - 1] > sp.start):
                continue
            starts.insert(i, sp.start)
            ends.insert(i, sp.end)
            kept.append(sp)
    return sorted(kept, key=lambda x: (x.start, -x.end))


def recognize(doc: Doc) -> None:
    """Pipeline stage: add PROJECT and ORG spans to `doc.spans`."""
    doc.spans.extend(find_names(doc.text, doc.working.sentences))
