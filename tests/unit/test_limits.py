"""Legal limits as values (C. com. L441-10, L441-11, D441-5)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from facturlib.core.errors import PaymentError
from facturlib.core.money import to_money
from facturlib.receivables.limits import (
    FR_SECTOR_LIMITS,
    late_rate_floor,
    latest_due_date,
    recovery_indemnity,
)
from facturlib.receivables.penalties import FR_REFERENCE_RATES, HalfYearRate


class TestLatestDueDate:
    def test_sixty_days(self) -> None:
        """L441-10 I: issued 2024-12-31, 60 days → 2025-03-01 (31 + 28 + 1)."""
        figure = latest_due_date(date(2024, 12, 31))
        assert (date(2025, 3, 1), "C. com. L441-10 I") == (figure.value, figure.source)

    def test_forty_five_days_end_of_month_both_conventions(self) -> None:
        """45 JFDM issued 2025-01-15: A eom(01-15 + 45 = 03-01) = 03-31; B 01-31 + 45 = 03-17."""
        assert date(2025, 3, 31) == latest_due_date(date(2025, 1, 15), end_of_month="A").value
        assert date(2025, 3, 17) == latest_due_date(date(2025, 1, 15), end_of_month="B").value

    def test_periodic_invoice(self) -> None:
        """A periodic recap invoice: 45 days from issue (2025-01-31 → 2025-03-17)."""
        assert date(2025, 3, 17) == latest_due_date(date(2025, 1, 31), periodic=True).value

    def test_sector_cap_counted_from_delivery(self) -> None:
        """Perishable food, L441-11: delivered 2025-03-14 → decade ends 03-20, + 30 = 04-19."""
        figure = latest_due_date(
            date(2025, 3, 15), sector=FR_SECTOR_LIMITS[1], delivery_date=date(2025, 3, 14)
        )
        assert (date(2025, 4, 19), "C. com. L441-11") == (figure.value, figure.source)

    def test_sector_cap_needs_the_delivery(self) -> None:
        """A cap counted from the delivery without a delivery date is a clear error."""
        with pytest.raises(PaymentError, match="delivery"):
            latest_due_date(date(2025, 3, 15), sector=FR_SECTOR_LIMITS[2])


class TestLateRateFloor:
    def test_three_times_the_legal_rate(self) -> None:
        """L441-10 II: H1 2026 legal rate 2.62 % (arrêté du 15/12/2025) → floor 7.86 %."""
        figure = late_rate_floor(date(2026, 3, 1))
        assert (Decimal("7.86"), "C. com. L441-10 II") == (figure.value, figure.source)

    def test_missing_half_year_says_how_to_add_it(self) -> None:
        """H2 2026 is not in the bundled table: the error says which rates to add and how."""
        with pytest.raises(PaymentError, match="H2 2026") as caught:
            late_rate_floor(date(2026, 9, 1))
        assert "with_rates" in caught.value.hint

    def test_a_table_extended_by_the_caller(self) -> None:
        """With a half-year added by the caller, the floor follows it (3 × 2.50 = 7.50)."""
        table = FR_REFERENCE_RATES.with_rates(
            HalfYearRate(year=2026, half=2, mro="2.15", legal="2.50")
        )
        assert Decimal("7.50") == late_rate_floor(date(2026, 9, 1), table).value


class TestRecoveryIndemnity:
    def test_forty_euros_per_late_invoice(self) -> None:
        """D441-5: €40 per invoice paid late."""
        assert to_money("40.00", "EUR") == recovery_indemnity().value

    def test_none_under_collective_proceedings(self) -> None:
        """L441-10 II: not due by a debtor in collective proceedings."""
        assert to_money("0.00", "EUR") == recovery_indemnity(collective_proceedings=True).value

    def test_none_when_not_late(self) -> None:
        """Nothing when the invoice was paid on time."""
        assert to_money("0.00", "EUR") == recovery_indemnity(late=False).value
