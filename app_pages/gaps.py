"""缺什么招什么: a chain's links by status, then the ranked firms to attract, ready to export."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.common import lang, store_and_settings, tr
from chain_graph import export, rows
from chain_graph.analysis.gaps import Status, chain_gaps
from chain_graph.analysis.settings import Weights
from chain_graph.analysis.targets import chain_targets
from chain_graph.i18n import percent, t
from chain_graph.viz import STATUS_COLOURS, chain_map, chain_map_html

store, settings = store_and_settings()
L = lang()
chains = store.chains()
chain = st.selectbox(tr("产业链", "Chain"), chains, format_func=lambda c: c.name if L == "zh" else (c.name_en or c.name))
landed = st.toggle(tr("按在建项目建成后查看", "After the pipeline lands"), value=False)

with st.sidebar:
    st.subheader(tr("评分权重", "Score weights"))
    defaults = settings.weights
    weights = Weights(
        scale=st.slider(tr("规模", "Scale"), 0.0, 1.0, defaults.scale, 0.05),
        tags=st.slider(tr("标签", "Tags"), 0.0, 1.0, defaults.tags, 0.05),
        ties=st.slider(tr("本地关联", "Local ties"), 0.0, 1.0, defaults.ties, 0.05),
        proximity=st.slider(tr("地理邻近", "Proximity"), 0.0, 1.0, defaults.proximity, 0.05),
        evidence=st.slider(tr("证据强度", "Evidence"), 0.0, 1.0, defaults.evidence, 0.05),
    )
    settings = settings.model_copy(update={"weights": weights})

gaps = chain_gaps(store, chain.id, settings, landed)
cols = st.columns(5)
for col, status in zip(cols, Status):
    col.metric(t(f"status.{status.value}", L), gaps.count(status))
cols[4].metric(
    t("col.supply_rate", L), percent(gaps.local_supply_rate, L),
    help=t(f"basis.{gaps.basis}", L) if gaps.basis else None,
)

st.subheader(tr("产业链图谱", "Chain map"))
st.caption(tr("颜色表示环节状态，节点大小表示本地企业数，虚线连接其他产业链的环节。",
              "Colour shows a link's status, size its local firms; dashed edges lead to other chains."))
st.iframe(chain_map_html(*chain_map(gaps, L), height="460px"), height=480)

st.subheader(tr("环节状态", "Link status"))
table = pd.DataFrame([{
    t("col.link", L): g.link.name,
    t("col.stage", L): t(f"stage.{g.link.stage.value}", L),
    t("col.status", L): t(f"status.{g.status.value}", L),
    t("col.break_point", L): f"#{g.break_point.rank}" if g.break_point else "",
    t("col.local_firms", L): len(g.presence.local_firms),
    t("col.pipeline", L): len(g.presence.pipeline),
    t("col.supply_rate", L): percent(g.local_supply_rate, L),
    t("col.evidence", L): "；".join(m.text(L) for m in g.evidence),
} for g in gaps.links])
colour_of = {t(f"status.{s.value}", L): STATUS_COLOURS[s.value] for s in Status}
styled = table.style.map(lambda v: f"background-color: {colour_of[v]}; color: white", subset=[t("col.status", L)])
st.dataframe(styled, width="stretch", hide_index=True)

st.subheader(tr("招商目标", "Target firms"))
targets = chain_targets(store, gaps, settings, top=10)
if not targets:
    st.info(tr("该链的缺链、弱链环节暂无可推荐的外地企业。", "No non-local firm is known for this chain's missing or weak links."))
else:
    sheet = pd.DataFrame(rows.target_sheet(targets, L))
    st.dataframe(sheet, width="stretch", hide_index=True)
    name = f"targets-{chain.id}"
    left, right = st.columns(2)
    left.download_button(tr("下载 Excel", "Download Excel"), export.xlsx_bytes(sheet, sheet=tr("招商目标", "Targets")),
                         f"{name}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    right.download_button(tr("下载 CSV", "Download CSV"), export.csv_bytes(sheet), f"{name}.csv", "text/csv")
