"""Tests for facturlib.projects.deals: deal_status and DealStatus."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from facturlib.core._codes import DocumentKind
from facturlib.core.credit_notes import credit_note
from facturlib.core.documents import Order
from facturlib.core.errors import BillingPlanError, CurrencyMismatch
from facturlib.core.issuing import issue
from facturlib.core.lines import Line
from facturlib.core.money import Money, to_money
from facturlib.core.numbering import NumberingScheme, SequenceState
from facturlib.core.vat import FR_STANDARD
from facturlib.projects.deals import DealStatus, deal_status
from facturlib.projects.deposits import deposit_invoice, final_invoice
from facturlib.testing.builders import sample_buyer, sample_invoice, sample_seller

ON = date(2025, 1, 10)
SCHEME = NumberingScheme(pattern="FA-{yyyy}-{seq:04}")


def eur(amount: str) -> Money:
    return to_money(amount, "EUR")


def order() -> Order:
    return Order(
        seller=sample_seller(),
        buyer=sample_buyer(),
        currency="EUR",
        number="BC-42",
        lines=[Line(description="Site", quantity=1, unit_price=eur("10000.00"), vat=FR_STANDARD)],
    )


def issue_all(*drafts):
    state = SequenceState()
    result = []
    for draft in drafts:
        invoice, state = issue(draft, SCHEME, state, ON, due_date=ON)
        result.append(invoice)
    return result


class TestDealStatus:
    def test_nothing_billed_reads_zero_with_cents(self) -> None:
        """Before any document, issued and draft are 0.00 (the currency's decimals)."""
        status = deal_status(order(), [])
        assert ("0.00", "0.00") == (str(status.issued.amount), str(status.draft.amount))

    def test_zero_deal_has_no_percent(self) -> None:
        """A zero amount gives no percentage."""
        status = DealStatus(amount=eur("0"), issued=eur("0"), draft=eur("0"))

        assert (None, None) == (status.issued_percent, status.invoiced_percent)

    def test_over_invoiced(self) -> None:
        """Remaining is negative when the deal is over-invoiced."""
        status = DealStatus(amount=eur("100"), issued=eur("120"), draft=eur("0"))

        assert (eur("-20"), Decimal("120.00")) == (status.remaining, status.issued_percent)


class TestDealStatusFunction:
    def test_deposit_and_final_counted_once(self) -> None:
        """A final invoice deducting its deposit counts the deposit once."""
        deal = order()
        [deposit] = issue_all(deposit_invoice(deal, percent="30"))
        final = final_invoice(deal, [deposit])
        status = deal_status(deal, [deposit, final])

        assert (eur("3000.00"), eur("7000.00"), eur("0.00")) == (
            status.issued,
            status.draft,
            status.remaining,
        )
        assert (Decimal("30.00"), Decimal("100.00")) == (
            status.issued_percent,
            status.invoiced_percent,
        )

    def test_credit_notes_deducted(self) -> None:
        """An issued credit note reduces what is invoiced."""
        deal = order()
        [deposit] = issue_all(deposit_invoice(deal, percent="50"))
        note = credit_note(deposit, ratio="0.2")
        status = deal_status(deal, [deposit, note])

        assert (eur("5000.00"), eur("-1000.00"), eur("6000.00")) == (
            status.issued,
            status.draft,
            status.remaining,
        )

    def test_with_vat(self) -> None:
        """includes_vat tracks totals including VAT."""
        deal = order()
        status = deal_status(deal, [deposit_invoice(deal, percent="30")], includes_vat=True)

        assert (eur("12000.00"), eur("3600.00"), eur("8400.00")) == (
            status.amount,
            status.draft,
            status.remaining,
        )

    def test_opportunity_amount(self) -> None:
        """An opportunity amount is tracked like a deal; proformas are left out."""
        proforma = sample_invoice(kind=DocumentKind.PROFORMA)
        status = deal_status(eur("4800.00"), [sample_invoice(), proforma])

        assert (eur("1200.00"), 1, Decimal("25.00")) == (
            status.draft,
            status.documents,
            status.invoiced_percent,
        )

    def test_bad_deal(self) -> None:
        """A deal is a quote, an order or Money."""
        with pytest.raises(BillingPlanError, match="Money"):
            deal_status("10000", [])  # type: ignore[arg-type]

    def test_bad_document(self) -> None:
        """Documents are invoices."""
        with pytest.raises(BillingPlanError, match="Invoice"):
            deal_status(order(), [order()])  # type: ignore[list-item]

    def test_other_currency(self) -> None:
        """A document in another currency is refused."""
        with pytest.raises(CurrencyMismatch):
            deal_status(to_money("10", "USD"), [sample_invoice()])
