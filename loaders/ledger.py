"""One row of a department's project ledger made into the cells of the project table.

Ledgers are kept by people, not exported by systems (docs/import.md, "Project ledgers"):
- the family (重点项目清单, 月度进度表, 招商项目台账) is told by headers only it has;
- money is in the unit its header states (`总投资（亿元）`, `年度计划投资（万元）`), else the unit a
  title row states (`（单位：亿元、万元）`: one unit for every amount, two for 总投资 and the rest),
  else 亿元 with a note; it is stored in 亿元. A header in a foreign currency (a 项目谋划 card's
  `拟投资额(外资-万美元)`) is converted at chain_graph.rules' rate and added to the same column
  (内资 + 外资), a note on the row keeping the amount as written;
- the yearly plan and yearly completed amounts are kept with their year: a year in their header,
  else the row's report month (月份), else a year in the title rows, else in the file name;
- dates keep the precision written (chain_graph.periods); 项目工期 `2023-2025` gives the planned
  start and completion;
- the status is the first of: the status column, 建设性质, 是否开工, a progress text (形象进度,
  进度、备注) that names a known stage word. A status word nobody knows rejects the row with the
  known words listed; a progress text without one is simply not used.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from chain_graph.i18n import Message, msg
from chain_graph.model import ProjectStatus
from chain_graph.rules import CURRENCY_NAMES, to_cny

from . import cleaning
from .columns import LEDGER_FAMILIES, LEDGER_STATUS_YES, PLACEHOLDERS, header_key, header_unit, header_year
from .import_rows import Reading, Rejection, flawed
from .tables import Row, Table

MONEY = ("investment", "invested", "funds_in_place", "year_plan", "year_done")
_TO_YI = {"亿元": 1.0, "万元": 1e-4, "元": 1e-8}
_TITLE_UNIT = re.compile(r"单位[:：]\s*([^)）]*)")
_UNIT_WORD = re.compile(r"亿元|万元|元")
_YEAR = re.compile(r"(?<!\d)(20\d{2})(?:年|\b|_|-|(?=\D))")
_AMOUNT = re.compile(r"^([\d,]+(?:\.\d+)?)(亿元|亿|万元|万|元)?$")
_STATUS_TAIL = re.compile(r"(?:项目|阶段|类|中)$")
_COMPANY_TAIL = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|股份公司|集团公司|总公司|分公司|公司|集团)$")
_NAME_NOISE = re.compile(r"[\s()（）\[\]【】《》\"'“”·,，.。、-]")


def known_status_words() -> str:
    """The stage words an import reads, grouped by lifecycle status, for a row message."""
    words: dict[str, list[str]] = {}
    for word, code in ProjectStatus.aliases().items():
        words.setdefault(code, []).append(word)
    return "；".join("、".join(words[s.value]) for s in ProjectStatus if s.value in words)


def normalise_firm_name(name: str) -> str:
    """A builder's name as compared with the firm table: half-width, no spaces, brackets or
    punctuation, company suffixes dropped (甘肃（金昌）某某新材料股份有限公司 = 甘肃金昌某某新材料)."""
    text = _NAME_NOISE.sub("", cleaning.normalize_text(name))
    while True:
        shorter = _COMPANY_TAIL.sub("", text)
        if shorter == text or not shorter:
            return text
        text = shorter


def project_key(name: str) -> str:
    """A stable id for a project a ledger gives no 项目代码: the same name gives the same id."""
    return "XM-" + hashlib.sha1(normalise_firm_name(name).encode("utf-8")).hexdigest()[:10].upper()


@dataclass
class Layout:
    """What a ledger file says once for all its rows."""

    family: str  # key of ledger_families, or "" for a plain project table
    units: dict[str, str]  # column → unit, for the money columns
    unit_note: Message | None  # which amounts were read in a default unit
    year: int | None  # from a year-bearing header, the title rows or the file name
    header_years: dict[str, int] = field(default_factory=dict)
    foreign: dict[str, tuple[str, str]] = field(default_factory=dict)  # header → (money column, unit) in a foreign currency


def layout(table: Table, mapping: dict[str, str], file: str) -> Layout:
    keys = {header_key(h) for h in table.header if h}
    scores = {family: sum(header_key(sign) in keys for sign in spec["signs"])
              for family, spec in LEDGER_FAMILIES.items()}
    family = max(scores, key=lambda f: scores[f]) if any(scores.values()) else ""
    title = " ".join(" ".join(c for c in cells if c) for cells in table.preamble)
    stated = _UNIT_WORD.findall(_TITLE_UNIT.search(title).group(1)) if _TITLE_UNIT.search(title) else []
    units, defaulted = {}, []
    foreign = {}
    for header, column in mapping.items():
        if column not in MONEY:
            continue
        unit = header_unit(header)
        if unit is not None and unit not in _TO_YI:
            foreign[header] = (column, unit)
            continue
        if unit is None and stated:
            unit = stated[0] if len(stated) == 1 or column == "investment" else stated[1]
        if unit is None:
            defaulted.append(header)
        units[column] = unit or "亿元"
    note = msg("ledger.unit_default", headers="、".join(defaulted)) if defaulted else None
    header_years = {column: header_year(h) for h, column in mapping.items() if header_year(h)}
    year_in = _YEAR.search(title) or _YEAR.search(Path(file).stem)
    return Layout(family, units, note, int(year_in.group(1)) if year_in else None, header_years, foreign)


@dataclass
class LedgerRow:
    row: int
    cells: dict[str, str]  # project table cells (id may be empty: given later by name)
    content: str  # 建设内容, for placing the project
    industry: str  # 产业类型 / 项目类型
    month: str  # the report month, canonical (2023-03), for ordering rows of one project
    status_from: str  # the column the status came from: status, nature, started or progress
    notes: list[Message] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.cells["id"]


def read_row(row: Row, mapping: dict[str, str], lay: Layout, file: str) -> LedgerRow | list[Rejection]:
    if row.flaws:
        return flawed(row, mapping)
    reading = Reading(row, {h: c for h, c in mapping.items() if h not in lay.foreign})
    values, first, rejections, reject = reading.values, reading.first, reading.rejections, reading.reject
    if not first.get("name"):
        reject("name", msg("ledger.name_missing"), msg("ledger.name_missing_hint"))
    cells = {c: first[c] for c in ("id", "name", "links", "firm_id", "builder", "capacity", "evidence", "signed_date",
                                   "planned_start", "actual_start", "planned_completion", "actual_completion")
             if c in first}
    for column in MONEY:
        if column in first:
            try:
                cells[column] = _yi(first[column], lay.units.get(column, "亿元"))
            except cleaning.CleaningError as err:
                reject(column, err.message, msg("ledger.amount_hint", unit=lay.units.get(column)))
    notes: list[Message] = []
    for header, (column, unit) in lay.foreign.items():
        text = cleaning.normalize_text(row.values.get(header, ""))
        if not text or text in PLACEHOLDERS:
            continue
        try:
            amount = _yi(text, unit)
        except cleaning.CleaningError as err:
            reject(column, err.message, msg("ledger.amount_hint", unit=unit))
            continue
        total = float(amount) + float(cells.get(column) or 0)
        cells[column] = f"{total:.8f}".rstrip("0").rstrip(".")
        notes.append(msg("ledger.foreign_amount", header=header, text=text, unit=unit, yi=amount))
    month = None
    if "month" in first:
        try:
            month = cleaning.parse_period(first["month"])
        except cleaning.CleaningError as err:
            reject("month", err.message, msg("ledger.month_hint"))
    if "period" in first:
        try:
            start, end = cleaning.parse_range(first["period"])
            cells.setdefault("planned_start", str(start))
            cells.setdefault("planned_completion", str(end))
        except cleaning.CleaningError as err:
            reject("period", err.message, msg("ledger.period_hint"))
    if "year_plan" in cells or "year_done" in cells:
        year = (lay.header_years.get("year_plan") or lay.header_years.get("year_done")
                or (month.start.year if month else None) or _plain_year(first.get("plan_year")) or lay.year)
        if year:
            cells["plan_year"] = str(year)
        else:
            notes.append(msg("ledger.no_year"))
    status, status_from, problem = _status(first)
    if problem:
        shown = first.get("status") or first.get("nature") or first.get("progress", "")
        rejections.append(Rejection(row.number, "status", shown, problem,
                                    msg("ledger.status_hint", words=known_status_words())))
    cells["status"] = status
    if rejections:
        return rejections
    return LedgerRow(row.number, cells, first.get("content", ""), " ".join(values.get("industry", [])),
                     str(month) if month else "", status_from, notes)


def _yi(text: str, unit: str) -> str:
    """An amount in 亿元, as text; a unit written in the cell (5000万元) wins over the header's."""
    compact = text.replace(" ", "")
    match = _AMOUNT.match(compact)
    if not match:
        raise cleaning.CleaningError(msg("ledger.not_amount", text=text))
    written = {"亿": "亿元", "万": "万元"}.get(match.group(2) or "", match.group(2) or unit)
    value = float(match.group(1).replace(",", "")) * _to_yi(written)
    return f"{value:.8f}".rstrip("0").rstrip(".")


