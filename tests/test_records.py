"""One record per project: alias clustering and fact attribution (SPEC section 2 and conventions).

The facts' spans are written by hand here (value, unit), so that these tests exercise the
records stage alone; `test_end_to_end` runs every registered stage.
"""

from __future__ import annotations

import pytest

from extractor import names, records
from extractor.document import Doc, Span
from extractor.models import Article
from extractor.pipeline import Pipeline, to_record


def make_doc(text: str, facts: list[tuple[str, str, object]] = ()) -> Doc:
    """A Doc with names recognised and the given (label, surface, value) fact spans, each at its
    every occurrence."""
    doc = Pipeline([]).make_doc(Article(id="t", text=text, published="2022-04-20"))
    for label, surface, value in facts:
        start = doc.text.find(surface)
        assert start >= 0, surface
        while start >= 0:
            unit = {"MONEY": "CNY", "CAPACITY": "kW"}.get(label)
            doc.spans.append(Span(label, start, start + len(surface), value=value, unit=unit))
            start = doc.text.find(surface, start + len(surface))
    names.recognize(doc)
    records.build(doc)
    return doc


def facts_of(doc: Doc) -> dict[str, list[tuple[str, object, int]]]:
    return {p.name: sorted(((f.spans[0].label, f.spans[0].value, len(f.spans)) for f in p.facts), key=str)
            for p in doc.projects}


def test_aliases_of_one_project_are_one_record() -> None:
    doc = make_doc("瑞丰生物项目抢工期。\n瑞丰绿色生物医药产业项目全景。\n"
                   "在瑞丰生物科技有限公司绿色生物医药产业项目现场，车间拔地而起。\n瑞丰项目管网正在施工。")
    assert len(doc.projects) == 1
    (p,) = doc.projects
    assert p.name == "瑞丰生物科技有限公司绿色生物医药产业项目"
    assert sorted(p.aliases) == ["瑞丰生物项目", "瑞丰绿色生物医药产业项目", "瑞丰项目"]
    assert p.company == "瑞丰生物科技有限公司"


def test_facts_in_the_sentence_and_by_reference_back() -> None:
    doc = make_doc("总投资8亿元的南溪河抽水蓄能电站10月8日开工。该项目建成后可提供就业岗位300个，年发电12亿千瓦时。",
                   [("MONEY", "8亿元", 800000000), ("DATE", "10月8日", "2022-10-08"),
                    ("JOBS", "300个", 300), ("CAPACITY", "12亿千瓦时", 1200000000)])
    assert facts_of(doc) == {"南溪河抽水蓄能电站": sorted(
        [("MONEY", 800000000, 1), ("DATE", "2022-10-08", 1), ("JOBS", 300, 1), ("CAPACITY", 1200000000, 1)],
        key=str)}


def test_same_value_twice_is_one_fact_with_both_mentions() -> None:
    doc = make_doc("北湖物流园项目总投资5亿元。\n据介绍，北湖物流园项目总投资5亿元，明年投产。",
                   [("MONEY", "5亿元", 500000000)])
    assert facts_of(doc) == {"北湖物流园项目": [("MONEY", 500000000, 2)]}


def test_region_and_group_figures_belong_to_no_project() -> None:
    doc = make_doc("北湖物流园项目开工。\n全市共有重点项目52个，总投资120亿元。\n"
                   "此次集中开工的项目预计全部达产后可实现产值300亿元。",
                   [("MONEY", "120亿元", 12000000000), ("MONEY", "300亿元", 30000000000)])
    assert facts_of(doc) == {"北湖物流园项目": []}


def test_figures_after_a_list_with_a_count_belong_to_no_project() -> None:
    doc = make_doc("县里集中开工北湖物流园项目等12个重点项目，总投资64亿元。", [("MONEY", "64亿元", 6400000000)])
    assert facts_of(doc) == {"北湖物流园项目": []}


