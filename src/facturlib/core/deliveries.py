"""Delivery notes (bons de livraison), and invoices built from them.

A `DeliveryNote` records what was delivered of an `facturlib.core.documents.Order`
on a day: its number, date, the order it delivers, the deliver-to place and, per
order line, the quantity delivered — no prices (the note travels with the goods).
`delivery_note` makes one from an order and refuses to deliver more than was
ordered; `invoice_deliveries` invoices one or several notes at once (a monthly
invoice of the month's deliveries is common), through ``Order.to_invoice``, so
nothing is invoiced twice. The invoice's delivery date (BT-72) is the last
note's date and a note lists the delivery notes it bills.

>>> from datetime import date
>>> from facturlib.core.documents import Order
>>> from facturlib.testing.builders import sample_buyer, sample_line, sample_seller
>>> order = Order(seller=sample_seller(), buyer=sample_buyer(), currency="EUR",
...               number="BC-42", lines=[sample_line(quantity=10)])
>>> first = delivery_note(order, number="BL-1", on=date(2025, 1, 20), quantities={"1": 4})
>>> second = delivery_note(order, number="BL-2", on=date(2025, 1, 27), quantities={"1": 6},
...                        delivered=[first])
>>> invoice = invoice_deliveries(order, [first, second])
>>> invoice.lines[0].quantity, invoice.delivery_date
(Decimal('10'), datetime.date(2025, 1, 27))
>>> invoice.notes[-1].text
'Bons de livraison : BL-1 du 20/01/2025, BL-2 du 27/01/2025'

.. versionadded:: 0.2
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from facturlib.core._validators import (
    as_tuple,
    check_instance,
    instance_of,
    is_date,
    is_optional_text,
    is_text,
    items_of,
    optional_text,
    to_decimal,
    to_text,
    tuple_of,
)
from facturlib.core.documents import DeliverTo, Invoice, Note, Order, _to_notes
from facturlib.core.errors import DocumentError
from facturlib.core.parties import Party

__all__ = ["DeliveredLine", "DeliveryNote", "delivery_note", "invoice_deliveries"]

_ZERO = Decimal(0)


def _to_quantity(value: Any) -> Decimal:
    return to_decimal(value, "quantity")


@attrs.frozen(kw_only=True)
class DeliveredLine:
    """One line of a delivery note: what was delivered of one order line.

    Attributes:
        line_id: the order line's id.
        description: what was delivered.
        quantity: the quantity delivered (never zero).
        unit: the UNECE Rec 20 unit code.
        product_id: the seller's item identifier, if any.

    .. versionadded:: 0.2
    """

    line_id: str = attrs.field(converter=to_text, validator=is_text)
    description: str = attrs.field(converter=to_text, validator=is_text)
    quantity: Decimal = attrs.field(converter=_to_quantity)
    unit: str = attrs.field(default="C62", converter=to_text, validator=is_text)
    product_id: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )

    def __attrs_post_init__(self) -> None:
        if self.quantity == 0:
            raise DocumentError(
                "a delivered quantity must not be zero",
                field="quantity",
                value=self.quantity,
                hint="leave the line out of the delivery note",
            )


@attrs.frozen(kw_only=True)
class DeliveryNote:
    """A delivery note (bon de livraison): what was delivered of an order, on a day.

    Attributes:
        seller: the seller (`Party`).
        buyer: the buyer (`Party`).
        number: the note's number.
        issue_date: the delivery date.
        lines: the `DeliveredLine`\\s.
        order_number: the number of the order it delivers.
        purchase_order: the buyer's purchase order number.
        deliver_to: the deliver-to place (`DeliverTo`), if not the buyer's address.
        notes: free notes (`Note` or text).

    .. versionadded:: 0.2
    """

    seller: Party = attrs.field(validator=instance_of(Party))
    buyer: Party = attrs.field(validator=instance_of(Party))
    number: str = attrs.field(converter=to_text, validator=is_text)
    issue_date: date = attrs.field(validator=is_date)
    lines: tuple[DeliveredLine, ...] = attrs.field(
        converter=as_tuple, validator=tuple_of(DeliveredLine)
    )
    order_number: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    purchase_order: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    deliver_to: DeliverTo | None = attrs.field(
        default=None, validator=instance_of(DeliverTo, optional=True)
    )
    notes: tuple[Note, ...] = attrs.field(default=(), converter=_to_notes)

    def __attrs_post_init__(self) -> None:
        if not self.lines:
            raise DocumentError(
                "a delivery note needs at least one line",
                field="lines",
                value=(),
                hint="list what was delivered as DeliveredLine values",
            )
        ids = [line.line_id for line in self.lines]
        if len(set(ids)) != len(ids):
            raise DocumentError(
                "a delivery note lists each order line once",
                field="lines",
                value=ids,
                hint="add the quantities of the same order line together",
            )


def _delivered(order: Order, notes: Sequence[DeliveryNote], field: str) -> dict[str, Decimal]:
    """Order line id → quantity delivered by *notes*, checked to come from *order*."""
    ids = {str(line.id) for line in order.lines}
    totals: dict[str, Decimal] = {}
    for i, note in enumerate(notes):
        if order.number is not None and note.order_number not in (None, order.number):
            raise DocumentError(
                f"delivery note {note.number} delivers order {note.order_number}, "
                f"not {order.number}",
                field=f"{field}[{i}]",
                value=note.number,
                hint="pass only the delivery notes of this order",
            )
        for line in note.lines:
            if line.line_id not in ids:
                raise DocumentError(
                    f"delivery note {note.number} delivers line {line.line_id}, "
                    "which the order does not have",
                    field=f"{field}[{i}]",
                    value=line.line_id,
                    hint=f"the order lines are {', '.join(sorted(ids))}",
                )
            totals[line.line_id] = totals.get(line.line_id, _ZERO) + line.quantity
    return totals


def delivery_note(
    order: Order,
    *,
    number: str,
    on: date,
    quantities: Mapping[str, Decimal | int | str] | None = None,
    delivered: Sequence[DeliveryNote] = (),
    deliver_to: DeliverTo | None = None,
    notes: Sequence[Note | str] = (),
) -> DeliveryNote:
    """The delivery note for *quantities* of *order* delivered on *on*.

    Args:
        order: the `Order` delivered.
        number: the note's number.
        on: the delivery date.
        quantities: order line id → quantity delivered; by default, what remains
            to deliver of every line.
        delivered: the order's earlier delivery notes, so nothing is delivered twice.
        deliver_to: the deliver-to place.
        notes: free notes.

    Returns:
        A `DeliveryNote`.

    Raises:
        DocumentError: an unknown line; a quantity beyond what remains to deliver;
            nothing left to deliver; an earlier note of another order.

    .. versionadded:: 0.2
    """
    check_instance(order, Order, "order", error=DocumentError, hint="pass a facturlib.Order")
    earlier = items_of(delivered, DeliveryNote, "delivered", error=DocumentError)
    done = _delivered(order, earlier, "delivered")
    left = {str(line.id): line.quantity - done.get(str(line.id), _ZERO) for line in order.lines}
    if quantities is None:
        wanted: dict[str, Decimal] = {k: v for k, v in left.items() if v != 0}
    elif isinstance(quantities, Mapping):
        wanted = {}
        for key, raw in quantities.items():
            if key not in left:
                raise DocumentError(
                    "the order has no such line",
                    field="quantities",
                    value=key,
                    hint=f"use the ids of the order lines: {', '.join(left)}",
                )
            wanted[key] = to_decimal(raw, f"quantities[{key!r}]")
    else:
        raise DocumentError(
            f"quantities must be a mapping, got a {type(quantities).__name__}",
            field="quantities",
            value=quantities,
            hint='pass order line id → quantity, e.g. quantities={"1": "4"}',
        )
    by_id = {str(line.id): line for line in order.lines}
    lines = []
    for line_id, quantity in wanted.items():
        remaining = left[line_id]
        over = quantity > remaining if remaining >= 0 else quantity < remaining
        if quantity == 0 or over or (quantity > 0) != (remaining > 0):
            raise DocumentError(
                f"line {line_id} ({by_id[line_id].description}): cannot deliver {quantity}, "
                f"{remaining} remain of the {by_id[line_id].quantity} ordered",
                field=f"quantities[{line_id!r}]",
                value=quantity,
                hint=f"deliver at most {remaining}; pass the earlier notes as delivered=…",
            )
        source = by_id[line_id]
        lines.append(
            DeliveredLine(
                line_id=line_id,
                description=source.description,
                quantity=quantity,
                unit=source.unit,
                product_id=source.product_id,
            )
        )
    if not lines:
        raise DocumentError(
            f"order {order.number or '(unnumbered)'} is delivered in full",
            field="delivered",
            value=len(earlier),
            hint="nothing remains to deliver",
        )
    return DeliveryNote(
        seller=order.seller,
        buyer=order.buyer,
        number=number,
        issue_date=on,
        lines=lines,
        order_number=order.number,
        purchase_order=order.purchase_order,
        deliver_to=deliver_to,
        notes=notes,
    )


def invoice_deliveries(
    order: Order,
    notes: Sequence[DeliveryNote],
    *,
    invoiced: Sequence[Invoice] = (),
    **fields: Any,
) -> Invoice:
    """A draft invoice for what *notes* delivered of *order*.

    The quantities of the notes are added up per order line and invoiced with
    ``order.to_invoice(quantities=…, invoiced=invoiced)``, so a delivery is never
    invoiced beyond the order. The invoice's delivery date (BT-72) is the last
    note's date, its deliver-to place the notes' one when they share it, and a
    note lists the delivery notes billed ("Bons de livraison : BL-1 du …").

    Args:
        order: the `Order` the notes deliver.
        notes: one or several `DeliveryNote`\\s of the order, not invoiced yet.
        invoiced: every invoice and credit note already made from the order.
        **fields: other invoice fields (``due_date``…), as for ``Order.to_invoice``.

    Raises:
        DocumentError: no note; a note of another order or listed twice; more than
            remains to invoice (see ``Order.to_invoice``).

    .. versionadded:: 0.2
    """
    check_instance(order, Order, "order", error=DocumentError, hint="pass a facturlib.Order")
    notes = items_of(notes, DeliveryNote, "notes", error=DocumentError)
    if not notes:
        raise DocumentError(
            "no delivery note to invoice",
            field="notes",
            value=(),
            hint="pass the delivery notes this invoice bills",
        )
    numbers = [note.number for note in notes]
    if len(set(numbers)) != len(numbers):
        raise DocumentError(
            "a delivery note is listed twice",
            field="notes",
            value=numbers,
            hint="invoice each delivery note once",
        )
    quantities = {k: v for k, v in _delivered(order, notes, "notes").items() if v != 0}
    places = {note.deliver_to for note in notes}
    fields.setdefault("delivery_date", max(note.issue_date for note in notes))
    if len(places) == 1 and None not in places:
        fields.setdefault("deliver_to", places.pop())
    invoice = order.to_invoice(quantities=quantities, invoiced=invoiced, **fields)
    listed = ", ".join(
        f"{note.number} du {note.issue_date.strftime('%d/%m/%Y')}"
        for note in sorted(notes, key=lambda n: (n.issue_date, n.number))
    )
    word = "Bon" if len(notes) == 1 else "Bons"
    return attrs.evolve(invoice, notes=(*invoice.notes, Note(f"{word} de livraison : {listed}")))
