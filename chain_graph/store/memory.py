"""The embedded store: the firm population in columnar tables (polars), in process, no server.

Firms, placements and supply ties are frames (chain_graph.columnar); links, FEEDS edges,
chains and projects are a few hundred records. Reads filter and join columns in native
code and build records only for the rows they return, so a million firms cost tens of
bytes each instead of a pydantic record and a graph node. A load swaps in one `_Loaded` object
holding the tables, so a reader never sees half a dataset; what is derived from them (the
firm flags, the placements joined with them, each link's presence, the chain counts) is
computed when first read and kept with that object: a command asks for a few of them, and a
summary of every link at load cost seconds at a million firms.
"""

from __future__ import annotations

import re
import threading
from collections import Counter, defaultdict
from functools import cached_property
from typing import Callable, Iterable

import polars as pl

from .. import units
from ..columnar import ROW, Tables, records_of
from ..dataset import Dataset
from ..i18n import msg
from ..leads import Lead, LeadConflict
from ..model import Chain, Feeds, Firm, FirmStatus, Link, Project, Region
from ..rules import known_sum
from .base import (
    Candidate, ChainCounts, FirmLinkInfo, FirmOnLink, FirmQuery, FirmRecord, Found, Hit, LinkPresence, ProjectOnLink,
    Ranking, StoreError, SupplyTie, TradePartner, search_words,
)

_ACTIVE = FirmStatus.ACTIVE.value


