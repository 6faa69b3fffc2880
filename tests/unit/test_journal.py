"""Tests for facturlib.accounting.journal: balanced entries for every sales operation."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import attrs
import pytest

from facturlib.accounting.accounts import Account, ChartOfAccounts, Journal, RevenueKind
from facturlib.accounting.journal import (
    Activity,
    DiscountGranted,
    JournalEntry,
    JournalLine,
    LatePaymentPenalty,
    journal_for,
    journalize,
)
from facturlib.core._codes import DocumentKind
from facturlib.core.credit_notes import credit_note
from facturlib.core.documents import Invoice, Order
from facturlib.core.errors import BillingPlanError, FloatNotAllowed, LedgerError
from facturlib.core.issuing import issue
from facturlib.core.lines import DocumentAllowance, DocumentCharge, Line
from facturlib.core.money import Money, to_money
from facturlib.core.numbering import NumberingScheme, SequenceState
from facturlib.core.vat import FR_REDUCED, FR_STANDARD, VatRate
from facturlib.projects.deposits import deposit_deductions, deposit_invoice, final_invoice
from facturlib.receivables.payments import (
    Payment,
    PaymentAllocation,
    PaymentMethod,
    PaymentReversal,
    settle,
)
from facturlib.receivables.penalties import PenaltyPolicy, late_interest, late_penalty
from facturlib.receivables.terms import EarlyPaymentDiscount, early_payment_discount
from facturlib.testing.builders import sample_buyer, sample_invoice

CHART = ChartOfAccounts()
FA = NumberingScheme(pattern="FA-{yyyy}-{seq:04}")
AV = NumberingScheme(pattern="AV-{yyyy}-{seq:04}")
AC = NumberingScheme(pattern="AC-{yyyy}-{seq:04}")
BUYER = sample_buyer(id="CLI0001", name="ACME SARL")


def eur(amount: str) -> Money:
    return to_money(amount, "EUR")


def rows(entry: JournalEntry) -> list[tuple[str, str, str]]:
    """(account, debit, credit) per line, amounts as text, "" for the empty side."""
    return [
        (
            line.account.number,
            str(line.debit.amount) if line.debit else "",
            str(line.credit.amount) if line.credit else "",
        )
        for line in entry.lines
    ]


def invoice_for(net: str, *, on: date = date(2025, 1, 15), scheme=FA, **fields) -> Invoice:
    fields.setdefault(
        "lines", [Line(description="Mission", quantity=1, unit_price=eur(net), vat=FR_STANDARD)]
    )
    fields.setdefault("due_date", on + timedelta(days=30))
    draft = sample_invoice(buyer=BUYER, **fields)
    invoice, _ = issue(draft, scheme, SequenceState(), on=on)
    return invoice


def issued_credit_note(invoice: Invoice, **how) -> Invoice:
    note, _ = issue(credit_note(invoice, **how), AV, SequenceState(), on=date(2025, 1, 20))
    return note


class TestJournalLine:
    def test_debit_or_credit(self) -> None:
        """A line with both a debit and a credit is refused."""
        with pytest.raises(LedgerError, match="debit or a credit"):
            JournalLine(account=Account("512000", "Banque"), debit=eur("1.00"), credit=eur("1.00"))

    def test_float_refused(self) -> None:
        """A float amount is refused with FloatNotAllowed."""
        with pytest.raises(FloatNotAllowed):
            JournalLine(account=Account("512000", "Banque"), debit=1.5)  # type: ignore[arg-type]

    def test_positive(self) -> None:
        """A negative debit is refused: it belongs on the credit side."""
        with pytest.raises(LedgerError, match="must be positive") as err:
            JournalLine(account=Account("512000", "Banque"), debit=eur("-1.00"))
        assert "debit" == err.value.field

    def test_minor_unit(self) -> None:
        """An amount below the currency's minor unit is refused."""
        with pytest.raises(LedgerError, match="at most 0 decimals"):
            JournalLine(account=Account("512000", "Banque"), debit=to_money("1.5", "JPY"))

    def test_of_signed(self) -> None:
        """`JournalLine.of` debits a positive amount and credits a negative one."""
        bank = Account("512000", "Banque")
        assert (eur("5.00"), None) == (JournalLine.of(bank, eur("5.00")).debit, None)
        assert eur("5.00") == JournalLine.of(bank, eur("-5.00")).credit

    def test_auxiliary_needs_label(self) -> None:
        """An auxiliary account without its label is refused (FEC CompAuxLib)."""
        with pytest.raises(LedgerError, match="auxiliary account needs its label"):
            JournalLine(account=Account("411000", "Clients"), debit=eur("1.00"), auxiliary="C1")

    def test_lettering_needs_date(self) -> None:
        """A lettering code without its date is refused (FEC DateLet)."""
        with pytest.raises(LedgerError, match="lettering code needs its date"):
            JournalLine(account=Account("411000", "Clients"), debit=eur("1.00"), lettering="A")

    def test_no_separator_in_label(self) -> None:
        """A label holding a pipe is refused: it would break an FEC file."""
        with pytest.raises(LedgerError, match="pipe"):
            JournalLine(account=Account("411000", "Clients"), debit=eur("1.00"), label="a|b")


