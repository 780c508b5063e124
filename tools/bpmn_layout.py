"""Write a bundle's ``process.bpmn`` (model and diagram) from a compact description of lanes and nodes.

A description (``tools/process_specs/<key>.py``, function ``diagram()``) places every node in a lane, a
row of that lane and a column; this module turns the grid into coordinates, routes every sequence
flow orthogonally around the shapes (refusing a route that would cross one), and writes Camunda 7
flavoured BPMN that bpmn-js opens unchanged. Regenerating from the description reproduces the file:

    .venv/bin/python -m tools.bpmn_layout budget_oversight      # write processes/budget_oversight/
    .venv/bin/python -m tools.bpmn_layout --check                # every spec matches its committed file
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import itertools
import sys
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parents[1]
SPECS = Path(__file__).resolve().parent / "process_specs"
COL_W, ROW_H, LANE_PAD, POOL_X, LABEL_W, POOL_GAP = 160, 120, 10, 120, 30, 40
OVERLAP = 2000  # the cost of a route running along another one
X0 = POOL_X + 2 * LABEL_W + 70
SIZES = {"event": (36, 36), "gateway": (50, 50), "activity": (100, 80)}
NS = (
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
    'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
    'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
)


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


# -- geometry -------------------------------------------------------------------------------------


@dataclasses.dataclass
class Layout:
    rects: dict[str, Rect]
    ports: dict[str, float]  # subProcess id -> y where flows meet it
    lanes: dict[str, Rect]
    pools: dict[str, Rect]
    rows: list[float]  # y of the channels beside every row band boundary
    xs: list[float]  # x of the channels between columns


def lay_out(diagram: Diagram) -> Layout:
    out = Layout({}, {}, {}, {}, [], [])
    y = 60.0
    for pool in diagram.pools:
        top = y
        width = max(n.col for n in pool.nodes) * COL_W + (X0 - POOL_X) + 110
        for lane_id, _, *least in pool.lanes:
            rows = max(1 + max((n.row for n in pool.nodes if n.lane == lane_id), default=0), *least, 1)
            out.lanes[lane_id] = Rect(POOL_X + LABEL_W, y, width - LABEL_W, rows * ROW_H + 2 * LANE_PAD)
            out.rows += [y + LANE_PAD + r * ROW_H + d for r in range(rows + 1) for d in (-10, 0, 10)]
            y += rows * ROW_H + 2 * LANE_PAD
        out.pools[pool.process_id] = Rect(POOL_X, top, width, y - top)
        _place(pool, out)
        y += POOL_GAP
    cols = sorted({n.col for p in diagram.pools for n in p.nodes if n.kind != "subProcess"})
    gaps = [cols[0] - 0.5, *((a + b) / 2 for a, b in itertools.pairwise(cols)), cols[-1] + 0.5]
    out.xs = [X0 + g * COL_W + d for g in gaps for d in (-12, 0, 12)]
    return out


def _place(pool: Pool, out: Layout) -> None:
    by_id = {n.id: n for n in pool.nodes}
    for n in pool.nodes:
        if n.kind == "subProcess" or n.attached:
            continue
        w, h = SIZES[n.shape]
        cx, cy = X0 + n.col * COL_W, out.lanes[n.lane].y + LANE_PAD + n.row * ROW_H + ROW_H / 2
        out.rects[n.id] = Rect(cx - w / 2, cy - h / 2, w, h)
    _attach(pool, out, by_id)
    for n in pool.nodes:
        if n.kind == "subProcess":
            inner = [out.rects[c.id] for c in pool.nodes if c.parent == n.id and c.id in out.rects]
            left, top = min(r.x for r in inner) - 30, min(r.y for r in inner) - 28
            right, bottom = max(r.x + r.w for r in inner) + 30, max(r.y + r.h for r in inner) + 30
            out.rects[n.id] = Rect(left, top, right - left, bottom - top)
            row = n.anchor_row if n.anchor_row is not None else n.row
            out.ports[n.id] = out.lanes[n.lane].y + LANE_PAD + row * ROW_H + ROW_H / 2
    _attach(pool, out, by_id)


def _attach(pool: Pool, out: Layout, by_id: dict[str, Node]) -> None:
    """Boundary events sit on their host's bottom edge (hosts placed so far)."""
    for n in pool.nodes:
        if n.attached and n.attached in out.rects:
            host = out.rects[by_id[n.attached].id]
            out.rects[n.id] = Rect(host.x + n.at * host.w - 18, host.y + host.h - 18, 36, 36)


