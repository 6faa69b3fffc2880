"""Write sample PDFs of every document kind with facturlib's PDF renderer.

    python examples/render_pdfs.py [DIRECTORY]

Writes an invoice, a draft, a credit note, a deposit invoice and the final invoice
that deducts it, a proforma, a quote, an English invoice and a 1 000-line invoice
to DIRECTORY (default: a new temporary directory) and prints their paths.
The figures are those of DOMAIN.md §5 and §6.
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
    Invoice,
    NumberingScheme,
    Quote,
    SequenceState,
    credit_note,
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
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
