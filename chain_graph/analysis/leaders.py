"""链主配套: the city's chain leaders, the inputs their links consume, and who already supplies them.

A pitch that says "your product would go into the city's own chain leader" is the most persuasive a
promotion team has. This module finds the leaders and what they need; `targets` turns that into a
feature and reasons, `sourcing` into a view per leader. See docs/analysis.md (链主配套).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..model import Feeds
from ..store.base import FirmOnLink, GraphStore, LinkPresence, SupplyTie

LEADER_TAG = "链主"


@dataclass(frozen=True)
class Leader:
    """An active local firm that leads one or more links."""

    firm_id: str
    name: str
    links: tuple[str, ...]  # link ids it leads
    basis: str  # "tag" (tagged 链主), "capacity" (largest stated local capacity) or "sole" (the link's only local firm)


@dataclass(frozen=True)
class Support:
    """What the leaders mean for targets: the inputs they consume and the outside firms that already supply them."""

    serves: dict[str, tuple[tuple[str, str], ...]]  # input link id -> ((leader name, leader's link id), ...)
    supplies: dict[str, tuple[tuple[str, str | None], ...]]  # supplier firm id -> ((leader name, product), ...)

    def supplier(self, firm_id: str) -> bool:
        return firm_id in self.supplies


NO_SUPPORT = Support({}, {})


def link_leaders(presence: LinkPresence, tagged: tuple[FirmOnLink, ...] = ()) -> tuple[tuple[FirmOnLink, str], ...]:
    """The leaders of one link with their basis: tagged 链主 firms; else the largest stated capacity; else the only
    local firm. Several local firms and no stated capacity: none (an unknown capacity is not guessed)."""
    if tagged:
        return tuple((f, "tag") for f in tagged)
    largest, firms = presence.largest_firms(), presence.local_firms
    if largest:
        return tuple((f, "capacity") for f in largest)
    return ((firms[0], "sole"),) if len(firms) == 1 else ()


def find_leaders(presence: dict[str, LinkPresence], tagged: dict[str, tuple[FirmOnLink, ...]]) -> list[Leader]:
    """Every link's leaders grouped by firm, by firm id; a firm's basis is the strongest it has on any link."""
    links: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    bases: dict[str, set[str]] = {}
    for link_id in sorted(presence):
        for firm, basis in link_leaders(presence[link_id], tagged.get(link_id, ())):
            links.setdefault(firm.id, []).append(link_id)
            names[firm.id] = firm.name
            bases.setdefault(firm.id, set()).add(basis)
    order = ("tag", "capacity", "sole")
    return [Leader(fid, names[fid], tuple(links[fid]), next(b for b in order if b in bases[fid])) for fid in sorted(links)]


def support_of(leaders: Iterable[Leader], feeds: Iterable[Feeds], ties: Iterable[SupplyTie]) -> Support:
    """Which links feed a leader's link, and which active non-local firms already supply a leader."""
    leaders = list(leaders)
    by_link: dict[str, list[Leader]] = {}
    for leader in leaders:
        for link_id in leader.links:
            by_link.setdefault(link_id, []).append(leader)
    serves: dict[str, list[tuple[str, str]]] = {}
    for edge in feeds:
        for leader in by_link.get(edge.target, ()):
            serves.setdefault(edge.source, []).append((leader.name, edge.target))
    name_of = {leader.firm_id: leader.name for leader in leaders}
    supplies: dict[str, list[tuple[str, str | None]]] = {}
    for tie in ties:
        if tie.customer_id in name_of and tie.active and not tie.local:
            supplies.setdefault(tie.supplier_id, []).append((name_of[tie.customer_id], tie.product))
    return Support({k: tuple(sorted(set(v))) for k, v in serves.items()},
                   {k: tuple(sorted(set(v), key=lambda x: (x[0], x[1] or ""))) for k, v in supplies.items()})


def read_leaders(store: GraphStore) -> list[Leader]:
    """The leaders over every link: presence is one row per link, the tagged firms are few."""
    presence = store.presence([link.id for link in store.links()])
    return find_leaders(presence, store.tagged_local_firms(LEADER_TAG))


def read_support(store: GraphStore) -> tuple[list[Leader], Support]:
    leaders = read_leaders(store)
    return leaders, support_of(leaders, store.feeds(), store.suppliers_of(l.firm_id for l in leaders))
