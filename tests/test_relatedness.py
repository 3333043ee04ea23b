"""What to attract next: relatedness density on the hand-made chain of conftest.py, worked by hand."""

from __future__ import annotations

import pytest

from chain_graph.analysis.relatedness import edge_weights, read_next_links
from chain_graph.model import Feeds, Link
from chain_graph.settings import AnalysisSettings

SETTINGS = AnalysisSettings()


def test_coefficients_weigh_a_minor_input_less_but_never_below_the_floor():
    links = [Link(id=k, name=k, chain="c", stage="上游", unit=u)
             for k, u in (("a", "万吨"), ("b", "万吨"), ("c", "吨"), ("d", "万吨"), ("t", "万吨"))]
    feeds = [Feeds(source="a", target="t", coefficient=2.0), Feeds(source="b", target="t", coefficient=0.5),
             Feeds(source="c", target="t", coefficient=30), Feeds(source="d", target="t")]
    # b: 0.5 + 0.5 × 0.5 / 2.0 = 0.625; c is the only input in 吨 (units do not compare); d has no coefficient
    assert edge_weights(links, feeds, SETTINGS) == {("a", "t"): 1.0, ("b", "t"): 0.625, ("c", "t"): 1.0, ("d", "t"): 1.0}


def test_density_by_hand(mini_store):
    # present (weak or strong): ore, salt, precursor, cell, lipf6, capacitor, copper; cathode and pack are
    # pipeline, not present. Missing: solvent, electrolyte, foil, separator. Every edge weighs 1 (the two
    # coefficients are each the only one of their consumer), two steps 0.5.
    #   solvent:     electrolyte 1 (missing); via electrolyte: lipf6, cell, capacitor .5 each (present)
    #                → 1.5 / 2.5 = 0.6
    #   electrolyte: solvent 1, lipf6 1, cell 1, capacitor 1; via cell: cathode, pack, foil, separator .5 each
    #                → 3 / 6 = 0.5, support 3
    #   foil:        copper 1, cell 1; via cell: cathode, pack, electrolyte, separator .5 each → 2 / 4 = 0.5, support 2
    #   separator:   cell 1; via cell: cathode, pack, electrolyte, foil .5 each → 1 / 3 = 0.3333
    found = read_next_links(mini_store, SETTINGS)
    assert [(n.rank, n.link.id, n.density, n.support) for n in found] == [
        (1, "solvent", 0.6, 1.5), (2, "electrolyte", 0.5, 3.0), (3, "foil", 0.5, 2.0), (4, "separator", 0.3333, 1.0),
    ]
    foil = found[2]
    assert [(t.link_id, t.proximity, t.relation, t.via, t.present) for t in foil.ties[:2]] == [
        ("cell", 1.0, "buys", None, True), ("copper", 1.0, "supplies", None, True),
    ]
    assert [m.text() for m in foil.reasons] == [
        "关联环节6个中本地已有2个，关联密度50%", "本地已有其上游：copper", "本地已有其下游：cell",
    ]
    assert found[0].reasons[-1].text("en") == "local links two steps away (the link between in brackets): capacitor（electrolyte）、cell（electrolyte）、lipf6（electrolyte）"


def test_two_step_weight_is_a_setting(mini_store):
    direct_only = SETTINGS.model_copy(update={"two_step_proximity": 0.0})
    # with no two-step ties, separator has one neighbour, cell, which is present: density 1
    by_id = {n.link.id: n.density for n in read_next_links(mini_store, direct_only)}
    assert by_id["separator"] == 1.0 and by_id["solvent"] == 0.0


def test_one_chain_only(mini_store):
    assert read_next_links(mini_store, SETTINGS, chain_id="other") == []
    assert len(read_next_links(mini_store, SETTINGS, chain_id="mini")) == 4
