"""Import an enterprise list (企查查, 天眼查, 爱企查, 启信宝, a market-regulation register) or a
department's project ledger: what it would change in the data directory. The service
(chain_graph_app.service.importing) writes the result; `chain-graph import` and the app's data page
both go through it.

A workbook is read sheet by sheet: every sheet whose header is recognised is imported (a 企查查
industrial-chain workbook has its chain sheet and a 基础信息 sheet; rows of one firm in two sheets
are one firm), a sheet without one (honours, qualifications) is skipped.

The data directory stays the source of truth. Firms are merged into its firm table by credit
code and placed, by chain_graph.classify, on the links their name, business scope and industry
name, in firm_links with the deciding phrase as evidence; the data keeper's fixes (placements.csv)
are applied after. Rows the import writes to firm_links carry `source = import:<file>`: a
re-import replaces those rows of its own firms and leaves every other row alone, so importing the
same file twice changes nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO, Iterable

from chain_graph.classify import Classifier, Result
from chain_graph.i18n import Failure, msg
from chain_graph.model import FirmStatus, Link, ProjectStatus
from chain_graph.rules import LIST_JOIN, LIST_SHOW, split_list

from . import cleaning, ledger
from .chain_yaml import parse_chain
from .columns import ALIASES, IMPORT_ALIASES, IMPORT_REQUIRED, LEDGER_ALIASES, header_map
from .import_report import ImportReport, Issue, ReviewItem
from .import_rows import ImportRow, Rejection, check_cells, read_firms
from .placements import Fix, read_fixes
from .records import cell_value
from .table_edit import EditableTable
from .tables import Table, TableError, frame_rows, frame_table, is_workbook, sheet_names, unzipped

KINDS = ("firms", "projects")
IMPORT_SOURCE = "import:"


class ImportFailure(Failure):
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
            raise ImportFailure(msg("import.unknown_kind", kind=kind, kinds="、".join(KINDS)))
        links = _links(Path(data_dir))
        opened = _open(Path(source) if isinstance(source, str) else source, name, kind, sheet, mapping, report)
        if kind == "firms":
            tables = _import_firms(opened, name, Path(data_dir), links, report, mapping)
        else:
            tables = _import_projects(opened, name, Path(data_dir), links, report, mapping)
        return report, (tables if report.ok else [])
    except (ImportFailure, TableError) as err:
        report.failure = err.message
    return report, []


def _links(root: Path) -> list[Link]:
    """The chain links: all an import needs before it writes (commit validates the whole directory after)."""
    if not (root / "chains").is_dir():
        raise ImportFailure(msg("import.not_data_dir", path=str(root)))
    links, errors = [], []
    for path in sorted((root / "chains").glob("*.yaml")):
        parsed = parse_chain(path.read_text(encoding="utf-8"), f"chains/{path.name}")
        links.extend(link for link, _ in parsed.links)
        errors.extend(p for p in parsed.problems if p.is_error)
    if errors or not links:
        raise ImportFailure(msg("import.chains_unreadable", path=str(root), first=errors[0].message if errors
                                else msg("import.no_links")))
    return links


def _open(source, name: str, kind: str, sheet: str | None, mapping: dict[str, str] | None,
          report: ImportReport) -> list[tuple[str | None, Table, object]]:
    """The file's tables (sheet, table, its rows as a frame: loaders.tables.frame_table): its sheets
    with a recognised header (or the one sheet asked for), else the failure naming the columns the
    header lacks."""
    extra = IMPORT_ALIASES if kind == "firms" else LEDGER_ALIASES
    known = [*ALIASES[kind], *extra]
    unknown = sorted({c for c in (mapping or {}).values() if c not in known})
    if unknown:
        raise ImportFailure(msg("import.mapping_unknown", columns="、".join(unknown), known="、".join(known)))
    required = IMPORT_REQUIRED[kind]

    def is_header(cells: list[str]) -> bool:
        found = set(header_map(kind, cells, extra, mapping).values())
        return set(required) <= found and len(found) >= 2

    if not isinstance(source, Path) and not isinstance(source, bytes):
        source = source.read()  # a workbook's sheets are read one after another
    source, name = unzipped(source, name)
    sheets = [sheet] if sheet or not is_workbook(name) else sheet_names(source, name)
    opened: list[tuple[str | None, Table, object]] = []
    for one in sheets:
        table, frame = frame_table(source, name, one, is_header)
        if table.found or len(sheets) == 1:
            opened.append((one, table, frame))
    if not opened:
        opened = [(sheets[0], *frame_table(source, name, sheets[0], is_header))]
    report.sheets = [one for one, _, _ in opened if one]
    table = opened[0][1]
    report.columns = header_map(kind, table.header, extra, mapping)
    report.ignored = [h for _, t, _ in opened for h in t.header if h and h not in header_map(kind, t.header, extra, mapping)]
    missing = [c for c in required if c not in report.columns.values()]
    if missing:
        accepted = "；".join(f"{c}：{'、'.join(ALIASES[kind][c])}" for c in missing)
        raise ImportFailure(msg("import.header_missing", file=name, row=table.header_row, columns="、".join(missing),
                                accepted=accepted))
    return opened


# ---------------------------------------------------------------------------------------- firms


def _import_firms(tables: list[tuple[str | None, Table, object]], name: str, root: Path, links: list[Link],
                  report: ImportReport, custom: dict[str, str] | None) -> list[EditableTable]:
    classifier = Classifier(links)
    source = IMPORT_SOURCE + name
    firms: dict[str, ImportRow] = {}
    results: dict[str, Result] = {}
    names: dict[str, ImportRow] = {}
    sheet_of: dict[str, str | None] = {}
    for sheet, table, frame in tables:
        start = len(report.issues)
        columns = header_map("firms", table.header, IMPORT_ALIASES, custom)
        read = read_firms(frame, table.header, columns, name, source)
        report.count("read", len(read))
        report.count("accepted", sum(not isinstance(got, list) for got in read))
        for got in read:
            if isinstance(got, list):
                _reject(report, got)
                continue
            firm, described = got
            result = classifier.classify(*described)
            if firm.key in firms:
                _merge(report, firms[firm.key], firm, quiet=sheet_of[firm.key] != sheet)
                results[firm.key] = classifier.decide((*results[firm.key].evidence, *result.evidence))
                continue
            firms[firm.key], results[firm.key], sheet_of[firm.key] = firm, result, sheet
            _same_name(report, names, firm)
        _warnings(report, table)
        _name_sheet(report, start, sheet)
    if not firms:
        return []
    return _write_firms(report, root, links, firms, results, source)


def _same_name(report: ImportReport, names: dict[str, ImportRow], firm: ImportRow) -> None:
    same_name = names.setdefault(firm.cells["name"], firm)
    if same_name.key != firm.key:
        report.issues.append(Issue(
            "kept_apart", firm.row, "name", firm.cells["name"],
            msg("import.same_name", row=same_name.row, id=same_name.key), msg("import.same_name_hint"),
        ))


def _write_firms(report: ImportReport, root: Path, links: list[Link], firms: dict[str, ImportRow],
                 results: dict[str, Result], source: str) -> list[EditableTable]:
    fixes_file, fixes, problems = read_fixes(root, {link.id for link in links})
    if problems:
        raise ImportFailure(msg("import.fixes_problems", file=fixes_file, n=len(problems),
                                problems=[p.as_message() for p in problems]))
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
    said: dict[int, dict[str, str]] = {}  # firms share results (the classifier's cache): each said once
    placed = {key: dict(said.get(id(result)) or said.setdefault(id(result), {p.link_id: p.evidence_text()
                                                                             for p in result.placements}))
              for key, result in results.items()}
    for fix in fixes:
        if fix.subject not in placed:
            continue
        if fix.action == "add":
            placed[fix.subject][fix.link_id] = fix.evidence(fixes_file)
        else:
            placed[fix.subject].pop(fix.link_id, None)
        report.count("fixes_applied")
    return placed


def _place(report: ImportReport, table: EditableTable, placements: dict[str, dict[str, str]], source: str) -> None:
    """The import's own rows of its firms become `placements`; rows from anywhere else stay as they are."""
    pairs = [(table.get(row, "firm_id"), table.get(row, "link_id")) for row in table.rows]
    owned = [pair[0] in placements and table.get(row, "source").startswith(IMPORT_SOURCE)
             for row, pair in zip(table.rows, pairs)]
    other = {pair for pair, mine in zip(pairs, owned) if not mine}
    wanted = {(f, link): evidence for f, links in placements.items() for link, evidence in links.items()
              if (f, link) not in other}
    kept, present, counted = [], set(), Counter()
    for row, pair, mine in zip(table.rows, pairs, owned):
        if mine and (pair not in wanted or pair in present):
            counted["placements_removed"] += 1
            continue
        if mine:
            table.set(row, "evidence", wanted[pair])
            table.set(row, "source", source)
            present.add(pair)
        kept.append(row)
    table.keep(kept)
    for (firm_id, link_id), evidence in wanted.items():
        if (firm_id, link_id) not in present:
            table.append({"firm_id": firm_id, "link_id": link_id, "evidence": evidence, "source": source})
            counted["placements_added"] += 1
    _add_counts(report, counted)


