"""Typed context of the task page."""

from __future__ import annotations

import dataclasses
from typing import Any

import forms
from webui.people import Option
from webui.tasks.case import Fact, Step


@dataclasses.dataclass(frozen=True)
class TaskPage:
    """Context of ``templates/tasks/page.html``.

    ``values`` are what the fields show (as typed after a refused submission), ``errors`` the messages
    by field path (``lines/2/amount``), ``problem`` a message for the whole form.
    """

    task: dict[str, Any]
    revision: int
    process_name: str
    unit_title: str | None
    form_title: str | None
    fields: list[forms.Field]
    values: dict[str, Any]
    errors: dict[str, str]
    problem: str | None
    draft: bool
    attachments: dict[str, str]
    facts: list[Fact]
    steps: list[Step]
    colleagues: list[Option]
    units: list[Option]
    mine: bool
    claimable: bool
    returnable: bool
    signature_required: bool
    agent_url: str  # where the clerk's browser reaches the local signing agent (NEZARAT_SIGNING_AGENT_URL)
    signature_error: str | None = None  # why the signature was refused, shown beside the sign control
