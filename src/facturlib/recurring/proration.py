"""Proration: the share of a period's price for part of the period, by a named day count.

. A price covers a *whole period* (a month, a quarter, a year); a
*used period* is the part being billed (a first or last partial period, the rest
of a period after a plan change). `prorate` gives ``amount × fraction``, rounded
once to the currency's minor unit under an explicit `RoundingPolicy`. The
denominator is always the whole period, also for a partial first or last period
under calendar anchoring. The fraction depends on the `DayCount`:

* ``ACTUAL_ACTUAL`` (per period): days used ÷ days in the whole period;
* ``ACTUAL_365`` (année civile): the price as a yearly amount × days used ÷ 365;
* ``ACTUAL_ACTUAL_ISDA``: like actual/365, but the days of each calendar year are
  divided by that year's length (``d_2023/365 + d_2024/366``);
* ``THIRTY_E_360`` (année commerciale): 30E/360 days, ``360(Y2−Y1) + 30(M2−M1) +
  min(D2, 30) − min(D1, 30)``, a month being 30 days and a year 360;
* ``NONE``: no proration, a partial period is billed as a whole one.

For the yearly conventions (actual/365, ISDA) the whole period's length in years
comes from its length in months (`facturlib.core.periods.whole_months`); a whole
period that is not a whole number of months (weeks) counts its own days.

Worked figures, €200 a month started on 24 March 2025:

>>> from datetime import date
>>> from facturlib.core.money import to_money
>>> march = Period(date(2025, 3, 1), date(2025, 4, 1))
>>> stub = Period(date(2025, 3, 24), date(2025, 4, 1))
>>> monthly = to_money("200.00", "EUR")
>>> [prorate(monthly, march, stub, dc).amount for dc in
...  (DayCount.ACTUAL_ACTUAL, DayCount.ACTUAL_365, DayCount.THIRTY_E_360)]
[Decimal('51.61'), Decimal('52.60'), Decimal('46.67')]

`split_over` divides an amount over sub-periods in proportion to their day-count
measure with `facturlib.core.money.allocate`, so the parts always sum to the whole:

>>> april = Period(date(2025, 4, 1), date(2025, 5, 1))
>>> split_over(to_money("100.00", "EUR"), april.split(date(2025, 4, 11), date(2025, 4, 21)))
(Money('33.34', 'EUR'), Money('33.33', 'EUR'), Money('33.33', 'EUR'))
"""

from __future__ import annotations

import decimal
import enum
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction

from moneyed import Money

from facturlib.core._validators import check_date, check_instance, items_of
from facturlib.core.errors import ScheduleError
from facturlib.core.money import DEFAULT_ROUNDING, RoundingPolicy, allocate
from facturlib.core.periods import Period, whole_months

__all__ = ["DayCount", "prorate", "split_over", "thirty_e_360_days"]

#: Enough digits that amount × fraction is exact before the one rounding.
_EXACT = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_EVEN)


_ROUNDING_HINT = "pass a facturlib.RoundingPolicy, e.g. RoundingPolicy()"


def thirty_e_360_days(start: date, end: date) -> int:
    """Days from *start* to *end* under 30E/360 ("année commerciale").

    >>> from datetime import date
    >>> thirty_e_360_days(date(2025, 3, 24), date(2025, 5, 1))
    37

    .. versionadded:: 0.1
    """
    check_date(start, "start", error=ScheduleError)
    check_date(end, "end", error=ScheduleError)
    return _thirty_e_360(start, end)


def _thirty_e_360(start: date, end: date) -> int:
    return (
        360 * (end.year - start.year)
        + 30 * (end.month - start.month)
        + min(end.day, 30)
        - min(start.day, 30)
    )


def _isda_years(period: Period) -> Fraction:
    """Σ over calendar years of (days in that year ÷ that year's length)."""
    total = Fraction(0)
    day = period.start
    while day < period.end:
        next_year = date(day.year + 1, 1, 1)
        stop = min(next_year, period.end)
        length = (next_year - date(day.year, 1, 1)).days
        total += Fraction((stop - day).days, length)
        day = stop
    return total