def test_the_day_several_projects_started_together_is_a_fact_of_each() -> None:
    doc = make_doc("9月26日，滨海区举行重大项目集中开工活动，滨海人民医院、海韵科技总部大楼等项目集中开工。",
                   [("DATE", "9月26日", "2022-09-26")])
    assert facts_of(doc) == {"滨海人民医院": [("DATE", "2022-09-26", 1)],
                             "海韵科技总部大楼": [("DATE", "2022-09-26", 1)]}


def test_the_signing_day_goes_to_the_projects_named_after_it() -> None:
    doc = make_doc("6月15日，庐阳区重点项目集中签约活动举行，9个项目现场签约。\n"
                   "其中，庐阳智算中心项目投资约45亿元。\n博衡医疗器械华东总部项目总投资15亿元。",
                   [("DATE", "6月15日", "2022-06-15")])
    assert facts_of(doc) == {"庐阳智算中心项目": [("DATE", "2022-06-15", 1)],
                             "博衡医疗器械华东总部项目": [("DATE", "2022-06-15", 1)]}


def test_status_and_quoted_campaign_dates_are_no_facts() -> None:
    doc = make_doc("北湖物流园项目是“7·18”招商成果，截至21日已完成投资2亿元。",
                   [("DATE", "7·18", "XXXX-07-18"), ("DATE", "21日", "2022-04-21"), ("MONEY", "2亿元", 200000000)])
    assert facts_of(doc) == {"北湖物流园项目": [("MONEY", 200000000, 1)]}


def test_report_date_is_no_fact() -> None:
    doc = make_doc("4月27日，中交能源发布消息，北湖物流园项目1号仓库于4月26日封顶。",
                   [("DATE", "4月27日", "2022-04-27"), ("DATE", "4月26日", "2022-04-26")])
    assert facts_of(doc) == {"北湖物流园项目": [("DATE", "2022-04-26", 1)]}


def test_campaign_label_is_a_fact_of_no_project() -> None:
    doc = make_doc("滨海区2022年第三季度重大项目集中开工，滨海人民医院开工。", [("DATE", "2022年", "2022")])
    assert facts_of(doc) == {"滨海人民医院": []}


def test_rating_per_unit_is_no_fact() -> None:
    doc = make_doc("东岭200兆瓦风电项目安装风机32台，单机容量6.25兆瓦。",
                   [("CAPACITY", "200兆瓦", 200000), ("CAPACITY", "6.25兆瓦", 6250)])
    assert facts_of(doc) == {"东岭200兆瓦风电项目": [("CAPACITY", 200000, 1)]}


def test_capacity_of_each_of_several_machines_is_no_fact() -> None:
    doc = make_doc("东岭200兆瓦风电项目安装32台6.25兆瓦风机，配套一台7.5兆瓦汽轮发电机组。",
                   [("CAPACITY", "200兆瓦", 200000), ("CAPACITY", "6.25兆瓦", 6250), ("CAPACITY", "7.5兆瓦", 7500)])
    assert facts_of(doc) == {"东岭200兆瓦风电项目": [("CAPACITY", 200000, 1), ("CAPACITY", 7500, 1)]}


def test_bracketed_phase_is_its_own_project_and_takes_the_dates() -> None:
    doc = make_doc("2023年2月1日，《东岭能源50万千瓦风光储一体化示范项目(一期20万千瓦光伏项目)》备案。",
                   [("DATE", "2023年2月1日", "2023-02-01")])
    assert facts_of(doc) == {"东岭能源50万千瓦风光储一体化示范项目": [],
                             "一期20万千瓦光伏项目": [("DATE", "2023-02-01", 1)]}


def test_coordinated_projects_share_the_figure_after_them() -> None:
    doc = make_doc("公司计划实施8MW光伏发电项目和30MW分散式风电项目，预计年底施工。",
                   [("DATE", "年底", "2022")])
    assert facts_of(doc) == {"8MW光伏发电项目": [("DATE", "2022", 1)], "30MW分散式风电项目": [("DATE", "2022", 1)]}


