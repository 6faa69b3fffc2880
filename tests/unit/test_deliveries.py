"""Tests for facturlib.core.deliveries: delivery notes and invoices built from them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

from facturlib.core.deliveries import (
    DeliveredLine,
    DeliveryNote,
    delivery_note,
    invoice_deliveries,
)
from facturlib.core.documents import DeliverTo, Order, Quote
from facturlib.core.errors import DocumentError
from facturlib.core.lines import Line
from facturlib.core.money import Money, to_money
from facturlib.core.parties import Address
from facturlib.core.serialize import from_dict, to_dict
from facturlib.core.vat import FR_STANDARD
from facturlib.testing.builders import sample_buyer, sample_seller

JAN_20 = date(2025, 1, 20)
JAN_27 = date(2025, 1, 27)


def eur(amount: str) -> Money:
    return to_money(amount, "EUR")


def order() -> Order:
    """BC-42: 10 chairs at 45.00 and 2 tables at 310.00, 20 % (1 070.00 HT, 1 284.00 TTC)."""
    return Order(
        seller=sample_seller(),
        buyer=sample_buyer(),
        currency="EUR",
        number="BC-42",
        purchase_order="PO-7781",
        issue_date=date(2025, 1, 10),
        lines=(
            Line(
                description="Chaise",
                quantity="10",
                unit_price=eur("45.00"),
                vat=FR_STANDARD,
                product_id="CH-1",
            ),
            Line(description="Table", quantity="2", unit_price=eur("310.00"), vat=FR_STANDARD),
        ),
    )


def warehouse() -> DeliverTo:
    return DeliverTo(Address(city="Vénissieux", postal_code="69200", country_code="FR"))


class TestDeliveryNote:
    def test_part(self) -> None:
        """4 chairs delivered: order and PO references kept, product id and unit carried."""
        note = delivery_note(order(), number="BL-1", on=JAN_20, quantities={"1": 4})

        assert ("BL-1", JAN_20, "BC-42", "PO-7781") == (
            note.number,
            note.issue_date,
            note.order_number,
            note.purchase_order,
        )
        assert (
            DeliveredLine(line_id="1", description="Chaise", quantity="4", product_id="CH-1"),
        ) == (note.lines)

    def test_rest_by_default(self) -> None:
        """Without quantities, what remains of every line is delivered."""
        source = order()
        first = delivery_note(source, number="BL-1", on=JAN_20, quantities={"1": 4})
        rest = delivery_note(source, number="BL-2", on=JAN_27, delivered=[first])

        assert [("1", Decimal(6)), ("2", Decimal(2))] == [
            (line.line_id, line.quantity) for line in rest.lines
        ]

    def test_beyond_the_order(self) -> None:
        """Delivering 7 chairs when 6 remain is refused."""
        source = order()
        first = delivery_note(source, number="BL-1", on=JAN_20, quantities={"1": 4})
        with pytest.raises(DocumentError) as info:
            delivery_note(source, number="BL-2", on=JAN_27, quantities={"1": 7}, delivered=[first])

        assert "6 remain of the 10 ordered" in str(info.value)

    def test_all_delivered(self) -> None:
        """Nothing left to deliver is said."""
        source = order()
        whole = delivery_note(source, number="BL-1", on=JAN_20)
        with pytest.raises(DocumentError) as info:
            delivery_note(source, number="BL-2", on=JAN_27, delivered=[whole])

        assert "delivered in full" in str(info.value)

    def test_unknown_line(self) -> None:
        """An unknown order line is refused."""
        with pytest.raises(DocumentError):
            delivery_note(order(), number="BL-1", on=JAN_20, quantities={"9": 1})

    def test_other_order(self) -> None:
        """A note of another order cannot count as delivered."""
        other = attrs.evolve(order(), number="BC-43")
        note = delivery_note(other, number="BL-9", on=JAN_20)
        with pytest.raises(DocumentError):
            delivery_note(order(), number="BL-1", on=JAN_20, delivered=[note])

    def test_not_an_order(self) -> None:
        """A quote is not delivered: an order is."""
        with pytest.raises(DocumentError):
            delivery_note("BC-42", number="BL-1", on=JAN_20)  # type: ignore[arg-type]

    def test_needs_lines(self) -> None:
        """An empty delivery note is refused."""
        with pytest.raises(DocumentError):
            DeliveryNote(
                seller=sample_seller(),
                buyer=sample_buyer(),
                number="BL-1",
                issue_date=JAN_20,
                lines=(),
            )

    def test_zero_quantity_line(self) -> None:
        """A delivered line never has a zero quantity."""
        with pytest.raises(DocumentError):
            DeliveredLine(line_id="1", description="Chaise", quantity="0")

    def test_round_trip(self) -> None:
        """A delivery note survives to_dict/from_dict."""
        note = delivery_note(order(), number="BL-1", on=JAN_20, deliver_to=warehouse(), notes=["x"])

        assert note == from_dict(DeliveryNote, to_dict(note))


class TestInvoiceDeliveries:
    def test_two_notes_one_invoice(self) -> None:
        """BL-1 (4 chairs) and BL-2 (2 chairs, 1 table) on one invoice: 6 chairs 270.00 +
        1 table 310.00 = 580.00 HT, 696.00 TTC, delivered on the last note's date."""
        source = order()
        first = delivery_note(source, number="BL-1", on=JAN_20, quantities={"1": 4})
        second = delivery_note(
            source, number="BL-2", on=JAN_27, quantities={"1": 2, "2": 1}, delivered=[first]
        )
        invoice = invoice_deliveries(source, [second, first], due_date=date(2025, 2, 28))

        assert [("1", Decimal(6)), ("2", Decimal(1))] == [
            (line.id, line.quantity) for line in invoice.lines
        ]
        assert (eur("580.00"), eur("696.00")) == (
            invoice.totals().tax_exclusive_total,
            invoice.totals().tax_inclusive_total,
        )
        assert (JAN_27, "BC-42", "PO-7781") == (
            invoice.delivery_date,
            invoice.order_reference,
            invoice.purchase_order,
        )
        assert (
            "Bons de livraison : BL-1 du 20/01/2025, BL-2 du 27/01/2025" == invoice.notes[-1].text
        )

    def test_then_the_rest(self) -> None:
        """The last delivery is invoiced against the first invoice: 4 chairs, 1 table."""
        source = order()
        first = delivery_note(source, number="BL-1", on=JAN_20, quantities={"1": 6, "2": 1})
        billed = invoice_deliveries(source, [first])
        rest = delivery_note(source, number="BL-2", on=JAN_27, delivered=[first])
        last = invoice_deliveries(source, [rest], invoiced=[billed])

        assert source.progress([billed, last]).is_fully_invoiced
        assert "Bon de livraison : BL-2 du 27/01/2025" == last.notes[-1].text

    def test_invoiced_twice_refused(self) -> None:
        """The same note invoiced twice (with the first invoice passed) is refused."""
        source = order()
        whole = delivery_note(source, number="BL-1", on=JAN_20)
        billed = invoice_deliveries(source, [whole])
        with pytest.raises(DocumentError):
            invoice_deliveries(source, [whole], invoiced=[billed])

    def test_shared_deliver_to(self) -> None:
        """Notes delivered to one place give the invoice its deliver-to (BG-15)."""
        source = order()
        note = delivery_note(source, number="BL-1", on=JAN_20, deliver_to=warehouse())

        assert warehouse() == invoice_deliveries(source, [note]).deliver_to

    def test_no_note(self) -> None:
        """At least one note is needed."""
        with pytest.raises(DocumentError):
            invoice_deliveries(order(), [])

    def test_note_listed_twice(self) -> None:
        """A note listed twice is refused."""
        source = order()
        note = delivery_note(source, number="BL-1", on=JAN_20, quantities={"1": 1})
        with pytest.raises(DocumentError) as info:
            invoice_deliveries(source, [note, note])

        assert "listed twice" in str(info.value)

    def test_not_notes(self) -> None:
        """Only delivery notes are invoiced this way."""
        quote = Quote(
            seller=sample_seller(), buyer=sample_buyer(), currency="EUR", lines=order().lines
        )
        with pytest.raises(DocumentError):
            invoice_deliveries(order(), [quote])  # type: ignore[list-item]
