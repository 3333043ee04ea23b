"""A validated bundle of records: what loaders make and stores ingest.

`origins` remembers where each record was read (file and row), so a problem found
only when records meet (an unknown link id, a cycle) can still point at a line.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from .model import Chain, Feeds, Firm, Link, OperatesIn, Project, Region, Supplies


@dataclass(frozen=True)
class Location:
    file: str
    row: int | None = None  # 1-based line (YAML) or row (tables, header is row 1)
    column: str | None = None

    def at(self, column: str) -> "Location":
        return Location(self.file, self.row, column)


def remember(origins: dict[str, Location], kind: str, key: str | int, where: Location) -> None:
    """Where a record was read; a repeated id keeps its first place and records the last repeat."""
    name = f"{kind}:{key}"
    origins[f"repeat:{name}" if name in origins else name] = where


@dataclass
class Dataset:
    region: Region
    chains: list[Chain] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    feeds: list[Feeds] = field(default_factory=list)
    firms: list[Firm] = field(default_factory=list)
    operates_in: list[OperatesIn] = field(default_factory=list)
    supplies: list[Supplies] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    origins: dict[str, Location] = field(default_factory=dict, compare=False, repr=False)

    def origin(self, kind: str, key: str | int) -> Location | None:
        return self.origins.get(f"{kind}:{key}")

    def remember(self, kind: str, key: str | int, where: Location) -> None:
        remember(self.origins, kind, key, where)

    def local_active(self) -> set[str]:
        """Ids of the active firms registered in the home region: the city's own producers."""
        return {f.id for f in self.firms if f.status.active and self.region.is_local(f.province, f.city)}

    def fingerprint(self) -> str:
        """A short hash of the content: a cache key that changes whenever the data does."""
        digest = hashlib.sha256()
        for group in (
            [self.region], self.chains, self.links, self.feeds, self.firms,
            self.operates_in, self.supplies, self.projects,
        ):
            for record in group:
                digest.update(record.model_dump_json().encode())
            digest.update(b"\x00")
        return digest.hexdigest()[:16]
