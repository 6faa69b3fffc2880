"""Payments received from customers, their reversals and their allocation to invoices.

A `Payment` is money received from one customer (a bank transfer, a card payment,
a cheque, a SEPA direct debit…), identified by an ``id`` of the caller's choosing.
It may be *pending* — collected but not cleared yet, like a direct debit before
its settlement or a cheque not yet credited — which counts as neither paid nor
due. A `PaymentReversal` records that a payment came back (a direct-debit reject,
a bounced cheque): what it paid is due again. A `PaymentAllocation` says how much of a
payment settles which invoice.

All three are immutable values: recording a reversal or an allocation never
changes the payment; it adds a value beside it, so the history is kept.

`settle` works out, on a date, which payment settles which invoice: the
allocations the caller made explicitly, then credit notes against the invoice
they correct, then every remaining payment and credit **oldest due first**.
Payments not yet cleared are allocated but count as *pending*, never as paid;
a reversed payment (a direct-debit reject) pays nothing from its reversal date,
so what it paid is due again; what no invoice needs is kept as `CustomerCredit`.
`balance` and `customer_balance` then read the `Settlement`: paid, pending,
due, overdue, % paid, days overdue, settled.

Money also goes back and balances end: a `Refund` pays back a customer's credit
out of one payment or credit note, capped by what it has left (never a negative
payment); a `WriteOff` ends a balance ("forcer le solde": a bad debt whose VAT is
recovered under CGI 272-1, an abandoned balance, or a small difference under a
tolerance the caller sets, see `small_differences`). Both flow through `settle`,
`balance` (``written_off``), dunning (a written-off invoice is never chased again)
and the journal (`facturlib.accounting.journal`). `refund_credit_note` makes the
credit note of a refund, capped by what was paid.

The method codes are UNTDID 4461 (EN 16931 BT-81):

>>> from datetime import date
>>> from facturlib.core.money import to_money
>>> payment = Payment(id="PAY-1", customer="CLI0001", amount=to_money("1200.00", "EUR"),
...                   date=date(2025, 4, 5), method=PaymentMethod.SEPA_CREDIT_TRANSFER)
>>> payment.method.value
'58'
>>> Payment(id="PAY-2", customer="CLI0001", amount=to_money("-5", "EUR"),
...         date=date(2025, 4, 5))
Traceback (most recent call last):
...
facturlib.core.errors.PaymentError: a payment amount must be positive (amount=Money('-5', ...

.. versionadded:: 0.1
"""

from __future__ import annotations

import decimal
import enum
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
from moneyed import Currency, Money

from facturlib.core._codes import DocumentKind
from facturlib.core._display import money_text, pretty, summary_html
from facturlib.core._validators import (
    as_tuple,
    check_bool,
    check_date,
    check_instance,
    instance_of,
    is_bool,
    is_date,
    is_decimal,
    is_int,
    is_money,
    is_optional_text,
    items_of,
    optional_text,
    to_enum,
    to_tuple,
    tuple_of,
)
from facturlib.core.credit_notes import credit_note
from facturlib.core.documents import Invoice
from facturlib.core.errors import PaymentError
from facturlib.core.exchange import ExchangeRate
from facturlib.core.money import _check_positive_money, _zero_amount
from facturlib.core.money import currency as to_currency
from facturlib.receivables.terms import Installment, PaymentTerms, due_schedule

__all__ = [
    "CustomerBalance",
    "CustomerCredit",
    "InvoiceBalance",
    "Payment",
    "PaymentAllocation",
    "PaymentMethod",
    "PaymentReversal",
    "Refund",
    "Settlement",
    "WriteOff",
    "WriteOffKind",
    "balance",
    "customer_balance",
    "customer_balances",
    "refund_credit_note",
    "settle",
    "small_differences",
]


class PaymentMethod(enum.Enum):
    """How a payment was made; the value is the UNTDID 4461 code (BT-81).

    .. versionadded:: 0.1
    """

    NOT_DEFINED = "1"
    CASH = "10"
    CHEQUE = "20"
    CREDIT_TRANSFER = "30"
    BANK_ACCOUNT = "42"
    CARD = "48"
    DIRECT_DEBIT = "49"
    STANDING_AGREEMENT = "57"
    SEPA_CREDIT_TRANSFER = "58"
    SEPA_DIRECT_DEBIT = "59"
    CLEARING = "97"

    @property
    def is_direct_debit(self) -> bool:
        """Whether a bank may reject the payment after it was collected (49, 59)."""
        return self in (PaymentMethod.DIRECT_DEBIT, PaymentMethod.SEPA_DIRECT_DEBIT)


_HINTS = {
    "id": "give each payment a unique id",
    "customer": "pass the buyer's Party.key, e.g. 'CLI0001'",
    "payment_id": "name the Payment.id the money comes from",
    "source_id": "name the Payment.id or the credit note number the money comes out of",
    "reason": "say why, e.g. 'Liquidation judiciaire, jugement du 12/03/2025'",
    "invoice_number": "allocate only to issued (numbered) invoices",
}


_SETTLEMENT_HINT = "pass what facturlib.settle() returns"


def _to_method(value: PaymentMethod | str) -> PaymentMethod:
    return to_enum(value, PaymentMethod, "method", error=PaymentError)


def _required(instance: object, attribute: attrs.Attribute[str], value: str | None) -> None:
    if value is None:
        raise PaymentError(
            f"{attribute.name} must not be empty",
            field=attribute.name,
            value=value,
            hint=_HINTS[attribute.name],
        )
    if not isinstance(value, str):
        raise PaymentError(
            f"expected a str, got {type(value).__name__}",
            field=attribute.name,
            value=value,
            hint=_HINTS[attribute.name],
        )


def _positive_money(instance: object, attribute: attrs.Attribute[Money], value: Any) -> None:
    _check_positive_money(
        value,
        attribute.name,
        error=PaymentError,
        what=f"a payment {attribute.name}",
        negative_hint="record money going back to the customer as a refund or a PaymentReversal",
        places_hint="payments are whole minor units of the currency (cents)",
    )


