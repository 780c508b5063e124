"""The budget's own refusal: a line has not enough credit for what was asked of it."""

from __future__ import annotations

from engine.errors import InvalidInput


class InsufficientCredit(InvalidInput):
    """A reservation, deposit, payment or release larger than the line allows; ``details`` holds the
    line, the amount asked, the amount available and the balance. Nothing was written."""

    status = 422
    code = "insufficient_credit"
