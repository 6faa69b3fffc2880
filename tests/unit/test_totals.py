"""Tests for facturlib.core.totals: EN 16931 totals and the VAT breakdown (BG-23)."""

from __future__ import annotations

import decimal
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facturlib.core.documents import Invoice
from facturlib.core.errors import CurrencyMismatch, DocumentError, InvalidValue
from facturlib.core.lines import Discount, DocumentAllowance, DocumentCharge, Line, Surcharge
from facturlib.core.money import Money, RoundingPolicy, currency, to_money
from facturlib.core.totals import (
    AppliedAdjustment,
    LineTotals,
    StatedVat,
    Totals,
    compute_totals,
)
from facturlib.core.vat import FR_REDUCED, FR_STANDARD, VatRate
from facturlib.testing.strategies import invoices


def eur(amount: str) -> Money:
    return to_money(amount, "EUR")


def line(quantity: object, price: str, vat: VatRate = FR_STANDARD, **kw: object) -> Line:
    return Line(description="Article", quantity=quantity, unit_price=eur(price), vat=vat, **kw)  # type: ignore[arg-type]


def worked_example() -> Totals:
    """DOMAIN.md §2 worked example, category S."""
    return compute_totals(
        currency="EUR",
        lines=[line(10, "12.50"), line(3, "7.99", FR_REDUCED)],
        allowances=[DocumentAllowance(amount=eur("10.00"), vat=FR_STANDARD, reason="Remise")],
        charges=[DocumentCharge(amount=eur("5.90"), vat=FR_STANDARD, reason="Port")],
        prepaid=eur("50.00"),
    )


def breakdown(totals: Totals) -> list[tuple[str, Decimal, Decimal]]:
    return [(b.vat.label, b.taxable.amount, b.amount.amount) for b in totals.vat_breakdown]


class TestWorkedExample:
    def test_line_nets(self) -> None:
        """BT-131: 10 × 12.50 = 125.00 and 3 × 7.99 = 23.97 (DOMAIN.md §2)."""
        assert [eur("125.00"), eur("23.97")] == [x.net for x in worked_example().lines]

    def test_line_net_total(self) -> None:
        """BR-CO-10: BT-106 = Σ BT-131 = 148.97 (DOMAIN.md §2)."""
        assert eur("148.97") == worked_example().line_net_total

    def test_allowance_total(self) -> None:
        """BR-CO-11: BT-107 = Σ BT-92 = 10.00 (DOMAIN.md §2)."""
        assert eur("10.00") == worked_example().allowance_total

    def test_charge_total(self) -> None:
        """BR-CO-12: BT-108 = Σ BT-99 = 5.90 (DOMAIN.md §2)."""
        assert eur("5.90") == worked_example().charge_total

    def test_tax_exclusive_total(self) -> None:
        """BR-CO-13: BT-109 = BT-106 − BT-107 + BT-108 = 144.87 (DOMAIN.md §2)."""
        assert eur("144.87") == worked_example().tax_exclusive_total

    def test_vat_breakdown(self) -> None:
        """BR-CO-17: S 20 % 120.90 → 24.18; S 5.5 % 23.97 → 1.31835 → 1.32 (DOMAIN.md §2)."""
        assert [
            ("S 20%", Decimal("120.90"), Decimal("24.18")),
            ("S 5.5%", Decimal("23.97"), Decimal("1.32")),
        ] == breakdown(worked_example())

    def test_vat_total(self) -> None:
        """BR-CO-14: BT-110 = Σ BT-117 = 25.50 (DOMAIN.md §2)."""
        assert eur("25.50") == worked_example().vat_total

    def test_tax_inclusive_total(self) -> None:
        """BR-CO-15: BT-112 = BT-109 + BT-110 = 170.37 (DOMAIN.md §2)."""
        assert eur("170.37") == worked_example().tax_inclusive_total

    def test_prepaid(self) -> None:
        """BT-113 = 50.00 (DOMAIN.md §2)."""
        assert eur("50.00") == worked_example().prepaid_total

    def test_amount_due(self) -> None:
        """BR-CO-16: BT-115 = BT-112 − BT-113 + BT-114 = 120.37 (DOMAIN.md §2)."""
        t = worked_example()

        assert (eur("0"), eur("120.37")) == (t.rounding_amount, t.amount_due)

    def test_applied_adjustments(self) -> None:
        """BG-20/BG-21 keep their amount, VAT and reason (BT-97/BT-104)."""
        t = worked_example()

        assert (
            AppliedAdjustment(
                is_charge=False, amount=eur("10.00"), vat=FR_STANDARD, reason="Remise"
            ),
            AppliedAdjustment(is_charge=True, amount=eur("5.90"), vat=FR_STANDARD, reason="Port"),
        ) == (*t.allowances, *t.charges)

    def test_breakdown_for(self) -> None:
        """breakdown_for finds the BG-23 of a rate, or None."""
        t = worked_example()

        assert eur("1.32") == t.breakdown_for(FR_REDUCED).amount  # type: ignore[union-attr]
        assert None is t.breakdown_for(VatRate.standard("10"))


