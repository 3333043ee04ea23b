"""Table rows into records, every problem kept with its file, row and column.

A row with any problem is left out of the dataset but reported; because a dataset
with errors is never stored, nothing is half-loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from pydantic import BaseModel, ValidationError

from chain_graph import hygiene, units
from chain_graph.dataset import Location
from chain_graph.i18n import Message, msg
from chain_graph.schema import TABLES
from chain_graph.validation import Problem, pydantic_message

from . import cleaning
from .columns import REQUIRED, header_map
from .tables import Row

# which cleaning function reads each column; others are plain text
DATE_COLUMNS = ("founded", "signed_date", "planned_start", "actual_start", "planned_completion", "actual_completion")
CLEANERS: dict[str, Callable[[str], object]] = {
    "founded": cleaning.parse_date, **dict.fromkeys(DATE_COLUMNS[1:], cleaning.parse_period),
    "investment": cleaning.parse_number, "invested": cleaning.parse_number,
    "funds_in_place": cleaning.parse_number, "year_plan": cleaning.parse_number, "year_done": cleaning.parse_number,
}
_HINTS = {  # the hint of each column's problems, a catalogue key
    "status": "hint.status", "id": "hint.id", "name": "hint.name", "capacity": "hint.capacity",
    "registered_capital": "hint.capital", "paid_in_capital": "hint.capital", "scale": "hint.scale",
    "insured": "hint.insured", "founded": "hint.date", **dict.fromkeys(DATE_COLUMNS[1:], "hint.period"),
    **dict.fromkeys(("investment", "invested", "funds_in_place", "year_plan", "year_done"), "hint.amount"),
}


def _hint(column: str | None) -> Message:
    return msg(_HINTS.get(column or "", "hint.data_format"))


@dataclass
class Parsed:
    records: list[tuple[BaseModel, Location]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rejected: list[tuple[str, Location]] = field(default_factory=list)  # the id of each row left out, and where


def check_header(kind: str, file: str, header: list[str]) -> tuple[dict[str, str] | None, list[Problem]]:
    """The column of each known header cell, or None when a required column is missing; the problems."""
    mapping = header_map(kind, header)
    missing = [c for c in REQUIRED[kind] if c not in mapping.values()]
    if missing:
        return None, [Problem(
            Location(file, 1, ", ".join(missing)), msg("load.missing_columns", columns="、".join(missing)),
            msg("load.missing_columns_hint", columns="、".join(REQUIRED[kind])),
        )]
    unknown = [h for h in header if h and h not in mapping]
    if unknown:
        return mapping, [Problem(
            Location(file, 1), msg("load.unused_columns", columns="、".join(unknown)), msg("load.unused_columns_hint"),
            "warning",
        )]
    return mapping, []


def parse_rows(kind: str, file: str, header: list[str], rows: Iterable[Row], link_units: dict[str, str | None]) -> Parsed:
    """Records of `kind` ('firms', 'firm_links', 'supplies', 'projects') from a table."""
    out = Parsed()
    mapping, out.problems = check_header(kind, file, header)
    if mapping is None:
        return out
    for row in rows:
        if row.flaws:
            out.problems.extend(Problem(Location(file, row.number, mapping.get(h, h)), why, hygiene.hint())
                                for h, why in row.flaws.items())
            continue
        values = {mapping[h]: v for h, v in row.values.items() if h in mapping}
        record, problems = parse_record(kind, Location(file, row.number), values, link_units)
        out.problems.extend(problems)
        if record is None and values.get("id"):
            out.rejected.append((values["id"].strip(), Location(file, row.number)))
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
            problems.append(Problem(where.at(column), err.message, _hint(column)))
    if problems:
        return None, problems
    try:
        return TABLES[kind].model(**data), []
    except ValidationError as err:
        return None, [_problem(kind, where, e) for e in err.errors()]


def cell_value(kind: str, column: str, text: str) -> dict:
    """The field values one cell gives (registered capital gives the amount and its currency)."""
    return _read(kind, column, text, {}, {})


def _status(text: str, values: dict, link_units: dict) -> dict:
    return {"status": cleaning.status_word(text)}


def _capital(text: str, values: dict, link_units: dict) -> dict:
    amount, currency = cleaning.parse_capital(text)
    return {"registered_capital": amount, "capital_currency": currency}


def _paid_in(text: str, values: dict, link_units: dict) -> dict:
    return {"paid_in_capital": cleaning.parse_capital(text)[0]}


def _link_capacity(text: str, values: dict, link_units: dict) -> dict:
    link_id = values.get("link_id", "")
    if link_id not in link_units:  # no such link: the check of ids reports it, not a unit problem
        units.parse_quantity(text)
        return {"capacity_text": text}
    return {"capacity": _capacity(text, link_units[link_id]), "capacity_text": text}


def _project_capacity(text: str, values: dict, link_units: dict) -> dict:
    units.parse_quantity(text)
    return {"capacity": text}


# cells read by more than a cleaner: (kind, column) -> reader of (text, row values, link units)
SPECIAL: dict[tuple[str, str], Callable[[str, dict, dict], dict]] = {
    ("firms", "status"): _status, ("firms", "registered_capital"): _capital, ("firms", "paid_in_capital"): _paid_in,
    ("firm_links", "capacity"): _link_capacity, ("projects", "capacity"): _project_capacity,
}
NORMALIZED = ("name", "province", "city", "district")  # text columns written in full-width forms too


def _read(kind: str, column: str, text: str, values: dict[str, str], link_units: dict[str, str | None]) -> dict:
    if column in CLEANERS:
        return {column: CLEANERS[column](text)}
    special = SPECIAL.get((kind, column))
    if special:
        return special(text, values, link_units)
    return {TABLES[kind].field_of(column): cleaning.normalize_text(text) if column in NORMALIZED else text}


def _capacity(text: str, unit: str | None) -> float:
    """A firm's capacity in its link's unit, so capacities of one link can be summed."""
    quantity = units.parse_quantity(text)
    if unit is None:
        raise units.UnitError(msg("load.capacity_no_link_unit", text=text))
    return units.convert(quantity.value, quantity.unit, unit)


def _problem(kind: str, where: Location, error: dict) -> Problem:
    field_name = str(error["loc"][0]) if error["loc"] else None
    column = TABLES[kind].column(field_name) if field_name else None
    return Problem(where.at(column) if column else where, pydantic_message(error), _hint(column))
