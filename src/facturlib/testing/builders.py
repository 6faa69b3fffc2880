"""Ready-made sample values for tests, examples and notebooks.

The sample seller and buyer carry valid French identifiers (SIREN, VAT id,
IBAN), so documents built from them can be issued as they are.

>>> sample_invoice().totals().tax_inclusive_total
Money('1440.00', 'EUR')
"""

from __future__ import annotations

from datetime import date
from typing import Any

from facturlib.core._codes import DocumentKind
from facturlib.core.documents import Invoice
from facturlib.core.issuing import issue
from facturlib.core.lines import Line
from facturlib.core.money import to_money
from facturlib.core.numbering import NumberingScheme, Reset, SequenceState
from facturlib.core.parties import Address, Contact, Party
from facturlib.core.vat import FR_STANDARD

__all__ = [
    "sample_buyer",
    "sample_deposit_invoices",
    "sample_invoice",
    "sample_line",
    "sample_scheme",
    "sample_seller",
]


def sample_seller(**overrides: Any) -> Party:
    """A French seller (SAS, SIREN 732829320) with a valid IBAN and BIC."""
    fields: dict[str, Any] = {
        "name": "Atelier Numérique SAS",
        "address": Address(
            line1="12 rue des Lilas", city="Paris", postal_code="75011", country_code="FR"
        ),
        "legal_form": "SAS",
        "capital": to_money("10000", "EUR"),
        "registration": "RCS Paris",
        "siren": "732829320",
        "vat_id": "FR44732829320",
        "iban": "FR7630006000011234567890189",
        "bic": "AGRIFRPP",
        "contact": Contact(name="Service facturation", email="factures@atelier.example"),
    }
    fields.update(overrides)
    return Party(**fields)


def sample_buyer(**overrides: Any) -> Party:
    """A French business customer (SIREN 552081317)."""
    fields: dict[str, Any] = {
        "name": "Client Exemple SARL",
        "address": Address(
            line1="3 avenue Foch", city="Lyon", postal_code="69006", country_code="FR"
        ),
        "siren": "552081317",
        "vat_id": "FR03552081317",
    }
    fields.update(overrides)
    return Party(**fields)


def sample_line(**overrides: Any) -> Line:
    """One line: 10 hours of consulting at 120.00 EUR, VAT 20 %."""
    fields: dict[str, Any] = {
        "description": "Consulting",
        "quantity": "10",
        "unit": "HUR",
        "unit_price": to_money("120.00", "EUR"),
        "vat": FR_STANDARD,
    }
    fields.update(overrides)
    return Line(**fields)


def sample_invoice(**overrides: Any) -> Invoice:
    """A draft invoice from `sample_seller` to `sample_buyer` with `sample_line`."""
    fields: dict[str, Any] = {
        "seller": sample_seller(),
        "buyer": sample_buyer(),
        "currency": "EUR",
        "lines": (sample_line(),),
        "due_date": date(2025, 2, 14),
    }
    fields.update(overrides)
    return Invoice(**fields)


def sample_scheme() -> NumberingScheme:
    """The numbering scheme ``FA-{yyyy}-{seq:04}``, reset every year (DOMAIN.md §4)."""
    return NumberingScheme(pattern="FA-{yyyy}-{seq:04}", reset=Reset.YEARLY)


def sample_deposit_invoices(**overrides: Any) -> tuple[Invoice, Invoice]:
    """DOMAIN.md §6, issued: a 30 % deposit invoice and the final invoice deducting it.

    The order is 10 000.00 HT at 20 %. The deposit invoice ``AC-2025-0001`` (kind 386,
    10 March 2025) bills 3 000.00 HT + 600.00 VAT = 3 600.00; the final invoice
    ``FA-2025-0001`` (31 March 2025, due 30 April) bills 10 000.00 HT + 2 000.00 VAT =
    12 000.00, references the deposit and deducts the 3 600.00 paid: 8 400.00 due.
    Keyword arguments override fields of both drafts (e.g. ``seller=``).

    >>> deposit, final = sample_deposit_invoices()
    >>> deposit.totals().amount_due, final.totals().amount_due
    (Money('3600.00', 'EUR'), Money('8400.00', 'EUR'))
    """

    def line(description: str, amount: str) -> Line:
        return sample_line(
            description=description, quantity="1", unit="C62", unit_price=to_money(amount, "EUR")
        )

    deposit, _ = issue(
        sample_invoice(
            kind=DocumentKind.DEPOSIT,
            lines=(line("Acompte de 30 % sur la commande", "3000.00"),),
            due_date=date(2025, 3, 10),
            **overrides,
        ),
        NumberingScheme(pattern="AC-{yyyy}-{seq:04}"),
        SequenceState(),
        on=date(2025, 3, 10),
    )
    final, _ = issue(
        sample_invoice(
            lines=(line("Installation complète", "10000.00"),),
            preceding=(deposit.reference,),
            prepaid=to_money("3600.00", "EUR"),
            due_date=date(2025, 4, 30),
            **overrides,
        ),
        sample_scheme(),
        SequenceState(),
        on=date(2025, 3, 31),
    )
    return deposit, final
