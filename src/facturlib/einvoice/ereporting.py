"""E-reporting: the transaction and payment data sent to the tax administration for
what is not e-invoiced (CGI art. 290 and 290 A, French e-invoicing reform).

Sales that are not domestic B2B e-invoices are reported through the accredited
platform instead, cut by the cadence of the seller's VAT regime:

* **B2C** sales, aggregated per day, currency and VAT rate (taxable amount, VAT,
  number of transactions) — `B2CDay`;
* **international B2B** sales (buyer established abroad), one record per invoice —
  `InternationalSale`;
* **payment data** for services whose VAT is due on receipt (no option for the
  debits, CGI 269-2-c), per payment and VAT rate, for the transactions above —
  `PaymentRecord` (domestic B2B e-invoices give theirs through the 212 Encaissée
  status instead, see `facturlib.einvoice.statuses`).

`ReportingCadence` gives the periods: every 10 days (1–10, 11–20, 21–end of month)
for the normal monthly regime, monthly for the quarterly or simplified regimes,
every two months for the VAT franchise. `e_reporting` builds the `EReport` of one
period; it has ``to_records()`` (plain dicts), ``to_csv()`` and ``to_json()``.

Sales are classified by their ``BAR`` treatment (`facturlib.reporting_category`):
a buyer without SIREN, SIRET or VAT id is B2C; seller and buyer both established in
France is domestic B2B (e-invoiced, not reported here); any other business sale is
international B2B; out-of-scope sales are not reported. Pass ``classify=`` to decide
otherwise. Payment data is made for the invoices whose VAT is due on receipt
(`facturlib.einvoice.statuses.vat_due_on_receipt` by default).

>>> from datetime import date
>>> ReportingCadence.TEN_DAYS.period_of(date(2026, 9, 25))
Period(start=datetime.date(2026, 9, 21), end=datetime.date(2026, 10, 1))
>>> ReportingCadence.TWO_MONTHLY.period_of(date(2026, 12, 1))
Period(start=datetime.date(2026, 11, 1), end=datetime.date(2027, 1, 1))
"""

from __future__ import annotations

import csv
import enum
import io
import json
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta
from moneyed import Money

from facturlib.core._codes import DocumentKind
from facturlib.core._validators import (
    as_tuple,
    check_instance,
    instance_of,
    is_date,
    is_decimal,
    is_int,
    is_optional_text,
    is_text,
    items_of,
    tuple_of,
)
from facturlib.core.documents import Invoice, reporting_category
from facturlib.core.errors import InvalidValue
from facturlib.core.periods import Period
from facturlib.einvoice.statuses import encashment_events, vat_due_on_receipt
from facturlib.receivables.payments import PaymentAllocation

__all__ = [
    "B2CDay",
    "EReport",
    "InternationalSale",
    "PaymentRecord",
    "ReportingCadence",
    "SaleCategory",
    "classify_sale",
    "e_reporting",
]


class ReportingCadence(enum.Enum):
    """How often e-reporting data is sent, by the seller's VAT regime.

    .. versionadded:: 0.2
    """

    TEN_DAYS = "10-day"  #: normal monthly regime: 1–10, 11–20, 21–end of month
    MONTHLY = "monthly"  #: quarterly or simplified (réel simplifié) regime
    TWO_MONTHLY = "two-monthly"  #: VAT franchise (franchise en base): Jan–Feb, Mar–Apr…

    def period_of(self, day: date) -> Period:
        """The reporting period containing *day* (half-open)."""
        if not isinstance(day, date):
            raise InvalidValue("expected a date", field="day", value=day)
        first = day.replace(day=1)
        if self is ReportingCadence.TEN_DAYS:
            if day.day <= 10:
                return Period(first, first.replace(day=11))
            if day.day <= 20:
                return Period(first.replace(day=11), first.replace(day=21))
            return Period(first.replace(day=21), first + relativedelta(months=1))
        if self is ReportingCadence.MONTHLY:
            return Period(first, first + relativedelta(months=1))
        start = first.replace(month=day.month - (day.month - 1) % 2)
        return Period(start, start + relativedelta(months=2))

    def periods(self, year: int) -> tuple[Period, ...]:
        """Every reporting period of *year*, in order."""
        result = []
        day = date(year, 1, 1)
        while day.year == year:
            period = self.period_of(day)
            result.append(period)
            day = period.end
        return tuple(result)


class SaleCategory(enum.Enum):
    """How a sale is declared under the reform (the ``BAR`` treatment, XP Z12-012).

    .. versionadded:: 0.2
    """

    DOMESTIC_B2B = "B2B"  #: e-invoiced through the platforms, not e-reported
    INTERNATIONAL_B2B = "B2BINT"  #: e-reported per invoice
    B2C = "B2C"  #: e-reported aggregated per day and VAT rate
    OUT_OF_SCOPE = "OUTOFSCOPE"  #: outside the scope of VAT: neither
    ARCHIVE_ONLY = "ARCHIVEONLY"  #: kept, not transmitted


