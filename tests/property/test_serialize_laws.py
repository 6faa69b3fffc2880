"""Serialization round trips (storage wrappers rely on it), checked with hypothesis."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import facturlib
from facturlib.core.documents import Invoice
from facturlib.core.issuing import issue
from facturlib.core.numbering import SequenceState
from facturlib.core.serialize import from_dict, from_json, to_dict, to_json
from facturlib.core.totals import Totals
from facturlib.testing import strategies
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


def _values(value: Any) -> Iterator[Any]:
    """*value* and every attrs value nested in it, depth first."""
    if attrs.has(type(value)):
        yield value
        for field in attrs.fields(type(value)):
            if not field.name.startswith("_"):
                yield from _values(getattr(value, field.name))
    elif isinstance(value, tuple | list | frozenset):
        for item in value:
            yield from _values(item)


#: Values of most kinds, and every value nested in them: documents and their parts,
#: plans, subscriptions, terms, payments, journals, SEPA batches, lifecycle events.
_EVERY_KIND = st.one_of(
    strategies.invoices(mentions=True),
    strategies.issued_invoices(),
    strategies.orders(),
    strategies.billing_plans(),
    strategies.portfolios(max_engagements=2),
    strategies.subscriptions(),
    strategies.payment_terms(),
    strategies.payments(),
    strategies.charts_of_accounts(),
    strategies.activities(max_invoices=3),
    strategies.journal_entries(),
    strategies.direct_debit_batches(max_debits=3),
    strategies.status_histories(max_size=4),
    strategies.numbering_schemes(),
    strategies.periodicities(),
    strategies.invoices().map(lambda invoice: invoice.totals()),
)


class TestTaggedRoundTrip:
    @settings(max_examples=50, deadline=None)
    @given(_EVERY_KIND)
    def test_every_value_round_trips_by_its_tag(self, value):
        """Each value, and each one nested in it, comes back equal from tagged JSON; the
        classes the package exports without being told their class."""
        for part in _values(value):
            text = to_json(part)
            exported = type(part).__name__ in facturlib.__all__
            again = from_json(text) if exported else from_json(type(part), text)
            assert (type(part), part) == (type(again), again)
