"""The JSON Schema (2020-12) of a KPI report's data, beside the code that makes it: the OpenAPI document
refers to it, and the tests validate real reports against it."""

from __future__ import annotations

import dataclasses
from typing import Any

from engine.kpi.supervision import FIELDS, RATIOS
from engine.kpi.tasks import Counts

COUNTS = tuple(field.name for field in dataclasses.fields(Counts))

Schema = dict[str, Any]


def report_schema() -> Schema:
    """What ``Platform.kpis`` returns, ``run.py kpi --json`` prints and ``GET /api/v1/kpis`` answers."""
    counts = {name: _integer() for name in COUNTS} | {"sla_compliance_pct": _percent()}
    tasks = _object(
        {
            "total": _object(counts),
            "by_unit": _list(
                _object({"unit": _text(nullable=True), "title": _text(nullable=True), **counts})
            ),
            "by_process": _list(_object({"process_key": _text(), **counts})),
        }
    )
    return _object(
        {
            "period": _object({k: _text() for k in ("from", "to", "from_jalali", "to_jalali", "label")}),
            "now": _text(),
            "unit": _text(nullable=True),
            "units": {"type": ["array", "null"], "items": _text()},
            "tasks": tasks,
            "agency_budget_supervision": _supervision(),
        }
    )


def _supervision() -> Schema:
    ratio = _object({"numerator": _integer(), "denominator": _integer(), "pct": _percent()})
    case = _object(
        {
            "instance_id": _text(),
            "business_key": _text(nullable=True),
            "org_unit": _text(nullable=True),
            "status": _text(),
            "computed_at": _text(),
            "kpi": _object({name: _integer() for name in FIELDS}),
        }
    )
    fixed = {"process_key": _text(), "instances": _integer(), "target_pct": _integer()}
    return _object({**fixed, **dict.fromkeys(RATIOS, ratio), "cases": _list(case)})


def _object(properties: dict[str, Schema]) -> Schema:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _list(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def _text(*, nullable: bool = False) -> Schema:
    return {"type": ["string", "null"] if nullable else "string"}


def _integer() -> Schema:
    return {"type": "integer", "minimum": 0}


def _percent() -> Schema:
    return {"type": ["number", "null"], "minimum": 0}
