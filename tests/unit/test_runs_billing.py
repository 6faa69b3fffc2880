"""Bill runs (facturlib.runs.drafting, facturlib.runs.billing): figures worked by hand."""

from __future__ import annotations

import copy
import pickle
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from facturlib import DocumentKind, InvalidValue, audit_numbers
from facturlib.accounting.ledger import trial_balance
from facturlib.core.numbering import SequenceState, SeriesPosition
from facturlib.core.serialize import to_dict
from facturlib.demo import load_example_portfolio
from facturlib.runs.billing import bill_run, issue_planned
from facturlib.runs.drafting import customer_books, draft_customer
from facturlib.runs.portfolio import portfolio_from_dict

from .test_runs_portfolio import minimal


def portfolio(**changes: Any) -> Any:
    """The minimal portfolio with a second subscription of two more units, grouped."""
    data = minimal()
    second = copy.deepcopy(data["subscriptions"][0])
    second |= {"reference": "ABO-2", "items": [{"product": "HEB", "quantity": "2", "id": "X"}]}
    data["subscriptions"].append(second)
    data["payment_terms"] = {"NET30": "30 jours"}
    data["customers"][0]["terms"] = "NET30"
    for key, value in changes.items():
        data[key] = value
    return data


def amounts(run: Any) -> list[tuple[str, str, str, Decimal]]:
    return [
        (
            str(d.number),
            d.issue_date.isoformat(),
            d.due_date.isoformat(),
            d.totals().tax_inclusive_total.amount,
        )
        for d in run.documents
    ]


class TestDraftCustomer:
    def test_groups_subscriptions_of_one_day(self) -> None:
        """ABO-1 (1 × 100.00) and ABO-2 (2 × 100.00) of 1 Jan make one invoice of
        300.00 + 20 % = 360.00, with both periods and both contracts in its note."""
        [book] = customer_books(portfolio_from_dict(portfolio()))
        drafts = draft_customer(book, through=date(2026, 1, 31))
        [planned] = drafts.planned
        assert ("subscription:ABO-1", "subscription:ABO-2") == planned.sources
        assert Decimal("360.00") == planned.draft.totals().tax_inclusive_total.amount
        assert ["1", "2"] == [line.id for line in planned.draft.lines]
        assert "Abonnements : ABO-1, ABO-2" == planned.draft.notes[0].text
        assert date(2026, 1, 31) == planned.draft.due_date  # 30 jours

    def test_a_subscription_can_opt_out(self) -> None:
        """group: false bills ABO-2 on an invoice of its own: 120.00 and 240.00."""
        data = portfolio()
        data["subscriptions"][1]["group"] = False
        [book] = customer_books(portfolio_from_dict(data))
        planned = draft_customer(book, through=date(2026, 1, 31)).planned
        totals = sorted(p.draft.totals().tax_inclusive_total.amount for p in planned)
        assert [Decimal("120.00"), Decimal("240.00")] == totals

    def test_different_terms_are_not_grouped(self) -> None:
        """Subscriptions under other payment terms stay apart (their due dates differ)."""
        data = portfolio()
        data["payment_terms"]["NET60"] = "60 jours"
        data["subscriptions"][1]["terms"] = "NET60"
        [book] = customer_books(portfolio_from_dict(data))
        planned = draft_customer(book, through=date(2026, 1, 31)).planned
        assert [date(2026, 1, 31), date(2026, 3, 2)] == sorted(p.draft.due_date for p in planned)

    def test_nothing_after_through(self) -> None:
        """Drafts planned after the date are left for later: through 31 Jan, one invoice."""
        [book] = customer_books(portfolio_from_dict(portfolio()))
        assert 1 == len(draft_customer(book, through=date(2026, 1, 31)).planned)
        assert 3 == len(draft_customer(book, through=date(2026, 3, 1)).planned)

    def test_a_book_is_a_picklable_value(self) -> None:
        """A customer's book crosses process boundaries (for parallel drafting)."""
        [book] = customer_books(portfolio_from_dict(portfolio()))
        assert book == pickle.loads(pickle.dumps(book))

    def test_books_hold_their_own_sources(self) -> None:
        """Each customer's book holds only its subscriptions, projects and engagements."""
        books = customer_books(load_example_portfolio())
        assert (
            "subscription:ABO-2026-001",
            "subscription:ABO-2026-002",
            "subscription:ABO-2026-003",
        ) == books[0].sources
        assert ("project:PRJ-2026-07",) == books[1].sources
        assert ("engagement:LM-2026-03",) == books[2].sources

    def test_engagement_month_billed_in_arrears(self) -> None:
        """LM-2026-03 bills January on 31 January: 500.00 fee + 12 × 25.00 = 800.00
        + 20 % = 960.00, due 45 days end of month (A): eom(31 Jan + 45 d) = 31 March."""
        book = customer_books(load_example_portfolio())[2]
        [january] = draft_customer(book, through=date(2026, 1, 31)).planned
        assert date(2026, 1, 31) == january.planned
        assert Decimal("960.00") == january.draft.totals().tax_inclusive_total.amount
        assert date(2026, 3, 31) == january.draft.due_date


