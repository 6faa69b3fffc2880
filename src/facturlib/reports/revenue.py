"""Revenue invoiced, revenue forecast by month, and the invoices still to issue.

Revenue is counted excluding VAT (BT-109, the taxable amount the sales journal
credits to the 70x accounts), on the document's issue date: invoices and corrective
invoices add, credit notes subtract. Deposit invoices (386) are advances booked on
4191, not revenue — the final invoice bills the whole amount — so they are left
out, with the credit notes that only correct them.

* `revenue`: what was invoiced between two days, by customer, product, revenue
  account (from a `facturlib.accounting.accounts.ChartOfAccounts`, as the journal
  books it) and/or month, with each group's share of the total;
* `forecast`: revenue by month from what is issued (the documents given) and what
  is to come — drafts (milestone plans from `facturlib.projects.milestones.milestone_invoices`,
  pre-billing runs…), the schedules of the subscriptions for the periods not already
  invoiced, and the pre-billing engagements for the months not already billed (flat
  fees, and unit and time missions on the usage expected); a month's figure is
  exactly Σ of the documents dated in it;
* `invoices_to_issue`: the documents to come, per month (or one row each).

Lines and document charges count for their product (the line's product id, else
its description; ``(charges)`` and ``(allowances)`` for document-level amounts).

>>> from datetime import date
>>> from facturlib.core.issuing import issue
>>> from facturlib.core.numbering import SequenceState
>>> from facturlib.testing.builders import sample_invoice, sample_scheme
>>> invoice, _ = issue(sample_invoice(), sample_scheme(), SequenceState(), on=date(2025, 1, 15))
>>> table = revenue([invoice], start=date(2025, 1, 1), end=date(2025, 2, 1))
>>> table.to_records()
({'customer': '552081317', 'amount': Decimal('1200.00'), 'share': Decimal('100.00')},)

.. versionadded:: 0.2
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from moneyed import Currency, Money

from facturlib.accounting.accounts import ChartOfAccounts
from facturlib.core._codes import DocumentKind
from facturlib.core._validators import check_bool, check_date, check_instance, items_of
from facturlib.core.documents import Invoice
from facturlib.core.errors import BillingPlanError, ReportError
from facturlib.core.money import allocate
from facturlib.projects.prebilling import Portfolio, Usage, prebill
from facturlib.recurring.subscriptions import Subscription, schedule
from facturlib.reports._inputs import (
    check_locale,
    check_window,
    document_day,
    invoices_of,
    month_start,
    months_of,
    one_currency,
    revenue_documents,
    subscriptions_of,
)
from facturlib.reports.table import Column, ColumnKind, Table, _make

__all__ = ["forecast", "invoices_to_issue", "revenue"]

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")

#: The dimensions `revenue` groups by.
DIMENSIONS = ("customer", "product", "account", "month")


def _parts(document: Invoice, chart: ChartOfAccounts | None) -> Iterator[tuple[str, str, Decimal]]:
    """(product, account, amount excluding VAT) of every revenue amount of *document*:
    its lines, then its document charges and allowances (Σ = BT-109)."""
    totals = document.totals()
    for line, net in zip(document.lines, totals.line_nets, strict=True):
        account = chart.revenue_account(line.product_id, line.description).number if chart else ""
        yield line.product_id or line.description, account, net
    for charge in totals.charges:
        account = dict(chart.revenue)[chart.charges_kind].number if chart else ""
        yield "(charges)", account, charge.amount.amount
    for allowance in totals.allowances:
        yield "(allowances)", chart.allowances.number if chart else "", -allowance.amount.amount


def _shares(amounts: Sequence[Decimal]) -> list[Decimal | None]:
    """Each amount's share of their sum, in percent with 2 decimals.

    When every amount is positive the shares are an exact split of 100.00
    (`facturlib.core.money.allocate`, largest remainder), so they add up to 100.00;
    with credits outweighing invoices somewhere each share is rounded on its own.
    """
    total = sum(amounts, _ZERO)
    if not amounts or total == 0:
        return [None] * len(amounts)
    if all(a >= 0 for a in amounts):
        # Percent points split like cents: a two-decimal currency gives two-decimal shares.
        return [m.amount for m in allocate(Money(_HUNDRED, "EUR"), amounts)]
    return [(a * _HUNDRED / total).quantize(_CENT, rounding=ROUND_HALF_UP) for a in amounts]


def _check_by(by: Sequence[str]) -> tuple[int, ...]:
    if isinstance(by, str):
        by = (by,)
    try:
        positions = tuple(DIMENSIONS.index(name) for name in by)
    except (ValueError, TypeError):
        raise ReportError(
            "unknown revenue dimension",
            field="by",
            value=by,
            hint=f"group by any of {', '.join(DIMENSIONS)}",
        ) from None
    if len(set(positions)) != len(positions) or not positions:
        raise ReportError(
            "give each dimension once, at least one",
            field="by",
            value=by,
            hint='e.g. by=("customer", "month")',
        )
    return positions


def revenue(
    documents: Iterable[Invoice],
    *,
    start: date,
    end: date,
    by: Sequence[str] = ("customer",),
    chart: ChartOfAccounts | None = None,
    currency: str | Currency | None = None,
    locale: str = "fr_FR",
) -> Table:
    """Revenue invoiced from *start* (included) to *end* (excluded), net of credit notes.

    Args:
        documents: issued documents (drafts and proformas are ignored).
        start: the first day.
        end: the first day after the window.
        by: dimensions among ``"customer"`` (buyer key), ``"product"``,
            ``"account"`` (the revenue account the journal books, from *chart*) and
            ``"month"``.
        chart: the chart of accounts (default: the PCG preset) for ``"account"``.
        currency: keep only the documents in this currency.
        locale: the locale the table displays in.

    Returns:
        A `Table` with a column per dimension, ``amount`` (excluding VAT) and
        ``share`` (percent of the total), sorted by the dimensions.

    Raises:
        ReportError: an unknown dimension, *end* not after *start*, several currencies.
        LedgerError: a product the chart cannot map (with ``"account"``).

    .. versionadded:: 0.2
    """
    check_window(start, end)
    positions = _check_by(by)
    check_instance(chart, ChartOfAccounts, "chart", optional=True, error=ReportError)
    check_locale(locale)
    items = [d for d in invoices_of(documents, "documents") if d.is_issued]
    cur = one_currency((d.currency for d in items), currency, "documents")
    if 2 in positions and chart is None:
        chart = ChartOfAccounts()
    sums: dict[tuple[Any, ...], Decimal] = {}
    for document, sign in revenue_documents(d for d in items if d.currency == cur):
        day = document_day(document)
        if not start <= day < end:
            continue
        month = month_start(day)
        for product, account, amount in _parts(document, chart if 2 in positions else None):
            full = (document.buyer.key, product, account, month)
            key = tuple(full[p] for p in positions)
            sums[key] = sums.get(key, _ZERO) + sign * amount
    keys = sorted(sums)
    amounts = [sums[k] for k in keys]
    shares = _shares(amounts)
    columns = (
        *(
            Column(DIMENSIONS[p], ColumnKind.MONTH if p == 3 else ColumnKind.TEXT)
            for p in positions
        ),
        Column("amount", ColumnKind.MONEY),
        Column("share", ColumnKind.PERCENT),
    )
    rows = ((*k, a, s) for k, a, s in zip(keys, amounts, shares, strict=True))
    title = f"Revenue {start.isoformat()} → {end.isoformat()}"
    return _make(title, columns, rows, cur, locale)


# --------------------------------------------------------------------------- to come


def _to_come(
    firsts: Sequence[date],
    issued: Sequence[Invoice],
    drafts: Sequence[Invoice],
    subscriptions: Sequence[Subscription],
    engagements: Portfolio | None,
    usage: Mapping[date, tuple[Usage, ...]],
) -> list[tuple[date, Invoice, str]]:
    """Every document to come dated in the months *firsts*, with its source."""
    window_end = firsts[-1] + relativedelta(months=1)
    found: list[tuple[date, Invoice, str]] = []
    for draft in drafts:
        found.append((document_day(draft), draft, "draft"))
    known = {(d.contract_reference, d.period) for d in (*issued, *drafts) if d.period}
    for subscription in subscriptions:
        for planned in schedule(subscription, until=window_end):
            if (planned.contract_reference, planned.period) not in known:
                found.append((document_day(planned), planned, "subscription"))
    if engagements is not None:
        billed = [*issued, *drafts]
        for first in firsts:
            try:
                planned_month = prebill(engagements, first, usage.get(first, ()), issued=billed)
            except BillingPlanError as error:
                raise ReportError(
                    f"the expected usage of {first:%Y-%m} cannot be billed: {error.message}",
                    field=f"usage[{first.isoformat()}]",
                    value=error.value,
                    hint=error.hint,
                ) from error
            for planned in planned_month:
                found.append((document_day(planned), planned, "engagement"))
    return [entry for entry in found if firsts[0] <= entry[0] < window_end]


def _check_sources(
    issued: Iterable[Invoice],
    drafts: Iterable[Invoice],
    subscriptions: Iterable[Subscription],
    engagements: Portfolio | None,
    currency: str | Currency | None,
) -> tuple[list[Invoice], list[Invoice], list[Subscription], Currency]:
    issued_items = invoices_of(issued, "issued")
    draft_items = invoices_of(drafts, "drafts")
    for i, document in enumerate(issued_items):
        if not document.is_issued:
            raise ReportError(
                "a draft among the issued documents",
                field=f"issued[{i}]",
                value=document.buyer.name,
                hint="pass drafts as drafts=",
            )
    for i, document in enumerate(draft_items):
        if document.is_issued:
            raise ReportError(
                "an issued document among the drafts",
                field=f"drafts[{i}]",
                value=document.number,
                hint="pass issued documents as issued=",
            )
    subs = subscriptions_of(subscriptions)
    check_instance(engagements, Portfolio, "engagements", optional=True, error=ReportError)
    currencies = [d.currency for d in (*issued_items, *draft_items)]
    currencies += [s.currency for s in subs]
    if engagements is not None:
        currencies += [e.currency for e in engagements.engagements]
    cur = one_currency(currencies, currency, "documents")
    return (
        [d for d in issued_items if d.currency == cur],
        [d for d in draft_items if d.currency == cur],
        [s for s in subs if s.currency == cur],
        cur,
    )


def _usage_by_month(
    usage: Mapping[date, Iterable[Usage]] | None, engagements: Portfolio | None
) -> dict[date, tuple[Usage, ...]]:
    """*usage* keyed by the first day of its month (records of the same month joined)."""
    if usage is None:
        return {}
    if not isinstance(usage, Mapping):
        raise ReportError(
            "the expected usage is a mapping of months to Usage records",
            field="usage",
            value=type(usage).__name__,
            hint="e.g. usage={date(2025, 3, 1): [Usage(engagement=..., mission=..., quantity=5)]}",
        )
    if usage and engagements is None:
        raise ReportError(
            "expected usage without the engagements it is for",
            field="engagements",
            value=None,
            hint="pass engagements= the pre-billing Portfolio",
        )
    result: dict[date, tuple[Usage, ...]] = {}
    for day, records in usage.items():
        field = f"usage[{day!r}]"
        check_date(day, field, error=ReportError)
        first = month_start(day)
        result[first] = result.get(first, ()) + items_of(records, Usage, field, error=ReportError)
    return result


def forecast(
    *,
    start: date,
    months: int,
    issued: Iterable[Invoice] = (),
    drafts: Iterable[Invoice] = (),
    subscriptions: Iterable[Subscription] = (),
    engagements: Portfolio | None = None,
    usage: Mapping[date, Iterable[Usage]] | None = None,
    currency: str | Currency | None = None,
    locale: str = "fr_FR",
) -> Table:
    """Revenue (excluding VAT) by month: issued, and to come.

    Args:
        start: any day of the first month.
        months: how many months (1 to 600).
        issued: issued documents (each counts in the month of its issue date).
        drafts: draft documents to come, each in the month of its ``issue_date`` (the
            planned date milestone and subscription drafts carry), else of its
            period's last day (pre-billing drafts).
        subscriptions: subscriptions whose scheduled drafts count, except for the
            periods an issued document or a draft of the same contract
            (``contract_reference``) already covers.
        engagements: a pre-billing `facturlib.projects.prebilling.Portfolio`: the
            flat fees of each month not billed yet by *issued* or *drafts*, and the
            unit and time missions billed on the expected *usage*.
        usage: the expected `facturlib.projects.prebilling.Usage` of unit and time
            missions per month (any day of the month as key), billed as
            `facturlib.prebill` would bill it (only what *issued* and *drafts* do not
            already hold).
        currency: the currency, when the documents use several.
        locale: the locale the table displays in.

    Returns:
        A `Table` with ``month``, ``issued``, ``to_come``, ``total`` and
        ``documents`` (how many documents count in the month); each month's
        ``total`` is exactly Σ of the amounts of the documents dated in it.

    Raises:
        ReportError: a draft among *issued* or the reverse, several currencies, a
            draft that cannot be placed in a month.

    .. versionadded:: 0.2
    """
    firsts = months_of(start, months)
    check_locale(locale)
    issued_docs, draft_docs, subs, cur = _check_sources(
        issued, drafts, subscriptions, engagements, currency
    )
    usage_by_month = _usage_by_month(usage, engagements)
    index = {first: k for k, first in enumerate(firsts)}
    done = [_ZERO] * len(firsts)
    coming = [_ZERO] * len(firsts)
    counts = [0] * len(firsts)
    for document, sign in revenue_documents(issued_docs):
        k = index.get(month_start(document_day(document)))
        if k is not None:
            done[k] += sign * document.totals().bt109
            counts[k] += 1
    to_come = _to_come(firsts, issued_docs, draft_docs, subs, engagements, usage_by_month)
    for document, sign in revenue_documents(d for _, d, _ in to_come):
        k = index[month_start(document_day(document))]
        coming[k] += sign * document.totals().bt109
        counts[k] += 1
    rows = (
        (first, done[k], coming[k], done[k] + coming[k], counts[k])
        for k, first in enumerate(firsts)
    )
    columns = (
        Column("month", ColumnKind.MONTH),
        Column("issued", ColumnKind.MONEY),
        Column("to_come", ColumnKind.MONEY),
        Column("total", ColumnKind.MONEY),
        Column("documents", ColumnKind.INTEGER),
    )
    return _make("Revenue forecast", columns, rows, cur, locale)


_KIND_NAMES = {
    DocumentKind.INVOICE: "invoice",
    DocumentKind.CREDIT_NOTE: "credit note",
    DocumentKind.DEPOSIT: "deposit invoice",
    DocumentKind.CORRECTIVE: "corrective invoice",
    DocumentKind.PROFORMA: "proforma",
}


def invoices_to_issue(
    *,
    start: date,
    months: int,
    issued: Iterable[Invoice] = (),
    drafts: Iterable[Invoice] = (),
    subscriptions: Iterable[Subscription] = (),
    engagements: Portfolio | None = None,
    usage: Mapping[date, Iterable[Usage]] | None = None,
    detail: bool = False,
    currency: str | Currency | None = None,
    locale: str = "fr_FR",
) -> Table:
    """The documents still to issue, by month: the "to come" part of `forecast`, deposit
    invoices included (they are issued too, though not revenue).

    Args:
        start: any day of the first month.
        months: how many months (1 to 600).
        issued, drafts, subscriptions, engagements, usage, currency: as for `forecast`.
        detail: one row per document instead of one per month.
        locale: the locale the table displays in.

    Returns:
        Per month: ``month``, ``documents``, ``net`` (BT-109), ``vat`` (BT-110) and
        ``gross`` (BT-112), credit notes negative. With *detail*: ``date``,
        ``month``, ``customer``, ``contract``, ``kind``, ``source`` (draft,
        subscription or engagement), ``net``, ``vat``, ``gross``.

    .. versionadded:: 0.2
    """
    firsts = months_of(start, months)
    check_bool(detail, "detail", error=ReportError)
    check_locale(locale)
    issued_docs, draft_docs, subs, cur = _check_sources(
        issued, drafts, subscriptions, engagements, currency
    )
    usage_by_month = _usage_by_month(usage, engagements)
    entries = sorted(
        _to_come(firsts, issued_docs, draft_docs, subs, engagements, usage_by_month),
        key=lambda e: (e[0], e[1].buyer.key),
    )
    figures = []
    for day, document, source in entries:
        totals = document.totals()
        sign = -1 if document.kind is DocumentKind.CREDIT_NOTE else 1
        figures.append(
            (day, document, source, sign * totals.bt109, sign * totals.bt110, sign * totals.bt112)
        )
    if detail:
        columns: tuple[Column, ...] = (
            Column("date", ColumnKind.DATE),
            Column("month", ColumnKind.MONTH),
            Column("customer", ColumnKind.TEXT),
            Column("contract", ColumnKind.TEXT),
            Column("kind", ColumnKind.TEXT),
            Column("source", ColumnKind.TEXT),
            Column("net", ColumnKind.MONEY),
            Column("vat", ColumnKind.MONEY),
            Column("gross", ColumnKind.MONEY),
        )
        rows: Iterable[tuple[Any, ...]] = [
            (
                day,
                month_start(day),
                d.buyer.key,
                d.contract_reference,
                _KIND_NAMES[d.kind],
                source,
                net,
                vat,
                gross,
            )
            for day, d, source, net, vat, gross in figures
        ]
        return _make("Invoices to issue", columns, rows, cur, locale)
    counts = dict.fromkeys(firsts, 0)
    sums = {first: [_ZERO, _ZERO, _ZERO] for first in firsts}
    for day, _, _, net, vat, gross in figures:
        month = month_start(day)
        counts[month] += 1
        found = sums[month]
        found[0] += net
        found[1] += vat
        found[2] += gross
    columns = (
        Column("month", ColumnKind.MONTH),
        Column("documents", ColumnKind.INTEGER),
        Column("net", ColumnKind.MONEY),
        Column("vat", ColumnKind.MONEY),
        Column("gross", ColumnKind.MONEY),
    )
    rows = [(first, counts[first], *values) for first, values in sums.items()]
    return _make("Invoices to issue by month", columns, rows, cur, locale)