class TestJournalEntry:
    def lines(self, debit: str, credit: str) -> list[JournalLine]:
        return [
            JournalLine(account=Account("512000", "Banque"), debit=eur(debit)),
            JournalLine(account=Account("411000", "Clients"), credit=eur(credit)),
        ]

    def entry(self, debit: str = "10.00", credit: str = "10.00", **fields) -> JournalEntry:
        fields.setdefault("lines", self.lines(debit, credit))
        return JournalEntry(
            journal=Journal("BQ", "Banque"),
            date=date(2025, 3, 1),
            piece="P1",
            label="Test",
            **fields,
        )

    def test_unbalanced_refused(self) -> None:
        """An entry whose debits and credits differ cannot be built."""
        with pytest.raises(LedgerError, match="does not balance") as err:
            self.entry("10.00", "9.99")
        assert Decimal("0.01") == err.value.value

    def test_one_line_refused(self) -> None:
        """An entry needs two lines."""
        with pytest.raises(LedgerError, match="at least two lines"):
            self.entry(lines=self.lines("1.00", "1.00")[:1])

    def test_one_currency(self) -> None:
        """Lines in two currencies are refused."""
        lines = [
            JournalLine(account=Account("512000", "Banque"), debit=eur("1.00")),
            JournalLine(account=Account("411000", "Clients"), credit=to_money("1.00", "USD")),
        ]
        with pytest.raises(LedgerError, match="one currency"):
            self.entry(lines=lines)

    def test_normalises_dates_and_labels(self) -> None:
        """A piece date, validation date or line label equal to the entry's is stored as None."""
        lines = [attrs.evolve(line, label="Test") for line in self.lines("1.00", "1.00")]
        entry = self.entry(
            lines=lines, piece_date=date(2025, 3, 1), validation_date=date(2025, 3, 1)
        )
        assert (None, None, [None, None]) == (
            entry.piece_date,
            entry.validation_date,
            [line.label for line in entry.lines],
        )

    def test_total(self) -> None:
        """`total` is Σ debits."""
        assert eur("10.00") == self.entry().total

    def test_lines_tuple(self) -> None:
        """Lines given as a list are stored as a tuple."""
        assert isinstance(self.entry().lines, tuple)


class TestJournalForInvoice:
    def test_domain_invoice(self) -> None:
        """DOMAIN §10: invoice 2 700 HT + 540 → D 411 3 240.00 / C 706 2 700.00 / C 44571 540.00."""
        entry = journal_for(invoice_for("2700.00"), chart=CHART)
        assert [
            ("411000", "3240.00", ""),
            ("706000", "", "2700.00"),
            ("445711", "", "540.00"),
        ] == rows(entry)
        assert ("VT", "FA-2025-0001", date(2025, 1, 15)) == (
            entry.journal.code,
            entry.piece,
            entry.date,
        )

    def test_customer_auxiliary_and_due_date(self) -> None:
        """The 411 line carries the customer's auxiliary account, name and due date."""
        line = journal_for(invoice_for("2700.00"), chart=CHART).lines[0]
        assert ("CLI0001", "ACME SARL", date(2025, 2, 14)) == (
            line.auxiliary,
            line.auxiliary_label,
            line.due_date,
        )

    def test_label(self) -> None:
        """The label names the document and the customer, as in DOMAIN §11."""
        entry = journal_for(invoice_for("2700.00"), chart=CHART)
        assert "Facture FA-2025-0001 ACME SARL" == entry.label

    def test_two_rates_and_adjustments(self) -> None:
        """Lines per rate, allowances on 709000, shipping on 708500; the entry balances."""
        invoice = invoice_for(
            "100.00",
            lines=[
                Line(description="A", quantity=1, unit_price=eur("100.00"), vat=FR_STANDARD),
                Line(description="B", quantity=2, unit_price=eur("10.00"), vat=FR_REDUCED),
            ],
            allowances=[DocumentAllowance(amount=eur("10.00"), vat=FR_STANDARD)],
            charges=[DocumentCharge(amount=eur("5.00"), vat=FR_STANDARD)],
        )
        # 20 %: 100 − 10 + 5 = 95 → 19.00; 5.5 %: 20 → 1.10; TTC 135.10
        assert [
            ("411000", "135.10", ""),
            ("706000", "", "120.00"),
            ("708500", "", "5.00"),
            ("709000", "10.00", ""),
            ("445711", "", "19.00"),
            ("445713", "", "1.10"),
        ] == rows(journal_for(invoice, chart=CHART))

    def test_product_accounts_and_analytics(self) -> None:
        """A mapped product goes to its kind's account with its analytic codes."""
        chart = CHART.with_product("BK-1", kind=RevenueKind.GOODS, analytics=("LIB", "PARIS"))
        invoice = invoice_for(
            "10.00",
            lines=[
                Line(
                    description="Book",
                    quantity=1,
                    unit_price=eur("10.00"),
                    vat=FR_REDUCED,
                    product_id="BK-1",
                )
            ],
        )
        line = journal_for(invoice, chart=chart).lines[1]
        assert ("707000", "LIB", "PARIS") == (line.account.number, line.analytic1, line.analytic2)

    def test_missing_product_mapping(self) -> None:
        """Without a default kind, an unmapped product raises naming the product."""
        chart = attrs.evolve(CHART, default_kind=None)
        invoice = invoice_for(
            "10.00",
            lines=[
                Line(
                    description="Book",
                    quantity=1,
                    unit_price=eur("10.00"),
                    vat=FR_STANDARD,
                    product_id="BK-9",
                )
            ],
        )
        with pytest.raises(LedgerError, match="no revenue account for product 'BK-9'") as err:
            journal_for(invoice, chart=chart)
        assert "BK-9" == err.value.value

    def test_missing_rate_mapping(self) -> None:
        """A rate without a VAT account raises naming the rate."""
        invoice = invoice_for(
            "10.00",
            lines=[
                Line(
                    description="X",
                    quantity=1,
                    unit_price=eur("10.00"),
                    vat=VatRate.standard("19.6"),
                )
            ],
        )
        with pytest.raises(LedgerError, match=r"rate 19\.6 %"):
            journal_for(invoice, chart=CHART)

    def test_single_vat_account(self) -> None:
        """With no per-rate accounts, every rate goes to the one VAT account."""
        chart = attrs.evolve(CHART, vat_rates=(), vat_collected=Account("445710", "TVA collectée"))
        assert "445710" == journal_for(invoice_for("100.00"), chart=chart).lines[-1].account.number

    def test_exempt_has_no_vat_line(self) -> None:
        """An exempt invoice books no VAT line."""
        invoice = invoice_for(
            "100.00",
            lines=[
                Line(description="X", quantity=1, unit_price=eur("100.00"), vat=VatRate.export())
            ],
        )
        assert [("411000", "100.00", ""), ("706000", "", "100.00")] == rows(
            journal_for(invoice, chart=CHART)
        )

    def test_draft_refused(self) -> None:
        """A draft has no accounting effect."""
        with pytest.raises(LedgerError, match="draft"):
            journal_for(sample_invoice(), chart=CHART)

    def test_proforma_refused(self) -> None:
        """A proforma is not an invoice."""
        with pytest.raises(LedgerError, match="proforma"):
            journal_for(sample_invoice(kind=DocumentKind.PROFORMA), chart=CHART)

    def test_chart_required(self) -> None:
        """A chart that is not a ChartOfAccounts is refused."""
        with pytest.raises(LedgerError, match="ChartOfAccounts"):
            journal_for(invoice_for("1.00"), chart="PCG")  # type: ignore[arg-type]

    def test_cash_rounding(self) -> None:
        """Cash rounding (BT-114) goes to 758/658 and the 411 line takes the amount due."""
        from facturlib.core.money import RoundingPolicy

        invoice = invoice_for(
            "10.01",
            currency="CHF",
            lines=[
                Line(
                    description="X",
                    quantity=1,
                    unit_price=to_money("10.01", "CHF"),
                    vat=FR_STANDARD,
                )
            ],
            rounding=RoundingPolicy(cash_increment="0.05"),
        )
        entry = journal_for(invoice, chart=attrs.evolve(CHART, currency="CHF"))  # Swiss books
        assert str(invoice.totals().amount_due.amount) == rows(entry)[0][1]
        assert entry.total.amount == sum(ln.debit.amount for ln in entry.lines if ln.debit)


