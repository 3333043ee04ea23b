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
from chain_graph.model import TAGS
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
ALL = tr("全部", "all")
st.title(tr("企业", "Firms"))
chains = {c.id: c for c in data.chains()}
links = data.links()

c1, c2, c3, c4, c5 = st.columns([3, 2, 2, 1.4, 2])
text = c1.text_input(tr("名称或统一社会信用代码", "Name or credit code"), key="firms.text",
                     persist_state="session").strip()
chain_id = c2.selectbox(tr("产业链", "Chain"), [None, *chains], key="firms.chain", persist_state="session",
                        format_func=lambda i: ALL if i is None else chain_label(chains[i], L))
link_names = {link.id: link.name for link in links if chain_id is None or link.chain == chain_id}
link_id = c3.selectbox(tr("环节", "Link"), [None, *link_names], key="firms.link",
                       format_func=lambda i: ALL if i is None else link_names[i])
places = {None: ALL, True: tr("本地", "local"), False: tr("外地", "non-local")}
local = c4.selectbox(tr("属地", "Location"), list(places), key="firms.local", persist_state="session",
                     format_func=places.get)
tags = c5.multiselect(tr("标签（任一）", "Tags (any)"), TAGS, key="firms.tags", persist_state="session", placeholder=ALL)

found = data.firms(FirmQuery(chain_id, link_id, local, text or None, LIMIT + 1), tuple(tags))
st.caption(tr(f"找到 {min(len(found), LIMIT)} 家企业", f"{min(len(found), LIMIT)} firm(s) found")
           + (tr(f"（仅显示前 {LIMIT} 家，请缩小条件）", f" (first {LIMIT} shown; narrow the search)")
              if len(found) > LIMIT else ""))
found = found[:LIMIT]
table(rows.firm_sheet(found, L), tr("没有符合条件的企业。", "No firm matches."), height=260)

if found:
    by_id = {r.firm.id: r for r in found}
    firm_id = st.selectbox(tr("查看企业", "Open a firm"), list(by_id), key="firms.open",
                           format_func=lambda i: f"{by_id[i].firm.name} · {i}")
    profile = data.profile(firm_id)
    firm = profile.record.firm
    st.subheader(md(firm.name))
    place = " ".join(x for x in (firm.province, firm.city, firm.district) if x)
    facts = {
        t("col.credit_code", L): firm.id, t("col.firm_status", L): t(f"firm.{firm.status.value}", L),
        tr("属地", "Location"): places[profile.record.local] + (f"（{place}）" if place else ""),
        t("col.registered_capital", L): wan_yuan(firm.registered_capital, firm.capital_currency),
        t("col.founded", L): firm.founded.isoformat() if firm.founded else t("word.na", L),
    }
    st.markdown(" · ".join(f"**{md(k)}**：{md(v)}" for k, v in facts.items()))
    if firm.tags:
        st.markdown(" ".join(f":blue-badge[{md(tag)}]" for tag in firm.tags))
    if firm.source:
        st.caption(tr("来源：", "Source: ") + md(firm.source))
    a, b = st.columns(2)
    with a:
        st.markdown(f"**{tr('所在环节与产能', 'Links and capacities')}**")
        table(rows.firm_link_sheet(profile.record.links, L), tr("（无）", "(none)"))
        st.markdown(f"**{tr('项目', 'Projects')}**")
        link_of = {link.id: link.name for link in links}
        table(rows.project_sheet(profile.projects, link_of, {firm.id: firm.name}, L), tr("（无）", "(none)"))
        lead_panel(firm.id, profile.record)
    with b:
        st.markdown(f"**{tr('供应商（向其供货）', 'Suppliers (sell to it)')}**")
        table(rows.partner_sheet(profile.suppliers, L), tr("（无）", "(none)"))
        st.markdown(f"**{tr('客户（从其采购）', 'Customers (buy from it)')}**")
        table(rows.partner_sheet(profile.customers, L), tr("（无）", "(none)"))
