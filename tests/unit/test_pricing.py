"""Price books, tiered and volume prices, unit conversions, indexation; figures by hand."""

from __future__ import annotations

import decimal
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from facturlib import (
    FR_STANDARD,
    Indexation,
    IndexSeries,
    Invoice,
    PriceBook,
    PriceEntry,
    PricingError,
    Product,
    Subscription,
    SubscriptionItem,
    Tier,
    TieredPrice,
    Tiering,
    UnitConversion,
    amend,
    issue,
    regenerate,
    schedule,
    to_cii,
    to_money,
)
from facturlib.core.errors import FloatNotAllowed, InvalidValue, ScheduleError
from facturlib.core.numbering import SequenceState
from facturlib.core.serialize import from_json, to_json
from facturlib.testing.builders import sample_buyer, sample_invoice, sample_scheme, sample_seller


def eur(amount: str) -> Any:
    return to_money(amount, "EUR")


def three_tiers(mode: Tiering | str = Tiering.GRADUATED) -> TieredPrice:
    """Up to 10 at 10.00, up to 50 at 8.00, then 6.00."""
    return TieredPrice(
        tiers=[
            Tier(up_to="10", unit_price=eur("10.00")),
            Tier(up_to="50", unit_price=eur("8.00")),
            Tier(unit_price=eur("6.00")),
        ],
        mode=mode,
    )


SEAT = Product(name="Seat", unit_price=eur("10.00"), vat=FR_STANDARD, id="SEAT")
PLAN = Product(name="Plan Pro", unit_price=eur("90.00"), vat=FR_STANDARD, unit="MON", id="PRO")
DAY = date(2025, 3, 1)


def book(*entries: PriceEntry, **fields: Any) -> PriceBook:
    return PriceBook(name="standard", currency="EUR", entries=entries, **fields)


# ----------------------------------------------------------------------------- tiers


class TestTier:
    def test_bound_and_price(self) -> None:
        """A tier keeps its bound and price."""
        tier = Tier(up_to="10", unit_price=eur("10.00"))

        assert (Decimal("10"), eur("10.00")) == (tier.up_to, tier.unit_price)

    @pytest.mark.parametrize(
        "fields",
        [
            {"up_to": "0", "unit_price": eur("1.00")},
            {"up_to": "1.00001", "unit_price": eur("1.00")},
            {"unit_price": eur("-1.00")},
            {"unit_price": eur("1.0000001")},
            {"unit_price": "1.00"},
        ],
    )
    def test_refused(self, fields: dict[str, Any]) -> None:
        """A zero bound, a bound with 5 decimals, a negative or 7-decimal price, no Money."""
        with pytest.raises(PricingError):
            Tier(**fields)

    def test_float_bound(self) -> None:
        """A float bound is refused."""
        with pytest.raises(FloatNotAllowed):
            Tier(up_to=1.5, unit_price=eur("1.00"))


class TestTieredPrice:
    @pytest.mark.parametrize(
        "tiers",
        [
            [],
            [Tier(up_to="10", unit_price=eur("1.00"))],
            [Tier(unit_price=eur("1.00")), Tier(unit_price=eur("2.00"))],
            [
                Tier(up_to="10", unit_price=eur("1.00")),
                Tier(up_to="10", unit_price=eur("1.00")),
                Tier(unit_price=eur("1.00")),
            ],
            [Tier(up_to="10", unit_price=eur("1.00")), Tier(unit_price=to_money("1", "USD"))],
        ],
    )
    def test_refused(self, tiers: list[Tier]) -> None:
        """No tier, a bounded last tier, an unbounded middle tier, equal bounds, two currencies."""
        with pytest.raises(PricingError):
            TieredPrice(tiers=tiers)

    def test_unknown_mode(self) -> None:
        """An unknown mode names the members."""
        with pytest.raises(PricingError, match=r"Tiering\.GRADUATED"):
            three_tiers(mode="stairs")


