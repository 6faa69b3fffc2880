"""Tests for facturlib.core.orders: orders invoiced in parts (Order.to_invoice, Order.progress)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from facturlib.core.credit_notes import credit_note
from facturlib.core.deliveries import delivery_note, invoice_deliveries
from facturlib.core.documents import DocumentKind, Invoice, Order
from facturlib.core.errors import DocumentError, InvalidValue
from facturlib.core.issuing import issue
from facturlib.core.lines import Discount, DocumentCharge, Line
from facturlib.core.money import Money, to_money
from facturlib.core.numbering import SequenceState
from facturlib.core.vat import FR_REDUCED, FR_STANDARD
from facturlib.einvoice.cii import to_cii
from facturlib.projects.deals import deal_status
from facturlib.testing.builders import sample_buyer, sample_scheme, sample_seller


def eur(amount: str) -> Money:
    return to_money(amount, "EUR")


def order(**overrides: object) -> Order:
    """BC-42: 10 chairs at 45.00, 2 tables at 310.00 (20 %), 4 books at 12.50 (5.5 %),
    15.00 shipping (20 %): 1 135.00 HT, 1 354.75 TTC."""
    fields: dict[str, object] = {
        "seller": sample_seller(),
        "buyer": sample_buyer(),
        "currency": "EUR",
        "number": "BC-42",
        "issue_date": date(2025, 1, 10),
        "purchase_order": "PO-7781",
        "lines": (
            Line(description="Chaise", quantity="10", unit_price=eur("45.00"), vat=FR_STANDARD),
            Line(description="Table", quantity="2", unit_price=eur("310.00"), vat=FR_STANDARD),
            Line(description="Livre", quantity="4", unit_price=eur("12.50"), vat=FR_REDUCED),
        ),
        "charges": (DocumentCharge(amount=eur("15.00"), vat=FR_STANDARD, reason="Port"),),
    }
    fields.update(overrides)
    return Order(**fields)  # type: ignore[arg-type]


def issued(draft: Invoice, state: SequenceState, on: date) -> tuple[Invoice, SequenceState]:
    return issue(draft, sample_scheme(), state, on=on)


class TestToInvoiceInParts:
    def test_first_delivery(self) -> None:
        """4 chairs and the books: 180.00 (20 %) + 50.00 (5.5 %) + the shipping's share of
        the 20 % lines, 15.00 × 180 / 1 070 = 2.52: 232.52 HT, VAT 36.50 + 2.75, 271.77 TTC."""
        first = order().to_invoice(quantities={"1": 4, "3": 4})

        assert [("1", Decimal(4)), ("3", Decimal(4))] == [
            (line.id, line.quantity) for line in first.lines
        ]
        assert (DocumentCharge(amount=eur("2.52"), vat=FR_STANDARD, reason="Port"),) == (
            first.charges
        )
        assert (eur("232.52"), eur("39.25"), eur("271.77")) == (
            first.totals().tax_exclusive_total,
            first.totals().vat_total,
            first.totals().tax_inclusive_total,
        )

    def test_second_delivery_completes(self) -> None:
        """The rest (6 chairs, 2 tables: 890.00) with the rest of the shipping, 15.00 − 2.52
        = 12.48: 902.48 HT, 1 082.98 TTC; the parts add up to the order's 1 354.75 TTC."""
        source = order()
        first = source.to_invoice(quantities={"1": 4, "3": 4})
        second = source.to_invoice(invoiced=[first])

        assert [("1", Decimal(6)), ("2", Decimal(2))] == [
            (line.id, line.quantity) for line in second.lines
        ]
        assert (DocumentCharge(amount=eur("12.48"), vat=FR_STANDARD, reason="Port"),) == (
            second.charges
        )
        assert eur("1082.98") == second.totals().tax_inclusive_total
        assert source.totals().tax_inclusive_total == (
            first.totals().tax_inclusive_total + second.totals().tax_inclusive_total
        )

    def test_lines_pick_whole_remainders(self) -> None:
        """lines=[…] invoices what remains of the lines named."""
        source = order()
        first = source.to_invoice(quantities={"1": 4})
        second = source.to_invoice(lines=["1", "2"], invoiced=[first])

        assert [Decimal(6), Decimal(2)] == [line.quantity for line in second.lines]

    def test_links_kept(self) -> None:
        """A part keeps BT-13, BT-14 and the order line ids as source_line."""
        part = order().to_invoice(quantities={"2": 1})

        assert ("PO-7781", "BC-42", [("2", "2")]) == (
            part.purchase_order,
            part.order_reference,
            [(line.id, line.source_line) for line in part.lines],
        )

    def test_beyond_the_order(self) -> None:
        """Invoicing 7 chairs when 6 remain is refused, saying what remains."""
        source = order()
        first = source.to_invoice(quantities={"1": 4})
        with pytest.raises(DocumentError) as info:
            source.to_invoice(quantities={"1": 7}, invoiced=[first])

        assert "quantities['1']" == info.value.field
        assert Decimal(7) == info.value.value
        assert "6 that remain of the 10 ordered (4 already invoiced)" in str(info.value)

    def test_twice_in_full(self) -> None:
        """An order invoiced in full cannot be invoiced again (no more 200 % deals)."""
        source = order()
        whole = source.to_invoice()
        with pytest.raises(DocumentError) as info:
            source.to_invoice(invoiced=[whole])

        assert "invoiced in full" in str(info.value)

    def test_unknown_line(self) -> None:
        """An unknown order line id is refused with the known ids."""
        with pytest.raises(DocumentError) as info:
            order().to_invoice(quantities={"9": 1})

        assert "1, 2, 3" in str(info.value)

    def test_zero_quantity(self) -> None:
        """A zero quantity is refused: leave the line out."""
        with pytest.raises(DocumentError):
            order().to_invoice(quantities={"1": 0})

    def test_float_refused(self) -> None:
        """A float quantity is refused like everywhere in facturlib."""
        with pytest.raises(InvalidValue):
            order().to_invoice(quantities={"1": 1.5})

    def test_quantities_must_be_a_mapping(self) -> None:
        """quantities is a mapping of order line id → quantity."""
        with pytest.raises(InvalidValue) as info:
            order().to_invoice(quantities=[("1", 1)])  # type: ignore[arg-type]

        assert "quantities" == info.value.field

    def test_whole_order_unchanged(self) -> None:
        """Selecting every line in full gives exactly the whole-order invoice."""
        source = order()

        assert source.to_invoice() == source.to_invoice(lines=["1", "2", "3"])

    def test_input_not_mutated(self) -> None:
        """The caller's mapping is left as it was."""
        quantities = {"1": "4"}
        order().to_invoice(quantities=quantities)

        assert {"1": "4"} == quantities

    def test_global_discount_spread(self) -> None:
        """A 100.00 global discount is spread per rate on the order (95.54 at 20 %, 4.46 at
        5.5 %), then by share: the books (all the 5.5 % lines) carry 4.46, 2 chairs
        round(95.54 × 90 / 1 070) = 8.04."""
        source = order(charges=(), global_discount=Discount(amount=eur("100.00")))
        part = source.to_invoice(quantities={"1": 2, "3": 4})

        assert None is part.global_discount
        assert [(FR_STANDARD, eur("8.04")), (FR_REDUCED, eur("4.46"))] == [
            (a.vat, a.amount) for a in part.allowances
        ]

    def test_tax_inclusive_order_in_one_go(self) -> None:
        """A TTC-priced order is invoiced whole; a part is refused with the reason."""
        source = order(prices_include_vat=True, charges=())
        with pytest.raises(DocumentError) as info:
            source.to_invoice(quantities={"1": 1})

        assert "prices_include_vat" == info.value.field
        assert source.to_invoice().lines == source.to_invoice(lines=["1", "2", "3"]).lines

    def test_other_order_refused(self) -> None:
        """A document of another order cannot count against this one."""
        other = order(number="BC-43").to_invoice()
        with pytest.raises(DocumentError) as info:
            order().to_invoice(invoiced=[other])

        assert "made from order BC-43, not BC-42" in str(info.value)

    def test_percentage_charge_on_every_part(self) -> None:
        """A 10 % charge on the 20 % lines (107.00 on the order) is carried by share:
        2 chairs (90.00 of 1 070.00) carry 9.00, and so do the next 2."""
        handling = DocumentCharge(percent="10", vat=FR_STANDARD, reason="Manutention")
        source = order(charges=(handling,))
        first = source.to_invoice(quantities={"1": 2})
        second = source.to_invoice(quantities={"1": 2}, invoiced=[first])

        assert (eur("9.00"), eur("9.00")) == (
            first.totals().charge_total,
            second.totals().charge_total,
        )


