"""loaders.load_directory: a good directory loads; every bad input is reported where it is.

Each bad-input case starts from the good directory below and changes one thing, then
checks the problem's file, row (header = row 1; YAML problems carry the YAML line),
column, message and hint, and that no dataset comes back.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Callable

import openpyxl
import pytest

import loaders
from loaders import load_directory
from chain_graph.model import FirmStatus, ProjectStatus, Stage
from loaders.cleaning import CleaningError, parse_capital
from tests.conftest import code

A, B, C = code(1), code(2, "320500"), code(3)

REGION = "province: 甘肃省\ncity: 金昌市\nneighbours: [青海省, 四川省]\n"

CHAIN_X = """\
id: x
name: 新能源电池
links:
  - id: ore
    name: 镍矿
    stage: 上游
    unit: 万吨
  - id: salt
    name: 硫酸镍
    stage: 中游
    unit: 万吨
  - id: cell
    name: 电芯
    stage: 下游
    unit: GWh
feeds:
  - from: ore
    to: salt
    coefficient: 2
  - from: salt
    to: cell
"""

CHAIN_Y = """\
id: y
name: 储能
links:
  - id: pack
    name: 电池包
    stage: 下游
    unit: GWh
feeds:
  - from: cell
    to: pack
"""

FIRMS = f"""\
id,name,status,province,city,registered_capital,founded,tags
{A},本地镍业,存续,甘肃省,金昌市,5000万元,2010-05-01,链主
{B},外地电芯,存续,江苏省,苏州市,1.2亿元,2015/3/1,上市；500强
{C},已注销厂,注销,甘肃省,金昌市,,,
"""

FIRM_LINKS = f"""\
firm_id,link_id,capacity,evidence
{A},ore,5万吨/年,年报
{A},salt,"3,000吨",
{B},cell,500MWh,
"""

SUPPLIES = f"""\
supplier_id,customer_id,product
{A},{B},硫酸镍
"""

PROJECTS = f"""\
id,name,status,links,firm_id,investment,capacity,signed_date
P1,电芯项目,在建,cell,{B},20,10GWh,2023-01-15
P2,镍盐项目,签约,salt;ore,,5.5亿元,,2023年6月1日
"""

GOOD = {
    "region.yaml": REGION,
    "chains/x.yaml": CHAIN_X,
    "chains/y.yaml": CHAIN_Y,
    "firms.csv": FIRMS,
    "firm_links.csv": FIRM_LINKS,
    "supplies.csv": SUPPLIES,
    "projects.csv": PROJECTS,
}


def make_dir(root: Path, overrides: dict[str, str | None] | None = None) -> Path:
    """Write the good directory, with files replaced (text) or left out (None)."""
    files = {**GOOD, **(overrides or {})}
    for name, text in files.items():
        if text is None:
            continue
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def edit(name: str, old: str, new: str) -> Callable[[], dict[str, str]]:
    """An override of one good file with `old` replaced by `new` (which must be there)."""
    def build() -> dict[str, str]:
        assert old in GOOD[name], f"{old!r} not in {name}"
        return {name: GOOD[name].replace(old, new, 1)}
    return build


def edit_all(old: str, new: str) -> Callable[[], dict[str, str]]:
    """Replace `old` in every file, e.g. one firm id wherever it is used."""
    return lambda: {name: text.replace(old, new) for name, text in GOOD.items()}


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing `needle`."""
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def errors(result) -> list:
    return [p for p in result.problems if p.is_error]


# --------------------------------------------------------------------------- good data


def test_good_directory_loads(tmp_path):
    result = loaders.load_directory(make_dir(tmp_path))

    assert result.ok, [str(p) for p in result.problems]
    assert result.problems == []
    ds = result.dataset
    assert [c.id for c in ds.chains] == ["x", "y"]
    assert [link.id for link in ds.links] == ["ore", "salt", "cell", "pack"]
    assert [(f.source, f.target, f.coefficient) for f in ds.feeds] == [
        ("ore", "salt", 2.0), ("salt", "cell", None), ("cell", "pack", None),
    ]
    assert [f.id for f in ds.firms] == [A, B, C]
    assert len(ds.operates_in) == 3 and len(ds.supplies) == 1 and len(ds.projects) == 2
    assert ds.region.city == "金昌市" and ds.region.neighbours == ["青海省", "四川省"]


