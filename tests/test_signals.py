"""Strength and expansion signals of targets, worked by hand; unknown signals are left out, never zeros."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from chain_graph.analysis.gaps import chain_gaps
from chain_graph.analysis.signals import age, listed, paid_in, size
from chain_graph.analysis.targets import chain_targets
from chain_graph.settings import AnalysisSettings
from chain_graph.store.base import Candidate
from chain_graph.store.memory import MemoryStore

from tests.conftest import N, mini_dataset

SETTINGS = AnalysisSettings()
TODAY = date(2025, 6, 30)


def firm(**signals) -> Candidate:
    base = dict(link_id="x", firm_id="f", firm_name="f", province=None, city=None, tags=(), registered_capital=5000.0,
                capital_currency="CNY", capacity=None, evidence=None, source=None)
    return Candidate(**{**base, **signals})


@pytest.mark.parametrize("signals, expected", [
    ({"insured": 99}, 0.6666),  # log10(100) / log10(1001)
    ({"insured": 0}, 0.0),  # a known zero is a zero
    ({"insured": 5000, "scale": "micro"}, 1.0),  # the measured headcount wins over the size class
    ({"scale": "medium"}, 0.7),
    ({}, None),
])
def test_size(signals, expected):
    assert size(firm(**signals), SETTINGS) == expected


@pytest.mark.parametrize("signals, expected", [
    ({"paid_in_capital": 1000.0}, 0.2),  # 1000 of 5000 万元
    ({"paid_in_capital": 6000.0}, 1.0),  # more paid in than registered: at most 1
    ({"paid_in_capital": 1000.0, "registered_capital": None}, None),
    ({"paid_in_capital": 1000.0, "registered_capital": 0.0}, None),
    ({}, None),  # 实缴资本 "-": unknown, not 0 %
])
def test_paid_in(signals, expected):
    assert paid_in(firm(**signals)) == expected


@pytest.mark.parametrize("founded, expected", [
    (date(2020, 7, 1), 0.4),  # four whole years on 2025-06-30
    (date(2020, 6, 30), 0.5),
    (date(1998, 11, 11), 1.0),
    (date(2026, 1, 1), 0.0),
    (None, None),
])
def test_age(founded, expected):
    assert age(firm(founded=founded), SETTINGS, TODAY) == expected


@pytest.mark.parametrize("tags, financing, expected", [
    (("上市",), None, None), ((), "A股上市", 1.0), ((), "新三板挂牌", 1.0), ((), "B轮", 0.7), ((), "战略融资", 0.7),
    ((), "未融资", 0.0), ((), "未上市", 0.0), ((), "-", None), ((), "其他", None), ((), None, None),
])
def test_listed(tags, financing, expected):
    assert listed(firm(tags=tags, financing=financing), SETTINGS) == expected


def test_known_signals_enter_the_score_and_unknown_ones_stay_out():
    # 江苏隔膜股份 (N1, separator) with 参保人数 99, 实缴 25000 of 50000 万元, founded 2015-01-01, 融资 A股上市:
    # .3 × .78316 + .3 × .8 + .1 (evidence) + .1 × .6666 + .05 × .5 + .05 × 1 + .05 × 1 = .76661 over
    # 1.15 + .25 = 1.40 → 54.8. The other firms state no signal: their scores keep the six features
    # (兰州隔膜科技 45.7 as in test_targets), only the founding date, unknown, is named in their reasons
    ds = mini_dataset()
    firms = [f.model_copy(update={"insured": 99, "paid_in_capital": 25000.0, "founded": date(2015, 1, 1),
                                  "financing": "A股上市"})
             if f.id == N["N1"] else f for f in ds.firms]
    store = MemoryStore()
    store.load(replace(ds, firms=firms))
    settings = AnalysisSettings(as_of=TODAY)
    by_id = {t.firm_id: t for t in chain_targets(store, chain_gaps(store, "mini", settings), settings)}
    n1, n2 = by_id[N["N1"]], by_id[N["N2"]]
    assert {k: n1.features[k] for k in ("size", "paid_in", "age", "listed")} == {
        "size": 0.6666, "paid_in": 0.5, "age": 1.0, "listed": 1.0}
    assert n1.score == 54.8
    assert n1.reasons_text()[-4:] == ["参保人数99人", "实缴资本2.50亿元（注册资本的50%）", "成立10年", "上市/融资：A股上市"]
    assert (n2.score, n2.features["listed"]) == (45.7, None)
    assert "参保人数与企业规模、实缴资本、成立日期、上市/融资情况未知，不计入得分" in n2.reasons_text()
    assert "insured staff and firm size, paid-in capital, founding date, listing or financing unknown: left out of " \
           "the score" in n2.reasons_text("en")