class TestJournalForCreditNote:
    def test_domain_credit_note(self) -> None:
        """DOMAIN §10: credit note 900 HT → D 706 900.00 / D 44571 180.00 / C 411 1 080.00."""
        note = issued_credit_note(invoice_for("2700.00"), amount=eur("900.00"))
        assert [
            ("411000", "", "1080.00"),
            ("706000", "900.00", ""),
            ("445711", "180.00", ""),
        ] == rows(journal_for(note, chart=CHART))

    def test_rebate(self) -> None:
        """A rebate credit note goes to 709x (7096 for services)."""
        note = issued_credit_note(invoice_for("2700.00"), amount=eur("900.00"))
        assert "709600" == journal_for(note, chart=CHART, rebate=True).lines[1].account.number

    def test_rebate_only_for_credit_notes(self) -> None:
        """rebate=True on an invoice is refused."""
        with pytest.raises(LedgerError, match="only a credit note"):
            journal_for(invoice_for("1.00"), chart=CHART, rebate=True)

    def test_label(self) -> None:
        """The label says Avoir."""
        note = issued_credit_note(invoice_for("2700.00"), amount=eur("900.00"))
        assert journal_for(note, chart=CHART).label.startswith("Avoir AV-2025-0001")


def deposit_and_final() -> tuple[Invoice, Invoice]:
    deposit = invoice_for("3000.00", kind=DocumentKind.DEPOSIT, scheme=AC, on=date(2025, 3, 10))
    final = invoice_for(
        "10000.00",
        on=date(2025, 3, 31),
        preceding=[deposit.reference],
        prepaid=eur("3600.00"),
    )
    return deposit, final


