"""The scratch database a replay runs in: the pinned version, the directory, and the budget as it stood.

A replay re-runs the real runtime and the real handlers, so whatever they write must land somewhere.
It lands here, in a throw-away SQLite file, never in the live database: a replay takes no lock on live
rows (``verify --all`` on a busy server blocks no clerk), and nothing it does can leak into the world
if a process is rolled back half-way. A transaction on the live database that is rolled back would
also keep writes out, but it would show the handlers the instance's own later ledger entries (a credit
check replayed after its own reservation would see less credit than it saw then) and the office's
workload of today; here the budget tables are filled *as of* each replayed step instead.

What is copied, and as of when:

* the process version the instance began on, as it is (versions never change), and each version a
  migration moved it to when the replay reaches that migration;
* units, users, memberships and absences as they are now (the directory keeps no past);
* approved budgets, their lines and ledger entries of *other* instances, each as soon as the replay's
  clock reaches its time, with its own id, so ids the handlers hand out (a reservation) come out the
  same as when the step first ran.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Table, insert, or_, select
from sqlalchemy.orm import Session

from engine.store.budget_models import BudgetLine, BudgetRecord, LedgerEntry
from engine.store.models import Absence, Base, Membership, ProcessVersion, Unit, User
from engine.store.session import Store, sqlite_url


class Scratch:
    """A scratch store for replaying ``instance_id``, fed from ``live`` as the replay's clock moves on."""

    def __init__(self, live: Store, instance_id: str, folder: Path) -> None:
        self.live = live
        self.instance_id = instance_id
        self.folder = folder
        self.store = Store(sqlite_url(folder / "replay.db"))
        # The models are the migrations' source; a database that lives for one replay needs no history.
        Base.metadata.create_all(self.store.engine)
        self._budgets: set[int] = set()
        self._entries: set[int] = set()

    def copy_setting(self, version_id: int) -> None:
        """The pinned version and today's directory."""
        with self.live.reading() as src, self.store.transaction() as dst:
            _copy(src, dst, ProcessVersion.__table__, ProcessVersion.id == version_id)
            units = [dict(r._mapping) for r in src.execute(select(Unit.__table__))]
            for row in _parents_first(units):
                dst.execute(insert(Unit.__table__), row)
            for model in (User, Membership, Absence):
                _copy(src, dst, model.__table__)

    def copy_version(self, process_key: str, version: int) -> None:
        """Version ``version`` of the process too (a migration's target), unless copied already."""
        wanted = (ProcessVersion.process_key == process_key, ProcessVersion.version == version)
        with self.store.reading() as dst:
            if dst.scalar(select(ProcessVersion.id).where(*wanted)) is not None:
                return
        with self.live.reading() as src, self.store.transaction() as dst:
            _copy(src, dst, ProcessVersion.__table__, *wanted)

    def budget_until(self, at: dt.datetime) -> None:
        """Bring in the other instances' budgets and ledger entries written up to ``at``."""
        mine = self.instance_id
        with self.live.reading() as src, self.store.transaction() as dst:
            budgets = src.execute(
                select(BudgetRecord.__table__).where(
                    BudgetRecord.approved_at <= at, _others(BudgetRecord.instance_id, mine)
                )
            ).mappings()
            for row in [r for r in budgets if r["id"] not in self._budgets]:
                dst.execute(insert(BudgetRecord.__table__), dict(row))
                _copy(src, dst, BudgetLine.__table__, BudgetLine.budget_id == row["id"])
                self._budgets.add(row["id"])
            entries = src.execute(
                select(LedgerEntry.__table__)
                .where(LedgerEntry.at <= at, _others(LedgerEntry.instance_id, mine))
                .order_by(LedgerEntry.id)
            ).mappings()
            for row in [r for r in entries if r["id"] not in self._entries]:
                if _line_known(dst, row["line_id"]):
                    dst.execute(insert(LedgerEntry.__table__), dict(row))
                    self._entries.add(row["id"])

    def close(self) -> None:
        self.store.dispose()


@contextlib.contextmanager
def scratch_for(live: Store, instance_id: str, version_id: int) -> Iterator[Scratch]:
    """A scratch store with the setting of ``instance_id``, deleted when the block ends."""
    with tempfile.TemporaryDirectory(prefix="nezarat-replay-") as folder:
        scratch = Scratch(live, instance_id, Path(folder))
        try:
            scratch.copy_setting(version_id)
            yield scratch
        finally:
            scratch.close()


def _copy(src: Session, dst: Session, table: Table, *where: Any) -> None:
    rows = [dict(r._mapping) for r in src.execute(select(table).where(*where))]
    if rows:
        dst.execute(insert(table), rows)


def _others(column: Any, instance_id: str) -> Any:
    return or_(column.is_(None), column != instance_id)


def _line_known(tx: Session, line_id: int) -> bool:
    return tx.execute(select(BudgetLine.id).where(BudgetLine.id == line_id)).first() is not None


def _parents_first(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Units ordered so that each comes after its parent (the foreign key is checked per row)."""
    done: set[str] = set()
    ordered: list[dict[str, Any]] = []
    pending = list(units)
    while pending:
        ready = [u for u in pending if u["parent"] is None or u["parent"] in done]
        if not ready:  # a cycle cannot be stored; keep the rest as they are
            ready = pending
        ordered += ready
        done |= {u["name"] for u in ready}
        pending = [u for u in pending if u["name"] not in done]
    return ordered
