"""Checks and conversions of report inputs shared by the report modules (private)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from moneyed import Currency

from facturlib.core._codes import DocumentKind
from facturlib.core._validators import check_date, items_of
from facturlib.core.documents import Invoice
from facturlib.core.errors import InvalidValue, ReportError
from facturlib.core.money import currency as to_currency
from facturlib.recurring.subscriptions import Subscription

_MAX_MONTHS = 600


def check_locale(locale: object) -> None:
    """Raise `ReportError` unless *locale* is a CLDR locale babel knows."""
    from babel import Locale, UnknownLocaleError

    if isinstance(locale, str):
        try:
            Locale.parse(locale)
        except (UnknownLocaleError, ValueError, TypeError):
            pass
        else:
            return
    raise ReportError(
        "unknown locale", field="locale", value=locale, hint='use e.g. "fr_FR" or "en_GB"'
    )


def check_months(months: object, field: str = "months") -> int:
    """*months* if it is a whole number from 1 to 600."""
    if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= _MAX_MONTHS:
        raise ReportError(
            f"{field} is a whole number of months from 1 to {_MAX_MONTHS}",
            field=field,
            value=months,
            hint="e.g. months=12",
        )
    return months


def month_start(day: date) -> date:
    """The first day of *day*'s month."""
    return day.replace(day=1)


def months_of(start: date, months: object) -> tuple[date, ...]:
    """The first days of *months* months from *start*'s month."""
    check_date(start, "start", error=ReportError)
    count = check_months(months)
    first = month_start(start)
    return tuple(first + relativedelta(months=k) for k in range(count))


def one_currency(
    currencies: Iterable[Currency], given: str | Currency | None, what: str
) -> Currency:
    """The currency of a report: *given*, else the only one of *currencies*."""
    if given is not None:
        try:
            return to_currency(given)
        except InvalidValue as error:
            raise ReportError(
                error.message, field="currency", value=given, hint=error.hint
            ) from None
    found = {c.code: c for c in currencies}
    if len(found) > 1:
        raise ReportError(
            f"the {what} are in several currencies",
            field="currency",
            value=sorted(found),
            hint="pass currency= to report on one of them",
        )
    if not found:
        return to_currency("EUR")
    return next(iter(found.values()))


def subscriptions_of(value: object) -> tuple[Subscription, ...]:
    """*value* as a tuple of subscriptions."""
    items: tuple[Subscription, ...] = items_of(
        value, Subscription, "subscriptions", error=ReportError
    )
    return items


def invoices_of(value: object, field: str) -> tuple[Invoice, ...]:
    """*value* as a tuple of invoices."""
    items: tuple[Invoice, ...] = items_of(value, Invoice, field, error=ReportError)
    return items


def documents_of(
    value: object, given: str | Currency | None, field: str = "documents"
) -> tuple[list[Invoice], Currency]:
    """The issued documents of *value* (drafts and proformas are left out) in the report's
    currency."""
    items = [
        d
        for d in invoices_of(value, field)
        if d.is_issued and d.issue_date is not None and d.kind is not DocumentKind.PROFORMA
    ]
    cur = one_currency((d.currency for d in items), given, field)
    return [d for d in items if d.currency == cur], cur


def revenue_documents(documents: Iterable[Invoice]) -> Iterator[tuple[Invoice, int]]:
    """Each document that makes revenue with its sign: invoices and corrective invoices
    +1, credit notes −1. Deposit invoices are advances (account 4191), not revenue,
    and so are the credit notes that only correct deposit invoices given here."""
    items = list(documents)
    deposits = {d.number for d in items if d.kind is DocumentKind.DEPOSIT}
    for document in items:
        if document.kind is DocumentKind.DEPOSIT or document.kind is DocumentKind.PROFORMA:
            continue
        if document.kind is DocumentKind.CREDIT_NOTE:
            if document.preceding and all(p.number in deposits for p in document.preceding):
                continue
            yield document, -1
        else:
            yield document, 1


def document_day(document: Invoice) -> date:
    """The day a document counts on: its issue date, else (a draft of pre-billing) the
    last day of its period.

    Raises:
        ReportError: a draft with neither.
    """
    if document.issue_date is not None:
        return document.issue_date
    if document.period is not None:
        return document.period.last_day
    raise ReportError(
        "a draft without an issue date or a period cannot be placed in a month",
        field="drafts",
        value=document.buyer.name,
        hint="give the draft its planned issue_date",
    )


_ZERO = Decimal(0)


def check_window(start: date, end: date) -> None:
    """Refuse a report window whose *end* does not come after its *start*."""
    check_date(start, "start", error=ReportError)
    check_date(end, "end", error=ReportError)
    if end <= start:
        raise ReportError(
            "the end must come after the start", field="end", value=end, hint=f"after {start}"
        )
