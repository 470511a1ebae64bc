"""PROJECT and ORG mentions (SPEC section 3): boundaries, anaphors, categories, aggregates."""

from __future__ import annotations

import pytest

from extractor import names
from extractor.text import split_sentences


def found(text: str, label: str) -> list[str]:
    return [text[s.start:s.end] for s in names.find_names(text, split_sentences(text)) if s.label == label]


@pytest.mark.parametrize(("text", "projects"), [
    # company prefix and rate included, category word, 建设现场 and 在 excluded
    ("在省级重点项目青山锂电科技有限公司3万吨/年负极材料二期建设现场，塔吊林立。",
     ["青山锂电科技有限公司3万吨/年负极材料二期"]),
    # a coordinated pair, the subject 这家公司 not part of either
    ("今年，这家公司计划实施8MW光伏发电项目和30MW分散式风电项目。", ["8MW光伏发电项目", "30MW分散式风电项目"]),
    # a list; 和平 is a word, so 和 does not cut 和平石油
    ("签约项目分别为蓝海智能装备制造基地、华实包装华北总部和和平石油西北总部。",
     ["蓝海智能装备制造基地", "华实包装华北总部", "和平石油西北总部"]),
    # a bracketed phase is a project of its own
    ("《东岭能源50万千瓦风光储一体化示范项目(一期20万千瓦光伏项目)》通过评审。",
     ["东岭能源50万千瓦风光储一体化示范项目", "一期20万千瓦光伏项目"]),
    ("10月8日，总投资3.6亿元的南溪河抽水蓄能电站正式开工。", ["南溪河抽水蓄能电站"]),
    ("当天集中开工的项目共18个，其中包括全省最大的碳纤维复合材料产业园项目。", ["碳纤维复合材料产业园项目"]),
    ("明珠新材料股份有限公司年产20万吨可降解塑料项目签约落户。", ["明珠新材料股份有限公司年产20万吨可降解塑料项目"]),
    # 该 is a reference back, the rest is the name
    ("据了解，该环保板材加工项目年底投产。", ["环保板材加工项目"]),
    # a category in front of the name is dropped
    ("江西最大的台资企业金石水泥有限公司第五条生产线点火。", ["金石水泥有限公司第五条生产线"]),
    # 首个 makes the second name a category (the first town's plant is named)
    ("河西镇污水处理厂是全县首个乡镇污水处理厂。", ["河西镇污水处理厂"]),
    ("项目一期工程建成后，北湖物流园项目一期工程随即启动。", ["北湖物流园项目一期工程"]),
    # 工程 names a project only with enough specific words before it (a place counts)
    ("集团将实施老旧供水管网改造工程，湄江县城乡供水一体化工程同步开工。",
     ["老旧供水管网改造工程", "湄江县城乡供水一体化工程"]),
    # roads between two places
    ("9月28日，平塘至罗甸高速公路建成通车。", ["平塘至罗甸高速公路"]),
    # a rate with a classifier is part of the name, not a count
    ("募集资金将用于年产1500台大兆瓦风电齿轮箱建设项目。", ["年产1500台大兆瓦风电齿轮箱建设项目"]),
    # one-character verbs inside a name, the head inside a longer word (发电厂)
    ("位于安溪县的龙门水库引调水工程正式开工。", ["龙门水库引调水工程"]),
    ("兴宁市生活垃圾焚烧发电厂一期工程通过试运行。", ["兴宁市生活垃圾焚烧发电厂一期工程"]),
    # contrasted phases are projects of their own; one phase alone refers back
    ("项目分两期建设，一期工程投资12亿元；二期工程投资13亿元。", ["一期工程", "二期工程"]),
    # 与 between two complete names separates them; inside a name it joins its parts
    ("楠溪科技产业园区第三园区与仁和科技产业园区进入招商阶段。", ["楠溪科技产业园区第三园区", "仁和科技产业园区"]),
    ("会汀港排洪渠污水整治及生态修复工程专案开工。", ["会汀港排洪渠污水整治及生态修复工程专案"]),
    # unknown words glued by the segmenter: 为 may end a name (健为), 仅 never starts one
    ("汕头市健为医院等项目集中开工。", ["汕头市健为医院"]),
    ("项目一期工程已经完工。", []),
    # a bare phase that opens a clause and introduces its own figures is a project of its own
    ("项目分两期实施。一期项目投资9亿元，去年5月投产。", ["一期项目"]),
    ("总经理表示，三期项目正在办理前期手续。", ["三期项目"]),
    # ... but only refers back where the article names that phase in full
    ("北湖锂电材料二期项目开工。其中，二期项目投资12亿元。", ["北湖锂电材料二期项目"]),
    # a quoted brand between a building verb and a facility: a description, not a name
    ("项目将规划建设“云港+”国际物流中心和商贸中心。", []),
    # a facility of a project named right before it is a part of that project
    ("记者看到，北川绿氢示范项目的电解槽厂房已完成封顶。", ["北川绿氢示范项目"]),
    # a park right after a locative is a place, even when the segmenter cut its first character off
    ("年产10万吨饲料项目正式落户项城市食品产业园。", ["年产10万吨饲料项目"]),
    # Taiwan cities whose first character is also a classifier
    ("公司将在彰化兴建台中智慧新厂。", ["台中智慧新厂"]),
    # a sub-project with its own purpose (处理站 is one word)
    ("电厂配套的灰渣填埋场及渗滤液处理站工程已建成。", ["灰渣填埋场及渗滤液处理站工程"]),
    # 配套件 (components) is one word, specific enough for a park's name
    ("汽车配套件产业园区项目明年动工。", ["汽车配套件产业园区项目"]),
    # what a company opening the sentence invests in and builds is the project's name
    ("其中，蓝海精密传动集团投资1.5亿欧元，建设新能源汽车减速器生产基地。", ["新能源汽车减速器生产基地"]),
    # 暨 joins the parts of one name
    ("东石太阳光电暨储能专案预计明年完工。", ["东石太阳光电暨储能专案"]),
])
def test_project_names(text: str, projects: list[str]) -> None:
    assert found(text, "PROJECT") == projects


