"""Source adapters: files users have, read into a chain_graph Dataset, and nothing else."""

from .directory import LoadResult, load_directory, load_settings

__all__ = ["LoadResult", "load_directory", "load_settings"]
