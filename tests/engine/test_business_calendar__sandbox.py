"""Scripts and timers can count Iranian working days: add_working_days() and working_days_between()."""

from __future__ import annotations

import datetime as dt

import pytest

from engine.clock import parse_instant
from engine.errors import ScriptError
from engine.scripting import check, evaluate, execute
from engine.spiff.expressions import first_start_due

START = "2026-03-10T05:30:00Z"  # Tuesday 1404/12/19, 09:00 in Tehran


def test_a_timer_expression_can_add_twenty_working_days_to_the_start_time() -> None:
    due = evaluate("add_working_days(start_time, 20)", {"start_time": START})

    assert due == "2026-04-11T11:00:00+00:00"  # 1405/01/22 at 14:30 Tehran, across Nowruz


def test_the_result_is_a_date_timer_value_the_workflow_engine_accepts() -> None:
    due = evaluate("add_working_days(start_time, 20)", {"start_time": START})

    when, firings, _ = first_start_due("date", due, parse_instant(START))
    assert when == dt.datetime(2026, 4, 11, 11, 0, tzinfo=dt.UTC)
    assert firings == 1


def test_datetimes_and_dates_are_accepted_too() -> None:
    names = {"started": dt.datetime(2026, 3, 10, 5, 30, tzinfo=dt.UTC), "day": dt.date(2026, 3, 10)}

    assert (
        evaluate("add_working_days(started, 1)", names) == "2026-03-12T11:00:00+00:00"
    )  # 12/20 is a holiday
    assert evaluate("add_working_days(day, 1)", names) == "2026-03-12T11:00:00+00:00"


def test_a_script_can_count_working_days_between_two_dates() -> None:
    data = {"registered": START, "ruled": "2026-04-11T08:00:00Z"}

    execute("late = working_days_between(registered, ruled) > 20", data)

    assert data["late"] is False
    assert evaluate("working_days_between(b, a)", {"a": START, "b": "2026-04-11T08:00:00Z"}) == -20


def test_the_helpers_pass_the_deploy_time_check() -> None:
    check("add_working_days(start_time, 20)", "eval")


@pytest.mark.parametrize(
    ("expression", "says"),
    [
        ("add_working_days('soon', 2)", "expects a datetime"),
        ("add_working_days(start_time, -1)", "whole number"),
        ("add_working_days(start_time, 2.5)", "whole number"),
        ("add_working_days(start_time, 10 ** 9)", "whole number"),
        ("working_days_between(start_time, 5)", "expects a datetime"),
    ],
)
def test_bad_arguments_are_script_errors(expression: str, says: str) -> None:
    with pytest.raises(ScriptError) as caught:
        evaluate(expression, {"start_time": START})
    assert says in caught.value.message
    assert caught.value.line == 1
