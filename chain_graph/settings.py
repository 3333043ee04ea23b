"""The knobs of the analyses, with the defaults a team starts from.

Kept as data (data/analysis.yaml, the app's sidebar) so a team can argue about a
weight without touching code.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from .model import Model
from .rules import TAG_VALUES


class Weights(Model):
    """Relative weight of each target feature; the score is their weighted mean, 0-100."""

    scale: float = Field(0.30, ge=0)
    tags: float = Field(0.30, ge=0)
    ties: float = Field(0.15, ge=0)
    proximity: float = Field(0.15, ge=0)
    evidence: float = Field(0.10, ge=0)
    leader: float = Field(0.15, ge=0, description="链主配套: its link feeds a local chain leader's, or it supplies one")
    size: float = Field(0.10, ge=0, description="参保人数, or else 企业规模")
    paid_in: float = Field(0.05, ge=0, description="实缴资本 against 注册资本")
    age: float = Field(0.05, ge=0, description="years since founding")
    listed: float = Field(0.05, ge=0, description="listed, or funded in a round")




class AnalysisSettings(Model):
    weak_share: float = Field(
        0.5, ge=0, le=1, description="a link whose local capacity covers less than this share of local demand is weak",
    )
    single_firm_is_weak: bool = Field(True, description="a link carried by one local firm is weak")
    weights: Weights = Field(default_factory=Weights)
    tag_values: dict[str, float] = Field(default_factory=lambda: dict(TAG_VALUES))
    neighbour_proximity: float = Field(0.6, ge=0, le=1, description="proximity feature of a neighbouring province")
    full_scale_capital: float = Field(
        1_000_000, gt=1, description="registered capital (万元) that scores full scale; the scale is logarithmic",
    )
    full_size_insured: int = Field(1000, gt=0, description="参保人数 that scores full size; the scale is logarithmic")
    firm_scale_values: dict[str, float] = Field(
        default_factory=lambda: {"large": 1.0, "medium": 0.7, "small": 0.4, "micro": 0.15},
        description="size feature from 企业规模 where 参保人数 is unknown",
    )
    full_age_years: int = Field(10, gt=0, description="years since founding that score full age")
    financed_value: float = Field(0.7, ge=0, le=1, description="listed feature of a firm funded in a round, not listed")
    as_of: date | None = Field(None, description="the date ages are measured at; empty: today")
    leader_suppliers_first: bool = Field(True, description="targets already supplying a local chain leader rank first")
    two_step_proximity: float = Field(
        0.5, ge=0, le=1, description="relatedness: proximity of two links one link apart, times the two edge weights",
    )
    minor_input_floor: float = Field(
        0.5, ge=0, le=1,
        description="relatedness: FEEDS edge weight of the smallest input by coefficient; the largest weighs 1",
    )
