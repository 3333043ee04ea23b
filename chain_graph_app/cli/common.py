"""What every command shares: the app object, the store context, failure and output helpers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import json
import sys
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Callable

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:  # for annotations only; imported where used, so --help starts fast
    from chain_graph.settings import AnalysisSettings
    from chain_graph.store import GraphStore
    from loaders import LoadResult
    from chain_graph.i18n import Message
    from chain_graph.validation import Problem




class _Commands(TyperGroup):
    """Turns a store failure, or a data directory another writer holds, in any command into its
    one-line message and exit code 2."""

    def invoke(self, ctx):
        from chain_graph.store import StoreError
        from loaders.datadir import DataDirBusy
        try:
            return super().invoke(ctx)
        except (StoreError, DataDirBusy) as e:
            err.print(e.text(lang()), markup=False, highlight=False)
            raise typer.Exit(2) from None


# rich_markup_mode=None: click's plain help and usage errors. Typer's rich help imports rich's
# markdown renderer (0.2 s of the 0.5 s `chain-graph --help` may take); rich still prints the tables.
app = typer.Typer(cls=_Commands, add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Industrial-chain graph explorer: 缺什么、招什么.")


class _Console:
    """A rich Console made when a command first prints, so that `--help` never imports rich."""

    def __init__(self, stderr: bool) -> None:
        object.__setattr__(self, "_stderr", stderr)
        object.__setattr__(self, "_console", None)

    def made(self):
        """The rich Console itself, for a rich object that takes one (Progress(console=err.made()))."""
        if self._console is None:
            from rich.console import Console
            object.__setattr__(self, "_console", Console(stderr=self._stderr, soft_wrap=True))
        return self._console

    def __getattr__(self, name: str):
        return getattr(self.made(), name)

    def __setattr__(self, name: str, value) -> None:
        setattr(self.made(), name, value)

    # a property here too, so that a test can set it and set it back (monkeypatch restores data descriptors)
    width = property(lambda self: self.made().width, lambda self, value: setattr(self.made(), "width", value))


out = _Console(stderr=False)
err = _Console(stderr=True)


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


@dataclass
class Context:
    data: Path
    store_url: str
    lang: str
    _loaded: tuple[GraphStore, AnalysisSettings] | None = None

    def open(self) -> tuple[GraphStore, AnalysisSettings]:
        """The store with its data and the analysis settings, once per command."""
        from chain_graph_app.service.opening import open_data
        if self._loaded is None:
            self._need_data_dir()
            opened = open_data(self.data, self.store_url)
            if opened.errors:
                invalid(self.data, opened.errors)
            if opened.failure:
                fail(opened.failure)
            self._loaded = (opened.store, opened.settings)
        return self._loaded

    def connect(self) -> GraphStore:
        from chain_graph.store import StoreError
        from chain_graph.store import open_store
        try:
            return open_store(self.store_url)
        except StoreError as e:
            fail(e.message)

    def validated(self) -> LoadResult:
        """The data directory's dataset; every error printed and exit 1 when there is any."""
        from loaders import load_directory
        self._need_data_dir()
        result = load_directory(self.data)
        if not result.ok:
            invalid(self.data, [p for p in result.problems if p.is_error])
        return result

    def _need_data_dir(self) -> None:
        if not self.data.is_dir():
            fail(say("cli.no_data_dir", path=str(self.data)))


_LANG = {"now": "zh"}  # the --lang of the command being run; one command runs per process


def use_lang(lang: str) -> None:
    _LANG["now"] = lang


def lang() -> str:
    """The --lang of the command being run: every line the CLI prints follows it."""
    return _LANG["now"]


def say(key: str, **values: object) -> str:
    """The catalogue's text of `key` in the command's --lang."""
    from chain_graph.i18n import t
    return t(key, lang(), **values)


def show_problems(problems: list[Problem]) -> None:
    """Each problem on one line in --lang: errors to stderr, warnings to stdout."""
    for problem in problems:
        (err if problem.is_error else out).print(problem.line(lang()), markup=False, highlight=False)


def invalid(data: Path, errors: list[Problem]) -> None:
    show_problems(errors)
    err.print(say("cli.invalid", n=len(errors), path=str(data)), markup=False, highlight=False)
    raise typer.Exit(1)


def fail(message: Message | str, code: int = 2) -> None:
    """One line on stderr and exit `code`: a Message in --lang, or a text already in it (say(...))."""
    from chain_graph.i18n import text
    err.print(text(message, lang()), markup=False, highlight=False)
    raise typer.Exit(code)


def context_of(ctx: typer.Context) -> Context:
    return ctx.obj


FORMAT = typer.Option(Format.table, "--format", "-f", help="table, json or csv")


def known_chain(store: GraphStore, chain: str) -> None:
    known = [c.id for c in store.chains()]
    if chain not in known:
        fail(say("cli.unknown_chain", chain=chain, known=", ".join(known)))


def emit(rows: list[dict], format: Format, doc: Any = None, view: Callable[[dict], dict] | None = None) -> None:
    """JSON prints the whole contract, CSV every field flattened, a table the few columns a terminal fits."""
    if format is Format.json:
        sys.stdout.write(json.dumps(rows if doc is None else doc, ensure_ascii=False, indent=2, default=str) + "\n")
    elif format is Format.csv:
        from chain_graph.output import export  # pandas and the workbook writers: only for CSV (1-2 s to import)
        import pandas as pd
        sys.stdout.buffer.write(export.csv_bytes(pd.DataFrame([flat(r) for r in rows])))
    else:
        print_table([view(r) for r in rows] if view else rows)


def pick(row: dict, *keys: str) -> dict:
    return {k: row[k] for k in keys}


def share(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"


def chain_view(r: dict) -> dict:
    from chain_graph.i18n import yi_sum
    return {**pick(r, "id", "name", "links", "local_firms", "projects"),
            "investment": yi_sum(r["investment"], r["investment_unknown"], lang()),
            **pick(r, "missing", "pipeline", "weak", "strong", "break_points"),
            "supply": share(r["local_supply_rate"]), "basis": r["basis"]}


def gap_view(r: dict) -> dict:
    return {**pick(r, "id", "name", "stage", "status"), "local": len(r["local_firms"]),
            "pipeline": len(r["pipeline_projects"]), "supply": share(r["local_supply_rate"]), "basis": r["basis"],
            "break": f"#{r['break_point']['rank']}" if r["break_point"] else ""}


def flat(row: dict) -> dict:
    return {k: cell(v) for k, v in row.items()}


def cell(value: Any) -> Any:
    from chain_graph.rules import LIST_SHOW
    if isinstance(value, list):
        return LIST_SHOW.join(str(v.get("name", v)) if isinstance(v, dict) else str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def print_table(rows: list[dict]) -> None:
    if not rows:
        out.print(say("cli.none"))
        return
    from rich.table import Table
    grid = Table(show_lines=False)
    for key in rows[0]:
        grid.add_column(key, overflow="fold")
    for row in rows:
        grid.add_row(*("" if v is None else str(v) for v in flat(row).values()))
    out.print(grid)
