"""The firm population as columnar tables: firms, placements and supply ties in polars frames.

A million firms as pydantic records cost ~1.5 KB each and minutes to build; as columns they
cost tens of bytes a firm and are filtered and grouped in native code. The columns come from
the one field list, the models in chain_graph.model: a field added there is a column here.
Each frame carries `_row`, the table row a record was read from (None when not from a file).
Projects, links and chains stay records: a city has thousands of projects, not millions.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

import polars as pl
from pydantic import BaseModel

from .dataset import Dataset, Location
from .model import Chain, Feeds, Firm, Link, OperatesIn, Project, Region, Supplies

ROW = "_row"
# the Dataset list each frame holds, the model of its records and its origin kind
FRAMES: dict[str, tuple[type[BaseModel], str]] = {
    "firms": (Firm, "firm"), "operates_in": (OperatesIn, "operates_in"), "supplies": (Supplies, "supplies"),
}
_SCALAR = {str: pl.String, float: pl.Float64, int: pl.Int64, bool: pl.Boolean, date: pl.Date}


def _dtype(annotation: Any) -> pl.DataType:
    """The polars type of a model field: Optional unwrapped, enums as their codes, lists of scalars."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return _dtype(args[0])
    if typing.get_origin(annotation) is list:
        return pl.List(_dtype(args[0]))
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return pl.String
    return _SCALAR[annotation]


def schema(model: type[BaseModel]) -> dict[str, pl.DataType]:
    """Column name and type of every field of `model`, in field order, then the row number."""
    return {name: _dtype(f.annotation) for name, f in model.model_fields.items()} | {ROW: pl.Int64}


def enum_fields(model: type[BaseModel]) -> dict[str, type[Enum]]:
    out = {}
    for name, f in model.model_fields.items():
        ann = next((a for a in (f.annotation, *typing.get_args(f.annotation)) if isinstance(a, type)), None)
        if ann is not None and issubclass(ann, Enum):
            out[name] = ann
    return out


def frame_of(model: type[BaseModel], records: list[BaseModel], rows: list[int | None]) -> pl.DataFrame:
    """Records as a frame of `model`'s schema (enums as codes)."""
    names = list(model.model_fields)
    enums = enum_fields(model)
    columns: dict[str, list] = {n: [getattr(r, n) for r in records] for n in names}
    for name in enums:
        columns[name] = [None if v is None else v.value for v in columns[name]]
    columns[ROW] = rows
    return pl.DataFrame(columns, schema=schema(model))


def records_of(model: type[BaseModel], frame: pl.DataFrame) -> list[BaseModel]:
    """A frame's rows as records again, without validating them twice (they were validated as columns)."""
    names = list(model.model_fields)
    enums = enum_fields(model)
    columns = {n: frame.get_column(n).to_list() for n in names}  # in field order
    for name, enum in enums.items():
        columns[name] = [None if v is None else enum(v) for v in columns[name]]
    return [model.model_construct(**dict(zip(names, values))) for values in zip(*columns.values())]


@dataclass
class Tables:
    """A validated dataset with its population as columns; `dataset()` gives the records when needed."""

    region: Region
    chains: list[Chain] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    feeds: list[Feeds] = field(default_factory=list)
    firms: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=schema(Firm)))
    operates_in: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=schema(OperatesIn)))
    supplies: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=schema(Supplies)))
    projects: list[Project] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # frame name -> file it was read from
    origins: dict[str, Location] = field(default_factory=dict)  # chains, links, feeds, projects
    key: str = ""  # the content fingerprint, a store's version

    @classmethod
    def of(cls, ds: Dataset) -> "Tables":
        """A record dataset as tables, origins kept (the file of each frame is its first record's)."""
        out = cls(ds.region, list(ds.chains), list(ds.links), list(ds.feeds), projects=list(ds.projects),
                  key=ds.fingerprint())
        for name, (model, kind) in FRAMES.items():
            records = getattr(ds, name)
            where = [ds.origin(kind, getattr(r, "id", i)) for i, r in enumerate(records)]
            setattr(out, name, frame_of(model, records, [w.row if w else None for w in where]))
            first = next((w for w in where if w), None)
            if first:
                out.files[name] = first.file
        out.origins = {k: v for k, v in ds.origins.items() if not k.startswith(("firm:", "operates_in:", "supplies:"))}
        return out

    def dataset(self) -> Dataset:
        """The same data as records, with the origins of every record."""
        ds = Dataset(self.region, list(self.chains), list(self.links), list(self.feeds), projects=list(self.projects),
                     origins=dict(self.origins))
        for name, (model, kind) in FRAMES.items():
            frame = getattr(self, name)
            setattr(ds, name, records_of(model, frame))
            file = self.files.get(name)
            if file:
                keys = frame.get_column("id").to_list() if "id" in frame.columns else range(frame.height)
                for key, row in zip(keys, frame.get_column(ROW).to_list()):
                    ds.remember(kind, key, Location(file, row))
        return ds

    def origin(self, name: str, index: int) -> Location:
        """Where row `index` of frame `name` was read."""
        row = getattr(self, name).get_column(ROW)[index]
        return Location(self.files.get(name, f"<{FRAMES[name][1]}>"), row)
