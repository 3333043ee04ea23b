"""Every enterprise-platform layout of the team's reference (shared/reference/real-files.md), written
here at test time with its warts, imported into a copy of the shipped data directory.

天眼查 高级搜索 (.xlsx, and the same zipped with a GBK member name): a merged disclaimer in row 1,
headers in row 2, `-` for empty, 企业规模 as L/M/S/XS. 企查查's 27-column list (GBK CSV) and its
37-column batch-match export with 原文件导入名称 beside 系统匹配企业名称. A 企查查 industrial-chain
workbook: the chain sheet (公司名称, ID, 分类 levels, 产业链节点, 产业位置, 融资上市), 基础信息 (the
37 columns) and a 荣誉 sheet. 爱企查's old-format .xls (written with xlwt), data a few rows down.
"""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

import loaders
from chain_graph.model import FirmScale, FirmStatus
from chain_graph_app.service.importing import import_file
from tests.conftest import code

DATA = Path(__file__).resolve().parent.parent / "data"

TYC = ["公司名称", "登记状态", "法定代表人", "企业规模", "注册资本", "实缴资本", "成立日期", "核准日期", "营业期限", "所属省份",
       "所属城市", "所属区县", "公司类型", "国标行业门类", "国标行业大类", "国标行业中类", "曾用名", "英文名", "统一社会信用代码",
       "纳税人识别号", "注册号", "组织机构代码", "参保人数", "参保人数所属年报", "有效手机号", "更多电话", "注册地址", "最新年报地址",
       "通信地址", "网址", "邮箱", "其他邮箱", "经营范围"]
QCC27 = ["企业名称", "经营状态", "法定代表人", "注册资本", "实缴资本", "成立日期", "核准日期", "营业期限", "所属省份", "所属城市",
         "所属区县", "电话", "更多电话", "邮箱", "更多邮箱", "统一社会信用代码", "纳税人识别号", "工商注册号", "组织机构代码", "参保人数",
         "企业类型", "所属行业", "曾用名", "注册地址", "最新年报地址", "网址", "经营范围"]
QCC37 = ["原文件导入名称", "登记状态", "法定代表人", "企业规模", "注册资本", "实缴资本", "成立日期", "核准日期", "营业期限", "所属省份",
         "所属城市", "所属区县", "企业(机构)类型", "国标行业门类", "国标行业大类", "国标行业中类", "国标行业小类", "曾用名", "英文名",
         "统一社会信用代码", "纳税人识别号", "注册号", "组织机构代码", "参保人数", "参保人数所属年报", "电话", "更多电话", "企业地址",
         "通信地址", "官网", "邮箱", "更多邮箱", "经营范围", "登记机关", "纳税人资质", "企业简介", "最新年报年份"]
CHAIN = ["公司名称", "ID", "一级分类", "二级分类", "三级分类", "四级分类", "五级分类", "六级分类", "七级分类", "八级分类", "产业链节点",
         "产业位置", "产业关联性", "融资上市"]
BOILER = "一般项目：技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；货物进出口。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"
DISCLAIMER = "免责声明：本文件数据来源于公开信息，仅供参考，不构成任何投资建议。"

FIRMS = {  # credit code → (name, scope, the link it must land on, or None for a trader)
    code(501, "440300"): ("深圳某电解液科技有限公司", "许可项目：危险化学品生产；" + "一般项目：锂电池电解液配制与销售；" + BOILER,
                          "electrolyte"),
    code(502, "320500"): ("苏州某隔膜材料股份有限公司", "锂离子电池隔膜的研发、生产、销售；" + BOILER, "separator"),
    code(503, "510100"): ("成都某化工贸易有限公司", "化工产品批发、零售；电解液、六氟磷酸锂销售；进出口代理", None),
    code(504, "630100"): ("青海某锂业有限公司", "电池级碳酸锂、氢氧化锂的生产与销售；" + BOILER, "lithium_salts"),
}