class TestShares:
    def test_graduated(self) -> None:
        """60 graduated: 10 × 10.00, 40 × 8.00, 10 × 6.00."""
        shares = three_tiers().shares(60)

        assert [
            (Decimal("10"), eur("100.00")),
            (Decimal("40"), eur("320.00")),
            (Decimal("10"), eur("60.00")),
        ] == [(s.quantity, s.amount) for s in shares]
        assert ["tier 1: up to 10", "tier 2: above 10 up to 50", "tier 3: above 50"] == [
            s.label for s in shares
        ]

    def test_graduated_on_a_bound(self) -> None:
        """Exactly 10 stays in the first tier (the bound is included)."""
        assert [Decimal("10")] == [s.quantity for s in three_tiers().shares(10)]

    def test_graduated_decimal_quantity(self) -> None:
        """10.5 graduated: 10 × 10.00 and 0.5 × 8.00."""
        assert [eur("100.00"), eur("4.000")] == [s.amount for s in three_tiers().shares("10.5")]

    def test_volume(self) -> None:
        """60 by volume: one share, 60 × 6.00."""
        shares = three_tiers(Tiering.VOLUME).shares(60)

        assert [(Decimal("60"), eur("6.00"), eur("360.00"))] == [
            (s.quantity, s.unit_price, s.amount) for s in shares
        ]

    def test_zero(self) -> None:
        """Nothing is billed for 0."""
        assert () == three_tiers().shares(0)

    @pytest.mark.parametrize("quantity", ["-1", "1.00001", "abc"])
    def test_refused(self, quantity: str) -> None:
        """A negative quantity, 5 decimals, not a number."""
        with pytest.raises(PricingError if quantity != "abc" else ValueError):
            three_tiers().shares(quantity)


class TestAmount:
    @pytest.mark.parametrize(
        ("quantity", "graduated", "volume"),
        [
            ("1", "10.00", "10.00"),
            ("10", "100.00", "100.00"),
            ("11", "108.00", "88.00"),
            ("50", "420.00", "400.00"),
            ("60", "480.00", "360.00"),
        ],
    )
    def test_by_hand(self, quantity: str, graduated: str, volume: str) -> None:
        """Graduated 11 = 100 + 8 = 108; volume 11 = 11 × 8 = 88 (less than 10 × 10)."""
        assert (eur(graduated), eur(volume)) == (
            three_tiers().amount(quantity),
            three_tiers(Tiering.VOLUME).amount(quantity),
        )


class TestMapPrices:
    def test_every_tier(self) -> None:
        """Every tier's price goes through the change."""
        doubled = three_tiers().map_prices(lambda p: p * 2)

        assert [eur("20.00"), eur("16.00"), eur("12.00")] == [t.unit_price for t in doubled.tiers]


# ------------------------------------------------------------------- unit conversion


class TestUnitConversion:
    def test_price(self) -> None:
        """29.90 a month is 358.80 a year."""
        yearly = UnitConversion(unit="ANN", base_unit="MON", factor=12)

        assert eur("358.80") == yearly.price(eur("29.90"))

    def test_base_price(self) -> None:
        """358.80 a year is 29.90 a month."""
        yearly = UnitConversion(unit="ANN", base_unit="MON", factor=12)

        assert eur("29.90") == yearly.base_price(eur("358.80"))

    def test_base_price_inexact(self) -> None:
        """100.00 a year is not an exact monthly price."""
        yearly = UnitConversion(unit="ANN", base_unit="MON", factor=12)

        with pytest.raises(PricingError, match="not an exact decimal"):
            yearly.base_price(eur("100.00"))

    def test_not_money(self) -> None:
        """A price that is not Money is refused, naming the argument."""
        yearly = UnitConversion(unit="ANN", base_unit="MON", factor=12)

        with pytest.raises(PricingError, match="base_price"):
            yearly.price("29.90")  # type: ignore[arg-type]

    def test_quantities(self) -> None:
        """2 years are 24 months; 18 months are 1.5 years."""
        yearly = UnitConversion(unit="ANN", base_unit="MON", factor=12)

        assert (Decimal(24), Decimal("1.5")) == (yearly.quantity(2), yearly.unit_quantity(18))

    @pytest.mark.parametrize(
        "fields",
        [
            {"unit": "ANN", "base_unit": "ANN", "factor": 1},
            {"unit": "ANN", "base_unit": "MON", "factor": 0},
            {"unit": "year", "base_unit": "MON", "factor": 12},
        ],
    )
    def test_refused(self, fields: dict[str, Any]) -> None:
        """Same units, a zero factor, a unit that is not a UNECE code."""
        with pytest.raises(InvalidValue):
            UnitConversion(**fields)


