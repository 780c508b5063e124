"""Hand a rendered PDF to the attachment store the platform passes in ``ctx.services["attachments"]``.

The store's contract (forms/attachments.py): ``put(data, *, filename, content_type) -> "sha256:<hex>"``.
"""

from __future__ import annotations

from engine import HandlerContext, NezaratError


def store_pdf(ctx: HandlerContext, data: bytes, filename: str) -> str:
    """Store ``data`` as a PDF attachment and return its reference."""
    store = ctx.services.get("attachments")
    if store is None:
        # a deployment fault, not the clerk's: it becomes an incident rather than a BPMN error
        raise NezaratError(
            f"handler '{ctx.name}' needs the attachment store, but no 'attachments' service is configured",
            element=ctx.element_id,
        )
    return str(store.put(data, filename=filename, content_type="application/pdf"))
