"""A fixed-price project: quote, order, two deposits, and the final invoice.

Run it with ``python examples/project_billing.py``.

The sample company (``facturlib.demo``) quotes a customer a customer-portal
redesign at a fixed price (development and training at 20 % VAT, printed user
guides at 5.5 %). The customer signs; the order is billed by a 30/40/30 plan:

* 30 % at the order and 40 % at acceptance testing. The work is delivered only
  at the go-live, so both are deposits (factures d'acompte, type 386, CGI 289):
  VAT is due on them, and they are invoiced as deposits;
* the remaining 30 % at the go-live, by the **final invoice**: it states the
  full price, deducts the two deposits (HT and VAT, per rate) and refers to them.

After each document the script prints the deal's status (issued, still planned,
remaining). It then checks that the final invoice leaves due exactly what the
plan's balance milestone says, and that the deposits plus the final invoice add
up to the order to the cent — net and VAT, at each VAT rate. It writes no file.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import facturlib as fl
from facturlib.demo import load_sample_company


def amounts(document: fl.Invoice | fl.Order | fl.Quote) -> str:
    t = document.totals()
    return (
        f"{t.tax_exclusive_total.amount:>9} HT {t.vat_total.amount:>8} VAT "
        f"{t.tax_inclusive_total.amount:>9} TTC"
    )


def print_status(event: str, order: fl.Order, documents: list[fl.Invoice]) -> None:
    """One line of deal tracking: what is issued, what is still a draft, what remains."""
    s = fl.deal_status(order, documents)
    print(
        f"  {event:<30} issued {s.issued.amount:>9.2f} ({s.issued_percent:>6} %)"
        f"  planned {s.draft.amount:>9.2f}  remaining {s.remaining.amount:>9.2f}"
    )


def by_rate(breakdown: tuple[fl.VatBreakdown, ...]) -> dict[fl.VatRate, tuple[Decimal, Decimal]]:
    return {b.vat: (b.taxable.amount, b.amount.amount) for b in breakdown}


def main() -> None:
    # The sample company: seller, customers with valid identifiers, a product catalogue
    # and a numbering plan (FA- invoices, AC- deposit invoices, AV- credit notes).
    company = load_sample_company()
    customer = company.customer("CLI0002")

    # 1. The quote (devis): lines made from catalogue products. Amounts are exact.
    quote = fl.Quote(
        seller=company.seller,
        buyer=customer,
        currency="EUR",
        number="DE-2025-0042",
        issue_date=date(2025, 1, 20),
        valid_until=date(2025, 2, 19),
        lines=[
            company.product("DEV").line("18"),  # 18 days of development at 650.00
            company.product("FORM").line("2"),  # 2 days of training at 900.00
            company.product("GUIDE").line("12"),  # 12 printed guides at 29.90, VAT 5.5 %
        ],
        payment_terms="Acomptes à réception, solde à 30 jours",
    )
    print(f"Quote {quote.number} for {customer.name}: {amounts(quote)}")
    for entry in quote.totals().vat_breakdown:
        print(
            f"  {entry.vat.label:<8} base {entry.taxable.amount:>9}  VAT {entry.amount.amount:>8}"
        )

    # The quote is sent; an offer lapses at its validity date, so signing on 1 March
    # is refused.
    quote = fl.send_quote(quote, on=date(2025, 1, 20))
    try:
        fl.accept_quote(quote, on=date(2025, 3, 1))
    except fl.DocumentError as err:
        # Every facturlib error says what was wrong, shows the value and gives a hint.
        print(f"  Signing on 1 March is refused: {err}")

    # 2. The customer signs on 3 February ("Bon pour accord"): the order carries the
    #    quote's lines and references, and the buyer's PO number (BT-13 on every invoice).
    signed = date(2025, 2, 3)
    quote = fl.accept_quote(quote, on=signed)
    order = quote.to_order(on=signed, number="BC-2025-0042", purchase_order="PO-88231")
    print(f"\nOrder {order.number} of {order.issue_date:%d/%m/%Y} (PO {order.purchase_order})")

    # 3. The billing plan: a reusable template holding percentages and dates, no amounts.
    plan = fl.BillingPlan(
        milestones=[
            fl.Milestone(label="Commande", percent="30", kind="deposit"),
            fl.Milestone(label="Recette", percent="40", kind="deposit", after_months=2),
            fl.Milestone(label="Mise en production", percent="30", kind="balance", after_months=4),
        ]
    )
    drafts = fl.milestone_invoices(order, plan, start=signed, payment_days=15)
    # The drafts do not carry their milestone date: the plan gives it.
    dates = plan.dates(signed)
    print("Billing plan:")
    for milestone, day, draft in zip(plan.milestones, dates, drafts, strict=True):
        print(
            f"  {day:%d/%m/%Y} {milestone.label:<20} {milestone.percent:>5} %"
            f"  type {draft.kind.code}  {amounts(draft)}"
        )

    # 4. Issue the two deposits on their milestone dates, tracking the deal after each.
    #    The balance draft stays planned until the final invoice replaces it.
    state = fl.SequenceState()
    deposits: list[fl.Invoice] = []
    *deposit_drafts, balance_draft = drafts
    print("\nDeal status (HT):")
    # "planned" is what the drafts will bill; "remaining" what no document covers yet.
    print_status("signed, nothing issued", order, list(drafts))
    for draft, day in zip(deposit_drafts, dates, strict=False):
        deposit, state = fl.issue(draft, company.numbering, state, on=day)
        deposits.append(deposit)
        planned = drafts[len(deposits) :]  # the drafts not issued yet: the forecast
        print_status(f"{deposit.number} issued {day:%d/%m}", order, [*deposits, *planned])

    # 5. Go-live on 3 June: the final invoice states the full price, deducts both deposits
    #    (BT-113, their total including VAT) and refers to them (BG-3).
    golive = dates[2]
    final, state = fl.issue(
        fl.final_invoice(order, deposits, due_date=golive + timedelta(days=30)),
        company.numbering,
        state,
        on=golive,
    )
    print_status(f"{final.number} issued {golive:%d/%m}", order, [*deposits, final])

    t = final.totals()
    print(f"\nFinal invoice {final.number}: {amounts(final)}")
    for deposit in deposits:
        # What each deposit deducts, per VAT rate: what the invoice prints under its totals.
        for d in fl.deposit_deductions(final, [deposit]):
            print(
                f"  − acompte {deposit.number} du {deposit.issue_date:%d/%m/%Y} "
                f"{d.vat.label:<7} {d.taxable.amount:>9} HT {d.amount.amount:>8} VAT"
            )
    print(f"  prepaid (BT-113) {t.prepaid_total.amount:>9}")
    print(f"  amount due (BT-115) {t.amount_due.amount:>6}")
    print(f"  refers to: {', '.join(r.number for r in final.preceding)}")

    # 6. Checks.
    # The final invoice leaves due exactly what the plan's balance milestone bills.
    assert t.amount_due == balance_draft.totals().tax_inclusive_total, t.amount_due
    # Deposits + (final − what it deducts) = the order, per VAT rate, net and VAT.
    ordered = by_rate(order.totals().vat_breakdown)
    billed = by_rate(final.totals().vat_breakdown)
    deducted = by_rate(fl.deposit_deductions(final, deposits))
    for deposit in deposits:
        for vat, (net, vat_amount) in by_rate(deposit.totals().vat_breakdown).items():
            billed_net, billed_vat = billed[vat]
            billed[vat] = (billed_net + net, billed_vat + vat_amount)
    for vat, (net, vat_amount) in deducted.items():
        billed_net, billed_vat = billed[vat]
        billed[vat] = (billed_net - net, billed_vat - vat_amount)
    assert billed == ordered, (billed, ordered)
    # What the customer pays in all = the order's total including VAT.
    paid = sum((d.totals().amount_due for d in deposits), t.amount_due)
    assert paid == order.totals().tax_inclusive_total, paid
    # And the deal is fully invoiced, excluding and including VAT.
    for includes_vat in (False, True):
        status = fl.deal_status(order, [*deposits, final], includes_vat=includes_vat)
        assert status.issued == status.amount, status
        assert status.remaining.amount == 0, status
    print(f"\nOK: the deposits and the final invoice add up to the order ({paid.amount} TTC),")
    print("    net and VAT at each rate.")


if __name__ == "__main__":
    main()
