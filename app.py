"""Streamlit entry: page set-up, language, sign-in and navigation only; pages live in app_pages/."""

import streamlit as st

from app_pages.access import require_sign_in
from app_pages.common import compact_style, tr

st.set_page_config(page_title="chain-graph 产业链图谱", page_icon="🔗", layout="wide")
compact_style()
st.sidebar.radio("语言 / Language", ["中文", "English"], key="lang_choice", horizontal=True)
require_sign_in()
pages = [
    st.Page("app_pages/overview.py", title=tr("总览", "Overview"), icon=":material/dashboard:", default=True),
    st.Page("app_pages/chain_map.py", title=tr("产业链图谱", "Chain map"), icon=":material/account_tree:",
            url_path="chain-map"),
    st.Page("app_pages/gaps.py", title=tr("缺什么招什么", "Gaps and targets"), icon=":material/target:",
            url_path="gaps"),
    st.Page("app_pages/firms.py", title=tr("企业", "Firms"), icon=":material/factory:", url_path="firms"),
    st.Page("app_pages/projects.py", title=tr("项目台账", "Projects"), icon=":material/construction:",
            url_path="projects"),
    st.Page("app_pages/data.py", title=tr("数据管理", "Data"), icon=":material/database:", url_path="data"),
]
st.navigation(pages).run()
