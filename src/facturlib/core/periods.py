"""Half-open date periods ``[start, end)``, periodicities and billing grids.

A `Period` covers every day from ``start`` up to, but not including, ``end``,
so consecutive periods tile with no gap and no overlap and
``days`` is a plain subtraction. EN 16931 prints service periods with an
*inclusive* end date (BT-134/BT-135, BT-73/BT-74): `Period.last_day` gives it,
and `Period.inclusive` builds a period from one.

>>> from datetime import date
>>> march = Period(start=date(2025, 3, 1), end=date(2025, 4, 1))
>>> march.days, march.last_day
(31, datetime.date(2025, 3, 31))
>>> Period.inclusive(date(2025, 3, 24), date(2025, 3, 31)).days
8

A `Periodicity` says how long a billing period is: a number of weeks or months
(`WEEKLY`, `MONTHLY`, `BIMONTHLY`, `QUARTERLY`, `SEMIANNUAL`, `ANNUAL` or any
multiple, e.g. ``Periodicity(count=18)``). A `PeriodGrid` lays periods end to
end from an *anchor*: boundary *k* is always computed from the anchor
(``anchor + k × periodicity``, as `dateutil.relativedelta` adds months), never by chaining
additions, so the anchor day is remembered. End-of-month rule (C. proc. civ. 641):
a term in months ends on the same day number, or on the last
day of the month when that month is shorter; a 31st anchor gives 31 Jan → 29 Feb
→ 31 Mar → 30 Apr, and a 29 February yearly anchor gives 28 February in common
years and 29 February again in leap years.

>>> grid = PeriodGrid(anchor=date(2024, 1, 31), periodicity=MONTHLY)
>>> [grid.boundary(k).isoformat() for k in range(4)]
['2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30']
>>> leap = PeriodGrid(anchor=date(2024, 2, 29), periodicity=ANNUAL)
>>> [leap.boundary(k).isoformat() for k in range(5)]
['2024-02-29', '2025-02-28', '2026-02-28', '2027-02-28', '2028-02-29']

`Anchoring.CALENDAR` aligns the grid on the calendar (1st of the month, of the
quarter, of the year; Monday for weeks) so that a start inside a period gives a
partial first period; `Anchoring.ANNIVERSARY` anchors on the start date itself:

>>> quarters = PeriodGrid.for_start(date(2025, 2, 10), QUARTERLY, Anchoring.CALENDAR)
>>> pairs = quarters.periods(date(2025, 2, 10), count=2)
>>> [(p.start.isoformat(), p.end.isoformat()) for p, _ in pairs]
[('2025-02-10', '2025-04-01'), ('2025-04-01', '2025-07-01')]
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from fractions import Fraction

import attrs

from facturlib.core._trusted import unchecked
from facturlib.core._validators import check_instance, is_date, items_of, to_enum
from facturlib.core.errors import InvalidValue, ScheduleError

__all__ = [
    "ANNUAL",
    "BIMONTHLY",
    "MONTHLY",
    "QUARTERLY",
    "SEMIANNUAL",
    "WEEKLY",
    "Anchoring",
    "Period",
    "PeriodGrid",
    "PeriodUnit",
    "Periodicity",
    "tiles",
    "whole_months",
]


@attrs.frozen
class Period:
    """The days from *start* (included) to *end* (excluded).

    Raises:
        InvalidValue: if *end* is not after *start*.

    .. versionadded:: 0.1
    """

    start: date = attrs.field(validator=is_date)
    end: date = attrs.field(validator=is_date)

    def __attrs_post_init__(self) -> None:
        if self.end <= self.start:
            raise InvalidValue(
                "a period must end after it starts",
                field="end",
                value=self.end,
                hint=f"periods are half-open [start, end): end must be after {self.start}",
            )

    @classmethod
    def inclusive(cls, first_day: date, last_day: date) -> Period:
        """The period from *first_day* to *last_day*, both included."""
        return cls(first_day, last_day + timedelta(days=1))

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days

    @property
    def last_day(self) -> date:
        """The last day in the period (the inclusive end EN 16931 prints)."""
        return self.end - timedelta(days=1)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day < self.end

    def covers(self, other: Period) -> bool:
        """Whether every day of *other* is in this period.

        .. versionadded:: 0.1
        """
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share at least one day.

        >>> from datetime import date
        >>> january = Period(date(2025, 1, 1), date(2025, 2, 1))
        >>> january.overlaps(Period(date(2025, 2, 1), date(2025, 3, 1)))
        False

        .. versionadded:: 0.1
        """
        return self.start < other.end and other.start < self.end

    def intersection(self, other: Period) -> Period | None:
        """The days the two periods share, or ``None`` if they share none.

        .. versionadded:: 0.1
        """
        start, end = max(self.start, other.start), min(self.end, other.end)
        return _period(start=start, end=end) if start < end else None

    def split(self, *days: date) -> tuple[Period, ...]:
        """This period cut at *days*; cuts outside the period or on its start are ignored.

        >>> from datetime import date
        >>> april = Period(date(2025, 4, 1), date(2025, 5, 1))
        >>> [(p.start.day, p.days) for p in april.split(date(2025, 4, 16))]
        [(1, 15), (16, 15)]

        .. versionadded:: 0.1
        """
        cuts = sorted({d for d in days if self.start < d < self.end})
        edges = [self.start, *cuts, self.end]
        return tuple(Period(a, b) for a, b in itertools.pairwise(edges))


