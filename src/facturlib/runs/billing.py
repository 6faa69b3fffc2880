"""Bill runs: everything due through a date, drafted, grouped, issued and booked.

`bill_run` takes a `facturlib.runs.portfolio.BillingPortfolio` and a date and
returns a `BillRun` value — it does no I/O and reads no clock:

1. each customer's invoices are drafted and grouped
   (`facturlib.runs.drafting.draft_customer`, a pure function of one customer's book);
2. `issue_planned` issues them all in chronological order against the numbering
   state (gapless and chronological: CGI ann. II art. 242 nonies A); a draft whose
   planned date is earlier than the series' last number (a source added late) is
   **re-dated** to that day and its due date worked out again by its terms, instead
   of failing, and the run lists it under `BillRun.redated`;
3. the new invoices are booked (`facturlib.accounting.journal.journalize`, PCG),
   collected by SEPA direct debit for customers with a mandate
   (`facturlib.sepa.batch.debits_due`, one batch per collection date) and every open
   invoice goes through a dunning run on *through*
   (`facturlib.receivables.dunning.dunning_run`, French default ladder).

The returned state (`BillRun.state`, also inside `BillRun.portfolio`) records what
each source was billed through: run again with it, and nothing new is issued.

>>> from datetime import date
>>> from facturlib.demo import load_example_portfolio
>>> run = bill_run(load_example_portfolio(), through=date(2026, 3, 31))
>>> [(d.number, d.issue_date.isoformat(), d.buyer.key) for d in run.documents][:4]
[('FA-2026-0001', '2026-01-01', 'CLI0001'), ('FA-2026-0002', '2026-01-31', 'CLI0003'),
 ('FA-2026-0003', '2026-02-01', 'CLI0001'), ('AC-2026-0001', '2026-02-03', 'CLI0002')]
>>> again = bill_run(run.portfolio, through=date(2026, 3, 31))
>>> again.documents, again.direct_debits
((), ())

.. versionadded:: 0.2
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta

import attrs

from facturlib.accounting.accounts import ChartOfAccounts
from facturlib.accounting.journal import Activity, JournalEntry, journalize
from facturlib.core._validators import (
    as_tuple,
    check_instance,
    instance_of,
    is_date,
    is_optional_date,
    is_text,
    items_of,
    tuple_of,
)
from facturlib.core.documents import Invoice
from facturlib.core.errors import FacturlibError, InvalidValue, Problem
from facturlib.core.issuing import issue
from facturlib.core.numbering import NumberingPlan, SequenceState
from facturlib.receivables.dunning import (
    DunningAction,
    DunningExclusion,
    DunningPolicy,
    dunning_run,
)
from facturlib.runs.drafting import Drafts, PlannedInvoice, customer_books, draft_customer
from facturlib.runs.portfolio import Billed, BillingPortfolio, RunState
from facturlib.sepa.batch import DirectDebitBatch, debits_due
from facturlib.sepa.calendar import next_target_day
from facturlib.sepa.checks import check_batch
from facturlib.sepa.mandates import MandateHistory

__all__ = ["BillRun", "Issued", "Redating", "bill_run", "issue_planned"]


@attrs.frozen(kw_only=True)
class Redating:
    """A draft issued after its planned date, and dated again.

    Attributes:
        number: the number it was issued under.
        planned: the date it was planned for.
        issued: the date it was issued on (the series' last date).
        due_date: its due date, worked out again by its terms from *issued*.

    .. versionadded:: 0.2
    """

    number: str = attrs.field(validator=is_text)
    planned: date = attrs.field(validator=is_date)
    issued: date = attrs.field(validator=is_date)
    due_date: date | None = attrs.field(validator=is_optional_date)


@attrs.frozen(kw_only=True)
class Issued:
    """What `issue_planned` issued.

    Attributes:
        documents: the issued invoices, in issue order.
        numbering: the numbering state after the last one.
        redated: the invoices dated after their planned date.
        billed: for each source, the planned date of its last invoice issued.
        problems: the drafts that could not be issued; their sources stop there.
        failed: the sources of those drafts.

    .. versionadded:: 0.2
    """

    documents: tuple[Invoice, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Invoice)
    )
    numbering: SequenceState = attrs.field(
        factory=SequenceState, validator=instance_of(SequenceState)
    )
    redated: tuple[Redating, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Redating)
    )
    billed: tuple[Billed, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Billed)
    )
    problems: tuple[Problem, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Problem)
    )
    failed: tuple[str, ...] = attrs.field(default=(), converter=as_tuple, validator=tuple_of(str))


def _issue_one(
    item: PlannedInvoice, numbering: NumberingPlan, state: SequenceState
) -> tuple[Invoice, SequenceState, date, date | None]:
    """Issue *item* on its planned date, or on the last date of its series if that is
    later (its due date moved by its terms, or by as many days): ``(invoice, state,
    issue date, due date)``. Shared by `issue_planned` and the streamed runs.

    Raises:
        FacturlibError: the draft cannot be issued.
    """
    draft = item.draft
    on = item.planned
    due = draft.due_date
    scheme = numbering.scheme_for(draft.kind, draft.seller.legal_id)
    position = state.position(scheme.key)
    if position is not None and position.last_date > on:
        on = position.last_date
        if item.terms is not None:
            due = item.terms.terms.due_date(on)
        elif due is not None:
            due = due + (on - item.planned)
    issued, state = issue(draft, numbering, state, on, due_date=due)
    return issued, state, on, due


def _issue_problem(item: PlannedInvoice, error: FacturlibError) -> Problem:
    """The problem reported for a planned invoice that could not be issued."""
    return Problem(
        code="issue",
        message=f"{', '.join(item.sources)} planned {item.planned}: {error}",
        reference=item.customer,
    )


def issue_planned(
    planned: Iterable[PlannedInvoice], numbering: NumberingPlan, state: SequenceState
) -> Issued:
    """Issue *planned* invoices in chronological order (the sequential step of a run).

    The invoices are sorted by planned date (then customer and source), so that
    numbers follow dates. Each is issued on its planned date, or on the last date of
    its series if that is later (re-dated: its due date moves by its terms, or by as
    many days as it had). A draft that cannot be issued is reported, and the later
    drafts of its sources are left for the next run.

    Args:
        planned: the planned invoices of every customer (`draft_customer`).
        numbering: the numbering plan.
        state: the numbering state before the run.

    Returns:
        The `Issued` documents and the new numbering state.

    .. versionadded:: 0.2
    """
    planned = items_of(planned, PlannedInvoice, "planned", hint="draft_customer(...).planned")
    check_instance(numbering, NumberingPlan, "numbering", hint="portfolio.numbering_plan")
    check_instance(state, SequenceState, "state", hint="portfolio.state.numbering")
    documents: list[Invoice] = []
    redated: list[Redating] = []
    problems: list[Problem] = []
    failed: set[str] = set()
    last: dict[str, date] = {}
    ordered = sorted(planned, key=lambda p: (p.planned, p.customer, p.sources))
    for item in ordered:
        if failed.intersection(item.sources):
            continue
        try:
            issued, state, on, due = _issue_one(item, numbering, state)
        except FacturlibError as error:
            failed.update(item.sources)
            problems.append(_issue_problem(item, error))
            continue
        documents.append(issued)
        for source in item.sources:
            last[source] = item.planned
        if on != item.planned:
            assert issued.number is not None  # just issued
            redated.append(
                Redating(number=issued.number, planned=item.planned, issued=on, due_date=due)
            )
    return Issued(
        documents=tuple(documents),
        numbering=state,
        redated=tuple(redated),
        billed=tuple(Billed(source=s, through=d) for s, d in sorted(last.items())),
        problems=tuple(problems),
        failed=tuple(sorted(failed)),
    )


@attrs.frozen(kw_only=True)
class BillRun:
    """What a bill run produced (see `bill_run`).

    Attributes:
        through: the day the run billed through.
        documents: the invoices issued, in issue order.
        redated: those issued after their planned date.
        entries: their journal entries (PCG chart).
        direct_debits: the SEPA direct-debit batches collecting them.
        dunning: the dunning steps to take on *through*, over every open invoice.
        state: the state after the run.
        portfolio: the portfolio with that state, ready for the next run.
        problems: what could not be drafted, issued or collected; the rest of the
            run went ahead.

    .. versionadded:: 0.2
    """

    through: date = attrs.field(validator=is_date)
    documents: tuple[Invoice, ...] = attrs.field(converter=as_tuple, validator=tuple_of(Invoice))
    redated: tuple[Redating, ...] = attrs.field(converter=as_tuple, validator=tuple_of(Redating))
    entries: tuple[JournalEntry, ...] = attrs.field(
        converter=as_tuple, validator=tuple_of(JournalEntry)
    )
    direct_debits: tuple[DirectDebitBatch, ...] = attrs.field(
        converter=as_tuple, validator=tuple_of(DirectDebitBatch)
    )
    dunning: tuple[DunningAction, ...] = attrs.field(
        converter=as_tuple, validator=tuple_of(DunningAction)
    )
    state: RunState = attrs.field(validator=instance_of(RunState))
    portfolio: BillingPortfolio = attrs.field(validator=instance_of(BillingPortfolio))
    problems: tuple[Problem, ...] = attrs.field(converter=as_tuple, validator=tuple_of(Problem))


#: The dunning ladder of bill runs: the French default. The reminders state what is
#: overdue; late interest (C. com. L441-10) is claimed apart with
#: `facturlib.receivables.penalties.penalties_owed`, once the reference rate of each
#: half-year is published.
DUNNING_POLICY = DunningPolicy.french_default()


def _billed(
    portfolio: BillingPortfolio, drafts: Sequence[Drafts], issued: Issued, through: date
) -> tuple[Billed, ...]:
    """What every source is billed through after the run: *through*, or for a source
    stopped by a problem, the planned date of its last invoice issued."""
    stopped = {s for d in drafts for s in d.failed} | set(issued.failed)
    last = {b.source: b.through for b in issued.billed}
    records = {b.source: b for b in portfolio.state.billed}
    for book in customer_books(portfolio):
        for source in book.sources:
            if source not in stopped:
                records[source] = Billed(source=source, through=through)
            elif source in last:
                records[source] = Billed(source=source, through=last[source])
    return tuple(records[key] for key in sorted(records))


def _collections(
    portfolio: BillingPortfolio, documents: Sequence[Invoice], through: date
) -> tuple[tuple[DirectDebitBatch, ...], tuple[MandateHistory, ...], list[Problem]]:
    """One direct-debit batch per collection date for the new invoices of customers
    with a mandate; the mandates' histories after them."""
    mandates = {m.debtor.key: m for m in portfolio.mandates}
    histories = {h.reference: h for h in portfolio.state.mandates}
    if not mandates:
        return (), tuple(histories.values()), []
    # Collected on the due date, or on the first TARGET day after the run when the
    # due date has passed (a CORE file reaches the bank the business day before).
    earliest = through + timedelta(days=1)
    by_day: dict[date, list[Invoice]] = {}
    for doc in documents:
        if doc.buyer.key in mandates and doc.due_date is not None:
            day = next_target_day(max(doc.due_date, earliest))
            by_day.setdefault(day, []).append(doc)
    batches = []
    problems: list[Problem] = []
    for k, (day, invoices) in enumerate(sorted(by_day.items()), start=1):
        due_by = max(doc.due_date or day for doc in invoices)
        try:
            debits, after = debits_due(
                invoices, mandates, histories, due_by=due_by, collection_date=day
            )
        except FacturlibError as error:
            numbers = ", ".join(str(doc.number) for doc in invoices)
            problems.append(
                Problem(
                    code="sepa",
                    message=f"{numbers} issued but not collected on {day}: {error}",
                    reference=str(day),
                )
            )
            continue
        if not debits:
            continue
        batch = DirectDebitBatch(
            message_id=f"PRLV-{through:%Y%m%d}-{k:02}",
            created_at=datetime.combine(through, time(9)),
            creditor=portfolio.seller,
            debits=debits,
        )
        found = check_batch(batch)
        if found:
            problems += found
            continue
        histories = after
        batches.append(batch)
    return tuple(batches), tuple(histories[key] for key in sorted(histories)), problems


def bill_run(portfolio: BillingPortfolio, *, through: date) -> BillRun:
    """Bill everything due through *through*: see the module docstring.

    Args:
        portfolio: the portfolio, with the state of the previous runs.
        through: bill what is planned on or before this day; the dunning run is on
            this day too.

    Returns:
        The `BillRun`: documents, journal entries, direct debits, dunning steps, the
        new state and the problems met (the run goes ahead for everything else).

    Raises:
        InvalidValue: *portfolio* is not a `BillingPortfolio`, *through* not a date.

    .. versionadded:: 0.2
    """
    if not isinstance(portfolio, BillingPortfolio):
        raise InvalidValue(
            f"expected a BillingPortfolio, got {type(portfolio).__name__}",
            field="portfolio",
            hint="load one with facturlib.load_portfolio(path)",
        )
    if not isinstance(through, date) or isinstance(through, datetime):
        raise InvalidValue(
            "the day to bill through is a datetime.date",
            field="through",
            value=through,
            hint="e.g. date(2026, 12, 31)",
        )
    drafts = [draft_customer(book, through=through) for book in customer_books(portfolio)]
    planned = [p for d in drafts for p in d.planned]
    state = portfolio.state
    issued = issue_planned(planned, portfolio.numbering_plan, state.numbering)
    documents = issued.documents
    problems = [p for d in drafts for p in d.problems] + list(issued.problems)
    entries: tuple[JournalEntry, ...] = ()
    if documents:
        entries = journalize(Activity(documents=documents), chart=ChartOfAccounts())
    batches, histories, sepa_problems = _collections(portfolio, documents, through)
    problems += sepa_problems
    every = (*state.issued, *documents)
    # The debits sent are pending payments; one not collected yet stops the chasing
    # of its invoice until its collection date.
    payments = (*portfolio.payments, *(p for batch in batches for p in batch.payments()))
    allocations = (*portfolio.allocations, *(a for b in batches for a in b.allocations()))
    waiting = {p.id: p.date for p in payments if p.pending and p.date > through}
    exclusions = [
        DunningExclusion(
            reason="direct debit pending",
            invoice_number=a.invoice_number,
            until=waiting[a.payment_id],
        )
        for a in allocations
        if a.payment_id in waiting
    ]
    dunning = dunning_run(
        every,
        [p for p in payments if p.date <= through],
        DUNNING_POLICY,
        through,
        history=state.dunning,
        allocations=[a for a in allocations if a.date <= through],
        exclusions=exclusions,
    )
    problems += [
        Problem(code="dunning", message=a.problem, reference=a.invoice_number)
        for a in dunning
        if a.problem is not None
    ]
    new_state = RunState(
        numbering=issued.numbering,
        billed=_billed(portfolio, drafts, issued, through),
        issued=every,
        dunning=(*state.dunning, *(action.record() for action in dunning)),
        mandates=histories,
    )
    return BillRun(
        through=through,
        documents=documents,
        redated=issued.redated,
        entries=entries,
        direct_debits=batches,
        dunning=dunning,
        state=new_state,
        portfolio=attrs.evolve(
            portfolio, state=new_state, payments=payments, allocations=allocations
        ),
        problems=tuple(problems),
    )
