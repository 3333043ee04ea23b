"""A store ready to read, for a front end: the one place that decides where the data comes from.

The in-process store is filled from the validated data directory on every start; a
Neo4j store already holds its data (`chain-graph load` put it there), so only the
analysis settings are read from the directory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from chain_graph.settings import AnalysisSettings
from chain_graph.i18n import Message
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


def open_data(data: Path, store_url: str) -> Opened:
    if is_server(store_url):
        settings, problems = load_settings(data)
        if problems:
            return Opened(None, settings, problems)
        return _connect(store_url, Opened(None, settings))
    result = load_directory(data)
    opened = Opened(None, result.settings, result.problems)
    if not result.ok:
        return opened
    opened = _connect(store_url, opened)
    if opened.store is not None:
        opened.store.load(result.tables)  # the embedded store takes the columns as they are
    return opened


def _connect(store_url: str, opened: Opened) -> Opened:
    try:
        opened.store = open_store(store_url)
    except StoreError as err:
        opened.failure = err.message
    return opened
