"""Receivables: aged balance, late customers, DSO and the cash-in forecast.

All four read a `facturlib.receivables.payments.Settlement` (from `facturlib.settle`):
which payment and credit note settles which invoice on a day. What an invoice
still owes is split over its installments — its due date (BT-9), or the
installments of its `facturlib.receivables.terms.PaymentTerms` when given — and
the money received settles the earliest installments first, as
`facturlib.receivables.payments.balance` counts it.

* `aged_balance`: what nothing covers yet (``due`` of the balance), per customer,
  by how late each installment is on the settlement's day: *not due* (due that day
  or later), then buckets of days late — by default 1–30, 31–60, 61–90 and over
  90 days (``buckets=(30, 60, 90)``, configurable). The buckets of a row add up
  exactly to its ``total``, and the totals to Σ ``due`` of `facturlib.customer_balances`.
  Unallocated money (`facturlib.receivables.payments.CustomerCredit`) is shown
  beside, not aged.
* `late_customers`: customers with overdue amounts, with the dunning level their
  invoices reached (`facturlib.receivables.dunning.current_level` over the history).
* `dso`: days sales outstanding, the Banque de France definition of customer payment
  delay ("délais clients") used by the Observatoire des délais de paiement in its
  annual report: **DSO = trade receivables ÷ sales including VAT × days**, with the
  sales of the *days* days up to the settlement's day (360 by default, the
  Observatoire's year) and the receivables as the customer accounts (411) hold them.
* `cash_in_forecast`: by month, what should come in: overdue amounts (first month),
  installments falling due, direct debits submitted and not yet cleared (pending
  payments, on their collection date) and the installments of drafts to come.

>>> from datetime import date
>>> from facturlib.core.issuing import issue
>>> from facturlib.core.numbering import SequenceState
>>> from facturlib.receivables.payments import settle
>>> from facturlib.testing.builders import sample_invoice, sample_scheme
>>> invoice, _ = issue(sample_invoice(due_date=date(2025, 2, 14)), sample_scheme(),
...                    SequenceState(), on=date(2025, 1, 15))
>>> table = aged_balance(settle([invoice], on=date(2025, 4, 1)))
>>> [(c.name, v) for c, v in zip(table.columns, table.rows[0]) if v]
[('customer', '552081317'), ('name', 'Client Exemple SARL'), ('days_31_60', Decimal('1440.00')), \
('total', Decimal('1440.00'))]

.. versionadded:: 0.2
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from moneyed import Currency

from facturlib.core._codes import DocumentKind
from facturlib.core._validators import check_instance, items_of
from facturlib.core.documents import Invoice
from facturlib.core.errors import ReportError
from facturlib.receivables.dunning import DunningPolicy, DunningRecord
from facturlib.receivables.payments import Settlement
from facturlib.receivables.terms import PaymentTerms, due_schedule
from facturlib.reports._inputs import (
    check_locale,
    document_day,
    invoices_of,
    month_start,
    months_of,
    one_currency,
)
from facturlib.reports.table import Column, ColumnKind, Table, _make

__all__ = ["aged_balance", "cash_in_forecast", "dso", "late_customers"]

_ZERO = Decimal(0)
_TENTH = Decimal("0.1")


def _check_settlement(settlement: object) -> Settlement:
    check_instance(
        settlement,
        Settlement,
        "settlement",
        error=ReportError,
        hint="pass the result of facturlib.settle(invoices, payments, on=...)",
    )
    assert isinstance(settlement, Settlement)
    return settlement


def _check_terms(terms: Mapping[str, PaymentTerms] | None) -> Mapping[str, PaymentTerms]:
    if terms is None:
        return {}
    if not isinstance(terms, Mapping):
        raise ReportError(
            "terms map invoice numbers to PaymentTerms",
            field="terms",
            value=terms,
            hint='pass {"FA-2025-0001": PaymentTerms(...)}',
        )
    for number, value in terms.items():
        if not isinstance(value, PaymentTerms):
            raise ReportError(
                "expected PaymentTerms", field=f"terms[{number!r}]", value=value, hint=None
            )
    return terms


def _covered(settlement: Settlement) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Σ allocated per invoice number, and the part of it from pending payments."""
    covered: dict[str, Decimal] = {}
    pending: dict[str, Decimal] = {}
    pending_ids = settlement.pending_ids
    for allocation in settlement.allocations:
        number = allocation.invoice_number
        amount = allocation.amount.amount
        covered[number] = covered.get(number, _ZERO) + amount
        if allocation.payment_id in pending_ids:
            pending[number] = pending.get(number, _ZERO) + amount
    return covered, pending


