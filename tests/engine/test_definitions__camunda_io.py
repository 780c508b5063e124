"""What deploy records for processes that others call: ``camunda:isStartableInTasklist`` (with NZ124
when nothing calls such a process), and the task facts and forms of called processes, merged into the
caller's version under ``"<process>/<element>"`` keys so the tasks they put in the caller's instances
find their groups and forms."""

from __future__ import annotations

from typing import Any

import pytest

from engine.clock import FixedClock
from engine.definitions import catalog, checks, xml
from engine.platform import Platform
from engine.spiff import workflow
from engine.versions import LoadedVersion, latest
from tests.conftest import bundle


@pytest.fixture
def deployed(platform: Platform) -> Platform:
    platform.deploy(bundle("called_review"), actor="admin")
    platform.deploy(bundle("calling_case"), actor="admin")
    return platform


def version_of(platform: Platform, process_key: str) -> LoadedVersion:
    with platform.store.reading() as tx:
        return platform.runtime.versions.get(tx, latest(tx, process_key))


def test_the_catalog_records_whether_a_process_may_be_started_by_hand(deployed: Platform) -> None:
    assert catalog.startable(version_of(deployed, "calling_case").catalog)
    assert not catalog.startable(version_of(deployed, "called_review").catalog)
    assert not catalog.startable(version_of(deployed, "local_note").catalog)
    assert version_of(deployed, "called_review").catalog["@process"] == {
        "name": "بررسی کارشناسی (فرایند مشترک)",
        "startable": False,
    }
    assert catalog.startable({})  # a version deployed before this was recorded


def test_nz124_a_hidden_process_that_nothing_in_its_bundle_calls_is_a_warning(platform: Platform) -> None:
    [alone] = platform.deploy(bundle("called_review"), actor="admin")
    [warning] = alone.warnings
    assert warning.startswith(
        "NZ124 process 'called_review' is not startable from the tasklist "
        '(camunda:isStartableInTasklist="false") and nothing in this bundle calls it'
    )
    [diagnostic] = next(iter(platform.check(bundle("called_review")).values()))
    assert (diagnostic.code, diagnostic.severity, diagnostic.element, diagnostic.line) == (
        "NZ124", "warning", "called_review", 5,
    )  # fmt: skip
    assert "call activity" in (diagnostic.hint or "")


def test_nz124_is_quiet_when_the_bundle_calls_the_hidden_process(platform: Platform) -> None:
    platform.deploy(bundle("called_review"), actor="admin")
    deployed = platform.deploy(bundle("calling_case"), actor="admin")
    assert {d.process_key for d in deployed} == {"calling_case", "local_note"}
    assert [w for d in deployed for w in d.warnings] == []


def test_called_processes_facts_and_forms_are_merged_under_their_own_keys(deployed: Platform) -> None:
    version = version_of(deployed, "calling_case")

    assert version.catalog["draft"]["candidate_groups"] == "clerk"  # the caller's own, as before
    same_bundle = version.catalog["local_note/note"]
    assert (same_bundle["candidate_groups"], same_bundle["form"]) == ("expert", "note.json")
    other_bundle = version.catalog["called_review/check"]
    assert other_bundle["candidate_groups"] == "manager" and other_bundle["priority"] == "70"
    assert other_bundle["properties"] == {"sla": "P5D"}
    assert other_bundle["form"] == "called_review/check.json"
    assert version.forms["called_review/check.json"]["title"]["en"] == "Manager's opinion"
    assert set(version.forms) == {"draft.json", "note.json", "called_review/check.json"}
    assert not any(key.endswith("/@process") for key in version.catalog)


