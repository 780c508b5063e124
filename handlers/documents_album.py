"""``documents.budget_album``: renders the case's budget as the album PDF and stores it as an attachment.

Reads ``budget`` (its ``fiscal_year`` and ``unit`` fall back to the case's own), and when present
``unit_title``, ``unit_titles`` (names of the units that spend), ``council_approval`` (``date``,
``resolution_no``) and ``approvals`` (``{role, name, at}``). Writes ``album``: the attachment reference.
When the server has a seal (``services["pdf_seal"]``, from ``handlers.signing.pdf_seal``), the stored
album is signed with it: PAdES B-LT with the visible Persian stamp on the last page.
A budget the album cannot print is a BPMN error ``check_failed`` with a Persian message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import HandlerContext, HandlerError, InvalidInput, handler
from engine.persian import to_persian_digits
from handlers.documents.album import render_album
from handlers.documents.storage import store_pdf


@handler("documents.budget_album")
def budget_album(ctx: HandlerContext) -> dict[str, str]:
    budget = ctx.data.get("budget")
    if not isinstance(budget, Mapping):
        raise HandlerError(
            "داده‌های بودجه (budget) در پرونده نیست؛ آلبوم بودجه ساخته نشد", error_code="check_failed"
        )
    budget = {**budget}
    for key in ("fiscal_year", "unit"):
        budget.setdefault(key, ctx.data.get(key))
    unit = str(budget.get("unit") or "")
    unit_title = str(ctx.data.get("unit_title") or unit)
    try:
        pdf = render_album(
            budget,
            unit_title=unit_title,
            council_approval=_mapping(ctx.data.get("council_approval")),
            approvals=[a for a in ctx.data.get("approvals") or [] if isinstance(a, Mapping)],
            generated_at=ctx.clock.now(),
            unit_titles=_mapping(ctx.data.get("unit_titles")),
        )
    except InvalidInput as exc:
        raise HandlerError(exc.message, error_code="check_failed", details=exc.details) from None
    filename = f"budget-album-{unit}-{budget.get('fiscal_year')}.pdf"
    seal = ctx.services.get("pdf_seal")
    if seal is not None:
        pdf = seal(pdf, f"آلبوم بودجهٔ سال {to_persian_digits(budget.get('fiscal_year'))} {unit_title}")
    return {"album": store_pdf(ctx, pdf, filename)}


def _mapping(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, Mapping) else {}
