"""QuantityPattern's search shortcuts find exactly what a plain search finds."""

from __future__ import annotations

import pytest

from extractor import capacity, jobs, money
from extractor.patterns import alternation
from extractor.quantities import QuantityPattern

TRICKY = [
    "2023年项目总投资3亿元，新增就业200人",
    "年产100m35万吨",  # a number right after a unit ending in a digit
    "容积200m3,10万吨",
    "编号123456789012345678901万吨",  # a digit run longer than an Arabic number
    "编号12345678901234567890123亿元",
    "约12至15万吨/年，投资１２３４５６７８亿元",
    "第2023个项目投资5000万元，招聘30名员工",
    "超亿元的项目",
    "投资3亿元！新增就业200人？年产5万吨;总投资12亿",  # searched sentence by sentence
    "规划面积5万。吨位不限，约3亿!元",  # no quantity across a sentence end
    "近2000名员工。另有500",
]


def _plain(pattern: QuantityPattern, text: str) -> list[tuple[int, int, str, str]]:
    """The quantities of a search that tries every position (no skipping inside digit runs)."""
    out = []
    pos = 0
    while (m := pattern._from_inside.search(text, pos)) is not None:
        q = pattern._quantity(text, m)
        if q is None:
            pos = max(m.end("n1"), m.start() + 1)
            continue
        out.append((q.start, q.end, str(q.value), q.unit))
        pos = m.end()
    return out


@pytest.mark.parametrize("pattern", [money.PATTERN, capacity.PATTERN, jobs.PATTERN], ids=["money", "capacity", "jobs"])
@pytest.mark.parametrize("text", TRICKY)
def test_skipping_digit_runs_changes_nothing(pattern: QuantityPattern, text: str) -> None:
    found = [(q.start, q.end, str(q.value), q.unit) for q in pattern.finditer(text)]
    assert found == _plain(pattern, text)


def test_number_after_a_unit_ending_in_a_digit() -> None:
    found = [(q.start, q.end, q.value, q.unit) for q in capacity.PATTERN.finditer("年产100m35万吨")]
    assert found == [(2, 7, 100, "m3"), (7, 10, 50000, "吨")]


def test_alternation_prefers_the_longest_word() -> None:
    import regex

    pattern = regex.compile(alternation(["千瓦", "万千瓦", "万吨", "吨", "万"]))
    assert [m.group() for m in pattern.finditer("5万千瓦3万吨2万")] == ["万千瓦", "万吨", "万"]
    assert alternation([]) == "(?:)"
