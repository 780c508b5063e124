"""``credit.record_deposit``: records money deposited for ``budget_line`` (تخصیص / واریز), at most the
line's approved credit not yet allocated; writes nothing back."""

from __future__ import annotations

from engine import HandlerContext, NotFound, handler
from engine.budget import case
from engine.budget.errors import InsufficientCredit


@handler("credit.record_deposit")
def record_deposit(ctx: HandlerContext) -> None:
    line, amount = case.line_of(ctx), case.amount_of(ctx)
    try:
        case.ledger_of(ctx).record_deposit(
            line.unit, line.fiscal_year, line.code, amount,
            instance_id=ctx.instance_id, actor=ctx.actor, reference=f"{ctx.process_key}:{ctx.element_id}",
        )  # fmt: skip
    except (NotFound, InsufficientCredit) as err:
        problem = case.refusal(err)
        raise case.check_failed(problem["message"], {"ok": False, "problems": [problem]}) from None
