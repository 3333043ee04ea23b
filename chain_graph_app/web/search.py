"""The one search box, at the top of 总览: firms by name or credit code, links by name or keyword, projects
by name, code or builder, grouped by kind. It asks GraphStore.search, so the embedded store and Neo4j
answer alike. A firm or a project opens in a dialog over the page; a link opens the chain map with that
link's panel (the map is where a link is read)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from chain_graph_app.web.common import chain_label, keep_chain, lang, md, table, tr
from chain_graph_app.web.firm_panel import firm_dialog
from chain_graph_app.web.reads import CACHE, Reads
from chain_graph.i18n import number, t
from chain_graph.output import rows
from chain_graph.store import GraphStore
from chain_graph.store.base import SEARCHED, Found, Hit

LIMIT = 6  # hits shown of each kind; the count says when there are more
CHAIN_MAP = Path(__file__).resolve().parent / "chain_map.py"
OPEN_LINK = "map.open"  # the chain map opens this link's panel on its next run


@st.cache_data(**CACHE)
def _search(_store: GraphStore, version: str, words: str, limit: int) -> Found:
    return _store.search(words, limit)


def search_box(data: Reads) -> None:
    """The box and, once something is typed, what it found; a click on a hit opens it."""
    words = st.text_input(tr("search.label"), key="search.text", placeholder=tr("search.placeholder"),
                          icon=":material/search:", persist_state="session").strip()
    if not words:
        return
    found = _search(data.store, data.version, words, LIMIT)
    if not found.hits:
        st.caption(tr("search.none", words=md(words)))
        return
    chains = {c.id: chain_label(c, lang()) for c in data.chains()}
    firms, rest = st.columns(2)  # firms on the left; links, then projects, on the right: a label is one line
    for column, kind in zip((firms, rest, rest), SEARCHED):
        hits, total = found.of(kind), found.total.get(kind, 0)
        with column:
            st.markdown(f"**{tr(f'search.kind_{kind}', n=total)}**")
            with st.container(gap=None):  # a list, not a page of blocks: no space between the hits
                for hit in hits:
                    text = label(hit, chains)
                    if st.button(md(text), key=f"search.{kind}.{hit.id}", type="tertiary", icon=ICONS[kind],
                                 help=md(text)):
                        open_hit(data, hit)
            if total > len(hits):
                st.caption(tr("search.more", n=total - len(hits)))
            elif not hits:
                st.caption(tr("search.kind_none"))


ICONS = {"firm": ":material/factory:", "link": ":material/account_tree:", "project": ":material/construction:"}


def label(hit: Hit, chains: dict[str, str]) -> str:
    """The hit's name and what tells it from namesakes: a firm's city (本地 for the home city), a link's chain, a
    project's status."""
    L = lang()
    if hit.kind == "firm":
        where = tr("firms.local") if hit.local else (hit.place.split()[-1] if hit.place else t("word.na", L))
        return f"{hit.name} · {where}"
    if hit.kind == "link":
        return f"{hit.name} · {chains.get(hit.chain, hit.chain)}"
    return f"{hit.name} · {t(f'project.{hit.status}', L)}"


def open_hit(data: Reads, hit: Hit) -> None:
    if hit.kind == "firm":
        firm_dialog(data, hit.id)
    elif hit.kind == "project":
        project_dialog(data, hit.id)
    else:
        link = next(link for link in data.links() if link.id == hit.id)
        keep_chain(link.chain)
        st.session_state[OPEN_LINK] = link.id
        st.switch_page(CHAIN_MAP)


def project_panel(data: Reads, project_id: str) -> None:
    """A project's ledger row, one field a line (unknown as the one marker)."""
    project = next((p for p in data.projects() if p.id == project_id), None)
    if project is None:
        st.info(tr("search.project_gone", id=project_id))
        return
    st.subheader(md(project.name))
    link_names = {link.id: link.name for link in data.links()}
    row = rows.project_sheet([project], link_names, data.local_firm_names(), lang())[0]
    if project.builder:
        row[tr("search.builder")] = project.builder
    na = t("word.na", lang())
    table([{tr("search.field"): k, tr("search.value"): na if v in (None, "") else number(v) if isinstance(v, float)
            else str(v)} for k, v in row.items()], "")


def project_dialog(data: Reads, project_id: str) -> None:
    st.dialog(tr("search.project_title"), width="large")(project_panel)(data, project_id)