def _rate_of(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validator: an optional `ExchangeRate` from the amount's currency."""
    if value is None:
        return
    if not isinstance(value, ExchangeRate):
        raise PaymentError(
            f"expected an ExchangeRate, got {type(value).__name__}",
            field=attribute.name,
            value=value,
            hint='pass ExchangeRate(currency="USD", rate="0.92", on=the payment date)',
        )
    if value.currency != instance.amount.currency:
        raise PaymentError(
            f"the rate converts {value.currency.code}, the amount is in "
            f"{instance.amount.currency.code}",
            field=attribute.name,
            value=value.currency.code,
            hint="give the rate of the currency the money was received in",
        )


@attrs.frozen(kw_only=True)
class Payment:
    """Money received from one customer.

    Attributes:
        id: the caller's unique identifier for this payment; allocations and
            reversals refer to it.
        customer: the paying customer's key (`facturlib.Party.key` of the buyer).
        amount: what was received, positive, in whole minor units.
        date: the day the money was received (the value date).
        method: how it was paid (UNTDID 4461).
        reference: the bank reference, cheque number or SEPA end-to-end id.
        pending: collected but not cleared yet (a direct debit before settlement,
            an uncleared cheque): neither paid nor due until cleared.
        exchange_rate: for money received in another currency than the books', the
            `facturlib.ExchangeRate` of the day it was received: the journal books
            the bank at this rate and the difference with the invoice's rate as an
            exchange gain or loss (PCG art. 420-5; ``versionadded 0.2``).

    Raises:
        PaymentError: an empty id or customer, an amount that is not positive or
            has more decimals than the currency's minor unit, a rate of another
            currency than the amount's.

    .. versionadded:: 0.1
    """

    id: str = attrs.field(converter=optional_text, validator=_required)
    customer: str = attrs.field(converter=optional_text, validator=_required)
    amount: Money = attrs.field(validator=_positive_money)
    date: date = attrs.field(validator=is_date)
    method: PaymentMethod = attrs.field(default=PaymentMethod.CREDIT_TRANSFER, converter=_to_method)
    reference: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    pending: bool = attrs.field(default=False, validator=is_bool)
    exchange_rate: ExchangeRate | None = attrs.field(default=None, validator=_rate_of)

    def cleared(self) -> Payment:
        """This payment, no longer pending.

        .. versionadded:: 0.1
        """
        return attrs.evolve(self, pending=False)


@attrs.frozen(kw_only=True)
class PaymentReversal:
    """A payment that came back: a direct-debit reject, a bounced cheque, a chargeback.

    What the payment settled is due again from *date*.

    Attributes:
        payment_id: the `Payment.id` reversed.
        date: the day the reversal was notified.
        reason: the reason given, e.g. the SEPA reason code ``"AM04"`` (insufficient funds).
        fee: bank fees charged to the seller for the reject, if any.

    .. versionadded:: 0.1
    """

    payment_id: str = attrs.field(converter=optional_text, validator=_required)
    date: date = attrs.field(validator=is_date)
    reason: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    fee: Money | None = attrs.field(
        default=None, validator=attrs.validators.optional(_positive_money)
    )


@attrs.frozen(kw_only=True)
class PaymentAllocation:
    """The part of a payment (or credit) that settles one invoice.

    Attributes:
        payment_id: the `Payment.id` (or credit note number) the money comes from.
        invoice_number: the number (BT-1) of the invoice it settles.
        amount: how much, positive.
        date: the day the allocation takes effect (usually the payment date).

    .. versionadded:: 0.1
    """

    payment_id: str = attrs.field(converter=optional_text, validator=_required)
    invoice_number: str = attrs.field(converter=optional_text, validator=_required)
    amount: Money = attrs.field(validator=_positive_money)
    date: date = attrs.field(validator=is_date)


def _positive_refund(instance: object, attribute: attrs.Attribute[Money], value: Any) -> None:
    _check_positive_money(
        value,
        attribute.name,
        error=PaymentError,
        what=f"a refund {attribute.name}",
        negative_hint="a refund is positive: it is money paid back to the customer",
        places_hint="refunds are whole minor units of the currency (cents)",
    )


@attrs.frozen(kw_only=True)
class Refund:
    """Money paid back to a customer out of one payment or credit note.

    A refund pays back a customer's credit — an overpayment, an advance, or what
    is left of a credit note once it has settled its invoice. It is never a
    negative `Payment`: it names the payment or credit note it comes out of, and
    `settle` takes it from what that source has left after its explicit
    allocations and the invoice a credit note corrects, before any automatic
    allocation, so refunded money never settles another invoice. It is **capped
    by what was paid**: `settle` refuses a refund larger than what its source has
    left. Booked D 411 / C 512, no VAT (`facturlib.accounting.journal`).

    Attributes:
        id: the caller's unique identifier (not shared with payments or credit notes).
        customer: the customer's key (`facturlib.Party.key` of the buyer).
        source_id: the `Payment.id` or the credit note number the money comes out of.
        amount: what was paid back, positive.
        date: the day the money left the bank.
        method: how it was paid back (UNTDID 4461), a credit transfer by default.
        reason: why, e.g. "Trop-perçu".
        exchange_rate: for money paid back in another currency than the books', the
            `facturlib.ExchangeRate` of the day; both journal lines use it.

    >>> from facturlib.core.money import to_money
    >>> Refund(id="RBT-1", customer="CLI0001", source_id="VIR-1",
    ...        amount=to_money("-60.00", "EUR"), date=date(2025, 3, 5))
    Traceback (most recent call last):
    ...
    facturlib.core.errors.PaymentError: a refund amount must be positive ...

    .. versionadded:: 0.2
    """

    id: str = attrs.field(converter=optional_text, validator=_required)
    customer: str = attrs.field(converter=optional_text, validator=_required)
    source_id: str = attrs.field(converter=optional_text, validator=_required)
    amount: Money = attrs.field(validator=_positive_refund)
    date: date = attrs.field(validator=is_date)
    method: PaymentMethod = attrs.field(default=PaymentMethod.CREDIT_TRANSFER, converter=_to_method)
    reason: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    exchange_rate: ExchangeRate | None = attrs.field(default=None, validator=_rate_of)


class WriteOffKind(enum.Enum):
    """Why a balance is written off, which decides the accounts and the VAT.

    * ``BAD_DEBT``: the debt is definitively irrecoverable (créance définitivement
      irrécouvrable: a judgment closing a liquidation for lack of assets, a
      proven insolvency). The loss goes to 654 and the VAT collected on the unpaid
      part is recovered (CGI 272-1; BOI-TVA-DED-40-10-20: the seller must hold the
      proof and send the customer a rectifying invoice).
    * ``ABANDONED``: the seller gives up a balance without that proof ("forcer le
      solde"). The whole amount goes to 654 and the VAT stays due: CGI 272-1 allows
      no recovery for a mere abandonment or a debt only doubtful.
    * ``SMALL_DIFFERENCE``: a settlement difference (écart de règlement) under a
      tolerance the caller sets (bank fees withheld, a cent rounded away). It goes
      to 658 (charges diverses de gestion courante) and the VAT stays due.

    .. versionadded:: 0.2
    """

    BAD_DEBT = "bad_debt"
    ABANDONED = "abandoned"
    SMALL_DIFFERENCE = "small_difference"

    @property
    def recovers_vat(self) -> bool:
        """Whether the VAT of the amount written off is recovered (CGI 272-1)."""
        return self is WriteOffKind.BAD_DEBT


def _to_write_off_kind(value: WriteOffKind | str) -> WriteOffKind:
    return to_enum(value, WriteOffKind, "kind", error=PaymentError)


@attrs.frozen(kw_only=True)
class WriteOff:
    """The balance of an invoice written off: no longer due, never chased again.

    `settle` allocates it to the invoice like a payment (its ``id`` is the
    allocation's ``payment_id``), at most what the invoice still owes on its date;
    `balance` reports it as ``written_off``, `facturlib.receivables.dunning` never
    chases the invoice again, and `facturlib.accounting.journal` books it on 654
    (658 for a small difference), recovering the VAT only for a `WriteOffKind.BAD_DEBT`.

    Attributes:
        id: the caller's unique identifier (not shared with payments or credit notes).
        invoice_number: the invoice (BT-1).
        date: the day it is decided.
        kind: the `WriteOffKind`.
        reason: why, stated (kept in the books and the history).
        amount: how much; ``None`` for whatever the invoice still owes on *date*.

    >>> WriteOff(id="PERTE-1", invoice_number="FA-2025-0001", date=date(2025, 9, 30),
    ...          kind=WriteOffKind.BAD_DEBT, reason="").reason
    Traceback (most recent call last):
    ...
    facturlib.core.errors.PaymentError: reason must not be empty ...

    .. versionadded:: 0.2
    """

    id: str = attrs.field(converter=optional_text, validator=_required)
    invoice_number: str = attrs.field(converter=optional_text, validator=_required)
    date: date = attrs.field(validator=is_date)
    kind: WriteOffKind = attrs.field(converter=_to_write_off_kind)
    reason: str = attrs.field(converter=optional_text, validator=_required)
    amount: Money | None = attrs.field(
        default=None, validator=attrs.validators.optional(_positive_money)
    )


# --- settling invoices --------------------------------------------------------------------

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


#: Zero with the currency's minor-unit decimals (shared with penalties and dunning).
_zero_in = _zero_amount


#: Invoices that are paid; credit notes are credit; proformas and drafts are neither.
_PAYABLE = frozenset({DocumentKind.INVOICE, DocumentKind.DEPOSIT, DocumentKind.CORRECTIVE})


@attrs.frozen(kw_only=True)
class CustomerCredit:
    """Money of a customer that no invoice needs (yet): an overpayment, an advance, or
    what remains of a credit note.

    Attributes:
        customer: the customer's key.
        source_id: the `Payment.id` or credit note number it comes from.
        amount: how much is left, positive.
        date: the date of the payment or credit note.
        pending: whether it comes from a payment not yet cleared.

    .. versionadded:: 0.1
    """

    customer: str = attrs.field(validator=instance_of(str))
    source_id: str = attrs.field(validator=instance_of(str))
    amount: Money = attrs.field(validator=is_money())
    date: date = attrs.field(validator=is_date)
    pending: bool = attrs.field(default=False, validator=is_bool)


def _ids(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        return value  # type: ignore[return-value]  # _check_ids names the field
    return frozenset(value)


def _check_ids(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, frozenset) or not all(isinstance(i, str) for i in value):
        raise PaymentError(
            "expected a set of payment ids (str)",
            field=attribute.name,
            value=value,
            hint='e.g. {"VIR-1"}',
        )


def _terms_by_number(value: object, field: str = "terms") -> Mapping[str, PaymentTerms]:
    """Check a ``{invoice number: PaymentTerms}`` mapping (``None``: no terms)."""
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, PaymentTerms) for k, v in value.items()
    ):
        raise PaymentError(
            "expected a mapping of invoice numbers to PaymentTerms",
            field=field,
            value=value,
            hint='e.g. {"FA-2025-0001": parse_terms("30 jours net")}',
        )
    return value