def _summarise(report: ImportReport, links: list[Link], firms: dict[str, ImportRow], results: dict[str, Result],
               placements: dict[str, dict[str, str]], fixes_file: str) -> None:
    names = {link.id: link.name for link in links}
    per_link = Counter(link for links in placements.values() for link in links)
    report.by_link = [{"link_id": link, "link_name": names[link], "firms": n} for link, n in per_link.most_common()]
    active = {status: FirmStatus(status).active for status in {firm.cells["status"] for firm in firms.values()} if status}
    counted = Counter()
    for key, firm in sorted(firms.items(), key=lambda item: item[1].row):
        status = firm.cells["status"]
        if status and not active[status]:
            counted["inactive"] += 1
        if placements[key]:
            counted["classified"] += 1
            continue
        counted["unclassified"] += 1
        result = results[key]
        verdict = result.verdict if not result.placed else "removed"
        report.review.append(ReviewItem(
            firm.row, key, firm.cells["name"], status or "存续", verdict,
            result.reason() or msg("import.all_removed", file=fixes_file),
            LIST_SHOW.join(f"{c.link_id} {names[c.link_id]}（{c.confidence:.2f}：{'，'.join(e.text() for e in c.evidence)}）"
                     for c in result.candidates[:5]),
        ))
    _add_counts(report, counted)


