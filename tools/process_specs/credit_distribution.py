"""Credit distribution (seed 002 §14): a municipality's credit request, from the approved budget to its settlement.

Step 1 of the seed, registering the approved budget, calls ``budget_registration`` (bundle
budget_oversight) when the municipality's approved budget is not in the ledger yet.
"""

from __future__ import annotations

from tools.bpmn_layout import Diagram, Flow, Node, Pool, boundary, node, service, user

MUNI, EXPERT, DG, NATIONAL = "lane_municipality", "lane_expert", "lane_dg", "lane_national"

ASSEMBLE = """budget = {
    'fiscal_year': fiscal_year,
    'unit': unit,
    'circular': str(fiscal_year),
    'resources': resources,
    'uses': uses,
}"""


def _nodes() -> list[Node]:
    register = node(
        "callActivity",
        "register_budget",
        "ثبت بودجهٔ مصوب (فرایند مشترک)",
        MUNI,
        4,
        1,
        called="budget_registration",
    )
    check = service(
        "check_credit",
        "بررسی سامانه‌ای ردیف و مانده اعتبار",
        EXPERT,
        6,
        topic="credit.check_available",
        doc="پروژه در بودجهٔ مصوب هست و ردیف آن به اندازهٔ درخواست مانده دارد.",
    )
    revise = user(
        "revise_request",
        "اصلاح درخواست اعتبار",
        MUNI,
        7,
        0,
        group="budget_officer",
        form="revise_request.json",
        props={"sla": "P10D"},
    )
    national = user(
        "national_decide",
        "بررسی پیشنهاد و واریز اعتبار",
        NATIONAL,
        10,
        group="national_org",
        form="national_decision.json",
        props={"sla": "P20D", "sla_reminders": "0.5,0.8"},
    )
    reserve = service("reserve", "تعهد اعتبار روی ردیف", EXPERT, 12, topic="credit.reserve")
    payment = service(
        "record_payment",
        "ثبت پرداخت روی ردیف بودجه",
        MUNI,
        15,
        topic="credit.record_payment",
        inputs={"amount": "${payment_amount}"},
    )
    return [
        node("startEvent", "start", "نیاز به اعتبار پروژه", MUNI, 0),
        user("request", "ثبت درخواست اعتبار", MUNI, 1, group="budget_officer", form="request.json",
             props={"sla": "P10D"}),
        node("exclusiveGateway", "gw_registered", "بودجهٔ مصوب ثبت شده؟", MUNI, 2, default="f_registered"),
        node("exclusiveGateway", "gw_ready", None, MUNI, 5),
        user("enter_budget", "ثبت بودجهٔ مصوب در سامانه", MUNI, 2, 1, group="budget_officer",
             form="approved_budget.json", props={"sla": "P10D"}),
        node("scriptTask", "assemble", "تشکیل پروندهٔ بودجه", MUNI, 3, 1, script=ASSEMBLE),
        register,
        boundary("register_failed", "مغایر ضوابط", register, error="check_failed"),
        check,
        boundary("credit_missing", "ردیف یا مانده نیست", check, error="check_failed"),
        revise,
        boundary("revise_expired", "۱۰ روز", revise, timer=("timeDuration", "P10D")),
        node("endEvent", "lapsed", "درخواست منقضی شد", MUNI, 8, 1),
        user("expert_review", "بررسی درخواست اعتبار", EXPERT, 7, group="urban_affairs_expert",
             form="expert_review.json", props={"referral": "least_loaded", "sla": "P7D",
             "sla_reminders": "0.5,0.8", "sla_escalate_to": "urban_affairs_dg"}),
        node("exclusiveGateway", "gw_expert", "نظر کارشناس", EXPERT, 8, default="f_expert_return"),
        service("notify_reject", "اعلام رد درخواست به شهرداری", EXPERT, 9, 1, topic="notify.mail",
                inputs={"to": "budget_officer", "template": "generic", "subject": "رد درخواست اعتبار"}),
        node("endEvent", "rejected", "درخواست رد شد", EXPERT, 10, 1),
        user("dg_propose", "پیشنهاد تخصیص به سازمان شهرداری‌ها", DG, 9, group="urban_affairs_dg",
             form="dg_proposal.json", props={"sla": "P5D", "signature": "required"}),
        national,
        boundary("national_late", "۳۰ روز", national, interrupting=False, timer=("timeDuration", "P30D")),
        service("remind_national", "پیگیری از سازمان شهرداری‌ها", NATIONAL, 11, 1, topic="notify.mail",
                inputs={"to": "national_org", "template": "reminder", "task_title": national.name}),
        node("endEvent", "national_reminded", "پیگیری شد", NATIONAL, 12, 1),
        node("exclusiveGateway", "gw_national", "واریز شد؟", NATIONAL, 11, default="f_national_reject"),
        reserve,
        boundary("reserve_failed", "مانده کافی نیست", reserve, error="check_failed"),
        service("record_deposit", "ثبت واریز اعتبار به حساب شهرداری", EXPERT, 13, topic="credit.record_deposit"),
        user("record_documents", "ثبت اسناد مالی پروژه", MUNI, 14, group="budget_officer",
             form="financial_document.json"),
        payment,
        boundary("payment_refused", "بیش از اعتبار", payment, error="check_failed"),
        node("exclusiveGateway", "gw_more", "پرداخت دیگری هست؟", MUNI, 16, default="f_no_more"),
        user("settlement", "ثبت تفریغ بودجه و بیلان عملکرد", MUNI, 17, group="budget_officer",
             form="settlement.json", props={"sla": "P20D"}),
        user("confirm_settlement", "تأیید تفریغ و بیلان عملکرد", EXPERT, 18, group="urban_affairs_expert",
             form="settlement_review.json", props={"sla": "P10D"}),
        node("exclusiveGateway", "gw_settled", "تفریغ پذیرفته شد؟", EXPERT, 19, default="f_settle_again"),
        node("endEvent", "end", "اعتبار توزیع و تفریغ شد", EXPERT, 20),
    ]  # fmt: skip


