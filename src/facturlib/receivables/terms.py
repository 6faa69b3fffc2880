"""Payment terms: when an invoice is due, in one payment or in installments.

Payment terms (conditions de paiement, EN 16931 BT-20) say how the due date
(BT-9) follows from the issue date (DOMAIN.md §7). A `PaymentTerms` value is
one or more `TermPart`\\s, each a share of the invoice (a percentage, a fixed
amount, or the balance) due by a `DueRule`:

* on receipt (à réception): due on the issue date; cash (comptant): due on the
  issue (delivery) date too, penalties from the next day;
* net N days (N jours date de facture): issue + N days;
* N days end of month (N jours fin de mois). The law accepts two computations
  and the caller must choose one (DOMAIN.md §7, "Known uncertainties"; there is
  no silent default): `EndOfMonth.A` ``eom(issue + N)``, `EndOfMonth.B`
  ``eom(issue) + N``, and `EndOfMonth.C`, the ERP reading of "30 jours fin de
  mois" as the end of the following month; "N jours fin de mois le X" then takes
  the next X of a month;
* at order (à la commande) and on a fixed date.

`due_schedule` turns terms into dated `Installment`\\s that sum exactly to the
invoice's amount due (BT-115): percentages are of the gross total (BT-112),
amounts already paid (BT-113) settle the earliest installments first, and the
last installment absorbs every rounding remainder. `check_terms` reports terms
over the legal caps of C. com. L441-10 I (60 days from issue, or 45 days end of
month) as `Problem`\\s. `parse_terms` reads the usual French and English
wordings, and `format_terms` writes terms back for a document. An
`EarlyPaymentDiscount` (escompte) is stated with its conditions, or its absence
with "Pas d'escompte pour paiement anticipé" (L441-9 I; FR CTC note ``AAB``).

The DOMAIN.md §7 table:

>>> from datetime import date
>>> rule = lambda n, convention: DueRule.end_of_month(n, convention)
>>> [rule(30, c).due_date(date(2023, 1, 31)).isoformat() for c in EndOfMonth.members()]
['2023-03-31', '2023-03-02', '2023-02-28']
>>> DueRule.net(60).due_date(date(2024, 12, 31))
datetime.date(2025, 3, 1)
>>> terms = parse_terms("30 % à la commande, solde à 30 jours fin de mois",
...                     end_of_month=EndOfMonth.B)
>>> format_terms(terms, lang="en")
'30% on order, balance 30 days end of month'
>>> parse_terms("45 jours fin de mois")
Traceback (most recent call last):
...
facturlib.core.errors.PaymentError: "N days end of month" needs an explicit convention ...

.. versionadded:: 0.1
"""

from __future__ import annotations

import calendar
import decimal
import enum
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal, NoReturn

import attrs
from dateutil.relativedelta import relativedelta
from moneyed import Money

from facturlib.core._codes import DocumentKind
from facturlib.core._display import money_text, pretty, summary_html
from facturlib.core._trusted import unchecked
from facturlib.core._validators import (
    as_tuple,
    check_bool,
    check_date,
    check_instance,
    check_int,
    is_date,
    is_money,
    is_optional_date,
    is_optional_text,
    items_of,
    optional_text,
    to_decimal,
    to_enum,
    tuple_of,
)
from facturlib.core.documents import Invoice
from facturlib.core.errors import CurrencyMismatch, InvalidValue, PaymentError, Problem
from facturlib.core.money import RoundingPolicy, _quantum, allocate, currency, minor_units
from facturlib.core.totals import VatBreakdown

__all__ = [
    "DueKind",
    "DueRule",
    "EarlyPaymentDiscount",
    "EndOfMonth",
    "Installment",
    "PaymentTerms",
    "TermPart",
    "check_terms",
    "discount_mention",
    "due_schedule",
    "early_payment_discount",
    "format_terms",
    "installment_vat",
    "parse_terms",
]

Lang = Literal["fr", "en"]
_HUNDRED = Decimal(100)
_ZERO = Decimal(0)


