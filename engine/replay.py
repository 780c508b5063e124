"""Verifying replay: re-run an instance's pinned version with its recorded inputs and compare.

The replay builds a fresh :class:`engine.runtime.Runtime` on a scratch database
(:mod:`engine.replay_scratch`, which says why not the live one), with the real handlers and the
services the layer above gives for replays (an outbox that records mail instead of sending it, an
attachment store whose writes stay in the scratch folder). Its clock is a :class:`FixedClock` set to
each recorded event's time. Then it walks the recorded history:

* an input (``started``, ``signed`` + ``completed``, ``cancelled``, ``retried``, an administrator's
  ``data_edited`` and ``skipped``) is fed to the runtime as the recorded actor did it; a timer's or an SLA's event makes the replay fire what is due then;
* every event the replayed step writes is compared with the next recorded one
  (:mod:`engine.replay_compare`: kind, element, task, actor, the data the engine derives);
* who held a task (smart referral, claims, referrals) is taken from the history, not re-decided;
* a migrated instance begins on the version it was started with; at the ``migrated`` event the replay
  brings the target version into its scratch database and migrates the replayed instance the same way.

At the end the instance's status, open tasks and case data must equal the stored ones. The report is
ok, or the first divergence: the recorded event's seq, kind and element, and what differed.
An instance at a non-final point replays up to where it is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from engine import approvals, history, inbox, replay_admin, submissions
from engine.business_calendar import BusinessCalendar
from engine.clock import FixedClock
from engine.errors import NezaratError, NotFound
from engine.evidence import ReplayServices
from engine.replay_compare import IdPairs, difference, is_context, sealed_as_recorded, shown, swap_sealed
from engine.replay_scratch import Scratch, scratch_for
from engine.runtime import Runtime
from engine.spiff import workflow
from engine.spiff.serializer import codec
from engine.store import instances
from engine.store.models import HistoryEvent, Instance, TimerRow
from engine.store.session import Store
from engine.versions import VersionCache

if TYPE_CHECKING:  # engine.platform runs replays for verify: a runtime import would be circular
    from engine.platform import Platform

# The services handlers get in a replay, made for its scratch folder and clock (handlers/wiring.py).

TICK_KINDS = frozenset({"timer_fired", "boundary_event", "sla_reminder", "escalated", "sla_breached"})


@dataclasses.dataclass(frozen=True)
class Divergence:
    seq: int | None  # the recorded event's; None: the replay produced more than the history holds
    kind: str | None
    element_id: str | None
    reason: str
    expected: dict[str, Any] | None = None
    actual: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class ReplayReport:
    instance_id: str
    ok: bool
    events: int  # recorded events
    replayed: int  # recorded events the replay reproduced (or passed over as context) before stopping
    divergence: Divergence | None = None

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["divergence"] = self.divergence.to_dict() if self.divergence else None
        return out


@dataclasses.dataclass
class Replayer:
    """Replays instances of ``store``; ``services`` and ``validator`` come from the layers above."""

    store: Store
    services: ReplayServices
    calendar: BusinessCalendar = dataclasses.field(default_factory=BusinessCalendar)
    validator: submissions.Validator | None = None

    @classmethod
    def of(cls, platform: Platform, services: ReplayServices) -> Replayer:
        """The replay of ``platform``'s instances, with its calendar and form validator."""
        runtime = platform.runtime
        return cls(platform.store, services, calendar=runtime.calendar, validator=runtime.validator)

    def replay(self, instance_id: str) -> ReplayReport:
        with self.store.reading() as tx:
            row = tx.get(Instance, instance_id)
            if row is None:
                raise NotFound(f"instance {instance_id} does not exist")
            recorded = history.events_of(tx, instance_id)
            first = replay_admin.first_version(tx, row, recorded)
        with scratch_for(self.store, instance_id, first) as scratch:
            run = _Run(self, row, recorded, scratch, first)
            divergence = run.go()
        done = len(recorded) if divergence is None else run.cursor
        return ReplayReport(instance_id, divergence is None, len(recorded), done, divergence)

    def replay_all(self) -> list[ReplayReport]:
        with self.store.reading() as tx:
            ids = instances.all_ids(tx)
        return [self.replay(i) for i in ids]


