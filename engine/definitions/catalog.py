"""What the inbox needs to know about each human task, read once from the XML at deploy time.

Candidate groups and users, assignee, due date, priority, form, lane and properties come from Camunda
attributes (``camunda:candidateGroups`` …) or Spiff properties of the same names. Values are kept as
written: literals, or ``${…}`` expressions evaluated against the task's data when the task becomes ready.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NS = {"bpmn": BPMN, "camunda": CAMUNDA, "spiffworkflow": SPIFF}

_ATTRS = ("candidateGroups", "candidateUsers", "assignee", "dueDate", "priority", "formKey")
_KEYS = {
    "candidateGroups": "candidate_groups",
    "candidateUsers": "candidate_users",
    "assignee": "assignee",
    "dueDate": "due",
    "priority": "priority",
    "formKey": "form",
    "formJsonSchemaFilename": "form",
}
_HUMAN = ("userTask", "manualTask", "task")


def extract(root: Any, process_id: str) -> dict[str, dict[str, Any]]:
    """Map element id → task facts for every human task of ``process_id`` and its subprocesses."""
    process = _process(root, process_id)
    if process is None:
        return {}
    lanes = _lanes(process)
    out: dict[str, dict[str, Any]] = {}
    for tag in _HUMAN:
        for node in process.iter(f"{{{BPMN}}}{tag}"):
            element = node.get("id")
            if element:
                out[element] = _facts(node, lanes.get(element))
    for node in process.iter(f"{{{BPMN}}}serviceTask", f"{{{BPMN}}}scriptTask"):
        if node.get("id"):
            out[node.get("id")] = {"kind": etree.QName(node).localname, "name": node.get("name")}
    return out


def _process(root: Any, process_id: str) -> Any:
    for process in root.iter(f"{{{BPMN}}}process"):
        if process.get("id") == process_id:
            return process
    return None


def _lanes(process: Any) -> dict[str, str]:
    lanes: dict[str, str] = {}
    for lane in process.iter(f"{{{BPMN}}}lane"):
        for ref in lane.findall(f"{{{BPMN}}}flowNodeRef"):
            if ref.text:
                lanes[ref.text.strip()] = lane.get("name") or lane.get("id")
    return lanes


def _facts(node: Any, lane: str | None) -> dict[str, Any]:
    facts: dict[str, Any] = {"kind": etree.QName(node).localname, "name": node.get("name"), "lane": lane}
    for attr in _ATTRS:
        value = node.get(f"{{{CAMUNDA}}}{attr}")
        if value:
            facts[_KEYS[attr]] = value.strip()
    properties = _properties(node)
    for name, value in properties.items():
        if name in _KEYS and _KEYS[name] not in facts:
            facts[_KEYS[name]] = value
    if properties:
        facts["properties"] = properties
    doc = node.find(f"{{{BPMN}}}documentation")
    if doc is not None and doc.text:
        facts["documentation"] = doc.text.strip()
    return facts


def _properties(node: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for prop in node.xpath(
        "./bpmn:extensionElements/camunda:properties/camunda:property"
        " | ./bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property",
        namespaces=NS,
    ):
        name, value = prop.get("name"), prop.get("value")
        if name and value is not None:
            found[name] = value
    return found
