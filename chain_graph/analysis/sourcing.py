"""A view per local chain leader: what its links consume that the city lacks or has little of, whom it
already buys from outside, and which outside firms could make those inputs in the city.

The pitch to a firm on such an input is "your customer is already here"; see docs/analysis.md (链主配套).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..settings import AnalysisSettings
from ..store.base import GraphStore, SupplyTie
from .gaps import Status, link_statuses
from .leaders import Leader, read_support
from .targets import Target, ranking, scored

MAKERS = 3  # outside firms shown per input


@dataclass(frozen=True)
class LeaderInput:
    link_id: str
    name: str
    chain: str
    status: Status  # missing or weak
    feeds: tuple[str, ...]  # the leader's links it goes into
    pipeline: tuple[str, ...]  # names of local projects signed or building on it
    makers: tuple[Target, ...]  # the best outside firms on it, suppliers of a leader first


@dataclass(frozen=True)
class LeaderNeeds:
    leader: Leader
    inputs: tuple[LeaderInput, ...]  # missing first, then weak, then by link id
    suppliers: tuple[SupplyTie, ...]  # its known active suppliers outside the city


def leader_needs(store: GraphStore, settings: AnalysisSettings, makers: int = MAKERS) -> list[LeaderNeeds]:
    """Every leader with the missing or weak inputs of its links (any chain) and who could make them locally."""
    leaders, support = read_support(store)
    links = {link.id: link for link in store.links()}
    feeds = store.feeds()
    presence = store.presence(list(links))
    _, status = link_statuses(feeds, presence, settings)
    wanted = {k for k, s in status.items() if s in (Status.MISSING, Status.WEAK)}
    needed = {e.source for leader in leaders for e in feeds if e.target in leader.links and e.source in wanted}
    region, names = store.region(), {k: link.name for k, link in links.items()}
    best: dict[str, list[Target]] = {}
    for c in store.candidates(sorted(needed), ranking(makers, region, settings, support)):
        best.setdefault(c.link_id, []).append(
            scored(c, links[c.link_id], status[c.link_id].value, False, region, settings, support, names))
    first = settings.leader_suppliers_first
    for targets in best.values():
        targets.sort(key=lambda t: (first and not t.leader_supplier, -t.score, t.firm_id))
    ties = store.suppliers_of(leader.firm_id for leader in leaders)
    out = []
    for leader in leaders:
        into: dict[str, set[str]] = {}
        for e in feeds:
            if e.target in leader.links and e.source in wanted and e.source not in leader.links:
                into.setdefault(e.source, set()).add(e.target)
        inputs = sorted(into, key=lambda k: (status[k] is not Status.MISSING, k))
        out.append(LeaderNeeds(leader, tuple(LeaderInput(
            k, links[k].name, links[k].chain, status[k], tuple(sorted(into[k])),
            tuple(p.name for p in presence[k].pipeline), tuple(best.get(k, [])[:makers]),
        ) for k in inputs), tuple(t for t in ties if t.customer_id == leader.firm_id and t.active and not t.local)))
    return out
