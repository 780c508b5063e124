"""Camunda 7 flavoured BPMN text for a :class:`~tools.layout_model.Diagram`: the model and its DI.

bpmn-js and Camunda Modeler open the output unchanged; the text is deterministic, so regenerating a
bundle from its spec reproduces the committed file byte for byte.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from tools.layout_geometry import Layout, Rect, lay_out
from tools.layout_model import Diagram, Flow, Node, Pool
from tools.layout_routing import Router

NS = (
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
    'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
    'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
)


def render(diagram: Diagram) -> str:
    layout, kinds = lay_out(diagram), diagram.kinds()
    router = Router(layout, kinds, diagram.parents())
    flows = [f for p in diagram.pools for f in p.flows]
    # The main path is routed first, so loops back and boundary paths bend around it, not it around them.
    routes = {f.id: router.route(f) for f in sorted(flows, key=lambda f: _is_return(f, layout, kinds))}
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


def _is_return(flow: Flow, layout: Layout, kinds: dict[str, str]) -> bool:
    source, target = layout.rects[flow.source], layout.rects[flow.target]
    return target.cx < source.cx - 1 or kinds.get(flow.source) == "boundary"


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