def test_good_directory_values_are_read(tmp_path):
    ds = loaders.load_directory(make_dir(tmp_path)).dataset

    ore, salt, cell, pack = ds.links
    assert (ore.chain, ore.stage, ore.unit) == ("x", Stage.UPSTREAM, "万吨")
    assert (pack.chain, pack.stage) == ("y", Stage.DOWNSTREAM)
    a, b, c = ds.firms
    assert (a.status, a.registered_capital, a.capital_currency) == (FirmStatus.ACTIVE, 5000, "CNY")
    assert str(a.founded) == "2010-05-01" and a.tags == ["链主"]
    assert (b.registered_capital, str(b.founded), b.tags) == (12000, "2015-03-01", ["上市", "500强"])
    assert c.status is FirmStatus.DEREGISTERED and c.registered_capital is None
    # capacities are converted to the unit of their link, the text is kept
    assert [(r.link_id, r.capacity, r.capacity_text) for r in ds.operates_in] == [
        ("ore", 5.0, "5万吨/年"), ("salt", 0.3, "3,000吨"), ("cell", 0.5, "500MWh"),
    ]
    p1, p2 = ds.projects
    assert (p1.status, p1.link_ids, p1.firm_id, p1.investment) == (ProjectStatus.UNDER_CONSTRUCTION, ["cell"], B, 20)
    assert (p2.status, p2.link_ids, p2.investment, str(p2.signed_date)) == (
        ProjectStatus.SIGNED, ["salt", "ore"], 5.5, "2023-06-01",
    )


def test_records_remember_their_file_and_row(tmp_path):
    ds = loaders.load_directory(make_dir(tmp_path)).dataset

    assert ds.origin("link", "salt") == loaders.directory.Location("chains/x.yaml", line_of(CHAIN_X, "id: salt"))
    assert ds.origin("firm", C).file == "firms.csv" and ds.origin("firm", C).row == 4
    assert ds.origin("project", "P2").row == 3


def test_feeds_loop_across_chains_is_not_an_error(tmp_path):
    # ore → salt → cell (chain x) → pack (chain y) → ore: a loop, but not inside one chain
    loop = CHAIN_Y + "  - from: pack\n    to: ore\n"
    result = loaders.load_directory(make_dir(tmp_path, {"chains/y.yaml": loop}))

    assert result.ok, [str(p) for p in result.problems]
    assert ("pack", "ore") in [(f.source, f.target) for f in result.dataset.feeds]


def test_unused_column_is_a_warning_not_an_error(tmp_path):
    firms = FIRMS.replace("tags\n", "tags,备注\n", 1)
    result = loaders.load_directory(make_dir(tmp_path, {"firms.csv": firms}))

    assert result.ok
    [warning] = result.problems
    assert warning.severity == "warning" and "备注" in warning.text("en")
    assert (warning.location.file, warning.location.row) == ("firms.csv", 1)


# --------------------------------------------------------------------------- bad data

YAML_X, YAML_Y = "chains/x.yaml", "chains/y.yaml"

