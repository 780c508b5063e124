"""resolution_follow_up end to end: a committee resolution is registered, signed (or sent back for
correction), announced by mail, followed item by item in each responsible unit, reviewed (open items
re-issued), and published; an item's deadline across Nowruz reminds its unit and then escalates to the
secretariat by Persian mail; a review referred to an absent chair goes to the delegate."""

from __future__ import annotations

import datetime as dt

import pytest

from engine.errors import ValidationError
from tests.scenarios.conftest import Case, Library, tehran

KEY = "resolution_follow_up"
SECRETARY, CHAIR, MEMBER = "committee_secretary_a", "committee_chair_a", "committee_member_a"
FINANCE, ICT = "deputy_finance_a", "ict_head_a"
ITEMS = [
    {"unit": "muni-a-finance", "task": "گزارش تطبیق پرداخت‌ها با ردیف بودجه", "deadline": "1405/01/10"},
    {"unit": "muni-a-ict", "task": "اجباری شدن فیلد ردیف بودجه در درخواست وجه", "deadline": "1405/01/20"},
]
RESOLUTION = {
    "meeting_no": 136,
    "meeting_date": "1404/12/20",
    "subject": "ثبت اطلاعات پرداخت روی ردیف بودجه",
    "items": ITEMS,
}
SIGNED = {"chair_decision": "sign", "letter_no": "ش/۱۴۰۴/۱۳۶", "letter_date": "1404/12/21"}
# The meeting is on Wednesday 20 Esfand 1404; the first item is due at the close of Monday 10 Farvardin
# 1405 (23:59 Tehran), after the Nowruz holidays; its reminder is two days before, Saturday 8 Farvardin.
MEETING = tehran("2026-03-11 09:00")
FIRST_DUE = tehran("2026-03-30 23:59")
FIRST_REMIND = tehran("2026-03-28 09:00")


def registered(library: Library) -> Case:
    library.clock.set(MEETING)
    case = library.start(KEY, SECRETARY)
    case.do(SECRETARY, "register", {**RESOLUTION, "minutes_file": library.upload("minutes.pdf")})
    return case


def announced(library: Library) -> Case:
    case = registered(library)
    case.do(CHAIR, "sign", SIGNED)
    return case


def test_a_resolution_is_followed_item_by_item_and_published(library: Library) -> None:
    case = announced(library)
    (announcement,) = [m for m in library.mail if m.message["Subject"] == "ابلاغ مصوبهٔ کمیتهٔ شفافیت"]
    assert "deputy_finance_a@demo.nezarat.ir" in announcement.rcpt_tos
    assert "ict_head_a@demo.nezarat.ir" in announcement.rcpt_tos
    # each unit sees only its own item, due at the close of its deadline day
    (finance,) = case.tasks(FINANCE)
    assert finance["org_unit"] == "muni-a-finance" and finance["element_id"] == "report"
    assert dt.datetime.fromisoformat(finance["due_at"]) == FIRST_DUE
    assert [t["org_unit"] for t in case.tasks(ICT)] == ["muni-a-ict"]
    assert case.tasks("deputy_services_a") == []
    case.do(FINANCE, "report", {"report_status": "done", "report": "گزارش تطبیق ارسال شد"})
    assert case.open(MEMBER) == []  # the review waits for every item
    case.do(ICT, "report", {"report_status": "done", "report": "فیلد اجباری شد"})
    case.do(MEMBER, "review", {"reissued": [], "review_note": "همهٔ تکالیف انجام شد"})
    case.do(SECRETARY, "publish", {"publish": "yes", "published_url": "https://shafaf.example/136"})
    assert case.status == "completed" and case.ends()[-1] == "end"
    items = case.data()["items"]
    assert [(i["unit"], i["status"]) for i in items] == [("muni-a-finance", "done"), ("muni-a-ict", "done")]
    assert case.platform.verify(case.id).ok


def test_the_chair_sends_the_resolution_back_for_correction(library: Library) -> None:
    case = registered(library)
    case.do(CHAIR, "sign", {"chair_decision": "correct", "chair_note": "مهلت بند ۲ اصلاح شود"})
    assert case.open(SECRETARY) == ["register"]
    assert case.tasks(FINANCE) == []
    case.do(SECRETARY, "register", RESOLUTION)
    case.do(CHAIR, "sign", SIGNED)
    assert case.open(FINANCE) == ["report"]
    assert [e["element_id"] for e in case.events("task_ready") if e["element_id"] == "register"] == [
        "register",
        "register",
    ]


