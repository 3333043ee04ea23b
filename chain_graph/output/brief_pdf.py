"""The 产业链招商简报 as PDF, laid out from the same content and section list as the Word and
PowerPoint files (brief.briefing, brief.sections).

fpdf2 writes it offline and embeds a subset of the system's Noto Sans CJK SC (the font the map
picture is drawn with; scripts/setup installs fonts-noto-cjk), so the Chinese text shows on any
reader and can be searched and copied. Without that font the PDF is refused with one line that says
what to install, never written with boxes for Chinese.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from ..i18n import Failure, msg, t
from .brief import Briefing, Table, sections
from .workbook import heading_lines

FONT = "cjk"
FACE = "Noto Sans CJK SC"
# where distributions put Noto Sans CJK: one collection of all its faces, or the SC face on its own
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts",
             Path.home() / ".fonts")
FONT_FILES = ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf", "NotoSansSC-Regular.otf")
RED, GREY, HEAD_FILL = (192, 0, 0), (90, 90, 90), (230, 236, 244)


@lru_cache(maxsize=1)
def cjk_font() -> tuple[Path, int]:
    """The font file with Noto Sans CJK SC and the face's number in it (a .ttc holds several)."""
    from fontTools.ttLib import TTCollection

    for folder in FONT_DIRS:
        for name in FONT_FILES:
            for path in sorted(folder.rglob(name)) if folder.is_dir() else ():
                if path.suffix != ".ttc":
                    return path, 0
                faces = TTCollection(str(path), lazy=True).fonts
                for number, face in enumerate(faces):
                    if face["name"].getDebugName(1) == FACE:
                        return path, number
    raise Failure(msg("brief.no_cjk_font", face=FACE))


def unavailable(lang: str = "zh") -> str | None:
    """Why no PDF can be written on this machine (no CJK font), or None: the app greys its button out."""
    try:
        cjk_font()
    except Failure as e:
        return e.text(lang)
    return None


def _widths(pdf, table: Table) -> tuple[float, ...]:
    """Column widths (mm) by the widest text in each column in the current font, capped so long reasons
    wrap: ranks stay narrow, names and reasons get the room."""
    return tuple(min(max(pdf.get_string_width(c) for c in column), 90) + 4 for column in zip(table.headers, *table.rows))


def pdf_bytes(b: Briefing) -> bytes:
    """The briefing as A4 landscape pages: title block, map picture, then one section per topic."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    lang = b.heading.lang
    path, number = cjk_font()
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=16)
    pdf.set_title(heading_lines(b.heading)[0][1])
    pdf.set_lang("zh-CN" if lang == "zh" else "en")
    pdf.add_font(FONT, fname=str(path), collection_font_number=number)
    pdf.add_page()

    def line(text: str, size: float, colour: tuple[int, int, int] = (0, 0, 0), gap: float = 1.5) -> None:
        pdf.set_font(FONT, size=size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    for kind, text in heading_lines(b.heading):
        line(text, 20 if kind == "title" else 10, RED if kind == "notice" else (0, 0, 0), 4 if kind == "title" else 1.5)
    pdf.add_page()
    line(t("map.page_title", lang), 15, gap=3)
    room_w, room_h = pdf.epw, pdf.eph - (pdf.get_y() - pdf.t_margin)
    pdf.image(io.BytesIO(b.map_png), w=room_w, h=room_h, keep_aspect_ratio=True)
    for title, body in sections(b):
        if pdf.get_y() > pdf.page_break_trigger - 40:  # no section title alone at the foot of a page
            pdf.add_page()
        pdf.ln(4)
        line(title, 15, gap=3)
        if isinstance(body, Table):
            if not body.rows:
                line(t("wb.empty", lang), 10, GREY)
                continue
            pdf.set_font(FONT, size=9)
            pdf.set_text_color(0, 0, 0)
            with pdf.table(col_widths=_widths(pdf, body), text_align="LEFT", line_height=4.6, padding=1.2,
                           headings_style=FontFace(fill_color=HEAD_FILL), repeat_headings=1) as grid:
                for row in [body.headers, *body.rows]:
                    cells = grid.row()
                    for value in row:
                        cells.cell(value)
        else:
            for text in body:
                line(f"• {text}", 11)
    return bytes(pdf.output())
