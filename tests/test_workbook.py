"""Leader-ready workbooks: title block, 口径, 示例数据 notice, autofilter, wrapping, print set-up,
numbers as numbers and unknown as the one marker — read back with openpyxl on the shipped data."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from chain_graph.analysis.gaps import chain_gaps
from chain_graph.analysis.projects import ledger
from chain_graph.analysis.targets import chain_targets
from chain_graph.i18n import t
from chain_graph.output.deliverables import (
    firms_workbook, ledger_workbook, opportunities_workbook, targets_workbook)
from chain_graph.output.workbook import Heading, Sheet, file_name, header_row_of, workbook_bytes
from chain_graph.store.base import FirmQuery
from chain_graph.store.memory import MemoryStore
from loaders import load_directory

DATA = Path(__file__).resolve().parent.parent / "data"
BATTERY = "new_energy_battery"
DAY = date(2026, 12, 2)


@pytest.fixture(scope="module")
def shipped():
    result = load_directory(DATA)
    store = MemoryStore()
    store.load(result.dataset)
    gaps = chain_gaps(store, BATTERY, result.settings)
    return store, result.settings, gaps, chain_targets(store, gaps, result.settings)


def sheets(data: bytes):
    return load_workbook(io.BytesIO(data)).worksheets


def texts(ws) -> list[str]:
    return [str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None]


def assert_leader_ready(ws, title: str, chain: str | None) -> int:
    """Title block above an autofiltered, printable table; returns the header row."""
    assert ws["A1"].value.startswith(title) and (chain is None or chain in ws["A1"].value)
    assert ws["A1"].font.bold
    block = [ws.cell(row=r, column=1).value or "" for r in range(1, header_row_of(ws))]
    assert any(line.startswith("生成日期：2026-12-02") and "数据版本：" in line for line in block)
    assert any(line.startswith("口径：") for line in block)
    first = header_row_of(ws)
    assert ws.auto_filter.ref.startswith(f"A{first}:") and ws.auto_filter.ref.endswith(str(ws.max_row))
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"${first}:${first}"
    assert ws.freeze_panes == f"A{first + 1}"
    for value in texts(ws):
        assert value not in ("None", "nan", "NaN"), value
    return first


def column(ws, name: str) -> list:
    first = header_row_of(ws)
    header = [c.value for c in ws[first]]
    index = header.index(name)
    return [row[index] for row in ws.iter_rows(min_row=first + 1, values_only=True)]


def test_targets_workbook(shipped):
    store, settings, gaps, targets = shipped
    heading, data = targets_workbook(gaps, targets, settings.weights, store.version(), ["省份：全部"], made=DAY)
    (ws,) = sheets(data)
    assert_leader_ready(ws, "招商目标清单", "新能源和新能源电池")
    block = texts(ws)[:6]
    assert any("评分权重 规模0.3" in line and "省份：全部" in line for line in block)
    assert column(ws, "排名") == list(range(1, len(targets) + 1))
    assert all(isinstance(v, (int, float)) for v in column(ws, "得分"))
    reasons = header_row_of(ws) + 1, [c.value for c in ws[header_row_of(ws)]].index("理由") + 1
    assert ws.cell(*reasons).alignment.wrap_text
    sample = any(x.sample for x in targets)
    assert sample == any(t("wb.sample") in v for v in block)
    assert file_name(heading) == "招商目标清单_新能源和新能源电池_2026-12-02.xlsx"


def test_opportunities_store_rates_as_numbers_and_one_target_a_row(shipped):
    store, settings, gaps, targets = shipped
    _, data = opportunities_workbook(gaps, targets, settings.weights, store.version(), made=DAY)
    links, per_target = sheets(data)
    assert_leader_ready(links, "投资机会清单", "新能源和新能源电池")
    assert_leader_ready(per_target, "投资机会清单", "新能源和新能源电池")
    rates = column(links, "投入本地供应率")
    assert all(isinstance(v, (int, float)) or v == "无数据" for v in rates) and any(isinstance(v, (int, float)) for v in rates)
    first = header_row_of(links) + 1
    index = [c.value for c in links[first - 1]].index("投入本地供应率") + 1
    assert links.cell(first, index).number_format.endswith("%") or links.cell(first, index).value == "无数据"
    met = dict(zip(column(links, "环节"), column(links, "本地满足率")))
    missing = [g.link.name for g in gaps.links if g.status.value == "missing"]
    assert all(met[name] in (0.0, "无数据") for name in missing if name in met)  # a 缺链 never reads 100%
    firms = column(per_target, "企业名称")
    assert firms and all("；" not in f for f in firms)  # one firm a row, not three in a cell


def test_ledger_and_firms_workbooks(shipped):
    store, _, _, _ = shipped
    projects = store.projects(None)
    books = ledger(projects, DAY)
    _, data = ledger_workbook(projects, books, {l.id: l.name for l in store.links()}, {}, store.version(), made=DAY)
    items, rates = sheets(data)
    assert_leader_ready(items, "项目台账", None)
    assert_leader_ready(rates, "项目台账", None)
    money = column(items, "总投资（亿元）")
    assert all(isinstance(v, (int, float)) or v == "无数据" for v in money)
    _, data = firms_workbook(store.firms(FirmQuery(local=True)), store.version(), ["属地：本地"], made=DAY)
    (ws,) = sheets(data)
    assert_leader_ready(ws, "企业名单", None)


def test_unknown_is_the_one_marker_and_text_is_formula_safe():
    heading = Heading("清单", DAY, sample=True)
    (ws,) = sheets(workbook_bytes(heading, [Sheet("表", [{"名称": "=cmd()", "金额": None, "率": float("nan")}])]))
    first = header_row_of(ws)
    assert [c.value for c in ws[first + 1]] == ["'=cmd()", "无数据", "无数据"]
    assert ws.cell(first - 2, 1).value == t("wb.sample") and ws.cell(first - 2, 1).font.color.rgb.endswith("C00000")
