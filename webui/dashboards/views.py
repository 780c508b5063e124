"""``/dashboards``: the KPI report of a period and a unit (and the units under it) as bar charts with
their tables. The numbers are :meth:`Platform.kpis`'s for the signed-in person, scoped as the KPI API
is (``engine.kpi.scope``): one's own unit and below, every unit for admins and auditors; another
unit's numbers are refused (403), as by the API."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from sqlalchemy import select

from engine import directory
from engine.access import SEE_ALL
from engine.directory import Person
from engine.errors import InvalidInput
from engine.store.models import Unit
from webui.accounts import require_person
from webui.dashboards.charts import BarChart, bar_chart, number
from webui.dashboards.contexts import DashboardFilters, DashboardPage
from webui.extension import current_platform
from webui.i18n import language
from webui.inbox.query import process_names
from webui.people import Option

bp = Blueprint("dashboards", __name__, url_prefix="/dashboards")

RATIO_LABELS = {
    "agencies_evaluated": lazy_gettext("دستگاه‌های ارزیابی‌شده از دستگاه‌های مشمول"),
    "national_projects_visited": lazy_gettext("طرح‌های ملی بازدیدشده از قابل بازدید"),
    "provincial_projects_visited": lazy_gettext("طرح‌های استانی بازدیدشده از قابل بازدید"),
}


@bp.app_template_filter("pct")
def percent_text(value: float | None) -> str:
    """A percentage in the page's digits (``۸۳٫۳٪``); "—" when there is nothing to divide."""
    return "—" if value is None else number(value, lang=language(), percent=True)


@bp.before_request
def signed_in() -> None:
    require_person()


@bp.get("")
def index() -> str:
    person, platform = require_person(), current_platform()
    args = request.args
    filters = DashboardFilters(
        (args.get("from") or "").strip()[:40],
        (args.get("to") or "").strip()[:40],
        (args.get("unit") or "").strip()[:100],
    )
    report, problem = None, None
    try:
        report = platform.kpis(
            since=filters.since or None,
            until=filters.until or None,
            unit=filters.unit or None,
            actor=person.name,
        )
    except InvalidInput as err:  # a date that is not a date: the form again, saying so
        problem = err.message
    with platform.store.reading() as tx:
        options = unit_options(tx, person)
        names = process_names(tx)
    titles = {key: name or key for key, name in names.items()}
    page = DashboardPage(
        filters=filters,
        units=options,
        report=report,
        process_titles=titles,
        charts=charts(report, titles) if report else {},
        ratio_labels={name: str(label) for name, label in RATIO_LABELS.items()},
        problem=problem,
    )
    return render_template("dashboards/index.html", page=page)


def unit_options(tx: Any, person: Person) -> list[Option]:
    """The units whose KPIs ``person`` may ask for (the KPI scope's rule)."""
    query = select(Unit.name, Unit.title)
    if not person.groups & SEE_ALL:
        query = query.where(Unit.name.in_(sorted(directory.units_below(tx, person.unit))))
    return sorted((Option(n, t or n) for n, t in tx.execute(query)), key=lambda o: o.label)


def charts(report: dict[str, Any], titles: dict[str, str]) -> dict[str, BarChart]:
    lang, tasks = language(), report["tasks"]
    units = [(u["title"] or u["unit"] or _("بی‌واحد"), u) for u in tasks["by_unit"]]
    processes = [(titles.get(p["process_key"], p["process_key"]), p) for p in tasks["by_process"]]
    supervision = report["agency_budget_supervision"]
    ratios = [(str(RATIO_LABELS[name]), supervision[name]["pct"]) for name in RATIO_LABELS]
    return {
        "compliance_by_unit": bar_chart(
            [(t, u["sla_compliance_pct"]) for t, u in units], lang=lang, maximum=100, percent=True
        ),
        "open_by_unit": bar_chart([(t, u["open"]) for t, u in units], lang=lang),
        "overdue_by_unit": bar_chart([(t, u["overdue"]) for t, u in units], lang=lang),
        "compliance_by_process": bar_chart(
            [(t, p["sla_compliance_pct"]) for t, p in processes], lang=lang, maximum=100, percent=True
        ),
        "supervision": bar_chart(
            ratios, lang=lang, maximum=100, percent=True, target=supervision["target_pct"]
        ),
    }
