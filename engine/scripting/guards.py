"""Run-time guards: the rewritten script calls these instead of raw operators and attribute access.

The policy (:mod:`engine.scripting.policy`) turns ``a ** b`` into ``_pow_(a, b)``, ``a.b`` into
``_getattr_(a, 'b')`` and so on; this module decides at run time whether the operation may go ahead,
so that a hostile script fails with a clear :class:`ScriptError` instead of eating memory or CPU.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from RestrictedPython.Guards import guarded_iter_unpack_sequence, guarded_unpack_sequence, safer_getattr_raise

from engine.errors import ScriptError
from engine.scripting.limits import BIG_RESULT, CURRENT_BUDGET, Limits
from engine.scripting.namespace import Namespace
from engine.scripting.textgrowth import count_nodes, growing_method_size, refusal_reason

_SEQUENCES = (str, bytes, list, tuple)
_KINDS = {
    str: ("a text", "characters"),
    bytes: ("bytes", "bytes"),
    list: ("a list", "items"),
    int: ("bytes", "bytes"),
}
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_DIGITS = re.compile(r"\d+")
_INPLACE: dict[str, Callable[[Any, Any], Any]] = {
    "+=": operator.iadd,
    "-=": operator.isub,
    "*=": operator.imul,
    "/=": operator.itruediv,
    "//=": operator.ifloordiv,
    "%=": operator.imod,
    "**=": operator.ipow,
    "<<=": operator.ilshift,
    ">>=": operator.irshift,
    "&=": operator.iand,
    "|=": operator.ior,
    "^=": operator.ixor,
    "@=": operator.imatmul,
}
_INPLACE_CHECKS = {
    "+=": "_check_add",
    "*=": "_check_mul",
    "**=": "_check_pow",
    "<<=": "_check_lshift",
    "%=": "_check_mod",
}
_CONVERSIONS: dict[int, Callable[[Any], str]] = {ord("s"): str, ord("r"): repr, ord("a"): ascii}
# Attributes refused on any object: time sources (scripts get the time from the process) and the
# str.format family, which can walk attributes ('{0.__class__}').
_BLOCKED_ATTRIBUTES = {
    "format": "use an f-string instead",
    "format_map": "use an f-string instead",
    "now": "scripts must not read the system clock",
    "today": "scripts must not read the system clock",
    "utcnow": "scripts must not read the system clock",
    "fromtimestamp": "scripts must not read the system clock",
    "utcfromtimestamp": "scripts must not read the system clock",
    "mro": "it exposes the class hierarchy",
}


def identity(value: Any) -> Any:
    return value


def apply(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return function(*args, **kwargs)


def note_size(size: int) -> None:
    """After a large result: check the run's memory at once rather than at the next memory check."""
    if size >= BIG_RESULT:
        budget = CURRENT_BUDGET.get()
        if budget is not None:
            budget.check_memory()


def _kind(value: Any) -> tuple[str, str]:
    for base, kind in _KINDS.items():
        if isinstance(value, base):
            return kind
    return ("a tuple", "items")


