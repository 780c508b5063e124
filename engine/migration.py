"""Migrating an instance to another deployed version of its process: an administrator's action.

The instance's state is moved onto the target version's diagram (:mod:`engine.spiff.migration`: what
happened and what is open stay as they are; what the old diagram predicted after the open tasks is
predicted again from the new one), its ``version_id`` changes, its open tasks' rows take the target's
name, form and signature rule for their element (who holds them and their deadlines stay), and a
``migrated`` event ``{from_version, to_version, note?}`` naming the admin is written, all in one
transaction. The instance may be running, failed (the fixed version's step is then retried) or
suspended; not finished.

The move is refused, naming the elements and changing nothing, when a task open in the instance (by
element id) is missing in the target version or is another kind of element there, or when an element
it has passed is missing. Nothing runs at a migration: the next step runs on the new version.

``engine.replay`` switches the replayed instance to the target version at the ``migrated`` event with
:meth:`Migration.apply`, and ``engine.verification`` judges each signature against the version in force
when it was given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from engine import approvals, inbox
from engine.admin import check_admin, with_note
from engine.commit import Result, append
from engine.definitions import catalog
from engine.errors import InvalidTransition
from engine.history import Event
from engine.spiff import migration as spiff_migration
from engine.spiff import workflow
from engine.spiff.serializer import codec
from engine.store import instances
from engine.versions import LoadedVersion, numbered

if TYPE_CHECKING:
    from engine.runtime import Runtime

KIND = "migrated"


class Migration:
    def __init__(self, runtime: Runtime):
        self.runtime = runtime

    def migrate(self, instance_id: str, *, to_version: int, actor: str, note: str | None = None) -> Result:
        with self.runtime.store.transaction() as tx:
            check_admin(tx, actor, "migrate an instance")
            return self.apply(tx, instance_id, to_version, actor=actor, note=note)

    def apply(
        self, tx: Session, instance_id: str, to_version: int, *, actor: str | None, note: str | None
    ) -> Result:
        """The migration itself, without the admin check: ``engine.replay`` applies a recorded one with it."""
        head = instances.head(tx, instance_id)
        if head.status in ("completed", "cancelled"):
            raise InvalidTransition(f"instance {instance_id} is {head.status}; it stays on its version")
        opened = self.runtime._open(tx, instance_id, None, head)  # the runtime's companion
        source = opened.version
        target = self.runtime.versions.get(tx, numbered(tx, head.process_key, to_version))
        _check_pair(instance_id, source, target)
        state = _moved(instance_id, opened.wf, target)
        _refresh_rows(tx, opened.wf, target)
        data = with_note({"from_version": source.version, "to_version": target.version}, note)
        changes = {"state": state, "version_id": target.id}
        revision = append(tx, head, [Event(KIND, actor, data=data)], self.runtime.clock.now(), changes)
        return Result(instance_id, head.status, revision)


def _check_pair(instance_id: str, source: LoadedVersion, target: LoadedVersion) -> None:
    if target.id == source.id:
        raise InvalidTransition(f"instance {instance_id} is already on version {source.version}")
    if target.flavour != source.flavour:
        raise InvalidTransition(
            f"version {target.version} is a {target.flavour} diagram and version {source.version} "
            f"a {source.flavour} one: an instance cannot move between them"
        )


def _moved(instance_id: str, wf: Any, target: LoadedVersion) -> str:
    """``wf`` moved onto ``target``, as the state to store (checked to load again on ``target``)."""
    registry = codec(target.flavour).registry
    try:
        problems = spiff_migration.move(wf, target.spec, target.subprocess_specs, registry)
        if not problems:
            state = codec(target.flavour).dump_state(wf)
            codec(target.flavour).load_state(state, target.spec, target.subprocess_specs)
            return state
    except Exception as err:  # whatever the library raises: this state does not fit the target
        problems = [str(err)]
    raise InvalidTransition(
        f"پرونده {instance_id} را نمی‌توان به نسخهٔ {target.version} برد "
        f"(instance {instance_id} cannot move to version {target.version}): " + "; ".join(problems),
        hint="deploy a version that keeps these elements, or let the instance pass them first",
    )


def _refresh_rows(tx: Session, wf: Any, target: LoadedVersion) -> None:
    """Each open task's row: its name, form and signature rule as the target version has them."""
    for task in workflow.ready_human_tasks(wf):
        facts = target.catalog.get(catalog.task_key(task.process_id, task.element_id), {})
        inbox.change(
            tx,
            task.id,
            name=task.name or facts.get("name"),
            form=facts.get("form"),
            signature_required=approvals.requires_signature(facts.get("properties")),
        )
