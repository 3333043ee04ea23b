"""One chain per YAML file: the chain, its links and the FEEDS edges out of them.

Mappings remember their line so a problem in the 40th link points at its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from pydantic import ValidationError

from chain_graph.dataset import Location
from chain_graph.model import Chain, Feeds, Link
from chain_graph.i18n import Message, msg
from chain_graph.validation import Problem, pydantic_message

from . import yamlfile

_LINE = "__line__"


class _Lines:
    """Every mapping also says the line it starts on."""

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
        doc = yamlfile.load(text, _Lines)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        out.problems.append(Problem(
            Location(file, mark.line + 1 if mark else None), msg("load.yaml_invalid", detail=yamlfile.problem(err)),
            msg("load.yaml_hint"),
        ))
        return out
    if not isinstance(doc, dict):
        out.problems.append(Problem(Location(file, 1), msg("load.chain_not_mapping"), msg("hint.chain_format")))
        return out
    links, feeds = doc.pop("links", None) or [], doc.pop("feeds", None) or []
    out.chain = _build(Chain, doc, file, out.problems)
    chain_id = out.chain.id if out.chain else str(doc.get("id", ""))
    for key, items in (("links", links), ("feeds", feeds)):
        for item in items if isinstance(items, list) else [items]:
            if not isinstance(item, dict):
                out.problems.append(Problem(
                    Location(file, None, key), msg("load.not_list_of_mappings", field=key, item=repr(item)),
                    msg(f"load.{key}_item_hint"),
                ))
    for item in links if isinstance(links, list) else []:
        if isinstance(item, dict) and "chain" in item:
            out.problems.append(Problem(
                Location(file, item[_LINE], "chain"), msg("load.link_chain"), msg("load.link_chain_hint"),
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
        out.problems.append(Problem(Location(file, 1, "links"), msg("load.no_links"), msg("load.no_links_hint")))
    return out


def _build(model, data: dict, file: str, problems: list[Problem]):
    line = data.pop(_LINE, None)
    data = {k: (str(v) if k in ("id", "source", "target", "name") and v is not None else v) for k, v in data.items()}
    try:
        return model(**data)
    except ValidationError as err:
        for e in err.errors():
            column = {"source": "from", "target": "to"}.get(str(e["loc"][0]), str(e["loc"][0])) if e["loc"] else None
            problems.append(Problem(Location(file, line, column), pydantic_message(e), _hint(column)))
        return None


def _hint(column: str | None) -> Message:
    return msg({"stage": "hint.stage", "coefficient": "hint.coefficient"}.get(column or "", "hint.chain_format"))