def _flows() -> list[Flow]:
    return [
        Flow("f1", "start", "request"),
        Flow("f2", "request", "gw_registered"),
        Flow("f_registered", "gw_registered", "gw_ready", "ثبت شده"),
        Flow("f_ready", "gw_ready", "check_credit"),
        Flow("f_not_registered", "gw_registered", "enter_budget", "ثبت نشده", "budget_registered == 'no'"),
        Flow("f3", "enter_budget", "assemble"),
        Flow("f4", "assemble", "register_budget"),
        Flow("f5", "register_budget", "gw_ready"),
        Flow("f_budget_refused", "register_failed", "enter_budget"),
        Flow("f_credit_missing", "credit_missing", "revise_request"),
        Flow("f_revised", "revise_request", "check_credit"),
        Flow("f_expired", "revise_expired", "lapsed"),
        Flow("f6", "check_credit", "expert_review"),
        Flow("f7", "expert_review", "gw_expert"),
        Flow("f_expert_ok", "gw_expert", "dg_propose", "تأیید", "expert_decision == 'approve'"),
        Flow("f_expert_return", "gw_expert", "revise_request", "اصلاح"),
        Flow("f_expert_reject", "gw_expert", "notify_reject", "رد", "expert_decision == 'reject'"),
        Flow("f_rejected", "notify_reject", "rejected"),
        Flow("f8", "dg_propose", "national_decide"),
        Flow("f_national_late", "national_late", "remind_national"),
        Flow("f_reminded", "remind_national", "national_reminded"),
        Flow("f9", "national_decide", "gw_national"),
        Flow("f_deposited", "gw_national", "reserve", "واریز شد", "national_decision == 'deposit'"),
        Flow("f_national_reject", "gw_national", "notify_reject", "رد"),
        Flow("f_reserve_failed", "reserve_failed", "revise_request"),
        Flow("f10", "reserve", "record_deposit"),
        Flow("f11", "record_deposit", "record_documents"),
        Flow("f12", "record_documents", "record_payment"),
        Flow("f_payment_refused", "payment_refused", "record_documents"),
        Flow("f13", "record_payment", "gw_more"),
        Flow("f_more", "gw_more", "record_documents", "سند دیگر", "more_payments == True"),
        Flow("f_no_more", "gw_more", "settlement", "تمام"),
        Flow("f14", "settlement", "confirm_settlement"),
        Flow("f15", "confirm_settlement", "gw_settled"),
        Flow("f_settled", "gw_settled", "end", "پذیرفته شد", "settlement_ok == 'yes'"),
        Flow("f_settle_again", "gw_settled", "settlement", "اصلاح"),
    ]


def diagram() -> Diagram:
    lanes = [
        (MUNI, "واحد بودجه و امور مالی شهرداری"),
        (EXPERT, "کارشناس امور شهری استانداری"),
        (DG, "مدیرکل دفتر امور شهری و شوراها"),
        (NATIONAL, "سازمان شهرداری‌ها و دهیاری‌های کشور"),
    ]
    pool = Pool(
        "credit_distribution",
        "توزیع و نظارت بر اعتبارات ابلاغی",
        "استانداری — توزیع و نظارت بر اعتبارات ابلاغی به شهرداری‌ها",
        lanes,
        _nodes(),
        _flows(),
    )
    return Diagram("credit_distribution", [pool])
