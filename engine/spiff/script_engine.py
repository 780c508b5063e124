"""SpiffWorkflow's script engine, replaced by Nezarat's sandbox (:mod:`engine.scripting`).

Every expression SpiffWorkflow evaluates (conditions, timers, parameters, scripts) goes through here,
so nothing from a diagram runs with real builtins. The engine also carries the per-call context that
service tasks need, because SpiffWorkflow gives a task spec nothing but the task.
"""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

from engine import scripting
from engine.errors import ScriptError
from engine.spiff import case_data
from engine.spiff.context import RunContext
from engine.spiff.dispatch import run_handler
from engine.spiff.expressions import evaluate_expression


class _NoEnvironment(BasePythonScriptEngineEnvironment):
    """Placeholder: the sandbox replaces every environment call, so nothing may reach this."""

    def evaluate(self, expression: str, context: Any, external_context: Any = None) -> Any:
        raise RuntimeError("the Nezarat script engine evaluates expressions itself")

    def execute(self, script: str, context: Any, external_context: Any = None) -> Any:
        raise RuntimeError("the Nezarat script engine executes scripts itself")


class NezaratScriptEngine(PythonScriptEngine):
    def __init__(self, context: RunContext | None = None) -> None:
        super().__init__(environment=_NoEnvironment({}))
        self.context = context

    def evaluate(self, task: Any, expression: str, external_context: Any = None) -> Any:
        return evaluate_expression(expression, task.data, external_context)

    def execute(self, task: Any, script: str, external_context: Any = None) -> bool:
        # The script runs on a copy: the task's data changes only if everything it left can be stored.
        names = {**external_context, **task.data} if external_context else dict(task.data)
        scripting.execute(script, names)
        for key in external_context or ():
            if key not in task.data:
                names.pop(key, None)
        problem = case_data.first_problem(names)
        if problem is not None:
            raise ScriptError(problem, element=task.task_spec.bpmn_id)
        task.data.clear()
        task.data.update(names)
        return True

    def run_handler(self, task: Any, spec: Any) -> bool | None:
        if self.context is None:
            raise RuntimeError("service task run without a run context")
        return run_handler(task, spec, self.context)
