"""招商地图: where a chain's (or one link's) candidate firms are — provinces shaded by how many, a dot
per known city, the home city starred; click a province to list its targets. Exports as PNG."""

from __future__ import annotations

from collections import Counter
from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from chain_graph_app.web.common import chain_view, kept_weights, lang, reads, tr
from chain_graph_app.web.firm_panel import clicked_firm, firm_dialog, select_opens
from chain_graph_app.web.map_component import chain_map_view
from chain_graph.output import chinamap, rows
from chain_graph.output.workbook import Heading, file_name

L = lang()
data = reads()
chain, landed, gaps = chain_view(data, tr("cmap.page_title"))
wanted = {g.link.id: g.link.name for g in gaps.wanted}
link_id = st.selectbox(tr("cmap.link"), [None, *wanted], key="cmap.link",
                       format_func=lambda i: tr("cmap.all_links") if i is None else wanted[i])
targets = data.targets(chain.id, landed, kept_weights(data.settings), link_id=link_id)
province_of = {x.firm_id: chinamap.known_province(x.candidate.province) for x in targets}
firms = {x.firm_id: x for x in targets}  # a firm proposed for two links is one firm on the map
by_province = Counter(province_of[i] for i in firms if province_of[i])
by_city = Counter((province_of[i], x.candidate.city) for i, x in firms.items() if province_of[i] and x.candidate.city)
region = data.store.region()
title = tr("cmap.title", chain=chain.name) + (f"（{wanted[link_id]}）" if link_id else "")
drawn = chinamap.china_map(by_province, by_city, title, (region.province, region.city), L)
labels = {k: tr(f"map.{k}") for k in ("zoom_in", "zoom_out", "fit", "reset", "fullscreen")}
clicked = chain_map_view(drawn.svg, drawn.width, drawn.height, labels, key=f"cmap.{chain.id}.{link_id}")
if clicked:
    st.session_state["cmap.province"] = clicked
unplaced = sum(1 for i in firms if not province_of[i])
st.caption(tr("cmap.hint", n=len(firms), unplaced=unplaced))
st.download_button(tr("map.download_png"), partial(chinamap.png, drawn),
                   file_name(Heading(tr("cmap.page_title"), date.today(), chain.name, lang=L), ".png"), "image/png",
                   key="cmap-png", on_click="ignore", icon=":material/image:")
provinces = sorted(by_province, key=lambda p: -by_province[p])
if st.session_state.get("cmap.province") not in provinces:
    st.session_state.pop("cmap.province", None)
province = st.selectbox(tr("cmap.province"), provinces, index=None, key="cmap.province",
                        format_func=lambda p: f"{p}（{by_province[p]}）", placeholder=tr("cmap.pick_province"))
if province:
    st.subheader(tr("cmap.targets_in", province=province))
    shown = [x for x in targets if province_of[x.firm_id] == province]
    sheet = pd.DataFrame(rows.target_sheet(shown, L))
    st.caption(tr("gaps.click_a_row"))
    st.dataframe(sheet, width="stretch", hide_index=True,
                 **select_opens(f"cmap.table.{chain.id}.{link_id}.{province}", [x.firm_id for x in shown]))
    if firm_id := clicked_firm():
        firm_dialog(data, firm_id)