def _installments(invoice: Invoice, terms: PaymentTerms | None) -> list[tuple[date, Decimal]]:
    if terms is not None:
        return [(i.date, i.amount.amount) for i in due_schedule(invoice, terms)]
    day = invoice.due_date or invoice.issue_date
    assert day is not None  # issued
    return [(day, invoice.totals().bt115)]


def _open_parts(
    invoice: Invoice, covered: Decimal, terms: PaymentTerms | None
) -> list[tuple[date, Decimal]]:
    """The installments of *invoice* left open once *covered* settled the earliest.

    An invoice whose amount due is not positive (a corrective invoice that lowers the
    bill) leaves what it owes the customer, negative, on its last due date.
    """
    installments = _installments(invoice, terms)
    total = sum((amount for _, amount in installments), _ZERO)
    if total - covered <= 0:
        left = total - covered
        return [(installments[-1][0], left)] if left and installments else []
    parts = []
    for day, amount in installments:
        if covered >= amount:
            covered -= amount
            continue
        parts.append((day, amount - covered))
        covered = _ZERO
    return parts


def _check_buckets(buckets: Sequence[int]) -> tuple[int, ...]:
    try:
        bounds = tuple(buckets) if not isinstance(buckets, str | bytes) else ()
    except TypeError:  # not iterable
        bounds = ()
    if (
        not bounds
        or any(not isinstance(b, int) or isinstance(b, bool) or b < 1 for b in bounds)
        or list(bounds) != sorted(set(bounds))
    ):
        raise ReportError(
            "buckets are increasing whole numbers of days, at least 1",
            field="buckets",
            value=buckets,
            hint="e.g. buckets=(30, 60, 90) for 1–30, 31–60, 61–90 and over 90 days",
        )
    return bounds


def _bucket_columns(bounds: tuple[int, ...]) -> list[str]:
    names = []
    low = 1
    for high in bounds:
        names.append(f"days_{low}_{high}")
        low = high + 1
    names.append(f"days_over_{bounds[-1]}")
    return names


def _single_currency(settlement: Settlement, currency: str | Currency | None) -> Currency:
    currencies = [i.currency for i in settlement.invoices]
    currencies += [c.amount.currency for c in settlement.credits]
    return one_currency(currencies, currency, "invoices")


