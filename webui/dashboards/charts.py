"""Horizontal bar charts as plain geometry for an SVG template: no chart package, no script, and the
numbers are written in the page's digits. On a right-to-left page labels stand at the right and bars
grow leftwards, so a chart reads the same way as the table beside it."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from engine import persian

WIDTH = 640
ROW = 30
BAR = 18
LABEL = 230  # room for a unit's title
VALUE = 70  # room for the number after a bar
MAX_LABEL = 34  # characters; the whole title is the bar's tooltip


@dataclasses.dataclass(frozen=True)
class Bar:
    label: str
    title: str
    text: str
    y: int
    x: float
    width: float
    text_x: float
    empty: bool


@dataclasses.dataclass(frozen=True)
class BarChart:
    """``direction`` is the page's; ``label_x`` where every label starts; ``target_x`` a target line."""

    width: int
    height: int
    direction: str
    label_x: float
    bars: list[Bar]
    target_x: float | None


def bar_chart(
    items: Sequence[tuple[str, float | None]],
    *,
    lang: str,
    maximum: float | None = None,
    percent: bool = False,
    target: float | None = None,
) -> BarChart:
    """One bar per (label, value); a None value is an empty row written "—". ``maximum`` is the full
    length (default: the largest value); ``percent`` writes values as percentages."""
    rtl = lang == "fa"
    top = maximum or max([v for _, v in items if v is not None] + [1])
    span = WIDTH - LABEL - VALUE
    bars = []
    for row, (label, value) in enumerate(items):
        length = 0.0 if value is None else span * min(max(value, 0) / top, 1)
        start = WIDTH - LABEL - length if rtl else LABEL
        after = start - 6 if rtl else start + length + 6
        short = label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"
        text = "—" if value is None else number(value, lang=lang, percent=percent)
        bars.append(Bar(short, label, text, row * ROW + 6, start, length, after, value is None))
    line = None
    if target is not None:
        line = WIDTH - LABEL - span * min(target / top, 1) if rtl else LABEL + span * min(target / top, 1)
    return BarChart(WIDTH, max(len(bars), 1) * ROW + 12, "rtl" if rtl else "ltr", _label_x(rtl), bars, line)


def _label_x(rtl: bool) -> float:
    return WIDTH - 6 if rtl else 6


def number(value: float, *, lang: str, percent: bool = False) -> str:
    """``۸۳٫۳٪`` / ``83.3%`` for a percentage; ``۱٬۲۵۰`` / ``1,250`` for a count."""
    if percent:
        text = f"{value:.1f}".removesuffix(".0")
        if lang != "fa":
            return f"{text}%"
        return persian.to_persian_digits(text).replace(".", persian.DECIMAL) + "٪"
    whole = int(value)
    return persian.grouped(whole) if lang == "fa" else f"{whole:,}"
