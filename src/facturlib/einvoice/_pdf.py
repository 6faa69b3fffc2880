"""Finding the invoice XML inside a Factur-X / ZUGFeRD PDF, safely.

The XML is looked for as the validators look for it (Factur-X 1.0 §6.2.2, ZUGFeRD 2.x):
the attachment named ``factur-x.xml``, else ``zugferd-invoice.xml``, else
``xrechnung.xml`` (also the ZUGFeRD 1.0 name ``ZUGFeRD-invoice.xml``), in the
``/Names/EmbeddedFiles`` name tree or, failing that, in the catalog ``/AF`` array.

The PDF comes from a stranger, so reading is bounded: the file size and the
object count are capped (`ReadLimits`), the attachment stream is decoded by this
module with `zlib` and a length cap — a compression bomb stops at
`ReadLimits.max_xml_bytes` instead of filling memory — and only the filters an
embedded file uses in practice (``FlateDecode`` or none) are accepted. pikepdf
(qpdf) parses the file structure; its errors become `EInvoiceReadError`.
"""

from __future__ import annotations

import io
import zlib
from typing import Any

from facturlib.core.errors import EInvoiceReadError
from facturlib.einvoice._xml import ReadLimits

__all__ = ["INVOICE_ATTACHMENT_NAMES", "extract_invoice_xml"]

#: The attachment names an invoice XML is found under, in order of preference.
INVOICE_ATTACHMENT_NAMES = (
    "factur-x.xml",
    "zugferd-invoice.xml",
    "xrechnung.xml",
    "ZUGFeRD-invoice.xml",
)

_DAMAGED_HINT = "the PDF is damaged or truncated; ask the sender for the file again"


def extract_invoice_xml(data: bytes, limits: ReadLimits) -> tuple[str, bytes]:
    """The ``(attachment name, XML bytes)`` of the invoice embedded in the PDF *data*.

    Raises:
        EInvoiceReadError: the PDF cannot be parsed, is encrypted, has too many
            objects, has no invoice attachment, or the attachment is too large, uses
            an unsupported filter or does not decompress.
    """
    import pikepdf  # imported here: only PDF input needs it

    if len(data) > limits.max_bytes:
        raise EInvoiceReadError(
            f"the PDF is {len(data)} bytes, more than the limit of {limits.max_bytes}",
            field="data",
            hint="raise ReadLimits(max_bytes=...) if such a large invoice is expected",
        )
    if b"%%EOF" not in data[-2048:]:
        raise EInvoiceReadError(
            "the PDF has no end-of-file marker (%%EOF): it is truncated",
            field="data",
            hint=_DAMAGED_HINT,
        )
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise EInvoiceReadError(
            "the PDF is encrypted",
            field="data",
            hint="a Factur-X PDF is PDF/A-3 and never encrypted (ISO 19005-3 6.1.3); ask "
            "the sender for an unencrypted file",
        ) from None
    except (pikepdf.PdfError, ValueError, RuntimeError, OverflowError) as exc:
        raise EInvoiceReadError(
            f"the PDF cannot be parsed: {str(exc)[:200]}", field="data", hint=_DAMAGED_HINT
        ) from None
    with pdf:
        try:
            if len(pdf.objects) > limits.max_pdf_objects:
                raise EInvoiceReadError(
                    f"the PDF has more than {limits.max_pdf_objects} objects",
                    field="data",
                    hint="raise ReadLimits(max_pdf_objects=...) if such a PDF is expected",
                )
            if pdf.is_encrypted:
                raise EInvoiceReadError(
                    "the PDF is encrypted",
                    field="data",
                    hint="a Factur-X PDF is PDF/A-3 and never encrypted (ISO 19005-3 6.1.3)",
                )
            found = _find_attachment(pdf)
            if found is None:
                raise EInvoiceReadError(
                    "the PDF has no invoice attachment (factur-x.xml, zugferd-invoice.xml "
                    "or xrechnung.xml)",
                    field="data",
                    hint="this is a plain PDF, not a Factur-X/ZUGFeRD invoice; ask the sender "
                    "for the e-invoice (Factur-X 1.0 §6.2.2)",
                )
            name, stream = found
            return name, _decode(stream, limits)
        except EInvoiceReadError:
            raise
        except (pikepdf.PdfError, ValueError, RuntimeError, OverflowError, KeyError) as exc:
            raise EInvoiceReadError(
                f"the PDF cannot be read: {str(exc)[:200]}", field="data", hint=_DAMAGED_HINT
            ) from None


