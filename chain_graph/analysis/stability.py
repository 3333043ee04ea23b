"""How stable is a ranking: does the top of a target list survive a ±20 % change of any one weight?

Weights are opinions; a recommendation that flips when one of them moves a little is a fragile one.
Pure over a ranked target list: each target keeps its features, so re-scoring needs no store read.
See docs/analysis.md (排名稳定性).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..settings import AnalysisSettings
from .targets import FEATURES, Target, score


@dataclass(frozen=True)
class Mover:
    """A target whose place in the top n depends on the weights."""

    link_id: str
    firm_id: str
    firm_name: str
    rank: int  # its rank with the settings' weights
    change: str  # the first weight change that moves it across the line, e.g. "scale+20%"
    rank_after: int  # its rank under that change


@dataclass(frozen=True)
class Stability:
    top: int  # the size of the top compared (fewer when the list is shorter)
    kept: int  # how many of the top stay in the top under every single-weight change
    step: float
    dropped: tuple[Mover, ...]  # in the top now, out of it under some change
    entered: tuple[Mover, ...]  # out of the top now, in it under some change

    @property
    def share(self) -> float | None:
        return self.kept / self.top if self.top else None


def ranking_stability(targets: list[Target], settings: AnalysisSettings, n: int = 10, step: float = 0.2) -> Stability:
    """Move each weight by -step and +step in turn (the others unchanged), rank again, and count how many of
    the top n stay in the top n every time. Leader suppliers stay first when the settings put them first."""
    key = {(t.link_id, t.firm_id): t for t in targets}
    base = [(t.link_id, t.firm_id) for t in sorted(targets, key=lambda t: t.rank)]
    top = set(base[:n])
    weights = settings.weights.model_dump()
    out: dict[tuple, tuple[str, int]] = {}
    into: dict[tuple, tuple[str, int]] = {}
    for name in FEATURES:
        for sign in (-1, 1):
            moved = {**weights, name: weights[name] * (1 + sign * step)}
            order = _rerank(targets, settings, moved)
            label = f"{name}{'+' if sign > 0 else '-'}{step:.0%}"
            now = set(order[:n])
            for k in top - now:
                out.setdefault(k, (label, order.index(k) + 1))
            for k in now - top:
                into.setdefault(k, (label, order.index(k) + 1))
    return Stability(
        len(top), len(top) - len(out), step,
        tuple(_mover(key[k], *out[k]) for k in base if k in out),
        tuple(_mover(key[k], *into[k]) for k in base if k in into),
    )


def _rerank(targets: list[Target], settings: AnalysisSettings, weights: dict[str, float]) -> list[tuple[str, str]]:
    """The list's order under other weights; the current rank breaks ties, as link order and firm id did."""
    first = settings.leader_suppliers_first
    ranked = sorted(targets, key=lambda t: (first and not t.leader_supplier, -score(t.features, settings, weights), t.rank))
    return [(t.link_id, t.firm_id) for t in ranked]


def _mover(t: Target, change: str, rank_after: int) -> Mover:
    return Mover(t.link_id, t.firm_id, t.firm_name, t.rank, change, rank_after)