# ------------------------------------------------------------------------------------- projects


def _import_projects(tables: list[tuple[str | None, Table, object]], name: str, root: Path, links: list[Link],
                     report: ImportReport, custom: dict[str, str] | None) -> list[EditableTable]:
    """A department ledger (docs/import.md): rows read by loaders.ledger, matched to the projects of
    earlier imports (项目代码, else name), builders matched to firms, projects placed on links."""
    source = IMPORT_SOURCE + name
    project_table = EditableTable.read(root, "projects")
    known_ids = {project_table.get(row, "id") for row in project_table.rows}
    by_name: dict[str, str] = {}
    for row in project_table.rows:
        by_name.setdefault(ledger.normalise_firm_name(project_table.get(row, "name")), project_table.get(row, "id"))
    link_ids = {link.name: link.id for link in links} | {link.id: link.id for link in links}
    units = {link.id: link.unit for link in links}
    projects: dict[str, ledger.LedgerRow] = {}
    for sheet, table, frame in tables:
        start = len(report.issues)
        columns = header_map("projects", table.header, LEDGER_ALIASES, custom)
        lay = ledger.layout(table, columns, name)
        report.family = report.family or lay.family
        if lay.unit_note:
            report.issues.append(Issue("note", table.header_row, "", "", lay.unit_note, msg("ledger.unit_hint")))
        for row in frame_rows(frame, table.header):
            report.count("read")
            got = ledger.read_row(row, columns, lay, name)
            if not isinstance(got, list):
                code, norm = got.cells.get("id", ""), ledger.normalise_firm_name(got.cells["name"])
                got.cells["id"] = code if code in known_ids else by_name.get(norm) or code or ledger.project_key(norm)
                got = _checked(got, link_ids, units, name, source)
            if isinstance(got, list):
                _reject(report, got)
                continue
            report.count("accepted")
            report.issues.extend(Issue("note", got.row, "", "", note) for note in got.notes)
            _keep_known_status(project_table, got)
            if got.key in projects:
                _merge_progress(report, projects[got.key], got)
            else:
                projects[got.key] = got
        _warnings(report, table)
        _name_sheet(report, start, sheet)
    if not projects:
        return []
    _match_builders(report, root, projects.values())
    placed = _place_projects(report, root, links, projects)
    _upsert(report, project_table, "projects", projects.values())
    for row in project_table.rows:
        pid, was = project_table.get(row, "id"), project_table.get(row, "source")
        if was.startswith(IMPORT_SOURCE) and pid not in projects:
            report.count("missing")
            report.issues.append(Issue("missing", None, "id", pid, msg("import.project_missing",
                                       name=project_table.get(row, "name"), source=was), msg("import.project_missing_hint")))
    names = {link.id: link.name for link in links}
    per_link = Counter(link for ids in placed.values() for link in ids)
    report.by_link = [{"link_id": link, "link_name": names[link], "projects": n} for link, n in per_link.most_common()]
    return [project_table]


