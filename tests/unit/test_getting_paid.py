"""Refunds, write-offs, the dunning calendar, penalties_owed and per-document credit notes
(issue 17), with figures worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from facturlib.accounting.accounts import ChartOfAccounts
from facturlib.accounting.journal import Activity, journalize
from facturlib.core.credit_notes import credit_note
from facturlib.core.errors import CreditNoteError, PaymentError
from facturlib.core.issuing import issue
from facturlib.core.lines import DocumentAllowance, Line
from facturlib.core.money import RoundingPolicy, to_money
from facturlib.core.numbering import NumberingScheme, SequenceState
from facturlib.core.vat import VatRate
from facturlib.receivables.dunning import (
    DunningLevel,
    DunningPolicy,
    current_level,
    dunning_calendar,
    dunning_run,
    manual_reminder,
)
from facturlib.receivables.payments import (
    Payment,
    Refund,
    WriteOff,
    WriteOffKind,
    balance,
    refund_credit_note,
    settle,
    small_differences,
)
from facturlib.receivables.penalties import PenaltyPolicy, penalties_owed
from facturlib.receivables.terms import (
    DueRule,
    PaymentTerms,
    TermPart,
    due_schedule,
    format_terms,
    installment_vat,
    parse_terms,
)
from facturlib.renderers._labels import labels_for
from facturlib.renderers.letters import LETTER_TEMPLATES
from facturlib.testing.builders import sample_invoice, sample_scheme

S10 = VatRate(category="S", percent="10")
S20 = VatRate(category="S", percent="20")


def eur(amount: str):
    return to_money(amount, "EUR")


def issued(**fields):
    invoice, _ = issue(
        sample_invoice(**fields), sample_scheme(), SequenceState(), on=date(2025, 1, 15)
    )
    return invoice  # 1 200.00 HT + 240.00 VAT = 1 440.00, due 2025-02-14


def pay(amount: str, day: date, id: str = "VIR-1") -> Payment:
    return Payment(id=id, customer="552081317", amount=eur(amount), date=day)


class TestSettleRefunds:
    def test_overpayment_refunded(self) -> None:
        """1 500.00 received on 1 440.00: 60.00 credit; refunding it leaves no credit."""
        invoice = issued()
        customer = invoice.buyer.key
        payment = Payment(
            id="VIR-1", customer=customer, amount=eur("1500.00"), date=date(2025, 2, 1)
        )
        refund = Refund(
            id="RBT-1",
            customer=customer,
            source_id="VIR-1",
            amount=eur("60.00"),
            date=date(2025, 2, 10),
        )
        result = settle([invoice], [payment], on=date(2025, 3, 1), refunds=[refund])
        assert ((), (refund,)) == (result.credits, result.refunds)
        assert balance(invoice, result).settled

    def test_refund_capped_by_what_was_paid(self) -> None:
        """A refund of 1 501.00 out of a 1 500.00 payment is refused: capped by what was paid."""
        invoice = issued()
        customer = invoice.buyer.key
        payment = Payment(
            id="VIR-1", customer=customer, amount=eur("1500.00"), date=date(2025, 2, 1)
        )
        refund = Refund(
            id="RBT-1",
            customer=customer,
            source_id="VIR-1",
            amount=eur("1501.00"),
            date=date(2025, 2, 10),
        )
        with pytest.raises(PaymentError, match="capped by what was paid"):
            settle([invoice], [payment], on=date(2025, 3, 1), refunds=[refund])

    def test_refunded_money_settles_no_later_invoice(self) -> None:
        """Refunded before a later invoice, the surplus is not allocated to it."""
        first = issued()
        customer = first.buyer.key
        payment = Payment(
            id="VIR-1", customer=customer, amount=eur("1500.00"), date=date(2025, 2, 1)
        )
        refund = Refund(
            id="RBT-1",
            customer=customer,
            source_id="VIR-1",
            amount=eur("60.00"),
            date=date(2025, 2, 2),
        )
        result = settle([first], [payment], on=date(2025, 3, 1), refunds=[refund])
        assert [eur("1440.00")] == [a.amount for a in result.allocations]


class TestSettleWriteOffs:
    def test_write_off_the_balance(self) -> None:
        """1 000.00 paid of 1 440.00: writing off the rest leaves 440.00 written off, settled."""
        invoice = issued()
        customer = invoice.buyer.key
        payment = Payment(
            id="VIR-1", customer=customer, amount=eur("1000.00"), date=date(2025, 2, 1)
        )
        off = WriteOff(
            id="PERTE-1",
            invoice_number=invoice.number,
            date=date(2025, 9, 30),
            kind=WriteOffKind.BAD_DEBT,
            reason="Liquidation judiciaire close",
        )
        result = settle([invoice], [payment], on=date(2025, 10, 1), write_offs=[off])
        state = balance(invoice, result)
        assert (eur("440.00"), eur("0.00"), True) == (state.written_off, state.due, state.settled)
        assert Decimal("69.44") == state.percent_paid  # 1 000 / 1 440, rounded down

    def test_write_off_over_the_balance_is_refused(self) -> None:
        """Writing off 500.00 of a 440.00 balance is refused."""
        invoice = issued()
        payment = pay("1000.00", date(2025, 2, 1))
        off = WriteOff(
            id="PERTE-1",
            invoice_number=invoice.number,
            date=date(2025, 9, 30),
            kind="small_difference",
            reason="Écart",
            amount=eur("500.00"),
        )
        with pytest.raises(PaymentError, match="still owes"):
            settle([invoice], [payment], on=date(2025, 10, 1), write_offs=[off])

    def test_never_dunned_again(self) -> None:
        """A written-off invoice is never chased, whatever the day."""
        invoice = issued()
        off = WriteOff(
            id="PERTE-1",
            invoice_number=invoice.number,
            date=date(2025, 3, 1),
            kind="abandoned",
            reason="Montant trop faible pour poursuivre",
        )
        policy = DunningPolicy.french_default()
        assert () == dunning_run([invoice], [], policy, date(2025, 6, 1), write_offs=[off])


class TestJournalRefundsAndWriteOffs:
    def test_bad_debt_recovers_the_vat(self) -> None:
        """CGI 272-1: 440.00 TTC unpaid of 1 440.00 (240.00 VAT): VAT recovered
        round(240 × 440 / 1 440) = 73.33; loss 654 = 366.67; C 411 440.00."""
        invoice = issued()
        payment = pay("1000.00", date(2025, 2, 1))
        off = WriteOff(
            id="PERTE-1",
            invoice_number=invoice.number,
            date=date(2025, 9, 30),
            kind=WriteOffKind.BAD_DEBT,
            reason="Liquidation judiciaire close",
        )
        result = settle([invoice], [payment], on=date(2025, 10, 1), write_offs=[off])
        entries = journalize(
            Activity(
                documents=[invoice],
                payments=[payment],
                allocations=result.allocations[:1],
                write_offs=result.write_offs,
            ),
            chart=ChartOfAccounts(),
        )
        last = {ln.account.number: ln.amount.amount for ln in entries[-1].lines}
        assert {
            "411000": Decimal("-440.00"),
            "445711": Decimal("73.33"),
            "654000": Decimal("366.67"),
        } == last

    def test_abandoned_keeps_the_vat(self) -> None:
        """Without proof of irrecoverability, the whole 440.00 goes to 654; VAT stays due."""
        invoice = issued()
        off = WriteOff(
            id="PERTE-1",
            invoice_number=invoice.number,
            date=date(2025, 9, 30),
            kind=WriteOffKind.ABANDONED,
            reason="Forcer le solde",
            amount=eur("440.00"),
        )
        entries = journalize(
            Activity(documents=[invoice], write_offs=[off]), chart=ChartOfAccounts()
        )
        last = {ln.account.number: ln.amount.amount for ln in entries[-1].lines}
        assert {"411000": Decimal("-440.00"), "654000": Decimal("440.00")} == last

    def test_refund_entry(self) -> None:
        """A refund is D 411 / C 512 in the bank journal, no VAT."""
        invoice = issued()
        customer = invoice.buyer.key
        payment = Payment(
            id="VIR-1", customer=customer, amount=eur("1500.00"), date=date(2025, 2, 1)
        )
        refund = Refund(
            id="RBT-1",
            customer=customer,
            source_id="VIR-1",
            amount=eur("60.00"),
            date=date(2025, 2, 10),
        )
        entries = journalize(
            Activity(documents=[invoice], payments=[payment], refunds=[refund]),
            chart=ChartOfAccounts(),
        )
        last = entries[-1]
        assert ("BQ", {"411000": Decimal("60.00"), "512000": Decimal("-60.00")}) == (
            last.journal.code,
            {ln.account.number: ln.amount.amount for ln in last.lines},
        )


class TestDunningCalendar:
    def test_french_default(self) -> None:
        """Due 2025-02-14: relance 1 at +7 (02-21), relance 2 8 days later (03-01), notice +30."""
        planned = [s.planned for s in dunning_calendar(issued(), DunningPolicy.french_default())]
        assert [date(2025, 2, 21), date(2025, 3, 1), date(2025, 3, 16)] == planned

    def test_step_on_the_due_date_itself(self) -> None:
        """days=0 after the due date is valid: planned and taken on the due date."""
        policy = DunningPolicy(levels=[DunningLevel(name="Rappel", days=0)])
        invoice = issued()
        assert date(2025, 2, 14) == dunning_calendar(invoice, policy)[0].planned
        (action,) = dunning_run([invoice], [], policy, date(2025, 2, 14))
        assert (date(2025, 2, 14), date(2025, 2, 14), eur("1440.00")) == (
            action.scheduled,
            action.date,
            action.amount_due,
        )

    def test_pre_reminder_before_the_due_date(self) -> None:
        """A step 5 days before the due date (14/02) is taken on 09/02 for what is due."""
        policy = DunningPolicy(levels=[DunningLevel(name="Pré-relance", days=-5)])
        (action,) = dunning_run([issued()], [], policy, date(2025, 2, 9))
        assert (date(2025, 2, 9), eur("1440.00"), 0) == (
            action.scheduled,
            action.amount_due,
            action.days_overdue,
        )

    def test_taken_late_moves_the_next_step(self) -> None:
        """Relance 1 taken on 02-25 (planned 02-21): relance 2 is planned on 03-05."""
        invoice = issued()
        policy = DunningPolicy.french_default()
        (action,) = dunning_run([invoice], [], policy, date(2025, 2, 25))
        assert date(2025, 2, 21) == action.scheduled
        steps = dunning_calendar(invoice, policy, history=[action.record()])
        assert (date(2025, 2, 25), date(2025, 3, 5)) == (steps[0].taken, steps[1].planned)

    def test_manual_reminder_in_the_same_history(self) -> None:
        """A manual reminder is kept in the history but climbs no level."""
        invoice = issued()
        record = manual_reminder(invoice.number, date(2025, 2, 17), note="Appel")
        assert 0 == current_level(invoice.number, [record])
        (action,) = dunning_run(
            [invoice], [], DunningPolicy.french_default(), date(2025, 2, 21), history=[record]
        )
        assert 1 == action.level

    def test_missing_rate_fails_only_that_invoice(self) -> None:
        """Late into H2 2026 (no bundled rate): the action says why; the run goes on."""
        late, _ = issue(
            sample_invoice(due_date=date(2026, 7, 1)),
            sample_scheme(),
            SequenceState(),
            on=date(2026, 6, 1),
        )
        policy = DunningPolicy.french_default(penalties=PenaltyPolicy())
        (action,) = dunning_run([late], [], policy, date(2026, 7, 8))
        assert "H2 2026" in (action.problem or "")


class TestPenaltiesOwed:
    def test_dom_example_at_the_legal_default(self) -> None:
        """7 800.00 due 2025-03-31, 45 days at 12.15 % → 116.84 + €40 (L441-10 II, D441-5)."""
        invoice, _ = issue(
            sample_invoice(
                lines=[Line(description="x", quantity="1", unit_price=eur("6500.00"), vat=S20)],
                due_date=date(2025, 3, 31),
            ),
            sample_scheme(),
            SequenceState(),
            on=date(2025, 3, 1),
        )
        owed = penalties_owed(invoice, settle([invoice], on=date(2025, 5, 15)))
        # H1 2025 MRO 3.15 + 10 = 13.15 % (April–May): 7 800 × 0.1315 × 45 / 365 = 126.46
        assert (eur("126.46"), eur("40.00"), eur("166.46")) == (
            owed.interest,
            owed.indemnity,
            owed.total,
        )

    def test_collective_proceedings(self) -> None:
        """No indemnity from a debtor in collective proceedings."""
        invoice = issued()
        owed = penalties_owed(
            invoice, settle([invoice], on=date(2025, 3, 1)), collective_proceedings=True
        )
        assert owed.indemnity is None


class TestCreditNotesPerDocument:
    def test_thirds_round_per_note(self) -> None:
        """100.00 @ 20 %: thirds 33.33 + 6.67, 33.33 + 6.67, closing 33.34 + 6.66 (CGI 272-1)."""
        invoice = issued(
            lines=[Line(description="x", quantity="1", unit_price=eur("100.00"), vat=S20)]
        )
        notes = []
        for _ in range(2):
            notes.append(credit_note(invoice, previous=notes, amount=eur("33.33")))
        notes.append(credit_note(invoice, previous=notes))
        figures = [
            (n.totals().vat_breakdown[0].taxable.amount, n.totals().vat_breakdown[0].amount.amount)
            for n in notes
        ]
        assert [(Decimal("33.33"), Decimal("6.67"))] * 2 + [
            (Decimal("33.34"), Decimal("6.66"))
        ] == figures
        assert [(), ()] == [n.stated_vat for n in notes[:2]]

    def test_regression_reported_invoice(self) -> None:
        """The invoice hypothesis reported (0.01 @ 10 %, 0.1667 × 3.06 @ 20 %, 0.00 @ 20 %,
        1 % "Remise fidélité" at 20 %): partial credits by amount incl. VAT after earlier
        credits never allocate over a negative remainder, and the remainder closes it."""
        scheme = NumberingScheme(pattern="FA-{yyyy}-{seq:04}")
        draft = sample_invoice(
            lines=[
                Line(description="a", quantity="1", unit_price=eur("0.01"), vat=S10),
                Line(description="b", quantity="0.1667", unit_price=eur("3.06"), vat=S20),
                Line(description="c", quantity="1", unit_price=eur("0.00"), vat=S20),
            ],
            allowances=[DocumentAllowance(percent="1", vat=S20, reason="Remise fidélité")],
        )
        invoice, _ = issue(draft, scheme, SequenceState(), on=date(2025, 1, 15))
        notes = [credit_note(invoice, ratio="0.01")]
        for amount in ("0.01", "0.01", "0.02"):
            try:
                notes.append(
                    credit_note(invoice, previous=notes, amount=eur(amount), includes_vat=True)
                )
            except CreditNoteError:  # only the law may refuse, never an AllocationError
                continue
        notes.append(credit_note(invoice, previous=notes))
        per_rate = {}
        for doc in notes:
            for b in doc.totals().vat_breakdown:
                t, v = per_rate.get(b.vat, (Decimal(0), Decimal(0)))
                per_rate[b.vat] = (t + b.taxable.amount, v + b.amount.amount)
        assert {
            b.vat: (b.taxable.amount, b.amount.amount) for b in invoice.totals().vat_breakdown
        } == per_rate


class TestLetterTitleAndSubject:
    @pytest.mark.parametrize("locale", ["fr_FR", "en_GB", "de_DE"])
    @pytest.mark.parametrize("template", ["reminder", "second_reminder", "formal_notice"])
    def test_title_agrees_with_subject(self, locale: str, template: str) -> None:
        """A dunning letter's title says what its subject line says: every word of it."""

        language = locale[:2]
        title = labels_for(language)[f"letter.title.{template}"]
        subject = LETTER_TEMPLATES[language][template].subject
        assert set() == set(title.lower().split()) - set(subject.lower().split())


