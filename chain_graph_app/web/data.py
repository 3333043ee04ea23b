"""数据管理: upload a chain, firm or project file and see every problem (file, row, column) before
anything is stored; store it only on confirmation; download the current data as files."""

from __future__ import annotations

from functools import partial

import streamlit as st

from chain_graph_app.service import uploads as datafiles
from loaders.datadir import DataDirBusy
from chain_graph_app.web import import_tab
from chain_graph_app.web.common import data_dir, data_written, lang, md, opened, table, tr
from chain_graph.output import rows

KIND_NAMES = {
    datafiles.CHAIN: ("产业链（YAML，每链一个文件）", "Chain (YAML, one file a chain)"),
    "firms": ("企业表 firms", "Firms"),
    "firm_links": ("企业—环节表 firm_links", "Firm placements on links"),
    "supplies": ("供货关系表 supplies", "Supply relations"),
    "projects": ("项目台账 projects", "Project ledger"),
}

L = lang()
root = data_dir()


def upload() -> None:
    if done := st.session_state.pop("upload.done", None):
        st.success(done)
    kind = st.selectbox(tr("文件类型", "File type"), datafiles.KINDS, key="upload.kind",
                        format_func=lambda k: KIND_NAMES[k][L == "en"])
    suffixes = datafiles.CHAIN_SUFFIXES if kind == datafiles.CHAIN else (".csv", ".xlsx")
    attempt = st.session_state.setdefault("upload.attempt", 0)  # a new key empties the uploader after a load
    file = st.file_uploader(
        tr("选择文件（CSV 可为 UTF-8 或 GBK/GB18030 编码，也可上传 XLSX）", "Choose a file (CSV in UTF-8 or GBK/GB18030, or XLSX)"),
        type=[s.lstrip(".") for s in suffixes], key=f"upload.{kind}.{attempt}",
    )
    if file is None:
        st.caption(tr("上传后先完整校验，确认前不会改动任何数据。", "An upload is checked in full; nothing changes before you confirm."))
        return
    try:
        staged = datafiles.stage(root, kind, file.name, file.getvalue())
    except DataDirBusy as busy:
        st.error(busy.text(lang()))
        return
    errors = sum(p.is_error for p in staged.problems)
    replaces = tr("（并替换 ", " (replacing ") + "、".join(staged.stale) + tr("）", ")") if staged.stale else ""
    st.markdown(tr("将写入：", "Would become: ") + md(staged.target + replaces))
    if not staged.ok:
        st.error(tr(f"校验发现 {errors} 个错误，数据没有任何改动。请按下表修正后重新上传。",
                    f"{errors} error(s) found; nothing was changed. Fix them as listed and upload again."))
    else:
        st.success(tr(f"校验通过（{len(staged.problems)} 条提示）。确认后写入数据目录并重新加载。",
                      f"Valid ({len(staged.problems)} warning(s)). Confirm to write it and reload the data."))
    table(rows.problem_sheet(staged.problems, L), tr("没有发现问题。", "No problem found."))
    if staged.ok and st.button(tr("确认导入", "Confirm and load"), type="primary", icon=":material/check:",
                               key="upload.confirm"):
        confirm(kind, file.name, file.getvalue())


def confirm(kind: str, filename: str, content: bytes) -> None:
    try:
        done = datafiles.commit(root, kind, filename, content)
    except DataDirBusy as busy:
        st.error(busy.text(lang()))
        return
    if not done.ok:
        st.error(tr("数据目录在此期间已变化，上传不再通过校验，未做改动：", "The data changed meanwhile; the upload no longer "
                    "validates and nothing was changed:"))
        table(rows.problem_sheet(done.problems, L), "")
        return
    data_written()
    st.session_state["upload.attempt"] += 1
    st.session_state["upload.done"] = tr(f"已写入 {done.target} 并重新加载数据。", f"Wrote {done.target} and reloaded the data.")
    st.rerun()


def download() -> None:
    names = datafiles.files(root)
    name = st.selectbox(tr("文件", "File"), names, key="download.file")
    left, right = st.columns(2)
    left.download_button(tr("下载该文件", "Download this file"), partial((root / name).read_bytes), name.split("/")[-1],
                         on_click="ignore", icon=":material/download:")
    right.download_button(tr("下载整个数据目录（ZIP）", "Download the whole directory (ZIP)"),
                          partial(datafiles.zip_bytes, root), "chain-graph-data.zip", "application/zip",
                          on_click="ignore", icon=":material/folder_zip:")


store = opened().store
counts = store.counts()
st.title(tr("数据管理", "Data"))
st.caption(tr(
    f"数据目录 {root} · {counts['chains']} 条产业链 · {counts['links']} 个环节 · {counts['firms']} 家企业 · "
    f"{counts['projects']} 个项目 · 数据版本 {store.version()}",
    f"Data directory {root} · {counts['chains']} chains · {counts['links']} links · {counts['firms']} firms · "
    f"{counts['projects']} projects · version {store.version()}",
))
tabs = st.tabs([tr("上传与校验", "Upload and check"), tr("下载当前数据", "Download the data"),
                tr("企业名单导入", "Enterprise-list import")])
with tabs[0]:
    upload()
with tabs[1]:
    download()
with tabs[2]:
    import_tab.draw()
