"""Serialization round trips (storage wrappers rely on it), checked with hypothesis."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from facturlib.core.documents import Invoice
from facturlib.core.issuing import issue
from facturlib.core.numbering import SequenceState
from facturlib.core.serialize import from_dict, from_json, to_dict, to_json
from facturlib.core.totals import Totals
from facturlib.testing.strategies import (
    invoices,
    issue_dates,
    lines,
    numbering_schemes,
    rounding_policies,
)


class TestRoundTrip:
    @given(invoices(policies=rounding_policies()))
    def test_draft_invoices_round_trip(self, invoice):
        """from_dict(to_dict(x)) == x for drafts, via dicts and via JSON."""
        assert invoice == from_dict(Invoice, to_dict(invoice))
        assert invoice == from_json(Invoice, to_json(invoice))

    @settings(deadline=None)
    @given(invoices(), numbering_schemes(), st.dates(min_value=date(2000, 1, 1)))
    def test_issued_invoices_and_states_round_trip(self, draft, scheme, on):
        """An issued invoice and the sequence state survive storage unchanged (seal intact)."""
        invoice, state = issue(
            draft, scheme, SequenceState(), on=on, due_date=on, allow_negative=True
        )
        assert invoice == from_json(Invoice, to_json(invoice))
        assert state == from_dict(SequenceState, to_dict(state))

    @given(invoices())
    def test_totals_round_trip(self, invoice):
        """Totals round-trip, and the rebuilt Totals still satisfy BR-CO-10…16."""
        totals = invoice.totals()
        assert totals == from_dict(Totals, to_dict(totals))

    @given(lines(currency_codes=st.sampled_from(["EUR", "JPY", "KWD"])))
    def test_decimal_exponents_are_kept(self, line):
        """Decimals keep their written form ("12.50" stays "12.50"), not just their value."""
        data = to_dict(line)
        again = to_dict(from_dict(type(line), data))
        assert data == again

    @given(numbering_schemes(), issue_dates(max_size=10))
    def test_sequence_states_round_trip_after_many_issues(self, scheme, dates):
        """A state threaded through many issues round-trips at every step."""
        from facturlib.core.numbering import next_number

        state = SequenceState()
        for on in dates:
            _, state = next_number(scheme, state, on)
            assert state == from_json(SequenceState, to_json(state))


class TestEInvoiceMentionsRoundTrip:
    @settings(max_examples=50, deadline=None)
    @given(invoices(mentions=True), numbering_schemes(), st.dates(min_value=date(2000, 1, 1)))
    def test_invoices_with_2026_mentions_round_trip(self, draft, scheme, on):
        """Payment means, notes with subjects, deliver-to, supply kinds and electronic
        addresses survive storage, drafts and issued invoices alike (seal intact)."""
        assert draft == from_json(Invoice, to_json(draft))
        invoice, _ = issue(draft, scheme, SequenceState(), on=on, due_date=on, allow_negative=True)
        assert invoice == from_json(Invoice, to_json(invoice))
