"""Subscriptions: recurring billing from a schedule, with amendments, cancellation and regeneration.

. A `Subscription` is a contract between a seller and a buyer: items
(`SubscriptionItem`: a product, a quantity, a unit price and a VAT rate), billed
every period (`facturlib.core.periods.Periodicity`) from a start date, on the
anniversary of the start or on calendar boundaries, in advance ("à échoir": the
invoice is dated at the start of the period) or in arrears ("échu": dated on its
last day), until an end date or for a number of installments.

* `schedule` returns the draft invoices of the contract (or up to a date): each
  has its service period and so has each of its lines; a partial first or last
  period is prorated with the subscription's (or the item's) `DayCount`, the whole
  grid period being the denominator. The schedule is pure and deterministic; its
  sum is what the contract is worth.
* `amend` changes the contract from a date (quantity, price, upgrade or downgrade
  to another product, adding or removing an item); `cancel` ends it on a date or at
  the end of the current period. Both return a new `Subscription`: the contract
  holds its whole history, so `schedule` of the amended contract bills every
  period with the terms in force on each day (the change day counts once, under
  the new terms).
* `regenerate` compares the amended contract with the invoices already issued and
  returns what corrects them: for the days whose terms changed, a **credit note**
  (kind 381, referring to the invoice) for the part billed at the
  price actually billed, and a **debit note** (an invoice referring to the
  original) charging the new terms; plus the new drafts for the future. Issued
  invoices are never modified; existing drafts are replaced, or kept if asked.

Lines keep the item's quantity and unit price; a prorated line carries a line
allowance (or charge) "Prorata" that brings its net amount to the prorated figure,
so credit notes can credit "at the price actually billed". Every line records the
item it bills in ``source_line`` (the item's `SubscriptionItem.key`).

A plan change, in advance, April 2025: €30 → €90 on 16 April:

>>> from datetime import date
>>> from facturlib.core.issuing import issue
>>> from facturlib.core.lines import Product
>>> from facturlib.core.money import to_money
>>> from facturlib.core.numbering import SequenceState
>>> from facturlib.testing.builders import sample_buyer, sample_scheme, sample_seller
>>> from facturlib.core.vat import FR_STANDARD
>>> basic = Product(name="Plan Basic", unit_price=to_money("30.00", "EUR"), vat=FR_STANDARD,
...                 id="BASIC")
>>> pro = Product(name="Plan Pro", unit_price=to_money("90.00", "EUR"), vat=FR_STANDARD, id="PRO")
>>> contract = Subscription(reference="ABO-42", seller=sample_seller(), buyer=sample_buyer(),
...                         currency="EUR", items=[SubscriptionItem(product=basic)],
...                         start=date(2025, 4, 1), installments=12)
>>> drafts = schedule(contract)
>>> len(drafts), drafts[0].period.end, drafts[0].totals().tax_exclusive_total
(12, datetime.date(2025, 5, 1), Money('30.00', 'EUR'))
>>> april, _ = issue(drafts[0], sample_scheme(), SequenceState(), on=date(2025, 4, 1))
>>> upgraded = amend(contract, on=date(2025, 4, 16), item="BASIC", product=pro)
>>> result = regenerate(upgraded, [april], on=date(2025, 4, 16))
>>> result.credit_notes[0].totals().tax_exclusive_total, result.credit_notes[0].preceding[0].number
(Money('15.00', 'EUR'), 'FA-2025-0001')
>>> result.debit_notes[0].totals().tax_exclusive_total
Money('45.00', 'EUR')
>>> result.drafts[0].period.start, result.drafts[0].totals().tax_exclusive_total
(datetime.date(2025, 5, 1), Money('90.00', 'EUR'))
"""

from __future__ import annotations

import enum
import functools
import itertools
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

import attrs
from moneyed import Currency, Money

from facturlib.core._codes import DocumentKind
from facturlib.core._trusted import unchecked
from facturlib.core._validators import (
    as_tuple,
    check_bool,
    check_date,
    check_instance,
    check_money,
    is_bool,
    is_date,
    is_optional_date,
    is_optional_text,
    is_text,
    items_of,
    optional_text,
    to_decimal,
    to_enum,
    to_text,
    tuple_of,
)
from facturlib.core.credit_notes import creditable
from facturlib.core.documents import Invoice
from facturlib.core.errors import CreditNoteError, FacturlibError, Problem, ScheduleError
from facturlib.core.lines import Discount, Line, Product, Surcharge
from facturlib.core.money import DEFAULT_ROUNDING, RoundingPolicy, freeze_money
from facturlib.core.money import currency as to_currency
from facturlib.core.parties import Party
from facturlib.core.periods import MONTHLY, Anchoring, Period, PeriodGrid, Periodicity
from facturlib.core.pricing import PriceBook
from facturlib.core.totals import StatedVat
from facturlib.core.vat import VatRate
from facturlib.recurring.proration import DayCount, prorate, split_over

__all__ = [
    "BillingTerm",
    "CancelAt",
    "PriceChange",
    "Regeneration",
    "Subscription",
    "SubscriptionItem",
    "amend",
    "cancel",
    "regenerate",
    "schedule",
]

_ZERO = Decimal(0)


class BillingTerm(enum.Enum):
    """When a period is invoiced.

    * ``IN_ADVANCE`` ("à échoir", subscriptions): dated on the first day of the period;
    * ``IN_ARREARS`` ("échu", usage): dated on the last day of the period.

    .. versionadded:: 0.1
    """

    IN_ADVANCE = "in_advance"
    IN_ARREARS = "in_arrears"


class CancelAt(enum.Enum):
    """When a cancellation takes effect (see `cancel`).

    * ``DATE``: on the given date (``on=today`` cancels immediately); the unused,
      already billed part is credited by `regenerate`;
    * ``END_OF_PERIOD``: at the end of the billing period that contains the date.

    .. versionadded:: 0.1
    """

    DATE = "date"
    END_OF_PERIOD = "end_of_period"


def _schedule_error(message: str, field: str, value: Any, hint: str) -> ScheduleError:
    return ScheduleError(message, field=field, value=value, hint=hint)


def _optional_quantity(value: Any) -> Decimal | None:
    return None if value is None else _quantity(value)


def _quantity(value: Any) -> Decimal:
    return to_decimal(value, "quantity")


def _check_instance(kind: type, what: str, hint: str, *, optional: bool = True) -> Any:
    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, kind) and not (optional and value is None):
            raise _schedule_error(
                f"expected {what}, got {type(value).__name__}", attribute.name, value, hint
            )

    return check