@pytest.mark.parametrize(("a", "b"), [
    ("广西LNG接收站项目", "天津LNG接收站项目"),      # different places
    ("8MW光伏发电项目", "30MW光伏发电项目"),        # different figures
    ("徐州医药产业园一期项目", "徐州医药产业园二期项目"),  # different phases
    ("标准化厂房A区纺织企业二期", "标准化厂房B区纺织企业二期"),
])
def test_different_projects_stay_apart(a: str, b: str) -> None:
    doc = make_doc(f"{a}开工。\n{b}签约。")
    assert sorted(p.name for p in doc.projects) == sorted([a, b])


@pytest.mark.parametrize(("a", "b"), [
    ("山东LNG项目", "中国石化山东LNG接收站"),       # core contained
    ("中交能源汕头LNG项目", "汕头港西港区液化天然气(LNG)接收站项目"),  # an abbreviation
])
def test_aliases(a: str, b: str) -> None:
    doc = make_doc(f"{a}开工。\n{b}签约。")
    assert len(doc.projects) == 1


def test_headline_figure_goes_to_the_project_on_the_next_line() -> None:
    doc = make_doc("投资100亿元!\n河南化工延链项目签约\n", [("MONEY", "100亿元", 10000000000)])
    assert facts_of(doc) == {"河南化工延链项目": [("MONEY", 10000000000, 1)]}


def test_end_to_end() -> None:
    """All registered stages: mention indices of the facts point at the right mentions."""
    text = "4月18日，青山锂电科技有限公司3万吨/年负极材料二期项目开工，总投资12.5亿元，可带动就业500人。"
    result = to_record(Pipeline().annotate(Article(id="e2e", text=text, published="2022-04-20")))
    (project,) = result["projects"]
    assert project["name"] == "青山锂电科技有限公司3万吨/年负极材料二期项目"
    assert project["company"] == "青山锂电科技有限公司"
    got = {(f["label"], f["value"]) for f in project["facts"]}
    assert ("MONEY", 1250000000) in got and ("JOBS", 500) in got and ("CAPACITY", 30000) in got
    for f in project["facts"]:
        assert all(result["mentions"][i]["label"] == f["label"] for i in f["mentions"])


def test_bare_phase_takes_its_figures_and_reference_back_goes_to_the_whole_project() -> None:
    doc = make_doc("南岭铜箔项目分两期实施。一期项目投资9亿元，去年5月投产。项目全部达产后，年产值可达30亿元。",
                   [("MONEY", "9亿元", 900000000), ("DATE", "去年5月", "2021-05"), ("MONEY", "30亿元", 3000000000)])
    assert facts_of(doc) == {"南岭铜箔项目": [("MONEY", 3000000000, 1)],
                             "一期项目": sorted([("MONEY", 900000000, 1), ("DATE", "2021-05", 1)], key=str)}


def test_bare_phase_is_continued_by_a_sentence_without_reference() -> None:
    doc = make_doc("东川垃圾焚烧发电项目总投资3亿元。一期工程投资1.5亿元，建设一条焚烧线。年处理垃圾13万吨。",
                   [("MONEY", "3亿元", 300000000), ("MONEY", "1.5亿元", 150000000), ("CAPACITY", "13万吨", 130000)])
    assert facts_of(doc)["一期工程"] == sorted([("MONEY", 150000000, 1), ("CAPACITY", 130000, 1)], key=str)


def test_a_count_of_projects_is_a_joint_day_only_when_that_many_are_named() -> None:
    both = make_doc("3月2日，县政府与两家企业签约，两个新能源项目总投资40亿元。其中，"
                    "青禾储能电站项目投资25亿元，长丰光伏制氢项目投资15亿元。",
                    [("DATE", "3月2日", "2022-03-02")])
    assert {n: [f for f in fs if f[0] == "DATE"] for n, fs in facts_of(both).items()} == {
        "青禾储能电站项目": [("DATE", "2022-03-02", 1)], "长丰光伏制氢项目": [("DATE", "2022-03-02", 1)]}
    listed = make_doc("3月2日，示范区10个重点项目开工建设，包括青禾储能电站项目、长丰光伏制氢项目等。",
                      [("DATE", "3月2日", "2022-03-02")])
    assert facts_of(listed) == {"青禾储能电站项目": [("DATE", "2022-03-02", 1)],
                                "长丰光伏制氢项目": [("DATE", "2022-03-02", 1)]}
    one_of_many = make_doc("该市昨日推介50个项目，当中21个项目于3月2日签订。项目包括青禾储能电站项目等。",
                           [("DATE", "3月2日", "2022-03-02")])
    assert facts_of(one_of_many) == {"青禾储能电站项目": []}


