"""The TrueType fonts every PDF text is set in (embedded, subset by reportlab).

The 14 standard PDF fonts are not embedded and have no glyph for most of
Unicode (Greek, Cyrillic, the narrow no-break space CLDR puts in French
numbers…), and PDF/A requires every font embedded. facturlib ships DejaVu Sans
(Bitstream Vera licence, see ``fonts/LICENSE-DejaVu.txt``), regular and bold,
and registers them with reportlab under facturlib's own names the first time a
PDF is rendered. reportlab keeps registered fonts in a process-wide table; the
registration is idempotent and only ever adds these two fixed entries.
"""

from __future__ import annotations

import threading
from importlib import resources

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

__all__ = ["BOLD", "REGULAR", "register_fonts"]

REGULAR = "FacturlibSans"
BOLD = "FacturlibSans-Bold"

_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
_LOCK = threading.Lock()


def _registered(name: str) -> bool:
    return name in pdfmetrics.getRegisteredFontNames()


def register_fonts() -> tuple[str, str]:
    """Register the shipped fonts with reportlab (once); return (regular, bold) names."""
    if _registered(REGULAR) and _registered(BOLD):
        return REGULAR, BOLD
    with _LOCK:
        folder = resources.files("facturlib.renderers") / "fonts"
        for name, filename in _FILES.items():
            if not _registered(name):
                with resources.as_file(folder / filename) as path:
                    pdfmetrics.registerFont(TTFont(name, str(path)))
        # <b> in a Paragraph switches to the bold face of the family.
        addMapping(REGULAR, 0, 0, REGULAR)
        addMapping(REGULAR, 1, 0, BOLD)
        addMapping(REGULAR, 0, 1, REGULAR)
        addMapping(REGULAR, 1, 1, BOLD)
    return REGULAR, BOLD
