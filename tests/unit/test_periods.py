"""Tests for facturlib.core.periods: Period helpers, Periodicity, PeriodGrid (DOMAIN.md §9)."""

from __future__ import annotations

from datetime import date

import pytest

from facturlib.core.errors import InvalidValue, ScheduleError
from facturlib.core.periods import (
    ANNUAL,
    MONTHLY,
    QUARTERLY,
    SEMIANNUAL,
    WEEKLY,
    Anchoring,
    Period,
    PeriodGrid,
    Periodicity,
    PeriodUnit,
    tiles,
    whole_months,
)

APRIL = Period(date(2025, 4, 1), date(2025, 5, 1))


class TestPeriod:
    def test_end_before_start(self) -> None:
        """A period ending before it starts is refused."""
        with pytest.raises(InvalidValue, match="end after it starts"):
            Period(date(2025, 5, 1), date(2025, 4, 1))

    def test_split(self) -> None:
        """Cuts outside the period are ignored; the parts tile the period."""
        parts = APRIL.split(date(2025, 4, 16), date(2025, 3, 1), date(2025, 4, 1))
        assert (
            Period(date(2025, 4, 1), date(2025, 4, 16)),
            Period(date(2025, 4, 16), date(2025, 5, 1)),
        ) == parts

    def test_intersection(self) -> None:
        """Overlapping periods share their common days; adjacent ones share none."""
        other = Period(date(2025, 4, 20), date(2025, 6, 1))
        assert Period(date(2025, 4, 20), date(2025, 5, 1)) == APRIL.intersection(other)
        assert None is APRIL.intersection(Period(date(2025, 5, 1), date(2025, 6, 1)))

    def test_covers_and_overlaps(self) -> None:
        """covers() is inclusion, overlaps() shares at least one day."""
        inside = Period(date(2025, 4, 10), date(2025, 4, 20))
        assert (True, False, True) == (
            APRIL.covers(inside),
            inside.covers(APRIL),
            inside.overlaps(APRIL),
        )

    def test_contains_day(self) -> None:
        """The end day is excluded."""
        assert (True, False) == (date(2025, 4, 30) in APRIL, date(2025, 5, 1) in APRIL)


class TestTiles:
    def test_gap(self) -> None:
        """A gap breaks the tiling."""
        assert False is tiles([Period(date(2025, 1, 1), date(2025, 2, 1)), APRIL])

    def test_whole(self) -> None:
        """Parts must also start and end with the whole."""
        parts = APRIL.split(date(2025, 4, 10))
        assert (True, False) == (tiles(parts, APRIL), tiles(parts[1:], APRIL))

    def test_empty(self) -> None:
        """Nothing tiles nothing."""
        assert False is tiles([])


class TestWholeMonths:
    def test_month_end_anchor(self) -> None:
        """[29 Feb, 31 Mar) is one month for a 31st anchor."""
        assert 1 == whole_months(Period(date(2024, 2, 29), date(2024, 3, 31)))

    def test_year(self) -> None:
        """A year is 12 months."""
        assert 12 == whole_months(Period(date(2025, 1, 15), date(2026, 1, 15)))

    def test_not_whole(self) -> None:
        """A week is not a whole number of months."""
        assert None is whole_months(Period(date(2025, 1, 1), date(2025, 1, 8)))


class TestPeriodicity:
    def test_presets(self) -> None:
        """The presets count months (weeks for WEEKLY)."""
        assert (1, 3, 6, 12, None) == tuple(
            p.months for p in (MONTHLY, QUARTERLY, SEMIANNUAL, ANNUAL, WEEKLY)
        )

    def test_multiple(self) -> None:
        """N-multiples: QUARTERLY × 2 is semiannual."""
        assert SEMIANNUAL == QUARTERLY * 2

    def test_zero_count(self) -> None:
        """A periodicity of zero months is refused."""
        with pytest.raises(ScheduleError, match="at least 1"):
            Periodicity(count=0)

    def test_weeks(self) -> None:
        """Fortnightly periods step 14 days."""
        fortnight = Periodicity(count=2, unit=PeriodUnit.WEEK)
        assert date(2025, 1, 15) == fortnight.shift(date(2025, 1, 1), 1)


