"""The sample company behind ``facturlib demo``, and a year of its billing.

`load_sample_company` reads the bundled sample company — a small Paris software
studio, its customers, products and numbering series (``company.json`` in this
package; every identifier is valid but fictitious). `bill_year` then runs a
year of its billing through the library and returns the resulting `Books`:
every document issued, in the order it was issued, and the numbering state.

`bill_year` is a pure function of the company: run it twice, get the same books.
It is what the ``facturlib demo`` command prints and writes, and it doubles as a
realistic data set for notebooks and tests:

>>> company = load_sample_company()
>>> company.seller.name
'Atelier Numérique SAS'
>>> books = bill_year(company)
>>> books.documents[0].number
'FA-2025-0001'
>>> len(books.invoices()) > 12
True

.. versionadded:: 0.1
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from importlib import resources
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from facturlib.credit_notes import credit_note
from facturlib.documents import DocumentKind, Invoice
from facturlib.errors import InvalidValue
from facturlib.issuing import issue
from facturlib.lines import Line, Product
from facturlib.money import to_money
from facturlib.numbering import NumberingPlan, NumberingScheme, Reset, SequenceState, SeriesRule
from facturlib.parties import Party
from facturlib.periods import Period
from facturlib.serialize import from_dict
from facturlib.vat import VatRate

__all__ = ["Books", "SampleCompany", "bill_year", "company_from_dict", "load_sample_company"]


@attrs.frozen(kw_only=True)
class SampleCompany:
    """A seller with its customers, products, numbering plan and fiscal year.

    Attributes:
        seller: the company that bills.
        customers: its customers; each has an ``id`` (its `Party.key`).
        products: its catalogue; each has an ``id``.
        numbering: one series per document kind.
        fiscal_year: the year `bill_year` bills, as a half-open `Period`.
    """

    seller: Party
    customers: tuple[Party, ...]
    products: tuple[Product, ...]
    numbering: NumberingPlan
    fiscal_year: Period

    def customer(self, key: str) -> Party:
        """The customer whose `Party.key` is *key*."""
        for party in self.customers:
            if party.key == key:
                return party
        raise InvalidValue(
            "no such customer",
            field="key",
            value=key,
            hint="use one of " + ", ".join(p.key for p in self.customers),
        )

    def product(self, product_id: str) -> Product:
        """The product whose ``id`` is *product_id*."""
        for product in self.products:
            if product.id == product_id:
                return product
        raise InvalidValue(
            "no such product",
            field="product_id",
            value=product_id,
            hint="use one of " + ", ".join(str(p.id) for p in self.products),
        )


@attrs.frozen(kw_only=True)
class Books:
    """What a year of billing produced.

    Attributes:
        company: the company that billed.
        documents: every issued invoice, deposit invoice and credit note, in the
            order they were issued.
        state: the numbering state after the last one.
    """

    company: SampleCompany
    documents: tuple[Invoice, ...]
    state: SequenceState

    def invoices(self) -> tuple[Invoice, ...]:
        """The documents that are not credit notes."""
        return tuple(d for d in self.documents if d.kind is not DocumentKind.CREDIT_NOTE)

    def credit_notes(self) -> tuple[Invoice, ...]:
        """The credit notes."""
        return tuple(d for d in self.documents if d.kind is DocumentKind.CREDIT_NOTE)


_KINDS = {
    "invoice": DocumentKind.INVOICE,
    "credit_note": DocumentKind.CREDIT_NOTE,
    "deposit": DocumentKind.DEPOSIT,
}


def company_from_dict(data: Mapping[str, Any]) -> SampleCompany:
    """Build a `SampleCompany` from the plain data of ``company.json``.

    Every party and product goes through its constructor, so every identifier is
    checked again.

    Raises:
        InvalidValue: a missing key or a value that fails its check (the message
            names the path).
    """
    try:
        year = data["fiscal_year"]
        rules = [
            SeriesRule(
                scheme=NumberingScheme(pattern=pattern, reset=Reset.YEARLY),
                kinds={_KINDS[kind]},
            )
            for kind, pattern in data["numbering"].items()
        ]
        return SampleCompany(
            seller=from_dict(Party, data["seller"]),
            customers=tuple(from_dict(Party, c) for c in data["customers"]),
            products=tuple(from_dict(Product, p) for p in data["products"]),
            numbering=NumberingPlan(rules=rules),
            fiscal_year=Period(
                start=date.fromisoformat(year["start"]), end=date.fromisoformat(year["end"])
            ),
        )
    except KeyError as exc:
        raise InvalidValue(
            "sample company data lacks a key",
            field=str(exc.args[0]),
            hint="see facturlib/demo/company.json for the expected shape",
        ) from None


def load_sample_company() -> SampleCompany:
    """The bundled sample company (``facturlib/demo/company.json``)."""
    text = resources.files(__package__).joinpath("company.json").read_text(encoding="utf-8")
    return company_from_dict(json.loads(text))


def _line(company: SampleCompany, product_id: str, quantity: str, **fields: Any) -> Line:
    product = company.product(product_id)
    base: dict[str, Any] = {
        "description": product.name,
        "quantity": Decimal(quantity),
        "unit": product.unit,
        "unit_price": product.unit_price,
        "vat": product.vat,
        "product_id": product.id,
    }
    return Line(**(base | fields))


class _Ledger:
    """Issues drafts in date order and keeps what was issued (a private helper of bill_year)."""

    def __init__(self, company: SampleCompany) -> None:
        self.company = company
        self.state = SequenceState()
        self.documents: list[Invoice] = []

    def issue(self, draft: Invoice, on: date, *, due_in_days: int | None = 30) -> Invoice:
        due = None if due_in_days is None else on + relativedelta(days=due_in_days)
        issued, self.state = issue(draft, self.company.numbering, self.state, on, due_date=due)
        self.documents.append(issued)
        return issued

    def draft(self, customer: str, lines: list[Line], **fields: Any) -> Invoice:
        return Invoice(
            seller=self.company.seller,
            buyer=self.company.customer(customer),
            currency="EUR",
            lines=lines,
            **fields,
        )


def bill_year(company: SampleCompany) -> Books:
    """Run the sample company's year of billing and return the `Books`.

    The year: a monthly hosting-and-licences subscription billed in advance to
    CLI0001 (with a one-off training day on the first invoice); a development
    project for CLI0002 with a 30 % deposit invoice in February and the final
    invoice deducting it in May; consulting hours billed monthly in arrears to
    CLI0003, one invoice of which is partly credited; and a reverse-charge
    consulting invoice to a German customer (CLI0004).

    Args:
        company: the company, e.g. `load_sample_company()`.

    Returns:
        The `Books` of the year, documents in issue order.
    """
    ledger = _Ledger(company)
    year = company.fiscal_year
    months = [year.start + relativedelta(months=k) for k in range(12)]
    hours = ["12", "8", "15", "10", "9", "14", "6", "4", "16", "11", "13", "7"]
    eur = company.seller.capital.currency if company.seller.capital else "EUR"

    for index, month in enumerate(months):
        service = Period(start=month, end=month + relativedelta(months=1))
        events: list[tuple[date, str]] = [(month, "subscription")]
        if index > 0:
            events.append((month + relativedelta(days=4), "hours"))
        if month.month == 2:
            events.append((month + relativedelta(days=9), "deposit"))
        if month.month == 5:
            events.append((month + relativedelta(days=19), "final"))
        if month.month == 6:
            events.append((month + relativedelta(days=14), "export"))
        if month.month == 10:
            events.append((month + relativedelta(days=6), "credit"))
        for on, event in sorted(events):
            if event == "subscription":
                lines = [
                    _line(company, "HEB", "1", period=service),
                    _line(company, "LIC", "3", period=service),
                ]
                if index == 0:
                    lines.append(_line(company, "FORM", "1"))
                ledger.issue(ledger.draft("CLI0001", lines, period=service), on)
            elif event == "hours":
                previous = Period(start=months[index - 1], end=month)
                lines = [_line(company, "CONS", hours[index - 1], period=previous)]
                ledger.issue(ledger.draft("CLI0003", lines, period=previous), on)
            elif event == "deposit":
                deposit = Line(
                    description="Acompte 30 % — développement sur mesure (commande CDE-2025-07)",
                    quantity=Decimal(1),
                    unit_price=to_money("3900.00", eur),
                    vat=company.product("DEV").vat,
                )
                draft = ledger.draft(
                    "CLI0002", [deposit], kind=DocumentKind.DEPOSIT, order_reference="CDE-2025-07"
                )
                ledger.issue(draft, on, due_in_days=0)
            elif event == "final":
                deposit_invoice = next(
                    d for d in ledger.documents if d.kind is DocumentKind.DEPOSIT
                )
                draft = ledger.draft(
                    "CLI0002",
                    [_line(company, "DEV", "20"), _line(company, "GUIDE", "5")],
                    order_reference="CDE-2025-07",
                    preceding=[deposit_invoice.reference],
                    prepaid=deposit_invoice.totals().tax_inclusive_total,
                )
                ledger.issue(draft, on)
            elif event == "export":
                consulting = _line(
                    company, "CONS", "24", vat=VatRate.reverse_charge(), note="Audit à distance"
                )
                ledger.issue(ledger.draft("CLI0004", [consulting]), on)
            else:  # "credit": four hours of September were billed twice
                september = next(
                    d
                    for d in ledger.documents
                    if d.buyer.key == "CLI0003" and d.period and d.period.start.month == 9
                )
                credit = credit_note(
                    september, lines={"1": "4"}, reason="Heures facturées deux fois"
                )
                ledger.issue(credit, on, due_in_days=None)
    return Books(company=company, documents=tuple(ledger.documents), state=ledger.state)
