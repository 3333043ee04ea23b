"""What an upload or import would change, per table (新增 / 修改 / 不变 / 未出现), with the rows behind
each number viewable, shown on the 数据管理 page before the user confirms."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from chain_graph.changes import TableChange
from chain_graph_app.web.common import table, tr

SHOWN = 500  # rows of one kind shown per table; the counts are always whole


def show(changes: list[TableChange], absent_note: str) -> None:
    """The summary table, then one expander per changed table with its new, changed and absent rows."""
    st.markdown(f"**{tr('changes.title')}**")
    if not changes:
        st.caption(tr("changes.none"))
        return
    table([{tr("changes.table"): tr(f"changes.table_{c.table}"), **{tr(f"changes.{k}"): n for k, n in c.counts().items()}}
           for c in changes], "")
    st.caption(absent_note)
    for change in changes:
        with st.expander(tr("changes.rows_of", table=tr(f"changes.table_{change.table}"))):
            for kind, rows in (("new", change.new), ("changed", change.changed), ("absent", change.absent)):
                if rows:
                    st.markdown(f"{tr(f'changes.{kind}')}（{len(rows)}）")
                    st.dataframe(pd.DataFrame(rows[:SHOWN]).astype(str), width="stretch", hide_index=True)
