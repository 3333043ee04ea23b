"""A date kept at the precision a ledger wrote it: a day, a month, a quarter, a year or a range.

City ledgers write `2023年3月`, `2023.3`, `2023年一季度` or `2023-2025`; making a day of those would
state what nobody wrote. A Period keeps the precision and is stored in its canonical text form
(`2023-03-31`, `2023-03`, `2023-Q1`, `2023`, `2023/2025`). The loaders read the written forms
(loaders.cleaning.parse_period); this module reads only the canonical ones.

The one rule for the rates that need a day (docs/analysis.md): a period stands for its last day,
`end`. A start planned for 2023年3月 is due once March 2023 is over; a completion in 2024 counts
as on time against a plan of 2024年12月.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic_core import core_schema

DAY, MONTH, QUARTER, YEAR, RANGE = "day", "month", "quarter", "year", "range"
_CANONICAL = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(\d{2})(?:-(\d{2}))?))?$")


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date
    precision: str  # day, month, quarter, year or range

    @classmethod
    def day(cls, value: date) -> "Period":
        return cls(value, value, DAY)

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        return cls(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), MONTH)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        first, last = cls.month(year, 3 * quarter - 2), cls.month(year, 3 * quarter)
        return cls(first.start, last.end, QUARTER)

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31), YEAR)

    @classmethod
    def between(cls, first: "Period", last: "Period") -> "Period":
        if last.end < first.start:
            raise ValueError(f"the range {first}/{last} ends before it starts")
        return first if first == last else cls(first.start, last.end, RANGE)

    @classmethod
    def parse(cls, value: Any) -> "Period":
        """A Period from itself, a date, or its canonical text (a range is two of them joined by '/')."""
        if isinstance(value, Period):
            return value
        if isinstance(value, date):
            return cls.day(value)
        text = str(value).strip()
        if "/" in text:
            first, _, last = text.partition("/")
            return cls.between(cls.parse(first), cls.parse(last))
        match = _CANONICAL.match(text)
        if not match:
            raise ValueError(f"{text!r} is not a date such as 2024-03-31, 2024-03, 2024-Q1, 2024 or 2023/2025")
        year, quarter, month, day = match.groups()
        if quarter:
            return cls.quarter(int(year), int(quarter))
        if day:
            return cls.day(date(int(year), int(month), int(day)))
        if month:
            return cls.month(int(year), int(month))
        return cls.year(int(year))

    def by(self, day: date) -> bool:
        """Over by `day`, under the rule above (the period's last day is on or before it)."""
        return self.end <= day

    def __str__(self) -> str:
        if self.precision == DAY:
            return self.start.isoformat()
        if self.precision == MONTH:
            return self.start.strftime("%Y-%m")
        if self.precision == QUARTER:
            return f"{self.start.year}-Q{(self.start.month + 2) // 3}"
        if self.precision == YEAR:
            return str(self.start.year)
        return f"{_part(self.start, True)}/{_part(self.end, False)}"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(str))


def _part(day: date, first: bool) -> str:
    """One end of a range, as coarse as it allows: 2023-01-01 → 2023 as a start, 2025-12-31 → 2025 as an end."""
    if (day.month, day.day) == ((1, 1) if first else (12, 31)):
        return str(day.year)
    if day.day == (1 if first else calendar.monthrange(day.year, day.month)[1]):
        return day.strftime("%Y-%m")
    return day.isoformat()