class TestLineAmounts:
    def test_base_quantity(self) -> None:
        """BT-149: 250 kg × 4.80 per 100 kg = 12.00 (DOMAIN.md §2, L3)."""
        t = compute_totals(
            currency="EUR", lines=[line("250", "4.80", unit="KGM", base_quantity=100)]
        )

        assert (eur("12.00"), eur("12.00")) == (t.lines[0].amount, t.lines[0].net)

    def test_base_quantity_with_percent_discount(self) -> None:
        """BT-136 = round2(12.00 × 10/100) = 1.20; BT-131 = 10.80 (DOMAIN.md §2, L3)."""
        t = compute_totals(
            currency="EUR",
            lines=[
                line(
                    "250",
                    "4.80",
                    unit="KGM",
                    base_quantity=100,
                    discounts=(Discount(percent="10"),),
                )
            ],
        )

        assert (
            LineTotals(amount=eur("12.00"), allowances=(eur("1.20"),), charges=(), net=eur("10.80"))
            == t.lines[0]
        )
        assert eur("10.80") == t.line_net_total

    def test_percentages_do_not_compound(self) -> None:
        """Two 10 % line allowances are both on the line amount (BT-137), plus a fixed charge."""
        t = compute_totals(
            currency="EUR",
            lines=[
                line(
                    1,
                    "10.00",
                    discounts=(Discount(percent="10"), Discount(percent="10")),
                    charges=(Surcharge(amount=eur("1.00")),),
                )
            ],
        )

        assert (
            LineTotals(
                amount=eur("10.00"),
                allowances=(eur("1.00"), eur("1.00")),
                charges=(eur("1.00"),),
                net=eur("9.00"),
            )
            == t.lines[0]
        )

    def test_base_quantities_mixed_in_one_document(self) -> None:
        """Lines priced per 100 and per unit side by side: 12.00 and 2 × 1.25 = 2.50 (§2, L3)."""
        t = compute_totals(
            currency="EUR",
            lines=[line("250", "4.80", unit="KGM", base_quantity=100), line(2, "1.25")],
        )

        assert [eur("12.00"), eur("2.50")] == [x.net for x in t.lines]
        assert eur("14.50") == t.line_net_total

    def test_adjusted_and_plain_lines_mixed(self) -> None:
        """Only the adjusted line gets an allowance: 10.00 − 1.00 = 9.00, then 5.00 as is."""
        t = compute_totals(
            currency="EUR",
            lines=[line(1, "10.00", discounts=(Discount(percent="10"),)), line(1, "5.00")],
        )

        assert [
            LineTotals(amount=eur("10.00"), allowances=(eur("1.00"),), charges=(), net=eur("9.00")),
            LineTotals(amount=eur("5.00"), allowances=(), charges=(), net=eur("5.00")),
        ] == list(t.lines)
        assert eur("14.00") == t.line_net_total

    def test_line_amount_rounded(self) -> None:
        """BR-DEC-23: BT-131 has 2 decimals: 3 × 0.3333 = 0.9999 → 1.00."""
        assert eur("1.00") == compute_totals(currency="EUR", lines=[line(3, "0.3333")]).lines[0].net

    def test_negative_quantity(self) -> None:
        """BT-131 may be negative (a return); its allowance is negative too (DOMAIN.md §2)."""
        t = compute_totals(
            currency="EUR", lines=[line(-2, "10.00", discounts=(Discount(percent="10"),))]
        )

        assert (
            LineTotals(
                amount=eur("-20.00"), allowances=(eur("-2.00"),), charges=(), net=eur("-18.00")
            )
            == t.lines[0]
        )

    def test_line_adjustment_currency(self) -> None:
        """A fixed line allowance in another currency is refused."""
        with pytest.raises(DocumentError):
            compute_totals(
                currency="EUR",
                lines=[line(1, "10.00", discounts=(Discount(amount=to_money("1.00", "USD")),))],
            )