_is_money = _check_instance(Money, "Money", 'build it with facturlib.to_money("30.00", "EUR")')
_is_product = _check_instance(
    Product, "a Product", "use facturlib.Product(name=..., ...)", optional=False
)
_is_party = _check_instance(Party, "a Party", "use facturlib.Party(...)", optional=False)
_is_periodicity = _check_instance(
    Periodicity,
    "a Periodicity",
    "use e.g. facturlib.MONTHLY or Periodicity(count=3)",
    optional=False,
)
_is_rounding = _check_instance(
    RoundingPolicy, "a RoundingPolicy", "use e.g. facturlib.RoundingPolicy()", optional=False
)


def _to_anchoring(value: Anchoring | str) -> Anchoring:
    return to_enum(value, Anchoring, "anchoring", error=ScheduleError)


def _to_term(value: BillingTerm | str) -> BillingTerm:
    return to_enum(value, BillingTerm, "term", error=ScheduleError)


def _to_day_count(value: DayCount | str) -> DayCount:
    return to_enum(value, DayCount, "day_count", error=ScheduleError)


def _to_optional_day_count(value: DayCount | str | None) -> DayCount | None:
    return None if value is None else _to_day_count(value)


_is_vat = _check_instance(VatRate, "a VatRate", "use e.g. facturlib.FR_STANDARD")


@attrs.frozen(kw_only=True)
class PriceChange:
    """A change of an item's quantity and/or unit price from a date on (included).

    .. versionadded:: 0.1
    """

    on: date = attrs.field(validator=is_date)
    quantity: Decimal | None = attrs.field(default=None, converter=_optional_quantity)
    unit_price: Money | None = attrs.field(
        default=None, converter=freeze_money, validator=_is_money
    )

    def __attrs_post_init__(self) -> None:
        if self.quantity is None and self.unit_price is None:
            raise _schedule_error(
                "a price change changes the quantity, the unit price or both",
                "quantity",
                None,
                "pass quantity= and/or unit_price=",
            )
        if self.quantity is not None and self.quantity <= 0:
            raise _schedule_error(
                "a subscribed quantity must be positive",
                "quantity",
                self.quantity,
                "remove the item instead (amend(..., remove=True))",
            )


@attrs.frozen(kw_only=True)
class SubscriptionItem:
    """One thing a subscription bills every period (or once, on the first invoice).

    Attributes:
        product: what is sold (name, unit price, VAT rate, unit, id).
        quantity: how many (positive, up to 4 decimals).
        unit_price: the price per period, if not the product's.
        vat: the VAT rate, if not the product's.
        first_invoice_only: a one-off (onboarding, training…): billed once, in full,
            on the first invoice whose period meets the item's dates; never prorated.
        start: the first day the item is billed (default: the subscription's start).
        end: the first day it is no longer billed (default: the subscription's end).
        day_count: the proration convention of this item (default: the subscription's).
        id: the item's key, if not the product's id (or name).
        changes: quantity and price changes over time (see `amend`).
        discounts: line allowances (`facturlib.Discount`, a percentage of quantity ×
            price or an amount per period) on every line that bills the item, e.g. a
            partner's 20 % or a "−10 € per month" promotion. A prorated period prorates
            the discounted amount: the line keeps the discounts and a "Prorata"
            allowance brings it to its share. MRR counts the item after them.
        price_book: a `facturlib.PriceBook` giving the unit price, when ``unit_price``
            is not set: each period (or part of one) is billed at the book's net unit
            price (`PriceBook.unit_price`, in the product's unit) on its first day
            billed, for the quantity in force, until a change sets a ``unit_price``.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       ``discounts`` and ``price_book``.
    """

    product: Product = attrs.field(validator=_is_product)
    quantity: Decimal = attrs.field(default=Decimal(1), converter=_quantity)
    unit_price: Money | None = attrs.field(
        default=None, converter=freeze_money, validator=_is_money
    )
    vat: VatRate | None = attrs.field(default=None, validator=_is_vat)
    first_invoice_only: bool = attrs.field(default=False, validator=is_bool)
    start: date | None = attrs.field(default=None, validator=is_optional_date)
    end: date | None = attrs.field(default=None, validator=is_optional_date)
    day_count: DayCount | None = attrs.field(default=None, converter=_to_optional_day_count)
    id: str | None = attrs.field(default=None, converter=optional_text, validator=is_optional_text)
    changes: tuple[PriceChange, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(PriceChange)
    )
    discounts: tuple[Discount, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Discount), metadata={"since": "0.2"}
    )
    price_book: PriceBook | None = attrs.field(
        default=None,
        validator=_check_instance(PriceBook, "a PriceBook", "use facturlib.PriceBook(...)"),
        metadata={"since": "0.2"},
    )

    def __attrs_post_init__(self) -> None:
        if self.quantity <= 0:
            raise _schedule_error(
                "a subscribed quantity must be positive",
                "quantity",
                self.quantity,
                "leave the item out instead",
            )
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise _schedule_error(
                "an item must end after it starts",
                "end",
                self.end,
                f"give an end after {self.start} (the end is the first day not billed)",
            )
        for i, change in enumerate(self.changes):
            if not isinstance(change, PriceChange):
                raise _schedule_error(
                    "expected a PriceChange", f"changes[{i}]", change, "use amend()"
                )
        if list(self.changes) != sorted(self.changes, key=lambda c: c.on):
            raise _schedule_error(
                "price changes must be in date order", "changes", self.changes, "sort them by date"
            )
        self._check_billable()

    def _check_billable(self) -> None:
        """Build, with `Line`'s checks, a line of every quantity and unit price this
        item bills (its terms at the start, then after each change).

        So everything the item bills is a valid line (the quantity has at most 4
        decimals, the price at most 6 and is not negative, the product has a name…)
        from the moment the item exists, and `schedule` need not check each line again.

        Raises:
            ScheduleError: a quantity or price no line can have; the message says which.
        """
        terms = [(self.quantity, self.price)]
        terms += [self.terms_at(change.on) for change in self.changes]
        for quantity, price in terms:
            try:
                self.product.line(
                    quantity, unit_price=price, vat=self.rate, discounts=self.discounts
                )
            except FacturlibError as error:
                field = "product.name" if error.field == "description" else error.field
                raise ScheduleError(
                    f"the item cannot be billed: {error.message}",
                    field=field,
                    value=error.value,
                    hint=error.hint,
                ) from error
            full = _full_amount(quantity, price, self.product.base_quantity, DEFAULT_ROUNDING)
            if _discounted(full.amount, self.discounts, DEFAULT_ROUNDING, full.currency) < 0:
                raise ScheduleError(
                    "the item's discounts exceed what it bills",
                    field="discounts",
                    value=self.discounts,
                    hint=f"keep the discounts within {full} a period (quantity × unit price)",
                )

    @property
    def key(self) -> str:
        """What identifies the item in amendments and on lines: ``id``, else the product's
        id, else its name."""
        return self.id or self.product.id or self.product.name

    @property
    def price(self) -> Money:
        """The unit price at the start (``unit_price`` or the product's)."""
        return self.unit_price if self.unit_price is not None else self.product.unit_price

    @property
    def rate(self) -> VatRate:
        """The VAT rate (``vat`` or the product's)."""
        return self.vat if self.vat is not None else self.product.vat

    def terms_at(self, day: date) -> tuple[Decimal, Money]:
        """The quantity and unit price in force on *day*."""
        quantity, price = self.quantity, self.price
        booked = self.price_book is not None and self.unit_price is None
        for change in self.changes:
            if change.on > day:
                break
            quantity = change.quantity if change.quantity is not None else quantity
            price = change.unit_price if change.unit_price is not None else price
            booked = booked and change.unit_price is None
        if booked:
            assert self.price_book is not None
            product = self.product
            price = self.price_book.unit_price(product, quantity, on=day, unit=product.unit)
        return quantity, price

    def period_amount(self, day: date, rounding: RoundingPolicy = DEFAULT_ROUNDING) -> Money:
        """What a whole period billed on *day* amounts to, excluding VAT: quantity × unit
        price ÷ base quantity in force that day, rounded, less the item's discounts (each
        percentage rounded on its own, as on the line, EN 16931 BT-136).

        >>> from facturlib.core.lines import Discount, Product
        >>> from facturlib.core.money import to_money
        >>> from facturlib.core.vat import FR_STANDARD
        >>> seat = Product(name="Seat", unit_price=to_money("30.00", "EUR"), vat=FR_STANDARD)
        >>> item = SubscriptionItem(product=seat, quantity=3, discounts=[Discount(percent="20")])
        >>> item.period_amount(date(2025, 1, 1))
        Money('72.00', 'EUR')

        .. versionadded:: 0.2
        """
        quantity, price = self.terms_at(day)
        full = _full_amount(quantity, price, self.product.base_quantity, rounding)
        return Money(
            _discounted(full.amount, self.discounts, rounding, full.currency), full.currency
        )


