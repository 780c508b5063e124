"""The adapter the rest of the engine uses: create, advance, list human tasks, complete, fire, cancel.

Workflows are opaque objects outside this package. Every call that runs diagram code takes a
:class:`RunContext` (instance, actor, clock, services) and reports what happened as :class:`StepEvent`
rows for the history, and failures as an :class:`Incident` instead of an exception, because a failing
script or handler is the process's problem, not the caller's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import CallActivity
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState

from engine.errors import InvalidTransition, NezaratError, NotFound
from engine.spiff import clockhook, events
from engine.spiff.context import RunContext
from engine.spiff.events import StepEvent
from engine.spiff.script_engine import NezaratScriptEngine

_TIMER_KINDS = {
    TimeDateEventDefinition: "date",
    DurationTimerEventDefinition: "duration",
    CycleTimerEventDefinition: "cycle",
}

__all__ = ["HumanTask", "Incident", "RunContext", "StepEvent", "Timer"]


@dataclasses.dataclass(frozen=True)
class HumanTask:
    id: str
    element_id: str
    name: str | None
    lane: str | None
    data: dict[str, Any]
    # The process a call activity runs this task in; None for the instance's own process (and its
    # embedded subprocesses). The version's catalog keys the task's facts by both.
    process_id: str | None = None


@dataclasses.dataclass(frozen=True)
class Timer:
    task_id: str
    element_id: str
    due: str


@dataclasses.dataclass(frozen=True)
class Incident:
    task_id: str | None
    element_id: str | None
    message: str
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None}


@dataclasses.dataclass
class Outcome:
    """What one call did: history-worthy steps, and the incident that stopped it, if any."""

    events: list[StepEvent] = dataclasses.field(default_factory=list)
    incident: Incident | None = None

    def absorb(self, later: Outcome) -> None:
        """Append what a following call did; its incident, if any, is the one that stopped the instance."""
        self.events += later.events
        self.incident = self.incident or later.incident


def new(spec: Any, subprocess_specs: dict[str, Any], data: dict[str, Any], ctx: RunContext) -> Any:
    wf = BpmnWorkflow(spec, subprocess_specs, script_engine=NezaratScriptEngine(ctx))
    wf.task_tree.data.update(data)
    return wf


def instantiation_problem(spec: Any, subprocess_specs: dict[str, Any]) -> str | None:
    """Why SpiffWorkflow cannot even create an instance of ``spec`` (checked at deploy), or None."""
    try:
        BpmnWorkflow(spec, subprocess_specs, script_engine=NezaratScriptEngine())
    except Exception as err:  # anything the library raises here means: this diagram cannot run
        return f"{type(err).__name__}: {str(err).strip().rstrip('.')}"
    return None


def attach(wf: Any, ctx: RunContext) -> None:
    """Give a loaded workflow the script engine for this call (it is not serialized)."""
    wf.script_engine = NezaratScriptEngine(ctx)


def advance(wf: Any, ctx: RunContext, outcome: Outcome | None = None) -> Outcome:
    """Run every engine task until the workflow waits for a person, a timer or an incident."""
    outcome = outcome or Outcome()
    attach(wf, ctx)
    with clockhook.using(ctx.clock):
        _guarded(wf, outcome, lambda: wf.do_engine_steps(did_complete_task=_recorder(outcome)))
    return outcome


def fire_timers(wf: Any, ctx: RunContext) -> Outcome:
    outcome = Outcome()
    attach(wf, ctx)
    with clockhook.using(ctx.clock):
        _guarded(wf, outcome, wf.refresh_timers)
    return advance(wf, ctx, outcome)


def complete(wf: Any, task_id: str, data: dict[str, Any], ctx: RunContext) -> Outcome:
    task = _task(wf, task_id)
    if task.state != TaskState.READY or not task.task_spec.manual:
        raise InvalidTransition(
            f"task {task_id} is {TaskState.get_name(task.state).lower()}, not ready for completion",
            element=task.task_spec.bpmn_id,
        )
    outcome = Outcome()
    attach(wf, ctx)
    task.data.update(data)
    with clockhook.using(ctx.clock):
        _guarded(wf, outcome, task.run)
    if outcome.incident is None:
        advance(wf, ctx, outcome)
    return outcome


def retry(wf: Any, task_id: str, ctx: RunContext) -> Outcome:
    """Run a task that failed again (after its handler or data was fixed), then carry on."""
    task = _task(wf, task_id)
    if task.state != TaskState.ERROR:
        raise InvalidTransition(f"task {task_id} has not failed; only failed tasks can be retried")
    outcome = Outcome()
    attach(wf, ctx)
    with clockhook.using(ctx.clock):
        _guarded(wf, outcome, task.run)
    if outcome.incident is None:
        _recorder(outcome)(task)
        advance(wf, ctx, outcome)
    return outcome


def start_timers(spec: Any) -> list[tuple[str, str, str]]:
    """(element id, "date" | "duration" | "cycle", expression) of the process's timer start events."""
    found = []
    for task_spec in spec.task_specs.values():
        definition = getattr(task_spec, "event_definition", None)
        if isinstance(task_spec, StartEvent) and isinstance(definition, TimerEventDefinition):
            found.append((task_spec.bpmn_id, _TIMER_KINDS[type(definition)], definition.expression))
    return found


