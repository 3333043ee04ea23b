"""缺什么: the status of each link of a chain, its local supply rate and the break points.

Pure functions of a chain's links, the FEEDS edges and each link's local presence;
`chain_gaps` only does the store reads. See docs/analysis.md for the definitions.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from statistics import fmean
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    import networkx as nx


from ..i18n import Message, number, percent
from ..model import Chain, Feeds, Link
from ..store.base import FirmOnLink, GraphStore, LinkPresence
from ..settings import AnalysisSettings


class Status(str, Enum):
    MISSING = "missing"
    PIPELINE = "pipeline"
    WEAK = "weak"
    STRONG = "strong"

    @property
    def present(self) -> bool:
        return self in (Status.WEAK, Status.STRONG)


@dataclass(frozen=True)
class Fill:
    """A link's local capacity against the local demand for it (both in the link's unit)."""

    capacity: float
    demand: float

    @property
    def share(self) -> float:
        return min(self.capacity, self.demand) / self.demand


@dataclass(frozen=True)
class BreakPoint:
    rank: int
    upstream: tuple[str, ...]  # ids of present links upstream
    downstream: tuple[str, ...]  # ids of present links downstream that depend on it
    downstream_firms: int


@dataclass(frozen=True)
class LinkGap:
    link: Link
    status: Status
    presence: LinkPresence
    fill: Fill | None
    local_supply_rate: float | None  # how much of this link's inputs is supplied locally
    basis: str | None  # "capacity", "coverage", "mixed" or None for a link without inputs
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    evidence: tuple[Message, ...]
    break_point: BreakPoint | None = None


@dataclass(frozen=True)
class ChainGaps:
    chain: Chain
    links: tuple[LinkGap, ...]
    local_supply_rate: float | None
    basis: str | None
    landed: bool
    names: dict[str, str] = field(default_factory=dict)  # every link id involved, other chains' too

    def count(self, status: Status) -> int:
        return sum(1 for g in self.links if g.status is status)

    @property
    def wanted(self) -> tuple[LinkGap, ...]:
        """Missing and weak links, break points first (by rank), then missing, then weak."""
        def order(g: LinkGap) -> tuple:
            bp = g.break_point.rank if g.break_point else 10**6
            return (bp, g.status is not Status.MISSING, g.link.id)
        return tuple(sorted((g for g in self.links if g.status in (Status.MISSING, Status.WEAK)), key=order))

    def by_id(self, link_id: str) -> LinkGap | None:
        return next((g for g in self.links if g.link.id == link_id), None)


def land_pipeline(presence: LinkPresence) -> LinkPresence:
    """The presence once its pipeline projects are built: each becomes a local producer."""
    built = tuple(FirmOnLink(p.id, p.name, p.capacity) for p in presence.pipeline)
    return replace(presence, local_firms=presence.local_firms + built, pipeline=())


def link_status(presence: LinkPresence, fill: Fill | None, settings: AnalysisSettings) -> Status:
    if not presence.local_firms:
        return Status.PIPELINE if presence.pipeline else Status.MISSING
    if settings.single_firm_is_weak and len(presence.local_firms) == 1:
        return Status.WEAK
    if fill is not None and fill.share < settings.weak_share:
        return Status.WEAK
    return Status.STRONG


def link_fill(link_id: str, feeds: Iterable[Feeds], presence: dict[str, LinkPresence]) -> Fill | None:
    """Capacity against demand, where demand = Σ coefficient × local capacity of each consumer."""
    demand = 0.0
    for edge in feeds:
        consumer = presence.get(edge.target)
        if edge.source == link_id and edge.coefficient and consumer and consumer.local_capacity:
            demand += edge.coefficient * consumer.local_capacity
    own = presence.get(link_id)
    if demand <= 0 or (own and own.local_firms and own.local_capacity is None):
        return None  # no demand figure, or local producers whose capacity is unknown: not a zero
    return Fill((own.local_capacity or 0.0) if own else 0.0, demand)


def link_statuses(
    feeds: Iterable[Feeds], presence: dict[str, LinkPresence], settings: AnalysisSettings,
) -> tuple[dict[str, Fill | None], dict[str, Status]]:
    """Each link's fill and status; a fill counts only the consumers `presence` covers."""
    feeds = list(feeds)
    fills = {k: link_fill(k, feeds, presence) for k in presence}
    return fills, {k: link_status(v, fills[k], settings) for k, v in presence.items()}


def supply_rate(inputs: Iterable[str], fills: dict[str, Fill | None], present: dict[str, bool]) -> tuple[float | None, str | None]:
    """Mean share of each input's local demand met locally; presence (1 or 0) stands in where capacities are unknown."""
    shares, measured = [], []
    for link_id in inputs:
        fill = fills.get(link_id)
        measured.append(fill is not None)
        shares.append(fill.share if fill is not None else float(present.get(link_id, False)))
    if not shares:
        return None, None
    basis = "capacity" if all(measured) else "coverage" if not any(measured) else "mixed"
    return fmean(shares), basis


