"""Import an enterprise list (企查查, 天眼查, 启信宝, a market-regulation register) or a project
ledger: what it would change in the data directory. The service (chain_graph_app.service.importing)
writes the result; `chain-graph import` and the app's data page both go through it.

The data directory stays the source of truth. Firms are merged into its firm table by credit
code and placed, by chain_graph.classify, on the links their name, business scope and industry
name, in firm_links with the deciding phrase as evidence; the data keeper's fixes (placements.csv)
are applied after. Rows the import writes to firm_links carry `source = import:<file>`: a
re-import replaces those rows of its own firms and leaves every other row alone, so importing the
same file twice changes nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import BinaryIO, Iterable

from chain_graph.classify import Classifier, Result
from chain_graph.model import FirmStatus, Link, ProjectStatus

from . import cleaning
from .chain_yaml import parse_chain
from .columns import ALIASES, IMPORT_ALIASES, REQUIRED, header_map
from .import_report import ImportReport, Issue, ReviewItem
from .import_rows import ImportRow, Rejection, read_firm, read_project
from .placements import Fix, read_fixes
from .records import cell_value
from .table_edit import EditableTable
from .tables import Table, TableError, stream_table

KINDS = ("firms", "projects")
IMPORT_SOURCE = "import:"
_LIST = re.compile(r"[;,|、]+")


class ImportFailure(Exception):
    """The file as a whole cannot be imported; the message says why and how to fix it."""


def plan_import(
    source: bytes | Path | str | BinaryIO, name: str, data_dir: Path, kind: str = "firms", sheet: str | None = None,
    dry_run: bool = False, mapping: dict[str, str] | None = None,
) -> tuple[ImportReport, list[EditableTable]]:
    """Read one file against `data_dir`'s tables: the report, and the tables as they would be after it.

    `source` is a path or the file's bytes (an upload); `name` is its file name (its suffix picks
    CSV or XLSX); `mapping` names the column (id, name, scope …) of headers the platforms' list
    does not know. Nothing is written here; with a failure the tables are empty.
    """
    name = Path(name).name
    report = ImportReport(name, kind, str(data_dir), dry_run)
    try:
        if kind not in KINDS:
            raise ImportFailure(f"unknown kind {kind!r}; use firms or projects")
        links = _links(Path(data_dir))
        table = _open(Path(source) if isinstance(source, str) else source, name, kind, sheet, mapping, report)
        read = _import_firms if kind == "firms" else _import_projects
        tables = read(table, name, Path(data_dir), links, report)
        return report, (tables if report.ok else [])
    except (ImportFailure, TableError) as err:
        report.failure = str(err)
    return report, []


def _links(root: Path) -> list[Link]:
    """The chain links: all an import needs before it writes (commit validates the whole directory after)."""
    if not (root / "chains").is_dir():
        raise ImportFailure(f"{root} is not a data directory (no chains/ folder); pass --data DIR")
    links, errors = [], []
    for path in sorted((root / "chains").glob("*.yaml")):
        parsed = parse_chain(path.read_text(encoding="utf-8"), f"chains/{path.name}")
        links.extend(link for link, _ in parsed.links)
        errors.extend(p for p in parsed.problems if p.is_error)
    if errors or not links:
        first = f"; the first: {errors[0]}" if errors else ": no links"
        raise ImportFailure(f"the chain files of {root} cannot be read{first}. Fix them first (`chain-graph validate`)")
    return links


def _open(source, name: str, kind: str, sheet: str | None, mapping: dict[str, str] | None,
          report: ImportReport) -> Table:
    extra = IMPORT_ALIASES if kind == "firms" else None
    known = [*ALIASES[kind], *(extra or {})]
    unknown = sorted({c for c in (mapping or {}).values() if c not in known})
    if unknown:
        raise ImportFailure(f"the mapping names unknown column(s) {', '.join(unknown)}; columns are {', '.join(known)}")

    def is_header(cells: list[str]) -> bool:
        return set(REQUIRED[kind]) <= set(header_map(kind, cells, extra, mapping).values())

    table = stream_table(source, name, sheet, is_header)
    report.columns = header_map(kind, table.header, extra, mapping)
    report.ignored = [h for h in table.header if h and h not in report.columns]
    missing = [c for c in REQUIRED[kind] if c not in report.columns.values()]
    if missing:
        table.rows.close()
        accepted = "; ".join(f"{c}: {', '.join(ALIASES[kind][c])}" for c in missing)
        raise ImportFailure(f"{name}: the header (row {table.header_row}) has no column for {', '.join(missing)}. "
                            f"Headers read as such: {accepted}. Rename the column, or map your header in a mapping "
                            "file (--mapping, see docs/import.md)")
    return table


# ---------------------------------------------------------------------------------------- firms


def _import_firms(table: Table, name: str, root: Path, links: list[Link], report: ImportReport) -> list[EditableTable]:
    classifier = Classifier(links)
    source = IMPORT_SOURCE + name
    firms: dict[str, ImportRow] = {}
    results: dict[str, Result] = {}
    names: dict[str, ImportRow] = {}
    for row in table.rows:
        report.count("read")
        got = read_firm(row, report.columns, name, source)
        if isinstance(got, list):
            _reject(report, got)
            continue
        firm, described = got
        report.count("accepted")
        result = classifier.classify(*described)
        if firm.key in firms:
            _merge(report, firms[firm.key], firm)
            results[firm.key] = classifier.decide((*results[firm.key].evidence, *result.evidence))
            continue
        firms[firm.key], results[firm.key] = firm, result
        same_name = names.setdefault(firm.cells["name"], firm)
        if same_name.key != firm.key:
            report.issues.append(Issue(
                "kept_apart", firm.row, "name", firm.cells["name"],
                f"same name as row {same_name.row} ({same_name.key}) but another credit code: kept as two firms",
                "if they are one firm, correct the credit code in the file",
            ))
    if not firms:
        return []
    fixes_file, fixes, problems = read_fixes(root, {link.id for link in links})
    if problems:
        raise ImportFailure(f"{fixes_file} has {len(problems)} problem(s); fix them, then import again: "
                            + "; ".join(map(str, problems)))
    placements = _apply_fixes(report, results, fixes, fixes_file)
    firm_table = EditableTable.read(root, "firms")
    _upsert(report, firm_table, "firms", firms.values())
    link_table = EditableTable.read(root, "firm_links")
    _place(report, link_table, placements, source)
    _summarise(report, links, firms, results, placements, fixes_file)
    return [firm_table, link_table]


def _apply_fixes(report: ImportReport, results: dict[str, Result], fixes: list[Fix],
                 fixes_file: str) -> dict[str, dict[str, str]]:
    """Link id → evidence for each firm: the classifier's placements, then the data keeper's fixes."""
    placed = {key: {p.link_id: p.evidence_text() for p in result.placements} for key, result in results.items()}
    for fix in fixes:
        if fix.firm_id not in placed:
            continue
        if fix.action == "add":
            placed[fix.firm_id][fix.link_id] = fix.evidence(fixes_file)
        else:
            placed[fix.firm_id].pop(fix.link_id, None)
        report.count("fixes_applied")
    return placed


def _place(report: ImportReport, table: EditableTable, placements: dict[str, dict[str, str]], source: str) -> None:
    """The import's own rows of its firms become `placements`; rows from anywhere else stay as they are."""
    def pair(row: list[str]) -> tuple[str, str]:
        return table.get(row, "firm_id"), table.get(row, "link_id")

    def owned(row: list[str]) -> bool:
        return table.get(row, "firm_id") in placements and table.get(row, "source").startswith(IMPORT_SOURCE)

    other = {pair(row) for row in table.rows if not owned(row)}
    wanted = {(f, link): evidence for f, links in placements.items() for link, evidence in links.items()
              if (f, link) not in other}
    kept, present = [], set()
    for row in table.rows:
        if owned(row) and (pair(row) not in wanted or pair(row) in present):
            report.count("placements_removed")
            continue
        if owned(row):
            table.set(row, "evidence", wanted[pair(row)])
            table.set(row, "source", source)
            present.add(pair(row))
        kept.append(row)
    table.keep(kept)
    for (firm_id, link_id), evidence in wanted.items():
        if (firm_id, link_id) not in present:
            table.append({"firm_id": firm_id, "link_id": link_id, "evidence": evidence, "source": source})
            report.count("placements_added")


