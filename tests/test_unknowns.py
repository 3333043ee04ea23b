"""Unknown is never shown as zero, None or nan: every page of the app on the shipped data, read as a
user reads it (metrics, tables, text). The shipped ledger states no amounts, so totals must say so."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from loaders import load_directory

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("overview", "chain_map", "gaps", "target_map", "firms", "leads", "projects", "data")
RAW = {"None", "nan", "NaN", "NaT", "<NA>"}


@pytest.fixture(autouse=True)
def shipped_data(monkeypatch):
    monkeypatch.setenv("CHAIN_GRAPH_DATA", str(ROOT / "data"))
    monkeypatch.delenv("CHAIN_GRAPH_STORE", raising=False)
    monkeypatch.delenv("CHAIN_GRAPH_PASSWORD", raising=False)


def page_text(at: AppTest) -> list[str]:
    out = [f"{m.label}={m.value}" for m in at.metric]
    for kind in ("markdown", "caption", "subheader", "title", "info", "success", "warning"):
        out += [str(e.value) for e in getattr(at, kind)]
    for frame in [d.value for d in at.dataframe] + [t.value for t in at.table]:
        frame = frame.data if hasattr(frame, "data") else frame  # a Styler
        out += [str(v) for v in pd.DataFrame(frame).to_numpy().ravel()]
    return out


@pytest.mark.parametrize("page", PAGES)
def test_no_page_shows_raw_unknowns(page):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["kept.chain"] = "new_energy_battery"
    at.run()
    if page != "overview":
        at.switch_page(f"chain_graph_app/web/{page}.py").run()
    assert not at.exception, at.exception
    text = page_text(at)
    assert text
    raw = [v for v in text if v in RAW or v.endswith(("=None", "=nan"))]
    assert not raw, raw
    assert not [v for v in text if "0.00 亿元" in v or v.endswith("=0.00")]


def test_investment_totals_say_how_many_are_unknown():
    projects = load_directory(ROOT / "data").dataset.projects
    unknown = sum(p.investment is None for p in projects)
    assert unknown  # the shipped ledger leaves amounts blank
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    total = next(m for m in at.metric if m.label == "总投资")  # the figure, and the count unknown under it
    assert total.value == "无数据" and total.proto.delta == f"{unknown}个项目无金额"
    at.switch_page("chain_graph_app/web/projects.py").run()
    assert next(m for m in at.metric if m.label == "总投资").proto.delta.endswith("个项目无金额")
