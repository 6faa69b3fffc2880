"""Tests for facturlib.receivables.terms: payment terms, due schedules, caps, escompte."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from facturlib.core._codes import DocumentKind
from facturlib.core.documents import Invoice
from facturlib.core.errors import CurrencyMismatch, InvalidValue, LedgerError, PaymentError
from facturlib.core.issuing import issue
from facturlib.core.money import Money, to_money
from facturlib.core.numbering import SequenceState
from facturlib.core.vat import FR_REDUCED, FR_STANDARD
from facturlib.receivables.terms import (
    DueKind,
    DueRule,
    EarlyPaymentDiscount,
    EndOfMonth,
    Installment,
    PaymentTerms,
    TermPart,
    _escompte,
    check_terms,
    discount_mention,
    due_schedule,
    early_payment_discount,
    format_terms,
    parse_terms,
)
from facturlib.testing.builders import sample_invoice, sample_line, sample_scheme

A, B, C = EndOfMonth.A, EndOfMonth.B, EndOfMonth.C


def eur(amount: str) -> Money:
    return to_money(amount, "EUR")


def invoice_of(ttc_lines: list[str], *, on: date, **fields: object) -> Invoice:
    """An issued invoice whose lines are TTC prices at 20 %."""
    lines = [sample_line(quantity="1", unit_price=eur(p)) for p in ttc_lines]
    fields.setdefault("due_date", on)
    draft = sample_invoice(lines=lines, prices_include_vat=True, **fields)
    issued, _ = issue(draft, sample_scheme(), SequenceState(), on=on)
    return issued


class TestDueRule:
    @pytest.mark.parametrize(
        ("issued", "days", "expected"),
        [
            # DOMAIN §7 table: issue, term, A, B, C
            (date(2023, 1, 31), 30, (date(2023, 3, 31), date(2023, 3, 2), date(2023, 2, 28))),
            (date(2023, 1, 31), 45, (date(2023, 3, 31), date(2023, 3, 17), None)),
            (date(2025, 1, 15), 45, (date(2025, 3, 31), date(2025, 3, 17), None)),
            # leap year: 31 January 2024, February has 29 days
            (date(2024, 1, 31), 30, (date(2024, 3, 31), date(2024, 3, 1), date(2024, 2, 29))),
            (date(2024, 2, 29), 30, (date(2024, 3, 31), date(2024, 3, 30), date(2024, 3, 31))),
            (date(2023, 2, 28), 45, (date(2023, 4, 30), date(2023, 4, 14), None)),
            (date(2024, 12, 15), 45, (date(2025, 1, 31), date(2025, 2, 14), None)),
        ],
    )
    def test_end_of_month_conventions(
        self, issued: date, days: int, expected: tuple[date, date, date | None]
    ) -> None:
        """N jours fin de mois under A, B and C reproduces the DOMAIN §7 table."""
        for convention, want in zip((A, B, C), expected, strict=True):
            if want is not None:
                assert want == DueRule.end_of_month(days, convention).due_date(issued)

    def test_net_sixty_days(self) -> None:
        """DOMAIN §7: 60 jours from 2024-12-31 is 2025-03-01."""
        assert date(2025, 3, 1) == DueRule.net(60).due_date(date(2024, 12, 31))

    @pytest.mark.parametrize(
        ("issued", "expected"),
        [(date(2023, 1, 31), date(2023, 3, 2)), (date(2024, 1, 31), date(2024, 3, 1))],
    )
    def test_net_thirty_from_31_january(self, issued: date, expected: date) -> None:
        """30 days from 31 January lands in March, one day earlier in a leap year."""
        assert expected == DueRule.net(30).due_date(issued)

    @pytest.mark.parametrize("rule", [DueRule.on_receipt(), DueRule.cash()])
    def test_receipt_and_cash_are_due_on_issue(self, rule: DueRule) -> None:
        """À réception and comptant are due on the issue date (DOMAIN §7)."""
        assert date(2025, 1, 15) == rule.due_date(date(2025, 1, 15))

    def test_day_of_month_after_end_of_month(self) -> None:
        """30 jours fin de mois le 10: the 10th after the end-of-month date."""
        a = DueRule.end_of_month(30, A, day_of_month=10)
        b = DueRule.end_of_month(30, B, day_of_month=10)
        assert date(2025, 3, 10) == a.due_date(date(2025, 1, 15))
        assert date(2025, 3, 10) == b.due_date(date(2025, 1, 15))
        assert date(2023, 3, 10) == b.due_date(date(2023, 1, 31))  # B gives 2 March

    def test_day_of_month_clamped_to_short_month(self) -> None:
        """ "Le 31" in a 30-day month is its last day."""
        rule = DueRule.end_of_month(0, None, day_of_month=31)
        assert date(2025, 4, 30) == rule.due_date(date(2025, 4, 2))

    def test_plain_end_of_month_needs_no_convention(self) -> None:
        """ "Fin de mois" (0 days): A and B agree, so no convention is needed."""
        assert date(2024, 2, 29) == DueRule.end_of_month(0, None).due_date(date(2024, 2, 3))

    def test_end_of_month_requires_a_convention(self) -> None:
        """N days end of month without a convention is refused: no silent default."""
        with pytest.raises(PaymentError, match="explicit convention") as error:
            DueRule.end_of_month(30, None)
        assert "convention" == error.value.field

    def test_convention_c_reads_only_thirty_days(self) -> None:
        """C (end of following month) is the ERP reading of 30 JFDM only."""
        with pytest.raises(PaymentError, match="only 30 days"):
            DueRule.end_of_month(45, C)

    def test_on_order_uses_the_order_date(self) -> None:
        """À la commande is due on the order date, else the issue date."""
        rule = DueRule.on_order()
        assert date(2025, 3, 10) == rule.due_date(date(2025, 3, 31), order_date=date(2025, 3, 10))
        assert date(2025, 3, 31) == rule.due_date(date(2025, 3, 31))

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"kind": "net", "days": -1}, "days"),
            ({"kind": "on_receipt", "days": 3}, "days"),
            ({"kind": "net", "days": 30, "convention": "A"}, "convention"),
            ({"kind": "end_of_month", "days": 0, "day_of_month": 32}, "day_of_month"),
            ({"kind": "fixed_date"}, "on"),
        ],
    )
    def test_refuses_inconsistent_rules(self, fields: dict[str, object], field: str) -> None:
        """Inconsistent fields raise PaymentError naming the field."""
        with pytest.raises(PaymentError) as error:
            DueRule(**fields)  # type: ignore[arg-type]
        assert field == error.value.field


class TestPaymentTerms:
    def test_percentages_over_100_are_refused(self) -> None:
        """Percentages adding up to more than 100 are refused."""
        with pytest.raises(PaymentError, match="more than 100"):
            PaymentTerms(
                parts=[
                    TermPart(percent=60, due=DueRule.net(30)),
                    TermPart(percent=50, due=DueRule.net(60)),
                ]
            )

    def test_single_percentage_over_100_is_refused(self) -> None:
        """A single share over 100 % is refused."""
        with pytest.raises(PaymentError, match="at most 100"):
            TermPart(percent="120", due=DueRule.net(30))

    def test_percentages_under_100_need_a_balance(self) -> None:
        """Percentages that do not reach 100 without a balance part are refused."""
        with pytest.raises(PaymentError, match="add up to 90"):
            PaymentTerms(parts=[TermPart(percent=90, due=DueRule.net(30))])

    def test_share_is_percent_or_amount(self) -> None:
        """A part is a percentage or an amount, not both."""
        with pytest.raises(PaymentError, match="not both"):
            TermPart(percent=10, amount=eur("10.00"), due=DueRule.net(30))

    def test_parts_become_a_tuple(self) -> None:
        """Parts given as a list are stored as a tuple."""
        terms = PaymentTerms(parts=[TermPart(due=DueRule.net(30))])
        assert isinstance(terms.parts, tuple)

    def test_due_date_is_the_last_part(self) -> None:
        """The final due date (BT-9) is the latest part's."""
        terms = PaymentTerms(
            parts=[TermPart(percent=50, due=DueRule.net(60)), TermPart(due=DueRule.net(30))]
        )
        assert date(2025, 3, 16) == terms.due_date(date(2025, 1, 15))

    def test_float_percent_refused(self) -> None:
        """A float percentage is refused."""
        with pytest.raises(ValueError, match="floats"):
            EarlyPaymentDiscount(percent=2.0, days=10)


