"""Late-payment penalties under French law: late interest and the €40 indemnity.

Between businesses, penalties are due **without any reminder from the day after
the due date** (C. com. L441-10 II). The rate is the contractual one — at least
three times the legal interest rate — or by default the ECB main refinancing
(MRO) rate **plus 10 points**, taking the MRO in force on 1 January for the first
half-year and on 1 July for the second. A **€40 fixed indemnity** for recovery
costs is due per late invoice (D441-5). Interest is simple, actual days over 365
(DOMAIN.md §8): ``round(amount × rate × days_late / 365)``, with
``days_late = payment date − due date``.

Reference rates change twice a year and are **data**, never "today's rate" baked
into the code: pass a `ReferenceRates` (this module ships the historical
DOMAIN.md §8 table as `FR_REFERENCE_RATES`; add later half-years yourself). When
lateness spans 1 January or 1 July, days are split by half-year by default, or
charged at the due date's half-year rate with ``split=RateSplit.DUE_DATE``
(sources disagree, DOMAIN.md "Known uncertainties").

The DOMAIN.md §8 example — 7 800.00 due 2025-03-31, paid 2025-05-15:

>>> from datetime import date
>>> from facturlib.core.money import to_money
>>> at = lambda rate: PenaltyPolicy(rate=rate)
>>> late_interest(to_money("7800.00", "EUR"), date(2025, 3, 31), date(2025, 5, 15),
...               at("12.15")).interest
Money('116.84', 'EUR')
>>> late_interest(to_money("7800.00", "EUR"), date(2025, 3, 31), date(2025, 5, 15),
...               at("7.86")).interest
Money('75.59', 'EUR')
>>> FR_REFERENCE_RATES.default_rate(date(2025, 8, 1))
Decimal('12.15')

.. versionadded:: 0.1
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal

import attrs
from moneyed import Currency, Money

from facturlib.core._trusted import unchecked
from facturlib.core._validators import (
    as_tuple,
    check_date,
    check_instance,
    instance_of,
    is_date,
    is_decimal,
    is_int,
    is_money,
    items_of,
    to_decimal,
    to_enum,
    tuple_of,
)
from facturlib.core.documents import Invoice
from facturlib.core.errors import PaymentError, Problem
from facturlib.core.money import DEFAULT_ROUNDING, RoundingPolicy, allocate, to_money
from facturlib.receivables.payments import Settlement, _schedule, _zero_in
from facturlib.receivables.terms import PaymentTerms, discount_mention

__all__ = [
    "FR_REFERENCE_RATES",
    "HalfYearRate",
    "InterestPeriod",
    "LatePenalty",
    "PenaltyPolicy",
    "RateSplit",
    "ReferenceRates",
    "check_penalty_rate",
    "footer_mentions",
    "late_interest",
    "late_penalty",
    "penalties_owed",
]

Lang = Literal["fr", "en"]
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


def _percent(value: Any) -> Decimal:
    return to_decimal(value, "rate")


def _optional_percent(value: Any) -> Decimal | None:
    return None if value is None else to_decimal(value, "rate")


def _half_of(day: date) -> tuple[int, int]:
    return day.year, 1 if day.month <= 6 else 2


@attrs.frozen(kw_only=True)
class HalfYearRate:
    """The reference rates of one half-year, in percent a year.

    Attributes:
        year: the year.
        half: 1 (January–June, MRO in force on 1 January) or 2 (July–December, on 1 July).
        mro: the ECB main refinancing operations rate.
        legal: the French legal interest rate for professional creditors, if known
            (a contractual rate must be at least three times it).

    .. versionadded:: 0.1
    """

    year: int = attrs.field(validator=is_int(minimum=1, error=PaymentError, hint="e.g. year=2025"))
    half: int = attrs.field()
    mro: Decimal = attrs.field(converter=_percent)
    legal: Decimal | None = attrs.field(default=None, converter=_optional_percent)

    @half.validator
    def _check_half(self, attribute: Any, value: int) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or value not in (1, 2):
            raise PaymentError(
                "a half-year is 1 or 2", field="half", value=value, hint="1: Jan–Jun, 2: Jul–Dec"
            )

    @property
    def start(self) -> date:
        """The first day of the half-year."""
        return date(self.year, 1 if self.half == 1 else 7, 1)


def _rates(value: Iterable[HalfYearRate]) -> tuple[HalfYearRate, ...]:
    rates = items_of(
        value,
        HalfYearRate,
        "rates",
        error=PaymentError,
        hint="e.g. [HalfYearRate(year=2025, half=1, mro='3.15')]",
    )
    seen = set()
    for i, rate in enumerate(rates):
        if (rate.year, rate.half) in seen:
            raise PaymentError(
                "a half-year is given twice", field=f"rates[{i}]", value=(rate.year, rate.half)
            )
        seen.add((rate.year, rate.half))
    return tuple(sorted(rates, key=lambda r: (r.year, r.half)))


@attrs.frozen(kw_only=True)
class ReferenceRates:
    """A table of half-year reference rates, supplied as data.

    Attributes:
        rates: one `HalfYearRate` per half-year.
        margin: the points added to the MRO for the default penalty rate (10).

    .. versionadded:: 0.1
    """

    rates: tuple[HalfYearRate, ...] = attrs.field(converter=_rates)
    margin: Decimal = attrs.field(default=Decimal(10), converter=_percent)

    def for_day(self, day: date) -> HalfYearRate:
        """The rates of the half-year *day* falls in.

        Raises:
            PaymentError: the table has no figure for that half-year.
        """
        year, half = _half_of(day)
        for rate in self.rates:
            if (rate.year, rate.half) == (year, half):
                return rate
        last = self.rates[-1] if self.rates else None
        covered = f" (the table ends with H{last.half} {last.year})" if last else ""
        month = "1 January" if half == 1 else "1 July"
        raise PaymentError(
            f"no reference rate for H{half} {year}{covered}",
            field="reference_rates",
            value=f"H{half} {year}",
            hint=f"add the ECB main refinancing rate in force on {month} {year} (ECB press "
            "release) and the French legal rate (arrêté fixing the taux de l'intérêt légal): "
            f"rates.with_rates(HalfYearRate(year={year}, half={half}, mro='…', legal='…')); "
            "facturlib never guesses a rate",
        )

    def default_rate(self, day: date) -> Decimal:
        """The default penalty rate on *day*: the half-year's MRO + the margin."""
        return self.for_day(day).mro + self.margin

    @property
    def last(self) -> HalfYearRate | None:
        """The latest half-year of the table, or ``None`` for an empty table.

        .. versionadded:: 0.2
        """
        return self.rates[-1] if self.rates else None

    def covers(self, day: date) -> bool:
        """Whether the table has the rates of *day*'s half-year.

        .. versionadded:: 0.2
        """
        return any((r.year, r.half) == _half_of(day) for r in self.rates)

    def with_rates(self, *rates: HalfYearRate) -> ReferenceRates:
        """A copy of the table with *rates* added, or replacing the same half-years.

        How users keep the table current, twice a year:

        >>> table = FR_REFERENCE_RATES.with_rates(HalfYearRate(year=2026, half=2, mro="2.15"))
        >>> table.default_rate(date(2026, 9, 1))
        Decimal('12.15')

        (2.15 is an example figure here, not the published rate.)

        .. versionadded:: 0.2
        """
        added = items_of(rates, HalfYearRate, "rates", error=PaymentError)
        new = {(r.year, r.half) for r in added}
        kept = [r for r in self.rates if (r.year, r.half) not in new]
        return attrs.evolve(self, rates=(*kept, *added))