class TestJournalForDeposits:
    def test_domain_deposit_invoice(self) -> None:
        """DOMAIN §10: deposit 3 000 + 600 → D 411 3 600.00 / C 4191 3 000.00 / C 44571 600.00."""
        deposit, _ = deposit_and_final()
        assert [
            ("411000", "3600.00", ""),
            ("419100", "", "3000.00"),
            ("445711", "", "600.00"),
        ] == rows(journal_for(deposit, chart=CHART))

    def test_domain_final_invoice(self) -> None:
        """DOMAIN §10: final 10 000 HT → D 4191 3 000, 411 8 400 / C 706 10 000, 44571 1 400."""
        deposit, final = deposit_and_final()
        assert [
            ("411000", "8400.00", ""),
            ("419100", "3000.00", ""),
            ("706000", "", "10000.00"),
            ("445711", "", "1400.00"),
        ] == rows(journal_for(final, chart=CHART, deposits=[deposit]))

    def test_unreferenced_deposit_refused(self) -> None:
        """A deposit the final invoice does not refer to is refused."""
        deposit, _ = deposit_and_final()
        with pytest.raises(LedgerError, match="does not refer to the deposit"):
            journal_for(invoice_for("10000.00"), chart=CHART, deposits=[deposit])

    def test_not_a_deposit_refused(self) -> None:
        """Only deposit invoices (386) can be deducted."""
        other = invoice_for("100.00")
        final = invoice_for("10000.00", preceding=[other.reference])
        with pytest.raises(LedgerError, match="not a deposit invoice"):
            journal_for(final, chart=CHART, deposits=[other])

    def test_credit_note_of_deposit(self) -> None:
        """Cancelling a deposit invoice reverses 4191, not revenue."""
        deposit, _ = deposit_and_final()
        note = issued_credit_note(deposit)
        assert [
            ("411000", "", "3600.00"),
            ("419100", "3000.00", ""),
            ("445711", "600.00", ""),
        ] == rows(journal_for(note, chart=CHART, deposits=[deposit]))
        entries = journalize(Activity(documents=[deposit, note]), chart=CHART)
        (booked,) = [entry for entry in entries if entry.piece == note.number]
        assert ("419100", "3000.00", "") == rows(booked)[1]

    def test_deposit_deducts_nothing(self) -> None:
        """deposits= on a deposit invoice is refused."""
        deposit, _ = deposit_and_final()
        with pytest.raises(LedgerError, match="deducts no deposits"):
            journal_for(deposit, chart=CHART, deposits=[deposit])

    def test_deposits_only_for_invoices(self) -> None:
        """deposits= with a payment is refused."""
        deposit, _ = deposit_and_final()
        payment = Payment(id="P", customer="CLI0001", amount=eur("1.00"), date=date(2025, 1, 1))
        with pytest.raises(LedgerError, match="deposits= and rebate="):
            journal_for(payment, chart=CHART, deposits=[deposit])

    def test_deducts_what_the_final_invoice_prints(self) -> None:
        """4191 and the VAT reversed are `deposit_deductions`, the figures the final invoice
        prints: a deposit over two rates of an order made with `facturlib.projects.deposits`."""
        order = Order(
            seller=sample_invoice().seller,
            buyer=BUYER,
            currency="EUR",
            number="BC-42",
            lines=[
                Line(description="A", quantity=1, unit_price=eur("1000.01"), vat=FR_STANDARD),
                Line(description="B", quantity=1, unit_price=eur("333.33"), vat=FR_REDUCED),
            ],
        )
        deposit, _ = issue(
            deposit_invoice(order, percent="33.3333", due_date=date(2025, 3, 10)),
            AC,
            SequenceState(),
            on=date(2025, 3, 10),
        )
        final, _ = issue(
            final_invoice(order, [deposit], due_date=date(2025, 4, 30)),
            FA,
            SequenceState(),
            on=date(2025, 3, 31),
        )
        printed = deposit_deductions(final, [deposit])
        entry = journal_for(final, chart=CHART, deposits=[deposit])
        by_account = {line.account.number: line.amount.amount for line in entry.lines}
        assert sum(d.taxable.amount for d in printed) == by_account["419100"]
        for d in printed:
            due = final.totals().breakdown_for(d.vat).amount.amount - d.amount.amount
            assert -due == by_account[CHART.vat_account(d.vat.percent).number]
        assert final.totals().amount_due.amount == by_account["411000"]

    def test_deposit_rate_the_final_invoice_lacks(self) -> None:
        """A deposit at a rate the final invoice does not have is still reversed (D 44571x),
        where `deposit_deductions` refuses to print it."""
        deposit = invoice_for(
            "100.00",
            kind=DocumentKind.DEPOSIT,
            scheme=AC,
            lines=[
                Line(description="Acompte", quantity=1, unit_price=eur("100.00"), vat=FR_REDUCED)
            ],
        )
        final = invoice_for("1000.00", preceding=[deposit.reference], prepaid=eur("105.50"))
        with pytest.raises(BillingPlanError, match="does not"):
            deposit_deductions(final, [deposit])
        assert [
            ("411000", "1094.50", ""),
            ("419100", "100.00", ""),
            ("706000", "", "1000.00"),
            ("445711", "", "200.00"),
            ("445713", "5.50", ""),
        ] == rows(journal_for(final, chart=CHART, deposits=[deposit]))


def payment(amount: str, pid: str = "VIR-1", day: date = date(2025, 2, 20), **fields) -> Payment:
    return Payment(id=pid, customer="CLI0001", amount=eur(amount), date=day, **fields)


class TestJournalForPayment:
    def test_domain_payment(self) -> None:
        """DOMAIN §10: payment of the balance 2 160 → D 512 2 160.00 / C 411 2 160.00."""
        entry = journal_for(payment("2160.00"), chart=CHART, customer_name="ACME SARL")
        assert [("512000", "2160.00", ""), ("411000", "", "2160.00")] == rows(entry)
        assert ("BQ", "CLI0001", "ACME SARL") == (
            entry.journal.code,
            entry.lines[1].auxiliary,
            entry.lines[1].auxiliary_label,
        )

    def test_pending_refused(self) -> None:
        """A pending payment is not booked until cleared."""
        with pytest.raises(LedgerError, match="pending"):
            journal_for(payment("1.00", pending=True), chart=CHART)

    def test_vat_on_receipts_full(self) -> None:
        """DOMAIN §10: services on receipts, invoice then payment of 1 200 moves 200 to 44571."""
        chart = attrs.evolve(CHART, vat_on_receipts=True)
        invoice = invoice_for("1000.00")
        invoice_entry = journal_for(invoice, chart=chart)
        assert [
            ("411000", "1200.00", ""),
            ("706000", "", "1000.00"),
            ("445741", "", "200.00"),
        ] == rows(invoice_entry)
        allocation = PaymentAllocation(
            payment_id="VIR-1",
            invoice_number=invoice.number,
            amount=eur("1200.00"),
            date=date(2025, 2, 20),
        )
        entry = journal_for(
            payment("1200.00"), chart=chart, allocations=[allocation], receivables=[invoice_entry]
        )
        assert [
            ("512000", "1200.00", ""),
            ("411000", "", "1200.00"),
            ("445741", "200.00", ""),
            ("445711", "", "200.00"),
        ] == rows(entry)

    def test_vat_on_receipts_partial(self) -> None:
        """DOMAIN §3.3: 600 received on 1 200 TTC → 100.00 of VAT becomes due."""
        chart = attrs.evolve(CHART, vat_on_receipts=True)
        invoice = invoice_for("1000.00")
        allocation = PaymentAllocation(
            payment_id="VIR-1",
            invoice_number=invoice.number,
            amount=eur("600.00"),
            date=date(2025, 4, 5),
        )
        entry = journal_for(
            payment("600.00"),
            chart=chart,
            allocations=[allocation],
            receivables=[journal_for(invoice, chart=chart)],
        )
        assert ("445711", "", "100.00") == rows(entry)[-1]

    def test_vat_on_receipts_cumulative(self) -> None:
        """Three thirds of an invoice move exactly its VAT, rounded cumulatively."""
        chart = attrs.evolve(CHART, vat_on_receipts=True)
        invoice = invoice_for("100.00")  # 120.00 TTC, 20.00 VAT
        receivables = [journal_for(invoice, chart=chart)]
        previous: list[PaymentAllocation] = []
        moved = Decimal(0)
        for i, amount in enumerate(["40.00", "40.00", "40.00"]):
            allocation = PaymentAllocation(
                payment_id=f"P{i}",
                invoice_number=invoice.number,
                amount=eur(amount),
                date=date(2025, 2, 1),
            )
            entry = journal_for(
                payment(amount, pid=f"P{i}"),
                chart=chart,
                allocations=[allocation],
                receivables=receivables,
                previous=previous,
            )
            moved += entry.lines[-1].credit.amount
            previous.append(allocation)
        assert Decimal("20.00") == moved

    def test_goods_stay_on_debits(self) -> None:
        """Under VAT on receipts, goods still book VAT collected at invoicing."""
        chart = attrs.evolve(CHART, vat_on_receipts=True).with_product("G", kind=RevenueKind.GOODS)
        invoice = invoice_for(
            "100.00",
            lines=[
                Line(
                    description="G",
                    quantity=1,
                    unit_price=eur("100.00"),
                    vat=FR_STANDARD,
                    product_id="G",
                ),
                Line(description="S", quantity=1, unit_price=eur("50.00"), vat=FR_STANDARD),
            ],
        )
        assert [("445711", "", "20.00"), ("445741", "", "10.00")] == rows(
            journal_for(invoice, chart=chart)
        )[-2:]

    def test_allocation_of_another_payment(self) -> None:
        """An allocation of another payment is refused."""
        allocation = PaymentAllocation(
            payment_id="OTHER", invoice_number="FA-1", amount=eur("1.00"), date=date(2025, 2, 1)
        )
        with pytest.raises(LedgerError, match="not VIR-1"):
            journal_for(payment("1.00"), chart=CHART, allocations=[allocation])

    def test_unknown_receivable(self) -> None:
        """An allocation to an invoice missing from receivables is refused."""
        chart = attrs.evolve(CHART, vat_on_receipts=True)
        allocation = PaymentAllocation(
            payment_id="VIR-1", invoice_number="FA-9", amount=eur("1.00"), date=date(2025, 2, 1)
        )
        receivables = [journal_for(invoice_for("1.00"), chart=chart)]
        with pytest.raises(LedgerError, match="no journal entry for FA-9"):
            journal_for(
                payment("1.00"), chart=chart, allocations=[allocation], receivables=receivables
            )


