"""The publication date of an article: from a metadata value, or from the text's own stamp or
dateline (本报贵阳10月16日电, 记者今天（5月13日）从…获悉, 发布时间：2019-8-28).

A dateline without a year takes it from a publication stamp of the text (the latest such date
not after the stamp: a page stamped 2024-11-05 with 本报重庆12月8日电 is of 2023-12-08); with
no stamp it stays absent (the years a story mentions are those of its events).
"""

from __future__ import annotations

import datetime as dt

import regex

from extractor.layout import _patterns
from extractor.text import fold

_ISO = regex.compile(r"\s*(?P<y>(?:19|20)\d\d)\s*[-/.年]\s*(?P<m>\d{1,2})(?:\s*[-/.月]\s*(?P<d>\d{1,2}))?")
#: How far into an article datelines and stamps are looked for.
HEAD_CHARS = 1500


def _iso(y: int, m: int, d: int | None) -> str | None:
    try:
        if d is None:
            dt.date(y, m, 1)
            return f"{y:04d}-{m:02d}"
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def parse_date(value: object) -> str | None:
    """`YYYY-MM-DD` / `YYYY-MM` of a metadata value (`2022-04-20T08:00`, `2022/4/20`,
    `2022年4月20日`, `2022-04`), or None when it is no date."""
    if not isinstance(value, str):
        return None
    m = _ISO.match(value)
    if not m:
        return None
    return _iso(int(m["y"]), int(m["m"]), int(m["d"]) if m["d"] else None)


def infer_published(text: str) -> str | None:
    """The publication date the text itself states (stamp or dateline), else None."""
    head = fold(text[:HEAD_CHARS])
    stamp = _first(head, "stamp")
    line = _first(head, "dateline")
    if line is None:
        return _iso(*stamp) if stamp else None
    _, m, d, back = line
    if not stamp:
        return None  # years mentioned in a story are those of its events, not of the story
    sy, sm, sd = stamp
    year = sy if (m, d) <= (sm, sd) else sy - 1
    day = _iso(year, m, d)
    if day and back:
        day = (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()
    return day


def _first(head: str, key: str) -> tuple[int, ...] | None:
    best = None
    for p in _patterns()[key]:
        m = p.search(head)
        if m and (best is None or m.start() < best.start()):
            best = m
    if best is None:
        return None
    groups = best.groupdict()
    md = (int(groups["m"]), int(groups["d"]))
    if key == "stamp":
        return (int(groups["y"]), *md)
    return (None, *md, groups.get("rel") in ("昨天", "昨日"))
