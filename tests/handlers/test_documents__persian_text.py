"""Persian text for the PDFs: digits, amounts, Jalali dates, joined letters in right-to-left order, wrapping,
and the font's clear failure when it is not installed."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest

from handlers.documents import fonts
from handlers.documents.persian_text import (
    amount,
    fiscal_year_span,
    jalali_date,
    jalali_datetime,
    jalali_long,
    localize,
    percent,
    shape,
    when,
    wrap,
)

TEHRAN = dt.timezone(dt.timedelta(hours=3, minutes=30))


def logical(visual: str) -> str:
    """Undo what shape() did for Persian-only text: letters back from presentation forms, order reversed."""
    return unicodedata.normalize("NFKC", visual)[::-1]


def test_amounts_use_persian_digits_and_the_persian_thousands_separator() -> None:
    assert amount(120_000_000_000) == "۱۲۰٬۰۰۰٬۰۰۰٬۰۰۰"
    assert amount(0) == "۰"
    assert amount(-1_250_000) == "−۱٬۲۵۰٬۰۰۰"
    assert percent(54.96) == "۵۵٫۰٪"


def test_shaping_joins_letters_and_puts_words_right_to_left() -> None:
    visual = shape("آلبوم بودجه")
    assert all("\ufb50" <= ch <= "\ufeff" or ch == " " for ch in visual)  # joined (presentation) forms only
    assert logical(visual) == "آلبوم بودجه"


def test_brackets_are_mirrored_so_they_read_correctly_right_to_left() -> None:
    visual = shape("مبلغ (ریال)")
    assert visual.startswith("(") and visual.endswith("ﻎﻠﺒﻣ")
    assert logical(visual).replace("(", "|").replace(")", "(").replace("|", ")") == "مبلغ (ریال)"


def test_codes_keep_their_left_to_right_order_after_persian_text() -> None:
    visual = shape("طرح P-1405-012 و ردیف 4-01-002")
    assert "P-1405-012" in visual
    assert "۴-۰۱-۰۰۲" in visual  # digits turned Persian, order kept (not ۲۰۰-۱۰-۴)
    assert visual.index("۴-۰۱-۰۰۲") < visual.index("P-1405-012")  # the later code is further left


def test_numbers_inside_persian_text_stay_in_reading_order() -> None:
    visual = shape("جمع ۶٬۹۷۰٬۰۰۰ ریال در ۱۴۰۵/۰۸/۳۰")
    assert "۶٬۹۷۰٬۰۰۰" in visual and "۱۴۰۵/۰۸/۳۰" in visual


def test_ascii_digits_become_persian_except_inside_latin_codes() -> None:
    assert localize("ماده 79 طرح P-1405-012 نسخه v2") == "ماده ۷۹ طرح P-1405-012 نسخه v2"


def test_wrapping_keeps_the_first_words_on_the_first_line() -> None:
    lines = wrap("یک دو سه چهار پنج شش", lambda line: len(line.split()) <= 2)
    assert lines == ["یک دو", "سه چهار", "پنج شش"]
    assert wrap("سطر اول\nسطر دوم", lambda line: True) == ["سطر اول", "سطر دوم"]
    assert wrap("واژه‌ای‌بسیاربلند", lambda line: False) == ["واژه‌ای‌بسیاربلند"]


def test_jalali_dates_are_read_in_tehran_time() -> None:
    late_evening_utc = dt.datetime(2026, 11, 21, 21, 0, tzinfo=dt.UTC)  # 00:30 on 1 Azar in Tehran
    assert jalali_date(late_evening_utc) == "۱۴۰۵/۰۹/۰۱"
    assert jalali_long(dt.date(2026, 11, 21)) == "۳۰ آبان ۱۴۰۵"
    assert jalali_datetime(dt.datetime(2026, 3, 1, 9, 0, tzinfo=TEHRAN)) == "۱۴۰۴/۱۲/۱۰ ساعت ۰۹:۰۰"


def test_fiscal_year_ends_on_the_30th_of_esfand_only_in_leap_years() -> None:
    assert fiscal_year_span(1403) == ("۱ فروردین ۱۴۰۳", "۳۰ اسفند ۱۴۰۳")
    assert fiscal_year_span(1405) == ("۱ فروردین ۱۴۰۵", "۲۹ اسفند ۱۴۰۵")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("1404/11/19", "۱۴۰۴/۱۱/۱۹"),
        ("۱۴۰۴/۱۱/۱۹", "۱۴۰۴/۱۱/۱۹"),
        ("2026-01-10T10:15:00+03:30", "۱۴۰۴/۱۰/۲۰ ساعت ۱۰:۱۵"),
        ("2026-01-10", "۱۴۰۴/۱۰/۲۰"),
        (dt.date(2026, 1, 10), "۱۴۰۴/۱۰/۲۰"),
        (None, "—"),
        ("پس از جلسه", "پس از جلسه"),
    ],
)
def test_dates_from_case_data_are_shown_in_jalali(value: object, shown: str) -> None:
    assert when(value) == shown


def test_a_missing_font_says_to_run_make_assets(tmp_path: Path) -> None:
    with pytest.raises(fonts.FontMissing) as caught:
        fonts.register_fonts(tmp_path)
    assert "make assets" in str(caught.value) and "Vazirmatn-Regular.ttf" in caught.value.message


def test_the_font_comes_from_node_modules() -> None:
    assert fonts.FONT_DIR == fonts.ROOT / "node_modules" / "vazirmatn" / "fonts" / "ttf"
    fonts.register_fonts()
    fonts.register_fonts()  # registering twice is harmless
