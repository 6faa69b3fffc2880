"""Which characters the PDF renderer can draw, and the check that refuses the others.

facturlib embeds DejaVu Sans (see `facturlib.renderers._fonts`): Latin, Greek,
Cyrillic and many symbols, but no CJK ideographs, no emoji, and no shaping. Text in
a script written right to left (Arabic, Hebrew, Syriac, Thaana, N'Ko…) needs the
Unicode bidirectional algorithm (UAX #9) and, for Arabic, contextual shaping, which
reportlab does not do: it would print such text unshaped and in reverse order. A
character the font has no glyph for would print as an empty box.

Rather than print a wrong document, the renderer refuses such text with a
`RenderError` naming the field and the character. Callers who need these scripts
can transliterate the text, or render through their own engine from
`facturlib.core.serialize.to_dict`.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Iterator
from functools import cache
from typing import Any

import attrs
from reportlab.pdfbase import pdfmetrics

from facturlib.core._canonical import to_plain
from facturlib.core.errors import RenderError
from facturlib.renderers._fonts import BOLD, REGULAR, register_fonts

__all__ = ["check_drawable"]

#: Bidirectional classes of right-to-left characters (UAX #9): R and AL, and the
#: embeddings/overrides/isolates that would need the bidi algorithm.
_RTL = frozenset({"R", "AL", "RLE", "RLO", "RLI"})
_LAYOUT = frozenset("\n\r\t")


@cache
def _drawable() -> frozenset[str]:
    """The characters the PDF draws correctly: those both embedded faces (regular and
    bold) have a glyph for, less right-to-left ones, plus line breaks and tabs."""
    register_fonts()
    regular = pdfmetrics.getFont(REGULAR).face.charToGlyph  # type: ignore[attr-defined]
    bold = pdfmetrics.getFont(BOLD).face.charToGlyph  # type: ignore[attr-defined]
    chars = {chr(code) for code in set(regular).intersection(bold)}
    return frozenset(c for c in chars if unicodedata.bidirectional(c) not in _RTL) | _LAYOUT


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


_FIELDS: dict[type, tuple[str, ...]] = {}


def _texts(value: Any) -> Iterator[str]:
    """Every string held by *value*, through attrs fields and tuples (fast: no paths)."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is str:
            yield item
        elif kind is tuple or kind is list or kind is frozenset or kind is set:
            stack.extend(item)
        elif attrs.has(kind):
            names = _FIELDS.get(kind)
            if names is None:
                names = _FIELDS[kind] = tuple(f.name for f in attrs.fields(kind))
            stack.extend(getattr(item, name) for name in names)
        elif isinstance(item, str):
            yield str(item)
        elif isinstance(item, enum.Enum) and isinstance(item.value, str):
            yield item.value


def check_drawable(document: Any) -> None:
    """Raise `RenderError` if a text of *document* holds a character the PDF cannot
    draw correctly: one the embedded fonts lack, or one of a right-to-left script."""
    drawable = _drawable()
    if all(drawable.issuperset(text) for text in _texts(document)):
        return  # the common case, without building paths
    for path, text in _strings(to_plain(document), ""):
        if drawable.issuperset(text):
            continue
        char = next(char for char in text if char not in drawable)
        shown = f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')}"
        if unicodedata.bidirectional(char) in _RTL:
            raise RenderError(
                f"the PDF renderer cannot draw right-to-left text ({shown})",
                field=path,
                value=text[:80],
                hint="reportlab neither shapes nor reorders right-to-left scripts "
                "(Unicode UAX #9); write this text in a left-to-right script, or "
                "render from facturlib.to_dict with an engine that does",
            )
        raise RenderError(
            f"the embedded font has no glyph for {shown}",
            field=path,
            value=text[:80],
            hint="the PDF embeds DejaVu Sans (Latin, Greek, Cyrillic; no CJK, no "
            "emoji); transliterate or remove the character",
        )
