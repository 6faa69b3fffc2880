"""PDF rendering of invoices, credit notes, deposit invoices, proformas, quotes, orders
and dunning letters.

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

A `facturlib.dunning.DunningLetter` is laid out as a letter (DOMAIN.md §8): the
seller's letterhead titled per level ("Relance", "Seconde relance", "Mise en
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
penalties modules (`facturlib.terms`, `facturlib.penalties`).

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
from datetime import date
from typing import Any, Final, Literal

import attrs
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from facturlib._codes import DocumentKind
from facturlib._validators import optional_str, to_tuple
from facturlib.documents import DocumentStatus, Invoice, Order, Quote
from facturlib.dunning import DunningLetter
from facturlib.errors import RenderError
from facturlib.parties import Address
from facturlib.penalties import PenaltyPolicy, footer_mentions
from facturlib.renderers import RenderedDocument
from facturlib.renderers._fonts import register_fonts
from facturlib.renderers._format import DEFAULT_DATE_FORMAT, Formatter, parse_locale
from facturlib.renderers._labels import CATALOGUE, FALLBACK_LANGUAGE, labels_for
from facturlib.renderers._pdf_layout import (
    Page,
    Renderable,
    build_pdf,
    document_story,
    letter_story,
    make_styles,
    title_of,
)
from facturlib.renderers.letters import LETTER_TEMPLATES, LetterTemplate
from facturlib.terms import (
    Installment,
    PaymentTerms,
    discount_mention,
    due_schedule,
    format_terms,
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


def _installments(value: Any) -> tuple[Installment, ...]:
    if isinstance(value, str):
        value = [value]
    items = to_tuple(value)
    for index, item in enumerate(items):
        if not isinstance(item, Installment):
            raise RenderError(
                f"expected an Installment, got {type(item).__name__}",
                field=f"installments[{index}]",
                value=item,
                hint="compute them with facturlib.terms.due_schedule(invoice, terms)",
            )
    return items


@attrs.frozen(kw_only=True)
class PdfContext:
    r"""Plain inputs the renderer prints but cannot compute: texts, references, addresses.

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
        installments: the due schedule (`facturlib.terms.Installment`\s from
            `facturlib.terms.due_schedule`), printed under the payment terms, each date
            and amount formatted for the locale (BT-20).
        no_recovery_indemnity: leave the €40 indemnity mention out, where it is not
            due (a debtor in collective proceedings, a consumer: DOMAIN.md §8).

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
    installments: tuple[Installment, ...] = attrs.field(default=(), converter=_installments)
    no_recovery_indemnity: bool = attrs.field(default=False, validator=_is_bool)

    @classmethod
    def for_invoice(
        cls,
        invoice: Invoice,
        *,
        terms: PaymentTerms | None = None,
        penalties: PenaltyPolicy | None = None,
        language: str = "fr",
        issue_date: date | None = None,
        order_date: date | None = None,
    ) -> PdfContext:
        """The payment texts of *invoice* from its terms and penalty policy.

        The payment modules compute and word; this only carries their results:

        * ``payment_terms``: `facturlib.terms.format_terms` of *terms* (BT-20);
        * ``installments``: `facturlib.terms.due_schedule` of *invoice* under *terms*
          when it has several installments (a credit note has none);
        * ``early_payment_discount``: the escompte conditions or "Pas d'escompte pour
          paiement anticipé" (`facturlib.terms.discount_mention`, L441-9 I);
        * ``late_penalty`` and ``recovery_indemnity``: the mentions of
          `facturlib.penalties.footer_mentions` (L441-10 II, D441-5), with the
          policy's rate; ``no_recovery_indemnity`` when the policy has no indemnity.

        Merge it with other fields through `PdfContext.merged` or ``attrs.evolve``.

        Args:
            invoice: the invoice to render.
            terms: its payment terms, if known.
            penalties: its late-payment penalty policy, if known.
            language: ``"fr"`` or ``"en"``, the language of the texts (the payment
                modules word French and English).
            issue_date: the issue date of a draft, for the installments.
            order_date: the order date, for installments due at order.

        Returns:
            A `PdfContext` with the fields above set (all unset without terms and
            penalties).

        Raises:
            RenderError: an unsupported language, or *invoice* is not an `Invoice`.
            PaymentError: from `facturlib.terms.due_schedule` (terms that do not fit
                the invoice, a draft without ``issue_date``).

        >>> from facturlib.terms import DueRule, EarlyPaymentDiscount, TermPart
        >>> from facturlib.testing.builders import sample_invoice
        >>> terms = PaymentTerms(parts=[TermPart(percent=30, due=DueRule.on_receipt()),
        ...                             TermPart(due=DueRule.net(30))],
        ...                      discount=EarlyPaymentDiscount(percent=2, days=8))
        >>> context = PdfContext.for_invoice(sample_invoice(), terms=terms,
        ...                                  penalties=PenaltyPolicy(rate="12.15"),
        ...                                  issue_date=date(2025, 1, 15))
        >>> context.payment_terms
        '30 % à réception, solde à 30 jours; Escompte de 2 % pour paiement sous 8 jours'
        >>> [(i.date.isoformat(), str(i.amount.amount)) for i in context.installments]
        [('2025-01-15', '432.00'), ('2025-02-14', '1008.00')]
        >>> context.late_penalty[:50]
        'Pénalités de retard : 12,15 %, exigibles sans rapp'

        .. versionadded:: 0.1
        """
        if not isinstance(invoice, Invoice):
            raise RenderError(
                f"expected an Invoice, got {type(invoice).__name__}",
                field="invoice",
                value=type(invoice).__name__,
                hint="payment terms and penalties apply to invoices",
            )
        if language not in ("fr", "en"):
            raise RenderError(
                "payment terms and penalty mentions are worded in French and English only",
                field="language",
                value=language,
                hint='pass language="fr" or "en", or give the texts to PdfContext yourself',
            )
        lang: Literal["fr", "en"] = "fr" if language == "fr" else "en"
        fields: dict[str, Any] = {}
        if terms is not None:
            fields["payment_terms"] = format_terms(terms, lang=lang)
            fields["early_payment_discount"] = discount_mention(terms, lang=lang) + "."
            if invoice.kind is not DocumentKind.CREDIT_NOTE:
                schedule = due_schedule(
                    invoice, terms, issue_date=issue_date, order_date=order_date
                )
                if len(schedule) > 1:
                    fields["installments"] = schedule
        if penalties is not None:
            discount, penalty, *indemnity = footer_mentions(penalties, terms, lang=lang)
            fields["early_payment_discount"] = discount
            fields["late_penalty"] = penalty
            if indemnity:
                fields["recovery_indemnity"] = indemnity[0]
            else:
                fields["no_recovery_indemnity"] = True
        return cls(**fields)

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


