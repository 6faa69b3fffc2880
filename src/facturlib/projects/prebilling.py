"""Pre-billing plans: a portfolio of recurring engagements billed every month.

Accountancy firms and other professional practices bill each client under an
*engagement* (lettre de mission) per fiscal year, made of missions billed in
three ways:

* `FlatFeeMission`: an annual fee spread over the months of the fiscal year, in
  equal parts or by a custom schedule of monthly weights (e.g. nothing in
  August), split with `facturlib.core.money.allocate` so the months add up to the fee
  to the cent;
* `UnitMission`: a price per unit of work (payslips, bank statements…), the
  quantities of the month supplied as `Usage`;
* `TimeMission`: time spent, hours per collaborator × that collaborator's rate.

`prebill` returns the draft invoices of one month for the whole `Portfolio`: one
invoice per client, one line per mission (per collaborator for time missions).
Each line records what it bills: ``source_line`` is ``"<engagement>/<mission>"``
(``"/<collaborator>"`` for time) and ``period`` is the month. Given the invoices
already issued, `prebill` bills only what they do not cover yet — nothing twice
when run twice for the same month, and hours added late are billed as a
complement.

>>> from datetime import date
>>> from facturlib.core.money import to_money
>>> from facturlib.core.periods import Period
>>> from facturlib.testing.builders import sample_buyer, sample_seller
>>> from facturlib.core.vat import FR_STANDARD
>>> eur = lambda amount: to_money(amount, "EUR")
>>> engagement = Engagement(
...     id="LM-2025-01", client=sample_buyer(),
...     fiscal_year=Period(date(2025, 1, 1), date(2026, 1, 1)),
...     missions=[FlatFeeMission(id="compta", label="Tenue comptable",
...                              annual_fee=eur("6000.00"), vat=FR_STANDARD),
...               UnitMission(id="paie", label="Bulletins de paie",
...                           unit_price=eur("25.00"), vat=FR_STANDARD),
...               TimeMission(id="conseil", label="Conseil", vat=FR_STANDARD,
...                           rates={"alice": eur("150.00"), "bob": eur("90.00")})])
>>> portfolio = Portfolio(seller=sample_seller(), engagements=[engagement])
>>> usage = [Usage(engagement="LM-2025-01", mission="paie", quantity="12"),
...          Usage(engagement="LM-2025-01", mission="conseil", collaborator="alice",
...                quantity="2.5")]
>>> [draft] = prebill(portfolio, date(2025, 3, 1), usage)
>>> [(line.description, line.quantity, line.unit_price.amount) for line in draft.lines]
[('Tenue comptable – 03/2025', Decimal('1'), Decimal('500.00')), \
('Bulletins de paie – 03/2025', Decimal('12'), Decimal('25.00')), \
('Conseil – alice – 03/2025', Decimal('2.5'), Decimal('150.00'))]
>>> draft.totals().tax_exclusive_total
Money('1175.00', 'EUR')
>>> prebill(portfolio, date(2025, 3, 1), usage, issued=[draft])
()
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

import attrs
from dateutil.relativedelta import relativedelta
from moneyed import Currency, Money

from facturlib.core._codes import DocumentKind
from facturlib.core._validators import (
    check_date,
    check_instance,
    instance_of,
    is_int,
    is_optional_text,
    is_text,
    items_of,
    optional_str,
    optional_text,
    to_decimal,
    to_text,
    to_tuple,
)
from facturlib.core.documents import Invoice
from facturlib.core.errors import BillingPlanError
from facturlib.core.lines import Line, _is_unit_code
from facturlib.core.money import allocate, freeze_money
from facturlib.core.parties import Party
from facturlib.core.periods import Period
from facturlib.core.vat import VatRate

__all__ = [
    "Engagement",
    "FlatFeeMission",
    "Mission",
    "Portfolio",
    "TimeMission",
    "UnitMission",
    "Usage",
    "prebill",
]

_ZERO = Decimal(0)
_T = TypeVar("_T")


def _text(value: Any, field: str) -> str:
    text = optional_str(value) if isinstance(value, str | int) else None
    if text is None or "/" in text:
        raise BillingPlanError(
            f"{field} must be a non-empty text without '/'",
            field=field,
            value=value,
            hint="'/' separates the parts of a pre-billed line's source_line",
        )
    return text


def _id(value: Any) -> str:
    return _text(value, "id")


def _label(value: Any) -> str:
    return _text(value, "label")


def _quantity(value: Any) -> Decimal:
    return to_decimal(value, "quantity")


def _is_money(instance: object, attribute: attrs.Attribute[Money], value: object) -> None:
    if not isinstance(value, Money) or value.amount < 0:
        raise BillingPlanError(
            "expected a Money amount of zero or more",
            field=attribute.name,
            value=value,
            hint='build it with facturlib.to_money("100.00", "EUR")',
        )


def _is_vat(instance: object, attribute: attrs.Attribute[VatRate], value: object) -> None:
    if not isinstance(value, VatRate):
        raise BillingPlanError(
            f"expected a VatRate, got {type(value).__name__}",
            field=attribute.name,
            value=value,
            hint="use facturlib.FR_STANDARD or VatRate.standard('20')",
        )


def _weights(value: Any) -> tuple[Decimal, ...]:
    items = to_tuple(value, "schedule")
    weights = tuple(to_decimal(w, f"schedule[{i}]") for i, w in enumerate(items))
    if weights and (any(w < 0 for w in weights) or not any(weights)):
        raise BillingPlanError(
            "a schedule holds monthly weights of zero or more, at least one positive",
            field="schedule",
            value=[str(w) for w in weights],
            hint="e.g. eleven 1s and a 0 for a fee not billed in August",
        )
    return weights


@attrs.frozen(kw_only=True)
class FlatFeeMission:
    """A mission billed as an annual fee spread over the months of the fiscal year.

    Attributes:
        id: the mission's identifier within its engagement (no ``/``).
        label: the invoice line's description.
        annual_fee: the fee for the whole fiscal year, excluding VAT.
        vat: its `VatRate`.
        schedule: one weight per month of the fiscal year (a custom schedule); empty
            for equal months. The fee is split with `facturlib.core.money.allocate`.

    .. versionadded:: 0.1
    """

    id: str = attrs.field(converter=_id)
    label: str = attrs.field(converter=_label)
    annual_fee: Money = attrs.field(converter=freeze_money, validator=_is_money)
    vat: VatRate = attrs.field(validator=_is_vat)
    schedule: tuple[Decimal, ...] = attrs.field(default=(), converter=_weights)

    @property
    def currency(self) -> Currency:
        """The fee's currency."""
        return self.annual_fee.currency

    def monthly_amounts(self, months: int) -> tuple[Money, ...]:
        """The fee of each of *months* months, adding up to the annual fee exactly.

        Raises:
            BillingPlanError: a custom schedule of another length.
        """
        if self.schedule and len(self.schedule) != months:
            raise BillingPlanError(
                f"the schedule of mission {self.id!r} has {len(self.schedule)} months, "
                f"the fiscal year {months}",
                field="schedule",
                value=len(self.schedule),
                hint="give one weight per month of the fiscal year",
            )
        return allocate(self.annual_fee, self.schedule or [1] * months)


