"""Firms as the firm page shows them: a search with tag filter, and one firm with everything known about it.

Both read through the GraphStore protocol, so the page works the same on either store.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable

from ..model import Project
from ..store.base import FirmQuery, FirmRecord, GraphStore, TradePartner


@dataclass(frozen=True)
class FirmProfile:
    record: FirmRecord
    projects: tuple[Project, ...]  # ledger projects that name the firm
    suppliers: tuple[TradePartner, ...]
    customers: tuple[TradePartner, ...]


def find_firms(store: GraphStore, query: FirmQuery, tags: Iterable[str] = ()) -> list[FirmRecord]:
    """Firms matching `query` that carry any of `tags`; the limit counts only firms that pass the tags."""
    wanted = set(tags)
    if not wanted:
        return store.firms(query)
    found = [r for r in store.firms(replace(query, limit=None)) if wanted.intersection(r.firm.tags)]
    return found[: query.limit] if query.limit else found


def firm_profile(store: GraphStore, firm_id: str) -> FirmProfile | None:
    """The firm with this credit code (id), or None when the store has no such firm."""
    record = next((r for r in store.firms(FirmQuery(text=firm_id)) if r.firm.id == firm_id), None)
    if record is None:
        return None
    partners = store.trade_partners(firm_id)
    return FirmProfile(
        record,
        tuple(p for p in store.projects() if p.firm_id == firm_id),
        tuple(p for p in partners if p.role == "supplier"),
        tuple(p for p in partners if p.role == "customer"),
    )