def rows(layout: list[str], **extra) -> list[list[str]]:
    """The FIRMS in `layout`, '-' where a platform has nothing to say."""
    out = []
    for i, (firm_id, (name, scope, _)) in enumerate(FIRMS.items()):
        values = {"公司名称": name, "企业名称": name, "原文件导入名称": name[:4] + "公司", "统一社会信用代码": firm_id,
                  "登记状态": "存续（在营、开业、在册）", "经营状态": "在业", "注册资本": "5000万人民币", "实缴资本": "3000万元人民币",
                  "成立日期": "2015-06-01", "所属省份": "广东省", "所属城市": "深圳市", "企业规模": ["L", "M", "S", "XS"][i],
                  "参保人数": ["120", "35", "-", "8"][i], "经营范围": scope, **{k: v[i] for k, v in extra.items()}}
        out.append([values.get(h, "-") for h in layout])
    return out


def xlsx(path: Path, sheets: dict[str, list[list[str]]], disclaimer: bool = False) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, table in sheets.items():
        sheet = book.create_sheet(title)
        if disclaimer:
            sheet.append([DISCLAIMER])
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(table[0]))
        for row in table:
            sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def root(tmp_path) -> Path:
    shutil.copytree(DATA, tmp_path / "data")
    return tmp_path / "data"


def firms(root: Path):
    result = loaders.load_directory(root)
    assert result.ok, [str(p) for p in result.problems if p.is_error][:3]
    ds = result.dataset
    links: dict[str, set[str]] = {}
    for placement in ds.operates_in:
        links.setdefault(placement.firm_id, set()).add(placement.link_id)
    return {f.id: f for f in ds.firms}, links


def assert_placed(root: Path) -> None:
    _, links = firms(root)
    for firm_id, (_, _, link) in FIRMS.items():
        assert links.get(firm_id, set()) == ({link} if link else set()), FIRMS[firm_id][0]


def test_tianyancha_xlsx_with_its_disclaimer_row_and_dashes(root):
    path = xlsx(root.parent / "天眼查高级搜索导出.xlsx", {"高级搜索": [TYC, *rows(TYC)]}, disclaimer=True)

    report = import_file(path, path.name, root)

    assert report.ok and report.counts["accepted"] == 4 and not report.rejected_rows()
    assert report.sheets == ["高级搜索"]
    got, _ = firms(root)
    first, third = got[code(501, "440300")], got[code(503, "510100")]
    assert (first.scale, first.insured, first.paid_in_capital) == (FirmScale.LARGE, 120, 3000)
    assert (third.scale, third.insured) == (FirmScale.SMALL, None)  # '-' is empty, never 0
    assert first.status is FirmStatus.ACTIVE
    assert_placed(root)


def test_tianyancha_zip_with_a_gbk_member_name(root):
    inner = xlsx(root.parent / "inner.xlsx", {"高级搜索": [TYC, *rows(TYC)]}, disclaimer=True).read_bytes()
    path = root.parent / "天眼查导出.zip"
    with zipfile.ZipFile(path, "w") as archive:
        member = zipfile.ZipInfo("高级搜索导出.xlsx".encode("gbk").decode("cp437"))  # as Windows zip tools write it
        archive.writestr(member, inner)

    report = import_file(path, path.name, root)

    assert report.ok and report.counts["accepted"] == 4
    assert_placed(root)


def test_qichacha_27_column_gbk_csv(root):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([QCC27, *rows(QCC27, 所属行业=["化学原料和化学制品制造业"] * 4)])
    path = root.parent / "企查查导出.csv"
    path.write_bytes(buffer.getvalue().encode("gbk"))

    report = import_file(path, path.name, root)

    assert report.ok and report.counts["accepted"] == 4 and report.columns["实缴资本"] == "paid_in_capital"
    assert_placed(root)


def test_qichacha_37_column_batch_match_prefers_the_matched_name(root):
    header = [*QCC37[:1], "系统匹配企业名称", *QCC37[1:]]
    table = rows(header, 系统匹配企业名称=[name for name, _, _ in FIRMS.values()])
    path = xlsx(root.parent / "企查查批量匹配.xlsx", {"Sheet1": [header, *table]})

    report = import_file(path, path.name, root)

    assert report.ok and report.counts["accepted"] == 4
    got, _ = firms(root)
    assert got[code(502, "320500")].name == "苏州某隔膜材料股份有限公司"  # not the uploaded 苏州某隔公司
    assert got[code(503, "510100")].scale is FirmScale.SMALL
    assert_placed(root)


