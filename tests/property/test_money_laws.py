"""Laws of money and allocation (DESIGN.md principle 3), checked with hypothesis."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from facturlib.core.money import RoundingPolicy, allocate, minor_units
from facturlib.testing.strategies import money_amounts, rounding_policies, weights


class TestAllocate:
    @given(total=money_amounts(min_value=-1_000_000), ws=weights())
    def test_parts_sum_to_the_total(self, total, ws):
        """allocate(): the parts always add up to the whole (STYLE.md "Money and rounding")."""
        parts = allocate(total, ws)
        rounded = RoundingPolicy().round(total.amount, total.currency)
        assert rounded == sum(p.amount for p in parts)
        assert len(ws) == len(parts)

    @given(total=money_amounts(), ws=weights())
    def test_each_part_is_within_one_minor_unit_of_its_share(self, total, ws):
        """Largest remainder: no part strays a whole minor unit from its exact share."""
        parts = allocate(total, ws)
        unit = Decimal(1).scaleb(-minor_units(total.currency))
        weight_sum = sum(ws)
        for part, w in zip(parts, ws, strict=True):
            assert abs(part.amount - total.amount * w / weight_sum) < unit

    @given(total=money_amounts(), ws=weights())
    def test_parts_have_the_currency_minor_unit(self, total, ws):
        """Every part is rounded to the currency's minor unit (EUR 2, JPY 0, KWD 3)."""
        places = minor_units(total.currency)
        for part in allocate(total, ws):
            assert part.amount == part.amount.quantize(Decimal(1).scaleb(-places))
            assert total.currency == part.currency

    @given(total=money_amounts(), ws=weights())
    def test_zero_weights_get_nothing(self, total, ws):
        """A zero weight receives exactly zero."""
        for part, w in zip(allocate(total, ws), ws, strict=True):
            if w == 0:
                assert 0 == part.amount


class TestRoundingPolicy:
    @given(amount=money_amounts(places=6), policy=rounding_policies())
    def test_rounding_is_idempotent(self, amount, policy):
        """Rounding an already rounded amount changes nothing."""
        once = policy.round_money(amount)
        assert once == policy.round_money(once)

    @given(amount=money_amounts(places=6), policy=rounding_policies())
    def test_rounding_moves_less_than_one_minor_unit(self, amount, policy):
        """Any mode moves an amount by less than one minor unit."""
        unit = Decimal(1).scaleb(-minor_units(amount.currency))
        assert abs(policy.round_money(amount).amount - amount.amount) < unit

    @given(st.data())
    def test_half_up_is_symmetric(self, data):
        """ROUND_HALF_UP rounds halves away from zero, so round(-x) == -round(x)."""
        amount = data.draw(money_amounts(places=4))
        policy = RoundingPolicy()
        negative = type(amount)(-amount.amount, amount.currency)
        assert -policy.round_money(amount).amount == policy.round_money(negative).amount
