"""The services the command line and the web call: one object built once per process.

``Platform`` is the composition of settings, store, clock and runtime; ``run.py`` and
``webui.create_app`` both build one and call the same methods, so the CLI, the HTML pages and the JSON
API cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from engine import (
    access,
    admin,
    approvals,
    directory,
    history,
    inbox,
    instance_search,
    kpi,
    migration,
    referral,
    replay,
    sla,
    snapshot,
    verification,
)
from engine.business_calendar import BusinessCalendar
from engine.checkpoints import Seal
from engine.clock import Clock, SystemClock, parse_instant
from engine.commit import Result
from engine.definitions import deploy as deployment
from engine.definitions.bundle import Bundle
from engine.definitions.diagnostics import Diagnostic
from engine.errors import DefinitionError, InvalidInput
from engine.evidence import Audits
from engine.runtime import Runtime
from engine.settings import Settings
from engine.store import instances
from engine.store.models import Instance, TaskRow
from engine.store.session import Store
from engine.submissions import FormCheck, Validator


@dataclasses.dataclass
class Platform:
    settings: Settings
    store: Store
    clock: Clock
    runtime: Runtime
    form_check: FormCheck | None = None
    audits: Audits = dataclasses.field(default_factory=Audits)

    @classmethod
    def build(
        cls,
        settings: Settings,
        *,
        clock: Clock | None = None,
        services: Mapping[str, Any] | None = None,
        validator: Validator | None = None,
        form_check: FormCheck | None = None,
        signature_check: approvals.SignatureCheck | None = None,
        seal: Seal | None = None,
        audits: Audits | None = None,
    ) -> Platform:
        """``services``, ``validator``, ``form_check``, ``signature_check``, ``seal`` (of history
        checkpoints) and ``audits`` (what ``verify`` checks beyond the chain) come from the layers above
        (handlers/wiring.py)."""
        if settings.database_url.startswith("sqlite:///"):
            Path(settings.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        store = Store(settings.database_url)
        clock = clock or SystemClock()
        calendar = BusinessCalendar.from_settings(settings)
        runtime = Runtime(
            store,
            clock,
            services=services,
            calendar=calendar,
            validator=validator,
            signature_check=signature_check,
            seal=seal,
        )
        return cls(settings, store, clock, runtime, form_check, audits or Audits())

    def init_db(self) -> None:
        self.store.migrate()

    def require_schema(self) -> None:
        """A clear error instead of "no such table" when the database was never initialised."""
        if not self.store.has_schema():
            raise InvalidInput(
                "the database has no Nezarat tables yet",
                hint="run `python run.py init-db` (or `make run`) first",
            )

    # -- definitions ------------------------------------------------------------------------------

    def deploy(
        self, path: Path, *, actor: str | None = None, source_name: str | None = None
    ) -> list[deployment.Deployed]:
        """Deploy every bundle under ``path``; ``source_name`` names an uploaded file in place of its temp path."""
        return deployment.deploy_path(
            path,
            store=self.store,
            clock=self.clock,
            actor=actor,
            max_bytes=self.settings.max_bpmn_bytes,
            source_name=source_name,
            form_check=self.form_check,
        )

    def check(self, path: Path) -> dict[str, list[Diagnostic]]:
        return deployment.check_path(path, max_bytes=self.settings.max_bpmn_bytes, form_check=self.form_check)

    def deploy_bundle(self, bundle: Bundle, *, actor: str | None = None) -> list[deployment.Deployed]:
        """Deploy a bundle held in memory (the modeler's draft) exactly as :meth:`deploy` does a folder."""
        return deployment.deploy_bundle(
            bundle,
            store=self.store,
            clock=self.clock,
            actor=actor,
            max_bytes=self.settings.max_bpmn_bytes,
            form_check=self.form_check,
        )

    def check_bundle(self, bundle: Bundle) -> list[Diagnostic]:
        """Every diagnostic :meth:`deploy_bundle` would meet (errors and warnings), without storing anything."""
        try:
            compiled = deployment.compile_bundle(
                bundle, max_bytes=self.settings.max_bpmn_bytes, form_check=self.form_check
            )
        except DefinitionError as err:
            return deployment.diagnostics_of(err)
        return compiled.warnings

    # -- work -------------------------------------------------------------------------------------

    def start(
        self,
        process_key: str,
        data: Mapping[str, Any] | None,
        *,
        actor: str | None,
        business_key: str | None = None,
    ) -> Result:
        return self.runtime.start(process_key, data, actor=actor, business_key=business_key)

    def tasks(self, actor: str, *, instance_id: str | None = None) -> list[dict[str, Any]]:
        now = self.clock.now()
        with self.store.reading() as tx:
            rows = inbox.list_for(tx, directory.person(tx, actor), instance_id=instance_id)
            return [task_dict(r, now=now, calendar=self.runtime.calendar) for r in rows]

    def refer(
        self,
        task_id: str,
        *,
        actor: str,
        to_user: str | None = None,
        to_unit: str | None = None,
        note: str | None = None,
    ) -> Result:
        return self.runtime.refer(task_id, actor=actor, to_user=to_user, to_unit=to_unit, note=note)

    def give_back(self, task_id: str, *, actor: str, note: str | None = None) -> Result:
        return self.runtime.give_back(task_id, actor=actor, note=note)

    def add_absence(
        self, user: str, *, delegate: str, starts_at: Any, ends_at: Any, note: str | None = None
    ) -> dict[str, Any]:
        with self.store.transaction() as tx:
            row = referral.add_absence(
                tx,
                user,
                delegate=delegate,
                starts_at=instant(starts_at, "starts_at"),
                ends_at=instant(ends_at, "ends_at"),
                note=note,
            )
            return {
                "id": row.id,
                "user": user,
                "delegate": delegate,
                "starts_at": row.starts_at.isoformat(),
                "ends_at": row.ends_at.isoformat(),
            }

    def claim(self, task_id: str, *, actor: str) -> Result:
        return self.runtime.claim(task_id, actor=actor)

    def unclaim(self, task_id: str, *, actor: str) -> Result:
        return self.runtime.unclaim(task_id, actor=actor)

    def complete(
        self,
        task_id: str,
        data: Mapping[str, Any] | None,
        *,
        actor: str,
        expected_rev: int | None = None,
        signature: bytes | None = None,
    ) -> Result:
        return self.runtime.complete(
            task_id, data, actor=actor, expected_rev=expected_rev, signature=signature
        )

    def approval(self, task_id: str, data: Mapping[str, Any] | None, *, actor: str) -> approvals.Approval:
        """What ``actor`` signs to complete the signature step ``task_id`` with ``data``."""
        return self.runtime.approval(task_id, data, actor=actor)

    def cancel(self, instance_id: str, *, actor: str | None, note: str | None = None) -> Result:
        """Cancel the instance (its starter or an admin); ``note`` says why, in the ``cancelled`` event."""
        with self.store.reading() as tx:
            access.check_may_cancel(tx, instance_id, actor)
        return self.runtime.cancel(instance_id, actor=actor, note=note)

    def retry(self, instance_id: str, *, actor: str | None) -> Result:
        """Run the failed step again: an administrator's action (``actor=None``: the operator's)."""
        if actor is not None:
            with self.store.reading() as tx:
                admin.check_admin(tx, actor, "retry an instance")
        return self.runtime.retry(instance_id, actor=actor)

    # -- administration (engine.admin: each action an event in the chain, by a member of "admin") --

    def suspend(self, instance_id: str, *, actor: str, note: str | None = None) -> Result:
        return admin.Admin(self.runtime).suspend(instance_id, actor=actor, note=note)

    def resume(self, instance_id: str, *, actor: str, note: str | None = None) -> Result:
        return admin.Admin(self.runtime).resume(instance_id, actor=actor, note=note)

    def reassign(self, task_id: str, *, to_user: str, actor: str, note: str | None = None) -> Result:
        return admin.Admin(self.runtime).reassign(task_id, to_user=to_user, actor=actor, note=note)

    def edit_data(self, instance_id: str, data: Mapping[str, Any], *, actor: str) -> Result:
        return admin.Admin(self.runtime).edit_data(instance_id, data, actor=actor)

    def skip(
        self, task_id: str, *, actor: str, data: Mapping[str, Any] | None = None, note: str | None = None
    ) -> Result:
        return admin.Admin(self.runtime).skip(task_id, actor=actor, data=data, note=note)

    def migrate(self, instance_id: str, *, to_version: int, actor: str, note: str | None = None) -> Result:
        """Move the instance to version ``to_version`` of its process (engine.migration)."""
        return migration.Migration(self.runtime).migrate(
            instance_id, to_version=to_version, actor=actor, note=note
        )

    def tick(self, now: Any = None) -> int:
        return self.runtime.fire_due(now)

    # -- records ----------------------------------------------------------------------------------

    def instance(self, instance_id: str, *, actor: str | None = None) -> dict[str, Any]:
        with self.store.reading() as tx:
            return instance_dict(access.instance_for(tx, instance_id, actor))

    def history(self, instance_id: str, *, actor: str | None = None) -> list[dict[str, Any]]:
        with self.store.reading() as tx:
            access.instance_for(tx, instance_id, actor)
            return [event_dict(e) for e in history.events_of(tx, instance_id)]

    def verify(
        self, instance_id: str, *, actor: str | None = None, replay: bool = True
    ) -> verification.Report:
        """The chain, every signature and checkpoint, every document of the instance's history, and its
        replay unless told not to (and when replay services are wired): the pinned version re-run with
        the recorded inputs, actors and clock."""
        with self.store.reading() as tx:
            access.instance_for(tx, instance_id, actor)
            found = verification.verify(tx, instance_id, self.audits)
        return self._with_replay(found) if replay else found

    def _with_replay(self, found: verification.Report) -> verification.Report:
        if self.audits.replay is None:
            return found
        replayer = replay.Replayer.of(self, self.audits.replay)
        return verification.with_replay(found, replayer.replay(found.instance_id))

    def search_instances(self, criteria: instance_search.Criteria, *, actor: str | None) -> dict[str, Any]:
        """One page of the instances ``actor`` may see that match: ``{"instances": [...], "total": n}``."""
        with self.store.reading() as tx:
            found = instance_search.search(tx, criteria, actor=actor)
            rows = [{**instance_dict(row), "process_name": name} for row, name in found.rows]
        return {"instances": rows, "total": found.total}

    def snapshot(
        self, instance_id: str, *, at: int | None = None, actor: str | None = None
    ) -> snapshot.Snapshot:
        """The case's data and diagram marks after history event ``at`` (default: the last)."""
        with self.store.reading() as tx:
            access.instance_for(tx, instance_id, actor)
            return snapshot.as_of(history.events_of(tx, instance_id), at)

    def verify_all(self, *, replay: bool = True) -> list[verification.Report]:
        with self.store.reading() as tx:
            found = [verification.verify(tx, i, self.audits) for i in instances.all_ids(tx)]
        return [self._with_replay(report) for report in found] if replay else found

    def kpis(
        self, *, since: Any = None, until: Any = None, unit: str | None = None, actor: str | None = None
    ) -> dict[str, Any]:
        """KPIs of ``[since, until)`` (Jalali or ISO dates; default the current fiscal year) for ``unit``
        and the units under it; ``actor`` sees only their own unit's unless admin or auditor."""
        with self.store.reading() as tx:
            report = kpi.compute(
                tx,
                now=self.clock.now(),
                since=since,
                until=until,
                unit=unit,
                actor=actor,
                versions=self.runtime.versions,
            )
            return report.to_dict()


def instant(value: Any, what: str) -> dt.datetime:
    """An aware instant from a datetime or ISO 8601 text (no offset: UTC)."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    try:
        return parse_instant(str(value))
    except ValueError:
        raise InvalidInput(f"{what} must be an ISO 8601 date and time, not {value!r}") from None


def task_dict(row: TaskRow, *, now: Any = None, calendar: BusinessCalendar | None = None) -> dict[str, Any]:
    out = {
        "id": row.id,
        "instance_id": row.instance_id,
        "process_key": row.process_key,
        "element_id": row.element_id,
        "name": row.name,
        "assignee": row.assignee,
        "candidate_groups": list(row.candidate_groups or []),
        "candidate_users": list(row.candidate_users or []),
        "due_at": row.due_at.isoformat() if row.due_at else None,
        "priority": row.priority,
        "org_unit": row.org_unit,
        "form": row.form,
        "referred_by": row.referred_by,
        "referrals": list(row.referrals or []),
        "escalated_to": row.escalated_to,
        "signature_required": bool(row.signature_required),
    }
    if row.due_at and now is not None and calendar is not None:
        state = sla.state(row.due_at, now, calendar)
        out["sla"] = {"remaining_working_days": state.remaining_working_days, "level": str(state.level)}
    return out


def instance_dict(row: Instance) -> dict[str, Any]:
    return {
        "instance_id": row.id,
        "process_key": row.process_key,
        "status": row.status,
        "revision": row.revision,
        "business_key": row.business_key,
        "org_unit": row.org_unit,
        "started_by": row.started_by,
        "started_at": row.started_at.isoformat(),
        "ended_at": row.ended_at.isoformat() if row.ended_at else None,
        "incident": row.incident,
    }


def event_dict(e: history.HistoryEvent) -> dict[str, Any]:
    """An event as the history contract shows it (README: no ``prev_hash``, the chain is ``verify``'s)."""
    shown = history.as_dict(e)
    del shown["prev_hash"]
    return shown
