"""Deploy-time lint rules: one test (or more) per NZ code, each asserting code, severity, element, line, hint.

Snippets are wrapped by ``lint()`` so that their first line is line 3 of the file.
"""

from __future__ import annotations

import textwrap
from collections.abc import Collection, Iterator
from pathlib import Path

import pytest

from engine import service_tasks
from engine.definitions import checks, xml
from engine.definitions.diagnostics import Diagnostic

DATA = Path(__file__).resolve().parents[1] / "data" / "definitions"

HEAD = (
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '
    'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="Defs">\n'
    '<bpmn:process id="P" isExecutable="true">\n'
)
TAIL = "\n</bpmn:process>\n</bpmn:definitions>"


def lint(
    body: str, *, forms: Collection[str] | None = (), head: str = HEAD, tail: str = TAIL
) -> list[Diagnostic]:
    text = head + textwrap.dedent(body).strip("\n") + tail
    tree = xml.load(text.encode(), filename="t.bpmn")
    return checks.run(tree, filename="t.bpmn", forms=forms)


def lint_file(name: str, forms: Collection[str] = ()) -> list[Diagnostic]:
    return checks.run(xml.load_path(DATA / name), filename=name, forms=forms)


def on(found: list[Diagnostic], element: str) -> Diagnostic:
    [diagnostic] = [d for d in found if d.element == element]
    return diagnostic


def only(found: list[Diagnostic], code: str) -> Diagnostic:
    [diagnostic] = [d for d in found if d.code == code]
    return diagnostic


def codes(found: list[Diagnostic]) -> list[str]:
    return [d.code for d in found]


@pytest.fixture
def budget_check() -> Iterator[str]:
    # Another test may have loaded the real handlers/ package; only remove what this fixture added.
    added = "budget.check" not in service_tasks.registered()
    if added:
        service_tasks.handler("budget.check")(lambda ctx: None)
    yield "budget.check"
    if added:
        service_tasks.unregister("budget.check")


# --- the registry -------------------------------------------------------------------------------------


def test_every_check_has_a_code_severity_doc_and_a_test_here() -> None:
    tests = [name for name in globals() if name.startswith("test_nz")]
    for code, rule in checks.CHECKS.items():
        assert rule.code == code and code.startswith("NZ") and rule.doc, code
        assert rule.severity in ("error", "warning"), code
        assert any(name.startswith(f"test_{code.lower()}_") for name in tests), f"no test for {code}"
    assert "NZ120" not in checks.CHECKS  # reserved for SpiffWorkflow's own parser errors


def test_a_code_cannot_be_registered_twice() -> None:
    with pytest.raises(ValueError, match="NZ010"):
        checks.check("NZ010", "error")(lambda model: [])


def test_the_clean_fixtures_pass_every_check(budget_check: str) -> None:
    for name in ("camunda_clean.bpmn", "spiff_clean.bpmn", "decision.dmn"):
        assert lint_file(name, forms={"submit.json", "approve.json"}) == [], name


def test_diagnostics_come_sorted_by_line() -> None:
    found = lint(
        """
        <bpmn:sequenceFlow id="F1" sourceRef="nowhere" targetRef="T"/>
        <bpmn:userTask id="T"/>
        <bpmn:serviceTask id="S"/>
        """
    )

    assert [(d.line, d.code) for d in found] == [(3, "NZ110"), (4, "NZ101"), (5, "NZ105")]
    assert all(d.file == "t.bpmn" for d in found)


# --- structure (tests/data/definitions/structure.bpmn, and inline variants) -----------------------------


@pytest.fixture
def structure_findings(budget_check: str) -> list[Diagnostic]:
    return lint_file("structure.bpmn")


def test_nz010_duplicate_id_names_both_lines(structure_findings: list[Diagnostic]) -> None:
    d = on(structure_findings, "Task_a")

    assert (d.code, d.severity, d.line) == ("NZ010", "error", 8)
    assert d.message == "id 'Task_a' is used twice: line 7 and line 8"
    assert d.hint == "give each element its own id"
    # Extension ids (Spiff parameters) and Spiff's in-place multi-instance data item are not clashes.
    assert [d.element for d in structure_findings if d.code == "NZ010"] == ["Task_a"]


