"""Which modeler dialect a diagram speaks, judged by the extension namespaces it actually uses.

A declared but unused ``xmlns:camunda`` says nothing (bpmn-js declares it in every file), so only elements
and attributes in a namespace count. The flavour picks the SpiffWorkflow parser and the hints we give.
"""

from __future__ import annotations

from collections import Counter
from typing import Literal

from lxml import etree

from engine.definitions.xml import DMN_NAMESPACES

SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"

Flavour = Literal["spiff", "camunda", "plain"]


def detect(tree: etree._ElementTree) -> Flavour:
    """``spiff`` or ``camunda`` by the extensions used most; ``plain`` when neither is used."""
    used = _namespace_uses(tree.getroot())
    spiff, camunda = used[SPIFF_NS], used[CAMUNDA_NS]
    if spiff == camunda == 0:
        return "plain"
    # A tie can only come from a hand-edited file; Spiff's parser also reads standard BPMN constructs
    # (multi-instance data refs) that Camunda's rejects, so it is the safer pick.
    return "spiff" if spiff >= camunda else "camunda"


def is_dmn(tree: etree._ElementTree) -> bool:
    return etree.QName(tree.getroot()).namespace in DMN_NAMESPACES


def _namespace_uses(root: etree._Element) -> Counter[str]:
    used: Counter[str] = Counter()
    for element in root.iter(etree.Element):
        used[etree.QName(element).namespace or ""] += 1
        for name in element.attrib:
            if name.startswith("{"):
                used[etree.QName(name).namespace or ""] += 1
    return used