# -- routing --------------------------------------------------------------------------------------

Point = tuple[float, float]
_DIRS = {"right": (1, 0), "left": (-1, 0), "top": (0, -1), "bottom": (0, 1)}
_ENTRY = {"left": (1, 0), "right": (-1, 0), "top": (0, 1), "bottom": (0, -1)}
_EXIT_COST = {"gateway": {"left": 80}, "boundary": {}, "other": {"top": 50, "bottom": 50, "left": 100}}
_ENTRY_COST = {
    "activity": {"top": 40, "bottom": 40, "right": 100},
    "other": {"top": 20, "bottom": 20, "right": 100},
}


@dataclasses.dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def overlaps(self, other: Rect) -> bool:
        return (self.x < other.x + other.w and other.x < self.x + self.w
                and self.y < other.y + other.h and other.y < self.y + self.h)  # fmt: skip

    def contains(self, other: Rect) -> bool:
        return (self.x <= other.x and self.y <= other.y and other.x + other.w <= self.x + self.w
                and other.y + other.h <= self.y + self.h)  # fmt: skip

    def hit(self, a: Point, b: Point, margin: float = 6) -> bool:
        """Does the axis-parallel segment a-b pass through this rectangle (grown by ``margin``)?"""
        left, right = min(a[0], b[0]), max(a[0], b[0])
        top, bottom = min(a[1], b[1]), max(a[1], b[1])
        return (left < self.x + self.w + margin and right > self.x - margin
                and top < self.y + self.h + margin and bottom > self.y - margin)  # fmt: skip


