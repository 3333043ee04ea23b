"""Quantities with Chinese units (万吨, GWh, 亿Ah ...).

Capacities arrive as text such as "5万吨/年" or "10 GWh"; each link declares the
unit it is measured in, so every capacity is converted to that unit before it is
summed, and a capacity that cannot be converted is a validation error, not a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .i18n import Failure, msg

# unit -> (dimension, factor to the dimension's base unit)
UNITS: dict[str, tuple[str, float]] = {
    "吨": ("mass", 1.0), "t": ("mass", 1.0), "千吨": ("mass", 1e3), "kt": ("mass", 1e3),
    "万吨": ("mass", 1e4), "百万吨": ("mass", 1e6), "亿吨": ("mass", 1e8), "Mt": ("mass", 1e6),
    "Wh": ("energy", 1.0), "kWh": ("energy", 1e3), "MWh": ("energy", 1e6), "GWh": ("energy", 1e9),
    "度": ("energy", 1e3), "万度": ("energy", 1e7), "亿度": ("energy", 1e11),
    "kW": ("power", 1e3), "MW": ("power", 1e6), "GW": ("power", 1e9), "千瓦": ("power", 1e3),
    "万千瓦": ("power", 1e7), "兆瓦": ("power", 1e6),
    "Ah": ("charge", 1.0), "万Ah": ("charge", 1e4), "亿Ah": ("charge", 1e8),
    "平方米": ("area", 1.0), "m2": ("area", 1.0), "万平方米": ("area", 1e4), "亿平方米": ("area", 1e8),
    "件": ("count", 1.0), "套": ("count", 1.0), "支": ("count", 1.0), "只": ("count", 1.0),
    "头": ("count", 1.0), "个": ("count", 1.0), "台": ("count", 1.0),
    "万件": ("count", 1e4), "万套": ("count", 1e4), "万支": ("count", 1e4), "万只": ("count", 1e4),
    "万头": ("count", 1e4), "万台": ("count", 1e4), "亿件": ("count", 1e8), "亿支": ("count", 1e8),
    "万立方米": ("volume", 1e4), "立方米": ("volume", 1.0), "亿立方米": ("volume", 1e8),
    "人次": ("visits", 1.0), "万人次": ("visits", 1e4),
    "PFlops": ("compute", 1.0), "机架": ("racks", 1.0), "万机架": ("racks", 1e4),
}

_PER_YEAR = re.compile(r"\s*(/\s*年|每年|/a|/yr)\s*$")
_QUANTITY = re.compile(r"^\s*([+-]?\d+(?:,\d{3})*(?:\.\d+)?)\s*(.*?)\s*$")


class UnitError(Failure, ValueError):
    """A unit or quantity that cannot be read or converted."""


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str


def normalize_unit(unit: str) -> str:
    """The unit without a per-year suffix ("万吨/年" and "万吨" measure the same capacity)."""
    return _PER_YEAR.sub("", unit.strip())


def known_unit(unit: str) -> bool:
    return normalize_unit(unit) in UNITS


def parse_quantity(text: str) -> Quantity:
    """Read "5万吨/年", "1,200 吨", "10GWh" into a number and a known unit."""
    match = _QUANTITY.match(text or "")
    if not match:
        raise UnitError(msg("unit.not_quantity", text=text))
    value, unit = float(match.group(1).replace(",", "")), normalize_unit(match.group(2))
    if unit not in UNITS:
        raise UnitError(msg("unit.unknown_in", unit=unit, text=text))
    return Quantity(value, unit)


def convert(value: float, unit: str, to: str) -> float:
    """`value` in `unit` expressed in `to`; raises UnitError across dimensions."""
    fa, fb = factors(unit, to)
    return value * fa / fb


def factors(unit: str, to: str) -> tuple[float, float]:
    """(fa, fb): a value in `unit` is value * fa / fb in `to`; raises UnitError across dimensions."""
    src, dst = normalize_unit(unit), normalize_unit(to)
    for u in (src, dst):
        if u not in UNITS:
            raise UnitError(msg("unit.unknown", unit=u))
    (dim_a, fa), (dim_b, fb) = UNITS[src], UNITS[dst]
    if dim_a != dim_b:
        raise UnitError(msg("unit.cannot_convert", source=src, target=dst))
    return fa, fb


def capacity_in(text: str | None, unit: str | None) -> float | None:
    """A capacity text in `unit`, or None when either is missing or they don't convert."""
    if not text or not unit:
        return None
    try:
        quantity = parse_quantity(text)
        return convert(quantity.value, quantity.unit, unit)
    except UnitError:
        return None
