"""A table's cells into validated columns, with the same problems as reading it row by row.

Every distinct cell text of a column is read once by the same cell readers as `parse_record`
(records.py) and its field values validated once by the model; a million firms have a few
distinct statuses, tags or provinces. Plain text columns (ids, names) are not read per cell at
all. A row with any cell that fails, or a required cell left empty, is read again by
`parse_record`, so its problems are word for word the row reader's.
"""

from __future__ import annotations

import typing

import polars as pl
from pydantic import BaseModel, ValidationError

from chain_graph import hygiene, units
from chain_graph.columnar import ROW, enum_fields, frame_of, schema
from chain_graph.schema import TABLES
from chain_graph.dataset import Location
from chain_graph.validation import Problem

from . import cleaning
from .records import CLEANERS, NORMALIZED, SPECIAL, _read, check_header, parse_record

# chain_graph.hygiene's refused characters, as a pattern polars' regex engine reads
_HIDDEN = "".join(c if c in "[]-|" else f"\\x{{{ord(c):x}}}" for c in hygiene._ANY.pattern)
_SEP = "\x1f"  # joins a capacity with its link id into one key; never in a stripped cell
_NOT_NFKC_STABLE = r"[^\x00-\x7f\x{4e00}-\x{9fff}]"  # a character NFKC may change


def parse_frame(
    kind: str, file: str, header: list[str], frame: pl.DataFrame, link_units: dict[str, str | None],
) -> tuple[pl.DataFrame | None, list[Problem], list[tuple[str, Location]]]:
    """The records of table `kind` as a frame of its model's schema (row numbers in ROW), the problems,
    and the id of each row left out with where it is (as `Parsed.rejected`)."""
    mapping, problems = check_header(kind, file, header)
    rejected: list[tuple[str, Location]] = []
    if mapping is None:
        return None, problems, rejected
    model = TABLES[kind].model
    source = {mapping[h]: h for h in header if h in mapping}  # a column named twice: the last header wins
    bad = pl.repeat(False, frame.height, eager=True)
    fields: dict[str, pl.Series] = {}
    for column, name in source.items():
        cells = frame.get_column(name)
        field_name = TABLES[kind].field_of(column)
        if _plain(kind, column, field_name, model):
            values = _normalized(cells) if column in NORMALIZED else cells
            fields[field_name] = pl.select(pl.when(cells == "").then(None).otherwise(values)).to_series()
            continue
        keys = cells
        if (kind, column) == ("firm_links", "capacity"):
            link_ids = frame.get_column(source["link_id"]) if "link_id" in source else pl.repeat("", frame.height, eager=True)
            keys = cells + _SEP + link_ids
        fast = _FAST.get((kind, column))
        done = fast(keys, link_units) if fast else {}
        slow = keys if not done else keys.filter(done["_fast"].not_())
        read, failed = _read_distinct(kind, column, slow, model, link_units)
        bad = bad | keys.is_in(failed)
        for name_, by_key in read.items():
            fields[name_] = keys.replace_strict(
                list(by_key), list(by_key.values()), default=None, return_dtype=schema(model)[name_])
            if done:
                fields[name_] = pl.select(pl.when(done["_fast"]).then(done[name_]).otherwise(fields[name_])).to_series()
        for name_ in done:
            if name_ != "_fast" and name_ not in read:
                fields[name_] = pl.select(pl.when(done["_fast"]).then(done[name_])).to_series()
    for name_, f in model.model_fields.items():
        if f.is_required():
            bad = bad | (fields[name_].is_null() if name_ in fields else True)
    named = [c for c in frame.columns if c != ROW]
    hidden = pl.select(pl.any_horizontal([frame.get_column(c).str.contains(_HIDDEN) for c in named])
                       if named else pl.lit(False)).to_series()
    bad = bad | hidden
    out = _assemble(model, fields, frame.get_column(ROW), frame.height).filter(~bad)
    redo = frame.filter(bad)
    if redo.height:
        again, problems_again = _row_by_row(kind, file, header, mapping, redo, link_units, model, rejected)
        problems.extend(problems_again)
        if again.height:
            out = pl.concat([out, again]).sort(ROW)
    return out, problems, rejected