class TestRefundCreditNote:
    def test_capped_by_what_was_paid(self) -> None:
        """600.00 paid on 1 440.00: a refund note of 600.00 TTC is 500.00 HT + 100.00 VAT
        (600 / 1.2, CGI 272-1); 600.01 is refused."""

        invoice = issued()
        paid = settle([invoice], [pay("600.00", date(2025, 2, 10))], on=date(2025, 3, 1))
        note = refund_credit_note(invoice, paid)
        (entry,) = note.totals().vat_breakdown
        assert (eur("500.00"), eur("100.00")) == (entry.taxable, entry.amount)
        with pytest.raises(PaymentError, match="capped by what was paid"):
            refund_credit_note(invoice, paid, amount=eur("600.01"))

    def test_earlier_notes_reduce_what_can_be_refunded(self) -> None:
        """After a 120.00 note, at most 480.00 of the 600.00 paid can be refunded."""

        invoice = issued()
        paid = settle([invoice], [pay("600.00", date(2025, 2, 10))], on=date(2025, 3, 1))
        first = credit_note(invoice, amount=eur("120.00"), includes_vat=True)
        with pytest.raises(PaymentError, match=r"480\.00"):
            refund_credit_note(invoice, paid, amount=eur("480.01"), previous=[first])


class TestSmallDifferences:
    def test_under_the_tolerance_only(self) -> None:
        """1 439.50 paid of 1 440.00: 0.50 written off under 1.00, nothing under 0.49."""

        invoice = issued()
        result = settle([invoice], [pay("1439.50", date(2025, 2, 10))], on=date(2025, 3, 1))
        (off,) = small_differences(result, tolerance=eur("1.00"))
        assert (eur("0.50"), WriteOffKind.SMALL_DIFFERENCE) == (off.amount, off.kind)
        assert () == small_differences(result, tolerance=eur("0.49"))

    def test_never_for_an_unpaid_invoice(self) -> None:
        """An invoice nobody paid is not a settlement difference, however small."""

        result = settle([issued()], [], on=date(2025, 3, 1))
        assert () == small_differences(result, tolerance=eur("10000.00"))


