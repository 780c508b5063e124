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


def lint(body: str, *, forms: Collection[str] = (), head: str = HEAD, tail: str = TAIL) -> list[Diagnostic]:
    text = head + textwrap.dedent(body).strip("\n") + tail
    tree = xml.load(text.encode(), filename="t.bpmn")
    return checks.run(tree, filename="t.bpmn", forms=forms)


def only(found: list[Diagnostic], code: str) -> Diagnostic:
    [diagnostic] = [d for d in found if d.code == code]
    return diagnostic


def codes(found: list[Diagnostic]) -> list[str]:
    return [d.code for d in found]


@pytest.fixture
def budget_check() -> Iterator[str]:
    service_tasks.handler("budget.check")(lambda ctx: None)
    yield "budget.check"
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
        tree = xml.load_path(DATA / name)
        assert checks.run(tree, filename=name, forms={"submit.json", "approve.json"}) == [], name


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


# --- structure ------------------------------------------------------------------------------------------


def test_nz010_duplicate_id_names_both_lines() -> None:
    found = lint(
        """
        <bpmn:task id="Task_a"/>
        <bpmn:task id="Task_a"/>
        """
    )

    d = only(found, "NZ010")
    assert (d.severity, d.element, d.line) == ("error", "Task_a", 4)
    assert d.message == "id 'Task_a' is used twice: line 3 and line 4"
    assert d.hint == "give each element its own id"


def test_nz010_ignores_extension_ids_and_the_spiff_in_place_data_item_idiom() -> None:
    found = lint(
        """
        <bpmn:serviceTask id="S1"><bpmn:extensionElements>
          <spiffworkflow:serviceTaskOperator id="budget.check"/>
        </bpmn:extensionElements></bpmn:serviceTask>
        <bpmn:serviceTask id="S2"><bpmn:extensionElements>
          <spiffworkflow:serviceTaskOperator id="budget.check"/>
        </bpmn:extensionElements></bpmn:serviceTask>
        <bpmn:userTask id="U"><bpmn:multiInstanceLoopCharacteristics>
          <bpmn:inputDataItem id="item"/>
          <bpmn:outputDataItem id="item"/>
        </bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>
        """
    )

    assert "NZ010" not in codes(found)


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
    tree = xml.load_path(DATA / "decision.dmn")

    assert checks.run(tree, filename="decision.dmn", forms=()) == []


def test_nz110_flow_to_a_missing_element_is_an_error() -> None:
    found = lint(
        """
        <bpmn:task id="A"/>
        <bpmn:sequenceFlow id="Flow_1" sourceRef="A" targetRef="Task_gone"/>
        <bpmn:sequenceFlow id="Flow_2"/>
        """
    )

    first, second = [d for d in found if d.code == "NZ110"]
    assert (first.severity, first.element, first.line) == ("error", "Flow_1", 4)
    assert first.message == "sequenceFlow 'Flow_1' has targetRef='Task_gone', which names no element"
    assert first.hint == "connect the flow to existing elements, or delete it"
    assert second.message == "sequenceFlow 'Flow_2' has no sourceRef and no targetRef"


GATEWAY = """
<bpmn:exclusiveGateway id="Gateway_1"{default}/>
<bpmn:task id="A"/>
<bpmn:task id="B"/>
<bpmn:sequenceFlow id="Flow_a" sourceRef="Gateway_1" targetRef="A">
  <bpmn:conditionExpression>amount &gt; 10</bpmn:conditionExpression>
</bpmn:sequenceFlow>
<bpmn:sequenceFlow id="Flow_b" sourceRef="Gateway_1" targetRef="B"/>
"""


def test_nz111_gateway_flow_without_condition_is_an_error() -> None:
    d = only(lint(GATEWAY.format(default="")), "NZ111")

    assert (d.severity, d.element, d.line) == ("error", "Gateway_1", 3)
    assert d.message == "exclusiveGateway 'Gateway_1' has 2 outgoing flows and 'Flow_b' has no condition"
    assert d.hint == "add a condition or mark it as the default flow"