@attrs.frozen(kw_only=True)
class Settlement:
    """Which money settles which invoice, on a date; built by `settle`.

    Attributes:
        on: the date it is worked out for.
        invoices: the invoices, deposit and corrective invoices issued by *on*.
        allocations: every allocation in effect on *on* (explicit and automatic),
            reversed payments excluded.
        pending_ids: ids of the payments allocated but not cleared yet.
        credits: what is left to customers, as `CustomerCredit` (refunds deducted).
        reversed_ids: ids of the payments reversed by *on*.
        refunds: the `Refund`\\s made by *on* (``versionadded 0.2``).
        write_offs: the `WriteOff`\\s in effect on *on*, each with the amount it
            wrote off (``versionadded 0.2``); their allocations carry their ids.

    .. versionadded:: 0.1
    """

    on: date = attrs.field(validator=is_date)
    invoices: tuple[Invoice, ...] = attrs.field(converter=as_tuple, validator=tuple_of(Invoice))
    allocations: tuple[PaymentAllocation, ...] = attrs.field(
        converter=as_tuple, validator=tuple_of(PaymentAllocation)
    )
    pending_ids: frozenset[str] = attrs.field(converter=_ids, validator=_check_ids)
    credits: tuple[CustomerCredit, ...] = attrs.field(
        converter=as_tuple, validator=tuple_of(CustomerCredit)
    )
    reversed_ids: frozenset[str] = attrs.field(
        default=frozenset(), converter=_ids, validator=_check_ids
    )
    refunds: tuple[Refund, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Refund)
    )
    write_offs: tuple[WriteOff, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(WriteOff)
    )

    @property
    def written_off_ids(self) -> frozenset[str]:
        """The ids of the write-offs in effect (their allocations are not payments).

        .. versionadded:: 0.2
        """
        return frozenset(w.id for w in self.write_offs)

    def written_off(self, number: str) -> bool:
        """Whether the invoice numbered *number* has a write-off in effect.

        .. versionadded:: 0.2
        """
        return any(w.invoice_number == number for w in self.write_offs)

    def invoice(self, number: str) -> Invoice:
        """The invoice numbered *number*.

        Raises:
            PaymentError: no such invoice in this settlement.
        """
        for invoice in self.invoices:
            if invoice.number == number:
                return invoice
        raise PaymentError(
            "no such invoice in the settlement",
            field="number",
            value=number,
            hint="pass the invoice to settle(); invoices issued after `on` are left out",
        )

    def allocations_to(self, number: str) -> tuple[PaymentAllocation, ...]:
        """The allocations to the invoice numbered *number*, in date order."""
        return tuple(a for a in self.allocations if a.invoice_number == number)


class _Source:
    """Money that can settle invoices: a payment or a credit note (mutable, private)."""

    __slots__ = ("customer", "date", "id", "left", "pending", "preceding")

    def __init__(
        self,
        id: str,
        customer: str,
        left: Money,
        day: date,
        pending: bool,
        preceding: tuple[str, ...] = (),
    ) -> None:
        self.id = id
        self.customer = customer
        self.left = left
        self.date = day
        self.pending = pending
        self.preceding = preceding


def _payable(invoice: Invoice, field: str) -> None:
    if not isinstance(invoice, Invoice):
        raise PaymentError(
            f"expected an Invoice, got {type(invoice).__name__}",
            field=field,
            value=invoice,
            hint="pass issued facturlib.Invoice values",
        )
    if not invoice.is_issued:
        raise PaymentError(
            "only issued invoices can be paid",
            field=field,
            value=invoice.kind.value,
            hint="issue the draft with facturlib.issue() first; proformas are never paid",
        )


