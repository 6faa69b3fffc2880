"""Tests for facturlib.core.exchange and foreign-currency sales booked in euros (issue 18).

Figures worked by hand: a USD invoice of 1 000.00 + 200.00 VAT at 1 USD = 0.92 EUR is
411 D 1 104.00 / 706 C 920.00 / 445711 C 184.00; paid at 0.95 the bank receives
1 140.00 and 36.00 is an exchange gain (756); paid at 0.90, 1 080.00 and a loss of
24.00 (656).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from lxml import etree

from facturlib import to_cii, to_ubl
from facturlib.accounting.accounts import ChartOfAccounts
from facturlib.accounting.deferred import DeferralBasis, accrued_revenue, deferred_revenue
from facturlib.accounting.fec import check_fec, export_fec
from facturlib.accounting.journal import (
    Activity,
    DiscountGranted,
    JournalEntry,
    LatePaymentPenalty,
    journal_for,
    journalize,
)
from facturlib.accounting.ledger import account_balance, trial_balance
from facturlib.core.credit_notes import credit_note
from facturlib.core.documents import Invoice
from facturlib.core.errors import (
    CurrencyMismatch,
    FloatNotAllowed,
    InvalidValue,
    LedgerError,
    PaymentError,
)
from facturlib.core.exchange import ExchangeRate
from facturlib.core.issuing import issue
from facturlib.core.money import Money, to_money
from facturlib.core.numbering import NumberingScheme, SequenceState
from facturlib.core.periods import Period
from facturlib.core.vat import FR_REDUCED, FR_STANDARD
from facturlib.receivables.payments import (
    Payment,
    PaymentAllocation,
    PaymentReversal,
    Refund,
    WriteOff,
)
from facturlib.testing.builders import sample_invoice, sample_line

CHART = ChartOfAccounts()
ON = date(2025, 3, 3)
PAID_ON = date(2025, 4, 1)
USD_092 = ExchangeRate(currency="USD", rate="0.92", on=ON)
FA = NumberingScheme(pattern="FA-{yyyy}-{seq:04}")
AV = NumberingScheme(pattern="AV-{yyyy}-{seq:04}")


def usd(amount: str) -> Money:
    return to_money(amount, "USD")


def rows(entry: JournalEntry) -> list[tuple[str, str, str, str]]:
    """(account, debit, credit, foreign amount) per line, "" for what is empty."""
    return [
        (
            line.account.number,
            str(line.debit.amount) if line.debit else "",
            str(line.credit.amount) if line.credit else "",
            f"{line.foreign_amount.amount} {line.foreign_amount.currency.code}"
            if line.foreign_amount
            else "",
        )
        for line in entry.lines
    ]


def usd_invoice(
    rate: ExchangeRate | None = USD_092, lines=None, on: date = ON, **fields
) -> Invoice:
    """An issued USD invoice, 1 000.00 at 20 % by default, stating *rate* (BT-6, BT-111)."""
    if lines is None:
        lines = [sample_line(unit_price=usd("1000.00"), quantity=1, vat=FR_STANDARD)]
    draft = sample_invoice(
        currency="USD",
        lines=lines,
        due_date=on + timedelta(days=30),
        **(rate.invoice_fields() if rate else {}),
        **fields,
    )
    invoice, _ = issue(draft, FA, SequenceState(), on=on)
    return invoice


def payment(amount: str, rate: str | None, pid: str = "VIR-1", on: date = PAID_ON) -> Payment:
    return Payment(
        id=pid,
        customer=usd_invoice().buyer.key,
        amount=usd(amount),
        date=on,
        exchange_rate=None if rate is None else ExchangeRate(currency="USD", rate=rate, on=on),
    )


def allocation(pay: Payment, invoice: Invoice, amount: str | None = None) -> PaymentAllocation:
    return PaymentAllocation(
        payment_id=pay.id,
        invoice_number=invoice.number,
        amount=pay.amount if amount is None else usd(amount),
        date=pay.date,
    )


def paid_in_full(net: Money, invoice_rate: Decimal, paid_rate: Decimal) -> list[JournalEntry]:
    """The entries of a USD invoice of *net* at 20 % VAT stating *invoice_rate*, paid in
    full at *paid_rate* (shared with the exchange laws)."""
    rate = ExchangeRate(currency="USD", rate=invoice_rate, on=ON)
    invoice = usd_invoice(rate, lines=[sample_line(unit_price=net, quantity=1, vat=FR_STANDARD)])
    due = invoice.totals().amount_due
    pay = Payment(
        id="VIR-1",
        customer=invoice.buyer.key,
        amount=due,
        date=PAID_ON,
        exchange_rate=ExchangeRate(currency="USD", rate=paid_rate, on=PAID_ON),
    )
    activity = Activity(documents=[invoice], payments=[pay], allocations=[allocation(pay, invoice)])
    return list(journalize(activity, chart=CHART))


class TestExchangeRate:
    def test_convert(self) -> None:
        """1 200.00 USD at 0.92 is 1 104.00 EUR."""
        assert to_money("1104.00", "EUR") == USD_092.convert(usd("1200.00"))

    def test_half_up(self) -> None:
        """0.125 rounds up to 0.13, -0.125 away from zero to -0.13."""
        rate = ExchangeRate(currency="USD", rate="0.5", on=ON)
        assert to_money("0.13", "EUR") == rate.convert(usd("0.25"))
        assert to_money("-0.13", "EUR") == rate.convert(usd("-0.25"))

    def test_to_zero_decimals(self) -> None:
        """A rate to JPY rounds to whole yen."""
        rate = ExchangeRate(currency="EUR", book_currency="JPY", rate="161.357", on=ON)
        assert to_money("1614", "JPY") == rate.convert(to_money("10.00", "EUR"))

    def test_other_currency_refused(self) -> None:
        """Converting an amount in another currency than the rate's raises CurrencyMismatch."""
        with pytest.raises(CurrencyMismatch, match="converts USD"):
            USD_092.convert(to_money("1.00", "GBP"))

    def test_float_refused(self) -> None:
        """A float rate raises FloatNotAllowed."""
        with pytest.raises(FloatNotAllowed):
            ExchangeRate(currency="USD", rate=0.92, on=ON)

    @pytest.mark.parametrize("rate", ["0", "-1", "1e10", "0.1234567890123", "NaN"])
    def test_bad_rate_refused(self, rate: str) -> None:
        """A rate not above zero, huge, too precise or not a number is refused."""
        with pytest.raises(InvalidValue):
            ExchangeRate(currency="USD", rate=rate, on=ON)

    def test_same_currency_refused(self) -> None:
        """A rate from EUR to EUR is refused."""
        with pytest.raises(InvalidValue, match="two different currencies"):
            ExchangeRate(currency="EUR", rate="1", on=ON)

    def test_date_required(self) -> None:
        """The day of the rate is a date."""
        with pytest.raises(InvalidValue):
            ExchangeRate(currency="USD", rate="1", on="2025-03-03")

    def test_invoice_fields(self) -> None:
        """The invoice fields are BT-6 = the book currency and the rate."""
        fields = USD_092.invoice_fields()
        assert ("EUR", Decimal("0.92")) == (
            fields["tax_currency"].code,
            fields["tax_exchange_rate"],
        )

    def test_bt111_uses_the_rate(self) -> None:
        """The invoice's BT-111 is its VAT at the rate: 200.00 USD × 0.92 = 184.00 EUR."""
        assert to_money("184.00", "EUR") == usd_invoice().totals().vat_total_tax_currency


