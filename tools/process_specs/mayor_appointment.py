"""Mayor appointment (seed 002 §3): the council's nominee, the eligibility check, parallel inquiries, the decree."""

from __future__ import annotations

from tools.bpmn_layout import Diagram, Flow, Node, Pool, boundary, node, service, user

COUNCIL, EXPERT, INQUIRY, DG, GOVERNOR = (
    "lane_council",
    "lane_expert",
    "lane_inquiry",
    "lane_dg",
    "lane_governor",
)
REQUIRED = "council_minutes,nominee_cv,nominee_id_card,nominee_degree"
NOMINEE = """nominee = {
    'name': nominee_name,
    'national_id': national_id,
    'birth_date': birth_date,
    'education': education,
    'field_of_study': field_of_study,
    'experience_years': experience_years,
}"""
INQUIRY_SLA = {"sla": "P15D", "sla_reminders": "0.5,0.8", "sla_escalate_to": "urban_affairs_expert"}


def _nodes() -> list[Node]:
    docs = service(
        "require_docs",
        "کنترل کامل بودن مدارک",
        COUNCIL,
        3,
        topic="documents.require",
        inputs={"required": REQUIRED},
    )
    eligibility = service(
        "eligibility",
        "بررسی سامانه‌ای شرایط احراز",
        EXPERT,
        4,
        topic="mayor.check_eligibility",
        doc="سن، مدرک تحصیلی و سابقهٔ مدیریتی نامزد در برابر ابلاغیهٔ شرایط احراز سمت شهردار.",
    )
    return [
        node("startEvent", "start", "شورا شهردار را برگزید", COUNCIL, 0),
        user("propose", "ارسال پیشنهاد شهردار و مدارک", COUNCIL, 1, group="council_secretary",
             form="proposal.json", props={"sla": "P5D"}),
        node("scriptTask", "assemble", "تشکیل پروندهٔ نامزد", COUNCIL, 2, script=NOMINEE),
        docs,
        boundary("docs_missing", "مدارک ناقص", docs, error="check_failed"),
        user("complete_docs", "تکمیل مدارک", COUNCIL, 2, 1, group="council_secretary", form="complete_docs.json",
             props={"sla": "P5D"}),
        eligibility,
        boundary("not_eligible", "فاقد شرایط", eligibility, error="check_failed"),
        user("expert_review", "بررسی فرم معرفی‌نامه و شرایط احراز", EXPERT, 5, group="urban_affairs_expert",
             form="expert_review.json", props={"referral": "round_robin", "sla": "P5D"}),
        node("exclusiveGateway", "gw_form", "پرونده کامل است؟", EXPERT, 6, default="f_form_back"),
        node("parallelGateway", "fork", "استعلام هم‌زمان", EXPERT, 7),
        user("inquiry_intel", "پاسخ استعلام ادارهٔ کل اطلاعات", INQUIRY, 8, 0, group="inquiry_intelligence",
             form="inquiry_intelligence.json", props={"unit": "intel-ostan", **INQUIRY_SLA}),
        user("inquiry_judiciary", "گواهی عدم سوءپیشینه از دادگستری", INQUIRY, 8, 1, group="inquiry_judiciary",
             form="inquiry_judiciary.json", props={"unit": "judiciary-ostan", **INQUIRY_SLA}),
        user("inquiry_selection", "نظر هستهٔ گزینش", INQUIRY, 8, 2, group="selection_core",
             form="inquiry_selection.json", props=dict(INQUIRY_SLA)),
        node("parallelGateway", "join", "همهٔ پاسخ‌ها رسید", EXPERT, 9),
        user("summarize", "جمع‌بندی استعلامات", EXPERT, 10, group="urban_affairs_expert", form="summary.json",
             props={"sla": "P3D"}),
        node("exclusiveGateway", "gw_clear", "استعلامات مثبت است؟", EXPERT, 11, default="f_not_clear"),
        user("dg_review", "بررسی و پیشنهاد صدور حکم", DG, 12, group="urban_affairs_dg", form="dg_review.json",
             props={"sla": "P3D"}),
        node("exclusiveGateway", "gw_dg", "پیشنهاد صدور حکم؟", DG, 13, default="f_dg_reject"),
        user("decree", "صدور حکم شهردار", GOVERNOR, 14, group="governor", form="decree.json",
             props={"sla": "P5D", "signature": "required"}),
        service("decree_letter", "تهیهٔ متن حکم", GOVERNOR, 15, topic="documents.letter",
                inputs={"template": "decree", "to": "شورای اسلامی شهر"}),
        service("notify_council", "ابلاغ حکم به شورا و شهردار", COUNCIL, 16, topic="notify.mail",
                inputs={"to": "council_secretary,mayor", "template": "generic", "subject": "ابلاغ حکم شهردار"}),
        node("endEvent", "appointed", "حکم شهردار ابلاغ شد", COUNCIL, 17),
        service("refusal_letter", "تهیهٔ نامهٔ عدم تأیید", EXPERT, 12, 1, topic="documents.letter",
                inputs={"template": "notice", "to": "شورای اسلامی شهر",
                        "subject": "عدم تأیید نامزد پیشنهادی شهرداری (${nominee_name})"}),
        service("notify_refusal", "اعلام عدم تأیید به شورا", EXPERT, 13, 1, topic="notify.mail",
                inputs={"to": "council_secretary", "template": "generic", "subject": "عدم تأیید نامزد شهرداری"}),
        node("endEvent", "refused", "نامزد تأیید نشد", EXPERT, 14, 1),
    ]  # fmt: skip


