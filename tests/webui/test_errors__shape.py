"""One request per error class: the JSON API always answers {ok: false, code, error, status}."""

from __future__ import annotations

import logging

import pytest
from flask.testing import FlaskClient

from engine import errors
from engine.platform import Platform
from tests.webui.api_client import Api, assert_error
from webui.errors import TooLarge


def error_classes() -> list[type[errors.NezaratError]]:
    found, stack = [], [errors.NezaratError]
    while stack:
        cls = stack.pop()
        found.append(cls)
        stack.extend(cls.__subclasses__())
    return sorted(found, key=lambda c: c.__name__)


@pytest.mark.parametrize("cls", [*error_classes(), TooLarge], ids=lambda c: c.__name__)
def test_each_nezarat_error_renders_with_its_status_and_code(
    api: Api, platform: Platform, monkeypatch: pytest.MonkeyPatch, cls: type[errors.NezaratError]
) -> None:
    def fail(instance_id: str, **_: object) -> None:
        raise cls("something went wrong", hint="try again", line=3)

    monkeypatch.setattr(platform, "instance", fail)
    body = assert_error(api.as_("ali").get("/instances/i1"), cls.status, cls.code)
    assert (body["error"], body["hint"], body["line"]) == ("something went wrong", "try again", 3)


def test_invalid_input_from_a_real_request(api: Api, started: str) -> None:
    task = api.as_("ali").task_of(started)
    response = api.as_("ali").post(
        f"/tasks/{task['id']}/complete", data=b"{", content_type="application/json"
    )
    assert_error(response, 400, "invalid_input")


def test_unauthorized_from_a_real_request(client: FlaskClient) -> None:
    assert_error(client.get("/api/v1/tasks"), 401, "unauthorized")


def test_forbidden_from_a_real_request(api: Api, started: str) -> None:
    task = api.as_("ali").task_of(started)
    assert_error(api.as_("reza").post(f"/tasks/{task['id']}/claim"), 403, "forbidden")


def test_not_found_from_the_engine(api: Api) -> None:
    assert_error(api.as_("ali").get("/instances/nope"), 404, "not_found")


def test_not_found_for_an_unknown_route(client: FlaskClient) -> None:
    assert_error(client.get("/api/v1/no-such-thing"), 404, "not_found")


def test_method_not_allowed_names_the_allowed_methods(api: Api) -> None:
    response = api.as_("ali").get("/tasks/t1/complete")
    assert_error(response, 405, "method_not_allowed")
    assert "POST" in response.headers["Allow"]


def test_conflict_from_a_real_request(api: Api, started: str) -> None:
    task = api.as_("ali").task_of(started)
    stale = api.as_("ali").post(f"/tasks/{task['id']}/complete", json={"expected_rev": 5})
    assert_error(stale, 409, "conflict")


def test_an_unexpected_error_is_500_internal_logged_and_without_traceback(
    api: Api, platform: Platform, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(platform, "tasks", crash)
    with caplog.at_level(logging.ERROR, logger="webui.errors"):
        response = api.as_("ali").get("/tasks")
    body = assert_error(response, 500, "internal")
    assert "secret internal detail" not in response.get_data(as_text=True)
    [record] = [r for r in caplog.records if r.name == "webui.errors"]
    assert record.exc_info is not None and "secret internal detail" in str(record.exc_info[1])
    assert record.getMessage().split()[2] in body["error"]  # the reference ties the reply to the log line
