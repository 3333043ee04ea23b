"""One chain per YAML file: the chain, its links and the FEEDS edges out of them.

Mappings remember their line so a problem in the 40th link points at its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from pydantic import ValidationError

from chain_graph.dataset import Location
from chain_graph.model import Chain, Feeds, Link
from chain_graph.validation import Problem

_LINE = "__line__"


class _LineLoader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping[_LINE] = node.start_mark.line + 1
        return mapping


@dataclass
class ChainFile:
    chain: Chain | None = None
    links: list[tuple[Link, Location]] = field(default_factory=list)
    feeds: list[tuple[Feeds, Location]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def parse_chain(text: str, file: str) -> ChainFile:
    out = ChainFile()
    try:
        doc = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        out.problems.append(Problem(
            Location(file, mark.line + 1 if mark else None), f"not valid YAML: {getattr(err, 'problem', err)}",
            "check indentation and quote text that contains ':' or '#'",
        ))
        return out
    if not isinstance(doc, dict):
        out.problems.append(Problem(Location(file, 1), "a chain file must be a mapping with id, name, links", "see docs/data-format.md"))
        return out
    links, feeds = doc.pop("links", None) or [], doc.pop("feeds", None) or []
    out.chain = _build(Chain, doc, file, out.problems)
    chain_id = out.chain.id if out.chain else str(doc.get("id", ""))
    for key, items in (("links", links), ("feeds", feeds)):
        for item in items if isinstance(items, list) else [items]:
            if not isinstance(item, dict):
                out.problems.append(Problem(
                    Location(file, None, key), f"{key} must be a list of mappings, got {item!r}",
                    "write each item as `- id: ...` with its fields indented below"
                    if key == "links" else "write each edge as `- from: a` with `to: b` below",
                ))
    for item in links if isinstance(links, list) else []:
        if isinstance(item, dict) and "chain" in item:
            out.problems.append(Problem(
                Location(file, item[_LINE], "chain"), "a link takes its chain from the file it is in",
                "remove `chain:` from the link, or move the link to that chain's file",
            ))
            continue
        link = _build(Link, {**item, "chain": chain_id}, file, out.problems) if isinstance(item, dict) else None
        if link:
            out.links.append((link, Location(file, item[_LINE])))
    for item in feeds if isinstance(feeds, list) else []:
        if isinstance(item, dict):
            data = {("source" if k == "from" else "target" if k == "to" else k): v for k, v in item.items()}
            edge = _build(Feeds, data, file, out.problems)
            if edge:
                out.feeds.append((edge, Location(file, item[_LINE])))
    if not links:
        out.problems.append(Problem(Location(file, 1, "links"), "the chain has no links", "list its links under `links:`"))
    return out


def _build(model, data: dict, file: str, problems: list[Problem]):
    line = data.pop(_LINE, None)
    data = {k: (str(v) if k in ("id", "source", "target", "name") and v is not None else v) for k, v in data.items()}
    try:
        return model(**data)
    except ValidationError as err:
        for e in err.errors():
            column = {"source": "from", "target": "to"}.get(str(e["loc"][0]), str(e["loc"][0])) if e["loc"] else None
            problems.append(Problem(Location(file, line, column), f"{model.__name__.lower()}: {e['msg']}", _hint(column)))
        return None


def _hint(column: str | None) -> str:
    return {
        "stage": "use 上游, 中游 or 下游",
        "coefficient": "a positive number: units of `from` per unit of `to`",
    }.get(column or "", "see docs/data-format.md for the chain file fields")
