"""Charts for Persian documents, drawn with reportlab.graphics: a pie with a legend and a horizontal bar chart.

Both read right to left: the pie's legend stands on the right with its swatches at the right edge, and
bars grow leftward from a baseline on the right, their category labels right of it, the first category
on top. Every label is shaped; value-axis labels use Persian digits.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, Group, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from handlers.documents.fonts import BOLD, REGULAR
from handlers.documents.persian_text import amount, percent, shape

PALETTE = [
    colors.HexColor(c)
    for c in ("#0b5c7a", "#2f9e8f", "#e0a526", "#d2603a", "#7b5ea7", "#5b8c3a", "#8a8f98", "#3b7dd8")
]
TITLE_SIZE = 9
LABEL_SIZE = 7


def _drawing(width: float, height: float) -> Drawing:
    drawing = Drawing(width, height)
    # the renderer starts each drawing in Helvetica, which would be listed (not embedded) in the PDF
    drawing.initialFontName = REGULAR
    return drawing


def _title(drawing: Drawing, title: str, width: float, height: float) -> None:
    drawing.add(
        String(
            width / 2,
            height - TITLE_SIZE - 2,
            shape(title),
            fontName=BOLD,
            fontSize=TITLE_SIZE,
            textAnchor="middle",
        )
    )


def pie_chart(items: Sequence[tuple[str, int]], *, title: str, width: float, height: float) -> Drawing:
    """Shares of a whole: the pie on the left, a legend "label ۴۵٫۲٪" on the right (zero items are left out)."""
    shown = [(label, value) for label, value in items if value > 0]
    total = sum(value for _, value in shown) or 1
    drawing = _drawing(width, height)
    _title(drawing, title, width, height)
    pie = Pie()
    size = min(height - TITLE_SIZE - 16, width * 0.42)
    pie.x, pie.y, pie.width, pie.height = 4, (height - TITLE_SIZE - 8 - size) / 2, size, size
    pie.data = [value for _, value in shown]
    pie.startAngle, pie.direction = 90, "clockwise"
    pie.slices.strokeColor, pie.slices.strokeWidth = colors.white, 0.8
    for i in range(len(shown)):
        pie.slices[i].fillColor = PALETTE[i % len(PALETTE)]
    drawing.add(pie)
    entries = [
        (f"{label} {percent(100 * value / total)}", PALETTE[i % len(PALETTE)])
        for i, (label, value) in enumerate(shown)
    ]
    drawing.add(legend(entries, right=width, top=height - TITLE_SIZE - 14))
    return drawing


def legend(
    entries: Sequence[tuple[str, colors.Color]], *, right: float, top: float, step: float = 12
) -> Group:
    """A right-to-left legend: swatch at the right edge, the shaped label ending just left of it."""
    group = Group()
    for i, (label, color) in enumerate(entries):
        y = top - i * step
        group.add(Rect(right - 8, y - 1, 7, 7, fillColor=color, strokeColor=None))
        group.add(
            String(right - 12, y, shape(label), fontName=REGULAR, fontSize=LABEL_SIZE, textAnchor="end")
        )
    return group


def bar_chart(
    items: Sequence[tuple[str, float, int]],
    *,
    title: str,
    width: float,
    height: float,
    series: Sequence[str] = (),
) -> Drawing:
    """Horizontal bars ``(label, value, colour index)`` growing leftward; ``series`` names the colours."""
    drawing = _drawing(width, height)
    _title(drawing, title, width, height)
    label_width = max(_label_widths(items), default=40) + 6
    legend_height = 12 if series else 0
    chart = HorizontalBarChart()
    chart.x, chart.y = 8, 16 + legend_height
    chart.width, chart.height = width - label_width - 14, height - TITLE_SIZE - 14 - chart.y
    chart.data = [[value for _, value, _ in items]]
    chart.barWidth, chart.groupSpacing = 6, 3
    for i, (_, _, colour) in enumerate(items):
        chart.bars[(0, i)].fillColor = PALETTE[colour % len(PALETTE)]
    chart.bars.strokeColor = None
    _axes(chart, [label for label, _, _ in items])
    drawing.add(chart)
    if series:
        drawing.add(_series_legend(series, width))
    return drawing


def _label_widths(items: Sequence[tuple[str, float, int]]) -> list[float]:
    return [stringWidth(shape(label), REGULAR, LABEL_SIZE) for label, _, _ in items]


def _axes(chart: HorizontalBarChart, labels: list[str]) -> None:
    value_axis, category_axis = chart.valueAxis, chart.categoryAxis
    value_axis.reverseDirection = 1  # zero on the right: bars grow toward the left
    value_axis.valueMin = 0
    value_axis.labels.fontName, value_axis.labels.fontSize = REGULAR, 6
    value_axis.labelTextFormat = lambda v: amount(round(v))
    value_axis.strokeColor = value_axis.gridStrokeColor = colors.HexColor("#c5ccd3")
    value_axis.visibleGrid, value_axis.gridStrokeWidth = 1, 0.3
    category_axis.reverseDirection = 1  # the first category on top
    category_axis.joinAxisMode = "right"
    category_axis.categoryNames = [shape(label) for label in labels]
    category_axis.labels.fontName, category_axis.labels.fontSize = REGULAR, LABEL_SIZE
    category_axis.labels.boxAnchor, category_axis.labels.dx = "w", 6
    category_axis.visibleTicks = 0


def _series_legend(series: Sequence[str], width: float) -> Group:
    group = Group()
    right = width
    for i, name in enumerate(series):
        text = shape(name)
        group.add(Rect(right - 8, 1, 7, 7, fillColor=PALETTE[i % len(PALETTE)], strokeColor=None))
        group.add(String(right - 12, 2, text, fontName=REGULAR, fontSize=LABEL_SIZE, textAnchor="end"))
        right -= 24 + String(0, 0, text, fontName=REGULAR, fontSize=LABEL_SIZE).getEast()
    return group


def side_by_side(right: Drawing, left: Drawing, *, gap: float = 12) -> Drawing:
    """One drawing holding two charts; ``right`` (read first) on the right."""
    drawing = _drawing(left.width + gap + right.width, max(left.height, right.height))
    drawing.add(Group(*left.contents))
    moved = Group(*right.contents)
    moved.translate(left.width + gap, 0)
    drawing.add(moved)
    return drawing