class TestJournalForReversal:
    def test_reject_with_fee(self) -> None:
        """A direct-debit reject: D 411 / C 512 the payment, D 627 / C 512 the fee."""
        paid = payment("1200.00", method=PaymentMethod.SEPA_DIRECT_DEBIT)
        reversal = PaymentReversal(
            payment_id="VIR-1", date=date(2025, 3, 3), reason="AM04", fee=eur("8.50")
        )
        entry = journal_for(reversal, chart=CHART, payment=paid)
        assert [
            ("411000", "1200.00", ""),
            ("512000", "", "1208.50"),
            ("627000", "8.50", ""),
        ] == rows(entry)
        assert "Rejet VIR-1 AM04" == entry.label

    def test_needs_payment(self) -> None:
        """A reversal without its payment is refused."""
        reversal = PaymentReversal(payment_id="VIR-1", date=date(2025, 3, 3))
        with pytest.raises(LedgerError, match="needs the payment VIR-1"):
            journal_for(reversal, chart=CHART)

    def test_reverses_vat_on_receipts(self) -> None:
        """A reject moves the VAT the payment made due back to 44574x."""
        chart = attrs.evolve(CHART, vat_on_receipts=True)
        invoice = invoice_for("1000.00")
        receivables = [journal_for(invoice, chart=chart)]
        allocation = PaymentAllocation(
            payment_id="VIR-1",
            invoice_number=invoice.number,
            amount=eur("1200.00"),
            date=date(2025, 2, 20),
        )
        reversal = PaymentReversal(payment_id="VIR-1", date=date(2025, 3, 3))
        entry = journal_for(
            reversal,
            chart=chart,
            payment=payment("1200.00"),
            allocations=[allocation],
            receivables=receivables,
            previous=[allocation],
        )
        assert [("445741", "", "200.00"), ("445711", "200.00", "")] == rows(entry)[-2:]


class TestLatePaymentPenalty:
    def test_entry(self) -> None:
        """DOMAIN §8: 116.84 + €40 → D 411 156.84 / C 7631 116.84 / C 7581 40.00, no VAT."""
        penalty = LatePaymentPenalty(
            customer="CLI0001",
            reference="FA-2025-0001",
            date=date(2025, 5, 15),
            interest=eur("116.84"),
            indemnity=eur("40.00"),
        )
        assert [
            ("411000", "156.84", ""),
            ("763100", "", "116.84"),
            ("758100", "", "40.00"),
        ] == rows(journal_for(penalty, chart=CHART, customer_name="ACME SARL"))

    def test_needs_an_amount(self) -> None:
        """A penalty with neither interest nor indemnity is refused."""
        with pytest.raises(LedgerError, match="interest, an indemnity"):
            LatePaymentPenalty(customer="C", reference="R", date=date(2025, 1, 1))

    def test_float_refused(self) -> None:
        """A float amount is refused."""
        with pytest.raises(FloatNotAllowed):
            LatePaymentPenalty(customer="C", reference="R", date=date(2025, 1, 1), interest=1.5)  # type: ignore[arg-type]


LATE_POLICY = PenaltyPolicy(rate="12.15")
DUE, PAID = date(2025, 3, 31), date(2025, 5, 15)


