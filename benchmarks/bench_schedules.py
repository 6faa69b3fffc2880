"""Workload ``schedules``: the billing schedules of monthly subscriptions, per period.

N subscriptions (default 100 000, quick 500) of one item at a random price, each
starting on a random day of 2020–2029 (so month ends and 29 February occur), on
their anniversary, for 12 monthly installments.

Candidates:

* ``ordinal`` (baseline, the limit): per subscription, the 13 boundaries computed from
  the month count ``year × 12 + month`` (the day clamped to the month's length) and
  the 12 periods between them as tuples, their days by date subtraction;
* ``raw relativedelta`` (the peer): the same with ``start + relativedelta(months=k)``;
* ``facturlib periods``: `PeriodGrid.for_start(...).periods(start, count=12)`, the
  billing periods and their whole periods as `Period` values;
* ``facturlib schedule``: `facturlib.schedule()`, the 12 draft `Invoice`s with their
  lines, dates, due dates, periods and references (what an application stores).

Each candidate returns (number of periods, Σ days billed); they must agree.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from harness import Inputs, Workload
from moneyed import Money

from facturlib import (
    FR_STANDARD,
    MONTHLY,
    PeriodGrid,
    Product,
    Subscription,
    SubscriptionItem,
    currency,
    schedule,
)
from facturlib.testing.builders import sample_buyer, sample_seller

__all__ = ["PERIODS_PER_SUBSCRIPTION", "SCHEDULES", "make_data"]

PERIODS_PER_SUBSCRIPTION = 12
SEED = 42
_EUR = currency("EUR")

Result = tuple[int, int]


@dataclass(frozen=True)
class ScheduleData:
    """The start dates and the subscriptions; built once, outside the timed region."""

    starts: tuple[date, ...]
    subscriptions: tuple[Subscription, ...]


def make_data(count: int, seed: int = SEED) -> ScheduleData:
    """*count* monthly subscriptions from a seeded generator."""
    rng = random.Random(seed)
    seller, buyer = sample_seller(), sample_buyer()
    first = date(2020, 1, 1)
    starts = []
    subscriptions = []
    for index in range(count):
        start = first + timedelta(days=rng.randrange(3653))
        price = Decimal(rng.randint(500, 50_000)).scaleb(-2)
        product = Product(name="Abonnement", unit_price=Money(price, _EUR), vat=FR_STANDARD)
        starts.append(start)
        subscriptions.append(
            Subscription(
                reference=f"ABO-{index}",
                seller=seller,
                buyer=buyer,
                currency=_EUR,
                items=(SubscriptionItem(product=product),),
                start=start,
                installments=PERIODS_PER_SUBSCRIPTION,
            )
        )
    return ScheduleData(starts=tuple(starts), subscriptions=tuple(subscriptions))


def _setup(size: int) -> Inputs:
    return Inputs(data=make_data(size), units=size * PERIODS_PER_SUBSCRIPTION)


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def ordinal(data: ScheduleData) -> Callable[[], Result]:
    """The limit: boundaries from month counts, periods as tuples of dates."""
    starts = data.starts
    month_days = _MONTH_DAYS

    def run() -> Result:
        periods = days = 0
        n = PERIODS_PER_SUBSCRIPTION
        for start in starts:
            day = start.day
            base = start.year * 12 + start.month - 1
            low = start
            for k in range(1, n + 1):
                year, month = divmod(base + k, 12)
                d = day
                if d > 28:
                    last = month_days[month]
                    if month == 1 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
                        last = 29
                    d = min(d, last)
                high = date(year, month + 1, d)
                period = (low, high)
                periods += 1
                days += (period[1] - period[0]).days
                low = high
        return periods, days

    return run


def raw_relativedelta(data: ScheduleData) -> Callable[[], Result]:
    """The peer: boundaries from the start with relativedelta, periods as tuples."""
    starts = data.starts

    def run() -> Result:
        periods = days = 0
        n = PERIODS_PER_SUBSCRIPTION
        for start in starts:
            bounds = [start + relativedelta(months=k) for k in range(n + 1)]
            for low, high in itertools.pairwise(bounds):
                periods += 1
                days += (high - low).days
        return periods, days

    return run


def facturlib_periods(data: ScheduleData) -> Callable[[], Result]:
    """facturlib's period engine: PeriodGrid.periods()."""
    starts = data.starts

    def run() -> Result:
        periods = days = 0
        for start in starts:
            for billed, _whole in PeriodGrid.for_start(start, MONTHLY).periods(
                start, count=PERIODS_PER_SUBSCRIPTION
            ):
                periods += 1
                days += billed.days
        return periods, days

    return run


def facturlib_schedule(data: ScheduleData) -> Callable[[], Result]:
    """facturlib.schedule(): the draft invoices."""
    subscriptions = data.subscriptions

    def run() -> Result:
        periods = days = 0
        for subscription in subscriptions:
            for draft in schedule(subscription):
                periods += 1
                days += draft.period.days  # type: ignore[union-attr]
        return periods, days

    return run


SCHEDULES = Workload(
    name="schedules",
    unit="period",
    description=(
        f"schedules of monthly subscriptions × {PERIODS_PER_SUBSCRIPTION} periods, per period"
    ),
    setup=_setup,
    candidates={
        "ordinal": ordinal,
        "relativedelta": raw_relativedelta,
        "PeriodGrid.periods": facturlib_periods,
        "schedule": facturlib_schedule,
    },
    baseline="ordinal",
    size=100_000,
    quick_size=500,
    targets={"PeriodGrid.periods": 3.0, "schedule": 10.0},
)
