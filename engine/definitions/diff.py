"""What changed between two versions of a diagram: elements added, removed and changed, by id.

Both files are loaded by :func:`engine.definitions.xml.load` (hardened, size-capped), so a diff never
parses XML any other way. Every BPMN element with an id is compared with the element of the same id in
the other file through its *facets*: its attributes (``name``, ``camunda:candidateGroups`` …) and what its
own children without an id say (``property sla``, ``input to``, ``conditionExpression``,
``timerEventDefinition/timeDuration`` …). Children with an id are elements of their own. Layout (the DI
part) and the ``incoming``/``outgoing`` references, which only repeat what the flows say, are left out.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from lxml import etree

from engine.definitions import xml
from engine.definitions.flavour import CAMUNDA_NS, SPIFF_NS

PREFIXES = {xml.BPMN_NS: "", CAMUNDA_NS: "camunda:", SPIFF_NS: "spiff:"}
SKIPPED = frozenset({"incoming", "outgoing"})
# Wrappers whose children are read as if they were the element's own.
TRANSPARENT = frozenset(
    {"extensionElements", "camunda:properties", "camunda:inputOutput", "spiff:properties"}
)
Facets = dict[str, str]


@dataclasses.dataclass(frozen=True)
class Element:
    id: str
    kind: str
    name: str | None


@dataclasses.dataclass(frozen=True)
class Change:
    facet: str
    before: str | None
    after: str | None


@dataclasses.dataclass(frozen=True)
class Changed:
    element: Element
    changes: list[Change]


@dataclasses.dataclass(frozen=True)
class Diff:
    added: list[Element]
    removed: list[Element]
    changed: list[Changed]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def diff(before: bytes, after: bytes, *, max_bytes: int = xml.MAX_BYTES) -> Diff:
    """The difference from ``before`` to ``after`` (two BPMN files), elements in document order."""
    old = elements_of(xml.load(before, filename="before.bpmn", max_bytes=max_bytes))
    new = elements_of(xml.load(after, filename="after.bpmn", max_bytes=max_bytes))
    changed = []
    for key, (element, facets) in new.items():
        if key in old:
            changes = compare(old[key][1], facets)
            if changes:
                changed.append(Changed(element, changes))
    return Diff(
        added=[element for key, (element, _) in new.items() if key not in old],
        removed=[element for key, (element, _) in old.items() if key not in new],
        changed=changed,
    )


def elements_of(tree: etree._ElementTree) -> dict[str, tuple[Element, Facets]]:
    """Each BPMN element with an id (the root excluded), with its facets, in document order."""
    found: dict[str, tuple[Element, Facets]] = {}
    for node in tree.getroot().iter(f"{{{xml.BPMN_NS}}}*"):
        ident = node.get("id")
        if not ident or node is tree.getroot() or ident in found:
            continue
        kind = etree.QName(node).localname
        found[ident] = (Element(ident, kind, node.get("name")), facets_of(node))
    return found


def facets_of(node: etree._Element) -> Facets:
    facets = {_qualified(k): v for k, v in node.attrib.items() if k != "id"}
    _children(node, "", facets)
    return facets


def _children(node: etree._Element, prefix: str, facets: Facets) -> None:
    """Flatten the children of ``node`` that have no id into ``facets``, keyed by their path."""
    groups: defaultdict[str, list[etree._Element]] = defaultdict(list)
    for child in node:
        if not isinstance(child.tag, str) or child.get("id"):
            continue
        name = _qualified(child.tag)
        if name in TRANSPARENT:
            _children(child, prefix, facets)
        elif name not in SKIPPED:
            groups[_segment(child, name)].append(child)
    for segment, nodes in groups.items():
        path = prefix + segment
        if len(nodes) > 1 and all(len(n) == 0 and not n.attrib for n in nodes):
            facets[path] = ", ".join(sorted((n.text or "").strip() for n in nodes))
            continue
        for index, child in enumerate(nodes):
            _leaf(child, path if len(nodes) == 1 else f"{path}#{index + 1}", facets)


def _leaf(child: etree._Element, path: str, facets: Facets) -> None:
    text = (child.text or "").strip()
    if text:
        facets[path] = text
    for key, value in child.attrib.items():
        if key == "value":
            facets[path] = value  # property sla = P3D
        elif key != "name":
            facets[f"{path} {_qualified(key)}"] = value
    _children(child, path + "/", facets)


def _segment(child: etree._Element, name: str) -> str:
    """``property sla`` for a named extension (Camunda property, input/output parameter), else the tag."""
    short = name.removeprefix("camunda:").removeprefix("spiff:")
    label = child.get("name")
    return f"{short} {label}" if label else name


def _qualified(tag: str) -> str:
    qname = etree.QName(tag)
    if qname.namespace is None:
        return qname.localname
    return PREFIXES.get(qname.namespace, "{" + qname.namespace + "}") + qname.localname


def compare(before: Facets, after: Facets) -> list[Change]:
    keys = list(before) + [k for k in after if k not in before]
    return [Change(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
