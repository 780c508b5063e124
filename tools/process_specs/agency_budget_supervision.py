"""Supervision of the executive agencies' budget performance (seed 001): three parallel tracks a year.

Operational supervision (project visits, one per selected project), evaluation of specific indicators,
and expenditure supervision (one report per agency and period, repeated monthly) run in parallel
between a parallel split and join; the year ends with the KPIs and the allocation decision.
"""

from __future__ import annotations

from tools.bpmn_layout import Diagram, Flow, Node, Pool, boundary, node, service, user

DEPUTY, EXPERT, HR, INTEGRATION, AGENCY = (
    "lane_deputy",
    "lane_expert",
    "lane_hr",
    "lane_integration",
    "lane_agency",
)
VISITS, REPORTS = "per_project", "per_agency"

KPI = """kpi = {
    'agencies_subject': len(evaluated_agencies),
    'agencies_evaluated': len(scores),
    'national_visitable': visitable_national,
    'national_visited': len([p for p in projects if p['level'] == 'national' and p.get('visited')]),
    'provincial_visitable': visitable_provincial,
    'provincial_visited': len([p for p in projects if p['level'] == 'provincial' and p.get('visited')]),
}"""


def _in(parent: str, n: Node) -> Node:
    n.parent = parent
    return n


def _operational() -> list[Node]:
    return [
        user("select_projects", "انتخاب پروژه‌های تملک دارایی برای بازدید", EXPERT, 3, group="plan_budget_expert",
             form="select_projects.json", props={"sla": "P15D"}),
        service("announce_visits", "اعلام برنامهٔ بازدید به دستگاه‌های مجری", EXPERT, 4, topic="notify.mail",
                inputs={"to": "agency_liaison", "template": "generic", "subject": "برنامهٔ بازدید از پروژه‌ها"}),
        node("subProcess", VISITS, "بازدید هر پروژه", EXPERT, 6, mi=("projects", "project"), anchor_row=0),
        _in(VISITS, node("startEvent", "v_start", None, EXPERT, 5)),
        _in(VISITS, user("visit", "بازدید میدانی و تهیهٔ گزارش مصور", EXPERT, 6, group="plan_budget_expert",
                         form="visit.json", props={"sla": "P20D"})),
        _in(VISITS, node("scriptTask", "fold_visit", "ثبت نتیجهٔ بازدید", EXPERT, 7,
                         script="project = dict(project, visited=True, progress=progress, on_plan=on_plan)")),
        _in(VISITS, node("endEvent", "v_end", None, EXPERT, 8)),
        user("deputy_review", "بررسی گزارش‌های بازدید", DEPUTY, 9, group="pbo_budget_deputy",
             form="visits_review.json", props={"sla": "P10D"}),
        user("record_results", "ثبت نتایج در سامانه‌های نظارت ۳ و ۴", EXPERT, 10, group="plan_budget_expert",
             form="record_results.json", props={"sla": "P5D"}),
    ]  # fmt: skip


def _indicators() -> list[Node]:
    return [
        user("schedule", "ابلاغ زمان‌بندی ارزیابی شاخص‌های اختصاصی", HR, 3, group="pbo_hr_deputy",
             form="schedule.json", props={"sla": "P10D"}),
        service("announce_schedule", "اعلام زمان‌بندی به دستگاه‌ها", HR, 4, topic="notify.mail",
                inputs={"to": "agency_liaison", "template": "generic", "subject": "زمان‌بندی ارزیابی شاخص‌های اختصاصی"}),
        user("indicators_review", "هماهنگی و بررسی عملکرد شاخص‌های اختصاصی", EXPERT, 6, 1, group="plan_budget_expert",
             form="indicators_review.json", props={"sla": "P30D"}),
        user("scoring", "جلسهٔ هماهنگی نهایی و امتیازدهی", EXPERT, 8, 1, group="plan_budget_expert",
             form="scoring.json", props={"sla": "P10D"}),
    ]  # fmt: skip


