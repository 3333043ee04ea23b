"""One writer at a time in a data directory, and every commit all at once.

State lives in the hidden folder `.chain-graph/` of the data directory:

- `write.lock`: an OS lock (flock) every writer holds from reading the files it will change to
  the end of its commit, so a second writer waits (CHAIN_GRAPH_LOCK_WAIT seconds, default 120)
  and then stops with one line. The OS drops the lock when its holder dies.
- `read.lock`: readers hold it shared while they read the files; a commit holds it exclusively
  for the few milliseconds of its file moves, so nobody reads half a commit.
- `stage-*/`: a transaction's new files. Its commit point is `journal.json` (written to a
  temporary file, then renamed): once it exists the moves it lists are done, now or, after a
  kill, by the next reader or writer before it reads; without it the stage is thrown away.

Writers use `DataDirWriter`:

    with DataDirWriter(root) as tx:          # waits for the lock, finishes a dead commit
        tx.write("firms.csv", data)          # or write into tx.path("firms.xlsx")
        tx.delete("firms.xlsx")
        problems = check(tx.view())          # the directory as it would be, to validate
        if problems: tx.discard()
    # leaving the block commits (unless discarded); an exception discards
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import socket
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from chain_graph.i18n import Failure, msg

STATE = ".chain-graph"
JOURNAL = "journal.json"
_PARTIAL = JOURNAL + ".tmp"
_STAGE = "stage-"
_LEGACY_LEFTOVERS = (".import-*", "**/.*.uploading", ".*.tmp")  # staging of earlier versions


class DataDirBusy(Failure):
    """Another writer held the data directory for longer than the wait; the message is for the user."""


def lock_wait() -> float:
    return float(os.environ.get("CHAIN_GRAPH_LOCK_WAIT", "120"))


def _state(root: Path, create: bool) -> Path | None:
    state = root / STATE
    if create:
        try:
            state.mkdir(exist_ok=True)
        except OSError:
            return None  # a read-only directory: nobody can write it, so nothing to lock
    return state if state.is_dir() else None


def _open_lock(path: Path) -> int | None:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return None


@contextmanager
def reading(root: Path) -> Iterator[None]:
    """Hold off commits while the directory is read; a dead commit is finished first."""
    state = _state(root, create=root.is_dir())
    fd = _open_lock(state / "read.lock") if state else None
    if fd is None:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        while (state / JOURNAL).exists():  # a commit died between its moves: finish it
            fcntl.flock(fd, fcntl.LOCK_EX)
            _replay(root)
            fcntl.flock(fd, fcntl.LOCK_SH)
        _sweep_if_idle(root, state)
        yield
    finally:
        os.close(fd)


def _sweep_if_idle(root: Path, state: Path) -> None:
    """Leftover stages of dead writers, removed when no writer is at work."""
    if not any(state.glob(_STAGE + "*")) and not (state / _PARTIAL).exists() and not _legacy(root):
        return
    fd = _open_lock(state / "write.lock")
    if fd is None:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return
    try:
        _sweep(root)
    finally:
        os.close(fd)


def _legacy(root: Path) -> list[Path]:
    return [p for pattern in _LEGACY_LEFTOVERS for p in root.glob(pattern)]


def _sweep(root: Path) -> None:
    for stage in (root / STATE).glob(_STAGE + "*"):
        shutil.rmtree(stage, ignore_errors=True)
    (root / STATE / _PARTIAL).unlink(missing_ok=True)
    for path in _legacy(root):
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)


def _replay(root: Path) -> None:
    """Do the moves of the journal (again: a move already done is skipped), then forget it."""
    state = root / STATE
    journal = json.loads((state / JOURNAL).read_text(encoding="utf-8"))
    stage = state / journal["stage"]
    for name in journal["write"]:
        staged, target = stage / name, root / name
        if staged.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
    for name in journal["delete"]:
        (root / name).unlink(missing_ok=True)
    _fsync_dir(root)
    (state / JOURNAL).unlink()
    _fsync_dir(state)
    shutil.rmtree(stage, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _safe_name(name: str) -> str:
    parts = Path(name).parts
    if not parts or Path(name).is_absolute() or any(p in ("..", "") or p.startswith(".") for p in parts):
        raise ValueError(f"{name!r} is not a plain path inside the data directory")
    return str(Path(*parts))


class DataDirWriter:
    """A transaction on a data directory: the only writer while it is open, committed in one step."""

    def __init__(self, root: Path, wait: float | None = None, purpose: str = "") -> None:
        self.root = Path(root)
        self._wait = lock_wait() if wait is None else wait
        self._purpose = purpose
        self._fd: int | None = None
        self._stage: Path | None = None
        self._writes: dict[str, None] = {}
        self._deletes: dict[str, None] = {}
        self._discarded = False
        self.committed: list[str] = []  # names written or deleted by the commit

    # -- the lock ------------------------------------------------------------------
    def __enter__(self) -> "DataDirWriter":
        state = _state(self.root, create=True)
        if state is None:
            raise PermissionError(errno.EACCES, f"cannot write in data directory {self.root}")
        self._fd = os.open(state / "write.lock", os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self._wait
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() >= deadline:
                    holder = os.pread(self._fd, 300, 0).decode("utf-8", "replace").strip() or "?"
                    os.close(self._fd)
                    self._fd = None
                    raise DataDirBusy(msg("lock.dir_busy", root=self.root, holder=holder, wait=f"{self._wait:g}")) from None
                time.sleep(0.1)
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, (f"pid {os.getpid()} on {socket.gethostname()} since "
                             f"{time.strftime('%H:%M:%S')} {self._purpose}").strip().encode(), 0)
        with reading(self.root):  # finishes a dead commit
            pass
        _sweep(self.root)
        self._stage = state / f"{_STAGE}{uuid.uuid4().hex[:12]}"
        self._stage.mkdir()
        return self

    def __exit__(self, kind, value, traceback) -> None:
        try:
            if kind is None and not self._discarded:
                self.commit()
        finally:
            if self._stage is not None:
                shutil.rmtree(self._stage, ignore_errors=True)
                shutil.rmtree(self._stage.with_name(self._stage.name + ".view"), ignore_errors=True)
            if self._fd is not None:
                os.close(self._fd)  # releases the lock
                self._fd = None

    # -- staging -------------------------------------------------------------------
    def path(self, name: str) -> Path:
        """Where to write the new content of `name` (relative to the data directory)."""
        name = _safe_name(name)
        self._deletes.pop(name, None)
        self._writes[name] = None
        target = self._stage / name
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write(self, name: str, content: bytes) -> None:
        self.path(name).write_bytes(content)

    def delete(self, name: str) -> None:
        name = _safe_name(name)
        self._writes.pop(name, None)
        (self._stage / name).unlink(missing_ok=True)
        if (self.root / name).exists():
            self._deletes[name] = None

    def changes(self) -> list[str]:
        return [*self._writes, *self._deletes]

    def view(self) -> Path:
        """A folder holding the directory as it would be after the commit (unchanged files are
        hard links), to validate before committing; it is removed with the transaction."""
        view = self._stage.with_name(self._stage.name + ".view")
        shutil.rmtree(view, ignore_errors=True)
        for path in self.root.rglob("*"):
            rel = path.relative_to(self.root)
            if path.is_file() and not any(p.startswith(".") for p in rel.parts) \
                    and str(rel) not in self._writes and str(rel) not in self._deletes:
                _link(path, view / rel)
        for name in self._writes:
            _link(self._stage / name, view / name)
        view.mkdir(exist_ok=True)
        return view

    def discard(self) -> None:
        """Nothing of this transaction will be written."""
        self._discarded = True

    # -- the commit ----------------------------------------------------------------
    def commit(self) -> list[str]:
        """Make every staged change visible at once; a kill from here on is finished by the next reader."""
        if self._discarded or not self.changes():
            return []
        for name in self._writes:
            _fsync_file(self._stage / name)
        state = self._stage.parent
        journal = {"stage": self._stage.name, "write": list(self._writes), "delete": list(self._deletes)}
        fd = os.open(state / "read.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # waits for readers in the middle of reading
            partial = state / _PARTIAL
            partial.write_text(json.dumps(journal, ensure_ascii=False), encoding="utf-8")
            _fsync_file(partial)
            os.replace(partial, state / JOURNAL)  # the commit point
            _fsync_dir(state)
            _replay(self.root)
        finally:
            os.close(fd)
        self.committed = self.changes()
        self._discarded = True  # a second commit() does nothing
        return self.committed


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
