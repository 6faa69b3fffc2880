"""Legal limits as values: the latest lawful due date, the penalty-rate floor, the €40.

Each function returns a `LegalFigure`: the figure and the legal source it comes
from, so that callers can show both (French law, B2B sales):

* `latest_due_date`: agreed payment terms may not exceed **60 days from the
  issue date** or, if expressly stipulated, **45 days end of month**; periodic
  recap invoices **45 days from issue**; without agreement, 30 days after
  receipt of the goods or performance (C. com. L441-10 I). Some sectors have
  shorter caps (C. com. L441-11): they are data, `SectorLimit`\\s such as those of
  `FR_SECTOR_LIMITS`, and the caller may add others.
* `late_rate_floor`: a contractual late-payment rate may not be below **three
  times the legal interest rate** of the half-year (C. com. L441-10 II).
* `recovery_indemnity`: **€40 per invoice paid late** (C. com. L441-10 II, D441-5),
  none from a debtor in collective proceedings.

"45 jours fin de mois" is read with the `facturlib.receivables.terms.EndOfMonth`
convention the caller chooses (A: end of the month of issue + 45 days counted
first, ``eom(issue + 45)``; B: ``eom(issue) + 45``); the DGCCRF accepts both.

>>> from datetime import date
>>> latest_due_date(date(2025, 1, 15)).value
datetime.date(2025, 3, 16)
>>> latest_due_date(date(2025, 1, 15), end_of_month=EndOfMonth.B).value
datetime.date(2025, 3, 17)
>>> late_rate_floor(date(2025, 1, 10)).value, late_rate_floor(date(2025, 1, 10)).source
(Decimal('11.13'), 'C. com. L441-10 II')
>>> recovery_indemnity(collective_proceedings=True).value
Money('0.00', 'EUR')

.. versionadded:: 0.2
"""

from __future__ import annotations

import enum
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import attrs
from moneyed import Money

from facturlib.core._validators import (
    check_bool,
    check_date,
    check_instance,
    instance_of,
    is_int,
    optional_text,
    to_enum,
)
from facturlib.core.errors import PaymentError
from facturlib.core.money import to_money
from facturlib.receivables.penalties import FR_REFERENCE_RATES, ReferenceRates
from facturlib.receivables.terms import DueRule, EndOfMonth, end_of_month

__all__ = [
    "FR_SECTOR_LIMITS",
    "LegalFigure",
    "SectorBasis",
    "SectorLimit",
    "late_rate_floor",
    "latest_due_date",
    "recovery_indemnity",
]


@attrs.frozen(kw_only=True)
class LegalFigure:
    """A figure the law sets, with where it comes from.

    Attributes:
        value: the figure: a date, a rate in percent (`Decimal`) or an amount (`Money`).
        source: the legal text, e.g. ``"C. com. L441-10 I"``.
        note: how it was worked out, in words.

    .. versionadded:: 0.2
    """

    value: date | Decimal | Money = attrs.field()
    source: str = attrs.field(validator=instance_of(str, error=PaymentError))
    note: str = attrs.field(default="", validator=instance_of(str, error=PaymentError))

    @value.validator
    def _check_value(self, attribute: Any, value: Any) -> None:
        if not isinstance(value, date | Decimal | Money) or (
            isinstance(value, Decimal) and not value.is_finite()
        ):
            raise PaymentError(
                "a legal figure is a date, a finite rate or an amount",
                field="value",
                value=value,
                hint="e.g. LegalFigure(value=date(2025, 3, 16), source='C. com. L441-10 I')",
            )


class SectorBasis(enum.Enum):
    """What a sector cap counts from.

    .. versionadded:: 0.2
    """

    ISSUE_DATE = "issue_date"
    DELIVERY = "delivery"
    END_OF_DELIVERY_MONTH = "end_of_delivery_month"
    END_OF_DELIVERY_DECADE = "end_of_delivery_decade"


def _to_basis(value: SectorBasis | str) -> SectorBasis:
    return to_enum(value, SectorBasis, "basis", error=PaymentError)


def _name(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, str):
        raise PaymentError(
            f"{attribute.name} must be a non-empty str",
            field=attribute.name,
            value=value,
            hint='e.g. name="Transport routier de marchandises"',
        )


@attrs.frozen(kw_only=True)
class SectorLimit:
    """A sector's payment cap, shorter than the general one (C. com. L441-11).

    Attributes:
        name: the sector.
        days: the number of days.
        basis: what they count from (`SectorBasis`).
        source: the legal text.

    .. versionadded:: 0.2
    """

    name: str = attrs.field(converter=optional_text, validator=_name)
    days: int = attrs.field(validator=is_int(minimum=0, error=PaymentError, hint="e.g. 30"))
    basis: SectorBasis = attrs.field(converter=_to_basis)
    source: str = attrs.field(default="C. com. L441-11", converter=optional_text, validator=_name)

    def latest(self, issue_date: date, delivery_date: date | None) -> date:
        """The latest lawful due date under this cap."""
        if self.basis is SectorBasis.ISSUE_DATE:
            return issue_date + timedelta(days=self.days)
        if delivery_date is None:
            raise PaymentError(
                f"the cap of {self.name!r} counts from the delivery",
                field="delivery_date",
                value=None,
                hint="pass delivery_date=",
            )
        if self.basis is SectorBasis.DELIVERY:
            start = delivery_date
        elif self.basis is SectorBasis.END_OF_DELIVERY_MONTH:
            start = end_of_month(delivery_date)
        else:  # the decade (1–10, 11–20, 21–end) of the delivery
            start = (
                delivery_date.replace(day=10)
                if delivery_date.day <= 10
                else delivery_date.replace(day=20)
                if delivery_date.day <= 20
                else end_of_month(delivery_date)
            )
        return start + timedelta(days=self.days)


