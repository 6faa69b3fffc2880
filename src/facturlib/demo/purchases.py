"""The sample company's suppliers: a few e-invoices received and booked.

Three suppliers send the sample company their invoices as Factur-X / CII e-invoices
(hosting, office rent, a laptop bought as a fixed asset); `received_purchases`
writes each with `facturlib.to_cii`, as the supplier's software would, reads it back
with `facturlib.read_einvoice` and returns what was received; `purchase_entries`
books them in the purchase journal with the laptop on 2183 (fixed assets, its VAT
on 44562) and pays them.

>>> from facturlib.demo import load_sample_company
>>> received = received_purchases(load_sample_company())
>>> [(r.document.number, r.profile, r.problems) for r in received]
[('H-2025-001', 'EN 16931', ()), ('L-2025-01', 'EN 16931', ()), ('M-2025-0001', 'EN 16931', ())]
>>> [e.journal.code for e in purchase_entries(received)]
['HA', 'BQ', 'HA', 'BQ', 'HA', 'BQ']
"""

from __future__ import annotations

from datetime import timedelta

from facturlib.accounting.accounts import Account
from facturlib.accounting.journal import JournalEntry
from facturlib.accounting.ledger import letter
from facturlib.accounting.purchases import (
    PurchaseChart,
    SupplierPayment,
    book_purchase,
    book_supplier_payment,
)
from facturlib.core.documents import Invoice
from facturlib.core.issuing import issue
from facturlib.core.lines import Line
from facturlib.core.money import to_money
from facturlib.core.numbering import NumberingScheme, SequenceState
from facturlib.core.parties import Address, Party, french_vat_id
from facturlib.core.vat import FR_STANDARD
from facturlib.demo import SampleCompany
from facturlib.einvoice.cii import to_cii
from facturlib.einvoice.reading import ReceivedInvoice, read_einvoice
from facturlib.receivables.payments import PaymentAllocation

__all__ = ["CHART", "purchase_entries", "received_purchases"]

#: The purchase chart of the demo: hosting as services (604), rent (6132), laptops (2183).
CHART = PurchaseChart(
    by_supplier={
        "542065479": Account("604000", "Achats de prestations de services"),
        "380129866": Account("613200", "Locations immobilières"),
    },
    by_product={"LAPTOP": Account("218300", "Matériel de bureau et informatique")},
)

_SUPPLIERS = (
    ("Hébergement Durand SAS", "542065479", "Roubaix", "H-{yyyy}-{seq:03}"),
    ("SCI des Lilas", "380129866", "Paris", "L-{yyyy}-{seq:02}"),
    ("Matériel Martin SARL", "443061841", "Lyon", "M-{yyyy}-{seq:04}"),
)
_LINES = (
    (("Hébergement serveurs, mars", "1", "240.00", None),),
    (("Loyer bureaux, mars", "1", "1500.00", None),),
    (("Ordinateur portable", "2", "1150.00", "LAPTOP"), ("Sacoche", "2", "35.00", None)),
)


def _supplier(name: str, siren: str, city: str) -> Party:
    return Party(
        name=name,
        address=Address(
            line1="1 rue du Commerce", city=city, postal_code="75001", country_code="FR"
        ),
        siren=siren,
        vat_id=french_vat_id(siren),
    )


def received_purchases(company: SampleCompany) -> tuple[ReceivedInvoice, ...]:
    """Three supplier invoices of March, written as CII e-invoices and read back."""
    day = company.fiscal_year.start.replace(month=3, day=10)
    received = []
    for (name, siren, city, pattern), lines in zip(_SUPPLIERS, _LINES, strict=True):
        supplier = _supplier(name, siren, city)
        draft = Invoice(
            seller=supplier,
            buyer=company.seller,
            currency="EUR",
            due_date=day + timedelta(days=30),
            lines=[
                Line(
                    description=text,
                    quantity=quantity,
                    unit_price=to_money(price, "EUR"),
                    vat=FR_STANDARD,
                    product_id=product,
                    supply="goods" if product else "services",
                )
                for text, quantity, price, product in lines
            ],
        )
        invoice, _ = issue(draft, NumberingScheme(pattern=pattern), SequenceState(), on=day)
        received.append(read_einvoice(to_cii(invoice, "EN 16931")))
    return tuple(received)


def purchase_entries(received: tuple[ReceivedInvoice, ...]) -> tuple[JournalEntry, ...]:
    """The purchase entries of *received* and their payments at due date, lettered."""
    entries = []
    allocations = []
    for item in received:
        document = item.document
        if not isinstance(document, Invoice) or document.number is None:
            continue
        entries.append(book_purchase(document, chart=CHART))
        due = document.totals().amount_due
        paid_on = document.due_date or document.issue_date
        if paid_on is None:  # pragma: no cover - an issued invoice has its date
            continue
        payment = SupplierPayment(
            id=f"VIR-{document.number}",
            supplier=document.seller.key,
            supplier_name=document.seller.name,
            amount=due,
            date=paid_on,
        )
        entries.append(book_supplier_payment(payment, chart=CHART))
        allocations.append(
            PaymentAllocation(
                payment_id=payment.id, invoice_number=document.number, amount=due, date=paid_on
            )
        )
    return letter(entries, allocations=allocations)