class TestJournalForForeignInvoice:
    def test_worked_example(self) -> None:
        """1 000 + 200 VAT at 0.92: 411 D 1 104.00, 706 C 920.00, 445711 C 184.00 in EUR,
        each line with its USD amount."""
        entry = journal_for(usd_invoice(), chart=CHART)
        assert "EUR" == entry.currency.code
        assert [
            ("411000", "1104.00", "", "1200.00 USD"),
            ("706000", "", "920.00", "1000.00 USD"),
            ("445711", "", "184.00", "200.00 USD"),
        ] == rows(entry)

    def test_rounding_goes_to_the_receivable(self) -> None:
        """Two rates at 0.332: the VAT lines make BT-111 (0.664 + 0.1826 = 0.8466 → 0.85,
        the extra cent to the largest remainder, 445711), 706 is 20.02 × 0.332 = 6.6466 →
        6.65, and 411 takes 6.65 + 0.85 = 7.50 (not 22.57 × 0.332 = 7.49)."""
        rate = ExchangeRate(currency="USD", rate="0.332", on=ON)
        invoice = usd_invoice(
            rate,
            lines=[
                sample_line(unit_price=usd("10.01"), quantity=1, vat=FR_STANDARD),
                sample_line(unit_price=usd("10.01"), quantity=1, vat=FR_REDUCED),
            ],
        )
        assert to_money("0.85", "EUR") == invoice.totals().vat_total_tax_currency
        assert [
            ("411000", "7.50", "", "22.57 USD"),
            ("706000", "", "6.65", "20.02 USD"),
            ("445711", "", "0.67", "2.00 USD"),
            ("445713", "", "0.18", "0.55 USD"),
        ] == rows(journal_for(invoice, chart=CHART))

    def test_no_rate_refused(self) -> None:
        """A USD invoice stating no rate to EUR cannot be booked in euro books."""
        with pytest.raises(LedgerError, match="states no rate to EUR"):
            journal_for(usd_invoice(rate=None), chart=CHART)

    def test_rate_to_another_currency_refused(self) -> None:
        """A USD invoice stating its VAT in GBP cannot be booked in EUR."""
        invoice = usd_invoice(rate=None, tax_currency="GBP", tax_exchange_rate=Decimal("0.79"))
        with pytest.raises(LedgerError, match="states no rate to EUR"):
            journal_for(invoice, chart=CHART)

    def test_books_in_the_invoice_currency(self) -> None:
        """A chart keeping the books in USD books the invoice as it is, no foreign amount."""
        entry = journal_for(usd_invoice(), chart=ChartOfAccounts(currency="USD"))
        assert [
            ("411000", "1200.00", "", ""),
            ("706000", "", "1000.00", ""),
            ("445711", "", "200.00", ""),
        ] == rows(entry)

    def test_credit_note_at_the_invoice_rate(self) -> None:
        """A credit note copies the invoice's rate, so a full credit note reverses the
        invoice's entry to the cent."""
        invoice = usd_invoice()
        note, _ = issue(credit_note(invoice), AV, SequenceState(), on=ON + timedelta(days=5))
        assert invoice.tax_exchange_rate == note.tax_exchange_rate
        assert [
            ("411000", "", "1104.00", "1200.00 USD"),
            ("706000", "920.00", "", "1000.00 USD"),
            ("445711", "184.00", "", "200.00 USD"),
        ] == rows(journal_for(note, chart=CHART))

    def test_credit_note_at_its_own_rate(self) -> None:
        """A credit note drafted with its own rate (0.95) is booked at it."""
        invoice = usd_invoice()
        draft = attrs.evolve(credit_note(invoice), tax_exchange_rate=Decimal("0.95"))
        note, _ = issue(draft, AV, SequenceState(), on=ON + timedelta(days=5))
        assert [
            ("411000", "", "1140.00", "1200.00 USD"),
            ("706000", "950.00", "", "1000.00 USD"),
            ("445711", "190.00", "", "200.00 USD"),
        ] == rows(journal_for(note, chart=CHART))

    def test_discount_at_the_invoice_rate(self) -> None:
        """A 2 % escompte on the USD invoice: 665 D 18.40 (20.00 USD), 445711 D 3.68
        (4.00 USD), 411 C 22.08 (24.00 USD)."""
        entry = journal_for(
            DiscountGranted(invoice=usd_invoice(), date=PAID_ON, percent="2"), chart=CHART
        )
        assert [
            ("665000", "18.40", "", "20.00 USD"),
            ("445711", "3.68", "", "4.00 USD"),
            ("411000", "", "22.08", "24.00 USD"),
        ] == rows(entry)