class TestVatRounding:
    def test_per_rate_twenty(self) -> None:
        """BR-CO-17: 3 × 1.01 @20 %: 3.03 × 0.20 = 0.606 → 0.61, TTC 3.64 (DOMAIN.md §2)."""
        t = compute_totals(currency="EUR", lines=[line(1, "1.01") for _ in range(3)])

        assert (eur("0.61"), eur("3.64")) == (t.vat_total, t.tax_inclusive_total)

    def test_per_line_twenty(self) -> None:
        """Per-line rounding: 0.20 × 3 = 0.60, TTC 3.63 (DOMAIN.md §2, legacy option)."""
        t = compute_totals(
            currency="EUR",
            lines=[line(1, "1.01") for _ in range(3)],
            rounding=RoundingPolicy(vat_rounding="per_line"),
        )

        assert (eur("0.60"), eur("3.63")) == (t.vat_total, t.tax_inclusive_total)

    def test_per_rate_reduced(self) -> None:
        """BR-CO-17: 3 × 0.99 @5.5 %: 0.16335 → 0.16 (DOMAIN.md §2)."""
        t = compute_totals(currency="EUR", lines=[line(1, "0.99", FR_REDUCED) for _ in range(3)])

        assert eur("0.16") == t.vat_total

    def test_per_line_reduced(self) -> None:
        """Per-line rounding: 0.05 × 3 = 0.15 (DOMAIN.md §2)."""
        t = compute_totals(
            currency="EUR",
            lines=[line(1, "0.99", FR_REDUCED) for _ in range(3)],
            rounding=RoundingPolicy(vat_rounding="per_line"),
        )

        assert eur("0.15") == t.vat_total

    @pytest.mark.parametrize(("vat_rounding", "vat"), [("per_rate", "0.21"), ("per_line", "0.22")])
    def test_document_charge_rounded_on_its_own(self, vat_rounding: str, vat: str) -> None:
        """Per rate: 1.06 × 0.2 = 0.212 → 0.21; per line: 0.206 → 0.21 plus 0.006 → 0.01."""
        t = compute_totals(
            currency="EUR",
            lines=[line(1, "1.03")],
            charges=[DocumentCharge(amount=eur("0.03"), vat=FR_STANDARD)],
            rounding=RoundingPolicy(vat_rounding=vat_rounding),  # type: ignore[arg-type]
        )

        assert [("S 20%", Decimal("1.06"), Decimal(vat))] == breakdown(t)


class TestRoundingModes:
    def test_half_up_default(self) -> None:
        """Default half-up: a 0.125 line amount becomes 0.13 (DOMAIN.md conventions)."""
        assert (
            eur("0.13") == compute_totals(currency="EUR", lines=[line(1, "0.125")]).line_net_total
        )

    def test_half_even_line(self) -> None:
        """ROUND_HALF_EVEN is configurable: 0.125 → 0.12."""
        t = compute_totals(
            currency="EUR",
            lines=[line(1, "0.125")],
            rounding=RoundingPolicy(mode=decimal.ROUND_HALF_EVEN),
        )

        assert eur("0.12") == t.line_net_total

    def test_half_up_vat(self) -> None:
        """BR-CO-17 half-up: 3.00 @5.5 % = 0.165 → 0.17."""
        assert (
            eur("0.17")
            == compute_totals(currency="EUR", lines=[line(1, "3.00", FR_REDUCED)]).vat_total
        )

    def test_half_even_vat(self) -> None:
        """BR-CO-17 half-even: 3.00 @5.5 % = 0.165 → 0.16."""
        t = compute_totals(
            currency="EUR",
            lines=[line(1, "3.00", FR_REDUCED)],
            rounding=RoundingPolicy(mode=decimal.ROUND_HALF_EVEN),
        )

        assert eur("0.16") == t.vat_total


class TestCurrencies:
    def test_jpy_has_no_decimals(self) -> None:
        """JPY totals are whole yen: 3 × 333 = 999, VAT 199.8 → 200, TTC 1199."""
        t = compute_totals(
            currency="JPY",
            lines=[
                Line(
                    description="A", quantity=3, unit_price=to_money("333", "JPY"), vat=FR_STANDARD
                )
            ],
        )

        assert (to_money("999", "JPY"), to_money("200", "JPY"), to_money("1199", "JPY")) == (
            t.tax_exclusive_total,
            t.vat_total,
            t.tax_inclusive_total,
        )

    def test_jpy_every_total_integral(self) -> None:
        """Every JPY total has 0 decimals, including a rounded line (1.5 × 333 = 499.5 → 500)."""
        t = compute_totals(
            currency="JPY",
            lines=[
                Line(
                    description="A",
                    quantity="1.5",
                    unit_price=to_money("333", "JPY"),
                    vat=FR_STANDARD,
                )
            ],
        )
        totals = [getattr(t, f.name) for f in attrs.fields(Totals) if f.type == "Money"]

        assert to_money("500", "JPY") == t.line_net_total
        assert [0] * len(totals) == [m.amount.as_tuple().exponent for m in totals]

    def test_kwd_has_three_decimals(self) -> None:
        """KWD totals have 3 decimals: 1.2345 → 1.235, VAT 0.247, TTC 1.482."""
        t = compute_totals(
            currency="KWD",
            lines=[
                Line(
                    description="A",
                    quantity=1,
                    unit_price=to_money("1.2345", "KWD"),
                    vat=FR_STANDARD,
                )
            ],
        )

        assert (to_money("1.235", "KWD"), to_money("0.247", "KWD"), to_money("1.482", "KWD")) == (
            t.line_net_total,
            t.vat_total,
            t.tax_inclusive_total,
        )

    def test_currency_of_totals(self) -> None:
        """Totals are in the document currency (BT-5)."""
        assert (
            "KWD"
            == compute_totals(
                currency="kwd",
                lines=[
                    Line(
                        description="A",
                        quantity=1,
                        unit_price=to_money("1", "KWD"),
                        vat=FR_STANDARD,
                    )
                ],
            ).currency.code
        )

    def test_line_in_other_currency(self) -> None:
        """A line priced in another currency raises CurrencyMismatch naming the line."""
        with pytest.raises(CurrencyMismatch) as info:
            compute_totals(currency="USD", lines=[line(1, "10.00")])

        assert "lines[0].unit_price" == info.value.field

    def test_prepaid_in_other_currency(self) -> None:
        """BT-113 is in the document currency."""
        with pytest.raises(CurrencyMismatch) as info:
            compute_totals(currency="EUR", lines=[line(1, "10")], prepaid=to_money("1", "USD"))

        assert "prepaid" == info.value.field


