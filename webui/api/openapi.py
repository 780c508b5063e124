"""The OpenAPI 3.1 description of ``/api/v1``, as a Python dict; a test keeps it in step with the routes."""

from __future__ import annotations

from typing import Any

from engine.kpi.schema import report_schema

VERSION = "1.0.0"
BASE = "/api/v1"

Schema = dict[str, Any]


def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Nezarat API",
            "version": VERSION,
            "description": "Deploy BPMN bundles, start instances, work tasks and audit their history. "
            "Every call except this document needs 'Authorization: Bearer <token>' and acts as "
            "the token's user; errors are always the Error object.",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
        "paths": paths(),
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas(),
            "responses": {str(status): error_response(text) for status, text in ERRORS.items()},
        },
    }


ERRORS = {
    400: "Invalid input (malformed JSON, bad field, refused definition: code definition_invalid)",
    401: "Missing or invalid API token",
    403: "The user may not act on this object",
    404: "No such process, task or instance",
    409: "Stale expected_rev or a state that forbids the action",
    413: "Upload larger than the limit",
}


def paths() -> dict[str, Any]:
    task, inst = _param("task_id"), _param("instance_id")
    return {
        f"{BASE}/openapi.json": {"get": _openapi_operation()},
        f"{BASE}/deployments": {"post": _deploy_operation()},
        f"{BASE}/processes/{{key}}/instances": {"post": _start_operation()},
        f"{BASE}/tasks": {"get": _tasks_operation()},
        f"{BASE}/tasks/{{task_id}}/claim": {
            "post": _op("claimTask", "Claim a task for yourself", [task], _ok(_ref("Result")), 403, 404, 409)
        },
        f"{BASE}/tasks/{{task_id}}/unclaim": {
            "post": _op("unclaimTask", "Give a claimed task back", [task], _ok(_ref("Result")), 403, 404)
        },
        **_signature_step_paths(),
        f"{BASE}/tasks/{{task_id}}/refer": {
            "post": _body_op(
                "referTask", "Refer (ارجاع) a task to a person or a unit with a note", "ReferRequest"
            )
        },
        f"{BASE}/tasks/{{task_id}}/return": {
            "post": _body_op(
                "returnTask", "Return a referred task to the one who referred it", "ReturnRequest"
            )
        },
        f"{BASE}/instances/{{instance_id}}": {
            "get": _op("getInstance", "An instance's status and revision", [inst], _ok(_ref("Instance")), 404)
        },
        f"{BASE}/instances/{{instance_id}}/history": {
            "get": _op(
                "getHistory", "The hash-chained history", [inst], _ok(_array(_ref("HistoryEvent"))), 404
            )
        },
        f"{BASE}/instances/{{instance_id}}/verify": _verify_operations(inst),
        f"{BASE}/instances/{{instance_id}}/cancel": {
            "post": _op("cancelInstance", "Cancel a running instance", [inst], _ok(_ref("Result")), 404, 409)
        },
        f"{BASE}/kpis": {"get": _kpis_operation()},
    }


def _openapi_operation() -> dict[str, Any]:
    operation = _op("getOpenApi", "This document", [], _ok({"type": "object"}))
    operation["security"] = []
    del operation["responses"]["401"]
    return operation


def _deploy_operation() -> dict[str, Any]:
    upload = {
        "type": "object",
        "required": ["file"],
        "properties": {
            "file": {"type": "string", "contentMediaType": "application/xml", "description": "the .bpmn"},
            "forms": {
                "type": "array",
                "items": {"type": "string", "contentMediaType": "application/json"},
                "description": "forms/*.json the diagram names (field 'forms' or 'forms[]', repeated)",
            },
        },
    }
    responses = {
        "201": _response("New versions stored", _array(_ref("Deployed"))),
        "200": _response("Nothing new: the same content is already deployed", _array(_ref("Deployed"))),
    }
    operation = _op("deploy", "Deploy an uploaded bundle", [], responses, 400, 413)
    operation["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": upload}}}
    return operation


def _start_operation() -> dict[str, Any]:
    key = _param("key", "The process id (process_key)")
    operation = _op(
        "startInstance", "Start an instance of the newest version", [key], _created(_ref("Result")), 400, 404
    )
    operation["requestBody"] = _json_body(_ref("StartRequest"))
    return operation


