"""Link status, supply rate and break points on the hand-made chain of conftest.py."""

from __future__ import annotations

import pytest

from chain_graph.analysis.gaps import Status, chain_gaps
from chain_graph.settings import AnalysisSettings


@pytest.fixture
def gaps(mini_store):
    return chain_gaps(mini_store, "mini", AnalysisSettings())


def status_of(gaps, link_id):
    return gaps.by_id(link_id).status


@pytest.mark.parametrize("link_id, expected", [
    ("ore", Status.STRONG),         # two local firms, 15 万吨 against a demand of 2 × 4 = 8
    ("salt", Status.WEAK),          # one local firm (4 万吨 against 1 × 10 = 10: 40% too)
    ("precursor", Status.STRONG),   # two local firms, no coefficient downstream so no demand figure
    ("cathode", Status.PIPELINE),   # only a deregistered local firm, and an under-construction project
    ("pack", Status.PIPELINE),      # a signed project
    ("electrolyte", Status.MISSING),  # a project in planning is not under way
    ("separator", Status.MISSING),  # non-local firms only
    ("solvent", Status.MISSING),
    ("foil", Status.MISSING),
    ("copper", Status.WEAK),        # single firm
    ("cell", Status.STRONG),
])
def test_each_status_as_worked_out_by_hand(gaps, link_id, expected):
    assert status_of(gaps, link_id) is expected


def test_status_counts(gaps):
    assert [gaps.count(s) for s in Status] == [4, 2, 3, 4]  # capacitor: single firm


def test_weak_by_capacity_share_when_two_firms_fall_short(mini_store):
    # salt has one firm; judged by capacity alone, 4 of 10 万吨 is 40%, below 50% but above 30%
    by_share = AnalysisSettings(single_firm_is_weak=False)
    assert status_of(chain_gaps(mini_store, "mini", by_share), "salt") is Status.WEAK
    lenient = AnalysisSettings(single_firm_is_weak=False, weak_share=0.3)
    assert status_of(chain_gaps(mini_store, "mini", lenient), "salt") is Status.STRONG


def test_evidence_names_firms_projects_and_numbers(gaps):
    salt = gaps.by_id("salt")
    keys = [m.key for m in salt.evidence]
    assert keys == ["ev.local_firms", "ev.single_firm", "ev.fill", "ev.fill_low"]
    assert "本地镍盐" in salt.evidence[0].text()
    assert salt.evidence[2].text() == "本地产能4万吨，本地需求10万吨，满足40%"
    assert salt.evidence[2].text("en") == "local capacity 4 万吨 against local demand 10 万吨: 40% met"
    cathode = gaps.by_id("cathode")
    assert [m.key for m in cathode.evidence] == ["ev.no_local_firm", "ev.pipeline"]
    assert "正极材料项目" in cathode.evidence[1].text()


def test_fill_is_capacity_against_coefficient_times_consumer_capacity(gaps):
    ore, salt = gaps.by_id("ore").fill, gaps.by_id("salt").fill
    assert (ore.capacity, ore.demand, ore.share) == (15, 8, 1.0)
    assert (salt.capacity, salt.demand, salt.share) == (4, 10, 0.4)
    assert gaps.by_id("precursor").fill is None


def test_supply_rate_capacity_basis(gaps):
    assert gaps.by_id("salt").local_supply_rate == 1.0  # its input ore: 15 of 8 needed
    assert gaps.by_id("salt").basis == "capacity"
    assert gaps.by_id("precursor").local_supply_rate == pytest.approx(0.4)
    assert gaps.by_id("precursor").basis == "capacity"


def test_supply_rate_coverage_basis(gaps):
    electrolyte = gaps.by_id("electrolyte")  # inputs lipf6 (strong) and solvent (missing)
    assert (electrolyte.local_supply_rate, electrolyte.basis) == (0.5, "coverage")
    cell = gaps.by_id("cell")  # cathode pipeline, electrolyte, foil, separator missing
    assert (cell.local_supply_rate, cell.basis) == (0.0, "coverage")
    assert gaps.by_id("ore").local_supply_rate is None  # a raw material has no inputs


def test_chain_supply_rate_mixes_bases_and_says_so(gaps):
    # inputs: ore 1.0, salt 0.4 (capacity); precursor 1, cathode 0, solvent 0, lipf6 1,
    # electrolyte 0, separator 0, copper 1, foil 0, cell 1 (presence) → 5.4 / 11
    assert gaps.local_supply_rate == pytest.approx(5.4 / 11)
    assert gaps.basis == "mixed"


def test_break_points_ranked_by_local_downstream(gaps):
    electrolyte, foil = gaps.by_id("electrolyte").break_point, gaps.by_id("foil").break_point
    assert electrolyte.rank == 1 and electrolyte.downstream == ("capacitor", "cell")
    assert electrolyte.upstream == ("lipf6",)
    assert foil.rank == 2 and foil.downstream == ("cell",) and foil.upstream == ("copper",)
    # missing, but nothing local upstream of them: not break points
    assert gaps.by_id("separator").break_point is None
    assert gaps.by_id("solvent").break_point is None
    wanted = ["electrolyte", "foil", "separator", "solvent", "capacitor", "copper", "salt"]
    assert [g.link.id for g in gaps.wanted] == wanted
    assert gaps.by_id("electrolyte").evidence[0].key == "ev.break_point"


def test_after_the_pipeline_lands(mini_store):
    landed = chain_gaps(mini_store, "mini", AnalysisSettings(), landed=True)
    assert status_of(landed, "cathode") is Status.WEAK  # one project counted as one producer
    assert status_of(landed, "pack") is Status.WEAK
    assert landed.by_id("cathode").presence.local_capacity == 5  # the project's 5万吨
    assert landed.by_id("electrolyte").break_point.downstream == ("capacitor", "cell", "pack")
    assert landed.count(Status.PIPELINE) == 0
    assert landed.by_id("cathode").evidence[0].key == "ev.landed"


def test_unknown_capacity_of_local_producers_is_not_a_zero():
    from chain_graph.analysis.gaps import link_fill
    from chain_graph.model import Feeds
    from chain_graph.store.base import FirmOnLink, LinkPresence

    feeds = [Feeds(source="a", target="b", coefficient=2.0)]
    consumer = LinkPresence("b", (FirmOnLink("f2", "consumer", 5.0),))
    unknown = {"a": LinkPresence("a", (FirmOnLink("f1", "producer"),)), "b": consumer}
    assert link_fill("a", feeds, unknown) is None  # demand 10, capacity unknown: no capacity basis
    absent = {"a": LinkPresence("a"), "b": consumer}
    assert link_fill("a", feeds, absent).share == 0.0  # nobody makes it locally: a real zero