class TestDueSchedule:
    def test_thirds_last_absorbs_the_remainder(self) -> None:
        """DOMAIN §7: 1 000.00 / 3 → 333.33, 333.33, 333.34."""
        invoice = invoice_of(["1000.00"], on=date(2025, 1, 15))
        terms = PaymentTerms(parts=[TermPart(due=DueRule.net(d)) for d in (30, 60, 90)])
        amounts = [i.amount for i in due_schedule(invoice, terms)]
        assert [eur("333.33"), eur("333.33"), eur("333.34")] == amounts

    def test_installments_are_what_the_constructor_builds(self) -> None:
        """Installments built without checks equal those built by the constructor."""
        invoice = invoice_of(["1000.00"], on=date(2025, 1, 15))
        terms = PaymentTerms(parts=[TermPart(due=DueRule.net(d)) for d in (30, 60, 90)])
        schedule = due_schedule(invoice, terms)
        assert schedule == tuple(Installment(date=i.date, amount=i.amount) for i in schedule)

    def test_more_balance_parts_than_cents(self) -> None:
        """0.02 over 4 balance parts: the earlier parts round down, the last takes the rest."""
        invoice = invoice_of(["0.02"], on=date(2025, 1, 15))
        terms = PaymentTerms(parts=[TermPart(due=DueRule.net(d)) for d in (0, 30, 60, 90)])
        schedule = due_schedule(invoice, terms)
        assert [(date(2025, 4, 15), eur("0.02"))] == [(i.date, i.amount) for i in schedule]

    def test_deposit_then_balance_end_of_month(self) -> None:
        """DOMAIN §7: 30 % at order, balance 30 JFDM, on 12 000 TTC: 8 400 due 2025-04-30."""
        final = invoice_of(
            ["12000.00"], on=date(2025, 3, 31), prepaid=eur("3600.00"), due_date=date(2025, 4, 30)
        )
        for convention in (A, B):
            terms = PaymentTerms(
                parts=[
                    TermPart(percent=30, due=DueRule.on_order()),
                    TermPart(due=DueRule.end_of_month(30, convention)),
                ]
            )
            schedule = due_schedule(final, terms, order_date=date(2025, 3, 10))
            assert (Installment(date=date(2025, 4, 30), amount=eur("8400.00")),) == schedule

    def test_deposit_invoice_due_at_order(self) -> None:
        """The 3 600 deposit invoice may fall due at the order date (BR-FR-CO-07)."""
        deposit = invoice_of(["3600.00"], on=date(2025, 3, 12), kind=DocumentKind.DEPOSIT)
        schedule = due_schedule(
            deposit, PaymentTerms.single(DueRule.on_order()), order_date=date(2025, 3, 10)
        )
        assert (Installment(date=date(2025, 3, 10), amount=eur("3600.00")),) == schedule

    def test_due_before_issue_refused_except_deposits(self) -> None:
        """An installment before the issue date is refused on an ordinary invoice."""
        invoice = invoice_of(["1200.00"], on=date(2025, 3, 31))
        with pytest.raises(PaymentError, match="before the issue date") as error:
            due_schedule(invoice, PaymentTerms.single(DueRule.fixed(date(2025, 3, 1))))
        assert "due_date" == error.value.field

    def test_percent_amount_and_balance(self) -> None:
        """Percent, fixed amount and balance parts sum to the amount due."""
        invoice = invoice_of(["999.99"], on=date(2025, 1, 15))
        terms = PaymentTerms(
            parts=[
                TermPart(percent="33.3", due=DueRule.on_receipt()),
                TermPart(amount=eur("100.00"), due=DueRule.net(30)),
                TermPart(due=DueRule.net(60)),
            ]
        )
        amounts = [i.amount for i in due_schedule(invoice, terms)]
        assert [eur("333.00"), eur("100.00"), eur("566.99")] == amounts

    def test_percentages_summing_to_100(self) -> None:
        """50/50 of an odd cent total: the last absorbs the rounding."""
        invoice = invoice_of(["100.01"], on=date(2025, 1, 15))
        terms = PaymentTerms(
            parts=[
                TermPart(percent=50, due=DueRule.net(30)),
                TermPart(percent=50, due=DueRule.net(60)),
            ]
        )
        assert [eur("50.01"), eur("50.00")] == [i.amount for i in due_schedule(invoice, terms)]

    def test_jpy_has_no_decimals(self) -> None:
        """In JPY the thirds are whole yen."""
        line = sample_line(quantity="1", unit_price=to_money("1000", "JPY"))
        draft = sample_invoice(lines=[line], currency="JPY", prices_include_vat=True)
        terms = PaymentTerms(parts=[TermPart(due=DueRule.net(d)) for d in (30, 60, 90)])
        amounts = [i.amount.amount for i in due_schedule(draft, terms, issue_date=date(2025, 1, 1))]
        assert [Decimal(333), Decimal(333), Decimal(334)] == amounts

    def test_fixed_amounts_must_fit_without_balance(self) -> None:
        """Fixed amounts that do not add up to the total need a balance part."""
        invoice = invoice_of(["1000.00"], on=date(2025, 1, 15))
        terms = PaymentTerms(parts=[TermPart(amount=eur("400.00"), due=DueRule.net(30))])
        with pytest.raises(PaymentError, match="balance part"):
            due_schedule(invoice, terms)

    def test_fixed_amount_in_other_currency(self) -> None:
        """A fixed amount in another currency than the invoice is refused."""
        invoice = invoice_of(["1000.00"], on=date(2025, 1, 15))
        terms = PaymentTerms(
            parts=[
                TermPart(amount=to_money("100", "USD"), due=DueRule.net(30)),
                TermPart(due=DueRule.net(60)),
            ]
        )
        with pytest.raises(CurrencyMismatch):
            due_schedule(invoice, terms)

    def test_draft_needs_an_issue_date(self) -> None:
        """A draft has no issue date: pass one."""
        with pytest.raises(PaymentError, match="no issue date"):
            due_schedule(sample_invoice(), PaymentTerms.single(DueRule.net(30)))

    def test_credit_note_has_no_schedule(self) -> None:
        """Credit notes are credit, not due."""
        draft = sample_invoice(kind=DocumentKind.CREDIT_NOTE)
        with pytest.raises(PaymentError, match="credit note"):
            due_schedule(draft, PaymentTerms.single(DueRule.net(30)), issue_date=date(2025, 1, 1))

    def test_fully_prepaid_has_no_installment(self) -> None:
        """Nothing due, no installment."""
        invoice = invoice_of(["100.00"], on=date(2025, 1, 15), prepaid=eur("100.00"))
        assert () == due_schedule(invoice, PaymentTerms.single(DueRule.net(30)))