# id, override, (file, row, column), words the message must contain, number of errors in all
BAD = [
    ("firm_links unknown link", edit("firm_links.csv", "ore,5万吨", "nope,5万吨"),
     ("firm_links.csv", 2, "link_id"), ["unknown link id", "nope"], 1),
    ("firm_links unknown link without capacity", edit("firm_links.csv", f"{B},cell,500MWh", f"{B},nope,"),
     ("firm_links.csv", 4, "link_id"), ["unknown link id", "nope"], 1),
    ("firm_links unknown firm", edit("firm_links.csv", f"{B},cell", f"{code(99)},cell"),
     ("firm_links.csv", 4, "firm_id"), ["unknown firm id", code(99)], 1),
    ("supplies unknown firm", edit("supplies.csv", f",{B},", f",{code(98)},"),
     ("supplies.csv", 2, "customer_id"), ["unknown firm id", code(98)], 1),
    ("projects unknown link", edit("projects.csv", "salt;ore", "salt;nope"),
     ("projects.csv", 3, "links"), ["unknown link id", "nope"], 1),
    ("projects unknown firm", edit("projects.csv", f",{B},20", f",{code(97)},20"),
     ("projects.csv", 2, "firm_id"), ["unknown firm id", code(97)], 1),
    ("feeds unknown link", edit(YAML_X, "    to: cell", "    to: nope"),
     (YAML_X, line_of(CHAIN_X, "- from: salt"), "to"), ["unknown link id", "nope"], 1),
    ("feeds unknown source link", edit(YAML_Y, "from: cell", "from: nope"),
     (YAML_Y, line_of(CHAIN_Y, "- from: cell"), "from"), ["unknown link id", "nope"], 1),
    ("duplicate link id across chains", edit(YAML_Y, "id: pack", "id: salt"),
     (YAML_Y, line_of(CHAIN_Y, "id: pack"), "id"), ["link id salt", "2 times", f"first in {YAML_X}"], None),
    ("duplicate firm id", edit_all(C, A),
     ("firms.csv", 4, "id"), [f"firm id {A}", "2 times", "first in firms.csv row 2"], 1),
    ("duplicate project id", edit("projects.csv", "P2,", "P1,"),
     ("projects.csv", 3, "id"), ["project id P1", "2 times", "first in projects.csv row 2"], 1),
    ("credit code check digit", edit_all(A, A[:-1] + ("0" if A[-1] != "0" else "1")),
     ("firms.csv", 2, "id"), ["check digit", f"should be {A[-1]}"], 1),
    ("credit code too short", edit_all(C, C[:-1]),
     ("firms.csv", 4, "id"), ["17 characters"], 1),
    ("credit code too long", edit_all(C, C + "1"),
     ("firms.csv", 4, "id"), ["19 characters"], 1),
    ("credit code letter I", edit_all(A, A[:8] + "I" + A[9:]),
     ("firms.csv", 2, "id"), ["I", "not allowed"], 1),
    ("credit code letter O", edit_all(A, A[:8] + "O" + A[9:]),
     ("firms.csv", 2, "id"), ["O", "not allowed"], 1),
    ("firm placed on the same link twice", edit("firm_links.csv", f"{B},cell,500MWh,", f"{B},cell,500MWh,\n{B},cell,,"),
     ("firm_links.csv", 5, None), ["listed twice"], 1),
    ("supply relation listed twice", edit("supplies.csv", "硫酸镍\n", "硫酸镍\n" + f"{A},{B},\n"),
     ("supplies.csv", 3, None), ["listed twice"], 1),
    ("link names a chain of its own", edit("chains/y.yaml", "    name: 电池包\n", "    name: 电池包\n    chain: x\n"),
     ("chains/y.yaml", line_of(CHAIN_Y, "- id: pack"), "chain"), ["takes its chain from the file"], 2),  # and the knock-on unknown link
    ("capacity wrong dimension", edit("firm_links.csv", "5万吨/年", "5GWh"),
     ("firm_links.csv", 2, "capacity"), ["GWh", "万吨"], 1),
    ("capacity unknown unit", edit("firm_links.csv", "5万吨/年", "5万桶"),
     ("firm_links.csv", 2, "capacity"), ["unknown unit", "万桶"], 1),
    ("capacity not a number", edit("firm_links.csv", "5万吨/年", "很多"),
     ("firm_links.csv", 2, "capacity"), ["not a number", "很多"], 1),
    ("project capacity unknown unit", edit("projects.csv", "10GWh", "10桶"),
     ("projects.csv", 2, "capacity"), ["unknown unit", "桶"], 1),
    ("link unknown unit", edit(YAML_Y, "unit: GWh", "unit: 万桶"),
     (YAML_Y, line_of(CHAIN_Y, "id: pack"), "unit"), ["unknown unit", "万桶", "pack"], 1),
    ("bad founded date", edit("firms.csv", "金昌市,,,\n", "金昌市,,2015/2/30,\n"),
     ("firms.csv", 4, "founded"), ["not a date", "2015/2/30"], 1),
    ("date is not a date", edit("projects.csv", "2023-01-15", "明年"),
     ("projects.csv", 2, "signed_date"), ["not a date", "明年"], 1),
    ("investment not a number", edit("projects.csv", "5.5亿元", "五亿"),
     ("projects.csv", 3, "investment"), ["not a number"], 1),
    ("negative investment", edit("projects.csv", ",20,", ",-20,"),
     ("projects.csv", 2, "investment"), ["must not be less than 0"], 1),
    ("registered capital not an amount", edit("firms.csv", "金昌市,,,\n", "金昌市,五千万,,\n"),
     ("firms.csv", 4, "registered_capital"), ["not an amount", "五千万"], 1),
    ("bad firm status", edit("firms.csv", "已注销厂,注销", "已注销厂,营业中"),
     ("firms.csv", 4, "status"), ["营业中"], 1),
    ("bad project status", edit("projects.csv", "在建", "进行中"),
     ("projects.csv", 2, "status"), ["进行中"], 1),
    ("bad stage", edit(YAML_X, "stage: 中游", "stage: 顶游"),
     (YAML_X, line_of(CHAIN_X, "id: salt"), "stage"), ["顶游", "not one of the allowed values"], None),
    ("extra key in link", edit(YAML_Y, "    unit: GWh\n", "    unit: GWh\n    colour: red\n"),
     (YAML_Y, line_of(CHAIN_Y, "id: pack"), "colour"), ["not a known field"], 2),  # + feeds to pack
    ("extra key in chain", edit(YAML_Y, "name: 储能\n", "name: 储能\nowner: 张三\n"),
     (YAML_Y, 1, "owner"), ["not a known field"], None),
    ("link without name", edit(YAML_Y, "    name: 电池包\n", ""),
     (YAML_Y, line_of(CHAIN_Y, "id: pack"), "name"), ["required value is missing"], 2),
    ("feeds zero coefficient", edit(YAML_X, "coefficient: 2", "coefficient: 0"),
     (YAML_X, line_of(CHAIN_X, "- from: ore"), "coefficient"), ["must be greater than 0"], 1),
    ("invalid YAML", edit(YAML_Y, "    name: 电池包", "    name: 电池包: 大"),
     (YAML_Y, line_of(CHAIN_Y, "name: 电池包"), None), ["not valid YAML"], 1),
    ("missing required column", edit("projects.csv", "id,name,status,", "id,name,state,"),
     ("projects.csv", 1, "status"), ["missing column", "status"], 1),
    ("missing firm name value", edit("firms.csv", f"{C},已注销厂,", f"{C},,"),
     ("firms.csv", 4, "name"), ["required value is missing"], None),
    ("missing region.yaml", lambda: {"region.yaml": None},
     ("region.yaml", None, None), ["missing"], 1),
    ("region.yaml unknown key", edit("region.yaml", "city: 金昌市\n", "city: 金昌市\nmayor: 李四\n"),
     ("region.yaml", None, "mayor"), ["not a known field"], 1),
    ("region.yaml invalid YAML", edit("region.yaml", "city: 金昌市", "city: [金昌市"),
     ("region.yaml", None, None), ["not valid YAML"], 1),
    ("no chain files", lambda: {YAML_X: None, YAML_Y: None},
     ("chains/", None, None), ["no chain files"], None),
]