class TestTermsPeopleWrite:
    def test_end_of_month_then_days(self) -> None:
        """ "30 jours fin de mois + 10 jours" issued 31/01/2025: eom(31/01 + 30 = 02/03)
        = 31/03, + 10 days = 10/04 (the end of the month after N days, then M days)."""

        terms = parse_terms("30 jours fin de mois + 10 jours")
        assert date(2025, 4, 10) == terms.due_date(date(2025, 1, 31))

    def test_monthly_direct_debits(self) -> None:
        """ "Prélèvement en 3 échéances mensuelles" on 1 440.00: 480.00 each, one month
        apart from the issue date, SEPA direct debit (UNTDID 4461 "59"), labelled."""

        terms = parse_terms("prélèvement en 3 échéances mensuelles")
        schedule = due_schedule(issued(), terms)
        assert [
            (date(2025, 2, 15), eur("480.00"), "59", "Échéance 1/3"),
            (date(2025, 3, 15), eur("480.00"), "59", "Échéance 2/3"),
            (date(2025, 4, 15), eur("480.00"), "59", "Échéance 3/3"),
        ] == [(i.date, i.amount, i.means, i.label) for i in schedule]

    def test_on_signature_before_the_issue_date(self) -> None:
        """30 % à la signature (signed 10/01, invoiced 15/01): 432.00 due 10/01, allowed."""

        terms = parse_terms("30 % à la signature, solde à 30 jours")
        schedule = due_schedule(issued(), terms, order_date=date(2025, 1, 10))
        assert [(date(2025, 1, 10), eur("432.00")), (date(2025, 2, 14), eur("1008.00"))] == [
            (i.date, i.amount) for i in schedule
        ]

    def test_chained_installments(self) -> None:
        """Each part 1 month after the previous: 15/02, 15/03 (relativedelta months)."""

        terms = PaymentTerms(
            parts=[
                TermPart(due=DueRule.after_previous(months=1), percent=50),
                TermPart(due=DueRule.after_previous(months=1)),
            ]
        )
        assert (date(2025, 2, 15), date(2025, 3, 15)) == terms.dates(date(2025, 1, 15))

    def test_equal_installments_in_words(self) -> None:
        """The PDF wording of three equal parts: "3 échéances de 1/3 à 30, 60 et 90 jours"."""

        terms = PaymentTerms(parts=[TermPart(due=DueRule.net(d)) for d in (30, 60, 90)])
        assert "3 échéances de 1/3 à 30, 60 et 90 jours" == format_terms(terms)
        assert "3 installments of 1/3 at 30, 60 and 90 days" == format_terms(terms, lang="en")

    def test_installment_vat_split(self) -> None:
        """Three thirds of 1 200.00 HT + 240.00 VAT: 400.00 + 80.00 each."""

        invoice = issued()
        terms = PaymentTerms(parts=[TermPart(due=DueRule.net(d)) for d in (30, 60, 90)])
        splits = installment_vat(invoice, due_schedule(invoice, terms))
        assert [[(eur("400.00"), eur("80.00"))]] * 3 == [
            [(b.taxable, b.amount) for b in split] for split in splits
        ]