# ------------------------------------------------------------------------ indexation

SYNTEC = IndexSeries(
    name="Syntec (example values)",
    values={date(2025, 1, 1): "250.0", date(2025, 12, 1): "262.5", date(2026, 12, 1): "270.0"},
)


class TestIndexSeries:
    def test_value_on(self) -> None:
        """The last value dated on or before the day."""
        assert [Decimal("250.0"), Decimal("262.5"), Decimal("262.5")] == [
            SYNTEC.value_on(date(2025, 11, 30)),
            SYNTEC.value_on(date(2025, 12, 1)),
            SYNTEC.value_on(date(2026, 6, 1)),
        ]

    def test_before_first(self) -> None:
        """Before the first value there is none."""
        with pytest.raises(PricingError, match="first value is dated 2025-01-01"):
            SYNTEC.value_on(date(2024, 12, 31))

    @pytest.mark.parametrize(
        "values",
        [
            {},
            {date(2025, 1, 1): "0"},
            [(date(2025, 1, 1), "1"), (date(2025, 1, 1), "2")],
            [("2025-01-01", "1")],
            [(date(2025, 1, 1),)],
        ],
    )
    def test_refused(self, values: Any) -> None:
        """Empty, a zero value, two values on one date, a string date, not pairs."""
        with pytest.raises(PricingError):
            IndexSeries(name="X", values=values)

    def test_float_value(self) -> None:
        """A float value is refused."""
        with pytest.raises(FloatNotAllowed):
            IndexSeries(name="X", values={date(2025, 1, 1): 250.5})


class TestRevise:
    def test_syntec(self) -> None:
        """650.00 × 262.5 / 250.0 = 682.50."""
        clause = Indexation(series=SYNTEC, base_value="250.0")

        assert eur("682.50") == clause.revise(eur("650.00"), "262.5")

    def test_fixed_part(self) -> None:
        """650.00 × (0.15 + 0.85 × 1.05) = 677.625 → 677.63 half up, 677.62 half even."""
        clause = Indexation(series=SYNTEC, base_value="250.0", fixed="0.15", variable="0.85")
        even = Indexation(
            series=SYNTEC,
            base_value="250.0",
            fixed="0.15",
            variable="0.85",
            rounding=decimal.ROUND_HALF_EVEN,
        )

        assert (eur("677.63"), eur("677.62")) == (
            clause.revise(eur("650.00"), "262.5"),
            even.revise(eur("650.00"), "262.5"),
        )

    def test_inexact_ratio(self) -> None:
        """1000.00 × 256.4 / 247.8 = 1034.7054… → 1034.71; ratio at 3 decimals 1.035 → 1035.00."""
        exact = Indexation(series=SYNTEC, base_value="247.8")
        stated = Indexation(series=SYNTEC, base_value="247.8", ratio_places=3)

        assert (eur("1034.71"), eur("1035.00")) == (
            exact.revise(eur("1000.00"), "256.4"),
            stated.revise(eur("1000.00"), "256.4"),
        )

    def test_unchanged_index(self) -> None:
        """S = S0 gives P0."""
        clause = Indexation(series=SYNTEC, base_value="250.0", fixed="0.2", variable="0.8")

        assert eur("650.00") == clause.revise(eur("650.00"), "250.0")

    def test_price_with_more_decimals_than_stated(self) -> None:
        """P0 with 3 decimals under a 2-decimal clause is refused."""
        clause = Indexation(series=SYNTEC, base_value="250.0")

        with pytest.raises(PricingError, match="at most 2 decimals"):
            clause.revise(eur("650.005"), "262.5")


