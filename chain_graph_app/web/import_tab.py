"""企业名单导入, the data page's third tab: an enterprise-platform export (企查查, 天眼查, 启信宝, a
market-regulation register) or a project ledger, merged into the data directory by
loaders.importing — run as a dry run first, shown in full, written only on confirmation."""

from __future__ import annotations

import streamlit as st

from chain_graph_app.web.common import data_dir, data_written, lang, table, tr
from chain_graph.output import rows
from chain_graph.validation import has_errors
from loaders.import_report import ImportReport
from loaders.datadir import DataDirBusy
from chain_graph_app.service.importing import import_file, report_csv, review_csv
from loaders.importing import KINDS

KIND_NAMES = {
    "firms": ("企业名单（企查查、天眼查、启信宝、市场监管登记导出）", "Enterprise list (platform or register export)"),
    "projects": ("项目台账（各地台账表头均可）", "Project ledger"),
}
COUNTS = {
    "read": ("读取行数", "rows read"), "accepted": ("接受", "accepted"), "rejected": ("拒绝", "rejected"),
    "new": ("新增", "new"), "updated": ("更新", "updated"), "classified": ("已归入环节", "placed on a link"),
    "unclassified": ("待人工归类", "for review"),
}
ISSUE_COLUMNS = {"section": ("类别", "section"), "row": ("行", "row"), "column": ("列", "column"),
                 "value": ("值", "value"), "message": ("问题", "problem"), "hint": ("修改建议", "how to fix")}


def draw() -> None:
    if done := st.session_state.pop("import.done", None):
        st.success(done)
    english = lang() == "en"
    kind = st.selectbox(tr("名单类型", "List type"), KINDS, key="import.kind", format_func=lambda k: KIND_NAMES[k][english])
    attempt = st.session_state.setdefault("import.attempt", 0)
    file = st.file_uploader(tr("选择导出文件（CSV 或 XLSX，中文表头）", "Choose the export (CSV or XLSX, Chinese headers)"),
                            type=["csv", "xlsx", "xls", "zip"], key=f"import.{kind}.{attempt}")
    if file is None:
        st.caption(tr("先试导入并列出全部结果（按经营范围归入环节、被拒绝的行、待人工归类的企业），确认后才写入数据目录。",
                      "A dry run comes first and lists everything (placements by business scope, rejected rows, "
                      "firms to review); the data directory changes only when you confirm."))
        return
    try:
        report = _dry_run(kind, file.file_id, file.name, file.getvalue())
    except DataDirBusy as busy:
        st.error(busy.text(lang()))
        return
    show(report)
    if report.ok and not has_errors(report.problems) and st.button(
            tr("确认导入", "Confirm the import"), type="primary", icon=":material/check:", key="import.confirm"):
        try:
            done = import_file(file.getvalue(), file.name, data_dir(), kind)
        except DataDirBusy as busy:
            st.error(busy.text(lang()))
            return
        if not done.ok or not done.written:
            st.error(done.failure_text(lang()) or tr("导入没有写入任何文件。", "The import wrote nothing."))
            return
        data_written()
        st.session_state["import.attempt"] += 1
        st.session_state["import.done"] = tr(f"已导入 {done.file}，写入 {'、'.join(done.written)} 并重新加载数据。",
                                             f"Imported {done.file}: wrote {', '.join(done.written)} and reloaded.")
        st.rerun()


def _dry_run(kind: str, file_id: str, name: str, content: bytes) -> ImportReport:
    """One dry run per uploaded file: classifying a large list again on every click would be slow."""
    key = (kind, file_id)
    kept = st.session_state.get("import.dry_run")
    if kept is None or kept[0] != key:
        kept = (key, import_file(content, name, data_dir(), kind, dry_run=True))
        st.session_state["import.dry_run"] = kept
    return kept[1]


def show(report: ImportReport) -> None:
    L = lang()
    if report.failure:
        st.error(report.failure_text(L))
    elif report.ok and not has_errors(report.problems):
        st.success(tr("试导入通过，可以确认导入。", "The dry run passed; you can confirm the import."))
    shown = [key for key in COUNTS if key in report.counts]
    for col, key in zip(st.columns(len(shown)), shown):
        col.metric(COUNTS[key][L == "en"], report.counts[key])
    if report.by_link:
        st.markdown(f"**{tr('按环节归类', 'Placed by link')}**")
        count = tr("企业数", "firms") if report.kind == "firms" else tr("项目数", "projects")
        table([{tr("环节", "link"): r["link_name"], tr("环节ID", "link id"): r["link_id"],
                count: r.get("firms", r.get("projects"))} for r in report.by_link], "")
    if report.issues:
        st.markdown(f"**{tr('被拒绝或合并的行', 'Rejected or merged rows')}**")
        table([{ISSUE_COLUMNS[k][L == "en"]: v for k, v in row.items()} for row in report.rows(L)], "")
    if report.review:
        st.markdown(f"**{tr('待人工归类（可下载后填入 placements.csv）', 'To review (download, fill in placements.csv)')}**")
        table(report.review_rows(L), "")
    if report.problems:
        st.markdown(f"**{tr('导入后数据目录的校验', 'The data directory after the import')}**")
        table(rows.problem_sheet(report.problems, L), "")
    left, right = st.columns(2)
    left.download_button(tr("下载导入报告（CSV）", "Download the report (CSV)"), report_csv(report, L),
                         f"import-report-{report.file}.csv", "text/csv", on_click="ignore", icon=":material/download:")
    if report.review:
        right.download_button(tr("下载待归类清单（CSV）", "Download the review list (CSV)"), review_csv(report, L),
                              f"import-review-{report.file}.csv", "text/csv", on_click="ignore",
                              icon=":material/download:")
