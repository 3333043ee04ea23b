"""What every page shares: the loaded store (once per process) and the chosen language."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from chain_graph.analysis.settings import AnalysisSettings
from chain_graph.store import GraphStore
from loaders import Opened, open_data

DEFAULT_DATA = Path(__file__).resolve().parent.parent / "data"


def lang() -> str:
    return "en" if st.session_state.get("lang_choice") == "English" else "zh"


def tr(zh: str, en: str) -> str:
    return en if lang() == "en" else zh


@st.cache_resource(show_spinner=False)
def _open(data_dir: str, store_url: str) -> Opened:
    return open_data(Path(data_dir), store_url)


def store_and_settings() -> tuple[GraphStore, AnalysisSettings]:
    """The shared store, or a page that explains why there is none (and stops)."""
    data_dir = os.environ.get("CHAIN_GRAPH_DATA", str(DEFAULT_DATA))
    store_url = os.environ.get("CHAIN_GRAPH_STORE", "memory")
    opened = _open(data_dir, store_url)
    if opened.store is None:
        _open.clear()  # try again on the next run, once the data or the server is fixed
        st.error(opened.failure or tr(f"数据目录 {data_dir} 有错误，修正后刷新页面：",
                                      f"The data in {data_dir} has errors; fix them and reload:"))
        if opened.errors:
            st.dataframe([p.as_row() for p in opened.errors], width="stretch")
        st.stop()
    return opened.store, opened.settings
