"""The CLI contract: exit codes, JSON shapes and the export file, on the shipped data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from chain_graph_app.cli import app
from chain_graph.output.workbook import header_row_of

DATA = Path(__file__).resolve().parent.parent / "data"
BATTERY = "new_energy_battery"
runner = CliRunner()


def run(*args: str, data: Path = DATA):
    return runner.invoke(app, ["--data", str(data), *args])


def as_json(*args: str):
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_validate_shipped_data_is_clean():
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert "通过：9 条产业链" in result.stdout


def test_chains_json_shape():
    chains = as_json("chains")
    keys = {"id", "name", "links", "firms", "local_firms", "projects", "missing", "pipeline", "weak", "strong",
            "local_supply_rate"}
    assert chains and all(keys <= set(c) for c in chains)
    battery = next(c for c in chains if c["id"] == BATTERY)
    assert battery["links"] >= 15
    assert battery["missing"] + battery["pipeline"] + battery["weak"] + battery["strong"] == battery["links"]


def test_gaps_json_shape():
    doc = as_json("gaps", "--chain", BATTERY)
    assert set(doc) >= {"chain", "basis", "local_supply_rate", "links"}
    assert doc["chain"]["id"] == BATTERY
    link_keys = {"id", "name", "stage", "status", "local_firms", "pipeline_projects", "local_supply_rate",
                 "break_point", "evidence"}
    assert all(link_keys <= set(link) for link in doc["links"])
    assert {link["status"] for link in doc["links"]} == {"missing", "pipeline", "weak", "strong"}
    assert any(link["break_point"] for link in doc["links"])
    assert all(link["evidence"] for link in doc["links"])


def test_gaps_evidence_in_english():
    doc = json.loads(runner.invoke(app, ["--data", str(DATA), "--lang", "en", "gaps", "--chain", BATTERY,
                                         "-f", "json"]).stdout)
    assert any("local firm" in e for link in doc["links"] for e in link["evidence"])


def test_targets_json_shape_and_order():
    targets = as_json("targets", "--chain", BATTERY, "--top", "3")["targets"]
    assert targets
    assert all({"link_id", "link_name", "firm_id", "firm_name", "score", "reasons"} <= set(t) for t in targets)
    order = [(not t["leader_supplier"], -t["score"]) for t in targets]
    assert order == sorted(order)  # firms already supplying a local chain leader first, then by score
    assert any(t["leader_supplier"] for t in targets) and not all(t["leader_supplier"] for t in targets)
    assert all(t["reasons"] for t in targets)


def test_targets_never_include_inactive_or_local_firms():
    firms = {f["id"]: f for f in as_json("firms")}
    for target in as_json("targets", "--chain", BATTERY, "--top", "50")["targets"]:
        firm = firms[target["firm_id"]]
        assert firm["status"] == "active" and not firm["local"]


def test_targets_xlsx_export(tmp_path):
    out = tmp_path / "t.xlsx"
    result = run("targets", "--chain", BATTERY, "--out", str(out))
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    assert sheet["A1"].value.startswith("招商目标清单（新能源和新能源电池）")
    first = header_row_of(sheet)
    rows = list(sheet.iter_rows(min_row=first, values_only=True))
    assert rows[0][:2] == ("排名", "环节") and len(rows) > 1
    assert [r[0] for r in rows[1:]] == list(range(1, len(rows)))


def test_targets_csv_export_has_bom(tmp_path):
    out = tmp_path / "t.csv"
    assert run("targets", "--chain", BATTERY, "--out", str(out)).exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_links_and_firms_shape():
    links = as_json("links", "--chain", BATTERY)
    assert all({"id", "name", "chain", "stage", "feeds_to", "fed_by"} <= set(link) for link in links)
    assert any(link["feeds_to"] for link in links)
    firms = as_json("firms", "--chain", BATTERY, "--local")
    assert firms and all(f["local"] for f in firms)
    assert all({"id", "name", "status", "province", "city", "local", "tags", "links"} <= set(f) for f in firms)
    assert all({"id", "name"} <= set(link) for f in firms for link in f["links"])


def test_firm_query_by_name_part():
    name = as_json("firms")[0]["name"]
    assert [f["name"] for f in as_json("firms", "--query", name[:4])][0].startswith(name[:4])


def test_projects_json_has_rates():
    doc = as_json("projects", "--as-of", "2025-06-30")
    assert doc["count"] == len(doc["projects"]) > 0
    assert {r["key"] for r in doc["rates"]} == {
        "start_rate", "investment_completion", "year_completion", "funds_in_place", "on_time_completion", "fulfilment",
        "at_capacity"}


@pytest.mark.parametrize("args", [
    ("gaps", "--chain", "no_such_chain"),
    ("gaps",),  # --chain is required
    ("targets", "--chain", BATTERY, "--out", "t.pdf"),
    ("projects", "--as-of", "yesterday"),
    ("--store", "bolt://127.0.0.1:1", "chains"),
])
def test_usage_errors_exit_2_without_traceback(args):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_missing_data_directory_is_a_usage_error(tmp_path):
    result = run("chains", data=tmp_path / "nowhere")
    assert result.exit_code == 2 and "不存在" in result.output
    english = runner.invoke(app, ["--data", str(tmp_path / "nowhere"), "--lang", "en", "chains"])
    assert english.exit_code == 2 and "does not exist" in english.output


def test_invalid_data_exits_1_and_names_file_row_and_column(tmp_path):
    broken = tmp_path / "data"
    shutil.copytree(DATA, broken)
    lines = (broken / "firm_links.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].split(",")[0] + ",no_such_link,,,illustrative"
    (broken / "firm_links.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for command in (("validate",), ("chains",)):
        result = run(*command, data=broken)
        assert result.exit_code == 1, result.output
        assert "firm_links.csv 第2行「link_id」列" in result.output and "不存在的环节编号 no_such_link" in result.output
        assert "Traceback" not in result.output
