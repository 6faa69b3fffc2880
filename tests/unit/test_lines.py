"""Tests for facturlib.core.lines: lines, products, line and document allowances and charges.

Line *amounts* are computed by facturlib.core.totals and tested in test_totals.py; these
tests cover what a line, an adjustment and a product accept and refuse.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

from facturlib.core.errors import DocumentError, FloatNotAllowed, InvalidValue
from facturlib.core.lines import (
    Discount,
    DocumentAllowance,
    DocumentCharge,
    Line,
    Product,
    SupplyKind,
    Surcharge,
    reason_code_of,
    reason_text_of,
)
from facturlib.core.money import Money, to_money
from facturlib.core.periods import Period
from facturlib.core.vat import FR_REDUCED, FR_STANDARD


def eur(amount: str) -> Money:
    return to_money(amount, "EUR")


def line(**overrides: object) -> Line:
    """A valid line (1 × 10.00 EUR @20 %), with *overrides* on top."""
    fields: dict[str, object] = {
        "description": "Article",
        "quantity": "1",
        "unit_price": eur("10.00"),
        "vat": FR_STANDARD,
    }
    fields.update(overrides)
    return Line(**fields)  # type: ignore[arg-type]


class TestLine:
    def test_defaults(self) -> None:
        """BT-130 defaults to C62 (one) and BT-149 to 1 (DOMAIN.md §2)."""
        item = line()

        assert ("C62", Decimal(1), (), (), None, None) == (
            item.unit,
            item.base_quantity,
            item.discounts,
            item.charges,
            item.id,
            item.source_line,
        )

    @pytest.mark.parametrize(("raw", "expected"), [("3", "3"), (3, "3"), (Decimal("2.5"), "2.5")])
    def test_quantity_converted(self, raw: object, expected: str) -> None:
        """BT-129 is stored as an exact Decimal."""
        assert Decimal(expected) == line(quantity=raw).quantity

    def test_negative_quantity_allowed(self) -> None:
        """A negative quantity (a return) is how a line reduces an invoice (BR-27 hint)."""
        assert Decimal(-2) == line(quantity="-2").quantity

    def test_float_quantity(self) -> None:
        """A float quantity raises FloatNotAllowed naming the field (STYLE.md)."""
        with pytest.raises(FloatNotAllowed) as info:
            line(quantity=1.5)

        assert "quantity" == info.value.field
        assert 'Decimal("1.5")' in str(info.value)

    def test_float_price(self) -> None:
        """A float price never reaches a line: to_money() refuses it (STYLE.md)."""
        with pytest.raises(FloatNotAllowed) as info:
            line(unit_price=to_money(12.5, "EUR"))  # type: ignore[arg-type]

        assert "amount" == info.value.field

    @pytest.mark.parametrize("quantity", ["0", "0.0000", 0])
    def test_zero_quantity(self, quantity: object) -> None:
        """A zero quantity is refused with a hint to remove the line."""
        with pytest.raises(DocumentError) as info:
            line(quantity=quantity)

        assert "quantity" == info.value.field
        assert "remove the line" in str(info.value)

    def test_negative_unit_price(self) -> None:
        """BR-27: the net price (BT-146) is never negative; the hint names the alternatives."""
        with pytest.raises(DocumentError) as info:
            line(unit_price=eur("-1.00"))

        assert "unit_price" == info.value.field
        assert Decimal("-1.00") == info.value.value
        assert "BR-27" in str(info.value)
        assert "negative quantity" in str(info.value)

    def test_zero_unit_price_allowed(self) -> None:
        """BR-27 allows a zero price (a free item)."""
        assert eur("0.00") == line(unit_price=eur("0.00")).unit_price

    def test_quantity_four_decimals(self) -> None:
        """BR-FR-DEC-02: quantities have at most 4 decimals."""
        assert Decimal("1.2345") == line(quantity="1.2345").quantity

    def test_quantity_five_decimals(self) -> None:
        """BR-FR-DEC-02: a fifth decimal is refused with a hint."""
        with pytest.raises(InvalidValue) as info:
            line(quantity="1.23456")

        assert "quantity" == info.value.field
        assert "4 decimals" in str(info.value)

    def test_trailing_zeros_are_not_decimals(self) -> None:
        """1.00000 is 1: trailing zeros do not count as decimals."""
        assert Decimal(1) == line(quantity="1.00000").quantity

    def test_price_six_decimals(self) -> None:
        """BR-FR-DEC-03: a unit price may have up to 6 decimals."""
        assert eur("0.123456") == line(unit_price=eur("0.123456")).unit_price

    def test_price_seven_decimals(self) -> None:
        """BR-FR-DEC-03: a seventh decimal is refused."""
        with pytest.raises(InvalidValue) as info:
            line(unit_price=eur("0.1234567"))

        assert "unit_price" == info.value.field
        assert "6 decimals" in str(info.value)

    def test_price_must_be_money(self) -> None:
        """The price is Money; a hint says how to build it."""
        with pytest.raises(InvalidValue) as info:
            line(unit_price="10.00")

        assert "unit_price" == info.value.field
        assert 'to_money("12.50", "EUR")' in str(info.value)

    def test_vat_must_be_rate(self) -> None:
        """BG-30 is a VatRate, not a bare number."""
        with pytest.raises(InvalidValue) as info:
            line(vat="20")

        assert "vat" == info.value.field
        assert "FR_STANDARD" in str(info.value)

    @pytest.mark.parametrize("unit", ["kg", "KILO", "", "K G"])
    def test_bad_unit(self, unit: str) -> None:
        """BT-130 is a UNECE Rec 20 code (BR-CL-23)."""
        with pytest.raises(InvalidValue) as info:
            line(unit=unit)

        assert "unit" == info.value.field
        assert "BR-CL-23" in str(info.value)

    @pytest.mark.parametrize("base_quantity", ["0", "-100"])
    def test_base_quantity_positive(self, base_quantity: str) -> None:
        """BT-149 is the positive quantity the price is for."""
        with pytest.raises(DocumentError) as info:
            line(base_quantity=base_quantity)

        assert "base_quantity" == info.value.field

    def test_base_quantity_float(self) -> None:
        """A float base quantity raises FloatNotAllowed."""
        with pytest.raises(FloatNotAllowed) as info:
            line(base_quantity=100.0)

        assert "base_quantity" == info.value.field

    def test_blank_description(self) -> None:
        """BT-153 names what is sold."""
        with pytest.raises(DocumentError) as info:
            line(description="   ")

        assert "description" == info.value.field

    @pytest.mark.parametrize("quantity", ["abc", "NaN", "Infinity", True])
    def test_not_a_number(self, quantity: object) -> None:
        """Non-numbers, NaN, infinities and bools are refused as quantities."""
        with pytest.raises(InvalidValue) as info:
            line(quantity=quantity)

        assert "quantity" == info.value.field

    def test_discounts_become_tuple(self) -> None:
        """Collections are tuples, never lists (STYLE.md "Value objects")."""
        item = line(discounts=[Discount(percent="10")])

        assert (Discount(percent="10"),) == item.discounts

    def test_discount_type_checked(self) -> None:
        """BG-27 holds Discounts; a Surcharge there is refused, naming its index."""
        with pytest.raises(InvalidValue) as info:
            line(discounts=(Surcharge(percent="5"),))

        assert "discounts[0]" == info.value.field

    def test_charge_type_checked(self) -> None:
        """BG-28 holds Surcharges."""
        with pytest.raises(InvalidValue) as info:
            line(charges=(Discount(percent="5"),))

        assert "charges[0]" == info.value.field

    def test_adjustment_currency(self) -> None:
        """A line discount amount is in the line's currency."""
        with pytest.raises(DocumentError) as info:
            line(discounts=(Discount(amount=to_money("1.00", "USD")),))

        assert "USD" == info.value.value

    def test_currency(self) -> None:
        """A line's currency is its price's."""
        assert "JPY" == line(unit_price=to_money("500", "JPY")).currency.code

    def test_period(self) -> None:
        """BG-26 is a half-open Period."""
        march = Period(date(2025, 3, 1), date(2025, 4, 1))

        assert date(2025, 3, 31) == line(period=march).period.last_day  # type: ignore[union-attr]

    def test_optional_text_stripped(self) -> None:
        """Optional texts are stripped; blank ones become None."""
        item = line(note="  ", id=" A1 ", product_id="")

        assert (None, "A1", None) == (item.note, item.id, item.product_id)

    def test_frozen(self) -> None:
        """A line is immutable; changes go through attrs.evolve (STYLE.md)."""
        item = line()
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            item.quantity = Decimal(2)  # type: ignore[misc]

        assert Decimal(2) == attrs.evolve(item, quantity="2").quantity


