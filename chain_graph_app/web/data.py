"""数据管理: upload a chain, firm or project file and see every problem (file, row, column) before
anything is stored; store it only on confirmation; download the current data as files."""

from __future__ import annotations

from functools import partial

import streamlit as st

from chain_graph_app.service import uploads as datafiles
from loaders.datadir import DataDirBusy
from chain_graph_app.web import change_summary, import_tab
from chain_graph_app.web.common import data_dir, data_written, lang, md, opened, table, tr
from chain_graph.i18n import t
from chain_graph.output import rows

L = lang()
root = data_dir()
# The grid wraps cell text only in rows taller than 4rem, and every row has the one height: make it as tall as
# the longest message needs in its column (CJK ~14 px a character, Latin ~7.5), at most MAX_LINES lines.
PROBLEM_PX, HINT_PX, LINE_PX, MAX_LINES = 420, 220, 19, 9


def lines_needed(text: str, width: int) -> int:
    px = sum(14 if ord(c) > 0x2E7F else 7.5 for c in text)
    return -(-int(px) // (width - 20))


def problem_table(problems, empty: str) -> None:
    """Every problem with file, row and column; the message and hint columns wide and wrapped, so a long
    knock-on message ("由此 firm_links.csv 中 12 行…") reads whole."""
    sheet = rows.problem_sheet(problems, L)
    problem, hint = t("col.problem", L), t("col.hint", L)
    lines = max([1] + [max(lines_needed(r[problem], PROBLEM_PX), lines_needed(r[hint] or "", HINT_PX)) for r in sheet])
    height = max(66, min(lines + 1, MAX_LINES) * LINE_PX) if lines > 1 else None  # a spare line: widths are estimated
    wide = {problem: st.column_config.TextColumn(width=PROBLEM_PX), hint: st.column_config.TextColumn(width=HINT_PX)}
    table(sheet, empty, row_height=height, column_config=wide)


def upload() -> None:
    if done := st.session_state.pop("upload.done", None):
        st.success(done)
    kind = st.selectbox(tr("data.file_type"), datafiles.KINDS, key="upload.kind",
                        format_func=lambda k: tr(f"data.kind_{k}"))
    suffixes = datafiles.CHAIN_SUFFIXES if kind == datafiles.CHAIN else (".csv", ".xlsx")
    attempt = st.session_state.setdefault("upload.attempt", 0)  # a new key empties the uploader after a load
    file = st.file_uploader(
        tr("data.choose_file"),
        type=[s.lstrip(".") for s in suffixes], key=f"upload.{kind}.{attempt}",
    )
    if file is None:
        st.caption(tr("data.upload_note"))
        return
    try:
        staged = datafiles.stage(root, kind, file.name, file.getvalue())
    except DataDirBusy as busy:
        st.error(busy.text(lang()))
        return
    errors = sum(p.is_error for p in staged.problems)
    target = tr("data.target_replacing", target=staged.target, stale="、".join(staged.stale)) if staged.stale \
        else staged.target
    st.markdown(tr("data.would_become", target=md(target)))
    if not staged.ok:
        st.error(tr("data.upload_failed", errors=errors))
    else:
        st.success(tr("data.upload_valid", warnings=len(staged.problems)))
    problem_table(staged.problems, tr("data.no_problem"))
    if staged.ok:
        change_summary.show(staged.changes, tr("changes.upload_absent"))
    if staged.ok and st.button(tr("data.confirm_upload"), type="primary", icon=":material/check:",
                               key="upload.confirm"):
        confirm(kind, file.name, file.getvalue())


def confirm(kind: str, filename: str, content: bytes) -> None:
    try:
        done = datafiles.commit(root, kind, filename, content)
    except DataDirBusy as busy:
        st.error(busy.text(lang()))
        return
    if not done.ok:
        st.error(tr("data.changed_meanwhile"))
        problem_table(done.problems, "")
        return
    data_written()
    st.session_state["upload.attempt"] += 1
    st.session_state["upload.done"] = tr("data.upload_done", target=done.target)
    st.rerun()


def download() -> None:
    names = datafiles.files(root)
    name = st.selectbox(tr("data.file"), names, key="download.file")
    left, right = st.columns(2)
    left.download_button(tr("data.download_file"), partial((root / name).read_bytes), name.split("/")[-1],
                         on_click="ignore", icon=":material/download:")
    right.download_button(tr("data.download_zip"),
                          partial(datafiles.zip_bytes, root), "chain-graph-data.zip", "application/zip",
                          on_click="ignore", icon=":material/folder_zip:")


store = opened().store
counts = store.counts()
st.title(tr("data.title"))
st.caption(tr("data.caption", root=str(root), chains=counts["chains"], links=counts["links"], firms=counts["firms"],
              projects=counts["projects"], version=store.version()))
tabs = st.tabs([tr("data.tab_upload"), tr("data.tab_download"), tr("data.tab_import")])
with tabs[0]:
    upload()
with tabs[1]:
    download()
with tabs[2]:
    import_tab.draw()
