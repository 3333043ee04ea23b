"""The Neo4j store: the same GraphStore protocol on a Neo4j 5 server, through the official driver.

One driver per store; the database is named on every call; reads are routed as
reads; writes are batched `UNWIND $rows` MERGEs in managed transactions. Records
travel as JSON in a `doc` property so they read back exactly as written; the
properties the queries filter on are stored beside it.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import neo4j
from neo4j import GraphDatabase, NotificationMinimumSeverity, RoutingControl
from neo4j.exceptions import AuthError, ClientError, Neo4jError, ServiceUnavailable

from .. import rules, units
from ..dataset import Dataset
from ..leads import Lead, LeadConflict
from ..model import PIPELINE, Chain, Feeds, Firm, Link, Project, ProjectStatus, Region
from ..i18n import Message, msg
from . import bulk, cypher
from . import properties as props
from .lease import Lease
from .base import (
    Candidate, ChainCounts, FirmLinkInfo, FirmOnLink, FirmQuery, FirmRecord, FirmTally, Found, Hit, LinkPresence,
    ProjectOnLink, Ranking, StoreError, SupplyTie, TradePartner, search_words,
)

BATCH = 5000  # rows per UNWIND transaction; see bench/ for the measurement behind it
# the features cypher.BEST_CANDIDATES scores; the analysis's score rounds to 0.1, so the server's may differ
# from it by 0.05 and a little float; candidates within SCORE_MARGIN of the top-th are kept, which (margin >
# 2 × tolerance) no candidate the server drops can outrank (docs/neo4j.md, 招什么 on the server)
SCORED_FEATURES = frozenset({"scale", "tags", "ties", "proximity", "evidence", "leader", "size", "paid_in", "age", "listed"})
SCORE_TOLERANCE = 0.1
SCORE_MARGIN = 0.25
PIN_SECONDS = 60.0  # how long a thread keeps reading the version it started on (see _active)
RETRY_SECONDS = 15  # how long the driver retries a lost server before the one-line failure
# the driver logs each retry as a warning; the user gets one line (StoreError) instead
logging.getLogger("neo4j").addHandler(logging.NullHandler())
logging.getLogger("neo4j").propagate = False
Progress = Callable[[int, int], None]  # (rows done, rows in all)


class Neo4jStore:
    def __init__(self, uri: str, user: str, password: str, database: str = "neo4j") -> None:
        self.uri, self.database = uri, database
        try:
            self._driver = GraphDatabase.driver(
                uri, auth=(user, password), connection_timeout=5, max_transaction_retry_time=RETRY_SECONDS,
                notifications_min_severity=NotificationMinimumSeverity.OFF,  # "label does not exist yet" is not news
            )
            self._driver.verify_connectivity()
        except AuthError:
            self._fail(msg("store.refused", uri=uri, user=user))
        except (ServiceUnavailable, OSError, ValueError) as err:
            self._fail(msg("store.unreachable", uri=uri, reason=_reason(err)))
        self._constraints_made = False
        self._pin = threading.local()  # the version this thread reads: one question, one version
        self._lead_constraint_made = False
        self._structure_of: tuple[tuple | None, tuple] = (None, ([], [], []))
        self._kept_of: tuple[tuple | None, dict[tuple, object]] = (None, {})  # see _kept

    def _fail(self, message: Message) -> None:
        raise StoreError(message) from None

    def close(self) -> None:
        self._driver.close()

    # -- plumbing ----------------------------------------------------------------
    def _read(self, query: str, **params) -> list[neo4j.Record]:
        return self._run(query, RoutingControl.READ, params)

    def _write(self, query: str, **params) -> list[neo4j.Record]:
        return self._run(query, RoutingControl.WRITE, params)

    def _run(self, query: str, routing: RoutingControl, params: dict) -> list[neo4j.Record]:
        try:
            records, _, _ = self._driver.execute_query(
                query, params, database_=self.database, routing_=routing,
            )
            return records
        except ServiceUnavailable as err:
            self._fail(msg("store.lost", uri=self.uri, reason=_first_line(err)))
        except ClientError as err:
            if err.code and "Database" in err.code:
                self._fail(msg("store.no_database", uri=self.uri, database=self.database))
            raise

    def _live_active(self) -> tuple[int | None, str | None, str | None]:
        rows = self._read(cypher.ACTIVE)
        if not rows:
            return None, None, None
        return rows[0]["version"], rows[0]["fingerprint"], rows[0]["region"]

    def _active(self) -> tuple[int | None, str | None, str | None]:
        """The version this thread reads, fixed at its first read or at `version()` for PIN_SECONDS, so
        the reads of one command or one page all answer from one version even if a load switches
        meanwhile, and a long-lived store still moves on to new data."""
        pinned, at = getattr(self._pin, "active", None), getattr(self._pin, "at", 0.0)
        if pinned is None or pinned[0] is None or time.monotonic() - at > PIN_SECONDS:
            pinned = self._repin()
        return pinned

    def _repin(self) -> tuple[int | None, str | None, str | None]:
        self._pin.active, self._pin.at = self._live_active(), time.monotonic()
        return self._pin.active

    def _v(self) -> int:
        version, _, _ = self._active()
        if version is None:
            self._fail(msg("store.no_data", uri=self.uri, database=self.database))
        return version

    # -- writing -----------------------------------------------------------------
    def load(self, ds: Dataset, progress: Progress | None = None) -> None:
        """Write `ds` as a new version beside the active one and switch to it in one transaction.

        One loader at a time (a lease, chain_graph.store.lease). Leftovers of a load that died and the
        version before the active one are dropped first; the active one stays until the next load,
        so a reader that started on it finishes on it. A failure or a kill leaves the active version.
        """
        self._ensure_constraints()
        with Lease(self._driver, self.database, self.uri) as lease:
            active, _, _ = self._live_active()
            self._drop_versions(exclude=active)
            version = (active or 0) + 1
            try:
                self._write_version(ds, version, progress)
                switched = self._write(cypher.ACTIVATE, v=version, fingerprint=ds.fingerprint(),
                                       region=ds.region.model_dump_json(), holder=lease.holder)
            except Neo4jError as err:
                self._drop_versions(exclude=active)
                self._fail(msg("store.load_failed", uri=self.uri, reason=_first_line(err)))
            except StoreError:
                raise  # the server is gone: the next load drops what this one wrote
            except BaseException:
                self._drop_versions(exclude=active)
                raise
            if not switched[0]["switched"]:
                self._drop_versions(exclude=active)
                self._fail(msg("lock.store_lost", uri=self.uri))
        self._repin()

    def _write_version(self, ds: Dataset, version: int, progress: Progress | None) -> None:
        steps = list(_write_steps(ds))
        total, done = sum(len(rows) for _, rows in steps), 0
        for query, rows in steps:
            for batch in _batches(rows, BATCH):
                self._write(query, rows=batch, v=version)
                done += len(batch)
                if progress:
                    progress(done, total)
        self._count(version)

    def _count(self, version: int) -> None:
        """The per-chain counts and per-link tallies of a new version, before it goes live."""
        self._write(cypher.COUNT_CHAINS, v=version)
        self._write(cypher.TALLY_LINKS, v=version, first=FirmTally.FIRST)

    def node_count(self) -> int:
        """Every node in the database, ours or not: what a bulk import would replace."""
        return self._read(cypher.ALL_NODES)[0]["nodes"]

    def write_import_files(self, ds: Dataset, out: Path) -> Path:
        """The offline importer's CSV files for `ds` (BulkLoader)."""
        return bulk.write_import_files(ds, out)

    def finish_bulk_import(self) -> None:
        """What the offline importer cannot do: constraints, indexes and the per-version chain counts."""
        self._ensure_constraints()
        self._write(cypher.AWAIT_INDEXES)
        self._count(self._v())

    def clear(self) -> None:
        """Remove every chain-graph node and the meta node; other data in the database stays."""
        self._drop_versions(exclude=None)
        self._write(cypher.DELETE_META)
        self._pin.active = None

    def counts(self) -> dict[str, int]:
        """Chains, links, firms, projects and relationships of the active version: what a reload must not change."""
        v = self._v()
        out = dict(self._read(cypher.COUNTS, v=v)[0])
        out["relationships"] = self._read(cypher.RELATIONSHIP_COUNT, v=v)[0]["relationships"]
        return out

    def _ensure_constraints(self) -> None:
        if not self._constraints_made:
            for statement in cypher.CONSTRAINTS:
                self._write(statement)
            self._constraints_made = True

    def _drop_versions(self, exclude: int | None) -> None:
        for row in self._read(cypher.VERSIONS):
            if row["v"] != exclude:
                for statement in (cypher.DELETE_VERSION_RELATIONSHIPS, cypher.DELETE_VERSION_NODES):
                    while self._write(statement, v=row["v"], batch=BATCH)[0]["deleted"]:
                        pass

    # -- reading -----------------------------------------------------------------
    def version(self) -> str:
        """The active version's fingerprint, read live: a new question starts here, and reads on from it."""
        _, fingerprint, _ = self._repin()
        return fingerprint or "empty"

    def region(self) -> Region:
        _, _, region = self._active()
        if region is None:
            self._fail(msg("store.no_data", uri=self.uri, database=self.database))
        return Region.model_validate_json(region)

    def chains(self) -> list[Chain]:
        return list(self._structure()[0])

    def links(self, chain_id: str | None = None) -> list[Link]:
        return [link for link in self._structure()[1] if chain_id is None or link.chain == chain_id]

    def feeds(self) -> list[Feeds]:
        return list(self._structure()[2])

    def _structure(self) -> tuple[list[Chain], list[Link], list[Feeds]]:
        """Chains, links and FEEDS of the active version: read once per version, since a version never
        changes (a load makes a new one), saving every analysis three reads and their parsing."""
        v, fingerprint, _ = self._active()
        if v is None:
            self._v()  # the one-line "holds no chain-graph data" failure
        if self._structure_of[0] != (v, fingerprint):  # versions restart at 1 after a clear
            self._structure_of = ((v, fingerprint), (
                [Chain.model_validate_json(r["doc"]) for r in self._read(cypher.CHAINS, v=v)],
                [Link.model_validate_json(r["doc"]) for r in self._read(cypher.LINKS, v=v, chain=None)],
                [Feeds.model_validate_json(r["doc"]) for r in self._read(cypher.FEEDS, v=v)],
            ))
            if self._read(cypher.UNTALLIED, v=v)[0]["links"]:  # loaded before links were tallied
                self._write(cypher.TALLY_LINKS, v=v, first=FirmTally.FIRST)
        return self._structure_of[1]

    def presence(self, link_ids: Iterable[str]) -> dict[str, LinkPresence]:
        """One short row per link: its local firms as tallied at load time (a FirmTally), its pipeline; kept
        per version (a version never changes), so a link is read once per version and process."""
        ids = list(link_ids)
        self._structure()  # tallies a version loaded before links were
        v, kept = self._v(), self._kept()
        missing = sorted({link_id for link_id in ids if ("presence", link_id) not in kept})
        if missing:
            firms = {r["link_id"]: r for r in self._read(cypher.LOCAL_TALLY, v=v, ids=missing)}
            pipeline = {r["link_id"]: r["projects"] for r in self._read(
                cypher.PIPELINE, v=v, ids=missing, statuses=[s.value for s in PIPELINE])}
            kept.update({("presence", link_id): LinkPresence(
                link_id, self._tally(firms[link_id], v) if link_id in firms else (),
                tuple(sorted((ProjectOnLink(p["id"], p["name"], ProjectStatus(p["status"]), p["capacity"],
                                            p["investment"]) for p in pipeline.get(link_id, [])), key=lambda p: p.id)),
            ) for link_id in missing})
        return {link_id: kept[("presence", link_id)] for link_id in ids}

    def _kept(self) -> dict[tuple, object]:
        """Answers of the version this thread reads that never change (a load makes a new version): each
        link's presence, the tagged local firms, the suppliers of the leaders; read once per version."""
        v, fingerprint, _ = self._active()
        if self._kept_of[0] != (v, fingerprint):
            self._kept_of = ((v, fingerprint), {})
        return self._kept_of[1]

    def _tally(self, row: neo4j.Record, v: int) -> FirmTally:
        def on_link(firms: list[dict]) -> tuple[FirmOnLink, ...]:
            return tuple(FirmOnLink(f["id"], f["name"], f["capacity"]) for f in firms)

        link_id = row["link_id"]
        return FirmTally(row["count"], row["capacity"], on_link(row["first"]), on_link(row["largest"]),
                         lambda: on_link(self._read(cypher.LOCAL_FIRMS, v=v, id=link_id)))

    def candidates(self, link_ids: Iterable[str], ranking: Ranking | None = None) -> list[Candidate]:
        """With a `ranking` the server scores the candidates and sends only those able to reach the top of
        their link; if its scores stray from the analysis's own (`ranking.score`), every candidate is read."""
        ids, v = list(link_ids), self._v()
        if ranking is None or ranking.top < 1 or not set(ranking.features) <= SCORED_FEATURES:
            return self._candidates(self._read(cypher.CANDIDATES, v=v, ids=ids))
        rows = self._read(cypher.BEST_CANDIDATES, v=v, ids=ids, **_ranking_params(ranking))
        out = self._candidates(rows)
        server = {(r["link_id"], r["id"]): r["score"] for r in rows}
        if any(abs(ranking.score(c) - server[(c.link_id, c.firm_id)]) > SCORE_TOLERANCE for c in out):
            return self._candidates(self._read(cypher.CANDIDATES, v=v, ids=ids))
        return out

    @staticmethod
    def _candidates(rows: list[neo4j.Record]) -> list[Candidate]:
        out = [Candidate(
            r["link_id"], r["id"], r["name"], r["province"], r["city"], tuple(r["tags"]), r["registered_capital"],
            r["capital_currency"], r["capacity"], r["evidence"], r["source"] or r["firm_source"], tuple(sorted(set(r["ties"]))),
            r["paid_in_capital"], _native(r["founded"]), r["scale"], r["insured"], r["financing"],
        ) for r in rows]
        return sorted(out, key=lambda c: (c.link_id, c.firm_id))

    def chain_counts(self) -> dict[str, ChainCounts]:
        return {r["chain_id"]: ChainCounts(
            r["chain_id"], r["firms"], r["local_firms"], r["projects"], r["investment"], r["investment_unknown"],
        ) for r in self._read(cypher.CHAIN_COUNTS, v=self._v())}

    def projects(self, chain_id: str | None = None) -> list[Project]:
        return [Project.model_validate_json(r["doc"]) for r in self._read(cypher.PROJECTS, v=self._v(), chain=chain_id)]

    def firms(self, query: FirmQuery) -> list[FirmRecord]:
        rows = self._read(
            cypher.FIRMS, v=self._v(), local=query.local, text=query.text, link=query.link_id,
            chain=query.chain_id, limit=query.limit if query.limit else 2**62,
        )
        return [FirmRecord(
            Firm.model_validate_json(r["doc"]), r["local"],
            tuple(sorted((FirmLinkInfo(l["id"], l["name"], l["capacity"], l["unit"], l["evidence"])
                          for l in r["links"]), key=lambda l: l.id)),
        ) for r in rows]

    def search(self, text: str, limit: int = 10) -> Found:
        words = search_words(text)
        if words is None:
            return Found()
        v, hits, total = self._v(), [], {}
        for kind, query in (("firm", cypher.FIND_FIRMS), ("link", cypher.FIND_LINKS), ("project", cypher.FIND_PROJECTS)):
            row = self._read(query, v=v, words=words, limit=limit)[0]
            total[kind] = row["total"]
            hits += [Hit.firm(h["id"], h["name"], h["province"], h["city"], h["local"]) if kind == "firm"
                     else Hit(kind, h["id"], h["name"], chain=h.get("chain"), status=h.get("status"))
                     for h in row["hits"]]
        return Found(tuple(hits), total)

    def trade_partners(self, firm_id: str) -> list[TradePartner]:
        return sorted((
            TradePartner(r["role"], r["id"], r["name"], r["local"], r["active"], r["product"])
            for r in self._read(cypher.TRADE_PARTNERS, v=self._v(), id=firm_id)
        ), key=lambda p: (p.role, p.name, p.firm_id))

    def tagged_local_firms(self, tag: str) -> dict[str, tuple[FirmOnLink, ...]]:
        v, kept = self._v(), self._kept()
        if ("tagged", tag) not in kept:
            kept[("tagged", tag)] = {
                r["link_id"]: tuple(sorted((FirmOnLink(f["id"], f["name"], f["capacity"]) for f in r["firms"]),
                                           key=lambda f: f.id))
                for r in self._read(cypher.TAGGED_LOCAL_FIRMS, v=v, tag=tag)}
        return dict(kept[("tagged", tag)])

    def suppliers_of(self, firm_ids: Iterable[str]) -> list[SupplyTie]:
        ids = tuple(sorted(set(firm_ids)))
        v, kept = self._v(), self._kept()
        if ("suppliers", ids) not in kept:  # the leaders' suppliers: asked by every target read
            kept[("suppliers", ids)] = sorted((
                SupplyTie(r["customer_id"], r["id"], r["name"], r["local"], r["active"], r["product"])
                for r in self._read(cypher.SUPPLIERS_OF, v=v, ids=list(ids))
            ), key=lambda s: (s.customer_id, s.supplier_name, s.supplier_id))
        return list(kept[("suppliers", ids)])


    # -- leads: CG_Lead nodes without a load version, so loads and clears leave them ----------
    def leads(self) -> list[Lead]:
        return [Lead.model_validate_json(r["doc"]) for r in self._read(cypher.LEADS)]

    def save_lead(self, lead: Lead) -> None:
        """Lock the lead's node, compare versions and write in one transaction; a conflict rolls it back."""
        self._lead_constraint()

        def work(tx: neo4j.ManagedTransaction) -> None:
            held = tx.run(cypher.LEAD_LOCK, id=lead.id).single()
            if held["version"] != lead.version - 1:
                if held["doc"] is None:
                    raise StoreError(msg("store.no_lead", lead=lead.id))
                raise LeadConflict(Lead.model_validate_json(held["doc"]), lead.version - 1)
            tx.run(cypher.LEAD_WRITE, id=lead.id, props=_lead_props(lead))

        self._in_transaction(work)

    def replace_leads(self, leads: list[Lead]) -> None:
        self._lead_constraint()

        def work(tx: neo4j.ManagedTransaction) -> None:
            tx.run(cypher.DELETE_LEADS)
            for lead in leads:
                tx.run(cypher.LEAD_LOCK, id=lead.id)
                tx.run(cypher.LEAD_WRITE, id=lead.id, props=_lead_props(lead))

        self._in_transaction(work)

    def _lead_constraint(self) -> None:
        if not self._lead_constraint_made:
            self._write(cypher.LEAD_CONSTRAINT)
            self._lead_constraint_made = True

    def _in_transaction(self, work: Callable[[neo4j.ManagedTransaction], None]) -> None:
        try:
            with self._driver.session(database=self.database) as session:
                session.execute_write(work)
        except ServiceUnavailable as err:
            self._fail(msg("store.lost", uri=self.uri, reason=_first_line(err)))


