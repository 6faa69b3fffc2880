"""MRR/ARR, its movements, its history, and invoiced revenue ÷ 12, on a portfolio worked by hand.

The portfolio (seller: the sample seller; every price excluding VAT):

* A: Basic €30/month from 1 Jan 2025, three seats from 1 Apr 2025 → MRR 30, then 90;
* B: Support €1 000/year from 1 Jan 2025, plus a €500 set-up on the first invoice only
  → MRR 1 000 ÷ 12 = 83.33 (the set-up never counts);
* C: Pro €90 × 2 per quarter from 1 Feb 2025, cancelled on 1 Jun 2025 → 180 ÷ 3 = 60.00;
* D: Coffee €7/week from Mon 6 Jan 2025 → 7 × 52 ÷ 12 = 30.33, €5 from Mon 2 Jun 2025
  → 5 × 52 ÷ 12 = 21.67;
* E: Basic €50/month from 1 Jan to 1 Mar 2025, back with a new €40/month contract on
  1 May 2025 (a reactivation).
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest

from facturlib import (
    ANNUAL,
    QUARTERLY,
    WEEKLY,
    Discount,
    Product,
    ReportError,
    Subscription,
    SubscriptionItem,
    amend,
    cancel,
    credit_note,
    invoiced_mrr,
    issue,
    mrr,
    mrr_history,
    mrr_movements,
    schedule,
    to_money,
)
from facturlib.core.numbering import SequenceState
from facturlib.core.vat import FR_STANDARD
from facturlib.testing.builders import sample_buyer, sample_scheme, sample_seller


def product(name: str, price: str) -> Product:
    return Product(name=name, unit_price=to_money(price, "EUR"), vat=FR_STANDARD, id=name.upper())


def customer(key: str) -> object:
    return sample_buyer(id=key, name=f"Client {key}")


def contract(reference: str, key: str, *items: SubscriptionItem, **fields: object) -> Subscription:
    return Subscription(
        reference=reference,
        seller=sample_seller(),
        buyer=customer(key),
        currency="EUR",
        items=items,
        **fields,
    )


def portfolio() -> list[Subscription]:
    a = contract(
        "A-1", "A", SubscriptionItem(product=product("Basic", "30.00")), start=date(2025, 1, 1)
    )
    a = amend(a, on=date(2025, 4, 1), item="BASIC", quantity=3)
    b = contract(
        "B-1",
        "B",
        SubscriptionItem(product=product("Support", "1000.00")),
        SubscriptionItem(product=product("Setup", "500.00"), first_invoice_only=True),
        start=date(2025, 1, 1),
        periodicity=ANNUAL,
    )
    c = contract(
        "C-1",
        "C",
        SubscriptionItem(product=product("Pro", "90.00"), quantity=2),
        start=date(2025, 2, 1),
        periodicity=QUARTERLY,
    )
    c = cancel(c, on=date(2025, 6, 1))
    d = contract(
        "D-1",
        "D",
        SubscriptionItem(product=product("Coffee", "7.00")),
        start=date(2025, 1, 6),
        periodicity=WEEKLY,
    )
    d = amend(d, on=date(2025, 6, 2), item="COFFEE", unit_price=to_money("5.00", "EUR"))
    e1 = contract(
        "E-1",
        "E",
        SubscriptionItem(product=product("Basic", "50.00")),
        start=date(2025, 1, 1),
        end=date(2025, 3, 1),
    )
    e2 = contract(
        "E-2", "E", SubscriptionItem(product=product("Basic", "40.00")), start=date(2025, 5, 1)
    )
    return [a, b, c, d, e1, e2]


def by_customer(table: object) -> dict[str, Decimal]:
    return {r["customer"]: r["mrr"] for r in table.to_records()}  # type: ignore[attr-defined]


class TestMrr:
    def test_per_customer_by_hand(self) -> None:
        """Each customer's MRR on 15 March 2025, normalized to a month by hand."""
        expected = {
            "A": Decimal("30.00"),
            "B": Decimal("83.33"),
            "C": Decimal("60.00"),
            "D": Decimal("30.33"),
        }
        assert expected == by_customer(mrr(portfolio(), on=date(2025, 3, 15)))

    def test_total_and_arr(self) -> None:
        """One total row without dimensions; ARR = MRR × 12."""
        table = mrr(portfolio(), on=date(2025, 5, 15), by=())
        assert [{"mrr": Decimal("303.66"), "arr": Decimal("3643.92")}] == list(table.to_records())

    def test_after_discounts(self) -> None:
        """3 seats at 30.00 less 20 % a month, and 1 000.00 a year less 100.00: 72.00 + 75.00."""
        seats = SubscriptionItem(
            product=product("Basic", "30.00"), quantity=3, discounts=[Discount(percent="20")]
        )
        support = SubscriptionItem(
            product=product("Support", "1000.00"),
            discounts=[Discount(amount=to_money("100.00", "EUR"))],
        )
        subs = [
            contract("S-1", "F", seats, start=date(2025, 1, 1)),
            contract("S-2", "G", support, start=date(2025, 1, 1), periodicity=ANNUAL),
        ]
        assert {"F": Decimal("72.00"), "G": Decimal("75.00")} == by_customer(
            mrr(subs, on=date(2025, 2, 1))
        )

    def test_one_off_items_never_count(self) -> None:
        """B's set-up (first invoice only) is not recurring."""
        table = mrr(portfolio(), on=date(2025, 1, 1), by=("customer", "product"))
        assert [] == [r for r in table.to_records() if r["product"] == "SETUP"]

    def test_per_product_and_entity_sum_to_total(self) -> None:
        """Σ per product = Σ per entity = Σ per customer = the total."""
        subs = portfolio()
        day = date(2025, 5, 15)
        totals = {
            mrr(subs, on=day, by=by).total("mrr")
            for by in [(), ("customer",), ("product",), ("entity",), ("subscription", "product")]
        }
        assert {Decimal("303.66")} == totals

    def test_after_the_plan_change(self) -> None:
        """A's three seats count from the amendment day, D's lower price from its own."""
        table = by_customer(mrr(portfolio(), on=date(2025, 6, 2)))
        assert (Decimal("90.00"), Decimal("21.67")) == (table["A"], table["D"])

    def test_free_trial_has_no_mrr(self) -> None:
        """Before billing_start nothing is billed, so nothing counts."""
        sub = contract(
            "T-1",
            "T",
            SubscriptionItem(product=product("Basic", "30.00")),
            start=date(2025, 1, 1),
            billing_start=date(2025, 2, 1),
        )
        assert (0, 1) == (
            len(mrr([sub], on=date(2025, 1, 15))),
            len(mrr([sub], on=date(2025, 2, 1))),
        )

    def test_unknown_dimension(self) -> None:
        """A dimension that does not exist is refused, naming the ones that do."""
        with pytest.raises(ReportError, match="unknown MRR dimension"):
            mrr(portfolio(), on=date(2025, 1, 1), by=("region",))

    def test_several_currencies_need_a_choice(self) -> None:
        """Subscriptions in two currencies are not added up."""
        usd = Product(name="Basic", unit_price=to_money("10.00", "USD"), vat=FR_STANDARD)
        other = Subscription(
            reference="U-1",
            seller=sample_seller(),
            buyer=customer("U"),
            currency="USD",
            items=[SubscriptionItem(product=usd)],
            start=date(2025, 1, 1),
        )
        with pytest.raises(ReportError, match="several currencies"):
            mrr([*portfolio(), other], on=date(2025, 3, 1))
        assert {"U": Decimal("10.00")} == by_customer(
            mrr([*portfolio(), other], on=date(2025, 3, 1), currency="USD")
        )

    def test_does_not_change_its_input(self) -> None:
        """The caller's list is read, not changed."""
        subs = portfolio()
        copy = list(subs)
        mrr(subs, on=date(2025, 3, 1))
        assert copy == subs