def test_nz011_no_executable_process_is_an_error() -> None:
    head = HEAD.replace('isExecutable="true"', 'isExecutable="false"')

    d = only(lint('<bpmn:task id="T"/>', head=head), "NZ011")

    assert (d.severity, d.element, d.line) == ("error", "P", 2)
    assert d.message == 'no process is marked isExecutable="true"'
    assert d.hint == 'set isExecutable="true" on the process to run it'


def test_nz011_a_file_without_any_process_is_an_error() -> None:
    d = only(lint("", head=HEAD.split("\n")[0] + "\n", tail="</bpmn:definitions>"), "NZ011")

    assert (d.element, d.line) == ("Defs", 1)
    assert d.message == "the file defines no process, so there is nothing to run"


def test_nz011_an_absent_flag_counts_as_executable_like_spiffworkflow_does() -> None:
    head = HEAD.replace(' isExecutable="true"', "")

    assert "NZ011" not in codes(lint('<bpmn:task id="T"/>', head=head))


def test_nz011_does_not_apply_to_dmn() -> None:
    assert lint_file("decision.dmn") == []


def test_nz110_flow_to_a_missing_element_is_an_error(structure_findings: list[Diagnostic]) -> None:
    gone, loose = on(structure_findings, "Flow_gone"), on(structure_findings, "Flow_loose")

    assert (gone.code, gone.severity, gone.line) == ("NZ110", "error", 21)
    assert gone.message == "sequenceFlow 'Flow_gone' has targetRef='Task_gone', which names no element"
    assert gone.hint == "connect the flow to existing elements, or delete it"
    assert (loose.code, loose.severity) == ("NZ114", "warning")


def test_nz114_a_flow_connected_to_nothing_is_only_a_warning(structure_findings: list[Diagnostic]) -> None:
    d = on(structure_findings, "Flow_loose")
    assert d.message == "sequenceFlow 'Flow_loose' is connected to nothing and is ignored"
    assert "NZ110" not in [f.code for f in structure_findings if f.element == "Flow_loose"]


def test_nz111_gateway_flow_without_condition_is_an_error(structure_findings: list[Diagnostic]) -> None:
    d = on(structure_findings, "Gateway_bare")

    assert (d.code, d.severity, d.line) == ("NZ111", "error", 23)
    assert d.message == "exclusiveGateway 'Gateway_bare' has 2 outgoing flows and 'Flow_b2' has no condition"
    assert d.hint == "add a condition or mark it as the default flow"
    assert "Gateway_default" not in [d.element for d in structure_findings]  # its bare flow is the default


def test_nz112_timer_without_a_time_is_a_warning(structure_findings: list[Diagnostic]) -> None:
    d = on(structure_findings, "Timer_empty")

    assert (d.code, d.severity, d.line) == ("NZ112", "warning", 33)
    assert (
        d.message
        == "timer on boundaryEvent 'Timer_empty' has no timeDate, timeDuration or timeCycle; it will never fire"
    )
    assert "timeDuration" in (d.hint or "")
    assert "Timer_hourly" not in [d.element for d in structure_findings]


# --- user tasks -----------------------------------------------------------------------------------------


def test_nz101_user_task_nobody_can_pick_up_is_a_warning() -> None:
    d = only(lint('<bpmn:userTask id="Task_approve"/>'), "NZ101")

    assert (d.severity, d.element, d.line) == ("warning", "Task_approve", 3)
    assert d.message.startswith("no one is assigned: userTask 'Task_approve'")
    assert "camunda:candidateGroups" in (d.hint or "")


