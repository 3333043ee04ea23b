"""Uploads into the data directory, checked in full on a copy before the real directory changes.

The data directory is the source of truth. An upload becomes one file of it (chains/<id>.yaml,
firms.csv|xlsx, ...): `stage` writes it into a temporary copy and validates the whole copy;
`commit` validates again against the directory as it is now and only then swaps the file in, in
one data-directory transaction (loaders.datadir: one writer at a time, all moves or none), so a
bad upload, or one that stopped fitting, changes nothing.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from chain_graph.changes import TableChange, compare
from chain_graph.dataset import Dataset, Location
from chain_graph.i18n import msg
from chain_graph.validation import Problem, has_errors
from loaders import load_directory
from loaders import yamlfile
from loaders.datadir import DataDirWriter
from loaders.directory import TABLE_SUFFIXES, TABLES

CHAIN = "chain"
KINDS = (CHAIN, *TABLES)
CHAIN_SUFFIXES = (".yaml", ".yml")
_UNSAFE = re.compile(r"[^\w.-]")


@dataclass
class Staged:
    target: str  # path inside the data directory the upload becomes
    content: bytes
    stale: tuple[str, ...] = ()  # files it supersedes (the other format of the same table)
    problems: list[Problem] = field(default_factory=list)
    dataset: Dataset | None = None  # the whole directory with the upload in place, when it is valid
    changes: list[TableChange] = field(default_factory=list)  # what it changes, table by table (a stage only)

    @property
    def ok(self) -> bool:
        return self.dataset is not None and not has_errors(self.problems)


def stage(root: Path, kind: str, filename: str, content: bytes) -> Staged:
    """Validate the directory as it would be with this upload in place; nothing in `root` changes."""
    return _upload(root, kind, filename, content, keep=False)


def commit(root: Path, kind: str, filename: str, content: bytes) -> Staged:
    """Stage again against the directory as it is now, and only if that is clean put the file in place."""
    return _upload(root, kind, filename, content, keep=True)


def _upload(root: Path, kind: str, filename: str, content: bytes, keep: bool) -> Staged:
    """Checked, and with `keep` committed, in one data-directory transaction (loaders.datadir)."""
    suffix = Path(filename).suffix.lower()
    allowed = CHAIN_SUFFIXES if kind == CHAIN else TABLE_SUFFIXES
    if suffix not in allowed:
        return Staged(filename, content, problems=[Problem(
            Location(filename), msg("upload.suffix", kind=msg(f"kind.{kind}"), suffixes=" / ".join(allowed)),
            msg("upload.suffix_hint"),
        )])
    if kind == CHAIN and not _utf8(content):
        return Staged(filename, content, problems=[Problem(
            Location(filename), msg("upload.not_utf8"), msg("upload.not_utf8_hint"),
        )])
    before = None if keep else load_directory(root).dataset  # read outside the transaction: it holds the lock
    with DataDirWriter(root, purpose=f"upload {filename}") as tx:
        staged = _chain_target(root, filename, content) if kind == CHAIN else _table_target(root, kind, suffix, content)
        tx.write(staged.target, content)
        for name in staged.stale:
            tx.delete(name)
        result = load_directory(tx.view())
        staged.problems, staged.dataset = result.problems, result.dataset
        if not (keep and staged.ok):
            tx.discard()
    if not keep and staged.dataset is not None:
        staged.changes = compare(before, staged.dataset)
    return staged


def files(root: Path) -> list[str]:
    """The data directory's files, relative, hidden ones left out."""
    return sorted(
        str(p.relative_to(root)) for p in root.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def zip_bytes(root: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in files(root):
            archive.write(root / name, f"data/{name}")
    return buffer.getvalue()


def _table_target(root: Path, kind: str, suffix: str, content: bytes) -> Staged:
    others = (f"{kind}{other}" for other in TABLE_SUFFIXES if other != suffix)
    stale = tuple(name for name in others if (root / name).exists())
    return Staged(f"{kind}{suffix}", content, stale)


def _chain_target(root: Path, filename: str, content: bytes) -> Staged:
    """The chain file with the same id is replaced, else the one with the same name; otherwise it is new."""
    chain_id = _chain_id(content)
    existing = sorted((root / "chains").glob("*.yaml"))  # what load_directory reads
    same = next((p for p in existing if chain_id and _chain_id(p.read_bytes()) == chain_id), None)
    same = same or next((p for p in existing if p.name == Path(filename).name), None)
    stem = _UNSAFE.sub("_", chain_id or Path(filename).stem).strip("._") or "chain"
    return Staged(f"chains/{same.name if same else stem + '.yaml'}", content)


def _utf8(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _chain_id(content: bytes) -> str | None:
    try:
        doc = yamlfile.load(content.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError):
        return None
    return str(doc["id"]) if isinstance(doc, dict) and doc.get("id") else None
