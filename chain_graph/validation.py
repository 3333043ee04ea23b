"""Checks that need the whole dataset: ids that must exist, ids that must be unique, cycles.

Every problem names the file, row and field and says how to fix it; all problems
are collected so a data keeper fixes a file in one pass, not one error per run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Iterable

import networkx as nx

from . import creditcode, units
from .dataset import Dataset, Location
from .i18n import Message, msg, t, text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, where it is, and how to fix it; the words are Messages, so the
    same problem reads in the user's language. `knock_on` counts the problems elsewhere that follow
    from this one (see group_knock_on): they are told with their cause, not as problems of their own."""

    location: Location
    message: Message
    hint: Message | None = None
    severity: str = "error"  # or "warning": reported, does not block a load
    knock_on: tuple[Message, ...] = ()

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def text(self, lang: str = "zh") -> str:
        """What is wrong, with what follows from it: 'credit code … ；由此 firm_links.csv 中 300 行 …'."""
        return "；".join([self.message.text(lang), *(m.text(lang) for m in self.knock_on)])

    def hint_text(self, lang: str = "zh") -> str:
        return text(self.hint, lang)

    def where(self, lang: str = "zh") -> str:
        return place(self.location).text(lang)

    def as_row(self, lang: str = "zh") -> dict[str, object]:
        return {
            "file": self.location.file, "row": self.location.row, "column": self.location.column,
            "severity": self.severity, "message": self.text(lang), "hint": self.hint_text(lang),
        }

    def as_message(self) -> Message:
        """Where and what, without the hint: 'firms.csv 第3行「id」列：错误：…'."""
        return msg(f"where.line_{self.severity}", where=place(self.location), problem=self.message)

    def line(self, lang: str = "zh") -> str:
        """The one-line form the CLI prints: where, what, what follows from it, and how to fix it."""
        knock_on = "".join("；" + m.text(lang) for m in self.knock_on)
        return self.as_message().text(lang) + knock_on + (t("where.fix", lang, hint=self.hint_text(lang)) if self.hint else "")

    def __str__(self) -> str:
        return self.line("zh")


def place(loc: Location) -> Message:
    """firms.csv 第3行「id」列 / firms.csv row 3, column id."""
    if loc.row is not None:
        return msg("where.row_column", file=loc.file, row=loc.row, column=loc.column) if loc.column else \
            msg("where.row", file=loc.file, row=loc.row)
    return msg("where.column", file=loc.file, column=loc.column) if loc.column else msg("where.file", file=loc.file)


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.is_error for p in problems)


def check(ds: Dataset) -> list[Problem]:
    """All cross-record problems of a dataset, in file order."""
    problems = [
        *_duplicates(ds), *_dangling(ds), *_feeds_cycles(ds), *_credit_codes(ds), *_units(ds),
    ]
    return sorted(problems, key=lambda p: (p.location.file, p.location.row or 0))


# a reference problem's key → the kind of record it names (rows left out are remembered as rejected_<kind>)
_REFERENCES = {"val.unknown_firm": "firm", "val.unknown_link": "link", "val.unknown_chain": "chain"}


def group_knock_on(ds: Dataset, problems: list[Problem]) -> list[Problem]:
    """References to a row that was left out for its own problems are not problems of their own: they
    are counted under that row's first problem ('firms.csv 第3行 … ；由此 firm_links.csv 中 300 行引用了
    不存在的企业'), so one bad firm reads as one error, not 301."""
    following: dict[tuple[str, int | None], dict[tuple[str, str], set]] = {}
    kept: list[Problem] = []
    for problem in problems:
        kind = _REFERENCES.get(problem.message.key)
        cause = ds.origin(f"rejected_{kind}", str(problem.message.params.get("value"))) if kind else None
        if cause is None:
            kept.append(problem)
            continue
        rows = following.setdefault((cause.file, cause.row), {}).setdefault((problem.location.file, kind), set())
        rows.add(problem.location.row)
    out = []
    for problem in kept:
        counted = following.pop((problem.location.file, problem.location.row), None) if problem.is_error else None
        if counted:
            problem = replace(problem, knock_on=problem.knock_on + tuple(
                msg("val.knock_on", file=file, n=len(rows), kind=msg(f"kind.{kind}"))
                for (file, kind), rows in sorted(counted.items())))
        out.append(problem)
    return out


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
                    msg("val.duplicate_id", kind=msg(f"kind.{kind}"), id=rid, n=n,
                        first=place(first)),
                    msg("val.duplicate_id_hint", kind=msg(f"kind.{kind}")),
                ))
    for kind, pairs in (
        ("feeds", [(e.source, e.target) for e in ds.feeds]),
        ("operates_in", [(r.firm_id, r.link_id) for r in ds.operates_in]),
        ("supplies", [(r.supplier_id, r.customer_id) for r in ds.supplies]),
    ):
        seen: set[tuple[str, str]] = set()
        for i, pair in enumerate(pairs):
            if pair in seen:
                out.append(Problem(
                    _where(ds, kind, i), msg("val.duplicate_pair", kind=msg(f"kind.{kind}"), source=pair[0], target=pair[1]),
                    msg("val.duplicate_pair_hint"),
                ))
            seen.add(pair)
    return out


