"""Streamlit entry: page set-up, language and navigation only; pages live in app_pages/."""

import streamlit as st

from app_pages.common import tr

st.set_page_config(page_title="chain-graph 产业链图谱", page_icon="🔗", layout="wide")
st.sidebar.radio("语言 / Language", ["中文", "English"], key="lang_choice", horizontal=True)
pages = [st.Page("app_pages/gaps.py", title=tr("缺什么招什么", "Gaps and targets"), icon="🎯", default=True)]
st.navigation(pages).run()
