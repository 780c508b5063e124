"""Helpers for the documents tests: demo album inputs, reading PDFs back (pdftotext, pypdf), page images.

pdftotext puts the visual-order, presentation-form text of our PDFs back into logical order; after
NFKC (presentation forms → letters) and dropping bidi marks and ZWNJ, Persian words can be searched.
pypdf is used for what it reads reliably: page count, fonts and content-stream operators.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pypdf
from PIL import Image

from engine.budget.demo import demo_budget
from engine.clock import FixedClock
from engine.service_tasks import HandlerContext
from forms.attachments import AttachmentStore
from handlers.documents.album import render_album
from tests.support.tools import require

# 13:00 UTC on 21 November 2026 is 16:30 on 30 Aban 1405 in Tehran.
GENERATED_AT = dt.datetime(2026, 11, 21, 13, 0, tzinfo=dt.UTC)
UNIT_TITLE = "شهرداری الف (درجه ۷)"
UNIT_TITLES = {
    "muni-a-parks": "سازمان سیما، منظر و فضای سبز شهری",
    "muni-a-fire": "سازمان آتش‌نشانی و خدمات ایمنی",
}
COUNCIL = {"date": "1404/11/19", "resolution_no": "245/ش/1404"}
APPROVALS = [
    {"role": "مسئول بودجه شهرداری", "name": "علی رضایی", "at": "2026-01-10T10:15:00+03:30"},
    {"role": "شهردار", "name": "محمد کریمی", "at": "2026-01-14T12:40:00+03:30"},
    {"role": "دبیر شورای اسلامی شهر", "name": "زهرا احمدی", "at": "2026-02-08T18:05:00+03:30"},
    {"role": "کارشناس امور شهری استانداری", "name": "سارا موسوی", "at": "2026-02-22T09:30:00+03:30"},
]
_MOVED = {"3602": "muni-a-parks", "3605": "muni-a-parks", "2501": "muni-a-fire"}


def album_budget() -> dict[str, Any]:
    """The canonical demo budget (muni-a, 1405), with three lines spent by two of the city's organisations."""
    budget = demo_budget()
    for line in budget["uses"]:
        line["unit"] = _MOVED.get(line["code"], line["unit"])
    return budget


def render_demo_album(budget: Mapping[str, Any] | None = None, **changes: Any) -> bytes:
    kwargs: dict[str, Any] = {
        "unit_title": UNIT_TITLE,
        "council_approval": COUNCIL,
        "approvals": APPROVALS,
        "generated_at": GENERATED_AT,
        "unit_titles": UNIT_TITLES,
    }
    return render_album(album_budget() if budget is None else budget, **{**kwargs, **changes})


def _tool(name: str) -> str:
    return require(name, "poppler-utils")


_MARKS = dict.fromkeys(map(ord, "\u200c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def normalise(text: str) -> str:
    """Letters instead of presentation forms, no bidi marks or ZWNJ, single spaces."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).translate(_MARKS)).strip()


def compact(text: str) -> str:
    """pdftotext may drop or move the space next to a number or a colon; compare without spaces."""
    return text.replace(" ", "")


def pdf_text(pdf: bytes, tmp_path: Path, *, page: int | None = None) -> str:
    """The normalised text layer of the PDF (or of one page, counted from 1), as pdftotext reads it."""
    source = tmp_path / "read.pdf"
    source.write_bytes(pdf)
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(
        [_tool("pdftotext"), "-enc", "UTF-8", *pages, str(source), "-"], capture_output=True, check=True
    )
    return normalise(out.stdout.decode("utf-8"))


def page_texts(pdf: bytes, tmp_path: Path) -> list[str]:
    return [pdf_text(pdf, tmp_path, page=n) for n in range(1, page_count(pdf) + 1)]


def page_count(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def operators(pdf: bytes, page: int) -> list[tuple[list[Any], bytes]]:
    """The content-stream operators of one page (counted from 1) as ``(operands, operator)``."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    content = pypdf.generic.ContentStream(reader.pages[page - 1].get_contents(), reader)
    return [(list(operands), op) for operands, op in content.operations]


def page_pngs(
    pdf: bytes, out_dir: Path, *, resolution: int = 60, pages: tuple[int, int] | None = None
) -> list[Path]:
    """Render pages with pdftoppm; returns the PNG paths in page order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    source = out_dir / "render.pdf"
    source.write_bytes(pdf)
    span = ["-f", str(pages[0]), "-l", str(pages[1])] if pages else []
    subprocess.run(
        [_tool("pdftoppm"), "-png", "-r", str(resolution), *span, str(source), str(out_dir / "p")], check=True
    )
    return sorted(out_dir.glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1]))


def load_png(path: Path) -> Image.Image:
    """The image in memory, its file closed."""
    with Image.open(path) as image:
        image.load()
        return image.copy()


def ink(image: Image.Image, box: tuple[int, int, int, int] | None = None) -> list[tuple[int, int]]:
    """Coordinates of the dark pixels (text, rules, chart marks) in ``box`` of a page image."""
    grey = image.convert("L")
    if box:
        grey = grey.crop(box)
    width = grey.width
    return [(i % width, i // width) for i, value in enumerate(grey.tobytes()) if value < 160]


def write_album_artifacts(target: Path, *, resolution: int = 60) -> list[Path]:
    """Render the demo album's cover and summary page as ``budget_album_p1.png`` and ``_p2.png``."""
    rendered = page_pngs(render_demo_album(), target / ".render", resolution=resolution, pages=(1, 2))
    kept = []
    for number, png in enumerate(rendered, start=1):
        final = target / f"budget_album_p{number}.png"
        png.replace(final)
        kept.append(final)
    shutil.rmtree(target / ".render")
    return kept


def attachment_store(tmp_path: Path) -> AttachmentStore:
    return AttachmentStore(tmp_path / "attachments")


def handler_context(
    name: str,
    data: Mapping[str, Any],
    *,
    services: Mapping[str, Any],
    params: Mapping[str, Any] | None = None,
    clock: FixedClock | None = None,
) -> HandlerContext:
    return HandlerContext(
        name=name,
        data=data,
        params=params or {},
        instance_id="3f2a9c1b-5d6e-4f70-8a9b-0c1d2e3f4a5b",
        process_key="budget_oversight",
        element_id="Task_document",
        actor="ali",
        clock=clock or FixedClock(GENERATED_AT),
        services=services,
    )


@dataclasses.dataclass(frozen=True)
class Word:
    """A word as pdftotext places it: points from the page's top-left corner; ``text`` in reading order."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def words(pdf: bytes, tmp_path: Path, *, page: int) -> list[Word]:
    """The words of one page with their boxes. A Persian word is drawn in visual order; it is reversed back."""
    source = tmp_path / "words.pdf"
    source.write_bytes(pdf)
    out = subprocess.run(
        [_tool("pdftotext"), "-bbox", "-f", str(page), "-l", str(page), str(source), "-"],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    found = []
    for x0, top, x1, bottom, raw in _WORD.findall(out):
        text = normalise(html.unescape(raw))
        if re.search(r"[\u0600-\u06ff]", text) and not re.search(r"[0-9۰-۹]", text):
            text = text[::-1]
        found.append(Word(text, float(x0), float(top), float(x1), float(bottom)))
    return found


def word(found: list[Word], text: str) -> Word:
    matches = [w for w in found if w.text == text]
    assert matches, f"{text!r} not among {[w.text for w in found]}"
    return matches[0]
