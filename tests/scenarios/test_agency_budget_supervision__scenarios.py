"""agency_budget_supervision end to end: the year's plan opens three parallel tracks — project visits,
the specific indicators, the agencies' monthly expense reports (a one-month timer between periods) —
which join into the KPIs and the deputy's conclusion; checks refuse impossible numbers; an agency's
report is due ten working days later across Nowruz, reminded and breached on time; a late agency is
chased after 15 days; an analysis referred to an absent expert goes to the delegate."""

from __future__ import annotations

import datetime as dt

import pytest

from engine.errors import ValidationError
from tests.scenarios.conftest import Case, Library, tehran

KEY = "agency_budget_supervision"
DEPUTY, EXPERT, HR, INTEGRATION = "pbo_budget_deputy", "pbo_expert", "pbo_hr_deputy", "pbo_integration_1"
ROADS, EDUCATION = "agency_roads", "agency_education"
PROJECTS = [
    {"code": "1301001", "title": "بزرگراه کمربندی", "agency": "agency-roads", "level": "national", "visit_date": "1405/02/10"},
    {"code": "5203004", "title": "مدرسهٔ ۱۲ کلاسه", "agency": "agency-education", "level": "provincial", "visit_date": "1405/02/15"},
]  # fmt: skip
LINES = [
    {"chapter": "1", "allocated": 1_000_000, "paid": 900_000},
    {"chapter": "2", "allocated": 500_000, "paid": 100_000},
]
# The framework is set on Monday 25 Esfand 1404 at 09:00 Tehran. Ten working days later (Friday off,
# 29 Esfand, 1-4 Farvardin and Eid al-Fitr closed) is Saturday 15 Farvardin 1405, at 14:30.
FRAMEWORK_AT = tehran("2026-03-16 09:00")
REPORT_DUE = tehran("2026-04-04 14:30")
# Half of the 75.5 working hours: Thursday 6 Farvardin 1405, 11:45.
FIRST_REMINDER = tehran("2026-03-26 11:45")


def planned(library: Library) -> Case:
    library.clock.set(tehran("2026-03-14 09:00"))
    case = library.start(KEY, DEPUTY)
    case.do(DEPUTY, "plan", {"fiscal_year": 1405, "plan_note": "برنامهٔ نظارت ۱۴۰۵"})
    return case


def visits_and_indicators_done(library: Library, case: Case) -> None:
    case.do(
        EXPERT, "select_projects", {"projects": PROJECTS, "visitable_national": 4, "visitable_provincial": 10}
    )
    case.do(
        EXPERT,
        "visit",
        {
            "visited_on": "1405/02/10",
            "progress": 60,
            "on_plan": "no",
            "photos": library.upload("a.pdf"),
            "findings": "تأخیر در زیرسازی",
        },
    )
    case.do(
        EXPERT,
        "visit",
        {"visited_on": "1405/02/15", "progress": 85, "on_plan": "yes", "photos": library.upload("b.pdf")},
    )
    case.do(DEPUTY, "deputy_review", {"allocation_effect": "hold", "deputy_note": "تا رفع مغایرت"})
    case.do(EXPERT, "record_results", {"nezarat3_ref": "N3-55", "nezarat4_ref": "N4-77"})
    agencies = [{"unit": "agency-roads"}, {"unit": "agency-education"}]
    case.do(HR, "schedule", {"evaluation_deadline": "1405/08/30", "evaluated_agencies": agencies})
    case.do(EXPERT, "indicators_review", {"review_summary": "شاخص‌ها بررسی شد"})
    case.do(
        EXPERT,
        "scoring",
        {"scores": [{"unit": "agency-roads", "score": 82}, {"unit": "agency-education", "score": 74}]},
    )


def reports_asked(library: Library, case: Case, periods: int = 1) -> None:
    library.clock.set(FRAMEWORK_AT)
    reports = [{"unit": "agency-roads"}, {"unit": "agency-education"}]
    case.do(
        INTEGRATION, "framework", {"reports": reports, "periods": periods, "framework_file": library.upload()}
    )


