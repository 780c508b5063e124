"""Persian text and numbers: one spelling for letters and digits, and Rial amounts written the Persian way.

Clerks type on Arabic and Persian keyboards alike, so the same word arrives as «علي» or «علی» and the
same amount as ``۱۲٬۵۰۰``, ``١٢,٥٠٠`` or ``12500``. Normalising before checks and storage makes
searches, comparisons and sums agree. Text keeps the writer's digits (Arabic-Indic ones become their
Persian look-alikes); numbers, dates and amounts become ASCII digits and ints.
"""

from __future__ import annotations

import re

from engine.persian import (
    ARABIC_DIGITS,
    DECIMAL,
    PERSIAN_DIGITS,
    grouped,
    to_ascii_digits,
)

ZWNJ = "\u200c"
_LETTERS = str.maketrans(
    {
        "ي": "ی",  # U+064A Arabic yeh
        "ى": "ی",  # U+0649 alef maksura, typed for a final yeh
        "ك": "ک",  # U+0643 Arabic kaf
        "ـ": None,  # U+0640 tatweel: stretches a word, means nothing
        "\u200b": None,  # zero-width space
        "\ufeff": None,  # byte-order mark pasted from Word
        **dict(zip(ARABIC_DIGITS, PERSIAN_DIGITS, strict=True)),
    }
)
_SPACES = re.compile(r"[^\S\n\u200c]+")  # any run of whitespace but newlines and ZWNJ
_ANY_SPACE = re.compile(r"[^\S\u200c]+")
_ZWNJ_RUN = re.compile(r"\u200c{2,}")
# A ZWNJ joins two letters; next to a space or at an edge it is an invisible leftover.
_ZWNJ_STRAY = re.compile(r"(?:^|(?<=[\s]))\u200c+|\u200c+(?=\s|$)", re.MULTILINE)
_SEPARATORS = re.compile(r"[\s\u200c,،٬'_]")
_INTEGER = re.compile(r"[-+−]?[0-9]+")
_NUMBER = re.compile(r"[-+−]?[0-9]+(?:\.[0-9]+)?")
_JALALI = re.compile(r"([0-9]{4})[/\-]([0-9]{1,2})[/\-]([0-9]{1,2})")


def normalise_text(text: str, *, multiline: bool = False) -> str:
    """One spelling for Persian text: Persian yeh and kaf, no tatweel, single spaces, Persian digits.

    ZWNJ (نیم‌فاصله) is kept between letters. With ``multiline`` line breaks are kept (a long-text
    field); otherwise they become spaces.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_LETTERS)
    text = _ZWNJ_RUN.sub(ZWNJ, text)
    text = _ZWNJ_STRAY.sub("", text)
    if multiline:
        lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
        return "\n".join(lines).strip("\n")
    return _ANY_SPACE.sub(" ", text).strip()


def format_rial(amount: int) -> str:
    """``1250000`` → ``'۱٬۲۵۰٬۰۰۰'``: Persian digits grouped by three with the Persian separator."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"format_rial() takes an int, not {type(amount).__name__}")
    return grouped(amount, minus="-")


def parse_integer(text: str) -> int | None:
    """The int written in ``text`` with any digits and thousands separators, or None if it is not one."""
    plain = _SEPARATORS.sub("", to_ascii_digits(text))
    if not _INTEGER.fullmatch(plain):
        return None
    return int(plain.replace("−", "-"))


def parse_number(text: str) -> int | float | None:
    """Like :func:`parse_integer`, also accepting a decimal part after ``'.'`` or the Persian ``'٫'``."""
    plain = _SEPARATORS.sub("", to_ascii_digits(text)).replace(DECIMAL, ".")
    if not _NUMBER.fullmatch(plain):
        return None
    plain = plain.replace("−", "-")
    return int(plain) if "." not in plain else float(plain)


def normalise_jalali(text: str) -> str:
    """``'۱۴۰۳/۱/۵'`` → ``'1403/01/05'``; text that is not shaped like a date only gets ASCII digits."""
    plain = to_ascii_digits(text).strip()
    match = _JALALI.fullmatch(plain)
    if match is None:
        return plain
    year, month, day = match.groups()
    return f"{year}/{int(month):02d}/{int(day):02d}"
