"""Where records go: JSON Lines (stdout or a file), SQLite or PostgreSQL, or a database and a file."""

from __future__ import annotations

from typing import Any

from extractor.models import Failure
from extractor.sinks.base import LoadStats, Sink
from extractor.sinks.jsonl import JsonlSink


class TeeSink:
    """A database and a JSON Lines file at once; the database decides what is already loaded."""

    def __init__(self, db: Sink, file: Sink) -> None:
        self.db, self.file = db, file
        self.stats = db.stats
        self.refused = db.refused

    def add(self, line: str, record: dict[str, Any] | None = None, text: str | None = None) -> None:
        self.db.add(line, record, text)
        self.file.add(line, record, text)

    def fail(self, failure: Failure) -> None:
        self.db.fail(failure)

    def known(self, ids: list[str]) -> dict[str, str | None]:
        return self.db.known(ids)

    def close(self) -> None:
        try:
            self.db.close()
        finally:
            self.file.close()


def open_sink(output: str | None = None, db: str | None = None, resume: bool = False) -> Sink:
    """A database sink for `db` (a path, sqlite:///path or postgresql://...), JSON Lines for `output`
    (default stdout when there is no database), or both."""
    if not db:
        return JsonlSink(output, resume=resume)
    from extractor.sinks.sql import open_sql_sink

    sink = open_sql_sink(db)
    return TeeSink(sink, JsonlSink(output, resume=resume)) if output else sink


__all__ = ["JsonlSink", "LoadStats", "Sink", "TeeSink", "open_sink"]