class MemoryStore:
    def __init__(self) -> None:
        self._leads: dict[str, Lead] = {}  # outside clear(): a load never drops a lead
        self._leads_lock = threading.Lock()
        self.clear()

    # -- writing -----------------------------------------------------------------
    def load(self, ds: Dataset | Tables, progress: Callable[[int, int], None] | None = None) -> None:
        loaded = _Loaded(ds if isinstance(ds, Tables) else Tables.of(ds))
        self._d = loaded
        if progress:
            progress(loaded.tables.firms.height, loaded.tables.firms.height)

    def clear(self) -> None:
        self._d = _Loaded(Tables(Region(province="?", city="?")), empty=True)

    def counts(self) -> dict[str, int]:
        return dict(self._d.counts)

    # the loaded dataset's parts, read through the one object a load swaps in
    _tables = property(lambda self: self._d.tables)
    _region = property(lambda self: self._d.region)
    _version = property(lambda self: self._d.version)
    _chains = property(lambda self: self._d.tables.chains)
    _links = property(lambda self: self._d.tables.links)
    _feeds = property(lambda self: self._d.tables.feeds)
    _projects = property(lambda self: self._d.tables.projects)
    _link_of = property(lambda self: self._d.link_of)
    _firms = property(lambda self: self._d.firms)
    _placements = property(lambda self: self._d.placements)
    _supplies = property(lambda self: self._d.supplies)

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
        wanted = list(link_ids)
        known = self._d.presence(wanted)
        return {link_id: known.get(link_id, LinkPresence(link_id)) for link_id in wanted}

    def candidates(self, link_ids: Iterable[str], ranking: Ranking | None = None) -> list[Candidate]:
        """Every candidate: `ranking` is only a server's shortcut."""
        wanted = list(link_ids)
        placed = self._tables.operates_in
        if not wanted or not placed.height:
            return []
        flags = self._firms.select(pl.col("id").alias("firm_id"), "_i", "local", "active")
        found = placed.filter(pl.col("link_id").is_in(wanted)).join(  # the asked links' rows only, then their firms
            flags, on="firm_id", how="left", maintain_order="left",
        ).filter(pl.col("active") & ~pl.col("local")).select(
            "link_id", "firm_id", "_i", "capacity", "evidence", pl.col("source").alias("placement_source"))
        signals = list(Candidate.signals(Firm(id="-", name="-")))  # the signal fields, named where they live
        firms = self._firms.select("_i", "name", "province", "city", "tags", "registered_capital",
                                   "capital_currency", "source", *signals)
        found = found.join(firms, on="_i", how="left", maintain_order="left")
        ties = self._local_ties(found.get_column("firm_id").unique())
        out = []
        asked = Counter(wanted)
        for row in found.iter_rows(named=True):
            candidate = Candidate(
                row["link_id"], row["firm_id"], row["name"], row["province"], row["city"], tuple(row["tags"]),
                row["registered_capital"], row["capital_currency"], row["capacity"], row["evidence"],
                row["placement_source"] or row["source"], ties.get(row["firm_id"], ()),
                **{name: row[name] for name in signals},  # enums are held as their codes, as signals() gives
            )
            out.extend([candidate] * asked[row["link_id"]])  # a link asked for twice is answered twice
        return sorted(out, key=lambda c: (c.link_id, c.firm_id))

    def chain_counts(self) -> dict[str, ChainCounts]:
        return dict(self._d.chain_counts)

    def projects(self, chain_id: str | None = None) -> list[Project]:
        chain_links = None if chain_id is None else {link.id for link in self.links(chain_id)}
        return [p for p in self._projects if chain_links is None or chain_links.intersection(p.link_ids)]

    def firms(self, query: FirmQuery) -> list[FirmRecord]:
        firms = self._firms
        if query.local is not None:
            firms = firms.filter(pl.col("local") == query.local)
        if query.text:
            firms = firms.filter(pl.col("name").str.contains(query.text, literal=True)
                                 | pl.col("id").str.contains(query.text.upper(), literal=True))
        if (query.link_id or query.chain_id) and self._placements.height:
            chain_links = [l.id for l in self.links(query.chain_id)] if query.chain_id else None
            on = self._placements
            if query.link_id:
                firms = firms.filter(pl.col("_i").is_in(on.filter(pl.col("link_id") == query.link_id)["_i"].implode()))
            if chain_links is not None:
                firms = firms.filter(pl.col("_i").is_in(on.filter(pl.col("link_id").is_in(chain_links))["_i"].implode()))
        elif query.link_id or query.chain_id:
            firms = firms.clear()
        firms = firms.sort([pl.col("local").not_(), pl.col("name")], maintain_order=True)
        if query.limit:
            firms = firms.head(query.limit)
        links = self._firm_links(firms.get_column("_i"))
        records = records_of(Firm, firms)
        return [FirmRecord(firm, local, links.get(i, ())) for firm, local, i in
                zip(records, firms.get_column("local").to_list(), firms.get_column("_i").to_list())]

    def search(self, text: str, limit: int = 10) -> Found:
        words = search_words(text)
        if words is None:
            return Found()
        # case-blind regexes, 10x faster than lower-casing 100k names per search; the smallest `limit` by the
        # order (bottom_k), not a sort of every match: "有限" matches nearly every firm
        text = re.escape(words)
        name, code = pl.col("name"), pl.col("id")
        firms = self._firms.select("id", "name", "province", "city", "local").filter(
            name.str.contains(f"(?i){text}") | code.str.contains(f"(?i){text}"))
        whole = name.str.contains(f"(?i)^{text}$") | code.str.contains(f"(?i)^{text}$")
        order = [pl.when(whole).then(0).when(name.str.contains(f"(?i)^{text}")).then(1).otherwise(2),
                 pl.col("local").not_(), name.str.len_chars(), "name", "id"]
        hits = [Hit.firm(*r) for r in firms.bottom_k(limit, by=order).sort(order).iter_rows()]
        links = [l for l in self._links if _holds(words, l.name, *l.keywords)]
        projects = [p for p in self._projects if _holds(words, p.name, p.id, p.builder)]
        hits += [Hit("link", l.id, l.name, chain=l.chain) for l in sorted(links, key=_found_order(words))[:limit]]
        hits += [Hit("project", p.id, p.name, status=p.status.value)
                 for p in sorted(projects, key=_found_order(words))[:limit]]
        return Found(tuple(hits), {"firm": firms.height, "link": len(links), "project": len(projects)})

    def trade_partners(self, firm_id: str) -> list[TradePartner]:
        s = self._supplies
        if not s.height:
            return []
        customers = s.filter(pl.col("supplier_id") == firm_id).select(
            pl.lit("customer").alias("role"), pl.col("customer_id").alias("other"), "product")
        suppliers = s.filter(pl.col("customer_id") == firm_id).select(
            pl.lit("supplier").alias("role"), pl.col("supplier_id").alias("other"), "product")
        ends = pl.concat([customers, suppliers]).join(
            self._firms.select(pl.col("id").alias("other"), "name", "local", "active"), on="other", how="inner",
            maintain_order="left")
        out = [TradePartner(r["role"], r["other"], r["name"], r["local"], r["active"], r["product"])
               for r in ends.iter_rows(named=True)]
        return sorted(out, key=lambda p: (p.role, p.name, p.firm_id))

    def tagged_local_firms(self, tag: str) -> dict[str, tuple[FirmOnLink, ...]]:
        tagged = set(self._firms.filter(pl.col("local") & pl.col("active") & pl.col("tags").list.contains(tag))
                     .get_column("id").to_list())
        out = {}
        for link_id, presence in self._d.presence([link.id for link in self._links]).items():
            firms = tuple(f for f in presence.local_firms if f.id in tagged)
            if firms:
                out[link_id] = firms
        return out

    def suppliers_of(self, firm_ids: Iterable[str]) -> list[SupplyTie]:
        wanted = list(set(firm_ids))
        if not wanted or not self._supplies.height:
            return []
        ties = self._supplies.filter(pl.col("customer_id").is_in(wanted)).join(
            self._firms.select(pl.col("id").alias("supplier_id"), "name", "local", "active"), on="supplier_id",
            how="inner", maintain_order="left")
        out = [SupplyTie(r["customer_id"], r["supplier_id"], r["name"], r["local"], r["active"], r["product"])
               for r in ties.iter_rows(named=True)]
        return sorted(out, key=lambda s: (s.customer_id, s.supplier_name, s.supplier_id))

    # -- helpers -----------------------------------------------------------------
    def _local_ties(self, firm_ids: pl.Series) -> dict[str, tuple[str, ...]]:
        """Names of the local active firms each firm trades with, and of the projects it invests in."""
        ties: dict[str, set[str]] = defaultdict(set)
        if self._supplies.height:
            local = self._firms.filter(pl.col("local") & pl.col("active")).select(pl.col("id").alias("other"), "name")
            s = self._supplies
            pairs = pl.concat([
                s.filter(pl.col("supplier_id").is_in(firm_ids.implode())).select(
                    pl.col("supplier_id").alias("firm"), pl.col("customer_id").alias("other")),
                s.filter(pl.col("customer_id").is_in(firm_ids.implode())).select(
                    pl.col("customer_id").alias("firm"), pl.col("supplier_id").alias("other")),
            ]).join(local, on="other", how="inner")
            for firm, name in pairs.select("firm", "name").iter_rows():
                ties[firm].add(name)
        wanted = set(firm_ids.to_list())
        for p in self._projects:
            if p.firm_id in wanted:
                ties[p.firm_id].add(p.name)
        return {firm: tuple(sorted(names)) for firm, names in ties.items()}

    def _firm_links(self, rows: pl.Series) -> dict[int, tuple[FirmLinkInfo, ...]]:
        if not self._placements.height:
            return {}
        on = self._placements.filter(pl.col("_i").is_in(rows.implode())).select(
            "_i", "link_id", "capacity", "evidence").sort(["_i", "link_id"], maintain_order=True)
        out: dict[int, list[FirmLinkInfo]] = defaultdict(list)
        for i, link_id, capacity, evidence in on.iter_rows():
            link = self._link_of[link_id]
            out[i].append(FirmLinkInfo(link.id, link.name, capacity, link.unit, evidence))
        return {i: tuple(links) for i, links in out.items()}


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