class TestCheckTerms:
    @pytest.mark.parametrize(
        "rule",
        [
            DueRule.net(60),
            DueRule.end_of_month(45, A),
            DueRule.end_of_month(45, B),
            DueRule.end_of_month(30, C),
            DueRule.on_receipt(),
        ],
    )
    def test_within_caps(self, rule: DueRule) -> None:
        """60 days, 45 days end of month (A or B) and shorter terms are lawful."""
        assert () == check_terms(PaymentTerms.single(rule))

    @pytest.mark.parametrize(
        "rule", [DueRule.net(61), DueRule.end_of_month(60, A), DueRule.end_of_month(46, B)]
    )
    def test_over_caps(self, rule: DueRule) -> None:
        """Longer terms are reported as a Problem citing L441-10."""
        (problem,) = check_terms(PaymentTerms.single(rule))
        assert "over_legal_cap" == problem.code
        assert "L441-10" in problem.message

    def test_periodic_invoices_cap_45_days(self) -> None:
        """Periodic recap invoices are capped at 45 days from issue."""
        assert 1 == len(check_terms(PaymentTerms.single(DueRule.net(50)), periodic=True))

    def test_one_issue_date(self) -> None:
        """With an issue date, only that date is checked."""
        rule = DueRule.end_of_month(30, A, day_of_month=5)
        assert () == check_terms(PaymentTerms.single(rule), issue_date=date(2025, 1, 1))
        assert 1 == len(check_terms(PaymentTerms.single(rule), issue_date=date(2025, 1, 2)))

    def test_fixed_dates_need_an_issue_date(self) -> None:
        """A fixed date is judged only against a given issue date."""
        terms = PaymentTerms.single(DueRule.fixed(date(2025, 6, 30)))
        assert () == check_terms(terms)
        assert () == check_terms(terms, issue_date=date(2025, 5, 1))
        assert 1 == len(check_terms(terms, issue_date=date(2025, 4, 1)))

    def test_sector_cap(self) -> None:
        """A shorter sector cap (L441-11) can be given."""
        assert 1 == len(check_terms(PaymentTerms.single(DueRule.net(40)), max_days=30))


