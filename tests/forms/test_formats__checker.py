"""Nezarat's formats: real Jalali dates, Rial amounts, and users, units and files that exist."""

from __future__ import annotations

import pytest

from forms import AttachmentStore, SubmissionContext
from forms.formats import format_checker, is_jalali_date, is_rial, known_formats
from tests.forms.samples import PDF


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("1403/01/15", True),
        ("1403/12/30", True),  # 1403 is a leap year
        ("1402/12/30", False),
        ("1404/12/30", False),
        ("1403/07/30", True),
        ("1403/07/31", False),  # the second half of the year has 30-day months
        ("1403/06/31", True),
        ("1403/13/01", False),
        ("1403/00/10", False),
        ("1403/1/15", False),  # cleaning pads it; the format itself wants two digits
        ("1403-01-15", False),
        ("۱۴۰۳/۰۱/۱۵", False),
        ("", False),
    ],
)
def test_jalali_dates_must_be_real_dates_written_yyyy_mm_dd(text: str, valid: bool) -> None:
    assert is_jalali_date(text) is valid


@pytest.mark.parametrize(
    ("value", "valid"), [(0, True), (12500, True), (-1, False), (2.5, False), (3.0, True)]
)
def test_a_rial_amount_is_a_whole_non_negative_number(value: float, valid: bool) -> None:
    assert is_rial(value) is valid


def test_values_of_other_types_are_left_to_the_type_keyword() -> None:
    checker = format_checker(SubmissionContext(user_exists=lambda name: False))
    assert checker.conforms(15, "jalali-date")
    assert checker.conforms("15", "rial")
    assert checker.conforms(7, "user")


def test_users_and_units_are_looked_up_through_the_context() -> None:
    context = SubmissionContext(user_exists={"ali", "sara"}.__contains__, unit_exists={"gov"}.__contains__)
    checker = format_checker(context)
    assert checker.conforms("ali", "user") and not checker.conforms("bahram", "user")
    assert checker.conforms("gov", "unit") and not checker.conforms("muni-z", "unit")


def test_without_lookups_any_name_is_accepted() -> None:
    checker = format_checker(SubmissionContext())
    assert checker.conforms("anyone", "user") and checker.conforms("anywhere", "unit")


def test_an_attachment_must_be_a_well_formed_ref_of_a_stored_file(store: AttachmentStore) -> None:
    ref = store.put(PDF, filename="letter.pdf", content_type="application/pdf")
    checker = format_checker(SubmissionContext(attachment_exists=store.exists))
    assert checker.conforms(ref, "attachment")
    assert not checker.conforms("sha256:" + "0" * 64, "attachment")
    assert not checker.conforms("sha256:../../etc/passwd", "attachment")
    assert not checker.conforms(ref.upper(), "attachment")


def test_an_attachment_ref_is_checked_for_shape_even_without_a_store() -> None:
    checker = format_checker(SubmissionContext())
    assert checker.conforms("sha256:" + "a" * 64, "attachment")
    assert not checker.conforms("letter.pdf", "attachment")


def test_known_formats_include_ours_and_the_standard_ones() -> None:
    assert {"jalali-date", "rial", "user", "unit", "attachment", "email", "date-time"} <= known_formats()