def end_of_month(day: date) -> date:
    """The last day of *day*'s month (private helper, also used by penalties)."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


class EndOfMonth(enum.Enum):
    """How "N jours fin de mois" is computed (DOMAIN.md §7; both A and B are accepted
    by the DGCCRF, so the caller chooses).

    * ``A`` (``DAYS_THEN_END_OF_MONTH``): ``eom(issue + N days)``;
    * ``B`` (``END_OF_MONTH_THEN_DAYS``): ``eom(issue) + N days``;
    * ``C`` (``END_OF_FOLLOWING_MONTH``): the ERP reading of "30 jours fin de mois"
      as ``eom(issue + 1 month)``; defined for 30 days only.

    .. versionadded:: 0.1
    """

    DAYS_THEN_END_OF_MONTH = "A"
    END_OF_MONTH_THEN_DAYS = "B"
    END_OF_FOLLOWING_MONTH = "C"
    A = "A"
    B = "B"
    C = "C"

    @classmethod
    def members(cls) -> tuple[EndOfMonth, ...]:
        """The three conventions, A, B, C."""
        return (cls.A, cls.B, cls.C)


class DueKind(enum.Enum):
    """The kinds of `DueRule`.

    .. versionadded:: 0.1
    """

    ON_RECEIPT = "on_receipt"
    CASH = "cash"
    NET = "net"
    END_OF_MONTH = "end_of_month"
    ON_ORDER = "on_order"
    FIXED_DATE = "fixed_date"
    #: at the signature of the quote or contract (à la signature), since 0.2
    ON_SIGNATURE = "on_signature"
    #: N months after the issue date (échéances mensuelles), since 0.2
    MONTHS = "months"
    #: N days or months after the previous part's due date (chained), since 0.2
    AFTER_PREVIOUS = "after_previous"


def _to_kind(value: DueKind | str) -> DueKind:
    return to_enum(value, DueKind, "kind", error=PaymentError)


def _to_convention(value: EndOfMonth | str | None) -> EndOfMonth | None:
    return None if value is None else to_enum(value, EndOfMonth, "convention", error=PaymentError)


def _check_rule(rule: DueRule, attribute: Any, value: Any) -> None:
    def fail(message: str, field: str, value: object, hint: str) -> None:
        raise PaymentError(message, field=field, value=value, hint=hint)

    if isinstance(rule.days, bool) or not isinstance(rule.days, int) or rule.days < 0:
        fail("days must be a whole number ≥ 0", "days", rule.days, "e.g. days=30")
    kind = rule.kind
    for name in ("months", "extra_days"):
        value = getattr(rule, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            fail(f"{name} must be a whole number ≥ 0", name, value, f"e.g. {name}=1")
    if kind in (DueKind.NET, DueKind.END_OF_MONTH, DueKind.AFTER_PREVIOUS):
        pass
    elif rule.days:
        fail(f"a {kind.value} rule takes no days", "days", rule.days, "use DueRule.net(n)")
    if rule.months and kind not in (DueKind.MONTHS, DueKind.AFTER_PREVIOUS):
        fail(
            f"a {kind.value} rule takes no months",
            "months",
            rule.months,
            "use DueRule.months(n) or DueRule.after_previous(months=n)",
        )
    if kind is DueKind.MONTHS and not rule.months:
        fail("a months rule needs at least one month", "months", 0, "DueRule.months(1)")
    if kind is DueKind.AFTER_PREVIOUS and not (rule.months or rule.days):
        fail(
            "a chained installment falls some days or months after the previous one",
            "days",
            0,
            "DueRule.after_previous(months=1) or DueRule.after_previous(days=30)",
        )
    if rule.extra_days and kind is not DueKind.END_OF_MONTH:
        fail(
            "only end-of-month rules take extra days",
            "extra_days",
            rule.extra_days,
            "DueRule.end_of_month(30, EndOfMonth.A, extra_days=10)",
        )
    if kind is DueKind.END_OF_MONTH:
        if rule.convention is None and rule.days:
            fail(
                '"N days end of month" needs an explicit convention',
                "convention",
                None,
                "pass EndOfMonth.A (eom(issue + N)), EndOfMonth.B (eom(issue) + N) "
                "or EndOfMonth.C (end of the following month); DOMAIN.md §7",
            )
        if rule.convention is EndOfMonth.C and rule.days != 30:
            fail(
                "convention C (end of the following month) reads only 30 days end of month",
                "days",
                rule.days,
                "use EndOfMonth.A or EndOfMonth.B for other numbers of days",
            )
    elif rule.convention is not None or rule.day_of_month is not None:
        fail(
            "only end-of-month rules take a convention or a day of month",
            "convention",
            rule.convention,
            "use DueRule.end_of_month(n, convention, day_of_month=...)",
        )
    day = rule.day_of_month
    if day is not None and (
        isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 31
    ):
        fail("the day of month must be 1…31", "day_of_month", rule.day_of_month, "e.g. 10")
    if (kind is DueKind.FIXED_DATE) != (rule.on is not None):
        fail("a fixed-date rule, and only it, has a date", "on", rule.on, "DueRule.fixed(date)")


@attrs.frozen(kw_only=True)
class DueRule:
    """When one share of an invoice is due, relative to the issue date.

    Build it with the named constructors: `on_receipt`, `cash`, `net`,
    `end_of_month`, `on_order`, `fixed`.

    Attributes:
        kind: the `DueKind`.
        days: N for net and end-of-month rules.
        convention: the `EndOfMonth` convention of an end-of-month rule; required
            unless ``days`` is 0 (plain "fin de mois", where A and B agree).
        day_of_month: X in "N jours fin de mois le X".
        on: the date of a fixed-date rule.
        months: N for `DueKind.MONTHS` and chained (`DueKind.AFTER_PREVIOUS`) rules;
            months are added with python-dateutil (31 January + 1 month = 28/29
            February) (``versionadded 0.2``).
        extra_days: M in "N jours fin de mois + M jours": the end of the month after
            N days (the rule's convention), then M days (``versionadded 0.2``).

    >>> DueRule.end_of_month(45, EndOfMonth.B).due_date(date(2025, 1, 15))
    datetime.date(2025, 3, 17)
    >>> DueRule.end_of_month(30, EndOfMonth.A, day_of_month=10).due_date(date(2025, 1, 15))
    datetime.date(2025, 3, 10)

    .. versionadded:: 0.1
    """

    kind: DueKind = attrs.field(converter=_to_kind)
    days: int = 0
    convention: EndOfMonth | None = attrs.field(default=None, converter=_to_convention)
    day_of_month: int | None = None
    on: date | None = attrs.field(default=None, validator=[is_optional_date, _check_rule])
    months: int = 0
    extra_days: int = 0

    @classmethod
    def on_receipt(cls) -> DueRule:
        """Due on receipt of the invoice (à réception): the issue date."""
        return cls(kind=DueKind.ON_RECEIPT)

    @classmethod
    def cash(cls) -> DueRule:
        """Cash (comptant): due on the issue (delivery) date, penalties from the next day."""
        return cls(kind=DueKind.CASH)

    @classmethod
    def net(cls, days: int) -> DueRule:
        """Net *days* days from the issue date (N jours date de facture)."""
        return cls(kind=DueKind.NET, days=days)

    @classmethod
    def end_of_month(
        cls,
        days: int,
        convention: EndOfMonth | str | None,
        *,
        day_of_month: int | None = None,
        extra_days: int = 0,
    ) -> DueRule:
        """*days* days end of month under *convention*, optionally "le *day_of_month*",
        or "+ *extra_days* jours" after that end of month (``extra_days`` since 0.2)."""
        return cls(
            kind=DueKind.END_OF_MONTH,
            days=days,
            convention=convention,
            day_of_month=day_of_month,
            extra_days=extra_days,
        )

    @classmethod
    def on_signature(cls) -> DueRule:
        """Due at the signature (à la signature): the order date, or the issue date.

        .. versionadded:: 0.2
        """
        return cls(kind=DueKind.ON_SIGNATURE)

    @classmethod
    def months_after(cls, months: int) -> DueRule:
        """*months* months after the issue date (an échéance mensuelle).

        .. versionadded:: 0.2
        """
        return cls(kind=DueKind.MONTHS, months=months)

    @classmethod
    def after_previous(cls, *, days: int = 0, months: int = 0) -> DueRule:
        """*days* days or *months* months after the previous part's due date (a chained
        installment; the first part's "previous" date is the issue date).

        .. versionadded:: 0.2
        """
        return cls(kind=DueKind.AFTER_PREVIOUS, days=days, months=months)

    @classmethod
    def on_order(cls) -> DueRule:
        """Due at order (à la commande): the order date, or the issue date if none is given."""
        return cls(kind=DueKind.ON_ORDER)

    @classmethod
    def fixed(cls, on: date) -> DueRule:
        """Due on a fixed date."""
        return cls(kind=DueKind.FIXED_DATE, on=on)

    def due_date(
        self, issue_date: date, *, order_date: date | None = None, previous: date | None = None
    ) -> date:
        """The due date for an invoice issued on *issue_date*.

        Args:
            issue_date: the invoice's issue date (BT-2).
            order_date: the order (or signature) date, for `DueKind.ON_ORDER` and
                `DueKind.ON_SIGNATURE` rules.
            previous: the previous part's due date, for chained rules (by default the
                issue date) (``versionadded 0.2``).

        Returns:
            The due date.

        Raises:
            PaymentError: a date that is not a `datetime.date`, or a due date after
                31 December 9999.

        .. versionadded:: 0.1
        """
        check_date(issue_date, "issue_date", error=PaymentError)
        check_date(order_date, "order_date", optional=True, error=PaymentError)
        check_date(previous, "previous", optional=True, error=PaymentError)
        try:
            return self._due_date(issue_date, order_date, previous)
        except (OverflowError, ValueError):  # beyond date.max
            raise PaymentError(
                "the due date falls after 31 December 9999",
                field="issue_date",
                value=issue_date,
                hint=f"check the issue date and the rule ({self.kind.value}, {self.days} days)",
            ) from None

    def _due_date(
        self, issue_date: date, order_date: date | None, previous: date | None = None
    ) -> date:
        kind = self.kind
        if kind is DueKind.NET:
            return issue_date + timedelta(days=self.days)
        if kind in (DueKind.ON_ORDER, DueKind.ON_SIGNATURE):
            return order_date or issue_date
        if kind is DueKind.MONTHS:
            return issue_date + relativedelta(months=self.months)
        if kind is DueKind.AFTER_PREVIOUS:
            start = previous or issue_date
            return start + relativedelta(months=self.months) + timedelta(days=self.days)
        if kind is DueKind.FIXED_DATE:
            assert self.on is not None  # guaranteed by the validator; narrows the type
            return self.on
        if kind is not DueKind.END_OF_MONTH:
            return issue_date
        if self.convention is EndOfMonth.C:
            day = end_of_month(issue_date + relativedelta(months=1))
        elif self.convention is EndOfMonth.B:
            day = end_of_month(issue_date) + timedelta(days=self.days)
        else:  # A, or 0 days where A and B agree
            day = end_of_month(issue_date + timedelta(days=self.days))
        if self.day_of_month is not None:
            day = _next_day_of_month(day, self.day_of_month)
        return day + timedelta(days=self.extra_days)


def _next_day_of_month(start: date, day: int) -> date:
    """The first date on or after *start* whose day is *day* (the month's last day if
    the month is shorter)."""
    candidate = start.replace(day=min(day, calendar.monthrange(start.year, start.month)[1]))
    if candidate >= start:
        return candidate
    following = start.replace(day=1) + relativedelta(months=1)
    return following.replace(day=min(day, calendar.monthrange(following.year, following.month)[1]))


def _to_percent(value: Any) -> Decimal | None:
    return None if value is None else to_decimal(value, "percent")


def _check_part(part: TermPart, attribute: Any, value: Any) -> None:
    if not isinstance(part.due, DueRule):
        raise PaymentError(
            f"expected a DueRule, got {type(part.due).__name__}",
            field="due",
            value=part.due,
            hint="build it with DueRule.net(30), DueRule.end_of_month(45, EndOfMonth.A)…",
        )
    if part.percent is not None and part.amount is not None:
        raise PaymentError(
            "a term part is a percentage or an amount, not both",
            field="amount",
            value=part.amount,
            hint="give percent= or amount=, or neither for the balance",
        )
    if part.percent is not None and not _ZERO < part.percent <= _HUNDRED:
        raise PaymentError(
            "a percentage must be over 0 and at most 100",
            field="percent",
            value=part.percent,
            hint="give the share of the invoice total, e.g. percent=30",
        )
    if part.amount is not None and (
        not isinstance(part.amount, Money) or not part.amount.amount > 0
    ):
        raise PaymentError(
            "a fixed amount must be a positive Money",
            field="amount",
            value=part.amount,
            hint='e.g. amount=to_money("1000.00", "EUR")',
        )


def _to_means(value: Any) -> Any:
    """A payment means code: an enum (`facturlib.PaymentMethod`) gives its value."""
    return value.value if isinstance(value, enum.Enum) else optional_text(value)


def _check_means(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None and not (isinstance(value, str) and value.isdigit() and len(value) <= 3):
        raise PaymentError(
            "a payment means is an UNTDID 4461 code",
            field="means",
            value=value,
            hint='e.g. "58" (SEPA credit transfer), "59" (SEPA direct debit), '
            "or facturlib.PaymentMethod.SEPA_DIRECT_DEBIT",
        )


@attrs.frozen(kw_only=True)
class TermPart:
    """One share of an invoice and when it is due.

    Attributes:
        due: the `DueRule`.
        percent: a percentage of the invoice's gross total (BT-112), or
        amount: a fixed amount; with neither, the part is a **balance** part: the
            balance parts share what the others leave, equally, the last one
            absorbing the rounding remainder.
        means: how this part is paid, as its UNTDID 4461 code (BT-81), e.g. ``"59"``
            for a SEPA direct debit; a `facturlib.PaymentMethod` is accepted
            (``versionadded 0.2``).
        label: the installment's label, e.g. "Acompte à la commande" (``versionadded 0.2``).

    .. versionadded:: 0.1
    """

    due: DueRule
    percent: Decimal | None = attrs.field(default=None, converter=_to_percent)
    amount: Money | None = attrs.field(default=None, validator=_check_part)
    means: str | None = attrs.field(default=None, converter=_to_means, validator=_check_means)
    label: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )

    @property
    def is_balance(self) -> bool:
        """Whether this part is (a share of) the balance."""
        return self.percent is None and self.amount is None


def _to_discount_percent(value: Any) -> Decimal:
    return to_decimal(value, "percent")


@attrs.frozen(kw_only=True)
class EarlyPaymentDiscount:
    """An early-payment discount (escompte): *percent* off if paid within *days*.

    The discount is a price reduction after the sale: the seller credits the
    discount on the taxable amount and the VAT on it (DOMAIN.md §7).

    .. versionadded:: 0.1
    """

    percent: Decimal = attrs.field(converter=_to_discount_percent)
    days: int = attrs.field()

    @percent.validator
    def _check_percent(self, attribute: Any, value: Decimal) -> None:
        if not _ZERO < value < _HUNDRED:
            raise PaymentError(
                "a discount percentage must be over 0 and under 100",
                field="percent",
                value=value,
                hint="e.g. percent=2 for 2 %",
            )

    @days.validator
    def _check_days(self, attribute: Any, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise PaymentError(
                "the discount period must be a whole number of days ≥ 0",
                field="days",
                value=value,
                hint="e.g. days=10",
            )


_INVOICE_HINT = "pass a facturlib.Invoice"
_PART_HINT = "e.g. TermPart(due=DueRule.net(30), percent=30)"
_TERMS_HINT = 'build them with PaymentTerms(...) or parse_terms("30 jours net")'


def _check_terms(terms: PaymentTerms, attribute: Any, value: Any) -> None:
    parts = terms.parts
    if not parts:
        raise PaymentError(
            "payment terms need at least one part",
            field="parts",
            value=parts,
            hint="e.g. PaymentTerms.single(DueRule.net(30))",
        )
    percent = sum((p.percent for p in parts if p.percent is not None), _ZERO)
    if percent > _HUNDRED:
        raise PaymentError(
            "the percentages of the terms add up to more than 100",
            field="parts",
            value=f"{percent} %",
            hint="lower the percentages, or make the last part the balance",
        )
    amounts = [p.amount for p in parts if p.amount is not None]
    found = {a.currency for a in amounts}
    if len(found) > 1:
        raise PaymentError(
            "the fixed amounts of the terms are in several currencies",
            field="parts",
            value=sorted(c.code for c in found),
            hint="give every fixed amount in the invoice currency",
        )
    if not amounts and not any(p.is_balance for p in parts) and percent != _HUNDRED:
        raise PaymentError(
            f"the percentages of the terms add up to {percent}, not 100",
            field="parts",
            value=f"{percent} %",
            hint="make them add up to 100, or add a balance part (TermPart with no share)",
        )
    if terms.discount is not None and not isinstance(terms.discount, EarlyPaymentDiscount):
        raise PaymentError(
            "expected an EarlyPaymentDiscount", field="discount", value=terms.discount
        )


@attrs.frozen(kw_only=True)
class PaymentTerms:
    """Payment terms: one or more `TermPart`\\s and the early-payment discount, if any.

    Attributes:
        parts: the shares and when each is due, in order.
        discount: the escompte offered, or ``None`` for "no discount for early payment".

    Raises:
        PaymentError: no parts, percentages over 100 in total, fixed amounts in
            several currencies, or percentages not reaching 100 without a balance part.

    >>> terms = PaymentTerms(parts=[TermPart(percent=30, due=DueRule.on_order()),
    ...                             TermPart(due=DueRule.net(30))])
    >>> terms.due_date(date(2025, 3, 31))
    datetime.date(2025, 4, 30)
    >>> PaymentTerms(parts=[TermPart(percent=80, due=DueRule.net(30)),
    ...                     TermPart(percent=30, due=DueRule.net(60))])
    Traceback (most recent call last):
    ...
    facturlib.core.errors.PaymentError: the percentages of the terms add up to more than 100 ...

    .. versionadded:: 0.1
    """

    parts: tuple[TermPart, ...] = attrs.field(
        converter=as_tuple, validator=tuple_of(TermPart, error=PaymentError, hint=_PART_HINT)
    )
    discount: EarlyPaymentDiscount | None = attrs.field(default=None, validator=_check_terms)

    @classmethod
    def single(cls, due: DueRule, *, discount: EarlyPaymentDiscount | None = None) -> PaymentTerms:
        """Terms with one payment of the whole amount due by *due*."""
        return cls(parts=(TermPart(due=due),), discount=discount)

    @classmethod
    def monthly(
        cls,
        count: int,
        *,
        means: Any = "59",
        discount: EarlyPaymentDiscount | None = None,
    ) -> PaymentTerms:
        """*count* equal monthly installments, the first one month after the issue date
        ("prélèvement en N échéances mensuelles" with the default means, SEPA direct
        debit ``"59"``); labelled "Échéance k/N".

        >>> terms = PaymentTerms.monthly(3)
        >>> [d.isoformat() for d in terms.dates(date(2025, 1, 31))]
        ['2025-02-28', '2025-03-31', '2025-04-30']
        >>> format_terms(terms)
        'Prélèvement en 3 échéances mensuelles'

        .. versionadded:: 0.2
        """
        check_int(count, "count", minimum=1, error=PaymentError, hint="e.g. count=3")
        return cls(
            parts=tuple(
                TermPart(due=DueRule.months_after(k), means=means, label=f"Échéance {k}/{count}")
                for k in range(1, count + 1)
            ),
            discount=discount,
        )

    def dates(self, issue_date: date, *, order_date: date | None = None) -> tuple[date, ...]:
        """The due date of each part, in the parts' order (chained parts counted from
        the previous one).

        .. versionadded:: 0.2
        """
        check_date(issue_date, "issue_date", error=PaymentError)
        check_date(order_date, "order_date", optional=True, error=PaymentError)
        return tuple(_part_dates(self, issue_date, order_date))

    def due_date(self, issue_date: date, *, order_date: date | None = None) -> date:
        """The final due date (BT-9): the latest date of the parts."""
        return max(_part_dates(self, issue_date, order_date))


@attrs.frozen(kw_only=True)
class Installment:
    """One dated payment of a due schedule (échéance).

    Attributes:
        date: when it is due.
        amount: how much.
        means: the payment means code of its part (UNTDID 4461), if given
            (``versionadded 0.2``).
        label: its part's label, if given (``versionadded 0.2``).

    .. versionadded:: 0.1
    """

    date: date = attrs.field(validator=is_date)
    amount: Money = attrs.field(validator=is_money(error=PaymentError))
    means: str | None = attrs.field(default=None, converter=_to_means, validator=_check_means)
    label: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """``<Installment 2025-04-30: 1440.00 EUR>`` for IPython.

        .. versionadded:: 0.2
        """
        pretty(printer, cycle, f"<Installment {self.date.isoformat()}: {money_text(self.amount)}>")

    def _repr_html_(self) -> str:
        """The installment as HTML for Jupyter.

        .. versionadded:: 0.2
        """
        return summary_html("Installment", [("date", self.date), ("amount", self.amount)])


def _part_dates(terms: PaymentTerms, issue_date: date, order_date: date | None) -> list[date]:
    """The due date of each part, chained rules counted from the previous part's date."""
    dates: list[date] = []
    for part in terms.parts:
        previous = dates[-1] if dates else None
        dates.append(part.due.due_date(issue_date, order_date=order_date, previous=previous))
    return dates


