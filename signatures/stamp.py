"""The visible signature stamp: a small one-page PDF drawn with reportlab, in Persian, right to left.

pyHanko's own text stamp cannot join Persian letters (see notes/signatures-pdf.md), so the stamp is drawn
here and handed to pyHanko as a static appearance. reportlab draws glyphs left to right without joining,
so every line goes through ``StampFace.shape`` first: a function from logical Persian text to the visual,
joined string (``handlers.documents.persian_text.shape``, injected by the caller because ``signatures``
may not import ``handlers``). The fonts are the ones the caller registered with reportlab (Vazirmatn via
``handlers.documents.fonts.register_fonts``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Callable

from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from engine.errors import NezaratError
from engine.persian import jalali_datetime

TITLE = "امضای دیجیتال"
_INK = Color(0.05, 0.22, 0.45)
_PAD = 6.0
_TITLE_SIZE = 10.0
_LINE_SIZE = 8.5


@dataclasses.dataclass(frozen=True)
class StampFace:
    """How to write Persian: the shaping function and the names of two fonts registered with reportlab."""

    shape: Callable[[str], str]
    regular_font: str = "Vazirmatn"
    bold_font: str = "Vazirmatn-Bold"


@dataclasses.dataclass(frozen=True)
class StampText:
    signer: str
    signed_at: dt.datetime
    role: str | None = None
    reason: str | None = None

    def lines(self) -> list[str]:
        """The body lines in logical order, top to bottom."""
        lines = [f"امضاکننده: {self.signer}"]
        if self.role:
            lines.append(f"سمت: {self.role}")
        lines.append(f"زمان: {jalali_datetime(self.signed_at)}")
        if self.reason:
            lines.append(f"موضوع: {self.reason}")
        return lines


def draw_stamp(text: StampText, face: StampFace, size: tuple[float, float]) -> bytes:
    """A one-page PDF of exactly ``size`` points: a framed title and the lines of ``text``, right-aligned."""
    _require_fonts(face)
    width, height = size
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=size, pageCompression=1)
    page.setStrokeColor(_INK)
    page.setFillColor(_INK)
    page.setLineWidth(1.2)
    page.roundRect(1.5, 1.5, width - 3, height - 3, 6)
    right, usable = width - _PAD - 2, width - 2 * _PAD - 4
    baseline = height - _PAD - _TITLE_SIZE
    page.setFont(face.bold_font, _TITLE_SIZE)
    page.drawRightString(right, baseline, face.shape(TITLE))
    page.setLineWidth(0.6)
    page.line(_PAD + 2, baseline - 7, width - _PAD - 2, baseline - 7)  # below the descenders of the title
    page.setFont(face.regular_font, _LINE_SIZE)
    baseline -= 4
    for line in text.lines():
        baseline -= _LINE_SIZE + 4
        if baseline < _PAD:
            break
        page.drawRightString(right, baseline, _fitted(line, face, usable))
    page.showPage()
    page.save()
    return out.getvalue()


def _fitted(line: str, face: StampFace, width: float) -> str:
    """The shaped line, shortened at word ends with an ellipsis until it fits ``width``."""
    words = line.split()
    shaped = face.shape(line)
    while len(words) > 1 and pdfmetrics.stringWidth(shaped, face.regular_font, _LINE_SIZE) > width:
        words.pop()
        shaped = face.shape(" ".join(words) + "…")
    return shaped


def _require_fonts(face: StampFace) -> None:
    missing = {face.regular_font, face.bold_font} - set(pdfmetrics.getRegisteredFontNames())
    if missing:
        raise NezaratError(
            f"قلم {', '.join(sorted(missing))} برای مهر امضا ثبت نشده است "
            f"(font {', '.join(sorted(missing))} is not registered with reportlab)",
            hint="call handlers.documents.fonts.register_fonts() before signing PDFs",
        )
