"""Run a service task: look up its handler, give it a HandlerContext, merge what it returns.

A handler's :class:`HandlerError` is thrown as a BPMN error; if an error boundary event on the task
catches its code, the process takes that path, otherwise the error becomes an incident.
"""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.item_aware_event import ErrorEventDefinition
from SpiffWorkflow.bpmn.util import BpmnEvent
from SpiffWorkflow.util.task import TaskState

from engine import service_tasks
from engine.errors import HandlerError, UnknownHandler
from engine.spiff import case_data, input_parameters
from engine.spiff.context import RunContext
from engine.spiff.expressions import evaluate_expression


def run_handler(task: Any, spec: Any, context: RunContext) -> bool | None:
    if spec.handler is None:
        raise UnknownHandler(
            f"serviceTask '{spec.bpmn_id}' has no Nezarat handler ({spec.implementation})",
            hint='name one with camunda:type="external" camunda:topic="area.name" or a serviceTaskOperator',
            element=spec.bpmn_id,
        )
    fn = service_tasks.lookup(spec.handler)
    params = {name: _param(name, p, task.data) for name, p in spec.params.items()}
    ctx = service_tasks.HandlerContext(
        name=spec.handler,
        data=task.data,
        params=params,
        instance_id=context.instance_id,
        process_key=context.process_key,
        element_id=spec.bpmn_id,
        actor=context.actor,
        clock=context.clock,
        services=context.services,
        org_unit=context.org_unit,
    )
    try:
        result = fn(ctx)
    except HandlerError as err:
        if _throw_bpmn_error(task, err):
            return None  # the boundary event takes over; it cancels this task when it runs
        err.element = err.element or spec.bpmn_id
        raise
    _merge(task, spec, result)
    return True


def _param(name: str, param: dict[str, Any], data: dict[str, Any]) -> Any:
    if "camunda" in param:
        return input_parameters.value_of(param["camunda"], data, name=name)
    return evaluate_expression(param["value"], data)


def _merge(task: Any, spec: Any, result: Any) -> None:
    if result is None:
        return
    problem = case_data.first_problem(dict(result))
    if problem is not None:
        raise HandlerError(
            f"handler '{spec.handler}' returned data that cannot be stored: {problem}",
            error_code="unstorable_result",
            element=spec.bpmn_id,
        )
    if spec.result_variable:
        task.data[spec.result_variable] = dict(result)
    else:
        task.data.update(result)


def _throw_bpmn_error(task: Any, err: HandlerError) -> bool:
    parent = task.parent
    if parent is None:
        return False
    for sibling in parent.children:
        definition = getattr(sibling.task_spec, "event_definition", None)
        if (
            isinstance(definition, ErrorEventDefinition)
            and sibling.state == TaskState.WAITING
            and definition.code in (None, err.error_code)
        ):
            event_def = type(definition)(definition.name, code=err.error_code)
            payload = {"error_code": err.error_code, "error_message": err.message}
            sibling.task_spec.catch(sibling, BpmnEvent(event_def, payload=payload))
            sibling.task_spec._update(sibling)
            return True
    return False