def _holds(words: str, *texts: str | None) -> bool:
    return any(words in x.lower() for x in texts if x)


def _found_order(words: str) -> Callable[[Link | Project], tuple]:
    """The search's order for the few links and projects (the firms' is the same, as polars sort keys)."""
    def key(x: Link | Project) -> tuple:
        name = x.name.lower()
        return (0 if words in (name, x.id.lower()) else 1 if name.startswith(words) else 2, len(x.name), x.name, x.id)
    return key


class _Loaded:
    """One loaded dataset, and what the reads derive from it, each computed when first asked for."""

    def __init__(self, t: Tables, empty: bool = False):
        self.tables = t
        self.region: Region | None = None if empty else t.region
        self.version = "empty" if empty else t.key
        self.link_of = {link.id: link for link in t.links}
        self.makes = {p.id: {l: units.capacity_in(p.capacity, self.link_of[l].unit if l in self.link_of else None)
                             for l in dict.fromkeys(p.link_ids)} for p in t.projects}
        self._presence: dict[str, LinkPresence] = {}
        self._presence_lock = threading.Lock()
        edges = (len({(e.source, e.target) for e in t.feeds}) + t.operates_in.height + t.supplies.height
                 + sum(len(m) for m in self.makes.values()) + sum(1 for p in t.projects if p.firm_id))
        self.counts = {
            "chains": len(t.chains), "links": len(self.link_of), "firms": t.firms.height,
            "projects": len({p.id for p in t.projects}), "relationships": edges,
        }

    @cached_property
    def firms(self) -> pl.DataFrame:
        """The firms with their row index `_i` and whether each is local and active."""
        region = self.region or Region(province="?", city="?")
        return self.tables.firms.drop(ROW).with_columns(
            ((pl.col("province") == region.province) & (pl.col("city") == region.city)).fill_null(False).alias("local"),
            (pl.col("status") == _ACTIVE).alias("active"),
        ).with_row_index("_i")

    @cached_property
    def placements(self) -> pl.DataFrame:
        """The placements with their firm's row index, flags and name."""
        flags = self.firms.select(pl.col("id").alias("firm_id"), "_i", "local", "active", "name")
        return self.tables.operates_in.drop(ROW).join(flags, on="firm_id", how="left", maintain_order="left")

    @cached_property
    def supplies(self) -> pl.DataFrame:
        return self.tables.supplies.drop(ROW)

    @cached_property
    def local_placements(self) -> pl.DataFrame:
        """The active local firms' placements, by link and firm id: the few a presence read needs (joined
        from the few local firms, not from every placement)."""
        mine = self.firms.filter(pl.col("local") & pl.col("active")).select(pl.col("id").alias("firm_id"), "name")
        return self.tables.operates_in.select("link_id", "firm_id", "capacity").join(
            mine, on="firm_id", how="inner").select("link_id", "firm_id", "name", "capacity").sort(
            ["link_id", "firm_id"], maintain_order=True)

    def presence(self, link_ids: list[str]) -> dict[str, LinkPresence]:
        """The presence of those of `link_ids` that are links, each computed once."""
        missing = [self.link_of[i] for i in dict.fromkeys(link_ids) if i in self.link_of and i not in self._presence]
        if missing:
            found = _presence(missing, self.local_placements, self.tables.projects, self.makes)
            with self._presence_lock:
                self._presence.update(found)
        return {i: self._presence[i] for i in link_ids if i in self._presence}

    @cached_property
    def chain_counts(self) -> dict[str, ChainCounts]:
        return _chain_counts(self.tables.chains, self.link_of, self.placements, self.tables.projects, self.makes)


