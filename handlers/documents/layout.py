"""Page furniture shared by Nezarat's documents: A4 geometry, text styles, right-to-left tables, page numbers.

Tables are built in reading order (first column on the right) and reversed for reportlab, which lays
columns out left to right. A table repeats its header rows on every page it spans. Page numbers are
written "صفحه ۲ از ۶" once the total is known, by a canvas that holds each page until the document ends.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Table, TableStyle

from handlers.documents.fonts import BOLD, REGULAR
from handlers.documents.persian_text import persian_digits, shape
from handlers.documents.rtl_paragraph import RtlParagraph, TextStyle

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
TOP_MARGIN = 24 * mm
BOTTOM_MARGIN = 20 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
ACCENT = colors.HexColor("#0b5c7a")
HEADER_FILL = colors.HexColor("#dceef5")
TOTAL_FILL = colors.HexColor("#eef2f5")
RULE = colors.HexColor("#9aa5b1")
WARN = colors.HexColor("#b42318")

BODY = TextStyle(font=REGULAR, size=10, leading=17, color=INK)
SMALL = BODY.but(size=8, leading=13, color=MUTED)
TITLE = BODY.but(font=BOLD, size=20, leading=34, align="center", color=ACCENT)
HEADING = BODY.but(font=BOLD, size=13, leading=22, color=ACCENT, space_before=6, space_after=4)
SUBHEADING = BODY.but(font=BOLD, size=11, leading=18, space_before=4, space_after=2)
CELL = BODY.but(size=8, leading=11.5)
CELL_BOLD = CELL.but(font=BOLD)
HEAD_CELL = CELL.but(font=BOLD, align="center")

Cell = str | Flowable


def text(value: str, style: TextStyle = BODY) -> RtlParagraph:
    return RtlParagraph(value, style)


def rtl_table(
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    *,
    numeric: Sequence[int] = (),
    bold_rows: Sequence[int] = (),
    header_rows: int = 1,
    spans: Sequence[tuple[int, int, int]] = (),
    align: str = "RIGHT",
) -> Table:
    """A table whose first column is on the right. ``rows[0:header_rows]`` repeat on every page.

    Strings in ``numeric`` columns are drawn as numbers (aligned right, so units line up); other strings
    become wrapping right-to-left paragraphs. ``bold_rows`` (indexes into ``rows``) are totals.
    ``spans`` merges cells down a column: ``(column, first_row, last_row)``.
    """
    count = len(widths)
    body: list[list[Cell]] = []
    for r, row in enumerate(rows):
        header, bold = r < header_rows, r in bold_rows
        cells = [_cell(value, c in numeric and not header, header, bold) for c, value in enumerate(row)]
        body.append(cells[::-1])
    table = Table(body, colWidths=list(widths)[::-1], repeatRows=header_rows, hAlign=align)
    mirrored = [count - 1 - c for c in numeric]
    table.setStyle(_table_style(mirrored, header_rows, bold_rows))
    table.setStyle([("SPAN", (count - 1 - c, first), (count - 1 - c, last)) for c, first, last in spans])
    return table


def _cell(value: Cell, numeric: bool, header: bool, bold: bool) -> Cell:
    if not isinstance(value, str):
        return value
    if numeric:
        return shape(value)
    style = HEAD_CELL if header else CELL_BOLD if bold else CELL
    return RtlParagraph(value, style)


def _table_style(numeric: Sequence[int], header_rows: int, bold_rows: Sequence[int]) -> TableStyle:
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), REGULAR, CELL.size, CELL.leading),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    commands += [("ALIGN", (c, header_rows), (c, -1), "RIGHT") for c in numeric]
    for r in bold_rows:
        commands += [("BACKGROUND", (0, r), (-1, r), TOTAL_FILL), ("FONT", (0, r), (-1, r), BOLD, CELL.size)]
    return TableStyle(commands)


class PageDecor:
    """Draws a running header (document and unit) and a footer note on every body page."""

    def __init__(self, title: str, note: str = "") -> None:
        self.title = title
        self.note = note

    def __call__(self, canvas: Canvas, doc: object) -> None:
        canvas.saveState()
        canvas.setFillColor(MUTED)
        canvas.setFont(REGULAR, 8.5)
        top = PAGE_HEIGHT - TOP_MARGIN + 8 * mm
        canvas.drawRightString(PAGE_WIDTH - MARGIN, top, shape(self.title))
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, top - 2.5 * mm, PAGE_WIDTH - MARGIN, top - 2.5 * mm)
        if self.note:
            canvas.drawString(MARGIN, BOTTOM_MARGIN - 10 * mm, shape(self.note))
        canvas.restoreState()


def page_number_label(page: int, total: int) -> str:
    return shape(f"صفحه {persian_digits(page)} از {persian_digits(total)}")


def numbered_canvas(*, skip_first: bool, min_pages: int = 1) -> Callable[..., Canvas]:
    """A canvas class that writes "صفحه n از m" at the foot of each page (not the cover if ``skip_first``).

    Documents shorter than ``min_pages`` get no numbers (a one-page letter needs none).
    """

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # reportlab starts every page in Helvetica, which would be listed (not embedded) in the PDF
            kwargs["initialFontName"] = kwargs.get("initialFontName") or REGULAR
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab API)
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                if (number > 1 or not skip_first) and total >= min_pages:
                    self._draw_number(number, total)
                super().showPage()
            super().save()

        def _draw_number(self, number: int, total: int) -> None:
            self.saveState()
            self.setFont(REGULAR, 8.5)
            self.setFillColor(MUTED)
            self.drawCentredString(PAGE_WIDTH / 2, BOTTOM_MARGIN - 10 * mm, page_number_label(number, total))
            self.restoreState()

    return NumberedCanvas