@pytest.mark.parametrize("text", [
    "该项目总投资5亿元，二期项目明年开工。",            # anaphors
    "全市共有重点项目52个，总投资120亿元。",            # category and aggregate
    "此次来港招商项目30个，涉及投资逾百亿元。",          # counted aggregate
    "一期项目建设年产10万辆电动汽车生产基地，二期项目随后启动。",  # what is built, not a name
    "开工仪式在滨江产业园区举行。",                    # a park as the place of an event
    "为更好地服务项目建设，市里抽调干部组成项目专班。",    # verbs before 项目
    "全省新能源项目和民生项目加快推进。",               # categories
    "东北首个风电项目落地。",                          # counted
    "外输管线工程和码头工程同步推进，主体工程已完工。",     # parts of a project
    "该项目是自治区第一批大型风电基地项目之一。",          # a batch, a category
    "公司计划在新竹科学园区及新竹产业园区建置封装产线。",    # parks as places
    "一期建设芯片产品研发、封装、测试及公司运营总部。",      # the last item of a list of what is built
    "该项目主要建设熔铸、热轧、冷轧及精整生产线。",          # ... joined by 及
])
def test_not_project_names(text: str) -> None:
    assert found(text, "PROJECT") == []


@pytest.mark.parametrize(("text", "orgs"), [
    ("该工程由江南建工集团有限公司承建，这家公司此前建成了多座水厂。", ["江南建工集团有限公司"]),
    ("项目由上海远景新能源控股集团有限公司投资兴建。", ["上海远景新能源控股集团有限公司"]),
    ("蓝田风能有限公司城关分公司负责运营。", ["蓝田风能有限公司城关分公司"]),
    ("万川锂业公司二期项目年内投产。", ["万川锂业公司"]),
    ("该公司与子公司共同出资。", []),
])
def test_org_names(text: str, orgs: list[str]) -> None:
    assert found(text, "ORG") == orgs


def test_org_inside_project_name_coexists() -> None:
    text = "明珠新材料股份有限公司年产20万吨可降解塑料项目签约落户。"
    spans = names.find_names(text, split_sentences(text))
    project = next(s for s in spans if s.label == "PROJECT")
    org = next(s for s in spans if s.label == "ORG")
    assert project.start == org.start and org.end < project.end
    assert org.value == "明珠新材料股份有限公司"


def test_canonical_value_drops_whitespace() -> None:
    text = "中晶半导体有限公司年产480万片300mm 大硅片项目落户。"
    (project,) = [s for s in names.find_names(text, split_sentences(text)) if s.label == "PROJECT"]
    assert text[project.start:project.end] == "中晶半导体有限公司年产480万片300mm 大硅片项目"
    assert project.value == "中晶半导体有限公司年产480万片300mm大硅片项目"


def test_word_classes() -> None:
    rs = names.rules()
    assert names.word_class("在", rs) == names.STOP
    assert names.word_class("重点", rs) == names.GENERIC
    assert names.word_class("省级重点", rs) == names.GENERIC  # glued generic words
    assert names.word_class("二期", rs) == names.GENERIC
    assert names.word_class("第四", rs) == names.CONTENT
    assert names.word_class("首个", rs) == names.COUNTED
    assert names.word_class("120", rs) == names.FIGURE
