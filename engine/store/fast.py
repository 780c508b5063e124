"""Prebuilt statements that run straight on SQLite's own connection on the hot path.

SQLAlchemy spends tens of microseconds of Python on every statement (execution context, cache key,
result metadata) where ``sqlite3`` itself needs a few, and every step of an instance runs a handful of
statements. :class:`Prepared` compiles a Core statement once per parameter shape with SQLAlchemy's own
compiler and keeps SQLAlchemy's own bind and result processors (JSON, the UTC datetime type), so the SQL
text and the stored values are exactly those ``connection.execute(statement)`` would produce.

A statement takes the direct road only when the transaction offers one (:func:`driver_of`): a SQLite
engine with no ``echo`` and no statement listeners (:func:`direct`). PostgreSQL, an echoing engine, or
listeners (the benchmark's statement counter, a test's) send it through ``connection.execute``
unchanged, so what is locked, logged and counted stays as it was.

Compiling reads a few of SQLAlchemy's compiler internals (bind and result processors, positional
order); ``tests/engine/test_store__fast.py`` stores and reads the same rows both ways, so a SQLAlchemy
upgrade that changes them fails there first.
"""

from __future__ import annotations

import operator
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import exc
from sqlalchemy.engine import Dialect, Engine

# A statement compiled for more parameter shapes than this (IN lists of many lengths) stops caching.
MAX_PLANS = 256


def direct(engine: Engine) -> bool:
    """Whether statements on ``engine`` may bypass SQLAlchemy: SQLite, no echo, no statement listeners.

    Listeners count when they are on the engine or on the Engine class (what ``event.listen(engine, ...)``
    sets up). The engine's own dispatch is read, not a connection's joined one, which costs more than
    the statements it would save.
    """
    if engine.echo or engine.dialect.name != "sqlite":
        return False
    events = engine.dispatch
    return not (
        events.before_cursor_execute
        or events.after_cursor_execute
        or events.before_execute
        or events.after_execute
    )


def driver_of(tx: Any) -> Any | None:
    """The sqlite3 connection of a transaction on the direct road (engine.store.tx.Tx), or None."""
    return getattr(tx, "driver", None)


def run_plain(raw: Any, sql: str, dialect: Dialect) -> None:
    """A statement without parameters (BEGIN, COMMIT) on the sqlite3 connection ``raw``."""
    try:
        raw.execute(sql)
    except sqlite3.Error as err:
        raise exc.DBAPIError.instance(sql, (), err, sqlite3.Error, dialect=dialect) from err


class Prepared:
    """A Core statement with its compiled forms cached per parameter keys and IN-list lengths.

    ``expanding`` names the ``bindparam(..., expanding=True)`` parameters (their lists' lengths change
    the SQL text). Every method takes the transaction (``tx``) and uses its direct road if it has one.
    """

    def __init__(self, statement: Any, *, expanding: Sequence[str] = ()) -> None:
        self.statement = statement
        self.expanding = tuple(expanding)
        self._plans: dict[Any, _Plan] = {}

    def rows(self, tx: Any, params: Mapping[str, Any] | None = None) -> list[Any]:
        params = params or {}
        raw = driver_of(tx)
        if raw is None:
            return list(tx.connection().execute(self.statement, dict(params)))
        plan = self._plan(tx, params)
        return plan.read(_execute(tx, raw, plan.sql, plan.args(params)).fetchall())

    def first(self, tx: Any, params: Mapping[str, Any] | None = None) -> Any | None:
        found = self.rows(tx, params)
        return found[0] if found else None

    def scalar(self, tx: Any, params: Mapping[str, Any] | None = None) -> Any | None:
        found = self.first(tx, params)
        return found[0] if found is not None else None

    def run(self, tx: Any, params: Mapping[str, Any]) -> int:
        """Execute a DML statement once; return how many rows it matched."""
        raw = driver_of(tx)
        if raw is None:
            return int(tx.connection().execute(self.statement, dict(params)).rowcount)
        plan = self._plan(tx, params)
        return int(_execute(tx, raw, plan.sql, plan.args(params)).rowcount)

    def run_many(self, tx: Any, rows: Iterable[Mapping[str, Any]]) -> None:
        """Execute a DML statement once per parameter set (all with the same keys)."""
        rows = list(rows)
        if not rows:
            return
        raw = driver_of(tx)
        if raw is None:
            tx.connection().execute(self.statement, [dict(r) for r in rows])
            return
        plan = self._plan(tx, rows[0])
        if len(rows) == 1:
            _execute(tx, raw, plan.sql, plan.args(rows[0]))
        else:
            _execute(tx, raw, plan.sql, [plan.args(r) for r in rows], many=True)

    def _plan(self, tx: Any, params: Mapping[str, Any]) -> _Plan:
        keys = frozenset(params) if self.statement.is_dml else None
        key = (keys, tuple(len(params[name]) for name in self.expanding))
        plan = self._plans.get(key)
        if plan is None:
            plan = _compile(self.statement, tx.dialect, params, keys, self.expanding)
            if len(self._plans) < MAX_PLANS:
                self._plans[key] = plan
        return plan


