"""A right-to-left paragraph flowable: wraps logical Persian text at the width it is given, then shapes each line.

reportlab's ``Paragraph`` wraps what it is handed, which for visual-order Persian means the end of a
sentence lands on the first line. This flowable learns its width in ``wrap`` (a frame's width or a
table cell's), breaks the logical text there, and draws each shaped line right-aligned, centred or
justified (every line but a paragraph's last stretched to both edges, as Persian letters are set).
"""

from __future__ import annotations

import dataclasses
from typing import Literal

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus import Flowable

from handlers.documents.fonts import REGULAR
from handlers.documents.persian_text import fits_width, shape, wrap

Align = Literal["right", "center", "left", "justify"]


@dataclasses.dataclass(frozen=True)
class TextStyle:
    font: str = REGULAR
    size: float = 10
    leading: float = 16
    align: Align = "right"
    color: colors.Color = colors.black
    space_before: float = 0
    space_after: float = 0

    def but(self, **changes: object) -> TextStyle:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


@dataclasses.dataclass(frozen=True)
class _Line:
    text: str
    last: bool  # the last line of a paragraph is never stretched


class RtlParagraph(Flowable):
    """Logical Persian text (``\\n`` starts a new paragraph line) drawn right to left."""

    def __init__(self, text: str, style: TextStyle, *, lines: list[_Line] | None = None) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self._lines = lines
        self._fixed = lines is not None  # a piece of a split paragraph keeps the lines it was given
        self._laid_for = -1.0
        self._width = 0.0
        self.spaceBefore = style.space_before
        self.spaceAfter = style.space_after

    def _layout(self, width: float) -> list[_Line]:
        out: list[_Line] = []
        for chunk in self.text.split("\n"):
            parts = wrap(chunk, fits_width(self.style.font, self.style.size, width))
            out += [_Line(p, i == len(parts) - 1) for i, p in enumerate(parts)]
        return out

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (reportlab API)
        self._width = availWidth
        if not self._fixed and self._laid_for != availWidth:
            self._lines = self._layout(availWidth)
            self._laid_for = availWidth
        assert self._lines is not None
        self.height = len(self._lines) * self.style.leading
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803 (reportlab API)
        self.wrap(availWidth, availHeight)
        assert self._lines is not None
        fit = int(availHeight // self.style.leading)
        if fit <= 0 or fit >= len(self._lines):
            return [] if fit <= 0 else [self]
        head, tail = self._lines[:fit], self._lines[fit:]
        first = RtlParagraph(self.text, self.style.but(space_after=0), lines=head)
        rest = RtlParagraph(self.text, self.style.but(space_before=0), lines=tail)
        return [first, rest]

    def draw(self) -> None:
        style, canvas = self.style, self.canv
        canvas.setFillColor(style.color)
        canvas.setFont(style.font, style.size)
        # centre the font's full height (Persian descenders are deep) in each line box
        ascent, descent = getAscentDescent(style.font, style.size)
        y = self.height - style.leading + (style.leading - ascent + descent) / 2 - descent
        for line in self._lines or []:
            self._draw_line(shape(line.text), line.last, y)
            y -= style.leading

    def _draw_line(self, visual: str, last: bool, y: float) -> None:
        canvas, width, align = self.canv, self._width, self.style.align
        if align == "justify" and not last and " " in visual:
            self._draw_justified(visual, y)
        elif align == "center":
            canvas.drawCentredString(width / 2, y, visual)
        elif align == "left":
            canvas.drawString(0, y, visual)
        else:
            canvas.drawRightString(width, y, visual)

    def _draw_justified(self, visual: str, y: float) -> None:
        words = visual.split()
        font, size = self.style.font, self.style.size
        widths = [stringWidth(w, font, size) for w in words]
        gap = (self._width - sum(widths)) / (len(words) - 1)
        x = 0.0
        for word, w in zip(words, widths, strict=True):
            self.canv.drawString(x, y, word)
            x += w + gap
