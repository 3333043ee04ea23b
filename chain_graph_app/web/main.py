"""The app's frame: page set-up, language, the data's opening, sign-in and navigation; each page is
a script beside this file.

The first thing a visitor sees is a progress message: the heavy modules (pandas, polars, the
analyses, a few seconds on a fresh server) are imported after it is drawn, and the data opens in
a thread of its own (shelf.py) while this run shows each stage. Pages are found through
importlib.resources, so the same frame runs from a checkout (app.py) and from an installed wheel
(`chain-graph serve` runs streamlit_app.py inside the package).
"""

from __future__ import annotations

from importlib.resources import as_file, files

import streamlit as st

from .language import tr
from .shelf import opening, starting, wait

# (script, icon, url path); titles: catalogue page.<script>; the first page is the default
PAGES = (
    ("overview.py", "dashboard", None),
    ("chain_map.py", "account_tree", "chain-map"),
    ("gaps.py", "target", "gaps"),
    ("target_map.py", "map", "target-map"),
    ("firms.py", "factory", "firms"),
    ("leads.py", "handshake", "leads"),
    ("projects.py", "construction", "projects"),
    ("data.py", "database", "data"),
)


def main() -> None:
    """Lay out the frame, open the data (with its progress shown) and run the page the user is on."""
    st.set_page_config(page_title="chain-graph 产业链图谱", page_icon="🔗", layout="wide")
    st.sidebar.radio("语言 / Language", ["中文", "English"], key="lang_choice", horizontal=True)
    progress = st.empty()
    starting(progress)
    job = opening()  # in a thread of its own: the data opens while the modules below load and the user signs in
    from .access import require_sign_in  # the heavy imports, after the first message is drawn
    from .common import compact_style, summarise, warm_up

    compact_style()
    progress.empty()
    require_sign_in()
    if not job.done.is_set():
        wait(job, progress, summarise)
    here = files(__package__)
    pages = []
    for index, (script, icon, url_path) in enumerate(PAGES):
        with as_file(here / script) as path:
            pages.append(st.Page(path, title=tr(f"page.{script.removesuffix('.py')}"), icon=f":material/{icon}:",
                                 url_path=url_path, default=index == 0))
    try:
        st.navigation(pages).run()
    finally:  # also after a page that stops early
        warm_up(job)
