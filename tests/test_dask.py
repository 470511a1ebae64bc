"""The Dask engine on a real LocalCluster of 2 worker processes: same output as the local engine."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from batch_records import articles, write_jsonl

from extractor.batch import run
from extractor.cli import main
from extractor.engines import DaskEngine, InProcess
from extractor.models import Article

pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def dask_engine() -> Iterator[DaskEngine]:
    engine = DaskEngine(workers=2)
    try:
        yield engine
    finally:
        engine.close()


class Lines:
    stats = None

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, line, record=None, text=None) -> None:
        self.lines.append(line)

    def fail(self, failure) -> None:
        self.lines.append("FAILED " + failure.model_dump_json())

    def known(self, ids):
        return {}

    def close(self) -> None:
        pass


def test_two_workers_in_partitions_give_the_local_output(dask_engine: DaskEngine) -> None:
    assert dask_engine.workers == 2
    rows = articles(30, prefix="d")
    local, distributed = Lines(), Lines()
    run((Article.model_validate(r) for r in rows), local, InProcess())
    summary = run((Article.model_validate(r) for r in rows), distributed, dask_engine, chunk=4)  # 8 partitions
    assert summary.processed == 30 and summary.failed == 0
    assert distributed.lines == local.lines
    assert [json.loads(x)["article_id"] for x in distributed.lines] == [r["id"] for r in rows]


def test_cli_on_a_scheduler_address_writes_the_same_database(dask_engine: DaskEngine, tmp_path: Path) -> None:
    inputs = write_jsonl(tmp_path / "in.jsonl", articles(12, prefix="c"))
    address = dask_engine.client.scheduler.address
    on_cluster, local = tmp_path / "cluster.sqlite", tmp_path / "local.sqlite"
    assert main(["run", str(inputs), "--db", str(on_cluster), "--engine", "dask", "--scheduler", address]) == 0
    assert main(["run", str(inputs), "--db", str(local), "--workers", "1"]) == 0
    query = "SELECT article_id, idx, label, start_char, end_char, value_num, value_text FROM mentions ORDER BY 1, 2"
    with sqlite3.connect(on_cluster) as a, sqlite3.connect(local) as b:
        assert a.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 12
        assert a.execute(query).fetchall() == b.execute(query).fetchall()
