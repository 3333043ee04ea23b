"""Turn the text forms found in real files into values: dates (to the day, or at the precision a
ledger wrote them), 亿元 amounts, registered capital, firm status words and industry codes."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from chain_graph.periods import Period
from chain_graph.rules import CURRENCY_NAMES

from chain_graph.i18n import Failure, msg

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL = re.compile(r"^(\d{5})(?:\.0+)?$")  # an Excel date serial that reached a CSV: 44986 is 2023-03-01
_MONTH = (re.compile(r"^(\d{4})(?:年|[-/.])(\d{1,2})月?份?$"), re.compile(r"^(\d{4})(\d{2})$"))
_QUARTER = (re.compile(r"^(\d{4})年?(?:第)?([一二三四1-4])季度?$"), re.compile(r"^(\d{4})-?q([1-4])$"))
_HALF = re.compile(r"^(\d{4})年?(上|下)半年$")
_YEAR = re.compile(r"^(\d{4})年?(?:度|底|末|内)?$")
_RANGE = re.compile(r"至|到|~|—+|–|－|-(?=\d{4})")
_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4}
_CAPITAL = re.compile(r"^([\d,]+(?:\.\d+)?)\s*(万|亿)?\s*(元)?\s*(" + "|".join(CURRENCY_NAMES) + r")?$")
_BRACKETS = re.compile(r"[()\[\]【】]")
_BRACKETED = re.compile(r"\([^)]*\)|【[^】]*】|\[[^]]*\]")
_STATUS_PARTS = re.compile(r"[/,、;|]")
_INDUSTRY_CODE = re.compile(r"(?<![\d])[A-Ta-t]?(\d{4})(?!\d)")


class CleaningError(Failure, ValueError):
    """A value that cannot be read; the message says what was expected."""


def normalize_text(value: str) -> str:
    """Full-width letters, digits and spaces to half-width; runs of spaces to one."""
    return " ".join(unicodedata.normalize("NFKC", value).split())


def parse_date(text: str) -> date | None:
    text = normalize_text(text)
    if not text:
        return None
    serial = _SERIAL.match(text)
    if serial and 20000 <= int(serial.group(1)) <= 80000:
        return _EXCEL_EPOCH + timedelta(days=int(serial.group(1)))
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return date(*(int(g) for g in match.groups()))
            except ValueError:
                break
    raise CleaningError(msg("clean.not_date", text=text))


def parse_period(text: str) -> Period | None:
    """A ledger date at the precision written: a day (any form parse_date reads), a month (2023年3月,
    2023.3, 2023-03, 202303), a quarter (2023年一季度, 2023Q1), a half year (2023年上半年), a year
    (2023, 2023年, 2023年底) or a range of two of them (2023-2025, 2023—2025年, 2023.3至2024.6)."""
    text = "".join(normalize_text(text).split()).lower()
    if not text:
        return None
    parts = [p for p in _RANGE.split(text) if p]
    try:
        if len(parts) == 2 and not _DATE_PATTERNS[0].match(text):
            return Period.between(*parse_range(text))
        return _single(text)
    except (CleaningError, ValueError):
        raise CleaningError(msg("clean.not_period", text=text)) from None


def parse_range(text: str) -> tuple[Period, Period]:
    """The two ends of a period written as a range (项目工期 `2023-2025`, `2023.3-2024.12`); a single
    period is both ends."""
    text = "".join(normalize_text(text).split()).lower()
    parts = [p for p in _RANGE.split(text) if p]
    if len(parts) != 2 or _DATE_PATTERNS[0].match(text):
        whole = parse_period(text)
        return whole, whole
    first, last = parts
    if re.fullmatch(r"\d{4}", first) and last.endswith("年"):
        last = last[:-1]
    try:
        return _single(first), _single(last)
    except (CleaningError, ValueError):
        raise CleaningError(msg("clean.not_period", text=text)) from None


def _single(text: str) -> Period:
    for pattern in _MONTH:
        match = pattern.match(text)
        if match and 1 <= int(match.group(2)) <= 12:
            return Period.month(int(match.group(1)), int(match.group(2)))
    for pattern in _QUARTER:
        match = pattern.match(text)
        if match:
            quarter = match.group(2)
            return Period.quarter(int(match.group(1)), _NUMERALS.get(quarter) or int(quarter))
    match = _HALF.match(text)
    if match:
        year, first = int(match.group(1)), match.group(2) == "上"
        return Period.between(Period.month(year, 1 if first else 7), Period.month(year, 6 if first else 12))
    match = _YEAR.match(text)
    if match:
        return Period.year(int(match.group(1)))
    day = parse_date(text)
    if day is None:
        raise CleaningError(msg("clean.not_period", text=text))
    return Period.day(day)


def parse_number(text: str) -> float | None:
    text = normalize_text(text).replace(",", "")
    for suffix in ("亿元", "亿"):
        text = text.removesuffix(suffix)
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise CleaningError(msg("clean.not_number", text=text)) from None


def parse_capital(text: str) -> tuple[float | None, str]:
    """Registered capital in 万元 and its currency, from '5000万元人民币', '5,000.00万元', '1.2亿元', '1000万美元' or '5000'."""
    text = _BRACKETS.sub("", normalize_text(text).replace(" ", ""))  # 5000万(元), 5000万元(人民币)
    if not text:
        return None, "CNY"
    match = _CAPITAL.match(text)
    if not match:
        raise CleaningError(msg("clean.not_amount", text=text))
    number, scale, yuan, currency = match.groups()
    value = float(number.replace(",", ""))
    if scale == "亿":
        value *= 10000
    elif scale is None and (yuan or currency):
        value /= 10000  # a bare number is already 万元; '500000元' is not
    return value, CURRENCY_NAMES[currency] if currency else "CNY"


def status_word(text: str) -> str:
    """The plain status word inside a platform's decorated one: '存续（在营、开业、在册）' → '存续',
    '在营（开业）企业' → '在营', '注销企业' → '注销', '吊销，未注销' → '吊销', '存续/在业' → '存续'."""
    word = "".join(_BRACKETED.sub("", normalize_text(text)).split())
    word = word.removeprefix("已").removesuffix("状态").removesuffix("企业")
    return _STATUS_PARTS.split(word)[0] if word else word


def industry_codes(text: str) -> tuple[str, ...]:
    """GB/T 4754 class codes (4 digits) in a code or industry cell: 'C3985', '3841', 'C3985 电子专用材料制造'."""
    return tuple(dict.fromkeys(_INDUSTRY_CODE.findall(normalize_text(text))))
