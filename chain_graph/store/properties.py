"""The properties of the Neo4j store's nodes and relationships, for the online load (neo4j.py) and
the bulk import files (bulk.py) alike: each record's own fields, as chain_graph.schema lists them,
plus the few the store adds. A field added to a model becomes a property of both with no change here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .. import schema
from ..model import Model

# what the store adds beside a record's fields, with its type: the order a label's records were
# given in, the record as JSON (read back exactly as written), and the locality flags queries filter on
ADDED = {"ord": "long", "doc": "string", "local": "boolean", "active": "boolean", "local_link": "string"}


@dataclass(frozen=True)
class Shape:
    """A node label or relationship type, the record it holds and the properties the store adds."""

    label: str
    schema: schema.Schema
    added: tuple[str, ...] = ()

    @cached_property
    def properties(self) -> tuple[tuple[str, str], ...]:
        """(name, type) of every property but the node key `id`."""
        own = tuple(p for p in self.schema.properties if p[0] != "id")
        return own + tuple((name, ADDED[name]) for name in self.added)

    def values(self, record: Model, **added: object) -> dict[str, object]:
        """The record's properties (its `id` is the node key, not among them); `added` the store's own."""
        out = self.schema.property_values(record)
        out.pop("id", None)
        if "doc" in self.added:
            out["doc"] = record.model_dump_json()
        return {**out, **added}


CHAIN = Shape("CG_Chain", schema.CHAIN, ("ord", "doc"))
LINK = Shape("CG_Link", schema.LINK, ("ord", "doc"))
FIRM = Shape("CG_Firm", schema.FIRM, ("local", "active", "doc"))
PROJECT = Shape("CG_Project", schema.PROJECT, ("ord", "doc"))
FEEDS = Shape("FEEDS", schema.FEEDS, ("ord", "doc"))
OPERATES_IN = Shape("OPERATES_IN", schema.OPERATES_IN, ("local_link",))
SUPPLIES = Shape("SUPPLIES", schema.SUPPLIES)
# the node labels, by the words counts() uses for them (store.base.COUNTED)
NODES = {"chains": CHAIN, "links": LINK, "firms": FIRM, "projects": PROJECT}