class TestRoundingAcrossParts:
    def test_parts_add_up_to_the_line(self) -> None:
        """3 × 0.125 = 0.38 on the order; parts of 1 give 0.13 + 0.13, and the last one
        0.13 − 0.01 (an allowance "Ajustement d'arrondi de la commande") = 0.12."""
        line = Line(description="Vis", quantity="3", unit_price=eur("0.125"), vat=FR_STANDARD)
        source = order(lines=(line,), charges=())
        first = source.to_invoice(quantities={"1": 1})
        second = source.to_invoice(quantities={"1": 1}, invoiced=[first])
        third = source.to_invoice(invoiced=[first, second])

        assert [Decimal("0.38")] == list(source.totals().line_nets)
        assert [Decimal("0.13"), Decimal("0.13"), Decimal("0.12")] == [
            doc.totals().line_nets[0] for doc in (first, second, third)
        ]
        assert (Discount(amount=eur("0.01"), reason="Ajustement d'arrondi de la commande"),) == (
            third.lines[0].discounts
        )

    def test_fixed_line_discount_prorated(self) -> None:
        """A 10.00 discount on 3 chairs (135.00 − 10.00 = 125.00) is prorated: 3.33 on one
        chair (41.67), and the part that completes the line lands on 125.00."""
        line = Line(
            description="Chaise",
            quantity="3",
            unit_price=eur("45.00"),
            vat=FR_STANDARD,
            discounts=(Discount(amount=eur("10.00")),),
        )
        source = order(lines=(line,), charges=())
        first = source.to_invoice(quantities={"1": 1})
        second = source.to_invoice(invoiced=[first])

        assert (Decimal("41.67"), Decimal("83.33")) == (
            first.totals().line_nets[0],
            second.totals().line_nets[0],
        )


