"""How pages write values: Jalali dates, digits and Rial amounts, as Jinja filters.

Persian pages write Persian digits and the Persian thousands separator (``۱٬۲۵۰٬۰۰۰``); English pages
keep Jalali dates (the calendar offices work in) with ASCII digits and comma separators. Everything
goes through :mod:`engine.persian`, the one place dates and digits are written for every layer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask, g

from engine import directory, persian
from webui.extension import current_platform
from webui.i18n import language


def init_app(app: Flask) -> None:
    app.add_template_filter(jalali_date, "jdate")
    app.add_template_filter(jalali_datetime, "jdatetime")
    app.add_template_filter(rial, "rial")
    app.add_template_filter(digits, "digits")
    app.add_template_filter(group_title, "group")


def group_title(name: str) -> str:
    """A group's title in the page's language ("کارشناس امور شهری"), or its name when it has none."""
    titles = g.get("nz_group_titles")
    if titles is None:  # read once per request, and only by pages that name a group
        with current_platform().store.reading() as tx:
            titles = g.nz_group_titles = directory.group_titles(tx, language())
    return titles.get(name, name)


def jalali_date(value: dt.date | dt.datetime | str | None) -> str:
    """``۱۴۰۵/۰۱/۱۵`` (English: ``1405/01/15``); empty for no date."""
    if value is None or value == "":
        return ""
    return persian.jalali_date(value) if language() == "fa" else persian.jalali(value)


def jalali_datetime(value: dt.datetime | str | None) -> str:
    """``۱۴۰۵/۰۱/۱۵ ساعت ۱۴:۳۰`` (English: ``1405/01/15 14:30``), Tehran time."""
    if value is None or value == "":
        return ""
    if language() == "fa":
        return persian.jalali_datetime(value)
    instant = dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else value
    local = instant.astimezone(persian.TEHRAN) if instant.tzinfo else instant
    return f"{persian.jalali(instant)} {local:%H:%M}"


def rial(value: Any) -> str:
    """An amount grouped by thousands; text that is not a whole number is shown as it is."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not float(value).is_integer():
        return digits(value)
    amount = int(value)
    return persian.grouped(amount) if language() == "fa" else f"{amount:,}"


def digits(value: Any) -> str:
    """The text of ``value`` with Persian digits on Persian pages."""
    if value is None:
        return ""
    return persian.to_persian_digits(value) if language() == "fa" else str(value)
