"""产业链招商简报: one chain on a few pages (Word) or slides (PowerPoint) a 招商 officer hands to a
leader as it comes out — the map picture, status counts and 本地供应率, the 断点, the 投资机会清单,
the top targets with their reasons, the pipeline projects and ledger rates, the 口径 and data sources,
and the 示例数据 notice when illustrative rows are in.

`briefing()` gathers the content once from a store and `sections()` orders it; `docx_bytes`,
`pptx_bytes` and brief_pdf.pdf_bytes only lay it out. python-docx and python-pptx write the Office
files offline, fpdf2 the PDF (with the CJK font embedded).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from ..analysis.gaps import Status, chain_gaps
from ..analysis.projects import ledger
from ..analysis.targets import chain_targets
from ..i18n import percent, t, yi, yi_sum
from ..settings import AnalysisSettings
from ..store import GraphStore
from . import mapdraw
from .deliverables import weights_text
from .viz import chain_map
from .workbook import Heading, heading_lines

SUFFIXES = (".docx", ".pptx", ".pdf")
TOP_TARGETS = 10
EAST_ASIAN_FONT = "Microsoft YaHei"  # what Office on Chinese Windows has; other systems substitute theirs


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Briefing:
    heading: Heading
    map_png: bytes
    summary: list[str]  # status counts, 本地供应率, investment
    break_points: list[str]
    opportunities: Table
    targets: Table
    projects: Table
    rates: Table


def briefing(store: GraphStore, settings: AnalysisSettings, chain_id: str, lang: str = "zh",
             made: date | None = None, landed: bool = False) -> Briefing:
    """The briefing's content for one chain, from the store's current data."""
    gaps = chain_gaps(store, chain_id, settings, landed)
    targets = chain_targets(store, gaps, settings)
    names = {c.id: c.name for c in store.chains()}
    chain_of = {link.id: names.get(link.chain, link.chain) for link in store.links()}
    made = made or date.today()
    drawing = mapdraw.layout(*chain_map(gaps, lang, chain_of), t("map.title", lang, chain=gaps.chain.name), lang)
    projects = store.projects(chain_id)
    books = ledger(projects, made)
    sample = any(x.sample for x in targets)
    sources = t("brief.sources", lang, version=store.version()) + (
        t("brief.chain_source", lang, source=gaps.chain.source) if gaps.chain.source else "")
    conditions = (weights_text(settings.weights, lang),) + ((t("ev.landed", lang),) if landed else ())
    heading = Heading(t("brief.title", lang), made, gaps.chain.name, store.version(), conditions,
                      t("brief.method", lang), sources, sample, lang)

    rate = percent(gaps.local_supply_rate, lang)
    basis = f"（{t(f'basis.{gaps.basis}', lang)}）" if gaps.basis else ""
    summary = [
        t("brief.counts", lang, links=len(gaps.links), **{s.value: gaps.count(s) for s in Status}),
        t("brief.supply_rate", lang, rate=rate, basis=basis),
        t("brief.investment", lang, n=len(projects), amount=yi_sum(books.investment, books.investment_unknown, lang)),
    ]
    breaks = [t("brief.break_point", lang, rank=g.break_point.rank, name=g.link.name,
                n=len(g.break_point.downstream), firms=g.break_point.downstream_firms)
              for g in sorted((g for g in gaps.links if g.break_point), key=lambda g: g.break_point.rank)]
    best: dict[str, list] = {}
    for x in sorted(targets, key=lambda x: (-x.score, x.firm_id)):
        best.setdefault(x.link_id, []).append(x)
    opportunities = Table(
        [t(k, lang) for k in ("col.link", "col.link_status", "col.break_point", "col.own_fill",
                              "col.input_supply_rate", "col.top_targets")],
        [[g.link.name, t(f"status.{g.status.value}", lang), f"#{g.break_point.rank}" if g.break_point else "",
          percent(g.fill.share if g.fill else None, lang), percent(g.local_supply_rate, lang),
          "；".join(x.firm_name for x in best.get(g.link.id, [])[:3]) or t("word.na", lang)]
         for g in gaps.wanted])
    top = Table(
        [t(k, lang) for k in ("col.rank", "col.firm", "col.link", "col.province", "col.score", "col.reasons")],
        [[str(x.rank), x.firm_name, x.link_name, x.candidate.province or t("word.na", lang), f"{x.score:.1f}",
          "；".join(x.reasons_text(lang))] for x in targets[:TOP_TARGETS]])
    link_names = gaps.names
    pipeline = Table(
        [t(k, lang) for k in ("col.project", "col.status", "col.link", "col.investment")],
        [[p.name, t(f"project.{p.status.value}", lang), "；".join(link_names.get(i, i) for i in p.link_ids),
          yi(p.investment, lang)] for p in projects if p.status.in_pipeline])
    rates = Table([t("col.rate", lang), t("col.value", lang), t("col.rests_on", lang)],
                  [[t(f"rate.{r.key}", lang), percent(r.value, lang), str(r.projects)] for r in books.rates])
    return Briefing(heading, mapdraw.png(drawing, lang), summary, breaks, opportunities, top, pipeline, rates)


def sections(b: Briefing) -> list[tuple[str, list[str] | Table]]:
    """The briefing's sections in order, the one list every format lays out."""
    lang = b.heading.lang
    return [
        (t("brief.overview", lang), b.summary),
        (t("brief.break_points", lang), b.break_points or [t("brief.no_break_point", lang)]),
        (t("wb.opportunities", lang), b.opportunities),
        (t("brief.top_targets", lang), b.targets),
        (t("brief.pipeline", lang), b.projects),
        (t("wb.ledger_rates", lang), b.rates),
    ]


