"""mayor_appointment end to end: the council proposes a mayor; the system checks the documents (a
missing one comes back to the council) and the nominee's eligibility (an ineligible nominee ends in a
refusal letter); the expert reviews; three inquiries run in parallel; the director general proposes and
the governor signs the decree, which is produced and communicated. An inquiry's objection refuses the
nominee; the inquiries' fifteen working days run across Nowruz and escalate; a referral to an absent
colleague reaches the delegate."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from engine.errors import ValidationError
from tests.scenarios.conftest import Case, Library, tehran

KEY = "mayor_appointment"
EXPERTS = ("expert_1", "expert_2")
INQUIRIES = {
    "inquiry_intel": ("inquiry_intel", {"intelligence_result": "clear", "intelligence_letter_no": "ا-۱"}),
    "inquiry_judiciary": ("inquiry_judiciary", {"judiciary_result": "clear", "judiciary_letter_no": "د-۵۵"}),
    "inquiry_selection": ("selection_1", {"selection_result": "clear", "selection_letter_no": "گ-۹"}),
}
# The inquiries open on Wednesday 27 Esfand 1404, 09:00 Tehran; fifteen working days later (Friday
# 29 Esfand, 1-4 and 12-13 Farvardin and the Fridays closed) is Sunday 23 Farvardin 1405, 14:30.
INQUIRIES_READY = tehran("2026-03-18 09:00")
INQUIRIES_DUE = tehran("2026-04-12 14:30")


def proposal(library: Library, **changes: Any) -> dict[str, Any]:
    """The council's proposal with its four documents; a change to None leaves that field out."""
    full = {
        "resolution_no": "۱۲/ش",
        "resolution_date": "1404/12/05",
        "position": "شهردار شهر الف",
        "nominee_name": "علی رضایی",
        "national_id": "0012345678",
        "birth_date": "1360/05/12",
        "education": "master",
        "field_of_study": "مدیریت شهری",
        "experience_years": 12,
        **{
            doc: library.upload(f"{doc}.pdf")
            for doc in ("council_minutes", "nominee_cv", "nominee_id_card", "nominee_degree")
        },
        **changes,
    }
    return {k: v for k, v in full.items() if v is not None}


def holder(case: Case, element: str) -> str:
    return next(u for u in EXPERTS if element in case.open(u))


def at_the_inquiries(library: Library) -> Case:
    case = library.start(KEY, "council_a")
    case.do("council_a", "propose", proposal(library))
    case.do(holder(case, "expert_review"), "expert_review", {"form_ok": "yes"})
    return case


def test_a_nominee_is_appointed_by_the_governors_decree(library: Library) -> None:
    case = library.start(KEY, "council_a")
    case.do("council_a", "propose", proposal(library))
    (assigned,) = case.events("assigned", "expert_review")
    assert assigned["data"]["policy"] == "round_robin"
    case.do(assigned["data"]["to"], "expert_review", {"form_ok": "yes"})
    for element, (user, answer) in INQUIRIES.items():
        assert case.open(user) == [element]  # all three at once, each in its own authority
        case.do(user, element, answer)
    case.do(
        holder(case, "summarize"),
        "summarize",
        {"inquiries_clear": "yes", "summary_note": "همهٔ مراجع منعی ندارند"},
    )
    case.do("dg_urban", "dg_review", {"dg_decision": "propose"})
    case.do(
        "governor",
        "decree",
        {"decree_no": "ح/۱۴۰۴/۷", "decree_date": "1404/12/25", "effective_date": "1405/01/15"},
    )
    assert case.status == "completed" and case.ends() == ["appointed"]
    data = case.data()
    assert data["eligibility"]["ok"] is True and data["documents_check"]["ok"] is True
    assert data["nominee"]["name"] == "علی رضایی"
    assert library.platform.runtime.services["attachments"].exists(data["letter"])
    (told,) = [m for m in library.mail if m.message["Subject"] == "ابلاغ حکم شهردار"]
    assert sorted(told.rcpt_tos) == ["council_a@demo.nezarat.ir", "mayor_a@demo.nezarat.ir"]
    assert case.platform.verify(case.id).ok


def test_a_missing_document_comes_back_to_the_council_then_the_expert_returns_it(library: Library) -> None:
    case = library.start(KEY, "council_a")
    case.do("council_a", "propose", proposal(library, nominee_degree=None))
    assert len(case.events("boundary_event", "docs_missing")) == 1
    assert case.open("council_a") == ["complete_docs"]
    assert [u for u in EXPERTS if case.open(u)] == []
    case.do("council_a", "complete_docs", {"nominee_degree": library.upload("degree.pdf")})
    case.do(
        holder(case, "expert_review"),
        "expert_review",
        {"form_ok": "no", "expert_note": "تصویر مدرک ناخواناست"},
    )
    assert case.open("council_a") == ["complete_docs"]
    case.do(
        "council_a",
        "complete_docs",
        {"nominee_degree": library.upload("degree-2.pdf"), "docs_note": "دوباره پیوست شد"},
    )
    case.do(holder(case, "expert_review"), "expert_review", {"form_ok": "yes"})
    assert case.open("inquiry_intel") == ["inquiry_intel"]