#: `Period` from a start and a later end already checked (see `facturlib.core._trusted`).
_period = unchecked(Period)


def tiles(periods: Iterable[Period], whole: Period | None = None) -> bool:
    """Whether *periods* follow each other with no gap and no overlap (and cover *whole*).

    >>> from datetime import date
    >>> tiles(Period(date(2025, 4, 1), date(2025, 5, 1)).split(date(2025, 4, 10)))
    True

    .. versionadded:: 0.1
    """
    periods = items_of(periods, Period, "periods", error=ScheduleError)
    check_instance(whole, Period, "whole", optional=True, error=ScheduleError)
    items = tuple(periods)
    if not items:
        return False
    if any(a.end != b.start for a, b in itertools.pairwise(items)):
        return False
    return whole is None or (items[0].start == whole.start and items[-1].end == whole.end)


def whole_months(period: Period) -> int | None:
    """The number of months *period* spans, if it is a whole number of months, else ``None``.

    A period is *n* months long when its end is its start plus *n* months under the
    end-of-month rule of this module (so ``[31 Jan, 29 Feb)`` and ``[29 Feb, 31 Mar)``
    are both one month, the latter for a 31st anchor).

    >>> from datetime import date
    >>> whole_months(Period(date(2024, 2, 29), date(2024, 3, 31)))
    1
    >>> whole_months(Period(date(2025, 3, 24), date(2025, 4, 1))) is None
    True

    .. versionadded:: 0.1
    """
    check_instance(period, Period, "period", error=ScheduleError)
    start, end = period.start, period.end
    n = (end.year - start.year) * 12 + end.month - start.month
    if n <= 0:
        return None
    if end == _add_months(start, n, start.day):
        return n
    start_is_month_end = (start + timedelta(days=1)).day == 1
    return n if start_is_month_end and end.day >= start.day else None


#: Days in each month of a common year.
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _add_months(anchor: date, months: int, day: int) -> date:
    """*anchor* moved by *months*, on day number *day* clamped to that month's length.

    The same date as ``anchor + relativedelta(months=months, day=day)``, computed
    directly: schedules call it for every boundary, and relativedelta's generality
    (normalising every unit, then replacing) costs several times more.

    >>> _add_months(date(2024, 1, 31), 1, 31), _add_months(date(2024, 2, 29), 12, 29)
    (datetime.date(2024, 2, 29), datetime.date(2025, 2, 28))

    Raises:
        ValueError: the result falls outside years 1–9999 (as relativedelta does).
    """
    year, month = divmod(anchor.year * 12 + anchor.month - 1 + months, 12)
    if day > 28:
        last = _MONTH_DAYS[month]
        if month == 1 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
            last = 29
        day = min(day, last)
    return date(year, month + 1, day)


class PeriodUnit(enum.Enum):
    """The unit a `Periodicity` counts in."""

    WEEK = "week"
    MONTH = "month"