def _lead_props(lead: Lead) -> dict:
    """The JSON record, and beside it the few properties a Cypher reader filters on."""
    return {"version": lead.version, "doc": lead.model_dump_json(), "status": lead.status.value,
            "firm_id": lead.firm_id, "link_id": lead.link_id, "chain_id": lead.chain_id}


def _write_steps(ds: Dataset) -> Iterator[tuple[str, list[dict]]]:
    """Each write statement with its rows, nodes before the relationships that need them."""
    yield cypher.MERGE_NODES[props.CHAIN.label], [
        {"id": c.id, "props": props.CHAIN.values(c, ord=i)} for i, c in enumerate(ds.chains)]
    yield cypher.MERGE_NODES[props.LINK.label], [
        {"id": l.id, "props": props.LINK.values(l, ord=i)} for i, l in enumerate(ds.links)]
    local_active = ds.local_active()
    placements: dict[str, list[dict]] = {}
    for r in ds.operates_in:
        placements.setdefault(r.firm_id, []).append({"link_id": r.link_id, "props": props.OPERATES_IN.values(
            r, local_link=r.link_id if r.firm_id in local_active else None)})
    yield cypher.MERGE_FIRMS, [{
        "id": f.id, "local_active": f.id in local_active, "links": placements.get(f.id, []),
        "props": props.FIRM.values(f, local=ds.region.is_local(f.province, f.city), active=f.status.active),
    } for f in ds.firms]
    yield cypher.MERGE_NODES[props.PROJECT.label], [
        {"id": p.id, "props": props.PROJECT.values(p, ord=i)} for i, p in enumerate(ds.projects)]
    yield cypher.MERGE_FEEDS, [
        {"source": e.source, "target": e.target, "props": props.FEEDS.values(e, ord=i)} for i, e in enumerate(ds.feeds)]
    yield cypher.MERGE_SUPPLIES, [
        {"supplier_id": s.supplier_id, "customer_id": s.customer_id, "props": props.SUPPLIES.values(s)}
        for s in ds.supplies]
    unit_of = {l.id: l.unit for l in ds.links}
    yield cypher.MERGE_MAKES, [
        {"project_id": p.id, "link_id": link_id, "capacity": units.capacity_in(p.capacity, unit_of.get(link_id))}
        for p in ds.projects for link_id in p.link_ids]
    yield cypher.MERGE_BY_FIRM, [{"project_id": p.id, "firm_id": p.firm_id} for p in ds.projects if p.firm_id]


