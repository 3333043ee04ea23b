"""The drawn chain map (one SVG for the page, the downloads and the briefings): every link boxed in its
stage, break points numbered on the node and in the legend, names escaped, other chains grouped and
hideable, and a PNG of the same drawing."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from chain_graph.analysis.gaps import chain_gaps
from chain_graph.output import mapdraw
from chain_graph.output.viz import MapEdge, MapNode, chain_map
from chain_graph.settings import AnalysisSettings

NS = {"s": "http://www.w3.org/2000/svg"}
EVIL = '<img src=x onerror="alert(1)">'


def drawn(mini_store, neighbours: bool = True):
    gaps = chain_gaps(mini_store, "mini", AnalysisSettings())
    return gaps, mapdraw.layout(*chain_map(gaps), "mini 产业链图谱", neighbours=neighbours)


def test_every_link_in_its_stage_left_to_right(mini_store):
    gaps, d = drawn(mini_store)
    assert set(d.boxes) == {g.link.id for g in gaps.links}
    spans = {stage: (x0, x1) for stage, x0, x1 in d.stages}
    for box in d.boxes.values():
        x0, x1 = spans[box.node.stage]
        assert x0 <= box.x and box.x + box.w <= x1
    assert spans["upstream"][1] <= spans["midstream"][0] and spans["midstream"][1] <= spans["downstream"][0]
    for e in d.edges:  # FEEDS point right wherever the chain has no loop
        assert d.boxes[e.source].x < d.boxes[e.target].x


def test_boxes_never_overlap_and_labels_fit(mini_store):
    _, d = drawn(mini_store)
    boxes = list(d.boxes.values())
    for i, a in enumerate(boxes):
        assert all(mapdraw.text_width(line) <= mapdraw.BOX_TEXT for line in a.lines)
        for b in boxes[i + 1:]:
            assert a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y


def test_break_points_numbered_on_node_and_legend(mini_store):
    gaps, d = drawn(mini_store)
    root = ET.fromstring(mapdraw.svg(d))
    badges = {g.get("data-id"): g.find("s:text[@class='break-badge']", NS).text
              for g in root.iterfind(".//s:g[@class='node']", NS) if g.find("s:text[@class='break-badge']", NS) is not None}
    ranks = {g.link.id: str(g.break_point.rank) for g in gaps.links if g.break_point}
    assert badges == ranks and ranks
    legend = [t.text for t in root.iterfind(".//s:text[@class='legend']", NS)]
    assert all(f"断点{r}：{gaps.by_id(i).link.name}" in legend for i, r in ranks.items())
    statuses = {g.get("data-status") for g in root.iterfind(".//s:g[@class='node']", NS)}
    badge_words = {t.text for t in root.iterfind(".//s:text[@class='badge']", NS)}
    assert statuses <= {"missing", "pipeline", "weak", "strong"} and {"缺", "强"} <= badge_words


def test_names_are_escaped_and_other_chains_grouped():
    nodes = [MapNode("a", EVIL, EVIL, "missing", "upstream"), MapNode("b", "电芯", "", "strong", "downstream"),
             MapNode("x", "硫酸", "", "external", "upstream", group="化工循环"),
             MapNode("y", "盐酸", "", "external", "upstream", group="化工循环")]
    edges = [MapEdge("a", "b"), MapEdge("x", "a", cross_chain=True), MapEdge("y", "a", cross_chain=True)]
    d = mapdraw.layout(nodes, edges, EVIL)
    text = mapdraw.svg(d)
    assert "<img" not in text and "&lt;img" in text
    ET.fromstring(text)  # well-formed
    assert [g.chain for g in d.groups] == ["化工循环"] and len(d.groups[0].lines) >= 2
    assert not mapdraw.layout(nodes, edges, "t", neighbours=False).groups


def test_png_is_the_same_drawing(mini_store):
    _, d = drawn(mini_store)
    data = mapdraw.png(d, zoom=1.0)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (round(d.width), round(d.height))


def test_wrap_keeps_punctuation_with_its_word():
    lines = mapdraw.wrap("良种繁育（种羊种牛、蔬菜种苗）", mapdraw.BOX_TEXT)
    assert "".join(lines) == "良种繁育（种羊种牛、蔬菜种苗）"
    assert not any(line[0] in mapdraw.NO_LINE_START or line[-1] in mapdraw.NO_LINE_END for line in lines)
    assert re.fullmatch(r"[A-Z]+", mapdraw.wrap("PVDF粘结剂", 56)[0][:4])
