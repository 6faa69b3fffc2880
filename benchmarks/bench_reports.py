"""Workloads ``mrr`` and ``aged``: the MRR of a portfolio and the aged balance of a ledger.

``mrr``: N subscriptions (default 100 000, quick 500) for 5 000 customers, monthly
(60 %), quarterly, annual or weekly, of 1–3 items at random prices and quantities,
some with a price change, some with a one-off item, some ended; the MRR per
customer on 1 July 2026.

``aged``: N issued invoices (default 1 000 000, quick 2 000) for 20 000 customers,
dated over 2025 with 30-day terms, about half paid in full or in part; the aged
balance (buckets 1–30, 31–60, 61–90, over 90 days and not due) on 31 December 2025.

Candidates:

* ``raw Decimal`` (baseline): a hand-written loop over the same values (the
  `Subscription`\\s; the `Settlement`'s invoices and allocations) doing the same
  arithmetic with plain dicts and `Decimal` — what one would write without facturlib;
* ``facturlib``: `facturlib.mrr(subscriptions, on=...)` and
  `facturlib.aged_balance(settlement)`, which return checked, immutable `Table`\\s.

Each candidate returns the totals (Σ per customer, and the number of customers);
they must agree. The invoices' totals are computed once in the setup (an invoice
keeps them), so the ``totals`` workload is not measured again here.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from harness import Inputs, Workload
from moneyed import Money

from facturlib import (
    ANNUAL,
    FR_STANDARD,
    MONTHLY,
    QUARTERLY,
    WEEKLY,
    Line,
    PaymentAllocation,
    Product,
    Settlement,
    Subscription,
    SubscriptionItem,
    aged_balance,
    amend,
    currency,
    mrr,
)
from facturlib.core._trusted import unchecked
from facturlib.core.documents import DocumentStatus, Invoice
from facturlib.core.periods import PeriodUnit
from facturlib.testing.builders import sample_buyer, sample_seller

__all__ = ["AGED", "MRR", "make_ledger", "make_portfolio"]

SEED = 42
_EUR = currency("EUR")
_CENT = Decimal("0.01")
_ZERO = Decimal(0)
ON_MRR = date(2026, 7, 1)
ON_AGED = date(2025, 12, 31)
_FAR = date.max

Result = tuple[object, ...]


# ----------------------------------------------------------------------------- MRR


def make_portfolio(count: int, seed: int = SEED) -> tuple[Subscription, ...]:
    """*count* subscriptions of 5 000 customers from a seeded generator."""
    rng = random.Random(seed)
    seller = sample_seller()
    buyers = [sample_buyer(id=f"CLI{k:05d}") for k in range(min(5000, count))]
    products = [
        Product(
            name=f"Produit {k}",
            unit_price=Money(Decimal(rng.randint(500, 100_000)).scaleb(-2), _EUR),
            vat=FR_STANDARD,
            id=f"P{k}",
        )
        for k in range(50)
    ]
    every = [MONTHLY] * 6 + [QUARTERLY, QUARTERLY, ANNUAL, WEEKLY]
    portfolio = []
    for index in range(count):
        start = date(2024, 1, 1) + timedelta(days=rng.randrange(900))
        chosen = rng.sample(products, rng.randint(1, 3))
        items = [SubscriptionItem(product=p, quantity=rng.randint(1, 10)) for p in chosen]
        if rng.random() < 0.2:
            items[-1] = SubscriptionItem(product=chosen[-1], first_invoice_only=True)
        end = start + timedelta(days=rng.randint(200, 1200)) if rng.random() < 0.3 else None
        sub = Subscription(
            reference=f"ABO-{index}",
            seller=seller,
            buyer=buyers[index % len(buyers)],
            currency=_EUR,
            items=items,
            start=start,
            end=end,
            periodicity=rng.choice(every),
        )
        if rng.random() < 0.2 and not items[0].first_invoice_only:
            change = start + timedelta(days=rng.randint(30, 150))
            if sub.stop is None or change < sub.stop:
                sub = amend(sub, on=change, item=items[0].key, quantity=rng.randint(1, 20))
        portfolio.append(sub)
    return tuple(portfolio)


def _mrr_setup(size: int) -> Inputs:
    return Inputs(data=make_portfolio(size), units=size)


def raw_mrr(portfolio: tuple[Subscription, ...]) -> Callable[[], Result]:
    """The baseline: a Decimal loop over the subscriptions' items."""

    def run() -> Result:
        day = ON_MRR
        sums: dict[str, Decimal] = {}
        for sub in portfolio:
            stop = sub.stop or _FAR
            if day < sub.first_billed or day >= stop:
                continue
            every = sub.periodicity
            if every.unit is PeriodUnit.MONTH:
                times, months = 1, Decimal(every.count)
            else:
                times, months = 52, Decimal(12 * every.count)
            total = _ZERO
            for item in sub.items:
                if item.first_invoice_only:
                    continue
                if not (item.start or sub.start) <= day < min(item.end or _FAR, stop):
                    continue
                quantity, price = item.terms_at(day)
                amount = (quantity * price.amount / item.product.base_quantity).quantize(
                    _CENT, rounding=ROUND_HALF_UP
                )
                total += (amount * times / months).quantize(_CENT, rounding=ROUND_HALF_UP)
            if total:
                key = sub.buyer.key
                sums[key] = sums.get(key, _ZERO) + total
        return sum(sums.values(), _ZERO), len(sums)

    return run


