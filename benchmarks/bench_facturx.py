"""Workloads "facturx_packaging" and "facturx_20": the Factur-X PDF of a 20-line invoice.

``facturx_packaging`` times the packaging alone: the same PDF (``PdfRenderer``'s,
not PDF/A) and the same EN 16931 CII XML (``to_cii``'s), made into a Factur-X PDF.

* ``factur-x`` (baseline): the ``factur-x`` package (Akretion, the reference
  Python implementation), ``facturx.generate_from_binary(pdf, xml,
  flavor="factur-x", level="en16931", check_xsd=False, pdf_metadata=...,
  afrelationship="alternative")``: no XSD check and metadata given, its fastest
  path. It adds the XMP and the attachment but no output intent, so its output
  is PDF/A only if its input was. Skipped, with a note on stderr, when the
  package is not installed (``pip install -e '.[bench]'``).
* ``facturlib``: ``facturlib.make_facturx(pdf, xml, on=issue date)``: XMP,
  sRGB output intent, attachment, checks of the fonts and the graphics states,
  deterministic ``/ID``. Target: no slower than ``factur-x``.

``facturx_20`` times the whole rendering of an issued 20-line invoice:

* ``PdfRenderer`` (baseline): ``PdfRenderer(locale="fr_FR").render(invoice)``,
  the plain PDF;
* ``facturlib``: ``FacturXRenderer(locale="fr_FR").render(invoice)``: the same
  PDF (with the legal penalty mentions the XML also carries), the EN 16931 CII
  XML, the pre-flight check when there is one, and the packaging. Target: within
  1.3× the plain PDF.

Before timing, every PDF is read back: each packaged PDF must hold the XML as
``factur-x.xml`` (pikepdf), each rendered PDF must show every line's designation
and net amount (pypdf).
"""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Callable

from bench_pdf import PdfData, RenderedPdfs, make_data
from harness import Inputs, Workload

from facturlib.einvoice.cii import to_cii
from facturlib.einvoice.facturx import FILENAME, FacturXRenderer, make_facturx
from facturlib.renderers._fonts import register_fonts
from facturlib.renderers.pdf import PdfRenderer

__all__ = ["FACTURX_20", "FACTURX_PACKAGING"]

try:  # the peer is optional: CI installs only the test extra
    import facturx as peer
except ImportError:  # pragma: no cover - depends on the environment
    peer = None


class PackagingData:
    """One issued invoice's plain PDF and EN 16931 XML, packaged *documents* times."""

    def __init__(self, data: PdfData) -> None:
        self.invoice = data.invoice
        self.documents = data.documents
        self.pdf = PdfRenderer(locale="fr_FR").render(data.invoice).content
        self.xml = to_cii(data.invoice, "EN 16931")


class Packaged:
    """What a packaging candidate returns; equal when every PDF holds the XML."""

    def __init__(self, contents: list[bytes], xml: bytes) -> None:
        self.contents = contents
        self.xml = xml

    def summary(self) -> tuple[int, int]:
        """(documents, documents whose factur-x.xml is not the XML)."""
        import pikepdf

        wrong = 0
        for content in self.contents:
            with pikepdf.open(io.BytesIO(content)) as pdf:
                spec = pdf.attachments.get(FILENAME)
                data = spec.get_file().read_bytes() if spec is not None else None
            wrong += data != self.xml
        return len(self.contents), wrong

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Packaged):
            return NotImplemented
        return self.summary() == other.summary() == (len(self.contents), 0)

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        documents, wrong = self.summary()
        return f"<{documents} Factur-X PDFs, {wrong} without the XML>"


def factur_x_package(data: PackagingData) -> Callable[[], Packaged]:
    """The ``factur-x`` package, its fastest path (no XSD check, metadata given)."""
    if peer is None:  # not registered then, see _packaging_candidates()
        raise RuntimeError("factur-x is not installed")
    logging.getLogger("factur-x").setLevel(logging.ERROR)  # it logs every step at INFO
    metadata = {
        "author": data.invoice.seller.name,
        "keywords": "Factur-X, Invoice",
        "title": f"Facture {data.invoice.number}",
        "subject": f"Facture {data.invoice.number}",
    }

    def run() -> Packaged:
        contents = [
            peer.generate_from_binary(
                data.pdf,
                data.xml,
                flavor="factur-x",
                level="en16931",
                check_xsd=False,
                pdf_metadata=metadata,
                afrelationship="alternative",
            )
            for _ in range(data.documents)
        ]
        return Packaged(contents, data.xml)

    return run


def facturlib_package(data: PackagingData) -> Callable[[], Packaged]:
    """``make_facturx``: PDF/A-3b and the attachment."""
    make_facturx(data.pdf, data.xml, on=data.invoice.issue_date)  # warm the ICC cache

    def run() -> Packaged:
        contents = [
            make_facturx(data.pdf, data.xml, on=data.invoice.issue_date)
            for _ in range(data.documents)
        ]
        return Packaged(contents, data.xml)

    return run


def plain_pdf(data: PdfData) -> Callable[[], RenderedPdfs]:
    """``PdfRenderer.render`` on the issued invoice."""
    renderer = PdfRenderer(locale="fr_FR")
    register_fonts()

    def run() -> RenderedPdfs:
        return RenderedPdfs(
            [renderer.render(data.invoice).content for _ in range(data.documents)], data
        )

    return run


def facturx_pdf(data: PdfData) -> Callable[[], RenderedPdfs]:
    """``FacturXRenderer.render`` on the issued invoice: PDF, XML, check, packaging."""
    renderer = FacturXRenderer(locale="fr_FR")
    renderer.render(data.invoice)  # fonts, ICC profile, lazy imports: once per process

    def run() -> RenderedPdfs:
        return RenderedPdfs(
            [renderer.render(data.invoice).content for _ in range(data.documents)], data
        )

    return run


def _packaging_candidates() -> dict[str, Callable[[PackagingData], Callable[[], Packaged]]]:
    candidates: dict[str, Callable[[PackagingData], Callable[[], Packaged]]] = {}
    if peer is not None:
        candidates["factur-x"] = factur_x_package
    else:
        print(
            "note: factur-x is not installed, the packaging baseline is skipped "
            "(pip install -e '.[bench]' to compare with it)",
            file=sys.stderr,
        )
    candidates["facturlib"] = facturlib_package
    return candidates


def _packaging_setup(size: int) -> Inputs:
    return Inputs(data=PackagingData(make_data(20, size)), units=size)


def _setup(size: int) -> Inputs:
    return Inputs(data=make_data(20, size), units=size)


_PACKAGING = _packaging_candidates()

FACTURX_PACKAGING = Workload(
    name="facturx_packaging",
    unit="document",
    description="make a 20-line invoice's PDF and CII XML a Factur-X PDF, per document",
    setup=_packaging_setup,
    candidates=_PACKAGING,
    baseline="factur-x" if "factur-x" in _PACKAGING else "facturlib",
    size=40,
    quick_size=4,
    target=1.0 if "factur-x" in _PACKAGING else None,
    target_candidate="facturlib" if "factur-x" in _PACKAGING else None,
)

FACTURX_20 = Workload(
    name="facturx_20",
    unit="document",
    description="render an issued 20-line invoice as Factur-X PDF vs plain PDF, per document",
    setup=_setup,
    candidates={"PdfRenderer": plain_pdf, "facturlib": facturx_pdf},
    baseline="PdfRenderer",
    size=40,
    quick_size=4,
    target=1.3,
    target_candidate="facturlib",
)
