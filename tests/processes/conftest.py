"""The process library as the tests read it: every bundle under processes/, its parsed BPMN and forms."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = ROOT / "processes"
NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
    "camunda": "http://camunda.org/schema/1.0/bpmn",
}
CAMUNDA = "{http://camunda.org/schema/1.0/bpmn}"
# Everything a diagram draws as a node: activities, events and gateways (not flows, lanes or data).
FLOW_NODE_TAGS = (
    "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
    "userTask", "serviceTask", "scriptTask", "manualTask", "task", "sendTask", "receiveTask",
    "businessRuleTask", "callActivity", "subProcess",
    "exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway",
)  # fmt: skip

BUNDLES = sorted(p.name for p in PROCESSES.iterdir() if (p / "process.bpmn").is_file())


@functools.cache
def tree(key: str) -> Any:
    return etree.parse(str(PROCESSES / key / "process.bpmn")).getroot()


def flow_nodes(key: str) -> list[Any]:
    root = tree(key)
    return [el for tag in FLOW_NODE_TAGS for el in root.iterfind(f".//bpmn:{tag}", NS)]


def user_tasks(key: str) -> list[Any]:
    return list(tree(key).iterfind(".//bpmn:userTask", NS))


def properties(element: Any) -> dict[str, str]:
    found = element.iterfind("./bpmn:extensionElements/camunda:properties/camunda:property", NS)
    return {p.get("name"): p.get("value") for p in found}


def form_files(key: str) -> dict[str, Any]:
    folder = PROCESSES / key / "forms"
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))}


@functools.cache
def demo() -> dict[str, Any]:
    return json.loads((ROOT / "engine" / "data" / "demo_organisation.json").read_text(encoding="utf-8"))


def demo_groups() -> set[str]:
    return {group for user in demo()["users"] for group in user["groups"]}


def demo_units() -> set[str]:
    return {unit["name"] for unit in demo()["units"]}


def documented_handlers() -> set[str]:
    """The handler names of the table in processes/README.md ("Service tasks")."""
    text = (PROCESSES / "README.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([a-z_]+\.[a-z_]+)` \|", text, flags=re.MULTILINE))
