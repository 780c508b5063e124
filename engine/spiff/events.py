"""What a completed engine task means for the history: gateway decisions, scripts, handlers, timers, ends."""

from __future__ import annotations

import dataclasses
from typing import Any

from SpiffWorkflow.bpmn.specs.control import EventSplit
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.end_event import EndEvent
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent, IntermediateCatchEvent
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent
from SpiffWorkflow.bpmn.specs.mixins.exclusive_gateway import ExclusiveGateway
from SpiffWorkflow.bpmn.specs.mixins.inclusive_gateway import InclusiveGateway
from SpiffWorkflow.bpmn.specs.mixins.script_task import ScriptTask
from SpiffWorkflow.bpmn.specs.mixins.service_task import ServiceTask
from SpiffWorkflow.util.deep_merge import DeepMerge
from SpiffWorkflow.util.task import TaskState

_NEXT = TaskState.DEFINITE_MASK | TaskState.FINISHED_MASK


@dataclasses.dataclass(frozen=True)
class StepEvent:
    kind: str
    element_id: str | None
    task_id: str | None
    data: dict[str, Any]


def describe(task: Any) -> StepEvent | None:
    if task.state != TaskState.COMPLETED:
        return None  # e.g. a service task whose BPMN error a boundary event caught: it never completed
    spec = task.task_spec
    element = getattr(spec, "bpmn_id", None)
    if element is None:
        return None  # SpiffWorkflow's internal tasks (Root, Start, EndJoin) are not on the diagram
    kind, data = _classify(task, spec)
    if kind is None:
        return None
    return StepEvent(kind, element, str(task.id), data)


def _classify(task: Any, spec: Any) -> tuple[str | None, dict[str, Any]]:
    if isinstance(spec, (ExclusiveGateway, InclusiveGateway)):
        taken = [_element(c.task_spec) for c in task.children if c.has_state(_NEXT)]
        return "gateway_taken", {"to": taken}
    if isinstance(spec, ServiceTask):
        return "service_completed", {"handler": getattr(spec, "handler", None), "delta": delta(task)}
    if isinstance(spec, ScriptTask):
        return "script_completed", {"delta": delta(task)}
    definition = getattr(spec, "event_definition", None)
    if isinstance(spec, (BoundaryEvent, IntermediateCatchEvent, StartEvent)) and isinstance(
        definition, TimerEventDefinition
    ):
        return "timer_fired", {}
    if isinstance(spec, BoundaryEvent):
        # The caught payload (a handler's error_code and error_message) says why the path changed.
        return "boundary_event", {
            "event": type(definition).__name__ if definition else None,
            "delta": delta(task),
        }
    if isinstance(spec, EndEvent):
        return "end_reached", {}
    return None, {}


def _element(spec: Any) -> str | None:
    # A task with boundary events sits behind SpiffWorkflow's internal split; name the task itself.
    if getattr(spec, "bpmn_id", None) is None and isinstance(spec, EventSplit):
        main = [o for o in spec.outputs if not isinstance(o, spec.event_type)]
        return main[0].bpmn_id if main else None
    return getattr(spec, "bpmn_id", None)


def delta(task: Any) -> dict[str, Any]:
    """Top-level keys this task set or changed, and the ones it removed."""
    parent = task.parent.data if task.parent is not None else {}
    out: dict[str, Any] = {"set": DeepMerge.get_updated_keys(parent, task.data)}
    removed = DeepMerge.get_deleted_keys(parent, task.data)
    if removed:
        out["removed"] = sorted(removed)
    return out
