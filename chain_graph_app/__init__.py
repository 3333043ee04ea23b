"""The front ends and the service beneath them: the chain-graph command, the Streamlit app, and the
one place that opens a data directory with a store and writes through it.

It sits above both `chain_graph` (model, store, analysis, output) and `loaders` (files in), so
neither of those ever imports it.
"""