def _positive_count(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ScheduleError(
            "a periodicity counts a whole number of weeks or months, at least 1",
            field="count",
            value=value,
            hint="e.g. Periodicity(count=3) for quarterly, "
            "Periodicity(count=2, unit=PeriodUnit.WEEK) for fortnightly",
        )


def _to_unit(value: PeriodUnit | str) -> PeriodUnit:
    return to_enum(value, PeriodUnit, "unit", error=ScheduleError)


@attrs.frozen(kw_only=True)
class Periodicity:
    """How long a billing period is: *count* weeks or months.

    >>> QUARTERLY.months, ANNUAL.per_year, WEEKLY.months
    (3, Fraction(1, 1), None)
    >>> MONTHLY * 18
    Periodicity(count=18, unit=<PeriodUnit.MONTH: 'month'>)

    .. versionadded:: 0.1
    """

    count: int = attrs.field(default=1, validator=_positive_count)
    unit: PeriodUnit = attrs.field(default=PeriodUnit.MONTH, converter=_to_unit)

    @property
    def months(self) -> int | None:
        """The length in months, or ``None`` for a periodicity in weeks."""
        return self.count if self.unit is PeriodUnit.MONTH else None

    @property
    def per_year(self) -> Fraction:
        """How many periods make a year (12 ÷ months; 365 ÷ 7 × weeks for weeks)."""
        if self.unit is PeriodUnit.MONTH:
            return Fraction(12, self.count)
        return Fraction(365, 7 * self.count)

    def __mul__(self, factor: int) -> Periodicity:
        """A periodicity *factor* times as long (``QUARTERLY * 2`` is semiannual)."""
        return Periodicity(count=self.count * factor, unit=self.unit)

    def shift(self, anchor: date, k: int, day: int | None = None) -> date:
        """*anchor* moved by *k* periods, always computed from *anchor*.

        Args:
            anchor: the date to count from.
            k: how many periods (may be negative).
            day: for months, the day number to keep (default ``anchor.day``), clamped to
                the month's length: a 31st anchor stays the 31st whenever the month has one.
        """
        if self.unit is PeriodUnit.WEEK:
            return anchor + timedelta(weeks=k * self.count)
        return _add_months(anchor, k * self.count, day or anchor.day)


WEEKLY = Periodicity(count=1, unit=PeriodUnit.WEEK)
MONTHLY = Periodicity(count=1)
BIMONTHLY = Periodicity(count=2)
QUARTERLY = Periodicity(count=3)
SEMIANNUAL = Periodicity(count=6)
ANNUAL = Periodicity(count=12)


class Anchoring(enum.Enum):
    """Where billing periods start.

    * ``ANNIVERSARY``: on the start date (or the billing day) and every period after it;
    * ``CALENDAR``: on calendar boundaries: the 1st of the month, of the quarter
      (January, April, July, October), of the half-year or of the year; Monday for weeks.
      A start inside a period gives a partial first period.

    .. versionadded:: 0.1
    """

    ANNIVERSARY = "anniversary"
    CALENDAR = "calendar"


def _is_periodicity(
    instance: object, attribute: attrs.Attribute[Periodicity], value: object
) -> None:
    if not isinstance(value, Periodicity):
        raise ScheduleError(
            f"expected a Periodicity, got {type(value).__name__}",
            field=attribute.name,
            value=value,
            hint="use facturlib.MONTHLY, QUARTERLY… or Periodicity(count=N)",
        )


def _is_day_number(instance: object, attribute: attrs.Attribute[int | None], value: object) -> None:
    _check_day_number(value, attribute.name)


def _check_day_number(value: object, field: str) -> None:
    if value is None:
        return
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 31:
        raise ScheduleError(
            "a billing day is a day of the month from 1 to 31",
            field=field,
            value=value,
            hint="31 bills on the last day of shorter months",
        )


@attrs.frozen(kw_only=True)
class PeriodGrid:
    """Periods laid end to end, boundary *k* being ``periodicity.shift(anchor, k, day)``.

    Attributes:
        anchor: a boundary of the grid; every other boundary is computed from it.
        periodicity: the length of a period.
        day: for monthly grids, the day number to keep (default ``anchor.day``); a
            ``31`` keeps the last day of shorter months.

    .. versionadded:: 0.1
    """

    anchor: date = attrs.field(validator=is_date)
    periodicity: Periodicity = attrs.field(validator=_is_periodicity)
    day: int | None = attrs.field(default=None, validator=_is_day_number)

    @classmethod
    def for_start(
        cls,
        start: date,
        periodicity: Periodicity,
        anchoring: Anchoring = Anchoring.ANNIVERSARY,
        billing_day: int | None = None,
    ) -> PeriodGrid:
        """The grid of a contract starting on *start*.

        Args:
            start: the first day of the contract.
            periodicity: the length of a period.
            anchoring: on the anniversary of *start*, or on calendar boundaries.
            billing_day: the day of the month periods start on (1–31), for monthly
                periodicities; by default *start*'s day (anniversary) or the 1st (calendar).

        Raises:
            ScheduleError: a billing day outside 1–31, or one with a weekly periodicity.
        """
        _check_day_number(billing_day, "billing_day")
        if periodicity.unit is PeriodUnit.WEEK:
            if billing_day is not None:
                raise ScheduleError(
                    "a billing day applies to periodicities in months",
                    field="billing_day",
                    value=billing_day,
                    hint="weekly periods start on the start date (anniversary) or on Mondays",
                )
            if anchoring is Anchoring.CALENDAR:
                return cls(anchor=start - timedelta(days=start.weekday()), periodicity=periodicity)
            return cls(anchor=start, periodicity=periodicity)
        if anchoring is Anchoring.CALENDAR:
            day = billing_day or 1
            first = date(start.year, 1, 1)
        else:
            day = billing_day or start.day
            first = date(start.year, start.month, 1)
        if cls is PeriodGrid and isinstance(periodicity, Periodicity):
            # Trusted (DESIGN.md): a date computed here, a checked Periodicity, and a day
            # that is a checked billing day or a date's day; the rest as the constructor.
            return _grid(anchor=_add_months(first, 0, day), periodicity=periodicity, day=day)
        return cls(anchor=_add_months(first, 0, day), periodicity=periodicity, day=day)

    def boundary(self, k: int) -> date:
        """Boundary *k* (0 is the anchor; negative values go back)."""
        return self.periodicity.shift(self.anchor, k, self.day)

    def index(self, day: date) -> int:
        """The *k* such that *day* is in ``[boundary(k), boundary(k + 1))``."""
        p = self.periodicity
        if p.unit is PeriodUnit.WEEK:
            return (day - self.anchor).days // (7 * p.count)
        months = (day.year - self.anchor.year) * 12 + day.month - self.anchor.month
        k = months // p.count
        while self.boundary(k) > day:
            k -= 1
        while self.boundary(k + 1) <= day:
            k += 1
        return k

    def period(self, k: int) -> Period:
        """The whole period *k*: ``[boundary(k), boundary(k + 1))``."""
        return Period(self.boundary(k), self.boundary(k + 1))

    def containing(self, day: date) -> Period:
        """The whole period of the grid that contains *day*."""
        return self.period(self.index(day))

    def iter_periods(self, start: date, end: date | None = None) -> Iterator[tuple[Period, Period]]:
        """``(period, whole period)`` pairs from *start*, clipped to ``[start, end)``.

        The first and last periods may be partial; the whole period is then the grid
        period that contains them (the denominator of a proration).
        Without *end* the iterator never stops.
        """
        p = self.periodicity
        if p.unit is PeriodUnit.MONTH:
            # Months: boundary k is month number base + k × step of the grid, on *day*
            # clamped (what `boundary` computes), located and generated inline.
            anchor, step = self.anchor, p.count
            day = self.day or anchor.day
            months = anchor.year * 12 + anchor.month - 1
            k = ((start.year * 12 + start.month - 1) - months) // step
            low = _add_months(anchor, k * step, day)
            while low > start:
                k -= 1
                low = _add_months(anchor, k * step, day)
            month = months + k * step
            while True:
                month += step
                year, m = divmod(month, 12)
                d = day
                if d > 28:
                    last_day = _MONTH_DAYS[m]
                    if m == 1 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
                        last_day = 29
                    if d > last_day:
                        d = last_day
                high = date(year, m + 1, d)
                if high > start:
                    break
                low = high
            while end is None or low < end:
                whole = _period(start=low, end=high)
                if low < start:
                    last = high if end is None or high <= end else end
                    yield _period(start=start, end=last), whole
                elif end is not None and end < high:
                    yield _period(start=low, end=end), whole
                else:
                    yield whole, whole
                low = high
                if end is not None and low >= end:
                    return
                month += step
                year, m = divmod(month, 12)
                d = day
                if d > 28:
                    last_day = _MONTH_DAYS[m]
                    if m == 1 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
                        last_day = 29
                    if d > last_day:
                        d = last_day
                high = date(year, m + 1, d)
            return
        k = self.index(start)
        low = self.boundary(k)
        while end is None or low < end:
            high = self.boundary(k + 1)
            # Boundaries increase, and start < high, low < end here: both periods are valid.
            whole = _period(start=low, end=high)
            first, last = max(low, start), high if end is None else min(high, end)
            yield (whole if (first, last) == (low, high) else _period(start=first, end=last)), whole
            k += 1
            low = high

    def periods(
        self, start: date, end: date | None = None, *, count: int | None = None
    ) -> tuple[tuple[Period, Period], ...]:
        """The first *count* ``(period, whole period)`` pairs from *start*, or all up to *end*.

        Raises:
            ScheduleError: neither *end* nor *count*, or *end* not after *start*.
        """
        if end is None and count is None:
            raise ScheduleError(
                "an open-ended grid has no last period",
                field="end",
                value=None,
                hint="give end= or count=",
            )
        if end is not None and end <= start:
            raise ScheduleError(
                "the end must come after the start",
                field="end",
                value=end,
                hint=f"give a date after {start} (periods are half-open [start, end))",
            )
        if count is None:
            return tuple(self.iter_periods(start, end))
        if type(count) is int:
            return tuple(itertools.islice(self.iter_periods(start, end), max(count, 0)))
        result: list[tuple[Period, Period]] = []
        for pair in self.iter_periods(start, end):
            if len(result) >= count:
                break
            result.append(pair)
        return tuple(result)


#: `PeriodGrid` from values `PeriodGrid.for_start` computed (see `facturlib.core._trusted`).
_grid = unchecked(PeriodGrid)
