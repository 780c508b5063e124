"""Compiling (with a cache), evaluating expressions and executing scripts in the sandbox."""

from __future__ import annotations

import ast
import functools
import textwrap
import warnings
from collections.abc import Mapping
from types import CodeType
from typing import Any, Literal

from RestrictedPython import compile_restricted_eval, compile_restricted_exec

from engine.errors import ScriptError
from engine.scripting.builtins_table import builtins_for
from engine.scripting.failures import to_script_error
from engine.scripting.guards import Guards
from engine.scripting.limits import (
    CURRENT_BUDGET,
    DEFAULT_LIMITS,
    SCRIPT_FILENAME,
    Budget,
    Limits,
    ScriptAborted,
)
from engine.scripting.plain_data import private_copy, store_results
from engine.scripting.policy import ScriptPolicy

Mode = Literal["eval", "exec"]


def _parse(source: str, mode: Mode) -> ast.AST:
    text = source.strip() if mode == "eval" else textwrap.dedent(source)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text, SCRIPT_FILENAME, mode)
    except SyntaxError as exc:
        raise ScriptError(f"syntax error: {exc.msg}", line=exc.lineno) from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise ScriptError(f"the script cannot be read: {exc or 'too deeply nested'}") from None


@functools.lru_cache(maxsize=2048)
def compiled(source: str, mode: Mode) -> CodeType:
    """The restricted code object for ``source``; raises :class:`ScriptError` if it is refused."""
    if not isinstance(source, str):
        raise ScriptError(f"a script must be text, not {type(source).__name__}")
    if mode not in ("eval", "exec"):
        raise ValueError(f"mode must be 'eval' or 'exec', not {mode!r}")
    tree = _parse(source, mode)
    compile_mode = compile_restricted_eval if mode == "eval" else compile_restricted_exec
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = compile_mode(tree, filename=SCRIPT_FILENAME, policy=ScriptPolicy)
    if result.errors:
        first = min(result.errors, key=lambda refusal: getattr(refusal, "line", None) or 0)
        raise ScriptError(str(first), line=getattr(first, "line", None))
    assert result.code is not None
    return result.code


def check(source: str, mode: Mode) -> None:
    """Deploy-time check: raises :class:`ScriptError` (with ``line``) if ``source`` is refused or invalid."""
    compiled(source, mode)


@functools.lru_cache(maxsize=32)
def _globals_for(limits: Limits) -> dict[str, Any]:
    guards = Guards(limits)
    table = guards.table()
    table["__builtins__"] = {**builtins_for(limits), **guards.builtins()}
    return table


_DEFAULT_GLOBALS = _globals_for(DEFAULT_LIMITS)


def _space(names: Mapping[str, Any], limits: Limits) -> tuple[dict[str, Any], Budget]:
    budget = Budget(limits)
    space = dict(names)
    space.update(_DEFAULT_GLOBALS if limits is DEFAULT_LIMITS else _globals_for(limits))
    space["_step_"] = budget.step
    return space, budget


def _run(code: CodeType, space: dict[str, Any], budget: Budget) -> Any:
    token = CURRENT_BUDGET.set(budget)
    try:
        result = eval(code, space)
    except (Exception, ScriptAborted) as exc:
        error = to_script_error(exc, [*space, *space["__builtins__"]])
        if error is exc:
            raise
        raise error from exc
    finally:
        CURRENT_BUDGET.reset(token)
    if budget.aborted is not None:  # the script caught the limit error itself and carried on
        raise ScriptError(budget.aborted, line=budget.aborted_line)
    return result


def evaluate(expression: str, names: Mapping[str, Any], *, limits: Limits | None = None) -> Any:
    """The value of a Python expression (a condition, a timer, a parameter) over ``names``."""
    code = compiled(expression, "eval")
    space, budget = _space(names, limits or DEFAULT_LIMITS)
    return _run(code, space, budget)


def execute(script: str, names: dict[str, Any], *, limits: Limits | None = None) -> None:
    """Run a script with ``names`` as its variables; afterwards ``names`` holds the resulting data.

    New plain-data variables are added, reassigned ones updated and deleted ones removed. Helper
    functions, modules and other non-data values are never copied into ``names``. If the script
    fails, ``names`` is left exactly as it was.
    """
    limits = limits or DEFAULT_LIMITS
    code = compiled(script, "exec")
    space, budget = _space(private_copy(names), limits)
    _run(code, space, budget)
    store_results(names, space, limits.max_sequence)
