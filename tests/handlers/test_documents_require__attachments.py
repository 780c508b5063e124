"""documents.require: the step's attachments are in the case and their files in the real attachment store."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

import handlers.documents_require  # noqa: F401  (registers the handler)
from engine import FixedClock, HandlerContext, HandlerError
from engine.service_tasks import lookup
from forms.attachments import AttachmentStore
from handlers.documents_require import KNOWN_LABELS
from tests.processes.conftest import NS, form_files, tree

NAME = "documents.require"
MAYOR_DOCS = "council_minutes,nominee_cv,nominee_id_card,nominee_degree"


@pytest.fixture
def store(tmp_path: Path) -> AttachmentStore:
    return AttachmentStore(tmp_path / "attachments")


def upload(store: AttachmentStore, text: str) -> str:
    return store.put(f"%PDF-1.4\n% {text}\n".encode(), filename=f"{text}.pdf", content_type="application/pdf")


def run(data: dict[str, Any], params: dict[str, Any], store: AttachmentStore | None) -> Any:
    ctx = HandlerContext(
        name=NAME, data=data, params=params, instance_id="mayor-1", process_key="mayor_appointment",
        element_id="require_docs", actor=None, clock=FixedClock.at("2026-03-01T09:00:00+03:30"),
        services={} if store is None else {"attachments": store},
    )  # fmt: skip
    return lookup(NAME)(ctx)


def mayor_case(store: AttachmentStore) -> dict[str, Any]:
    return {field: upload(store, field) for field in MAYOR_DOCS.split(",")} | {"nominee_name": "رضا"}


def failure(data: dict[str, Any], params: dict[str, Any], store: AttachmentStore | None) -> HandlerError:
    with pytest.raises(HandlerError) as caught:
        run(data, params, store)
    return caught.value


def test_every_document_attached_and_stored_passes_and_lists_what_was_checked(store: AttachmentStore) -> None:
    result = run(mayor_case(store), {"required": MAYOR_DOCS}, store)
    assert result == {"documents_check": {"ok": True, "checked": MAYOR_DOCS.split(",")}}


def test_required_may_be_a_list_or_text_with_spaces_persian_commas_and_repeats(
    store: AttachmentStore,
) -> None:
    data = mayor_case(store)
    as_text = run(data, {"required": " nominee_cv ، council_minutes,nominee_cv "}, store)
    as_list = run(data, {"required": ["nominee_cv", "council_minutes"]}, store)
    assert as_text["documents_check"]["checked"] == ["nominee_cv", "council_minutes"]
    assert as_list == as_text


def test_a_missing_document_throws_check_failed_naming_it_in_persian(store: AttachmentStore) -> None:
    data = mayor_case(store)
    del data["nominee_degree"]
    data["nominee_cv"] = ""
    err = failure(data, {"required": MAYOR_DOCS}, store)
    assert err.error_code == "check_failed" and err.element == "require_docs"
    assert err.details == {"missing": ["nominee_cv", "nominee_degree"], "not_stored": []}
    assert "«رزومهٔ نامزد»، «تصویر مدرک تحصیلی»" in err.message
    assert "صورت‌جلسه" not in err.message


def test_a_ref_whose_file_is_not_in_the_store_fails_and_asks_for_a_new_upload(store: AttachmentStore) -> None:
    data = mayor_case(store)
    data["council_minutes"] = "sha256:" + hashlib.sha256(b"never uploaded").hexdigest()
    data["nominee_id_card"] = "scan.pdf"  # a file name typed in, not an uploaded file's ref
    err = failure(data, {"required": MAYOR_DOCS}, store)
    assert err.error_code == "check_failed"
    assert err.details == {"missing": ["council_minutes", "nominee_id_card"], "not_stored": ["council_minutes", "nominee_id_card"]}  # fmt: skip
    assert "دوباره بارگذاری" in err.message and "«صورت‌جلسهٔ شورا»" in err.message


def test_a_field_holding_several_files_needs_every_one_stored(store: AttachmentStore) -> None:
    stored = [upload(store, "page-1"), upload(store, "page-2")]
    assert run({"photos": stored}, {"required": "photos"}, store)["documents_check"]["ok"] is True
    gone = "sha256:" + "0" * 64
    assert failure({"photos": [*stored, gone]}, {"required": "photos"}, store).details["not_stored"] == [
        "photos"
    ]
    assert failure({"photos": []}, {"required": "photos"}, store).details["missing"] == ["photos"]


def test_labels_given_by_the_task_win_and_an_unknown_field_is_named_as_is(store: AttachmentStore) -> None:
    err = failure({}, {"required": "nominee_cv,site_plan", "labels": {"nominee_cv": "سوابق کاری"}}, store)
    assert "«سوابق کاری»، «site_plan»" in err.message


def test_a_task_without_the_required_parameter_is_an_incident_not_a_missing_document(
    store: AttachmentStore,
) -> None:
    for params in ({}, {"required": ""}, {"required": [" "]}):
        err = failure(mayor_case(store), params, store)
        assert err.error_code == "invalid_input"
        assert "پارامتر required" in err.message and err.hint is not None


def test_values_passed_instead_of_field_names_are_refused_with_a_hint(store: AttachmentStore) -> None:
    data = mayor_case(store)
    err = failure(data, {"required": (data["council_minutes"], data["nominee_cv"])}, store)
    assert err.error_code == "invalid_input" and "literal field names" in (err.hint or "")


def test_without_the_attachment_store_the_check_is_an_incident(store: AttachmentStore) -> None:
    err = failure(mayor_case(store), {"required": MAYOR_DOCS}, None)
    assert err.error_code != "check_failed" and "attachments" in err.message


def test_labels_that_are_not_a_mapping_are_refused(store: AttachmentStore) -> None:
    assert failure({}, {"required": "nominee_cv", "labels": "CV"}, store).error_code == "invalid_input"


def required_of(key: str) -> list[str]:
    """The ``required`` input parameter of the bundle's documents.require task(s)."""
    tasks = tree(key).iterfind(".//bpmn:serviceTask[@camunda:topic='documents.require']", NS)
    params = [t.find(".//camunda:inputParameter[@name='required']", NS) for t in tasks]
    return [field for p in params for field in p.text.split(",")]


@pytest.mark.parametrize("key", ["mayor_appointment", "grade_promotion"])
def test_each_bundle_requires_attachment_fields_of_its_forms_and_has_their_labels(
    key: str, store: AttachmentStore
) -> None:
    fields = required_of(key)
    titles = {
        name: spec["title"]
        for form in form_files(key).values()
        for name, spec in form["schema"]["properties"].items()
        if spec.get("format") == "attachment"
    }
    assert fields and set(fields) <= set(titles)
    assert all(titles[f].startswith(KNOWN_LABELS[f]) for f in fields)
    data = {f: upload(store, f) for f in fields}
    assert run(data, {"required": ",".join(fields)}, store)["documents_check"]["checked"] == fields