class TestDiscount:
    def test_percent(self) -> None:
        """A percentage discount (BT-138) is an exact Decimal."""
        assert Decimal("10") == Discount(percent="10").percent

    def test_amount(self) -> None:
        """An amount discount (BT-136)."""
        assert eur("5.00") == Discount(amount=eur("5.00")).amount

    def test_float_percent(self) -> None:
        """A float percentage raises FloatNotAllowed naming the field."""
        with pytest.raises(FloatNotAllowed) as info:
            Discount(percent=10.0)  # type: ignore[arg-type]

        assert "percent" == info.value.field

    @pytest.mark.parametrize(
        "kwargs", [{}, {"percent": "10", "amount": to_money("1.00", "EUR")}], ids=["none", "both"]
    )
    def test_percent_xor_amount(self, kwargs: dict[str, object]) -> None:
        """Exactly one of percent and amount."""
        with pytest.raises(DocumentError) as info:
            Discount(**kwargs)  # type: ignore[arg-type]

        assert "exactly one" in str(info.value)

    @pytest.mark.parametrize("percent", ["0", "-5", "100.01"])
    def test_percent_range(self, percent: str) -> None:
        """A percentage is above 0 and at most 100."""
        with pytest.raises(DocumentError) as info:
            Discount(percent=percent)

        assert "percent" == info.value.field

    def test_hundred_percent(self) -> None:
        """100 % is allowed (a free item)."""
        assert Decimal(100) == Discount(percent="100").percent

    def test_zero_amount(self) -> None:
        """A zero amount is no discount."""
        with pytest.raises(DocumentError) as info:
            Discount(amount=eur("0.00"))

        assert "amount" == info.value.field

    def test_negative_amount(self) -> None:
        """Allowance and charge amounts are positive (BR-27 family)."""
        with pytest.raises(DocumentError):
            Discount(amount=eur("-1.00"))

    def test_amount_two_decimals(self) -> None:
        """BR-DEC-24: allowance amounts have at most 2 decimals."""
        with pytest.raises(InvalidValue) as info:
            Discount(amount=eur("0.001"))

        assert "amount" == info.value.field