def _positive_int(name: str, minimum: int) -> Any:
    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None:
            return
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            raise _schedule_error(
                f"{name} must be a whole number of at least {minimum}",
                attribute.name,
                value,
                f"give an int ≥ {minimum}",
            )

    return check


def _required_int(name: str, minimum: int) -> Any:
    """Like `_positive_int`, but ``None`` is refused too."""
    optional = _positive_int(name, minimum)

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None:
            raise _schedule_error(
                f"{attribute.name} is a whole number of days",
                attribute.name,
                value,
                f"give an int ≥ {minimum}",
            )
        optional(instance, attribute, value)

    return check


def _whole_days(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _schedule_error(
            f"{attribute.name} is a whole number of days",
            attribute.name,
            value,
            "give an int, e.g. -5 to date invoices five days before the period",
        )


@attrs.frozen(kw_only=True)
class Subscription:
    """A recurring contract: what is billed, to whom, how often and for how long.

    Attributes:
        reference: the contract reference (BT-12), printed on every invoice; it links
            the issued invoices back to the subscription in `regenerate`.
        seller: the seller.
        buyer: the buyer.
        currency: the currency of every price.
        items: the `SubscriptionItem`\\s (at least one).
        start: the first day of service.
        billing_start: the first day billed (default *start*; later for a free trial).
        end: the first day no longer served (periods are half-open); ``None`` if open-ended.
        installments: the number of invoices (billing periods) of the contract; with
            *end* too, the contract stops at whichever comes first.
        periodicity: the length of a period (default `facturlib.core.periods.MONTHLY`).
        anchoring: periods on the anniversary of *start* or on calendar boundaries.
        billing_day: the day of the month periods start on (1–31, monthly and longer).
        term: `BillingTerm.IN_ADVANCE` (default) or `BillingTerm.IN_ARREARS`.
        invoice_offset: days added to the invoice date (negative: invoice earlier).
        payment_days: days from the invoice date to the due date (BT-9).
        day_count: the default proration convention of the items.
        rounding: the `RoundingPolicy` of prorations and invoices.
        buyer_reference: BT-10 on every invoice.

    Raises:
        ScheduleError: end before start, installments ≤ 0, a billing day outside 1–31,
            items of another currency or outside the contract, overlapping items of the
            same product, no item.

    .. versionadded:: 0.1
    """

    reference: str = attrs.field(converter=to_text, validator=is_text)
    seller: Party = attrs.field(validator=_is_party)
    buyer: Party = attrs.field(validator=_is_party)
    currency: Currency = attrs.field(converter=to_currency)
    items: tuple[SubscriptionItem, ...] = attrs.field(
        converter=as_tuple, validator=tuple_of(SubscriptionItem)
    )
    start: date = attrs.field(validator=is_date)
    billing_start: date | None = attrs.field(default=None, validator=is_optional_date)
    end: date | None = attrs.field(default=None, validator=is_optional_date)
    installments: int | None = attrs.field(default=None, validator=_positive_int("installments", 1))
    periodicity: Periodicity = attrs.field(default=MONTHLY, validator=_is_periodicity)
    anchoring: Anchoring = attrs.field(default=Anchoring.ANNIVERSARY, converter=_to_anchoring)
    billing_day: int | None = None
    term: BillingTerm = attrs.field(default=BillingTerm.IN_ADVANCE, converter=_to_term)
    invoice_offset: int = attrs.field(default=0, validator=_whole_days)
    payment_days: int = attrs.field(default=30, validator=_required_int("payment_days", 0))
    day_count: DayCount = attrs.field(default=DayCount.ACTUAL_ACTUAL, converter=_to_day_count)
    rounding: RoundingPolicy = attrs.field(default=DEFAULT_ROUNDING, validator=_is_rounding)
    buyer_reference: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )

    def __attrs_post_init__(self) -> None:
        if not self.reference.strip():
            raise _schedule_error(
                "a subscription needs a reference", "reference", self.reference, 'e.g. "ABO-42"'
            )
        if not self.items:
            raise _schedule_error(
                "a subscription needs at least one item", "items", (), "add a SubscriptionItem"
            )
        if self.end is not None and self.end <= self.start:
            raise _schedule_error(
                "a subscription must end after it starts",
                "end",
                self.end,
                f"give an end after {self.start} (the end is the first day not served)",
            )
        billing_start = self.first_billed
        if billing_start < self.start or (self.end is not None and billing_start >= self.end):
            raise _schedule_error(
                "billing must start within the subscription",
                "billing_start",
                self.billing_start,
                f"give a date from {self.start} and before {self.end}",
            )
        _ = self.grid  # checks the periodicity and the billing day
        self._check_items()

    def _check_items(self) -> None:
        stop = self.stop
        windows: dict[str, list[tuple[date, date | None, int]]] = {}
        for i, item in enumerate(self.items):
            if not isinstance(item, SubscriptionItem):
                raise _schedule_error(
                    "expected a SubscriptionItem", f"items[{i}]", item, "wrap products in items"
                )
            prices = [item.price] + [c.unit_price for c in item.changes if c.unit_price]
            if item.price_book is not None:
                prices.append(Money(0, item.price_book.currency))
            for price in prices:
                if price.currency != self.currency:
                    raise _schedule_error(
                        f"an item priced in {price.currency.code} on a {self.currency.code} "
                        "subscription",
                        f"items[{i}].unit_price",
                        str(price),
                        f"give every price in {self.currency.code}",
                    )
            start = item.start or self.start
            if item.end is not None and item.end <= start:
                raise _schedule_error(
                    "an item must end after it starts",
                    f"items[{i}].end",
                    item.end,
                    f"give an end after {start} (the end is the first day not billed)",
                )
            if start < self.start or (stop is not None and start >= stop):
                raise _schedule_error(
                    "an item must start within the subscription",
                    f"items[{i}].start",
                    item.start,
                    f"give a date from {self.start}" + (f" and before {stop}" if stop else ""),
                )
            for change in item.changes:
                if change.on <= start or (item.end is not None and change.on >= item.end):
                    raise _schedule_error(
                        "a price change must fall within its item's dates",
                        f"items[{i}].changes",
                        change.on,
                        f"give a date after {start}"
                        + (f" and before {item.end}" if item.end else ""),
                    )
            windows.setdefault(item.key, []).append((start, item.end, i))
        for key, spans in windows.items():
            spans.sort(key=lambda s: s[0])
            for (_, end_a, _), (start_b, _, index_b) in itertools.pairwise(spans):
                if end_a is None or end_a > start_b:
                    raise _schedule_error(
                        f"two items of {key!r} overlap",
                        f"items[{index_b}]",
                        key,
                        "end the first item before the second starts, or give one an id=",
                    )

    @property
    def first_billed(self) -> date:
        """The first day billed: ``billing_start`` or ``start``."""
        return self.billing_start or self.start

    @functools.cached_property
    def grid(self) -> PeriodGrid:
        """The `facturlib.core.periods.PeriodGrid` of the billing periods (built once:
        the subscription is immutable)."""
        return PeriodGrid.for_start(self.start, self.periodicity, self.anchoring, self.billing_day)

    @property
    def stop(self) -> date | None:
        """The first day not billed: *end*, or the end of the last installment, whichever
        comes first; ``None`` for an open-ended subscription."""
        candidates = [self.end] if self.end is not None else []
        if self.installments is not None:
            grid = self.grid
            candidates.append(grid.boundary(grid.index(self.first_billed) + self.installments))
        return min(candidates) if candidates else None

    def item(self, key: str, on: date) -> SubscriptionItem:
        """The item *key* billed on *on*.

        Raises:
            ScheduleError: no such item on that day.
        """
        for item in self.items:
            if item.key == key and on in _window(self, item):
                return item
        raise _schedule_error(
            f"no item {key!r} on {on}",
            "item",
            key,
            f"items are {sorted({i.key for i in self.items})}",
        )

    def invoice_date(self, period: Period) -> date:
        """The date of the invoice for *period*, by the billing term and the offset."""
        day = period.start if self.term is BillingTerm.IN_ADVANCE else period.last_day
        return day + timedelta(days=self.invoice_offset)


