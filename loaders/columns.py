"""Column names of the table files, and the Chinese headers accepted for each.

One place for the mapping, so a new alias is a one-line change to data, not code.
"""

from __future__ import annotations

ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "firms": {
        "id": ("统一社会信用代码", "信用代码", "企业ID"),
        "name": ("企业名称", "名称"),
        "status": ("登记状态", "经营状态", "企业状态"),
        "province": ("所属省份", "省份"),
        "city": ("所属城市", "城市"),
        "district": ("所属区县", "区县"),
        "tags": ("企业标签", "标签"),
        "registered_capital": ("注册资本",),
        "founded": ("成立日期",),
        "source": ("来源", "数据来源"),
    },
    "firm_links": {
        "firm_id": ("统一社会信用代码", "企业ID"),
        "link_id": ("环节ID", "环节"),
        "capacity": ("产能",),
        "evidence": ("依据", "证据"),
        "source": ("来源",),
    },
    "supplies": {
        "supplier_id": ("供方", "供应商ID"),
        "customer_id": ("需方", "客户ID"),
        "product": ("产品",),
        "source": ("来源",),
    },
    "projects": {
        "id": ("项目编号", "项目ID"),
        "name": ("项目名称",),
        "status": ("项目状态", "状态"),
        "links": ("环节", "所属环节"),
        "firm_id": ("实施企业", "企业ID"),
        "investment": ("总投资", "总投资（亿元）", "总投资(亿元)"),
        "invested": ("完成投资", "累计完成投资", "完成投资（亿元）"),
        "funds_in_place": ("到位资金", "资金到位", "到位资金（亿元）"),
        "capacity": ("设计产能", "产能"),
        "signed_date": ("签约日期",),
        "planned_start": ("计划开工日期", "计划开工"),
        "actual_start": ("实际开工日期", "开工日期"),
        "planned_completion": ("计划竣工日期", "计划竣工"),
        "actual_completion": ("实际竣工日期", "竣工日期"),
        "source": ("来源", "出处"),
    },
}

REQUIRED: dict[str, tuple[str, ...]] = {
    "firms": ("id", "name"),
    "firm_links": ("firm_id", "link_id"),
    "supplies": ("supplier_id", "customer_id"),
    "projects": ("id", "name", "status"),
}


def header_map(kind: str, header: list[str]) -> dict[str, str]:
    """Canonical column name for each header the file has and we know."""
    lookup = {name: name for name in ALIASES[kind]}
    for name, aliases in ALIASES[kind].items():
        lookup.update({alias: name for alias in aliases})
    return {h: lookup[h] for h in header if h in lookup}
