"""The 招商地图 drawing: every province of China's official map (Taiwan, Hong Kong, Macao included)
and the maritime boundary line, provinces shaded by candidates, city dots, escaped names, a PNG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from chain_graph.output import chinamap

NS = {"s": "http://www.w3.org/2000/svg"}


def test_the_map_has_every_province_and_the_maritime_line():
    names = set(chinamap.provinces())
    assert len(names) == 34 and {"台湾省", "香港特别行政区", "澳门特别行政区", "海南省", "甘肃省"} <= names
    assert chinamap.outlines()["maritime"].count("M") >= 5  # the dashes in the South China Sea
    assert chinamap.city_point("甘肃省", "金昌市") and chinamap.city_point("甘肃省", "没有这个市") is None


def test_provinces_match_short_and_full_names():
    assert chinamap.known_province("江苏") == "江苏省" == chinamap.known_province("江苏省")
    assert chinamap.known_province("新疆") == "新疆维吾尔自治区"
    assert chinamap.known_province("火星") is None and chinamap.known_province(None) is None


def test_shading_dots_and_escaping():
    drawn = chinamap.china_map({"江苏省": 7, "广东省": 1}, {("江苏省", "常州市"): 3}, "<b>链</b> 招商地图",
                               ("甘肃省", "金昌市"))
    root = ET.fromstring(drawn.svg)
    fills = {g.get("data-id"): g.find("s:path", NS).get("fill") for g in root.iterfind(".//s:g[@class='node']", NS)}
    assert fills["江苏省"] == chinamap.CLASSES[2] and fills["广东省"] == chinamap.CLASSES[0]
    assert fills["青海省"] == chinamap.EMPTY
    assert len(root.findall(".//s:circle[@class='city']", NS)) == 1
    labels = [t.text for t in root.iterfind(".//s:text[@class='label']", NS)]
    assert "江苏 7" in labels and "金昌市" in labels
    assert "<b>" not in drawn.svg and "&lt;b&gt;" in drawn.svg
    assert chinamap.png(drawn, zoom=0.5)[:4] == b"\x89PNG"
