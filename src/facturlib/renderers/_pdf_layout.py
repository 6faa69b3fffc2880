"""The page and story building blocks of `facturlib.renderers.pdf` (reportlab platypus).

A document is rendered as a *story* (a list of flowables) laid out on pages that
share one frame, with what every page carries drawn by the page callbacks: the
footer (seller identity and legal mentions), an optional line of totals, the
draft watermark, and "Page n/N" (the number of pages is known only at the end,
so `_NumberedCanvas` keeps each page and writes the numbers when it saves).

The lines are a platypus `LongTable` (it splits across pages and repeats its
header row). The short blocks — the letterhead, the party boxes, the VAT and
totals figures, the payment block, the footer — are light flowables that draw
their lines straight on the canvas (`TextLines`): on a one-page invoice, laying
out nested tables and Paragraphs cost more than everything else.

The blocks are small functions of a `Page` (styles, formatter, labels, options,
context), so a new document type is a new story function that reuses the
letterhead, party, figures, payment and footer blocks: `letter_story` lays out a
`facturlib.receivables.dunning.DunningLetter` that way.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

import attrs
from moneyed import Currency, Money
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    LongTable,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import SimpleDocTemplate

from facturlib.core._codes import DocumentKind
from facturlib.core.deliveries import DeliveryNote
from facturlib.core.documents import DocumentStatus, Invoice, Order, Quote, billing_framework
from facturlib.core.lines import Line, other_tax_amounts
from facturlib.core.money import to_money
from facturlib.core.parties import Address, Party
from facturlib.core.payment_means import PaymentMeans, payment_means_of
from facturlib.core.totals import Totals
from facturlib.core.vat import VatRate
from facturlib.receivables.dunning import DunningLetter
from facturlib.renderers._fonts import BOLD, REGULAR
from facturlib.renderers._format import Formatter
from facturlib.renderers._pdf_settings import PdfContext, PdfOptions
from facturlib.renderers.letters import (
    _LETTER_COLUMNS,
    LetterTemplate,
    _letter_totals,
    _template_of,
)

__all__ = ["Page", "build_pdf", "document_story", "letter_story"]

AnyDocument = Invoice | Quote | Order
#: Everything the PDF renderer lays out.
Renderable = Invoice | Quote | Order | DunningLetter | DeliveryNote
#: A line adjustment entry of `Totals.line_adjustments`.
_Adjusted = tuple[int, Decimal, tuple[Decimal, ...], tuple[Decimal, ...]]

_INK = colors.HexColor("#1f2933")
_MUTED = colors.HexColor("#52606d")
_RULE = colors.HexColor("#c4cdd5")
_SHADE = colors.HexColor("#eef2f5")
_ACCENT = colors.HexColor("#243b53")
_WATERMARK = colors.HexColor("#d9dee3")
_MARGIN = 15 * mm


@attrs.frozen(kw_only=True)
class Styles:
    """The paragraph styles of one rendering."""

    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    right: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    footer: ParagraphStyle
    footer_strong: ParagraphStyle
    letter: ParagraphStyle


def make_styles() -> Styles:
    body = ParagraphStyle("fl-body", fontName=REGULAR, fontSize=8.5, leading=11, textColor=_INK)
    return Styles(
        body=body,
        small=ParagraphStyle("fl-small", parent=body, fontSize=7, leading=8.6, textColor=_MUTED),
        cell=ParagraphStyle("fl-cell", parent=body, fontSize=8, leading=9.6),
        right=ParagraphStyle("fl-right", parent=body, alignment=TA_RIGHT),
        title=ParagraphStyle(
            "fl-title",
            parent=body,
            fontName=BOLD,
            fontSize=18,
            leading=22,
            alignment=TA_RIGHT,
            textColor=_ACCENT,
        ),
        heading=ParagraphStyle(
            "fl-heading", parent=body, fontName=BOLD, fontSize=9.5, leading=12, spaceBefore=6
        ),
        footer=ParagraphStyle("fl-footer", parent=body, fontSize=6.5, leading=8, textColor=_MUTED),
        footer_strong=ParagraphStyle(
            "fl-footer-strong", parent=body, fontSize=6.5, leading=8, textColor=_INK
        ),
        letter=ParagraphStyle(
            "fl-letter", parent=body, fontSize=9.5, leading=13, spaceBefore=3, spaceAfter=3
        ),
    )


@attrs.frozen(kw_only=True)
class Page:
    """Everything the blocks need for one rendering (built by `PdfRenderer.render`).

    Attributes:
        fmt: the locale's `Formatter`.
        labels: the label catalogue of the chosen language, with overrides.
        styles: the paragraph styles.
        options: the renderer's `facturlib.renderers.pdf.PdfOptions`.
        context: the merged `facturlib.renderers.pdf.PdfContext` of this document.
        watermark: the watermark text for this document, or ``None``.
        logo: the seller's logo (image bytes, width, height), or ``None``.
        page_size: (width, height) in points.
        templates: the dunning letter wordings by template key.
    """

    fmt: Formatter
    labels: dict[str, str]
    styles: Styles
    options: PdfOptions
    context: PdfContext
    watermark: str | None
    logo: tuple[bytes, float, float] | None
    page_size: tuple[float, float]
    templates: Mapping[str, LetterTemplate] = attrs.field(factory=dict)

    @property
    def width(self) -> float:
        """The width available in the text frame (inside its 6-point paddings)."""
        return self.page_size[0] - 2 * _MARGIN - 12

    def text(self, key: str, **fields: object) -> str:
        """The label *key*, with ``{fields}`` filled in (not escaped)."""
        label = self.labels[key]
        return label.format(**fields) if fields else label


def _e(text: object) -> str:
    """Escape text for a Paragraph (``&``, ``<``, ``>``); keep line breaks.

    reportlab breaks lines at a narrow no-break space (U+202F, CLDR's French
    thousands separator) but not at a no-break space, so amounts are kept whole.
    """
    return escape(str(text)).replace("\n", "<br/>").replace("\u202f", "\xa0")


def _fit(text: str, width: float, style: ParagraphStyle) -> str | Paragraph:
    """*text* as a plain table cell when it fits on one line of *width*, else a Paragraph.

    Plain cells skip the Paragraph parser and line breaker: most cells fit, and this
    keeps a long table close to the speed of a hand-written one. The table's FONT
    command must match *style*'s font and size.
    """
    if "\n" not in text and stringWidth(text, style.fontName, style.fontSize) <= width:
        return text
    return Paragraph(_e(text), style)


#: Left plus right padding of a table cell (reportlab's default 6 points each).
_PADDING = 12.0
#: The left and right padding of the cells of the lines table (narrow columns).
_LINE_PADDING = 3.5


# Parties -------------------------------------------------------------------------------------


def _address_lines(address: Address, page: Page) -> list[str]:
    lines = [line for line in (address.line1, address.line2, address.line3) if line]
    city = " ".join(part for part in (address.postal_code, address.city) if part)
    if address.country_subdivision:
        city = f"{city}, {address.country_subdivision}"
    lines.append(city)
    if address.country_code != page.fmt.locale.territory:
        lines.append(page.fmt.locale.territories.get(address.country_code, address.country_code))
    return lines


def _siren(value: str) -> str:
    return " ".join((value[0:3], value[3:6], value[6:9], value[9:])).strip()


def legal_identity(party: Party, page: Page) -> list[str]:
    """Legal form and capital, registration, SIREN/SIRET and VAT id (C. com. R123-237)."""
    parts: list[str] = []
    if party.legal_form and party.capital is not None:
        parts.append(
            page.text(
                "legal_form_capital", form=party.legal_form, capital=page.fmt.money(party.capital)
            )
        )
    elif party.legal_form:
        parts.append(party.legal_form)
    if party.registration:
        parts.append(party.registration)
    return parts + _identifiers(party, page)


def _identifiers(party: Party, page: Page) -> list[str]:
    """SIREN (the buyer's too, a mention since 2026: CGI ann. II 242 nonies A I-1°), the
    SIRET when given, and the VAT id, labelled."""
    ids: list[str] = []
    if party.legal_id:
        ids.append(f"{page.text('siren')} {_siren(party.legal_id)}")
    if party.siret:
        ids.append(f"{page.text('siret')} {_siren(party.siret)}")
    if party.vat_id:
        ids.append(f"{page.text('vat_id')} {party.vat_id}")
    return ids


def _split(text: str, font: str, size: float, width: float) -> list[str]:
    """Break *text* into lines of *width* at plain spaces only.

    reportlab's ``simpleSplit`` and Paragraph also break at no-break spaces
    (U+00A0, U+202F), which would split an amount such as "1 234,56 €".
    """
    space = stringWidth(" ", font, size)
    lines: list[str] = []
    words: list[str] = []
    used = -space
    for word in text.split(" "):
        needed = stringWidth(word, font, size)
        if words and used + space + needed > width:
            lines.append(" ".join(words))
            words, used = [], -space
        words.append(word)
        used += space + needed
    if words:
        lines.append(" ".join(words))
    return lines


#: One line of a block: its text, its style, and whether it is bold.
TextLine = tuple[str, ParagraphStyle, bool]


class TextLines:
    """Short lines of text (an address block) drawn with ``drawString``; a line too
    long for the width becomes a wrapped Paragraph. Cheaper than one multi-line
    Paragraph with markup, which reportlab parses and breaks word by word."""

    def __init__(self, lines: Sequence[TextLine]) -> None:
        self.lines = lines
        self.height = 0.0
        self._items: list[tuple[str | Paragraph, ParagraphStyle, str, float]] = []

    def wrap(self, width: float) -> float:
        """Lay the lines out in *width*; return the height."""
        self._items = []
        for text, style, bold in self.lines:
            font, size = (BOLD if bold else style.fontName), style.fontSize
            if stringWidth(text, font, size) <= width:
                self._items.append((text, style, font, style.leading))
                continue
            parts = _split(text, font, size, width)
            if all(stringWidth(part, font, size) <= width for part in parts):
                self._items += [(part, style, font, style.leading) for part in parts]
                continue
            # A word wider than the line (a long URL…): let a Paragraph cut it.
            markup = f"<b>{_e(text)}</b>" if bold else _e(text)
            paragraph = Paragraph(markup, style)
            self._items.append((paragraph, style, font, paragraph.wrap(width, 1e6)[1]))
        self.height = sum(item[3] for item in self._items)
        return self.height

    def draw(self, canvas: Canvas, x: float, top: float) -> None:
        """Draw the lines from *top* down, at *x*."""
        y = top
        for item, style, font, height in self._items:
            y -= height
            if isinstance(item, Paragraph):
                item.drawOn(canvas, x, y)
            else:
                canvas.setFillColor(style.textColor)
                canvas.setFont(font, style.fontSize)
                canvas.drawString(x, y + height - style.fontSize, item)


class TextBlock(Flowable):
    """`TextLines` as a flowable of the story (a short block that never splits)."""

    def __init__(self, lines: TextLines, *, space_before: float = 0.0) -> None:
        super().__init__()
        self._lines = lines
        self.spaceBefore = space_before

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = self._lines.wrap(available_width)
        return self.width, self.height

    def draw(self) -> None:
        self._lines.draw(self.canv, 0, self.height)


def _seller_lines(party: Party, page: Page) -> list[TextLine]:
    body, small = page.styles.body, page.styles.small
    lines: list[TextLine] = [(party.name, body, True)]
    if party.trading_name:
        lines.append((party.trading_name, body, False))
    lines += [(line, body, False) for line in _address_lines(party.address, page)]
    contact = party.contact
    if contact is not None:
        if contact.phone:
            lines.append((f"{page.text('phone')} {contact.phone}", body, False))
        if contact.email:
            lines.append((contact.email, body, False))
    lines += [(line, small, False) for line in legal_identity(party, page)]
    return lines


def _buyer_lines(party: Party, page: Page) -> list[TextLine]:
    body, small = page.styles.body, page.styles.small
    lines: list[TextLine] = [(party.name, body, True)]
    attention = page.context.attention or (party.contact.name if party.contact else None)
    if attention:
        lines.append((page.text("attention", name=attention), body, False))
    lines += [(line, body, False) for line in _address_lines(party.address, page)]
    ids = _identifiers(party, page)
    if ids:
        lines.append((" · ".join(ids), small, False))
    return lines


class PartyBoxes(Flowable):
    """Boxed party blocks side by side ("Facturé à", "Livré à"): a shaded heading band
    over the address lines, drawn straight on the canvas."""

    _PAD = 5.0
    _BAND = 12.0

    def __init__(
        self, boxes: list[tuple[str, TextLines]], page: Page, *, first_column: int = 0
    ) -> None:
        super().__init__()
        self._boxes = boxes
        self._first = first_column
        self._small = page.styles.small
        self._box_width = page.width / 2 - 3 * mm

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        inner = self._box_width - 2 * self._PAD
        body = max(lines.wrap(inner) for _, lines in self._boxes)
        self.width = available_width
        self.height = self._BAND + body + 2 * self._PAD
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        step = self.width - self._box_width
        for index, (heading, lines) in enumerate(self._boxes, start=self._first):
            x = index * step
            canvas.setFillColor(_SHADE)
            canvas.rect(x, self.height - self._BAND, self._box_width, self._BAND, stroke=0, fill=1)
            canvas.setStrokeColor(_RULE)
            canvas.setLineWidth(0.6)
            canvas.rect(x, 0, self._box_width, self.height, stroke=1, fill=0)
            canvas.setFillColor(self._small.textColor)
            canvas.setFont(self._small.fontName, self._small.fontSize)
            canvas.drawString(x + self._PAD, self.height - self._BAND + 3.5, heading)
            lines.draw(canvas, x + self._PAD, self.height - self._BAND - self._PAD)


def parties_row(document: AnyDocument | DeliveryNote, page: Page) -> Flowable:
    """ "Bill to" (buyer, "À l'attention de …") and "Deliver to" when it differs.

    A quote is "Addressed to" ("Adressé à") its buyer, a delivery note names the
    "Customer" ("Client"): neither bills anything.

    The deliver-to place is the invoice's own (``Invoice.deliver_to``, BG-15: a
    mention when it differs from the buyer's address, CGI ann. II 242 nonies A
    I-7° bis), else the context's delivery address when the options show it.
    """
    buyer = document.buyer
    key = {Quote: "address_to", DeliveryNote: "customer"}.get(type(document), "bill_to")
    boxes = [(page.text(key), TextLines(_buyer_lines(buyer, page)))]
    place = getattr(document, "deliver_to", None)
    delivery: Address | None = None
    name: str | None = None
    if place is not None:
        delivery, name = place.address, place.name
    elif page.options.show_delivery_address:
        delivery, name = page.context.delivery_address, page.context.delivery_name
    if delivery is not None and delivery != buyer.address:
        body = page.styles.body
        lines: list[TextLine] = [(name or buyer.name, body, True)]
        lines += [(line, body, False) for line in _address_lines(delivery, page)]
        boxes.append((page.text("deliver_to"), TextLines(lines)))
    return PartyBoxes(boxes, page)


# Header --------------------------------------------------------------------------------------


def title_of(document: Renderable, page: Page) -> str:
    """The document's title in the page language ("Facture", "Avoir", "Devis", "Relance"…)."""
    if isinstance(document, DunningLetter):
        key = f"letter.title.{document.step.template}"
        return page.labels.get(key) or letter_template(document, page).subject
    if isinstance(document, Quote):
        return page.text("title.quote")
    if isinstance(document, Order):
        return page.text("title.order")
    if isinstance(document, DeliveryNote):
        return page.text("title.delivery_note")
    return page.text(f"title.{document.kind.value}")


