"""Payment values: Payment, PaymentReversal, PaymentAllocation, PaymentMethod."""

from datetime import date, datetime
from decimal import Decimal

import attrs
import pytest

from facturlib import (
    FloatNotAllowed,
    Invoice,
    Payment,
    PaymentAllocation,
    PaymentError,
    PaymentMethod,
    PaymentReversal,
    credit_note,
    issue,
    to_money,
)
from facturlib.core.numbering import NumberingScheme, SequenceState
from facturlib.receivables.payments import (
    CustomerCredit,
    Settlement,
    balance,
    customer_balance,
    customer_balances,
    settle,
)
from facturlib.receivables.terms import DueRule, PaymentTerms, TermPart
from facturlib.testing.builders import (
    sample_buyer,
    sample_invoice,
    sample_line,
    sample_scheme,
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


# --- settle, balance, customer_balance -----------------------------------------------------

CUSTOMER = sample_buyer().key


def three_invoices() -> tuple[Invoice, Invoice, Invoice]:
    """FA-0001 1 440.00 due 14/02, FA-0002 600.00 due 03/03, FA-0003 240.00 due 31/03 (2025)."""
    state = SequenceState()
    made = []
    for on, due, price in [
        (date(2025, 1, 15), date(2025, 2, 14), "120.00"),
        (date(2025, 2, 1), date(2025, 3, 3), "50.00"),
        (date(2025, 3, 1), date(2025, 3, 31), "20.00"),
    ]:
        draft = sample_invoice(lines=[sample_line(unit_price=eur(price))], due_date=due)
        invoice, state = issue(draft, sample_scheme(), state, on=on)
        made.append(invoice)
    return made[0], made[1], made[2]


def pay(id: str, amount: str, on: date, **fields: object) -> Payment:
    return Payment(id=id, customer=CUSTOMER, amount=eur(amount), date=on, **fields)  # type: ignore[arg-type]


class TestSettle:
    def test_oldest_due_first_with_overpayment(self) -> None:
        """One payment over three invoices pays them oldest due first; the rest is credit."""
        invoices = three_invoices()
        result = settle(invoices, [pay("P1", "2500.00", date(2025, 3, 10))], on=date(2025, 3, 10))
        assert [
            ("FA-2025-0001", eur("1440.00")),
            ("FA-2025-0002", eur("600.00")),
            ("FA-2025-0003", eur("240.00")),
        ] == [(a.invoice_number, a.amount) for a in result.allocations]
        assert (
            CustomerCredit(
                customer=CUSTOMER, source_id="P1", amount=eur("220.00"), date=date(2025, 3, 10)
            ),
        ) == result.credits

    def test_partial_payments(self) -> None:
        """Two partial payments: the first fills the oldest invoice, the second goes on."""
        invoices = three_invoices()
        payments = [pay("P1", "1000.00", date(2025, 2, 20)), pay("P2", "1000.00", date(2025, 3, 5))]
        result = settle(invoices, payments, on=date(2025, 3, 31))
        assert [
            ("P1", "FA-2025-0001", eur("1000.00")),
            ("P2", "FA-2025-0001", eur("440.00")),
            ("P2", "FA-2025-0002", eur("560.00")),
        ] == [(a.payment_id, a.invoice_number, a.amount) for a in result.allocations]

    def test_explicit_allocation_first(self) -> None:
        """An explicit allocation is kept; the rest of the payment goes oldest due first."""
        invoices = three_invoices()
        explicit = PaymentAllocation(
            payment_id="P1",
            invoice_number="FA-2025-0003",
            amount=eur("240.00"),
            date=date(2025, 3, 10),
        )
        result = settle(
            invoices,
            [pay("P1", "500.00", date(2025, 3, 10))],
            on=date(2025, 3, 31),
            allocations=[explicit],
        )
        assert [("FA-2025-0003", eur("240.00")), ("FA-2025-0001", eur("260.00"))] == [
            (a.invoice_number, a.amount) for a in result.allocations
        ]

    def test_not_automatic_keeps_credit(self) -> None:
        """With automatic=False, unallocated money stays as credit."""
        result = settle(
            three_invoices(),
            [pay("P1", "100.00", date(2025, 3, 10))],
            on=date(2025, 3, 31),
            automatic=False,
        )
        assert ((), eur("100.00")) == (result.allocations, result.credits[0].amount)

    def test_payment_before_invoice_applies_at_issue(self) -> None:
        """An advance payment settles a later invoice from its issue date."""
        *_, third = three_invoices()
        result = settle([third], [pay("P0", "240.00", date(2025, 2, 1))], on=date(2025, 3, 31))
        assert date(2025, 3, 1) == result.allocations[0].date

    def test_future_documents_ignored(self) -> None:
        """Invoices issued and payments received after `on` are left out."""
        result = settle(
            three_invoices(), [pay("P1", "100.00", date(2025, 3, 10))], on=date(2025, 2, 10)
        )
        assert (["FA-2025-0001", "FA-2025-0002"], ()) == (
            [i.number for i in result.invoices],
            result.allocations,
        )

    def test_credit_note_settles_its_invoice(self) -> None:
        """A credit note settles the invoice it refers to; its surplus is credit."""
        first, second, _ = three_invoices()
        avoir, _ = issue(
            credit_note(first, lines={"1": "3"}),
            NumberingScheme(pattern="AV-{yyyy}-{seq:04}"),
            SequenceState(),
            on=date(2025, 2, 20),
        )
        result = settle([first, second, avoir], on=date(2025, 2, 28))
        assert [("AV-2025-0001", "FA-2025-0001", eur("432.00"))] == [
            (a.payment_id, a.invoice_number, a.amount) for a in result.allocations
        ]

    def test_credit_note_surplus_pays_other_invoices(self) -> None:
        """What a credit note leaves on its invoice goes to the customer's other invoices."""
        first, second, _ = three_invoices()
        paid = settle([first], [pay("P1", "1440.00", date(2025, 2, 10))], on=date(2025, 2, 10))
        avoir, _ = issue(
            credit_note(first, lines={"1": "3"}),
            NumberingScheme(pattern="AV-{yyyy}-{seq:04}"),
            SequenceState(),
            on=date(2025, 2, 20),
        )
        result = settle(
            [first, second, avoir], [pay("P1", "1440.00", date(2025, 2, 10))], on=date(2025, 2, 28)
        )
        assert paid.allocations[0] in result.allocations
        assert ("AV-2025-0001", "FA-2025-0002", eur("432.00")) in [
            (a.payment_id, a.invoice_number, a.amount) for a in result.allocations
        ]

    def test_direct_debit_reject_reopens(self) -> None:
        """A rejected direct debit pays nothing from the reject date on."""
        first, _, _ = three_invoices()
        debit = pay("DD1", "1440.00", date(2025, 2, 14), method=PaymentMethod.SEPA_DIRECT_DEBIT)
        reject = PaymentReversal(
            payment_id="DD1", date=date(2025, 2, 20), reason="AM04", fee=eur("7.50")
        )
        before = settle([first], [debit], on=date(2025, 2, 18), reversals=[reject])
        after = settle([first], [debit], on=date(2025, 2, 25), reversals=[reject])
        assert balance(first, before).settled
        reopened = balance(first, after)
        assert (eur("0.00"), eur("1440.00"), eur("1440.00"), 11) == (
            reopened.paid,
            reopened.due,
            reopened.overdue,
            reopened.days_overdue,
        )
        assert frozenset({"DD1"}) == after.reversed_ids

    def test_never_mutates_inputs(self) -> None:
        """settle returns new values; the inputs are unchanged."""
        invoices = list(three_invoices())
        payments = [pay("P1", "2500.00", date(2025, 3, 10))]
        copies = (list(invoices), list(payments))
        settle(invoices, payments, on=date(2025, 3, 31))
        assert copies == (invoices, payments)

    def test_payment_in_another_currency(self) -> None:
        """A payment in a currency none of the customer's invoices uses is refused."""
        usd = Payment(
            id="P1", customer=CUSTOMER, amount=to_money("100.00", "USD"), date=date(2025, 3, 1)
        )
        with pytest.raises(PaymentError, match="in USD") as error:
            settle(three_invoices(), [usd], on=date(2025, 3, 31))
        assert error.value.hint is not None

    def test_negative_payment(self) -> None:
        """A negative payment is refused when it is built."""
        with pytest.raises(PaymentError, match="must be positive"):
            pay("P1", "-10.00", date(2025, 3, 1))

    def test_allocation_over_payment(self) -> None:
        """An explicit allocation over what the payment has is refused."""
        explicit = PaymentAllocation(
            payment_id="P1",
            invoice_number="FA-2025-0001",
            amount=eur("200.00"),
            date=date(2025, 3, 10),
        )
        with pytest.raises(PaymentError, match="has left"):
            settle(
                three_invoices(),
                [pay("P1", "100.00", date(2025, 3, 10))],
                on=date(2025, 3, 31),
                allocations=[explicit],
            )

    def test_allocation_over_invoice(self) -> None:
        """An explicit allocation over what the invoice owes is refused."""
        explicit = PaymentAllocation(
            payment_id="P1",
            invoice_number="FA-2025-0003",
            amount=eur("300.00"),
            date=date(2025, 3, 10),
        )
        with pytest.raises(PaymentError, match="still owes"):
            settle(
                three_invoices(),
                [pay("P1", "500.00", date(2025, 3, 10))],
                on=date(2025, 3, 31),
                allocations=[explicit],
            )

    def test_allocation_to_unknown(self) -> None:
        """Allocations naming unknown payments or invoices are refused."""
        bad = PaymentAllocation(
            payment_id="NOPE",
            invoice_number="FA-2025-0001",
            amount=eur("1.00"),
            date=date(2025, 3, 10),
        )
        with pytest.raises(PaymentError, match="no payment"):
            settle(three_invoices(), [], on=date(2025, 3, 31), allocations=[bad])
        bad = attrs.evolve(bad, payment_id="P1", invoice_number="FA-2099-0001")
        with pytest.raises(PaymentError, match="no invoice"):
            settle(
                three_invoices(),
                [pay("P1", "5.00", date(2025, 3, 1))],
                on=date(2025, 3, 31),
                allocations=[bad],
            )

    def test_allocation_across_customers(self) -> None:
        """A payment cannot settle another customer's invoice."""
        other = Payment(id="P1", customer="OTHER", amount=eur("10.00"), date=date(2025, 3, 1))
        bad = PaymentAllocation(
            payment_id="P1",
            invoice_number="FA-2025-0001",
            amount=eur("10.00"),
            date=date(2025, 3, 10),
        )
        with pytest.raises(PaymentError, match="from customer OTHER"):
            settle(three_invoices(), [other], on=date(2025, 3, 31), allocations=[bad])

    def test_refuses_drafts(self) -> None:
        """Drafts cannot be paid."""
        with pytest.raises(PaymentError, match="only issued"):
            settle([sample_invoice()], on=date(2025, 3, 31))

    def test_refuses_duplicate_ids(self) -> None:
        """Two payments with one id are refused."""
        p = pay("P1", "10.00", date(2025, 3, 1))
        with pytest.raises(PaymentError, match="same id"):
            settle(three_invoices(), [p, p], on=date(2025, 3, 31))

    def test_reversal_of_unknown_payment(self) -> None:
        """A reversal must name a known payment."""
        with pytest.raises(PaymentError, match="unknown payment"):
            settle(
                three_invoices(),
                [],
                on=date(2025, 3, 31),
                reversals=[PaymentReversal(payment_id="X", date=date(2025, 3, 1))],
            )


class TestBalance:
    def test_partly_paid_and_overdue(self) -> None:
        """Paid, due, overdue, % paid and days overdue of a partly paid invoice."""
        first, *_ = three_invoices()
        result = settle([first], [pay("P1", "440.00", date(2025, 2, 10))], on=date(2025, 3, 1))
        b = balance("FA-2025-0001", result)
        assert (eur("1440.00"), eur("440.00"), eur("0.00"), eur("1000.00"), eur("1000.00")) == (
            b.total,
            b.paid,
            b.pending,
            b.due,
            b.overdue,
        )
        assert (Decimal("30.55"), 15, date(2025, 2, 14), False) == (
            b.percent_paid,
            b.days_overdue,
            b.due_date,
            b.settled,
        )

    def test_not_yet_due(self) -> None:
        """Before the due date nothing is overdue."""
        first, _, _ = three_invoices()
        b = balance(first, settle([first], on=date(2025, 2, 14)))
        assert (eur("1440.00"), eur("0.00"), 0) == (b.due, b.overdue, b.days_overdue)

    def test_pending_is_not_paid(self) -> None:
        """A pending payment covers the invoice but does not settle it."""
        first, _, _ = three_invoices()
        debit = pay("DD1", "1440.00", date(2025, 2, 14), pending=True)
        b = balance(first, settle([first], [debit], on=date(2025, 2, 20)))
        assert (eur("0.00"), eur("1440.00"), eur("0.00")) == (b.paid, b.pending, b.due)
        assert (False, True, Decimal("0.00")) == (b.settled, b.covered, b.percent_paid)
        cleared = balance(first, settle([first], [debit.cleared()], on=date(2025, 2, 20)))
        assert (True, Decimal("100.00")) == (cleared.settled, cleared.percent_paid)

    def test_installments_overdue_one_by_one(self) -> None:
        """With terms in installments, only the installments past due are overdue."""
        first, _, _ = three_invoices()
        terms = PaymentTerms(
            parts=[TermPart(percent=50, due=DueRule.net(30)), TermPart(due=DueRule.net(60))]
        )
        b = balance(first, settle([first], on=date(2025, 3, 1)), terms=terms)
        assert (eur("720.00"), 15, date(2025, 2, 14)) == (b.overdue, b.days_overdue, b.due_date)

    def test_unknown_invoice(self) -> None:
        """Asking for an invoice not in the settlement raises."""
        with pytest.raises(PaymentError, match="no such invoice"):
            balance("FA-2099-0001", settle(three_invoices(), on=date(2025, 3, 31)))


class TestCustomerBalance:
    def test_sums_and_credit(self) -> None:
        """A customer's balance sums its invoices and shows its credit."""
        invoices = three_invoices()
        result = settle(invoices, [pay("P1", "2500.00", date(2025, 3, 10))], on=date(2025, 3, 10))
        cb = customer_balance(result, CUSTOMER)
        assert (eur("2280.00"), eur("2280.00"), eur("0.00"), eur("220.00"), eur("-220.00")) == (
            cb.invoiced,
            cb.paid,
            cb.due,
            cb.credit,
            cb.net,
        )
        assert cb.settled
        assert 3 == len(cb.invoices)

    def test_overdue_days(self) -> None:
        """The customer's days overdue is its oldest open invoice's."""
        result = settle(three_invoices(), on=date(2025, 4, 1))
        cb = customer_balance(result, CUSTOMER)
        assert (eur("2280.00"), 46) == (cb.overdue, cb.days_overdue)

    def test_unknown_customer_is_zero(self) -> None:
        """A customer with nothing has a zero balance."""
        cb = customer_balance(settle(three_invoices(), on=date(2025, 4, 1)), "NOBODY")
        assert (eur("0.00"), ()) == (cb.due, cb.invoices)

    def test_all_customers(self) -> None:
        """customer_balances gives one balance per customer and currency."""
        result = settle(three_invoices(), on=date(2025, 4, 1))
        assert [CUSTOMER] == [b.customer for b in customer_balances(result)]
        assert isinstance(result, Settlement)
