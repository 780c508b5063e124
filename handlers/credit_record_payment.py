"""``credit.record_payment``: records a payment of ``amount`` to ``payee``, only against a line of the
approved budget and only up to what was both committed and deposited on it; writes ``payment_id``."""

from __future__ import annotations

from engine import HandlerContext, InvalidInput, NotFound, handler
from engine.budget import case
from engine.budget.errors import InsufficientCredit


@handler("credit.record_payment")
def record_payment(ctx: HandlerContext) -> dict[str, object]:
    line, amount = case.line_of(ctx), case.amount_of(ctx)
    payee = case.value(ctx, "payee")
    if not isinstance(payee, str) or not payee.strip():
        raise InvalidInput(f"{ctx.name}: دریافت‌کنندهٔ پرداخت معلوم نیست (no 'payee' in the case data)")
    try:
        payment_id = case.ledger_of(ctx).record_payment(
            line.unit, line.fiscal_year, line.code, amount, payee=payee,
            instance_id=ctx.instance_id, actor=ctx.actor, reference=f"{ctx.process_key}:{ctx.element_id}",
        )  # fmt: skip
    except (NotFound, InsufficientCredit) as err:
        problem = case.refusal(err)
        raise case.check_failed(problem["message"], {"ok": False, "problems": [problem]}) from None
    return {"payment_id": payment_id}
