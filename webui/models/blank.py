"""The diagram a new process starts from: a start event joined to an end event, Camunda flavoured."""

from __future__ import annotations

import re
from xml.sax.saxutils import quoteattr

from flask_babel import gettext as _

from engine.errors import InvalidInput

KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,99}")

TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  id="Definitions_{key}" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="{key}" name={name} isExecutable="true">
    <bpmn:startEvent id="start" name={start}><bpmn:outgoing>Flow_start_end</bpmn:outgoing></bpmn:startEvent>
    <bpmn:endEvent id="end" name={end}><bpmn:incoming>Flow_start_end</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_start_end" sourceRef="start" targetRef="end" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram_{key}">
    <bpmndi:BPMNPlane id="Plane_{key}" bpmnElement="{key}">
      <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="180" y="160" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="420" y="160" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="Flow_start_end_di" bpmnElement="Flow_start_end">
        <di:waypoint x="216" y="178" /><di:waypoint x="420" y="178" />
      </bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""


def checked_key(key: str) -> str:
    """``key`` if it can be a process id (a letter or ``_``, then letters, digits, ``_``), else InvalidInput."""
    key = key.strip()
    if not KEY.fullmatch(key):
        raise InvalidInput(
            _("کلید فرایند باید با حرف لاتین آغاز شود و فقط حرف لاتین، رقم و _ داشته باشد."),
            hint="e.g. budget_review",
        )
    return key


def blank_diagram(key: str, name: str) -> str:
    return TEMPLATE.format(
        key=checked_key(key),
        name=quoteattr(name.strip() or key),
        start=quoteattr("آغاز"),  # the diagram's own language, whatever the page's
        end=quoteattr("پایان"),
    )
