"""Renderers: turn finished documents into bytes (PDF, XML, text).

A renderer *formats*; it never computes. Amounts come from the document itself
(``invoice.totals()``), dates and numbers are printed as they are. Every
renderer has the same shape, the `Renderer` protocol: its settings go in its
constructor, and one method, ``render(document)``, returns a `RenderedDocument`
(the bytes, their media type and a suggested file name).

Renderer modules import their third-party engines (reportlab, lxml) only inside
``facturlib.renderers``, so ``import facturlib`` stays fast, and the core never
imports a renderer (CI checks the layers).

>>> from facturlib.renderers import RenderedDocument, Renderer
>>> class Echo:
...     def render(self, document: str) -> RenderedDocument:
...         return RenderedDocument(content=document.encode(), media_type="text/plain",
...                                 filename="echo.txt")
>>> isinstance(Echo(), Renderer)
True
>>> Echo().render("hello").content
b'hello'

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from typing import Protocol, TypeVar, runtime_checkable

import attrs

from facturlib.core.errors import InvalidValue

__all__ = ["RenderedDocument", "Renderer"]

_D_contra = TypeVar("_D_contra", contravariant=True)


def _non_empty(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(
            f"RenderedDocument.{attribute.name} must be a non-empty string",
            field=attribute.name,
            value=value,
            hint=f"pass the {attribute.name} of the rendered bytes",
        )


def _bytes(instance: object, attribute: attrs.Attribute[bytes], value: bytes) -> None:
    if not isinstance(value, bytes):
        raise InvalidValue(
            f"RenderedDocument.content must be bytes, not {type(value).__name__}",
            field="content",
            value=value,
            hint="encode text before returning it (e.g. text.encode('utf-8'))",
        )


@attrs.frozen(kw_only=True)
class RenderedDocument:
    """The output of a renderer.

    Attributes:
        content: the rendered bytes (a PDF file, an XML document, UTF-8 text…).
        media_type: the IANA media type of *content*, e.g. ``"application/pdf"``.
        filename: a suggested file name, e.g. ``"FA-2025-0001.pdf"``.
    """

    content: bytes = attrs.field(validator=_bytes, repr=lambda c: f"<{len(c)} bytes>")
    media_type: str = attrs.field(validator=_non_empty)
    filename: str = attrs.field(validator=_non_empty)


@runtime_checkable
class Renderer(Protocol[_D_contra]):
    """Anything with ``render(document) -> RenderedDocument``.

    The settings of a renderer (locale, fonts, options) go in its constructor,
    so that one configured renderer renders many documents.
    """

    def render(self, document: _D_contra, /) -> RenderedDocument:
        """Render *document* and return the bytes with their media type and name."""
        ...
