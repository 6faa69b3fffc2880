"""Getting paid: payment terms, installments, payments, penalties and dunning.

Run it with ``python examples/getting_paid.py`` (``--lang en`` writes the dunning
letter in English).

The sample company (``facturlib.demo``) bills a customer twice in early 2025:

* FA-2025-0001, 15 January, 6 500.00 HT: "50 % à 30 jours, solde à 45 jours fin
  de mois" — two installments. The first is paid on time (a partial payment of
  the invoice); the second, due 31 March, is paid 25 days late, on 25 April;
* FA-2025-0002, 3 February, 1 800.00 HT: "30 jours fin de mois", due 31 March.
  Only 1 000.00 comes in, by cheque on 2 May.

The script parses the terms from French, prints the due schedules, the balances
on three dates, the late-payment penalties (ECB rate + 10 points, and the €40
recovery indemnity per late invoice), runs the dunning ladder every Tuesday
from April to June, and prints the formal notice as text. It writes no file.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

import facturlib as fl
from facturlib.demo import load_sample_company
from facturlib.renderers.letters import LetterRenderer


def eur(amount: str) -> fl.Money:
    return fl.to_money(amount, "EUR")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=["fr", "en"], default="fr", help="letter language")
    lang: Literal["fr", "en"] = parser.parse_args(argv).lang

    company = load_sample_company()
    customer = company.customer("CLI0001")

    # 1. Payment terms are values, parsed from the wording on the quote. "N jours fin de
    #    mois" has two lawful readings; facturlib refuses to guess, so we say which one
    #    we use: A = end of month of (issue + N days).
    try:
        fl.parse_terms("30 jours fin de mois")
    except fl.PaymentError as err:
        print(textwrap.fill(f"Without a convention: {err}", 92) + "\n")
    split_terms = fl.parse_terms("50 % à 30 jours, solde à 45 jours fin de mois", end_of_month="A")
    month_end = fl.parse_terms("30 jours fin de mois, pas d'escompte", end_of_month="A")
    for terms in (split_terms, month_end):
        # format_terms writes the terms back (BT-20), in French or English; parsing the
        # French text again gives the same value.
        text = fl.format_terms(terms)
        assert fl.parse_terms(text, end_of_month="A") == terms, text
        # check_terms reports terms beyond the legal caps of C. com. L441-10 (none here).
        assert not fl.check_terms(terms), fl.check_terms(terms)
        print(f"Terms {text!r} = {fl.format_terms(terms, lang='en')!r}")

    # 2. Two invoices, each with its terms as text and its last due date (BT-9).
    state = fl.SequenceState()
    terms_of: dict[str, fl.PaymentTerms] = {}  # what the dunning run needs, by number
    invoices: list[fl.Invoice] = []
    for on, line, terms in [
        (date(2025, 1, 15), company.product("DEV").line("10"), split_terms),
        (date(2025, 2, 3), company.product("FORM").line("2"), month_end),
    ]:
        draft = fl.Invoice(
            seller=company.seller,
            buyer=customer,
            currency="EUR",
            lines=[line],
            payment_terms=fl.format_terms(terms),
            due_date=terms.due_date(on),
        )
        invoice, state = fl.issue(draft, company.numbering, state, on=on)
        invoices.append(invoice)
        terms_of[str(invoice.number)] = terms
        installments = fl.due_schedule(invoice, terms)
        # The installments always add up to the amount due; the last absorbs the rounding.
        assert sum((i.amount for i in installments), eur("0")) == invoice.totals().amount_due
        dates = ", ".join(f"{i.amount.amount} on {i.date:%d/%m}" for i in installments)
        print(
            f"{invoice.number} of {on:%d/%m/%Y}: {invoice.totals().amount_due.amount} TTC: {dates}"
        )
    first, second = invoices

    # 3. Payments come from the customer (its Party.key), not from an invoice: settle()
    #    works out what they pay, oldest due first, on any date.
    def paid(id: str, amount: str, on: date, **fields: Any) -> fl.Payment:
        return fl.Payment(id=id, customer=customer.key, amount=eur(amount), date=on, **fields)

    payments = [
        paid("VIR-0212", "3900.00", date(2025, 2, 12)),  # the first installment, on time
        paid("VIR-0425", "3900.00", date(2025, 4, 25)),  # the second, 25 days late
        paid(
            "CHQ-0502",
            "1000.00",
            date(2025, 5, 2),
            method=fl.PaymentMethod.CHEQUE,
            reference="Chèque n° 8841207",
        ),  # part of FA-2025-0002, a month late
    ]
    print(
        "\nPayments: " + ", ".join(f"{p.id} {p.amount.amount} on {p.date:%d/%m}" for p in payments)
    )

    # 4. Balances on three dates (only the payments received by then are known).
    columns = ("total", "paid", "due", "overdue")
    print(f"\n{'on':<5} {'invoice':<24}" + "".join(f"{c:>9}" for c in columns) + f"{'late':>6}")
    for on in (date(2025, 3, 1), date(2025, 4, 15), date(2025, 5, 31)):
        settlement = fl.settle(invoices, [p for p in payments if p.date <= on], on=on)
        for invoice in invoices:
            b = fl.balance(invoice, settlement, terms=terms_of[str(invoice.number)])
            assert b.due == b.total - b.paid - b.pending
            print(
                f"{on:%d/%m} {b.invoice_number:<24} {b.total.amount:>8} {b.paid.amount:>8} "
                f"{b.due.amount:>8} {b.overdue.amount:>8} {b.days_overdue:>4} d"
                + ("  settled" if b.settled else "")
            )
        # The customer as a whole: sums over its invoices, and any credit it has.
        whole = fl.customer_balance(settlement, customer.key, terms=terms_of)
        print(
            f"{'':<5} {customer.name:<24} {whole.invoiced.amount:>8} {whole.paid.amount:>8} "
            f"{whole.due.amount:>8} {whole.overdue.amount:>8}"
        )
    assert fl.balance(first, settlement, terms=terms_of[str(first.number)]).settled
    assert whole.due == eur("1160.00"), whole.due

    # 5. Late-payment penalties on 31 May: the legal rate (ECB refinancing rate of the
    #    half-year + 10 points, from a table you pass), simple interest on days/365 from
    #    the day after the due date, plus the €40 indemnity per late invoice (D441-5).
    penalties = fl.PenaltyPolicy(reference_rates=fl.FR_REFERENCE_RATES)
    print()
    for mention in fl.footer_mentions(penalties, month_end):  # printed on every invoice
        print(textwrap.fill(mention, 92, subsequent_indent="  "))
    print()
    for invoice in invoices:
        late = fl.late_penalty(invoice, settlement, penalties, terms=terms_of[str(invoice.number)])
        for p in late.periods:
            print(
                f"{invoice.number}: {p.base.amount:>8} × {p.rate} % × {p.days:>2} d / 365"
                f" ({p.start:%d/%m}–{p.end:%d/%m}) = {p.amount.amount:>6}"
            )
        indemnity = late.indemnity.amount if late.indemnity else "—"
        print(f"{invoice.number}: interest {late.interest.amount}, indemnity {indemnity}")
    # The second installment of FA-2025-0001 (3 900.00, due 31/03) was paid on 25/04:
    # 25 days at 3.15 % + 10 points (H1 2025), computed by hand.
    late = fl.late_penalty(first, settlement, penalties, terms=terms_of[str(first.number)])
    by_hand = (Decimal("3900.00") * Decimal("13.15") / 100 * 25 / 365).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    assert late.interest == fl.to_money(by_hand, "EUR"), (late.interest, by_hand)
    assert late.indemnity == eur("40.00")
    assert late.days_late == 25

    # 6. Dunning: the usual French ladder (reminder at due + 7 days, a second one 8 days
    #    later, a formal notice at due + 30), run every Tuesday. dunning_run() is pure:
    #    we store each action's record() in the history passed next time.
    policy = fl.DunningPolicy.french_default(penalties=penalties)
    history: list[fl.DunningRecord] = []
    letters: list[fl.DunningLetter] = []
    print("\nDunning runs:")
    day = date(2025, 4, 1)
    while day <= date(2025, 6, 30):
        received = [p for p in payments if p.date <= day]
        actions = fl.dunning_run(invoices, received, policy, day, history=history, terms=terms_of)
        for a in actions:
            print(
                f"  {day:%d/%m} {a.invoice_number} level {a.level} {a.step.name:<16}"
                f" overdue {a.amount_due.amount:>8}  interest to date {a.interest.amount:>6}"
            )
        history += [a.record() for a in actions]
        letters += fl.dunning_letters(actions)  # one letter per customer and level
        day += timedelta(days=7)
    levels = [(r.invoice_number, r.level) for r in history]
    assert len(levels) == len(set(levels)), "a level was taken twice"
    assert fl.current_level(str(first.number), history) == 2  # paid before the formal notice
    assert fl.current_level(str(second.number), history) == 3

    # 7. The formal notice, as text (facturlib.renderers.pdf.PdfRenderer makes the PDF).
    notice = letters[-1]
    assert notice.total == notice.amount_due + notice.interest + (notice.indemnities or eur("0"))
    rendered = LetterRenderer(lang=lang).render(notice)
    print(f"\n--- {rendered.filename} ---")
    print(rendered.content.decode("utf-8"))


if __name__ == "__main__":
    main(sys.argv[1:])