class TestEarlyPaymentDiscount:
    def test_two_percent_of_2700(self) -> None:
        """DOMAIN §7: 2 % on 2 700 HT → 54.00 HT + 10.80 VAT."""
        invoice = sample_invoice(lines=[sample_line(quantity="1", unit_price=eur("2700.00"))])
        (entry,) = early_payment_discount(invoice, EarlyPaymentDiscount(percent=2, days=10))
        assert (FR_STANDARD, eur("54.00"), eur("10.80")) == (entry.vat, entry.taxable, entry.amount)

    def test_spread_over_rates(self) -> None:
        """Over two rates, the discount is split exactly and each rate's VAT computed."""
        invoice = sample_invoice(
            lines=[
                sample_line(quantity="1", unit_price=eur("100.00")),
                sample_line(quantity="1", unit_price=eur("50.00"), vat=FR_REDUCED),
            ]
        )
        entries = early_payment_discount(invoice, EarlyPaymentDiscount(percent="1.5", days=8))
        assert [eur("1.50"), eur("0.75")] == [e.taxable for e in entries]
        assert Decimal("2.25") == sum(e.taxable.amount for e in entries)
        assert [eur("0.30"), eur("0.04")] == [e.amount for e in entries]

    def test_negative_rate_gets_nothing(self) -> None:
        """A rate whose taxable amount is negative gets a zero part; the net total is the base."""
        invoice = sample_invoice(
            lines=[
                sample_line(quantity="1", unit_price=eur("100.00")),
                sample_line(quantity="-1", unit_price=eur("10.00"), vat=FR_REDUCED),
            ]
        )
        entries = early_payment_discount(invoice, EarlyPaymentDiscount(percent=2, days=8))
        assert [(eur("1.80"), eur("0.36")), (eur("0.00"), eur("0.00"))] == [
            (e.taxable, e.amount) for e in entries
        ]

    def test_nothing_on_a_zero_invoice(self) -> None:
        """No discount on an invoice whose net total is not positive."""
        invoice = sample_invoice(lines=[sample_line(quantity="1", unit_price=eur("0.00"))])
        assert () == early_payment_discount(invoice, EarlyPaymentDiscount(percent=2, days=8))


