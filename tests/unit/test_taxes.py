"""VAT collected per rate and month, worked by hand and checked against the ledger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from facturlib import (
    Activity,
    ChartOfAccounts,
    Invoice,
    Line,
    Payment,
    PaymentAllocation,
    ReportError,
    credit_note,
    issue,
    journalize,
    to_money,
    trial_balance,
    vat_collected,
)
from facturlib.core.numbering import NumberingScheme, SequenceState
from facturlib.core.vat import FR_INTERMEDIATE, FR_REDUCED, FR_STANDARD
from facturlib.testing.builders import sample_buyer, sample_seller

INVOICES = NumberingScheme(pattern="FA-{seq}", reset="never")
CREDITS = NumberingScheme(pattern="AV-{seq}", reset="never")


def line(net: str, vat: object, description: str = "Service") -> Line:
    return Line(description=description, quantity=1, unit_price=to_money(net, "EUR"), vat=vat)


def draft(*lines: Line) -> Invoice:
    return Invoice(
        seller=sample_seller(),
        buyer=sample_buyer(),
        currency="EUR",
        lines=lines,
        due_date=date(2025, 12, 31),
    )


def on_debits() -> tuple[object, ...]:
    """January: 1 000 at 20 % and 100 at 5.5 %; February: 500 at 20 % credited, 300 at 10 %."""
    fa1, state = issue(
        draft(line("1000.00", FR_STANDARD), line("100.00", FR_REDUCED)),
        INVOICES,
        SequenceState(),
        on=date(2025, 1, 15),
    )
    av1, _ = issue(
        credit_note(fa1, lines={"1": "0.5"}),
        CREDITS,
        SequenceState(),
        on=date(2025, 2, 10),
    )
    fa2, _ = issue(draft(line("300.00", FR_INTERMEDIATE)), INVOICES, state, on=date(2025, 2, 20))
    return journalize(Activity(documents=[fa1, av1, fa2]), chart=ChartOfAccounts())


class TestVatCollected:
    def test_by_hand(self) -> None:
        """Per month and rate: base, collected, regularized by the credit note, net."""
        table = vat_collected(on_debits())
        zero = Decimal(0)
        d = Decimal
        assert [
            (date(2025, 1, 1), d("20"), "445711", d("1000.00"), d("200.00"), zero, d("200.00")),
            (date(2025, 1, 1), d("5.5"), "445713", d("100.00"), d("5.50"), zero, d("5.50")),
            (date(2025, 2, 1), d("20"), "445711", d("-500.00"), zero, d("100.00"), d("-100.00")),
            (date(2025, 2, 1), d("10"), "445712", d("300.00"), d("30.00"), zero, d("30.00")),
        ] == [tuple(r.values()) for r in table.to_records()]

    def test_equals_the_ledger(self) -> None:
        """For every 44571x account, Σ net = − its balance in the trial balance."""
        entries = on_debits()
        table = vat_collected(entries)
        balances = {
            row.account.number: -row.balance.amount
            for row in trial_balance(entries).rows
            if row.account.number.startswith("4457")
        }
        by_account: dict[str, Decimal] = {}
        for record in table.to_records():
            by_account[record["account"]] = (
                by_account.get(record["account"], Decimal(0)) + record["net"]
            )
        assert balances == by_account

    def test_vat_on_receipts_is_due_on_payment(self) -> None:
        """Services 1 000 + 200 invoiced on 10 March, 600 received on 5 April: 100.00 of VAT
        collected in April, none in March (CGI 269-2)."""
        chart = ChartOfAccounts(vat_on_receipts=True)
        invoice, _ = issue(
            draft(line("1000.00", FR_STANDARD)), INVOICES, SequenceState(), on=date(2025, 3, 10)
        )
        payment = Payment(
            id="P1",
            customer=invoice.buyer.key,
            amount=to_money("600.00", "EUR"),
            date=date(2025, 4, 5),
        )
        allocation = PaymentAllocation(
            payment_id="P1",
            invoice_number=invoice.number,
            amount=payment.amount,
            date=date(2025, 4, 5),
        )
        entries = journalize(
            Activity(documents=[invoice], payments=[payment], allocations=[allocation]),
            chart=chart,
        )
        table = vat_collected(entries, chart=chart)
        assert [(date(2025, 4, 1), "445711", Decimal("500.00"), Decimal("100.00"))] == [
            (r["month"], r["account"], r["base"], r["net"]) for r in table.to_records()
        ]

    def test_vat_on_receipts_base_of_each_payment(self) -> None:
        """1 000 + 200 paid 400 then 800: bases 333.33 and 666.67 (cumulative rounding), so
        the months' bases add up exactly to the invoice's 1 000.00."""
        chart = ChartOfAccounts(vat_on_receipts=True)
        invoice, _ = issue(
            draft(line("1000.00", FR_STANDARD)), INVOICES, SequenceState(), on=date(2025, 3, 10)
        )
        payments, allocations = [], []
        for pid, amount, day in (
            ("P1", "400.00", date(2025, 4, 5)),
            ("P2", "800.00", date(2025, 5, 5)),
        ):
            payments.append(
                Payment(
                    id=pid, customer=invoice.buyer.key, amount=to_money(amount, "EUR"), date=day
                )
            )
            allocations.append(
                PaymentAllocation(
                    payment_id=pid,
                    invoice_number=invoice.number,
                    amount=to_money(amount, "EUR"),
                    date=day,
                )
            )
        entries = journalize(
            Activity(documents=[invoice], payments=payments, allocations=allocations), chart=chart
        )
        table = vat_collected(entries, chart=chart)
        assert [
            (date(2025, 4, 1), Decimal("333.33"), Decimal("66.67")),
            (date(2025, 5, 1), Decimal("666.67"), Decimal("133.33")),
        ] == [(r["month"], r["base"], r["net"]) for r in table.to_records()]

    def test_base_of_a_final_invoice_after_a_deposit(self) -> None:
        """A 30 % deposit (300 + 60) in January, the 1 000 + 200 final invoice in March: the
        March base is the 700.00 not yet taxed, and the year's base is 1 000.00."""
        from facturlib import Order, deposit_invoice, final_invoice

        order_draft = Order(
            seller=sample_seller(),
            buyer=sample_buyer(),
            currency="EUR",
            lines=[line("1000.00", FR_STANDARD)],
        )
        deposit, state = issue(
            deposit_invoice(order_draft, percent="30", due_date=date(2025, 1, 10)),
            INVOICES,
            SequenceState(),
            on=date(2025, 1, 10),
        )
        final, _ = issue(
            final_invoice(order_draft, [deposit], due_date=date(2025, 4, 10)),
            INVOICES,
            state,
            on=date(2025, 3, 10),
        )
        entries = journalize(Activity(documents=[deposit, final]), chart=ChartOfAccounts())
        table = vat_collected(entries)
        assert [
            (date(2025, 1, 1), Decimal("300.00"), Decimal("60.00")),
            (date(2025, 3, 1), Decimal("700.00"), Decimal("140.00")),
        ] == [(r["month"], r["base"], r["net"]) for r in table.to_records()]

    def test_window(self) -> None:
        """start and end select the entries by date."""
        table = vat_collected(on_debits(), start=date(2025, 2, 1), end=date(2025, 3, 1))
        assert {date(2025, 2, 1)} == set(table.column("month"))

    def test_not_entries(self) -> None:
        """Documents are not journal entries: journalize them first."""
        with pytest.raises(ReportError, match="JournalEntry"):
            vat_collected([draft(line("1.00", FR_STANDARD))])
