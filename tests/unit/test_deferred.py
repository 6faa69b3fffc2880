"""Tests for facturlib.accounting.deferred: deferred (PCA) and accrued (FAE) revenue."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from facturlib.accounting.accounts import ChartOfAccounts
from facturlib.accounting.deferred import Deferral, DeferralBasis, accrued_revenue, deferred_revenue
from facturlib.core._codes import DocumentKind
from facturlib.core.credit_notes import credit_note
from facturlib.core.documents import Invoice
from facturlib.core.errors import LedgerError
from facturlib.core.issuing import issue
from facturlib.core.lines import Line
from facturlib.core.money import Money, to_money
from facturlib.core.numbering import NumberingScheme, SequenceState
from facturlib.core.periods import Period
from facturlib.core.vat import FR_STANDARD
from facturlib.testing.builders import sample_invoice

CHART = ChartOfAccounts()
CLOSING = date(2025, 12, 31)
DAYS, MONTHS = DeferralBasis.DAYS, DeferralBasis.MONTHS
YEAR = Period.inclusive(date(2025, 10, 1), date(2026, 9, 30))


def eur(amount: str) -> Money:
    return to_money(amount, "EUR")


def line(net: str, period: Period | None = None, currency: str = "EUR") -> Line:
    return Line(
        description="Abonnement",
        quantity=1,
        unit_price=to_money(net, currency),
        vat=FR_STANDARD,
        period=period,
    )


def issued(*lines: Line, on: date = date(2025, 10, 1), **fields) -> Invoice:
    draft = sample_invoice(
        lines=lines, due_date=on + timedelta(days=30), currency=lines[0].currency, **fields
    )
    return issue(draft, NumberingScheme(pattern="FA-{yyyy}-{seq:04}"), SequenceState(), on=on)[0]


def rows(entry) -> list[tuple[str, str, str]]:
    return [
        (
            ln.account.number,
            str(ln.debit.amount) if ln.debit else "",
            str(ln.credit.amount) if ln.credit else "",
        )
        for ln in entry.lines
    ]


class TestDeferredRevenue:
    def test_domain_by_months(self) -> None:
        """DOMAIN §10: 1 200 HT for Oct 2025–Sep 2026 closed 31 Dec → 900.00 by months."""
        (pca,) = deferred_revenue(
            [issued(line("1200.00", YEAR))], chart=CHART, closing=CLOSING, basis=MONTHS
        )
        assert eur("900.00") == pca.amount
        assert [("706000", "900.00", ""), ("487000", "", "900.00")] == rows(pca.entry)
        assert (CLOSING, "OD") == (pca.entry.date, pca.entry.journal.code)

    def test_domain_by_days(self) -> None:
        """DOMAIN §10: by days 273/365 → 897.53."""
        (pca,) = deferred_revenue(
            [issued(line("1200.00", YEAR))], chart=CHART, closing=CLOSING, basis=DAYS
        )
        assert eur("897.53") == pca.amount

    def test_reversal(self) -> None:
        """The entry is reversed on 1 January."""
        (pca,) = deferred_revenue(
            [issued(line("1200.00", YEAR))], chart=CHART, closing=CLOSING, basis=MONTHS
        )
        assert date(2026, 1, 1) == pca.reversal.date
        assert [("706000", "", "900.00"), ("487000", "900.00", "")] == rows(pca.reversal)

    def test_invoice_period(self) -> None:
        """Without a line period, the invoice's period (BG-14) is used."""
        invoice = issued(line("1200.00"), period=YEAR)
        assert [eur("900.00")] == [
            d.amount
            for d in deferred_revenue([invoice], chart=CHART, closing=CLOSING, basis=MONTHS)
        ]

    def test_nothing_after_closing(self) -> None:
        """A period ending by the closing defers nothing; no period defers nothing."""
        past = issued(line("100.00", Period(date(2025, 11, 1), date(2026, 1, 1))), line("5.00"))
        assert () == deferred_revenue([past], chart=CHART, closing=CLOSING, basis=DAYS)

    def test_wholly_future(self) -> None:
        """A period starting after the closing is deferred in full."""
        future = issued(
            line("100.00", Period(date(2026, 1, 1), date(2026, 2, 1))), on=date(2025, 12, 20)
        )
        assert (
            eur("100.00")
            == deferred_revenue([future], chart=CHART, closing=CLOSING, basis=DAYS)[0].amount
        )

    def test_issued_after_closing_skipped(self) -> None:
        """An invoice issued after the closing belongs to the next year."""
        later = issued(line("100.00", YEAR), on=date(2026, 1, 5))
        assert () == deferred_revenue([later], chart=CHART, closing=CLOSING, basis=DAYS)

    def test_credit_note_reduces(self) -> None:
        """A credit note of such an invoice defers a negative amount: D 487 / C 706."""
        invoice = issued(line("1200.00", YEAR))
        note = issue(
            credit_note(invoice),
            NumberingScheme(pattern="AV-{yyyy}-{seq:04}"),
            SequenceState(),
            on=date(2025, 11, 1),
        )[0]
        (_, back) = deferred_revenue([invoice, note], chart=CHART, closing=CLOSING, basis=MONTHS)
        assert eur("-900.00") == back.amount
        assert [("706000", "", "900.00"), ("487000", "900.00", "")] == rows(back.entry)

    def test_split_is_exact(self) -> None:
        """Deferred + earned = the line net, to the cent, for odd amounts."""
        invoice = issued(line("1000.01", YEAR))
        (pca,) = deferred_revenue([invoice], chart=CHART, closing=CLOSING, basis=DAYS)
        # 1000.01 × 273/365 = 747.9526… → 747.95; earned 252.06
        assert eur("747.95") == pca.amount

    def test_zero_decimals(self) -> None:
        """JPY amounts are split to the yen."""
        invoice = issued(line("120000", YEAR, currency="JPY"))
        books = ChartOfAccounts(currency="JPY")  # books kept in yen
        (pca,) = deferred_revenue([invoice], chart=books, closing=CLOSING, basis=MONTHS)
        assert to_money("90000", "JPY") == pca.amount

    def test_deposit_skipped(self) -> None:
        """Deposit invoices are not revenue."""
        deposit = issued(line("100.00", YEAR), kind=DocumentKind.DEPOSIT)
        assert () == deferred_revenue([deposit], chart=CHART, closing=CLOSING, basis=DAYS)

    def test_draft_refused(self) -> None:
        """A draft has no revenue to defer."""
        with pytest.raises(LedgerError, match="draft"):
            deferred_revenue([sample_invoice()], chart=CHART, closing=CLOSING, basis=DAYS)

    def test_basis_required(self) -> None:
        """The basis is an explicit DeferralBasis."""
        with pytest.raises(LedgerError, match="by days or by months"):
            deferred_revenue([], chart=CHART, closing=CLOSING, basis="days")  # type: ignore[arg-type]

    def test_months_in_30e360(self) -> None:
        """By months, every month weighs 30 days: a half month left is 15/30."""
        invoice = issued(
            line("300.00", Period(date(2025, 12, 16), date(2026, 1, 16))), on=date(2025, 12, 16)
        )
        (pca,) = deferred_revenue([invoice], chart=CHART, closing=CLOSING, basis=MONTHS)
        assert eur("150.00") == pca.amount


