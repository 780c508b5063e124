"""Administrators' actions on instances, each an event in the instance's hash chain naming the admin.

Suspend and resume an instance (while suspended its tasks cannot be claimed, referred or completed and
its timers do not fire), reassign a task to a user, edit an instance's data (the event keeps the old
and the new values), and skip a task: complete it on the admin's authority when its step is moot (the
clerk left), the process moving on exactly as after a completion. Only members of the ``admin`` group
may; others get :class:`Forbidden`. Cancel and retry are the runtime's own operations; the platform
checks the admin for them with :func:`check_admin` and the runtime records the actor in their events.
Migrating an instance to another version is :mod:`engine.migration`'s.

A skip's data is either none (the process goes on with the case's data as it is) or the task's form
filled on the clerk's behalf, validated as a completion is: later steps, gateways and documents read it
as that form's answer, so it must be one. Other fields are set with :meth:`Admin.edit_data`, which
keeps old and new. A signature step cannot be skipped: its decision would stand without a signature.

:class:`Admin` is the runtime's companion: it uses the runtime's store, clock and open/commit steps,
so an admin action is one transaction like every other step.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from engine import directory, inbox
from engine.commit import Opened, Result, append
from engine.errors import Forbidden, InvalidTransition, NotFound
from engine.history import Event
from engine.spiff import workflow
from engine.spiff.serializer import codec
from engine.store import instances
from engine.store.models import Instance

if TYPE_CHECKING:
    from engine.runtime import Runtime

ADMIN_GROUP = "admin"
SUSPENDED = "suspended"
_SUSPENDABLE = ("running", "error")


def check_admin(tx: Session, actor: str, action: str) -> directory.Person:
    person = directory.person(tx, actor)
    if ADMIN_GROUP not in person.groups:
        raise Forbidden(
            f"فقط مدیر سامانه می‌تواند این کار را انجام دهد: {action} "
            f"(only a member of the '{ADMIN_GROUP}' group may {action}; {actor} is not)",
        )
    return person


def check_active(instance_id: str, status: str) -> None:
    """A suspended instance's tasks wait: nobody claims, refers or completes them until it is resumed."""
    if status == SUSPENDED:
        raise InvalidTransition(
            f"پرونده {instance_id} به دستور مدیر سامانه معلق است؛ تا از سر گرفته نشود نمی‌توان روی آن کار کرد "
            f"(instance {instance_id} is suspended by an administrator)",
            hint=f"an administrator runs `run.py resume {instance_id} --as ADMIN`",
        )


