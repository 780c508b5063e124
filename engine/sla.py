"""Task deadlines (SLA): reading a task's ``sla*`` properties and planning due time, reminders, state.

Pure functions over a :class:`~engine.business_calendar.BusinessCalendar`; the engine stores the plan
on the task row and schedules timers from it. The properties are those of processes/README.md:

- ``sla``: ISO 8601 duration of whole days (``P20D``) or of time (``PT48H``, ``PT90M``). Under the
  ``working`` calendar days are working days (the deadline is the close of the last one, see
  :meth:`BusinessCalendar.add_working_days`) and hours are working hours; mixing both is refused.
  Under ``calendar``, the duration is added as elapsed time. Years, months and weeks are refused:
  their length in working time is not fixed.
- ``sla_calendar``: ``working`` (default) or ``calendar``.
- ``sla_from``: ``task`` (default; from the task becoming ready) or ``start`` (from the instance's start).
- ``sla_reminders``: fractions in (0, 1), e.g. ``0.5,0.8``: a reminder at that share of the time
  allowed; under ``working`` a share of the working time, so a reminder always falls in working hours.
- ``sla_escalate_to``: the group told when the deadline passes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import re
from collections.abc import Mapping

from engine.business_calendar import MAX_DAYS, BusinessCalendar
from engine.errors import DefinitionError

PROPERTIES = ("sla", "sla_calendar", "sla_from", "sla_reminders", "sla_escalate_to")
_DURATION = re.compile(
    r"P(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:(?P<minutes>\d+(?:\.\d+)?)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?"
)
_GROUP = re.compile(r"[\w.\-]+")


class SlaLevel(enum.StrEnum):
    """The inbox colour of a deadline."""

    OK = "ok"
    SOON = "soon"
    OVERDUE = "overdue"


@dataclasses.dataclass(frozen=True)
class SlaRule:
    """A task's parsed ``sla*`` properties. ``days`` and ``time`` are the two parts of ``sla``."""

    sla: str
    days: int
    time: dt.timedelta
    calendar: str = "working"
    origin: str = "task"
    reminders: tuple[float, ...] = ()
    escalate_to: str | None = None


@dataclasses.dataclass(frozen=True)
class SlaPlan:
    due_at: dt.datetime
    reminders: tuple[dt.datetime, ...]
    escalate_to: str | None


@dataclasses.dataclass(frozen=True)
class SlaState:
    remaining_working_days: int
    level: SlaLevel


def _refuse(prop: str, value: str, why: str, hint: str, element: str | None) -> DefinitionError:
    return DefinitionError(f"task property {prop}={value!r}: {why}", hint=hint, element=element)


def parse_duration(
    text: str, *, calendar: str = "working", element: str | None = None
) -> tuple[int, dt.timedelta]:
    """``P20D`` → (20, 0); ``PT48H`` → (0, 48 h). Raises :class:`DefinitionError` naming ``sla``."""
    hint = "write whole days (P20D) or hours (PT48H); P2W is P14D"
    value = text.strip().upper().replace(",", ".")
    match = _DURATION.fullmatch(value)
    if match is None or value in ("P", "PT") or value.endswith("T"):
        raise _refuse("sla", text, "not an ISO 8601 duration of days or hours", hint, element)
    parts = {key: float(found) for key, found in match.groupdict().items() if found is not None}
    days = int(parts.pop("days", 0))
    try:
        time = dt.timedelta(**parts)
    except OverflowError:
        time = dt.timedelta.max
    if days > MAX_DAYS or time > dt.timedelta(days=MAX_DAYS):
        raise _refuse("sla", text, f"longer than {MAX_DAYS} days", hint, element)
    if days == 0 and time <= dt.timedelta(0):
        raise _refuse("sla", text, "the time allowed must be longer than zero", hint, element)
    if calendar == "working" and days and time:
        raise _refuse(
            "sla",
            text,
            "working days and working hours cannot be mixed",
            "use P2D or PT14H, not P1DT7H",
            element,
        )
    return days, time


def _choice(properties: Mapping[str, str], prop: str, allowed: tuple[str, ...], element: str | None) -> str:
    value = (properties.get(prop) or allowed[0]).strip().lower()
    if value not in allowed:
        raise _refuse(prop, value, "unknown value", "use " + " or ".join(allowed), element)
    return value


