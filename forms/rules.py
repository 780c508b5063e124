"""A form's system checks: the helpers their rules may call, the names a rule may use, and running them.

A rule is one sandboxed Python expression (``engine.scripting``) over the cleaned fields; it must be
true. Every declared top-level field is a name (None when not submitted), so a rule over an optional
field does not fail with "name not defined". The helpers are plain functions handed to the sandbox as
names; each raises :class:`ScriptError` with a readable message on data it cannot use.
"""

from __future__ import annotations

import ast
import copy
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from engine.errors import ScriptError
from engine.scripting import evaluate
from engine.scripting.builtins_table import available_names
from engine.scripting.limits import DEFAULT_LIMITS
from forms.persian import normalise_jalali

_JALALI = re.compile(r"([0-9]{4})/([0-9]{2})/([0-9]{2})")


@dataclass(frozen=True)
class Check:
    """One entry of a form's ``checks``: the rule must be true, else ``message`` is shown at ``path``."""

    id: str
    rule: str
    path: str
    message: Mapping[str, str]


def _rows(rows: Any, helper: str) -> Sequence[Any]:
    if rows is None:
        return ()
    if not isinstance(rows, (list, tuple)):
        raise ScriptError(f"{helper}() expects the rows of a table, not {type(rows).__name__}")
    return rows


def sum_of(rows: Any, key: str) -> int | float:
    """The total of column ``key`` over the rows of a table; empty cells count as zero."""
    total: int | float = 0
    for number, row in enumerate(_rows(rows, "sum_of"), start=1):
        value = row.get(key) if isinstance(row, Mapping) else None
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ScriptError(f"sum_of(): {key!r} in row {number} is not a number")
        total += value
    return total


def count_of(rows: Any, key: str | None = None) -> int:
    """The number of rows of a table, or with ``key`` the number of rows where that cell is filled."""
    items = _rows(rows, "count_of")
    if key is None:
        return len(items)
    return sum(1 for row in items if isinstance(row, Mapping) and row.get(key) not in (None, ""))


def _jalali_key(value: Any) -> tuple[int, int, int]:
    match = _JALALI.fullmatch(normalise_jalali(value)) if isinstance(value, str) else None
    if match is None:
        raise ScriptError(f"jalali_before() expects dates like '1403/01/15', got {value!r}")
    year, month, day = (int(part) for part in match.groups())
    return year, month, day


def jalali_before(first: Any, second: Any) -> bool:
    """True if Jalali date ``first`` is strictly before ``second``.

    Also true when either is missing: whether a date must be given is the ``required`` rule's business,
    and a check that failed on an empty optional date would blame the wrong thing.
    """
    if first is None or second is None:
        return True
    return _jalali_key(first) < _jalali_key(second)


HELPERS: dict[str, Any] = {"sum_of": sum_of, "count_of": count_of, "jalali_before": jalali_before}


def unknown_names(rule: str, known: Collection[str]) -> list[str]:
    """The names ``rule`` reads that are neither ``known``, helpers, sandbox builtins nor bound inside it."""
    tree = ast.parse(rule.strip(), mode="eval")
    bound: set[str] = set()
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, ast.Store) else used).add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    allowed = set(known) | set(HELPERS) | available_names(DEFAULT_LIMITS)
    return sorted(used - bound - allowed)


def run(checks: Iterable[Check], data: Mapping[str, Any], fields: Iterable[str]) -> list[dict[str, Any]]:
    """The error details of every check that is false or cannot run over ``data``; empty if all pass."""
    base = {name: None for name in fields}
    base.update(data)
    details: list[dict[str, Any]] = []
    for check in checks:
        # Each rule gets its own copy: a rule calling a list method must not change what the next one sees.
        names = {**copy.deepcopy(base), **HELPERS}
        try:
            passed = bool(evaluate(check.rule, names))
        except ScriptError as exc:
            details.append(_broken(check, exc))
            continue
        if not passed:
            details.append({"path": check.path, "rule": check.id, "message": dict(check.message)})
    return details


def _broken(check: Check, exc: ScriptError) -> dict[str, Any]:
    reason = str(exc)
    return {
        "path": check.path,
        "rule": check.id,
        "message": {
            "fa": f"بررسی سامانه‌ای «{check.id}» اجرا نشد: {reason}",
            "en": f"system check '{check.id}' could not run: {reason}",
        },
    }