def _filespec_stream(filespec: Any) -> tuple[str, Any] | None:
    """``(name, embedded file stream)`` of a file specification dictionary, if it has one."""
    import pikepdf

    if not isinstance(filespec, pikepdf.Dictionary):
        return None
    names = [filespec.get(key) for key in ("/UF", "/F")]
    name = next((str(n) for n in names if isinstance(n, pikepdf.String)), None)
    ef = filespec.get("/EF")
    if name is None or not isinstance(ef, pikepdf.Dictionary):
        return None
    stream = ef.get("/F") or ef.get("/UF")
    if not isinstance(stream, pikepdf.Stream):
        return None
    return name, stream


def _find_attachment(pdf: Any) -> tuple[str, Any] | None:
    import pikepdf

    candidates: dict[str, Any] = {}
    names = pdf.Root.get("/Names")
    tree = names.get("/EmbeddedFiles") if isinstance(names, pikepdf.Dictionary) else None
    if isinstance(tree, pikepdf.Dictionary):
        for _key, filespec in pikepdf.NameTree(tree).items():
            found = _filespec_stream(filespec)
            if found is not None:
                candidates.setdefault(found[0], found[1])
    af = pdf.Root.get("/AF")
    if isinstance(af, pikepdf.Array):
        for filespec in af:
            found = _filespec_stream(filespec)
            if found is not None:
                candidates.setdefault(found[0], found[1])
    for wanted in INVOICE_ATTACHMENT_NAMES:
        for name, stream in candidates.items():
            if name.lower() == wanted.lower():
                return name, stream
    return None


def _decode(stream: Any, limits: ReadLimits) -> bytes:
    """The decoded bytes of an embedded file stream, never more than ``max_xml_bytes``."""
    import pikepdf

    filters = stream.get("/Filter")
    if filters is None:
        chain: list[str] = []
    elif isinstance(filters, pikepdf.Name):
        chain = [str(filters)]
    elif isinstance(filters, pikepdf.Array):
        chain = [str(f) for f in filters]
    else:
        chain = ["?"]
    if any(f not in ("/FlateDecode", "/Fl") for f in chain) or len(chain) > 1:
        raise EInvoiceReadError(
            "the invoice attachment uses an unsupported PDF filter",
            field="attachment",
            value=" ".join(chain),
            hint="embedded invoice XML is stored plain or with /FlateDecode",
        )
    if stream.get("/DecodeParms") not in (None, pikepdf.Dictionary()) and chain:
        params = stream.get("/DecodeParms")
        predictor = params.get("/Predictor") if isinstance(params, pikepdf.Dictionary) else None
        if predictor not in (None, 1):
            raise EInvoiceReadError(
                "the invoice attachment uses a PNG/TIFF predictor",
                field="attachment",
                value=str(predictor),
                hint="embedded invoice XML is stored plain or with /FlateDecode only",
            )
    raw = stream.read_raw_bytes()
    limit = limits.max_xml_bytes
    if not chain:
        if len(raw) > limit:
            raise _too_large(limit)
        return bytes(raw)
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(raw, limit + 1)
    except zlib.error as exc:
        raise EInvoiceReadError(
            f"the invoice attachment does not decompress: {exc}",
            field="attachment",
            hint=_DAMAGED_HINT,
        ) from None
    if len(out) > limit:
        raise _too_large(limit)
    return out


def _too_large(limit: int) -> EInvoiceReadError:
    return EInvoiceReadError(
        f"the invoice attachment decompresses to more than {limit} bytes",
        field="attachment",
        hint="this may be a compression bomb; raise ReadLimits(max_xml_bytes=...) only if "
        "such a large invoice is expected",
    )
