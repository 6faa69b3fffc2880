"""Tests for facturlib.accounting.accounts: the PCG preset and its configuration (DOMAIN.md §10)."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest

from facturlib.accounting.accounts import Account, ChartOfAccounts, Journal, RevenueKind
from facturlib.core.errors import LedgerError

CHART = ChartOfAccounts()


class TestAccount:
    def test_number_starts_with_three_digits(self) -> None:
        """An account number starts with three PCG digits (FEC CompteNum)."""
        with pytest.raises(LedgerError, match="three PCG digits") as err:
            Account("41A", "Clients")
        assert "number" == err.value.field

    def test_label_required(self) -> None:
        """An empty label is refused."""
        with pytest.raises(LedgerError, match="must not be empty"):
            Account("411000", " ")

    def test_label_without_separator(self) -> None:
        """A label holding a tab is refused (it would break an FEC file)."""
        with pytest.raises(LedgerError, match="tab"):
            Account("411000", "Clients\tFrance")

    def test_alphanumeric_suffix(self) -> None:
        """Letters after the three digits are allowed."""
        assert "706SAAS" == Account("706SAAS", "Abonnements").number


class TestJournal:
    def test_code(self) -> None:
        """A journal code is letters or digits."""
        with pytest.raises(LedgerError, match="journal code"):
            Journal("V T", "Ventes")

    def test_preset_journals(self) -> None:
        """The preset journals are VT, BQ and OD."""
        assert ["VT", "BQ", "OD"] == [
            CHART.sales_journal.code,
            CHART.bank_journal.code,
            CHART.misc_journal.code,
        ]


class TestRevenueKind:
    def test_services(self) -> None:
        """Services and ancillary activities follow the VAT of services; goods do not."""
        assert [True, True, False, False, False] == [
            kind.is_service
            for kind in (
                RevenueKind.SERVICES,
                RevenueKind.ANCILLARY,
                RevenueKind.GOODS,
                RevenueKind.PRODUCTION,
                RevenueKind.SHIPPING,
            )
        ]


class TestChartOfAccounts:
    def test_pcg_preset(self) -> None:
        """The preset holds the DOMAIN §10 accounts."""
        assert ["411000", "419100", "487000", "418100", "665000", "512000", "763100", "758100"] == [
            CHART.customers.number,
            CHART.advances.number,
            CHART.deferred_revenue.number,
            CHART.accrued_revenue.number,
            CHART.discounts.number,
            CHART.bank.number,
            CHART.late_interest.number,
            CHART.indemnities.number,
        ]

    def test_revenue_by_kind(self) -> None:
        """701/706/707/708/7085 by kind, 709x for rebates."""
        chart = CHART
        for kind in RevenueKind:
            chart = chart.with_product(kind.name, kind=kind)
        numbers = [chart.revenue_account(kind.name).number for kind in RevenueKind]
        assert ["701000", "706000", "707000", "708000", "708500"] == numbers
        assert "709700" == chart.revenue_account("GOODS", rebate=True).number

    def test_vat_per_rate(self) -> None:
        """One VAT collected sub-account per rate, and one VAT-on-receipts sub-account."""
        assert ("445711", "445713", "445741") == (
            CHART.vat_account(Decimal("20")).number,
            CHART.vat_account(Decimal("5.5")).number,
            CHART.vat_account(Decimal("20.0"), pending=True).number,
        )

    def test_missing_rate(self) -> None:
        """An unmapped rate raises, naming the rate."""
        with pytest.raises(LedgerError, match=r"19\.6") as err:
            CHART.vat_account(Decimal("19.6"))
        assert Decimal("19.6") == err.value.value

    def test_with_vat_rate(self) -> None:
        """`with_vat_rate` maps a new rate, leaving the original chart alone."""
        chart = CHART.with_vat_rate("19.6", Account("445716", "TVA 19,6 %"))
        assert "445716" == chart.vat_account(Decimal("19.6")).number
        with pytest.raises(LedgerError):
            CHART.vat_account(Decimal("19.6"))

    def test_missing_product(self) -> None:
        """Without a default kind, an unmapped product raises naming it."""
        chart = attrs.evolve(CHART, default_kind=None)
        with pytest.raises(LedgerError, match="product 'X-1'"):
            chart.revenue_account("X-1")

    def test_missing_line_without_product(self) -> None:
        """A line without product id is named by its description."""
        chart = attrs.evolve(CHART, default_kind=None)
        with pytest.raises(LedgerError, match="line 'Conseil'"):
            chart.revenue_account(None, "Conseil")

    def test_product_account_wins(self) -> None:
        """An account given for a product wins over its kind."""
        chart = CHART.with_product("SAAS", account=Account("706100", "Abonnements"))
        assert "706100" == chart.revenue_account("SAAS").number

    def test_customers(self) -> None:
        """A customer may get its own auxiliary number and collective account."""
        chart = CHART.with_customer("C1", auxiliary="CLI0001", account=Account("411100", "Groupe"))
        assert ("CLI0001", "411100", "C2", "411000") == (
            chart.auxiliary_account("C1"),
            chart.customer_account("C1").number,
            chart.auxiliary_account("C2"),
            chart.customer_account("C2").number,
        )

    def test_collected_for_pending(self) -> None:
        """A VAT-on-receipts account empties into the collected account of its rate."""
        pending = CHART.vat_account(Decimal("10"), pending=True)
        assert "445712" == CHART.collected_for_pending(pending).number
        with pytest.raises(LedgerError, match="not a VAT-on-receipts account"):
            CHART.collected_for_pending(CHART.bank)

    def test_bad_account_type(self) -> None:
        """A string where an Account belongs is refused."""
        with pytest.raises(LedgerError, match="expected an Account"):
            ChartOfAccounts(bank="512000")  # type: ignore[arg-type]

    def test_every_kind_mapped(self) -> None:
        """A revenue table missing a kind is refused."""
        with pytest.raises(LedgerError, match="no account for"):
            ChartOfAccounts(revenue={RevenueKind.SERVICES: Account("706000", "Services")})

    def test_hashable_and_immutable(self) -> None:
        """A chart is hashable and its tables are tuples."""
        assert isinstance(hash(CHART), int)
        assert isinstance(CHART.vat_rates, tuple)


class TestCodesAreText:
    def test_float_journal_code_refused(self) -> None:
        """Journal(code=inf) is refused: a float is not a journal code."""
        with pytest.raises(LedgerError, match="is text, not a float"):
            Journal(float("inf"), "Ventes")

    def test_whole_number_account_accepted(self) -> None:
        """An account number written as a whole number is its digits."""
        assert "411000" == Account(411000, "Clients").number