@pytest.mark.parametrize(
    "task",
    [
        '<bpmn:userTask id="T" camunda:candidateGroups="budget_officer"/>',
        '<bpmn:userTask id="T" camunda:candidateUsers="ali"/>',
        '<bpmn:userTask id="T" camunda:assignee="${initiator}"/>',
        """<bpmn:userTask id="T"><bpmn:extensionElements><spiffworkflow:properties>
             <spiffworkflow:property name="candidateGroups" value="clerk"/>
           </spiffworkflow:properties></bpmn:extensionElements></bpmn:userTask>""",
        """<bpmn:laneSet id="L"><bpmn:lane id="Lane" name="clerk"><bpmn:flowNodeRef>Sub</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
           <bpmn:subProcess id="Sub"><bpmn:userTask id="T"/></bpmn:subProcess>""",
    ],
    ids=["candidate-groups", "candidate-users", "assignee", "spiff-property", "lane-of-subprocess"],
)
def test_nz101_a_lane_group_user_or_assignee_is_enough(task: str) -> None:
    assert "NZ101" not in codes(lint(task))


def test_nz102_missing_json_form_is_an_error_with_did_you_mean() -> None:
    found = lint(
        '<bpmn:userTask id="Task_submit" camunda:formKey="forms/submt.json"/>', forms={"submit.json"}
    )

    d = only(found, "NZ102")
    assert (d.severity, d.element, d.line) == ("error", "Task_submit", 3)
    assert d.message == "userTask 'Task_submit' names form 'forms/submt.json', which is not in the bundle"
    assert d.hint == "did you mean 'submit.json'?"


def test_nz102_reads_the_spiff_form_property_and_lists_the_bundle_forms() -> None:
    task = """<bpmn:userTask id="T"><bpmn:extensionElements><spiffworkflow:properties>
      <spiffworkflow:property name="formJsonSchemaFilename" value="review-schema.json"/>
    </spiffworkflow:properties></bpmn:extensionElements></bpmn:userTask>"""

    d = only(lint(task, forms={"submit.json"}), "NZ102")

    assert d.hint == "add forms/review-schema.json to the bundle; it has submit.json"


def test_nz115_the_id_start_is_reserved_by_the_engine() -> None:
    d = only(lint('<bpmn:startEvent id="Start"/>'), "NZ115")
    assert (d.severity, d.element) == ("error", "Start")
    assert d.message == "startEvent 'Start' uses the id 'Start', which the engine reserves"


def test_nz113_a_lone_diagram_without_forms_folder_gets_a_warning_not_nz102() -> None:
    found = lint('<bpmn:userTask id="Task_submit" camunda:formKey="submit.json"/>', forms=None)

    d = only(found, "NZ113")
    assert (d.severity, d.element) == ("warning", "Task_submit")
    assert "NZ102" not in codes(found)


@pytest.mark.parametrize("key", ["submit.json", "forms/submit.json", "embedded:app:forms/submit.json"])
def test_nz102_a_form_in_the_bundle_is_fine(key: str) -> None:
    found = lint(f'<bpmn:userTask id="T" camunda:formKey="{key}"/>', forms={"forms/submit.json"})

    assert not {"NZ102", "NZ106"} & set(codes(found))


def test_nz106_a_non_json_form_is_a_warning() -> None:
    found = lint('<bpmn:userTask id="Task_review" camunda:formKey="embedded:app:forms/review.html"/>')

    d = only(found, "NZ106")
    assert (d.severity, d.element, d.line) == ("warning", "Task_review", 3)
    assert d.message == (
        "userTask 'Task_review': form 'embedded:app:forms/review.html' is not a Nezarat JSON form; "
        "the task will show a generic form"
    )
    assert "forms/" in (d.hint or "")


# --- service tasks (tests/data/definitions/service_tasks.bpmn) ------------------------------------------


@pytest.fixture
def service_findings(budget_check: str) -> list[Diagnostic]:
    return lint_file("service_tasks.bpmn")


def test_nz103_misspelt_handler_is_an_error_with_did_you_mean(service_findings: list[Diagnostic]) -> None:
    d = on(service_findings, "Task_typo")

    assert (d.code, d.severity, d.line) == ("NZ103", "error", 7)
    assert d.message == "serviceTask 'Task_typo' names handler 'budget.chek' which is not registered"
    assert d.hint == "did you mean 'budget.check'?"
    assert "Task_registered" not in [d.element for d in service_findings]


