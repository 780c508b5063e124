"""A script or handler that leaves a value the case data cannot hold (a date, a set, NaN) stops at an
incident that names the element, the variable and the fix — the instance keeps its data from before
the step and can be retried — instead of the completion crashing at save time."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from engine import service_tasks
from engine.platform import Platform
from engine.spiff import workflow
from engine.spiff.serializer import codec
from engine.store import instances
from tests.conftest import bundle

LETTER = {"received": "1403/01/15", "as_date": False, "nested": False}


@pytest.fixture
def tags() -> Iterator[list[object]]:
    answers: list[object] = []

    @service_tasks.handler("test.tags")
    def tag(ctx: service_tasks.HandlerContext) -> object:
        return answers.pop(0)

    yield answers
    service_tasks.unregister("test.tags")


@pytest.fixture
def dated(platform: Platform, tags: list[object]) -> Platform:
    platform.runtime.live._size = 0  # each step reloads: what was saved is what the next step sees
    platform.deploy(bundle("script_dates"), actor="admin")
    return platform


def submit(platform: Platform, data: dict[str, object]) -> tuple[str, dict[str, object]]:
    started = platform.start("script_dates", {}, actor="ali")
    [fill] = platform.tasks("ali", instance_id=started.instance_id)
    platform.complete(str(fill["id"]), data, actor="ali")
    return started.instance_id, platform.instance(started.instance_id)


def test_a_script_that_stores_iso_text_carries_on(dated: Platform) -> None:
    instance_id, instance = submit(dated, LETTER)

    assert instance["status"] == "running" and instance["incident"] is None
    [check] = dated.tasks("ali", instance_id=instance_id)
    assert check["element_id"] == "check"
    script = [e for e in dated.history(instance_id) if e["kind"] == "script_completed"]
    assert script[0]["data"]["delta"]["set"]["received_on"] == "2024-04-03"


def test_a_date_left_by_a_script_is_an_incident_naming_the_script_and_the_variable(dated: Platform) -> None:
    instance_id, instance = submit(dated, {**LETTER, "as_date": True})

    assert instance["status"] == "error"
    assert instance["incident"]["element_id"] == "stamp"
    assert instance["incident"]["message"] == (
        "variable 'received_on' holds a date, which cannot be stored; "
        "store an ISO string, e.g. received_on.isoformat()"
    )
    assert dated.tasks("ali", instance_id=instance_id) == []
    kinds = [e["kind"] for e in dated.history(instance_id)]
    assert kinds == ["started", "task_ready", "completed", "incident"]
    assert dated.verify(instance_id).ok


def test_a_date_deep_inside_a_dict_is_named_by_its_path(dated: Platform) -> None:
    _, instance = submit(dated, {**LETTER, "nested": True})

    assert instance["incident"]["message"] == (
        "variable 'letter' holds a date at letter['log'][0], which cannot be stored; "
        "store an ISO string, e.g. letter['log'][0].isoformat()"
    )


def test_the_failed_script_left_the_data_as_it_was_and_a_retry_reports_it_again(dated: Platform) -> None:
    instance_id, _ = submit(dated, {**LETTER, "as_date": True})

    retried = dated.retry(instance_id, actor="admin")

    assert retried.status == "error"
    instance = dated.instance(instance_id)
    assert "variable 'received_on' holds a date" in instance["incident"]["message"]
    kinds = [e["kind"] for e in dated.history(instance_id)]
    assert kinds[-2:] == ["retried", "incident"]
    # Nothing the script computed was kept: the failed task holds exactly the submitted data.
    assert failed_task_data(dated, instance_id) == {**LETTER, "as_date": True}
    assert dated.verify(instance_id).ok


def failed_task_data(platform: Platform, instance_id: str) -> dict[str, object]:
    with platform.store.reading() as tx:
        version = platform.runtime.versions.get(tx, instances.head(tx, instance_id).version_id)
        state = instances.state(tx, instance_id)
    wf = codec(version.flavour).load_state(state, version.spec, version.subprocess_specs)
    [failed] = workflow.failed_task_ids(wf)
    return workflow.task_data(wf, failed)


@pytest.mark.parametrize(
    ("returned", "message"),
    [
        ({"labels": {"urgent", "budget"}}, "variable 'labels' holds a set, which cannot be stored; "),
        (
            {"score": float("nan")},
            "variable 'score' holds nan, which cannot be stored; store a number or None",
        ),
        (
            {"by_year": {1403: "ok"}},
            "variable 'by_year' holds a dict with the key 1403, which cannot be stored",
        ),
    ],
)
def test_a_handler_returning_what_cannot_be_stored_is_an_incident(
    dated: Platform, tags: list[object], returned: dict[str, object], message: str
) -> None:
    tags.append(returned)

    started = dated.start("handler_sets", {}, actor="ali")

    instance = dated.instance(started.instance_id)
    assert started.status == "error" and instance["incident"]["element_id"] == "tag"
    assert instance["incident"]["message"].startswith(
        f"handler 'test.tags' returned data that cannot be stored: {message}"
    )
