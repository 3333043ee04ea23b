"""Read a data directory (region, chains, firm and project tables) into one Dataset.

Every file is read and every problem collected before anything is returned, and a
dataset comes back only when there is no error, so a store never sees half of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from chain_graph import validation
from chain_graph.settings import AnalysisSettings
from chain_graph.dataset import Dataset, Location
from chain_graph.model import Region
from chain_graph.i18n import msg
from chain_graph.validation import Problem, pydantic_message

from .chain_yaml import parse_chain
from . import yamlfile
from .datadir import reading
from .records import parse_rows
from .tables import TableError, stream_table

TABLES = ("firms", "firm_links", "supplies", "projects")
TABLE_SUFFIXES = (".csv", ".xlsx")
_DATASET_FIELD = {"firms": "firms", "firm_links": "operates_in", "supplies": "supplies", "projects": "projects"}
_ORIGIN_KIND = {"firms": "firm", "firm_links": "operates_in", "supplies": "supplies", "projects": "project"}


@dataclass
class LoadResult:
    dataset: Dataset | None
    settings: AnalysisSettings = field(default_factory=AnalysisSettings)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.dataset is not None


def load_directory(root: Path) -> LoadResult:
    """Every file read while no commit is under way (see loaders.datadir), a dead commit finished first."""
    with reading(root):
        return _load(root)


def _load(root: Path) -> LoadResult:
    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(Problem(Location(str(root)), msg("load.no_data_dir"), msg("load.no_data_dir_hint")))
        return LoadResult(None, problems=problems)
    region = _read_model(root / "region.yaml", Region, problems, required=True)
    settings = _read_model(root / "analysis.yaml", AnalysisSettings, problems, required=False) or AnalysisSettings()
    ds = Dataset(region=region or Region(province="?", city="?"))
    _read_chains(root, ds, problems)
    link_units = {link.id: link.unit for link in ds.links}
    for kind in TABLES:
        _read_table_file(root, kind, ds, link_units, problems)
    problems = validation.group_knock_on(ds, [*problems, *validation.check(ds)])
    ok = region is not None and not validation.has_errors(problems)
    return LoadResult(ds if ok else None, settings, problems)


def load_settings(root: Path) -> tuple[AnalysisSettings, list[Problem]]:
    """Only the analysis settings (analysis.yaml, defaults when absent): a Neo4j store holds the rest."""
    problems: list[Problem] = []
    settings = _read_model(root / "analysis.yaml", AnalysisSettings, problems, required=False)
    return settings or AnalysisSettings(), problems


def _rel(path: Path) -> str:
    return f"{path.parent.name}/{path.name}" if path.parent.name == "chains" else path.name


def _read_model(path: Path, model, problems: list[Problem], required: bool):
    if not path.exists():
        if required:
            problems.append(Problem(Location(path.name), msg("load.file_missing"), msg("hint.data_format")))
        return None
    try:
        data = yamlfile.load(path.read_text(encoding="utf-8")) or {}
        return model(**data)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problems.append(Problem(
            Location(path.name, mark.line + 1 if mark else None),
            msg("load.yaml_invalid", detail=getattr(err, "problem", None) or err), msg("load.yaml_hint"),
        ))
    except ValidationError as err:
        for e in err.errors():
            column = ".".join(str(p) for p in e["loc"]) or None
            problems.append(Problem(Location(path.name, None, column), pydantic_message(e), msg("hint.data_format")))
    except TypeError:
        problems.append(Problem(Location(path.name), msg("load.not_mapping"), msg("hint.data_format")))
    return None


def _read_chains(root: Path, ds: Dataset, problems: list[Problem]) -> None:
    files = sorted((root / "chains").glob("*.yaml"))
    if not files:
        problems.append(Problem(Location("chains/"), msg("load.no_chain_files"), msg("load.no_chain_files_hint")))
    for path in files:
        parsed = parse_chain(path.read_text(encoding="utf-8"), _rel(path))
        problems.extend(parsed.problems)
        if parsed.chain:
            ds.chains.append(parsed.chain)
            ds.remember("chain", parsed.chain.id, Location(_rel(path), 1))
        for link, where in parsed.links:
            ds.links.append(link)
            ds.remember("link", link.id, where)
        for edge, where in parsed.feeds:
            ds.origins[f"feeds:{len(ds.feeds)}"] = where
            ds.feeds.append(edge)


def table_files(root: Path, kind: str) -> list[Path]:
    """The files holding table `kind` in `root` (.csv, .xlsx): one normally, two is an error."""
    return [root / f"{kind}{suffix}" for suffix in TABLE_SUFFIXES if (root / f"{kind}{suffix}").exists()]


def table_path(root: Path, kind: str) -> Path | None:
    """The table file of `kind` in `root`, or None."""
    return next(iter(table_files(root, kind)), None)


def _read_table_file(root: Path, kind: str, ds: Dataset, link_units: dict, problems: list[Problem]) -> None:
    paths = table_files(root, kind)
    if len(paths) > 1:
        problems.append(Problem(Location(paths[0].name), msg("load.both_formats", kind=kind), msg("load.both_formats_hint")))
    if not paths:
        return
    try:
        table = stream_table(paths[0], paths[0].name)
        parsed = parse_rows(kind, paths[0].name, table.header, table.rows, link_units)
    except TableError as err:
        problems.append(Problem(
            Location(paths[0].name), err.message, msg("load.table_hint"),
        ))
        return
    problems.extend([*parsed.problems, *table.warnings])
    for key, where in parsed.rejected:  # so references to a row left out are told with its problem
        ds.remember(f"rejected_{_ORIGIN_KIND[kind]}", key, where)
    target = getattr(ds, _DATASET_FIELD[kind])
    for record, where in parsed.records:
        key = getattr(record, "id", len(target))
        ds.remember(_ORIGIN_KIND[kind], key, where)
        target.append(record)