class DayCount(enum.Enum):
    """A day-count convention for prorating.

    .. versionadded:: 0.1
    """

    ACTUAL_ACTUAL = "actual/actual"
    ACTUAL_365 = "actual/365"
    ACTUAL_ACTUAL_ISDA = "actual/actual-isda"
    THIRTY_E_360 = "30E/360"
    NONE = "none"

    def measure(self, period: Period) -> int:
        """The days of *period* this convention counts (30E/360 days, else actual days)."""
        if self is DayCount.THIRTY_E_360:
            return _thirty_e_360(period.start, period.end)
        return period.days

    def fraction(self, whole: Period, used: Period) -> Fraction:
        """The exact share of *whole*'s price that *used* is worth.

        *used* is normally inside *whole*, but need not be: a long first period
        (``[24 Mar, 1 May)`` at a monthly price) gives a fraction above 1.

        Raises:
            ScheduleError: the whole period has no 30E/360 day (e.g. 30–31 March).
        """
        if used == whole or self is DayCount.NONE:
            return Fraction(1)
        share = self._fraction(whole, used)
        # A part is never worth more than the whole (30E/360 can count 32 days in a
        # month-end anchored month, [28 Feb, 31 Mar)).
        return min(share, Fraction(1)) if whole.covers(used) else share

    def _fraction(self, whole: Period, used: Period) -> Fraction:
        if self is DayCount.ACTUAL_ACTUAL:
            return Fraction(used.days, whole.days)
        months = whole_months(whole)
        if self is DayCount.THIRTY_E_360:
            denominator = 30 * months if months else self.measure(whole)
            if denominator <= 0:
                raise ScheduleError(
                    "the whole period counts no day under 30E/360",
                    field="whole",
                    value=whole,
                    hint="use DayCount.ACTUAL_ACTUAL for periods this short",
                )
            return Fraction(self.measure(used), denominator)
        if self is DayCount.ACTUAL_365:
            years = Fraction(months, 12) if months else Fraction(whole.days, 365)
            return Fraction(used.days, 365) / years
        years = Fraction(months, 12) if months else _isda_years(whole)
        return _isda_years(used) / years


def _is_period(value: object, field: str) -> Period:
    if not isinstance(value, Period):
        raise ScheduleError(
            f"expected a Period, got {type(value).__name__}",
            field=field,
            value=value,
            hint="build it with facturlib.Period(start, end) (end excluded)",
        )
    return value


def _is_money(value: object, field: str) -> Money:
    if not isinstance(value, Money):
        raise ScheduleError(
            f"expected Money, got {type(value).__name__}",
            field=field,
            value=value,
            hint='build it with facturlib.to_money("200.00", "EUR")',
        )
    return value


def _is_day_count(value: object) -> DayCount:
    if not isinstance(value, DayCount):
        raise ScheduleError(
            f"expected a DayCount, got {type(value).__name__}",
            field="day_count",
            value=value,
            hint="use e.g. facturlib.DayCount.ACTUAL_ACTUAL",
        )
    return value


def prorate(
    amount: Money,
    whole: Period,
    used: Period,
    day_count: DayCount = DayCount.ACTUAL_ACTUAL,
    *,
    rounding: RoundingPolicy = DEFAULT_ROUNDING,
) -> Money:
    """The share of *amount*, the price of *whole*, that *used* is worth.

    Args:
        amount: the price of the whole period.
        whole: the whole period the price is for (the denominator).
        used: the period billed.
        day_count: the convention (default actual/actual per period).
        rounding: how the result is rounded to the currency's minor unit (once).

    Returns:
        *amount* itself when *used* is *whole*, else ``amount × fraction`` rounded.

    Raises:
        ScheduleError: an argument of the wrong type; a 30E/360 whole period of no day.

    >>> from datetime import date
    >>> from facturlib.core.money import to_money
    >>> year = Period(date(2025, 1, 1), date(2026, 1, 1))
    >>> prorate(to_money("1200.00", "EUR"), year, Period(date(2025, 1, 10), date(2025, 2, 1)),
    ...         DayCount.THIRTY_E_360)
    Money('70.00', 'EUR')

    .. versionadded:: 0.1
    """
    check_instance(rounding, RoundingPolicy, "rounding", error=ScheduleError, hint=_ROUNDING_HINT)
    _is_money(amount, "amount")
    _is_period(whole, "whole")
    _is_period(used, "used")
    share = _is_day_count(day_count).fraction(whole, used)
    if share == 1:
        return amount
    exact = _EXACT.divide(
        _EXACT.multiply(amount.amount, Decimal(share.numerator)), Decimal(share.denominator)
    )
    return Money(rounding.round(exact, amount.currency), amount.currency)


def split_over(
    amount: Money, parts: Sequence[Period], day_count: DayCount = DayCount.ACTUAL_ACTUAL
) -> tuple[Money, ...]:
    """Split *amount* over *parts* in proportion to their day-count measure, exactly.

    The weights are the parts' actual days (30E/360 days for ``THIRTY_E_360``; actual
    days again if every part counts zero 30E/360 days); `facturlib.core.money.allocate`
    makes the parts sum to *amount*.

    Raises:
        ScheduleError: no parts, or a part that is not a `Period`.

    .. versionadded:: 0.1
    """
    parts = items_of(parts, Period, "parts", error=ScheduleError)
    _is_money(amount, "amount")
    items = tuple(_is_period(p, f"parts[{i}]") for i, p in enumerate(parts))
    if not items:
        raise ScheduleError("nothing to split over", field="parts", value=(), hint="give periods")
    weights = [_is_day_count(day_count).measure(p) for p in items]
    if not any(weights):
        weights = [p.days for p in items]
    return allocate(amount, weights)
