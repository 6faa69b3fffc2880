"""Tests for facturlib.core.payment_means: payment means (EN 16931 BG-16…BG-19)."""

from __future__ import annotations

import attrs
import pytest

from facturlib.core.errors import InvalidIdentifier, InvalidValue, PaymentError
from facturlib.core.money import RoundingPolicy, to_money
from facturlib.core.payment_means import PaymentMeans, payment_means_of
from facturlib.testing.builders import sample_invoice, sample_line, sample_seller

IBAN = "FR7630006000011234567890189"


class TestPaymentMeans:
    def test_credit_transfer_is_sepa_by_default(self) -> None:
        """A credit transfer is a SEPA one (58) with its IBAN compacted (BT-84)."""
        means = PaymentMeans.credit_transfer("FR76 3000 6000 0112 3456 7890 189", bic="agrifrpp")

        assert ("58", IBAN, "AGRIFRPP") == (means.code, means.iban, means.bic)

    def test_non_sepa_credit_transfer(self) -> None:
        """sepa=False gives code 30."""
        assert "30" == PaymentMeans.credit_transfer(IBAN, sepa=False).code

    @pytest.mark.parametrize("code", ["30", "58"])
    def test_credit_transfer_needs_an_iban(self, code: str) -> None:
        """A credit transfer without IBAN is refused (BR-50, BR-61)."""
        with pytest.raises(PaymentError) as exc_info:
            PaymentMeans(code=code)

        assert "iban" == exc_info.value.field

    def test_direct_debit(self) -> None:
        """A SEPA direct debit carries mandate (BT-89), ICS (BT-90) and debited IBAN (BT-91)."""
        means = PaymentMeans.direct_debit("RUM-1", "fr72zzz123456", debtor_iban=IBAN)

        assert ("59", "RUM-1", "FR72ZZZ123456", IBAN) == (
            means.code,
            means.mandate,
            means.creditor_id,
            means.debtor_iban,
        )

    @pytest.mark.parametrize("missing", ["mandate", "creditor_id"])
    def test_direct_debit_needs_mandate_and_creditor_id(self, missing: str) -> None:
        """Code 59 without mandate or creditor id is refused, naming the field."""
        fields = {"code": "59", "mandate": "RUM-1", "creditor_id": "FR72ZZZ123456"}
        fields[missing] = None

        with pytest.raises(PaymentError) as exc_info:
            PaymentMeans(**fields)

        assert missing == exc_info.value.field

    def test_bad_debtor_iban_names_its_field(self) -> None:
        """A wrong debited IBAN is an InvalidIdentifier naming debtor_iban."""
        with pytest.raises(InvalidIdentifier) as exc_info:
            PaymentMeans.direct_debit("RUM-1", "FR72ZZZ123456", debtor_iban="FR76 0000")

        assert "debtor_iban" == exc_info.value.field

    def test_bad_creditor_id(self) -> None:
        """A creditor id failing its ISO 7064 check is refused."""
        with pytest.raises(InvalidIdentifier) as exc_info:
            PaymentMeans.direct_debit("RUM-1", "FR73ZZZ123456")

        assert "creditor_id" == exc_info.value.field

    def test_card_keeps_last_digits_only(self) -> None:
        """A card gives at most 10 digits (BT-87, BR-51), never the whole number."""
        assert "1234" == PaymentMeans.card(pan="12 34", holder="M. Dupont").card_pan
        with pytest.raises(PaymentError) as exc_info:
            PaymentMeans.card(pan="4970101234567890")

        assert "card_pan" == exc_info.value.field

    @pytest.mark.parametrize("code", ["0", "99", "CASH", "", "58 "])
    def test_unknown_code(self, code: str) -> None:
        """Codes outside UNTDID 4461 as admitted by EN 16931 are refused (BR-CL-16)."""
        if code == "58 ":
            assert "58" == PaymentMeans(code=code, iban=IBAN).code
            return
        with pytest.raises(PaymentError) as exc_info:
            PaymentMeans(code=code)

        assert "code" == exc_info.value.field

    def test_int_code_is_converted(self) -> None:
        """An int code is written out."""
        assert "10" == PaymentMeans(code=10).code  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"code": "58", "iban": IBAN, "mandate": "RUM-1"}, "mandate"),
            ({"code": "10", "card_holder": "X"}, "card_holder"),
            ({"code": "20", "iban": IBAN}, "iban"),
        ],
    )
    def test_fields_of_another_means_are_refused(self, fields: dict, field: str) -> None:
        """A mandate on a transfer, a card holder on cash, an IBAN on a cheque: refused."""
        with pytest.raises(PaymentError) as exc_info:
            PaymentMeans(**fields)

        assert field == exc_info.value.field

    def test_named_constructors(self) -> None:
        """cash() is 10 and the only cash means; cheque() is 20."""
        assert ("10", True, "20", False) == (
            PaymentMeans.cash().code,
            PaymentMeans.cash().is_cash,
            PaymentMeans.cheque().code,
            PaymentMeans.cheque().is_cash,
        )

    def test_name(self) -> None:
        """The UNTDID 4461 name of the code."""
        assert "SEPA direct debit" == PaymentMeans.direct_debit("R", "FR72ZZZ123456").name


