"""Laws of credit notes (DOMAIN.md §5): cumulative credits never exceed the invoice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facturlib.core.credit_notes import credit_note, creditable
from facturlib.core.errors import CreditNoteError
from facturlib.core.issuing import issue
from facturlib.core.money import RoundingPolicy
from facturlib.core.numbering import NumberingScheme, SequenceState
from facturlib.testing.strategies import invoices, rounding_policies

SCHEME = NumberingScheme(pattern="FA-{yyyy}-{seq:04}")


def _issued(draft):
    invoice, _ = issue(draft, SCHEME, SequenceState(), on=draft.due_date, allow_negative=True)
    return invoice


def _per_rate(documents):
    """Σ taxable and Σ VAT per VAT rate over *documents*."""
    sums: dict = {}
    for doc in documents:
        for entry in doc.totals().vat_breakdown:
            t, v = sums.get(entry.vat, (Decimal(0), Decimal(0)))
            sums[entry.vat] = (t + entry.taxable.amount, v + entry.amount.amount)
    return sums


# Keep invoices positive per VAT rate: document allowances can otherwise push a rate
# below zero, which has nothing left to credit.
positive_invoices = invoices(currency_codes=st.sampled_from(["EUR", "JPY", "KWD"])).filter(
    lambda inv: all(b.taxable.amount > 0 for b in inv.totals().vat_breakdown)
)

# The same, under every rounding mode, VAT per rate or per line, with or without cash
# rounding: per-line rounding and tax-inclusive prices make a rate's VAT differ from
# round(base × rate), by several yen in JPY.
any_policy_invoices = invoices(
    currency_codes=st.sampled_from(["EUR", "JPY", "KWD"]), policies=rounding_policies()
).filter(lambda inv: all(b.taxable.amount > 0 for b in inv.totals().vat_breakdown))


# Known gap (issue 2 report): in JPY, where the BR-CO-17 tolerance of one currency unit
# is one minor unit, a partial note with several rounded items (by lines with prorated
# percentages under per-line VAT) or a rate with VAT of the other sign than its base can
# still need a stated VAT more than one yen from the computed one. The partial-credit law
# is checked everywhere else; the full-credit law above holds for every invoice.
closable_invoices = any_policy_invoices.filter(
    lambda inv: (
        inv.currency.code != "JPY"
        or (
            inv.rounding.vat_rounding == "per_rate"
            and all(b.amount.amount >= 0 for b in inv.totals().vat_breakdown)
        )
    )
)


def _nonzero(sums):
    """*sums* without the rates at (0, 0), which a credit may or may not carry."""
    return {vat: pair for vat, pair in sums.items() if pair != (0, 0)}


def _request(data, invoice):
    """Draw one way to credit: by lines, amount, ratio or in full."""
    way = data.draw(st.sampled_from(["lines", "amount", "ratio", "full"]))
    if way == "lines":
        line = data.draw(st.sampled_from(invoice.lines))
        share = data.draw(st.decimals(min_value="0.01", max_value=1, places=2))
        quantity = (line.quantity * share).quantize(Decimal("0.0001"))
        return {"lines": {line.id: max(quantity, Decimal("0.0001"))}}
    if way == "amount":
        gross = invoice.totals().tax_inclusive_total
        share = data.draw(st.decimals(min_value="0.01", max_value="0.6", places=2))
        amount = RoundingPolicy().round_money(type(gross)(gross.amount * share, gross.currency))
        return {"amount": amount, "includes_vat": True} if amount.amount > 0 else {}
    if way == "ratio":
        return {"ratio": data.draw(st.decimals(min_value="0.01", max_value="0.5", places=2))}
    return {}


def _partial_credits(data, invoice, *, min_notes):
    """Draw up to 3 requests and make the credit notes that are not refused."""
    notes = []
    for _ in range(data.draw(st.integers(min_value=min_notes, max_value=3))):
        try:
            notes.append(credit_note(invoice, previous=notes, **_request(data, invoice)))
        except CreditNoteError:
            continue  # refused because it would exceed: the law at work
    return notes


class TestCreditNoteLaws:
    @settings(deadline=None)
    @given(draft=positive_invoices, data=st.data())
    def test_credits_never_exceed_the_invoice(self, draft, data):
        """DOMAIN.md §5: Σ credit notes ≤ invoice, per VAT rate, for taxable and VAT."""
        invoice = _issued(draft)
        original = _per_rate([invoice])
        notes = []
        for _ in range(data.draw(st.integers(min_value=1, max_value=5))):
            try:
                notes.append(credit_note(invoice, previous=notes, **_request(data, invoice)))
            except CreditNoteError:
                continue  # refused because it would exceed: the law at work
            credited = _per_rate(notes)
            for vat, (t, v) in credited.items():
                assert t <= original[vat][0]
                assert v <= original[vat][1]

    @settings(deadline=None)
    @given(draft=positive_invoices, data=st.data())
    def test_a_final_full_credit_closes_the_invoice_exactly(self, draft, data):
        """The last credit note absorbs the rounding: Σ credits = invoice exactly."""
        invoice = _issued(draft)
        notes = _partial_credits(data, invoice, min_notes=0)
        left = creditable(invoice, notes)
        if all(entry.taxable.amount <= 0 for entry in left):
            return
        notes.append(credit_note(invoice, previous=notes))
        assert _per_rate([invoice]) == _per_rate(notes)
        assert all(
            0 == e.taxable.amount and 0 == e.amount.amount for e in creditable(invoice, notes)
        )

    @settings(deadline=None)
    @given(draft=positive_invoices)
    def test_a_full_credit_mirrors_the_invoice(self, draft):
        """A full credit note has the invoice's totals and VAT breakdown (CGI 272-1)."""
        invoice = _issued(draft)
        note = credit_note(invoice)
        assert invoice.totals().vat_breakdown == note.totals().vat_breakdown
        assert invoice.totals().tax_inclusive_total == note.totals().tax_inclusive_total
        with pytest.raises(CreditNoteError):
            credit_note(invoice, previous=[note], ratio="0.01")

    @settings(deadline=None)
    @given(draft=positive_invoices)
    def test_credit_notes_refer_to_the_invoice(self, draft):
        """CGI 289 I-5 / BT-25, BT-26: the credit note names the original number and date."""
        invoice = _issued(draft)
        note = credit_note(invoice, ratio="0.5")
        assert ((invoice.number, invoice.issue_date),) == tuple(
            (r.number, r.issue_date) for r in note.preceding
        )
        assert date is type(note.preceding[0].issue_date)


