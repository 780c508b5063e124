"""The sandbox refuses what could escape it, reports failures clearly, and runs ordinary scripts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from engine.errors import ScriptError
from engine.scripting import check, evaluate, execute
from engine.scripting.evaluator import compiled

# The dunder walk from the SpiffWorkflow notes (s07): recovers real builtins through catch_warnings.
ESCAPE = (
    "for c in ().__class__.__base__.__subclasses__():\n"
    "    if c.__name__ == 'catch_warnings':\n"
    "        b = c()._module.__builtins__\n"
    "        pid = b['__import__']('os').getpid()\n"
    "        host = b['open']('/etc/hostname').read().strip()[:12]\n"
    "        break\n"
    "del b, c"
)


def refusal(source: str, mode: str = "exec") -> ScriptError:
    with pytest.raises(ScriptError) as caught:
        check(source, mode)  # type: ignore[arg-type]
    return caught.value


def failure(script: str, names: dict | None = None) -> ScriptError:
    with pytest.raises(ScriptError) as caught:
        execute(script, {} if names is None else names)
    return caught.value


# -- refused at deploy time ------------------------------------------------------------------------


def test_an_import_statement_is_refused_with_its_line() -> None:
    error = refusal("x = 1\nimport os")
    assert error.message == "imports are not allowed in scripts"
    assert error.line == 2
    assert str(refusal("import os")) == "imports are not allowed in scripts (line 1)"


def test_a_from_import_is_refused() -> None:
    assert refusal("from os import path").message == "imports are not allowed in scripts"


def test_dunder_import_is_refused() -> None:
    error = refusal("__import__('os')", "eval")
    assert error.message == "'__import__' is not available in scripts"
    assert error.line == 1


def test_open_is_refused() -> None:
    error = refusal("text = open('/etc/hostname').read()")
    assert error.message == "'open' is not available in scripts"
    assert error.line == 1


def test_walking_dunder_attributes_is_refused() -> None:
    error = refusal("().__class__.__bases__", "eval")
    assert error.message.startswith("'.__")
    assert error.message.endswith("is not available in scripts: names starting with '_' are reserved")


def test_exec_eval_and_globals_are_refused() -> None:
    assert refusal("exec('x=1')").message == "'exec' is not available in scripts"
    assert refusal("eval('1')", "eval").message == "'eval' is not available in scripts"
    assert refusal("g = globals()").message == "'globals' is not available in scripts"


def test_the_catch_warnings_escape_is_refused_at_its_first_line() -> None:
    error = refusal(ESCAPE)
    assert "is not available in scripts: names starting with '_' are reserved" in error.message
    assert error.line == 1


def test_the_escape_does_not_run_either() -> None:
    names: dict = {}
    error = failure(ESCAPE, names)
    assert "names starting with '_' are reserved" in error.message
    assert names == {}


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("class A:\n    pass", "class definitions are not allowed in scripts"),
        ("def f():\n    global x\n    x = 1", "'global' is not allowed in scripts"),
        ("def f():\n    yield 1", "'yield' is not allowed in scripts"),
        ("async def f():\n    pass", "async code is not allowed in scripts"),
        ("v = getattr(1, 'real')", "'getattr' is not available in scripts"),
        ("print(1)", "'print' is not available in scripts"),
        ("_secret = 1", "'_secret' is not available in scripts: names starting with '_' are reserved"),
        ("g = (x for x in [1])\nf = g.gi_frame", "'.gi_frame' is not available in scripts"),
    ],
)
def test_dangerous_constructs_are_refused_by_name(source: str, message: str) -> None:
    assert refusal(source).message == message


def test_type_and_object_are_field_names_not_builtins() -> None:
    # Forms commonly have a field called "type"; only the builtin is withheld, not the name.
    names: dict[str, object] = {"type": "capital", "object": "school"}
    execute("label = type + '/' + object", names)
    assert names["label"] == "capital/school"
    assert failure("t = type(1)", {}).message.startswith("name 'type' is not defined")


def test_a_syntax_error_is_reported_with_its_line() -> None:
    error = refusal("x = 1\ny = (2,\n")
    assert error.message.startswith("syntax error:")
    assert error.line == 2


def test_lambdas_and_functions_are_allowed() -> None:
    check("double = lambda n: n * 2\ndef triple(n):\n    return n * 3", "exec")


def test_str_format_is_refused_at_run_time() -> None:
    error = failure("t = '{0.__class__}'.format(1)")
    assert error.message == "'.format' is not available in scripts: use an f-string instead"
    assert error.line == 1


def test_reading_the_system_clock_is_refused() -> None:
    error = failure("x = datetime.now()")
    assert error.message == "'.now' is not available in scripts: scripts must not read the system clock"


def test_helper_namespaces_cannot_be_changed() -> None:
    error = failure("math.floor = 1")
    assert error.message == "math cannot be changed in a script; only dictionaries and lists can"


def test_a_hostile_script_neither_creates_nor_reads_files(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    target = tmp_path / "created.txt"
    attempts = [
        f"open({str(target)!r}, 'w').write('x')",
        f"data = open({str(secret)!r}).read()",
        f"__import__('os').system('touch {target}')",
        ESCAPE.replace("/etc/hostname", str(secret)),
    ]
    for script in attempts:
        names: dict = {}
        with pytest.raises(ScriptError):
            execute(script, names)
        assert names == {}
    assert not target.exists()
    assert secret.read_text() == "top secret"


# -- run-time failures ----------------------------------------------------------------------------


def test_a_misspelt_name_suggests_the_right_one() -> None:
    error = failure("result = totl * 2", {"total": 10})
    assert error.message == "name 'totl' is not defined; did you mean 'total'?"
    assert error.line == 1


def test_a_misspelt_helper_is_suggested_too() -> None:
    with pytest.raises(ScriptError) as caught:
        evaluate("lenn(items)", {"items": []})
    assert caught.value.message == "name 'lenn' is not defined; did you mean 'len'?"


def test_a_division_by_zero_reports_the_third_line() -> None:
    error = failure("a = 1\nb = 0\nc = a / b", {})
    assert error.message == "division by zero"
    assert error.line == 3
    assert str(error) == "division by zero (line 3)"


def test_a_missing_key_is_named() -> None:
    error = failure("x = 1\ny = data['amount']", {"data": {}})
    assert error.message == "key 'amount' not found"
    assert error.line == 2


def test_attribute_access_on_task_data_explains_item_access() -> None:
    error = failure("x = order.amount", {"order": {"amount": 5}})
    assert error.message == (
        "'dict' object has no attribute 'amount'; dictionary values are read with x['amount'], not x.amount"
    )


def test_a_type_error_keeps_pythons_explanation() -> None:
    error = failure("x = 'a' + 1")
    assert error.message.startswith("TypeError: can only concatenate str")
    assert error.line == 1


def test_an_error_raised_by_the_script_is_reported() -> None:
    error = failure("if amount < 0:\n    raise ValueError('amount must be positive')", {"amount": -1})
    assert error.message == "ValueError: amount must be positive"
    assert error.line == 2


def test_a_failed_script_leaves_the_variables_untouched() -> None:
    names = {"items": [1], "count": 1}
    failure("items.append(2)\ncount = 2\nx = 1 / 0", names)
    assert names == {"items": [1], "count": 1}


# -- ordinary use -------------------------------------------------------------------------------------


def test_conditions_evaluate_over_task_data() -> None:
    data = {"amount": 700, "region": "north", "approved": True}
    assert evaluate("amount > 500 and region == 'north'", data) is True
    assert evaluate("not approved", data) is False
    assert evaluate("  amount * 2\n", data) == 1400


def test_a_script_creates_updates_and_deletes_variables() -> None:
    names = {"amount": 100, "temp": "x", "keep": 1}
    execute("amount = amount + 50\ntotal = amount * 2\ndel temp", names)
    assert names == {"amount": 150, "total": 300, "keep": 1}


def test_an_indented_script_from_a_diagram_runs() -> None:
    names: dict = {}
    execute("\n    a = 1\n    if a:\n        b = 2\n", names)
    assert names == {"a": 1, "b": 2}


def test_comprehensions_and_loops_work() -> None:
    names = {"items": [{"price": 10, "qty": 2}, {"price": 5, "qty": 1}]}
    execute(
        "totals = [i['price'] * i['qty'] for i in items]\n"
        "by_price = {i['price']: i['qty'] for i in items if i['qty'] > 0}\n"
        "count = 0\n"
        "for n, item in enumerate(items):\n"
        "    count += n\n",
        names,
    )
    assert names["totals"] == [20, 5]
    assert names["by_price"] == {10: 2, 5: 1}
    assert names["count"] == 1


def test_task_data_dicts_and_lists_can_be_changed() -> None:
    names = {"order": {"lines": []}, "counts": {"a": 1}}
    execute(
        "order['lines'].append({'sku': 'A1'})\n"
        "order['status'] = 'open'\n"
        "counts['a'] += 2\n"
        "counts.setdefault('b', 0)\n"
        "del order['lines'][0]['sku']\n",
        names,
    )
    assert names == {"order": {"lines": [{}], "status": "open"}, "counts": {"a": 3, "b": 0}}


def test_dict_methods_are_available() -> None:
    data = {"d": {"a": 1, "b": 2}}
    assert evaluate("sorted(d.keys())", data) == ["a", "b"]
    assert evaluate("d.get('c', 0)", data) == 0
    assert evaluate("sum(v for k, v in d.items())", data) == 3


def test_decimal_arithmetic_is_exact() -> None:
    names = {"price": Decimal("10.10")}
    execute("total = price * 3 + Decimal('0.20')", names)
    assert names["total"] == Decimal("30.50")


def test_dates_and_jalali_helpers() -> None:
    assert evaluate("jalali(date(2024, 3, 20))", {}) == "1403/01/01"
    assert evaluate("jalali(d)", {"d": dt.datetime(2024, 4, 3, 10, 30)}) == "1403/01/15"
    assert evaluate("from_jalali('1403/01/15')", {}) == dt.date(2024, 4, 3)
    assert evaluate("from_jalali('۱۴۰۳/۰۱/۰۱') + timedelta(days=1)", {}) == dt.date(2024, 3, 21)


def test_a_bad_jalali_date_is_explained() -> None:
    with pytest.raises(ScriptError) as caught:
        evaluate("from_jalali('1403/13/01')", {})
    assert caught.value.message == "'1403/13/01' is not a valid Jalali date: month must be in 1..12"
    assert caught.value.line == 1


def test_math_functions_are_available() -> None:
    assert evaluate("math.floor(2.7) + math.ceil(0.2)", {}) == 3
    assert evaluate("round(math.sqrt(16))", {}) == 4


def test_f_strings_work() -> None:
    assert evaluate("f'{name!r:>7} {n:03d} {n}'", {"name": "Ali", "n": 3}) == "  'Ali' 003 3"


def test_functions_and_other_non_data_are_not_copied_back() -> None:
    names: dict = {}
    execute(
        "def double(n):\n    return n * 2\nhalf = lambda n: n / 2\nm = math\nf = len\ns = {1, 2}\nx = double(2)",
        names,
    )
    assert names == {"x": 4}


def test_a_variable_that_stops_being_data_is_dropped() -> None:
    names = {"x": 1}
    execute("x = len", names)
    assert names == {}


def test_compiled_code_is_cached() -> None:
    source = "amount > 123456"
    evaluate(source, {"amount": 1})
    hits = compiled.cache_info().hits
    for _ in range(3):
        evaluate(source, {"amount": 1})
    assert compiled.cache_info().hits == hits + 3


def test_str_is_still_usable_as_a_type() -> None:
    assert evaluate("str.upper(name) + str(5)", {"name": "ali"}) == "ALI5"


def test_an_expression_cannot_change_the_callers_variables() -> None:
    names = {"x": 1}
    assert evaluate("(x := 5) + 1", names) == 6
    assert names == {"x": 1}
