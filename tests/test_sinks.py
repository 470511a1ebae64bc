"""Sinks on a real SQLite database: tables, provenance, idempotent loading, replacement, resume, kill."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from batch_records import EXPECTED, QUERIES, articles, record_lines, records, write_jsonl

from extractor import __version__
from extractor.cli import main
from extractor.models import Failure
from extractor.sinks import open_sink
from extractor.sinks.ddl import TABLES, render_ddl

ROOT = Path(__file__).resolve().parent.parent
TABLE_NAMES = [t.name for t in TABLES]


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLE_NAMES}


def load(db: Path, recs=None, texts: bool = False, batch: int = 500) -> None:
    sink = open_sink(db=str(db))
    sink.batch = batch
    for (text, _), line in zip(recs or records(), record_lines(recs), strict=True):
        sink.add(line, text=text if texts else None)
    sink.close()


def test_checked_in_ddl_creates_the_five_tables(tmp_path: Path) -> None:
    sql = (ROOT / "schemas" / "sqlite.sql").read_text(encoding="utf-8")
    assert sql == render_ddl("sqlite")
    with sqlite3.connect(tmp_path / "x.sqlite") as conn:
        conn.executescript(sql)
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert names == {"articles", "mentions", "projects", "facts", "failures"}


def test_records_become_rows_with_provenance(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite"
    load(db, texts=True)
    assert counts(db) == {"articles": 3, "mentions": 15, "projects": 3, "facts": 9, "failures": 0}
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT f.article_id, f.label, f.value_num, f.value_text, f.start_char, f.end_char, f.surface, "
            "f.rule, f.extractor_version, a.text FROM facts f JOIN articles a USING (article_id) "
            "ORDER BY f.article_id, f.fact_idx").fetchall()
        assert len(rows) == 9
        for _aid, label, _num, _txt, start, end, surface, rule, version, text in rows:
            assert text[start:end] == surface  # from any number back to the sentence it came from
            assert rule == f"test-{label.lower()}" and version == __version__
        money = [(r[0], r[2], r[6]) for r in rows if r[1] == "MONEY"]
        assert money == [("r1", 1.6e9, "16亿元"), ("r2", 8.5e8, "8.5亿元"), ("r3", 1.2e9, "12亿元")]
        assert [r[3] for r in rows if r[1] == "DATE"] == ["2024-03", "2024-06", "2024-03"]
        in_sql = conn.execute("SELECT COUNT(*) FROM facts f JOIN articles a USING (article_id) "
                              "WHERE substr(a.text, f.start_char + 1, f.end_char - f.start_char) = f.surface")
        assert in_sql.fetchone()[0] == 9  # the README's way back from a number to its text
        company, aliases = conn.execute("SELECT company, aliases FROM projects WHERE article_id = 'r2'").fetchone()
        assert company == "景岳材料集团" and json.loads(aliases) == []


@pytest.mark.parametrize("name", list(QUERIES))
def test_readme_queries(tmp_path: Path, name: str) -> None:
    db = tmp_path / "q.sqlite"
    load(db)
    with sqlite3.connect(db) as conn:
        assert conn.execute(QUERIES[name]).fetchall() == EXPECTED[name]


def test_loading_twice_adds_no_rows_and_changed_articles_are_replaced(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite"
    load(db)
    before = counts(db)
    sink = open_sink(db=str(db))
    for line in record_lines():
        sink.add(line)
    sink.close()
    assert counts(db) == before
    assert (sink.stats.inserted, sink.stats.replaced, sink.stats.unchanged) == (0, 0, 3)

    # r2 comes back with new content: one project, no DATE
    text, rec = records()[1]
    rec = json.loads(json.dumps(rec))
    rec["mentions"] = [m for m in rec["mentions"] if m["label"] != "DATE"]
    rec["projects"][0]["facts"] = [
        {**f, "mentions": [next(i for i, m in enumerate(rec["mentions"]) if m["label"] == f["label"])]}
        for f in rec["projects"][0]["facts"] if f["label"] != "DATE"]
    sink = open_sink(db=str(db))
    sink.add(json.dumps(rec, ensure_ascii=False), text=text)
    sink.close()
    assert sink.stats.replaced == 1
    with sqlite3.connect(db) as conn:
        labels = [r[0] for r in conn.execute("SELECT label FROM mentions WHERE article_id = 'r2' ORDER BY idx")]
        assert labels == ["PROJECT", "ORG", "MONEY", "JOBS"]
        assert conn.execute("SELECT COUNT(*) FROM facts WHERE article_id = 'r2'").fetchone()[0] == 2
        assert conn.execute("SELECT text FROM articles WHERE article_id = 'r2'").fetchone()[0] == text
    assert counts(db)["mentions"] == before["mentions"] - 1


def test_values_are_bound_not_formatted(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite"
    text, rec = records()[0]
    rec["article_id"] = "x'); DROP TABLE articles; --"
    load(db, [(text, rec)])
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT article_id FROM articles").fetchall() == [("x'); DROP TABLE articles; --",)]


def test_failures_are_recorded_once_and_cleared_when_the_article_loads(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite"
    for _ in range(2):
        sink = open_sink(db=str(db))
        sink.fail(Failure(article_id="r1", source="in.jsonl", line=1, stage="extract", reason="boom"))
        sink.fail(Failure(source="in.jsonl", line=7, stage="parse", reason="invalid JSON"))
        sink.close()
    assert counts(db)["failures"] == 2
    load(db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT source, line, stage FROM failures").fetchall() == [("in.jsonl", 7, "parse")]


def test_load_command_and_pipe(tmp_path: Path) -> None:
    results = tmp_path / "results.jsonl"
    results.write_text("\n".join(record_lines()) + "\n{broken\n", encoding="utf-8")
    db = tmp_path / "l.sqlite"
    assert main(["load", str(results), "--db", f"sqlite:///{db}"]) == 1  # one bad line, the rest loaded
    assert counts(db) == {"articles": 3, "mentions": 15, "projects": 3, "facts": 9, "failures": 1}
    assert main(["load", str(results), "--db", str(db)]) == 1
    assert counts(db)["failures"] == 1 and counts(db)["articles"] == 3

    inputs = write_jsonl(tmp_path / "in.jsonl", articles(5))
    piped = tmp_path / "piped.sqlite"
    direct = tmp_path / "direct.sqlite"
    exe = [sys.executable, "-m", "extractor.cli"]
    run = subprocess.run([*exe, "run", str(inputs), "--workers", "1"], capture_output=True, check=True)
    done = subprocess.run([*exe, "load", "-", "--db", str(piped)], input=run.stdout, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
    assert main(["run", str(inputs), "--db", str(direct), "--workers", "1"]) == 0
    query = "SELECT article_id, idx, label, start_char, end_char, surface, value_num, value_text FROM mentions " \
            "ORDER BY article_id, idx"
    with sqlite3.connect(piped) as a, sqlite3.connect(direct) as b:
        assert a.execute(query).fetchall() == b.execute(query).fetchall()
        assert a.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 5
        assert b.execute("SELECT COUNT(*) FROM articles WHERE text IS NOT NULL").fetchone()[0] == 5


def test_every_input_article_is_loaded_or_in_failures(tmp_path: Path) -> None:
    rows = articles(4)
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[:2]) + "not json\n"
                    + '{"id": "no-text"}\n' + json.dumps(rows[2], ensure_ascii=False) + "\n", encoding="utf-8")
    db = tmp_path / "r.sqlite"
    assert main(["run", str(path), "--db", str(db), "--workers", "1"]) == 1
    with sqlite3.connect(db) as conn:
        loaded = [r[0] for r in conn.execute("SELECT article_id FROM articles ORDER BY article_id")]
        failed = conn.execute("SELECT source, line FROM failures ORDER BY line").fetchall()
    assert loaded == ["t0000", "t0001", "t0002"]
    assert [line for _, line in failed] == [3, 4] and all(s.endswith("in.jsonl") for s, _ in failed)


def test_killed_run_leaves_complete_articles_and_resume_finishes(tmp_path: Path) -> None:
    n = 400
    inputs = write_jsonl(tmp_path / "in.jsonl", articles(n))
    db = tmp_path / "k.sqlite"
    cmd = [sys.executable, "-m", "extractor.cli", "run", str(inputs), "--db", str(db), "--workers", "1"]
    env = {**os.environ, "EXTRACTOR_DB_BATCH": "20"}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:  # kill after the first commit
            if db.exists():
                try:
                    with sqlite3.connect(db) as conn:
                        if conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]:
                            break
                except sqlite3.OperationalError:
                    pass
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    with sqlite3.connect(db) as conn:
        partial = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        # whole articles only: each loaded article has exactly the rows its record announces
        bad = conn.execute(
            "SELECT a.article_id FROM articles a WHERE a.n_mentions != "
            "(SELECT COUNT(*) FROM mentions m WHERE m.article_id = a.article_id) OR a.n_projects != "
            "(SELECT COUNT(*) FROM projects p WHERE p.article_id = a.article_id)").fetchall()
        orphans = conn.execute("SELECT COUNT(*) FROM mentions WHERE article_id NOT IN "
                               "(SELECT article_id FROM articles)").fetchone()[0]
    assert 0 < partial and partial % 20 == 0 and bad == [] and orphans == 0

    assert main(["run", str(inputs), "--db", str(db), "--workers", "1", "--resume"]) == 0
    fresh = tmp_path / "fresh.sqlite"
    assert main(["run", str(inputs), "--db", str(fresh), "--workers", "1"]) == 0
    query = "SELECT article_id, idx, label, start_char, end_char, value_num, value_text FROM mentions " \
            "ORDER BY article_id, idx"
    with sqlite3.connect(db) as a, sqlite3.connect(fresh) as b:
        assert a.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == n
        assert a.execute(query).fetchall() == b.execute(query).fetchall()


def test_resume_skips_loaded_articles_but_not_changed_ones(tmp_path: Path, capsys) -> None:
    rows = articles(6)
    inputs = write_jsonl(tmp_path / "in.jsonl", rows)
    db = tmp_path / "r.sqlite"
    assert main(["run", str(inputs), "--db", str(db), "--workers", "1"]) == 0
    rows[1]["text"] += "\n另有配套项目正在建设。"
    write_jsonl(inputs, rows)
    capsys.readouterr()
    assert main(["run", str(inputs), "--db", str(db), "--workers", "1", "--resume"]) == 0
    err = capsys.readouterr().err
    assert "articles read 6, processed 1, failed 0, skipped 5 (already loaded)" in err
    with sqlite3.connect(db) as conn:
        text = conn.execute("SELECT text FROM articles WHERE article_id = 't0001'").fetchone()[0]
    assert text == rows[1]["text"]


def test_failures_travel_to_the_database_through_an_errors_file(tmp_path: Path) -> None:
    rows = articles(3)
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(rows[0], ensure_ascii=False) + "\n{broken\n" + json.dumps(rows[1], ensure_ascii=False)
                    + "\n", encoding="utf-8")
    out, errors, db = tmp_path / "out.jsonl", tmp_path / "errors.jsonl", tmp_path / "r.sqlite"
    assert main(["run", str(path), "-o", str(out), "--errors", str(errors), "--workers", "1"]) == 1
    assert [json.loads(x)["line"] for x in errors.read_text(encoding="utf-8").splitlines()] == [2]
    assert main(["load", str(out), str(errors), "--db", str(db)]) == 1  # the failure is counted as failed
    with sqlite3.connect(db) as conn:
        assert [r[0] for r in conn.execute("SELECT article_id FROM articles ORDER BY 1")] == ["t0000", "t0001"]
        assert conn.execute("SELECT line, stage FROM failures").fetchall() == [(2, "parse")]


def test_a_record_the_database_refuses_becomes_a_failure_and_the_rest_loads(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite"
    recs = records()
    _, bad = recs[1]
    bad = json.loads(json.dumps(bad))
    bad["mentions"][2]["kind"] = "not-a-kind"  # violates the CHECK constraint (no validation here)
    sink = open_sink(db=str(db))
    for (t, _), line in zip(recs, [record_lines()[0], json.dumps(bad, ensure_ascii=False), record_lines()[2]],
                            strict=True):
        sink.add(line, text=t)
    sink.close()
    assert [f.article_id for f in sink.refused] == ["r2"]
    with sqlite3.connect(db) as conn:
        assert [r[0] for r in conn.execute("SELECT article_id FROM articles ORDER BY 1")] == ["r1", "r3"]
        (aid, stage, reason), = conn.execute("SELECT article_id, stage, reason FROM failures").fetchall()
    assert (aid, stage) == ("r2", "write") and "CHECK constraint failed" in reason
    assert (sink.stats.inserted, sink.stats.failures) == (2, 1)


def test_load_resume_skips_what_is_loaded(tmp_path: Path, capsys) -> None:
    results = tmp_path / "results.jsonl"
    lines = record_lines()
    results.write_text(lines[0] + "\n", encoding="utf-8")
    db = tmp_path / "r.sqlite"
    assert main(["load", str(results), "--db", str(db)]) == 0
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["load", str(results), "--db", str(db), "--resume"]) == 0
    assert "records read 3, processed 2, failed 0, skipped 1 (already loaded)" in capsys.readouterr().err
    assert counts(db)["articles"] == 3
