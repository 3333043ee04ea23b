"""Files that lie about themselves: a stale XLSX dimension, zip and YAML bombs, repeated YAML keys,
and characters that hide what a value says. Each is read to its real end or refused with one line,
in the loader (`validate`) and in the import alike, and nothing is written."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from chain_graph_app.cli import app
from loaders import load_directory
from loaders.tables import stream_table
from tests.conftest import code
from tests.test_import import CHAIN, ELECTROLYTE, FIRMS, STANDARD, firm, make_dir, snapshot, write

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent


def cli(root: Path, *args: str, env: dict | None = None):
    return runner.invoke(app, ["--data", str(root), *args], env=env)


def _rewrite_sheet(path: Path, sheet_xml) -> None:
    """Replace the first sheet's XML of a workbook: `sheet_xml(original bytes)` yields the new XML in pieces."""
    source = path.with_suffix(".orig.xlsx")
    shutil.move(path, source)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as new:
        for info in old.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with new.open(info.filename, "w", force_zip64=True) as part:
                    for piece in sheet_xml(old.read(info)):
                        part.write(piece)
            else:
                new.writestr(info, old.read(info))
    source.unlink()


def _firms_xlsx(path: Path, n: int) -> Path:
    book = openpyxl.Workbook()
    book.active.append(["id", "name", "status", "province", "city"])
    for i in range(n):
        book.active.append([code(500 + i), f"表格企业{i}", "存续", "甘肃省", "金昌市"])
    book.save(path)
    return path


# -- XLSX read to its real end -----------------------------------------------------------

