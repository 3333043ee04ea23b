"""A store ready to read, for a front end: the one place that decides where the data comes from.

The in-process store is filled from the validated data directory on every start; a
Neo4j store already holds its data (`chain-graph load` put it there), so only the
analysis settings are read from the directory. Each stage is announced to `progress` as it
starts (a Message), so a front end can say what it is waiting for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from chain_graph.settings import AnalysisSettings
from chain_graph.i18n import Message, msg, number
from chain_graph.store import GraphStore, StoreError, is_server, open_store
from chain_graph.validation import Problem

from loaders.directory import load_directory, load_settings


@dataclass
class Opened:
    store: GraphStore | None
    settings: AnalysisSettings = field(default_factory=AnalysisSettings)
    problems: list[Problem] = field(default_factory=list)  # the data's, when it is invalid
    failure: Message | None = None  # the store's, when it cannot be used

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def open_data(data: Path, store_url: str, progress: Callable[[Message], None] = lambda stage: None) -> Opened:
    if is_server(store_url):
        progress(msg("open.settings", path=str(data)))
        settings, problems = load_settings(data)
        if problems:
            return Opened(None, settings, problems)
        progress(msg("open.connecting", url=store_url))
        return _connect(store_url, Opened(None, settings))
    progress(msg("open.reading", path=str(data)))
    result = load_directory(data)
    opened = Opened(None, result.settings, result.problems)
    if not result.ok:
        return opened
    opened = _connect(store_url, opened)
    if opened.store is not None:
        tables = result.tables
        progress(msg("open.loading", firms=number(tables.firms.height), placements=number(tables.operates_in.height)))
        opened.store.load(tables)  # the embedded store takes the columns as they are
    return opened


def _connect(store_url: str, opened: Opened) -> Opened:
    try:
        opened.store = open_store(store_url)
    except StoreError as err:
        opened.failure = err.message
    return opened
