"""Typed contexts of the process owner's pages (``templates/models/``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import forms
from engine.definitions.diff import Diff
from webui.models.versions import ProcessModel


@dataclasses.dataclass(frozen=True)
class ModelsPage:
    """Context of ``templates/models/list.html``: ``drafts`` maps a process key to the draft's save time."""

    models: list[ProcessModel]
    drafts: dict[str, dt.datetime]


@dataclasses.dataclass(frozen=True)
class ModelerPage:
    """Context of ``templates/models/modeler.html``.

    ``xml`` is the draft's diagram, else the base version's; ``diagnostics`` are shown on load (after a
    refused deploy); ``config`` is what ``static/models/modeler.js`` reads.
    """

    process_key: str
    process_name: str | None
    base_version: int | None
    versions: list[int]
    draft_saved_at: dt.datetime | None
    form_names: list[str]
    problem: str | None
    config: dict[str, Any]


@dataclasses.dataclass(frozen=True)
class DiffPage:
    """Context of ``templates/models/diff.html``."""

    process_key: str
    versions: list[int]
    before: int
    after: int
    diff: Diff


@dataclasses.dataclass(frozen=True)
class FormsPage:
    """Context of ``templates/models/forms.html``: the bundle's forms, from the draft or the version."""

    process_key: str
    base_version: int | None
    in_draft: bool
    forms: list[tuple[str, str]]


@dataclasses.dataclass(frozen=True)
class FormBuilderPage:
    """Context of ``templates/models/form.html``; ``config`` is what ``static/models/form_builder.js`` reads."""

    process_key: str
    form_name: str
    in_draft: bool
    config: dict[str, Any]


@dataclasses.dataclass(frozen=True)
class PreviewPage:
    """Context of ``templates/models/preview.html``: what the task page's field macros read."""

    fields: list[forms.Field]
    values: dict[str, Any]
    errors: dict[str, str]
    attachments: dict[str, str]
    units: list[Any]
    colleagues: list[Any]
    problems: list[str]