def _reference(number: str, on: date | None, page: Page) -> str:
    if on is None:
        return number
    return page.text("reference.value", number=number, date=page.fmt.date(on))


def _header_facts(document: AnyDocument, page: Page) -> list[tuple[str, str]]:
    fmt = page.fmt
    facts: list[tuple[str, str]] = []
    draft = isinstance(document, Invoice) and document.status is DocumentStatus.DRAFT
    if document.number:
        facts.append((page.text("number"), document.number))
    elif draft and document.kind.is_numbered:  # type: ignore[union-attr]
        facts.append((page.text("number"), page.text("draft_number")))
    facts.append((page.text("issue_date"), fmt.date(document.issue_date)))
    if isinstance(document, Invoice):
        # A credit note is not paid by the buyer: no due date on it.
        if document.due_date is not None and document.kind is not DocumentKind.CREDIT_NOTE:
            facts.append((page.text("due_date"), fmt.date(document.due_date)))
        # Nature of the operations (CGI ann. II 242 nonies A I-8° bis), from BT-23.
        letter = billing_framework(document)[0]
        facts.append((page.text("operation"), page.text(f"operation.{letter}")))
        if document.delivery_date is not None:
            facts.append((page.text("delivery_date"), fmt.date(document.delivery_date)))
        if document.period is not None:
            value = page.text(
                "period.value",
                start=fmt.date(document.period.start),
                end=fmt.date(document.period.last_day),
            )
            facts.append((page.text("period"), value))
        key = {
            DocumentKind.CREDIT_NOTE: "preceding.credit_note",
            DocumentKind.CORRECTIVE: "preceding.corrective",
        }.get(document.kind, "preceding.other")
        for ref in document.preceding:
            facts.append((page.text(key), _reference(ref.number, ref.issue_date, page)))
        refs: tuple[tuple[str, str | None], ...] = (
            ("buyer_reference", document.buyer_reference),
            ("purchase_order", document.purchase_order),
            ("order_reference", document.order_reference),
            ("quote_reference", document.quote_reference),
            ("contract_reference", document.contract_reference),
        )
    elif isinstance(document, Quote):
        if document.valid_until is not None:
            facts.append((page.text("valid_until"), fmt.date(document.valid_until)))
        if document.revision > 1:
            facts.append((page.text("revision"), str(document.revision)))
        if document.previous_number is not None:
            previous = document.previous_number
            if document.previous_revision not in (None, 1):
                previous += f" {page.text('revision.short')} {document.previous_revision}"
            facts.append((page.text("supersedes"), previous))
        refs = ()
    else:
        if document.delivery_date is not None:
            facts.append((page.text("planned_delivery"), fmt.date(document.delivery_date)))
        refs = (
            ("purchase_order", document.purchase_order),
            ("quote_reference", document.quote_reference),
        )
    facts += [(page.text(key), value) for key, value in refs if value]
    return facts