class TestProgress:
    def test_figures(self) -> None:
        """After 4 chairs and the books: chairs 4/10 (180.00 of 450.00), tables 0/2, books done."""
        source = order()
        progress = source.progress([source.to_invoice(quantities={"1": 4, "3": 4})])

        assert [
            ("1", Decimal(4), Decimal(6), eur("180.00"), eur("270.00")),
            ("2", Decimal(0), Decimal(2), eur("0.00"), eur("620.00")),
            ("3", Decimal(4), Decimal(0), eur("50.00"), eur("0.00")),
        ] == [
            (p.line_id, p.invoiced, p.remaining, p.invoiced_amount, p.remaining_amount)
            for p in progress.lines
        ]
        assert {"1": Decimal(6), "2": Decimal(2)} == progress.remaining_quantities
        assert (1, False, eur("230.00"), eur("890.00")) == (
            progress.documents,
            progress.is_fully_invoiced,
            progress.invoiced_amount,
            progress.remaining_amount,
        )

    def test_by_vat_rate(self) -> None:
        """Per rate: 20 % 1 070.00 ordered, 180.00 invoiced; 5.5 % 50.00 and 50.00."""
        source = order()
        progress = source.progress([source.to_invoice(quantities={"1": 4, "3": 4})])

        assert [
            (FR_STANDARD, eur("1070.00"), eur("180.00")),
            (FR_REDUCED, eur("50.00"), eur("50.00")),
        ] == list(progress.by_vat_rate())

    def test_credit_note_gives_back(self) -> None:
        """A returned chair (credit note of 1 on the first invoice) can be invoiced again."""
        source = order()
        first, state = issued(
            source.to_invoice(quantities={"1": 4}, due_date=date(2025, 2, 20)),
            SequenceState(),
            date(2025, 1, 20),
        )
        back, _ = issued(credit_note(first, lines={"1": 1}), state, date(2025, 1, 25))
        progress = source.progress([first, back])

        assert (Decimal(3), Decimal(7), eur("135.00")) == (
            progress.line("1").invoiced,
            progress.line("1").remaining,
            progress.line("1").invoiced_amount,
        )

    def test_credit_note_needs_its_invoice(self) -> None:
        """A credit note whose invoice is not passed is refused with a hint."""
        source = order()
        first, _state = issued(
            source.to_invoice(due_date=date(2025, 2, 20)), SequenceState(), date(2025, 1, 20)
        )
        back = credit_note(first, lines={"1": 1})
        with pytest.raises(DocumentError) as info:
            source.progress([back])

        assert "pass the invoice it corrects" in str(info.value)

    def test_deposits_and_proformas_skipped(self) -> None:
        """Deposit invoices and proformas bill no quantity."""
        source = order()
        proforma = source.to_invoice(kind=DocumentKind.PROFORMA)

        assert (0, Decimal(0)) == (
            source.progress([proforma]).documents,
            source.progress([proforma]).line("1").invoiced,
        )

    def test_over_invoiced_flagged(self) -> None:
        """Two whole invoices made without invoiced=… are flagged, here and by deal_status."""
        source = order()
        twice = [source.to_invoice(), source.to_invoice()]

        assert source.progress(twice).is_over_invoiced
        assert deal_status(source, twice).over_invoiced
        assert not deal_status(source, twice[:1]).over_invoiced

    def test_unknown_line(self) -> None:
        """Asking for a line the order lacks says which ids it has."""
        with pytest.raises(DocumentError):
            order().progress().line("7")

    def test_not_an_invoice(self) -> None:
        """Only invoices and credit notes are accepted."""
        with pytest.raises(DocumentError):
            order().progress([order()])  # type: ignore[list-item]


