"""Short names of budget chapters for chart labels, where the classification's full titles would not fit.

The full titles come from ``engine/data/budget_classification.json``; a chapter missing here (one an
administrator added) is labelled with its full title.
"""

from __future__ import annotations

RESOURCE_SHORT = {
    "1": "عوارض عمومی",
    "2": "عوارض اختصاصی",
    "3": "بهای خدمات",
    "4": "وجوه و اموال",
    "5": "کمک‌های دولت",
    "6": "اعانات و هدایا",
    "7": "منابع غیردرآمدی",
}

USE_SHORT = {
    ("current", "1"): "جبران خدمت",
    ("current", "2"): "کالاها و خدمات",
    ("current", "3"): "تأمین مالی و بدهی",
    ("current", "4"): "یارانه",
    ("current", "5"): "کمک بلاعوض",
    ("current", "6"): "رفاه اجتماعی",
    ("current", "7"): "سایر هزینه‌ها",
    ("capital", "6"): "طرح‌های تملک دارایی",
}


def resource_short(chapter: str, title: str) -> str:
    return RESOURCE_SHORT.get(chapter, title)


def use_short(section: str, chapter: str, title: str) -> str:
    return USE_SHORT.get((section, chapter), title)
