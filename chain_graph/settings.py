"""The knobs of the analyses, with the defaults a team starts from.

Kept as data (data/analysis.yaml, the app's sidebar) so a team can argue about a
weight without touching code.
"""

from __future__ import annotations

from pydantic import Field

from .model import Model


class Weights(Model):
    """Relative weight of each target feature; the score is their weighted mean, 0-100."""

    scale: float = Field(0.30, ge=0)
    tags: float = Field(0.30, ge=0)
    ties: float = Field(0.15, ge=0)
    proximity: float = Field(0.15, ge=0)
    evidence: float = Field(0.10, ge=0)
    leader: float = Field(0.15, ge=0, description="链主配套: its link feeds a local chain leader's, or it supplies one")


DEFAULT_TAG_VALUES = {
    "链主": 1.0, "500强": 1.0, "行业百强": 0.8, "上市": 0.8, "隐形冠军": 0.8, "专精特新": 0.6, "高新技术企业": 0.3,
}


class AnalysisSettings(Model):
    weak_share: float = Field(
        0.5, ge=0, le=1, description="a link whose local capacity covers less than this share of local demand is weak",
    )
    single_firm_is_weak: bool = Field(True, description="a link carried by one local firm is weak")
    weights: Weights = Field(default_factory=Weights)
    tag_values: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_TAG_VALUES))
    neighbour_proximity: float = Field(0.6, ge=0, le=1, description="proximity feature of a neighbouring province")
    full_scale_capital: float = Field(
        1_000_000, gt=1, description="registered capital (万元) that scores full scale; the scale is logarithmic",
    )
    leader_suppliers_first: bool = Field(True, description="targets already supplying a local chain leader rank first")
    two_step_proximity: float = Field(
        0.5, ge=0, le=1, description="relatedness: proximity of two links one link apart, times the two edge weights",
    )
    minor_input_floor: float = Field(
        0.5, ge=0, le=1,
        description="relatedness: FEEDS edge weight of the smallest input by coefficient; the largest weighs 1",
    )
