"""The app's frame: page set-up, language, sign-in and navigation; each page is a script beside this file.

Pages are found through importlib.resources, so the same frame runs from a checkout (app.py) and
from an installed wheel (`chain-graph serve` runs streamlit_app.py inside the package).
"""

from __future__ import annotations

from importlib.resources import as_file, files

import streamlit as st

from .access import require_sign_in
from .common import compact_style, tr

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
    """Lay out the frame and run the page the user is on."""
    st.set_page_config(page_title="chain-graph 产业链图谱", page_icon="🔗", layout="wide")
    compact_style()
    st.sidebar.radio("语言 / Language", ["中文", "English"], key="lang_choice", horizontal=True)
    require_sign_in()
    here = files(__package__)
    pages = []
    for index, (script, icon, url_path) in enumerate(PAGES):
        with as_file(here / script) as path:
            pages.append(st.Page(path, title=tr(f"page.{script.removesuffix('.py')}"), icon=f":material/{icon}:",
                                 url_path=url_path, default=index == 0))
    st.navigation(pages).run()
