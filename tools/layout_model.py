"""The description a process spec writes: pools of lanes, nodes placed on a grid, and flows.

``tools/process_specs/<key>.py`` builds a :class:`Diagram` from these classes and the small builders
(``user``, ``service``, ``boundary``, ``node``); :mod:`tools.layout_geometry` turns its grid into
coordinates and :mod:`tools.layout_xml` writes it out.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass
class Node:
    """One flow node; ``kind`` is the BPMN element name (``userTask``, ``exclusiveGateway`` …)."""

    id: str
    kind: str
    name: str | None
    lane: str
    col: float
    row: int = 0
    attrs: dict[str, str] = dataclasses.field(default_factory=dict)
    props: dict[str, str] = dataclasses.field(default_factory=dict)
    inputs: dict[str, str] = dataclasses.field(default_factory=dict)
    doc: str | None = None
    timer: tuple[str, str] | None = None  # ("timeDuration", "P20D")
    error: str | None = None  # error code caught or thrown
    attached: str | None = None
    interrupting: bool = True
    at: float = 0.8  # where on the host's bottom edge a boundary event sits (0 left … 1 right)
    mi: tuple[str, str] | None = None  # (camunda:collection, camunda:elementVariable)
    script: str | None = None
    called: str | None = None
    default: str | None = None
    parent: str | None = None  # the expanded subProcess this node is drawn in
    anchor_row: int | None = None  # subProcess: the row its incoming and outgoing flows meet

    @property
    def shape(self) -> str:
        if self.kind.endswith("Event"):
            return "event"
        return "gateway" if self.kind.endswith("Gateway") else "activity"


@dataclasses.dataclass
class Flow:
    id: str
    source: str
    target: str
    name: str | None = None
    condition: str | None = None
    sides: tuple[str | None, str | None] = (None, None)  # force the exit and entry sides


@dataclasses.dataclass
class Pool:
    process_id: str
    name: str
    participant: str
    lanes: list[tuple[str, str] | tuple[str, str, int]]  # (id, Persian name[, least number of rows])
    nodes: list[Node]
    flows: list[Flow]
    doc: str | None = None
    attrs: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class Diagram:
    key: str
    pools: list[Pool]

    def errors(self) -> list[str]:
        return sorted({n.error for p in self.pools for n in p.nodes if n.error})

    def kinds(self) -> dict[str, str]:
        """Each node's routing kind: ``boundary``, ``subprocess``, or its shape."""
        kinds = {}
        for n in (n for p in self.pools for n in p.nodes):
            kinds[n.id] = "boundary" if n.attached else "subprocess" if n.kind == "subProcess" else n.shape
        return kinds

    def parents(self) -> dict[str, str]:
        """The expanded subProcess each nested node is drawn in."""
        return {n.id: n.parent for p in self.pools for n in p.nodes if n.parent}


def node(kind: str, ident: str, name: str | None, lane: str, col: float, row: int = 0, **kw: object) -> Node:
    return Node(ident, kind, name, lane, col, row, **kw)  # type: ignore[arg-type]


def user(ident: str, name: str, lane: str, col: float, row: int = 0, *, group: str, form: str | None = None,
         **kw: object) -> Node:  # fmt: skip
    attrs = {"camunda:candidateGroups": group, **({"camunda:formKey": form} if form else {})}
    return node("userTask", ident, name, lane, col, row, attrs=attrs, **kw)


def service(ident: str, name: str, lane: str, col: float, row: int = 0, *, topic: str, **kw: object) -> Node:
    attrs = {"camunda:type": "external", "camunda:topic": topic}
    return node("serviceTask", ident, name, lane, col, row, attrs=attrs, **kw)


def boundary(ident: str, name: str, host: Node, **kw: object) -> Node:
    return node("boundaryEvent", ident, name, host.lane, host.col, host.row, attached=host.id,
                parent=host.parent, **kw)  # fmt: skip
