"""The one database session scope: ``with store.transaction() as tx:`` — commit on success, else roll back.

SQLite runs in WAL mode and every transaction begins with ``BEGIN IMMEDIATE``: writers queue on the
database lock up front instead of failing halfway when a read lock cannot be upgraded, which is what
makes two threads completing one task resolve into one success and one clean conflict.

A scope yields an engine.store.tx.Tx: prebuilt statements run on SQLite's own connection when they
may (engine.store.fast), and a SQLAlchemy Connection and an ORM Session are made on that connection, in
the same transaction, the first time some code asks for them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from engine.store import schema
from engine.store.tx import scope

DEFAULT_SQLITE_TIMEOUT_S = 30


class Store:
    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.engine = _create_engine(url, echo, immediate=True)
        # SQLite readers use plain deferred transactions so they never queue behind writers (WAL).
        self.read_engine = (
            _create_engine(url, echo, immediate=False) if url.startswith("sqlite") else self.engine
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        with scope(self.engine, "BEGIN IMMEDIATE") as tx:
            yield cast(Session, tx)
            tx.commit()

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only scope (no BEGIN IMMEDIATE on SQLite, so readers never queue behind writers).

        One snapshot for every statement; nothing is committed. Objects loaded in it stay readable
        after the block (the Session is closed, never committed, so nothing expires).
        """
        with scope(self.read_engine, "BEGIN") as tx:
            yield cast(Session, tx)

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision."""
        schema.upgrade(self.engine)

    def has_schema(self) -> bool:
        return inspect(self.read_engine).has_table("instances")

    def dispose(self) -> None:
        self.engine.dispose()
        self.read_engine.dispose()


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _create_engine(url: str, echo: bool, *, immediate: bool) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(
            url, echo=echo, connect_args={"check_same_thread": False, "timeout": DEFAULT_SQLITE_TIMEOUT_S}
        )
        _configure_sqlite(engine, "BEGIN IMMEDIATE" if immediate else "BEGIN")
        return engine
    return create_engine(url, echo=echo, pool_size=10, max_overflow=20, pool_pre_ping=True)


def _configure_sqlite(engine: Engine, begin: str) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us issue BEGIN ourselves (pysqlite's own transaction handling defers it).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={DEFAULT_SQLITE_TIMEOUT_S * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        if connection.connection.driver_connection.in_transaction:
            return  # begun on the direct road (engine.store.tx); SQLAlchemy joins it
        connection.exec_driver_sql(begin)
