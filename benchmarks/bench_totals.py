"""Workload "totals": every total of N invoices of 20 lines at 20 % and 5.5 % VAT.

Candidates:

* ``int cents`` (baseline, the limit): the same arithmetic on integers — quantities
  in hundredths, prices in cents, VAT rates in ten-thousandths, half-up rounding by
  integer division — the fastest a Python loop can total these invoices.
* ``raw Decimal``: a hand-written loop over plain tuples doing the same arithmetic
  as facturlib — line amount = quantize(quantity × unit price, 0.01, half-up),
  sum per VAT rate, VAT per rate = quantize(base × rate, 0.01, half-up), then the
  net (HT), VAT and gross (TTC) totals; the rounding mode passed positionally
  (the fastest honest way: parsing ``rounding=`` costs a third of the loop).
* ``py-moneyed``: the same loop with py-moneyed ``Money`` arithmetic, one ``Money``
  per line amount, per VAT base and per total (the peer).
* ``compute_totals``: `facturlib.compute_totals` on each invoice's lines (all EN 16931
  totals, the VAT breakdown and the per-line amounts, with their checks).
* ``Invoice.totals``: ``Invoice(...).totals()``: the draft invoice built from its
  lines and parties (every field checked), then its totals.

Each candidate returns (Σ net, Σ VAT, Σ gross) over all invoices; they must agree.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from harness import Inputs, Workload
from moneyed import Money

from facturlib import FR_REDUCED, FR_STANDARD, Invoice, Line, compute_totals, currency
from facturlib.testing.builders import sample_buyer, sample_seller

__all__ = ["LINES_PER_INVOICE", "TOTALS", "TotalsData", "make_data"]

LINES_PER_INVOICE = 20
SEED = 42

_EUR = currency("EUR")
_CENT = Decimal("0.01")
_ZERO = Decimal(0)
_DESCRIPTIONS = (
    "Consulting",
    "Audit",
    "Training day",
    "Hosting (monthly)",
    "Licence",
    "Support",
    "Book",
    "Shipping box",
)

Sums = tuple[Decimal, Decimal, Decimal]


@dataclass(frozen=True)
class TotalsData:
    """The same invoices three ways; built once, outside the timed region.

    Attributes:
        cent_rows: per invoice, a tuple of (quantity in hundredths, unit price in
            cents, VAT rate in ten-thousandths).
        decimal_rows: per invoice, a tuple of (quantity, unit price, VAT rate as a fraction).
        money_rows: per invoice, a tuple of (quantity, unit price as Money, rate).
        invoice_lines: per invoice, the tuple of facturlib `Line`\\s (shared, immutable).
        invoice_fields: the other fields of every invoice (parties, currency, dates).
    """

    cent_rows: tuple[tuple[tuple[int, int, int], ...], ...]
    decimal_rows: tuple[tuple[tuple[Decimal, Decimal, Decimal], ...], ...]
    money_rows: tuple[tuple[tuple[Decimal, Money, Decimal], ...], ...]
    invoice_lines: tuple[tuple[Line, ...], ...]
    invoice_fields: dict[str, object]


def _quantity(rng: random.Random) -> Decimal:
    """Half whole quantities (1…20), half with 2 decimals (0.01…100.00)."""
    if rng.random() < 0.5:
        return Decimal(rng.randint(1, 20))
    return Decimal(rng.randint(1, 10_000)).scaleb(-2)


def _unit_price(rng: random.Random) -> Decimal:
    """0.50 … 2 000.00 with 2 decimals."""
    return Decimal(rng.randint(50, 200_000)).scaleb(-2)


def make_data(invoices: int, lines: int = LINES_PER_INVOICE, seed: int = SEED) -> TotalsData:
    """Build *invoices* invoices of *lines* lines from a seeded generator."""
    rng = random.Random(seed)
    vats = ((FR_STANDARD, FR_STANDARD.rate), (FR_REDUCED, FR_REDUCED.rate))
    cent_rows = []
    decimal_rows = []
    money_rows = []
    invoice_lines = []
    for _ in range(invoices):
        crows = []
        drows = []
        mrows = []
        ilines = []
        for index in range(1, lines + 1):
            quantity = _quantity(rng)
            price = _unit_price(rng)
            vat, rate = vats[0] if rng.random() < 0.7 else vats[1]
            price_money = Money(price, _EUR)
            crows.append((int(quantity * 100), int(price * 100), int(rate * 10_000)))
            drows.append((quantity, price, rate))
            mrows.append((quantity, price_money, rate))
            ilines.append(
                Line(
                    description=rng.choice(_DESCRIPTIONS),
                    quantity=quantity,
                    unit_price=price_money,
                    vat=vat,
                    id=str(index),  # numbered here so Invoice() need not number them
                )
            )
        cent_rows.append(tuple(crows))
        decimal_rows.append(tuple(drows))
        money_rows.append(tuple(mrows))
        invoice_lines.append(tuple(ilines))
    fields: dict[str, object] = {
        "seller": sample_seller(),
        "buyer": sample_buyer(),
        "currency": _EUR,
        "due_date": date(2025, 2, 14),
    }
    return TotalsData(
        cent_rows=tuple(cent_rows),
        decimal_rows=tuple(decimal_rows),
        money_rows=tuple(money_rows),
        invoice_lines=tuple(invoice_lines),
        invoice_fields=fields,
    )


def _setup(size: int) -> Inputs:
    return Inputs(data=make_data(size), units=size)


def int_cents(data: TotalsData) -> Callable[[], Sums]:
    """The limit: integer arithmetic in cents, half-up by integer division."""
    rows = data.cent_rows

    def run() -> Sums:
        all_net = all_vat = all_gross = 0
        for invoice in rows:
            bases: dict[int, int] = {}
            for quantity, price, rate in invoice:
                # hundredths × cents = 1/10 000: round half-up to cents (all positive).
                bases[rate] = bases.get(rate, 0) + (quantity * price + 50) // 100
            net = vat = 0
            for rate, base in bases.items():
                net += base
                vat += (base * rate + 5_000) // 10_000
            all_net += net
            all_vat += vat
            all_gross += net + vat
        return (
            Decimal(all_net).scaleb(-2),
            Decimal(all_vat).scaleb(-2),
            Decimal(all_gross).scaleb(-2),
        )

    return run


def raw_decimal(data: TotalsData) -> Callable[[], Sums]:
    """Plain Decimal arithmetic on tuples, the rounding mode passed positionally."""
    rows = data.decimal_rows
    quantize = Decimal.quantize

    def run() -> Sums:
        cent, half_up, zero = _CENT, ROUND_HALF_UP, _ZERO
        all_net = all_vat = all_gross = zero
        for invoice in rows:
            bases: dict[Decimal, Decimal] = {}
            for quantity, price, rate in invoice:
                amount = quantize(quantity * price, cent, half_up)
                bases[rate] = bases.get(rate, zero) + amount
            net = vat = zero
            for rate, base in bases.items():
                net += base
                vat += quantize(base * rate, cent, half_up)
            gross = net + vat
            all_net += net
            all_vat += vat
            all_gross += gross
        return all_net, all_vat, all_gross

    return run


def raw_moneyed(data: TotalsData) -> Callable[[], Sums]:
    """The same loop with py-moneyed Money arithmetic (rounding explicitly half-up)."""
    rows = data.money_rows

    def run() -> Sums:
        cent, half_up, eur = _CENT, ROUND_HALF_UP, _EUR
        zero = Money(_ZERO, eur)
        all_net = all_vat = all_gross = _ZERO
        for invoice in rows:
            bases: dict[Decimal, Money] = {}
            for quantity, price, rate in invoice:
                exact = price * quantity
                # Money.round() uses the ambient decimal context: round explicitly instead.
                amount = Money(exact.amount.quantize(cent, rounding=half_up), exact.currency)
                bases[rate] = bases.get(rate, zero) + amount
            net = vat = zero
            for rate, base in bases.items():
                net += base
                exact_vat = base * rate
                vat += Money(exact_vat.amount.quantize(cent, rounding=half_up), eur)
            gross = net + vat
            all_net += net.amount
            all_vat += vat.amount
            all_gross += gross.amount
        return all_net, all_vat, all_gross

    return run


def facturlib_compute(data: TotalsData) -> Callable[[], Sums]:
    """`facturlib.compute_totals` on each invoice's lines."""
    lines_of = data.invoice_lines

    def run() -> Sums:
        all_net = all_vat = all_gross = _ZERO
        for lines in lines_of:
            totals = compute_totals(lines=lines, currency=_EUR)
            all_net += totals.tax_exclusive_total.amount
            all_vat += totals.vat_total.amount
            all_gross += totals.tax_inclusive_total.amount
        return all_net, all_vat, all_gross

    return run


def facturlib_totals(data: TotalsData) -> Callable[[], Sums]:
    """``Invoice(...).totals()``: each draft invoice built (timed), then its totals."""
    fields = data.invoice_fields
    lines_of = data.invoice_lines

    def run() -> Sums:
        all_net = all_vat = all_gross = _ZERO
        for lines in lines_of:
            totals = Invoice(lines=lines, **fields).totals()  # type: ignore[arg-type]
            all_net += totals.tax_exclusive_total.amount
            all_vat += totals.vat_total.amount
            all_gross += totals.tax_inclusive_total.amount
        return all_net, all_vat, all_gross

    return run


TOTALS = Workload(
    name="totals",
    unit="invoice",
    description=(
        f"all totals of invoices of {LINES_PER_INVOICE} lines (VAT 20 % and 5.5 %), per invoice"
    ),
    setup=_setup,
    candidates={
        "int cents": int_cents,
        "raw Decimal": raw_decimal,
        "py-moneyed": raw_moneyed,
        "compute_totals": facturlib_compute,
        "Invoice.totals": facturlib_totals,
    },
    baseline="int cents",
    size=50_000,
    quick_size=2_000,
    targets={"compute_totals": 5.0, "Invoice.totals": 7.0},
)
