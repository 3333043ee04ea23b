"""Checks that need the whole dataset: ids that must exist, ids that must be unique, cycles.

Every problem names the file, row and field and says how to fix it; all problems
are collected so a data keeper fixes a file in one pass, not one error per run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable

import networkx as nx

from . import creditcode, units
from .dataset import Dataset, Location


@dataclass(frozen=True)
class Problem:
    location: Location
    message: str
    hint: str = ""
    severity: str = "error"  # or "warning": reported, does not block a load

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def as_row(self) -> dict[str, object]:
        return {
            "file": self.location.file, "row": self.location.row, "column": self.location.column,
            "severity": self.severity, "message": self.message, "hint": self.hint,
        }

    def __str__(self) -> str:
        where = self.location.file
        if self.location.row is not None:
            where += f":{self.location.row}"
        if self.location.column:
            where += f" [{self.location.column}]"
        text = f"{where}: {self.severity}: {self.message}"
        return f"{text} (fix: {self.hint})" if self.hint else text


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.is_error for p in problems)


def check(ds: Dataset) -> list[Problem]:
    """All cross-record problems of a dataset, in file order."""
    problems = [
        *_duplicates(ds), *_dangling(ds), *_feeds_cycles(ds), *_credit_codes(ds), *_units(ds),
    ]
    return sorted(problems, key=lambda p: (p.location.file, p.location.row or 0))


def _where(ds: Dataset, kind: str, key: str | int, column: str | None = None) -> Location:
    loc = ds.origin(kind, key) or Location(f"<{kind}>")
    return loc.at(column) if column else loc


def _duplicates(ds: Dataset) -> list[Problem]:
    out: list[Problem] = []
    for kind, records in (("chain", ds.chains), ("link", ds.links), ("firm", ds.firms), ("project", ds.projects)):
        counts = Counter(r.id for r in records)
        for rid, n in counts.items():
            if n > 1:
                first = _where(ds, kind, rid)
                out.append(Problem(
                    (ds.origin("repeat", f"{kind}:{rid}") or first).at("id"),
                    f"{kind} id {rid!r} is used {n} times (first in {first.file}"
                    + (f" at row {first.row})" if first.row else ")"),
                    f"give each {kind} its own id, or merge the rows",
                ))
    for kind, pairs, what in (
        ("feeds", [(e.source, e.target) for e in ds.feeds], "FEEDS edge"),
        ("operates_in", [(r.firm_id, r.link_id) for r in ds.operates_in], "firm on link"),
        ("supplies", [(r.supplier_id, r.customer_id) for r in ds.supplies], "supply relation"),
    ):
        seen: set[tuple[str, str]] = set()
        for i, pair in enumerate(pairs):
            if pair in seen:
                out.append(Problem(
                    _where(ds, kind, i), f"{what} {pair[0]} → {pair[1]} is listed twice",
                    "keep one row per pair (put every detail on that row)",
                ))
            seen.add(pair)
    return out


def _dangling(ds: Dataset) -> list[Problem]:
    link_ids = {link.id for link in ds.links}
    firm_ids = {firm.id for firm in ds.firms}
    chain_ids = {chain.id for chain in ds.chains}
    out: list[Problem] = []

    def need(ok: bool, kind: str, key: str | int, column: str, what: str, value: str, hint: str) -> None:
        if not ok:
            out.append(Problem(_where(ds, kind, key, column), f"unknown {what} {value!r}", hint))

    link_hint = "use a link id defined in data/chains/*.yaml (see `chain-graph links`)"
    firm_hint = "use a firm id (credit code) from the firm table"
    for link in ds.links:
        need(link.chain in chain_ids, "link", link.id, "chain", "chain", link.chain, "define the chain first")
    for i, edge in enumerate(ds.feeds):
        need(edge.source in link_ids, "feeds", i, "from", "link id", edge.source, link_hint)
        need(edge.target in link_ids, "feeds", i, "to", "link id", edge.target, link_hint)
    for i, rel in enumerate(ds.operates_in):
        need(rel.firm_id in firm_ids, "operates_in", i, "firm_id", "firm id", rel.firm_id, firm_hint)
        need(rel.link_id in link_ids, "operates_in", i, "link_id", "link id", rel.link_id, link_hint)
    for i, rel in enumerate(ds.supplies):
        need(rel.supplier_id in firm_ids, "supplies", i, "supplier_id", "firm id", rel.supplier_id, firm_hint)
        need(rel.customer_id in firm_ids, "supplies", i, "customer_id", "firm id", rel.customer_id, firm_hint)
    for project in ds.projects:
        for link_id in project.link_ids:
            need(link_id in link_ids, "project", project.id, "links", "link id", link_id, link_hint)
        if project.firm_id:
            need(project.firm_id in firm_ids, "project", project.id, "firm_id", "firm id", project.firm_id, firm_hint)
        if not project.link_ids:
            out.append(Problem(
                _where(ds, "project", project.id, "links"), f"project {project.id!r} names no link",
                "list the chain links the project makes, separated by ';'", "warning",
            ))
    return out


def _feeds_cycles(ds: Dataset) -> list[Problem]:
    """A cycle inside one chain makes upstream/downstream meaningless; across chains loops are real."""
    chain_of = {link.id: link.chain for link in ds.links}
    graphs: dict[str, nx.DiGraph] = {}
    for i, edge in enumerate(ds.feeds):
        chain = chain_of.get(edge.source)
        if chain and chain == chain_of.get(edge.target):
            graphs.setdefault(chain, nx.DiGraph()).add_edge(edge.source, edge.target, index=i)
    out: list[Problem] = []
    for chain, graph in sorted(graphs.items()):
        for cycle in nx.simple_cycles(graph):
            path = " → ".join([*cycle, cycle[0]])
            first = graph.edges[cycle[0], cycle[1 % len(cycle)]]["index"]
            out.append(Problem(
                _where(ds, "feeds", first), f"FEEDS cycle inside chain {chain!r}: {path}",
                "remove one of these edges; inside a chain, FEEDS must run from upstream to downstream",
            ))
            if len(out) >= 20:
                return out
    return out


def _credit_codes(ds: Dataset) -> list[Problem]:
    """An 18-character id is meant as a credit code, so it must carry a valid check digit."""
    out = []
    for firm in ds.firms:
        if len(firm.id) == creditcode.LENGTH or firm.id[:1].isdigit() and len(firm.id) > 15:
            why = creditcode.problem(firm.id)
            if why:
                out.append(Problem(
                    _where(ds, "firm", firm.id, "id"), f"credit code {firm.id!r} {why}",
                    "copy the 统一社会信用代码 again from the registry; ids that are not credit codes must not be 18 characters",
                ))
    return out


def _units(ds: Dataset) -> list[Problem]:
    out = []
    for link in ds.links:
        if link.unit and not units.known_unit(link.unit):
            out.append(Problem(
                _where(ds, "link", link.id, "unit"), f"unknown unit {link.unit!r} for link {link.id!r}",
                "use a unit such as 万吨, 吨, GWh, MW, 万千瓦, 亿Ah, 万件",
            ))
    unit_of = {link.id: link.unit for link in ds.links}
    for project in ds.projects:
        if not project.capacity:
            continue
        try:
            units.parse_quantity(project.capacity)
        except units.UnitError as err:
            out.append(Problem(_where(ds, "project", project.id, "capacity"), str(err), "write e.g. '10GWh' or '5万吨'"))
            continue
        if not any(units.capacity_in(project.capacity, unit_of.get(l)) is not None for l in project.link_ids):
            out.append(Problem(
                _where(ds, "project", project.id, "capacity"),
                f"capacity {project.capacity!r} is in no unit of the project's links, so it is not counted",
                "state the capacity in the unit of one of its links", "warning",
            ))
    return out
