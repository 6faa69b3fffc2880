"""Tests for facturlib.receivables.penalties: late interest and the €40 indemnity (DOMAIN.md §8)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from facturlib.core.errors import PaymentError
from facturlib.core.issuing import issue
from facturlib.core.money import Money, to_money
from facturlib.core.numbering import SequenceState
from facturlib.receivables.payments import Payment, settle
from facturlib.receivables.penalties import (
    FR_REFERENCE_RATES,
    HalfYearRate,
    InterestPeriod,
    LatePenalty,
    PenaltyPolicy,
    RateSplit,
    ReferenceRates,
    check_penalty_rate,
    footer_mentions,
    late_interest,
    late_penalty,
)
from facturlib.receivables.terms import DueRule, EarlyPaymentDiscount, PaymentTerms, TermPart
from facturlib.testing.builders import sample_invoice, sample_line, sample_scheme

DEFAULT = PenaltyPolicy(reference_rates=FR_REFERENCE_RATES)


def eur(amount: str) -> Money:
    return to_money(amount, "EUR")


class TestLateInterest:
    @pytest.mark.parametrize(("rate", "expected"), [("12.15", "116.84"), ("7.86", "75.59")])
    def test_domain_example(self, rate: str, expected: str) -> None:
        """DOMAIN §8: 7 800.00 due 2025-03-31 paid 2025-05-15, 45 days."""
        p = late_interest(
            eur("7800.00"), date(2025, 3, 31), date(2025, 5, 15), PenaltyPolicy(rate=rate)
        )
        assert (45, eur(expected), eur("40.00")) == (p.days_late, p.interest, p.indemnity)

    def test_default_rate_h1_2025(self) -> None:
        """The default rate in H1 2025 is MRO 3.15 + 10 = 13.15 %."""
        p = late_interest(eur("7800.00"), date(2025, 3, 31), date(2025, 5, 15), DEFAULT)
        assert (Decimal("13.15"), eur("126.46")) == (p.periods[0].rate, p.interest)

    def test_split_across_1_july(self) -> None:
        """Lateness across 1 July: each half-year at its own rate, rounded once."""
        p = late_interest(eur("7800.00"), date(2025, 6, 15), date(2025, 7, 31), DEFAULT)
        assert [
            (date(2025, 6, 16), date(2025, 6, 30), 15, Decimal("13.15")),
            (date(2025, 7, 1), date(2025, 7, 31), 31, Decimal("12.15")),
        ] == [(x.start, x.end, x.days, x.rate) for x in p.periods]
        # 7800 × (0.1315 × 15 + 0.1215 × 31) / 365 = 42.1521 + 80.4888 = 122.64
        assert eur("122.64") == p.interest
        assert p.interest == sum((x.amount for x in p.periods), eur("0"))

    def test_due_date_rate_option(self) -> None:
        """With RateSplit.DUE_DATE every day is charged at the due date's half-year rate."""
        policy = PenaltyPolicy(reference_rates=FR_REFERENCE_RATES, split=RateSplit.DUE_DATE)
        p = late_interest(eur("7800.00"), date(2025, 6, 15), date(2025, 7, 31), policy)
        # 7800 × 0.1315 × 46 / 365 = 129.27
        assert (1, eur("129.27")) == (len(p.periods), p.interest)

    def test_partial_payment_lowers_the_base(self) -> None:
        """A payment counts its own day as late and lowers the base from the next day."""
        p = late_interest(
            eur("1000.00"),
            date(2025, 1, 31),
            date(2025, 3, 2),
            PenaltyPolicy(rate="10"),
            payments=[(date(2025, 2, 10), eur("600.00"))],
        )
        assert [(10, eur("1000.00")), (20, eur("400.00"))] == [(x.days, x.base) for x in p.periods]
        # (1000 × 10 + 400 × 20) × 0.10 / 365 = 4.93
        assert eur("4.93") == p.interest

    def test_not_late(self) -> None:
        """Paid on the due date: no interest, no indemnity."""
        p = late_interest(eur("1000.00"), date(2025, 1, 31), date(2025, 1, 31), DEFAULT)
        assert (0, eur("0"), None, ()) == (p.days_late, p.interest, p.indemnity, p.periods)

    def test_jpy(self) -> None:
        """Interest is rounded to the currency's minor unit (JPY: whole yen)."""
        p = late_interest(
            to_money("100000", "JPY"),
            date(2025, 1, 31),
            date(2025, 3, 2),
            PenaltyPolicy(rate="12", indemnity=None),
        )
        assert (to_money("986", "JPY"), None) == (p.interest, p.indemnity)

    def test_missing_rate_is_an_error(self) -> None:
        """A half-year missing from the table raises: no rate is guessed."""
        with pytest.raises(PaymentError, match="no reference rate for H2 2026"):
            late_interest(eur("100.00"), date(2026, 6, 30), date(2026, 7, 10), DEFAULT)

    def test_payment_in_other_currency(self) -> None:
        """Payments in another currency are refused."""
        with pytest.raises(PaymentError, match="in USD"):
            late_interest(
                eur("100.00"),
                date(2025, 1, 1),
                date(2025, 2, 1),
                DEFAULT,
                payments=[(date(2025, 1, 5), to_money("10", "USD"))],
            )