class TestEInvoices:
    def test_parts_are_valid_e_invoices(
        self, tmp_path: Path, validate: Callable[..., dict[str, list[dict[str, object]]]]
    ) -> None:
        """Both invoices of an order in two deliveries — a shipping share, a rounding
        allowance on a line, the rest of the shipping — and an invoice of two delivery
        notes pass the CII validator with the French rules (EN 16931 profile): zero errors."""
        screws = Line(description="Vis", quantity="2", unit_price=eur("0.125"), vat=FR_STANDARD)
        source = order(lines=(*order().lines, screws))
        state = SequenceState()
        first, state = issued(
            source.to_invoice(quantities={"1": 4, "4": 1}, due_date=date(2025, 2, 20)),
            state,
            date(2025, 1, 20),
        )
        second, state = issued(
            source.to_invoice(invoiced=[first], due_date=date(2025, 2, 27)),
            state,
            date(2025, 1, 27),
        )
        other = order(number="BC-43")
        notes = [
            delivery_note(other, number="BL-1", on=date(2025, 1, 20), quantities={"1": 2}),
            delivery_note(other, number="BL-2", on=date(2025, 1, 21), quantities={"3": 1}),
        ]
        third, _ = issued(
            invoice_deliveries(other, notes, due_date=date(2025, 2, 28)), state, date(2025, 1, 31)
        )
        assert Decimal("0.01") == second.lines[-1].discounts[-1].amount.amount
        paths = []
        for invoice in (first, second, third):
            path = tmp_path / f"{invoice.number}.xml"
            path.write_bytes(to_cii(invoice, "EN 16931"))
            paths.append(path)

        findings = validate("facturx.py", paths, fr=True)

        assert 3 == len(findings)
        assert {} == {name: errors for name, errors in findings.items() if errors}
