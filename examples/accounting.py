"""A month of sales in the books: journal, trial balance, lettering, PCA and the FEC.

Run it with ``python examples/accounting.py``. The FEC file is written to a
temporary directory that is deleted at exit; ``--out DIR`` keeps it in DIR, and
``--stdout`` writes the FEC itself (ISO 8859-15) to stdout and this report to
stderr, e.g. ``python examples/accounting.py --stdout > FEC.txt``.

December 2025 at the sample company (``facturlib.demo``), the last month of its
fiscal year:

* three invoices — a year of hosting billed up front (1 December 2025 –
  30 November 2026), five days of development, and a training day with printed
  guides (goods at 5.5 % VAT);
* a credit note for one day of development not delivered;
* three payments: two settle their invoices, the third pays part of one.

The script books them with `journalize()` (sales journal VT, bank journal BQ),
prints the journal and the trial balance, letters the customer account,
defers the eleven months of hosting that belong to 2026 (produits constatés
d'avance, account 487) and writes the FEC of the year, which `check_fec()` then
reads back and checks. It asserts that the books agree with the documents.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

import facturlib as fl
from facturlib.demo import load_sample_company

CLOSING = date(2025, 12, 31)


def eur(amount: str) -> fl.Money:
    return fl.to_money(amount, "EUR")


def print_entries(entries: Iterable[fl.JournalEntry], out: TextIO) -> None:
    """One line per journal line: journal, date, piece, account, auxiliary, debit, credit."""
    for entry in entries:
        for line in entry.lines:
            debit = line.debit.amount if line.debit else ""
            credit = line.credit.amount if line.credit else ""
            print(
                f"  {entry.journal.code} {entry.date:%d/%m} {entry.piece:<13} "
                f"{line.account.number} {line.auxiliary or '':<8} {debit:>9} {credit:>9}"
                + (f"  {line.lettering}" if line.lettering else ""),
                file=out,
            )


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--out", type=Path, help="write the FEC file to this directory")
    where.add_argument("--stdout", action="store_true", help="write the FEC file to stdout")
    args = parser.parse_args(argv)
    # With --stdout, stdout carries the FEC file only; the report goes to stderr.
    report = sys.stderr if args.stdout else sys.stdout

    def say(*text: object) -> None:
        print(*text, file=report)

    company = load_sample_company()
    bakery, dupont, riviere = (company.customer(k) for k in ("CLI0001", "CLI0002", "CLI0003"))
    state = fl.SequenceState()

    def issue(draft: fl.Invoice, on: date) -> fl.Invoice:
        nonlocal state
        document, state = fl.issue(draft, company.numbering, state, on=on)
        return document

    def invoice(buyer: fl.Party, lines: list[fl.Line], on: date) -> fl.Invoice:
        due = on + timedelta(days=30)  # the 411 lines carry it (not an FEC column)
        draft = fl.Invoice(
            seller=company.seller, buyer=buyer, currency="EUR", lines=lines, due_date=due
        )
        return issue(draft, on)

    # 1. The month's documents. The hosting line has a service period (BG-26) running into
    #    2026: that is what the deferral at the closing reads.
    hosting = company.product("HEB")
    year_of_hosting = fl.Line(
        description="Hébergement et maintenance, 12 mois",
        quantity="12",
        unit="MON",
        unit_price=hosting.unit_price,
        vat=hosting.vat,
        product_id="HEB",
        period=fl.Period(date(2025, 12, 1), date(2026, 12, 1)),
    )
    fa1 = invoice(bakery, [year_of_hosting], date(2025, 12, 1))
    fa2 = invoice(dupont, [company.product("DEV").line("5")], date(2025, 12, 5))
    fa3 = invoice(
        riviere,
        [company.product("FORM").line("1"), company.product("GUIDE").line("20")],
        date(2025, 12, 10),
    )
    av1 = issue(
        fl.credit_note(fa2, lines={"1": "1"}, reason="Une journée non réalisée"),
        date(2025, 12, 15),
    )
    documents = [fa1, fa2, fa3, av1]
    payments = [
        fl.Payment(
            id="VIR-1220", customer=bakery.key, amount=eur("2880.00"), date=date(2025, 12, 20)
        ),
        fl.Payment(
            id="VIR-1229", customer=dupont.key, amount=eur("3120.00"), date=date(2025, 12, 29)
        ),
        fl.Payment(
            id="CB-1230",
            customer=riviere.key,
            amount=eur("500.00"),
            date=date(2025, 12, 30),
            method=fl.PaymentMethod.CARD,
        ),
    ]
    # settle() says what each payment and the credit note settle; the allocations are
    # what the bank journal and the lettering need.
    settlement = fl.settle(documents, payments, on=CLOSING)

    # 2. The chart of accounts: the PCG preset, hosting on its own revenue account and the
    #    guides as goods (707). Customers get auxiliary accounts named by their Party.key.
    chart = (
        fl.ChartOfAccounts()
        .with_product("HEB", account=fl.Account("706100", "Hébergement et maintenance"))
        .with_product("GUIDE", kind=fl.RevenueKind.GOODS)
    )
    activity = fl.Activity(
        documents=documents, payments=payments, allocations=settlement.allocations
    )
    entries = fl.journalize(activity, chart=chart)

    # 3. Lettering: the customer lines that settle each other share a code (EcritureLet).
    #    FA-2025-0003 is only partly paid, so its lines stay open.
    entries = fl.letter(entries, allocations=settlement.allocations, credit_notes=[av1])
    say("Journal (VT sales, BQ bank), with lettering:")
    print_entries(entries, report)

    # 4. The closing: eleven of the twelve months of hosting are 2026 revenue. The PCA entry
    #    is dated on the closing; its reversal, on 1 January, belongs to the next year.
    (pca,) = fl.deferred_revenue(
        documents, chart=chart, closing=CLOSING, basis=fl.DeferralBasis.MONTHS
    )
    say(f"\nDeferred revenue of {pca.piece} at {CLOSING:%d/%m/%Y}: {pca.amount.amount}")
    print_entries([pca.entry], report)
    say(f"  (reversed on {pca.reversal.date:%d/%m/%Y}, in the next year's books)")
    books = (*entries, pca.entry)

    # 5. The trial balance: every entry balances, so it sums to zero.
    tb = fl.trial_balance(books)
    say(f"\nTrial balance at {CLOSING:%d/%m/%Y}:")
    say(f"  {'account':<36} {'debit':>9} {'credit':>9} {'balance':>9}")
    for row in tb.rows:
        say(
            f"  {row.account.number} {row.account.label:<29} {row.debit.amount:>9} "
            f"{row.credit.amount:>9} {row.balance.amount:>9}"
        )
    say(f"  {'total':<36} {tb.total_debit.amount:>9} {tb.total_credit.amount:>9}")
    assert tb.balance.amount == 0, tb.balance

    # The books agree with the documents and the payments:
    # - each customer's account (411 + auxiliary) is what settle() says it still owes;
    for customer in (bakery, dupont, riviere):
        owed = fl.customer_balance(settlement, customer.key).net
        assert fl.account_balance(books, "411", auxiliary=customer.key) == owed, customer.key
    # - the VAT collected (4457…) is the VAT of the invoices less that of the credit note;
    sign = {fa1.number: 1, fa2.number: 1, fa3.number: 1, av1.number: -1}
    vat = fl.sum_money((sign[d.number] * d.totals().vat_total for d in documents), "EUR")
    assert fl.account_balance(books, "4457") == -vat, vat
    # - revenue (70…) is what was invoiced, net of the credit note and of the PCA.
    net = fl.sum_money((sign[d.number] * d.totals().tax_exclusive_total for d in documents), "EUR")
    assert fl.account_balance(books, "70") == -(net - pca.amount), net
    assert pca.amount == eur("2200.00")  # 2 400.00 × 11/12 (months basis)

    # 6. The FEC of the fiscal year: legal name, 18 columns, ISO 8859-15, numbered entries.
    fec = fl.export_fec(books, siren=str(company.seller.siren), closing=CLOSING)
    if args.stdout:
        sys.stdout.buffer.write(fec.content)
        sys.stdout.flush()
        content = fec.content
        say(f"\nFEC {fec.filename} written to stdout ({len(fec.content)} bytes).")
    else:
        with tempfile.TemporaryDirectory(prefix="facturlib-fec-") as tmp:
            folder = args.out or Path(tmp)
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / fec.filename
            path.write_bytes(fec.content)
            content = path.read_bytes()  # what an auditor would receive
            kept = "" if args.out else " (a temporary directory, deleted at exit)"
            say(f"\nFEC written to {path}{kept}:")
            for line in content.decode(fec.encoding).splitlines()[:4]:
                say(f"  {line}")
            say("  …")

    # 7. check_fec() reads any FEC file and returns every rule it breaks; none here. Read
    #    back, the file gives the entries as the FEC keeps them.
    problems = fl.check_fec(content, filename=fec.filename, closing=CLOSING)
    for problem in problems:
        say(f"  problem: {problem.code}: {problem.message}")
    assert not problems, problems
    assert fl.parse_fec(content) == fl.as_in_fec(books)
    say(f"\nOK: check_fec found no problem; {len(books)} entries, trial balance zero.")


if __name__ == "__main__":
    main(sys.argv[1:])
