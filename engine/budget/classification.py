"""The budget classification: resource chapters, use sections and their economic chapters, and the
activity/service classification of uses — read from ``engine/data/budget_classification.json``."""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from engine.errors import InvalidInput

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "data" / "budget_classification.json"
PROJECT_RULES = ("required", "forbidden", "optional")


@dataclasses.dataclass(frozen=True)
class Title:
    fa: str
    en: str

    def to_dict(self) -> dict[str, str]:
        return {"fa": self.fa, "en": self.en}


@dataclasses.dataclass(frozen=True)
class Chapter:
    code: str
    title: Title


@dataclasses.dataclass(frozen=True)
class Section:
    """A part of the uses (current or capital) with its chapters; ``projects`` says whether its lines
    must, must not or may name a project."""

    code: str
    title: Title
    projects: str
    chapters: Mapping[str, Chapter]


@dataclasses.dataclass(frozen=True)
class Classification:
    resource_chapters: Mapping[str, Chapter]
    sections: Mapping[str, Section]
    kinds: Mapping[str, Title]

    def use_chapter(self, section: str, chapter: str) -> Chapter | None:
        found = self.sections.get(section)
        return None if found is None else found.chapters.get(chapter)


@functools.cache
def load(path: Path = DEFAULT_FILE) -> Classification:
    """The classification in ``path`` (read once per process; an administrator's edit needs a restart)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        return parse(doc)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(f"the budget classification cannot be read: {exc}", file=str(path)) from None


def parse(doc: Mapping[str, Any]) -> Classification:
    sections = {s["code"]: _section(s) for s in doc["uses"]["sections"]}
    return Classification(
        resource_chapters=_chapters(doc["resources"]["chapters"]),
        sections=sections,
        kinds={k["code"]: _title(k["title"]) for k in doc["classifications"]},
    )


def _section(doc: Mapping[str, Any]) -> Section:
    if doc.get("projects", "optional") not in PROJECT_RULES:
        raise ValueError(f"section {doc['code']}: 'projects' must be one of {', '.join(PROJECT_RULES)}")
    return Section(
        doc["code"], _title(doc["title"]), doc.get("projects", "optional"), _chapters(doc["chapters"])
    )


def _chapters(items: list[Mapping[str, Any]]) -> dict[str, Chapter]:
    chapters = {str(c["code"]): Chapter(str(c["code"]), _title(c["title"])) for c in items}
    if len(chapters) != len(items):
        raise ValueError("a chapter code appears twice")
    return chapters


def _title(doc: Mapping[str, str]) -> Title:
    return Title(fa=str(doc["fa"]), en=str(doc["en"]))
