"""Analysis results as plain rows: the CLI's JSON contract and the tables of the app and exports.

Keys here are the documented, stable contract (docs/cli.md); change them only with the docs.
"""

from __future__ import annotations

from .analysis.gaps import ChainGaps, LinkGap
from .analysis.overview import ChainSummary
from .analysis.projects import RATE_NAMES, Ledger
from .analysis.targets import Target
from .i18n import LANGS, t
from .model import Feeds, Link
from .store.base import FirmRecord


def chain_row(s: ChainSummary) -> dict:
    return dict(s.__dict__)


def link_row(link: Link, feeds: list[Feeds]) -> dict:
    return {
        "id": link.id, "name": link.name, "chain": link.chain, "stage": link.stage.value, "unit": link.unit,
        "keywords": link.keywords, "industry_codes": link.industry_codes,
        "feeds_to": sorted(e.target for e in feeds if e.source == link.id),
        "fed_by": sorted(e.source for e in feeds if e.target == link.id),
    }


def gap_row(g: LinkGap, lang: str = "zh") -> dict:
    bp = g.break_point
    return {
        "id": g.link.id, "name": g.link.name, "stage": g.link.stage.value, "status": g.status.value,
        "local_firms": [{"id": f.id, "name": f.name, "capacity": f.capacity} for f in g.presence.local_firms],
        "pipeline_projects": [
            {"id": p.id, "name": p.name, "status": p.status.value, "capacity": p.capacity, "investment": p.investment}
            for p in g.presence.pipeline
        ],
        "local_capacity": g.presence.local_capacity,
        "local_demand": g.fill.demand if g.fill else None,
        "unit": g.link.unit,
        "local_supply_rate": _round(g.local_supply_rate),
        "basis": g.basis,
        "break_point": None if bp is None else {
            "rank": bp.rank, "upstream": list(bp.upstream), "downstream": list(bp.downstream),
            "downstream_local_firms": bp.downstream_firms,
        },
        "evidence": [m.text(lang) for m in g.evidence],
    }


def gaps_doc(gaps: ChainGaps, lang: str = "zh") -> dict:
    return {
        "chain": {"id": gaps.chain.id, "name": gaps.chain.name},
        "landed": gaps.landed,
        "basis": gaps.basis,
        "local_supply_rate": _round(gaps.local_supply_rate),
        "links": [gap_row(g, lang) for g in gaps.links],
    }


def target_row(x: Target, lang: str = "zh") -> dict:
    return {
        "rank": x.rank, "link_id": x.link_id, "link_name": x.link_name, "link_status": x.link_status,
        "break_point": x.break_point, "firm_id": x.firm_id, "firm_name": x.firm_name,
        "province": x.candidate.province, "city": x.candidate.city, "tags": list(x.candidate.tags),
        "registered_capital": x.candidate.registered_capital, "capital_currency": x.candidate.capital_currency,
        "score": x.score, "features": x.features,
        "reasons": x.reasons_text(lang), "sample": x.sample,
    }


def target_sheet(targets: list[Target], lang: str = "zh") -> list[dict]:
    """Targets flattened for a spreadsheet a promotion team hands around, headers in `lang`."""
    yes = "是" if lang == "zh" else "yes"
    return [{
        t("col.rank", lang): x.rank, t("col.link", lang): x.link_name,
        t("col.link_status", lang): t(f"status.{x.link_status}", lang),
        t("col.break_point", lang): yes if x.break_point else "", t("col.firm", lang): x.firm_name,
        t("col.credit_code", lang): x.firm_id, t("col.province", lang): x.candidate.province,
        t("col.city", lang): x.candidate.city, t("col.tags", lang): "；".join(x.candidate.tags), t("col.score", lang): x.score,
        t("col.reasons", lang): "；".join(x.reasons_text(lang)), t("col.sample", lang): yes if x.sample else "",
    } for x in targets]


def firm_row(r: FirmRecord) -> dict:
    f = r.firm
    return {
        "id": f.id, "name": f.name, "status": f.status.value, "province": f.province, "city": f.city,
        "district": f.district, "local": r.local, "tags": f.tags, "registered_capital": f.registered_capital,
        "capital_currency": f.capital_currency, "founded": f.founded.isoformat() if f.founded else None,
        "links": [
            {k: v for k, v in link.__dict__.items() if v is not None or k in ("id", "name")} for link in r.links
        ],
    }


def ledger_doc(ledger: Ledger, projects: list, lang: str = "zh") -> dict:
    i = LANGS.index(lang) if lang in LANGS else 0
    return {
        "count": ledger.count,
        "investment": round(ledger.investment, 4),
        "by_status": [
            {"status": s.status.value, "count": s.count, "investment": round(s.investment, 4)} for s in ledger.by_status
        ],
        "rates": [
            {"key": r.key, "name": RATE_NAMES[r.key][i], "value": _round(r.value), "numerator": _round(r.numerator),
             "denominator": _round(r.denominator), "projects": r.projects}
            for r in ledger.rates
        ],
        "projects": [p.model_dump(mode="json") for p in projects],
    }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)
