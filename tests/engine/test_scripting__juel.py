"""Simple Camunda JUEL conditions become equivalent Python; anything else is refused clearly."""

from __future__ import annotations

import pytest

from engine.errors import ScriptError
from engine.scripting import check, evaluate, juel_to_python

UNSUPPORTED = "only comparisons, and/or/not, literals and variables are translated"


@pytest.mark.parametrize(
    ("juel", "python"),
    [
        ("${approved}", "approved"),
        ("${!approved}", "(not approved)"),
        ("${amount > 1000 && region == 'north'}", "((amount > 1000) and (region == 'north'))"),
        ("${a eq b}", "(a == b)"),
        ("#{a ne b or c lt 1}", "((a != b) or (c < 1))"),
        ("${x gt 1 and x le 2 and y ge 3}", "(((x > 1) and (x <= 2)) and (y >= 3))"),
        ("${not approved}", "(not approved)"),
        ('${name == "Ali"}', "(name == 'Ali')"),
        ("${done == true || value == null}", "((done == True) or (value == None))"),
        ("${order.customer.city == 'Tehran'}", "(order['customer']['city'] == 'Tehran')"),
        ("${(a || b) && c}", "((a or b) and c)"),
        ("${amount >= 2.5e3}", "(amount >= 2.5e3)"),
    ],
)
def test_simple_conditions_are_translated(juel: str, python: str) -> None:
    assert juel_to_python(juel) == python
    check(python, "eval")


def test_not_binds_tighter_than_a_comparison_as_in_juel() -> None:
    source = juel_to_python("${!a == b}")
    assert source == "((not a) == b)"
    assert evaluate(source, {"a": True, "b": False}) is True


def test_empty_checks_for_missing_and_blank_values() -> None:
    source = juel_to_python("${empty comment}")
    for value, expected in [(None, True), ("", True), ([], True), ({}, True), ("x", False), ([1], False)]:
        assert evaluate(source, {"comment": value}) is expected


def test_translated_conditions_evaluate_like_camunda() -> None:
    source = juel_to_python("${amount > 1000 && order.region == 'north'}")
    assert evaluate(source, {"amount": 1500, "order": {"region": "north"}}) is True
    assert evaluate(source, {"amount": 500, "order": {"region": "north"}}) is False


def test_quotes_inside_strings_survive() -> None:
    assert juel_to_python("${name == 'O\\'Neil'}") == '(name == "O\'Neil")'


@pytest.mark.parametrize(
    ("juel", "what"),
    [
        ("${execution.getVariable('x')}", "method calls at '('"),
        ("#{bean.method()}", "method calls at '('"),
        ("${a ? b : c}", "ternary '? :' at '?'"),
        ("${a = 1}", "assignments at '='"),
        ("${__class__}", "the name '__class__' cannot be used at '__class__'"),
        ("${}", "empty"),
        ("${a == }", "incomplete expression at the end"),
    ],
)
def test_anything_beyond_simple_conditions_is_refused(juel: str, what: str) -> None:
    with pytest.raises(ScriptError) as caught:
        juel_to_python(juel)
    assert caught.value.message == f"unsupported expression {juel!r} ({what}): {UNSUPPORTED}"