_FAR = date.max


def _window(subscription: Subscription, item: SubscriptionItem, stop: date | None = None) -> Period:
    """The days *item* is billed (its dates within the subscription's, which stops at
    *stop*, by default `Subscription.stop`); never empty, as `Subscription` checks that
    every item starts before it stops and ends after it starts."""
    last = stop if stop is not None else subscription.stop
    return Period(item.start or subscription.start, min(item.end or _FAR, last or _FAR))


def _period_of(invoice: Invoice) -> Period:
    """The period of a subscription invoice (`regenerate` checks every one has one)."""
    assert invoice.period is not None
    return invoice.period


# ---------------------------------------------------------------------------- lines


_Terms = tuple[str, Decimal, Decimal, VatRate, Decimal, str, str | None]


def _terms(line: Line) -> _Terms:
    """What identifies the price a line bills at (not its amount or its period)."""
    return (
        line.description,
        line.quantity,
        line.unit_price.amount,
        line.vat,
        line.base_quantity,
        line.unit,
        line.product_id,
    )


def _full_amount(quantity: Decimal, price: Money, base: Decimal, policy: RoundingPolicy) -> Money:
    return Money(policy.round(quantity * price.amount / base, price.currency), price.currency)


def _discounted(
    full: Decimal, discounts: Sequence[Discount], policy: RoundingPolicy, cur: Currency
) -> Decimal:
    """*full* (quantity × price, rounded) less *discounts*, as the line's totals compute them:
    each percentage of *full* rounded on its own (percentages do not compound)."""
    for discount in discounts:
        if discount.percent is not None:
            full -= policy.round(full * discount.percent / 100, cur)
        elif discount.amount is not None:
            full -= discount.amount.amount
    return full


def _prorata(amount: Money, full: Money, reason: str) -> dict[str, Any]:
    """The "Prorata" allowance (or charge) that brings a line of net *full* to *amount*."""
    difference = full.amount - amount.amount
    if difference > 0:
        return {"discounts": (Discount(amount=Money(difference, full.currency), reason=reason),)}
    if difference < 0:
        return {"charges": (Surcharge(amount=Money(-difference, full.currency), reason=reason),)}
    return {}


def _priced_line(template: Line, amount: Money, full: Money, period: Period, reason: str) -> Line:
    """*template* for *period*, its net brought to *amount* by a "Prorata" allowance or
    charge (the quantity and unit price stay those actually billed)."""
    fields: dict[str, Any] = {"discounts": (), "charges": ()}
    fields.update(_prorata(amount, full, reason))
    return attrs.evolve(template, period=period, id=None, **fields)


def _reason(day_count: DayCount, used: Period, whole: Period) -> str:
    return (
        f"Prorata {used.start:%d/%m/%Y}–{used.last_day:%d/%m/%Y} "
        f"of {whole.start:%d/%m/%Y}–{whole.last_day:%d/%m/%Y} ({day_count.value})"
    )


#: `Line` and `Invoice` built from a checked contract without checking them again
#: (see `facturlib.core._trusted`). Why that is safe: `SubscriptionItem` builds, with the
#: checking constructor, a line of every quantity and price it can bill
#: (`SubscriptionItem._check_billable`), and a `PriceBook` gives only prices its
#: `PriceBook.unit_price` checked (at most 6 decimals, not negative, in the book's
#: currency, which `Subscription` checks); `Subscription` checks its parties, its
#: reference and the currency of every price; a line here differs from those only by
#: its period (a `Period`), its id (its position, so unique) and a "Prorata"
#: allowance or charge (a checked `Discount` or `Surcharge` in the same currency); an
#: invoice has at least one line. `tests/property/test_subscriptions.py` compares both.
_line = unchecked(Line)
_draft_invoice = unchecked(Invoice)