class TestSurcharge:
    def test_percent(self) -> None:
        """A line charge as a percentage (BT-143)."""
        assert Decimal("5") == Surcharge(percent="5").percent

    def test_needs_one_of(self) -> None:
        """Exactly one of percent and amount."""
        with pytest.raises(DocumentError):
            Surcharge()


class TestDocumentAllowance:
    def test_own_vat(self) -> None:
        """BR-32: a document allowance carries its own VAT category and rate."""
        allowance = DocumentAllowance(amount=eur("10.00"), vat=FR_REDUCED, reason="Remise")

        assert (FR_REDUCED, "Remise") == (allowance.vat, allowance.reason)

    def test_needs_vat(self) -> None:
        """BR-32: the VAT rate is mandatory."""
        with pytest.raises(TypeError):
            DocumentAllowance(amount=eur("10.00"))  # type: ignore[call-arg]

    def test_vat_type(self) -> None:
        """The VAT is a VatRate."""
        with pytest.raises(InvalidValue) as info:
            DocumentAllowance(amount=eur("10.00"), vat="20")  # type: ignore[arg-type]

        assert "vat" == info.value.field

    def test_percent_with_base(self) -> None:
        """BT-93/BT-94: a percentage with its base amount."""
        allowance = DocumentAllowance(percent="5", base=eur("200.00"), vat=FR_STANDARD)

        assert (Decimal(5), eur("200.00")) == (allowance.percent, allowance.base)


class TestDocumentCharge:
    def test_own_vat(self) -> None:
        """BR-37: a document charge carries its own VAT category and rate."""
        charge = DocumentCharge(amount=eur("5.90"), vat=FR_STANDARD, reason="Port")

        assert (eur("5.90"), FR_STANDARD) == (charge.amount, charge.vat)

    def test_amount_positive(self) -> None:
        """A charge amount is positive."""
        with pytest.raises(DocumentError):
            DocumentCharge(amount=eur("0"), vat=FR_STANDARD)