def analyse_chain(
    chain: Chain, links: list[Link], feeds: list[Feeds], presence: dict[str, LinkPresence],
    settings: AnalysisSettings, landed: bool = False, names: dict[str, str] | None = None,
) -> ChainGaps:
    """Every link of `chain` with its status, evidence and supply rate; `presence` covers the
    chain's links and their direct neighbours in other chains, `names` names those neighbours."""
    names = {**(names or {}), **{link.id: link.name for link in links}}
    if landed:
        presence = {k: land_pipeline(v) for k, v in presence.items()}
    fills, statuses = link_statuses(feeds, presence, settings)
    present = {k: s.present for k, s in statuses.items()}
    import networkx as nx  # here: the commands that import this module without a chain's gaps start faster

    ids = {link.id for link in links}
    graph = nx.DiGraph()
    graph.add_nodes_from(presence)
    graph.add_edges_from((e.source, e.target) for e in feeds if e.source in presence and e.target in presence)
    gaps = []
    for link in links:
        inputs = tuple(sorted(graph.predecessors(link.id)))
        rate, basis = supply_rate(inputs, fills, present)
        gaps.append(LinkGap(
            link, statuses[link.id], presence[link.id], fills[link.id], rate, basis, inputs,
            tuple(sorted(graph.successors(link.id))),
            _evidence(link, presence[link.id], fills[link.id], statuses[link.id], settings, landed),
        ))
    gaps = _mark_break_points(gaps, graph, statuses, presence, names)
    chain_inputs = sorted({e.source for e in feeds if e.target in ids and e.source in presence})
    rate, basis = supply_rate(chain_inputs, fills, present)
    return ChainGaps(chain, tuple(gaps), rate, basis, landed, names)


def _mark_break_points(
    gaps: list[LinkGap], graph: nx.DiGraph, statuses: dict, presence: dict, names: dict[str, str],
) -> list[LinkGap]:
    import networkx as nx

    found = []
    for gap in gaps:
        if gap.status is not Status.MISSING:
            continue
        ancestors, descendants = nx.ancestors(graph, gap.link.id), nx.descendants(graph, gap.link.id)
        # a link both up- and downstream sits on a recycling loop: it is neither side of the gap
        up = sorted(a for a in ancestors - descendants if statuses[a].present)
        down = sorted(d for d in descendants - ancestors if statuses[d].present)
        if up and down:
            firms = sum(len(presence[d].local_firms) for d in down)
            found.append((gap, tuple(up), tuple(down), firms))
    found.sort(key=lambda f: (-len(f[2]), -f[3], f[0].link.id))
    marks = {
        gap.link.id: BreakPoint(rank, up, down, firms) for rank, (gap, up, down, firms) in enumerate(found, start=1)
    }
    out = []
    for gap in gaps:
        bp = marks.get(gap.link.id)
        if bp:
            message = Message("ev.break_point", {
                "upstream": "、".join(names.get(i, i) for i in bp.upstream),
                "downstream": "、".join(names.get(i, i) for i in bp.downstream), "n": len(bp.downstream),
            })
            gap = replace(gap, break_point=bp, evidence=(message, *gap.evidence))
        out.append(gap)
    return out


def _evidence(link: Link, presence: LinkPresence, fill: Fill | None, status: Status,
              settings: AnalysisSettings, landed: bool) -> tuple[Message, ...]:
    firms, pipeline = presence.local_firms, presence.pipeline
    out = [Message("ev.landed")] if landed and status is not Status.MISSING else []
    out.append(
        Message("ev.local_firms", {"n": len(firms), "names": _names(firms)}) if firms else Message("ev.no_local_firm")
    )
    if pipeline:
        out.append(Message("ev.pipeline", {"n": len(pipeline), "names": _names(pipeline)}))
    elif not firms:
        out.append(Message("ev.no_pipeline"))
    if status is Status.WEAK and settings.single_firm_is_weak and len(firms) == 1:
        out.append(Message("ev.single_firm"))
    if fill is not None:
        out.append(Message("ev.fill", {
            "capacity": number(fill.capacity), "demand": number(fill.demand), "unit": link.unit or "",
            "share": percent(fill.share),
        }))
        if firms and fill.share < settings.weak_share:
            out.append(Message("ev.fill_low", {"threshold": percent(settings.weak_share)}))
    return tuple(out)


def _names(items) -> str:
    """The first five names and how many more (a server store's tally holds just those five)."""
    return "、".join(i.name for i in items[:5]) + (f"…(+{len(items) - 5})" if len(items) > 5 else "")


def neighbourhood(link_ids: set[str], feeds: list[Feeds]) -> set[str]:
    """The links plus every link one FEEDS edge away, in any chain."""
    out = set(link_ids)
    for edge in feeds:
        if edge.source in link_ids or edge.target in link_ids:
            out.update((edge.source, edge.target))
    return out


def chain_gaps(store: GraphStore, chain_id: str, settings: AnalysisSettings, landed: bool = False) -> ChainGaps:
    """Read what the analysis needs from the store and analyse one chain."""
    chain = next((c for c in store.chains() if c.id == chain_id), None)
    if chain is None:
        raise KeyError(chain_id)
    all_links = store.links()
    links = [link for link in all_links if link.chain == chain_id]
    all_feeds = store.feeds()
    ids = neighbourhood({link.id for link in links}, all_feeds)
    feeds = [e for e in all_feeds if e.source in ids and e.target in ids]
    names = {link.id: link.name for link in all_links if link.id in ids}
    return analyse_chain(chain, links, feeds, store.presence(sorted(ids)), settings, landed, names)