class Router:
    """Orthogonal routes that avoid every shape but their own ends; the cheapest route wins."""

    def __init__(self, layout: Layout, kinds: dict[str, str], parents: dict[str, str]) -> None:
        self.layout, self.kinds, self.parents = layout, kinds, parents
        self.done: list[tuple[Point, Point, str, str]] = []  # segment, source, target

    def route(self, flow: Flow) -> list[Point]:
        found, cost = self._best(flow, self.layout.xs, self.layout.rows, extra=False)
        if found is None or cost >= OVERLAP:  # try routes with more bends near the two ends
            a, b = self.layout.rects[flow.source], self.layout.rects[flow.target]
            xs = [x for x in self.layout.xs if min(a.x, b.x) - 2 * COL_W < x < max(a.x, b.x) + 2 * COL_W]
            ys = [y for y in self.layout.rows if min(a.y, b.y) - 2 * ROW_H < y < max(a.y, b.y) + 2 * ROW_H]
            more, more_cost = self._best(flow, xs, ys, extra=True)
            found = more if more_cost < cost else found
        if found is None:
            raise ValueError(f"flow {flow.id}: no route avoids the shapes; move a node or force its sides")
        self.done += [(a, b, flow.source, flow.target) for a, b in itertools.pairwise(found)]
        return found

    def _best(
        self, flow: Flow, xs: list[float], ys: list[float], *, extra: bool
    ) -> tuple[list[Point] | None, float]:
        best, best_cost = None, float("inf")
        for exit_side in self._sides(flow.source, flow.sides[0], leaving=True):
            for entry_side in self._sides(flow.target, flow.sides[1], leaving=False):
                p, q = self._port(flow.source, exit_side), self._port(flow.target, entry_side)
                for path in _paths(p, q, exit_side, entry_side, xs, ys, extra=extra):
                    if not self._valid(path, flow, exit_side, entry_side):
                        continue
                    cost = self._cost(path, flow, exit_side, entry_side)
                    if cost < best_cost:
                        best, best_cost = path, cost
        return best, best_cost

    def _sides(self, ident: str, forced: str | None, *, leaving: bool) -> list[str]:
        if forced:
            return [forced]
        if leaving and self.kinds[ident] == "boundary":
            return ["bottom"]
        return list(_DIRS)

    def _port(self, ident: str, side: str) -> Point:
        r = self.layout.rects[ident]
        y = self.layout.ports.get(ident, r.cy)
        return {"right": (r.x + r.w, y), "left": (r.x, y), "top": (r.cx, r.y), "bottom": (r.cx, r.y + r.h)}[
            side
        ]

    def _valid(self, path: list[Point], flow: Flow, exit_side: str, entry_side: str) -> bool:
        segments = list(itertools.pairwise(path))
        if _direction(*segments[0]) != _DIRS[exit_side] or _direction(*segments[-1]) != _ENTRY[entry_side]:
            return False
        if any(_direction(*a) == tuple(-v for v in _direction(*b)) for a, b in itertools.pairwise(segments)):
            return False
        if len(segments) > 1 and min(abs(a[0] - b[0]) + abs(a[1] - b[1]) for a, b in segments) < 12:
            return False  # a stub of a few pixels reads as a glitch
        skip = {flow.source, flow.target, *self._ancestors(flow.source), *self._ancestors(flow.target)}
        obstacles = [r for k, r in self.layout.rects.items() if k not in skip]
        if any(r.hit(a, b) for a, b in segments for r in obstacles):
            return False
        box = self.parents.get(flow.source)
        return box is None or all(self.layout.rects[box].hit(pt, pt, -4) for pt in path)

    def _ancestors(self, ident: str) -> list[str]:
        found = []
        while ident in self.parents:
            ident = self.parents[ident]
            found.append(ident)
        return found

    def _cost(self, path: list[Point], flow: Flow, exit_side: str, entry_side: str) -> float:
        segments = list(itertools.pairwise(path))
        cost = sum(abs(a[0] - b[0]) + abs(a[1] - b[1]) for a, b in segments) + 25 * (len(path) - 2)
        source = self.kinds[flow.source]
        cost += _EXIT_COST.get(source, _EXIT_COST["other"]).get(exit_side, 0)
        target = self.kinds[flow.target]
        cost += _ENTRY_COST.get(target, _ENTRY_COST["other"]).get(entry_side, 0)
        for a, b in segments:
            for c, d, source, target in self.done:
                # Flows that fan out of one node or into one node may share their trunk, as drawn by hand.
                shared = source == flow.source or target == flow.target
                if _collinear(a, b, c, d):
                    cost += 150 if shared else OVERLAP
                elif not shared and _crossing(a, b, c, d):
                    cost += 12
        return cost


def _direction(a: Point, b: Point) -> tuple[int, int]:
    return ((b[0] > a[0]) - (b[0] < a[0]), (b[1] > a[1]) - (b[1] < a[1]))


def _paths(p: Point, q: Point, exit_side: str, entry_side: str, xs: list[float], ys: list[float], *,
           extra: bool) -> list[list[Point]]:  # fmt: skip
    """Orthogonal polylines from p to q with the bends a human would draw (three at most)."""
    flat_out, flat_in = exit_side in ("left", "right"), entry_side in ("left", "right")
    if flat_out and flat_in:
        found = [[p, q]] if p[1] == q[1] else []
        return found + [[p, (x, p[1]), (x, q[1]), q] for x in [*xs, p[0], q[0]]]
    if not flat_out and not flat_in:
        found = [[p, q]] if p[0] == q[0] else []
        return found + [[p, (p[0], y), (q[0], y), q] for y in ys]
    corner = (q[0], p[1]) if flat_out else (p[0], q[1])
    found = [[p, corner, q]]
    if extra and flat_out:
        found += [[p, (x, p[1]), (x, y), (q[0], y), q] for x in xs for y in ys]
    elif extra:
        found += [[p, (p[0], y), (x, y), (x, q[1]), q] for x in xs for y in ys]
    return found


