"""链主配套 on the hand-made chain of conftest.py: leaders, what they need, who supplies them; worked by hand."""

from __future__ import annotations

from dataclasses import replace

from chain_graph.analysis.gaps import chain_gaps
from chain_graph.analysis.leaders import Leader, read_support
from chain_graph.analysis.sourcing import leader_needs
from chain_graph.analysis.targets import chain_targets
from chain_graph.model import Firm
from chain_graph.settings import AnalysisSettings, Weights
from chain_graph.store.memory import MemoryStore

from tests.conftest import L, N, mini_dataset


def with_cell_leader() -> MemoryStore:
    """The mini chain with 本地电芯一 (cell) tagged 链主: 深圳电解液集团 already supplies it."""
    ds = mini_dataset()
    firms = [f.model_copy(update={"tags": ["链主"]}) if f.id == L["L8"] else f for f in ds.firms]
    store = MemoryStore()
    store.load(replace(ds, firms=firms))
    return store


def test_leaders_by_tag_capacity_or_sole_firm(mini_store):
    # ore: 本地矿业一 10 > 本地矿业二 5; salt: 本地镍盐 alone, 4 stated; precursor: 本地前驱体一 6 > 4;
    # copper and capacitor: one local firm, no capacity (the only firm is the largest);
    # lipf6 and cell: two local firms, no capacity: no leader (not guessed); cathode's firm is 注销
    leaders, support = read_support(mini_store)
    assert leaders == [
        Leader(L["L1"], "本地矿业一", ("ore",), "capacity"),
        Leader(L["L3"], "本地镍盐", ("salt",), "capacity"),
        Leader(L["L4"], "本地前驱体一", ("precursor",), "capacity"),
        Leader(L["L10"], "本地铜业", ("copper",), "sole"),
        Leader(L["L11"], "本地电容", ("capacitor",), "sole"),
    ]
    assert support.serves == {
        "ore": (("本地镍盐", "salt"),), "salt": (("本地前驱体一", "precursor"),),
        "electrolyte": (("本地电容", "capacitor"),),
    }
    assert support.supplies == {}  # 深圳电解液集团 supplies 本地电芯一, who leads nothing


def test_a_tagged_leader_and_its_outside_supplier():
    store = with_cell_leader()
    leaders, support = read_support(store)
    assert Leader(L["L8"], "本地电芯一", ("cell",), "tag") in leaders
    assert support.supplies == {N["N5"]: (("本地电芯一", "电解液"),)}
    assert support.serves["separator"] == (("本地电芯一", "cell"),)
    assert support.serves["electrolyte"] == (("本地电容", "capacitor"), ("本地电芯一", "cell"))


def test_a_firm_supplying_a_leader_ranks_first_whatever_the_weights():
    store = with_cell_leader()
    only_proximity = AnalysisSettings(weights=Weights(scale=0, tags=0, ties=0, proximity=1, evidence=0, leader=0))
    ranked = chain_targets(store, chain_gaps(store, "mini", only_proximity), only_proximity)
    # by proximity alone 深圳电解液集团 (广东省, far) scores 0, yet it already supplies the leader 本地电芯一
    assert (ranked[0].firm_id, ranked[0].score, ranked[0].leader_supplier) == (N["N5"], 0.0, True)
    assert ranked[0].reasons_text()[0] == "已为本地链主本地电芯一供货（电解液）"
    assert [t.firm_id for t in ranked[1:]] == [N["N2"], N["N4"], N["N6"], N["N1"]]
    assert not any(t.leader_supplier for t in ranked[1:])
    unordered = only_proximity.model_copy(update={"leader_suppliers_first": False})
    assert chain_targets(store, chain_gaps(store, "mini", unordered), unordered)[0].firm_id == N["N2"]


def test_leader_needs_what_it_buys_and_who_could_make_it():
    store = with_cell_leader()
    needs = {n.leader.firm_id: n for n in leader_needs(store, AnalysisSettings())}
    cell = needs[L["L8"]]
    # cell's inputs: cathode (pipeline P1), electrolyte (missing), foil (missing), separator (missing);
    # only missing and weak inputs are listed, as the targets list them
    assert [(i.link_id, i.status.value) for i in cell.inputs] == [
        ("electrolyte", "missing"), ("foil", "missing"), ("separator", "missing"),
    ]
    assert [(s.supplier_name, s.product) for s in cell.suppliers] == [("深圳电解液集团", "电解液")]
    makers = {i.link_id: [t.firm_id for t in i.makers] for i in cell.inputs}
    # N5 supplies the leader: first; N4 the other electrolyte maker; nobody makes foil; N1 before N2 on separator
    assert makers == {"electrolyte": [N["N5"], N["N4"]], "foil": [], "separator": [N["N1"], N["N2"]]}
    # 本地镍盐 leads salt, whose input ore is strong locally: it needs nothing from outside
    assert needs[L["L3"]].inputs == ()