def test_a_company_capacity_is_no_fact_of_its_projects() -> None:
    doc = make_doc("蓝江水泥第五条生产线年产水泥200万吨。目前蓝江公司年产水泥可达到600万吨。"
                   "蓝江水泥六期生产线建成后，蓝江公司年产能可达到900万吨。",
                   [("CAPACITY", "200万吨", 2000000), ("CAPACITY", "600万吨", 6000000),
                    ("CAPACITY", "900万吨", 9000000)])
    assert facts_of(doc) == {"蓝江水泥第五条生产线": [("CAPACITY", 2000000, 1)], "蓝江水泥六期生产线": []}


def test_a_group_in_the_figure_clause_takes_the_figure_from_the_project_named_before() -> None:
    doc = make_doc("5月11日，全州在北河茶叶加工厂建设工地举行开工仪式，二季度共有7个产业项目集中开工。",
                   [("DATE", "二季度", "2022-Q2")])
    assert facts_of(doc) == {"北河茶叶加工厂": []}


def test_a_sentence_opened_by_another_company_does_not_continue_the_project() -> None:
    doc = make_doc("蓝海电子有限公司将投资40亿元，启动青山封装测试基地项目。"
                   "绿岭精机有限公司则将投资3亿元，在田中镇扩增产能。",
                   [("MONEY", "40亿元", 4000000000), ("MONEY", "3亿元", 300000000)])
    assert facts_of(doc) == {"青山封装测试基地项目": [("MONEY", 4000000000, 1)]}


def test_a_count_of_companies_is_a_group() -> None:
    doc = make_doc("蓝海电子启动青山封装测试基地项目，其中2家半导体业者将投资约139亿元。",
                   [("MONEY", "约139亿元", 13900000000)])
    assert facts_of(doc) == {"青山封装测试基地项目": []}


def test_first_phase_is_apart_from_the_whole_and_named_phases_take_their_figures() -> None:
    doc = make_doc("青川陶瓷新材料产业园首期项目开工。青川陶瓷新材料产业园总投资12亿元，分两期建设。"
                   "其中，首期项目投资5亿元。",
                   [("MONEY", "12亿元", 1200000000), ("MONEY", "5亿元", 500000000)])
    assert facts_of(doc) == {"青川陶瓷新材料产业园首期项目": [("MONEY", 500000000, 1)],
                             "青川陶瓷新材料产业园": [("MONEY", 1200000000, 1)]}


def test_the_period_of_a_statistic_is_no_fact_but_a_service_date_is() -> None:
    doc = make_doc("滨江大道快速化改造工程总投资42亿元，今年计划投资9亿元，上半年完成投资5亿元，2025年底投入使用。",
                   [("MONEY", "42亿元", 4200000000), ("MONEY", "9亿元", 900000000), ("MONEY", "5亿元", 500000000),
                    ("DATE", "今年", "2022"), ("DATE", "上半年", "2022-H1"), ("DATE", "2025年底", "2025")])
    assert [f for f in facts_of(doc)["滨江大道快速化改造工程"] if f[0] == "DATE"] == [("DATE", "2025", 1)]
    plan = make_doc("南溪河抽水蓄能电站开工，计划2027年投入商运。", [("DATE", "2027年", "2027")])
    assert facts_of(plan) == {"南溪河抽水蓄能电站": [("DATE", "2027", 1)]}
    grid = make_doc("南溪河抽水蓄能电站投产后，推动全市储能装机上半年新增30万千瓦。", [("DATE", "上半年", "2022-H1")])
    assert facts_of(grid) == {"南溪河抽水蓄能电站": []}


