"""Department project ledgers, imported into a copy of the shipped data directory.

The fixture files are written here, at test time, in the layouts of the team's reference
(shared/reference/real-files.md, "Project ledgers from departments"), warts included: a title row
stating the units (`（单位：亿元、万元）`), 总投资 in 亿元 beside yearly amounts in 万元, no link column,
no credit codes, builders by name with brackets and company suffixes, months such as `2023.3`,
ranges such as `2023-2025`, `-` for empty, stage words such as 续建项目/新开工/在谈/停止谈判, and a GBK
CSV monthly table whose rows repeat a project month by month.
"""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pytest

import loaders
from chain_graph.analysis.projects import ledger
from chain_graph.model import ProjectStatus
from chain_graph_app.service.importing import import_file
from loaders.ledger import known_status_words, project_key

DATA = Path(__file__).resolve().parent.parent / "data"
LOCAL_CELLS = "91620300JC0000002Y"  # 本地锂电池制造企业, placed on ncm_cell in the shipped data
LOCAL_NICKEL = "91620300JC0000001U"  # 本地镍钴冶炼龙头企业

KEY_HEADER = ["序号", "项目名称", "项目代码", "项目工期", "责任单位", "建设单位", "项目类型", "建设内容", "总投资",
              "年度计划投资", "年度累计完成投资", "年度投资完成率", "建设性质"]
CODE_A, CODE_B, CODE_D, CODE_E, CODE_G = (f"2301-620300-04-01-{n}" for n in (123456, 223344, 334455, 445566, 556677))


def key_rows(month: int) -> list[list[object]]:
    """The city's 重点项目 list as of `month` (3 or 4): amounts in 亿元 (总投资) and 万元 (the rest)."""
    a_done, a_stage = (18000, "新开工") if month == 3 else (24000, "续建")
    rows = [
        [1, "年产5万吨锂电池电解液项目", CODE_A, "2023-2025", "金川区发改局", "金昌某某新材料有限公司", "工业",
         "建设锂电池电解液配制生产线及罐区", 12.5, 30000, a_done, "60%", a_stage],
        [2, "本地锂电池制造企业扩能项目", CODE_B, "2023.3-2024.12", "市工信局", "本地锂电池制造企业有限公司", "工业",
         "新建锂离子电池生产线4条", 8, 20000, 5000 if month == 3 else 9000, "25%", "续建项目"],
        [3, "高纯硫酸镍及三元前驱体项目", "-", "2022—2024年", "-", "本地镍钴冶炼龙头企业（集团）股份有限公司", "工业",
         "建设电池级硫酸镍3万吨、三元前驱体2万吨", 20, 50000, 50000, "100%", "续建"],
        [4, "城区集中供热管网改造项目", CODE_D, "2023", "住建局", "金昌市热力有限责任公司", "基础设施",
         "改造供热管网35公里", 3, 8000, 2000 if month == 3 else 4000, "-", "新开工"],
        [5, "退役动力电池回收利用项目", CODE_E, "2023年", "-", "-", "工业",
         "建设废旧电池回收及梯次利用生产线（危险废物经营）", "6亿元", "1.5亿元", "1亿元", "-", "竣工"],
        [6, "某物流园扩建项目", "-", "2024-2026", "-", "-", "服务业", "-", 2, "-", "-", "-", "扩建"],
    ]
    if month == 4:
        rows = [r for r in rows if r[1] != "高纯硫酸镍及三元前驱体项目"]  # left the list: reported, not deleted
        rows.append([7, "锂电铜箔项目", CODE_G, "2023-2024", "-", "本地电池铜箔企业", "工业", "年产1万吨锂电铜箔",
                     10, 20000, 1000, "5%", "新开工"])
    return rows


def write_xlsx(path: Path, title: list[str], header: list[str], rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    for line in title:
        sheet.append([line])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=len(header))
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def key_list(folder: Path, month: int) -> Path:
    return write_xlsx(folder / f"金昌市2023年重点项目建设进展表（{month}月）.xlsx",
                      [f"金昌市2023年省市重点项目建设进展情况表（截至{month}月底）", "（单位：亿元、万元）"], KEY_HEADER,
                      key_rows(month))


