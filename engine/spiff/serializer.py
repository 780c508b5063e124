"""Instance state in and out of JSON, with the process spec stored once per version, not per instance.

SpiffWorkflow embeds the whole spec in every serialized workflow (over half the JSON). Our workflow
converter leaves it out and takes the already restored spec objects back in on load, so a step neither
writes nor re-parses the spec. One registry per flavour: Spiff and Camunda spec classes share class
names, which the registry uses as type tags.
"""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.serializer import DEFAULT_CONFIG, BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.serializer.helpers.encoder import create_encoder
from SpiffWorkflow.bpmn.serializer.helpers.spec import BpmnDataSpecificationConverter
from SpiffWorkflow.bpmn.serializer.migration.version_migration import MIGRATIONS
from SpiffWorkflow.bpmn.serializer.workflow import VERSION as SPIFF_VERSION
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.camunda.serializer.config import CAMUNDA_CONFIG
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from engine.spiff import multi_instance
from engine.spiff.parser import InstanceDataStore
from engine.spiff.tasks import HandlerServiceTask, HandlerServiceTaskConverter

# Our own format tag: bumped (with a migration in engine/store/migrations) when the stored shape changes.
SERIALIZER_VERSION = "nz-1"


class SpecFreeWorkflowConverter(BpmnWorkflowConverter):
    def to_dict(self, workflow: Any) -> dict[str, Any]:
        dct: dict[str, Any] = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct: dict[str, Any], spec: Any = None, subprocess_specs: Any = None) -> Any:
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


class Codec:
    """Spec and state (de)serialisation for one flavour."""

    def __init__(self, config: dict[Any, Any]) -> None:
        config = dict(config)
        config[HandlerServiceTask] = HandlerServiceTaskConverter
        config[BpmnWorkflow] = SpecFreeWorkflowConverter
        config[InstanceDataStore] = BpmnDataSpecificationConverter
        self.registry = BpmnWorkflowSerializer.configure(config)
        # A flavour's parser still emits some plain BPMN classes (Camunda's receive task uses the plain
        # MessageEventDefinition) whose names its config gave to its own subclasses: register those
        # under a distinct type name so both kinds round-trip.
        for cls, converter in DEFAULT_CONFIG.items():
            if cls not in config:
                converter(cls, self.registry, typename=f"Bpmn{cls.__name__}")
        self.registry.register(Decimal, lambda v: {"value": str(v)}, lambda d: Decimal(d["value"]))
        self._encoder = create_encoder(self.registry, None)

    def dump_specs(self, spec: Any, subprocess_specs: dict[str, Any]) -> str:
        return json.dumps(
            {
                "spec": self.registry.convert(spec),
                "subprocess_specs": {k: self.registry.convert(v) for k, v in subprocess_specs.items()},
            },
            ensure_ascii=False,
        )

    def load_specs(self, text: str) -> tuple[Any, dict[str, Any]]:
        dct = json.loads(text)
        spec = self.registry.restore(dct["spec"])
        subs = {k: self.registry.restore(v) for k, v in dct["subprocess_specs"].items()}
        multi_instance.settle([spec, *subs.values()])  # versions stored before specs were settled
        return spec, subs

    def dump_state(self, workflow: Any) -> str:
        self.registry._encoder_mode = True
        try:
            dct = self.registry.convert(workflow)
            dct["spiff_version"] = SPIFF_VERSION
            return json.dumps(dct, cls=self._encoder, ensure_ascii=False)
        finally:
            self.registry._encoder_mode = False

    def load_state(self, text: str, spec: Any, subprocess_specs: dict[str, Any]) -> Any:
        dct = json.loads(text)
        version = dct.pop("spiff_version", SPIFF_VERSION)
        if version != SPIFF_VERSION and version in MIGRATIONS:
            MIGRATIONS[version](dct)
        return self.registry.restore(dct, spec=spec, subprocess_specs=subprocess_specs)


@functools.cache
def codec(flavour: str) -> Codec:
    return Codec(CAMUNDA_CONFIG if flavour == "camunda" else SPIFF_CONFIG)