def _collinear(a: Point, b: Point, c: Point, d: Point) -> bool:
    if a[0] == b[0] == c[0] == d[0]:
        return min(max(a[1], b[1]), max(c[1], d[1])) - max(min(a[1], b[1]), min(c[1], d[1])) > 1
    if a[1] == b[1] == c[1] == d[1]:
        return min(max(a[0], b[0]), max(c[0], d[0])) - max(min(a[0], b[0]), min(c[0], d[0])) > 1
    return False


def _crossing(a: Point, b: Point, c: Point, d: Point) -> bool:
    if a[1] == b[1] and c[0] == d[0]:
        a, b, c, d = c, d, a, b
    if not (a[0] == b[0] and c[1] == d[1]):
        return False
    return min(c[0], d[0]) < a[0] < max(c[0], d[0]) and min(a[1], b[1]) < c[1] < max(a[1], b[1])


# -- XML ------------------------------------------------------------------------------------------


def render(diagram: Diagram) -> str:
    layout = lay_out(diagram)
    router = Router(layout, _kinds(diagram), _parents(diagram))
    flows = [f for p in diagram.pools for f in p.flows]
    # The main path is routed first, so loops back and boundary paths bend around it, not it around them.
    routes = {f.id: router.route(f) for f in sorted(flows, key=lambda f: _is_return(f, layout, diagram))}
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<bpmn:definitions {NS} id="Definitions_{diagram.key}" '
             f'targetNamespace="http://nezarat.ir/processes/{diagram.key}">']  # fmt: skip
    lines += [f'  <bpmn:error id="Error_{c}" name="{c}" errorCode="{c}" />' for c in diagram.errors()]
    lines.append(f'  <bpmn:collaboration id="Collaboration_{diagram.key}">')
    for p in diagram.pools:
        lines.append(f'    <bpmn:participant id="Participant_{p.process_id}" name={quoteattr(p.participant)} '
                     f'processRef="{p.process_id}" />')  # fmt: skip
    lines.append("  </bpmn:collaboration>")
    for p in diagram.pools:
        lines += _process(p)
    lines += _diagram(diagram, layout, routes)
    lines.append("</bpmn:definitions>")
    return "\n".join(lines) + "\n"


def _is_return(flow: Flow, layout: Layout, diagram: Diagram) -> bool:
    source, target = layout.rects[flow.source], layout.rects[flow.target]
    return target.cx < source.cx - 1 or (
        flow.source in _kinds(diagram) and _kinds(diagram)[flow.source] == "boundary"
    )


def _parents(diagram: Diagram) -> dict[str, str]:
    return {n.id: n.parent for p in diagram.pools for n in p.nodes if n.parent}


def _kinds(diagram: Diagram) -> dict[str, str]:
    kinds = {}
    for n in (n for p in diagram.pools for n in p.nodes):
        kinds[n.id] = "boundary" if n.attached else "subprocess" if n.kind == "subProcess" else n.shape
    return kinds


def _process(p: Pool) -> list[str]:
    extra = "".join(f" {k}={quoteattr(v)}" for k, v in p.attrs.items())
    out = [f'  <bpmn:process id="{p.process_id}" name={quoteattr(p.name)} isExecutable="true"{extra}>']
    if p.doc:
        out.append(f"    <bpmn:documentation>{escape(p.doc)}</bpmn:documentation>")
    out.append(f'    <bpmn:laneSet id="LaneSet_{p.process_id}">')
    for lane_id, lane_name, *_ in p.lanes:
        out.append(f'      <bpmn:lane id="{lane_id}" name={quoteattr(lane_name)}>')
        refs = [n.id for n in p.nodes if n.lane == lane_id and not n.parent]
        out += [f"        <bpmn:flowNodeRef>{ref}</bpmn:flowNodeRef>" for ref in refs]
        out.append("      </bpmn:lane>")
    out.append("    </bpmn:laneSet>")
    out += _elements(p, None, "    ")
    out.append("  </bpmn:process>")
    return out


def _elements(p: Pool, parent: str | None, pad: str) -> list[str]:
    out: list[str] = []
    for n in (n for n in p.nodes if n.parent == parent):
        out += _element(p, n, pad)
    for f in p.flows:
        if _owner(p, f.source) == parent:
            out += _flow(f, pad)
    return out


