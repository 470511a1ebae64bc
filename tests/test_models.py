"""The record contract is strict: every rule of SPEC section 2 is enforced by the models."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from extractor.document import Span
from extractor.models import Article, ArticleResult, Mention
from extractor.pipeline import Pipeline

TEXT = "项目总投资12.5亿元，年产5万吨负极材料，2022年年底建成。"


def money(**over) -> dict:
    m = {"label": "MONEY", "start": 5, "end": 11, "text": "12.5亿元", "value": 1250000000, "unit": "CNY",
         "kind": "investment_total", "qualifier": "exact"}
    m.update(over)
    return m


def result(*mentions: dict, projects: list | None = None) -> dict:
    return {"article_id": "a", "mentions": list(mentions), "projects": projects or []}


def validate(data: dict) -> ArticleResult:
    return ArticleResult.model_validate(data, context={"text": TEXT})


def test_valid_money_mention() -> None:
    r = validate(result(money()))
    assert r.mentions[0].value == 1250000000 and r.mentions[0].unit == "CNY"


@pytest.mark.parametrize(("change", "message"), [
    ({"start": 4}, "length"),
    ({"start": 6, "end": 12}, "article.text"),
    ({"unit": "RMB"}, "ISO 4217"),
    ({"kind": "investment"}, "kind"),
    ({"qualifier": "about"}, "qualifier"),
    ({"value": -1}, "non-negative"),
    ({"value": float("inf")}, "finite"),
    ({"value": "12.5亿"}, "number"),
    ({"value_max": 100}, "value_max"),
    ({"label": "SIZE"}, "label"),
    ({"mod": "END"}, "mod"),
    ({"per": "year"}, "per"),
])
def test_invalid_mentions_are_rejected(change: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        validate(result(money(**change)))


@pytest.mark.parametrize("value", ["2022", "2022-07", "2022-07-30", "2022-Q1", "2022-H2", "XXXX-07-30"])
def test_date_values_iso_partial(value: str) -> None:
    m = {"label": "DATE", "start": 22, "end": 29, "text": "2022年年底", "value": value, "kind": "completion"}
    assert validate(result(m)).mentions[0].value == value


@pytest.mark.parametrize("value", ["2022年", "22-07", "2022-13", "2022-Q5", "2022-07-32", "2022/07"])
def test_bad_date_values(value: str) -> None:
    m = {"label": "DATE", "start": 22, "end": 29, "text": "2022年年底", "value": value}
    with pytest.raises(ValidationError):
        validate(result(m))


def test_capacity_units_are_canonical_or_classifiers() -> None:
    cap = {"label": "CAPACITY", "start": 14, "end": 17, "text": "5万吨", "value": 50000, "unit": "t",
           "per": "year", "kind": "production", "product": "负极材料"}
    assert validate(result(cap)).mentions[0].per == "year"
    assert validate(result(dict(cap, unit="台"))).mentions[0].unit == "台"
    assert validate(result(dict(cap, unit="标准箱"))).mentions[0].unit == "标准箱"
    with pytest.raises(ValidationError, match="CAPACITY unit"):
        validate(result(dict(cap, unit="tons")))


def test_fact_indices_must_exist_and_match_labels() -> None:
    fact = {"label": "MONEY", "value": 1250000000, "unit": "CNY", "mentions": [0]}
    ok = validate(result(money(), projects=[{"name": "某项目", "facts": [fact]}]))
    assert ok.projects[0].facts[0].mentions == [0]
    with pytest.raises(ValidationError, match="index 3"):
        validate(result(money(), projects=[{"name": "某项目", "facts": [dict(fact, mentions=[3])]}]))
    with pytest.raises(ValidationError, match="points to"):
        validate(result(money(), projects=[{"name": "某项目", "facts": [dict(fact, label="JOBS", unit=None)]}]))


def test_extra_fields_are_refused() -> None:
    with pytest.raises(ValidationError):
        Mention.model_validate(dict(money(), confidence=0.9))


def test_article_published_format() -> None:
    assert Article(id=7, text="x", published="2022-04").id == "7"
    with pytest.raises(ValidationError):
        Article(id="a", text="x", published="2022年4月")


def test_invalid_result_becomes_a_failure_not_a_record() -> None:
    def bad_stage(doc) -> None:
        doc.spans.append(Span("MONEY", 5, 11, value=1250000000, unit="RMB", rule="test.bad"))

    pipeline = Pipeline([])
    pipeline.stages = [bad_stage]
    out = pipeline.process(Article(id="a", text=TEXT))
    assert out.stage == "validate" and "ISO 4217" in out.reason and out.article_id == "a"


def test_stage_crash_becomes_a_failure() -> None:
    def crash(doc) -> None:
        raise RuntimeError("boom")

    pipeline = Pipeline([])
    pipeline.stages = [crash]
    out = pipeline.process(Article(id="a", text=TEXT))
    assert out.stage == "extract" and out.reason == "RuntimeError: boom"
