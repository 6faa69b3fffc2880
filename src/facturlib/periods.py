"""Half-open date periods ``[start, end)``.

A `Period` covers every day from ``start`` up to, but not including, ``end``
(STYLE.md "Dates"), so consecutive periods tile with no gap and no overlap and
``days`` is a plain subtraction. EN 16931 prints service periods with an
*inclusive* end date (BT-134/BT-135, BT-73/BT-74): `Period.last_day` gives it,
and `Period.inclusive` builds a period from one.

>>> from datetime import date
>>> march = Period(start=date(2025, 3, 1), end=date(2025, 4, 1))
>>> march.days, march.last_day
(31, datetime.date(2025, 3, 31))
>>> Period.inclusive(date(2025, 3, 24), date(2025, 3, 31)).days
8
"""

from __future__ import annotations

from datetime import date, timedelta

import attrs

from facturlib._validators import is_date
from facturlib.errors import InvalidValue

__all__ = ["Period"]


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
