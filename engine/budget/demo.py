"""The canonical demo budget: muni-a (a grade-7 municipality) for 1405, which passes circular 1405.

About 697 billion Toman (6,970 billion Rials) in eleven resource and seventeen use lines; current uses
are 50.6 % and capital uses 49.4 % of the total. Line codes follow the demo's own convention (see
``engine/data/budget_classification.json``): resources by chapter, ``2<chapter><nn>`` for current uses,
``36<nn>`` for capital projects; 2301, 3601 and 3602 are the circular's mandatory lines.
"""

from __future__ import annotations

from typing import Any

BILLION = 1_000_000_000  # Rials

_RESOURCES = [
    ("11", "1", "عوارض صدور پروانه‌های ساختمانی", 2400),
    ("12", "1", "عوارض بر ارزش افزوده (سهم شهرداری)", 900),
    ("13", "1", "عوارض نوسازی و عمران شهری", 600),
    ("21", "2", "عوارض کسب و پیشه", 350),
    ("31", "3", "بهای خدمات مدیریت پسماند", 300),
    ("32", "3", "درآمد پارکینگ‌ها و پایانه‌های مسافربری", 120),
    ("41", "4", "اجارهٔ اموال و دارایی‌های شهرداری", 250),
    ("51", "5", "کمک‌های دولت از محل اعتبارات تملک دارایی استانی", 800),
    ("61", "6", "کمک‌های مردمی و اهدایی", 50),
    ("71", "7", "فروش اموال غیرمنقول", 700),
    ("72", "7", "تسهیلات بانکی", 500),
]

_CURRENT = [
    ("2101", "1", "حقوق و مزایای کارکنان", 1300),
    ("2102", "1", "بیمه و بازنشستگی کارکنان", 300),
    ("2201", "2", "هزینه‌های اداری و نگهداری ساختمان‌ها", 400),
    ("2202", "2", "قراردادهای رفت‌وروب و جمع‌آوری پسماند", 650),
    ("2301", "3", "بازپرداخت بدهی‌ها و تعهدات سنواتی", 350),
    ("2302", "3", "سود و کارمزد تسهیلات بانکی", 80),
    ("2401", "4", "یارانهٔ حمل‌ونقل عمومی (اتوبوسرانی)", 120),
    ("2501", "5", "کمک به سازمان آتش‌نشانی و خدمات ایمنی", 180),
    ("2601", "6", "خدمات رفاهی کارکنان و کمک‌های اجتماعی", 90),
    ("2701", "7", "هزینه‌های پیش‌بینی‌نشده", 60),
]

_CAPITAL = [
    ("3601", "P-1405-001", "مناسب‌سازی معابر و اماکن عمومی برای افراد دارای معلولیت", 180),
    ("3602", "P-1405-002", "حفاظت از محیط زیست و توسعهٔ فضای سبز شهری", 250),
    ("3603", "P-1405-003", "آسفالت و بهسازی معابر", 1100),
    ("3604", "P-1405-004", "احداث و تعریض خیابان‌های محله‌ای", 900),
    ("3605", "P-1405-012", "احداث پارک محله‌ای", 300),
    ("3606", "P-1405-006", "خرید ماشین‌آلات خدمات شهری", 400),
    ("3607", "P-1405-007", "ساماندهی ایستگاه‌های حمل‌ونقل عمومی", 310),
]


def demo_budget(unit: str = "muni-a", year: int = 1405) -> dict[str, Any]:
    """A realistic approved-to-be budget in the ``budget`` case-data shape (a fresh copy on each call)."""
    resources = [
        {"code": code, "chapter": chapter, "title": title, "amount": billions * BILLION}
        for code, chapter, title, billions in _RESOURCES
    ]
    current = [
        {
            "code": code, "section": "current", "chapter": chapter, "title": title, "unit": unit,
            "classification": "activity", "amount": billions * BILLION,
        }
        for code, chapter, title, billions in _CURRENT
    ]  # fmt: skip
    capital = [
        {
            "code": code, "section": "capital", "chapter": "6", "title": title, "unit": unit,
            "classification": "service", "project": project, "amount": billions * BILLION,
        }
        for code, project, title, billions in _CAPITAL
    ]  # fmt: skip
    return {
        "fiscal_year": year,
        "unit": unit,
        "circular": str(year),
        "resources": resources,
        "uses": current + capital,
    }
