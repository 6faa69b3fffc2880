"""A SaaS subscription over a year: schedule, mid-month upgrade, cancellation.

Run it with ``python examples/subscriptions.py``.

A customer of the sample company (``facturlib.demo``) subscribes on 1 January
2025 to a monthly plan at 49.00 € HT, billed in advance ("à échoir") for twelve
months. Month after month we issue the invoice of the period; on 12 March the
customer upgrades to the 149.00 € plan, and `regenerate()` corrects the March
invoice already issued with a credit note (the unused Starter days, at the price
actually billed) and a debit note (the Business days); the stored drafts of the
later months are replaced by drafts at the new price. On 10 September the
customer cancels at the end of the current period: nothing is credited (September
is paid and served), and the drafts of October to December are dropped.

The script prints every document issued (period, net, VAT, gross) and checks
that what was billed minus what was credited is what the schedule of the amended
contract says the year is worth. It writes no file.
"""

from __future__ import annotations

from datetime import date

import facturlib as fl
from facturlib.demo import load_sample_company


def eur(amount: str) -> fl.Money:
    return fl.to_money(amount, "EUR")


def served(document: fl.Invoice) -> str:
    """The days a document bills, from its lines (a correction covers only the changed days)."""
    periods = [line.period for line in document.lines if line.period is not None]
    first = min(p.start for p in periods)
    last = max(p.last_day for p in periods)
    return f"{first:%d/%m}–{last:%d/%m/%Y}"


def sign(document: fl.Invoice) -> int:
    """+1 for what the customer owes, −1 for a credit note."""
    return -1 if document.kind is fl.DocumentKind.CREDIT_NOTE else 1


def print_table(documents: list[fl.Invoice]) -> None:
    header = f"{'document':<13} {'kind':<12} {'days billed':<18} {'net':>9} {'VAT':>8} {'gross':>9}"
    print(header)
    print("-" * len(header))
    for doc in documents:
        t = doc.totals()
        s = sign(doc)
        kind = "credit note" if s < 0 else ("debit note" if doc.preceding else "invoice")
        print(
            f"{doc.number:<13} {kind:<12} {served(doc):<18} "
            f"{s * t.tax_exclusive_total.amount:>9} {s * t.vat_total.amount:>8} "
            f"{s * t.tax_inclusive_total.amount:>9}"
        )


def signed_sum(documents: list[fl.Invoice], total: str) -> fl.Money:
    """Σ of one total (``"tax_exclusive_total"``, ``"vat_total"``…), credit notes deducted."""
    return fl.sum_money((sign(d) * getattr(d.totals(), total) for d in documents), "EUR")


