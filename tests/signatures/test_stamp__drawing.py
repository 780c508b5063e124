"""The stamp is a PDF of the field's size, in the caller's fonts and shaping, and says what is needed."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from engine.errors import NezaratError
from engine.persian import jalali_datetime
from handlers.documents.persian_text import shape
from signatures.stamp import StampFace, StampText, draw_stamp
from tests.signatures.signing_support import Pki


def test_the_stamp_is_one_page_of_the_field_size(pki: Pki, face: StampFace) -> None:
    pdf = draw_stamp(StampText("علی رضایی", pki.clock.now(), role="کارشناس"), face, (220, 90))

    (page,) = PdfReader(io.BytesIO(pdf)).pages
    assert (float(page.mediabox.width), float(page.mediabox.height)) == (220, 90)


def test_every_line_goes_through_the_shaping_function(pki: Pki, face: StampFace) -> None:
    seen: list[str] = []

    def recording(text: str) -> str:
        seen.append(text)
        return shape(text)

    draw_stamp(
        StampText("علی رضایی", pki.clock.now(), role="کارشناس", reason="تأیید"),
        StampFace(recording),
        (220, 90),
    )

    assert seen[0] == "امضای دیجیتال"
    assert "امضاکننده: علی رضایی" in seen and "سمت: کارشناس" in seen and "موضوع: تأیید" in seen
    assert f"زمان: {jalali_datetime(pki.clock.now())}" in seen


def test_a_long_reason_is_shortened_with_an_ellipsis(pki: Pki, face: StampFace) -> None:
    seen: list[str] = []

    def recording(text: str) -> str:
        seen.append(text)
        return shape(text)

    reason = "تأیید " + "بسیار " * 40 + "طولانی"
    draw_stamp(StampText("علی", pki.clock.now(), reason=reason), StampFace(recording), (220, 90))

    assert seen[-1].startswith("موضوع: تأیید بسیار") and seen[-1].endswith("…")


def test_fonts_that_are_not_registered_are_named(pki: Pki) -> None:
    with pytest.raises(NezaratError, match="Nastaliq-Missing"):
        draw_stamp(
            StampText("علی", pki.clock.now()), StampFace(shape, regular_font="Nastaliq-Missing"), (220, 90)
        )
