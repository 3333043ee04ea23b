"""chain_graph.classify: each rule of the method on a small set of links, with the evidence it gives."""

from __future__ import annotations

import pytest

from chain_graph.classify import Classifier
from chain_graph.model import Link


def link(id_: str, keywords: list[str], codes: list[str] | None = None, stage: str = "中游") -> Link:
    return Link(id=id_, name=id_, chain="c", stage=stage, keywords=keywords, industry_codes=codes or [])


LINKS = [
    link("nickel_sulfate", ["硫酸镍", "电池级硫酸镍"], ["2613"]),
    link("sulfuric_acid", ["硫酸", "工业硫酸"], ["2611"]),
    link("iron_phosphate", ["磷酸铁"], ["2613"]),
    link("lfp_cathode", ["磷酸铁锂"], ["3985"]),
    link("lfp_cell", ["磷酸铁锂电池", "锂离子电池", "电芯"], ["3841"], "下游"),
    link("ncm_cell", ["三元锂电池", "锂离子电池", "电芯"], ["3841"], "下游"),
    link("cell_tester", ["检测设备", "电池检测"], stage="上游"),
    link("cell_equipment", ["电池检测", "卷绕机"]),
    link("electrolyte", ["电解液", "锂离子电池电解液"], ["3985"]),
    link("battery_pack", ["电池包", "PACK"], ["3841"]),
    link("recycling", ["再生利用", "梯次利用"]),
    link("road_freight", ["道路货物运输"]),
    link("retail", ["智慧零售"]),
]
C = Classifier(LINKS)


def placed(name: str = "", scope: str = "", industry: str = "", codes: tuple[str, ...] = ()) -> dict[str, float]:
    return {p.link_id: p.confidence for p in C.classify(name, scope, industry, codes).placements}


@pytest.mark.parametrize("scope, expected", [
    ("电池级硫酸镍的生产", {"nickel_sulfate"}),          # longest first: not 硫酸镍 and 硫酸 inside it
    ("磷酸铁锂电池制造", {"lfp_cell"}),                  # not 磷酸铁锂, not 磷酸铁
    ("磷酸铁锂正极材料生产", {"lfp_cathode"}),
    ("锂离子电池电解液生产", {"electrolyte"}),            # not the cells' 锂离子电池
    ("工业硫酸、硫酸镍生产", {"sulfuric_acid", "nickel_sulfate"}),  # two products, two links
])
def test_longest_keyword_wins(scope, expected):
    assert set(placed(scope=scope)) == expected


def test_boilerplate_never_decides():
    scope = ("一般项目：技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；资源再生利用技术研发；货物进出口。"
             "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）")
    result = C.classify("某科技有限公司", scope)
    assert result.verdict == "unmatched" and result.candidates == ()


def test_a_boilerplate_item_is_cut_whole_not_out_of_a_longer_item():
    # 技术服务 is boilerplate; cutting it out of 梯次利用技术服务 would leave 梯次利用 as if it were done
    result = C.classify(scope="梯次利用技术服务")
    assert not result.placed and [c.link_id for c in result.candidates] == ["recycling"]


def test_exclusions_in_brackets_are_cut():
    result = C.classify(scope="化工产品销售（不含电解液等危险化学品）；道路货物运输（不含危险货物）")
    assert [(c.link_id, c.confidence) for c in result.candidates] == [("road_freight", 0.4)]  # a licence item: weak


def test_a_clause_starting_with_an_exclusion_is_cut_but_not_a_product_starting_with_the_same_character():
    assert placed(scope="除电解液外的化工产品") == {}
    assert "electrolyte" in placed(scope="电解液生产；除草剂的生产")


def test_sales_or_research_clauses_support_but_never_place():
    result = C.classify(scope="电解液、硫酸镍的销售；电池包研发")
    assert not result.placed
    assert {c.link_id: c.confidence for c in result.candidates} == {
        "battery_pack": 0.4, "electrolyte": 0.4, "nickel_sulfate": 0.4}
    assert "销售/服务/许可类" in result.candidates[0].evidence[0].text()


def test_making_beside_selling_is_making():
    assert placed(scope="电解液的研发、生产、销售") == {"electrolyte": 0.8}


def test_a_keyword_holding_a_sales_word_is_not_a_sales_clause():
    assert placed(scope="智慧零售") == {"retail": 0.8}


