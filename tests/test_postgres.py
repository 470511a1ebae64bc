"""The PostgreSQL sink against a real server ($EXTRACTOR_TEST_PG_URL, started by .ci/services).

Skipped locally when the variable is unset; with CI=true a missing server is a failure.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from batch_records import EXPECTED, QUERIES, articles, record_lines, records, write_jsonl

from extractor import __version__
from extractor.cli import main
from extractor.models import Failure
from extractor.sinks import open_sink
from extractor.sinks.ddl import render_ddl

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parent.parent
TABLES = ("articles", "mentions", "projects", "facts", "failures")


@pytest.fixture(scope="module")
def server_url() -> str:
    url = os.environ.get("EXTRACTOR_TEST_PG_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("EXTRACTOR_TEST_PG_URL is not set: .ci/services did not start PostgreSQL")
        pytest.skip("EXTRACTOR_TEST_PG_URL is not set (see .ci/services)")
    return url


@pytest.fixture
def pg(server_url: str) -> Iterator[str]:
    """A fresh, empty database for one test (dropped afterwards); its URL."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(server_url)._replace(path="/" + name))
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sql(url: str, query: str, params: tuple = ()) -> list[tuple]:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(query, params or None).fetchall()


def counts(url: str) -> dict[str, int]:
    return {t: sql(url, f"SELECT COUNT(*) FROM {t}")[0][0] for t in TABLES}


def load(url: str, recs=None, texts: bool = True) -> None:
    sink = open_sink(db=url)
    for (text, _), line in zip(recs or records(), record_lines(recs), strict=True):
        sink.add(line, text=text if texts else None)
    sink.close()


def test_checked_in_ddl_runs_on_postgres(pg: str) -> None:
    import psycopg

    ddl = (ROOT / "schemas" / "postgres.sql").read_text(encoding="utf-8")
    assert ddl == render_ddl("postgres")
    with psycopg.connect(pg) as conn:
        conn.execute(ddl)
        conn.execute(ddl)  # IF NOT EXISTS: running it again changes nothing
    names = sql(pg, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    assert [n for (n,) in names] == sorted(TABLES)
    fks = sql(pg, "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint "
                  "WHERE contype = 'f' ORDER BY 1, 2")
    assert fks == [("facts", "mentions"), ("facts", "projects"), ("mentions", "articles"),
                   ("projects", "articles")]


def test_rows_types_and_provenance(pg: str) -> None:
    load(pg)
    assert counts(pg) == {"articles": 3, "mentions": 15, "projects": 3, "facts": 9, "failures": 0}
    rows = sql(pg, "SELECT f.label, f.value_num, f.surface, substr(a.text, f.start_char + 1, "
                   "f.end_char - f.start_char), f.rule, f.extractor_version FROM facts f "
                   "JOIN articles a USING (article_id) WHERE f.article_id = %s ORDER BY f.fact_idx", ("r1",))
    assert rows == [("MONEY", 1.6e9, "16亿元", "16亿元", "test-money", __version__),
                    ("DATE", None, "2024年3月", "2024年3月", "test-date", __version__),
                    ("JOBS", 600.0, "600个", "600个", "test-jobs", __version__)]
    (aliases, idxs), = sql(pg, "SELECT p.aliases, f.mention_idxs FROM projects p JOIN facts f USING "
                              "(article_id, project_idx) WHERE p.article_id = 'r2' AND f.label = 'JOBS'")
    assert aliases == [] and idxs == [4]  # JSONB comes back as JSON values


@pytest.mark.parametrize("name", list(QUERIES))
def test_readme_queries(pg: str, name: str) -> None:
    load(pg)
    assert sql(pg, QUERIES[name]) == EXPECTED[name]


def test_idempotent_replacing_and_constraints(pg: str) -> None:
    import psycopg

    load(pg)
    before = counts(pg)
    load(pg)
    assert counts(pg) == before
    text, rec = records()[0]
    rec["projects"][0]["facts"] = rec["projects"][0]["facts"][:1]  # r1 comes back with one fact only
    load(pg, [(text, rec)])
    assert counts(pg)["facts"] == before["facts"] - 2
    assert sql(pg, "SELECT label FROM facts WHERE article_id = 'r1'") == [("MONEY",)]
    with psycopg.connect(pg) as conn, pytest.raises(psycopg.errors.CheckViolation):
        conn.execute("UPDATE mentions SET end_char = start_char WHERE article_id = 'r1' AND idx = 0")
    with psycopg.connect(pg) as conn, pytest.raises(psycopg.errors.ForeignKeyViolation):
        conn.execute("INSERT INTO projects (article_id, project_idx, name, aliases) VALUES ('nope', 0, 'x', '[]')")


def test_values_are_bound_not_formatted(pg: str) -> None:
    text, rec = records()[0]
    rec["article_id"] = "x'); DROP TABLE articles; --"
    load(pg, [(text, rec)])
    assert sql(pg, "SELECT article_id FROM articles") == [("x'); DROP TABLE articles; --",)]


def test_run_load_resume_and_failures(pg: str, tmp_path: Path, capsys) -> None:
    rows = articles(8)
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[:5]) + "{bad\n"
                    + "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[5:]), encoding="utf-8")
    assert main(["run", str(path), "--db", pg, "--workers", "2"]) == 1
    assert counts(pg)["articles"] == 8 and counts(pg)["failures"] == 1
    assert sql(pg, "SELECT line, stage FROM failures") == [(6, "parse")]
    before = counts(pg)
    assert main(["run", str(path), "--db", pg, "--workers", "1"]) == 1
    assert counts(pg) == before
    capsys.readouterr()
    assert main(["run", str(path), "--db", pg, "--workers", "1", "--resume"]) == 1
    assert "skipped 8 (already loaded)" in capsys.readouterr().err

    results = write_jsonl(tmp_path / "out.jsonl", [])
    assert main(["run", str(path), "-o", str(results), "--workers", "1"]) == 1
    capsys.readouterr()
    assert main(["load", str(results), "--db", pg]) == 0
    # the same records without their text: nothing to do, the stored text stays
    assert "0 articles inserted, 0 replaced, 8 unchanged" in capsys.readouterr().err
    assert counts(pg) == before
    assert sql(pg, "SELECT COUNT(*) FROM articles WHERE text IS NOT NULL") == [(8,)]


def test_failure_rows_are_not_duplicated(pg: str) -> None:
    for _ in range(2):
        sink = open_sink(db=pg)
        sink.fail(Failure(source="x.jsonl", line=3, stage="parse", reason="invalid JSON"))
        sink.close()
    assert sql(pg, "SELECT source, line, stage, reason FROM failures") == [("x.jsonl", 3, "parse", "invalid JSON")]


def test_text_postgres_cannot_store_fails_that_article_only(pg: str) -> None:
    sink = open_sink(db=pg)
    for i, ((text, _), line) in enumerate(zip(records(), record_lines(), strict=True)):
        sink.add(line, text=text + "\x00" if i == 0 else text)  # NUL: valid JSON, refused by PostgreSQL
    sink.close()
    assert [f.article_id for f in sink.refused] == ["r1"]
    assert sql(pg, "SELECT article_id FROM articles ORDER BY 1") == [("r2",), ("r3",)]
    assert sql(pg, "SELECT article_id, stage FROM failures") == [("r1", "write")]
