"""article79_dispute end to end: a letter is registered, checked, ruled on by the board and notified; an
incomplete letter is returned; the board's 20 days from registration run across Nowruz, escalate to the
director general (by mail, in Persian) and then hand the case to him; referral passes an absent member."""

from __future__ import annotations

import datetime as dt

import pytest

from engine.errors import Forbidden, ValidationError
from tests.scenarios.conftest import Case, Library, tehran

KEY = "article79_dispute"
LETTER = {
    "letter_no": "ف/۱۲",
    "letter_date": "1404/12/09",
    "sender": "فرمانداری شهرستان نمونه",
    "municipality": "شهرداری الف",
    "subject": "اعتراض به مصوبهٔ عوارض",
}
COMPLETE = {
    "has_first_resolution": True,
    "has_compliance_ruling": True,
    "has_second_resolution": True,
    "documents_complete": True,
}
OPINION = {"decision": "amend", "reasoning": "مصوبه با قانون مغایر است و باید اصلاح شود"}


def registered(library: Library) -> Case:
    case = library.start(KEY, "a79_secretary")
    case.do("a79_secretary", "register", LETTER)
    return case


def test_a_complete_letter_is_ruled_on_and_notified(library: Library) -> None:
    case = registered(library)
    case.do("a79_secretary", "check_documents", COMPLETE)
    assert case.open("a79_secretary") == []
    assert case.open("a79_board_2") == ["board_opinion"]
    assert case.open("dg_urban") == []  # not his until the deadline passes
    case.do("a79_board_2", "board_opinion", OPINION)
    case.do("a79_secretary", "notify_parties", {"notified_on": "۱۴۰۵/۰۱/۲۰"})
    assert case.status == "completed"
    assert case.ends() == ["end_ruled"]
    data = case.data()
    assert data["decision"] == "amend" and data["notified_on"] == "1405/01/20"  # Persian digits normalised
    assert data["subject"] == "اعتراض به مصوبهٔ عوارض"
    assert case.platform.verify(case.id).ok


def test_an_incomplete_letter_is_returned_and_never_reaches_the_board(library: Library) -> None:
    case = registered(library)
    case.do("a79_secretary", "check_documents", {"documents_complete": False, "note": "مصوبهٔ دوم پیوست نیست"})
    assert case.open("a79_secretary") == ["return_letter"]
    assert case.open("a79_board_1") == []
    case.do("a79_secretary", "return_letter", {"reason": "مدارک ناقص است"})
    assert case.status == "completed"
    assert case.ends() == ["end_returned"]
    assert "board_opinion" not in {e["element_id"] for e in case.events("task_ready")}
    assert case.platform.verify(case.id).ok


def test_a_letter_missing_fields_is_refused_in_persian_and_nothing_moves(library: Library) -> None:
    case = library.start(KEY, "a79_secretary")
    before = case.snapshot("a79_secretary")
    task = case.task("a79_secretary", "register")
    bad = {"letter_no": "12", "letter_date": "1404/13/40", "municipality": "شهرداری الف"}
    with pytest.raises(ValidationError) as refused:
        case.platform.complete(task["id"], bad, actor="a79_secretary")
    details = {d["path"]: d for d in refused.value.details}
    assert set(details) == {"letter_date", "sender", "subject"}
    assert all(_persian(d["message"]["fa"]) for d in details.values())
    assert "ثبت نامه" in refused.value.message  # the form's Persian title names the form
    assert case.snapshot("a79_secretary") == before


def test_a_ruling_outside_the_choices_is_refused_and_the_task_stays(library: Library) -> None:
    case = registered(library)
    case.do("a79_secretary", "check_documents", COMPLETE)
    before = case.snapshot("a79_board_1")
    task = case.task("a79_board_1", "board_opinion")
    with pytest.raises(ValidationError) as refused:
        case.platform.complete(task["id"], {"decision": "maybe"}, actor="a79_board_1")
    assert {d["path"] for d in refused.value.details} == {"decision", "reasoning"}
    with pytest.raises(Forbidden):  # the secretariat cannot rule in the board's place
        case.platform.complete(task["id"], OPINION, actor="a79_secretary")
    assert case.snapshot("a79_board_1") == before


