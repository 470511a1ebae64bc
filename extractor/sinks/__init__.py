"""Where records go: JSON Lines (stdout or a file), SQLite or PostgreSQL."""

from __future__ import annotations

from extractor.sinks.base import LoadStats, Sink
from extractor.sinks.jsonl import JsonlSink


def open_sink(output: str | None = None, db: str | None = None, resume: bool = False) -> Sink:
    """A database sink for `db` (a path, sqlite:///path or postgresql://...), else JSON Lines."""
    if db:
        from extractor.sinks.sql import open_sql_sink

        return open_sql_sink(db)
    return JsonlSink(output, resume=resume)


__all__ = ["JsonlSink", "LoadStats", "Sink", "open_sink"]
