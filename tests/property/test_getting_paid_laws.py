"""Laws of getting paid (issue 17): refunds, write-offs, dunning, credit notes, installments."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.property.test_credit_note_laws import (
    _issued,
    _per_rate,
    _request,
    closable_invoices,
)

from facturlib.accounting.fec import check_fec, export_fec
from facturlib.accounting.journal import journalize
from facturlib.accounting.ledger import account_balance, trial_balance
from facturlib.core._codes import DocumentKind
from facturlib.core.credit_notes import credit_note
from facturlib.core.errors import CreditNoteError
from facturlib.receivables.dunning import DunningPolicy, dunning_run
from facturlib.receivables.payments import customer_balances, settle
from facturlib.receivables.terms import due_schedule, installment_vat
from facturlib.testing.strategies import (
    activities,
    charts_of_accounts,
    invoices,
    payment_terms,
)

FEW = settings(max_examples=30, deadline=None)
_ZERO_DAY = date(2030, 12, 31)
_ZERO = Decimal(0)


def _books():
    return st.tuples(activities(refunds=True, write_offs=True), charts_of_accounts()).map(
        lambda case: (case[0], attrs.evolve(case[1], currency=case[0].documents[0].currency))
    )


def _last_day(activity):
    days = [d.issue_date for d in activity.documents if d.issue_date is not None]
    days += [p.date for p in activity.payments] + [r.date for r in activity.reversals]
    days += [r.date for r in activity.refunds] + [w.date for w in activity.write_offs]
    return max(days)


def _settle(activity, on=None):
    return settle(
        activity.documents,
        activity.payments,
        on=on or _last_day(activity),
        allocations=activity.allocations,
        reversals=activity.reversals,
        refunds=activity.refunds,
        write_offs=activity.write_offs,
    )


class TestRefundAndWriteOffLaws:
    @FEW
    @given(_books())
    def test_allocations_never_exceed_the_payment_nor_the_invoice(self, case):
        """Σ allocations + Σ refunds ≤ payment; Σ allocations (write-offs too) ≤ invoice."""
        activity, _ = case
        settlement = _settle(activity)
        for payment in activity.payments:
            out = sum(
                (a.amount.amount for a in settlement.allocations if a.payment_id == payment.id),
                _ZERO,
            )
            out += sum(
                (r.amount.amount for r in settlement.refunds if r.source_id == payment.id), _ZERO
            )
            assert out <= payment.amount.amount
        for invoice in settlement.invoices:
            taken = sum((a.amount.amount for a in settlement.allocations_to(invoice.number)), _ZERO)
            assert taken <= max(invoice.totals().amount_due.amount, _ZERO)

    @FEW
    @given(_books(), st.integers(min_value=0, max_value=120))
    def test_a_written_off_invoice_is_never_dunned(self, case, later):
        """No dunning action ever names an invoice with a write-off in effect."""
        activity, _ = case
        if not activity.write_offs:
            return
        day = max(w.date for w in activity.write_offs) + timedelta(days=later)
        written = {w.invoice_number for w in activity.write_offs}
        actions = dunning_run(
            activity.documents,
            activity.payments,
            DunningPolicy.french_default(),
            day,
            allocations=activity.allocations,
            reversals=activity.reversals,
            refunds=activity.refunds,
            write_offs=activity.write_offs,
        )
        assert set() == {a.invoice_number for a in actions} & written

    @FEW
    @given(_books())
    def test_every_entry_balances_and_the_trial_balance_is_zero(self, case):
        """PCG: with refunds and write-offs, every entry balances and so do the books."""
        activity, chart = case
        entries = journalize(activity, chart=chart)
        for entry in entries:
            assert _ZERO == sum((ln.amount.amount for ln in entry.lines), _ZERO)
        cur = activity.documents[0].currency
        for by_auxiliary in (False, True):
            assert (
                _ZERO
                == trial_balance(entries, by_auxiliary=by_auxiliary, currency=cur).balance.amount
            )

    @FEW
    @given(_books())
    def test_the_411_balance_is_what_settle_says(self, case):
        """A customer's 411 balance = due + pending − credit, refunds and write-offs included."""
        activity, chart = case
        entries = journalize(activity, chart=chart)
        cur = activity.documents[0].currency
        settlement = _settle(activity)
        for row in customer_balances(settlement):
            aux = chart.auxiliary_account(row.customer)
            booked = account_balance(entries, "411", auxiliary=aux, currency=cur)
            assert (row.due + row.pending - row.credit).amount == booked.amount

    @FEW
    @given(_books())
    def test_the_fec_of_refunds_and_write_offs_is_clean(self, case):
        """LPF A47 A-1: the FEC of books with refunds and write-offs passes the checker."""
        activity, chart = case
        entries = journalize(activity, chart=chart)
        cur = activity.documents[0].currency
        closing = max((e.date for e in entries), default=_ZERO_DAY)
        fec = export_fec(entries, siren="732829320", closing=closing, currency=cur)
        assert () == check_fec(fec.content, filename=fec.filename, closing=closing)


class TestPerDocumentCreditNoteLaws:
    @settings(max_examples=60, deadline=None)
    @given(draft=closable_invoices, data=st.data())
    def test_every_note_is_exact_except_the_closing_one(self, draft, data):
        """Partial notes carry their own rounded VAT (no stated VAT, no "Arrondi"): BR-CO-17."""
        invoice = _issued(draft)
        notes = []
        for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
            try:
                notes.append(credit_note(invoice, previous=notes, **_request(data, invoice)))
            except CreditNoteError:
                continue
        original = _per_rate([invoice])
        credited = _per_rate(notes)
        closed = {vat for vat, pair in original.items() if credited.get(vat) == pair}
        for note in notes:
            if any(b.vat in closed for b in note.totals().vat_breakdown):
                continue  # a note closing a rate may state its VAT
            assert () == note.stated_vat
            assert all(a.reason != "Arrondi" for a in (*note.allowances, *note.charges))

    @settings(max_examples=60, deadline=None)
    @given(draft=closable_invoices, data=st.data())
    def test_credits_never_exceed_the_invoice(self, draft, data):
        """Σ credit notes ≤ invoice, per VAT rate, taxable and VAT (sign-aware)."""
        invoice = _issued(draft)
        notes = []
        for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
            try:
                notes.append(credit_note(invoice, previous=notes, **_request(data, invoice)))
            except CreditNoteError:
                continue
        original = _per_rate([invoice])
        for vat, (t, v) in _per_rate(notes).items():
            ot, ov = original[vat]
            assert abs(t) <= abs(ot)
            assert t * ot >= 0
            assert abs(v) <= abs(ov)
            assert v * ov >= 0


class TestInstallmentLaws:
    @settings(max_examples=50, deadline=None)
    @given(draft=invoices(), terms=payment_terms())
    def test_installments_and_their_vat_add_up(self, draft, terms):
        """Σ installments = amount due (BT-115); per rate, Σ VAT splits = the invoice's BG-23."""
        if draft.kind is DocumentKind.CREDIT_NOTE or draft.totals().amount_due.amount < 0:
            return
        try:
            schedule = due_schedule(draft, terms, issue_date=draft.due_date)
        except Exception:
            return
        assert draft.totals().amount_due.amount == sum((i.amount.amount for i in schedule), _ZERO)
        splits = installment_vat(draft, schedule)
        for entry in draft.totals().vat_breakdown if schedule else ():
            mine = [b for split in splits for b in split if b.vat == entry.vat]
            assert entry.taxable.amount == sum((b.taxable.amount for b in mine), _ZERO)
            assert entry.amount.amount == sum((b.amount.amount for b in mine), _ZERO)