MONTHLY_HEADER = ["月份", "项目名称", "建设单位", "年度计划投资（万元）", "是否开工", "当月已完成投资（万元）",
                  "当月至今已完成（万元）", "土建工程", "设备安装费用", "土地等费用", "投资完成比例", "形象进度", "审核标识"]
MONTHLY = [
    ["2023.3", "年产5万吨锂电池电解液项目", "金昌某某新材料有限公司", 30000, "是", 6000, 18000, 5000, 1000, 0, "60%",
     "主体施工", "已审核"],
    ["2023.4", "年产5万吨锂电池电解液项目", "金昌某某新材料有限公司", 30000, "是", 4000, 22000, 3000, 1000, 0, "73%",
     "设备安装", "已审核"],
    ["2023.4", "本地锂电池制造企业扩能项目", "本地锂电池制造企业有限公司", 20000, "是", 1000, 6000, "-", "-", "-", "30%",
     "厂房封顶", "已审核"],
    ["2023.4", "金昌市氢能产业园项目", "某氢能科技有限公司", 10000, "否", 0, 0, "-", "-", "-", "0%", "未开工，前期手续办理中",
     "未审核"],
]


def monthly(folder: Path) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([MONTHLY_HEADER, *MONTHLY])
    path = folder / "2023年4月重点项目进度月报.csv"
    path.write_bytes(buffer.getvalue().encode("gbk"))
    return path


ATTRACTION_HEADER = ["序号", "项目名称", "投资方", "固定资产投资", "投资方简介", "项目内容", "需用土地", "企业联系人", "联系方式",
                     "片区", "进度、备注", "产业类型", "研判结果"]
ATTRACTION = [
    [1, "年产2万吨六氟磷酸锂项目", "浙江某氟化工股份有限公司", 15, "上市公司，氟化工龙头", "建设六氟磷酸锂生产装置及配套", "200亩",
     "张先生", "138****0000", "河西堡片区", "在谈，已对接3次", "新能源电池", "可行"],
    [2, "铝塑膜生产基地项目", "江苏某新材料有限公司", 5, "-", "软包电池铝塑膜生产线", "100亩", "李女士", "-", "经开区",
     "已签约，正在办理前期手续", "新材料", "推进"],
    [3, "动力电池PACK项目", "某能源科技有限公司", 8, "-", "电池模组及PACK组装", "80亩", "-", "-", "经开区", "停止谈判", "新能源电池",
     "暂缓"],
    [4, "城市商业综合体项目", "某商贸集团", 3, "-", "商业综合体", "50亩", "-", "-", "城区", "待定", "商贸", "待研判"],
]


def attraction(folder: Path) -> Path:
    return write_xlsx(folder / "永昌县招商项目周报台账（第12周）.xlsx", ["永昌县招商引资在谈签约项目台账（单位：亿元）"],
                      ATTRACTION_HEADER, ATTRACTION)


@pytest.fixture
def root(tmp_path) -> Path:
    shutil.copytree(DATA, tmp_path / "data")
    return tmp_path / "data"


def projects(root: Path) -> dict[str, object]:
    result = loaders.load_directory(root)
    assert result.ok, [str(p) for p in result.problems if p.is_error][:3]
    return {p.id: p for p in result.dataset.projects}


