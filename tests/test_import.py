"""loaders.importing.import_file on generated platform-style files: GBK CSV, UTF-8-BOM CSV, XLSX.

Every test starts from a small valid data directory (one chain, one local firm) and imports a
file written the way 企查查/天眼查 exports look: Chinese headers, decorated statuses, capital as
'5000万元人民币', boilerplate-laden business scopes.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

import loaders
from chain_graph.analysis.gaps import chain_gaps
from chain_graph.settings import AnalysisSettings
from chain_graph.analysis.targets import chain_targets
from chain_graph.model import FirmStatus
from chain_graph.store.memory import MemoryStore
from chain_graph_app.service.importing import import_file
from tests.conftest import code

REGION = "province: 甘肃省\ncity: 金昌市\nneighbours: [青海省]\n"
CHAIN = """\
id: battery
name: 电池
links:
  - {id: nickel_sulfate, name: 硫酸镍, stage: 上游, unit: 万吨, keywords: [硫酸镍, 电池级硫酸镍, 电池材料], industry_codes: ["2613"]}
  - {id: electrolyte, name: 电解液, stage: 中游, keywords: [电解液, 锂离子电池电解液], industry_codes: ["3985"]}
  - {id: separator, name: 隔膜, stage: 中游, keywords: [锂电池隔膜, 湿法隔膜, 电池材料]}
  - {id: ncm_cell, name: 三元电芯, stage: 下游, keywords: [三元锂电池, 锂离子电池, 电芯], industry_codes: ["3841"]}
  - {id: lfp_cell, name: 磷酸铁锂电芯, stage: 下游, keywords: [磷酸铁锂电池, 锂离子电池, 电芯], industry_codes: ["3841"]}
feeds:
  - {from: nickel_sulfate, to: ncm_cell}
  - {from: electrolyte, to: ncm_cell}
  - {from: separator, to: lfp_cell}
