"""The chain map as one SVG drawing: the app shows it (clickable), and the same drawing is the SVG and
PNG download and the picture in the briefings, so every copy of the map has the same layout.

Laid out for reading, not for physics: stages left to right under 上游 / 中游 / 下游 headers, links
in columns by how far down their stage they sit, labels wrapped inside boxes at 14 px; status by
colour *and* a badge (缺 / 建 / 弱 / 强) and border style; break points numbered on the node and in
the legend. Other chains' neighbours sit in a band below, one box per chain, so they never stack
into one column or cross the map. PNG rasterising is resvg (resvg-py), which needs no system
library; the CJK font is found on the system (scripts/setup installs fonts-noto-cjk).
"""

from __future__ import annotations

import html
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..i18n import t
from .viz import STAGES, STATUS_COLOURS, MapEdge, MapNode, _levels

FONT = 14  # px at scale 1, the links' labels
SMALLEST_FONT = 12  # badges; legend and neighbour lines are 13
LINE = 18
PAD = 8
BADGE_R = 9
BOX_TEXT = 5 * FONT  # five CJK characters a line
BOX_W = BOX_TEXT + 2 * BADGE_R + 3 * PAD
COL_GAP = 28
MAX_GAP = 110  # a chain of few columns spreads them out to this
MIN_WIDTH = 960  # room for the legend and three neighbour boxes a row
ROW_GAP = 14
MARGIN = 16
HEADER_H = 30
GROUP_W = 2 * BOX_W + COL_GAP
FONT_FAMILY = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC','WenQuanYi Micro Hei',sans-serif"
BREAK_COLOUR = "#B00020"
# a pale fill of each status colour keeps dark text readable; the border and badge carry the colour
TINTS = {"missing": "#FBE3D6", "pipeline": "#E1F1FB", "weak": "#FCEFD2", "strong": "#D6F0E7", "external": "#EEEEEE"}
DASHES = {"missing": "6 4", "pipeline": "2 3", "weak": "", "strong": "", "external": "4 3"}
BORDER = {"missing": 2.0, "pipeline": 2.0, "weak": 1.5, "strong": 2.5, "external": 1.0}


def text_width(text: str, size: float = FONT) -> float:
    """Width in px: CJK characters are square, others about 0.6 of the size."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else 0.6 * size for c in text)


NO_LINE_START = set("、，。：；）)】》”’·")
NO_LINE_END = set("（(【《“‘")


def wrap(text: str, width: float, size: float = FONT) -> list[str]:
    """Lines no wider than `width`; breaks between characters (Chinese has no spaces), never before
    closing punctuation, and not inside a Latin word when a space or slash is near."""
    lines, line = [], ""
    for char in text:
        if line and text_width(line + char, size) > width:
            cut = max(line.rfind(" "), line.rfind("/"), line.rfind("、"))
            if cut > len(line) // 2 and char.isascii() and char.isalnum():
                lines.append(line[:cut + 1].rstrip())
                line = line[cut + 1:].lstrip()
            elif char in NO_LINE_START and len(line) > 1:  # carry the last character along with it
                lines.append(line[:-1])
                line = line[-1]
            elif line[-1] in NO_LINE_END and len(line) > 1:  # an opening bracket goes down with its word
                lines.append(line[:-1])
                line = line[-1]
            else:
                lines.append(line)
                line = ""
        line += char
    return [*lines, line] if line else lines or [""]


@dataclass
class Box:
    node: MapNode
    x: float
    y: float
    lines: list[str]
    w: float = BOX_W

    @property
    def h(self) -> float:
        return len(self.lines) * LINE + 2 * PAD

    @property
    def mid_y(self) -> float:
        return self.y + self.h / 2


@dataclass
class Group:
    """Another chain's links that feed or are fed by this one, as text lines in one box."""

    chain: str
    x: float
    y: float
    lines: list[str]

    @property
    def h(self) -> float:
        return (len(self.lines) + 1) * LINE + 2 * PAD