def one_period(case: Case, analysis: str) -> None:
    case.do(ROADS, "agency_report", {"expense_lines": LINES})
    case.do(EDUCATION, "agency_report", {"expense_lines": LINES, "agency_note": "گزارش دوره"})
    case.do(INTEGRATION, "analyse", {"analysis": analysis, "allocation_advice": "keep"})


def test_three_tracks_join_into_the_kpis_and_the_signed_conclusion(library: Library) -> None:
    case = planned(library)
    assert (case.open(EXPERT), case.open(HR), case.open(INTEGRATION)) == (
        ["select_projects"],
        ["schedule"],
        ["framework"],
    )
    visits_and_indicators_done(library, case)
    assert case.open(DEPUTY) == []  # the join waits for the expense track
    reports_asked(library, case)
    assert [t["org_unit"] for t in case.tasks(ROADS)] == ["agency-roads"]  # each agency only its own
    one_period(case, "دورهٔ یک")
    case.do(
        DEPUTY,
        "conclude",
        {
            "conclusion": "نتایج در تخصیص‌ها اعمال شد",
            "allocation_changes": [{"unit": "agency-roads", "change": "hold"}],
        },
    )
    assert case.status == "completed"
    data = case.data()
    assert data["kpi"] == {
        "agencies_subject": 2,
        "agencies_evaluated": 2,
        "national_visitable": 4,
        "national_visited": 1,
        "provincial_visitable": 10,
        "provincial_visited": 1,
    }
    assert [(r["unit"], r["period"], r["paid"]) for r in data["reports"]] == [
        ("agency-roads", 1, 1_000_000),
        ("agency-education", 1, 1_000_000),
    ]
    assert case.platform.verify(case.id).ok


def test_the_next_period_opens_a_month_after_the_analysis(library: Library) -> None:
    case = planned(library)
    visits_and_indicators_done(library, case)
    reports_asked(library, case, periods=2)
    one_period(case, "دورهٔ یک")
    assert case.open(ROADS) == [] and case.open(DEPUTY) == []
    library.platform.tick(
        FRAMEWORK_AT + dt.timedelta(days=31) - dt.timedelta(seconds=1)
    )  # 31 days in Farvardin
    assert case.open(ROADS) == []
    library.platform.tick(FRAMEWORK_AT + dt.timedelta(days=31, seconds=1))
    assert case.open(ROADS) == ["agency_report"] and case.open(EDUCATION) == ["agency_report"]
    one_period(case, "دورهٔ دو")
    case.do(DEPUTY, "conclude", {"conclusion": "پایان سال"})
    assert case.status == "completed"
    assert {r["period"] for r in case.data()["reports"]} == {2}
    assert len(case.events("timer_fired", "next_month")) == 1


def test_impossible_numbers_are_refused_in_persian_and_nothing_moves(library: Library) -> None:
    case = planned(library)
    before = case.snapshot(EXPERT)
    task = case.task(EXPERT, "select_projects")
    too_many = {"projects": PROJECTS, "visitable_national": 0, "visitable_provincial": 0}
    with pytest.raises(ValidationError) as refused:
        case.platform.complete(task["id"], too_many, actor=EXPERT)
    assert [(d["path"], d["rule"]) for d in refused.value.details] == [
        ("visitable_national", "national_within_total"),
        ("visitable_provincial", "provincial_within_total"),
    ]
    assert (
        refused.value.details[0]["message"]["fa"] == "طرح‌های ملی منتخب از کل طرح‌های ملی قابل بازدید بیشتر است"
    )
    assert case.snapshot(EXPERT) == before