def aged_balance(
    settlement: Settlement,
    *,
    terms: Mapping[str, PaymentTerms] | None = None,
    buckets: Sequence[int] = (30, 60, 90),
    currency: str | Currency | None = None,
    locale: str = "fr_FR",
) -> Table:
    """The aged balance (balance âgée) of the customers on the settlement's day.

    Args:
        settlement: from `facturlib.settle`.
        terms: payment terms by invoice number, for invoices paid in installments.
        buckets: the upper bounds, in days late, of the buckets before the last
            (default ``(30, 60, 90)``: 1–30, 31–60, 61–90, over 90).
        currency: the currency, when the invoices use several.
        locale: the locale the table displays in.

    Returns:
        A `Table` with ``customer``, ``name``, ``not_due``, one column per bucket
        (``days_1_30``, ``days_31_60``, ``days_61_90``, ``days_over_90``), ``total``
        (Σ of the buckets: what nothing covers yet) and ``credit`` (money received and
        not allocated, not aged), one row per customer owing or owed something.

    Raises:
        ReportError: buckets not increasing, several currencies and no *currency*.

    .. versionadded:: 0.2
    """
    settlement = _check_settlement(settlement)
    terms = _check_terms(terms)
    bounds = _check_buckets(buckets)
    check_locale(locale)
    cur = _single_currency(settlement, currency)
    on = settlement.on
    covered, _ = _covered(settlement)
    width = len(bounds) + 2
    sums: dict[str, list[Decimal]] = {}
    names: dict[str, str] = {}
    for invoice in settlement.invoices:
        if invoice.currency != cur:
            continue
        number = invoice.number
        assert number is not None  # issued
        customer = invoice.buyer.key
        names.setdefault(customer, invoice.buyer.name)
        plan = terms.get(number) if terms else None
        if plan is None:  # one installment on the due date: what `_open_parts` gives, inline
            left = invoice.totals().bt115 - covered.get(number, _ZERO)
            if not left:
                continue
            day = invoice.due_date or invoice.issue_date
            assert day is not None  # issued
            parts: Sequence[tuple[date, Decimal]] = ((day, left),)
        else:
            parts = _open_parts(invoice, covered.get(number, _ZERO), plan)
            if not parts:
                continue
        row = sums.get(customer)
        if row is None:
            row = sums[customer] = [_ZERO] * width
        for day, amount in parts:
            late = (on - day).days
            if late <= 0:
                row[0] += amount
                continue
            for k, bound in enumerate(bounds, start=1):
                if late <= bound:
                    row[k] += amount
                    break
            else:
                row[width - 1] += amount
    credits: dict[str, Decimal] = {}
    for credit in settlement.credits:
        if credit.amount.currency == cur:
            credits[credit.customer] = credits.get(credit.customer, _ZERO) + credit.amount.amount
    rows = []
    for customer in sorted(sums.keys() | credits.keys()):
        row = sums.get(customer, [_ZERO] * width)
        rows.append(
            (customer, names.get(customer), *row, sum(row, _ZERO), credits.get(customer, _ZERO))
        )
    columns = (
        Column("customer", ColumnKind.TEXT),
        Column("name", ColumnKind.TEXT),
        Column("not_due", ColumnKind.MONEY),
        *(Column(name, ColumnKind.MONEY) for name in _bucket_columns(bounds)),
        Column("total", ColumnKind.MONEY),
        Column("credit", ColumnKind.MONEY),
    )
    return _make(f"Aged balance on {on.isoformat()}", columns, rows, cur, locale)


