"""Forms: definitions (JSON Schema plus UI hints), validation of submissions, Persian text, attachments.

Owns loading and checking form files (processes/README.md, "Forms"), cleaning and validating what a
clerk submits (Persian normalisation, every error at once with Persian messages, cross-field system
checks in the script sandbox), the fields the web UI draws, and the content-addressed attachment store.

Imports ``engine`` (errors and the script sandbox) only; never Flask, ``handlers`` or ``webui``. The
directory and the attachment store reach validation as callables in :class:`SubmissionContext`.
"""

from __future__ import annotations

from engine.persian import to_ascii_digits, to_persian_digits
from forms.attachments import AttachmentInfo, AttachmentStore, Overlay
from forms.definition import FormDefinition, load_form
from forms.fields import Choice, Field, fields
from forms.formats import SubmissionContext
from forms.persian import format_rial, normalise_text
from forms.validation import validate

__all__ = [
    "AttachmentInfo",
    "AttachmentStore",
    "Choice",
    "Field",
    "FormDefinition",
    "Overlay",
    "SubmissionContext",
    "fields",
    "format_rial",
    "load_form",
    "normalise_text",
    "to_ascii_digits",
    "to_persian_digits",
    "validate",
]
