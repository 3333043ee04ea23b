"""Stores of the chain graph behind one protocol; `open_store` picks one from a URL."""

from __future__ import annotations

import os

from ..i18n import msg
from .base import GraphStore, StoreError
from .memory import MemoryStore

NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


def is_server(url: str) -> bool:
    """A store that keeps its data between runs (Neo4j), as opposed to the in-process default."""
    return url.startswith(NEO4J_SCHEMES)


def open_store(url: str) -> GraphStore:
    """`memory` (the default, in process) or a Neo4j URL; credentials come from NEO4J_USER,
    NEO4J_PASSWORD and NEO4J_DATABASE."""
    if url in ("", "memory"):
        return MemoryStore()
    if is_server(url):
        from .neo4j import Neo4jStore  # the driver is only needed when a server is used

        return Neo4jStore(
            url, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""),
            os.environ.get("NEO4J_DATABASE", "neo4j"),
        )
    raise StoreError(msg("store.unknown", url=url))


__all__ = ["GraphStore", "MemoryStore", "StoreError", "is_server", "open_store"]
