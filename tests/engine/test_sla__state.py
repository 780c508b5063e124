"""The inbox colour of a deadline: ok, soon (today or the next working day) or overdue."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from engine import sla
from engine.business_calendar import BusinessCalendar
from engine.sla import SlaLevel

TEHRAN = ZoneInfo("Asia/Tehran")
DUE = dt.datetime(2026, 5, 9, 14, 30, tzinfo=TEHRAN)  # Saturday's close


@pytest.mark.parametrize(
    ("now", "remaining", "level"),
    [
        (dt.datetime(2026, 5, 5, 9, 0, tzinfo=TEHRAN), 3, SlaLevel.OK),  # Tue: Wed, Thu, Sat left
        (dt.datetime(2026, 5, 6, 9, 0, tzinfo=TEHRAN), 2, SlaLevel.OK),  # Wed
        (dt.datetime(2026, 5, 7, 9, 0, tzinfo=TEHRAN), 1, SlaLevel.SOON),  # Thu: Friday does not count
        (dt.datetime(2026, 5, 9, 14, 0, tzinfo=TEHRAN), 0, SlaLevel.SOON),  # due today
        (dt.datetime(2026, 5, 9, 14, 31, tzinfo=TEHRAN), 0, SlaLevel.OVERDUE),
        (dt.datetime(2026, 5, 12, 9, 0, tzinfo=TEHRAN), -3, SlaLevel.OVERDUE),  # Sun, Mon, Tue late
    ],
)
def test_state_counts_remaining_working_days_and_picks_the_level(
    now: dt.datetime, remaining: int, level: SlaLevel
) -> None:
    state = sla.state(DUE, now, BusinessCalendar())

    assert state == sla.SlaState(remaining_working_days=remaining, level=level)
    assert state.level == level.value  # a plain string for templates and JSON


def test_soon_can_start_earlier() -> None:
    now = dt.datetime(2026, 5, 5, 9, 0, tzinfo=TEHRAN)

    assert sla.state(DUE, now, BusinessCalendar(), soon_days=3).level == SlaLevel.SOON