@pytest.mark.parametrize(("override", "where", "words", "n_errors"),
                         [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_bad_input_is_reported_where_it_is(tmp_path, override, where, words, n_errors):
    result = loaders.load_directory(make_dir(tmp_path, override()))

    assert result.dataset is None and not result.ok
    found = errors(result)
    file, row, column = where
    here = [p for p in found if (p.location.file, p.location.column) == (file, column)
            and (row is None or p.location.row == row)]
    assert here, f"no error at {where}; got {[str(p) for p in found]}"
    problem = here[0]
    if row is None and file != "region.yaml":
        assert problem.location.row is None
    for word in words:
        assert word in problem.text("en"), str(problem)
    assert problem.hint_text("en").strip(), f"no hint: {problem}"
    if n_errors is not None:
        assert len(found) == n_errors, [str(p) for p in found]


def test_yaml_problems_carry_the_yaml_line(tmp_path):
    # a chain that starts after a comment block: lines are counted from the top of the file
    chain = "# 注释\n# 第二行\n" + CHAIN_Y.replace("stage: 下游", "stage: 顶游")
    result = loaders.load_directory(make_dir(tmp_path, {YAML_Y: chain}))

    [problem] = [p for p in errors(result) if p.location.column == "stage"]
    assert problem.location == loaders.directory.Location(YAML_Y, line_of(chain, "id: pack"), "stage")
    assert line_of(chain, "id: pack") == 6
    assert "上游" in problem.hint_text()


def test_invalid_yaml_points_at_its_line(tmp_path):
    bad = CHAIN_Y.replace("    stage: 下游\n", "    stage: 下游\n   unit GWh\n  - : :\n")
    result = loaders.load_directory(make_dir(tmp_path, {YAML_Y: bad}))

    [problem] = errors(result)
    assert problem.location.file == YAML_Y and "not valid YAML" in problem.text("en")
    assert problem.location.row in (line_of(bad, "unit GWh"), line_of(bad, "- : :"))


def test_invalid_region_yaml_points_at_its_line(tmp_path):
    region = REGION.replace("city: 金昌市", "city: 金昌市: 市辖区")
    result = loaders.load_directory(make_dir(tmp_path, {"region.yaml": region}))

    [problem] = errors(result)
    assert problem.location == loaders.directory.Location("region.yaml", line_of(region, "city:"))
    assert "not valid YAML" in problem.text("en") and problem.hint


def test_links_that_are_not_a_list_are_reported(tmp_path):
    chain = "id: z\nname: 空链\nlinks: 电池壳\n"
    result = loaders.load_directory(make_dir(tmp_path, {"chains/z.yaml": chain}))

    assert result.dataset is None
    [problem] = errors(result)
    assert (problem.location.file, problem.location.column) == ("chains/z.yaml", "links")
    assert "电池壳" in problem.text("en") and problem.hint


def test_feeds_cycle_inside_a_chain_is_an_error(tmp_path):
    chain = CHAIN_X + "  - from: cell\n    to: ore\n"
    result = loaders.load_directory(make_dir(tmp_path, {YAML_X: chain}))

    assert result.dataset is None
    [problem] = errors(result)
    assert problem.location.file == YAML_X
    feed_lines = {line_of(chain, "- from: ore"), line_of(chain, "- from: salt"), line_of(chain, "- from: cell")}
    assert problem.location.row in feed_lines
    assert "FEEDS cycle inside chain x" in problem.text("en")
    for link in ("ore", "salt", "cell"):
        assert link in problem.text("en")
    assert problem.hint


def test_self_feeding_link_is_a_cycle(tmp_path):
    chain = CHAIN_X + "  - from: salt\n    to: salt\n"
    result = loaders.load_directory(make_dir(tmp_path, {YAML_X: chain}))

    [problem] = errors(result)
    assert "FEEDS cycle" in problem.text("en") and "salt → salt" in problem.text("en")


def test_duplicate_firm_rows_point_at_the_last_repeat_and_name_the_first(tmp_path):
    firms = FIRMS + f"{A},又一个本地镍业,存续,,,,,\n{A},第三个,存续,,,,,\n"
    result = loaders.load_directory(make_dir(tmp_path, {"firms.csv": firms}))

    [problem] = errors(result)
    repeat = problem.location.row
    assert problem.location == loaders.directory.Location("firms.csv", repeat, "id") and repeat > 2
    assert "3 times" in problem.text("en") and "first in firms.csv row 2" in problem.text("en")


def test_link_items_that_are_not_mappings_are_reported(tmp_path):
    chain = CHAIN_Y.replace("  - id: pack\n", "  - 电池壳\n  - id: pack\n")
    result = loaders.load_directory(make_dir(tmp_path, {YAML_Y: chain}))

    assert result.dataset is None
    [problem] = errors(result)
    assert problem.location.file == YAML_Y and "电池壳" in problem.text("en") and problem.hint


def test_all_problems_are_reported_at_once(tmp_path):
    overrides = {
        "region.yaml": None,                                                      # 1 missing file
        "firms.csv": FIRMS.replace("注销", "倒闭"),                                # 2 firm status, row 4
        "firm_links.csv": FIRM_LINKS.replace("500MWh", "5万吨"),                   # 3 mass on a GWh link, row 4
        "projects.csv": PROJECTS.replace("2023年6月1日", "2023年13月1日"),          # 4 date, row 3
        YAML_Y: CHAIN_Y.replace("from: cell", "from: cel"),                       # 5 unknown link in feeds
    }
    result = loaders.load_directory(make_dir(tmp_path, overrides))

    assert result.dataset is None
    where = sorted((p.location.file, p.location.row, p.location.column) for p in errors(result))
    assert where == sorted([
        ("region.yaml", None, None),
        ("firms.csv", 4, "status"),
        ("firm_links.csv", 4, "capacity"),
        ("projects.csv", 3, "signed_date"),
        (YAML_Y, line_of(CHAIN_Y, "- from: cell"), "from"),
    ])
    assert all(p.hint for p in errors(result))


def test_a_row_with_several_bad_cells_reports_each(tmp_path):
    firms = FIRMS.replace("5000万元,2010-05-01", "很多钱,去年")
    result = loaders.load_directory(make_dir(tmp_path, {"firms.csv": firms}))

    assert result.dataset is None
    in_firms = {(p.location.row, p.location.column) for p in errors(result) if p.location.file == "firms.csv"}
    assert in_firms == {(2, "registered_capital"), (2, "founded")}


def test_missing_directory(tmp_path):
    result = loaders.load_directory(tmp_path / "nope")

    assert result.dataset is None
    [problem] = result.problems
    assert "no such data directory" in problem.text("en") and problem.hint


def test_both_csv_and_xlsx_is_an_error(tmp_path):
    root = make_dir(tmp_path)
    _write_xlsx(root / "supplies.xlsx", list(csv.reader(io.StringIO(SUPPLIES))))
    result = loaders.load_directory(root)

    assert result.dataset is None
    assert any("both supplies.csv and supplies.xlsx" in p.text("en") and p.hint for p in errors(result))


def test_unreadable_table_is_an_error_with_a_hint(tmp_path):
    root = make_dir(tmp_path)
    (root / "firm_links.csv").unlink()
    (root / "firm_links.xlsx").write_bytes(b"this is not a workbook")
    result = loaders.load_directory(root)

    assert result.dataset is None
    [problem] = [p for p in errors(result) if p.location.file == "firm_links.xlsx"]
    assert "not a readable .xlsx" in problem.text("en") and problem.hint


# --------------------------------------------------------------------------- encodings and formats

CN_FIRMS = [
    ["统一社会信用代码", "企业名称", "登记状态", "所属省份", "所属城市", "注册资本", "成立日期", "企业标签"],
    [A, "本地镍业", "存续", "甘肃省", "金昌市", "5000万元人民币", "2010-05-01", "链主"],
    [B, "外地电芯", "在业", "江苏省", "苏州市", "1.2亿元", "2015年3月1日", "上市、500强"],
    [C, "已注销厂", "注销", "甘肃省", "金昌市", "1000万美元", "", ""],
]

CN_PROJECTS = [
    ["项目编号", "项目名称", "项目状态", "所属环节", "实施企业", "总投资（亿元）", "签约日期"],
    ["P1", "电芯项目", "在建", "cell", B, "20", "2023-01-15"],
    ["P2", "镍盐项目", "签约", "salt；ore", "", "5.5", "2023/6/1"],
]


def _csv_text(rows: list[list[str]], newline: str = "\r\n") -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator=newline).writerows(rows)
    return out.getvalue()


def _write_xlsx(path: Path, rows: list[list[str]]) -> None:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)


