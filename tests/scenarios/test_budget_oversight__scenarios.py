"""budget_oversight end to end: the circular opens one budget round per municipality; a draft that
fails the system check goes back for revision; the mayor, the council, the expert and the director
general may each send it back; an approved budget is registered in the credit ledger and its album PDF
is stored; the expert's ten working days run across Nowruz and escalate; an absent expert is passed
over; a council silent for 30 days is reported to the governorate."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from pypdf import PdfReader

from engine.budget.demo import demo_budget
from engine.budget.ledger import Ledger
from engine.errors import ValidationError
from tests.scenarios.conftest import Case, Library, tehran

KEY = "budget_oversight"
EXPERTS = ("expert_1", "expert_2")
OFFICER = {"muni-a": "budget_a", "muni-b": "budget_b"}
MAYOR = {"muni-a": "mayor_a", "muni-b": "mayor_b"}
CHAIR = {"muni-a": "council_chair_a", "muni-b": "council_chair_b"}
BILLION = 1_000_000_000


def draft_of(unit: str) -> dict[str, Any]:
    budget = demo_budget(unit)
    return {"resources": budget["resources"], "uses": budget["uses"], "explanation": "بودجهٔ پیشنهادی ۱۴۰۵"}


def without_mandatory_line(unit: str) -> dict[str, Any]:
    """Balanced, so the form accepts it, but without the circular's mandatory line 2301 (350 billion)."""
    draft = draft_of(unit)
    draft["uses"] = [u for u in draft["uses"] if u["code"] != "2301"]
    draft["resources"] = [
        {**r, "amount": r["amount"] - 350 * BILLION} if r["code"] == "11" else r for r in draft["resources"]
    ]
    return draft


def circular(library: Library, *units: str) -> Case:
    case = library.start(KEY, "expert_1")
    rows = [{"unit": u} for u in units]
    case.do(
        "expert_1",
        "circular",
        {
            "fiscal_year": 1405,
            "circular": "1405",
            "submission_deadline": "1404/10/15",
            "municipalities": rows,
        },
    )
    return case


def reviewer(case: Case) -> str:
    return next(u for u in EXPERTS if "review" in case.open(u))


def through_the_council(case: Case, unit: str) -> None:
    case.do(MAYOR[unit], "submit", {"bill_no": f"{unit}/ب/۱۲", "bill_date": "1404/10/10"})
    case.do(
        CHAIR[unit],
        "council_approve",
        {"council_decision": "approved", "resolution_no": "ش/۳۳", "resolution_date": "1404/11/05"},
    )


def approved(case: Case, unit: str) -> None:
    through_the_council(case, unit)
    case.do(reviewer(case), "review", {"conforming": "yes", "review_note": "مطابق بخشنامه"})
    case.do("dg_urban", "dg_approve", {"dg_decision": "approved"})


def test_approved_budgets_are_registered_with_their_albums(library: Library) -> None:
    case = circular(library, "muni-a", "muni-b")
    assert (case.open("budget_a"), case.open("budget_b"), case.open("budget_c")) == (["draft"], ["draft"], [])
    for unit in ("muni-a", "muni-b"):
        case.do(OFFICER[unit], "draft", draft_of(unit))
        approved(case, unit)
        case.do(OFFICER[unit], "archive", {"album_sent_on": "1404/12/01", "archive_no": f"ب-۱۴۰۵-{unit}"})
    case.do("expert_1", "summary", {"summary": "بودجهٔ دو شهرداری تصویب و ثبت شد"})
    assert case.status == "completed"
    rows = {m["unit"]: m for m in case.data()["municipalities"]}
    store = library.platform.runtime.services["attachments"]
    for unit, row in rows.items():
        assert store.exists(row["album"]), row
        assert store.info(row["album"]).filename == f"budget-album-{unit}-1405.pdf"
        assert len(PdfReader(io.BytesIO(store.get(row["album"]))).pages) >= 1
    with library.platform.store.reading() as tx:
        ledger = Ledger(tx, library.clock)
        for unit in ("muni-a", "muni-b"):
            lines = {line.code: line for line in ledger.lines(unit, 1405)}
            uses = {u["code"]: u["amount"] for u in demo_budget(unit)["uses"]}
            assert {code: line.approved for code, line in lines.items()} == uses
            assert all(line.remaining == line.approved and line.paid == 0 for line in lines.values())
    assert rows["muni-a"]["budget_id"] != rows["muni-b"]["budget_id"]
    assert case.platform.verify(case.id).ok


def test_a_draft_failing_the_system_check_goes_back_for_revision(library: Library) -> None:
    case = circular(library, "muni-a")
    case.do("budget_a", "draft", without_mandatory_line("muni-a"))
    assert case.open("budget_a") == ["revise"]
    assert case.open("mayor_a") == []  # nothing reaches the mayor
    assert len(case.events("boundary_event", "check_failed")) == 1
    case.do("budget_a", "revise", {**draft_of("muni-a"), "response": "ردیف ۲۳۰۱ افزوده شد"})
    assert case.open("mayor_a") == ["submit"]


def test_the_history_says_why_the_system_check_failed(library: Library) -> None:
    case = circular(library, "muni-a")
    case.do("budget_a", "draft", without_mandatory_line("muni-a"))
    assert case.events("service_completed", "check") == []  # it did not complete: it refused the draft
    recorded = json.dumps([e["data"] for e in case.history()], ensure_ascii=False)
    assert "ردیف الزامی ۲۳۰۱" in recorded  # the Persian reason, in the case's history


