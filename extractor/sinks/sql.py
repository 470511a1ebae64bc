"""SQLite and PostgreSQL sinks: records into the tables of `ddl.py`, whole articles per transaction.

Loading is idempotent: an article whose record (and text) is unchanged is skipped, a changed one
has its rows deleted and written again in the same transaction; rows are buffered and committed
in batches of whole articles, so a run killed midway leaves complete articles only.
Values are always bound as parameters.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from extractor import __version__
from extractor.models import Failure
from extractor.sinks.base import LoadStats, text_sha256
from extractor.sinks.ddl import TABLE, Dialect, statements

#: articles per transaction
BATCH = 500


def _value_columns(obj: dict[str, Any]) -> tuple[Any, ...]:
    v = obj.get("value")
    is_num = isinstance(v, int | float) and not isinstance(v, bool)
    return (v if is_num else None, None if is_num or v is None else str(v), obj.get("value_max"),
            obj.get("unit"), obj.get("per"), obj.get("qualifier"), obj.get("kind"), obj.get("mod"))


def record_rows(record: dict[str, Any], version: str = __version__) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of mentions, projects and facts for one record (an ArticleResult as JSON data)."""
    aid = record["article_id"]
    mentions = record.get("mentions") or []
    rows: dict[str, list[tuple[Any, ...]]] = {"mentions": [], "projects": [], "facts": []}
    for i, m in enumerate(mentions):
        rows["mentions"].append((aid, i, m["label"], m["start"], m["end"], m["text"], *_value_columns(m),
                                 m.get("product"), m.get("rule"), version))
    for p_i, p in enumerate(record.get("projects") or []):
        rows["projects"].append((aid, p_i, p["name"], json.dumps(p.get("aliases") or [], ensure_ascii=False),
                                 p.get("company"), p.get("location")))
        for f_i, f in enumerate(p.get("facts") or []):
            idxs = sorted(f["mentions"])
            first = mentions[idxs[0]]
            rows["facts"].append((aid, p_i, f_i, f["label"], *_value_columns(f), idxs[0], json.dumps(idxs),
                                  first["start"], first["end"], first["text"], first.get("rule"), version))
    return rows


def _no_nul(x: Any) -> Any:
    """Failure rows must always be writable: NUL (refused in PostgreSQL text) shown as an escape."""
    return x.replace("\x00", "\\x00") if isinstance(x, str) else x


def failure_key(f: Failure) -> str:
    return "|".join("" if x is None else str(x) for x in (f.source, f.line, f.article_id, f.stage))


