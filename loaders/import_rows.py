"""One row of an imported file (a platform's enterprise list or a project ledger) made into the
cells of a data-directory table, or the reasons it cannot be.

Cells are cleaned the way platforms write them: placeholders ('-', '暂无') are empty, text is
half-width with single spaces, statuses lose their decorations, platform tags become the tags
the scoring knows and 是否上市 = 是 the tag 上市. A row is rejected, with every reason, when its
key is missing or wrong (a credit code is checked against its GB 32100-2015 check digit), a value
cannot be read, or a text cell would run as a formula in a spreadsheet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from chain_graph import creditcode, hygiene
from chain_graph.dataset import Location
from chain_graph.i18n import Message, msg
from chain_graph.model import FirmScale, FirmStatus
from chain_graph.rules import FORMULA_STARTS, LIST_JOIN, formula_start, split_list

from . import cleaning
from .columns import LISTED_YES, PLACEHOLDERS, TAG_ALIASES
from .records import DATE_COLUMNS, parse_record
from .tables import Row, frame_rows

# the free-text cells that are stored; other stored cells are parsed, so a formula fails to parse
TEXT_COLUMNS = {"firms": ("name", "province", "city", "district", "tags", "financing"),
                "projects": ("name", "capacity", "builder")}
_QUOTES = str.maketrans("", "", "“”\"'《》「」")


@dataclass(frozen=True)
class Rejection:
    row: int
    column: str
    value: str
    reason: Message
    hint: Message | None


@dataclass
class ImportRow:
    """An accepted row: the table cells to write."""

    row: int
    cells: dict[str, str]

    @property
    def key(self) -> str:
        return self.cells["id"]


class Described(NamedTuple):
    """What classification reads of a firm; not stored, so a long business scope is not kept."""

    name: str
    scope: str
    industry: str
    industry_codes: tuple[str, ...]
    node: str  # the platform's own chain node (企查查 产业链节点, else its deepest 分类 level)
    position: str  # the platform's 产业位置 (上游/中游/下游)


def cell_values(row: Row, mapping: dict[str, str]) -> dict[str, list[str]]:
    """Each column's cleaned, non-empty values (a column may have several headers).

    The business scope, long and only read by the classifier (which normalises it), stays as written.
    """
    values: dict[str, list[str]] = {}
    for header, column in mapping.items():
        text = row.values.get(header, "")
        text = text if column == "scope" else cleaning.normalize_text(text)
        if text and text not in PLACEHOLDERS:
            values.setdefault(column, []).append(text)
    return values


def flawed(row: Row, mapping: dict[str, str]) -> list[Rejection]:
    """The row's cells refused for hidden characters (chain_graph.hygiene), before any other check."""
    return [Rejection(row.number, mapping.get(h, h), row.values[h], why, hygiene.hint()) for h, why in row.flaws.items()]


class Reading:
    """The start every row reader shares: the row's cleaned values per column, the first of each,
    and the rejections found so far."""

    def __init__(self, row: Row, mapping: dict[str, str]):
        self.number = row.number
        self.values = cell_values(row, mapping)
        self.first = {column: texts[0] for column, texts in self.values.items()}
        self.rejections: list[Rejection] = []

    def reject(self, column: str, reason: Message, hint: Message) -> None:
        self.rejections.append(Rejection(self.number, column, self.first.get(column, ""), reason, hint))


def read_firm(row: Row, mapping: dict[str, str], file: str, source: str) -> tuple[ImportRow, Described] | list[Rejection]:
    if row.flaws:
        return flawed(row, mapping)
    reading = Reading(row, mapping)
    values, first, rejections, reject = reading.values, reading.first, reading.rejections, reading.reject
    code = first.get("id", "").upper().replace(" ", "")
    why = msg("code.missing") if not code else creditcode.problem(code)
    if why:
        reject("id", msg("import.credit_code", why=why), msg("import.credit_code_hint"))
    if "name" not in first:
        reject("name", msg("import.name_missing"), msg("import.name_missing_hint"))
    status = cleaning.status_word(first.get("status", ""))
    try:
        FirmStatus(status or FirmStatus.ACTIVE)
    except ValueError:
        reject("status", msg("import.unknown_status", value=first["status"]), msg("import.firm_status_hint"))
    cells = {
        "id": code, "name": first.get("name", ""), "status": status, "province": first.get("province", ""),
        "city": first.get("city", ""), "district": first.get("district", ""),
        "tags": LIST_JOIN.join(_tags(first.get("tags", ""), first.get("listed", ""), first.get("financing", ""))),
        "registered_capital": first.get("registered_capital", ""), "founded": first.get("founded", ""),
        "paid_in_capital": first.get("paid_in_capital", ""), "scale": _scale(first.get("scale", "")),
        "insured": _people(first.get("insured", "")), "financing": first.get("financing", ""),
        "source": source,
    }
    rejections += check_cells(row.number, "firms", file, cells, {r.column for r in rejections}, {})
    if rejections:
        return rejections
    industry = " / ".join(dict.fromkeys(values.get("industry", [])))
    codes = cleaning.industry_codes(" ".join([*values.get("industry_code", []), industry]))
    node = first.get("chain_node") or first.get("chain_level", "")
    return ImportRow(row.number, cells), Described(cells["name"], first.get("scope", ""), industry, codes, node,
                                                   first.get("chain_position", ""))