class TestCashRounding:
    def test_rounding_down(self) -> None:
        """BT-114: TTC 12.01 with a 0.05 increment → rounding −0.01, BT-115 12.00 (BR-CO-16)."""
        t = compute_totals(
            currency="EUR",
            lines=[line(1, "10.01")],
            rounding=RoundingPolicy(cash_increment=Decimal("0.05")),
        )

        assert (eur("12.01"), eur("-0.01"), eur("12.00")) == (
            t.tax_inclusive_total,
            t.rounding_amount,
            t.amount_due,
        )

    def test_rounding_up(self) -> None:
        """BT-114: TTC 12.04 → +0.01, BT-115 12.05 (BR-CO-16)."""
        t = compute_totals(
            currency="EUR",
            lines=[line(1, "10.03")],
            rounding=RoundingPolicy(cash_increment=Decimal("0.05")),
        )

        assert (eur("12.04"), eur("0.01"), eur("12.05")) == (
            t.tax_inclusive_total,
            t.rounding_amount,
            t.amount_due,
        )

    def test_rounding_after_prepaid(self) -> None:
        """BT-115 = BT-112 − BT-113 + BT-114: the rounding applies to the amount due."""
        t = compute_totals(
            currency="EUR",
            lines=[line(1, "10.01")],
            prepaid=eur("2.00"),
            rounding=RoundingPolicy(cash_increment=Decimal("0.05")),
        )

        assert (eur("-0.01"), eur("10.00")) == (t.rounding_amount, t.amount_due)

    def test_no_increment(self) -> None:
        """Without a cash increment BT-114 is zero."""
        assert eur("0") == compute_totals(currency="EUR", lines=[line(1, "10.01")]).rounding_amount


