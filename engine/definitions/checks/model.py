"""The lxml tree of one diagram, indexed once so every rule reads it cheaply."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Collection, Iterator
from pathlib import PurePosixPath

from lxml import etree

from engine.definitions import flavour
from engine.definitions.flavour import CAMUNDA_NS, SPIFF_NS, Flavour
from engine.definitions.xml import BPMN_NS

_OMG_PREFIXES = ("{http://www.omg.org/spec/", "{https://www.omg.org/spec/")


@dataclasses.dataclass(frozen=True)
class Finding:
    """One problem a rule found; the registry adds the code, severity and file."""

    message: str
    element: str | None
    line: int | None
    hint: str | None = None


def at(element: etree._Element, message: str, hint: str | None = None, *, line: int | None = None) -> Finding:
    """A finding placed on ``element`` (its id and source line unless ``line`` says otherwise)."""
    return Finding(message, _owner_id(element), line or element.sourceline, hint)


def describe(element: etree._Element) -> str:
    """``userTask 'Task_1'``: how messages name an element."""
    name = etree.QName(element).localname
    ident = element.get("id")
    return f"{name} '{ident}'" if ident else name


@dataclasses.dataclass(frozen=True)
class Model:
    root: etree._Element
    filename: str
    forms: frozenset[str]
    has_forms: bool  # False for a lone diagram with no forms/ folder (an imported third-party file)
    flavour: Flavour
    is_dmn: bool
    ids: frozenset[str]
    lane_members: frozenset[str]
    outgoing: dict[str, list[etree._Element]]

    @classmethod
    def build(cls, tree: etree._ElementTree, filename: str, forms: Collection[str] | None) -> Model:
        root = tree.getroot()
        flows: defaultdict[str, list[etree._Element]] = defaultdict(list)
        for flow in root.iter(bpmn("sequenceFlow")):
            flows[flow.get("sourceRef", "")].append(flow)
        members = {(ref.text or "").strip() for ref in root.iter(bpmn("flowNodeRef"))}
        return cls(
            root=root,
            filename=filename,
            forms=frozenset(PurePosixPath(name).name for name in forms or ()),
            has_forms=forms is not None,
            flavour=flavour.detect(tree),
            is_dmn=flavour.is_dmn(tree),
            ids=frozenset(el.get("id") for el in omg_elements(root) if el.get("id")),
            lane_members=frozenset(members),
            outgoing=dict(flows),
        )

    def elements(self, *names: str) -> Iterator[etree._Element]:
        """BPMN elements with these local names, in document order."""
        return self.root.iter(*(bpmn(name) for name in names))


def bpmn(name: str) -> str:
    return f"{{{BPMN_NS}}}{name}"


def spiff(name: str) -> str:
    return f"{{{SPIFF_NS}}}{name}"


def camunda(element: etree._Element, name: str) -> str:
    """A ``camunda:`` attribute's value, stripped; empty when absent."""
    return (element.get(f"{{{CAMUNDA_NS}}}{name}") or "").strip()


def extensions(element: etree._Element, name: str) -> list[etree._Element]:
    """Spiff extension elements called ``name`` directly under ``element``'s extensionElements."""
    return element.findall(f"{bpmn('extensionElements')}/{spiff(name)}")


def spiff_properties(element: etree._Element) -> dict[str, str]:
    found = element.iterfind(f"{bpmn('extensionElements')}/{spiff('properties')}/{spiff('property')}")
    return {prop.get("name", ""): (prop.get("value") or "").strip() for prop in found}


def omg_elements(root: etree._Element) -> Iterator[etree._Element]:
    """Elements in the BPMN/DMN/DI namespaces; extension ids (Spiff parameter ids) are not XML ids."""
    return (el for el in root.iter(etree.Element) if el.tag.startswith(_OMG_PREFIXES))


def _owner_id(element: etree._Element) -> str | None:
    # Script and expression holders (preScript, conditionExpression) rarely carry an id; name the owner.
    for candidate in (element, *element.iterancestors()):
        ident = candidate.get("id")
        if ident and candidate.tag.startswith(_OMG_PREFIXES):
            return ident
    return None