class TestPolicy:
    def test_needs_a_rate_source(self) -> None:
        """A policy with neither a rate nor a table (explicitly None) is refused."""
        with pytest.raises(PaymentError, match="contractual rate or reference rates"):
            PenaltyPolicy(reference_rates=None)

    def test_defaults_to_the_legal_rate(self) -> None:
        """PenaltyPolicy() is the legal default: MRO + 10 points (L441-10 II), H2 2025 12.15 %."""
        assert Decimal("12.15") == PenaltyPolicy().annual_rate(date(2025, 8, 1))

    def test_table_refuses_duplicates(self) -> None:
        """A half-year given twice is refused."""
        rate = HalfYearRate(year=2025, half=1, mro="3.15")
        with pytest.raises(PaymentError, match="twice"):
            ReferenceRates(rates=[rate, rate])

    def test_half_is_1_or_2(self) -> None:
        """Half-years are numbered 1 and 2."""
        with pytest.raises(PaymentError, match="1 or 2"):
            HalfYearRate(year=2025, half=3, mro="1")

    def test_rate_floor(self) -> None:
        """A contractual rate under 3 × the legal rate is reported (L441-10 II)."""
        assert () == check_penalty_rate(PenaltyPolicy(rate="11.13"), date(2025, 3, 1))
        (problem,) = check_penalty_rate(PenaltyPolicy(rate="11.12"), date(2025, 3, 1))
        assert "rate_below_floor" == problem.code


