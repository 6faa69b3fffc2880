"""Billing plans: a deal billed in several times, by percentage milestones.

A `BillingPlan` is a list of `Milestone`\\s — a label, a percentage of the deal,
a `MilestoneKind` (deposit, intermediate, balance) and a date, given or computed
from the plan's start — whose percentages add up to exactly 100 %, e.g.
"Acompte 10 % à la signature, solde 90 % un mois plus tard". A plan holds no
amount and no deal, so one plan is a reusable template: `BillingPlan.in_installments`
("billing in 3 times") and `BillingPlan.deposit_and_balance` build the usual ones.

`milestone_invoices` turns a deal (quote or order) and a plan into all the draft
invoices in one call. The amounts follow one rule: each milestone bills
``cumulative % × deal − already billed``, per VAT rate, and the last one bills
exactly what remains, so the invoices add up to the deal **to the cent, taxable
amount, VAT and total, for every VAT rate**. A milestone's VAT is cumulative as
well (what brings the VAT billed so far to ``round(taxable so far × rate)``), and
is stated on the invoice (`facturlib.core.totals.StatedVat`) where it differs from the
invoice's own rounding — by one minor unit at most. Deposit milestones make
deposit invoices (type 386), the others plain invoices (380).

Dates computed from offsets add calendar months first, then days; a month
offset landing past the end of a month stops on its last day (31 January + 1
month = 28 or 29 February), as `dateutil.relativedelta` does.

Worked figures, 30/40/30 % of 10 000:

>>> from datetime import date
>>> from facturlib.core.documents import Order
>>> from facturlib.core.lines import Line
>>> from facturlib.core.money import to_money
>>> from facturlib.testing.builders import sample_buyer, sample_seller
>>> from facturlib.core.vat import FR_STANDARD
>>> order = Order(seller=sample_seller(), buyer=sample_buyer(), currency="EUR", number="BC-7",
...               lines=[Line(description="Étude", quantity=1,
...                           unit_price=to_money("10000.00", "EUR"), vat=FR_STANDARD)])
>>> plan = BillingPlan(milestones=[
...     Milestone(label="Signature", percent="30", kind="deposit"),
...     Milestone(label="Livraison", percent="40", after_months=2),
...     Milestone(label="Recette", percent="30", kind="balance", after_months=3)])
>>> drafts = milestone_invoices(order, plan, start=date(2025, 1, 31))
>>> [d.totals().tax_exclusive_total.amount for d in drafts]
[Decimal('3000.00'), Decimal('4000.00'), Decimal('3000.00')]
>>> [d.kind.code for d in drafts], plan.dates(date(2025, 1, 31))
(['386', '380', '380'], (datetime.date(2025, 1, 31), datetime.date(2025, 3, 31), \
datetime.date(2025, 4, 30)))
>>> BillingPlan(milestones=[Milestone(label="A", percent="30"), Milestone(label="B", percent="60")])
Traceback (most recent call last):
...
facturlib.core.errors.BillingPlanError: the milestones add up to 90 %, not 100 % ...
"""

from __future__ import annotations

import enum
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from facturlib.core._codes import DocumentKind
from facturlib.core._validators import (
    check_bool,
    check_date,
    is_optional_date,
    is_optional_text,
    optional_str,
    optional_text,
    to_enum,
    to_tuple,
)
from facturlib.core.documents import Invoice
from facturlib.core.errors import BillingPlanError
from facturlib.projects._shares import (
    Amounts,
    Deal,
    check_deal,
    cumulative_vat,
    deal_amounts,
    deal_name,
    itemized_invoice,
    share_invoice,
    to_percent,
)

__all__ = ["BillingPlan", "Milestone", "MilestoneKind", "milestone_invoices"]

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
#: A percentage split into basis points (0.01 %) for the plan templates.
_BASIS_POINTS = 10_000


class MilestoneKind(enum.Enum):
    """What a milestone bills.

    ``DEPOSIT`` milestones make deposit invoices (type 386) and come first;
    ``BALANCE`` (solde) is the last milestone; the others are ``INTERMEDIATE``.

    .. versionadded:: 0.1
    """

    DEPOSIT = "deposit"
    INTERMEDIATE = "intermediate"
    BALANCE = "balance"


