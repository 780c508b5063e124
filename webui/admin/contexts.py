"""Typed contexts of the admin pages (``templates/admin/*.html``)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from webui.people import Option


@dataclasses.dataclass(frozen=True)
class UserRow:
    """One user as the admin sees them, active or not."""

    name: str
    title: str | None
    unit: str | None
    email: str | None
    groups: list[str]
    active: bool


@dataclasses.dataclass(frozen=True)
class UsersPage:
    users: list[UserRow]
    unit_titles: dict[str, str]


@dataclasses.dataclass(frozen=True)
class UserPage:
    """The add/edit form; ``user`` is None for a new user."""

    user: UserRow | None
    units: list[Option]


@dataclasses.dataclass(frozen=True)
class UnitNode:
    name: str
    title: str | None
    kind: str | None
    depth: int


@dataclasses.dataclass(frozen=True)
class GroupRow:
    name: str
    title: str | None
    title_en: str | None
    members: int


@dataclasses.dataclass(frozen=True)
class GroupsPage:
    groups: list[GroupRow]


@dataclasses.dataclass(frozen=True)
class UnitsPage:
    units: list[UnitNode]


@dataclasses.dataclass(frozen=True)
class AbsenceRow:
    user: str
    delegate: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    note: str | None


@dataclasses.dataclass(frozen=True)
class AbsencesPage:
    absences: list[AbsenceRow]
    people: list[Option]


@dataclasses.dataclass(frozen=True)
class IncidentRow:
    instance_id: str
    process_key: str
    business_key: str | None
    element_id: str | None
    message: str
    updated_at: dt.datetime


@dataclasses.dataclass(frozen=True)
class IncidentsPage:
    incidents: list[IncidentRow]


@dataclasses.dataclass(frozen=True)
class OpenTaskRow:
    """An open task of the instance, which the admin may skip (a signature step excepted)."""

    id: str
    element_id: str
    name: str | None
    assignee: str | None
    signature_required: bool


@dataclasses.dataclass(frozen=True)
class InstanceActionsPage:
    """An instance's state, the actions its state allows, and its open tasks (``skippable``: the state
    lets the admin skip them)."""

    instance_id: str
    process_key: str
    business_key: str | None
    status: str
    status_label: str
    incident: dict[str, object] | None
    actions: list[str]
    open_tasks: list[OpenTaskRow]
    skippable: bool
    version: int = 0
    # The versions the instance may be moved to (empty when its state does not allow a migration).
    versions: list[int] = dataclasses.field(default_factory=list)
