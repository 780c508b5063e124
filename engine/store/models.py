"""The tables. Schema changes go through Alembic (engine/store/alembic); this module is its source."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

UTC = dt.UTC


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes on every backend (SQLite would otherwise hand back naive values)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use engine.clock")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dt.datetime: UTCDateTime()}


class ProcessVersion(Base):
    """One immutable deployed version of a process; the same sha256 is never stored twice per key."""

    __tablename__ = "process_versions"
    __table_args__ = (
        UniqueConstraint("process_key", "version"),
        UniqueConstraint("process_key", "sha256"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    process_key: Mapped[str] = mapped_column(String(200), index=True)
    version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(400))
    flavour: Mapped[str] = mapped_column(String(20))
    source_name: Mapped[str] = mapped_column(String(400))
    bpmn_xml: Mapped[str] = mapped_column(Text)
    dmn_xml: Mapped[list[str]] = mapped_column(JSON, default=list)
    forms: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    specs: Mapped[str] = mapped_column(Text)
    catalog: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    deployed_by: Mapped[str | None] = mapped_column(String(200))
    deployed_at: Mapped[dt.datetime]


class Instance(Base):
    __tablename__ = "instances"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("process_versions.id"), index=True)
    process_key: Mapped[str] = mapped_column(String(200), index=True)
    business_key: Mapped[str | None] = mapped_column(String(200), index=True)
    org_unit: Mapped[str | None] = mapped_column(String(100), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    serializer_version: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(Text)
    incident: Mapped[dict[str, object] | None] = mapped_column(JSON)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
    started_by: Mapped[str | None] = mapped_column(String(100))
    started_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    ended_at: Mapped[dt.datetime | None]


class TaskRow(Base):
    """The inbox: one row per READY human task. Inbox queries never deserialize workflows."""

    __tablename__ = "tasks"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    instance_id: Mapped[str] = mapped_column(ForeignKey("instances.id", ondelete="CASCADE"), index=True)
    process_key: Mapped[str] = mapped_column(String(200), index=True)
    element_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str | None] = mapped_column(String(400))
    lane: Mapped[str | None] = mapped_column(String(200))
    form: Mapped[str | None] = mapped_column(String(400))
    assignee: Mapped[str | None] = mapped_column(String(100), index=True)
    candidate_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    candidate_users: Mapped[list[str]] = mapped_column(JSON, default=list)
    org_unit: Mapped[str | None] = mapped_column(String(100), index=True)
    due_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    priority: Mapped[int] = mapped_column(Integer, default=50)
    created_at: Mapped[dt.datetime]
    # Who referred the task to its assignee (the "referred to me" list), and the whole referral chain:
    # [{"kind": "refer"|"return", "from", "to", "to_unit", "note", "at"}, …] in order.
    referred_by: Mapped[str | None] = mapped_column(String(100), index=True)
    referrals: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    # Set when the task's SLA was breached: the group may then see and act on it, whoever holds it.
    escalated_to: Mapped[str | None] = mapped_column(String(100), index=True)
    escalated_at: Mapped[dt.datetime | None]
    # The task's property signature=required: completing it needs the actor's signature (engine.approvals).
    signature_required: Mapped[bool] = mapped_column(default=False)


class TaskCandidate(Base):
    """Who may see a task: (kind, name) pairs, indexed for the inbox query."""

    __tablename__ = "task_candidates"
    __table_args__ = (Index("ix_task_candidates_who", "kind", "name"),)
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)  # "group" or "user"
    name: Mapped[str] = mapped_column(String(100), primary_key=True)


class HistoryEvent(Base):
    """Append-only, hash-chained per instance."""

    __tablename__ = "history"
    __table_args__ = (UniqueConstraint("instance_id", "seq"), Index("ix_history_task", "task_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[str] = mapped_column(ForeignKey("instances.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime]
    actor: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(40))
    element_id: Mapped[str | None] = mapped_column(String(200))
    task_id: Mapped[str | None] = mapped_column(String(36))
    data: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class TimerRow(Base):
    """A due timer: of a waiting instance (instance_id) or a timer start event of a version (version_id)."""

    __tablename__ = "timers"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    instance_id: Mapped[str | None] = mapped_column(
        ForeignKey("instances.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int | None] = mapped_column(ForeignKey("process_versions.id"))
    element_id: Mapped[str] = mapped_column(String(200))
    due_at: Mapped[dt.datetime] = mapped_column(index=True)
    # "bpmn": a waiting timer event of the workflow; "start": a timer start event of a version;
    # "sla": a reminder or escalation of the human task ``task_id`` (the engine's, not the diagram's).
    kind: Mapped[str] = mapped_column(String(10), default="bpmn")
    task_id: Mapped[str | None] = mapped_column(String(36), index=True)
    # Timer start events only: {"kind": "date" | "duration" | "cycle", "remaining": n (-1: forever), "interval_s": s}
    schedule: Mapped[dict[str, object] | None] = mapped_column(JSON)


class Unit(Base):
    __tablename__ = "units"
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    title: Mapped[str | None] = mapped_column(String(400))
    parent: Mapped[str | None] = mapped_column(ForeignKey("units.name"))
    kind: Mapped[str | None] = mapped_column(String(40))


class Group(Base):
    """A role's title for people ("کارشناس امور شهری" for ``urban_affairs_expert``). Membership does not
    need a row here: a group with none is shown by its name."""

    __tablename__ = "groups"
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    title: Mapped[str | None] = mapped_column(String(400))
    title_en: Mapped[str | None] = mapped_column(String(400))


class User(Base):
    __tablename__ = "users"
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    title: Mapped[str | None] = mapped_column(String(400))
    unit: Mapped[str | None] = mapped_column(ForeignKey("units.name"))
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(300))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(default=True)


class Absence(Base):
    """A user away from ``starts_at`` to ``ends_at``; work referred to them goes to ``delegate``."""

    __tablename__ = "absences"
    id: Mapped[int] = mapped_column(primary_key=True)
    user: Mapped[str] = mapped_column(ForeignKey("users.name", ondelete="CASCADE"), index=True)
    delegate: Mapped[str] = mapped_column(ForeignKey("users.name"))
    starts_at: Mapped[dt.datetime]
    ends_at: Mapped[dt.datetime]
    note: Mapped[str | None] = mapped_column(String(400))


class ReferralCursor(Base):
    """Round-robin referral: the last person a task of this element was given to."""

    __tablename__ = "referral_cursors"
    process_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    element_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    last_user: Mapped[str] = mapped_column(String(100))


class Membership(Base):
    __tablename__ = "memberships"
    user: Mapped[str] = mapped_column(ForeignKey("users.name", ondelete="CASCADE"), primary_key=True)
    group: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)


# The budget tables and the web layer's tables (sign-in failures, saved filters, drafts) join Base.metadata.
from engine.store import budget_models, web_models  # noqa: E402, F401
