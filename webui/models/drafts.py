"""Model drafts: one per process owner and process key, kept in ``model_drafts`` until deployed.

A draft is the diagram as the modeler last saved it plus the bundle's forms as the form builder last
saved them. It is opened from a deployed version (its own forms; forms of called processes are the
called bundles', not this one's) or from a blank diagram, and dropped once deployed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, select

from engine.store.session import Store
from engine.store.web_models import ModelDraft


@dataclasses.dataclass(frozen=True)
class Draft:
    process_key: str
    base_version: int | None
    bpmn: str
    forms: dict[str, Any]
    saved_at: dt.datetime


def own_forms(forms: Mapping[str, Any]) -> dict[str, Any]:
    """A version's forms without those it took from called processes (named ``<process>/<form>``)."""
    return {name: form for name, form in forms.items() if "/" not in name}


def load(store: Store, owner: str, process_key: str) -> Draft | None:
    with store.reading() as tx:
        row = tx.scalar(_row(owner, process_key))
        if row is None:
            return None
        return Draft(row.process_key, row.base_version, row.bpmn_xml, dict(row.forms), row.saved_at)


def save(store: Store, owner: str, draft: Draft) -> None:
    """Create or replace ``owner``'s draft of ``draft.process_key``."""
    with store.transaction() as tx:
        row = tx.scalar(_row(owner, draft.process_key))
        if row is None:
            row = ModelDraft(owner=owner, process_key=draft.process_key)
            tx.add(row)
        row.base_version, row.bpmn_xml = draft.base_version, draft.bpmn
        row.forms, row.saved_at = dict(draft.forms), draft.saved_at


def drop(store: Store, owner: str, process_key: str) -> None:
    with store.transaction() as tx:
        tx.execute(delete(ModelDraft).where(ModelDraft.owner == owner, ModelDraft.process_key == process_key))


def of_owner(store: Store, owner: str) -> dict[str, dt.datetime]:
    """process key → when ``owner`` last saved a draft of it."""
    with store.reading() as tx:
        query = select(ModelDraft.process_key, ModelDraft.saved_at).where(ModelDraft.owner == owner)
        return {key: at for key, at in tx.execute(query)}


def _row(owner: str, process_key: str) -> Any:
    return select(ModelDraft).where(ModelDraft.owner == owner, ModelDraft.process_key == process_key)