class TestJournalForForeignPayment:
    def test_gain(self) -> None:
        """Paid 1 200.00 USD at 0.95: 512 D 1 140.00, 411 C 1 104.00, 756 C 36.00."""
        invoice, pay = usd_invoice(), payment("1200.00", "0.95")
        entries = journalize(
            Activity(documents=[invoice], payments=[pay], allocations=[allocation(pay, invoice)]),
            chart=CHART,
        )
        assert [
            ("512000", "1140.00", "", "1200.00 USD"),
            ("411000", "", "1104.00", "1200.00 USD"),
            ("756000", "", "36.00", ""),
        ] == rows(entries[1])

    def test_loss(self) -> None:
        """Paid 1 200.00 USD at 0.90: 512 D 1 080.00, 411 C 1 104.00, 656 D 24.00."""
        invoice, pay = usd_invoice(), payment("1200.00", "0.90")
        entry = journal_for(
            pay,
            chart=CHART,
            allocations=[allocation(pay, invoice)],
            receivables=[journal_for(invoice, chart=CHART)],
        )
        assert [
            ("512000", "1080.00", "", "1200.00 USD"),
            ("411000", "", "1104.00", "1200.00 USD"),
            ("656000", "24.00", "", ""),
        ] == rows(entry)

    def test_two_payments_clear_the_receivable(self) -> None:
        """600 USD at 0.95 (512 570.00, 411 552.00, 756 18.00), then 600 USD at 0.90
        (512 540.00, 411 552.00, 656 12.00): 411 is back to zero in EUR."""
        invoice = usd_invoice()
        first, second = payment("600.00", "0.95"), payment("600.00", "0.90", "VIR-2")
        entries = journalize(
            Activity(
                documents=[invoice],
                payments=[first, second],
                allocations=[allocation(first, invoice), allocation(second, invoice)],
            ),
            chart=CHART,
        )
        assert [
            ("512000", "570.00", "", "600.00 USD"),
            ("411000", "", "552.00", "600.00 USD"),
            ("756000", "", "18.00", ""),
        ] == rows(entries[1])
        assert [
            ("512000", "540.00", "", "600.00 USD"),
            ("411000", "", "552.00", "600.00 USD"),
            ("656000", "12.00", "", ""),
        ] == rows(entries[2])
        assert to_money("0.00", "EUR") == account_balance(entries, "411", currency="EUR")

    def test_same_rate_no_difference(self) -> None:
        """Paid at the invoice's rate: no exchange difference line."""
        invoice, pay = usd_invoice(), payment("1200.00", "0.92")
        entries = journalize(
            Activity(documents=[invoice], payments=[pay], allocations=[allocation(pay, invoice)]),
            chart=CHART,
        )
        assert ["512000", "411000"] == [line.account.number for line in entries[1].lines]

    def test_unallocated_at_the_payment_rate(self) -> None:
        """100 USD received on account at 0.95: 512 D 95.00, 411 C 95.00, no difference."""
        entry = journal_for(payment("100.00", "0.95"), chart=CHART)
        assert [
            ("512000", "95.00", "", "100.00 USD"),
            ("411000", "", "95.00", "100.00 USD"),
        ] == rows(entry)

    def test_rate_required(self) -> None:
        """A USD payment without a rate cannot be booked in euro books."""
        with pytest.raises(LedgerError, match="needs the exchange rate"):
            journal_for(payment("100.00", None), chart=CHART)

    def test_receivables_required(self) -> None:
        """A USD payment settling an invoice needs its entry (the invoice's rate)."""
        invoice, pay = usd_invoice(), payment("1200.00", "0.95")
        with pytest.raises(LedgerError, match="needs the journal entry of FA-2025-0001"):
            journal_for(pay, chart=CHART, allocations=[allocation(pay, invoice)])

    def test_rate_of_another_currency_refused(self) -> None:
        """A payment in USD with a GBP rate is refused when built."""
        with pytest.raises(PaymentError, match="the rate converts GBP"):
            Payment(
                id="VIR-1",
                customer="CLI0001",
                amount=usd("1.00"),
                date=PAID_ON,
                exchange_rate=ExchangeRate(currency="GBP", rate="1.1", on=PAID_ON),
            )

    def test_allocation_in_another_currency_refused(self) -> None:
        """A EUR payment allocated to a USD invoice is refused."""
        invoice = usd_invoice()
        pay = Payment(id="VIR-1", customer="CLI0001", amount=to_money("10.00", "EUR"), date=ON)
        wrong = PaymentAllocation(
            payment_id="VIR-1", invoice_number=invoice.number, amount=pay.amount, date=ON
        )
        with pytest.raises(LedgerError, match="owed in USD"):
            journal_for(
                pay,
                chart=CHART,
                allocations=[wrong],
                receivables=[journal_for(invoice, chart=CHART)],
            )

    def test_reversal_mirrors_the_payment(self) -> None:
        """A rejected USD payment is the payment's entry reversed, the fee at its rate:
        411 D 1 104.00, 756 D 36.00, 512 C 1 140.00 + 4.75 (5 USD fee), 627 D 4.75."""
        invoice, pay = usd_invoice(), payment("1200.00", "0.95")
        back = PaymentReversal(payment_id=pay.id, date=PAID_ON, fee=usd("5.00"))
        entries = journalize(
            Activity(
                documents=[invoice],
                payments=[pay],
                allocations=[allocation(pay, invoice)],
                reversals=[back],
            ),
            chart=CHART,
        )
        assert [
            ("512000", "", "1144.75", "1205.00 USD"),
            ("411000", "1104.00", "", "1200.00 USD"),
            ("756000", "36.00", "", ""),
            ("627000", "4.75", "", "5.00 USD"),
        ] == rows(entries[2])
        assert to_money("1104.00", "EUR") == account_balance(entries, "411", currency="EUR")


