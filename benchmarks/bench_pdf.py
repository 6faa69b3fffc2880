"""Workloads "pdf_20", "pdf_1000" and "pdf_linear": invoices rendered as PDF.

``pdf_20`` and ``pdf_1000``: one invoice of 20 or 1 000 lines, from its raw inputs
(designation, quantity, unit price, VAT rate per line) to the PDF bytes.

* ``reportlab canvas`` (baseline, the limit): a hand-written reportlab canvas loop —
  line nets and totals in Decimal, figures formatted with f-strings, designations
  wrapped with ``simpleSplit``, a header row on every page — drawing the same
  table with the same embedded font: the least a PDF of these lines takes.
* ``platypus table``: a bare platypus document holding one `LongTable` of the same
  lines (designation as a `Paragraph`, header repeated) and a total row.
* ``facturlib``: the lines and the draft `Invoice` built, issued (`facturlib.issue`:
  checks, number, seal) and rendered by ``PdfRenderer(locale="fr_FR")`` — the whole
  layout (parties, legal mentions, VAT breakdown, totals, payment details, footer,
  "Page n/N") with babel's formatting of every figure.
* ``InvoiceGenerator``: the ``InvoiceGenerator`` package (a canvas-based peer),
  ``SimpleInvoice(invoice).gen(buffer)`` with the same items. Skipped, with a note on
  stderr, when the package is not installed (``pip install -e '.[bench]'``).

Before timing, every candidate's PDF is read back with pypdf: each must show every
line's designation and every line's net amount (as babel formats it for fr_FR);
the harness stops if one does not.

``pdf_linear``: ``PdfRenderer.render`` of an issued invoice of N lines and of one of
100 N lines (1 000 and 100 000; quick: 50 and 5 000): rendering is linear when the
second takes at most 120 times the first.
"""

from __future__ import annotations

import io
import random
import sys
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from harness import Inputs, Workload
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, TableStyle

from facturlib import FR_REDUCED, FR_STANDARD, Invoice, Line, SequenceState, issue, to_money
from facturlib.renderers._fonts import REGULAR, register_fonts
from facturlib.renderers._format import Formatter, parse_locale
from facturlib.renderers.pdf import PdfRenderer
from facturlib.testing.builders import sample_buyer, sample_scheme, sample_seller

__all__ = ["PDF_20", "PDF_1000", "PDF_LINEAR", "PdfData", "make_data"]

SEED = 42
_ZERO = Decimal(0)
_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)
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
        #: The raw inputs: (designation, quantity, unit price, VAT rate %) per line.
        self.raw = [
            (line.description, line.quantity, line.unit_price.amount, line.vat.percent or _ZERO)
            for line in invoice.lines
        ]
        self.draft_fields = {
            "seller": invoice.seller,
            "buyer": invoice.buyer,
            "currency": "EUR",
            "due_date": invoice.due_date,
        }
        self.vats = {line.vat.percent: line.vat for line in invoice.lines}
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


def _amount(value: Decimal) -> str:
    """fr_FR money as babel writes it (narrow no-break space groups, comma, " €")."""
    return f"{value:,.2f}".replace(",", "\u202f").replace(".", ",") + "\xa0€"


def _number(value: Decimal) -> str:
    return f"{value:,f}".replace(",", "\u202f").replace(".", ",")


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",") + "\xa0%"


def _figures(data: PdfData) -> tuple[list[tuple[str, str, str, str, str, str]], str]:
    """The rows and the grand total, computed and formatted from the raw inputs."""
    rows = []
    vat_bases: dict[Decimal, Decimal] = {}
    quantize = Decimal.quantize
    for description, quantity, price, rate in data.raw:
        net = quantize(quantity * price, _CENT, ROUND_HALF_UP)
        vat_bases[rate] = vat_bases.get(rate, _ZERO) + net
        rows.append(
            (description, _number(quantity), "h", _amount(price), _percent(rate), _amount(net))
        )
    total = _ZERO
    for rate, base in vat_bases.items():
        total += base + quantize(base * rate / _HUNDRED, _CENT, ROUND_HALF_UP)
    return rows, _amount(total)


