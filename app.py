"""Streamlit entry of a checkout (`streamlit run app.py`); the app itself lives in chain_graph_app/web/."""

from chain_graph_app.web.main import main

main()