_NUMBER = r"([0-9]+(?:\.[0-9]+)?)"


def _fast_capital(keys: pl.Series, link_units: dict) -> dict[str, pl.Series]:
    """`cleaning.parse_capital` of the plain CNY forms ('5000', '5,000.5万元', '1.2亿', '305843.0395万元人民币'),
    in native code."""
    parts = keys.str.extract_groups(r"^([0-9][0-9,]*(?:\.[0-9]+)?)(?:(万元|万|亿元|亿)(?:人民币)?)?$")
    number = parts.struct.field("1").str.replace_all(",", "").cast(pl.Float64)
    scale = parts.struct.field("2")
    value = pl.select(pl.when(scale.str.starts_with("亿")).then(number * 10000).otherwise(number)).to_series()
    fast = number.is_not_null()
    return {"_fast": fast, "registered_capital": value, "capital_currency": pl.repeat("CNY", len(keys), eager=True)}


def _fast_capacity(keys: pl.Series, link_units: dict) -> dict[str, pl.Series]:
    """`_link_capacity` of 'number unit' cells whose unit converts to the link's: value * fa / fb in native code."""
    parts = keys.str.extract_groups(f"^{_NUMBER}([^\\s0-9.,+-][^\\s{_SEP}]*){_SEP}(.*)$")
    number = parts.struct.field("1").cast(pl.Float64)
    pairs = pl.DataFrame({"unit": parts.struct.field("2"), "link": parts.struct.field("3")})
    fa, fb = {}, {}
    for unit, link in pairs.filter(pl.col("unit").is_not_null()).unique().iter_rows():
        try:
            if link in link_units and link_units[link] is not None and units.parse_quantity("1" + unit):
                fa[(unit, link)], fb[(unit, link)] = units.factors(unit, link_units[link])
        except units.UnitError:
            continue
    key = pairs.select(pl.concat_str("unit", "link", separator=_SEP)).to_series()
    joined = {f"{u}{_SEP}{l}": v for (u, l), v in fa.items()}
    a = key.replace_strict(list(joined), list(joined.values()), default=None, return_dtype=pl.Float64)
    joined = {f"{u}{_SEP}{l}": v for (u, l), v in fb.items()}
    b = key.replace_strict(list(joined), list(joined.values()), default=None, return_dtype=pl.Float64)
    capacity = number * a / b
    fast = capacity.is_not_null()
    text = keys.str.split(_SEP).list.first()
    return {"_fast": fast, "capacity": capacity, "capacity_text": text}


def _fast_paid_in(keys: pl.Series, link_units: dict) -> dict[str, pl.Series]:
    """`_paid_in` (records.py) of the same forms: the amount alone."""
    read = _fast_capital(keys, link_units)
    return {"_fast": read["_fast"], "paid_in_capital": read["registered_capital"]}


_FAST = {("firms", "registered_capital"): _fast_capital, ("firms", "paid_in_capital"): _fast_paid_in,
         ("firm_links", "capacity"): _fast_capacity}


def _plain(kind: str, column: str, field_name: str, model: type[BaseModel]) -> bool:
    """A text field taken as written (or normalized): no cleaner, no constraint, no validator."""
    f = model.model_fields.get(field_name)
    if f is None or column in CLEANERS or (kind, column) in SPECIAL or f.metadata:
        return False
    if any(field_name in d.info.fields for d in model.__pydantic_decorators__.field_validators.values()):
        return False
    return f.annotation in (str, str | None, typing.Optional[str])