class TestPricesIncludeVat:
    def test_single_line(self) -> None:
        """TTC 12.00 @20 %: HT = round2(12.00/1.2) = 10.00, VAT 2.00 (DOMAIN.md §2)."""
        t = compute_totals(currency="EUR", lines=[line(1, "12.00")], prices_include_vat=True)

        assert (eur("10.00"), eur("2.00"), eur("12.00")) == (
            t.tax_exclusive_total,
            t.vat_total,
            t.tax_inclusive_total,
        )

    def test_group_keeps_ttc(self) -> None:
        """3 × 1.00 TTC @20 %: group HT round2(3.00/1.2) = 2.50, VAT 0.50; TTC stays 3.00."""
        t = compute_totals(
            currency="EUR", lines=[line(1, "1.00") for _ in range(3)], prices_include_vat=True
        )

        assert [("S 20%", Decimal("2.50"), Decimal("0.50"))] == breakdown(t)
        assert eur("3.00") == t.tax_inclusive_total

    def test_line_nets_sum_to_group(self) -> None:
        """Line nets (0.8333 each) are spread to sum exactly to the group HT 2.50 (BR-CO-10)."""
        t = compute_totals(
            currency="EUR", lines=[line(1, "1.00") for _ in range(3)], prices_include_vat=True
        )

        assert [eur("0.84"), eur("0.83"), eur("0.83")] == [x.net for x in t.lines]
        assert eur("2.50") == t.line_net_total

    def test_line_amount_is_inclusive(self) -> None:
        """With TTC prices, LineTotals.amount includes VAT and net excludes it."""
        t = compute_totals(currency="EUR", lines=[line(1, "12.00")], prices_include_vat=True)

        assert (eur("12.00"), eur("10.00")) == (t.lines[0].amount, t.lines[0].net)

    def test_reduced_rate(self) -> None:
        """TTC 10.00 @5.5 %: HT 9.48 (9.4787), VAT 0.52."""
        t = compute_totals(
            currency="EUR", lines=[line(1, "10.00", FR_REDUCED)], prices_include_vat=True
        )

        assert [("S 5.5%", Decimal("9.48"), Decimal("0.52"))] == breakdown(t)

    def test_several_lines_and_an_allowance(self) -> None:
        """TTC per group: S20 18.99 → HT 15.83 + VAT 3.16; S5.5 9.99 → 9.47 + 0.52 (§2)."""
        t = compute_totals(
            currency="EUR",
            lines=[line(1, "10.00"), line(3, "3.33"), line(1, "9.99", FR_REDUCED)],
            allowances=[DocumentAllowance(amount=eur("1.00"), vat=FR_STANDARD)],
            prices_include_vat=True,
        )

        assert [
            ("S 20%", Decimal("15.83"), Decimal("3.16")),
            ("S 5.5%", Decimal("9.47"), Decimal("0.52")),
        ] == breakdown(t)
        assert eur("28.98") == t.tax_inclusive_total

    def test_several_lines_and_an_allowance_reconcile(self) -> None:
        """BR-CO-10/11/13 hold on the amounts excluding VAT: 8.33 + 8.33 + 9.47 − 0.83 = 25.30."""
        t = compute_totals(
            currency="EUR",
            lines=[line(1, "10.00"), line(3, "3.33"), line(1, "9.99", FR_REDUCED)],
            allowances=[DocumentAllowance(amount=eur("1.00"), vat=FR_STANDARD)],
            prices_include_vat=True,
        )

        assert [eur("8.33"), eur("8.33"), eur("9.47")] == [x.net for x in t.lines]
        assert (eur("26.13"), eur("0.83"), eur("25.30")) == (
            t.line_net_total,
            t.allowance_total,
            t.tax_exclusive_total,
        )

    def test_per_line_rounding(self) -> None:
        """Per-line HT with TTC prices: 3 × round2(1.00/1.2) = 2.49, VAT 0.51, TTC kept."""
        t = compute_totals(
            currency="EUR",
            lines=[line(1, "1.00") for _ in range(3)],
            prices_include_vat=True,
            rounding=RoundingPolicy(vat_rounding="per_line"),
        )

        assert [("S 20%", Decimal("2.49"), Decimal("0.51"))] == breakdown(t)
        assert eur("3.00") == t.tax_inclusive_total

    @settings(max_examples=50, deadline=None)
    @given(invoices(currency_codes=st.just("EUR"), prices_include_vat=st.just(True)))
    def test_ttc_is_kept(self, invoice: Invoice) -> None:
        """Property: with TTC prices, Σ (BT-116 + BT-117) = BT-112 and BR-CO-10 holds."""
        t = invoice.totals()
        ttc = sum((x.taxable.amount + x.amount.amount for x in t.vat_breakdown), Decimal(0))

        assert ttc == t.tax_inclusive_total.amount
        assert t.line_net_total.amount == sum((x.net.amount for x in t.lines), Decimal(0))


class TestGlobalDiscount:
    LINES = (line(1, "100.00"), line(1, "50.00", FR_REDUCED))

    def test_percent_one_allowance_per_rate(self) -> None:
        """BR-32: a 10 % global discount becomes one allowance per VAT rate, on its base."""
        t = compute_totals(currency="EUR", lines=self.LINES, global_discount=Discount(percent="10"))

        assert [
            (FR_STANDARD, eur("10.00"), eur("100.00"), Decimal(10)),
            (FR_REDUCED, eur("5.00"), eur("50.00"), Decimal(10)),
        ] == [(a.vat, a.amount, a.base, a.percent) for a in t.allowances]

    def test_percent_breakdown(self) -> None:
        """BR-S-08: S20 90.00 → 18.00; S5.5 45.00 → 2.475 → 2.48; BT-107 15.00."""
        t = compute_totals(currency="EUR", lines=self.LINES, global_discount=Discount(percent="10"))

        assert [
            ("S 20%", Decimal("90.00"), Decimal("18.00")),
            ("S 5.5%", Decimal("45.00"), Decimal("2.48")),
        ] == breakdown(t)
        assert eur("15.00") == t.allowance_total

    def test_default_reason(self) -> None:
        """A global discount without a reason is labelled "Remise globale" (BT-97)."""
        t = compute_totals(currency="EUR", lines=self.LINES, global_discount=Discount(percent="10"))

        assert {"Remise globale"} == {a.reason for a in t.allowances}

    def test_amount_spread_by_net(self) -> None:
        """BR-32: 10.00 spread 100:50 by allocate → 6.67 @20 % and 3.33 @5.5 %."""
        t = compute_totals(
            currency="EUR", lines=self.LINES, global_discount=Discount(amount=eur("10.00"))
        )

        assert [(FR_STANDARD, eur("6.67")), (FR_REDUCED, eur("3.33"))] == [
            (a.vat, a.amount) for a in t.allowances
        ]
        assert eur("10.00") == t.allowance_total

    def test_amount_breakdown(self) -> None:
        """S20 93.33 → 18.67; S5.5 46.67 → 2.56685 → 2.57 (BR-CO-17)."""
        t = compute_totals(
            currency="EUR", lines=self.LINES, global_discount=Discount(amount=eur("10.00"))
        )

        assert [
            ("S 20%", Decimal("93.33"), Decimal("18.67")),
            ("S 5.5%", Decimal("46.67"), Decimal("2.57")),
        ] == breakdown(t)

    def test_amount_equal_to_net(self) -> None:
        """A discount of the whole net leaves 0.00 HT."""
        t = compute_totals(
            currency="EUR", lines=self.LINES, global_discount=Discount(amount=eur("150.00"))
        )

        assert eur("0.00") == t.tax_exclusive_total

    def test_amount_exceeding_net(self) -> None:
        """A global discount above the net raises DocumentError saying what the net is."""
        with pytest.raises(DocumentError) as info:
            compute_totals(
                currency="EUR", lines=self.LINES, global_discount=Discount(amount=eur("150.01"))
            )

        assert "global_discount.amount" == info.value.field
        assert Decimal("150.01") == info.value.value
        assert "150.00 EUR" in str(info.value)

    def test_skips_negative_groups(self) -> None:
        """Only rates with a positive net share the discount."""
        t = compute_totals(
            currency="EUR",
            lines=[line(1, "100.00"), line(-1, "10.00", FR_REDUCED)],
            global_discount=Discount(percent="10"),
        )

        assert [(FR_STANDARD, eur("10.00"))] == [(a.vat, a.amount) for a in t.allowances]

    def test_amount_needs_positive_net(self) -> None:
        """A global discount amount on lines that net to nothing positive is refused."""
        with pytest.raises(DocumentError) as info:
            compute_totals(
                currency="EUR",
                lines=[line(-1, "10.00")],
                global_discount=Discount(amount=eur("1.00")),
            )

        assert "global_discount" == info.value.field

    def test_percent_of_nothing(self) -> None:
        """A percentage of no positive net is no allowance at all."""
        t = compute_totals(
            currency="EUR", lines=[line(-1, "10.00")], global_discount=Discount(percent="10")
        )

        assert ((), eur("0")) == (t.allowances, t.allowance_total)


