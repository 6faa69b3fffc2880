"""Laws of bill runs: a run split in two is the run in one; a run bills the schedule."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from facturlib.core.money import Money
from facturlib.core.serialize import to_dict
from facturlib.recurring.subscriptions import Subscription, schedule
from facturlib.runs.billing import bill_run
from facturlib.runs.portfolio import BillingPortfolio, PortfolioCustomer, PortfolioSubscription
from facturlib.testing.strategies import billing_portfolios, subscriptions

NUMBERING = (
    ("invoice", "FA-{yyyy}-{seq:05}"),
    ("credit_note", "AV-{yyyy}-{seq:05}"),
    ("deposit", "AC-{yyyy}-{seq:05}"),
)


def portfolio_of(subscription: Subscription) -> BillingPortfolio:
    return BillingPortfolio(
        seller=subscription.seller,
        numbering=NUMBERING,
        customers=(PortfolioCustomer(party=subscription.buyer),),
        subscriptions=(PortfolioSubscription(subscription=subscription),),
    )


def last_day(subscription: Subscription) -> date:
    days = [d.issue_date for d in schedule(subscription) if d.issue_date is not None]
    return max(days, default=subscription.start) + timedelta(days=1)


@settings(max_examples=25, deadline=None)
@given(subscriptions(currency_codes=st.just("EUR"), max_items=2, max_installments=8), st.data())
def test_two_runs_are_one_run(subscription: Subscription, data: st.DataObject) -> None:
    """Billing through d, then through the end, issues what one run through the end does."""
    end = last_day(subscription)
    split = data.draw(st.dates(min_value=subscription.start, max_value=end))
    whole = bill_run(portfolio_of(subscription), through=end)
    first = bill_run(portfolio_of(subscription), through=split)
    second = bill_run(first.portfolio, through=end)
    assert [to_dict(d) for d in whole.documents] == [
        to_dict(d) for d in (*first.documents, *second.documents)
    ]
    assert () == bill_run(second.portfolio, through=end).documents


@settings(max_examples=25, deadline=None)
@given(subscriptions(currency_codes=st.just("EUR"), max_items=2, max_installments=8))
def test_a_run_bills_the_whole_schedule(subscription: Subscription) -> None:
    """A run through the last draft issues every draft of the schedule, to the cent,
    and its journal balances."""
    drafts = schedule(subscription)
    run = bill_run(portfolio_of(subscription), through=last_day(subscription))
    assert () == run.problems
    assert len(drafts) == len(run.documents)
    zero = Money(0, "EUR")
    expected = sum((d.totals().tax_inclusive_total for d in drafts), zero)
    assert expected == sum((d.totals().tax_inclusive_total for d in run.documents), zero)
    lines = [line for entry in run.entries for line in entry.lines]
    debits = sum((line.debit for line in lines if line.debit is not None), zero)
    credits = sum((line.credit for line in lines if line.credit is not None), zero)
    assert debits == credits


@settings(max_examples=20, deadline=None)
@given(billing_portfolios(), st.data())
def test_grouping_keeps_every_line(portfolio: BillingPortfolio, data: st.DataObject) -> None:
    """Grouped or not, a run bills every line of every schedule: the amounts excluding
    VAT add up to the schedules' to the cent, never with more invoices than drafts; and
    a run split in two is the run in one."""
    subs = [held.subscription for held in portfolio.subscriptions]
    end = max(last_day(sub) for sub in subs)
    drafts = [d for sub in subs for d in schedule(sub)]
    whole = bill_run(portfolio, through=end)
    assert () == whole.problems
    zero = Money(0, "EUR")
    expected = sum((d.totals().tax_exclusive_total for d in drafts), zero)
    assert expected == sum((d.totals().tax_exclusive_total for d in whole.documents), zero)
    assert len(whole.documents) <= len(drafts)
    start = min(sub.start for sub in subs)
    split = data.draw(st.dates(min_value=start, max_value=end))
    first = bill_run(portfolio, through=split)
    second = bill_run(first.portfolio, through=end)
    assert [to_dict(d) for d in whole.documents] == [
        to_dict(d) for d in (*first.documents, *second.documents)
    ]
