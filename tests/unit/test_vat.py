"""Tests for facturlib.core.vat: VAT categories, rates, exemption mentions and presets."""

from __future__ import annotations

from decimal import Decimal

import pytest

from facturlib.core.errors import FloatNotAllowed, InvalidValue, VatError
from facturlib.core.vat import (
    FR_FRANCHISE,
    FR_INTERMEDIATE,
    FR_REDUCED,
    FR_STANDARD,
    FR_SUPER_REDUCED,
    FR_VAT_RATES,
    VatCategory,
    VatRate,
)

ZERO_RATED_WITH_REASON = [VatCategory.E, VatCategory.AE, VatCategory.K, VatCategory.G]


class TestVatCategory:
    def test_codes(self) -> None:
        """Category codes are the UNTDID 5305 subset of EN 16931 (DOMAIN.md §3.2)."""
        assert ["S", "Z", "E", "AE", "K", "G", "O", "L", "M"] == [c.value for c in VatCategory]

    @pytest.mark.parametrize(
        ("category", "needs"),
        [
            (VatCategory.S, False),
            (VatCategory.Z, False),
            (VatCategory.E, True),
            (VatCategory.AE, True),
            (VatCategory.K, True),
            (VatCategory.G, True),
            (VatCategory.O, True),
            (VatCategory.L, False),
            (VatCategory.M, False),
        ],
    )
    def test_needs_exemption_reason(self, category: VatCategory, needs: bool) -> None:
        """E, AE, K, G, O need BT-120 or BT-121 (BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10)."""
        assert needs == category.needs_exemption_reason


