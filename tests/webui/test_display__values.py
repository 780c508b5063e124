"""Dates, digits and amounts as pages write them: Jalali with Persian digits in Persian, Jalali with
ASCII digits in English; Rials grouped by thousands."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask, session

from webui.display import digits, jalali_date, jalali_datetime, rial

NOON = dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.UTC)  # 12:00 in Tehran


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("fa", ("۱۴۰۴/۱۲/۱۰", "۱۴۰۴/۱۲/۱۰ ساعت ۱۲:۰۰", "۱۲٬۵۰۰٬۰۰۰", "−۷۵۰", "۴۲")),
        ("en", ("1404/12/10", "1404/12/10 12:00", "12,500,000", "-750", "42")),
    ],
)
def test_values_are_written_in_the_pages_language(app: Flask, lang: str, expected: tuple[str, ...]) -> None:
    with app.test_request_context():
        session["lang"] = lang
        written = (
            jalali_date(NOON),
            jalali_datetime(NOON.isoformat()),
            rial(12_500_000),
            rial(-750),
            digits(42),
        )
    assert written == expected


def test_empty_and_odd_values_are_shown_plainly(app: Flask) -> None:
    with app.test_request_context():
        assert (jalali_date(None), jalali_datetime(""), digits(None)) == ("", "", "")
        assert rial("نامشخص") == "نامشخص" and rial(2.5) == "۲.۵" and rial(True) == "True"


def test_the_filters_are_available_to_templates(app: Flask) -> None:
    with app.test_request_context():
        template = app.jinja_env.from_string("{{ 1250000|rial }} {{ when|jdate }} {{ 7|digits }}")
        assert template.render(when=NOON) == "۱٬۲۵۰٬۰۰۰ ۱۴۰۴/۱۲/۱۰ ۷"
