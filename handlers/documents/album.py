"""The budget album (آلبوم بودجه): cover, summary with charts, uses per unit, and the approvals page.

``render_album`` takes the ``budget`` case data as it travels through the budget process and returns
the PDF's bytes. Pages after the cover carry a running header and "صفحه n از m" in Persian digits.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
)

from handlers.documents.album_tables import summary_page, unit_pages
from handlers.documents.budget_model import Budget, read_budget
from handlers.documents.fonts import register_fonts
from handlers.documents.layout import (
    ACCENT,
    BODY,
    BOTTOM_MARGIN,
    FRAME_WIDTH,
    HEADING,
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RULE,
    SMALL,
    SUBHEADING,
    TITLE,
    TOP_MARGIN,
    PageDecor,
    numbered_canvas,
    rtl_table,
    text,
)
from handlers.documents.persian_text import amount, fiscal_year_span, jalali_datetime, persian_digits, when


def render_album(
    budget: Mapping[str, Any],
    *,
    unit_title: str,
    council_approval: Mapping[str, Any],
    approvals: Sequence[Mapping[str, Any]],
    generated_at: dt.datetime,
    unit_titles: Mapping[str, str] | None = None,
) -> bytes:
    """The album PDF of ``budget``. Raises ``InvalidInput`` (Persian) if the budget cannot be printed.

    ``council_approval`` holds ``date`` and ``resolution_no`` of the city council's approval;
    ``approvals`` lists ``{role, name, at}`` in the order they were given; ``unit_titles`` names the
    spending units other than the budget's own (which is ``unit_title``).
    """
    register_fonts()
    plan = read_budget(budget)
    titles = {**(unit_titles or {}), plan.unit: unit_title}
    year = persian_digits(plan.fiscal_year)
    out = io.BytesIO()
    doc = _document(out, f"آلبوم بودجه سال {year} — {unit_title}", generated_at)
    story: list[Flowable] = [
        *cover(plan, unit_title, council_approval, generated_at),
        NextPageTemplate("body"),
        PageBreak(),
        *summary_page(plan),
        PageBreak(),
        *unit_pages(plan, titles),
        PageBreak(),
        *approvals_page(plan, unit_title, council_approval, approvals),
    ]
    doc.build(story, canvasmaker=numbered_canvas(skip_first=True))
    return out.getvalue()


def _document(out: io.BytesIO, title: str, generated_at: dt.datetime) -> BaseDocTemplate:
    doc = BaseDocTemplate(
        out,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=title,
        author="Nezarat",
        subject=title,
        creator="Nezarat",
        invariant=1,  # same input, same bytes: the album's sha256 is its attachment reference
    )
    frame = Frame(MARGIN, BOTTOM_MARGIN, FRAME_WIDTH, PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN, id="body")
    note = f"تهیه‌شده در سامانه نظارت — {jalali_datetime(generated_at)}"
    doc.addPageTemplates(
        [
            PageTemplate("cover", [frame], onPage=_cover_border),
            PageTemplate("body", [frame], onPage=PageDecor(title, note)),
        ]
    )
    return doc


def _cover_border(canvas: Canvas, doc: object) -> None:
    canvas.saveState()
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(2)
    canvas.rect(12 * mm, 12 * mm, PAGE_WIDTH - 24 * mm, PAGE_HEIGHT - 24 * mm)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.rect(14.5 * mm, 14.5 * mm, PAGE_WIDTH - 29 * mm, PAGE_HEIGHT - 29 * mm)
    canvas.restoreState()


def cover(
    plan: Budget, unit_title: str, council: Mapping[str, Any], generated_at: dt.datetime
) -> list[Flowable]:
    year = persian_digits(plan.fiscal_year)
    first, last = fiscal_year_span(plan.fiscal_year)
    centred = BODY.but(align="center")
    return [
        text("بسمه‌تعالی", centred.but(size=11)),
        Spacer(1, 42 * mm),
        text(unit_title, TITLE.but(size=18, leading=30)),
        Spacer(1, 6 * mm),
        text(f"آلبوم بودجه سال {year}", TITLE.but(size=30, leading=50)),
        text(f"سال مالی از {first} تا {last}", centred.but(size=12, leading=22)),
        Spacer(1, 26 * mm),
        _facts(plan, council, generated_at),
    ]


def _facts(plan: Budget, council: Mapping[str, Any], generated_at: dt.datetime) -> Flowable:
    rows = [
        ["شرح", "مقدار"],
        ["جمع کل منابع (ریال)", amount(plan.total_resources)],
        ["جمع کل مصارف (ریال)", amount(plan.total_uses)],
        ["مصوبه شورای اسلامی شهر", _council_text(council)],
        ["بخشنامه بودجه", persian_digits(plan.circular)],
        ["تاریخ تهیه", jalali_datetime(generated_at)],
    ]
    return rtl_table(rows, [62 * mm, 78 * mm], numeric=(1,), align="CENTER")


def _council_text(council: Mapping[str, Any]) -> str:
    number = council.get("resolution_no") or council.get("number") or "—"
    return f"شماره {persian_digits(number)} مورخ {when(council.get('date'), with_time=False)}"


def approvals_page(
    plan: Budget, unit_title: str, council: Mapping[str, Any], approvals: Sequence[Mapping[str, Any]]
) -> list[Flowable]:
    """The council's resolution and every approval of the budget, in order."""
    year = persian_digits(plan.fiscal_year)
    rows = [["ردیف", "سمت", "نام و نام خانوادگی", "تاریخ و ساعت تأیید"]]
    for number, item in enumerate(approvals, start=1):
        rows.append(
            [
                persian_digits(number),
                str(item.get("role", "")),
                str(item.get("name", "")),
                when(item.get("at")),
            ]
        )
    if len(rows) == 1:
        rows.append(["", "تأییدی ثبت نشده است", "", ""])
    widths = [14 * mm, FRAME_WIDTH - 120 * mm, 56 * mm, 50 * mm]
    return [
        text("تأییدها و تصویب", HEADING),
        text(
            f"بودجه سال {year} {unit_title} به موجب مصوبه {_council_text(council)} شورای اسلامی شهر "
            "تصویب شده و مراحل تأیید زیر را در سامانه نظارت گذرانده است.",
            BODY.but(align="justify", space_after=6),
        ),
        text("فهرست تأییدها", SUBHEADING),
        rtl_table(rows, widths, numeric=(0, 3)),
        Spacer(1, 4 * mm),
        text("تاریخ‌ها به وقت تهران و به تقویم هجری شمسی است.", SMALL),
    ]