def _summarise(report: ImportReport, links: list[Link], firms: dict[str, ImportRow], results: dict[str, Result],
               placements: dict[str, dict[str, str]], fixes_file: str) -> None:
    names = {link.id: link.name for link in links}
    per_link = Counter(link for links in placements.values() for link in links)
    report.by_link = [{"link_id": link, "link_name": names[link], "firms": n} for link, n in per_link.most_common()]
    for key, firm in sorted(firms.items(), key=lambda item: item[1].row):
        status = firm.cells["status"]
        if status and not FirmStatus(status).active:
            report.count("inactive")
        if placements[key]:
            report.count("classified")
            continue
        report.count("unclassified")
        result = results[key]
        verdict = result.verdict if not result.placed else "removed"
        report.review.append(ReviewItem(
            firm.row, key, firm.cells["name"], status or "存续", verdict,
            result.reason() or f"every placement removed in {fixes_file}",
            "；".join(f"{c.link_id} {names[c.link_id]}（{c.confidence:.2f}：{'，'.join(e.text() for e in c.evidence)}）"
                     for c in result.candidates[:5]),
        ))


# ------------------------------------------------------------------------------------- projects


def _import_projects(table: Table, name: str, root: Path, links: list[Link], report: ImportReport) -> list[EditableTable]:
    source = IMPORT_SOURCE + name
    firms = EditableTable.read(root, "firms")
    firm_ids = {firms.get(row, "id") for row in firms.rows}
    projects: dict[str, ImportRow] = {}
    for row in table.rows:
        report.count("read")
        got = read_project(row, report.columns, name, source, links, firm_ids)
        if isinstance(got, list):
            _reject(report, got)
            continue
        report.count("accepted")
        if got.key in projects:
            _merge(report, projects[got.key], got)
        else:
            projects[got.key] = got
    if not projects:
        return []
    project_table = EditableTable.read(root, "projects")
    _upsert(report, project_table, "projects", projects.values())
    return [project_table]