@attrs.frozen(kw_only=True)
class UnitMission:
    """A mission billed per unit of work: the month's quantity × the unit price.

    Attributes:
        id: the mission's identifier within its engagement (no ``/``).
        label: the invoice line's description.
        unit_price: the price of one unit, excluding VAT.
        vat: its `VatRate`.
        unit: the UNECE Rec 20 unit code of the line (default ``"C62"``, one unit).

    .. versionadded:: 0.1
    """

    id: str = attrs.field(converter=_id)
    label: str = attrs.field(converter=_label)
    unit_price: Money = attrs.field(converter=freeze_money, validator=_is_money)
    vat: VatRate = attrs.field(validator=_is_vat)
    unit: str = attrs.field(default="C62", validator=_is_unit_code)

    @property
    def currency(self) -> Currency:
        """The price's currency."""
        return self.unit_price.currency


def _rates(value: Any) -> tuple[tuple[str, Money], ...]:
    items = value.items() if isinstance(value, Mapping) else to_tuple(value, "rates")
    rates = []
    for i, item in enumerate(items):
        if not isinstance(item, tuple | list) or len(item) != 2:
            raise BillingPlanError(
                "rates map each collaborator to a Money",
                field=f"rates[{i}]",
                value=item,
                hint='e.g. rates={"alice": to_money("150.00", "EUR")}',
            )
        collaborator, rate = item
        name = _text(collaborator, "collaborator")
        rate = freeze_money(rate)  # a frozen copy; NaN and infinities refused
        if not isinstance(rate, Money) or rate.amount < 0:
            raise BillingPlanError(
                "a collaborator's rate is a Money amount of zero or more",
                field=f"rates[{name!r}]",
                value=rate,
                hint='e.g. rates={"alice": to_money("150.00", "EUR")}',
            )
        rates.append((name, rate))
    if len({name for name, _ in rates}) != len(rates):
        raise BillingPlanError(
            "a collaborator has one rate per mission",
            field="rates",
            value=[name for name, _ in rates],
        )
    return tuple(rates)