#: H1 2023 to H1 2026: the ECB MRO in force on 1 January / 1 July (ECB press releases:
#: 4.50 % from 20 Sep 2023, 4.25 % from 12 Jun 2024, 3.15 % from 18 Dec 2024, 2.15 % from
#: 11 Jun 2025, held on 18 Dec 2025) and the legal rate for professional creditors (the
#: half-yearly arrêtés, e.g. 2.62 % for H1 2026, arrêté du 15 décembre 2025, JORF 26/12/2025).
#: Historical data, not "today's rate". The table ends where published sources end: a
#: later half-year raises `PaymentError` for the invoice concerned only, saying how to
#: add it with `ReferenceRates.with_rates`.
FR_REFERENCE_RATES = ReferenceRates(
    rates=(
        HalfYearRate(year=2023, half=1, mro="2.50", legal="2.06"),
        HalfYearRate(year=2023, half=2, mro="4.00", legal="4.22"),
        HalfYearRate(year=2024, half=1, mro="4.50", legal="5.07"),
        HalfYearRate(year=2024, half=2, mro="4.25", legal="4.92"),
        HalfYearRate(year=2025, half=1, mro="3.15", legal="3.71"),
        HalfYearRate(year=2025, half=2, mro="2.15", legal="2.76"),
        HalfYearRate(year=2026, half=1, mro="2.15", legal="2.62"),
    )
)


