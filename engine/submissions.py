"""The contract between the runtime and form validation, which lives a layer above (``forms/``).

The composition roots (``run.py``, ``webui``) give the runtime a :data:`Validator`; the runtime calls it
with every completion whose task names a form of its bundle, inside the completion's transaction, so a
refused submission changes nothing. The engine itself never imports ``forms``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from engine import directory
from engine.errors import NotFound
from engine.store.models import Unit


@dataclasses.dataclass(frozen=True)
class Submission:
    """One form submission: the form's file name and definition, the data as sent, and who sent it."""

    form_name: str
    form: Mapping[str, Any]
    # Versions never change, so (version_id, form_name) names the same form for good: a cache key.
    version_id: int
    data: dict[str, Any]
    actor: str | None
    tx: Session = dataclasses.field(repr=False)

    def user_exists(self, name: str) -> bool:
        try:
            directory.person(self.tx, name)
        except NotFound:
            return False
        return True

    def unit_exists(self, name: str) -> bool:
        return self.tx.get(Unit, name) is not None


# Returns the cleaned data, or raises engine.errors.ValidationError with per-field details.
Validator = Callable[[Submission], Mapping[str, Any]]


# A form definition's problem, or None when the layer above accepts it. Given at deploy (and check) so a
# broken form is refused with the bundle (NZ021), not found by the first clerk who completes the task.
FormCheck = Callable[[str, Mapping[str, Any]], "str | None"]