def test_an_ineligible_nominee_is_refused_with_a_letter_to_the_council(library: Library) -> None:
    case = library.start(KEY, "council_a")
    case.do("council_a", "propose", proposal(library, experience_years=1, education="associate"))
    assert len(case.events("boundary_event", "not_eligible")) == 1
    assert [u for u in EXPERTS if case.open(u)] == []  # the expert never reviews an ineligible nominee
    assert case.status == "completed" and case.ends() == ["refused"]
    assert library.platform.runtime.services["attachments"].exists(case.data()["letter"])
    (told,) = [m for m in library.mail if m.message["Subject"] == "عدم تأیید نامزد شهرداری"]
    assert told.rcpt_tos == ["council_a@demo.nezarat.ir"]


def test_an_objecting_inquiry_refuses_the_nominee(library: Library) -> None:
    case = at_the_inquiries(library)
    case.do(
        "inquiry_intel",
        "inquiry_intel",
        {"intelligence_result": "objection", "intelligence_letter_no": "ا-۲"},
    )
    for element in ("inquiry_judiciary", "inquiry_selection"):
        user, answer = INQUIRIES[element]
        case.do(user, element, answer)
    case.do(
        holder(case, "summarize"),
        "summarize",
        {"inquiries_clear": "no", "summary_note": "ادارهٔ اطلاعات منع دارد"},
    )
    assert case.status == "completed" and case.ends() == ["refused"]
    assert case.open("dg_urban") == [] and case.open("governor") == []


def test_a_wrong_national_id_is_refused_in_persian_and_nothing_moves(library: Library) -> None:
    case = library.start(KEY, "council_a")
    before = case.snapshot("council_a")
    task = case.task("council_a", "propose")
    with pytest.raises(ValidationError) as refused:
        case.platform.complete(task["id"], proposal(library, national_id="12345"), actor="council_a")
    (detail,) = refused.value.details
    assert detail["path"] == "national_id"
    assert any("\u0600" <= ch <= "\u06ff" for ch in detail["message"]["fa"])
    assert case.snapshot("council_a") == before


def test_the_inquiries_fifteen_working_days_escalate_across_nowruz(library: Library) -> None:
    library.clock.set(INQUIRIES_READY)
    case = at_the_inquiries(library)
    for element, (user, _) in INQUIRIES.items():
        assert dt.datetime.fromisoformat(case.task(user, element)["due_at"]) == INQUIRIES_DUE
    assert library.platform.runtime.calendar.jalali(INQUIRIES_DUE) == "1405/01/23"
    case.do("inquiry_judiciary", "inquiry_judiciary", INQUIRIES["inquiry_judiciary"][1])
    library.platform.tick(INQUIRIES_DUE - dt.timedelta(seconds=1))
    assert case.events("escalated") == []
    library.platform.tick(INQUIRIES_DUE + dt.timedelta(seconds=1))
    assert sorted(e["element_id"] for e in case.events("escalated")) == ["inquiry_intel", "inquiry_selection"]
    late = sorted(t["element_id"] for u in EXPERTS for t in case.tasks(u) if t["escalated_to"])
    assert late == ["inquiry_intel", "inquiry_intel", "inquiry_selection", "inquiry_selection"]
    assert all("notice_failed" not in e["data"] for e in case.events("escalated")), case.events("escalated")
    assert library.mail_to("expert_1@demo.nezarat.ir")


def test_the_decree_referred_back_to_the_absent_governor_reaches_his_deputy(library: Library) -> None:
    case = at_the_inquiries(library)
    for element, (user, answer) in INQUIRIES.items():
        case.do(user, element, answer)
    case.do(holder(case, "summarize"), "summarize", {"inquiries_clear": "yes", "summary_note": "منعی نیست"})
    case.do("dg_urban", "dg_review", {"dg_decision": "propose"})
    task = case.task("governor", "decree")
    library.platform.claim(task["id"], actor="governor")
    library.platform.refer(task["id"], actor="governor", to_user="dg_urban", note="پیش از امضا بررسی شود")
    now = library.clock.now()  # the governor then leaves on a mission; his deputy stands in
    library.platform.add_absence(
        "governor", delegate="deputy_dev", starts_at=now, ends_at=now + dt.timedelta(days=3)
    )
    library.platform.refer(task["id"], actor="dg_urban", to_user="governor", note="بررسی شد؛ برای امضا")
    held = case.task("deputy_dev", "decree")
    assert held["assignee"] == "deputy_dev" and held["referrals"][-1]["delegated_from"] == ["governor"]
    assert case.open("governor") == []
