"""Schema validation against the BPMN 2.0 (and DMN) XSDs that ship inside SpiffWorkflow.

Real, runnable diagrams fail the XSD (bpmn-js message paths, Bonita ids with spaces, Spiff data-store
attributes; see shared/corpus/MANIFEST.md), so every finding is a warning (NZ005), never a gate.
"""

from __future__ import annotations

import functools
import importlib.util
import threading
from pathlib import Path

from lxml import etree

from engine.definitions.diagnostics import Diagnostic
from engine.definitions.flavour import SPIFF_NS
from engine.definitions.xml import BPMN_NS

MAX_FINDINGS = 10
CODES = {"NZ005": ("warning", "the file does not match the BPMN 2.0 / DMN schema")}

_XSD = "{http://www.w3.org/2001/XMLSchema}"
_DMN_SCHEMAS = {
    "https://www.omg.org/spec/DMN/20191111/MODEL/": "DMN13.xsd",
    "http://www.omg.org/spec/DMN/20180521/MODEL/": "DMN12.xsd",
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd": "DMN.xsd",
}
# An lxml validator keeps its error log on the object, so two threads must not validate at once.
_LOCK = threading.Lock()


def validate(tree: etree._ElementTree, filename: str) -> list[Diagnostic]:
    """Return one NZ005 warning per schema error (at most ``MAX_FINDINGS``), with its line."""
    root = tree.getroot()
    namespace = etree.QName(root).namespace or ""
    schema = _schema(namespace)
    if schema is None:
        return []
    document = _without_bpmn_js_quirks(tree)
    with _LOCK:
        if schema.validate(document):
            return []
        errors = list(schema.error_log)
    kind = "DMN" if namespace in _DMN_SCHEMAS else "BPMN 2.0"
    found = [_diagnostic(error, kind, filename) for error in errors[:MAX_FINDINGS]]
    if len(errors) > MAX_FINDINGS:
        last = found[-1]
        more = f"{len(errors) - MAX_FINDINGS} more schema errors are not shown"
        found[-1] = Diagnostic(
            last.code, last.severity, last.message, hint=more, file=filename, line=last.line
        )
    return found


def _diagnostic(error: etree._LogEntry, kind: str, filename: str) -> Diagnostic:
    return Diagnostic(
        "NZ005",
        "warning",
        f"does not match the {kind} schema: {error.message}",
        hint="the engine may still run it; fix the element so other BPMN tools can read the file",
        file=filename,
        line=error.line or None,
    )


def _without_bpmn_js_quirks(tree: etree._ElementTree) -> etree._ElementTree:
    """bpmn-js writes ``formalExpression`` where the XSD wants ``messagePath``; SpiffWorkflow's own
    validator renames it before validating, so we do too (on a copy: the caller's tree stays as read)."""
    path = "//b:correlationPropertyRetrievalExpression/b:formalExpression"
    quirks = tree.xpath(path, namespaces={"b": BPMN_NS})
    if not quirks:
        return tree
    copy = etree.ElementTree(etree.fromstring(etree.tostring(tree)))
    for element in copy.xpath(path, namespaces={"b": BPMN_NS}):
        element.tag = f"{{{BPMN_NS}}}messagePath"
    return copy


@functools.cache
def _schema(namespace: str) -> etree.XMLSchema | None:
    """Load (once) the schema for a root namespace; the import of Spiff's XSD mirrors SpiffWorkflow."""
    if namespace == BPMN_NS:
        document = _read(_schema_dir("bpmn") / "BPMN20.xsd")
        spiff = _schema_dir("spiff") / "spiffworkflow.xsd"
        document.getroot().insert(
            0, etree.Element(f"{_XSD}import", namespace=SPIFF_NS, schemaLocation=str(spiff))
        )
        return etree.XMLSchema(document)
    if namespace in _DMN_SCHEMAS:
        return etree.XMLSchema(_read(_schema_dir("dmn") / _DMN_SCHEMAS[namespace]))
    return None


def _read(path: Path) -> etree._ElementTree:
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    return etree.parse(str(path), parser)


def _schema_dir(area: str) -> Path:
    # Only the XSD files are wanted, not the library: find the package on disk without importing it, so
    # engine.definitions stays outside the "only engine.spiff talks to SpiffWorkflow" contract.
    spec = importlib.util.find_spec("SpiffWorkflow")
    if spec is None or spec.origin is None:
        raise RuntimeError("SpiffWorkflow is not installed; its XSD files are needed for validation")
    return Path(spec.origin).parent / area / "parser" / "schema"
