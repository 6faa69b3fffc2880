"""Laws of the sales journal (DOMAIN.md §10–11), over generated activities.

These are the properties users run in their own suites with the shipped strategies
(`facturlib.testing.strategies.activities`, `charts_of_accounts`, `journal_entries`).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from moneyed import Money

from facturlib.accounting.accounts import ChartOfAccounts
from facturlib.accounting.fec import (
    as_in_fec,
    check_fec,
    export_csv,
    export_fec,
    parse_csv,
    parse_fec,
)
from facturlib.accounting.journal import (
    DiscountGranted,
    JournalEntry,
    JournalLine,
    LatePaymentPenalty,
    journal_for,
    journalize,
)
from facturlib.accounting.ledger import account_balance, letter, trial_balance
from facturlib.core._codes import DocumentKind
from facturlib.core.errors import BillingPlanError, LedgerError
from facturlib.projects.deposits import deposit_deductions
from facturlib.receivables.payments import customer_balances, settle
from facturlib.receivables.penalties import PenaltyPolicy, late_interest
from facturlib.receivables.terms import EarlyPaymentDiscount, early_payment_discount
from facturlib.testing.strategies import (
    activities,
    charts_of_accounts,
    issued_invoices,
    journal_entries,
    money_amounts,
)

SIREN = "732829320"
#: Activities are costly to build: a quarter of the profile's examples (25 by default,
#: 250 with HYPOTHESIS_PROFILE=deep).
FEW = settings(max_examples=max(25, settings().max_examples // 4))
_ZERO = Decimal(0)


def books():
    """An activity and a chart keeping the books in the activity's currency (the
    foreign-currency laws are in test_exchange_laws.py)."""
    return st.tuples(activities(), charts_of_accounts()).map(
        lambda case: (case[0], attrs.evolve(case[1], currency=case[0].documents[0].currency))
    )


def outstanding(activity) -> dict[str, Decimal]:
    """Per customer: invoices − credit notes − allocations of payments not reversed."""
    result: dict[str, Decimal] = {}
    for doc in activity.documents:
        sign = -1 if doc.kind is DocumentKind.CREDIT_NOTE else 1
        key = doc.buyer.key
        result[key] = result.get(key, _ZERO) + sign * doc.totals().amount_due.amount
    reversed_ids = {r.payment_id for r in activity.reversals}
    customers = {p.id: p.customer for p in activity.payments}
    for allocation in activity.allocations:
        if allocation.payment_id not in reversed_ids:
            key = customers[allocation.payment_id]
            result[key] = result.get(key, _ZERO) - allocation.amount.amount
    return result


@FEW
@given(books())
def test_every_entry_balances(case) -> None:
    """Every journal entry balances: Σ debits = Σ credits."""
    activity, chart = case
    for entry in journalize(activity, chart=chart):
        debit = sum(ln.debit.amount for ln in entry.lines if ln.debit)
        credit = sum(ln.credit.amount for ln in entry.lines if ln.credit)
        assert debit == credit


@FEW
@given(books())
def test_trial_balance_sums_to_zero(case) -> None:
    """The trial balance of any activity sums to zero, by account and by auxiliary."""
    activity, chart = case
    entries = journalize(activity, chart=chart)
    cur = activity.documents[0].currency
    for by_auxiliary in (False, True):
        balance = trial_balance(entries, by_auxiliary=by_auxiliary, currency=cur)
        assert _ZERO == balance.balance.amount
        assert balance.total_debit == balance.total_credit


@FEW
@given(books())
def test_customer_balance_is_outstanding(case) -> None:
    """A customer's 411 balance is what it owes: invoices − credit notes − allocations."""
    activity, chart = case
    entries = journalize(activity, chart=chart)
    cur = activity.documents[0].currency
    for key, owed in outstanding(activity).items():
        aux = chart.auxiliary_account(key)
        assert owed == account_balance(entries, "411", auxiliary=aux, currency=cur).amount


