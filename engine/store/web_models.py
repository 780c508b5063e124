"""The web layer's tables: failed sign-ins (for throttling), saved inbox filters and task drafts.

Failed sign-ins live in the database, not in a process's memory: every web worker then counts the
same failures, and a restart does not hand an attacker a fresh allowance.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.store.models import Base


class SignInFailure(Base):
    """One refused sign-in: the name typed (known or not) and the client's address."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (Index("ix_sign_in_failures_who", "user_name", "address", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(index=True)


class SavedFilter(Base):
    """A named inbox query of one user (the query string of the inbox page)."""

    __tablename__ = "saved_filters"
    __table_args__ = (UniqueConstraint("user", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user: Mapped[str] = mapped_column(ForeignKey("users.name", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    query: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime]


class TaskDraft(Base):
    """What was typed into a task's form but not submitted: saved by hand or when the task is referred,
    shown to whoever opens the task next, dropped when the task is completed."""

    __tablename__ = "task_drafts"
    task_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    values: Mapped[dict[str, object]] = mapped_column(JSON)
    saved_by: Mapped[str] = mapped_column(String(100))
    saved_at: Mapped[dt.datetime]


class ModelDraft(Base):
    """A process owner's unsaved work on one process: the diagram and its forms as edited in the browser.

    One draft per person and process key; ``base_version`` is the version it was opened from (None for a
    new diagram). Deploying it makes a new version and drops the draft."""

    __tablename__ = "model_drafts"
    __table_args__ = (UniqueConstraint("owner", "process_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    owner: Mapped[str] = mapped_column(ForeignKey("users.name", ondelete="CASCADE"), index=True)
    process_key: Mapped[str] = mapped_column(String(200))
    base_version: Mapped[int | None]
    bpmn_xml: Mapped[str] = mapped_column(Text)
    forms: Mapped[dict[str, object]] = mapped_column(JSON)
    saved_at: Mapped[dt.datetime]
