"""The batch runner: streaming, workers, identical output, summary, exit statuses, resume, lost workers."""

from __future__ import annotations

import io
import json
import os
from collections import Counter
from pathlib import Path

import pytest
from batch_records import articles, write_jsonl

from extractor.batch import CHUNK, Done, Reporter, process_chunk, run
from extractor.cli import main
from extractor.engines import InProcess, ProcessPool, default_workers, make_engine
from extractor.models import Article, Failure
from extractor.sinks import JsonlSink


class ListSink:
    """Collects what the runner writes (a real sink for the tests: no database needed)."""

    stats = None

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.failures: list[Failure] = []

    def add(self, line, record=None, text=None) -> None:
        self.lines.append(line)

    def fail(self, failure) -> None:
        self.failures.append(failure)

    def known(self, ids):
        return {}

    def close(self) -> None:
        pass


def test_default_workers_is_every_core() -> None:
    assert default_workers() == len(os.sched_getaffinity(0))
    assert isinstance(make_engine("local", 1), InProcess)
    assert make_engine("local", 3).workers == 3


@pytest.mark.parametrize("engine", [InProcess(), ProcessPool(2)], ids=["in-process", "2-workers"])
def test_input_is_consumed_lazily(engine) -> None:
    """Memory stays flat: only a bounded window of articles is read ahead of what has been written."""
    pulled = 0
    ahead: list[int] = []
    sink = ListSink()

    def source():
        nonlocal pulled
        for row in articles(400):
            pulled += 1
            ahead.append(pulled - len(sink.lines) - len(sink.failures))
            yield Article.model_validate(row)

    try:
        summary = run(source(), sink, engine)
    finally:
        engine.close()
    assert summary.read == summary.processed == len(sink.lines) == 400
    # plus the one item read ahead to know whether it continues the page of the chunk's last piece
    limit = CHUNK * (1 if engine.workers == 1 else engine.window + 1) + 1
    assert max(ahead) <= limit


def test_output_is_identical_whatever_the_worker_count(tmp_path: Path) -> None:
    inputs = write_jsonl(tmp_path / "in.jsonl", articles(90))
    outs = []
    for workers in ("1", "2", "3"):
        out = tmp_path / f"out{workers}.jsonl"
        assert main(["run", str(inputs), "-o", str(out), "--workers", workers]) == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] == outs[2]
    ids = [json.loads(line)["article_id"] for line in outs[0].decode().splitlines()]
    assert ids == [f"t{i:04d}" for i in range(90)]


def test_summary_and_exit_status_some_failed(tmp_path: Path, capsys) -> None:
    rows = articles(3)
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(rows[0], ensure_ascii=False) + "\n{not json\n"
                    + json.dumps(rows[1], ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["run", str(path), "-o", str(out), "--workers", "1"]) == 1
    err = capsys.readouterr().err
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["article_id"] for x in lines] == ["t0000", "t0001"]  # the others are written
    assert "articles read 2, processed 2, failed 1 (1 unreadable input records)" in err
    assert f"{path}:2" in err  # the error says where
    labels = Counter(m["label"] for x in lines for m in json.loads(x)["mentions"])
    expected = ", ".join(f"{k} {v}" for k, v in sorted(labels.items())) if labels else "none"
    assert f"mentions: {expected}" in err
    assert "chars/s" in err and "\r" not in err  # no progress bar when stderr is not a terminal


def test_exit_status_all_ok_and_nothing_processed(tmp_path: Path, capsys) -> None:
    good = write_jsonl(tmp_path / "good.jsonl", articles(2))
    assert main(["run", str(good), "-o", str(tmp_path / "a.jsonl"), "--workers", "1"]) == 0
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n[1, 2]\n", encoding="utf-8")
    out = tmp_path / "b.jsonl"
    assert main(["run", str(bad), "-o", str(out), "--workers", "1"]) == 3
    assert out.read_text(encoding="utf-8") == ""
    assert "processed 0, failed 2" in capsys.readouterr().err


def test_stdout_carries_records_only(tmp_path: Path, capfd) -> None:
    inputs = write_jsonl(tmp_path / "in.jsonl", articles(3))
    assert main(["run", str(inputs), "--workers", "1"]) == 0
    out, err = capfd.readouterr()
    assert [json.loads(x)["article_id"] for x in out.splitlines()] == ["t0000", "t0001", "t0002"]
    assert "articles read 3" in err and "articles read" not in out


def test_progress_bar_only_on_a_terminal() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert Reporter(stream=io.StringIO()).bar is None
    tty = Tty()
    rep = Reporter(stream=tty)
    rep.advance(5)
    rep.close()
    assert "5 articles" in tty.getvalue() and "articles/s" in tty.getvalue()


def test_jsonl_resume_appends_after_a_cut_line(tmp_path: Path) -> None:
    inputs = write_jsonl(tmp_path / "in.jsonl", articles(20))
    full = tmp_path / "full.jsonl"
    assert main(["run", str(inputs), "-o", str(full), "--workers", "1"]) == 0
    lines = full.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = tmp_path / "cut.jsonl"
    cut.write_text("".join(lines[:7]) + lines[7][:25], encoding="utf-8")  # a run killed mid-line
    assert main(["run", str(inputs), "-o", str(cut), "--workers", "2", "--resume"]) == 0
    assert cut.read_bytes() == full.read_bytes()
    assert JsonlSink(str(cut), resume=True).known(["t0003", "t0019", "zzz"]) == {"t0003": None, "t0019": None}


def die_on_boom(chunk):
    """A chunk function whose worker dies (as on a crash or out of memory) on the article `boom`."""
    if any(getattr(a, "id", None) == "boom" for a in chunk):
        os._exit(1)
    return process_chunk(chunk)


def test_a_dead_worker_fails_its_chunk_only() -> None:
    rows = articles(60)
    rows[20]["id"] = "boom"
    items = [Article.model_validate(r) for r in rows]
    chunks = [items[i:i + 10] for i in range(0, 60, 10)]
    pool = ProcessPool(2)
    try:
        results = list(pool.map(die_on_boom, chunks))
    finally:
        pool.close()
    flat = [r for chunk in results for r in chunk]
    assert len(flat) == 60
    lost = [r.article_id for r in flat if isinstance(r, Failure)]
    assert lost == [r["id"] for r in rows[20:30]]
    assert all(isinstance(r, Done) for r in flat[:20] + flat[30:])