def test_open_items_are_reissued_with_a_new_deadline_until_closed(library: Library) -> None:
    case = announced(library)
    case.do(FINANCE, "report", {"report_status": "done", "report": "انجام شد"})
    case.do(ICT, "report", {"report_status": "in_progress", "report": "در دست اجرا"})
    again = [{"unit": "muni-a-ict", "task": "اجباری شدن فیلد ردیف بودجه", "deadline": "1405/02/20"}]
    case.do(MEMBER, "review", {"reissued": again, "review_note": "بند ۲ تمدید شد"})
    assert case.open(ICT) == ["report"] and case.open(FINANCE) == []
    case.do(ICT, "report", {"report_status": "done", "report": "انجام شد"})
    case.do(CHAIR, "review", {"reissued": [], "review_note": "همهٔ بندها انجام شد"})
    case.do(SECRETARY, "publish", {"publish": "no", "publish_note": "در جلسهٔ بعد منتشر می‌شود"})
    assert case.status == "completed"
    assert case.data()["items"] == [{**again[0], "status": "done", "report": "انجام شد"}]


def test_deadlines_before_the_meeting_are_refused_in_persian_and_nothing_moves(library: Library) -> None:
    library.clock.set(MEETING)
    case = library.start(KEY, SECRETARY)
    before = case.snapshot(SECRETARY, CHAIR)
    task = case.task(SECRETARY, "register")
    early = {**RESOLUTION, "items": [{**ITEMS[0], "deadline": "1404/12/15"}]}
    with pytest.raises(ValidationError) as refused:
        case.platform.complete(task["id"], early, actor=SECRETARY)
    (detail,) = refused.value.details
    assert detail["path"] == "items" and detail["rule"] == "deadlines_after_meeting"
    assert detail["message"]["fa"] == "مهلت هر تکلیف باید بعد از تاریخ جلسه باشد"
    assert case.snapshot(SECRETARY, CHAIR) == before


def test_a_signature_without_the_letters_number_is_refused(library: Library) -> None:
    case = registered(library)
    before = case.snapshot(CHAIR, FINANCE)
    task = case.task(CHAIR, "sign")
    with pytest.raises(ValidationError) as refused:
        case.platform.complete(task["id"], {"chair_decision": "sign"}, actor=CHAIR)
    assert [d["path"] for d in refused.value.details] == ["letter_no"]
    assert refused.value.details[0]["message"]["fa"] == "نامهٔ امضاشده شماره و تاریخ می‌خواهد"
    assert case.snapshot(CHAIR, FINANCE) == before
    assert library.mail == []  # nothing was announced


def test_an_item_past_its_deadline_reminds_the_unit_then_escalates_to_the_secretariat(
    library: Library,
) -> None:
    case = announced(library)
    assert library.platform.runtime.calendar.jalali(FIRST_DUE) == "1405/01/10"
    secretariat = "committee_secretary_a@demo.nezarat.ir"
    library.platform.tick(FIRST_REMIND - dt.timedelta(seconds=1))
    assert library.mail_to("deputy_finance_a@demo.nezarat.ir")[1:] == []  # only the announcement
    library.platform.tick(FIRST_REMIND + dt.timedelta(seconds=1))
    assert case.instance()["incident"] is None, case.instance()["incident"]
    reminder = library.mail_to("deputy_finance_a@demo.nezarat.ir")[-1]
    assert reminder.rcpt_tos == ["deputy_finance_a@demo.nezarat.ir"]
    assert "۱۴۰۵/۰۱/۱۰" in reminder.body
    library.platform.tick(FIRST_DUE - dt.timedelta(seconds=1))
    assert library.mail_to(secretariat) == []
    library.platform.tick(FIRST_DUE + dt.timedelta(seconds=1))
    assert case.instance()["incident"] is None, case.instance()["incident"]
    assert [e["element_id"] for e in case.events("timer_fired")] == ["before_deadline", "after_deadline"]
    (escalation,) = library.mail_to(secretariat)
    assert escalation.message["Subject"].startswith("گذشت مهلت")
    assert "۱۴۰۵/۰۱/۱۰ ساعت ۲۳:۵۹" in escalation.body
    assert case.open(FINANCE) == ["report"]  # the timers do not stop the work
    case.do(FINANCE, "report", {"report_status": "done", "report": "با تأخیر انجام شد"})


def test_a_review_referred_to_the_absent_chair_goes_to_the_delegate(library: Library) -> None:
    case = announced(library)
    case.do(FINANCE, "report", {"report_status": "done", "report": "انجام شد"})
    case.do(ICT, "report", {"report_status": "done", "report": "انجام شد"})
    now = library.clock.now()
    library.platform.add_absence(CHAIR, delegate=SECRETARY, starts_at=now, ends_at=now + dt.timedelta(days=5))
    review = case.task(MEMBER, "review")
    library.platform.claim(review["id"], actor=MEMBER)
    library.platform.refer(review["id"], actor=MEMBER, to_user=CHAIR, note="برای تصمیم رئیس کمیته")
    assert case.open(CHAIR) == []
    held = case.task(SECRETARY, "review")
    assert held["assignee"] == SECRETARY
    assert held["referrals"][-1]["delegated_from"] == [CHAIR]
    case.do(SECRETARY, "review", {"reissued": [], "review_note": "به نیابت از رئیس کمیته"})
    assert case.open(SECRETARY) == ["publish"]