def _scale(text: str) -> str:
    """企业规模 as the model reads it, or empty: a platform's other wording is no reason to reject a firm."""
    try:
        return FirmScale(text).value if text else ""
    except ValueError:
        return ""


def _people(text: str) -> str:
    """参保人数 as a whole number: '35', '35人' → 35; anything else empty."""
    match = re.fullmatch(r"(\d+)\s*人?", text)
    return match.group(1) if match else ""


def check_cells(number: int, kind: str, file: str, cells: dict[str, str], rejected: set[str],
                units: dict[str, str | None]) -> list[Rejection]:
    """The rejections of cells about to be written: formulas, and values the loader could not read."""
    found = _formulas(number, cells, TEXT_COLUMNS[kind])
    return found + _unreadable(number, kind, file, cells, rejected | {r.column for r in found}, units)


def _tags(text: str, listed: str, financing: str) -> list[str]:
    tags = [TAG_ALIASES.get(t.translate(_QUOTES), t) for t in split_list(text, blanks=True)]
    if listed in LISTED_YES or TAG_ALIASES.get(financing.translate(_QUOTES)) == "上市":
        tags.append("上市")
    return list(dict.fromkeys(tags))


def _formulas(number: int, cells: dict[str, str], columns: tuple[str, ...]) -> list[Rejection]:
    """Text the export would have to quote (rules.formula_start) is refused, not stored: a stored
    value is the data keeper's, and quoting it would change a firm's name behind their back."""
    starts = {column: formula_start(cells.get(column, "")) for column in columns}
    return [
        Rejection(number, column, cells[column], msg("import.formula", column=column, start=start),
                  msg("import.formula_hint"))
        for column, start in starts.items() if start
    ]


def _unreadable(number: int, kind: str, file: str, cells: dict[str, str], rejected: set[str],
                units: dict[str, str | None]) -> list[Rejection]:
    """Values the data-directory loader could not read (the same check, so what is written loads);
    dates it can read are rewritten in their canonical form (2024-03-31, 2024-03, 2024-Q1, 2024,
    2023/2025), so the table holds one form per precision."""
    given = {column: text for column, text in cells.items() if text and column not in rejected}
    record, problems = parse_record(kind, Location(file, number), given, units)
    for column in DATE_COLUMNS:
        if record is not None and getattr(record, column, None):
            cells[column] = str(getattr(record, column))
    return [
        Rejection(number, p.location.column or "", cells.get(p.location.column or "", ""), p.message, p.hint)
        for p in problems if p.location.column not in rejected
    ]


# ------------------------------------------------------------------------------ a whole table at once

FIRM_CELLS = ("id", "name", "status", "province", "city", "district", "tags", "registered_capital", "founded",
              "paid_in_capital", "scale", "insured", "financing", "source")  # read_firm's cells, in its order
_CLASSIFIED = ("scope", "industry", "industry_codes", "node", "position")


