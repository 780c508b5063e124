"""Nezarat's service task: one spec for Spiff and Camunda diagrams that calls a registered handler.

SpiffWorkflow's Spiff parser insists on a ``serviceTaskOperator`` and its Camunda parser has no service
task at all, so both parsers get this spec through their ``OVERRIDE_PARSER_CLASSES`` tables. The handler
name comes from ``spiffworkflow:serviceTaskOperator/@id`` or Camunda's
``camunda:type="external" camunda:topic``; anything else (Java delegates, no implementation) leaves
``handler`` empty and the task raises an incident when it is reached.

Parameters: Spiff's are ``{name: {"type", "value"}}`` with a Python expression as value; Camunda's
``camunda:inputParameter`` are ``{name: {"camunda": tree}}`` (see :mod:`engine.spiff.input_parameters`).
"""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.specs.mixins.service_task import ServiceTask as ServiceTaskMixin
from SpiffWorkflow.spiff.parser.task_spec import SpiffTaskParser
from SpiffWorkflow.spiff.serializer.task_spec import SpiffBpmnTaskConverter
from SpiffWorkflow.spiff.specs.spiff_task import SpiffBpmnTask

from engine.spiff import input_parameters

CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
_JAVA_ATTRS = ("class", "expression", "delegateExpression")


class HandlerServiceTask(ServiceTaskMixin, SpiffBpmnTask):
    def __init__(
        self,
        wf_spec: Any,
        bpmn_id: str,
        handler: str | None = None,
        implementation: str | None = None,
        params: dict[str, dict[str, Any]] | None = None,
        result_variable: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(wf_spec, bpmn_id, **kwargs)
        self.handler = handler
        self.implementation = implementation
        self.params = params or {}
        self.result_variable = result_variable

    def _execute(self, task: Any) -> bool | None:
        # The script engine carries the per-call context (instance, actor, clock, services).
        return task.workflow.script_engine.run_handler(task, self)  # type: ignore[no-any-return]


class HandlerServiceTaskParser(SpiffTaskParser):
    def create_task(self) -> HandlerServiceTask:
        extensions = self.parse_extensions()
        handler, implementation, params, result_variable = _implementation(self.node, extensions)
        return HandlerServiceTask(
            self.spec,
            self.bpmn_id,
            handler=handler,
            implementation=implementation,
            params=params,
            result_variable=result_variable,
            prescript=extensions.get("preScript"),
            postscript=extensions.get("postScript"),
            **self.bpmn_attributes,
        )


def _implementation(
    node: Any, extensions: dict[str, Any]
) -> tuple[str | None, str, dict[str, Any], str | None]:
    operator = extensions.get("serviceTaskOperator")
    if operator is not None:
        return (
            operator["name"],
            "spiffworkflow:serviceTaskOperator",
            operator["parameters"],
            operator["resultVariable"] or None,
        )
    if node.get(f"{{{CAMUNDA_NS}}}type") == "external" and node.get(f"{{{CAMUNDA_NS}}}topic"):
        return (
            node.get(f"{{{CAMUNDA_NS}}}topic"),
            "camunda:topic",
            input_parameters.read(node),
            node.get(f"{{{CAMUNDA_NS}}}resultVariable"),
        )
    for attr in _JAVA_ATTRS:
        value = node.get(f"{{{CAMUNDA_NS}}}{attr}")
        if value:
            return None, f"camunda:{attr}={value}", {}, None
    return None, "no implementation", {}, None


class HandlerServiceTaskConverter(SpiffBpmnTaskConverter):
    def to_dict(self, spec: HandlerServiceTask) -> dict[str, Any]:
        dct: dict[str, Any] = super().to_dict(spec)
        dct["handler"] = spec.handler
        dct["implementation"] = spec.implementation
        dct["params"] = spec.params
        dct["result_variable"] = spec.result_variable
        return dct