class Letterhead(Flowable):
    """The top of the first page, drawn straight on the canvas: the seller block on the
    left; the title, an optional notice and the document facts (label, value, rule
    below) on the right.

    A flowable of its own rather than tables: on a short invoice, laying out nested
    tables cost more than all the rest of the page.
    """

    _GAP = 6.0  # between the two halves
    _ROW_PADDING = 1.8  # above and below each fact

    def __init__(
        self,
        logo: Image | None,
        left: TextLines,
        title: str,
        notice: str | None,
        facts: list[tuple[str, str]],
        page: Page,
    ) -> None:
        super().__init__()
        self._logo = logo
        self._left = left
        self._title = title
        self._notice = notice
        self._facts = facts
        self._styles = page.styles
        self._rows: list[tuple[str, str | Paragraph, float]] = []

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        half = available_width / 2 - self._GAP
        left = self._left.wrap(half)
        if self._logo is not None:
            left += self._logo.drawHeight + 4
        title = self._styles.title
        right = title.leading + 6 + (self._styles.right.leading if self._notice else 0)
        value_style, small = self._styles.right, self._styles.small
        value_width = half - 32 * mm
        self._rows = []
        for key, value in self._facts:
            cell = _fit(value, value_width, value_style)
            height = value_style.leading
            if isinstance(cell, Paragraph):
                height = cell.wrap(value_width, available_height)[1]
            height = max(height, small.leading) + 2 * self._ROW_PADDING
            self._rows.append((key, cell, height))
            right += height
        self.height = max(left, right)
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        top = self.height
        if self._logo is not None:
            top -= self._logo.drawHeight
            self._logo.drawOn(canvas, 0, top)
            top -= 4
        self._left.draw(canvas, 0, top)
        styles = self._styles
        right, value = self.width, styles.right
        left = self.width / 2 + self._GAP
        y = self.height - styles.title.fontSize
        canvas.setFillColor(styles.title.textColor)
        canvas.setFont(styles.title.fontName, styles.title.fontSize)
        canvas.drawRightString(right, y, self._title)
        y -= styles.title.leading - styles.title.fontSize + 6
        if self._notice:
            y -= value.leading
            canvas.setFont(BOLD, value.fontSize)
            canvas.drawRightString(right, y + 2, self._notice)
        canvas.setStrokeColor(_RULE)
        canvas.setLineWidth(0.4)
        small = styles.small
        for key, cell, height in self._rows:
            top = y
            y -= height
            canvas.setFillColor(small.textColor)
            canvas.setFont(small.fontName, small.fontSize)
            canvas.drawString(left, top - self._ROW_PADDING - small.fontSize, key)
            if isinstance(cell, Paragraph):
                cell.drawOn(canvas, right - cell.width, y + self._ROW_PADDING)
            else:
                canvas.setFillColor(value.textColor)
                canvas.setFont(value.fontName, value.fontSize)
                canvas.drawRightString(right, top - self._ROW_PADDING - value.fontSize, cell)
            canvas.line(left, y, right, y)


def header(document: AnyDocument, page: Page) -> Flowable:
    """Seller block (logo, address, legal mentions) beside the title and the document facts."""
    notice = None
    if isinstance(document, Invoice) and document.kind is DocumentKind.PROFORMA:
        notice = page.text("proforma.notice")
    return letterhead(
        document.seller, title_of(document, page), _header_facts(document, page), page, notice
    )


