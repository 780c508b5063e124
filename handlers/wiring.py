"""The one composition of what the engine gets from the layers above it: the services handlers use
(mail, the attachment store), the form validator, the deploy-time form check and the signature check of
signature steps. ``run.py`` and ``webui.create_app`` both build
their Platform with ``Platform.build(settings, clock=clock, **platform_parts(settings, clock))``, so the
command line and the web behave the same.

Only the engine's dependency-free modules are imported here (the handlers' contract): the runtime
hands the validator an ``engine.submissions.Submission``, used here by its attributes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import forms
from engine.clock import Clock
from engine.errors import DefinitionError
from engine.settings import Settings
from handlers import signing
from handlers.mail import Mailer

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
    }
