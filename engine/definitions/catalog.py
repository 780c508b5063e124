"""What the inbox needs to know about each human task, read once from the XML at deploy time.

Candidate groups and users, assignee, due date, priority, form, lane and properties come from Camunda
attributes (``camunda:candidateGroups`` …) or Spiff properties of the same names. Values are kept as
written: literals, or ``${…}`` expressions evaluated against the task's data when the task becomes ready.

Keys: a task of the process itself (or of its embedded subprocesses) is keyed by its element id; a task
of a process it calls is keyed ``"<called process id>/<element id>"`` (:func:`task_key`); facts about the
process itself sit under ``"@process"`` (:func:`startable`). Neither ``/`` nor ``@`` can occur in an XML
id, so no key can collide with an element's.
"""

from __future__ import annotations

from collections.abc import Mapping
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
PROCESS = "@process"


def task_key(process_id: str | None, element_id: str) -> str:
    """The catalog key of a task: its element id, prefixed by the called process it belongs to, if any."""
    return element_id if process_id is None else f"{process_id}/{element_id}"


def startable(catalog: Mapping[str, Any]) -> bool:
    """False when the process is marked ``camunda:isStartableInTasklist="false"`` (only callers start it)."""
    return bool((catalog.get(PROCESS) or {}).get("startable", True))


def is_process(root: Any, process_id: str) -> bool:
    return _process(root, process_id) is not None


def add_called(
    catalog: dict[str, Any],
    forms: dict[str, Any] | None,
    called_id: str,
    called_catalog: Mapping[str, Any],
    called_forms: Mapping[str, Any] | None = None,
) -> None:
    """Add a called process's task facts to ``catalog`` under :func:`task_key` keys.

    With ``called_forms`` (a process from another bundle), its forms are added to ``forms`` as
    ``"<called_id>/<name>"`` and its tasks' form references rewritten to match. Entries the called
    process already namespaced (the processes it calls itself) keep their keys. Existing keys win.
    """
    for element, facts in called_catalog.items():
        if element == PROCESS:
            continue
        own = "/" not in element
        entry = dict(facts)
        if own and called_forms is not None and entry.get("form") in called_forms:
            entry["form"] = f"{called_id}/{entry['form']}"
        catalog.setdefault(task_key(called_id, element) if own else element, entry)
    if forms is not None:
        for name, form in (called_forms or {}).items():
            forms.setdefault(name if "/" in name else f"{called_id}/{name}", form)


def extract(root: Any, process_id: str) -> dict[str, dict[str, Any]]:
    """Map element id → task facts for every human and automated task of ``process_id`` and its
    embedded subprocesses, plus the process's own facts under ``"@process"``."""
    process = _process(root, process_id)
    if process is None:
        return {}
    lanes = _lanes(process)
    out: dict[str, dict[str, Any]] = {PROCESS: _process_facts(process)}
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


def _process_facts(process: Any) -> dict[str, Any]:
    startable_in_tasklist = (process.get(f"{{{CAMUNDA}}}isStartableInTasklist") or "true").strip().lower()
    return {"name": process.get("name"), "startable": startable_in_tasklist != "false"}


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
