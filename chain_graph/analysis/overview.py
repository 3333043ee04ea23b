"""One row per chain: the numbers a promotion team compares chains by."""

from __future__ import annotations

from dataclasses import dataclass

from ..store.base import ChainCounts, GraphStore
from .gaps import ChainGaps, Status, chain_gaps
from ..settings import AnalysisSettings


@dataclass(frozen=True)
class ChainSummary:
    id: str
    name: str
    links: int
    firms: int
    local_firms: int
    projects: int
    investment: float | None  # 亿元 over the projects that state an amount; None: none does
    investment_unknown: int  # projects with no amount
    missing: int
    pipeline: int
    weak: int
    strong: int
    break_points: int
    local_supply_rate: float | None
    basis: str | None


def summarise(gaps: ChainGaps, counts: ChainCounts) -> ChainSummary:
    return ChainSummary(
        gaps.chain.id, gaps.chain.name, len(gaps.links), counts.firms, counts.local_firms, counts.projects,
        None if counts.investment is None else round(counts.investment, 4), counts.investment_unknown,
        gaps.count(Status.MISSING), gaps.count(Status.PIPELINE),
        gaps.count(Status.WEAK), gaps.count(Status.STRONG),
        sum(1 for g in gaps.links if g.break_point), gaps.local_supply_rate, gaps.basis,
    )


def overview(store: GraphStore, settings: AnalysisSettings, landed: bool = False) -> list[ChainSummary]:
    counts = store.chain_counts()
    return [
        summarise(chain_gaps(store, chain.id, settings, landed), counts.get(chain.id, ChainCounts(chain.id)))
        for chain in store.chains()
    ]