class SqlSink:
    """Writes records to a DB-API connection (sqlite3 or psycopg 3), creating the tables if needed."""

    def __init__(self, conn: Any, dialect: Dialect, batch: int = BATCH, version: str = __version__) -> None:
        self.conn, self.dialect, self.batch, self.version = conn, dialect, batch, version
        _pad_heap()
        self.mark = "?" if dialect == "sqlite" else "%s"
        self.stats = LoadStats()
        #: articles the database refused (they are in `failures`)
        self.refused: list[Failure] = []
        self._records: dict[str, tuple[dict[str, Any], str, str | None]] = {}
        self._failures: list[Failure] = []
        self._create()

    # --- schema and SQL text -------------------------------------------------------------------
    def _create(self) -> None:
        cur = self.conn.cursor()
        for stmt in statements(self.dialect):
            cur.execute(stmt)
        self.conn.commit()

    def _insert_sql(self, table: str, columns: Sequence[str], conflict: str = "") -> str:
        cols = TABLE[table].columns
        marks = [self.mark + ("::jsonb" if self.dialect == "postgres" and c.type == "json" else "")
                 for c in cols if c.name in columns]
        return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(marks)}){conflict}"

    def _in(self, column: str, values: Sequence[str]) -> tuple[str, list[Any]]:
        """`column IN (...)` with one bound parameter per value (or `= ANY(%s)` for PostgreSQL)."""
        if self.dialect == "postgres":
            return f"{column} = ANY({self.mark})", [list(values)]
        return f"{column} IN ({', '.join(self.mark for _ in values)})", list(values)

    # --- the sink interface ---------------------------------------------------------------------
    def known(self, ids: Sequence[str]) -> dict[str, str | None]:
        """Article id -> stored text hash (None when loaded without text) for the ids already loaded."""
        if not ids:
            return {}
        where, params = self._in("article_id", ids)
        cur = self.conn.cursor()
        cur.execute(f"SELECT article_id, text_sha256 FROM articles WHERE {where}", params)
        found = dict(cur.fetchall())
        self.conn.commit()
        return found

    def add(self, line: str, record: dict[str, Any] | None = None, text: str | None = None) -> None:
        """Buffer one record given as its canonical JSON `line` (hashed to detect changes)."""
        if record is None:
            record = json.loads(line)
        self._records[record["article_id"]] = (record, line, text)
        if len(self._records) >= self.batch:
            self.flush()

    def fail(self, failure: Failure) -> None:
        self._failures.append(failure)
        if len(self._failures) >= self.batch:
            self.flush()

    def flush(self) -> None:
        """Write the buffered articles and failures in one transaction.

        If the database refuses the batch (a value it cannot store, such as a NUL character in
        PostgreSQL text), the articles are written one per transaction and those refused become
        failures: every article ends up loaded or in `failures`, and a run never stops on one."""
        if not self._records and not self._failures:
            return
        records, failures = self._records, self._failures
        self._records, self._failures = {}, []
        try:
            self._transaction(records, failures)
        except Exception:
            for aid, item in records.items():
                try:
                    self._transaction({aid: item}, [])
                except Exception as exc:
                    failure = Failure(article_id=aid, source=item[0].get("source"), stage="write",
                                      reason=f"{type(exc).__name__}: {exc}".strip())
                    failures.append(failure)
                    self.refused.append(failure)
            self._transaction({}, failures)

    def _transaction(self, records: dict[str, tuple[dict[str, Any], str, str | None]],
                     failures: list[Failure]) -> None:
        stats = LoadStats()
        try:
            self._write(self.conn.cursor(), records, failures, stats)
        except BaseException:
            self.conn.rollback()
            raise
        self.conn.commit()
        self.stats.add(stats)

    def _write(self, cur: Any, records: dict[str, tuple[dict[str, Any], str, str | None]],
               failures: list[Failure], stats: LoadStats) -> None:
        existing: dict[str, tuple[str, str | None]] = {}
        if records:
            where, params = self._in("article_id", list(records))
            cur.execute(f"SELECT article_id, record_sha256, text_sha256 FROM articles WHERE {where}", params)
            existing = {aid: (rec_hash, text_hash) for aid, rec_hash, text_hash in cur.fetchall()}
        rows: dict[str, list[tuple[Any, ...]]] = {"articles": [], "mentions": [], "projects": [], "facts": []}
        changed: list[str] = []
        for aid, (rec, line, text) in records.items():
            digest = text_sha256(line)
            text_hash = None if text is None else text_sha256(text)
            old = existing.get(aid)
            # unchanged: same record, and same text unless none is given (a `load` after `run --db`)
            if old is not None and old[0] == digest and text_hash in (None, old[1]):
                stats.unchanged += 1
                continue
            if old is not None:
                changed.append(aid)
                stats.replaced += 1
            else:
                stats.inserted += 1
            rows["articles"].append((aid, rec.get("source"), rec.get("published"), rec.get("encoding"), text,
                                     text_hash, digest,
                                     len(rec.get("mentions") or []), len(rec.get("projects") or []),
                                     self.version))
            for table, table_rows in record_rows(rec, self.version).items():
                rows[table].extend(table_rows)
        if changed:  # rows of mentions, projects and facts go with their article (ON DELETE CASCADE)
            where, params = self._in("article_id", changed)
            cur.execute(f"DELETE FROM articles WHERE {where}", params)
        loaded = [r[0] for r in rows["articles"]]
        if loaded:  # an article loaded now is no longer a failure
            where, params = self._in("article_id", loaded)
            cur.execute(f"DELETE FROM failures WHERE {where}", params)
        for table, table_rows in rows.items():
            if table_rows:
                columns = [c for c in TABLE[table].column_names if c != "loaded_at"]
                if self.dialect == "postgres":  # COPY: several times faster than INSERTs
                    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                        for row in table_rows:
                            copy.write_row(row)
                else:
                    cur.executemany(self._insert_sql(table, columns), table_rows)
        if failures:
            columns = [c for c in TABLE["failures"].column_names if c != "failed_at"]
            conflict = (" ON CONFLICT (failure_key) DO UPDATE SET reason = excluded.reason, "
                        "extractor_version = excluded.extractor_version")
            cur.executemany(self._insert_sql("failures", columns, conflict),
                            [tuple(_no_nul(x) for x in (failure_key(f), f.article_id, f.source, f.line, f.stage,
                                                        f.reason, self.version)) for f in failures])
            stats.failures += len(failures)

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self.conn.close()


def _pad_heap(pad: int = 16 << 20) -> None:
    """Keep some free heap: without it glibc gives the heap top back to the OS after every batch of
    inserts and asks for it again (tens of thousands of brk calls; loading 3x slower)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL("libc.so.6").mallopt(-2, pad)  # M_TOP_PAD
    except (OSError, AttributeError):  # not glibc
        pass


def connect_sqlite(path: str | Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def connect_postgres(url: str) -> Any:
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise RuntimeError("PostgreSQL needs psycopg 3: pip install 'zh-project-extractor[postgres]'") from exc
    return psycopg.connect(url)


def open_sql_sink(url: str, batch: int | None = None) -> SqlSink:
    """`postgresql://...` (or a libpq `host=... dbname=...` string) -> PostgreSQL;
    `sqlite:///path` or a plain path -> SQLite.

    Articles are committed `batch` at a time (default 500, or $EXTRACTOR_DB_BATCH)."""
    batch = batch or int(os.environ.get("EXTRACTOR_DB_BATCH") or BATCH)
    if url.startswith(("postgresql://", "postgres://")) or re.match(r"(host|dbname|user|service)=", url):
        return SqlSink(connect_postgres(url), "postgres", batch)
    path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url
    if "://" in path:
        raise ValueError(f"unsupported database URL {url!r} (use a path, sqlite:///path or postgresql://...)")
    return SqlSink(connect_sqlite(path), "sqlite", batch)