class _Run:
    """One replay: the scratch runtime, its clock, the ids paired so far and the place in the history."""

    def __init__(
        self,
        replayer: Replayer,
        row: Instance,
        recorded: list[HistoryEvent],
        scratch: Scratch,
        version_id: int,
    ):
        self.row, self.recorded, self.scratch = row, recorded, scratch
        self.version_id = version_id  # the version the instance began on (migrations move it on)
        self.clock = FixedClock(row.started_at)
        self.runtime = Runtime(
            scratch.store,
            self.clock,
            services=replayer.services(scratch.folder, self.clock),
            calendar=replayer.calendar,
            validator=replayer.validator,
            signature_check=self._signed_as_recorded,
            cache_size=0,
        )
        self.runtime.new_id = lambda: row.id  # type: ignore[method-assign]  # the letters' numbers use it
        self.ids = IdPairs()
        self.assigned = {e.task_id for e in recorded if e.kind == "assigned" and e.task_id}
        self.cursor = 0
        self.seen = 0  # scratch events already compared
        self.instance: str | None = None
        self.signed: HistoryEvent | None = None

    def go(self) -> Divergence | None:
        while self.cursor < len(self.recorded):
            event = self.recorded[self.cursor]
            if is_context(event.kind):
                self._hold(event)
                self.cursor += 1
                continue
            self.clock.set(event.at)
            self.scratch.budget_until(event.at)
            problem = self._step(event)
            if problem is not None:
                return problem
        return self._final()

    def _step(self, event: HistoryEvent) -> Divergence | None:
        feed = FEEDS.get(event.kind) or (_tick if event.kind in TICK_KINDS else None)
        if feed is None:
            return _diverged(event, "the replay has no input that produces this event here")
        try:
            feed(self, event)
        except NezaratError as err:
            return _diverged(event, f"the replay refused this input: {err.message}")
        produced = self._produced()
        if not produced:
            return _diverged(event, "replaying this input produced no event")
        return self._match(produced)

    def _match(self, produced: list[HistoryEvent]) -> Divergence | None:
        for made in produced:
            while self.cursor < len(self.recorded) and is_context(self.recorded[self.cursor].kind):
                self._hold(self.recorded[self.cursor])
                self.cursor += 1
            if self.cursor >= len(self.recorded):
                return Divergence(
                    None,
                    made.kind,
                    made.element_id,
                    "the replay went on past the history",
                    None,
                    _as_shown(made),
                )
            want = self.recorded[self.cursor]
            made = sealed_as_recorded(want, made, self.runtime.services.get("attachments"))
            why = difference(want, made, self.ids, assigned=self.assigned)
            if why is not None:
                return _diverged(want, why, made, self.ids)
            self.cursor += 1
        return None

    def _produced(self) -> list[HistoryEvent]:
        """The scratch instance's events written since the last look, without the holder events."""
        if self.instance is None:
            return []
        with self.scratch.store.reading() as tx:
            rows = history.events_of(tx, self.instance)[self.seen :]
        self.seen += len(rows)
        return [r for r in rows if not is_context(r.kind)]

    def _hold(self, event: HistoryEvent) -> None:
        """Give the replayed task the holder the history records (assignee, or back to the pool)."""
        task = self.ids.to_replayed.get(event.task_id or "")
        change = _holder_change(event)
        if task is None or change is None:
            return
        with self.scratch.store.transaction() as tx:
            inbox.change(tx, task, **change)

    def _signed_as_recorded(self, approval: approvals.Approval, signature: bytes) -> approvals.Signed:
        """The recorded signature's facts: replay re-derives the process, verify checks signatures."""
        data = dict(self.signed.data if self.signed is not None else {})
        return approvals.Signed(
            str(data.get("signer", "")),
            str(data.get("certificate_serial", "")),
            data.get("signed_at"),
            str(data.get("content_sha256", "")),
            signature,
        )

    def _final(self) -> Divergence | None:
        extra = self._produced()
        if extra:
            made = extra[0]
            return Divergence(
                None, made.kind, made.element_id, "the replay went on past the history", None, _as_shown(made)
            )
        if self.instance is None:
            return None
        want = _final_state(self.scratch.live, self.row.id, self.row.version_id, VersionCache())
        got = _final_state(self.scratch.store, self.instance, self.row.version_id, VersionCache())
        got = self.ids.recorded_value(history.to_plain(got))
        got["open_tasks"] = sorted(got["open_tasks"])
        got["data"] = swap_sealed(want["data"], got["data"], self.runtime.services.get("attachments"))
        if want != got:
            last = self.recorded[-1] if self.recorded else None
            why = "the instance ends in another state: " + _state_diff(want, got)
            return Divergence(last.seq if last else None, "final_state", None, why, want, got)
        return None

    # -- inputs ---------------------------------------------------------------------------------

    def replayed_task(self, event: HistoryEvent) -> str:
        task = self.ids.to_replayed.get(event.task_id or "")
        if task is None:
            raise NotFound(f"task {event.task_id} ('{event.element_id}') never became ready in the replay")
        return task

    def act_as(self, task: str, actor: str | None) -> None:
        """The history shows ``actor`` acted on the task: replay does not judge access by today's directory."""
        with self.scratch.store.transaction() as tx:
            inbox.change(tx, task, assignee=actor)

    def started(self, instance_id: str) -> None:
        self.instance = instance_id
        self.ids.pair(self.row.id, instance_id)


