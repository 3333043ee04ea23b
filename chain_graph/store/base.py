"""The GraphStore protocol: the small, aggregated reads the analyses need.

Analyses see O(links) rows (presence per link, candidates per wanted link), never
the whole firm list, so the same analysis code runs on networkx and on Neo4j.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Iterator, Protocol, Sequence, overload, runtime_checkable

from ..i18n import Failure
from ..dataset import Dataset
from ..leads import Lead
from ..model import Chain, Feeds, Firm, Link, Project, ProjectStatus, Region
from ..settings import AnalysisSettings


@dataclass(frozen=True)
class FirmOnLink:
    id: str
    name: str
    capacity: float | None = None


@dataclass(frozen=True)
class ProjectOnLink:
    id: str
    name: str
    status: ProjectStatus
    capacity: float | None = None  # in the link's unit, when the project's capacity converts to it
    investment: float | None = None


class FirmTally(Sequence[FirmOnLink]):
    """A link's active local firms as a server store counts them (Neo4j): how many, the sum of their known
    capacities (in id order, as Python sums them), the first few by id and those with the largest capacity.
    The firms themselves are read (`read`) only when someone goes past the first few: a gap analysis never
    does, so it reads one row per link. It equals, and pickles as, the tuple of its firms."""

    FIRST = 5  # how many a gap's evidence names

    def __init__(self, count: int, capacity: float | None, first: tuple[FirmOnLink, ...],
                 largest: tuple[FirmOnLink, ...], read: Callable[[], tuple[FirmOnLink, ...]]) -> None:
        self.count, self.capacity, self.first, self.largest = count, capacity, first, largest
        self._read = read
        self._all: tuple[FirmOnLink, ...] | None = None

    def all(self) -> tuple[FirmOnLink, ...]:
        if self._all is None:
            self._all = self.first if len(self.first) == self.count else self._read()
        return self._all

    def __len__(self) -> int:
        return self.count

    @overload
    def __getitem__(self, index: int) -> FirmOnLink: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[FirmOnLink, ...]: ...
    def __getitem__(self, index):
        if isinstance(index, slice) and index.step in (None, 1) and 0 <= (index.start or 0) \
                and index.stop is not None and 0 <= index.stop <= len(self.first):
            return self.first[index]
        return self.all()[index]

    def __iter__(self) -> Iterator[FirmOnLink]:
        return iter(self.all())

    def __add__(self, more: tuple[FirmOnLink, ...]) -> FirmTally:
        """These firms, then `more` (a link's pipeline once built): counted without reading the firms."""
        capacity = self.capacity
        for firm in more:
            if firm.capacity is not None:
                capacity = firm.capacity if capacity is None else capacity + firm.capacity
        known = [f for f in (*self.largest, *more) if f.capacity is not None]
        top = max((f.capacity for f in known), default=None)
        first = self.first + more if len(self.first) == self.count else self.first
        return FirmTally(self.count + len(more), capacity, first[:self.FIRST],
                         tuple(f for f in known if f.capacity == top), lambda: self.all() + tuple(more))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and not isinstance(other, str) and self.all() == tuple(other)

    def __hash__(self) -> int:
        return hash(self.all())

    def __reduce__(self):
        return tuple, (self.all(),)

    def __repr__(self) -> str:
        return f"FirmTally({self.count} firms, capacity {self.capacity})"


@dataclass(frozen=True)
class LinkPresence:
    """What the home region has on one link: active local firms (by id) and local pipeline projects."""

    link_id: str
    local_firms: Sequence[FirmOnLink] = ()  # a tuple, or a server store's FirmTally
    pipeline: tuple[ProjectOnLink, ...] = ()

    @property
    def local_capacity(self) -> float | None:
        if isinstance(self.local_firms, FirmTally):
            return self.local_firms.capacity
        known = [f.capacity for f in self.local_firms if f.capacity is not None]
        return sum(known) if known else None

    def largest_firms(self) -> tuple[FirmOnLink, ...]:
        """The local firms with the largest stated capacity (all of them on a tie), by id; none if none is stated."""
        if isinstance(self.local_firms, FirmTally):
            return self.local_firms.largest
        known = [f for f in self.local_firms if f.capacity is not None]
        top = max((f.capacity for f in known), default=None)
        return tuple(f for f in known if f.capacity == top)


@dataclass(frozen=True)
class Candidate:
    """An active non-local firm on a link: someone the city could attract."""

    link_id: str
    firm_id: str
    firm_name: str
    province: str | None
    city: str | None
    tags: tuple[str, ...]
    registered_capital: float | None
    capital_currency: str
    capacity: float | None
    evidence: str | None
    source: str | None
    local_ties: tuple[str, ...] = ()  # names of local firms it trades with, local projects it invests in
    # strength and expansion signals of platform exports (None: not in the data)
    paid_in_capital: float | None = None  # 实缴资本, 万元 in capital_currency
    founded: date | None = None
    scale: str | None = None  # 企业规模 code: large, medium, small, micro
    insured: int | None = None  # 参保人数
    financing: str | None = None  # 上市/融资 as the platform writes it

    @staticmethod
    def signals(firm: Firm) -> dict:
        """The firm's signal fields, as both stores fill them."""
        return {"paid_in_capital": firm.paid_in_capital, "founded": firm.founded,
                "scale": firm.scale.value if firm.scale else None, "insured": firm.insured,
                "financing": firm.financing}


@dataclass(frozen=True)
class Ranking:
    """How targets are ranked, for a store that can keep only the candidates able to reach the top of
    their link (Neo4j scores them on the server). The analysis (chain_graph.analysis.targets) is the one
    home of the score: it gives its settings and words here as plain values and `score`, its exact score,
    which the store checks its own against; a store may ignore a Ranking and return every candidate."""

    top: int  # per link
    settings: AnalysisSettings
    region: Region
    today: date
    features: tuple[str, ...]  # the features the score knows; a store that knows fewer returns every candidate
    words: dict[str, tuple[str, ...]]  # the signal words: not_listed, listed, financed
    leader_links: frozenset[str]  # links that feed a local chain leader's
    leader_suppliers: frozenset[str]  # firms that already supply one: always kept (they rank first)
    score: Callable[[Candidate], float]
    # the TargetFilter: only firms it accepts are ranked
    provinces: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    min_capital: float | None = None
    exclude: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ChainCounts:
    chain_id: str
    firms: int = 0  # active firms on any of the chain's links
    local_firms: int = 0
    projects: int = 0
    investment: float | None = None  # 亿元 over the chain's projects that state an amount; None: none does
    investment_unknown: int = 0  # projects on the chain with no amount (rules.known_sum)


@dataclass(frozen=True)
class FirmQuery:
    chain_id: str | None = None
    link_id: str | None = None
    local: bool | None = None
    text: str | None = None  # part of the name or credit code
    limit: int | None = None


@dataclass(frozen=True)
class FirmLinkInfo:
    id: str
    name: str
    capacity: float | None
    unit: str | None
    evidence: str | None


@dataclass(frozen=True)
class FirmRecord:
    firm: Firm
    local: bool
    links: tuple[FirmLinkInfo, ...] = field(default=())


@dataclass(frozen=True)
class TradePartner:
    """A firm on the other end of a known supply relation of one firm."""

    role: str  # "customer" (the firm supplies it) or "supplier" (it supplies the firm)
    firm_id: str
    name: str
    local: bool
    active: bool
    product: str | None = None


@dataclass(frozen=True)
class SupplyTie:
    """A known supply into a firm (a `supplies` row): who supplies `customer_id`, local or not."""

    customer_id: str
    supplier_id: str
    supplier_name: str
    local: bool
    active: bool
    product: str | None = None


SEARCHED = ("firm", "link", "project")  # what the one search box finds, in the order it lists them


@dataclass(frozen=True)
class Hit:
    """One thing the search box found; the fields beside the name tell it from its namesakes."""

    kind: str  # one of SEARCHED
    id: str  # credit code, link id or project code
    name: str
    place: str | None = None  # firm: province and city as the register writes them
    local: bool | None = None  # firm: registered in the home city
    chain: str | None = None  # link: its chain's id
    status: str | None = None  # project: its ProjectStatus code

    @classmethod
    def firm(cls, id: str, name: str, province: str | None, city: str | None, local: bool) -> "Hit":
        return cls("firm", id, name, " ".join(x for x in (province, city) if x) or None, local)


@dataclass(frozen=True)
class Found:
    """The search's answer: at most `limit` hits of each kind, and how many of each kind matched."""

    hits: tuple[Hit, ...] = ()
    total: dict[str, int] = field(default_factory=dict)

    def of(self, kind: str) -> list[Hit]:
        return [h for h in self.hits if h.kind == kind]


def search_words(text: str) -> str | None:
    """The text the stores look for: trimmed and lower-cased (names and codes match in any case); None if empty."""
    words = " ".join(text.split()).lower()
    return words or None


# the keys of GraphStore.counts(), in the model's words (both stores, whatever their labels)
COUNTED = ("chains", "links", "firms", "projects", "relationships")


class StoreError(Failure, RuntimeError):
    """A store that cannot be reached or used; its Message is meant for the user."""


class GraphStore(Protocol):
    def load(self, ds: Dataset, progress: Callable[[int, int], None] | None = None) -> None:
        """Replace the store's chain-graph content with `ds`, all or nothing; `progress(done, total)`."""

    def clear(self) -> None:
        """Remove the store's chain-graph content, and nothing else."""

    def counts(self) -> dict[str, int]:
        """Records of each kind and the relationship count, keyed by COUNTED: what loading the same data
        twice must not change."""

    def version(self) -> str:
        """Changes whenever the content does; a cache key."""

    def region(self) -> Region: ...

    def chains(self) -> list[Chain]: ...

    def links(self, chain_id: str | None = None) -> list[Link]: ...

    def feeds(self) -> list[Feeds]: ...

    def presence(self, link_ids: Iterable[str]) -> dict[str, LinkPresence]: ...

    def candidates(self, link_ids: Iterable[str], ranking: Ranking | None = None) -> list[Candidate]:
        """Active non-local firms on these links, by link and firm id; with `ranking`, at least every one
        that can be among the `ranking.top` of its link (a store may return them all)."""

    def chain_counts(self) -> dict[str, ChainCounts]: ...

    def projects(self, chain_id: str | None = None) -> list[Project]: ...

    def firms(self, query: FirmQuery) -> list[FirmRecord]: ...

    def search(self, text: str, limit: int = 10) -> Found:
        """Firms (name, credit code), links (name, keywords) and projects (name, code, builder) whose text holds
        `text` in any case; of each kind an exact name or code first, then names starting with it, local
        firms before others, shorter names first, then by name and id."""

    def trade_partners(self, firm_id: str) -> list[TradePartner]:
        """A firm's known suppliers and customers, by role, then name, then id."""

    def tagged_local_firms(self, tag: str) -> dict[str, tuple[FirmOnLink, ...]]:
        """Active local firms carrying `tag` (e.g. 链主), per link they operate on, by firm id; links without one left out."""

    def suppliers_of(self, firm_ids: Iterable[str]) -> list[SupplyTie]:
        """Known supplies into these firms, by customer id, then supplier name, then supplier id."""

    # 招商线索: kept apart from the loaded data, so `load` and `clear` never drop them
    def leads(self) -> list[Lead]:
        """Every lead, by id."""

    def save_lead(self, lead: Lead) -> None:
        """Save `lead` over version `lead.version - 1` (0: a new lead), in one step; chain_graph.leads.LeadConflict
        with the saved lead when that is not the version held."""

    def replace_leads(self, leads: list[Lead]) -> None:
        """Hold exactly `leads`, as they are: the embedded store's copy of the data directory's leads file,
        a restore after a bulk import."""


@runtime_checkable
class BulkLoader(Protocol):
    """A store a first, very large load can replace whole with an offline importer (`load --bulk`):
    the CLI goes through this and GraphStore, never a store class."""

    def node_count(self) -> int:
        """Every node the database holds, ours or not: what the import would replace."""

    def write_import_files(self, ds: Dataset, out: Path) -> Path:
        """The importer's input for `ds` in `out`; the folder the importer is given."""

    def close(self) -> None:
        """Let go of the server, which the importer stops."""

    def finish_bulk_import(self) -> None:
        """What the importer cannot do, once the server is back with the imported database."""
