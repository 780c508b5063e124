"""Mail templates render Persian subjects and bodies with Jalali dates in Persian digits."""

from __future__ import annotations

import datetime as dt

import pytest

from engine.errors import HandlerError
from handlers.mail import jalali_date, jalali_datetime, persian_digits, render, template_names

DUE = "2026-04-12T11:00:00+00:00"  # 1405/01/23, 14:30 in Tehran
FULL = {
    "task_title": "بررسی بودجهٔ شهرداری",
    "due_at": DUE,
    "assignee": "ali",
    "unit": "muni-a",
    "escalate_to": "urban_affairs_dg",
    "subject": "اطلاعیه",
    "message": "متن پیام",
    "note": "فوری",
}


def test_the_four_templates_are_shipped() -> None:
    assert set(template_names()) == {"reminder", "escalation", "task_assigned", "generic"}


@pytest.mark.parametrize("name", ["reminder", "escalation", "task_assigned", "generic"])
def test_every_template_renders_a_one_line_subject_and_a_signed_body(name: str) -> None:
    subject, body = render(name, **FULL)

    assert subject and "\n" not in subject and "{" not in subject
    assert body.startswith("با سلام و احترام")
    assert "سامانهٔ نظارت" in body
    assert "{{" not in body and "{%" not in body


def test_the_reminder_shows_the_task_and_the_deadline_in_jalali_with_persian_digits() -> None:
    subject, body = render("reminder", task_title="بررسی بودجهٔ شهرداری", due_at=DUE)

    assert subject == "یادآوری مهلت: بررسی بودجهٔ شهرداری"
    assert "«بررسی بودجهٔ شهرداری» ۱۴۰۵/۰۱/۲۳ ساعت ۱۴:۳۰ به پایان می‌رسد" in body


def test_the_escalation_names_the_group_and_the_assignee() -> None:
    subject, body = render("escalation", **FULL)

    assert subject == "گذشت مهلت: بررسی بودجهٔ شهرداری"
    assert "«urban_affairs_dg»" in body
    assert "کارپذیر: ali" in body


def test_the_generic_template_uses_the_given_subject_and_message_or_a_default_subject() -> None:
    assert render("generic", subject="جلسه", message="جلسه فردا است")[0] == "جلسه"
    subject, body = render("generic", message="جلسه فردا است")
    assert subject == "پیام سامانهٔ نظارت"
    assert "جلسه فردا است" in body


def test_an_unknown_template_is_a_handler_error_listing_the_known_ones() -> None:
    with pytest.raises(HandlerError) as caught:
        render("reminderr", **FULL)
    assert "reminderr" in caught.value.message
    assert "reminder" in (caught.value.hint or "")


def test_a_missing_value_is_a_handler_error_naming_it() -> None:
    with pytest.raises(HandlerError) as caught:
        render("reminder", due_at=DUE)
    assert "task_title" in caught.value.message


def test_dates_are_shown_as_the_tehran_day_in_persian_digits() -> None:
    # 22:00 UTC on 20 March is 01:30 on 21 March in Tehran: already Nowruz 1405.
    assert jalali_date("2026-03-20T22:00:00Z") == "۱۴۰۵/۰۱/۰۱"
    assert jalali_date(dt.date(2024, 4, 3)) == "۱۴۰۳/۰۱/۱۵"
    assert jalali_datetime(dt.datetime(2026, 3, 20, 22, 0, tzinfo=dt.UTC)) == "۱۴۰۵/۰۱/۰۱ ساعت ۰۱:۳۰"
    assert persian_digits(1405) == "۱۴۰۵"
