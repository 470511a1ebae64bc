"""DATE recognizer: the rule tables and value resolution across sentences of one article.

Single phrases in context live in tests/examples/date.yaml; these tests cover what needs a
whole article (years carried from sentence to sentence) and the integrity of dates.yaml.
"""

from __future__ import annotations

import pytest

from extractor.dates import find_dates, tables, variants
from extractor.models import KINDS, Label
from extractor.tables import load_table
from extractor.text import split_sentences


def dates_of(text: str, published: str | None) -> list[tuple[str, str, str | None, str]]:
    return [(text[d.start:d.end], d.value, d.mod, d.kind)
            for d in find_dates(text, split_sentences(text), published)]


def test_kind_table_uses_contract_kinds() -> None:
    kinds = load_table("dates")["kinds"]
    assert set(kinds) <= KINDS[Label.DATE]
    assert set(tables().kind_of.values()) <= KINDS[Label.DATE]


def test_traditional_variants_are_added() -> None:
    assert {"开工", "開工"} <= set(variants(["开工"]))
    assert tables().kind_of["簽約"] == "signing"
    assert tables().kind_of["併網"] == "operation"


def test_longer_kind_word_wins() -> None:
    assert dates_of("计划2025年建成投产。", None) == [("2025年", "2025", None, "operation")]


def test_year_from_preceding_sentence_then_published() -> None:
    text = "该项目2019年7月获批。12月18日，项目正式开工。"
    assert dates_of(text, "2022-04-20") == [
        ("2019年7月", "2019-07", None, "other"),
        ("12月18日", "2019-12-18", None, "start"),
    ]
    assert dates_of("12月18日，项目正式开工。", "2022-04-20") == [("12月18日", "2022-12-18", None, "start")]
    assert dates_of("12月18日，项目正式开工。", None) == [("12月18日", "XXXX-12-18", None, "start")]


def test_year_from_later_date_of_same_sentence_not_from_later_sentence() -> None:
    text = "4月15日，水库大坝登顶。该电站2017年12月开工。"
    assert dates_of(text, None)[0] == ("4月15日", "XXXX-04-15", None, "other")
    text = "项目计划于2月25日开工，将在2021年2月竣工投产。"
    assert [v for _, v, _, _ in dates_of(text, None)] == ["2021-02-25", "2021-02"]


def test_relative_years_resolve_against_published_only() -> None:
    text = "截至106年底，台灣太陽光電裝置容量180MW，而今年2月剛動工的工程可望在年底前完工。"
    assert dates_of(text, None) == [
        ("106年底", "2017", "END", "other"),
        ("今年2月", "XXXX-02", None, "start"),
        ("年底", "XXXX", "END", "completion"),
    ]
    assert [v for _, v, _, _ in dates_of(text, "2019-05-02")] == ["2017", "2019-02", "2019"]


def test_relative_days_need_a_published_day() -> None:
    assert dates_of("昨日签约项目18个。", "2011-03-01") == [("昨日", "2011-02-28", None, "signing")]
    assert dates_of("昨日签约项目18个。", "2011-03") == [("昨日", "2011-03", None, "signing")]
    assert dates_of("昨日签约项目18个。", None) == []


@pytest.mark.parametrize("published", [None, "2022-04-20"])
def test_output_depends_only_on_input(published: str | None) -> None:
    text = "今年一季度，全市新开工项目52个。4月末，设备进场。"
    assert dates_of(text, published) == dates_of(text, published)
    assert all("XXXX" in v for _, v, _, _ in dates_of(text, None))


def test_bare_day_takes_month_of_preceding_date() -> None:
    text = "我市“7·18”招商活动成效显著，截至21日，已签约项目52项。"
    assert [v for _, v, _, _ in dates_of(text, "2008-07-22")] == ["2008-07-18", "2008-07-21"]
    assert dates_of("投资事务所23日通过3家企业的申请。", "2022-04-24") == []


def test_rule_ids_name_the_phrase_form() -> None:
    text = "2022年5月10日开工，今年底建成，二季度投产，1-6月完成投资。"
    rules = [d.rule for d in find_dates(text, split_sentences(text), "2022-04-20")]
    assert rules == ["date.year+month_day", "date.relative_year+mod", "date.quarter", "date.month_range"]
