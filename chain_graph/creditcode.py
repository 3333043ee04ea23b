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


def valid_column(codes):
    """`is_valid` of each code of a polars Series of strings, in native code: the well-formed ones (18
    ASCII characters) joined into one buffer, looked up and weighted as an (n, 18) numpy array."""
    import numpy as np
    import polars as pl

    ascii18 = ((codes.str.len_bytes() == LENGTH) & (codes.str.len_chars() == LENGTH)).fill_null(False)
    valid = np.zeros(len(codes), dtype=bool)
    rows = np.flatnonzero(ascii18.to_numpy())
    if len(rows):
        joined = codes.filter(ascii18).str.join("").item().encode("ascii")
        value = np.full(256, -1, dtype=np.int8)
        value[[ord(c) for c in ALPHABET]] = np.arange(len(ALPHABET))
        digits = value[np.frombuffer(joined, dtype=np.uint8).reshape(-1, LENGTH)]
        total = np.zeros(len(rows), dtype=np.int32)
        for i, weight in enumerate(WEIGHTS):  # column by column: an (n, 17) product is slower
            total += digits[:, i] * np.int32(weight)
        valid[rows] = (digits >= 0).all(axis=1) & (digits[:, -1] == (31 - total % 31) % 31)
    return pl.Series(codes.name, valid)
