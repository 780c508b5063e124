"""grade_promotion end to end: a municipality asks for a higher grade; its documents are checked by the
system (a missing one comes back to the mayor), then by the expert; the director general sends the file
with a covering letter; the national organisation approves, returns or rejects; the minister approves
and the new grade is communicated. The minister's 90 days from the request run across Nowruz and
escalate; the national organisation is chased after 45 days; a referral to an absent colleague reaches
the delegate."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from engine.errors import ValidationError
from tests.scenarios.conftest import Case, Library, tehran

KEY = "grade_promotion"
EXPERTS = ("expert_1", "expert_2")
# Requested on Monday 15 Dey 1404, 09:00 Tehran; 90 calendar days later is Sunday 16 Farvardin 1405.
REQUESTED_AT = tehran("2026-01-05 09:00")
MINISTER_DUE = tehran("2026-04-05 09:00")


def request_of(library: Library, **changes: Any) -> dict[str, Any]:
    return {
        "current_grade": 5,
        "requested_grade": 6,
        "population": 120_000,
        "annual_revenue": 3_000_000_000_000,
        "area_km2": 45.5,
        "grading_system_code": "GR-1404-33",
        "council_minutes": library.upload("minutes.pdf"),
        "grading_forms": library.upload("grading-forms.pdf"),
        **changes,
    }


def holder(case: Case, element: str = "expert_check") -> str:
    """The expert whose inbox holds ``element`` (the referral policy chose one of them)."""
    return next(u for u in EXPERTS if element in case.open(u))


def at_the_national_organisation(library: Library) -> Case:
    library.clock.set(REQUESTED_AT)
    case = library.start(KEY, "mayor_b")
    case.do("mayor_b", "request", request_of(library))
    case.do(holder(case), "expert_check", {"docs_ok": "yes"})
    case.do("dg_urban", "dg_send", {"letter_no": "۵۵/ش", "letter_date": "1404/10/20"})
    return case


def test_a_promotion_is_approved_by_the_minister_and_communicated(library: Library) -> None:
    case = at_the_national_organisation(library)
    assert case.open("national_1") == ["national_review"]
    case.do("national_1", "national_review", {"national_decision": "approve", "proposed_grade": 6})
    assert case.open("moi_deputy") == ["minister_approval"]
    case.do(
        "moi_deputy",
        "minister_approval",
        {"approved_grade": 6, "approval_no": "و/۱۴۰۵/۸", "approval_date": "1404/11/10"},
    )
    case.do(
        holder(case, "communicate"),
        "communicate",
        {"communication_no": "۷۰", "communication_date": "1404/11/12"},
    )
    assert case.status == "completed" and case.ends() == ["promoted"]
    data = case.data()
    assert library.platform.runtime.services["attachments"].exists(data["letter"])
    assert data["approved_grade"] == 6
    (told,) = [m for m in library.mail if m.message["Subject"] == "ابلاغ درجهٔ جدید شهرداری"]
    assert sorted(told.rcpt_tos) == ["council_b@demo.nezarat.ir", "mayor_b@demo.nezarat.ir"]
    assert case.platform.verify(case.id).ok


def test_a_missing_document_comes_back_to_the_mayor_before_any_expert_sees_it(library: Library) -> None:
    case = library.start(KEY, "mayor_b")
    case.do("mayor_b", "request", {k: v for k, v in request_of(library).items() if k != "grading_forms"})
    assert len(case.events("boundary_event", "docs_missing")) == 1
    assert case.open("mayor_b") == ["complete_docs"]
    assert [u for u in EXPERTS if case.open(u)] == []
    case.do("mayor_b", "complete_docs", {"docs_note": "هنوز آماده نیست"})  # still missing: back again
    assert case.open("mayor_b") == ["complete_docs"]
    case.do("mayor_b", "complete_docs", {"grading_forms": library.upload("grading-forms.pdf")})
    assert [u for u in EXPERTS if case.open(u)] != []


def test_returns_by_the_national_organisation_and_the_expert_loop_back(library: Library) -> None:
    case = at_the_national_organisation(library)
    case.do(
        "national_1",
        "national_review",
        {"national_decision": "return", "national_note": "شاخص درآمد مستند نیست"},
    )
    case.do(holder(case), "expert_check", {"docs_ok": "no", "expert_note": "مستندات درآمد لازم است"})
    assert case.open("mayor_b") == ["complete_docs"]
    case.do("mayor_b", "complete_docs", {"docs_note": "مستندات درآمد پیوست شد"})
    case.do(holder(case), "expert_check", {"docs_ok": "yes"})
    case.do("dg_urban", "dg_send", {"letter_no": "۶۰/ش", "letter_date": "1404/11/20"})
    case.do(
        "national_1",
        "national_review",
        {"national_decision": "reject", "national_note": "شاخص جمعیت کافی نیست"},
    )
    assert case.status == "completed" and case.ends() == ["not_promoted"]
    (told,) = [m for m in library.mail if m.message["Subject"] == "عدم تأیید ارتقای درجه"]
    assert told.rcpt_tos == ["mayor_b@demo.nezarat.ir"]


def test_a_request_not_above_the_current_grade_is_refused_in_persian(library: Library) -> None:
    case = library.start(KEY, "mayor_b")
    before = case.snapshot("mayor_b")
    task = case.task("mayor_b", "request")
    with pytest.raises(ValidationError) as refused:
        case.platform.complete(task["id"], request_of(library, requested_grade=5), actor="mayor_b")
    (detail,) = refused.value.details
    assert (detail["path"], detail["rule"]) == ("requested_grade", "promotion_goes_up")
    assert detail["message"]["fa"] == "درجهٔ درخواستی باید از درجهٔ فعلی بالاتر باشد"
    assert case.snapshot("mayor_b") == before


def test_the_ministers_90_days_from_the_request_escalate_across_nowruz(library: Library) -> None:
    case = at_the_national_organisation(library)
    case.do("national_1", "national_review", {"national_decision": "approve", "proposed_grade": 6})
    task = case.task("moi_deputy", "minister_approval")
    assert dt.datetime.fromisoformat(task["due_at"]) == MINISTER_DUE
    assert library.platform.runtime.calendar.jalali(MINISTER_DUE) == "1405/01/16"
    library.platform.tick(MINISTER_DUE - dt.timedelta(seconds=1))
    assert case.events("escalated") == []
    library.platform.tick(MINISTER_DUE + dt.timedelta(seconds=1))
    (escalated,) = case.events("escalated", "minister_approval")
    assert escalated["data"]["escalate_to"] == "urban_affairs_dg"
    assert "minister_approval" in case.open("dg_urban")  # the group is told and may act on it
    assert library.mail_to("dg_urban@demo.nezarat.ir"), escalated["data"].get("notice_failed")


def test_a_silent_national_organisation_is_chased_after_45_days(library: Library) -> None:
    case = at_the_national_organisation(library)
    library.platform.tick(REQUESTED_AT + dt.timedelta(days=45, seconds=1))
    assert case.instance()["incident"] is None, case.instance()["incident"]
    assert len(case.events("timer_fired", "national_late")) == 1
    assert [
        m for m in library.mail_to("national_1@demo.nezarat.ir") if m.message["Subject"].startswith("یادآوری")
    ]
    assert case.open("national_1") == ["national_review"]


def test_document_completion_referred_to_an_absent_secretary_reaches_the_delegate(library: Library) -> None:
    case = library.start(KEY, "mayor_b")
    case.do("mayor_b", "request", {k: v for k, v in request_of(library).items() if k != "council_minutes"})
    now = library.clock.now()
    library.platform.add_absence(
        "council_b", delegate="council_chair_b", starts_at=now, ends_at=now + dt.timedelta(days=4)
    )
    task = case.task("mayor_b", "complete_docs")
    library.platform.refer(
        task["id"], actor="mayor_b", to_user="council_b", note="صورت‌جلسهٔ شورا را پیوست کنید"
    )
    held = case.task("council_chair_b", "complete_docs")
    assert held["assignee"] == "council_chair_b" and held["referrals"][-1]["delegated_from"] == ["council_b"]
    case.do("council_chair_b", "complete_docs", {"council_minutes": library.upload("minutes.pdf")})
    assert [u for u in EXPERTS if case.open(u)] != []
