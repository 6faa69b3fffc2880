"""Orders invoiced in parts: what each order line billed, and what remains.

An `facturlib.core.documents.Order` (bon de commande) is often invoiced delivery
by delivery. ``Order.progress(invoiced)`` sums the invoices and credit notes
made from the order, line by line, into an `OrderProgress`: for every order line
the quantity and net amount ordered, invoiced (credit notes deducted) and
remaining. Nothing is stored on the order: the progress is computed again from
the documents the caller passes, so the same documents always give the same
progress.

``Order.to_invoice(quantities=…, invoiced=…)`` invoices part of the order and
refuses to invoice more than remains of a line, so an order can no longer be
billed twice over without a word. Amounts stay exact across the parts: the line
net of every part is quantity × price rounded (EN 16931 BT-131), and the part
that completes a line carries the difference that rounding left (at most a few
cents), as a line allowance or charge "Ajustement d'arrondi de la commande", so
that the parts of a line add up to the order line to the cent. The order's
document-level allowances and charges are spread over the parts the same way, in
proportion to the lines of their VAT rate. The VAT of each part is computed on the
part (EN 16931 BR-CO-17), so the parts' VAT may differ from the order's by the
rounding of each invoice.

>>> from datetime import date
>>> from facturlib.core.documents import Order
>>> from facturlib.testing.builders import sample_buyer, sample_line, sample_seller
>>> order = Order(seller=sample_seller(), buyer=sample_buyer(), currency="EUR",
...               number="BC-42", lines=[sample_line(quantity=10)])
>>> first = order.to_invoice(quantities={"1": 4})
>>> [(line.id, line.quantity) for line in first.lines]
[('1', Decimal('4'))]
>>> progress = order.progress([first])
>>> progress.lines[0].invoiced, progress.lines[0].remaining
(Decimal('4'), Decimal('6'))
>>> order.to_invoice(quantities={"1": 7}, invoiced=[first])
Traceback (most recent call last):
...
facturlib.core.errors.DocumentError: line 1 (...): 7 would bill more than the 6 that remain ...

.. versionadded:: 0.2
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs
from moneyed import Currency, Money

from facturlib.core._validators import (
    as_tuple,
    instance_of,
    is_decimal,
    is_int,
    is_money,
    is_optional_text,
    is_text,
    to_decimal,
    tuple_of,
)
from facturlib.core.errors import DocumentError, InvalidValue
from facturlib.core.lines import Discount, DocumentAllowance, DocumentCharge, Line, Surcharge
from facturlib.core.money import RoundingPolicy, freeze_money, minor_units
from facturlib.core.totals import AppliedAdjustment, _compute
from facturlib.core.vat import VatRate

__all__ = ["OrderLineProgress", "OrderProgress"]

_ZERO = Decimal(0)
_ONE = Decimal(1)

#: The reason of the line adjustment that makes the parts of an order line add up.
_ROUNDING_REASON = "Ajustement d'arrondi de la commande"


@attrs.frozen(kw_only=True)
class OrderLineProgress:
    """How far one order line is invoiced.

    Attributes:
        line_id: the order line's id (BT-126 on the order; ``source_line`` on invoices).
        description: the order line's description.
        vat: the order line's `VatRate`.
        ordered: the quantity ordered.
        invoiced: the quantity invoiced, credit notes deducted.
        ordered_amount: the order line's net amount (BT-131).
        invoiced_amount: the net amount invoiced for it, credit notes deducted.

    .. versionadded:: 0.2
    """

    line_id: str = attrs.field(validator=is_text)
    description: str = attrs.field(validator=is_text)
    vat: VatRate = attrs.field(validator=instance_of(VatRate))
    ordered: Decimal = attrs.field(validator=is_decimal())
    invoiced: Decimal = attrs.field(validator=is_decimal())
    ordered_amount: Money = attrs.field(converter=freeze_money, validator=is_money())
    invoiced_amount: Money = attrs.field(converter=freeze_money, validator=is_money())

    @property
    def remaining(self) -> Decimal:
        """The quantity still to invoice (negative when the line is over-invoiced)."""
        return self.ordered - self.invoiced

    @property
    def remaining_amount(self) -> Money:
        """The net amount still to invoice."""
        return self.ordered_amount - self.invoiced_amount

    @property
    def is_complete(self) -> bool:
        """Whether the whole ordered quantity is invoiced."""
        return self.invoiced == self.ordered

    @property
    def is_over_invoiced(self) -> bool:
        """Whether more than the ordered quantity (or amount) is invoiced."""
        return _beyond(self.invoiced, self.ordered) or _beyond(
            self.invoiced_amount.amount, self.ordered_amount.amount
        )


@attrs.frozen(kw_only=True)
class OrderProgress:
    """What the invoices and credit notes made from an order billed, line by line.

    Built by ``Order.progress(invoiced)``; see the module documentation.

    Attributes:
        order_number: the order's number, or ``None``.
        currency: the order's currency.
        lines: one `OrderLineProgress` per order line, in the order's order.
        documents: how many invoices and credit notes were counted (proformas and
            deposit invoices bill no quantity and are left out).

    .. versionadded:: 0.2
    """

    order_number: str | None = attrs.field(validator=is_optional_text)
    currency: Currency = attrs.field(validator=instance_of(Currency))
    lines: tuple[OrderLineProgress, ...] = attrs.field(
        converter=as_tuple, validator=tuple_of(OrderLineProgress)
    )
    documents: int = attrs.field(default=0, validator=is_int())

    def line(self, line_id: str) -> OrderLineProgress:
        """The progress of the order line *line_id*.

        Raises:
            DocumentError: the order has no such line.
        """
        for line in self.lines:
            if line.line_id == line_id:
                return line
        raise _unknown_line(line_id, self)

    @property
    def remaining_quantities(self) -> dict[str, Decimal]:
        """Order line id → quantity still to invoice, for the lines not complete."""
        return {line.line_id: line.remaining for line in self.lines if line.remaining != 0}

    @property
    def is_fully_invoiced(self) -> bool:
        """Whether every order line is invoiced in full."""
        return all(line.is_complete for line in self.lines)

    @property
    def is_over_invoiced(self) -> bool:
        """Whether some line is invoiced beyond the order."""
        return any(line.is_over_invoiced for line in self.lines)

    @property
    def ordered_amount(self) -> Money:
        """Σ order line nets (the order's BT-106)."""
        return _sum((line.ordered_amount for line in self.lines), self.currency)

    @property
    def invoiced_amount(self) -> Money:
        """Σ line nets invoiced, credit notes deducted."""
        return _sum((line.invoiced_amount for line in self.lines), self.currency)

    @property
    def remaining_amount(self) -> Money:
        """Σ line nets still to invoice."""
        return self.ordered_amount - self.invoiced_amount

    def by_vat_rate(self) -> tuple[tuple[VatRate, Money, Money], ...]:
        """``(VatRate, ordered, invoiced)`` line nets per VAT rate, in first-seen order."""
        rates: dict[VatRate, tuple[Decimal, Decimal]] = {}
        for line in self.lines:
            ordered, invoiced = rates.get(line.vat, (_ZERO, _ZERO))
            rates[line.vat] = (
                ordered + line.ordered_amount.amount,
                invoiced + line.invoiced_amount.amount,
            )
        cur = self.currency
        return tuple((vat, Money(o, cur), Money(i, cur)) for vat, (o, i) in rates.items())


def _sum(amounts: Any, cur: Currency) -> Money:
    return Money(sum((m.amount for m in amounts), _ZERO), cur)


def _beyond(part: Decimal, whole: Decimal) -> bool:
    """Whether *part* goes past *whole* in *whole*'s direction (for negative lines too)."""
    return part > whole if whole >= 0 else part < whole


def _unknown_line(line_id: object, progress: OrderProgress) -> DocumentError:
    known = ", ".join(line.line_id for line in progress.lines)
    return DocumentError(
        "the order has no such line",
        field="lines",
        value=line_id,
        hint=f"use the ids of the order lines: {known}",
    )


def _line_nets(
    lines: Sequence[Line], cur: Currency, rounding: RoundingPolicy
) -> tuple[Decimal, ...]:
    """The net amount (BT-131) of each of *lines*, as the documents compute it."""
    totals = _compute(lines, cur, (), (), None, None, (), False, rounding, None, None, False, None)
    return totals.line_nets


def _build_progress(
    *,
    number: str | None,
    cur: Currency,
    lines: Sequence[Line],
    nets: Sequence[Decimal],
    billed: Mapping[str, tuple[Decimal, Decimal]],
    documents: int,
) -> OrderProgress:
    """An `OrderProgress` from the order lines and what was billed per order line id."""
    return OrderProgress(
        order_number=number,
        currency=cur,
        documents=documents,
        lines=tuple(
            OrderLineProgress(
                line_id=str(line.id),
                description=line.description,
                vat=line.vat,
                ordered=line.quantity,
                invoiced=billed.get(str(line.id), (_ZERO, _ZERO))[0],
                ordered_amount=Money(net, cur),
                invoiced_amount=Money(billed.get(str(line.id), (_ZERO, _ZERO))[1], cur),
            )
            for line, net in zip(lines, nets, strict=True)
        ),
    )


def _selected_quantities(
    progress: OrderProgress, lines: Any, quantities: Any
) -> dict[str, Decimal]:
    """Order line id → quantity to invoice now, checked against what remains.

    *lines* (ids) picks whole remainders; *quantities* (id → quantity) gives parts;
    neither means every line with something left.
    """
    wanted: dict[str, Decimal] = {}
    if quantities is not None:
        if not isinstance(quantities, Mapping):
            raise InvalidValue(
                f"quantities must be a mapping, got a {type(quantities).__name__}",
                field="quantities",
                value=quantities,
                hint='pass order line id → quantity, e.g. quantities={"1": "4"}',
            )
        for key, raw in quantities.items():
            wanted[_line_key(key, progress)] = to_decimal(raw, f"quantities[{key!r}]")
    if lines is not None:
        if isinstance(lines, str) or not hasattr(lines, "__iter__"):
            raise InvalidValue(
                f"lines must be a sequence of order line ids, got a {type(lines).__name__}",
                field="lines",
                value=lines,
                hint='pass the ids of the order lines to invoice, e.g. lines=["1", "3"]',
            )
        for key in lines:
            line_id = _line_key(key, progress)
            wanted.setdefault(line_id, progress.line(line_id).remaining)
    if quantities is None and lines is None:
        wanted = dict(progress.remaining_quantities)
    selected: dict[str, Decimal] = {}
    for line_id, quantity in wanted.items():
        line = progress.line(line_id)
        remaining = line.remaining
        if quantity == 0:
            raise DocumentError(
                f"line {line_id} ({line.description}): nothing to invoice",
                field=f"quantities[{line_id!r}]",
                value=quantity,
                hint="leave the line out of quantities and lines instead",
            )
        if remaining == 0 or _beyond(quantity, remaining) or (quantity > 0) != (remaining > 0):
            raise DocumentError(
                f"line {line_id} ({line.description}): {quantity} would bill more than the "
                f"{remaining} that remain of the {line.ordered} ordered "
                f"({line.invoiced} already invoiced)",
                field=f"quantities[{line_id!r}]",
                value=quantity,
                hint=(
                    f"invoice at most {remaining}; an order invoiced twice over is billed "
                    "twice — pass every invoice and credit note already made from the "
                    "order as invoiced=…, and raise the order (a new order or an "
                    "amended one) for more"
                    if remaining != 0
                    else "the line is invoiced in full; leave it out"
                ),
            )
        selected[line_id] = quantity
    if not selected:
        raise DocumentError(
            f"order {progress.order_number or '(unnumbered)'} is invoiced in full",
            field="invoiced",
            value=progress.documents,
            hint="nothing remains to invoice; a credit note on an invoice gives quantities back",
        )
    return selected


def _line_key(key: object, progress: OrderProgress) -> str:
    line_id = key if isinstance(key, str) else None
    if line_id is None or line_id not in {line.line_id for line in progress.lines}:
        raise _unknown_line(key, progress)
    return line_id


def _partial_line(
    line: Line,
    quantity: Decimal,
    progress: OrderLineProgress,
    cur: Currency,
    rounding: RoundingPolicy,
) -> Line:
    """The invoice line for *quantity* of the order *line*, adding up with the parts before.

    Fixed-amount discounts and charges are prorated by quantity; the part that
    completes the line (or would go beyond its net amount) carries the rounding
    difference as a line allowance or charge, so the parts add up to the order line.
    """
    share = quantity / line.quantity
    q = Decimal(1).scaleb(-minor_units(cur))

    def prorate(adjustments: tuple[Any, ...]) -> tuple[Any, ...]:
        kept = []
        for adjustment in adjustments:
            if adjustment.amount is not None:
                amount = (adjustment.amount.amount * share).quantize(
                    q, rounding=decimal.ROUND_HALF_UP
                )
                if amount == 0:
                    continue
                adjustment = attrs.evolve(adjustment, amount=Money(amount, cur))
            kept.append(adjustment)
        return tuple(kept)

    part = attrs.evolve(
        line,
        quantity=quantity,
        discounts=prorate(line.discounts),
        charges=prorate(line.charges),
        source_line=line.id,
    )
    (net,) = _line_nets((part,), cur, rounding)
    left = progress.remaining_amount.amount
    completes = quantity == progress.remaining
    target = left if completes or _beyond(net, left) else net
    difference = target - net
    if difference < 0:
        reason = Discount(amount=Money(-difference, cur), reason=_ROUNDING_REASON)
        part = attrs.evolve(part, discounts=(*part.discounts, reason))
    elif difference > 0:
        extra = Surcharge(amount=Money(difference, cur), reason=_ROUNDING_REASON)
        part = attrs.evolve(part, charges=(*part.charges, extra))
    return part


def _part_adjustments(
    applied: Sequence[AppliedAdjustment],
    progress: OrderProgress,
    part_lines: Sequence[Line],
    quantities: Mapping[str, Decimal],
    cur: Currency,
    rounding: RoundingPolicy,
) -> tuple[tuple[DocumentAllowance, ...], tuple[DocumentCharge, ...]]:
    """The order's document allowances and charges (and global discount) as the share
    this part carries, as amounts.

    Each adjustment A of VAT rate r is spread over the parts in proportion to the
    net amount of the rate-r lines they invoice: after the part, the order has
    carried round(A × C / N), C the rate-r line nets invoiced so far and N those of
    the order (all lines when the order has none at rate r; with no net to share
    by, the part that completes the order carries A). C / N is kept within [0, 1].
    Rounding the running total, not each part, makes the parts add up to A exactly
    when the order is invoiced in full.
    """
    ordered: dict[VatRate, Decimal] = {}
    before: dict[VatRate, Decimal] = {}
    for row in progress.lines:
        ordered[row.vat] = ordered.get(row.vat, _ZERO) + row.ordered_amount.amount
        before[row.vat] = before.get(row.vat, _ZERO) + row.invoiced_amount.amount
    now: dict[VatRate, Decimal] = {}
    for line, net in zip(part_lines, _line_nets(part_lines, cur, rounding), strict=True):
        now[line.vat] = now.get(line.vat, _ZERO) + net
    every = (sum(ordered.values(), _ZERO), sum(before.values(), _ZERO), sum(now.values(), _ZERO))
    q = Decimal(1).scaleb(-minor_units(cur))
    allowances: list[DocumentAllowance] = []
    charges: list[DocumentCharge] = []
    completes = all(row.remaining == quantities.get(row.line_id, _ZERO) for row in progress.lines)
    for item in applied:
        whole, done, adding = (
            (ordered[item.vat], before[item.vat], now.get(item.vat, _ZERO))
            if ordered.get(item.vat)
            else every
        )
        amount = item.amount.amount

        def carried(
            invoiced: Decimal, end: bool, amount: Decimal = amount, whole: Decimal = whole
        ) -> Decimal:
            if whole == 0:  # no net to share by: the part that completes the order carries it
                return amount if end else _ZERO
            fraction = min(max(invoiced / whole, _ZERO), _ONE)
            return (amount * fraction).quantize(q, rounding=rounding.mode)

        share = carried(done + adding, completes) - carried(done, False)
        if share == 0:
            continue
        # A part that lowers the running net (a negative line) gives some back: the
        # opposite adjustment, so the parts still add up to the order's amount.
        is_charge = item.is_charge if share > 0 else not item.is_charge
        kind = DocumentCharge if is_charge else DocumentAllowance
        adjustment = kind(
            amount=Money(abs(share), cur),
            vat=item.vat,
            reason=item.reason,
            reason_code=item.reason_code if is_charge == item.is_charge else None,
        )
        if isinstance(adjustment, DocumentCharge):
            charges.append(adjustment)
        else:
            allowances.append(adjustment)
    return tuple(allowances), tuple(charges)