def settle(
    invoices: Iterable[Invoice],
    payments: Iterable[Payment] = (),
    *,
    on: date,
    allocations: Iterable[PaymentAllocation] = (),
    reversals: Iterable[PaymentReversal] = (),
    automatic: bool = True,
    refunds: Iterable[Refund] = (),
    write_offs: Iterable[WriteOff] = (),
) -> Settlement:
    """Work out which payments and credit notes settle which invoices on *on*.

    In this order:

    1. the explicit *allocations* dated by *on* (those of reversed payments are dropped);
    2. then, in date order, each credit note to the invoices it refers to (BG-3),
       and if *automatic* every payment and credit left to the same customer's open
       invoices in the same currency, **oldest due date first**; an allocation
       takes effect on the later of the payment date and the issue date. Date
       order means a later document never moves what an earlier payment settled.
       A *refund* is taken from its payment or credit note before any automatic
       allocation (after the invoice a credit note corrects), capped by what the
       source has left; a *write-off* settles what its invoice still owes on its
       date (after that day's payments), so a later payment becomes credit.

    Documents issued and payments received after *on* are ignored; a payment
    reversed by *on* settles nothing, so what it paid is due again. Pending
    payments are allocated like the others; `balance` reports them as pending.
    Nothing passed in is changed.

    Args:
        invoices: issued invoices, deposit and corrective invoices, and credit notes
            (used as credit for their customer).
        payments: the payments received.
        on: the date to settle for.
        allocations: allocations the caller made (e.g. a remittance advice).
        reversals: payments that came back.
        automatic: allocate what is left oldest due first (else keep it as credit).
        refunds: money paid back to customers (`Refund`), each out of one payment
            or credit note (``versionadded 0.2``).
        write_offs: balances written off (`WriteOff`) (``versionadded 0.2``).

    Returns:
        The `Settlement`.

    Raises:
        PaymentError: a draft or proforma, duplicate numbers or payment ids, a
            reversal or allocation naming an unknown payment or invoice, an allocation
            across customers or currencies or over what the payment has left or the
            invoice still owes, a payment in a currency none of the customer's
            invoices uses; a refund over what its source has left (a refund is capped
            by what was paid); a write-off of an unknown invoice or over what it owes.

    >>> from facturlib.testing.builders import sample_invoice, sample_scheme
    >>> from facturlib.core.issuing import issue
    >>> from facturlib.core.numbering import SequenceState
    >>> from facturlib.core.money import to_money
    >>> invoice, _ = issue(sample_invoice(), sample_scheme(), SequenceState(), on=date(2025, 1, 15))
    >>> pay = Payment(id="P1", customer=invoice.buyer.key, amount=to_money("1500.00", "EUR"),
    ...               date=date(2025, 2, 10))
    >>> result = settle([invoice], [pay], on=date(2025, 3, 1))
    >>> [(a.invoice_number, a.amount.amount) for a in result.allocations]
    [('FA-2025-0001', Decimal('1440.00'))]
    >>> [(c.source_id, c.amount.amount) for c in result.credits]
    [('P1', Decimal('60.00'))]

    .. versionadded:: 0.1
    """
    check_date(on, "on", error=PaymentError)
    check_bool(automatic, "automatic", error=PaymentError)
    reversals = items_of(reversals, PaymentReversal, "reversals", error=PaymentError)
    allocations = items_of(allocations, PaymentAllocation, "allocations", error=PaymentError)
    refunds = items_of(refunds, Refund, "refunds", error=PaymentError)
    write_offs = items_of(write_offs, WriteOff, "write_offs", error=PaymentError)
    targets: dict[str, Invoice] = {}
    open_: dict[str, Money] = {}
    sources: dict[str, _Source] = {}
    for i, invoice in enumerate(to_tuple(invoices, "invoices")):
        _payable(invoice, f"invoices[{i}]")
        assert invoice.number is not None  # issued
        assert invoice.issue_date is not None
        if invoice.issue_date > on:
            continue
        if invoice.number in targets or invoice.number in sources:
            raise PaymentError(
                "two documents have the same number",
                field=f"invoices[{i}]",
                value=invoice.number,
                hint="pass each document once",
            )
        if invoice.kind is DocumentKind.CREDIT_NOTE:
            source = _Source(
                invoice.number,
                invoice.buyer.key,
                invoice.totals().amount_due,
                invoice.issue_date,
                False,
                tuple(ref.number for ref in invoice.preceding),
            )
            sources[invoice.number] = source
        elif invoice.kind in _PAYABLE:
            targets[invoice.number] = invoice
            open_[invoice.number] = invoice.totals().amount_due
    known_payments: dict[str, Payment] = {}
    for i, payment in enumerate(to_tuple(payments, "payments")):
        if not isinstance(payment, Payment):
            raise PaymentError(
                f"expected a Payment, got {type(payment).__name__}",
                field=f"payments[{i}]",
                value=payment,
            )
        if payment.id in known_payments or payment.id in sources:
            raise PaymentError(
                "two payments (or a payment and a credit note) have the same id",
                field=f"payments[{i}].id",
                value=payment.id,
                hint="give every payment a unique id",
            )
        known_payments[payment.id] = payment
    reversed_ids: set[str] = set()
    for i, reversal in enumerate(reversals):
        if reversal.payment_id not in known_payments:
            raise PaymentError(
                "a reversal names an unknown payment",
                field=f"reversals[{i}].payment_id",
                value=reversal.payment_id,
                hint="pass the reversed payment in payments",
            )
        if reversal.date <= on:
            reversed_ids.add(reversal.payment_id)
    for payment in known_payments.values():
        if payment.date <= on and payment.id not in reversed_ids:
            sources[payment.id] = _Source(
                payment.id, payment.customer, payment.amount, payment.date, payment.pending
            )
    _check_currencies(sources.values(), targets.values())

    made: list[PaymentAllocation] = []

    def assign(source: _Source, number: str, amount: Money, day: date) -> None:
        source.left = source.left - amount
        open_[number] = open_[number] - amount
        made.append(
            PaymentAllocation(payment_id=source.id, invoice_number=number, amount=amount, date=day)
        )

    for i, allocation in enumerate(sorted(allocations, key=lambda a: a.date)):
        if allocation.date > on or allocation.payment_id in reversed_ids:
            continue
        source, invoice = _check_allocation(allocation, i, sources, targets, known_payments)
        amount = allocation.amount
        field = f"allocations[{i}].amount"
        if amount.amount > source.left.amount:
            raise PaymentError(
                f"the allocation is more than {source.id} has left ({source.left})",
                field=field,
                value=amount,
                hint="allocate at most what the payment has not already settled",
            )
        if amount.amount > open_[allocation.invoice_number].amount:
            raise PaymentError(
                f"the allocation is more than invoice {invoice.number} still owes "
                f"({open_[allocation.invoice_number]})",
                field=field,
                value=amount,
                hint="keep the surplus as customer credit",
            )
        assign(source, allocation.invoice_number, amount, allocation.date)

    def fill(source: _Source, numbers: Sequence[str]) -> None:
        for number in numbers:
            invoice = targets[number]
            owed = open_[number]
            if source.left.amount <= 0:
                return
            if owed.amount <= 0 or owed.currency != source.left.currency:
                continue
            if invoice.buyer.key != source.customer:
                continue
            amount = owed if owed.amount <= source.left.amount else source.left
            assert invoice.issue_date is not None  # issued
            assign(source, number, amount, max(source.date, invoice.issue_date))

    refunds_of = _check_refunds(refunds, sources, known_payments, reversed_ids, on)
    offs = _check_write_offs(write_offs, targets, sources, known_payments, refunds, on)
    made_offs: list[WriteOff] = []

    def write_off(item: WriteOff) -> None:
        owed = open_[item.invoice_number]
        amount = owed if item.amount is None else item.amount
        if amount.currency != owed.currency:
            raise PaymentError(
                f"write-off {item.id} is in {amount.currency.code}, the invoice in "
                f"{owed.currency.code}",
                field="write_offs",
                value=item.id,
                hint="write off in the invoice currency",
            )
        if amount.amount > owed.amount:
            raise PaymentError(
                f"write-off {item.id} of {amount} is more than {item.invoice_number} still "
                f"owes on {item.date} ({owed})",
                field="write_offs",
                value=item.id,
                hint="write off at most the balance; amount=None writes off all of it",
            )
        if amount.amount <= 0:
            return  # nothing left to write off: the invoice was paid meanwhile
        open_[item.invoice_number] = owed - amount
        made.append(
            PaymentAllocation(
                payment_id=item.id,
                invoice_number=item.invoice_number,
                amount=amount,
                date=item.date,
            )
        )
        made_offs.append(attrs.evolve(item, amount=amount))

    # In date order, so that a later document never moves what an earlier payment settled;
    # a write-off comes after the payments of its day.
    oldest_due_first = sorted(targets, key=lambda n: _due_key(targets[n]))
    events: list[tuple[date, int, str, Any]] = [(s.date, 0, s.id, s) for s in sources.values()]
    events += [(w.date, 1, w.id, w) for w in offs]
    for _, rank, _, item in sorted(events, key=lambda e: e[:3]):
        if rank == 1:
            write_off(item)
            continue
        source = item
        fill(source, [n for n in source.preceding if n in targets])
        for refund in refunds_of.get(source.id, ()):
            if refund.amount.amount > source.left.amount:
                raise PaymentError(
                    f"refund {refund.id} of {refund.amount} is more than {source.id} has left "
                    f"({source.left}): a refund is capped by what was paid",
                    field="refunds",
                    value=refund.id,
                    hint="refund at most the customer's credit from that payment or credit note",
                )
            source.left = source.left - refund.amount
        if automatic:
            fill(source, oldest_due_first)
    credits = tuple(
        CustomerCredit(
            customer=s.customer, source_id=s.id, amount=s.left, date=s.date, pending=s.pending
        )
        for s in sorted(sources.values(), key=lambda s: (s.date, s.id))
        if s.left.amount > 0
    )
    return Settlement(
        on=on,
        invoices=tuple(targets.values()),
        allocations=tuple(sorted(made, key=lambda a: a.date)),
        pending_ids=frozenset(s.id for s in sources.values() if s.pending),
        credits=credits,
        reversed_ids=frozenset(reversed_ids),
        refunds=tuple(r for found in refunds_of.values() for r in found),
        write_offs=tuple(made_offs),
    )


