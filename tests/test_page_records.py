"""One record per project across the pieces of a newspaper page."""

from __future__ import annotations

from extractor.batch import _chunks
from extractor.models import Article, ArticleResult
from extractor.page_records import merge_page_records
from extractor.pipeline import Pipeline

PAGE = ("华辰新材料负极材料二期项目建设现场。 受访者提供\n\n"
        "□本报记者 王明\n\n"
        "在华辰新材料科技有限公司年产5万吨负极材料二期项目现场，塔吊林立。该项目总投资12.5亿元，"
        "计划今年9月投产，可提供就业岗位600个。\n")


def _result(article_id: str, projects: list[dict], mentions: list[dict] | None = None) -> ArticleResult:
    return ArticleResult.model_validate({"article_id": article_id, "mentions": mentions or [], "projects": projects})


def test_a_factless_duplicate_becomes_an_alias_of_the_record_with_facts() -> None:
    money = {"label": "MONEY", "start": 0, "end": 6, "text": "12.5亿元", "value": 1250000000, "unit": "CNY"}
    caption = _result("p#1", [{"name": "华辰公司负极材料二期项目"}, {"name": "配套污水处理项目"}])
    body = _result("p#2", [{"name": "华辰新材料科技有限公司年产5万吨负极材料二期项目", "aliases": ["华辰二期项目"],
                            "facts": [{"label": "MONEY", "value": 1250000000, "unit": "CNY", "mentions": [0]}]}],
                   [money])
    merge_page_records([caption, body])
    assert [p.name for p in caption.projects] == ["配套污水处理项目"]
    assert body.projects[0].aliases == ["华辰二期项目", "华辰公司负极材料二期项目"]


def test_records_with_facts_and_other_phases_stay() -> None:
    one = _result("p#1", [{"name": "华辰公司负极材料一期项目"}])
    two = _result("p#2", [{"name": "华辰公司负极材料二期项目"}])
    merge_page_records([one, two])
    assert [p.name for p in one.projects] == ["华辰公司负极材料一期项目"]
    assert [p.name for p in two.projects] == ["华辰公司负极材料二期项目"]


def test_pipeline_merges_the_pieces_of_one_page() -> None:
    pieces = [Article(id="pg#1", text=PAGE, region=(0, 26)), Article(id="pg#2", text=PAGE, region=(26, len(PAGE)))]
    first, second = Pipeline().process_many(pieces)
    assert first.projects == [] or all(p.facts for p in first.projects)
    named = [p for p in second.projects if "负极材料二期项目" in p.name]
    assert len(named) == 1 and "华辰新材料负极材料二期项目" in named[0].aliases
    assert {f.value for f in named[0].facts} >= {1250000000, 600}


def test_chunks_keep_the_pieces_of_a_page_together() -> None:
    items = [Article(id=i, text="x") for i in ["a", "b#1", "b#2", "b#3", "c", "d"]]
    assert [[a.id for a in c] for c in _chunks(items, 2)] == [["a", "b#1", "b#2", "b#3"], ["c", "d"]]
