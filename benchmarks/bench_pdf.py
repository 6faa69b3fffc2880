"""Workloads "pdf_20" and "pdf_1000": render an invoice of 20 or 1 000 lines as PDF.

Candidates:

* ``raw platypus``: the limit. A bare reportlab platypus document holding one
  table of the same lines — designation (a `Paragraph`, so long text wraps),
  quantity, unit, unit price, VAT rate, net amount, the header row repeated on
  every page — plus one total row, in the same embedded TrueType font. Every
  string is formatted *before* the timer starts: only the layout is timed.
* ``facturlib``: ``PdfRenderer(locale="fr_FR").render(invoice)`` on an issued
  invoice: the whole professional layout (seller and buyer blocks, legal mentions,
  VAT breakdown, totals, payment details, footer, page numbers "n/N") and the
  babel formatting of every number, timed.
* ``InvoiceGenerator``: the ``InvoiceGenerator`` package (a peer, canvas-based),
  ``SimpleInvoice(invoice).gen(buffer)`` with the same items. Skipped, with a
  note on stderr, when the package is not installed (``pip install -e '.[bench]'``).

Before timing, every candidate's PDF is read back with pypdf: each must show every
line's designation and every line's net amount (as babel formats it for fr_FR);
the harness stops if one does not.
"""

from __future__ import annotations

import io
import random
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import partial

from harness import Inputs, Workload
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, TableStyle

from facturlib import FR_REDUCED, FR_STANDARD, Invoice, Line, SequenceState, issue, to_money
from facturlib.renderers._fonts import REGULAR, register_fonts
from facturlib.renderers._format import Formatter, parse_locale
from facturlib.renderers.pdf import PdfRenderer
from facturlib.testing.builders import sample_buyer, sample_scheme, sample_seller

__all__ = ["PDF_20", "PDF_1000", "PdfData", "make_data"]

SEED = 42
_WORDS = ("Conseil", "Audit", "Formation", "Hébergement", "Licence", "Support", "Maintenance")

try:  # the peer is optional: CI installs only the test extra
    from InvoiceGenerator import api as ig_api
    from InvoiceGenerator import pdf as ig_pdf
except ImportError:  # pragma: no cover - depends on the environment
    ig_api = ig_pdf = None


class PdfData:
    """One issued invoice and the same content pre-formatted for the raw table."""

    def __init__(self, invoice: Invoice, documents: int) -> None:
        self.invoice = invoice
        self.documents = documents
        fmt = Formatter(parse_locale("fr_FR"))
        totals = invoice.totals()
        self.rows = [
            (
                line.description,
                fmt.number(line.quantity),
                "h",
                fmt.money(line.unit_price),
                fmt.percent(line.vat.percent or Decimal(0)),
                fmt.amount(net, invoice.currency),
            )
            for line, net in zip(invoice.lines, totals.line_nets, strict=True)
        ]
        self.total = fmt.money(totals.tax_inclusive_total)
        # Long designations wrap, so only their first words are looked for; pypdf reads
        # the no-break space of "240,00\u00a0€" back as a plain space.
        self.designations = [line.description[:9] for line in invoice.lines]
        self.nets = sorted({row[-1].replace("\xa0", " ") for row in self.rows})


def make_data(lines: int, documents: int, seed: int = SEED) -> PdfData:
    """An issued invoice of *lines* lines (20 % and 5.5 % VAT, some long designations)."""
    rng = random.Random(seed)
    items = []
    for index in range(1, lines + 1):
        words = " ".join(
            rng.choice(_WORDS).lower() for _ in range(rng.choice((2, 3, 3, 4, 4, 5, 5, 6, 8, 14)))
        )
        items.append(
            Line(
                description=f"Item {index:04d} {words}",
                quantity=Decimal(rng.randint(1, 20)),
                unit="HUR",
                unit_price=to_money(Decimal(rng.randint(50, 200_000)).scaleb(-2), "EUR"),
                vat=FR_STANDARD if rng.random() < 0.7 else FR_REDUCED,
                id=str(index),
            )
        )
    draft = Invoice(
        seller=sample_seller(),
        buyer=sample_buyer(),
        currency="EUR",
        lines=items,
        due_date=date(2025, 2, 14),
    )
    invoice, _ = issue(draft, sample_scheme(), SequenceState(), on=date(2025, 1, 15))
    return PdfData(invoice, documents)


class RenderedPdfs:
    """What a candidate returns: its PDFs; equal when both show every line's figures.

    Equality reads the PDFs back (pypdf), so it is slow and only the agreement
    check uses it; timed runs only build this object.
    """

    def __init__(self, contents: list[bytes], data: PdfData) -> None:
        self.contents = contents
        self.data = data

    def summary(self) -> tuple[int, int, int]:
        """(documents, designations missing, net amounts missing) over all the PDFs."""
        from pypdf import PdfReader

        missing_names = missing_nets = 0
        for content in self.contents:
            reader = PdfReader(io.BytesIO(content))
            text = "\n".join(page.extract_text() for page in reader.pages).replace("\xa0", " ")
            missing_names += sum(name not in text for name in self.data.designations)
            missing_nets += sum(net not in text for net in self.data.nets)
        return len(self.contents), missing_names, missing_nets

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RenderedPdfs):
            return NotImplemented
        return self.summary() == other.summary() == (len(self.contents), 0, 0)

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        documents, names, nets = self.summary()
        return f"<{documents} PDFs: {names} designations and {nets} net amounts missing>"


