"""``credit.check_available``: the requested line is in the approved budget and has enough credit left.

Reads ``budget_line`` and ``amount`` (see engine.budget.case); writes ``credit_check`` =
``{"ok": true, "line", "amount", "approved", "committed", "remaining", …}``. An unknown line or too
little credit throws ``check_failed`` (or, with ``on_failure`` = ``record``, writes ``ok: false`` and
the problem).
"""

from __future__ import annotations

from engine import HandlerContext, NotFound, handler
from engine.budget import case
from engine.budget.errors import InsufficientCredit


@handler("credit.check_available")
def check_available(ctx: HandlerContext) -> dict[str, object]:
    line, amount = case.line_of(ctx), case.amount_of(ctx)
    asked = {"line": line.code, "unit": line.unit, "fiscal_year": line.fiscal_year, "amount": amount}
    try:
        balance = case.ledger_of(ctx).check_available(line.unit, line.fiscal_year, line.code, amount)
    except (NotFound, InsufficientCredit) as err:
        result = {"ok": False, **asked, "problems": [case.refusal(err)]}
        if case.on_failure(ctx) == "error":
            raise case.check_failed(result["problems"][0]["message"], result) from None
        return {"credit_check": result}
    return {"credit_check": {**balance.to_dict(), "ok": True, **asked}}