def facturlib_mrr(portfolio: tuple[Subscription, ...]) -> Callable[[], Result]:
    """facturlib.mrr(): the MRR and ARR per customer, as a Table."""

    def run() -> Result:
        table = mrr(portfolio, on=ON_MRR)
        return table.total("mrr"), len(table)

    return run


MRR = Workload(
    name="mrr",
    unit="subscription",
    description="MRR per customer of a portfolio of subscriptions, per subscription",
    setup=_mrr_setup,
    candidates={"raw Decimal": raw_mrr, "facturlib": facturlib_mrr},
    baseline="raw Decimal",
    size=100_000,
    quick_size=500,
    target=3.0,
    target_candidate="facturlib",
)


# ------------------------------------------------------------------- aged balance


@dataclass(frozen=True)
class Ledger:
    settlement: Settlement


#: The invoices of the benchmark are built from one checked template invoice per line
#: (their content is valid), then numbered and dated without the checks: building a
#: million checked invoices would take minutes of setup, and is not what is measured.
_issued = unchecked(Invoice)


def make_ledger(count: int, seed: int = SEED) -> Ledger:
    """*count* issued invoices of 20 000 customers, about half paid, from a seeded generator."""
    rng = random.Random(seed)
    seller = sample_seller()
    buyers = [sample_buyer(id=f"CLI{k:05d}") for k in range(min(20_000, count))]
    lines = [
        (
            Line(
                description="Prestation",
                quantity=1,
                unit_price=Money(Decimal(rng.randint(1_000, 500_000)).scaleb(-2), _EUR),
                vat=FR_STANDARD,
                id="1",
            ),
        )
        for _ in range(1000)
    ]
    template = Invoice(seller=seller, buyer=buyers[0], currency=_EUR, lines=lines[0])
    fields = {f: getattr(template, f) for f in attrs_fields(Invoice)}
    invoices = []
    allocations = []
    for index in range(count):
        day = date(2025, 1, 1) + timedelta(days=rng.randrange(365))
        number = f"FA-{index:07d}"
        invoice = _issued(
            **{
                **fields,
                "buyer": buyers[index % len(buyers)],
                "lines": rng.choice(lines),
                "number": number,
                "issue_date": day,
                "due_date": day + timedelta(days=30),
                "status": DocumentStatus.ISSUED,
            }
        )
        due = invoice.totals().amount_due  # computed once, kept by the invoice
        share = rng.random()
        if share < 0.5:
            paid = due if share < 0.4 else Money((due.amount / 2).quantize(_CENT), _EUR)
            allocations.append(
                PaymentAllocation(
                    payment_id=f"P{index}",
                    invoice_number=number,
                    amount=paid,
                    date=min(day + timedelta(days=rng.randint(0, 60)), ON_AGED),
                )
            )
        invoices.append(invoice)
    settlement = Settlement(
        on=ON_AGED, invoices=invoices, allocations=allocations, pending_ids=(), credits=()
    )
    return Ledger(settlement=settlement)


def attrs_fields(cls: type) -> list[str]:
    import attrs

    return [f.name for f in attrs.fields(cls)]


def _aged_setup(size: int) -> Inputs:
    return Inputs(data=make_ledger(size), units=size)


BOUNDS = (30, 60, 90)


def raw_aged(ledger: Ledger) -> Callable[[], Result]:
    """The baseline: a Decimal loop over the invoices and their allocations."""
    settlement = ledger.settlement

    def run() -> Result:
        on = settlement.on
        covered: dict[str, Decimal] = {}
        for allocation in settlement.allocations:
            number = allocation.invoice_number
            covered[number] = covered.get(number, _ZERO) + allocation.amount.amount
        rows: dict[str, list[Decimal]] = {}
        for invoice in settlement.invoices:
            left = invoice.totals().bt115 - covered.get(invoice.number, _ZERO)
            if not left:
                continue
            row = rows.get(invoice.buyer.key)
            if row is None:
                row = rows[invoice.buyer.key] = [_ZERO] * 5
            late = (on - invoice.due_date).days
            if late <= 0:
                row[0] += left
            elif late <= 30:
                row[1] += left
            elif late <= 60:
                row[2] += left
            elif late <= 90:
                row[3] += left
            else:
                row[4] += left
        sums = tuple(sum((r[k] for r in rows.values()), _ZERO) for k in range(5))
        return (*sums, len(rows))

    return run


def facturlib_aged(ledger: Ledger) -> Callable[[], Result]:
    """facturlib.aged_balance(): per customer, as a Table."""
    settlement = ledger.settlement

    def run() -> Result:
        table = aged_balance(settlement)
        names = ("not_due", "days_1_30", "days_31_60", "days_61_90", "days_over_90")
        return (*(table.total(n) for n in names), len(table))

    return run


AGED = Workload(
    name="aged",
    unit="invoice",
    description="aged balance per customer of issued invoices and their payments, per invoice",
    setup=_aged_setup,
    candidates={"raw Decimal": raw_aged, "facturlib": facturlib_aged},
    baseline="raw Decimal",
    size=1_000_000,
    quick_size=2_000,
    target=3.0,
    target_candidate="facturlib",
)
