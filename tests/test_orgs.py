"""ORG names without a legal suffix (extractor/orgs.py); end-to-end cases are in examples/org_short.yaml."""

from __future__ import annotations

import opencc
import pytest

from extractor import orgs
from extractor.document import Span
from extractor.tables import load_table


@pytest.fixture(scope="module")
def rs() -> orgs.OrgRules:
    return orgs.rules()


def _found(text: str, spans: list[Span] | None = None) -> list[tuple[str, str | None]]:
    return [(text[s.start:s.end], s.rule) for s in orgs.find_orgs(text, spans or [])]


def test_known_names_are_simplified_and_unique() -> None:
    """The working text is Simplified: a Traditional entry could never match."""
    names = [n for group in load_table("orgs")["known"] for n in group]
    t2s = opencc.OpenCC("t2s")
    assert [n for n in names if t2s.convert(n) != n] == []
    assert len(names) == len(set(names))


@pytest.mark.parametrize(("name", "forms"), [
    ("杭州锐晶微电子股份有限公司", ["杭州锐晶微电子", "锐晶微电子", "锐晶微", "锐晶"]),
    ("台丰公司", ["台丰"]),
    ("江苏锦洋新材料股份有限公司", ["江苏锦洋新材料", "锦洋新材料", "锦洋新", "锦洋", "锦洋新材"]),
    ("陕西能源化工集团有限公司", []),  # nothing but a place and industry words
])
def test_short_forms(rs: orgs.OrgRules, name: str, forms: list[str]) -> None:
    assert orgs._short_forms(name, rs) == forms


@pytest.mark.parametrize(("text", "start", "end", "crosses"), [
    ("北京东路改造", 1, 3, True),      # 京东 inside 北京 | 东路
    ("中华能源集团", 1, 3, True),      # 华能 inside 中华 | 能源
    ("，京东宣布投资", 1, 3, False),
    ("台电表示", 0, 2, False),
])
def test_crosses_word(text: str, start: int, end: int, crosses: bool) -> None:
    assert orgs._crosses_word(text, start, end) is crosses


def test_known_name_takes_industry_word_and_china_prefix() -> None:
    assert _found("由中国葛洲坝集团出资建设。中交能源宣布开工。") == [
        ("中国葛洲坝集团", "org-known"), ("中交能源", "org-known")]


def test_known_name_before_a_category_or_an_office_is_no_org() -> None:
    assert _found("中国船舶企业新接订单增长，任命王建华为局长。") == []


def test_place_brand_needs_a_company_context() -> None:
    assert _found("河东能源结构持续优化。") == []
    assert _found("河东能源董事长介绍，项目年内投产。") == [("河东能源", "org-brand")]


def test_common_word_brand_is_no_name() -> None:
    """外地 and 试点 are words, not brands, whatever follows them."""
    assert _found("与外地企业签署协议，成为试点企业。") == []


def test_names_already_found_are_not_repeated() -> None:
    text = "锐晶科技有限公司宣布，锐晶科技将投资10亿元。"
    found = Span("ORG", 0, 8, value="锐晶科技有限公司", rule="org-head")
    assert _found(text, [found]) == [("锐晶科技", "org-brand")]


def test_short_form_only_inside_project_names_is_no_org() -> None:
    """SPEC: 联顺 only inside 联顺项目 is not annotated."""
    text = "丰禾生物科技有限公司投资建设丰禾二期项目。丰禾二期项目年内投产。"
    company = Span("ORG", 0, 10, value="丰禾生物科技有限公司", rule="org-head")
    projects = [Span("PROJECT", 14, 20, value="丰禾二期项目"), Span("PROJECT", 21, 27, value="丰禾二期项目")]
    assert _found(text, [company, *projects]) == []


def test_short_form_used_on_its_own_is_an_org_everywhere() -> None:
    text = "台丰公司投资建设台丰储能项目。台丰表示，台丰储能项目明年启用。"
    company = Span("ORG", 0, 4, value="台丰公司", rule="org-head")
    projects = [Span("PROJECT", 8, 14, value="台丰储能项目"), Span("PROJECT", 20, 26, value="台丰储能项目")]
    assert _found(text, [company, *projects]) == [("台丰", "org-short"), ("台丰", "org-short"), ("台丰", "org-short")]


def test_institution_owns_a_project_named_after_it() -> None:
    text = "江城医科大学附属医院东院区项目开工，江城医科大学附属医院项目竣工。"
    projects = [Span("PROJECT", 0, 15, value="江城医科大学附属医院东院区项目"),
                Span("PROJECT", 18, 30, value="江城医科大学附属医院项目")]
    # the first names what the hospital builds, so the hospital is an ORG wherever it is named
    hospital = "江城医科大学附属医院"
    assert _found(text, projects) == [(hospital, "org-institution"), (hospital, "org-short")]


def test_hospital_that_is_itself_the_project_is_no_org() -> None:
    text = "江城医科大学附属医院项目竣工。"
    assert _found(text, [Span("PROJECT", 0, 12, value="江城医科大学附属医院项目")]) == []
