"""Drafting: what one customer owes through a date, as planned draft invoices.

A bill run is two steps with a plain value between them:

1. **Drafting** (this module, parallelizable): `customer_books` splits a
   `facturlib.runs.portfolio.BillingPortfolio` into one `CustomerBook` per customer —
   a self-contained, picklable value holding that customer's subscriptions, projects,
   engagements, usage, payment terms and what each was billed through — and
   `draft_customer` turns one book into `Drafts`: the `PlannedInvoice`\\s due
   through a date and the problems met. It is a pure function of the book and the
   date, so the books can be drafted in any order, in threads, processes or on a
   cluster, and the results concatenated.
2. **Issuing** (`facturlib.runs.billing.issue_planned`, sequential): the planned
   invoices of every customer, sorted by planned date, are numbered, dated and
   booked in chronological order against one numbering state.

What is due: a subscription's drafts (`facturlib.recurring.subscriptions.schedule`)
and a project's milestone invoices (`facturlib.projects.milestones.milestone_invoices`)
planned after the day the source was billed through and on or before *through*; an
engagement's months (`facturlib.projects.prebilling.prebill`) whose last day falls in
that window, billed in arrears on the month's last day.

**Grouping** ("groupement de facturation"): the subscription drafts of one
customer planned the same day, in the same currency, under the same payment terms,
buyer reference and due date, become one invoice — unless a subscription opts out
(``group: false``). Its lines keep their own service periods (BG-26); the
invoice's period (BG-14) spans them all, and its note lists the contracts.

Payment terms named in the portfolio set each draft's due date (BT-9) and its
terms text (BT-20).

>>> from datetime import date
>>> from facturlib.demo import load_example_portfolio
>>> books = customer_books(load_example_portfolio())
>>> [book.customer.key for book in books]
['CLI0001', 'CLI0002', 'CLI0003', 'CLI0004']
>>> drafts = draft_customer(books[0], through=date(2026, 1, 31))
>>> [(p.planned.isoformat(), p.sources) for p in drafts.planned]
[('2026-01-01', ('subscription:ABO-2026-001', 'subscription:ABO-2026-002'))]

.. versionadded:: 0.2
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from functools import partial

import attrs
from dateutil.relativedelta import relativedelta

from facturlib.core._validators import (
    as_tuple,
    check_date,
    check_instance,
    instance_of,
    is_date,
    is_text,
    tuple_of,
)
from facturlib.core.documents import Invoice
from facturlib.core.errors import FacturlibError, Problem
from facturlib.core.parties import Party
from facturlib.core.periods import Period
from facturlib.projects.milestones import milestone_invoices
from facturlib.projects.prebilling import Engagement, Usage, prebill
from facturlib.projects.prebilling import Portfolio as EngagementPortfolio
from facturlib.receivables.terms import format_terms
from facturlib.recurring.subscriptions import schedule
from facturlib.runs.portfolio import (
    Billed,
    BillingPortfolio,
    NamedTerms,
    PortfolioCustomer,
    PortfolioProject,
    PortfolioSubscription,
    _check_usage,
)

__all__ = ["CustomerBook", "Drafts", "PlannedInvoice", "customer_books", "draft_customer"]


@attrs.frozen(kw_only=True)
class CustomerBook:
    """Everything drafting needs for one customer, and nothing of the others.

    Attributes:
        seller: the seller.
        customer: the customer.
        payment_terms: the named terms its sources use.
        subscriptions: its subscriptions.
        projects: its projects.
        engagements: its engagements.
        usage: the usage recorded on its engagements, as ``(month, usage)`` pairs.
        billed: what each of its sources was billed through.

    .. versionadded:: 0.2
    """

    seller: Party = attrs.field(validator=instance_of(Party))
    customer: PortfolioCustomer = attrs.field(validator=instance_of(PortfolioCustomer))
    payment_terms: tuple[NamedTerms, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(NamedTerms)
    )
    subscriptions: tuple[PortfolioSubscription, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(PortfolioSubscription)
    )
    projects: tuple[PortfolioProject, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(PortfolioProject)
    )
    engagements: tuple[Engagement, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Engagement)
    )
    usage: tuple[tuple[date, Usage], ...] = attrs.field(
        default=(), converter=as_tuple, validator=_check_usage
    )
    billed: tuple[Billed, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Billed)
    )

    @property
    def sources(self) -> tuple[str, ...]:
        """The keys of its sources, as in `facturlib.runs.portfolio.RunState.billed`."""
        return (
            *(s.source for s in self.subscriptions),
            *(p.source for p in self.projects),
            *(f"engagement:{e.id}" for e in self.engagements),
        )

    def billed_through(self, source: str) -> date | None:
        """The day *source* was billed through, or ``None``."""
        for billed in self.billed:
            if billed.source == source:
                return billed.through
        return None

    def terms(self, name: str | None) -> NamedTerms | None:
        """The named terms *name*, else the customer's default terms."""
        wanted = name if name is not None else self.customer.terms
        for named in self.payment_terms:
            if named.name == wanted:
                return named
        return None


