"""Budget oversight (seed 002 §5, seed 000): the governorate's annual round over every municipality's budget.

Two executable processes: ``budget_oversight`` (the yearly round, one budget per municipality in a
parallel multi-instance sub-process) and ``budget_registration`` (the automatic registration of an
approved budget, also called by credit_distribution).
"""

from __future__ import annotations

from tools.bpmn_layout import Diagram, Flow, Node, Pool, boundary, node, service, user

MUNI = "${municipality.unit}"
BUDGET, MAYOR, COUNCIL, EXPERT, DG = "lane_budget", "lane_mayor", "lane_council", "lane_expert", "lane_dg"
SUB = "per_municipality"

ASSEMBLE = """unit = municipality['unit']
budget = {
    'fiscal_year': fiscal_year,
    'unit': unit,
    'circular': circular,
    'resources': resources,
    'uses': uses,
}"""
FOLD = "municipality = dict(municipality, budget_id=budget_id, album=album, archive_no=archive_no)"


def _in(n: Node) -> Node:
    n.parent = SUB
    return n


def _round() -> list[Node]:
    return [
        node("startEvent", "start", "ابلاغ بخشنامهٔ بودجه (هر سال، ۱ مهر)", EXPERT, 0,
             timer=("timeCycle", "R/2027-09-23T08:00:00+03:30/P1Y"),
             doc="هر سال با ابلاغ بخشنامهٔ بودجهٔ وزارت کشور آغاز می‌شود؛ شروع دستی یعنی همین حالا."),
        user("circular", "ابلاغ بخشنامه و تعیین شهرداری‌ها", EXPERT, 1, group="urban_affairs_expert",
             form="circular.json", props={"sla": "P5D"}),
        node("subProcess", SUB, "بودجهٔ هر شهرداری", EXPERT, 9, mi=("municipalities", "municipality"),
             anchor_row=0),
        user("summary", "جمع‌بندی و گزارش نظارت بر بودجه‌ها", EXPERT, 17.4, group="urban_affairs_expert",
             form="summary.json", props={"sla": "P10D"}),
        node("endEvent", "end", "نظارت سالانه پایان یافت", EXPERT, 18.4),
    ]  # fmt: skip


def _municipality() -> list[Node]:
    check = _in(
        service(
            "check",
            "بررسی سامانه‌ای ساختار بودجه",
            BUDGET,
            5.5,
            topic="budget.check_structure",
            doc="منابع برابر مصارف، سقف هر فصل مطابق بخشنامه و ردیف‌های الزامی.",
        )
    )
    council = _in(
        user(
            "council_approve",
            "بررسی و تصویب بودجه در شورا",
            COUNCIL,
            7.5,
            group="council_chair",
            form="council_approval.json",
            props={"unit": MUNI, "sla": "P20D", "sla_reminders": "0.5,0.8", "signature": "required"},
        )
    )
    register = _in(
        node(
            "callActivity", "register", "ثبت بودجهٔ مصوب و تهیهٔ آلبوم", DG, 13.5, called="budget_registration"
        )
    )
    return [
        _in(node("startEvent", "m_start", "بخشنامه رسید", BUDGET, 2.5)),
        _in(user("draft", "تهیهٔ پیش‌نویس بودجه", BUDGET, 3.5, group="budget_officer", form="draft.json",
                 props={"unit": MUNI, "sla": "P30D", "sla_reminders": "0.5,0.8"},
                 doc="منابع و مصارف به تفکیک طبقه‌بندی اقتصادی و واحد، مطابق فرم‌های بخشنامه.")),
        _in(node("scriptTask", "assemble", "تشکیل پروندهٔ بودجه", BUDGET, 4.5, script=ASSEMBLE)),
        check,
        _in(boundary("check_failed", "مغایر ضوابط", check, error="check_failed")),
        _in(user("revise", "رفع ایرادات و اصلاح بودجه", BUDGET, 4.5, 1, group="budget_officer",
                 form="revise.json", props={"unit": MUNI, "sla": "P10D"})),
        _in(user("submit", "تأیید و تقدیم لایحهٔ بودجه به شورا", MAYOR, 6.5, group="mayor", form="submit.json",
                 props={"unit": MUNI, "sla": "P5D"})),
        council,
        _in(boundary("council_late", "۳۰ روز", council, interrupting=False, timer=("timeDuration", "P30D"))),
        _in(service("tell_governorate", "اطلاع تأخیر شورا به استانداری", COUNCIL, 8.5, 1, topic="notify.mail",
                    inputs={"to": "urban_affairs_expert", "unit": MUNI, "template": "reminder",
                            "task_title": council.name})),
        _in(node("endEvent", "late_told", "استانداری مطلع شد", COUNCIL, 9.5, 1)),
        _in(node("exclusiveGateway", "gw_council", "شورا تصویب کرد؟", COUNCIL, 8.5, default="f_council_back")),
        _in(user("review", "بررسی انطباق بودجه با بخشنامه", EXPERT, 9.5, group="urban_affairs_expert",
                 form="review.json", props={"unit": MUNI, "referral": "least_loaded", "sla": "P10D",
                 "sla_reminders": "0.5,0.8", "sla_escalate_to": "urban_affairs_dg"})),
        _in(node("exclusiveGateway", "gw_conform", "مطابق بخشنامه است؟", EXPERT, 10.5, default="f_objections")),
        _in(user("dg_approve", "تأیید نهایی بودجه", DG, 11.5, group="urban_affairs_dg", form="dg_approval.json",
                 props={"unit": MUNI, "sla": "P5D", "signature": "required"})),
        _in(node("exclusiveGateway", "gw_dg", "تأیید شد؟", DG, 12.5, default="f_dg_back")),
        register,
        _in(boundary("register_failed", "ثبت نشد", register, error="check_failed")),
        _in(user("archive", "ارسال آلبوم به شورا و بایگانی", BUDGET, 14.5, group="budget_officer",
                 form="archive.json", props={"unit": MUNI, "sla": "P5D"})),
        _in(node("scriptTask", "fold", "ثبت نتیجه برای گزارش سالانه", BUDGET, 15.5, script=FOLD)),
        _in(node("endEvent", "m_end", "بودجه مصوب و بایگانی شد", BUDGET, 16.5)),
    ]  # fmt: skip