def _presence(links: list[Link], local: pl.DataFrame, projects: list[Project],
              makes: dict[str, dict[str, float | None]]) -> dict[str, LinkPresence]:
    """Per link: the active local firms on it (`local`: their placements, sorted) and the pipeline
    projects making it, each sorted by id."""
    firms: dict[str, list[FirmOnLink]] = defaultdict(list)
    if local.height:
        local = local.filter(pl.col("link_id").is_in([link.id for link in links]))
        for link_id, firm_id, name, capacity in local.iter_rows():
            firms[link_id].append(FirmOnLink(firm_id, name, capacity))
    pipeline: dict[str, list[ProjectOnLink]] = defaultdict(list)
    for p in projects:
        if p.status.in_pipeline:
            for link_id, capacity in makes[p.id].items():
                pipeline[link_id].append(ProjectOnLink(p.id, p.name, p.status, capacity, p.investment))
    return {
        link.id: LinkPresence(link.id, tuple(firms[link.id]), tuple(sorted(pipeline[link.id], key=lambda p: p.id)))
        for link in links
    }


def _chain_counts(chains: list[Chain], link_of: dict[str, Link], placements: pl.DataFrame, projects: list[Project],
                  makes: dict[str, dict[str, float | None]]) -> dict[str, ChainCounts]:
    """Per chain: distinct active firms on its links (and the local ones), its projects and their investment."""
    firms: dict[str, int] = {}
    local: dict[str, int] = {}
    if placements.height:
        chain_of = pl.DataFrame({"link_id": list(link_of), "chain": [l.chain for l in link_of.values()]})
        active = placements.filter(pl.col("active")).join(chain_of, on="link_id", how="inner")
        per_chain = active.group_by("chain").agg(
            pl.col("firm_id").n_unique().alias("firms"),
            pl.col("firm_id").filter(pl.col("local")).n_unique().alias("local"),
        )
        for chain, n, n_local in per_chain.iter_rows():
            firms[chain], local[chain] = n, n_local
    on_chain: dict[str, dict[str, Project]] = defaultdict(dict)
    for p in projects:
        for link_id in makes[p.id]:
            if link_id in link_of:
                on_chain[link_of[link_id].chain][p.id] = p
    return {
        c.id: ChainCounts(
            c.id, firms.get(c.id, 0), local.get(c.id, 0), len(on_chain[c.id]),
            *known_sum(p.investment for p in on_chain[c.id].values()),
        )
        for c in chains
    }
