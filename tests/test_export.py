from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from chain_graph.output.export import (
    MAX_COLUMN_WIDTH,
    csv_bytes,
    safe_frame,
    sanitize_cell,
    write_file,
    xlsx_bytes,
)

DANGEROUS = [
    "=1+2",
    "+1+2",
    "-1+2",
    "@SUM(A1:A2)",
    "\t=1+2",
    "\r=1+2",
    " =1+2",
    "\u3000=HYPERLINK(\"http://x\")",
    "=cmd|' /C calc'!A0",
]
HARMLESS = ["硫酸镍", "a=b", "", "镍-钴", "'=already quoted"]


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "payload": DANGEROUS,
            "企业名称": ["金川集团股份有限公司"] * len(DANGEROUS),
            "change": [-5, -1, 0, 3, -7, 2, 1, -2, 4],
            "ratio": [-0.5] * len(DANGEROUS),
        }
    )


@pytest.mark.parametrize("value", DANGEROUS)
def test_sanitize_quotes_formula_starts(value: str) -> None:
    assert sanitize_cell(value) == "'" + value


@pytest.mark.parametrize("value", HARMLESS)
def test_sanitize_leaves_harmless_text(value: str) -> None:
    assert sanitize_cell(value) == value


@pytest.mark.parametrize("value", [-5, -1.5, 0, None, True, dt.date(2023, 1, 31), pd.Timestamp("2023-01-31")])
def test_sanitize_passes_non_strings_unchanged(value: object) -> None:
    assert sanitize_cell(value) is value


def test_safe_frame_sanitizes_headers_and_joins_lists() -> None:
    df = pd.DataFrame({"=HEADER": ["ok"], "links": [["=evil", "隔膜"]], "n": [-3]})
    safe = safe_frame(df)
    assert list(safe.columns) == ["'=HEADER", "links", "n"]
    assert safe.loc[0, "links"] == "'=evil；隔膜"
    assert safe.loc[0, "n"] == -3
    assert pd.api.types.is_integer_dtype(safe["n"])
    assert list(df.columns) == ["=HEADER", "links", "n"], "input frame must not change"


def test_csv_has_bom_and_neutralised_cells() -> None:
    data = csv_bytes(frame())
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["payload", "企业名称", "change", "ratio"]
    body = rows[1:]
    assert [row[0] for row in body] == ["'" + value for value in DANGEROUS]
    assert body[0][1] == "金川集团股份有限公司"
    assert [row[2] for row in body] == ["-5", "-1", "0", "3", "-7", "2", "1", "-2", "4"]
    assert body[0][3] == "-0.5"


def test_csv_has_no_index_column() -> None:
    header = csv_bytes(pd.DataFrame({"a": [1]}, index=[7])).decode("utf-8-sig").splitlines()
    assert header == ["a", "1"]


def read_xlsx(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_premise_unsanitized_text_becomes_formula() -> None:
    buffer = io.BytesIO()
    pd.DataFrame({"payload": ["=1+2"]}).to_excel(buffer, index=False)
    assert read_xlsx(buffer.getvalue()).active["A2"].data_type == "f"


def test_xlsx_has_no_formulas_and_keeps_numbers() -> None:
    sheet = read_xlsx(xlsx_bytes(frame())).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    # The stdlib XML parser turns a bare carriage return into a line feed and lxml (present with python-docx)
    # keeps it; the quote is what matters.
    payloads = [cell.value.replace("\r", "\n") for cell in sheet["A"][1:]]
    assert payloads == ["'" + value.replace("\r", "\n") for value in DANGEROUS]
    assert sheet["B2"].value == "金川集团股份有限公司"
    assert [cell.value for cell in sheet["C"][1:]] == [-5, -1, 0, 3, -7, 2, 1, -2, 4]
    assert all(cell.data_type == "n" for cell in sheet["C"][1:] + sheet["D"][1:])
    assert sheet["D2"].value == -0.5


def test_xlsx_header_is_bold_frozen_and_sanitized() -> None:
    sheet = read_xlsx(xlsx_bytes(pd.DataFrame({"=H": [1], "name": ["x"]}))).active
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == ["'=H", "name"]
    assert all(cell.font.b for cell in sheet[1])
    assert not sheet["B2"].font.b


def test_xlsx_widths_count_cjk_double_and_are_capped() -> None:
    df = pd.DataFrame({"a": ["abcdefghij"], "b": ["硫酸镍硫酸镍硫酸镍镍"], "c": ["x" * 500]})
    dims = read_xlsx(xlsx_bytes(df)).active.column_dimensions
    assert dims["B"].width > dims["A"].width >= 10
    assert dims["B"].width >= 20
    assert dims["C"].width <= MAX_COLUMN_WIDTH


def test_xlsx_sheet_name_is_made_valid() -> None:
    workbook = read_xlsx(xlsx_bytes(frame(), sheet="链/招商:目标*清单?[2023]\\" + "长" * 40))
    title = workbook.sheetnames[0]
    assert len(title) <= 31
    assert not set(title) & set("[]:*?/\\")
    assert title.startswith("链_招商_目标_清单__2023__")


def test_xlsx_keeps_plain_sheet_name() -> None:
    assert read_xlsx(xlsx_bytes(frame(), sheet="招商目标")).sheetnames == ["招商目标"]


def test_write_file_chooses_format_by_suffix(tmp_path) -> None:
    csv_path = tmp_path / "targets.csv"
    xlsx_path = tmp_path / "targets.XLSX"
    write_file(frame(), csv_path)
    write_file(frame(), xlsx_path, sheet="目标")
    assert csv_path.read_bytes() == csv_bytes(frame())
    assert read_xlsx(xlsx_path.read_bytes()).sheetnames == ["目标"]


def test_write_file_rejects_other_suffixes(tmp_path) -> None:
    path = tmp_path / "targets.txt"
    with pytest.raises(ValueError, match=r"\.csv.*\.xlsx"):
        write_file(frame(), path)
    assert not path.exists()