class TestFullCreditLaws:
    """A credit of the whole invoice, at once or closing partial credits, is exact (§5)."""

    @settings(deadline=None, max_examples=200)
    @given(draft=any_policy_invoices, how=st.sampled_from(["full", "ratio", "lines"]))
    def test_a_full_credit_equals_the_invoice_per_rate(self, draft, how):
        """In full, by ratio 1 or by every line (charges included): the invoice per rate."""
        invoice = _issued(draft)
        request = {
            "full": {},
            "ratio": {"ratio": "1"},
            "lines": {
                "lines": {line.id: line.quantity for line in invoice.lines},
                "include_charges": True,
            },
        }[how]
        note = credit_note(invoice, **request)
        assert invoice.totals().vat_breakdown == note.totals().vat_breakdown
        assert invoice.totals().tax_inclusive_total == note.totals().tax_inclusive_total

    @settings(deadline=None, max_examples=200)
    @given(draft=closable_invoices, data=st.data())
    def test_partial_credits_and_the_remainder_equal_the_invoice(self, draft, data):
        """Partial credits of any kind, then the remainder: Σ credits = invoice per rate."""
        invoice = _issued(draft)
        notes = _partial_credits(data, invoice, min_notes=1)
        try:
            notes.append(credit_note(invoice, previous=notes))
        except CreditNoteError as error:
            assert "nothing left" in str(error)  # noqa: PT017
        assert _nonzero(_per_rate([invoice])) == _nonzero(_per_rate(notes))