def _check_refunds(
    refunds: Sequence[Refund],
    sources: Mapping[str, _Source],
    payments: Mapping[str, Payment],
    reversed_ids: set[str],
    on: date,
) -> dict[str, list[Refund]]:
    """The refunds made by *on*, by the id of the payment or credit note they come out of."""
    found: dict[str, list[Refund]] = {}
    seen: set[str] = set()
    for i, refund in enumerate(refunds):
        if refund.id in seen or refund.id in sources or refund.id in payments:
            raise PaymentError(
                "two refunds (or a refund and a payment or credit note) have the same id",
                field=f"refunds[{i}].id",
                value=refund.id,
                hint="give every refund a unique id",
            )
        seen.add(refund.id)
        if refund.date > on:
            continue
        source = sources.get(refund.source_id)
        if source is None:
            why = "a reversed payment" if refund.source_id in reversed_ids else "no payment"
            if refund.source_id in payments and refund.source_id not in reversed_ids:
                why = "a payment received after it"
            raise PaymentError(
                f"refund {refund.id} is out of {why} or credit note",
                field=f"refunds[{i}].source_id",
                value=refund.source_id,
                hint="name the Payment.id or credit note number it pays back, dated on or "
                "before the refund",
            )
        if source.date > refund.date:
            raise PaymentError(
                f"refund {refund.id} on {refund.date} precedes {source.id} ({source.date})",
                field=f"refunds[{i}].date",
                value=refund.date,
                hint="a refund pays back money already received",
            )
        if source.customer != refund.customer:
            raise PaymentError(
                f"refund {refund.id} is to {refund.customer} but {source.id} is from "
                f"{source.customer}",
                field=f"refunds[{i}].customer",
                value=refund.customer,
                hint="refund the customer who paid",
            )
        if refund.amount.currency != source.left.currency:
            raise PaymentError(
                f"refund {refund.id} is in {refund.amount.currency.code}, {source.id} in "
                f"{source.left.currency.code}",
                field=f"refunds[{i}].amount",
                value=refund.amount,
                hint="refund in the currency received",
            )
        found.setdefault(refund.source_id, []).append(refund)
    for items in found.values():
        items.sort(key=lambda r: (r.date, r.id))
    return found


def _check_write_offs(
    write_offs: Sequence[WriteOff],
    targets: Mapping[str, Invoice],
    sources: Mapping[str, _Source],
    payments: Mapping[str, Payment],
    refunds: Sequence[Refund],
    on: date,
) -> list[WriteOff]:
    """The write-offs in effect on *on*, checked."""
    taken = set(sources) | set(payments) | {r.id for r in refunds}
    found: list[WriteOff] = []
    for i, item in enumerate(write_offs):
        if item.id in taken:
            raise PaymentError(
                "a write-off has the id of another write-off, payment, refund or credit note",
                field=f"write_offs[{i}].id",
                value=item.id,
                hint="give every write-off a unique id",
            )
        taken.add(item.id)
        if item.date > on:
            continue
        invoice = targets.get(item.invoice_number)
        if invoice is None:
            raise PaymentError(
                "the write-off names no invoice of the settlement",
                field=f"write_offs[{i}].invoice_number",
                value=item.invoice_number,
                hint="pass the issued invoice it writes off, issued on or before it",
            )
        assert invoice.issue_date is not None  # issued
        if item.date < invoice.issue_date:
            raise PaymentError(
                f"write-off {item.id} precedes the invoice {invoice.number}",
                field=f"write_offs[{i}].date",
                value=item.date,
                hint="date the write-off on or after the issue date",
            )
        found.append(item)
    return found


def _due_key(invoice: Invoice) -> tuple[date, date, str]:
    assert invoice.issue_date is not None  # issued
    assert invoice.number is not None
    return (invoice.due_date or invoice.issue_date, invoice.issue_date, invoice.number)


def _check_currencies(sources: Iterable[_Source], targets: Iterable[Invoice]) -> None:
    """A payment in a currency none of its customer's invoices uses is refused."""
    used: dict[str, set[Currency]] = {}
    for invoice in targets:
        used.setdefault(invoice.buyer.key, set()).add(invoice.currency)
    for source in sources:
        found = used.get(source.customer)
        if found and source.left.currency not in found:
            raise PaymentError(
                f"payment {source.id} is in {source.left.currency.code} but the customer's "
                f"invoices are in {', '.join(sorted(c.code for c in found))}",
                field="payments",
                value=source.id,
                hint="record the payment in the invoice currency, converted at the bank's rate",
            )