def test_a_key_project_list_imports_with_units_dates_statuses_builders_and_links(root):
    before = projects(root)

    report = import_file(key_list(root.parent, 3), "金昌市2023年重点项目建设进展表（3月）.xlsx", root, kind="projects")

    assert report.ok, report.failure
    assert report.family == "key_projects"
    assert (report.counts["read"], report.counts["accepted"], report.counts["rejected"], report.counts["new"]) == (6, 5, 1, 5)
    [rejected] = report.rejected_rows()
    assert (rejected["row"], rejected["column"]) == (9, "status")  # 扩建 names no stage: the row says which words do
    assert "续建" in rejected["hint"] and "停止谈判" in rejected["hint"] and rejected["hint"].endswith(known_status_words())
    got = projects(root)
    assert len(got) == len(before) + 5
    a, b, e = got[CODE_A], got[CODE_B], got[CODE_E]
    c = got[project_key("高纯硫酸镍及三元前驱体项目")]
    # units: 总投资 in 亿元 and the rest in 万元 by the title row; a unit in the cell wins; stored in 亿元
    assert (a.investment, a.year_plan, a.year_done, a.plan_year) == (12.5, 3.0, 1.8, 2023)
    assert (e.investment, e.year_plan, e.year_done) == (6.0, 1.5, 1.0)
    # dates at the precision written; statuses mapped
    assert (str(a.planned_start), str(a.planned_completion)) == ("2023", "2025")
    assert (str(b.planned_start), str(b.planned_completion)) == ("2023-03", "2024-12")
    assert (str(c.planned_start), str(c.planned_completion)) == ("2022", "2024")
    assert [p.status for p in (a, b, c, e)] == [ProjectStatus.STARTED, ProjectStatus.UNDER_CONSTRUCTION,
                                                ProjectStatus.UNDER_CONSTRUCTION, ProjectStatus.OPERATING]
    # builders: matched by normalised name (brackets, 有限公司, 集团), the rest listed, never rejected
    assert (b.firm_id, c.firm_id, a.firm_id) == (LOCAL_CELLS, LOCAL_NICKEL, None)
    assert a.builder == "金昌某某新材料有限公司"
    unmatched = {i["value"] for i in report.rows() if i["section"] == "builder_unmatched"}
    assert unmatched == {"金昌某某新材料有限公司", "金昌市热力有限责任公司"}
    # links from 项目名称 + 建设内容, with the phrase as evidence
    assert a.link_ids == ["electrolyte"] and "电解液" in a.evidence
    assert c.link_ids == ["nickel_sulfate", "ternary_precursor"]
    assert b.link_ids == ["ncm_cell"]  # generic 锂离子电池: the builder's own cell link
    assert e.link_ids == ["battery_recycling"]  # the licence item in brackets does not count
    review = {r["project_id"]: r for r in report.review_rows()}
    assert set(review) == {CODE_D} and review[CODE_D]["verdict"] == "unmatched"


def test_partial_dates_and_the_yearly_rate(root):
    import_file(key_list(root.parent, 3), "key.xlsx", root, kind="projects")
    imported = [p for p in projects(root).values() if (p.source or "").startswith("import:")]

    books = ledger(imported, date(2023, 12, 31))

    year = books.rate("year_completion")
    plans = [p for p in imported if p.plan_year == 2023 and p.year_plan and p.year_done is not None]
    assert year.year == 2023 and year.projects == len(plans) == 5
    assert year.value == pytest.approx((1.8 + 0.5 + 5 + 0.2 + 1) / (3 + 2 + 5 + 0.8 + 1.5))
    assert books.rate("investment_completion").value is None  # the list has no cumulative amount: n/a, not 0
    # a start planned for 2023-03 is due once March is over, not before
    b = next(p for p in imported if p.id == CODE_B)
    assert ledger([b], date(2023, 3, 30)).rate("start_rate").projects == 0
    assert ledger([b], date(2023, 3, 31)).rate("start_rate").value == 1.0


def test_next_month_updates_without_duplicates_and_reports_what_left(root):
    import_file(key_list(root.parent, 3), "key-03.xlsx", root, kind="projects")
    count = len(projects(root))

    report = import_file(key_list(root.parent, 4), "key-04.xlsx", root, kind="projects")

    got = projects(root)
    assert len(got) == count + 1  # 锂电铜箔项目 is new; nothing twice
    assert (report.counts["new"], report.counts["updated"]) == (1, 4)  # A, B, D changed; E only its source
    assert got[CODE_A].status is ProjectStatus.UNDER_CONSTRUCTION and got[CODE_A].year_done == 2.4
    assert got[CODE_G].link_ids == ["copper_foil"]
    [missing] = [i for i in report.rows() if i["section"] == "missing"]
    assert missing["value"] == project_key("高纯硫酸镍及三元前驱体项目") and "高纯硫酸镍" in missing["message"]
    assert project_key("高纯硫酸镍及三元前驱体项目") in got  # reported, not deleted
    names = [p.name for p in got.values()]
    assert len(names) == len(set(names))


