"""The album's summary page (resources and uses by chapter, balance, charts) and its per-unit tables of uses.

Amounts are printed in Rials, exactly as the budget holds them, with Persian digits and separators;
charts show billions of Rials. Every table lists its first column on the right.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from handlers.documents import charts
from handlers.documents.budget_model import Budget, ChapterTotal, UseLine
from handlers.documents.budget_terms import resource_short, use_short
from handlers.documents.layout import (
    CELL_BOLD,
    FRAME_WIDTH,
    HEADING,
    SMALL,
    SUBHEADING,
    WARN,
    rtl_table,
    text,
)
from handlers.documents.persian_text import amount, code_digits, percent, persian_digits

BILLION = 1_000_000_000
_TOTAL = "جمع کل"
CHART_HEIGHT = 178


def _share(part: int, whole: int) -> str:
    return percent(100 * part / whole) if whole else "—"


def _money(value: int) -> str:
    return amount(value) if value else "—"


def summary_page(budget: Budget) -> list[Flowable]:
    """Resources and uses by chapter with totals and balance, then the two charts."""
    year = persian_digits(budget.fiscal_year)
    return [
        text(f"خلاصه منابع و مصارف بودجه سال {year}", HEADING),
        text("مبالغ به ریال", SMALL),
        text("منابع به تفکیک فصل", SUBHEADING),
        resources_table(budget),
        text("مصارف به تفکیک بخش و فصل", SUBHEADING),
        uses_table(budget),
        Spacer(1, 3 * mm),
        balance_table(budget),
        Spacer(1, 3 * mm),
        summary_charts(budget),
    ]


def resources_table(budget: Budget) -> Flowable:
    total = budget.total_resources
    rows: list[list[str]] = [["فصل", "عنوان فصل منابع", "مبلغ (ریال)", "سهم از کل"]]
    for chapter in budget.resources_by_chapter():
        rows.append(
            [
                persian_digits(chapter.chapter),
                chapter.title,
                _money(chapter.amount),
                _share(chapter.amount, total),
            ]
        )
    rows.append(["", "جمع منابع", amount(total), _share(total, total)])
    widths = [12 * mm, FRAME_WIDTH - 82 * mm, 46 * mm, 24 * mm]
    return rtl_table(rows, widths, numeric=(0, 2, 3), bold_rows=(len(rows) - 1,))


def uses_table(budget: Budget) -> Flowable:
    total = budget.total_uses
    rows: list[list[str]] = [["بخش", "فصل", "عنوان فصل مصارف", "مبلغ (ریال)", "سهم از کل"]]
    bold: list[int] = []
    spans: list[tuple[int, int, int]] = []
    for section, name in budget.section_titles().items():
        chapters = [c for c in budget.uses_by_chapter() if c.section == section]
        if not chapters:
            continue
        for i, chapter in enumerate(chapters):
            label = name if i == 0 else ""
            rows.append(
                [
                    label,
                    persian_digits(chapter.chapter),
                    chapter.title,
                    amount(chapter.amount),
                    _share(chapter.amount, total),
                ]
            )
        subtotal = sum(c.amount for c in chapters)
        rows.append(["", "", f"جمع {name}", _money(subtotal), _share(subtotal, total)])
        bold.append(len(rows) - 1)
        spans.append((0, len(rows) - 1 - len(chapters), len(rows) - 2))
    rows.append(["", "", "جمع مصارف", amount(total), _share(total, total)])
    widths = [34 * mm, 10 * mm, FRAME_WIDTH - 114 * mm, 46 * mm, 24 * mm]
    return rtl_table(rows, widths, numeric=(1, 3, 4), bold_rows=(*bold, len(rows) - 1), spans=spans)


def balance_table(budget: Budget) -> Flowable:
    """Resources minus uses, in words: balanced, a surplus or a deficit (never a bare minus sign)."""
    balance = budget.balance
    if balance == 0:
        verdict = "متوازن: جمع منابع با جمع مصارف برابر است"
    else:
        verdict = "مازاد منابع بر مصارف" if balance > 0 else "کسری منابع نسبت به مصارف"
    shown = text(verdict, CELL_BOLD.but(color=WARN if balance else CELL_BOLD.color))
    rows = [["تراز بودجه (جمع منابع منهای جمع مصارف)", "مبلغ (ریال)"], [shown, amount(abs(balance))]]
    table = rtl_table(rows, [FRAME_WIDTH - 46 * mm, 46 * mm], numeric=(1,), bold_rows=(1,))
    if balance:
        table.setStyle([("TEXTCOLOR", (0, 1), (0, 1), WARN)])  # the amount (column 0 once mirrored)
    return table


def summary_charts(budget: Budget) -> Flowable:
    half = (FRAME_WIDTH - 12) / 2
    slices = [(resource_short(c.chapter, c.title), c.amount) for c in budget.resources_by_chapter()]
    pie = charts.pie_chart(slices, title="منابع به تفکیک فصل", width=half, height=CHART_HEIGHT)
    bars = charts.bar_chart(
        [_bar(c, list(budget.section_titles())) for c in budget.uses_by_chapter()],
        title="مصارف به تفکیک فصل (میلیارد ریال)",
        width=half,
        height=CHART_HEIGHT,
        series=list(budget.section_titles().values()),
    )
    return KeepTogether([charts.side_by_side(pie, bars)])


def _bar(chapter: ChapterTotal, sections: list[str]) -> tuple[str, float, int]:
    label = use_short(chapter.section, chapter.chapter, chapter.title)
    return label, chapter.amount / BILLION, sections.index(chapter.section)


def unit_pages(budget: Budget, titles: Mapping[str, str]) -> list[Flowable]:
    """For each spending unit: its lines of uses, then current/capital × activity/service totals."""
    story: list[Flowable] = [text("مصارف به تفکیک واحد", HEADING), text("مبالغ به ریال", SMALL)]
    for unit in budget.units():
        lines = [u for u in budget.uses if u.unit == unit]
        story += [
            CondPageBreak(50 * mm),
            text(f"مصارف {titles.get(unit, unit)}", SUBHEADING),
            unit_table(budget, lines),
            Spacer(1, 2 * mm),
            KeepTogether([cross_table(budget, lines)]),
            Spacer(1, 4 * mm),
        ]
    return story


def unit_table(budget: Budget, lines: Sequence[UseLine]) -> Flowable:
    """One unit's lines of uses by section, with section subtotals and the unit's total."""
    kinds = budget.kind_titles()
    rows: list[list[str]] = [["کد", "عنوان ردیف", "بخش", "نوع", "طرح", "مبلغ (ریال)"]]
    bold: list[int] = []
    for section, name in budget.section_titles().items():
        part = sorted((u for u in lines if u.section == section), key=lambda u: u.code)
        if not part:
            continue
        for u in part:
            kind = kinds.get(u.classification, u.classification)
            rows.append([code_digits(u.code), u.title, name, kind, u.project or "—", amount(u.amount)])
        rows.append(["", f"جمع {name}", "", "", "", amount(sum(u.amount for u in part))])
        bold.append(len(rows) - 1)
    rows.append(["", "جمع واحد", "", "", "", amount(sum(u.amount for u in lines))])
    widths = [13 * mm, FRAME_WIDTH - 124 * mm, 37 * mm, 14 * mm, 22 * mm, 38 * mm]
    return rtl_table(rows, widths, numeric=(0, 4, 5), bold_rows=(*bold, len(rows) - 1))


def cross_table(budget: Budget, lines: Sequence[UseLine]) -> Flowable:
    """Current and capital against activity and service, with totals both ways."""
    kinds = budget.kind_titles()
    rows: list[list[str]] = [["", *kinds.values(), "جمع"]]
    for section, name in budget.section_titles().items():
        cells = [
            sum(u.amount for u in lines if u.section == section and u.classification == k) for k in kinds
        ]
        rows.append([name, *map(_money, cells), _money(sum(cells))])
    totals = [sum(u.amount for u in lines if u.classification == k) for k in kinds]
    rows.append([_TOTAL, *map(_money, totals), _money(sum(totals))])
    width = (FRAME_WIDTH - 46 * mm) / (len(kinds) + 1)
    return rtl_table(
        rows,
        [46 * mm] + [width] * (len(kinds) + 1),
        numeric=range(1, len(kinds) + 2),
        bold_rows=(len(rows) - 1,),
    )