def test_a_stale_dimension_tag_does_not_hide_rows(tmp_path):
    root = make_dir(tmp_path / "data", **{"firms.csv": None, "firm_links.csv": None})
    path = _firms_xlsx(root / "firms.xlsx", 10)
    _rewrite_sheet(path, lambda xml: [re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:E3"', xml)])
    assert b'ref="A1:E3"' in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert len(list(stream_table(path, path.name).rows)) == 10
    assert len(load_directory(root).dataset.firms) == 10


# -- bombs -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def row_bomb(tmp_path_factory) -> Path:
    """A small workbook whose sheet holds 5,000,000 rows (the dimension says 2)."""
    path = _firms_xlsx(tmp_path_factory.mktemp("bomb") / "bomb.xlsx", 1)

    def rows(xml: bytes):
        head, _, _ = xml.partition(b"<sheetData>")
        yield head + b"<sheetData>"
        block = b"<row><c><v>1</v></c></row>" * 10_000
        for _ in range(500):
            yield block
        yield b"</sheetData></worksheet>"

    _rewrite_sheet(path, rows)
    assert path.stat().st_size < 2_000_000
    return path


def test_an_xlsx_bomb_is_refused_by_the_import_in_one_line_and_nothing_written(tmp_path, row_bomb):
    root = make_dir(tmp_path / "data")
    before = snapshot(root)
    result = cli(root, "import", str(row_bomb))
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0 and "超过 2,000,000 行的上限" in result.stderr, result.stderr
    assert snapshot(root) == before


def test_an_xlsx_bomb_in_the_data_directory_is_one_problem(tmp_path, row_bomb):
    root = make_dir(tmp_path / "data", **{"firms.csv": None, "firm_links.csv": None})
    shutil.copy(row_bomb, root / "firms.xlsx")
    result = load_directory(root)
    assert not result.ok
    [problem] = [p for p in result.problems if p.is_error]
    assert problem.location.file == "firms.xlsx" and "行的上限" in problem.text() and "\n" not in str(problem)


def test_a_workbook_expanding_past_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = _firms_xlsx(tmp_path / "big.xlsx", 1)
    _rewrite_sheet(path, lambda xml: [xml.replace(b"</worksheet>", b"<!--" + b" " * (3 << 20) + b"--></worksheet>")])
    result = cli(make_dir(tmp_path / "data"), "import", str(path), env={"CHAIN_GRAPH_MAX_UNZIPPED_MB": "2"})
    assert result.exit_code == 1 and "解压后超过 2 MB" in result.stderr, result.stderr


def test_row_and_cell_limits_are_configurable_and_hold_for_csv(tmp_path):
    root = make_dir(tmp_path / "data")
    path = write(tmp_path / "list.csv", STANDARD)
    rows = cli(root, "import", str(path), env={"CHAIN_GRAPH_MAX_ROWS": "4"})
    assert rows.exit_code == 1 and "超过 4 行的上限" in rows.stderr, rows.stderr
    cells = cli(root, "import", str(path), env={"CHAIN_GRAPH_MAX_CELLS": "40"})
    assert cells.exit_code == 1 and "超过 40 个单元格的上限" in cells.stderr, cells.stderr


BILLION_LAUGHS = """id: lol
name: 笑
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
links: [*g,*g,*g,*g,*g,*g,*g,*g,*g]
"""


def test_a_yaml_alias_bomb_is_refused_with_its_line(tmp_path):
    root = make_dir(tmp_path / "data", **{"chains/lol.yaml": BILLION_LAUGHS})
    result = cli(root, "validate")
    assert result.exit_code == 1
    assert "chains/lol.yaml 第4行" in result.stderr and "不接受 YAML 别名" in result.stderr, result.stderr


def test_yaml_refusals_read_in_the_users_language(tmp_path):
    root = make_dir(tmp_path / "data", **{"chains/lol.yaml": BILLION_LAUGHS,
                                          "region.yaml": "province: 甘肃省\ncity: 金昌市\ncity: 兰州市\n"})
    result = cli(root, "--lang", "en", "validate")
    assert result.exit_code == 1
    assert "YAML aliases (*name) are not accepted" in result.stderr, result.stderr
    assert "the key city is repeated (first on line 2)" in result.stderr, result.stderr
    assert "不接受" not in result.stderr and "重复" not in result.stderr, result.stderr


@pytest.mark.parametrize("text, line, key", [
    (CHAIN.replace("  - {id: electrolyte, name: 电解液, stage: 中游,",
                   "  - {id: electrolyte, name: 电解液, stage: 中游, stage: 上游,"), 5, "stage"),
    (CHAIN + "links:\n  - {id: other, name: 别的, stage: 上游}\n", 13, "links"),
])
def test_repeated_yaml_keys_are_errors_with_the_line(tmp_path, text, line, key):
    root = make_dir(tmp_path / "data", **{"chains/battery.yaml": text})
    result = load_directory(root)
    [problem] = [p for p in result.problems if p.is_error and p.location.file == "chains/battery.yaml"]
    assert problem.location.row == line, str(problem)
    assert f"键 {key} 重复" in problem.text()


def test_repeated_keys_in_region_yaml_are_errors_too(tmp_path):
    root = make_dir(tmp_path / "data", **{"region.yaml": "province: 甘肃省\ncity: 金昌市\ncity: 兰州市\n"})
    [problem] = [p for p in load_directory(root).problems if p.is_error]
    assert (problem.location.file, problem.location.row) == ("region.yaml", 3) and "键 city 重复" in problem.text()


# -- hidden characters: one rule for the loader and the import ------------------------------

BAD_CODE = ELECTROLYTE[:-1] + ("0" if ELECTROLYTE[-1] != "0" else "1")  # a wrong check digit


@pytest.mark.parametrize("cell, why", [
    ("本地\x00企业", "U+0000"), ("本地\u202e业企", "U+202E"), ("本地\u2066企业\u2069", "U+2066"),
    ("本地\ufeff企业", "U+FEFF"),
])
def test_hidden_characters_in_a_data_table_are_errors_at_file_row_column(tmp_path, cell, why):
    firms = f"id,name,status,province,city\n{code(1)},本地电芯厂,在业,甘肃省,金昌市\n{code(2)},{cell},在业,甘肃省,金昌市\n"
    root = make_dir(tmp_path / "data", **{"firms.csv": firms})
    [problem] = [p for p in load_directory(root).problems if p.is_error]
    assert (problem.location.file, problem.location.row, problem.location.column) == ("firms.csv", 3, "name")
    assert why in problem.text()


@pytest.mark.parametrize("row, column, why", [
    (firm(code(600, "440300"), "深圳\x00电解液有限公司", "电解液生产"), "name", "U+0000"),
    (firm(code(601, "440300"), "深圳\u202e司公限有液解电", "电解液生产"), "name", "U+202E"),
    (firm(code(602, "440300"), "深圳电解液有限公司", "电解液\ufeff生产"), "scope", "U+FEFF"),
    (firm("\ufeff" + BAD_CODE, "深圳错码有限公司", "电解液生产"), "id", "U+FEFF"),
])
def test_hidden_characters_in_an_import_reject_the_row_at_its_column(tmp_path, row, column, why):
    root = make_dir(tmp_path / "data")
    path = write(tmp_path / "list.csv", [STANDARD[0], row], fmt="utf-8")
    result = cli(root, "import", str(path), "-f", "json")
    assert result.exit_code == 0, result.output
    rejected = [r for r in json.loads(result.stdout)["issues"] if r["section"] == "rejected"]
    assert [(r["row"], r["column"]) for r in rejected] == [(3, column)], rejected
    assert why in rejected[0]["message"]
    ids = (root / "firms.csv").read_text(encoding="utf-8")
    assert BAD_CODE not in ids and ELECTROLYTE in ids


def test_a_bom_before_a_wrong_credit_code_in_a_data_table_does_not_skip_the_check(tmp_path):
    root = make_dir(tmp_path / "data", **{"firms.csv": FIRMS + f"\ufeff{BAD_CODE},坏码企业,在业,广东省,深圳市,\n"})
    problems = [p for p in load_directory(root).problems if p.is_error]
    assert [(p.location.file, p.location.row, p.location.column) for p in problems] == [("firms.csv", 3, "id")]
    assert "U+FEFF" in problems[0].text()
