"""The Vazirmatn font, registered with reportlab from ``node_modules/vazirmatn`` (installed by ``make assets``).

Vazirmatn covers Persian (with the Arabic presentation forms the reshaper emits), Persian digits, the
Persian separators and Latin, so one family serves every string and every glyph is embedded (PDF/A
archives need that; reportlab's Helvetica would not be embedded).
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from engine.errors import NezaratError

ROOT = Path(__file__).resolve().parents[2]
FONT_DIR = ROOT / "node_modules" / "vazirmatn" / "fonts" / "ttf"
REGULAR = "Vazirmatn"
BOLD = "Vazirmatn-Bold"
_FILES = {REGULAR: "Vazirmatn-Regular.ttf", BOLD: "Vazirmatn-Bold.ttf"}


class FontMissing(NezaratError):
    """The Vazirmatn TTFs are not installed; documents cannot be drawn (an operator fixes this)."""

    code = "font_missing"


def register_fonts(font_dir: Path = FONT_DIR) -> None:
    """Register Vazirmatn (regular and bold) once; raise :class:`FontMissing` naming the fix if absent."""
    if _registered_from(font_dir):
        return
    missing = [name for name in _FILES.values() if not (font_dir / name).is_file()]
    if missing:
        raise FontMissing(
            f"فونت وزیرمتن پیدا نشد: {', '.join(missing)} در {font_dir} نیست "
            "(Vazirmatn font files are missing)",
            hint="run `make assets` (npm ci) in the repository root to install node_modules/vazirmatn",
        )
    for face, name in _FILES.items():
        pdfmetrics.registerFont(TTFont(face, str(font_dir / name)))
    for italic in (0, 1):
        addMapping(REGULAR, 0, italic, REGULAR)
        addMapping(REGULAR, 1, italic, BOLD)


def _registered_from(font_dir: Path) -> bool:
    registered = set(pdfmetrics.getRegisteredFontNames())
    if not set(_FILES) <= registered:
        return False
    font = pdfmetrics.getFont(REGULAR)
    return Path(font.face.filename).parent == font_dir