def letterhead(
    seller: Party,
    title: str,
    facts: list[tuple[str, str]],
    page: Page,
    notice: str | None = None,
) -> Flowable:
    """The first page's top for any document type (a dunning letter too): the seller's
    logo, address and legal mentions beside *title*, *notice* and *facts* (label, value)."""
    logo = None
    if page.logo is not None:
        data, width, height = page.logo
        scale = min(45 * mm / width, 18 * mm / height)
        logo = Image(io.BytesIO(data), width=width * scale, height=height * scale)
    return Letterhead(logo, TextLines(_seller_lines(seller, page)), title, notice, facts, page)


# Lines ---------------------------------------------------------------------------------------


def _exemption_numbers(totals: Totals) -> dict[str, int]:
    """Each distinct exemption mention of the document, numbered 1, 2… in breakdown order."""
    numbers: dict[str, int] = {}
    for entry in totals.vat_breakdown:
        text = entry.vat.mention
        if text is not None and text not in numbers:
            numbers[text] = len(numbers) + 1
    return numbers


def _vat_cell(vat: VatRate, page: Page, numbers: Mapping[str, int]) -> str:
    """The rate as customers read it ("20 %"); an exempt rate refers to its mention,
    printed under the VAT breakdown ("0 % (1)"). No category codes ("S", "AE")."""
    rate = "–" if vat.percent is None else page.fmt.percent(vat.percent)
    text = vat.mention
    if text is None or text not in numbers:
        return rate
    return f"{rate} ({numbers[text]})"


def _has_adjustments(document: AnyDocument) -> bool:
    return any(line.discounts or line.charges for line in document.lines)


def _adjustment_text(percent: Decimal | None, amount: Money | None, page: Page) -> str:
    if percent is not None:
        return page.fmt.percent(percent)
    return page.fmt.money(amount) if amount is not None else ""


_LEFT_COLUMNS = frozenset({"col.code", "col.description", "col.unit"})


def lines_table(document: AnyDocument, totals: Totals, page: Page) -> Flowable:
    """The lines: code, designation (wrapped, long description), quantity, unit, price…

    The header row repeats on every page (``repeatRows``). Amounts come from
    *totals*: the line net (BT-131) and, for discounted lines, the allowance and
    charge amounts computed by `facturlib.core.totals`.
    """
    options, fmt, styles = page.options, page.fmt, page.styles
    cur: Currency = document.currency
    show_code = options.show_product_code and any(line.product_id for line in document.lines)
    show_discount = options.discount_column
    if show_discount is None:
        show_discount = _has_adjustments(document)
    show_gross = options.gross_amount_column and show_discount
    adjusted = {entry[0]: entry for entry in totals.line_adjustments}
    price_key = "col.unit_price_incl" if document.prices_include_vat else "col.unit_price"

    columns: list[tuple[str, float]] = []
    if show_code:
        columns.append(("col.code", 17 * mm))
    columns.append(("col.description", 0.0))
    columns += [("col.quantity", 14 * mm), ("col.unit", 14 * mm), (price_key, 22 * mm)]
    if show_gross:
        columns.append(("col.gross_amount", 22 * mm))
    if show_discount:
        columns.append(("col.discount", 21 * mm))
    columns += [("col.vat", 13 * mm), ("col.net", 23 * mm)]
    fixed = sum(width for _, width in columns)
    widths = [width or page.width - fixed for _, width in columns]

    head_style = ParagraphStyle(
        "fl-head", parent=styles.cell, fontName=BOLD, textColor=colors.white
    )
    head_right = ParagraphStyle("fl-head-r", parent=head_style, alignment=TA_RIGHT)
    rows: list[list[Any]] = [
        [
            _fit(
                page.text(key),
                width - _PADDING,
                head_style if key in _LEFT_COLUMNS else head_right,
            )
            for (key, _), width in zip(columns, widths, strict=True)
        ]
    ]
    description_width = widths[1 if show_code else 0] - 2 * _LINE_PADDING
    labels = page.labels
    cell = styles.cell
    nets = totals.line_nets
    period_label = labels["line.period"]
    numbers = _exemption_numbers(totals)
    money = fmt.money
    amount = fmt.amount
    # Comment lines (no amount): a text row across the table before their line.
    comments: dict[str | None, list[str]] = {}
    for comment in getattr(document, "comments", ()):
        comments.setdefault(comment.before, []).append(comment.text)
    # The comment rows span the whole table: known by their cell (not their index), so
    # that every window of rows (`_LineWindow`) gets its own spans.
    comment_cells: set[int] = set()

    def comment_rows(texts: list[str]) -> None:
        for comment_text in texts:
            paragraph = Paragraph(f"<i>{_e(comment_text)}</i>", cell)
            comment_cells.add(id(paragraph))
            rows.append([paragraph] + [""] * (len(columns) - 1))

    for index, line in enumerate(document.lines):
        if comments:
            comment_rows(comments.get(line.id, []))
        designation: str | Paragraph
        mentions = (
            [f"dont {tax.name} : {money(total)}" for tax, total in other_tax_amounts(line)]
            if line.other_taxes
            else []
        )
        if not (line.note or line.period or mentions):
            designation = _fit(line.description, description_width, cell)
            text = ""
        else:
            text = f"<b>{_e(line.description)}</b>"
        if line.note:
            text += f'<br/><font size="7" color="#52606d">{_e(line.note)}</font>'
        if line.period is not None:
            value = page.text(
                "period.value",
                start=fmt.date(line.period.start),
                end=fmt.date(line.period.last_day),
            )
            text += (
                f'<br/><font size="7" color="#52606d">{_e(period_label.format(value=value))}</font>'
            )
        for mention in mentions:
            text += f'<br/><font size="7" color="#52606d">{_e(mention)}</font>'
        if text:
            designation = Paragraph(text, cell)
        price = money(line.unit_price)
        if line.base_quantity != 1:
            price += f" / {fmt.number(line.base_quantity)}"
        row: list[Any] = []
        if show_code:
            row.append(line.product_id or "")
        row += [
            designation,
            fmt.number(line.quantity),
            labels.get(f"unit.{line.unit}", line.unit),
            price,
        ]
        entry = adjusted.get(index)
        if show_gross:
            row.append(amount(entry[1] if entry else nets[index], cur))
        if show_discount:
            row.append(_discount_cell(line, entry, cur, page))
        row += [_vat_cell(line.vat, page, numbers), amount(nets[index], cur)]
        rows.append(row)
    if comments:
        comment_rows(comments.get(None, []))

    first_number = 2 if show_code else 1

    def build(window: list[list[Any]]) -> Table:
        window_spans: list[tuple[Any, ...]] = []
        for i, row in enumerate(window):
            if row and id(row[0]) in comment_cells:
                window_spans.append(("SPAN", (0, i), (-1, i)))
                window_spans.append(("ALIGN", (0, i), (-1, i), "LEFT"))
        # splitInRow: a row taller than a page (a very long description) is split too.
        table = LongTable(window, colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=1)
        table.setStyle(
            _grid_style(
                ("ALIGN", (0, 0), (first_number - 1, 0), "LEFT"),
                ("ALIGN", (first_number + 1, 0), (first_number + 1, 0), "LEFT"),
                ("ALIGN", (first_number, 1), (-1, -1), "RIGHT"),
                ("ALIGN", (0, 1), (0, -1), "LEFT"),
                ("ALIGN", (first_number + 1, 1), (first_number + 1, -1), "LEFT"),
                *window_spans,
            )
        )
        return table

    if len(rows) - 1 <= _WINDOW:
        return build(rows)
    return _LineWindow(build(rows[: _WINDOW + 1]), rows, _WINDOW + 1, build)