def _ranking_params(ranking: Ranking) -> dict:
    """BEST_CANDIDATES' parameters: the analysis's settings, the region and the filter."""
    settings, region = ranking.settings, ranking.region
    return {
        "top": ranking.top, "margin": SCORE_MARGIN, "features": list(ranking.features),
        "weights": settings.weights.model_dump(), "tag_values": settings.tag_values,
        "rates": {code: rate for code, (_, rate) in rules.CURRENCIES.items()},
        "full_scale": settings.full_scale_capital, "full_insured": settings.full_size_insured,
        "scale_values": settings.firm_scale_values, "full_age": settings.full_age_years,
        "financed_value": settings.financed_value, "today": ranking.today,
        "province": region.province, "neighbours": list(region.neighbours), "neighbour": settings.neighbour_proximity,
        "not_listed": list(ranking.words["not_listed"]), "listed": list(ranking.words["listed"]),
        "financed": list(ranking.words["financed"]),
        "leader_links": sorted(ranking.leader_links), "leader_suppliers": sorted(ranking.leader_suppliers),
        "provinces": sorted(ranking.provinces), "tags": sorted(ranking.tags), "min_capital": ranking.min_capital,
        "exclude": sorted(ranking.exclude),
    }


def _batches(rows: Sequence[dict], size: int) -> Iterator[Sequence[dict]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _native(value):
    """A Neo4j temporal value as Python's (date), None as None."""
    return None if value is None else value.to_native()


def _reason(err: BaseException) -> str:
    """The short cause of a connection failure, without the driver's address dump."""
    text = str(err).lower()
    for needle, reason in (("refused", "connection refused"), ("timed out", "timed out"),
                           ("resolve", "unknown host"), ("connect", "connection failed")):
        if needle in text:
            return reason
    return _first_line(err)


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0] if text else err.__class__.__name__
