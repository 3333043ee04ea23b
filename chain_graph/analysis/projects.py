"""The project ledger: counts and 亿元 by status, and the rates the city tracks its projects by.

A total of 亿元 sums the amounts the ledger states and counts the projects without one
(rules.known_sum): it is None, never 0, when no project states an amount.

Each rate is computed only from projects whose ledger has the fields it needs, and
says how many projects it rests on; with none it is n/a, never a made-up zero. Dates a ledger
wrote as a month, quarter, year or range count by their last day (chain_graph.periods), so a
start planned for 2023年3月 is due once March is over. The yearly completion rate (年度投资完成率)
sits beside the cumulative one: year_done / year_plan over the projects whose plan is of the
latest plan year not after the as-of date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable

from ..model import Project, ProjectStatus
from ..rules import known_sum


@dataclass(frozen=True)
class StatusTotal:
    status: ProjectStatus
    count: int
    investment: float | None  # 亿元 over the projects that state an amount; None: none does
    investment_unknown: int  # projects with no amount


@dataclass(frozen=True)
class Rate:
    key: str  # start_rate, investment_completion, year_completion, funds_in_place, on_time_completion, ...
    value: float | None
    numerator: float
    denominator: float
    projects: int  # how many projects the rate rests on
    year: int | None = None  # the plan year, for year_completion


@dataclass(frozen=True)
class Ledger:
    count: int
    investment: float | None  # 亿元, as in StatusTotal
    investment_unknown: int
    by_status: tuple[StatusTotal, ...]
    rates: tuple[Rate, ...]

    def rate(self, key: str) -> Rate:
        return next(r for r in self.rates if r.key == key)


RATES = ("start_rate", "investment_completion", "year_completion", "funds_in_place", "on_time_completion", "fulfilment", "at_capacity")  # the ledger rates; names: catalogue rate.<key>


def ledger(projects: Iterable[Project], as_of: date) -> Ledger:
    items = list(projects)
    by_status = tuple(_status_total(s, [p for p in items if p.status is s]) for s in ProjectStatus)
    return Ledger(len(items), *known_sum(p.investment for p in items), by_status, _rates(items, as_of))


def _status_total(status: ProjectStatus, items: list[Project]) -> StatusTotal:
    return StatusTotal(status, len(items), *known_sum(p.investment for p in items))


def _ratio(key: str, items: list[Project], applies: Callable[[Project], bool],
           num: Callable[[Project], float], den: Callable[[Project], float]) -> Rate:
    rows = [p for p in items if applies(p)]
    n, d = sum(num(p) for p in rows), sum(den(p) for p in rows)
    return Rate(key, (n / d) if d else None, n, d, len(rows))


def _year_rate(items: list[Project], as_of: date) -> Rate:
    years = [p.plan_year for p in items if p.plan_year and p.plan_year <= as_of.year and p.year_plan]
    year = max(years, default=None)
    rate = _ratio("year_completion", items, lambda p: p.plan_year == year and bool(p.year_plan)
                  and p.year_done is not None, lambda p: p.year_done, lambda p: p.year_plan)
    return Rate(rate.key, rate.value, rate.numerator, rate.denominator, rate.projects, year)


def _rates(items: list[Project], as_of: date) -> tuple[Rate, ...]:
    def due_to_start(p: Project) -> bool:
        return p.planned_start is not None and p.planned_start.by(as_of) and p.status is not ProjectStatus.TERMINATED

    def due_to_finish(p: Project) -> bool:
        return (p.planned_completion is not None and p.planned_completion.by(as_of)
                and p.status is not ProjectStatus.TERMINATED)

    def signed_by_now(p: Project) -> bool:
        return p.signed_date is not None and p.signed_date.by(as_of)

    def finished_on_time(p: Project) -> float:
        return float(p.actual_completion is not None and p.actual_completion.by(p.planned_completion.end))

    def has_money(field: str) -> Callable[[Project], bool]:
        return lambda p: bool(p.investment) and getattr(p, field) is not None

    return (
        _ratio("start_rate", items, due_to_start, lambda p: float(p.status.started or p.actual_start is not None),
               lambda p: 1.0),
        _ratio("investment_completion", items, has_money("invested"), lambda p: p.invested, lambda p: p.investment),
        _year_rate(items, as_of),
        _ratio("funds_in_place", items, has_money("funds_in_place"), lambda p: p.funds_in_place,
               lambda p: p.investment),
        _ratio("on_time_completion", items, due_to_finish, finished_on_time, lambda p: 1.0),
        _ratio("fulfilment", items, signed_by_now, lambda p: float(p.status.started),
               lambda p: 1.0),
        _ratio("at_capacity", items, lambda p: p.status.operating,
               lambda p: float(p.status is ProjectStatus.AT_CAPACITY), lambda p: 1.0),
    )
