"""Laws of proration (DOMAIN.md §9): the parts of a period always sum to the whole."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from facturlib.core.money import Money, RoundingPolicy
from facturlib.core.periods import Period
from facturlib.recurring.proration import DayCount, prorate, split_over
from facturlib.testing.strategies import day_counts, money_amounts, periods, rounding_policies


@st.composite
def cuts(draw: st.DrawFn, whole: Period) -> tuple[Period, ...]:
    days = draw(st.lists(st.integers(1, max(whole.days - 1, 1)), max_size=6))
    return whole.split(*(whole.start + timedelta(days=d) for d in days))


class TestSplit:
    @given(money_amounts(), periods(), day_counts(), st.data())
    def test_parts_sum_to_the_whole(
        self, amount: Money, whole: Period, day_count: DayCount, data: st.DataObject
    ) -> None:
        """For any split of a period, the prorated parts sum to the whole (after allocation)."""
        parts = data.draw(cuts(whole))
        shares = split_over(amount, parts, day_count)
        assert amount == sum(shares, Money(0, amount.currency))

    @given(money_amounts(), periods(), day_counts(), st.data())
    def test_credit_plus_charge_is_the_original(
        self, amount: Money, whole: Period, day_count: DayCount, data: st.DataObject
    ) -> None:
        """Credit for the unused part + charge for the used part, unchanged price = original."""
        if whole.days < 2:
            return
        cut = whole.start + timedelta(days=data.draw(st.integers(1, whole.days - 1)))
        used, unused = whole.split(cut)
        charge, credit = split_over(amount, (used, unused), day_count)
        assert amount == charge + credit


class TestProrate:
    @given(money_amounts(), periods(), day_counts(), rounding_policies())
    def test_whole_period_is_the_amount(
        self, amount: Money, whole: Period, day_count: DayCount, policy: RoundingPolicy
    ) -> None:
        """Proration of the full period gives the full amount (STYLE.md "Tests")."""
        assert amount == prorate(amount, whole, whole, day_count, rounding=policy)

    @given(money_amounts(), periods(), day_counts(), st.data())
    def test_part_never_exceeds_the_whole(
        self, amount: Money, whole: Period, day_count: DayCount, data: st.DataObject
    ) -> None:
        """A part of a period is never worth more than the whole period."""
        used = data.draw(st.sampled_from(data.draw(cuts(whole))))
        if day_count is DayCount.THIRTY_E_360 and day_count.measure(whole) <= 0:
            return
        assert prorate(amount, whole, used, day_count) <= amount