def _checked(got: ledger.LedgerRow, link_ids: dict[str, str], units: dict[str, str | None], file: str,
             source: str) -> ledger.LedgerRow | list[Rejection]:
    """Links written in the ledger resolved (by id or name), and every cell read as the loader will read it."""
    rejections: list[Rejection] = []
    if got.cells.get("links"):
        names = split_list(got.cells["links"])
        unknown = [n for n in names if n not in link_ids]
        if unknown:
            rejections.append(Rejection(got.row, "links", got.cells["links"], msg("import.unknown_links",
                                        links="、".join(unknown)), msg("import.links_hint")))
        got.cells["links"] = LIST_JOIN.join(dict.fromkeys(link_ids.get(n, n) for n in names))
    got.cells["source"] = source
    got.cells["firm_id"] = got.cells.get("firm_id", "").upper()
    firm_id = got.cells.pop("firm_id")  # matched to the firm table later; not a reason to reject
    rejections += check_cells(got.row, "projects", file, got.cells, {r.column for r in rejections}, units)
    got.cells["firm_id"] = firm_id
    return rejections or got


def _keep_known_status(table: EditableTable, got: ledger.LedgerRow) -> None:
    """是否开工 says only started or not: it does not turn a project 在建 or 投产 back into 开工, nor
    one 签约 into 前期. Such a status replaces the table's only when they disagree about having started."""
    existing = table.find("id", got.key)
    if got.status_from != "started" or existing is None:
        return
    try:
        old = ProjectStatus(table.get(existing, "status").strip())
    except ValueError:
        return
    if old.started == ProjectStatus(got.cells["status"]).started:
        got.cells["status"] = table.get(existing, "status")


def _merge_progress(report: ImportReport, first: ledger.LedgerRow, later: ledger.LedgerRow) -> None:
    """Rows of one project: a later report month (月份) updates what the earlier said; without months,
    the later row only fills what the first left empty, and the repeat is reported."""
    report.count("merged")
    newer = bool(first.month and later.month and later.month > first.month)
    for column, value in later.cells.items():
        if value and (newer or not first.cells.get(column)):
            first.cells[column] = value
    if newer:
        first.month, first.row = later.month, later.row
        first.content, first.industry = later.content or first.content, later.industry or first.industry
    elif not (first.month and later.month and first.month != later.month):
        report.issues.append(Issue("merged", later.row, "id", later.key, msg("import.same_project", row=first.row),
                                   msg("import.same_project_hint")))


