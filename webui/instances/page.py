"""Building the instance page's context: the instance, its timeline, the case as of one event, and the
verify report when the auditor asked for one. Every read goes through the Platform as the signed-in
person, so an instance they may not see is a 404 whatever the route."""

from __future__ import annotations

from typing import Any

from engine.directory import Person
from engine.platform import Platform
from engine.store.models import Instance, ProcessVersion
from webui.admin.actions import ALLOWED
from webui.admin.views import is_admin
from webui.i18n import language
from webui.instances import data_view, timeline
from webui.instances.contexts import InstancePage, Stepper
from webui.instances.verdict import VerifyReport
from webui.people import unit_titles
from webui.statuses import STATUS_LABELS
from webui.tasks.case import fields_of_version


def instance_page(
    platform: Platform, person: Person, instance_id: str, at: int | None, report: VerifyReport | None = None
) -> InstancePage:
    instance = platform.instance(instance_id, actor=person.name)  # NotFound unless theirs to see
    events = platform.history(instance_id, actor=person.name)
    shot = platform.snapshot(instance_id, at=at, actor=person.name)
    version = pinned_version(platform, instance_id)
    with platform.store.reading() as tx:
        titles = unit_titles(tx)
    fields = fields_of_version(version.sha256, version.forms or {}, language())
    entries = timeline.entries(events, version.catalog or {})
    current = next((e for e in entries if e.seq == shot.seq), None)
    shown = next((e for e in events if e["seq"] == shot.seq), None)
    return InstancePage(
        instance=instance,
        status_label=str(STATUS_LABELS.get(instance["status"], instance["status"])),
        process_name=version.name or version.process_key,
        version=version.version,
        unit_title=titles.get(instance["org_unit"] or ""),
        entries=entries,
        current=current,
        stepper=Stepper.at(shot.seq, shot.last_seq),
        data=data_view.data_items(shot.data, fields, data_view.changed_keys(shown)),
        unit_titles=titles,
        unrecorded=shot.unrecorded,
        marks={"done": list(shot.done), "active": list(shot.active), "failed": list(shot.failed)},
        report=report,
        actions=ALLOWED.get(instance["status"], []) if is_admin(person) else [],
    )


def pinned_version(platform: Platform, instance_id: str) -> ProcessVersion:
    """The process version the instance runs on (call after the Platform's access check)."""
    with platform.store.reading() as tx:
        row = tx.get(Instance, instance_id)
        version = tx.get(ProcessVersion, row.version_id) if row is not None else None
        if version is None:
            raise LookupError(f"instance {instance_id} has no process version")
        tx.expunge(version)
        return version


def diagram(platform: Platform, person: Person, instance_id: str, at: int | None) -> dict[str, Any]:
    """The pinned version's BPMN XML and the elements done, active and failed as of event ``at``."""
    shot = platform.snapshot(instance_id, at=at, actor=person.name)
    xml = pinned_version(platform, instance_id).bpmn_xml
    return {"xml": xml, "done": list(shot.done), "active": list(shot.active), "failed": list(shot.failed)}


def event_number(raw: str | None) -> int | None:
    """``?at=`` as an event number; anything else means the latest event."""
    return int(raw) if raw and raw.isdigit() and len(raw) < 10 else None
