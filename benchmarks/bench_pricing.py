"""Workload ``pricing``: lines priced from a book of graduated tiers, per quantity priced.

N quantities (default 50 000, quick 2 000), whole from 1 to 200, of one of 20
products; each product has a graduated price of three tiers (up to 10, up to 50,
above) with unit prices of 2 decimals (0.50–500.00), decreasing by tier.

Candidates:

* ``raw Decimal`` (baseline): a hand-written loop over plain tuples: the quantity
  in each tier reached, its amount rounded half-up to the cent, summed;
* ``facturlib lines``: `PriceBook.lines(product, quantity, on=day)`, the checked
  `Line` values of each tier reached (with the product's name, VAT rate, unit, id
  and the tier in the note), their nets computed the same way.

Each candidate returns (number of lines, Σ line nets); they must agree.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from harness import Inputs, Workload
from moneyed import Money

from facturlib import FR_STANDARD, PriceBook, PriceEntry, Product, Tier, TieredPrice, currency

__all__ = ["PRICING", "make_data"]

SEED = 42
PRODUCTS = 20
_EUR = currency("EUR")
_CENT = Decimal("0.01")
_DAY = date(2025, 3, 1)

Result = tuple[int, Decimal]


@dataclass(frozen=True)
class PricingData:
    """The book, its products, the raw tiers and the quantities; built untimed."""

    book: PriceBook
    products: tuple[Product, ...]
    #: Per product: ((upper bound or None, unit price), ...).
    tiers: tuple[tuple[tuple[Decimal | None, Decimal], ...], ...]
    #: (product index, quantity).
    orders: tuple[tuple[int, Decimal], ...]


def make_data(count: int, seed: int = SEED) -> PricingData:
    """*count* quantities of 20 products with graduated prices, from a seeded generator."""
    rng = random.Random(seed)
    products, tiers, entries = [], [], []
    for index in range(PRODUCTS):
        top = rng.randint(50, 50_000)
        prices = sorted(Decimal(rng.randint(top // 2, top)).scaleb(-2) for _ in range(3))[::-1]
        raw = ((Decimal(10), prices[0]), (Decimal(50), prices[1]), (None, prices[2]))
        product = Product(
            name=f"Item {index}", unit_price=Money(prices[0], _EUR), vat=FR_STANDARD, id=f"I{index}"
        )
        products.append(product)
        tiers.append(raw)
        entries.append(
            PriceEntry(
                product=product.id,
                price=TieredPrice(
                    tiers=[Tier(up_to=bound, unit_price=Money(p, _EUR)) for bound, p in raw]
                ),
            )
        )
    book = PriceBook(name="standard", currency="EUR", entries=entries)
    orders = tuple((rng.randrange(PRODUCTS), Decimal(rng.randint(1, 200))) for _ in range(count))
    return PricingData(book=book, products=tuple(products), tiers=tuple(tiers), orders=orders)


def _setup(size: int) -> Inputs:
    return Inputs(data=make_data(size), units=size)


def raw_decimal(data: PricingData) -> Callable[[], Result]:
    """The baseline: the tier loop on plain tuples."""
    tiers, orders = data.tiers, data.orders

    def run() -> Result:
        lines = 0
        total = Decimal(0)
        for product, quantity in orders:
            above = Decimal(0)
            for bound, price in tiers[product]:
                if quantity <= above:
                    break
                top = quantity if bound is None or quantity <= bound else bound
                total += ((top - above) * price).quantize(_CENT, rounding=ROUND_HALF_UP)
                lines += 1
                if bound is None:
                    break
                above = bound
        return lines, total

    return run


def facturlib_lines(data: PricingData) -> Callable[[], Result]:
    """facturlib: PriceBook.lines(), checked Line values."""
    book, products, orders = data.book, data.products, data.orders

    def run() -> Result:
        count = 0
        total = Decimal(0)
        for product, quantity in orders:
            for line in book.lines(products[product], quantity, on=_DAY):
                total += (line.quantity * line.unit_price.amount).quantize(
                    _CENT, rounding=ROUND_HALF_UP
                )
                count += 1
        return count, total

    return run


PRICING = Workload(
    name="pricing",
    unit="order",
    description="graduated tiered prices from a price book, as document lines, per quantity",
    setup=_setup,
    candidates={"raw Decimal": raw_decimal, "facturlib lines": facturlib_lines},
    baseline="raw Decimal",
    size=50_000,
    quick_size=2_000,
)