def raw_platypus(data: PdfData) -> Callable[[], RenderedPdfs]:
    """The limit: one platypus table of the pre-formatted lines, header repeated."""
    register_fonts()
    style = ParagraphStyle("raw", fontName=REGULAR, fontSize=8, leading=9.6)
    header = ("Désignation", "Qté", "Unité", "P.U. HT", "TVA", "Montant HT")
    widths = [None, 14 * mm, 14 * mm, 22 * mm, 13 * mm, 23 * mm]
    commands = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), REGULAR, 8),
            ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )

    def run() -> RenderedPdfs:
        contents = []
        for _ in range(data.documents):
            buffer = io.BytesIO()
            doc = SimpleDocTemplate(buffer, invariant=1)
            first = doc.width - sum(w for w in widths if w is not None)
            rows: list[list[object]] = [list(header)]
            rows += [[Paragraph(r[0], style), *r[1:]] for r in data.rows]
            rows.append(["Total TTC", "", "", "", "", data.total])
            table = LongTable(rows, colWidths=[first, *widths[1:]], repeatRows=1)
            table.setStyle(commands)
            doc.build([table])
            contents.append(buffer.getvalue())
        return RenderedPdfs(contents, data)

    return run


def facturlib_pdf(data: PdfData) -> Callable[[], RenderedPdfs]:
    """``PdfRenderer.render`` on the issued invoice (its totals are kept by the invoice)."""
    renderer = PdfRenderer(locale="fr_FR")
    register_fonts()  # once per process, as in a long-running application

    def run() -> RenderedPdfs:
        contents = [renderer.render(data.invoice).content for _ in range(data.documents)]
        return RenderedPdfs(contents, data)

    return run


def invoice_generator(data: PdfData) -> Callable[[], RenderedPdfs]:
    """The InvoiceGenerator package with the same items, VAT shown per item."""
    if ig_api is None or ig_pdf is None:  # not registered then, see _candidates()
        raise RuntimeError("InvoiceGenerator is not installed")
    seller, buyer = data.invoice.seller, data.invoice.buyer
    provider = ig_api.Provider(
        seller.name,
        address=seller.address.line1 or "",
        city=seller.address.city,
        zip_code=seller.address.postal_code or "",
        vat_id=seller.vat_id or "",
    )
    client = ig_api.Client(
        buyer.name,
        address=buyer.address.line1 or "",
        city=buyer.address.city,
        zip_code=buyer.address.postal_code or "",
    )

    def build() -> object:
        invoice = ig_api.Invoice(client, provider, ig_api.Creator(seller.name))
        invoice.currency = "EUR"
        invoice.currency_locale = "fr_FR"
        invoice.number = data.invoice.number
        invoice.date = data.invoice.issue_date
        invoice.use_tax = True
        for line in data.invoice.lines:
            invoice.add_item(
                ig_api.Item(
                    line.quantity,
                    line.unit_price.amount,
                    description=line.description,
                    unit="h",
                    tax=line.vat.percent,
                )
            )
        return invoice

    def run() -> RenderedPdfs:
        contents = []
        for _ in range(data.documents):
            buffer = io.BytesIO()
            ig_pdf.SimpleInvoice(build()).gen(buffer)
            contents.append(buffer.getvalue())
        return RenderedPdfs(contents, data)

    return run


def _candidates() -> dict[str, Callable[[PdfData], Callable[[], RenderedPdfs]]]:
    candidates = {"raw platypus": raw_platypus, "facturlib": facturlib_pdf}
    if ig_api is not None:
        candidates["InvoiceGenerator"] = invoice_generator
    else:
        print(
            "note: InvoiceGenerator is not installed, its PDF candidates are skipped "
            "(pip install -e '.[bench]' to compare with it)",
            file=sys.stderr,
        )
    return candidates


def _setup(lines: int, size: int) -> Inputs:
    return Inputs(data=make_data(lines, size), units=size)


_CANDIDATES = _candidates()

PDF_20 = Workload(
    name="pdf_20",
    unit="document",
    description="render an issued 20-line invoice as PDF, per document",
    setup=partial(_setup, 20),
    candidates=_CANDIDATES,
    baseline="raw platypus",
    size=40,
    quick_size=4,
    target=1.5,
    target_candidate="facturlib",
)

PDF_1000 = Workload(
    name="pdf_1000",
    unit="document",
    description="render an issued 1 000-line invoice as PDF (about 30 pages), per document",
    setup=partial(_setup, 1000),
    candidates=_CANDIDATES,
    baseline="raw platypus",
    size=3,
    quick_size=1,
    target=1.5,
    target_candidate="facturlib",
)