def _owner(p: Pool, ident: str) -> str | None:
    return next(n.parent for n in p.nodes if n.id == ident)


def _element(p: Pool, n: Node, pad: str) -> list[str]:
    attrs = f'id="{n.id}"' + (f" name={quoteattr(n.name)}" if n.name else "")
    if n.attached:
        attrs += f' attachedToRef="{n.attached}"' + ("" if n.interrupting else ' cancelActivity="false"')
    attrs += "".join(f" {k}={quoteattr(v)}" for k, v in n.attrs.items())
    attrs += f' calledElement="{n.called}"' if n.called else ""
    attrs += f' default="{n.default}"' if n.default else ""
    attrs += ' scriptFormat="python"' if n.script is not None else ""
    body = [f"{pad}  <bpmn:documentation>{escape(n.doc)}</bpmn:documentation>"] if n.doc else []
    body += _extensions(n, pad + "  ")
    body += [f"{pad}  <bpmn:incoming>{f.id}</bpmn:incoming>" for f in p.flows if f.target == n.id]
    body += [f"{pad}  <bpmn:outgoing>{f.id}</bpmn:outgoing>" for f in p.flows if f.source == n.id]
    if n.mi:
        body.append(f'{pad}  <bpmn:multiInstanceLoopCharacteristics camunda:collection="{n.mi[0]}" '
                    f'camunda:elementVariable="{n.mi[1]}" />')  # fmt: skip
    body += _definition(n, pad + "  ")
    if n.script is not None:
        body.append(f"{pad}  <bpmn:script>{escape(n.script)}</bpmn:script>")
    if n.kind == "subProcess":
        body += _elements(p, n.id, pad + "  ")
    if not body:
        return [f"{pad}<bpmn:{n.kind} {attrs} />"]
    return [f"{pad}<bpmn:{n.kind} {attrs}>", *body, f"{pad}</bpmn:{n.kind}>"]


def _extensions(n: Node, pad: str) -> list[str]:
    if not n.props and not n.inputs:
        return []
    out = [f"{pad}<bpmn:extensionElements>"]
    if n.props:
        out.append(f"{pad}  <camunda:properties>")
        out += [f'{pad}    <camunda:property name="{k}" value={quoteattr(v)} />' for k, v in n.props.items()]
        out.append(f"{pad}  </camunda:properties>")
    if n.inputs:
        out.append(f"{pad}  <camunda:inputOutput>")
        out += [f'{pad}    <camunda:inputParameter name="{k}">{escape(v)}</camunda:inputParameter>'
                for k, v in n.inputs.items()]  # fmt: skip
        out.append(f"{pad}  </camunda:inputOutput>")
    return [*out, f"{pad}</bpmn:extensionElements>"]


def _definition(n: Node, pad: str) -> list[str]:
    if n.timer:
        kind, value = n.timer
        return [f'{pad}<bpmn:timerEventDefinition id="TimerDef_{n.id}">',
                f'{pad}  <bpmn:{kind} xsi:type="bpmn:tFormalExpression">{escape(value)}</bpmn:{kind}>',
                f"{pad}</bpmn:timerEventDefinition>"]  # fmt: skip
    if n.error:
        return [f'{pad}<bpmn:errorEventDefinition id="ErrorDef_{n.id}" errorRef="Error_{n.error}" />']
    return []


def _flow(f: Flow, pad: str) -> list[str]:
    head = f'{pad}<bpmn:sequenceFlow id="{f.id}"' + (f" name={quoteattr(f.name)}" if f.name else "")
    head += f' sourceRef="{f.source}" targetRef="{f.target}"'
    if not f.condition:
        return [head + " />"]
    return [head + ">",
            f'{pad}  <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{escape(f.condition)}'
            "</bpmn:conditionExpression>", f"{pad}</bpmn:sequenceFlow>"]  # fmt: skip