class TestDocumentAdjustments:
    def test_percent_allowance_default_base(self) -> None:
        """BT-93 defaults to the net of the lines of the same rate: 5 % of 150.00 = 7.50."""
        t = compute_totals(
            currency="EUR",
            lines=[line(1, "100.00"), line(1, "50.00"), line(1, "40.00", FR_REDUCED)],
            allowances=[DocumentAllowance(percent="5", vat=FR_STANDARD)],
        )

        assert (eur("7.50"), eur("150.00"), Decimal(5)) == (
            t.allowances[0].amount,
            t.allowances[0].base,
            t.allowances[0].percent,
        )
        assert [
            ("S 20%", Decimal("142.50"), Decimal("28.50")),
            ("S 5.5%", Decimal("40.00"), Decimal("2.20")),
        ] == breakdown(t)

    def test_percent_allowance_explicit_base(self) -> None:
        """BT-93 given explicitly: 10 % of 40.00 = 4.00."""
        t = compute_totals(
            currency="EUR",
            lines=[line(1, "100.00")],
            allowances=[DocumentAllowance(percent="10", vat=FR_STANDARD, base=eur("40.00"))],
        )

        assert eur("4.00") == t.allowance_total

    def test_percent_allowance_without_base(self) -> None:
        """A percentage on a rate no line uses needs an explicit base."""
        with pytest.raises(DocumentError) as info:
            compute_totals(
                currency="EUR",
                lines=[line(1, "100.00")],
                allowances=[DocumentAllowance(percent="10", vat=FR_REDUCED)],
            )

        assert "allowances[0].base" == info.value.field
        assert "S 5.5%" in str(info.value)

    def test_percent_charge(self) -> None:
        """A percentage charge (BT-101) on the net of its rate: 2 % of 100.00 = 2.00."""
        t = compute_totals(
            currency="EUR",
            lines=[line(1, "100.00")],
            charges=[DocumentCharge(percent="2", vat=FR_STANDARD)],
        )

        assert (eur("2.00"), eur("102.00")) == (t.charge_total, t.tax_exclusive_total)

    def test_charge_with_own_vat(self) -> None:
        """BR-37: a charge at 5.5 % on 20 % lines opens its own BG-23 (BR-CO-17)."""
        t = compute_totals(
            currency="EUR",
            lines=[line(1, "100.00")],
            charges=[DocumentCharge(amount=eur("10.00"), vat=FR_REDUCED, reason="Port")],
        )

        assert [
            ("S 20%", Decimal("100.00"), Decimal("20.00")),
            ("S 5.5%", Decimal("10.00"), Decimal("0.55")),
        ] == breakdown(t)
        assert (eur("10.00"), eur("110.00"), eur("20.55")) == (
            t.charge_total,
            t.tax_exclusive_total,
            t.vat_total,
        )

    def test_allowance_in_other_currency(self) -> None:
        """A document allowance in another currency raises CurrencyMismatch."""
        with pytest.raises(CurrencyMismatch):
            compute_totals(
                currency="EUR",
                lines=[line(1, "100.00")],
                allowances=[DocumentAllowance(amount=to_money("1.00", "USD"), vat=FR_STANDARD)],
            )


