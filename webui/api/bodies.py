"""Reading JSON request bodies: one object, known fields only, typed values — else ``InvalidInput`` (400)."""

from __future__ import annotations

import base64
import json
from collections.abc import Collection
from typing import Any

from flask import request

from engine.errors import InvalidInput


def json_object(*, allowed: Collection[str]) -> dict[str, Any]:
    """The request's JSON object (``{}`` for an empty body); unknown fields are refused."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw, parse_constant=_refuse_constant)
    except ValueError as err:
        raise InvalidInput(f"the request body is not valid JSON: {err}") from None
    if not isinstance(body, dict):
        raise InvalidInput("the request body must be a JSON object")
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise InvalidInput(
            f"unknown field '{unknown[0]}' in the request body", hint="allowed: " + ", ".join(sorted(allowed))
        )
    return body


def optional_int(body: dict[str, Any], name: str) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"'{name}' must be an integer")
    return value


def optional_str(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"'{name}' must be a string")
    return value


def optional_base64(body: dict[str, Any], name: str) -> bytes | None:
    """The bytes of a standard base64 member (a signature's DER), or None when it is absent."""
    text = optional_str(body, name)
    if text is None:
        return None
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        raise InvalidInput(f"'{name}' must be standard base64 (the DER bytes of the signature)") from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")