def _line_fields(
    item: SubscriptionItem, quantity: Decimal, price: Money, period: Period
) -> dict[str, Any]:
    """The fields of the line billing *item* (what `Product.line` would give)."""
    product = item.product
    return {
        "description": product.name,
        "quantity": quantity,
        "unit_price": price,
        "vat": item.rate,
        "unit": product.unit,
        "base_quantity": product.base_quantity,
        "product_id": product.id,
        "note": product.description,
        "source_line": item.key,
        "period": period,
        "discounts": item.discounts,
    }


def _item_lines(
    subscription: Subscription,
    item: SubscriptionItem,
    window: Period,
    billed: Period,
    whole: Period,
) -> list[dict[str, Any]]:
    """The line fields of one periodic item, billed during *window*, for one period."""
    # Most periods lie inside the item's window: the billed period itself, no new Period.
    if window.start <= billed.start and billed.end <= window.end:
        used: Period | None = billed
    else:
        used = window.intersection(billed)
    if used is None:
        return []
    if not item.changes:
        quantity, price = (
            item.terms_at(used.start) if item.price_book else (item.quantity, item.price)
        )
        fields = _line_fields(item, quantity, price, used)
        if used is whole or used == whole:
            return [fields]
        return _prorated(subscription, item, fields, quantity, price, whole, used, (used,), 0)
    segments = used.split(*(c.on for c in item.changes))
    result = []
    for index, segment in enumerate(segments):
        quantity, price = item.terms_at(segment.start)
        fields = _line_fields(item, quantity, price, segment)
        if segment == whole:
            result.append(fields)
        else:
            result += _prorated(
                subscription, item, fields, quantity, price, whole, used, segments, index
            )
    return result


def _prorated(
    subscription: Subscription,
    item: SubscriptionItem,
    fields: dict[str, Any],
    quantity: Decimal,
    price: Money,
    whole: Period,
    used: Period,
    segments: tuple[Period, ...],
    index: int,
) -> list[dict[str, Any]]:
    """*fields* of segment *index* of *used*, brought to its share of the prorated
    amount by a "Prorata" allowance or charge; nothing if that share is zero."""
    day_count = item.day_count or subscription.day_count
    policy = subscription.rounding
    full = _full_amount(quantity, price, item.product.base_quantity, policy)
    if item.discounts:
        cur = full.currency
        full = Money(_discounted(full.amount, item.discounts, policy, cur), cur)
    amount = prorate(full, whole, used, day_count, rounding=policy)
    if len(segments) > 1:
        amount = split_over(amount, segments, day_count)[index]
    if not amount.amount:
        return []
    prorata = _prorata(amount, full, _reason(day_count, segments[index], whole))
    if item.discounts and "discounts" in prorata:
        prorata["discounts"] = item.discounts + prorata["discounts"]
    fields.update(prorata)
    return [fields]


class _Planned(NamedTuple):
    billed: Period
    whole: Period
    day: date
    lines: tuple[Line, ...]


def _plan(subscription: Subscription, stop: date | None) -> Iterator[_Planned]:
    """Every billing period of *subscription*, which stops at *stop* (its `Subscription.stop`),
    with its lines (endless if open-ended)."""
    windows = [(item, _window(subscription, item, stop)) for item in subscription.items]
    periodic = [(item, window) for item, window in windows if not item.first_invoice_only]
    pending = [(item, window) for item, window in windows if item.first_invoice_only]
    for billed, whole in subscription.grid.iter_periods(subscription.first_billed, stop):
        fields: list[dict[str, Any]] = []
        for item, window in periodic:
            fields += _item_lines(subscription, item, window, billed, whole)
        for one_off in list(pending):
            item, window = one_off
            if window.overlaps(billed):
                pending.remove(one_off)
                fields.append(_line_fields(item, *item.terms_at(window.start), billed))
        # Numbered here (BT-126), so that the invoice need not renumber them.
        lines = tuple(_line(**f, id=str(n)) for n, f in enumerate(fields, start=1))
        yield _Planned(billed, whole, subscription.invoice_date(billed), lines)


def _draft(subscription: Subscription, planned: _Planned) -> Invoice:
    return _draft_invoice(
        seller=subscription.seller,
        buyer=subscription.buyer,
        currency=subscription.currency,
        lines=planned.lines,
        rounding=subscription.rounding,
        period=planned.billed,
        issue_date=planned.day,
        due_date=planned.day + timedelta(days=subscription.payment_days),
        contract_reference=subscription.reference,
        buyer_reference=subscription.buyer_reference,
    )


def schedule(subscription: Subscription, *, until: date | None = None) -> tuple[Invoice, ...]:
    """Every draft invoice of *subscription*, or those dated before *until*.

    Each draft is dated on its invoice date (``issue_date``; `facturlib.issue` sets
    the real one), due ``payment_days`` later, and has the billing period as its
    ``period`` (BG-14) and each line's (BG-26). A period with nothing to bill (every
    item ended) gives no invoice.

    Args:
        subscription: the contract, with its amendments.
        until: only drafts dated before this day; required for an open-ended contract.

    Returns:
        The drafts in date order.

    Raises:
        ScheduleError: an open-ended subscription without *until*.

    .. versionadded:: 0.1
    """
    check_instance(subscription, Subscription, "subscription", error=ScheduleError)
    check_date(until, "until", optional=True, error=ScheduleError)
    stop = subscription.stop
    if stop is None and until is None:
        raise _schedule_error(
            "an open-ended subscription has an endless schedule",
            "until",
            None,
            "pass until= (drafts dated before it are returned)",
        )
    drafts = []
    for planned in _plan(subscription, stop):
        if until is not None and planned.day >= until:
            break
        if planned.lines:
            drafts.append(_draft(subscription, planned))
    return tuple(drafts)


# ----------------------------------------------------------------------- amendments


def _check_inside(subscription: Subscription, on: date, field: str) -> None:
    stop = subscription.stop
    if not isinstance(on, date) or on < subscription.start or (stop is not None and on >= stop):
        raise _schedule_error(
            "the date is outside the subscription",
            field,
            on,
            f"give a date from {subscription.start}" + (f" and before {stop}" if stop else ""),
        )


