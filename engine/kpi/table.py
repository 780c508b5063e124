"""The KPI report as aligned text for the command line (``run.py kpi``), from the report's JSON data.

Headings are Persian and English; cells keep ASCII digits and Latin unit ids so the columns stay
aligned in any terminal (right-to-left text inside a cell would reorder the row).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from engine.persian import jalali_datetime

COLUMNS = (
    ("completed", "completed"),
    ("on_time", "on time"),
    ("late", "late"),
    ("no_deadline", "no deadline"),
    ("sla_compliance_pct", "SLA %"),
    ("open", "open"),
    ("overdue", "overdue"),
    ("breached", "breached"),
    ("escalated", "escalated"),
)
RATIO_LABELS = {
    "agencies_evaluated": "agencies evaluated / subject",
    "national_projects_visited": "national projects visited / visitable",
    "provincial_projects_visited": "provincial projects visited / visitable",
}


def lines(report: dict[str, Any]) -> list[str]:
    """The whole report: its heading, the two SLA tables and seed 001's ratios."""
    span = report["period"]
    whose = f"{report['unit']} and the units under it" if report["unit"] else "every unit"
    tasks = report["tasks"]
    return [
        "شاخص‌های عملکرد — KPIs",
        f"period {span['label']}  (from {span['from']} to {span['to']}, excluded)",
        f"unit   {whose}",
        f"now    {jalali_datetime(report['now'])}",
        "",
        "مهلت‌ها به تفکیک واحد — SLA by unit",
        *_counts_table("unit", [(r["unit"] or "(no unit)", r) for r in tasks["by_unit"]], tasks["total"]),
        "",
        "مهلت‌ها به تفکیک فرایند — SLA by process",
        *_counts_table("process", [(r["process_key"], r) for r in tasks["by_process"]], tasks["total"]),
        "",
        *_supervision(report["agency_budget_supervision"]),
    ]


def _counts_table(first: str, rows: list[tuple[str, dict[str, Any]]], total: dict[str, Any]) -> list[str]:
    header = [first, *(label for _, label in COLUMNS)]
    body = [[name, *(_cell(counts[key]) for key, _ in COLUMNS)] for name, counts in rows]
    body.append(["total", *(_cell(total[key]) for key, _ in COLUMNS)])
    return _aligned([header, *body])


def _supervision(kpis: dict[str, Any]) -> list[str]:
    heading = [
        "نظارت بر عملکرد بودجهٔ دستگاه‌های اجرایی (بذر ۰۰۱) — agencies' budget performance (seed 001)",
        f"{kpis['instances']} instance(s); target {kpis['target_pct']} %",
    ]
    table = [["ratio", "done", "of", "%"]]
    for name, label in RATIO_LABELS.items():
        ratio = kpis[name]
        table.append([label, _cell(ratio["numerator"]), _cell(ratio["denominator"]), _cell(ratio["pct"])])
    return heading + _aligned(table)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _aligned(table: Sequence[Sequence[str]]) -> list[str]:
    """First column left-aligned, the numbers right-aligned, two spaces between columns."""
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    out = []
    for row in table:
        cells = [
            row[0].ljust(widths[0]),
            *(cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True)),
        ]
        out.append("  ".join(cells).rstrip())
    return out
