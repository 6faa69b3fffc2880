"""Cut-off at closing: deferred revenue (PCA) and accrued revenue (FAE).

Revenue belongs to the fiscal year in which the service is rendered (PCG). At a closing date:

* `deferred_revenue` (produits constatés d'avance, **487**): an invoice issued by the
  closing date whose service period — the line's `period` (BG-26), else the
  invoice's (BG-14) — runs past it has earned only part of its revenue. The rest is
  taken out of revenue: OD at the closing date D 70x / C 487, reversed the next day.
  Net amounts only: the VAT was due when invoiced (or is due on payment) either way.
* `accrued_revenue` (factures à établir, **4181**): work done by the closing date but
  invoiced later (a draft, or an invoice issued after the closing): OD at the closing
  date D 4181 / C 70x / C 44587 for its VAT, reversed the next day.

The share of a period on each side of the closing is an explicit choice
(`DeferralBasis`): **by days** (actual days) or **by months** (30E/360: every month
weighs 30 days). Every split goes through `facturlib.core.money.allocate`,
so the deferred and earned parts always add up to the amount split.

Worked example (PCG): 1 200.00 HT for 1 Oct 2025 – 30 Sep 2026, closing 31 Dec 2025:

>>> from datetime import date
>>> from facturlib.accounting.accounts import ChartOfAccounts
>>> from facturlib.core.issuing import issue
>>> from facturlib.core.money import to_money
>>> from facturlib.core.numbering import SequenceState
>>> from facturlib.core.periods import Period
>>> from facturlib.testing.builders import sample_invoice, sample_line, sample_scheme
>>> line = sample_line(quantity=1, unit="ANN", unit_price=to_money("1200.00", "EUR"),
...                    period=Period.inclusive(date(2025, 10, 1), date(2026, 9, 30)))
>>> draft = sample_invoice(lines=[line], due_date=date(2025, 10, 31))
>>> invoice, _ = issue(draft, sample_scheme(), SequenceState(), on=date(2025, 10, 1))
>>> chart, closing = ChartOfAccounts(), date(2025, 12, 31)
>>> [d.amount for d in deferred_revenue([invoice], chart=chart, closing=closing,
...                                      basis=DeferralBasis.MONTHS)]
[Money('900.00', 'EUR')]
>>> (pca,) = deferred_revenue([invoice], chart=chart, closing=closing, basis=DeferralBasis.DAYS)
>>> pca.amount, pca.reversal.date
(Money('897.53', 'EUR'), datetime.date(2026, 1, 1))
>>> [(line.account.number, line.amount.amount) for line in pca.entry.lines]
[('706000', Decimal('897.53')), ('487000', Decimal('-897.53'))]
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from decimal import Decimal

import attrs
from moneyed import Currency, Money

from facturlib.accounting.accounts import Account, ChartOfAccounts
from facturlib.accounting.journal import (
    JournalEntry,
    _clean,
    _document_rate,
    _Item,
    _Postings,
    _revenue_items,
    _to_book,
)
from facturlib.core._codes import DocumentKind
from facturlib.core._validators import (
    check_date,
    check_instance,
    instance_of,
    is_date,
    is_money,
    items_of,
)
from facturlib.core.documents import Invoice
from facturlib.core.errors import LedgerError
from facturlib.core.money import allocate, freeze_money
from facturlib.core.periods import Period
from facturlib.recurring.proration import thirty_e_360_days

__all__ = ["Deferral", "DeferralBasis", "accrued_revenue", "deferred_revenue"]

_ZERO = Decimal(0)
_NO_ANALYTICS: tuple[str | None, str | None] = (None, None)


class DeferralBasis(enum.Enum):
    """How a period is shared between the two sides of a closing date.

    .. versionadded:: 0.1
    """

    #: Actual days: 1 Oct 2025 – 30 Sep 2026 closed on 31 Dec → 273/365 after.
    DAYS = "days"
    #: 30E/360, every month weighs 30 days: → 270/360 = 9/12 after.
    MONTHS = "months"


@attrs.frozen(kw_only=True)
class Deferral:
    """The revenue of one document moved across a closing date.

    Attributes:
        piece: the document's number (for a draft, a generated ``FAE…`` reference).
        closing: the closing date.
        amount: the net amount moved (negative for a credit note).
        entry: the OD entry booked at the closing date.
        reversal: the entry that reverses it on the next day.

    .. versionadded:: 0.1
    """

    piece: str = attrs.field(validator=instance_of(str))
    closing: dt.date = attrs.field(validator=is_date)
    amount: Money = attrs.field(converter=freeze_money, validator=is_money())
    entry: JournalEntry = attrs.field(validator=instance_of(JournalEntry))
    reversal: JournalEntry = attrs.field(validator=instance_of(JournalEntry))


_CHART_HINT = "pass a facturlib.ChartOfAccounts, e.g. ChartOfAccounts()"


def _sides(period: Period, cutoff: dt.date, basis: DeferralBasis) -> tuple[int, int]:
    """The weights of *period* before and from *cutoff* (the day after the closing)."""
    if period.end <= cutoff:
        return 1, 0
    if period.start >= cutoff:
        return 0, 1
    if basis is DeferralBasis.MONTHS:
        before = thirty_e_360_days(period.start, cutoff)
        after = thirty_e_360_days(cutoff, period.end)
        if before + after > 0:
            return max(before, 0), max(after, 0)
    return (cutoff - period.start).days, (period.end - cutoff).days


def _share(amount: Decimal, weights: tuple[int, int], cur: Currency, index: int) -> Decimal:
    """The part *index* (0 before, 1 after) of *amount* split exactly by *weights*."""
    if weights[1 - index] == 0:
        return amount
    if weights[index] == 0:
        return _ZERO
    return allocate(Money(amount, cur), list(weights))[index].amount


def _check_basis(basis: object) -> DeferralBasis:
    if not isinstance(basis, DeferralBasis):
        raise LedgerError(
            "say how to share a period: by days or by months",
            field="basis",
            value=basis,
            hint="pass basis=DeferralBasis.DAYS or basis=DeferralBasis.MONTHS",
        )
    return basis


_Key = tuple[Account, tuple[str | None, str | None]]


def _deferral(
    chart: ChartOfAccounts,
    document: Invoice,
    piece: str,
    closing: dt.date,
    postings_in_order: Sequence[tuple[_Key, Decimal]],
    amount: Decimal,
    what: str,
) -> Deferral | None:
    """The entry booking *postings_in_order* (positive = debit) at *closing*, and its
    reversal the next day; a document in a foreign currency at the rate it states (its
    BT-111 rate, as its own entry), ``None`` when that leaves nothing to book."""
    cur = document.currency
    postings = _Postings(cur)
    for (account, analytics), value in postings_in_order:
        postings.add(account, value, analytics=analytics)
    label = _clean(f"{what} {piece} {document.buyer.name}")
    entry: JournalEntry | None = JournalEntry(
        journal=chart.misc_journal,
        date=closing,
        piece=piece,
        label=label,
        lines=postings.lines(),
        piece_date=document.issue_date,
    )
    if cur != chart.currency:
        dated = document if document.issue_date else attrs.evolve(document, issue_date=closing)
        rate = _document_rate(dated, chart)
        entry = None if rate is None or entry is None else _to_book(entry, rate, chart)
        if entry is None:
            return None
    assert entry is not None
    reversal = JournalEntry(
        journal=chart.misc_journal,
        date=closing + dt.timedelta(days=1),
        piece=piece,
        label=_clean(f"Extourne {label}"),
        lines=[attrs.evolve(ln, debit=ln.credit, credit=ln.debit) for ln in entry.lines],
        piece_date=document.issue_date,
    )
    return Deferral(
        piece=piece, closing=closing, amount=Money(amount, cur), entry=entry, reversal=reversal
    )


def _moved(
    items: Iterable[_Item], cutoff: dt.date, basis: DeferralBasis, cur: Currency, index: int
) -> dict[_Key, Decimal]:
    moved: dict[_Key, Decimal] = {}
    for item in items:
        if item.period is None:
            continue
        part = _share(item.amount, _sides(item.period, cutoff, basis), cur, index)
        if part:
            key = (item.account, item.analytics)
            moved[key] = moved.get(key, _ZERO) + part
    return {key: amount for key, amount in moved.items() if amount}


def _check_document(document: object, field: str) -> Invoice:
    if not isinstance(document, Invoice):
        raise LedgerError(
            f"expected an Invoice, got {type(document).__name__}", field=field, value=document
        )
    if document.kind is DocumentKind.PROFORMA:
        raise LedgerError(
            "a proforma has no accounting effect",
            field=field,
            value=document.number,
            hint="book the invoice issued for it instead",
        )
    return document


def deferred_revenue(
    documents: Iterable[Invoice],
    *,
    chart: ChartOfAccounts,
    closing: dt.date,
    basis: DeferralBasis,
    rebates: Iterable[str] = (),
) -> tuple[Deferral, ...]:
    """The deferred revenue (PCA) of *documents* at *closing*, one `Deferral` per document.

    Only documents issued on or before *closing* count (later ones belong to the next
    year); deposit invoices are skipped (their amount sits on 4191, not in revenue).
    Credit notes reduce the deferred revenue of what they credit.

    Args:
        documents: issued invoices and credit notes.
        chart: the `ChartOfAccounts` (revenue accounts, 487, the OD journal).
        closing: the last day of the fiscal year.
        basis: `DeferralBasis.DAYS` or `DeferralBasis.MONTHS`.
        rebates: numbers of credit notes booked as rebates (on 709x).

    Returns:
        A `Deferral` for each document with revenue after *closing*.

    Raises:
        LedgerError: a draft or proforma, a missing account mapping, no basis.

    .. versionadded:: 0.1
    """
    documents = items_of(documents, Invoice, "documents", error=LedgerError)
    check_instance(
        chart, ChartOfAccounts, "chart", error=LedgerError, hint="e.g. ChartOfAccounts()"
    )
    check_date(closing, "closing", error=LedgerError)
    rebates = items_of(
        rebates, str, "rebates", error=LedgerError, hint="the rebate invoices' numbers"
    )
    how = _check_basis(basis)
    cutoff = closing + dt.timedelta(days=1)
    rebate_numbers = frozenset(rebates)
    result = []
    for i, raw in enumerate(documents):
        document = _check_document(raw, f"documents[{i}]")
        if not document.is_issued or document.number is None or document.issue_date is None:
            raise LedgerError(
                "a draft has no revenue to defer",
                field=f"documents[{i}]",
                value=None,
                hint="issue it first; work done but not invoiced is accrued_revenue()",
            )
        if document.issue_date > closing or document.kind is DocumentKind.DEPOSIT:
            continue
        sign = -1 if document.kind is DocumentKind.CREDIT_NOTE else 1
        items = _revenue_items(document, chart, document.number in rebate_numbers)
        moved = _moved(items, cutoff, how, document.currency, 1)
        if not moved:
            continue
        total = sign * sum(moved.values(), _ZERO)
        postings = [(key, sign * amount) for key, amount in moved.items()]
        postings.append(((chart.deferred_revenue, _NO_ANALYTICS), -total))
        deferral = _deferral(chart, document, document.number, closing, postings, total, "PCA")
        if deferral is not None:
            result.append(deferral)
    return tuple(result)


def accrued_revenue(
    documents: Iterable[Invoice],
    *,
    chart: ChartOfAccounts,
    closing: dt.date,
    basis: DeferralBasis,
) -> tuple[Deferral, ...]:
    """The accrued revenue (FAE) at *closing* of work invoiced after it.

    *documents* are drafts, or invoices issued after *closing*, for work done before:
    the part of each line's service period up to *closing* is earned; a line without a
    period is earned if the document's delivery date (BT-72) is on or before *closing*.
    Worked example (PCG): December work of 1 000.00 HT invoiced in January → D 4181 1 200.00 /
    C 706 1 000.00 / C 44587 200.00, reversed on 1 January.

    Args:
        documents: drafts or invoices issued after *closing* (invoices issued on or
            before it are already in revenue and are skipped).
        chart: the `ChartOfAccounts` (revenue accounts, 4181, 44587, the OD journal).
        closing: the last day of the fiscal year.
        basis: `DeferralBasis.DAYS` or `DeferralBasis.MONTHS`.

    Returns:
        A `Deferral` for each document with work done by *closing*; a draft's piece is
        ``FAE<closing>-<position>``.

    Raises:
        LedgerError: a proforma, credit note or deposit invoice; a document with
            neither a service period nor a delivery date; a missing account mapping.

    .. versionadded:: 0.1
    """
    documents = items_of(documents, Invoice, "documents", error=LedgerError)
    check_instance(
        chart, ChartOfAccounts, "chart", error=LedgerError, hint="e.g. ChartOfAccounts()"
    )
    check_date(closing, "closing", error=LedgerError)
    how = _check_basis(basis)
    cutoff = closing + dt.timedelta(days=1)
    result = []
    for i, raw in enumerate(documents):
        document = _check_document(raw, f"documents[{i}]")
        if document.kind in (DocumentKind.CREDIT_NOTE, DocumentKind.DEPOSIT):
            raise LedgerError(
                f"a {document.kind.value.replace('_', ' ')} is not revenue to accrue",
                field=f"documents[{i}]",
                value=document.number,
                hint="accrue invoices for work done; book credit notes to issue by hand (4198)",
            )
        if document.issue_date is not None and document.issue_date <= closing:
            continue
        delivered = document.delivery_date
        items = _revenue_items(document, chart, rebate=False)
        if any(item.period is None for item in items):
            if delivered is None:
                raise LedgerError(
                    "cannot tell when the work was done",
                    field=f"documents[{i}].period",
                    value=document.number,
                    hint="give the lines or the document a service period, or a delivery date",
                )
            day = Period(delivered, delivered + dt.timedelta(days=1))
            items = [attrs.evolve(item, period=item.period or day) for item in items]
        earned = _moved(items, cutoff, how, document.currency, 0)
        if not earned:
            continue
        piece = document.number or f"FAE{closing:%Y%m%d}-{i + 1}"
        taxes = _accrued_vat(document, chart, items, cutoff, how)
        net = sum(earned.values(), _ZERO)
        gross = net + sum((tax for _, tax in taxes), _ZERO)
        postings = [((chart.accrued_revenue, _NO_ANALYTICS), gross)]
        postings += [(key, -amount) for key, amount in earned.items()]
        postings += [((account, _NO_ANALYTICS), -tax) for account, tax in taxes]
        deferral = _deferral(chart, document, piece, closing, postings, net, "FAE")
        if deferral is not None:
            result.append(deferral)
    return tuple(result)


def _accrued_vat(
    document: Invoice,
    chart: ChartOfAccounts,
    items: Sequence[_Item],
    cutoff: dt.date,
    basis: DeferralBasis,
) -> list[tuple[Account, Decimal]]:
    """The VAT of the earned part, per rate, on 44587: each rate's VAT split exactly in
    the proportion of its earned net amount."""
    cur = document.currency
    policy = document.rounding
    taxes: dict[Account, Decimal] = {}
    for vat, taxable, amount in document.totals().vat_groups:
        if not amount:
            continue
        mine = [item for item in items if item.vat == vat]
        earned = sum(_moved(mine, cutoff, basis, cur, 0).values(), _ZERO)
        if earned == taxable:
            part = amount
        elif 0 <= earned <= taxable:
            part = allocate(Money(amount, cur), [earned, taxable - earned])[0].amount
        else:  # returns make the weights change sign: keep the exact proportion
            part = policy.round(amount * earned / taxable, cur) if taxable else _ZERO
        if part:
            taxes[chart.vat_accrued] = taxes.get(chart.vat_accrued, _ZERO) + part
    return list(taxes.items())
