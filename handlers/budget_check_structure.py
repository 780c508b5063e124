"""``budget.check_structure``: the budget against its circular — resources equal uses, each chapter
within its limit, the capital share, the mandatory lines present (engine.budget.structure).

Reads ``budget`` (its ``circular``, else its ``fiscal_year``, names the rules); writes
``budget_check`` = ``{"ok": bool, "problems": [{code, path, message: {fa, en}}]}``. A failing budget
throws ``check_failed`` with the problems listed in Persian, unless the task sets ``on_failure`` =
``record``.
"""

from __future__ import annotations

from engine import HandlerContext, handler
from engine.budget import case, circular, structure


@handler("budget.check_structure")
def check_structure(ctx: HandlerContext) -> dict[str, object]:
    budget = case.budget_of(ctx)
    rules = circular.load(budget.get("circular") or budget.get("fiscal_year") or "")
    problems = structure.check(budget, rules)
    result = {"ok": not problems, "circular": rules.name, "problems": [p.to_dict() for p in problems]}
    if problems and case.on_failure(ctx) == "error":
        raise case.check_failed(structure.summary_fa(problems), result)
    return {"budget_check": result}