class TestPaymentMeansOf:
    def test_own_means_win(self) -> None:
        """The invoice's own means are stated as they are."""
        means = (PaymentMeans.cheque(), PaymentMeans.card())
        invoice = sample_invoice(payment_means=means)

        assert means == payment_means_of(invoice)

    def test_default_is_a_transfer_to_the_seller(self) -> None:
        """Without means, a SEPA credit transfer to the seller's IBAN and BIC."""
        seller = sample_seller()

        assert (PaymentMeans.credit_transfer(seller.iban, seller.bic),) == payment_means_of(
            sample_invoice()
        )

    def test_no_iban_no_means(self) -> None:
        """A seller without IBAN and an invoice without means: none."""
        invoice = sample_invoice(seller=sample_seller(iban=None, bic=None))

        assert () == payment_means_of(invoice)

    def test_refuses_what_is_not_a_document(self) -> None:
        """A non-document argument raises InvalidValue naming it."""
        with pytest.raises(InvalidValue) as exc_info:
            payment_means_of("FA-1")  # type: ignore[arg-type]

        assert "document" == exc_info.value.field


class TestCashRounding:
    def test_applies_without_means(self) -> None:
        """A cash increment rounds the amount due when no means is named (BT-114)."""
        line = sample_line(unit_price=to_money("10.02", "EUR"), quantity="1")
        invoice = sample_invoice(lines=[line], rounding=RoundingPolicy(cash_increment="0.05"))

        assert (to_money("-0.02", "EUR"), to_money("12.00", "EUR")) == (
            invoice.totals().rounding_amount,
            invoice.totals().amount_due,
        )

    def test_applies_only_to_cash(self) -> None:
        """Paid by transfer, the same invoice is not cash-rounded; paid in cash it is."""
        line = sample_line(unit_price=to_money("10.02", "EUR"), quantity="1")
        policy = RoundingPolicy(cash_increment="0.05")
        by_transfer = sample_invoice(
            lines=[line], rounding=policy, payment_means=[PaymentMeans.credit_transfer(IBAN)]
        )
        in_cash = attrs.evolve(by_transfer, payment_means=[PaymentMeans.cash()])

        assert (to_money("12.02", "EUR"), to_money("12.00", "EUR")) == (
            by_transfer.totals().amount_due,
            in_cash.totals().amount_due,
        )

    def test_explicit_rounding_amount(self) -> None:
        """An explicit BT-114 is added to the amount due and replaces cash rounding."""
        invoice = sample_invoice(
            rounding=RoundingPolicy(cash_increment="0.05"),
            rounding_amount=to_money("0.01", "EUR"),
        )

        assert (to_money("0.01", "EUR"), to_money("1440.01", "EUR")) == (
            invoice.totals().rounding_amount,
            invoice.totals().amount_due,
        )
