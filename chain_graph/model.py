"""The records of a chain graph: chains, links, firms, projects and the edges between them.

Every model forbids unknown fields so a misspelt column is reported, not dropped.
Enumerations store English codes; files may use the Chinese words users know
(上游, 存续, 在建 ...), which are read into the codes here.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .rules import split_list

from .periods import Period


class Model(BaseModel):
    # defer_build: a model's validator is built when it first validates, not at import (a command on
    # cached data validates few or no records; ~50 ms of every start)
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)


class _Coded(str, Enum):
    """An enum that also accepts its Chinese words and aliases."""

    @classmethod
    def aliases(cls) -> dict[str, str]:
        return {}

    @classmethod
    def _missing_(cls, value: Any):
        key = str(value).strip()
        code = cls.aliases().get(key) or cls.aliases().get(key.lower())
        return cls(code) if code else None


class Stage(_Coded):
    UPSTREAM = "upstream"
    MIDSTREAM = "midstream"
    DOWNSTREAM = "downstream"

    @classmethod
    def aliases(cls) -> dict[str, str]:
        return {"上游": "upstream", "中游": "midstream", "下游": "downstream"}


class FirmStatus(_Coded):
    ACTIVE = "active"
    DEREGISTERED = "deregistered"
    REVOKED = "revoked"
    MOVED_OUT = "moved_out"
    SUSPENDED = "suspended"
    LIQUIDATING = "liquidating"

    @classmethod
    def aliases(cls) -> dict[str, str]:
        return {
            "存续": "active", "在业": "active", "开业": "active", "正常": "active", "在营": "active", "在册": "active",
            "注销": "deregistered", "吊销": "revoked", "吊销，未注销": "revoked", "撤销": "revoked",
            "责令关闭": "revoked", "迁出": "moved_out", "停业": "suspended", "歇业": "suspended",
            "清算": "liquidating", "清算中": "liquidating",
        }

    @property
    def active(self) -> bool:
        return self is FirmStatus.ACTIVE


class FirmScale(_Coded):
    """企业规模 as the platforms write it (天眼查 also L/M/S/XS)."""

    LARGE = "large"
    MEDIUM = "medium"
    SMALL = "small"
    MICRO = "micro"

    @classmethod
    def aliases(cls) -> dict[str, str]:
        return {"大型": "large", "大型企业": "large", "l": "large", "中型": "medium", "中型企业": "medium",
                "m": "medium", "小型": "small", "小型企业": "small", "s": "small", "微型": "micro",
                "微型企业": "micro", "xs": "micro"}


class ProjectStatus(_Coded):
    """The project lifecycle of a city project ledger, in order; the aliases are the stage words of
    real ledgers (重点项目 lists, monthly progress tables, 招商 ledgers)."""

    PLANNING = "planning"
    NEGOTIATING = "negotiating"
    SIGNED = "signed"
    STARTED = "started"
    UNDER_CONSTRUCTION = "under_construction"
    OPERATING = "operating"
    AT_CAPACITY = "at_capacity"
    TERMINATED = "terminated"

    @classmethod
    def aliases(cls) -> dict[str, str]:
        return {
            "谋划": "planning", "储备": "planning", "前期": "planning", "策划": "planning", "拟建": "planning",
            "在谈": "negotiating", "洽谈": "negotiating", "新增在谈": "negotiating",
            "签约": "signed", "已签约": "signed",
            "开工": "started", "新开工": "started", "启动": "started", "已开工": "started",
            "在建": "under_construction", "续建": "under_construction", "建设": "under_construction",
            "建设中": "under_construction", "开工建设": "under_construction",
            "投产": "operating", "建成投产": "operating", "竣工": "operating", "完工": "operating",
            "建成": "operating", "已投产": "operating", "竣工投产": "operating",
            "达产": "at_capacity", "达产达标": "at_capacity", "达效": "at_capacity",
            "终止": "terminated", "中止": "terminated", "停止谈判": "terminated", "停建": "terminated",
            "取消": "terminated",
        }

    @property
    def in_pipeline(self) -> bool:
        """Signed or being built: it will make the link's product locally."""
        return self in PIPELINE

    @property
    def started(self) -> bool:
        return self in STARTED_OR_LATER

    @property
    def operating(self) -> bool:
        return self in (ProjectStatus.OPERATING, ProjectStatus.AT_CAPACITY)


