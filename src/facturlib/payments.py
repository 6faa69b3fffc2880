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

The method codes are UNTDID 4461 (EN 16931 BT-81):

>>> from datetime import date
>>> from facturlib.money import to_money
>>> payment = Payment(id="PAY-1", customer="CLI0001", amount=to_money("1200.00", "EUR"),
...                   date=date(2025, 4, 5), method=PaymentMethod.SEPA_CREDIT_TRANSFER)
>>> payment.method.value
'58'
>>> Payment(id="PAY-2", customer="CLI0001", amount=to_money("-5", "EUR"),
...         date=date(2025, 4, 5))
Traceback (most recent call last):
...
facturlib.errors.PaymentError: a payment amount must be positive (amount=Money('-5', 'EUR')); ...

.. versionadded:: 0.1
"""

from __future__ import annotations

import enum
from datetime import date
from typing import Any

import attrs
from moneyed import Money

from facturlib._validators import is_date, optional_str
from facturlib.errors import FloatNotAllowed, PaymentError
from facturlib.money import minor_units

__all__ = ["Payment", "PaymentAllocation", "PaymentMethod", "PaymentReversal"]


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
    "invoice_number": "allocate only to issued (numbered) invoices",
}


def _required(instance: object, attribute: attrs.Attribute[str], value: str | None) -> None:
    if value is None:
        raise PaymentError(
            f"{attribute.name} must not be empty",
            field=attribute.name,
            value=value,
            hint=_HINTS[attribute.name],
        )


def _positive_money(instance: object, attribute: attrs.Attribute[Money], value: Any) -> None:
    field = attribute.name
    if isinstance(value, float):
        raise FloatNotAllowed(
            "floats are not exact enough for money",
            field=field,
            value=value,
            hint='pass Money(Decimal("12.50"), "EUR") built with facturlib.to_money',
        )
    if not isinstance(value, Money):
        raise PaymentError(
            f"expected a Money, got {type(value).__name__}",
            field=field,
            value=value,
            hint='build it with facturlib.to_money("12.50", "EUR")',
        )
    if isinstance(value.amount, float):  # pragma: no cover - py-moneyed converts floats
        raise FloatNotAllowed("floats are not exact enough for money", field=field, value=value)
    if not value.amount > 0:
        raise PaymentError(
            f"a payment {field} must be positive",
            field=field,
            value=value,
            hint="record money going back to the customer as a refund or a PaymentReversal",
        )
    places = minor_units(value.currency)
    exponent = value.amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise PaymentError(
            f"a payment {field} has at most {places} decimals in {value.currency.code}",
            field=field,
            value=value,
            hint="payments are whole minor units of the currency (cents)",
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

    Raises:
        PaymentError: an empty id or customer, an amount that is not positive or
            has more decimals than the currency's minor unit.

    .. versionadded:: 0.1
    """

    id: str = attrs.field(converter=optional_str, validator=_required)
    customer: str = attrs.field(converter=optional_str, validator=_required)
    amount: Money = attrs.field(validator=_positive_money)
    date: date = attrs.field(validator=is_date)
    method: PaymentMethod = attrs.field(
        default=PaymentMethod.CREDIT_TRANSFER, converter=PaymentMethod
    )
    reference: str | None = attrs.field(default=None, converter=optional_str)
    pending: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))

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

    payment_id: str = attrs.field(converter=optional_str, validator=_required)
    date: date = attrs.field(validator=is_date)
    reason: str | None = attrs.field(default=None, converter=optional_str)
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

    payment_id: str = attrs.field(converter=optional_str, validator=_required)
    invoice_number: str = attrs.field(converter=optional_str, validator=_required)
    amount: Money = attrs.field(validator=_positive_money)
    date: date = attrs.field(validator=is_date)
