"""Turn the text forms found in real files into values: dates, 亿元 amounts, registered capital,
firm status words and industry codes."""

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
_BRACKETS = re.compile(r"[()\[\]【】]")
_BRACKETED = re.compile(r"\([^)]*\)|【[^】]*】|\[[^]]*\]")
_STATUS_PARTS = re.compile(r"[/,、;|]")
_INDUSTRY_CODE = re.compile(r"(?<![\d])[A-Ta-t]?(\d{4})(?!\d)")


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
    """Registered capital in 万元 and its currency, from '5000万元人民币', '5,000.00万元', '1.2亿元', '1000万美元' or '5000'."""
    text = _BRACKETS.sub("", normalize_text(text).replace(" ", ""))  # 5000万(元), 5000万元(人民币)
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


def status_word(text: str) -> str:
    """The plain status word inside a platform's decorated one: '存续（在营、开业、在册）' → '存续',
    '在营（开业）企业' → '在营', '注销企业' → '注销', '吊销，未注销' → '吊销', '存续/在业' → '存续'."""
    word = "".join(_BRACKETED.sub("", normalize_text(text)).split())
    word = word.removeprefix("已").removesuffix("状态").removesuffix("企业")
    return _STATUS_PARTS.split(word)[0] if word else word


def industry_codes(text: str) -> tuple[str, ...]:
    """GB/T 4754 class codes (4 digits) in a code or industry cell: 'C3985', '3841', 'C3985 电子专用材料制造'."""
    return tuple(dict.fromkeys(_INDUSTRY_CODE.findall(normalize_text(text))))
