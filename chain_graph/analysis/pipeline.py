"""The 招商 pipeline at a glance: a funnel of lead statuses per chain and per link, the leads whose
next action is overdue, and each owner's load. Pure functions over a store's leads."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Iterable

from ..leads import Lead, LeadStatus, ORDER


@dataclass(frozen=True)
class FunnelRow:
    chain_id: str
    link_id: str | None  # None: the chain's total (and its chain-level leads)
    counts: dict[LeadStatus, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class OwnerRow:
    owner: str  # "" for leads nobody owns yet
    open: int
    overdue: int
    signed: int  # signed or landed
    counts: dict[LeadStatus, int]


def funnel(leads: Iterable[Lead], chain_id: str | None = None) -> list[FunnelRow]:
    """Per chain a total row, then one row per link with leads (chain-level leads only in the total)."""
    per_chain: dict[str, Counter] = {}
    per_link: dict[tuple[str, str], Counter] = {}
    for lead in leads:
        if chain_id is not None and lead.chain_id != chain_id:
            continue
        per_chain.setdefault(lead.chain_id, Counter())[lead.status] += 1
        if lead.link_id:
            per_link.setdefault((lead.chain_id, lead.link_id), Counter())[lead.status] += 1
    out = []
    for chain in sorted(per_chain):
        out.append(FunnelRow(chain, None, _all(per_chain[chain])))
        out += [FunnelRow(chain, link, _all(per_link[(c, link)])) for c, link in sorted(per_link) if c == chain]
    return out


def overdue(leads: Iterable[Lead], today: date) -> list[Lead]:
    """Open leads whose next action date has passed, the longest overdue first."""
    return sorted((x for x in leads if x.overdue(today)), key=lambda x: (x.next_date, x.id))


def by_owner(leads: Iterable[Lead], today: date) -> list[OwnerRow]:
    groups: dict[str, list[Lead]] = {}
    for lead in leads:
        groups.setdefault(lead.owner, []).append(lead)
    return [OwnerRow(
        owner, sum(x.status.open for x in group), sum(x.overdue(today) for x in group),
        sum(x.status in (LeadStatus.SIGNED, LeadStatus.LANDED) for x in group),
        _all(Counter(x.status for x in group)),
    ) for owner, group in sorted(groups.items())]


def in_pipeline(leads: Iterable[Lead]) -> dict[tuple[str, str | None], Lead]:
    """(firm id, link id) → the lead, for marking targets; a dropped lead does not mark its firm."""
    out: dict[tuple[str, str | None], Lead] = {}
    for lead in leads:
        if lead.firm_id and lead.status is not LeadStatus.DROPPED:
            out[(lead.firm_id, lead.link_id)] = lead
    return out


def _all(counts: Counter) -> dict[LeadStatus, int]:
    return {status: counts.get(status, 0) for status in ORDER}
