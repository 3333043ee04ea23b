"""Realistic synthetic firms and projects on real chains, for scale and parity tests.

Deterministic for a seed, so a failing run can be replayed exactly.
"""

from __future__ import annotations

import random
from dataclasses import replace

from .creditcode import ALPHABET, check_digit
from .dataset import Dataset
from .model import Firm, FirmStatus, OperatesIn, Project, ProjectStatus, Supplies
from .rules import TAGS

PROVINCES = (
    "广东省", "江苏省", "浙江省", "山东省", "福建省", "湖南省", "江西省", "四川省", "湖北省", "河南省",
    "安徽省", "陕西省", "青海省", "宁夏回族自治区", "内蒙古自治区", "新疆维吾尔自治区", "上海市", "北京市",
)
TAG_RATES = dict(zip(TAGS, (0.002, 0.004, 0.01, 0.03, 0.01, 0.06, 0.20)))  # the share of firms with each tag
INACTIVE = (FirmStatus.DEREGISTERED, FirmStatus.REVOKED, FirmStatus.MOVED_OUT)


def credit_code(rng: random.Random, area: str = "110000") -> str:
    body = "91" + area + "".join(rng.choice(ALPHABET) for _ in range(9))
    return body + check_digit(body)


def synthesize(base: Dataset, firms: int, seed: int = 1, local_share: float = 0.03) -> Dataset:
    """`base`'s region, chains and links, with `firms` generated firms and projects in place of its own."""
    rng = random.Random(seed)
    region, links = base.region, base.links
    out = replace(base, firms=[], operates_in=[], supplies=[], projects=[], origins={})
    ids: set[str] = set()
    for i in range(firms):
        local = rng.random() < local_share
        province = region.province if local else rng.choice((region.province, *PROVINCES))
        city = region.city if local else f"{province[:2]}市{rng.randint(1, 12)}"
        code = credit_code(rng)
        while code in ids:
            code = credit_code(rng)
        ids.add(code)
        status = rng.choice(INACTIVE) if rng.random() < 0.06 else FirmStatus.ACTIVE
        out.firms.append(Firm(
            id=code, name=f"合成企业{i:07d}有限公司", status=status, province=province, city=city,
            tags=[t for t, p in TAG_RATES.items() if rng.random() < p],
            registered_capital=round(rng.lognormvariate(7.5, 1.6), 1), source="synthetic",
        ))
        for link in rng.sample(links, k=min(len(links), rng.choice((1, 1, 2, 3)))):
            capacity = round(rng.paretovariate(1.5), 3) if link.unit and rng.random() < 0.4 else None
            out.operates_in.append(OperatesIn(
                firm_id=code, link_id=link.id, capacity=capacity, source="synthetic",
                capacity_text=None if capacity is None else f"{capacity!r}{link.unit}",
            ))
    codes = [f.id for f in out.firms]
    for _ in range(firms // 20):
        a, b = rng.sample(codes, 2)
        out.supplies.append(Supplies(supplier_id=a, customer_id=b, source="synthetic"))
    out.supplies = list({(s.supplier_id, s.customer_id): s for s in out.supplies}.values())
    statuses = list(ProjectStatus)
    for i in range(max(len(statuses), firms // 200)):
        investment = round(rng.lognormvariate(1.5, 1.0), 2)
        out.projects.append(Project(
            id=f"SP{i:06d}", name=f"合成项目{i}", status=statuses[i % len(statuses)],
            link_ids=[rng.choice(links).id], investment=investment,
            invested=round(investment * rng.random(), 2), source="synthetic",
        ))
    return out
