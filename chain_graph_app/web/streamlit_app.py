"""The Streamlit entry inside the installed package (what `chain-graph serve` runs)."""

from chain_graph_app.web.main import main

main()