#: Rows of the lines table handed to platypus at a time (tables up to this size are
#: laid out as one `LongTable`).
_WINDOW = 400


class _LineWindow(Flowable):
    """A long lines table laid out a window of rows at a time, in linear time.

    platypus splits a table at each page break into the rows that fit and a new
    table of all the others, and both that new table and reportlab's row-height pass
    cost time in the number of rows left: a table of n rows costs O(n²) (570 s for
    100 000 lines). This flowable holds a table of at most about `_WINDOW` rows and
    the rows not yet in it (*rows* from *start*): platypus splits the table page after
    page as usual, and when what is left of it fits on a page, the next rows are
    added to it (a new table of the rows left and the next window), so that no table
    is ever longer than two windows. The header row opens every page (``repeatRows``)
    and the banding restarts on every page, as when platypus splits one table: the
    PDF is the same, byte for byte (a unit test compares them).
    """

    def __init__(
        self,
        table: Any,  # a LongTable, or the part of one platypus split off
        rows: list[list[Any]],
        start: int,
        build: Callable[[list[list[Any]]], Table],
    ) -> None:
        super().__init__()
        self._table, self._rows, self._start, self._build = table, rows, start, build

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        width, height = self._table.wrap(available_width, available_height)
        if self._start < len(self._rows):
            height = max(height, available_height + 1)  # rows follow: never fits, split
        self.width, self.height = width, height
        return width, height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        table, start = self._table, self._start
        while True:
            parts = table.split(available_width, available_height)
            if len(parts) != 1 or start >= len(self._rows):
                break
            # What is left of the table fits on this page: add the next window of rows.
            left = [list(row) for row in table._cellvalues[1:]]  # reportlab's own rows
            stop = start + _WINDOW
            table = self._build([self._rows[0], *left, *self._rows[start:stop]])
            start = stop
        if len(parts) != 2:
            return list(parts)
        first, rest = parts
        if start >= len(self._rows):
            return [first, rest]
        return [first, _LineWindow(rest, self._rows, start, self._build)]

    def draw(self) -> None:
        self._table.drawOn(self.canv, 0, 0)


def _grid_style(*alignments: tuple[Any, ...]) -> TableStyle:
    """The look of the lines and invoices tables: a dark header row (right-aligned
    unless *alignments* say otherwise), banded rows, a rule under the last one."""
    return TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), REGULAR, 8),
            ("FONT", (0, 0), (-1, 0), BOLD, 8),
            ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
            ("ALIGN", (0, 0), (-1, 0), "RIGHT"),
            ("TEXTCOLOR", (0, 1), (-1, -1), _INK),
            ("BACKGROUND", (0, 0), (-1, 0), _ACCENT),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, _SHADE]),
            *alignments,
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, -1), (-1, -1), 0.6, _RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LEFTPADDING", (0, 0), (-1, -1), _LINE_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), _LINE_PADDING),
        ]
    )


def _discount_cell(line: Line, entry: _Adjusted | None, cur: Currency, page: Page) -> str:
    """Each line discount and charge as given (10 %, 5,00 €) with its amount from the totals."""
    parts: list[str] = []
    adjustments: tuple[tuple[tuple[Any, ...], str, tuple[Decimal, ...]], ...] = (
        (line.discounts, "-", entry[2] if entry else ()),
        (line.charges, "+", entry[3] if entry else ()),
    )
    for items, sign, amounts in adjustments:
        for i, item in enumerate(items):
            text = sign + _adjustment_text(item.percent, item.amount, page)
            if item.percent is not None and i < len(amounts):
                text += f"\n{sign}{page.fmt.amount(amounts[i], cur)}"
            parts.append(text)
    return "\n".join(parts)


# VAT, totals, payment --------------------------------------------------------------------------


def vat_rows(totals: Totals, page: Page) -> tuple[list[list[Any]], list[str]]:
    """The VAT breakdown per rate (BG-23) with a heading row, and the exemption mentions."""
    fmt = page.fmt
    rows: list[list[Any]] = [
        [page.text("vat.rate"), page.text("vat.base"), page.text("vat.amount")]
    ]
    numbers = _exemption_numbers(totals)
    for entry in totals.vat_breakdown:
        vat = entry.vat
        label = _vat_cell(vat, page, numbers)
        if vat.percent is None:
            label = page.text("vat.outside_scope") + label.removeprefix("–")
        rows.append([label, fmt.money(entry.taxable), fmt.money(entry.amount)])
    mentions = [f"({number}) {text}" for text, number in numbers.items()]
    return rows, mentions


def totals_rows(document: AnyDocument, totals: Totals, page: Page) -> list[list[Any]]:
    """Totals HT / TVA / TTC, document allowances and charges, deposits, amount due (last)."""
    fmt = page.fmt
    money = fmt.money
    rows: list[list[Any]] = []
    numbers = _exemption_numbers(totals)
    if totals.allowances or totals.charges:
        rows.append([page.text("totals.lines"), money(totals.line_net_total)])
        for applied in (*totals.allowances, *totals.charges):
            key = "totals.charge" if applied.is_charge else "totals.allowance"
            label = page.text(key)
            if applied.reason:
                label += f" – {applied.reason}"
            if applied.percent is not None:
                label += f" ({fmt.percent(applied.percent)})"
            label += f" · {page.text('col.vat')} {_vat_cell(applied.vat, page, numbers)}"
            amount = applied.amount if applied.is_charge else -applied.amount
            rows.append([_fit(label, _TOTALS_LABEL - 8, page.styles.body), money(amount)])
    rows.append([page.text("totals.net"), money(totals.tax_exclusive_total)])
    rows.append([page.text("totals.vat"), money(totals.vat_total)])
    if totals.vat_total_tax_currency is not None:
        rows.append(
            [
                page.text(
                    "totals.vat_tax_currency", currency=totals.vat_total_tax_currency.currency.code
                ),
                money(totals.vat_total_tax_currency),
            ]
        )
    rows.append([page.text("totals.gross"), money(totals.tax_inclusive_total)])
    if totals.bt113:
        rows.append([page.text("totals.prepaid"), money(-totals.prepaid_total)])
    if totals.bt114:
        rows.append([page.text("totals.rounding"), money(totals.rounding_amount)])
    rows.append([due_label(document, page), money(totals.amount_due)])
    return rows


_VAT_WIDTHS = (24 * mm, 28 * mm, 26 * mm)
_TOTALS_LABEL = 62 * mm
_TOTALS_AMOUNT = 32 * mm