class RateSplit(enum.Enum):
    """How a lateness spanning 1 January or 1 July is charged (DOMAIN.md §8, uncertain).

    .. versionadded:: 0.1
    """

    #: each day at the rate of its own half-year (the default)
    BY_HALF_YEAR = "half_year"
    #: every day at the rate of the due date's half-year
    DUE_DATE = "due_date"


def _to_split(value: RateSplit | str) -> RateSplit:
    return to_enum(value, RateSplit, "split", error=PaymentError)


_POLICY_HINT = (
    "e.g. PenaltyPolicy(rate='12.15') or PenaltyPolicy(reference_rates=FR_REFERENCE_RATES)"
)


def _check_policy(policy: PenaltyPolicy, attribute: Any, value: Any) -> None:
    if policy.rate is None and policy.reference_rates is None:
        raise PaymentError(
            "a penalty policy needs a contractual rate or reference rates",
            field="rate",
            value=None,
            hint="pass rate=Decimal('12.15') or reference_rates=FR_REFERENCE_RATES "
            "(the default: ECB MRO + 10 points)",
        )
    if policy.rate is not None and policy.rate <= 0:
        raise PaymentError(
            "the penalty rate must be positive", field="rate", value=policy.rate, hint="e.g. 12.15"
        )
    if policy.indemnity is not None and (
        not isinstance(policy.indemnity, Money) or policy.indemnity.amount < 0
    ):
        raise PaymentError(
            "the fixed indemnity must be a Money ≥ 0, or None",
            field="indemnity",
            value=policy.indemnity,
            hint="the legal figure is to_money('40', 'EUR') (D441-5)",
        )


#: The fixed recovery indemnity per late invoice (C. com. D441-5).
_FR_INDEMNITY = to_money("40.00", "EUR")


@attrs.frozen(kw_only=True)
class PenaltyPolicy:
    """How late-payment penalties are computed.

    Attributes:
        rate: the contractual annual rate in percent; ``None`` (the default) for the
            legal default, the ECB MRO of the half-year + 10 points taken from
            *reference_rates* (C. com. L441-10 II).
        reference_rates: the half-year rates: the bundled `FR_REFERENCE_RATES` by
            default (since 0.2), or your own table (``FR_REFERENCE_RATES.with_rates(...)``).
        split: how lateness across 1 January / 1 July is charged (`RateSplit`).
        indemnity: the fixed recovery indemnity per late invoice (€40, D441-5);
            ``None`` where it is not due (a debtor in collective proceedings, B2C).
        day_basis: days in the year of the interest formula (365, DOMAIN.md §8).
        rounding: how the interest is rounded to the minor unit.

    .. versionadded:: 0.1
    """

    rate: Decimal | None = attrs.field(default=None, converter=_optional_percent)
    reference_rates: ReferenceRates | None = attrs.field(
        default=FR_REFERENCE_RATES,
        validator=instance_of(
            ReferenceRates, optional=True, error=PaymentError, hint="e.g. FR_REFERENCE_RATES"
        ),
    )
    split: RateSplit = attrs.field(default=RateSplit.BY_HALF_YEAR, converter=_to_split)
    indemnity: Money | None = _FR_INDEMNITY
    day_basis: int = attrs.field(
        default=365, validator=is_int(minimum=1, error=PaymentError, hint="e.g. 365")
    )
    rounding: RoundingPolicy = attrs.field(
        default=DEFAULT_ROUNDING,
        validator=[
            instance_of(RoundingPolicy, error=PaymentError, hint="e.g. facturlib.RoundingPolicy()"),
            _check_policy,
        ],
    )

    def annual_rate(self, day: date) -> Decimal:
        """The annual rate in percent charged for a late *day*."""
        if self.rate is not None:
            return self.rate
        assert self.reference_rates is not None  # guaranteed by the validator
        return self.reference_rates.default_rate(day)


