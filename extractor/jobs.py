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
        gap_from = before.end() if before else lo
        if EXCLUDE_BEFORE.search(text, gap_from, q.start) or EXCLUDE_AFTER.match(text, q.end):
            continue
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