class Figures(Flowable):
    """The VAT breakdown (left) beside the totals (right), drawn straight on the canvas:
    a shaded heading row for the VAT grid, a rule under every row, and the last total
    (the amount due) in bold on a shaded band."""

    _PAD = 2.0
    _SIDE = 4.0

    def __init__(self, vat: list[list[str]], money: list[list[Any]], page: Page) -> None:
        super().__init__()
        self._vat = vat
        self._money = money
        self._font = page.styles.cell
        self._heights: list[float] = []

    def _row(self, size: float) -> float:
        return size * 1.2 + 2 * self._PAD

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self._heights = []
        for index, (label, _) in enumerate(self._money):
            last = index == len(self._money) - 1
            height = self._row(9.5 if last else self._font.fontSize)
            if isinstance(label, Paragraph):
                inner = _TOTALS_LABEL - 2 * self._SIDE
                height = max(height, label.wrap(inner, available_height)[1] + 2 * self._PAD)
            self._heights.append(height)
        vat_height = len(self._vat) * self._row(self._font.fontSize)
        self.height = max(vat_height, sum(self._heights))
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        size, side = self._font.fontSize, self._SIDE
        row = self._row(size)
        canvas.setStrokeColor(_RULE)
        canvas.setLineWidth(0.4)
        vat_width = sum(_VAT_WIDTHS)
        if self._vat:  # a dunning letter has totals only
            canvas.setFillColor(_SHADE)
            canvas.rect(0, self.height - row, vat_width, row, stroke=0, fill=1)
        y = self.height
        for index, cells in enumerate(self._vat):
            y -= row
            baseline = y + self._PAD + 0.25 * size
            canvas.setFillColor(_INK)
            canvas.setFont(BOLD if index == 0 else REGULAR, size)
            canvas.drawString(side, baseline, cells[0])
            canvas.drawRightString(_VAT_WIDTHS[0] + _VAT_WIDTHS[1] - side, baseline, cells[1])
            canvas.drawRightString(vat_width - side, baseline, cells[2])
            canvas.line(0, y, vat_width, y)
        left = self.width - _TOTALS_LABEL - _TOTALS_AMOUNT
        y = self.height
        last = len(self._money) - 1
        for index, ((label, amount), height) in enumerate(
            zip(self._money, self._heights, strict=True)
        ):
            y -= height
            font, font_size = (BOLD, 9.5) if index == last else (REGULAR, size)
            if index == last:
                canvas.setFillColor(_SHADE)
                canvas.rect(left, y, self.width - left, height, stroke=0, fill=1)
                canvas.setStrokeColor(_ACCENT)
                canvas.setLineWidth(0.8)
                canvas.line(left, y + height, self.width, y + height)
                canvas.setStrokeColor(_RULE)
                canvas.setLineWidth(0.4)
            baseline = y + height - self._PAD - font_size
            canvas.setFillColor(_INK)
            canvas.setFont(font, font_size)
            if isinstance(label, Paragraph):
                label.drawOn(canvas, left + side, y + self._PAD)
            else:
                canvas.drawString(left + side, baseline, label)
            canvas.setFont(font, font_size)
            canvas.drawRightString(self.width - side, baseline, amount)
            canvas.line(left, y, self.width, y)


def figures(document: AnyDocument, totals: Totals, page: Page) -> list[Flowable]:
    """The VAT breakdown beside the totals, then the exemption mentions (BT-120)."""
    vat, mentions = vat_rows(totals, page)
    flowables: list[Flowable] = [Figures(vat, totals_rows(document, totals, page), page)]
    flowables += [Paragraph(_e(mention), page.styles.body) for mention in mentions]
    return flowables


def due_label(document: AnyDocument, page: Page) -> str:
    """ "Net à payer", or what the last total is called on a credit note or a quote."""
    if isinstance(document, Quote | Order):
        return page.text("totals.due.quote")
    if document.kind is DocumentKind.CREDIT_NOTE:
        return page.text("totals.due.credit_note")
    return page.text("totals.due")


def _iban(value: str) -> str:
    return " ".join(value[i : i + 4] for i in range(0, len(value), 4))


def payment_block(document: AnyDocument, page: Page) -> list[Flowable]:
    """Payment terms, installments, bank details (IBAN/BIC) or SEPA mandate reference."""
    context = page.context
    body = page.styles.body
    lines: list[TextLine] = []
    terms = context.payment_terms or document.payment_terms
    if terms:
        line = page.text("payment.terms.line", label=page.text("payment.terms"), terms=terms)
        lines.append((line, body, False))
    if context.installments:
        lines.append((page.text("payment.installments"), body, False))
        lines += [
            (
                "– "
                + page.text(
                    "payment.installment",
                    date=page.fmt.date(installment.date),
                    amount=page.fmt.money(installment.amount),
                ),
                body,
                False,
            )
            for installment in context.installments
        ]
    if isinstance(document, Invoice):
        # The means the e-invoice states (BG-16): the invoice's own, else a transfer to the
        # seller's account; a credit note shows only means given explicitly (it is refunded).
        is_credit = document.kind is DocumentKind.CREDIT_NOTE
        means = document.payment_means if is_credit else payment_means_of(document)
        if context.sepa_mandate and not any(m.is_direct_debit for m in means):
            means = ()  # the context's mandate replaces the default transfer, as before
        lines += [(_means_text(m, page), body, False) for m in means]
        return _payment_lines(
            document.seller, lines, page, mandate=context.sepa_mandate, show_bank=False
        )
    return _payment_lines(
        document.seller, lines, page, mandate=context.sepa_mandate, show_bank=True
    )


def _means_text(means: PaymentMeans, page: Page) -> str:
    """One payment means as a line: "Virement SEPA · IBAN … · BIC …", "Prélèvement SEPA,
    mandat (RUM) … · ICS …", "Paiement par carte bancaire"…"""
    if means.is_direct_debit and means.mandate:
        parts = [page.text("payment.mandate", mandate=means.mandate)]
        if means.creditor_id:
            parts.append(page.text("payment.creditor_id", creditor_id=means.creditor_id))
        if means.debtor_iban:
            parts.append(page.text("payment.debtor_iban", iban=_iban(means.debtor_iban)))
    else:
        key = f"payment.means.{means.code}"
        parts = [means.text or page.labels.get(key) or means.name]
        if means.iban:
            parts.append(f"{page.text('payment.iban')} {_iban(means.iban)}")
        if means.bic:
            parts.append(f"{page.text('payment.bic')} {means.bic}")
        if means.account_name:
            parts.append(page.text("payment.account_name", name=means.account_name))
        if means.card_pan:
            parts.append(page.text("payment.card", pan=means.card_pan))
    if means.remittance:
        parts.append(page.text("payment.remittance", remittance=means.remittance))
    return " · ".join(parts)


def _payment_lines(
    seller: Party, first: list[TextLine], page: Page, *, mandate: str | None, show_bank: bool
) -> list[Flowable]:
    """*first*, then the SEPA mandate or the seller's bank details, under "Règlement"."""
    body = page.styles.body
    lines = list(first)
    if mandate:
        text = page.text("payment.mandate", mandate=mandate)
        if seller.creditor_id:
            text += " · " + page.text("payment.creditor_id", creditor_id=seller.creditor_id)
        lines.append((text, body, False))
    elif seller.iban and show_bank:
        bank = f"{page.text('payment.iban')} {_iban(seller.iban)}"
        if seller.bic:
            bank += f" · {page.text('payment.bic')} {seller.bic}"
        lines.append((bank, body, False))
    if not lines:
        return []
    heading = page.styles.heading
    lines.insert(0, (page.text("payment.title"), heading, True))
    return [TextBlock(TextLines(lines), space_before=heading.spaceBefore)]


