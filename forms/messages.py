"""What a clerk reads when a field is wrong: one Persian and one English sentence per JSON Schema keyword.

Fields are named by their Persian ``title`` (English: ``ui.fields.<f>.label_en``); a cell of a table is
named with its row, counted from one, e.g. «مبلغ» در ردیف ۲ از «ردیف‌ها». Numbers in Persian sentences
are written with Persian digits, and limits of Rial fields with the Persian thousands separator.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from engine.persian import DECIMAL, to_persian_digits
from forms.kinds import properties_of
from forms.persian import format_rial

TEMPLATES: dict[str, tuple[str, str]] = {
    "required": ("{f} الزامی است.", "{f} is required."),
    "type": ("{f} باید {v} باشد.", "{f} must be {v}."),
    "minimum": ("{f} نباید کمتر از {v} باشد.", "{f} must be at least {v}."),
    "maximum": ("{f} نباید بیشتر از {v} باشد.", "{f} must be at most {v}."),
    "exclusiveMinimum": ("{f} باید بیشتر از {v} باشد.", "{f} must be more than {v}."),
    "exclusiveMaximum": ("{f} باید کمتر از {v} باشد.", "{f} must be less than {v}."),
    "enum": ("{f} باید یکی از این گزینه‌ها باشد: {v}.", "{f} must be one of: {v}."),
    "const": ("{f} باید «{v}» باشد.", "{f} must be '{v}'."),
    "minLength": ("{f} باید دست‌کم {v} نویسه باشد.", "{f} must have at least {v} characters."),
    "maxLength": ("{f} نباید بیش از {v} نویسه باشد.", "{f} must have at most {v} characters."),
    "pattern": ("{f} به شکل خواسته‌شده نیست.", "{f} is not in the expected form."),
    "minItems": ("{f} باید دست‌کم {v} ردیف داشته باشد.", "{f} needs at least {v} rows."),
    "maxItems": ("{f} نباید بیش از {v} ردیف داشته باشد.", "{f} may have at most {v} rows."),
    "uniqueItems": ("ردیف‌های {f} نباید تکراری باشند.", "{f} must not have repeated rows."),
    "additionalProperties": ("{f} در این فرم تعریف نشده است.", "{f} is not a field of this form."),
}
FORMAT_TEMPLATES: dict[str, tuple[str, str]] = {
    "jalali-date": (
        "{f} باید تاریخ شمسی درستی به شکل ۱۴۰۳/۰۱/۱۵ باشد.",
        "{f} must be a valid Jalali date like 1403/01/15.",
    ),
    "rial": (
        "{f} باید مبلغی به ریال، عدد صحیح و نامنفی باشد.",
        "{f} must be a whole, non-negative Rial amount.",
    ),
    "user": ("کاربری که در {f} آمده در سامانه نیست.", "{f} names no known user."),
    "unit": ("واحد سازمانی که در {f} آمده در سامانه نیست.", "{f} names no known organisational unit."),
    "attachment": (
        "پیوست {f} پیدا نشد؛ پرونده را دوباره بارگذاری کنید.",
        "the file of {f} was not found; upload it again.",
    ),
}
OTHER_FORMAT = ("{f} قالب درستی ندارد ({v}).", "{f} is not a valid {v}.")
OTHER = ("{f} درست نیست.", "{f} is not valid.")
TYPE_NAMES: dict[str, tuple[str, str]] = {
    "string": ("متن", "text"),
    "integer": ("عدد صحیح", "a whole number"),
    "number": ("عدد", "a number"),
    "boolean": ("بله یا خیر", "yes or no"),
    "array": ("جدولی از ردیف‌ها", "a table of rows"),
    "object": ("مجموعه‌ای از فیلدها", "a group of fields"),
    "null": ("خالی", "empty"),
}


@dataclass(frozen=True)
class Place:
    """A field named for people, with the schema and UI hints found at its path."""

    fa: str
    en: str
    schema: Mapping[str, Any]
    hints: Mapping[str, Any]


def place(schema: Mapping[str, Any], ui: Mapping[str, Any], path: Sequence[str | int]) -> Place:
    """The field at ``path`` (e.g. ``["lines", 1, "amount"]``) in the words of the form's labels."""
    hints_by_name = ui.get("fields", {})
    names: list[tuple[str, str]] = []
    rows: list[tuple[int, int]] = []  # (row index, how many names were seen before it)
    hints: Mapping[str, Any] = {}
    for segment in path:
        if isinstance(segment, int):
            items = schema.get("items")
            schema = items if isinstance(items, Mapping) else {}
            rows.append((segment, len(names)))
            continue
        found = properties_of(schema).get(segment)
        schema = found if isinstance(found, Mapping) else {}
        hints = _mapping(_mapping(hints_by_name).get(segment))
        fa = str(schema.get("title") or segment)
        names.append((fa, str(hints.get("label_en") or fa)))
        hints_by_name = hints.get("columns", {})
    return Place(*_phrase(names, rows), schema=schema, hints=hints)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _phrase(names: list[tuple[str, str]], rows: list[tuple[int, int]]) -> tuple[str, str]:
    if not names:
        return (
            ("فرم", "the form") if not rows else (f"ردیف {to_persian_digits(str(rows[-1][0] + 1))}", "a row")
        )
    fa, en = f"«{names[-1][0]}»", f"'{names[-1][1]}'"
    if rows and rows[-1][1] > 0:
        index, seen = rows[-1]
        table_fa, table_en = names[seen - 1]
        if seen == len(names):  # the row itself, not a cell of it
            return (
                f"ردیف {to_persian_digits(str(index + 1))} از «{table_fa}»",
                f"row {index + 1} of '{table_en}'",
            )
        fa += f" در ردیف {to_persian_digits(str(index + 1))} از «{table_fa}»"
        en += f" in row {index + 1} of '{table_en}'"
    return fa, en