PIPELINE = frozenset({ProjectStatus.SIGNED, ProjectStatus.STARTED, ProjectStatus.UNDER_CONSTRUCTION})
STARTED_OR_LATER = frozenset({
    ProjectStatus.STARTED, ProjectStatus.UNDER_CONSTRUCTION, ProjectStatus.OPERATING, ProjectStatus.AT_CAPACITY,
})

def _split_list(value: Any) -> Any:
    if isinstance(value, str):
        return split_list(value)
    return value if value is not None else []


class Region(Model):
    """The home region: firms registered in this city are local."""

    province: str
    city: str
    neighbours: list[str] = Field(default_factory=list, description="neighbouring provinces")
    source: str | None = None

    def is_local(self, province: str | None, city: str | None) -> bool:
        return province == self.province and city == self.city

    def proximity(self, province: str | None) -> str:
        """'local_province', 'neighbour' or 'far' for a firm's province."""
        if province == self.province:
            return "local_province"
        return "neighbour" if province in self.neighbours else "far"


class Chain(Model):
    id: str
    name: str
    name_en: str | None = None
    description: str | None = None
    source: str | None = None


class Link(Model):
    id: str
    name: str
    chain: str
    stage: Stage
    unit: str | None = Field(None, description="unit local capacity is measured in, e.g. 万吨 or GWh")
    keywords: list[str] = Field(default_factory=list)
    industry_codes: list[str] = Field(default_factory=list, description="GB/T 4754-2017 codes")
    name_en: str | None = None
    source: str | None = None

    _lists = field_validator("keywords", "industry_codes", mode="before")(_split_list)


class Feeds(Model):
    """Link `source`'s output is an input of link `target`."""

    source: str
    target: str
    coefficient: float | None = Field(
        None, gt=0, description="units of source needed per unit of target, in the links' own units"
    )
    note: str | None = None


class Firm(Model):
    id: str = Field(description="unified social credit code where known")
    name: str
    status: FirmStatus = FirmStatus.ACTIVE
    province: str | None = None
    city: str | None = None
    district: str | None = None
    tags: list[str] = Field(default_factory=list)
    registered_capital: float | None = Field(None, ge=0, description="万元, in capital_currency")
    capital_currency: str = "CNY"
    paid_in_capital: float | None = Field(None, ge=0, description="实缴资本, 万元, in capital_currency")
    founded: date | None = None
    scale: FirmScale | None = Field(None, description="企业规模")
    insured: int | None = Field(None, ge=0, description="参保人数")
    financing: str | None = Field(None, description="上市/融资 status as the platform writes it, e.g. A股上市, B轮")
    source: str | None = None

    _tags = field_validator("tags", mode="before")(_split_list)


class OperatesIn(Model):
    firm_id: str
    link_id: str
    capacity: float | None = Field(None, ge=0, description="in the link's unit")
    capacity_text: str | None = Field(None, description="the capacity as written in the source")
    evidence: str | None = None
    source: str | None = None


class Supplies(Model):
    supplier_id: str
    customer_id: str
    product: str | None = None
    source: str | None = None


class Project(Model):
    id: str
    name: str
    status: ProjectStatus
    link_ids: list[str] = Field(default_factory=list)
    firm_id: str | None = None
    builder: str | None = Field(None, description="建设单位 as the ledger names it (matched to firm_id when known)")
    evidence: str | None = Field(None, description="why the project is on its links (matched phrase or fix)")
    investment: float | None = Field(None, ge=0, description="total investment, 亿元")
    invested: float | None = Field(None, ge=0, description="investment completed so far, 亿元")
    funds_in_place: float | None = Field(None, ge=0, description="funds in place (到位资金), 亿元")
    plan_year: int | None = Field(None, ge=1900, le=2200, description="the year of year_plan and year_done")
    year_plan: float | None = Field(None, ge=0, description="年度计划投资 of plan_year, 亿元")
    year_done: float | None = Field(None, ge=0, description="年度累计完成投资 of plan_year, 亿元")
    capacity: str | None = Field(None, description="designed capacity as text, e.g. '10GWh'")
    # dates at the precision the ledger wrote (chain_graph.periods): a day, month, quarter, year or range
    signed_date: Period | None = None
    planned_start: Period | None = None
    actual_start: Period | None = None
    planned_completion: Period | None = None
    actual_completion: Period | None = None
    source: str | None = None

    _links = field_validator("link_ids", mode="before")(_split_list)
