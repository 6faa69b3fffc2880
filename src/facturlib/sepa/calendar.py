"""TARGET business days and the earliest date a direct debit can be collected.

SEPA direct debits settle on TARGET2 business days: every day but Saturdays,
Sundays, 1 January, Good Friday, Easter Monday, 1 May, 25 and 26 December (ECB,
TARGET2 closing days). Easter is computed (`dateutil.easter`, western), so the
calendar holds for any year.

A collection requested for day D must reach the debtor's bank by D−1 TARGET day,
for every sequence type since the SDD Core rulebook v9 (November 2016; it was D−5
for FRST/OOFF and D−2 for RCUR before). The creditor's own bank asks for the file
earlier (its *lead time*, in TARGET days), and the debtor must have been told of
the amount and date 14 calendar days ahead (pre-notification, rulebook 4.5.3 PT-03),
unless a shorter period was agreed. `earliest_collection_date` combines the three;
`check_collection_date` reports a date that cannot be met with the first one that can.

>>> from datetime import date
>>> is_target_day(date(2025, 4, 18)), is_target_day(date(2025, 4, 22))  # Good Friday, Tuesday
(False, True)
>>> earliest_collection_date(submitted_on=date(2025, 4, 17))  # Thursday before Easter
datetime.date(2025, 4, 22)

.. versionadded:: 0.2
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from dateutil.easter import easter

from facturlib.core._validators import check_date, check_int
from facturlib.core.errors import Problem, SepaError

__all__ = [
    "add_target_days",
    "check_collection_date",
    "earliest_collection_date",
    "is_target_day",
    "next_target_day",
]

_ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=64)
def _closed(year: int) -> frozenset[date]:
    sunday = easter(year)
    return frozenset(
        {
            date(year, 1, 1),
            sunday - timedelta(days=2),
            sunday + timedelta(days=1),
            date(year, 5, 1),
            date(year, 12, 25),
            date(year, 12, 26),
        }
    )


def is_target_day(day: date) -> bool:
    """Whether TARGET2 settles on *day* (a weekday that is no TARGET holiday).

    >>> is_target_day(date(2026, 12, 26)), is_target_day(date(2026, 12, 28))
    (False, True)

    .. versionadded:: 0.2
    """
    check_date(day, "day", error=SepaError)
    if day.weekday() >= 5:
        return False
    return day not in _closed(day.year)


def next_target_day(day: date) -> date:
    """*day* if it is a TARGET day, else the next one.

    >>> next_target_day(date(2025, 12, 25))
    datetime.date(2025, 12, 29)

    .. versionadded:: 0.2
    """
    check_date(day, "day", error=SepaError)
    try:
        while not is_target_day(day):
            day += _ONE_DAY
    except OverflowError:
        raise SepaError(
            "no TARGET day follows this date in the calendar",
            field="day",
            value=day,
            hint="pass a date before 9999-12-31",
        ) from None
    return day


def add_target_days(day: date, days: int) -> date:
    """The TARGET day *days* TARGET days after *day* (``days >= 0``); with 0, the next
    TARGET day on or after *day*.

    >>> add_target_days(date(2025, 4, 17), 1)  # Thursday + 1 over Easter
    datetime.date(2025, 4, 22)

    .. versionadded:: 0.2
    """
    check_int(days, "days", minimum=0, error=SepaError)
    result = next_target_day(day)
    try:
        for _ in range(days):
            result = next_target_day(result + _ONE_DAY)
        return result
    except OverflowError:
        raise SepaError(
            "no TARGET day follows this date in the calendar",
            field="day",
            value=day,
            hint="pass a date before 9999-12-31",
        ) from None


def earliest_collection_date(
    *,
    submitted_on: date,
    lead_days: int = 1,
    notified_on: date | None = None,
    notice_days: int = 14,
) -> date:
    """The first date a collection can be requested for.

    Args:
        submitted_on: the day the file reaches the creditor's bank (a day after its
            cut-off time counts as the next day).
        lead_days: TARGET days the file must precede the collection: 1 is the
            rulebook's D−1; pass the creditor bank's own lead time when longer.
        notified_on: the day the debtor was told of the amount and date
            (pre-notification), if that constrains the date.
        notice_days: the pre-notification period in calendar days (14 unless a
            shorter one was agreed with the debtor).

    Returns:
        The earliest TARGET day meeting every deadline.

    Raises:
        SepaError: dates that are not dates, a lead time below 1, a negative notice.

    >>> earliest_collection_date(submitted_on=date(2025, 3, 3), lead_days=2,
    ...                          notified_on=date(2025, 3, 1))
    datetime.date(2025, 3, 17)

    .. versionadded:: 0.2
    """
    check_date(submitted_on, "submitted_on", error=SepaError)
    check_date(notified_on, "notified_on", optional=True, error=SepaError)
    check_int(lead_days, "lead_days", minimum=1, error=SepaError)
    check_int(notice_days, "notice_days", minimum=0, error=SepaError)
    earliest = add_target_days(submitted_on, lead_days)
    if notified_on is not None:
        try:
            notice_end = notified_on + timedelta(days=notice_days)
        except OverflowError:
            raise SepaError(
                "the notice period runs past the end of the calendar",
                field="notified_on",
                value=notified_on,
                hint="pass a real notification date",
            ) from None
        earliest = max(earliest, next_target_day(notice_end))
    return earliest


def check_collection_date(
    collection_date: date,
    *,
    submitted_on: date,
    lead_days: int = 1,
    notified_on: date | None = None,
    notice_days: int = 14,
) -> tuple[Problem, ...]:
    """The problems of requesting a collection for *collection_date* (empty when none).

    A date that is no TARGET day, or earlier than `earliest_collection_date`, is
    reported together with the first date that can be met.

    >>> [p.message for p in check_collection_date(date(2025, 4, 21),
    ...                                           submitted_on=date(2025, 4, 17))]
    ['2025-04-21 is not a TARGET business day; the first date that can be met is 2025-04-22']

    .. versionadded:: 0.2
    """
    check_date(collection_date, "collection_date", error=SepaError)
    earliest = earliest_collection_date(
        submitted_on=submitted_on,
        lead_days=lead_days,
        notified_on=notified_on,
        notice_days=notice_days,
    )
    problems = []
    first = max(earliest, next_target_day(collection_date))
    if not is_target_day(collection_date):
        problems.append(
            Problem(
                code="not-target-day",
                message=f"{collection_date} is not a TARGET business day; "
                f"the first date that can be met is {first}",
                reference=collection_date.isoformat(),
            )
        )
    elif collection_date < earliest:
        problems.append(
            Problem(
                code="too-early",
                message=f"{collection_date} cannot be met (file on {submitted_on}, "
                f"{lead_days} TARGET day(s) lead"
                + (
                    f", debtor notified on {notified_on} with {notice_days} days' notice"
                    if notified_on is not None
                    else ""
                )
                + f"); the first date that can be met is {earliest}",
                reference=collection_date.isoformat(),
            )
        )
    return tuple(problems)