def classify_sale(invoice: Invoice) -> SaleCategory:
    """The `SaleCategory` of *invoice*: its `facturlib.reporting_category` (BAR).

    >>> from facturlib.testing.builders import sample_invoice
    >>> classify_sale(sample_invoice()).value
    'B2B'

    .. versionadded:: 0.2
    """
    return SaleCategory(reporting_category(invoice))


@attrs.frozen(kw_only=True)
class B2CDay:
    """B2C sales of one day, currency and VAT rate.

    Attributes:
        day: the day of the transactions (issue date).
        category: the VAT category code (S, Z, E, …).
        vat_percent: the rate, ``None`` for category O.
        taxable: the taxable amount (credit notes deducted).
        vat: the VAT.
        count: the number of documents.

    .. versionadded:: 0.2
    """

    day: date = attrs.field(validator=is_date)
    category: str = attrs.field(validator=is_text)
    vat_percent: Decimal | None = attrs.field(validator=is_decimal(optional=True))
    taxable: Money = attrs.field(validator=instance_of(Money))
    vat: Money = attrs.field(validator=instance_of(Money))
    count: int = attrs.field(validator=is_int())


@attrs.frozen(kw_only=True)
class InternationalSale:
    """One international B2B invoice or credit note.

    .. versionadded:: 0.2
    """

    number: str = attrs.field(validator=is_text)
    kind: str = attrs.field(validator=is_text)
    issue_date: date = attrs.field(validator=is_date)
    buyer_name: str = attrs.field(validator=is_text)
    buyer_vat_id: str | None = attrs.field(validator=is_optional_text)
    buyer_country: str = attrs.field(validator=is_text)
    category: str = attrs.field(validator=is_text)
    vat_percent: Decimal | None = attrs.field(validator=is_decimal(optional=True))
    taxable: Money = attrs.field(validator=instance_of(Money))
    vat: Money = attrs.field(validator=instance_of(Money))


@attrs.frozen(kw_only=True)
class PaymentRecord:
    """A payment received for a service whose VAT is due on receipt, per VAT rate.

    .. versionadded:: 0.2
    """

    number: str = attrs.field(validator=is_text)
    day: date = attrs.field(validator=is_date)
    vat_percent: Decimal = attrs.field(validator=is_decimal())
    amount: Money = attrs.field(validator=instance_of(Money))
    vat: Money = attrs.field(validator=instance_of(Money))


def _plain(value: Any) -> Any:
    if isinstance(value, Money):
        return str(value.amount)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _record(dataset: str, item: Any) -> dict[str, Any]:
    fields = attrs.asdict(item, recurse=False)
    record: dict[str, Any] = {"dataset": dataset}
    for name, value in fields.items():
        record[name] = _plain(value)
        if isinstance(value, Money) and "currency" not in record:
            record["currency"] = value.currency.code
    return record


@attrs.frozen(kw_only=True)
class EReport:
    """The e-reporting data of one period.

    Attributes:
        cadence: the `ReportingCadence`.
        period: the period covered (half-open).
        b2c: `B2CDay` aggregates, by day, currency and rate.
        international: `InternationalSale` records, by invoice and rate.
        payments: `PaymentRecord`\\s, by payment and rate.

    .. versionadded:: 0.2
    """

    cadence: ReportingCadence = attrs.field(validator=instance_of(ReportingCadence))
    period: Period = attrs.field(validator=instance_of(Period))
    b2c: tuple[B2CDay, ...] = attrs.field(converter=as_tuple, validator=tuple_of(B2CDay))
    international: tuple[InternationalSale, ...] = attrs.field(
        converter=as_tuple, validator=tuple_of(InternationalSale)
    )
    payments: tuple[PaymentRecord, ...] = attrs.field(
        converter=as_tuple, validator=tuple_of(PaymentRecord)
    )

    def to_records(self) -> list[dict[str, Any]]:
        """Every record as a plain dict (amounts and dates as text), with its ``dataset``."""
        return [
            *(_record("b2c", r) for r in self.b2c),
            *(_record("international", r) for r in self.international),
            *(_record("payments", r) for r in self.payments),
        ]

    def to_csv(self) -> str:
        """The records as CSV (comma-separated, a header row, ``\\n`` line ends)."""
        records = self.to_records()
        names: list[str] = []
        for record in records:
            names.extend(n for n in record if n not in names)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=names or ["dataset"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        return out.getvalue()

    def to_json(self) -> str:
        """The report as JSON: cadence, period and the three datasets."""
        records = self.to_records()
        document = {
            "cadence": self.cadence.value,
            "period": {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()},
            **{
                name: [
                    {k: v for k, v in r.items() if k != "dataset"}
                    for r in records
                    if r["dataset"] == name
                ]
                for name in ("b2c", "international", "payments")
            },
        }
        return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False)