def notes_block(document: AnyDocument, page: Page) -> list[Flowable]:
    """The document's notes (BT-22) and the context's extra notes."""
    notes = [*document.notes, *page.context.notes]
    if not notes:
        return []
    flowables: list[Flowable] = [Paragraph(_e(page.text("notes.title")), page.styles.heading)]
    flowables += [Paragraph(_e(str(note)), page.styles.body) for note in notes]
    return flowables


def conditions_block(page: Page) -> list[Flowable]:
    """The general terms (CGV), on pages of their own after the document."""
    text: str | None = page.context.conditions
    if not text:
        return []
    paragraphs = [part.strip() for part in text.split("\n\n") if part.strip()]
    return [
        PageBreak(),
        Paragraph(_e(page.text("conditions.title")), page.styles.heading),
        *(Paragraph(_e(part), page.styles.small) for part in paragraphs),
    ]


def mentions(document: AnyDocument, page: Page) -> list[str]:
    """The footer's legal mentions: escompte, late-payment penalties, €40 indemnity (§1.1, §8)."""
    context = page.context
    texts: list[str] = []
    if context.vat_on_debits or document.seller.vat_on_debits:
        texts.append(page.text("mention.vat_on_debits"))
    if isinstance(document, Invoice) and document.kind is DocumentKind.CREDIT_NOTE:
        # Nothing is due from the buyer: no escompte, penalty or €40 indemnity mention.
        return texts
    if isinstance(document, Invoice) or context.late_penalty or context.early_payment_discount:
        texts.append(context.early_payment_discount or page.text("mention.discount"))
        texts.append(context.late_penalty or page.text("mention.penalty"))
        if not context.no_recovery_indemnity:
            indemnity = context.recovery_indemnity or page.text(
                "mention.indemnity", amount=page.fmt.money(to_money("40", "EUR"))
            )
            texts.append(indemnity)
    return texts


def document_story(document: AnyDocument, page: Page) -> list[Flowable]:
    """The story of an invoice, credit note, deposit, proforma, quote or order."""
    totals = document.totals()
    closing = figures(document, totals, page)
    closing += payment_block(document, page)
    closing += notes_block(document, page)
    if isinstance(document, Quote):
        closing += signature_block("acceptance", page)
    return [
        header(document, page),
        Spacer(1, 6 * mm),
        parties_row(document, page),
        Spacer(1, 6 * mm),
        lines_table(document, totals, page),
        Spacer(1, 5 * mm),
        KeepTogether(closing),
        *conditions_block(page),
    ]


