"""Camunda multi-instance tasks over a collection, wired the same way in every process.

SpiffWorkflow's Camunda parser leaves such a task's input empty and fills it in on the shared spec the
first time an instance starts the task (``update_task_spec``). A process that loaded the spec afterwards
(a later ``run.py`` call, a web worker restarted between two steps) therefore merged each instance's
output by appending it to the collection, while the process that started the task replaced each item in
place: the same instance ended with different data depending on which process ran its last step, and a
replay diverged from the recording. We wire the input when the spec is built or loaded, as the first
start would have, so every process updates the collection in place.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from SpiffWorkflow.bpmn.specs.data_spec import TaskDataReference
from SpiffWorkflow.camunda.specs.multiinstance_task import (
    ParallelMultiInstanceTask,
    SequentialMultiInstanceTask,
)


def settle(specs: Iterable[Any]) -> None:
    """Give every Camunda collection multi-instance task in ``specs`` its collection as input."""
    for spec in specs:
        for task_spec in spec.task_specs.values():
            if isinstance(task_spec, ParallelMultiInstanceTask | SequentialMultiInstanceTask):
                _settle_task(task_spec)


def _settle_task(task_spec: Any) -> None:
    # A loopCardinality may name a collection or a number, which only running it tells: left to Spiff.
    if task_spec.cardinality is not None or task_spec.data_output is None or task_spec.data_input is not None:
        return
    task_spec.data_input = TaskDataReference(task_spec.data_output.bpmn_id)
    if task_spec.output_item is not None:
        task_spec.input_item = TaskDataReference(task_spec.output_item.bpmn_id)
