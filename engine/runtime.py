"""Start, complete, claim, unclaim, cancel, retry and fire timers — each one transaction.

Every operation follows the same five steps: open (instance head, version, workflow), check, act
(SpiffWorkflow runs until it waits), and commit: the instance state at revision+1, the inbox rows, the
hash-chained history and the timer rows are written together, or not at all. A lost race on the
revision raises :class:`Conflict`.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from engine import approvals, directory, escalation, history, inbox, submissions, task_changes, timers
from engine.admin import check_active, with_note
from engine.business_calendar import BusinessCalendar
from engine.checkpoints import Seal
from engine.clock import Clock, FixedClock
from engine.commit import Opened, Result, append, commit, waiting_timers
from engine.definitions import catalog
from engine.errors import Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound
from engine.history import Event
from engine.live import LiveWorkflows
from engine.services import Services
from engine.spiff import workflow
from engine.spiff.serializer import SERIALIZER_VERSION, codec
from engine.store import instances
from engine.store.session import Store
from engine.versions import LoadedVersion, VersionCache, latest


class Runtime:
    new_id: Callable[[], str] = staticmethod(lambda: str(uuid.uuid4()))  # a replay reuses the recorded id

    def __init__(
        self,
        store: Store,
        clock: Clock,
        *,
        services: Mapping[str, Any] | None = None,
        calendar: BusinessCalendar | None = None,
        validator: submissions.Validator | None = None,
        signature_check: approvals.SignatureCheck | None = None,
        seal: Seal | None = None,
        cache_size: int = 2000,
    ):
        self.store = store
        self.clock = clock
        self.services: Mapping[str, Any] = services or {}
        self.calendar = calendar or BusinessCalendar()
        self.validator = validator
        self.signature_check = signature_check
        self.seal = seal  # signs history checkpoints (engine.checkpoints); None: none are written
        self.versions = VersionCache()
        self.live = LiveWorkflows(cache_size)

    # -- operations -------------------------------------------------------------------------------

    def start(
        self,
        process_key: str,
        data: Mapping[str, Any] | None = None,
        *,
        actor: str | None = None,
        business_key: str | None = None,
        org_unit: str | None = None,
    ) -> Result:
        payload = check_data(data)
        with self.store.transaction() as tx:
            unit = org_unit or (directory.person(tx, actor).unit if actor else None)
            version = self.versions.get(tx, latest(tx, process_key))
            if actor is not None and not catalog.startable(version.catalog):  # the tasklist's flag
                raise Forbidden(
                    f"process '{process_key}' is not started by hand; another process calls it",
                    hint="start the process that calls it",
                )
            clock = self._step_clock()
            opened = self._new(version, business_key=business_key, org_unit=unit, actor=actor, at=clock.now())
            ctx = self._context(tx, opened.head, actor, clock)
            opened.wf = workflow.new(version.spec, version.subprocess_specs, payload, ctx)
            outcome = workflow.begin(opened.wf, ctx)
            lead = [Event("started", actor, data={"data": payload, "version": version.version})]
            result = self._commit(tx, opened, outcome, lead, actor=actor, at=clock.now())
        self._keep(result, opened)
        return result

    def complete(
        self,
        task_id: str,
        data: Mapping[str, Any] | None,
        *,
        actor: str,
        expected_rev: int | None = None,
        signature: bytes | None = None,
    ) -> Result:
        """Complete a task; a signature step also needs ``signature`` over its approval (engine.approvals)."""
        payload = check_data(data)
        with self.store.transaction() as tx:
            person, row = self._task_for(tx, task_id, actor)
            inbox.check_may_act(tx, person, row)
            opened = self._open(tx, row.instance_id, expected_rev, instances.head_of(row))
            payload = self._validated(tx, opened.version, row, payload, actor)
            lead = self._signed(opened.version, row, payload, actor, signature)
            ctx = self._context(tx, opened.head, actor, self._step_clock())
            outcome = workflow.complete(opened.wf, task_id, payload, ctx)
            lead.append(Event("completed", actor, row.element_id, task_id, {"submitted": payload}))
            result = self._commit(
                tx, opened, outcome, lead, actor=actor, finished={task_id}, at=ctx.clock.now()
            )
        self._keep(result, opened)
        return result

    def approval(self, task_id: str, data: Mapping[str, Any] | None, *, actor: str) -> approvals.Approval:
        """What completing ``task_id`` with ``data`` asks ``actor`` to sign: the data as its form accepts it
        (normalised), so what a token signs on the clerk's PC is exactly what completion checks."""
        payload = check_data(data)
        with self.store.transaction() as tx:  # nothing is written: validation only reads
            person, row = self._task_for(tx, task_id, actor)
            inbox.check_may_act(tx, person, row)
            version = self.versions.get(tx, instances.head_of(row).version_id)
            payload = self._validated(tx, version, row, payload, actor)
            return _approval(version, row, payload, actor)

    def claim(self, task_id: str, *, actor: str) -> Result:
        return self._change_task(task_id, actor, task_changes.claim)

    def unclaim(self, task_id: str, *, actor: str) -> Result:
        return self._change_task(task_id, actor, task_changes.unclaim)

    def refer(
        self,
        task_id: str,
        *,
        actor: str,
        to_user: str | None = None,
        to_unit: str | None = None,
        note: str | None = None,
    ) -> Result:
        """Refer (ارجاع) a task to a person or a unit with a note; the chain is kept on the task."""
        change = functools.partial(task_changes.refer, to_user=to_user, to_unit=to_unit, note=note)
        return self._change_task(task_id, actor, change)

    def give_back(self, task_id: str, *, actor: str, note: str | None = None) -> Result:
        """Return a referred task to the person who referred it."""
        return self._change_task(task_id, actor, functools.partial(task_changes.give_back, note=note))

    def cancel(self, instance_id: str, *, actor: str | None, note: str | None = None) -> Result:
        with self.store.transaction() as tx:
            opened = self._open(tx, instance_id, None)
            if opened.head.status in ("completed", "cancelled"):
                raise InvalidTransition(f"instance {instance_id} is already {opened.head.status}")
            workflow.cancel(opened.wf)
            lead = [Event("cancelled", actor, data=with_note({}, note))]
            outcome, at = workflow.Outcome(), self.clock.now()
            result = self._commit(tx, opened, outcome, lead, actor=actor, status="cancelled", at=at)
        self._keep(result, opened)
        return result

    def retry(self, instance_id: str, *, actor: str | None) -> Result:
        """Run the failed task of an instance with an incident again."""
        with self.store.transaction() as tx:
            opened = self._open(tx, instance_id, None)
            failed = workflow.failed_task_ids(opened.wf)
            if opened.head.status != "error" or not failed:
                raise InvalidTransition(f"instance {instance_id} has no incident to retry")
            ctx = self._context(tx, opened.head, actor, self._step_clock())
            outcome = workflow.retry(opened.wf, failed[-1], ctx)
            lead = [Event("retried", actor, task_id=failed[-1])]
            result = self._commit(tx, opened, outcome, lead, actor=actor, at=ctx.clock.now())
        self._keep(result, opened)
        return result

    def fire_due(self, now: Any = None) -> int:
        """Fire every timer due before ``now`` (default: the clock's now); return how many instances moved."""
        moved: set[str] = set()
        while True:
            clock = FixedClock(now) if now is not None else self._step_clock()
            with self.store.transaction() as tx:
                due = timers.claim_due(tx, clock.now(), exclude=moved)
                if due is not None and due.kind == "sla":
                    self._fire_sla(tx, due, clock)
                    continue
                if due is not None and due.instance_id is not None:
                    moved.add(due.instance_id)
                    result, opened = self._fire(tx, due.instance_id, clock)
                else:
                    start = timers.claim_due_start(tx, clock.now())
                    if start is None:
                        return len(moved)
                    result, opened = self._start_on_timer(tx, start, clock)
                    moved.add(result.instance_id)
            self._keep(result, opened)

    # -- steps ------------------------------------------------------------------------------------

    def _fire(self, tx: Session, instance_id: str, clock: Clock) -> tuple[Result, Opened]:
        opened = self._open(tx, instance_id, None)
        head = opened.head
        ctx = workflow.RunContext(
            head.id, head.process_key, None, clock, Services(self.services, tx, clock), head.org_unit
        )
        outcome = workflow.fire_timers(opened.wf, ctx)
        return self._commit(tx, opened, outcome, [], actor=None, at=clock.now()), opened

    def _fire_sla(self, tx: Session, due: Any, clock: Clock) -> None:
        task = inbox.task_row(tx, due.task_id)
        tx.delete(due)
        if task is None:
            return
        head = instances.head(tx, task.instance_id)
        services = Services(self.services, tx, clock)
        event = escalation.fire(tx, due, task, clock=clock, services=services, case_unit=head.org_unit)
        revision = append(tx, head, [event], clock.now())
        self._keep_cached(head, revision)

    def _start_on_timer(self, tx: Session, row: Any, clock: Clock) -> tuple[Result, Opened]:
        version = self.versions.get(tx, row.version_id)
        opened = self._new(version, business_key=None, org_unit=None, actor=None, at=clock.now())
        head = opened.head
        ctx = workflow.RunContext(head.id, head.process_key, None, clock, Services(self.services, tx, clock))
        opened.wf = workflow.new(version.spec, version.subprocess_specs, {}, ctx)
        outcome = workflow.begin(opened.wf, ctx, row.element_id)
        lead = [
            Event(
                "started",
                None,
                row.element_id,
                data={"data": {}, "version": version.version, "timer": row.id},
            )
        ]
        timers.after_start_fired(tx, row)
        return self._commit(tx, opened, outcome, lead, actor=None, at=clock.now()), opened

    def _change_task(self, task_id: str, actor: str, change: Any) -> Result:
        with self.store.transaction() as tx:
            person, row = self._task_for(tx, task_id, actor)
            now = self.clock.now()
            event = change(tx, row, person, now)
            head = instances.head_of(row)
            revision = append(tx, head, [event], now)
        self._keep_cached(head, revision)
        return Result(head.id, head.status, revision)

    def _keep_cached(self, head: instances.Head, revision: int) -> None:
        """Carry the cached workflow to ``revision``: the step changed no workflow and no row's existence."""
        cached, rows = self.live.take_with_rows(head.id, head.revision)
        if cached is not None:
            self.live.put(head.id, revision, cached, rows)

    def _keep(self, result: Result, opened: Opened) -> None:
        """After the commit: keep the workflow and the rows it left for the next call."""
        self.live.put(result.instance_id, result.revision, opened.wf, opened.rows_after)

    def _open(
        self, tx: Session, instance_id: str, expected_rev: int | None, head: instances.Head | None = None
    ) -> Opened:
        """The instance as of now; ``head`` when the caller read it in this transaction already."""
        head = head or instances.head(tx, instance_id)
        if expected_rev is not None and expected_rev != head.revision:
            raise_stale(instance_id, expected_rev, head.revision)
        version = self.versions.get(tx, head.version_id)
        wf, rows = self.live.take_with_rows(instance_id, head.revision)
        if wf is None:
            wf = codec(version.flavour).load_state(
                instances.state(tx, instance_id), version.spec, version.subprocess_specs
            )
        if rows is None:
            return Opened(head, version, wf, waiting_timers(wf))
        return Opened(head, version, wf, rows.timers, rows=rows)

    def _new(
        self,
        version: LoadedVersion,
        *,
        business_key: str | None,
        org_unit: str | None,
        actor: str | None,
        at: Any,
    ) -> Opened:
        """A new instance, not written yet: its commit INSERTs the row, state and all, at revision 1."""
        row = {
            "id": self.new_id(),
            "version_id": version.id,
            "process_key": version.process_key,
            "business_key": business_key,
            "org_unit": org_unit,
            "serializer_version": SERIALIZER_VERSION,
            "started_by": actor,
            "started_at": at,
        }
        head = instances.Head(
            row["id"], version.id, version.process_key, "running", 0, org_unit, 0, history.GENESIS, at
        )
        return Opened(head, version, None, new_row=row)

    def _step_clock(self) -> FixedClock:
        """One clock reading per step: its deadlines, handlers and history all see the instant replay sees."""
        return FixedClock(self.clock.now())

    def _context(self, tx: Session, head: instances.Head, actor: Any, clock: Clock) -> workflow.RunContext:
        services = Services(self.services, tx, clock)
        return workflow.RunContext(head.id, head.process_key, actor, clock, services, head.org_unit)

    def _validated(
        self, tx: Session, version: LoadedVersion, row: Any, payload: dict[str, Any], actor: str
    ) -> dict[str, Any]:
        """The submitted data as the task's form accepts it (normalised), or a ValidationError."""
        form = version.forms.get(row.form) if row.form else None
        if self.validator is None or form is None:
            return payload
        submission = submissions.Submission(row.form, form, version.id, payload, actor, tx)
        return check_data(self.validator(submission))

    def _signed(
        self, version: LoadedVersion, row: Any, payload: dict[str, Any], actor: str, signature: bytes | None
    ) -> list[Event]:
        """The ``signed`` event of a signature step (checked before anything moves), or nothing."""
        if not row.signature_required:
            return []
        if not signature:
            raise InvalidInput(
                f"مرحلهٔ «{row.name or row.element_id}» امضای دیجیتال شما را لازم دارد",
                hint="sign the approval (run.py complete --sign-with …, or the web's signature step)",
            )
        if self.signature_check is None:
            raise InvalidInput(
                "verifying signatures is not configured on this server", hint="see handlers/wiring.py"
            )
        signed = self.signature_check(_approval(version, row, payload, actor), signature)
        return [Event("signed", actor, row.element_id, row.id, signed.event_data())]

    def _task_for(self, tx: Session, task_id: str, actor: str) -> tuple[directory.Person, Any]:
        """The acting person, and the task's row with ``may_act`` and the instance's head.

        A missing task is reported before an unknown user, as when they were read one after the other.
        """
        person = directory.find_person(tx, actor)
        row = inbox.task_for(tx, task_id, person, name=actor)
        if row is None:
            done = history.completion_of(tx, task_id)
            if done is not None:  # a double or late submission: someone got there first
                raise Conflict(
                    f"task {task_id} was already completed by {done.actor or 'the system'} at {done.at.isoformat()}",
                    hint="reload your inbox",
                )
            raise NotFound(f"task {task_id} does not exist or is no longer open")
        if person is None:
            raise NotFound(f"user '{actor}' does not exist")
        check_active(row.instance_id, row.instance_status)
        return person, row

    def _commit(
        self,
        tx: Session,
        opened: Opened,
        outcome: workflow.Outcome,
        lead: list[Event],
        *,
        actor: str | None,
        finished: frozenset[str] | set[str] = frozenset(),
        status: str | None = None,
        at: Any,
    ) -> Result:
        calendar, seal = self.calendar, self.seal
        return commit(
            tx, opened, outcome, lead, now=at, calendar=calendar, finished=finished, status=status, seal=seal
        )


def raise_stale(instance_id: str, expected: int, actual: int) -> None:
    raise Conflict(
        f"instance {instance_id} is at revision {actual}, not {expected}: someone else changed it first",
        hint="reload the task and submit again",
    )


def check_data(data: Mapping[str, Any] | None) -> dict[str, Any]:
    """Submitted data must be a JSON object whose keys can be script variables."""
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise InvalidInput("data must be a JSON object of field names to values")
    bad = [k for k in data if not isinstance(k, str) or not k.isidentifier() or k.startswith("_")]
    if bad:
        raise InvalidInput(
            f"field name {bad[0]!r} is not allowed",
            hint="field names are letters, digits and '_' and do not start with '_' or a digit",
        )
    return dict(data)


def _approval(version: LoadedVersion, row: Any, payload: dict[str, Any], actor: str) -> approvals.Approval:
    """What completing ``row`` with ``payload`` asks ``actor`` to sign (the same for prepare and check)."""
    return approvals.Approval(actor, row.instance_id, row.id, row.element_id, version.sha256, payload)
