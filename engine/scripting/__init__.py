"""The script sandbox: every Python expression and script from a diagram runs through this package.

It owns compiling (RestrictedPython plus Nezarat's policy, cached), the whitelist of names scripts can
use, run-time guards and resource limits (steps, time, memory, huge numbers and sequences), turning
failures into :class:`engine.errors.ScriptError`, and translating simple Camunda JUEL conditions.

It never imports SpiffWorkflow or Flask: ``engine.spiff`` wires it into the workflow engine.
"""

from __future__ import annotations

from engine.scripting.evaluator import check, evaluate, execute
from engine.scripting.juel import juel_to_python
from engine.scripting.limits import Limits

__all__ = ["Limits", "check", "evaluate", "execute", "juel_to_python"]
