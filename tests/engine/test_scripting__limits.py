"""Hostile or careless scripts fail fast with a clear ScriptError instead of hanging or eating memory."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from engine.errors import ScriptError
from engine.scripting import Limits, evaluate, execute

STEP_LIMIT = "script exceeded 100000 steps (possible endless loop)"


def failure(script: str, names: dict | None = None, limits: Limits | None = None) -> ScriptError:
    with pytest.raises(ScriptError) as caught:
        execute(script, {} if names is None else names, limits=limits)
    return caught.value


def test_an_endless_while_loop_hits_the_step_limit() -> None:
    error = failure("x = 1\nwhile True:\n    pass")
    assert error.message == STEP_LIMIT
    assert error.line == 2


def test_an_exponential_condition_hits_the_step_limit() -> None:
    with pytest.raises(ScriptError) as caught:
        evaluate("(lambda f: f(f, 40))(lambda f, n: 0 if n == 0 else f(f, n - 1) + f(f, n - 1))", {})
    assert caught.value.message == STEP_LIMIT


def test_catching_the_limit_inside_the_script_does_not_help() -> None:
    error = failure(
        "while True:\n    try:\n        while True:\n            pass\n    except Exception:\n        pass"
    )
    assert error.message == STEP_LIMIT


def test_a_bare_except_cannot_swallow_the_limit() -> None:
    names: dict = {}
    error = failure("try:\n    while True:\n        pass\nexcept:\n    pass\nafter = 1", names)
    assert error.message == STEP_LIMIT
    assert error.line == 2
    assert names == {}


def test_exponential_recursion_hits_the_step_limit() -> None:
    error = failure("def f(n):\n    return 0 if n == 0 else f(n - 1) + f(n - 1)\nx = f(40)")
    assert error.message == STEP_LIMIT


def test_exponential_recursion_in_a_lambda_hits_the_step_limit() -> None:
    error = failure("f = lambda n: 0 if n == 0 else f(n - 1) + f(n - 1)\nx = f(40)")
    assert error.message == STEP_LIMIT


def test_endless_recursion_is_reported() -> None:
    error = failure("def f(n):\n    return f(n + 1)\nf(0)")
    assert error.message == "functions call themselves too deeply (recursion limit reached)"
    assert error.line == 2


def test_a_huge_power_is_refused() -> None:
    error = failure("x = 10**10**9")
    assert (
        error.message == "the number 10 ** 1000000000 is too large (about 3321928094 bits; the limit is 4096)"
    )
    assert error.line == 1


def test_a_huge_shift_is_refused() -> None:
    error = failure("x = 1 << 10**9")
    assert (
        error.message == "the number 1 << 1000000000 is too large (about 1000000001 bits; the limit is 4096)"
    )


def test_repeated_squaring_is_refused() -> None:
    error = failure("x = 3\nfor i in range(20):\n    x = x * x")
    assert error.message.startswith("the number ")
    assert error.message.endswith("bits; the limit is 4096)")
    assert error.line == 3


def test_a_huge_text_repeat_is_refused() -> None:
    error = failure("s = 'a' * 10**9")
    assert error.message == "'*' would build a text of 1000000000 characters (limit 1000000)"


def test_a_huge_list_repeat_is_refused() -> None:
    error = failure("l = [0] * 10**9")
    assert error.message == "'*' would build a list of 1000000000 items (limit 1000000)"


def test_an_augmented_repeat_is_refused() -> None:
    error = failure("s = 'ab'\ns *= 10**9")
    assert error.message == "'*' would build a text of 2000000000 characters (limit 1000000)"
    assert error.line == 2


def test_doubling_a_text_in_a_loop_is_refused() -> None:
    error = failure("s = 'a'\nfor i in range(100):\n    s += s")
    assert error.message == "'+' would build a text of 1048576 characters (limit 1000000)"
    assert error.line == 3


def test_summing_a_huge_range_is_refused() -> None:
    error = failure("total = sum(range(10**12))")
    assert error.message == "range() with 1000000000000 numbers is too large (limit 1000000)"
    assert error.line == 1


def test_growing_text_methods_are_refused() -> None:
    assert failure("t = 'a'.ljust(10**9)").message == (
        "'.ljust()' would build a text of 1000000000 characters (limit 1000000)"
    )
    error = failure("s = 'a' * 1000000\nt = s.join([s] * 1000)")
    assert error.message.startswith("'.join()' would build a text of ")
    assert error.line == 2


def test_huge_format_widths_are_refused() -> None:
    assert failure("t = f'{1:>1000000000}'").message == (
        "the format would build a text of 1000000000 characters (limit 1000000)"
    )
    assert failure("t = '%1000000000d' % 1").message == (
        "the format would build a text of 1000000000 characters (limit 1000000)"
    )


def test_turning_a_self_doubling_list_into_text_is_refused() -> None:
    error = failure("x = []\nfor i in range(40):\n    x = [x, x]\ny = str(x)")
    assert error.message == "this list is too large to turn into text (more than 1000000 values)"
    assert error.line == 4


def test_a_huge_decimal_cannot_become_an_int() -> None:
    error = failure("x = int(Decimal('1e999999'))")
    assert error.message == "int(): the number is too large (more than 1234 digits)"


def test_the_step_limit_can_be_lowered() -> None:
    limits = Limits(max_steps=10)
    execute("for i in range(5):\n    pass", {}, limits=limits)
    error = failure("for i in range(50):\n    pass", limits=limits)
    assert error.message == "script exceeded 10 steps (possible endless loop)"


def test_the_time_limit_stops_slow_loops() -> None:
    limits = Limits(max_steps=10**9, max_seconds=0.05)
    error = failure("while True:\n    x = sorted(range(1000))", limits=limits)
    assert error.message == "script ran longer than 0.05 seconds"
    assert error.line == 1


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="memory is measured through /proc")
def test_the_memory_limit_stops_a_script_that_hoards_data() -> None:
    limits = Limits(max_memory_mb=32)
    error = failure("keep = [[0] * 1000000 for i in range(50)]", limits=limits)
    assert error.message == "script used more than 32 MB of memory"


def test_limits_are_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Limits().max_steps = 1  # type: ignore[misc]


def test_growing_a_list_by_slice_assignment_is_refused() -> None:
    error = failure("items = [0] * 1000000\nitems[:0] = items")
    assert error.message == "slice assignment would build a list of 2000000 items (limit 1000000)"
    assert error.line == 2


def test_huge_byte_conversions_and_roundings_are_refused() -> None:
    assert failure("b = (1).to_bytes(10**9, 'big')").message == (
        "'.to_bytes()' would build bytes of 1000000000 bytes (limit 1000000)"
    )
    assert failure("x = round(5, -10**7)").message == "round(): -10000000 digits is too many (limit 1234)"


def test_percent_formatting_a_huge_decimal_is_refused() -> None:
    error = failure("x = '%d' % (Decimal(10) ** 999999,)")
    assert error.message == "this Decimal is too large for %-formatting (more than 1234 digits)"
