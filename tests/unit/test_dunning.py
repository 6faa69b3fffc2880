"""Tests for facturlib.receivables.dunning and the text letters (DOMAIN.md §8 dunning ladder)."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest

from facturlib.core.documents import Invoice
from facturlib.core.errors import PaymentError, RenderError
from facturlib.core.issuing import issue
from facturlib.core.money import Money, to_money
from facturlib.core.numbering import SequenceState
from facturlib.receivables.dunning import (
    DunningBasis,
    DunningExclusion,
    DunningLevel,
    DunningPolicy,
    DunningRecord,
    current_level,
    dunning_letters,
    dunning_run,
)
from facturlib.receivables.payments import Payment, PaymentReversal
from facturlib.receivables.penalties import PenaltyPolicy
from facturlib.renderers import Renderer
from facturlib.renderers.letters import LetterRenderer, LetterTemplate
from facturlib.testing.builders import sample_buyer, sample_invoice, sample_line, sample_scheme

GOLDEN = Path(__file__).parent.parent / "golden" / "letters"
POLICY = DunningPolicy.french_default(penalties=PenaltyPolicy(rate="12.15"))
CUSTOMER = sample_buyer().key


def eur(amount: str) -> Money:
    return to_money(amount, "EUR")


def invoices() -> tuple[Invoice, Invoice]:
    """FA-2025-0001 1 440.00 due 2025-02-14 and FA-2025-0002 600.00 due 2025-03-03."""
    first, state = issue(sample_invoice(), sample_scheme(), SequenceState(), on=date(2025, 1, 15))
    draft = sample_invoice(lines=[sample_line(unit_price=eur("50.00"))], due_date=date(2025, 3, 3))
    second, _ = issue(draft, sample_scheme(), state, on=date(2025, 2, 1))
    return first, second


def run_days(docs, payments, start: date, end: date, **kwargs):  # type: ignore[no-untyped-def]
    """Run every day from start to end, storing each action in the history."""
    history: list[DunningRecord] = list(kwargs.pop("history", []))
    taken = []
    day = start
    while day <= end:
        for action in dunning_run(docs, payments, POLICY, day, history=history, **kwargs):
            history.append(action.record())
            taken.append((action.invoice_number, action.level, day))
        day += timedelta(days=1)
    return taken


class TestDunningRun:
    def test_three_levels_on_several_dates(self) -> None:
        """Reminder 1 at D+7, reminder 2 8 days later, formal notice at D+30."""
        first, _ = invoices()
        history: list[DunningRecord] = []
        seen = {}
        for day in [
            date(2025, 2, 20),
            date(2025, 2, 21),
            date(2025, 2, 25),
            date(2025, 3, 1),
            date(2025, 3, 10),
            date(2025, 3, 16),
            date(2025, 3, 20),
        ]:
            actions = dunning_run([first], [], POLICY, day, history=history)
            seen[day] = [(a.level, a.step.name, a.days_overdue) for a in actions]
            history += [a.record() for a in actions]
        assert {
            date(2025, 2, 20): [],
            date(2025, 2, 21): [(1, "Relance 1", 7)],
            date(2025, 2, 25): [],
            date(2025, 3, 1): [(2, "Relance 2", 15)],
            date(2025, 3, 10): [],
            date(2025, 3, 16): [(3, "Mise en demeure", 30)],
            date(2025, 3, 20): [],
        } == seen

    def test_amount_and_interest_to_date(self) -> None:
        """An action carries the overdue amount, the interest to date and the indemnity."""
        first, _ = invoices()
        (action,) = dunning_run([first], [], POLICY, date(2025, 3, 16))
        # 1440 × 12.15 % × 30 / 365 = 14.38
        assert (eur("1440.00"), eur("14.38"), eur("40.00")) == (
            action.amount_due,
            action.interest,
            action.indemnity,
        )

    def test_one_level_per_run(self) -> None:
        """A first run long after the due date takes level 1 only."""
        first, _ = invoices()
        assert [1] == [a.level for a in dunning_run([first], [], POLICY, date(2025, 6, 1))]

    def test_never_the_same_level_twice(self) -> None:
        """Each level is taken once per invoice across daily runs."""
        docs = invoices()
        taken = run_days(docs, [], date(2025, 2, 1), date(2025, 5, 1))
        assert [
            ("FA-2025-0001", 1, date(2025, 2, 21)),
            ("FA-2025-0001", 2, date(2025, 3, 1)),
            ("FA-2025-0001", 3, date(2025, 3, 16)),
            ("FA-2025-0002", 1, date(2025, 3, 10)),
            ("FA-2025-0002", 2, date(2025, 3, 18)),
            ("FA-2025-0002", 3, date(2025, 4, 2)),
        ] == sorted(taken)

    def test_paid_invoices_are_not_chased(self) -> None:
        """A settled invoice is never dunned."""
        first, _ = invoices()
        paid = Payment(id="P1", customer=CUSTOMER, amount=eur("1440.00"), date=date(2025, 2, 20))
        assert () == dunning_run([first], [paid], POLICY, date(2025, 3, 20))

    def test_pending_payment_stops_dunning(self) -> None:
        """An invoice covered by a pending payment is not chased; after a reject it is."""
        first, _ = invoices()
        debit = Payment(
            id="DD",
            customer=CUSTOMER,
            amount=eur("1440.00"),
            date=date(2025, 2, 14),
            method="59",
            pending=True,
        )
        assert () == dunning_run([first], [debit], POLICY, date(2025, 2, 21))
        reject = PaymentReversal(payment_id="DD", date=date(2025, 2, 25), reason="AM04")
        (action,) = dunning_run([first], [debit], POLICY, date(2025, 2, 25), reversals=[reject])
        assert (1, eur("1440.00")) == (action.level, action.amount_due)

    def test_credit_notes_are_not_chased(self) -> None:
        """Credit notes are credit, never dunned."""
        from facturlib.core.credit_notes import credit_note
        from facturlib.core.numbering import NumberingScheme

        first, _ = invoices()
        avoir, _ = issue(
            credit_note(first),
            NumberingScheme(pattern="AV-{yyyy}-{seq:04}"),
            SequenceState(),
            on=date(2025, 1, 20),
        )
        assert () == dunning_run([first, avoir], [], POLICY, date(2025, 3, 20))

    def test_partial_payment_chases_the_rest(self) -> None:
        """A partly paid invoice is chased for what is left."""
        first, _ = invoices()
        part = Payment(id="P1", customer=CUSTOMER, amount=eur("1000.00"), date=date(2025, 2, 20))
        (action,) = dunning_run([first], [part], POLICY, date(2025, 2, 21))
        assert eur("440.00") == action.amount_due

    def test_thresholds(self) -> None:
        """Below the policy's or the level's minimum, nothing is sent."""
        first, _ = invoices()
        part = Payment(id="P1", customer=CUSTOMER, amount=eur("1430.00"), date=date(2025, 2, 20))
        small = DunningPolicy(levels=POLICY.levels, min_amount=eur("15.00"))
        assert () == dunning_run([first], [part], small, date(2025, 2, 21))
        level = DunningLevel(name="R1", days=7, min_amount=eur("2000.00"))
        assert () == dunning_run([first], [], DunningPolicy(levels=[level]), date(2025, 2, 21))

    def test_exclusions(self) -> None:
        """Disputed invoices and paused customers are skipped until the exclusion ends."""
        docs = invoices()
        disputed = DunningExclusion(reason="disputed", invoice_number="FA-2025-0001")
        paused = DunningExclusion(reason="paused", customer=CUSTOMER, until=date(2025, 3, 31))
        assert ["FA-2025-0002"] == [
            a.invoice_number
            for a in dunning_run(docs, [], POLICY, date(2025, 3, 20), exclusions=[disputed])
        ]
        assert () == dunning_run(docs, [], POLICY, date(2025, 3, 20), exclusions=[paused])
        assert 2 == len(dunning_run(docs, [], POLICY, date(2025, 4, 1), exclusions=[paused]))

    def test_offset_from_previous_step(self) -> None:
        """A PREVIOUS_STEP level counts from the date the previous step was taken."""
        first, _ = invoices()
        late = [DunningRecord(invoice_number="FA-2025-0001", level=1, date=date(2025, 3, 10))]
        assert () == dunning_run([first], [], POLICY, date(2025, 3, 17), history=late)
        assert [2] == [
            a.level for a in dunning_run([first], [], POLICY, date(2025, 3, 18), history=late)
        ]


class TestValues:
    def test_current_level(self) -> None:
        """The current level is the highest in the invoice's history, 0 without any."""
        history = [
            DunningRecord(invoice_number="A", level=1, date=date(2025, 1, 1)),
            DunningRecord(invoice_number="A", level=2, date=date(2025, 1, 9)),
            DunningRecord(invoice_number="B", level=3, date=date(2025, 1, 9)),
        ]
        assert (2, 1, 0) == (
            current_level("A", history),
            current_level("A", history, on=date(2025, 1, 5)),
            current_level("C", history),
        )

    def test_policy_needs_levels(self) -> None:
        """A policy without levels is refused."""
        with pytest.raises(PaymentError, match="at least one level"):
            DunningPolicy(levels=[])

    def test_previous_step_needs_a_day(self) -> None:
        """A step after the previous one needs at least one day."""
        with pytest.raises(PaymentError, match="at least one day"):
            DunningLevel(name="R2", days=0, after=DunningBasis.PREVIOUS_STEP)

    def test_exclusion_names_one_target(self) -> None:
        """An exclusion names an invoice or a customer."""
        with pytest.raises(PaymentError, match="an invoice or a customer"):
            DunningExclusion(reason="paused")

    def test_record_level_positive(self) -> None:
        """Levels in the history start at 1."""
        with pytest.raises(PaymentError):
            DunningRecord(invoice_number="A", level=0, date=date(2025, 1, 1))


