"""招什么: non-local firms ranked for each missing or weak link, with the reasons for each score.

The score is a weighted mean of features in [0, 1] (scale, tags, ties, proximity,
evidence, 链主配套 ...), shown as 0-100; weights live in AnalysisSettings so a team
can change them and see the ranking move. A feature that is unknown for a firm (None)
is left out of its mean rather than counted as 0. Firms that already supply a local
chain leader rank first. Only active firms reach this point: the store never offers
a deregistered firm as a candidate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date
from typing import Iterable

from ..i18n import Message, number, wan_yuan
from ..model import Link, Region
from ..rules import to_cny
from ..store.base import Candidate, GraphStore, Ranking
from .gaps import ChainGaps, LinkGap
from .leaders import NO_SUPPORT, Support, read_support
from .signals import FINANCED, LISTED, NOT_LISTED, SIGNALS, signal_features, signal_reasons
from ..settings import AnalysisSettings

FEATURES = ("scale", "tags", "ties", "proximity", "evidence", "leader", *SIGNALS)
SAMPLE_SOURCES = ("illustrative", "示例")


@dataclass(frozen=True)
class Target:
    """A candidate scored for one wanted link."""

    rank: int
    candidate: Candidate
    link_name: str
    link_status: str
    break_point: bool
    score: float
    features: dict[str, float | None]  # None: unknown for this firm, left out of its score
    reasons: tuple[Message, ...]
    sample: bool
    leader_supplier: bool = False  # already supplies a local chain leader: ranks first

    @property
    def link_id(self) -> str:
        return self.candidate.link_id

    @property
    def firm_id(self) -> str:
        return self.candidate.firm_id

    @property
    def firm_name(self) -> str:
        return self.candidate.firm_name

    def reasons_text(self, lang: str = "zh") -> list[str]:
        return [r.text(lang) for r in self.reasons]


@dataclass(frozen=True)
class TargetFilter:
    provinces: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()  # any of these
    min_capital: float | None = None  # 万元 (CNY equivalent)
    exclude: frozenset[str] = frozenset()  # firm ids already contacted

    def accepts(self, c: Candidate) -> bool:
        if self.provinces and c.province not in self.provinces:
            return False
        if self.tags and not self.tags.intersection(c.tags):
            return False
        if self.min_capital is not None and (to_cny(c.registered_capital, c.capital_currency) or 0) < self.min_capital:
            return False
        return c.firm_id not in self.exclude


def features(
    c: Candidate, region: Region, settings: AnalysisSettings, support: Support = NO_SUPPORT,
) -> dict[str, float | None]:
    capital = to_cny(c.registered_capital, c.capital_currency)
    scale = 0.0 if not capital else min(1.0, math.log10(1 + capital) / math.log10(1 + settings.full_scale_capital))
    proximity = {"local_province": 1.0, "neighbour": settings.neighbour_proximity}.get(region.proximity(c.province), 0.0)
    evidence = 1.0 if c.capacity is not None else 0.6 if c.evidence else 0.3
    return {
        "scale": round(scale, 4),
        "tags": max((settings.tag_values.get(tag, 0.0) for tag in c.tags), default=0.0),
        "ties": min(1.0, len(c.local_ties) / 2),
        "proximity": proximity,
        "evidence": evidence,
        "leader": 1.0 if support.supplier(c.firm_id) or c.link_id in support.serves else 0.0,
        **signal_features(c, settings, settings.as_of or date.today()),
    }


def score(feats: dict[str, float | None], settings: AnalysisSettings, weights: dict[str, float] | None = None) -> float:
    """The weighted mean of the known features, 0-100; `weights` overrides the settings' (stability)."""
    weights = weights or settings.weights.model_dump()
    known = [k for k in FEATURES if feats.get(k) is not None]
    total = sum(weights[k] for k in known)
    if total <= 0:
        return 0.0
    return round(100 * sum(weights[k] * feats[k] for k in known) / total, 1)


