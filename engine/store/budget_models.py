"""The budget tables: approved budgets, their lines, and the append-only credit ledger of each line.

A line's balances (approved, allocated, committed, paid, released) are sums of its ledger entries;
no balance column is ever updated in place, so the ledger is its own audit trail. Amounts are integer
Rials (BIGINT: a municipality's budget passes 2**31 Rials by several orders of magnitude).
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from engine.store.models import Base


class BudgetStatus(enum.StrEnum):
    APPROVED = "approved"


class EntryKind(enum.StrEnum):
    """What a ledger entry records on its line (تصویب، تخصیص، تعهد، پرداخت، آزادسازی)."""

    APPROVED = "approved"
    ALLOCATED = "allocated"
    COMMITTED = "committed"
    PAID = "paid"
    RELEASED = "released"


class BudgetRecord(Base):
    """One approved budget per unit and fiscal year, with the case data it was approved as."""

    __tablename__ = "budgets"
    __table_args__ = (UniqueConstraint("unit", "fiscal_year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit: Mapped[str] = mapped_column(String(100))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    circular: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))
    approved_at: Mapped[dt.datetime]
    approved_by: Mapped[str | None] = mapped_column(String(100))
    instance_id: Mapped[str | None] = mapped_column(String(36), index=True)
    budget: Mapped[dict[str, object]] = mapped_column(JSON)


class BudgetLine(Base):
    """A use (مصرف) of an approved budget: the unit that credit is reserved, allocated and paid on."""

    __tablename__ = "budget_lines"
    __table_args__ = (UniqueConstraint("budget_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets.id"), index=True)
    code: Mapped[str] = mapped_column(String(50))
    section: Mapped[str] = mapped_column(String(20))
    chapter: Mapped[str] = mapped_column(String(10))
    classification: Mapped[str | None] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(400))
    project: Mapped[str | None] = mapped_column(String(100))
    approved: Mapped[int] = mapped_column(BigInteger)


class LedgerEntry(Base):
    """One movement of credit on a line. Rows are only ever inserted."""

    __tablename__ = "ledger_entries"
    __table_args__ = (CheckConstraint("amount > 0", name="ck_ledger_entries_amount_positive"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("budget_lines.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    amount: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[dt.datetime]
    instance_id: Mapped[str | None] = mapped_column(String(36), index=True)
    actor: Mapped[str | None] = mapped_column(String(100))
    reference: Mapped[str | None] = mapped_column(String(200))
    payee: Mapped[str | None] = mapped_column(String(400))
    note: Mapped[str | None] = mapped_column(Text)
