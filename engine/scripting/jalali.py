"""Jalali (Persian calendar) helpers offered to scripts: ``jalali(d)`` and ``from_jalali(text)``."""

from __future__ import annotations

import datetime as dt
import re

import jdatetime

from engine import persian
from engine.errors import ScriptError

_JALALI_DATE = re.compile(r"\s*(\d{4})[/-](\d{1,2})[/-](\d{1,2})\s*")


def jalali(value: dt.date) -> str:
    """The Jalali date of a ``date`` or ``datetime`` as ``'1403/01/15'``."""
    if not isinstance(value, dt.date):
        raise ScriptError(f"jalali() expects a date or datetime, not {type(value).__name__}")
    return persian.jalali(value)


def from_jalali(text: str) -> dt.date:
    """The Gregorian ``date`` of a Jalali date written ``'1403/01/15'`` (or with '-', or Persian digits)."""
    if not isinstance(text, str):
        raise ScriptError(f"from_jalali() expects a text like '1403/01/15', not {type(text).__name__}")
    match = _JALALI_DATE.fullmatch(persian.to_ascii_digits(text))
    if match is None:
        raise ScriptError(f"from_jalali() expects a date like '1403/01/15', got {text!r}")
    year, month, day = (int(part) for part in match.groups())
    try:
        return jdatetime.date(year, month, day).togregorian()
    except ValueError as exc:
        raise ScriptError(f"{text!r} is not a valid Jalali date: {exc}") from None
