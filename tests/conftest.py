"""A small hand-made chain whose answers are worked out by hand in the tests.

    ore ──2──▶ salt ──1──▶ precursor ──▶ cathode ──▶ cell ──▶ pack
    solvent ──▶ electrolyte ──▶ cell, capacitor      lipf6 ──▶ electrolyte
    copper ──▶ foil ──▶ cell                          separator ──▶ cell
(numbers are FEEDS coefficients in 万吨 per 万吨)
"""

from __future__ import annotations

import os

import pytest

from chain_graph.creditcode import check_digit
from chain_graph.dataset import Dataset
from chain_graph.model import Chain, Feeds, Firm, Link, OperatesIn, Project, Region, Supplies
from chain_graph.store.memory import MemoryStore


@pytest.fixture(autouse=True, scope="session")
def _own_cache(tmp_path_factory):
    """Tests keep the validated-data cache (loaders/cache.py) in their own folder, never the user's."""
    os.environ["CHAIN_GRAPH_CACHE"] = str(tmp_path_factory.mktemp("cache"))


def code(n: int, area: str = "620300") -> str:
    """A valid credit code: '91' + area + a numbered body + its check digit."""
    body = f"91{area}{n:09d}"
    return body + check_digit(body)


REGION = Region(province="甘肃省", city="金昌市", neighbours=["青海省", "四川省"])

STAGES = {
    "ore": "上游", "salt": "上游", "solvent": "上游", "lipf6": "上游", "copper": "上游", "separator": "中游",
    "precursor": "中游", "cathode": "中游", "electrolyte": "中游", "foil": "中游",
    "cell": "下游", "capacitor": "下游", "pack": "下游",
}
EDGES = [
    ("ore", "salt", 2.0), ("salt", "precursor", 1.0), ("precursor", "cathode", None), ("cathode", "cell", None),
    ("cell", "pack", None), ("solvent", "electrolyte", None), ("lipf6", "electrolyte", None),
    ("electrolyte", "cell", None), ("electrolyte", "capacitor", None), ("copper", "foil", None),
    ("foil", "cell", None), ("separator", "cell", None),
]

L = {name: code(i) for i, name in enumerate(
    ["L1", "L2", "L3", "L4", "L5", "L6", "L7", "L8", "L9", "L10", "L11", "L12"], start=1)}
N = {name: code(100 + i, area) for i, (name, area) in enumerate(
    [("N1", "320500"), ("N2", "620100"), ("N3", "440300"), ("N4", "510100"), ("N5", "440300"), ("N6", "630100")])}


def _local(key: str, name: str, status: str = "存续") -> Firm:
    return Firm(id=L[key], name=name, status=status, province="甘肃省", city="金昌市")


def mini_dataset() -> Dataset:
    firms = [
        _local("L1", "本地矿业一"), _local("L2", "本地矿业二"), _local("L3", "本地镍盐"),
        _local("L4", "本地前驱体一"), _local("L5", "本地前驱体二"), _local("L6", "本地氟化工一"),
        _local("L7", "本地氟化工二"), _local("L8", "本地电芯一"), _local("L9", "本地电芯二"),
        _local("L10", "本地铜业"), _local("L11", "本地电容"), _local("L12", "已注销正极厂", "注销"),
        Firm(id=N["N1"], name="江苏隔膜股份", province="江苏省", city="苏州市", tags=["上市"], registered_capital=50000),
        Firm(id=N["N2"], name="兰州隔膜科技", province="甘肃省", city="兰州市", tags=["专精特新"], registered_capital=2000),
        Firm(id=N["N3"], name="已注销隔膜巨头", status="注销", province="广东省", city="深圳市", tags=["500强"],
             registered_capital=900000),
        Firm(id=N["N4"], name="成都电解液", province="四川省", city="成都市", registered_capital=1000),
        Firm(id=N["N5"], name="深圳电解液集团", province="广东省", city="深圳市", tags=["500强"],
             registered_capital=1_000_000),
        Firm(id=N["N6"], name="青海镍盐", province="青海省", city="西宁市", tags=["隐形冠军"], registered_capital=8000),
    ]
    operates = [
        ("L1", "ore", 10), ("L2", "ore", 5), ("L3", "salt", 4), ("L4", "precursor", 6), ("L5", "precursor", 4),
        ("L6", "lipf6", None), ("L7", "lipf6", None), ("L8", "cell", None), ("L9", "cell", None),
        ("L10", "copper", None), ("L11", "capacitor", None), ("L12", "cathode", 3),
        ("N1", "separator", 2), ("N2", "separator", None), ("N3", "separator", 9), ("N4", "electrolyte", None),
        ("N5", "electrolyte", 6), ("N6", "salt", 3),
    ]
    ids = {**L, **N}
    return Dataset(
        region=REGION,
        chains=[Chain(id="mini", name="迷你电池链")],
        links=[Link(id=k, name=k, chain="mini", stage=v, unit="万吨") for k, v in STAGES.items()],
        feeds=[Feeds(source=a, target=b, coefficient=c) for a, b, c in EDGES],
        firms=firms,
        operates_in=[
            OperatesIn(firm_id=ids[f], link_id=link, capacity=cap,
                       evidence="经营范围含电解液" if f == "N4" else None)
            for f, link, cap in operates
        ],
        supplies=[Supplies(supplier_id=N["N5"], customer_id=L["L8"], product="电解液")],
        projects=[
            Project(id="P1", name="正极材料项目", status="在建", link_ids=["cathode"], capacity="5万吨", investment=20),
            Project(id="P2", name="电解液谋划项目", status="谋划", link_ids=["electrolyte"], investment=3),
            Project(id="P3", name="电池包项目", status="签约", link_ids=["pack"], investment=8),
        ],
    )


@pytest.fixture
def mini_store() -> MemoryStore:
    store = MemoryStore()
    store.load(mini_dataset())
    return store


def server() -> tuple[str, str, str, str]:
    """The Neo4j server scripts/test started; without one the Neo4j tests fail, never skip."""
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        pytest.fail("NEO4J_URI is not set: run the suite with scripts/test, which starts Neo4j")
    return (uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ["NEO4J_PASSWORD"],
            os.environ.get("NEO4J_DATABASE", "neo4j"))


@pytest.fixture(scope="session")
def neo():
    from chain_graph.store.neo4j import Neo4jStore

    store = Neo4jStore(*server())
    yield store
    store.clear()
    store.close()



def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses the `neo` fixture needs the real server: mark it, so that
    `pytest -m "not neo4j and not browser"` runs the unit suite alone (other modules mark themselves)."""
    for item in items:
        if "neo" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.neo4j)