class TestVatRate:
    def test_standard(self) -> None:
        """S with a positive rate and no reason is valid (BR-S-05, DOMAIN.md §3.2)."""
        rate = VatRate(category="S", percent="20")

        assert (VatCategory.S, Decimal("20"), None, None) == (
            rate.category,
            rate.percent,
            rate.exemption_reason,
            rate.exemption_code,
        )

    def test_category_from_lowercase(self) -> None:
        """A category may be given by its code, case-insensitively."""
        assert (
            VatCategory.AE
            == VatRate(category=" ae ", percent=0, exemption_code="VATEX-EU-AE").category
        )

    def test_unknown_category(self) -> None:
        """An unknown category is refused, listing UNTDID 5305 codes (BR-CL-17)."""
        with pytest.raises(VatError) as info:
            VatRate(category="X", percent="20")

        assert "category" == info.value.field
        assert "X" == info.value.value
        assert "UNTDID 5305" in str(info.value)

    @pytest.mark.parametrize("percent", ["0", "0.00"])
    def test_standard_needs_positive_rate(self, percent: str) -> None:
        """BR-S-05: a standard-rated item has a rate above zero (DOMAIN.md §3.2)."""
        with pytest.raises(VatError) as info:
            VatRate(category=VatCategory.S, percent=percent)

        assert "percent" == info.value.field
        assert "BR-S-05" in str(info.value)

    def test_standard_refuses_reason(self) -> None:
        """BR-S-10: a standard-rated breakdown has no exemption reason (DOMAIN.md §3.2)."""
        with pytest.raises(VatError) as info:
            VatRate(category=VatCategory.S, percent="20", exemption_reason="Exonération")

        assert "exemption_reason" == info.value.field
        assert "BR-S-10" in str(info.value)

    def test_standard_refuses_code(self) -> None:
        """BR-S-10: no VATEX code on a standard rate either."""
        with pytest.raises(VatError):
            VatRate(category=VatCategory.S, percent="20", exemption_code="VATEX-EU-AE")

    def test_zero_rated(self) -> None:
        """Z has a 0 % rate and no reason (BR-Z-05, BR-Z-10)."""
        assert Decimal(0) == VatRate(category=VatCategory.Z, percent=0).percent

    def test_zero_rated_refuses_rate(self) -> None:
        """BR-Z-05: Z is at 0 %."""
        with pytest.raises(VatError) as info:
            VatRate(category=VatCategory.Z, percent="5.5")

        assert "percent" == info.value.field
        assert "BR-Z-05" in str(info.value)

    def test_zero_rated_refuses_reason(self) -> None:
        """BR-Z-10: Z carries no exemption reason."""
        with pytest.raises(VatError) as info:
            VatRate(category=VatCategory.Z, percent=0, exemption_reason="Zero")

        assert "BR-Z-10" in str(info.value)

    @pytest.mark.parametrize("category", ZERO_RATED_WITH_REASON)
    def test_exempt_categories_need_zero_rate(self, category: VatCategory) -> None:
        """E, AE, K and G have a 0 % rate (BR-E-05, BR-AE-05, BR-IC-05, BR-G-05)."""
        with pytest.raises(VatError) as info:
            VatRate(category=category, percent="20", exemption_reason="Motif")

        assert "percent" == info.value.field
        assert "-05" in str(info.value)

    @pytest.mark.parametrize("category", [*ZERO_RATED_WITH_REASON, VatCategory.O])
    def test_exempt_categories_need_reason(self, category: VatCategory) -> None:
        """E/AE/K/G/O need a reason text or code (BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10)."""
        percent = None if category is VatCategory.O else 0
        with pytest.raises(VatError) as info:
            VatRate(category=category, percent=percent)

        assert "exemption_reason" == info.value.field
        assert "-10" in str(info.value)
        assert "293 B" in str(info.value)

    @pytest.mark.parametrize("category", ZERO_RATED_WITH_REASON)
    def test_reason_text_is_enough(self, category: VatCategory) -> None:
        """BT-120 alone satisfies BR-x-10."""
        rate = VatRate(category=category, percent=0, exemption_reason="Motif légal")

        assert ("Motif légal", None) == (rate.exemption_reason, rate.exemption_code)

    @pytest.mark.parametrize("category", ZERO_RATED_WITH_REASON)
    def test_reason_code_is_enough(self, category: VatCategory) -> None:
        """BT-121 alone satisfies BR-x-10."""
        rate = VatRate(category=category, percent=0, exemption_code="VATEX-EU-79-C")

        assert "VATEX-EU-79-C" == rate.exemption_code

    def test_blank_reason_is_no_reason(self) -> None:
        """A blank BT-120 counts as missing (BR-E-10)."""
        with pytest.raises(VatError):
            VatRate(category=VatCategory.E, percent=0, exemption_reason="   ")

    def test_outside_scope_has_no_rate(self) -> None:
        """BR-O-05: category O has no rate at all."""
        with pytest.raises(VatError) as info:
            VatRate(category=VatCategory.O, percent=0, exemption_code="VATEX-EU-O")

        assert "percent" == info.value.field
        assert "BR-O-05" in str(info.value)

    def test_outside_scope(self) -> None:
        """O without a rate and with a reason is valid; its fraction is 0."""
        rate = VatRate(category=VatCategory.O, percent=None, exemption_code="VATEX-EU-O")

        assert (None, Decimal(0), "O") == (rate.percent, rate.rate, rate.label)

    @pytest.mark.parametrize("category", [VatCategory.S, VatCategory.E, VatCategory.Z])
    def test_rate_needed_except_for_o(self, category: VatCategory) -> None:
        """Every category but O needs a rate (BT-119)."""
        with pytest.raises(VatError) as info:
            VatRate(category=category, percent=None)

        assert "percent" == info.value.field

    @pytest.mark.parametrize("percent", ["-1", "100", "120"])
    def test_rate_range(self, percent: str) -> None:
        """A rate is a percentage from 0 to under 100, written 20 for 20 %."""
        with pytest.raises(VatError) as info:
            VatRate(category=VatCategory.S, percent=percent)

        assert "percent" == info.value.field

    def test_rate_float_refused(self) -> None:
        """A float rate raises FloatNotAllowed (STYLE.md "Money and rounding")."""
        with pytest.raises(FloatNotAllowed) as info:
            VatRate.standard(20.0)  # type: ignore[arg-type]

        assert "percent" == info.value.field

    def test_rate_too_many_decimals(self) -> None:
        """A VAT rate has at most 4 decimals."""
        with pytest.raises(InvalidValue) as info:
            VatRate.standard("5.50001")

        assert "percent" == info.value.field

    @pytest.mark.parametrize("category", [VatCategory.L, VatCategory.M])
    def test_canary_and_ceuta(self, category: VatCategory) -> None:
        """L (IGIC) and M (IPSI) take a rate and no reason (DOMAIN.md §3.2)."""
        assert Decimal("7") == VatRate(category=category, percent="7").percent

    def test_rate_fraction(self) -> None:
        """rate is the percentage as a fraction: 5.5 % → 0.055."""
        assert Decimal("0.055") == FR_REDUCED.rate

    @pytest.mark.parametrize(
        ("rate", "label"),
        [
            (FR_STANDARD, "S 20%"),
            (FR_REDUCED, "S 5.5%"),
            (VatRate.standard("20.00"), "S 20%"),
            (FR_FRANCHISE, "E 0%"),
        ],
    )
    def test_label(self, rate: VatRate, label: str) -> None:
        """The label shows category and normalised rate."""
        assert label == rate.label

    def test_equal_rates_are_one_group(self) -> None:
        """ "20" and "20.00" are the same (category, rate) pair, so one BG-23 (BR-CO-17)."""
        assert FR_STANDARD == VatRate.standard("20.00")
        assert hash(FR_STANDARD) == hash(VatRate.standard("20.00"))

    def test_standard_constructor(self) -> None:
        """VatRate.standard builds an S rate."""
        assert VatRate(category=VatCategory.S, percent="10") == VatRate.standard("10")

    def test_exempt_constructor(self) -> None:
        """VatRate.exempt builds E with its legal mention (BR-E-10)."""
        rate = VatRate.exempt("Exonération de TVA, art. 261-4-4° du CGI")

        assert (VatCategory.E, Decimal(0), "Exonération de TVA, art. 261-4-4° du CGI") == (
            rate.category,
            rate.percent,
            rate.exemption_reason,
        )

    def test_reverse_charge(self) -> None:
        """AE: "Autoliquidation", VATEX-EU-AE, 0 % (DOMAIN.md §3.2)."""
        rate = VatRate.reverse_charge()

        assert (VatCategory.AE, Decimal(0), "Autoliquidation", "VATEX-EU-AE") == (
            rate.category,
            rate.percent,
            rate.exemption_reason,
            rate.exemption_code,
        )

    def test_reverse_charge_french_code(self) -> None:
        """AE may carry the French VATEX code instead (VATEX-FR-AE)."""
        assert "VATEX-FR-AE" == VatRate.reverse_charge(code="VATEX-FR-AE").exemption_code

    def test_intra_eu_goods(self) -> None:
        """K: "Exonération de TVA, article 262 ter I du CGI", VATEX-EU-IC (DOMAIN.md §3.2)."""
        rate = VatRate.intra_eu_goods()

        assert (
            VatCategory.K,
            "Exonération de TVA, article 262 ter I du CGI",
            "VATEX-EU-IC",
        ) == (rate.category, rate.exemption_reason, rate.exemption_code)

    def test_export(self) -> None:
        """G: "Exonération de TVA, article 262 I du CGI", VATEX-EU-G (DOMAIN.md §3.2)."""
        rate = VatRate.export()

        assert (VatCategory.G, "Exonération de TVA, article 262 I du CGI", "VATEX-EU-G") == (
            rate.category,
            rate.exemption_reason,
            rate.exemption_code,
        )

    def test_outside_scope_constructor(self) -> None:
        """O: no rate, VATEX-EU-O (BR-O-05, BR-O-10)."""
        rate = VatRate.outside_scope()

        assert (VatCategory.O, None, "VATEX-EU-O") == (
            rate.category,
            rate.percent,
            rate.exemption_code,
        )

    def test_custom_mention(self) -> None:
        """A custom mention replaces the default (e.g. subcontracting, CGI 283-2 nonies)."""
        rate = VatRate.reverse_charge("Autoliquidation, art. 283-2 nonies du CGI")

        assert "Autoliquidation, art. 283-2 nonies du CGI" == rate.exemption_reason

    def test_immutable(self) -> None:
        """A VatRate is a frozen value object (STYLE.md "Value objects")."""
        with pytest.raises(AttributeError):
            FR_STANDARD.percent = Decimal(10)  # type: ignore[misc]