def _expenditure() -> list[Node]:
    report = _in(
        REPORTS,
        user(
            "agency_report",
            "تکمیل و ارائهٔ گزارش عملکرد اعتبارات",
            AGENCY,
            6,
            group="agency_liaison",
            form="agency_report.json",
            props={"unit": "${report_of.unit}", "sla": "P10D", "sla_reminders": "0.5,0.8"},
        ),
    )
    return [
        user("framework", "تدوین چارچوب ارائهٔ گزارش نظارتی", INTEGRATION, 3, group="pbo_integration",
             form="framework.json", props={"sla": "P15D"}),
        node("scriptTask", "first_period", "آغاز دورهٔ اول", INTEGRATION, 4, script="period = 1"),
        node("subProcess", REPORTS, "گزارش هر دستگاه در این دوره", AGENCY, 6, mi=("reports", "report_of"),
             anchor_row=0),
        _in(REPORTS, node("startEvent", "r_start", None, AGENCY, 5)),
        report,
        _in(REPORTS, boundary("report_late", "۱۵ روز", report, interrupting=False, timer=("timeDuration", "P15D"))),
        _in(REPORTS, service("chase_agency", "یادآوری به دستگاه", AGENCY, 7, 1, topic="notify.mail",
                             inputs={"to": "agency_liaison", "unit": "${report_of.unit}", "template": "reminder",
                                     "task_title": report.name})),
        _in(REPORTS, node("endEvent", "agency_chased", None, AGENCY, 8, 1)),
        _in(REPORTS, node("scriptTask", "fold_report", "ثبت گزارش دوره", AGENCY, 7,
                          script="report_of = dict(report_of, period=period, paid=sum(line['paid'] for line in expense_lines))")),
        _in(REPORTS, node("endEvent", "r_end", None, AGENCY, 8)),
        user("analyse", "دریافت، جمع‌بندی و تحلیل گزارشات", INTEGRATION, 9, group="pbo_integration",
             form="analysis.json", props={"sla": "P10D"}),
        node("exclusiveGateway", "gw_period", "دورهٔ دیگری مانده؟", INTEGRATION, 10, default="f_last_period"),
        node("intermediateCatchEvent", "next_month", "ماه بعد", INTEGRATION, 10, 1, timer=("timeDuration", "P1M")),
        node("scriptTask", "next_period", "دورهٔ بعد", INTEGRATION, 9, 1, script="period = period + 1"),
    ]  # fmt: skip


def _nodes() -> list[Node]:
    return [
        node("startEvent", "start", "آغاز سال مالی (۱ فروردین)", DEPUTY, 0,
             timer=("timeCycle", "R/2027-03-21T08:00:00+03:30/P1Y"),
             doc="هر سال در آغاز سال مالی؛ شروع دستی یعنی همین حالا."),
        user("plan", "ابلاغ برنامهٔ نظارت سالانه", DEPUTY, 1, group="pbo_budget_deputy", form="plan.json",
             props={"sla": "P5D"}),
        node("parallelGateway", "fork", "سه محور نظارت", DEPUTY, 2),
        *_operational(),
        *_indicators(),
        *_expenditure(),
        node("parallelGateway", "join", "هر سه محور انجام شد", DEPUTY, 11),
        node("scriptTask", "kpis", "محاسبهٔ شاخص‌های پایش", DEPUTY, 12, script=KPI),
        user("conclude", "جمع‌بندی نتایج و اعمال در تخصیص‌ها", DEPUTY, 13, group="pbo_budget_deputy",
             form="conclusion.json", props={"sla": "P10D", "signature": "required"}),
        node("endEvent", "end", "نظارت سالانه پایان یافت", DEPUTY, 14),
    ]  # fmt: skip


def _flows() -> list[Flow]:
    return [
        Flow("f1", "start", "plan"),
        Flow("f2", "plan", "fork"),
        Flow("a1", "fork", "select_projects"),
        Flow("a2", "select_projects", "announce_visits"),
        Flow("a3", "announce_visits", VISITS),
        Flow("v1", "v_start", "visit"),
        Flow("v2", "visit", "fold_visit"),
        Flow("v3", "fold_visit", "v_end"),
        Flow("a4", VISITS, "deputy_review"),
        Flow("a5", "deputy_review", "record_results"),
        Flow("a6", "record_results", "join"),
        Flow("b1", "fork", "schedule"),
        Flow("b2", "schedule", "announce_schedule"),
        Flow("b3", "announce_schedule", "indicators_review"),
        Flow("b4", "indicators_review", "scoring"),
        Flow("b5", "scoring", "join"),
        Flow("c1", "fork", "framework"),
        Flow("c2", "framework", "first_period"),
        Flow("c3", "first_period", REPORTS),
        Flow("r1", "r_start", "agency_report"),
        Flow("r2", "agency_report", "fold_report"),
        Flow("r3", "fold_report", "r_end"),
        Flow("r_late", "report_late", "chase_agency"),
        Flow("r_chased", "chase_agency", "agency_chased"),
        Flow("c4", REPORTS, "analyse"),
        Flow("c5", "analyse", "gw_period"),
        Flow("f_more_periods", "gw_period", "next_month", "بله", "period < periods"),
        Flow("c6", "next_month", "next_period"),
        Flow("c7", "next_period", REPORTS),
        Flow("f_last_period", "gw_period", "join", "خیر"),
        Flow("f3", "join", "kpis"),
        Flow("f4", "kpis", "conclude"),
        Flow("f5", "conclude", "end"),
    ]


def diagram() -> Diagram:
    lanes = [
        (DEPUTY, "معاون هماهنگی امور بودجه"),
        (EXPERT, "کارشناس بودجه", 2),
        (HR, "معاونت توسعهٔ مدیریت و منابع انسانی"),
        (INTEGRATION, "گروه تلفیق", 2),
        (AGENCY, "دستگاه اجرایی", 2),
    ]
    pool = Pool(
        "agency_budget_supervision",
        "نظارت بر عملکرد بودجهٔ دستگاه‌های اجرایی استان",
        "سازمان مدیریت و برنامه‌ریزی استان — نظارت بر عملکرد بودجهٔ دستگاه‌های اجرایی",
        lanes,
        _nodes(),
        _flows(),
    )
    return Diagram("agency_budget_supervision", [pool])
