"""The data keeper's placement fixes, which every import applies after classifying: placements.csv
for firms, project_placements.csv (project_id, link_id, action, note) for ledger projects.

Classification is re-run on every import, so a fix made in firm_links.csv to an imported placement
would be undone; a fix written here is applied again each time and so survives re-import.
Rows copied from review.csv work as they are: extra columns are ignored, and a row whose link
and action are still empty is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from chain_graph.dataset import Location
from chain_graph.i18n import msg
from chain_graph.validation import Problem

from . import cleaning
from .columns import REQUIRED, header_map
from .directory import table_path
from .tables import TableError, stream_table

ACTIONS = {"add": "add", "添加": "add", "增加": "add", "加入": "add", "remove": "remove", "删除": "remove",
           "移除": "remove", "去除": "remove"}


@dataclass(frozen=True)
class Fix:
    subject: str  # the firm id (placements) or project id (project_placements)
    link_id: str
    action: str  # "add" or "remove"
    note: str
    row: int

    def evidence(self, file: str) -> str:
        return f"人工指定（{file}第{self.row}行）" + (f"：{self.note}" if self.note else "")


def read_fixes(root: Path, link_ids: set[str], kind: str = "placements") -> tuple[str, list[Fix], list[Problem]]:
    """The fixes of `root`'s `kind` table (placements or project_placements; none when there is no
    such file), and its problems."""
    path = table_path(root, kind)
    if path is None:
        return f"{kind}.csv", [], []
    key = REQUIRED[kind][0]
    fixes: list[Fix] = []
    problems: list[Problem] = []
    try:
        table = stream_table(path, path.name)
        mapping = header_map(kind, table.header)
        missing = [c for c in REQUIRED[kind] if c not in mapping.values()]
        if missing:
            return path.name, [], [Problem(Location(path.name, 1), msg("load.missing_columns", columns="、".join(missing)),
                                           msg("fixes.hint", key=key))]
        for row in table.rows:
            values = {c: row.values.get(h, "") if c == "note" else cleaning.normalize_text(row.values.get(h, ""))
                      for h, c in mapping.items()}
            if not values.get("link_id") and not values.get("action"):
                continue
            fix, problem = _fix(values, Location(path.name, row.number), link_ids, key)
            fixes.extend([fix] if fix else [])
            problems.extend([problem] if problem else [])
    except TableError as err:
        problems.append(Problem(Location(path.name), err.message, msg("load.table_hint")))
    return path.name, fixes, problems


def _fix(values: dict[str, str], where: Location, link_ids: set[str], key: str) -> tuple[Fix | None, Problem | None]:
    subject, link = values.get(key, ""), values.get("link_id", "")
    subject = subject.upper() if key == "firm_id" else subject  # credit codes are upper case
    action = ACTIONS.get(values.get("action", "").lower())
    if not subject:
        return None, Problem(where.at(key), msg("fixes.empty", key=key), msg("fixes.hint", key=key))
    if link not in link_ids:
        return None, Problem(where.at("link_id"), msg("val.unknown_link", value=link), msg("val.link_hint"))
    if action is None:
        return None, Problem(where.at("action"), msg("fixes.unknown_action", value=values.get("action", "")),
                             msg("fixes.action_hint"))
    return Fix(subject, link, action, values.get("note", ""), where.row or 0), None
