"""Turn hardened lxml trees into SpiffWorkflow specs, with the parser chosen by the diagram's flavour.

A fresh parser per deploy: SpiffWorkflow keeps half-built specs in a parser after a failure, so a parser
is never reused. Parser errors come out as :class:`ParseFailure` with the element and line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any, ClassVar

from lxml import etree
from SpiffWorkflow.bpmn.parser.util import full_tag
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.data_spec import BpmnDataStoreSpecification
from SpiffWorkflow.camunda.parser.CamundaParser import CamundaParser
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

from engine.spiff import multi_instance
from engine.spiff.tasks import HandlerServiceTask, HandlerServiceTaskParser

SpiffError = SpiffWorkflowException


class InstanceDataStore(BpmnDataStoreSpecification):
    """A BPMN data store kept in the instance's own data (key = the store's id).

    Real diagrams reference data stores they never define an implementation for; backing them with
    instance data lets them run instead of refusing the whole file.
    """

    def get(self, my_task: Any) -> None:
        my_task.data[self.bpmn_id] = my_task.workflow.top_workflow.data.get(self.bpmn_id)

    def set(self, my_task: Any) -> None:
        my_task.workflow.top_workflow.data[self.bpmn_id] = my_task.data.pop(self.bpmn_id, None)


class _AnyName(dict):  # type: ignore[type-arg]
    def __contains__(self, key: object) -> bool:
        return True

    def __missing__(self, key: str) -> type[InstanceDataStore]:
        return InstanceDataStore


_SERVICE = {full_tag("serviceTask"): (HandlerServiceTaskParser, HandlerServiceTask)}


class NezaratSpiffParser(SpiffBpmnParser):
    OVERRIDE_PARSER_CLASSES: ClassVar = {**SpiffBpmnParser.OVERRIDE_PARSER_CLASSES, **_SERVICE}
    DATA_STORE_CLASSES: ClassVar = _AnyName()


class NezaratCamundaParser(CamundaParser):
    OVERRIDE_PARSER_CLASSES: ClassVar = {**CamundaParser.OVERRIDE_PARSER_CLASSES, **_SERVICE}
    DATA_STORE_CLASSES: ClassVar = _AnyName()


@dataclasses.dataclass
class ParseFailure(Exception):
    message: str
    element: str | None = None
    tag: str | None = None

    def __str__(self) -> str:
        return self.message


@dataclasses.dataclass(frozen=True)
class ParsedProcess:
    process_id: str
    name: str | None
    spec: Any
    subprocess_specs: dict[str, Any]
    missing_calls: tuple[str, ...] = ()  # call activities naming processes that are not in this file


def executable_process_ids(root: Any, flavour: str, dmn_roots: Iterable[Any] = ()) -> list[str]:
    return _load(root, flavour, dmn_roots).get_process_ids()


def parse(root: Any, *, flavour: str, process_id: str, dmn_roots: Iterable[Any] = ()) -> ParsedProcess:
    """Build the spec of ``process_id`` and every process it calls, in a fresh parser."""
    parser = _load(root, flavour, dmn_roots)
    try:
        spec = parser.get_spec(process_id)
        found = parser.get_subprocess_specs(process_id, require_call_activity_specs=False)
    except ValidationException as err:
        raise _failure(err) from None
    except SpiffWorkflowException as err:
        raise ParseFailure(_clean(str(err))) from None
    except (KeyError, TypeError, AttributeError, ValueError) as err:
        raise ParseFailure(f"the diagram could not be built: {type(err).__name__}: {err}") from None
    subprocess_specs = {k: v for k, v in found.items() if v is not None}
    multi_instance.settle([spec, *subprocess_specs.values()])
    missing = tuple(sorted(k for k, v in found.items() if v is None))
    return ParsedProcess(process_id, spec.description, spec, subprocess_specs, missing)


def _load(root: Any, flavour: str, dmn_roots: Iterable[Any]) -> Any:
    parser = NezaratCamundaParser() if flavour == "camunda" else NezaratSpiffParser()
    try:
        for dmn in dmn_roots:
            parser.add_dmn_xml(_root(dmn))
        parser.add_bpmn_xml(_root(root))
    except ValidationException as err:
        raise _failure(err) from None
    except (KeyError, TypeError, AttributeError, ValueError, SpiffWorkflowException) as err:
        raise ParseFailure(
            f"the diagram could not be loaded: {type(err).__name__}: {_clean(str(err))}"
        ) from None
    return parser


def _root(tree: Any) -> Any:
    return tree.getroot() if isinstance(tree, etree._ElementTree) else tree


def _failure(err: ValidationException) -> ParseFailure:
    message = _clean(err.args[0] if err.args else str(err))
    return ParseFailure(
        message, element=getattr(err, "id", None) or None, tag=getattr(err, "tag", None) or None
    )


def _clean(message: str) -> str:
    return message.strip().rstrip(".").strip()
