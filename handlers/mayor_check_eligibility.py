"""``mayor.check_eligibility``: the council's nominee meets the criteria for mayor — age, education and
management experience.

Reads ``nominee`` (built by the mayor_appointment bundle's script from the proposal form: ``birth_date``
as a Jalali date ``1370/05/12``, ``education`` one of the form's codes, ``experience_years``) and, when
given, the municipality's grade (task parameter or case field ``municipality_grade``, 1–12), which sets
the experience needed. The criteria are data, :data:`CRITERIA_FILE`, whose values are defaults an
administrator keeps current; age is counted in Jalali years on the engine clock's Tehran date.

Writes ``eligibility`` = ``{"ok": true, "reasons": [], "checks": [{rule, ok, message}], "age": …}``. An
ineligible nominee throws the BPMN error ``check_failed`` (the bundle's boundary event leads to the
refusal letter) whose Persian message gives the reasons and whose details hold the same ``eligibility``
with ``ok: false``. Nominee data the check cannot read is a fault of the case, not a refusal: it raises
an ``invalid_input`` error that no boundary catches, so the case stops as an incident.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jdatetime

import engine
from engine import HandlerContext, HandlerError, NezaratError, handler
from engine.persian import TEHRAN
from forms import to_ascii_digits, to_persian_digits

CRITERIA_FILE = Path(engine.__file__).resolve().parent / "data" / "mayor_eligibility.json"
_JALALI = re.compile(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})")


@handler("mayor.check_eligibility")
def check_eligibility(ctx: HandlerContext) -> dict[str, object]:
    nominee = ctx.data.get("nominee")
    if not isinstance(nominee, Mapping):
        raise _invalid(ctx, "اطلاعات نامزد (nominee) در پرونده نیست؛ شرایط احراز بررسی نشد.")
    criteria = load_criteria()
    age = _age(ctx, nominee.get("birth_date"))
    checks = [
        _check_age(age, criteria["age"]),
        _check_education(ctx, nominee.get("education"), criteria["education"]),
        _check_experience(ctx, nominee.get("experience_years"), criteria["experience"]),
    ]
    reasons = [c["message"] for c in checks if not c["ok"]]
    result = {"ok": not reasons, "reasons": reasons, "checks": checks, "age": age}
    if reasons:
        raise HandlerError(
            "نامزد شرایط احراز سمت شهردار را ندارد: " + "؛ ".join(reasons),
            error_code="check_failed",
            element=ctx.element_id,
            details={"eligibility": result},
        )
    return {"eligibility": result}


def load_criteria(path: Path = CRITERIA_FILE) -> dict[str, Any]:
    """The criteria file, read on every check so an administrator's edit applies without a restart."""
    try:
        criteria = json.loads(path.read_text(encoding="utf-8"))
        problem = _criteria_problem(criteria)
    except (OSError, ValueError, KeyError, TypeError) as err:
        problem = f"{type(err).__name__}: {err}"
    if problem:
        # a fault of the installation, not of the case: an incident an administrator fixes
        raise NezaratError(f"the mayor eligibility criteria cannot be used: {problem}", file=str(path))
    return dict(criteria)


def _criteria_problem(criteria: Mapping[str, Any]) -> str | None:
    education, experience = criteria["education"], criteria["experience"]
    if education["minimum"] not in education["levels"]:
        return "education.minimum is not one of education.levels"
    if any(level not in education["labels"] for level in education["levels"]):
        return "an education level has no label"
    if not isinstance(experience["default_min_years"], int):
        return "experience.default_min_years is not a whole number"
    if any(
        not {"from_grade", "to_grade", "min_years"} <= set(band) for band in experience.get("by_grade", [])
    ):
        return "an experience.by_grade band lacks from_grade, to_grade or min_years"
    return None if isinstance(criteria["age"], Mapping) else "age is not an object"


def _invalid(ctx: HandlerContext, message: str) -> HandlerError:
    return HandlerError(message, error_code="invalid_input", element=ctx.element_id)


def _fa(number: int) -> str:
    return to_persian_digits(str(number))


