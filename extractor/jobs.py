"""JOBS recognizer: job counts a project, company or group of projects creates (SPEC 3).

Rules are data in `extractor/data/jobs.yaml`: employment words before or after the number,
exclusions (workers on site, officials, trainees, students, population).
"""

from __future__ import annotations

import regex

from extractor.document import Doc, Span
from extractor.numerals import to_json_number
from extractor.quantities import SENTENCE_END, QuantityPattern, clause_start
from extractor.tables import load_table

_RULES = load_table("jobs")
PATTERN = QuantityPattern(_RULES["units"])
BEFORE = regex.compile(_RULES["before"])
AFTER = regex.compile(_RULES["after"])
CREATED = regex.compile(f"(?:{_RULES['created']})$")
SENTENCE_JOBS = regex.compile(_RULES["sentence_jobs"])
HIRED = regex.compile(_RULES["hired"])
HIRED_AFTER = regex.compile(_RULES["hired_after"])
EXCLUDE_BEFORE = regex.compile(_RULES["exclude_before"])
EXCLUDE_AFTER = regex.compile(_RULES["exclude_after"])
GAP_BREAK = regex.compile(_RULES["gap_break"])
OFFICIALS = regex.compile(_RULES["officials_before_word"])


def recognize(doc: Doc) -> None:
    """Add a JOBS span for every job count in the working text."""
    text = doc.text
    for q in PATTERN.finditer(text):
        if q.bare or q.value < _RULES["min_value"]:
            continue
        lo = clause_start(text, q.start)
        before = None
        for m in BEFORE.finditer(text, lo, q.start):
            before = m
        if before is not None:
            max_gap = _RULES["max_gap_count"] if q.unit in ("个", "個") else _RULES["max_gap"]
            if q.start - before.end() > max_gap or GAP_BREAK.search(text, before.end(), q.start):
                before = None  # 岗位学雷锋标兵各50个: the employment word governs something else
        gap_from = before.end() if before else lo
        if EXCLUDE_BEFORE.search(text, gap_from, q.start) or EXCLUDE_AFTER.match(text, q.end):
            continue
        if before is not None and OFFICIALS.search(text, max(lo, before.start() - 2), before.start()):
            continue  # 干部职工7000多人
        rule = None
        if before is not None:
            rule = "jobs.after_word"
        elif AFTER.match(text, q.end):
            rule = "jobs.before_word"
        elif CREATED.search(text, lo, q.start) and q.unit in ("个", "個") and SENTENCE_JOBS.search(
                text, clause_start(text, q.start, 80, SENTENCE_END), q.start):
            rule = "jobs.created"
        elif HIRED.search(text, lo, q.start) and HIRED_AFTER.match(text, q.end):
            rule = "jobs.hired"
        if rule is None:
            continue
        doc.spans.append(Span(
            label="JOBS", start=q.start, end=q.end, value=to_json_number(q.value),
            value_max=None if q.value_max is None else to_json_number(q.value_max),
            qualifier=q.qualifier, rule=rule))
