"""Rules about the shape of the diagram: ids, executable processes, flows, gateways and timers."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from engine.definitions.checks.model import Finding, Model, at, bpmn, describe, omg_elements
from engine.definitions.checks.registry import check

_DATA_ITEMS = {bpmn("inputDataItem"), bpmn("outputDataItem")}
_TIME_KINDS = frozenset(bpmn(name) for name in ("timeDate", "timeDuration", "timeCycle"))


@check("NZ010", "error")
def duplicate_ids(model: Model) -> Iterator[Finding]:
    """Two elements share one id."""
    first: dict[str, etree._Element] = {}
    for element in omg_elements(model.root):
        ident = element.get("id")
        if not ident or _same_data_item(first.get(ident), element):
            continue
        if ident not in first:
            first[ident] = element
            continue
        yield at(
            element,
            f"id '{ident}' is used twice: line {first[ident].sourceline} and line {element.sourceline}",
            "give each element its own id",
        )


@check("NZ011", "error")
def no_executable_process(model: Model) -> Iterator[Finding]:
    """A BPMN file has no executable process."""
    if model.is_dmn:
        return
    processes = list(model.elements("process"))
    # SpiffWorkflow runs a process whose isExecutable is absent, so only an explicit non-"true" counts.
    if any(process.get("isExecutable", "true") == "true" for process in processes):
        return
    if not processes:
        yield at(
            model.root,
            "the file defines no process, so there is nothing to run",
            'add a process with isExecutable="true"',
        )
        return
    yield at(
        processes[0],
        'no process is marked isExecutable="true"',
        'set isExecutable="true" on the process to run it',
    )


@check("NZ110", "error")
def dangling_flow_refs(model: Model) -> Iterator[Finding]:
    """A sequenceFlow's sourceRef or targetRef names no element."""
    for flow in model.elements("sequenceFlow"):
        if _unconnected(flow):
            continue  # NZ114: a leftover flow tied to nothing; the engine ignores it
        ends = ("sourceRef", "targetRef")
        said = [_dangling(flow, attribute) for attribute in ends if flow.get(attribute) not in model.ids]
        if said:
            message = f"{describe(flow)} has {' and '.join(said)}"
            yield at(flow, message, "connect the flow to existing elements, or delete it")


# SpiffWorkflow names its own internal tasks like this; a diagram element with such an id is silently lost.
RESERVED_IDS = frozenset({"Start"})


@check("NZ115", "error")
def reserved_id(model: Model) -> Iterator[Finding]:
    """An element id that SpiffWorkflow uses for its own internal tasks."""
    for element in omg_elements(model.root):
        ident = element.get("id", "")
        if ident in RESERVED_IDS or ident.endswith(".EndJoin"):
            yield at(
                element,
                f"{describe(element)} uses the id '{ident}', which the engine reserves",
                "rename it, e.g. 'StartEvent_1'",
            )


@check("NZ114", "warning")
def unconnected_flow(model: Model) -> Iterator[Finding]:
    """A sequenceFlow with neither sourceRef nor targetRef: a leftover of editing, ignored by the engine."""
    for flow in model.elements("sequenceFlow"):
        if _unconnected(flow):
            yield at(
                flow, f"{describe(flow)} is connected to nothing and is ignored", "delete it from the diagram"
            )


def _unconnected(flow: etree._Element) -> bool:
    return not flow.get("sourceRef") and not flow.get("targetRef")


@check("NZ111", "error")
def gateway_flow_without_condition(model: Model) -> Iterator[Finding]:
    """An exclusive or inclusive gateway splits on a non-default flow that has no condition."""
    for gateway in model.elements("exclusiveGateway", "inclusiveGateway"):
        outgoing = model.outgoing.get(gateway.get("id", ""), [])
        if len(outgoing) < 2:
            continue
        default = gateway.get("default")
        bare = [
            flow.get("id", "?") for flow in outgoing if flow.get("id") != default and not _has_condition(flow)
        ]
        if not bare:
            continue
        listed = ", ".join(f"'{ident}'" for ident in bare)
        verb = "has" if len(bare) == 1 else "have"
        yield at(
            gateway,
            f"{describe(gateway)} has {len(outgoing)} outgoing flows and {listed} {verb} no condition",
            "add a condition or mark it as the default flow",
        )


@check("NZ112", "warning")
def timer_without_time(model: Model) -> Iterator[Finding]:
    """A timer event has no timeDate, timeDuration or timeCycle."""
    for timer in model.elements("timerEventDefinition"):
        if any(child.tag in _TIME_KINDS and (child.text or "").strip() for child in timer):
            continue
        owner = timer.getparent()
        place = owner if owner is not None and owner.get("id") else timer
        yield at(
            place,
            f"timer on {describe(place)} has no timeDate, timeDuration or timeCycle; it will never fire",
            "add one, e.g. <bpmn:timeDuration>PT1H</bpmn:timeDuration>",
        )


def _same_data_item(earlier: etree._Element | None, element: etree._Element) -> bool:
    """Spiff names a multi-instance item variable by its id; giving the output item the input item's id
    is its idiom for "update each item in place", so that one repeat is not a clash."""
    if earlier is None or earlier.getparent() is not element.getparent():
        return False
    return {earlier.tag, element.tag} == _DATA_ITEMS


def _dangling(flow: etree._Element, attribute: str) -> str:
    ref = flow.get(attribute)
    return f"{attribute}='{ref}', which names no element" if ref else f"no {attribute}"


def _has_condition(flow: etree._Element) -> bool:
    condition = flow.find(bpmn("conditionExpression"))
    return condition is not None and bool((condition.text or "").strip())
