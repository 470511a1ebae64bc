"""The number parser: exact Decimal values, Chinese and mixed numerals, cn2an where it is right."""

from __future__ import annotations

from decimal import Decimal

import cn2an
import pytest
import regex

from extractor.numerals import NUMBER, is_vague, parse_number, to_json_number

_NUMBER = regex.compile(NUMBER)

EXACT = [
    ("12.5亿", Decimal("1250000000")),
    ("3541.07万", Decimal("35410700")),
    ("370.2亿", Decimal("37020000000")),
    ("1.3万", Decimal("13000")),
    ("3千万", Decimal("30000000")),
    ("1,200万", Decimal("12000000")),
    ("80000万", Decimal("800000000")),
    ("0.5亿", Decimal("50000000")),
    ("1.3万亿", Decimal("1300000000000")),
    ("2兆41亿", Decimal("2004100000000")),
    ("2兆6,218亿", Decimal("2621800000000")),
    ("16万4,554", Decimal("164554")),
    ("5万7801", Decimal("57801")),
    ("17 亿", Decimal("1700000000")),
    ("三千五百万", Decimal("35000000")),
    ("两千", Decimal("2000")),
    ("十一", Decimal("11")),
    ("十万零一千", Decimal("101000")),
    ("十万〇一千", Decimal("101000")),
    ("一千零五十", Decimal("1050")),
    ("三万五", Decimal("35000")),
    ("两千六", Decimal("2600")),
    ("一百二", Decimal("120")),
    ("一亿二", Decimal("120000000")),
    ("三万五千", Decimal("35000")),
    ("八十三亿九千万", Decimal("8390000000")),
    ("五千零四", Decimal("5004")),
    ("百", Decimal("100")),
    ("百亿", Decimal("10000000000")),
    ("十九‧九一亿", Decimal("1991000000")),
    ("二‧二五", Decimal("2.25")),
    ("三点五亿", Decimal("350000000")),
    ("一九○", Decimal("190")),
    ("五六○", Decimal("560")),
    ("二〇二二", Decimal("2022")),
    ("壹佰贰拾万", Decimal("1200000")),
    ("兩千萬", Decimal("20000000")),
]


@pytest.mark.parametrize(("text", "value"), EXACT)
def test_exact_values(text: str, value: Decimal) -> None:
    got = parse_number(text)
    assert got == value
    assert isinstance(got, Decimal)


def test_decimal_arithmetic_is_exact() -> None:
    assert parse_number("12.5亿") == 1250000000
    assert to_json_number(parse_number("12.5亿")) == 1250000000
    assert isinstance(to_json_number(parse_number("12.5亿")), int)
    assert parse_number("0.1亿") + parse_number("0.2亿") == parse_number("0.3亿")
    assert to_json_number(parse_number("2.25")) == 2.25


@pytest.mark.parametrize("text", ["两三", "三四", "七八", "三五", "十几", "几百", "数百", "三四百", "二三十", "万", ""])
def test_approximate_forms_are_no_number(text: str) -> None:
    assert parse_number(text) is None


CN2AN_RIGHT = ["三千五百万", "十万零一千", "三万五", "两千六", "一百二", "八十三亿九千万", "五千零四"]


@pytest.mark.parametrize("text", CN2AN_RIGHT)
def test_cn2an_agrees_where_it_is_right(text: str) -> None:
    assert Decimal(cn2an.cn2an(text, "normal")) == parse_number(text)


def test_cn2an_mistakes_are_wrapped() -> None:
    assert cn2an.cn2an("两三", "normal") == 23  # cn2an reads "about two or three" as 23
    assert parse_number("两三") is None
    with pytest.raises(KeyError):
        cn2an.cn2an("一亿二", "normal")
    assert parse_number("一亿二") == 120000000


@pytest.mark.parametrize(("text", "number"), [
    ("计划投资3541.07万元2.3本项目", "3541.07万"),
    ("30万千瓦", "30万"),
    ("200兆瓦", "200"),
    ("500千克", "500"),
    ("投资3亿一期", "3亿"),
    ("2亿2021年", "2亿"),
    ("16萬4,554個", "16萬4,554"),
    ("1,4-丁二醇", "1"),
])
def test_number_fragment_stops_at_the_right_place(text: str, number: str) -> None:
    m = _NUMBER.search(text)
    assert m is not None and m.group() == number


def test_scale_character_does_not_start_a_number() -> None:
    assert _NUMBER.match("万达") is None
    assert _NUMBER.match("亿纬锂能") is None


@pytest.mark.parametrize(("text", "start", "vague"), [
    ("上千人", 1, True), ("数百名", 1, True), ("第三方", 1, True), ("完成1065亿元", 2, False),
    ("近千人", 1, False),
])
def test_vague_and_ordinal_prefixes(text: str, start: int, vague: bool) -> None:
    assert is_vague(text, start) is vague


def test_garbage_input_is_bounded() -> None:
    assert parse_number("1" * 100) is None
    assert parse_number("一" * 100) is None
    m = _NUMBER.match("十" * 1000)
    assert m is not None and len(m.group()) <= 25
    assert _NUMBER.match("1" * 30) is None  # a 30-digit run is no amount
