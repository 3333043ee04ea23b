"""The import's column readers give what the row readers give: loaders.tables.frame_table against
stream_table (header search, row numbers, cells, hidden-character flaws) and
loaders.import_rows.read_firms against read_firm, row for row, on files with the warts of real
exports."""

from __future__ import annotations

import csv
import io
import unicodedata

import pytest

from loaders.columns import IMPORT_ALIASES, header_map
from loaders.import_rows import read_firm, read_firms
from loaders.tables import frame_rows, frame_table, stream_table
from tests.conftest import code


def is_header(cells: list[str]) -> bool:
    return "企业名称" in cells or "a" in cells


def both(raw: bytes, name: str = "x.csv"):
    table = stream_table(raw, name, None, is_header)
    rows = [(r.number, r.values, r.flaws) for r in table.rows]
    columns, frame = frame_table(raw, name, None, is_header)
    return (table, rows), (columns, [(r.number, r.values, r.flaws) for r in frame_rows(frame, columns.header)])


@pytest.mark.parametrize("text", [
    "标题：企业名单\r\n\r\na,b,c\r\n1,2,3\r\n\r\n4,5\r\n\"x\"\"y\",\" q \",7,8\r\n , ,\r\n\ufeffz,\u202ey,1\r\n",
    "a;b;c\n1;2;3\n",
    "a,b,a\n1,2,3\n,,\n",
    "免责声明：仅供参考\n企业名称,b\n某公司,-\n",
    "a,b\r1,2\r3,4\r",  # old Mac line ends: polars would read one row
    'a,b\n"line\nbreak",2\n3,4\n',  # a quoted cell over two lines
    "only one line\n",
])
@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_frame_table_reads_what_stream_table_reads(text, encoding):
    (table, rows), (columns, frame_rows_) = both(text.encode(encoding))
    assert (columns.header, columns.header_row, columns.preamble, columns.found) == (
        table.header, table.header_row, table.preamble, table.found)
    assert frame_rows_ == rows


HEADER = ["企业名称", "统一社会信用代码", "登记状态", "注册资本", "实缴资本", "成立日期", "所属省份", "所属城市", "企业标签",
          "是否上市", "企业规模", "参保人数", "国标行业门类", "国标行业大类", "行业代码", "产业链节点", "产业位置", "经营范围"]
ROWS = [
    ["某某新材料有限公司", code(1, "440300"), "存续（在营、开业、在册）", "305843.0395万元人民币", "3000万元人民币", "2015-06-01",
     "广东省", "深圳市", "高新技术企业;专精特新小巨人", "否", "L", "35人", "制造业", "C39", "C3985", "-", "中游",
     "一般项目：锂离子电池电解液的研发、生产；技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广"],
    ["ＡＢＣ　全角  公司", code(2, "440300"), "在业", "1000万美元", "-", "2019年1月1日", "广东省", "深圳市", "“专精特新”",
     "是", "大型", "-", "-", "-", "-", "电解液", "-", "电解液配制与销售"],
    ["坏代码公司", code(3, "440300")[:-1] + "0", "注销企业", "5000", "", "44986", "-", "-", "", "", "", "", "", "", "", "", "",
     ""],
    ["=HYPERLINK(1)", code(4, "440300"), "吊销，未注销", "1.2亿", "", "2019/1/1", "", "", "", "", "", "", "", "", "", "", "",
     ""],
    ["状态不明公司", code(5, "440300"), "火星", "五千万", "", "不是日期", "", "", "", "", "", "", "", "", "", "", "", ""],
    ["", " 91440300ma5f  ", "存续", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
    ["某某科技有限公司", code(6, "440300").lower(), "存续", "50 万人民币", "", "", "", "", "-", "", "XS", "12", "", "", "",
     "", "", "技术服务"],
    ["隐藏字符\u202e公司", code(7, "440300"), "存续", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
    ["某某贸易有限公司", code(8, "440300"), "", "", "", "2015-06", "", "", "+1", "", "", "", "", "", "", "", "", ""],
]


def same_scope(got):
    """read_firms hands the classifier the scope NFKC-normalised (as it compares it), read_firm as written."""
    if isinstance(got, list):
        return got
    row, described = got
    return row, described._replace(scope=unicodedata.normalize("NFKC", described.scope))


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_read_firms_gives_read_firm_s_result_for_every_row(encoding):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["免责声明：数据仅供参考"], HEADER, *ROWS])
    raw = buffer.getvalue().encode(encoding)
    table = stream_table(raw, "qcc.csv", None, is_header)
    mapping = header_map("firms", table.header, IMPORT_ALIASES)
    expected = [read_firm(row, mapping, "qcc.csv", "import:qcc.csv") for row in table.rows]
    columns, frame = frame_table(raw, "qcc.csv", None, is_header)

    got = read_firms(frame, columns.header, mapping, "qcc.csv", "import:qcc.csv")

    assert [same_scope(g) for g in got] == [same_scope(e) for e in expected]
    assert sum(isinstance(g, list) for g in got) >= 4  # the bad code, the formula, the unknown status, no name
