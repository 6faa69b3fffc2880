"""Payment values: Payment, PaymentReversal, PaymentAllocation, PaymentMethod."""

from datetime import date, datetime

import attrs
import pytest

from facturlib import (
    FloatNotAllowed,
    Payment,
    PaymentAllocation,
    PaymentError,
    PaymentMethod,
    PaymentReversal,
    to_money,
)


def eur(amount: str) -> object:
    return to_money(amount, "EUR")


def payment(**overrides: object) -> Payment:
    fields: dict[str, object] = {
        "id": "PAY-1",
        "customer": "CLI0001",
        "amount": eur("100.00"),
        "date": date(2025, 4, 5),
    }
    fields.update(overrides)
    return Payment(**fields)  # type: ignore[arg-type]


class TestPayment:
    def test_defaults_to_a_cleared_credit_transfer(self) -> None:
        """Without a method, a payment is a credit transfer that has cleared."""
        p = payment()
        assert (PaymentMethod.CREDIT_TRANSFER, False) == (p.method, p.pending)

    def test_method_from_its_untdid_code(self) -> None:
        """The method may be given as its UNTDID 4461 code."""
        assert PaymentMethod.SEPA_DIRECT_DEBIT == payment(method="59").method

    @pytest.mark.parametrize("amount", ["0", "-1.00"])
    def test_refuses_non_positive_amounts(self, amount: str) -> None:
        """Zero and negative payments are refused, naming the amount."""
        with pytest.raises(PaymentError, match="must be positive"):
            payment(amount=eur(amount))

    def test_refuses_sub_cent_amounts(self) -> None:
        """An amount with more decimals than the currency's minor unit is refused."""
        with pytest.raises(PaymentError, match="at most 2 decimals"):
            payment(amount=eur("10.001"))
        with pytest.raises(PaymentError, match="at most 0 decimals"):
            payment(amount=to_money("10.5", "JPY"))

    def test_refuses_floats_and_plain_numbers(self) -> None:
        """A float or a bare Decimal is not a Money."""
        with pytest.raises(FloatNotAllowed):
            payment(amount=10.0)
        with pytest.raises(PaymentError, match="expected a Money"):
            payment(amount="10.00")

    @pytest.mark.parametrize("field", ["id", "customer"])
    def test_refuses_empty_identifiers(self, field: str) -> None:
        """A payment must say which it is and who paid."""
        with pytest.raises(PaymentError, match=f"{field} must not be empty"):
            payment(**{field: "  "})

    def test_refuses_datetimes(self) -> None:
        """Dates are dates, not datetimes."""
        with pytest.raises(PaymentError.__mro__[1]):
            payment(date=datetime(2025, 4, 5, 12, 0))

    def test_cleared_returns_a_new_value(self) -> None:
        """Clearing a pending payment leaves the original untouched."""
        pending = payment(pending=True)
        assert (True, False) == (pending.pending, pending.cleared().pending)

    def test_is_frozen(self) -> None:
        """Payments are immutable."""
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            payment().amount = eur("1.00")  # type: ignore[misc]


class TestPaymentMethod:
    def test_direct_debits_can_be_rejected(self) -> None:
        """Only direct debits are flagged as rejectable."""
        rejectable = {m for m in PaymentMethod if m.is_direct_debit}
        assert {PaymentMethod.DIRECT_DEBIT, PaymentMethod.SEPA_DIRECT_DEBIT} == rejectable


class TestPaymentReversal:
    def test_holds_reason_and_fee(self) -> None:
        """A reject keeps its SEPA reason code and bank fee."""
        r = PaymentReversal(
            payment_id="PAY-1", date=date(2025, 4, 9), reason="AM04", fee=eur("7.50")
        )
        assert ("AM04", eur("7.50")) == (r.reason, r.fee)

    def test_refuses_a_negative_fee(self) -> None:
        """Fees are positive amounts."""
        with pytest.raises(PaymentError):
            PaymentReversal(payment_id="PAY-1", date=date(2025, 4, 9), fee=eur("-1"))


class TestPaymentAllocation:
    def test_refuses_an_empty_invoice_number(self) -> None:
        """Only issued (numbered) invoices receive allocations."""
        with pytest.raises(PaymentError, match="invoice_number"):
            PaymentAllocation(
                payment_id="PAY-1", invoice_number="", amount=eur("1.00"), date=date(2025, 4, 5)
            )
