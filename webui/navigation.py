"""Where a form sends the user back to: only paths of this site, never another host."""

from __future__ import annotations

from urllib.parse import urlsplit


def local_path(target: str | None, default: str) -> str:
    """``target`` when it is a path on this site (``/inbox?tab=mine``), else ``default``.

    ``//evil.example`` and ``/\\evil.example`` are refused: browsers read both as another host.
    """
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
