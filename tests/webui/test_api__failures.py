"""Refusals over the API: wrong user, unknown ids, stale revisions, double submissions, malformed bodies."""

from __future__ import annotations

import pytest

from tests.webui.api_client import Api, assert_error

UNKNOWN = "00000000-0000-0000-0000-000000000000"


def test_a_user_of_another_group_may_not_complete_the_task(api: Api, started: str) -> None:
    task = api.as_("ali").task_of(started)
    before = api.as_("ali").get(f"/instances/{started}").json["revision"]
    refused = api.as_("reza").post(f"/tasks/{task['id']}/complete", json={"data": {"amount": 1}})
    body = assert_error(refused, 403, "forbidden")
    assert "reza" in body["error"]
    assert api.as_("ali").get(f"/instances/{started}").json["revision"] == before


def test_a_user_of_another_group_may_not_claim_the_task(api: Api, started: str) -> None:
    task = api.as_("ali").task_of(started)
    assert_error(api.as_("mina").post(f"/tasks/{task['id']}/claim"), 403, "forbidden")


def test_a_task_claimed_by_someone_else_cannot_be_unclaimed(api: Api, started: str) -> None:
    task = api.as_("ali").task_of(started)
    api.as_("ali").post(f"/tasks/{task['id']}/claim")
    assert_error(api.as_("sara").post(f"/tasks/{task['id']}/unclaim"), 403, "forbidden")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", f"/tasks/{UNKNOWN}/claim"),
        ("post", f"/tasks/{UNKNOWN}/unclaim"),
        ("post", f"/tasks/{UNKNOWN}/complete"),
        ("get", f"/instances/{UNKNOWN}"),
        ("get", f"/instances/{UNKNOWN}/history"),
        ("get", f"/instances/{UNKNOWN}/verify"),
        ("post", f"/instances/{UNKNOWN}/cancel"),
        ("post", "/processes/no_such_process/instances"),
    ],
)
def test_unknown_tasks_instances_and_processes_are_404(api: Api, method: str, path: str) -> None:
    assert_error(getattr(api.as_("ali"), method)(path), 404, "not_found")


def test_a_stale_expected_rev_is_a_conflict_and_changes_nothing(api: Api, started: str) -> None:
    ali = api.as_("ali")
    task = ali.task_of(started)
    seen = ali.get(f"/instances/{started}").json["revision"]
    ali.post(f"/tasks/{task['id']}/claim")  # moves the revision on
    stale = ali.post(f"/tasks/{task['id']}/complete", json={"data": {"amount": 5}, "expected_rev": seen})
    body = assert_error(stale, 409, "conflict")
    assert "revision" in body["error"] and body["hint"]
    assert ali.get(f"/instances/{started}").json["revision"] == seen + 1
    assert ali.task_of(started)["id"] == task["id"]


def test_a_second_completion_of_the_same_task_is_refused(api: Api, started: str) -> None:
    ali = api.as_("ali")
    task = ali.task_of(started)
    assert ali.post(f"/tasks/{task['id']}/complete", json={"data": {"amount": 5}}).status_code == 200
    again = ali.post(f"/tasks/{task['id']}/complete", json={"data": {"amount": 6}})
    # The engine answers 404 (task no longer open) or 409 (already completed), always as a JSON error.
    assert again.status_code in (404, 409)
    assert_error(again, again.status_code, {404: "not_found", 409: "conflict"}[again.status_code])
    history = ali.get(f"/instances/{started}/history").json
    assert [e["data"] for e in history if e["kind"] == "completed"] == [{"submitted": {"amount": 5}}]


def test_cancelling_twice_is_an_invalid_transition(api: Api, started: str) -> None:
    api.as_("ali").post(f"/instances/{started}/cancel")
    assert_error(api.as_("ali").post(f"/instances/{started}/cancel"), 409, "invalid_transition")


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b'{"data": {"amount": 1}', b"[1, 2]", b'"text"', b'{"data": NaN}', b"\xff\xfe{"],
)
def test_a_malformed_json_body_is_400(api: Api, started: str, raw: bytes) -> None:
    task = api.as_("ali").task_of(started)
    before = api.as_("ali").get(f"/instances/{started}").json["revision"]
    response = api.as_("ali").post(f"/tasks/{task['id']}/complete", data=raw, content_type="application/json")
    assert_error(response, 400, "invalid_input")
    assert api.as_("ali").get(f"/instances/{started}").json["revision"] == before


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"data": {"amount": 1}, "expected": 0}, "unknown field 'expected'"),
        ({"data": {"amount": 1}, "expected_rev": "0"}, "'expected_rev' must be an integer"),
        ({"data": {"amount": 1}, "expected_rev": True}, "'expected_rev' must be an integer"),
        ({"data": [1, 2]}, "data must be a JSON object"),
        ({"data": {"_secret": 1}}, "'_secret' is not allowed"),
    ],
)
def test_a_body_with_wrong_fields_is_400(api: Api, started: str, body: dict[str, object], words: str) -> None:
    task = api.as_("ali").task_of(started)
    refused = assert_error(
        api.as_("ali").post(f"/tasks/{task['id']}/complete", json=body), 400, "invalid_input"
    )
    assert words in refused["error"]


def test_a_business_key_must_be_a_string(api: Api, deployed: str) -> None:
    response = api.as_("ali").post(f"/processes/{deployed}/instances", json={"business_key": 17})
    assert "'business_key' must be a string" in assert_error(response, 400, "invalid_input")["error"]