class TestOtherForeignOperations:
    def test_refund_at_its_rate(self) -> None:
        """50 USD refunded at 0.94: 411 D 47.00, 512 C 47.00."""
        refund = Refund(
            id="RBT-1",
            customer="CLI0001",
            source_id="VIR-1",
            amount=usd("50.00"),
            date=PAID_ON,
            exchange_rate=ExchangeRate(currency="USD", rate="0.94", on=PAID_ON),
        )
        assert [
            ("411000", "47.00", "", "50.00 USD"),
            ("512000", "", "47.00", "50.00 USD"),
        ] == rows(journal_for(refund, chart=CHART))

    def test_penalty_refused(self) -> None:
        """A penalty in USD has no rate: it is refused in euro books."""
        penalty = LatePaymentPenalty(
            customer="CLI0001", reference="FA-1", date=PAID_ON, interest=usd("3.00")
        )
        with pytest.raises(LedgerError, match="cannot be booked in books kept in EUR"):
            journal_for(penalty, chart=CHART)

    def test_write_off_refused(self) -> None:
        """A write-off in USD is refused in euro books (book it in EUR by hand)."""
        invoice = usd_invoice()
        off = WriteOff(
            id="PERTE-1",
            invoice_number=invoice.number,
            date=PAID_ON,
            kind="small_difference",
            reason="Écart",
            amount=usd("0.50"),
        )
        with pytest.raises(LedgerError, match="cannot be booked in books kept in EUR"):
            journal_for(off, chart=CHART, invoice=invoice)