#: `due_schedule` dates its installments with checked rules and sizes them in Money of
#: the invoice's currency: it skips the checks meant for callers (see `facturlib.core._trusted`).
_installment = unchecked(Installment)


def due_schedule(
    invoice: Invoice,
    terms: PaymentTerms,
    *,
    issue_date: date | None = None,
    order_date: date | None = None,
) -> tuple[Installment, ...]:
    """The installments of *invoice* under *terms*, summing exactly to its amount due.

    Percentages are taken of the gross total (BT-112) and rounded under the
    invoice's `RoundingPolicy`; fixed amounts are taken as they are; the balance
    parts share the rest equally. The amount already paid (BT-113) settles the
    earliest installments first (a deposit paid at order settles the "at order"
    part), and the last installment absorbs every remainder, so
    Σ installments = BT-115. Installments of zero are left out.

    Args:
        invoice: an invoice, deposit or corrective invoice.
        terms: the payment terms.
        issue_date: the issue date of a draft (an issued invoice uses its own).
        order_date: the order date, for parts due at order.

    Returns:
        The installments in date order (an empty tuple when nothing is due).

    Raises:
        PaymentError: no issue date, a credit note, fixed amounts that do not fit
            the amount due, or an installment due before the issue date (allowed
            only on deposit invoices, BR-FR-CO-07).

    >>> from facturlib.testing.builders import sample_invoice, sample_line
    >>> from facturlib.core.money import to_money
    >>> invoice = sample_invoice(prices_include_vat=True, lines=[  # 1 000.00 TTC
    ...     sample_line(unit_price=to_money("100.00", "EUR"))])
    >>> terms = PaymentTerms(parts=[TermPart(due=DueRule.net(d)) for d in (30, 60, 90)])
    >>> [(i.date.isoformat(), i.amount.amount)
    ...  for i in due_schedule(invoice, terms, issue_date=date(2025, 1, 15))]
    [('2025-02-14', Decimal('333.33')), ('2025-03-16', Decimal('333.33')),
     ('2025-04-15', Decimal('333.34'))]

    .. versionadded:: 0.1
    """
    check_instance(invoice, Invoice, "invoice", error=PaymentError, hint=_INVOICE_HINT)
    check_instance(terms, PaymentTerms, "terms", error=PaymentError, hint=_TERMS_HINT)
    check_date(issue_date, "issue_date", optional=True, error=PaymentError)
    check_date(order_date, "order_date", optional=True, error=PaymentError)
    if invoice.kind is DocumentKind.CREDIT_NOTE:
        raise PaymentError(
            "a credit note has no due schedule",
            field="invoice",
            value=invoice.number,
            hint="allocate credit notes to invoices as credit instead",
        )
    base = invoice.issue_date or issue_date
    if base is None:
        raise PaymentError(
            "the invoice has no issue date",
            field="issue_date",
            value=None,
            hint="pass issue_date= for a draft",
        )
    totals = invoice.totals()
    cur = invoice.currency
    gross = totals.tax_inclusive_total.amount
    due = totals.amount_due.amount
    shares = _shares(terms, gross, cur, invoice.rounding)
    dates = _part_dates(terms, base, order_date)
    # Amounts already paid (BT-113) settle the earliest installments first.
    prepaid = totals.prepaid_total.amount
    order = sorted(range(len(shares)), key=lambda i: (dates[i], i))
    for i in order:
        used = min(prepaid, shares[i])
        shares[i] -= used
        prepaid -= used
    # The last installment absorbs what is left: cash rounding (BT-114), prepaid over gross.
    last = order[-1]
    shares[last] += due - sum(shares, _ZERO)
    if shares[last] < 0:
        raise PaymentError(
            "the invoice's amount due is below what the earlier installments ask",
            field="invoice",
            value=f"{due} {cur.code}",
            hint="check the fixed amounts of the terms against the invoice",
        )
    installments: list[Installment] = []
    for i in order:
        if shares[i] == 0:
            continue
        early = terms.parts[i].due.kind in (DueKind.ON_ORDER, DueKind.ON_SIGNATURE)
        if dates[i] < base and invoice.kind is not DocumentKind.DEPOSIT and not early:
            raise PaymentError(
                f"an installment of {shares[i]} {cur.code} falls due on {dates[i]}, "
                f"before the issue date {base}",
                field="due_date",
                value=dates[i],
                hint="only deposit invoices and parts due at order or signature may fall "
                "due before the issue date (BR-FR-CO-07); record a deposit already paid "
                "as prepaid (BT-113)",
            )
        part = terms.parts[i]
        installments.append(
            _installment(
                date=dates[i], amount=Money(shares[i], cur), means=part.means, label=part.label
            )
        )
    return tuple(installments)


