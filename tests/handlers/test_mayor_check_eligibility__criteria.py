"""mayor.check_eligibility: age, education and management experience against the default criteria file.

The clock stands at 1404/12/10 in Tehran (2026-03-01); the shipped defaults are age 30–65, at least a
bachelor's degree, and 5 years of management experience (7 for grades 5–8, 10 for grades 9–12).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import handlers.mayor_check_eligibility  # noqa: F401  (registers the handler)
from engine import FixedClock, HandlerContext, HandlerError, NezaratError, scripting
from engine.service_tasks import lookup
from handlers.mayor_check_eligibility import CRITERIA_FILE, load_criteria
from tests.processes.conftest import NS, form_files, tree

NAME = "mayor.check_eligibility"
NOW = "2026-03-01T09:00:00+03:30"  # 1404/12/10


def nominee(**changes: Any) -> dict[str, Any]:
    base = {"name": "رضا احمدی", "national_id": "0012345678", "birth_date": "1360/04/20",
            "education": "bachelor", "field_of_study": "عمران", "experience_years": 6}  # fmt: skip
    return base | changes


def run(data: dict[str, Any], params: dict[str, Any] | None = None, *, now: str = NOW) -> Any:
    ctx = HandlerContext(
        name=NAME, data=data, params=params or {}, instance_id="mayor-1", process_key="mayor_appointment",
        element_id="eligibility", actor=None, clock=FixedClock.at(now), services={},
    )  # fmt: skip
    return lookup(NAME)(ctx)


def refusal(data: dict[str, Any], params: dict[str, Any] | None = None, *, now: str = NOW) -> HandlerError:
    with pytest.raises(HandlerError) as caught:
        run(data, params, now=now)
    return caught.value


def test_an_eligible_nominee_passes_with_every_rule_explained() -> None:
    result = run({"nominee": nominee()})["eligibility"]
    assert (result["ok"], result["reasons"], result["age"]) == (True, [], 44)
    assert [(c["rule"], c["ok"]) for c in result["checks"]] == [("age", True), ("education", True), ("experience", True)]  # fmt: skip
    assert "سن نامزد ۴۴ سال است" in result["checks"][0]["message"]


def test_an_ineligible_nominee_throws_check_failed_for_the_boundary_event() -> None:
    err = refusal({"nominee": nominee(education="associate")})
    assert err.error_code == "check_failed" and err.element == "eligibility"
    assert err.message.startswith("نامزد شرایط احراز سمت شهردار را ندارد")
    assert err.details["eligibility"]["ok"] is False
    assert err.details["eligibility"]["reasons"] == [
        "مدرک تحصیلی نامزد (کاردانی) پایین‌تر از حداقل لازم (کارشناسی) است"
    ]


def test_the_bundle_catches_check_failed_on_the_eligibility_task() -> None:
    boundary = tree("mayor_appointment").find(".//bpmn:boundaryEvent[@attachedToRef='eligibility']", NS)
    error = boundary.find("bpmn:errorEventDefinition", NS).get("errorRef")
    assert tree("mayor_appointment").find(f"bpmn:error[@id='{error}']", NS).get("errorCode") == "check_failed"


@pytest.mark.parametrize(
    ("birth_date", "ok"),
    [("1374/12/10", True), ("1374/12/11", False), ("1338/12/10", False), ("1338/12/11", True)],
)
def test_age_is_counted_in_jalali_years_up_to_today_inclusive(birth_date: str, ok: bool) -> None:
    if ok:
        assert run({"nominee": nominee(birth_date=birth_date)})["eligibility"]["ok"] is True
    else:
        reasons = refusal({"nominee": nominee(birth_date=birth_date)}).details["eligibility"]["reasons"]
        assert len(reasons) == 1 and reasons[0].startswith("سن نامزد")


def test_too_young_and_too_old_say_which_bound_is_broken() -> None:
    young = refusal({"nominee": nominee(birth_date="1380/01/01")}).message
    old = refusal({"nominee": nominee(birth_date="1330/01/01")}).message
    assert "۲۴ سال است و کمتر از حداقل ۳۰ سال" in young
    assert "۷۴ سال است و بیش از حداکثر ۶۵ سال" in old


def test_today_is_the_tehran_date_of_the_clock() -> None:
    # 21:00 UTC on 28 Feb is already 1 March (1404/12/10) in Tehran: the nominee has turned 30.
    late_utc = "2026-02-28T21:00:00+00:00"
    assert run({"nominee": nominee(birth_date="1374/12/10")}, now=late_utc)["eligibility"]["age"] == 30
    before_midnight = "2026-02-28T20:00:00+00:00"  # 23:30 on 1404/12/09 in Tehran: still 29
    assert (
        refusal({"nominee": nominee(birth_date="1374/12/10")}, now=before_midnight).details["eligibility"][
            "age"
        ]
        == 29
    )


@pytest.mark.parametrize(("education", "ok"), [("associate", False), ("bachelor", True), ("master", True), ("phd", True)])  # fmt: skip
def test_education_must_be_at_least_a_bachelors(education: str, ok: bool) -> None:
    if ok:
        assert run({"nominee": nominee(education=education)})["eligibility"]["ok"] is True
    else:
        assert "کارشناسی" in refusal({"nominee": nominee(education=education)}).message


@pytest.mark.parametrize(
    ("grade", "years", "ok"),
    [
        (None, 5, True),
        (None, 4, False),
        (3, 5, True),
        (6, 6, False),
        (6, 7, True),
        (10, 9, False),
        ("۱۲", 10, True),
    ],
)
def test_experience_needed_grows_with_the_municipalitys_grade(grade: Any, years: int, ok: bool) -> None:
    data = {"nominee": nominee(experience_years=years)} | (
        {} if grade is None else {"municipality_grade": grade}
    )
    if ok:
        assert run(data)["eligibility"]["checks"][2]["ok"] is True
    else:
        message = refusal(data).message
        assert "سابقهٔ مدیریتی نامزد" in message
        assert ("درجهٔ" in message) == (grade is not None)


def test_the_grade_parameter_wins_over_the_case_field() -> None:
    data = {"nominee": nominee(experience_years=6), "municipality_grade": 3}
    assert "کمتر از ۱۰ سال لازم برای شهرداری درجهٔ ۱۰" in refusal(data, {"municipality_grade": 10}).message


def test_every_failed_rule_is_a_reason() -> None:
    err = refusal({"nominee": nominee(birth_date="1385/01/01", education="associate", experience_years=1)})
    assert [c["rule"] for c in err.details["eligibility"]["checks"] if not c["ok"]] == ["age", "education", "experience"]  # fmt: skip
    assert err.message.count("؛") == 2


def test_persian_digits_in_the_birth_date_and_experience_are_read() -> None:
    result = run({"nominee": nominee(birth_date="۱۳۶۰/۴/۲۰", experience_years="۶")})["eligibility"]
    assert (result["ok"], result["age"]) == (True, 44)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({}, "اطلاعات نامزد (nominee) در پرونده نیست"),
        ({"nominee": "رضا احمدی"}, "اطلاعات نامزد (nominee) در پرونده نیست"),
        ({"nominee": nominee(birth_date="1370/13/01")}, "تاریخ تولد نامزد («1370/13/01»)"),
        ({"nominee": nominee(birth_date="1405/01/01")}, "تاریخ شمسی درستِ گذشته نیست"),
        ({"nominee": nominee(birth_date=None)}, "تاریخ تولد نامزد (خالی)"),
        ({"nominee": nominee(education="diploma")}, "مدرک تحصیلی نامزد (diploma) شناخته نیست"),
        ({"nominee": nominee(experience_years=5.5)}, "سابقهٔ مدیریتی نامزد («5.5»)"),
        ({"nominee": nominee(), "municipality_grade": 13}, "درجهٔ شهرداری («13») باید عددی از ۱ تا ۱۲ باشد"),
    ],
)
def test_unreadable_nominee_data_is_an_incident_with_a_persian_message(
    data: dict[str, Any], words: str
) -> None:
    err = refusal(data)
    assert err.error_code == "invalid_input", "bad data must not take the refusal path"
    assert words in err.message and err.element == "eligibility"


def test_the_nominee_the_bundles_script_builds_from_the_proposal_is_what_the_check_reads() -> None:
    script = tree("mayor_appointment").find(".//bpmn:scriptTask[@id='assemble']/bpmn:script", NS).text
    proposal = {"nominee_name": "رضا احمدی", "national_id": "0012345678", "birth_date": "1360/04/20",
                "education": "master", "field_of_study": "عمران", "experience_years": 12}  # fmt: skip
    scripting.execute(script, proposal)
    result = run(proposal)["eligibility"]
    assert (result["ok"], result["age"]) == (True, 44)


def test_the_criteria_speak_the_proposal_forms_education_codes_and_labels() -> None:
    field = form_files("mayor_appointment")["proposal.json"]
    codes = field["schema"]["properties"]["education"]["enum"]
    labels = {code: label["fa"] for code, label in field["ui"]["fields"]["education"]["labels"].items()}
    criteria = load_criteria()["education"]
    assert (criteria["levels"], criteria["labels"], criteria["minimum"]) == (codes, labels, "bachelor")


def test_the_criteria_file_says_its_values_are_defaults() -> None:
    about = json.loads(CRITERIA_FILE.read_text(encoding="utf-8"))["about"]
    assert about["defaults"] is True and about["legal_basis"] == "default" and "پیش‌فرض" in about["fa"]


def test_a_broken_criteria_file_is_an_installation_error_naming_the_file(tmp_path: Path) -> None:
    criteria = json.loads(CRITERIA_FILE.read_text(encoding="utf-8"))
    criteria["education"]["minimum"] = "bachelors"
    broken = tmp_path / "mayor_eligibility.json"
    broken.write_text(json.dumps(criteria), encoding="utf-8")
    with pytest.raises(NezaratError) as caught:
        load_criteria(broken)
    assert caught.value.file == str(broken) and "education.minimum" in caught.value.message
    with pytest.raises(NezaratError):
        load_criteria(tmp_path / "absent.json")