def test_latin_keywords_stand_alone():
    assert placed(scope="PACKAGE设计与生产") == {}
    assert placed(scope="动力电池PACK组装生产") == {"battery_pack": 0.8}
    assert placed(scope="ｐａｃｋ生产") == {"battery_pack": 0.8}  # full-width and lower case


def test_name_scope_and_code_add_up():
    assert placed("金昌电解液有限公司") == {"electrolyte": 0.9}
    assert placed("金昌电解液有限公司", "电解液生产") == {"electrolyte": 1.0}
    assert placed(scope="电解液生产", codes=("C3985",)) == {"electrolyte": 0.9}


def test_industry_text_and_code_alone():
    assert placed(industry="锂离子电池电解液制造") == {}  # 0.5: listed for review
    assert placed(industry="锂离子电池电解液制造", codes=("3985",)) == {"electrolyte": 0.6}
    result = C.classify(industry_codes=("2613",))  # a code alone never places
    assert result.verdict == "unmatched" and {c.link_id for c in result.candidates} == {"nickel_sulfate", "iron_phosphate"}


def test_a_generic_product_of_sibling_links_places_on_each_and_says_so():
    # 锂离子电池 names both cell links (one chain, one stage): the firm makes cells, chemistry unknown
    result = C.classify(scope="锂离子电池制造")
    assert result.verdict == "placed"
    assert {p.link_id: p.confidence for p in result.placements} == {"lfp_cell": 0.8, "ncm_cell": 0.8}
    assert "通用产品" in result.placements[0].evidence_text()


def test_a_keyword_shared_by_links_of_different_stages_is_ambiguous():
    result = C.classify(scope="电池检测设备制造")
    assert result.verdict == "ambiguous"
    assert [c.link_id for c in result.candidates] == ["cell_equipment", "cell_tester"]
    assert "电池检测" in result.reason().text("en")


def test_the_platform_position_settles_a_tie():
    assert placed_with(scope="电池检测设备制造", position="上游") == {"cell_tester": 0.8}


def test_the_platform_chain_node_is_evidence():
    assert placed_with(node="新能源 / 锂电池 / 电解液") == {"electrolyte": 0.8}


@pytest.mark.parametrize("scope, expected", [
    ("锂电池电解液配制与销售", {"electrolyte"}),  # a production verb beats a trade word in one clause
    ("电解液合成、批发", {"electrolyte"}),
    ("电解液批发、零售、进出口", set()),           # trade only
])
def test_production_verbs_beat_trade_words_within_a_clause(scope, expected):
    assert set(placed(scope=scope)) == expected


@pytest.mark.parametrize("scope", [
    "许可项目：危险化学品生产（电解液）", "危险化学品经营（电解液、六氟磷酸锂）", "危险废物经营（废电解液）", "道路货物运输（电解液）"])
def test_licence_items_are_weak_evidence_at_most(scope):
    result = C.classify(scope=scope)
    assert not result.placed
    assert all(e.place == "scope_weak" for e in result.evidence)


def placed_with(**given) -> dict[str, float]:
    return {p.link_id: p.confidence for p in C.classify(**given).placements}


def test_a_shared_keyword_is_settled_by_a_link_s_own_evidence():
    # 锂离子电池 fits both cells; 三元锂电池 only one
    assert placed(scope="锂离子电池、三元锂电池制造") == {"ncm_cell": 0.8}


def test_a_product_named_only_late_adds_no_link_to_a_placed_firm():
    items = "；".join(["电解液生产", "甲", "乙", "丙", "丁", "戊", "卷绕机"])
    assert placed(scope=items) == {"electrolyte": 0.8}
    assert placed(scope="；".join(["甲", "乙", "丙", "丁", "戊", "卷绕机"])) == {"cell_equipment": 0.7}


def test_evidence_text_names_phrase_place_and_confidence():
    [placement] = C.classify("金昌电解液有限公司", "锂离子电池电解液的生产", industry_codes=("C3985",)).placements
    assert placement.evidence_text() == "企业名称含“电解液”；经营范围含“锂离子电池电解液”；行业代码3985（置信度1.00）"


def test_two_rows_of_one_firm_are_decided_together():
    first = C.classify(scope="锂离子电池制造")
    second = C.classify(scope="磷酸铁锂电池")
    assert len(first.placements) == 2
    assert [p.link_id for p in C.decide((*first.evidence, *second.evidence)).placements] == ["lfp_cell"]


def test_no_keywords_no_placement():
    result = C.classify("某某商贸有限公司", "日用百货销售")
    assert result.verdict == "unmatched" and "no link keyword" in result.reason().text("en")
