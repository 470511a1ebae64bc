"""Newspaper pages: one input holding several articles is split into `<id>#n` in reading order."""

from __future__ import annotations

import json
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.inputs import read_articles
from extractor.layout import LineKind, classify
from extractor.models import Article
from extractor.pages import article_regions, split_article
from extractor.text import normalise

BODY_A = ("随着气温回升，河东市项目建设按下了快捷键。在某某新材料有限公司电池材料项目现场，车间拔地而起，"
          "大型机械往来穿梭。该项目总投资30亿元，建成后年产负极材料5万吨。")
BODY_B = ("渐暖的春日给黑土地带来了活力。在河东某某电材有限公司石墨化二期建设现场，塔吊耸立，机器轰鸣。"
          "公司负责人说，二期项目建成后全年产值能达到12.5亿元，解决500人的就业问题。")
BODY_C = ("年初以来，抓项目、抓投资成为全市上下的共识。今年河东市共有重点项目83个，总投资370.2亿元，"
          "年度计划完成投资75.9亿元，开工项目涉及新材料、生物医药等多个领域。")

PAGE = (
    "\n\n某某公司负极材料二期项目建\n设现场。 受访者提供\n\n"
    "沐春风！ 电池材料项目抢工期\n\n\n\n"
    "某某新材料电池材料项目全景。 张明摄\n\n"
    "□刘强\n河东日报全媒体记者 陈静\n\n"
    f"{BODY_A}\n\n{BODY_A}\n\n"
    "争春光！ 石墨化二期项目建设酣\n\n"
    "石墨化二期厂房建设现场。 受访者提供\n\n"
    "□王达 河东日报全媒体记者 陈静\n\n"
    f"{BODY_B}\n\n小标题 服务保障项目建设\n\n{BODY_B}\n\n"
    "畜牧产业园区项目。 河东市重点项目专班提供\n\n"
    "多业并进、多点支撑\n\n河东构筑 产业发展新格局\n\n"
    "□河东日报全媒体记者 陈静\n\n"
    f"{BODY_C}\n\n"
    "电池材料项目生产车间。 张明摄\n"
)


def test_page_is_split_at_headline_groups_before_bylines():
    regions = article_regions(PAGE)
    starts = [PAGE[s:e].lstrip()[:8] for s, e in regions]
    assert starts == ["某某公司负极材料", "争春光！ 石墨化", "畜牧产业园区项目"]
    assert regions[0][0] == 0 and regions[-1][1] == len(PAGE)
    assert all(a[1] == b[0] for a, b in pairwise(regions))


def test_pieces_are_numbered_articles_with_regions_into_the_whole_text():
    pieces = split_article(Article(id="page7", text=PAGE, published="2022-04", source="p.txt"))
    assert [p.id for p in pieces] == ["page7#1", "page7#2", "page7#3"]
    assert all(p.text is PAGE and p.published == "2022-04" and p.source == "p.txt" for p in pieces)
    second = pieces[1]
    wt = normalise(second.text, second.region)
    assert wt.text.startswith("争春光! 石墨化二期项目建设酣")
    s = wt.text.index("12.5亿元")
    start, end = wt.to_original(s, s + 6)
    assert PAGE[start:end] == "12.5亿元" and second.region[0] <= start < end <= second.region[1]


def test_captions_and_bylines_stay_in_the_working_text_as_their_own_sentences():
    (first, *_) = split_article(Article(id="p", text=PAGE))
    wt = normalise(first.text, first.region)
    sentences = [wt.text[s:e] for s, e in wt.sentences]
    assert "某某公司负极材料二期项目建设现场。" in sentences
    assert "受访者提供" in sentences
    assert "□刘强" in sentences and "河东日报全媒体记者 陈静" in sentences


def test_pages_with_leads_instead_of_bylines():
    page = (f"某某项目签约\n\n本报讯（记者 李明）{BODY_A}\n\n{BODY_A}\n\n"
            f"另一个项目开工\n\n本报河东4月2日电 {BODY_C}\n")
    regions = article_regions(page)
    assert [page[s:e].split("\n")[0] for s, e in regions] == ["某某项目签约", "另一个项目开工"]


def test_traditional_page_is_split_the_same_way():
    page = (f"風電項目開工\n\n□陳明 河東日報記者 林靜\n\n{BODY_A}\n\n"
            f"光電項目併網\n\n□黃強 河東日報記者 林靜\n\n{BODY_B}\n")
    assert len(article_regions(page)) == 2


@pytest.mark.parametrize("text", [
    # one byline on top, a reporter line at the end
    f"某某项目开工\n\n本报记者 张三\n\n{BODY_A}\n\n{BODY_B}\n\n（记者 李四）\n",
    # subheads inside one story
    f"重点项目集聚\n\n□杨威 河东日报记者 陈静\n\n{BODY_A}\n\n既挂帅又出征\n\n{BODY_B}\n\n专班靠前服务\n\n{BODY_C}\n",
    # photo credits between paragraphs
    f"摄影：邓攀\n{BODY_A}\n摄影：邓攀\n{BODY_B}\n",
    # a section marker that is no byline
    f"◎ 回购速递\n{BODY_A}\n◎ 增持速递\n{BODY_B}\n",
    # an agency named at the start of a paragraph
    f"新华社河东4月2日电 {BODY_A}\n新华社今天还播发了{BODY_B}\n",
])
def test_single_articles_are_not_split(text):
    assert article_regions(text) == []
    assert split_article(Article(id="one", text=text))[0].id == "one"


