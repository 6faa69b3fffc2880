"""Tests for facturlib.projects.progress: progress_invoice and progress_billed (DOMAIN.md §6)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from facturlib.core.documents import Order
from facturlib.core.errors import BillingPlanError
from facturlib.core.lines import DocumentCharge, Line
from facturlib.core.money import Money, to_money
from facturlib.core.vat import FR_REDUCED, FR_STANDARD, VatRate
from facturlib.projects.progress import PROGRESS_UNIT, progress_billed, progress_invoice
from facturlib.testing.builders import sample_buyer, sample_invoice, sample_seller


def eur(amount: str) -> Money:
    return to_money(amount, "EUR")


def line(line_id: str, price: str, vat: VatRate = FR_STANDARD) -> Line:
    return Line(
        description=f"Lot {line_id}", quantity=1, unit_price=eur(price), vat=vat, id=line_id
    )


def contract(**fields: object) -> Order:
    """Two lots at 20 % and one at 5.5 %, with amounts that do not divide evenly."""
    return Order(
        seller=sample_seller(),
        buyer=sample_buyer(),
        currency="EUR",
        lines=[line("A", "10000.00"), line("B", "3333.33"), line("C", "777.77", FR_REDUCED)],
        **fields,
    )


def per_rate(documents):
    sums: dict[str, tuple[Decimal, Decimal]] = {}
    for document in documents:
        for vat, t, v in document.totals().vat_groups:
            a, b = sums.get(vat.label, (Decimal(0), Decimal(0)))
            sums[vat.label] = (a + t, b + v)
    return sums


def run(deal: Order, steps) -> list:
    invoices: list = []
    for step in steps:
        invoices.append(progress_invoice(deal, step, previous=invoices))
    return invoices


class TestProgressInvoice:
    def test_10_20_50_100(self) -> None:
        """10 → 20 → 50 → 100 % bills round(cumulative % × line) − billed, then the exact rest."""
        deal = contract()
        invoices = run(deal, ["10", "20", "50", "100"])

        assert [Decimal("1411.11"), Decimal("1411.11"), Decimal("4233.34"), Decimal("7055.54")] == [
            i.totals().bt109 for i in invoices
        ]
        assert per_rate([deal]) == per_rate(invoices)
        assert deal.totals().bt112 == sum(i.totals().bt112 for i in invoices)

    def test_line_reads_like_the_contract(self) -> None:
        """A progress line: quantity in percent (P1), price a hundredth of the line."""
        first = progress_invoice(contract(), {"B": "10"})
        [progress_line] = first.lines

        assert ("B", PROGRESS_UNIT, Decimal(10), eur("33.3333")) == (
            progress_line.source_line,
            progress_line.unit,
            progress_line.quantity,
            progress_line.unit_price,
        )
        assert "Lot B – avancement 0 % → 10 %" == progress_line.description
        assert eur("333.33") == first.totals().lines[0].net

    def test_rounding_absorbed_on_the_line(self) -> None:
        """An 'Arrondi' charge brings the line to the cumulative target."""
        invoices = run(contract(), [{"B": "50"}, {"B": "100"}])

        assert [eur("1666.67"), eur("1666.66")] == [i.totals().lines[0].net for i in invoices]
        assert eur("1666.67") == invoices[1].totals().lines[0].amount
        assert "Arrondi" == invoices[1].lines[0].discounts[0].reason

    def test_per_line_progress(self) -> None:
        """Lines advance independently; lines left out keep their progress."""
        deal = contract()
        first = progress_invoice(deal, {"A": "50"})
        second = progress_invoice(deal, {"C": "100"}, previous=[first])

        assert ["A"] == [ln.source_line for ln in first.lines]
        assert ["C"] == [ln.source_line for ln in second.lines]
        assert {"A": Decimal(50), "B": Decimal(0), "C": Decimal(100)} == progress_billed(
            deal, [first, second]
        )

    def test_decrease_needs_a_credit_note(self) -> None:
        """Progress going down is refused, and the hint says to issue a credit note."""
        deal = contract()
        first = progress_invoice(deal, "50")
        with pytest.raises(BillingPlanError, match="cannot go down") as info:
            progress_invoice(deal, {"A": "40"}, previous=[first])

        assert "credit note" in str(info.value.hint)
        assert "lines['A']" == info.value.field

    def test_no_progress(self) -> None:
        """Asking for the same progress again bills nothing and is refused."""
        deal = contract()
        first = progress_invoice(deal, "50")
        with pytest.raises(BillingPlanError, match="no progress"):
            progress_invoice(deal, "50", previous=[first])

    def test_unknown_line(self) -> None:
        """An unknown line id is refused, listing the ids."""
        with pytest.raises(BillingPlanError, match="no line 'Z'"):
            progress_invoice(contract(), {"Z": "10"})

    @pytest.mark.parametrize("percent", ["-1", "100.5", "10.12345"])
    def test_bad_percent(self, percent: str) -> None:
        """Percentages are between 0 and 100 with at most 4 decimals."""
        with pytest.raises(BillingPlanError):
            progress_invoice(contract(), percent)

    def test_previous_not_progress(self) -> None:
        """An invoice that is not a progress invoice of the contract is refused."""
        with pytest.raises(BillingPlanError, match="progress line"):
            progress_invoice(contract(), "10", previous=[sample_invoice()])

    def test_document_charges_follow_progress(self) -> None:
        """A document charge is billed with the overall progress, fully at 100 %."""
        deal = contract(charges=[DocumentCharge(amount=eur("500.00"), vat=FR_STANDARD)])
        invoices = run(deal, ["25", "60", "100"])

        assert eur("125.00") == invoices[0].totals().charge_total
        assert per_rate([deal]) == per_rate(invoices)

    def test_return_line(self) -> None:
        """A contract line with a negative quantity is billed negatively, by progress."""
        deal = Order(
            seller=sample_seller(),
            buyer=sample_buyer(),
            currency="EUR",
            lines=[
                line("A", "1000.00"),
                Line(
                    description="Reprise",
                    quantity=-1,
                    unit_price=eur("100.01"),
                    vat=FR_STANDARD,
                    id="R",
                ),
            ],
        )
        invoices = run(deal, ["50", "100"])

        assert [Decimal("449.99"), Decimal("450.00")] == [i.totals().bt109 for i in invoices]
        assert {"A": Decimal(100), "R": Decimal(100)} == progress_billed(deal, invoices)


class TestProgressBilled:
    def test_nothing_billed(self) -> None:
        """Without invoices every line is at 0 %."""
        assert {"A": Decimal(0), "B": Decimal(0), "C": Decimal(0)} == progress_billed(
            contract(), []
        )
