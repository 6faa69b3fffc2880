"""The renderer protocol and its output value."""

import pytest

from facturlib.core.errors import FacturlibError, InvalidValue
from facturlib.renderers import RenderedDocument, Renderer


class TestRenderedDocument:
    def test_holds_bytes_media_type_and_name(self) -> None:
        """A rendered document keeps its bytes, media type and file name."""
        doc = RenderedDocument(content=b"%PDF", media_type="application/pdf", filename="a.pdf")
        assert (b"%PDF", "application/pdf", "a.pdf") == (doc.content, doc.media_type, doc.filename)

    def test_refuses_text_content(self) -> None:
        """Text instead of bytes is refused with a hint to encode it."""
        with pytest.raises(InvalidValue, match="encode"):
            RenderedDocument(content="text", media_type="text/plain", filename="a.txt")  # type: ignore[arg-type]

    @pytest.mark.parametrize("field", ["media_type", "filename"])
    def test_refuses_empty_names(self, field: str) -> None:
        """An empty media type or file name is refused."""
        kwargs = {"content": b"", "media_type": "text/plain", "filename": "a.txt", field: " "}
        with pytest.raises(FacturlibError, match=field):
            RenderedDocument(**kwargs)  # type: ignore[arg-type]

    def test_repr_does_not_dump_the_bytes(self) -> None:
        """The repr shows the size, not megabytes of PDF."""
        doc = RenderedDocument(content=b"x" * 5000, media_type="text/plain", filename="a.txt")
        assert "<5000 bytes>" in repr(doc)


class TestRendererProtocol:
    def test_any_object_with_render_is_a_renderer(self) -> None:
        """Structural typing: no base class needed."""

        class Upper:
            def render(self, document: str) -> RenderedDocument:
                return RenderedDocument(
                    content=document.upper().encode(), media_type="text/plain", filename="u.txt"
                )

        assert isinstance(Upper(), Renderer)
        assert not isinstance(object(), Renderer)


class TestRecordingRenderer:
    def test_records_in_order_and_numbers_files(self) -> None:
        """Each call is recorded and gets the next file name."""
        from facturlib.testing.fakes import RecordingRenderer

        renderer: RecordingRenderer[str] = RecordingRenderer(content=str.encode)
        names = [renderer.render(text).filename for text in ("a", "b")]
        assert (["document-1.txt", "document-2.txt"], ["a", "b"]) == (names, renderer.rendered)

    def test_raises_the_configured_error_after_recording(self) -> None:
        """A failing renderer still records the attempt, then raises."""
        from facturlib.core.errors import RenderError
        from facturlib.testing.fakes import RecordingRenderer

        renderer: RecordingRenderer[str] = RecordingRenderer(error=RenderError("boom"))
        with pytest.raises(RenderError, match="boom"):
            renderer.render("x")
        assert ["x"] == renderer.rendered