class TestTaxCurrency:
    def test_vat_in_tax_currency(self) -> None:
        """BT-111: BT-110 25.50 EUR × 0.85 = 21.675 → 21.68 GBP."""
        t = compute_totals(
            currency="EUR",
            lines=[line(10, "12.50"), line(3, "7.99", FR_REDUCED)],
            allowances=[DocumentAllowance(amount=eur("10.00"), vat=FR_STANDARD)],
            charges=[DocumentCharge(amount=eur("5.90"), vat=FR_STANDARD)],
            tax_currency="GBP",
            tax_exchange_rate="0.85",
        )

        assert to_money("21.68", "GBP") == t.vat_total_tax_currency

    def test_usd_invoice_vat_in_eur(self) -> None:
        """BR-FR-CO-12: a USD invoice states its VAT in EUR: 20.00 USD × 0.92 = 18.40 EUR."""
        t = compute_totals(
            currency="USD",
            lines=[
                Line(
                    description="A",
                    quantity=1,
                    unit_price=to_money("100.00", "USD"),
                    vat=FR_STANDARD,
                )
            ],
            tax_currency="EUR",
            tax_exchange_rate=Decimal("0.92"),
        )

        assert (to_money("20.00", "USD"), eur("18.40")) == (t.vat_total, t.vat_total_tax_currency)

    def test_no_tax_currency(self) -> None:
        """Without a tax currency BT-111 is absent."""
        assert None is compute_totals(currency="EUR", lines=[line(1, "1")]).vat_total_tax_currency

    def test_rate_required(self) -> None:
        """A tax currency needs an exchange rate, and the hint says which way round."""
        with pytest.raises(InvalidValue) as info:
            compute_totals(currency="EUR", lines=[line(1, "1")], tax_currency="GBP")

        assert "tax_exchange_rate" == info.value.field
        assert "GBP per EUR" in str(info.value)


class TestStatedVat:
    def test_within_one_unit(self) -> None:
        """A stated BT-117 within one unit replaces the computed one (BR-CO-17 tolerance)."""
        t = compute_totals(
            currency="EUR",
            lines=[line(1, "1.01") for _ in range(3)],
            stated_vat=[StatedVat(vat=FR_STANDARD, amount=eur("0.60"))],
        )

        assert (eur("0.60"), eur("3.63")) == (t.vat_total, t.tax_inclusive_total)

    def test_too_far(self) -> None:
        """A stated VAT more than one unit off is refused."""
        with pytest.raises(DocumentError) as info:
            compute_totals(
                currency="EUR",
                lines=[line(1, "100.00")],
                stated_vat=[StatedVat(vat=FR_STANDARD, amount=eur("18.99"))],
            )

        assert "stated_vat" == info.value.field

    def test_unknown_rate(self) -> None:
        """A stated VAT for a rate no line uses is refused."""
        with pytest.raises(DocumentError) as info:
            compute_totals(
                currency="EUR",
                lines=[line(1, "100.00")],
                stated_vat=[StatedVat(vat=FR_REDUCED, amount=eur("1.00"))],
            )

        assert "stated_vat" == info.value.field

    def test_inclusive_per_line(self) -> None:
        """With TTC prices and VAT per line, a stated VAT keeps the TTC and fixes the HT."""
        t = compute_totals(
            currency="EUR",
            lines=[line(1, "1.01") for _ in range(3)],
            prices_include_vat=True,
            rounding=RoundingPolicy(vat_rounding="per_line"),
            stated_vat=[StatedVat(vat=FR_STANDARD, amount=eur("0.50"))],
        )

        assert ([("S 20%", Decimal("2.53"), Decimal("0.50"))], eur("3.03")) == (
            breakdown(t),
            t.tax_inclusive_total,
        )
        assert [eur("0.85"), eur("0.84"), eur("0.84")] == [x.net for x in t.lines]

    def test_inclusive_per_line_too_far(self) -> None:
        """With TTC prices and VAT per line, a stated VAT is held to the same tolerance."""
        with pytest.raises(DocumentError) as info:
            compute_totals(
                currency="EUR",
                lines=[line(1, "120.00")],
                prices_include_vat=True,
                rounding=RoundingPolicy(vat_rounding="per_line"),
                stated_vat=[StatedVat(vat=FR_STANDARD, amount=eur("18.99"))],
            )

        assert "stated_vat" == info.value.field