@attrs.frozen(kw_only=True)
class PlannedInvoice:
    """A draft invoice and what it bills: the value handed from drafting to issuing.

    Attributes:
        draft: the draft, dated on its planned date (``issue_date``) and due by its
            terms.
        planned: the planned date.
        customer: the customer's id.
        sources: the sources it bills (several when grouped).
        terms: its payment terms, which date it again if it is issued later.

    .. versionadded:: 0.2
    """

    draft: Invoice = attrs.field(validator=instance_of(Invoice))
    planned: date = attrs.field(validator=is_date)
    customer: str = attrs.field(validator=is_text)
    sources: tuple[str, ...] = attrs.field(converter=as_tuple, validator=tuple_of(str))
    terms: NamedTerms | None = attrs.field(
        default=None, validator=instance_of(NamedTerms, optional=True)
    )


@attrs.frozen(kw_only=True)
class Drafts:
    """What `draft_customer` found for one customer.

    Attributes:
        customer: the customer's id.
        planned: the planned invoices, by planned date.
        problems: what stopped a source from being drafted (that source is skipped
            and stays billed through its earlier date).
        failed: the sources that could not be drafted.

    .. versionadded:: 0.2
    """

    customer: str = attrs.field(validator=is_text)
    planned: tuple[PlannedInvoice, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(PlannedInvoice)
    )
    problems: tuple[Problem, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Problem)
    )
    failed: tuple[str, ...] = attrs.field(default=(), converter=as_tuple, validator=tuple_of(str))


def customer_books(portfolio: BillingPortfolio) -> tuple[CustomerBook, ...]:
    """Split *portfolio* into one `CustomerBook` per customer, in portfolio order.

    .. versionadded:: 0.2
    """
    check_instance(portfolio, BillingPortfolio, "portfolio", hint="load_portfolio(path)")
    books = []
    for customer in portfolio.customers:
        key = customer.key
        subscriptions = tuple(s for s in portfolio.subscriptions if s.subscription.buyer.key == key)
        projects = tuple(p for p in portfolio.projects if p.order.buyer.key == key)
        engagements = tuple(e for e in portfolio.engagements if e.client.key == key)
        ids = {e.id for e in engagements}
        usage = tuple(u for u in portfolio.usage if u[1].engagement in ids)
        names = {customer.terms, *(s.terms for s in subscriptions), *(p.terms for p in projects)}
        book = CustomerBook(
            seller=portfolio.seller,
            customer=customer,
            payment_terms=tuple(t for t in portfolio.payment_terms if t.name in names),
            subscriptions=subscriptions,
            projects=projects,
            engagements=engagements,
            usage=usage,
        )
        sources = set(book.sources)
        books.append(
            attrs.evolve(
                book, billed=tuple(b for b in portfolio.state.billed if b.source in sources)
            )
        )
    return tuple(books)


def _with_terms(draft: Invoice, day: date, terms: NamedTerms | None) -> Invoice:
    if terms is None:
        return draft
    return attrs.evolve(
        draft, due_date=terms.terms.due_date(day), payment_terms=format_terms(terms.terms)
    )


def _window(book: CustomerBook, source: str, day: date, through: date) -> bool:
    after = book.billed_through(source)
    return day <= through and (after is None or day > after)


@attrs.frozen
class _Piece:
    draft: Invoice
    planned: date
    source: str
    terms: NamedTerms | None
    group: bool
    name: str | None


def _subscription_pieces(
    book: CustomerBook, held: PortfolioSubscription, through: date
) -> list[_Piece]:
    terms = book.terms(held.terms)
    pieces = []
    for draft in schedule(held.subscription, until=through + timedelta(days=1)):
        day = draft.issue_date
        assert day is not None  # schedule dates every draft
        if _window(book, held.source, day, through):
            pieces.append(
                _Piece(_with_terms(draft, day, terms), day, held.source, terms, held.group, None)
            )
    return pieces


def _project_pieces(book: CustomerBook, project: PortfolioProject, through: date) -> list[_Piece]:
    terms = book.terms(project.terms)
    drafts = milestone_invoices(
        project.order, project.plan, start=project.start, payment_days=project.payment_days
    )
    pieces = []
    for draft in drafts:
        day = draft.issue_date
        assert day is not None  # milestone_invoices dates every draft
        if _window(book, project.source, day, through) and draft.lines:
            dated = _with_terms(draft, day, terms)
            pieces.append(_Piece(dated, day, project.source, terms, False, None))
    return pieces


