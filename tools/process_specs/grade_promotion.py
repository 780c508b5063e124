"""Grade promotion (seed 002 §8): a municipality asks to be promoted; the Ministry of Interior approves."""

from __future__ import annotations

from tools.bpmn_layout import Diagram, Flow, Node, Pool, boundary, node, service, user

MUNI, EXPERT, DG, NATIONAL, MINISTRY = (
    "lane_municipality",
    "lane_expert",
    "lane_dg",
    "lane_national",
    "lane_moi",
)
OVERALL = {
    "sla": "P90D",
    "sla_calendar": "calendar",
    "sla_from": "start",
    "sla_escalate_to": "urban_affairs_dg",
}


def _nodes() -> list[Node]:
    docs = service(
        "require_docs",
        "کنترل کامل بودن مدارک",
        MUNI,
        2,
        topic="documents.require",
        inputs={"required": "grading_forms,council_minutes"},
    )
    national = user(
        "national_review",
        "بررسی و تأیید درجه در سازمان شهرداری‌ها",
        NATIONAL,
        7,
        group="national_org",
        form="national_review.json",
        props={"sla": "P30D", "sla_reminders": "0.5,0.8"},
    )
    return [
        node("startEvent", "start", "شهرداری متقاضی ارتقاست", MUNI, 0),
        user("request", "ثبت درخواست ارتقای درجه", MUNI, 1, group="mayor", form="request.json",
             props={"sla": "P10D"}, doc="درخواست در سامانهٔ طبقه‌بندی و درجه‌بندی شهرداری‌ها هم ثبت می‌شود."),
        docs,
        boundary("docs_missing", "مدارک ناقص", docs, error="check_failed"),
        user("complete_docs", "تکمیل مدارک", MUNI, 3, 1, group="mayor", form="complete_docs.json",
             props={"sla": "P10D"}),
        user("expert_check", "بررسی مدارک و شاخص‌ها", EXPERT, 3, group="urban_affairs_expert", form="expert_check.json",
             props={"referral": "least_loaded", "sla": "P15D", "sla_reminders": "0.5,0.8"}),
        node("exclusiveGateway", "gw_docs", "مدارک کامل است؟", EXPERT, 4, default="f_docs_back"),
        user("dg_send", "ارسال مدارک به سازمان شهرداری‌ها", DG, 5, group="urban_affairs_dg", form="dg_send.json",
             props={"sla": "P5D", "signature": "required"}),
        service("send_letter", "تهیهٔ نامهٔ ارسال", DG, 6, topic="documents.letter",
                inputs={"template": "notice", "to": "سازمان شهرداری‌ها و دهیاری‌های کشور",
                        "subject": "درخواست ارتقای درجهٔ شهرداری از درجهٔ ${current_grade} به درجهٔ ${requested_grade}"}),
        national,
        boundary("national_late", "۴۵ روز", national, interrupting=False, timer=("timeDuration", "P45D")),
        service("remind_national", "پیگیری از سازمان شهرداری‌ها", NATIONAL, 8, 1, topic="notify.mail",
                inputs={"to": "national_org", "template": "reminder", "task_title": national.name}),
        node("endEvent", "national_reminded", "پیگیری شد", NATIONAL, 9, 1),
        node("exclusiveGateway", "gw_national", "نظر سازمان", NATIONAL, 8, default="f_national_reject"),
        user("minister_approval", "تأیید و ابلاغ درجهٔ جدید از سوی وزیر کشور", MINISTRY, 9, group="interior_ministry",
             form="minister_approval.json", props={"unit": "moi", **OVERALL, "signature": "required"}),
        user("communicate", "ابلاغ درجهٔ جدید به شهرداری", EXPERT, 10, group="urban_affairs_expert",
             form="communicate.json", props=dict(OVERALL)),
        service("notify_mayor", "اطلاع به شهردار و شورا", MUNI, 11, topic="notify.mail",
                inputs={"to": "mayor,council_secretary", "template": "generic", "subject": "ابلاغ درجهٔ جدید شهرداری"}),
        node("endEvent", "promoted", "درجهٔ جدید ابلاغ شد", MUNI, 12),
        service("notify_rejection", "اعلام عدم تأیید به شهرداری", EXPERT, 9, 1, topic="notify.mail",
                inputs={"to": "mayor", "template": "generic", "subject": "عدم تأیید ارتقای درجه"}),
        node("endEvent", "not_promoted", "ارتقا تأیید نشد", EXPERT, 10, 1),
    ]  # fmt: skip


def _flows() -> list[Flow]:
    return [
        Flow("f1", "start", "request"),
        Flow("f2", "request", "require_docs"),
        Flow("f_docs_missing", "docs_missing", "complete_docs"),
        Flow("f_completed", "complete_docs", "require_docs"),
        Flow("f3", "require_docs", "expert_check"),
        Flow("f4", "expert_check", "gw_docs"),
        Flow("f_docs_ok", "gw_docs", "dg_send", "کامل", "docs_ok == 'yes'"),
        Flow("f_docs_back", "gw_docs", "complete_docs", "نقص دارد"),
        Flow("f5", "dg_send", "send_letter"),
        Flow("f6", "send_letter", "national_review"),
        Flow("f_national_late", "national_late", "remind_national"),
        Flow("f_reminded", "remind_national", "national_reminded"),
        Flow("f7", "national_review", "gw_national"),
        Flow("f_national_ok", "gw_national", "minister_approval", "تأیید", "national_decision == 'approve'"),
        Flow(
            "f_national_return",
            "gw_national",
            "expert_check",
            "نیاز به اصلاح",
            "national_decision == 'return'",
        ),
        Flow("f_national_reject", "gw_national", "notify_rejection", "رد"),
        Flow("f8", "minister_approval", "communicate"),
        Flow("f9", "communicate", "notify_mayor"),
        Flow("f10", "notify_mayor", "promoted"),
        Flow("f_rejected", "notify_rejection", "not_promoted"),
    ]


def diagram() -> Diagram:
    lanes = [
        (MUNI, "شهرداری (شهردار)"),
        (EXPERT, "کارشناس امور شهری استانداری"),
        (DG, "مدیرکل دفتر امور شهری و شوراها"),
        (NATIONAL, "سازمان شهرداری‌ها و دهیاری‌های کشور"),
        (MINISTRY, "وزارت کشور"),
    ]
    pool = Pool(
        "grade_promotion",
        "درجه‌بندی شهرداری‌ها (تعیین درجه و ارتقا)",
        "استانداری — درجه‌بندی شهرداری‌ها",
        lanes,
        _nodes(),
        _flows(),
    )
    return Diagram("grade_promotion", [pool])