def _match_builders(report: ImportReport, root: Path, projects: Iterable[ledger.LedgerRow]) -> None:
    """firm_id from the credit code if the firm table has it, else from the builder's normalised name;
    a builder the firm table lacks is listed, the project kept without a firm."""
    firms = EditableTable.read(root, "firms")
    codes = {firms.get(row, "id") for row in firms.rows}
    names: dict[str, str] = {}
    for row in firms.rows:
        names.setdefault(ledger.normalise_firm_name(firms.get(row, "name")), firms.get(row, "id"))
    for project in projects:
        code, builder = project.cells.pop("firm_id", ""), project.cells.get("builder", "")
        firm = code if code in codes else names.get(ledger.normalise_firm_name(builder)) if builder else None
        if firm:
            project.cells["firm_id"] = firm
            report.count("builders_matched")
        elif code or builder:
            report.count("builders_unmatched")
            report.issues.append(Issue(
                "builder_unmatched", project.row, "builder" if builder else "firm_id", builder or code,
                msg("import.builder_unmatched", builder=builder or code), msg("import.builder_unmatched_hint")))


def _place_projects(report: ImportReport, root: Path, links: list[Link],
                    projects: dict[str, ledger.LedgerRow]) -> dict[str, dict[str, str]]:
    """Link id → evidence per project: links written in the ledger, else the classifier on 项目名称 +
    建设内容 with the builder's own placements as evidence, then the keeper's project_placements.csv."""
    classifier = Classifier(links)
    names = {link.id: link.name for link in links}
    firm_links = EditableTable.read(root, "firm_links")
    builder_links: dict[str, set[str]] = {}
    for row in firm_links.rows:
        builder_links.setdefault(firm_links.get(row, "firm_id"), set()).add(firm_links.get(row, "link_id"))
    fixes_file, fixes, problems = read_fixes(root, set(names), "project_placements")
    if problems:
        raise ImportFailure(msg("import.fixes_problems", file=fixes_file, n=len(problems),
                                problems=[p.as_message() for p in problems]))
    placed: dict[str, dict[str, str]] = {}
    results: dict[str, Result] = {}
    for key, project in projects.items():
        given = split_list(project.cells.get("links", ""))
        if given:
            placed[key] = dict.fromkeys(given, "台账填写")
            continue
        result = classifier.classify(project.cells["name"], project.content, project.industry)
        results[key] = result
        placed[key] = _with_builder(result, builder_links.get(project.cells.get("firm_id", ""), set()),
                                    project.cells.get("builder", ""))
    for fix in fixes:
        if fix.subject in placed:
            if fix.action == "add":
                placed[fix.subject][fix.link_id] = fix.evidence(fixes_file)
            else:
                placed[fix.subject].pop(fix.link_id, None)
            report.count("fixes_applied")
    for key, project in sorted(projects.items(), key=lambda item: item[1].row):
        project.cells["links"] = LIST_JOIN.join(placed[key])
        project.cells["evidence"] = LIST_SHOW.join(dict.fromkeys(placed[key].values()))
        if placed[key]:
            report.count("placed")
            continue
        report.count("review")
        result = results.get(key) or Result("unmatched")
        suggested = builder_links.get(project.cells.get("firm_id", ""), set())
        candidates = [f"{c.link_id} {names[c.link_id]}（{c.confidence:.2f}：{'，'.join(e.text() for e in c.evidence)}）"
                      for c in result.candidates[:5]]
        candidates += [f"{link} {names.get(link, link)}（建设单位所在环节）" for link in sorted(suggested)]
        report.review.append(ReviewItem(
            project.row, key, project.cells["name"], project.cells.get("status", ""),
            "ambiguous" if result.verdict == "ambiguous" or suggested else "unmatched",
            result.reason() or msg("import.all_removed", file=fixes_file), LIST_SHOW.join(candidates), "project_id"))
    return placed