class TestLatePaymentPenaltyFromPenalty:
    def test_domain_example(self) -> None:
        """DOMAIN §8 computed, then booked: D 411 156.84 / C 7631 116.84 / C 7581 40.00."""
        late = late_interest(eur("7800.00"), DUE, PAID, LATE_POLICY)
        penalty = LatePaymentPenalty.from_penalty(
            late, customer="CLI0001", reference="FA-2025-0001", customer_name="ACME SARL"
        )
        assert (PAID, eur("116.84"), eur("40.00")) == (
            penalty.date,
            penalty.interest,
            penalty.indemnity,
        )
        assert [
            ("411000", "156.84", ""),
            ("763100", "", "116.84"),
            ("758100", "", "40.00"),
        ] == rows(journal_for(penalty, chart=CHART))

    def test_from_late_penalty_of_an_invoice(self) -> None:
        """From `late_penalty`, the reference defaults to the invoice's number."""
        invoice = invoice_for("6500.00", on=date(2025, 3, 1), due_date=DUE)
        paid = payment("7800.00", day=PAID)
        settlement = settle([invoice], [paid], on=PAID)
        late = late_penalty(invoice, settlement, LATE_POLICY)
        penalty = LatePaymentPenalty.from_penalty(
            late, customer=invoice.buyer.key, date=date(2025, 5, 20)
        )
        assert (invoice.number, date(2025, 5, 20)) == (penalty.reference, penalty.date)
        assert (late.interest, late.indemnity) == (penalty.interest, penalty.indemnity)

    def test_given_reference_and_date(self) -> None:
        """An explicit reference and date win over the computed ones."""
        late = late_interest(eur("7800.00"), DUE, PAID, LATE_POLICY)
        penalty = LatePaymentPenalty.from_penalty(
            late, customer="CLI0001", reference="PEN-1", date=date(2025, 6, 1)
        )
        assert ("PEN-1", date(2025, 6, 1)) == (penalty.reference, penalty.date)

    def test_not_late_refused(self) -> None:
        """A penalty of an amount paid on time has nothing to book."""
        on_time = late_interest(eur("7800.00"), DUE, DUE, LATE_POLICY)
        with pytest.raises(LedgerError, match="nothing to book: FA-1 was not late") as caught:
            LatePaymentPenalty.from_penalty(on_time, customer="CLI0001", reference="FA-1")
        assert "penalty" == caught.value.field

    def test_zero_interest_without_indemnity_refused(self) -> None:
        """Late, but interest rounding to zero and no indemnity due: nothing to book."""
        policy = PenaltyPolicy(rate="12.15", indemnity=None)
        late = late_interest(eur("0.10"), DUE, DUE + timedelta(days=1), policy)
        assert (1, eur("0.00"), None) == (late.days_late, late.interest, late.indemnity)
        with pytest.raises(LedgerError, match="the penalty of FA-1 is zero"):
            LatePaymentPenalty.from_penalty(late, customer="CLI0001", reference="FA-1")

    def test_zero_interest_keeps_the_indemnity(self) -> None:
        """A zero interest is left out: only the indemnity is booked."""
        late = late_interest(eur("0.10"), DUE, DUE + timedelta(days=1), LATE_POLICY)
        penalty = LatePaymentPenalty.from_penalty(late, customer="CLI0001", reference="FA-1")
        assert (None, eur("40.00")) == (penalty.interest, penalty.indemnity)
        assert [("411000", "40.00", ""), ("758100", "", "40.00")] == rows(
            journal_for(penalty, chart=CHART)
        )

    def test_no_indemnity_keeps_the_interest(self) -> None:
        """No indemnity due (collective proceedings): only the interest is booked."""
        policy = PenaltyPolicy(rate="12.15", indemnity=None)
        late = late_interest(eur("7800.00"), DUE, PAID, policy)
        penalty = LatePaymentPenalty.from_penalty(late, customer="CLI0001", reference="FA-1")
        assert (eur("116.84"), None) == (penalty.interest, penalty.indemnity)

    def test_reference_needed_without_invoice(self) -> None:
        """A penalty computed for an amount, not an invoice, needs a reference."""
        late = late_interest(eur("7800.00"), DUE, PAID, LATE_POLICY)
        with pytest.raises(LedgerError, match="piece reference"):
            LatePaymentPenalty.from_penalty(late, customer="CLI0001")

    def test_two_currencies_refused(self) -> None:
        """A euro indemnity on a dollar interest is refused, even when the interest is zero."""
        late = late_interest(to_money("0.10", "USD"), DUE, DUE + timedelta(days=1), LATE_POLICY)
        with pytest.raises(LedgerError, match="interest is in USD, the indemnity in EUR"):
            LatePaymentPenalty.from_penalty(late, customer="CLI0001", reference="FA-1")

    def test_not_a_late_penalty(self) -> None:
        """Something other than a LatePenalty is refused."""
        with pytest.raises(LedgerError, match="expected a LatePenalty"):
            LatePaymentPenalty.from_penalty(eur("40.00"), customer="C", reference="R")  # type: ignore[arg-type]

    def test_caller_value_untouched(self) -> None:
        """The computed penalty is not changed."""
        late = late_interest(eur("7800.00"), DUE, PAID, LATE_POLICY)
        before = attrs.evolve(late)
        LatePaymentPenalty.from_penalty(late, customer="CLI0001", reference="FA-1")
        assert before == late


