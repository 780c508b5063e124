"""The one composition of what the engine gets from the layers above it: the services handlers use
(mail, the attachment store), the form validator, the deploy-time form check and the signature check of
signature steps, the server's seal of history checkpoints and the audits ``verify`` runs. ``run.py`` and ``webui.create_app`` both build
their Platform with ``Platform.build(settings, clock=clock, **platform_parts(settings, clock))``, so the
command line and the web behave the same.

Only the engine's dependency-free modules are imported here (the handlers' contract): the runtime
hands the validator an ``engine.submissions.Submission``, used here by its attributes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import forms
from engine.clock import Clock
from engine.errors import DefinitionError, NezaratError
from engine.evidence import Audits, Cause, DocumentAudit
from engine.settings import Settings
from handlers import signing
from handlers.mail import Mailer, Outbox

Validator = Callable[[Any], Mapping[str, Any]]


def attachment_store(settings: Settings) -> forms.AttachmentStore:
    return forms.AttachmentStore(settings.data_dir / "attachments")


def services(settings: Settings, clock: Clock) -> dict[str, Any]:
    return {
        "mailer": Mailer.from_settings(settings, clock=clock),
        "attachments": attachment_store(settings),
        "pdf_seal": signing.pdf_seal(settings, clock),  # None: generated PDFs are stored unsigned
    }


def validator(store: forms.AttachmentStore) -> Validator:
    """Completions are validated against the task's form of the deployed bundle, in its transaction."""

    loaded: dict[tuple[int, str], forms.FormDefinition] = {}  # checking a schema costs more than using it

    def validate(submission: Any) -> Mapping[str, Any]:
        key = (submission.version_id, submission.form_name)
        if key not in loaded:
            try:
                loaded[key] = forms.load_form(submission.form, name=submission.form_name)
            except DefinitionError as err:  # deployed before forms were checked at deploy: say so plainly
                raise DefinitionError(
                    f"form '{submission.form_name}' of this process is invalid: {err.message}",
                    details=err.details,
                ) from None
        form = loaded[key]
        context = forms.SubmissionContext(
            user_exists=submission.user_exists,
            unit_exists=submission.unit_exists,
            attachment_exists=store.exists,
        )
        return forms.validate(form, submission.data, context=context)

    return validate


def form_problem(name: str, definition: Mapping[str, Any]) -> str | None:
    """Why ``definition`` is not a usable form (checked at deploy), or None."""
    try:
        forms.load_form(definition, name=name)
    except DefinitionError as err:
        found = [f"{d['path'] or '(the form)'}: {d['message']}" for d in err.details or []]
        return "; ".join(found) or err.message
    return None


def platform_parts(settings: Settings, clock: Clock) -> dict[str, Any]:
    """The keyword arguments of ``Platform.build`` that only the layers above the engine can make."""
    made = services(settings, clock)
    return {
        "services": made,
        "validator": validator(made["attachments"]),
        "form_check": form_problem,
        "signature_check": signing.signature_check(settings, made["attachments"], clock),
        "seal": signing.seal(settings, clock),
        "audits": audits(settings, made["attachments"], clock),
    }


def replay_services(settings: Settings) -> Callable[[Path, Clock], Mapping[str, Any]]:
    """The services of a replay: mail kept in an outbox, new documents in the replay's scratch folder."""
    live = attachment_store(settings)

    def make(folder: Path, clock: Clock) -> Mapping[str, Any]:
        return {
            "mailer": Outbox(settings.mail_from, clock=clock),
            "pdf_seal": None,  # a replay renders documents but does not seal them (engine.replay)
            "attachments": forms.Overlay(folder / "attachments", live),
        }

    return make  # engine.replay.Replayer.of(platform, replay_services(settings)) takes it


def audits(settings: Settings, store: forms.AttachmentStore, clock: Clock) -> Audits:
    """How ``verify`` checks what the engine cannot: signatures, checkpoints and stored documents."""
    return Audits(
        approval=signing.approval_audit(settings, store, clock),
        seal=signing.seal_audit(settings, clock),
        document=document_audit(store),
        replay=replay_services(settings),
    )


def document_audit(store: forms.AttachmentStore) -> DocumentAudit:
    """A document ref is fine when the store still has bytes with that sha256."""

    def audit(ref: str) -> Cause | None:
        if not store.exists(ref):
            return Cause("missing", f"سند {ref} در انبار پیوست‌ها نیست (the stored file is missing)")
        try:
            store.get(ref)
        except NezaratError:
            name = store.info(ref).filename
            return Cause(
                "altered",
                f"سند «{name}» تغییر کرده است (the bytes of {name} no longer have their recorded sha256)",
            )
        return None

    return audit
