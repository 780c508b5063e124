"""The budget album PDF, read back: pages, Persian text, amounts, Jalali dates, charts, page numbers,
repeated table headers, the balance, embedded fonts, and refusal of a budget it cannot print."""

from __future__ import annotations

import copy
import io
import re
from pathlib import Path

import pypdf
import pytest

from engine.errors import InvalidInput
from tests.handlers.documents_support import (
    album_budget,
    compact,
    operators,
    page_count,
    page_texts,
    pdf_text,
    render_demo_album,
)


@pytest.fixture(scope="module")
def album() -> bytes:
    return render_demo_album()


@pytest.fixture(scope="module")
def pages(album: bytes, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return page_texts(album, tmp_path_factory.mktemp("album"))


def test_the_album_has_cover_summary_units_and_approvals(album: bytes, pages: list[str]) -> None:
    assert album.startswith(b"%PDF-") and page_count(album) == 5
    assert "آلبوم بودجه سال ۱۴۰۵" in pages[0]
    assert "خلاصه منابع و مصارف بودجه سال ۱۴۰۵" in pages[1]
    assert "مصارف به تفکیک واحد" in pages[2]
    assert "تأییدها و تصویب" in pages[4]


def test_the_cover_names_the_municipality_fiscal_year_and_council_resolution(pages: list[str]) -> None:
    cover = compact(pages[0])
    assert compact("شهرداری الف") in cover
    assert compact("سال مالی از ۱ فروردین ۱۴۰۵ تا ۲۹ اسفند ۱۴۰۵") in cover
    assert compact("مورخ ۱۴۰۴/۱۱/۱۹") in cover
    assert compact("۱۴۰۵/۰۸/۳۰ ساعت ۱۶:۳۰") in cover  # generated_at, 13:00 UTC, in Tehran time


def test_amounts_are_written_with_persian_digits_and_separators(album: bytes, pages: list[str]) -> None:
    summary = pages[1]
    assert (
        summary.count("۶٬۹۷۰٬۰۰۰٬۰۰۰٬۰۰۰") == 2 and pages[0].count("۶٬۹۷۰٬۰۰۰٬۰۰۰٬۰۰۰") == 2
    )  # resources, uses
    assert "۳٬۹۰۰٬۰۰۰٬۰۰۰٬۰۰۰" in summary  # chapter 1 of resources: 2400 + 900 + 600 billion
    assert "۳٬۵۳۰٬۰۰۰٬۰۰۰٬۰۰۰" in summary  # current uses
    assert "۵۶٫۰٪" in summary  # chapter 1's share of resources
    without_projects = re.sub(r"P-1405-\d{3}", "", " ".join(pages))
    assert re.search(r"[0-9]", without_projects) is None  # every number is in Persian digits


def test_the_summary_shows_resources_and_uses_by_chapter_with_titles_from_the_classification(
    pages: list[str],
) -> None:
    summary = pages[1]
    for title in (
        "درآمدهای ناشی از عوارض اختصاصی",
        "منابع تأمین اعتبار غیردرآمدی",
        "جبران خدمت کارکنان",
        "طرحها و پروژههای تملک داراییهای سرمایهای",
    ):
        assert title in summary, title
    assert "متوازن" in summary


def test_the_summary_page_carries_both_charts(album: bytes, pages: list[str]) -> None:
    ops = operators(album, 2)
    curves = sum(1 for _, op in ops if op == b"c")
    assert curves >= 7  # the pie's seven slices are Bézier arcs; tables draw only lines and rectangles
    assert not any(op == b"c" for _, op in operators(album, 3))
    assert "میلیارد ریال" in pages[1] and "طرحهای تملک دارایی" in pages[1]  # bar chart title and label
    assert "۱۱٫۵٪" in pages[1]  # pie legend: government grants' share


def test_pages_after_the_cover_are_numbered_in_persian_digits(pages: list[str]) -> None:
    assert "صفحه" not in pages[0]
    for number in range(2, 6):
        assert compact(f"صفحه {'۰۱۲۳۴۵'[number]} از ۵") in compact(pages[number - 1])


def test_each_spending_unit_gets_its_own_table_with_activity_and_service_totals(pages: list[str]) -> None:
    units = compact(" ".join(pages[2:4]))
    for unit in ("شهرداری الف", "سازمان سیما، منظر و فضای سبز شهری", "سازمان آتشنشانی و خدمات ایمنی"):
        assert compact(f"مصارف {unit}") in units, unit
    assert "P-1405-012" in units and "۳۶۰۵" in units  # project codes stay Latin, line codes turn Persian
    assert compact("جمع واحد ۵۵۰٬۰۰۰٬۰۰۰٬۰۰۰") in units  # 250 + 300 billion spent by the parks organisation


def test_approvals_are_listed_in_order_with_jalali_times(pages: list[str]) -> None:
    approvals = compact(pages[4])
    names = ["علی رضایی", "محمد کریمی", "زهرا احمدی", "سارا موسوی"]
    positions = [approvals.index(compact(name)) for name in names]
    assert positions == sorted(positions)
    assert compact("۱۴۰۴/۱۰/۲۰ ساعت ۱۰:۱۵") in approvals


def test_a_table_that_spans_pages_repeats_its_header(tmp_path: Path) -> None:
    budget = album_budget()
    extra = copy.deepcopy(budget["uses"][0])
    for n in range(120):
        budget["uses"].append({**extra, "code": f"29{n:03d}", "title": f"ردیف آزمایشی شماره {n}"})
    pdf = render_demo_album(budget)
    texts = page_texts(pdf, tmp_path)
    with_rows = [t for t in texts if "ردیف آزمایشی" in t]
    assert len(with_rows) >= 3
    assert all("عنوان ردیف" in t and "مبلغ )ریال(" in t for t in with_rows)


def test_an_unbalanced_budget_prints_its_deficit(tmp_path: Path) -> None:
    budget = album_budget()
    budget["uses"][0]["amount"] += 15_000_000_000
    summary = pdf_text(render_demo_album(budget), tmp_path, page=2)
    assert "کسری منابع نسبت به مصارف" in summary and "۱۵٬۰۰۰٬۰۰۰٬۰۰۰" in summary


def test_every_font_is_vazirmatn_and_embedded(album: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(album))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add((str(font["/BaseFont"]).split("+")[-1], "/FontFile2" in font["/FontDescriptor"]))
    assert fonts == {("Vazirmatn-Regular", True), ("Vazirmatn-Bold", True)}


def test_the_same_budget_gives_the_same_bytes(album: bytes) -> None:
    assert render_demo_album() == album  # the attachment ref is the content's hash


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda b: b.pop("resources"), "منابع"),
        (lambda b: b["uses"][2].update(amount="بسیار"), "uses/2/amount"),
        (lambda b: b["resources"][0].update(chapter="9"), "resources/0/chapter"),
        (lambda b: b.update(fiscal_year=None), "سال مالی"),
    ],
)
def test_a_budget_it_cannot_print_is_refused_in_persian(change: object, named: str) -> None:
    budget = album_budget()
    change(budget)  # type: ignore[operator]
    with pytest.raises(InvalidInput) as caught:
        render_demo_album(budget)
    assert caught.value.message.startswith("آلبوم بودجه ساخته نشد") and named in caught.value.message