@attrs.frozen(kw_only=True)
class InterestPeriod:
    """A run of late days charged at one rate on one overdue amount.

    Attributes:
        start: the first late day counted.
        end: the last late day counted (inclusive).
        days: the number of days, ``end − start + 1``.
        base: the overdue amount.
        rate: the annual rate in percent.
        amount: the interest of the period; the periods' amounts sum to the total.

    .. versionadded:: 0.1
    """

    start: date = attrs.field(validator=is_date)
    end: date = attrs.field(validator=is_date)
    days: int = attrs.field(validator=is_int(minimum=0, error=PaymentError))
    base: Money = attrs.field(validator=is_money(error=PaymentError))
    rate: Decimal = attrs.field(validator=is_decimal())
    amount: Money = attrs.field(validator=is_money(error=PaymentError))


@attrs.frozen(kw_only=True)
class LatePenalty:
    """The penalties of one late amount or invoice.

    Attributes:
        due_date: the (first) due date missed.
        until: the last day counted (the payment date, or the day of the computation).
        days_late: days from the due date to the last late day counted: the day the
            amount was paid off, or *until* (0 if not late).
        interest: the late interest, rounded once.
        indemnity: the fixed recovery indemnity, or ``None`` if not late or not due.
        periods: the `InterestPeriod`\\s the interest is made of.
        invoice_number: the invoice, when computed for one.

    .. versionadded:: 0.1
    """

    due_date: date = attrs.field(validator=is_date)
    until: date = attrs.field(validator=is_date)
    days_late: int = attrs.field(validator=is_int(minimum=0, error=PaymentError))
    interest: Money = attrs.field(validator=is_money(error=PaymentError))
    indemnity: Money | None = attrs.field(validator=is_money(optional=True, error=PaymentError))
    periods: tuple[InterestPeriod, ...] = attrs.field(
        converter=as_tuple, validator=tuple_of(InterestPeriod, error=PaymentError)
    )
    invoice_number: str | None = attrs.field(
        default=None, validator=instance_of(str, optional=True, error=PaymentError)
    )

    @property
    def total(self) -> Money:
        """The interest plus the indemnity (where in the same currency).

        .. versionadded:: 0.2
        """
        if self.indemnity is None or self.indemnity.currency != self.interest.currency:
            return self.interest
        return self.interest + self.indemnity

    def by_half_year(self) -> tuple[tuple[str, Money], ...]:
        """The interest per half-year, e.g. ``(("H1 2025", Money(...)), ...)``, in order.

        .. versionadded:: 0.2
        """
        sums: dict[tuple[int, int], Money] = {}
        for period in self.periods:
            key = _half_of(period.start)
            sums[key] = sums[key] + period.amount if key in sums else period.amount
        return tuple((f"H{h} {y}", amount) for (y, h), amount in sorted(sums.items()))


# `late_interest` and `late_penalty` build their results from arguments they checked and
# figures they computed (dates, ints, Money in one currency, Decimal rates, tuples), so
# they skip the checks meant for callers: both run over every installment of every
# invoice, in dunning runs and property tests. `test_bad_input` rebuilds a result with
# the checking constructor and compares.
_late_penalty = unchecked(LatePenalty)
_interest_period = unchecked(InterestPeriod)