def _load_with(tmp_path: Path, name: str, write: Callable[[Path, list[list[str]]], None], tables: dict):
    root = make_dir(tmp_path / name, {f"{kind}.csv": None for kind in tables})
    for kind, rows in tables.items():
        write(root / kind, rows)
    result = loaders.load_directory(root)
    assert result.ok, [str(p) for p in result.problems]
    return result.dataset


WRITERS = {
    "gb18030": lambda path, rows: path.with_suffix(".csv").write_bytes(_csv_text(rows).encode("gb18030")),
    "utf-8-bom": lambda path, rows: path.with_suffix(".csv").write_bytes(_csv_text(rows).encode("utf-8-sig")),
    "utf-8": lambda path, rows: path.with_suffix(".csv").write_text(_csv_text(rows), encoding="utf-8"),
    "xlsx": lambda path, rows: _write_xlsx(path.with_suffix(".xlsx"), rows),
}


def test_gbk_bom_and_xlsx_tables_give_the_same_records(tmp_path):
    tables = {"firms": CN_FIRMS, "projects": CN_PROJECTS}
    loaded = {name: _load_with(tmp_path, name, write, tables) for name, write in WRITERS.items()}

    reference = loaded["utf-8"]
    for name, ds in loaded.items():
        assert ds.firms == reference.firms, name
        assert ds.projects == reference.projects, name
    assert [f.name for f in reference.firms] == ["本地镍业", "外地电芯", "已注销厂"]


