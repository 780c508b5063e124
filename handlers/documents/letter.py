"""An official Persian letter or decree on A4, laid out as Iranian administrative letters are.

The letterhead carries the organisation on the right, «بسمه‌تعالی» in the middle and the number, Jalali
date and attachments at the top left. The body follows (recipient, subject, justified paragraphs); the
signature block sits at the bottom left of the last page, always at the same place, so a later step can
put a visible signature stamp in :data:`SIGNATURE_BOX` without reading the PDF's layout.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, NextPageTemplate, PageTemplate

from handlers.documents.fonts import BOLD, REGULAR, register_fonts
from handlers.documents.layout import (
    ACCENT,
    BODY,
    BOTTOM_MARGIN,
    FRAME_WIDTH,
    INK,
    MARGIN,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RULE,
    TITLE,
    TOP_MARGIN,
    PageDecor,
    numbered_canvas,
    text,
)
from handlers.documents.persian_text import code_digits, fits_width, jalali_date, shape, wrap

LETTERHEAD_HEIGHT = 42 * mm
_SIGN_WIDTH = 70 * mm
_NAME_HEIGHT = 15 * mm
_STAMP_HEIGHT = 30 * mm
_BLOCK_HEIGHT = _NAME_HEIGHT + _STAMP_HEIGHT + 4 * mm


@dataclasses.dataclass(frozen=True)
class StampBox:
    """Where the visible signature goes: PDF points from the page's bottom-left corner, on ``page``."""

    page: int  # -1: the letter's last page
    x0: float
    y0: float
    x1: float
    y1: float

    def as_tuple(self) -> tuple[float, float, float, float]:
        return self.x0, self.y0, self.x1, self.y1


SIGNATURE_BOX = StampBox(
    page=-1,
    x0=MARGIN,
    y0=BOTTOM_MARGIN + _NAME_HEIGHT,
    x1=MARGIN + _SIGN_WIDTH,
    y1=BOTTOM_MARGIN + _NAME_HEIGHT + _STAMP_HEIGHT,
)


def render_letter(
    *,
    title: str,
    number: str,
    date: dt.datetime,
    to: str,
    subject: str,
    body_paragraphs: Sequence[str],
    signer_name: str,
    signer_title: str,
    org_title: str,
    attachments: str = "ندارد",
) -> bytes:
    """The letter's PDF. ``date`` is shown in Jalali (Tehran time); ``to`` may span lines with ``\\n``."""
    register_fonts()
    head = _Letterhead(org_title, code_digits(number), jalali_date(date), attachments)
    out = io.BytesIO()
    doc = BaseDocTemplate(
        out,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        title=f"{title} — {subject}",
        author=org_title,
        subject=subject,
        creator="Nezarat",
        invariant=1,
    )
    later = PageDecor(f"ادامه {title} شماره {head.number} مورخ {head.date}")
    doc.addPageTemplates(
        [
            PageTemplate("first", [_frame(first=True)], onPage=head),
            PageTemplate("later", [_frame(first=False)], onPage=later),
        ]
    )
    story: list[Flowable] = [NextPageTemplate("later")]
    story += _opening(title, to, subject)
    story += [text(p, BODY.but(align="justify", space_after=5)) for p in body_paragraphs if p.strip()]
    story.append(SignatureBlock(signer_name, signer_title))
    doc.build(story, canvasmaker=numbered_canvas(skip_first=False, min_pages=2))
    return out.getvalue()


def _frame(*, first: bool) -> Frame:
    top = PAGE_HEIGHT - (LETTERHEAD_HEIGHT if first else TOP_MARGIN)
    # no padding: the signature block's place is computed from the frame's edges
    return Frame(
        MARGIN,
        BOTTOM_MARGIN,
        FRAME_WIDTH,
        top - BOTTOM_MARGIN,
        id="first" if first else "later",
        **_NO_PADDING,
    )


_NO_PADDING = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}


def _opening(title: str, to: str, subject: str) -> list[Flowable]:
    bold = BODY.but(font=BOLD)
    return [
        text(title, TITLE.but(size=15, leading=24, color=INK, space_after=4)),
        text(to, bold.but(space_after=2)),
        text(f"موضوع: {subject}", bold.but(space_after=8)),
    ]


class _Letterhead:
    """Draws the first page's letterhead: organisation, «بسمه‌تعالی», number, date and attachments."""

    def __init__(self, org_title: str, number: str, date: str, attachments: str) -> None:
        self.org_title, self.number, self.date, self.attachments = org_title, number, date, attachments

    def __call__(self, canvas: Canvas, doc: object) -> None:
        canvas.saveState()
        canvas.setFillColor(INK)
        canvas.setFont(REGULAR, 10)
        canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 13 * mm, shape("بسمه‌تعالی"))
        top = PAGE_HEIGHT - 22 * mm
        canvas.setFillColor(ACCENT)
        canvas.setFont(BOLD, 11.5)
        for i, line in enumerate(wrap(self.org_title, fits_width(BOLD, 11.5, 80 * mm))[:2]):
            canvas.drawRightString(PAGE_WIDTH - MARGIN, top - i * 16, shape(line))
        self._reference(canvas, top)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.8)
        rule = PAGE_HEIGHT - LETTERHEAD_HEIGHT + 4 * mm
        canvas.line(MARGIN, rule, PAGE_WIDTH - MARGIN, rule)
        canvas.restoreState()

    def _reference(self, canvas: Canvas, top: float) -> None:
        """Number, date, attachments at the top left, labels in a column so the values line up."""
        labels = ("شماره:", "تاریخ:", "پیوست:")
        values = (self.number, self.date, self.attachments)
        right = MARGIN + 58 * mm
        for i, (label, value) in enumerate(zip(labels, values, strict=True)):
            y = top - i * 15
            canvas.setFont(BOLD, 9.5)
            canvas.setFillColor(MUTED)
            canvas.drawRightString(right, y, shape(label))
            canvas.setFont(REGULAR, 9.5)
            canvas.setFillColor(INK)
            canvas.drawRightString(right - 13 * mm, y, shape(value))


class SignatureBlock(Flowable):
    """The signer's name and title at the bottom left of the page, the stamp box above them.

    It claims the rest of the frame and draws at the frame's bottom, so its place on the page is fixed;
    if less than its own height is left, platypus moves it to a new page.
    """

    def __init__(self, name: str, title: str) -> None:
        super().__init__()
        self.name, self.title = name, title

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (reportlab API)
        self.width = availWidth
        self.height = availHeight if availHeight >= _BLOCK_HEIGHT else _BLOCK_HEIGHT
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        centre = _SIGN_WIDTH / 2
        canvas.setFillColor(INK)
        lines = [(BOLD, 11, self.name), (REGULAR, 10, self.title)]
        for i, (font, size, value) in enumerate(line for line in lines if line[2]):
            canvas.setFont(font, size)
            canvas.drawCentredString(centre, _NAME_HEIGHT - (5 + 6 * i) * mm, shape(value))
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.setDash(2, 2)
        canvas.rect(0, _NAME_HEIGHT, _SIGN_WIDTH, _STAMP_HEIGHT)
