"""Workload "einvoice_read": read 1 000 received Factur-X PDFs of 20 lines into documents.

Candidates:

* ``factur-x + drafthorse`` (baseline, the peers): the ``factur-x`` package's
  ``get_xml_from_pdf(pdf, check_xsd=False)`` finds the attachment, then
  ``drafthorse``'s ``Document.parse(xml)`` builds its document model. Skipped,
  with a note on stderr, when either is not installed (``pip install -e '.[bench]'``).
* ``facturlib``: ``read_einvoice(pdf)``: the bounded PDF parse (pikepdf), the capped
  inflate of the attachment, the safe XML parse (no DTD, counted elements), the
  facturlib values (parties with checked identifiers, lines, VAT rates, the sealed
  issued `Invoice`), its ``totals()`` and the comparison with the stated totals.

Every candidate returns, per file, the invoice number, the grand total and the
amount due; they must agree before timing. The PDFs are built before the timer: one
PDF page of the renderer, made Factur-X with each invoice's CII (EN 16931) by
``make_facturx``. facturlib does more (identifier checks, totals, BR-CO comparison)
and must still be at least 2× faster; the target is a ratio ≤ 0.5 to the baseline.

Memory: `peak_memory()` (``python benchmarks/bench_einvoice_read.py``) reads 100 and
then 1 000 files one after the other, keeping nothing, and prints the tracemalloc
peak of each run: it stays flat in the number of files.
"""

from __future__ import annotations

import logging
import sys
import tracemalloc
from collections.abc import Callable
from decimal import Decimal

from bench_einvoice import make_invoices
from harness import Inputs, Workload

from facturlib import read_einvoice, to_cii
from facturlib.einvoice.facturx import make_facturx
from facturlib.renderers.pdf import PdfRenderer

__all__ = ["EINVOICE_READ", "make_pdfs", "peak_memory"]

try:  # the peers are optional: CI installs only the test extra
    import facturx as peer
    from drafthorse.models.document import Document
except ImportError:  # pragma: no cover - depends on the environment
    peer = None
    Document = None

#: (number, grand total, amount due) for each file.
Summary = list[tuple[str, Decimal, Decimal]]


def make_pdfs(count: int) -> list[bytes]:
    """*count* Factur-X PDFs (EN 16931) of 20-line invoices, sharing one rendered page."""
    invoices = make_invoices(count)
    page = PdfRenderer().render(invoices[0]).content
    return [make_facturx(page, to_cii(invoice), on=invoice.issue_date) for invoice in invoices]


def _setup(size: int) -> Inputs:
    return Inputs(data=make_pdfs(size), units=size)


def peers(pdfs: list[bytes]) -> Callable[[], Summary]:
    """factur-x finds the XML, drafthorse parses it into its model."""
    if peer is None or Document is None:  # not registered then
        raise RuntimeError("factur-x or drafthorse is not installed")
    logging.getLogger("factur-x").setLevel(logging.ERROR)  # it logs every step at INFO

    def run() -> Summary:
        result = []
        for pdf in pdfs:
            _name, xml = peer.get_xml_from_pdf(pdf, check_xsd=False)
            document = Document.parse(xml)
            summary = document.trade.settlement.monetary_summation
            result.append(
                (
                    document.header.id._text,
                    summary.grand_total._amount,
                    summary.due_amount._value,
                )
            )
        return result

    return run


def facturlib_read(pdfs: list[bytes]) -> Callable[[], Summary]:
    """``read_einvoice`` on each PDF, and the document's computed totals."""
    read_einvoice(pdfs[0])  # lazy imports (pikepdf, lxml): once per process

    def run() -> Summary:
        result = []
        for pdf in pdfs:
            received = read_einvoice(pdf)
            totals = received.document.totals()  # type: ignore[union-attr]
            result.append(
                (
                    received.document.number,
                    totals.tax_inclusive_total.amount,
                    totals.amount_due.amount,
                )
            )
        return result

    return run


def _candidates() -> dict[str, Callable[[list[bytes]], Callable[[], Summary]]]:
    candidates: dict[str, Callable[[list[bytes]], Callable[[], Summary]]] = {}
    if peer is not None and Document is not None:
        candidates["factur-x + drafthorse"] = peers
    else:
        print(
            "einvoice_read: factur-x or drafthorse not installed, the peers are skipped "
            "(pip install -e '.[bench]')",
            file=sys.stderr,
        )
    candidates["facturlib"] = facturlib_read
    return candidates


_CANDIDATES = _candidates()

EINVOICE_READ = Workload(
    name="einvoice_read",
    unit="PDF",
    description="read received Factur-X PDFs (20 lines) into documents",
    setup=_setup,
    candidates=_CANDIDATES,
    baseline="factur-x + drafthorse" if "factur-x + drafthorse" in _CANDIDATES else "facturlib",
    size=1_000,
    quick_size=20,
    target=0.5 if "factur-x + drafthorse" in _CANDIDATES else None,
    target_candidate="facturlib" if "factur-x + drafthorse" in _CANDIDATES else None,
)


def peak_memory(counts: tuple[int, ...] = (100, 1_000)) -> dict[int, int]:
    """The tracemalloc peak (bytes) of reading *count* files one by one, keeping nothing."""
    pdfs = make_pdfs(max(counts))
    read_einvoice(pdfs[0])
    peaks = {}
    for count in counts:
        tracemalloc.start()
        for pdf in pdfs[:count]:
            read_einvoice(pdf).document.totals()  # type: ignore[union-attr]
        peaks[count] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peaks


if __name__ == "__main__":
    for count, peak in peak_memory().items():
        print(f"{count:>6} files: peak {peak / 1024:,.0f} KiB")