class TestEscompte:
    """The private rule shared by `early_payment_discount` and the journal's escompte."""

    def test_percent_and_amount_agree(self) -> None:
        """2 % of 2 700.00 and 54.00 give the same split (DOMAIN §7)."""
        invoice = sample_invoice(lines=[sample_line(quantity="1", unit_price=eur("2700.00"))])
        by_percent = _escompte(invoice, Decimal(2))
        assert by_percent == _escompte(invoice, eur("54.00"))
        assert by_percent == early_payment_discount(
            invoice, EarlyPaymentDiscount(percent=2, days=10)
        )

    def test_amount_spread_over_rates(self) -> None:
        """An amount is spread exactly in proportion to each rate's taxable amount."""
        invoice = sample_invoice(
            lines=[
                sample_line(quantity="1", unit_price=eur("100.00")),
                sample_line(quantity="1", unit_price=eur("50.00"), vat=FR_REDUCED),
            ]
        )
        assert [(eur("2.00"), eur("0.40")), (eur("1.00"), eur("0.06"))] == [
            (e.taxable, e.amount) for e in _escompte(invoice, eur("3.00"))
        ]

    def test_amount_above_the_net_total(self) -> None:
        """An amount above the net total raises the caller's error (PaymentError by default)."""
        invoice = sample_invoice(lines=[sample_line(quantity="1", unit_price=eur("10.00"))])
        with pytest.raises(PaymentError, match="exceeds the net total") as caught:
            _escompte(invoice, eur("10.01"))
        assert "amount" == caught.value.field
        with pytest.raises(LedgerError, match=r"at most 10\.00 EUR HT"):
            _escompte(invoice, eur("10.01"), error=LedgerError)

    def test_amount_in_another_currency(self) -> None:
        """An amount in another currency than the invoice raises."""
        invoice = sample_invoice(lines=[sample_line(quantity="1", unit_price=eur("10.00"))])
        with pytest.raises(PaymentError, match="another currency"):
            _escompte(invoice, to_money("1.00", "USD"))

    def test_terms_without_discount(self) -> None:
        """Terms without escompte cannot give one."""
        with pytest.raises(PaymentError, match="no early-payment discount"):
            early_payment_discount(sample_invoice(), PaymentTerms.single(DueRule.net(30)))

    def test_mentions(self) -> None:
        """The escompte mention, or its absence (L441-9)."""
        assert "Pas d'escompte pour paiement anticipé" == discount_mention(None)
        assert "No discount for early payment" == discount_mention(None, lang="en")
        terms = PaymentTerms.single(
            DueRule.net(30), discount=EarlyPaymentDiscount(percent=2, days=10)
        )
        assert "Escompte de 2 % pour paiement sous 10 jours" == discount_mention(terms)

    @pytest.mark.parametrize("percent", ["0", "100", "-1"])
    def test_refuses_bad_percent(self, percent: str) -> None:
        """A discount of 0, 100 % or less is refused."""
        with pytest.raises(PaymentError):
            EarlyPaymentDiscount(percent=percent, days=10)