def _to_yi(unit: str) -> float:
    """亿元 per one of `unit`: 亿元, 万元, 元, or 万/亿 of a currency rules.CURRENCY_NAMES knows (万美元)."""
    if unit in _TO_YI:
        return _TO_YI[unit]
    scale, word = {"万": 1e-4, "亿": 1.0}[unit[0]], unit[1:]
    return to_cny(scale, CURRENCY_NAMES[word])


def _plain_year(text: str | None) -> int | None:
    match = _YEAR.search(text or "")
    return int(match.group(1)) if match else None


def _status(first: dict[str, str]) -> tuple[str, str, Message | None]:
    """The status word to store, the column it came from and, when there is none, why not."""
    given = first.get("status", "")
    if given:
        word = _word(given) or _named_in(given)
        return (word, "status", None) if word else ("", "", msg("ledger.unknown_status", value=given))
    word = _word(first.get("nature", "")) or _named_in(first.get("nature", ""))
    if word:
        return word, "nature", None
    started = first.get("started", "")
    if started:
        return ("开工" if started in LEDGER_STATUS_YES else "前期"), "started", None
    word = _named_in(first.get("progress", ""))
    if word:
        return word, "progress", None
    return "", "", msg("ledger.no_status")


def _word(text: str) -> str:
    """The status word a cell is, decorations (续建项目, 前期阶段) removed; '' when unknown."""
    word = _STATUS_TAIL.sub("", "".join(cleaning.normalize_text(text).split()))
    try:
        ProjectStatus(word)
        return word
    except ValueError:
        return ""


def _named_in(text: str) -> str:
    """The first known stage word a free text names (已签约，正在办理前期手续 → 已签约)."""
    best: tuple[int, int, str] | None = None
    for word in ProjectStatus.aliases():
        for found in re.finditer(re.escape(word), text):
            at = found.start()
            if at and text[at - 1] in "未没不非":  # 未开工 is no start
                continue
            if best is None or (at, -len(word)) < best[:2]:
                best = (at, -len(word), word)
            break
    return best[2] if best else ""