def _check_allocation(
    allocation: PaymentAllocation,
    i: int,
    sources: Mapping[str, _Source],
    targets: Mapping[str, Invoice],
    payments: Mapping[str, Payment],
) -> tuple[_Source, Invoice]:
    if not isinstance(allocation, PaymentAllocation):
        raise PaymentError(
            f"expected a PaymentAllocation, got {type(allocation).__name__}",
            field=f"allocations[{i}]",
            value=allocation,
        )
    source = sources.get(allocation.payment_id)
    if source is None:
        late = allocation.payment_id in payments
        raise PaymentError(
            "the allocation names " + ("a payment received after it" if late else "no payment"),
            field=f"allocations[{i}].payment_id",
            value=allocation.payment_id,
            hint="pass the payment (or credit note) it comes from, dated on or before it",
        )
    invoice = targets.get(allocation.invoice_number)
    if invoice is None:
        raise PaymentError(
            "the allocation names no invoice of the settlement",
            field=f"allocations[{i}].invoice_number",
            value=allocation.invoice_number,
            hint="pass the issued invoice it settles",
        )
    if invoice.buyer.key != source.customer:
        raise PaymentError(
            f"{source.id} is from customer {source.customer} but invoice {invoice.number} "
            f"is to {invoice.buyer.key}",
            field=f"allocations[{i}]",
            value=allocation.invoice_number,
            hint="allocate a payment only to its customer's invoices",
        )
    if allocation.amount.currency != invoice.currency or source.left.currency != invoice.currency:
        raise PaymentError(
            f"an allocation in {allocation.amount.currency.code} from a "
            f"{source.left.currency.code} payment to a {invoice.currency.code} invoice",
            field=f"allocations[{i}].amount",
            value=allocation.amount,
            hint="payments settle invoices in their own currency only",
        )
    return source, invoice


@attrs.frozen(kw_only=True)
class InvoiceBalance:
    """Where one invoice stands on a date.

    Attributes:
        invoice_number: the invoice (BT-1).
        customer: the buyer's key.
        on: the date.
        total: what the invoice asks (its amount due, BT-115).
        paid: what cleared payments and credit notes settled.
        pending: what payments not cleared yet cover.
        due: ``total − paid − pending − written_off``: what nothing covers yet.
        overdue: the part of *due* whose installments fell due before *on*.
        percent_paid: ``paid / total × 100``, rounded down to 2 decimals (100 only
            when fully paid).
        days_overdue: days since the oldest installment not covered fell due (0 if none).
        due_date: the due date of that installment, or the final due date.
        settled: fully paid or written off (nothing due, nothing pending).
        written_off: what `WriteOff`\\s took off the invoice (``versionadded 0.2``);
            it counts neither as paid nor in *percent_paid*.

    .. versionadded:: 0.1
    """

    invoice_number: str = attrs.field(validator=instance_of(str))
    customer: str = attrs.field(validator=instance_of(str))
    on: date = attrs.field(validator=is_date)
    total: Money = attrs.field(validator=is_money())
    paid: Money = attrs.field(validator=is_money())
    pending: Money = attrs.field(validator=is_money())
    due: Money = attrs.field(validator=is_money())
    overdue: Money = attrs.field(validator=is_money())
    percent_paid: Decimal = attrs.field(validator=is_decimal())
    days_overdue: int = attrs.field(validator=is_int())
    due_date: date = attrs.field(validator=is_date)
    settled: bool = attrs.field(validator=is_bool)
    written_off: Money | None = attrs.field(default=None, validator=is_money(optional=True))

    def __attrs_post_init__(self) -> None:
        if self.written_off is None:
            cur = self.total.currency
            object.__setattr__(self, "written_off", Money(_zero_in(cur), cur))

    @property
    def covered(self) -> bool:
        """Nothing is left to chase: settled, or the rest is covered by pending payments."""
        return self.due.amount <= 0

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """A one-line summary for IPython (``repr()`` keeps every field).

        .. versionadded:: 0.2
        """
        late = f", overdue {money_text(self.overdue)} ({self.days_overdue} days)"
        text = (
            f"<InvoiceBalance {self.invoice_number} on {self.on.isoformat()}: "
            f"total {money_text(self.total)}, paid {money_text(self.paid)}, "
            f"due {money_text(self.due)}{late if self.days_overdue else ''}>"
        )
        pretty(printer, cycle, text)

    def _repr_html_(self) -> str:
        """The balance as HTML for Jupyter.

        .. versionadded:: 0.2
        """
        return summary_html(
            f"Invoice {self.invoice_number} on {self.on.isoformat()}", _fields(self)
        )


def _fields(value: Any, skip: Sequence[str] = ()) -> list[tuple[str, Any]]:
    """The fields of an attrs value, for its HTML display."""
    return [
        (field.name.replace("_", " "), getattr(value, field.name))
        for field in attrs.fields(type(value))
        if field.name not in skip
    ]


def _schedule(invoice: Invoice, terms: PaymentTerms | None) -> tuple[Installment, ...]:
    if terms is not None:
        return due_schedule(invoice, terms)
    assert invoice.issue_date is not None  # issued
    return (
        Installment(
            date=invoice.due_date or invoice.issue_date, amount=invoice.totals().amount_due
        ),
    )


def balance(
    invoice: Invoice | str, settlement: Settlement, *, terms: PaymentTerms | None = None
) -> InvoiceBalance:
    """Where *invoice* stands on the settlement's date.

    Args:
        invoice: the invoice, or its number.
        settlement: from `settle`.
        terms: the invoice's payment terms, to date each installment
            (`facturlib.receivables.terms.due_schedule`); by default the whole amount is due on
            the invoice's due date (BT-9).

    Returns:
        The `InvoiceBalance`: ``due == total − Σ allocated`` always holds.

    Raises:
        PaymentError: the invoice is not in the settlement.

    >>> from facturlib.testing.builders import sample_invoice, sample_scheme
    >>> from facturlib.core.issuing import issue
    >>> from facturlib.core.numbering import SequenceState
    >>> from facturlib.core.money import to_money
    >>> invoice, _ = issue(sample_invoice(), sample_scheme(), SequenceState(), on=date(2025, 1, 15))
    >>> pay = Payment(id="P1", customer=invoice.buyer.key, amount=to_money("440.00", "EUR"),
    ...               date=date(2025, 2, 10))
    >>> b = balance(invoice, settle([invoice], [pay], on=date(2025, 3, 1)))
    >>> b.paid.amount, b.due.amount, b.overdue.amount, b.percent_paid, b.days_overdue
    (Decimal('440.00'), Decimal('1000.00'), Decimal('1000.00'), Decimal('30.55'), 15)

    .. versionadded:: 0.1
    """
    check_instance(
        invoice,
        (Invoice, str),
        "invoice",
        error=PaymentError,
        hint="an issued Invoice or its number",
    )
    check_instance(settlement, Settlement, "settlement", error=PaymentError, hint=_SETTLEMENT_HINT)
    check_instance(terms, PaymentTerms, "terms", optional=True, error=PaymentError)
    if isinstance(invoice, str):
        invoice = settlement.invoice(invoice)
    number = invoice.number
    if number is None or all(i.number != number for i in settlement.invoices):
        settlement.invoice(str(number))  # raises the "no such invoice" error
    assert number is not None  # issued
    assert invoice.issue_date is not None
    cur = invoice.currency
    zero = Money(_zero_in(cur), cur)
    total = invoice.totals().amount_due
    paid = pending = written_off = _zero_in(cur)
    offs = settlement.written_off_ids
    for allocation in settlement.allocations_to(number):
        if allocation.payment_id in settlement.pending_ids:
            pending += allocation.amount.amount
        elif allocation.payment_id in offs:
            written_off += allocation.amount.amount
        else:
            paid += allocation.amount.amount
    due = total.amount - paid - pending - written_off
    covered = paid + pending + written_off
    overdue = _ZERO
    days = 0
    schedule = _schedule(invoice, terms)
    first_open = schedule[-1].date if schedule else invoice.due_date or invoice.issue_date
    cumulative = _ZERO
    for installment in schedule:
        cumulative += installment.amount.amount
        if cumulative > covered:
            first_open = installment.date
            break
    for installment in schedule:
        if installment.date < settlement.on:
            overdue += installment.amount.amount
    overdue = max(_ZERO, min(due, overdue - covered))
    if overdue > 0:
        days = (settlement.on - first_open).days
    if total.amount > 0:
        percent = (paid * _HUNDRED / total.amount).quantize(
            Decimal("0.01"), rounding=decimal.ROUND_DOWN
        )
    else:
        percent = _HUNDRED
    return InvoiceBalance(
        invoice_number=number,
        customer=invoice.buyer.key,
        on=settlement.on,
        total=total,
        paid=Money(paid, cur),
        pending=Money(pending, cur),
        due=Money(due, cur),
        overdue=Money(overdue, cur) if overdue else zero,
        percent_paid=percent,
        days_overdue=days,
        due_date=first_open,
        settled=paid + written_off >= total.amount,
        written_off=Money(written_off, cur),
    )


