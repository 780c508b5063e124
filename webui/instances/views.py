"""``/instances``: the search (GET), an instance's page with its step-through (``?at=<event>``), the
diagram's data as of an event, and verifying the history's chain (POST, CSRF-checked).

Every route reads through the :class:`Platform` as the signed-in person: the list is scoped by
``engine.access.visible`` and one instance by ``engine.access.instance_for``, so another municipality's
instance is a 404 by URL, as its tasks are.
"""

from __future__ import annotations

import math

from flask import Blueprint, Response, jsonify, render_template, request
from sqlalchemy import select

from engine.access import SEE_ALL
from engine.errors import InvalidInput, NotFound
from engine.instance_search import STATUSES
from engine.store.models import Unit
from webui.accounts import require_person
from webui.extension import current_platform
from webui.inbox.query import process_names
from webui.instances import page
from webui.instances.contexts import SearchPage
from webui.instances.filters import SIZE, SearchFilters
from webui.instances.verdict import present
from webui.people import Option, unit_titles, units
from webui.statuses import STATUS_LABELS

bp = Blueprint("instances", __name__, url_prefix="/instances")


@bp.before_request
def signed_in() -> None:
    require_person()


@bp.get("")
def search() -> str:
    person, platform = require_person(), current_platform()
    filters = SearchFilters.from_args(request.args)
    found, problem = {"instances": [], "total": 0}, None
    try:
        found = platform.search_instances(filters.criteria(), actor=person.name)
    except (InvalidInput, NotFound) as err:
        problem = err.message
    with platform.store.reading() as tx:
        names = process_names(tx)
        if person.groups & SEE_ALL:  # they see every instance, so they may narrow to any unit
            unit_options = [Option(n, t or n) for n, t in tx.execute(select(Unit.name, Unit.title))]
        else:
            unit_options = units(tx, person)
        titles = unit_titles(tx)
    context = SearchPage(
        filters=filters,
        instances=found["instances"],
        total=found["total"],
        pages=max(1, math.ceil(found["total"] / SIZE)),
        processes=[Option(key, name or key) for key, name in sorted(names.items())],
        units=sorted(unit_options, key=lambda o: o.label),
        statuses=[Option(s, str(STATUS_LABELS[s])) for s in STATUSES],
        status_labels={s: str(label) for s, label in STATUS_LABELS.items()},
        unit_titles=titles,
        problem=problem,
    )
    return render_template("instances/search.html", page=context)


@bp.get("/<instance_id>")
def show(instance_id: str) -> str:
    at = page.event_number(request.args.get("at"))
    context = page.instance_page(current_platform(), require_person(), instance_id, at)
    return render_template("instances/page.html", page=context)


@bp.get("/<instance_id>/diagram")
def diagram(instance_id: str) -> Response:
    at = page.event_number(request.args.get("at"))
    return jsonify(page.diagram(current_platform(), require_person(), instance_id, at))


@bp.post("/<instance_id>/verify")
def verify(instance_id: str) -> str:
    """Run the engine's verification and show its result on the page, at the event the auditor was on."""
    person, platform = require_person(), current_platform()
    report = present(platform.verify(instance_id, actor=person.name))
    at = page.event_number(request.form.get("at"))
    context = page.instance_page(platform, person, instance_id, at, report)
    return render_template("instances/page.html", page=context)