class TestProduct:
    def test_line(self) -> None:
        """A product makes lines carrying its price, VAT, unit and id (BT-155)."""
        product = Product(
            name="Farine T55",
            unit_price=eur("4.80"),
            vat=FR_REDUCED,
            unit="KGM",
            base_quantity="100",
            id="FAR-55",
        )
        item = product.line("250")

        assert ("Farine T55", Decimal(250), eur("4.80"), FR_REDUCED, "KGM", Decimal(100)) == (
            item.description,
            item.quantity,
            item.unit_price,
            item.vat,
            item.unit,
            item.base_quantity,
        )
        assert "FAR-55" == item.product_id

    def test_line_overrides(self) -> None:
        """Keyword arguments override line fields."""
        product = Product(name="Livre", unit_price=eur("7.99"), vat=FR_REDUCED)

        assert eur("6.99") == product.line(1, unit_price=eur("6.99")).unit_price

    def test_negative_price(self) -> None:
        """BR-27 holds for catalogue prices too."""
        with pytest.raises(DocumentError):
            Product(name="X", unit_price=eur("-1"), vat=FR_STANDARD)


class TestLineFields:
    def test_rebuilt_from_its_fields(self) -> None:
        """A line rebuilt from attrs.asdict (as storage wrappers do) is equal: no hidden fields."""
        line = Line(
            description="Livre",
            quantity="3",
            unit_price=to_money("7.99", "EUR"),
            vat=FR_STANDARD,
            discounts=(Discount(percent="10"),),
        )

        assert line == Line(**attrs.asdict(line, recurse=False))


class TestSupplyKind:
    def test_line_default_is_unset(self) -> None:
        """A line that does not say has supply None (counted as services)."""
        line = Line(description="x", quantity="1", unit_price=eur("1.00"), vat=FR_STANDARD)

        assert None is line.supply

    def test_string_is_converted(self) -> None:
        """ "goods" becomes SupplyKind.GOODS."""
        line = Line(
            description="x", quantity="1", unit_price=eur("1.00"), vat=FR_STANDARD, supply="goods"
        )

        assert SupplyKind.GOODS is line.supply

    def test_unknown_kind(self) -> None:
        """Anything else is refused naming the field."""
        with pytest.raises(DocumentError) as exc_info:
            Line(description="x", quantity="1", unit_price=eur("1"), vat=FR_STANDARD, supply="b")

        assert "supply" == exc_info.value.field

    def test_product_lines_inherit_it(self) -> None:
        """A product's supply passes to the lines it makes; an override wins."""
        book = Product(name="Book", unit_price=eur("7.99"), vat=FR_REDUCED, supply="goods")

        assert (SupplyKind.GOODS, SupplyKind.SERVICES) == (
            book.line("1").supply,
            book.line("1", supply=SupplyKind.SERVICES).supply,
        )


