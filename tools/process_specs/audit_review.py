"""Audit review (seed 002 §6): the council picks an audit firm, the firm reports, the governorate decides."""

from __future__ import annotations

from tools.bpmn_layout import Diagram, Flow, Node, Pool, boundary, node, service, user

MUNI, COUNCIL, FIRM, EXPERT, DG = "lane_municipality", "lane_council", "lane_firm", "lane_expert", "lane_dg"
OVERALL = {
    "sla": "P90D",
    "sla_calendar": "calendar",
    "sla_from": "start",
    "sla_escalate_to": "urban_affairs_dg",
}


def _nodes() -> list[Node]:
    audit = user(
        "audit",
        "انجام حسابرسی و ارسال گزارش به شورا",
        FIRM,
        4,
        group="audit_firm",
        form="audit_report.json",
        props={
            "unit": "${audit_firm}",
            "sla": "P45D",
            "sla_calendar": "calendar",
            "sla_reminders": "0.5,0.8",
        },
    )
    corrective = user(
        "corrective_report",
        "گزارش انجام اقدامات اصلاحی",
        MUNI,
        10,
        group="mayor",
        form="corrective_report.json",
        props={"sla": "P30D", "sla_calendar": "calendar"},
    )
    return [
        node("startEvent", "start", "صورت‌های مالی سال آماده شد", MUNI, 0),
        user("bill", "تنظیم لایحهٔ درخواست حسابرس", MUNI, 1, group="mayor", form="bill.json", props={"sla": "P10D"}),
        user("select_firm", "بررسی لایحه و انتخاب مؤسسهٔ حسابرسی", COUNCIL, 2, group="council_chair",
             form="firm_selection.json", props={"sla": "P20D", "signature": "required"}),
        service("notify_firm", "ابلاغ مصوبه به مؤسسهٔ حسابرسی", COUNCIL, 3, topic="notify.mail",
                inputs={"to": "audit_firm", "unit": "${audit_firm}", "template": "generic",
                        "subject": "انتخاب مؤسسه برای حسابرسی شهرداری"}),
        audit,
        boundary("audit_late", "۶۰ روز", audit, interrupting=False, timer=("timeDuration", "P60D")),
        service("chase_firm", "پیگیری گزارش از مؤسسه", FIRM, 5, 1, topic="notify.mail",
                inputs={"to": "audit_firm,council_secretary", "unit": "${audit_firm}", "template": "reminder",
                        "task_title": audit.name}),
        node("endEvent", "firm_chased", "پیگیری شد", FIRM, 6, 1),
        user("forward", "ارسال گزارش حسابرسی به استانداری", COUNCIL, 5, group="council_secretary",
             form="forward.json", props={"sla": "P7D"}),
        user("review", "بررسی یافته‌های حسابرسی", EXPERT, 6, group="urban_affairs_expert", form="review.json",
             props={"referral": "least_loaded", "sla": "P20D", "sla_reminders": "0.5,0.8"}),
        user("dg_decide", "تأیید نتیجهٔ بررسی", DG, 7, group="urban_affairs_dg", form="dg_decision.json",
             props={**OVERALL, "signature": "required"}),
        node("exclusiveGateway", "gw_dg", "تأیید شد؟", DG, 8, default="f_dg_back"),
        node("exclusiveGateway", "gw_outcome", "اقدام اصلاحی لازم است؟", EXPERT, 9, default="f_accepted"),
        service("notify_corrective", "ابلاغ اقدامات اصلاحی به شهرداری", MUNI, 9, 1, topic="notify.mail",
                inputs={"to": "mayor", "template": "generic", "subject": "اقدامات اصلاحی حسابرسی"}),
        corrective,
        boundary("corrective_late", "۳۰ روز", corrective, interrupting=False, timer=("timeDuration", "P30D")),
        service("chase_municipality", "یادآوری به شهرداری", MUNI, 11, 1, topic="notify.mail",
                inputs={"to": "mayor", "template": "reminder", "task_title": corrective.name}),
        node("endEvent", "municipality_chased", "یادآوری شد", MUNI, 12, 1),
        user("assess", "ارزیابی اقدامات اصلاحی", EXPERT, 11, group="urban_affairs_expert", form="assessment.json",
             props={"sla": "P10D"}),
        node("exclusiveGateway", "gw_adequate", "اقدامات کافی است؟", EXPERT, 12, default="f_inadequate"),
        service("notify_result", "ابلاغ نتیجه به شورا و شهرداری", EXPERT, 13, topic="notify.mail",
                inputs={"to": "council_secretary,mayor", "template": "generic", "subject": "نتیجهٔ بررسی گزارش حسابرسی"}),
        node("endEvent", "end", "ادامهٔ فعالیت مجاز است", EXPERT, 14),
    ]  # fmt: skip


def _flows() -> list[Flow]:
    return [
        Flow("f1", "start", "bill"),
        Flow("f2", "bill", "select_firm"),
        Flow("f3", "select_firm", "notify_firm"),
        Flow("f4", "notify_firm", "audit"),
        Flow("f_audit_late", "audit_late", "chase_firm"),
        Flow("f_chased", "chase_firm", "firm_chased"),
        Flow("f5", "audit", "forward"),
        Flow("f6", "forward", "review"),
        Flow("f7", "review", "dg_decide"),
        Flow("f8", "dg_decide", "gw_dg"),
        Flow("f_dg_ok", "gw_dg", "gw_outcome", "تأیید", "dg_decision == 'confirm'"),
        Flow("f_dg_back", "gw_dg", "review", "بررسی دوباره"),
        Flow(
            "f_corrective",
            "gw_outcome",
            "notify_corrective",
            "اقدام اصلاحی",
            "review_decision == 'corrective'",
        ),
        Flow("f_accepted", "gw_outcome", "notify_result", "پذیرفته شد"),
        Flow("f9", "notify_corrective", "corrective_report"),
        Flow("f_corrective_late", "corrective_late", "chase_municipality"),
        Flow("f_municipality_chased", "chase_municipality", "municipality_chased"),
        Flow("f10", "corrective_report", "assess"),
        Flow("f11", "assess", "gw_adequate"),
        Flow("f_adequate", "gw_adequate", "notify_result", "کافی است", "corrective_ok == 'yes'"),
        Flow("f_inadequate", "gw_adequate", "corrective_report", "ناکافی"),
        Flow("f12", "notify_result", "end"),
    ]


def diagram() -> Diagram:
    lanes = [
        (MUNI, "شهرداری (شهردار)"),
        (COUNCIL, "شورای اسلامی شهر"),
        (FIRM, "مؤسسهٔ حسابرسی (عضو جامعهٔ حسابداران رسمی)"),
        (EXPERT, "کارشناس امور شهری استانداری"),
        (DG, "مدیرکل دفتر امور شهری و شوراها"),
    ]
    pool = Pool(
        "audit_review",
        "بررسی گزارش حسابرسی شهرداری‌ها و سازمان‌های وابسته",
        "استانداری — بررسی گزارش حسابرسی شهرداری‌ها",
        lanes,
        _nodes(),
        _flows(),
    )
    return Diagram("audit_review", [pool])