def test_an_agency_paying_more_than_its_allocation_is_refused(library: Library) -> None:
    case = planned(library)
    reports_asked(library, case)
    before = case.snapshot(ROADS, INTEGRATION)
    overpaid = [{"chapter": "1", "allocated": 100, "paid": 101}]
    with pytest.raises(ValidationError) as refused:
        case.platform.complete(
            case.task(ROADS, "agency_report")["id"], {"expense_lines": overpaid}, actor=ROADS
        )
    (detail,) = refused.value.details
    assert detail["message"]["fa"] == "پرداختی هر فصل نباید از تخصیص آن بیشتر باشد"
    assert case.snapshot(ROADS, INTEGRATION) == before


def test_the_report_is_due_ten_working_days_later_across_nowruz(library: Library) -> None:
    case = planned(library)
    reports_asked(library, case)
    due = dt.datetime.fromisoformat(case.task(ROADS, "agency_report")["due_at"])
    assert due == REPORT_DUE
    assert library.platform.runtime.calendar.jalali(due) == "1405/01/15"
    library.platform.tick(FIRST_REMINDER - dt.timedelta(seconds=1))
    assert library.mail_to("agency_roads@demo.nezarat.ir") == []
    case.do(EDUCATION, "agency_report", {"expense_lines": LINES})  # in time: education hears nothing
    library.platform.tick(FIRST_REMINDER + dt.timedelta(seconds=1))
    (reminder,) = library.mail_to("agency_roads@demo.nezarat.ir")
    assert reminder.message["Subject"] == "یادآوری مهلت: تکمیل و ارائهٔ گزارش عملکرد اعتبارات"
    assert "۱۴۰۵/۰۱/۱۵ ساعت ۱۴:۳۰" in reminder.body
    library.platform.tick(REPORT_DUE - dt.timedelta(seconds=1))
    assert case.events("sla_breached", "agency_report") == []  # no escalation group: the breach is recorded
    library.platform.tick(REPORT_DUE + dt.timedelta(seconds=1))
    (breach,) = case.events("sla_breached", "agency_report")
    assert breach["data"]["due_at"] == REPORT_DUE.astimezone(dt.UTC).isoformat()
    assert library.mail_to("agency_education@demo.nezarat.ir") == []


def test_an_agency_silent_for_15_days_is_chased_by_mail(library: Library) -> None:
    case = planned(library)
    reports_asked(library, case)
    case.do(ROADS, "agency_report", {"expense_lines": LINES})
    library.platform.tick(FRAMEWORK_AT + dt.timedelta(days=15, seconds=1))
    assert case.instance()["incident"] is None, case.instance()["incident"]
    assert len(case.events("timer_fired", "report_late")) == 1
    chase = [
        m
        for m in library.mail_to("agency_education@demo.nezarat.ir")
        if m.message["Subject"].startswith("یادآوری")
    ]
    assert chase and chase[-1].rcpt_tos == ["agency_education@demo.nezarat.ir"]
    assert case.open(EDUCATION) == ["agency_report"]


def test_an_analysis_referred_to_the_absent_expert_goes_to_the_delegate(library: Library) -> None:
    case = planned(library)
    reports_asked(library, case)
    case.do(ROADS, "agency_report", {"expense_lines": LINES})
    case.do(EDUCATION, "agency_report", {"expense_lines": LINES})
    now = library.clock.now()
    library.platform.add_absence(EXPERT, delegate=DEPUTY, starts_at=now, ends_at=now + dt.timedelta(days=3))
    task = case.task(INTEGRATION, "analyse")
    library.platform.refer(task["id"], actor=INTEGRATION, to_user=EXPERT, note="نظر کارشناس بودجه لازم است")
    assert "analyse" not in case.open(EXPERT)
    held = case.task(DEPUTY, "analyse")
    assert held["assignee"] == DEPUTY and held["referred_by"] == INTEGRATION
    library.platform.give_back(task["id"], actor=DEPUTY, note="تحلیل با گروه تلفیق است")
    assert case.task(INTEGRATION, "analyse")["assignee"] == INTEGRATION
    assert [e["data"]["to"] for e in case.history() if e["kind"] in ("referred", "returned")] == [
        DEPUTY,
        INTEGRATION,
    ]
