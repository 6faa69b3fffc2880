"""Laws of the line kinds of issue 18: comment lines and taxes other than VAT never change
an amount, survive storage, and the e-invoice writers keep every comment."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings

from facturlib.core.documents import Invoice
from facturlib.core.lines import other_tax_amounts, split_other_taxes
from facturlib.core.money import minor_units
from facturlib.core.serialize import from_json, to_json
from facturlib.einvoice._common import line_notes
from facturlib.testing.strategies import commented_invoices, currencies, lines_with_other_taxes


@settings(max_examples=40)
@given(commented_invoices())
def test_comments_change_no_amount_and_survive_storage(invoice: Invoice) -> None:
    """Comments leave the totals as without them, round-trip through JSON, and every
    comment text is in exactly one line note of the e-invoice, in order."""
    import attrs

    assert attrs.evolve(invoice, comments=()).totals() == invoice.totals()
    assert invoice == from_json(Invoice, to_json(invoice))
    notes = "\n".join(note for note in line_notes(invoice) if note is not None)
    position = 0
    for line in invoice.lines:
        for comment in invoice.comments:
            if comment.before == line.id:
                position = notes.index(comment.text, position)
    assert all(c.text in notes for c in invoice.comments)


@settings(max_examples=50)
@given(lines_with_other_taxes(currency_codes=currencies()))
def test_split_keeps_price_and_quantity(line) -> None:
    """Split lines price the product and its taxes at exactly the unit price, at the same
    quantity; their nets differ from the single line's by at most a minor unit per line
    rounded, and each tax's net is the mention's amount when rounded the same way."""
    from facturlib.core.totals import compute_totals

    parts = split_other_taxes(line)
    assert line.unit_price.amount == sum((p.unit_price.amount for p in parts), Decimal(0))
    assert {line.quantity} == {p.quantity for p in parts}
    whole = compute_totals(lines=[line], currency=line.currency).bt106
    split = compute_totals(lines=list(parts), currency=line.currency)
    unit = Decimal(1).scaleb(-minor_units(line.currency))
    assert abs(whole - split.bt106) <= unit * len(parts)
    assert [amount.amount for _, amount in other_tax_amounts(line)] == list(split.line_nets[1:])
