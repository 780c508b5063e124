"""One transaction as the engine sees it: :class:`Tx`, on the direct SQLite road or through SQLAlchemy.

On the direct road (engine.store.fast decides when) the scope takes a pooled sqlite3 connection and
issues ``BEGIN`` itself; prebuilt statements run on it, and a SQLAlchemy Connection — and on top of it
an ORM Session — is made on that same connection, inside the same transaction, only when some code asks
for one. Otherwise (PostgreSQL, echo, statement listeners) the scope is a plain SQLAlchemy Connection
with its transaction begun. Either way ``commit`` writes everything, or nothing is written.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from typing import Any

from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.orm import Session

from engine.store import fast


class Tx:
    """A transaction: its Core connection (``tx.connection()``) and an ORM Session made on first use.

    Attribute access falls through to the Session, so ``tx.get``, ``tx.add``, ``tx.scalars``,
    ``tx.flush`` and the rest behave as on a Session. ``driver`` is the sqlite3 connection prebuilt
    statements run on directly, or None.
    """

    __slots__ = ("_conn", "_engine", "_pooled", "_session", "driver")

    def __init__(self, engine: Engine, *, conn: Connection | None = None, pooled: Any = None) -> None:
        self._engine = engine
        self._conn = conn  # a SQLAlchemy connection already in this transaction, or made on first use
        self._pooled = pooled  # the pooled DBAPI connection of the direct road
        self._session: Session | None = None
        self.driver = pooled.driver_connection if pooled is not None else None

    @classmethod
    def begin(cls, engine: Engine, statement: str) -> Tx:
        """Begin a transaction on ``engine``; ``statement`` is SQLite's BEGIN for the direct road."""
        if fast.direct(engine):
            pooled = engine.raw_connection()
            try:
                fast.run_plain(pooled.driver_connection, statement, engine.dialect)
            except BaseException:
                pooled.close()
                raise
            return cls(engine, pooled=pooled)
        conn = engine.connect()
        try:
            conn.begin()
        except BaseException:
            conn.close()
            raise
        return cls(engine, conn=conn)

    @property
    def dialect(self) -> Dialect:
        return self._engine.dialect

    def connection(self, *args: Any, **kwargs: Any) -> Connection:
        if args or kwargs:
            return self.session.connection(*args, **kwargs)
        if self._conn is None:
            # SQLAlchemy joins the transaction this scope began (the begin listener sees it open).
            self._conn = Connection(self._engine, connection=self._pooled)
            self._conn.begin()
        return self._conn

    @property
    def session(self) -> Session:
        if self._session is None:
            # The Session joins the scope's transaction: it may roll it back, never commit it.
            self._session = Session(
                bind=self.connection(),
                autoflush=False,
                expire_on_commit=False,
                join_transaction_mode="rollback_only",
            )
        return self._session

    def __getattr__(self, name: str) -> Any:
        return getattr(self.session, name)

    def commit(self) -> None:
        """Write what the ORM holds, then commit the transaction."""
        if self._session is not None:
            self._session.flush()
        if self._conn is not None:
            self._conn.commit()
        else:
            fast.run_plain(self.driver, "COMMIT", self.dialect)

    def rollback(self) -> None:
        if self._conn is not None:
            self._conn.rollback()
        elif self.driver is not None:
            with contextlib.suppress(sqlite3.Error):  # the pool resets (or discards) it on return
                self.driver.rollback()

    def close(self) -> None:
        """Give the connection back to the pool (rolled back, if still in a transaction)."""
        try:
            if self._session is not None:
                self._session.close()
        finally:
            if self._conn is not None:
                self._conn.close()  # hands the pooled connection back too
            elif self._pooled is not None:
                self._pooled.close()


@contextlib.contextmanager
def scope(engine: Engine, begin: str) -> Iterator[Tx]:
    """A transaction that is rolled back unless the body committed it, then released."""
    tx = Tx.begin(engine, begin)
    try:
        yield tx
    except BaseException:
        tx.rollback()
        raise
    finally:
        tx.close()
