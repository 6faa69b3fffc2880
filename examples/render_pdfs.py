"""Write sample PDFs of every document kind with facturlib's PDF renderer.

    python examples/render_pdfs.py [DIRECTORY]

Writes an invoice, a draft, a credit note, a deposit invoice and the final invoice
that deducts it, a proforma, a quote, an English invoice, a 1 000-line invoice, an
invoice in three installments with its penalty mentions, and the three dunning
letters of an unpaid invoice (reminder, second reminder, formal notice) to
DIRECTORY (default: a new temporary directory) and prints their paths.
The figures are the worked examples of the credit-note, deposit, terms and penalty docs.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

from facturlib import (
    FR_REDUCED,
    Address,
    Contact,
    Discount,
    DocumentCharge,
    DocumentKind,
    DueRule,
    DunningLetter,
    DunningPolicy,
    DunningRecord,
    Invoice,
    NumberingScheme,
    PaymentTerms,
    PenaltyPolicy,
    Quote,
    SequenceState,
    TermPart,
    credit_note,
    dunning_letters,
    dunning_run,
    issue,
    to_money,
)
from facturlib.renderers.pdf import PdfContext, PdfOptions, PdfRenderer
from facturlib.testing.builders import (
    sample_buyer,
    sample_deposit_invoices,
    sample_line,
    sample_seller,
)

INVOICES = NumberingScheme(pattern="FA-{yyyy}-{seq:04}")
CREDIT_NOTES = NumberingScheme(pattern="AV-{yyyy}-{seq:04}")

CONDITIONS = """Article 1 – Objet. Les présentes conditions régissent les ventes de services \
d'Atelier Numérique SAS à ses clients professionnels.

Article 2 – Prix. Les prix sont exprimés hors taxes ; la TVA au taux en vigueur s'y ajoute.