class TestParseTerms:
    @pytest.mark.parametrize(
        ("text", "issued", "expected"),
        [
            ("À réception", date(2025, 1, 31), date(2025, 1, 31)),
            ("Paiement à réception de facture", date(2025, 1, 31), date(2025, 1, 31)),
            ("Comptant", date(2025, 1, 31), date(2025, 1, 31)),
            ("Due on receipt", date(2025, 1, 31), date(2025, 1, 31)),
            ("cash", date(2025, 1, 31), date(2025, 1, 31)),
            ("30 jours", date(2023, 1, 31), date(2023, 3, 2)),
            ("à 30 jours date de facture", date(2024, 1, 31), date(2024, 3, 1)),
            ("30 jours nets", date(2025, 2, 1), date(2025, 3, 3)),
            ("Net 30", date(2024, 2, 1), date(2024, 3, 2)),
            ("net 60 days", date(2024, 12, 31), date(2025, 3, 1)),
            ("45 jours fin de mois", date(2025, 1, 15), date(2025, 3, 31)),
            ("30 JFDM", date(2023, 1, 31), date(2023, 3, 31)),
            ("30 jours fin de mois le 10", date(2025, 1, 15), date(2025, 3, 10)),
            ("30 days end of month on the 10th", date(2025, 1, 15), date(2025, 3, 10)),
            ("45 days EOM", date(2024, 1, 31), date(2024, 3, 31)),
            ("fin de mois", date(2024, 2, 3), date(2024, 2, 29)),
            ("fin du mois suivant", date(2024, 1, 31), date(2024, 2, 29)),
            ("end of following month", date(2023, 1, 31), date(2023, 2, 28)),
            ("le 15/03/2025", date(2025, 1, 15), date(2025, 3, 15)),
            ("on 2025-03-15", date(2025, 1, 15), date(2025, 3, 15)),
        ],
    )
    def test_wordings(self, text: str, issued: date, expected: date) -> None:
        """Each French and English wording gives the worked due date (method A for JFDM)."""
        assert expected == parse_terms(text, end_of_month=A).due_date(issued)

    def test_end_of_month_method_b(self) -> None:
        """The same wording read with method B."""
        terms = parse_terms("45 jours fin de mois", end_of_month="B")
        assert date(2025, 3, 17) == terms.due_date(date(2025, 1, 15))

    @pytest.mark.parametrize(
        "text",
        ["fin de mois + 45 jours", "à fin de mois plus 45 jours", "end of month + 45 days"],
    )
    def test_end_of_month_then_days_spelled_out(self, text: str) -> None:
        """ "fin de mois + N jours" is method B in words (DOMAIN.md §7): no convention to
        pass; 2025-01-15 → 2025-01-31 + 45 days = 2025-03-17."""
        terms = parse_terms(text)
        assert DueRule.end_of_month(45, B) == terms.parts[0].due
        assert date(2025, 3, 17) == terms.due_date(date(2025, 1, 15))

    def test_end_of_month_then_days_on_a_day(self) -> None:
        """ "fin de mois + 30 jours le 10" keeps the day of month."""
        due = parse_terms("fin de mois + 30 jours le 10").parts[0].due
        assert DueRule.end_of_month(30, B, day_of_month=10) == due

    def test_english_amount_with_thousands_comma(self) -> None:
        """An amount written the English way, 1,000.50, is one thousand and a half."""
        terms = parse_terms("1,000.50 USD on order, balance net 30")
        assert to_money("1000.50", "USD") == terms.parts[0].amount
        assert DueRule.net(30) == terms.parts[1].due

    def test_end_of_month_needs_convention(self) -> None:
        """Parsing "N jours fin de mois" without a convention raises."""
        with pytest.raises(PaymentError, match="explicit convention"):
            parse_terms("30 jours fin de mois")

    def test_installments(self) -> None:
        """ "30 % à la commande, solde à 30 jours fin de mois" is two parts."""
        terms = parse_terms("30 % à la commande, solde à 30 jours fin de mois", end_of_month=A)
        assert (
            PaymentTerms(
                parts=[
                    TermPart(percent=30, due=DueRule.on_order()),
                    TermPart(due=DueRule.end_of_month(30, A)),
                ]
            )
            == terms
        )

    def test_amount_and_balance(self) -> None:
        """A fixed amount with a decimal comma and thousands space."""
        terms = parse_terms("1 000,50 € à la commande, solde à 30 jours")
        assert eur("1000.50") == terms.parts[0].amount
        assert terms.parts[1].is_balance

    def test_english_installments(self) -> None:
        """ "50% net 30 and balance net 60"."""
        terms = parse_terms("50% net 30 and balance net 60")
        assert [Decimal(50), None] == [p.percent for p in terms.parts]
        assert [DueKind.NET, DueKind.NET] == [p.due.kind for p in terms.parts]

    def test_escompte(self) -> None:
        """The escompte clause is read into the discount."""
        terms = parse_terms("30 jours; escompte de 2 % pour paiement sous 10 jours")
        assert EarlyPaymentDiscount(percent=2, days=10) == terms.discount

    def test_no_escompte(self) -> None:
        """ "Pas d'escompte pour paiement anticipé" leaves no discount."""
        terms = parse_terms("À 30 jours. Pas d'escompte pour paiement anticipé")
        assert (None, 1) == (terms.discount, len(terms.parts))

    def test_two_ten_net_thirty(self) -> None:
        """The English "2/10 net 30"."""
        terms = parse_terms("2/10 net 30")
        assert EarlyPaymentDiscount(percent=2, days=10) == terms.discount
        assert DueRule.net(30) == terms.parts[0].due

    def test_unknown_wording_lists_what_is_understood(self) -> None:
        """An unknown wording raises PaymentError listing the understood wordings."""
        with pytest.raises(PaymentError, match="cannot read") as error:
            parse_terms("30 % à la commande, le reste quand vous voulez")
        assert "quand vous voulez" in str(error.value)
        assert error.value.hint is not None
        assert "45 jours fin de mois" in error.value.hint
        assert "net 30" in error.value.hint

    def test_empty_text(self) -> None:
        """Empty text is refused."""
        with pytest.raises(PaymentError, match="non-empty"):
            parse_terms("  ")

    def test_parsed_percentages_over_100(self) -> None:
        """Written percentages over 100 are refused too."""
        with pytest.raises(PaymentError, match="more than 100"):
            parse_terms("70 % à la commande, 40 % à 30 jours")