def test_gbk_file_really_is_not_utf8():
    raw = _csv_text(CN_FIRMS).encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_chinese_headers_and_words_are_read(tmp_path):
    ds = _load_with(tmp_path, "cn", WRITERS["gb18030"], {"firms": CN_FIRMS, "projects": CN_PROJECTS})

    a, b, c = ds.firms
    assert (a.id, a.status, a.registered_capital, a.capital_currency) == (A, FirmStatus.ACTIVE, 5000, "CNY")
    assert (b.status, b.registered_capital, str(b.founded), b.tags) == (FirmStatus.ACTIVE, 12000, "2015-03-01",
                                                                      ["上市", "500强"])
    assert (c.status, c.registered_capital, c.capital_currency) == (FirmStatus.DEREGISTERED, 1000, "USD")
    p1, p2 = ds.projects
    assert p1.status is ProjectStatus.UNDER_CONSTRUCTION and p1.investment == 20 and p1.firm_id == B
    assert p2.status is ProjectStatus.SIGNED and p2.link_ids == ["salt", "ore"] and str(p2.signed_date) == "2023-06-01"


def test_xlsx_dates_and_numbers_are_read(tmp_path):
    import datetime as dt

    rows = [CN_FIRMS[0], [A, "本地镍业", "存续", "甘肃省", "金昌市", 5000, dt.datetime(2010, 5, 1), "链主"]]
    ds = _load_with(tmp_path, "xl", WRITERS["xlsx"], {"firms": rows, "firm_links": [["firm_id", "link_id"]],
                                                      "supplies": [["supplier_id", "customer_id"]],
                                                      "projects": [["id", "name", "status"]]})
    [firm] = ds.firms
    assert firm.registered_capital == 5000 and str(firm.founded) == "2010-05-01"


