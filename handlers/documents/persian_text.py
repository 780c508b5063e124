"""Persian text for reportlab: digits, amounts, Jalali dates, shaping and right-to-left line order.

reportlab draws glyphs left to right and does not join Arabic-script letters, so every string is
prepared here: ``arabic_reshaper`` picks the joined letter forms, ``bidi.algorithm.get_display`` puts
the runs in visual order. The legacy pure-Python ``bidi.algorithm`` is used on purpose: the newer
``bidi.get_display`` does not mirror brackets, so "(ریال)" would come out as ")ریال(".
Wrapping happens on the logical text (first words on the first line) and each line is shaped alone;
shaping a whole paragraph first would put the end of the sentence on the first line.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable

import arabic_reshaper
import jdatetime
from bidi.algorithm import get_display
from reportlab.pdfbase.pdfmetrics import stringWidth

from engine.budget import fiscal
from engine.persian import DECIMAL, grouped, jalali_date, jalali_datetime, tehran_day
from engine.persian import to_ascii_digits as ascii_digits
from engine.persian import to_persian_digits as persian_digits

_RESHAPER = arabic_reshaper.ArabicReshaper(
    configuration={"delete_harakat": False, "support_ligatures": True, "support_zwj": True}
)
# Latin codes such as 4-01-002 or P-1405-012: after a Persian letter their digits would turn into Arabic
# numbers by rule W2 and the parts would be drawn in reverse order; left-to-right marks keep them whole.
_LTR_TOKEN = re.compile(r"[0-9۰-۹A-Za-z]+(?:[-_./:][0-9۰-۹A-Za-z]+)+")
_ASCII_TOKEN = re.compile(r"[0-9A-Za-z][0-9A-Za-z\-_./:]*")
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))
_MONTHS = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)


def code_digits(code: str) -> str:
    """A code or number in Persian digits, unless it has Latin letters (P-1405-012 stays as typed)."""
    return code if re.search(r"[A-Za-z]", code) else persian_digits(code)


def amount(value: int) -> str:
    """An integer amount with Persian digits and the Persian thousands separator: ۱۲۰٬۰۰۰٬۰۰۰."""
    return grouped(int(value))


def percent(value: float, *, places: int = 1) -> str:
    """A share such as 45.25 as ۴۵٫۳٪ (no sign: in right-to-left text a sign lands on the wrong side)."""
    return persian_digits(f"{abs(value):.{places}f}").replace(".", DECIMAL) + "٪"


def localize(text: str) -> str:
    """ASCII digits to Persian ones, except inside tokens with Latin letters (P-1405-012, v2, PAdES)."""
    return _ASCII_TOKEN.sub(
        lambda m: m.group(0) if re.search("[A-Za-z]", m.group(0)) else persian_digits(m.group(0)), text
    )


@functools.lru_cache(maxsize=8192)
def shape(text: str) -> str:
    """Logical Persian (mixed with Latin and numbers) to the visual, joined string reportlab draws as-is.

    Digits become Persian (see :func:`localize`); codes such as ۴-۰۱-۰۰۲ keep their left-to-right order.
    """
    if not text:
        return ""
    marked = _LTR_TOKEN.sub(lambda m: "\u200e" + m.group(0) + "\u200e", localize(text))
    return get_display(_RESHAPER.reshape(marked), base_dir="R").translate(_BIDI_CONTROLS)


def wrap(text: str, fits: Callable[[str], bool]) -> list[str]:
    """Break logical text into lines at spaces; ``fits(line)`` says whether a shaped line is narrow enough.

    Explicit newlines are kept. A single word wider than the line gets a line of its own.
    """
    lines: list[str] = []
    for chunk in text.split("\n"):
        if fits(chunk.strip()):  # most table cells: one measurement instead of one per word
            lines.append(" ".join(chunk.split()))
            continue
        current: list[str] = []
        for word in chunk.split():
            if current and not fits(" ".join([*current, word])):
                lines.append(" ".join(current))
                current = [word]
            else:
                current.append(word)
        lines.append(" ".join(current))
    return lines


@functools.lru_cache(maxsize=8192)
def reshaped(text: str) -> str:
    """The joined letter forms in logical order: same glyphs, hence same width, as :func:`shape`."""
    return _RESHAPER.reshape(localize(text))


def fits_width(font: str, size: float, width: float) -> Callable[[str], bool]:
    """For :func:`wrap`: whether a logical line, once joined, is at most ``width`` points wide."""
    return lambda line: stringWidth(reshaped(line), font, size) <= width


def jalali_long(value: dt.date) -> str:
    """The Jalali date in words, e.g. ۳۰ آبان ۱۴۰۵."""
    j = jdatetime.date.fromgregorian(date=tehran_day(value))
    return persian_digits(f"{j.day} {_MONTHS[j.month - 1]} {j.year}")


def fiscal_year_span(year: int) -> tuple[str, str]:
    """First and last day of a fiscal year (1 Farvardin to the last day of Esfand), in words."""
    span = fiscal.fiscal_year(year)
    return jalali_long(span.first_day), jalali_long(span.last_day)


_DATE_LIKE = re.compile(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})")


def when(value: object, *, with_time: bool = True) -> str:
    """Any date the case data may hold, written in Jalali with Persian digits.

    Accepts ``date``/``datetime``, ISO 8601 text (``2026-01-10T10:15:00+03:30``) and Jalali text as
    forms store it (``1404/11/19``, years below 1700 are taken as Jalali). Anything else is shown as is.
    """
    if isinstance(value, dt.datetime):
        return jalali_datetime(value) if with_time else jalali_date(value)
    if isinstance(value, dt.date):
        return jalali_date(value)
    if value is None or value == "":
        return "—"
    text = ascii_digits(str(value).strip())
    match = _DATE_LIKE.fullmatch(text)
    if match and int(match.group(1)) < 1700:
        year, month, day = (int(g) for g in match.groups())
        return persian_digits(f"{year:04d}/{month:02d}/{day:02d}")
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return persian_digits(value)
    return when(parsed if "T" in text or " " in text else parsed.date(), with_time=with_time)
