"""The ``budget`` case data read into typed lines and summed the ways the album shows it.

The shape is checked by the budget engine's own rules (``engine.budget.structure.check_shape``) against
the classification in ``engine/data/budget_classification.json``, whose titles the album prints. Whether
resources equal uses or the circular's limits hold is *not* refused here (``budget.check_structure``
decides that): the album prints the balance instead.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from engine.budget import classification as budget_classification
from engine.budget.classification import Classification
from engine.budget.structure import check_shape
from engine.errors import InvalidInput
from handlers.documents.persian_text import persian_digits

_MAX_SHOWN = 5


@dataclasses.dataclass(frozen=True)
class ResourceLine:
    code: str
    chapter: str
    title: str
    amount: int


@dataclasses.dataclass(frozen=True)
class UseLine:
    code: str
    section: str
    chapter: str
    title: str
    unit: str
    classification: str
    amount: int
    project: str = ""


@dataclasses.dataclass(frozen=True)
class ChapterTotal:
    section: str  # "resources", or the uses' section: "current", "capital"
    chapter: str
    title: str
    amount: int


@dataclasses.dataclass(frozen=True)
class Budget:
    fiscal_year: int
    unit: str
    circular: str
    resources: tuple[ResourceLine, ...]
    uses: tuple[UseLine, ...]
    terms: Classification

    @property
    def total_resources(self) -> int:
        return sum(line.amount for line in self.resources)

    @property
    def total_uses(self) -> int:
        return sum(line.amount for line in self.uses)

    @property
    def balance(self) -> int:
        """Resources minus uses: positive is a surplus, negative a deficit."""
        return self.total_resources - self.total_uses

    def resources_by_chapter(self) -> list[ChapterTotal]:
        """Every resource chapter of the classification in order, zero where the budget has no line."""
        return [
            ChapterTotal(
                "resources", code, ch.title.fa, sum(r.amount for r in self.resources if r.chapter == code)
            )
            for code, ch in self.terms.resource_chapters.items()
        ]

    def uses_by_chapter(self) -> list[ChapterTotal]:
        """Per section in the classification's order, the chapters the budget has lines in."""
        totals: list[ChapterTotal] = []
        for code, section in self.terms.sections.items():
            for chapter, named in section.chapters.items():
                lines = [u for u in self.uses if u.section == code and u.chapter == chapter]
                if lines:
                    totals.append(ChapterTotal(code, chapter, named.title.fa, sum(u.amount for u in lines)))
        return totals

    def section_titles(self) -> dict[str, str]:
        return {code: section.title.fa for code, section in self.terms.sections.items()}

    def kind_titles(self) -> dict[str, str]:
        return {code: title.fa for code, title in self.terms.kinds.items()}

    def units(self) -> list[str]:
        """The units that spend, the budget's own unit first, then in order of first appearance."""
        seen = dict.fromkeys([self.unit, *(u.unit for u in self.uses)])
        return [unit for unit in seen if any(u.unit == unit for u in self.uses)]


def read_budget(data: object, terms: Classification | None = None) -> Budget:
    """Type the ``budget`` case data; raise :class:`InvalidInput` (Persian) naming what is wrong."""
    terms = terms or budget_classification.load()
    problems = check_shape(data, terms)
    if problems:
        shown = "؛ ".join(
            f"{p.message.fa} ({p.path})" if p.path else p.message.fa for p in problems[:_MAX_SHOWN]
        )
        more = len(problems) - _MAX_SHOWN
        suffix = f" و {persian_digits(more)} ایراد دیگر" if more > 0 else ""
        raise InvalidInput(
            f"آلبوم بودجه ساخته نشد؛ داده‌های بودجه نادرست است: {shown}{suffix}",
            details=[p.to_dict() for p in problems],
        )
    assert isinstance(data, Mapping)
    unit = str(data["unit"]).strip()
    return Budget(
        fiscal_year=int(data["fiscal_year"]),
        unit=unit,
        circular=str(data.get("circular") or data["fiscal_year"]),
        resources=tuple(_resource(line) for line in data["resources"]),
        uses=tuple(_use(line, unit) for line in data["uses"]),
        terms=terms,
    )


def _resource(line: Mapping[str, Any]) -> ResourceLine:
    return ResourceLine(
        line["code"].strip(), line["chapter"], str(line.get("title") or "").strip(), line["amount"]
    )


def _use(line: Mapping[str, Any], default_unit: str) -> UseLine:
    return UseLine(
        code=line["code"].strip(),
        section=line["section"],
        chapter=line["chapter"],
        title=str(line.get("title") or "").strip(),
        unit=str(line.get("unit") or default_unit).strip(),
        classification=line["classification"],
        amount=line["amount"],
        project=str(line.get("project") or "").strip(),
    )