@attrs.frozen(kw_only=True)
class TimeMission:
    """A mission billed on time spent: hours per collaborator × that collaborator's rate.

    Attributes:
        id: the mission's identifier within its engagement (no ``/``).
        label: the invoice line's description (the collaborator is added).
        rates: collaborator → hourly rate excluding VAT (a mapping or pairs).
        vat: its `VatRate`.

    .. versionadded:: 0.1
    """

    id: str = attrs.field(converter=_id)
    label: str = attrs.field(converter=_label)
    rates: tuple[tuple[str, Money], ...] = attrs.field(converter=_rates)
    vat: VatRate = attrs.field(validator=_is_vat)

    def __attrs_post_init__(self) -> None:
        if not self.rates:
            raise BillingPlanError(
                "a time mission needs the rate of at least one collaborator",
                field="rates",
                value=(),
                hint='e.g. rates={"alice": to_money("150.00", "EUR")}',
            )

    @property
    def currency(self) -> Currency:
        """The rates' currency."""
        return self.rates[0][1].currency

    def rate(self, collaborator: str) -> Money:
        """The hourly rate of *collaborator*.

        Raises:
            BillingPlanError: the mission has no rate for *collaborator*.
        """
        for name, rate in self.rates:
            if name == collaborator:
                return rate
        raise BillingPlanError(
            f"mission {self.id!r} has no rate for collaborator {collaborator!r}",
            field="collaborator",
            value=collaborator,
            hint=f"add their rate to the mission (rates are known for "
            f"{', '.join(name for name, _ in self.rates)})",
        )


#: Any of the three kinds of mission.
Mission = FlatFeeMission | UnitMission | TimeMission


def _missions(value: Any) -> tuple[Mission, ...]:
    missions = to_tuple(value, "missions")
    for i, mission in enumerate(missions):
        if not isinstance(mission, FlatFeeMission | UnitMission | TimeMission):
            raise BillingPlanError(
                f"expected a mission, got {type(mission).__name__}",
                field=f"missions[{i}]",
                value=mission,
                hint="use FlatFeeMission, UnitMission or TimeMission",
            )
    return missions


def _months(period: Period) -> int:
    return (period.end.year - period.start.year) * 12 + period.end.month - period.start.month