class TestLatePenalty:
    def test_invoice_paid_late_in_two_payments(self) -> None:
        """An invoice's interest follows its allocated payments; one €40 indemnity."""
        draft = sample_invoice(
            lines=[sample_line(quantity="1", unit_price=eur("6500.00"))], due_date=date(2025, 3, 31)
        )
        invoice, _ = issue(draft, sample_scheme(), SequenceState(), on=date(2025, 3, 1))
        payments = [
            Payment(
                id="P1", customer=invoice.buyer.key, amount=eur("3900.00"), date=date(2025, 4, 30)
            ),
            Payment(
                id="P2", customer=invoice.buyer.key, amount=eur("3900.00"), date=date(2025, 5, 15)
            ),
        ]
        settlement = settle([invoice], payments, on=date(2025, 6, 1))
        p = late_penalty(invoice, settlement, PenaltyPolicy(rate="12.15"))
        # (7800 × 30 days + 3900 × 15 days) × 12.15 % / 365 = 97.366
        assert (eur("97.37"), eur("40.00"), 45) == (p.interest, p.indemnity, p.days_late)

    def test_installments(self) -> None:
        """With installments each bears interest from its own due date."""
        draft = sample_invoice(
            lines=[sample_line(quantity="1", unit_price=eur("1000.00"))], due_date=date(2025, 3, 2)
        )
        invoice, _ = issue(draft, sample_scheme(), SequenceState(), on=date(2025, 1, 31))
        terms = PaymentTerms(
            parts=[TermPart(percent=50, due=DueRule.net(0)), TermPart(due=DueRule.net(30))]
        )
        p = late_penalty(
            invoice, settle([invoice], on=date(2025, 3, 2)), PenaltyPolicy(rate="10"), terms=terms
        )
        # 600 × 30 days + nothing on the second (due 2025-03-02): 600 × 0.10 × 30 / 365
        assert eur("4.93") == p.interest

    def test_first_installment_paid_on_time(self) -> None:
        """The due date reported is the first one *missed*: an installment paid on time
        is not late (DOMAIN.md §8: interest from the day after the missed due date)."""
        draft = sample_invoice(
            lines=[sample_line(quantity="1", unit_price=eur("1000.00"))], due_date=date(2025, 3, 2)
        )
        invoice, _ = issue(draft, sample_scheme(), SequenceState(), on=date(2025, 1, 31))
        terms = PaymentTerms(
            parts=[TermPart(percent=50, due=DueRule.net(0)), TermPart(due=DueRule.net(30))]
        )
        half = eur("600.00")  # 50 % of 1 200.00 TTC
        payments = [
            Payment(id="P1", customer=invoice.buyer.key, amount=half, date=date(2025, 1, 31)),
            Payment(id="P2", customer=invoice.buyer.key, amount=half, date=date(2025, 4, 1)),
        ]
        settlement = settle([invoice], payments, on=date(2025, 4, 30))
        p = late_penalty(invoice, settlement, PenaltyPolicy(rate="10"), terms=terms)
        # Only the second half is late: 600 × 10 % × 30 days (3 March–1 April) / 365 = 4.93.
        assert (date(2025, 3, 2), 30, eur("4.93")) == (p.due_date, p.days_late, p.interest)


class TestFooterMentions:
    def test_contractual_rate_english(self) -> None:
        """English mentions with a contractual rate and an escompte."""
        terms = PaymentTerms.single(
            DueRule.net(30), discount=EarlyPaymentDiscount(percent=2, days=10)
        )
        mentions = footer_mentions(PenaltyPolicy(rate="12.15"), terms, lang="en")
        assert "2% discount for payment within 10 days." == mentions[0]
        assert "12.15%" in mentions[1]
        assert "40.00 EUR" in mentions[2]

    def test_no_indemnity(self) -> None:
        """Without the indemnity (collective proceedings) only two mentions."""
        assert 2 == len(footer_mentions(PenaltyPolicy(rate="12", indemnity=None)))