def test_each_ready_task_finds_its_facts_and_form_by_its_catalog_key(deployed: Platform) -> None:
    version = version_of(deployed, "calling_case")
    ctx = workflow.RunContext("i-1", "calling_case", "ali", FixedClock.at("2026-03-01T09:00Z"), {})
    wf = workflow.new(version.spec, version.subprocess_specs, {}, ctx)
    workflow.begin(wf, ctx)

    seen = []
    for _ in range(3):
        [task] = workflow.ready_human_tasks(wf)
        facts = version.catalog[catalog.task_key(task.process_id, task.element_id)]
        seen.append(
            (task.process_id, task.element_id, facts["candidate_groups"], _form_title(version, facts))
        )
        workflow.complete(wf, task.id, {}, ctx)

    assert seen == [
        (None, "draft", "clerk", "Draft"),
        ("local_note", "note", "expert", "Expert's note"),
        ("called_review", "check", "manager", "Manager's opinion"),
    ]
    assert workflow.is_completed(wf)


def _form_title(version: LoadedVersion, facts: dict[str, Any]) -> str:
    return str(version.forms[facts["form"]]["title"]["en"])


def test_a_process_calling_a_caller_keeps_the_nested_keys_and_namespaces_the_rest() -> None:
    facts: dict[str, Any] = {"own": {"form": "a.json"}}
    forms: dict[str, Any] = {"a.json": {"title": "A"}}
    called_catalog = {
        "@process": {"startable": True},
        "draft": {"form": "draft.json"},
        "called_review/check": {"form": "called_review/check.json"},
        "loose": {"form": "not-in-the-bundle.json"},
    }
    called_forms = {"draft.json": {"title": "D"}, "called_review/check.json": {"title": "C"}}

    catalog.add_called(facts, forms, "calling_case", called_catalog, called_forms)

    assert facts == {
        "own": {"form": "a.json"},
        "calling_case/draft": {"form": "calling_case/draft.json"},
        "called_review/check": {"form": "called_review/check.json"},
        "calling_case/loose": {"form": "not-in-the-bundle.json"},
    }
    assert forms == {
        "a.json": {"title": "A"},
        "calling_case/draft.json": {"title": "D"},
        "called_review/check.json": {"title": "C"},
    }


PARAMETERS = """<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Defs">
<bpmn:process id="P" isExecutable="true">
<bpmn:serviceTask id="send" camunda:type="external" camunda:topic="notify.mail">
  <bpmn:extensionElements>
    <camunda:inputOutput>
      <camunda:inputParameter name="to">${report_of.unit}</camunda:inputParameter>
      <camunda:inputParameter name="subject">Case ${case.no()} is late</camunda:inputParameter>
      <camunda:inputParameter name="copies">
        <camunda:list>
          <camunda:value>mayor</camunda:value>
          <camunda:value>${a ? b : c}</camunda:value>
        </camunda:list>
      </camunda:inputParameter>
      <camunda:inputParameter name="total">
        <camunda:script scriptFormat="python">().__class__.__base__</camunda:script>
      </camunda:inputParameter>
    </camunda:inputOutput>
  </bpmn:extensionElements>
</bpmn:serviceTask>
</bpmn:process>
</bpmn:definitions>"""


def test_input_parameter_expressions_are_checked_at_deploy_with_their_line() -> None:
    found = checks.run(xml.load(PARAMETERS.encode(), filename="p.bpmn"), filename="p.bpmn", forms=None)
    said = [
        (d.code, d.line, d.element, d.message.split(" cannot")[0])
        for d in found
        if d.code in ("NZ107", "NZ108")
    ]
    assert said == [
        ("NZ108", 8, "send", "input parameter 'subject' of serviceTask 'send'"),
        ("NZ108", 12, "send", "input parameter 'copies' of serviceTask 'send'"),
        (
            "NZ107", 16, "send",
            "script of input parameter 'total' of serviceTask 'send' is refused: "
            "'.__base__' is not available in scripts: names starting with '_' are reserved",
        ),
    ]  # fmt: skip
    untranslated = next(d for d in found if d.code == "NZ108")
    assert untranslated.message.endswith("the task will raise an incident when it runs")
