"""The official letter PDF, read back: letterhead layout (organisation right, number and date top left),
recipient, subject, body order, the signature block under the exposed stamp box, and long letters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from handlers.documents import SIGNATURE_BOX, render_letter
from handlers.documents.layout import PAGE_HEIGHT, PAGE_WIDTH
from tests.handlers.documents_support import compact, load_png, page_count, page_pngs, pdf_text, word, words

BODY = (
    "نظر به تصویب بودجه سال ۱۴۰۵ شهرداری الف در جلسه مورخ ۱۴۰۴/۱۱/۱۹ شورای اسلامی شهر، بدین‌وسیله "
    "مراتب تأیید آن ابلاغ می‌گردد. خواهشمند است دستور فرمایید طرح P-1405-012 مطابق بخشنامه اجرا و "
    "گزارش پیشرفت آن هر سه ماه یک بار به این دفتر ارسال شود."
)


def letter(paragraphs: int = 1, **changes: Any) -> bytes:
    kwargs: dict[str, Any] = {
        "title": "ابلاغیه",
        "number": "123/ب/1405",
        "date": dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC),
        "to": "جناب آقای محمد کریمی\nشهردار محترم شهر الف",
        "subject": "ابلاغ بودجه مصوب سال ۱۴۰۵",
        "body_paragraphs": ["با سلام و احترام،", *[BODY] * paragraphs],
        "signer_name": "سارا موسوی",
        "signer_title": "مدیرکل دفتر امور شهری و شوراها",
        "org_title": "استانداری نمونه — دفتر امور شهری و شوراها",
    }
    return render_letter(**{**kwargs, **changes})


@pytest.fixture(scope="module")
def one_page() -> bytes:
    return letter()


def test_the_letter_text_has_every_part_in_persian(one_page: bytes, tmp_path: Path) -> None:
    text = pdf_text(one_page, tmp_path)
    assert page_count(one_page) == 1
    for part in (
        "بسمهتعالی",
        "ابلاغیه",
        "جناب آقای محمد کریمی",
        "موضوع",
        "ابلاغ بودجه مصوب سال",
        "با سلام و احترام",
    ):
        assert part in text, part
    assert "۱۴۰۵/۰۸/۳۰" in text  # 09:00 UTC on 21 Nov 2026 is 30 Aban 1405
    assert "P-1405-012" in text and "سارا موسوی" in text and "صفحه" not in text


def test_the_organisation_is_top_right_and_number_date_attachments_top_left(
    one_page: bytes, tmp_path: Path
) -> None:
    found = words(one_page, tmp_path, page=1)
    org = word(found, "استانداری")
    assert org.x0 > PAGE_WIDTH / 2 and org.top < 90
    for label, value in (("شماره:", "۱۴۰۵/ب/۱۲۳"), ("تاریخ:", "۱۴۰۵/۰۸/۳۰"), ("پیوست:", "ندارد")):
        left, right = word(found, value), word(found, label)
        assert left.x1 < PAGE_WIDTH / 2 and left.top < 110, value
        assert left.x1 < right.x0 and abs(left.top - right.top) < 3, label  # value left of its label
    blessing = word(found, "بسمهتعالی")
    assert abs((blessing.x0 + blessing.x1) / 2 - PAGE_WIDTH / 2) < 2


def test_body_lines_start_at_the_right_margin_and_run_in_reading_order(
    one_page: bytes, tmp_path: Path
) -> None:
    found = words(one_page, tmp_path, page=1)
    first, last = word(found, "نظر"), word(found, "شود.")
    assert first.top < last.top  # the paragraph's first word is on its first line, its last on the last
    assert first.x1 == pytest.approx(PAGE_WIDTH - 18 * 72 / 25.4, abs=1)  # right-aligned to the margin
    recipient = word(found, "جناب")
    assert recipient.x1 == pytest.approx(first.x1, abs=1)


def test_the_signer_stands_under_the_stamp_box_at_the_bottom_left(one_page: bytes, tmp_path: Path) -> None:
    box = SIGNATURE_BOX
    assert box.page == -1 and box.x1 - box.x0 > 150 and box.y1 - box.y0 > 70
    assert box.x1 < PAGE_WIDTH / 2 and box.y1 < PAGE_HEIGHT / 3
    name = word(words(one_page, tmp_path, page=1), "موسوی")
    assert box.x0 < name.x0 and name.x1 < box.x1
    assert PAGE_HEIGHT - box.y0 < name.top < PAGE_HEIGHT - box.y0 + 30  # just below the box


def test_the_stamp_box_is_outlined_exactly_where_it_is_exposed(one_page: bytes, tmp_path: Path) -> None:
    scale = 100 / 72
    image = load_png(page_pngs(one_page, tmp_path / "png", resolution=100)[0]).convert("L")
    top_edge = round((PAGE_HEIGHT - SIGNATURE_BOX.y1) * scale)
    xs = range(round(SIGNATURE_BOX.x0 * scale) + 4, round(SIGNATURE_BOX.x1 * scale) - 4)
    on_edge = sum(
        1 for x in xs if min(image.getpixel((x, y)) for y in (top_edge - 1, top_edge, top_edge + 1)) < 230
    )
    inside = sum(1 for x in xs if image.getpixel((x, top_edge + 20)) < 230)
    assert on_edge > len(xs) / 3 and inside == 0  # a dashed line on the edge, the box itself left empty


def test_a_long_letter_continues_and_signs_at_the_same_place_on_its_last_page(
    one_page: bytes, tmp_path: Path
) -> None:
    long = letter(paragraphs=9)
    assert page_count(long) == 2
    first, second = pdf_text(long, tmp_path, page=1), pdf_text(long, tmp_path, page=2)
    assert compact("صفحه ۱ از ۲") in compact(first) and "سارا موسوی" not in first
    assert "ادامه ابلاغیه شماره" in second and "سارا موسوی" in second
    short_name = word(words(one_page, tmp_path, page=1), "موسوی")
    long_name = word(words(long, tmp_path, page=2), "موسوی")
    assert (long_name.x0, long_name.top) == pytest.approx((short_name.x0, short_name.top), abs=0.5)