def _engagement_pieces(book: CustomerBook, engagement: Engagement, through: date) -> list[_Piece]:
    source = f"engagement:{engagement.id}"
    terms = book.terms(None)
    pieces = []
    month = engagement.fiscal_year.start
    single = EngagementPortfolio(seller=book.seller, engagements=[engagement])
    while month < engagement.fiscal_year.end:
        last = month + relativedelta(months=1) - timedelta(days=1)
        if _window(book, source, last, through):
            usage = [u for day, u in book.usage if day == month]
            for draft in prebill(single, month, usage):
                dated = _with_terms(attrs.evolve(draft, issue_date=last), last, terms)
                pieces.append(_Piece(dated, last, source, terms, False, None))
        month += relativedelta(months=1)
    return pieces


def _merge(seller: Party, pieces: Sequence[_Piece]) -> PlannedInvoice:
    first = pieces[0]
    if len(pieces) == 1:
        return PlannedInvoice(
            draft=first.draft,
            planned=first.planned,
            customer=first.draft.buyer.key,
            sources=(first.source,),
            terms=first.terms,
        )
    drafts = [p.draft for p in pieces]
    lines = [line for d in drafts for line in d.lines]
    lines = [attrs.evolve(line, id=str(n)) for n, line in enumerate(lines, start=1)]
    periods = [d.period for d in drafts if d.period is not None]
    period = Period(min(p.start for p in periods), max(p.end for p in periods)) if periods else None
    references = [d.contract_reference for d in drafts if d.contract_reference]
    draft = Invoice(
        seller=seller,
        buyer=first.draft.buyer,
        currency=first.draft.currency,
        lines=lines,
        rounding=first.draft.rounding,
        period=period,
        issue_date=first.planned,
        due_date=first.draft.due_date,
        buyer_reference=first.draft.buyer_reference,
        payment_terms=first.draft.payment_terms,
        notes=[f"Abonnements : {', '.join(references)}"] if references else [],
    )
    return PlannedInvoice(
        draft=draft,
        planned=first.planned,
        customer=first.draft.buyer.key,
        sources=tuple(p.source for p in pieces),
        terms=first.terms,
    )


def _group_key(piece: _Piece) -> tuple[object, ...]:
    d = piece.draft
    terms = piece.terms.name if piece.terms is not None else None
    return (
        piece.planned,
        d.currency.code,
        terms,
        d.due_date,
        d.buyer_reference,
        d.rounding,
    )


def draft_customer(book: CustomerBook, *, through: date) -> Drafts:
    """The invoices due by *book*'s customer through *through*, grouped where allowed.

    A pure function of its arguments: see the module docstring.

    Args:
        book: one customer's book (`customer_books`).
        through: bill what is planned on or before this day.

    Returns:
        The `Drafts`: planned invoices by planned date, and a `Problem` for each
        source that could not be drafted (the others are drafted all the same).

    .. versionadded:: 0.2
    """
    check_instance(book, CustomerBook, "book", hint="one of customer_books(portfolio)")
    check_date(through, "through")
    pieces: list[_Piece] = []
    problems: list[Problem] = []
    failed: list[str] = []
    jobs: list[tuple[str, Callable[[], list[_Piece]]]] = []
    for held in book.subscriptions:
        jobs.append((held.source, partial(_subscription_pieces, book, held, through)))
    for project in book.projects:
        jobs.append((project.source, partial(_project_pieces, book, project, through)))
    for engagement in book.engagements:
        job = partial(_engagement_pieces, book, engagement, through)
        jobs.append((f"engagement:{engagement.id}", job))
    for source, make in jobs:
        try:
            pieces += make()
        except FacturlibError as error:
            failed.append(source)
            problems.append(
                Problem(code="draft", message=f"{source}: {error}", reference=book.customer.key)
            )
    groupable = [p for p in pieces if p.group and p.source.startswith("subscription:")]
    alone = [p for p in pieces if p not in groupable]
    planned = [_merge(book.seller, [p]) for p in alone]
    groupable.sort(key=lambda p: (p.planned, repr(_group_key(p)), p.source))
    for _, run in itertools.groupby(groupable, key=_group_key):
        planned.append(_merge(book.seller, list(run)))
    planned.sort(key=lambda p: (p.planned, p.sources))
    return Drafts(
        customer=book.customer.key,
        planned=tuple(planned),
        problems=tuple(problems),
        failed=tuple(failed),
    )