def test_nz111_the_default_flow_needs_no_condition() -> None:
    assert "NZ111" not in codes(lint(GATEWAY.format(default=' default="Flow_b"')))


def test_nz112_timer_without_a_time_is_a_warning() -> None:
    found = lint(
        """
        <bpmn:task id="A"/>
        <bpmn:boundaryEvent id="Timer_1" attachedToRef="A">
          <bpmn:timerEventDefinition/>
        </bpmn:boundaryEvent>
        <bpmn:intermediateCatchEvent id="Timer_2">
          <bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>
        </bpmn:intermediateCatchEvent>
        """
    )

    d = only(found, "NZ112")
    assert (d.severity, d.element, d.line) == ("warning", "Timer_1", 4)
    assert (
        d.message
        == "timer on boundaryEvent 'Timer_1' has no timeDate, timeDuration or timeCycle; it will never fire"
    )
    assert "timeDuration" in (d.hint or "")


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


# --- service tasks --------------------------------------------------------------------------------------


def test_nz103_misspelt_handler_is_an_error_with_did_you_mean(budget_check: str) -> None:
    task = """<bpmn:serviceTask id="Task_check"><bpmn:extensionElements>
      <spiffworkflow:serviceTaskOperator id="budget.chek"/>
    </bpmn:extensionElements></bpmn:serviceTask>"""

    d = only(lint(task), "NZ103")

    assert (d.severity, d.element, d.line) == ("error", "Task_check", 3)
    assert d.message == "serviceTask 'Task_check' names handler 'budget.chek' which is not registered"
    assert d.hint == "did you mean 'budget.check'?"


def test_nz103_an_unknown_name_in_a_known_area_is_an_error(budget_check: str) -> None:
    task = '<bpmn:serviceTask id="Task_x" camunda:type="external" camunda:topic="budget.transfer_funds"/>'

    d = only(lint(task), "NZ103")

    assert d.message == "serviceTask 'Task_x' names handler 'budget.transfer_funds' which is not registered"
    assert d.hint == "handlers registered in area 'budget': budget.check"


def test_nz103_a_registered_handler_is_fine(budget_check: str) -> None:
    found = lint('<bpmn:serviceTask id="T" camunda:type="external" camunda:topic="budget.check"/>')

    assert found == []


def test_nz104_an_unknown_handler_in_an_unknown_area_is_a_warning(budget_check: str) -> None:
    task = """<bpmn:serviceTask id="Task_slack"><bpmn:extensionElements>
      <spiffworkflow:serviceTaskOperator id="slack/PostMessage"/>
    </bpmn:extensionElements></bpmn:serviceTask>"""

    d = only(lint(task), "NZ104")

    assert (d.severity, d.element, d.line) == ("warning", "Task_slack", 3)
    assert d.message == (
        "serviceTask 'Task_slack' names handler 'slack/PostMessage' which is not registered; "
        "it will raise an incident until a handler named 'slack/PostMessage' is registered"
    )
    assert d.hint == "register one with @handler('slack/PostMessage') under handlers/"


def test_nz105_a_java_delegate_cannot_run_here() -> None:
    d = only(lint('<bpmn:serviceTask id="Task_java" camunda:class="org.example.Check"/>'), "NZ105")

    assert (d.severity, d.element, d.line) == ("warning", "Task_java", 3)
    assert d.message == (
        "serviceTask 'Task_java' is implemented by a Java delegate (camunda:class=\"org.example.Check\"), "
        "which cannot run here; it will raise an incident until it names a registered handler"
    )
    assert d.hint == 'use camunda:type="external" camunda:topic="area.name"'


def test_nz105_a_service_task_without_implementation_gets_a_hint_in_its_own_flavour() -> None:
    spiff = lint(
        '<bpmn:serviceTask id="S"><bpmn:extensionElements><spiffworkflow:preScript>x = 1</spiffworkflow:preScript></bpmn:extensionElements></bpmn:serviceTask>'
    )

    d = only(spiff, "NZ105")
    assert d.message.startswith("serviceTask 'S' names no handler, which cannot run here")
    assert d.hint == 'name a handler: <spiffworkflow:serviceTaskOperator id="area.name"/>'