@FEW
@given(books())
def test_vat_collected_is_the_invoices_vat(case) -> None:
    """VAT booked (collected + on receipts) = Σ VAT breakdown of invoices − credit notes,
    deposits deducted by their final invoice counted once."""
    activity, chart = case
    entries = journalize(activity, chart=chart)
    cur = activity.documents[0].currency
    deducted = {
        ref.number
        for doc in activity.documents
        if doc.kind is DocumentKind.INVOICE
        for ref in doc.preceding
    }
    expected = _ZERO
    for doc in activity.documents:
        vat = sum((b.amount.amount for b in doc.totals().vat_breakdown), _ZERO)
        if doc.kind is DocumentKind.CREDIT_NOTE:
            expected -= vat
        elif not (doc.kind is DocumentKind.DEPOSIT and doc.number in deducted):
            expected += vat
    booked = -account_balance(entries, "4457", currency=cur).amount
    assert expected == booked


@FEW
@given(books())
def test_vat_bases_are_the_invoices_bases(case) -> None:
    """The bases on the VAT lines (collected + on receipts) = Σ taxable amounts (BT-116) of
    invoices − credit notes at the rates that carry VAT, deposits deducted counted once:
    what the VAT return declares next to the VAT is the documents' own base (but for a
    base whose VAT rounds to zero, which has no VAT line to carry it)."""
    activity, chart = case
    entries = journalize(activity, chart=chart)
    deducted = {
        ref.number
        for doc in activity.documents
        if doc.kind is DocumentKind.INVOICE
        for ref in doc.preceding
    }
    by_number = {doc.number: doc for doc in activity.documents}
    expected: dict[Decimal, Decimal] = {}
    for doc in activity.documents:
        if doc.kind is DocumentKind.DEPOSIT and doc.number in deducted:
            continue  # counted with the final invoice that deducts it
        sign = -1 if doc.kind is DocumentKind.CREDIT_NOTE else 1
        # (net, VAT) per rate of the deposits this invoice deducts.
        ded: dict[Any, tuple[Decimal, Decimal]] = {}
        if doc.kind is DocumentKind.INVOICE:
            for ref in doc.preceding:
                for vat, taxable, tax in by_number[ref.number].totals().vat_groups:
                    net0, tax0 = ded.get(vat, (_ZERO, _ZERO))
                    ded[vat] = (net0 + taxable, tax0 + tax)
        for vat, taxable, tax in doc.totals().vat_groups:
            dn, dt = ded.pop(vat, (_ZERO, _ZERO))
            if vat.percent:
                # A VAT line carries its base: the deposit's if its VAT was not zero, the
                # rest on the final invoice if the VAT still due there is not zero.
                part = (taxable - dn if tax - dt else _ZERO) + (dn if dt else _ZERO)
                expected[vat.percent] = expected.get(vat.percent, _ZERO) + sign * part
    # Booked per account, on receipts (44574x) counted with its collected account (44571x).
    pending = set(chart.pending_accounts)
    booked: dict[str, Decimal] = {}
    for entry in entries:
        for line in entry.lines:
            if line.vat_base is not None:
                base = line.vat_base.amount if line.credit is not None else -line.vat_base.amount
                account = line.account
                if account in pending:
                    account = chart.collected_for_pending(account)
                booked[account.number] = booked.get(account.number, _ZERO) + base
    by_account: dict[str, Decimal] = {}
    for percent, base in expected.items():
        number = chart.vat_account(percent).number
        by_account[number] = by_account.get(number, _ZERO) + base
    assert {n: b for n, b in by_account.items() if b} == {n: b for n, b in booked.items() if b}


@FEW
@given(books())
def test_fec_round_trip(case) -> None:
    """FEC export → parse gives the entries back (as the FEC keeps them); the checker is silent."""
    activity, chart = case
    entries = letter(
        journalize(activity, chart=chart),
        allocations=activity.allocations,
        credit_notes=activity.documents,
    )
    closing = max((e.date for e in entries), default=date(2030, 12, 31))
    fec = export_fec(entries, siren=SIREN, closing=closing, currency=activity.documents[0].currency)
    assert () == check_fec(fec.content, filename=fec.filename, closing=closing)
    assert as_in_fec(entries) == parse_fec(fec.content, currency=activity.documents[0].currency)


@FEW
@given(
    st.lists(journal_entries(currency_codes=st.just("EUR")), max_size=5),
    st.sampled_from(["|", "\t"]),
)
def test_fec_round_trip_manual_entries(entries, separator) -> None:
    """Any balanced manual entries survive export → parse, with either separator."""
    closing = max((e.date for e in entries), default=date(2030, 12, 31))
    fec = export_fec(entries, siren=SIREN, closing=closing, separator=separator)
    assert () == check_fec(fec.content, filename=fec.filename, closing=closing)
    assert as_in_fec(entries) == parse_fec(fec.content)


