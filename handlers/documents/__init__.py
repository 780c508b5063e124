"""Persian PDF documents: official letters and decrees, and the municipal budget album.

Drawn with reportlab and the Vazirmatn font (``node_modules/vazirmatn``); Persian is joined with
``arabic_reshaper`` and ordered with ``bidi.algorithm`` (reportlab's own right-to-left support needs a
library PyPI does not offer). This package registers no handler: ``handlers/documents_album.py`` and
``handlers/documents_letter.py`` do, and call :func:`render_album` and :func:`render_letter`.
It imports only the public ``engine`` API.
"""

from __future__ import annotations

from handlers.documents.album import render_album
from handlers.documents.letter import SIGNATURE_BOX, StampBox, render_letter

__all__ = ["SIGNATURE_BOX", "StampBox", "render_album", "render_letter"]
