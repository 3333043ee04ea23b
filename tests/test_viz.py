from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import pyvis

from chain_graph.output.viz import STATUS_COLOURS, MapEdge, MapNode, chain_map_html

IMG = "<img src=x onerror=alert(1)>"
CLOSE_SCRIPT = "</script><script>alert(1)</script>"


def nickel_chain() -> tuple[list[MapNode], list[MapEdge]]:
    nodes = [
        MapNode("ore", "镍矿", "镍矿\n本地企业 2 家", "strong", "upstream", size=4),
        MapNode("sulfate", "硫酸镍", "硫酸镍\n产能 5 万吨", "weak", "upstream", size=1),
        MapNode("precursor", "三元前驱体", "在建项目 1 个", "pipeline", "midstream", size=0),
        MapNode("separator", "隔膜", "本地无企业", "missing", "midstream"),
        MapNode("cell", "电芯", "cell", "strong", "downstream", size=9),
        MapNode("acid", "硫酸", "化工循环产业链", "external", "upstream"),
    ]
    edges = [
        MapEdge("ore", "sulfate"),
        MapEdge("sulfate", "precursor"),
        MapEdge("precursor", "cell"),
        MapEdge("separator", "cell"),
        MapEdge("acid", "sulfate", cross_chain=True, label="供给"),
    ]
    return nodes, edges


def embedded(html: str, name: str) -> object:
    """The JSON the page hands to vis-network, decoded as the browser would."""
    match = re.search(rf"{name} = (?:new vis\.DataSet\()?(.*?)\)?;\n", html)
    assert match, f"{name} not found in page"
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def page() -> str:
    return chain_map_html(*nickel_chain())


def nodes_by_id(html: str) -> dict[str, dict]:
    return {node["id"]: node for node in embedded(html, "nodes")}


def test_page_is_offline(page: str) -> None:
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "//cdn" not in page
    assert "bootstrap" not in page.lower()


def test_vis_network_is_inline(page: str) -> None:
    library = Path(pyvis.__file__).parent / "templates/lib/vis-9.1.2/vis-network.min.js"
    assert library.read_text(encoding="utf-8")[:2000] in page
    assert "new vis.Network(" in page


def test_page_declares_utf8_and_keeps_chinese(page: str) -> None:
    assert '<meta charset="utf-8">' in page
    assert "硫酸镍" in page
    assert nodes_by_id(page)["sulfate"]["label"] == "硫酸镍"


@pytest.mark.parametrize("payload", [IMG, CLOSE_SCRIPT])
def test_user_text_cannot_inject_markup(payload: str) -> None:
    html = chain_map_html(
        [
            MapNode("x", payload, payload, "missing", "upstream"),
            MapNode("y", "y", "y", "strong", "midstream"),
        ],
        [MapEdge("x", "y", label=payload)],
    )
    assert payload not in html
    assert "alert(1)</script>" not in html
    node = nodes_by_id(html)["x"]
    assert (node["label"], node["title"]) == (payload, payload)
    assert embedded(html, "edges")[0]["label"] == payload


def test_tooltips_stay_plain_text_even_with_href() -> None:
    tooltip = '<a href="javascript:alert(1)">x</a>'
    html = chain_map_html([MapNode("x", "x", tooltip, "weak", "upstream")], [])
    assert "innerHTML = nodeData" not in html
    assert nodes_by_id(html)["x"]["title"] == tooltip


def test_multiline_tooltip_is_kept(page: str) -> None:
    assert nodes_by_id(page)["ore"]["title"] == "镍矿\n本地企业 2 家"


def test_status_colours_are_distinct_and_applied(page: str) -> None:
    assert set(STATUS_COLOURS) == {"missing", "pipeline", "weak", "strong", "external"}
    assert len(set(STATUS_COLOURS.values())) == len(STATUS_COLOURS)
    nodes, _ = nickel_chain()
    drawn = nodes_by_id(page)
    for node in nodes:
        assert drawn[node.id]["color"] == STATUS_COLOURS[node.status]


