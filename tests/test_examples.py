"""Every example corpus in tests/examples/*.yaml, run by one parametrised test (Duckling style).

A corpus file is
    label: MONEY                 # the label checked
    stages: [money]              # pipeline stages to run (names in pipeline.DEFAULT_STAGES)
    published: "2022-04-20"      # default anchor for relative dates (optional)
    examples:
      - text: 项目总投资12.5亿元。
        published: "2021-06"     # optional, per example
        expect:                  # every mention of `label`, in text order; [] = must find nothing
          - {text: 12.5亿元, value: 1250000000, unit: CNY, kind: investment_total, qualifier: exact}
Only the keys written in `expect` are compared (`text` and `value` always should be).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from extractor.models import Article
from extractor.pipeline import DEFAULT_STAGES, Pipeline
from extractor.scoring import same_number

EXAMPLES = Path(__file__).parent / "examples"


def _cases():
    for path in sorted(EXAMPLES.glob("*.yaml")):
        corpus = yaml.safe_load(path.read_text(encoding="utf-8"))
        for i, ex in enumerate(corpus["examples"]):
            yield pytest.param(corpus, ex, id=f"{path.stem}-{i}-{ex['text'][:16]}")


_PIPELINES: dict[tuple[str, ...], Pipeline] = {}


def _pipeline(stages: list[str]) -> Pipeline:
    key = tuple(stages)
    if key not in _PIPELINES:
        _PIPELINES[key] = Pipeline(stages)
    return _PIPELINES[key]


def _same(key: str, got, want) -> bool:
    if key in ("value", "value_max") and isinstance(want, int | float) and not isinstance(want, bool):
        return same_number(got, want) and abs(float(got) - float(want)) < 1e-6 * max(1.0, abs(float(want)))
    return got == want


@pytest.mark.parametrize(("corpus", "example"), list(_cases()))
def test_example(corpus: dict, example: dict) -> None:
    missing = [s for s in corpus["stages"] if s not in DEFAULT_STAGES]
    if missing:
        pytest.fail(f"stages {missing} are not registered in pipeline.DEFAULT_STAGES")
    label = corpus["label"]
    published = example.get("published", corpus.get("published"))
    article = Article(id="example", text=example["text"], published=published)
    result = _pipeline(corpus["stages"]).process(article)
    assert hasattr(result, "mentions"), f"failed: {result}"
    got = [m.model_dump() for m in result.mentions if m.label == label]
    want = example.get("expect") or []
    assert [m["text"] for m in got] == [w["text"] for w in want], got
    for g, w in zip(got, want, strict=True):
        wrong = {k: (g.get(k), v) for k, v in w.items() if not _same(k, g.get(k), v)}
        assert not wrong, f"{w['text']}: (got, want) {wrong}"