def test_xlsx_problem_rows_match_excel_rows(tmp_path):
    rows = [row[:] for row in CN_FIRMS]
    rows[3][2] = "倒闭"
    root = make_dir(tmp_path, {"firms.csv": None})
    _write_xlsx(root / "firms.xlsx", rows)
    result = loaders.load_directory(root)

    assert result.dataset is None
    [problem] = [p for p in errors(result) if p.location.column == "status"]
    assert (problem.location.file, problem.location.row) == ("firms.xlsx", 4)


def test_blank_lines_keep_row_numbers(tmp_path):
    firms = FIRMS.replace(f"{C},已注销厂,注销", f",,,,,,,\n{C},已注销厂,倒闭")
    result = loaders.load_directory(make_dir(tmp_path, {"firms.csv": firms}))

    [problem] = errors(result)
    assert (problem.location.row, problem.location.column) == (5, "status")


@pytest.mark.parametrize(("word", "code_"), [
    ("存续", "active"), ("在业", "active"), ("注销", "deregistered"), ("吊销", "revoked"),
    ("吊销，未注销", "revoked"), ("迁出", "moved_out"), ("active", "active"),
])
def test_firm_status_words(tmp_path, word, code_):
    firms = FIRMS.replace("已注销厂,注销", f"已注销厂,{word}")
    ds = loaders.load_directory(make_dir(tmp_path, {"firms.csv": firms})).dataset
    assert ds.firms[2].status.value == code_


