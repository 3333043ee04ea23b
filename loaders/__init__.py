"""Source adapters: files users have, read into a chain_graph Dataset."""

from .directory import LoadResult, load_directory, load_settings
from .opening import Opened, open_data

__all__ = ["LoadResult", "Opened", "load_directory", "load_settings", "open_data"]