def signature_block(kind: str, page: Page) -> list[Flowable]:
    """Boxes for the customer's date, name and signature under a heading and a mention:
    the "Bon pour accord" of a quote (*kind* ``"acceptance"``) or the "Reçu conforme"
    of a delivery note (``"receipt"``)."""
    styles = page.styles
    labels = [page.text(f"signature.{part}") for part in ("date", "name", "signature")]
    widths = [0.25 * page.width, 0.35 * page.width, 0.40 * page.width]
    table = Table(
        [labels, ["", "", ""]],
        colWidths=widths,
        rowHeights=[None, 22 * mm],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 7.5),
                ("TEXTCOLOR", (0, 0), (-1, -1), _INK),
                ("BOX", (0, 0), (-1, -1), 0.6, _RULE),
                ("INNERGRID", (0, 0), (-1, -1), 0.4, _RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return [
        Paragraph(_e(page.text(f"{kind}.title")), styles.heading),
        Paragraph(_e(page.text(f"{kind}.text")), styles.small),
        Spacer(1, 2 * mm),
        table,
    ]


# Delivery notes ------------------------------------------------------------------------------


def _delivery_facts(note: DeliveryNote, page: Page) -> list[tuple[str, str]]:
    facts = [
        (page.text("number"), note.number),
        (page.text("delivery_date"), page.fmt.date(note.issue_date)),
    ]
    if note.order_number:
        facts.append((page.text("order_reference"), note.order_number))
    if note.purchase_order:
        facts.append((page.text("purchase_order"), note.purchase_order))
    return facts


def delivered_table(note: DeliveryNote, page: Page) -> Table:
    """The delivered lines: code, designation, quantity delivered, unit — no prices."""
    styles, fmt, labels = page.styles, page.fmt, page.labels
    show_code = any(line.product_id for line in note.lines)
    columns: list[tuple[str, float]] = [("col.code", 22 * mm)] if show_code else []
    columns += [("col.description", 0.0), ("col.delivered", 24 * mm), ("col.unit", 18 * mm)]
    fixed = sum(width for _, width in columns)
    widths = [width or page.width - fixed for _, width in columns]
    head = ParagraphStyle("fl-head", parent=styles.cell, fontName=BOLD, textColor=colors.white)
    head_right = ParagraphStyle("fl-head-r", parent=head, alignment=TA_RIGHT)
    rows: list[list[Any]] = [
        [
            _fit(page.text(key), width - _PADDING, head if key in _LEFT_COLUMNS else head_right)
            for (key, _), width in zip(columns, widths, strict=True)
        ]
    ]
    description_width = widths[1 if show_code else 0] - 2 * _LINE_PADDING
    for line in note.lines:
        row: list[Any] = [line.product_id or ""] if show_code else []
        row += [
            _fit(line.description, description_width, styles.cell),
            fmt.number(line.quantity),
            labels.get(f"unit.{line.unit}", line.unit),
        ]
        rows.append(row)
    first_number = 2 if show_code else 1
    table = LongTable(rows, colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=1)
    table.setStyle(
        _grid_style(
            ("ALIGN", (0, 0), (first_number - 1, -1), "LEFT"),
            ("ALIGN", (first_number, 1), (first_number, -1), "RIGHT"),
            ("ALIGN", (first_number + 1, 0), (first_number + 1, -1), "LEFT"),
        )
    )
    return table


def delivery_story(note: DeliveryNote, page: Page) -> list[Flowable]:
    """The story of a delivery note: letterhead, customer and deliver-to place, the
    delivered lines without prices, notes and the "Reçu conforme" boxes."""
    closing: list[Flowable] = []
    notes = [*note.notes, *page.context.notes]
    if notes:
        closing.append(Paragraph(_e(page.text("notes.title")), page.styles.heading))
        closing += [Paragraph(_e(str(n)), page.styles.body) for n in notes]
    closing += signature_block("receipt", page)
    return [
        letterhead(note.seller, title_of(note, page), _delivery_facts(note, page), page),
        Spacer(1, 6 * mm),
        parties_row(note, page),
        Spacer(1, 6 * mm),
        delivered_table(note, page),
        Spacer(1, 5 * mm),
        KeepTogether(closing),
    ]


# Dunning letters -----------------------------------------------------------------------------


def letter_template(letter: DunningLetter, page: Page) -> LetterTemplate:
    """The wording of *letter*'s level (its step's ``template`` key), or `RenderError`."""
    return _template_of(letter, page.templates, "PdfRenderer")


def _letter_facts(letter: DunningLetter, page: Page) -> list[tuple[str, str]]:
    return [
        (page.text("issue_date"), page.fmt.date(letter.date)),
        (page.text("letter.customer"), letter.customer.key),
        (page.text("letter.level"), str(letter.level)),
        (page.text("letter.total"), page.fmt.money(letter.total)),
    ]


def invoices_table(letter: DunningLetter, page: Page) -> Table:
    """The invoices chased: number, dates, days late, amount due and interest to date.

    The interest column is left out when the letter charges none. The header row
    repeats when the table runs over a page.
    """
    fmt = page.fmt
    keys = list(_LETTER_COLUMNS)
    if not any(item.interest.amount for item in letter.items):
        keys.remove("interest")
    fixed = {"issue_date": 22 * mm, "due_date": 22 * mm, "days": 18 * mm}
    fixed.update({"amount_due": 30 * mm, "interest": 26 * mm})
    widths = [fixed.get(key, 0.0) for key in keys]
    widths[0] = page.width - sum(widths)
    rows: list[list[Any]] = [[page.text(f"letter.col.{key}") for key in keys]]
    for item in letter.items:
        row = [
            _fit(item.invoice_number, widths[0] - 2 * _LINE_PADDING, page.styles.cell),
            fmt.date(item.issue_date),
            fmt.date(item.due_date),
            page.text("letter.days", n=item.days_overdue),
            fmt.money(item.amount_due),
        ]
        if "interest" in keys:
            row.append(fmt.money(item.interest))
        rows.append(row)
    table = LongTable(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        _grid_style(
            ("ALIGN", (0, 0), (2, -1), "LEFT"),
            ("ALIGN", (3, 1), (-1, -1), "RIGHT"),
        )
    )
    return table


def letter_story(letter: DunningLetter, page: Page) -> list[Flowable]:
    """The story of a dunning letter (C. com. L441-10).

    The seller's letterhead with the letter's title and facts, the customer's address,
    place and date, the subject, the level's wording around the table of invoices and
    the figures the letter holds (amount due, interest, indemnity, fee, total), the
    seller's bank details and the closing. Every amount is the letter's own.
    """
    template = letter_template(letter, page)
    styles, fmt = page.styles, page.fmt
    city = letter.seller.address.city or ""
    dated = page.text("letter.dated", city=city, date=fmt.date(letter.date)).lstrip(", ")
    recipient = TextLines(_buyer_lines(letter.customer, page))
    figures = [
        [
            _fit(page.text(key, date=fmt.date(letter.date)), _TOTALS_LABEL - 8, styles.body),
            fmt.money(amount),
        ]
        for key, amount in _letter_totals(letter)
    ]
    bank = _payment_lines(letter.seller, [], page, mandate=None, show_bank=True)
    subject = page.text("letter.subject", subject=template.subject)
    closing: list[Flowable] = [
        Paragraph(_e(template.closing), styles.letter),
        *bank,
        Spacer(1, 4 * mm),
        Paragraph(_e(page.text("letter.regards")), styles.letter),
        Spacer(1, 6 * mm),
        Paragraph(f"<b>{_e(letter.seller.name)}</b>", styles.letter),
    ]
    return [
        letterhead(letter.seller, title_of(letter, page), _letter_facts(letter, page), page),
        Spacer(1, 6 * mm),
        # The address on the right half, where a French window envelope shows it.
        PartyBoxes([(page.text("letter.to"), recipient)], page, first_column=1),
        Spacer(1, 6 * mm),
        Paragraph(_e(dated), styles.right),
        Spacer(1, 4 * mm),
        Paragraph(f"<b>{_e(subject)}</b>", styles.letter),
        Spacer(1, 2 * mm),
        Paragraph(_e(page.text("letter.salutation")), styles.letter),
        Paragraph(_e(template.opening), styles.letter),
        Spacer(1, 3 * mm),
        invoices_table(letter, page),
        Spacer(1, 4 * mm),
        KeepTogether([Figures([], figures, page), Spacer(1, 4 * mm), *closing]),
    ]


# Pages ---------------------------------------------------------------------------------------


class _NumberedCanvas(Canvas):
    """A canvas that writes "Page n/N" on every page once N is known (at save)."""

    page_label = "{page}/{pages}"
    page_font = (REGULAR, 7.0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(*self.page_font)
            self.setFillColor(_MUTED)
            width = self._pagesize[0]  # type: ignore[attr-defined]
            number = self._pageNumber  # type: ignore[attr-defined]
            text = self.page_label.format(page=number, pages=total)
            self.drawRightString(width - _MARGIN, _MARGIN - 4 * mm, text)
            super().showPage()
        super().save()


def _pdf_date(on: date | None) -> Callable[..., str]:
    stamp = (on or date(2000, 1, 1)).strftime("%Y%m%d")

    def formatter(*_: object) -> str:
        return f"D:{stamp}000000+00'00'"

    return formatter


def _footer_lines(document: Renderable, page: Page) -> TextLines:
    """The footer: optional totals line, the seller's identity, the legal mentions.

    A dunning letter's footer is the seller's identity: the penalties it claims are
    in its body, and the invoice mentions do not apply to it.
    """
    seller, style = document.seller, page.styles.footer
    identity = " · ".join([seller.name, *legal_identity(seller, page)])
    lines: list[TextLine] = [(identity, style, False)]
    if isinstance(document, DunningLetter | DeliveryNote):
        return TextLines(lines)
    texts = mentions(document, page)
    if texts:
        lines.append((" ".join(texts), style, False))
    if page.options.repeat_totals:
        totals = document.totals()
        line = page.text(
            "totals.carried",
            gross=page.text("totals.gross"),
            amount=page.fmt.money(totals.tax_inclusive_total),
            due=due_label(document, page),
            due_amount=page.fmt.money(totals.amount_due),
        )
        lines.insert(0, (line, page.styles.footer_strong, True))
    return TextLines(lines)


def build_pdf(
    document: Renderable,
    story: list[Flowable],
    page: Page,
    *,
    title: str,
    language: str,
) -> bytes:
    """Lay *story* out on pages with footer, watermark and page numbers; return the PDF."""
    footer = _footer_lines(document, page)
    footer_height = footer.wrap(page.width)
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=page.page_size,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=_MARGIN + footer_height + 4 * mm,
        title=title,
        author=document.seller.name,
        subject=title,
        creator="facturlib",
        initialFontName=REGULAR,
        invariant=1,
        lang=language,
    )

    def on_page(canvas: Canvas, _: object) -> None:
        canvas.saveState()
        if page.watermark:
            canvas.setFont(BOLD, 96 if len(page.watermark) <= 10 else 64)
            canvas.setFillColor(_WATERMARK)
            canvas.translate(page.page_size[0] / 2, page.page_size[1] / 2)
            canvas.rotate(45)
            canvas.drawCentredString(0, -30, page.watermark)
            canvas.rotate(-45)
            canvas.translate(-page.page_size[0] / 2, -page.page_size[1] / 2)
        canvas.setStrokeColor(_RULE)
        canvas.setLineWidth(0.5)
        top = _MARGIN + footer_height + 1 * mm
        canvas.line(_MARGIN, top, page.page_size[0] - _MARGIN, top)
        footer.draw(canvas, _MARGIN, top - 1 * mm)
        canvas.restoreState()

    class _Canvas(_NumberedCanvas):
        page_label = page.text("page", page="{page}", pages="{pages}")

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            on = document.date if isinstance(document, DunningLetter) else document.issue_date
            self.setDateFormatter(_pdf_date(on))

    template.build(story, onFirstPage=on_page, onLaterPages=on_page, canvasmaker=_Canvas)
    return buffer.getvalue()