def reportlab_canvas(data: PdfData) -> Callable[[], RenderedPdfs]:
    """The limit: the lines drawn on a reportlab canvas by a hand-written loop."""
    register_fonts()
    size, leading = 8, 9.6
    width, height = A4
    left, right, top, bottom = 20 * mm, width - 20 * mm, height - 20 * mm, 20 * mm
    # Right edges of the figure columns; the designation fills what is left.
    edges = (right - 58 * mm, right - 36 * mm, right - 23 * mm, right)
    quantity_edge = right - 72 * mm
    text_width = quantity_edge - 14 * mm - left - 4
    header = ("Désignation", "Qté", "Unité", "P.U. HT", "TVA", "Montant HT")

    def heading(canvas: Canvas) -> float:
        canvas.setFont(REGULAR, size)
        canvas.drawString(left, top, header[0])
        canvas.drawRightString(quantity_edge, top, header[1])
        for edge, label in zip(edges, header[2:], strict=True):
            canvas.drawRightString(edge, top, label)
        return top - 2 * leading

    def run() -> RenderedPdfs:
        contents = []
        for _ in range(data.documents):
            rows, total = _figures(data)
            buffer = io.BytesIO()
            canvas = Canvas(buffer, pagesize=A4, invariant=1)
            y = heading(canvas)
            for description, quantity, unit, price, rate, net in rows:
                wrapped = simpleSplit(description, REGULAR, size, text_width)
                if y - leading * len(wrapped) < bottom:
                    canvas.showPage()
                    y = heading(canvas)
                for k, text in enumerate(wrapped):
                    canvas.drawString(left, y - k * leading, text)
                canvas.drawRightString(quantity_edge, y, quantity)
                for edge, text in zip(edges, (unit, price, rate, net), strict=True):
                    canvas.drawRightString(edge, y, text)
                y -= leading * len(wrapped) + 5
            canvas.drawString(left, y, "Total TTC")
            canvas.drawRightString(right, y, total)
            canvas.showPage()
            canvas.save()
            contents.append(buffer.getvalue())
        return RenderedPdfs(contents, data)

    return run


def raw_platypus(data: PdfData) -> Callable[[], RenderedPdfs]:
    """One platypus table of the lines, header repeated (figures formatted timed)."""
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
            figures, total = _figures(data)
            buffer = io.BytesIO()
            doc = SimpleDocTemplate(buffer, invariant=1)
            first = doc.width - sum(w for w in widths if w is not None)
            rows: list[list[object]] = [list(header)]
            rows += [[Paragraph(r[0], style), *r[1:]] for r in figures]
            rows.append(["Total TTC", "", "", "", "", total])
            table = LongTable(rows, colWidths=[first, *widths[1:]], repeatRows=1)
            table.setStyle(commands)
            doc.build([table])
            contents.append(buffer.getvalue())
        return RenderedPdfs(contents, data)

    return run


def facturlib_pdf(data: PdfData) -> Callable[[], RenderedPdfs]:
    """From the raw inputs: the lines and the draft built, issued, then rendered."""
    renderer = PdfRenderer(locale="fr_FR")
    register_fonts()  # once per process, as in a long-running application
    scheme, state, day = sample_scheme(), SequenceState(), date(2025, 1, 15)

    def run() -> RenderedPdfs:
        contents = []
        vats = data.vats
        for _ in range(data.documents):
            lines = [
                Line(
                    description=description,
                    quantity=quantity,
                    unit="HUR",
                    unit_price=to_money(price, "EUR"),
                    vat=vats[rate],
                )
                for description, quantity, price, rate in data.raw
            ]
            draft = Invoice(lines=lines, **data.draft_fields)  # type: ignore[arg-type]
            invoice, _ = issue(draft, scheme, state, on=day)
            contents.append(renderer.render(invoice).content)
        return RenderedPdfs(contents, data)

    return run


def facturlib_render(data: PdfData) -> Callable[[], bool]:
    """``PdfRenderer.render`` of the issued invoice (for ``pdf_linear``)."""
    renderer = PdfRenderer(locale="fr_FR")
    register_fonts()

    def run() -> bool:
        content = renderer.render(data.invoice).content
        # Same answer for any size: a whole PDF with at least a page per 60 lines.
        return (
            content.startswith(b"%PDF")
            and content.count(b"/Type /Page\n") >= len(data.invoice.lines) // 60
        )

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
    candidates = {
        "reportlab canvas": reportlab_canvas,
        "platypus table": raw_platypus,
        "facturlib": facturlib_pdf,
    }
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
    description="build, issue and render a 20-line invoice as PDF, per document",
    setup=partial(_setup, 20),
    candidates=_CANDIDATES,
    baseline="reportlab canvas",
    size=40,
    quick_size=4,
    targets={"facturlib": 2.5},
)

PDF_1000 = Workload(
    name="pdf_1000",
    unit="document",
    description="build, issue and render a 1 000-line invoice as PDF (29 pages), per document",
    setup=partial(_setup, 1000),
    candidates=_CANDIDATES,
    baseline="reportlab canvas",
    size=3,
    quick_size=1,
    targets={"facturlib": 2.0},
)


class _Sizes:
    """The two invoices of ``pdf_linear``: *small* lines and 100 times as many."""

    def __init__(self, small: int) -> None:
        self.small = make_data(small, 1)
        self.large = make_data(small * 100, 1)


def _linear_setup(small: int) -> Inputs:
    return Inputs(data=_Sizes(small), units=1)


PDF_LINEAR = Workload(
    name="pdf_linear",
    unit="document",
    description="render an invoice of N lines and one of 100 N lines (linear: ≤ 120×)",
    setup=_linear_setup,
    candidates={
        "N lines": lambda sizes: facturlib_render(sizes.small),
        "100 N lines": lambda sizes: facturlib_render(sizes.large),
    },
    baseline="N lines",
    size=1_000,
    quick_size=50,
    targets={"100 N lines": 120.0},
    note="N = 1 000 (quick: 50); the ratio is the 100 N-line render over the N-line one",
)