def _normalized(cells: pl.Series) -> pl.Series:
    """`cleaning.normalize_text` of each cell: NFKC in native code; cells with any space go through
    Python so that runs of spaces collapse exactly as str.split() does. ASCII and the CJK unified
    ideographs are their own NFKC form, so only the distinct cells with another character (a
    full-width bracket, a compatibility form) are normalized: most names have none."""
    other = cells.str.contains(_NOT_NFKC_STABLE).fill_null(False)
    nfkc = cells
    if other.any():
        odd = cells.filter(other).unique()
        nfkc = pl.select(pl.when(other).then(cells.replace_strict(odd, odd.str.normalize("NFKC"), default=None))
                         .otherwise(cells)).to_series()
    spaced = nfkc.str.contains(r"[\s\x1c-\x1f\x85\xa0]")
    if not spaced.any():
        return nfkc
    odd = cells.filter(spaced).unique()
    fixed = [cleaning.normalize_text(t) for t in odd.to_list()]
    return pl.select(pl.when(spaced).then(cells.replace_strict(odd, fixed, default=None)).otherwise(nfkc)).to_series()


def _read_distinct(kind: str, column: str, keys: pl.Series, model: type[BaseModel], link_units: dict):
    """For each distinct non-empty cell: the field values it gives (validated by the model), or failure."""
    read: dict[str, dict[str, object]] = {}
    failed: list[str] = []
    dummy = {n: "x" for n, f in model.model_fields.items() if f.is_required() and f.annotation is str}
    enums = enum_fields(model)
    for key in keys.unique().to_list():
        text, _, link_id = key.partition(_SEP)
        if text == "":
            continue
        try:
            data = _read(kind, column, text, {"link_id": link_id}, link_units)
            record = model(**{**dummy, **data})
        except (cleaning.CleaningError, units.UnitError, ValidationError):
            failed.append(key)
            continue
        for name in data:
            value = getattr(record, name)
            read.setdefault(name, {})[key] = value.value if name in enums and value is not None else value
    return read, failed


def _assemble(model: type[BaseModel], fields: dict[str, pl.Series], rows: pl.Series, height: int) -> pl.DataFrame:
    """The model's columns: read values where a cell had one, the field's default elsewhere."""
    enums = enum_fields(model)
    present = pl.DataFrame([fields[n].alias(n) for n in fields] + [rows.alias(ROW)]) if height else None
    columns = []
    for name, dtype in schema(model).items():
        if name == ROW:
            columns.append(pl.col(ROW))
            continue
        f = model.model_fields[name]
        default = None if f.is_required() else f.get_default(call_default_factory=True)
        if name in enums and default is not None:
            default = default.value
        fill = pl.lit(pl.Series([default], dtype=dtype)).first() if isinstance(default, list) else pl.lit(default, dtype)
        value = pl.col(name).cast(dtype) if name in fields else fill
        columns.append((value.fill_null(fill) if default is not None else value).alias(name))
    if present is None:
        return pl.DataFrame(schema=schema(model))
    return present.select(columns)


def _row_by_row(kind, file, header, mapping, redo: pl.DataFrame, link_units, model, rejected: list):
    """Rows with a problem, read by `parse_record`: its problems, and any record it still makes."""
    problems: list[Problem] = []
    records, rows = [], []
    names = [h for h in dict.fromkeys(header) if h and h in mapping]
    cells = [h for h in dict.fromkeys(header) if h]
    for row in redo.iter_rows(named=True):
        flaws = hygiene.flaws({h: row[h] for h in cells})
        if flaws:  # refused before any other check, the row left out (as the row reader does)
            problems.extend(Problem(Location(file, row[ROW], mapping.get(h, h)), why, hygiene.hint())
                            for h, why in flaws.items())
            continue
        values = {mapping[h]: row[h] for h in names}
        record, row_problems = parse_record(kind, Location(file, row[ROW]), values, link_units)
        problems.extend(row_problems)
        if record is None and values.get("id"):
            rejected.append((values["id"].strip(), Location(file, row[ROW])))
        if record is not None:
            records.append(record)
            rows.append(row[ROW])
    return frame_of(model, records, rows), problems
