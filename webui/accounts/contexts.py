"""Typed contexts of the accounts blueprint's pages."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class SignInPage:
    """Context of ``templates/accounts/signin.html``."""

    next: str
    user_name: str = ""
    error: str | None = None
