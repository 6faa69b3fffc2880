"""Tests for facturlib.recurring.proration: day counts, prorate and split_over (DOMAIN.md §9)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_DOWN
from fractions import Fraction

import pytest

from facturlib.core.errors import ScheduleError
from facturlib.core.money import Money, RoundingPolicy, to_money
from facturlib.core.periods import Period
from facturlib.recurring.proration import DayCount, prorate, split_over, thirty_e_360_days


def eur(amount: str) -> Money:
    return to_money(amount, "EUR")


MARCH = Period(date(2025, 3, 1), date(2025, 4, 1))
STUB = Period(date(2025, 3, 24), date(2025, 4, 1))  # 24–31 March, 8 days
LONG_FIRST = Period(date(2025, 3, 24), date(2025, 5, 1))  # 24 March – 30 April, 38 days
YEAR_2025 = Period(date(2025, 1, 1), date(2026, 1, 1))
YEAR_2024 = Period(date(2024, 1, 1), date(2025, 1, 1))


class TestThirtyE360Days:
    def test_stub(self) -> None:
        """24–31 March counts 7 days under 30E/360 (DOMAIN §9)."""
        assert 7 == thirty_e_360_days(STUB.start, STUB.end)

    def test_long_first_period(self) -> None:
        """24 March – 30 April counts 37 days (DOMAIN §9)."""
        assert 37 == thirty_e_360_days(LONG_FIRST.start, LONG_FIRST.end)

    def test_year(self) -> None:
        """A calendar year is 360 days."""
        assert 360 == thirty_e_360_days(YEAR_2024.start, YEAR_2024.end)


class TestProrateDomainFigures:
    """Every figure of DOMAIN §9, to the cent."""

    def test_actual_per_month(self) -> None:
        """€200/month, 24–31 March: 200 × 8/31 = 51.61."""
        assert eur("51.61") == prorate(eur("200.00"), MARCH, STUB, DayCount.ACTUAL_ACTUAL)

    def test_actual_365(self) -> None:
        """24–31 March at actual/365: 2 400 × 8/365 = 52.60."""
        assert eur("52.60") == prorate(eur("200.00"), MARCH, STUB, DayCount.ACTUAL_365)

    def test_thirty_e_360(self) -> None:
        """24–31 March at 30E/360 (7 days): 200 × 7/30 = 46.67."""
        assert eur("46.67") == prorate(eur("200.00"), MARCH, STUB, DayCount.THIRTY_E_360)

    def test_anchored_on_the_24th(self) -> None:
        """24 March – 30 April anchored on the 24th: 200 + 200 × 7/30 = 246.67."""
        next_month = Period(date(2025, 4, 24), date(2025, 5, 24))
        rest = Period(date(2025, 4, 24), date(2025, 5, 1))
        first = Period(date(2025, 3, 24), date(2025, 4, 24))
        total = prorate(eur("200.00"), first, first) + prorate(eur("200.00"), next_month, rest)
        assert eur("246.67") == total

    def test_calendar_billing(self) -> None:
        """24 March – 30 April billed by calendar month: 51.61 + 200 = 251.61."""
        april = Period(date(2025, 4, 1), date(2025, 5, 1))
        total = prorate(eur("200.00"), MARCH, STUB) + prorate(eur("200.00"), april, april)
        assert eur("251.61") == total

    def test_actual_365_long_period(self) -> None:
        """24 March – 30 April at actual/365 (38 days): 2 400 × 38/365 = 249.86."""
        assert eur("249.86") == prorate(eur("200.00"), MARCH, LONG_FIRST, DayCount.ACTUAL_365)

    def test_thirty_e_360_long_period(self) -> None:
        """24 March – 30 April at 30E/360 (37 days): 200 × 37/30 = 246.67."""
        assert eur("246.67") == prorate(eur("200.00"), MARCH, LONG_FIRST, DayCount.THIRTY_E_360)

    def test_annual_civil_2025(self) -> None:
        """€1 200 a year, 10–31 January 2025: 22/365 → 72.33."""
        used = Period(date(2025, 1, 10), date(2025, 2, 1))
        assert eur("72.33") == prorate(eur("1200.00"), YEAR_2025, used, DayCount.ACTUAL_365)
        assert eur("72.33") == prorate(eur("1200.00"), YEAR_2025, used, DayCount.ACTUAL_ACTUAL)

    def test_annual_civil_2024(self) -> None:
        """The same in 2024: 22/366 → 72.13 (actual/actual and ISDA)."""
        used = Period(date(2024, 1, 10), date(2024, 2, 1))
        assert eur("72.13") == prorate(eur("1200.00"), YEAR_2024, used, DayCount.ACTUAL_ACTUAL)
        assert eur("72.13") == prorate(eur("1200.00"), YEAR_2024, used, DayCount.ACTUAL_ACTUAL_ISDA)

    def test_annual_commercial(self) -> None:
        """The same at 30E/360: 21/360 → 70.00."""
        used = Period(date(2025, 1, 10), date(2025, 2, 1))
        assert eur("70.00") == prorate(eur("1200.00"), YEAR_2025, used, DayCount.THIRTY_E_360)

    def test_plan_change(self) -> None:
        """April 2025, 15 days left: credit 30 × 15/30 = 15.00, charge 90 × 15/30 = 45.00."""
        april = Period(date(2025, 4, 1), date(2025, 5, 1))
        rest = Period(date(2025, 4, 16), date(2025, 5, 1))
        assert (eur("15.00"), eur("45.00")) == (
            prorate(eur("30.00"), april, rest),
            prorate(eur("90.00"), april, rest),
        )


class TestProrate:
    def test_whole_period_is_the_amount(self) -> None:
        """Prorating the whole period gives the amount itself, whatever the convention."""
        for day_count in DayCount:
            assert eur("200.00") == prorate(eur("200.00"), MARCH, MARCH, day_count)

    def test_none_bills_in_full(self) -> None:
        """DayCount.NONE bills a partial period as a whole one."""
        assert eur("200.00") == prorate(eur("200.00"), MARCH, STUB, DayCount.NONE)

    def test_isda_across_years(self) -> None:
        """ISDA splits days per calendar year: 20 Dec 2023 – 10 Jan 2024 = 12/365 + 9/366."""
        used = Period(date(2023, 12, 20), date(2024, 1, 10))
        year = Period(date(2023, 7, 1), date(2024, 7, 1))
        expected = Fraction(12, 365) + Fraction(9, 366)
        assert expected == DayCount.ACTUAL_ACTUAL_ISDA.fraction(year, used)

    def test_rounding_policy(self) -> None:
        """The result is rounded once, under the given policy."""
        down = RoundingPolicy(mode=ROUND_DOWN)
        assert eur("51.61") == prorate(eur("200.00"), MARCH, STUB, rounding=down)  # 51.6129…
        assert eur("46.66") == prorate(
            eur("200.00"), MARCH, STUB, DayCount.THIRTY_E_360, rounding=down
        )

    def test_zero_decimal_currency(self) -> None:
        """JPY rounds to whole yen."""
        assert to_money("5161", "JPY") == prorate(to_money("20000", "JPY"), MARCH, STUB)

    def test_three_decimal_currency(self) -> None:
        """KWD rounds to the fils."""
        assert to_money("51.613", "KWD") == prorate(to_money("200.000", "KWD"), MARCH, STUB)

    def test_weeks_fall_back_on_days(self) -> None:
        """A whole period that is no whole number of months counts its own days."""
        week = Period(date(2025, 3, 3), date(2025, 3, 10))
        used = Period(date(2025, 3, 3), date(2025, 3, 5))
        assert eur("20.00") == prorate(eur("70.00"), week, used, DayCount.ACTUAL_365)

    def test_refuses_non_money(self) -> None:
        """A plain number is refused with a hint."""
        with pytest.raises(ScheduleError, match="expected Money"):
            prorate("200", MARCH, STUB)  # type: ignore[arg-type]

    def test_refuses_non_period(self) -> None:
        """Dates instead of a Period are refused."""
        with pytest.raises(ScheduleError, match="expected a Period") as info:
            prorate(eur("1"), MARCH, (STUB.start, STUB.end))  # type: ignore[arg-type]
        assert "used" == info.value.field

    def test_refuses_unknown_day_count(self) -> None:
        """A day count given as a string is refused."""
        with pytest.raises(ScheduleError, match="DayCount"):
            prorate(eur("1"), MARCH, STUB, "actual/365")  # type: ignore[arg-type]

    def test_thirty_e_360_empty_whole_period(self) -> None:
        """A whole period of no 30E/360 day cannot be the denominator."""
        whole = Period(date(2025, 3, 30), date(2025, 3, 31))
        with pytest.raises(ScheduleError, match="30E/360"):
            DayCount.THIRTY_E_360.fraction(whole, Period(date(2025, 3, 31), date(2025, 4, 1)))


class TestSplitOver:
    def test_parts_sum_to_the_whole(self) -> None:
        """Three parts of a month sum to the monthly price."""
        parts = MARCH.split(date(2025, 3, 11), date(2025, 3, 21))
        shares = split_over(eur("100.00"), parts)
        assert eur("100.00") == sum(shares, eur("0"))

    def test_thirty_e_360_weights(self) -> None:
        """Under 30E/360 the step from the 30th to the 31st counts no day."""
        parts = MARCH.split(date(2025, 3, 30), date(2025, 3, 31))
        expected = (eur("29.00"), eur("0.00"), eur("1.00"))
        assert expected == split_over(eur("30.00"), parts, DayCount.THIRTY_E_360)

    def test_no_parts(self) -> None:
        """Splitting over nothing is refused."""
        with pytest.raises(ScheduleError, match="nothing to split"):
            split_over(eur("1"), ())
