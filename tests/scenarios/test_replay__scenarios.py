"""Verifying replay on the process library (issue 5). Every scenario's instances replay clean in the
``library`` fixture's teardown (tests/scenarios/conftest.py); here: a handler whose behaviour changed is
reported at the event where it first shows, and instances with SLA escalation, a BPMN timer, or at a
mid-point replay clean without sending mail."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

from engine import HandlerContext, service_tasks
from engine.budget import case as budget_case
from engine.replay import Replayer, ReplayReport
from engine.service_tasks import HandlerFn
from handlers import wiring
from tests.scenarios.conftest import Library
from tests.scenarios.test_budget_oversight__scenarios import (
    REVIEW_DUE,
    REVIEW_READY,
    circular,
    draft_of,
    reviewer,
    through_the_council,
)


@contextlib.contextmanager
def handler_replaced(name: str, fn: HandlerFn) -> Iterator[None]:
    """``fn`` answers for ``name`` inside the block (as a deployment with a changed handler would)."""
    original = service_tasks.lookup(name)
    service_tasks.unregister(name)
    service_tasks.handler(name)(fn)
    try:
        yield
    finally:
        service_tasks.unregister(name)
        service_tasks.handler(name)(original)


def replay(library: Library, instance_id: str) -> ReplayReport:
    settings = library.platform.settings
    return Replayer.of(library.platform, wiring.replay_services(settings)).replay(instance_id)


def refuses_every_budget(ctx: HandlerContext) -> dict[str, object]:
    raise budget_case.check_failed("بودجه مغایر ضوابط است", {"ok": False, "problems": []})


def test_a_budget_check_that_now_refuses_is_reported_at_the_check(library: Library) -> None:
    case = circular(library, "muni-a")
    case.do("budget_a", "draft", draft_of("muni-a"))
    (check,) = case.events("service_completed", "check")
    with handler_replaced("budget.check_structure", refuses_every_budget):
        report = replay(library, case.id)
    assert not report.ok and report.divergence is not None
    assert (report.divergence.seq, report.divergence.kind) == (check["seq"], "service_completed")
    assert report.divergence.element_id == "check"
    assert report.divergence.actual is not None
    assert report.divergence.actual["kind"] != "service_completed"
    assert report.replayed == check["seq"] - 1  # everything before the check replayed the same
    assert replay(library, case.id).ok  # with the handler as it was, the same history comes back


def test_a_check_that_changes_only_a_value_is_reported_at_the_check(library: Library) -> None:
    case = circular(library, "muni-a")
    case.do("budget_a", "draft", draft_of("muni-a"))
    (check,) = case.events("service_completed", "check")

    def another_circular(ctx: HandlerContext) -> dict[str, object]:
        return {"budget_check": {"ok": True, "circular": "1404", "problems": []}}

    with handler_replaced("budget.check_structure", another_circular):
        report = replay(library, case.id)
    assert report.divergence is not None
    assert (report.divergence.seq, report.divergence.element_id) == (check["seq"], "check")
    assert "'circular': '1405'" in report.divergence.reason  # recorded
    assert "'circular': '1404'" in report.divergence.reason  # replayed


def test_an_escalation_across_nowruz_replays_clean_and_sends_nothing(library: Library) -> None:
    library.clock.set(REVIEW_READY)
    case = circular(library, "muni-a")
    case.do("budget_a", "draft", draft_of("muni-a"))
    through_the_council(case, "muni-a")
    library.platform.tick(REVIEW_DUE + dt.timedelta(seconds=1))
    case.do("dg_urban", "review", {"conforming": "yes", "review_note": "مطابق بخشنامه"})
    assert case.events("escalated", "review")
    sent = len(library.mail)
    report = replay(library, case.id)
    assert report.ok, report.to_dict()
    assert report.replayed == report.events == len(case.history())
    assert len(library.mail) == sent


def test_a_boundary_timer_replays_at_its_time(library: Library) -> None:
    case = circular(library, "muni-a")
    case.do("budget_a", "draft", draft_of("muni-a"))
    case.do("mayor_a", "submit", {"bill_no": "۱۲", "bill_date": "1404/10/10"})
    library.platform.tick(library.clock.now() + dt.timedelta(days=30, seconds=1))
    assert case.events("timer_fired", "council_late")
    report = replay(library, case.id)
    assert report.ok, report.to_dict()


def test_an_instance_at_a_mid_point_replays_up_to_where_it_is(library: Library) -> None:
    case = circular(library, "muni-a")
    case.do("budget_a", "draft", draft_of("muni-a"))
    through_the_council(case, "muni-a")
    assert case.status == "running" and case.open(reviewer(case)) == ["review"]
    report = replay(library, case.id)
    assert report.ok, report.to_dict()
    assert report.replayed == report.events == len(case.history())
