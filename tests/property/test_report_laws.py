"""Laws of the reports: MRR adds up whatever the grouping, movements reconcile, tables
round-trip, aged buckets add up to what is owed, the trusted tables equal checked ones."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from facturlib.core.issuing import issue
from facturlib.core.numbering import NumberingScheme, SequenceState
from facturlib.receivables.payments import customer_balances, settle
from facturlib.reports.aging import aged_balance
from facturlib.reports.mrr import mrr, mrr_history, mrr_movements
from facturlib.reports.table import Table
from facturlib.testing.strategies import invoices, payments, report_tables, subscription_portfolios

MOVES = ("new", "expansion", "contraction", "churn", "reactivation")
DAYS = st.dates(min_value=date(2019, 12, 1), max_value=date(2034, 12, 31))
SCHEME = NumberingScheme(pattern="FA-{yyyy}-{seq:04}")


def checked(table: Table) -> Table:
    """The same table through the checking constructor."""
    return Table(**{f.name: getattr(table, f.name) for f in attrs.fields(Table)})


@settings(max_examples=50)
@given(portfolio=subscription_portfolios(), day=DAYS)
def test_mrr_adds_up_per_customer_and_product(portfolio, day):  # type: ignore[no-untyped-def]
    """Σ per-customer MRR = Σ per-product MRR = the total MRR, and ARR = 12 × MRR."""
    total = mrr(portfolio, on=day, by=())
    per_customer = mrr(portfolio, on=day)
    per_product = mrr(portfolio, on=day, by=("entity", "subscription", "product"))
    assert total.total("mrr") == per_customer.total("mrr") == per_product.total("mrr")
    assert total.total("arr") == 12 * total.total("mrr")
    assert checked(per_product) == per_product


@settings(max_examples=50)
@given(portfolio=subscription_portfolios(), start=DAYS, days=st.integers(1, 800))
def test_movements_reconcile(portfolio, start, days):  # type: ignore[no-untyped-def]
    """Per customer start + Σ movements = end; in total Σ movements = MRR(end) − MRR(start)."""
    end = start + timedelta(days=days)
    table = mrr_movements(portfolio, start=start, end=end)
    for record in table.to_records():
        moved = [record[m] for m in MOVES if record[m]]
        assert len(moved) <= 1  # each customer's change is one kind of movement
        assert record["start_mrr"] + sum(moved, Decimal(0)) == record["end_mrr"]
    change = mrr(portfolio, on=end, by=()).total("mrr") - mrr(portfolio, on=start, by=()).total(
        "mrr"
    )
    assert change == sum((table.total(m) for m in MOVES), Decimal(0))
    assert checked(table) == table


@settings(max_examples=20)
@given(portfolio=subscription_portfolios(max_subscriptions=4), start=DAYS)
def test_history_reconciles(portfolio, start):  # type: ignore[no-untyped-def]
    """Each month's movements lead from the previous month's MRR to its own."""
    records = mrr_history(portfolio, start=start, months=6).to_records()
    for before, now in itertools.pairwise(records):
        assert now["mrr"] - before["mrr"] == sum((now[m] for m in MOVES), Decimal(0))


@settings(max_examples=50)
@given(table=report_tables())
def test_tables_round_trip_through_records(table):  # type: ignore[no-untyped-def]
    """from_records(to_records()) rebuilds the same table."""
    again = Table.from_records(
        table.to_records(), title=table.title, columns=table.columns, currency=table.currency
    )
    assert table == again


@settings(max_examples=30)
@given(
    drafts=st.lists(invoices(currency_codes=st.just("EUR"), max_lines=2), min_size=1, max_size=5),
    paid=st.lists(payments(max_value=3000), max_size=4),
    gap=st.integers(min_value=0, max_value=400),
)
def test_aged_buckets_add_up_to_what_is_owed(drafts, paid, gap):  # type: ignore[no-untyped-def]
    """Σ buckets = Σ totals = Σ due of the customer balances, for any payments."""
    state = SequenceState()
    issued = []
    day = date(2025, 1, 1)
    for i, draft in enumerate(drafts):
        on = day + timedelta(days=5 * i)
        invoice, state = issue(
            draft, SCHEME, state, on=on, due_date=on + timedelta(days=30), allow_negative=True
        )
        issued.append(invoice)
    ids = [attrs.evolve(p, id=f"P{i}", date=day + timedelta(days=i)) for i, p in enumerate(paid)]
    settlement = settle(issued, ids, on=day + timedelta(days=gap))
    table = aged_balance(settlement)
    buckets = [c.name for c in table.columns if c.name == "not_due" or c.name.startswith("days")]
    assert table.total("total") == sum((table.total(b) for b in buckets), Decimal(0))
    due = sum((b.due.amount for b in customer_balances(settlement)), Decimal(0))
    assert due == table.total("total")
    assert checked(table) == table
