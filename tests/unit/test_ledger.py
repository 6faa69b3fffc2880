"""Tests for facturlib.accounting.ledger: balances, trial balance and lettering (DOMAIN.md §10)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from facturlib.accounting.accounts import Account, ChartOfAccounts
from facturlib.accounting.journal import Activity, JournalEntry, journalize
from facturlib.accounting.ledger import TrialBalance, account_balance, letter, trial_balance
from facturlib.core.credit_notes import credit_note
from facturlib.core.documents import Invoice
from facturlib.core.errors import LedgerError
from facturlib.core.issuing import issue
from facturlib.core.lines import Line
from facturlib.core.money import Money, to_money
from facturlib.core.numbering import NumberingScheme, SequenceState
from facturlib.core.vat import FR_STANDARD
from facturlib.receivables.payments import Payment, PaymentAllocation, PaymentReversal
from facturlib.testing.builders import sample_buyer, sample_invoice

CHART = ChartOfAccounts()
FA = NumberingScheme(pattern="FA-{yyyy}-{seq:04}")
AV = NumberingScheme(pattern="AV-{yyyy}-{seq:04}")
BUYER = sample_buyer(id="CLI0001", name="ACME SARL")
ON = date(2025, 1, 15)


def eur(amount: str) -> Money:
    return to_money(amount, "EUR")


def issued(net: str) -> Invoice:
    line = Line(description="Mission", quantity=1, unit_price=eur(net), vat=FR_STANDARD)
    draft = sample_invoice(buyer=BUYER, lines=[line], due_date=ON + timedelta(days=30))
    return issue(draft, FA, SequenceState(), on=ON)[0]


def domain_books() -> tuple[Activity, tuple[JournalEntry, ...]]:
    """DOMAIN §10: invoice 3 240, credit note 1 080, payment of the balance 2 160."""
    invoice = issued("2700.00")
    note = issue(credit_note(invoice, amount=eur("900.00")), AV, SequenceState(), on=ON)[0]
    payment = Payment(id="VIR-1", customer="CLI0001", amount=eur("2160.00"), date=date(2025, 2, 20))
    allocation = PaymentAllocation(
        payment_id="VIR-1", invoice_number=invoice.number, amount=eur("2160.00"), date=payment.date
    )
    activity = Activity(documents=[invoice, note], payments=[payment], allocations=[allocation])
    return activity, journalize(activity, chart=CHART)


class TestAccountBalance:
    def test_customer_balance(self) -> None:
        """411 balance after invoice, credit note and payment is zero."""
        _, entries = domain_books()
        assert eur("0.00") == account_balance(entries, "411", auxiliary="CLI0001")

    def test_on_date(self) -> None:
        """Only entries up to `on` count."""
        _, entries = domain_books()
        assert eur("2160.00") == account_balance(entries, "411", on=date(2025, 2, 19))

    def test_account_value(self) -> None:
        """An Account matches exactly."""
        _, entries = domain_books()
        assert eur("-1800.00") == account_balance(
            entries, Account("706000", "Prestations de services")
        )

    def test_empty_needs_currency(self) -> None:
        """An empty ledger needs a currency."""
        with pytest.raises(LedgerError, match="no entries and no currency"):
            account_balance([], "411")
        assert to_money(0, "JPY") == account_balance([], "411", currency="JPY")

    def test_not_an_entry(self) -> None:
        """Something that is not a JournalEntry is refused."""
        with pytest.raises(LedgerError, match="expected a JournalEntry"):
            account_balance(["x"], "411")  # type: ignore[list-item]


class TestTrialBalance:
    def test_rows_and_zero_sum(self) -> None:
        """One row per account, totals equal, balances sum to zero."""
        _, entries = domain_books()
        balance = trial_balance(entries)
        assert ["411000", "445711", "512000", "706000"] == [r.account.number for r in balance.rows]
        assert (eur("6480.00"), eur("6480.00"), eur("0.00")) == (
            balance.total_debit,
            balance.total_credit,
            balance.balance,
        )
        assert eur("360.00") == -balance.row("445711").balance

    def test_zero_columns_show_cents(self) -> None:
        """A column with nothing in it reads 0.00, as a report prints it, not 0."""
        _, entries = domain_books()
        zeros = [
            str(money.amount)
            for row in trial_balance(entries).rows
            for money in (row.debit, row.credit)
            if not money.amount
        ]
        assert zeros
        assert all("0.00" == text for text in zeros)
        assert "0.00" == str(trial_balance([], currency="EUR").total_debit.amount)

    def test_by_auxiliary(self) -> None:
        """By auxiliary account, the customer gets its own row."""
        _, entries = domain_books()
        row = trial_balance(entries, by_auxiliary=True).row("411000", "CLI0001")
        assert ("ACME SARL", eur("3240.00"), eur("3240.00")) == (
            row.auxiliary_label,
            row.debit,
            row.credit,
        )

    def test_empty(self) -> None:
        """An empty ledger with a currency is an empty trial balance."""
        assert TrialBalance(currency=eur("0").currency, rows=()) == trial_balance(
            [], currency="EUR"
        )


class TestLetter:
    def test_domain_lettering(self) -> None:
        """DOMAIN §10: 3 240 / 1 080 / 2 160 get one letter, dated by the payment."""
        activity, entries = domain_books()
        lettered = letter(
            entries, allocations=activity.allocations, credit_notes=activity.documents
        )
        found = [
            (line.lettering, line.lettering_date)
            for entry in lettered
            for line in entry.lines
            if line.auxiliary
        ]
        assert [("A", date(2025, 2, 20))] * 3 == found
        assert {None} == {ln.lettering for e in lettered for ln in e.lines if not ln.auxiliary}

    def test_partial_not_lettered(self) -> None:
        """A group that does not sum to zero stays unlettered."""
        activity, entries = domain_books()
        lettered = letter(entries[:2], credit_notes=activity.documents)
        assert entries[:2] == lettered

    def test_without_links(self) -> None:
        """Without the allocations, the payment is not matched."""
        _, entries = domain_books()
        assert entries == letter(entries)

    def test_keeps_existing_codes(self) -> None:
        """Lettering twice changes nothing; new groups skip codes in use."""
        activity, entries = domain_books()
        once = letter(entries, allocations=activity.allocations, credit_notes=activity.documents)
        assert once == letter(
            once, allocations=activity.allocations, credit_notes=activity.documents
        )

    def test_reject_reopens(self) -> None:
        """A rejected payment leaves the invoice unlettered; a new payment letters all four."""
        invoice = issued("100.00")
        first = Payment(id="P1", customer="CLI0001", amount=eur("120.00"), date=date(2025, 2, 1))
        second = Payment(id="P2", customer="CLI0001", amount=eur("120.00"), date=date(2025, 3, 1))
        allocations = [
            PaymentAllocation(
                payment_id=p.id, invoice_number=invoice.number, amount=p.amount, date=p.date
            )
            for p in (first, second)
        ]
        reject = PaymentReversal(payment_id="P1", date=date(2025, 2, 5))
        partial = journalize(
            Activity(
                documents=[invoice],
                payments=[first],
                allocations=allocations[:1],
                reversals=[reject],
            ),
            chart=CHART,
        )
        assert partial == letter(partial, allocations=allocations[:1])
        full = journalize(
            Activity(
                documents=[invoice],
                payments=[first, second],
                allocations=allocations,
                reversals=[reject],
            ),
            chart=CHART,
        )
        codes = {
            ln.lettering
            for e in letter(full, allocations=allocations)
            for ln in e.lines
            if ln.auxiliary
        }
        assert {"A"} == codes

    def test_code_sequence(self) -> None:
        """Codes run A … Z, AA, AB…"""
        from facturlib.accounting.ledger import _code

        assert ["A", "Z", "AA", "AB", "BA"] == [_code(n) for n in (0, 25, 26, 27, 52)]
