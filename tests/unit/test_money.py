"""Tests for facturlib.core.money: Money construction, rounding policies and allocate()."""

from __future__ import annotations

import decimal
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facturlib.core.errors import (
    AllocationError,
    CurrencyMismatch,
    FloatNotAllowed,
    InvalidValue,
    UnknownCurrency,
)
from facturlib.core.money import (
    ROUNDING_MODES,
    Money,
    RoundingPolicy,
    allocate,
    currency,
    minor_units,
    round_money,
    same_currency,
    sum_money,
    to_money,
)
from facturlib.testing.strategies import money_amounts, weights


def eur(amount: str) -> Money:
    return to_money(amount, "EUR")


class TestCurrency:
    def test_normalises_code(self) -> None:
        """BT-5 is an ISO 4217 code; case and blanks are forgiven (DOMAIN.md conventions)."""
        assert "EUR" == currency(" eur ").code

    def test_passes_currency_through(self) -> None:
        """A py-moneyed Currency is accepted as is (STYLE.md "Money and rounding")."""
        cur = currency("USD")

        assert cur is currency(cur)

    @pytest.mark.parametrize("code", ["EUX", "XXX", "EU", "EURO", "123"])
    def test_unknown_code(self, code: str) -> None:
        """Only ISO 4217 codes are currencies (BR-CL-03); the error says which and how."""
        with pytest.raises(UnknownCurrency) as info:
            currency(code)

        assert "currency" == info.value.field
        assert "ISO 4217" in str(info.value)
        assert '"EUR"' in str(info.value)

    def test_unknown_currency_is_value_error(self) -> None:
        """UnknownCurrency is an InvalidValue, hence a ValueError (STYLE.md "Errors")."""
        with pytest.raises(ValueError, match="ISO 4217"):
            currency("ZZZ")


class TestMoney:
    def test_from_str(self) -> None:
        """Amounts keep their exact Decimal value (DOMAIN.md conventions)."""
        assert Money(Decimal("12.50"), currency("EUR")) == to_money("12.50", "EUR")

    def test_from_int_and_decimal(self) -> None:
        """An int or a Decimal is exact and accepted."""
        assert to_money(Decimal("3"), "EUR") == to_money(3, "EUR")

    def test_keeps_exponent(self) -> None:
        """ "12.50" stays 12.50, not 12.5: the amount is not re-rounded on entry."""
        assert "12.50" == str(to_money("12.50", "EUR").amount)

    def test_float_refused(self) -> None:
        """A float raises and tells the caller to pass a str or Decimal (STYLE.md)."""
        with pytest.raises(FloatNotAllowed) as info:
            to_money(0.1, "EUR")  # type: ignore[arg-type]

        assert "amount" == info.value.field
        assert 0.1 == info.value.value
        assert "Decimal" in str(info.value)

    def test_float_is_type_error(self) -> None:
        """FloatNotAllowed is also a TypeError, as a wrong type is."""
        with pytest.raises(TypeError):
            to_money(1.5, "EUR")  # type: ignore[arg-type]

    @pytest.mark.parametrize("amount", ["abc", "NaN", "Infinity", "", True])
    def test_not_a_number(self, amount: object) -> None:
        """A non-number, NaN, infinity or bool is refused with the field named."""
        with pytest.raises(InvalidValue) as info:
            to_money(amount, "EUR")  # type: ignore[arg-type]

        assert "amount" == info.value.field

    def test_unknown_currency(self) -> None:
        """An unknown currency code raises UnknownCurrency (BR-CL-03)."""
        with pytest.raises(UnknownCurrency):
            to_money("1.00", "EUX")


class TestMinorUnits:
    @pytest.mark.parametrize(
        ("code", "places"), [("EUR", 2), ("USD", 2), ("JPY", 0), ("KWD", 3), ("CHF", 2)]
    )
    def test_places(self, code: str, places: int) -> None:
        """Minor units follow ISO 4217: EUR 2, JPY 0, KWD 3 (DOMAIN.md conventions)."""
        assert places == minor_units(currency(code))


