"""The two document handlers: ``documents.budget_album`` and ``documents.letter`` store real PDFs in the
real attachment store, date them by the engine's clock, and turn bad case data into a Persian BPMN
error — called directly and from a deployed process."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import handlers  # noqa: F401  (registers every handler, as the composition roots do)
from engine import service_tasks
from engine.clock import FixedClock
from engine.errors import HandlerError, NezaratError
from engine.platform import Platform
from forms.attachments import AttachmentStore
from tests.conftest import add_people, make_platform
from tests.handlers.documents_support import (
    APPROVALS,
    COUNCIL,
    album_budget,
    attachment_store,
    compact,
    handler_context,
    page_count,
    pdf_text,
)

RULING = {
    "letter_no": "۸۸۲/ف",
    "letter_date": "1405/07/02",
    "sender": "فرمانداری شهرستان نمونه",
    "municipality": "شهرداری الف",
    "subject": "اعتراض به مصوبه عوارض محلی",
    "decision": "amend",
    "reasoning": "نرخ عوارض مصوب با دستورالعمل وزارت کشور مغایرت دارد و باید اصلاح شود.",
    "org_title": "هیئت حل اختلاف استان نمونه",
}


@pytest.fixture
def store(tmp_path: Path) -> AttachmentStore:
    return attachment_store(tmp_path)


def run(name: str, data: dict[str, Any], store: AttachmentStore, **kwargs: Any) -> dict[str, Any]:
    ctx = handler_context(name, data, services={"attachments": store}, **kwargs)
    return dict(service_tasks.lookup(name)(ctx) or {})


def test_the_album_handler_stores_the_album_and_returns_its_ref(
    store: AttachmentStore, tmp_path: Path
) -> None:
    data = {
        "budget": album_budget(),
        "unit_title": "شهرداری الف",
        "council_approval": COUNCIL,
        "approvals": APPROVALS,
    }
    result = run("documents.budget_album", data, store)
    ref = result["album"]
    assert ref.startswith("sha256:") and store.info(ref).filename == "budget-album-muni-a-1405.pdf"
    assert store.info(ref).content_type == "application/pdf"
    pdf = store.get(ref)
    assert page_count(pdf) == 5
    cover = pdf_text(pdf, tmp_path, page=1)
    assert "شهرداری الف" in cover and compact("۱۴۰۵/۰۸/۳۰ ساعت ۱۶:۳۰") in compact(cover)  # the clock, not now


def test_the_album_handler_takes_year_and_unit_from_the_case_when_the_budget_lacks_them(
    store: AttachmentStore,
) -> None:
    budget = album_budget()
    del budget["fiscal_year"], budget["unit"]
    result = run("documents.budget_album", {"budget": budget, "fiscal_year": 1405, "unit": "muni-a"}, store)
    assert store.info(result["album"]).filename == "budget-album-muni-a-1405.pdf"


def test_a_case_without_a_budget_is_a_check_failed_error(store: AttachmentStore) -> None:
    with pytest.raises(HandlerError) as caught:
        run("documents.budget_album", {"unit": "muni-a"}, store)
    assert caught.value.error_code == "check_failed" and "بودجه" in caught.value.message


def test_a_malformed_budget_names_the_bad_line_in_persian(store: AttachmentStore) -> None:
    budget = album_budget()
    budget["uses"][4]["section"] = "bogus"
    with pytest.raises(HandlerError) as caught:
        run("documents.budget_album", {"budget": budget}, store)
    assert caught.value.error_code == "check_failed" and "uses/4/section" in caught.value.message
    assert caught.value.details[0]["path"] == "uses/4/section"


def test_without_an_attachment_store_the_handler_fails_as_a_deployment_fault() -> None:
    ctx = handler_context("documents.budget_album", {"budget": album_budget()}, services={})
    with pytest.raises(NezaratError) as caught:
        service_tasks.lookup("documents.budget_album")(ctx)
    assert not isinstance(caught.value, HandlerError) and "attachments" in caught.value.message


def test_a_ruling_letter_carries_the_decision_and_reasoning(store: AttachmentStore, tmp_path: Path) -> None:
    params = {"template": "ruling", "to": "فرماندار محترم شهرستان نمونه", "signer_name": "رضا امینی"}
    result = run("documents.letter", RULING, store, params=params)
    assert store.info(result["letter"]).filename.startswith("ruling-")
    text = pdf_text(store.get(result["letter"]), tmp_path)
    for part in ("فرماندار محترم شهرستان نمونه", "رأی هیئت", "اصلاح", "مغایرت دارد", "رضا امینی"):
        assert part in text, part
    assert "پیرو نامه شماره" in text and "۸۸۲" in text and "مورخ ۱۴۰۵/۰۷/۰۲" in text
    assert "۱۴۰۵/۰۸/۳۰" in text  # dated by the engine's clock


def test_a_decree_names_the_nominee_and_position(store: AttachmentStore, tmp_path: Path) -> None:
    data = {"nominee": {"name": "محمد کریمی"}, "position": "شهردار شهر الف", "signer_title": "استاندار"}
    result = run("documents.letter", data, store, params={"template": "decree"})
    text = pdf_text(store.get(result["letter"]), tmp_path)
    assert "حکم" in text and "محمد کریمی" in text and "استاندار" in text
    assert "انتصاب به سمت شهردار شهر الف" in text and "منصوب میشوید" in text


def test_a_notice_may_come_from_case_data_alone(store: AttachmentStore, tmp_path: Path) -> None:
    data = {
        "template": "notice",
        "to": "شهرداری الف",
        "subject": "ارسال گزارش عملکرد",
        "body": "گزارش را تا پایان ماه بفرستید.",
    }
    later = FixedClock(dt.datetime(2027, 3, 25, 8, 0, tzinfo=dt.UTC))  # 5 Farvardin 1406
    result = run("documents.letter", data, store, clock=later)
    text = pdf_text(store.get(result["letter"]), tmp_path)
    assert "ابلاغیه" in text and "گزارش را تا پایان ماه بفرستید" in text
    assert "۱۴۰۶/۰۱/۰۵" in text and compact("3f2a9c1b/1406") in compact(text)  # provisional number


@pytest.mark.parametrize(
    ("data", "params", "says"),
    [
        ({}, {"template": "memo", "to": "x"}, "الگوی نامه"),
        ({"subject": "x"}, {"template": "notice"}, "گیرنده"),
        ({"decision": "maybe", "reasoning": "x"}, {"template": "ruling", "to": "x"}, "رأی هیئت"),
        ({"nominee": "علی"}, {"template": "decree", "to": "x"}, "سمت"),
    ],
)
def test_a_letter_the_case_cannot_fill_is_a_check_failed_error(
    store: AttachmentStore, data: dict[str, Any], params: dict[str, Any], says: str
) -> None:
    with pytest.raises(HandlerError) as caught:
        run("documents.letter", data, store, params=params)
    assert caught.value.error_code == "check_failed" and says in caught.value.message


BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
    id="Defs_docs" targetNamespace="http://nezarat.ir/test">
  <bpmn:error id="Error_check" name="check failed" errorCode="check_failed" />
  <bpmn:process id="documents_demo" name="آلبوم و ابلاغ" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="album" name="تهیه آلبوم" camunda:type="external" camunda:topic="documents.budget_album">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:boundaryEvent id="album_failed" attachedToRef="album">
      <bpmn:outgoing>f_bad</bpmn:outgoing>
      <bpmn:errorEventDefinition id="album_failed_def" errorRef="Error_check" />
    </bpmn:boundaryEvent>
    <bpmn:serviceTask id="notice" name="ابلاغ">
      <bpmn:extensionElements>
        <spiffworkflow:serviceTaskOperator id="documents.letter">
          <spiffworkflow:parameters>
            <spiffworkflow:parameter id="template" type="str" value="'notice'" />
            <spiffworkflow:parameter id="to" type="str" value="'شهردار محترم شهر الف'" />
          </spiffworkflow:parameters>
        </spiffworkflow:serviceTaskOperator>
      </bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:userTask id="fix" name="اصلاح بودجه" camunda:candidateGroups="clerk">
      <bpmn:incoming>f_bad</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="end_fixed"><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="album" />
    <bpmn:sequenceFlow id="f2" sourceRef="album" targetRef="notice" />
    <bpmn:sequenceFlow id="f3" sourceRef="notice" targetRef="end" />
    <bpmn:sequenceFlow id="f_bad" sourceRef="album_failed" targetRef="fix" />
    <bpmn:sequenceFlow id="f4" sourceRef="fix" targetRef="end_fixed" />
  </bpmn:process>
</bpmn:definitions>
"""