def _boundaries(start: date, end: date, policy: PenaltyPolicy) -> list[date]:
    """Half-year starts strictly inside (start, end], when rates change there."""
    if policy.rate is not None or policy.split is RateSplit.DUE_DATE:
        return []
    found = []
    for year in range(start.year, end.year + 1):
        for month in (1, 7):
            day = date(year, month, 1)
            if start < day <= end:
                found.append(day)
    return found


_PAYMENT_HINT = 'pass (date, Money) pairs, e.g. [(date(2025, 5, 15), to_money("500.00", "EUR"))]'


def _paid(payments: object, cur: Currency) -> list[tuple[date, Decimal]]:
    """The ``(date, amount)`` of *payments*, checked: ``(date, Money)`` pairs in *cur*."""
    paid: list[tuple[date, Decimal]] = []
    for i, pair in enumerate(items_of(payments, tuple, "payments", error=PaymentError)):
        if len(pair) != 2:
            raise PaymentError(
                "expected a (date, Money) pair",
                field=f"payments[{i}]",
                value=pair,
                hint=_PAYMENT_HINT,
            )
        day, money = pair
        check_date(day, f"payments[{i}][0]", error=PaymentError)
        if not isinstance(money, Money):
            raise PaymentError(
                f"expected a Money, got {type(money).__name__}",
                field=f"payments[{i}][1]",
                value=money,
                hint=_PAYMENT_HINT,
            )
        if money.currency != cur:
            raise PaymentError(
                f"a payment in {money.currency.code} against an amount in {cur.code}",
                field=f"payments[{i}]",
                value=money,
                hint="give payments in the currency of the amount due",
            )
        paid.append((day, money.amount))
    return paid


def late_interest(
    amount: Money,
    due_date: date,
    until: date,
    policy: PenaltyPolicy,
    *,
    payments: Iterable[tuple[date, Money]] = (),
) -> LatePenalty:
    """Late interest on *amount* due on *due_date*, counted to *until* inclusive.

    Interest runs from the day after the due date (L441-10 II). A payment made on
    a day counts that day as late (``days_late = payment date − due date``) and
    lowers the overdue amount from the next day. The exact interest of every
    period is summed and rounded once, then spread back over the periods with
    `facturlib.core.money.allocate`, so the periods add up to the total.

    Args:
        amount: the amount due, positive.
        due_date: the due date.
        until: the last day to count: the payment date, or today.
        policy: the `PenaltyPolicy`.
        payments: ``(date, amount)`` payments of this amount, in any order.

    Returns:
        The `LatePenalty`, with the fixed indemnity when at least one day is late.

    Raises:
        PaymentError: a negative amount, a payment in another currency, a
            missing reference rate.

    Lateness across 1 July is split by half-year (H1 2025 MRO 3.15 + 10, H2 2.15 + 10):

    >>> from facturlib.core.money import to_money
    >>> policy = PenaltyPolicy(reference_rates=FR_REFERENCE_RATES)
    >>> p = late_interest(to_money("10000.00", "EUR"), date(2025, 6, 15), date(2025, 7, 15), policy)
    >>> [(x.days, x.rate, x.amount.amount) for x in p.periods], p.interest, p.indemnity
    ([(15, Decimal('13.15'), Decimal('54.04')), (15, Decimal('12.15'), Decimal('49.93'))],
     Money('103.97', 'EUR'), Money('40.00', 'EUR'))

    .. versionadded:: 0.1
    """
    if not isinstance(amount, Money) or amount.amount < 0:
        raise PaymentError(
            "the overdue amount must be a Money ≥ 0",
            field="amount",
            value=amount,
            hint='e.g. to_money("7800.00", "EUR")',
        )
    check_date(due_date, "due_date", error=PaymentError)
    check_date(until, "until", error=PaymentError)
    check_instance(policy, PenaltyPolicy, "policy", error=PaymentError, hint=_POLICY_HINT)
    cur = amount.currency
    paid = _paid(payments, cur)
    if until == date.max:
        raise PaymentError(
            "late days are counted up to a day before 31 December 9999",
            field="until",
            value=until,
            hint="pass the payment date, or the day of the computation",
        )
    periods: list[tuple[date, date, Decimal, Decimal, Decimal]] = []
    if until > due_date:
        first = due_date + timedelta(days=1)
        cuts = {first, until + timedelta(days=1)}
        cuts.update(_boundaries(first, until, policy))
        cuts.update(d + timedelta(days=1) for d, _ in paid if first <= d < until)
        ordered = sorted(cuts)
        for start, stop in itertools.pairwise(ordered):
            base = amount.amount - sum((m for d, m in paid if d < start), _ZERO)
            if base <= 0:
                break
            rate_day = start if policy.split is RateSplit.BY_HALF_YEAR else due_date
            rate = policy.annual_rate(rate_day)
            days = (stop - start).days
            exact = base * rate * days / (_HUNDRED * policy.day_basis)
            periods.append((start, stop - timedelta(days=1), base, rate, exact))
    total = policy.rounding.round(sum((p[4] for p in periods), _ZERO), cur)
    if total > 0:
        amounts = allocate(Money(total, cur), [p[4] for p in periods])
    else:
        amounts = tuple(Money(_zero_in(cur), cur) for _ in periods)
    late = bool(periods)
    # The last late day counted: the day the amount was paid off, or *until*.
    days_late = (periods[-1][1] - due_date).days if late else 0
    return _late_penalty(
        due_date=due_date,
        until=until,
        days_late=days_late,
        interest=Money(total, cur),
        indemnity=policy.indemnity if late else None,
        periods=tuple(
            _interest_period(
                start=p[0],
                end=p[1],
                days=(p[1] - p[0]).days + 1,
                base=Money(p[2], cur),
                rate=p[3],
                amount=a,
            )
            for p, a in zip(periods, amounts, strict=True)
        ),
    )