def _label(value: Any) -> str:
    text = optional_str(value) if isinstance(value, str | int | None) else value
    if text is not None and not isinstance(text, str):
        raise BillingPlanError(
            f"a milestone label is text, got {type(value).__name__}",
            field="label",
            value=value,
            hint='e.g. "Acompte"',
        )
    if text is None:
        raise BillingPlanError(
            "a milestone needs a label", field="label", value=value, hint='e.g. "Acompte"'
        )
    return text


def _percent(value: Any) -> Decimal:
    return to_percent(value, "percent")


def _to_kind(value: MilestoneKind | str) -> MilestoneKind:
    return to_enum(value, MilestoneKind, "kind", error=BillingPlanError)


def _offset(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BillingPlanError(
            "an offset is a whole number of months or days, zero or more",
            field=attribute.name,
            value=value,
            hint="count from the plan's start date, e.g. after_months=1",
        )


@attrs.frozen(kw_only=True)
class Milestone:
    """One step of a billing plan: a percentage of the deal billed on a date.

    Attributes:
        label: what the invoice line says ("Acompte à la signature").
        percent: the share of the deal, above 0 and at most 100, up to 4 decimals.
        kind: a `MilestoneKind` (or its value, ``"deposit"``…); default intermediate.
        on: the milestone's date, if fixed; otherwise it is the plan's start date
            moved by *after_months* then *after_days*.
        after_months: calendar months after the start (end of month clipped).
        after_days: days after the start (added after the months).

    .. versionadded:: 0.1
    """

    label: str = attrs.field(converter=_label)
    percent: Decimal = attrs.field(converter=_percent)
    kind: MilestoneKind = attrs.field(default=MilestoneKind.INTERMEDIATE, converter=_to_kind)
    on: date | None = attrs.field(default=None, validator=is_optional_date)
    after_months: int = attrs.field(default=0, validator=_offset)
    after_days: int = attrs.field(default=0, validator=_offset)

    def __attrs_post_init__(self) -> None:
        if self.on is not None and (self.after_months or self.after_days):
            raise BillingPlanError(
                "a milestone has either a date or an offset, not both",
                field="on",
                value=self.on,
                hint="drop on= to compute the date from the plan's start",
            )

    def date_from(self, start: date | None) -> date:
        """The milestone's date: *on*, or *start* moved by the offsets.

        Raises:
            BillingPlanError: no fixed date and no *start*.
        """
        if self.on is not None:
            return self.on
        if start is None:
            raise BillingPlanError(
                f"milestone {self.label!r} has no date and the plan no start date",
                field="start",
                value=None,
                hint="pass start= (e.g. the signature date), or give the milestone on=",
            )
        return start + relativedelta(months=self.after_months) + timedelta(days=self.after_days)


def _milestones(value: Any) -> tuple[Milestone, ...]:
    items = to_tuple(value, "milestones")
    for i, item in enumerate(items):
        if not isinstance(item, Milestone):
            raise BillingPlanError(
                f"expected a Milestone, got {type(item).__name__}",
                field=f"milestones[{i}]",
                value=item,
                hint='build it with Milestone(label="Acompte", percent="30")',
            )
    return items


@attrs.frozen(kw_only=True)
class BillingPlan:
    """Milestones whose percentages add up to exactly 100 %.

    A plan is a template: it holds no amount and no deal, and dates computed from
    offsets depend on the start date given when it is used.

    Attributes:
        milestones: the `Milestone`\\s, in billing order. Deposits come first and a
            balance, if any, last.
        name: an optional name for the template ("Facturation en 3 fois").

    Raises:
        BillingPlanError: no milestone; percentages not adding up to 100 (the message
            gives their sum); a deposit after another kind, or a balance before the end.

    .. versionadded:: 0.1
    """

    milestones: tuple[Milestone, ...] = attrs.field(converter=_milestones)
    name: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )

    def __attrs_post_init__(self) -> None:
        if not self.milestones:
            raise BillingPlanError(
                "a billing plan needs at least one milestone",
                field="milestones",
                value=(),
                hint='e.g. [Milestone(label="Solde", percent="100")]',
            )
        total = sum((m.percent for m in self.milestones), _ZERO)
        if total != _HUNDRED:
            raise BillingPlanError(
                f"the milestones add up to {total.normalize():f} %, not 100 %",
                field="milestones",
                value=[f"{m.percent.normalize():f}" for m in self.milestones],
                hint=f"{'add' if total < _HUNDRED else 'remove'} "
                f"{abs(_HUNDRED - total).normalize():f} % to a milestone",
            )
        kinds = [m.kind for m in self.milestones]
        for i, kind in enumerate(kinds):
            if kind is MilestoneKind.DEPOSIT and any(
                k is not MilestoneKind.DEPOSIT for k in kinds[:i]
            ):
                raise BillingPlanError(
                    "deposit milestones come before the others",
                    field=f"milestones[{i}].kind",
                    value=kind.value,
                    hint="a deposit is asked before the work; move it to the front",
                )
            if kind is MilestoneKind.BALANCE and i != len(kinds) - 1:
                raise BillingPlanError(
                    "only the last milestone can be the balance",
                    field=f"milestones[{i}].kind",
                    value=kind.value,
                    hint="use MilestoneKind.INTERMEDIATE for the milestones before the last",
                )

    def dates(self, start: date | None = None) -> tuple[date, ...]:
        """Each milestone's date, given or computed from *start*.

        Raises:
            BillingPlanError: a milestone without a date and no *start*, or a
                milestone dated before the one it follows.
        """
        days = tuple(m.date_from(start) for m in self.milestones)
        for i in range(1, len(days)):
            if days[i] < days[i - 1]:
                raise BillingPlanError(
                    f"milestone {self.milestones[i].label!r} falls before the one it follows",
                    field=f"milestones[{i}]",
                    value=days[i],
                    hint=f"date it on or after {days[i - 1]}",
                )
        return days

    @classmethod
    def in_installments(
        cls, count: int, *, every_months: int = 1, label: str = "Échéance"
    ) -> BillingPlan:
        """Billing in *count* equal installments, *every_months* apart ("en 3 fois").

        Percentages are in hundredths of a percent, the first ones taking the odd
        hundredths: 3 installments are 33.34 %, 33.33 % and 33.33 %. The first is due
        at the start, the last one is the balance.

        >>> [m.percent for m in BillingPlan.in_installments(3).milestones]
        [Decimal('33.34'), Decimal('33.33'), Decimal('33.33')]
        """
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 100:
            raise BillingPlanError(
                "the number of installments is a whole number from 1 to 100",
                field="count",
                value=count,
                hint="e.g. BillingPlan.in_installments(3)",
            )
        share, extra = divmod(_BASIS_POINTS, count)
        milestones = [
            Milestone(
                label=f"{label} {i + 1}/{count}",
                percent=Decimal(share + (1 if i < extra else 0)).scaleb(-2),
                kind=MilestoneKind.BALANCE if i == count - 1 and count > 1 else "intermediate",
                after_months=i * every_months,
            )
            for i in range(count)
        ]
        return cls(milestones=milestones, name=f"Facturation en {count} fois")

    @classmethod
    def deposit_and_balance(
        cls,
        deposit_percent: Decimal | int | str,
        *,
        balance_after_months: int = 1,
        balance_after_days: int = 0,
    ) -> BillingPlan:
        """A deposit on signature and the balance later (default: one month later).

        >>> plan = BillingPlan.deposit_and_balance("10")
        >>> [(m.label, m.percent, m.kind.value) for m in plan.milestones]
        [('Acompte à la signature', Decimal('10'), 'deposit'), ('Solde', Decimal('90'), 'balance')]
        """
        deposit = to_percent(deposit_percent, "deposit_percent")
        if deposit == _HUNDRED:
            raise BillingPlanError(
                "a deposit of 100 % leaves no balance",
                field="deposit_percent",
                value=deposit,
                hint="use a single milestone of 100 %",
            )
        return cls(
            milestones=[
                Milestone(label="Acompte à la signature", percent=deposit, kind="deposit"),
                Milestone(
                    label="Solde",
                    percent=_HUNDRED - deposit,
                    kind="balance",
                    after_months=balance_after_months,
                    after_days=balance_after_days,
                ),
            ],
            name="Acompte et solde",
        )