def test_a_monthly_progress_table_updates_the_key_projects_by_name(root):
    import_file(key_list(root.parent, 3), "key.xlsx", root, kind="projects")
    count = len(projects(root))

    report = import_file(monthly(root.parent), "2023年4月重点项目进度月报.csv", root, kind="projects")

    assert report.ok and report.family == "monthly_progress"
    got = projects(root)
    assert len(got) == count + 1  # the 氢能 project is new; the others are the key list's, matched by name
    a = got[CODE_A]
    assert (a.year_plan, a.year_done, a.plan_year) == (3.0, 2.2, 2023)  # April's 当月至今已完成 (万元) wins over March's
    assert got[CODE_B].status is ProjectStatus.UNDER_CONSTRUCTION  # 是否开工=是 does not turn 续建 back into 开工
    hydrogen = got[project_key("金昌市氢能产业园项目")]
    assert hydrogen.status is ProjectStatus.PLANNING and hydrogen.link_ids == ["hydrogen"]  # 是否开工=否 → 前期
    assert not [i for i in report.rows() if i["section"] == "merged"]  # a project month by month is no repeat


def test_an_attraction_ledger_reads_stage_words_from_its_progress_notes(root):
    report = import_file(attraction(root.parent), "招商台账.xlsx", root, kind="projects")

    assert report.ok and report.family == "attraction"
    got = {p.name: p for p in projects(root).values()}
    lipf6, film, pack = got["年产2万吨六氟磷酸锂项目"], got["铝塑膜生产基地项目"], got["动力电池PACK项目"]
    assert [p.status for p in (lipf6, film, pack)] == [
        ProjectStatus.NEGOTIATING, ProjectStatus.SIGNED, ProjectStatus.TERMINATED]
    assert (lipf6.investment, lipf6.builder) == (15.0, "浙江某氟化工股份有限公司")
    assert (lipf6.link_ids, film.link_ids, pack.link_ids) == (["lipf6"], ["aluminum_laminate_film"], ["battery_pack"])
    [rejected] = report.rejected_rows()
    assert rejected["row"] == 6 and rejected["column"] == "status" and "待定" in rejected["value"]


def test_manual_project_placements_survive_re_imports(root):
    report = import_file(key_list(root.parent, 3), "key.xlsx", root, kind="projects")
    [row] = report.review_rows()
    (root / "project_placements.csv").write_text(
        f"project_id,link_id,action,note\n{row['project_id']},substation_grid,add,供热配套电网\n"
        f"{CODE_A},electrolyte,remove,只建罐区\n{CODE_A},carbonate_solvent,add,实为溶剂项目\n", encoding="utf-8-sig")

    for name in ("key-03.xlsx", "key-04.xlsx"):
        report = import_file(key_list(root.parent, 3 if name == "key-03.xlsx" else 4), name, root, kind="projects")
        got = projects(root)
        assert got[CODE_D].link_ids == ["substation_grid"]
        assert got[CODE_D].evidence == "人工指定（project_placements.csv第2行）：供热配套电网"
        assert got[CODE_A].link_ids == ["carbonate_solvent"]
        assert report.counts["fixes_applied"] == 3 and "review" not in report.counts


def test_a_planning_card_adds_foreign_investment_converted_from_wan_usd(root):
    """项目谋划 card: 拟投资额 in two columns, 内资 in 亿元 and 外资 in 万美元 (chain_graph.rules' rate)."""
    header = ["项目名称", "投资方名称", "拟投资额(内资-亿元)", "拟投资额(外资-万美元)", "税金(亿元/年)", "项目状态"]
    path = write_xlsx(root.parent / "项目谋划卡.xlsx", [], header, [
        ["年产1万吨六氟磷酸锂项目", "某外资氟化工有限公司", 2, 1000, 0.1, "在谈"],
        ["电解液添加剂项目", "某外资化学有限公司", "-", 500, "-", "在谈"],
    ])

    report = import_file(path, path.name, root, kind="projects")

    assert report.ok, report.failure_text("en")
    got = {p.name: p for p in projects(root).values()}
    assert got["年产1万吨六氟磷酸锂项目"].investment == pytest.approx(2 + 1000e-4 * 7.1)  # 1000万美元 ≈ 0.71亿元
    assert got["电解液添加剂项目"].investment == pytest.approx(500e-4 * 7.1)
    notes = [i["message"] for i in report.rows("en") if i["section"] == "note"]
    assert any("拟投资额(外资-万美元) says 1000 (万美元)" in n and "0.71" in n for n in notes), notes
