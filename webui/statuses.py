"""What pages call an instance's status: one label per status, for the auditor's pages and the admin's.

Apart from both areas because the instance page offers the admin's actions and the admin's pages name the
status: neither area imports the other for it.
"""

from __future__ import annotations

from flask_babel import lazy_gettext

STATUS_LABELS = {
    "running": lazy_gettext("در جریان"),
    "error": lazy_gettext("دچار خطا"),
    "suspended": lazy_gettext("معلق"),
    "completed": lazy_gettext("پایان‌یافته"),
    "cancelled": lazy_gettext("لغوشده"),
}
