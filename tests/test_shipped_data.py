"""Invariants of the shipped data in data/: the nine chains the seed speech plans for, its projects
and local firms with the sentence each came from, and illustrative candidates for the gaps.

These pin what later edits must not quietly break; the numbers themselves live in the data.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

import loaders
from chain_graph import creditcode, units
from chain_graph.analysis.gaps import Status, chain_gaps
from chain_graph.settings import AnalysisSettings
from chain_graph.analysis.targets import chain_targets
from chain_graph.model import Stage
from chain_graph.store.memory import MemoryStore

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SEED = ROOT / "docs" / "sources" / "seed-speech-2023.txt"
SPEECH = "种子讲话"
QUOTE_OPEN = "种子讲话：“"

NAMED = {  # the six chains the speech names, mapped in depth
    "nonferrous_materials": "有色金属新材料",
    "new_energy_battery": "新能源和新能源电池",
    "digital_economy": "数字经济",
    "chemical_circular": "化工循环",
    "resource_recycling": "资源综合利用",
    "vegetable_forage_livestock": "高品质菜草畜",
}
SUPPORTING = {"clean_power_storage", "culture_tourism", "trade_logistics"}  # mapped lightly
BATTERY = "new_energy_battery"
WISH_LIST = {  # 积极引进碳酸酯、隔膜、SBR、PVDF、铝塑膜等项目
    "carbonate_solvent": "碳酸酯", "separator": "隔膜", "sbr_binder": "SBR", "pvdf_binder": "PVDF",
    "aluminum_laminate_film": "铝塑膜",
}
BOILERPLATE = {"技术服务", "技术开发", "技术咨询", "技术交流", "技术转让", "技术推广", "货物进出口", "技术进出口",
               "进出口", "销售", "生产", "制造", "加工", "研发", "一般项目", "许可项目"}
SETTINGS = AnalysisSettings()


@pytest.fixture(scope="module")
def loaded():
    result = loaders.load_directory(DATA)
    assert result.ok, [str(p) for p in result.problems]
    assert not result.problems, [str(p) for p in result.problems]  # no warnings either
    return result.dataset


@pytest.fixture(scope="module")
def store(loaded):
    s = MemoryStore()
    s.load(loaded)
    return s


@pytest.fixture(scope="module")
def speech() -> str:
    return SEED.read_text(encoding="utf-8")


def quoted_pieces(source: str) -> list[str]:
    """The fragments of the speech a source quotes: 种子讲话：“a…b”（note） gives [a, b]."""
    assert source.startswith(QUOTE_OPEN), source
    body = source[len(QUOTE_OPEN):source.rindex("”")]
    pieces = [p for p in body.split("…") if p]
    assert pieces, source
    return pieces


def check_quote(source: str, speech: str) -> None:
    pieces = quoted_pieces(source)
    missing = [p for p in pieces if p not in speech]
    assert not missing, f"not in the speech: {missing} (source {source!r})"


def in_chain_graph(ds, chain_id: str) -> nx.DiGraph:
    ids = {link.id for link in ds.links if link.chain == chain_id}
    graph = nx.DiGraph()
    graph.add_nodes_from(ids)
    graph.add_edges_from((e.source, e.target) for e in ds.feeds if e.source in ids and e.target in ids)
    return graph


# -- chains and links ------------------------------------------------------------------------

def test_nine_chains_with_their_link_counts(loaded):
    chains = {c.id: c for c in loaded.chains}
    assert set(chains) == set(NAMED) | SUPPORTING
    for chain_id, name in NAMED.items():
        assert chains[chain_id].name == name
    counts = Counter(link.chain for link in loaded.links)
    for chain_id in NAMED:
        assert counts[chain_id] >= 15, chain_id
    for chain_id in SUPPORTING:
        assert counts[chain_id] >= 8, chain_id


def test_every_chain_and_link_says_where_it_came_from(loaded, speech):
    for record in (*loaded.chains, *loaded.links):
        assert record.source, record.id
        if record.source.startswith(SPEECH):
            check_quote(record.source, speech)
        else:
            assert "illustrative" in record.source, record.id


def test_links_have_specific_keywords(loaded):
    for link in loaded.links:
        assert link.keywords, link.id
        assert not BOILERPLATE.intersection(link.keywords), (link.id, link.keywords)
        assert all(code.isdigit() and len(code) == 4 for code in link.industry_codes), link.id


def test_no_orphan_links(loaded):
    in_edges = {e.source for e in loaded.feeds} | {e.target for e in loaded.feeds}
    assert [link.id for link in loaded.links if link.id not in in_edges] == []


def test_feeds_are_acyclic_inside_each_chain(loaded):
    for chain in loaded.chains:
        graph = in_chain_graph(loaded, chain.id)
        assert nx.is_directed_acyclic_graph(graph), (chain.id, list(nx.simple_cycles(graph))[:3])


def test_feeds_run_from_raw_material_to_end_use(loaded):
    has_input = {e.target for e in loaded.feeds}
    stage = {link.id: link.stage for link in loaded.links}
    for chain in loaded.chains:
        graph = in_chain_graph(loaded, chain.id)
        ends = {n for n in graph if graph.out_degree(n) == 0}
        assert ends and all(stage[n] is Stage.DOWNSTREAM for n in ends), (chain.id, ends)
        for link_id in graph:
            assert link_id in ends or nx.descendants(graph, link_id) & ends, (chain.id, link_id)
            if stage[link_id] is not Stage.UPSTREAM:
                assert link_id in has_input, (chain.id, link_id, "a non-upstream link needs an input")


def test_cross_chain_feeds_make_one_network(loaded):
    chain_of = {link.id: link.chain for link in loaded.links}
    cross = [e for e in loaded.feeds if chain_of[e.source] != chain_of[e.target]]
    assert len(cross) >= 10
    pairs = {(e.source, e.target) for e in cross}
    for pair in [("nickel_cobalt_intermediate", "nickel_sulfate"), ("electrolytic_copper", "copper_foil"),
                 ("energy_storage_system", "new_energy_storage"), ("copper_smelting", "smelting_slag"),
                 ("cu_ni_ore", "tailings_utilization"), ("anhydrous_hf", "lipf6"), ("chlor_alkali", "pvdf_binder")]:
        assert pair in pairs, pair
    graph = nx.Graph((e.source, e.target) for e in loaded.feeds)
    assert nx.is_connected(graph)
    # a FEEDS edge is written in the chain file of its source link
    chain_file = {c.id: loaded.origin("chain", c.id).file for c in loaded.chains}
    for i, edge in enumerate(loaded.feeds):
        assert loaded.origin("feeds", i).file == chain_file[chain_of[edge.source]], (edge.source, edge.target)


# -- projects --------------------------------------------------------------------------------

def test_projects_from_the_speech_quote_it_and_invent_nothing(loaded, speech):
    assert all(p.link_ids for p in loaded.projects)
    from_speech = [p for p in loaded.projects if p.source and p.source.startswith(SPEECH)]
    assert len(from_speech) >= 40
    for p in from_speech:
        check_quote(p.source, speech)
        assert (p.investment, p.invested, p.funds_in_place) == (None, None, None), p.id
        assert (p.signed_date, p.planned_start, p.actual_start, p.planned_completion, p.actual_completion) == (
            None, None, None, None, None), p.id
        if p.capacity:  # only a quantity the speech states unmasked
            unit = units.parse_quantity(p.capacity).unit
            quote = "…".join(quoted_pieces(p.source))
            assert unit in quote and f"*{unit}" not in quote, (p.id, p.capacity)


def test_what_the_speech_says_is_being_built_is_in_the_pipeline(store):
    gaps = chain_gaps(store, BATTERY, SETTINGS)
    for link_id in ("nickel_sulfate", "manganese_sulfate", "ternary_precursor", "lipf6", "anode_material", "lfp_cell"):
        assert gaps.by_id(link_id).status is Status.PIPELINE, link_id
    for link_id in ("ncm_cell", "copper_foil", "battery_pack"):  # 建成投产 / 扩大产能: exists
        assert gaps.by_id(link_id).status.present, link_id


# -- firms -----------------------------------------------------------------------------------

def test_local_firms_come_from_the_speech(loaded, speech):
    region = loaded.region
    local = {f.id: f for f in loaded.firms if region.is_local(f.province, f.city)}
    assert local
    for firm in local.values():
        check_quote(firm.source, speech)
        assert creditcode.is_valid(firm.id) and firm.id.startswith("91620300"), firm.id
        assert firm.registered_capital is None and firm.founded is None, firm.id
    for rel in loaded.operates_in:
        if rel.firm_id in local:
            assert rel.capacity is None, (rel.firm_id, rel.link_id)
            check_quote(rel.source, speech)


def test_every_candidate_is_marked_illustrative(loaded):
    region = loaded.region
    non_local = {f.id for f in loaded.firms if not region.is_local(f.province, f.city)}
    assert non_local
    for firm in loaded.firms:
        if firm.id in non_local:
            assert firm.source and "illustrative" in firm.source, firm.name
    for rel in loaded.operates_in:
        if rel.firm_id in non_local:
            assert rel.source and "illustrative" in rel.source, (rel.firm_id, rel.link_id)
    for rel in loaded.supplies:
        assert rel.source and "illustrative" in rel.source
    provinces = {f.province for f in loaded.firms if f.id in non_local}
    assert {"甘肃省", *region.neighbours[:3]} <= provinces and len(provinces) >= 15


def test_supplies_tie_candidates_to_local_firms(loaded):
    region = loaded.region
    local = {f.id for f in loaded.firms if region.is_local(f.province, f.city)}
    ties = [s for s in loaded.supplies if (s.supplier_id in local) != (s.customer_id in local)]
    assert len(ties) >= 3


def test_inactive_candidates_exist_and_are_never_targets(loaded, store):
    region = loaded.region
    inactive = {f.id: f for f in loaded.firms if not f.status.active and not region.is_local(f.province, f.city)}
    assert {f.status.value for f in inactive.values()} >= {"deregistered", "revoked"}
    wanted_somewhere = set()
    for chain in loaded.chains:
        gaps = chain_gaps(store, chain.id, SETTINGS)
        wanted_somewhere |= {g.link.id for g in gaps.wanted}
        targets = chain_targets(store, gaps, SETTINGS)
        assert not {t.firm_id for t in targets} & set(inactive), chain.id
    on_wanted = {r.firm_id for r in loaded.operates_in if r.link_id in wanted_somewhere}
    assert {f.status.value for i, f in inactive.items() if i in on_wanted} >= {"deregistered", "revoked"}


# -- the default view ------------------------------------------------------------------------

def test_battery_chain_keeps_its_story(store):
    gaps = chain_gaps(store, BATTERY, SETTINGS)
    assert len(gaps.links) >= 15
    assert {g.status for g in gaps.links} == set(Status)
    assert gaps.by_id("electrolyte").break_point is not None
    assert chain_targets(store, gaps, SETTINGS)


def test_wish_list_links_are_missing_and_have_targets(store):
    gaps = chain_gaps(store, BATTERY, SETTINGS)
    targets = chain_targets(store, gaps, SETTINGS)
    for link_id, word in WISH_LIST.items():
        gap = gaps.by_id(link_id)
        assert gap is not None and gap.status is Status.MISSING, link_id
        assert word in gap.link.source, link_id
        assert any(t.link_id == link_id for t in targets), link_id


def test_every_wanted_link_has_candidates(loaded, store):
    for chain in loaded.chains:
        gaps = chain_gaps(store, chain.id, SETTINGS)
        per_link = Counter(t.link_id for t in chain_targets(store, gaps, SETTINGS))
        assert [g.link.id for g in gaps.wanted if not 2 <= per_link[g.link.id] <= 5] == [], chain.id
