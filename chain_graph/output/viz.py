"""Chain map as one self-contained HTML page, for intranets without internet access."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from jinja2 import Environment, FileSystemLoader
from pyvis.network import Network

from ..analysis.gaps import ChainGaps
from ..i18n import t

# Okabe-Ito colours, told apart with the common kinds of colour blindness.
STATUS_COLOURS: dict[str, str] = {
    "missing": "#D55E00",  # vermillion
    "pipeline": "#56B4E9",  # sky blue
    "weak": "#E69F00",  # orange
    "strong": "#009E73",  # bluish green
    "external": "#999999",  # grey: a link of another chain
}
STAGES = ("upstream", "midstream", "downstream")
MIN_NODE_SIZE = 10.0
MAX_NODE_SIZE = 40.0

_PAGE = "template.html"
# pyvis's page loads Bootstrap from a CDN whatever cdn_resources says; the map uses none of it.
_REMOTE_TAG = re.compile(r'<(?:link|script)\b[^>]*\b(?:href|src)="https?://[^>]*>(?:\s*</script>)?')
# pyvis fills an innerHTML popup once any title contains "href"; vis-network itself shows
# string titles through innerText, so user data in a tooltip stays text.
_PLAIN_TOOLTIPS = "{% set tooltip_link = false %}"


@dataclass(frozen=True)
class MapNode:
    """A link on the map; status gives its colour and stage its column group."""

    id: str
    label: str
    tooltip: str
    status: str
    stage: str
    size: float = 1.0
    break_rank: int | None = None  # the break point's number, shown on the node and in the legend
    group: str = ""  # another chain's link: that chain's name, to group its links on the map

    def __post_init__(self) -> None:
        if self.status not in STATUS_COLOURS:
            raise ValueError(f"node {self.id!r}: status {self.status!r} is not one of {list(STATUS_COLOURS)}")
        if self.stage not in STAGES:
            raise ValueError(f"node {self.id!r}: stage {self.stage!r} is not one of {list(STAGES)}")
        if not self.size >= 0:
            raise ValueError(f"node {self.id!r}: size {self.size!r} must be zero or more")


@dataclass(frozen=True)
class MapEdge:
    """A FEEDS relation; one into another chain is drawn dashed."""

    source: str
    target: str
    cross_chain: bool = False
    label: str = ""


class _OfflineLoader(FileSystemLoader):
    """pyvis's own templates, without remote tags and with plain-text tooltips only."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, object]:
        source, filename, uptodate = super().get_source(environment, template)
        if template == _PAGE:
            source = _PLAIN_TOOLTIPS + _REMOTE_TAG.sub("", source)
        return source, filename, uptodate


def _levels(nodes: Sequence[MapNode], edges: Sequence[MapEdge]) -> dict[str, int]:
    """Columns: stages left to right, and within a stage the longest path of links feeding a link."""
    stage_of = {node.id: node.stage for node in nodes}
    feeders: dict[str, list[str]] = {node.id: [] for node in nodes}
    for edge in edges:
        if stage_of[edge.source] == stage_of[edge.target]:
            feeders[edge.target].append(edge.source)
    depth: dict[str, int] = {}
    on_path: set[str] = set()

    def depth_of(node_id: str) -> int:
        # Feeders already on the path close a cycle (recycling); skipping them keeps depth finite.
        if node_id not in depth:
            on_path.add(node_id)
            depth[node_id] = max((depth_of(f) + 1 for f in feeders[node_id] if f not in on_path), default=0)
            on_path.discard(node_id)
        return depth[node_id]

    levels: dict[str, int] = {}
    first_column = 0
    for stage in STAGES:
        members = [node.id for node in nodes if node.stage == stage]
        for node_id in members:
            levels[node_id] = first_column + depth_of(node_id)
        if members:
            first_column = max(levels[node_id] for node_id in members) + 1
    return levels


def _node_size(weight: float, heaviest: float) -> float:
    """Area, not radius, follows the weight, so big links do not swamp the map."""
    if heaviest <= 0:
        return MIN_NODE_SIZE
    return MIN_NODE_SIZE + (MAX_NODE_SIZE - MIN_NODE_SIZE) * math.sqrt(weight / heaviest)


def chain_map_html(nodes: Sequence[MapNode], edges: Sequence[MapEdge], height: str = "640px") -> str:
    """Render the map left to right, upstream first; the page fetches nothing from the network."""
    known = {node.id for node in nodes}
    for edge in edges:
        if edge.source not in known or edge.target not in known:
            raise ValueError(f"edge {edge.source!r} -> {edge.target!r} refers to a node not on the map")

    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line")
    net.templateEnv = Environment(loader=_OfflineLoader(net.template_dir))
    # tojson still escapes <, > and &, so no name can close the <script>; Chinese stays readable.
    net.templateEnv.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    net.options = {
        "layout": {"hierarchical": {"enabled": True, "direction": "LR", "sortMethod": "directed"}},
        "physics": {"enabled": False},
        "edges": {"smooth": {"type": "cubicBezier", "forceDirection": "horizontal"}},
    }

    levels = _levels(nodes, edges)
    heaviest = max((node.size for node in nodes), default=0.0)
    for node in nodes:
        net.add_node(
            node.id,
            label=node.label,
            title=node.tooltip,
            color=STATUS_COLOURS[node.status],
            level=levels[node.id],
            size=_node_size(node.size, heaviest),
        )
    for edge in edges:
        net.add_edge(edge.source, edge.target, dashes=edge.cross_chain, label=edge.label)
    return net.generate_html()


def chain_map(gaps: ChainGaps, lang: str = "zh",
              chain_of: dict[str, str] | None = None) -> tuple[list[MapNode], list[MapEdge]]:
    """A chain's links coloured by status, sized by local firms; other chains' links in grey, grouped by
    their chain's name where `chain_of` (link id → chain name) knows it."""
    ids = {g.link.id for g in gaps.links}
    nodes, edges, external = [], [], {}
    for g in gaps.links:
        lines = [f"{g.link.name} · {t(f'status.{g.status.value}', lang)}", *(m.text(lang) for m in g.evidence)]
        nodes.append(MapNode(g.link.id, g.link.name, "\n".join(lines), g.status.value, g.link.stage.value,
                             1 + len(g.presence.local_firms), g.break_point.rank if g.break_point else None))
        for other in g.inputs:
            if other not in ids:
                external.setdefault(other, "upstream")
            edges.append(MapEdge(other, g.link.id, cross_chain=other not in ids))
        for other in g.outputs:
            if other not in ids:
                external.setdefault(other, "downstream")
                edges.append(MapEdge(g.link.id, other, cross_chain=True))
    for link_id, stage in sorted(external.items()):
        name = gaps.names.get(link_id, link_id)
        group = (chain_of or {}).get(link_id, "")
        nodes.append(MapNode(link_id, name, f"{group}：{name}" if group else name, "external", stage, group=group))
    return nodes, edges