def amend(
    subscription: Subscription,
    *,
    on: date,
    item: str | None = None,
    quantity: Decimal | int | str | None = None,
    unit_price: Money | None = None,
    product: Product | None = None,
    add: SubscriptionItem | None = None,
    remove: bool = False,
) -> Subscription:
    """The subscription changed from *on* (included): one of four amendments.

    * a **quantity or price change** of *item*: ``quantity=`` and/or ``unit_price=``;
    * an **upgrade or downgrade**: *item* ends on *on* and a new item for *product*
      (same quantity unless ``quantity=``; ``unit_price=`` or the product's) starts;
    * **adding** an item: ``add=SubscriptionItem(...)``, starting on *on* unless it
      has a later start;
    * **removing** *item*: ``remove=True``.

    Issued invoices are corrected by `regenerate` with the amended subscription.

    Raises:
        ScheduleError: *on* outside the subscription; no item *item* on *on*; nothing
            or several things asked; an added item overlapping one of the same product.

    .. versionadded:: 0.1
    """
    check_instance(subscription, Subscription, "subscription", error=ScheduleError)
    check_date(on, "on", error=ScheduleError)
    check_instance(item, str, "item", optional=True, error=ScheduleError, hint="the item's key")
    if unit_price is not None:
        check_money(unit_price, "unit_price", error=ScheduleError)
    check_instance(product, Product, "product", optional=True, error=ScheduleError)
    check_instance(add, SubscriptionItem, "add", optional=True, error=ScheduleError)
    check_bool(remove, "remove", error=ScheduleError)
    _check_inside(subscription, on, "on")
    if add is not None:
        if item is not None or remove or product is not None:
            raise _schedule_error(
                "add an item on its own", "add", add, "make one amend() call per change"
            )
        if not isinstance(add, SubscriptionItem):
            raise _schedule_error("expected a SubscriptionItem", "add", add, "wrap the product")
        added = add if add.start is not None and add.start >= on else attrs.evolve(add, start=on)
        return attrs.evolve(subscription, items=(*subscription.items, added))
    if item is None:
        raise _schedule_error(
            "say which item to amend", "item", None, "pass item=<the item's key>, or add="
        )
    current = subscription.item(item, on)
    start = _window(subscription, current).start
    others = tuple(i for i in subscription.items if i is not current)
    ended: tuple[SubscriptionItem, ...] = (
        (attrs.evolve(current, end=on, changes=tuple(c for c in current.changes if c.on < on)),)
        if on > start
        else ()
    )
    if remove:
        if quantity is not None or unit_price is not None or product is not None:
            raise _schedule_error(
                "remove an item on its own", "remove", remove, "make one amend() call per change"
            )
        return attrs.evolve(subscription, items=(*others, *ended))
    if product is not None:
        old_quantity, _ = current.terms_at(on)
        replacement = SubscriptionItem(
            product=product,
            quantity=old_quantity if quantity is None else quantity,
            unit_price=unit_price,
            day_count=current.day_count,
            price_book=current.price_book,
            start=on,
            end=current.end,
        )
        return attrs.evolve(subscription, items=(*others, *ended, replacement))
    if quantity is None and unit_price is None:
        raise _schedule_error(
            "nothing to amend",
            "item",
            item,
            "pass quantity=, unit_price=, product=, or remove=True",
        )
    if on == start:
        changed = attrs.evolve(
            current,
            quantity=current.quantity if quantity is None else quantity,
            unit_price=current.unit_price if unit_price is None else unit_price,
        )
    else:
        kept = tuple(c for c in current.changes if c.on != on)
        change = PriceChange(on=on, quantity=quantity, unit_price=unit_price)
        changed = attrs.evolve(current, changes=tuple(sorted((*kept, change), key=lambda c: c.on)))
    return attrs.evolve(subscription, items=(*others, changed))


def cancel(subscription: Subscription, *, on: date, at: CancelAt = CancelAt.DATE) -> Subscription:
    """The subscription ended on *on*, or at the end of the billing period containing *on*.

    Nothing is billed from the new end on; `regenerate` credits the unused part of
    invoices already issued (a prorated credit note).

    Args:
        subscription: the contract.
        on: the cancellation date: the first day no longer served with ``CancelAt.DATE``
            (pass today to cancel immediately).
        at: ``CancelAt.DATE`` or ``CancelAt.END_OF_PERIOD``.

    Raises:
        ScheduleError: *on* outside the subscription.

    .. versionadded:: 0.1
    """
    check_instance(subscription, Subscription, "subscription", error=ScheduleError)
    check_date(on, "on", error=ScheduleError)
    at = to_enum(at, CancelAt, "at", error=ScheduleError)
    _check_inside(subscription, on, "on")
    end = on
    if CancelAt(at) is CancelAt.END_OF_PERIOD:
        end = subscription.grid.containing(on).end
        stop = subscription.stop
        end = min(end, stop) if stop is not None else end
    if end == subscription.start:
        raise _schedule_error(
            "cancelling on the start date leaves nothing to bill",
            "on",
            on,
            "drop the subscription instead",
        )
    # Items that would only start after the new end are dropped; the others are clipped.
    items = tuple(i for i in subscription.items if (i.start or subscription.start) < end)
    return attrs.evolve(subscription, end=end, items=items)


# ----------------------------------------------------------------------- regenerate


@attrs.frozen(kw_only=True)
class Regeneration:
    """What `regenerate` returns.

    Attributes:
        drafts: the drafts to store for the periods not yet invoiced.
        credit_notes: draft credit notes (381) for issued invoices, one per invoice.
        debit_notes: draft invoices charging what issued invoices did not, each
            referring to the invoice it completes.
        kept: the existing drafts kept as they were (``keep_drafts=True``).
        dropped: the existing drafts to delete (replaced, or after the end).
        problems: what needs a human: a kept draft that no longer matches the terms
            (code ``kept_draft_outdated``).

    .. versionadded:: 0.1
    """

    drafts: tuple[Invoice, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Invoice)
    )
    credit_notes: tuple[Invoice, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Invoice)
    )
    debit_notes: tuple[Invoice, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Invoice)
    )
    kept: tuple[Invoice, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Invoice)
    )
    dropped: tuple[Invoice, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Invoice)
    )
    problems: tuple[Problem, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Problem)
    )

    @property
    def corrections(self) -> tuple[Invoice, ...]:
        """The credit notes and the debit notes."""
        return (*self.credit_notes, *self.debit_notes)


@attrs.frozen
class _Billed:
    """The documents of one issued subscription invoice."""

    invoice: Invoice
    credits: list[Invoice] = attrs.field(factory=list)
    debits: list[Invoice] = attrs.field(factory=list)
    targets: list[Line] = attrs.field(factory=list)


