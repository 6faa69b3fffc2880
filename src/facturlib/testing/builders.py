"""Ready-made sample values for tests, examples and notebooks.

The sample seller and buyer carry valid French identifiers (SIREN, VAT id,
IBAN), so documents built from them can be issued as they are.

>>> sample_invoice().totals().tax_inclusive_total
Money('1440.00', 'EUR')
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from facturlib.core._codes import DocumentKind
from facturlib.core.documents import Invoice, Order
from facturlib.core.issuing import issue
from facturlib.core.lines import Line, Product
from facturlib.core.money import to_money
from facturlib.core.numbering import (
    NumberingPlan,
    NumberingScheme,
    Reset,
    SequenceState,
    SeriesRule,
)
from facturlib.core.parties import Address, Contact, Party
from facturlib.core.vat import FR_REDUCED, FR_STANDARD
from facturlib.sepa.batch import DirectDebit, DirectDebitBatch
from facturlib.sepa.mandates import Mandate, SequenceType

if TYPE_CHECKING:
    from facturlib.runs.drafting import CustomerBook

__all__ = [
    "SAMPLE_IBANS",
    "sample_buyer",
    "sample_creditor",
    "sample_deposit_invoices",
    "sample_direct_debit_batch",
    "sample_invoice",
    "sample_line",
    "sample_mandate",
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


def sample_product_order(**overrides: Any) -> Order:
    """Order BC-9 of three products: 20 × 900.00 (DEV) and 3 × 333.33 (LIC) at 20 %,
    7 × 12.99 books (BK, goods) at 5.5 %: 18 999.99 + 90.93 = 19 090.92 HT.

    >>> sample_product_order().totals().tax_exclusive_total
    Money('19090.92', 'EUR')
    """
    fields: dict[str, Any] = {
        "seller": sample_seller(),
        "buyer": sample_buyer(),
        "currency": "EUR",
        "number": "BC-9",
        "lines": [
            Line(
                description="Développement",
                quantity=20,
                unit_price=to_money("900.00", "EUR"),
                vat=FR_STANDARD,
                product_id="DEV",
                id="A",
            ),
            Line(
                description="Licence",
                quantity=3,
                unit_price=to_money("333.33", "EUR"),
                vat=FR_STANDARD,
                product_id="LIC",
                id="B",
            ),
            Line(
                description="Livres",
                quantity=7,
                unit_price=to_money("12.99", "EUR"),
                vat=FR_REDUCED,
                product_id="BK",
                id="C",
                supply="goods",
            ),
        ],
    }
    fields.update(overrides)
    return Order(**fields)


def sample_scheme() -> NumberingScheme:
    """The numbering scheme ``FA-{yyyy}-{seq:04}``, reset every year (CGI ann. II 242 nonies A)."""
    return NumberingScheme(pattern="FA-{yyyy}-{seq:04}", reset=Reset.YEARLY)


def sample_numbering_plan() -> NumberingPlan:
    """Invoices numbered ``FA-{yyyy}-{seq:05}``, reset every year."""
    scheme = NumberingScheme(pattern="FA-{yyyy}-{seq:05}", reset=Reset.YEARLY)
    return NumberingPlan(rules=[SeriesRule(scheme=scheme, kinds={DocumentKind.INVOICE})])


def sample_deposit_invoices(**overrides: Any) -> tuple[Invoice, Invoice]:
    """Issued: a 30 % deposit invoice and the final invoice deducting it.

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


#: Valid IBANs of several SEPA countries (ISO 13616 check digits), for debtors.
SAMPLE_IBANS = (
    "FR7630006000011234567890189",
    "DE89370400440532013000",
    "FR1420041010050500013M02606",
    "ES9121000418450200051332",
    "IT60X0542811101000000123456",
    "NL91ABNA0417164300",
    "BE68539007547034",
    "AT611904300234573201",
)