class TestWrongInput:
    @pytest.mark.parametrize(
        ("build", "field"),
        [
            (lambda: HalfYearRate(year="2025", half=1, mro="3.15"), "year"),
            (lambda: HalfYearRate(year=2025, half=True, mro="3.15"), "half"),
            (lambda: ReferenceRates(rates=FR_REFERENCE_RATES.rates[0]), "rates"),
            (lambda: PenaltyPolicy(rate="10", split="monthly"), "split"),
            (lambda: PenaltyPolicy(rate="10", day_basis=365.0), "day_basis"),
            (lambda: PenaltyPolicy(rate="10", rounding=None), "rounding"),
            (lambda: PenaltyPolicy(reference_rates=[FR_REFERENCE_RATES]), "reference_rates"),
        ],
    )
    def test_fields(self, build: object, field: str) -> None:
        """A wrong field value raises PaymentError naming the field."""
        with pytest.raises(PaymentError) as raised:
            build()  # type: ignore[operator]
        assert field == raised.value.field

    def test_split_by_value(self) -> None:
        """A split given by its value is converted to the member."""
        assert RateSplit.DUE_DATE == PenaltyPolicy(rate="10", split="due_date").split

    @pytest.mark.parametrize(
        ("payments", "field"),
        [
            (None, None),
            (eur("100.00"), "payments"),
            ([(date(2025, 4, 10),)], "payments[0]"),
            ([("2025-04-10", eur("100.00"))], "payments[0][0]"),
            ([(date(2025, 4, 10), "100.00")], "payments[0][1]"),
            ([(date(2025, 4, 10), to_money("100.00", "USD"))], "payments[0]"),
        ],
    )
    def test_late_interest_payments(self, payments: object, field: str | None) -> None:
        """Payments are (date, Money) pairs in the amount's currency; None is no payment."""
        due, until = date(2025, 3, 31), date(2025, 5, 15)
        policy = PenaltyPolicy(rate="12.15")
        if field is None:
            expected = late_interest(eur("7800.00"), due, until, policy)
            assert expected == late_interest(eur("7800.00"), due, until, policy, payments=payments)  # type: ignore[arg-type]
            return
        with pytest.raises(PaymentError) as raised:
            late_interest(eur("7800.00"), due, until, policy, payments=payments)  # type: ignore[arg-type]
        assert field == raised.value.field

    def test_late_interest_payments_generator(self) -> None:
        """Payments may be any iterable, a generator included."""
        due, until, policy = date(2025, 3, 31), date(2025, 5, 15), PenaltyPolicy(rate="12.15")
        pairs = [(date(2025, 4, 30), eur("3900.00"))]
        assert late_interest(eur("7800.00"), due, until, policy, payments=pairs) == late_interest(
            eur("7800.00"), due, until, policy, payments=(p for p in pairs)
        )

    @pytest.mark.parametrize(
        ("call", "field"),
        [
            (
                lambda: late_interest(eur("1.00"), "2025-03-31", date(2025, 5, 1), DEFAULT),
                "due_date",
            ),
            (lambda: late_interest(eur("1.00"), date(2025, 3, 31), None, DEFAULT), "until"),
            (
                lambda: late_interest(eur("1.00"), date(2025, 3, 31), date(2025, 5, 1), "12"),
                "policy",
            ),
            (lambda: check_penalty_rate(None, date(2025, 1, 10)), "policy"),
            (lambda: check_penalty_rate(DEFAULT, "2025-01-10"), "on"),
            (lambda: check_penalty_rate(DEFAULT, date(2025, 1, 10), rates=[]), "rates"),
            (lambda: footer_mentions(None), "policy"),
            (lambda: footer_mentions(DEFAULT, "30 jours"), "terms"),
        ],
    )
    def test_arguments(self, call: object, field: str) -> None:
        """A wrong argument raises PaymentError naming it, not TypeError or AttributeError."""
        with pytest.raises(PaymentError) as raised:
            call()  # type: ignore[operator]
        assert field == raised.value.field

    def test_until_last_day_of_the_calendar(self) -> None:
        """Late days cannot be counted through 31 December 9999: PaymentError naming until."""
        with pytest.raises(PaymentError) as raised:
            late_interest(eur("1.00"), date(2025, 3, 31), date.max, DEFAULT)
        assert "until" == raised.value.field

    def test_due_on_the_last_day_of_the_calendar(self) -> None:
        """An amount due on 31 December 9999 is never late."""
        p = late_interest(eur("1.00"), date.max, date(2025, 1, 1), DEFAULT)
        assert (0, (), None) == (p.days_late, p.periods, p.indemnity)

    def test_results_are_what_the_checked_constructors_build(self) -> None:
        """Results built without checks equal the same values built by the constructors."""
        payments = [(date(2025, 6, 20), eur("2000.00"))]
        penalty = late_interest(
            eur("7800.00"), date(2025, 6, 15), date(2025, 7, 31), DEFAULT, payments=payments
        )
        periods = tuple(
            InterestPeriod(
                **{f: getattr(p, f) for f in ("start", "end", "days", "base", "rate", "amount")}
            )
            for p in penalty.periods
        )
        fields = ("due_date", "until", "days_late", "interest", "indemnity", "invoice_number")
        assert penalty == LatePenalty(periods=periods, **{f: getattr(penalty, f) for f in fields})
