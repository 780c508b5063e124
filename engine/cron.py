"""Cron schedules in timer start events (Camunda writes ``timeCycle`` as Quartz cron: ``0 0/5 * * * ?``).

Parsed with APScheduler's CronTrigger. Quartz's fields are ``sec min hour day-of-month month
day-of-week [year]`` with ``?`` for "no value" and day-of-week 1 = Sunday, which we translate.
"""

from __future__ import annotations

import datetime as dt

from apscheduler.triggers.cron import CronTrigger

from engine.errors import InvalidInput

_QUARTZ_DAYS = {"1": "sun", "2": "mon", "3": "tue", "4": "wed", "5": "thu", "6": "fri", "7": "sat"}


def is_cron(value: str) -> bool:
    fields = value.split()
    return 5 <= len(fields) <= 7 and not value.strip().startswith(("R", "P"))


def trigger(value: str) -> CronTrigger:
    fields = [f.replace("?", "*") for f in value.split()]
    if len(fields) == 5:  # classic cron: no seconds
        fields = ["0", *fields]
    second, minute, hour, day, month, dow, *year = fields
    dow = ",".join(_QUARTZ_DAYS.get(part, part) for part in dow.split(","))
    try:
        return CronTrigger(
            second=second, minute=minute, hour=hour, day=day, month=month, day_of_week=dow,
            year=year[0] if year else None, timezone=dt.UTC,
        )  # fmt: skip
    except ValueError as err:
        raise InvalidInput(f"'{value}' is not a cron expression this engine understands: {err}") from None


def next_after(value: str, after: dt.datetime) -> dt.datetime:
    """The first firing strictly after ``after``."""
    fire = trigger(value).get_next_fire_time(None, after + dt.timedelta(microseconds=1))
    if fire is None:
        raise InvalidInput(f"cron expression '{value}' never fires after {after.isoformat()}")
    return fire.astimezone(dt.UTC)
