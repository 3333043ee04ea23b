"""The leader-ready workbooks of the app and the CLI: targets, 投资机会清单, firm lists, the ledger.

Each builder returns the `Heading` (title block, 口径, 示例数据 notice) and the sheets; the front ends
only add what the user filtered by. The workbook style itself lives in workbook.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from ..analysis.gaps import ChainGaps
from ..analysis.projects import Ledger
from ..analysis.targets import Target
from ..i18n import t
from ..model import Project
from ..settings import Weights
from ..store.base import FirmRecord
from . import rows
from .workbook import Heading, Sheet, workbook_bytes


def weights_text(weights: Weights, lang: str = "zh") -> str:
    return t("wb.weights", lang, **{k: f"{v:g}" for k, v in weights.model_dump().items()})


def targets_workbook(gaps: ChainGaps, targets: Sequence[Target], weights: Weights, version: str,
                     conditions: Iterable[str] = (), lang: str = "zh", made: date | None = None) -> tuple[Heading, bytes]:
    """招商目标清单: one row per target firm, ranked, with its reasons."""
    heading = Heading(
        t("wb.targets", lang), made or date.today(), gaps.chain.name, version,
        (weights_text(weights, lang), *conditions), t("wb.method.targets", lang), sample=any(x.sample for x in targets),
        lang=lang)
    return heading, workbook_bytes(heading, [Sheet(t("wb.targets", lang), rows.target_sheet(list(targets), lang))])


def opportunities_workbook(gaps: ChainGaps, targets: Sequence[Target], weights: Weights, version: str,
                           conditions: Iterable[str] = (), lang: str = "zh",
                           made: date | None = None) -> tuple[Heading, bytes]:
    """投资机会清单: one row per wanted link, and a second sheet with one row per link and target."""
    rates = (t("col.own_fill", lang), t("col.input_supply_rate", lang))
    heading = Heading(
        t("wb.opportunities", lang), made or date.today(), gaps.chain.name, version,
        (weights_text(weights, lang), *conditions), t("wb.method.opportunities", lang),
        sample=any(x.sample for x in targets), lang=lang)
    sheets = [Sheet(t("wb.opportunities", lang), rows.opportunity_sheet(gaps, targets, lang), percent=rates),
              Sheet(t("wb.opportunity_targets", lang), rows.opportunity_target_sheet(gaps, targets, lang))]
    return heading, workbook_bytes(heading, sheets)


def firms_workbook(records: Sequence[FirmRecord], version: str, conditions: Iterable[str] = (),
                   lang: str = "zh", made: date | None = None) -> tuple[Heading, bytes]:
    heading = Heading(t("wb.firms", lang), made or date.today(), None, version, tuple(conditions),
                      t("wb.method.firms", lang), lang=lang)
    return heading, workbook_bytes(heading, [Sheet(t("wb.firms", lang), rows.firm_sheet(records, lang))])


def ledger_rate_sheet(books: Ledger, lang: str = "zh") -> list[dict]:
    """The ledger's rates, each with what it rests on, as numbers."""
    return [{
        t("col.rate", lang): t(f"rate.{r.key}", lang), t("col.value", lang): r.value,
        t("col.numerator", lang): r.numerator, t("col.denominator", lang): r.denominator,
        t("col.rests_on", lang): r.projects,
    } for r in books.rates]


def ledger_workbook(projects: Sequence[Project], books: Ledger, link_names: dict[str, str],
                    firm_names: dict[str, str], version: str, chain: str | None = None,
                    conditions: Iterable[str] = (), lang: str = "zh", made: date | None = None) -> tuple[Heading, bytes]:
    """项目台账: the projects, and a second sheet with the rates the city tracks."""
    heading = Heading(t("wb.ledger", lang), made or date.today(), chain, version, tuple(conditions),
                      t("wb.method.ledger", lang), lang=lang)
    sheets = [Sheet(t("wb.ledger", lang), rows.project_sheet(projects, link_names, firm_names, lang)),
              Sheet(t("wb.ledger_rates", lang), ledger_rate_sheet(books, lang), percent=(t("col.value", lang),))]
    return heading, workbook_bytes(heading, sheets)
