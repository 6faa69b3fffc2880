"""Workload "journal": journal entries and the FEC file of N issued invoices.

Candidates:

* ``raw Decimal``: a hand-written loop that writes the FEC rows of each invoice
  (D 411 gross, C 706 net, C 44571x VAT per rate) with f-strings from the invoices'
  totals, read from plain tuples. This is the baseline.
* ``facturlib``: `facturlib.journalize` (balanced, validated `JournalEntry` values
  built from each issued invoice's `Totals`) then `facturlib.export_fec` (the whole
  file, numbered and encoded in ISO 8859-15).

Both start from invoices whose totals are already computed (the ``totals``
workload times that part) and return (Σ debits, number of FEC rows); they must agree.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from harness import Inputs, Workload

from facturlib import (
    FR_REDUCED,
    FR_STANDARD,
    Activity,
    ChartOfAccounts,
    Invoice,
    Line,
    NumberingScheme,
    SequenceState,
    export_fec,
    issue,
    journalize,
    to_money,
)
from facturlib.testing.builders import sample_buyer, sample_seller

__all__ = ["JOURNAL", "JournalData", "make_data"]

SEED = 42
LINES_PER_INVOICE = 3
_ZERO = Decimal(0)
Result = tuple[Decimal, int]


@dataclass(frozen=True)
class JournalData:
    """Issued invoices (totals computed) and the same figures as plain tuples.

    Attributes:
        invoices: the issued `Invoice` values.
        rows: per invoice (number, AAAAMMJJ date, customer key, customer name, net,
            ((VAT account, VAT amount), ...), gross).
    """

    invoices: tuple[Invoice, ...]
    rows: tuple[tuple[str, str, str, str, Decimal, tuple[tuple[str, Decimal], ...], Decimal], ...]


def make_data(count: int, seed: int = SEED) -> JournalData:
    """*count* invoices of 3 lines (VAT 20 % or 5.5 %) to 50 customers, issued over a year."""
    rng = random.Random(seed)
    customers = [sample_buyer(id=f"CLI{i:04d}", name=f"Client {i} SARL") for i in range(50)]
    seller, scheme, state = (
        sample_seller(),
        NumberingScheme(pattern="FA-{yyyy}-{seq:06}"),
        SequenceState(),
    )
    invoices, rows = [], []
    accounts = {FR_STANDARD: "445711", FR_REDUCED: "445713"}
    for i in range(count):
        day = date(2025, 1, 1) + timedelta(days=i * 365 // max(count, 1))
        lines = [
            Line(
                description="Prestation",
                quantity=rng.randint(1, 20),
                unit_price=to_money(Decimal(rng.randint(50, 200_000)).scaleb(-2), "EUR"),
                vat=FR_STANDARD if rng.random() < 0.7 else FR_REDUCED,
            )
            for _ in range(LINES_PER_INVOICE)
        ]
        buyer = rng.choice(customers)
        draft = Invoice(seller=seller, buyer=buyer, currency="EUR", lines=lines)
        invoice, state = issue(draft, scheme, state, on=day, due_date=day + timedelta(days=30))
        totals = invoice.totals()
        vats = tuple((accounts[b.vat], b.amount.amount) for b in totals.vat_breakdown)
        rows.append(
            (
                invoice.number or "",
                f"{day:%Y%m%d}",
                buyer.key,
                buyer.name,
                totals.tax_exclusive_total.amount,
                vats,
                totals.tax_inclusive_total.amount,
            )
        )
        invoices.append(invoice)
    return JournalData(invoices=tuple(invoices), rows=tuple(rows))


def _setup(size: int) -> Inputs:
    return Inputs(data=make_data(size), units=size)


def raw_decimal(data: JournalData) -> Callable[[], Result]:
    """The baseline: FEC rows written by hand from plain tuples."""
    rows = data.rows

    def run() -> Result:
        out = ["JournalCode|...header"]
        debits = _ZERO
        for n, (number, day, key, name, net, vats, gross) in enumerate(rows, start=1):
            head = f"VT|Ventes|VT{n:06d}|{day}|"
            tail = f"|{number}|{day}|Facture {number} {name}|"
            out.append(
                f"{head}411000|Clients|{key}|{name}{tail}{gross:f}".replace(".", ",")
                + "|0,00|||"
                + day
                + "||"
            )
            out.append(
                f"{head}706000|Prestations de services||{tail}0,00|"
                + f"{net:f}".replace(".", ",")
                + f"|||{day}||"
            )
            for account, vat in vats:
                if vat:
                    out.append(
                        f"{head}{account}|TVA collectée||{tail}0,00|"
                        + f"{vat:f}".replace(".", ",")
                        + f"|||{day}||"
                    )
            debits += gross
        "\r\n".join(out).encode("iso-8859-15")
        return debits, len(out) - 1

    return run


def facturlib_journal(data: JournalData) -> Callable[[], Result]:
    """`journalize` then `export_fec` on the issued invoices."""
    activity = Activity(documents=data.invoices)
    chart = ChartOfAccounts()

    def run() -> Result:
        entries = journalize(activity, chart=chart)
        fec = export_fec(entries, siren="732829320", closing=date(2025, 12, 31))
        debits = sum((entry.total.amount for entry in entries), _ZERO)
        return debits, fec.content.count(b"\r\n") - 1

    return run


JOURNAL = Workload(
    name="journal",
    unit="invoice",
    description=(
        f"journal entries + FEC file of issued invoices of {LINES_PER_INVOICE} lines, per invoice"
    ),
    setup=_setup,
    candidates={"raw Decimal": raw_decimal, "facturlib": facturlib_journal},
    baseline="raw Decimal",
    size=5_000,
    quick_size=300,
    targets={"facturlib": 4.0},
)
