"""A validated data directory kept between commands, keyed by the fingerprint of its files.

The key hashes the content of every file the loader reads (and which files there are) and
the source of the code that reads and checks them, so an edited file, a new chain file or
an upgraded reader makes a new key: a cache entry can be missing, never stale. Entries live
outside the repository, under $CHAIN_GRAPH_CACHE or ~/.cache/chain-graph/tables/<key>/:
the three population frames as Arrow IPC files (read back memory-mapped, no parsing) and
the small rest (region, chains, links, projects, origins, settings, warnings) pickled.
Only datasets without errors are cached; the entry is written to a temporary folder and
renamed into place, so a reader never sees half an entry.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import shutil
import tempfile
from pathlib import Path

FRAMES = ("firms", "operates_in", "supplies")
KEEP = 3  # entries kept; older ones are removed when a new one is written
_FORMAT = b"chain-graph tables 1"


def root() -> Path:
    return Path(os.environ.get("CHAIN_GRAPH_CACHE") or Path.home() / ".cache" / "chain-graph") / "tables"


@functools.cache
def _code_digest() -> bytes:
    import chain_graph

    here = Path(__file__).parent
    digest = hashlib.sha1(_FORMAT)
    for path in sorted([*here.glob("*.py"), *here.glob("*.yaml"), *Path(chain_graph.__file__).parent.glob("*.py")]):
        with path.open("rb") as f:
            digest.update(path.name.encode() + b"\0" + f.read())
    return digest.digest()


def key(data: Path, files: list[Path]) -> str:
    """The fingerprint of the files (names and content) and of the code reading them."""
    digest = hashlib.sha1(_code_digest())
    for path in files:
        if path.exists():
            digest.update(str(path.relative_to(data)).encode() + b"\0")
            with path.open("rb") as f:
                digest.update(hashlib.file_digest(f, "sha1").digest())
    return digest.hexdigest()[:20]


def read(key: str):
    """(tables, settings, problems) stored under `key`, or None."""
    entry = root() / key
    if not (entry / "rest.pickle").exists():
        return None
    import polars as pl

    try:
        with (entry / "rest.pickle").open("rb") as f:
            tables, settings, problems = pickle.load(f)
        for name in FRAMES:
            setattr(tables, name, pl.read_ipc(entry / f"{name}.arrow"))
    except Exception:  # noqa: BLE001 - a damaged entry is a miss: the files are read again
        return None
    try:
        os.utime(entry)  # recently used entries are kept
    except OSError:
        pass
    return tables, settings, problems


def write(key: str, tables, settings, problems) -> None:
    """Store an entry; a cache that cannot be written (read-only home, full disk) is skipped."""
    base = root()
    try:
        base.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=base))
        for name in FRAMES:
            getattr(tables, name).write_ipc(tmp / f"{name}.arrow", compression="uncompressed")
        rest = {name: getattr(tables, name) for name in FRAMES}
        try:
            for name in FRAMES:
                setattr(tables, name, None)
            with (tmp / "rest.pickle").open("wb") as f:
                pickle.dump((tables, settings, problems), f, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            for name, frame in rest.items():
                setattr(tables, name, frame)
        try:
            tmp.rename(base / key)
        except OSError:  # another process wrote the same entry first
            shutil.rmtree(tmp, ignore_errors=True)
        _prune(base)
    except OSError:
        return


def _prune(base: Path) -> None:
    entries = sorted((p for p in base.iterdir() if p.is_dir() and not p.name.startswith(".")),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        shutil.rmtree(old, ignore_errors=True)
