"""The case as of one history event: the data folded from the start, the submissions and the deltas up
to that event, and the elements done, active and failed at that point — on a real instance's history
and on hand-made events for the cases a small process does not reach."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from engine.errors import NotFound
from engine.platform import Platform
from engine.snapshot import as_of
from engine.store.models import HistoryEvent
from tests.conftest import bundle

AT = dt.datetime(2026, 3, 1, 5, 30, tzinfo=dt.UTC)


def event(
    seq: int, kind: str, element: str | None = None, task: str | None = None, **data: Any
) -> HistoryEvent:
    return HistoryEvent(seq=seq, at=AT, kind=kind, element_id=element, task_id=task, data=data)


def test_each_event_shows_the_data_as_it_was_then(platform: Platform) -> None:
    platform.deploy(bundle("review"))
    case = platform.start("review", {"amount": 10, "title": "الف"}, actor="ali").instance_id
    [task] = platform.tasks("sara", instance_id=case)
    platform.claim(task["id"], actor="sara")
    platform.complete(task["id"], {"amount": 25}, actor="sara")
    kinds = [e["kind"] for e in platform.history(case)]
    done = kinds.index("completed") + 1
    before, after = platform.snapshot(case, at=done - 1), platform.snapshot(case, at=done)
    assert before.data["amount"] == 10 and after.data["amount"] == 25
    assert before.data["title"] == after.data["title"] == "الف"
    assert platform.snapshot(case, at=1).data == {"amount": 10, "title": "الف"}
    assert before.active == (task["element_id"],) and task["element_id"] not in before.done
    assert task["element_id"] in after.done and task["element_id"] not in after.active
    assert platform.snapshot(case).seq == len(kinds)


def test_script_deltas_set_and_remove_keys_and_the_end_replaces_the_fold() -> None:
    events = [
        event(1, "started", data={"a": 1, "b": 2}),
        event(2, "script_completed", "calc", "t1", delta={"set": {"c": 3, "a": 9}, "removed": ["b"]}),
        event(3, "instance_completed", data={"final": True}),
    ]
    assert as_of(events, 1).data == {"a": 1, "b": 2}
    assert as_of(events, 2).data == {"a": 9, "c": 3}
    assert as_of(events, 2).done == ("calc",)
    assert as_of(events).data == {"final": True}


def test_keys_named_without_values_are_left_out_and_said_to_be_unrecorded() -> None:
    events = [
        event(1, "started", data={"a": 1}),
        event(2, "service_completed", "check", "t1", delta={"set": ["a", "ok"]}),
        event(3, "completed", "fix", "t2", submitted={"a": 5}),
    ]
    shot = as_of(events, 2)
    assert shot.data == {} and shot.unrecorded == ("a", "ok")
    assert as_of(events, 3).unrecorded == ("ok",) and as_of(events, 3).data == {"a": 5}


def test_an_incident_marks_its_element_failed_until_the_retry() -> None:
    events = [
        event(1, "started"),
        event(2, "task_ready", "review", "t1"),
        event(3, "incident", "check", message="handler failed"),
        event(4, "retried", task="t9"),
        event(5, "task_cancelled", "review", "t1"),
    ]
    assert as_of(events, 2).active == ("review",)
    assert as_of(events, 3).failed == ("check",)
    assert as_of(events, 4).failed == () and as_of(events, 4).active == ("review",)
    assert as_of(events, 5).active == ()


@pytest.mark.parametrize("seq", [-1, 4])
def test_an_event_the_history_does_not_have_is_not_found(seq: int) -> None:
    events = [event(1, "started"), event(2, "task_ready", "x", "t"), event(3, "end_reached", "end")]
    with pytest.raises(NotFound, match="#1 to #3"):
        as_of(events, seq)