def _sign(invoice: Invoice) -> int:
    return -1 if invoice.kind is DocumentKind.CREDIT_NOTE else 1


def e_reporting(
    invoices: Iterable[Invoice],
    *,
    cadence: ReportingCadence,
    period: Period,
    allocations: Iterable[PaymentAllocation] = (),
    on_receipts: Callable[[Invoice], bool] | None = None,
    classify: Callable[[Invoice], SaleCategory] | None = None,
) -> EReport:
    """The e-reporting data of *period* from issued *invoices* and the payments made.

    Args:
        invoices: issued invoices and credit notes (drafts are ignored); those issued
            in *period* make the B2C and international datasets (credit notes with a
            minus sign).
        cadence: the seller's `ReportingCadence`.
        period: the reporting period, e.g. ``cadence.period_of(day)``.
        allocations: the payments allocated to invoices (`facturlib.settle`); those
            dated in *period* make the payment dataset.
        on_receipts: which invoices have their VAT due on receipt; by default
            `facturlib.einvoice.statuses.vat_due_on_receipt` (services, no option for
            the debits).
        classify: the `SaleCategory` of an invoice; by default `classify_sale`.

    Returns:
        The `EReport`.

    Raises:
        InvalidValue: a wrong type of argument.

    .. versionadded:: 0.2
    """
    check_instance(cadence, ReportingCadence, "cadence", hint="e.g. ReportingCadence.MONTHLY")
    check_instance(period, Period, "period", hint="e.g. cadence.period_of(day)")
    for name, function in (("on_receipts", on_receipts), ("classify", classify)):
        if function is not None and not callable(function):
            raise InvalidValue(
                "expected a function of an Invoice",
                field=name,
                value=function,
                hint="e.g. lambda invoice: True, or leave the default",
            )
    documents = [i for i in items_of(invoices, Invoice, "invoices") if i.is_issued]
    paid = items_of(allocations, PaymentAllocation, "allocations")
    days: dict[tuple[date, str, str, Decimal | None], list[Any]] = {}
    international: list[InternationalSale] = []
    payments: list[PaymentRecord] = []
    for invoice in documents:
        category = (classify or classify_sale)(invoice)
        if not isinstance(category, SaleCategory):
            raise InvalidValue(
                "classify must return a SaleCategory",
                field="classify",
                value=category,
                hint="e.g. lambda invoice: SaleCategory.B2C",
            )
        if category not in (SaleCategory.B2C, SaleCategory.INTERNATIONAL_B2B):
            continue
        if invoice.issue_date is None or invoice.number is None:  # pragma: no cover
            continue  # an issued invoice has both
        sign = _sign(invoice)
        if period.start <= invoice.issue_date < period.end:
            for entry in invoice.totals().vat_breakdown:
                taxable, vat = entry.taxable * sign, entry.amount * sign
                if category is SaleCategory.B2C:
                    key = (
                        invoice.issue_date,
                        invoice.currency.code,
                        entry.vat.category.value,
                        entry.vat.percent,
                    )
                    slot = days.setdefault(key, [taxable * 0, vat * 0, set()])
                    slot[0] += taxable
                    slot[1] += vat
                    slot[2].add(invoice.number)
                else:
                    international.append(
                        InternationalSale(
                            number=invoice.number,
                            kind=invoice.kind.code or "",
                            issue_date=invoice.issue_date,
                            buyer_name=invoice.buyer.name,
                            buyer_vat_id=invoice.buyer.vat_id,
                            buyer_country=invoice.buyer.address.country_code,
                            category=entry.vat.category.value,
                            vat_percent=entry.vat.percent,
                            taxable=taxable,
                            vat=vat,
                        )
                    )
        if (on_receipts or vat_due_on_receipt)(invoice) and sign > 0:
            for event in encashment_events(invoice, paid):
                if not period.start <= event.on < period.end:
                    continue
                for part in event.amounts:
                    payments.append(
                        PaymentRecord(
                            number=invoice.number,
                            day=event.on,
                            vat_percent=part.vat_percent,
                            amount=part.amount,
                            vat=part.vat,
                        )
                    )
    b2c = [
        B2CDay(
            day=day,
            category=category,
            vat_percent=percent,
            taxable=slot[0],
            vat=slot[1],
            count=len(slot[2]),
        )
        for (day, _cur, category, percent), slot in sorted(
            days.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2], kv[0][3] or Decimal(-1))
        )
    ]
    international.sort(key=lambda r: (r.issue_date, r.number))
    payments.sort(key=lambda r: (r.day, r.number))
    return EReport(
        cadence=cadence, period=period, b2c=b2c, international=international, payments=payments
    )
