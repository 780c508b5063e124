"""Camunda ``camunda:inputParameter`` on external service tasks reach the handler as ``ctx.params``:
literals, ``${…}`` expressions over the case data, composite text, lists, maps and Python scripts —
also after the spec was stored and restored (every step reloads the instance from the database)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from engine import service_tasks
from engine.definitions import xml
from engine.platform import Platform
from engine.spiff import parser
from engine.spiff.serializer import codec
from tests.conftest import ROOT, bundle

CASE = {
    "payment_amount": 5000,
    "urgent": True,
    "case_no": "۱۲-ب",
    "report_of": {"unit": "muni-a"},
    "extra_doc": "council_minutes",
}


@pytest.fixture
def captured() -> Iterator[list[dict[str, object]]]:
    calls: list[dict[str, object]] = []

    @service_tasks.handler("test.capture")
    def capture(ctx: service_tasks.HandlerContext) -> dict[str, object]:
        calls.append(dict(ctx.params))
        return {"sent_to": ctx.params.get("to")}

    yield calls
    service_tasks.unregister("test.capture")


@pytest.fixture
def params_platform(platform: Platform, captured: list[dict[str, object]]) -> Platform:
    platform.runtime.live._size = 0  # every step restores the spec and state from the database
    platform.deploy(bundle("camunda_params"), actor="admin")
    return platform


def run_case(platform: Platform, data: dict[str, object]) -> str:
    started = platform.start("camunda_params", {}, actor="ali")
    [fill] = platform.tasks("ali", instance_id=started.instance_id)
    platform.complete(str(fill["id"]), data, actor="ali")
    return started.instance_id


def test_each_kind_of_input_parameter_reaches_the_handler(
    params_platform: Platform, captured: list[dict[str, object]]
) -> None:
    instance_id = run_case(params_platform, CASE)

    [params] = captured
    assert params == {
        "to": "agency_liaison",
        "count": "42",  # Camunda text is a string, even when it looks like a number
        "amount": 5000,
        "unit": "muni-a",
        "big": True,
        "subject": "پرونده ۱۲-ب برای muni-a",
        "empty": None,
        "required": ["grading_forms", "council_minutes"],
        "labels": {"grading_forms": "فرم‌های درجه‌بندی", "amount": 5000, "copies": ["mayor", "muni-a"]},
        "total": 10000,
    }
    instance = params_platform.instance(instance_id)
    assert instance["status"] == "completed"
    assert params_platform.history(instance_id)[-1]["data"]["data"]["sent_to"] == "agency_liaison"


def test_expressions_are_evaluated_when_the_task_runs_not_at_deploy(
    params_platform: Platform, captured: list[dict[str, object]]
) -> None:
    run_case(params_platform, {**CASE, "payment_amount": 700, "urgent": False})
    run_case(params_platform, {**CASE, "payment_amount": 1900, "report_of": {"unit": "muni-b"}})

    assert [(c["amount"], c["big"], c["total"], c["unit"]) for c in captured] == [
        (700, False, 1400, "muni-a"),
        (1900, True, 3800, "muni-b"),
    ]


def test_a_missing_variable_is_an_incident_on_the_service_task(
    params_platform: Platform, captured: list[dict[str, object]]
) -> None:
    data = {k: v for k, v in CASE.items() if k != "payment_amount"}
    instance_id = run_case(params_platform, data)

    instance = params_platform.instance(instance_id)
    assert instance["status"] == "error" and captured == []
    assert instance["incident"]["element_id"] == "capture"
    assert "payment_amount" in instance["incident"]["message"]


def test_a_script_in_another_language_is_an_incident_naming_the_parameter(
    params_platform: Platform, captured: list[dict[str, object]]
) -> None:
    started = params_platform.start("camunda_params_groovy", {}, actor="ali")

    incident = params_platform.instance(started.instance_id)["incident"]
    assert started.status == "error" and captured == []
    assert incident["element_id"] == "g_capture"
    assert incident["message"] == "input parameter 'to' is a groovy script, which this engine does not run"


def test_the_library_parameters_survive_the_stored_spec() -> None:
    tree = xml.load_path(ROOT / "processes" / "credit_distribution" / "process.bpmn")
    process = parser.parse(tree, flavour="camunda", process_id="credit_distribution")
    stored = codec("camunda").dump_specs(process.spec, process.subprocess_specs)

    spec, _ = codec("camunda").load_specs(stored)

    assert spec.task_specs["record_payment"].params == {"amount": {"camunda": "${payment_amount}"}}
    reminder = [s for s in spec.task_specs.values() if getattr(s, "handler", None) == "notify.mail"]
    assert reminder and all(s.params["to"]["camunda"] for s in reminder)
