"""Seed 001's KPIs over real agency_budget_supervision cases: the ratios sum a finished year and a year
whose conclusion is still open (read from its stored state), leave out a year whose KPIs are not
computed yet, fall in the period the KPI script ran in, and follow the case's unit."""

from __future__ import annotations

from typing import Any

import jsonschema

from engine.kpi.schema import report_schema
from tests.scenarios.conftest import Case, Library, tehran
from tests.scenarios.test_agency_budget_supervision__scenarios import (
    DEPUTY,
    EXPERT,
    HR,
    PROJECTS,
    one_period,
    planned,
    reports_asked,
    visits_and_indicators_done,
)

FIRST_SEEN = tehran("2026-04-20 10:00")  # 31 Farvardin 1405: the finished year computes its KPIs
SECOND_SEEN = tehran("2026-04-21 10:00")  # 1 Ordibehesht 1405: the year awaiting its conclusion
FIRST = {
    "agencies_subject": 2,
    "agencies_evaluated": 2,
    "national_visitable": 4,
    "national_visited": 1,
    "provincial_visitable": 10,
    "provincial_visited": 1,
}
SECOND = {
    "agencies_subject": 2,
    "agencies_evaluated": 1,
    "national_visitable": 2,
    "national_visited": 1,
    "provincial_visitable": 0,
    "provincial_visited": 0,
}


def finished_year(library: Library) -> Case:
    """The scenario suite's whole year: two agencies scored, one national and one provincial visit."""
    case = planned(library)
    visits_and_indicators_done(library, case)
    reports_asked(library, case)
    library.clock.set(FIRST_SEEN)
    one_period(case, "دورهٔ یک")
    case.do(DEPUTY, "conclude", {"conclusion": "نتایج در تخصیص‌ها اعمال شد"})
    assert case.status == "completed"
    return case


def year_awaiting_conclusion(library: Library) -> Case:
    """One national project of two visitable, no provincial one; one agency of two scored."""
    case = planned(library)
    case.do(
        EXPERT,
        "select_projects",
        {"projects": PROJECTS[:1], "visitable_national": 2, "visitable_provincial": 0},
    )
    case.do(
        EXPERT,
        "visit",
        {"visited_on": "1405/02/10", "progress": 40, "on_plan": "yes", "photos": library.upload()},
    )
    case.do(DEPUTY, "deputy_review", {"allocation_effect": "none"})
    case.do(EXPERT, "record_results", {"nezarat3_ref": "N3-56"})
    agencies = [{"unit": "agency-roads"}, {"unit": "agency-education"}]
    case.do(HR, "schedule", {"evaluation_deadline": "1405/08/30", "evaluated_agencies": agencies})
    case.do(EXPERT, "indicators_review", {"review_summary": "بررسی شد"})
    case.do(EXPERT, "scoring", {"scores": [{"unit": "agency-roads", "score": 70}]})
    reports_asked(library, case)
    library.clock.set(SECOND_SEEN)
    one_period(case, "دورهٔ یک")
    assert case.open(DEPUTY) == ["conclude"]
    return case


def ratios(report: dict[str, Any]) -> dict[str, tuple[int, int, float | None]]:
    kpis = report["agency_budget_supervision"]
    names = ("agencies_evaluated", "national_projects_visited", "provincial_projects_visited")
    return {n: (kpis[n]["numerator"], kpis[n]["denominator"], kpis[n]["pct"]) for n in names}


def test_the_ratios_sum_finished_and_running_years_and_skip_one_not_computed(library: Library) -> None:
    done, open_ = finished_year(library), year_awaiting_conclusion(library)
    planned(library)  # a third year that has not reached its KPIs (started in Esfand 1404)
    library.clock.set(SECOND_SEEN)
    report = library.platform.kpis()
    assert report["period"]["label"] == "1405/01/01 – 1405/12/29"
    assert ratios(report) == {
        "agencies_evaluated": (3, 4, 75.0),
        "national_projects_visited": (2, 6, 33.3),
        "provincial_projects_visited": (1, 10, 10.0),
    }
    kpis = report["agency_budget_supervision"]
    assert (kpis["instances"], kpis["target_pct"]) == (2, 100)
    assert [(c["instance_id"], c["status"], c["kpi"]) for c in kpis["cases"]] == [
        (done.id, "completed", FIRST),
        (open_.id, "running", SECOND),
    ]
    assert done.data()["kpi"] == FIRST
    jsonschema.validate(report, report_schema())


def test_a_year_counts_in_the_period_its_kpis_were_computed(library: Library) -> None:
    finished_year(library)
    earlier = library.platform.kpis(since="1404/01/01")
    assert earlier["agency_budget_supervision"]["instances"] == 0
    assert set(ratios(earlier).values()) == {(0, 0, None)}
    assert (
        library.platform.kpis(since="1405/01/31", until="1405/02/01")["agency_budget_supervision"][
            "instances"
        ]
        == 1
    )


def test_the_cases_unit_decides_who_sees_the_ratios(library: Library) -> None:
    year_awaiting_conclusion(library)
    for unit, seen in (("pbo-ostan", 1), ("ostan", 1), ("gov-ostan", 0), ("agency-roads", 0)):
        assert library.platform.kpis(unit=unit)["agency_budget_supervision"]["instances"] == seen, unit
    assert library.platform.kpis(actor=DEPUTY)["agency_budget_supervision"]["instances"] == 1
    assert ratios(library.platform.kpis(actor=DEPUTY))["agencies_evaluated"] == (1, 2, 50.0)


def test_a_cancelled_year_leaves_the_ratios(library: Library) -> None:
    case = year_awaiting_conclusion(library)
    assert library.platform.kpis()["agency_budget_supervision"]["instances"] == 1
    library.platform.cancel(case.id, actor=None)
    assert library.platform.kpis()["agency_budget_supervision"]["instances"] == 0
