"""Column names of the table files, and the Chinese headers accepted for each.

The columns of the record tables are the models' fields (chain_graph.schema); their headers live
in platform_headers.yaml, as data: a platform that names a column differently is a one-line
change there, not code. Headers are compared by `header_key`, so full-width
brackets, spaces and a required-marker `*` do not make a header unknown; a header unknown as
written is tried once more without its unit (`年度计划投资（万元）`) and a leading year
(`2023年度计划投资`), which ledgers add. Where a column has several headers in one file, the one
listed first in the YAML comes first (企查查's 系统匹配企业名称 before 原文件导入名称).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml

from chain_graph.schema import TABLES

_DATA = yaml.safe_load((Path(__file__).with_name("platform_headers.yaml")).read_text(encoding="utf-8"))

# placements.csv and project_placements.csv hold fixes, not records: their columns are the YAML's
_FIXES = ("placements", "project_placements")
_COLUMNS = {kind: table.table_columns for kind, table in TABLES.items()} | {kind: tuple(_DATA[kind]) for kind in _FIXES}
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    kind: {column: tuple(str(h) for h in _DATA[kind].get(column) or ()) for column in columns}
    for kind, columns in _COLUMNS.items()
}
IMPORT_ALIASES: dict[str, tuple[str, ...]] = {
    column: tuple(str(h) for h in headers) for column, headers in _DATA["import"].items()
}
LEDGER_ALIASES: dict[str, tuple[str, ...]] = {
    column: tuple(str(h) for h in headers) for column, headers in _DATA["ledger"].items()
}
LEDGER_FAMILIES: dict[str, dict] = _DATA["ledger_families"]
LEDGER_STATUS_YES: frozenset[str] = frozenset(str(v) for v in _DATA["ledger_started_yes"])
TAG_ALIASES: dict[str, str] = {str(alias): tag for tag, aliases in _DATA["tags"].items() for alias in aliases}
PLACEHOLDERS: frozenset[str] = frozenset(str(v) for v in _DATA["placeholders"])
LISTED_YES: frozenset[str] = frozenset(str(v) for v in _DATA["listed_yes"])

REQUIRED: dict[str, tuple[str, ...]] = {
    **{kind: table.required_columns for kind, table in TABLES.items()},
    "placements": ("firm_id", "link_id", "action"),
    "project_placements": ("project_id", "link_id", "action"),
}
# a ledger needs only names: ids are 项目代码 or made from the name, statuses may come from progress words
IMPORT_REQUIRED: dict[str, tuple[str, ...]] = {"firms": REQUIRED["firms"], "projects": ("name",)}


# a money header's unit: `(亿元)`, `(单位:万元)`, a 项目谋划 card's `(内资-亿元)` and `(外资-万美元)`
_UNIT = re.compile(r"\((?:单位[:：]?|[内外]资[-—:：]?)?\s*(亿元|万元|元|万美元|亿美元)\s*\)$|[(（]?单位[:：]\s*(亿元|万元|元)[)）]?$")
_LEADING_YEAR = re.compile(r"^(?:19|20)\d{2}(?=年)")


def header_key(header: str) -> str:
    """The form headers are compared in: half-width, no spaces, no leading '*'."""
    return "".join(unicodedata.normalize("NFKC", header).split()).lstrip("*")


def header_unit(header: str) -> str | None:
    """The money unit a header states: `总投资（亿元）` → 亿元, `年度计划投资(单位:万元)` → 万元."""
    match = _UNIT.search(header_key(header))
    return (match.group(1) or match.group(2)) if match else None


def header_year(header: str) -> int | None:
    """The year a header starts with: `2023年度计划投资` → 2023."""
    match = _LEADING_YEAR.match(header_key(header))
    return int(match.group(0)) if match else None


def _bare(key: str) -> str:
    return _LEADING_YEAR.sub("", _UNIT.sub("", key))


def header_map(
    kind: str, header: list[str], extra: dict[str, tuple[str, ...]] | None = None,
    custom: dict[str, str] | None = None,
) -> dict[str, str]:
    """Column name for each header the file has and we know.

    `extra` adds columns (with their headers) to the kind's own; `custom` maps a file's own
    headers to columns and wins over both.
    """
    lookup: dict[str, tuple[str, int]] = {}  # header key → column and the header's rank among the column's
    for column, aliases in {**ALIASES[kind], **(extra or {})}.items():
        lookup.setdefault(header_key(column), (column, 0))
        for rank, alias in enumerate(aliases, start=1):
            lookup.setdefault(header_key(alias), (column, rank))
    lookup.update({header_key(h): (column, -1) for h, column in (custom or {}).items()})
    found = {}
    for position, h in enumerate(header):
        key = header_key(h) if h else ""
        hit = lookup.get(key) or lookup.get(_bare(key))
        if h and hit:
            found[h] = (hit[1], position, hit[0])
    return {h: column for h, (_, _, column) in sorted(found.items(), key=lambda item: item[1][:2])}
