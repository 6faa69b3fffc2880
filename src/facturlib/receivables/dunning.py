"""Dunning: which overdue invoices to chase today, at which level.

A `DunningPolicy` is a ladder of `DunningLevel`\\s (DOMAIN.md §8, a practice, not
a legal schedule): level 0 is "nothing sent"; level 1 might be a friendly
reminder at due date + 7 days, level 2 a second reminder 8 days after the first
that mentions the penalties and the €40 indemnity, level 3 a formal notice
(mise en demeure) at due date + 30 days. Each level has its day offset from the
due date or from the previous step, an optional fee and a letter template.

`dunning_run` is pure: given the invoices, the payments, the policy, today and
the history of steps already taken (`DunningRecord`\\s, which the caller stores),
it returns the `DunningAction`\\s to take now — never for settled invoices,
credit notes or amounts covered by pending payments, never below the policy's
threshold, never for excluded (disputed, paused) invoices or customers, and
never the same level twice: an invoice's current level is the highest level in
its history. One step per run: an invoice three levels behind climbs one level
at a time. Store ``action.record()`` in the history once the letter is sent.

`dunning_letters` groups the actions into one `DunningLetter` per customer and
level, with the totals computed, for `facturlib.renderers.letters.LetterRenderer`.

>>> from datetime import date
>>> from facturlib.core.issuing import issue
>>> from facturlib.core.numbering import SequenceState
>>> from facturlib.testing.builders import sample_invoice, sample_scheme
>>> invoice, _ = issue(sample_invoice(), sample_scheme(), SequenceState(), on=date(2025, 1, 15))
>>> policy = DunningPolicy.french_default()
>>> [a.level for a in dunning_run([invoice], [], policy, date(2025, 2, 20))]
[]
>>> (action,) = dunning_run([invoice], [], policy, date(2025, 2, 21))
>>> action.level, action.step.name, action.amount_due, action.days_overdue
(1, 'Relance 1', Money('1440.00', 'EUR'), 7)
>>> dunning_run([invoice], [], policy, date(2025, 2, 22), history=[action.record()])
()

.. versionadded:: 0.1
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import attrs
from moneyed import Money

from facturlib.core._validators import (
    as_tuple,
    check_date,
    check_instance,
    instance_of,
    is_bool,
    is_date,
    is_int,
    is_money,
    is_optional_date,
    is_optional_text,
    items_of,
    optional_text,
    to_enum,
    to_tuple,
    tuple_of,
)
from facturlib.core.documents import Invoice
from facturlib.core.errors import PaymentError
from facturlib.core.parties import Party
from facturlib.receivables.payments import (
    Payment,
    PaymentAllocation,
    PaymentReversal,
    Refund,
    WriteOff,
    _terms_by_number,
    _zero_in,
    balance,
    settle,
)
from facturlib.receivables.penalties import PenaltyPolicy, late_penalty
from facturlib.receivables.terms import PaymentTerms

__all__ = [
    "DunningAction",
    "DunningBasis",
    "DunningExclusion",
    "DunningLetter",
    "DunningLevel",
    "DunningPolicy",
    "DunningRecord",
    "LetterItem",
    "PlannedStep",
    "current_level",
    "dunning_calendar",
    "dunning_letters",
    "dunning_run",
    "manual_reminder",
]

_ZERO = Decimal(0)


class DunningBasis(enum.Enum):
    """What a level's day offset counts from.

    .. versionadded:: 0.1
    """

    DUE_DATE = "due_date"
    PREVIOUS_STEP = "previous_step"


_POLICY_HINT = "e.g. DunningPolicy.french_default()"


def _money_or_none(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None and (not isinstance(value, Money) or value.amount < 0):
        raise PaymentError(
            f"{attribute.name} must be a Money ≥ 0 or None",
            field=attribute.name,
            value=value,
            hint='e.g. to_money("15.00", "EUR")',
        )


def _to_basis(value: DunningBasis | str) -> DunningBasis:
    return to_enum(value, DunningBasis, "after", error=PaymentError)


def _required_text(instance: Any, attribute: Any, value: Any) -> None:
    if value is None:
        raise PaymentError(
            f"{attribute.name} must not be empty",
            field=attribute.name,
            value=value,
            hint='e.g. "Relance 1"',
        )
    if not isinstance(value, str):
        raise PaymentError(
            f"expected a str, got {type(value).__name__}",
            field=attribute.name,
            value=value,
            hint="pass a str",
        )


@attrs.frozen(kw_only=True)
class DunningLevel:
    """One step of the dunning ladder.

    Attributes:
        name: what the step is called, e.g. ``"Relance 1"``, ``"Mise en demeure"``.
        days: the offset in days, from the due date or from the previous step.
        after: `DunningBasis.DUE_DATE` or `DunningBasis.PREVIOUS_STEP`.
        fee: a dunning fee to add to the letter, if any.
        template: the letter template key: ``"reminder"``, ``"second_reminder"``,
            ``"formal_notice"`` or your own (see `facturlib.renderers.letters`).
        min_amount: do not take this step for less overdue than this.

    .. versionadded:: 0.1
    """

    name: str = attrs.field(converter=optional_text, validator=_required_text)
    days: int = attrs.field()
    after: DunningBasis = attrs.field(default=DunningBasis.DUE_DATE, converter=_to_basis)
    fee: Money | None = attrs.field(default=None, validator=_money_or_none)
    template: str = attrs.field(
        default="reminder", converter=optional_text, validator=_required_text
    )
    min_amount: Money | None = attrs.field(default=None, validator=_money_or_none)

    @days.validator
    def _check_days(self, attribute: Any, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise PaymentError(
                "days must be a whole number", field="days", value=value, hint="e.g. days=7"
            )
        if self.after is DunningBasis.PREVIOUS_STEP and value < 1:
            raise PaymentError(
                "a step after the previous one needs at least one day",
                field="days",
                value=value,
                hint="a step is never taken twice on one day",
            )


def _levels(value: Iterable[DunningLevel]) -> tuple[DunningLevel, ...]:
    levels = to_tuple(value, "levels")
    if not levels:
        raise PaymentError(
            "a dunning policy needs at least one level",
            field="levels",
            value=levels,
            hint="e.g. DunningPolicy.french_default()",
        )
    for i, level in enumerate(levels):
        if not isinstance(level, DunningLevel):
            raise PaymentError(
                f"expected a DunningLevel, got {type(level).__name__}",
                field=f"levels[{i}]",
                value=level,
            )
    return levels


@attrs.frozen(kw_only=True)
class DunningPolicy:
    """A dunning ladder, a threshold and how penalties are computed.

    Attributes:
        levels: the steps; level *n* is ``levels[n - 1]`` (level 0: nothing sent).
        min_amount: do not chase less overdue than this (per invoice).
        penalties: to compute interest to date and the indemnity, if given.

    .. versionadded:: 0.1
    """

    levels: tuple[DunningLevel, ...] = attrs.field(converter=_levels)
    min_amount: Money | None = attrs.field(default=None, validator=_money_or_none)
    penalties: PenaltyPolicy | None = attrs.field(
        default=None,
        validator=instance_of(
            PenaltyPolicy, optional=True, error=PaymentError, hint="e.g. PenaltyPolicy(rate='12')"
        ),
    )

    @classmethod
    def french_default(cls, *, penalties: PenaltyPolicy | None = None) -> DunningPolicy:
        """The usual French ladder (DOMAIN.md §8): a friendly reminder at due + 7 days,
        a second reminder 8 days later (due + 15), a formal notice at due + 30."""
        return cls(
            levels=(
                DunningLevel(name="Relance 1", days=7, template="reminder"),
                DunningLevel(
                    name="Relance 2",
                    days=8,
                    after=DunningBasis.PREVIOUS_STEP,
                    template="second_reminder",
                ),
                DunningLevel(name="Mise en demeure", days=30, template="formal_notice"),
            ),
            penalties=penalties,
        )


@attrs.frozen(kw_only=True)
class DunningRecord:
    """A dunning step taken: which invoice, which level, when. The caller stores them.

    Attributes:
        invoice_number: the invoice chased.
        level: the level reached (≥ 1); for a manual reminder, 0.
        date: the day the step was taken (the run date).
        scheduled: the day the ladder planned it for, if known (``versionadded 0.2``).
        manual: a reminder sent by hand, outside the ladder: kept in the same history,
            it never climbs a level (``versionadded 0.2``); see `manual_reminder`.
        note: what was sent or said, e.g. "Appel au service comptable" (``versionadded 0.2``).

    .. versionadded:: 0.1
    """

    invoice_number: str = attrs.field(converter=optional_text, validator=_required_text)
    level: int = attrs.field()
    date: date = attrs.field(validator=is_date)
    scheduled: dt.date | None = attrs.field(default=None, validator=is_optional_date)
    manual: bool = attrs.field(default=False, validator=is_bool)
    note: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )

    @level.validator
    def _check_level(self, attribute: Any, value: int) -> None:
        minimum = 0 if self.manual else 1
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise PaymentError(
                f"a dunning level is a whole number ≥ {minimum}",
                field="level",
                value=value,
                hint="a step of the ladder is level 1 or more; a manual reminder is level 0",
            )


def manual_reminder(invoice_number: str, on: date, *, note: str | None = None) -> DunningRecord:
    """A reminder sent by hand (a call, an e-mail), recorded in the dunning history.

    It stays in the history beside the ladder's steps but never climbs a level:
    the next step of the ladder is still planned from the due date or the last
    ladder step.

    >>> record = manual_reminder("FA-2025-0001", date(2025, 2, 18), note="Appel comptabilité")
    >>> record.manual, record.level, current_level("FA-2025-0001", [record])
    (True, 0, 0)

    .. versionadded:: 0.2
    """
    check_date(on, "on", error=PaymentError)
    return DunningRecord(invoice_number=invoice_number, level=0, date=on, manual=True, note=note)


@attrs.frozen(kw_only=True)
class DunningExclusion:
    """An invoice or a customer not to chase: disputed, on a payment plan, paused.

    Attributes:
        reason: why, e.g. ``"disputed"``, ``"paused"``.
        invoice_number: the invoice excluded, or
        customer: the customer excluded (all its invoices).
        until: the last day of the exclusion (inclusive); ``None`` until lifted.

    .. versionadded:: 0.1
    """

    reason: str = attrs.field(converter=optional_text, validator=_required_text)
    invoice_number: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    customer: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    until: date | None = attrs.field(default=None, validator=is_optional_date)

    @until.validator
    def _check_target(self, attribute: Any, value: date | None) -> None:
        if (self.invoice_number is None) == (self.customer is None):
            raise PaymentError(
                "an exclusion names an invoice or a customer",
                field="invoice_number",
                value=(self.invoice_number, self.customer),
                hint="give invoice_number= or customer=, one of the two",
            )

    def applies(self, invoice: Invoice, today: date) -> bool:
        """Whether it excludes *invoice* on *today*."""
        if self.until is not None and today > self.until:
            return False
        if self.invoice_number is not None:
            return invoice.number == self.invoice_number
        return invoice.buyer.key == self.customer


@attrs.frozen(kw_only=True)
class DunningAction:
    """A dunning step to take today.

    Attributes:
        invoice_number: the invoice to chase.
        customer: its buyer's key.
        level: the level reached (1 for the first step).
        step: the `DunningLevel`.
        date: today: the day the run takes the step.
        scheduled: the day the ladder planned it for (on or before *date*;
            ``versionadded 0.2``).
        problem: why the penalties of this invoice could not be computed (a reference
            rate missing for a half-year, with how to add it), or ``None``; the other
            invoices of the run are unaffected and `dunning_letters` leaves this one
            out until fixed (``versionadded 0.2``).
        due_date: the due date of the oldest installment not paid.
        days_overdue: days since then.
        amount_due: the overdue amount (pending payments deducted).
        interest: late interest to date (zero without a penalty policy).
        indemnity: the fixed recovery indemnity, if due.
        invoice: the invoice itself, for the letter.

    .. versionadded:: 0.1
    """

    invoice_number: str = attrs.field(validator=instance_of(str))
    customer: str = attrs.field(validator=instance_of(str))
    level: int = attrs.field(validator=is_int())
    step: DunningLevel = attrs.field(validator=instance_of(DunningLevel))
    due_date: date = attrs.field(validator=is_date)
    date: date = attrs.field(validator=is_date)
    days_overdue: int = attrs.field(validator=is_int())
    amount_due: Money = attrs.field(validator=is_money())
    interest: Money = attrs.field(validator=is_money())
    indemnity: Money | None = attrs.field(validator=is_money(optional=True))
    invoice: Invoice = attrs.field(repr=False, eq=False, validator=instance_of(Invoice))
    scheduled: dt.date | None = attrs.field(default=None, validator=is_optional_date)
    problem: str | None = attrs.field(default=None, validator=is_optional_text)

    def record(self) -> DunningRecord:
        """The history record of this step, to store once it is taken."""
        return DunningRecord(
            invoice_number=self.invoice_number,
            level=self.level,
            date=self.date,
            scheduled=self.scheduled,
        )


def current_level(
    invoice_number: str, history: Iterable[DunningRecord], *, on: date | None = None
) -> int:
    """The dunning level an invoice has reached: the highest in its history (0 if none).

    Args:
        invoice_number: the invoice.
        history: the records stored so far.
        on: ignore records dated after this day.

    .. versionadded:: 0.1
    """
    check_instance(invoice_number, str, "invoice_number", error=PaymentError)
    history = items_of(history, DunningRecord, "history", error=PaymentError)
    check_date(on, "on", optional=True, error=PaymentError)
    return max(
        (
            r.level
            for r in history
            if r.invoice_number == invoice_number and not r.manual and (on is None or r.date <= on)
        ),
        default=0,
    )


def dunning_run(
    invoices: Iterable[Invoice],
    payments: Iterable[Payment],
    policy: DunningPolicy,
    today: date,
    *,
    history: Iterable[DunningRecord] = (),
    allocations: Iterable[PaymentAllocation] = (),
    reversals: Iterable[PaymentReversal] = (),
    exclusions: Iterable[DunningExclusion] = (),
    terms: Mapping[str, PaymentTerms] | None = None,
    refunds: Iterable[Refund] = (),
    write_offs: Iterable[WriteOff] = (),
) -> tuple[DunningAction, ...]:
    """The dunning steps to take on *today*.

    For each issued invoice with an overdue amount on *today* (after payments,
    credit notes and pending payments, see `facturlib.receivables.payments.settle`), the next
    level after its current one is due when *today* reaches the level's offset
    from the due date of the oldest unpaid installment or from the date of the
    previous step. Invoices below the thresholds or excluded are skipped.

    Args:
        invoices: issued invoices and credit notes (credit notes are credit).
        payments: the payments received.
        policy: the `DunningPolicy`.
        today: the day of the run.
        history: the `DunningRecord`\\s of the steps already taken.
        allocations: explicit allocations, as for `facturlib.receivables.payments.settle`.
        reversals: reversed payments.
        exclusions: disputed or paused invoices and customers.
        terms: payment terms by invoice number, for invoices paid in installments.
        refunds: refunds made, as for `facturlib.receivables.payments.settle`
            (``versionadded 0.2``).
        write_offs: balances written off: an invoice with a write-off in effect is
            never chased again (``versionadded 0.2``).

    Returns:
        The `DunningAction`\\s, by customer then due date.

    .. versionadded:: 0.1
    """
    records = items_of(history, DunningRecord, "history", error=PaymentError)
    excluded = items_of(exclusions, DunningExclusion, "exclusions", error=PaymentError)
    check_instance(policy, DunningPolicy, "policy", error=PaymentError, hint=_POLICY_HINT)
    check_date(today, "today", error=PaymentError)
    terms = _terms_by_number(terms)
    settlement = settle(
        invoices,
        payments,
        on=today,
        allocations=allocations,
        reversals=reversals,
        refunds=refunds,
        write_offs=write_offs,
    )
    actions: list[DunningAction] = []
    for invoice in settlement.invoices:
        number = str(invoice.number)
        if settlement.written_off(number):
            continue  # written off: never chased again
        state = balance(invoice, settlement, terms=terms.get(number))
        if state.settled or state.due.amount <= 0:
            continue
        if any(e.applies(invoice, today) for e in excluded):
            continue
        level = current_level(number, records, on=today)
        if level >= len(policy.levels):
            continue
        step = policy.levels[level]
        start = state.due_date
        if step.after is DunningBasis.PREVIOUS_STEP and level > 0:
            start = max(
                r.date
                for r in records
                if r.invoice_number == number
                and r.level == level
                and not r.manual
                and r.date <= today
            )
        scheduled = start + timedelta(days=step.days)
        if today < scheduled:
            continue
        # A step on or before the due date (days ≤ 0: a pre-reminder, a reminder on the
        # due date itself) chases what is due; any later step, what is overdue.
        early = step.after is DunningBasis.DUE_DATE and step.days <= 0
        if state.overdue.amount <= 0 and not early:
            continue
        chased = state.overdue if state.overdue.amount > 0 else state.due
        state = attrs.evolve(state, overdue=chased)
        if any(
            threshold is not None
            and threshold.currency == state.overdue.currency
            and state.overdue.amount < threshold.amount
            for threshold in (policy.min_amount, step.min_amount)
        ):
            continue
        interest = Money(_zero_in(invoice.currency), invoice.currency)
        indemnity = None
        problem = None
        if policy.penalties is not None:
            try:
                penalty = late_penalty(
                    invoice, settlement, policy.penalties, terms=terms.get(number), until=today
                )
                interest, indemnity = penalty.interest, penalty.indemnity
            except PaymentError as error:
                # A reference rate missing for a half-year fails this invoice only, never
                # the whole run: the action says why and how to add the rate.
                problem = str(error)
        actions.append(
            DunningAction(
                invoice_number=number,
                customer=state.customer,
                level=level + 1,
                step=step,
                date=today,
                due_date=state.due_date,
                days_overdue=state.days_overdue,
                amount_due=state.overdue,
                interest=interest,
                indemnity=indemnity,
                invoice=invoice,
                scheduled=scheduled,
                problem=problem,
            )
        )
    return tuple(sorted(actions, key=lambda a: (a.customer, a.due_date, a.invoice_number)))


@attrs.frozen(kw_only=True)
class PlannedStep:
    """One step of an invoice's dunning calendar.

    Attributes:
        level: the level the step reaches (1 for the first).
        step: the `DunningLevel`.
        planned: the day the ladder plans it for: the due date (of the oldest
            installment not paid) + its days, or the previous step's date (taken, or
            else planned) + its days.
        taken: the day it was taken, from the history, or ``None`` if not yet.

    .. versionadded:: 0.2
    """

    level: int = attrs.field(validator=is_int(minimum=1, error=PaymentError))
    step: DunningLevel = attrs.field(validator=instance_of(DunningLevel))
    planned: date = attrs.field(validator=is_date)
    taken: date | None = attrs.field(default=None, validator=is_optional_date)


def dunning_calendar(
    invoice: Invoice,
    policy: DunningPolicy,
    *,
    due_date: date | None = None,
    history: Iterable[DunningRecord] = (),
) -> tuple[PlannedStep, ...]:
    """The planned date of every step of *policy* for *invoice*: a preview of the ladder.

    A step counted from the due date is planned on ``due date + days`` (``days=0``:
    on the due date itself); a step counted from the previous one, ``days`` after the
    day that step was taken, or else was planned. Steps already taken carry their
    date from *history*; manual reminders (`manual_reminder`) move nothing. The
    ladder is a practice, not a legal schedule; penalties run from the day after the
    due date without any reminder (C. com. L441-10 II).

    Args:
        invoice: the issued invoice.
        policy: the `DunningPolicy`.
        due_date: the due date to plan from (e.g. ``balance(...).due_date``, the
            oldest installment not paid); by default the invoice's due date (BT-9).
        history: the steps already taken.

    Returns:
        One `PlannedStep` per level, in ladder order.

    >>> from facturlib.core.issuing import issue
    >>> from facturlib.core.numbering import SequenceState
    >>> from facturlib.testing.builders import sample_invoice, sample_scheme
    >>> invoice, _ = issue(sample_invoice(), sample_scheme(), SequenceState(), on=date(2025, 1, 15))
    >>> [(s.step.name, s.planned.isoformat())
    ...  for s in dunning_calendar(invoice, DunningPolicy.french_default())]
    [('Relance 1', '2025-02-21'), ('Relance 2', '2025-03-01'), ('Mise en demeure', '2025-03-16')]

    .. versionadded:: 0.2
    """
    check_instance(invoice, Invoice, "invoice", error=PaymentError, hint="an issued Invoice")
    check_instance(policy, DunningPolicy, "policy", error=PaymentError, hint=_POLICY_HINT)
    check_date(due_date, "due_date", optional=True, error=PaymentError)
    records = items_of(history, DunningRecord, "history", error=PaymentError)
    start = due_date or invoice.due_date or invoice.issue_date
    if start is None:
        raise PaymentError(
            "the invoice has no due date to plan from",
            field="due_date",
            value=None,
            hint="issue the invoice first, or pass due_date=",
        )
    taken: dict[int, date] = {}
    for record in records:
        if record.invoice_number == invoice.number and not record.manual:
            known = taken.get(record.level)
            taken[record.level] = record.date if known is None else min(known, record.date)
    steps: list[PlannedStep] = []
    previous: date | None = None
    for level, step in enumerate(policy.levels, start=1):
        if step.after is DunningBasis.PREVIOUS_STEP and previous is not None:
            planned = previous + timedelta(days=step.days)
        else:
            planned = start + timedelta(days=step.days)
        done = taken.get(level)
        steps.append(PlannedStep(level=level, step=step, planned=planned, taken=done))
        previous = done or planned
    return tuple(steps)


@attrs.frozen(kw_only=True)
class LetterItem:
    """One invoice listed in a dunning letter.

    .. versionadded:: 0.1
    """

    invoice_number: str = attrs.field(validator=instance_of(str))
    issue_date: date = attrs.field(validator=is_date)
    due_date: date = attrs.field(validator=is_date)
    days_overdue: int = attrs.field(validator=is_int())
    amount_due: Money = attrs.field(validator=is_money())
    interest: Money = attrs.field(validator=is_money())
    indemnity: Money | None = attrs.field(validator=is_money(optional=True))


@attrs.frozen(kw_only=True)
class DunningLetter:
    """A dunning letter to one customer at one level, ready to render.

    Every amount is computed here; renderers only format (DESIGN.md).

    Attributes:
        seller: the creditor.
        customer: the debtor (the invoices' buyer).
        level: the level number.
        step: the `DunningLevel` (its ``template`` picks the wording).
        date: the letter's date.
        items: the invoices chased.
        amount_due: Σ amounts due.
        interest: Σ late interest.
        indemnities: Σ fixed indemnities, or ``None`` when none is due (or it is in
            another currency than the invoices: see *indemnity_currency_total*).
        fee: the level's fee, if any.
        total: amount due + interest + indemnities + fee, where in the same currency.

    .. versionadded:: 0.1
    """

    seller: Party = attrs.field(validator=instance_of(Party))
    customer: Party = attrs.field(validator=instance_of(Party))
    level: int = attrs.field(validator=is_int())
    step: DunningLevel = attrs.field(validator=instance_of(DunningLevel))
    date: date = attrs.field(validator=is_date)
    items: tuple[LetterItem, ...] = attrs.field(converter=as_tuple, validator=tuple_of(LetterItem))
    amount_due: Money = attrs.field(validator=is_money())
    interest: Money = attrs.field(validator=is_money())
    indemnities: Money | None = attrs.field(validator=is_money(optional=True))
    fee: Money | None = attrs.field(validator=is_money(optional=True))
    total: Money = attrs.field(validator=is_money())


def dunning_letters(actions: Iterable[DunningAction]) -> tuple[DunningLetter, ...]:
    """Group *actions* into one `DunningLetter` per (seller, customer, level, currency).

    Actions with a ``problem`` (penalties that could not be computed) are left out.

    Raises:
        PaymentError: a fee or indemnity that cannot be added to the invoices' currency.

    .. versionadded:: 0.1
    """
    groups: dict[tuple[str, str, int, str], list[DunningAction]] = {}
    for action in items_of(actions, DunningAction, "actions", error=PaymentError):
        if action.problem is not None:
            continue  # its penalties are unknown: no letter with wrong figures
        invoice = action.invoice
        key = (invoice.seller.key, action.customer, action.level, invoice.currency.code)
        groups.setdefault(key, []).append(action)
    letters = []
    for key in sorted(groups):
        group = groups[key]
        first = group[0]
        cur = first.invoice.currency

        def total(values: Iterable[Money], cur: Any = cur) -> Money:
            return Money(sum((v.amount for v in values), _zero_in(cur)), cur)

        items = tuple(
            LetterItem(
                invoice_number=a.invoice_number,
                issue_date=a.invoice.issue_date or a.due_date,
                due_date=a.due_date,
                days_overdue=a.days_overdue,
                amount_due=a.amount_due,
                interest=a.interest,
                indemnity=a.indemnity,
            )
            for a in group
        )
        amount_due = total(i.amount_due for i in items)
        interest = total(i.interest for i in items)
        found = [i.indemnity for i in items if i.indemnity is not None]
        indemnities = None
        if found:
            indemnities = Money(sum((m.amount for m in found), _ZERO), found[0].currency)
        fee = first.step.fee
        extras = [m for m in (indemnities, fee) if m is not None]
        for extra in extras:
            if extra.currency != cur:
                raise PaymentError(
                    f"an amount in {extra.currency.code} in a letter about {cur.code} invoices",
                    field="fee",
                    value=extra,
                    hint=f"give the dunning fee and the indemnity in {cur.code}",
                )
        letters.append(
            DunningLetter(
                seller=first.invoice.seller,
                customer=first.invoice.buyer,
                level=first.level,
                step=first.step,
                date=first.date,
                items=items,
                amount_due=amount_due,
                interest=interest,
                indemnities=indemnities,
                fee=fee,
                total=amount_due + interest + total(extras),
            )
        )
    return tuple(letters)