@pytest.mark.parametrize(("line", "kind"), [
    ("□王达 河东日报全媒体记者 陈静", LineKind.BYLINE),
    ("本报记者 张三 李四", LineKind.BYLINE),
    ("记者:戴振华", LineKind.BYLINE),
    ("联顺项目全景。 李福摄", LineKind.CAPTION),
    ("开工仪式现场。 韩宇浩/摄", LineKind.CAPTION),
    ("畜牧产业园区项目。 河东市重点项目专班提供", LineKind.CAPTION),
    ("▲海上风电产业园效果图", LineKind.CAPTION),
    ("本报贵阳10月16日电 某某项目开工。", LineKind.LEAD),
    ("重点项目集聚 城市蓄力蝶变", LineKind.HEADLINE),
    ("该项目总投资30亿元,建成后年产负极材料5万吨。", LineKind.BODY),
])
def test_line_kinds(line, kind):
    assert classify(line) == kind


def test_read_articles_splits_a_txt_page(tmp_path):
    f = tmp_path / "page1.txt"
    f.write_text(PAGE, encoding="gbk")
    items = list(read_articles([str(f)]))
    assert [a.id for a in items] == ["page1#1", "page1#2", "page1#3"]
    assert all(a.encoding == "gb18030" for a in items)
    assert [a.id for a in read_articles([str(f)], split_pages=False)] == ["page1"]


def test_dev_seed_page_comes_out_as_its_four_articles(shared_dir):
    rows = [json.loads(line) for line in (shared_dir / "devset" / "input.jsonl").open(encoding="utf-8")]
    seed = next(r for r in rows if r["id"] == "seed")
    pieces = split_article(Article.model_validate(seed))
    assert [p.id for p in pieces] == ["seed#1", "seed#2", "seed#3", "seed#4"]
    others = [r for r in rows if r["id"] != "seed"]
    assert all(article_regions(r["text"]) == [] for r in others)


def test_a_story_of_a_page_takes_its_own_stamp_when_the_page_has_none():
    page = (f"某某项目签约\n\n本报记者 张三\n\n{BODY_A}\n\n"
            f"另一个项目开工\n\n发布时间：2021-03-02 10:00\n\n本报记者 李四\n\n{BODY_B}\n")
    first, second = read_pieces(page)
    assert (first.id, first.published) == ("pg#1", None)
    assert (second.id, second.published) == ("pg#2", "2021-03-02")


def read_pieces(text: str) -> list[Article]:
    import io

    data = (json.dumps({"id": "pg", "text": text}, ensure_ascii=False) + "\n").encode()
    return list(read_articles(["-"], stdin=io.BytesIO(data)))


def test_a_page_stamp_on_top_dates_every_story():
    page = (f"河东日报 2021年3月2日 星期二\n\n某某项目签约\n\n本报记者 张三\n\n{BODY_A}\n\n"
            f"另一个项目开工\n\n本报记者 李四\n\n{BODY_B}\n")
    assert [p.published for p in read_pieces(page)] == ["2021-03-02", "2021-03-02"]


BLOCKS = ["沐春风！ 电池材料项目抢工期", "□刘强 河东日报记者 陈静", "本报记者 张三", "某某项目全景。 张明摄",
          BODY_A, BODY_B, BODY_C, "本报讯 " + BODY_C, "多业并进、多点支撑", "项目建\n设现场。 受访者提供"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(BLOCKS), max_size=14), st.sampled_from(["\n", "\n\n", "\r\n\r\n"]))
def test_pieces_partition_the_page_and_map_inside_their_region(blocks, sep):
    page = sep.join(blocks)
    regions = article_regions(page)
    if not regions:
        return
    assert regions[0][0] == 0 and regions[-1][1] == len(page) and len(regions) >= 2
    assert all(a[1] == b[0] and a[0] < a[1] for a, b in pairwise(regions))
    seen = set()
    for lo, hi in regions:
        wt = normalise(page, (lo, hi))
        assert all(lo <= i < hi for i in wt.index)
        seen |= set(wt.index)
    assert all(page[i].isspace() for i in set(range(len(page))) - seen)


def test_working_text_names_its_bylines_and_captions():
    wt = normalise(PAGE)
    got = [(wt.text[s:e], kind) for s, e, kind in wt.furniture()]
    assert got[:4] == [("某某公司负极材料二期项目建设现场。 受访者提供", "caption"),
                       ("某某新材料电池材料项目全景。 张明摄", "caption"),
                       ("□刘强", "byline"), ("河东日报全媒体记者 陈静", "byline")]
