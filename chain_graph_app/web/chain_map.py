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
    items.append((STATUS_COLOURS["external"], tr("chain_map.other_chains_links_dashed")))
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
    chosen = st.selectbox(tr("chain_map.pick_a_link_to"), ids, index=ids.index(first),
                          format_func=lambda i: link_label(gaps.by_id(i)), key="map_link")
    return gaps.by_id(chosen)


def panel(data: Reads, gaps: ChainGaps, g: LinkGap) -> None:
    st.subheader(md(g.link.name))
    cols = st.columns(3)
    cols[0].metric(t("col.status", L), t(f"status.{g.status.value}", L))
    cols[1].metric(t("col.local_firms", L), len(g.presence.local_firms))
    cols[2].metric(t("col.supply_rate", L), percent(g.local_supply_rate, L),
                   help=t(f"basis.{g.basis}", L) if g.basis else tr("chain_map.the_link_has_no"))
    st.caption(tr("chain_map.local_capacity") + md(quantity(g.presence.local_capacity, g.link.unit, L)))
    n_firms, n_projects = len(g.presence.local_firms), len(g.presence.pipeline)
    evidence, firms, projects, targets = st.tabs([
        tr("chain_map.evidence"), tr("chain_map.local_firms_n_firms", n_firms=n_firms),
        tr("chain_map.pipeline_n_projects", n_projects=n_projects), tr("chain_map.targets"),
    ])
    with evidence:
        lines = [m.text(L) for m in g.evidence]
        if g.inputs:
            lines.append(tr("chain_map.inputs") + "、".join(gaps.names.get(i, i) for i in g.inputs))
        if g.outputs:
            lines.append(tr("chain_map.feeds") + "、".join(gaps.names.get(i, i) for i in g.outputs))
        st.markdown("\n".join(f"- {md(line)}" for line in lines))
    with firms:
        table([{t("col.firm", L): f.name, t("col.capacity", L): quantity(f.capacity, g.link.unit, L)}
               for f in g.presence.local_firms], tr("chain_map.no_active_local_firm"))
    with projects:
        table([{
            t("col.project", L): p.name, t("col.status", L): t(f"project.{p.status.value}", L),
            t("col.capacity", L): quantity(p.capacity, g.link.unit, L), t("col.investment", L): yi(p.investment, L),
        } for p in g.presence.pipeline], tr("chain_map.no_signed_or_building"))
    with targets:
        link_targets(data, gaps, g)


def link_targets(data: Reads, gaps: ChainGaps, g: LinkGap) -> None:
    if g not in gaps.wanted:
        st.info(tr("chain_map.targets_are_proposed_for"))
        return
    found = data.targets(gaps.chain.id, gaps.landed, kept_weights(data.settings), link_id=g.link.id)[:PANEL_TARGETS]
    if not found:
        st.info(tr("chain_map.the_data_has_no"))
        return
    sheet = pd.DataFrame(rows.target_sheet(found, L))
    keep = [t(k, L) for k in ("col.rank", "col.firm", "col.province", "col.score", "col.reasons")]
    # a plain table wraps the reasons instead of cutting them off
    st.table(sheet[keep].set_index(t("col.rank", L)).style.format({t("col.score", L): "{:.1f}"}))
    st.caption(tr("chain_map.scores_use_the_weights"))


data = reads()
*_, gaps = chain_view(data, tr("chain_map.chain_map"))
st.html(legend())
map_column, panel_column = st.columns([3, 2], gap="medium")
with map_column:
    st.iframe(chain_map_html(*chain_map(gaps, L), height=f"{MAP_HEIGHT}px"), height=MAP_HEIGHT + 20)
    st.caption(tr("chain_map.left_to_right_upstream"))
with panel_column:
    panel(data, gaps, pick_link(gaps))
