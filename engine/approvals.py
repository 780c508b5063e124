"""What a signature at a signature step covers, and the contract with the layer that checks it.

A user task with the property ``signature=required`` completes only with a detached CMS signature, by
the completing user's certificate, over the :class:`Approval` of that completion: the decision data as
the form accepted it, the instance and task, the exact definition version, and the sha256 of every
attachment the data names. The engine builds the approval and records the verdict in the history; it
never parses a certificate itself — ``signatures/`` does, through the injected :data:`SignatureCheck`
(composed in ``handlers/wiring.py``), so the engine stays free of the crypto layer.
"""

from __future__ import annotations

import base64
import dataclasses
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

_ATTACHMENT = re.compile(r"^sha256:([0-9a-f]{64})$")


@dataclasses.dataclass(frozen=True)
class Approval:
    """One completion of a signature step, as signed (``signatures.canonical`` fixes the bytes)."""

    actor: str
    instance_id: str
    task_id: str
    element_id: str
    version_sha256: str
    data: Mapping[str, Any]

    @property
    def attachments(self) -> list[str]:
        """The sha256 of every attachment ref (``sha256:<hex>``) in the data, sorted, each once."""
        return attachment_digests(self.data)


@dataclasses.dataclass(frozen=True)
class Signed:
    """A signature the check accepted, as the history keeps it."""

    signer: str  # the certificate's subject, as people read it
    certificate_serial: str
    signed_at: str | None  # the signing time the signature claims (ISO 8601), if any
    content_sha256: str  # sha256 of the exact bytes that were signed
    signature: bytes  # the detached CMS, DER

    def event_data(self) -> dict[str, Any]:
        return {
            "signer": self.signer,
            "certificate_serial": self.certificate_serial,
            "signed_at": self.signed_at,
            "content_sha256": self.content_sha256,
            "cms": base64.b64encode(self.signature).decode("ascii"),
        }


# Verifies ``signature`` over ``approval`` for ``approval.actor``; raises a NezaratError (InvalidInput or
# ValidationError) with a clear message when it is missing, broken, by someone else or not trusted.
SignatureCheck = Callable[[Approval, bytes], Signed]


def requires_signature(properties: Mapping[str, Any] | None) -> bool:
    """True when a task's catalog properties ask for a signature (``signature=required``)."""
    return str((properties or {}).get("signature", "")).strip().lower() == "required"


def attachment_digests(value: Any) -> list[str]:
    """The sha256 of every attachment ref (``sha256:<hex>``) anywhere in ``value``, sorted, each once."""
    return sorted(set(_attachment_digests(value)))


def _attachment_digests(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        found = _ATTACHMENT.match(value)
        if found:
            yield found.group(1)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _attachment_digests(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _attachment_digests(item)