def refund_credit_note(
    invoice: Invoice,
    settlement: Settlement,
    *,
    amount: Money | None = None,
    previous: Sequence[Invoice] = (),
    reason: str = "Remboursement",
) -> Invoice:
    """A draft credit note to refund money the customer paid on *invoice*, capped by it.

    The credit note (CGI 289 I-5; its VAT reduces the VAT collected, CGI 272-1) is
    made by amount including VAT with `facturlib.core.credit_notes.credit_note`, so it
    never exceeds what remains creditable; on top of that, its amount must not exceed
    what the customer actually paid on the invoice — cleared payments allocated to
    it, less the amount of the earlier credit notes *previous*. Issue it, then record
    the `Refund` of its amount out of it (``source_id`` = its number): `settle` lets
    it first settle what the invoice still owes, and caps the refund by what is left.

    Args:
        invoice: the paid (or partly paid) invoice.
        settlement: from `settle`, on the day of the refund.
        amount: the amount to refund, VAT included; by default all that was paid.
        previous: the invoice's earlier credit notes.
        reason: the note printed on the credit note.

    Raises:
        PaymentError: nothing paid, or more asked than was paid.
        CreditNoteError: more than remains creditable.

    >>> from facturlib.testing.builders import sample_invoice, sample_scheme
    >>> from facturlib.core.issuing import issue
    >>> from facturlib.core.numbering import SequenceState
    >>> from facturlib.core.money import to_money
    >>> invoice, _ = issue(sample_invoice(), sample_scheme(), SequenceState(), on=date(2025, 1, 15))
    >>> pay = Payment(id="P1", customer=invoice.buyer.key, amount=to_money("600.00", "EUR"),
    ...               date=date(2025, 2, 10))
    >>> paid = settle([invoice], [pay], on=date(2025, 3, 1))
    >>> refund_credit_note(invoice, paid).totals().tax_inclusive_total
    Money('600.00', 'EUR')
    >>> refund_credit_note(invoice, paid, amount=to_money("700.00", "EUR"))
    Traceback (most recent call last):
    ...
    facturlib.core.errors.PaymentError: a refund credit note is capped by what was paid: 600.00 ...

    .. versionadded:: 0.2
    """
    check_instance(invoice, Invoice, "invoice", error=PaymentError, hint="an issued Invoice")
    check_instance(settlement, Settlement, "settlement", error=PaymentError, hint=_SETTLEMENT_HINT)
    check_instance(amount, Money, "amount", optional=True, error=PaymentError)
    previous = items_of(previous, Invoice, "previous", error=PaymentError)
    check_instance(reason, str, "reason", error=PaymentError, hint="e.g. 'Remboursement'")
    number = str(invoice.number)
    settlement.invoice(number)  # raises if the invoice is not in the settlement
    cur = invoice.currency
    notes = {str(note.number) for note in previous}
    skipped = settlement.pending_ids | settlement.written_off_ids | notes
    paid = sum(
        (a.amount.amount for a in settlement.allocations_to(number) if a.payment_id not in skipped),
        _zero_in(cur),
    )
    paid -= sum((note.totals().amount_due.amount for note in previous), _ZERO)
    if paid <= 0:
        raise PaymentError(
            f"nothing paid on {number} is left to refund",
            field="invoice",
            value=number,
            hint="credit it with facturlib.credit_note() instead: a refund pays back money",
        )
    wanted = Money(paid, cur) if amount is None else amount
    if wanted.currency != cur or wanted.amount > paid:
        raise PaymentError(
            f"a refund credit note is capped by what was paid: {paid} {cur.code} on {number}",
            field="amount",
            value=wanted,
            hint=f"refund at most {paid} {cur.code}",
        )
    return credit_note(
        invoice, previous=previous, amount=wanted, includes_vat=True, reason=reason or None
    )


def small_differences(
    settlement: Settlement,
    *,
    tolerance: Money,
    on: date | None = None,
    reason: str = "Écart de règlement",
    terms: Mapping[str, PaymentTerms] | None = None,
) -> tuple[WriteOff, ...]:
    """Write-offs of the small balances left on partly paid invoices, under *tolerance*.

    A customer who pays 1 481.50 of 1 482.00 (bank fees withheld, a rounding) leaves
    0.50 that nobody will chase: each invoice with something paid, nothing pending and
    a balance due above zero and at most *tolerance* gets a `WriteOffKind.SMALL_DIFFERENCE`
    of that balance, booked on 658 with the VAT kept due (no credit note, so no VAT
    regularisation, CGI 272-1). Pass them to `settle` (``write_offs=``) and to the journal.

    Args:
        settlement: from `settle`.
        tolerance: the largest balance to write off, in the invoices' currency.
        on: the write-offs' date; the settlement's date by default.
        reason: the reason recorded.
        terms: payment terms by invoice number, as for `balance`.

    Returns:
        One `WriteOff` per such invoice, ids ``ECART-<invoice number>``.

    >>> from facturlib.testing.builders import sample_invoice, sample_scheme
    >>> from facturlib.core.issuing import issue
    >>> from facturlib.core.numbering import SequenceState
    >>> from facturlib.core.money import to_money
    >>> invoice, _ = issue(sample_invoice(), sample_scheme(), SequenceState(), on=date(2025, 1, 15))
    >>> pay = Payment(id="P1", customer=invoice.buyer.key, amount=to_money("1439.50", "EUR"),
    ...               date=date(2025, 2, 10))
    >>> settlement = settle([invoice], [pay], on=date(2025, 3, 1))
    >>> [(w.id, w.amount) for w in small_differences(settlement, tolerance=to_money("1", "EUR"))]
    [('ECART-FA-2025-0001', Money('0.50', 'EUR'))]

    .. versionadded:: 0.2
    """
    check_instance(settlement, Settlement, "settlement", error=PaymentError, hint=_SETTLEMENT_HINT)
    if not isinstance(tolerance, Money) or tolerance.amount < 0:
        raise PaymentError(
            "the tolerance must be a Money ≥ 0",
            field="tolerance",
            value=tolerance,
            hint='e.g. tolerance=to_money("1.00", "EUR")',
        )
    check_date(on, "on", optional=True, error=PaymentError)
    check_instance(reason, str, "reason", error=PaymentError, hint="e.g. 'Écart de règlement'")
    terms = _terms_by_number(terms)
    day = on or settlement.on
    found = []
    for invoice in settlement.invoices:
        if invoice.currency != tolerance.currency:
            continue
        number = str(invoice.number)
        state = balance(invoice, settlement, terms=terms.get(number))
        if state.paid.amount <= 0 or state.pending.amount or state.due.amount <= 0:
            continue
        if state.due.amount > tolerance.amount:
            continue
        found.append(
            WriteOff(
                id=f"ECART-{number}",
                invoice_number=number,
                date=max(day, invoice.issue_date or day),
                kind=WriteOffKind.SMALL_DIFFERENCE,
                reason=reason,
                amount=state.due,
            )
        )
    return tuple(found)


