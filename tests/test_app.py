"""Every page of the app opens and shows real answers (Streamlit AppTest, no browser).

Expectations are read from the analysis functions on the shipped data, never hard-coded
counts, so the tests hold while the data grows.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from chain_graph.analysis.gaps import Status, chain_gaps
from chain_graph.analysis.overview import overview
from chain_graph.analysis.projects import RATES, ledger
from chain_graph.i18n import t
from chain_graph.analysis.targets import chain_targets
from chain_graph.store.base import FirmQuery
from chain_graph.store.memory import MemoryStore
from loaders import load_directory

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
CHAIN = "new_energy_battery"
PAGES = ("overview", "chain_map", "gaps", "target_map", "firms", "projects", "data")


@pytest.fixture(scope="module")
def shipped():
    result = load_directory(ROOT / "data")
    store = MemoryStore()
    store.load(result.dataset)
    return store, result.settings


@pytest.fixture(autouse=True)
def shipped_data(monkeypatch):
    monkeypatch.setenv("CHAIN_GRAPH_DATA", str(ROOT / "data"))
    monkeypatch.delenv("CHAIN_GRAPH_STORE", raising=False)
    monkeypatch.delenv("CHAIN_GRAPH_PASSWORD", raising=False)


def open_page(page: str, english: bool = False) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["kept.chain"] = CHAIN
    if english:
        at.session_state["lang_choice"] = "English"
    at.run()
    if page != "overview":
        at.switch_page(f"chain_graph_app/web/{page}.py").run()
    assert not at.exception, at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("english", [False, True], ids=["zh", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens(page, english):
    at = open_page(page, english)
    assert at.title[0].value


def test_overview_has_a_row_of_kpis_per_chain(shipped):
    store, settings = shipped
    summaries = overview(store, settings)
    table = open_page("overview").dataframe[0].value
    assert list(table["产业链"]) == [c.name for c in store.chains()]
    assert list(table["缺链"]) == [s.missing for s in summaries]
    assert list(table["本地企业"]) == [s.local_firms for s in summaries]
    assert {"环节数", "项目数", "总投资（亿元）", "在建补链", "弱链", "强链", "本地供应率"} <= set(table.columns)


def test_chain_map_draws_the_chain_and_opens_a_link_panel(shipped):
    store, settings = shipped
    gaps = chain_gaps(store, CHAIN, settings)
    at = open_page("chain_map")
    (component,) = at.get("bidi_component")
    page = json.loads(component.proto.json)["svg"]
    missing = [g for g in gaps.links if g.status is Status.MISSING]
    assert missing and all(g.link.name in page for g in missing)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)  # the map fetches nothing
    assert not re.search(r"https?:|\bimport\b|fetch\(|XMLHttpRequest", component.proto.js_content)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels[-3:] == ["招商简报（Word）", "招商简报（PPT）", "招商简报（PDF）"]  # the briefing in three formats

    picker = at.selectbox(key="map_link")
    wanted = next(g for g in gaps.wanted if chain_targets(store, gaps, settings, link_id=g.link.id))
    picker.set_value(wanted.link.id).run()
    assert at.subheader[0].value.replace("\\", "") == wanted.link.name
    best = chain_targets(store, gaps, settings, link_id=wanted.link.id)[0]
    assert at.table[0].value["企业名称"].iloc[0] == best.firm_name
    assert [tab.label for tab in at.tabs][-1] == "招商目标"


def test_gap_workbench_lists_wanted_links_and_ranked_targets(shipped):
    store, settings = shipped
    gaps = chain_gaps(store, CHAIN, settings)
    at = open_page("gaps")
    assert int(metrics(at)["缺链"]) == gaps.count(Status.MISSING) > 0
    opportunities, targets = at.dataframe[0].value, at.dataframe[1].value
    assert list(opportunities["环节"]) == [g.link.name for g in gaps.wanted]
    assert "断点" in opportunities.columns and opportunities["为什么招（依据）"].str.len().min() > 0
    ranked = chain_targets(store, gaps, settings)
    assert len(targets) == len(ranked) > 0
    assert list(targets["企业名称"][:3]) == [x.firm_name for x in ranked[:3]]
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["下载 Excel", "下载 CSV"] * 2


def test_long_target_list_is_paged_and_workbooks_wait_for_a_click(shipped, monkeypatch):
    import chain_graph.output.deliverables as deliverables
    import chain_graph_app.web.common as common

    store, settings = shipped
    ranked = chain_targets(store, chain_gaps(store, CHAIN, settings), settings)
    monkeypatch.setattr(common, "PAGE_ROWS", 3)
    built = []
    monkeypatch.setattr(deliverables, "targets_workbook", lambda *a, **k: built.append(a) or (None, b""))
    at = open_page("gaps")
    assert len(ranked) > 6
    assert list(at.dataframe[1].value["企业名称"]) == [x.firm_name for x in ranked[:3]]
    at.number_input(key="targets.page").set_value(2).run()
    assert not at.exception
    assert list(at.dataframe[1].value["企业名称"]) == [x.firm_name for x in ranked[3:6]]
    assert list(at.dataframe[1].value["排名"]) == [x.rank for x in ranked[3:6]]
    assert built == []  # the download buttons hold a builder, called when clicked
    assert [b.proto.label for b in at.get("download_button")] == ["下载 Excel", "下载 CSV"] * 2


def test_weights_move_the_ranking():
    at = open_page("gaps")
    before = list(at.dataframe[1].value["企业名称"])
    for name in ("scale", "tags", "ties", "evidence", "leader", "size", "paid_in", "age", "listed"):
        at.slider(key=f"weight.{name}").set_value(0.0)
    at.slider(key="weight.proximity").set_value(1.0).run()
    after = at.dataframe[1].value
    assert list(after["企业名称"]) != before
    assert set(after["得分"]) <= {0.0, 60.0, 100.0}


def test_filters_narrow_the_targets(shipped):
    at = open_page("gaps")
    everyone = at.dataframe[1].value
    province = everyone["省份"].mode()[0]
    at.multiselect(key="filter.provinces").set_value([province]).run()
    assert set(at.dataframe[1].value["省份"]) == {province}
    first = at.dataframe[1].value["统一社会信用代码"].iloc[0]
    at.multiselect(key="filter.contacted").set_value([first]).run()
    assert first not in set(at.dataframe[1].value["统一社会信用代码"])
    at.multiselect(key="filter.provinces").set_value([]).run()
    at.number_input(key="filter.capital").set_value(100_000_000).run()  # 1 万亿元: nobody
    assert "没有可推荐" in at.info[0].value


def test_english_switch():
    at = open_page("gaps", english=True)
    assert {"missing", "pipeline", "weak", "strong"} <= set(metrics(at))
    assert "rank" in at.dataframe[1].value.columns


def test_after_the_pipeline_lands_has_no_pipeline_links():
    at = open_page("gaps")
    at.toggle(key="landed").set_value(True).run()
    assert metrics(at)["在建补链"] == "0"


def test_chain_and_landed_follow_the_user_across_pages():
    at = open_page("gaps")
    at.toggle(key="landed").set_value(True).run()
    at.switch_page("chain_graph_app/web/chain_map.py").run()
    assert at.selectbox(key="chain").value.id == CHAIN
    assert at.toggle(key="landed").value is True


def test_firm_page_shows_links_projects_and_trade_partners(shipped):
    store, _ = shipped
    firm = next(r.firm for r in store.firms(FirmQuery(local=True)) if store.trade_partners(r.firm.id))
    partner = store.trade_partners(firm.id)[0]
    at = open_page("firms")
    at.text_input(key="firms.text").input(firm.id).run()
    assert list(at.dataframe[0].value["统一社会信用代码"]) == [firm.id]
    assert at.subheader[0].value.replace("\\", "") == firm.name
    shown = {name for frame in at.dataframe[1:] for name in frame.value.get("企业名称", [])}
    assert partner.name in shown


def test_firm_filters(shipped):
    store, _ = shipped
    at = open_page("firms")
    at.selectbox(key="firms.local").set_value(False).run()
    assert set(at.dataframe[0].value["本地企业"]) == {""}
    at.multiselect(key="firms.tags").set_value(["上市"]).run()
    assert all("上市" in tags for tags in at.dataframe[0].value["标签"])


def test_project_ledger_totals_and_rates(shipped):
    store, _ = shipped
    books = ledger(store.projects(), date.today())
    at = open_page("projects")
    shown = metrics(at)
    assert int(shown["项目数"]) == books.count > 0
    assert {t(f"rate.{key}") for key in RATES} <= set(shown)
    assert len(at.dataframe[0].value) == books.count
    at.multiselect(key="projects.status").set_value([books.by_status[0].status]).run()
    assert int(metrics(at)["项目数"]) == books.by_status[0].count


def test_pages_share_one_load_of_the_data_until_a_file_changes(tmp_path, monkeypatch):
    import os
    import shutil

    import chain_graph_app.service.opening as opening

    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.setenv("CHAIN_GRAPH_DATA", str(tmp_path / "data"))
    calls = []
    real = opening.open_data
    monkeypatch.setattr(opening, "open_data", lambda *a: calls.append(a) or real(*a))
    at = AppTest.from_file(APP, default_timeout=60).run()
    for page in PAGES[1:]:
        at.switch_page(f"chain_graph_app/web/{page}.py").run()
        assert not at.exception
    assert len(calls) == 1
    second = AppTest.from_file(APP, default_timeout=60).run()  # another visitor: the same opened data
    assert not second.exception and len(calls) == 1
    projects = tmp_path / "data" / "projects.csv"
    os.utime(projects, ns=(projects.stat().st_atime_ns, projects.stat().st_mtime_ns + 10**9))  # a copy, an import
    at.switch_page("chain_graph_app/web/overview.py").run()
    assert not at.exception and len(calls) == 2 and at.title[0].value == "产业链总览"


def test_password_gate_shows_nothing_before_sign_in(monkeypatch):
    monkeypatch.setenv("CHAIN_GRAPH_PASSWORD", "s3cret")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert not at.dataframe and not at.metric and not at.get("iframe")
    at.text_input[1].input("s3cret")
    at.button[0].click().run()
    assert at.error and not at.dataframe  # a name is needed: it goes into the history of what one changes
    at.text_input[0].input("张三")
    at.text_input[1].input("wrong")
    at.button[0].click().run()
    assert at.error and not at.dataframe
    at.text_input[1].input("s3cret")
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == "产业链总览" and at.dataframe
    assert at.session_state["user_name"] == "张三"


def test_oidc_gate_when_auth_is_configured():
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x",
                          "client_id": "x", "client_secret": "x", "server_metadata_url": "http://idp/.well-known"}
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["使用单位账号登录"] and not at.dataframe
    at.user = {"is_logged_in": True, "email": "analyst@example.org"}
    at.run()
    assert at.title[0].value == "产业链总览" and at.dataframe