Article 3 – Paiement. Les factures sont payables à 30 jours date de facture, par virement."""


def issued(draft: Invoice, scheme: NumberingScheme, on: date) -> Invoice:
    """*draft* issued as the first number of *scheme*."""
    invoice, _ = issue(draft, scheme, SequenceState(), on=on)
    return invoice


def documents() -> dict[str, tuple[object, PdfContext | None]]:
    """The sample documents, by file stem, with their per-document context."""
    seller = sample_seller(creditor_id="FR72ZZZ123456")
    buyer = sample_buyer(contact=Contact(name="Mme Claire Durand"))
    lines = [
        sample_line(
            product_id="CONS-01", note="Audit de l'architecture, rapport & recommandations"
        ),
        sample_line(
            description="Formation « Facturation électronique »",
            quantity="2",
            unit="DAY",
            unit_price=to_money("650.00", "EUR"),
            product_id="FORM-02",
            discounts=(Discount(percent="10"),),
        ),
        sample_line(
            description="Guide pratique de la réforme 2026",
            quantity="12",
            unit="H87",
            unit_price=to_money("24.90", "EUR"),
            vat=FR_REDUCED,
            product_id="LIV-03",
        ),
    ]
    shipping = DocumentCharge(amount=to_money("15.00", "EUR"), vat=FR_REDUCED, reason="Port")
    draft = Invoice(
        seller=seller,
        buyer=buyer,
        currency="EUR",
        lines=lines,
        charges=[shipping],
        due_date=date(2025, 2, 14),
        buyer_reference="DA-2025-118",
        purchase_order="PO-4512",
        payment_terms="30 jours date de facture, par virement",
    )
    invoice = issued(draft, INVOICES, date(2025, 1, 15))
    note = credit_note(invoice, lines={"2": "1"}, reason="Annulation d'une journée de formation")
    note = issued(note, CREDIT_NOTES, date(2025, 2, 3))
    deposit, final = sample_deposit_invoices(seller=seller, buyer=buyer)
    proforma = Invoice(
        seller=seller,
        buyer=buyer,
        currency="EUR",
        kind=DocumentKind.PROFORMA,
        lines=lines,
        issue_date=date(2025, 1, 10),
    )
    quote = Quote(
        seller=seller,
        buyer=buyer,
        currency="EUR",
        lines=lines,
        number="DE-2025-0007",
        issue_date=date(2025, 1, 5),
        valid_until=date(2025, 2, 5),
    )
    many = [
        sample_line(description=f"Intervention n° {i} – maintenance préventive", id=str(i))
        for i in range(1, 1001)
    ]
    big = issued(
        Invoice(seller=seller, buyer=buyer, currency="EUR", lines=many, due_date=date(2025, 2, 14)),
        INVOICES,
        date(2025, 1, 15),
    )
    depot = Address(
        line1="ZI des Peupliers", city="Vénissieux", postal_code="69200", country_code="FR"
    )
    delivery = PdfContext(delivery_address=depot, delivery_name="Client Exemple – entrepôt")
    return {
        "invoice": (invoice, delivery),
        "draft": (draft, None),
        "credit-note": (note, None),
        "deposit-invoice": (deposit, None),
        "final-invoice": (final, None),
        "proforma": (proforma, None),
        "quote": (quote, None),
        "invoice-1000-lines": (big, PdfContext(sepa_mandate="RUM-2025-000042")),
    }


def installments_invoice() -> tuple[Invoice, PdfContext]:
    """1 000.00 TTC in three installments (333.33, 333.33, 333.34), at 12.15 %."""
    draft = Invoice(
        seller=sample_seller(),
        buyer=sample_buyer(),
        currency="EUR",
        prices_include_vat=True,
        lines=[sample_line(unit_price=to_money("100.00", "EUR"))],
        due_date=date(2025, 4, 15),
    )
    invoice = issued(draft, INVOICES, date(2025, 1, 15))
    terms = PaymentTerms(parts=[TermPart(due=DueRule.net(days)) for days in (30, 60, 90)])
    context = PdfContext.for_invoice(invoice, terms=terms, penalties=PenaltyPolicy(rate="12.15"))
    return invoice, context


def letters() -> dict[str, DunningLetter]:
    """The three letters of the dunning ladder for 7 800.00 TTC due 2025-03-31, at 12.15 %."""
    draft = Invoice(
        seller=sample_seller(),
        buyer=sample_buyer(contact=Contact(name="Mme Claire Durand")),
        currency="EUR",
        lines=[sample_line(quantity="1", unit="LS", unit_price=to_money("6500.00", "EUR"))],
        due_date=date(2025, 3, 31),
    )
    invoice = issued(draft, INVOICES, date(2025, 3, 1))
    policy = DunningPolicy.french_default(penalties=PenaltyPolicy(rate="12.15"))
    history: list[DunningRecord] = []
    found: dict[str, DunningLetter] = {}
    for day in (date(2025, 4, 7), date(2025, 4, 15), date(2025, 5, 15)):
        actions = dunning_run([invoice], [], policy, day, history=history)
        history += [action.record() for action in actions]
        for letter in dunning_letters(actions):
            found[f"dunning-letter-{letter.level}"] = letter
    return found


def main(argv: list[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else Path(tempfile.mkdtemp(prefix="facturlib-pdf-"))
    folder.mkdir(parents=True, exist_ok=True)
    french = PdfRenderer(locale="fr_FR", context=PdfContext(conditions=CONDITIONS))
    long_documents = PdfRenderer(locale="fr_FR", options=PdfOptions(repeat_totals=True))
    english = PdfRenderer(locale="en_GB")
    samples = documents()
    for stem, (document, context) in samples.items():
        renderer = long_documents if stem == "invoice-1000-lines" else french
        rendered = renderer.render(document, context=context)  # type: ignore[arg-type]
        path = folder / f"{stem}.pdf"
        path.write_bytes(rendered.content)
        print(path)
    invoice, _ = samples["invoice"]
    path = folder / "invoice-en.pdf"
    path.write_bytes(english.render(invoice).content)  # type: ignore[arg-type]
    print(path)
    plain = PdfRenderer(locale="fr_FR")
    scheduled, context = installments_invoice()
    path = folder / "invoice-installments.pdf"
    path.write_bytes(plain.render(scheduled, context=context).content)
    print(path)
    chased = letters()
    for stem, letter in chased.items():
        path = folder / f"{stem}.pdf"
        path.write_bytes(plain.render(letter).content)
        print(path)
    path = folder / "dunning-letter-3-en.pdf"
    path.write_bytes(english.render(chased["dunning-letter-3"]).content)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
