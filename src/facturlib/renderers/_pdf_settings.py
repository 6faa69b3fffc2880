"""The settings of `facturlib.renderers.pdf`: what the PDF shows (`PdfOptions`) and
the plain texts it prints but cannot compute (`PdfContext`).

They live below the layout code (`facturlib.renderers._pdf_layout` reads them,
`facturlib.renderers.pdf` re-exports them), so the renderer's modules import
each other in one direction only.

.. versionadded:: 0.1
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Final, Literal

import attrs
from reportlab.lib.pagesizes import A4, LETTER

from facturlib.core._codes import DocumentKind
from facturlib.core._validators import optional_str, to_tuple
from facturlib.core.documents import Invoice
from facturlib.core.errors import RenderError
from facturlib.core.parties import Address
from facturlib.receivables.penalties import PenaltyPolicy, footer_mentions
from facturlib.receivables.terms import (
    Installment,
    PaymentTerms,
    discount_mention,
    due_schedule,
    format_terms,
)

__all__ = ["PAGE_SIZES", "PdfContext", "PdfOptions"]

PAGE_SIZES: Final[Mapping[str, tuple[float, float]]] = {"A4": A4, "LETTER": LETTER}


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
    if name not in PAGE_SIZES:
        raise RenderError(
            "unknown page size",
            field="page_size",
            value=value,
            hint=f"use one of {', '.join(sorted(PAGE_SIZES))}",
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
                hint="compute them with facturlib.receivables.terms.due_schedule(invoice, terms)",
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
            "Pénalités de retard : 12,15 % l'an" (C. com. L441-10); default: the legal
            rate, ECB refinancing rate + 10 points (C. com. L441-10).
        recovery_indemnity: the €40 recovery indemnity mention (D441-5); default text
            given by the labels.
        early_payment_discount: escompte conditions; default: "Pas d'escompte pour
            paiement anticipé" (C. com. L441-10).
        vat_on_debits: print "Option pour le paiement de la taxe d'après les débits".
        sepa_mandate: the SEPA direct-debit mandate reference (RUM, BT-89) when the
            document is paid by direct debit; the seller's ICS is printed with it.
        delivery_name: the name at the delivery address (default: the buyer's name).
        delivery_address: the delivery address (BG-15), shown when it differs.
        attention: the person the document is for, instead of the buyer's contact.
        notes: more notes printed after the totals.
        conditions: general terms and conditions (CGV), printed on pages of their own
            after the document; paragraphs are separated by blank lines.
        installments: the due schedule (`facturlib.receivables.terms.Installment`\s from
            `facturlib.receivables.terms.due_schedule`), printed under the payment terms, each date
            and amount formatted for the locale (BT-20).
        no_recovery_indemnity: leave the €40 indemnity mention out, where it is not
            due (a debtor in collective proceedings, a consumer: C. com. L441-10).

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

        * ``payment_terms``: `facturlib.receivables.terms.format_terms` of *terms* (BT-20);
        * ``installments``: `facturlib.receivables.terms.due_schedule` of *invoice* under *terms*
          when it has several installments (a credit note has none);
        * ``early_payment_discount``: the escompte conditions or "Pas d'escompte pour
          paiement anticipé" (`facturlib.receivables.terms.discount_mention`, L441-9 I);
        * ``late_penalty`` and ``recovery_indemnity``: the mentions of
          `facturlib.receivables.penalties.footer_mentions` (L441-10 II, D441-5), with the
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
            PaymentError: from `facturlib.receivables.terms.due_schedule` (terms that do not fit
                the invoice, a draft without ``issue_date``).

        >>> from facturlib.receivables.terms import DueRule, EarlyPaymentDiscount, TermPart
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