def test_nz103_an_unknown_name_in_a_known_area_is_an_error(service_findings: list[Diagnostic]) -> None:
    d = on(service_findings, "Task_area")

    assert (d.code, d.severity, d.line) == ("NZ103", "error", 8)
    assert (d.hint or "").startswith("handlers registered in area 'budget': ")
    assert "budget.check" in (d.hint or "")


def test_nz103_reads_the_spiff_service_task_operator(budget_check: str) -> None:
    task = """<bpmn:serviceTask id="Task_check"><bpmn:extensionElements>
      <spiffworkflow:serviceTaskOperator id="budget.chek"/>
    </bpmn:extensionElements></bpmn:serviceTask>"""

    d = only(lint(task), "NZ103")

    assert (d.element, d.line, d.hint) == ("Task_check", 3, "did you mean 'budget.check'?")


def test_nz104_an_unknown_handler_in_an_unknown_area_is_a_warning(service_findings: list[Diagnostic]) -> None:
    d = on(service_findings, "Task_slack")

    assert (d.code, d.severity, d.line) == ("NZ104", "warning", 9)
    assert d.message == (
        "serviceTask 'Task_slack' names handler 'slack/PostMessage' which is not registered; "
        "it will raise an incident until a handler named 'slack/PostMessage' is registered"
    )
    assert d.hint == "register one with @handler('slack/PostMessage') under handlers/"


def test_nz105_a_java_delegate_cannot_run_here(service_findings: list[Diagnostic]) -> None:
    d = on(service_findings, "Task_java")

    assert (d.code, d.severity, d.line) == ("NZ105", "warning", 10)
    assert d.message == (
        "serviceTask 'Task_java' is implemented by a Java delegate (camunda:class=\"org.example.Check\"), "
        "which cannot run here; it will raise an incident until it names a registered handler"
    )
    assert d.hint == 'use camunda:type="external" camunda:topic="area.name"'


@pytest.mark.parametrize(
    ("element", "said"),
    [
        ("Task_bean", 'is implemented by a Java delegate (camunda:delegateExpression="${checker}")'),
        ("Task_topicless", "is implemented by an external task with no topic"),
        ("Task_nothing", "names no handler"),
    ],
)
def test_nz105_every_other_implementation_is_a_warning(
    service_findings: list[Diagnostic], element: str, said: str
) -> None:
    d = on(service_findings, element)

    assert (d.code, d.severity) == ("NZ105", "warning")
    assert d.message.startswith(f"serviceTask '{element}' {said}, which cannot run here")


def test_nz105_the_hint_speaks_the_diagram_s_flavour() -> None:
    extension = "<spiffworkflow:preScript>x = 1</spiffworkflow:preScript>"
    task = f'<bpmn:serviceTask id="S"><bpmn:extensionElements>{extension}</bpmn:extensionElements></bpmn:serviceTask>'

    d = only(lint(task), "NZ105")

    assert d.hint == 'name a handler: <spiffworkflow:serviceTaskOperator id="area.name"/>'


# --- scripts and conditions (tests/data/definitions/scripts.bpmn) ---------------------------------------


@pytest.fixture(scope="module")
def script_findings() -> list[Diagnostic]:
    return lint_file("scripts.bpmn")


def test_nz107_a_script_that_does_not_parse_is_an_error_on_its_own_line(
    script_findings: list[Diagnostic],
) -> None:
    d = on(script_findings, "Task_sum")

    assert (d.code, d.severity, d.line) == ("NZ107", "error", 12)
    assert d.message.startswith("script of scriptTask 'Task_sum' is refused: ")
    assert d.hint


def test_nz107_pre_scripts_and_conditions_are_checked_too(script_findings: list[Diagnostic]) -> None:
    pre, condition = on(script_findings, "Task_pre"), on(script_findings, "Flow_python")

    assert (pre.code, pre.line) == ("NZ107", 22)
    assert pre.message.startswith("preScript of userTask 'Task_pre' is refused: ")
    assert (condition.code, condition.line) == ("NZ107", 27)
    assert condition.message.startswith("condition of sequenceFlow 'Flow_python' is refused: ")