class TestFormatTerms:
    @pytest.mark.parametrize(
        ("terms", "fr", "en"),
        [
            (PaymentTerms.single(DueRule.on_receipt()), "À réception", "Due on receipt"),
            (PaymentTerms.single(DueRule.net(30)), "À 30 jours", "Net 30 days"),
            (
                PaymentTerms.single(DueRule.end_of_month(45, B)),
                "À 45 jours fin de mois",
                "45 days end of month",
            ),
            (
                PaymentTerms(
                    parts=[
                        TermPart(percent=30, due=DueRule.on_order()),
                        TermPart(due=DueRule.end_of_month(30, B)),
                    ]
                ),
                "30 % à la commande, solde à 30 jours fin de mois",
                "30% on order, balance 30 days end of month",
            ),
            (
                PaymentTerms(
                    parts=[
                        TermPart(amount=eur("1000.00"), due=DueRule.on_order()),
                        TermPart(due=DueRule.fixed(date(2025, 3, 15))),
                    ]
                ),
                "1000,00 EUR à la commande, solde le 15/03/2025",
                "1000.00 EUR on order, balance on 2025-03-15",
            ),
        ],
    )
    def test_french_and_english(self, terms: PaymentTerms, fr: str, en: str) -> None:
        """Terms render in French and English, and parse back to the same value."""
        assert (fr, en) == (format_terms(terms), format_terms(terms, lang="en"))
        for text in (fr, en):
            assert terms == parse_terms(text, end_of_month=B)

    def test_unknown_language(self) -> None:
        """Only fr and en are supported."""
        with pytest.raises(PaymentError, match="language"):
            format_terms(PaymentTerms.single(DueRule.net(30)), lang="de")  # type: ignore[arg-type]


