"""总览: the search box over firms, links and projects, then every chain side by side — how complete it
is locally, and where the money and the gaps are."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from chain_graph_app.web.common import chain_label, investment_metric, landed_toggle, lang, reads, tr
from chain_graph_app.web.search import search_box
from chain_graph.output import rows
from chain_graph.analysis.gaps import Status
from chain_graph.analysis.projects import ledger
from chain_graph.i18n import t
from chain_graph.output.viz import STATUS_COLOURS

data = reads()
L = lang()
st.title(tr("overview.chains_at_a_glance"))
st.fragment(search_box)(data)  # typing reruns the box, not the page
landed = landed_toggle()
summaries = data.overview(landed)
names = {c.id: chain_label(c, L) for c in data.chains()}
books = ledger(data.projects(), date.today())

cols = st.columns([1, 1, 1, 1, 1, 2.4])
cols[0].metric(tr("overview.chains"), len(summaries))
cols[1].metric(tr("overview.links"), sum(s.links for s in summaries))
cols[2].metric(t("status.missing", L), sum(s.missing for s in summaries))
cols[3].metric(tr("overview.break_points"), sum(s.break_points for s in summaries))
cols[4].metric(tr("overview.projects"), books.count)
investment_metric(cols[5], tr("overview.investment"), books.investment, books.investment_unknown,
                  tr("overview.sum_over_ledger_projects"))

sheet = pd.DataFrame(rows.chain_sheet(summaries, names, L))
rate = t("col.supply_rate", L)
counted = [c for c in sheet.columns if sheet[c].dtype.kind == "i"]
hidden = {t("col.firms", L), t("col.basis", L)}  # in the export-shaped sheet, too wide for one screen
st.dataframe(sheet, width="stretch", hide_index=True, column_order=[c for c in sheet.columns if c not in hidden],
             column_config={
                 **{c: st.column_config.NumberColumn(width="small") for c in counted},
                 rate: st.column_config.ProgressColumn(rate, format="percent", min_value=0.0, max_value=1.0),
             })

statuses = [t(f"status.{s.value}", L) for s in Status]
left, right = st.columns(2)
with left:
    st.subheader(tr("overview.link_status_by_chain"))
    counts = pd.DataFrame(
        [[getattr(s, status.value) for status in Status] for s in summaries],
        index=[names[s.id] for s in summaries], columns=statuses,
    )
    st.bar_chart(counts, horizontal=True, stack=True, color=[STATUS_COLOURS[s.value] for s in Status],
                 x_label=tr("overview.links_2"), y_label="", height=340, sort=False)
with right:
    st.subheader(tr("overview.local_supply_rate"))
    rates = pd.DataFrame({rate: [s.local_supply_rate for s in summaries]},  # unknown: no bar, named below
                         index=[names[s.id] for s in summaries])
    st.bar_chart(rates, horizontal=True, x_label=tr("overview.local_supply_rate_0"), y_label="",
                 height=340, color=STATUS_COLOURS["strong"], sort=False)
    unknown = [names[s.id] for s in summaries if s.local_supply_rate is None]
    if unknown:
        st.caption(tr("overview.rate_unknown", chains="、".join(unknown)))
st.caption(tr("overview.local_supply_rate_the"))
