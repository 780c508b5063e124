"""How replay compares one event with the recorded one: ids pair on first sight and must stay paired,
the signature's bytes are not compared, smart referral's choice in task_ready is left out, and a
difference names the key that differs."""

from __future__ import annotations

from engine.history import Event
from engine.replay_compare import IdPairs, difference, is_context


def row(
    kind: str, task: str | None = "t1", data: dict[str, object] | None = None, actor: str | None = None
) -> Event:
    return Event(kind, actor, "review", task, data or {})


def test_a_task_id_pairs_on_first_sight_and_may_not_stand_for_another_later() -> None:
    ids = IdPairs()
    assert difference(row("task_ready"), row("task_ready", "r1"), ids, assigned=set()) is None
    assert difference(row("completed"), row("completed", "r1"), ids, assigned=set()) is None
    why = difference(row("completed"), row("completed", "r2"), ids, assigned=set())
    assert why == "the replay acted on another task than the recorded one"


def test_a_changed_value_is_named_by_its_key() -> None:
    recorded = row("service_completed", data={"delta": {"set": {"ok": True}}})
    replayed = row("service_completed", data={"delta": {"set": {"ok": False}}})
    why = difference(recorded, replayed, IdPairs(), assigned=set())
    assert why is not None and "set: {'ok': True} recorded, {'ok': False} replayed" in why


def test_a_signature_is_not_made_again_so_its_bytes_are_not_compared() -> None:
    recorded, replayed = row("signed", data={"cms": "AAAA"}), row("signed", data={"cms": "BBBB"})
    assert difference(recorded, replayed, IdPairs(), assigned=set()) is None


def test_the_holder_smart_referral_chose_is_left_out_of_task_ready_only_where_it_chose() -> None:
    recorded = row("task_ready", data={"assignee": "expert_1", "name": "بررسی"})
    replayed = row("task_ready", data={"assignee": "expert_2", "name": "بررسی"})
    assert difference(recorded, replayed, IdPairs(), assigned={"t1"}) is None
    assert difference(recorded, replayed, IdPairs(), assigned=set()) is not None


def test_holder_events_and_checkpoints_are_context_not_process() -> None:
    assert all(is_context(k) for k in ("assigned", "claimed", "referred", "returned", "checkpoint"))
    assert not any(is_context(k) for k in ("completed", "gateway_taken", "escalated", "incident"))