def late_customers(
    settlement: Settlement,
    *,
    history: Iterable[DunningRecord] = (),
    policy: DunningPolicy | None = None,
    terms: Mapping[str, PaymentTerms] | None = None,
    currency: str | Currency | None = None,
    locale: str = "fr_FR",
) -> Table:
    """The customers with overdue amounts on the settlement's day, latest first.

    Args:
        settlement: from `facturlib.settle`.
        history: the dunning steps taken (`facturlib.receivables.dunning.DunningRecord`).
        policy: the dunning policy, to name each level (``step``).
        terms: payment terms by invoice number.
        currency: the currency, when the invoices use several.
        locale: the locale the table displays in.

    Returns:
        A `Table` with ``customer``, ``name``, ``overdue`` (what fell due before the
        day and nothing covers), ``invoices`` (how many are overdue),
        ``oldest_due`` and ``days_overdue`` (of the oldest open installment),
        ``level`` (the highest dunning level reached by an overdue invoice by the
        day, 0 if none) and ``step`` (its name in *policy*), sorted by days overdue.

    .. versionadded:: 0.2
    """
    settlement = _check_settlement(settlement)
    records = items_of(history, DunningRecord, "history", error=ReportError)
    check_instance(policy, DunningPolicy, "policy", optional=True, error=ReportError)
    terms = _check_terms(terms)
    check_locale(locale)
    cur = _single_currency(settlement, currency)
    on = settlement.on
    levels: dict[str, int] = {}
    for record in records:
        if record.date <= on:
            levels[record.invoice_number] = max(levels.get(record.invoice_number, 0), record.level)
    covered, _ = _covered(settlement)
    found: dict[str, list[Any]] = {}
    for invoice in settlement.invoices:
        number = invoice.number
        assert number is not None  # issued
        if invoice.currency != cur:
            continue
        parts = _open_parts(invoice, covered.get(number, _ZERO), terms.get(number))
        late = [(day, amount) for day, amount in parts if day < on and amount > 0]
        if not late:
            continue
        entry = found.setdefault(invoice.buyer.key, [invoice.buyer.name, _ZERO, 0, date.max, 0])
        entry[1] += sum((amount for _, amount in late), _ZERO)
        entry[2] += 1
        entry[3] = min(entry[3], late[0][0])
        entry[4] = max(entry[4], levels.get(number, 0))
    rows = []
    for customer, (name, overdue, count, oldest, level) in found.items():
        step = None
        if policy is not None and level:
            step = policy.levels[level - 1].name
        rows.append((customer, name, overdue, count, oldest, (on - oldest).days, level, step))
    rows.sort(key=lambda r: (-r[5], r[0]))
    columns = (
        Column("customer", ColumnKind.TEXT),
        Column("name", ColumnKind.TEXT),
        Column("overdue", ColumnKind.MONEY),
        Column("invoices", ColumnKind.INTEGER),
        Column("oldest_due", ColumnKind.DATE),
        Column("days_overdue", ColumnKind.INTEGER),
        Column("level", ColumnKind.INTEGER),
        Column("step", ColumnKind.TEXT),
    )
    return _make(f"Late customers on {on.isoformat()}", columns, rows, cur, locale)


def dso(
    documents: Iterable[Invoice],
    settlement: Settlement,
    *,
    days: int = 360,
    currency: str | Currency | None = None,
) -> Decimal:
    """Days sales outstanding on the settlement's day.

    **DSO = receivables ÷ sales including VAT × days** (Banque de France,
    Observatoire des délais de paiement: "délais clients" in days of sales), where

    * *receivables* = what the invoices of the settlement still ask (amount due
      BT-115 minus cleared payments and credit notes: pending direct debits are
      still receivables) minus the money received and not allocated — the debit
      balance of the customer accounts (411) on that day;
    * *sales* = the amounts due (BT-115) of the invoices, deposit and corrective
      invoices issued in the *days* days up to the day (included), minus the credit
      notes issued then.

    Args:
        documents: the issued documents, credit notes included (for the sales).
        settlement: from `facturlib.settle` (for the receivables and the day).
        days: the length of the sales window and the multiplier (default 360).
        currency: the currency, when the documents use several.

    Returns:
        The DSO in days, rounded half up to 1 decimal; 0 when there were no sales.

    Raises:
        ReportError: *days* not a positive whole number, several currencies.

    .. versionadded:: 0.2
    """
    settlement = _check_settlement(settlement)
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 3660:
        raise ReportError(
            "days is a whole number of days from 1 to 3660",
            field="days",
            value=days,
            hint="e.g. days=360 (a year of sales), 90 (a quarter)",
        )
    docs = [d for d in invoices_of(documents, "documents") if d.is_issued]
    cur = one_currency(
        [d.currency for d in docs] + [i.currency for i in settlement.invoices],
        currency,
        "documents",
    )
    on = settlement.on
    sales = _ZERO
    for document in docs:
        day = document_day(document)
        if document.currency != cur or not 0 <= (on - day).days < days:
            continue
        if document.kind is DocumentKind.PROFORMA:
            continue
        amount = document.totals().bt115
        sales += -amount if document.kind is DocumentKind.CREDIT_NOTE else amount
    covered, pending = _covered(settlement)
    receivables = _ZERO
    for invoice in settlement.invoices:
        if invoice.currency == cur:
            number = invoice.number
            assert number is not None  # issued
            paid = covered.get(number, _ZERO) - pending.get(number, _ZERO)
            receivables += invoice.totals().bt115 - paid
    receivables -= sum(
        (c.amount.amount for c in settlement.credits if c.amount.currency == cur and not c.pending),
        _ZERO,
    )
    if sales <= 0:
        return Decimal("0.0")
    return (receivables * days / sales).quantize(_TENTH, rounding=ROUND_HALF_UP)