def installment_vat(
    invoice: Invoice, installments: Iterable[Installment]
) -> tuple[tuple[VatBreakdown, ...], ...]:
    """The VAT split of each installment: its share of every VAT rate of *invoice*.

    Needed for VAT on receipts (CGI 269-2-c: the VAT of services is due as each
    installment is paid) and for SEPA collections. Each rate's taxable amount and VAT
    are spread over the installments in proportion to their amounts with
    `facturlib.core.money.allocate`, so, per rate, the installments' splits add up
    exactly to the invoice's VAT breakdown (BG-23).

    >>> from facturlib.testing.builders import sample_invoice
    >>> invoice = sample_invoice()  # 1 200.00 HT + 240.00 VAT
    >>> terms = PaymentTerms(parts=[TermPart(due=DueRule.net(d)) for d in (30, 60, 90)])
    >>> schedule = due_schedule(invoice, terms, issue_date=date(2025, 1, 15))
    >>> [(b.taxable.amount, b.amount.amount) for (b,) in installment_vat(invoice, schedule)]
    [(Decimal('400.00'), Decimal('80.00')), (Decimal('400.00'), Decimal('80.00')),
     (Decimal('400.00'), Decimal('80.00'))]

    .. versionadded:: 0.2
    """
    check_instance(invoice, Invoice, "invoice", error=PaymentError, hint=_INVOICE_HINT)
    installments = items_of(
        installments,
        Installment,
        "installments",
        error=PaymentError,
        hint="pass what due_schedule(invoice, terms) returns",
    )
    for i, item in enumerate(installments):
        if item.amount.currency != invoice.currency or item.amount.amount < 0:
            raise PaymentError(
                "an installment must be a positive amount in the invoice currency",
                field=f"installments[{i}]",
                value=item.amount,
                hint="pass what due_schedule(invoice, terms) returns",
            )
    if not installments:
        return ()
    weights = [item.amount.amount for item in installments]
    if not any(weights):
        weights = [Decimal(1)] * len(weights)
    per_rate = [
        (
            b.vat,
            allocate(b.taxable, weights),
            allocate(b.amount, weights),
        )
        for b in invoice.totals().vat_breakdown
    ]
    return tuple(
        tuple(
            VatBreakdown(vat=vat, taxable=taxable[i], amount=tax[i])
            for vat, taxable, tax in per_rate
        )
        for i in range(len(installments))
    )


