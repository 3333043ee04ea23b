"""What the pages compute through chain_graph (opportunity list, firm profile, trade partners)
and how they show user text: as text, never as markup."""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from chain_graph_app.web.common import md
from chain_graph.output import rows
from chain_graph.analysis.gaps import chain_gaps
from chain_graph.settings import AnalysisSettings
from chain_graph.analysis.targets import chain_targets
from chain_graph.analysis.firm_profile import find_firms, firm_profile
from chain_graph.store.base import FirmQuery
from chain_graph.store.memory import MemoryStore
from loaders import load_directory
from tests.conftest import L, N, mini_dataset

ROOT = Path(__file__).resolve().parent.parent
PAYLOADS = ["<img src=x onerror=alert(1)>", "[点我](javascript:alert(1))", "**粗体** :red[红] $x$ `code`"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_escape_shows_the_text_as_typed(payload):
    rendered = MarkdownIt().render(md(payload))
    assert "<img" not in rendered and "<a" not in rendered and "<strong" not in rendered and "<code" not in rendered
    assert rendered.strip() == "<p>" + payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</p>"


def test_opportunity_sheet_one_row_per_wanted_link(mini_store):
    settings = AnalysisSettings()
    gaps = chain_gaps(mini_store, "mini", settings)
    targets = chain_targets(mini_store, gaps, settings)
    sheet = rows.opportunity_sheet(gaps, targets, top=2)
    assert [r["环节"] for r in sheet] == [g.link.name for g in gaps.wanted]
    first = sheet[0]
    assert first["断点"] == "#1" and first["为什么招（依据）"].startswith("断点")
    best = [x for x in targets if x.link_id == gaps.wanted[0].link.id]
    assert first["候选企业数"] == len(best)
    assert first["重点招商目标"] == "；".join(f"{x.firm_name}（{x.score}分）" for x in best[:2])
    assert first["首选目标理由"] == "；".join(best[0].reasons_text())
    assert all(r["重点招商目标"] == "" for r in sheet if r["候选企业数"] == 0)


def test_opportunity_sheet_in_english(mini_store):
    settings = AnalysisSettings()
    gaps = chain_gaps(mini_store, "mini", settings)
    sheet = rows.opportunity_sheet(gaps, chain_targets(mini_store, gaps, settings), "en")
    assert {"link", "why it is wanted", "top targets"} <= set(sheet[0])


def test_trade_partners_by_role(mini_store):
    (customer,) = mini_store.trade_partners(N["N5"])
    assert (customer.role, customer.firm_id, customer.name, customer.local, customer.product) == (
        "customer", L["L8"], "本地电芯一", True, "电解液")
    (supplier,) = mini_store.trade_partners(L["L8"])
    assert (supplier.role, supplier.name, supplier.local) == ("supplier", "深圳电解液集团", False)
    assert mini_store.trade_partners("unknown") == []


def test_firm_profile(mini_store):
    profile = firm_profile(mini_store, L["L8"])
    assert profile.record.firm.name == "本地电芯一" and [link.id for link in profile.record.links] == ["cell"]
    assert [p.name for p in profile.suppliers] == ["深圳电解液集团"] and profile.customers == ()
    assert firm_profile(mini_store, "nope") is None


def test_firm_profile_lists_the_firms_projects():
    ds = mini_dataset()
    ds.projects = [p.model_copy(update={"firm_id": L["L4"]}) if p.id == "P1" else p for p in ds.projects]
    store = MemoryStore()
    store.load(ds)
    assert [p.id for p in firm_profile(store, L["L4"]).projects] == ["P1"]


def test_find_firms_filters_tags_before_the_limit(mini_store):
    assert "500强" not in mini_store.firms(FirmQuery(limit=1))[0].firm.tags  # the first firm overall
    found = find_firms(mini_store, FirmQuery(limit=1), ["500强"])
    assert [r.firm.name for r in found] == ["已注销隔膜巨头"]
    assert len(find_firms(mini_store, FirmQuery(), ["500强"])) == 2
    assert len(find_firms(mini_store, FirmQuery(limit=3))) == 3


def test_a_firm_named_like_markup_shows_as_text(tmp_path, monkeypatch):
    """The shipped data with one local firm renamed to an HTML payload, through the real pages."""
    payload = PAYLOADS[0]
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    firms = pd.read_csv(data / "firms.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    links = pd.read_csv(data / "firm_links.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    local = firms[(firms["city"] == "金昌市") & firms["id"].isin(links["firm_id"])].index[0]
    firm_id = firms.loc[local, "id"]
    firms.loc[local, "name"] = payload
    firms.to_csv(data / "firms.csv", index=False)
    monkeypatch.setenv("CHAIN_GRAPH_DATA", str(data))
    monkeypatch.delenv("CHAIN_GRAPH_PASSWORD", raising=False)

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("chain_graph_app/web/firms.py").run()
    at.text_input(key="firms.text").input(firm_id).run()
    assert not at.exception
    assert at.subheader[0].value == md(payload)
    assert MarkdownIt().render(at.subheader[0].value).count("<img") == 0

    link_id = links[links["firm_id"] == firm_id]["link_id"].iloc[0]
    at.session_state["kept.chain"] = next(link.chain for link in load_directory(data).dataset.links
                                          if link.id == link_id)
    at.switch_page("chain_graph_app/web/chain_map.py").run()
    at.selectbox(key="map_link").set_value(link_id).run()
    assert not at.exception
    drawn = json.loads(at.get("bidi_component")[0].proto.json)["svg"]
    assert payload not in drawn and html.escape(payload) in drawn  # labels and tooltips are escaped in the SVG
    evidence = "\n".join(m.value for m in at.markdown)
    assert payload not in evidence and md(payload) in evidence