def test_nz107_the_sandbox_refuses_an_import_at_deploy_time(script_findings: list[Diagnostic]) -> None:
    d = on(script_findings, "Task_evil")

    assert (d.code, d.severity, d.line) == ("NZ107", "error", 15)


def test_nz107_valid_python_and_translatable_juel_pass(script_findings: list[Diagnostic]) -> None:
    elements = [d.element for d in script_findings]

    assert "Task_fine" not in elements
    assert "Flow_juel" not in elements


@pytest.mark.parametrize(
    ("element", "line", "reason"),
    [
        ("Flow_feel", 36, "it is a FEEL expression"),
        ("Flow_xpath", 39, "it is written in http://www.w3.org/1999/XPath"),
    ],
)
def test_nz108_a_condition_in_another_language_is_a_warning(
    script_findings: list[Diagnostic], element: str, line: int, reason: str
) -> None:
    d = on(script_findings, element)

    assert (d.code, d.severity, d.line) == ("NZ108", "warning", line)
    assert d.message == (
        f"condition of sequenceFlow '{element}' cannot be translated ({reason}); "
        "the gateway will raise an incident when it reaches it"
    )
    assert d.hint == "rewrite it as a Python expression"


def test_nz108_untranslatable_juel_is_a_warning_not_an_error(script_findings: list[Diagnostic]) -> None:
    d = on(script_findings, "Flow_juel_java")

    assert (d.code, d.severity, d.line) == ("NZ108", "warning", 33)
    assert d.message.startswith("condition of sequenceFlow 'Flow_juel_java' cannot be translated (")


def test_nz109_a_groovy_script_is_a_warning_and_is_not_parsed(script_findings: list[Diagnostic]) -> None:
    d = on(script_findings, "Task_groovy")

    assert (d.code, d.severity, d.line) == ("NZ109", "warning", 17)
    assert d.message == (
        "scriptTask 'Task_groovy': scriptFormat 'groovy' is not supported; the task will raise an incident"
    )


# -- task properties (processes/README.md): SLA and referral --------------------------------------


def _task_with(properties: dict[str, str]) -> str:
    props = "".join(f'<camunda:property name="{k}" value="{v}" />' for k, v in properties.items())
    return (
        '<bpmn:userTask id="T" name="بررسی" camunda:candidateGroups="clerk">'
        f"<bpmn:extensionElements><camunda:properties>{props}</camunda:properties></bpmn:extensionElements>"
        "</bpmn:userTask>"
    )


@pytest.mark.parametrize(
    ("properties", "says"),
    [
        ({"sla": "twenty days"}, "sla"),
        ({"sla": "P2W"}, "P14D"),
        ({"sla": "P3D", "sla_calendar": "lunar"}, "sla_calendar"),
        ({"sla": "P3D", "sla_from": "yesterday"}, "sla_from"),
        ({"sla": "P3D", "sla_reminders": "0.5,1.5"}, "sla_reminders"),
        ({"sla_escalate_to": "manager"}, "sla"),
    ],
)
def test_nz116_an_sla_the_engine_cannot_compute_is_an_error_on_the_task(
    properties: dict[str, str], says: str
) -> None:
    found = only(lint(_task_with(properties)), "NZ116")
    assert found.severity == "error" and found.element == "T" and found.line == 3
    assert says in f"{found.message} {found.hint}"


def test_nz116_a_sound_sla_passes() -> None:
    properties = {
        "sla": "P20D",
        "sla_from": "start",
        "sla_reminders": "0.5,0.8",
        "sla_escalate_to": "manager",
    }
    assert "NZ116" not in codes(lint(_task_with(properties)))


def test_nz117_an_unknown_referral_policy_is_an_error_with_a_suggestion() -> None:
    found = only(lint(_task_with({"referral": "round-robin"})), "NZ117")
    assert found.severity == "error" and found.hint == "did you mean 'round_robin'?"
    assert "NZ117" not in codes(lint(_task_with({"referral": "least_loaded"})))
