"""The credit ledger of approved budget lines: append-only entries, balances as their sums.

Each use of an approved budget is a line; every movement of credit on it is one :class:`LedgerEntry`:

=========  =============  ===================================================================
kind       Persian        written by, and the rule it must keep
=========  =============  ===================================================================
approved   اعتبار مصوب    :meth:`Ledger.register_approved`, once per line
committed  تعهد            :meth:`Ledger.reserve`: committed + amount ≤ approved
allocated  تخصیص / واریز   :meth:`Ledger.record_deposit`: allocated + amount ≤ approved
paid       پرداخت          :meth:`Ledger.record_payment`: paid + amount ≤ min(committed, allocated)
released   آزادسازی        :meth:`Ledger.release`: amount ≤ committed − paid
=========  =============  ===================================================================

So a payment always needs a line, spends only credit that was committed *and* deposited, and a
release frees only the unpaid part of a commitment. ``committed`` in a :class:`LineBalance` is net of
releases; ``remaining`` is the credit still free to commit (approved − committed).

Every write locks its line first (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the store's
``BEGIN IMMEDIATE`` already serialises writers) and checks its rule under that lock in the same
transaction, so two requests at once can never together overspend a line.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.budget import classification, fiscal, structure
from engine.budget.errors import InsufficientCredit
from engine.budget.numerals import rial_fa
from engine.clock import Clock
from engine.errors import Conflict, InvalidInput, NotFound, suggest
from engine.persian import to_persian_digits
from engine.store.budget_models import BudgetLine, BudgetRecord, BudgetStatus, EntryKind, LedgerEntry


@dataclasses.dataclass(frozen=True)
class LineBalance:
    unit: str
    fiscal_year: int
    code: str
    title: str
    approved: int
    allocated: int
    committed: int
    paid: int
    remaining: int

    @property
    def payable(self) -> int:
        """What may still be paid: committed and deposited, and not paid yet."""
        return min(self.committed, self.allocated) - self.paid

    def to_dict(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "payable": self.payable}


# For each kind written after approval: how much the line allows, and the Persian refusal.
_ROOM: dict[EntryKind, Callable[[LineBalance], int]] = {
    EntryKind.COMMITTED: lambda b: b.remaining,
    EntryKind.ALLOCATED: lambda b: b.approved - b.allocated,
    EntryKind.PAID: lambda b: b.payable,
    EntryKind.RELEASED: lambda b: b.committed - b.paid,
}
_REFUSAL = {
    EntryKind.COMMITTED: "اعتبار باقی‌ماندهٔ ردیف {code} ({room}) برای تعهد {amount} کافی نیست",
    EntryKind.ALLOCATED: "واریز {amount} بیش از اعتبار مصوبِ تخصیص‌نیافتهٔ ردیف {code} ({room}) است",
    EntryKind.PAID: (
        "پرداخت {amount} از ردیف {code} بیش از مبلغ قابل پرداخت ({room}) است؛ "
        "پرداخت تنها تا سقف اعتبارِ متعهد و واریزشده ممکن است"
    ),
    EntryKind.RELEASED: "آزادسازی {amount} بیش از تعهد پرداخت‌نشدهٔ ردیف {code} ({room}) است",
}


@dataclasses.dataclass(frozen=True)
class Posting:
    """Who and what a ledger entry is for (all optional but the payee of a payment)."""

    instance_id: str | None = None
    actor: str | None = None
    reference: str | None = None
    note: str | None = None
    payee: str | None = None


class Ledger:
    """The ledger seen through one transaction: reads and writes happen in ``tx``, times come from ``clock``."""

    def __init__(self, tx: Session, clock: Clock) -> None:
        self.tx = tx
        self.clock = clock

    # -- approved budgets -------------------------------------------------------------------------

    def register_approved(
        self, budget: Mapping[str, Any], *, instance_id: str | None, actor: str | None
    ) -> int:
        """Record an approved budget and one line per use; returns the budget's id.

        A unit has one approved budget per fiscal year: a second one is a :class:`Conflict`, except the
        very same budget registered again by the same instance (a retried step), which returns the id.
        """
        plain = _plain_budget(budget)
        unit, year = plain["unit"], plain["fiscal_year"]
        existing = self._record(unit, year)
        if existing is not None:
            if instance_id is not None and existing.instance_id == instance_id and existing.budget == plain:
                return existing.id
            raise _already_registered(unit, year)
        record = BudgetRecord(
            unit=unit,
            fiscal_year=year,
            circular=str(plain.get("circular") or year),
            status=BudgetStatus.APPROVED,
            approved_at=self.clock.now(),
            approved_by=actor,
            instance_id=instance_id,
            budget=plain,
        )
        try:
            with self.tx.begin_nested():  # a racing twin hits the unique key: report it, keep tx usable
                self.tx.add(record)
                self.tx.flush()
        except IntegrityError:
            raise _already_registered(unit, year) from None
        self._add_lines(record, plain["uses"], Posting(instance_id=instance_id, actor=actor))
        return record.id

    def _add_lines(self, record: BudgetRecord, uses: list[dict[str, Any]], posting: Posting) -> None:
        lines = [
            BudgetLine(
                budget_id=record.id,
                code=use["code"],
                section=use["section"],
                chapter=use["chapter"],
                classification=use.get("classification"),
                title=str(use.get("title") or use["code"]),
                project=use.get("project") or None,
                approved=use["amount"],
            )
            for use in uses
        ]
        self.tx.add_all(lines)
        self.tx.flush()
        for line in lines:
            self._append(line, EntryKind.APPROVED, line.approved, posting)

    def approved_budget(self, unit: str, fiscal_year: int) -> dict[str, Any] | None:
        """The registered budget's case data, or None."""
        record = self._record(unit, fiscal_year)
        return None if record is None else dict(record.budget)

    def _record(self, unit: str, fiscal_year: int) -> BudgetRecord | None:
        query = select(BudgetRecord).where(BudgetRecord.unit == unit, BudgetRecord.fiscal_year == fiscal_year)
        return self.tx.scalars(query).one_or_none()

    # -- balances ---------------------------------------------------------------------------------

    def lines(self, unit: str, fiscal_year: int) -> list[LineBalance]:
        record = self._record(unit, fiscal_year)
        if record is None:
            raise self._no_budget(unit, fiscal_year)
        rows = self.tx.scalars(
            select(BudgetLine).where(BudgetLine.budget_id == record.id).order_by(BudgetLine.id)
        )
        return [self._balance(row, record) for row in rows]

    def line(self, unit: str, fiscal_year: int, code: str) -> LineBalance:
        row, record = self._find(unit, fiscal_year, code, lock=False)
        return self._balance(row, record)

    def check_available(self, unit: str, fiscal_year: int, code: str, amount: int) -> LineBalance:
        """The line's balance if ``amount`` can still be committed on it; else :class:`InsufficientCredit`."""
        amount = _amount(amount)
        balance = self.line(unit, fiscal_year, code)
        _require_room(EntryKind.COMMITTED, balance, amount)
        return balance

    def entries(self, unit: str, fiscal_year: int, code: str) -> list[dict[str, Any]]:
        row, _ = self._find(unit, fiscal_year, code, lock=False)
        query = select(LedgerEntry).where(LedgerEntry.line_id == row.id).order_by(LedgerEntry.id)
        return [_entry_dict(entry) for entry in self.tx.scalars(query)]

    # -- movements --------------------------------------------------------------------------------

    def reserve(
        self, unit: str, fiscal_year: int, code: str, amount: int, *,
        instance_id: str | None = None, actor: str | None = None,
        reference: str | None = None, note: str | None = None,
    ) -> int:  # fmt: skip
        """Commit ``amount`` on the line (تعهد); returns the entry id, the reservation's id."""
        posting = Posting(instance_id, actor, reference, note)
        return self._post(EntryKind.COMMITTED, unit, fiscal_year, code, amount, posting)

    def record_deposit(
        self, unit: str, fiscal_year: int, code: str, amount: int, *,
        instance_id: str | None = None, actor: str | None = None,
        reference: str | None = None, note: str | None = None,
    ) -> int:  # fmt: skip
        """Record money deposited (allocated) for the line (تخصیص / واریز); returns the entry id."""
        posting = Posting(instance_id, actor, reference, note)
        return self._post(EntryKind.ALLOCATED, unit, fiscal_year, code, amount, posting)

    def record_payment(
        self, unit: str, fiscal_year: int, code: str, amount: int, *, payee: str,
        instance_id: str | None = None, actor: str | None = None,
        reference: str | None = None, note: str | None = None,
    ) -> int:  # fmt: skip
        """Record a payment to ``payee`` against the line; returns the payment's id."""
        if not isinstance(payee, str) or not payee.strip():
            raise InvalidInput("دریافت‌کنندهٔ پرداخت معلوم نیست (a payment needs a payee)")
        posting = Posting(instance_id, actor, reference, note, payee.strip())
        return self._post(EntryKind.PAID, unit, fiscal_year, code, amount, posting)

    def release(
        self, unit: str, fiscal_year: int, code: str, amount: int, *,
        instance_id: str | None = None, actor: str | None = None,
        reference: str | None = None, note: str | None = None,
    ) -> int:  # fmt: skip
        """Free ``amount`` of the line's unpaid commitment (آزادسازی); returns the entry id."""
        posting = Posting(instance_id, actor, reference, note)
        return self._post(EntryKind.RELEASED, unit, fiscal_year, code, amount, posting)

    def _post(
        self, kind: EntryKind, unit: str, fiscal_year: int, code: str, amount: int, posting: Posting
    ) -> int:
        amount = _amount(amount)
        row, record = self._find(unit, fiscal_year, code, lock=True)
        _require_room(kind, self._balance(row, record), amount)
        return self._append(row, kind, amount, posting)

    def _append(self, line: BudgetLine, kind: EntryKind, amount: int, posting: Posting) -> int:
        entry = LedgerEntry(line_id=line.id, kind=kind, amount=amount, at=self.clock.now(), **vars(posting))
        self.tx.add(entry)
        self.tx.flush()  # the store's sessions do not autoflush: the next sum must see this row
        return entry.id

    # -- lookups ----------------------------------------------------------------------------------

    def _find(self, unit: str, fiscal_year: int, code: str, *, lock: bool) -> tuple[BudgetLine, BudgetRecord]:
        query = (
            select(BudgetLine, BudgetRecord)
            .join(BudgetRecord, BudgetLine.budget_id == BudgetRecord.id)
            .where(
                BudgetRecord.unit == unit, BudgetRecord.fiscal_year == fiscal_year, BudgetLine.code == code
            )
        )
        if lock:
            query = query.with_for_update(of=BudgetLine)
        found = self.tx.execute(query).one_or_none()
        if found is None:
            raise self._not_found(unit, fiscal_year, code)
        return found[0], found[1]

    def _not_found(self, unit: str, fiscal_year: int, code: object) -> NotFound:
        record = self._record(unit, fiscal_year)
        if record is None:
            return self._no_budget(unit, fiscal_year)
        codes = self.tx.scalars(select(BudgetLine.code).where(BudgetLine.budget_id == record.id)).all()
        return NotFound(
            f"ردیف {to_persian_digits(code)} در بودجهٔ مصوب سال {to_persian_digits(fiscal_year)} واحد {unit} نیست",
            hint=suggest(str(code), codes),
            details={"unit": unit, "fiscal_year": fiscal_year, "line": code},
        )

    def _no_budget(self, unit: str, fiscal_year: int) -> NotFound:
        units = self.tx.scalars(
            select(BudgetRecord.unit).where(BudgetRecord.fiscal_year == fiscal_year)
        ).all()
        return NotFound(
            f"بودجهٔ مصوبی برای سال {to_persian_digits(fiscal_year)} واحد {unit} ثبت نشده است",
            hint=suggest(str(unit), units),
            details={"unit": unit, "fiscal_year": fiscal_year},
        )

    def _balance(self, line: BudgetLine, record: BudgetRecord) -> LineBalance:
        query = (
            select(LedgerEntry.kind, func.sum(LedgerEntry.amount))
            .where(LedgerEntry.line_id == line.id)
            .group_by(LedgerEntry.kind)
        )
        sums = {kind: int(total) for kind, total in self.tx.execute(query)}  # PostgreSQL sums to Decimal
        approved = sums.get(EntryKind.APPROVED, 0)
        committed = sums.get(EntryKind.COMMITTED, 0) - sums.get(EntryKind.RELEASED, 0)
        return LineBalance(
            unit=record.unit,
            fiscal_year=record.fiscal_year,
            code=line.code,
            title=line.title,
            approved=approved,
            allocated=sums.get(EntryKind.ALLOCATED, 0),
            committed=committed,
            paid=sums.get(EntryKind.PAID, 0),
            remaining=approved - committed,
        )


