"""audit_review end to end: the municipality asks for an auditor, the council picks a firm (told by
mail), the firm reports, the council forwards, the governorate reviews; corrective actions loop until
sufficient, the director general may send a review back; the firm is chased after 60 days; the
director general's 90 days from the start run across Nowruz and escalate; an absent expert's review goes
to the delegate."""

from __future__ import annotations

import datetime as dt

import pytest

from engine.errors import ValidationError
from tests.scenarios.conftest import Case, Library, tehran

KEY = "audit_review"
BILL = {
    "audited_year": 1403,
    "bill_no": "ل/۴۵",
    "bill_date": "1404/10/15",
    "scope": "شهرداری و سازمان آتش‌نشانی",
}
FIRM = {"audit_firm": "audit-firm", "resolution_no": "۷۷", "resolution_date": "1404/10/20"}
FORWARD = {"transmittal_no": "ش/۹۹", "transmittal_date": "1404/11/10"}
FINDINGS = [{"title": "عدم ثبت دارایی‌های ثابت", "severity": "high", "amount": 5_000_000_000}]
ACTIONS = [{"action": "ثبت دارایی‌ها در سامانهٔ اموال", "owner": "معاونت مالی", "deadline": "1405/04/01"}]
# Started on Monday 15 Dey 1404, 09:00 Tehran: the director general's 90 calendar days end on Sunday
# 16 Farvardin 1405, 09:00, after Nowruz.
STARTED_AT = tehran("2026-01-05 09:00")
DG_DUE = tehran("2026-04-05 09:00")


def at_the_firm(library: Library) -> Case:
    library.clock.set(STARTED_AT)
    case = library.start(KEY, "mayor_a")
    case.do("mayor_a", "bill", BILL)
    case.do("council_chair_a", "select_firm", FIRM)
    return case


def reviewer(case: Case) -> str:
    (held,) = [
        t["assignee"] for u in ("expert_1", "expert_2") for t in case.tasks(u) if t["element_id"] == "review"
    ]
    return str(held)


def at_the_review(library: Library, opinion: str = "unqualified") -> Case:
    case = at_the_firm(library)
    report = {"audit_opinion": opinion, "report_file": library.upload("audit-report.pdf")}
    if opinion != "unqualified":
        report["findings"] = FINDINGS
    case.do("auditor_1", "audit", report)
    case.do("council_a", "forward", FORWARD)
    return case


def test_an_unqualified_report_is_accepted_and_the_case_closes(library: Library) -> None:
    case = at_the_firm(library)
    (told,) = library.mail
    assert told.rcpt_tos == ["auditor_1@demo.nezarat.ir"]  # the chosen firm only, not audit-firm-b
    assert told.message["Subject"] == "انتخاب مؤسسه برای حسابرسی شهرداری"
    assert case.open("auditor_1") == ["audit"] and case.open("auditor_2") == []
    case.do("auditor_1", "audit", {"audit_opinion": "unqualified", "report_file": library.upload()})
    case.do("council_a", "forward", FORWARD)
    (assigned,) = case.events("assigned", "review")
    assert assigned["data"]["policy"] == "least_loaded"
    case.do(reviewer(case), "review", {"review_decision": "accept", "review_note": "گزارش مقبول است"})
    case.do("dg_urban", "dg_decide", {"dg_decision": "confirm"})
    assert case.status == "completed" and case.ends() == ["end"]
    assert case.platform.verify(case.id).ok


def test_the_result_is_mailed_to_this_municipalitys_mayor_and_council_only(library: Library) -> None:
    case = at_the_review(library)
    case.do(reviewer(case), "review", {"review_decision": "accept", "review_note": "گزارش مقبول است"})
    case.do("dg_urban", "dg_decide", {"dg_decision": "confirm"})
    (result,) = [m for m in library.mail if m.message["Subject"] == "نتیجهٔ بررسی گزارش حسابرسی"]
    assert sorted(result.rcpt_tos) == ["council_a@demo.nezarat.ir", "mayor_a@demo.nezarat.ir"]


def test_corrective_actions_loop_through_a_return_and_an_insufficient_report(library: Library) -> None:
    case = at_the_review(library, opinion="qualified")
    expert = reviewer(case)
    case.do(
        expert,
        "review",
        {"review_decision": "corrective", "review_note": "بند ۱", "corrective_actions": ACTIONS},
    )
    case.do("dg_urban", "dg_decide", {"dg_decision": "return", "dg_note": "مهلت اقدام کوتاه است"})
    assert case.open("dg_urban") == []
    later = [{**ACTIONS[0], "deadline": "1405/05/01"}]
    case.do(
        reviewer(case),
        "review",
        {"review_decision": "corrective", "review_note": "مهلت اصلاح شد", "corrective_actions": later},
    )
    case.do("dg_urban", "dg_decide", {"dg_decision": "confirm"})
    assert case.open("mayor_a") == ["corrective_report"] and case.open("mayor_b") == []
    case.do("mayor_a", "corrective_report", {"corrective_summary": "نیمی از دارایی‌ها ثبت شد"})
    assessor = next(u for u in ("expert_1", "expert_2") if case.open(u))
    case.do(assessor, "assess", {"corrective_ok": "no", "assessment_note": "بقیهٔ دارایی‌ها ثبت شود"})
    case.do(
        "mayor_a",
        "corrective_report",
        {"corrective_summary": "همه ثبت شد", "evidence_file": library.upload()},
    )
    case.do(assessor, "assess", {"corrective_ok": "yes"})
    assert case.status == "completed"
    data = case.data()
    assert data["corrective_actions"] == later and data["corrective_ok"] == "yes"
    assert [e["data"]["to"] for e in case.events("gateway_taken", "gw_adequate")] == [
        ["corrective_report"],
        ["notify_result"],
    ]
    assert case.platform.verify(case.id).ok