def _classify(
    subscription: Subscription, issued: Sequence[Invoice]
) -> tuple[dict[str, _Billed], list[Problem]]:
    bases: dict[str, _Billed] = {}
    follow_ups: list[tuple[int, Invoice]] = []
    for i, document in enumerate(issued):
        if not isinstance(document, Invoice) or not document.is_issued:
            raise _schedule_error(
                "only issued documents are corrected",
                f"issued[{i}]",
                getattr(document, "number", document),
                "pass unissued drafts as drafts=",
            )
        if document.preceding:
            follow_ups.append((i, document))
            continue
        if document.contract_reference != subscription.reference or document.period is None:
            raise _schedule_error(
                f"invoice {document.number} is not an invoice of subscription "
                f"{subscription.reference}",
                f"issued[{i}]",
                document.number,
                "pass only the subscription's invoices and their credit and debit notes",
            )
        assert document.number is not None  # issued
        bases[document.number] = _Billed(document)
    # Debit notes refer to an invoice; credit notes to an invoice or to a debit note.
    follow_ups.sort(key=lambda pair: pair[1].kind is DocumentKind.CREDIT_NOTE)
    owner_of = dict(bases)
    for i, document in follow_ups:
        base = owner_of.get(document.preceding[0].number)
        if base is None:
            raise _schedule_error(
                f"{document.number} refers to {document.preceding[0].number}, which is not given",
                f"issued[{i}]",
                document.number,
                "pass the invoice it corrects too",
            )
        if document.kind is DocumentKind.CREDIT_NOTE:
            base.credits.append(document)
        else:
            base.debits.append(document)
            assert document.number is not None  # issued
            owner_of[document.number] = base
    return bases, []


def _signed_lines(billed: _Billed) -> Iterator[tuple[Line, Decimal, str | None]]:
    """Every line billed or credited for an invoice, signed, with the number of the
    document that billed it (for a credit note: the document it credits)."""
    for document, sign in (
        (billed.invoice, 1),
        *((d, 1) for d in billed.debits),
        *((c, -1) for c in billed.credits),
    ):
        source = document.preceding[0].number if sign < 0 else document.number
        for line, net in zip(document.lines, document.totals().line_nets, strict=True):
            yield line, sign * net, source


#: Terms of a line and the number of the document that billed it (None: the target).
_Key = tuple[_Terms, str | None]
_Amounts = dict[_Key, Decimal]


def _spread(
    entries: Sequence[tuple[Line, Decimal, str | None]],
    atoms: Sequence[Period],
    whole: Period,
    day_count: DayCount,
    cur: Currency,
) -> tuple[list[_Amounts], dict[_Key, Line]]:
    """Each entry's amount spread over the atoms its period covers (exactly)."""
    spread: list[_Amounts] = [{} for _ in atoms]
    templates: dict[_Key, Line] = {}
    for line, amount, source in entries:
        key = (_terms(line), source)
        templates.setdefault(key, line)
        period = line.period or whole
        inside = [i for i, atom in enumerate(atoms) if period.covers(atom)]
        if not inside:
            continue
        parts = split_over(Money(amount, cur), [atoms[i] for i in inside], day_count)
        for i, part in zip(inside, parts, strict=True):
            spread[i][key] = spread[i].get(key, _ZERO) + part.amount
    return [{k: v for k, v in a.items() if v} for a in spread], templates


_Entries = list[tuple[Line, Decimal, str | None]]


def _corrections(
    subscription: Subscription, billed: _Billed, one_offs: set[str]
) -> tuple[list[tuple[str, Line]], list[Line]]:
    """Credit lines (with the number of the document they credit) and charge lines for
    the days of *billed* whose terms changed."""
    whole = _period_of(billed.invoice)
    cur = subscription.currency
    by_item: dict[str, tuple[_Entries, _Entries]] = {}
    for line, amount, source in _signed_lines(billed):
        by_item.setdefault(line.source_line or "", ([], []))[0].append((line, amount, source))
    for line in billed.targets:
        amount = _line_net(line, subscription.rounding)
        by_item.setdefault(line.source_line or "", ([], []))[1].append((line, amount, None))
    credits: list[tuple[str, Line]] = []
    charges: list[Line] = []
    day_counts = {i.key: i.day_count or subscription.day_count for i in subscription.items}
    for key, (old, new) in by_item.items():
        day_count = day_counts.get(key, subscription.day_count)
        if key in one_offs or day_count is DayCount.NONE:
            # A one-off is billed whole, and so is a period without proration: never
            # spread over days (a cancellation inside the period credits nothing).
            atoms = [whole]
            old = [(attrs.evolve(line, period=None), a, s) for line, a, s in old]
            new = [(attrs.evolve(line, period=None), a, s) for line, a, s in new]
        else:
            cuts = {
                d
                for line, _, _ in (*old, *new)
                if line.period
                for d in (line.period.start, line.period.end)
            }
            atoms = list(whole.split(*cuts))
        old_spread, old_templates = _spread(old, atoms, whole, day_count, cur)
        new_spread, new_templates = _spread(new, atoms, whole, day_count, cur)
        for period, was, now in _changed_runs(atoms, old_spread, new_spread):
            shown = whole if key in one_offs or day_count is DayCount.NONE else period
            reason = _reason(day_count, shown, whole)
            for (_, source), amount in was.items():
                if amount > 0 and source is not None:
                    template = old_templates[(_, source)]
                    credits.append(
                        (source, _repriced(template, amount, shown, reason, subscription))
                    )
            for terms_key, amount in now.items():
                if amount > 0:
                    template = new_templates[terms_key]
                    charges.append(_repriced(template, amount, shown, reason, subscription))
    return credits, charges


def _changed_runs(
    atoms: Sequence[Period], old: Sequence[_Amounts], new: Sequence[_Amounts]
) -> list[tuple[Period, _Amounts, _Amounts]]:
    """The runs of consecutive atoms whose terms changed, with their summed amounts.

    An atom changed when the terms billed for it differ from the terms now in force;
    amounts alone (a rounding of the same terms) are not a change.
    """
    runs: list[tuple[Period, _Amounts, _Amounts]] = []
    for atom, was, now in zip(atoms, old, new, strict=True):
        if {terms for terms, _ in was} == {terms for terms, _ in now}:
            continue
        if (
            runs
            and runs[-1][0].end == atom.start
            and (runs[-1][1].keys(), runs[-1][2].keys())
            == (
                was.keys(),
                now.keys(),
            )
        ):
            period, w, n = runs[-1]
            runs[-1] = (
                Period(period.start, atom.end),
                {k: w[k] + was[k] for k in w},
                {k: n[k] + now[k] for k in n},
            )
        else:
            runs.append((atom, dict(was), dict(now)))
    return runs


def _repriced(
    template: Line, amount: Decimal, period: Period, reason: str, subscription: Subscription
) -> Line:
    cur = subscription.currency
    full = _full_amount(
        template.quantity, template.unit_price, template.base_quantity, subscription.rounding
    )
    return _priced_line(template, Money(amount, cur), full, period, reason)