class TestPeriodGrid:
    def test_month_end_never_drifts(self) -> None:
        """31 Jan 2024 → 29 Feb → 31 Mar → 30 Apr (DOMAIN §9, C. proc. civ. 641)."""
        grid = PeriodGrid.for_start(date(2024, 1, 31), MONTHLY)
        expected = [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30)]
        assert expected == [grid.boundary(k) for k in range(4)]

    def test_leap_day_anniversary(self) -> None:
        """29 Feb 2024 yearly → 28 Feb 2025 … and 29 Feb 2028 again."""
        grid = PeriodGrid.for_start(date(2024, 2, 29), ANNUAL)
        assert [date(2025, 2, 28), date(2028, 2, 29)] == [grid.boundary(1), grid.boundary(4)]

    def test_calendar_quarter_partial_first(self) -> None:
        """A calendar-quarter contract from 10 Feb starts with a partial quarter."""
        grid = PeriodGrid.for_start(date(2025, 2, 10), QUARTERLY, Anchoring.CALENDAR)
        (first, whole), (second, _) = grid.periods(date(2025, 2, 10), count=2)
        assert (
            Period(date(2025, 2, 10), date(2025, 4, 1)),
            Period(date(2025, 1, 1), date(2025, 4, 1)),
        ) == (first, whole)
        assert Period(date(2025, 4, 1), date(2025, 7, 1)) == second

    def test_calendar_weeks_start_on_monday(self) -> None:
        """Calendar-anchored weeks start on Mondays."""
        grid = PeriodGrid.for_start(date(2025, 3, 5), WEEKLY, Anchoring.CALENDAR)
        assert date(2025, 3, 3) == grid.anchor

    def test_billing_day(self) -> None:
        """Billing day 1 from 24 March: stub to 1 April, then whole months."""
        grid = PeriodGrid.for_start(date(2025, 3, 24), MONTHLY, billing_day=1)
        pairs = grid.periods(date(2025, 3, 24), date(2025, 5, 10))
        assert [p for p, _ in pairs] == [
            Period(date(2025, 3, 24), date(2025, 4, 1)),
            Period(date(2025, 4, 1), date(2025, 5, 1)),
            Period(date(2025, 5, 1), date(2025, 5, 10)),
        ]

    def test_billing_day_out_of_range(self) -> None:
        """A billing day of 32 is refused."""
        with pytest.raises(ScheduleError, match="1 to 31") as info:
            PeriodGrid.for_start(date(2025, 1, 1), MONTHLY, billing_day=32)
        assert "billing_day" == info.value.field

    def test_billing_day_for_weeks(self) -> None:
        """A billing day makes no sense for weeks."""
        with pytest.raises(ScheduleError, match="months"):
            PeriodGrid.for_start(date(2025, 1, 1), WEEKLY, billing_day=3)

    def test_index_before_anchor(self) -> None:
        """Days before the anchor are in negative periods."""
        grid = PeriodGrid(anchor=date(2025, 3, 31), periodicity=MONTHLY)
        assert Period(date(2025, 2, 28), date(2025, 3, 31)) == grid.containing(date(2025, 3, 1))

    def test_open_ended_needs_a_bound(self) -> None:
        """periods() needs end= or count=."""
        grid = PeriodGrid(anchor=date(2025, 1, 1), periodicity=MONTHLY)
        with pytest.raises(ScheduleError, match="open-ended"):
            grid.periods(date(2025, 1, 1))

    def test_end_before_start(self) -> None:
        """An end before the start is refused."""
        grid = PeriodGrid(anchor=date(2025, 1, 1), periodicity=MONTHLY)
        with pytest.raises(ScheduleError, match="after the start"):
            grid.periods(date(2025, 1, 1), date(2024, 1, 1))
