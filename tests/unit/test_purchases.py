"""Purchase booking: received invoices and credit notes (HA), supplier payments, lettering,
and a year of sales and purchases through the trial balance and the FEC."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moneyed import Money

from facturlib.accounting.accounts import Account, ChartOfAccounts
from facturlib.accounting.fec import check_fec, export_fec
from facturlib.accounting.journal import Activity, journalize
from facturlib.accounting.ledger import account_balance, letter, trial_balance
from facturlib.accounting.purchases import (
    PurchaseChart,
    SupplierPayment,
    book_purchase,
    book_supplier_payment,
)
from facturlib.core.credit_notes import credit_note
from facturlib.core.documents import Invoice
from facturlib.core.errors import LedgerError
from facturlib.core.issuing import issue
from facturlib.core.money import to_money
from facturlib.core.numbering import NumberingScheme, SequenceState
from facturlib.core.parties import Address, Party
from facturlib.core.vat import FR_REDUCED, VatRate
from facturlib.einvoice.cii import to_cii
from facturlib.einvoice.reading import read_einvoice
from facturlib.receivables.payments import Payment, PaymentAllocation, settle
from facturlib.testing import strategies
from facturlib.testing.builders import sample_invoice, sample_line, sample_scheme

SUPPLIER = "732829320"  # the sample seller's SIREN: its key


def eur(value: str) -> Money:
    return to_money(value, "EUR")


def issued(**fields: object) -> Invoice:
    invoice, _ = issue(
        sample_invoice(**fields), sample_scheme(), SequenceState(), on=date(2025, 1, 15)
    )
    return invoice


def amounts(entry) -> list[tuple[str, Decimal]]:
    return [(line.account.number, line.amount.amount) for line in entry.lines]


class TestBookPurchase:
    def test_invoice(self) -> None:
        """C 401 gross with the supplier's auxiliary account, D 606 net, D 44566 VAT."""
        entry = book_purchase(issued())
        assert ("HA", "FA-2025-0001") == (entry.journal.code, entry.piece)
        assert [
            ("401000", Decimal("-1440.00")),
            ("606000", Decimal("1200.00")),
            ("445660", Decimal("240.00")),
        ] == amounts(entry)
        assert SUPPLIER == entry.lines[0].auxiliary

    def test_credit_note_reverses(self) -> None:
        """A credit note received is the reverse entry."""
        invoice = issued()
        note, _ = issue(
            credit_note(invoice, reason="Retour"),
            NumberingScheme(pattern="AV-{yyyy}-{seq:04}"),
            SequenceState(),
            on=date(2025, 1, 20),
        )
        assert [(a, -v) for a, v in amounts(book_purchase(invoice))] == amounts(book_purchase(note))

    def test_mapping_order(self) -> None:
        """Product mapping wins over supplier, supplier over VAT rate, rate over default."""
        chart = PurchaseChart(
            by_product={"BK": Account("607000", "Achats de marchandises")},
            by_supplier={SUPPLIER: Account("604000", "Prestations")},
            by_vat_rate={"5.5": Account("601000", "Matières")},
        )
        invoice = issued(
            lines=(
                sample_line(product_id="BK"),
                sample_line(description="Conseil"),
            )
        )
        numbers = [n for n, _ in amounts(book_purchase(invoice, chart=chart))]
        assert ["401000", "607000", "604000", "445660"] == numbers
        by_rate = PurchaseChart(by_vat_rate={"5.5": Account("601000", "Matières")})
        books = issued(lines=(sample_line(vat=FR_REDUCED),))
        assert "601000" in [n for n, _ in amounts(book_purchase(books, chart=by_rate))]

    def test_fixed_assets(self) -> None:
        """VAT on a line booked on a class-2 account goes to 44562, the rest to 44566."""
        chart = PurchaseChart(by_product={"PC": Account("218300", "Matériel informatique")})
        invoice = issued(
            lines=(
                sample_line(product_id="PC", quantity="1", unit_price=eur("1000.00")),
                sample_line(quantity="1", unit_price=eur("500.00")),
            )
        )
        result = dict(amounts(book_purchase(invoice, chart=chart)))
        assert Decimal("200.00") == result["445620"]
        assert Decimal("100.00") == result["445660"]

    def test_reverse_charge_self_assessed(self) -> None:
        """Reverse charge: D 44566 and C 4452 at the French rate, no VAT owed to the supplier."""
        german = Party(
            name="Lieferant GmbH",
            address=Address(city="Berlin", country_code="DE"),
            vat_id="DE136695976",
        )
        invoice = issued(seller=german, lines=(sample_line(vat=VatRate.reverse_charge()),))
        result = dict(amounts(book_purchase(invoice)))
        assert Decimal("-1200.00") == result["401000"]
        assert Decimal("240.00") == result["445660"]
        assert Decimal("-240.00") == result["445200"]

    def test_intra_eu_acquisition(self) -> None:
        """An intra-EU supply (K) is self-assessed like reverse charge."""
        invoice = issued(lines=(sample_line(vat=VatRate.intra_eu_goods()),))
        result = dict(amounts(book_purchase(invoice)))
        assert Decimal("-240.00") == result["445200"]

    def test_allowances_and_charges(self) -> None:
        """Document charges on 6241, allowances obtained on 609."""
        from facturlib.core.lines import DocumentAllowance, DocumentCharge
        from facturlib.core.vat import FR_STANDARD

        invoice = issued(
            allowances=(DocumentAllowance(amount=eur("100.00"), vat=FR_STANDARD, reason="Remise"),),
            charges=(DocumentCharge(amount=eur("10.00"), vat=FR_STANDARD, reason="Port"),),
        )
        result = dict(amounts(book_purchase(invoice)))
        assert (Decimal("-100.00"), Decimal("10.00")) == (result["609000"], result["624100"])

    def test_draft_refused(self) -> None:
        """A draft has no accounting effect."""
        with pytest.raises(LedgerError, match="draft"):
            book_purchase(sample_invoice())

    def test_received_e_invoice(self) -> None:
        """An e-invoice read back books like the invoice written."""
        invoice = issued()
        received = read_einvoice(to_cii(invoice)).document
        assert isinstance(received, Invoice)
        assert amounts(book_purchase(invoice)) == amounts(book_purchase(received))


