"""The one search box's store read (GraphStore.search): firms by name or credit code, links by name or
keyword, projects by name, code or builder; best matches first; in any case; capped per kind."""

from __future__ import annotations

from chain_graph.store.base import Hit, search_words
from tests.conftest import L, N


def test_search_finds_every_kind_best_match_first(mini_store):
    found = mini_store.search("电解液")
    assert [(h.kind, h.name) for h in found.of("firm")] == [("firm", "成都电解液"), ("firm", "深圳电解液集团")]
    assert found.of("project") == [Hit("project", "P2", "电解液谋划项目", status="planning")]
    assert found.total == {"firm": 2, "link": 0, "project": 1}
    # an exact name comes before longer names holding it; local firms before others
    assert [h.name for h in mini_store.search("隔膜").of("firm")] == ["兰州隔膜科技", "江苏隔膜股份", "已注销隔膜巨头"]
    assert [h.name for h in mini_store.search("本地").of("firm")][:2] == ["本地电容", "本地铜业"]  # by code point, as both stores sort


def test_search_by_credit_code_code_and_link_in_any_case(mini_store):
    assert mini_store.search(f"  {N['N4'].lower()} ").of("firm") == [
        Hit.firm(N["N4"], "成都电解液", "四川省", "成都市", False)]
    assert mini_store.search(L["L3"]).of("firm") == [Hit("firm", L["L3"], "本地镍盐", "甘肃省 金昌市", True)]
    assert mini_store.search("p3").of("project")[0].name == "电池包项目"
    assert mini_store.search("CATHODE").of("link") == [Hit("link", "cathode", "cathode", chain="mini")]


def test_search_caps_each_kind_and_counts_all(mini_store):
    found = mini_store.search("本地", limit=3)
    assert len(found.of("firm")) == 3 and found.total["firm"] == 11
    assert mini_store.search("   ").hits == () and search_words(" \t") is None
    assert mini_store.search("无此企业").total == {"firm": 0, "link": 0, "project": 0}


def test_the_box_on_the_overview_opens_a_firm_a_project_and_a_link(monkeypatch):
    """The page as Streamlit runs it (AppTest): hits grouped by kind, each opening what it names."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    root = Path(__file__).resolve().parent.parent
    monkeypatch.setenv("CHAIN_GRAPH_DATA", str(root / "data"))
    monkeypatch.delenv("CHAIN_GRAPH_STORE", raising=False)
    monkeypatch.delenv("CHAIN_GRAPH_PASSWORD", raising=False)
    at = AppTest.from_file(str(root / "app.py"), default_timeout=60).run()
    at.text_input(key="search.text").input("电池").run()
    kinds = [m.value for m in at.markdown if m.value.startswith("**")][:3]
    assert [k.split("（")[0].strip("*") for k in kinds] == ["企业", "环节", "项目"]
    firm = next(b for b in at.button if b.key.startswith("search.firm."))
    firm.click().run()
    assert firm.label.split(" · ")[0] in [s.value for s in at.subheader]
    project = next(b for b in at.button if b.key.startswith("search.project."))
    project.click().run()
    assert project.label.split(" · ")[0] in [s.value for s in at.subheader]
    link = next(b for b in at.button if b.key.startswith("search.link."))
    link.click().run()
    assert not at.exception and at.title[0].value == "产业链图谱"
    assert link.label.split(" · ")[0] in [s.value for s in at.subheader]