def _tasks_operation() -> dict[str, Any]:
    instance = {
        "name": "instance",
        "in": "query",
        "required": False,
        "description": "Only the tasks of this instance",
        "schema": {"type": "string"},
    }
    return _op("listTasks", "Tasks the user may work on", [instance], _ok(_array(_ref("Task"))))


def _kpis_operation() -> dict[str, Any]:
    day = "a Jalali date (1405/01/01), an ISO date or an ISO 8601 instant"
    described = {
        "from": f"First day of the period, {day}; default 1 Farvardin of the current fiscal year",
        "to": f"First day after the period, {day}; default the following 1 Farvardin",
        "unit": "This unit and the units under it; default the user's own (admin and auditor: every unit)",
    }
    params = [
        {"name": name, "in": "query", "required": False, "description": text, "schema": {"type": "string"}}
        for name, text in described.items()
    ]
    summary = "KPIs: deadlines kept, open and overdue work per unit and process; seed 001's ratios"
    return _op("getKpis", summary, params, _ok(_ref("Kpis")), 400, 403, 404)


def _signature_step_paths() -> dict[str, Any]:
    prepare = _body_op("prepareApproval", "The bytes a signature step signs", "PrepareRequest", "ToSign")
    return {
        f"{BASE}/tasks/{{task_id}}/approval": {"post": prepare},
        f"{BASE}/tasks/{{task_id}}/complete": {"post": _complete_operation()},
    }


def _complete_operation() -> dict[str, Any]:
    operation = _op(
        "completeTask",
        "Complete a task with form data",
        [_param("task_id")],
        _ok(_ref("Result")),
        400,
        403,
        404,
        409,
    )
    operation["requestBody"] = _json_body(_ref("CompleteRequest"))
    return operation


def _body_op(op_id: str, summary: str, body: str, result: str = "Result") -> dict[str, Any]:
    operation = _op(op_id, summary, [_param("task_id")], _ok(_ref(result)), 400, 403, 404, 409)
    operation["requestBody"] = _json_body(_ref(body))
    return operation


def _verify_operations(inst: dict[str, Any]) -> dict[str, Any]:
    def operation(op_id: str) -> dict[str, Any]:
        return _op(op_id, "Recompute the history chain", [inst], _ok(_ref("Verdict")), 404)

    return {"get": operation("verifyInstance"), "post": operation("verifyInstancePost")}


def schemas() -> dict[str, Schema]:
    return {
        "Error": _error_schema(),
        "Deployed": _object(
            {"process_key": _str(), "version": _int(), "sha256": _str(), "warnings": _array(_str())}
        ),
        "StartRequest": _object(
            {"data": {"type": "object"}, "business_key": _str(nullable=True)}, required=(), closed=True
        ),
        **_signature_step_schemas(),
        "ReferRequest": _object(
            {"to_user": _str(nullable=True), "to_unit": _str(nullable=True), "note": _str(nullable=True)},
            required=(),
            closed=True,
        ),
        "ReturnRequest": _object({"note": _str(nullable=True)}, required=(), closed=True),
        "Result": _object({"instance_id": _str(), "status": _status()}),
        "Task": _task_schema(),
        "Instance": _instance_schema(),
        "HistoryEvent": _event_schema(),
        "Kpis": report_schema(),
        "Verdict": _object(
            {
                "instance_id": _str(),
                "ok": {"type": "boolean"},
                "events": _int(),
                "first_broken_seq": _int(),
                "reason": _str(),
            },
            required=("instance_id", "ok", "events"),
        ),
    }


def _signature_step_schemas() -> dict[str, Schema]:
    signature = {**_str(nullable=True), "contentEncoding": "base64"}  # DER CMS, signature steps
    complete = {"data": {"type": "object"}, "expected_rev": _int(nullable=True), "signature": signature}
    to_sign = ("data", "sha256", "summary", "task_id", "instance_id")  # data: the canonical approval, base64
    return {
        "CompleteRequest": _object(complete, required=(), closed=True),
        "PrepareRequest": _object({"data": {"type": "object"}}, required=(), closed=True),
        "ToSign": _object({name: _str() for name in to_sign}),
    }