class TestReasonCodes:
    @pytest.mark.parametrize("code", ["95", "100", "41", "105"])
    def test_allowance_codes(self, code: str) -> None:
        """UNTDID 5189 codes admitted by EN 16931 are accepted on allowances (BR-CL-19)."""
        assert code == Discount(percent="1", reason_code=code).reason_code
        assert code == DocumentAllowance(percent="1", vat=FR_STANDARD, reason_code=code).reason_code

    @pytest.mark.parametrize("code", ["FC", "ABL", "ADR", "AEO", "SAA", "ABK", "AAA", "TV", "ZZZ"])
    def test_charge_codes(self, code: str) -> None:
        """UNTDID 7161 codes admitted by EN 16931 are accepted on charges (BR-CL-20)."""
        assert code == Surcharge(percent="1", reason_code=code).reason_code
        assert code == DocumentCharge(percent="1", vat=FR_STANDARD, reason_code=code).reason_code

    @pytest.mark.parametrize(
        "adjustment",
        [
            lambda: Discount(percent="1", reason_code="FC"),
            lambda: DocumentAllowance(percent="1", vat=FR_STANDARD, reason_code="1"),
            lambda: Surcharge(percent="1", reason_code="95"),
            lambda: DocumentCharge(amount=eur("1.00"), vat=FR_STANDARD, reason_code="ACA"),
        ],
    )
    def test_codes_of_the_other_list_are_refused(self, adjustment: object) -> None:
        """An allowance with a charge code, or a code outside the lists, is refused."""
        with pytest.raises(DocumentError) as exc_info:
            adjustment()  # type: ignore[operator]

        assert "reason_code" == exc_info.value.field

    def test_defaults(self) -> None:
        """Allowances default to 95 "Discount", charges to ZZZ "Mutually defined"."""
        allowance = DocumentAllowance(percent="1", vat=FR_STANDARD)
        charge = DocumentCharge(amount=eur("1.00"), vat=FR_STANDARD)

        assert ("95", "Discount", "ZZZ", "Mutually defined") == (
            reason_code_of(allowance),
            reason_text_of(allowance),
            reason_code_of(charge),
            reason_text_of(charge),
        )

    def test_own_reason_wins(self) -> None:
        """The adjustment's own text and code are kept."""
        charge = Surcharge(percent="2", reason="Port", reason_code="FC")

        assert ("FC", "Port") == (reason_code_of(charge), reason_text_of(charge))

    def test_text_from_code(self) -> None:
        """With a code only, the text is the code's official name."""
        assert "Special rebate" == reason_text_of(Discount(percent="2", reason_code="100"))

    def test_computed_adjustments(self) -> None:
        """The computed allowances and charges of totals() work too."""
        from facturlib.testing.builders import sample_invoice

        invoice = sample_invoice(
            global_discount=Discount(percent="5"),
            charges=[DocumentCharge(amount=eur("10.00"), vat=FR_STANDARD, reason_code="FC")],
        )
        totals = invoice.totals()

        assert ("95", "Remise globale", "FC", "Freight service") == (
            reason_code_of(totals.allowances[0]),
            reason_text_of(totals.allowances[0]),
            reason_code_of(totals.charges[0]),
            reason_text_of(totals.charges[0]),
        )

    def test_not_an_adjustment(self) -> None:
        """Anything else is refused."""
        with pytest.raises(InvalidValue) as exc_info:
            reason_code_of("95")

        assert "adjustment" == exc_info.value.field


# --- comment lines and taxes other than VAT (issue 18) ------------------------------------

from facturlib.core.lines import (  # noqa: E402
    CommentLine,
    OtherTax,
    other_tax_amounts,
    split_other_taxes,
)
from facturlib.core.vat import VatRate  # noqa: E402


def eco(amount: str = "5.00") -> OtherTax:
    return OtherTax(name="Éco-participation", amount=eur(amount))


def fridge(**overrides: object) -> Line:
    """2 fridges at 499.00 HT, 5.00 of éco-participation each included."""
    fields: dict[str, object] = {
        "description": "Réfrigérateur",
        "quantity": "2",
        "unit_price": eur("499.00"),
        "vat": FR_STANDARD,
        "other_taxes": [eco()],
        "id": "F1",
    }
    fields.update(overrides)
    return Line(**fields)  # type: ignore[arg-type]


class TestCommentLine:
    def test_text_and_place(self) -> None:
        """A comment has a text and the id of the line it precedes."""
        assert ("Lot 1", "3") == attrs.astuple(CommentLine("Lot 1", before="3"))

    def test_after_every_line_by_default(self) -> None:
        """Without before=, it comes after every line."""
        assert None is CommentLine("Livraison offerte").before

    def test_blank_text_refused(self) -> None:
        """A comment with only spaces says nothing: refused."""
        with pytest.raises(DocumentError, match="needs a text"):
            CommentLine("   ")

    def test_non_text_refused(self) -> None:
        """A comment is text (an int is written out, as for descriptions; a float is not)."""
        with pytest.raises(InvalidValue):
            CommentLine(1.5)  # type: ignore[arg-type]


