"""``credit.reserve``: commits ``amount`` on ``budget_line`` (تعهد اعتبار); writes ``reservation_id``.

The ledger checks the remaining credit again under the line's lock, so a request that passed
``credit.check_available`` but lost a race to another one throws ``check_failed`` here.
"""

from __future__ import annotations

from engine import HandlerContext, NotFound, handler
from engine.budget import case
from engine.budget.errors import InsufficientCredit


@handler("credit.reserve")
def reserve(ctx: HandlerContext) -> dict[str, object]:
    line, amount = case.line_of(ctx), case.amount_of(ctx)
    try:
        reservation_id = case.ledger_of(ctx).reserve(
            line.unit, line.fiscal_year, line.code, amount,
            instance_id=ctx.instance_id, actor=ctx.actor, reference=f"{ctx.process_key}:{ctx.element_id}",
        )  # fmt: skip
    except (NotFound, InsufficientCredit) as err:
        problem = case.refusal(err)
        raise case.check_failed(problem["message"], {"ok": False, "problems": [problem]}) from None
    return {"reservation_id": reservation_id}
