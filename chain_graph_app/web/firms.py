"""企业: find a firm by name or credit code, narrow by chain, link, locality and tags; open its page
with its links and capacities, its projects, and its suppliers and customers where known."""

from __future__ import annotations

import streamlit as st

from chain_graph_app.service.leads import LeadError
from chain_graph_app.web.access import current_user
from chain_graph_app.web.common import chain_label, lang, lead_book, md, reads, table, tr
from chain_graph.output import rows
from chain_graph.i18n import t, wan_yuan
from chain_graph.leads import LeadStatus
from chain_graph.rules import TAGS
from chain_graph.store.base import FirmQuery

LIMIT = 500

def lead_panel(firm_id: str, record) -> None:
    """The firm's 招商线索, and a button to add it as a lead for one of its links."""
    st.markdown(f"**{tr('firm_lead.title')}**")
    book = lead_book()
    names = {link.id: link.name for link in links}
    mine = [x for x in book.leads() if x.firm_id == firm_id]
    for x in mine:
        st.markdown(md(tr("firm_lead.existing", link=names.get(x.link_id or "", x.chain_id),
                          status=t(f"lead.{x.status.value}", L), id=x.id, owner=x.owner or "—")))
    taken = {x.link_id for x in mine if x.status is not LeadStatus.DROPPED}
    free = [l.id for l in record.links if l.id not in taken]
    if record.local or not free:
        return
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    link_id = left.selectbox(tr("firm_lead.link"), free, format_func=names.get, key=f"firm_lead.link.{firm_id}")
    if right.button(tr("firm_lead.add"), icon=":material/add_task:", key=f"firm_lead.add.{firm_id}"):
        try:
            book.add(current_user(), t("app_leads.source_firm_page", L), firm_id=firm_id, link_id=link_id)
        except LeadError as err:
            st.warning(err.text(L))
            return
        st.rerun()


data = reads()
L = lang()
ALL = tr("firms.all")
st.title(tr("firms.firms"))
chains = {c.id: c for c in data.chains()}
links = data.links()

c1, c2, c3, c4, c5 = st.columns([3, 2, 2, 1.4, 2])
text = c1.text_input(tr("firms.name_or_credit_code"), key="firms.text",
                     persist_state="session").strip()
chain_id = c2.selectbox(tr("firms.chain"), [None, *chains], key="firms.chain", persist_state="session",
                        format_func=lambda i: ALL if i is None else chain_label(chains[i], L))
link_names = {link.id: link.name for link in links if chain_id is None or link.chain == chain_id}
link_id = c3.selectbox(tr("firms.link"), [None, *link_names], key="firms.link",
                       format_func=lambda i: ALL if i is None else link_names[i])
places = {None: ALL, True: tr("firms.local"), False: tr("firms.non_local")}
local = c4.selectbox(tr("firms.location"), list(places), key="firms.local", persist_state="session",
                     format_func=places.get)
tags = c5.multiselect(tr("firms.tags_any"), TAGS, key="firms.tags", persist_state="session", placeholder=ALL)

found = data.firms(FirmQuery(chain_id, link_id, local, text or None, LIMIT + 1), tuple(tags))
st.caption(tr("firms.min_len_found_limit", min_len_found_limit=min(len(found), LIMIT))
           + (tr("firms.first_limit_shown_narrow", limit=LIMIT)
              if len(found) > LIMIT else ""))
found = found[:LIMIT]
table(rows.firm_sheet(found, L), tr("firms.no_firm_matches"), height=260)

if found:
    by_id = {r.firm.id: r for r in found}
    firm_id = st.selectbox(tr("firms.open_a_firm"), list(by_id), key="firms.open",
                           format_func=lambda i: f"{by_id[i].firm.name} · {i}")
    profile = data.profile(firm_id)
    firm = profile.record.firm
    st.subheader(md(firm.name))
    place = " ".join(x for x in (firm.province, firm.city, firm.district) if x)
    facts = {
        t("col.credit_code", L): firm.id, t("col.firm_status", L): t(f"firm.{firm.status.value}", L),
        tr("firms.location"): places[profile.record.local] + (f"（{place}）" if place else ""),
        t("col.registered_capital", L): wan_yuan(firm.registered_capital, firm.capital_currency),
        t("col.founded", L): firm.founded.isoformat() if firm.founded else t("word.na", L),
    }
    st.markdown(" · ".join(f"**{md(k)}**：{md(v)}" for k, v in facts.items()))
    if firm.tags:
        st.markdown(" ".join(f":blue-badge[{md(tag)}]" for tag in firm.tags))
    if firm.source:
        st.caption(tr("firms.source") + md(firm.source))
    a, b = st.columns(2)
    with a:
        st.markdown(f"**{tr('firms.links_and_capacities')}**")
        table(rows.firm_link_sheet(profile.record.links, L), tr("firms.none"))
        st.markdown(f"**{tr('firms.projects')}**")
        link_of = {link.id: link.name for link in links}
        table(rows.project_sheet(profile.projects, link_of, {firm.id: firm.name}, L), tr("firms.none"))
        lead_panel(firm.id, profile.record)
    with b:
        st.markdown(f"**{tr('firms.suppliers_sell_to_it')}**")
        table(rows.partner_sheet(profile.suppliers, L), tr("firms.none"))
        st.markdown(f"**{tr('firms.customers_buy_from_it')}**")
        table(rows.partner_sheet(profile.customers, L), tr("firms.none"))