class TestRoundingPolicy:
    def test_defaults(self) -> None:
        """Default: half-up ("arrondi commercial"), VAT per rate (BR-CO-17), no cash rounding."""
        policy = RoundingPolicy()

        assert (decimal.ROUND_HALF_UP, "per_rate", None) == (
            policy.mode,
            policy.vat_rounding,
            policy.cash_increment,
        )

    @pytest.mark.parametrize(
        ("mode", "expected"),
        [
            (decimal.ROUND_HALF_UP, "0.13"),
            (decimal.ROUND_HALF_EVEN, "0.12"),
            (decimal.ROUND_HALF_DOWN, "0.12"),
            (decimal.ROUND_UP, "0.13"),
            (decimal.ROUND_DOWN, "0.12"),
        ],
    )
    def test_modes_on_a_tie(self, mode: str, expected: str) -> None:
        """The rounding mode is explicit and configurable (DOMAIN.md conventions, [PRACTICE])."""
        assert Decimal(expected) == RoundingPolicy(mode=mode).round(
            Decimal("0.125"), currency("EUR")
        )

    def test_half_up_rounds_away_from_zero(self) -> None:
        """Half-up rounds -0.125 to -0.13, symmetric with 0.125 (DOMAIN.md conventions)."""
        assert Decimal("-0.13") == RoundingPolicy().round(Decimal("-0.125"), currency("EUR"))

    def test_ignores_ambient_context(self) -> None:
        """Rounding never depends on the ambient decimal context (STYLE.md)."""
        with decimal.localcontext() as ctx:
            ctx.rounding = decimal.ROUND_FLOOR
            result = RoundingPolicy().round(Decimal("0.605"), currency("EUR"))

        assert Decimal("0.61") == result

    @pytest.mark.parametrize(("code", "expected"), [("JPY", "1234"), ("KWD", "1234.500")])
    def test_rounds_to_minor_unit(self, code: str, expected: str) -> None:
        """Amounts round to the currency's minor unit: JPY 0 decimals, KWD 3."""
        assert Decimal(expected) == RoundingPolicy().round(Decimal("1234.4996"), currency(code))

    def test_round_money(self) -> None:
        """round_money rounds a Money to its minor unit under the policy."""
        assert to_money("0.60", "EUR") == RoundingPolicy(mode=decimal.ROUND_HALF_EVEN).round_money(
            to_money("0.605", "EUR")
        )

    def test_all_modes_listed(self) -> None:
        """Only the seven directed decimal modes are offered (no ROUND_05UP)."""
        assert decimal.ROUND_05UP not in ROUNDING_MODES
        assert 7 == len(ROUNDING_MODES)

    def test_unknown_mode(self) -> None:
        """An unknown mode is refused with a hint naming the decimal constants."""
        with pytest.raises(InvalidValue) as info:
            RoundingPolicy(mode="ROUND_BANKERS")

        assert "mode" == info.value.field
        assert "decimal.ROUND_HALF_UP" in str(info.value)

    def test_unknown_vat_rounding(self) -> None:
        """VAT is rounded per rate (BR-CO-17) or per line; nothing else."""
        with pytest.raises(InvalidValue) as info:
            RoundingPolicy(vat_rounding="per_document")  # type: ignore[arg-type]

        assert "vat_rounding" == info.value.field

    @pytest.mark.parametrize("increment", ["0", "-0.05"])
    def test_cash_increment_positive(self, increment: str) -> None:
        """A cash increment (BT-114 rounding) must be positive."""
        with pytest.raises(InvalidValue) as info:
            RoundingPolicy(cash_increment=increment)  # type: ignore[arg-type]

        assert "cash_increment" == info.value.field

    def test_cash_increment_from_str(self) -> None:
        """The cash increment is converted to an exact Decimal."""
        assert Decimal("0.05") == RoundingPolicy(cash_increment="0.05").cash_increment  # type: ignore[arg-type]

    def test_cash_increment_float_refused(self) -> None:
        """A float cash increment is refused (STYLE.md "Money and rounding")."""
        with pytest.raises(FloatNotAllowed):
            RoundingPolicy(cash_increment=0.05)  # type: ignore[arg-type]

    def test_cash_increment_float_names_field(self) -> None:
        """A refused float cash increment names the field it was given for (STYLE.md "Errors")."""
        with pytest.raises(FloatNotAllowed) as info:
            RoundingPolicy(cash_increment=0.05)  # type: ignore[arg-type]

        assert "cash_increment" == info.value.field

    @pytest.mark.parametrize(
        ("amount", "expected"),
        [("12.01", "12.00"), ("12.02", "12.00"), ("12.03", "12.05"), ("12.04", "12.05")],
    )
    def test_round_cash(self, amount: str, expected: str) -> None:
        """Cash rounding to 0.05 (e.g. CHF cash), half-up (BT-114, DOMAIN.md §2)."""
        policy = RoundingPolicy(cash_increment=Decimal("0.05"))

        assert Decimal(expected) == policy.round_cash(Decimal(amount), currency("CHF"))

    def test_round_cash_without_increment(self) -> None:
        """Without an increment, cash rounding is plain minor-unit rounding."""
        assert Decimal("12.01") == RoundingPolicy().round_cash(Decimal("12.005"), currency("EUR"))