#: Sector caps of C. com. L441-11, as data (check the current text for your sector;
#: add your own `SectorLimit` where an interprofessional agreement applies).
FR_SECTOR_LIMITS = (
    SectorLimit(
        name="Transport routier de marchandises, location de véhicules, commission de "
        "transport, transitaires, agents maritimes et de fret aérien, courtiers de fret, "
        "commissionnaires en douane",
        days=30,
        basis=SectorBasis.ISSUE_DATE,
    ),
    SectorLimit(
        name="Produits alimentaires périssables",
        days=30,
        basis=SectorBasis.END_OF_DELIVERY_DECADE,
    ),
    SectorLimit(name="Bétail sur pied", days=20, basis=SectorBasis.DELIVERY),
    SectorLimit(
        name="Boissons alcooliques passibles de droits de consommation",
        days=30,
        basis=SectorBasis.END_OF_DELIVERY_MONTH,
    ),
)


def latest_due_date(
    issue_date: date,
    *,
    end_of_month: EndOfMonth | str | None = None,
    periodic: bool = False,
    sector: SectorLimit | None = None,
    delivery_date: date | None = None,
) -> LegalFigure:
    """The latest due date the law allows for an invoice issued on *issue_date*.

    Args:
        issue_date: the issue date (BT-2).
        end_of_month: the terms expressly stipulate "45 jours fin de mois", read
            with this `EndOfMonth` convention (A or B; C reads as A); ``None``: 60 days.
        periodic: a periodic recap invoice (facture récapitulative): 45 days from issue.
        sector: a shorter sector cap (`FR_SECTOR_LIMITS` or your own); the earlier
            of the two dates applies.
        delivery_date: the delivery, for sector caps counted from it.

    Returns:
        A `LegalFigure` whose value is the date.

    >>> latest_due_date(date(2024, 12, 31)).value
    datetime.date(2025, 3, 1)
    >>> latest_due_date(date(2025, 1, 15), sector=FR_SECTOR_LIMITS[0]).value
    datetime.date(2025, 2, 14)

    .. versionadded:: 0.2
    """
    check_date(issue_date, "issue_date", error=PaymentError)
    check_bool(periodic, "periodic", error=PaymentError)
    check_instance(sector, SectorLimit, "sector", optional=True, error=PaymentError)
    check_date(delivery_date, "delivery_date", optional=True, error=PaymentError)
    if periodic:
        day = issue_date + timedelta(days=45)
        source, note = "C. com. L441-10 I", "45 days from the issue of a periodic invoice"
    elif end_of_month is not None:
        convention = to_enum(end_of_month, EndOfMonth, "end_of_month", error=PaymentError)
        if convention is EndOfMonth.C:
            convention = EndOfMonth.A
        day = DueRule.end_of_month(45, convention).due_date(issue_date)
        source = "C. com. L441-10 I"
        note = f"45 days end of month (convention {convention.value}), expressly stipulated"
    else:
        day = issue_date + timedelta(days=60)
        source, note = "C. com. L441-10 I", "60 days from the issue date"
    if sector is not None:
        capped = sector.latest(issue_date, delivery_date)
        if capped < day:
            day = capped
            source = sector.source
            note = f"{sector.days} days ({sector.basis.value}) for {sector.name}"
    return LegalFigure(value=day, source=source, note=note)


def late_rate_floor(on: date, rates: ReferenceRates = FR_REFERENCE_RATES) -> LegalFigure:
    """The lowest contractual late-payment rate allowed on *on*: 3 × the legal rate.

    Raises:
        PaymentError: the table has no legal rate for that half-year (the message
            says how to add it).

    >>> late_rate_floor(date(2026, 3, 1)).value
    Decimal('7.86')

    .. versionadded:: 0.2
    """
    check_date(on, "on", error=PaymentError)
    check_instance(rates, ReferenceRates, "rates", error=PaymentError, hint="FR_REFERENCE_RATES")
    half = rates.for_day(on)
    if half.legal is None:
        raise PaymentError(
            f"the reference rates have no legal rate for H{half.half} {half.year}",
            field="legal",
            value=on,
            hint="add it from the arrêté fixing the taux de l'intérêt légal: "
            f"rates.with_rates(HalfYearRate(year={half.year}, half={half.half}, "
            f"mro='{half.mro}', legal='…'))",
        )
    return LegalFigure(
        value=3 * half.legal,
        source="C. com. L441-10 II",
        note=f"3 × the legal rate of H{half.half} {half.year} ({half.legal} %)",
    )


def recovery_indemnity(
    *, late: bool = True, collective_proceedings: bool = False, currency_code: str = "EUR"
) -> LegalFigure:
    """The fixed recovery indemnity of one invoice: €40 if paid late, else nothing.

    Not due by a debtor in collective proceedings (safeguard, receivership,
    liquidation: C. com. L441-10 II); the creditor may claim more on proof.

    >>> recovery_indemnity().value, recovery_indemnity().source
    (Money('40.00', 'EUR'), 'C. com. L441-10 II, D441-5')

    .. versionadded:: 0.2
    """
    check_bool(late, "late", error=PaymentError)
    check_bool(collective_proceedings, "collective_proceedings", error=PaymentError)
    if currency_code != "EUR":
        raise PaymentError(
            "the indemnity is set in euros",
            field="currency_code",
            value=currency_code,
            hint="convert €40 at the rate of the day the invoice fell due",
        )
    due = late and not collective_proceedings
    note = (
        "per invoice paid late"
        if due
        else ("none: the debtor is in collective proceedings" if late else "none: not late")
    )
    return LegalFigure(
        value=to_money("40.00" if due else "0.00", "EUR"),
        source="C. com. L441-10 II, D441-5",
        note=note,
    )