class TestIndexation:
    @pytest.mark.parametrize(
        "fields",
        [
            {"fixed": "0.2", "variable": "0.7"},
            {"fixed": "-0.1", "variable": "1.1"},
            {"base_value": "0"},
            {"places": 7},
            {"places": True},
            {"rounding": "half"},
            {"revisions": [date(2026, 1, 1), date(2025, 1, 1)]},
            {"revisions": ["2026-01-01"]},
            {"series": "Syntec"},
        ],
    )
    def test_refused(self, fields: dict[str, Any]) -> None:
        """a + b ≠ 1, a negative part, S0 = 0, bad places or rounding, unordered or text dates."""
        values: dict[str, Any] = {"series": SYNTEC, "base_value": "250.0"}
        values.update(fields)
        with pytest.raises(PricingError):
            Indexation(**values)


class TestPriceOn:
    def test_revisions(self) -> None:
        """P0 before the first revision; then the index in force on the last revision date."""
        clause = Indexation(
            series=SYNTEC, base_value="250.0", revisions=[date(2026, 1, 1), date(2027, 1, 1)]
        )

        assert [eur("650.00"), eur("682.50"), eur("682.50"), eur("702.00")] == [
            clause.price_on(eur("650.00"), date(2025, 12, 31)),
            clause.price_on(eur("650.00"), date(2026, 1, 1)),
            clause.price_on(eur("650.00"), date(2026, 12, 31)),
            clause.price_on(eur("650.00"), date(2027, 3, 1)),
        ]


# ------------------------------------------------------------------------ price book


class TestPriceEntry:
    @pytest.mark.parametrize(
        "fields",
        [
            {"minimum_quantity": "0"},
            {"bill_minimum": True},
            {"discount": "0"},
            {"discount": "100"},
            {"valid_from": date(2025, 2, 1), "valid_until": date(2025, 2, 1)},
            {"unit": "month"},
            {"indexation": "Syntec"},
            {"price": eur("-1.00")},
            {"product": "  "},
        ],
    )
    def test_refused(self, fields: dict[str, Any]) -> None:
        """No minimum of 0, bill_minimum alone, a 0 or 100 % discount, an empty window…"""
        values: dict[str, Any] = {"product": "SEAT", "price": eur("10.00")}
        values.update(fields)
        with pytest.raises(InvalidValue):
            PriceEntry(**values)


class TestPriceBook:
    def test_other_currency(self) -> None:
        """A USD price in a EUR book is refused."""
        with pytest.raises(PricingError, match="a price in USD in a EUR book"):
            book(PriceEntry(product="SEAT", price=to_money("1.00", "USD")))

    def test_overlap(self) -> None:
        """Two windows of one product must not overlap."""
        with pytest.raises(PricingError, match="overlap"):
            book(
                PriceEntry(product="SEAT", price=eur("1.00"), valid_until=date(2025, 7, 2)),
                PriceEntry(product="SEAT", price=eur("2.00"), valid_from=date(2025, 7, 1)),
            )

    def test_same_conversion_twice(self) -> None:
        """Two conversions between the same units are refused."""
        with pytest.raises(PricingError, match="same units"):
            book(
                conversions=[
                    UnitConversion(unit="ANN", base_unit="MON", factor=12),
                    UnitConversion(unit="MON", base_unit="ANN", factor="0.5"),
                ]
            )


def dated_book() -> PriceBook:
    return book(
        PriceEntry(product="PRO", price=eur("90.00"), valid_until=date(2025, 7, 1)),
        PriceEntry(product="PRO", price=eur("99.00"), valid_from=date(2025, 7, 1)),
    )


