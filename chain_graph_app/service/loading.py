"""Load a data directory into a store: the one step `chain-graph load` and the app (after a write) share.

The store writes the new data beside the old and switches in one transaction (a Neo4j store
admits one loader at a time), so this step is all or nothing; an invalid directory loads nothing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from chain_graph.store import GraphStore
from chain_graph.validation import Problem

from loaders.directory import LoadResult, load_directory


@dataclass
class Loaded:
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # nodes per label and relationships, once loaded
    seconds: float = 0.0
    refused: str = ""  # the fingerprint of other data the store holds, when `replace` was not given

    @property
    def ok(self) -> bool:
        return bool(self.counts)


def load_data(data: Path, store: GraphStore, replace: bool = True, result: LoadResult | None = None,
              progress: Callable[[int, int], None] | None = None) -> Loaded:
    """Validate `data` (or take its `result`) and load it into `store`; StoreError when the store fails."""
    result = result or load_directory(data)
    if not result.ok:
        return Loaded(result.problems)
    held = store.version()
    if held not in ("empty", result.dataset.fingerprint()) and not replace:
        return Loaded(result.problems, refused=held)
    started = time.perf_counter()
    store.load(result.dataset, progress=progress)
    return Loaded(result.problems, store.counts(), time.perf_counter() - started)
