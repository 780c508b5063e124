"""Work and deadline KPIs from real instances: tasks done on time (the due minute itself included),
late, without a deadline, open and overdue now, breached and escalated; a task referred to another
unit counts there; the period is the Jalali fiscal year by default; a unit covers the units under it
and never a sibling; each person sees their own unit's numbers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import jsonschema
import pytest

from engine import directory
from engine.clock import FixedClock
from engine.errors import Forbidden, InvalidInput, NotFound
from engine.kpi.schema import report_schema
from engine.platform import Platform
from tests.conftest import bundle
from tests.support.handlers import recording

TEHRAN = dt.timezone(dt.timedelta(hours=3, minutes=30))
T0 = dt.datetime(2026, 4, 4, 9, 0, tzinfo=TEHRAN)  # Saturday 15 Farvardin 1405
DUE = T0 + dt.timedelta(days=2)  # intake's SLA: two calendar days
NOW = T0 + dt.timedelta(days=3, hours=1)
LAST_YEAR = dt.datetime(2026, 3, 10, 9, 0, tzinfo=TEHRAN)  # 19 Esfand 1404
ZERO = {
    "completed": 0,
    "on_time": 0,
    "late": 0,
    "no_deadline": 0,
    "open": 0,
    "overdue": 0,
    "breached": 0,
    "escalated": 0,
    "sla_compliance_pct": None,
}
MUNI_A = {
    **ZERO,
    "completed": 4,
    "on_time": 2,
    "late": 1,
    "no_deadline": 1,
    "sla_compliance_pct": 66.7,
    "open": 3,
    "breached": 1,
    "escalated": 1,
}
MUNI_B = {
    **ZERO,
    "completed": 1,
    "on_time": 1,
    "sla_compliance_pct": 100.0,
    "open": 1,
    "overdue": 1,
    "breached": 1,
    "escalated": 1,
}
TOTAL = {
    "completed": 5,
    "on_time": 3,
    "late": 1,
    "no_deadline": 1,
    "sla_compliance_pct": 75.0,
    "open": 4,
    "overdue": 1,
    "breached": 2,
    "escalated": 2,
}


def do(platform: Platform, instance_id: str, user: str, element: str) -> None:
    (task,) = [t for t in platform.tasks(user, instance_id=instance_id) if t["element_id"] == element]
    platform.complete(task["id"], {}, actor=user)


def task_of(platform: Platform, instance_id: str, user: str) -> dict[str, Any]:
    (task,) = platform.tasks(user, instance_id=instance_id)
    return task


@pytest.fixture
def worked(platform: Platform, clock: FixedClock) -> Platform:
    """Last year one case done in time; this year five cases, worked as the comments say."""
    platform.deploy(bundle("kpi_work"), actor="admin")
    clock.set(LAST_YEAR)
    old = platform.start("kpi_work", {}, actor="ali").instance_id
    clock.set(LAST_YEAR + dt.timedelta(days=1))
    do(platform, old, "ali", "intake")
    do(platform, old, "mina", "review")
    clock.set(T0)
    a, b, _c, d, e = (  # _c: bahram never finishes its intake
        platform.start("kpi_work", {}, actor=who).instance_id
        for who in ("ali", "sara", "bahram", "ali", "ali")
    )
    platform.refer(task_of(platform, e, "ali")["id"], actor="ali", to_unit="muni-b", note="برای ب")
    clock.set(T0 + dt.timedelta(days=1))
    do(platform, a, "ali", "intake")  # a day early
    do(platform, e, "bahram", "intake")  # in time, at muni-b after the referral
    clock.set(T0 + dt.timedelta(days=1, hours=1))
    do(platform, a, "mina", "review")  # no deadline
    clock.set(DUE)
    do(platform, d, "ali", "intake")  # on the due minute: still on time
    with recording("sla.remind", "sla.escalate"):
        platform.tick(DUE + dt.timedelta(seconds=1))  # b (muni-a) and c (muni-b) escalate to manager
    clock.set(DUE + dt.timedelta(days=1))
    do(platform, b, "sara", "intake")  # a day late
    clock.set(NOW)  # open now: reviews of b, d, e (muni-a); c's intake at muni-b, overdue
    return platform


def by_unit(report: dict[str, Any]) -> dict[str | None, dict[str, Any]]:
    rows = report["tasks"]["by_unit"]
    return {row["unit"]: {k: v for k, v in row.items() if k not in ("unit", "title")} for row in rows}


def test_each_unit_gets_its_tasks_on_time_late_open_and_overdue(worked: Platform) -> None:
    report = worked.kpis()
    assert report["period"]["label"] == "1405/01/01 – 1405/12/29"
    assert by_unit(report) == {"muni-a": MUNI_A, "muni-b": MUNI_B}
    assert report["tasks"]["total"] == TOTAL
    assert report["tasks"]["by_process"] == [{"process_key": "kpi_work", **TOTAL}]
    assert [r["title"] for r in report["tasks"]["by_unit"]] == ["شهرداری الف", "شهرداری ب"]
    jsonschema.validate(report, report_schema())


def test_last_fiscal_year_holds_only_last_years_work(worked: Platform) -> None:
    report = worked.kpis(since="۱۴۰۴/۰۱/۰۱")
    assert report["period"]["to_jalali"] == "1405/01/01"
    done_then = {"completed": 2, "on_time": 1, "no_deadline": 1, "sla_compliance_pct": 100.0}
    open_now = {"open": 4, "overdue": 1}  # open and overdue are counted now, whatever the period
    assert report["tasks"]["total"] == {**ZERO, **done_then, **open_now}


def test_a_period_with_nothing_done_gives_zeros_and_no_percentage(worked: Platform) -> None:
    report = worked.kpis(since="2026-06-01", until="1405/04/01")
    assert report["tasks"]["total"] == {**ZERO, "open": 4, "overdue": 1}


def test_an_empty_database_gives_zeros_everywhere(platform: Platform) -> None:
    report = platform.kpis()
    assert report["tasks"] == {"total": ZERO, "by_unit": [], "by_process": []}
    jsonschema.validate(report, report_schema())


def test_a_unit_covers_the_units_under_it_and_not_its_siblings(worked: Platform) -> None:
    assert worked.kpis(unit="gov")["tasks"]["total"] == TOTAL
    only_a = worked.kpis(unit="muni-a")
    assert (by_unit(only_a), only_a["tasks"]["total"]) == ({"muni-a": MUNI_A}, MUNI_A)
    assert only_a["units"] == ["muni-a"]
    only_b = worked.kpis(unit="muni-b")
    assert (by_unit(only_b), only_b["tasks"]["by_process"]) == (
        {"muni-b": MUNI_B},
        [{"process_key": "kpi_work", **MUNI_B}],
    )


def test_a_person_sees_their_own_unit_and_below_and_admins_see_all(worked: Platform) -> None:
    with worked.store.transaction() as tx:
        directory.add_user(tx, "boss", groups=["admin"])
        directory.add_user(tx, "nobody", groups=["clerk"])
    assert worked.kpis(actor="mina")["unit"] == "muni-a"
    assert worked.kpis(actor="mina")["tasks"]["total"] == MUNI_A
    assert worked.kpis(actor="reza")["tasks"]["total"] == TOTAL  # the governorate over both
    assert worked.kpis(actor="reza", unit="muni-b")["tasks"]["total"] == MUNI_B
    assert worked.kpis(actor="boss")["units"] is None
    with pytest.raises(Forbidden, match="not of 'muni-b'"):
        worked.kpis(actor="mina", unit="muni-b")
    with pytest.raises(Forbidden, match="no org unit"):
        worked.kpis(actor="nobody")
    with pytest.raises(NotFound, match="unit 'muni-z'"):
        worked.kpis(unit="muni-z")


@pytest.mark.parametrize(
    ("since", "until", "label"),
    [
        ("1405/01/01", "1406/01/01", "1405/01/01 – 1405/12/29"),
        ("1405-07-01", None, "1405/07/01 – 1405/12/29"),
        (None, "1405/07/01", "1405/01/01 – 1405/06/31"),
        ("2026-03-21", "2026-03-22", "1405/01/01 – 1405/01/01"),
        ("2026-03-20T20:30:00Z", "2026-03-21T20:30:00+00:00", "1405/01/01 – 1405/01/01"),
    ],
)
def test_bounds_are_jalali_or_iso_days_in_tehran(
    platform: Platform, since: Any, until: Any, label: str
) -> None:
    assert platform.kpis(since=since, until=until)["period"]["label"] == label


@pytest.mark.parametrize(
    ("since", "until"), [("1405/13/01", None), ("tomorrow", None), ("1405/02/01", "1405/01/01")]
)
def test_a_bad_or_empty_period_is_refused(platform: Platform, since: str, until: str | None) -> None:
    with pytest.raises(InvalidInput):
        platform.kpis(since=since, until=until)
