"""Ranking stability on the hand-made chain of conftest.py: which of the top survive a ±20 % weight change."""

from __future__ import annotations

from chain_graph.analysis.gaps import chain_gaps
from chain_graph.analysis.stability import Mover, ranking_stability
from chain_graph.analysis.targets import chain_targets
from chain_graph.settings import AnalysisSettings, Weights

from tests.conftest import N


def ranked(store, settings):
    return chain_targets(store, chain_gaps(store, "mini", settings), settings)


def test_default_weights_keep_the_top_three(mini_store):
    # 80.4, 67.4, 50.0 against 45.7 and 39.1: no single ±20 % change closes a gap of 4.3 points
    s = ranking_stability(ranked(mini_store, AnalysisSettings()), AnalysisSettings(), n=3)
    assert (s.top, s.kept, s.dropped, s.entered) == (3, 3, (), ())


def test_a_close_call_is_reported_with_the_change_that_flips_it(mini_store):
    # proximity weight .21, Σ = 1.21: 兰州隔膜科技 (N2) .16506 + .18 + .21 + .03 = .58506 → 48.4,
    # 江苏隔膜股份 (N1) .23495 + .24 + .10 = .57495 → 47.5, so N2 is third and N1 fourth. Scale +20 %
    # (.36, Σ 1.27): N1 .62194 → 49.0, N2 .60807 → 47.9: they swap (scale -20 % only widens the gap)
    settings = AnalysisSettings(weights=Weights(proximity=0.21))
    targets = ranked(mini_store, settings)
    assert [(t.firm_id, t.score) for t in targets[2:4]] == [(N["N2"], 48.4), (N["N1"], 47.5)]
    s = ranking_stability(targets, settings, n=3)
    assert (s.top, s.kept, s.share) == (3, 2, 2 / 3)
    assert s.dropped == (Mover("separator", N["N2"], "兰州隔膜科技", 3, "scale+20%", 4),)
    assert s.entered == (Mover("separator", N["N1"], "江苏隔膜股份", 4, "scale+20%", 3),)


def test_a_short_list_compares_what_there_is(mini_store):
    s = ranking_stability(ranked(mini_store, AnalysisSettings())[:2], AnalysisSettings())
    assert (s.top, s.kept) == (2, 2)
    assert ranking_stability([], AnalysisSettings()).share is None