def _start(run: _Run, event: HistoryEvent) -> None:
    data = dict(event.data or {})
    if data.get("timer"):
        _start_on_timer(run, event, str(data["timer"]))
        return
    result = run.runtime.start(
        run.row.process_key,
        data.get("data") or {},
        actor=event.actor,
        business_key=run.row.business_key,
        org_unit=run.row.org_unit,
    )
    run.started(result.instance_id)


def _start_on_timer(run: _Run, event: HistoryEvent, timer_id: str) -> None:
    """The version's timer start event, due just before the recorded start, fired by the scratch tick."""
    with run.scratch.store.transaction() as tx:
        due = event.at - dt.timedelta(microseconds=1)
        tx.add(TimerRow(id=timer_id, version_id=run.version_id, element_id=event.element_id or "",
                        due_at=due, kind="start", schedule={"kind": "date", "remaining": 1}))  # fmt: skip
    run.runtime.fire_due(event.at)
    with run.scratch.store.reading() as tx:
        run.started(tx.scalars(_newest_instance()).one())


def _newest_instance() -> Any:
    return select(Instance.id).order_by(Instance.started_at.desc()).limit(1)


def _sign_then_complete(run: _Run, event: HistoryEvent) -> None:
    following = [
        e for e in run.recorded[run.cursor + 1 :] if e.kind == "completed" and e.task_id == event.task_id
    ]
    if not following:
        raise NotFound(f"the history has a signature of task {event.task_id} but no completion")
    run.signed = event
    _complete(run, following[0], signature=b"as recorded")


def _complete(run: _Run, event: HistoryEvent, signature: bytes | None = None) -> None:
    task = run.replayed_task(event)
    run.act_as(task, event.actor)
    submitted = dict((event.data or {}).get("submitted") or {})
    run.runtime.complete(task, submitted, actor=event.actor or "", signature=signature)


def _cancel(run: _Run, event: HistoryEvent) -> None:
    note = (event.data or {}).get("note")
    run.runtime.cancel(run.instance or "", actor=event.actor, note=note)


def _retry(run: _Run, event: HistoryEvent) -> None:
    run.runtime.retry(run.instance or "", actor=event.actor)


def _tick(run: _Run, event: HistoryEvent) -> None:
    run.runtime.fire_due(event.at)


FEEDS: dict[str, Callable[[_Run, HistoryEvent], None]] = {
    "started": _start,
    "signed": _sign_then_complete,
    "completed": _complete,
    "cancelled": _cancel,
    "retried": _retry,
    **replay_admin.FEEDS,
}


def _holder_change(event: HistoryEvent) -> dict[str, Any] | None:
    data = dict(event.data or {})
    if event.kind in ("assigned", "returned", "reassigned") or (event.kind == "referred" and data.get("to")):
        return {"assignee": data.get("to")}
    if event.kind == "claimed":
        return {"assignee": event.actor}
    if event.kind == "unclaimed":
        return {"assignee": None, "referred_by": None}
    if event.kind == "referred" and data.get("to_unit"):
        return {"assignee": None, "org_unit": data["to_unit"]}
    return None


def _final_state(store: Store, instance_id: str, version_id: int, versions: VersionCache) -> dict[str, Any]:
    with store.reading() as tx:
        head = instances.head(tx, instance_id)
        version = versions.get(tx, version_id)
        wf = codec(version.flavour).load_state(
            instances.state(tx, instance_id), version.spec, version.subprocess_specs
        )
        open_tasks = sorted(inbox.elements_of(tx, instance_id).items())
    return {
        "status": head.status,
        "open_tasks": [list(t) for t in open_tasks],
        "data": history.to_plain(workflow.workflow_data(wf)),
    }


def _state_diff(want: dict[str, Any], got: dict[str, Any]) -> str:
    keys = [k for k in want if want.get(k) != got.get(k)]
    return "; ".join(f"{k}: {want.get(k)!r} stored, {got.get(k)!r} replayed" for k in keys)[:2000]


def _as_shown(event: HistoryEvent, ids: IdPairs | None = None) -> dict[str, Any]:
    task = ids.to_recorded.get(event.task_id or "", event.task_id) if ids else event.task_id
    data = ids.recorded_value(event.data) if ids else event.data
    return shown(event.kind, event.actor, event.element_id, task, data)


def _diverged(
    want: HistoryEvent, why: str, made: HistoryEvent | None = None, ids: IdPairs | None = None
) -> Divergence:
    actual = _as_shown(made, ids) if made is not None else None
    return Divergence(want.seq, want.kind, want.element_id, why, _as_shown(want), actual)
