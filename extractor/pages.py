"""Splitting a newspaper page (one input holding several articles) into its articles.

A story on a page opens with a byline (□王达 某某日报记者 赵宇清) or a lead paragraph
(本报讯 …, 本报贵阳10月16日电 …); its header (kicker, headline, photo captions) is the run of
short lines just before. Each such opening after body text of an earlier story starts a new
article; a single article (one byline, one lead) is never split. The pieces cover the whole
input in reading order: the first starts at 0, each ends where the next begins.
"""

from __future__ import annotations

from itertools import pairwise

import regex

from extractor.layout import Line, LineKind, lines, page_rules
from extractor.models import Article
from extractor.text import normalise

# Cheap test on the raw text: a page needs at least two bylines or leads to be split.
_OPENING_HINT = regex.compile(
    r"(?m)^[ \t\u3000]*[□■◎●▲★◆◇]|记者|記者|报讯|報訊|日电|日電|新华社|新華社")

_HEADER = (LineKind.HEADLINE, LineKind.CAPTION)
_OPENING = (LineKind.BYLINE, LineKind.LEAD)


def _openings(ls: list[Line]) -> list[int]:
    """Indices of lines opening a story (consecutive byline/lead lines count once)."""
    out: list[int] = []
    for i, ln in enumerate(ls):
        if ln.kind in _OPENING and not (i and ls[i - 1].kind == LineKind.BYLINE):
            out.append(i)
    return out


def _header_start(ls: list[Line], i: int) -> int:
    """The first line of the header (headlines, captions) right before line `i`."""
    limit = page_rules()["max_header_lines"]
    j = i
    while j > 0 and i - j < limit and ls[j - 1].kind in _HEADER:
        j -= 1
    return j


def _body_width(ls: list[Line], lo: int, hi: int) -> float:
    return sum(ln.width for ln in ls[lo:hi] if ln.kind in (LineKind.BODY, LineKind.LEAD))


def story_starts(text: str) -> list[int]:
    """Working-text offsets where the 2nd, 3rd ... story of a page begins ([] = one article)."""
    if len(_OPENING_HINT.findall(text, overlapped=False)) < 2:
        return []
    ls = list(lines(text))
    min_body = page_rules()["min_article_body"]
    accepted: list[tuple[int, int]] = []  # (opening line, header start line)
    for i in _openings(ls):
        head = _header_start(ls, i)
        if accepted and _body_width(ls, accepted[-1][0], head) < min_body:
            continue  # no story body since the last opening: same story
        accepted.append((i, head))
    while accepted:
        i, _ = accepted[-1]
        nxt = len(ls)
        if _body_width(ls, i, nxt) >= min_body:
            break
        accepted.pop()  # a trailing byline or lead without a story after it
    return [ls[head].start for _, head in accepted[1:]]


def article_regions(text: str) -> list[tuple[int, int]]:
    """[start, end) of each article of the page in `text` ([] when it is one article)."""
    if len(_OPENING_HINT.findall(text)) < 2:
        return []
    wt = normalise(text, None)
    starts = story_starts(wt.text)
    if not starts:
        return []
    cuts = [0, *(wt.index[s] for s in starts), len(text)]
    return list(pairwise(cuts))


def split_article(article: Article) -> list[Article]:
    """The articles of a page as `<id>#1`, `<id>#2` … with their regions; else the article."""
    if article.region is not None:
        return [article]
    regions = article_regions(article.text)
    if len(regions) < 2:
        return [article]
    return [article.model_copy(update={"id": f"{article.id}#{n}", "region": region})
            for n, region in enumerate(regions, 1)]