def read_firms(frame, header: list[str], mapping: dict[str, str], file: str,
               source: str) -> list[tuple[ImportRow, Described] | list[Rejection]]:
    """`read_firm` of every row of a table frame (loaders.tables.frame_table), in row order, with the
    same results: each column cleaned as a column, values such as statuses, tags and dates read
    once per distinct text, the checks run on columns. A row any check doubts (a hidden character,
    a wrong credit code, a value that does not read, a cell starting like a formula) is read again
    by `read_firm`, so its rejections are word for word the row reader's."""
    import polars as pl

    from chain_graph.columnar import ROW
    from .frames import _HIDDEN, _normalized, parse_frame

    n = frame.height
    if not n:
        return []
    empty = pl.repeat("", n, dtype=pl.String, eager=True)
    placeholders = sorted(PLACEHOLDERS)
    texts: dict[str, list[pl.Series]] = {}

    def values(column: str) -> list[pl.Series]:
        """cell_values of one column (null where a cell is empty), read when first asked."""
        if column not in texts:
            texts[column] = []
            for header_cell in (h for h, c in mapping.items() if c == column):
                cells = frame.get_column(header_cell)
                text = cells if column == "scope" else _normalized(cells)
                texts[column].append(
                    pl.select(pl.when((text == "") | text.is_in(placeholders)).then(None).otherwise(text)).to_series())
        return texts[column]

    def first(column: str) -> pl.Series:
        got = values(column)
        return pl.select(pl.coalesce(got).fill_null("")).to_series() if got else empty

    def each(series: pl.Series, read) -> pl.Series:
        distinct = series.unique().to_list()
        return series.replace_strict(distinct, [read(v) for v in distinct], return_dtype=pl.String)

    named = [h for h in dict.fromkeys(header) if h]
    doubt = pl.select(pl.any_horizontal([frame.get_column(h).str.contains(_HIDDEN) for h in named])).to_series()
    code = first("id")
    code = pl.select(pl.when(code.str.contains(r"^[0-9A-Za-z ]*$"))
                     .then(code.str.to_uppercase().str.replace_all(" ", "", literal=True))).to_series()
    status = each(first("status"), cleaning.status_word)
    cells = {
        "id": code.fill_null(""), "name": first("name"), "status": status, "province": first("province"),
        "city": first("city"), "district": first("district"),
        "tags": each(first("tags") + "\x1f" + first("listed") + "\x1f" + first("financing"),
                     lambda key: LIST_JOIN.join(_tags(*key.split("\x1f")))),
        "registered_capital": first("registered_capital"), "founded": first("founded"),
        "paid_in_capital": first("paid_in_capital"), "scale": each(first("scale"), _scale),
        "insured": each(first("insured"), _people), "financing": first("financing"), "source": empty + source,
    }
    table = pl.DataFrame(cells).with_columns(frame.get_column(ROW).alias(ROW))
    doubt = doubt | code.is_null() | (cells["name"] == "")
    doubt = doubt | ~creditcode.valid_column(cells["id"])
    doubt = doubt | ~each(status, lambda s: "1" if _is_status(s or FirmStatus.ACTIVE) else "").eq("1")
    starts = "^[\\s" + FORMULA_STARTS.replace("-", "\\-") + "]"  # formula_start, and any cell starting blank
    for column in TEXT_COLUMNS["firms"]:
        doubt = doubt | pl.select(pl.lit(cells[column]).str.normalize("NFKC").str.contains(starts)).to_series()
    given = [c for c in FIRM_CELLS if c in cells]
    parsed, problems, _ = parse_frame("firms", file, given, table.select([*given, ROW]), {})
    troubled = [p.location.row for p in problems if p.location.row is not None]
    rows = frame.get_column(ROW)
    doubt = doubt | rows.is_in(troubled) | ~rows.is_in(parsed.get_column(ROW).implode())
    founded = parsed.select(ROW, pl.col("founded").cast(pl.String).alias("_founded"))
    table = table.join(founded, on=ROW, how="left").with_columns(
        pl.when(pl.col("_founded").is_not_null()).then(pl.col("_founded")).otherwise(pl.col("founded")).alias("founded"))
    industry = pl.select(pl.concat_list(values("industry") or [empty]).list.drop_nulls()
                         .list.unique(maintain_order=True).list.join(" / ")).to_series()
    code_texts = pl.select(pl.concat_list(values("industry_code") or [empty]).list.drop_nulls().list.join(" ")).to_series()
    codes = {key: cleaning.industry_codes(key) for key in (code_texts + " " + industry).unique().to_list()}
    node = first("chain_node")
    described = pl.DataFrame({
        "scope": _nfkc(first("scope")),  # as the classifier compares it, in native code
        "industry": industry, "industry_codes": code_texts + " " + industry,
        "node": pl.select(pl.when(node != "").then(node).otherwise(first("chain_level"))).to_series(),
        "position": first("chain_position"),
    })
    results: list = []
    slow = {row.number: read_firm(row, mapping, file, source) for row in frame_rows(frame.filter(doubt), header)}
    firm_rows = zip(*(table.get_column(c).to_list() for c in FIRM_CELLS))  # columns to Python at once
    about_rows = zip(*(described.get_column(c).to_list() for c in described.columns))
    for number, bad, values, about in zip(rows.to_list(), doubt.to_list(), firm_rows, about_rows):
        if bad:
            results.append(slow[number])
            continue
        results.append((ImportRow(number, dict(zip(FIRM_CELLS, values))),
                        Described(values[1], about[0], about[1], codes[about[2]], about[3], about[4])))
    return results


# characters whose NFKC form is themselves and that compose with nothing: ASCII, CJK ideographs, 、。《》「」『』【】
_STABLE = r"^[\x20-\x7e\u4e00-\u9fff\u3001\u3002\u300a-\u3011]*$"
_WIDE = [chr(c) for c in range(0xFF01, 0xFF5F)] + ["\u3000"]  # full-width forms, each NFKC to one ASCII character
_NARROW = [chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)] + [" "]


def _nfkc(texts):
    """`unicodedata.normalize("NFKC", …)` of each text, in native code and cheaply: the full-width
    forms are mapped one by one (NFKC maps each alone), and a text with any character outside
    _STABLE afterwards is normalised in full. Exact: NFKC of a text is NFKC of its characters'
    NFKC forms, and a text of _STABLE characters is its own NFKC."""
    mapped = texts.str.replace_many(_WIDE, _NARROW)
    unstable = (~mapped.str.contains(_STABLE)).arg_true()
    return mapped.scatter(unstable, texts.gather(unstable).str.normalize("NFKC")) if len(unstable) else mapped


def _is_status(word: str) -> bool:
    try:
        FirmStatus(word)
        return True
    except ValueError:
        return False
