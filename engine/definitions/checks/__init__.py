"""Deploy-time lint rules over the lxml tree of one BPMN/DMN file: stable NZ codes, a hint, file:line.

Each rule is one small function registered with ``@check(code, severity)`` in a module named for what it
looks at; ``CHECKS`` lists them all (code, severity, doc) for the docs and the meta-tests. The rules read
XML only and never import SpiffWorkflow: the SpiffWorkflow parser's own errors are mapped elsewhere
(NZ120).
"""

from __future__ import annotations

from collections.abc import Collection

from lxml import etree

from engine.definitions.checks import script, service_task, structure, user_task
from engine.definitions.checks.model import Model
from engine.definitions.checks.registry import CHECKS, Check, check
from engine.definitions.diagnostics import Diagnostic

__all__ = ["CHECKS", "Check", "check", "run"]

# The rule modules register themselves on import; naming them here keeps that import deliberate.
RULE_MODULES = (structure, user_task, service_task, script)


def run(tree: etree._ElementTree, *, filename: str, forms: Collection[str] | None) -> list[Diagnostic]:
    """Run every rule over ``tree``; ``forms`` are the form file names in the bundle (``{"submit.json"}``),
    or None for a diagram deployed without a forms/ folder (its form references become warnings)."""
    model = Model.build(tree, filename, forms)
    found = [diagnostic for rule in CHECKS.values() for diagnostic in rule.apply(model)]
    return sorted(found, key=lambda d: (d.line or 0, d.code))
