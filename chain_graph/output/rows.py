"""Analysis results as plain rows: the CLI's JSON contract and the tables of the app and exports.

Keys here are the documented, stable contract (docs/cli.md); change them only with the docs.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from ..analysis.gaps import ChainGaps, LinkGap
from ..analysis.overview import ChainSummary
from ..analysis.projects import Ledger
from ..analysis.relatedness import NextLink
from ..analysis.sourcing import LeaderNeeds
from ..analysis.stability import Stability
from ..analysis.targets import Target
from ..i18n import percent, quantity, t, wan_yuan, yi_sum
from ..model import Feeds, Link, Project
from ..rules import LIST_SHOW
from ..store.base import FirmLinkInfo, FirmRecord, TradePartner
from ..validation import Problem


def chain_row(s: ChainSummary) -> dict:
    return {**s.__dict__, "local_supply_rate": _round(s.local_supply_rate)}


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
        "reasons": x.reasons_text(lang), "sample": x.sample, "leader_supplier": x.leader_supplier,
    }


def target_sheet(targets: list[Target], lang: str = "zh") -> list[dict]:
    """Targets flattened for a spreadsheet a promotion team hands around, headers in `lang`."""
    yes = t("word.yes", lang)
    return [{
        t("col.rank", lang): x.rank, t("col.link", lang): x.link_name,
        t("col.link_status", lang): t(f"status.{x.link_status}", lang),
        t("col.break_point", lang): yes if x.break_point else "", t("col.firm", lang): x.firm_name,
        t("col.credit_code", lang): x.firm_id, t("col.province", lang): x.candidate.province,
        t("col.city", lang): x.candidate.city, t("col.tags", lang): LIST_SHOW.join(x.candidate.tags), t("col.score", lang): x.score,
        t("col.reasons", lang): LIST_SHOW.join(x.reasons_text(lang)), t("col.sample", lang): yes if x.sample else "",
    } for x in targets]


def stability_doc(s: Stability) -> dict:
    """How many of the top stay there when any one weight moves by ±step, and who moves."""
    def movers(items) -> list[dict]:
        return [m.__dict__.copy() for m in items]
    return {"top": s.top, "kept": s.kept, "share": _round(s.share), "step": s.step,
            "dropped": movers(s.dropped), "entered": movers(s.entered)}


def next_row(n: NextLink, names: dict[str, str], lang: str = "zh") -> dict:
    return {
        "rank": n.rank, "id": n.link.id, "name": n.link.name, "chain": n.link.chain, "stage": n.link.stage.value,
        "status": n.status.value, "density": n.density, "support": n.support, "related": len(n.ties),
        "supported_by": [{"id": x.link_id, "name": names.get(x.link_id, x.link_id), "proximity": x.proximity,
                          "relation": x.relation, "via": x.via} for x in n.supporters],
        "reasons": [m.text(lang) for m in n.reasons],
    }


def next_sheet(found: Iterable[NextLink], lang: str = "zh") -> list[dict]:
    """The next links of a chain for a table: rank, link, density and the reasons that carry it."""
    return [{
        t("col.rank", lang): n.rank, t("col.link", lang): n.link.name,
        t("col.density", lang): n.density, t("col.support", lang): n.support,
        t("col.reasons", lang): "；".join(m.text(lang) for m in n.reasons),
    } for n in found]


def leader_sheet(needs: Iterable[LeaderNeeds], lang: str = "zh") -> list[dict]:
    """One row per leader and missing or weak input: who leads, what it lacks, who supplies or could make it."""
    out = []
    for n in needs:
        suppliers = "、".join(f"{s.supplier_name}（{s.product or '—'}）" for s in n.suppliers)
        for i in n.inputs:
            out.append({
                t("col.leader", lang): n.leader.name,
                t("col.leader_basis", lang): t(f"leader_basis.{n.leader.basis}", lang),
                t("col.input", lang): i.name, t("col.status", lang): t(f"status.{i.status.value}", lang),
                t("col.pipeline", lang): "、".join(i.pipeline),
                t("col.makers", lang): "、".join(t("word.score_of", lang, name=x.firm_name, score=x.score) for x in i.makers),
                t("col.leader_suppliers", lang): suppliers,
            })
    return out


def leader_row(n: LeaderNeeds, names: dict[str, str], lang: str = "zh") -> dict:
    """One local chain leader: what it buys from outside and who could make it in the city."""
    return {
        "id": n.leader.firm_id, "name": n.leader.name, "basis": n.leader.basis,
        "links": [{"id": k, "name": names.get(k, k)} for k in n.leader.links],
        "suppliers": [{"id": s.supplier_id, "name": s.supplier_name, "product": s.product} for s in n.suppliers],
        "inputs": [{
            "id": i.link_id, "name": i.name, "chain": i.chain, "status": i.status.value, "feeds": list(i.feeds),
            "pipeline_projects": list(i.pipeline),
            "makers": [{"firm_id": x.firm_id, "firm_name": x.firm_name, "province": x.candidate.province,
                        "score": x.score, "leader_supplier": x.leader_supplier, "reasons": x.reasons_text(lang)}
                       for x in i.makers],
        } for i in n.inputs],
    }


def firm_row(r: FirmRecord) -> dict:
    """Every field of the firm record (a field added to Firm appears here too), then where it is."""
    return {
        **r.firm.model_dump(mode="json"), "local": r.local,
        "links": [
            {k: v for k, v in link.__dict__.items() if v is not None or k in ("id", "name")} for link in r.links
        ],
    }


def ledger_doc(ledger: Ledger, projects: list, lang: str = "zh") -> dict:
    return {
        "count": ledger.count,
        "investment": _round(ledger.investment), "investment_unknown": ledger.investment_unknown,
        "by_status": [
            {"status": s.status.value, "count": s.count, "investment": _round(s.investment),
             "investment_unknown": s.investment_unknown} for s in ledger.by_status
        ],
        "rates": [
            {"key": r.key, "name": t(f"rate.{r.key}", lang), "value": _round(r.value), "numerator": _round(r.numerator),
             "denominator": _round(r.denominator), "projects": r.projects, "year": r.year}
            for r in ledger.rates
        ],
        "projects": [p.model_dump(mode="json") for p in projects],
    }


# -- sheets: the app's tables and exports, headers in the user's language ---------------------------

def chain_sheet(summaries: Iterable[ChainSummary], names: dict[str, str], lang: str = "zh") -> list[dict]:
    """One row per chain; the supply rate stays a 0-1 number so a table can draw it as a bar; the
    investment is worded with its unknowns (未知（N个项目无金额）), never a bare 0."""
    return [{
        t("col.chain", lang): names.get(s.id, s.name), t("col.links", lang): s.links,
        t("col.local_firms", lang): s.local_firms, t("col.firms", lang): s.firms,
        t("col.projects", lang): s.projects, t("col.investment", lang): yi_sum(s.investment, s.investment_unknown, lang),
        **{t(f"status.{k}", lang): getattr(s, k) for k in ("missing", "pipeline", "weak", "strong")},
        t("col.break_points", lang): s.break_points, t("col.supply_rate", lang): s.local_supply_rate,
        t("col.basis", lang): t(f"basis.{s.basis}", lang) if s.basis else "",
    } for s in summaries]


def gap_sheet(gaps: ChainGaps, lang: str = "zh") -> list[dict]:
    """Every link of a chain with its status and the evidence behind it."""
    return [{
        t("col.link", lang): g.link.name, t("col.stage", lang): t(f"stage.{g.link.stage.value}", lang),
        t("col.status", lang): t(f"status.{g.status.value}", lang),
        t("col.break_point", lang): f"#{g.break_point.rank}" if g.break_point else "",
        t("col.local_firms", lang): len(g.presence.local_firms), t("col.pipeline", lang): len(g.presence.pipeline),
        t("col.capacity", lang): quantity(g.presence.local_capacity, g.link.unit, lang),
        t("col.own_fill", lang): percent(g.fill.share if g.fill else None, lang),
        t("col.input_supply_rate", lang): percent(g.local_supply_rate, lang),
        t("col.evidence", lang): LIST_SHOW.join(m.text(lang) for m in g.evidence),
    } for g in gaps.links]


def opportunity_sheet(gaps: ChainGaps, targets: Iterable[Target], lang: str = "zh", top: int = 3) -> list[dict]:
    """投资机会清单: one row per wanted link (break points first), why it is wanted and its best targets."""
    by_link: dict[str, list[Target]] = defaultdict(list)
    for x in sorted(targets, key=lambda x: (-x.score, x.firm_id)):
        by_link[x.link_id].append(x)
    out = []
    for rank, g in enumerate(gaps.wanted, start=1):
        best = by_link[g.link.id]
        out.append({
            t("col.rank", lang): rank, t("col.link", lang): g.link.name,
            t("col.stage", lang): t(f"stage.{g.link.stage.value}", lang),
            t("col.link_status", lang): t(f"status.{g.status.value}", lang),
            t("col.break_point", lang): f"#{g.break_point.rank}" if g.break_point else "",
            t("col.own_fill", lang): g.fill.share if g.fill else None,
            t("col.input_supply_rate", lang): g.local_supply_rate,
            t("col.why_wanted", lang): LIST_SHOW.join(m.text(lang) for m in g.evidence),
            t("col.candidates", lang): len(best),
            t("col.top_targets", lang): LIST_SHOW.join(
                t("word.score_of", lang, name=x.firm_name, score=x.score) for x in best[:top]),
            t("col.top_reasons", lang): LIST_SHOW.join(best[0].reasons_text(lang)) if best else "",
        })
    return out


def opportunity_target_sheet(gaps: ChainGaps, targets: Iterable[Target], lang: str = "zh",
                             top: int = 3) -> list[dict]:
    """The opportunities' best targets one row each (link, firm, score, reasons), for filtering in Excel."""
    by_link: dict[str, list[Target]] = defaultdict(list)
    for x in sorted(targets, key=lambda x: (-x.score, x.firm_id)):
        by_link[x.link_id].append(x)
    yes = t("word.yes", lang)
    return [{
        t("col.link", lang): g.link.name,
        t("col.break_point", lang): f"#{g.break_point.rank}" if g.break_point else "",
        t("col.rank", lang): place, t("col.firm", lang): x.firm_name, t("col.credit_code", lang): x.firm_id,
        t("col.province", lang): x.candidate.province, t("col.city", lang): x.candidate.city,
        t("col.score", lang): x.score, t("col.reasons", lang): LIST_SHOW.join(x.reasons_text(lang)),
        t("col.sample", lang): yes if x.sample else "",
    } for g in gaps.wanted for place, x in enumerate(by_link[g.link.id][:top], start=1)]