def cash_in_forecast(
    settlement: Settlement,
    *,
    months: int,
    terms: Mapping[str, PaymentTerms] | None = None,
    drafts: Iterable[Invoice] = (),
    currency: str | Currency | None = None,
    locale: str = "fr_FR",
) -> Table:
    """What should come in, by month, from the settlement's day on.

    Args:
        settlement: from `facturlib.settle`.
        months: how many months, the first being the settlement day's month.
        terms: payment terms by invoice number (issued invoices and drafts alike:
            drafts are keyed by their ``contract_reference`` or, failing that, are due
            in full on their due date).
        drafts: documents to come (`facturlib.reports.forecast` sources): each
            counts its amount due on its due date (or its terms' installments);
            credit notes to come are left out (they are not cash in).
        currency: the currency, when the invoices use several.
        locale: the locale the table displays in.

    Returns:
        A `Table` with ``month``, ``overdue`` (installments due before the day and
        not covered, counted in the first month), ``due`` (installments falling due
        in the month, from the day on), ``direct_debit`` (pending payments —
        direct debits submitted and not cleared — on their collection date, or in
        the first month when it has passed), ``drafts`` (installments of the drafts)
        and ``total``. Amounts falling after the last month are left out.

    .. versionadded:: 0.2
    """
    settlement = _check_settlement(settlement)
    terms = _check_terms(terms)
    on = settlement.on
    firsts = months_of(on, months)
    check_locale(locale)
    draft_docs = invoices_of(drafts, "drafts")
    cur = _single_currency(settlement, currency)
    index = {first: k for k, first in enumerate(firsts)}
    table = [[_ZERO] * 4 for _ in firsts]

    def add(day: date, column: int, amount: Decimal) -> None:
        k = 0 if day < on else index.get(month_start(day))
        if k is not None:
            table[k][column] += amount

    covered, _ = _covered(settlement)
    for invoice in settlement.invoices:
        number = invoice.number
        assert number is not None  # issued
        if invoice.currency != cur:
            continue
        for day, amount in _open_parts(invoice, covered.get(number, _ZERO), terms.get(number)):
            add(day, 0 if day < on else 1, amount)
    pending_ids = settlement.pending_ids
    for allocation in settlement.allocations:
        if allocation.payment_id in pending_ids and allocation.amount.currency == cur:
            add(allocation.date, 2, allocation.amount.amount)
    for i, draft in enumerate(draft_docs):
        if draft.currency != cur or draft.kind in (DocumentKind.CREDIT_NOTE, DocumentKind.PROFORMA):
            continue
        if draft.is_issued:
            raise ReportError(
                "an issued document among the drafts",
                field=f"drafts[{i}]",
                value=draft.number,
                hint="issued invoices are read from the settlement",
            )
        plan = terms.get(draft.contract_reference or "")
        if plan is not None:
            day = document_day(draft)
            for installment in due_schedule(draft, plan, issue_date=day):
                add(max(installment.date, on), 3, installment.amount.amount)
        else:
            due = draft.due_date or document_day(draft)
            add(max(due, on), 3, draft.totals().bt115)
    rows = [
        (first, *values, sum(values, _ZERO)) for first, values in zip(firsts, table, strict=True)
    ]
    columns = (
        Column("month", ColumnKind.MONTH),
        Column("overdue", ColumnKind.MONEY),
        Column("due", ColumnKind.MONEY),
        Column("direct_debit", ColumnKind.MONEY),
        Column("drafts", ColumnKind.MONEY),
        Column("total", ColumnKind.MONEY),
    )
    return _make(f"Cash-in forecast from {on.isoformat()}", columns, rows, cur, locale)
