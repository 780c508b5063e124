"""How the budget and credit handlers read their inputs and report a failed check.

A task parameter of the same name wins over the case data, so a diagram can point a handler at
another field (``amount`` = ``${request.amount}``). ``budget_line`` is a line code (``"3601"``) or an
object ``{"code", "unit", "fiscal_year"}``; what it leaves out comes from the case's ``unit`` and
``fiscal_year``, and the fiscal year defaults to the current one. Task parameter ``on_failure``:
``error`` (the default) throws the BPMN error ``check_failed`` for a boundary event to catch;
``record`` writes the failed result into the case data for a gateway to test instead.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from engine.budget import fiscal
from engine.errors import HandlerError, InvalidInput, NezaratError
from engine.service_tasks import HandlerContext

CHECK_FAILED = "check_failed"
FAILURE_MODES = ("error", "record")


@dataclasses.dataclass(frozen=True)
class LineRef:
    unit: str
    fiscal_year: int
    code: str


def value(ctx: HandlerContext, name: str) -> Any:
    return ctx.params[name] if name in ctx.params else ctx.data.get(name)


def budget_of(ctx: HandlerContext) -> Mapping[str, Any]:
    budget = value(ctx, "budget")
    if not isinstance(budget, Mapping):
        raise InvalidInput(f"{ctx.name}: پروندهٔ کار بودجه ندارد (the case data has no 'budget' object)")
    return budget


def line_of(ctx: HandlerContext) -> LineRef:
    line = value(ctx, "budget_line")
    fields: Mapping[str, Any] = line if isinstance(line, Mapping) else {"code": line}
    code, unit = fields.get("code"), fields.get("unit") or value(ctx, "unit")
    year = fields.get("fiscal_year") or value(ctx, "fiscal_year") or fiscal.current(ctx.clock).year
    if not isinstance(code, str) or not code.strip():
        raise InvalidInput(f"{ctx.name}: ردیف بودجه معلوم نیست (no 'budget_line' in the case data)")
    if not isinstance(unit, str) or not unit.strip():
        raise InvalidInput(f"{ctx.name}: واحد (شهرداری) معلوم نیست (no 'unit' in the case data)")
    if isinstance(year, bool) or not isinstance(year, int):
        raise InvalidInput(f"{ctx.name}: سال مالی باید عدد باشد، نه {year!r}")
    return LineRef(unit=unit.strip(), fiscal_year=year, code=code.strip())


def amount_of(ctx: HandlerContext) -> int:
    amount = value(ctx, "amount")
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise InvalidInput(f"{ctx.name}: مبلغ باید عدد صحیح به ریال باشد، نه {amount!r}")
    return amount


def ledger_of(ctx: HandlerContext) -> Any:
    """The credit ledger bound to the running transaction (an ``engine.budget.ledger.Ledger``)."""
    ledger = ctx.services.get("ledger")
    if ledger is None:
        raise NezaratError(f"{ctx.name}: the runtime gave this handler no 'ledger' service")
    return ledger


def on_failure(ctx: HandlerContext) -> str:
    mode = ctx.params.get("on_failure", "error")
    if mode not in FAILURE_MODES:
        raise InvalidInput(f"{ctx.name}: on_failure must be one of {', '.join(FAILURE_MODES)}, not {mode!r}")
    return str(mode)


def check_failed(message: str, result: Mapping[str, Any]) -> HandlerError:
    """The BPMN error of a failed system check; ``result`` (ok: false, problems) rides in its details."""
    return HandlerError(message, error_code=CHECK_FAILED, details=dict(result))


def refusal(err: NezaratError) -> dict[str, Any]:
    """A ledger refusal (unknown line, not enough credit) as a problem entry of a check result."""
    message = f"{err.message}؛ {err.hint}" if err.hint else err.message
    return {"code": err.code, "message": message, "details": err.details}
