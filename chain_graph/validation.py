"""Checks that need the whole dataset: ids that must exist, ids that must be unique, cycles.

Every problem names the file, row and field and says how to fix it; all problems
are collected so a data keeper fixes a file in one pass, not one error per run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Iterable

import polars as pl

from . import creditcode, units
from .columnar import FRAMES, ROW, Tables
from .dataset import Location
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


def check(t: Tables) -> list[Problem]:
    """All cross-record problems of a dataset, in file order."""
    problems = [
        *_duplicates(t), *_dangling(t), *_feeds_cycles(t), *_credit_codes(t), *_units(t),
    ]
    return sorted(problems, key=lambda p: (p.location.file, p.location.row or 0))


# a reference problem's key → the kind of record it names (rows left out are remembered as rejected_<kind>)
_REFERENCES = {"val.unknown_firm": "firm", "val.unknown_link": "link", "val.unknown_chain": "chain"}


def group_knock_on(t: Tables, problems: list[Problem]) -> list[Problem]:
    """References to a row that was left out for its own problems are not problems of their own: they
    are counted under that row's first problem ('firms.csv 第3行 … ；由此 firm_links.csv 中 300 行引用了
    不存在的企业'), so one bad firm reads as one error, not 301."""
    following: dict[tuple[str, int | None], dict[tuple[str, str], set]] = {}
    kept: list[Problem] = []
    for problem in problems:
        kind = _REFERENCES.get(problem.message.key)
        cause = t.origins.get(f"rejected_{kind}:{problem.message.params.get('value')}") if kind else None
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


def _where(t: Tables, kind: str, key: str | int, column: str | None = None) -> Location:
    loc = t.origins.get(f"{kind}:{key}") or Location(f"<{kind}>")
    return loc.at(column) if column else loc


def _at(t: Tables, name: str, rows: pl.DataFrame, column: str | None = None) -> list[Location]:
    """Where each of `rows` (a slice of frame `name`, with its ROW column) was read."""
    file = t.files.get(name, f"<{FRAMES[name][1]}>")
    return [Location(file, row, column) for row in rows.get_column(ROW).to_list()]


def _duplicates(t: Tables) -> list[Problem]:
    out: list[Problem] = []
    for kind, records in (("chain", t.chains), ("link", t.links), ("firm", t.firms), ("project", t.projects)):
        if kind == "firm":
            out.extend(_duplicate_firms(t))
            continue
        counts = Counter(r.id for r in records)
        for rid, n in counts.items():
            if n > 1:
                first = _where(t, kind, rid)
                out.append(_duplicate((t.origins.get(f"repeat:{kind}:{rid}") or first).at("id"), kind, rid, n, first))
    seen: set[tuple[str, str]] = set()
    for i, edge in enumerate(t.feeds):
        pair = (edge.source, edge.target)
        if pair in seen:
            out.append(_duplicate_pair(_where(t, "feeds", i), "feeds", *pair))
        seen.add(pair)
    for name, a, b in (("operates_in", "firm_id", "link_id"), ("supplies", "supplier_id", "customer_id")):
        frame = getattr(t, name)
        repeats = frame.filter(~pl.struct(a, b).is_first_distinct())
        for where, x, y in zip(_at(t, name, repeats), repeats.get_column(a), repeats.get_column(b)):
            out.append(_duplicate_pair(where, name, x, y))
    return out


def _duplicate(where: Location, kind: str, rid: str, n: int, first: Location) -> Problem:
    return Problem(where, msg("val.duplicate_id", kind=msg(f"kind.{kind}"), id=rid, n=n, first=place(first)),
                   msg("val.duplicate_id_hint", kind=msg(f"kind.{kind}")))


def _duplicate_pair(where: Location, kind: str, source: str, target: str) -> Problem:
    return Problem(where, msg("val.duplicate_pair", kind=msg(f"kind.{kind}"), source=source, target=target),
                   msg("val.duplicate_pair_hint"))


def _duplicate_firms(t: Tables) -> list[Problem]:
    """Each repeated firm id once, at its last repeat, in the order ids first appear."""
    repeated = t.firms.select("id", ROW).filter(pl.col("id").is_duplicated())
    if not repeated.height:
        return []
    file = t.files.get("firms", "<firm>")
    groups = repeated.group_by("id", maintain_order=True).agg(
        pl.len().alias("n"), pl.col(ROW).first().alias("first"), pl.col(ROW).last().alias("last"))
    return [_duplicate(Location(file, last, "id"), "firm", rid, n, Location(file, first))
            for rid, n, first, last in groups.iter_rows()]


