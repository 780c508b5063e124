"""The exact bytes an approval signature covers. This format is a contract: change it only with a new FORMAT.

``canonical_bytes(approval)`` is one JSON object, format ``nezarat-approval/1``:

* members, in this order because keys are sorted: ``actor`` (the Nezarat user name who approves),
  ``attachments`` (a list of ``{"name", "sha256"}`` objects sorted by name, then digest; ``sha256`` is
  the lowercase hex SHA-256 of the file's bytes), ``decision`` (the submitted decision data, any JSON
  object), ``definition_sha256`` (lowercase hex SHA-256 of the deployed process version),
  ``format`` (``"nezarat-approval/1"``), ``instance_id`` and ``task_id`` (strings);
* every object's keys sorted by Unicode code point, at every depth;
* no whitespace at all: separators are ``,`` and ``:``; no trailing newline; UTF-8 without BOM;
* non-ASCII characters written as themselves; only ``"``, ``\\`` and U+0000–U+001F are escaped, as
  JSON requires (``\\n``, ``\\t``, ``\\u001b`` …);
* every string, keys included, in Unicode NFC (Persian text typed on different keyboards compares
  equal); NFC does not merge Arabic and Persian letters (ي/ی, ك/ک stay distinct);
* ``true``/``false``/``null``; integers in decimal; other numbers must be finite and are written as
  Python's shortest round-trip ``repr`` (``0.1``, ``1e+16``). Amounts should be integers.

Anything that is not JSON data (dates, bytes, sets, NaN) is refused with :class:`InvalidInput`, and so
are two keys that become equal under NFC.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from engine.errors import InvalidInput

FORMAT = "nezarat-approval/1"
_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclasses.dataclass(frozen=True)
class AttachmentDigest:
    name: str
    sha256: str


@dataclasses.dataclass(frozen=True)
class Approval:
    """What one person approves at one task: the decision, where it was taken, and the files it covers."""

    actor: str
    instance_id: str
    task_id: str
    definition_sha256: str
    decision: Mapping[str, Any]
    attachments: Sequence[AttachmentDigest] = ()


def digest_attachment(name: str, data: bytes) -> AttachmentDigest:
    return AttachmentDigest(name, hashlib.sha256(data).hexdigest())


def canonical_bytes(approval: Approval) -> bytes:
    """The signed form of ``approval`` (see the module docstring for the format)."""
    return json.dumps(
        _normalised(as_document(approval), "approval"),
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
        allow_nan=False,
    ).encode("utf-8")


def as_document(approval: Approval) -> dict[str, Any]:
    """The approval as the JSON object that is serialised (digests checked, attachments sorted)."""
    _require_digest(approval.definition_sha256, "definition_sha256")
    for attachment in approval.attachments:
        _require_digest(attachment.sha256, f"attachments/{attachment.name}")
    attachments = sorted(approval.attachments, key=lambda a: (_nfc(a.name), a.sha256))
    return {
        "actor": approval.actor,
        "attachments": [{"name": a.name, "sha256": a.sha256} for a in attachments],
        "decision": dict(approval.decision),
        "definition_sha256": approval.definition_sha256,
        "format": FORMAT,
        "instance_id": str(approval.instance_id),
        "task_id": str(approval.task_id),
    }


def _normalised(value: Any, path: str) -> Any:
    if isinstance(value, str):
        return _nfc(value)
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _refuse(path, f"{value!r} is not a finite number")
        return value
    if isinstance(value, Mapping):
        return _normalised_object(value, path)
    if isinstance(value, (list, tuple)):
        return [_normalised(item, f"{path}/{index}") for index, item in enumerate(value)]
    raise _refuse(path, f"{type(value).__name__} is not JSON data")


def _normalised_object(value: Mapping[Any, Any], path: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in value.items():
        if not isinstance(key, str):
            raise _refuse(path, f"key {key!r} is not a string")
        name = _nfc(key)
        if name in out:
            raise _refuse(path, f"keys {key!r} and another one are equal once NFC-normalised")
        out[name] = _normalised(item, f"{path}/{name}")
    return out


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _require_digest(value: str, field: str) -> None:
    if not _HEX64.fullmatch(value):
        raise _refuse(field, f"{value!r} is not a lowercase hex SHA-256 digest")


def _refuse(path: str, why: str) -> InvalidInput:
    return InvalidInput(
        f"دادهٔ تأیید قابل امضا نیست: {path} ({path}: {why})",
        hint="approvals hold JSON data only: strings, integers, finite numbers, booleans, null, lists, objects",
        element=path,
    )
