"""产业链图谱: a chain's links upstream → downstream under stage headers, status by colour and badge,
break points numbered; click a link (or pick it) to open its panel — local firms, pipeline projects,
supply rates, evidence and the firms to attract. The same drawing downloads as PNG and SVG."""

from __future__ import annotations

from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from chain_graph_app.web.common import chain_view, kept_weights, lang, md, reads, table, tr
from chain_graph_app.web.map_component import chain_map_view
from chain_graph_app.web.reads import Reads
from chain_graph.output import mapdraw, rows
from chain_graph.analysis.gaps import ChainGaps, LinkGap
from chain_graph.i18n import percent, quantity, t, yi
from chain_graph.output.brief import briefing, write_briefing
from chain_graph.output.brief_pdf import unavailable as pdf_unavailable
from chain_graph.output.viz import chain_map, chain_map_html
from chain_graph.output.workbook import Heading, file_name

PANEL_TARGETS = 10
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
PDF_MIME = "application/pdf"
# The map takes the page's width: less side padding than the other pages (static CSS, no user data).
WIDE = "<style>[data-testid='stMainBlockContainer'] { padding-left: 1.5rem; padding-right: 1.5rem; }</style>"

L = lang()


def link_label(g: LinkGap) -> str:
    mark = f" · {t('col.break_point', L)}#{g.break_point.rank}" if g.break_point else ""
    return f"{g.link.name} · {t(f'status.{g.status.value}', L)}{mark}"


def panel(data: Reads, gaps: ChainGaps, g: LinkGap) -> None:
    st.subheader(md(g.link.name))
    cols = st.columns(4)
    cols[0].metric(t("col.status", L), t(f"status.{g.status.value}", L))
    cols[1].metric(t("col.local_firms", L), len(g.presence.local_firms))
    cols[2].metric(t("col.own_fill", L), percent(g.fill.share if g.fill else None, L),
                   help=tr("map.own_fill_help") if g.fill else tr("map.unknown_demand"))
    cols[3].metric(t("col.input_supply_rate", L), percent(g.local_supply_rate, L),
                   help=tr("map.input_rate_help", basis=t(f"basis.{g.basis}", L)) if g.basis else tr("map.no_inputs"))
    st.caption(md(tr("map.local_capacity", value=quantity(g.presence.local_capacity, g.link.unit, L))))
    n_firms, n_projects = len(g.presence.local_firms), len(g.presence.pipeline)
    evidence, firms, projects, targets = st.tabs([
        tr("map.tab_evidence"), tr("map.tab_firms", n=n_firms), tr("map.tab_pipeline", n=n_projects),
        tr("map.tab_targets"),
    ])
    with evidence:
        lines = [m.text(L) for m in g.evidence]
        if g.inputs:
            lines.append(tr("map.inputs", names="、".join(gaps.names.get(i, i) for i in g.inputs)))
        if g.outputs:
            lines.append(tr("map.feeds", names="、".join(gaps.names.get(i, i) for i in g.outputs)))
        st.markdown("\n".join(f"- {md(line)}" for line in lines))
    with firms:
        table([{t("col.firm", L): f.name, t("col.capacity", L): quantity(f.capacity, g.link.unit, L)}
               for f in g.presence.local_firms], tr("map.no_local_firm"))
    with projects:
        table([{
            t("col.project", L): p.name, t("col.status", L): t(f"project.{p.status.value}", L),
            t("col.capacity", L): quantity(p.capacity, g.link.unit, L), t("col.investment", L): yi(p.investment, L),
        } for p in g.presence.pipeline], tr("map.no_pipeline"))
    with targets:
        link_targets(data, gaps, g)