def test_a_company_figure_is_no_fact_when_the_company_has_several_projects() -> None:
    text = ("蓝川传动股份有限公司拟投资20亿元建设年产800台风电齿轮箱建设项目和精密传动研发中心项目。"
            "2022年，公司实现营业收入30亿元。")
    doc = make_doc(text, [("MONEY", "30亿元", 3000000000)])
    assert all(fs == [] for fs in facts_of(doc).values()) and len(doc.projects) == 2
    one = make_doc("蓝川传动股份有限公司年产800台风电齿轮箱建设项目开工。2022年，公司实现营业收入30亿元。",
                   [("MONEY", "30亿元", 3000000000)])
    assert facts_of(one) == {"蓝川传动股份有限公司年产800台风电齿轮箱建设项目": [("MONEY", 3000000000, 1)]}


def test_a_statistic_of_a_period_does_not_continue_the_project() -> None:
    doc = make_doc("东港储气调峰项目二期工程开工建设。东港港区今年计划完成临港产业投资90亿元，1至5月已完成投资40亿元。",
                   [("MONEY", "90亿元", 9000000000), ("MONEY", "40亿元", 4000000000)])
    assert facts_of(doc) == {"东港储气调峰项目二期工程": []}


def test_a_figure_describing_each_listed_project_is_a_fact_of_each_but_a_group_total_is_not() -> None:
    each = make_doc("其中总投资达3000万美元的项目有2项，分别为青禾光伏组件项目和东岭锂电隔膜项目。",
                    [("MONEY", "3000万美元", 30000000)])
    assert facts_of(each) == {"青禾光伏组件项目": [("MONEY", 30000000, 1)],
                              "东岭锂电隔膜项目": [("MONEY", 30000000, 1)]}
    total = make_doc("会上5个重大项目集中签约，投资额80亿元，分别是青禾光伏组件项目、东岭锂电隔膜项目等。",
                     [("MONEY", "80亿元", 8000000000)])
    assert facts_of(total) == {"青禾光伏组件项目": [], "东岭锂电隔膜项目": []}


def test_a_rating_per_phase_is_no_fact() -> None:
    doc = make_doc("南溪河抽水蓄能电站总装机120万千瓦，分两期建设，每期装机60万千瓦。",
                   [("CAPACITY", "120万千瓦", 1200000), ("CAPACITY", "60万千瓦", 600000)])
    assert facts_of(doc) == {"南溪河抽水蓄能电站": [("CAPACITY", 1200000, 1)]}


def test_the_old_capacity_of_an_expanded_plant_and_a_past_statistic_are_no_facts() -> None:
    doc = make_doc("东湖污水处理厂扩容工程投资5000万元，扩容后日处理规模由2万吨提高到3.5万吨。"
                   "今年一季度，东湖污水处理厂扩容工程完成投资2000万元。明年，该项目将完成投资3000万元。",
                   [("CAPACITY", "2万吨", 20000), ("CAPACITY", "3.5万吨", 35000),
                    ("DATE", "今年一季度", "2022-Q1"), ("DATE", "明年", "2023")])
    assert facts_of(doc) == {"东湖污水处理厂扩容工程": sorted([("CAPACITY", 35000, 1), ("DATE", "2023", 1)], key=str)}


def test_the_whole_project_referred_back_to_right_after_a_bare_phase() -> None:
    doc = make_doc("南岭稀土功能材料项目落户工业园。董事长介绍，一期生产线投资1.5亿元，今年11月试生产，"
                   "项目全部达产后，年产值可达10亿元。",
                   [("MONEY", "1.5亿元", 150000000), ("MONEY", "10亿元", 1000000000)])
    assert facts_of(doc) == {"南岭稀土功能材料项目": [("MONEY", 1000000000, 1)],
                             "一期生产线": [("MONEY", 150000000, 1)]}


