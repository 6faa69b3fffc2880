"""Test doubles for code that uses facturlib renderers.

`RecordingRenderer` satisfies the `facturlib.renderers.Renderer` protocol
without rendering anything: it remembers every document it was given and
returns a small, predictable `RenderedDocument`. Use it to test an application's
"render and send" code path without reportlab or lxml, as httpx's
``MockTransport`` stands in for the network.

>>> from facturlib.renderers import Renderer
>>> from facturlib.testing.builders import sample_invoice
>>> renderer = RecordingRenderer()
>>> isinstance(renderer, Renderer)
True
>>> rendered = renderer.render(sample_invoice())
>>> rendered.filename, rendered.media_type
('document-1.txt', 'text/plain')
>>> len(renderer.rendered)
1

.. versionadded:: 0.1
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from facturlib.renderers import RenderedDocument

__all__ = ["RecordingRenderer"]

_D = TypeVar("_D")


class RecordingRenderer(Generic[_D]):
    """A renderer that records what it renders and returns predictable bytes.

    Args:
        content: builds the returned bytes from the document; by default its
            ``repr`` encoded as UTF-8.
        media_type: the media type of every `RenderedDocument` returned.
        error: if given, `render` raises it instead (to test error handling).

    Attributes:
        rendered: every document passed to `render`, in order. This list is the
            one deliberately mutable thing here: it is the recording.
    """

    def __init__(
        self,
        *,
        content: Callable[[_D], bytes] | None = None,
        media_type: str = "text/plain",
        error: Exception | None = None,
    ) -> None:
        self._content = content
        self._media_type = media_type
        self._error = error
        self.rendered: list[_D] = []

    def render(self, document: _D, /) -> RenderedDocument:
        """Record *document* and return ``document-<n>.txt`` (or raise the configured error)."""
        self.rendered.append(document)
        if self._error is not None:
            raise self._error
        content = self._content(document) if self._content else repr(document).encode("utf-8")
        return RenderedDocument(
            content=content,
            media_type=self._media_type,
            filename=f"document-{len(self.rendered)}.txt",
        )
