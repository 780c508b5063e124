"""The budget circular's rules for a year (بخشنامهٔ بودجه): chapter limits, the capital share, mandatory
lines — data in ``engine/data/budget_circulars/<name>.json`` that an administrator keeps current."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from engine.budget import classification as classes
from engine.budget.classification import Classification, Title
from engine.errors import InvalidInput, NotFound, suggest

FOLDER = Path(__file__).resolve().parents[1] / "data" / "budget_circulars"
SIDES = ("uses", "resources")
SHARE_BASES = ("uses", "capital")


@dataclasses.dataclass(frozen=True)
class Limit:
    """A chapter's total may be at most ``max_percent`` of its side's total."""

    id: str
    side: str
    section: str | None
    chapter: str
    max_percent: Decimal


@dataclasses.dataclass(frozen=True)
class MandatoryLine:
    """A use the budget must hold under ``code``, in its section and chapter, of at least ``min_amount``
    Rials and, when ``min_percent`` is set, at least that share of ``of`` (all uses, or the capital ones)."""

    code: str
    section: str
    chapter: str
    title: Title
    min_amount: int
    min_percent: Decimal | None
    of: str


@dataclasses.dataclass(frozen=True)
class Circular:
    name: str
    year: int
    title: Title
    limits: tuple[Limit, ...]
    capital_min_percent: Decimal | None
    mandatory_lines: tuple[MandatoryLine, ...]
    classification: Classification


def available(folder: Path = FOLDER) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.json"))


def load(name: str | int, *, folder: Path = FOLDER) -> Circular:
    """The circular called ``name`` (``"1405"``), checked against the classification."""
    name = str(name)
    path = folder / f"{name}.json"
    if not name.isalnum() or not path.is_file():
        known = available(folder)
        raise NotFound(
            f"بخشنامهٔ بودجهٔ «{name}» در سامانه نیست (budget circular '{name}' not found)",
            hint=suggest(name, known) or f"known circulars: {', '.join(known) or 'none'}",
        )
    try:
        doc = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        return parse(doc, name=name, classification=classes.load())
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(f"budget circular '{name}' is not valid: {exc}", file=str(path)) from None


def parse(doc: Mapping[str, Any], *, name: str, classification: Classification) -> Circular:
    capital = doc.get("capital_share") or {}
    return Circular(
        name=name,
        year=_int(doc["year"], "year"),
        title=classes.Title(fa=doc["title"]["fa"], en=doc["title"]["en"]),
        limits=tuple(_limit(item, classification) for item in doc.get("limits", [])),
        capital_min_percent=_percent(capital["min_percent"]) if "min_percent" in capital else None,
        mandatory_lines=tuple(_mandatory(item, classification) for item in doc.get("mandatory_lines", [])),
        classification=classification,
    )


def _limit(doc: Mapping[str, Any], classification: Classification) -> Limit:
    side, chapter = doc["side"], str(doc["chapter"])
    section = doc.get("section")
    if side not in SIDES:
        raise ValueError(f"limit {doc['id']}: side must be one of {', '.join(SIDES)}")
    known = (
        classification.use_chapter(section, chapter)
        if side == "uses"
        else classification.resource_chapters.get(chapter)
    )
    if known is None:
        raise ValueError(f"limit {doc['id']}: no chapter {chapter} in {side} {section or ''}".rstrip())
    return Limit(str(doc["id"]), side, section, chapter, _percent(doc["max_percent"]))


def _mandatory(doc: Mapping[str, Any], classification: Classification) -> MandatoryLine:
    section, chapter = doc["section"], str(doc["chapter"])
    if classification.use_chapter(section, chapter) is None:
        raise ValueError(f"mandatory line {doc['code']}: no chapter {chapter} in section {section}")
    if doc.get("of", "uses") not in SHARE_BASES:
        raise ValueError(f"mandatory line {doc['code']}: 'of' must be one of {', '.join(SHARE_BASES)}")
    return MandatoryLine(
        code=str(doc["code"]),
        section=section,
        chapter=chapter,
        title=classes.Title(fa=doc["title"]["fa"], en=doc["title"]["en"]),
        min_amount=_int(doc.get("min_amount", 1), "min_amount"),
        min_percent=_percent(doc["min_percent"]) if "min_percent" in doc else None,
        of=doc.get("of", "uses"),
    )


def _percent(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal) or not 0 <= value <= 100:
        raise ValueError(f"a percentage must be a number from 0 to 100, not {value!r}")
    return Decimal(value)


def _int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be an integer, not {value!r}")
    return value
