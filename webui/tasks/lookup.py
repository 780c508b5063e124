"""Opening a task for the signed-in person: the inbox's visibility rule, then its version's form and facts.

A task the person may not see is answered exactly like a task that does not exist (404): another
municipality's task ids are not confirmed. A task completed meanwhile is a Conflict naming who did it,
but only to someone who may see its case.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

import forms
from engine import access, history, inbox
from engine.directory import Person
from engine.errors import Conflict, NotFound
from engine.platform import Platform, task_dict
from engine.store.fast import Prepared
from engine.store.models import Instance, ProcessVersion, TaskRow

TASKS = TaskRow.__table__.c
_FORMS: dict[tuple[str, str], forms.FormDefinition] = {}  # (version sha256, form name): immutable


@dataclasses.dataclass(frozen=True)
class OpenTask:
    """One open task as the page needs it."""

    task: dict[str, Any]
    revision: int
    version_id: int
    version_sha: str
    process_name: str
    form: forms.FormDefinition | None
    properties: Mapping[str, str]
    catalog: Mapping[str, Any]
    forms: Mapping[str, Any]

    @property
    def signature_required(self) -> bool:
        """The process asks for the completing clerk's digital signature on this step."""
        return self.properties.get("signature") == "required"


_OPEN = inbox.visible_statement(
    select(TaskRow.__table__, Instance.business_key, Instance.revision, Instance.version_id)
    .select_from(TaskRow.__table__.join(Instance.__table__, Instance.id == TASKS.instance_id))
    .where(TASKS.id == bindparam("task_id"))
)
_VERSION = Prepared(select(
    ProcessVersion.sha256, ProcessVersion.name, ProcessVersion.process_key, ProcessVersion.forms,
    ProcessVersion.catalog,
).where(ProcessVersion.id == bindparam("version_id")))  # fmt: skip


def open_task(platform: Platform, person: Person, task_id: str) -> OpenTask:
    with platform.store.reading() as tx:
        _, params = inbox.visibility(tx, person)
        row = _OPEN.first(tx, {**params, "task_id": task_id})
        if row is None:
            raise _gone(tx, task_id, person)
        version = _VERSION.first(tx, {"version_id": row.version_id})
    task = task_dict(row, now=platform.clock.now(), calendar=platform.runtime.calendar)
    task["business_key"] = row.business_key
    catalog = version.catalog or {}
    return OpenTask(
        task=task,
        revision=row.revision,
        version_id=row.version_id,
        version_sha=version.sha256,
        process_name=version.name or version.process_key,
        form=form_of(version.sha256, row.form, version.forms or {}),
        properties=_facts(catalog, row.element_id).get("properties") or {},
        catalog=catalog,
        forms=version.forms or {},
    )


def _gone(tx: Session, task_id: str, person: Person) -> Exception:
    done = history.completion_of(tx, task_id)
    if done is not None and access.may_view(tx, tx.get(Instance, done.instance_id), person.name):
        return Conflict(
            f"این کار پیش‌تر به دست {done.actor or 'سامانه'} انجام شده است.", hint="reload your inbox"
        )
    return NotFound(f"task {task_id} does not exist or is not in your inbox")


def form_of(sha: str, name: str | None, definitions: Mapping[str, Any]) -> forms.FormDefinition | None:
    """The checked form ``name`` of a version (cached: a version never changes)."""
    if not name or name not in definitions:
        return None
    key = (sha, name)
    if key not in _FORMS:
        _FORMS[key] = forms.load_form(definitions[name], name=name)
    return _FORMS[key]


def _facts(catalog: Mapping[str, Any], element_id: str) -> Mapping[str, Any]:
    """The catalog entry of ``element_id`` (a task of a called process is keyed ``process/element``)."""
    if element_id in catalog:
        return dict(catalog[element_id])
    for key, facts in catalog.items():
        if key.endswith("/" + element_id):
            return dict(facts)
    return {}


def element_name(catalog: Mapping[str, Any], element_id: str | None) -> str | None:
    if element_id is None:
        return None
    return _facts(catalog, element_id).get("name") or element_id
