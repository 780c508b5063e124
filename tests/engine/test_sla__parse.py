"""Reading a task's sla* properties: good values become a rule, bad ones a DefinitionError naming the property."""

from __future__ import annotations

import datetime as dt

import pytest

from engine import sla
from engine.errors import DefinitionError


def test_days_default_to_working_days_counted_from_the_task() -> None:
    rule = sla.parse({"sla": "P20D"})

    assert rule == sla.SlaRule(sla="P20D", days=20, time=dt.timedelta(0))
    assert (rule.calendar, rule.origin, rule.reminders, rule.escalate_to) == ("working", "task", (), None)


def test_every_property_is_read() -> None:
    rule = sla.parse(
        {
            "sla": "PT48H",
            "sla_calendar": "calendar",
            "sla_from": "start",
            "sla_reminders": "0.8, 0.5",
            "sla_escalate_to": "urban_affairs_dg",
        }
    )

    assert rule is not None
    assert (rule.days, rule.time) == (0, dt.timedelta(hours=48))
    assert (rule.calendar, rule.origin) == ("calendar", "start")
    assert rule.reminders == (0.5, 0.8)
    assert rule.escalate_to == "urban_affairs_dg"


@pytest.mark.parametrize(
    ("text", "days", "time"),
    [
        ("P3D", 3, dt.timedelta(0)),
        ("PT90M", 0, dt.timedelta(minutes=90)),
        ("PT1.5H", 0, dt.timedelta(minutes=90)),
        ("pt2h30m", 0, dt.timedelta(hours=2, minutes=30)),
    ],
)
def test_iso_durations_of_days_or_time(text: str, days: int, time: dt.timedelta) -> None:
    assert sla.parse_duration(text) == (days, time)


def test_days_and_hours_mix_only_under_the_plain_calendar() -> None:
    assert sla.parse_duration("P1DT12H", calendar="calendar") == (1, dt.timedelta(hours=12))
    with pytest.raises(DefinitionError, match="cannot be mixed"):
        sla.parse({"sla": "P1DT12H"})


def test_no_sla_is_no_rule() -> None:
    assert sla.parse({}) is None
    assert sla.parse({"sla": "  ", "priority": "50"}) is None


@pytest.mark.parametrize(
    ("properties", "named"),
    [
        ({"sla": "20 days"}, "sla="),
        ({"sla": "P1M"}, "sla="),
        ({"sla": "P2W"}, "sla="),
        ({"sla": "P0D"}, "sla="),
        ({"sla": "PT"}, "sla="),
        ({"sla": "P3DT"}, "sla="),
        ({"sla": "P99999999D"}, "sla="),
        ({"sla": "P3D", "sla_calendar": "weekly"}, "sla_calendar="),
        ({"sla": "P3D", "sla_from": "letter"}, "sla_from="),
        ({"sla": "P3D", "sla_reminders": "0.5,1.2"}, "sla_reminders="),
        ({"sla": "P3D", "sla_reminders": "half"}, "sla_reminders="),
        ({"sla": "P3D", "sla_reminders": "0"}, "sla_reminders="),
        ({"sla": "P3D", "sla_escalate_to": "urban affairs"}, "sla_escalate_to="),
        ({"sla_reminders": "0.5"}, "sla_reminders="),
    ],
)
def test_a_bad_value_is_a_definition_error_naming_the_property_and_the_element(
    properties: dict[str, str], named: str
) -> None:
    with pytest.raises(DefinitionError) as caught:
        sla.parse(properties, element="Task_review")

    assert named in caught.value.message
    assert caught.value.element == "Task_review"
    assert caught.value.hint


def test_the_weeks_hint_says_how_to_write_them() -> None:
    with pytest.raises(DefinitionError) as caught:
        sla.parse({"sla": "P2W"})
    assert "P14D" in (caught.value.hint or "")
