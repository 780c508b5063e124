"""The inbox as CSV: UTF-8 with a byte-order mark, so Excel opens Persian text correctly.

Jalali dates are written with Persian digits (a spreadsheet would read ``1405/01/15`` as a Gregorian
date); the due date is also given in ISO 8601 for machines. Cells that a spreadsheet would run as a
formula (starting with ``=``, ``+``, ``-``, ``@``) are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

from engine import persian

BOM = "\ufeff"
HEADERS = {
    "fa": ("شناسهٔ کار", "کار", "فرایند", "کلید پرونده", "واحد", "در دست", "مهلت", "مهلت (ISO)",
           "روز کاری مانده", "وضعیت مهلت", "اولویت", "ارجاع‌دهنده"),
    "en": ("Task id", "Task", "Process", "Case key", "Unit", "Held by", "Due", "Due (ISO)",
           "Working days left", "SLA", "Priority", "Referred by"),
}  # fmt: skip
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(
    tasks: Iterable[Mapping[str, Any]],
    *,
    processes: Mapping[str, str | None],
    units: Mapping[str, str],
    lang: str,
) -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow(HEADERS["en" if lang == "en" else "fa"])
    for task in tasks:
        sla = task.get("sla") or {}
        writer.writerow(
            [
                task["id"],
                _cell(task["name"] or task["element_id"]),
                _cell(processes.get(task["process_key"]) or task["process_key"]),
                _cell(task.get("business_key") or ""),
                _cell(units.get(task["org_unit"] or "", task["org_unit"] or "")),
                task["assignee"] or "",
                persian.jalali_date(task["due_at"]) if task["due_at"] else "",
                task["due_at"] or "",
                sla.get("remaining_working_days", ""),
                sla.get("level", ""),
                task["priority"],
                task["referred_by"] or "",
            ]
        )
    return out.getvalue()


def _cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text
