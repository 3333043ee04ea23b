"""The small rules every layer applies, each defined once: currencies, list separators, the tags
the scoring knows, the formula-start rule of spreadsheets and how a total treats unknown amounts.

The import, the loaders, the writer, the analyses and the exports all read them from here, so
they cannot drift apart (issue 10). The credit-code alphabet lives with its check digit in
`creditcode`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable

# -- currencies of registered capital ----------------------------------------------------------
# code: (the word registries print after 万/亿, a rough rate to CNY). The rate only compares the
# scale of firms, which is scored on a logarithm, so rough is enough.
CURRENCIES: dict[str, tuple[str, float]] = {
    "CNY": ("元", 1.0), "USD": ("美元", 7.1), "HKD": ("港元", 0.91), "EUR": ("欧元", 7.7), "JPY": ("日元", 0.048),
}
# the words a registered-capital cell may name its currency with
CURRENCY_NAMES: dict[str, str] = {
    "人民币": "CNY", **{word: code for code, (word, _) in CURRENCIES.items() if code != "CNY"}, "港币": "HKD",
}


def currency_word(code: str) -> str:
    """元, 美元 …; an unknown code shows as itself."""
    return CURRENCIES[code][0] if code in CURRENCIES else code


def to_cny(amount: float | None, code: str) -> float | None:
    """`amount` in CNY at the rough rate (an unknown currency counts as CNY)."""
    return None if amount is None else amount * CURRENCIES.get(code, ("", 1.0))[1]


# -- lists in one cell --------------------------------------------------------------------------
LIST_JOIN = ";"  # how the data files join a list (tags, keywords, a project's links)
LIST_SHOW = "；"  # how tables and exports people read join one
_SEPARATORS = re.compile(r"[;；,，|、]+")
_SEPARATORS_OR_BLANKS = re.compile(r"[;；,，|、\s]+")


def split_list(text: str, blanks: bool = False) -> list[str]:
    """The items of a list cell, whichever separator the file used (; ； , ， | 、, and with
    `blanks` spaces too, as platforms separate tags), stripped, empties dropped."""
    pattern = _SEPARATORS_OR_BLANKS if blanks else _SEPARATORS
    return [item.strip() for item in pattern.split(text) if item.strip()]


# -- tags ---------------------------------------------------------------------------------------
# the tags the target scoring knows, with the value a team starts from (AnalysisSettings.tag_values);
# platforms' own words for them are mapped in loaders/platform_headers.yaml
TAG_VALUES: dict[str, float] = {
    "链主": 1.0, "500强": 1.0, "行业百强": 0.8, "上市": 0.8, "隐形冠军": 0.8, "专精特新": 0.6, "高新技术企业": 0.3,
}
TAGS: tuple[str, ...] = tuple(TAG_VALUES)


# -- formula starts -----------------------------------------------------------------------------
# OWASP CSV injection: a spreadsheet may run a cell that starts with one of these, even after
# blanks; full-width forms (＝ ＋ － ＠, the ideographic space) count as their half-width ones.
FORMULA_STARTS = "=+-@\t\r"
_FORMULA_START = re.compile(r"[^\S\t\r]*([" + re.escape(FORMULA_STARTS) + "])")


def formula_start(text: str) -> str | None:
    """The character that would make a spreadsheet run `text` as a formula, or None.

    The export quotes such a cell; the import refuses a row that would store one.
    """
    match = _FORMULA_START.match(unicodedata.normalize("NFKC", text))
    return match.group(1) if match else None


# -- totals over amounts some of which are unknown ----------------------------------------------
def known_sum(amounts: Iterable[float | None]) -> tuple[float | None, int]:
    """The sum over the known amounts (None when none is known) and how many are unknown.

    Unknown is never zero: every total of amounts (亿元 of investment) is reported as this pair, in
    the JSON as `investment` and `investment_unknown`, and worded by i18n.yi_sum.
    """
    values = list(amounts)
    known = [a for a in values if a is not None]
    return (sum(known) if known else None), len(values) - len(known)
