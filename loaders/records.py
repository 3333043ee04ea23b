"""Table rows into records, every problem kept with its file, row and column.

A row with any problem is left out of the dataset but reported; because a dataset
with errors is never stored, nothing is half-loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from pydantic import BaseModel, ValidationError

from chain_graph import units
from chain_graph.dataset import Location
from chain_graph.schema import TABLES
from chain_graph.validation import Problem

from . import cleaning
from .columns import REQUIRED, header_map
from .tables import Row

# which cleaning function reads each column; others are plain text
_CLEANERS: dict[str, Callable[[str], object]] = {
    "founded": cleaning.parse_date, "signed_date": cleaning.parse_period,
    "planned_start": cleaning.parse_period, "actual_start": cleaning.parse_period,
    "planned_completion": cleaning.parse_period, "actual_completion": cleaning.parse_period,
    "investment": cleaning.parse_number, "invested": cleaning.parse_number,
    "funds_in_place": cleaning.parse_number, "year_plan": cleaning.parse_number, "year_done": cleaning.parse_number,
}
_DATE_HINT = "write the date as 2024-03-31, 2024/3/31 or 2024年3月31日"
_PERIOD_HINT = "write 2024-03-31, 2024年3月, 2024.3, 2024年一季度, 2024 or a range such as 2023-2025"
_AMOUNT_HINT = "write a non-negative amount in 亿元, such as 12.5"
_HINTS = {
    "status": "use 存续/在业/注销/吊销 for firms; 谋划/在谈/签约/开工/在建/投产/达产/终止 for projects",
    "id": "every row needs an id",
    "name": "every row needs a name",
    "capacity": "write a number and a unit convertible to the link's unit, e.g. '5万吨/年' or '10GWh'",
    "registered_capital": "write e.g. 5000万元, 1.2亿元 or 1000万美元",
    "paid_in_capital": "write e.g. 5000万元, 1.2亿元 or 1000万美元",
    "scale": "use 大型/中型/小型/微型 (or L/M/S/XS)", "insured": "write a whole number of people",
    "founded": _DATE_HINT, "signed_date": _PERIOD_HINT, "planned_start": _PERIOD_HINT, "actual_start": _PERIOD_HINT,
    "planned_completion": _PERIOD_HINT, "actual_completion": _PERIOD_HINT,
    "investment": _AMOUNT_HINT, "invested": _AMOUNT_HINT, "funds_in_place": _AMOUNT_HINT,
    "year_plan": _AMOUNT_HINT, "year_done": _AMOUNT_HINT,
}
_DEFAULT_HINT = "see docs/data-format.md for the table columns"


@dataclass
class Parsed:
    records: list[tuple[BaseModel, Location]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def parse_rows(kind: str, file: str, header: list[str], rows: Iterable[Row], link_units: dict[str, str | None]) -> Parsed:
    """Records of `kind` ('firms', 'firm_links', 'supplies', 'projects') from a table."""
    out = Parsed()
    mapping = header_map(kind, header)
    missing = [c for c in REQUIRED[kind] if c not in mapping.values()]
    if missing:
        out.problems.append(Problem(
            Location(file, 1, ", ".join(missing)), f"missing column(s) {', '.join(missing)}",
            f"the header row needs {', '.join(REQUIRED[kind])}; see docs/data-format.md",
        ))
        return out
    unknown = [h for h in header if h and h not in mapping]
    if unknown:
        out.problems.append(Problem(
            Location(file, 1), f"column(s) {', '.join(unknown)} are not used", "rename or remove them", "warning",
        ))
    for row in rows:
        values = {mapping[h]: v for h, v in row.values.items() if h in mapping}
        record, problems = parse_record(kind, Location(file, row.number), values, link_units)
        out.problems.extend(problems)
        if record is not None:
            out.records.append((record, Location(file, row.number)))
    return out


def parse_record(kind: str, where: Location, values: dict[str, str], link_units: dict[str, str | None]):
    """One record of `kind` from its column values, or None and the problems of the row."""
    problems: list[Problem] = []
    data: dict[str, object] = {}
    for column, text in values.items():
        if text == "":
            continue
        try:
            data.update(_read(kind, column, text, values, link_units))
        except (cleaning.CleaningError, units.UnitError) as err:
            problems.append(Problem(where.at(column), str(err), _HINTS.get(column, _DEFAULT_HINT)))
    if problems:
        return None, problems
    try:
        return TABLES[kind].model(**data), []
    except ValidationError as err:
        return None, [_problem(kind, where, e) for e in err.errors()]


def cell_value(kind: str, column: str, text: str) -> dict:
    """The field values one cell gives (registered capital gives the amount and its currency)."""
    return _read(kind, column, text, {}, {})


def _read(kind: str, column: str, text: str, values: dict[str, str], link_units: dict[str, str | None]) -> dict:
    if column in _CLEANERS:
        return {column: _CLEANERS[column](text)}
    if kind == "firms" and column == "status":
        return {"status": cleaning.status_word(text)}
    if kind == "firms" and column == "registered_capital":
        amount, currency = cleaning.parse_capital(text)
        return {"registered_capital": amount, "capital_currency": currency}
    if kind == "firms" and column == "paid_in_capital":
        return {"paid_in_capital": cleaning.parse_capital(text)[0]}
    if kind == "firm_links" and column == "capacity":
        link_id = values.get("link_id", "")
        if link_id not in link_units:  # no such link: the check of ids reports it, not a unit problem
            units.parse_quantity(text)
            return {"capacity_text": text}
        return {"capacity": _capacity(text, link_units[link_id]), "capacity_text": text}
    if kind == "projects" and column == "capacity":
        units.parse_quantity(text)
    text = cleaning.normalize_text(text) if column in ("name", "province", "city", "district") else text
    return {TABLES[kind].field_of(column): text}


def _capacity(text: str, unit: str | None) -> float:
    """A firm's capacity in its link's unit, so capacities of one link can be summed."""
    quantity = units.parse_quantity(text)
    if unit is None:
        raise units.UnitError(f"capacity {text!r} given, but the link has no unit; add `unit:` to the link in its chain YAML")
    return units.convert(quantity.value, quantity.unit, unit)


def _problem(kind: str, where: Location, error: dict) -> Problem:
    field_name = str(error["loc"][0]) if error["loc"] else None
    column = TABLES[kind].column(field_name) if field_name else None
    value = error.get("input")
    message = error["msg"] if isinstance(value, dict) else f"{error['msg']} (got {value!r})"
    return Problem(where.at(column) if column else where, message, _HINTS.get(column or "", _DEFAULT_HINT))