@attrs.frozen(kw_only=True)
class Engagement:
    """A client's engagement (lettre de mission) for one fiscal year.

    Attributes:
        id: the engagement's reference, printed as the contract reference (BT-12);
            no ``/``.
        client: the buyer `Party`.
        fiscal_year: the `Period` it covers, in whole months (it starts and ends on
            the 1st of a month; it need not be a calendar year).
        missions: its `FlatFeeMission`, `UnitMission` and `TimeMission`\\s, all in one
            currency, with distinct ids.
        payment_days: days from the end of the billed month to the due date (BT-9).

    .. versionadded:: 0.1
    """

    id: str = attrs.field(converter=_id)
    client: Party
    fiscal_year: Period
    missions: tuple[Mission, ...] = attrs.field(converter=_missions)
    payment_days: int = attrs.field(default=30, validator=is_int(minimum=0, error=BillingPlanError))

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.client, Party):
            raise BillingPlanError("the client must be a Party", field="client", value=self.client)
        year = self.fiscal_year
        if not isinstance(year, Period) or year.start.day != 1 or year.end.day != 1:
            raise BillingPlanError(
                "a fiscal year is a Period of whole months",
                field="fiscal_year",
                value=year,
                hint="start and end it on the 1st of a month: Period(date(2025, 1, 1), "
                "date(2026, 1, 1))",
            )
        if not self.missions:
            raise BillingPlanError(
                "an engagement needs at least one mission", field="missions", value=()
            )
        ids = [m.id for m in self.missions]
        if len(set(ids)) != len(ids):
            raise BillingPlanError("mission ids must be unique", field="missions", value=ids)
        currencies = sorted({m.currency.code for m in self.missions})
        if len(currencies) != 1:
            raise BillingPlanError(
                "the missions of an engagement share one currency",
                field="missions",
                value=currencies,
                hint="make one engagement per currency",
            )
        for mission in self.missions:
            if isinstance(mission, FlatFeeMission):
                mission.monthly_amounts(_months(year))
        if isinstance(self.payment_days, bool) or not isinstance(self.payment_days, int):
            raise BillingPlanError(
                "payment days are a whole number", field="payment_days", value=self.payment_days
            )

    @property
    def currency(self) -> Currency:
        """The currency of its missions."""
        return self.missions[0].currency

    def mission(self, mission_id: str) -> Mission:
        """The mission called *mission_id*.

        Raises:
            BillingPlanError: no such mission.
        """
        return _find(self.missions, mission_id, f"engagement {self.id!r}", "mission")


@attrs.frozen(kw_only=True)
class Usage:
    """Work done in a month on a unit or time mission.

    Attributes:
        engagement: the engagement's id.
        mission: the mission's id.
        quantity: units of work, or hours for a time mission (up to 4 decimals, ≥ 0).
        collaborator: who spent the time (time missions only).

    .. versionadded:: 0.1
    """

    engagement: str = attrs.field(converter=to_text, validator=is_text)
    mission: str = attrs.field(converter=to_text, validator=is_text)
    quantity: Decimal = attrs.field(converter=_quantity)
    collaborator: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )

    def __attrs_post_init__(self) -> None:
        if self.quantity < 0:
            raise BillingPlanError(
                "a usage quantity is zero or more",
                field="quantity",
                value=self.quantity,
                hint="to bill less than what was issued, issue a credit note",
            )


def _engagements(value: Any) -> tuple[Engagement, ...]:
    engagements = to_tuple(value, "engagements")
    for i, engagement in enumerate(engagements):
        if not isinstance(engagement, Engagement):
            raise BillingPlanError(
                f"expected an Engagement, got {type(engagement).__name__}",
                field=f"engagements[{i}]",
                value=engagement,
            )
    ids = [e.id for e in engagements]
    if len(set(ids)) != len(ids):
        raise BillingPlanError("engagement ids must be unique", field="engagements", value=ids)
    return engagements


@attrs.frozen(kw_only=True)
class Portfolio:
    """A seller's engagements: everything `prebill` bills each month.

    .. versionadded:: 0.1
    """

    seller: Party = attrs.field(
        validator=instance_of(Party, error=BillingPlanError, hint="use facturlib.Party(...)")
    )
    engagements: tuple[Engagement, ...] = attrs.field(converter=_engagements)

    def engagement(self, engagement_id: str) -> Engagement:
        """The engagement called *engagement_id*.

        Raises:
            BillingPlanError: no such engagement.
        """
        return _find(self.engagements, engagement_id, "the portfolio", "engagement")


def _find(items: Sequence[_T], item_id: str, owner: str, what: str) -> _T:
    """The item of *items* whose ``id`` is *item_id*, or a `BillingPlanError` naming *owner*."""
    for item in items:
        if getattr(item, "id", None) == item_id:
            return item
    raise BillingPlanError(
        f"{owner} has no {what} {item_id!r}",
        field=what,
        value=item_id,
        hint=f"its {what}s are {[getattr(item, 'id', None) for item in items]}",
    )


