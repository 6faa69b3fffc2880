"""PDF rendering of invoices, credit notes, deposit invoices, proformas, quotes, orders,
delivery notes and dunning letters.

`PdfRenderer` follows the `facturlib.renderers.Renderer` protocol: its settings
(locale, label language, watermark, logo, `PdfOptions`) go in the constructor,
and ``render(document)`` returns a `facturlib.renderers.RenderedDocument` holding
the PDF bytes. It lays the document out with reportlab's platypus:

* the seller block with its legal mentions (legal form and capital, RCS, SIREN
  or SIRET, VAT id: C. com. R123-237, CGI ann. II 242 nonies A), the buyer's
  billing address ("À l'attention de …") and the delivery address when it
  differs (242 nonies A I-7° bis);
* the title per kind — "Facture", "Avoir" with "Facture initiale : <number> du
  <date>" (CGI 289 I-5), "Facture d'acompte" (§6), "Facture
  proforma" with "Ne constitue pas une facture" (§1.2), "Devis", "Bon de
  commande" — number, dates, due date and references (BT-10, BT-13, BT-14);
* the lines (code, designation with its long description, quantity, unit, unit
  price, a discount column when a line has a discount, VAT rate, net), whose
  header row repeats on every page;
* the VAT breakdown per rate (BG-23) with the exemption mentions, the totals HT,
  TVA, TTC, the deposits already paid (BT-113) and the amount due (BT-115);
* the payment details (terms, IBAN/BIC, or the SEPA mandate reference);
* for a quote, "Adressé à" rather than "Facturé à", its revision and the version it
  replaces, and the "Bon pour accord" boxes (date, name, signature) for the customer;
* on every page, a footer with the seller's identity and the late-payment
  mentions (escompte, penalty rate, €40 indemnity: C. com. L441-9, L441-10,
  D441-5), and "Page n/N".

A `facturlib.core.deliveries.DeliveryNote` ("Bon de livraison") has the letterhead,
the customer and deliver-to place, the quantities delivered without prices, its
notes and the "Reçu conforme" boxes; its footer is the seller's identity.

A `facturlib.receivables.dunning.DunningLetter` is laid out as a letter (C. com. L441-10): the
seller's letterhead titled per level ("Relance", "Deuxième relance", "Mise en
demeure"), the customer's address, place and date, the subject and wording of the
level's `facturlib.renderers.letters.LetterTemplate` (the text renderer's), the
table of overdue invoices (number, date, due date, days late, amount due,
interest), the amount due, interest, €40 indemnities, fee and total as the letter
holds them, the seller's bank details, the footer and "Page n/N"; never a watermark.

It formats, it never computes: every amount comes from ``document.totals()`` (or,
for a letter, from the letter).
Numbers, amounts and dates are formatted by babel for the locale (fr_FR
"1 234,56 €", en_GB "€1,234.56", de_DE "1.234,56 €"), for any currency, with its
minor unit. Every text is set in DejaVu Sans, shipped with facturlib and
embedded, so accents, "€", Greek or Cyrillic names render. Drafts carry a
diagonal watermark ("BROUILLON", "DRAFT", or your text); issued documents never
do. The output is deterministic: the PDF dates are the document's issue date and
reportlab runs in invariant mode, so the same document gives the same bytes.

What the document does not hold — payment terms text, the agreed penalty rate,
escompte conditions, a SEPA mandate, a delivery address, general terms (CGV) —
is given in a `PdfContext`, to the constructor (for every document) or to
``render`` (for one). `PdfContext.for_invoice` fills it from the payment-terms and
penalties modules (`facturlib.receivables.terms`, `facturlib.receivables.penalties`).

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

from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable
from reportlab.platypus.doctemplate import LayoutError

from facturlib.core._codes import DocumentKind
from facturlib.core.deliveries import DeliveryNote
from facturlib.core.documents import DocumentStatus, Invoice, Order, Quote
from facturlib.core.errors import RenderError
from facturlib.core.integrity import _verified
from facturlib.receivables.dunning import DunningLetter
from facturlib.renderers import RenderedDocument
from facturlib.renderers._coverage import check_drawable
from facturlib.renderers._fonts import register_fonts
from facturlib.renderers._format import DEFAULT_DATE_FORMAT, Formatter, parse_locale
from facturlib.renderers._labels import CATALOGUE, FALLBACK_LANGUAGE, labels_for
from facturlib.renderers._pdf_layout import (
    Page,
    Renderable,
    build_pdf,
    delivery_story,
    document_story,
    letter_story,
    make_styles,
    title_of,
)
from facturlib.renderers._pdf_settings import PAGE_SIZES, PdfContext, PdfOptions
from facturlib.renderers.letters import LETTER_TEMPLATES, LetterTemplate

__all__ = ["LABELS", "PdfContext", "PdfOptions", "PdfRenderer"]

#: The label catalogue: language code → label key → text (``"fr"``, ``"en"``, ``"de"``).
LABELS: Final[Mapping[str, Mapping[str, str]]] = CATALOGUE

_DEFAULT: Any = object()


#: Story builders per document type.
_STORIES: Final[Mapping[type, Callable[[Any, Page], list[Flowable]]]] = {
    Invoice: document_story,
    Quote: document_story,
    Order: document_story,
    DunningLetter: letter_story,
    DeliveryNote: delivery_story,
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
    r"""Renders documents to PDF with reportlab; one configured renderer renders many.

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
        templates: dunning letter wordings by template key, added to (or replacing)
            the built-in `facturlib.renderers.letters.LETTER_TEMPLATES` of *language*
            (English ones where the language has none).

    Raises:
        RenderError: for an unknown locale or language, a logo that is not an image,
            options of the wrong type, or templates that are not `LetterTemplate`\s.

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
        "_templates",
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
        templates: Mapping[str, LetterTemplate] | None = None,
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
        self._templates = _letter_templates(language, templates)

    @property
    def options(self) -> PdfOptions:
        """The layout options."""
        return self._options

    @property
    def context(self) -> PdfContext:
        """The context applied to every document."""
        return self._context

    def render(
        self, document: Renderable, /, *, context: PdfContext | None = None
    ) -> RenderedDocument:
        """Render *document* as a PDF.

        Args:
            document: an `Invoice` (any kind, draft or issued), a `Quote` (addressed
                to the buyer, with "Bon pour accord" boxes), an `Order`, a
                `facturlib.core.deliveries.DeliveryNote` (no prices, with "Reçu
                conforme" boxes) or a `facturlib.receivables.dunning.DunningLetter`.
            context: a `PdfContext` for this document, over the renderer's.

        Returns:
            The PDF bytes, ``application/pdf``, named after the document number
            (``FA-2025-0001.pdf``), its kind for an unnumbered document, or for a
            letter its title, customer and date (``mise-en-demeure-552081317-2025-03-16.pdf``).

        Raises:
            RenderError: if *document* is not a document this renderer knows, or a
                letter's template has no wording; a text holds a character the
                embedded font lacks (CJK, emoji) or of a right-to-left script (Arabic,
                Hebrew), which reportlab can neither shape nor reorder; a text too
                long to fit on a page.
            TamperedDocumentError: an issued invoice altered after issue.

        .. versionchanged:: 0.1
           Renders dunning letters.
        .. versionchanged:: 0.2
           Renders delivery notes; quotes say "Adressé à" and carry "Bon pour accord".
        """
        story_of = _STORIES.get(type(document))
        if story_of is None:
            raise RenderError(
                f"cannot render a {type(document).__name__} as PDF",
                field="document",
                value=type(document).__name__,
                hint="pass an Invoice, a Quote, an Order, a DeliveryNote or a DunningLetter",
            )
        if context is not None and not isinstance(context, PdfContext):
            raise RenderError("expected a PdfContext", field="context", value=context)
        register_fonts()
        # Integrity (issue 16): never print an invoice altered after issue, nor text
        # the embedded fonts would print as boxes or in the wrong order.
        if isinstance(document, Invoice):
            _verified(document, "document", laws=False)
        check_drawable(document)
        page = Page(
            fmt=self._fmt,
            labels=self._labels,
            styles=self._styles,
            options=self._options,
            context=self._context.merged(context),
            watermark=self._watermark if _is_draft(document) else None,
            logo=self._logo,
            page_size=PAGE_SIZES[self._options.page_size],
            templates=self._templates,
        )
        title = title_of(document, page)
        if isinstance(document, DunningLetter):
            title = f"{title} – {document.customer.name}"
        elif document.number:
            title = f"{title} {document.number}"
        try:
            content = build_pdf(
                document,
                story_of(document, page),
                page,
                title=title,
                language=str(self._fmt.locale).replace("_", "-"),
            )
        except LayoutError as error:
            raise RenderError(
                "a block of the document does not fit on a page",
                field="document",
                value=str(error).split(" at 0x")[0][:80],
                hint="shorten the longest text (a party name, an address line or a note "
                "of several kilobytes cannot be laid out)",
            ) from None
        return RenderedDocument(
            content=content, media_type="application/pdf", filename=self._filename(document, page)
        )

    def _filename(self, document: Renderable, page: Page) -> str:
        if isinstance(document, DunningLetter):
            title = title_of(document, page)
            stem = f"{title} {document.customer.key} {document.date.isoformat()}".lower()
        elif document.number:
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


def _letter_templates(
    language: str, templates: Mapping[str, LetterTemplate] | None
) -> dict[str, LetterTemplate]:
    """The built-in wordings of *language* (English where it has none) with *templates*."""
    for key, template in (templates or {}).items():
        if not isinstance(template, LetterTemplate):
            raise RenderError(
                f"expected a LetterTemplate, got {type(template).__name__}",
                field=f"templates[{key!r}]",
                value=template,
                hint="LetterTemplate(subject=..., opening=..., closing=...)",
            )
    return {
        **LETTER_TEMPLATES[FALLBACK_LANGUAGE],
        **LETTER_TEMPLATES.get(language, {}),
        **(templates or {}),
    }


def _is_draft(document: Renderable) -> bool:
    """Drafts of real invoices carry the watermark; a proforma is final as a proforma."""
    return (
        isinstance(document, Invoice)
        and document.status is DocumentStatus.DRAFT
        and document.kind is not DocumentKind.PROFORMA
    )
