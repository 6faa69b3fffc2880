"""The TrueType fonts every PDF text is set in (embedded, subset by reportlab).

The 14 standard PDF fonts are not embedded and have no glyph for most of
Unicode (Greek, Cyrillic, the narrow no-break space CLDR puts in French
numbers…), and PDF/A requires every font embedded. facturlib ships DejaVu Sans
(Bitstream Vera licence, see ``fonts/LICENSE-DejaVu.txt``), regular and bold,
and registers them with reportlab under facturlib's own names the first time a
PDF is rendered. reportlab keeps registered fonts in a process-wide table; the
registration is idempotent and only ever adds these two fixed entries.

A character the font has no glyph for (an emoji, a control character) is drawn
as the font's replacement character U+FFFD "�", not as the ``.notdef`` glyph,
which PDF/A forbids text to use (ISO 19005-3 §6.2.11.8); the text layer (the
ToUnicode map) still holds the original character.
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
_REPLACEMENT = 0xFFFD


class _WithReplacement(dict[int, int]):
    """reportlab's character → glyph map, answering the replacement glyph for any
    character the font lacks (reportlab would otherwise write code 0, ``.notdef``)."""

    def __init__(self, glyphs: dict[int, int]) -> None:
        super().__init__(glyphs)
        self.replacement = glyphs[_REPLACEMENT]

    def __contains__(self, code: object) -> bool:
        return isinstance(code, int)

    def __missing__(self, code: int) -> int:
        return self.replacement


class _WidthsWithReplacement(dict[int, float]):
    """reportlab's character → width map, answering the replacement character's width
    for a character the font lacks, so the PDF's /Widths match the glyph drawn."""

    def __init__(self, widths: dict[int, float]) -> None:
        super().__init__(widths)
        self.replacement = widths[_REPLACEMENT]

    def __missing__(self, code: int) -> float:
        return self.replacement

    def get(self, code: int, default: float | None = None) -> float:  # type: ignore[override]
        return self[code]


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
                    font = TTFont(name, str(path))
                font.face.charToGlyph = _WithReplacement(font.face.charToGlyph)
                font.face.charWidths = _WidthsWithReplacement(font.face.charWidths)
                pdfmetrics.registerFont(font)
        # <b> in a Paragraph switches to the bold face of the family.
        addMapping(REGULAR, 0, 0, REGULAR)
        addMapping(REGULAR, 1, 0, BOLD)
        addMapping(REGULAR, 0, 1, REGULAR)
        addMapping(REGULAR, 1, 1, BOLD)
    return REGULAR, BOLD