def _shares(
    terms: PaymentTerms, gross: Decimal, cur: Any, rounding: RoundingPolicy
) -> list[Decimal]:
    """The share of *gross* of each part, summing exactly to *gross*."""
    shares: list[Decimal] = []
    for i, part in enumerate(terms.parts):
        if part.amount is not None:
            if part.amount.currency != cur:
                raise CurrencyMismatch(
                    f"a fixed installment in {part.amount.currency.code} on a {cur.code} invoice",
                    field=f"parts[{i}].amount",
                    value=part.amount,
                    hint=f"give the terms' amounts in {cur.code}",
                )
            shares.append(part.amount.amount)
        elif part.percent is not None:
            shares.append(rounding.round(gross * part.percent / _HUNDRED, cur))
        else:
            shares.append(_ZERO)
    balance = [i for i, part in enumerate(terms.parts) if part.is_balance]
    rest = gross - sum(shares, _ZERO)
    if balance:
        if rest < 0:
            raise PaymentError(
                "the fixed amounts and percentages of the terms exceed the invoice total",
                field="parts",
                value=f"{gross - rest} > {gross} {cur.code}",
                hint="lower the fixed amounts",
            )
        each = rounding.round(rest / len(balance), cur)
        if each * (len(balance) - 1) > rest:
            # Rounded up, the earlier balance parts would leave the last one negative
            # (4 parts of 0.02: 0.01 each): they are rounded down instead.
            each = (rest / len(balance)).quantize(_quantum(cur), rounding=decimal.ROUND_DOWN)
        for i in balance:
            shares[i] = each
        shares[balance[-1]] += gross - sum(shares, _ZERO)
    elif any(p.amount is not None for p in terms.parts):
        if rest != 0:
            raise PaymentError(
                f"the installments of the terms add up to {gross - rest}, "
                f"not the invoice total {gross} {cur.code}",
                field="parts",
                value=gross - rest,
                hint="add a balance part (a TermPart with neither percent nor amount)",
            )
    else:  # percentages adding up to 100: the last absorbs the rounding
        shares[-1] += rest
    return shares


# --- legal caps ------------------------------------------------------------------------------

#: Issue dates over which `check_terms` tries relative rules: a leap year and a common year.
_PROBE_DATES = tuple(date(2024, 1, 1) + timedelta(days=n) for n in range(731))


def check_terms(
    terms: PaymentTerms,
    *,
    issue_date: date | None = None,
    periodic: bool = False,
    max_days: int = 60,
    max_days_end_of_month: int = 45,
) -> tuple[Problem, ...]:
    """Report the parts of *terms* that can fall due later than the law allows.

    C. com. L441-10 I caps agreed terms at 60 days from the issue date or, when
    expressly stipulated, 45 days end of month (read with the part's own
    convention; a convention C part is compared with A); periodic recap invoices
    at 45 days from issue. Sector rules (L441-11) may be shorter: lower the caps.

    Args:
        terms: the terms to check.
        issue_date: check for this issue date only; by default every issue date of
            a leap year and a common year is tried and the worst case is reported
            (fixed-date parts are then skipped: they need a known issue date).
        periodic: the terms are for periodic recap invoices (cap 45 days from issue).
        max_days: the cap from the issue date.
        max_days_end_of_month: the end-of-month cap, for end-of-month parts.

    Returns:
        One `Problem` (code ``"over_legal_cap"``) per part that can exceed the cap.

    >>> check_terms(PaymentTerms.single(DueRule.net(75)))[0].message
    'part 1 (À 75 jours) falls due 75 days after issue, beyond the 60-day cap ...'
    >>> check_terms(PaymentTerms.single(DueRule.end_of_month(45, EndOfMonth.A)))
    ()

    .. versionadded:: 0.1
    """
    check_instance(terms, PaymentTerms, "terms", error=PaymentError, hint=_TERMS_HINT)
    check_date(issue_date, "issue_date", optional=True, error=PaymentError)
    check_bool(periodic, "periodic", error=PaymentError)
    check_int(max_days, "max_days", minimum=0, error=PaymentError, hint="e.g. max_days=60")
    check_int(
        max_days_end_of_month,
        "max_days_end_of_month",
        minimum=0,
        error=PaymentError,
        hint="e.g. max_days_end_of_month=45",
    )
    cap_days = 45 if periodic else max_days
    probes = (issue_date,) if issue_date is not None else _PROBE_DATES
    problems: list[Problem] = []
    schedules = {day: _part_dates(terms, day, None) for day in probes}
    for n, part in enumerate(terms.parts, start=1):
        rule = part.due
        if rule.kind in (DueKind.ON_ORDER, DueKind.ON_SIGNATURE):
            continue
        if rule.kind is DueKind.FIXED_DATE and issue_date is None:
            continue  # a fixed date can only be judged against a known issue date
        eom_cap = None
        if rule.kind is DueKind.END_OF_MONTH and not periodic:
            convention = EndOfMonth.A if rule.convention is EndOfMonth.C else rule.convention
            eom_cap = DueRule.end_of_month(max_days_end_of_month, convention or EndOfMonth.A)
        for day in probes:
            due = schedules[day][n - 1]
            cap = _cap(day, cap_days, eom_cap)
            if due > cap:
                what = format_terms(PaymentTerms.single(rule))
                limit = f"the {cap_days}-day cap" + (
                    f" and the {max_days_end_of_month} days end of month cap" if eom_cap else ""
                )
                problems.append(
                    Problem(
                        code="over_legal_cap",
                        message=f"part {n} ({what}) falls due {(due - day).days} days after "
                        f"issue, beyond {limit} (issued {day}, due {due}, latest {cap}; "
                        "C. com. L441-10 I)",
                    )
                )
                break
    return tuple(problems)


def _cap(day: date, days: int, eom_cap: DueRule | None) -> date:
    """The latest legal due date for an invoice issued on *day*; a cap beyond the
    calendar caps nothing (`datetime.date.max`)."""
    try:
        cap = day + timedelta(days=days)
        if eom_cap is not None:
            cap = max(cap, eom_cap._due_date(day, None))
    except (OverflowError, ValueError):
        return date.max
    return cap


# --- early-payment discount ---------------------------------------------------------------


