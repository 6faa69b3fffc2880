"""Deal tracking: how much of a quote, order or opportunity is invoiced.

A *deal* is what the customer agreed to pay — a `Quote`, an `Order`, or just an
opportunity amount — and is billed by several documents over time: deposit
invoices, milestone or progress invoices, a final invoice, credit notes.
`deal_status` sums them into a `DealStatus`:

* **issued**: what the issued documents bill, credit notes deducted (CGI 289 I-5);
* **draft**: what the drafts will bill once issued (the forecast);
* **invoiced** = issued + draft, **remaining** = deal − invoiced (negative when
  the deal is over-invoiced), and the percentages billed.

A final invoice states the full price and deducts the deposit invoices it refers
to; those deposits are counted once, not twice. Amounts exclude
VAT by default; ``includes_vat=True`` tracks totals including VAT (BT-112).
Proformas bill nothing and are left out.

>>> from facturlib.core.money import to_money
>>> from facturlib.testing.builders import sample_invoice
>>> status = deal_status(to_money("4800.00", "EUR"), [sample_invoice()])
>>> status.draft, status.remaining, status.invoiced_percent
(Money('1200.00', 'EUR'), Money('3600.00', 'EUR'), Decimal('25.00'))
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from decimal import Decimal

import attrs
from moneyed import Money

from facturlib.core._codes import DocumentKind
from facturlib.core._validators import check_bool, is_int, is_money, items_of
from facturlib.core.documents import Invoice, Order, Quote
from facturlib.core.errors import BillingPlanError
from facturlib.core.money import _require_currency, _zero_amount, freeze_money
from facturlib.projects._shares import Deal

__all__ = ["DealStatus", "deal_status"]

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
_PERCENT_PLACES = Decimal("0.01")


@attrs.frozen(kw_only=True)
class DealStatus:
    """Where the invoicing of a deal stands.

    Attributes:
        amount: the deal's amount (excluding VAT unless tracked with VAT).
        issued: billed by issued documents, net of issued credit notes.
        draft: billed by drafts, net of draft credit notes: the forecast.
        documents: the number of documents counted (proformas excluded).

    .. versionadded:: 0.1
    """

    amount: Money = attrs.field(converter=freeze_money, validator=is_money())
    issued: Money = attrs.field(converter=freeze_money, validator=is_money())
    draft: Money = attrs.field(converter=freeze_money, validator=is_money())
    documents: int = attrs.field(default=0, validator=is_int())

    @property
    def invoiced(self) -> Money:
        """Issued and draft together."""
        return self.issued + self.draft

    @property
    def remaining(self) -> Money:
        """What remains to invoice: amount − issued − draft (negative if over-invoiced)."""
        return self.amount - self.invoiced

    @property
    def over_invoiced(self) -> bool:
        """Whether the documents bill more than the deal (e.g. an order invoiced twice).

        ``Order.to_invoice(invoiced=…)`` refuses to invoice beyond an order; this
        flags documents made without it.

        .. versionadded:: 0.2
        """
        return (
            self.invoiced.amount > self.amount.amount
            if self.amount.amount >= 0
            else (self.invoiced.amount < self.amount.amount)
        )

    @property
    def issued_percent(self) -> Decimal | None:
        """Issued as a percentage of the amount, to 2 decimals (``None`` for a zero deal)."""
        return _percent(self.issued, self.amount)

    @property
    def invoiced_percent(self) -> Decimal | None:
        """Issued and draft as a percentage of the amount, to 2 decimals."""
        return _percent(self.invoiced, self.amount)


def _percent(part: Money, whole: Money) -> Decimal | None:
    if whole.amount == 0:
        return None
    ratio = part.amount * _HUNDRED / whole.amount
    return ratio.quantize(_PERCENT_PLACES, rounding=decimal.ROUND_HALF_UP)


def deal_status(
    deal: Deal | Money, documents: Sequence[Invoice], *, includes_vat: bool = False
) -> DealStatus:
    """How much of *deal* the *documents* invoice, issued and draft.

    Args:
        deal: a `Quote`, an `Order`, or an opportunity amount as `Money`.
        documents: the invoices, deposit invoices and credit notes made from the
            deal, issued or draft, in any order.
        includes_vat: track amounts including VAT (BT-112); by default excluding VAT
            (BT-109). An opportunity amount is read the same way.

    Returns:
        A `DealStatus`.

    Raises:
        BillingPlanError: *deal* is not a quote, an order or Money; a document is not
            an `Invoice`.
        CurrencyMismatch: a document in another currency than the deal.

    .. versionadded:: 0.1
    """
    documents = items_of(documents, Invoice, "documents", error=BillingPlanError)
    check_bool(includes_vat, "includes_vat", error=BillingPlanError)
    if isinstance(deal, Quote | Order):
        totals = deal.totals()
        amount = totals.tax_inclusive_total if includes_vat else totals.tax_exclusive_total
    elif isinstance(deal, Money):
        amount = deal
    else:
        raise BillingPlanError(
            f"expected a Quote, an Order or Money, got {type(deal).__name__}",
            field="deal",
            value=deal,
            hint='pass an opportunity amount as to_money("10000.00", "EUR")',
        )
    cur = amount.currency
    for i, document in enumerate(documents):
        if not isinstance(document, Invoice):
            raise BillingPlanError(
                f"expected an Invoice, got {type(document).__name__}",
                field=f"documents[{i}]",
                value=document,
                hint="pass the invoices and credit notes made from the deal",
            )
        _require_currency(Money(0, document.currency), cur, f"documents[{i}]")
    deposits = {
        (d.number, d.issue_date): d
        for d in documents
        if d.kind is DocumentKind.DEPOSIT and d.number is not None
    }
    issued = draft = _zero_amount(cur)
    counted = 0
    for document in documents:
        if document.kind is DocumentKind.PROFORMA:
            continue
        counted += 1
        value = _billed(document, includes_vat)
        if document.kind is DocumentKind.CREDIT_NOTE:
            value = -value
        elif document.kind is DocumentKind.INVOICE:
            # A final invoice deducts the deposits it refers to: count
            # each deposit once, on its own invoice.
            value -= sum(
                (
                    _billed(deposits[key], includes_vat)
                    for key in {(r.number, r.issue_date) for r in document.preceding}
                    if key in deposits
                ),
                _ZERO,
            )
        if document.is_issued:
            issued += value
        else:
            draft += value
    return DealStatus(
        amount=amount, issued=Money(issued, cur), draft=Money(draft, cur), documents=counted
    )


def _billed(document: Invoice, includes_vat: bool) -> Decimal:
    totals = document.totals()
    return totals.bt112 if includes_vat else totals.bt109