def prebill(
    portfolio: Portfolio,
    month: date,
    usage: Sequence[Usage] = (),
    *,
    issued: Sequence[Invoice] = (),
) -> tuple[Invoice, ...]:
    """The draft invoices of *month* for every client of *portfolio*.

    Args:
        portfolio: the `Portfolio`.
        month: any day of the month to bill.
        usage: the month's `Usage` of unit and time missions (several records for the
            same mission and collaborator add up).
        issued: the invoices already made (issued, or drafts kept): lines they hold
            for this month are not billed again. Credit notes are not read: to bill a
            cancelled month again, leave the cancelled invoice out.

    Returns:
        One draft `Invoice` per client (and currency) with something left to bill this
        month, in portfolio order, with a line per mission — per collaborator for
        time missions — whose ``source_line`` is ``"<engagement>/<mission>"``
        (``"/<collaborator>"``) and whose ``period`` is the month. A flat fee bills the
        month's share of the annual fee; units and hours bill what *usage* holds
        beyond what *issued* already billed.

    Raises:
        BillingPlanError: usage for an unknown engagement or mission, for a flat-fee
            mission, for an engagement whose fiscal year does not cover the month,
            without a collaborator on a time mission (or with one on a unit mission),
            or for a collaborator the mission has no rate for.

    .. versionadded:: 0.1
    """
    check_instance(portfolio, Portfolio, "portfolio", error=BillingPlanError)
    check_date(month, "month", error=BillingPlanError)
    usage = items_of(usage, Usage, "usage", error=BillingPlanError)
    issued = items_of(issued, Invoice, "issued", error=BillingPlanError)
    if not isinstance(portfolio, Portfolio):
        raise BillingPlanError(
            f"expected a Portfolio, got {type(portfolio).__name__}",
            field="portfolio",
            value=portfolio,
        )
    if not isinstance(month, date) or isinstance(month, datetime):
        raise BillingPlanError(
            "the month to bill is a datetime.date",
            field="month",
            value=month,
            hint="pass any day of the month, e.g. date(2025, 3, 1)",
        )
    start = month.replace(day=1)
    period = Period(start, start + relativedelta(months=1))
    worked = _usage(portfolio, period, usage)
    done = _done(issued, period)
    drafts: dict[tuple[str, str], list[Any]] = {}
    for engagement in portfolio.engagements:
        if period.start not in engagement.fiscal_year:
            continue
        lines = [
            line
            for mission in engagement.missions
            for line in _mission_lines(engagement, mission, period, worked, done)
        ]
        if not lines:
            continue
        key = (engagement.client.key, engagement.currency.code)
        if key not in drafts:
            drafts[key] = [engagement, []]
        drafts[key][1].extend(lines)
    return tuple(
        _draft(portfolio.seller, engagement, lines, period) for engagement, lines in drafts.values()
    )


def _usage(portfolio: Portfolio, period: Period, usage: Sequence[Usage]) -> dict[str, Decimal]:
    """The month's usage, checked, as source_line key → quantity."""
    worked: dict[str, Decimal] = {}
    for i, record in enumerate(usage):
        if not isinstance(record, Usage):
            raise BillingPlanError(
                f"expected a Usage, got {type(record).__name__}", field=f"usage[{i}]", value=record
            )
        engagement = portfolio.engagement(record.engagement)
        if period.start not in engagement.fiscal_year:
            raise BillingPlanError(
                f"engagement {engagement.id!r} does not cover {period.start:%m/%Y}",
                field=f"usage[{i}].engagement",
                value=record.engagement,
                hint=f"its fiscal year is {engagement.fiscal_year.start} to "
                f"{engagement.fiscal_year.last_day}",
            )
        mission = engagement.mission(record.mission)
        if isinstance(mission, FlatFeeMission):
            raise BillingPlanError(
                f"mission {mission.id!r} is a flat fee: it takes no usage",
                field=f"usage[{i}].mission",
                value=record.mission,
                hint="its fee is spread over the fiscal year by its schedule",
            )
        if isinstance(mission, TimeMission):
            if record.collaborator is None:
                raise BillingPlanError(
                    f"time spent on mission {mission.id!r} needs a collaborator",
                    field=f"usage[{i}].collaborator",
                    value=None,
                    hint="say who spent the hours: Usage(..., collaborator='alice')",
                )
            mission.rate(record.collaborator)
        elif record.collaborator is not None:
            raise BillingPlanError(
                f"mission {mission.id!r} is billed per unit, not per collaborator",
                field=f"usage[{i}].collaborator",
                value=record.collaborator,
                hint="leave the collaborator out",
            )
        key = _key(engagement, mission, record.collaborator)
        worked[key] = worked.get(key, _ZERO) + record.quantity
    return worked


