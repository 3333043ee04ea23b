"""Unified social credit code (统一社会信用代码, GB 32100-2015).

Firms are keyed by this code, so a typo would silently split one firm into two;
the check digit catches most typos at import time.
"""

from __future__ import annotations

from .i18n import Message, msg

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


def check_digit(body: str) -> str:
    """The 18th character for the first 17 characters of a code."""
    if len(body) != LENGTH - 1 or any(c not in ALPHABET for c in body):
        raise ValueError(f"need 17 characters from {ALPHABET}, got {body!r}")
    total = sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> Message | None:
    """Why `code` is not a valid credit code, or None when it is."""
    if len(code) != LENGTH:
        return msg("code.length", n=len(code))
    bad = sorted({c for c in code if c not in ALPHABET})
    if bad:
        return msg("code.bad_characters", characters="".join(bad))
    expected = check_digit(code[:-1])
    if code[-1] != expected:
        return msg("code.check_digit", found=code[-1], expected=expected)
    return None


def is_valid(code: str) -> bool:
    return problem(code) is None


def valid_expr(code):
    """`is_valid` as a polars expression over a column of codes: the same rule, run in native code."""
    import polars as pl

    value = {c: i for i, c in enumerate(ALPHABET)}
    total = pl.sum_horizontal([
        code.str.slice(i, 1).replace_strict(value, default=0, return_dtype=pl.Int64) * w for i, w in enumerate(WEIGHTS)
    ])
    expected = ((31 - total % 31) % 31).replace_strict(dict(enumerate(ALPHABET)), return_dtype=pl.String)
    well_formed = code.str.contains(f"^[{ALPHABET}]{{{LENGTH}}}$")
    return well_formed & (code.str.slice(LENGTH - 1, 1) == expected)
