"""A validated data directory kept between commands, keyed by the fingerprint of its files.

The key hashes the content of every file the loader reads (and which files there are) and
the source of the code that reads and checks them, so an edited file, a new chain file or
an upgraded reader makes a new key: a cache entry can be missing, never stale. Entries live
outside the repository, under $CHAIN_GRAPH_CACHE or ~/.cache/chain-graph/tables/<key>/:
the three population frames as Arrow IPC files (read back memory-mapped, no parsing) and
the small rest (region, chains, links, projects, origins, settings, warnings) pickled.
Only datasets without errors are cached; the entry is written to a temporary folder and
renamed into place, so a reader never sees half an entry.

Hashing a million firms' files takes a few tenths of a second on every command, so the content
hash of a big file is remembered with its size, mtime, ctime, inode and device (`digests.json`).
A write changes the mtime and the ctime (which no tool can set back), a replaced file has another
inode; a hash is only remembered for a file last changed SETTLE_NS before it was hashed, so a
write in the same clock tick as the hash (or on a file system with coarse times) cannot go unseen.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
import pickle
import shutil
import tempfile
from pathlib import Path

FRAMES = ("firms", "operates_in", "supplies")
KEEP = 3  # entries kept; older ones are removed when a new one is written
STAT_MIN_BYTES = 1 << 20  # smaller files are hashed every time (cheap)
SETTLE_NS = 2_000_000_000  # a file changed less than this before its hash is hashed again next time
_DIGESTS_KEPT = 256
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
    known = _read_digests()
    learned = {}
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(str(path.relative_to(data)).encode() + b"\0")
        digest.update(_file_digest(path, stat, known, learned))
    if learned:
        _write_digests({**known, **learned})
    return digest.hexdigest()[:20]


def _file_digest(path: Path, stat: os.stat_result, known: dict, learned: dict) -> bytes:
    """The content hash of `path`: remembered for a big file unchanged since (see above), else read."""
    if stat.st_size < STAT_MIN_BYTES:
        return _hash(path)
    name = str(path.resolve())
    seen = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev]
    entry = known.get(name)
    if entry and entry[:5] == seen:
        return bytes.fromhex(entry[5])
    hashed_at = time.time_ns()
    value = _hash(path)
    if max(stat.st_mtime_ns, stat.st_ctime_ns) < hashed_at - SETTLE_NS:
        learned[name] = [*seen, value.hex(), hashed_at]
    return value


def _hash(path: Path) -> bytes:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha1").digest()


def _read_digests() -> dict:
    try:
        with (root() / "digests.json").open("rb") as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def _write_digests(digests: dict) -> None:
    """The remembered hashes, the newest _DIGESTS_KEPT; written whole and renamed into place."""
    kept = dict(sorted(digests.items(), key=lambda item: item[1][-1])[-_DIGESTS_KEPT:])
    base = root()
    try:
        base.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".digests-", dir=base)
        with os.fdopen(fd, "w") as f:
            json.dump(kept, f)
        os.replace(tmp, base / "digests.json")
    except OSError:
        return


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