def _age(ctx: HandlerContext, birth_date: Any) -> int:
    """Whole Jalali years from ``birth_date`` to today's Tehran date."""
    match = _JALALI.fullmatch(to_ascii_digits(str(birth_date or "")).strip())
    try:
        born = jdatetime.date(*(int(part) for part in match.groups())) if match else None
    except ValueError:
        born = None
    today = jdatetime.date.fromgregorian(date=ctx.clock.now().astimezone(TEHRAN).date())
    if born is None or born > today:
        shown = "خالی" if birth_date in (None, "") else f"«{birth_date}»"
        raise _invalid(
            ctx, f"تاریخ تولد نامزد ({shown}) تاریخ شمسی درستِ گذشته نیست؛ قالب درست ۱۳۷۰/۰۵/۱۲ است."
        )
    return int(today.year - born.year - ((today.month, today.day) < (born.month, born.day)))


def _check_age(age: int, bounds: Mapping[str, Any]) -> dict[str, Any]:
    low, high = bounds.get("min_years"), bounds.get("max_years")
    if low is not None and age < low:
        return _result("age", False, f"سن نامزد {_fa(age)} سال است و کمتر از حداقل {_fa(low)} سال است")
    if high is not None and age > high:
        return _result("age", False, f"سن نامزد {_fa(age)} سال است و بیش از حداکثر {_fa(high)} سال است")
    return _result("age", True, f"سن نامزد {_fa(age)} سال است")


def _check_education(ctx: HandlerContext, education: Any, rule: Mapping[str, Any]) -> dict[str, Any]:
    levels, labels = list(rule["levels"]), rule["labels"]
    if education not in levels:
        known = "، ".join(labels[level] for level in levels)
        raise _invalid(
            ctx, f"مدرک تحصیلی نامزد ({education or 'خالی'}) شناخته نیست؛ یکی از این‌ها باید باشد: {known}."
        )
    label, minimum = labels[education], labels[rule["minimum"]]
    if levels.index(education) < levels.index(rule["minimum"]):
        return _result(
            "education", False, f"مدرک تحصیلی نامزد ({label}) پایین‌تر از حداقل لازم ({minimum}) است"
        )
    return _result("education", True, f"مدرک تحصیلی نامزد ({label}) دست‌کم {minimum} است")


def _check_experience(ctx: HandlerContext, years: Any, rule: Mapping[str, Any]) -> dict[str, Any]:
    have, grade = _whole_number(years), _grade(ctx)
    if have is None:
        shown = "خالی" if years in (None, "") else f"«{years}»"
        raise _invalid(ctx, f"سابقهٔ مدیریتی نامزد ({shown}) عدد صحیحی از سال‌ها نیست.")
    bands = [
        b for b in rule.get("by_grade", []) if grade is not None and b["from_grade"] <= grade <= b["to_grade"]
    ]
    need = bands[0]["min_years"] if bands else rule["default_min_years"]
    where = f" برای شهرداری درجهٔ {_fa(grade)}" if grade is not None else ""
    if have < need:
        message = f"سابقهٔ مدیریتی نامزد {_fa(have)} سال است و کمتر از {_fa(need)} سال لازم{where} است"
        return _result("experience", False, message)
    message = f"سابقهٔ مدیریتی نامزد {_fa(have)} سال است (لازم{where}: {_fa(need)} سال)"
    return _result("experience", True, message)


def _whole_number(value: Any) -> int | None:
    """A count written as an integer or as digits (Persian or ASCII); None for anything else."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return None
    text = to_ascii_digits(str(value)).strip()
    return int(text) if text.isdigit() else None


def _grade(ctx: HandlerContext) -> int | None:
    raw = ctx.params.get("municipality_grade", ctx.data.get("municipality_grade"))
    if raw in (None, ""):
        return None
    grade = _whole_number(raw)
    if grade is None or not 1 <= grade <= 12:
        raise _invalid(ctx, f"درجهٔ شهرداری («{raw}») باید عددی از ۱ تا ۱۲ باشد.")
    return grade


def _result(rule: str, ok: bool, message: str) -> dict[str, Any]:
    return {"rule": rule, "ok": ok, "message": message}