"""
LOCAL = code(1)
FIRMS = f"id,name,status,province,city,tags\n{LOCAL},本地电芯厂,在业,甘肃省,金昌市,链主\n"
FIRM_LINKS = f"firm_id,link_id,capacity,evidence,source\n{LOCAL},ncm_cell,,年报,manual\n"

HEADER = ["企业名称", "统一社会信用代码", "登记状态", "法定代表人", "注册资本", "成立日期", "所属省份", "所属城市",
          "所属区县", "企业类型", "国标行业", "经营范围", "企业标签", "是否上市", "电话"]
BOILERPLATE = "技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；货物进出口"
TAIL = "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"
ELECTROLYTE, SEPARATOR, NICKEL, BLANK, CELLS, SAME_A, SAME_B = (code(n, "440300") for n in range(101, 108))


def firm(code_: str, name: str, scope: str = "", **cells: str) -> dict[str, str]:
    """A platform row; cells given by their Chinese header override the defaults."""
    return {"企业名称": name, "统一社会信用代码": code_, "登记状态": "存续（在营、开业、在册）", "法定代表人": "张三",
            "注册资本": "5000万元人民币", "成立日期": "2012-11-02", "所属省份": "广东省", "所属城市": "深圳市",
            "所属区县": "南山区", "企业类型": "有限责任公司", "国标行业": "制造业",
            "经营范围": f"一般项目：{scope}；{BOILERPLATE}。{TAIL}" if scope else f"一般项目：{BOILERPLATE}。{TAIL}",
            "企业标签": "", "是否上市": "否", "电话": "0755-88888888", **cells}


STANDARD = [
    firm(ELECTROLYTE, "深圳锂电新材料有限公司", "锂离子电池电解液的研发、生产", 国标行业="C3985 电子专用材料制造",
         企业标签="高新技术企业"),
    firm(SEPARATOR, "江苏某隔膜有限公司", "湿法隔膜生产", 登记状态="注销企业", 所属省份="江苏省", 所属城市="苏州市"),
    firm(NICKEL, "青海某镍业有限公司", "电池级硫酸镍生产", 所属省份="青海省", 所属城市="西宁市",
         企业标签="专精特新小巨人;高新技术企业", 是否上市="是"),
    firm(BLANK, "某某科技有限公司"),
    firm(CELLS, "某某能源有限公司", "电池材料制造"),  # a keyword of two links of different stages: ambiguous
    firm(ELECTROLYTE, "深圳锂电新材料有限公司", "电解液销售", 企业标签="高新技术企业;专精特新", 所属区县=""),
]


def make_dir(root: Path, **files: str | None) -> Path:
    for name, text in {"region.yaml": REGION, "chains/battery.yaml": CHAIN, "firms.csv": FIRMS,
                       "firm_links.csv": FIRM_LINKS, **files}.items():
        if text is not None:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
    return root


def write(path: Path, rows: list[dict], fmt: str = "gbk", above: list[list[str]] = (), header=HEADER) -> Path:
    """The rows as a platform export: CSV in `fmt` encoding, or XLSX (`fmt` = 'xlsx'), `above` rows over the header."""
    table = [*above, list(header), *[[r.get(h, "") for h in header] for r in rows]]
    if fmt == "xlsx":
        book = openpyxl.Workbook()
        book.active.title = "企业列表"
        for values in table:
            book.active.append(values)
        book.save(path)
    else:
        buffer = io.StringIO()
        csv.writer(buffer).writerows(table)
        path.write_bytes(buffer.getvalue().encode(fmt))
    return path


def table(root: Path, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((root / name).read_text(encoding="utf-8-sig"))))


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root` (a staging folder left behind would show too)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not (p.parent.name == ".chain-graph" and p.suffix == ".lock")}  # the lock files stay


def loaded(root: Path):
    result = loaders.load_directory(root)
    assert result.ok, [str(p) for p in result.problems]
    return result.dataset


@pytest.fixture
def root(tmp_path) -> Path:
    return make_dir(tmp_path / "data")


def run(root: Path, rows: list[dict], fmt: str = "gbk", name: str = "企查查导出.csv", **options):
    path = write(root.parent / name, rows, fmt)
    return import_file(path, name, root, **options)


# ------------------------------------------------------------------------------ formats and headers


@pytest.mark.parametrize("fmt, name", [("gbk", "qcc.csv"), ("gb18030", "qcc.csv"), ("utf-8-sig", "qcc.csv"),
                                       ("utf-8", "qcc.csv"), ("xlsx", "qcc.xlsx")])
def test_each_format_imports_the_same_firms(root, fmt, name):
    report = run(root, STANDARD, fmt, name)

    assert report.ok, report.failure_text("en")
    assert report.counts == {
        "read": 6, "accepted": 6, "rejected": 0, "merged": 1, "records": 5, "new": 5, "placements_added": 3,
        "classified": 3, "inactive": 1, "unclassified": 2,
    }
    assert report.written == ["firms.csv", "firm_links.csv"]
    ds = loaded(root)
    assert {f.id for f in ds.firms} == {LOCAL, ELECTROLYTE, SEPARATOR, NICKEL, BLANK, CELLS}
    assert report.columns["经营范围"] == "scope" and report.columns["是否上市"] == "listed"
    assert report.ignored == ["电话"]


def test_tab_and_semicolon_delimited_csv_are_sniffed(root):
    text = "\n".join(";".join(f'"{c}"' for c in r) for r in
                     [HEADER, *[[row.get(h, "") for h in HEADER] for row in STANDARD[:3]]])
    (root.parent / "x.csv").write_text(text, encoding="utf-8-sig")
    assert import_file(root.parent / "x.csv", "x.csv", root).counts["accepted"] == 3


def test_xlsx_sheet_is_chosen_and_title_rows_above_the_header_are_skipped(root):
    path = write(root.parent / "tyc.xlsx", STANDARD[:2], "xlsx", above=[["天眼查 企业列表导出"], ["导出时间：2024-05-01"]])
    book = openpyxl.load_workbook(path)
    book.create_sheet("说明", 0).append(["本表由平台生成"])
    book.save(path)

    report = import_file(path, "tyc.xlsx", root, sheet="企业列表")

    assert report.counts["accepted"] == 2
    assert {i.row for i in report.issues} <= {4, 5}  # rows keep their Excel numbers
    assert "no sheet 不存在" in import_file(path, "tyc.xlsx", root, sheet="不存在").failure_text("en")


def test_platform_header_variants_are_read(root):
    header = ["公司名称", "统一社会信用代码", "经营状态", "法定代表人（负责人）", "注册资本(万元)", "成立时间", "省份", "城市", "区县",
              "公司类型", "所属行业", "经营范围"]
    rows = [{"公司名称": "深圳锂电新材料有限公司", "统一社会信用代码": ELECTROLYTE, "经营状态": "在业", "注册资本(万元)": "5000",
             "成立时间": "2012年11月2日", "省份": "广东省", "城市": "深圳市", "所属行业": "电子专用材料制造",
             "经营范围": "锂离子电池电解液生产"}]
    path = write(root.parent / "tyc.csv", rows, "gbk", header=header)

    report = import_file(path, "tyc.csv", root)

    assert report.ok and report.ignored == []
    assert report.columns == {
        "公司名称": "name", "统一社会信用代码": "id", "经营状态": "status", "法定代表人（负责人）": "legal_rep",
        "注册资本(万元)": "registered_capital", "成立时间": "founded", "省份": "province", "城市": "city",
        "区县": "district", "公司类型": "company_type", "所属行业": "industry", "经营范围": "scope",
    }
    [f] = [f for f in loaded(root).firms if f.id == ELECTROLYTE]
    assert (f.registered_capital, str(f.founded), f.province) == (5000, "2012-11-02", "广东省")


def test_a_mapping_names_headers_no_platform_uses(root):
    rows = [{"公司全称": "深圳锂电新材料有限公司", "信用编码": ELECTROLYTE, "主营": "锂离子电池电解液生产"}]
    path = write(root.parent / "own.csv", rows, "utf-8-sig", header=["公司全称", "信用编码", "主营"])

    report = import_file(path, "own.csv", root, mapping={"公司全称": "name", "信用编码": "id", "主营": "scope"})

    assert report.ok and report.counts["classified"] == 1
    bad = import_file(path, "own.csv", root, mapping={"公司全称": "title"})
    assert "unknown column(s) title" in bad.failure_text("en")


def test_a_file_without_the_key_columns_fails_naming_the_headers_it_accepts(root):
    path = write(root.parent / "x.csv", [{"名字": "某公司"}], header=["名字", "电话"])

    report = import_file(path, "x.csv", root)

    assert not report.ok
    assert "no column for id、name" in report.failure_text("en") and "统一社会信用代码" in report.failure_text("en")
    assert "--mapping" in report.failure_text("en")


# ------------------------------------------------------------------------------ cleaning


@pytest.mark.parametrize("written, amount, currency", [
    ("5000万元人民币", 5000, "CNY"), ("1000万美元", 1000, "USD"), ("5,000.00万元", 5000, "CNY"),
    ("5000.000000万人民币", 5000, "CNY"), ("5000万(元)", 5000, "CNY"), ("1.2亿元", 12000, "CNY"),
    ("300万港元", 300, "HKD"), ("５０００万元", 5000, "CNY"), ("-", None, "CNY"), ("", None, "CNY"),
])
def test_registered_capital(root, written, amount, currency):
    run(root, [firm(ELECTROLYTE, "某公司", 注册资本=written)])
    [f] = [f for f in loaded(root).firms if f.id == ELECTROLYTE]
    assert (f.registered_capital, f.capital_currency) == (amount, currency)


@pytest.mark.parametrize("written", ["2012-11-02", "2012/11/2", "2012.11.02", "2012年11月2日", "20121102",
                                     "2012-11-02 00:00:00", "２０１２年１１月２日"])
def test_founding_dates(root, written):
    run(root, [firm(ELECTROLYTE, "某公司", 成立日期=written)])
    [f] = [f for f in loaded(root).firms if f.id == ELECTROLYTE]
    assert str(f.founded) == "2012-11-02"
    assert table(root, "firms.csv")[-1]["founded"] == "2012-11-02"  # one date form in the table


@pytest.mark.parametrize("written, status", [
    ("存续", FirmStatus.ACTIVE), ("在业", FirmStatus.ACTIVE), ("存续（在营、开业、在册）", FirmStatus.ACTIVE),
    ("在营（开业）企业", FirmStatus.ACTIVE), ("存续/在业", FirmStatus.ACTIVE), ("开业", FirmStatus.ACTIVE),
    ("注销", FirmStatus.DEREGISTERED), ("注销企业", FirmStatus.DEREGISTERED), ("已注销", FirmStatus.DEREGISTERED),
    ("吊销", FirmStatus.REVOKED), ("吊销，未注销", FirmStatus.REVOKED), ("吊销,未注销", FirmStatus.REVOKED),
    ("迁出", FirmStatus.MOVED_OUT), ("停业", FirmStatus.SUSPENDED), ("清算", FirmStatus.LIQUIDATING),
    ("", FirmStatus.ACTIVE),
])
def test_statuses(root, written, status):
    run(root, [firm(ELECTROLYTE, "某公司", 登记状态=written)])
    [f] = [f for f in loaded(root).firms if f.id == ELECTROLYTE]
    assert f.status is status


def test_whitespace_full_width_and_placeholders(root):
    run(root, [firm(ELECTROLYTE.lower(), "  深圳　锂电   新材料（ＡＢＣ）有限公司 ", 所属省份=" 广东省 ", 所属区县="-",
                    成立日期="--", 企业标签="暂无")])
    [f] = [f for f in loaded(root).firms if f.id == ELECTROLYTE]  # the code is upper-cased
    assert f.name == "深圳 锂电 新材料(ABC)有限公司"
    assert (f.province, f.district, f.founded, f.tags) == ("广东省", None, None, [])


def test_tags_from_the_platform_and_the_listed_flag(root):
    run(root, STANDARD)
    [f] = [f for f in loaded(root).firms if f.id == NICKEL]
    assert f.tags == ["专精特新", "高新技术企业", "上市"]


# ------------------------------------------------------------------------------ rejected rows

GOOD = firm(ELECTROLYTE, "深圳锂电新材料有限公司", "电解液生产")
CHECK = ELECTROLYTE[:-1] + ("0" if ELECTROLYTE[-1] != "0" else "1")


@pytest.mark.parametrize("change, column, words", [
    ({"统一社会信用代码": ""}, "id", ["credit code is missing"]),
    ({"统一社会信用代码": "-"}, "id", ["credit code is missing"]),
    ({"统一社会信用代码": ELECTROLYTE[:-1]}, "id", ["17 characters"]),
    ({"统一社会信用代码": ELECTROLYTE[:8] + "I" + ELECTROLYTE[9:]}, "id", ["I", "not allowed"]),
    ({"统一社会信用代码": CHECK}, "id", ["check digit", f"should be {ELECTROLYTE[-1]}"]),
    ({"企业名称": ""}, "name", ["firm name is missing"]),
    ({"登记状态": "营业中"}, "status", ["unknown status 营业中"]),
    ({"注册资本": "五千万元"}, "registered_capital", ["五千万元 is not an amount"]),
    ({"注册资本": "5000万英镑"}, "registered_capital", ["is not an amount"]),
    ({"成立日期": "2012-13-02"}, "founded", ["2012-13-02 is not a date"]),
    ({"企业名称": "=HYPERLINK(\"http://x\")"}, "name", ["starts with =", "formula"]),
    ({"企业名称": "+cmd"}, "name", ["starts with +"]),
    ({"所属城市": "@SUM(A1)"}, "city", ["starts with @"]),
    ({"企业标签": "-1+1"}, "tags", ["starts with -"]),
])
def test_each_reject_reason(root, change, column, words):
    before = (root / "firms.csv").read_bytes()
    report = run(root, [{**GOOD, **change}, firm(NICKEL, "青海某镍业有限公司", "硫酸镍生产")])

    assert report.ok and report.counts["rejected"] == 1 and report.counts["accepted"] == 1
    [issue] = report.rejected_rows("en")
    assert (issue["row"], issue["column"]) == (2, column)
    assert all(w in issue["message"] for w in words), issue["message"]
    assert issue["hint"]
    assert ELECTROLYTE not in {f.id for f in loaded(root).firms}
    assert (root / "firms.csv").read_bytes() != before


def test_a_row_with_several_problems_lists_each(root):
    report = run(root, [{**GOOD, "登记状态": "营业中", "注册资本": "很多", "成立日期": "昨天"}])
    assert sorted(i["column"] for i in report.rejected_rows()) == ["founded", "registered_capital", "status"]
    assert report.counts["rejected"] == 1


def test_nothing_accepted_changes_nothing(root):
    before = snapshot(root)
    report = run(root, [{**GOOD, "统一社会信用代码": CHECK}])
    assert not report.ok and report.written == []
    assert snapshot(root) == before


# ------------------------------------------------------------------------------ merging


def test_duplicates_by_credit_code_are_merged_and_reported(root):
    report = run(root, STANDARD)

    [merged] = [i for i in report.issues if i.section == "merged"]
    assert (merged.row, merged.value) == (7, ELECTROLYTE) and "same id as row 2" in merged.message.text("en")
    rows = [r for r in table(root, "firms.csv") if r["id"] == ELECTROLYTE]
    assert len(rows) == 1 and rows[0]["district"] == "南山区" and rows[0]["tags"] == "高新技术企业;专精特新"


def test_a_name_shared_by_two_codes_is_kept_apart(root):
    report = run(root, [firm(ELECTROLYTE, "同名有限公司", "电解液生产"), firm(NICKEL, "同名有限公司", "硫酸镍生产")])

    [apart] = [i for i in report.issues if i.section == "kept_apart"]
    assert apart.row == 3 and ELECTROLYTE in apart.message.text("en")
    assert {f.id for f in loaded(root).firms if f.name == "同名有限公司"} == {ELECTROLYTE, NICKEL}


def test_a_known_firm_is_updated_only_where_the_file_says_something_new(root):
    run(root, [firm(LOCAL, "本地电芯厂", 登记状态="存续", 所属省份="甘肃省", 所属城市="金昌市", 所属区县="金川区",
                    企业标签="高新技术企业", 注册资本="")])

    [row] = [r for r in table(root, "firms.csv") if r["id"] == LOCAL]
    assert row["status"] == "在业"  # 存续 says the same
    assert (row["district"], row["tags"]) == ("金川区", "链主;高新技术企业")
    report = run(root, [firm(LOCAL, "本地电芯厂", 登记状态="注销", 所属省份="甘肃省", 所属城市="金昌市")])
    assert report.counts["updated"] == 1
    assert [f.status for f in loaded(root).firms if f.id == LOCAL] == [FirmStatus.DEREGISTERED]


# ------------------------------------------------------------------------------ classification


def test_firms_are_placed_with_the_phrase_as_evidence(root):
    run(root, STANDARD, name="qcc.csv")

    placed = {(r["firm_id"], r["link_id"]): r for r in table(root, "firm_links.csv")}
    assert set(placed) == {(LOCAL, "ncm_cell"), (ELECTROLYTE, "electrolyte"), (SEPARATOR, "separator"),
                           (NICKEL, "nickel_sulfate")}
    assert placed[ELECTROLYTE, "electrolyte"]["evidence"] == "经营范围含“锂离子电池电解液”；行业代码3985（置信度0.90）"
    assert placed[NICKEL, "nickel_sulfate"]["evidence"] == "经营范围含“电池级硫酸镍”（置信度0.80）"
    assert placed[ELECTROLYTE, "electrolyte"]["source"] == "import:qcc.csv"
    assert placed[LOCAL, "ncm_cell"] == {"firm_id": LOCAL, "link_id": "ncm_cell", "capacity": "", "evidence": "年报",
                                         "source": "manual"}


def test_unmatched_and_ambiguous_firms_are_listed_for_review_not_placed(root):
    report = run(root, STANDARD)

    review = {r["firm_id"]: r for r in report.review_rows()}
    assert set(review) == {BLANK, CELLS}
    assert review[BLANK]["verdict"] == "unmatched" and review[BLANK]["candidates"] == ""
    assert review[CELLS]["verdict"] == "ambiguous" and "电池材料" in review[CELLS]["reason"]
    assert "nickel_sulfate" in review[CELLS]["candidates"] and "separator" in review[CELLS]["candidates"]
    assert {r["firm_id"] for r in table(root, "firm_links.csv")}.isdisjoint({BLANK, CELLS})
    assert {BLANK, CELLS} <= {f.id for f in loaded(root).firms}  # kept as firms, just not placed


def test_inactive_firms_are_kept_and_placed_but_never_targets(root):
    run(root, [*STANDARD, firm(code(108, "440300"), "已注销电解液公司", "电解液生产", 登记状态="吊销，未注销")])
    store = MemoryStore()
    store.load(loaded(root))
    settings = AnalysisSettings()
    targets = {t.firm_id for t in chain_targets(store, chain_gaps(store, "battery", settings), settings)}

    assert ELECTROLYTE in targets and NICKEL in targets
    assert SEPARATOR not in targets and code(108, "440300") not in targets
    assert {SEPARATOR, code(108, "440300")} <= {r["firm_id"] for r in table(root, "firm_links.csv")}


# ------------------------------------------------------------------------------ re-import and fixes


def test_importing_the_same_file_again_changes_nothing(root):
    run(root, STANDARD)
    before = {name: ((root / name).read_bytes(), (root / name).stat().st_mtime_ns) for name in ("firms.csv", "firm_links.csv")}

    report = run(root, STANDARD)

    assert report.ok and report.written == []
    assert report.counts["unchanged"] == 5 and "new" not in report.counts and "placements_added" not in report.counts
    assert {n: ((root / n).read_bytes(), (root / n).stat().st_mtime_ns) for n in before} == before


def test_a_changed_scope_moves_the_import_s_placements_and_keeps_hand_made_rows(root):
    run(root, STANDARD)
    with (root / "firm_links.csv").open("a", encoding="utf-8") as f:
        f.write(f"{ELECTROLYTE},lfp_cell,,客户访谈,manual\n")

    report = run(root, [firm(ELECTROLYTE, "深圳锂电新材料有限公司", "湿法隔膜生产")])

    pairs = {(r["firm_id"], r["link_id"]) for r in table(root, "firm_links.csv") if r["firm_id"] == ELECTROLYTE}
    assert pairs == {(ELECTROLYTE, "separator"), (ELECTROLYTE, "lfp_cell")}
    assert (report.counts["placements_added"], report.counts["placements_removed"]) == (1, 1)


def test_fixes_in_placements_csv_are_applied_and_survive_re_import(root):
    report = run(root, STANDARD)
    review = {r["firm_id"]: r for r in report.review_rows()}
    fixes = io.StringIO()
    writer = csv.DictWriter(fixes, list(review[CELLS]))
    writer.writeheader()
    writer.writerow({**review[CELLS], "link_id": "lfp_cell", "action": "add", "note": "官网：磷酸铁锂储能电池"})
    writer.writerow({**review[BLANK]})  # a review row not filled in yet is skipped
    writer.writerow({"firm_id": NICKEL, "link_id": "nickel_sulfate", "action": "删除", "note": "只做贸易"})
    (root / "placements.csv").write_text(fixes.getvalue(), encoding="utf-8-sig")

    for _ in range(2):
        report = run(root, STANDARD)
        placed = {(r["firm_id"], r["link_id"]): r["evidence"] for r in table(root, "firm_links.csv")}
        assert placed[CELLS, "lfp_cell"] == "人工指定（placements.csv第2行）：官网：磷酸铁锂储能电池"
        assert (NICKEL, "nickel_sulfate") not in placed
        assert report.counts["fixes_applied"] == 2
        assert {r["firm_id"] for r in report.review_rows()} == {BLANK, NICKEL}


def test_a_broken_fix_stops_the_import(root):
    (root / "placements.csv").write_text(f"firm_id,link_id,action\n{NICKEL},nope,add\n{NICKEL},electrolyte,move\n",
                                         encoding="utf-8")
    before = (root / "firms.csv").read_bytes()

    report = run(root, STANDARD)

    assert "placements.csv has 2 problem(s)" in report.failure_text("en")
    assert "placements.csv row 2, column link_id" in report.failure_text("en") and "placements.csv row 3, column action" in report.failure_text("en")
    assert (root / "firms.csv").read_bytes() == before


# ------------------------------------------------------------------------------ all or nothing


def test_a_file_failing_half_way_changes_nothing(root):
    head = [HEADER, *[[row.get(h, "") for h in HEADER] for row in STANDARD]] * 1
    text = "\n".join(",".join(r) for r in head) + "\n"
    filler = "".join(f"{code(1000 + i, '440300')},填充企业{i},存续\n" for i in range(40_000))  # past the sample
    raw = (text + filler).encode("utf-8") + "坏行,".encode("gbk") + b"\n"
    (root.parent / "mixed.csv").write_bytes(raw)
    before = snapshot(root)

    report = import_file(root.parent / "mixed.csv", "mixed.csv", root)

    assert not report.ok and "mixes encodings" in report.failure_text("en")
    assert snapshot(root) == before


def test_a_directory_that_would_not_load_is_left_as_it_was(root, monkeypatch):
    from chain_graph.dataset import Location
    from chain_graph.i18n import msg
    from chain_graph.validation import Problem
    from chain_graph_app.service import commit as table_edit

    broken = loaders.LoadResult(None, problems=[Problem(Location("firms.csv", 3, "id"), msg("val.field_missing"))])
    monkeypatch.setattr(table_edit, "load_directory", lambda root: broken)
    before = snapshot(root)

    report = run(root, STANDARD)

    assert not report.ok and "would not load" in report.failure_text("en") and "nothing was changed" in report.failure_text("en")
    assert report.written == [] and [p.message.key for p in report.problems] == ["val.field_missing"]
    assert snapshot(root) == before  # no staging folder left either


@pytest.mark.parametrize("content, name, words", [
    (b"\x89PNG\r\n\x1a\n\x00\x00garbage", "x.xlsx", "not a readable .xlsx"),
    (bytes(range(128, 256)) * 10, "x.csv", "not UTF-8 or GBK"),
    (b"", "x.csv", "empty"),
])
def test_an_unreadable_file_fails_whole(root, content, name, words):
    report = import_file(content, name, root)
    assert not report.ok and words in report.failure_text("en")


def test_a_dry_run_reports_and_writes_nothing(root):
    before = snapshot(root)
    report = run(root, STANDARD, dry_run=True)
    assert report.ok and report.written == ["firms.csv", "firm_links.csv"] and report.counts["new"] == 5
    assert snapshot(root) == before


def test_bytes_from_an_upload_import_like_a_file(root):
    raw = write(root.parent / "up.xlsx", STANDARD, "xlsx").read_bytes()
    assert import_file(raw, "up.xlsx", root).counts["classified"] == 3


def test_the_file_is_streamed_not_read_whole(root, monkeypatch):
    path = write(root.parent / "qcc.csv", STANDARD)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"{self} read whole"))
    assert import_file(path, "qcc.csv", root).counts["classified"] == 3


# ------------------------------------------------------------------------------ the directory's own formats


def test_tables_keep_their_encoding_headers_and_line_ends(root):
    (root / "firms.csv").write_bytes("统一社会信用代码,企业名称,登记状态,所属省份,所属城市\r\n".encode("gbk")
                                     + f"{LOCAL},本地电芯厂,在业,甘肃省,金昌市\r\n".encode("gbk"))
    run(root, STANDARD[:1])
    text = (root / "firms.csv").read_bytes().decode("gbk")
    assert text.startswith("统一社会信用代码,企业名称,登记状态,所属省份,所属城市,")  # columns it lacked are added
    assert text.count("\r\n") == 3 and f"\r\n{ELECTROLYTE},深圳锂电新材料有限公司,存续," in text
    assert {f.id for f in loaded(root).firms} == {LOCAL, ELECTROLYTE}


def test_xlsx_tables_stay_xlsx_and_text_stays_text(root):
    (root / "firms.csv").unlink()
    book = openpyxl.Workbook()
    book.active.append(["id", "name", "status", "province", "city"])
    book.active.append([LOCAL, "本地电芯厂", "在业", "甘肃省", "金昌市"])
    book.save(root / "firms.xlsx")

    run(root, STANDARD)

    assert not (root / "firms.csv").exists()
    sheet = openpyxl.load_workbook(root / "firms.xlsx").active
    assert sheet.max_row == 7 and all(c.data_type == "s" for c in sheet[7] if c.value is not None)
    assert len(loaded(root).firms) == 6


def test_an_empty_directory_gets_new_tables(tmp_path):
    root = make_dir(tmp_path / "data", **{"firms.csv": None, "firm_links.csv": None})
    run(root, STANDARD)
    assert (root / "firms.csv").read_bytes().startswith(b"\xef\xbb\xbfid,name,status")
    assert len(loaded(root).operates_in) == 3


# ------------------------------------------------------------------------------ projects


LEDGER = ["项目编号", "项目名称", "项目状态", "所属环节", "实施企业", "总投资（亿元）", "签约日期", "设计产能"]


def test_a_project_ledger_imports_with_links_by_name(root):
    rows = [
        {"项目编号": "P1", "项目名称": "电解液项目", "项目状态": "在建", "所属环节": "电解液", "实施企业": LOCAL,
         "总投资（亿元）": "12.5", "签约日期": "2023年3月15日"},
        {"项目编号": "P2", "项目名称": "镍盐项目", "项目状态": "签约", "所属环节": "nickel_sulfate;隔膜", "设计产能": "5万吨"},
        {"项目编号": "P3", "项目名称": "未知环节", "项目状态": "在谈", "所属环节": "正极"},
        {"项目编号": "P4", "项目名称": "未知企业", "项目状态": "在谈", "实施企业": code(999)},
        {"项目编号": "P5", "项目名称": "坏状态", "项目状态": "进行中"},
        {"项目编号": "P1", "项目名称": "电解液项目", "项目状态": "在建", "设计产能": "2万吨"},
    ]
    path = write(root.parent / "台账.xlsx", rows, "xlsx", header=LEDGER)

    report = import_file(path, "台账.xlsx", root, kind="projects")

    assert report.counts == {"read": 6, "accepted": 4, "rejected": 2, "merged": 1, "records": 3, "new": 3,
                             "builders_matched": 1, "builders_unmatched": 1, "placed": 2, "review": 1}
    assert {(i["row"], i["column"]) for i in report.rejected_rows()} == {(4, "links"), (6, "status")}
    # a builder the firm table lacks is listed, never a reason to reject the project
    assert [(i["section"], i["row"]) for i in report.rows() if i["section"] == "builder_unmatched"] == [
        ("builder_unmatched", 5)]
    p1, p2, p4 = loaded(root).projects
    assert p4.firm_id is None and p4.link_ids == []
    assert (p1.link_ids, p1.firm_id, p1.investment, str(p1.signed_date), p1.capacity) == (
        ["electrolyte"], LOCAL, 12.5, "2023-03-15", "2万吨")
    assert p2.link_ids == ["nickel_sulfate", "separator"]
    assert import_file(path, "台账.xlsx", root, kind="projects").written == []


# ------------------------------------------------------------------------------ formulas and the change summary


def test_a_formula_cell_saved_without_its_value_is_a_warning_naming_the_cell(root):
    """openpyxl (like many programs) saves formulas without their results; Excel would show a value."""
    path = write(root.parent / "qcc.xlsx", STANDARD, "xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book.active
    city = HEADER.index("所属城市") + 1
    sheet.cell(row=2, column=city, value='=CONCAT("金","昌市")')
    book.save(path)

    report = import_file(path, "qcc.xlsx", root, dry_run=True)

    [warning] = [i for i in report.issues if i.section == "warning"]
    cell = f"企业列表!{openpyxl.utils.get_column_letter(city)}2"
    assert warning.row == 2 and warning.message.key == "table.formula_no_value"
    assert f"{cell} 是公式" in warning.message.text("zh") and cell in warning.message.text("en")
    assert report.ok  # a warning: the row is read, the city empty


def test_a_dry_run_says_what_would_change_per_table(root):
    first = run(root, STANDARD)
    assert first.ok and first.written
    again = [dict(STANDARD[0], 所属城市="白银市"), *STANDARD[1:], firm(code(77, "440300"), "新来电池有限公司", "锂电池生产")]

    report = run(root, again, dry_run=True)

    firms = next(c for c in report.changes if c.table == "firms")
    assert firms.counts() == {"new": 1, "changed": 1, "unchanged": len(STANDARD) - 1, "absent": 0}
    assert [r["key"] for r in firms.new] == [code(77, "440300")]
    [changed] = firms.changed
    assert (changed["field"], changed["after"]) == ("city", "白银市")
