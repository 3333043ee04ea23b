"""Words the user reads, in Chinese first and English second.

Analyses return Message objects (a key and its values) rather than text, so the
same evidence reads in either language and tests can check the key, not a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LANGS = ("zh", "en")

CATALOG: dict[str, tuple[str, str]] = {
    # statuses, stages, project lifecycle
    "status.missing": ("缺链", "missing"),
    "status.pipeline": ("在建补链", "pipeline"),
    "status.weak": ("弱链", "weak"),
    "status.strong": ("强链", "strong"),
    "stage.upstream": ("上游", "upstream"),
    "stage.midstream": ("中游", "midstream"),
    "stage.downstream": ("下游", "downstream"),
    "project.planning": ("谋划", "planning"),
    "project.negotiating": ("在谈", "negotiating"),
    "project.signed": ("签约", "signed"),
    "project.started": ("开工", "started"),
    "project.under_construction": ("在建", "under construction"),
    "project.operating": ("投产", "operating"),
    "project.at_capacity": ("达产", "at design capacity"),
    "project.terminated": ("终止", "terminated"),
    "basis.capacity": ("按产能测算", "capacity-based"),
    "basis.coverage": ("按环节覆盖测算", "coverage-based"),
    "basis.mixed": ("产能与覆盖混合测算", "capacity and coverage mixed"),
    # evidence of a link's status
    "ev.local_firms": ("本地在营企业{n}家：{names}", "{n} active local firm(s): {names}"),
    "ev.no_local_firm": ("本地无在营企业", "no active local firm"),
    "ev.pipeline": ("在建/签约项目{n}个：{names}", "{n} signed or building project(s): {names}"),
    "ev.no_pipeline": ("无签约或在建项目", "no signed or building project"),
    "ev.single_firm": ("仅1家本地企业支撑", "carried by a single local firm"),
    "ev.fill": (
        "本地产能{capacity}{unit}，本地需求{demand}{unit}，满足{share}",
        "local capacity {capacity} {unit} against local demand {demand} {unit}: {share} met",
    ),
    "ev.fill_low": ("低于弱链阈值{threshold}", "below the weak threshold of {threshold}"),
    "ev.break_point": (
        "断点：上游有本地环节（{upstream}），下游{n}个本地环节（{downstream}）依赖此环节",
        "break point: local links upstream ({upstream}) and {n} local link(s) downstream ({downstream}) depend on it",
    ),
    "ev.landed": ("按在建项目建成计", "counting pipeline projects as built"),
    # reasons of a target's score
    "why.tags": ("企业标签：{tags}", "tags: {tags}"),
    "why.capital": ("注册资本{amount}", "registered capital {amount}"),
    "why.capital_unknown": ("注册资本未知", "registered capital unknown"),
    "why.ties": ("与本地已有往来：{names}", "already trades with the city: {names}"),
    "why.same_province": ("同省企业（{province}）", "same province ({province})"),
    "why.neighbour": ("邻省企业（{province}）", "neighbouring province ({province})"),
    "why.capacity": ("已有该环节产能{capacity}", "has capacity in this link: {capacity}"),
    "why.evidence": ("依据：{evidence}", "evidence: {evidence}"),
    "why.sample": ("示例数据", "illustrative data"),
    "na": ("无数据", "n/a"),
    # column headers of tables and exports
    "col.rank": ("排名", "rank"),
    "col.link": ("环节", "link"),
    "col.link_status": ("环节状态", "link status"),
    "col.break_point": ("断点", "break point"),
    "col.firm": ("企业名称", "firm"),
    "col.credit_code": ("统一社会信用代码", "credit code"),
    "col.province": ("省份", "province"),
    "col.city": ("城市", "city"),
    "col.tags": ("标签", "tags"),
    "col.score": ("得分", "score"),
    "col.reasons": ("理由", "reasons"),
    "col.sample": ("示例数据", "illustrative"),
    "col.stage": ("阶段", "stage"),
    "col.status": ("状态", "status"),
    "col.local_firms": ("本地企业", "local firms"),
    "col.pipeline": ("在建/签约项目", "pipeline projects"),
    "col.supply_rate": ("本地供应率", "local supply rate"),
    "col.basis": ("测算口径", "basis"),
    "col.evidence": ("依据", "evidence"),
    "col.chain": ("产业链", "chain"),
    "col.links": ("环节数", "links"),
    "col.firms": ("在营企业", "active firms"),
    "col.projects": ("项目数", "projects"),
    "col.investment": ("总投资（亿元）", "investment (亿元)"),
    "col.invested": ("已完成投资（亿元）", "invested (亿元)"),
    "col.funds_in_place": ("到位资金（亿元）", "funds in place (亿元)"),
    "col.break_points": ("断点数", "break points"),
    "col.why_wanted": ("为什么招（依据）", "why it is wanted"),
    "col.candidates": ("候选企业数", "candidates"),
    "col.top_targets": ("重点招商目标", "top targets"),
    "col.top_reasons": ("首选目标理由", "why the first target"),
    "col.project_id": ("项目编号", "project id"),
    "col.project": ("项目名称", "project"),
    "col.firm_id": ("实施企业", "firm"),
    "col.capacity": ("产能", "capacity"),
    "col.design_capacity": ("设计产能", "design capacity"),
    "col.signed_date": ("签约日期", "signed"),
    "col.planned_start": ("计划开工", "planned start"),
    "col.actual_start": ("实际开工", "actual start"),
    "col.planned_completion": ("计划竣工", "planned completion"),
    "col.actual_completion": ("实际竣工", "actual completion"),
    "col.local": ("本地企业", "local"),
    "col.firm_status": ("登记状态", "registration status"),
    "col.registered_capital": ("注册资本", "registered capital"),
    "col.founded": ("成立日期", "founded"),
    "col.firm_links": ("所在环节", "links"),
    "col.product": ("产品", "product"),
    "col.count": ("数量", "count"),
    "col.file": ("文件", "file"),
    "col.row": ("行", "row"),
    "col.column": ("列", "column"),
    "col.severity": ("级别", "severity"),
    "col.problem": ("问题", "problem"),
    "col.hint": ("修改建议", "how to fix"),
    "severity.error": ("错误", "error"),
    "severity.warning": ("警告", "warning"),
    "firm.active": ("存续", "active"),
    "firm.deregistered": ("注销", "deregistered"),
    "firm.revoked": ("吊销", "revoked"),
    "firm.moved_out": ("迁出", "moved out"),
    "firm.suspended": ("停业", "suspended"),
    "firm.liquidating": ("清算", "liquidating"),
    "firm.inactive": ("非存续", "not active"),
    "yes": ("是", "yes"),
    "score_of": ("{name}（{score}分）", "{name} ({score})"),
}


@dataclass(frozen=True)
class Message:
    key: str
    params: dict[str, object] = field(default_factory=dict)

    def text(self, lang: str = "zh") -> str:
        return t(self.key, lang, **self.params)


def t(key: str, lang: str = "zh", **params: object) -> str:
    """The text of `key` in `lang`; an unknown key shows as itself so a gap is visible, not fatal."""
    pair = CATALOG.get(key)
    if pair is None:
        return key
    return pair[LANGS.index(lang) if lang in LANGS else 0].format(**params)


def yi(amount: float | None, lang: str = "zh") -> str:
    """An amount in 亿元 with its unit."""
    if amount is None:
        return t("na", lang)
    return f"{amount:,.2f} 亿元" if lang == "zh" else f"CNY {amount:,.2f} 100M (亿元)"


def wan_yuan(amount: float | None, currency: str = "CNY") -> str:
    """Registered capital (万元) the way Chinese registries print it."""
    if amount is None:
        return "—"
    unit = {"CNY": "元", "USD": "美元", "HKD": "港元", "EUR": "欧元", "JPY": "日元"}.get(currency, currency)
    return f"{amount / 10000:,.2f}亿{unit}" if amount >= 10000 else f"{amount:,.0f}万{unit}"


def number(x: float) -> str:
    """A quantity without float noise or scientific notation: 30,000 / 2.6 / 0.125."""
    return f"{x:,.3f}".rstrip("0").rstrip(".")


def quantity(value: float | None, unit: str | None, lang: str = "zh") -> str:
    """A capacity with its link's unit: 5万吨 in Chinese, 5 万吨 in English."""
    if value is None:
        return t("na", lang)
    return f"{number(value)}{'' if lang == 'zh' else ' '}{unit or ''}".strip()


def percent(share: float | None, lang: str = "zh") -> str:
    return t("na", lang) if share is None else f"{share:.0%}"
