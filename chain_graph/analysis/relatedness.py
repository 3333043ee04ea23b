"""What to attract next: for each link the city lacks, how much of what it needs and what it feeds is local.

In the spirit of the Growth Lab's relatedness density: a missing link surrounded by local links
(its suppliers, its customers, its siblings) is the one the city is best placed to add.

    density(m) = Σ_j φ(m, j) × present(j) / Σ_j φ(m, j)        over every link j ≠ m with φ(m, j) > 0

Proximity φ comes from the FEEDS network only (no co-location statistics exist for a city's chain):
a direct edge weighs w (1, or less for a minor input where coefficients are known), two steps through
any link k weigh two_step_proximity × w(m, k) × w(k, j). See docs/analysis.md (下一步招什么) for a worked example.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable


from ..i18n import Message
from ..model import Feeds, Link
from ..settings import AnalysisSettings
from ..store.base import GraphStore
from .gaps import Status, link_statuses


@dataclass(frozen=True)
class Tie:
    """One related link of a candidate link, and why it is related."""

    link_id: str
    proximity: float
    relation: str  # "supplies" (it feeds the candidate), "buys" (the candidate feeds it) or "two_step"
    via: str | None = None  # the link between them, for a two-step tie
    present: bool = False


@dataclass(frozen=True)
class NextLink:
    rank: int
    link: Link
    status: Status
    density: float | None  # None: the link has no FEEDS neighbour at all
    support: float  # Σ φ × present: the absolute local support
    ties: tuple[Tie, ...]  # by proximity, highest first
    reasons: tuple[Message, ...] = field(default=())

    @property
    def supporters(self) -> tuple[Tie, ...]:
        return tuple(t for t in self.ties if t.present)


def edge_weights(links: Iterable[Link], feeds: Iterable[Feeds], settings: AnalysisSettings) -> dict[tuple[str, str], float]:
    """w(s→t): 1 without a coefficient; with one, floor + (1 - floor) × c / c_max, where c_max is the largest
    coefficient among t's inputs measured in the same unit as s (only same-unit coefficients compare)."""
    unit = {link.id: link.unit for link in links}
    feeds = list(feeds)
    largest: dict[tuple[str, str | None], float] = {}
    for e in feeds:
        if e.coefficient:
            k = (e.target, unit.get(e.source))
            largest[k] = max(largest.get(k, 0.0), e.coefficient)
    floor = settings.minor_input_floor
    out = {}
    for e in feeds:
        w = 1.0 if not e.coefficient else floor + (1 - floor) * e.coefficient / largest[(e.target, unit.get(e.source))]
        out[(e.source, e.target)] = max(out.get((e.source, e.target), 0.0), round(w, 4))
    return out


def proximities(weights: dict[tuple[str, str], float], settings: AnalysisSettings) -> dict[str, dict[str, Tie]]:
    """φ between every pair of links within two FEEDS steps (either direction): the strongest tie counts."""
    import networkx as nx  # here: importing the module (the CLI, the app) does not load networkx

    graph = nx.Graph()
    for (s, t), w in weights.items():
        if s != t:
            graph.add_edge(s, t, w=max(w, graph.edges[s, t]["w"]) if graph.has_edge(s, t) else w)
    out: dict[str, dict[str, Tie]] = {}
    for m in graph.nodes:
        ties: dict[str, Tie] = {}
        for j in graph.neighbors(m):
            relation = "supplies" if (j, m) in weights else "buys"
            ties[j] = Tie(j, graph.edges[m, j]["w"], relation)
        for k in graph.neighbors(m):
            for j in graph.neighbors(k):
                if j == m:
                    continue
                phi = round(settings.two_step_proximity * graph.edges[m, k]["w"] * graph.edges[k, j]["w"], 4)
                if j not in ties or phi > ties[j].proximity or (phi == ties[j].proximity and ties[j].via is not None
                                                               and k < ties[j].via):
                    ties[j] = Tie(j, phi, "two_step", k)
        out[m] = ties
    return out


def next_links(
    links: list[Link], feeds: list[Feeds], statuses: dict[str, Status],
    settings: AnalysisSettings, chain_id: str | None = None, names: dict[str, str] | None = None,
) -> list[NextLink]:
    """The missing links (of one chain, or all), ranked by relatedness density, then support, then link id."""
    phi = proximities(edge_weights(links, feeds, settings), settings)
    names = names or {link.id: link.name for link in links}
    out = []
    for link in links:
        if statuses.get(link.id) is not Status.MISSING or (chain_id and link.chain != chain_id):
            continue
        ties = sorted(
            (Tie(t.link_id, t.proximity, t.relation, t.via, statuses.get(t.link_id, Status.MISSING).present)
             for t in phi.get(link.id, {}).values()),
            key=lambda t: (-t.proximity, not t.present, t.link_id),
        )
        total = sum(t.proximity for t in ties)
        support = round(sum(t.proximity for t in ties if t.present), 4)
        density = round(support / total, 4) if total > 0 else None
        out.append(NextLink(0, link, statuses[link.id], density, support, tuple(ties)))
    out.sort(key=lambda n: (n.density is None, -(n.density or 0), -n.support, n.link.id))
    return [NextLink(i, n.link, n.status, n.density, n.support, n.ties, _reasons(n, names))
            for i, n in enumerate(out, start=1)]


def _reasons(n: NextLink, names: dict[str, str]) -> tuple[Message, ...]:
    if n.density is None:
        return (Message("next.isolated"),)
    out = [Message("next.density", {
        "present": len(n.supporters), "related": len(n.ties), "density": f"{n.density:.0%}",
    })]
    for relation in ("supplies", "buys", "two_step"):
        ties = [t for t in n.supporters if t.relation == relation]
        if ties:
            shown = [names.get(t.link_id, t.link_id) + (f"（{names.get(t.via, t.via)}）" if t.via else "")
                     for t in ties[:5]]
            out.append(Message(f"next.{relation}", {
                "names": "、".join(shown) + (f"…(+{len(ties) - 5})" if len(ties) > 5 else ""),
            }))
    if not n.supporters:
        out.append(Message("next.no_support"))
    return tuple(out)


def all_statuses(store: GraphStore, settings: AnalysisSettings) -> dict[str, Status]:
    """Every link's status, each judged with all its consumers (as its own chain's gap view does)."""
    presence = store.presence([link.id for link in store.links()])
    return link_statuses(store.feeds(), presence, settings)[1]


def read_next_links(store: GraphStore, settings: AnalysisSettings, chain_id: str | None = None) -> list[NextLink]:
    links = store.links()
    return next_links(links, store.feeds(), all_statuses(store, settings), settings, chain_id)