class Guards:
    """The guard functions for one set of :class:`Limits` (shared by all runs under those limits)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits

    def table(self) -> dict[str, Any]:
        """The ``_name_`` globals the rewritten code refers to (``_step_`` is added per run)."""
        return {
            "_getattr_": self.get_attribute,
            "_getitem_": self.get_item,
            "_write_": self.write,
            "_getiter_": identity,
            "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
            "_unpack_sequence_": guarded_unpack_sequence,
            "_apply_": apply,
            "_inplacevar_": self.inplace,
            "_pow_": self.pow,
            "_mul_": self.mul,
            "_lshift_": self.lshift,
            "_add_": self.add,
            "_mod_": self.mod,
            "_format_": self.format_field,
        }

    def builtins(self) -> dict[str, Any]:
        """Built-ins that need the guards: turning containers into text."""
        return {"str": self._text_type(), "repr": self.representation}

    def _text_type(self) -> type[str]:
        """``str`` itself (so ``str.upper`` still works) but refusing enormous conversions."""
        check = self.check_text_source

        class GuardedStr(str):
            def __new__(cls, value: Any = "", *args: Any) -> str:  # type: ignore[misc]
                check(value)
                return str(value, *args)

        GuardedStr.__name__ = GuardedStr.__qualname__ = "str"
        return GuardedStr

    # -- sizes ---------------------------------------------------------------------------------

    def check_size(self, size: int, sample: Any, what: str) -> None:
        if size > self.limits.max_sequence:
            article, unit = _kind(sample)
            raise ScriptError(
                f"{what} would build {article} of {size} {unit} (limit {self.limits.max_sequence})"
            )
        note_size(size)

    def check_bits(self, bits: float, what: str) -> None:
        if bits > self.limits.max_int_bits:
            raise ScriptError(
                f"the number {what} is too large (about {int(bits)} bits; the limit is {self.limits.max_int_bits})"
            )

    # -- operators -----------------------------------------------------------------------------

    def _check_pow(self, base: Any, exponent: Any) -> None:
        if isinstance(base, int) and isinstance(exponent, int) and exponent > 0 and abs(base) > 1:
            self.check_bits(exponent * math.log2(abs(base)), f"{base} ** {exponent}")

    def _check_mul(self, left: Any, right: Any) -> None:
        if isinstance(left, int) and isinstance(right, int):
            self.check_bits(left.bit_length() + right.bit_length() - 1, f"{left} * {right}")
        elif isinstance(left, _SEQUENCES) and isinstance(right, int):
            self.check_size(len(left) * right, left, "'*'")
        elif isinstance(right, _SEQUENCES) and isinstance(left, int):
            self.check_size(len(right) * left, right, "'*'")

    def _check_lshift(self, left: Any, right: Any) -> None:
        if isinstance(left, int) and isinstance(right, int) and left and right > 0:
            self.check_bits(left.bit_length() + right, f"{left} << {right}")

    def _check_add(self, left: Any, right: Any) -> None:
        if isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES):
            self.check_size(len(left) + len(right), left, "'+'")

    def _check_mod(self, left: Any, right: Any) -> None:
        if not isinstance(left, (str, bytes)):
            return
        self.check_percent_values(right)
        text = left.decode("latin-1") if isinstance(left, bytes) else left
        for width, precision in _PERCENT_SPEC.findall(text):
            if "*" in (width, precision):
                raise ScriptError("'*' widths in %-formatting are not supported in scripts")
            self._check_spec_numbers(width + " " + precision, left)

    def _check_spec_numbers(self, spec: str, sample: Any) -> None:
        for number in _DIGITS.findall(spec):
            value = int(number) if len(number) <= 12 else 10**12
            if value > self.limits.max_sequence:
                self.check_size(value, sample, "the format")

    def pow(self, base: Any, exponent: Any) -> Any:
        self._check_pow(base, exponent)
        return base**exponent

    def mul(self, left: Any, right: Any) -> Any:
        self._check_mul(left, right)
        return left * right

    def lshift(self, left: Any, right: Any) -> Any:
        self._check_lshift(left, right)
        return left << right

    def add(self, left: Any, right: Any) -> Any:
        self._check_add(left, right)
        return left + right

    def mod(self, left: Any, right: Any) -> Any:
        self._check_mod(left, right)
        return left % right

    def inplace(self, op: str, target: Any, value: Any) -> Any:
        check = _INPLACE_CHECKS.get(op)
        if check is not None:
            getattr(self, check)(target, value)
        return _INPLACE[op](target, value)

    def format_field(self, value: Any, conversion: int, spec: str) -> str:
        """An f-string field: ``f'{x}'``, ``f'{x!r}'``, ``f'{x:>10}'``."""
        self.check_text_source(value)
        if conversion in _CONVERSIONS:
            value = _CONVERSIONS[conversion](value)
        self._check_spec_numbers(spec, "")
        if (
            isinstance(value, Decimal)
            and value.is_finite()
            and abs(value.adjusted()) > self.limits.max_sequence
        ):
            self.check_size(abs(value.adjusted()), "", "formatting this Decimal")
        return format(value, spec)

    def check_percent_values(self, values: Any) -> None:
        """``'%d' % Decimal('1e999999')`` would spend minutes making an exact integer."""
        self.check_text_source(values)
        if isinstance(values, dict):
            items = list(values.values())
        else:
            items = list(values) if isinstance(values, tuple) else [values]
        digits = self.limits.max_int_bits * math.log10(2)
        for item in items:
            if isinstance(item, Decimal) and item.is_finite() and item.adjusted() > digits:
                raise ScriptError(
                    f"this Decimal is too large for %-formatting (more than {int(digits) + 1} digits)"
                )

    def check_text_source(self, value: Any) -> None:
        """Refuse turning a container into text when the text would be enormous."""
        if isinstance(value, (list, tuple, dict, set, frozenset)):
            nodes = count_nodes(value, self.limits.max_sequence)
            if nodes > self.limits.max_sequence:
                raise ScriptError(
                    f"this {type(value).__name__} is too large to turn into text "
                    f"(more than {self.limits.max_sequence} values)"
                )

    def representation(self, value: Any) -> str:
        self.check_text_source(value)
        return repr(value)

    def write(self, obj: Any) -> Any:
        """``d[k] = v`` and ``del d[k]`` are allowed on dictionaries and lists only."""
        if type(obj) is dict:
            return obj
        if type(obj) is list:
            return _ListWriter(obj, self)
        what = f"{obj!r}"[1:-1] if isinstance(obj, Namespace) else f"a {type(obj).__name__} value"
        raise ScriptError(f"{what} cannot be changed in a script; only dictionaries and lists can")

    # -- access --------------------------------------------------------------------------------

    def get_attribute(self, obj: Any, name: str) -> Any:
        reason = _BLOCKED_ATTRIBUTES.get(name) or refusal_reason(obj, name)
        if reason is not None:
            raise ScriptError(f"'.{name}' is not available in scripts: {reason}")
        value = safer_getattr_raise(obj, name)
        if growing_method_size(obj, name, ()) is None:
            return value
        return self._guarded_method(obj, name, value)

    def _guarded_method(self, obj: Any, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if name == "join":
                args = (list(args[0]),) if args else args
            size = growing_method_size(obj, name, args, kwargs)
            if size is not None:
                self.check_size(size, obj, f"'.{name}()'")
            return method(*args, **kwargs)

        return guarded

    def get_item(self, obj: Any, index: Any) -> Any:
        result = obj[index]
        if type(index) is slice and isinstance(result, _SEQUENCES):
            note_size(len(result))
        return result


class _ListWriter:
    """The target of ``items[i] = v`` / ``del items[i]``: checks that slice assignment cannot grow a list."""

    __slots__ = ("guards", "target")

    def __init__(self, target: list[Any], guards: Guards) -> None:
        self.target = target
        self.guards = guards

    def __setitem__(self, index: Any, value: Any) -> None:
        if type(index) is slice and hasattr(value, "__len__"):
            self.guards.check_size(len(self.target) + len(value), self.target, "slice assignment")
        self.target[index] = value

    def __delitem__(self, index: Any) -> None:
        del self.target[index]