class TestMrrMovements:
    def test_by_hand(self) -> None:
        """15 Mar → 15 Jun 2025: A expands, C churns, D contracts, E comes back."""
        table = mrr_movements(portfolio(), start=date(2025, 3, 15), end=date(2025, 6, 15))
        found = {
            r["customer"]: {k: v for k, v in r.items() if k not in ("entity", "customer") and v}
            for r in table.to_records()
        }
        assert {
            "A": {
                "start_mrr": Decimal("30.00"),
                "expansion": Decimal("60.00"),
                "end_mrr": Decimal("90.00"),
            },
            "B": {"start_mrr": Decimal("83.33"), "end_mrr": Decimal("83.33")},
            "C": {"start_mrr": Decimal("60.00"), "churn": Decimal("-60.00")},
            "D": {
                "start_mrr": Decimal("30.33"),
                "contraction": Decimal("-8.66"),
                "end_mrr": Decimal("21.67"),
            },
            "E": {"reactivation": Decimal("40.00"), "end_mrr": Decimal("40.00")},
        } == found

    def test_new_customers(self) -> None:
        """Customers never billed before are new."""
        table = mrr_movements(portfolio(), start=date(2024, 12, 15), end=date(2025, 1, 15))
        assert Decimal("193.66") == table.total("new")
        assert Decimal(0) == table.total("reactivation")

    def test_movements_sum_to_the_change(self) -> None:
        """Σ movements = MRR(end) − MRR(start), exactly."""
        subs = portfolio()
        start, end = date(2025, 1, 15), date(2025, 7, 1)
        table = mrr_movements(subs, start=start, end=end)
        moves = sum(
            (table.total(n) for n in ("new", "expansion", "contraction", "churn", "reactivation")),
            Decimal(0),
        )
        assert mrr(subs, on=end).total("mrr") - mrr(subs, on=start).total("mrr") == moves

    def test_end_before_start(self) -> None:
        """The dates must be in order."""
        with pytest.raises(ReportError, match="after the start"):
            mrr_movements(portfolio(), start=date(2025, 2, 1), end=date(2025, 1, 1))