class TestEarlyPaymentDiscount:
    def test_domain_escompte(self) -> None:
        """DOMAIN §10: escompte 2 % on 2 700 HT → D 665 54.00 / D 44571 10.80 / C 411 64.80."""
        discount = DiscountGranted(
            invoice=invoice_for("2700.00"), date=date(2025, 2, 1), percent="2"
        )
        entry = journal_for(discount, chart=CHART)
        assert [("665000", "54.00", ""), ("445711", "10.80", ""), ("411000", "", "64.80")] == rows(
            entry
        )
        assert "OD" == entry.journal.code

    def test_by_amount_two_rates(self) -> None:
        """An amount is spread over the rates exactly, in proportion to their net amounts."""
        invoice = invoice_for(
            "100.00",
            lines=[
                Line(description="A", quantity=1, unit_price=eur("100.00"), vat=FR_STANDARD),
                Line(description="B", quantity=1, unit_price=eur("50.00"), vat=FR_REDUCED),
            ],
        )
        entry = journal_for(
            DiscountGranted(invoice=invoice, date=date(2025, 2, 1), amount=eur("3.00")),
            chart=CHART,
        )
        # 2.00 at 20 % → 0.40, 1.00 at 5.5 % → 0.06 (0.055 rounded half up)
        assert [
            ("665000", "3.00", ""),
            ("445711", "0.40", ""),
            ("445713", "0.06", ""),
            ("411000", "", "3.46"),
        ] == rows(entry)

    def test_more_than_invoiced(self) -> None:
        """A discount above the net total is refused."""
        discount = DiscountGranted(
            invoice=invoice_for("10.00"), date=date(2025, 2, 1), amount=eur("11.00")
        )
        with pytest.raises(LedgerError, match="exceeds the net total"):
            journal_for(discount, chart=CHART)

    def test_domain_escompte_by_amount(self) -> None:
        """DOMAIN §10 by amount: 54.00 HT → D 665 54.00 / D 44571 10.80 / C 411 64.80."""
        discount = DiscountGranted(
            invoice=invoice_for("2700.00"), date=date(2025, 2, 1), amount=eur("54.00")
        )
        assert [("665000", "54.00", ""), ("445711", "10.80", ""), ("411000", "", "64.80")] == rows(
            journal_for(discount, chart=CHART)
        )

    @pytest.mark.parametrize("percent", ["1.5", "2", "33.3333"])
    def test_books_what_the_terms_compute(self, percent: str) -> None:
        """665 and the VAT booked are `early_payment_discount`'s figures, rate by rate."""
        invoice = invoice_for(
            "100.00",
            lines=[
                Line(description="A", quantity=3, unit_price=eur("33.33"), vat=FR_STANDARD),
                Line(description="B", quantity=1, unit_price=eur("50.01"), vat=FR_REDUCED),
                Line(
                    description="C", quantity=1, unit_price=eur("7.77"), vat=VatRate.standard("10")
                ),
            ],
        )
        computed = early_payment_discount(invoice, EarlyPaymentDiscount(percent=percent, days=8))
        entry = journal_for(
            DiscountGranted(invoice=invoice, date=date(2025, 2, 1), percent=percent), chart=CHART
        )
        booked = {line.account.number: line.amount.amount for line in entry.lines}
        assert sum(b.taxable.amount for b in computed) == booked["665000"]
        for b in computed:
            assert b.amount.amount == booked[CHART.vat_account(b.vat.percent).number]
        gross = sum(b.taxable.amount + b.amount.amount for b in computed)
        assert -gross == booked["411000"]

    def test_other_currency_refused(self) -> None:
        """A discount amount in another currency than the invoice is refused."""
        discount = DiscountGranted(
            invoice=invoice_for("10.00"), date=date(2025, 2, 1), amount=to_money("1.00", "USD")
        )
        with pytest.raises(LedgerError, match="another currency"):
            journal_for(discount, chart=CHART)

    def test_rounding_to_zero_refused(self) -> None:
        """A discount that rounds to nothing has nothing to book."""
        discount = DiscountGranted(invoice=invoice_for("0.20"), date=date(2025, 2, 1), percent="2")
        with pytest.raises(LedgerError, match="rounds to zero"):
            journal_for(discount, chart=CHART)

    def test_zero_invoice_refused(self) -> None:
        """An invoice whose net total is zero has no discount to book."""
        discount = DiscountGranted(invoice=invoice_for("0.00"), date=date(2025, 2, 1), percent="2")
        with pytest.raises(LedgerError, match="net total is not positive"):
            journal_for(discount, chart=CHART)

    def test_percent_or_amount(self) -> None:
        """Exactly one of percent and amount."""
        with pytest.raises(LedgerError, match="percent or an amount"):
            DiscountGranted(invoice=invoice_for("10.00"), date=date(2025, 2, 1))

    def test_draft_refused(self) -> None:
        """A discount on a draft is refused."""
        with pytest.raises(LedgerError, match="draft"):
            DiscountGranted(invoice=sample_invoice(), date=date(2025, 2, 1), percent="2")


