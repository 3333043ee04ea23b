"""Stores of the chain graph behind one protocol; `open_store` picks one from a URL."""

from __future__ import annotations

from .base import GraphStore, StoreError
from .memory import MemoryStore


def open_store(url: str) -> GraphStore:
    """`memory` (the default, in process); Neo4j URLs arrive with the Neo4j store."""
    if url in ("", "memory"):
        return MemoryStore()
    raise StoreError(f"store {url!r} is not supported yet; use --store memory (Neo4j support is planned)")


__all__ = ["GraphStore", "MemoryStore", "StoreError", "open_store"]