def _dangling(t: Tables) -> list[Problem]:
    link_ids = {link.id for link in t.links}
    firm_ids = t.firms.get_column("id")
    chain_ids = {chain.id for chain in t.chains}
    out: list[Problem] = []

    def need(ok: bool, kind: str, key: str | int, column: str, what: str, value: str, hint: Message) -> None:
        if not ok:
            out.append(Problem(_where(t, kind, key, column), msg(f"val.unknown_{what}", value=value), hint))

    def need_all(name: str, column: str, found: pl.Series, what: str, hint: Message) -> None:
        """Every row of frame `name` whose `column` is not `found` (a mask of the frame's rows)."""
        frame = getattr(t, name)
        unknown = frame.filter(~found)
        for where, value in zip(_at(t, name, unknown, column), unknown.get_column(column)):
            out.append(Problem(where, msg(f"val.unknown_{what}", value=value), hint))

    link_hint = msg("val.link_hint")
    firm_hint = msg("val.firm_hint")
    for link in t.links:
        need(link.chain in chain_ids, "link", link.id, "chain", "chain", link.chain, msg("val.chain_hint"))
    for i, edge in enumerate(t.feeds):
        need(edge.source in link_ids, "feeds", i, "from", "link", edge.source, link_hint)
        need(edge.target in link_ids, "feeds", i, "to", "link", edge.target, link_hint)
    start = len(out)
    links = pl.Series(sorted(link_ids), dtype=pl.String)
    refs = (("operates_in", "firm_id"), ("supplies", "supplier_id"), ("supplies", "customer_id"))
    columns = [getattr(t, name).get_column(column) for name, column in refs]
    found = pl.concat(columns).is_in(firm_ids.implode())  # one hash set of a million firm ids, not three
    starts = [sum(len(c) for c in columns[:i]) for i in range(len(columns))]
    firms_found = {ref: found.slice(start, len(c)) for ref, start, c in zip(refs, starts, columns)}
    need_all("operates_in", "firm_id", firms_found[refs[0]], "firm", firm_hint)
    need_all("operates_in", "link_id", t.operates_in.get_column("link_id").is_in(links.implode()), "link", link_hint)
    need_all("supplies", "supplier_id", firms_found[refs[1]], "firm", firm_hint)
    need_all("supplies", "customer_id", firms_found[refs[2]], "firm", firm_hint)
    # row by row, each row's problems in column order, as a reader of rows finds them
    out[start:] = sorted(out[start:], key=lambda p: (p.location.file, p.location.row or 0))
    named = sorted({p.firm_id for p in t.projects if p.firm_id})  # a few hundred, checked against a million
    found = pl.Series(named, dtype=pl.String)
    known_firms = set(found.filter(found.is_in(firm_ids.implode())).to_list())
    for project in t.projects:
        for link_id in project.link_ids:
            need(link_id in link_ids, "project", project.id, "links", "link", link_id, link_hint)
        if project.firm_id:
            need(project.firm_id in known_firms, "project", project.id, "firm_id", "firm", project.firm_id, firm_hint)
        if not project.link_ids:
            out.append(Problem(
                _where(t, "project", project.id, "links"), msg("val.project_no_link", id=project.id),
                msg("val.project_no_link_hint"), "warning",
            ))
    return out


def _feeds_cycles(t: Tables) -> list[Problem]:
    """A cycle inside one chain makes upstream/downstream meaningless; across chains loops are real."""
    import networkx as nx  # here, not at the top: every command validates, few files have FEEDS to check

    chain_of = {link.id: link.chain for link in t.links}
    graphs: dict[str, nx.DiGraph] = {}
    for i, edge in enumerate(t.feeds):
        chain = chain_of.get(edge.source)
        if chain and chain == chain_of.get(edge.target):
            graphs.setdefault(chain, nx.DiGraph()).add_edge(edge.source, edge.target, index=i)
    out: list[Problem] = []
    for chain, graph in sorted(graphs.items()):
        for cycle in nx.simple_cycles(graph):
            path = " → ".join([*cycle, cycle[0]])
            first = graph.edges[cycle[0], cycle[1 % len(cycle)]]["index"]
            out.append(Problem(
                _where(t, "feeds", first), msg("val.cycle", chain=chain, path=path), msg("val.cycle_hint"),
            ))
            if len(out) >= 20:
                return out
    return out


def _credit_codes(t: Tables) -> list[Problem]:
    """An 18-character id is meant as a credit code, so it must carry a valid check digit."""
    length = pl.col("id").str.len_chars()
    meant = t.firms.select("id", ROW).filter(
        (length == creditcode.LENGTH) | (pl.col("id").str.contains(r"^\d") & (length > 15)))
    wrong = meant.filter(~creditcode.valid_column(meant.get_column("id")))
    return [
        Problem(where, msg("val.credit_code", code=code, why=creditcode.problem(code)), msg("val.credit_code_hint"))
        for where, code in zip(_at(t, "firms", wrong, "id"), wrong.get_column("id"))
    ]


def _units(t: Tables) -> list[Problem]:
    out = []
    for link in t.links:
        if link.unit and not units.known_unit(link.unit):
            out.append(Problem(
                _where(t, "link", link.id, "unit"), msg("val.link_unit", unit=link.unit, link=link.id),
                msg("val.unit_hint"),
            ))
    unit_of = {link.id: link.unit for link in t.links}
    for project in t.projects:
        if not project.capacity:
            continue
        try:
            units.parse_quantity(project.capacity)
        except units.UnitError as err:
            out.append(Problem(_where(t, "project", project.id, "capacity"), err.message, msg("val.capacity_hint")))
            continue
        if not any(units.capacity_in(project.capacity, unit_of.get(l)) is not None for l in project.link_ids):
            out.append(Problem(
                _where(t, "project", project.id, "capacity"),
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
