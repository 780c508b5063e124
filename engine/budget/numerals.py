"""Numbers the way a Persian reader expects them: Persian digits and the Persian separators."""

from __future__ import annotations

from decimal import Decimal

from engine.persian import DECIMAL, grouped, to_persian_digits


def rial_fa(amount: int) -> str:
    """``1250000`` → ``'۱٬۲۵۰٬۰۰۰ ریال'``."""
    return grouped(amount) + " ریال"


def rial_en(amount: int) -> str:
    return f"{amount:,} Rials"


def percent_fa(value: Decimal) -> str:
    """``Decimal('32.456')`` → ``'۳۲٫۴۶٪'`` (two decimals at most, trailing zeros dropped)."""
    return to_persian_digits(percent_en(value).removesuffix("%").replace(".", DECIMAL)) + "٪"


def percent_en(value: Decimal) -> str:
    text = f"{value.quantize(Decimal('0.01')):f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"
