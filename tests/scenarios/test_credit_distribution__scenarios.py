"""credit_distribution end to end: a municipality's credit request, with its approved budget registered
first through the shared budget_registration process; the line and its remaining credit are checked;
the expert, the director general and the national organisation decide; the deposit is reserved and
recorded; payments are recorded only against the line and only up to the deposit; the settlement is
reviewed. Refusals loop back; a revision lapses after ten days; the expert's seven working days run
across Nowruz and escalate; an absent expert is passed over."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from engine.budget.demo import demo_budget
from engine.budget.ledger import Ledger
from engine.errors import ValidationError
from tests.scenarios.conftest import Case, Library, tehran

KEY = "credit_distribution"
EXPERTS = ("expert_1", "expert_2")
BILLION = 1_000_000_000
RESOLUTION = {"resolution_no": "ش/۳۳", "resolution_date": "1404/11/05"}
DEPOSIT = {"national_decision": "deposit", "deposit_ref": "W-77", "deposit_date": "1404/12/20"}


def request_of(library: Library, **changes: Any) -> dict[str, Any]:
    return {
        "unit": "muni-a",
        "fiscal_year": 1405,
        "project_kind": "development",
        "project_title": "آسفالت و بهسازی معابر",
        "budget_line": "3603",
        "amount": 50 * BILLION,
        "justification_file": library.upload("justification.pdf"),
        "budget_registered": "no",
        **changes,
    }


def budget_entry(unit: str = "muni-a") -> dict[str, Any]:
    budget = demo_budget(unit)
    return {"resources": budget["resources"], "uses": budget["uses"], **RESOLUTION}


def registered(library: Library, **changes: Any) -> Case:
    case = library.start(KEY, "budget_a")
    case.do("budget_a", "request", request_of(library, **changes))
    case.do("budget_a", "enter_budget", budget_entry())
    return case


def expert(case: Case, element: str = "expert_review") -> str:
    return next(u for u in EXPERTS if element in case.open(u))


def deposited(library: Library) -> Case:
    case = registered(library)
    case.do(expert(case), "expert_review", {"expert_decision": "approve"})
    case.do("dg_urban", "dg_propose", {"proposal_no": "۱۲۳/ش", "proposal_date": "1404/12/10"})
    case.do("national_1", "national_decide", DEPOSIT)
    return case


def payment(amount: int, *, more: bool) -> dict[str, Any]:
    return {
        "document_no": "S-1",
        "document_date": "1405/02/01",
        "payee": "شرکت راه‌سازان",
        "payment_amount": amount,
        "more_payments": more,
    }


def line_3603(library: Library) -> Any:
    with library.platform.store.reading() as tx:
        return Ledger(tx, library.clock).line("muni-a", 1405, "3603")


def test_a_request_runs_from_registration_to_an_accepted_settlement(library: Library) -> None:
    case = deposited(library)
    album = [e for e in case.events("service_completed") if e["data"]["handler"] == "documents.budget_album"]
    assert len(album) == 1  # the shared registration ran: check, ledger, album
    line = line_3603(library)
    assert (line.approved, line.committed, line.allocated, line.paid) == (
        1100 * BILLION,
        50 * BILLION,
        50 * BILLION,
        0,
    )
    case.do("budget_a", "record_documents", payment(25 * BILLION, more=True))
    case.do("budget_a", "record_documents", payment(15 * BILLION, more=False))
    report = {
        "physical_progress": 100,
        "spent_total": 40 * BILLION,
        "settlement_report": library.upload("s.pdf"),
    }
    case.do("budget_a", "settlement", report)
    case.do(
        expert(case, "confirm_settlement"),
        "confirm_settlement",
        {"settlement_ok": "no", "review_note": "پیوست ناقص"},
    )
    case.do("budget_a", "settlement", {**report, "performance_note": "کامل شد"})
    case.do(expert(case, "confirm_settlement"), "confirm_settlement", {"settlement_ok": "yes"})
    assert case.status == "completed" and case.ends()[-1] == "end"
    data = case.data()
    assert library.platform.runtime.services["attachments"].exists(data["album"])
    assert line_3603(library).paid == 40 * BILLION
    with library.platform.store.reading() as tx:
        paid = [e for e in Ledger(tx, library.clock).entries("muni-a", 1405, "3603") if e["kind"] == "paid"]
    assert [(e["amount"], e["payee"], e["instance_id"]) for e in paid] == [
        (25 * BILLION, "شرکت راه‌سازان", case.id),
        (15 * BILLION, "شرکت راه‌سازان", case.id),
    ]
    assert case.platform.verify(case.id).ok


def test_a_payment_beyond_the_deposit_is_refused_and_the_ledger_is_unchanged(library: Library) -> None:
    case = deposited(library)
    case.do("budget_a", "record_documents", payment(60 * BILLION, more=False))
    assert len(case.events("boundary_event", "payment_refused")) == 1
    assert case.open("budget_a") == ["record_documents"]  # back to the documents, nothing settled
    assert line_3603(library).paid == 0
    case.do("budget_a", "record_documents", payment(50 * BILLION, more=False))
    assert case.open("budget_a") == ["settlement"] and line_3603(library).paid == 50 * BILLION


def test_a_line_not_in_the_approved_budget_goes_back_for_revision(library: Library) -> None:
    case = registered(library, budget_line="9999")
    assert len(case.events("boundary_event", "credit_missing")) == 1
    assert case.open("budget_a") == ["revise_request"]
    assert [u for u in EXPERTS if case.open(u)] == []
    case.do(
        "budget_a",
        "revise_request",
        {"budget_line": "3603", "amount": 40 * BILLION, "response": "ردیف اصلاح شد"},
    )
    case.do(
        expert(case), "expert_review", {"expert_decision": "return", "expert_note": "طرح توجیهی ناقص است"}
    )
    case.do(
        "budget_a",
        "revise_request",
        {"budget_line": "3603", "amount": 40 * BILLION, "response": "طرح تکمیل شد"},
    )
    assert case.open("dg_urban") == []
    case.do(expert(case), "expert_review", {"expert_decision": "approve"})
    assert case.open("dg_urban") == ["dg_propose"]


def test_an_unanswered_revision_lapses_after_ten_days(library: Library) -> None:
    case = registered(library, budget_line="9999")
    ready = dt.datetime.fromisoformat(case.events("task_ready", "revise_request")[0]["at"])
    library.platform.tick(ready + dt.timedelta(days=10) - dt.timedelta(seconds=1))
    assert case.status == "running"
    library.platform.tick(ready + dt.timedelta(days=10, seconds=1))
    assert case.status == "completed" and case.ends()[-1] == "lapsed"
    assert case.open("budget_a") == []


def test_a_refused_budget_returns_to_its_entry_and_nothing_is_registered(library: Library) -> None:
    case = library.start(KEY, "budget_a")
    case.do("budget_a", "request", request_of(library))
    entry = budget_entry()
    entry["uses"] = [u for u in entry["uses"] if u["code"] != "2301"]  # a mandatory line missing
    entry["resources"] = [
        {**r, "amount": r["amount"] - 350 * BILLION} if r["code"] == "11" else r for r in entry["resources"]
    ]
    case.do("budget_a", "enter_budget", entry)
    assert len(case.events("boundary_event", "register_failed")) == 1
    assert case.open("budget_a") == ["enter_budget"]
    with library.platform.store.reading() as tx:
        assert Ledger(tx, library.clock).approved_budget("muni-a", 1405) is None
    case.do("budget_a", "enter_budget", budget_entry())
    assert line_3603(library).approved == 1100 * BILLION


def test_rejections_by_the_expert_and_the_national_organisation_tell_the_municipality(
    library: Library,
) -> None:
    first = registered(library)
    first.do(expert(first), "expert_review", {"expert_decision": "reject", "expert_note": "خارج از اولویت"})
    assert first.status == "completed" and first.ends()[-1] == "rejected"
    (told,) = [m for m in library.mail if m.message["Subject"] == "رد درخواست اعتبار"]
    assert told.rcpt_tos == ["budget_a@demo.nezarat.ir"]  # the requesting unit's officer only
    second = library.start(KEY, "budget_a")
    second.do("budget_a", "request", request_of(library, budget_registered="yes"))  # registered just before
    second.do(expert(second), "expert_review", {"expert_decision": "approve"})
    second.do("dg_urban", "dg_propose", {"proposal_no": "۹", "proposal_date": "1404/12/11"})
    second.do(
        "national_1", "national_decide", {"national_decision": "reject", "national_note": "اعتبار تمام شد"}
    )
    assert second.ends()[-1] == "rejected"
    assert line_3603(library).committed == 0  # a refused request never holds credit


def test_incomplete_forms_are_refused_in_persian_and_nothing_moves(library: Library) -> None:
    case = library.start(KEY, "budget_a")
    before = case.snapshot("budget_a")
    incomplete = {k: v for k, v in request_of(library).items() if k != "justification_file"}
    with pytest.raises(ValidationError) as refused:
        case.platform.complete(
            case.task("budget_a", "request")["id"], {**incomplete, "amount": 0}, actor="budget_a"
        )
    assert {d["path"] for d in refused.value.details} == {"justification_file", "amount"}
    assert case.snapshot("budget_a") == before
    case = deposited(library)
    case_before = case.snapshot("budget_a")
    with pytest.raises(ValidationError):
        case.platform.complete(
            case.task("budget_a", "record_documents")["id"], payment(0, more=False), actor="budget_a"
        )
    assert case.snapshot("budget_a") == case_before


# The expert's task is ready on Wednesday 27 Esfand 1404, 09:00 Tehran; seven working days later — past
# 29 Esfand, Nowruz with Eid al-Fitr and a Friday — is Tuesday 11 Farvardin 1405 at 14:30.
REVIEW_READY = tehran("2026-03-18 09:00")
REVIEW_DUE = tehran("2026-03-31 14:30")


def test_the_experts_seven_working_days_escalate_across_nowruz(library: Library) -> None:
    library.clock.set(REVIEW_READY)
    case = registered(library)
    task = case.task(expert(case), "expert_review")
    assert dt.datetime.fromisoformat(task["due_at"]) == REVIEW_DUE
    assert library.platform.runtime.calendar.jalali(REVIEW_DUE) == "1405/01/11"
    library.platform.tick(REVIEW_DUE - dt.timedelta(seconds=1))
    assert case.events("escalated") == []
    library.platform.tick(REVIEW_DUE + dt.timedelta(seconds=1))
    (escalated,) = case.events("escalated", "expert_review")
    assert escalated["data"]["escalate_to"] == "urban_affairs_dg"
    assert "expert_review" in case.open("dg_urban")
    assert "notice_failed" not in escalated["data"], escalated["data"].get("notice_failed")
    (mail,) = library.mail_to("dg_urban@demo.nezarat.ir")
    assert "۱۴۰۵/۰۱/۱۱ ساعت ۱۴:۳۰" in mail.body


def test_an_absent_expert_is_passed_over_and_a_referral_reaches_the_delegate(library: Library) -> None:
    now = library.clock.now()
    library.platform.add_absence(
        "expert_2", delegate="dg_urban", starts_at=now, ends_at=now + dt.timedelta(days=10)
    )
    case = registered(library)
    (assigned,) = case.events("assigned", "expert_review")
    assert assigned["data"]["to"] == "expert_1" and assigned["data"]["absent"] == ["expert_2"]
    task = case.task("expert_1", "expert_review")
    library.platform.refer(task["id"], actor="expert_1", to_user="expert_2", note="همکار بررسی کند")
    assert case.task("dg_urban", "expert_review")["assignee"] == "dg_urban"
    case.do("dg_urban", "expert_review", {"expert_decision": "approve"})
    assert case.open("dg_urban") == ["dg_propose"]
