"""The 产业链招商简报 of the battery chain, written by the CLI and read back with python-docx,
python-pptx and PDFium (pypdfium2): chain name, top target, 示例数据 notice and the map picture are in all three."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from typer.testing import CliRunner

from chain_graph.analysis.gaps import chain_gaps
from chain_graph.analysis.targets import chain_targets
from chain_graph.i18n import t
from chain_graph.store.memory import MemoryStore
from chain_graph_app.cli import app
from loaders import load_directory

DATA = Path(__file__).resolve().parent.parent / "data"
BATTERY = "new_energy_battery"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def expected():
    result = load_directory(DATA)
    store = MemoryStore()
    store.load(result.dataset)
    gaps = chain_gaps(store, BATTERY, result.settings)
    targets = chain_targets(store, gaps, result.settings)
    assert any(x.sample for x in targets)  # the shipped data carries illustrative firms
    return {"chain": gaps.chain.name, "top": targets[0].firm_name,
            "breaks": [g.link.name for g in gaps.links if g.break_point]}


def write(tmp_path: Path, name: str) -> Path:
    out = tmp_path / name
    result = CliRunner().invoke(app, ["--data", str(DATA), "brief", "--chain", BATTERY, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_docx_briefing(tmp_path, expected):
    doc = Document(str(write(tmp_path, "简报.docx")))
    text = "\n".join([p.text for p in doc.paragraphs]
                     + [c.text for table in doc.tables for row in table.rows for c in row.cells])
    assert expected["chain"] in doc.paragraphs[0].text and "产业链招商简报" in doc.paragraphs[0].text
    assert expected["top"] in text and t("wb.sample") in text
    assert all(name in text for name in expected["breaks"]) and "口径：" in text and "数据来源：" in text
    assert "None" not in text and "nan" not in text and "0.00 亿元" not in text
    images = [r.target_part.blob for r in doc.part.rels.values() if "image" in r.reltype]
    assert images and images[0].startswith(PNG)


def test_pptx_briefing(tmp_path, expected):
    deck = Presentation(str(write(tmp_path, "简报.pptx")))
    shapes = [s for slide in deck.slides for s in slide.shapes]
    text = "\n".join([s.text_frame.text for s in shapes if s.has_text_frame]
                     + [c.text for s in shapes if s.has_table for row in s.table.rows for c in row.cells])
    assert expected["chain"] in text and expected["top"] in text and t("wb.sample") in text
    assert "None" not in text and "nan" not in text
    pictures = [s for s in shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert pictures and pictures[0].image.blob.startswith(PNG)
    assert all(s.left >= 0 and s.top >= 0 and s.left + s.width <= deck.slide_width
               and s.top + s.height <= deck.slide_height for s in pictures)


def test_pdf_briefing(tmp_path, expected):
    path = write(tmp_path, "简报.pdf")
    pdf = pdfium.PdfDocument(path)
    text = "\n".join(page.get_textpage().get_text_range() for page in pdf)
    assert text.startswith(f"产业链招商简报（{expected['chain']}）")
    assert expected["top"] in text and t("wb.sample") in text
    assert all(name in text for name in expected["breaks"]) and "口径：" in text and "数据来源：" in text
    assert "None" not in text and "nan" not in text and "0.00 亿元" not in text
    raw = path.read_bytes()  # the CJK font is embedded (a subset), so any reader shows the Chinese
    assert b"/FontFile3" in raw and b"NotoSansCJKSC" in raw
    images = [o for page in pdf for o in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])]
    assert images and images[0].get_px_size()[0] > 1000  # the map picture, at print resolution


def test_bad_suffix_is_one_clear_line(tmp_path):
    result = CliRunner().invoke(app, ["--data", str(DATA), "brief", "--chain", BATTERY, "--out", str(tmp_path / "b.odt")])
    assert result.exit_code == 2 and "简报可以写成 .docx、.pptx、.pdf" in result.output and "Traceback" not in result.output


def test_pdf_without_the_cjk_font_is_one_clear_line(tmp_path, monkeypatch):
    from chain_graph.output import brief_pdf
    monkeypatch.setattr(brief_pdf, "FONT_DIRS", (tmp_path,))
    brief_pdf.cjk_font.cache_clear()
    try:
        result = CliRunner().invoke(app, ["--data", str(DATA), "brief", "--chain", BATTERY,
                                          "--out", str(tmp_path / "b.pdf")])
    finally:
        brief_pdf.cjk_font.cache_clear()
    assert result.exit_code == 2 and "Noto Sans CJK SC" in result.output and "scripts/setup" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "b.pdf").exists()


def test_the_app_greys_out_the_pdf_button_without_the_font(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest
    from chain_graph.output import brief_pdf
    monkeypatch.setenv("CHAIN_GRAPH_DATA", str(DATA))
    monkeypatch.delenv("CHAIN_GRAPH_STORE", raising=False)
    monkeypatch.delenv("CHAIN_GRAPH_PASSWORD", raising=False)
    monkeypatch.setattr(brief_pdf, "FONT_DIRS", (tmp_path,))
    brief_pdf.cjk_font.cache_clear()
    try:
        at = AppTest.from_file(str(DATA.parent / "app.py"), default_timeout=60).run()
        at.switch_page("chain_graph_app/web/chain_map.py").run()
    finally:
        brief_pdf.cjk_font.cache_clear()
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    pdf, word = buttons["招商简报（PDF）"], buttons["招商简报（Word）"]
    assert pdf.disabled and "scripts/setup" in pdf.help and not word.disabled