class TestEntry:
    def test_window(self) -> None:
        """The price of 30 June and of 1 July (valid_until excluded)."""
        assert (eur("90.00"), eur("99.00")) == (
            dated_book().entry(PLAN, on=date(2025, 6, 30)).price,
            dated_book().entry("PRO", on=date(2025, 7, 1)).price,
        )

    def test_no_price_that_day(self) -> None:
        """A product without a price that day: the message lists its windows."""
        shortened = book(PriceEntry(product="PRO", price=eur("90.00"), valid_from=DAY))

        with pytest.raises(PricingError, match="its prices apply 2025-03-01 to …"):
            shortened.entry(PLAN, on=date(2025, 1, 1))

    def test_unknown_product(self) -> None:
        """A product the book does not know."""
        with pytest.raises(PricingError, match="add a PriceEntry"):
            dated_book().entry(SEAT, on=DAY)


class TestLines:
    def test_unit_price(self) -> None:
        """3 at 90.00: one line from the product, priced by the book."""
        (line,) = dated_book().lines(PLAN, 3, on=DAY)

        assert ("Plan Pro", Decimal(3), eur("90.00"), "MON", "PRO") == (
            line.description,
            line.quantity,
            line.unit_price,
            line.unit,
            line.product_id,
        )

    def test_graduated(self) -> None:
        """60 graduated: three lines, their nets 100 + 320 + 60 = 480.00."""
        lines = book(PriceEntry(product="SEAT", price=three_tiers())).lines(SEAT, 60, on=DAY)
        invoice = sample_invoice(lines=lines)

        assert ["Tier 1: up to 10", "Tier 2: above 10 up to 50", "Tier 3: above 50"] == [
            line.note for line in lines
        ]
        assert eur("480.00") == invoice.totals().tax_exclusive_total

    def test_volume(self) -> None:
        """60 by volume: one line, 60 × 6.00."""
        lines = book(PriceEntry(product="SEAT", price=three_tiers("volume"))).lines(
            SEAT, 60, on=DAY
        )

        assert [(Decimal(60), eur("6.00"))] == [(x.quantity, x.unit_price) for x in lines]

    def test_overrides(self) -> None:
        """Line fields can be overridden (the note here)."""
        (line,) = dated_book().lines(PLAN, 1, on=DAY, note="March")

        assert "March" == line.note

    def test_minimum_refused(self) -> None:
        """3 seats where the minimum is 5."""
        minimum = book(PriceEntry(product="SEAT", price=eur("10.00"), minimum_quantity=5))

        with pytest.raises(PricingError, match="sold from 5 C62"):
            minimum.lines(SEAT, 3, on=DAY)

    def test_minimum_billed(self) -> None:
        """3 seats where 5 are billed at least: 5 × 10.00, said in the note."""
        minimum = book(
            PriceEntry(product="SEAT", price=eur("10.00"), minimum_quantity=5, bill_minimum=True)
        )

        (line,) = minimum.lines(SEAT, 3, on=DAY)

        assert (Decimal(5), "Minimum quantity billed: 5 C62") == (line.quantity, line.note)

    def test_discount(self) -> None:
        """A partner book at 20 %: 90.00 with a 20 % allowance, net 72.00."""
        partner = book(
            PriceEntry(product="PRO", price=eur("90.00"), discount="20", discount_reason="Partner")
        )

        (line,) = partner.lines(PLAN, 1, on=DAY)

        assert (Decimal(20), "Partner", eur("72.00")) == (
            line.discounts[0].percent,
            line.discounts[0].reason,
            sample_invoice(lines=[line]).totals().tax_exclusive_total,
        )

    def test_sold_by_the_year(self) -> None:
        """A monthly 90.00 sold by the year: 1 ANN at 1080.00."""
        yearly = book(
            PriceEntry(product="PRO", price=eur("90.00")),
            conversions=[UnitConversion(unit="ANN", base_unit="MON", factor=12)],
        )

        (line,) = yearly.lines(PLAN, 1, on=DAY, unit="ANN")

        assert ("ANN", eur("1080.00")) == (line.unit, line.unit_price)

    def test_converted_back(self) -> None:
        """A yearly 1200.00 sold by the month: 100.00; 1000.00 a year has no exact month."""
        monthly = book(
            PriceEntry(product="PRO", price=eur("1200.00"), unit="ANN"),
            conversions=[UnitConversion(unit="ANN", base_unit="MON", factor=12)],
        )
        inexact = book(
            PriceEntry(product="PRO", price=eur("1000.00"), unit="ANN"),
            conversions=[UnitConversion(unit="ANN", base_unit="MON", factor=12)],
        )

        assert eur("100.00") == monthly.line(PLAN, 1, on=DAY, unit="MON").unit_price
        with pytest.raises(PricingError, match="not an exact decimal"):
            inexact.line(PLAN, 1, on=DAY, unit="MON")

    def test_unit_without_conversion(self) -> None:
        """Selling in a unit the book cannot convert to."""
        with pytest.raises(PricingError, match="add UnitConversion"):
            dated_book().lines(PLAN, 1, on=DAY, unit="ANN")

    def test_graduated_in_another_unit(self) -> None:
        """Graduated tiers are sold in their own unit."""
        tiers = book(
            PriceEntry(product="SEAT", price=three_tiers()),
            conversions=[UnitConversion(unit="ANN", base_unit="C62", factor=12)],
        )

        with pytest.raises(PricingError, match="unit of its tiers"):
            tiers.lines(SEAT, 1, on=DAY, unit="ANN")

    def test_indexed(self) -> None:
        """An indexed price: 90.00 × 262.5/250.0 = 94.50 from the revision on."""
        clause = Indexation(series=SYNTEC, base_value="250.0", revisions=[date(2026, 1, 1)])
        indexed = book(PriceEntry(product="PRO", price=eur("90.00"), indexation=clause))

        assert (eur("90.00"), eur("94.50")) == (
            indexed.line(PLAN, 1, on=date(2025, 12, 31)).unit_price,
            indexed.line(PLAN, 1, on=date(2026, 1, 1)).unit_price,
        )

    def test_indexed_tiers(self) -> None:
        """Indexation revises every tier: 10.00 → 10.50, 8.00 → 8.40, 6.00 → 6.30."""
        clause = Indexation(series=SYNTEC, base_value="250.0", revisions=[date(2026, 1, 1)])
        indexed = book(PriceEntry(product="SEAT", price=three_tiers(), indexation=clause))

        lines = indexed.lines(SEAT, 60, on=date(2026, 2, 1))

        assert [eur("10.50"), eur("8.40"), eur("6.30")] == [x.unit_price for x in lines]

    @pytest.mark.parametrize("quantity", ["0", "-2"])
    def test_quantity_refused(self, quantity: str) -> None:
        """A price book prices positive quantities."""
        with pytest.raises(PricingError, match="positive quantity"):
            dated_book().lines(PLAN, quantity, on=DAY)

    def test_not_a_product(self) -> None:
        """A product key is not enough to make a line."""
        with pytest.raises(PricingError, match="Product"):
            dated_book().lines("PRO", 1, on=DAY)  # type: ignore[arg-type]


