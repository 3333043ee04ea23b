"""`chain-graph leads`: one-line errors with exit 1 and nothing written; JSON rows; the workbook."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from chain_graph.output.workbook import header_row_of
from chain_graph_app.cli import app

DATA = Path(__file__).resolve().parent.parent / "data"
FIRM, LINK = "914401125726637668", "electrolyte"
runner = CliRunner()


@pytest.fixture
def data(tmp_path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(DATA, root)
    return root


def run(data: Path, *args: str):
    return runner.invoke(app, ["--data", str(data), "leads", *args])


def added(data: Path) -> dict:
    result = run(data, "add", "--firm", FIRM, "--link", LINK, "--owner", "张三", "--next-date", "2026/3/1",
                 "--by", "alice", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_add_update_list_json(data):
    lead = added(data)
    assert (lead["status"], lead["owner"], lead["next_date"], lead["version"]) == ("lead", "张三", "2026-03-01", 1)
    result = run(data, "update", lead["id"], "--version", "1", "--status", "考察/洽谈", "--by", "bob", "--format", "json")
    assert result.exit_code == 0, result.output
    listed = json.loads(run(data, "list", "--format", "json").stdout)
    assert [(x["id"], x["status"], x["version"], x["updated_by"]) for x in listed] == [
        (lead["id"], "negotiating", 2, "bob")]
    assert [e["by"] for e in listed[0]["history"]] == ["alice", "bob"]
    assert json.loads(run(data, "list", "--overdue", "--format", "json").stdout)[0]["overdue"] is True


@pytest.mark.parametrize("args, words", [
    (("add", "--firm", "NO-SUCH", "--link", LINK), "企业库中没有"),
    (("add", "--firm", FIRM, "--link", "no_such_link"), "未知环节"),
    (("update", "{id}", "--version", "1", "--status", "签约"), "不能从“线索”改为“签约”"),
    (("update", "{id}", "--version", "7", "--notes", "x"), "保存冲突"),
    (("update", "{id}", "--version", "1", "--status", "放弃"), "放弃原因"),
    (("update", "{id}", "--version", "1", "--status", "谈崩了"), "未知线索状态"),
    (("update", "NO-SUCH-LEAD", "--version", "1", "--notes", "x"), "没有编号为"),
])
def test_bad_input_is_one_line_exit_1_and_writes_nothing(data, args, words):
    lead = added(data)
    before = {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()}
    result = run(data, *(a.format(id=lead["id"]) for a in args))
    assert result.exit_code == 1
    assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()} == before


def test_usage_error_exits_2(data):
    result = run(data, "update", "X")  # no --version
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_signing_through_the_cli_writes_the_ledger(data):
    lead = added(data)
    run(data, "update", lead["id"], "--version", "1", "--status", "洽谈")
    result = run(data, "update", lead["id"], "--version", "2", "--status", "签约")
    assert result.exit_code == 0 and f"ZS-{lead['id']}" in result.stdout
    projects = json.loads(runner.invoke(app, ["--data", str(data), "projects", "--format", "json"]).stdout)
    made = [p for p in projects["projects"] if p["id"] == f"ZS-{lead['id']}"]
    assert made and made[0]["status"] == "signed" and made[0]["link_ids"] == [LINK]


def test_export_workbook_has_the_four_sheets(data, tmp_path):
    added(data)
    out = tmp_path / "pipeline.xlsx"
    result = run(data, "export", "--out", str(out))
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book.sheetnames == ["招商线索", "线索漏斗", "逾期待办", "按负责人"]
    sheet = book["招商线索"]
    assert sheet["A1"].value.startswith("招商线索跟进表")  # the leader-ready title block
    header = [c.value for c in sheet[header_row_of(sheet)]]
    assert "企业名称" in header and "负责人" in header and "下一步日期" in header
    assert run(data, "export", "--out", str(tmp_path / "x.pdf")).exit_code == 2