@attrs.frozen(kw_only=True)
class CustomerBalance:
    """Where one customer stands on a date, in one currency.

    Attributes:
        customer: the customer's key.
        currency: the currency of the figures.
        on: the date.
        invoiced: Σ of what the invoices ask.
        paid, pending, due, overdue: Σ over the invoices (see `InvoiceBalance`).
        credit: Σ of the customer's unallocated money (`CustomerCredit`).
        net: ``due − credit``; negative when the seller owes the customer.
        days_overdue: the most days overdue of any invoice.
        invoices: the `InvoiceBalance` of each invoice, oldest due first.

    .. versionadded:: 0.1
    """

    customer: str = attrs.field(validator=instance_of(str))
    currency: Currency = attrs.field(validator=instance_of(Currency))
    on: date = attrs.field(validator=is_date)
    invoiced: Money = attrs.field(validator=is_money())
    paid: Money = attrs.field(validator=is_money())
    pending: Money = attrs.field(validator=is_money())
    due: Money = attrs.field(validator=is_money())
    overdue: Money = attrs.field(validator=is_money())
    credit: Money = attrs.field(validator=is_money())
    net: Money = attrs.field(validator=is_money())
    days_overdue: int = attrs.field(validator=is_int())
    invoices: tuple[InvoiceBalance, ...] = attrs.field(
        converter=as_tuple, validator=tuple_of(InvoiceBalance)
    )

    @property
    def settled(self) -> bool:
        """Every invoice is settled."""
        return all(b.settled for b in self.invoices)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """A one-line summary for IPython (``repr()`` keeps every field).

        .. versionadded:: 0.2
        """
        text = (
            f"<CustomerBalance {self.customer} on {self.on.isoformat()}: "
            f"{len(self.invoices)} invoices, due {money_text(self.due)}, "
            f"overdue {money_text(self.overdue)}, credit {money_text(self.credit)}>"
        )
        pretty(printer, cycle, text)

    def _repr_html_(self) -> str:
        """The balance and its invoices as HTML for Jupyter.

        .. versionadded:: 0.2
        """
        headers = ["invoice", "due date", "total", "paid", "pending", "due", "overdue"]
        rows = [
            (b.invoice_number, b.due_date, b.total, b.paid, b.pending, b.due, b.overdue)
            for b in self.invoices
        ]
        title = f"Customer {self.customer} on {self.on.isoformat()}"
        return summary_html(title, _fields(self, skip=("invoices",)), (headers, rows))


def customer_balances(
    settlement: Settlement, *, terms: Mapping[str, PaymentTerms] | None = None
) -> tuple[CustomerBalance, ...]:
    """The balance of every customer of the settlement, per currency.

    Args:
        settlement: from `settle`.
        terms: payment terms by invoice number, for invoices paid in installments.

    Returns:
        One `CustomerBalance` per (customer, currency), sorted by customer then currency.

    .. versionadded:: 0.1
    """
    check_instance(settlement, Settlement, "settlement", error=PaymentError, hint=_SETTLEMENT_HINT)
    terms = _terms_by_number(terms)
    groups: dict[tuple[str, str], list[InvoiceBalance]] = {}
    currencies: dict[tuple[str, str], Currency] = {}
    for invoice in sorted(settlement.invoices, key=_due_key):
        key = (invoice.buyer.key, invoice.currency.code)
        currencies[key] = invoice.currency
        groups.setdefault(key, []).append(
            balance(invoice, settlement, terms=terms.get(str(invoice.number)))
        )
    for left in settlement.credits:
        key = (left.customer, left.amount.currency.code)
        currencies.setdefault(key, left.amount.currency)
        groups.setdefault(key, [])
    result = []
    for key in sorted(groups):
        cur = currencies[key]
        items = groups[key]

        def total(values: Iterable[Money], cur: Currency = cur) -> Money:
            return Money(sum((v.amount for v in values), _zero_in(cur)), cur)

        due = total(b.due for b in items)
        credit = total(
            c.amount
            for c in settlement.credits
            if c.customer == key[0] and c.amount.currency == cur
        )
        result.append(
            CustomerBalance(
                customer=key[0],
                currency=cur,
                on=settlement.on,
                invoiced=total(b.total for b in items),
                paid=total(b.paid for b in items),
                pending=total(b.pending for b in items),
                due=due,
                overdue=total(b.overdue for b in items),
                credit=credit,
                net=due - credit,
                days_overdue=max((b.days_overdue for b in items), default=0),
                invoices=tuple(items),
            )
        )
    return tuple(result)


def customer_balance(
    settlement: Settlement,
    customer: str,
    *,
    currency_code: str | None = None,
    terms: Mapping[str, PaymentTerms] | None = None,
) -> CustomerBalance:
    """The balance of one customer on the settlement's date.

    Args:
        settlement: from `settle`.
        customer: the customer's key (`facturlib.Party.key`).
        currency_code: which currency, when the customer is billed in several.
        terms: payment terms by invoice number.

    Raises:
        PaymentError: the customer has figures in several currencies and none was chosen.

    .. versionadded:: 0.1
    """
    check_instance(settlement, Settlement, "settlement", error=PaymentError, hint=_SETTLEMENT_HINT)
    check_instance(
        customer, str, "customer", error=PaymentError, hint="the buyer's key (Party.key)"
    )
    check_instance(currency_code, str, "currency_code", optional=True, error=PaymentError)
    found = [
        b
        for b in customer_balances(settlement, terms=terms)
        if b.customer == customer and currency_code in (None, b.currency.code)
    ]
    if len(found) > 1:
        raise PaymentError(
            "the customer is billed in several currencies",
            field="currency_code",
            value=sorted(b.currency.code for b in found),
            hint="pass currency_code= to choose one",
        )
    if found:
        return found[0]
    code = currency_code or next((i.currency.code for i in settlement.invoices), "EUR")
    cur = to_currency(code)
    zero = Money(_zero_in(cur), cur)
    return CustomerBalance(
        customer=customer,
        currency=cur,
        on=settlement.on,
        invoiced=zero,
        paid=zero,
        pending=zero,
        due=zero,
        overdue=zero,
        credit=zero,
        net=zero,
        days_overdue=0,
        invoices=(),
    )