class TestIssuePlanned:
    def test_redates_a_draft_planned_before_the_last_number(self) -> None:
        """The series' last number is of 20 January: the 1 January draft is issued on
        20 January as FA-2026-0006, due 30 days later, 19 February."""
        [book] = customer_books(portfolio_from_dict(portfolio()))
        planned = draft_customer(book, through=date(2026, 1, 31)).planned
        scheme_key = "FA-{yyyy}-{seq:04}"
        state = SequenceState().with_position(
            scheme_key,
            SeriesPosition(
                counter=5, period="2026", last_date=date(2026, 1, 20), last_number="FA-2026-0005"
            ),
        )
        issued = issue_planned(planned, portfolio_from_dict(portfolio()).numbering_plan, state)
        [invoice] = issued.documents
        assert ("FA-2026-0006", date(2026, 1, 20)) == (invoice.number, invoice.issue_date)
        assert date(2026, 2, 19) == invoice.due_date
        [redating] = issued.redated
        assert (date(2026, 1, 1), date(2026, 1, 20)) == (redating.planned, redating.issued)

    def test_chronological_numbers(self) -> None:
        """Numbers follow dates across customers: the audit finds no gap and no disorder."""
        source = load_example_portfolio()
        run = bill_run(source, through=date(2026, 12, 31))
        for kind in (DocumentKind.INVOICE, DocumentKind.DEPOSIT):
            scheme = source.numbering_plan.scheme_for(kind)
            issued = [(d.number, d.issue_date) for d in run.documents if d.kind is kind]
            assert issued
            assert () == audit_numbers(issued, scheme)


