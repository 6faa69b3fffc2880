"""Tests for facturlib.recurring.subscriptions: schedule, amend, cancel, regenerate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import pytest

from facturlib.core._codes import DocumentKind
from facturlib.core.documents import Invoice
from facturlib.core.errors import ScheduleError
from facturlib.core.issuing import issue
from facturlib.core.lines import Discount, Product
from facturlib.core.money import Money, sum_money, to_money
from facturlib.core.numbering import SequenceState
from facturlib.core.periods import QUARTERLY, Anchoring, Period, tiles
from facturlib.core.vat import FR_STANDARD
from facturlib.recurring.proration import DayCount
from facturlib.recurring.subscriptions import (
    BillingTerm,
    CancelAt,
    Subscription,
    SubscriptionItem,
    amend,
    cancel,
    regenerate,
    schedule,
)
from facturlib.testing.builders import sample_buyer, sample_scheme, sample_seller


def eur(amount: str) -> Money:
    return to_money(amount, "EUR")


def product(price: str, key: str, currency: str = "EUR") -> Product:
    return Product(
        name=f"Plan {key}", unit_price=to_money(price, currency), vat=FR_STANDARD, id=key
    )


BASIC = product("30.00", "BASIC")
PRO = product("90.00", "PRO")
MONTHLY_200 = product("200.00", "M200")


def subscription(**fields: Any) -> Subscription:
    values: dict[str, Any] = {
        "reference": "ABO-1",
        "seller": sample_seller(),
        "buyer": sample_buyer(),
        "currency": "EUR",
        "items": [SubscriptionItem(product=BASIC)],
        "start": date(2025, 4, 1),
        "installments": 12,
    }
    values.update(fields)
    return Subscription(**values)


def net(document: Invoice) -> Money:
    return document.totals().tax_exclusive_total


def issue_all(drafts: tuple[Invoice, ...] | list[Invoice], on: date) -> list[Invoice]:
    state = SequenceState()
    issued = []
    for draft in drafts:
        invoice, state = issue(draft, sample_scheme(), state, on=on)
        issued.append(invoice)
    return issued


class TestSchedule:
    def test_twelve_installments(self) -> None:
        """12 monthly installments of 30.00: 12 drafts worth 360.00, tiling the year."""
        drafts = schedule(subscription())
        assert 12 == len(drafts)
        assert eur("360.00") == sum_money(map(net, drafts), "EUR")
        periods = [d.period for d in drafts]
        assert tiles(periods, Period(date(2025, 4, 1), date(2026, 4, 1)))  # type: ignore[arg-type]

    def test_in_advance_dates(self) -> None:
        """In advance (à échoir): dated on the first day, due 30 days later."""
        first = schedule(subscription())[0]
        assert (date(2025, 4, 1), date(2025, 5, 1)) == (first.issue_date, first.due_date)

    def test_in_arrears_dates(self) -> None:
        """In arrears (échu): dated on the last day of the period."""
        first = schedule(subscription(term=BillingTerm.IN_ARREARS))[0]
        assert date(2025, 4, 30) == first.issue_date

    def test_invoice_offset(self) -> None:
        """An offset of -5 days invoices five days before the period starts."""
        first = schedule(subscription(invoice_offset=-5))[0]
        assert date(2025, 3, 27) == first.issue_date

    def test_period_on_invoice_and_lines(self) -> None:
        """The billing period is on the invoice and on each line; the contract is BT-12."""
        first = schedule(subscription())[0]
        assert [first.period] == [line.period for line in first.lines]
        assert "ABO-1" == first.contract_reference

    def test_month_end_start(self) -> None:
        """A 31 January start bills 31 Jan, 29 Feb, 31 Mar, 30 Apr (no month skipped)."""
        drafts = schedule(subscription(start=date(2024, 1, 31), installments=4))
        starts = [d.period.start for d in drafts]  # type: ignore[union-attr]
        assert [
            date(2024, 1, 31),
            date(2024, 2, 29),
            date(2024, 3, 31),
            date(2024, 4, 30),
        ] == starts

    def test_calendar_stub_domain_figure(self) -> None:
        """€200/month from 24 March, calendar months: stub 51.61 then 200.00 (DOMAIN §9)."""
        contract = subscription(
            items=[SubscriptionItem(product=MONTHLY_200)],
            start=date(2025, 3, 24),
            anchoring=Anchoring.CALENDAR,
            installments=2,
        )
        assert [eur("51.61"), eur("200.00")] == [net(d) for d in schedule(contract)]

    @pytest.mark.parametrize(
        ("day_count", "expected"),
        [
            (DayCount.ACTUAL_ACTUAL, "51.61"),
            (DayCount.ACTUAL_365, "52.60"),
            (DayCount.THIRTY_E_360, "46.67"),
            (DayCount.NONE, "200.00"),
        ],
    )
    def test_day_count_of_the_stub(self, day_count: DayCount, expected: str) -> None:
        """Each day count gives its DOMAIN §9 figure for the 24–31 March stub."""
        contract = subscription(
            items=[SubscriptionItem(product=MONTHLY_200)],
            start=date(2025, 3, 24),
            billing_day=1,
            installments=1,
            day_count=day_count,
        )
        assert eur(expected) == net(schedule(contract)[0])

    def test_day_count_per_item(self) -> None:
        """An item's own day count wins over the subscription's."""
        contract = subscription(
            items=[SubscriptionItem(product=MONTHLY_200, day_count=DayCount.THIRTY_E_360)],
            start=date(2025, 3, 24),
            billing_day=1,
            installments=1,
        )
        assert eur("46.67") == net(schedule(contract)[0])

    def test_prorated_line_keeps_the_price(self) -> None:
        """A prorated line shows quantity and price billed, with a "Prorata" allowance."""
        contract = subscription(
            items=[SubscriptionItem(product=MONTHLY_200)],
            start=date(2025, 3, 24),
            billing_day=1,
            installments=1,
        )
        line = schedule(contract)[0].lines[0]
        assert (Decimal(1), eur("200.00"), eur("148.39")) == (
            line.quantity,
            line.unit_price,
            line.discounts[0].amount,
        )
        assert line.discounts[0].reason.startswith("Prorata 24/03/2025–31/03/2025")  # type: ignore[union-attr]

    def test_calendar_quarter_partial_period(self) -> None:
        """Quarterly on calendar quarters from 10 Feb: 50/90 of the first quarter."""
        contract = subscription(
            items=[SubscriptionItem(product=product("900.00", "Q"))],
            start=date(2025, 2, 10),
            periodicity=QUARTERLY,
            anchoring=Anchoring.CALENDAR,
            installments=2,
        )
        first, second = schedule(contract)
        assert (Period(date(2025, 2, 10), date(2025, 4, 1)), eur("500.00")) == (
            first.period,
            net(first),
        )
        assert eur("900.00") == net(second)

    def test_first_invoice_only(self) -> None:
        """A one-off (onboarding) is billed once, in full, on the first invoice."""
        onboarding = SubscriptionItem(product=product("500.00", "ONBOARD"), first_invoice_only=True)
        drafts = schedule(subscription(items=[SubscriptionItem(product=BASIC), onboarding]))
        assert [eur("530.00"), eur("30.00")] == [net(d) for d in drafts[:2]]

    def test_item_dates(self) -> None:
        """An item with its own start and end is billed only then, prorated."""
        support = SubscriptionItem(
            product=product("31.00", "SUP"), start=date(2025, 5, 10), end=date(2025, 7, 1)
        )
        drafts = schedule(subscription(items=[SubscriptionItem(product=BASIC), support]))
        assert [eur("30.00"), eur("52.00"), eur("61.00"), eur("30.00")] == [
            net(d) for d in drafts[:4]
        ]

    def test_end_date_prorates_the_last_period(self) -> None:
        """An end on 16 June bills half of June; nothing after."""
        drafts = schedule(subscription(installments=None, end=date(2025, 6, 16)))
        assert [eur("30.00"), eur("30.00"), eur("15.00")] == [net(d) for d in drafts]

    def test_until(self) -> None:
        """until= keeps the drafts dated before it; open-ended contracts need it."""
        contract = subscription(installments=None)
        assert 3 == len(schedule(contract, until=date(2025, 6, 2)))
        with pytest.raises(ScheduleError, match="open-ended"):
            schedule(contract)

    def test_billing_start(self) -> None:
        """A free trial: billing starts on 15 April, half of April is billed."""
        drafts = schedule(subscription(billing_start=date(2025, 4, 16), installments=2))
        assert [eur("15.00"), eur("30.00")] == [net(d) for d in drafts]

    def test_yen(self) -> None:
        """Zero-decimal currencies prorate to whole yen."""
        contract = subscription(
            currency="JPY",
            items=[SubscriptionItem(product=product("3000", "JP", "JPY"))],
            end=date(2025, 4, 11),
            installments=None,
        )
        assert to_money("1000", "JPY") == net(schedule(contract)[0])

    def test_drafts_can_be_issued(self) -> None:
        """Scheduled drafts pass check_invoice and issue."""
        assert 12 == len(issue_all(schedule(subscription()), date(2025, 4, 1)))


class TestSubscriptionErrors:
    def test_end_before_start(self) -> None:
        """An end before the start is refused."""
        with pytest.raises(ScheduleError, match="end after it starts") as info:
            subscription(end=date(2025, 1, 1))
        assert "end" == info.value.field

    @pytest.mark.parametrize("count", [0, -3])
    def test_installments_not_positive(self, count: int) -> None:
        """Zero or negative installments are refused."""
        with pytest.raises(ScheduleError, match="installments"):
            subscription(installments=count)

    @pytest.mark.parametrize("day", [0, 32])
    def test_billing_day_out_of_range(self, day: int) -> None:
        """A billing day outside 1–31 is refused."""
        with pytest.raises(ScheduleError, match="1 to 31"):
            subscription(billing_day=day)

    def test_overlapping_items(self) -> None:
        """Two items of the same product at the same time are refused."""
        with pytest.raises(ScheduleError, match="overlap"):
            subscription(items=[SubscriptionItem(product=BASIC), SubscriptionItem(product=BASIC)])

    def test_consecutive_items_of_one_product(self) -> None:
        """The same product twice, one after the other, is fine."""
        items = [
            SubscriptionItem(product=BASIC, end=date(2025, 6, 1)),
            SubscriptionItem(product=BASIC, quantity=2, start=date(2025, 6, 1)),
        ]
        assert eur("60.00") == net(schedule(subscription(items=items))[2])

    def test_item_in_another_currency(self) -> None:
        """An item priced in USD on a EUR subscription is refused."""
        with pytest.raises(ScheduleError, match="USD"):
            subscription(items=[SubscriptionItem(product=product("1", "X", "USD"))])

    def test_item_before_the_subscription(self) -> None:
        """An item starting before the subscription is refused."""
        with pytest.raises(ScheduleError, match="within the subscription"):
            subscription(items=[SubscriptionItem(product=BASIC, start=date(2025, 1, 1))])

    def test_no_items(self) -> None:
        """A subscription bills something."""
        with pytest.raises(ScheduleError, match="at least one item"):
            subscription(items=[])

    def test_zero_quantity(self) -> None:
        """A zero quantity is refused."""
        with pytest.raises(ScheduleError, match="positive"):
            SubscriptionItem(product=BASIC, quantity=0)

    def test_float_quantity(self) -> None:
        """Floats are refused."""
        with pytest.raises(ValueError, match="float"):
            SubscriptionItem(product=BASIC, quantity=1.5)

    def test_quantity_with_too_many_decimals(self) -> None:
        """A quantity no line can have (BT-129: 4 decimals) is refused when the item is
        built, not when a schedule first bills it."""
        with pytest.raises(ScheduleError, match="cannot be billed") as info:
            SubscriptionItem(product=BASIC, quantity="1.23456")
        assert "quantity" == info.value.field

    def test_price_with_too_many_decimals(self) -> None:
        """A unit price with more than 6 decimals (BT-146) is refused."""
        with pytest.raises(ScheduleError, match="cannot be billed") as info:
            SubscriptionItem(product=BASIC, unit_price=eur("0.0000001"))
        assert "unit_price" == info.value.field

    def test_negative_price(self) -> None:
        """A negative unit price (BR-27) is refused."""
        with pytest.raises(ScheduleError, match="cannot be billed"):
            SubscriptionItem(product=BASIC, unit_price=eur("-1.00"))

    def test_amended_price_checked_too(self) -> None:
        """A price change to a price no line can have is refused by amend()."""
        with pytest.raises(ScheduleError, match="cannot be billed"):
            amend(subscription(), on=date(2025, 5, 10), item="BASIC", unit_price=eur("-5.00"))

    def test_product_without_a_name(self) -> None:
        """A product with a blank name cannot be billed (BT-153)."""
        blank = Product(name=" ", unit_price=eur("1.00"), vat=FR_STANDARD)
        with pytest.raises(ScheduleError, match="description") as info:
            SubscriptionItem(product=blank)
        assert "product.name" == info.value.field

    @pytest.mark.parametrize("offset", ["3", 1.5, True])
    def test_invoice_offset_not_whole_days(self, offset: object) -> None:
        """The invoice offset is a whole number of days."""
        with pytest.raises(ScheduleError, match="whole number of days"):
            subscription(invoice_offset=offset)


class TestAmend:
    def test_amendment_outside(self) -> None:
        """An amendment after the end is refused."""
        with pytest.raises(ScheduleError, match="outside the subscription") as info:
            amend(subscription(), on=date(2027, 1, 1), item="BASIC", quantity=2)
        assert "on" == info.value.field

    def test_unknown_item(self) -> None:
        """Amending an item that does not exist says which ones do."""
        with pytest.raises(ScheduleError, match="no item 'X'"):
            amend(subscription(), on=date(2025, 5, 1), item="X", quantity=2)

    def test_nothing_to_amend(self) -> None:
        """An amendment changes something."""
        with pytest.raises(ScheduleError, match="nothing to amend"):
            amend(subscription(), on=date(2025, 5, 1), item="BASIC")

    def test_schedule_splits_the_period(self) -> None:
        """Scheduled after the change, April is 15 days at 30 and 15 days at 90: 60.00."""
        changed = amend(subscription(), on=date(2025, 4, 16), item="BASIC", product=PRO)
        april = schedule(changed)[0]
        assert [eur("15.00"), eur("45.00")] == [
            Money(n, april.currency) for n in april.totals().line_nets
        ]

    def test_add_and_remove(self) -> None:
        """Adding an item from 16 April and removing it on 1 June."""
        added = amend(subscription(), on=date(2025, 4, 16), add=SubscriptionItem(product=PRO))
        removed = amend(added, on=date(2025, 6, 1), item="PRO", remove=True)
        assert [eur("75.00"), eur("120.00"), eur("30.00")] == [
            net(d) for d in schedule(removed)[:3]
        ]

    def test_change_on_the_item_start(self) -> None:
        """A change on the item's first day replaces its terms."""
        changed = amend(subscription(), on=date(2025, 4, 1), item="BASIC", quantity=2)
        assert eur("60.00") == net(schedule(changed)[0])