def _key(engagement: Engagement, mission: Mission, collaborator: str | None = None) -> str:
    parts = (engagement.id, mission.id) + ((collaborator,) if collaborator else ())
    return "/".join(parts)


def _done(issued: Sequence[Invoice], period: Period) -> dict[str, tuple[Decimal, Decimal]]:
    """What *issued* already bills for *period*: source_line key → (quantity, net)."""
    done: dict[str, tuple[Decimal, Decimal]] = {}
    for i, invoice in enumerate(issued):
        if not isinstance(invoice, Invoice):
            raise BillingPlanError(
                f"expected an Invoice, got {type(invoice).__name__}",
                field=f"issued[{i}]",
                value=invoice,
            )
        if invoice.kind is not DocumentKind.INVOICE:
            continue
        for line, net in zip(invoice.lines, invoice.totals().line_nets, strict=True):
            if line.period == period and line.source_line is not None:
                quantity, amount = done.get(line.source_line, (_ZERO, _ZERO))
                done[line.source_line] = (quantity + line.quantity, amount + net)
    return done


def _mission_lines(
    engagement: Engagement,
    mission: Mission,
    period: Period,
    worked: Mapping[str, Decimal],
    done: Mapping[str, tuple[Decimal, Decimal]],
) -> list[Line]:
    suffix = f" – {period.start:%m/%Y}"
    common: dict[str, Any] = {"vat": mission.vat, "period": period, "product_id": mission.id}
    if isinstance(mission, FlatFeeMission):
        key = _key(engagement, mission)
        year = engagement.fiscal_year
        index = _months(Period(year.start, period.end)) - 1
        due = mission.monthly_amounts(_months(year))[index]
        left = due.amount - done.get(key, (_ZERO, _ZERO))[1]
        if left <= 0:
            return []
        return [
            Line(
                description=mission.label + suffix,
                quantity=1,
                unit_price=Money(left, due.currency),
                unit="MON",
                source_line=key,
                **common,
            )
        ]
    if isinstance(mission, UnitMission):
        key = _key(engagement, mission)
        left = worked.get(key, _ZERO) - done.get(key, (_ZERO, _ZERO))[0]
        if left <= 0:
            return []
        return [
            Line(
                description=mission.label + suffix,
                quantity=left,
                unit_price=mission.unit_price,
                unit=mission.unit,
                source_line=key,
                **common,
            )
        ]
    lines = []
    for collaborator, rate in mission.rates:
        key = _key(engagement, mission, collaborator)
        left = worked.get(key, _ZERO) - done.get(key, (_ZERO, _ZERO))[0]
        if left > 0:
            lines.append(
                Line(
                    description=f"{mission.label} – {collaborator}{suffix}",
                    quantity=left,
                    unit_price=rate,
                    unit="HUR",
                    source_line=key,
                    **common,
                )
            )
    return lines


def _draft(seller: Party, engagement: Engagement, lines: list[Line], period: Period) -> Invoice:
    references = {line.source_line.split("/")[0] for line in lines if line.source_line}
    return Invoice(
        seller=seller,
        buyer=engagement.client,
        currency=engagement.currency,
        lines=tuple(lines),
        period=period,
        contract_reference=engagement.id if len(references) == 1 else None,
        due_date=period.last_day + timedelta(days=engagement.payment_days),
    )