def late_penalty(
    invoice: Invoice,
    settlement: Settlement,
    policy: PenaltyPolicy,
    *,
    terms: PaymentTerms | None = None,
    until: date | None = None,
) -> LatePenalty:
    """The penalties of *invoice* to *until* (the settlement's date by default).

    Each installment (the whole amount on the due date BT-9 without *terms*) bears
    interest from the day after its date; the payments and credit notes
    allocated to the invoice settle the installments in date order. Payments not
    cleared yet are counted on their date (if rejected, the settlement after the
    reject no longer has them and interest runs again). A write-off
    (`facturlib.receivables.payments.WriteOff`) stops the interest from its date, like
    a payment. One fixed indemnity per late invoice.

    Args:
        invoice: an invoice of the settlement.
        settlement: from `facturlib.receivables.payments.settle`.
        policy: the `PenaltyPolicy`.
        terms: the invoice's payment terms, if paid in installments.
        until: the last day counted.

    Returns:
        The `LatePenalty` of the invoice.

    .. versionadded:: 0.1
    """
    check_instance(invoice, Invoice, "invoice", error=PaymentError, hint="pass an issued Invoice")
    check_instance(
        settlement, Settlement, "settlement", error=PaymentError, hint="pass what settle() returns"
    )
    check_instance(policy, PenaltyPolicy, "policy", error=PaymentError, hint=_POLICY_HINT)
    check_instance(terms, PaymentTerms, "terms", optional=True, error=PaymentError)
    check_date(until, "until", optional=True, error=PaymentError)
    number = str(invoice.number)
    settlement.invoice(number)  # raises if the invoice is not in the settlement
    day = until or settlement.on
    schedule = _schedule(invoice, terms)
    payments = [(a.date, a.amount.amount) for a in settlement.allocations_to(number)]
    cur = invoice.currency
    periods: list[InterestPeriod] = []
    interest = Money(_zero_in(cur), cur)
    late = False
    days_late = 0
    first_missed: date | None = None
    for installment in schedule:
        owed = installment.amount.amount
        mine: list[tuple[date, Money]] = []
        while owed > 0 and payments:
            paid_on, left = payments[0]
            used = min(owed, left)
            mine.append((paid_on, Money(used, cur)))
            owed -= used
            if used == left:
                payments.pop(0)
            else:
                payments[0] = (paid_on, left - used)
        penalty = late_interest(installment.amount, installment.date, day, policy, payments=mine)
        periods.extend(penalty.periods)
        interest = interest + penalty.interest
        if penalty.periods and first_missed is None:
            first_missed = installment.date
        late = late or bool(penalty.periods)
        days_late = max(days_late, penalty.days_late)
    # The first due date missed; an installment paid on time is not one.
    first_due = schedule[0].date if schedule else invoice.due_date or day
    return _late_penalty(
        due_date=first_missed or first_due,
        until=day,
        days_late=days_late,
        interest=interest,
        indemnity=policy.indemnity if late else None,
        periods=tuple(periods),
        invoice_number=number,
    )


