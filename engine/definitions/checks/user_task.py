"""Rules about user tasks: someone must be able to pick the task up, and its form must exist."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from lxml import etree

from engine import referral, sla
from engine.definitions.checks.model import (
    CAMUNDA_NS,
    Finding,
    Model,
    at,
    bpmn,
    camunda,
    describe,
    spiff_properties,
)
from engine.definitions.checks.registry import check
from engine.errors import DefinitionError, suggest

_ASSIGNMENT_ATTRIBUTES = ("candidateGroups", "candidateUsers", "assignee")


@check("NZ101", "warning")
def unassigned_user_task(model: Model) -> Iterator[Finding]:
    """A userTask has no lane, candidate group, candidate user or assignee."""
    for task in model.elements("userTask"):
        if _in_lane(model, task) or _names_assignee(task):
            continue
        yield at(
            task,
            f"no one is assigned: {describe(task)} is in no lane and names no candidate group or assignee",
            'put the task in a lane, or set camunda:candidateGroups="..." '
            "(Spiff: a spiffworkflow:property named candidateGroups)",
        )


@check("NZ102", "error")
def missing_json_form(model: Model) -> Iterator[Finding]:
    """A userTask names a JSON form that is not in the bundle."""
    if not model.has_forms:
        return
    for task, key in _form_keys(model):
        name = PurePosixPath(key.rsplit(":", 1)[-1]).name
        if not _is_json(key) or name in model.forms:
            continue
        listed = ", ".join(sorted(model.forms)) or "no forms"
        hint = suggest(name, model.forms) or f"add forms/{name} to the bundle; it has {listed}"
        yield at(task, f"{describe(task)} names form '{key}', which is not in the bundle", hint)


@check("NZ113", "warning")
def form_of_imported_diagram(model: Model) -> Iterator[Finding]:
    """A diagram deployed without a forms/ folder names a JSON form: the task shows a generic form."""
    if model.has_forms:
        return
    for task, key in _form_keys(model):
        if _is_json(key):
            yield at(
                task,
                f"{describe(task)} names form '{key}' but the diagram came without a forms/ folder; "
                "the task will show a generic form",
                "deploy it as a bundle folder with forms/ to use the form",
            )


@check("NZ106", "warning")
def foreign_form(model: Model) -> Iterator[Finding]:
    """A userTask names a form that is not a Nezarat JSON form (e.g. a Camunda embedded HTML form)."""
    for task, key in _form_keys(model):
        if _is_json(key):
            continue
        yield at(
            task,
            f"{describe(task)}: form '{key}' is not a Nezarat JSON form; the task will show a generic form",
            'add a JSON form under forms/ and name it, e.g. camunda:formKey="forms/approve.json"',
        )


def _form_keys(model: Model) -> Iterator[tuple[etree._Element, str]]:
    for task in model.elements("userTask"):
        keys = (camunda(task, "formKey"), spiff_properties(task).get("formJsonSchemaFilename", ""))
        for key in keys:
            if key:
                yield task, key


def _is_json(key: str) -> bool:
    return key.lower().endswith(".json")


def _in_lane(model: Model, task: etree._Element) -> bool:
    # Lanes list only the top-level nodes: a task inside a subProcess belongs to the subProcess's lane.
    chain = (task, *task.iterancestors())
    return any(element.get("id") in model.lane_members for element in chain)


def _names_assignee(task: etree._Element) -> bool:
    if any(camunda(task, attribute) for attribute in _ASSIGNMENT_ATTRIBUTES):
        return True
    return bool(spiff_properties(task).get("candidateGroups"))


def _task_properties(task: etree._Element) -> dict[str, str]:
    """Camunda and Spiff properties of a task (the names processes/README.md gives meaning to)."""
    found = spiff_properties(task)
    for prop in task.iterfind(
        f"{bpmn('extensionElements')}/{{{CAMUNDA_NS}}}properties/{{{CAMUNDA_NS}}}property"
    ):
        found[prop.get("name", "")] = (prop.get("value") or "").strip()
    return found


@check("NZ116", "error")
def invalid_sla(model: Model) -> Iterator[Finding]:
    """A userTask's sla, sla_calendar, sla_from, sla_reminders or sla_escalate_to cannot be understood."""
    for task in model.elements("userTask"):
        try:
            sla.parse(_task_properties(task), element=task.get("id"))
        except DefinitionError as err:
            yield at(task, f"{describe(task)}: {err.message}", err.hint)


@check("NZ117", "error")
def unknown_referral_policy(model: Model) -> Iterator[Finding]:
    """A userTask's referral property names no known policy."""
    for task in model.elements("userTask"):
        policy = _task_properties(task).get("referral")
        if policy and policy not in referral.POLICIES:
            hint = suggest(policy, referral.POLICIES) or f"use one of: {', '.join(referral.POLICIES)}"
            yield at(task, f"{describe(task)}: referral policy '{policy}' is not known", hint)
