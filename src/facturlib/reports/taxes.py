"""VAT collected per rate and per month, read from the ledger (what the VAT return needs).

VAT becomes due (exigible, CGI 269) on the invoice date for goods and for services
under the option for VAT on debits, and on payment for services otherwise (CGI
269-2 c). The sales and bank journals of `facturlib.accounting.journal` already book
it that way: VAT due is credited to the *VAT collected* accounts 44571x (one per
rate in the PCG preset), at the invoice date or, for VAT on receipts, at the
payment date (moved from 44574x); credit notes and early-payment discounts debit
it back. So the VAT of a month is read straight from those accounts, and the
report is **consistent with the ledger by construction**: for every account, Σ
``net`` over the months = − its balance in `facturlib.trial_balance`.

Each month has a row per rate: ``base``, the taxable amount on which the month's
net VAT at that rate is due (read from each VAT line's ``vat_base``, which the
journal sets next to the amount: the invoice's VAT breakdown BT-116 less deposits
already taxed, or, under VAT on receipts, the share of the base the payments
made due), ``collected`` (credits: VAT invoiced or made due by payments),
``regularized`` (debits: credit notes, discounts, rejected direct debits) and
``net = collected − regularized``: the base and the VAT due at that rate for the
month on the return (form 3310-CA3, lines 08 to 9B, which round both to the euro).
VAT on receipts not yet due (44574x) is not collected and does not appear.
Operations without VAT (exempt, 0 %, exports, intra-EU supplies, reverse charge)
book no VAT line, so they have no row here.

>>> from datetime import date
>>> from facturlib.accounting.accounts import ChartOfAccounts
>>> from facturlib.accounting.journal import journal_for
>>> from facturlib.core.issuing import issue
>>> from facturlib.core.numbering import SequenceState
>>> from facturlib.testing.builders import sample_invoice, sample_scheme
>>> invoice, _ = issue(sample_invoice(), sample_scheme(), SequenceState(), on=date(2025, 1, 15))
>>> entry = journal_for(invoice, chart=ChartOfAccounts())
>>> vat_collected([entry]).to_records()
({'month': datetime.date(2025, 1, 1), 'rate': Decimal('20'), 'account': '445711', \
'base': Decimal('1200.00'), 'collected': Decimal('240.00'), 'regularized': Decimal('0'), \
'net': Decimal('240.00')},)

.. versionadded:: 0.2
.. versionchanged:: 0.2
   The ``base`` column.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from moneyed import Currency

from facturlib.accounting.accounts import Account, ChartOfAccounts
from facturlib.accounting.journal import JournalEntry
from facturlib.core._validators import check_date, check_instance, items_of
from facturlib.core.errors import ReportError
from facturlib.reports._inputs import check_locale, month_start, one_currency
from facturlib.reports.table import Column, ColumnKind, Table, _make

__all__ = ["vat_collected"]

_ZERO = Decimal(0)


def _collected_accounts(chart: ChartOfAccounts) -> dict[Account, Decimal | None]:
    # Rates as written ("20", "5.5"), not as normalized ("2E+1").
    accounts: dict[Account, Decimal | None] = {
        account: Decimal(f"{rate:f}") for rate, account in chart.vat_rates
    }
    if chart.vat_collected is not None and chart.vat_collected not in accounts:
        accounts[chart.vat_collected] = None
    return accounts


def vat_collected(
    entries: Iterable[JournalEntry],
    *,
    chart: ChartOfAccounts | None = None,
    start: date | None = None,
    end: date | None = None,
    currency: str | Currency | None = None,
    locale: str = "fr_FR",
) -> Table:
    """VAT collected per month and rate, from the VAT collected accounts of *entries*.

    Args:
        entries: journal entries (`facturlib.journalize`), every journal.
        chart: the chart the entries were booked with (default: the PCG preset); its
            ``vat_rates`` say which account holds which rate.
        start: only entries dated from this day.
        end: only entries dated before this day.
        currency: the currency, when the entries use several.
        locale: the locale the table displays in.

    Returns:
        A `Table` with ``month``, ``rate`` (percent; empty for the catch-all
        ``vat_collected`` account), ``account``, ``base`` (the taxable amount of the
        month's net VAT), ``collected``, ``regularized`` and ``net``, sorted by month
        then account.

    Raises:
        ReportError: entries in several currencies and no *currency*.

    .. versionadded:: 0.2
    """
    items = items_of(entries, JournalEntry, "entries", error=ReportError)
    check_instance(chart, ChartOfAccounts, "chart", optional=True, error=ReportError)
    check_date(start, "start", optional=True, error=ReportError)
    check_date(end, "end", optional=True, error=ReportError)
    check_locale(locale)
    cur = one_currency((e.currency for e in items), currency, "entries")
    accounts = _collected_accounts(chart or ChartOfAccounts())
    sums: dict[tuple[date, str], list[Decimal]] = {}  # [collected, regularized, base]
    rates: dict[str, Decimal | None] = {}
    for entry in items:
        if entry.currency != cur:
            continue
        if (start is not None and entry.date < start) or (end is not None and entry.date >= end):
            continue
        month = month_start(entry.date)
        for line in entry.lines:
            if line.account not in accounts:
                continue
            number = line.account.number
            rates[number] = accounts[line.account]
            found = sums.setdefault((month, number), [_ZERO, _ZERO, _ZERO])
            base = line.vat_base.amount if line.vat_base is not None else _ZERO
            if line.credit is not None:
                found[0] += line.credit.amount
                found[2] += base
            if line.debit is not None:
                found[1] += line.debit.amount
                found[2] -= base
    rows = (
        (month, rates[number], number, base, collected, regularized, collected - regularized)
        for (month, number), (collected, regularized, base) in sorted(sums.items())
    )
    columns = (
        Column("month", ColumnKind.MONTH),
        Column("rate", ColumnKind.PERCENT),
        Column("account", ColumnKind.TEXT),
        Column("base", ColumnKind.MONEY),
        Column("collected", ColumnKind.MONEY),
        Column("regularized", ColumnKind.MONEY),
        Column("net", ColumnKind.MONEY),
    )
    return _make("VAT collected", columns, rows, cur, locale)