class TestMrrHistory:
    def test_by_month(self) -> None:
        """MRR on the 1st of each month, with the month's movements."""
        table = mrr_history(portfolio(), start=date(2025, 1, 1), months=6)
        assert [
            Decimal("163.33"),
            Decimal("253.66"),
            Decimal("203.66"),
            Decimal("263.66"),
            Decimal("303.66"),
            Decimal("243.66"),
        ] == list(table.column("mrr"))
        # June: C churns (−60) while nothing else moves on the 1st (D changes on the 2nd).
        assert Decimal("-60.00") == table.rows[5][table.index("churn")]

    def test_rows_reconcile(self) -> None:
        """Each month's movements lead from the previous MRR to its own."""
        table = mrr_history(portfolio(), start=date(2025, 1, 1), months=8)
        records = table.to_records()
        for before, now in itertools.pairwise(records):
            moves = sum(
                (now[n] for n in ("new", "expansion", "contraction", "churn", "reactivation")),
                Decimal(0),
            )
            assert now["mrr"] - before["mrr"] == moves

    def test_months_bounded(self) -> None:
        """A number of months out of range is refused."""
        with pytest.raises(ReportError, match="months"):
            mrr_history(portfolio(), start=date(2025, 1, 1), months=0)


class TestInvoicedMrr:
    def test_by_hand(self) -> None:
        """A's invoices Jan–Jun 2025 (30 + 30 + 30 + 90 + 90 + 90 = 360) minus a €90 credit
        note, over 12 months = 22.50."""
        (a, *_) = portfolio()
        state = SequenceState()
        issued = []
        for draft in schedule(a, until=date(2025, 7, 1)):
            invoice, state = issue(draft, sample_scheme(), state, on=draft.issue_date)
            issued.append(invoice)
        note = credit_note(issued[-1])
        note, state = issue(note, sample_scheme(), state, on=date(2025, 6, 20))
        table = invoiced_mrr([*issued, note], on=date(2025, 7, 1))
        assert [{"customer": "A", "invoiced": Decimal("270.00"), "mrr": Decimal("22.50")}] == list(
            table.to_records()
        )

    def test_window(self) -> None:
        """Documents issued on or after *on*, or more than *months* before, are left out."""
        (a, *_) = portfolio()
        state = SequenceState()
        issued = []
        for draft in schedule(a, until=date(2025, 7, 1)):
            invoice, state = issue(draft, sample_scheme(), state, on=draft.issue_date)
            issued.append(invoice)
        table = invoiced_mrr(issued, on=date(2025, 4, 1), months=2)
        assert [Decimal("60.00")] == list(table.column("invoiced"))
