"""Every bundle of the process library is complete: README in both languages, its forms, and people for its tasks."""

from __future__ import annotations

import re

import pytest

from forms import load_form
from tests.processes.conftest import (
    BUNDLES,
    CAMUNDA,
    NS,
    PROCESSES,
    demo_groups,
    demo_units,
    documented_handlers,
    form_files,
    properties,
    tree,
    user_tasks,
)

PERSIAN = re.compile(r"[\u0600-\u06FF]")
SLA_DURATION = re.compile(r"P(\d+D|T(\d+H)?(\d+M)?)")


def test_the_library_has_every_bundle_of_the_domain() -> None:
    assert set(BUNDLES) >= {
        "budget_oversight", "grade_promotion", "audit_review", "credit_distribution", "article79_dispute",
        "mayor_appointment", "agency_budget_supervision", "resolution_follow_up",
    }  # fmt: skip


@pytest.mark.parametrize("key", BUNDLES)
def test_the_readme_speaks_persian_first_then_english(key: str) -> None:
    text = (PROCESSES / key / "README.md").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip()]
    assert PERSIAN.search(lines[0]), "the README opens in Persian"
    english = text[text.index("## English") :] if "## English" in text else ""
    assert len(re.findall(r"\b[A-Za-z]{3,}\b", english)) > 80, "the README has an English part"
    for topic in ("purpose", "seed", "lanes", "forms", "checks", "sla", "kpi"):
        assert topic in english.lower(), f"the English part covers {topic}"


@pytest.mark.parametrize("key", BUNDLES)
def test_forms_named_by_tasks_exist_and_every_form_is_used(key: str) -> None:
    named = {task.get(f"{CAMUNDA}formKey") for task in user_tasks(key)} - {None}
    assert named <= set(form_files(key)), "a task names a form the bundle lacks"
    assert set(form_files(key)) <= named, "a form no task names"


@pytest.mark.parametrize("key", BUNDLES)
def test_every_form_is_valid(key: str) -> None:
    for name, raw in form_files(key).items():
        form = load_form(raw, name=name)
        assert PERSIAN.search(form.title["fa"]) and form.title["en"]


@pytest.mark.parametrize("key", BUNDLES)
def test_every_user_task_has_a_form_and_a_group_some_demo_user_holds(key: str) -> None:
    groups = demo_groups()
    for task in user_tasks(key):
        named = task.get(f"{CAMUNDA}candidateGroups") or ""
        assert named, f"{task.get('id')} names no candidate group"
        assert {g.strip() for g in named.split(",")} <= groups, f"{task.get('id')}: nobody holds {named}"
        assert task.get(f"{CAMUNDA}formKey"), f"{task.get('id')} has no form"
        assert PERSIAN.search(task.get("name") or ""), f"{task.get('id')} has no Persian name"


@pytest.mark.parametrize("key", BUNDLES)
def test_task_properties_follow_the_conventions(key: str) -> None:
    groups, units = demo_groups(), demo_units()
    for task in tree(key).iterfind(".//bpmn:userTask", NS):
        props = properties(task)
        where = task.get("id")
        unit = props.get("unit")
        assert unit is None or unit.startswith("${") or unit in units, f"{where}: unknown unit {unit}"
        assert "sla" not in props or SLA_DURATION.fullmatch(props["sla"]), f"{where}: sla {props['sla']}"
        assert props.get("sla_calendar", "working") in ("working", "calendar"), where
        assert props.get("sla_from", "task") in ("task", "start"), where
        assert props.get("sla_escalate_to", "urban_affairs_dg") in groups, where
        assert props.get("referral", "round_robin") in ("round_robin", "least_loaded"), where
        assert props.get("signature", "required") == "required", where


@pytest.mark.parametrize("key", BUNDLES)
def test_service_tasks_name_documented_handlers(key: str) -> None:
    known = documented_handlers()
    for task in tree(key).iterfind(".//bpmn:serviceTask", NS):
        assert task.get(f"{CAMUNDA}type") == "external", task.get("id")
        assert task.get(f"{CAMUNDA}topic") in known, f"{task.get('id')}: {task.get(f'{CAMUNDA}topic')}"


def test_every_group_of_the_demo_organisation_has_a_persian_and_an_english_title() -> None:
    from tests.processes.conftest import demo

    titled = {g["name"]: g for g in demo()["groups"]}
    used = {group for user in demo()["users"] for group in user["groups"]}
    assert used == set(titled)
    for group in titled.values():
        assert PERSIAN.search(group["title"]) and group["title_en"].isascii(), group


def test_the_demo_organisation_gives_every_user_a_title_a_unit_groups_and_a_demo_address() -> None:
    from tests.processes.conftest import demo

    units = demo_units()
    for user in demo()["users"]:
        assert PERSIAN.search(user["title"]) and user["unit"] in units and user["groups"], user["name"]
        assert user["email"] == f"{user['name']}@demo.nezarat.ir"
    parents = {unit["name"]: unit["parent"] for unit in demo()["units"]}
    seen: set[str] = set()
    for name, parent in parents.items():
        assert parent is None or parent in seen, f"{name} is listed before its parent {parent}"
        seen.add(name)