class TestLine:
    def test_graduated_exact_average(self) -> None:
        """20 graduated: 100 + 80 = 180.00, one line at 9.00, the tiers in its note."""
        line = book(PriceEntry(product="SEAT", price=three_tiers())).line(SEAT, 20, on=DAY)

        assert (Decimal(20), eur("9.00"), "Graduated price: 10 × 10.00 + 10 × 8.00") == (
            line.quantity,
            line.unit_price,
            line.note,
        )

    def test_graduated_inexact_average(self) -> None:
        """15 graduated: 140.00 / 15 = 9.333… cannot be one line."""
        with pytest.raises(PricingError, match=r"use PriceBook\.lines"):
            book(PriceEntry(product="SEAT", price=three_tiers())).line(SEAT, 15, on=DAY)

    def test_one_tier_reached(self) -> None:
        """5 graduated stay in the first tier: 5 × 10.00, no note."""
        line = book(PriceEntry(product="SEAT", price=three_tiers())).line(SEAT, 5, on=DAY)

        assert (eur("10.00"), None) == (line.unit_price, line.note)


class TestUnitPrice:
    def test_net_of_discount(self) -> None:
        """90.00 less 20 % is 72.00."""
        partner = book(PriceEntry(product="PRO", price=eur("90.00"), discount="20"))

        assert eur("72.00") == partner.unit_price(PLAN, on=DAY)

    def test_volume(self) -> None:
        """The price of the tier 60 reaches."""
        volume = book(PriceEntry(product="SEAT", price=three_tiers("volume")))

        assert eur("6.00") == volume.unit_price(SEAT, 60, on=DAY)

    def test_below_billed_minimum(self) -> None:
        """A unit price cannot bill a minimum."""
        minimum = book(
            PriceEntry(product="SEAT", price=eur("10.00"), minimum_quantity=5, bill_minimum=True)
        )

        with pytest.raises(PricingError, match="cannot bill a minimum"):
            minimum.unit_price(SEAT, 3, on=DAY)

    def test_net_too_precise(self) -> None:
        """12.345678 less 33 % needs 8 decimals."""
        partner = book(PriceEntry(product="PRO", price=eur("12.345678"), discount="33"))

        with pytest.raises(PricingError, match="more than 6 decimals"):
            partner.unit_price(PLAN, on=DAY)


