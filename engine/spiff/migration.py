"""Moving a running workflow onto another version's diagram, keeping what happened and what is open.

The alignment of old and new task specs is SpiffWorkflow's (``bpmn.util.diff.diff_workflow``: by element
id, then by structure). Its ``migrate_workflow`` is not used as it stands: after swapping the specs it
resets every READY and WAITING branch, and the reset gives each open task its parent's data again (what
an administrator's edit set on it is lost) and clears its internal data (a boundary timer would start
counting again from the migration). Here only what the old diagram *predicted* after an open task is
dropped and predicted again from the new one; open tasks keep their state, data and timers.

A workflow can move when every open task (ready, waiting, started or failed) names an element the new
diagram has, of the same kind, and every task already finished is aligned with one (the stored state
names each task's element: a state naming an element the diagram lacks could not be loaded again).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from SpiffWorkflow.bpmn.util.diff import diff_workflow
from SpiffWorkflow.util.task import TaskState

OPEN = TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR
_PREDICTION = TaskState.PREDICTED_MASK | TaskState.FUTURE


@dataclasses.dataclass
class Plan:
    """What moving a workflow needs: each (sub)workflow with its diff and new spec, or why it cannot."""

    problems: list[str]
    steps: list[tuple[Any, Any, Any]] = dataclasses.field(default_factory=list)


def move(wf: Any, spec: Any, subprocess_specs: dict[str, Any], registry: Any) -> list[str]:
    """Move ``wf`` onto ``spec`` and ``subprocess_specs``; or, when it cannot, change nothing and return
    why (one sentence per element). Raises ValueError when the moved workflow does not fit after all
    (the object is then spoilt: the caller drops it)."""
    steps = plan(wf, spec, subprocess_specs, registry)
    if steps.problems:
        return steps.problems
    apply(wf, steps, subprocess_specs)
    return []


def plan(wf: Any, spec: Any, subprocess_specs: dict[str, Any], registry: Any) -> Plan:
    """Whether ``wf`` can move onto ``spec`` (and ``subprocess_specs``), and how; changes nothing."""
    top, subs = diff_workflow(registry, wf, spec, subprocess_specs)
    found, steps = _problems(wf, top, spec), [(wf, top, spec)]
    for sp_id, sp in wf.subprocesses.items():
        diff, target = subs.get(sp_id), subprocess_specs.get(sp.spec.name)
        if diff is None or target is None:
            found.append(f"the subprocess '{sp.spec.name}' it is running is not in the target version")
            continue
        found += _problems(sp, diff, target)
        steps.append((sp, diff, target))
    return Plan(sorted(set(found)), steps)


def apply(wf: Any, plan: Plan, subprocess_specs: dict[str, Any]) -> None:
    """Move ``wf`` as ``plan`` says (its problems empty). Raises ValueError if the result would not fit
    the new diagram; the workflow object is then spoilt, and the caller must not keep it."""
    for workflow, diff, spec in plan.steps:
        workflow.spec = spec
        for task in list(workflow.tasks.values()):
            aligned = diff.alignment.get(task)
            if aligned is not None:
                task.task_spec = aligned
        for task in _anchors(workflow):
            task._drop_children(force=True)
            task.task_spec._predict(task, mask=_PREDICTION | task.state)
        if workflow.last_task is not None and workflow.last_task.id not in workflow.tasks:
            workflow.last_task = None
        stale = [
            t.task_spec.name
            for t in workflow.tasks.values()
            if spec.task_specs.get(t.task_spec.name) is not t.task_spec
        ]
        if stale:
            raise ValueError(f"tasks of elements {sorted(set(stale))} do not fit the new diagram")
    wf.subprocess_specs = subprocess_specs


def _problems(workflow: Any, diff: Any, spec: Any) -> list[str]:
    found = []
    for task in workflow.get_tasks(skip_subprocesses=True):
        old, element = task.task_spec, task.task_spec.bpmn_id or task.task_spec.name
        if task.has_state(OPEN):
            new = spec.task_specs.get(old.name)
            if new is None:
                found.append(f"'{element}' is open in the instance and missing in the target version")
            elif type(new).__name__ != type(old).__name__:
                found.append(
                    f"'{element}' is open in the instance as a {type(old).__name__} "
                    f"and is a {type(new).__name__} in the target version"
                )
        elif task.has_state(TaskState.FINISHED_MASK) and diff.alignment.get(task) is None:
            found.append(f"'{element}', which the instance has passed, is missing in the target version")
    return found


def _anchors(workflow: Any) -> list[Any]:
    """The tasks whose descendants are only predictions: open tasks, and tasks to come right after a
    finished one. Their branches are predicted again; an open task with an open child (a gateway
    waiting on its events) is left as it is, its open children being anchors themselves."""
    found = []
    for task in workflow.get_tasks(skip_subprocesses=True):
        parent_done = task.parent is not None and task.parent.has_state(TaskState.FINISHED_MASK)
        if not (task.has_state(OPEN) or (task.has_state(TaskState.FUTURE) and parent_done)):
            continue
        if all(child.has_state(_PREDICTION) for child in task.children):
            found.append(task)
    return found