@pytest.mark.parametrize(("word", "code_"), [
    ("谋划", "planning"), ("在谈", "negotiating"), ("签约", "signed"), ("开工", "started"),
    ("在建", "under_construction"), ("续建", "under_construction"), ("投产", "operating"),
    ("达产", "at_capacity"), ("终止", "terminated"), ("under_construction", "under_construction"),
])
def test_project_status_words(tmp_path, word, code_):
    projects = PROJECTS.replace("在建", word)
    ds = loaders.load_directory(make_dir(tmp_path, {"projects.csv": projects})).dataset
    assert ds.projects[0].status.value == code_


@pytest.mark.parametrize(("text", "expected"), [
    ("5000万元人民币", (5000, "CNY")),
    ("1.2亿元", (12000, "CNY")),
    ("1000万美元", (1000, "USD")),
    ("5000", (5000, "CNY")),
    ("5,000万元", (5000, "CNY")),
    ("5000万", (5000, "CNY")),
    ("500000元", (50, "CNY")),
    ("3000万港元", (3000, "HKD")),
    ("５０００万元", (5000, "CNY")),  # full-width digits
    ("", (None, "CNY")),
])
def test_parse_capital(text, expected):
    assert parse_capital(text) == expected


@pytest.mark.parametrize("text", ["五千万", "5000万英镑", "约5000万元", "-5000万元"])
def test_parse_capital_rejects(text):
    with pytest.raises(CleaningError):
        parse_capital(text)


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_excel_doubled_quotes_survive(tmp_path, newline):
    # a quote inside a quoted cell is written "": the text must come back whole, not cut at the quote
    evidence = '含"电解液, 隔膜" 业务'
    links = _csv_text([["firm_id", "link_id", "evidence"], [A, "ore", evidence], [B, "cell", "年报"]], newline)
    result = loaders.load_directory(make_dir(tmp_path, {"firm_links.csv": links}))

    assert result.ok, [str(p) for p in result.problems]
    assert [r.evidence for r in result.dataset.operates_in] == [evidence, "年报"]


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_other_delimiters(tmp_path, delimiter, newline):
    firms = FIRMS.replace(",", delimiter).replace("\n", newline)
    reference = loaders.load_directory(make_dir(tmp_path / "ref")).dataset
    ds = loaders.load_directory(make_dir(tmp_path / "alt", {"firms.csv": firms})).dataset

    assert ds is not None and ds.firms == reference.firms


def test_references_to_a_row_left_out_are_counted_under_its_problem(tmp_path):
    """One bad firm row is one error, with the rows that name it counted beside it, not 1 + N errors."""
    import csv
    import io
    import shutil

    data = tmp_path / "data"
    shutil.copytree(Path(__file__).resolve().parent.parent / "data", data)
    rows = list(csv.reader(io.StringIO((data / "firms.csv").read_text(encoding="utf-8"))))
    bad = rows[2][0]
    rows[2][rows[0].index("founded")] = "2012-13-45"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (data / "firms.csv").write_text(out.getvalue(), encoding="utf-8")
    links = sum(line.startswith(bad) for line in (data / "firm_links.csv").read_text(encoding="utf-8").splitlines())

    [error] = [p for p in load_directory(data).problems if p.is_error]

    assert (error.location.file, error.location.row, error.location.column) == ("firms.csv", 3, "founded")
    assert error.message.key == "clean.not_date"
    assert f"由此 firm_links.csv 中 {links} 行引用了不存在的企业" in error.text("zh")
    assert f"so {links} row(s) of firm_links.csv refer to a firm that does not exist" in error.text("en")


def test_a_formula_cell_without_a_saved_value_is_a_warning_where_it_is(tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(Path(__file__).resolve().parent.parent / "data", data)
    rows = list(csv.reader(io.StringIO((data / "firms.csv").read_text(encoding="utf-8"))))
    book = openpyxl.Workbook()
    for values in rows:
        book.active.append(values)
    book.active.cell(row=4, column=rows[0].index("city") + 1, value="=A1")
    book.save(data / "firms.xlsx")
    (data / "firms.csv").unlink()

    result = load_directory(data)

    assert result.ok
    [warning] = [p for p in result.problems if p.message.key == "table.formula_no_value"]
    assert (warning.location.file, warning.location.row, warning.severity) == ("firms.xlsx", 4, "warning")
    assert "!" in warning.text("zh") and "=A1" in warning.text("zh")
