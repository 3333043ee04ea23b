"""Place a firm on chain links from its name, business scope (经营范围) and industry, with evidence.

A placement must be checkable, so every one carries the phrase that decided it and where it was
found (`经营范围含“电解液”`), and a confidence. The method, in order:

1. Text is compared half-width and case-folded (NFKC), so `ＰＶＤＦ` is `pvdf`.
2. Boilerplate never decides: the standard items every scope carries (技术服务、技术开发…,
   货物进出口, 依法须经批准的项目…) are cut out, and so are exclusions (`（不含危险化学品）`).
3. The scope is split into clauses at ；，。： and line breaks (、 joins items sharing one verb).
   A clause that only sells, leases, consults or researches (销售, 批发, 租赁, 技术服务, 研发 …
   with no 生产/制造/加工/配制/合成/冶炼 … beside them) is weak: it supports a placement but cannot
   make one. Within one clause a production verb beats a trade word (`锂电池电解液配制与销售`
   makes electrolyte). A licence item (危险化学品…, 危险废物…, 道路(货物)运输 …) says what a firm
   may do, not what it makes: it is weak whatever its verb.
4. Link keywords are found longest first, so 电池级硫酸镍 is one match, not 硫酸镍 inside it, and
   磷酸铁锂电池 is not 磷酸铁. Latin keywords (PVDF, IDC) must stand alone: PACK is not in PACKAGE.
5. A link scores the weight of its best match (name 0.9, a main scope clause 0.8, a later one 0.7,
   a weak clause 0.4, the industry text 0.5; a trader's name — 贸易, 商贸, 经销, 供应链 … in it —
   0.4, since it names what the firm sells), plus 0.1 for each further place that names it, plus
   0.1 when the firm's industry code is one of the link's (a code alone never places a firm).
6. A firm is placed on every link reaching the threshold (0.6) through a keyword of that link
   alone, except that a product named only after the main clauses adds no link to a firm already
   placed by its name or main clauses (a maker's trailing 许可项目：道路货物运输 is not a freight
   business). A keyword shared by several links (电芯, 锂离子电池) places the firm only when one
   of them leads the rest by the margin (0.1). A platform's 产业位置 (上游/中游/下游) then keeps
   the tied links of that stage. A generic product (锂离子电池, 电芯: a keyword of sibling links,
   same chain and stage, that only a more specific word such as 三元 or 磷酸铁锂 tells apart)
   places the firm on every sibling, its evidence saying so: a chain team counts a cell maker as
   a local cell maker rather than losing it to review. Otherwise the firm is ambiguous. Ambiguous
   and unmatched firms are listed for review with their candidates, never placed by force.
7. A platform's own chain node (企查查's 产业链节点 and 分类 levels) is evidence like a main
   scope clause (0.8): the platform's analysts read the firm, but in their words, not ours.

Pure: it knows links, not files; the import reads the files.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .i18n import Message, msg
from .model import Link

THRESHOLD = 0.6
MARGIN = 0.1
MAIN_CLAUSES = 5

NAME, SCOPE_MAIN, SCOPE, SCOPE_WEAK, INDUSTRY, CODE = "name", "scope_main", "scope", "scope_weak", "industry", "code"
NODE, POSITION, NAME_WEAK = "node", "position", "name_weak"
WEIGHTS = {NAME: 0.9, SCOPE_MAIN: 0.8, NODE: 0.8, SCOPE: 0.7, INDUSTRY: 0.5, SCOPE_WEAK: 0.4, NAME_WEAK: 0.4}
_NOT_A_PRODUCT = (CODE, POSITION)  # evidence that supports links but names no product
PLACE_BONUS = 0.1
CODE_BONUS = 0.1
_STRONG = 0.5  # evidence at least this strong counts towards the bonus for a further place

# Standard items of the 经营范围 register (经营范围规范表述) that say nothing about what a firm makes.
# They are cut only as whole items (between separators): 技术服务 is cut, 太阳能发电技术服务 is not
# (it becomes a weak clause), so cutting never leaves a product word behind as if it were made.
BOILERPLATE: tuple[str, ...] = (
    "依法须经批准的项目,经相关部门批准后方可开展经营活动", "依法须经批准的项目", "经相关部门批准后方可开展经营活动",
    "除依法须经批准的项目外,凭营业执照依法自主开展经营活动", "凭营业执照依法自主开展经营活动",
    "具体经营项目以相关部门批准文件或许可证件为准", "具体经营项目以审批结果为准", "以审批结果为准",
    "一般经营项目", "许可经营项目", "一般项目", "许可项目",
    "技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广", "技术开发、技术咨询、技术交流、技术转让、技术推广",
    "技术服务", "技术开发", "技术咨询", "技术交流", "技术转让", "技术推广", "技术推广服务",
    "货物进出口", "技术进出口", "进出口代理", "货物及技术进出口", "自营和代理各类商品和技术的进出口",
    "国内贸易代理", "销售代理", "贸易经纪", "信息咨询服务", "信息技术咨询服务", "企业管理咨询", "企业管理",
    "社会经济咨询服务", "会议及展览服务", "市场营销策划", "企业形象策划", "广告设计、代理", "广告制作", "广告发布",
    "非居住房地产租赁", "住房租赁", "机械设备租赁", "物业管理", "劳务服务", "人力资源服务", "办公服务",
    "日用百货销售", "办公用品销售", "五金产品批发", "五金产品零售", "建筑材料销售", "电子产品销售",
    "新材料技术研发", "新材料技术推广服务", "资源再生利用技术研发", "新兴能源技术研发", "工程和技术研究和试验发展",
    "科技中介服务", "知识产权服务", "光伏发电设备租赁", "云计算装备技术服务", "食用农产品批发", "食用农产品零售",
    "互联网销售", "以自有资金从事投资活动", "节能管理服务", "合同能源管理", "环保咨询服务",
)
# A clause with one of these and none of _MAKING (outside them: 技术开发 is not 开发) sells, leases,
# consults or researches.
_WEAK = ("销售", "批发", "零售", "经销", "贸易", "进出口", "代理", "租赁", "咨询", "技术服务", "技术开发", "技术推广",
         "技术转让", "技术交流", "研发", "培训")
_MAKING = ("生产", "制造", "加工", "冶炼", "精炼", "提炼", "制备", "配制", "合成", "开采", "采选", "选矿", "种植", "养殖", "繁育",
           "育种", "屠宰", "回收", "利用", "处置", "建设", "运营", "运维", "运输", "仓储", "配送", "发电", "施工", "开发",
           "集成")
_WEAK_WORD, _MAKING_WORD = (re.compile("|".join(words)) for words in (_WEAK, _MAKING))
# Licence items of the 许可项目 register: permission, not a product.
_LICENCE = re.compile(r"危险化学品|危险废物|危险货物|道路(?:普通)?(?:货物|旅客)?运输|放射性物品|民用爆炸物品|易制毒化学品")
# A bracket that excludes or conditions (（不含危险化学品）, （依法须经批准…）) is cut out with its content.
_EXCLUSION = re.compile(r"[(\[【]\s*(?:不含|除|不得|不涉及|须|需|依法|凭|仅限|限|涉及|以上|具体|法律|国家)[^()\[\]【】]*[)\]】]")
_BRACKET = re.compile(r"[()\[\]【】]")
_CLAUSES = re.compile(r"[;,。:\n\r\t]+")
_INSIDE = r"[^;,。:、\s()\[\]【】]"  # a character inside an item, not a separator
_NEGATED = re.compile(r"^(?:不含|不得|禁止|不涉及|除.*外)")  # 除…外 excludes; 除草剂 does not
_PLACE_WORD = {NAME: "企业名称", SCOPE_MAIN: "经营范围", SCOPE: "经营范围", SCOPE_WEAK: "经营范围（销售/服务/许可类）",
               INDUSTRY: "所属行业", NODE: "平台产业链节点", NAME_WEAK: "企业名称（贸易类）"}
# A name that says the firm trades (某某电解铜贸易有限公司) names what it sells, not what it makes.
_TRADE_NAME = re.compile(r"贸易|商贸|商行|经销|经营部|销售|供应链|进出口|代理")
_STAGES = {"上游": "upstream", "中游": "midstream", "下游": "downstream"}


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


@dataclass(frozen=True, slots=True)
class Evidence:
    """One keyword (or industry code) found in one place, and the links it names."""

    phrase: str
    place: str
    links: frozenset[str]

    @property
    def weight(self) -> float:
        return WEIGHTS.get(self.place, 0.0)

    def text(self) -> str:
        if self.place == CODE:
            return f"行业代码{self.phrase}"
        if self.place == POSITION:
            return f"平台产业位置“{self.phrase}”"
        return f"{_PLACE_WORD[self.place]}含“{self.phrase}”"


@dataclass(frozen=True, slots=True)
class Placement:
    link_id: str
    confidence: float
    evidence: tuple[Evidence, ...]
    note: str = ""  # e.g. that the product is generic and the firm is on each sibling link

    def evidence_text(self) -> str:
        """The evidence as one line for firm_links.csv: strongest first, then the confidence."""
        note = f"；{self.note}" if self.note else ""
        return "；".join(e.text() for e in self.evidence) + note + f"（置信度{self.confidence:.2f}）"


@dataclass(frozen=True, slots=True)
class Result:
    """`placed` firms have placements; `ambiguous` and `unmatched` ones go to review with candidates."""

    verdict: str  # "placed", "ambiguous" or "unmatched"
    placements: tuple[Placement, ...] = ()
    candidates: tuple[Placement, ...] = ()
    evidence: tuple[Evidence, ...] = field(default=(), repr=False)  # all of it, so two rows can be merged

    @property
    def placed(self) -> bool:
        return self.verdict == "placed"

    def reason(self) -> Message | None:
        """Why the firm was not placed (None when it was)."""
        if self.placed:
            return None
        if not self.candidates:
            return msg("classify.no_keyword")
        if self.verdict == "ambiguous":
            phrases = sorted({e.phrase for c in self.candidates for e in c.evidence if e.place != CODE})
            return msg("classify.ambiguous", phrases="、".join(phrases))
        return msg("classify.weak")


class Classifier:
    """The links' keywords indexed once; `classify` is then called per firm."""

    def __init__(self, links: Iterable[Link], boilerplate: Sequence[str] = BOILERPLATE,
                 threshold: float = THRESHOLD, margin: float = MARGIN):
        self.threshold, self.margin = threshold, margin
        owners: dict[str, set[str]] = {}
        self._display: dict[str, str] = {}
        self._codes: dict[str, set[str]] = {}
        self._group: dict[str, tuple[str, str]] = {}  # link → (chain, stage): links of one group are siblings
        for link in links:
            self._group[link.id] = (link.chain, link.stage.value)
            for keyword in (k for k in link.keywords if k.strip()):
                key = _norm(keyword.strip())
                owners.setdefault(key, set()).add(link.id)
                self._display.setdefault(key, keyword.strip())
            for code in link.industry_codes:
                self._codes.setdefault(code.strip(), set()).add(link.id)
        self._owners = {key: frozenset(links) for key, links in owners.items()}
        self._found: dict[tuple[str, str], Evidence] = {}  # one object per keyword and place, shared by all firms
        self._by_start: dict[str, list[str]] = {}  # keywords by their first two characters, longest first
        for key in sorted(self._owners, key=len, reverse=True):
            self._by_start.setdefault(key[:2], []).append(key)
        firsts = sorted({key[0] for key in self._owners})
        self._starts = re.compile("[" + "".join(re.escape(c) for c in firsts) + "]") if firsts else None
        phrases = sorted({_norm(p) for p in boilerplate if p}, key=len, reverse=True)
        # (?<!inside)phrase, with the look behind written after the phrase's first character: a
        # pattern that starts with literals lets re skip to where a phrase can start (×1.6 faster)
        items = "|".join(re.escape(p[0]) + f"(?<!{_INSIDE}[\\s\\S])" + re.escape(p[1:]) for p in phrases)
        self._boilerplate = re.compile(f"(?:{items})(?!{_INSIDE})") if phrases else None
        # what was found once is not looked for again: an import of 100,000 firms meets the same
        # scope clauses, industry texts and evidence sets over and over
        self._clauses: dict[str, tuple[bool | None, list[Evidence], list[Evidence]]] = {}
        self._texts: dict[tuple[str, str], list[Evidence]] = {}
        self._decided: dict[tuple[Evidence, ...], Result] = {}

    # ------------------------------------------------------------------ finding evidence

    def evidence(self, name: str = "", scope: str = "", industry: str = "",
                 industry_codes: Iterable[str] = (), node: str = "", position: str = "") -> list[Evidence]:
        name = _norm(name)
        found = [*self._in(name, NAME_WEAK if _TRADE_NAME.search(name) else NAME), *self._in_scope(scope),
                 *self._known(industry, INDUSTRY), *self._known(node, NODE)]
        for code in ("".join(ch for ch in c if ch.isdigit()) for c in industry_codes):
            owners = {link for link_code, links in self._codes.items() if code.startswith(link_code) for link in links}
            if owners:
                found.append(Evidence(code, CODE, frozenset(owners)))
        stage = _STAGES.get(position.strip())
        if stage:
            found.append(Evidence(position.strip(), POSITION,
                                  frozenset(link for link, group in self._group.items() if group[1] == stage)))
        return found

    def _in_scope(self, scope: str) -> list[Evidence]:
        text = _EXCLUSION.sub(";", _norm(scope))
        if self._boilerplate:
            text = self._boilerplate.sub(";", text)
        text = _BRACKET.sub(" ", text)
        found: list[Evidence] = []
        strong = 0
        clauses = self._clauses
        for clause in _CLAUSES.split(text):
            weak, main, later = clauses.get(clause) or self._clause(clause)
            if weak:
                found.extend(main)
            elif weak is not None:
                found.extend(main if strong < MAIN_CLAUSES else later)
                strong += 1
        return found

    def _clause(self, raw: str) -> tuple[bool | None, list[Evidence], list[Evidence]]:
        """A scope clause read once and remembered: whether it is weak (None: it says nothing, being
        empty or negated), and its evidence as one of the main clauses and as a later one."""
        clause = raw.strip(" 、.")
        if not clause or _NEGATED.match(clause):
            self._clauses[raw] = found = (None, [], [])
            return found
        spans = self._spans(clause)
        rest = clause
        for begin, end, _ in spans:  # 智慧零售 is a keyword, not a retail clause
            rest = rest[:begin] + "#" * (end - begin) + rest[end:]
        weak = bool(_LICENCE.search(clause) or (
            _WEAK_WORD.search(rest) and not _MAKING_WORD.search(_WEAK_WORD.sub("#", rest))))  # 技术开发 is not 开发
        keys = [key for _, _, key in spans]
        self._clauses[raw] = found = (weak, *(self._evidence(keys, SCOPE_WEAK if weak else place)
                                             for place in (SCOPE_MAIN, SCOPE)))
        return found

    def _in(self, text: str, place: str) -> list[Evidence]:
        return self._evidence([key for _, _, key in self._spans(text)], place)

    def _known(self, text: str, place: str) -> list[Evidence]:
        """`_in` of a normalised text, remembered: industry and node texts repeat from firm to firm."""
        found = self._texts.get((text, place))
        if found is None:
            found = self._texts[text, place] = self._in(_norm(text), place)
        return found

    def _evidence(self, keys: Iterable[str], place: str) -> list[Evidence]:
        out = []
        for key in keys:
            if (key, place) not in self._found:
                self._found[key, place] = Evidence(self._display[key], place, self._owners[key])
            out.append(self._found[key, place])
        return out

    def _spans(self, text: str) -> list[tuple[int, int, str]]:
        """Keywords in `text` (begin, end, keyword), longest first, none overlapping another."""
        if not text or self._starts is None:
            return []
        spans = []
        for start in self._starts.finditer(text):
            i = start.start()
            for key in (*self._by_start.get(text[i:i + 2], ()), *self._by_start.get(text[i], ())):
                if text.startswith(key, i) and _stands_alone(text, i, i + len(key), key):
                    spans.append((i, i + len(key), key))
                    break
        spans.sort(key=lambda s: (s[0] - s[1], s[0]))
        taken: list[tuple[int, int, str]] = []
        for begin, end, key in spans:
            if all(end <= b or begin >= e for b, e, _ in taken):
                taken.append((begin, end, key))
        return sorted(taken)

    # ------------------------------------------------------------------ deciding

    def classify(self, name: str = "", scope: str = "", industry: str = "",
                 industry_codes: Iterable[str] = (), node: str = "", position: str = "") -> Result:
        return self.decide(self.evidence(name, scope, industry, industry_codes, node, position))

    def decide(self, evidence: Iterable[Evidence]) -> Result:
        """The verdict on a firm's evidence; evidence of two rows of one firm is decided together."""
        evidence = tuple(dict.fromkeys(evidence))
        decided = self._decided.get(evidence)
        if decided is None:
            decided = self._decided[evidence] = self._decide(evidence)
        return decided

    def _decide(self, evidence: tuple[Evidence, ...]) -> Result:
        links = sorted({link for e in evidence if e.place != POSITION for link in e.links})
        if not links:
            return Result("unmatched", evidence=evidence)
        full = {link: self._placement(link, evidence, unique=False) for link in links}
        alone = {link: self._placement(link, evidence, unique=True) for link in links}
        placed = [alone[link] for link in links if alone[link].confidence >= self.threshold]
        leading = [p for p in placed if any(e.place in (NAME, SCOPE_MAIN) for e in p.evidence)]
        placed = leading or placed
        ranked = sorted(full.values(), key=lambda p: (-p.confidence, p.link_id))
        if placed:
            return Result("placed", tuple(sorted(placed, key=lambda p: (-p.confidence, p.link_id))), evidence=evidence)
        contenders = [p for p in ranked if p.confidence >= self.threshold]
        if contenders and (len(contenders) == 1 or contenders[0].confidence - contenders[1].confidence >= self.margin - 1e-9):
            return Result("placed", (contenders[0],), evidence=evidence)
        tied = [p for p in contenders if contenders[0].confidence - p.confidence < self.margin - 1e-9]
        staged = self._by_position(tied, evidence)
        if len(staged) == 1:
            return Result("placed", (staged[0],), evidence=evidence)
        generic = self._generic(staged, evidence)
        if generic:
            return Result("placed", generic, evidence=evidence)
        verdict = "ambiguous" if contenders else "unmatched"
        return Result(verdict, candidates=tuple(contenders or ranked), evidence=evidence)

    @staticmethod
    def _by_position(tied: list[Placement], evidence: tuple[Evidence, ...]) -> list[Placement]:
        """The tied links of the stage the platform gives (产业位置), or all of them without one."""
        stages = [e.links for e in evidence if e.place == POSITION]
        kept = [p for p in tied if stages and p.link_id in stages[0]]
        return kept or tied

    def _generic(self, tied: list[Placement], evidence: tuple[Evidence, ...]) -> tuple[Placement, ...]:
        """Every sibling a generic product names, when the tie is exactly those siblings."""
        ids = frozenset(p.link_id for p in tied)
        if len(ids) < 2 or len({self._group[link] for link in ids}) != 1:
            return ()
        if not any(e.links == ids and e.weight >= self.threshold for e in evidence):
            return ()
        note = f"通用产品，同归{len(ids)}个同级环节"
        return tuple(Placement(p.link_id, p.confidence, p.evidence, note) for p in tied)

    def _placement(self, link: str, evidence: tuple[Evidence, ...], unique: bool) -> Placement:
        own = [e for e in evidence if e.place not in _NOT_A_PRODUCT and link in e.links
               and (not unique or len(e.links) == 1)]
        own.sort(key=lambda e: -e.weight)
        codes = [e for e in evidence if e.place == CODE and link in e.links]
        places = {_kind(e.place) for e in own if e.weight >= _STRONG}
        score = (own[0].weight if own else 0.0) + PLACE_BONUS * max(0, len(places) - 1) + (CODE_BONUS if codes else 0.0)
        counted = own[:1] + [e for e in own[1:] if e.weight >= _STRONG]  # what the score rests on
        return Placement(link, round(min(score, 1.0), 2), (*_distinct(counted), *codes[:1]))


def _kind(place: str) -> str:
    return SCOPE if place in (SCOPE_MAIN, SCOPE, SCOPE_WEAK) else place


def _distinct(evidence: list[Evidence]) -> tuple[Evidence, ...]:
    """One piece of evidence per phrase and place kind, strongest first, at most three."""
    seen, out = set(), []
    for e in evidence:
        if (e.phrase, _kind(e.place)) not in seen:
            seen.add((e.phrase, _kind(e.place)))
            out.append(e)
    return tuple(out[:3])


def _stands_alone(text: str, begin: int, end: int, key: str) -> bool:
    """A Latin keyword must not be part of a longer Latin word (PACK in package, MES in games)."""
    if not key[0].isascii() and not key[-1].isascii():
        return True
    before = text[begin - 1] if begin else " "
    after = text[end] if end < len(text) else " "
    return not (key[0].isascii() and before.isascii() and before.isalnum()) and \
        not (key[-1].isascii() and after.isascii() and after.isalnum())