def _with_builder(result: Result, builder_links: set[str], builder: str) -> dict[str, str]:
    """Placements of a project: the classifier's (of a generic product's siblings, the ones the
    builder makes, if any); when it cannot decide, the candidates the builder makes; with no
    candidate, the builder's link if it has only one. Otherwise none (review)."""
    if result.placed:
        chosen = [p for p in result.placements if p.link_id in builder_links]
        if not (chosen and all(p.note for p in result.placements)):  # a generic product: the builder's sibling
            chosen = list(result.placements)
        return {p.link_id: p.evidence_text() + ("；建设单位同在该环节" if p.link_id in builder_links else "")
                for p in chosen}
    shared = [c for c in result.candidates if c.link_id in builder_links]
    if shared:
        return {c.link_id: c.evidence_text() + f"；建设单位{builder}在该环节" for c in shared}
    if not result.candidates and len(builder_links) == 1:
        return {next(iter(builder_links)): f"建设单位{builder}所在环节（项目名称与建设内容未指明产品）"}
    return {}


# -------------------------------------------------------------------------------------- shared


def _warnings(report: ImportReport, table: Table) -> None:
    """What the reader noticed in the rows just read (a formula cell saved without its value)."""
    report.issues.extend(Issue("warning", w.location.row, w.location.column or "", "", w.message, w.hint)
                         for w in table.warnings)


def _name_sheet(report: ImportReport, start: int, sheet: str | None) -> None:
    """The issues of rows just read name their workbook sheet (file, sheet, row, column)."""
    if sheet:
        report.issues[start:] = [replace(issue, sheet=sheet) for issue in report.issues[start:]]


def _reject(report: ImportReport, rejections: list[Rejection]) -> None:
    report.count("rejected")
    report.issues.extend(Issue("rejected", r.row, r.column, r.value, r.reason, r.hint) for r in rejections)


def _merge(report: ImportReport, first: ImportRow, later: ImportRow, quiet: bool = False) -> None:
    """A repeated key: the later row fills what the first left empty; tags add up. A firm met again
    in another sheet of the workbook (`quiet`) is the same firm described further, not a repeat."""
    for column, value in later.cells.items():
        if column == "tags":
            first.cells[column] = _union(first.cells[column], value)
        elif value and not first.cells.get(column):
            first.cells[column] = value
    if quiet:
        return
    report.count("merged")
    names = {first.cells.get("name"), later.cells.get("name")}
    differ = msg("import.names_differ", names=" / ".join(sorted(n for n in names if n))) if len(names) > 1 else ""
    report.issues.append(Issue("merged", later.row, "id", later.key, msg("import.merged", row=first.row, differ=differ),
                               msg("import.merged_hint")))


def _upsert(report: ImportReport, table: EditableTable, kind: str, rows: Iterable[ImportRow]) -> None:
    """New ids are appended; a known id gets the cells that say something new, its tags added up."""
    counted = Counter()
    for row in rows:
        counted["records"] += 1
        existing = table.find("id", row.key)
        if existing is None:
            table.append(row.cells)
            counted["new"] += 1
            continue
        changed = False
        for column, value in row.cells.items():
            old = table.get(existing, column)
            if column == "tags":
                value = _union(old, value)
            if value and value != old and _meaning(kind, column, old) != _meaning(kind, column, value):
                table.set(existing, column, value)
                changed = True
        counted["updated" if changed else "unchanged"] += 1
    _add_counts(report, counted)


def _add_counts(report: ImportReport, counted: Counter) -> None:
    """Counts kept locally in a loop over every row, added in the order they first came up."""
    for key, n in counted.items():
        report.count(key, n)


def _union(tags: str, more: str) -> str:
    return LIST_JOIN.join(dict.fromkeys(split_list(f"{tags};{more}")))


def _meaning(kind: str, column: str, text: str) -> object:
    """What a cell says, so a cell that says the same in other words (在业 / 存续) is left alone."""
    try:
        if column == "status" and kind == "firms":
            return FirmStatus(cleaning.status_word(text))
        if column == "status":
            return ProjectStatus(text.strip())
        if column in ("tags", "links"):
            return frozenset(split_list(text))
        return cell_value(kind, column, text) if text else None
    except ValueError:
        return text