class TestWrongInput:
    @pytest.mark.parametrize(
        ("build", "field"),
        [
            (lambda: DueRule(kind="weekly"), "kind"),
            (lambda: DueRule(kind=None), "kind"),
            (lambda: DueRule.end_of_month(30, "Z"), "convention"),
            (lambda: DueRule.end_of_month(30, A, day_of_month=True), "day_of_month"),
            (lambda: PaymentTerms(parts=3), "parts"),
            (lambda: PaymentTerms(parts=[DueRule.net(30)]), "parts[0]"),
            (lambda: Installment(date=date(2025, 1, 15), amount=Decimal("1.00")), "amount"),
        ],
    )
    def test_fields(self, build: object, field: str) -> None:
        """A wrong field value raises PaymentError naming the field, not ValueError."""
        with pytest.raises(PaymentError) as raised:
            build()  # type: ignore[operator]
        assert field == raised.value.field

    def test_installment_date(self) -> None:
        """An installment's date is a datetime.date (InvalidValue, as every date field)."""
        with pytest.raises(InvalidValue) as raised:
            Installment(date="2025-01-15", amount=eur("1.00"))  # type: ignore[arg-type]
        assert "date" == raised.value.field

    def test_enum_values_are_converted(self) -> None:
        """A kind or convention given by its value is converted to the member."""
        rule = DueRule(kind="end_of_month", days=30, convention="B")
        assert (DueKind.END_OF_MONTH, B) == (rule.kind, rule.convention)

    @pytest.mark.parametrize(
        ("call", "field"),
        [
            (lambda t: due_schedule(None, t), "invoice"),
            (lambda t: due_schedule(invoice_of(["120.00"], on=date(2025, 1, 15)), "30"), "terms"),
            (
                lambda t: due_schedule(
                    invoice_of(["120.00"], on=date(2025, 1, 15)), t, order_date="2025-01-01"
                ),
                "order_date",
            ),
            (lambda t: check_terms(t, issue_date="2025-01-15"), "issue_date"),
            (lambda t: check_terms(t, periodic=1), "periodic"),
            (lambda t: check_terms(t, max_days="60"), "max_days"),
            (lambda t: check_terms(t, max_days_end_of_month=None), "max_days_end_of_month"),
            (lambda t: format_terms(t.parts[0]), "terms"),
            (lambda t: discount_mention("2 %"), "terms"),
            (
                lambda t: early_payment_discount(invoice_of(["120.00"], on=date(2025, 1, 15)), 2),
                "discount",
            ),
            (lambda t: parse_terms("30 jours fin de mois", end_of_month="Z"), "end_of_month"),
            (lambda t: parse_terms("30 jours", currency_code=978), "currency_code"),
        ],
    )
    def test_arguments(self, call: object, field: str) -> None:
        """A wrong argument raises PaymentError naming it."""
        terms = PaymentTerms.single(DueRule.net(30))
        with pytest.raises(PaymentError) as raised:
            call(terms)  # type: ignore[operator]
        assert field == raised.value.field

    def test_due_date_arguments(self) -> None:
        """DueRule.due_date refuses a date that is not a datetime.date."""
        with pytest.raises(PaymentError) as raised:
            DueRule.net(30).due_date("2025-01-15")  # type: ignore[arg-type]
        assert "issue_date" == raised.value.field

    def test_due_date_after_9999(self) -> None:
        """A due date beyond the calendar raises PaymentError, not OverflowError."""
        with pytest.raises(PaymentError, match="after 31 December 9999") as raised:
            DueRule.end_of_month(30, B).due_date(date(9999, 12, 15))
        assert "issue_date" == raised.value.field

    def test_check_terms_huge_caps(self) -> None:
        """A cap beyond the calendar caps nothing."""
        terms = PaymentTerms.single(DueRule.end_of_month(90, A))
        assert () == check_terms(terms, max_days=10**30, max_days_end_of_month=10**30)
