"""Persian text gets one spelling, digits convert both ways, and Rial amounts are written the Persian way."""

from __future__ import annotations

import pytest

from forms import format_rial, normalise_text, to_ascii_digits, to_persian_digits
from forms.persian import normalise_jalali, parse_integer, parse_number


def test_arabic_yeh_and_kaf_become_persian() -> None:
    assert normalise_text("علي كريمي") == "علی کریمی"
    assert normalise_text("مصطفى") == "مصطفی"


def test_tatweel_and_extra_spaces_are_removed() -> None:
    assert normalise_text("  بـــودجه \t  سال\n۱۴۰۳  ") == "بودجه سال ۱۴۰۳"


def test_zwnj_between_letters_is_kept_and_stray_ones_are_dropped() -> None:
    assert normalise_text("می\u200cشود") == "می\u200cشود"
    assert normalise_text("می\u200c\u200cشود \u200cاست\u200c") == "می\u200cشود است"


def test_arabic_indic_digits_in_text_become_persian_and_ascii_digits_stay() -> None:
    assert normalise_text("نامه ١٢٣ و 45") == "نامه ۱۲۳ و 45"


def test_long_text_keeps_its_line_breaks() -> None:
    text = "بند  اول \r\nبند   دوم\n\n"
    assert normalise_text(text, multiline=True) == "بند اول\nبند دوم"
    assert normalise_text(text) == "بند اول بند دوم"


def test_digits_convert_both_ways() -> None:
    assert to_ascii_digits("۱۴۰۳/٠١/۱۵") == "1403/01/15"
    assert to_persian_digits("1403/١/15") == "۱۴۰۳/۱/۱۵"


@pytest.mark.parametrize(
    ("amount", "written"),
    [(0, "۰"), (999, "۹۹۹"), (1000, "۱٬۰۰۰"), (1250000, "۱٬۲۵۰٬۰۰۰"), (-5000, "-۵٬۰۰۰")],
)
def test_rial_amounts_are_grouped_with_the_persian_separator(amount: int, written: str) -> None:
    assert format_rial(amount) == written


@pytest.mark.parametrize("value", [1.5, "1000", True])
def test_format_rial_takes_only_ints(value: object) -> None:
    with pytest.raises(TypeError):
        format_rial(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("۱۲٬۵۰۰", 12500),
        ("١٢,٥٠٠", 12500),
        (" 12 500 ", 12500),
        ("-۳", -3),
        ("۰", 0),
        ("12a", None),
        ("", None),
    ],
)
def test_integers_are_read_in_any_digits_with_separators(text: str, number: int | None) -> None:
    assert parse_integer(text) == number


def test_decimal_numbers_accept_the_persian_decimal_separator() -> None:
    assert parse_number("۲٫۵") == 2.5
    assert parse_number("۱۲") == 12
    assert parse_number("2.5.1") is None


@pytest.mark.parametrize(
    ("text", "date"),
    [("۱۴۰۳/۰۱/۱۵", "1403/01/15"), ("۱۴۰۳/۱/۵", "1403/01/05"), ("1403-1-5", "1403/01/05"), ("۱۴۰۳", "1403")],
)
def test_jalali_dates_get_ascii_digits_and_two_digit_month_and_day(text: str, date: str) -> None:
    assert normalise_jalali(text) == date