def penalties_owed(
    invoice: Invoice,
    settlement: Settlement,
    *,
    policy: PenaltyPolicy | None = None,
    terms: PaymentTerms | None = None,
    on: date | None = None,
    collective_proceedings: bool = False,
) -> LatePenalty:
    """What this late invoice owes today in penalties: interest by half-year + indemnity.

    The one entry point for the question. Interest runs without any reminder from
    the day after each missed due date (C. com. L441-10 II) at the policy's rate —
    by default the legal one, the ECB MRO of each half-year + 10 points from the
    bundled `FR_REFERENCE_RATES`; the €40 recovery indemnity is due once per invoice
    paid late (D441-5), but not by a debtor in collective proceedings (L441-10 II).

    Args:
        invoice: an invoice of the settlement.
        settlement: from `facturlib.receivables.payments.settle`.
        policy: the `PenaltyPolicy`; ``PenaltyPolicy()`` (the legal default) if omitted.
        terms: the invoice's payment terms, if paid in installments.
        on: the last day counted; the settlement's date by default.
        collective_proceedings: the debtor is in safeguard, receivership or
            liquidation: no indemnity.

    Returns:
        The `LatePenalty`: ``interest``, ``indemnity``, ``total`` and ``by_half_year()``.

    Raises:
        PaymentError: the reference rates miss a half-year the lateness spans (the
            message says how to add it).

    >>> from facturlib.core.issuing import issue
    >>> from facturlib.core.numbering import SequenceState
    >>> from facturlib.testing.builders import sample_invoice, sample_scheme
    >>> draft = sample_invoice(due_date=date(2025, 6, 14))  # 1 440.00 TTC
    >>> invoice, _ = issue(draft, sample_scheme(), SequenceState(), on=date(2025, 5, 15))
    >>> from facturlib.receivables.payments import settle
    >>> owed = penalties_owed(invoice, settle([invoice], on=date(2025, 7, 14)))
    >>> owed.by_half_year(), owed.indemnity, owed.total
    ((('H1 2025', Money('8.30', 'EUR')), ('H2 2025', Money('6.71', 'EUR'))),
     Money('40.00', 'EUR'), Money('55.01', 'EUR'))

    By hand: 16 days of June at 3.15 + 10 = 13.15 %: 1 440 × 0.1315 × 16 / 365 = 8.30;
    14 days of July at 2.15 + 10 = 12.15 %: 1 440 × 0.1215 × 14 / 365 = 6.71.

    .. versionadded:: 0.2
    """
    check_instance(policy, PenaltyPolicy, "policy", optional=True, error=PaymentError)
    if not isinstance(collective_proceedings, bool):
        raise PaymentError(
            "collective_proceedings must be True or False",
            field="collective_proceedings",
            value=collective_proceedings,
        )
    policy = policy or PenaltyPolicy()
    if collective_proceedings:
        policy = attrs.evolve(policy, indemnity=None)
    return late_penalty(invoice, settlement, policy, terms=terms, until=on)


