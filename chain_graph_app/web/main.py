"""The app's frame: page set-up, language, sign-in and navigation; each page is a script beside this file.

Pages are found through importlib.resources, so the same frame runs from a checkout (app.py) and
from an installed wheel (`chain-graph serve` runs streamlit_app.py inside the package).
"""

from __future__ import annotations

from importlib.resources import as_file, files

import streamlit as st

from .access import require_sign_in
from .common import compact_style, tr

# (script, zh title, en title, icon, url path); the first page is the default
PAGES = (
    ("overview.py", "总览", "Overview", "dashboard", None),
    ("chain_map.py", "产业链图谱", "Chain map", "account_tree", "chain-map"),
    ("gaps.py", "缺什么招什么", "Gaps and targets", "target", "gaps"),
    ("firms.py", "企业", "Firms", "factory", "firms"),
    ("leads.py", "招商线索", "Leads", "handshake", "leads"),
    ("projects.py", "项目台账", "Projects", "construction", "projects"),
    ("data.py", "数据管理", "Data", "database", "data"),
)


def main() -> None:
    """Lay out the frame and run the page the user is on."""
    st.set_page_config(page_title="chain-graph 产业链图谱", page_icon="🔗", layout="wide")
    compact_style()
    st.sidebar.radio("语言 / Language", ["中文", "English"], key="lang_choice", horizontal=True)
    require_sign_in()
    here = files(__package__)
    pages = []
    for index, (script, zh, en, icon, url_path) in enumerate(PAGES):
        with as_file(here / script) as path:
            pages.append(st.Page(path, title=tr(zh, en), icon=f":material/{icon}:", url_path=url_path,
                                 default=index == 0))
    st.navigation(pages).run()