class Admin:
    def __init__(self, runtime: Runtime):
        self.runtime = runtime

    def suspend(self, instance_id: str, *, actor: str, note: str | None = None) -> Result:
        with self.runtime.store.transaction() as tx:
            check_admin(tx, actor, "suspend an instance")
            head = instances.head(tx, instance_id)
            if head.status not in _SUSPENDABLE:
                raise InvalidTransition(f"instance {instance_id} is {head.status}; it cannot be suspended")
            event = Event(SUSPENDED, actor, data=with_note({"status": head.status}, note))
            revision = append(tx, head, [event], self.runtime.clock.now(), {"status": SUSPENDED})
        return Result(instance_id, SUSPENDED, revision)

    def resume(self, instance_id: str, *, actor: str, note: str | None = None) -> Result:
        with self.runtime.store.transaction() as tx:
            check_admin(tx, actor, "resume an instance")
            head = instances.head(tx, instance_id)
            if head.status != SUSPENDED:
                raise InvalidTransition(f"instance {instance_id} is {head.status}, not suspended")
            row = tx.get(Instance, instance_id)
            status = "error" if row is not None and row.incident else "running"
            event = Event("resumed", actor, data=with_note({"status": status}, note))
            revision = append(tx, head, [event], self.runtime.clock.now(), {"status": status})
        return Result(instance_id, status, revision)

    def reassign(self, task_id: str, *, to_user: str, actor: str, note: str | None = None) -> Result:
        """Give an open task to ``to_user`` (whatever its candidates): the admin's decision, recorded."""
        with self.runtime.store.transaction() as tx:
            check_admin(tx, actor, "reassign a task")
            row = inbox.task_row(tx, task_id)
            if row is None:
                raise NotFound(f"task {task_id} does not exist or is no longer open")
            directory.person(tx, to_user)
            head = instances.head(tx, row.instance_id)
            inbox.change(tx, task_id, assignee=to_user, referred_by=None)
            data = with_note({"from": row.assignee, "to": to_user}, note)
            event = Event("reassigned", actor, row.element_id, task_id, data)
            revision = append(tx, head, [event], self.runtime.clock.now())
        return Result(head.id, head.status, revision)

    def edit_data(self, instance_id: str, data: Mapping[str, Any], *, actor: str) -> Result:
        """Set fields of the instance's data (what its next steps read); the event keeps old and new."""
        from engine.runtime import check_data  # the runtime imports this module

        changes = check_data(data)
        with self.runtime.store.transaction() as tx:
            check_admin(tx, actor, "edit an instance's data")
            return self.apply_edit(tx, instance_id, changes, actor=actor)

    def apply_edit(
        self, tx: Session, instance_id: str, changes: dict[str, Any], *, actor: str | None
    ) -> Result:
        """The edit itself, without the admin check: ``engine.replay`` applies a recorded edit with it
        (whoever was admin then, whatever today's directory says)."""
        head = instances.head(tx, instance_id)
        if head.status in ("completed", "cancelled"):
            raise InvalidTransition(f"instance {instance_id} is {head.status}; its data is final")
        opened = self.runtime._open(tx, instance_id, None, head)  # the runtime's companion
        old = workflow.edit_data(opened.wf, changes)
        state = codec(opened.version.flavour).dump_state(opened.wf)
        event = Event("data_edited", actor, data={"old": old, "new": changes})
        revision = append(tx, head, [event], self.runtime.clock.now(), {"state": state})
        return Result(instance_id, head.status, revision)

    def skip(
        self, task_id: str, *, actor: str, data: Mapping[str, Any] | None = None, note: str | None = None
    ) -> Result:
        """Complete an open task on the admin's authority, whoever its candidates: a ``skipped`` event
        (the admin, the task, the data given, the note) and the process moving on, in one transaction."""
        from engine.runtime import check_data  # the runtime imports this module

        payload = check_data(data)
        with self.runtime.store.transaction() as tx:
            check_admin(tx, actor, "skip a task")
            result, opened = self.apply_skip(tx, task_id, payload, actor=actor, note=note)
        self.runtime._keep(result, opened)
        return result

    def apply_skip(
        self, tx: Session, task_id: str, payload: dict[str, Any], *, actor: str | None, note: str | None
    ) -> tuple[Result, Opened]:
        """The skip itself, without the admin check: ``engine.replay`` applies a recorded skip with it."""
        runtime = self.runtime  # the runtime's companion: its open, validate, context and commit steps
        row, head = _skippable(tx, task_id)
        opened = runtime._open(tx, row.instance_id, None, head)
        # Validated even when empty: later steps read the form's answers, so a form with required fields
        # is skipped only with them (a data-less skip used to leave the next step failing on a missing name).
        payload = runtime._validated(tx, opened.version, row, payload, actor or "")
        ctx = runtime._context(tx, opened.head, actor, runtime._step_clock())
        outcome = workflow.complete(opened.wf, task_id, payload, ctx)
        data = with_note({"submitted": payload}, note)
        lead = [Event("skipped", actor, row.element_id, task_id, data)]
        at = ctx.clock.now()
        result = runtime._commit(tx, opened, outcome, lead, actor=actor, finished={task_id}, at=at)
        return result, opened


def _skippable(tx: Session, task_id: str) -> tuple[Any, instances.Head]:
    """The open task's row and its instance's head, when the task may be skipped."""
    row = inbox.task_row(tx, task_id)
    if row is None:
        raise NotFound(f"task {task_id} does not exist or is no longer open")
    head = instances.head(tx, row.instance_id)
    check_active(head.id, head.status)
    if row.signature_required:
        raise InvalidTransition(
            f"مرحلهٔ «{row.name or row.element_id}» امضای دیجیتال می‌خواهد و نمی‌توان از آن گذشت "
            f"(task {task_id} is a signature step: skipping it would leave its decision unsigned)",
            element=row.element_id,
            hint=f"reassign it to someone who can sign (run.py reassign {task_id} --to USER), or cancel",
        )
    return row, head


def with_note(data: dict[str, Any], note: str | None) -> dict[str, Any]:
    """``data`` with the admin's note, when there is one (a blank note is no note)."""
    text = (note or "").strip()
    return {**data, "note": text} if text else data