def early_payment_discount(
    invoice: Invoice, discount: EarlyPaymentDiscount | PaymentTerms
) -> tuple[VatBreakdown, ...]:
    """What the seller credits when *invoice* is paid within the escompte period.

    The discount is taken on the taxable amount of each VAT rate (BT-116), with
    the VAT on it (DOMAIN.md §7): the total discount is rounded once and spread
    over the rates with `facturlib.core.money.allocate`, then each rate's VAT is rounded.

    Args:
        invoice: the invoice paid early.
        discount: the `EarlyPaymentDiscount`, or terms holding one.

    Returns:
        One `VatBreakdown` per VAT rate: the taxable amount and the VAT to credit.

    Raises:
        PaymentError: terms without a discount.

    >>> from facturlib.testing.builders import sample_invoice, sample_line
    >>> from facturlib.core.money import to_money
    >>> invoice = sample_invoice(lines=[sample_line(quantity="1",
    ...                                             unit_price=to_money("2700.00", "EUR"))])
    >>> [(b.taxable.amount, b.amount.amount)
    ...  for b in early_payment_discount(invoice, EarlyPaymentDiscount(percent=2, days=10))]
    [(Decimal('54.00'), Decimal('10.80'))]

    .. versionadded:: 0.1
    """
    check_instance(invoice, Invoice, "invoice", error=PaymentError, hint=_INVOICE_HINT)
    check_instance(
        discount,
        (EarlyPaymentDiscount, PaymentTerms),
        "discount",
        error=PaymentError,
        hint="e.g. EarlyPaymentDiscount(percent=2, days=10)",
    )
    if isinstance(discount, PaymentTerms):
        if discount.discount is None:
            raise PaymentError(
                "these payment terms offer no early-payment discount",
                field="discount",
                value=None,
                hint="add discount=EarlyPaymentDiscount(percent=2, days=10) to the terms",
            )
        discount = discount.discount
    return _escompte(invoice, discount.percent)


def _escompte(
    invoice: Invoice, discount: Decimal | Money, *, error: type[InvalidValue] = PaymentError
) -> tuple[VatBreakdown, ...]:
    """The escompte of *invoice* per VAT rate: the one rounding-and-allocation rule
    (DOMAIN.md §7), private, shared by `early_payment_discount` and the sales journal's
    ``DiscountGranted`` so that what is booked is what the terms compute.

    *discount* is a percentage (a ``Decimal``) of the net total (BT-109), rounded once
    with the invoice's rounding policy, or an amount excluding VAT (a ``Money``). It is
    spread with `facturlib.core.money.allocate` over the positive taxable amounts of the VAT
    rates (BT-116; a rate whose taxable amount is negative gets zero), then each part's
    VAT is rounded. Empty when the net total is not positive.

    Raises:
        error (the caller's layer, `PaymentError` by default): an amount in another
            currency than the invoice, or above its net total.
    """
    totals = invoice.totals()
    cur = invoice.currency
    policy = invoice.rounding
    groups = [b for b in totals.vat_breakdown if b.taxable.amount != 0]
    net = totals.bt109
    if not groups or net <= 0:
        return ()
    if isinstance(discount, Money):
        if discount.currency != cur:
            raise error(
                "the discount is in another currency than the invoice",
                field="amount",
                value=discount,
                hint=f"give the discount in {cur.code}",
            )
        whole = discount.amount
        if whole > net:
            raise error(
                f"the discount {whole} exceeds the net total of {invoice.number or 'the invoice'}",
                field="amount",
                value=whole,
                hint=f"an escompte is a share of what was invoiced: at most {net} {cur.code} HT",
            )
    else:
        whole = policy.round(net * discount / _HUNDRED, cur)
    parts = allocate(Money(whole, cur), [max(b.taxable.amount, _ZERO) for b in groups])
    return tuple(
        VatBreakdown(
            vat=b.vat,
            taxable=part,
            amount=Money(policy.round(part.amount * b.vat.rate, cur), cur),
        )
        for b, part in zip(groups, parts, strict=True)
    )


def discount_mention(
    terms: PaymentTerms | EarlyPaymentDiscount | None, *, lang: Lang = "fr"
) -> str:
    """The escompte mention of an invoice (L441-9 I; FR CTC note ``AAB``).

    >>> discount_mention(None)
    "Pas d'escompte pour paiement anticipé"
    >>> discount_mention(EarlyPaymentDiscount(percent="1.5", days=8), lang="en")
    '1.5% discount for payment within 8 days'

    .. versionadded:: 0.1
    """
    check_instance(
        terms,
        (PaymentTerms, EarlyPaymentDiscount),
        "terms",
        optional=True,
        error=PaymentError,
        hint="pass the PaymentTerms, their EarlyPaymentDiscount, or None for no discount",
    )
    found = terms.discount if isinstance(terms, PaymentTerms) else terms
    _check_lang(lang)
    if found is None:
        if lang == "fr":
            return "Pas d'escompte pour paiement anticipé"
        return "No discount for early payment"
    percent = _number(found.percent, lang)
    if lang == "fr":
        return f"Escompte de {percent} % pour paiement sous {found.days} jours"
    return f"{percent}% discount for payment within {found.days} days"


# --- text: format and parse -------------------------------------------------------------------


def _check_lang(lang: str) -> None:
    if lang not in ("fr", "en"):
        raise PaymentError(
            "unsupported language", field="lang", value=lang, hint='use "fr" or "en"'
        )


def _number(value: Decimal, lang: str) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",") if lang == "fr" else text


def _amount_text(amount: Money, lang: str) -> str:
    places = minor_units(amount.currency)
    text = format(amount.amount.quantize(Decimal(1).scaleb(-places)), "f")
    if lang == "fr":
        text = text.replace(".", ",")
    return f"{text} {amount.currency.code}"


def _rule_text(rule: DueRule, lang: str) -> str:
    kind = rule.kind
    fr = lang == "fr"
    if kind is DueKind.ON_RECEIPT:
        return "à réception" if fr else "due on receipt"
    if kind is DueKind.CASH:
        return "comptant" if fr else "cash"
    if kind is DueKind.ON_ORDER:
        return "à la commande" if fr else "on order"
    if kind is DueKind.ON_SIGNATURE:
        return "à la signature" if fr else "on signature"
    if kind is DueKind.FIXED_DATE:
        assert rule.on is not None  # guaranteed by the validator; narrows the type
        return f"le {rule.on:%d/%m/%Y}" if fr else f"on {rule.on.isoformat()}"
    if kind is DueKind.NET:
        return f"à {rule.days} jours" if fr else f"net {rule.days} days"
    if kind is DueKind.MONTHS:
        return f"à {rule.months} mois" if fr else f"{rule.months} months after invoice date"
    if kind is DueKind.AFTER_PREVIOUS:
        gap = []
        if rule.months:
            gap.append(f"{rule.months} mois" if fr else f"{rule.months} months")
        if rule.days:
            gap.append(f"{rule.days} jours" if fr else f"{rule.days} days")
        joined = " + ".join(gap)
        return f"{joined} après l'échéance précédente" if fr else f"{joined} after the previous one"
    if rule.convention is EndOfMonth.C:
        text = "fin du mois suivant" if fr else "end of following month"
    elif rule.days == 0:
        text = "fin de mois" if fr else "end of month"
    else:
        text = f"{rule.days} jours fin de mois" if fr else f"{rule.days} days end of month"
    if rule.day_of_month is not None:
        text += f" le {rule.day_of_month}" if fr else f" on the {rule.day_of_month}"
    if rule.extra_days:
        text += f" + {rule.extra_days} jours" if fr else f" + {rule.extra_days} days"
    return ("à " + text) if fr else text