class TestForeignBooks:
    def test_fec_devise(self) -> None:
        """The FEC has Montantdevise and Idevise on every line of the invoice and payment,
        the trial balance is in EUR and sums to zero, and the file checks clean."""
        invoice, pay = usd_invoice(), payment("1200.00", "0.95")
        entries = journalize(
            Activity(documents=[invoice], payments=[pay], allocations=[allocation(pay, invoice)]),
            chart=CHART,
        )
        fec = export_fec(entries, siren="732829320", closing=date(2025, 12, 31))
        text = fec.content.decode("iso-8859-15")
        records = [row.split("|") for row in text.split("\r\n")[1:] if row]
        assert [
            ("411000", "1104,00", "0,00", "1200,00", "USD"),
            ("706000", "0,00", "920,00", "1000,00", "USD"),
            ("445711", "0,00", "184,00", "200,00", "USD"),
            ("512000", "1140,00", "0,00", "1200,00", "USD"),
            ("411000", "0,00", "1104,00", "1200,00", "USD"),
            ("756000", "0,00", "36,00", "", ""),
        ] == [(r[4], r[11], r[12], r[16], r[17]) for r in records]
        assert () == check_fec(fec.content, filename=fec.filename, closing=date(2025, 12, 31))
        balance = trial_balance(entries, currency="EUR")
        assert Decimal(0) == balance.balance.amount

    def test_einvoices_state_the_booked_vat(self, tmp_path: Path, validate) -> None:
        """The CII and UBL of the USD invoice state BT-6 = EUR and BT-111 = 184.00, the VAT
        booked at the same rate, and pass the French validators with zero errors."""
        invoice = usd_invoice()
        booked = -account_balance([journal_for(invoice, chart=CHART)], "4457", currency="EUR")
        cii, ubl = tmp_path / "usd-cii.xml", tmp_path / "usd-ubl.xml"
        cii.write_bytes(to_cii(invoice, "EXTENDED-CTC-FR"))
        ubl.write_bytes(to_ubl(invoice, "EXTENDED-CTC-FR"))
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        cii_root = etree.fromstring(cii.read_bytes(), parser)
        ubl_root = etree.fromstring(ubl.read_bytes(), parser)
        assert ["EUR"] == cii_root.xpath("//*[local-name()='TaxCurrencyCode']/text()")
        assert [str(booked.amount)] == cii_root.xpath(
            "//*[local-name()='TaxTotalAmount'][@currencyID='EUR']/text()"
        )
        assert ["EUR"] == ubl_root.xpath("//*[local-name()='TaxCurrencyCode']/text()")
        assert [str(booked.amount)] == ubl_root.xpath(
            "//*[local-name()='TaxTotal']/*[local-name()='TaxAmount'][@currencyID='EUR']/text()"
        )
        findings = validate("facturx.py", [cii], fr=True)
        findings.update(validate("ubl.py", [ubl], fr=True))
        assert {str(cii): [], str(ubl): []} == findings


