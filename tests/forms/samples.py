"""Sample forms and files for the forms tests: a two-table budget form, one with every field kind, a PDF."""

from __future__ import annotations

from typing import Any

TITLE = {"fa": "آزمون", "en": "Test"}
MESSAGE = {"fa": "جمع منابع باید با جمع مصارف برابر باشد", "en": "Resources must equal uses"}
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)


def row_schema(minimum: int = 0) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["title", "amount"],
        "properties": {
            "title": {"type": "string", "title": "شرح"},
            "amount": {"type": "integer", "format": "rial", "minimum": minimum, "title": "مبلغ"},
        },
    }


def budget_raw() -> dict[str, Any]:
    return {
        "title": {"fa": "بودجه", "en": "Budget"},
        "schema": {
            "type": "object",
            "required": ["resources", "uses"],
            "properties": {
                "resources": {"type": "array", "title": "منابع", "minItems": 1, "items": row_schema()},
                "uses": {"type": "array", "title": "مصارف", "minItems": 1, "items": row_schema()},
            },
        },
        "ui": {"fields": {"uses": {"label_en": "Uses", "columns": {"amount": {"label_en": "Amount"}}}}},
        "checks": [
            {
                "id": "balanced",
                "rule": "sum_of(resources, 'amount') == sum_of(uses, 'amount')",
                "path": "uses",
                "message": MESSAGE,
            }
        ],
    }


def every_kind_raw() -> dict[str, Any]:
    """One field of each kind the UI draws."""
    return {
        "title": {"fa": "همه‌ی گونه‌ها", "en": "Every kind"},
        "schema": {
            "type": "object",
            "required": ["subject", "amount"],
            "properties": {
                "subject": {"type": "string", "title": "موضوع", "minLength": 3, "maxLength": 40},
                "body": {"type": "string", "title": "متن", "ui": {"widget": "textarea"}},
                "count": {"type": "integer", "title": "تعداد", "minimum": 1, "maximum": 10},
                "amount": {"type": "integer", "format": "rial", "title": "مبلغ (ریال)"},
                "date": {"type": "string", "format": "jalali-date", "title": "تاریخ"},
                "decision": {"type": "string", "enum": ["confirm", "reject"], "title": "رأی"},
                "owner": {"type": "string", "format": "user", "title": "کارشناس"},
                "unit": {"type": "string", "format": "unit", "title": "واحد"},
                "scan": {"type": "string", "format": "attachment", "title": "تصویر نامه"},
                "urgent": {"type": "boolean", "title": "فوری"},
                "lines": {"type": "array", "title": "ردیف‌ها", "items": row_schema()},
            },
        },
        "ui": {
            "order": ["date", "subject", "amount"],
            "fields": {
                "amount": {"label_en": "Amount (Rials)", "help": {"fa": "به ریال", "en": "In Rials"}},
                "decision": {"labels": {"confirm": {"fa": "تأیید", "en": "Confirm"}, "reject": "رد"}},
                "scan": {"accept": ["application/pdf"], "max_bytes": 1048576},
                "lines": {"order": ["amount", "title"], "columns": {"amount": {"label_en": "Amount"}}},
            },
        },
    }