class TestBillRun:
    def test_figures_of_a_quarter(self) -> None:
        """Three months of the two grouped subscriptions: 360.00 each month, due 30 days on."""
        run = bill_run(portfolio_from_dict(portfolio()), through=date(2026, 3, 31))
        assert [
            ("FA-2026-0001", "2026-01-01", "2026-01-31", Decimal("360.00")),
            ("FA-2026-0002", "2026-02-01", "2026-03-03", Decimal("360.00")),
            ("FA-2026-0003", "2026-03-01", "2026-03-31", Decimal("360.00")),
        ] == amounts(run)

    def test_run_twice_nothing_new(self) -> None:
        """Run again with the returned portfolio: no invoice, no debit, no reminder."""
        first = bill_run(load_example_portfolio(), through=date(2026, 6, 30))
        again = bill_run(first.portfolio, through=date(2026, 6, 30))
        assert ((), (), ()) == (again.documents, again.direct_debits, again.dunning)
        assert first.state.numbering == again.state.numbering

    def test_next_run_continues(self) -> None:
        """A run through March then one through June issue what one run through June does."""
        whole = bill_run(load_example_portfolio(), through=date(2026, 6, 30))
        march = bill_run(load_example_portfolio(), through=date(2026, 3, 31))
        june = bill_run(march.portfolio, through=date(2026, 6, 30))
        assert [to_dict(d) for d in whole.documents] == [
            to_dict(d) for d in (*march.documents, *june.documents)
        ]

    def test_records_what_was_billed_through_when(self) -> None:
        """Every source is recorded as billed through the run's date."""
        run = bill_run(portfolio_from_dict(portfolio()), through=date(2026, 3, 31))
        assert {
            "subscription:ABO-1": date(2026, 3, 31),
            "subscription:ABO-2": date(2026, 3, 31),
        } == {b.source: b.through for b in run.state.billed}

    def test_a_failing_source_stops_alone(self) -> None:
        """A reverse-charge subscription for a buyer without a VAT id cannot be issued
        (EN 16931 BR-AE-02): it is reported and stays unbilled; the other customer's
        invoices are issued all the same."""
        data = portfolio()
        data["customers"].append(
            {"id": "C2", "name": "Sans TVA", "address": {"city": "Lyon", "country_code": "FR"}}
        )
        reverse = {"category": "AE", "percent": "0", "exemption_reason": "Autoliquidation"}
        data["subscriptions"].append(
            {
                "reference": "ABO-3",
                "customer": "C2",
                "currency": "EUR",
                "start": "2026-01-01",
                "items": [{"product": "HEB", "vat": reverse}],
            }
        )
        run = bill_run(portfolio_from_dict(data), through=date(2026, 2, 28))
        assert {"C1"} == {d.buyer.key for d in run.documents}
        assert 2 == len(run.documents)
        assert run.problems
        assert all("ABO-3" in p.message for p in run.problems)
        assert "subscription:ABO-3" not in {b.source for b in run.state.billed}
        again = bill_run(run.portfolio, through=date(2026, 2, 28))
        assert () == again.documents
        assert run.problems == again.problems

    def test_journal_balances(self) -> None:
        """The run's entries balance (debits = credits)."""
        run = bill_run(load_example_portfolio(), through=date(2026, 12, 31))
        assert 0 == trial_balance(run.entries).balance.amount
        assert len(run.documents) == len(run.entries)

    def test_direct_debits_for_mandate_customers_only(self) -> None:
        """CLI0001 signed a mandate: its invoices, and only its, are debited."""
        run = bill_run(load_example_portfolio(), through=date(2026, 3, 31))
        debited = {d.invoice_number for b in run.direct_debits for d in b.debits}
        mine = {d.number for d in run.documents if d.buyer.key == "CLI0001"}
        assert mine == debited

    def test_debited_invoices_are_not_chased(self) -> None:
        """Reminders go to the customers without a mandate; the pending debits of
        CLI0001 keep its invoices out of the dunning run."""
        run = bill_run(load_example_portfolio(), through=date(2026, 12, 31))
        assert {"CLI0002", "CLI0003", "CLI0004"} == {a.customer for a in run.dunning}

    def test_paid_deposit_is_not_chased(self) -> None:
        """The 4 727.32 deposit paid on 5 February is settled: no reminder for it."""
        run = bill_run(load_example_portfolio(), through=date(2026, 12, 31))
        assert "AC-2026-0001" not in {a.invoice_number for a in run.dunning}

    def test_does_not_change_its_input(self) -> None:
        """The portfolio passed in is left as it was."""
        source = load_example_portfolio()
        before = to_dict(source.state)
        bill_run(source, through=date(2026, 3, 31))
        assert before == to_dict(source.state)

    def test_bad_arguments(self) -> None:
        """A dict for the portfolio, a string for the date: clear errors."""
        with pytest.raises(InvalidValue, match="BillingPortfolio"):
            bill_run({}, through=date(2026, 1, 1))  # type: ignore[arg-type]
        with pytest.raises(InvalidValue, match=r"datetime\.date"):
            bill_run(load_example_portfolio(), through="2026-01-01")  # type: ignore[arg-type]
