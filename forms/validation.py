"""Validating one submission against a form: clean it, check it against the schema, then the system checks.

Every problem is reported at once, as ``{"path": "lines/2/amount", "rule": "minimum", "message":
{"fa": …, "en": …}}`` sorted by path (row numbers in numeric order). The system checks run only when
the schema is satisfied, since a rule over half-typed data would fail for the wrong reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaViolation

from engine.errors import ValidationError
from engine.persian import to_persian_digits
from forms import rules
from forms.cleaning import clean_form
from forms.definition import FormDefinition
from forms.formats import SubmissionContext, format_checker
from forms.kinds import properties_of
from forms.messages import message, place

Detail = dict[str, Any]


def validate(form: FormDefinition, data: Mapping[str, Any], *, context: SubmissionContext) -> dict[str, Any]:
    """The cleaned, normalised ``data``; raises :class:`ValidationError` with every problem in ``details``."""
    if not isinstance(data, Mapping):
        where = place(form.schema, form.ui, [])
        _raise(form, [{"path": "", "rule": "type", "message": message("type", where, "object")}])
    cleaned = clean_form(form.schema, data, form.ui)
    validator = Draft202012Validator(form.schema, format_checker=format_checker(context))
    details = _without_repeats(
        [detail for error in validator.iter_errors(cleaned) for detail in _details(form, error)]
    )
    if not details:
        details = rules.run(form.checks, cleaned, form.properties)
    if details:
        _raise(form, details)
    return cleaned


def _without_repeats(details: list[Detail]) -> list[Detail]:
    # A Rial amount of -5 or 2.5 breaks both ``minimum`` (or ``type``) and the ``rial`` format; the
    # clerk needs to hear it once, with the limit or the expected type.
    said = {d["path"] for d in details if d["rule"] in ("type", "minimum", "exclusiveMinimum")}
    return [detail for detail in details if not (detail["rule"] == "format" and detail["path"] in said)]


def _raise(form: FormDefinition, details: list[Detail]) -> None:
    details.sort(key=lambda detail: _path_key(detail["path"]))
    count = to_persian_digits(str(len(details)))
    raise ValidationError(
        f"فرم «{form.title['fa']}» {count} ایراد دارد: {details[0]['message']['fa']}",
        details=details,
    )


def _path_key(path: str) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in path.split("/") if part)


def _details(form: FormDefinition, error: SchemaViolation) -> Iterator[Detail]:
    keyword = str(error.validator)
    path: list[str | int] = list(error.absolute_path)
    if keyword == "required" and isinstance(error.validator_value, list):
        missing = [p for p in error.validator_value if error.message == f"{p!r} is a required property"]
        yield _detail(form, [*path, *missing[:1]], keyword, None)
    elif (
        keyword == "additionalProperties"
        and isinstance(error.instance, Mapping)
        and isinstance(error.schema, Mapping)
    ):
        for extra in _extras(error.instance, error.schema):
            yield _detail(form, [*path, extra], keyword, None)
    else:
        yield _detail(form, path, keyword, error.validator_value)


def _detail(form: FormDefinition, path: list[str | int], keyword: str, value: Any) -> Detail:
    where = place(form.schema, form.ui, path)
    return {
        "path": "/".join(str(part) for part in path),
        "rule": keyword,
        "message": message(keyword, where, value),
    }


def _extras(instance: Mapping[str, Any], schema: Mapping[str, Any]) -> list[str]:
    props = properties_of(schema)
    patterns = schema.get("patternProperties")
    patterns = list(patterns) if isinstance(patterns, Mapping) else []
    return [
        key
        for key in instance
        if key not in props and not any(re.search(pattern, key) for pattern in patterns)
    ]
