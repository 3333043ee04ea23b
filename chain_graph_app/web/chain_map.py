"""产业链图谱: a chain's links upstream → downstream, coloured by status; pick a link to open its panel
(local firms, pipeline projects, supply rate, evidence and the firms to attract)."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from chain_graph_app.web.common import chain_view, kept_weights, lang, md, reads, table, tr
from chain_graph_app.web.reads import Reads
from chain_graph.output import rows
from chain_graph.analysis.gaps import ChainGaps, LinkGap, Status
from chain_graph.i18n import percent, quantity, t, yi
from chain_graph.output.viz import STATUS_COLOURS, chain_map, chain_map_html

MAP_HEIGHT = 540
PANEL_TARGETS = 10

L = lang()


def legend() -> str:
    """Static legend: status names from the catalogue, colours from the map."""
    items = [(STATUS_COLOURS[s.value], t(f"status.{s.value}", L)) for s in Status]
    items.append((STATUS_COLOURS["external"], tr("其他产业链环节（虚线）", "other chains' links (dashed)")))
    spans = "".join(
        f'<span style="margin-right:1.2em"><span style="display:inline-block;width:.8em;height:.8em;'
        f'border-radius:50%;background:{colour};margin-right:.3em"></span>{html.escape(label)}</span>'
        for colour, label in items
    )
    return f'<div style="font-size:.85rem">{spans}</div>'


def link_label(g: LinkGap) -> str:
    mark = f" · {t('col.break_point', L)}#{g.break_point.rank}" if g.break_point else ""
    return f"{g.link.name} · {t(f'status.{g.status.value}', L)}{mark}"


def pick_link(gaps: ChainGaps) -> LinkGap:
    """The link whose panel is open; the first wanted link (break point first) until the user picks one."""
    ids = [g.link.id for g in gaps.links]
    first = gaps.wanted[0].link.id if gaps.wanted else ids[0]
    chosen = st.selectbox(tr("选择环节查看详情", "Pick a link to open its panel"), ids, index=ids.index(first),
                          format_func=lambda i: link_label(gaps.by_id(i)), key="map_link")
    return gaps.by_id(chosen)


def panel(data: Reads, gaps: ChainGaps, g: LinkGap) -> None:
    st.subheader(md(g.link.name))
    cols = st.columns(3)
    cols[0].metric(t("col.status", L), t(f"status.{g.status.value}", L))
    cols[1].metric(t("col.local_firms", L), len(g.presence.local_firms))
    cols[2].metric(t("col.supply_rate", L), percent(g.local_supply_rate, L),
                   help=t(f"basis.{g.basis}", L) if g.basis else tr("该环节没有上游投入", "The link has no inputs"))
    st.caption(tr("本地产能：", "Local capacity: ") + md(quantity(g.presence.local_capacity, g.link.unit, L)))
    n_firms, n_projects = len(g.presence.local_firms), len(g.presence.pipeline)
    evidence, firms, projects, targets = st.tabs([
        tr("依据", "Evidence"), tr(f"本地企业（{n_firms}）", f"Local firms ({n_firms})"),
        tr(f"在建项目（{n_projects}）", f"Pipeline ({n_projects})"), tr("招商目标", "Targets"),
    ])
    with evidence:
        lines = [m.text(L) for m in g.evidence]
        if g.inputs:
            lines.append(tr("上游投入：", "Inputs: ") + "、".join(gaps.names.get(i, i) for i in g.inputs))
        if g.outputs:
            lines.append(tr("供给下游：", "Feeds: ") + "、".join(gaps.names.get(i, i) for i in g.outputs))
        st.markdown("\n".join(f"- {md(line)}" for line in lines))
    with firms:
        table([{t("col.firm", L): f.name, t("col.capacity", L): quantity(f.capacity, g.link.unit, L)}
               for f in g.presence.local_firms], tr("本地没有在营企业。", "No active local firm."))
    with projects:
        table([{
            t("col.project", L): p.name, t("col.status", L): t(f"project.{p.status.value}", L),
            t("col.capacity", L): quantity(p.capacity, g.link.unit, L), t("col.investment", L): yi(p.investment, L),
        } for p in g.presence.pipeline], tr("没有签约或在建项目。", "No signed or building project."))
    with targets:
        link_targets(data, gaps, g)


def link_targets(data: Reads, gaps: ChainGaps, g: LinkGap) -> None:
    if g not in gaps.wanted:
        st.info(tr("只为缺链和弱链推荐招商目标。", "Targets are proposed for missing and weak links only."))
        return
    found = data.targets(gaps.chain.id, gaps.landed, kept_weights(data.settings), link_id=g.link.id)[:PANEL_TARGETS]
    if not found:
        st.info(tr("数据中没有该环节的外地在营企业。", "The data has no active non-local firm in this link."))
        return
    sheet = pd.DataFrame(rows.target_sheet(found, L))
    keep = [t(k, L) for k in ("col.rank", "col.firm", "col.province", "col.score", "col.reasons")]
    # a plain table wraps the reasons instead of cutting them off
    st.table(sheet[keep].set_index(t("col.rank", L)).style.format({t("col.score", L): "{:.1f}"}))
    st.caption(tr("得分按“缺什么招什么”页侧栏的权重计算。", "Scores use the weights set on the Gaps and targets page."))


data = reads()
*_, gaps = chain_view(data, tr("产业链图谱", "Chain map"))
st.html(legend())
map_column, panel_column = st.columns([3, 2], gap="medium")
with map_column:
    st.iframe(chain_map_html(*chain_map(gaps, L), height=f"{MAP_HEIGHT}px"), height=MAP_HEIGHT + 20)
    st.caption(tr("从左到右：上游 → 中游 → 下游。节点大小表示本地企业数，悬停查看依据。",
                  "Left to right: upstream → midstream → downstream. Node size shows local firms; hover for evidence."))
with panel_column:
    panel(data, gaps, pick_link(gaps))
