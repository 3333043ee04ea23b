"""招商线索 as rows: the CLI's JSON contract (docs/cli.md) and the sheets of the app and the workbook."""

from __future__ import annotations

from datetime import date
from typing import Iterable

from ..analysis.pipeline import FunnelRow, OwnerRow, by_owner, funnel, overdue
from ..i18n import t
from ..leads import ORDER, Lead
from .workbook import Heading, Sheet, workbook_bytes


def lead_row(lead: Lead, link_names: dict[str, str], today: date) -> dict:
    last = lead.updated
    return {
        "id": lead.id, "firm_id": lead.firm_id, "firm_name": lead.firm_name, "chain_id": lead.chain_id,
        "link_id": lead.link_id, "link_name": link_names.get(lead.link_id or "", lead.link_id),
        "status": lead.status.value, "owner": lead.owner, "next_action": lead.next_action,
        "next_date": lead.next_date.isoformat() if lead.next_date else None, "overdue": lead.overdue(today),
        "notes": lead.notes, "drop_reason": lead.drop_reason, "investment": lead.investment, "land": lead.land,
        "contact": lead.contact, "phone": lead.phone, "project_id": lead.project_id, "source": lead.source,
        "version": lead.version, "updated_at": last.at.isoformat() if last else None,
        "updated_by": last.by if last else None,
        "history": [e.model_dump(mode="json") for e in lead.history],
    }


def lead_sheet(leads: Iterable[Lead], link_names: dict[str, str], chain_names: dict[str, str], today: date,
               lang: str = "zh") -> list[dict]:
    yes = t("word.yes", lang)
    return [{
        t("lead_col.id", lang): x.id, t("col.firm", lang): x.firm_name, t("col.credit_code", lang): x.firm_id or "",
        t("col.chain", lang): chain_names.get(x.chain_id, x.chain_id),
        t("col.link", lang): link_names.get(x.link_id, x.link_id) if x.link_id else t("lead.whole_chain", lang),
        t("lead_field.status", lang): t(f"lead.{x.status.value}", lang), t("lead_field.owner", lang): x.owner,
        t("lead_field.next_action", lang): x.next_action,
        t("lead_field.next_date", lang): x.next_date.isoformat() if x.next_date else "",
        t("lead_col.overdue", lang): yes if x.overdue(today) else "",
        t("lead_field.investment", lang): x.investment, t("lead_field.land", lang): x.land,
        t("lead_field.contact", lang): x.contact, t("lead_field.phone", lang): x.phone,
        t("lead_field.notes", lang): x.notes, t("lead_field.drop_reason", lang): x.drop_reason,
        t("lead_field.project_id", lang): x.project_id or "", t("lead_col.version", lang): x.version,
        t("lead_col.updated", lang): _updated(x), t("lead_col.source", lang): x.source,
    } for x in leads]


def history_sheet(lead: Lead, lang: str = "zh") -> list[dict]:
    """Who changed what, when: one row per field changed, newest first."""
    out = []
    for event in reversed(lead.history):
        for name, (old, new) in event.changes.items():
            out.append({
                t("lead_col.version", lang): event.version, t("lead_col.at", lang): f"{event.at:%Y-%m-%d %H:%M} UTC",
                t("lead_col.by", lang): event.by, t("lead_col.field", lang): t(f"lead_field.{name}", lang),
                t("lead_col.old", lang): _value(name, old, lang), t("lead_col.new", lang): _value(name, new, lang),
            })
    return out


def funnel_sheet(rows: Iterable[FunnelRow], chain_names: dict[str, str], link_names: dict[str, str],
                 lang: str = "zh") -> list[dict]:
    return [{
        t("col.chain", lang): chain_names.get(r.chain_id, r.chain_id),
        t("col.link", lang): link_names.get(r.link_id, r.link_id) if r.link_id else t("lead.chain_total", lang),
        **{t(f"lead.{s.value}", lang): r.counts[s] for s in ORDER},
        t("lead_col.total", lang): r.total,
    } for r in rows]


def owner_sheet(rows: Iterable[OwnerRow], lang: str = "zh") -> list[dict]:
    return [{
        t("lead_field.owner", lang): r.owner or t("lead.no_owner", lang), t("lead_col.open", lang): r.open,
        t("lead_col.overdue_count", lang): r.overdue, t("lead_col.signed", lang): r.signed,
        **{t(f"lead.{s.value}", lang): r.counts[s] for s in ORDER},
    } for r in rows]


def _updated(lead: Lead) -> str:
    last = lead.updated
    return f"{last.at:%Y-%m-%d %H:%M} {last.by}" if last else ""


def _value(name: str, value, lang: str) -> str:
    if value in (None, ""):
        return ""
    return t(f"lead.{value}", lang) if name == "status" else str(value)


def pipeline_workbook(leads: list[Lead], link_names: dict[str, str], chain_names: dict[str, str], today: date,
                      version: str, chain: str | None = None, lang: str = "zh") -> tuple[Heading, bytes]:
    """The leader-ready pipeline workbook: the leads, the funnel, overdue next actions, per owner."""
    heading = Heading(t("lead_sheet.title", lang), today, chain, version, (), t("lead_sheet.method", lang), lang=lang)
    sheets = [
        Sheet(t("lead_sheet.leads", lang), lead_sheet(leads, link_names, chain_names, today, lang)),
        Sheet(t("lead_sheet.funnel", lang), funnel_sheet(funnel(leads), chain_names, link_names, lang)),
        Sheet(t("lead_sheet.overdue", lang), lead_sheet(overdue(leads, today), link_names, chain_names, today, lang)),
        Sheet(t("lead_sheet.owners", lang), owner_sheet(by_owner(leads, today), lang)),
    ]
    return heading, workbook_bytes(heading, sheets)