def check_penalty_rate(
    policy: PenaltyPolicy, on: date, rates: ReferenceRates = FR_REFERENCE_RATES
) -> tuple[Problem, ...]:
    """Report a contractual rate under three times the legal rate (L441-10 II).

    Args:
        policy: the policy to check; a policy on the default rate always passes.
        on: the day whose half-year's legal rate applies.
        rates: the table holding the legal rate.

    Returns:
        A `Problem` (code ``"rate_below_floor"``) if the rate is too low, else ``()``.

    >>> check_penalty_rate(PenaltyPolicy(rate=5), date(2025, 1, 10))[0].message
    'the contractual penalty rate 5 % is below 3 × the legal rate (3 × 3.71 = 11.13 %) ...'

    .. versionadded:: 0.1
    """
    check_instance(policy, PenaltyPolicy, "policy", error=PaymentError, hint=_POLICY_HINT)
    check_date(on, "on", error=PaymentError)
    check_instance(
        rates, ReferenceRates, "rates", error=PaymentError, hint="e.g. FR_REFERENCE_RATES"
    )
    if policy.rate is None:
        return ()
    legal = rates.for_day(on).legal
    if legal is None:
        raise PaymentError(
            "the reference rates have no legal rate for that half-year",
            field="legal",
            value=on,
            hint="give HalfYearRate(legal=...) for it",
        )
    floor = 3 * legal
    if policy.rate >= floor:
        return ()
    return (
        Problem(
            code="rate_below_floor",
            message=f"the contractual penalty rate {policy.rate} % is below 3 × the legal "
            f"rate (3 × {legal} = {floor} %) in force on {on} (C. com. L441-10 II)",
        ),
    )


def _rate_text(policy: PenaltyPolicy, lang: str) -> str:
    if policy.rate is not None:
        number = format(policy.rate.normalize(), "f")
        return f"{number.replace('.', ',')} %" if lang == "fr" else f"{number}%"
    if lang == "fr":
        return "le taux de refinancement de la BCE majoré de 10 points"
    return "the ECB refinancing rate plus 10 points"


def footer_mentions(
    policy: PenaltyPolicy, terms: PaymentTerms | None = None, *, lang: Lang = "fr"
) -> tuple[str, ...]:
    """The payment mentions of an invoice footer (L441-9 I; DOMAIN.md §1.1).

    The escompte conditions or their absence (FR CTC note ``AAB``), the penalty
    rate (``PMD``) and the €40 indemnity (``PMT``).

    >>> for line in footer_mentions(PenaltyPolicy(reference_rates=FR_REFERENCE_RATES)):
    ...     print(line)
    Pas d'escompte pour paiement anticipé.
    Pénalités de retard : le taux de refinancement de la BCE majoré de 10 points, exigibles
    sans rappel dès le lendemain de la date d'échéance (C. com. L441-10).
    Indemnité forfaitaire pour frais de recouvrement : 40,00 EUR par facture en retard
    (C. com. D441-5).

    .. versionadded:: 0.1
    """
    check_instance(policy, PenaltyPolicy, "policy", error=PaymentError, hint=_POLICY_HINT)
    if lang not in ("fr", "en"):
        raise PaymentError("unsupported language", field="lang", value=lang, hint='"fr" or "en"')
    mentions = [discount_mention(terms, lang=lang) + "."]
    rate = _rate_text(policy, lang)
    if lang == "fr":
        mentions.append(
            f"Pénalités de retard : {rate}, exigibles sans rappel dès le lendemain de la date "
            "d'échéance (C. com. L441-10)."
        )
    else:
        mentions.append(
            f"Late-payment interest: {rate}, due without reminder from the day after the "
            "due date (French Commercial Code L441-10)."
        )
    if policy.indemnity is not None:
        amount = format(policy.indemnity.amount, "f")
        code = policy.indemnity.currency.code
        if lang == "fr":
            mentions.append(
                f"Indemnité forfaitaire pour frais de recouvrement : {amount.replace('.', ',')} "
                f"{code} par facture en retard (C. com. D441-5)."
            )
        else:
            mentions.append(
                f"Fixed recovery compensation: {amount} {code} per late invoice "
                "(French Commercial Code D441-5)."
            )
    return tuple(mentions)