# Registered on Tuesday 19 Esfand 1404, 09:00 Tehran; the 20 days are calendar days (the law's count),
# so they run through Nowruz (1-4 Farvardin 1405) and end on Monday 10 Farvardin 1405, 09:00.
REGISTERED_AT = tehran("2026-03-10 09:00")
DUE = tehran("2026-03-30 09:00")


@pytest.fixture
def before_the_board(library: Library) -> Case:
    library.clock.set(REGISTERED_AT)
    case = registered(library)
    library.clock.advance(hours=2)  # checked later that morning: the board's task is ready at 11:00
    case.do("a79_secretary", "check_documents", COMPLETE)
    return case


def test_the_board_is_due_20_days_after_registration_across_nowruz(
    library: Library, before_the_board: Case
) -> None:
    task = before_the_board.task("a79_board_1", "board_opinion")
    due = dt.datetime.fromisoformat(task["due_at"])
    assert due == DUE
    assert library.platform.runtime.calendar.jalali(due) == "1405/01/10"


def test_the_breach_escalates_to_the_director_general_by_persian_mail(
    library: Library, before_the_board: Case
) -> None:
    case, dg_mail = before_the_board, "dg_urban@demo.nezarat.ir"
    library.platform.tick(DUE - dt.timedelta(seconds=1))
    assert case.events("escalated") == []
    assert len(case.events("sla_reminder")) == 2  # at 50 % and 80 % of the 20 days
    assert library.mail_to(dg_mail) == []
    library.platform.tick(DUE + dt.timedelta(seconds=1))
    (escalated,) = case.events("escalated", "board_opinion")
    assert escalated["data"]["escalate_to"] == "urban_affairs_dg"
    assert escalated["data"]["notified"] == ["dg_urban"]
    (mail,) = library.mail_to(dg_mail)
    assert mail.message["Subject"] == "گذشت مهلت: اعلام نظر هیئت"
    assert "۱۴۰۵/۰۱/۱۰ ساعت ۰۹:۰۰ به پایان رسید" in mail.body
    assert "urban_affairs_dg" in mail.body
    (seen,) = case.tasks("dg_urban")  # the escalation opens the board's task to the director general
    assert seen["element_id"] == "board_opinion" and seen["escalated_to"] == "urban_affairs_dg"


def test_after_the_deadline_the_director_general_follows_up_and_the_board_rules(
    library: Library, before_the_board: Case
) -> None:
    case = before_the_board
    library.platform.tick(DUE + dt.timedelta(hours=2, seconds=1))  # the boundary timer: 20 days from 11:00
    assert "timer_fired" in case.kinds()
    assert case.open("a79_board_1") == []
    assert case.open("dg_urban") == ["follow_up"]
    case.do("dg_urban", "follow_up", {"action": "جلسهٔ فوق‌العادهٔ هیئت تشکیل شد"})
    assert case.open("a79_board_3") == ["board_opinion"]
    case.do("a79_board_3", "board_opinion", OPINION)
    case.do("a79_secretary", "notify_parties", {"notified_on": "1405/01/20"})
    assert case.status == "completed" and case.ends() == ["end_ruled"]
    assert case.platform.verify(case.id).ok


def test_a_referral_to_an_absent_member_goes_to_the_delegate(library: Library) -> None:
    case = registered(library)
    case.do("a79_secretary", "check_documents", COMPLETE)
    now = library.clock.now()
    library.platform.add_absence(
        "a79_board_2",
        delegate="a79_board_3",
        starts_at=now,
        ends_at=now + dt.timedelta(days=7),
        note="مأموریت",
    )
    task = case.task("a79_board_1", "board_opinion")
    library.platform.claim(task["id"], actor="a79_board_1")
    library.platform.refer(task["id"], actor="a79_board_1", to_user="a79_board_2", note="لطفاً رسیدگی شود")
    assert case.open("a79_board_2") == [] and case.open("a79_board_1") == []
    held = case.task("a79_board_3", "board_opinion")
    assert held["assignee"] == "a79_board_3" and held["referred_by"] == "a79_board_1"
    (referred,) = case.events("referred")
    assert referred["data"] == {
        "to": "a79_board_3",
        "note": "لطفاً رسیدگی شود",
        "delegated_from": ["a79_board_2"],
    }
    case.do("a79_board_3", "board_opinion", OPINION)
    assert case.open("a79_secretary") == ["notify_parties"]
    assert case.platform.verify(case.id).ok


def _persian(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)
