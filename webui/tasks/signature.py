"""The signature step on the task page: the clerk signs with their own USB token or on the server.

(a) **Token.** The page's script posts the form to ``/tasks/<id>/approval`` (:func:`prepare`, the same
bytes as the API's prepare), hands them to the local signing agent on the clerk's PC
(``signatures.agent``, at ``NEZARAT_SIGNING_AGENT_URL``), and submits the form with the returned CMS in ``_signature``.
(b) **Server.** The clerk uploads their PKCS#12 (or uses the one the server keeps for them) and types
its password; it signs this one approval (``handlers.signing``) and is not stored.

Completion first builds the approval (:meth:`Platform.approval`), so what the form's own check refuses
is shown by field as on any task; everything after that is about the signature, and its refusal is
shown next to the sign control (:class:`Refused`), with nothing stored.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import request
from flask_babel import gettext as _

from engine.directory import Person
from engine.errors import InvalidInput, NezaratError
from engine.platform import Platform
from handlers import signing
from webui.tasks.page import attachment_store


class Refused(Exception):
    """The signature could not be made or was not accepted; ``message`` is for the clerk."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def prepare(platform: Platform, person: Person, task_id: str, data: dict[str, Any]) -> dict[str, str]:
    """The bytes the clerk's token signs to complete ``task_id`` with ``data`` (base64, sha256, summary)."""
    approval = platform.approval(task_id, data, actor=person.name)
    return signing.to_sign(approval, attachment_store(platform)).to_dict()


def complete(
    platform: Platform, person: Person, task_id: str, data: dict[str, Any], expected_rev: int | None
) -> None:
    """Complete a signature step with the signature the posted form brings or asks for."""
    approval = platform.approval(task_id, data, actor=person.name)  # the form's own errors, by field
    signature = _signature(platform, approval)
    try:
        platform.complete(task_id, data, actor=person.name, expected_rev=expected_rev, signature=signature)
    except InvalidInput as error:  # the form passed above: this is the signature's refusal
        raise Refused(error.message) from None


def _signature(platform: Platform, approval: Any) -> bytes:
    if request.form.get("_sign_with") == "server":
        return _signed_on_server(platform, approval)
    text = request.form.get("_signature", "").strip()
    if not text:
        raise Refused(_("امضای توکن به دست سامانه نرسید؛ برنامهٔ امضای محلی را اجرا کنید و دوباره امضا کنید."))
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise Refused(_("امضای رسیده خوانا نیست؛ دوباره امضا کنید.")) from None


def _signed_on_server(platform: Platform, approval: Any) -> bytes:
    """Sign with the uploaded .p12, else the one the server keeps for the clerk; the password is used once."""
    password = request.form.get("_key_password", "")
    upload = request.files.get("_key_file")
    store, clock = attachment_store(platform), platform.clock
    try:
        if upload is not None and upload.filename:
            return signing.sign_with_pkcs12_file(approval, store, upload.read(), password, clock)
        kept = signing.user_key_file(platform.settings, approval.actor)
        if kept is None:
            raise Refused(_("پروندهٔ کلید امضای خود (.p12) را برگزینید."))
        return signing.sign_with_pkcs12(approval, store, kept, password, clock)
    except NezaratError as error:
        raise Refused(error.message) from None
