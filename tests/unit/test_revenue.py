"""Revenue invoiced, the forecast and the invoices to issue, on documents worked by hand.

Issued (20 % VAT, amounts excluding VAT):

* FA-1, 10 Jan 2025, customer X: Audit 2 × 500 + Book 1 × 300 = 1 300;
* AC-1, 20 Jan 2025, customer Y: a deposit invoice of 1 000 (an advance, not revenue);
* FA-2, 5 Feb 2025, customer Y: Audit 1 × 500 + shipping charged 20 = 520;
* AV-1, 20 Feb 2025: credit note of FA-1's book, −300;
* the subscription S (customer Z, €100/month from 1 Jan 2025): January and February issued.

To come: S from March; a milestone plan on a €2 000 order for Y, 30 % on 15 March and
70 % on 15 April; a pre-billing engagement for W, €1 200 a year (100 a month) from
1 January 2025.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from facturlib import (
    BillingPlan,
    ChartOfAccounts,
    DocumentCharge,
    Engagement,
    FlatFeeMission,
    Milestone,
    Order,
    Period,
    Portfolio,
    Product,
    ReportError,
    RevenueKind,
    Subscription,
    SubscriptionItem,
    UnitMission,
    Usage,
    credit_note,
    forecast,
    invoices_to_issue,
    issue,
    milestone_invoices,
    revenue,
    schedule,
    to_money,
)
from facturlib.core.documents import Invoice
from facturlib.core.numbering import NumberingScheme, SequenceState
from facturlib.core.vat import FR_STANDARD
from facturlib.projects.deposits import deposit_invoice
from facturlib.testing.builders import sample_buyer, sample_seller

INVOICES = NumberingScheme(pattern="FA-{seq}", reset="never")
DEPOSITS = NumberingScheme(pattern="AC-{seq}", reset="never")
SUBSCRIPTIONS = NumberingScheme(pattern="AB-{seq}", reset="never")
CREDITS = NumberingScheme(pattern="AV-{seq}", reset="never")
AUDIT = Product(name="Audit", unit_price=to_money("500.00", "EUR"), vat=FR_STANDARD, id="AUD")
BOOK = Product(name="Book", unit_price=to_money("300.00", "EUR"), vat=FR_STANDARD, id="BOOK")
CHART = ChartOfAccounts().with_product("BOOK", kind=RevenueKind.GOODS)


def buyer(key: str) -> object:
    return sample_buyer(id=key, name=f"Client {key}")


def invoice(key: str, *lines: object, **fields: object) -> Invoice:
    return Invoice(
        seller=sample_seller(),
        buyer=buyer(key),
        currency="EUR",
        lines=lines,
        due_date=date(2025, 3, 31),
        **fields,
    )


def subscription() -> Subscription:
    item = SubscriptionItem(
        product=Product(name="Plan", unit_price=to_money("100.00", "EUR"), vat=FR_STANDARD, id="P")
    )
    return Subscription(
        reference="S-1",
        seller=sample_seller(),
        buyer=buyer("Z"),
        currency="EUR",
        items=[item],
        start=date(2025, 1, 1),
    )


def order() -> Order:
    return Order(
        seller=sample_seller(),
        buyer=buyer("Y"),
        currency="EUR",
        number="BC-1",
        lines=[AUDIT.line(4)],
    )


def issued() -> list[Invoice]:
    fa1, s1 = issue(
        invoice("X", AUDIT.line(2), BOOK.line(1)), INVOICES, SequenceState(), on=date(2025, 1, 10)
    )
    ac1, _ = issue(
        deposit_invoice(order(), amount=to_money("1000.00", "EUR"), due_date=date(2025, 1, 30)),
        DEPOSITS,
        SequenceState(),
        on=date(2025, 1, 20),
    )
    shipping = DocumentCharge(amount=to_money("20.00", "EUR"), vat=FR_STANDARD, reason="Port")
    fa2, s1 = issue(
        invoice("Y", AUDIT.line(1), charges=[shipping]), INVOICES, s1, on=date(2025, 2, 5)
    )
    av1, _ = issue(credit_note(fa1, lines={"2": 1}), CREDITS, SequenceState(), on=date(2025, 2, 20))
    documents = [fa1, ac1, fa2, av1]
    state = SequenceState()
    for draft in schedule(subscription(), until=date(2025, 3, 1)):
        done, state = issue(draft, SUBSCRIPTIONS, state, on=draft.issue_date)
        documents.append(done)
    return documents


def plan_drafts() -> tuple[Invoice, ...]:
    plan = BillingPlan(
        milestones=[
            Milestone(label="Lancement", percent="30", on=date(2025, 3, 15)),
            Milestone(label="Livraison", percent="70", kind="balance", on=date(2025, 4, 15)),
        ]
    )
    return milestone_invoices(order(), plan)


def engagements() -> Portfolio:
    fee = FlatFeeMission(
        id="TENUE", label="Tenue comptable", annual_fee=to_money("1200.00", "EUR"), vat=FR_STANDARD
    )
    engagement = Engagement(
        id="LM-1",
        client=buyer("W"),
        fiscal_year=Period(date(2025, 1, 1), date(2026, 1, 1)),
        missions=[fee],
    )
    return Portfolio(seller=sample_seller(), engagements=[engagement])


WINDOW = {"start": date(2025, 1, 1), "end": date(2025, 4, 1)}


class TestRevenue:
    def test_by_customer_with_shares(self) -> None:
        """X: 1 300 − 300; Y: 520 (the deposit is an advance); Z: 2 × 100; shares of 1 720."""
        table = revenue(issued(), **WINDOW)
        assert [
            {"customer": "X", "amount": Decimal("1000.00"), "share": Decimal("58.14")},
            {"customer": "Y", "amount": Decimal("520.00"), "share": Decimal("30.23")},
            {"customer": "Z", "amount": Decimal("200.00"), "share": Decimal("11.63")},
        ] == list(table.to_records())

    def test_shares_add_up_to_100(self) -> None:
        """The shares are an exact split of 100.00."""
        assert Decimal("100.00") == revenue(issued(), **WINDOW).total("share")

    def test_by_product(self) -> None:
        """The book is credited back to zero; the shipping counts as (charges)."""
        table = revenue(issued(), **WINDOW, by="product")
        assert {
            "(charges)": Decimal("20.00"),
            "AUD": Decimal("1500.00"),
            "BOOK": Decimal("0.00"),
            "P": Decimal("200.00"),
        } == {r["product"]: r["amount"] for r in table.to_records()}

    def test_by_account(self) -> None:
        """Services on 706, the book (goods) on 707, shipping on 7085, as the journal books them."""
        table = revenue(issued(), **WINDOW, by="account", chart=CHART)
        assert {
            "706000": Decimal("1700.00"),
            "707000": Decimal("0.00"),
            "708500": Decimal("20.00"),
        } == {r["account"]: r["amount"] for r in table.to_records()}

    def test_by_month(self) -> None:
        """January: 1 300 + 100; February: 520 − 300 + 100."""
        table = revenue(issued(), **WINDOW, by=("month",))
        assert [Decimal("1400.00"), Decimal("320.00")] == list(table.column("amount"))

    def test_by_customer_and_month(self) -> None:
        """Dimensions combine; the total is the same."""
        table = revenue(issued(), **WINDOW, by=("customer", "month"))
        assert (5, Decimal("1720.00")) == (len(table), table.total("amount"))

    def test_drafts_are_ignored(self) -> None:
        """Only issued documents are revenue."""
        table = revenue([*issued(), *plan_drafts()], **WINDOW)
        assert Decimal("1720.00") == table.total("amount")

    def test_window_order(self) -> None:
        """The end must come after the start."""
        with pytest.raises(ReportError, match="after the start"):
            revenue(issued(), start=date(2025, 4, 1), end=date(2025, 1, 1))


class TestForecast:
    def table(self) -> object:
        return forecast(
            start=date(2025, 1, 1),
            months=4,
            issued=issued(),
            drafts=plan_drafts(),
            subscriptions=[subscription()],
            engagements=engagements(),
        )

    def test_by_hand(self) -> None:
        """Issued Jan 1 400, Feb 320; to come: S 100, the engagement 100 a month, the plan
        600 in March and 1 400 in April."""
        records = self.table().to_records()  # type: ignore[attr-defined]
        assert [
            (Decimal("1400.00"), Decimal("100.00")),
            (Decimal("320.00"), Decimal("100.00")),
            (Decimal("0"), Decimal("800.00")),
            (Decimal("0"), Decimal("1600.00")),
        ] == [(r["issued"], r["to_come"]) for r in records]

    def test_expected_usage_of_unit_missions(self) -> None:
        """20 payslips at 25.50 expected in March: 510.00 to come in March, nothing before."""
        payslips = UnitMission(
            id="paie", label="Bulletins", unit_price=to_money("25.50", "EUR"), vat=FR_STANDARD
        )
        book = Portfolio(
            seller=sample_seller(),
            engagements=[
                Engagement(
                    id="LM-2",
                    client=buyer("V"),
                    fiscal_year=Period(date(2025, 1, 1), date(2026, 1, 1)),
                    missions=[payslips],
                )
            ],
        )
        table = forecast(
            start=date(2025, 1, 1),
            months=3,
            engagements=book,
            usage={date(2025, 3, 15): [Usage(engagement="LM-2", mission="paie", quantity=20)]},
        )
        assert [Decimal("0"), Decimal("0"), Decimal("510.00")] == list(table.column("to_come"))

    def test_usage_of_an_unknown_mission(self) -> None:
        """Usage the engagements cannot bill names the month and what is wrong."""
        with pytest.raises(ReportError, match="usage of 2025-02 cannot be billed") as info:
            forecast(
                start=date(2025, 1, 1),
                months=3,
                engagements=engagements(),
                usage={date(2025, 2, 1): [Usage(engagement="LM-1", mission="X", quantity=1)]},
            )
        assert "usage[2025-02-01]" == info.value.field

    def test_usage_without_engagements(self) -> None:
        """Expected usage needs the engagements it is for."""
        with pytest.raises(ReportError, match="without the engagements"):
            forecast(
                start=date(2025, 1, 1),
                months=1,
                usage={date(2025, 1, 1): [Usage(engagement="LM-1", mission="X", quantity=1)]},
            )

    def test_month_is_the_sum_of_its_documents(self) -> None:
        """Each month's total = Σ of the documents dated in it (issued and to come)."""
        table = self.table()
        detail = invoices_to_issue(
            start=date(2025, 1, 1),
            months=4,
            issued=issued(),
            drafts=plan_drafts(),
            subscriptions=[subscription()],
            engagements=engagements(),
            detail=True,
        )
        for record in table.to_records():  # type: ignore[attr-defined]
            month = record["month"]
            done = sum(
                (
                    (-1 if d.kind.code == "381" else 1) * d.totals().bt109
                    for d in issued()
                    if d.kind.code != "386" and d.issue_date.replace(day=1) == month
                ),
                Decimal(0),
            )
            coming = sum((r["net"] for r in detail.to_records() if r["month"] == month), Decimal(0))
            assert done + coming == record["total"]

    def test_issued_periods_are_not_scheduled_again(self) -> None:
        """S's January and February are issued: they are not "to come" as well."""
        table = forecast(
            start=date(2025, 1, 1), months=2, issued=issued(), subscriptions=[subscription()]
        )
        assert [Decimal(0), Decimal(0)] == list(table.column("to_come"))

    def test_draft_among_issued(self) -> None:
        """A draft passed as issued is refused."""
        with pytest.raises(ReportError, match="draft among the issued"):
            forecast(start=date(2025, 1, 1), months=2, issued=plan_drafts())