# --------------------------------------------------------------------- subscriptions


def contract(**item_fields: Any) -> Subscription:
    fields: dict[str, Any] = {"product": PLAN, "price_book": dated_book()}
    fields.update(item_fields)
    return Subscription(
        reference="ABO-7",
        seller=sample_seller(),
        buyer=sample_buyer(),
        currency="EUR",
        items=[SubscriptionItem(**fields)],
        start=date(2025, 5, 1),
        installments=4,
    )


class TestSubscriptionFromBook:
    def test_price_of_each_period(self) -> None:
        """May and June at 90.00, July and August at 99.00 (the book's price from 1 July)."""
        drafts = schedule(contract())

        assert [eur("90.00"), eur("90.00"), eur("99.00"), eur("99.00")] == [
            d.lines[0].unit_price for d in drafts
        ]

    def test_indexed_subscription(self) -> None:
        """An indexed price revised on 1 July: 90.00 × 262.5/250.0 = 94.50."""
        series = IndexSeries(name="I", values={date(2025, 1, 1): "250", date(2025, 6, 1): "262.5"})
        clause = Indexation(series=series, base_value="250.0", revisions=[date(2025, 7, 1)])
        indexed = book(PriceEntry(product="PRO", price=eur("90.00"), indexation=clause))

        drafts = schedule(contract(price_book=indexed))

        assert [eur("90.00"), eur("90.00"), eur("94.50"), eur("94.50")] == [
            d.totals().tax_exclusive_total for d in drafts
        ]

    def test_partner_net_price(self) -> None:
        """A partner book at 20 % bills the net 72.00."""
        partner = book(PriceEntry(product="PRO", price=eur("90.00"), discount="20"))

        assert eur("72.00") == schedule(contract(price_book=partner))[0].lines[0].unit_price

    def test_price_in_the_product_unit(self) -> None:
        """A yearly 1200.00 in the book bills a monthly product 100.00 a month."""
        yearly = book(
            PriceEntry(product="PRO", price=eur("1200.00"), unit="ANN"),
            conversions=[UnitConversion(unit="ANN", base_unit="MON", factor=12)],
        )

        assert eur("100.00") == schedule(contract(price_book=yearly))[0].lines[0].unit_price

    def test_own_price_wins(self) -> None:
        """An item's own unit_price is billed, not the book's."""
        drafts = schedule(contract(unit_price=eur("50.00")))

        assert {eur("50.00")} == {d.lines[0].unit_price for d in drafts}

    def test_amended_price_wins(self) -> None:
        """A price change from 1 June stops using the book."""
        amended = amend(contract(), on=date(2025, 6, 1), item="PRO", unit_price=eur("80.00"))

        assert [eur("90.00"), eur("80.00"), eur("80.00"), eur("80.00")] == [
            d.lines[0].unit_price for d in schedule(amended)
        ]

    def test_quantity_change_keeps_the_book(self) -> None:
        """A quantity change from 1 June keeps the book's prices: 2 × 99.00 in July."""
        amended = amend(contract(), on=date(2025, 6, 1), item="PRO", quantity=2)

        assert eur("198.00") == schedule(amended)[2].totals().tax_exclusive_total

    def test_regenerate_unchanged(self) -> None:
        """The book's price change is not a correction: nothing to credit."""
        subscription = contract()
        issued, state = [], SequenceState()
        for draft in schedule(subscription):
            invoice, state = issue(draft, sample_scheme(), state, on=draft.issue_date)
            issued.append(invoice)

        result = regenerate(subscription, issued, on=date(2025, 9, 1))

        assert ((), ()) == (result.credit_notes, result.debit_notes)

    def test_book_in_another_currency(self) -> None:
        """A USD book on a EUR subscription is refused."""
        usd = PriceBook(
            name="us",
            currency="USD",
            entries=[PriceEntry(product="PRO", price=to_money("99.00", "USD"))],
        )

        with pytest.raises(ScheduleError, match="USD"):
            contract(price_book=usd)

    def test_not_a_book(self) -> None:
        """price_book takes a PriceBook."""
        with pytest.raises(ScheduleError, match="PriceBook"):
            SubscriptionItem(product=PLAN, price_book="standard")

    def test_no_price_on_a_period(self) -> None:
        """A period the book has no price for raises when scheduled."""
        ending = book(PriceEntry(product="PRO", price=eur("90.00"), valid_until=date(2025, 6, 1)))

        with pytest.raises(PricingError, match="no price for 'PRO' on 2025-06-01"):
            schedule(contract(price_book=ending))