@FEW
@given(st.lists(journal_entries(), max_size=5))
def test_csv_round_trip(entries) -> None:
    """export_csv → parse_csv is the identity (entries sorted by validation date)."""
    ordered = tuple(sorted(entries, key=lambda e: e.validation_date or e.date))
    assert ordered == parse_csv(export_csv(entries))


@FEW
@given(books())
def test_lettering_groups_sum_to_zero(case) -> None:
    """Every lettering code marks customer lines that sum to zero."""
    activity, chart = case
    entries = letter(
        journalize(activity, chart=chart),
        allocations=activity.allocations,
        credit_notes=activity.documents,
    )
    groups: dict[str, Decimal] = {}
    for entry in entries:
        for line in entry.lines:
            if line.lettering:
                groups[line.lettering] = groups.get(line.lettering, _ZERO) + line.amount.amount
    assert all(total == 0 for total in groups.values())


@FEW
@given(books())
def test_fully_paid_customer_is_lettered(case) -> None:
    """A customer whose balance is zero and who has no reject, deposit, credit note or
    cash rounding has every 411 line lettered."""
    activity, chart = case
    if activity.reversals or any(
        doc.kind is not DocumentKind.INVOICE or doc.totals().bt114 for doc in activity.documents
    ):
        return
    entries = letter(journalize(activity, chart=chart), allocations=activity.allocations)
    for key, owed in outstanding(activity).items():
        if owed:
            continue
        aux = chart.auxiliary_account(key)
        lines = [ln for e in entries for ln in e.lines if ln.auxiliary == aux]
        assert all(ln.lettering for ln in lines)


@FEW
@given(st.from_type(JournalEntry))
def test_registered_with_from_type(entry) -> None:
    """`st.from_type(JournalEntry)` draws balanced entries (the hypothesis entry point)."""
    assert entry.total.amount == sum(ln.credit.amount for ln in entry.lines if ln.credit)


@FEW
@given(books())
def test_customer_balance_agrees_with_the_payments_module(case) -> None:
    """The journal and `facturlib.receivables.payments` agree: a customer's 411 balance is what
    `settle()` says it owes (due + pending − unallocated credit), on the last day."""
    activity, chart = case
    entries = journalize(activity, chart=chart)
    cur = activity.documents[0].currency
    days = [d.issue_date for d in activity.documents if d.issue_date is not None]
    days += [p.date for p in activity.payments] + [r.date for r in activity.reversals]
    settlement = settle(
        activity.documents,
        [p for p in activity.payments if not p.pending],
        on=max(days),
        allocations=activity.allocations,
        reversals=activity.reversals,
    )
    for row in customer_balances(settlement):
        aux = chart.auxiliary_account(row.customer)
        booked = account_balance(entries, "411", auxiliary=aux, currency=cur)
        assert (row.due + row.pending - row.credit).amount == booked.amount


def balances(entry: JournalEntry) -> bool:
    debit = sum(ln.debit.amount for ln in entry.lines if ln.debit)
    credit = sum(ln.credit.amount for ln in entry.lines if ln.credit)
    return debit == credit


def booked(entry: JournalEntry, prefix: str) -> Decimal:
    """Σ signed amounts (debit positive) of the entry's lines on accounts *prefix*…"""
    return sum(
        (ln.amount.amount for ln in entry.lines if ln.account.number.startswith(prefix)), _ZERO
    )


@FEW
@given(books())
def test_deposits_deducted_as_the_final_invoice_prints(case) -> None:
    """A final invoice's entry debits 4191 and reverses the VAT that `deposit_deductions`
    prints on it (one computation), wherever that function accepts the deposits."""
    activity, chart = case
    entries = {e.piece: e for e in journalize(activity, chart=chart)}
    by_number = {d.number: d for d in activity.documents}
    for doc in activity.documents:
        deposits = [
            by_number[ref.number]
            for ref in doc.preceding
            if doc.kind is DocumentKind.INVOICE
            and ref.number in by_number
            and by_number[ref.number].kind is DocumentKind.DEPOSIT
        ]
        if not deposits or doc.number not in entries:
            continue
        try:
            printed = deposit_deductions(doc, deposits)
        except BillingPlanError:  # a rounding puts a deposit's VAT above the invoice's
            event("deposit_deductions refuses, the journal books")
            continue
        event("deposits deducted")
        entry = entries[doc.number]
        assert sum((d.taxable.amount for d in printed), _ZERO) == booked(entry, "4191")
        vat = sum((b.amount.amount for b in doc.totals().vat_breakdown), _ZERO)
        assert vat - sum((d.amount.amount for d in printed), _ZERO) == -booked(entry, "4457")


