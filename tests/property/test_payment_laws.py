"""Laws of getting paid (DOMAIN.md §7–8): schedules, allocation, balances, dunning."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from facturlib.core.issuing import issue
from facturlib.core.numbering import NumberingScheme, SequenceState
from facturlib.receivables.dunning import DunningPolicy, DunningRecord, dunning_run
from facturlib.receivables.payments import Payment, balance, settle
from facturlib.receivables.terms import EndOfMonth, due_schedule, format_terms, parse_terms
from facturlib.testing.strategies import invoices, payment_terms, payments

SCHEME = NumberingScheme(pattern="FA-{yyyy}-{seq:04}")
START = date(2025, 1, 1)
EUR_INVOICES = invoices(currency_codes=st.just("EUR"), max_lines=3).filter(
    lambda inv: inv.totals().amount_due.amount > 0
)


def issue_all(drafts, day=START):  # type: ignore[no-untyped-def]
    """Issue drafts one after the other, a few days apart, due 30 days later."""
    state = SequenceState()
    issued = []
    for i, draft in enumerate(drafts):
        on = day + timedelta(days=3 * i)
        draft = type(draft)(**{**_fields(draft), "due_date": on + timedelta(days=30)})
        invoice, state = issue(draft, SCHEME, state, on=on, allow_negative=True)
        issued.append(invoice)
    return issued


def _fields(draft):  # type: ignore[no-untyped-def]
    import attrs

    return {f.name: getattr(draft, f.name) for f in attrs.fields(type(draft)) if f.init}


customer_payments = st.lists(
    payments(
        dates=st.dates(min_value=START, max_value=date(2025, 6, 30)),
        max_value=3000,
    ),
    max_size=5,
    unique_by=lambda p: p.id,
)


class TestScheduleLaws:
    @settings(max_examples=150)
    @given(
        invoice=invoices().filter(lambda i: i.totals().amount_due.amount > 0),
        terms=payment_terms(),
        issued=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 1, 1)),
    )
    def test_installments_sum_to_amount_due(self, invoice, terms, issued) -> None:  # type: ignore[no-untyped-def]
        """Σ installments = amount due (BT-115), every installment positive."""
        schedule = due_schedule(invoice, terms, issue_date=issued)
        assert invoice.totals().amount_due.amount == sum(i.amount.amount for i in schedule)
        assert all(i.amount.amount > 0 for i in schedule)
        assert [i.date for i in schedule] == sorted(i.date for i in schedule)

    @settings(max_examples=150)
    @given(
        terms=payment_terms(),
        lang=st.sampled_from(["fr", "en"]),
        convention=st.sampled_from([EndOfMonth.A, EndOfMonth.B]),
    )
    def test_format_then_parse_round_trips(self, terms, lang, convention) -> None:  # type: ignore[no-untyped-def]
        """parse_terms(format_terms(t)) == t, for A/B terms read with their convention."""
        assume(all(p.due.convention in (None, convention, EndOfMonth.C) for p in terms.parts))
        text = format_terms(terms, lang=lang)
        parsed = parse_terms(text, end_of_month=convention)
        assert [p.due.due_date(date(2024, 1, 31)) for p in terms.parts] == [
            p.due.due_date(date(2024, 1, 31)) for p in parsed.parts
        ]
        assert [(p.percent, p.amount) for p in terms.parts] == [
            (p.percent, p.amount) for p in parsed.parts
        ]
        assert terms.discount == parsed.discount


class TestAllocationLaws:
    @settings(max_examples=100)
    @given(
        drafts=st.lists(EUR_INVOICES, min_size=1, max_size=4),
        paid=customer_payments,
        on=st.dates(min_value=START, max_value=date(2025, 8, 1)),
    )
    def test_allocations_within_payments_and_invoices(self, drafts, paid, on) -> None:  # type: ignore[no-untyped-def]
        """No payment allocates more than it has, no invoice gets more than it owes,
        and every cent received is allocated or kept as credit."""
        issued = issue_all(drafts)
        result = settle(issued, paid, on=on)
        for payment in paid:
            given_out = sum(
                a.amount.amount for a in result.allocations if a.payment_id == payment.id
            )
            kept = sum(c.amount.amount for c in result.credits if c.source_id == payment.id)
            assert given_out <= payment.amount.amount
            if payment.date <= on:
                assert payment.amount.amount == given_out + kept
        for invoice in result.invoices:
            got = sum(a.amount.amount for a in result.allocations_to(invoice.number))
            assert got <= invoice.totals().amount_due.amount

    @settings(max_examples=100)
    @given(
        drafts=st.lists(EUR_INVOICES, min_size=1, max_size=4),
        paid=customer_payments,
        on=st.dates(min_value=START, max_value=date(2025, 8, 1)),
    )
    def test_balance_due_is_total_minus_allocated(self, drafts, paid, on) -> None:  # type: ignore[no-untyped-def]
        """balance(due) = total − Σ allocated; paid + pending + due = total."""
        result = settle(issue_all(drafts), paid, on=on)
        for invoice in result.invoices:
            b = balance(invoice, result)
            allocated = sum(
                (a.amount.amount for a in result.allocations_to(invoice.number)), Decimal(0)
            )
            assert b.total.amount - allocated == b.due.amount
            assert b.total == b.paid + b.pending + b.due
            assert Decimal(0) <= b.overdue.amount <= b.due.amount
            assert b.settled == (b.paid == b.total)


class TestDunningLaws:
    @settings(max_examples=40)
    @given(drafts=st.lists(EUR_INVOICES, min_size=1, max_size=3), paid=customer_payments)
    def test_levels_only_increase_and_paid_invoices_are_not_dunned(self, drafts, paid) -> None:  # type: ignore[no-untyped-def]
        """Running every 3 days, levels climb one at a time and never for settled invoices."""
        issued = issue_all(drafts)
        paid = [Payment(**{**_fields(p), "pending": False}) for p in paid]
        policy = DunningPolicy.french_default()
        history: list[DunningRecord] = []
        day = START
        while day <= date(2025, 7, 1):
            result = settle(issued, paid, on=day)
            for action in dunning_run(issued, paid, policy, day, history=history):
                b = balance(action.invoice_number, result)
                assert not b.settled
                assert b.overdue.amount > 0
                previous = [r.level for r in history if r.invoice_number == action.invoice_number]
                assert action.level == max(previous, default=0) + 1
                history.append(action.record())
            day += timedelta(days=3)