def _reminders(text: str | None, element: str | None) -> tuple[float, ...]:
    fractions = []
    for part in (text or "").split(","):
        if not part.strip():
            continue
        try:
            fraction = float(part)
        except ValueError:
            fraction = -1.0
        if not 0 < fraction < 1:
            why = f"{part.strip()!r} is not a fraction between 0 and 1"
            raise _refuse(
                "sla_reminders", text or "", why, "write shares of the time allowed, e.g. 0.5,0.8", element
            )
        fractions.append(fraction)
    return tuple(sorted(set(fractions)))


def _group(text: str | None, element: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    if not _GROUP.fullmatch(text.strip()):
        raise _refuse(
            "sla_escalate_to", text, "not a group name", "name one group, e.g. urban_affairs_dg", element
        )
    return text.strip()


def parse(properties: Mapping[str, str], *, element: str | None = None) -> SlaRule | None:
    """The SLA of a task with these properties, or None when it has no ``sla``.

    Raises :class:`DefinitionError` (with the property's name, a hint and ``element``) on a bad value,
    so deploy can lint diagrams with it.
    """
    if not (properties.get("sla") or "").strip():
        stray = [p for p in PROPERTIES[1:] if (properties.get(p) or "").strip()]
        if stray:
            raise _refuse(
                stray[0], properties[stray[0]], "is set but sla is not", "add sla, e.g. P3D", element
            )
        return None
    calendar = _choice(properties, "sla_calendar", ("working", "calendar"), element)
    days, time = parse_duration(properties["sla"], calendar=calendar, element=element)
    return SlaRule(
        sla=properties["sla"].strip(),
        days=days,
        time=time,
        calendar=calendar,
        origin=_choice(properties, "sla_from", ("task", "start"), element),
        reminders=_reminders(properties.get("sla_reminders"), element),
        escalate_to=_group(properties.get("sla_escalate_to"), element),
    )


def due_at(rule: SlaRule, origin: dt.datetime, calendar: BusinessCalendar) -> dt.datetime:
    """When the time allowed by ``rule``, counted from ``origin``, runs out (UTC)."""
    if rule.calendar == "calendar":
        return (origin + dt.timedelta(days=rule.days) + rule.time).astimezone(dt.UTC)
    if rule.days:
        return calendar.add_working_days(origin, rule.days)
    return calendar.add_working_time(origin, rule.time)


def plan(
    rule: SlaRule, *, ready_at: dt.datetime, started_at: dt.datetime, calendar: BusinessCalendar
) -> SlaPlan:
    """Due time, reminder instants and escalation group for a task that became ready at ``ready_at``.

    Reminders that would fall before the task was ready (possible with ``sla_from=start``) or not
    before the deadline are left out; instants are whole seconds.
    """
    origin = ready_at if rule.origin == "task" else started_at
    due = due_at(rule, origin, calendar)
    reminders = []
    if rule.calendar == "working":
        allowed = calendar.working_time_between(origin, due)
        reminders = [calendar.add_working_time(origin, allowed * f) for f in rule.reminders]
    else:
        reminders = [origin + (due - origin) * f for f in rule.reminders]
    kept = sorted({r.astimezone(dt.UTC).replace(microsecond=0) for r in reminders})
    return SlaPlan(
        due_at=due,
        reminders=tuple(r for r in kept if ready_at < r < due),
        escalate_to=rule.escalate_to,
    )


def state(
    due_at: dt.datetime, now: dt.datetime, calendar: BusinessCalendar, *, soon_days: int = 1
) -> SlaState:
    """Working days left until ``due_at`` (0: due today, negative: overdue by so many) and the level.

    ``soon`` when the deadline is today or within ``soon_days`` working days, ``overdue`` once it passed.
    """
    remaining = calendar.working_days_between(now, due_at)
    if now > due_at:
        level = SlaLevel.OVERDUE
    elif remaining <= soon_days:
        level = SlaLevel.SOON
    else:
        level = SlaLevel.OK
    return SlaState(remaining_working_days=remaining, level=level)
