"""``documents.letter``: a Persian letter, decree or ruling PDF filled from the case, stored as an attachment.

Parameters: ``template`` (``decree``, ``ruling`` or ``notice``) and ``to``; as with the budget handlers a
task parameter wins over the case data field of the same name (a Camunda ``external`` task has no
parameters, so there both come from the case data). The keys each template reads are listed in
:mod:`handlers.documents.letter_templates`. Writes ``letter``: the attachment reference.
The letter is dated by the engine's clock. Missing case data is a BPMN error ``check_failed``.
"""

from __future__ import annotations

from engine import HandlerContext, HandlerError, InvalidInput, handler
from handlers.documents.letter import render_letter
from handlers.documents.letter_templates import compose, pick
from handlers.documents.storage import store_pdf


@handler("documents.letter")
def letter(ctx: HandlerContext) -> dict[str, str]:
    template = pick(ctx.params, ctx.data, "template")
    now = ctx.clock.now()
    try:
        content = compose(template, ctx.data, ctx.params, instance_id=ctx.instance_id, now=now)
    except InvalidInput as exc:
        raise HandlerError(exc.message, error_code="check_failed") from None
    pdf = render_letter(
        title=content.title,
        number=content.number,
        date=now,
        to=content.to,
        subject=content.subject,
        body_paragraphs=content.body_paragraphs,
        signer_name=content.signer_name,
        signer_title=content.signer_title,
        org_title=content.org_title,
    )
    return {"letter": store_pdf(ctx, pdf, f"{template}-{ctx.instance_id}.pdf")}