class TestAccruedRevenue:
    def test_domain_fae(self) -> None:
        """DOMAIN §10: December work invoiced in January → D 4181 1 200 / C 706 1 000, 44587 200."""
        draft = sample_invoice(lines=[line("1000.00", Period(date(2025, 12, 1), date(2026, 1, 1)))])
        (fae,) = accrued_revenue([draft], chart=CHART, closing=CLOSING, basis=DAYS)
        assert [
            ("418100", "1200.00", ""),
            ("706000", "", "1000.00"),
            ("445870", "", "200.00"),
        ] == rows(fae.entry)
        assert (eur("1000.00"), "FAE20251231-1", date(2026, 1, 1)) == (
            fae.amount,
            fae.piece,
            fae.reversal.date,
        )

    def test_partial(self) -> None:
        """Only the part of the period up to the closing is accrued, VAT in proportion."""
        draft = sample_invoice(
            lines=[line("310.00", Period(date(2025, 12, 17), date(2026, 1, 17)))]
        )
        (fae,) = accrued_revenue([draft], chart=CHART, closing=CLOSING, basis=DAYS)
        # 15 of 31 days: 150.00 HT, 30.00 VAT
        assert [
            ("418100", "180.00", ""),
            ("706000", "", "150.00"),
            ("445870", "", "30.00"),
        ] == rows(fae.entry)

    def test_delivery_date(self) -> None:
        """A line without period is earned if delivered by the closing."""
        draft = sample_invoice(lines=[line("50.00")], delivery_date=date(2025, 12, 20))
        assert (
            eur("50.00")
            == accrued_revenue([draft], chart=CHART, closing=CLOSING, basis=DAYS)[0].amount
        )

    def test_issued_later_uses_number(self) -> None:
        """An invoice issued after the closing keeps its number as piece."""
        invoice = issued(
            line("10.00", Period(date(2025, 12, 1), date(2026, 1, 1))), on=date(2026, 1, 10)
        )
        assert (
            invoice.number
            == accrued_revenue([invoice], chart=CHART, closing=CLOSING, basis=DAYS)[0].piece
        )

    def test_already_invoiced_skipped(self) -> None:
        """An invoice issued by the closing is already revenue."""
        invoice = issued(
            line("10.00", Period(date(2025, 12, 1), date(2026, 1, 1))), on=date(2025, 12, 31)
        )
        assert () == accrued_revenue([invoice], chart=CHART, closing=CLOSING, basis=DAYS)

    def test_future_work_skipped(self) -> None:
        """Work entirely after the closing is not accrued."""
        draft = sample_invoice(lines=[line("10.00", Period(date(2026, 1, 1), date(2026, 2, 1)))])
        assert () == accrued_revenue([draft], chart=CHART, closing=CLOSING, basis=DAYS)

    def test_when_unknown(self) -> None:
        """Without period or delivery date, the error says what to give."""
        with pytest.raises(LedgerError, match="when the work was done"):
            accrued_revenue([sample_invoice()], chart=CHART, closing=CLOSING, basis=DAYS)

    def test_credit_note_refused(self) -> None:
        """A credit note is not accrued revenue."""
        with pytest.raises(LedgerError, match="not revenue to accrue"):
            accrued_revenue(
                [sample_invoice(kind=DocumentKind.CREDIT_NOTE)],
                chart=CHART,
                closing=CLOSING,
                basis=DAYS,
            )

    def test_proforma_refused(self) -> None:
        """A proforma has no accounting effect."""
        with pytest.raises(LedgerError, match="proforma"):
            accrued_revenue(
                [sample_invoice(kind=DocumentKind.PROFORMA)],
                chart=CHART,
                closing=CLOSING,
                basis=DAYS,
            )

    def test_returns_a_deferral(self) -> None:
        """Results are Deferral values whose entries balance."""
        draft = sample_invoice(lines=[line("1000.00", Period(date(2025, 12, 1), date(2026, 1, 1)))])
        (fae,) = accrued_revenue([draft], chart=CHART, closing=CLOSING, basis=DAYS)
        assert isinstance(fae, Deferral)
        assert Decimal(0) == sum(ln.amount.amount for ln in fae.entry.lines)