def _error_schema() -> Schema:
    return _object(
        {
            "ok": {"const": False},
            "code": {"type": "string", "examples": ["not_found", "conflict", "definition_invalid"]},
            "error": {"type": "string"},
            "status": {"type": "integer"},
            "hint": {"type": "string"},
            "file": {"type": "string"},
            "line": {"type": "integer"},
            "element": {"type": "string"},
            "details": {"description": "diagnostics (NZ codes) of a refused definition, or field errors"},
        },
        required=("ok", "code", "error", "status"),
    )


def _event_schema() -> Schema:
    return _object(
        {
            "seq": _int(),
            "at": _datetime(),
            "actor": _str(nullable=True),
            "kind": _str(),
            "element_id": _str(nullable=True),
            "task_id": _str(nullable=True),
            "data": {"type": "object"},
            "hash": _str(),
        }
    )


def _task_schema() -> Schema:
    return _object(
        {
            "id": _str(),
            "instance_id": _str(),
            "process_key": _str(),
            "element_id": _str(),
            "name": _str(nullable=True),
            "assignee": _str(nullable=True),
            "candidate_groups": _array(_str()),
            "candidate_users": _array(_str()),
            "due_at": _datetime(nullable=True),
            "priority": _int(),
            "org_unit": _str(nullable=True),
            "form": _str(nullable=True),
            "referred_by": _str(nullable=True),
            "referrals": _array({"type": "object"}),
            "escalated_to": _str(nullable=True),
            "signature_required": {"type": "boolean"},
            "sla": _object({"remaining_working_days": _int(), "level": {"enum": ["ok", "soon", "overdue"]}}),
        },
        required=TASK_REQUIRED,
    )


TASK_REQUIRED = (
    "id",
    "instance_id",
    "process_key",
    "element_id",
    "name",
    "assignee",
    "candidate_groups",
    "candidate_users",
    "due_at",
    "priority",
    "org_unit",
    "form",
    "referred_by",
    "referrals",
    "escalated_to",
    "signature_required",
)


def _instance_schema() -> Schema:
    return _object(
        {
            "instance_id": _str(),
            "process_key": _str(),
            "status": _status(),
            "revision": _int(),
            "business_key": _str(nullable=True),
            "org_unit": _str(nullable=True),
            "started_by": _str(nullable=True),
            "started_at": _datetime(),
            "ended_at": _datetime(nullable=True),
            "incident": {"type": ["object", "null"]},
        }
    )


# -- small builders ---------------------------------------------------------------------------------


def _op(
    operation_id: str,
    summary: str,
    parameters: list[dict[str, Any]],
    responses: dict[str, Any],
    *errors: int,
) -> dict[str, Any]:
    out = dict(responses)
    for status in (401, *errors):
        out[str(status)] = {"$ref": f"#/components/responses/{status}"}
    return {"operationId": operation_id, "summary": summary, "parameters": parameters, "responses": out}


def _param(name: str, description: str | None = None) -> dict[str, Any]:
    param: dict[str, Any] = {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
    if description:
        param["description"] = description
    return param


def _ok(schema: Schema) -> dict[str, Any]:
    return {"200": _response("OK", schema)}


def _created(schema: Schema) -> dict[str, Any]:
    return {"201": _response("Created", schema)}


def _response(description: str, schema: Schema) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def error_response(description: str) -> dict[str, Any]:
    return _response(description, _ref("Error"))


def _json_body(schema: Schema) -> dict[str, Any]:
    return {"required": False, "content": {"application/json": {"schema": schema}}}


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(
    properties: dict[str, Schema], *, required: tuple[str, ...] | None = None, closed: bool = False
) -> Schema:
    schema: Schema = {"type": "object", "properties": properties}
    schema["required"] = list(properties) if required is None else list(required)
    if closed:
        schema["additionalProperties"] = False
    return schema


def _array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def _str(*, nullable: bool = False) -> Schema:
    return {"type": ["string", "null"] if nullable else "string"}


def _int(*, nullable: bool = False) -> Schema:
    return {"type": ["integer", "null"] if nullable else "integer"}


def _datetime(*, nullable: bool = False) -> Schema:
    return {**_str(nullable=nullable), "format": "date-time"}


def _status() -> Schema:
    return {"type": "string", "enum": ["running", "completed", "error", "cancelled"]}