def link_targets(data: Reads, gaps: ChainGaps, g: LinkGap) -> None:
    if g not in gaps.wanted:
        st.info(tr("map.targets_only_wanted"))
        return
    found = data.targets(gaps.chain.id, gaps.landed, kept_weights(data.settings), link_id=g.link.id)[:PANEL_TARGETS]
    if not found:
        st.info(tr("map.no_candidates"))
        return
    sheet = pd.DataFrame(rows.target_sheet(found, L))
    keep = [t(k, L) for k in ("col.rank", "col.firm", "col.province", "col.score", "col.reasons")]
    # a plain table wraps the reasons instead of cutting them off
    st.table(sheet[keep].set_index(t("col.rank", L)).style.format({t("col.score", L): "{:.1f}"}))
    st.caption(tr("map.weights_note"))


@st.dialog(tr("map.panel_title"), width="large")
def panel_dialog(data: Reads, gaps: ChainGaps, link_id: str) -> None:
    panel(data, gaps, gaps.by_id(link_id))


def briefing_file(data: Reads, chain_id: str, landed: bool, suffix: str) -> bytes:
    """The 产业链招商简报, built only when its button is clicked (the map picture takes a few seconds)."""
    made = briefing(data.store, kept_weights(data.settings), chain_id, L, landed=landed)
    return write_briefing(made, suffix)


def opened_from_list() -> None:
    st.session_state["map.open"] = st.session_state["map_link"]


data = reads()
st.html(WIDE)
chain, landed, gaps = chain_view(data, tr("map.page_title"))
chain_names = {c.id: c.name for c in data.chains()}
chain_of = {link.id: chain_names.get(link.chain, link.chain) for link in data.links()}
nodes, edges = chain_map(gaps, L, chain_of)
left, right = st.columns([3, 2], vertical_alignment="bottom")
neighbours = left.toggle(tr("map.neighbours_toggle"), value=True, key="map.neighbours")
ids = [g.link.id for g in gaps.links]
right.selectbox(tr("map.pick"), ids, index=None, format_func=lambda i: link_label(gaps.by_id(i)), key="map_link",
                on_change=opened_from_list, placeholder=tr("map.pick"))
drawing = mapdraw.layout(nodes, edges, tr("map.title", chain=chain.name), L, neighbours)
labels = {k: tr(f"map.{k}") for k in ("zoom_in", "zoom_out", "fit", "reset", "fullscreen")}
clicked = chain_map_view(mapdraw.svg(drawing, L), drawing.width, drawing.height, labels, key=f"map.{chain.id}")
st.caption(tr("map.hint"))
heading = Heading(tr("map.file"), date.today(), chain.name, lang=L)
d1, d2, d3, d4, d5, d6 = st.columns(6)
d1.download_button(tr("map.download_png"), partial(mapdraw.png, drawing, L), file_name(heading, ".png"),
                   "image/png", key="map-png", on_click="ignore", icon=":material/image:")
d2.download_button(tr("map.download_svg"), mapdraw.svg(drawing, L), file_name(heading, ".svg"), "image/svg+xml",
                   key="map-svg", on_click="ignore", icon=":material/download:")
d3.download_button(tr("map.download_html"), partial(chain_map_html, nodes, edges), file_name(heading, ".html"),
                   "text/html", key="map-html", on_click="ignore", icon=":material/public:")
briefing_heading = Heading(t("brief.title", L), date.today(), chain.name, lang=L)
why_not = {".pdf": pdf_unavailable(L)}  # a PDF needs the CJK font scripts/setup installs
for column, suffix, mime, label in ((d4, ".docx", DOCX_MIME, "map.download_docx"),
                                    (d5, ".pptx", PPTX_MIME, "map.download_pptx"),
                                    (d6, ".pdf", PDF_MIME, "map.download_pdf")):
    column.download_button(tr(label), partial(briefing_file, data, chain.id, landed, suffix),
                           file_name(briefing_heading, suffix), mime, key=f"brief{suffix}", on_click="ignore",
                           icon=":material/summarize:", disabled=bool(why_not.get(suffix)), help=why_not.get(suffix))
link_id = clicked or st.session_state.pop("map.open", None)
if link_id in ids:
    panel_dialog(data, gaps, link_id)