class TestInvoicesToIssue:
    def test_by_month(self) -> None:
        """March: S, the engagement, the first milestone; April: the same with the balance."""
        table = invoices_to_issue(
            start=date(2025, 3, 1),
            months=2,
            issued=issued(),
            drafts=plan_drafts(),
            subscriptions=[subscription()],
            engagements=engagements(),
        )
        assert [
            {
                "month": date(2025, 3, 1),
                "documents": 3,
                "net": Decimal("800.00"),
                "vat": Decimal("160.00"),
                "gross": Decimal("960.00"),
            },
            {
                "month": date(2025, 4, 1),
                "documents": 3,
                "net": Decimal("1600.00"),
                "vat": Decimal("320.00"),
                "gross": Decimal("1920.00"),
            },
        ] == list(table.to_records())

    def test_detail(self) -> None:
        """One row per document, with where it comes from."""
        table = invoices_to_issue(
            start=date(2025, 3, 1),
            months=1,
            issued=issued(),
            drafts=plan_drafts(),
            subscriptions=[subscription()],
            engagements=engagements(),
            detail=True,
        )
        assert [
            (date(2025, 3, 1), "Z", "subscription"),
            (date(2025, 3, 15), "Y", "draft"),
            (date(2025, 3, 31), "W", "engagement"),
        ] == [(r["date"], r["customer"], r["source"]) for r in table.to_records()]
