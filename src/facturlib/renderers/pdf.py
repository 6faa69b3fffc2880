"""PDF rendering of invoices, credit notes, deposit invoices, proformas, quotes and orders.

`PdfRenderer` follows the `facturlib.renderers.Renderer` protocol: its settings
(locale, label language, watermark, logo, `PdfOptions`) go in the constructor,
and ``render(document)`` returns a `facturlib.renderers.RenderedDocument` holding
the PDF bytes. It lays the document out with reportlab's platypus:

* the seller block with its legal mentions (legal form and capital, RCS, SIREN
  or SIRET, VAT id: C. com. R123-237, CGI ann. II 242 nonies A), the buyer's
  billing address ("À l'attention de …") and the delivery address when it
  differs (242 nonies A I-7° bis);
* the title per kind — "Facture", "Avoir" with "Facture initiale : <number> du
  <date>" (CGI 289 I-5, DOMAIN.md §5), "Facture d'acompte" (§6), "Facture
  proforma" with "Ne constitue pas une facture" (§1.2), "Devis", "Bon de
  commande" — number, dates, due date and references (BT-10, BT-13, BT-14);
* the lines (code, designation with its long description, quantity, unit, unit
  price, a discount column when a line has a discount, VAT rate, net), whose
  header row repeats on every page;
* the VAT breakdown per rate (BG-23) with the exemption mentions, the totals HT,
  TVA, TTC, the deposits already paid (BT-113) and the amount due (BT-115);
* the payment details (terms, IBAN/BIC, or the SEPA mandate reference);
* on every page, a footer with the seller's identity and the late-payment
  mentions (escompte, penalty rate, €40 indemnity: C. com. L441-9, L441-10,
  D441-5, DOMAIN.md §1.1 and §8), and "Page n/N".

It formats, it never computes: every amount comes from ``document.totals()``.
Numbers, amounts and dates are formatted by babel for the locale (fr_FR
"1 234,56 €", en_GB "€1,234.56", de_DE "1.234,56 €"), for any currency, with its
minor unit. Every text is set in DejaVu Sans, shipped with facturlib and
embedded, so accents, "€", Greek or Cyrillic names render. Drafts carry a
diagonal watermark ("BROUILLON", "DRAFT", or your text); issued documents never
do. The output is deterministic: the PDF dates are the document's issue date and
reportlab runs in invariant mode, so the same document gives the same bytes.

What the core cannot know yet — payment terms text, the agreed penalty rate,
escompte conditions, a SEPA mandate, a delivery address, general terms (CGV) —
is given as plain text in a `PdfContext`, to the constructor (for every
document) or to ``render`` (for one).

>>> from facturlib.testing.builders import sample_invoice
>>> renderer = PdfRenderer(locale="fr_FR")
>>> pdf = renderer.render(sample_invoice())
>>> pdf.media_type, pdf.filename, pdf.content[:5]
('application/pdf', 'facture-brouillon.pdf', b'%PDF-')
>>> renderer.render(sample_invoice()).content == pdf.content
True

.. versionadded:: 0.1
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from facturlib._codes import DocumentKind
from facturlib._validators import optional_str, to_tuple
from facturlib.documents import DocumentStatus, Invoice, Order, Quote
from facturlib.errors import RenderError
from facturlib.parties import Address
from facturlib.renderers import RenderedDocument
from facturlib.renderers._fonts import register_fonts
from facturlib.renderers._format import DEFAULT_DATE_FORMAT, Formatter, parse_locale
from facturlib.renderers._labels import CATALOGUE, FALLBACK_LANGUAGE, labels_for
from facturlib.renderers._pdf_layout import (
    AnyDocument,
    Page,
    build_pdf,
    document_story,
    make_styles,
    title_of,
)

__all__ = ["LABELS", "PdfContext", "PdfOptions", "PdfRenderer"]

#: The label catalogue: language code → label key → text (``"fr"``, ``"en"``, ``"de"``).
LABELS: Final[Mapping[str, Mapping[str, str]]] = CATALOGUE

_PAGE_SIZES: Final[Mapping[str, tuple[float, float]]] = {"A4": A4, "LETTER": LETTER}
_DEFAULT: Any = object()


def _optional_bool(value: object) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise RenderError(
        "expected True, False or None",
        field="discount_column",
        value=value,
        hint="None shows the discount column when a line has a discount",
    )


def _is_bool(instance: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise RenderError(
            "expected True or False", field=attribute.name, value=value, hint="pass a bool"
        )


def _page_size(value: object) -> str:
    name = str(value).upper()
    if name not in _PAGE_SIZES:
        raise RenderError(
            "unknown page size",
            field="page_size",
            value=value,
            hint=f"use one of {', '.join(sorted(_PAGE_SIZES))}",
        )
    return name


@attrs.frozen(kw_only=True)
class PdfOptions:
    """What the PDF shows; every option has the default a French B2B invoice wants.

    Attributes:
        page_size: ``"A4"`` (default) or ``"LETTER"``.
        show_product_code: a code column (BT-155) when a line has a ``product_id``.
        discount_column: ``True``/``False`` to force the discount column on or off;
            ``None`` (default) shows it when a line has a discount or charge.
        gross_amount_column: with the discount column, also show each line's amount
            before its discounts (quantity × unit price, from the totals). The unit
            price column always shows the price before line discounts, as entered.
        show_delivery_address: show the context's delivery address when it differs
            from the buyer's (242 nonies A I-7° bis).
        repeat_totals: print the total TTC and the amount due in every page's footer,
            for long documents whose pages may be separated.

    .. versionadded:: 0.1
    """

    page_size: str = attrs.field(default="A4", converter=_page_size)
    show_product_code: bool = attrs.field(default=True, validator=_is_bool)
    discount_column: bool | None = attrs.field(default=None, converter=_optional_bool)
    gross_amount_column: bool = attrs.field(default=False, validator=_is_bool)
    show_delivery_address: bool = attrs.field(default=True, validator=_is_bool)
    repeat_totals: bool = attrs.field(default=False, validator=_is_bool)


def _is_address(
    instance: object, attribute: attrs.Attribute[Address | None], value: object
) -> None:
    if value is not None and not isinstance(value, Address):
        raise RenderError(
            f"expected an Address, got {type(value).__name__}",
            field=attribute.name,
            value=value,
            hint="build it with facturlib.Address(city=..., country_code=...)",
        )


def _texts(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(str(item) for item in to_tuple(value))


@attrs.frozen(kw_only=True)
class PdfContext:
    """Plain inputs the renderer prints but cannot compute: texts, references, addresses.

    Give one to `PdfRenderer` for what holds for every document (your general terms,
    your penalty rate) and one to `PdfRenderer.render` for a single document; the
    fields set in the second win.

    Attributes:
        payment_terms: payment terms text (BT-20), instead of the document's own.
        late_penalty: the late-payment penalty mention with your agreed rate, e.g.
            "Pénalités de retard : 12,15 % l'an" (DOMAIN.md §8); default: the legal
            rate, ECB refinancing rate + 10 points (C. com. L441-10).
        recovery_indemnity: the €40 recovery indemnity mention (D441-5); default text
            given by the labels.
        early_payment_discount: escompte conditions; default: "Pas d'escompte pour
            paiement anticipé" (DOMAIN.md §7).
        vat_on_debits: print "Option pour le paiement de la taxe d'après les débits".
        sepa_mandate: the SEPA direct-debit mandate reference (RUM, BT-89) when the
            document is paid by direct debit; the seller's ICS is printed with it.
        delivery_name: the name at the delivery address (default: the buyer's name).
        delivery_address: the delivery address (BG-15), shown when it differs.
        attention: the person the document is for, instead of the buyer's contact.
        notes: more notes printed after the totals.
        conditions: general terms and conditions (CGV), printed on pages of their own
            after the document; paragraphs are separated by blank lines.

    .. versionadded:: 0.1
    """

    payment_terms: str | None = attrs.field(default=None, converter=optional_str)
    late_penalty: str | None = attrs.field(default=None, converter=optional_str)
    recovery_indemnity: str | None = attrs.field(default=None, converter=optional_str)
    early_payment_discount: str | None = attrs.field(default=None, converter=optional_str)
    vat_on_debits: bool = attrs.field(default=False, validator=_is_bool)
    sepa_mandate: str | None = attrs.field(default=None, converter=optional_str)
    delivery_name: str | None = attrs.field(default=None, converter=optional_str)
    delivery_address: Address | None = attrs.field(default=None, validator=_is_address)
    attention: str | None = attrs.field(default=None, converter=optional_str)
    notes: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    conditions: str | None = attrs.field(default=None, converter=optional_str)

    def merged(self, other: PdfContext | None) -> PdfContext:
        """This context with the fields *other* sets replacing ours.

        A field is set when it is not ``None``, not empty and not ``False`` (so a
        per-document context cannot turn ``vat_on_debits`` off).
        """
        if other is None:
            return self
        changes = {
            field.name: getattr(other, field.name)
            for field in attrs.fields(PdfContext)
            if getattr(other, field.name) not in (None, (), False)
        }
        return attrs.evolve(self, **changes)


#: Story builders per document type. A dunning letter is one more entry.
_STORIES: Final[Mapping[type, Callable[[Any, Page], list[Flowable]]]] = {
    Invoice: document_story,
    Quote: document_story,
    Order: document_story,
}

_SLUG = re.compile(r"[^0-9A-Za-z+_-]+")


def _logo(value: bytes | None) -> tuple[bytes, float, float] | None:
    if value is None:
        return None
    if not isinstance(value, bytes | bytearray):
        raise RenderError(
            f"the logo must be image bytes, not {type(value).__name__}",
            field="logo",
            value=type(value).__name__,
            hint="pass the content of a PNG or JPEG file, e.g. Path('logo.png').read_bytes()",
        )
    try:
        reader = ImageReader(io.BytesIO(bytes(value)))
        width, height = reader.getSize()
    except Exception as error:  # reportlab/PIL raise many kinds of errors here
        raise RenderError(
            "the logo is not a readable image",
            field="logo",
            value=f"<{len(value)} bytes>",
            hint=f"pass PNG or JPEG bytes ({error.__class__.__name__})",
        ) from None
    if width <= 0 or height <= 0:
        raise RenderError("the logo has no size", field="logo", value=(width, height))
    return bytes(value), float(width), float(height)


class PdfRenderer:
    """Renders documents to PDF with reportlab; one configured renderer renders many.

    Args:
        locale: the CLDR locale of numbers, amounts and dates (``"fr_FR"``, ``"en_GB"``,
            ``"de_DE"``…).
        language: the label language (a key of `LABELS`); default: the locale's language
            if the catalogue has it, else English.
        labels: label overrides, key → text (see `LABELS` for the keys).
        watermark: the text drawn across the pages of drafts; default: the label
            (``"BROUILLON"``, ``"DRAFT"``…); ``None`` or ``""`` for none. Issued
            documents, quotes, orders and proformas never carry it.
        logo: the seller's logo, PNG or JPEG bytes.
        options: a `PdfOptions`.
        context: a `PdfContext` for every document.
        date_format: ``"short"``, ``"medium"``, ``"long"``, a CLDR skeleton (the
            default ``"yMMdd"``: 15/01/2025 in fr_FR, 15.01.2025 in de_DE) or a pattern
            such as ``"dd/MM/yyyy"``.

    Raises:
        RenderError: for an unknown locale or language, a logo that is not an image,
            or options of the wrong type.

    .. versionadded:: 0.1
    """

    __slots__ = (
        "_context",
        "_fmt",
        "_labels",
        "_language",
        "_logo",
        "_options",
        "_styles",
        "_watermark",
    )

    def __init__(
        self,
        *,
        locale: str = "fr_FR",
        language: str | None = None,
        labels: Mapping[str, str] | None = None,
        watermark: str | None = _DEFAULT,
        logo: bytes | None = None,
        options: PdfOptions | None = None,
        context: PdfContext | None = None,
        date_format: str = DEFAULT_DATE_FORMAT,
    ) -> None:
        parsed = parse_locale(locale)
        if language is None:
            language = parsed.language if parsed.language in CATALOGUE else FALLBACK_LANGUAGE
        if language not in CATALOGUE:
            raise RenderError(
                "no labels for this language",
                field="language",
                value=language,
                hint=f"use one of {', '.join(sorted(CATALOGUE))}, or pass labels=... overrides",
            )
        if options is not None and not isinstance(options, PdfOptions):
            raise RenderError("expected PdfOptions", field="options", value=options)
        if context is not None and not isinstance(context, PdfContext):
            raise RenderError("expected a PdfContext", field="context", value=context)
        self._language = language
        self._labels = labels_for(language, labels)
        self._fmt = Formatter(parsed, date_format)
        self._watermark = self._labels["watermark"] if watermark is _DEFAULT else watermark
        self._logo = _logo(logo)
        self._options = options or PdfOptions()
        self._context = context or PdfContext()
        self._styles = make_styles()

    @property
    def options(self) -> PdfOptions:
        """The layout options."""
        return self._options

    @property
    def context(self) -> PdfContext:
        """The context applied to every document."""
        return self._context

    def render(
        self, document: AnyDocument, /, *, context: PdfContext | None = None
    ) -> RenderedDocument:
        """Render *document* as a PDF.

        Args:
            document: an `Invoice` (any kind, draft or issued), a `Quote` or an `Order`.
            context: a `PdfContext` for this document, over the renderer's.

        Returns:
            The PDF bytes, ``application/pdf``, named after the document number
            (``FA-2025-0001.pdf``) or its kind for an unnumbered document.

        Raises:
            RenderError: if *document* is not a document this renderer knows.
        """
        story_of = _STORIES.get(type(document))
        if story_of is None:
            raise RenderError(
                f"cannot render a {type(document).__name__} as PDF",
                field="document",
                value=type(document).__name__,
                hint="pass an Invoice, a Quote or an Order",
            )
        if context is not None and not isinstance(context, PdfContext):
            raise RenderError("expected a PdfContext", field="context", value=context)
        register_fonts()
        page = Page(
            fmt=self._fmt,
            labels=self._labels,
            styles=self._styles,
            options=self._options,
            context=self._context.merged(context),
            watermark=self._watermark if _is_draft(document) else None,
            logo=self._logo,
            page_size=_PAGE_SIZES[self._options.page_size],
        )
        title = title_of(document, page)
        if document.number:
            title = f"{title} {document.number}"
        content = build_pdf(
            document,
            story_of(document, page),
            page,
            title=title,
            language=str(self._fmt.locale).replace("_", "-"),
        )
        return RenderedDocument(
            content=content, media_type="application/pdf", filename=self._filename(document, page)
        )

    def _filename(self, document: AnyDocument, page: Page) -> str:
        if document.number:
            stem = document.number
        else:
            stem = title_of(document, page)
            if _is_draft(document):
                stem = f"{stem} {self._labels['watermark']}"
            stem = stem.lower()
        slug = _SLUG.sub("-", _ascii(stem)).strip("-")
        return f"{slug or 'document'}.pdf"


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _is_draft(document: AnyDocument) -> bool:
    """Drafts of real invoices carry the watermark; a proforma is final as a proforma."""
    return (
        isinstance(document, Invoice)
        and document.status is DocumentStatus.DRAFT
        and document.kind is not DocumentKind.PROFORMA
    )