def docx_bytes(b: Briefing) -> bytes:
    """The briefing as a Word document: title block, map picture, then one section per topic."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(1.8))
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    lang = b.heading.lang
    for kind, text in heading_lines(b.heading):
        if kind == "title":
            doc.add_heading(text, level=0)
        else:
            run = doc.add_paragraph().add_run(text)
            if kind == "notice":
                run.bold, run.font.color.rgb = True, RGBColor(0xC0, 0x00, 0x00)
    doc.add_heading(t("map.page_title", lang), level=1)
    doc.add_picture(io.BytesIO(b.map_png), width=Cm(24))
    for title, body in sections(b):
        doc.add_heading(title, level=1)
        if isinstance(body, Table):
            if not body.rows:
                doc.add_paragraph(t("wb.empty", lang))
                continue
            table = doc.add_table(rows=1, cols=len(body.headers))
            table.style = "Table Grid"
            for cell, header in zip(table.rows[0].cells, body.headers):
                cell.text = header
                cell.paragraphs[0].runs[0].bold = True
            for row in body.rows:
                for cell, value in zip(table.add_row().cells, row):
                    cell.text = value
        else:
            for line in body:
                doc.add_paragraph(line, style="List Bullet")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def pptx_bytes(b: Briefing) -> bytes:
    """The briefing as 16:9 slides: title, map, overview and 断点, then one table a slide."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Cm, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Cm(33.867), Cm(19.05)
    lang = b.heading.lang
    blank, title_only = deck.slide_layouts[6], deck.slide_layouts[5]

    def text_box(slide, lines: list[tuple[str, str]], top: float, size: int = 14) -> None:
        frame = slide.shapes.add_textbox(Cm(1.5), Cm(top), deck.slide_width - Cm(3), Cm(19.05 - top - 1)).text_frame
        frame.word_wrap = True
        for i, (kind, line) in enumerate(lines):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = line
            run.font.size = Pt(28 if kind == "title" else size)
            run.font.bold = kind in ("title", "notice")
            if kind == "notice":
                run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)

    def titled(title: str):
        slide = deck.slides.add_slide(title_only)
        slide.shapes.title.text = title
        slide.shapes.title.text_frame.paragraphs[0].runs[0].font.size = Pt(26)
        return slide

    text_box(deck.slides.add_slide(blank), heading_lines(b.heading), 3.0, 16)
    slide = titled(t("map.page_title", lang))
    from PIL import Image

    with Image.open(io.BytesIO(b.map_png)) as picture:
        ratio = picture.width / picture.height
    room_w, room_h = deck.slide_width - Cm(2), deck.slide_height - Cm(4.2)
    width = min(room_w, int(room_h * ratio))
    slide.shapes.add_picture(io.BytesIO(b.map_png), int((deck.slide_width - width) / 2), Cm(3.9), width=width)
    for title, body in sections(b):
        if isinstance(body, Table):
            rows = body.rows[:12]
            slide = titled(title)
            if not rows:
                text_box(slide, [("meta", t("wb.empty", lang))], 4.0)
                continue
            shape = slide.shapes.add_table(len(rows) + 1, len(body.headers), Cm(1.2), Cm(3.9),
                                           deck.slide_width - Cm(2.4), Cm(1.0) * (len(rows) + 1))
            for c, header in enumerate(body.headers):
                shape.table.cell(0, c).text = header
            for r, row in enumerate(rows, start=1):
                for c, value in enumerate(row):
                    shape.table.cell(r, c).text = value
            for cell in (shape.table.cell(r, c) for r in range(len(rows) + 1) for c in range(len(body.headers))):
                for paragraph in cell.text_frame.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(10)
        else:
            text_box(titled(title), [("meta", line) for line in body], 4.0, 16)
    text_box(titled(t("brief.method_title", lang)),
             [(kind, line) for kind, line in heading_lines(b.heading)[1:]], 4.0, 14)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def write_briefing(b: Briefing, suffix: str) -> bytes:
    """The file for `suffix` (.docx, .pptx or .pdf)."""
    match suffix.lower():
        case ".docx":
            return docx_bytes(b)
        case ".pptx":
            return pptx_bytes(b)
        case ".pdf":
            from .brief_pdf import pdf_bytes
            return pdf_bytes(b)
    raise ValueError(t("brief.bad_suffix", b.heading.lang, suffix=suffix, supported="、".join(SUFFIXES)))
