"""Laws of document totals (EN 16931 BR-CO-10…17, DOMAIN.md §2), checked with hypothesis."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from facturlib.core.money import minor_units
from facturlib.testing.strategies import invoices, rounding_policies


def _sum(amounts):
    return sum((m.amount for m in amounts), Decimal(0))


class TestTotalsLaws:
    @given(invoices(policies=rounding_policies()))
    def test_line_nets_sum_to_bt106(self, invoice):
        """BR-CO-10: BT-106 = Σ BT-131."""
        t = invoice.totals()
        assert t.line_net_total.amount == _sum(line.net for line in t.lines)

    @given(invoices(policies=rounding_policies()))
    def test_net_plus_vat_is_gross(self, invoice):
        """BR-CO-13/15: BT-109 = BT-106 − BT-107 + BT-108 and BT-112 = BT-109 + BT-110."""
        t = invoice.totals()
        assert t.tax_exclusive_total.amount == (
            t.line_net_total.amount - t.allowance_total.amount + t.charge_total.amount
        )
        assert t.tax_inclusive_total.amount == t.tax_exclusive_total.amount + t.vat_total.amount

    @given(invoices(policies=rounding_policies()))
    def test_vat_per_rate_sums_to_bt110(self, invoice):
        """BR-CO-14: BT-110 = Σ BT-117; and Σ BT-116 = BT-109."""
        t = invoice.totals()
        assert t.vat_total.amount == _sum(b.amount for b in t.vat_breakdown)
        assert t.tax_exclusive_total.amount == _sum(b.taxable for b in t.vat_breakdown)

    @given(invoices(prices_include_vat=st.just(False)))
    def test_vat_per_rate_is_rounded_once_on_the_base(self, invoice):
        """BR-CO-17: BT-117 = round(BT-116 × rate), one breakdown per (category, rate)."""
        t = invoice.totals()
        policy = invoice.rounding
        for entry in t.vat_breakdown:
            expected = policy.round(entry.taxable.amount * entry.vat.rate, t.currency)
            assert expected == entry.amount.amount
        assert len({b.vat for b in t.vat_breakdown}) == len(t.vat_breakdown)

    @given(invoices(prices_include_vat=st.just(True)))
    def test_inclusive_prices_keep_the_displayed_gross(self, invoice):
        """DOMAIN.md §2 TTC rule: per group HT = round(TTC / (1 + rate)), VAT = TTC − HT."""
        t = invoice.totals()
        policy = invoice.rounding
        for entry in t.vat_breakdown:
            inclusive = entry.taxable.amount + entry.amount.amount
            expected_ht = policy.round(inclusive / (1 + entry.vat.rate), t.currency)
            assert expected_ht == entry.taxable.amount

    @given(invoices(policies=rounding_policies()))
    def test_every_amount_has_the_currency_minor_unit(self, invoice):
        """BR-DEC-*: document amounts carry the currency's decimals (2 for EUR)."""
        t = invoice.totals()
        quantum = Decimal(1).scaleb(-minor_units(t.currency))
        amounts = [
            t.line_net_total,
            t.allowance_total,
            t.charge_total,
            t.tax_exclusive_total,
            t.vat_total,
            t.tax_inclusive_total,
            t.amount_due,
            *(line.net for line in t.lines),
            *(b.amount for b in t.vat_breakdown),
        ]
        for amount in amounts:
            assert amount.amount == amount.amount.quantize(quantum)

    @given(invoices(policies=rounding_policies()))
    def test_amount_due_follows_br_co_16(self, invoice):
        """BR-CO-16: BT-115 = BT-112 − BT-113 + BT-114; BT-114 stays below one cash increment."""
        t = invoice.totals()
        assert t.amount_due.amount == (
            t.tax_inclusive_total.amount - t.prepaid_total.amount + t.rounding_amount.amount
        )
        increment = invoice.rounding.cash_increment
        if increment is None:
            assert 0 == t.rounding_amount.amount
        else:
            quantum = Decimal(1).scaleb(-minor_units(t.currency))
            assert abs(t.rounding_amount.amount) < max(increment, quantum) + quantum
