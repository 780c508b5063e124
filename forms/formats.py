"""The ``format`` values Nezarat forms use, as a jsonschema FormatChecker bound to one submission's context.

``jalali-date`` is a real date of the Persian calendar written ``1403/01/15``; ``rial`` a non-negative
whole number; ``user`` and ``unit`` name someone or some org unit in the directory; ``attachment`` is
``sha256:<64 hex>`` of a file already in the attachment store. The directory and the store are reached
only through the callables of :class:`SubmissionContext`, so forms never import the engine's store.

Each check passes values of other types: a wrong type is reported once, by the ``type`` keyword.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jdatetime
from jsonschema import FormatChecker

JALALI_DATE = re.compile(r"([0-9]{4})/([0-9]{2})/([0-9]{2})")
ATTACHMENT_REF = re.compile(r"sha256:[0-9a-f]{64}")
NEZARAT_FORMATS = ("jalali-date", "rial", "user", "unit", "attachment")
# Draft 2020-12's own names; jsonschema enforces some only when optional packages are installed.
STANDARD_FORMATS = (
    "date-time",
    "date",
    "time",
    "duration",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uuid",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
)


@dataclass(frozen=True)
class SubmissionContext:
    """What validation may ask about the world; each callable left as None accepts every value."""

    user_exists: Callable[[str], bool] | None = None
    unit_exists: Callable[[str], bool] | None = None
    attachment_exists: Callable[[str], bool] | None = None


def is_jalali_date(value: Any) -> bool:
    """``'1403/12/30'`` is true only in a leap year; the text must be exactly ``YYYY/MM/DD``."""
    if not isinstance(value, str):
        return True
    match = JALALI_DATE.fullmatch(value)
    if match is None:
        return False
    year, month, day = (int(part) for part in match.groups())
    try:
        jdatetime.date(year, month, day)
    except ValueError:
        return False
    return True


def is_rial(value: Any) -> bool:
    """A Rial amount is a whole number of Rials, never negative."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return True
    return value >= 0 and float(value).is_integer()


def format_checker(context: SubmissionContext) -> FormatChecker:
    """jsonschema's standard formats plus Nezarat's, with the lookups of ``context``."""
    checker = FormatChecker()
    checker.checks("jalali-date")(is_jalali_date)
    checker.checks("rial")(is_rial)
    checker.checks("user")(_lookup(context.user_exists))
    checker.checks("unit")(_lookup(context.unit_exists))
    checker.checks("attachment")(_attachment(context.attachment_exists))
    return checker


def _lookup(exists: Callable[[str], bool] | None) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        if not isinstance(value, str):
            return True
        return bool(value) and (exists is None or bool(exists(value)))

    return check


def _attachment(exists: Callable[[str], bool] | None) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        if not isinstance(value, str):
            return True
        return ATTACHMENT_REF.fullmatch(value) is not None and (exists is None or bool(exists(value)))

    return check


def known_formats() -> frozenset[str]:
    """Every format name a form may use (a misspelt one would otherwise accept anything silently)."""
    return frozenset(FormatChecker().checkers) | frozenset(STANDARD_FORMATS + NEZARAT_FORMATS)
