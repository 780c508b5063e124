"""``/api/v1`` endpoints: each checks the bearer token, then makes one :class:`Platform` call as that user.

Shapes match the command line: deploy → list of ``{process_key, version, sha256, warnings}``; start,
complete, claim, unclaim, refer, return, cancel → ``{instance_id, status}``; approval (prepare a signature
step) → ``{data, sha256, summary, task_id, instance_id}``; tasks, instance, history, verify and kpis
return the platform's dicts. Authorization (candidate groups, org units) is the engine's; its errors are
rendered by :mod:`webui.errors`.
"""

from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, request

from handlers import signing
from webui import auth
from webui.api import bodies, openapi, uploads
from webui.extension import current_platform
from webui.tasks import lookup
from webui.tasks.page import attachment_store

bp = Blueprint("api", __name__, url_prefix="/api/v1")

PUBLIC_ENDPOINTS = frozenset({"api.openapi_document"})


@bp.before_request
def authenticate() -> None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    g.user = auth.user_for_header(current_platform(), request.headers.get("Authorization"))


def actor() -> str:
    name: str = g.user.name
    return name


@bp.get("/openapi.json")
def openapi_document() -> Response:
    return jsonify(openapi.document())


@bp.post("/deployments")
def deploy() -> tuple[Response, int]:
    platform = current_platform()
    with uploads.bundle_folder(platform.settings.max_bpmn_bytes) as folder:
        deployed = platform.deploy(folder, actor=actor(), source_name=uploads.uploaded_name())
        body = [uploads.scrub(d.to_dict(), folder) for d in deployed]
    return jsonify(body), 201 if any(d.created for d in deployed) else 200


@bp.post("/processes/<key>/instances")
def start(key: str) -> tuple[Response, int]:
    body = bodies.json_object(allowed=("data", "business_key"))
    business_key = bodies.optional_str(body, "business_key")
    result = current_platform().start(key, body.get("data"), actor=actor(), business_key=business_key)
    return jsonify(result.to_dict()), 201


@bp.get("/tasks")
def tasks() -> Response:
    instance_id = request.args.get("instance") or None
    return jsonify(current_platform().tasks(actor(), instance_id=instance_id))


@bp.post("/tasks/<task_id>/claim")
def claim(task_id: str) -> Response:
    return jsonify(current_platform().claim(task_id, actor=actor()).to_dict())


@bp.post("/tasks/<task_id>/unclaim")
def unclaim(task_id: str) -> Response:
    return jsonify(current_platform().unclaim(task_id, actor=actor()).to_dict())


@bp.post("/tasks/<task_id>/approval")
def prepare(task_id: str) -> Response:
    """What completing ``task_id`` with ``data`` asks this user to sign: the bytes for their token.

    The task is opened through the inbox's visibility first, as the task page does: a task the user cannot
    see (another municipality's) is a 404; one they see but may not act on is the engine's 403.
    """
    body = bodies.json_object(allowed=("data",))
    platform = current_platform()
    lookup.open_task(platform, g.user, task_id)
    approval = platform.approval(task_id, body.get("data"), actor=actor())
    return jsonify(signing.to_sign(approval, attachment_store(platform)).to_dict())


@bp.post("/tasks/<task_id>/complete")
def complete(task_id: str) -> Response:
    body = bodies.json_object(allowed=("data", "expected_rev", "signature"))
    expected_rev = bodies.optional_int(body, "expected_rev")
    signature = bodies.optional_base64(body, "signature")
    result = current_platform().complete(
        task_id, body.get("data"), actor=actor(), expected_rev=expected_rev, signature=signature
    )
    return jsonify(result.to_dict())


@bp.post("/tasks/<task_id>/refer")
def refer(task_id: str) -> Response:
    body = bodies.json_object(allowed=("to_user", "to_unit", "note"))
    result = current_platform().refer(
        task_id,
        actor=actor(),
        to_user=bodies.optional_str(body, "to_user"),
        to_unit=bodies.optional_str(body, "to_unit"),
        note=bodies.optional_str(body, "note"),
    )
    return jsonify(result.to_dict())


@bp.post("/tasks/<task_id>/return")
def give_back(task_id: str) -> Response:
    body = bodies.json_object(allowed=("note",))
    result = current_platform().give_back(task_id, actor=actor(), note=bodies.optional_str(body, "note"))
    return jsonify(result.to_dict())


@bp.get("/instances/<instance_id>")
def instance(instance_id: str) -> Response:
    return jsonify(current_platform().instance(instance_id, actor=actor()))


@bp.get("/instances/<instance_id>/history")
def history(instance_id: str) -> Response:
    return jsonify(current_platform().history(instance_id, actor=actor()))


@bp.route("/instances/<instance_id>/verify", methods=["GET", "POST"])
def verify(instance_id: str) -> Response:
    return jsonify(current_platform().verify(instance_id, actor=actor()).to_dict())


@bp.post("/instances/<instance_id>/cancel")
def cancel(instance_id: str) -> Response:
    return jsonify(current_platform().cancel(instance_id, actor=actor()).to_dict())


@bp.get("/kpis")
def kpis() -> Response:
    """KPIs of ``[from, to)`` (Jalali or ISO dates) for ``unit`` and below; the user's own unit by default."""
    args = request.args
    report = current_platform().kpis(
        since=args.get("from") or None,
        until=args.get("to") or None,
        unit=args.get("unit") or None,
        actor=actor(),
    )
    return jsonify(report)
