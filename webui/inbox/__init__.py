"""The clerk's inbox: tabs, filters, sorting, paging, bulk claim and refer, saved filters, CSV export."""

from __future__ import annotations

from webui.inbox.views import bp

__all__ = ["bp"]
