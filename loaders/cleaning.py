"""Turn the text forms found in real files into values: dates, 亿元 amounts, registered capital."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_CAPITAL = re.compile(r"^([\d,]+(?:\.\d+)?)\s*(万|亿)?\s*(元)?\s*(人民币|美元|港元|港币|欧元|日元)?$")
_CURRENCY = {None: "CNY", "人民币": "CNY", "美元": "USD", "港元": "HKD", "港币": "HKD", "欧元": "EUR", "日元": "JPY"}


class CleaningError(ValueError):
    """A value that cannot be read; the message says what was expected."""


def normalize_text(value: str) -> str:
    """Full-width letters, digits and spaces to half-width; runs of spaces to one."""
    return " ".join(unicodedata.normalize("NFKC", value).split())


def parse_date(text: str) -> date | None:
    text = normalize_text(text)
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return date(*(int(g) for g in match.groups()))
            except ValueError:
                break
    raise CleaningError(f"{text!r} is not a date; write 2024-03-31, 2024/3/31 or 2024年3月31日")


def parse_number(text: str) -> float | None:
    text = normalize_text(text).replace(",", "")
    for suffix in ("亿元", "亿"):
        text = text.removesuffix(suffix)
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise CleaningError(f"{text!r} is not a number; write an amount in 亿元 such as 12.5") from None


def parse_capital(text: str) -> tuple[float | None, str]:
    """Registered capital in 万元 and its currency, from '5000万元人民币', '1.2亿元', '1000万美元' or '5000'."""
    text = normalize_text(text).replace(" ", "")
    if not text:
        return None, "CNY"
    match = _CAPITAL.match(text)
    if not match:
        raise CleaningError(f"{text!r} is not an amount; write e.g. 5000万元, 1.2亿元 or 1000万美元")
    number, scale, yuan, currency = match.groups()
    value = float(number.replace(",", ""))
    if scale == "亿":
        value *= 10000
    elif scale is None and (yuan or currency):
        value /= 10000  # a bare number is already 万元; '500000元' is not
    return value, _CURRENCY[currency]