class TestCancel:
    def test_on_date(self) -> None:
        """Cancelled on 11 April: 10 days billed, nothing after."""
        drafts = schedule(cancel(subscription(), on=date(2025, 4, 11)))
        assert [eur("10.00")] == [net(d) for d in drafts]

    def test_end_of_period(self) -> None:
        """Cancelled at the end of the period: April is billed in full, then nothing."""
        cancelled = cancel(subscription(), on=date(2025, 4, 11), at=CancelAt.END_OF_PERIOD)
        assert (date(2025, 5, 1), 1) == (cancelled.end, len(schedule(cancelled)))

    def test_outside(self) -> None:
        """A cancellation after the end is refused."""
        with pytest.raises(ScheduleError, match="outside"):
            cancel(subscription(), on=date(2030, 1, 1))


class TestRegenerate:
    def test_plan_change_domain_figure(self) -> None:
        """€30 → €90 on 16 April: credit note 15.00, debit note 45.00, net +30.00 (DOMAIN §9)."""
        contract = subscription()
        (april,) = issue_all(schedule(contract)[:1], date(2025, 4, 1))
        changed = amend(contract, on=date(2025, 4, 16), item="BASIC", product=PRO)
        result = regenerate(changed, [april], on=date(2025, 4, 16))
        (credit,), (debit,) = result.credit_notes, result.debit_notes
        assert (eur("15.00"), eur("45.00")) == (net(credit), net(debit))
        assert DocumentKind.CREDIT_NOTE == credit.kind
        assert [april.reference] == list(credit.preceding) == list(debit.preceding)
        assert eur("90.00") == net(result.drafts[0])
        assert 11 == len(result.drafts)

    def test_credit_at_the_price_billed(self) -> None:
        """The credit line is at the price actually billed, for the unused days."""
        contract = subscription()
        (april,) = issue_all(schedule(contract)[:1], date(2025, 4, 1))
        changed = amend(contract, on=date(2025, 4, 16), item="BASIC", unit_price=eur("90.00"))
        line = regenerate(changed, [april], on=date(2025, 4, 16)).credit_notes[0].lines[0]
        assert (eur("30.00"), Period(date(2025, 4, 16), date(2025, 5, 1))) == (
            line.unit_price,
            line.period,
        )

    def test_unchanged_has_no_correction(self) -> None:
        """An unchanged subscription gives no credit or debit note."""
        contract = subscription()
        issued = issue_all(schedule(contract)[:3], date(2025, 4, 1))
        result = regenerate(contract, issued, on=date(2025, 6, 5))
        assert ((), 9) == (result.corrections, len(result.drafts))

    def test_consecutive_amendments(self) -> None:
        """30 → 90 on the 16th, → 60 on the 21st: credits never exceed what was billed."""
        contract = subscription()
        (april,) = issue_all(schedule(contract)[:1], date(2025, 4, 1))
        first = amend(contract, on=date(2025, 4, 16), item="BASIC", product=PRO)
        result = regenerate(first, [april], on=date(2025, 4, 16))
        state = SequenceState()
        _, state = issue(schedule(contract)[0], sample_scheme(), state, on=date(2025, 4, 1))
        credit, state = issue(result.credit_notes[0], sample_scheme(), state, on=date(2025, 4, 16))
        debit, state = issue(result.debit_notes[0], sample_scheme(), state, on=date(2025, 4, 16))
        second = amend(first, on=date(2025, 4, 21), item="PRO", product=product("60.00", "MID"))
        again = regenerate(second, [april, credit, debit], on=date(2025, 4, 21))
        (credit2,), (debit2,) = again.credit_notes, again.debit_notes
        assert (eur("30.00"), eur("20.00")) == (net(credit2), net(debit2))
        # The Pro days were billed on the debit note: the new credit note refers to it.
        assert [debit.reference] == list(credit2.preceding)
        total = net(april) - net(credit) + net(debit) - net(credit2) + net(debit2)
        assert eur("50.00") == total  # 15 days at 30 + 5 at 90 + 10 at 60

    def test_immediate_cancellation_credit_note(self) -> None:
        """Cancelled on 11 April: a credit note for the 20 unused days, no new draft."""
        contract = subscription()
        (april,) = issue_all(schedule(contract)[:1], date(2025, 4, 1))
        result = regenerate(cancel(contract, on=date(2025, 4, 11)), [april], on=date(2025, 4, 11))
        assert ((eur("20.00"),), (), ()) == (
            tuple(map(net, result.credit_notes)),
            result.debit_notes,
            result.drafts,
        )

    def test_cancellation_is_idempotent(self) -> None:
        """Once the credit note is issued, regenerating again corrects nothing."""
        contract = subscription()
        state = SequenceState()
        april, state = issue(schedule(contract)[0], sample_scheme(), state, on=date(2025, 4, 1))
        cancelled = cancel(contract, on=date(2025, 4, 11))
        note = regenerate(cancelled, [april], on=date(2025, 4, 11)).credit_notes[0]
        note, state = issue(note, sample_scheme(), state, on=date(2025, 4, 11))
        assert () == regenerate(cancelled, [april, note], on=date(2025, 4, 12)).corrections

    def test_drafts_replaced_or_kept(self) -> None:
        """Stored drafts are dropped and replaced, or kept and flagged when outdated."""
        contract = subscription()
        stored = schedule(contract)
        changed = amend(contract, on=date(2025, 6, 1), item="BASIC", quantity=2)
        replaced = regenerate(changed, [], on=date(2025, 4, 1), drafts=stored)
        assert (12, 12) == (len(replaced.dropped), len(replaced.drafts))
        kept = regenerate(changed, [], on=date(2025, 4, 1), drafts=stored, keep_drafts=True)
        assert (12, 0) == (len(kept.kept), len(kept.drafts))
        assert 10 == sum(p.code == "kept_draft_outdated" for p in kept.problems)

    def test_foreign_invoice(self) -> None:
        """An invoice of another contract is refused."""
        other = issue_all(schedule(subscription(reference="ABO-2"))[:1], date(2025, 4, 1))
        with pytest.raises(ScheduleError, match="not an invoice of subscription ABO-1"):
            regenerate(subscription(), other, on=date(2025, 4, 2))

    def test_draft_as_issued(self) -> None:
        """A draft passed as issued is refused."""
        with pytest.raises(ScheduleError, match="only issued"):
            regenerate(subscription(), schedule(subscription())[:1], on=date(2025, 4, 2))

    def test_moved_grid(self) -> None:
        """Billing periods that no longer line up with an issued invoice are refused."""
        contract = subscription()
        (april,) = issue_all(schedule(contract)[:1], date(2025, 4, 1))
        moved = attrs.evolve(contract, billing_day=15)
        with pytest.raises(ScheduleError, match="line up"):
            regenerate(moved, [april], on=date(2025, 4, 2))


