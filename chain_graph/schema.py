"""One field list per record, and how each field is serialised.

The fields are the pydantic models' own (model.py); this module only says where a field's
serialisation is not the plain one. Every serialisation is derived from it: the data-directory
tables (columns, required columns, the writer's cells, the reader's column-to-field names), the
Neo4j node and relationship properties of the online load and of the bulk CSV files with their
types. So a field added to a model reaches all of them with no change here, unless its table cell
is special (then one `Column` entry below). Its Chinese headers go in loaders/platform_headers.yaml.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date
from enum import Enum
from typing import Any, Callable, Mapping

from .i18n import number
from .model import Chain, Feeds, Firm, Link, Model, OperatesIn, Project, Supplies
from .rules import LIST_JOIN, currency_word

LinkUnits = Mapping[str, "str | None"]  # link id -> its unit, which a capacity cell is written in


@dataclass(frozen=True)
class Column:
    """A field's column in its table file; `name` None: the field is written inside another's cell.
    `cell` writes the cell when the plain value is not enough: (record, link units) -> value."""

    name: str | None
    cell: Callable[[Any, LinkUnits], object] | None = None


@dataclass(frozen=True)
class Schema:
    model: type[Model]
    table: str | None = None  # the data-directory table the records live in; None: chain YAML
    ends: tuple[str, ...] = ()  # a relationship's two ends: fields that are not properties
    columns: Mapping[str, Column] = field(default_factory=dict)  # fields not written plainly

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.model.model_fields)

    def column(self, name: str) -> str | None:
        spec = self.columns.get(name)
        return spec.name if spec else name

    @property
    def table_columns(self) -> tuple[str, ...]:
        return tuple(c for c in (self.column(f) for f in self.fields) if c)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(self.column(f) for f, info in self.model.model_fields.items() if info.is_required())

    def field_of(self, column: str) -> str:
        return next((f for f, spec in self.columns.items() if spec.name == column), column)

    def row(self, record: Model, link_units: LinkUnits) -> dict[str, object]:
        """The record's table cells, by column (None for an empty cell)."""
        out = {}
        for name in self.fields:
            spec = self.columns.get(name)
            if spec is None:
                out[name] = cell(getattr(record, name))
            elif spec.name:
                out[spec.name] = spec.cell(record, link_units) if spec.cell else cell(getattr(record, name))
        return out

    @cached_property  # read for every record a load writes: the type hints are resolved once
    def properties(self) -> tuple[tuple[str, str], ...]:
        """(name, type) of each graph property, types as neo4j-admin writes them (string, double, string[] ...).
        A field of another type (a mapping, a nested model) is no property: it travels in the record's JSON."""
        hints = typing.get_type_hints(self.model)
        typed = ((f, _graph_type(hints[f])) for f in self.fields if f not in self.ends)
        return tuple((f, kind) for f, kind in typed if kind)

    def property_values(self, record: Model) -> dict[str, object]:
        """The record's graph properties: enums as their codes; dates, numbers and lists as they are."""
        return {f: _graph_value(getattr(record, f)) for f, _ in self.properties}


def cell(value: object) -> object:
    """A value as a table file holds it: a list joined by LIST_JOIN, an enum as its code."""
    if isinstance(value, list):
        return LIST_JOIN.join(str(item) for item in value)
    return _graph_value(value)


def _graph_value(value: object) -> object:
    return value.value if isinstance(value, Enum) else value


_GRAPH_TYPES = {str: "string", float: "double", int: "long", bool: "boolean", date: "date"}


def _graph_type(hint: Any) -> str | None:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):  # X | None
        hint = next(a for a in typing.get_args(hint) if a is not type(None))
    if typing.get_origin(hint) is list:
        item = _graph_type(typing.get_args(hint)[0])
        return item + "[]" if item and not item.endswith("[]") else None
    if isinstance(hint, type) and issubclass(hint, Enum):
        return "string"
    return _GRAPH_TYPES.get(hint)


def _capital(f: Firm, _: LinkUnits) -> str | None:
    """Registered capital the way registries print it, so it reads back with its currency: 5,000万美元."""
    if f.registered_capital is None:
        return None
    return f"{number(f.registered_capital)}万{currency_word(f.capital_currency)}"


def _capacity(r: OperatesIn, link_units: LinkUnits) -> str | None:
    """The capacity as the source wrote it, else the number in the link's unit."""
    if r.capacity_text or r.capacity is None:
        return r.capacity_text
    return f"{r.capacity!r}{link_units.get(r.link_id) or ''}"


CHAIN = Schema(Chain)
LINK = Schema(Link)
FEEDS = Schema(Feeds, ends=("source", "target"))
FIRM = Schema(Firm, "firms", columns={
    "registered_capital": Column("registered_capital", _capital), "capital_currency": Column(None),
})
OPERATES_IN = Schema(OperatesIn, "firm_links", ends=("firm_id", "link_id"), columns={
    "capacity": Column("capacity", _capacity), "capacity_text": Column(None),
})
SUPPLIES = Schema(Supplies, "supplies", ends=("supplier_id", "customer_id"))
PROJECT = Schema(Project, "projects", columns={"link_ids": Column("links")})

# the records of each data-directory table
TABLES: dict[str, Schema] = {s.table: s for s in (FIRM, OPERATES_IN, SUPPLIES, PROJECT) if s.table}