def test_cross_chain_edges_are_dashed(page: str) -> None:
    dashes = {(edge["from"], edge["to"]): edge["dashes"] for edge in embedded(page, "edges")}
    assert dashes[("acid", "sulfate")] is True
    assert [key for key, dashed in dashes.items() if dashed] == [("acid", "sulfate")]


def test_edges_are_directed(page: str) -> None:
    assert all(edge["arrows"] == "to" for edge in embedded(page, "edges"))


def test_layout_is_static_left_to_right(page: str) -> None:
    options = embedded(page, "var options")
    assert options["physics"]["enabled"] is False
    hierarchical = options["layout"]["hierarchical"]
    assert hierarchical["enabled"] is True
    assert hierarchical["direction"] == "LR"
    assert hierarchical["sortMethod"] == "directed"


def test_levels_respect_stage_then_feeding_order(page: str) -> None:
    level = {node_id: node["level"] for node_id, node in nodes_by_id(page).items()}
    upstream, midstream, downstream = ("ore", "sulfate", "acid"), ("precursor", "separator"), ("cell",)
    assert max(level[n] for n in upstream) < min(level[n] for n in midstream)
    assert max(level[n] for n in midstream) < min(level[n] for n in downstream)
    assert level["ore"] < level["sulfate"]
    assert level["acid"] == level["ore"] == 0


def test_feedback_cycle_still_gets_levels() -> None:
    nodes = [MapNode(i, i, i, "strong", "midstream") for i in "abc"]
    edges = [MapEdge("a", "b"), MapEdge("b", "c"), MapEdge("c", "a"), MapEdge("b", "b")]
    levels = sorted(node["level"] for node in embedded(chain_map_html(nodes, edges), "nodes"))
    assert levels == [0, 1, 2]


def test_node_size_follows_weight(page: str) -> None:
    size = {node_id: node["size"] for node_id, node in nodes_by_id(page).items()}
    assert size["cell"] > size["ore"] > size["sulfate"] > size["precursor"]


def test_empty_map_renders() -> None:
    assert embedded(chain_map_html([], []), "nodes") == []


def test_unknown_edge_endpoint_is_rejected() -> None:
    with pytest.raises(ValueError, match="ghost"):
        chain_map_html([MapNode("a", "a", "", "strong", "upstream")], [MapEdge("a", "ghost")])


@pytest.mark.parametrize(
    ("field", "value"), [("status", "unknown"), ("stage", "sidestream"), ("size", -1.0)]
)
def test_invalid_node_is_rejected(field: str, value: object) -> None:
    fields = {"id": "a", "label": "a", "tooltip": "", "status": "strong", "stage": "upstream"}
    with pytest.raises(ValueError, match=field):
        MapNode(**{**fields, field: value})


def test_height_is_applied() -> None:
    assert "height: 480px;" in chain_map_html([], [], height="480px")


def test_no_files_written(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    chain_map_html(*nickel_chain())
    assert list(tmp_path.iterdir()) == []


def test_chain_map_from_gaps(mini_store):
    from chain_graph.analysis.gaps import chain_gaps
    from chain_graph.settings import AnalysisSettings
    from chain_graph.output.viz import chain_map

    nodes, edges = chain_map(chain_gaps(mini_store, "mini", AnalysisSettings()))
    by_id = {n.id: n for n in nodes}
    assert by_id["electrolyte"].status == "missing" and by_id["ore"].status == "strong"
    assert by_id["ore"].size == 3  # two local firms
    assert "缺链" in by_id["electrolyte"].tooltip and "断点" in by_id["electrolyte"].tooltip
    assert len(edges) == 12 and not any(e.cross_chain for e in edges)
    assert "electrolyte" in chain_map_html(nodes, edges)