def _plain_budget(budget: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON copy of ``budget`` after the shape checks (the circular's rules were checked before approval)."""
    problems = structure.check_shape(budget, classification.load())
    if problems:
        raise InvalidInput(
            "بودجه قابل ثبت نیست: " + "؛ ".join(p.message.fa for p in problems),
            details=[p.to_dict() for p in problems],
        )
    fiscal.fiscal_year(budget["fiscal_year"])  # a year the calendar knows
    plain: dict[str, Any] = json.loads(json.dumps(budget, ensure_ascii=False))
    return plain


def _amount(amount: object) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InvalidInput(
            f"مبلغ باید عددی صحیح و مثبت به ریال باشد، نه {amount!r}",
            details={"amount": repr(amount)},
        )
    return amount


def _require_room(kind: EntryKind, balance: LineBalance, amount: int) -> None:
    room = _ROOM[kind](balance)
    if amount > room:
        message = _REFUSAL[kind].format(
            code=to_persian_digits(balance.code), room=rial_fa(room), amount=rial_fa(amount)
        )
        raise InsufficientCredit(
            message,
            details={
                "line": balance.code,
                "kind": str(kind),
                "amount": amount,
                "available": room,
                **balance.to_dict(),
            },
        )


def _already_registered(unit: str, fiscal_year: int) -> Conflict:
    return Conflict(
        f"بودجهٔ مصوب سال {to_persian_digits(fiscal_year)} واحد {unit} پیش‌تر ثبت شده است",
        details={"unit": unit, "fiscal_year": fiscal_year},
    )


def _entry_dict(entry: LedgerEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "kind": entry.kind,
        "amount": entry.amount,
        "at": entry.at.isoformat(),
        "instance_id": entry.instance_id,
        "actor": entry.actor,
        "reference": entry.reference,
        "payee": entry.payee,
        "note": entry.note,
    }
