"""facturlib quickstart: build an invoice, issue it, credit part of it.

Run it with ``python examples/quickstart.py``. Everything here is plain values
and pure functions: nothing is stored, nothing reads the clock, and the
numbering state is a value we pass from one call to the next.
"""

from __future__ import annotations

import textwrap
from datetime import date

import attrs
from babel.numbers import format_currency

import facturlib as fl


def fmt(amount: fl.Money) -> str:
    """An amount the French way: 1 234,50 €."""
    return format_currency(amount.amount, amount.currency.code, locale="fr_FR")


def print_document(title: str, doc: fl.Invoice) -> None:
    """Print the lines, the totals (BT-106…BT-115) and the VAT breakdown (BG-23).

    Like any renderer, this only formats: every amount comes from ``doc.totals()``.
    """
    totals = doc.totals()
    print(f"\n{title}\n{'=' * len(title)}")
    if doc.number:
        print(f"No. {doc.number} of {doc.issue_date:%d/%m/%Y} (type {doc.kind.code})")
    for ref in doc.preceding:
        print(f"Réf. facture {ref.number} du {ref.issue_date:%d/%m/%Y}")
    print()
    for line, computed in zip(doc.lines, totals.lines, strict=True):
        label = f"{line.quantity} × {line.description}"
        print(f"  {label:<40} {line.vat.label:>7} {fmt(computed.amount):>13}")
        for discount, amount in zip(line.discounts, computed.allowances, strict=True):
            print(f"      − {discount.reason or 'discount':<34} {'':>7} {fmt(-amount):>13}")
    for adjustment in (*totals.allowances, *totals.charges):
        sign = 1 if adjustment.is_charge else -1
        label = adjustment.reason or ("charge" if adjustment.is_charge else "allowance")
        print(f"  {label:<40} {adjustment.vat.label:>7} {fmt(sign * adjustment.amount):>13}")
    print()
    for label, amount in [
        ("Sum of line nets          BT-106", totals.line_net_total),
        ("Allowances                BT-107", totals.allowance_total),
        ("Charges                   BT-108", totals.charge_total),
        ("Total excl. VAT (HT)      BT-109", totals.tax_exclusive_total),
        ("VAT                       BT-110", totals.vat_total),
        ("Total incl. VAT (TTC)     BT-112", totals.tax_inclusive_total),
        ("Amount due                BT-115", totals.amount_due),
    ]:
        print(f"  {label:<48} {fmt(amount):>13}")
    print(f"\n  {'VAT breakdown (BG-23)':<24} {'base BT-116':>16} {'VAT BT-117':>14}")
    for entry in totals.vat_breakdown:
        print(f"  {entry.vat.label:<24} {fmt(entry.taxable):>16} {fmt(entry.amount):>14}")


def main() -> None:
    # 1. Seller and buyer. Every identifier (SIREN, VAT id, IBAN) is checked here.
    seller = fl.Party(
        name="Atelier Numérique SAS",
        legal_form="SAS",
        capital=fl.to_money("10000", "EUR"),
        registration="RCS Paris",
        address=fl.Address(
            line1="12 rue des Lilas", postal_code="75011", city="Paris", country_code="FR"
        ),
        siren="732829320",
        vat_id="FR44732829320",
        iban="FR7630006000011234567890189",
    )
    buyer = fl.Party(
        name="Client Exemple SARL",
        address=fl.Address(
            line1="3 avenue Foch", postal_code="69006", city="Lyon", country_code="FR"
        ),
        siren="552081317",
        vat_id="FR03552081317",
    )

    # 2. A draft invoice (it has no number yet). Amounts are str or Decimal, never float.
    draft = fl.Invoice(
        seller=seller,
        buyer=buyer,
        currency="EUR",
        due_date=date(2025, 2, 14),
        purchase_order="PO-7781",
        lines=[
            fl.Line(
                description="Développement",
                quantity="10",
                unit="HUR",
                unit_price=fl.to_money("85.00", "EUR"),
                vat=fl.FR_STANDARD,
            ),
            fl.Line(
                description="Licence annuelle",
                quantity="1",
                unit_price=fl.to_money("1200.00", "EUR"),
                vat=fl.FR_STANDARD,
                discounts=[fl.Discount(percent="15", reason="Remise fidélité 15 %")],
            ),
            fl.Line(
                description="Livre « Facturer en France »",
                quantity="4",
                unit_price=fl.to_money("29.90", "EUR"),
                vat=fl.FR_REDUCED,
            ),
        ],
        charges=[
            fl.DocumentCharge(amount=fl.to_money("12.50", "EUR"), vat=fl.FR_STANDARD, reason="Port")
        ],
        global_discount=fl.Discount(percent="5", reason="Remise commerciale 5 %"),
    )
    print_document("Draft invoice", draft)

    # 3. Issue it. The number comes from a scheme and a sequence state; issue()
    #    returns the issued invoice *and* the new state, which you would store together.
    invoice_series = fl.NumberingScheme(pattern="FA-{yyyy}-{seq:04}")
    state = fl.SequenceState()
    invoice, state = fl.issue(draft, invoice_series, state, on=date(2025, 1, 15))
    print(f"\nIssued as {invoice.number} on {invoice.issue_date:%d/%m/%Y}.")
    try:
        attrs.evolve(invoice, due_date=date(2025, 3, 31))  # values change through evolve…
    except fl.IssuedDocumentError as err:
        print(textwrap.fill(f"…but an issued invoice is sealed: {err}", 96, subsequent_indent="  "))

    # 4. A partial credit note: 3 hours waived and 2 of the 4 books returned.
    #    Credit notes get their own series, so the numbering becomes a plan.
    plan = fl.NumberingPlan(
        rules=[
            fl.SeriesRule(scheme=invoice_series, kinds={fl.DocumentKind.INVOICE}),
            fl.SeriesRule(
                scheme=fl.NumberingScheme(pattern="AV-{yyyy}-{seq:04}"),
                kinds={fl.DocumentKind.CREDIT_NOTE},
            ),
        ]
    )
    # Lines are named by their id (numbered "1", "2", "3"… when not given). Document-level
    # allowances and charges follow the credited share of their VAT rate, so a share of
    # the global discount and of the shipping charge is credited too.
    credit = fl.credit_note(invoice, lines={"1": "3", "3": "2"}, reason="Retour de 2 livres")
    credit, state = fl.issue(credit, plan, state, on=date(2025, 1, 20))
    print_document("Credit note", credit)

    # 5. What remains creditable, per VAT rate: all credit notes together never exceed it.
    print(f"\nStill creditable on {invoice.number}:")
    for left in fl.creditable(invoice, previous=[credit]):
        print(f"  {left.vat.label:<8} base {fmt(left.taxable):>13}   VAT {fmt(left.amount):>11}")
    try:
        fl.credit_note(invoice, previous=[credit], amount=fl.to_money("5000.00", "EUR"))
    except fl.CreditNoteError as err:
        print(
            textwrap.fill(f"Crediting 5 000 € more is refused: {err}", 96, subsequent_indent="  ")
        )


if __name__ == "__main__":
    main()
