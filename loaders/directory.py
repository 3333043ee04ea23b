"""Read a data directory (region, chains, firm and project tables) into one validated dataset.

Every file is read and every problem collected before anything is returned, and a
dataset comes back only when there is no error, so a store never sees half of it.
Firms, placements and supply ties are read as columns (loaders.frames); a valid result is
cached by the fingerprint of the files (loaders.cache), so the next command on unchanged
files reads the cache instead of parsing and validating again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml
from pydantic import ValidationError

from chain_graph import validation
from chain_graph.columnar import Tables
from chain_graph.settings import AnalysisSettings
from chain_graph.dataset import Dataset, Location, remember
from chain_graph.model import Region
from chain_graph.i18n import msg
from chain_graph.validation import Problem, pydantic_message

from . import cache
from . import yamlfile
from .datadir import reading

# The readers (chain_yaml, frames, records, tables) are imported where files are read: a command on
# unchanged files takes the cache and never needs them (0.1-0.2 s of imports).

TABLES = ("firms", "firm_links", "supplies", "projects")
TABLE_SUFFIXES = (".csv", ".xlsx")
_FRAME = {"firms": "firms", "firm_links": "operates_in", "supplies": "supplies"}  # tables read as columns
_ORIGIN_KIND = {"firms": "firm", "firm_links": "operates_in", "supplies": "supplies", "projects": "project"}


@dataclass
class LoadResult:
    tables: Tables | None
    settings: AnalysisSettings = field(default_factory=AnalysisSettings)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.tables is not None

    @cached_property
    def dataset(self) -> Dataset | None:
        """The data as records, for what needs them (a Neo4j load, the generator); built on first use."""
        return None if self.tables is None else self.tables.dataset()


def load_directory(root: Path, use_cache: bool = True) -> LoadResult:
    """Every file read while no commit is under way (see loaders.datadir), a dead commit finished first."""
    with reading(root):
        return _load(root, use_cache)


def _load(root: Path, use_cache: bool) -> LoadResult:
    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(Problem(Location(str(root)), msg("load.no_data_dir"), msg("load.no_data_dir_hint")))
        return LoadResult(None, problems=problems)
    key = cache.key(root, [root / "region.yaml", root / "analysis.yaml", *sorted((root / "chains").glob("*.yaml")),
                           *(p for kind in TABLES for p in table_files(root, kind))])
    if use_cache:
        hit = cache.read(key)
        if hit is not None:
            tables, settings, problems = hit
            return LoadResult(tables, settings, problems)
    region = _read_model(root / "region.yaml", Region, problems, required=True)
    settings = _read_model(root / "analysis.yaml", AnalysisSettings, problems, required=False) or AnalysisSettings()
    ds = Dataset(region=region or Region(province="?", city="?"))
    _read_chains(root, ds, problems)
    tables = Tables(ds.region, ds.chains, ds.links, ds.feeds, origins=ds.origins, key=key)
    link_units = {link.id: link.unit for link in ds.links}
    for kind in TABLES:
        _read_table_file(root, kind, tables, link_units, problems)
    problems = validation.group_knock_on(tables, [*problems, *validation.check(tables)])
    ok = region is not None and not validation.has_errors(problems)
    if ok and use_cache:
        cache.write(key, tables, settings, problems)
    return LoadResult(tables if ok else None, settings, problems)


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
            msg("load.yaml_invalid", detail=yamlfile.problem(err)), msg("load.yaml_hint"),
        ))
    except ValidationError as err:
        for e in err.errors():
            column = ".".join(str(p) for p in e["loc"]) or None
            problems.append(Problem(Location(path.name, None, column), pydantic_message(e), msg("hint.data_format")))
    except TypeError:
        problems.append(Problem(Location(path.name), msg("load.not_mapping"), msg("hint.data_format")))
    return None


def _read_chains(root: Path, ds: Dataset, problems: list[Problem]) -> None:
    from .chain_yaml import parse_chain

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


def _read_table_file(root: Path, kind: str, tables: Tables, link_units: dict, problems: list[Problem]) -> None:
    paths = table_files(root, kind)
    if len(paths) > 1:
        problems.append(Problem(Location(paths[0].name), msg("load.both_formats", kind=kind), msg("load.both_formats_hint")))
    if not paths:
        return
    from . import frames, records, tables as reader

    name = paths[0].name
    try:
        if kind in _FRAME:
            header, cells, warnings = reader.read_frame(paths[0], name)
            frame, found, rejected = frames.parse_frame(kind, name, header, cells, link_units)
        else:
            table = reader.stream_table(paths[0], name)
            parsed = records.parse_rows(kind, name, table.header, table.rows, link_units)
    except reader.TableError as err:
        problems.append(Problem(
            Location(name), err.message, msg("load.table_hint"),
        ))
        return
    if kind in _FRAME:
        problems.extend([*found, *warnings])
        for key, where in rejected:  # so references to a row left out are told with its problem
            remember(tables.origins, f"rejected_{_ORIGIN_KIND[kind]}", key, where)
        if frame is not None:
            setattr(tables, _FRAME[kind], frame)
            tables.files[_FRAME[kind]] = name
        return
    problems.extend([*parsed.problems, *table.warnings])
    for key, where in parsed.rejected:
        remember(tables.origins, f"rejected_{_ORIGIN_KIND[kind]}", key, where)
    for record, where in parsed.records:
        remember(tables.origins, "project", record.id, where)
        tables.projects.append(record)
