"""Strength and expansion signals of a target firm, from the columns platform exports carry.

Registered capital says what owners promised, not what a firm is: 参保人数 and 企业规模 say how big it
really is, 实缴资本 against 注册资本 how much was paid in, its age how established it is, a listing or
a funding round that it has capital to build. Each is a feature in [0, 1], or None when the data does
not say: an unknown signal is left out of the score (docs/analysis.md, 实力与扩张信号), never a zero.
"""

from __future__ import annotations

import math
from datetime import date

from ..i18n import Message, number, wan_yuan
from ..settings import AnalysisSettings
from ..store.base import Candidate

SIGNALS = ("size", "paid_in", "age", "listed")
NOT_LISTED = ("未上市", "未融资", "暂无", "无", "不明确")
LISTED = ("上市", "挂牌", "新三板", "主板", "科创板", "创业板", "北交所", "港股", "美股", "A股")
FINANCED = ("轮", "融资", "天使", "Pre-IPO", "IPO", "战略投资", "定增", "增发")


def signal_features(c: Candidate, settings: AnalysisSettings, today: date) -> dict[str, float | None]:
    return {"size": size(c, settings), "paid_in": paid_in(c), "age": age(c, settings, today), "listed": listed(c, settings)}


def size(c: Candidate, settings: AnalysisSettings) -> float | None:
    """参保人数 on a log scale (full at `full_size_insured`); without it, 企业规模's value; else unknown."""
    if c.insured is not None:
        return round(min(1.0, math.log10(1 + c.insured) / math.log10(1 + settings.full_size_insured)), 4)
    return settings.firm_scale_values.get(c.scale) if c.scale else None


def paid_in(c: Candidate) -> float | None:
    """实缴资本 / 注册资本 (same currency), at most 1; unknown without both or with no registered capital."""
    if c.paid_in_capital is None or not c.registered_capital:
        return None
    return round(min(1.0, c.paid_in_capital / c.registered_capital), 4)


def years(founded: date, today: date) -> int:
    return today.year - founded.year - ((today.month, today.day) < (founded.month, founded.day))


def age(c: Candidate, settings: AnalysisSettings, today: date) -> float | None:
    """Whole years since founding over `full_age_years`, at most 1 (0 if founded after `today`)."""
    if c.founded is None:
        return None
    return round(min(1.0, max(0, years(c.founded, today)) / settings.full_age_years), 4)


def listed(c: Candidate, settings: AnalysisSettings) -> float | None:
    """From the platform's 上市/融资 column: 1 listed, `financed_value` for a funding round, 0 for 未融资/未上市;
    unknown when it says nothing or what it says is not recognised. (A 上市 tag scores in `tags` already.)"""
    text = (c.financing or "").strip()
    if not text or text == "-":
        return None
    if text in NOT_LISTED or text.startswith("未"):
        return 0.0
    if any(w in text for w in LISTED):
        return 1.0
    if any(w in text for w in FINANCED):
        return settings.financed_value
    return None


def signal_reasons(c: Candidate, feats: dict[str, float | None], today: date) -> list[Message]:
    out = []
    if c.insured is not None:
        out.append(Message("why.insured", {"n": number(c.insured)}))
    elif c.scale:
        out.append(Message("why.firm_scale", {"scale": Message(f"firm_scale.{c.scale}")}))
    if feats["paid_in"] is not None:
        out.append(Message("why.paid_in", {"amount": wan_yuan(c.paid_in_capital, c.capital_currency),
                                           "share": f"{c.paid_in_capital / c.registered_capital:.0%}"}))
    if c.founded is not None:
        out.append(Message("why.age", {"years": max(0, years(c.founded, today))}))
    if c.financing and feats["listed"] is not None:
        out.append(Message("why.financing", {"text": c.financing}))
    unknown = [Message(f"signal.{k}") for k in SIGNALS if feats[k] is None]
    if unknown:
        joined = unknown[0]
        for m in unknown[1:]:
            joined = Message("signal.and", {"a": joined, "b": m})
        out.append(Message("why.unknown", {"signals": joined}))
    return out
