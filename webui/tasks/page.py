"""Building the task page's context: the task, its form's fields and values, the case beside it."""

from __future__ import annotations

from typing import Any

import forms
from engine import history
from engine.directory import Person
from engine.errors import ValidationError
from engine.platform import Platform
from handlers import wiring
from webui.i18n import language
from webui.people import colleagues, unit_titles, units
from webui.tasks import case, drafts, lookup, submission
from webui.tasks.contexts import TaskPage


def task_page(
    platform: Platform,
    person: Person,
    task_id: str,
    posted: submission.Posted | None = None,
    errors: dict[str, str] | None = None,
    problem: str | None = None,
) -> TaskPage:
    """The page of ``task_id``; after a refused submission, ``posted`` holds what was typed."""
    lang, opened = language(), lookup.open_task(platform, person, task_id)
    fields = forms.fields(opened.form, lang) if opened.form else []
    with platform.store.reading() as tx:
        events = history.events_of(tx, opened.task["instance_id"])
        around, unit_options, titles = colleagues(tx, person), units(tx, person), unit_titles(tx)
    data, draft = case.case_data(events), drafts.load(platform.store, task_id) if posted is None else None
    values = posted.values if posted is not None else draft or initial_values(fields, data)
    facts = case.facts(data, case.fields_of_version(opened.version_sha, opened.forms, lang))
    task, mine = opened.task, opened.task["assignee"] == person.name
    return TaskPage(
        task=task,
        revision=opened.revision,
        process_name=opened.process_name,
        unit_title=titles.get(task["org_unit"] or ""),
        form_title=opened.form.title.get(lang) if opened.form else None,
        fields=fields,
        values=values,
        errors=errors or {},
        problem=problem,
        draft=draft is not None,
        attachments=file_names(platform, values, facts),
        facts=facts,
        steps=case.steps(events, opened.catalog),
        colleagues=around,
        units=unit_options,
        mine=mine,
        claimable=not mine,
        returnable=mine and task["referred_by"] is not None,
        signature_required=opened.signature_required,
        agent_url=platform.settings.signing_agent_url,
    )


def initial_values(fields: list[forms.Field], data: dict[str, Any]) -> dict[str, Any]:
    """What the fields show first: the case's current values of the same names, as text."""
    values: dict[str, Any] = {}
    for field in fields:
        value = data.get(field.name)
        if value is None:
            continue
        if field.kind == "table" and isinstance(value, list):
            values[field.name] = [
                {k: _text(v) for k, v in row.items()} for row in value if isinstance(row, dict)
            ]
        else:
            values[field.name] = value if field.kind == "boolean" else _text(value)
    return values


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def field_errors(err: ValidationError) -> dict[str, str]:
    """Each detail's message in the page's language, by path; several at one path are joined."""
    lang, found = language(), {}
    for detail in err.details or []:
        message = detail.get("message") or {}
        text = (message.get(lang) or message.get("fa") or "") if isinstance(message, dict) else str(message)
        path = str(detail.get("path", ""))
        found[path] = f"{found[path]} {text}" if path in found else text
    return found


def file_names(platform: Platform, values: dict[str, Any], facts: list[case.Fact]) -> dict[str, str]:
    """ref → file name, for the refs the page shows."""
    refs = case.attachment_refs(values) | case.attachment_refs({f.name: f.value for f in facts})
    store, names = attachment_store(platform), {}
    for ref in refs:
        if store.exists(ref):
            names[ref] = store.info(ref).filename
    return names


def attachment_store(platform: Platform) -> forms.AttachmentStore:
    store = platform.runtime.services.get("attachments")
    return store if isinstance(store, forms.AttachmentStore) else wiring.attachment_store(platform.settings)
