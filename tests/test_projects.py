"""Project-ledger totals and rates, worked out by hand."""

from __future__ import annotations

from datetime import date

from chain_graph.analysis.projects import ledger
from chain_graph.model import Project, ProjectStatus

AS_OF = date(2025, 6, 30)


def project(pid, status, **kw):
    return Project(id=pid, name=pid, status=status, link_ids=["x"], **kw)


LEDGER = [
    # started on time, finished on time, at capacity
    project("A", "达产", investment=10, invested=10, funds_in_place=10, signed_date="2023-01-01",
            planned_start="2023-03-01", actual_start="2023-03-01",
            planned_completion="2024-12-31", actual_completion="2024-11-30"),
    # operating, finished late
    project("B", "投产", investment=20, invested=18, funds_in_place=15, signed_date="2023-05-01",
            planned_start="2023-06-01", actual_start="2023-08-01",
            planned_completion="2024-06-30", actual_completion="2024-09-30"),
    # under construction, due to finish already: not on time
    project("C", "在建", investment=30, invested=6, signed_date="2024-01-01",
            planned_start="2024-03-01", actual_start="2024-04-01", planned_completion="2025-03-31"),
    # signed and due to start, but has not
    project("D", "签约", investment=40, signed_date="2024-10-01", planned_start="2025-03-01"),
    # planned to start only after AS_OF: not counted in the start rate
    project("E", "在谈", investment=5, planned_start="2025-12-01"),
    project("F", "谋划"),
]


def test_totals_by_status_sum_the_known_amounts_and_count_the_unknown():
    result = ledger(LEDGER, AS_OF)
    assert (result.count, result.investment, result.investment_unknown) == (6, 105, 1)  # F states no amount
    totals = {s.status: (s.count, s.investment, s.investment_unknown) for s in result.by_status}
    assert totals[ProjectStatus.UNDER_CONSTRUCTION] == (1, 30, 0)
    assert totals[ProjectStatus.PLANNING] == (1, None, 1)  # unknown, not 0
    assert totals[ProjectStatus.TERMINATED] == (0, None, 0)


def test_a_ledger_without_amounts_totals_unknown_not_zero():
    result = ledger([project("X", "谋划"), project("Y", "在建"), project("Z", "在建", investment=0)], AS_OF)
    assert (result.investment, result.investment_unknown) == (0, 2)  # a stated 0 is known
    result = ledger([project("X", "谋划"), project("Y", "在建")], AS_OF)
    assert (result.investment, result.investment_unknown) == (None, 2)


def test_rates():
    result = ledger(LEDGER, AS_OF)
    rate = {r.key: (r.value, r.projects) for r in result.rates}
    assert rate["start_rate"] == (0.75, 4)  # A B C started of A B C D due
    assert rate["investment_completion"] == (34 / 60, 3)  # (10+18+6)/(10+20+30)
    assert rate["funds_in_place"] == (25 / 30, 2)  # (10+15)/(10+20)
    assert rate["on_time_completion"] == (1 / 3, 3)  # A on time; B late; C not finished
    assert rate["fulfilment"] == (0.75, 4)  # signed A B C D, of which A B C started
    assert rate["at_capacity"] == (0.5, 2)  # A of the operating A B


def test_rates_without_the_data_are_not_available():
    result = ledger([project("X", "谋划"), project("Y", "投产")], AS_OF)
    assert result.rate("start_rate").value is None
    assert result.rate("investment_completion").value is None
    assert result.rate("at_capacity").value == 0.0  # Y is operating, not at capacity: a real zero


def test_fulfilment_counts_only_projects_signed_by_the_date_and_completion_skips_terminated():
    items = [
        project("S1", "开工", signed_date="2024-01-01"),
        project("S2", "签约", signed_date="2025-12-01"),  # signed after AS_OF: not yet due
        project("T", "终止", planned_completion="2025-01-01"),  # terminated: not a late completion
        project("O", "投产", planned_completion="2025-01-01", actual_completion="2024-12-01"),
    ]
    result = ledger(items, AS_OF)
    assert (result.rate("fulfilment").value, result.rate("fulfilment").projects) == (1.0, 1)
    assert (result.rate("on_time_completion").value, result.rate("on_time_completion").projects) == (1.0, 1)
