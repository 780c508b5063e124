"""Every bundle's diagram is drawable as shipped: one shape per node, nothing stacked, every flow drawn.

Process owners read these diagrams in bpmn-js, so a missing or overlapping shape is a defect even
when the engine runs the process fine.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from tests.processes.conftest import BUNDLES, NS, ROOT, flow_nodes, tree

GENERATED = sorted(
    p.stem for p in (ROOT / "tools" / "process_specs").glob("*.py") if not p.stem.startswith("_")
)


@dataclasses.dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: Box) -> bool:
        return (self.x < other.x + other.w and other.x < self.x + self.w
                and self.y < other.y + other.h and other.y < self.y + self.h)  # fmt: skip


def shapes(key: str) -> dict[str, list[Box]]:
    found: dict[str, list[Box]] = {}
    for shape in tree(key).iterfind(".//bpmndi:BPMNShape", NS):
        bounds = shape.find("dc:Bounds", NS)
        box = Box(*(float(bounds.get(k)) for k in ("x", "y", "width", "height")))
        found.setdefault(shape.get("bpmnElement"), []).append(box)
    return found


def exempt(a: Any, b: Any) -> bool:
    """A boundary event sits on its host's edge, and a sub-process's nodes are drawn inside it."""
    pairs = ((a, b), (b, a))
    return any(x.get("attachedToRef") == y.get("id") or y in x.iterancestors() for x, y in pairs)


@pytest.mark.parametrize("key", BUNDLES)
def test_every_flow_node_lane_and_participant_has_exactly_one_shape(key: str) -> None:
    drawn = shapes(key)
    elements = flow_nodes(key) + list(tree(key).iterfind(".//bpmn:lane", NS))
    elements += list(tree(key).iterfind(".//bpmn:participant", NS))
    missing = [el.get("id") for el in elements if len(drawn.get(el.get("id"), [])) != 1]
    assert missing == []


@pytest.mark.parametrize("key", BUNDLES)
def test_no_two_flow_node_shapes_overlap(key: str) -> None:
    drawn = shapes(key)
    nodes = flow_nodes(key)
    clashes = [
        (a.get("id"), b.get("id"))
        for i, a in enumerate(nodes)
        for b in nodes[i + 1 :]
        if drawn[a.get("id")][0].overlaps(drawn[b.get("id")][0]) and not exempt(a, b)
    ]
    assert clashes == []


@pytest.mark.parametrize("key", BUNDLES)
def test_every_sequence_flow_is_drawn_with_at_least_two_waypoints(key: str) -> None:
    edges = {edge.get("bpmnElement"): edge for edge in tree(key).iterfind(".//bpmndi:BPMNEdge", NS)}
    for flow in tree(key).iterfind(".//bpmn:sequenceFlow", NS):
        edge = edges.get(flow.get("id"))
        assert edge is not None, f"{flow.get('id')} is not drawn"
        assert len(edge.findall("di:waypoint", NS)) >= 2, flow.get("id")


@pytest.mark.parametrize("key", GENERATED)
def test_a_generated_diagram_is_reproduced_by_its_description(key: str) -> None:
    from tools.bpmn_layout import generate

    committed = (ROOT / "processes" / key / "process.bpmn").read_text(encoding="utf-8")
    assert generate(key) == committed, f"run: python -m tools.bpmn_layout {key}"