class TestJournalize:
    def test_domain_sequence(self) -> None:
        """Invoice, credit note and payment of the balance, booked in date order."""
        invoice = invoice_for("2700.00")
        note = issued_credit_note(invoice, amount=eur("900.00"))
        paid = payment("2160.00")
        allocation = PaymentAllocation(
            payment_id="VIR-1",
            invoice_number=invoice.number,
            amount=eur("2160.00"),
            date=date(2025, 2, 20),
        )
        entries = journalize(
            Activity(documents=[note, invoice], payments=[paid], allocations=[allocation]),
            chart=CHART,
        )
        assert ["FA-2025-0001", "AV-2025-0001", "VIR-1"] == [e.piece for e in entries]
        assert "ACME SARL" == entries[2].lines[1].auxiliary_label

    def test_final_invoice_finds_its_deposit(self) -> None:
        """A final invoice deducts the deposit invoices of the activity it refers to."""
        deposit, final = deposit_and_final()
        entries = journalize(Activity(documents=[deposit, final]), chart=CHART)
        assert ("419100", "3000.00", "") == rows(entries[1])[1]

    def test_rebates(self) -> None:
        """Credit notes listed in `rebates` go to 709x."""
        note = issued_credit_note(invoice_for("2700.00"), amount=eur("900.00"))
        entries = journalize(
            Activity(documents=[invoice_for("2700.00"), note], rebates=[note.number]), chart=CHART
        )
        assert "709600" == entries[1].lines[1].account.number

    def test_penalty_and_discount(self) -> None:
        """Penalties and discounts are booked with the customer's name."""
        invoice = invoice_for("2700.00")
        penalty = LatePaymentPenalty(
            customer="CLI0001", reference="P1", date=date(2025, 3, 1), indemnity=eur("40.00")
        )
        discount = DiscountGranted(invoice=invoice, date=date(2025, 2, 1), percent="2")
        entries = journalize(
            Activity(documents=[invoice], penalties=[penalty], discounts=[discount]), chart=CHART
        )
        assert [("VT", "FA-2025-0001"), ("OD", "FA-2025-0001"), ("VT", "P1")] == [
            (e.journal.code, e.piece) for e in entries
        ]
        assert "ACME SARL" == entries[2].lines[0].auxiliary_label

    def test_activity_required(self) -> None:
        """Something that is not an Activity is refused."""
        with pytest.raises(LedgerError, match="expected an Activity"):
            journalize([], chart=CHART)  # type: ignore[arg-type]

    def test_pending_payment_skipped(self) -> None:
        """A pending payment is not booked."""
        entries = journalize(Activity(payments=[payment("1.00", pending=True)]), chart=CHART)
        assert () == entries

    def test_unknown_reversal(self) -> None:
        """A reversal of a payment not in the activity is refused."""
        with pytest.raises(LedgerError, match="unknown payment"):
            journalize(
                Activity(reversals=[PaymentReversal(payment_id="X", date=date(2025, 1, 1))]),
                chart=CHART,
            )

    def test_duplicate_documents(self) -> None:
        """The same document twice is refused."""
        invoice = invoice_for("1.00")
        with pytest.raises(LedgerError, match="twice"):
            Activity(documents=[invoice, invoice])

    def test_wrong_type(self) -> None:
        """A payment among the documents is refused."""
        with pytest.raises(LedgerError, match=r"documents\[0\]"):
            Activity(documents=[payment("1.00")])

    def test_trusted_lines_refuse_what_the_constructor_refuses(self) -> None:
        """A customer key that is no FEC text (a pipe) is refused by journalize as by
        the checking constructor, although the lines are built on the trusted path."""
        draft = sample_invoice(
            buyer=sample_buyer(id="CLI|7"),
            lines=[Line(description="Mission", quantity=1, unit_price=eur("100"), vat=FR_STANDARD)],
        )
        invoice, _ = issue(draft, FA, SequenceState(), on=date(2025, 1, 15))
        with pytest.raises(LedgerError) as raised:
            journalize(Activity(documents=[invoice]), chart=CHART)
        assert "auxiliary" == raised.value.field

    def test_trusted_lines_equal_checked_lines(self) -> None:
        """Every line and the entry of an invoice equal their checked rebuild."""
        (entry,) = journalize(Activity(documents=[invoice_for("1234.56")]), chart=CHART)
        assert entry == JournalEntry(
            journal=entry.journal,
            date=entry.date,
            piece=entry.piece,
            label=entry.label,
            lines=[JournalLine(**attrs.asdict(line, recurse=False)) for line in entry.lines],
        )


class TestZeroDocuments:
    def test_refused_alone(self) -> None:
        """A zero invoice has nothing to book."""
        with pytest.raises(LedgerError, match="no amount to book"):
            journal_for(invoice_for("0.00"), chart=CHART)

    def test_skipped_by_journalize(self) -> None:
        """journalize leaves zero invoices out."""
        assert () == journalize(Activity(documents=[invoice_for("0.00")]), chart=CHART)


class TestWrongInput:
    @pytest.mark.parametrize(
        "field", ["documents", "payments", "allocations", "reversals", "penalties", "discounts"]
    )
    @pytest.mark.parametrize("bad", [3, "FA-1", 1.5, object()])
    def test_activity_collections(self, field: str, bad: object) -> None:
        """An Activity collection that is not a sequence raises LedgerError naming it."""
        with pytest.raises(LedgerError) as raised:
            Activity(**{field: bad})
        assert field == raised.value.field

    def test_rebates_converted(self) -> None:
        """Rebates are credit note numbers: an iterable becomes a frozenset, ints written out."""
        assert frozenset({"AV-1", "2"}) == Activity(rebates=["AV-1", 2]).rebates

    @pytest.mark.parametrize("bad", ["AV-1", 3, [object()], [1.5]])
    def test_rebates_refused(self, bad: object) -> None:
        """Rebates that are not credit note numbers raise LedgerError."""
        with pytest.raises(LedgerError) as raised:
            Activity(rebates=bad)
        assert "rebates" == raised.value.field

    @pytest.mark.parametrize("bad", [3, "lines", object()])
    def test_entry_lines(self, bad: object) -> None:
        """Journal entry lines that are not a sequence raise LedgerError naming the field."""
        with pytest.raises(LedgerError) as raised:
            JournalEntry(
                journal=CHART.bank_journal, date=date(2025, 1, 1), piece="X", label="X", lines=bad
            )
        assert "lines" == raised.value.field

    def test_optional_sequences_none(self) -> None:
        """None for an optional sequence of journal_for is the empty sequence."""
        paid = payment("100.00")
        assert journal_for(paid, chart=CHART) == journal_for(
            paid, chart=CHART, deposits=None, allocations=None, receivables=None, previous=None
        )

    @pytest.mark.parametrize(
        ("argument", "bad"),
        [
            ("deposits", 3),
            ("rebate", 1),
            ("payment", "VIR-1"),
            ("allocations", object()),
            ("receivables", [object()]),
            ("previous", 1.5),
            ("customer_name", 42),
        ],
    )
    def test_journal_for_arguments(self, argument: str, bad: object) -> None:
        """A wrong argument of journal_for raises LedgerError naming it."""
        with pytest.raises(LedgerError) as raised:
            journal_for(payment("100.00"), chart=CHART, **{argument: bad})
        assert raised.value.field.startswith(argument)