def _flows() -> list[Flow]:
    return [
        Flow("f_start", "start", "circular"),
        Flow("f_round", "circular", SUB),
        Flow("f_summary", SUB, "summary"),
        Flow("f_end", "summary", "end"),
        Flow("f_m1", "m_start", "draft"),
        Flow("f_m2", "draft", "assemble"),
        Flow("f_m3", "assemble", "check"),
        Flow("f_m4", "check", "submit"),
        Flow("f_m_invalid", "check_failed", "revise"),
        Flow("f_revised", "revise", "assemble"),
        Flow("f_m5", "submit", "council_approve"),
        Flow("f_m6", "council_approve", "gw_council"),
        Flow("f_late", "council_late", "tell_governorate"),
        Flow("f_late_end", "tell_governorate", "late_told"),
        Flow("f_council_ok", "gw_council", "review", "تصویب شد", "council_decision == 'approved'"),
        Flow("f_council_back", "gw_council", "revise", "اعاده به شهرداری"),
        Flow("f_m7", "review", "gw_conform"),
        Flow("f_conform", "gw_conform", "dg_approve", "مطابق", "conforming == 'yes'"),
        Flow("f_objections", "gw_conform", "revise", "ایرادات"),
        Flow("f_m8", "dg_approve", "gw_dg"),
        Flow("f_dg_ok", "gw_dg", "register", "تأیید", "dg_decision == 'approved'"),
        Flow("f_dg_back", "gw_dg", "revise", "بازگشت"),
        Flow("f_register_failed", "register_failed", "revise"),
        Flow("f_m9", "register", "archive"),
        Flow("f_m10", "archive", "fold"),
        Flow("f_m11", "fold", "m_end"),
    ]


def _registration() -> Pool:
    lane = "lane_system"
    check = service("r_check", "بررسی دوبارهٔ ساختار بودجه", lane, 1, topic="budget.check_structure")
    return Pool(
        "budget_registration",
        "ثبت بودجهٔ مصوب",
        "سامانهٔ بودجهٔ شهرداری‌ها — ثبت بودجهٔ مصوب",
        [(lane, "سامانهٔ بودجه (خودکار)")],
        [
            node("startEvent", "r_start", "بودجه تأیید شد", lane, 0),
            check,
            boundary("r_check_failed", "مغایر ضوابط", check, error="check_failed"),
            node("endEvent", "r_refused", "ثبت نشد", lane, 2, 1, error="check_failed"),
            service(
                "r_ledger", "ثبت ردیف‌های مصوب در دفتر اعتبارات", lane, 2, topic="budget.register_approved"
            ),
            service("r_album", "تهیهٔ آلبوم بودجه", lane, 3, topic="documents.budget_album"),
            node("endEvent", "r_end", "ثبت شد", lane, 4),
        ],
        [
            Flow("r1", "r_start", "r_check"),
            Flow("r2", "r_check", "r_ledger"),
            Flow("r_refuse", "r_check_failed", "r_refused"),
            Flow("r3", "r_ledger", "r_album"),
            Flow("r4", "r_album", "r_end"),
        ],
        doc="فقط به‌صورت فراخوانی (call activity) از فرایندهای نظارت بر بودجه و توزیع اعتبارات اجرا شود.",
        attrs={"camunda:isStartableInTasklist": "false"},
    )


def diagram() -> Diagram:
    lanes = [
        (BUDGET, "واحد بودجهٔ شهرداری"),
        (MAYOR, "شهردار"),
        (COUNCIL, "شورای اسلامی شهر"),
        (EXPERT, "کارشناس امور شهری استانداری"),
        (DG, "مدیرکل دفتر امور شهری و شوراها", 2),
    ]
    oversight = Pool(
        "budget_oversight",
        "نظارت بر بودجهٔ شهرداری‌ها و سازمان‌های وابسته",
        "استانداری — دفتر امور شهری و شوراها: نظارت بر بودجهٔ شهرداری‌ها",
        lanes,
        _round() + _municipality(),
        _flows(),
    )
    return Diagram("budget_oversight", [oversight, _registration()])