def sample_creditor(**overrides: Any) -> Party:
    """`sample_seller` with the EPC example creditor identifier FR72ZZZ123456."""
    fields: dict[str, Any] = {"creditor_id": "FR72ZZZ123456"}
    fields.update(overrides)
    return sample_seller(**fields)


def sample_mandate(index: int = 1, **overrides: Any) -> Mandate:
    """A CORE mandate ``RUM-<index>`` signed on 2025-01-10 by customer ``CLI<index>``."""
    debtor = Party(
        name=f"Client {index:06d}",
        address=Address(
            line1=f"{index % 200 + 1} rue de la Republique",
            postal_code=f"{69001 + index % 9}",
            city="Lyon",
            country_code="FR",
        ),
        iban=SAMPLE_IBANS[index % len(SAMPLE_IBANS)],
        id=f"CLI{index:06d}",
    )
    fields: dict[str, Any] = {
        "reference": f"RUM-{index:06d}",
        "signed_on": date(2025, 1, 10),
        "debtor": debtor,
        "signed_at": "Lyon",
    }
    fields.update(overrides)
    return Mandate(**fields)


def sample_direct_debit_batch(
    count: int = 3, *, dates: int = 1, sequence_types: bool = False, **overrides: Any
) -> DirectDebitBatch:
    """A batch of *count* debits of 1.00 to 999.99 EUR on `sample_mandate`\\s, over
    *dates* collection dates from 2025-03-05, all RCUR unless *sequence_types* mixes
    FRST, RCUR, FNAL (and OOFF on one-off mandates)."""
    kinds = (SequenceType.FRST, SequenceType.RCUR, SequenceType.FNAL, SequenceType.OOFF)
    debits = []
    for i in range(1, count + 1):
        kind = kinds[i % 4] if sequence_types else SequenceType.RCUR
        mandate = sample_mandate(i, recurrent=kind is not SequenceType.OOFF)
        debits.append(
            DirectDebit(
                end_to_end_id=f"E2E-{i:07d}",
                amount=to_money(Decimal((i * 7919) % 99899 + 100).scaleb(-2), "EUR"),
                mandate=mandate,
                collection_date=date(2025, 3, 5) + timedelta(days=7 * (i % dates)),
                sequence_type=kind,
                remittance=f"Facture FA-2025-{i:06d}",
                customer=mandate.debtor.key,
                invoice_number=f"FA-2025-{i:06d}",
            )
        )
    fields: dict[str, Any] = {
        "message_id": "MSG-2025-0001",
        "created_at": datetime(2025, 3, 1, 9, 0),
        "creditor": sample_creditor(),
        "debits": tuple(debits),
    }
    fields.update(overrides)
    return DirectDebitBatch(**fields)


def sample_customer_books(
    count: int, *, items: int = 3, start: date = date(2026, 1, 1), first: int = 1
) -> Iterator[CustomerBook]:
    """*count* customers ``CLI<n>`` (those of `sample_mandate`), each with one monthly
    subscription of *items* products started on *start*, billed by
    `sample_creditor`; yielded one at a time (a stand-in for a database cursor)."""
    from facturlib.recurring.subscriptions import Subscription, SubscriptionItem
    from facturlib.runs.drafting import CustomerBook
    from facturlib.runs.portfolio import PortfolioCustomer, PortfolioSubscription

    seller = sample_creditor()
    for index in range(first, first + count):
        buyer = sample_mandate(index).debtor
        products = [
            SubscriptionItem(
                product=Product(
                    name=f"Service {k}",
                    unit_price=to_money(Decimal(index % 97 + 10 * k).scaleb(-1) + 5, "EUR"),
                    vat=FR_STANDARD,
                )
            )
            for k in range(1, items + 1)
        ]
        subscription = Subscription(
            reference=f"ABO-{index:06d}",
            seller=seller,
            buyer=buyer,
            currency="EUR",
            items=products,
            start=start,
        )
        yield CustomerBook(
            seller=seller,
            customer=PortfolioCustomer(party=buyer),
            subscriptions=[PortfolioSubscription(subscription=subscription)],
        )
