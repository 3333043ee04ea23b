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