class TestFrenchPresets:
    @pytest.mark.parametrize(
        ("rate", "percent"),
        [
            (FR_STANDARD, "20"),
            (FR_INTERMEDIATE, "10"),
            (FR_REDUCED, "5.5"),
            (FR_SUPER_REDUCED, "2.1"),
        ],
    )
    def test_mainland_rates(self, rate: VatRate, percent: str) -> None:
        """Mainland France: 20 % (CGI 278), 10 % (279), 5.5 % (278-0 bis), 2.1 % (281 quater)."""
        assert (VatCategory.S, Decimal(percent)) == (rate.category, rate.percent)

    def test_all_rates_highest_first(self) -> None:
        """FR_VAT_RATES lists the four mainland rates, highest first (DOMAIN.md §3.1)."""
        assert (FR_STANDARD, FR_INTERMEDIATE, FR_REDUCED, FR_SUPER_REDUCED) == FR_VAT_RATES

    def test_franchise(self) -> None:
        """Franchise en base: "TVA non applicable, art. 293 B du CGI", VATEX-FR-FRANCHISE (§3.2)."""
        assert (
            VatCategory.E,
            Decimal(0),
            "TVA non applicable, art. 293 B du CGI",
            "VATEX-FR-FRANCHISE",
        ) == (
            FR_FRANCHISE.category,
            FR_FRANCHISE.percent,
            FR_FRANCHISE.exemption_reason,
            FR_FRANCHISE.exemption_code,
        )