# -------------------------------------------------------------------------------------- shared


def _reject(report: ImportReport, rejections: list[Rejection]) -> None:
    report.count("rejected")
    report.issues.extend(Issue("rejected", r.row, r.column, r.value, r.reason, r.hint) for r in rejections)


def _merge(report: ImportReport, first: ImportRow, later: ImportRow) -> None:
    """A repeated key: the later row fills what the first left empty; tags add up."""
    for column, value in later.cells.items():
        if column == "tags":
            first.cells[column] = _union(first.cells[column], value)
        elif value and not first.cells.get(column):
            first.cells[column] = value
    report.count("merged")
    names = {first.cells.get("name"), later.cells.get("name")}
    differ = f" (names differ: {' / '.join(sorted(n for n in names if n))})" if len(names) > 1 else ""
    report.issues.append(Issue("merged", later.row, "id", later.key, f"same id as row {first.row}; merged into it{differ}",
                               "keep one row per id in the file"))


def _upsert(report: ImportReport, table: EditableTable, kind: str, rows: Iterable[ImportRow]) -> None:
    """New ids are appended; a known id gets the cells that say something new, its tags added up."""
    for row in rows:
        report.count("records")
        existing = table.find("id", row.key)
        if existing is None:
            table.append(row.cells)
            report.count("new")
            continue
        changed = False
        for column, value in row.cells.items():
            old = table.get(existing, column)
            if column == "tags":
                value = _union(old, value)
            if value and value != old and _meaning(kind, column, old) != _meaning(kind, column, value):
                table.set(existing, column, value)
                changed = True
        report.count("updated" if changed else "unchanged")


def _union(tags: str, more: str) -> str:
    return ";".join(dict.fromkeys(t.strip() for t in _LIST.split(f"{tags};{more}") if t.strip()))


def _meaning(kind: str, column: str, text: str) -> object:
    """What a cell says, so a cell that says the same in other words (在业 / 存续) is left alone."""
    try:
        if column == "status" and kind == "firms":
            return FirmStatus(cleaning.status_word(text))
        if column == "status":
            return ProjectStatus(text.strip())
        if column in ("tags", "links"):
            return frozenset(t.strip() for t in _LIST.split(text) if t.strip())
        return cell_value(kind, column, text) if text else None
    except ValueError:
        return text
