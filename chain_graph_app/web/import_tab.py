"""企业名单导入, the data page's third tab: an enterprise-platform export (企查查, 天眼查, 启信宝, a
market-regulation register) or a project ledger, merged into the data directory by
loaders.importing — run as a dry run first, shown in full, written only on confirmation."""

from __future__ import annotations

import streamlit as st

from chain_graph_app.web import change_summary
from chain_graph_app.web.common import data_dir, data_written, lang, table, tr
from chain_graph.output import rows
from chain_graph.validation import has_errors
from loaders.import_report import ImportReport
from loaders.datadir import DataDirBusy
from chain_graph_app.service.importing import import_file, report_csv, review_csv
from loaders.importing import KINDS

COUNTS = ("read", "accepted", "rejected", "new", "updated", "classified", "unclassified", "placed", "review")


def draw() -> None:
    if done := st.session_state.pop("import.done", None):
        st.success(done)
    kind = st.selectbox(tr("import_tab.kind"), KINDS, key="import.kind", format_func=lambda k: tr(f"import_tab.kind_{k}"))
    attempt = st.session_state.setdefault("import.attempt", 0)
    file = st.file_uploader(tr("import_tab.choose_file"),
                            type=["csv", "xlsx", "xls", "zip"], key=f"import.{kind}.{attempt}")
    if file is None:
        st.caption(tr("import_tab.note"))
        return
    try:
        report = _dry_run(kind, file.file_id, file.name, file.getvalue())
    except DataDirBusy as busy:
        st.error(busy.text(lang()))
        return
    show(report)
    if report.ok and not has_errors(report.problems) and st.button(
            tr("import_tab.confirm"), type="primary", icon=":material/check:", key="import.confirm"):
        try:
            done = import_file(file.getvalue(), file.name, data_dir(), kind)
        except DataDirBusy as busy:
            st.error(busy.text(lang()))
            return
        if not done.ok or not done.written:
            st.error(done.failure_text(lang()) or tr("import_tab.wrote_nothing"))
            return
        data_written()
        st.session_state["import.attempt"] += 1
        st.session_state["import.done"] = tr("import_tab.done", file=done.file, files="、".join(done.written))
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
        st.success(tr("import_tab.passed"))
    shown = [key for key in COUNTS if key in report.counts]
    for col, key in zip(st.columns(len(shown)) if shown else [], shown):
        col.metric(tr(f"count.{key}"), report.counts[key])
    if report.by_link:
        st.markdown(f"**{tr('import_tab.by_link')}**")
        count = tr("col.firms_placed") if report.kind == "firms" else tr("col.projects")
        table([{tr("col.link"): r["link_name"], tr("import_tab.link_id"): r["link_id"],
                count: r.get("firms", r.get("projects"))} for r in report.by_link], "")
    if report.issues:
        st.markdown(f"**{tr('import_tab.issues')}**")
        table([{tr(f"import_tab.col_{k}"): v for k, v in row.items()} for row in report.rows(L)], "")
    if report.review:
        st.markdown(f"**{tr('import_tab.review')}**")
        table(report.review_rows(L), "")
    if report.problems:
        st.markdown(f"**{tr('import_tab.after')}**")
        table(rows.problem_sheet(report.problems, L), "")
    if report.ok and not has_errors(report.problems):
        change_summary.show(report.changes, tr("changes.import_absent"))
    left, right = st.columns(2)
    left.download_button(tr("import_tab.download_report"), report_csv(report, L),
                         f"import-report-{report.file}.csv", "text/csv", on_click="ignore", icon=":material/download:")
    if report.review:
        right.download_button(tr("import_tab.download_review"), review_csv(report, L),
                              f"import-review-{report.file}.csv", "text/csv", on_click="ignore",
                              icon=":material/download:")
