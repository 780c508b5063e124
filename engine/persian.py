"""Persian digits, amounts and Jalali dates: the one place every layer writes them from.

Forms normalise what clerks type, the budget checks word their messages, mail and PDFs show dates and
amounts; all of them read digits and write Jalali dates the same way through these functions. Dates
are Tehran dates: an aware instant is read in Asia/Tehran before it is turned into a Jalali day.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import jdatetime

TEHRAN = ZoneInfo("Asia/Tehran")
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
ASCII_DIGITS = "0123456789"
THOUSANDS = "٬"  # U+066C, the Persian thousands separator
DECIMAL = "٫"  # U+066B, the Persian decimal separator
MINUS = "−"  # U+2212: a hyphen before Persian digits reads as a dash

_TO_ASCII = str.maketrans(PERSIAN_DIGITS + ARABIC_DIGITS, ASCII_DIGITS * 2)
_TO_PERSIAN = str.maketrans(ASCII_DIGITS + ARABIC_DIGITS, PERSIAN_DIGITS * 2)


def to_ascii_digits(text: str) -> str:
    """``'۱۴۰۳'`` and ``'١٤٠٣'`` become ``'1403'``; every other character is kept."""
    return text.translate(_TO_ASCII)


def to_persian_digits(value: object) -> str:
    """The text of ``value`` with ASCII and Arabic-Indic digits written as Persian ones (``۱۴۰۵``)."""
    return str(value).translate(_TO_PERSIAN)


def grouped(amount: int, *, minus: str = MINUS) -> str:
    """``-1250000`` → ``'−۱٬۲۵۰٬۰۰۰'``: Persian digits grouped by three with the Persian separator."""
    sign = minus if amount < 0 else ""
    return sign + to_persian_digits(f"{abs(amount):,}".replace(",", THOUSANDS))


def tehran_day(value: dt.date | dt.datetime | str) -> dt.date:
    """The calendar day of a date, a datetime (aware ones in Tehran) or ISO 8601 text."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(value, dt.datetime):
        return value.astimezone(TEHRAN).date() if value.tzinfo else value.date()
    if isinstance(value, dt.date):
        return value
    raise ValueError(f"not a date: {value!r}")


def jalali(value: dt.date | dt.datetime | str) -> str:
    """The Jalali day as ``'1403/01/15'`` (ASCII digits, as forms store it)."""
    return jdatetime.date.fromgregorian(date=tehran_day(value)).strftime("%Y/%m/%d")


def jalali_date(value: dt.date | dt.datetime | str) -> str:
    """The Jalali day as people read it: ``'۱۴۰۵/۰۱/۱۵'``."""
    return to_persian_digits(jalali(value))


def jalali_datetime(value: dt.date | dt.datetime | str) -> str:
    """An instant as its Jalali date and Tehran time: ``'۱۴۰۵/۰۱/۱۵ ساعت ۱۴:۳۰'`` (a bare date: the date)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        value = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if not isinstance(value, dt.datetime):
        return jalali_date(value)
    local = value.astimezone(TEHRAN) if value.tzinfo else value
    return f"{jalali_date(value)} ساعت {to_persian_digits(local.strftime('%H:%M'))}"