@dataclass
class Drawing:
    width: float
    height: float
    title: str
    boxes: dict[str, Box]
    edges: list[MapEdge]
    stages: list[tuple[str, float, float]]  # stage, x from, x to
    legend: list[tuple[str, str, str]]  # kind (status/break), key, text
    groups: list[Group] = field(default_factory=list)
    top: float = 0.0  # y where the columns start


def _order(columns: dict[int, list[str]], edges: Sequence[MapEdge]) -> None:
    """Fewer crossings: sort each column by the mean row of its neighbours, a few sweeps both ways."""
    preds, succs = defaultdict(list), defaultdict(list)
    for e in edges:
        preds[e.target].append(e.source)
        succs[e.source].append(e.target)
    keys = sorted(columns)
    for sweep in range(4):
        row = {n: i for c in keys for i, n in enumerate(columns[c])}
        order = keys[1:] if sweep % 2 == 0 else keys[-2::-1]
        for c in order:
            near = preds if sweep % 2 == 0 else succs
            def centre(n: str, near=near, row=row) -> float:
                seen = [row[m] for m in near[n] if m in row]
                return sum(seen) / len(seen) if seen else row[n]
            columns[c].sort(key=centre)


def layout(nodes: Sequence[MapNode], edges: Sequence[MapEdge], title: str, lang: str = "zh",
           neighbours: bool = True) -> Drawing:
    """Place every box; `neighbours` False leaves other chains' links out."""
    inside = [n for n in nodes if n.status != "external"]
    ids = {n.id for n in inside}
    internal = [e for e in edges if e.source in ids and e.target in ids]
    levels = _levels(inside, internal)
    columns: dict[int, list[str]] = defaultdict(list)
    for n in inside:
        columns[levels[n.id]].append(n.id)
    _order(columns, internal)
    by_id = {n.id: n for n in nodes}

    legend = [("status", s, t(f"status.{s}", lang)) for s in ("missing", "pipeline", "weak", "strong")]
    breaks = sorted((n for n in inside if n.break_rank), key=lambda n: n.break_rank)
    legend += [("break", str(n.break_rank), n.label) for n in breaks]
    legend_h = LINE + 10 + (LINE + 4) * ((len(breaks) + 2) // 3 if breaks else 0)
    top = MARGIN + LINE + 8 + legend_h + HEADER_H + 8

    boxes: dict[str, Box] = {}
    heights = {c: sum(Box(by_id[i], 0, 0, wrap(by_id[i].label, BOX_TEXT)).h + ROW_GAP for i in col) - ROW_GAP
               for c, col in columns.items()}
    tallest = max(heights.values(), default=0)
    count = max(len(columns), 1)
    gap = COL_GAP if count < 2 else min(MAX_GAP, max(COL_GAP, (MIN_WIDTH - 2 * MARGIN - count * BOX_W) / (count - 1)))
    width = max(MIN_WIDTH, MARGIN * 2 + count * (BOX_W + gap) - gap)
    left = (width - (count * (BOX_W + gap) - gap)) / 2
    for c in sorted(columns):
        x = left + c * (BOX_W + gap)
        y = top + (tallest - heights[c]) / 2
        for node_id in columns[c]:
            box = Box(by_id[node_id], x, y, wrap(by_id[node_id].label, BOX_TEXT))
            boxes[node_id] = box
            y += box.h + ROW_GAP
    stages = []
    for stage in STAGES:
        xs = [b.x for b in boxes.values() if b.node.stage == stage]
        if xs:
            stages.append((stage, min(xs) - min(gap, COL_GAP) / 2 + 2, max(xs) + BOX_W + min(gap, COL_GAP) / 2 - 2))
    height = top + tallest + MARGIN

    groups: list[Group] = []
    if neighbours:
        lines_of: dict[str, list[str]] = defaultdict(list)
        for e in edges:
            if e.cross_chain and e.source not in ids and e.target in ids:
                other = by_id[e.source]
                lines_of[other.group or other.label].append(f"{other.label} → {by_id[e.target].label}")
            elif e.cross_chain and e.target not in ids and e.source in ids:
                other = by_id[e.target]
                lines_of[other.group or other.label].append(f"{by_id[e.source].label} → {other.label}")
        per_row = max(1, int((width - 2 * MARGIN + COL_GAP) // (GROUP_W + COL_GAP)))
        y = height + LINE + 8
        for start in range(0, len(lines_of), per_row):
            row = sorted(lines_of.items())[start:start + per_row]
            made = [Group(chain, MARGIN + i * (GROUP_W + COL_GAP), y,
                          [part for line in sorted(set(items)) for part in wrap(line, GROUP_W - 2 * PAD)])
                    for i, (chain, items) in enumerate(row)]
            groups += made
            y += max(g.h for g in made) + ROW_GAP
        if groups:
            height = y + MARGIN - ROW_GAP
    kept = [e for e in internal if e.source in boxes and e.target in boxes]
    return Drawing(width, height, title, boxes, kept, stages, legend, groups, top)


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _text(x: float, y: float, text: str, size: float = FONT, cls: str = "", anchor: str = "start",
          weight: str = "normal", fill: str = "#222") -> str:
    c = f' class="{cls}"' if cls else ""
    return (f'<text{c} x="{x:.1f}" y="{y:.1f}" font-size="{size}" font-weight="{weight}" fill="{fill}" '
            f'text-anchor="{anchor}" dominant-baseline="central">{_esc(text)}</text>')


def _badge(cx: float, cy: float, status: str, lang: str) -> str:
    return (f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{BADGE_R}" fill="{STATUS_COLOURS[status]}"/>'
            + _text(cx, cy, t(f"map.badge.{status}", lang), 12, "badge", "middle", "bold", "#fff"))


def _break_badge(cx: float, cy: float, rank: str) -> str:
    return (f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="10" fill="{BREAK_COLOUR}" stroke="#fff" stroke-width="1.5"/>'
            + _text(cx, cy, rank, 12, "break-badge", "middle", "bold", "#fff"))


def svg(d: Drawing, lang: str = "zh") -> str:
    """The drawing as standalone SVG text (1 unit = 1 px); every user string escaped."""
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {d.width:.0f} {d.height:.0f}" '
           f'width="{d.width:.0f}" height="{d.height:.0f}" font-family="{FONT_FAMILY}" class="chain-map">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#777"/></marker></defs>',
           f'<rect width="{d.width:.0f}" height="{d.height:.0f}" fill="#fff"/>',
           _text(MARGIN, MARGIN + LINE / 2, d.title, 16, "title", weight="bold")]
    # legend: statuses in one row, then numbered break points three a row
    y = MARGIN + LINE + 8 + LINE / 2
    x = MARGIN
    for kind, key, label in d.legend:
        if kind == "status":
            out.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="18" height="18" rx="4" fill="{TINTS[key]}" '
                       f'stroke="{STATUS_COLOURS[key]}" stroke-width="{BORDER[key]}" stroke-dasharray="{DASHES[key]}"/>')
            out.append(_badge(x + 30, y, key, lang))
            out.append(_text(x + 44, y, label, 13, "legend"))
            x += 50 + text_width(label, 13) + 18
    breaks = [(key, label) for kind, key, label in d.legend if kind == "break"]
    if breaks:
        out.append(_text(x, y, t("map.legend_break", lang), 13, "legend"))
    col_w = (d.width - 2 * MARGIN) / 3
    for i, (rank, label) in enumerate(breaks):
        bx, by = MARGIN + (i % 3) * col_w, y + (LINE + 4) * (i // 3 + 1) + 4
        out.append(_break_badge(bx + 10, by, rank))
        out.append(_text(bx + 26, by, t("map.break_item", lang, rank=rank, name=label), 13, "legend"))
    # stage bands and headers
    header_y = d.top - HEADER_H - 8
    for stage, x0, x1 in d.stages:
        out.append(f'<rect x="{x0:.1f}" y="{header_y:.1f}" width="{x1 - x0:.1f}" '
                   f'height="{d.top - header_y + max((b.y + b.h for b in d.boxes.values()), default=d.top) - d.top + 8:.1f}" '
                   f'rx="8" fill="#F6F7F9"/>')
        out.append(_text((x0 + x1) / 2, header_y + HEADER_H / 2, t(f"stage.{stage}", lang), 15, "stage", "middle",
                         "bold", "#444"))
    # edges under the boxes
    for e in d.edges:
        a, b = d.boxes[e.source], d.boxes[e.target]
        if b.x > a.x:
            x0, y0, x1, y1 = a.x + a.w, a.mid_y, b.x - 2, b.mid_y
            bend = (x1 - x0) / 2
            path = f"M{x0:.1f},{y0:.1f} C{x0 + bend:.1f},{y0:.1f} {x1 - bend:.1f},{y1:.1f} {x1:.1f},{y1:.1f}"
        else:  # same column or backwards (a loop): bow out to the right of both
            x0, y0, x1, y1 = a.x + a.w, a.mid_y, b.x + b.w + 2, b.mid_y
            out_x = max(x0, x1) + COL_GAP * 0.8
            path = f"M{x0:.1f},{y0:.1f} C{out_x:.1f},{y0:.1f} {out_x:.1f},{y1:.1f} {x1:.1f},{y1:.1f}"
        out.append(f'<path d="{path}" fill="none" stroke="#999" stroke-width="1.3" marker-end="url(#arrow)"/>')
    # boxes
    for node_id, b in d.boxes.items():
        n = b.node
        out.append(f'<g class="node" data-id="{_esc(node_id)}" data-status="{n.status}" tabindex="0" role="button">')
        out.append(f'<title>{_esc(n.tooltip)}</title>')
        out.append(f'<rect x="{b.x:.1f}" y="{b.y:.1f}" width="{b.w:.1f}" height="{b.h:.1f}" rx="6" '
                   f'fill="{TINTS[n.status]}" stroke="{STATUS_COLOURS[n.status]}" stroke-width="{BORDER[n.status]}" '
                   f'stroke-dasharray="{DASHES[n.status]}"/>')
        out.append(_badge(b.x + PAD + BADGE_R, b.y + PAD + LINE / 2, n.status, lang))
        for i, line in enumerate(b.lines):
            out.append(_text(b.x + 2 * PAD + 2 * BADGE_R, b.y + PAD + LINE / 2 + i * LINE, line, FONT, "label"))
        if n.break_rank:
            out.append(_break_badge(b.x + b.w - 4, b.y + 2, str(n.break_rank)))
        out.append("</g>")
    # other chains' neighbours, one box per chain
    if d.groups:
        out.append(_text(MARGIN, d.groups[0].y - LINE / 2 - 4, t("map.neighbours", lang), 13, "legend",
                         weight="bold", fill="#444"))
    for g in d.groups:
        out.append(f'<g class="group" data-chain="{_esc(g.chain)}">')
        out.append(f'<rect x="{g.x:.1f}" y="{g.y:.1f}" width="{GROUP_W:.1f}" height="{g.h:.1f}" rx="6" '
                   f'fill="{TINTS["external"]}" stroke="#999" stroke-dasharray="{DASHES["external"]}"/>')
        out.append(_text(g.x + PAD, g.y + PAD + LINE / 2, g.chain, FONT, "group-title", weight="bold"))
        for i, line in enumerate(g.lines, start=1):
            out.append(_text(g.x + PAD, g.y + PAD + LINE / 2 + i * LINE, line, 13, "group-item"))
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def rasterise(svg_text: str, zoom: float = 2.0) -> bytes:
    """PNG of an SVG drawn here, with the system's Noto CJK font for Chinese."""
    import resvg_py

    return bytes(resvg_py.svg_to_bytes(svg_string=svg_text, zoom=zoom, background="#ffffff",
                                       font_family="Noto Sans CJK SC", sans_serif_family="Noto Sans CJK SC"))


def png(d: Drawing, lang: str = "zh", zoom: float = 2.0) -> bytes:
    """The same drawing as PNG (twice the pixels by default, sharp when printed or projected)."""
    return rasterise(svg(d, lang), zoom)