def project_sheet(projects: Iterable[Project], link_names: dict[str, str], firm_names: dict[str, str],
                  lang: str = "zh") -> list[dict]:
    """The ledger as a table; money stays numeric (亿元) so it sorts and sums."""
    return [{
        t("col.project_id", lang): p.id, t("col.project", lang): p.name,
        t("col.status", lang): t(f"project.{p.status.value}", lang),
        t("col.link", lang): LIST_SHOW.join(link_names.get(i, i) for i in p.link_ids),
        t("col.firm_id", lang): firm_names.get(p.firm_id, p.firm_id) if p.firm_id else "",
        t("col.investment", lang): p.investment, t("col.invested", lang): p.invested,
        t("col.funds_in_place", lang): p.funds_in_place, t("col.design_capacity", lang): p.capacity,
        **{t(f"col.{key}", lang): None if getattr(p, key) is None else str(getattr(p, key)) for key in (
            "signed_date", "planned_start", "actual_start", "planned_completion", "actual_completion")},
    } for p in projects]


def firm_sheet(records: Iterable[FirmRecord], lang: str = "zh") -> list[dict]:
    yes = t("word.yes", lang)
    return [{
        t("col.firm", lang): r.firm.name, t("col.credit_code", lang): r.firm.id,
        t("col.local", lang): yes if r.local else "",
        t("col.firm_status", lang): t(f"firm.{r.firm.status.value}", lang),
        t("col.province", lang): r.firm.province or "", t("col.city", lang): r.firm.city or "",
        t("col.tags", lang): LIST_SHOW.join(r.firm.tags),
        t("col.registered_capital", lang): wan_yuan(r.firm.registered_capital, r.firm.capital_currency),
        t("col.firm_links", lang): LIST_SHOW.join(link.name for link in r.links),
    } for r in records]


def firm_link_sheet(links: Iterable[FirmLinkInfo], lang: str = "zh") -> list[dict]:
    return [{
        t("col.link", lang): link.name, t("col.capacity", lang): quantity(link.capacity, link.unit, lang),
        t("col.evidence", lang): link.evidence or "",
    } for link in links]


def partner_sheet(partners: Iterable[TradePartner], lang: str = "zh") -> list[dict]:
    yes = t("word.yes", lang)
    return [{
        t("col.firm", lang): p.name, t("col.credit_code", lang): p.firm_id,
        t("col.local", lang): yes if p.local else "",
        t("col.firm_status", lang): t("firm.active" if p.active else "firm.inactive", lang),
        t("col.product", lang): p.product or "",
    } for p in partners]


def problem_sheet(problems: Iterable[Problem], lang: str = "zh") -> list[dict]:
    """A validation report a data keeper fixes a file from: file, row, column, what is wrong, how to fix."""
    return [{
        t("col.file", lang): p.location.file, t("col.row", lang): p.location.row,
        t("col.column", lang): p.location.column or "", t("col.severity", lang): t(f"severity.{p.severity}", lang),
        t("col.problem", lang): p.text(lang), t("col.hint", lang): p.hint_text(lang),
    } for p in problems]


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)