# --- scripts and conditions -----------------------------------------------------------------------------


def test_nz107_a_script_that_does_not_parse_is_an_error_on_its_own_line() -> None:
    task = """<bpmn:scriptTask id="Task_sum" scriptFormat="python">
      <bpmn:script>total = 1
    total = (</bpmn:script>
    </bpmn:scriptTask>"""

    d = only(lint(task), "NZ107")

    assert (d.severity, d.element, d.line) == ("error", "Task_sum", 5)
    assert d.message.startswith("script of scriptTask 'Task_sum' is refused: ")
    assert d.hint


def test_nz107_pre_and_post_scripts_and_conditions_are_checked() -> None:
    found = lint(
        """
        <bpmn:userTask id="U" camunda:assignee="a"><bpmn:extensionElements>
          <spiffworkflow:preScript>x = = 1</spiffworkflow:preScript>
        </bpmn:extensionElements></bpmn:userTask>
        <bpmn:sequenceFlow id="Flow_c" sourceRef="U" targetRef="U">
          <bpmn:conditionExpression>amount &gt;</bpmn:conditionExpression>
        </bpmn:sequenceFlow>
        """
    )

    pre, condition = [d for d in found if d.code == "NZ107"]
    assert (pre.element, pre.line) == ("U", 4)
    assert pre.message.startswith("preScript of userTask 'U' is refused")
    assert (condition.element, condition.line) == ("Flow_c", 7)
    assert condition.message.startswith("condition of sequenceFlow 'Flow_c' is refused")


def test_nz107_the_sandbox_refuses_an_import_at_deploy_time() -> None:
    task = '<bpmn:scriptTask id="Task_evil"><bpmn:script>import os</bpmn:script></bpmn:scriptTask>'

    d = only(lint(task), "NZ107")

    assert (d.element, d.line) == ("Task_evil", 3)


FLOW = """
<bpmn:task id="A"/>
<bpmn:sequenceFlow id="Flow_c" sourceRef="A" targetRef="A">
  <bpmn:conditionExpression{language}>{condition}</bpmn:conditionExpression>
</bpmn:sequenceFlow>
"""


def test_nz108_a_translatable_juel_condition_is_fine() -> None:
    assert codes(lint(FLOW.format(language="", condition="${approved}"))) == []


@pytest.mark.parametrize(
    ("language", "condition", "reason"),
    [
        ("", "= approved", "it is a FEEL expression"),
        (' language="http://www.w3.org/1999/XPath"', "true", "it is written in http://www.w3.org/1999/XPath"),
    ],
    ids=["feel", "xpath"],
)
def test_nz108_a_condition_in_another_language_is_a_warning(
    language: str, condition: str, reason: str
) -> None:
    d = only(lint(FLOW.format(language=language, condition=condition)), "NZ108")

    assert (d.severity, d.element, d.line) == ("warning", "Flow_c", 5)
    assert d.message == (
        f"condition of sequenceFlow 'Flow_c' cannot be translated ({reason}); "
        "the gateway will raise an incident when it reaches it"
    )
    assert d.hint == "rewrite it as a Python expression"


def test_nz108_untranslatable_juel_is_a_warning_not_an_error() -> None:
    found = lint(FLOW.format(language="", condition="${execution.getVariable('approved')}"))

    d = only(found, "NZ108")
    assert d.message.startswith("condition of sequenceFlow 'Flow_c' cannot be translated (")
    assert "NZ107" not in codes(found)


def test_nz109_a_groovy_script_is_a_warning() -> None:
    task = '<bpmn:scriptTask id="Task_groovy" scriptFormat="groovy"><bpmn:script>x = [1, 2</bpmn:script></bpmn:scriptTask>'

    found = lint(task)

    d = only(found, "NZ109")
    assert (d.severity, d.element, d.line) == ("warning", "Task_groovy", 3)
    assert (
        d.message
        == "scriptTask 'Task_groovy': scriptFormat 'groovy' is not supported; the task will raise an incident"
    )
    assert "NZ107" not in codes(found)