class TestVatGroups:
    def test_equal_rates_in_distinct_objects_make_one_group(self) -> None:
        """BG-23 is per (category, rate) value: a copy of FR_STANDARD joins its group."""
        copy = attrs.evolve(FR_STANDARD)
        t = compute_totals(
            currency="EUR", lines=[line(1, "1.01"), line(1, "1.01", copy), line(1, "1.01")]
        )

        assert [("S 20%", Decimal("3.03"), Decimal("0.61"))] == breakdown(t)

    def test_groups_in_order_of_first_use(self) -> None:
        """The breakdown lists the rates in the order the lines first use them."""
        t = compute_totals(
            currency="EUR",
            lines=[line(1, "1.00", FR_REDUCED), line(1, "2.00"), line(1, "3.00", FR_REDUCED)],
        )

        assert [
            ("S 5.5%", Decimal("4.00"), Decimal("0.22")),
            ("S 20%", Decimal("2.00"), Decimal("0.40")),
        ] == breakdown(t)

    def test_inclusive_spread_does_not_depend_on_object_identity(self) -> None:
        """TTC 3 × 1.04 @20 %: HT 2.60 spreads 0.87, 0.87, 0.86 whichever objects hold the rate."""
        copy = attrs.evolve(FR_STANDARD)
        shared = compute_totals(
            currency="EUR", lines=[line(1, "1.04") for _ in range(3)], prices_include_vat=True
        )
        mixed = compute_totals(
            currency="EUR",
            lines=[line(1, "1.04"), line(1, "1.04", copy), line(1, "1.04")],
            prices_include_vat=True,
        )

        assert [eur("0.87"), eur("0.87"), eur("0.86")] == [x.net for x in shared.lines]
        assert [x.net for x in shared.lines] == [x.net for x in mixed.lines]


class TestTotals:
    def test_rebuilt_totals_must_add_up(self) -> None:
        """BR-CO-13 with BG-23: VAT group bases that miss BT-109 are refused, even from storage."""
        t = worked_example()
        wrong = ((FR_STANDARD, Decimal("120.91"), Decimal("24.18")), t.vat_groups[1])
        with pytest.raises(DocumentError) as info:
            attrs.evolve(t, vat_groups=wrong)

        assert "vat_groups" == info.value.field

    def test_rebuilt_vat_must_add_up(self) -> None:
        """BR-CO-14: a stored BT-110 that is not Σ BT-117 is refused, even from storage."""
        t = worked_example()
        wrong = ((FR_STANDARD, Decimal("120.90"), Decimal("24.19")), t.vat_groups[1])
        with pytest.raises(DocumentError) as info:
            attrs.evolve(t, vat_groups=wrong)

        assert "BR-CO-14" == info.value.field

    def test_derived_totals_hold_by_construction(self) -> None:
        """BR-CO-13/15/16: BT-109, BT-112 and BT-115 are derived, so they cannot disagree."""
        t = worked_example()
        changed = attrs.evolve(
            t,
            vat_groups=((FR_STANDARD, Decimal("120.90"), Decimal("24.19")), t.vat_groups[1]),
            bt110=Decimal("25.51"),
        )

        assert changed.bt109 + Decimal("25.51") == changed.bt112
        assert changed.bt112 - changed.bt113 + changed.bt114 == changed.bt115

    def test_trusted_build_sets_every_field_in_place(self) -> None:
        """The unchecked fast path gives each field its own value, as the constructor does."""
        fields = {
            "currency": currency("EUR"),
            "line_nets": (Decimal("10.00"),),
            "line_adjustments": ((0, Decimal("11.00"), (Decimal("1.00"),), ()),),
            "allowances": (),
            "charges": (AppliedAdjustment(is_charge=True, amount=eur("2.00"), vat=FR_STANDARD),),
            "vat_groups": ((FR_STANDARD, Decimal("12.00"), Decimal("2.40")),),
            "bt106": Decimal("10.00"),
            "bt107": Decimal("0.00"),
            "bt108": Decimal("2.00"),
            "bt110": Decimal("2.40"),
            "bt113": Decimal("3.00"),
            "bt114": Decimal("0.01"),
            "vat_total_tax_currency": to_money("25.00", "SEK"),
        }
        trusted = Totals._trusted(**fields)  # type: ignore[arg-type]

        assert Totals(**fields) == trusted  # type: ignore[arg-type]
        assert fields == {f.name: getattr(trusted, f.name) for f in attrs.fields(Totals)}

    def test_evolve_identity(self) -> None:
        """A consistent Totals can be rebuilt as is."""
        t = worked_example()

        assert t == attrs.evolve(t)

    @settings(max_examples=50, deadline=None)
    @given(invoices())
    def test_en16931_arithmetic(self, invoice: Invoice) -> None:
        """Property: BR-CO-13/15/16 and Σ BT-116 = BT-109 hold for any invoice."""
        t = invoice.totals()

        assert t.tax_exclusive_total == t.line_net_total - t.allowance_total + t.charge_total
        assert t.tax_inclusive_total == t.tax_exclusive_total + t.vat_total
        assert t.amount_due == t.tax_inclusive_total - t.prepaid_total + t.rounding_amount
        assert t.tax_exclusive_total.amount == sum(
            (b.taxable.amount for b in t.vat_breakdown), Decimal(0)
        )
