"""总览: every chain side by side — how complete it is locally, and where the money and the gaps are."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from chain_graph_app.web.common import chain_label, landed_toggle, lang, reads, tr
from chain_graph.output import rows
from chain_graph.analysis.gaps import Status
from chain_graph.analysis.projects import ledger
from chain_graph.i18n import t
from chain_graph.output.viz import STATUS_COLOURS

data = reads()
L = lang()
st.title(tr("产业链总览", "Chains at a glance"))
landed = landed_toggle()
summaries = data.overview(landed)
names = {c.id: chain_label(c, L) for c in data.chains()}
books = ledger(data.projects(), date.today())

cols = st.columns(6)
cols[0].metric(tr("产业链", "Chains"), len(summaries))
cols[1].metric(tr("环节", "Links"), sum(s.links for s in summaries))
cols[2].metric(t("status.missing", L), sum(s.missing for s in summaries))
cols[3].metric(tr("断点", "Break points"), sum(s.break_points for s in summaries))
cols[4].metric(tr("项目", "Projects"), books.count)
cols[5].metric(tr("总投资（亿元）", "Investment (亿元)"), f"{books.investment:,.2f}",
               help=tr("台账中填写了总投资的项目合计", "Sum over ledger projects that state their investment"))

sheet = pd.DataFrame(rows.chain_sheet(summaries, names, L))
rate = t("col.supply_rate", L)
counted = [c for c in sheet.columns if sheet[c].dtype.kind == "i"]
hidden = {t("col.firms", L), t("col.basis", L)}  # in the export-shaped sheet, too wide for one screen
st.dataframe(sheet, width="stretch", hide_index=True, column_order=[c for c in sheet.columns if c not in hidden],
             column_config={
                 **{c: st.column_config.NumberColumn(width="small") for c in counted},
                 rate: st.column_config.ProgressColumn(rate, format="percent", min_value=0.0, max_value=1.0),
                 t("col.investment", L): st.column_config.NumberColumn(format="%.2f", width="small"),
             })

statuses = [t(f"status.{s.value}", L) for s in Status]
left, right = st.columns(2)
with left:
    st.subheader(tr("各链环节状态", "Link status by chain"))
    counts = pd.DataFrame(
        [[getattr(s, status.value) for status in Status] for s in summaries],
        index=[names[s.id] for s in summaries], columns=statuses,
    )
    st.bar_chart(counts, horizontal=True, stack=True, color=[STATUS_COLOURS[s.value] for s in Status],
                 x_label=tr("环节数", "links"), y_label="", height=340, sort=False)
with right:
    st.subheader(tr("本地供应率", "Local supply rate"))
    rates = pd.DataFrame({rate: [s.local_supply_rate or 0.0 for s in summaries]},
                         index=[names[s.id] for s in summaries])
    st.bar_chart(rates, horizontal=True, x_label=tr("本地供应率（0–1）", "local supply rate (0–1)"), y_label="",
                 height=340, color=STATUS_COLOURS["strong"], sort=False)
st.caption(tr(
    "本地供应率：链内各投入环节的本地需求中本地产能能满足的比例；缺少产能数据时按投入环节本地是否有企业计（见“测算口径”）。",
    "Local supply rate: the share of local demand for the chain's inputs met by local capacity; where capacities "
    "are unknown, the share of inputs made locally (see “basis”).",
))