def test_qichacha_chain_workbook_uses_its_chain_node_and_sheets(root):
    lipf6, cells = code(511, "350100"), code(512, "350100")
    chain = [CHAIN,
             ["福建某氟新材料有限公司", lipf6, "新能源", "锂电池", "电池材料", "电解液材料", "-", "-", "-", "-", "六氟磷酸锂", "中游",
              "强", "A股上市"],
             ["福建某新能源有限公司", cells, "新能源", "锂电池", "-", "-", "-", "-", "-", "-", "锂电池电芯", "下游", "强", "B轮"]]
    basics = [QCC37,
              [("福建某氟新材料有限公司" if h == "原文件导入名称" else lipf6 if h == "统一社会信用代码" else
                BOILER if h == "经营范围" else "大型" if h == "企业规模" else "-") for h in QCC37],
              [("福建某新能源有限公司" if h == "原文件导入名称" else cells if h == "统一社会信用代码" else
                "锂离子电池制造；" + BOILER if h == "经营范围" else "-") for h in QCC37]]
    honours = [["公司名称", "荣誉名称", "级别"], ["福建某氟新材料有限公司", "专精特新小巨人", "国家级"]]
    path = xlsx(root.parent / "企查查产业链-新能源电池.xlsx", {"产业链": chain, "基础信息": basics, "荣誉": honours})

    report = import_file(path, path.name, root)

    assert report.ok and report.sheets == ["产业链", "基础信息"]  # 荣誉 has no credit code: skipped
    assert (report.counts["accepted"], report.counts["records"]) == (4, 2) and "merged" not in {
        i["section"] for i in report.rows()}  # one firm in two sheets is no repeat
    got, links = firms(root)
    assert links[lipf6] == {"lipf6"}  # from 产业链节点 alone: the scope is boilerplate
    assert got[lipf6].scale is FirmScale.LARGE and "上市" in got[lipf6].tags and got[lipf6].financing == "A股上市"
    assert links[cells] == {"ncm_cell", "lfp_cell"}  # a generic 锂离子电池 maker counts on both cell links
    assert got[cells].financing == "B轮" and "上市" not in got[cells].tags


def test_aiqicha_xls_data_a_few_rows_down(root):
    xlwt = pytest.importorskip("xlwt", reason="xlwt writes the .xls fixture (test extra in pyproject.toml)")
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("批量查询导出数据")
    header = ["企业名称", "统一社会信用代码", "经营状态", "法定代表人", "注册资本", "成立日期", "所属省份", "所属城市", "参保人数",
              "经营范围"]
    lines = [["爱企查 批量查询导出数据"], ["导出时间：2024-05-01 10:00"], [], header,
             *[[name, firm_id, "开业", "-", "1000万(元)", "2019/1/1", "广东省", "深圳市", "12人", scope]
               for firm_id, (name, scope, _) in FIRMS.items()]]
    for r, line in enumerate(lines):
        for c, value in enumerate(line):
            sheet.write(r, c, value)
    path = root.parent / "批量查询数据导出-【爱企查】-D20240501.xls"
    book.save(str(path))

    report = import_file(path, path.name, root)

    assert report.ok and report.counts["accepted"] == 4 and not report.rejected_rows()
    assert {i["row"] for i in report.rows()} <= set(range(5, 9))  # rows keep their Excel numbers
    got, _ = firms(root)
    assert (got[code(504, "630100")].insured, got[code(504, "630100")].registered_capital) == (12, 1000)
    assert_placed(root)


def test_row_messages_of_a_workbook_name_the_sheet(root):
    bad = code(513, "350100")[:-1] + "0"  # a wrong check digit
    chain = [CHAIN, ["福建某新能源有限公司", bad, *["-"] * 8, "锂电池电芯", "下游", "强", "-"]]
    basics = [QCC37, [("福建某新能源有限公司" if h == "原文件导入名称" else bad if h == "统一社会信用代码" else
                       "锂离子电池制造；" + BOILER if h == "经营范围" else "-") for h in QCC37],
              [("某某公司" if h == "原文件导入名称" else code(514, "350100") if h == "统一社会信用代码" else "-")
               for h in QCC37]]
    path = xlsx(root.parent / "企查查产业链.xlsx", {"产业链": chain, "基础信息": basics})

    report = import_file(path, path.name, root)

    rejected = [(i["sheet"], i["row"], i["column"]) for i in report.rows() if i["section"] == "rejected"]
    assert rejected == [("产业链", 2, "id"), ("基础信息", 2, "id")]