# ---------------------------------------------------------------------- storage


class TestSerialization:
    def test_book_round_trips(self) -> None:
        """A book with tiers, a discount, a minimum, an indexation and a conversion
        comes back equal from JSON."""
        clause = Indexation(series=SYNTEC, base_value="250.0", revisions=[date(2026, 1, 1)])
        full = book(
            PriceEntry(product="SEAT", price=three_tiers("volume"), indexation=clause),
            PriceEntry(product="PRO", price=eur("90.00"), discount="20", minimum_quantity=2),
            conversions=[UnitConversion(unit="ANN", base_unit="MON", factor=12)],
        )

        assert full == from_json(PriceBook, to_json(full))

    def test_subscription_round_trips(self) -> None:
        """A subscription priced from a book comes back equal from JSON."""
        subscription = contract()

        assert subscription == from_json(Subscription, to_json(subscription))


# ------------------------------------------------------------------- the e-invoice


class TestTieredInvoiceValidates:
    def test_cii_en16931(
        self, tmp_path: Path, validate: Callable[..., dict[str, list[dict[str, object]]]]
    ) -> None:
        """Per-tier lines, one average line, a volume line and a partner discount: the CII
        (EN 16931 profile) passes the official validators with --fr, zero errors."""
        tiers = book(
            PriceEntry(product="SEAT", price=three_tiers()),
            PriceEntry(product="PRO", price=eur("90.00"), discount="20"),
        )
        volume = book(PriceEntry(product="SEAT", price=three_tiers("volume")))
        lines = (
            *tiers.lines(SEAT, 60, on=DAY),
            tiers.line(SEAT, 20, on=DAY),
            volume.line(SEAT, "12.5", on=DAY),
            tiers.line(PLAN, 3, on=DAY),
        )
        draft: Invoice = sample_invoice(lines=lines, due_date=date(2025, 4, 2))
        invoice, _ = issue(draft, sample_scheme(), SequenceState(), on=date(2025, 3, 3))
        # 480.00 + 180.00 + 12.5 × 8.00 = 100.00 + 3 × 90.00 − 20 % = 216.00.
        assert eur("976.00") == invoice.totals().tax_exclusive_total
        path = tmp_path / "tiered.xml"
        path.write_bytes(to_cii(invoice, "EN 16931"))

        findings = validate("facturx.py", [path], fr=True)

        assert {str(path): []} == findings