class TestSupplierPayment:
    def test_payment_and_lettering(self) -> None:
        """D 401 / C 512; the invoice and its payment are lettered together."""
        invoice = issued()
        payment = SupplierPayment(
            id="VIR-1",
            supplier=SUPPLIER,
            supplier_name=invoice.seller.name,
            amount=eur("1440.00"),
            date=date(2025, 2, 10),
        )
        entries = [book_purchase(invoice), book_supplier_payment(payment)]
        assert [("401000", Decimal("1440.00")), ("512000", Decimal("-1440.00"))] == amounts(
            entries[1]
        )
        allocation = PaymentAllocation(
            payment_id="VIR-1",
            invoice_number=invoice.number,
            amount=eur("1440.00"),
            date=date(2025, 2, 10),
        )
        lettered = letter(entries, allocations=[allocation])
        codes = {
            line.lettering for e in lettered for line in e.lines if line.account.number == "401000"
        }
        assert {"A"} == codes
        assert Money("0.00", "EUR") == account_balance(lettered, "401")

    def test_negative_refused(self) -> None:
        """A payment is positive."""
        with pytest.raises(LedgerError):
            SupplierPayment(
                id="V", supplier="S", supplier_name="S", amount=eur("-1.00"), date=date(2025, 1, 1)
            )


class TestPurchaseLaws:
    @settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(draft=strategies.invoices(), credit=st.booleans())
    def test_entries_balance(self, draft: Invoice, credit: bool) -> None:
        """Every purchase entry balances (the JournalEntry constructor refuses otherwise)."""
        try:
            invoice, _ = issue(
                draft,
                NumberingScheme(pattern="F-{yyyy}-{seq:04}"),
                SequenceState(),
                on=date(2026, 9, 15),
            )
        except Exception:
            return
        if invoice.totals().tax_inclusive_total.amount == 0:
            with pytest.raises(LedgerError, match="nothing to book"):
                book_purchase(invoice)
            return
        entry = book_purchase(invoice)
        debit = sum((line.debit.amount for line in entry.lines if line.debit), Decimal(0))
        credit_total = sum((line.credit.amount for line in entry.lines if line.credit), Decimal(0))
        assert debit == credit_total
        owed = sum(
            (line.amount.amount for line in entry.lines if line.account.number == "401000"),
            Decimal(0),
        )
        assert invoice.totals().amount_due.amount == -owed


class TestYear:
    def test_sales_and_purchases_trial_balance_and_fec(self) -> None:
        """A year of sales and purchases: trial balance at zero and an FEC check_fec accepts."""
        scheme = NumberingScheme(pattern="FA-{yyyy}-{seq:04}")
        state = SequenceState()
        sales = []
        for month in range(1, 13):
            invoice, state = issue(
                sample_invoice(due_date=date(2025, month, 28)),
                scheme,
                state,
                on=date(2025, month, 2),
            )
            sales.append(invoice)
        customer = sales[0].buyer.key
        payments = [
            Payment(id=f"P{n}", customer=customer, amount=eur("1440.00"), date=date(2025, n, 20))
            for n in range(1, 12)
        ]
        settlement = settle(sales, payments, on=date(2025, 12, 31))
        sales_entries = journalize(
            Activity(documents=sales, payments=payments, allocations=settlement.allocations),
            chart=ChartOfAccounts(),
        )
        supplier = Party(
            name="Fournitures Durand SARL",
            address=Address(city="Lille", country_code="FR"),
            siren="552081317",
            vat_id="FR03552081317",
        )
        pscheme = NumberingScheme(pattern="D-{yyyy}-{seq:03}")
        pstate = SequenceState()
        purchase_entries = []
        allocations = []
        for month in range(1, 13):
            draft = sample_invoice(
                seller=supplier,
                lines=(sample_line(quantity="2", unit_price=eur("150.00")),),
                due_date=date(2025, month, 25),
            )
            bought, pstate = issue(draft, pscheme, pstate, on=date(2025, month, 5))
            purchase_entries.append(book_purchase(bought))
            if month < 12:
                paid = bought.totals().amount_due
                purchase_entries.append(
                    book_supplier_payment(
                        SupplierPayment(
                            id=f"VIR-{month}",
                            supplier=supplier.key,
                            supplier_name=supplier.name,
                            amount=paid,
                            date=date(2025, month, 25),
                        )
                    )
                )
                allocations.append(
                    PaymentAllocation(
                        payment_id=f"VIR-{month}",
                        invoice_number=bought.number,
                        amount=paid,
                        date=date(2025, month, 25),
                    )
                )
        entries = letter(
            [*sales_entries, *purchase_entries], allocations=[*settlement.allocations, *allocations]
        )
        balance = trial_balance(entries)
        assert Money("0.00", "EUR") == balance.balance
        assert Money("-360.00", "EUR") == account_balance(entries, "401")
        fec = export_fec(entries, siren="732829320", closing=date(2025, 12, 31))
        assert () == check_fec(fec.content, filename=fec.filename, closing=date(2025, 12, 31))
        assert b"|HA|" in fec.content.replace(b"\r\n", b"|\r\n|") or b"HA|Achats" in fec.content
