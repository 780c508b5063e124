"""Rules about scripts and conditions: they must pass the sandbox's deploy-time check.

``engine.scripting`` is imported inside the rules, not at module level: it pulls in RestrictedPython, and
the rest of the checks must stay importable (and listable) without it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Literal

from lxml import etree

from engine.definitions.checks.model import Finding, Model, at, bpmn, describe, spiff
from engine.definitions.checks.registry import check
from engine.definitions.flavour import CAMUNDA_NS
from engine.errors import ScriptError

Mode = Literal["eval", "exec"]
_JUEL_OPENERS = ("${", "#{")
_JUEL_PIECE = re.compile(r"[$#]\{[^}]*\}")
_PARAMETERS = f"{bpmn('extensionElements')}/{{{CAMUNDA_NS}}}inputOutput/{{{CAMUNDA_NS}}}inputParameter"
_PARAMETER_TEXT = tuple(f"{{{CAMUNDA_NS}}}{name}" for name in ("inputParameter", "value", "entry"))


@dataclasses.dataclass(frozen=True)
class Source:
    """One piece of code in the diagram and where its first line sits in the file."""

    holder: etree._Element
    what: str
    text: str
    mode: Mode
    first_line: int


@dataclasses.dataclass(frozen=True)
class Verdict:
    source: Source
    code: Literal["NZ107", "NZ108"]
    message: str
    hint: str | None
    line: int


def python_sources(model: Model) -> Iterator[Source]:
    """Scripts of Python script tasks, Spiff pre/post scripts and sequence-flow conditions."""
    for task in model.elements("scriptTask"):
        script = task.find(bpmn("script"))
        if script is not None and is_python(task.get("scriptFormat")):
            yield from _source(script, f"script of {describe(task)}", "exec")
    for kind in ("preScript", "postScript"):
        for holder in model.root.iter(spiff(kind)):
            yield from _source(holder, f"{kind} of {describe(_owner(holder))}", "exec")
    for condition in model.elements("conditionExpression"):
        yield from _source(condition, f"condition of {describe(_owner(condition))}", "eval")
    for task in model.elements("serviceTask"):
        for parameter in task.iterfind(_PARAMETERS):
            yield from _parameter_sources(parameter)


def _parameter_sources(parameter: etree._Element) -> Iterator[Source]:
    """Each ``${…}`` in a Camunda input parameter's text (also in list values and map entries), and its
    ``camunda:script``: the engine evaluates them against the task data when the task runs."""
    what = f"input parameter '{parameter.get('name')}' of {describe(_owner(parameter))}"
    for holder in parameter.iter(*_PARAMETER_TEXT):
        text = holder.text or ""
        for piece in _JUEL_PIECE.finditer(text):
            line = (holder.sourceline or 1) + text[: piece.start()].count("\n")
            yield Source(holder, what, piece.group(0), "eval", line)
    for script in parameter.iter(f"{{{CAMUNDA_NS}}}script"):
        yield from _source(script, f"script of {what}", "eval")


def verdicts(model: Model) -> Iterator[Verdict]:
    for source in python_sources(model):
        verdict = _judge(source)
        if verdict is not None:
            yield verdict


def is_python(language: str | None) -> bool:
    return not language or "python" in language.lower()


def _judge(source: Source) -> Verdict | None:
    from engine import scripting

    if source.mode == "eval":
        foreign = _foreign_language(source)
        if foreign:
            return _untranslatable(source, foreign)
        if source.text.startswith(_JUEL_OPENERS):
            return _judge_juel(source)
    try:
        scripting.check(source.text, source.mode)
    except ScriptError as exc:
        line = source.first_line + (exc.line or 1) - 1
        hint = (
            exc.hint
            or "scripts and conditions are sandboxed Python: no imports, no dunder attributes, no I/O"
        )
        return Verdict(source, "NZ107", f"{source.what} is refused: {exc.message}", hint, line)
    return None


def _foreign_language(source: Source) -> str | None:
    language = source.holder.get("language") or source.holder.get("scriptFormat")
    if not is_python(language):
        return f"it is written in {language}"
    # Camunda 8 (Zeebe) writes FEEL conditions as "= expr"; no Python expression starts with "=".
    return "it is a FEEL expression" if source.text.startswith("=") else None


def _judge_juel(source: Source) -> Verdict | None:
    """Camunda 7 JUEL (``${approved}``) that translates and passes the sandbox is fine; else a warning,
    since the author wrote valid JUEL and only our translation falls short."""
    from engine import scripting

    try:
        scripting.check(scripting.juel_to_python(source.text), "eval")
    except ScriptError as exc:
        return _untranslatable(source, exc.message)
    return None


def _untranslatable(source: Source, reason: str) -> Verdict:
    consequence = (
        "the gateway will raise an incident when it reaches it"
        if source.holder.tag == bpmn("conditionExpression")
        else "the task will raise an incident when it runs"
    )
    message = f"{source.what} cannot be translated ({reason}); {consequence}"
    return Verdict(source, "NZ108", message, "rewrite it as a Python expression", source.first_line)


def _source(holder: etree._Element, what: str, mode: Mode) -> Iterator[Source]:
    raw = holder.text or ""
    text = raw.strip() if mode == "eval" else raw
    if not text.strip():
        return
    # Conditions are stripped, so count the newlines dropped before the code to keep lines true.
    skipped = raw[: len(raw) - len(raw.lstrip())].count("\n") if mode == "eval" else 0
    yield Source(holder, what, text, mode, (holder.sourceline or 1) + skipped)


def _owner(holder: etree._Element) -> etree._Element:
    for ancestor in holder.iterancestors():
        if ancestor.get("id"):
            return ancestor
    return holder


def _findings(model: Model, code: str) -> Iterator[Finding]:
    for verdict in verdicts(model):
        if verdict.code == code:
            yield at(_owner(verdict.source.holder), verdict.message, verdict.hint, line=verdict.line)


@check("NZ107", "error")
def refused_script(model: Model) -> Iterator[Finding]:
    """A Python script or condition fails the sandbox's deploy-time check."""
    return _findings(model, "NZ107")


@check("NZ108", "warning")
def untranslatable_condition(model: Model) -> Iterator[Finding]:
    """A condition is JUEL that cannot be translated, or in another language (FEEL, XPath)."""
    return _findings(model, "NZ108")


@check("NZ109", "warning")
def foreign_script_format(model: Model) -> Iterator[Finding]:
    """A scriptTask's scriptFormat is not Python (groovy, javascript, juel)."""
    for task in model.elements("scriptTask"):
        script_format = task.get("scriptFormat")
        if is_python(script_format):
            continue
        yield at(
            task,
            f"{describe(task)}: scriptFormat '{script_format}' is not supported; the task will raise an incident",
            'rewrite the script in Python and set scriptFormat="python"',
        )