def message(keyword: str, where: Place, value: Any) -> dict[str, str]:
    """The Persian and English sentences for a failed ``keyword`` whose limit or argument is ``value``."""
    if keyword == "format":
        fa, en = FORMAT_TEMPLATES.get(str(value), OTHER_FORMAT)
    else:
        fa, en = TEMPLATES.get(keyword, OTHER)
    value_fa, value_en = _value(keyword, where, value)
    return {"fa": fa.format(f=where.fa, v=value_fa), "en": en.format(f=where.en, v=value_en)}


def _value(keyword: str, where: Place, value: Any) -> tuple[str, str]:
    if keyword == "type":
        names = [TYPE_NAMES.get(t, (t, t)) for t in ([value] if isinstance(value, str) else list(value))]
        return " یا ".join(n[0] for n in names), " or ".join(n[1] for n in names)
    if keyword == "enum" and isinstance(value, list):
        labels = [choice_label(where.hints, item) for item in value]
        return "، ".join(f"«{fa}»" for fa, _ in labels), ", ".join(f"'{en}'" for _, en in labels)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        rial = where.schema.get("format") == "rial"
        # Four digits are not grouped: a limit such as the year 1390 reads wrong as 1,390.
        grouped = rial or abs(value) >= 10_000
        return _persian_number(value, rial=rial, grouped=grouped), f"{value:,}" if grouped else str(value)
    return str(value), str(value)


def _persian_number(value: int | float, *, rial: bool, grouped: bool) -> str:
    if isinstance(value, float) and not value.is_integer():
        return to_persian_digits(str(value)).replace(".", DECIMAL)
    text = format_rial(int(value)) if grouped else to_persian_digits(str(int(value)))
    return f"{text} ریال" if rial else text


def choice_label(hints: Mapping[str, Any], value: Any) -> tuple[str, str]:
    """The (Persian, English) label of one ``enum`` value from ``ui.fields.<f>.labels``, else the value."""
    label = _mapping(hints.get("labels")).get(str(value))
    if isinstance(label, Mapping):
        fa = str(label.get("fa") or label.get("en") or value)
        return fa, str(label.get("en") or fa)
    text = str(label) if isinstance(label, str) else str(value)
    return text, text