@FEW
@given(
    issued_invoices(),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99.99"), places=2),
    charts_of_accounts(),
    st.booleans(),
)
def test_escompte_books_what_the_terms_compute(invoice, percent, chart, by_amount) -> None:
    """An escompte, by percent or by the same amount, balances and books on 665 and 4457x
    exactly `early_payment_discount`'s figures; one that rounds to nothing is refused."""
    chart = attrs.evolve(chart, currency=invoice.currency)  # books in the invoice's currency
    computed = early_payment_discount(invoice, EarlyPaymentDiscount(percent=percent, days=10))
    net = sum((b.taxable.amount for b in computed), _ZERO)
    vat = sum((b.amount.amount for b in computed), _ZERO)
    share = {"amount": Money(net, invoice.currency)} if by_amount else {"percent": percent}
    event("nothing to discount" if net <= 0 else "escompte booked")
    if net <= 0:
        if not by_amount:  # an amount must be positive to make a DiscountGranted at all
            discount = DiscountGranted(invoice=invoice, date=date(2030, 1, 1), **share)
            with pytest.raises(LedgerError, match="no discount to book"):
                journal_for(discount, chart=chart)
        return
    discount = DiscountGranted(invoice=invoice, date=date(2030, 1, 1), **share)
    entry = journal_for(discount, chart=chart)
    assert balances(entry)
    assert net == booked(entry, "665")
    assert vat == booked(entry, "4457")
    assert -(net + vat) == booked(entry, "411")


@FEW
@given(
    money_amounts(min_value="0", max_value="100000"),
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(min_value=0, max_value=400),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("30"), places=2),
    st.booleans(),
)
def test_penalty_books_the_computed_penalty(amount, due, days, rate, indemnity) -> None:
    """`LatePaymentPenalty.from_penalty` books the computed interest and indemnity on 411
    / 7631 / 7581 in a balanced entry, or refuses a penalty with nothing to book."""
    fixed = Money(Decimal(40), amount.currency) if indemnity else None
    late = late_interest(
        amount, due, due + timedelta(days=days), PenaltyPolicy(rate=rate, indemnity=fixed)
    )
    owed = late.interest.amount + (late.indemnity.amount if late.indemnity else _ZERO)
    event("nothing to book" if owed == 0 else "penalty booked")
    if owed == 0:
        with pytest.raises(LedgerError, match="nothing to book"):
            LatePaymentPenalty.from_penalty(late, customer="CLI0001", reference="FA-1")
        return
    penalty = LatePaymentPenalty.from_penalty(late, customer="CLI0001", reference="FA-1")
    entry = journal_for(penalty, chart=ChartOfAccounts(currency=amount.currency))
    assert balances(entry)
    assert owed == booked(entry, "411")
    assert -late.interest.amount == booked(entry, "7631")
    assert penalty.date == late.until


@FEW
@given(books())
def test_trusted_lines_equal_checked_lines(case) -> None:
    """Every line `journalize` builds with the trusted constructor (issue 21) equals the
    checking constructor's line of the same fields, and every entry the checked entry of
    those lines: the trusted path stores exactly what the checks would."""
    activity, chart = case
    for entry in journalize(activity, chart=chart):
        fields = [
            {f.name: getattr(line, f.name) for f in attrs.fields(JournalLine)}
            for line in entry.lines
        ]
        checked_lines = [JournalLine(**f) for f in fields]
        assert list(entry.lines) == checked_lines
        assert [type(a.debit) for a in entry.lines] == [type(b.debit) for b in checked_lines]
        assert [type(a.vat_base) for a in entry.lines] == [type(b.vat_base) for b in checked_lines]
        checked = JournalEntry(
            **{f.name: getattr(entry, f.name) for f in attrs.fields(JournalEntry)}
        )
        assert checked == entry