class TestItemDiscounts:
    """`SubscriptionItem.discounts`: allowances on every line billing the item."""

    def test_whole_period(self) -> None:
        """3 seats at 30.00 less 20 %: 90.00 − 18.00 = 72.00 a month, shown on the line."""
        item = SubscriptionItem(product=BASIC, quantity=3, discounts=[Discount(percent="20")])
        first = schedule(subscription(items=[item]))[0]
        line_totals = first.totals().lines[0]
        assert (eur("90.00"), (eur("18.00"),), eur("72.00")) == (
            line_totals.amount,
            line_totals.allowances,
            line_totals.net,
        )
        assert eur("86.40") == first.totals().amount_due

    def test_prorated_period_prorates_the_discounted_amount(self) -> None:
        """200.00 less 10 % from 24 March, calendar months: 180.00 × 8/31 = 46.45, then 180.00."""
        item = SubscriptionItem(product=MONTHLY_200, discounts=[Discount(percent="10")])
        contract = subscription(
            items=[item], start=date(2025, 3, 24), anchoring=Anchoring.CALENDAR, installments=2
        )
        stub, full = schedule(contract)
        assert [eur("46.45"), eur("180.00")] == [net(stub), net(full)]
        # The line keeps the 10 % (20.00) and a "Prorata" allowance of 180.00 − 46.45.
        assert (eur("20.00"), eur("133.55")) == stub.totals().lines[0].allowances

    def test_amount_discount_per_period(self) -> None:
        """A "−5.00 a month" promotion: 30.00 − 5.00 = 25.00 each month."""
        item = SubscriptionItem(product=BASIC, discounts=[Discount(amount=eur("5.00"))])
        assert [eur("25.00")] * 3 == [net(d) for d in schedule(subscription(items=[item]))[:3]]

    def test_regenerate_credits_at_the_discounted_price(self) -> None:
        """24.00 a month (30.00 − 20 %), 2 seats from 16 April: credit 12.00, debit 24.00."""
        item = SubscriptionItem(product=BASIC, discounts=[Discount(percent="20")])
        contract = subscription(items=[item])
        (april,) = issue_all(schedule(contract)[:1], date(2025, 4, 1))
        assert eur("24.00") == net(april)
        changed = amend(contract, on=date(2025, 4, 16), item="BASIC", quantity=2)
        result = regenerate(changed, [april], on=date(2025, 4, 16))
        (credit,), (debit,) = result.credit_notes, result.debit_notes
        assert (eur("12.00"), eur("24.00")) == (net(credit), net(debit))
        assert eur("48.00") == net(result.drafts[0])

    def test_period_amount(self) -> None:
        """The whole-period amount after discounts, at the terms in force that day."""
        item = SubscriptionItem(
            product=BASIC, discounts=[Discount(percent="10"), Discount(amount=eur("1.00"))]
        )
        assert eur("26.00") == item.period_amount(date(2025, 4, 1))

    def test_discounts_above_the_amount_refused(self) -> None:
        """A discount larger than what the item bills is refused, naming the field."""
        with pytest.raises(ScheduleError, match="discounts exceed") as info:
            SubscriptionItem(product=BASIC, discounts=[Discount(amount=eur("31.00"))])
        assert "discounts" == info.value.field

    def test_discount_in_another_currency_refused(self) -> None:
        """An amount discount in USD on a EUR item is refused with the line's own check."""
        with pytest.raises(ScheduleError, match="line's currency") as info:
            SubscriptionItem(product=BASIC, discounts=[Discount(amount=to_money("1.00", "USD"))])
        assert "discounts" == info.value.field
