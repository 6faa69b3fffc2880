"""Laws of orders invoiced in parts: the parts never bill more than the order, per line
and per VAT rate, and bill exactly the order once it is invoiced in full."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from facturlib.core.documents import Invoice, Order
from facturlib.core.quotes import QUOTE_TRANSITIONS
from facturlib.core.serialize import from_dict, to_dict
from facturlib.testing.strategies import (
    currencies,
    order_deliveries,
    orders,
    quotes,
    rounding_policies,
)

_ZERO = Decimal(0)
#: Orders priced excluding VAT (a TTC order is invoiced in one go) whose line nets are
#: not negative (with a negative line, a part of the other lines may bill more than
#: the rate's total, which the negative line lowers).
priced_excluding_vat = orders(
    currency_codes=currencies(), policies=rounding_policies(), max_lines=5
).filter(lambda order: not order.prices_include_vat and min(order.totals().line_nets) >= 0)


def _beyond(part: Decimal, whole: Decimal) -> bool:
    return part > whole if whole >= 0 else part < whole


def _invoice_in_parts(order: Order, parts: list[dict[str, Decimal]]) -> list[Invoice]:
    invoiced: list[Invoice] = []
    for quantities in parts:
        invoiced.append(order.to_invoice(quantities=quantities, invoiced=invoiced))
    return invoiced


def _by_line(documents: list[Invoice]) -> dict[str, tuple[Decimal, Decimal]]:
    """Order line id → (Σ quantity, Σ net) over *documents*, read from their lines."""
    sums: dict[str, tuple[Decimal, Decimal]] = {}
    for document in documents:
        for line, net in zip(document.lines, document.totals().line_nets, strict=True):
            quantity, amount = sums.get(str(line.source_line), (_ZERO, _ZERO))
            sums[str(line.source_line)] = (quantity + line.quantity, amount + net)
    return sums


def _nets_by_rate(lines: object, nets: object) -> dict[object, Decimal]:
    sums: dict[object, Decimal] = {}
    for line, net in zip(lines, nets, strict=True):  # type: ignore[call-overload]
        sums[line.vat] = sums.get(line.vat, _ZERO) + net
    return sums


@settings(max_examples=50, deadline=None)
@given(order=priced_excluding_vat, data=st.data())
def test_parts_never_exceed_the_order(order: Order, data: st.DataObject) -> None:
    """Σ parts ≤ the order per line (quantity and net) and per VAT rate (line nets);
    = when the order is invoiced in full, where the taxable amount per rate (BT-116) and
    the allowances and charges (BT-107, BT-108) are the order's too."""
    complete = data.draw(st.booleans())
    parts = data.draw(order_deliveries(order, complete=complete))
    invoiced = _invoice_in_parts(order, parts)
    billed = _by_line(invoiced)
    nets = order.totals().line_nets
    for line, net in zip(order.lines, nets, strict=True):
        quantity, amount = billed.get(str(line.id), (_ZERO, _ZERO))
        assert not _beyond(quantity, line.quantity)
        assert not _beyond(amount, net)
        if complete:
            assert (line.quantity, net) == (quantity, amount)
    ordered_rates = _nets_by_rate(order.lines, nets)
    billed_rates: dict[object, Decimal] = {}
    for document in invoiced:
        for vat, amount in _nets_by_rate(document.lines, document.totals().line_nets).items():
            billed_rates[vat] = billed_rates.get(vat, _ZERO) + amount
    for vat, amount in billed_rates.items():
        assert not _beyond(amount, ordered_rates[vat])
    if complete:
        assert ordered_rates == billed_rates
        taxable: dict[object, Decimal] = {}
        for document in invoiced:
            for vat, base, _ in document.totals().vat_groups:
                taxable[vat] = taxable.get(vat, _ZERO) + base
        assert {vat: base for vat, base, _ in order.totals().vat_groups} == taxable
        assert order.progress(invoiced).is_fully_invoiced
    assert not order.progress(invoiced).is_over_invoiced


@settings(max_examples=30, deadline=None)
@given(order=priced_excluding_vat, data=st.data())
def test_progress_matches_the_invoices(order: Order, data: st.DataObject) -> None:
    """Order.progress reads the same quantities and nets as the invoices' lines, and what
    remains is the order minus them."""
    invoiced = _invoice_in_parts(order, data.draw(order_deliveries(order)))
    billed = _by_line(invoiced)
    progress = order.progress(invoiced)
    for row in progress.lines:
        quantity, amount = billed.get(row.line_id, (_ZERO, _ZERO))
        assert (quantity, amount) == (row.invoiced, row.invoiced_amount.amount)
        assert row.ordered - quantity == row.remaining


@settings(max_examples=30, deadline=None)
@given(quote=quotes())
def test_quotes_round_trip(quote: object) -> None:
    """Quotes with any status and revision survive to_dict/from_dict, and their status
    has an entry in the transition table."""
    assert quote == from_dict(type(quote), to_dict(quote))
    assert quote.status in QUOTE_TRANSITIONS  # type: ignore[attr-defined]