@pytest.fixture
def process(tmp_path: Path, store: AttachmentStore) -> Iterator[Platform]:
    built = make_platform(
        f"sqlite:///{tmp_path / 'nezarat.db'}", tmp_path, FixedClock.at("2026-11-21T13:00:00Z")
    )
    built.runtime.services = {"attachments": store}
    with built.store.transaction() as tx:
        add_people(tx)
    bundle = tmp_path / "bundles" / "documents_demo"
    bundle.mkdir(parents=True)
    (bundle / "process.bpmn").write_text(BPMN, encoding="utf-8")
    built.deploy(bundle.parent, actor="admin")
    yield built
    built.store.dispose()


def test_a_process_produces_the_album_then_a_notice_and_keeps_both_refs(
    process: Platform, store: AttachmentStore
) -> None:
    data = {"budget": album_budget(), "unit_title": "شهرداری الف", "subject": "ابلاغ بودجه مصوب"}
    started = process.start("documents_demo", data, actor="ali")
    assert started.status == "completed"
    final = process.history(started.instance_id)[-1]["data"]["data"]
    assert store.exists(final["album"]) and store.exists(final["letter"])
    assert store.info(final["letter"]).filename.startswith("notice-")


def test_a_bad_budget_in_a_process_takes_the_check_failed_boundary(process: Platform) -> None:
    budget = album_budget()
    budget["resources"][0]["amount"] = -5
    started = process.start("documents_demo", {"budget": budget}, actor="ali")
    [task] = process.tasks("ali", instance_id=started.instance_id)
    assert task["element_id"] == "fix"
