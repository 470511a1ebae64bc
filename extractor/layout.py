"""Line layout of news text: which lines are bylines, photo captions, headlines, leads, body.

The patterns live in `extractor/data/layout.yaml` and match lines of the WORKING text (NFKC,
Simplified), so one rule set serves both scripts and full-width forms.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

import regex

from extractor.tables import load_table
from extractor.text import display_width


class LineKind(StrEnum):
    BYLINE = "byline"      # □王达 某某日报记者 赵宇清
    CAPTION = "caption"    # …建设现场。 受访者提供
    LEAD = "lead"          # 本报讯 / 本报贵阳10月16日电 … (first paragraph of a story)
    HEADLINE = "headline"  # short, not ending like a sentence
    BODY = "body"


@dataclass(frozen=True, slots=True)
class Line:
    start: int
    end: int
    kind: LineKind
    width: float


@cache
def _patterns() -> dict[str, list[regex.Pattern]]:
    table = load_table("layout")
    name = "(?:[" + table["surnames"] + r"]\p{Han}{1,2})"
    return {key: [regex.compile(p.replace("{name}", name), regex.M) for p in table[key]]
            for key in ("byline", "caption", "lead", "dateline", "stamp")}


@cache
def page_rules() -> dict:
    return dict(load_table("layout")["pages"])


_LINE = regex.compile(r"[^\n]+")
_SENTENCE_END = tuple("。!?;:,…")


def _matches(key: str, line: str) -> bool:
    return any(p.search(line) for p in _patterns()[key])


def classify(line: str) -> LineKind:
    """The layout kind of one stripped line of working text."""
    width = display_width(line)
    rules = page_rules()
    if width <= 45 and _matches("byline", line):
        return LineKind.BYLINE
    if _matches("lead", line):
        return LineKind.LEAD
    if width <= 70 and _matches("caption", line):
        return LineKind.CAPTION
    if width <= rules["max_headline_width"] and not line.endswith(_SENTENCE_END):
        return LineKind.HEADLINE
    return LineKind.BODY


def lines(text: str) -> Iterator[Line]:
    """The non-blank lines of `text` (stripped spans) with their kinds."""
    for m in _LINE.finditer(text):
        raw = m.group()
        stripped = raw.strip()
        if not stripped:
            continue
        start = m.start() + raw.index(stripped[0])
        yield Line(start, start + len(stripped), classify(stripped), display_width(stripped))


def furniture(text: str) -> list[tuple[int, int, LineKind]]:
    """Spans of bylines and photo captions in `text` (not sentences of the story body)."""
    return [(ln.start, ln.end, ln.kind) for ln in lines(text)
            if ln.kind in (LineKind.BYLINE, LineKind.CAPTION)]
