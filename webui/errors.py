"""The one place errors become responses: JSON under ``/api/``, a small Persian HTML page elsewhere.

Typed :class:`~engine.errors.NezaratError` subclasses carry their own status and code; werkzeug's HTTP
errors (404, 405, 413 …) and a refused CSRF token (``csrf_failed``) get the same shape; anything else is
logged with its traceback and answered with a bare 500 ``internal`` that shows no traceback. On a page
(not the API) a 401 sends the browser to the sign-in page, coming back afterwards. The JSON body is always
``{"ok": false, "code": …, "error": …, "status": …}`` plus the optional ``hint``/``file``/``line``/
``element``/``details`` of the error.
"""

from __future__ import annotations

import dataclasses
import logging
import secrets
from typing import Any

from flask import Flask, Response, jsonify, redirect, render_template, request, url_for
from flask_babel import lazy_gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from engine.errors import NezaratError

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"

HTTP_CODES = {
    400: "invalid_input",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
}

TITLES = {
    400: lazy_gettext("درخواست نادرست است"),
    401: lazy_gettext("نیاز به ورود"),
    403: lazy_gettext("اجازهٔ این کار را ندارید"),
    404: lazy_gettext("پیدا نشد"),
    405: lazy_gettext("این روش درخواست پذیرفته نیست"),
    409: lazy_gettext("کس دیگری زودتر تغییرش داده است"),
    413: lazy_gettext("حجم درخواست بیش از اندازه است"),
    422: lazy_gettext("انجام نشد"),
    429: lazy_gettext("درخواست‌ها بیش از اندازه است"),
    500: lazy_gettext("خطای داخلی"),
}
CSRF_MESSAGE = lazy_gettext(
    "فرم منقضی شده یا از جای دیگری فرستاده شده است؛ صفحه را دوباره باز کنید و دوباره بفرستید."
)


class TooLarge(NezaratError):
    """The request body or an uploaded file is larger than the limit."""

    status = 413
    code = "too_large"
    exit_code = 2


@dataclasses.dataclass(frozen=True)
class ErrorPage:
    """Context of ``templates/errors/error.html``."""

    status: int
    code: str
    title: str
    message: str
    hint: str | None = None


def init_app(app: Flask) -> None:
    app.register_error_handler(NezaratError, render_nezarat_error)
    app.register_error_handler(HTTPException, render_http_error)
    app.register_error_handler(Exception, render_unexpected)


def render_nezarat_error(err: NezaratError) -> Response:
    return respond(err.to_dict())


def render_http_error(err: HTTPException) -> Response:
    status = err.code or 500
    body = {
        "ok": False,
        "code": HTTP_CODES.get(status, "http_error"),
        "error": err.description or err.name,
        "status": status,
    }
    if isinstance(err, CSRFError):
        body.update(code="csrf_failed", error=str(CSRF_MESSAGE))
    response = respond(body)
    if isinstance(err, MethodNotAllowed) and err.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(err.valid_methods))
    return response


def render_unexpected(err: Exception) -> Response:
    reference = secrets.token_hex(4)
    logger.exception("unexpected error %s on %s %s", reference, request.method, request.path)
    message = f"an unexpected error occurred; it was logged with reference {reference}"
    return respond({"ok": False, "code": "internal", "error": message, "status": 500})


def respond(body: dict[str, Any]) -> Response:
    status = int(body["status"])
    if status == 401 and not wants_json():
        back = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("accounts.signin_page", next=back))
    if wants_json():
        response = jsonify(body)
    else:
        page = ErrorPage(
            status=status,
            code=str(body["code"]),
            title=str(TITLES.get(status, TITLES[500] if status >= 500 else TITLES[400])),
            message=str(body["error"]),
            hint=body.get("hint"),
        )
        response = Response(render_template("errors/error.html", page=page), mimetype="text/html")
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="nezarat"'
    return response


def wants_json() -> bool:
    return request.path.startswith(API_PREFIX) or request.path == API_PREFIX.rstrip("/")