def _equal_text(terms: PaymentTerms, lang: str) -> str | None:
    """Equal installments in words: "3 échéances de 1/3 à 30, 60 et 90 jours",
    "Prélèvement en 3 échéances mensuelles"; ``None`` for other terms."""
    parts = terms.parts
    count = len(parts)
    if count < 2 or not all(p.is_balance for p in parts):
        return None
    fr = lang == "fr"
    rules = [p.due for p in parts]
    if all(r.kind is DueKind.NET for r in rules):
        days = [str(r.days) for r in rules]
        listed = ", ".join(days[:-1]) + (" et " if fr else " and ") + days[-1]
        if fr:
            return f"{count} échéances de 1/{count} à {listed} jours"
        return f"{count} installments of 1/{count} at {listed} days"
    monthly = [r.kind is DueKind.MONTHS and r.months == k for k, r in enumerate(rules, 1)]
    if all(monthly):
        debit = all(p.means == "59" for p in parts)
        if fr:
            return ("Prélèvement en " if debit else "") + f"{count} échéances mensuelles"
        return ("Direct debit in " if debit else "") + f"{count} monthly installments"
    return None


def format_terms(terms: PaymentTerms, *, lang: Lang = "fr") -> str:
    """The payment terms as text for a document (BT-20), in French or English.

    `parse_terms` reads the text back (given the end-of-month convention).

    >>> format_terms(PaymentTerms.single(DueRule.end_of_month(30, EndOfMonth.A, day_of_month=10)))
    'À 30 jours fin de mois le 10'
    >>> format_terms(PaymentTerms.single(DueRule.net(30), discount=EarlyPaymentDiscount(
    ...     percent=2, days=10)), lang="en")
    'Net 30 days; 2% discount for payment within 10 days'

    .. versionadded:: 0.1
    """
    check_instance(terms, PaymentTerms, "terms", error=PaymentError, hint=_TERMS_HINT)
    _check_lang(lang)
    fr = lang == "fr"
    texts = []
    equal = _equal_text(terms, lang)
    if equal is not None:
        texts.append(equal)
    single = len(terms.parts) == 1 and terms.parts[0].is_balance
    for part in () if equal is not None else terms.parts:
        rule = _rule_text(part.due, lang)
        if single:
            texts.append(rule)
            continue
        if part.percent is not None:
            share = f"{_number(part.percent, lang)} %" if fr else f"{_number(part.percent, lang)}%"
        elif part.amount is not None:
            share = _amount_text(part.amount, lang)
        else:
            share = "solde" if fr else "balance"
        texts.append(f"{share} {rule}")
    text = ", ".join(texts)
    if terms.discount is not None:
        text += "; " + discount_mention(terms.discount, lang=lang)
    return text[:1].upper() + text[1:]


def _normalize(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.lower().replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", plain).strip(" .")


_NUM = r"\d+(?:[.,]\d+)?"
_DAYS = r"(?:jours?|j|days?)"
_SPLIT = re.compile(r"\s*(?:;|\.(?=\s)|,(?!\d)|\bpuis\b|\bthen\b|\bet\b|\band\b)\s*")
_SHARE = re.compile(
    rf"^(?:(?P<pct>{_NUM}) ?%|(?P<amt>\d[\d ]*(?:,\d{{3}})*(?:[.,]\d+)?) ?"
    r"(?P<cur>€|\$|[a-z]{3})(?!\w)"
    r"|(?P<bal>(?:le |the )?(?:solde|balance|reste|remainder)))"
    r"(?: (?:payable|due|payes?|paid))?\s*(?P<rest>.*)$"
)
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"^(?:paiement |payable |due )?(?:a |upon |on )?(?:reception|receipt)"
            r"(?: de (?:la )?facture| of (?:the )?invoice)?$"
        ),
        "receipt",
    ),
    (re.compile(r"^(?:paiement |payable )?(?:au )?comptant$|^(?:payment )?(?:in )?cash$"), "cash"),
    (re.compile(r"^(?:a |at |on )?(?:la )?(?:commande|order)$"), "order"),
    (re.compile(r"^(?:a |at |on )?(?:la )?signature$"), "signature"),
    (
        re.compile(r"^(?:a |in )?(?P<n>\d+) (?:mois|months?)(?: after (?:the )?invoice date)?$"),
        "months",
    ),
    (
        re.compile(
            rf"^(?:(?P<m>\d+) (?:mois|months?))?(?: ?\+ ?)?(?:(?P<n>\d+) ?{_DAYS})? "
            r"(?:apres l'echeance precedente|after the previous one)$"
        ),
        "chained",
    ),
    (
        re.compile(r"^(?:a |at )?(?:la )?fin du mois suivant$|^end of (?:the )?following month$"),
        "eom_c",
    ),
    (
        re.compile(
            rf"^(?:a |at )?(?:(?P<n>\d+) ?{_DAYS} ?)?(?:fin de mois|fdm|end of (?:the )?month"
            r"|eom)(?: (?:le|on the) (?P<x>\d+)(?:st|nd|rd|th)?)?"
            rf"(?: ?(?:\+|plus) ?(?P<extra>\d+) ?{_DAYS})?$"
        ),
        "eom",
    ),
    (re.compile(r"^(?:a )?(?P<n>\d+) ?jfdm(?: le (?P<x>\d+))?$"), "eom"),
    (
        re.compile(
            rf"^(?:a |at )?(?:la )?(?:fin de mois|end of (?:the )?month|eom) ?(?:\+|plus) ?"
            rf"(?P<n>\d+) ?{_DAYS}(?: (?:le|on the) (?P<x>\d+)(?:st|nd|rd|th)?)?$"
        ),
        "eom_b",
    ),
    (
        re.compile(
            rf"^(?:paiement |payable )?(?:a |at |within )?(?P<n>\d+) ?{_DAYS}"
            r"(?: nets?| date de facture| date d'emission| from (?:the )?invoice date"
            r"| after (?:the )?invoice date| net)?$"
        ),
        "net",
    ),
    (re.compile(r"^(?:payment |payable )?net (?P<n>\d+)(?: days?)?$"), "net"),
    (re.compile(r"^(?:le |on )?(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})$"), "date"),
    (re.compile(r"^(?:le |on )?(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})$"), "date"),
)
_DISCOUNT = (
    re.compile(
        rf"^(?:escompte|remise)(?: de)? (?P<p>{_NUM}) ?%(?: pour paiement(?: anticipe)?)?"
        rf" (?:sous|a|en|dans les) (?P<d>\d+) ?{_DAYS}$"
    ),
    re.compile(
        rf"^(?P<p>{_NUM}) ?% (?:early[- ]payment )?discount (?:for payment |if paid )?"
        rf"within (?P<d>\d+) ?days?$"
    ),
)
_NO_DISCOUNT = re.compile(
    r"^(?:pas d'? ?escompte|sans escompte|aucun escompte|no (?:early[- ]payment )?discount)\b"
)
_TWO_TEN = re.compile(rf"^(?P<p>{_NUM})/(?P<d>\d+),? net (?P<n>\d+)$")

#: Examples of the wordings `parse_terms` understands, quoted in its errors.
UNDERSTOOD = (
    "à réception",
    "comptant",
    "30 jours",
    "net 30",
    "45 jours fin de mois",
    "30 JFDM",
    "30 jours fin de mois le 10",
    "fin de mois + 30 jours",
    "fin de mois",
    "fin du mois suivant",
    "à la commande",
    "le 15/03/2025",
    "30 % à la commande, solde à 30 jours fin de mois",
    "1 000,00 EUR à la commande, solde à 30 jours",
    "escompte de 2 % pour paiement sous 10 jours",
    "pas d'escompte",
    "due on receipt",
    "cash",
    "30 days end of month on the 10th",
    "end of following month",
    "50% net 30, balance net 60",
    "1,000.00 USD on order, balance net 30",
    "2/10 net 30",
    "30 % à la signature, solde à 30 jours",
    "30 jours fin de mois + 10 jours",
    "prélèvement en 3 échéances mensuelles",
    "3 échéances de 1/3 à 30, 60 et 90 jours",
    "30 % à la commande, solde 2 mois après l'échéance précédente",
)


