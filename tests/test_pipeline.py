"""Records name things as the article writes them, whatever the working text's normalisation."""

from __future__ import annotations

from extractor.models import Article
from extractor.pipeline import Pipeline, as_written
from extractor.text import normalise


def test_as_written_maps_back_to_traditional_and_full_width() -> None:
    wt = normalise("華辰新材料科技有限公司負極材料項目，ＡＢ能源公司")
    assert as_written(wt, "华辰新材料科技有限公司") == "華辰新材料科技有限公司"
    assert as_written(wt, "负极材料项目") == "負極材料項目"
    assert as_written(wt, "AB能源公司") == "ＡＢ能源公司"
    assert as_written(wt, "不在文中") == "不在文中"
    assert as_written(wt, None) is None


def test_traditional_article_names_are_written_in_traditional() -> None:
    text = "華辰新材料科技有限公司年產5萬噸負極材料項目總投資12.5億元，預計明年投產。"
    result = Pipeline().process(Article(id="t", text=text, published="2023-05-10"))
    names = {m.label.value: m.value for m in result.mentions if m.label.value in ("PROJECT", "ORG")}
    assert names == {"PROJECT": "華辰新材料科技有限公司年產5萬噸負極材料項目", "ORG": "華辰新材料科技有限公司"}
    project = result.projects[0]
    assert project.name == "華辰新材料科技有限公司年產5萬噸負極材料項目"
    assert project.company == "華辰新材料科技有限公司"
    assert {f.value for f in project.facts} >= {1250000000, 50000}
