"""The embedded store as it was before the columnar core (issue 13), kept as the oracle of
tests/test_columnar.py: the chain graph in a networkx DiGraph, every firm a node.

Nodes are keyed ("link", id), ("firm", id), ("project", id); each edge carries its
relationship type. A load builds a new graph and swaps it in, so a reader never
sees half a dataset.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from typing import Callable, Iterable, Iterator

import networkx as nx

from chain_graph import units
from chain_graph.i18n import msg
from chain_graph.dataset import Dataset
from chain_graph.leads import Lead, LeadConflict
from chain_graph.model import Chain, Feeds, Firm, Link, Project, Region
from chain_graph.rules import known_sum
from chain_graph.store.base import (
    Candidate, ChainCounts, FirmLinkInfo, FirmOnLink, FirmQuery, FirmRecord, Found, Hit, LinkPresence, ProjectOnLink,
    Ranking, StoreError, SupplyTie, TradePartner, search_words,
)

OPERATES_IN, FEEDS, SUPPLIES, MAKES, BY_FIRM = "OPERATES_IN", "FEEDS", "SUPPLIES", "MAKES", "BY_FIRM"


class ReferenceStore:
    def __init__(self) -> None:
        self._leads: dict[str, Lead] = {}  # outside clear(): a load never drops a lead
        self._leads_lock = threading.Lock()
        self.clear()

    # -- writing -----------------------------------------------------------------
    def load(self, ds: Dataset, progress: Callable[[int, int], None] | None = None) -> None:
        graph = nx.DiGraph()
        graph.add_nodes_from((("link", link.id), {"record": link}) for link in ds.links)
        graph.add_edges_from((("link", e.source), ("link", e.target), {"type": FEEDS}) for e in ds.feeds)
        graph.add_nodes_from((("firm", f.id), {
            "record": f, "local": ds.region.is_local(f.province, f.city), "active": f.status.active,
        }) for f in ds.firms)
        # placements are the bulk of the graph: plain attributes, not a record object each
        graph.add_edges_from((("firm", r.firm_id), ("link", r.link_id), {
            "type": OPERATES_IN, "capacity": r.capacity, "evidence": r.evidence, "source": r.source,
        }) for r in ds.operates_in)
        graph.add_edges_from(
            (("firm", r.supplier_id), ("firm", r.customer_id), {"type": SUPPLIES, "product": r.product})
            for r in ds.supplies)
        unit_of = {link.id: link.unit for link in ds.links}
        for project in ds.projects:
            graph.add_node(("project", project.id), record=project)
            for link_id in project.link_ids:
                capacity = units.capacity_in(project.capacity, unit_of.get(link_id))
                graph.add_edge(("project", project.id), ("link", link_id), type=MAKES, capacity=capacity)
            if project.firm_id:
                graph.add_edge(("project", project.id), ("firm", project.firm_id), type=BY_FIRM)
        self._graph, self._region, self._chains, self._version = graph, ds.region, list(ds.chains), ds.fingerprint()
        self._links, self._feeds, self._projects = list(ds.links), list(ds.feeds), list(ds.projects)
        self._presence = {link.id: self._link_presence(link.id) for link in ds.links}
        self._chain_counts = self._count_chains()
        if progress:
            progress(graph.number_of_nodes(), graph.number_of_nodes())

    def clear(self) -> None:
        self._graph = nx.DiGraph()
        self._region: Region | None = None
        self._chains: list[Chain] = []
        self._version = "empty"
        self._links: list[Link] = []
        self._feeds: list[Feeds] = []
        self._projects: list[Project] = []
        self._presence: dict[str, LinkPresence] = {}  # per link, computed once per load
        self._chain_counts: dict[str, ChainCounts] = {}

    def counts(self) -> dict[str, int]:
        kinds = Counter(key[0] for key in self._graph.nodes)
        return {
            "chains": len(self._chains), "links": kinds["link"], "firms": kinds["firm"],
            "projects": kinds["project"], "relationships": self._graph.number_of_edges(),
        }

    # -- reading -----------------------------------------------------------------
    def version(self) -> str:
        return self._version

    def region(self) -> Region:
        if self._region is None:
            raise StoreError(msg("store.empty"))
        return self._region

    def chains(self) -> list[Chain]:
        return list(self._chains)

    def links(self, chain_id: str | None = None) -> list[Link]:
        return [link for link in self._links if chain_id is None or link.chain == chain_id]

    def feeds(self) -> list[Feeds]:
        return list(self._feeds)

    def presence(self, link_ids: Iterable[str]) -> dict[str, LinkPresence]:
        return {link_id: self._presence.get(link_id, LinkPresence(link_id)) for link_id in link_ids}

    def candidates(self, link_ids: Iterable[str], ranking: Ranking | None = None) -> list[Candidate]:
        out = []
        for link_id in link_ids:
            for pred, data in self._in_edges(("link", link_id)):
                node = self._graph.nodes[pred]
                if data["type"] != OPERATES_IN or node["local"] or not node["active"]:
                    continue
                firm = node["record"]
                out.append(Candidate(
                    link_id, firm.id, firm.name, firm.province, firm.city, tuple(firm.tags),
                    firm.registered_capital, firm.capital_currency, data["capacity"], data["evidence"],
                    data["source"] or firm.source, self._local_ties(pred), **Candidate.signals(firm),
                ))
        return sorted(out, key=lambda c: (c.link_id, c.firm_id))

    def chain_counts(self) -> dict[str, ChainCounts]:
        return dict(self._chain_counts)

    def projects(self, chain_id: str | None = None) -> list[Project]:
        chain_links = None if chain_id is None else {link.id for link in self.links(chain_id)}
        return [p for p in self._projects if chain_links is None or chain_links.intersection(p.link_ids)]

    def firms(self, query: FirmQuery) -> list[FirmRecord]:
        out = []
        for key, node in self._graph.nodes(data=True):
            if key[0] != "firm" or (query.local is not None and node["local"] != query.local):
                continue
            firm: Firm = node["record"]
            if query.text and query.text not in firm.name and query.text.upper() not in firm.id:
                continue
            links = self._firm_links(key)
            if query.link_id and all(l.id != query.link_id for l in links):
                continue
            if query.chain_id and all(self._graph.nodes[("link", l.id)]["record"].chain != query.chain_id for l in links):
                continue
            out.append(FirmRecord(firm, node["local"], links))
        out.sort(key=lambda r: (not r.local, r.firm.name))
        return out[: query.limit] if query.limit else out

    def search(self, text: str, limit: int = 10) -> Found:
        """Every record's text read one by one: the oracle of the stores' filters and sort keys."""
        words = search_words(text)
        if words is None:
            return Found()

        def order(name: str, code: str, local: bool = False) -> tuple:
            name_, code_ = name.lower(), code.lower()
            return (0 if words in (name_, code_) else 1 if name_.startswith(words) else 2, not local, len(name), name,
                    code)

        firms = [(n["record"], n["local"]) for k, n in self._graph.nodes(data=True) if k[0] == "firm"]
        firms = sorted(((f, local) for f, local in firms if words in f.name.lower() or words in f.id.lower()),
                       key=lambda x: order(x[0].name, x[0].id, x[1]))
        links = sorted((l for l in self.links() if any(words in x.lower() for x in (l.name, *l.keywords))),
                       key=lambda l: order(l.name, l.id))
        projects = sorted((p for p in self.projects()
                           if any(words in x.lower() for x in (p.name, p.id, p.builder or ""))),
                          key=lambda p: order(p.name, p.id))
        hits = [Hit.firm(f.id, f.name, f.province, f.city, local) for f, local in firms[:limit]]
        hits += [Hit("link", l.id, l.name, chain=l.chain) for l in links[:limit]]
        hits += [Hit("project", p.id, p.name, status=p.status.value) for p in projects[:limit]]
        return Found(tuple(hits), {"firm": len(firms), "link": len(links), "project": len(projects)})

    def trade_partners(self, firm_id: str) -> list[TradePartner]:
        node = ("firm", firm_id)
        if node not in self._graph:
            return []
        ends = [("customer", dst, data) for _, dst, data in self._graph.out_edges(node, data=True)]
        ends += [("supplier", src, data) for src, _, data in self._graph.in_edges(node, data=True)]
        out = []
        for role, other, data in ends:
            if data["type"] == SUPPLIES:
                attrs = self._graph.nodes[other]
                firm = attrs["record"]
                out.append(TradePartner(role, firm.id, firm.name, attrs["local"], attrs["active"], data["product"]))
        return sorted(out, key=lambda p: (p.role, p.name, p.firm_id))

    def tagged_local_firms(self, tag: str) -> dict[str, tuple[FirmOnLink, ...]]:
        out = {}
        for link_id, presence in self._presence.items():
            firms = tuple(f for f in presence.local_firms if tag in self._graph.nodes[("firm", f.id)]["record"].tags)
            if firms:
                out[link_id] = firms
        return out

    def suppliers_of(self, firm_ids: Iterable[str]) -> list[SupplyTie]:
        out = []
        for customer in set(firm_ids):
            for pred, data in self._in_edges(("firm", customer)):
                if data["type"] == SUPPLIES:
                    attrs = self._graph.nodes[pred]
                    out.append(SupplyTie(customer, pred[1], attrs["record"].name, attrs["local"], attrs["active"],
                                         data["product"]))
        return sorted(out, key=lambda s: (s.customer_id, s.supplier_name, s.supplier_id))

    # -- helpers -----------------------------------------------------------------
    def _link_presence(self, link_id: str) -> LinkPresence:
        firms, pipeline = [], []
        for pred, data in self._in_edges(("link", link_id)):
            if data["type"] == OPERATES_IN and self._is_local_active(pred):
                firm = self._graph.nodes[pred]["record"]
                firms.append(FirmOnLink(firm.id, firm.name, data["capacity"]))
            elif data["type"] == MAKES:
                project = self._graph.nodes[pred]["record"]
                if project.status.in_pipeline:
                    pipeline.append(ProjectOnLink(project.id, project.name, project.status, data["capacity"],
                                                  project.investment))
        return LinkPresence(
            link_id, tuple(sorted(firms, key=lambda f: f.id)), tuple(sorted(pipeline, key=lambda p: p.id)),
        )

    def _count_chains(self) -> dict[str, ChainCounts]:
        firms: dict[str, set] = defaultdict(set)
        local: dict[str, set] = defaultdict(set)
        projects: dict[str, dict[str, Project]] = defaultdict(dict)
        for src, dst, data in self._graph.edges(data=True):
            if data["type"] not in (OPERATES_IN, MAKES):
                continue
            chain = self._graph.nodes[dst]["record"].chain
            node = self._graph.nodes[src]
            if data["type"] == MAKES:
                projects[chain][src[1]] = node["record"]
            elif node["active"]:
                firms[chain].add(src)
                if node["local"]:
                    local[chain].add(src)
        return {
            c.id: ChainCounts(
                c.id, len(firms[c.id]), len(local[c.id]), len(projects[c.id]),
                *known_sum(p.investment for p in projects[c.id].values()),
            )
            for c in self._chains
        }

    def _in_edges(self, node) -> Iterator[tuple[tuple, dict]]:
        if node in self._graph:
            for pred, _, data in self._graph.in_edges(node, data=True):
                yield pred, data

    def _is_local_active(self, node) -> bool:
        attrs = self._graph.nodes[node]
        return attrs["local"] and attrs["active"]

    def _local_ties(self, firm_node) -> tuple[str, ...]:
        ties = set()
        for other in (*self._graph.successors(firm_node), *self._graph.predecessors(firm_node)):
            attrs = self._graph.nodes[other]
            if other[0] == "firm" and attrs["local"] and attrs["active"]:
                ties.add(attrs["record"].name)
            elif other[0] == "project":
                ties.add(attrs["record"].name)
        return tuple(sorted(ties))

    def _firm_links(self, firm_node) -> tuple[FirmLinkInfo, ...]:
        out = []
        for _, dst, data in self._graph.out_edges(firm_node, data=True):
            if data["type"] == OPERATES_IN:
                link: Link = self._graph.nodes[dst]["record"]
                out.append(FirmLinkInfo(link.id, link.name, data["capacity"], link.unit, data["evidence"]))
        return tuple(sorted(out, key=lambda l: l.id))


    # -- leads: the team's records, not part of a loaded dataset ----------------
    def leads(self) -> list[Lead]:
        return sorted(self._leads.values(), key=lambda lead: lead.id)

    def save_lead(self, lead: Lead) -> None:
        with self._leads_lock:
            current = self._leads.get(lead.id)
            if (current.version if current else 0) != lead.version - 1:
                if current is None:
                    raise StoreError(msg("store.no_lead", lead=lead.id))
                raise LeadConflict(current, lead.version - 1)
            self._leads[lead.id] = lead

    def replace_leads(self, leads: list[Lead]) -> None:
        with self._leads_lock:
            self._leads = {lead.id: lead for lead in leads}