def reasons(
    c: Candidate, region: Region, unit: str | None, support: Support = NO_SUPPORT, names: dict[str, str] | None = None,
    feats: dict[str, float | None] | None = None, today: date | None = None,
) -> tuple[Message, ...]:
    out = []
    if support.supplier(c.firm_id):
        ties = support.supplies[c.firm_id]
        out.append(Message("why.leader_supplier", {
            "leaders": "、".join(sorted({leader for leader, _ in ties})),
            "products": "、".join(sorted({p for _, p in ties if p})) or "—",
        }))
    if c.link_id in support.serves:
        served = support.serves[c.link_id]
        out.append(Message("why.leader_input", {
            "leaders": "、".join(sorted({leader for leader, _ in served})),
            "links": "、".join(sorted({(names or {}).get(l, l) for _, l in served})),
        }))
    if c.tags:
        out.append(Message("why.tags", {"tags": "、".join(c.tags)}))
    out.append(
        Message("why.capital", {"amount": wan_yuan(c.registered_capital, c.capital_currency)})
        if c.registered_capital else Message("why.capital_unknown")
    )
    if c.local_ties:
        out.append(Message("why.ties", {"names": "、".join(c.local_ties)}))
    where = region.proximity(c.province)
    if where == "local_province":
        out.append(Message("why.same_province", {"province": c.province}))
    elif where == "neighbour":
        out.append(Message("why.neighbour", {"province": c.province}))
    if c.capacity is not None:
        out.append(Message("why.capacity", {"capacity": f"{number(c.capacity)}{unit or ''}"}))
    elif c.evidence:
        out.append(Message("why.evidence", {"evidence": c.evidence}))
    if feats is not None:
        out.extend(signal_reasons(c, feats, today or date.today()))
    if is_sample(c.source):
        out.append(Message("why.sample"))
    return tuple(out)


def is_sample(source: str | None) -> bool:
    return bool(source) and any(s in source for s in SAMPLE_SOURCES)


def rank_targets(
    gaps: ChainGaps, candidates: Iterable[Candidate], region: Region, settings: AnalysisSettings,
    top: int | None = None, only: TargetFilter | None = None, support: Support = NO_SUPPORT,
    names: dict[str, str] | None = None,
) -> list[Target]:
    """Targets for the chain's wanted links, best first; `top` keeps that many per link. With
    `settings.leader_suppliers_first`, firms that already supply a local chain leader come first."""
    wanted = {g.link.id: g for g in gaps.wanted}
    per_link: dict[str, list[Target]] = {}
    for c in candidates:
        gap = wanted.get(c.link_id)
        if gap is None or (only and not only.accepts(c)):
            continue
        per_link.setdefault(c.link_id, []).append(_target(gap, c, region, settings, support, names or gaps.names))
    order = {link_id: i for i, link_id in enumerate(wanted)}
    first = settings.leader_suppliers_first
    kept = []
    for link_id, targets in per_link.items():
        targets.sort(key=lambda t: (first and not t.leader_supplier, -t.score, t.firm_id))
        kept.extend(targets[:top] if top else targets)
    kept.sort(key=lambda t: (first and not t.leader_supplier, -t.score, order[t.link_id], t.firm_id))
    return [replace(t, rank=i) for i, t in enumerate(kept, start=1)]


def _target(gap: LinkGap, c: Candidate, region: Region, settings: AnalysisSettings, support: Support,
            names: dict[str, str]) -> Target:
    return scored(c, gap.link, gap.status.value, gap.break_point is not None, region, settings, support, names)


def scored(c: Candidate, link: Link, status: str, break_point: bool, region: Region, settings: AnalysisSettings,
           support: Support = NO_SUPPORT, names: dict[str, str] | None = None) -> Target:
    """One candidate as a target of `link` (unranked): its features, score and reasons."""
    feats = features(c, region, settings, support)
    return Target(
        0, c, link.name, status, break_point, score(feats, settings), feats,
        reasons(c, region, link.unit, support, names, feats, settings.as_of), is_sample(c.source),
        support.supplier(c.firm_id),
    )




def chain_targets(
    store: GraphStore, gaps: ChainGaps, settings: AnalysisSettings, top: int | None = None,
    only: TargetFilter | None = None, link_id: str | None = None,
) -> list[Target]:
    """Read the candidates of the chain's wanted links (or one of them) and the local leaders, and rank them."""
    link_ids = [g.link.id for g in gaps.wanted if link_id is None or g.link.id == link_id]
    _, support = read_support(store)
    names = {link.id: link.name for link in store.links()}
    region = store.region()
    best = ranking(top, region, settings, support, only) if top else None
    return rank_targets(gaps, store.candidates(link_ids, best), region, settings, top, only, support, names)


def ranking(top: int, region: Region, settings: AnalysisSettings, support: Support = NO_SUPPORT,
            only: TargetFilter | None = None) -> Ranking:
    """This module's score as a store can apply it to keep only each link's best `top` candidates."""
    only = only or TargetFilter()
    return Ranking(
        top, settings, region, settings.as_of or date.today(), FEATURES,
        {"not_listed": NOT_LISTED, "listed": LISTED, "financed": FINANCED},
        frozenset(support.serves), frozenset(support.supplies),
        lambda c: score(features(c, region, settings, support), settings),
        only.provinces, only.tags, only.min_capital, only.exclude,
    )