def _dangling(ds: Dataset) -> list[Problem]:
    link_ids = {link.id for link in ds.links}
    firm_ids = {firm.id for firm in ds.firms}
    chain_ids = {chain.id for chain in ds.chains}
    out: list[Problem] = []

    def need(ok: bool, kind: str, key: str | int, column: str, what: str, value: str, hint: Message) -> None:
        if not ok:
            out.append(Problem(_where(ds, kind, key, column), msg(f"val.unknown_{what}", value=value), hint))

    link_hint = msg("val.link_hint")
    firm_hint = msg("val.firm_hint")
    for link in ds.links:
        need(link.chain in chain_ids, "link", link.id, "chain", "chain", link.chain, msg("val.chain_hint"))
    for i, edge in enumerate(ds.feeds):
        need(edge.source in link_ids, "feeds", i, "from", "link", edge.source, link_hint)
        need(edge.target in link_ids, "feeds", i, "to", "link", edge.target, link_hint)
    for i, rel in enumerate(ds.operates_in):
        need(rel.firm_id in firm_ids, "operates_in", i, "firm_id", "firm", rel.firm_id, firm_hint)
        need(rel.link_id in link_ids, "operates_in", i, "link_id", "link", rel.link_id, link_hint)
    for i, rel in enumerate(ds.supplies):
        need(rel.supplier_id in firm_ids, "supplies", i, "supplier_id", "firm", rel.supplier_id, firm_hint)
        need(rel.customer_id in firm_ids, "supplies", i, "customer_id", "firm", rel.customer_id, firm_hint)
    for project in ds.projects:
        for link_id in project.link_ids:
            need(link_id in link_ids, "project", project.id, "links", "link", link_id, link_hint)
        if project.firm_id:
            need(project.firm_id in firm_ids, "project", project.id, "firm_id", "firm", project.firm_id, firm_hint)
        if not project.link_ids:
            out.append(Problem(
                _where(ds, "project", project.id, "links"), msg("val.project_no_link", id=project.id),
                msg("val.project_no_link_hint"), "warning",
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
                _where(ds, "feeds", first), msg("val.cycle", chain=chain, path=path), msg("val.cycle_hint"),
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
                    _where(ds, "firm", firm.id, "id"), msg("val.credit_code", code=firm.id, why=why),
                    msg("val.credit_code_hint"),
                ))
    return out


def _units(ds: Dataset) -> list[Problem]:
    out = []
    for link in ds.links:
        if link.unit and not units.known_unit(link.unit):
            out.append(Problem(
                _where(ds, "link", link.id, "unit"), msg("val.link_unit", unit=link.unit, link=link.id),
                msg("val.unit_hint"),
            ))
    unit_of = {link.id: link.unit for link in ds.links}
    for project in ds.projects:
        if not project.capacity:
            continue
        try:
            units.parse_quantity(project.capacity)
        except units.UnitError as err:
            out.append(Problem(_where(ds, "project", project.id, "capacity"), err.message, msg("val.capacity_hint")))
            continue
        if not any(units.capacity_in(project.capacity, unit_of.get(l)) is not None for l in project.link_ids):
            out.append(Problem(
                _where(ds, "project", project.id, "capacity"),
                msg("val.capacity_no_unit", capacity=project.capacity), msg("val.capacity_no_unit_hint"), "warning",
            ))
    return out


def pydantic_message(error: dict) -> Message:
    """A pydantic error of one field in the user's words (its own text is English and technical)."""
    kind, value, ctx = error.get("type", ""), error.get("input"), error.get("ctx") or {}
    shown = "" if isinstance(value, dict) else value
    if kind == "missing":
        return msg("val.field_missing")
    if kind == "extra_forbidden":
        return msg("val.field_unknown")
    if kind == "enum":
        return msg("val.field_choice", value=shown)  # the choices are codes; the hint names the words
    if kind == "greater_than_equal":
        return msg("val.field_too_small", value=shown, limit=_number(ctx.get("ge")))
    if kind == "greater_than":
        return msg("val.field_not_above", value=shown, limit=_number(ctx.get("gt")))
    if kind.endswith(("_parsing", "_type")):
        return msg("val.field_type", value=shown)
    return msg("val.field_invalid", value=shown, detail=error.get("msg", ""))


def _number(value: object) -> object:
    return int(value) if isinstance(value, float) and value.is_integer() else value