def test_a_modified_opinion_without_findings_or_a_stored_report_is_refused(library: Library) -> None:
    case = at_the_firm(library)
    before = case.snapshot("auditor_1", "council_a")
    task = case.task("auditor_1", "audit")
    unknown = "sha256:" + "0" * 64  # a well-formed ref of a file that was never uploaded
    with pytest.raises(ValidationError) as refused:
        case.platform.complete(
            task["id"], {"audit_opinion": "adverse", "report_file": unknown}, actor="auditor_1"
        )
    assert [d["path"] for d in refused.value.details] == ["report_file"]
    with pytest.raises(ValidationError) as refused:
        case.platform.complete(
            task["id"], {"audit_opinion": "adverse", "report_file": library.upload()}, actor="auditor_1"
        )
    (detail,) = refused.value.details
    assert (detail["path"], detail["rule"]) == ("findings", "findings_for_modified_opinion")
    assert detail["message"]["fa"] == "برای اظهارنظر غیرمقبول، بندهای گزارش را وارد کنید"
    assert case.snapshot("auditor_1", "council_a") == before


def test_a_return_without_a_reason_is_refused(library: Library) -> None:
    case = at_the_review(library)
    case.do(reviewer(case), "review", {"review_decision": "accept", "review_note": "مقبول"})
    before = case.snapshot("dg_urban")
    with pytest.raises(ValidationError) as refused:
        case.platform.complete(
            case.task("dg_urban", "dg_decide")["id"], {"dg_decision": "return"}, actor="dg_urban"
        )
    assert [d["path"] for d in refused.value.details] == ["dg_note"]
    assert case.snapshot("dg_urban") == before


def test_a_firm_silent_for_60_days_is_chased_by_mail_and_keeps_the_task(library: Library) -> None:
    case = at_the_firm(library)
    ready = dt.datetime.fromisoformat(case.events("task_ready", "audit")[0]["at"])
    library.platform.tick(ready + dt.timedelta(days=60) - dt.timedelta(seconds=1))
    assert case.events("timer_fired") == []
    library.platform.tick(ready + dt.timedelta(days=60, seconds=1))
    assert case.instance()["incident"] is None, case.instance()["incident"]
    assert [e["element_id"] for e in case.events("timer_fired")] == ["audit_late"]
    chase = library.mail_to("auditor_1@demo.nezarat.ir")[-1]
    assert chase.message["Subject"].startswith("یادآوری مهلت")
    assert case.open("auditor_1") == ["audit"]


def test_the_director_generals_90_days_from_the_start_escalate_across_nowruz(library: Library) -> None:
    case = at_the_review(library)
    case.do(reviewer(case), "review", {"review_decision": "accept", "review_note": "مقبول"})
    task = case.task("dg_urban", "dg_decide")
    assert dt.datetime.fromisoformat(task["due_at"]) == DG_DUE
    assert library.platform.runtime.calendar.jalali(DG_DUE) == "1405/01/16"
    library.platform.tick(DG_DUE - dt.timedelta(seconds=1))
    assert case.events("escalated") == []
    library.platform.tick(DG_DUE + dt.timedelta(seconds=1))
    (escalated,) = case.events("escalated", "dg_decide")
    assert escalated["data"]["escalate_to"] == "urban_affairs_dg"
    assert "notice_failed" not in escalated["data"], escalated["data"].get("notice_failed")
    (mail,) = library.mail_to("dg_urban@demo.nezarat.ir")
    assert mail.message["Subject"] == "گذشت مهلت: تأیید نتیجهٔ بررسی"
    assert "۱۴۰۵/۰۱/۱۶ ساعت ۰۹:۰۰" in mail.body


def test_with_both_experts_away_the_review_goes_to_their_delegate(library: Library) -> None:
    case = at_the_firm(library)
    now = library.clock.now()
    for expert in ("expert_1", "expert_2"):
        library.platform.add_absence(
            expert, delegate="dg_urban", starts_at=now, ends_at=now + dt.timedelta(days=30)
        )
    case.do("auditor_1", "audit", {"audit_opinion": "unqualified", "report_file": library.upload()})
    case.do("council_a", "forward", FORWARD)
    (assigned,) = case.events("assigned", "review")
    assert assigned["data"]["to"] == "dg_urban" and assigned["data"]["delegated_from"] == ["expert_1"]
    assert case.open("expert_1") == [] and case.open("expert_2") == []
    case.do("dg_urban", "review", {"review_decision": "accept", "review_note": "به نیابت"})
    assert case.open("dg_urban") == ["dg_decide"]