def begin(wf: Any, ctx: RunContext, start_event: str | None = None) -> Outcome:
    """Run a new instance to its first wait, entered through one start event.

    ``start_event`` names the timer start event whose schedule fell due (the platform's start timer).
    Without it the start is manual: the process begins at its none start event or, when it has only
    timer start events, as if the first of them fired now. The timer start events not taken are
    cancelled before anything runs, so their expressions (a Quartz cron, which the platform schedules
    itself) are never evaluated by SpiffWorkflow.
    """
    _enter(wf, start_event, ctx.clock.now())
    outcome = advance(wf, ctx)
    for _ in range(2):
        # A cycle start event spends its one cycle on the first run; it needs two more to finish.
        if outcome.incident is not None or not _unfinished_start_timers(wf):
            break
        advance(wf, ctx, outcome)
    return outcome


def _enter(wf: Any, start_event: str | None, now: dt.datetime) -> None:
    starts = [t for t in wf.get_tasks(spec_class=StartEvent) if t.workflow is wf]
    timed = [t for t in starts if isinstance(t.task_spec.event_definition, TimerEventDefinition)]
    if start_event is not None:
        chosen = [t for t in timed if t.task_spec.bpmn_id == start_event]
        if not chosen:
            raise NotFound(f"the process has no timer start event '{start_event}'")
    else:
        chosen = timed[:1] if timed and len(timed) == len(starts) else []
    for task in starts:
        if task in chosen:
            _fire_now(task, now)
        elif chosen or task in timed:
            task.cancel()


def _fire_now(task: Any, now: dt.datetime) -> None:
    # Seed the value SpiffWorkflow would compute from the expression, already due; a cycle gets one.
    due = (now - dt.timedelta(microseconds=1)).isoformat()
    if isinstance(task.task_spec.event_definition, CycleTimerEventDefinition):
        task.internal_data["event_value"] = {"cycles": 1, "next": due, "duration": 0}
    else:
        task.internal_data["event_value"] = due


def _unfinished_start_timers(wf: Any) -> list[Any]:
    return [
        t
        for t in wf.get_tasks(state=TaskState.WAITING | TaskState.READY)
        if isinstance(t.task_spec, StartEvent)
        and isinstance(getattr(t.task_spec, "event_definition", None), TimerEventDefinition)
    ]


def cancel(wf: Any) -> None:
    wf.cancel()


def is_completed(wf: Any) -> bool:
    return bool(wf.is_completed())


def ready_human_tasks(wf: Any) -> list[HumanTask]:
    return [_human(t) for t in wf.get_tasks(state=TaskState.READY, manual=True)]


def open_work(wf: Any) -> tuple[list[HumanTask], list[Timer]]:
    """``ready_human_tasks`` and ``waiting_timers`` in one walk of the task tree, each in its own order.

    READY and WAITING are both definite states: SpiffWorkflow's iterator walks the tree the same way for
    the two together as for each alone, so only the per-task test differs.
    """
    ready, timers = [], []
    for task in wf.get_tasks(state=TaskState.READY | TaskState.WAITING):
        if task.state == TaskState.READY:
            if task.task_spec.manual:
                ready.append(_human(task))
        elif (timer := _timer(task)) is not None:
            timers.append(timer)
    return ready, timers


