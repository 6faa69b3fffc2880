"""Monthly and annual recurring revenue (MRR, ARR) of subscriptions, and its movements.

The **MRR** on a day is what the subscriptions in force that day bill per month,
excluding VAT: every recurring `facturlib.recurring.subscriptions.SubscriptionItem`
billed that day (inside its own dates and the subscription's, after a free trial's
``billing_start``), at the quantity and unit price in force that day (so price
changes and plan changes count from their date), after the item's discounts
(``SubscriptionItem.discounts``; a discount granted as a lower price counts the
same way), normalized to a month:

* a period of *n* months: the period amount ÷ *n* (annual ÷ 12, quarterly ÷ 3);
* a period of *n* weeks: the period amount × 52 ÷ (12 × *n*) (weekly × 52 ÷ 12).

The period amount is quantity × unit price ÷ base quantity less the item's
discounts (`SubscriptionItem.period_amount`), rounded to the minor unit as the
invoice line is (the subscription's `facturlib.core.money.RoundingPolicy`);
each item's MRR is rounded to the minor unit with the same policy, and every total
is an exact sum of item figures, so Σ per customer = Σ per product = the total.
One-off items (``first_invoice_only``) are not recurring and never count; neither
does proration (a partial first period bills less, the MRR is the full rate).
**ARR** = MRR × 12.

**Movements** between two days explain the change of MRR customer by customer
(customer = buyer key within a legal entity, the seller): *new* (no MRR at the
start, never billed before), *reactivation* (no MRR at the start but billed before),
*expansion* and *contraction* (MRR at both dates, up or down), *churn* (MRR at the
start, none at the end). Each customer's change lands in exactly one movement, so
the movements sum exactly to MRR(end) − MRR(start).

**Invoiced revenue ÷ 12** (`invoiced_mrr`) is the other usual figure: what was
actually invoiced (net of credit notes) over the last twelve months, divided by 12.
It lags plan changes, includes one-off items, prorations and credits, and is what
an accountant can tie to the ledger; the contractual MRR above is what the
subscriptions in force are worth per month today.

>>> from datetime import date
>>> from facturlib.core.lines import Product
>>> from facturlib.core.money import to_money
>>> from facturlib.core.periods import ANNUAL
>>> from facturlib.core.vat import FR_STANDARD
>>> from facturlib.recurring.subscriptions import Subscription, SubscriptionItem, amend
>>> from facturlib.testing.builders import sample_buyer, sample_seller
>>> basic = Product(name="Basic", unit_price=to_money("30.00", "EUR"), vat=FR_STANDARD, id="B")
>>> support = Product(name="Support", unit_price=to_money("1000.00", "EUR"), vat=FR_STANDARD,
...                   id="S")
>>> sub = Subscription(reference="ABO-1", seller=sample_seller(), buyer=sample_buyer(),
...     currency="EUR", start=date(2025, 1, 1), items=[SubscriptionItem(product=basic)])
>>> yearly = Subscription(reference="ABO-2", seller=sample_seller(), buyer=sample_buyer(),
...     currency="EUR", start=date(2025, 1, 1), periodicity=ANNUAL,
...     items=[SubscriptionItem(product=support)])
>>> mrr([sub, yearly], on=date(2025, 3, 1)).total("mrr")
Decimal('113.33')
>>> more = amend(sub, on=date(2025, 4, 1), item="B", quantity=3)
>>> moves = mrr_movements([more, yearly], start=date(2025, 3, 1), end=date(2025, 4, 1))
>>> moves.total("expansion"), moves.total("end_mrr") - moves.total("start_mrr")
(Decimal('60.00'), Decimal('60.00'))

.. versionadded:: 0.2
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from moneyed import Currency

from facturlib.core._validators import check_date
from facturlib.core.documents import Invoice
from facturlib.core.errors import ReportError
from facturlib.core.money import DEFAULT_ROUNDING
from facturlib.core.periods import PeriodUnit
from facturlib.recurring.subscriptions import Subscription
from facturlib.reports._inputs import (
    check_locale,
    check_months,
    check_window,
    documents_of,
    months_of,
    one_currency,
    revenue_documents,
    subscriptions_of,
)
from facturlib.reports.table import Column, ColumnKind, Table, _make

__all__ = ["invoiced_mrr", "mrr", "mrr_history", "mrr_movements"]

_ZERO = Decimal(0)
_TWELVE = Decimal(12)
_FAR = date.max

#: The dimensions `mrr` groups by.
DIMENSIONS = ("entity", "customer", "subscription", "product")

_MOVEMENTS = ("new", "expansion", "contraction", "churn", "reactivation")

_Key = tuple[str, ...]


class _Contract:
    """What MRR needs of one subscription, computed once (its stop, its recurring items)."""

    __slots__ = ("currency", "divisor", "first", "items", "keys", "multiplier", "policy", "stop")

    def __init__(self, subscription: Subscription) -> None:
        periodicity = subscription.periodicity
        # monthly = period amount × multiplier ÷ divisor, both whole numbers, so that the
        # only inexact step is the final division (n months: × 1 ÷ n; n weeks: × 52 ÷ 12n).
        if periodicity.unit is PeriodUnit.MONTH:
            self.multiplier, self.divisor = 1, Decimal(periodicity.count)
        else:
            self.multiplier, self.divisor = 52, _TWELVE * periodicity.count
        self.stop = subscription.stop or _FAR
        self.first = subscription.first_billed
        self.policy = subscription.rounding
        self.currency = subscription.currency
        entity, customer = subscription.seller.key, subscription.buyer.key
        self.keys = (entity, customer, subscription.reference)
        self.items = [
            (
                item.start or subscription.start,
                min(item.end or _FAR, self.stop),
                item,
                item.product.base_quantity,
                item.key,
            )
            for item in subscription.items
            if not item.first_invoice_only
        ]

    def figures(self, day: date) -> Iterable[tuple[str, Decimal]]:
        """(item key, MRR) of every recurring item billed on *day*."""
        if day < self.first or day >= self.stop:
            return
        cur = self.currency
        rounding = self.policy
        for start, end, item, base, key in self.items:
            if start <= day < end:
                if item.changes or item.price_book is not None:
                    quantity, price = item.terms_at(day)
                else:
                    quantity, price = item.quantity, item.price
                amount = rounding.round(quantity * price.amount / base, cur)
                if item.discounts:
                    amount = item.period_amount(day, rounding).amount
                yield key, rounding.round(amount * self.multiplier / self.divisor, cur)


def _contracts(
    subscriptions: Iterable[Subscription], currency: str | Currency | None
) -> tuple[list[_Contract], Currency]:
    items = subscriptions_of(subscriptions)
    cur = one_currency((s.currency for s in items), currency, "subscriptions")
    return [_Contract(s) for s in items if s.currency == cur], cur


def _check_by(by: Sequence[str]) -> tuple[int, ...]:
    if isinstance(by, str):
        by = (by,)
    try:
        positions = tuple(DIMENSIONS.index(name) for name in by)
    except (ValueError, TypeError):
        raise ReportError(
            "unknown MRR dimension",
            field="by",
            value=by,
            hint=f"group by any of {', '.join(DIMENSIONS)}",
        ) from None
    if len(set(positions)) != len(positions):
        raise ReportError("a dimension is given twice", field="by", value=by, hint="drop one")
    return positions


def mrr(
    subscriptions: Iterable[Subscription],
    *,
    on: date,
    by: Sequence[str] = ("customer",),
    currency: str | Currency | None = None,
    locale: str = "fr_FR",
) -> Table:
    """The MRR and ARR of *subscriptions* on *on*, grouped by *by*.

    Args:
        subscriptions: the subscriptions, as amended.
        on: the day.
        by: the dimensions of a row, among ``"entity"`` (the seller's key),
            ``"customer"`` (the buyer's key), ``"subscription"`` (its reference) and
            ``"product"`` (the item key); ``()`` gives one total row.
        currency: keep only the subscriptions in this currency (needed when there
            are several).
        locale: the locale the table displays in.

    Returns:
        A `Table` with a text column per dimension, ``mrr`` and ``arr``, sorted by
        the dimensions; groups with no MRR are left out.

    Raises:
        ReportError: an unknown dimension, several currencies and no *currency*.

    .. versionadded:: 0.2
    """
    check_date(on, "on", error=ReportError)
    positions = _check_by(by)
    check_locale(locale)
    contracts, cur = _contracts(subscriptions, currency)
    sums: dict[_Key, Decimal] = {}
    for contract in contracts:
        keys = contract.keys
        for key, value in contract.figures(on):
            if not value:
                continue
            full = (*keys, key)
            group = tuple(full[p] for p in positions)
            sums[group] = sums.get(group, _ZERO) + value
    columns = (
        *(Column(DIMENSIONS[p], ColumnKind.TEXT) for p in positions),
        Column("mrr", ColumnKind.MONEY),
        Column("arr", ColumnKind.MONEY),
    )
    rows = ((*group, value, value * _TWELVE) for group, value in sorted(sums.items()))
    return _make(f"MRR on {on.isoformat()}", columns, rows, cur, locale)


def _by_customer(contracts: Sequence[_Contract], day: date) -> dict[tuple[str, str], Decimal]:
    sums: dict[tuple[str, str], Decimal] = {}
    for contract in contracts:
        total = sum((value for _, value in contract.figures(day)), _ZERO)
        if total:
            key = contract.keys[:2]
            sums[key] = sums.get(key, _ZERO) + total
    return sums


def _billed_before(contracts: Sequence[_Contract], day: date) -> set[tuple[str, str]]:
    """The customers some recurring item was billed to before *day*."""
    found = set()
    for contract in contracts:
        if contract.first < day and any(
            start < day and start < end and max(start, contract.first) < min(end, day)
            for start, end, _, _, _ in contract.items
        ):
            found.add(contract.keys[:2])
    return found


def _movement(before: Decimal, after: Decimal, known: bool) -> str | None:
    if before == after:
        return None
    if not before:
        return "reactivation" if known else "new"
    if not after:
        return "churn"
    return "expansion" if after > before else "contraction"


_MOVEMENT_COLUMNS = (
    Column("entity", ColumnKind.TEXT),
    Column("customer", ColumnKind.TEXT),
    Column("start_mrr", ColumnKind.MONEY),
    *(Column(name, ColumnKind.MONEY) for name in _MOVEMENTS),
    Column("end_mrr", ColumnKind.MONEY),
)


def _movement_rows(contracts: Sequence[_Contract], start: date, end: date) -> list[tuple[Any, ...]]:
    before = _by_customer(contracts, start)
    after = _by_customer(contracts, end)
    known = _billed_before(contracts, start)
    rows = []
    for key in sorted(before.keys() | after.keys()):
        was, now = before.get(key, _ZERO), after.get(key, _ZERO)
        kind = _movement(was, now, key in known)
        cells = [now - was if name == kind else _ZERO for name in _MOVEMENTS]
        rows.append((*key, was, *cells, now))
    return rows


def mrr_movements(
    subscriptions: Iterable[Subscription],
    *,
    start: date,
    end: date,
    currency: str | Currency | None = None,
    locale: str = "fr_FR",
) -> Table:
    """The movements of MRR between *start* and *end*, per customer.

    Args:
        subscriptions: the subscriptions, as amended.
        start: the first day compared.
        end: the second day compared (after *start*).
        currency: keep only the subscriptions in this currency.
        locale: the locale the table displays in.

    Returns:
        A `Table` with ``entity``, ``customer``, ``start_mrr``, ``new``,
        ``expansion``, ``contraction``, ``churn``, ``reactivation`` and ``end_mrr``;
        on every row ``start_mrr + Σ movements == end_mrr`` exactly.

    Raises:
        ReportError: *end* not after *start*; several currencies and no *currency*.

    .. versionadded:: 0.2
    """
    check_window(start, end)
    check_locale(locale)
    contracts, cur = _contracts(subscriptions, currency)
    rows = _movement_rows(contracts, start, end)
    title = f"MRR movements {start.isoformat()} → {end.isoformat()}"
    return _make(title, _MOVEMENT_COLUMNS, rows, cur, locale)


def mrr_history(
    subscriptions: Iterable[Subscription],
    *,
    start: date,
    months: int,
    currency: str | Currency | None = None,
    locale: str = "fr_FR",
) -> Table:
    """The MRR on the first day of each month, with the movements since the month before.

    Args:
        subscriptions: the subscriptions, as amended.
        start: any day of the first month.
        months: how many months (1 to 600).
        currency: keep only the subscriptions in this currency.
        locale: the locale the table displays in.

    Returns:
        A `Table` with ``month``, ``mrr`` and a column per movement (the first month
        compares with the month before it): each row's movements sum to its MRR
        minus the previous one.

    .. versionadded:: 0.2
    """
    check_date(start, "start", error=ReportError)
    firsts = months_of(start, months)
    check_locale(locale)
    contracts, cur = _contracts(subscriptions, currency)
    rows = []
    for month in firsts:
        previous = month - relativedelta(months=1)
        moves = _movement_rows(contracts, previous, month)
        totals = [sum((row[3 + i] for row in moves), _ZERO) for i in range(len(_MOVEMENTS))]
        rows.append((month, sum((row[-1] for row in moves), _ZERO), *totals))
    columns = (
        Column("month", ColumnKind.MONTH),
        Column("mrr", ColumnKind.MONEY),
        *(Column(name, ColumnKind.MONEY) for name in _MOVEMENTS),
    )
    return _make("MRR by month", columns, rows, cur, locale)


def invoiced_mrr(
    documents: Iterable[Invoice],
    *,
    on: date,
    months: int = 12,
    currency: str | Currency | None = None,
    locale: str = "fr_FR",
) -> Table:
    """Invoiced revenue ÷ *months*: the other "MRR", from what was actually invoiced.

    Sums, per customer, the amounts excluding VAT (BT-109) of the invoices and
    corrective invoices issued in the *months* months before *on* (from the same day
    *months* months earlier, up to the day before *on*), minus the credit notes;
    deposit invoices are advances, not revenue, and are left out (the final invoice
    bills the whole amount). Each customer's figure is divided by *months* and
    rounded half up to the minor unit.

    Args:
        documents: issued documents (drafts are ignored).
        on: the day after the window.
        months: the length of the window (default 12).
        currency: keep only the documents in this currency.
        locale: the locale the table displays in.

    Returns:
        A `Table` with ``customer``, ``invoiced`` and ``mrr``.

    .. versionadded:: 0.2
    """
    check_date(on, "on", error=ReportError)
    check_months(months)
    window_start = on - relativedelta(months=months)
    check_locale(locale)
    docs, cur = documents_of(documents, currency)
    sums: dict[str, Decimal] = {}
    for document, sign in revenue_documents(docs):
        day = document.issue_date
        assert day is not None  # documents_of keeps issued documents only
        if window_start <= day < on:
            key = document.buyer.key
            sums[key] = sums.get(key, _ZERO) + sign * document.totals().bt109
    divisor = Decimal(months)
    rows = (
        (customer, amount, DEFAULT_ROUNDING.round(amount / divisor, cur))
        for customer, amount in sorted(sums.items())
    )
    columns = (
        Column("customer", ColumnKind.TEXT),
        Column("invoiced", ColumnKind.MONEY),
        Column("mrr", ColumnKind.MONEY),
    )
    return _make(
        f"Invoiced revenue ÷ {months}, before {on.isoformat()}", columns, rows, cur, locale
    )
