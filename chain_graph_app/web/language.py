"""The user's language and the catalogue's words in it: light enough for the frame's first paint."""

from __future__ import annotations

import streamlit as st

from chain_graph.i18n import t


def lang() -> str:
    return "en" if st.session_state.get("lang_choice") == "English" else "zh"


def tr(key: str, **values: object) -> str:
    """The catalogue's text of `key` (chain_graph/i18n/*.yaml) in the user's language: tr("data.title")."""
    return t(key, lang(), **values)