def _parse_rule(text: str, end_of_month: EndOfMonth | None) -> DueRule | None:
    for pattern, kind in _RULES:
        match = pattern.match(text)
        if match is None:
            continue
        if kind == "receipt":
            return DueRule.on_receipt()
        if kind == "cash":
            return DueRule.cash()
        if kind == "order":
            return DueRule.on_order()
        if kind == "signature":
            return DueRule.on_signature()
        if kind == "months":
            return DueRule.months_after(int(match["n"]))
        if kind == "chained":
            if not (match["m"] or match["n"]):
                return None
            return DueRule.after_previous(days=int(match["n"] or 0), months=int(match["m"] or 0))
        if kind == "date":
            found = match.groupdict()
            try:
                return DueRule.fixed(date(int(found["y"]), int(found["m"]), int(found["d"])))
            except ValueError:
                return None
        if kind == "net":
            return DueRule.net(int(match["n"]))
        if kind == "eom_c":
            return DueRule.end_of_month(30, EndOfMonth.C)
        if kind == "eom_b":
            # "fin de mois + N jours" spells convention B out: no choice to make.
            x = match["x"]
            return DueRule.end_of_month(
                int(match["n"]), EndOfMonth.B, day_of_month=int(x) if x else None
            )
        days = int(match["n"] or 0)
        x = match.groupdict().get("x")
        extra = int(match.groupdict().get("extra") or 0)
        convention = end_of_month
        if convention is EndOfMonth.C and days != 30:
            convention = EndOfMonth.A if days == 0 else convention
        if extra and not days:
            # "fin de mois + M jours" spells convention B out: no choice to make.
            return DueRule.end_of_month(extra, EndOfMonth.B, day_of_month=int(x) if x else None)
        if extra and convention is None:
            # "N jours fin de mois + M jours" says it: the end of the month after N days
            # (convention A), then M days.
            convention = EndOfMonth.A
        return DueRule.end_of_month(
            days, convention, day_of_month=int(x) if x else None, extra_days=extra
        )
    return None


def _decimal(text: str) -> Decimal:
    """A number written the French way (``1 000,50``) or, when it has both separators,
    the English way (``1,000.50``: the comma groups thousands)."""
    plain = text.replace(" ", "")
    if "," in plain and "." in plain:
        plain = plain.replace(",", "")
    return Decimal(plain.replace(",", "."))


def parse_terms(
    text: str, *, end_of_month: EndOfMonth | str | None = None, currency_code: str = "EUR"
) -> PaymentTerms:
    """Read payment terms written in French or English.

    Parts are separated by commas, semicolons, "puis"/"then" or "et"/"and"; each
    part is an optional share (``30 %``, ``1 000,00 EUR``, ``solde``/``balance``)
    and a due rule; an escompte clause (or its absence) may follow. Accents and
    case do not matter. A part with no share is the balance.

    Args:
        text: the terms, e.g. ``"30 % à la commande, solde à 45 jours fin de mois"``.
        end_of_month: the `EndOfMonth` convention for "N jours fin de mois"
            wordings; required when the text has one (no silent default, DOMAIN.md §7).
        currency_code: the currency of amounts written with ``€``-less codes it cannot
            tell (``€`` is EUR, ``$`` USD).

    Returns:
        The `PaymentTerms`.

    Raises:
        PaymentError: a wording it does not understand (the message lists the
            wordings it does), an end-of-month wording without a convention.

    >>> rule = parse_terms("Paiement à 45 jours fin de mois le 10", end_of_month="B").parts[0].due
    >>> rule.days, rule.convention.value, rule.day_of_month
    (45, 'B', 10)
    >>> parse_terms("2/10 net 30").discount
    EarlyPaymentDiscount(percent=Decimal('2'), days=10)
    >>> parse_terms("quand vous voulez")
    Traceback (most recent call last):
    ...
    facturlib.core.errors.PaymentError: cannot read the payment terms 'quand vous voulez' ...

    .. versionadded:: 0.1
    """
    if not isinstance(text, str) or not text.strip():
        raise PaymentError(
            "payment terms must be non-empty text",
            field="text",
            value=text,
            hint="e.g. '30 jours fin de mois'",
        )
    convention = None if end_of_month is None else _to_end_of_month(end_of_month)
    check_instance(currency_code, str, "currency_code", error=PaymentError, hint='e.g. "EUR"')
    plain = _normalize(text)
    plain = re.sub(
        r"^(?:conditions de (?:paiement|reglement)|payment terms|paiement) ?:? ?", "", plain
    )
    parts: list[TermPart] = []
    discount: EarlyPaymentDiscount | None = None
    head, _, tail = plain.partition(";")
    equal = _parse_equal(head.strip(" ."))
    if equal is not None:
        parts.extend(equal)
        plain = tail
    for piece in filter(None, _SPLIT.split(plain)):
        piece = piece.strip()
        if _NO_DISCOUNT.match(piece):
            continue
        found = next((m for p in _DISCOUNT if (m := p.match(piece))), None)
        if found is not None:
            discount = EarlyPaymentDiscount(percent=_decimal(found["p"]), days=int(found["d"]))
            continue
        two_ten = _TWO_TEN.match(piece)
        if two_ten is not None:
            discount = EarlyPaymentDiscount(percent=_decimal(two_ten["p"]), days=int(two_ten["d"]))
            parts.append(TermPart(due=DueRule.net(int(two_ten["n"]))))
            continue
        parts.append(_parse_part(piece, text, convention, currency_code))
    if not parts:
        _unreadable(text, text)
    return PaymentTerms(parts=parts, discount=discount)


_EQUAL = (
    re.compile(
        r"^(?P<n>\d+) (?:echeances|installments) (?:de |of )?(?:1/(?P<d>\d+) |egales |equal )?"
        r"(?:a|at) (?P<days>\d+(?:(?:, | et | and )\d+)*) (?:jours|days)$"
    ),
)
_MONTHLY = re.compile(
    r"^(?P<debit>prelevement |direct debit )?(?:en |in )?(?P<n>\d+) "
    r"(?:echeances mensuelles|mensualites|monthly installments)$"
)


def _parse_equal(text: str) -> list[TermPart] | None:
    """Equal installments written as one phrase (see `_equal_text`), or ``None``."""
    monthly = _MONTHLY.match(text)
    if monthly is not None:
        count = int(monthly["n"])
        if not 1 <= count <= 120:
            return None
        means = "59" if monthly["debit"] else None
        return list(PaymentTerms.monthly(count, means=means).parts)
    for pattern in _EQUAL:
        found = pattern.match(text)
        if found is None:
            continue
        days = [int(d) for d in re.split(r", | et | and ", found["days"])]
        count = int(found["n"])
        if count != len(days) or (found["d"] and int(found["d"]) != count):
            return None
        return [TermPart(due=DueRule.net(d)) for d in days]
    return None


def _to_end_of_month(value: EndOfMonth | str) -> EndOfMonth:
    return to_enum(value, EndOfMonth, "end_of_month", error=PaymentError)


def _parse_part(
    piece: str, text: str, convention: EndOfMonth | None, currency_code: str
) -> TermPart:
    percent: Decimal | None = None
    amount: Money | None = None
    rest = piece
    share = _SHARE.match(piece)
    if share is not None and share["rest"]:
        rest = share["rest"]
        if share["pct"]:
            percent = _decimal(share["pct"])
        elif share["amt"]:
            symbol = share["cur"]
            code = {"€": "EUR", "$": "USD"}.get(symbol, symbol.upper())
            try:
                amount = Money(_decimal(share["amt"]), currency(code or currency_code))
            except InvalidValue:
                _unreadable(piece, text)
    rule = _parse_rule(rest, convention)
    if rule is None:
        _unreadable(piece, text)
    return TermPart(due=rule, percent=percent, amount=amount)


def _unreadable(piece: str, text: str) -> NoReturn:
    where = "" if piece == text else f" (the part {piece!r})"
    raise PaymentError(
        f"cannot read the payment terms {text!r}{where}",
        field="text",
        value=text,
        hint="write one of the understood wordings: " + "; ".join(repr(u) for u in UNDERSTOOD),
    )