class TestOtherTax:
    def test_default_code_is_collection_and_recycling(self) -> None:
        """The éco-participation's UNTDID 7161 code is AEO (collection and recycling)."""
        assert ("AEO", None) == (eco().reason_code, eco().vat)

    def test_unknown_code_refused(self) -> None:
        """A code outside UNTDID 7161 is refused (BR-CL-20)."""
        with pytest.raises(DocumentError, match="7161"):
            OtherTax(name="Taxe", amount=eur("1.00"), reason_code="XYZ")

    def test_zero_refused(self) -> None:
        """A tax of zero is no tax."""
        with pytest.raises(DocumentError, match="positive"):
            eco("0.00")

    def test_negative_refused(self) -> None:
        """A tax is never negative."""
        with pytest.raises(DocumentError, match="negative"):
            eco("-1.00")

    def test_float_refused(self) -> None:
        """Floats never reach an amount."""
        with pytest.raises(FloatNotAllowed):
            OtherTax(name="Éco", amount=to_money(5.0, "EUR"))  # type: ignore[arg-type]

    def test_vat_must_be_a_rate(self) -> None:
        """vat is a VatRate or None."""
        with pytest.raises(InvalidValue, match="VatRate"):
            OtherTax(name="Éco", amount=eur("1.00"), vat="20")  # type: ignore[arg-type]

    def test_more_than_the_price_refused(self) -> None:
        """Taxes included in the unit price cannot exceed it."""
        with pytest.raises(DocumentError, match="exceed"):
            fridge(unit_price=eur("4.00"))

    def test_other_currency_refused(self) -> None:
        """A tax is in the line's currency."""
        with pytest.raises(DocumentError, match="currency"):
            fridge(other_taxes=[OtherTax(name="Éco", amount=to_money("5.00", "USD"))])

    def test_other_vat_accepted_on_the_line(self) -> None:
        """A line may say its tax has another VAT rate; documents then ask to split it."""
        other = OtherTax(name="Éco", amount=eur("5.00"), vat=FR_REDUCED)

        assert (other,) == fridge(other_taxes=[other]).other_taxes


class TestOtherTaxAmounts:
    def test_by_hand(self) -> None:
        """2 × 5.00 = 10.00 on the line."""
        assert [eur("10.00")] == [amount for _, amount in other_tax_amounts(fridge())]

    def test_base_quantity_and_decimals(self) -> None:
        """1 250 kg with 0.0125 per 100 kg: 0.15625 → 0.16 (half up)."""
        sack = Line(
            description="Engrais",
            quantity="1250",
            unit="KGM",
            base_quantity="100",
            unit_price=eur("40.00"),
            vat=FR_REDUCED,
            other_taxes=[OtherTax(name="Écotaxe", amount=eur("0.0125"))],
        )

        assert [eur("0.16")] == [amount for _, amount in other_tax_amounts(sack)]

    def test_none(self) -> None:
        """A line without taxes has no mention."""
        assert () == other_tax_amounts(line())


class TestSplitOtherTaxes:
    def test_by_hand(self) -> None:
        """499.00 with 5.00 included → 494.00 + 5.00, same quantity, linked to the product."""
        product, tax = split_other_taxes(fridge())

        assert (
            ("Réfrigérateur", eur("494.00"), ()),
            ("Éco-participation – Réfrigérateur", eur("5.00"), Decimal(2), "F1", FR_STANDARD),
        ) == (
            (product.description, product.unit_price, product.other_taxes),
            (tax.description, tax.unit_price, tax.quantity, tax.source_line, tax.vat),
        )

    def test_own_vat(self) -> None:
        """A tax with its own VAT treatment is a line at that rate: 30.00 at 20 % including
        1.05 exempt gives 28.95 at 20 % and 1.05 exempt."""
        exempt = VatRate.exempt("Exonération de TVA, art. 261-4-4° du CGI")
        ticket = Line(
            description="Spectacle",
            quantity=1,
            unit_price=eur("30.00"),
            vat=FR_STANDARD,
            other_taxes=[OtherTax(name="Taxe", amount=eur("1.05"), vat=exempt)],
        )

        assert [(eur("28.95"), FR_STANDARD), (eur("1.05"), exempt)] == [
            (ln.unit_price, ln.vat) for ln in split_other_taxes(ticket)
        ]

    def test_without_taxes(self) -> None:
        """A line without taxes comes back alone, unchanged."""
        assert (line(),) == split_other_taxes(line())

    def test_not_a_line(self) -> None:
        """Only lines can be split."""
        with pytest.raises(InvalidValue, match="Line"):
            split_other_taxes("line")  # type: ignore[arg-type]
