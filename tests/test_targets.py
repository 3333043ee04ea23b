"""Target ranking on the hand-made chain of conftest.py; scores worked out by hand."""

from __future__ import annotations

import pytest

from chain_graph.analysis.gaps import chain_gaps
from chain_graph.settings import AnalysisSettings, Weights
from chain_graph.analysis.targets import TargetFilter, chain_targets

from tests.conftest import N


def ranked(store, settings=AnalysisSettings(), **kwargs):
    return chain_targets(store, chain_gaps(store, "mini", settings), settings, **kwargs)


def test_order_and_scores_by_hand(mini_store):
    # weights .3/.3/.15/.15/.10 and 链主配套 .15: Σ = 1.15. Leaders (sole or largest local firm): capacitor's
    # 本地电容 and precursor's 本地前驱体一, so electrolyte (→ capacitor) and salt (→ precursor) serve a leader
    # N5: scale 1, 500强 1, one local tie 0.5, far 0, capacity 1, leader 1 → .3+.3+.075+0+.1+.15 = .925/1.15 = 80.4
    # N6: log10(8001)/6 = .651, 隐形冠军 .8, neighbour .6, capacity, leader → .195+.24+0+.09+.1+.15 = .775/1.15 = 67.4
    # N1: log10(50001)/6 = .783, 上市 .8, far, capacity, no leader  → .235+.24+0+0+.1+0 = .575/1.15 = 50.0
    # N2: log10(2001)/6 = .550, 专精特新 .6, same province, no evidence → .165+.18+0+.15+.03+0 = .525/1.15 = 45.7
    # N4: log10(1001)/6 = .500, no tags, neighbour, evidence text, leader → .150+0+0+.09+.06+.15 = .450/1.15 = 39.1
    targets = ranked(mini_store)
    assert [(t.firm_id, t.score) for t in targets] == [
        (N["N5"], 80.4), (N["N6"], 67.4), (N["N1"], 50.0), (N["N2"], 45.7), (N["N4"], 39.1),
    ]
    assert [t.features["leader"] for t in targets] == [1.0, 1.0, 0.0, 0.0, 1.0]
    assert [t.rank for t in targets] == [1, 2, 3, 4, 5]
    assert targets[0].link_id == "electrolyte" and targets[0].break_point


def test_deregistered_firm_is_never_a_target(mini_store):
    # N3 is a 500强 with the largest capital on the separator link, but 注销
    assert N["N3"] not in {t.firm_id for t in ranked(mini_store)}


def test_local_firms_are_never_targets(mini_store):
    assert all(not t.firm_name.startswith("本地") for t in ranked(mini_store))


def test_reasons_explain_the_score(mini_store):
    top = ranked(mini_store)[0]
    texts = top.reasons_text()
    assert texts[0] == "为本地链主本地电容配套（用于capacitor）"
    assert texts[1] == "企业标签：500强"
    assert texts[2] == "注册资本100.00亿元"
    assert texts[3] == "与本地已有往来：本地电芯一"
    assert "已有该环节产能6万吨" in texts
    assert top.reasons_text("en")[1] == "tags: 500强"
    n2 = next(t for t in ranked(mini_store) if t.firm_id == N["N2"])
    assert "同省企业（甘肃省）" in n2.reasons_text()


def test_weights_change_the_ranking(mini_store):
    only_proximity = AnalysisSettings(weights=Weights(scale=0, tags=0, ties=0, proximity=1, evidence=0, leader=0))
    order = [(t.firm_id, t.score) for t in ranked(mini_store, only_proximity)]
    # same province 100; two neighbours 60; far 0; ties go to the higher-priority link (electrolyte first)
    assert order == [(N["N2"], 100.0), (N["N4"], 60.0), (N["N6"], 60.0), (N["N5"], 0.0), (N["N1"], 0.0)]


def test_top_keeps_that_many_per_link(mini_store):
    targets = ranked(mini_store, top=1)
    assert sorted(t.link_id for t in targets) == ["electrolyte", "salt", "separator"]


def test_one_link_only(mini_store):
    assert {t.link_id for t in ranked(mini_store, link_id="separator")} == {"separator"}


@pytest.mark.parametrize("only, expected", [
    (TargetFilter(provinces=frozenset({"四川省", "青海省"})), {"N4", "N6"}),
    (TargetFilter(tags=frozenset({"上市", "500强"})), {"N1", "N5"}),
    (TargetFilter(min_capital=8000), {"N1", "N5", "N6"}),
    (TargetFilter(exclude=frozenset({N["N5"]})), {"N1", "N2", "N4", "N6"}),
])
def test_filters(mini_store, only, expected):
    names = {k for k, v in N.items() for t in ranked(mini_store, only=only) if t.firm_id == v}
    assert names == expected


def test_no_weight_at_all_scores_zero_rather_than_failing(mini_store):
    nothing = AnalysisSettings(weights=Weights(scale=0, tags=0, ties=0, proximity=0, evidence=0, leader=0))
    assert {t.score for t in ranked(mini_store, nothing)} == {0.0}