class TestRoundMoney:
    def test_default_policy(self) -> None:
        """The default policy is half-up (DOMAIN.md conventions)."""
        assert to_money("1.01", "EUR") == round_money(to_money("1.005", "EUR"))

    def test_jpy(self) -> None:
        """JPY has no minor unit: amounts round to whole yen."""
        assert to_money("1235", "JPY") == round_money(to_money("1234.5", "JPY"))

    def test_kwd(self) -> None:
        """KWD has three decimals."""
        assert to_money("0.124", "KWD") == round_money(to_money("0.1235", "KWD"))

    def test_explicit_policy(self) -> None:
        """A policy may be passed explicitly."""
        policy = RoundingPolicy(mode=decimal.ROUND_HALF_EVEN)

        assert to_money("1234", "JPY") == round_money(to_money("1234.5", "JPY"), policy)


class TestSameCurrency:
    def test_one_currency(self) -> None:
        """All amounts in one currency give that currency."""
        assert currency("EUR") == same_currency([eur("1"), eur("2")])

    def test_empty(self) -> None:
        """No amounts, no currency."""
        assert None is same_currency([])

    def test_mixed(self) -> None:
        """Mixed currencies raise with both codes and a hint (STYLE.md "Errors")."""
        with pytest.raises(CurrencyMismatch) as info:
            same_currency([eur("10.00"), to_money("5.00", "USD")])

        assert "amounts" == info.value.field
        assert "EUR and USD" in str(info.value)
        assert "explicit rate" in str(info.value)

    def test_not_money(self) -> None:
        """Only Money can be compared."""
        with pytest.raises(InvalidValue) as info:
            same_currency([eur("1"), Decimal("2")])  # type: ignore[list-item]

        assert "amounts" == info.value.field


class TestSumMoney:
    def test_sum(self) -> None:
        """Σ of amounts in one currency (BR-CO-10 style sums)."""
        assert eur("3.30") == sum_money([eur("1.10"), eur("2.20")], "EUR")

    def test_empty_is_zero(self) -> None:
        """An empty sum is zero in the given currency."""
        assert eur("0") == sum_money([], "EUR")

    def test_sums_show_the_minor_units(self) -> None:
        """An empty (or whole-number) sum shows the currency's decimals: 0.00 EUR, 0 JPY,
        0.000 KWD, as every amount facturlib reports."""
        assert "0.00" == str(sum_money([], "EUR").amount)
        assert "5.00" == str(sum_money([to_money("5", "EUR")], "EUR").amount)
        assert ("0", "0.000") == (
            str(sum_money([], "JPY").amount),
            str(sum_money([], "KWD").amount),
        )

    def test_builtin_sum_works(self) -> None:
        """sum() works on Money (STYLE.md "Money and rounding")."""
        assert eur("3.30") == sum([eur("1.10"), eur("2.20")], eur("0"))

    def test_mixed(self) -> None:
        """Mixed currencies raise CurrencyMismatch."""
        with pytest.raises(CurrencyMismatch):
            sum_money([eur("1"), to_money("2", "USD")], "EUR")

    def test_other_target(self) -> None:
        """Amounts in one currency cannot be summed as another."""
        with pytest.raises(CurrencyMismatch) as info:
            sum_money([to_money("1", "USD")], "EUR")

        assert "USD" == info.value.value