def _flows() -> list[Flow]:
    return [
        Flow("f1", "start", "propose"),
        Flow("f2", "propose", "assemble"),
        Flow("f3", "assemble", "require_docs"),
        Flow("f_docs_missing", "docs_missing", "complete_docs"),
        Flow("f_completed", "complete_docs", "assemble"),
        Flow("f4", "require_docs", "eligibility"),
        Flow("f_not_eligible", "not_eligible", "refusal_letter"),
        Flow("f5", "eligibility", "expert_review"),
        Flow("f6", "expert_review", "gw_form"),
        Flow("f_form_ok", "gw_form", "fork", "کامل", "form_ok == 'yes'"),
        Flow("f_form_back", "gw_form", "complete_docs", "نقص دارد"),
        Flow("f_intel", "fork", "inquiry_intel"),
        Flow("f_judiciary", "fork", "inquiry_judiciary"),
        Flow("f_selection", "fork", "inquiry_selection"),
        Flow("f_intel_done", "inquiry_intel", "join"),
        Flow("f_judiciary_done", "inquiry_judiciary", "join"),
        Flow("f_selection_done", "inquiry_selection", "join"),
        Flow("f7", "join", "summarize"),
        Flow("f8", "summarize", "gw_clear"),
        Flow("f_clear", "gw_clear", "dg_review", "مثبت", "inquiries_clear == 'yes'"),
        Flow("f_not_clear", "gw_clear", "refusal_letter", "منفی"),
        Flow("f9", "dg_review", "gw_dg"),
        Flow("f_dg_ok", "gw_dg", "decree", "پیشنهاد شد", "dg_decision == 'propose'"),
        Flow("f_dg_reject", "gw_dg", "refusal_letter", "رد"),
        Flow("f10", "decree", "decree_letter"),
        Flow("f11", "decree_letter", "notify_council"),
        Flow("f12", "notify_council", "appointed"),
        Flow("f_refusal", "refusal_letter", "notify_refusal"),
        Flow("f_refused", "notify_refusal", "refused"),
    ]


def diagram() -> Diagram:
    lanes = [
        (COUNCIL, "شورای اسلامی شهر"),
        (EXPERT, "کارشناس امور شهری استانداری"),
        (INQUIRY, "مراجع استعلام"),
        (DG, "مدیرکل دفتر امور شهری و شوراها"),
        (GOVERNOR, "استاندار"),
    ]
    pool = Pool(
        "mayor_appointment",
        "انتصاب شهرداران",
        "استانداری — دفتر امور شهری و شوراها: انتصاب شهرداران",
        lanes,
        _nodes(),
        _flows(),
    )
    return Diagram("mayor_appointment", [pool])