class _Plan:
    """One compiled form: SQL text, how to order and convert the parameters, how to read the rows."""

    __slots__ = ("binds", "row_class", "row_procs", "sql")

    def __init__(self, sql: str, binds: list[tuple[str, int | None, Any, Any]], columns: Any) -> None:
        self.sql = sql
        self.binds = binds  # (name, index in an expanded list or None, default, bind processor)
        self.row_class, self.row_procs = columns

    def args(self, params: Mapping[str, Any]) -> tuple[Any, ...]:
        out = []
        for name, index, default, proc in self.binds:
            value = params.get(name, default)
            if index is not None:
                value = value[index]
            out.append(value if proc is None else proc(value))
        return tuple(out)

    def read(self, fetched: list[tuple[Any, ...]]) -> list[Any]:
        make, procs = self.row_class, self.row_procs
        if procs is None:
            return [make(r) for r in fetched]
        return [make([v if p is None else p(v) for p, v in zip(procs, r, strict=True)]) for r in fetched]


def _compile(
    statement: Any, dialect: Any, params: Mapping[str, Any], keys: frozenset[str] | None, expanding: Any
) -> _Plan:
    compiled: Any = statement.compile(dialect=dialect, column_keys=sorted(keys) if keys else None)
    if compiled.insert_prefetch or compiled.update_prefetch:
        # Python-side column defaults are computed by SQLAlchemy's execution context, which we skip.
        raise ValueError(f"{statement.table}: give every column with a default a value")
    defaults = compiled.construct_params(None, _check=False, _no_postcompile=True)
    sql, positions, processors, source = compiled.string, compiled.positiontup, compiled._bind_processors, {}
    if expanding:
        state = compiled.construct_expanded_state({**defaults, **params}, escape_names=False)
        sql, positions = state.statement, state.positiontup
        processors = {**processors, **state.processors}
        source = {
            expanded: (name, i)
            for name, names in state.parameter_expansion.items()
            for i, expanded in enumerate(names)
        }
    binds = []
    for position in positions or ():
        name, index = source.get(position, (position, None))
        binds.append((name, index, defaults.get(name), processors.get(position)))
    return _Plan(sql, binds, _columns(compiled, dialect))


def _columns(compiled: Any, dialect: Any) -> tuple[Any, Any]:
    columns = compiled._result_columns
    if not columns:
        return None, None
    procs = [c.type._cached_result_processor(dialect, None) for c in columns]
    return _row_class(tuple(c.keyname for c in columns)), (procs if any(procs) else None)


def _row_class(names: tuple[str, ...]) -> Any:
    """A tuple whose items are also attributes (``row.id``), as SQLAlchemy's Row offers."""
    clash = [n for n in names if hasattr(tuple, n)]
    if clash:
        raise ValueError(f"label the columns {clash}: the names belong to tuple")
    ns: dict[str, Any] = {"__slots__": (), "_fields": names}
    for i, name in enumerate(names):
        ns[name] = property(operator.itemgetter(i))
    ns["_mapping"] = property(lambda self: dict(zip(self._fields, self, strict=True)))
    return type("FastRow", (tuple,), ns)


def _execute(tx: Any, raw: Any, sql: str, args: Any, *, many: bool = False) -> Any:
    """Run on the sqlite3 connection; its errors come out as SQLAlchemy's, as from connection.execute."""
    try:
        return raw.executemany(sql, args) if many else raw.execute(sql, args)
    except sqlite3.Error as err:
        raise exc.DBAPIError.instance(sql, args, err, sqlite3.Error, dialect=tx.dialect) from err
