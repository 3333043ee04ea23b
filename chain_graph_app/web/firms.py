"""企业: find a firm by name or credit code, narrow by chain, link, locality and tags; click a row (or pick
it) to open its page with its links and capacities, its projects, and its suppliers and customers where
known; the list downloads as a leader-ready workbook."""

from __future__ import annotations

from datetime import date
from functools import partial

import streamlit as st

from chain_graph_app.web.common import chain_label, downloads, lang, reads, table, tr
from chain_graph_app.web.firm_panel import firm_panel, select_opens, clicked_firm
from chain_graph.output import rows
from chain_graph.i18n import t
from chain_graph.output.deliverables import firms_workbook
from chain_graph.output.workbook import Heading
from chain_graph.rules import TAGS
from chain_graph.store.base import FirmQuery

LIMIT = 500

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
              if len(found) > LIMIT else "") + tr("firms.click_a_row"))
found = found[:LIMIT]
sheet = rows.firm_sheet(found, L)
ids = [r.firm.id for r in found]
table(sheet, tr("firms.no_firm_matches"), height=260, **select_opens("firms.table", ids))

if (clicked := clicked_firm()) in ids:
    st.session_state["firms.open"] = clicked  # the row clicked is the firm shown below
if found:
    conditions = [f"{label}：{value}" for label, value in (
        (tr("firms.name_or_credit_code"), text), (tr("firms.chain"), chain_label(chains[chain_id], L) if chain_id else ""),
        (tr("firms.link"), link_names.get(link_id, "")), (tr("firms.location"), places[local] if local is not None else ""),
        (tr("firms.tags_any"), "、".join(tags))) if value]
    downloads(sheet, partial(firms_workbook, found, data.version, conditions, L), "firms",
              Heading(t("wb.firms", L), date.today(), lang=L))  # the workbook is built when its button is clicked
    by_id = {r.firm.id: r for r in found}
    firm_id = st.selectbox(tr("firms.open_a_firm"), ids, key="firms.open",
                           format_func=lambda i: f"{by_id[i].firm.name} · {i}")
    firm_panel(data, firm_id)
