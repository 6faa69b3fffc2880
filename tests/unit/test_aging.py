"""Aged balance, late customers, DSO and the cash-in forecast, worked by hand on 30 June 2025.

Gross amounts (20 % VAT):

* FA-1, customer X, 15 Jan, 1 200 due 14 Feb; 200 paid on 1 Mar → 1 000 open, 136 days late;
* FA-2, customer W, 1 Mar, 120, paid 170 on 10 Mar → 50 of credit left;
* FA-3, customer Y, 1 Apr, 2 400 in two halves: net 30 (1 May, 60 days late) and net 90
  (30 Jun: due today, not late);
* FA-4, customer X, 1 May, 600 due 31 May → 30 days late;
* FA-5, customer Z, 15 Jun, 360 due 15 Jul, covered by a direct debit submitted on 28 Jun
  and not cleared yet (pending).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from facturlib import (
    DueRule,
    DunningPolicy,
    DunningRecord,
    Invoice,
    Line,
    Payment,
    PaymentMethod,
    PaymentTerms,
    ReportError,
    TermPart,
    aged_balance,
    cash_in_forecast,
    customer_balances,
    dso,
    issue,
    late_customers,
    settle,
    to_money,
)
from facturlib.core.numbering import NumberingScheme, SequenceState
from facturlib.core.vat import FR_STANDARD
from facturlib.testing.builders import sample_buyer, sample_seller

ON = date(2025, 6, 30)
SCHEME = NumberingScheme(pattern="FA-{seq}", reset="never")
HALVES = PaymentTerms(
    parts=[TermPart(percent=50, due=DueRule.net(30)), TermPart(due=DueRule.net(90))]
)


def draft(key: str, net: str, due: date, name: str | None = None) -> Invoice:
    return Invoice(
        seller=sample_seller(),
        buyer=sample_buyer(id=key, name=name or f"Client {key}"),
        currency="EUR",
        lines=[
            Line(
                description="Service", quantity=1, unit_price=to_money(net, "EUR"), vat=FR_STANDARD
            )
        ],
        due_date=due,
    )


def documents() -> list[Invoice]:
    state = SequenceState()
    made = []
    for key, net, day, due in [
        ("X", "1000.00", date(2025, 1, 15), date(2025, 2, 14)),
        ("W", "100.00", date(2025, 3, 1), date(2025, 3, 31)),
        ("Y", "2000.00", date(2025, 4, 1), date(2025, 6, 30)),
        ("X", "500.00", date(2025, 5, 1), date(2025, 5, 31)),
        ("Z", "300.00", date(2025, 6, 15), date(2025, 7, 15)),
    ]:
        invoice, state = issue(draft(key, net, due), SCHEME, state, on=day)
        made.append(invoice)
    return made


def payments() -> list[Payment]:
    return [
        Payment(id="P1", customer="X", amount=to_money("200.00", "EUR"), date=date(2025, 3, 1)),
        Payment(id="P2", customer="W", amount=to_money("170.00", "EUR"), date=date(2025, 3, 10)),
        Payment(
            id="DD1",
            customer="Z",
            amount=to_money("360.00", "EUR"),
            date=date(2025, 6, 28),
            method=PaymentMethod.SEPA_DIRECT_DEBIT,
            pending=True,
        ),
    ]


def settlement() -> object:
    return settle(documents(), payments(), on=ON)


TERMS = {"FA-3": HALVES}


class TestAgedBalance:
    def test_by_hand(self) -> None:
        """X: 1 000 over 90 days, 600 at 1–30; Y: 1 200 at 31–60, 1 200 not due; W: credit."""
        table = aged_balance(settlement(), terms=TERMS)
        zero = Decimal(0)
        assert [
            ("W", zero, zero, zero, zero, zero, zero, Decimal("50.00")),
            (
                "X",
                zero,
                Decimal("600.00"),
                zero,
                zero,
                Decimal("1000.00"),
                Decimal("1600.00"),
                zero,
            ),
            (
                "Y",
                Decimal("1200.00"),
                zero,
                Decimal("1200.00"),
                zero,
                zero,
                Decimal("2400.00"),
                zero,
            ),
        ] == [(r[0], *r[2:]) for r in table.rows]

    def test_buckets_sum_to_total_outstanding(self) -> None:
        """Σ buckets = Σ totals = Σ what nothing covers in the customer balances."""
        table = aged_balance(settlement(), terms=TERMS)
        buckets = [
            c.name for c in table.columns if c.name == "not_due" or c.name.startswith("days")
        ]
        assert table.total("total") == sum((table.total(b) for b in buckets), Decimal(0))
        due = sum((b.due.amount for b in customer_balances(settlement(), terms=TERMS)), Decimal(0))
        assert due == table.total("total")

    def test_without_terms(self) -> None:
        """Without its terms, FA-3 is due in full on its due date (30 June): not late."""
        table = aged_balance(settlement())
        assert Decimal("2400.00") == table.where(customer="Y").rows[0][table.index("not_due")]

    def test_configurable_buckets(self) -> None:
        """Two buckets: up to 45 days, then over 45."""
        table = aged_balance(settlement(), terms=TERMS, buckets=(45,))
        assert ["days_1_45", "days_over_45"] == [c.name for c in table.columns][3:5]
        assert (Decimal("600.00"), Decimal("2200.00")) == (
            table.total("days_1_45"),
            table.total("days_over_45"),
        )

    @pytest.mark.parametrize("buckets", [(), (60, 30), (0, 30), ("30",), (30, 30)])
    def test_bad_buckets(self, buckets: tuple[object, ...]) -> None:
        """Buckets are increasing whole numbers of days."""
        with pytest.raises(ReportError, match="buckets"):
            aged_balance(settlement(), buckets=buckets)  # type: ignore[arg-type]

    def test_not_a_settlement(self) -> None:
        """The input is a Settlement, and the error says how to get one."""
        with pytest.raises(ReportError, match="settle"):
            aged_balance(documents())  # type: ignore[arg-type]


class TestLateCustomers:
    def test_by_hand(self) -> None:
        """X, 136 days late, reached level 2; Y, 60 days late, was never chased."""
        history = [
            DunningRecord(invoice_number="FA-1", level=1, date=date(2025, 2, 21)),
            DunningRecord(invoice_number="FA-1", level=2, date=date(2025, 3, 10)),
            DunningRecord(invoice_number="FA-4", level=3, date=date(2025, 7, 10)),  # after ON
        ]
        table = late_customers(
            settlement(), history=history, policy=DunningPolicy.french_default(), terms=TERMS
        )
        assert [
            {
                "customer": "X",
                "name": "Client X",
                "overdue": Decimal("1600.00"),
                "invoices": 2,
                "oldest_due": date(2025, 2, 14),
                "days_overdue": 136,
                "level": 2,
                "step": DunningPolicy.french_default().levels[1].name,
            },
            {
                "customer": "Y",
                "name": "Client Y",
                "overdue": Decimal("1200.00"),
                "invoices": 1,
                "oldest_due": date(2025, 5, 1),
                "days_overdue": 60,
                "level": 0,
                "step": None,
            },
        ] == list(table.to_records())


class TestDso:
    def test_by_hand(self) -> None:
        """Receivables 4 310 (4 360 unpaid, pending debit included, minus W's 50 of credit)
        over sales of 4 680 in 360 days: 4 310 ÷ 4 680 × 360 = 331.5 days."""
        assert Decimal("331.5") == dso(documents(), settlement())

    def test_window(self) -> None:
        """Over 91 days (1 Apr to 30 Jun), FA-3, FA-4 and FA-5 are the sales (3 360):
        4 310 ÷ 3 360 × 91 = 116.7."""
        assert Decimal("116.7") == dso(documents(), settlement(), days=91)

    def test_no_sales(self) -> None:
        """No sales in the window: 0."""
        assert Decimal("0.0") == dso([], settlement(), days=1)

    def test_bad_days(self) -> None:
        """The window is a positive whole number of days."""
        with pytest.raises(ReportError, match="days"):
            dso(documents(), settlement(), days=0)


class TestCashInForecast:
    def test_by_hand(self) -> None:
        """June: 2 800 overdue, Y's second half due today, Z's pending debit; July: a draft."""
        coming = draft("X", "200.00", date(2025, 7, 31))
        table = cash_in_forecast(settlement(), months=3, terms=TERMS, drafts=[coming])
        assert [
            (
                Decimal("2800.00"),
                Decimal("1200.00"),
                Decimal("360.00"),
                Decimal(0),
                Decimal("4360.00"),
            ),
            (Decimal(0), Decimal(0), Decimal(0), Decimal("240.00"), Decimal("240.00")),
            (Decimal(0), Decimal(0), Decimal(0), Decimal(0), Decimal(0)),
        ] == [row[1:] for row in table.rows]

    def test_covers_everything_unpaid(self) -> None:
        """Over a long enough window, the forecast is Σ unpaid (due + pending)."""
        table = cash_in_forecast(settlement(), months=12, terms=TERMS)
        unpaid = sum(
            (b.due.amount + b.pending.amount for b in customer_balances(settlement())),
            Decimal(0),
        )
        assert unpaid == table.total("total")