def test_the_council_the_expert_and_the_director_general_each_send_it_back(library: Library) -> None:
    case = circular(library, "muni-a")
    case.do("budget_a", "draft", draft_of("muni-a"))
    case.do("mayor_a", "submit", {"bill_no": "۱۲", "bill_date": "1404/10/10"})
    case.do(
        "council_chair_a",
        "council_approve",
        {"council_decision": "returned", "council_note": "ردیف ۳۶۰۳ کاهش یابد"},
    )
    case.do("budget_a", "revise", {**draft_of("muni-a"), "response": "اصلاح شد"})
    through_the_council(case, "muni-a")
    objection = [{"code": "2101", "issue": "بیش از سقف فصل ۱", "clause": "بند ۳"}]
    case.do(reviewer(case), "review", {"conforming": "no", "objections": objection})
    case.do("budget_a", "revise", {**draft_of("muni-a"), "response": "ردیف ۲۱۰۱ اصلاح شد"})
    through_the_council(case, "muni-a")
    case.do(reviewer(case), "review", {"conforming": "yes"})
    case.do("dg_urban", "dg_approve", {"dg_decision": "returned", "dg_note": "پیوست‌ها ناقص است"})
    case.do("budget_a", "revise", {**draft_of("muni-a"), "response": "پیوست شد"})
    approved(case, "muni-a")
    assert case.open("budget_a") == ["archive"]
    assert len(case.events("task_ready", "revise")) == 3


def test_an_unbalanced_draft_is_refused_in_persian_and_nothing_moves(library: Library) -> None:
    case = circular(library, "muni-a")
    before = case.snapshot("budget_a", "mayor_a")
    draft = draft_of("muni-a")
    draft["uses"][0]["amount"] += 1
    capital = next(u for u in draft["uses"] if u["section"] == "capital")
    del capital["project"]
    with pytest.raises(ValidationError) as refused:
        case.platform.complete(case.task("budget_a", "draft")["id"], draft, actor="budget_a")
    assert {(d["path"], d["rule"]) for d in refused.value.details} == {
        ("uses", "balanced"),
        ("uses", "capital_has_project"),
    }
    assert "جمع منابع باید با جمع مصارف برابر باشد" in {d["message"]["fa"] for d in refused.value.details}
    assert case.snapshot("budget_a", "mayor_a") == before


# The review becomes ready on Wednesday 27 Esfand 1404, 09:00 Tehran. Ten working days later — Friday
# 29 Esfand, Nowruz and Eid al-Fitr (1-4 Farvardin), Fridays, and 12-13 Farvardin closed — is Monday
# 17 Farvardin 1405, at the close of the working day (14:30).
REVIEW_READY = tehran("2026-03-18 09:00")
REVIEW_DUE = tehran("2026-04-06 14:30")


def test_the_experts_ten_working_days_escalate_to_the_director_general_across_nowruz(
    library: Library,
) -> None:
    library.clock.set(REVIEW_READY)
    case = circular(library, "muni-a")
    case.do("budget_a", "draft", draft_of("muni-a"))
    through_the_council(case, "muni-a")
    task = case.task(reviewer(case), "review")
    assert dt.datetime.fromisoformat(task["due_at"]) == REVIEW_DUE
    assert library.platform.runtime.calendar.jalali(REVIEW_DUE) == "1405/01/17"
    library.platform.tick(REVIEW_DUE - dt.timedelta(seconds=1))
    assert case.events("escalated") == []
    library.platform.tick(REVIEW_DUE + dt.timedelta(seconds=1))
    (escalated,) = case.events("escalated", "review")
    assert escalated["data"]["escalate_to"] == "urban_affairs_dg"
    assert "review" in case.open("dg_urban")  # the director general may now act on it
    assert "notice_failed" not in escalated["data"], escalated["data"].get("notice_failed")
    (mail,) = library.mail_to("dg_urban@demo.nezarat.ir")
    assert mail.message["Subject"] == "گذشت مهلت: بررسی انطباق بودجه با بخشنامه"
    assert "۱۴۰۵/۰۱/۱۷ ساعت ۱۴:۳۰" in mail.body


def test_an_absent_expert_is_passed_over_for_the_review(library: Library) -> None:
    case = circular(library, "muni-a")
    now = library.clock.now()
    library.platform.add_absence(
        "expert_1", delegate="dg_urban", starts_at=now, ends_at=now + dt.timedelta(days=20)
    )
    case.do("budget_a", "draft", draft_of("muni-a"))
    through_the_council(case, "muni-a")
    (assigned,) = case.events("assigned", "review")
    assert assigned["data"]["to"] == "expert_2" and assigned["data"]["absent"] == ["expert_1"]
    assert case.open("expert_1") == [] and case.open("expert_2") == ["review"]


def test_a_council_silent_for_30_days_is_reported_to_the_governorate(library: Library) -> None:
    case = circular(library, "muni-a")
    case.do("budget_a", "draft", draft_of("muni-a"))
    case.do("mayor_a", "submit", {"bill_no": "۱۲", "bill_date": "1404/10/10"})
    library.platform.tick(library.clock.now() + dt.timedelta(days=30, seconds=1))
    assert case.instance()["incident"] is None, case.instance()["incident"]
    assert len(case.events("timer_fired", "council_late")) == 1
    told = [m for m in library.mail if "expert_1@demo.nezarat.ir" in m.rcpt_tos]
    assert told and told[-1].message["Subject"].startswith("یادآوری مهلت")
    assert case.open("council_chair_a") == ["council_approve"]