def letter_for(day: date, history=()):  # type: ignore[no-untyped-def]
    actions = dunning_run(invoices(), [], POLICY, day, history=history)
    (letter,) = dunning_letters(actions)
    return letter


class TestLetters:
    def test_groups_a_customer_and_level(self) -> None:
        """Two invoices at the same level for one customer make one letter with totals."""
        letter = letter_for(date(2025, 3, 10))
        assert (1, 2) == (letter.level, len(letter.items))
        assert eur("2040.00") == letter.amount_due
        assert eur("80.00") == letter.indemnities
        assert letter.amount_due + letter.interest + eur("80.00") == letter.total

    def test_fee_in_other_currency(self) -> None:
        """A fee in another currency than the invoices is refused."""
        policy = DunningPolicy(levels=[DunningLevel(name="R1", days=7, fee=to_money("5", "USD"))])
        actions = dunning_run(invoices()[:1], [], policy, date(2025, 2, 21))
        with pytest.raises(PaymentError, match="in USD"):
            dunning_letters(actions)

    @pytest.mark.parametrize(
        ("lang", "day"),
        [
            ("fr", date(2025, 3, 10)),
            ("en", date(2025, 2, 21)),
            ("fr", date(2025, 3, 16)),
            ("en", date(2025, 3, 16)),
        ],
    )
    def test_golden(self, lang: str, day: date) -> None:
        """Letters match the reviewed golden files (FACTURLIB_UPDATE_GOLDEN=1 regenerates)."""
        history = run_days(invoices(), [], date(2025, 2, 1), day - timedelta(days=1))
        records = [DunningRecord(invoice_number=n, level=lv, date=d) for n, lv, d in history]
        actions = dunning_run(invoices(), [], POLICY, day, history=records)
        rendered = [LetterRenderer(lang=lang).render(letter) for letter in dunning_letters(actions)]  # type: ignore[arg-type]
        text = "\n\f\n".join(r.content.decode("utf-8") for r in rendered)
        path = GOLDEN / f"{lang}-{day.isoformat()}.txt"
        if os.environ.get("FACTURLIB_UPDATE_GOLDEN") == "1":
            path.write_text(text, encoding="utf-8")
        assert path.read_text(encoding="utf-8") == text

    def test_is_a_renderer(self) -> None:
        """LetterRenderer satisfies the Renderer protocol."""
        assert isinstance(LetterRenderer(), Renderer)

    def test_custom_template(self) -> None:
        """A custom template key gets its own wording."""
        level = DunningLevel(name="Pré-relance", days=7, template="courtesy")
        actions = dunning_run(invoices()[:1], [], DunningPolicy(levels=[level]), date(2025, 2, 21))
        (letter,) = dunning_letters(actions)
        with pytest.raises(RenderError, match="no wording"):
            LetterRenderer().render(letter)
        custom = LetterRenderer(
            templates={
                "courtesy": LetterTemplate(
                    subject="Petit rappel", opening="Bonjour.", closing="Merci."
                )
            }
        )
        assert "Objet : Petit rappel" in custom.render(letter).content.decode()

    def test_refuses_other_documents(self) -> None:
        """Only DunningLetter values are rendered."""
        with pytest.raises(RenderError):
            LetterRenderer().render(sample_invoice())  # type: ignore[arg-type]
        with pytest.raises(RenderError, match="language"):
            LetterRenderer(lang="de")  # type: ignore[arg-type]