def milestone_invoices(
    deal: Deal,
    plan: BillingPlan,
    *,
    start: date | None = None,
    payment_days: int = 0,
    lump: bool = False,
) -> tuple[Invoice, ...]:
    """Every draft invoice of *plan* for *deal*, one per milestone, in one call.

    Args:
        deal: the accepted `Quote` or the `Order`.
        plan: the `BillingPlan`.
        start: the date offsets count from (e.g. the signature date); needed unless
            every milestone has a fixed date.
        payment_days: days from a milestone's date to its invoice's due date (BT-9).
        lump: bill each milestone as one line per VAT rate ("Signature – 30 % –
            commande BC-7") instead of the deal's lines.

    Returns:
        One draft `Invoice` per milestone, in plan order, dated on the milestone's
        date (``issue_date``; `facturlib.issue` sets the real one) and due
        *payment_days* later: deposit invoices (386) for deposit milestones, invoices
        (380) for the others. Each shows the deal's lines with the share it bills
        ("Site web – 20 × 900,00 – 10 % facturé": one lump sum keeping the line's
        product id, VAT rate and period, ``source_line`` the deal line's id) and the
        share of the deal's document allowances and charges, the milestone's label
        as a note; with *lump*, one line per VAT rate instead. Either way, the
        invoices bill exactly the deal's taxable amount, VAT and total at every
        rate, and the lines of the deal's products add up to each deal line. A
        milestone too small to carry a minor unit of the deal bills zero.

    Raises:
        BillingPlanError: *deal* is not a quote or an order; a milestone has no date;
            dates go backwards; a VAT share the EN 16931 tolerance cannot carry.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 the invoices keep the deal's lines; ``lump`` for one line
       per VAT rate.
    """
    check_date(start, "start", optional=True, error=BillingPlanError)
    check_bool(lump, "lump", error=BillingPlanError)
    check_deal(deal)
    if not isinstance(plan, BillingPlan):
        raise BillingPlanError(
            f"expected a BillingPlan, got {type(plan).__name__}",
            field="plan",
            value=plan,
            hint="build it with BillingPlan(milestones=[...])",
        )
    _offset(None, attrs.fields(Milestone).after_days, payment_days)
    days = plan.dates(start)
    cur = deal.currency
    policy = deal.rounding
    whole = deal_amounts(deal)
    so_far: Amounts = dict.fromkeys(whole, (_ZERO, _ZERO))
    cumulative = _ZERO
    drafts = []
    for milestone, day in zip(plan.milestones, days, strict=True):
        before = {vat: taxable for vat, (taxable, _v) in so_far.items()}
        fractions = (cumulative / _HUNDRED, (cumulative + milestone.percent) / _HUNDRED)
        cumulative += milestone.percent
        amounts: Amounts = {}
        for vat, (taxable, vat_amount) in whole.items():
            # : cumulative % × deal − already billed; the last bills the rest.
            if cumulative == _HUNDRED:
                target = taxable
            else:
                target = policy.round(taxable * cumulative / _HUNDRED, cur)
            vat_target = cumulative_vat(vat, target, (taxable, vat_amount), policy, cur)
            before_t, before_v = so_far[vat]
            amounts[vat] = (target - before_t, vat_target - before_v)
            so_far[vat] = (target, vat_target)
        kind = (
            DocumentKind.DEPOSIT
            if milestone.kind is MilestoneKind.DEPOSIT
            else DocumentKind.INVOICE
        )
        description = f"{milestone.label} – {milestone.percent.normalize():f} % – {deal_name(deal)}"
        # The planned date, as subscription drafts carry theirs; `issue` sets the real one.
        dates = {"issue_date": day, "due_date": day + timedelta(days=payment_days)}
        if lump:
            draft = share_invoice(
                deal, amounts, kind=kind, description=description, allow_zero=True, **dates
            )
        else:
            draft = itemized_invoice(
                deal,
                amounts,
                before,
                fractions=fractions,
                percent=milestone.percent,
                kind=kind,
                description=description,
                allow_zero=True,
                **dates,
            )
        drafts.append(draft)
    return tuple(drafts)