def test_founding_year_announcement_day_and_capital_raising_are_no_facts() -> None:
    doc = make_doc("蓝川重工4月25日晚间披露定增预案，拟募集资金总额不超过18亿元，用于年产800台风电齿轮箱建设项目。"
                   "该公司成立于2015年。",
                   [("DATE", "4月25日", "2022-04-25"), ("MONEY", "不超过18亿元", 1800000000),
                    ("DATE", "2015年", "2015")])
    assert facts_of(doc) == {"年产800台风电齿轮箱建设项目": []}


def test_company_figures_next_to_two_phases_are_no_facts() -> None:
    doc = make_doc("蓝川化学(常州)有限公司高性能添加剂二期项目开工。"
                   "蓝川化学(常州)有限公司成立于2015年，一期项目总投资1.8亿欧元。"
                   "去年，公司实现营业收入31亿元。",
                   [("MONEY", "1.8亿欧元", 180000000), ("MONEY", "31亿元", 3100000000)])
    assert facts_of(doc) == {"蓝川化学(常州)有限公司高性能添加剂二期项目": [], "一期项目": [("MONEY", 180000000, 1)]}


def test_a_headline_figure_opens_the_next_story_not_the_caption_before_it() -> None:
    doc = make_doc("东湖科创园二期项目建设现场。\n总投资26亿元\n年产30万套电驱系统项目签约\n"
                   "4月11日，年产30万套电驱系统项目正式落户科技城。",
                   [("MONEY", "26亿元", 2600000000)])
    assert facts_of(doc) == {"东湖科创园二期项目": [], "年产30万套电驱系统项目": [("MONEY", 2600000000, 1)]}


def test_a_project_ranked_among_others_is_no_group() -> None:
    doc = make_doc("南溪河抽水蓄能电站开工。该项目是省内第一批大型储能基地项目之一，总投资约31亿元。"
                   "该项目是集团投资建设的第二个储能项目，配套建设年产15万吨的材料装置。",
                   [("MONEY", "约31亿元", 3100000000), ("CAPACITY", "年产15万吨", 150000)])
    assert facts_of(doc) == {"南溪河抽水蓄能电站": sorted([("MONEY", 3100000000, 1), ("CAPACITY", 150000, 1)],
                                                      key=str)}


def test_a_reporters_visit_and_a_rating_per_named_unit_are_no_facts() -> None:
    doc = make_doc("9月6日，记者在工业园区看到，南溪河抽水蓄能电站已完成封顶。"
                   "电站配置储能舱40个，单个电池舱容量5兆瓦。",
                   [("DATE", "9月6日", "2022-09-06"), ("CAPACITY", "5兆瓦", 5000)])
    assert facts_of(doc) == {"南溪河抽水蓄能电站": []}


def test_roads_with_another_end_are_other_projects() -> None:
    doc = make_doc("青林至白沙高速公路去年通车，投资80亿元。\n长岗至白沙高速公路今年开工，投资65亿元。",
                   [("MONEY", "80亿元", 8_000_000_000), ("MONEY", "65亿元", 6_500_000_000)])
    assert facts_of(doc) == {"青林至白沙高速公路": [("MONEY", 8_000_000_000, 1)],
                             "长岗至白沙高速公路": [("MONEY", 6_500_000_000, 1)]}
    assert records.same_project(["贵州青林至白沙高速公路"], ["青林至白沙高速"])
    assert not records.same_project(["青林至白沙高速公路"], ["长岗至白沙高速公路"])


def test_site_as_a_noun_is_no_location() -> None:
    doc = make_doc("市长察看了青石光伏产业园项目选址地块，询问了金桥医院选址及审批进展。\n"
                   "蓝海数据中心项目选址于东湖新区，总投资30亿元。",
                   [("MONEY", "30亿元", 3_000_000_000)])
    where = {p.name: p.location for p in doc.projects}
    assert where["青石光伏产业园项目"] is None
    assert where["蓝海数据中心项目"] == "东湖新区"
