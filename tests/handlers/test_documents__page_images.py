"""The album's cover and summary page rendered to PNG (as kept in tests/artifacts/): not blank, and the
summary's headings and tables sit against the right margin, as right-to-left pages do. No pixel
comparison: fonts and poppler versions move pixels; people look at the committed images."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from tests.handlers.documents_support import ink, load_png, write_album_artifacts

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> list[Image.Image]:
    return [load_png(p) for p in write_album_artifacts(tmp_path_factory.mktemp("pages"))]


def test_cover_and_summary_render_as_a4_pages_with_content(rendered: list[Image.Image]) -> None:
    assert len(rendered) == 2
    for image in rendered:
        assert image.size == (497, 702)  # A4 at 60 dpi
        assert len(ink(image)) > 2_000


def test_the_summary_headings_are_set_against_the_right_margin(rendered: list[Image.Image]) -> None:
    summary = rendered[1]
    width, height = summary.size
    heading_band = ink(summary, (0, round(height * 0.10), width, round(height * 0.16)))
    xs = [x for x, _ in heading_band]
    assert xs and min(xs) > width / 2 and max(xs) > width * 0.85


def test_the_cover_has_text_in_its_right_half(rendered: list[Image.Image]) -> None:
    cover = rendered[0]
    width, height = cover.size
    body = ink(cover, (width // 2, round(height * 0.2), width - 50, round(height * 0.6)))
    assert len(body) > 500


def test_the_committed_artifacts_are_the_same_pages(rendered: list[Image.Image]) -> None:
    for number, image in enumerate(rendered, start=1):
        with Image.open(ARTIFACTS / f"budget_album_p{number}.png") as kept:
            assert kept.format == "PNG" and kept.size == image.size
