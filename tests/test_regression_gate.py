"""Regression gate: the pipeline's scores on the bundled corpus never fall below the floors.

The floors live in one place, `tests/score_floors.yaml`, set at the level reached (rounded down),
so any regression fails CI. Raise them when the pipeline improves; the README shows the table.
The pipeline runs as `extractor run corpus/articles` does (formats, encodings, page splitting);
the dev-set floors apply where `../shared` exists.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from extractor.inputs import read_articles
from extractor.models import Article, ArticleResult
from extractor.pipeline import Pipeline
from extractor.scoring import score

ROOT = Path(__file__).resolve().parent.parent
FLOORS = yaml.safe_load((Path(__file__).parent / "score_floors.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def corpus_scores() -> dict:
    items = list(read_articles([str(ROOT / "corpus" / "articles")]))
    assert all(isinstance(a, Article) for a in items), items
    results = Pipeline().process_many(items)
    failed = [r for r in results if not isinstance(r, ArticleResult)]
    assert not failed, failed
    with open(ROOT / "corpus" / "gold.jsonl", encoding="utf-8") as fh:
        gold = [json.loads(line) for line in fh]
    return score(gold, [r.model_dump(mode="json") for r in results])


def _lookup(scores: dict, key: str) -> float:
    node = scores
    for part in key.split("."):
        node = node[part]
    return float(node)


@pytest.mark.parametrize(("key", "floor"), sorted(FLOORS["corpus"].items()))
def test_corpus_score_at_least_floor(corpus_scores: dict, key: str, floor: float) -> None:
    got = _lookup(corpus_scores, key)
    assert got >= floor, f"{key} = {got:.4f} fell below its floor {floor}"


@pytest.fixture(scope="module")
def devset_scores(shared_dir: Path) -> dict:
    pipeline = Pipeline()
    results = pipeline.process_many(a for a in read_articles([str(shared_dir / "devset" / "input.jsonl")])
                                    if isinstance(a, Article))
    with open(shared_dir / "devset" / "gold.jsonl", encoding="utf-8") as fh:
        gold = [json.loads(line) for line in fh]
    return score(gold, [r.model_dump(mode="json") for r in results if isinstance(r, ArticleResult)])


@pytest.mark.parametrize(("key", "floor"), sorted(FLOORS["devset"].items()))
def test_devset_score_at_least_floor(devset_scores: dict, key: str, floor: float) -> None:
    got = _lookup(devset_scores, key)
    assert got >= floor, f"dev set {key} = {got:.4f} fell below its floor {floor}"
