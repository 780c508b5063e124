"""Numbers the way a Persian reader expects them: Persian digits and the Persian separators."""

from __future__ import annotations

from decimal import Decimal

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
THOUSANDS = "٬"  # U+066C, the Persian thousands separator
DECIMAL = "٫"  # U+066B, the Persian decimal separator

_TO_PERSIAN = str.maketrans("0123456789", PERSIAN_DIGITS)


def digits_fa(value: object) -> str:
    """``1405`` → ``'۱۴۰۵'``: the text of ``value`` with Persian digits."""
    return str(value).translate(_TO_PERSIAN)


def rial_fa(amount: int) -> str:
    """``1250000`` → ``'۱٬۲۵۰٬۰۰۰ ریال'``."""
    sign = "−" if amount < 0 else ""
    return sign + digits_fa(f"{abs(amount):,}".replace(",", THOUSANDS)) + " ریال"


def rial_en(amount: int) -> str:
    return f"{amount:,} Rials"


def percent_fa(value: Decimal) -> str:
    """``Decimal('32.456')`` → ``'۳۲٫۴۶٪'`` (two decimals at most, trailing zeros dropped)."""
    return digits_fa(percent_en(value).removesuffix("%").replace(".", DECIMAL)) + "٪"


def percent_en(value: Decimal) -> str:
    text = f"{value.quantize(Decimal('0.01')):f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"
