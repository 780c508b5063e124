"""``budget.register_approved``: records the approved budget and its lines in the credit ledger.

Reads ``budget`` (and ``unit``/``fiscal_year``, which must agree with it when the case has them);
writes ``budget_id``. A second budget for the same unit and year is a ``Conflict`` (an incident, not
a BPMN error): it means two approvals of one year, which someone must look into.
"""

from __future__ import annotations

from engine import HandlerContext, InvalidInput, handler
from engine.budget import case


@handler("budget.register_approved")
def register_approved(ctx: HandlerContext) -> dict[str, object]:
    budget = dict(case.budget_of(ctx))
    for field in ("unit", "fiscal_year"):
        given = case.value(ctx, field)
        if given is None:
            continue
        if budget.get(field) is None:
            budget[field] = given
        elif budget[field] != given:
            raise InvalidInput(
                f"{ctx.name}: «{field}» پرونده ({given}) با «{field}» بودجه ({budget[field]}) یکی نیست"
            )
    budget_id = case.ledger_of(ctx).register_approved(budget, instance_id=ctx.instance_id, actor=ctx.actor)
    return {"budget_id": budget_id}
