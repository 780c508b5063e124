"""Resolution follow-up (seed 003): a committee resolution's items go to several units, each with a deadline.

One report task per assigned unit runs in parallel (a multi-instance sub-process over ``items``); each
is reminded two days before its deadline and escalated to the committee's secretariat after it.
"""

from __future__ import annotations

from tools.bpmn_layout import Diagram, Flow, Node, Pool, boundary, node, service, user

SEC, CHAIR, UNITS, COMMITTEE = "lane_secretariat", "lane_chair", "lane_units", "lane_committee"
SUB = "per_item"

# Only texts stay in the case data (a date object cannot be stored), hence no temporary variable.
DEADLINES = """due_at = from_jalali(item['deadline']).isoformat() + 'T23:59:00+03:30'
remind_at = (from_jalali(item['deadline']) - timedelta(days=2)).isoformat() + 'T09:00:00+03:30'"""
FOLD = "item = dict(item, status=report_status, report=report)"


def _in(n: Node) -> Node:
    n.parent = SUB
    return n


def _item() -> list[Node]:
    report = _in(
        user(
            "report",
            "گزارش اقدامات انجام‌شده",
            UNITS,
            7,
            group="municipal_deputy",
            form="report.json",
            props={"unit": "${item.unit}"},
        )
    )
    report.attrs["camunda:dueDate"] = "${due_at}"  # the item's own deadline, not a fixed SLA
    return [
        _in(node("startEvent", "i_start", "تکلیف ابلاغ شد", UNITS, 5)),
        _in(node("scriptTask", "deadlines", "محاسبهٔ مهلت و یادآوری", UNITS, 6, script=DEADLINES)),
        report,
        _in(boundary("before_deadline", "دو روز مانده", report, interrupting=False, at=0.25,
                     timer=("timeDate", "remind_at"))),
        _in(boundary("after_deadline", "مهلت گذشت", report, interrupting=False, at=0.8,
                     timer=("timeDate", "due_at"))),
        _in(service("remind_unit", "یادآوری به واحد", UNITS, 6, 1, topic="notify.mail",
                    inputs={"to": "municipal_deputy", "template": "reminder", "unit": "${item.unit}",
                            "task_title": report.name})),
        _in(node("endEvent", "reminded", "یادآوری شد", UNITS, 5, 1)),
        _in(service("escalate", "گزارش تأخیر به دبیرخانهٔ کمیته", UNITS, 8, 1, topic="notify.mail",
                    inputs={"to": "committee_secretary", "template": "escalation", "task_title": report.name,
                            "escalate_to": "committee_secretary"})),
        _in(node("endEvent", "escalated", "تأخیر گزارش شد", UNITS, 9, 1)),
        _in(node("scriptTask", "fold", "ثبت وضعیت تکلیف", UNITS, 8, script=FOLD)),
        _in(node("endEvent", "i_end", "گزارش رسید", UNITS, 9)),
    ]  # fmt: skip


def _nodes() -> list[Node]:
    return [
        node("startEvent", "start", "جلسهٔ کمیته برگزار شد", SEC, 0),
        user("register", "ثبت مصوبه و تکالیف واحدها", SEC, 1, group="committee_secretary", form="register.json",
             props={"sla": "P2D"}),
        user("sign", "امضای نامهٔ ابلاغ مصوبه", CHAIR, 2, group="committee_chair", form="sign.json",
             props={"sla": "P2D", "signature": "required"}),
        node("exclusiveGateway", "gw_signed", "امضا شد؟", CHAIR, 3, default="f_correct"),
        service("announce", "ابلاغ مصوبه به واحدهای مسئول", SEC, 4, topic="notify.mail",
                inputs={"to": "municipal_deputy", "template": "generic", "subject": "ابلاغ مصوبهٔ کمیتهٔ شفافیت"}),
        node("subProcess", SUB, "پیگیری هر تکلیف (موازی، یکی برای هر واحد)", UNITS, 7, mi=("items", "item"),
             anchor_row=0),
        *_item(),
        user("review", "بررسی گزارش‌ها و تصمیم کمیته", COMMITTEE, 10.5, group="transparency_committee",
             form="review.json", props={"sla": "P7D"}),
        node("exclusiveGateway", "gw_reissue", "تکلیفی باز ماند؟", COMMITTEE, 11.5, default="f_closed"),
        node("scriptTask", "reissue", "صدور دوبارهٔ تکالیف با مهلت جدید", COMMITTEE, 11.5, 1,
             script="items = reissued"),
        user("publish", "انتشار وضعیت مصوبه", SEC, 12.5, group="committee_secretary", form="publish.json",
             props={"sla": "P3D"}),
        node("endEvent", "end", "مصوبه بسته شد", SEC, 13.5),
    ]  # fmt: skip


def _flows() -> list[Flow]:
    return [
        Flow("f1", "start", "register"),
        Flow("f2", "register", "sign"),
        Flow("f3", "sign", "gw_signed"),
        Flow("f_signed", "gw_signed", "announce", "امضا شد", "chair_decision == 'sign'"),
        Flow("f_correct", "gw_signed", "register", "اصلاح"),
        Flow("f4", "announce", SUB),
        Flow("i1", "i_start", "deadlines"),
        Flow("i2", "deadlines", "report"),
        Flow("i3", "report", "fold"),
        Flow("i4", "fold", "i_end"),
        Flow("i_remind", "before_deadline", "remind_unit"),
        Flow("i_reminded", "remind_unit", "reminded"),
        Flow("i_late", "after_deadline", "escalate"),
        Flow("i_escalated", "escalate", "escalated"),
        Flow("f5", SUB, "review"),
        Flow("f6", "review", "gw_reissue"),
        Flow("f_open", "gw_reissue", "reissue", "دوباره ابلاغ شود", "len(reissued) > 0"),
        Flow("f_again", "reissue", "announce"),
        Flow("f_closed", "gw_reissue", "publish", "همه بسته شد"),
        Flow("f7", "publish", "end"),
    ]


def diagram() -> Diagram:
    lanes = [
        (SEC, "دبیرخانهٔ کمیتهٔ شفافیت و شهر هوشمند"),
        (CHAIR, "رئیس کمیته"),
        (UNITS, "معاونت‌ها و سازمان‌های مسئول"),
        (COMMITTEE, "کمیتهٔ شفافیت و شهر هوشمند شورای شهر", 2),
    ]
    pool = Pool(
        "resolution_follow_up",
        "پیگیری مصوبات",
        "شورای اسلامی شهر — پیگیری مصوبات کمیتهٔ شفافیت و شهر هوشمند",
        lanes,
        _nodes(),
        _flows(),
    )
    return Diagram("resolution_follow_up", [pool])