def main() -> None:
    # The sample company: a seller, customers with valid SIREN / VAT ids, and a numbering
    # plan with one series per document kind (FA- invoices, AV- credit notes).
    company = load_sample_company()
    customer = company.customer("CLI0003")
    starter = fl.Product(
        name="Plan Starter (5 utilisateurs)",
        unit_price=eur("49.00"),
        vat=fl.FR_STANDARD,
        unit="MON",
        id="STARTER",
    )
    business = fl.Product(
        name="Plan Business (20 utilisateurs)",
        unit_price=eur("149.00"),
        vat=fl.FR_STANDARD,
        unit="MON",
        id="BUSINESS",
    )

    # 1. The contract: monthly, in advance (the default), twelve installments from 1 January.
    #    Day counts default to actual/actual, so a partial month is worth its days.
    contract = fl.Subscription(
        reference="ABO-2025-017",
        seller=company.seller,
        buyer=customer,
        currency="EUR",
        items=[fl.SubscriptionItem(product=starter)],
        start=date(2025, 1, 1),
        installments=12,
    )
    # schedule() is pure: the year's drafts, which an application would store.
    pending = list(fl.schedule(contract))
    print(f"Contract {contract.reference} for {customer.name}: {len(pending)} monthly drafts,")
    year = fl.sum_money((d.totals().tax_exclusive_total for d in pending), "EUR")
    print(f"worth {year.amount} € HT.\n")

    state = fl.SequenceState()  # the numbering position, a value we carry along
    issued: list[fl.Invoice] = []

    def issue_due(today: date) -> None:
        """Issue every stored draft whose invoice date has come (a nightly job)."""
        nonlocal state
        while pending:
            day = pending[0].issue_date  # schedule() dates every draft: its invoice date
            assert day is not None
            if day > today:
                break
            invoice, state = fl.issue(pending.pop(0), company.numbering, state, on=day)
            issued.append(invoice)

    # 2. January to March are invoiced on the 1st of each month.
    issue_due(date(2025, 3, 1))

    # 3. On 12 March the customer upgrades. amend() returns a new contract holding the
    #    change; regenerate() compares it with what was issued and returns corrections.
    upgrade_day = date(2025, 3, 12)
    contract = fl.amend(contract, on=upgrade_day, item="STARTER", product=business)
    result = fl.regenerate(contract, issued, on=upgrade_day, drafts=pending)
    print(
        f"Upgrade on {upgrade_day:%d/%m/%Y}: {len(result.credit_notes)} credit note, "
        f"{len(result.debit_notes)} debit note, {len(result.dropped)} stored drafts replaced "
        f"by {len(result.drafts)} new ones."
    )
    for correction in result.corrections:  # credit notes first, then debit notes
        document, state = fl.issue(correction, company.numbering, state, on=upgrade_day)
        issued.append(document)
    pending = list(result.drafts)

    # 4. April to September are invoiced at the new price.
    issue_due(date(2025, 9, 1))

    # 5. On 10 September the customer cancels at the end of the current period.
    cancel_day = date(2025, 9, 10)
    contract = fl.cancel(contract, on=cancel_day, at=fl.CancelAt.END_OF_PERIOD)
    result = fl.regenerate(contract, issued, on=cancel_day, drafts=pending)
    # September was billed in advance and is served to its end: nothing to correct.
    assert not result.corrections, result.corrections
    assert not result.drafts, result.drafts
    print(
        f"Cancellation on {cancel_day:%d/%m/%Y}, effective {contract.end:%d/%m/%Y}: "
        f"{len(result.dropped)} stored drafts dropped, no correction.\n"
    )
    pending = []

    # 6. What was issued, credit notes negative.
    print_table(issued)
    billed = {
        name: signed_sum(issued, total)
        for name, total in [
            ("net", "tax_exclusive_total"),
            ("VAT", "vat_total"),
            ("gross", "tax_inclusive_total"),
        ]
    }
    print(
        f"{'billed − credited':<45} {billed['net'].amount:>9} {billed['VAT'].amount:>8} "
        f"{billed['gross'].amount:>9}"
    )

    # 7. The check: the schedule of the amended, cancelled contract, computed afresh, is what
    #    the year is worth. The net amounts agree to the cent. Each correction is a document
    #    of its own whose VAT is rounded on its own (EN 16931 rounds VAT per document), so
    #    the VAT may differ by at most one cent per correction document.
    fresh = list(fl.schedule(contract))
    worth = {
        "net": fl.sum_money((d.totals().tax_exclusive_total for d in fresh), "EUR"),
        "VAT": fl.sum_money((d.totals().vat_total for d in fresh), "EUR"),
        "gross": fl.sum_money((d.totals().tax_inclusive_total for d in fresh), "EUR"),
    }
    print(
        f"{'fresh schedule of the amended contract':<45} {worth['net'].amount:>9} "
        f"{worth['VAT'].amount:>8} {worth['gross'].amount:>9}"
    )
    corrections = sum(1 for d in issued if d.preceding)
    assert len(fresh) == 9, len(fresh)  # January to September
    assert worth["net"] == billed["net"], (worth["net"], billed["net"])
    for name in ("VAT", "gross"):
        gap = abs((worth[name] - billed[name]).amount)
        assert gap <= corrections * eur("0.01").amount, (name, worth[name], billed[name])
    print(
        f"\nOK: net billed = schedule; VAT within one cent per correction document "
        f"({corrections} corrections, VAT gap {(billed['VAT'] - worth['VAT']).amount})."
    )


if __name__ == "__main__":
    main()
