"""Languages of the pages: Persian (right to left, the default) and English, switched per session.

Message ids are the Persian texts themselves, so Persian never depends on a compiled catalog; only
English has one (``webui/translations/en/LC_MESSAGES/messages.po``). The ``.mo`` files are build
output: ``make assets`` (and the test setup) compile them with :func:`compile_catalogs`, and they are
not committed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, g, session
from flask_babel import Babel, get_translations

LANGUAGES = ("fa", "en")
DEFAULT = "fa"
DIRECTIONS = {"fa": "rtl", "en": "ltr"}
TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    Babel(app, locale_selector=language)
    # Flask-Babel finds the catalog again at each of a page's hundred-odd texts; a page's texts share one.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda text: _catalog().ugettext(text),
        lambda one, many, n: _catalog().ungettext(one, many, n),
        newstyle=True,
        pgettext=lambda context, text: _catalog().upgettext(context, text),
        npgettext=lambda context, one, many, n: _catalog().unpgettext(context, one, many, n),
    )
    app.context_processor(lambda: {"lang": language(), "direction": direction()})


def _catalog() -> Any:
    """The request's translations, looked up once per application context."""
    found = g.get("nz_translations")
    if found is None:
        found = g.nz_translations = get_translations()
    return found


def language() -> str:
    """The session's language ('fa' until the user switches)."""
    chosen = session.get("lang")
    return chosen if chosen in LANGUAGES else DEFAULT


def direction() -> str:
    return DIRECTIONS[language()]


def compile_catalogs(root: Path = TRANSLATIONS) -> list[Path]:
    """Write each ``messages.mo`` that is missing or older than its ``.po``; returns the ones written."""
    written = []
    for po in sorted(root.glob("*/LC_MESSAGES/messages.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source)
        # One draft per process: test workers (or two servers) starting together each write their own,
        # and the rename makes whichever finishes last the catalog, whole.
        draft = mo.with_suffix(f".mo.{os.getpid()}.tmp")
        with draft.open("wb") as target:
            write_mo(target, catalog)
        draft.replace(mo)
        written.append(mo)
    return written
