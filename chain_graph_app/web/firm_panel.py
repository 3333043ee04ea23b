"""One firm with everything known about it — its facts, links and capacities, projects, suppliers and
customers, and its 招商线索 — on the 企业 page, and in a dialog wherever a firm is chosen elsewhere
(the search box, a row of a target table), so a firm reads the same wherever it is opened."""

from __future__ import annotations

import streamlit as st

from chain_graph_app.service.leads import LeadError
from chain_graph_app.web.access import current_user
from chain_graph_app.web.common import lang, lead_book, md, table, tr
from chain_graph_app.web.reads import Reads
from chain_graph.i18n import t, wan_yuan
from chain_graph.leads import LeadStatus
from chain_graph.output import rows
from chain_graph.store.base import FirmRecord


def firm_panel(data: Reads, firm_id: str) -> None:
    """The firm's profile, or a note that the data holds no such firm (any more)."""
    L = lang()
    profile = data.profile(firm_id)
    if profile is None:
        st.info(tr("firm_panel.gone", id=firm_id))
        return
    firm = profile.record.firm
    st.subheader(md(firm.name))
    place = " ".join(x for x in (firm.province, firm.city, firm.district) if x)
    where = tr("firms.local") if profile.record.local else tr("firms.non_local")
    facts = {
        t("col.credit_code", L): firm.id, t("col.firm_status", L): t(f"firm.{firm.status.value}", L),
        tr("firms.location"): where + (f"（{place}）" if place else ""),
        t("col.registered_capital", L): wan_yuan(firm.registered_capital, firm.capital_currency, L),
        t("col.founded", L): firm.founded.isoformat() if firm.founded else t("word.na", L),
    }
    st.markdown(" · ".join(f"**{md(k)}**：{md(v)}" for k, v in facts.items()))
    if firm.tags:
        st.markdown(" ".join(f":blue-badge[{md(tag)}]" for tag in firm.tags))
    if firm.source:
        st.caption(tr("firms.source") + md(firm.source))
    link_names = {link.id: link.name for link in data.links()}
    a, b = st.columns(2)
    with a:
        st.markdown(f"**{tr('firms.links_and_capacities')}**")
        table(rows.firm_link_sheet(profile.record.links, L), tr("firms.none"))
        st.markdown(f"**{tr('firms.projects')}**")
        table(rows.project_sheet(profile.projects, link_names, {firm.id: firm.name}, L), tr("firms.none"))
        lead_panel(profile.record, link_names)
    with b:
        st.markdown(f"**{tr('firms.suppliers_sell_to_it')}**")
        table(rows.partner_sheet(profile.suppliers, L), tr("firms.none"))
        st.markdown(f"**{tr('firms.customers_buy_from_it')}**")
        table(rows.partner_sheet(profile.customers, L), tr("firms.none"))


def lead_panel(record: FirmRecord, link_names: dict[str, str]) -> None:
    """The firm's 招商线索, and a button to add it as a lead for one of its links."""
    L, firm_id = lang(), record.firm.id
    st.markdown(f"**{tr('firm_lead.title')}**")
    book = lead_book()
    mine = [x for x in book.leads() if x.firm_id == firm_id]
    for x in mine:
        st.markdown(md(tr("firm_lead.existing", link=link_names.get(x.link_id or "", x.chain_id),
                          status=t(f"lead.{x.status.value}", L), id=x.id, owner=x.owner or "—")))
    taken = {x.link_id for x in mine if x.status is not LeadStatus.DROPPED}
    free = [l.id for l in record.links if l.id not in taken]
    if record.local or not free:
        return
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    link_id = left.selectbox(tr("firm_lead.link"), free, format_func=link_names.get, key=f"firm_lead.link.{firm_id}")
    if right.button(tr("firm_lead.add"), icon=":material/add_task:", key=f"firm_lead.add.{firm_id}"):
        try:
            book.add(current_user(), t("app_leads.source_firm_page", L), firm_id=firm_id, link_id=link_id)
        except LeadError as err:
            st.warning(err.text(L))
            return
        st.rerun()


def firm_dialog(data: Reads, firm_id: str) -> None:
    """The firm's profile in a wide dialog over the page (made per run, so its title follows the language)."""
    st.dialog(tr("firm_panel.title"), width="large")(firm_panel)(data, firm_id)


OPENED = "firm_panel.open"  # the firm a table row asked to open, for the run the selection starts


def select_opens(key: str, firm_ids: list[str]) -> dict:
    """st.dataframe options that make a click on a row open its firm (once, on the click's run: a row that
    stays selected does not reopen the dialog on later runs); read the choice with `clicked_firm()`."""
    def picked() -> None:
        rows_ = st.session_state[key].selection.rows
        if rows_ and rows_[0] < len(firm_ids):
            st.session_state[OPENED] = firm_ids[rows_[0]]
    return {"key": key, "on_select": picked, "selection_mode": "single-row"}


def clicked_firm() -> str | None:
    """The firm whose row was just clicked, if any (asked once per run)."""
    return st.session_state.pop(OPENED, None)