def _line_net(line: Line, policy: RoundingPolicy) -> Decimal:
    full = _full_amount(line.quantity, line.unit_price, line.base_quantity, policy).amount
    extras = sum((c.amount.amount for c in line.charges if c.amount), _ZERO)
    return _discounted(full, line.discounts, policy, line.unit_price.currency) + extras


def _follow_up(
    subscription: Subscription,
    invoice: Invoice,
    lines: Sequence[Line],
    kind: DocumentKind,
    on: date,
) -> Invoice:
    return Invoice(
        kind=kind,
        seller=invoice.seller,
        buyer=invoice.buyer,
        currency=invoice.currency,
        lines=tuple(lines),
        rounding=invoice.rounding,
        period=invoice.period,
        issue_date=on,
        due_date=on + timedelta(days=subscription.payment_days),
        preceding=(invoice.reference,),
        contract_reference=invoice.contract_reference,
        buyer_reference=invoice.buyer_reference,
    )


def _capped(note: Invoice, credited: Invoice, previous: Sequence[Invoice]) -> Invoice:
    """Hold the credit note within what remains creditable on the invoice, per VAT rate
    (CGI 289 I-5); a note that takes a rate to zero takes exactly the VAT left."""
    remaining = {r.vat: r for r in creditable(credited, previous)}
    stated = []
    for entry in note.totals().vat_breakdown:
        left = remaining.get(entry.vat)
        if left is None or entry.taxable.amount > left.taxable.amount:
            raise CreditNoteError(
                f"the correction credits more than remains on {credited.number}",
                field="issued",
                value=credited.number,
                hint="pass every credit note already made for the invoice",
            )
        closing = entry.taxable.amount == left.taxable.amount
        if (closing and entry.amount != left.amount) or entry.amount.amount > left.amount.amount:
            stated.append(StatedVat(vat=entry.vat, amount=left.amount))
    return attrs.evolve(note, stated_vat=tuple(stated)) if stated else note


def regenerate(
    subscription: Subscription,
    issued: Sequence[Invoice],
    *,
    on: date,
    drafts: Sequence[Invoice] = (),
    keep_drafts: bool = False,
    until: date | None = None,
) -> Regeneration:
    """Bring the billing of *subscription*, as amended, in line with what was issued.

    For every issued invoice of the subscription, the days whose terms changed (a
    new quantity, price or product, an item added or removed, a cancellation) get a
    credit note for what was billed for them, at the price actually billed, and a
    debit note charging the new terms; days whose terms did not change are left alone.
    Periods not yet invoiced get new drafts (`schedule`). Nothing issued is modified.

    Args:
        subscription: the subscription as amended (`amend`, `cancel`).
        issued: the subscription's issued invoices with their credit and debit notes.
        on: the date of the credit and debit notes.
        drafts: the drafts stored so far for future periods.
        keep_drafts: keep those drafts as they are (pre-validated); a kept draft that
            no longer matches the terms is reported as a problem. By default they are
            dropped and replaced.
        until: for an open-ended subscription, new drafts are made up to this date
            (default: *on*).

    Returns:
        A `Regeneration`; for an unchanged subscription it has no correction.

    Raises:
        ScheduleError: a document that is not an issued invoice of this subscription,
            or billing periods that no longer line up with the issued ones.
        CreditNoteError: a correction that would credit more than remains (credit
            notes of an invoice are missing from *issued*).

    .. versionadded:: 0.1
    """
    check_instance(subscription, Subscription, "subscription", error=ScheduleError)
    issued = items_of(issued, Invoice, "issued", error=ScheduleError)
    check_date(on, "on", error=ScheduleError)
    drafts = items_of(drafts, Invoice, "drafts", error=ScheduleError)
    check_bool(keep_drafts, "keep_drafts", error=ScheduleError)
    check_date(until, "until", optional=True, error=ScheduleError)
    bases, problems = _classify(subscription, issued)
    limit = until if until is not None else (on if subscription.stop is None else None)
    ordered = sorted(bases.values(), key=lambda b: _period_of(b.invoice).start)
    last_billed = max((_period_of(b.invoice).end for b in ordered), default=None)
    new_drafts: list[Invoice] = []
    for planned in _plan(subscription, subscription.stop):
        done_with_issued = last_billed is None or planned.billed.start >= last_billed
        if done_with_issued and limit is not None and planned.day >= limit:
            break
        owners = [b for b in ordered if _period_of(b.invoice).overlaps(planned.billed)]
        if not owners:
            if planned.lines:
                new_drafts.append(_draft(subscription, planned))
            continue
        owner = owners[0]
        if len(owners) > 1 or not _period_of(owner.invoice).covers(planned.billed):
            raise _schedule_error(
                f"the billing periods no longer line up with invoice {owner.invoice.number}",
                "subscription",
                planned.billed,
                "keep the periodicity and anchor of an invoiced subscription; "
                "cancel it and start a new one instead",
            )
        owner.targets.extend(planned.lines)
    one_offs = {i.key for i in subscription.items if i.first_invoice_only}
    credit_notes: list[Invoice] = []
    debit_notes: list[Invoice] = []
    for billed in ordered:
        credit_lines, charge_lines = _corrections(subscription, billed, one_offs)
        documents = {d.number: d for d in (billed.invoice, *billed.debits)}
        for number in dict.fromkeys(source for source, _ in credit_lines):
            credited = documents[number]
            lines = [line for source, line in credit_lines if source == number]
            note = _follow_up(subscription, credited, lines, DocumentKind.CREDIT_NOTE, on)
            previous = [c for c in billed.credits if c.preceding[0].number == number]
            credit_notes.append(_capped(note, credited, previous))
        if charge_lines:
            debit_notes.append(
                _follow_up(subscription, billed.invoice, charge_lines, DocumentKind.INVOICE, on)
            )
    kept: list[Invoice] = []
    dropped: list[Invoice] = []
    by_period = {d.period: d for d in new_drafts}
    for draft in drafts:
        fresh = by_period.get(draft.period)
        if keep_drafts and fresh is not None:
            kept.append(draft)
            new_drafts.remove(fresh)
            if tuple(map(_terms, draft.lines)) != tuple(map(_terms, fresh.lines)) or (
                draft.totals().tax_exclusive_total != fresh.totals().tax_exclusive_total
            ):
                problems.append(
                    Problem(
                        code="kept_draft_outdated",
                        message=f"the kept draft for {draft.period} no longer matches the "
                        "subscription; issue it and regenerate to correct it, or drop it",
                        reference=subscription.reference,
                    )
                )
        else:
            dropped.append(draft)
    return Regeneration(
        drafts=tuple(new_drafts),
        credit_notes=tuple(credit_notes),
        debit_notes=tuple(debit_notes),
        kept=tuple(kept),
        dropped=tuple(dropped),
        problems=tuple(problems),
    )
