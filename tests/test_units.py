"""chain_graph.units: quantities with Chinese units, converted within a dimension only."""

from __future__ import annotations

import pytest

from chain_graph.units import Quantity, UnitError, capacity_in, convert, known_unit, normalize_unit, parse_quantity


@pytest.mark.parametrize(("text", "expected"), [
    ("5万吨/年", Quantity(5.0, "万吨")),
    ("1,200 吨", Quantity(1200.0, "吨")),
    ("10GWh", Quantity(10.0, "GWh")),
    ("10 GWh", Quantity(10.0, "GWh")),
    ("2.5亿Ah", Quantity(2.5, "亿Ah")),
    ("  30 万千瓦 ", Quantity(30.0, "万千瓦")),
    ("3万吨每年", Quantity(3.0, "万吨")),
    ("1,234,567.5吨", Quantity(1234567.5, "吨")),
])
def test_parse_quantity(text, expected):
    assert parse_quantity(text) == expected


@pytest.mark.parametrize(("text", "words"), [
    ("很多", "not a number"),
    ("", "not a number"),
    ("万吨", "not a number"),
    ("5万桶", "unknown unit"),
    ("5", "unknown unit"),           # a number without a unit is not a capacity
    ("1,20 吨", "unknown unit"),      # not a thousands separator: the rest is not a unit
])
def test_parse_quantity_rejects(text, words):
    with pytest.raises(UnitError) as caught:
        parse_quantity(text)
    assert words in caught.value.text("en") and caught.value.message.key.startswith("unit.")


@pytest.mark.parametrize(("value", "unit", "to", "expected"), [
    (5000, "吨", "万吨", 0.5),
    (500, "MWh", "GWh", 0.5),
    (0.5, "万吨", "吨", 5000),
    (1, "亿吨", "万吨", 10000),
    (3, "GW", "万千瓦", 300),
    (1, "GWh", "万度", 100),
    (2, "万件", "件", 20000),
    (7, "万吨/年", "万吨", 7),
    (1, "Mt", "万吨", 100),
])
def test_convert(value, unit, to, expected):
    assert convert(value, unit, to) == pytest.approx(expected)


@pytest.mark.parametrize(("unit", "to"), [("GWh", "万吨"), ("MW", "MWh"), ("万件", "吨"), ("亿Ah", "GWh")])
def test_convert_refuses_across_dimensions(unit, to):
    with pytest.raises(UnitError) as caught:
        convert(1, unit, to)
    assert "cannot convert" in caught.value.text("en") and "无法换算" in str(caught.value)


@pytest.mark.parametrize(("unit", "to"), [("桶", "吨"), ("吨", "桶"), ("", "吨")])
def test_convert_refuses_unknown_units(unit, to):
    with pytest.raises(UnitError) as caught:
        convert(1, unit, to)
    assert "unknown unit" in caught.value.text("en")


@pytest.mark.parametrize(("text", "unit", "expected"), [
    ("5000吨", "万吨", 0.5),
    ("5万吨/年", "万吨/年", 5),
    ("500MWh", "GWh", 0.5),
])
def test_capacity_in(text, unit, expected):
    assert capacity_in(text, unit) == pytest.approx(expected)


@pytest.mark.parametrize(("text", "unit"), [
    ("5GWh", "万吨"),   # other dimension
    ("5桶", "万吨"),    # unknown unit in the text
    ("5万吨", "桶"),    # unknown target unit
    ("很多", "万吨"),   # not a quantity
    (None, "万吨"), ("", "万吨"), ("5万吨", None), ("5万吨", ""),
])
def test_capacity_in_is_none_when_not_convertible(text, unit):
    assert capacity_in(text, unit) is None


def test_per_year_suffixes_name_the_same_unit():
    assert {normalize_unit(u) for u in ("万吨/年", "万吨 / 年", "万吨每年", "万吨/a", "万吨")} == {"万吨"}
    assert known_unit("GWh/年") and not known_unit("万桶") and not known_unit("年")