def _human(task: Any) -> HumanTask:
    spec = task.task_spec
    return HumanTask(str(task.id), spec.bpmn_id, spec.bpmn_name, spec.lane, task.data, _called_process(task))


def _called_process(task: Any) -> str | None:
    """The id of the process a call activity started for ``task``'s part of the tree, if any."""
    top, current = task.workflow.top_workflow, task.workflow
    while current is not top:
        parent = top.get_task_from_id(current.parent_task_id)
        # Camunda's parser builds embedded subprocesses with the CallActivity class too; what tells them
        # apart is the spec they run: an embedded one runs a spec named for its own element id.
        embedded = parent.task_spec.spec == parent.task_spec.bpmn_id
        if isinstance(parent.task_spec, CallActivity) and not embedded:
            called: str = current.spec.name
            return None if called == top.spec.name else called
        current = parent.workflow
    return None


def waiting_timers(wf: Any) -> list[Timer]:
    return [t for t in map(_timer, wf.get_tasks(state=TaskState.WAITING)) if t is not None]


def _timer(task: Any) -> Timer | None:
    definition = getattr(task.task_spec, "event_definition", None)
    if not isinstance(definition, TimerEventDefinition):
        return None
    due = definition.details(task).value
    if isinstance(due, dict):  # cycle timers keep {"cycles", "next", "duration"}
        due = due.get("next")
    return Timer(str(task.id), task.task_spec.bpmn_id, str(due)) if due else None


def failed_task_ids(wf: Any) -> list[str]:
    return [str(t.id) for t in wf.get_tasks(state=TaskState.ERROR)]


def task_data(wf: Any, task_id: str) -> dict[str, Any]:
    return dict(_task(wf, task_id).data)


def workflow_data(wf: Any) -> dict[str, Any]:
    """The data of the last completed task (or the end data once completed): the instance's current data."""
    if wf.is_completed():
        return dict(wf.data)
    last = wf.last_task
    return dict(last.data) if last is not None else dict(wf.task_tree.data)


def edit_data(wf: Any, changes: dict[str, Any]) -> dict[str, Any]:
    """Set ``changes`` in the data of every open task (ready, waiting, started or failed): the data the
    next steps read. Returns the values they replace in :func:`workflow_data` (None where absent)."""
    before = workflow_data(wf)
    for task in wf.get_tasks(state=TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR):
        task.data.update(changes)
    return {key: before.get(key) for key in changes}


def _task(wf: Any, task_id: str) -> Any:
    try:
        task = wf.get_task_from_id(UUID(task_id))
    except (ValueError, KeyError, SpiffWorkflowException):
        task = None
    if task is None:
        raise NotFound(f"task {task_id} is not part of this instance")
    return task


def _recorder(outcome: Outcome) -> Callable[[Any], None]:
    def record(task: Any) -> None:
        event = events.describe(task)
        if event is not None:
            outcome.events.append(event)

    return record


def _guarded(wf: Any, outcome: Outcome, step: Callable[[], Any]) -> None:
    # Anything a diagram's script or a handler raises stops the instance as an incident; the caller's
    # own action (the completion that triggered it) still counts and is recorded.
    try:
        step()
    except Exception as err:
        outcome.incident = _incident(wf, err)


def _incident(wf: Any, err: Exception) -> Incident:
    task = getattr(err, "task", None)
    if task is None:
        failed = wf.get_tasks(state=TaskState.ERROR)
        task = failed[-1] if failed else None
    cause = getattr(err, "exception", None) if isinstance(err, WorkflowTaskException) else None
    root = cause if isinstance(cause, Exception) else err
    message = root.message if isinstance(root, NezaratError) else f"{type(root).__name__}: {root}"
    element = task.task_spec.bpmn_id if task is not None else getattr(root, "element", None)
    line = getattr(root, "line", None) or getattr(err, "line_number", None) or None
    return Incident(str(task.id) if task is not None else None, element, message, line)
