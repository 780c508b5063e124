"""Reading a posted task form back into the JSON the form's schema describes.

Field names follow the form: ``amount`` for a field, ``lines.2.amount`` for a table cell, and
``letter__ref`` for a file uploaded earlier (kept when the clerk does not pick a new one). Values stay
text: :func:`forms.validate` cleans them (Persian digits, separators, Jalali dates) and names what is
wrong. What was typed is kept as typed, to be shown again next to the errors. An upload is stored in
the attachment store at once; one it refuses becomes that field's error.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from typing import Any

from werkzeug.datastructures import FileStorage, MultiDict

from engine.errors import InvalidInput
from engine.persian import to_persian_digits
from forms import AttachmentStore, Field
from forms.attachments import sniff

REF_SUFFIX = "__ref"
MAX_ROWS = 500
_CELL = re.compile(r"(?P<row>[0-9]{1,4})\.(?P<column>[A-Za-z_][A-Za-z0-9_]*)")


@dataclasses.dataclass
class Posted:
    """The data to submit, the values to show again, and problems found before validation."""

    data: dict[str, Any] = dataclasses.field(default_factory=dict)
    values: dict[str, Any] = dataclasses.field(default_factory=dict)
    errors: dict[str, str] = dataclasses.field(default_factory=dict)


def read(
    fields: Sequence[Field],
    form: MultiDict[str, str],
    files: MultiDict[str, FileStorage],
    store: AttachmentStore,
) -> Posted:
    posted = Posted()
    for field in fields:
        if field.kind == "table":
            rows = _rows(field, form)
            posted.values[field.name] = rows
            posted.data[field.name] = [_row_data(field.columns, row) for row in rows]
        elif field.kind == "attachment":
            _attachment(field, form, files, store, posted)
        else:
            raw = form.get(field.name, "")
            posted.values[field.name] = raw
            value = _value(field, raw)
            if value is not None:
                posted.data[field.name] = value
    return posted


def _value(field: Field, raw: str) -> Any:
    if field.kind == "boolean":
        return raw == "on"
    if not raw.strip():
        return None
    if field.kind == "choice":
        return next((c.value for c in field.choices if str(c.value) == raw), raw)
    return raw


def _rows(field: Field, form: Mapping[str, str]) -> list[dict[str, str]]:
    """The table's rows as typed, in row order; rows left entirely blank are dropped."""
    by_row: dict[int, dict[str, str]] = {}
    prefix = field.name + "."
    names = {c.name for c in field.columns}
    for key in form:
        match = _CELL.fullmatch(key[len(prefix) :]) if key.startswith(prefix) else None
        if match and match["column"] in names:
            by_row.setdefault(int(match["row"]), {})[match["column"]] = form[key]
    rows = [by_row[i] for i in sorted(by_row)]
    return [row for row in rows if any(v.strip() for v in row.values())][:MAX_ROWS]


def _row_data(columns: Sequence[Field], row: Mapping[str, str]) -> dict[str, Any]:
    out = {}
    for column in columns:
        value = _value(column, row.get(column.name, ""))
        if value is not None:
            out[column.name] = value
    return out


def _attachment(
    field: Field,
    form: MultiDict[str, str],
    files: MultiDict[str, FileStorage],
    store: AttachmentStore,
    posted: Posted,
) -> None:
    upload = files.get(field.name)
    ref = form.get(field.name + REF_SUFFIX, "").strip()
    if upload is not None and upload.filename:
        try:
            ref = _store(field, upload, store)
        except InvalidInput as err:
            posted.errors[field.name] = err.message
    posted.values[field.name] = ref
    if ref:
        posted.data[field.name] = ref


def _store(field: Field, upload: FileStorage, store: AttachmentStore) -> str:
    """Store one upload within the field's own limits (``accept``, ``max_bytes``) and the store's."""
    data = upload.read()
    if field.max_bytes is not None and len(data) > field.max_bytes:
        limit = to_persian_digits(max(1, field.max_bytes // (1024 * 1024)))
        raise InvalidInput(f"حجم پرونده بیش از {limit} مگابایت است.")
    if field.accept and sniff(data) not in field.accept:
        raise InvalidInput(
            "این نوع پرونده برای این فیلد پذیرفته نیست؛ نوع‌های مجاز: " + "، ".join(field.accept)
        )
    return store.put(data, filename=upload.filename or "attachment", content_type=upload.mimetype or "")
