"""Neo4j reads aggregated on the server (real Neo4j): a gap analysis reads one row per link, and
招什么 with a top-N gets only the candidates able to reach it, with the answers of reading them all.

The answers themselves are compared across stores by tests/test_parity.py; these tests show the
short reads are taken (not silently replaced by the full ones) and cannot change the ranking.
"""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

import pytest

from chain_graph.analysis.gaps import chain_gaps
from chain_graph.analysis.leaders import read_support
from chain_graph.analysis.targets import TargetFilter, rank_targets, ranking
from chain_graph.settings import AnalysisSettings
from chain_graph.store.base import FirmTally
from chain_graph.store.memory import MemoryStore
from chain_graph.synth import synthesize
from loaders import load_directory

pytestmark = pytest.mark.neo4j

DATA = Path(__file__).resolve().parent.parent / "data"
SETTINGS = AnalysisSettings()


@pytest.fixture(scope="module")
def stores(neo):
    ds = synthesize(load_directory(DATA).dataset, firms=3_000, seed=3, local_share=0.2)  # links with many local firms
    memory = MemoryStore()
    memory.load(ds)
    neo.load(ds)
    return memory, neo


def test_presence_is_a_tally_equal_to_the_firms_it_counts(stores):
    memory, neo = stores
    ids = [link.id for link in memory.links()]
    expected, actual = memory.presence(ids), neo.presence(ids)
    tallies = [p.local_firms for p in actual.values() if isinstance(p.local_firms, FirmTally)]
    assert any(len(t) > FirmTally.FIRST for t in tallies)  # links with more firms than the tally names
    for link_id in ids:
        tally, firms = actual[link_id].local_firms, expected[link_id].local_firms
        assert actual[link_id].local_capacity == expected[link_id].local_capacity
        assert actual[link_id].largest_firms() == expected[link_id].largest_firms()
        assert len(tally) == len(firms) and tuple(tally[:FirmTally.FIRST]) == tuple(firms[:FirmTally.FIRST])
        assert tally == firms and pickle.loads(pickle.dumps(tally)) == tuple(firms)


def test_the_server_sends_only_candidates_that_can_reach_the_top(stores):
    memory, neo = stores
    _, support = read_support(neo)
    shortened = 0
    for chain in neo.chains():
        gaps = chain_gaps(neo, chain.id, SETTINGS)
        for only in (None, TargetFilter(provinces=frozenset({"江苏省", "甘肃省"}), min_capital=500)):
            best = ranking(10, neo.region(), SETTINGS, support, only)
            for gap in gaps.wanted:
                everyone, kept = neo.candidates([gap.link.id]), neo.candidates([gap.link.id], best)
                assert set(kept) <= set(everyone)
                shortened += len(kept) < len(everyone)
                assert (rank_targets(gaps, kept, neo.region(), SETTINGS, 10, only, support)
                        == rank_targets(gaps, everyone, neo.region(), SETTINGS, 10, only, support))
    assert shortened  # the short read was taken, not replaced by the full one


def test_a_server_score_that_strays_from_the_analysis_reads_every_candidate(stores):
    _, neo = stores
    wanted = [g.link.id for chain in neo.chains() for g in chain_gaps(neo, chain.id, SETTINGS).wanted]
    link = max(wanted, key=lambda link_id: len(neo.candidates([link_id])))
    best = ranking(5, neo.region(), SETTINGS)
    assert len(neo.candidates([link], best)) < len(neo.candidates([link]))
    astray = replace(best, score=lambda c: -1.0)
    assert neo.candidates([link], astray) == neo.candidates([link])