class TestAllocate:
    def test_exact_split(self) -> None:
        """Parts proportional to the weights when no rounding is needed."""
        assert (eur("3.00"), eur("4.00"), eur("3.00")) == allocate(eur("10.00"), ["30", "40", "30"])

    def test_thirds_sum_exactly(self) -> None:
        """100.00 in thirds is 33.34 + 33.33 + 33.33: the parts add up (STYLE.md)."""
        parts = allocate(eur("100.00"), [1, 1, 1])

        assert (eur("33.34"), eur("33.33"), eur("33.33")) == parts
        assert eur("100.00") == sum(parts, eur("0"))

    def test_largest_remainder_first(self) -> None:
        """Leftover cents go to the largest remainders, not to the first parts."""
        # exact shares 0.00833, 0.01667, 0.025: floors 0.00, 0.01, 0.02 leave 2 cents,
        # which go to the 1st (remainder 0.0083) and 2nd (0.0067), not the 3rd (0.005).
        assert (eur("0.01"), eur("0.02"), eur("0.02")) == allocate(eur("0.05"), [1, 2, 3])

    def test_tie_goes_to_earlier_part(self) -> None:
        """On equal remainders the earlier part gets the cent."""
        assert (eur("0.02"), eur("0.01")) == allocate(eur("0.03"), [1, 1])

    def test_negative_total(self) -> None:
        """A negative total is split with the same magnitudes, negated."""
        parts = allocate(eur("-100.00"), [1, 1, 1])

        assert (eur("-33.34"), eur("-33.33"), eur("-33.33")) == parts

    def test_negative_small(self) -> None:
        """-0.05 over two equal weights is -0.03 and -0.02."""
        assert (eur("-0.03"), eur("-0.02")) == allocate(eur("-0.05"), [1, 1])

    def test_zero_weight_gets_nothing(self) -> None:
        """A zero weight gets zero; the others share the total."""
        assert (eur("0.00"), eur("10.00")) == allocate(eur("10.00"), [0, 5])

    def test_jpy(self) -> None:
        """JPY parts are whole yen."""
        assert (to_money("34", "JPY"), to_money("33", "JPY"), to_money("33", "JPY")) == allocate(
            to_money("100", "JPY"), [1, 1, 1]
        )

    def test_kwd(self) -> None:
        """KWD parts have three decimals."""
        assert (
            to_money("0.334", "KWD"),
            to_money("0.333", "KWD"),
            to_money("0.333", "KWD"),
        ) == allocate(to_money("1", "KWD"), [1, 1, 1])

    def test_total_rounded_first(self) -> None:
        """A total with sub-cent digits is first rounded to the minor unit."""
        assert (eur("0.01"), eur("0.00")) == allocate(eur("0.005"), [1, 1])

    def test_accepts_str_and_decimal_weights(self) -> None:
        """Weights may be int, str or Decimal."""
        assert (eur("0.50"), eur("0.50")) == allocate(eur("1.00"), [Decimal("0.5"), "0.5"])

    def test_empty_weights(self) -> None:
        """No weights: AllocationError naming the weights."""
        with pytest.raises(AllocationError) as info:
            allocate(eur("1.00"), [])

        assert "weights" == info.value.field

    def test_all_zero_weights(self) -> None:
        """All weights zero: AllocationError."""
        with pytest.raises(AllocationError) as info:
            allocate(eur("1.00"), [0, 0])

        assert "weights" == info.value.field
        assert "positive" in str(info.value)

    def test_negative_weight(self) -> None:
        """A negative weight is refused, naming its index, with a hint."""
        with pytest.raises(AllocationError) as info:
            allocate(eur("1.00"), [1, -1])

        assert "weights[1]" == info.value.field
        assert Decimal(-1) == info.value.value
        assert "separately" in str(info.value)

    def test_float_weight(self) -> None:
        """A float weight raises FloatNotAllowed (STYLE.md "Money and rounding")."""
        with pytest.raises(FloatNotAllowed) as info:
            allocate(eur("1.00"), [1.0, 1])  # type: ignore[list-item]

        assert "weights[0]" == info.value.field

    def test_total_not_money(self) -> None:
        """The total must be Money."""
        with pytest.raises(AllocationError) as info:
            allocate(Decimal("1.00"), [1])  # type: ignore[arg-type]

        assert "total" == info.value.field

    def test_allocation_error_is_value_error(self) -> None:
        """AllocationError is an InvalidValue, so a ValueError."""
        with pytest.raises(ValueError, match="no weights"):
            allocate(eur("1.00"), [])

    @given(total=money_amounts(min_value=-100_000, max_value=100_000), ws=weights())
    def test_parts_sum_to_total(self, total: Money, ws: list[Decimal]) -> None:
        """Property: allocations always sum to the total, in its currency (STYLE.md)."""
        parts = allocate(total, ws)

        assert len(ws) == len(parts)
        assert total == sum(parts, Money(0, total.currency))

    @given(total=money_amounts(max_value=100_000), ws=weights())
    def test_parts_within_one_minor_unit(self, total: Money, ws: list[Decimal]) -> None:
        """Property: each part is less than one minor unit away from its exact share."""
        unit = Decimal(1).scaleb(-minor_units(total.currency))
        weight_sum = sum(ws, Decimal(0))

        for part, weight in zip(allocate(total, ws), ws, strict=True):
            assert abs(part.amount - total.amount * weight / weight_sum) < unit

    @given(
        total=money_amounts(currency_codes=st.just("EUR"), max_value=1000),
        ws=weights(min_size=2, max_size=6),
    )
    def test_parts_have_minor_unit_decimals(self, total: Money, ws: list[Decimal]) -> None:
        """Property: every part is a whole number of cents."""
        for part in allocate(total, ws):
            assert part.amount == part.amount.quantize(Decimal("0.01"))

    def test_currency_type(self) -> None:
        """Parts keep the total's Currency."""
        assert {currency("EUR")} == {p.currency for p in allocate(eur("1"), [1, 2])}