def _diagram(diagram: Diagram, layout: Layout, routes: dict[str, list[tuple[float, float]]]) -> list[str]:
    out = [f'  <bpmndi:BPMNDiagram id="Diagram_{diagram.key}">',
           f'    <bpmndi:BPMNPlane id="Plane_{diagram.key}" bpmnElement="Collaboration_{diagram.key}">']  # fmt: skip
    for p in diagram.pools:
        out.append(_shape(f"Participant_{p.process_id}", layout.pools[p.process_id], ' isHorizontal="true"'))
        out += [_shape(lane[0], layout.lanes[lane[0]], ' isHorizontal="true"') for lane in p.lanes]
        for n in p.nodes:
            extra = ' isExpanded="true"' if n.kind == "subProcess" else ""
            extra += ' isMarkerVisible="true"' if n.kind == "exclusiveGateway" else ""
            out.append(_shape(n.id, layout.rects[n.id], extra, _node_label(n, layout.rects[n.id])))
        for f in p.flows:
            out.append(_edge(f, routes[f.id]))
    return [*out, "    </bpmndi:BPMNPlane>", "  </bpmndi:BPMNDiagram>"]


def _shape(ident: str, r: Rect, extra: str = "", label: Rect | None = None) -> str:
    text = f'      <bpmndi:BPMNShape id="{ident}_di" bpmnElement="{ident}"{extra}>{_bounds(r)}'
    if label is not None:
        text += f"<bpmndi:BPMNLabel>{_bounds(label)}</bpmndi:BPMNLabel>"
    return text + "</bpmndi:BPMNShape>"


def _bounds(r: Rect) -> str:
    return f'<dc:Bounds x="{r.x:g}" y="{r.y:g}" width="{r.w:g}" height="{r.h:g}" />'


def _label_box(text: str, width: float = 90) -> tuple[float, float]:
    chars = max(1, len(text))
    w = min(width, chars * 5.5 + 6)
    return w, 14 * (1 + int(chars * 5.5 // width))


def _node_label(n: Node, r: Rect) -> Rect | None:
    if not n.name or n.shape == "activity":
        return None
    w, h = _label_box(n.name)
    if n.attached:
        return Rect(r.x + r.w - 4, r.y + r.h + 2, w, h)
    if n.shape == "gateway":
        return Rect(r.x - w + 8, r.y - h + 4, w, h)  # up and to the left, clear of the flows leaving it
    return Rect(r.x + r.w / 2 - w / 2, r.y + r.h + 5, w, h)


def _edge(f: Flow, points: list[tuple[float, float]]) -> str:
    ways = "".join(f'<di:waypoint x="{x:g}" y="{y:g}" />' for x, y in points)
    label = ""
    if f.name:
        w, h = _label_box(f.name, 70)
        (x0, y0), (_x1, y1) = points[0], points[1]
        box = (
            Rect(x0 + 6, y0 - h - 3, w, h)
            if y0 == y1
            else Rect(x0 + 6, y0 + (8 if y1 > y0 else -h - 8), w, h)
        )
        label = f"<bpmndi:BPMNLabel>{_bounds(box)}</bpmndi:BPMNLabel>"
    return f'      <bpmndi:BPMNEdge id="{f.id}_di" bpmnElement="{f.id}">{ways}{label}</bpmndi:BPMNEdge>'


# -- command line ---------------------------------------------------------------------------------


def spec_keys() -> list[str]:
    return sorted(p.stem for p in SPECS.glob("*.py") if not p.stem.startswith("_"))


def generate(key: str) -> str:
    module = importlib.import_module(f"tools.process_specs.{key}")
    return render(module.diagram())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("keys", nargs="*", help="bundle keys (default: every spec)")
    parser.add_argument(
        "--check", action="store_true", help="compare with the committed files, write nothing"
    )
    args = parser.parse_args(argv)
    stale = []
    for key in args.keys or spec_keys():
        target = ROOT / "processes" / key / "process.bpmn"
        text = generate(key)
        if args.check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                stale.append(key)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT)}")
    for key in stale:
        print(
            f"stale: processes/{key}/process.bpmn differs from tools/process_specs/{key}.py", file=sys.stderr
        )
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
