"""Column names of the table files, and the Chinese headers accepted for each.

The headers live in platform_headers.yaml, as data: a platform that names a column differently
is a one-line change there, not code. Headers are compared by `header_key`, so full-width
brackets, spaces and a required-marker `*` do not make a header unknown.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import yaml

_DATA = yaml.safe_load((Path(__file__).with_name("platform_headers.yaml")).read_text(encoding="utf-8"))

ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    kind: {column: tuple(str(h) for h in headers) for column, headers in _DATA[kind].items()}
    for kind in ("firms", "firm_links", "supplies", "projects", "placements")
}
IMPORT_ALIASES: dict[str, tuple[str, ...]] = {
    column: tuple(str(h) for h in headers) for column, headers in _DATA["import"].items()
}
TAG_ALIASES: dict[str, str] = {str(alias): tag for tag, aliases in _DATA["tags"].items() for alias in aliases}
PLACEHOLDERS: frozenset[str] = frozenset(str(v) for v in _DATA["placeholders"])
LISTED_YES: frozenset[str] = frozenset(str(v) for v in _DATA["listed_yes"])

REQUIRED: dict[str, tuple[str, ...]] = {
    "firms": ("id", "name"),
    "firm_links": ("firm_id", "link_id"),
    "supplies": ("supplier_id", "customer_id"),
    "projects": ("id", "name", "status"),
    "placements": ("firm_id", "link_id", "action"),
}


def header_key(header: str) -> str:
    """The form headers are compared in: half-width, no spaces, no leading '*'."""
    return "".join(unicodedata.normalize("NFKC", header).split()).lstrip("*")


def header_map(
    kind: str, header: list[str], extra: dict[str, tuple[str, ...]] | None = None,
    custom: dict[str, str] | None = None,
) -> dict[str, str]:
    """Column name for each header the file has and we know.

    `extra` adds columns (with their headers) to the kind's own; `custom` maps a file's own
    headers to columns and wins over both.
    """
    lookup: dict[str, str] = {}
    for column, aliases in {**ALIASES[kind], **(extra or {})}.items():
        lookup[header_key(column)] = column
        lookup.update({header_key(alias): column for alias in aliases})
    lookup.update({header_key(h): column for h, column in (custom or {}).items()})
    return {h: lookup[header_key(h)] for h in header if h and header_key(h) in lookup}
