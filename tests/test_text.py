"""The working text: normalisation steps and the exact map back to the original offsets."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.text import line_breaks_to_join, normalise, split_sentences


def span_of(wt, needle: str) -> tuple[int, int]:
    s = wt.text.index(needle)
    return wt.to_original(s, s + len(needle))


def test_full_width_digits_and_punctuation_become_half_width():
    original = "项目总投资１２.５亿元（含设备），年产ＡＢＳ树脂５万吨。"
    wt = normalise(original)
    assert wt.text == "项目总投资12.5亿元(含设备),年产ABS树脂5万吨。"
    start, end = span_of(wt, "12.5亿元")
    assert original[start:end] == "１２.５亿元"


def test_traditional_becomes_simplified_one_to_one():
    original = "總投資超過100億元的離岸風電場將於明年併網發電"
    wt = normalise(original)
    assert wt.text == "总投资超过100亿元的离岸风电场将于明年并网发电"
    assert len(wt.index) == len(original)
    start, end = span_of(wt, "离岸风电场")
    assert original[start:end] == "離岸風電場"


def test_nfkc_expansion_maps_every_output_character_to_its_source():
    original = "装机容量5㎿的光伏电站"
    wt = normalise(original)
    assert wt.text == "装机容量5MW的光伏电站"
    assert span_of(wt, "5MW") == (4, 6)
    assert span_of(wt, "M") == (5, 6)
    assert span_of(wt, "W的") == (5, 7)


def test_ellipsis_is_kept():
    assert normalise("正在书写更精彩的未来……").text == "正在书写更精彩的未来……"


WRAPPED_PAGE = (
    "新能源电池材料二期项目建\n设现场。 受访者提供\n\n"
    "春风起 新材料项目抢工期\n\n"
    "□张三 某某日报记者 李四\n\n"
    "随着气温回升，各地项目建设按下了快捷键。在某某新材料有限公司电池材料项目现场，车间拔地而起。\n\n"
    "该项目建成后，将为3000名以上的技术人员提供就业岗位，带动上下游产业发展，打通项目建设\n\n"
    "的堵点。\n"
)


def test_line_broken_inside_a_sentence_is_joined():
    wt = normalise(WRAPPED_PAGE)
    assert "二期项目建设现场。" in wt.text
    assert "打通项目建设的堵点。" in wt.text
    start, end = span_of(wt, "项目建设现场")
    assert WRAPPED_PAGE[start:end] == "项目建\n设现场"


def test_hard_wrapped_paragraphs_are_joined_also_before_digits():
    text = ("某某化工项目开工\n\n□张三\n\n本报讯 某某化工有限公司新建项目总投资\n12亿元，建成后年产精细化工产品\n"
            "20万吨，可实现年产值30亿元。\n\n发布时间 2022-05-01\n\n责任编辑 李四")
    wt = normalise(text)
    assert "项目总投资12亿元,建成后年产精细化工产品20万吨,可实现年产值30亿元。" in wt.text
    assert "某某化工项目开工\n\n□张三" in wt.text


def test_headlines_and_bylines_are_not_joined():
    wt = normalise(WRAPPED_PAGE)
    assert "春风起 新材料项目抢工期\n\n□张三" in wt.text
    assert "受访者提供\n\n春风起" in wt.text


def test_one_paragraph_a_line_is_not_joined():
    text = "全台最大太阳能电厂8月并网供电\n台电在台南打造装置容量150MW的光电场。\n预计年发电2亿度。"
    assert line_breaks_to_join(text) == []
    assert normalise(text).text == text


def test_line_continued_by_a_comma_or_particle_is_joined_everywhere():
    text = "项目总投资12亿元，\n建成后年产值30亿元。\n其中一期工程\n的投资为5亿元。"
    wt = normalise(text)
    assert wt.text == "项目总投资12亿元,建成后年产值30亿元。\n其中一期工程的投资为5亿元。"


def test_sentences_cut_at_terminators_quotes_and_lines():
    text = "“项目年底投产。”他说。总投资5亿元！是否达产？\n联顺项目全景。 李福摄"
    got = [text[s:e] for s, e in split_sentences(text)]
    assert got == ["“项目年底投产。”", "他说。", "总投资5亿元！", "是否达产？", "联顺项目全景。", "李福摄"]


def test_region_offsets_point_into_the_whole_text():
    original = "第一篇。\n\n第二篇总投资５亿元。"
    lo = original.index("第二篇")
    wt = normalise(original, (lo, len(original)))
    assert wt.text == "第二篇总投资5亿元。"
    start, end = span_of(wt, "5亿元")
    assert original[start:end] == "５亿元"
    assert wt.sentences == ((0, len(wt.text)),)


# --- property: the offset map ----------------------------------------------------------------

ALPHABET = st.sampled_from(
    list("项目建设投资亿元年产万吨的了。，、！？；：（）“”　 \n\n\n\t１２３ＡＢ12ab.發電網併於乾㎿①…□")
)


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=80).map("".join), st.data())
def test_offset_map_is_monotone_in_bounds_and_round_trips(original: str, data):
    n = len(original)
    lo = data.draw(st.integers(0, n))
    hi = data.draw(st.integers(lo, n))
    wt = normalise(original, (lo, hi))
    index = list(wt.index)
    assert len(index) == len(wt.text)
    assert all(lo <= i < hi for i in index)
    assert all(a <= b for a, b in pairwise(index))
    # only whitespace of the original is ever dropped
    dropped = set(range(lo, hi)) - set(index)
    assert all(original[i].isspace() for i in dropped)
    # ASCII letters and digits pass through unchanged
    for i, ch in enumerate(wt.text):
        if original[index[i]].isascii() and original[index[i]].isalnum():
            assert ch == original[index[i]]
    if wt.text:
        s = data.draw(st.integers(0, len(wt.text) - 1))
        e = data.draw(st.integers(s + 1, len(wt.text)))
        a, b = wt.to_original(s, e)
        assert lo <= a < b <= hi
        back = (wt.to_working(a), wt.to_working(b))
        assert back[0] <= s and e <= back[1]
        assert wt.to_original(*back) == (a, b)
    for s, e in wt.sentences:
        assert 0 <= s < e <= len(wt.text)
        assert wt.text[s:e].strip() == wt.text[s:e]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_offset_map_holds_on_any_unicode(original: str):
    wt = normalise(original)
    index = list(wt.index)
    assert len(index) == len(wt.text)
    assert all(0 <= i < len(original) for i in index)
    assert all(a <= b for a, b in pairwise(index))
    assert all(original[i].isspace() for i in set(range(len(original))) - set(index))


def test_text_cut_at_a_fixed_column_is_joined():
    para1 = "某某新能源有限公司年产10万吨锂电池负极材料项目今日在经开区开工，项目总投资32亿元，建成后年产值约45亿元。"
    para2 = "该项目计划明年6月建成投产，可提供就业岗位1200个，带动上下游配套企业落户园区。"
    def wrap(p: str) -> str:
        return "\n".join(p[i:i + 16] for i in range(0, len(p), 16))
    text = "某某负极材料项目开工\n" + wrap(para1) + "\n" + wrap(para2)
    wt = normalise(text)
    assert para1.replace("，", ",") in wt.text and para2.replace("，", ",") in wt.text
    assert wt.text.startswith("某某负极材料项目开工\n")
