"""`chain-graph import`: exit codes, the report table and files, JSON, and text shown as typed."""

from __future__ import annotations

import csv
import io
import json

import pytest

from typer.testing import CliRunner

from chain_graph_app.cli import app, common
from tests.test_import import ELECTROLYTE, STANDARD, firm, make_dir, write

runner = CliRunner()


def invoke(root, *args: str, lang: str = "en"):
    return runner.invoke(app, ["--data", str(root), "--lang", lang, "import", *args])


@pytest.fixture(autouse=True)
def wide_tables(monkeypatch):
    """Tables as wide as their text, so a cell is not wrapped across lines."""
    monkeypatch.setattr(common.out, "width", 400)


def test_import_prints_the_report_and_exits_0_with_rejected_rows(tmp_path):
    root = make_dir(tmp_path / "data")
    path = write(tmp_path / "qcc.csv", [*STANDARD, firm("91440300ABC", "坏码公司", "电解液生产")])

    result = invoke(root, str(path))

    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "企业名称→name" in out and "not used: 电话" in out
    for words in ("rows rejected", "has 11 characters", "same id as row 2", "for review (2", "electrolyte",
                  "wrote firms.csv, firm_links.csv", "load --replace"):
        assert words in out, words


def test_out_report_writes_the_report_and_review_csv(tmp_path):
    root = make_dir(tmp_path / "data")
    path = write(tmp_path / "qcc.csv", [*STANDARD, firm(ELECTROLYTE[:-1], "=HYPERLINK(1)", "电解液生产")])

    result = invoke(root, str(path), "--out-report", str(tmp_path / "report.csv"))

    assert result.exit_code == 0, result.output
    report = list(csv.DictReader(io.StringIO((tmp_path / "report.csv").read_text(encoding="utf-8-sig"))))
    counts = {r["column"]: r["value"] for r in report if r["section"] == "count"}
    assert (counts["read"], counts["accepted"], counts["rejected"], counts["merged"]) == ("7", "6", "1", "1")
    assert (counts["classified"], counts["unclassified"]) == ("3", "2")
    rejected = [r for r in report if r["section"] == "rejected"]
    assert {(r["row"], r["column"]) for r in rejected} == {("8", "id"), ("8", "name")}
    assert "'=HYPERLINK(1)" in {r["value"] for r in rejected}  # not a formula in Excel
    review = list(csv.DictReader(io.StringIO((tmp_path / "review.csv").read_text(encoding="utf-8-sig"))))
    assert [r["verdict"] for r in review] == ["unmatched", "ambiguous"]
    assert list(review[0])[:4] == ["firm_id", "link_id", "action", "note"]  # rows paste into placements.csv


def test_json_format_is_the_whole_report(tmp_path):
    root = make_dir(tmp_path / "data")
    result = invoke(root, str(write(tmp_path / "qcc.xlsx", STANDARD, "xlsx")), "--format", "json", "--dry-run")

    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc) >= {"ok", "counts", "columns", "issues", "review", "by_link", "written", "problems"}
    assert doc["dry_run"] and doc["written"] == ["firms.csv", "firm_links.csv"]
    assert not (root / "firms.csv").read_text(encoding="utf-8").count(ELECTROLYTE)


def test_dry_run_says_what_it_would_change(tmp_path):
    root = make_dir(tmp_path / "data")
    result = invoke(root, str(write(tmp_path / "qcc.csv", STANDARD)), "--dry-run")
    assert result.exit_code == 0 and "dry run: would change firms.csv, firm_links.csv" in result.stdout


def test_re_import_says_nothing_changed(tmp_path):
    root = make_dir(tmp_path / "data")
    path = write(tmp_path / "qcc.csv", STANDARD)
    invoke(root, str(path))
    result = invoke(root, str(path))
    assert result.exit_code == 0 and "nothing changed" in result.stdout


def test_cell_text_is_shown_as_typed(tmp_path):
    root = make_dir(tmp_path / "data")
    path = write(tmp_path / "qcc.csv", [firm(ELECTROLYTE, "[bold red]某公司[/bold red]")])
    result = invoke(root, str(path))
    assert "[bold red]某公司[/bold red]" in result.stdout


def test_exit_1_when_the_file_cannot_be_read_or_nothing_is_accepted(tmp_path):
    root = make_dir(tmp_path / "data")
    (tmp_path / "bad.xlsx").write_bytes(b"not a workbook")
    result = invoke(root, str(tmp_path / "bad.xlsx"))
    assert result.exit_code == 1 and "not a readable .xlsx" in result.stderr

    none = write(tmp_path / "none.csv", [firm("123", "某公司")])
    result = invoke(root, str(none))
    assert result.exit_code == 1 and "no row of none.csv was accepted" in result.stderr


def test_exit_2_for_usage_errors(tmp_path):
    root = make_dir(tmp_path / "data")
    path = write(tmp_path / "qcc.csv", STANDARD)
    (tmp_path / "map.yaml").write_text("- not a mapping\n", encoding="utf-8")
    for args, words in [
        ((str(tmp_path / "missing.csv"),), "no such file"),
        ((str(path), "--kind", "people"), "people"),
        ((str(path), "--out-report", str(tmp_path / "no" / "r.csv")), "does not exist"),
        ((str(path), "--mapping", str(tmp_path / "map.yaml")), "your header: column"),
    ]:
        result = invoke(root, *args)
        assert result.exit_code == 2, (args, result.output)
        assert words in result.output, (args, result.output)


def test_mapping_file(tmp_path):
    root = make_dir(tmp_path / "data")
    path = write(tmp_path / "own.csv", [{"公司全称": "深圳锂电新材料有限公司", "信用编码": ELECTROLYTE, "主营": "电解液生产"}],
                 header=["公司全称", "信用编码", "主营"])
    (tmp_path / "map.yaml").write_text("公司全称: name\n信用编码: id\n主营: scope\n", encoding="utf-8")
    result = invoke(root, str(path), "--mapping", str(tmp_path / "map.yaml"))
    assert result.exit_code == 0, result.output
    assert "主营→scope" in result.stdout


def test_messages_are_chinese_by_default(tmp_path):
    root = make_dir(tmp_path / "data")
    none = write(tmp_path / "none.csv", [firm("123", "某公司")])
    result = invoke(root, str(none), lang="zh")
    assert result.exit_code == 1 and "none.csv 没有一行被接受；未做任何改动" in result.stderr
    assert "统一社会信用代码有3位，应为18位" in result.stdout and "rows read" not in result.stdout