class TestCreditNoteRegressions:
    def test_tax_inclusive_zero_line_after_a_ratio(self) -> None:
        """Found by hypothesis: TTC prices, ROUND_DOWN, 0.00 + 1.20 TTC @ 20 %; a 1 % note,
        then 0.01 of the 0.00 line, used to state 0.01 VAT on a group netting to zero
        (DocumentError). Each note now rounds on its own and the remainder closes it."""
        draft = sample_invoice(
            lines=[
                Line(description="Consulting", quantity="1", unit_price=eur("0.00"), vat=S20),
                Line(description="b", quantity="1", unit_price=eur("1.20"), vat=S20),
            ],
            rounding=RoundingPolicy(mode="ROUND_DOWN"),
            prices_include_vat=True,
        )
        invoice, _ = issue(
            draft,
            NumberingScheme(pattern="FA-{yyyy}-{seq:04}"),
            SequenceState(),
            on=date(2025, 1, 15),
        )
        notes = [credit_note(invoice, ratio="0.01")]
        with pytest.raises(CreditNoteError, match="credits nothing"):
            credit_note(invoice, previous=notes, lines={"1": "0.01"})  # 0.01 × 0.00
        notes.append(credit_note(invoice, previous=notes))
        (entry,) = invoice.totals().vat_breakdown
        assert (entry.taxable.amount, entry.amount.amount) == (
            sum(n.totals().vat_breakdown[0].taxable.amount for n in notes),
            sum(n.totals().vat_breakdown[0].amount.amount for n in notes),
        )
