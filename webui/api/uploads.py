"""A deploy upload as a bundle folder: multipart ``file`` (the .bpmn) plus optional ``forms``/``forms[]``.

The request size is capped before anything is read (``Content-Length`` and Flask's per-request
``max_content_length``); the BPMN part is read at most one byte past ``MAX_BPMN_BYTES``. Errors and
warnings about the upload name the uploaded file, never the temporary folder it was written to.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from flask import request
from werkzeug.datastructures import FileStorage

from engine.errors import InvalidInput, NezaratError
from webui.errors import TooLarge

FORMS_BUDGET = 2 * 1024 * 1024  # room for forms/*.json and the multipart framing beside the BPMN
MAX_FORM_BYTES = 512 * 1024
MAX_FORMS = 100
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,150}$")


@contextlib.contextmanager
def bundle_folder(max_bpmn_bytes: int) -> Iterator[Path]:
    """Write the uploaded bundle to a temporary folder for ``platform.deploy`` and remove it after."""
    _limit_request(max_bpmn_bytes + FORMS_BUDGET)
    bpmn = request.files.get("file")
    if bpmn is None:
        raise InvalidInput(
            "send the BPMN file as the multipart field 'file'",
            hint="forms go in repeated 'forms' fields: curl -F file=@process.bpmn -F forms=@forms/a.json",
        )
    forms = request.files.getlist("forms") + request.files.getlist("forms[]")
    if len(forms) > MAX_FORMS:
        raise InvalidInput(f"a bundle may hold at most {MAX_FORMS} forms")
    with tempfile.TemporaryDirectory(prefix="nezarat-upload-") as tmp:
        folder = Path(tmp)
        _write(folder / _name(bpmn, ".bpmn", default="process.bpmn"), bpmn, max_bpmn_bytes)
        for form in forms:
            _write(folder / "forms" / _name(form, ".json"), form, MAX_FORM_BYTES)
        try:
            yield folder
        except NezaratError as err:
            _hide_folder(err, folder)
            raise


def _limit_request(limit: int) -> None:
    request.max_content_length = limit
    if request.content_length is not None and request.content_length > limit:
        raise TooLarge(f"the upload is {request.content_length} bytes; the limit is {limit} bytes")


def _name(upload: FileStorage, suffix: str, *, default: str | None = None) -> str:
    name = PurePosixPath((upload.filename or "").replace("\\", "/")).name
    if SAFE_NAME.match(name) and name.lower().endswith(suffix):
        return name
    if default is not None:
        return default
    raise InvalidInput(
        f"uploaded file name '{name}' is not a form name",
        hint=f"use Latin letters, digits, '.', '_' and '-', ending in {suffix} (as the BPMN names it)",
    )


def _write(path: Path, upload: FileStorage, max_bytes: int) -> None:
    data = upload.stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TooLarge(f"{path.name} is larger than the limit of {max_bytes} bytes")
    if path.exists():
        raise InvalidInput(f"{path.name} is uploaded twice")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def scrub(value: Any, folder: Path) -> Any:
    """``value`` (text, or lists and dicts of it) with the temporary folder's path taken out."""
    if isinstance(value, str):
        return value.replace(f"{folder}{os.sep}", "")
    if isinstance(value, list):
        return [scrub(v, folder) for v in value]
    if isinstance(value, dict):
        return {k: scrub(v, folder) for k, v in value.items()}
    return value


def _hide_folder(err: NezaratError, folder: Path) -> None:
    err.message = scrub(err.message, folder)
    err.hint, err.file, err.details = (scrub(v, folder) for v in (err.hint, err.file, err.details))


def uploaded_name() -> str:
    """The uploaded BPMN's own file name, recorded as the version's source instead of the temp path."""
    upload = request.files.get("file")
    name = PurePosixPath(((upload.filename if upload else None) or "process.bpmn").replace("\\", "/")).name
    return name
