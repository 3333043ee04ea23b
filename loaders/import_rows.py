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

from chain_graph import creditcode
from chain_graph.dataset import Location
from chain_graph.model import FirmStatus, Link

from . import cleaning
from .columns import LISTED_YES, PLACEHOLDERS, TAG_ALIASES
from .records import parse_record
from .tables import Row

FORMULA_START = ("=", "+", "-", "@")
DATE_COLUMNS = ("founded", "signed_date", "planned_start", "actual_start", "planned_completion", "actual_completion")
# the free-text cells that are stored; other stored cells are parsed, so a formula fails to parse
TEXT_COLUMNS = {"firms": ("name", "province", "city", "district", "tags"), "projects": ("name", "capacity")}
STATUS_HINT = "use 存续/在业/开业/在营 (active) or 注销/吊销/迁出/停业/清算 (inactive)"
_TAG_SPLIT = re.compile(r"[;,|、\s]+")
_QUOTES = str.maketrans("", "", "“”\"'《》「」")


@dataclass(frozen=True)
class Rejection:
    row: int
    column: str
    value: str
    reason: str
    hint: str


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


def read_firm(row: Row, mapping: dict[str, str], file: str, source: str) -> tuple[ImportRow, Described] | list[Rejection]:
    values = cell_values(row, mapping)
    first = {column: texts[0] for column, texts in values.items()}
    rejections: list[Rejection] = []

    def reject(column: str, reason: str, hint: str) -> None:
        rejections.append(Rejection(row.number, column, first.get(column, ""), reason, hint))

    code = first.get("id", "").upper().replace(" ", "")
    why = "is missing" if not code else creditcode.problem(code)
    if why:
        reject("id", f"credit code {why}" if code else "credit code is missing",
               "copy the 18-character 统一社会信用代码 from the registry (keep the column as text in Excel)")
    if "name" not in first:
        reject("name", "firm name is missing", "fill in the 企业名称")
    status = cleaning.status_word(first.get("status", ""))
    try:
        FirmStatus(status or FirmStatus.ACTIVE)
    except ValueError:
        reject("status", f"unknown status {first['status']!r}", STATUS_HINT)
    cells = {
        "id": code, "name": first.get("name", ""), "status": status, "province": first.get("province", ""),
        "city": first.get("city", ""), "district": first.get("district", ""),
        "tags": ";".join(_tags(first.get("tags", ""), first.get("listed", ""))),
        "registered_capital": first.get("registered_capital", ""), "founded": first.get("founded", ""),
        "source": source,
    }
    rejections += _formulas(row.number, cells, TEXT_COLUMNS["firms"])
    rejections += _unreadable(row.number, "firms", file, cells, {r.column for r in rejections}, {})
    if rejections:
        return rejections
    industry = " / ".join(dict.fromkeys(values.get("industry", [])))
    codes = cleaning.industry_codes(" ".join([*values.get("industry_code", []), industry]))
    return ImportRow(row.number, cells), Described(cells["name"], first.get("scope", ""), industry, codes)


def read_project(row: Row, mapping: dict[str, str], file: str, source: str, links: list[Link],
                 firm_ids: set[str]) -> ImportRow | list[Rejection]:
    """A ledger row; links may be given by id or by name, the firm must be in the firm table."""
    first = {column: texts[0] for column, texts in cell_values(row, mapping).items()}
    cells = {**first, "source": source}
    rejections: list[Rejection] = []
    by_name = {link.name: link.id for link in links} | {link.id: link.id for link in links}
    if "links" in cells:
        names = [n for n in re.split(r"[;,|、]+", cells["links"]) if n.strip()]
        unknown = [n.strip() for n in names if n.strip() not in by_name]
        if unknown:
            rejections.append(Rejection(row.number, "links", cells["links"], f"unknown link {'、'.join(unknown)}",
                                        "use link ids or names of data/chains/*.yaml (`chain-graph links`)"))
        cells["links"] = ";".join(by_name.get(n.strip(), n.strip()) for n in names)
    cells["firm_id"] = cells.get("firm_id", "").upper()
    if cells["firm_id"] and cells["firm_id"] not in firm_ids:
        rejections.append(Rejection(
            row.number, "firm_id", cells["firm_id"], f"firm {cells['firm_id']} is not in the firm table",
            "import the firm first (chain-graph import FILE --kind firms) or leave the cell empty",
        ))
    rejections += _formulas(row.number, cells, TEXT_COLUMNS["projects"])
    units = {link.id: link.unit for link in links}
    rejections += _unreadable(row.number, "projects", file, cells, {r.column for r in rejections}, units)
    return rejections or ImportRow(row.number, {k: v for k, v in cells.items() if v})


def _tags(text: str, listed: str) -> list[str]:
    tags = [TAG_ALIASES.get(t.translate(_QUOTES), t) for t in _TAG_SPLIT.split(text) if t]
    if listed in LISTED_YES:
        tags.append("上市")
    return list(dict.fromkeys(tags))


def _formulas(number: int, cells: dict[str, str], columns: tuple[str, ...]) -> list[Rejection]:
    return [
        Rejection(number, column, cells[column], f"{column} starts with {cells[column][0]!r}, "
                  "which a spreadsheet would run as a formula", "remove the leading character in the file")
        for column in columns if cells.get(column, "").startswith(FORMULA_START)
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