#: Story builders per document type.
_STORIES: Final[Mapping[type, Callable[[Any, Page], list[Flowable]]]] = {
    Invoice: document_story,
    Quote: document_story,
    Order: document_story,
    DunningLetter: letter_story,
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
            document: an `Invoice` (any kind, draft or issued), a `Quote`, an `Order`
                or a `facturlib.dunning.DunningLetter`.
            context: a `PdfContext` for this document, over the renderer's.

        Returns:
            The PDF bytes, ``application/pdf``, named after the document number
            (``FA-2025-0001.pdf``), its kind for an unnumbered document, or for a
            letter its title, customer and date (``mise-en-demeure-552081317-2025-03-16.pdf``).

        Raises:
            RenderError: if *document* is not a document this renderer knows, or a
                letter's template has no wording.

        .. versionchanged:: 0.1
           Renders dunning letters.
        """
        story_of = _STORIES.get(type(document))
        if story_of is None:
            raise RenderError(
                f"cannot render a {type(document).__name__} as PDF",
                field="document",
                value=type(document).__name__,
                hint="pass an Invoice, a Quote, an Order or a DunningLetter",
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
            templates=self._templates,
        )
        title = title_of(document, page)
        if isinstance(document, DunningLetter):
            title = f"{title} – {document.customer.name}"
        elif document.number:
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
