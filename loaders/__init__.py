"""Source adapters: files users have, read into a chain_graph Dataset."""

from .directory import LoadResult, load_directory

__all__ = ["LoadResult", "load_directory"]
