"""The store's answers for the pages, cached by data version and shared by every session.

A rerun or a page switch asks again with the same version and gets the cached answer, so
the store (Neo4j especially) is read once per question, not once per click; new data has
a new version, so nothing stale is served after a reload. st.cache_resource hands every
session the same object (st.cache_data would unpickle a copy on each hit: ~1 s for the
9,000 targets of a chain at 100k firms), so pages never change an answer in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from chain_graph.analysis.gaps import ChainGaps, chain_gaps
from chain_graph.analysis.overview import ChainSummary, overview
from chain_graph.settings import AnalysisSettings
from chain_graph.analysis.relatedness import NextLink, read_next_links
from chain_graph.analysis.sourcing import LeaderNeeds, leader_needs
from chain_graph.analysis.stability import Stability, ranking_stability
from chain_graph.analysis.targets import Target, TargetFilter, chain_targets
from chain_graph.analysis.firm_profile import FirmProfile, find_firms, firm_profile
from chain_graph.model import Chain, Link, Project
from chain_graph.store import GraphStore
from chain_graph.store.base import FirmQuery, FirmRecord

CACHE = {"show_spinner": False, "max_entries": 64}


@dataclass
class Reads:
    store: GraphStore
    settings: AnalysisSettings
    version: str = field(init=False)

    def __post_init__(self) -> None:
        self.version = self.store.version()

    def chains(self) -> list[Chain]:
        return _chains(self.store, self.version)

    def links(self) -> list[Link]:
        return _links(self.store, self.version)

    def overview(self, landed: bool) -> list[ChainSummary]:
        return _overview(self.store, self.version, self.settings, landed)

    def gaps(self, chain_id: str, landed: bool) -> ChainGaps:
        return _gaps(self.store, self.version, self.settings, chain_id, landed)

    def targets(self, chain_id: str, landed: bool, settings: AnalysisSettings | None = None,
                only: TargetFilter | None = None, link_id: str | None = None) -> list[Target]:
        """Every target of the chain's wanted links (or of one), ranked with `settings` (weights)."""
        return _targets(self.store, self.version, settings or self.settings, chain_id, landed, _filter(only), link_id)

    def stability(self, chain_id: str, landed: bool, settings: AnalysisSettings, only: TargetFilter | None = None,
                  link_id: str | None = None, hidden: frozenset[tuple[str, str]] = frozenset()) -> Stability:
        """How the ranking of `targets(...)` (less the (firm, link) pairs `hidden`) holds when a weight moves."""
        return _stability(self.store, self.version, settings, chain_id, landed, _filter(only), link_id, hidden)

    def projects(self, chain_id: str | None = None) -> list[Project]:
        return _projects(self.store, self.version, chain_id)

    def next_links(self, chain_id: str | None = None) -> list[NextLink]:
        return _next_links(self.store, self.version, self.settings, chain_id)

    def leaders(self, settings: AnalysisSettings | None = None) -> list[LeaderNeeds]:
        """Every local chain leader's needs; `settings` (weights) rank the outside makers."""
        return _leaders(self.store, self.version, settings or self.settings)

    def firms(self, query: FirmQuery, tags: tuple[str, ...] = ()) -> list[FirmRecord]:
        return _firms(self.store, self.version, query, tags)

    def local_firm_names(self) -> dict[str, str]:
        return {r.firm.id: r.firm.name for r in self.firms(FirmQuery(local=True))}

    def profile(self, firm_id: str) -> FirmProfile | None:
        return _profile(self.store, self.version, firm_id)


def _filter(only: TargetFilter | None) -> TargetFilter | None:
    """An empty filter is no filter: one cache entry for both."""
    return None if only == TargetFilter() else only


def warm(data: Reads) -> None:
    """Every chain's gap workbench with the data's own weights (gaps, targets, their stability, next links)
    and the leaders' needs, so a first visit finds them ready: run in the background once per data version."""
    for chain in data.chains():
        data.gaps(chain.id, False)
        data.stability(chain.id, False, data.settings)  # computes the chain's targets first
        data.next_links(chain.id)
    data.leaders()


# `_store` is left out of the cache key (underscore); `version` stands for its content.

@st.cache_resource(**CACHE)
def _chains(_store: GraphStore, version: str) -> list[Chain]:
    return _store.chains()


@st.cache_resource(**CACHE)
def _links(_store: GraphStore, version: str) -> list[Link]:
    return _store.links()


@st.cache_resource(**CACHE)
def _overview(_store: GraphStore, version: str, settings: AnalysisSettings, landed: bool) -> list[ChainSummary]:
    return overview(_store, settings, landed)


@st.cache_resource(**CACHE)
def _gaps(_store: GraphStore, version: str, settings: AnalysisSettings, chain_id: str, landed: bool) -> ChainGaps:
    return chain_gaps(_store, chain_id, settings, landed)


@st.cache_resource(**CACHE)
def _targets(_store: GraphStore, version: str, settings: AnalysisSettings, chain_id: str, landed: bool,
             only: TargetFilter | None, link_id: str | None) -> list[Target]:
    gaps = _gaps(_store, version, settings, chain_id, landed)
    return chain_targets(_store, gaps, settings, only=only, link_id=link_id)


@st.cache_resource(**CACHE)
def _stability(_store: GraphStore, version: str, settings: AnalysisSettings, chain_id: str, landed: bool,
               only: TargetFilter | None, link_id: str | None, hidden: frozenset[tuple[str, str]]) -> Stability:
    targets = _targets(_store, version, settings, chain_id, landed, only, link_id)
    return ranking_stability([x for x in targets if (x.firm_id, x.link_id) not in hidden], settings)


@st.cache_resource(**CACHE)
def _next_links(_store: GraphStore, version: str, settings: AnalysisSettings, chain_id: str | None) -> list[NextLink]:
    return read_next_links(_store, settings, chain_id)


@st.cache_resource(**CACHE)
def _leaders(_store: GraphStore, version: str, settings: AnalysisSettings) -> list[LeaderNeeds]:
    return leader_needs(_store, settings)


@st.cache_resource(**CACHE)
def _projects(_store: GraphStore, version: str, chain_id: str | None) -> list[Project]:
    return _store.projects(chain_id)


@st.cache_resource(**CACHE)
def _firms(_store: GraphStore, version: str, query: FirmQuery, tags: tuple[str, ...]) -> list[FirmRecord]:
    return find_firms(_store, query, tags)


@st.cache_resource(**CACHE)
def _profile(_store: GraphStore, version: str, firm_id: str) -> FirmProfile | None:
    return firm_profile(_store, firm_id)


def forget_answers() -> None:
    """Drop every cached answer (the data directory was just written)."""
    for cached in (_chains, _links, _overview, _gaps, _targets, _stability, _next_links, _leaders, _projects, _firms, _profile):
        cached.clear()