class TestForeignDeferrals:
    def test_deferred_revenue_at_the_invoice_rate(self) -> None:
        """1 200 USD for Oct 2025–Sep 2026 at 0.92, closed 31 Dec: 900 USD deferred by
        months → 706 D 828.00 / 487 C 828.00, reversed on 1 January."""
        year = Period(date(2025, 10, 1), date(2026, 10, 1))
        invoice = usd_invoice(
            lines=[sample_line(unit_price=usd("1200.00"), quantity=1, period=year)],
            on=date(2025, 10, 1),
        )
        (pca,) = deferred_revenue(
            [invoice], chart=CHART, closing=date(2025, 12, 31), basis=DeferralBasis.MONTHS
        )
        assert [
            ("706000", "828.00", "", "900.00 USD"),
            ("487000", "", "828.00", "900.00 USD"),
        ] == rows(pca.entry)
        assert [
            ("706000", "", "828.00", "900.00 USD"),
            ("487000", "828.00", "", "900.00 USD"),
        ] == rows(pca.reversal)

    def test_accrued_revenue_at_the_draft_rate(self) -> None:
        """December work of 1 000 USD invoiced in January, the draft stating 0.92:
        4181 D 1 104.00 / 706 C 920.00 / 44587 C 184.00."""
        december = Period(date(2025, 12, 1), date(2026, 1, 1))
        draft = sample_invoice(
            currency="USD",
            lines=[sample_line(unit_price=usd("1000.00"), quantity=1, period=december)],
            **USD_092.invoice_fields(),
        )
        (fae,) = accrued_revenue(
            [draft], chart=CHART, closing=date(2025, 12, 31), basis=DeferralBasis.DAYS
        )
        assert [
            ("418100", "1104.00", "", "1200.00 USD"),
            ("706000", "", "920.00", "1000.00 USD"),
            ("445870", "", "184.00", "200.00 USD"),
        ] == rows(fae.entry)

    def test_deferral_without_rate_refused(self) -> None:
        """A USD draft stating no rate cannot be accrued in euro books."""
        december = Period(date(2025, 12, 1), date(2026, 1, 1))
        draft = sample_invoice(
            currency="USD",
            lines=[sample_line(unit_price=usd("1000.00"), quantity=1, period=december)],
        )
        with pytest.raises(LedgerError, match="states no rate to EUR"):
            accrued_revenue(
                [draft], chart=CHART, closing=date(2025, 12, 31), basis=DeferralBasis.DAYS
            )
