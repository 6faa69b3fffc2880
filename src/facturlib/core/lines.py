"""Catalogue products, document lines, and allowances and charges.

These are the building blocks of every document (quote, order, invoice):

* `Product`: a catalogue item (name, unit, unit price, VAT rate) that makes lines;
* `Line`: an invoice line, EN 16931 BG-25 — quantity (BT-129, up to 4 decimals),
  unit code (BT-130, UNECE Rec 20), net unit price (BT-146, up to 6 decimals,
  never negative: BR-27), base quantity (BT-149), line `Discount`\\s (BG-27) and
  `Surcharge`\\s (BG-28), VAT rate (BG-30), optional service period (BG-26) and note;
* `DocumentAllowance` / `DocumentCharge`: document-level allowances (BG-20) and
  charges (BG-21) such as shipping, each with **its own** VAT rate (BR-32, BR-37);
* `CommentLine`: a text row between lines, without amount (a heading, a remark);
  documents hold them apart from their lines (``comments``), each placed before a
  line. An e-invoice has no line without amount (EN 16931 BG-25 needs a quantity,
  a price and a VAT category), so CII and UBL write a comment into the note BT-127
  of the line it precedes (of the last line for one placed after every line);
* `OtherTax`: a tax other than VAT included in a line's unit price, such as the
  French éco-participation (Code de l'environnement L541-10-8): it is part of the
  taxable base and bears the line's VAT (CGI 267 I-1°), and the invoice shows it
  as a mention ("dont Éco-participation : 10,00 EUR") — or, with
  `split_other_taxes`, on its own line, the way to give it another VAT treatment;
* `SupplyKind`: whether a line or product is a supply of goods or of services —
  the "nature of operations" a French invoice states from 2026 (CGI ann. II
  242 nonies A I-8° bis) and the letter of BT-23. A line that does not say counts
  as services.

Allowance reason codes are UNTDID 5189 codes and charge reason codes UNTDID 7161
codes, checked against the lists EN 16931 admits (BR-CL-19, BR-CL-20);
`reason_code_of` and `reason_text_of` give the code and text an e-invoice states
when the caller gave only one of them, or neither.

Lines only *describe*; the amounts are computed in one place, `facturlib.core.totals`.

>>> from facturlib.core.money import to_money
>>> from facturlib.core.vat import FR_STANDARD
>>> line = Line(description="Consulting", quantity="10", unit_price=to_money("12.50", "EUR"),
...             vat=FR_STANDARD, unit="HUR", discounts=(Discount(percent="10"),))
>>> line.quantity, line.unit
(Decimal('10'), 'HUR')
>>> Line(description="Nothing", quantity="0", unit_price=to_money(1, "EUR"), vat=FR_STANDARD)
Traceback (most recent call last):
...
facturlib.core.errors.DocumentError: a line quantity must not be zero (quantity=Decimal('0')); ...
"""

from __future__ import annotations

import enum
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs
from moneyed import Currency, Money

from facturlib.core._codes import ALLOWANCE_REASONS, CHARGE_REASON_CODES, CHARGE_REASONS
from facturlib.core._validators import (
    as_tuple,
    instance_of,
    is_money,
    is_optional_text,
    is_text,
    max_places,
    optional_text,
    to_base_quantity,
    to_decimal,
    to_enum,
    to_text,
    tuple_of,
)
from facturlib.core.errors import DocumentError, InvalidValue
from facturlib.core.money import exact, freeze_money, minor_units
from facturlib.core.periods import Period
from facturlib.core.vat import VatRate

__all__ = [
    "CommentLine",
    "Discount",
    "DocumentAllowance",
    "DocumentCharge",
    "Line",
    "OtherTax",
    "Product",
    "SupplyKind",
    "Surcharge",
    "other_tax_amounts",
    "reason_code_of",
    "reason_text_of",
    "split_other_taxes",
]

_HUNDRED = Decimal(100)
#: The default base quantity (BT-149): one shared object, so totals can test it by identity.
ONE = Decimal(1)


def _money_field(name: str, *, places: int | None = None, allow_negative: bool = False) -> Any:
    """A validator for a `Money` field (no floats can hide in Money; check places and sign)."""

    def check(instance: object, attribute: attrs.Attribute[Money], value: object) -> None:
        if not isinstance(value, Money):
            raise InvalidValue(
                f"expected Money, got {type(value).__name__}",
                field=name,
                value=value,
                hint='build it with facturlib.to_money("12.50", "EUR")',
            )
        if places is not None:
            max_places(value.amount, places, name, name.replace("_", " "))
        if not allow_negative and value.amount < 0:
            raise DocumentError(
                f"{name.replace('_', ' ')} must not be negative",
                field=name,
                value=value.amount,
                hint="use a negative quantity or an allowance instead (BR-27)",
            )

    return check


_PERIOD_HINT = "pass a facturlib.Period(start, end), end excluded"


class SupplyKind(enum.Enum):
    """What a line supplies: goods or services (CGI ann. II 242 nonies A I-8° bis).

    It gives the letter of the French "cadre de facturation" BT-23 (B goods, S
    services, M both) and the "nature of operations" the invoice prints. A line or
    product that does not say (``supply=None``) counts as services.

    >>> SupplyKind("goods")
    <SupplyKind.GOODS: 'goods'>

    .. versionadded:: 0.2
    """

    GOODS = "goods"
    SERVICES = "services"

    @classmethod
    def of_goods(cls, lines: Any) -> SupplyKind | None:
        """``GOODS`` when every one of *lines* supplies goods, else ``None`` (services).

        For a line that stands for several others (a credit note or a deposit share
        per VAT rate): it keeps the nature of the operations of lines that all supply
        goods; lines that mix goods and services become services.

        >>> SupplyKind.of_goods([]) is None
        True

        .. versionadded:: 0.2
        """
        kinds = {getattr(line, "supply", None) for line in lines}
        return cls.GOODS if kinds == {cls.GOODS} else None


def _to_supply(value: SupplyKind | str | None) -> SupplyKind | None:
    if value is None:
        return None
    return to_enum(value, SupplyKind, "supply", error=DocumentError)


def _to_quantity(value: Any) -> Decimal:
    return max_places(to_decimal(value, "quantity"), 4, "quantity", "a quantity")


def _to_optional_percent(value: Any) -> Decimal | None:
    if value is None:
        return None
    return to_decimal(value, "percent")


def _is_vat(instance: object, attribute: attrs.Attribute[VatRate], value: object) -> None:
    if not isinstance(value, VatRate):
        raise InvalidValue(
            f"expected a VatRate, got {type(value).__name__}",
            field=attribute.name,
            value=value,
            hint="use facturlib.FR_STANDARD or VatRate.standard('20')",
        )


def _is_unit_code(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not (
        isinstance(value, str)
        and 1 <= len(value) <= 3
        and value.isalnum()
        and value == value.upper()
    ):
        raise InvalidValue(
            "not a UNECE Recommendation 20 unit code",
            field="unit",
            value=value,
            hint='use e.g. "C62" (unit), "HUR" (hour), "DAY", "KGM" (BT-130, BR-CL-23)',
        )


@attrs.frozen(kw_only=True)
class _Adjustment:
    """An allowance or charge given as a percentage or as an amount (exactly one)."""

    percent: Decimal | None = attrs.field(default=None, converter=_to_optional_percent)
    amount: Money | None = attrs.field(
        default=None, converter=freeze_money, validator=is_money(optional=True)
    )
    reason: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    reason_code: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )

    #: Whether this is a charge (UNTDID 7161 codes) rather than an allowance (5189).
    _is_charge = False

    def __attrs_post_init__(self) -> None:
        what = type(self).__name__
        code = self.reason_code
        if code is not None:
            if self._is_charge and code not in CHARGE_REASON_CODES:
                raise DocumentError(
                    "not a UNTDID 7161 charge reason code",
                    field="reason_code",
                    value=code,
                    hint='use e.g. "FC" (freight), "ABL" (packaging), "SAA" (shipping and '
                    'handling), "ZZZ" (mutually defined) (BR-CL-20)',
                )
            if not self._is_charge and code not in ALLOWANCE_REASONS:
                raise DocumentError(
                    "not a UNTDID 5189 allowance reason code",
                    field="reason_code",
                    value=code,
                    hint='use e.g. "95" (discount), "100" (special rebate), "104" '
                    '(standard), "64" (special agreement) (BR-CL-19)',
                )
        if (self.percent is None) == (self.amount is None):
            raise DocumentError(
                f"a {what} is either a percent or an amount",
                field="percent",
                value=self.percent,
                hint='pass exactly one of percent="10" or amount=to_money("5.00", "EUR")',
            )
        if self.percent is not None and not 0 < self.percent <= _HUNDRED:
            raise DocumentError(
                f"a {what} percentage is above 0 and at most 100",
                field="percent",
                value=self.percent,
                hint='write 10 % as percent="10"',
            )
        if self.amount is not None:
            places = minor_units(self.amount.currency)
            _money_field("amount", places=places)(self, None, self.amount)
            if self.amount.amount == 0:
                raise DocumentError(
                    f"a {what} amount must be positive", field="amount", value=self.amount.amount
                )


@attrs.frozen(kw_only=True)
class Discount(_Adjustment):
    """A discount: a line allowance (BG-27) or a global discount on the net total.

    On a line, a percentage applies to the line's quantity × price (BT-137), and
    several percentages do not compound. As a document's ``global_discount``, it
    is spread over the VAT rates in proportion to their net amounts, giving one
    document allowance per rate (each allowance has its own VAT, BR-32).

    >>> Discount(percent="10").percent
    Decimal('10')

    .. versionadded:: 0.1
    """


@attrs.frozen(kw_only=True)
class Surcharge(_Adjustment):
    """A line charge (BG-28), as a percent of the line amount or a fixed amount.

    .. versionadded:: 0.1
    """

    _is_charge = True


@attrs.frozen(kw_only=True)
class _DocumentAdjustment(_Adjustment):
    vat: VatRate = attrs.field(validator=_is_vat)
    base: Money | None = attrs.field(
        default=None, converter=freeze_money, validator=is_money(optional=True)
    )


@attrs.frozen(kw_only=True)
class DocumentAllowance(_DocumentAdjustment):
    """A document-level allowance (BG-20) with its own VAT rate (BT-95…BT-98).

    A percentage applies to *base* (BT-93) or, by default, to the net amount of
    the lines carrying the same VAT rate.

    .. versionadded:: 0.1
    """


@attrs.frozen(kw_only=True)
class DocumentCharge(_DocumentAdjustment):
    """A document-level charge (BG-21), e.g. shipping, with its own VAT rate (BT-102…BT-105).

    .. versionadded:: 0.1
    """

    _is_charge = True


@attrs.frozen
class CommentLine:
    """A comment-only row of a document: a heading or a remark, without amount.

    Documents keep comments apart from their lines, in ``comments``: each one is
    printed before the line whose id is *before* (BT-126; documents number lines
    "1", "2"… when they have no id), or after every line when *before* is ``None``.
    The PDF prints it as a text row across the table. An EN 16931 line always has a
    quantity, a price and a VAT category (BG-25, BR-21…BR-26), so a comment is no
    line there: CII and UBL append it to the note (BT-127) of the line it precedes,
    or of the last line for a comment after every line.

    >>> CommentLine("Lot 1 – Gros œuvre", before="1")
    CommentLine(text='Lot 1 – Gros œuvre', before='1')

    .. versionadded:: 0.2
    """

    text: str = attrs.field(converter=to_text, validator=is_text)
    before: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )

    def __attrs_post_init__(self) -> None:
        if not self.text.strip():
            raise DocumentError(
                "a comment line needs a text",
                field="text",
                value=self.text,
                hint="drop the comment, or write what it says",
            )


def _to_reason_code(value: Any) -> str:
    code = to_text(value)
    if not isinstance(code, str) or code not in CHARGE_REASON_CODES:
        raise DocumentError(
            "not a UNTDID 7161 charge reason code",
            field="reason_code",
            value=code,
            hint='the éco-participation is "AEO" (collection and recycling) (BR-CL-20)',
        )
    return code


@attrs.frozen(kw_only=True)
class OtherTax:
    """A tax other than VAT included in a line's unit price ("dont éco-participation").

    French retailers show the éco-participation (eco-contribution for the disposal
    of electrical equipment and furniture, Code de l'environnement L541-10-8) apart
    from the price that includes it. It is part of the taxable base and bears the
    line's VAT (CGI 267 I-1°), so the line's amounts do not change: the invoice
    states it as a mention, "dont Éco-participation : 10,00 EUR" (`other_tax_amounts`
    computes it), on the PDF under the line and in the note BT-127 of CII and UBL.
    To show it on its own line, or to give it another VAT treatment, make separate
    lines with `split_other_taxes`: there it is a line of its own VAT rate.

    Attributes:
        name: what the tax is called on the invoice ("Éco-participation").
        amount: the tax per unit (per base quantity, BT-149) of the line, in the same
            terms as the unit price (including VAT when the document's prices do).
        reason_code: its UNTDID 7161 charge code, default ``"AEO"`` (collection and
            recycling).
        vat: its own `VatRate` when it differs from the line's; ``None``, the default:
            the line's rate. A document refuses a line whose tax has another rate until
            `split_other_taxes` puts the tax on its own line (a line has one VAT rate).

    >>> from facturlib.core.money import to_money
    >>> OtherTax(name="Éco-participation", amount=to_money("5.00", "EUR")).reason_code
    'AEO'

    .. versionadded:: 0.2
    """

    name: str = attrs.field(converter=to_text, validator=is_text)
    amount: Money = attrs.field(converter=freeze_money, validator=_money_field("amount", places=6))
    reason_code: str = attrs.field(default="AEO", converter=_to_reason_code)
    vat: VatRate | None = attrs.field(default=None)

    def __attrs_post_init__(self) -> None:
        if not self.name.strip():
            raise DocumentError(
                "a tax needs a name", field="name", value=self.name, hint='e.g. "Éco-participation"'
            )
        if self.amount.amount == 0:
            raise DocumentError(
                "a tax amount must be positive",
                field="amount",
                value=self.amount.amount,
                hint="give the tax per unit, e.g. to_money('5.00', 'EUR')",
            )
        if self.vat is not None and not isinstance(self.vat, VatRate):
            raise InvalidValue(
                f"expected a VatRate or None, got {type(self.vat).__name__}",
                field="vat",
                value=self.vat,
                hint="leave it None for the line's rate (the éco-participation), or pass a VatRate",
            )


@attrs.frozen(kw_only=True)
class Line:
    """One document line (EN 16931 BG-25).

    Attributes:
        description: item name (BT-153).
        quantity: invoiced quantity (BT-129), up to 4 decimals, never zero; negative for
            a return on an invoice.
        unit_price: net unit price (BT-146), up to 6 decimals, never negative (BR-27).
            It excludes VAT unless the document has ``prices_include_vat=True``.
        vat: the line's `VatRate` (BG-30).
        unit: UNECE Rec 20 unit code (BT-130), default ``"C62"`` (one unit).
        base_quantity: the quantity the price is for (BT-149), default 1.
        discounts: line allowances (BG-27).
        charges: line charges (BG-28).
        period: service period (BG-26) as a half-open `Period`.
        note: free text (BT-127).
        id: line identifier (BT-126); documents number lines 1, 2, 3… when omitted.
        product_id: seller's item identifier (BT-155).
        source_line: for a line derived from another document (a credit note line, an
            invoice line made from an order), the id of the line it comes from.
        supply: `SupplyKind.GOODS` or `SupplyKind.SERVICES` (a string is converted);
            ``None`` (the default) counts as services. It gives BT-23's letter.
        other_taxes: taxes other than VAT included in the unit price (`OtherTax`,
            the éco-participation), stated as a mention; they bear the line's VAT
            (documents refuse one of another rate: `split_other_taxes` first).

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 ``supply``, ``other_taxes``.
    """

    description: str = attrs.field(converter=to_text, validator=is_text)
    quantity: Decimal = attrs.field(converter=_to_quantity)
    unit_price: Money = attrs.field(
        converter=freeze_money, validator=_money_field("unit_price", places=6)
    )
    vat: VatRate = attrs.field(validator=_is_vat)
    unit: str = attrs.field(default="C62", validator=_is_unit_code)
    base_quantity: Decimal = attrs.field(default=ONE, converter=to_base_quantity)
    discounts: tuple[Discount, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Discount)
    )
    charges: tuple[Surcharge, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Surcharge)
    )
    period: Period | None = attrs.field(
        default=None, validator=instance_of(Period, optional=True, hint=_PERIOD_HINT)
    )
    note: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    id: str | None = attrs.field(default=None, converter=optional_text, validator=is_optional_text)
    product_id: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    source_line: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    supply: SupplyKind | None = attrs.field(
        default=None, converter=_to_supply, metadata={"since": "0.2"}
    )
    other_taxes: tuple[OtherTax, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(OtherTax), metadata={"since": "0.2"}
    )

    def __attrs_post_init__(self) -> None:
        if self.other_taxes:
            self._check_other_taxes()
        if not self.description.strip():
            raise DocumentError(
                "a line needs a description",
                field="description",
                value=self.description,
                hint="name what is sold (BT-153)",
            )
        if self.quantity == 0:
            raise DocumentError(
                "a line quantity must not be zero",
                field="quantity",
                value=self.quantity,
                hint="remove the line instead",
            )
        if self.base_quantity <= 0:
            raise DocumentError(
                "base quantity must be positive",
                field="base_quantity",
                value=self.base_quantity,
                hint="it is the quantity the unit price is for (BT-149), e.g. 100 for 'per 100 kg'",
            )
        for i, discount in enumerate(self.discounts):
            if not isinstance(discount, Discount):
                raise InvalidValue("expected a Discount", field=f"discounts[{i}]", value=discount)
        for i, charge in enumerate(self.charges):
            if not isinstance(charge, Surcharge):
                raise InvalidValue("expected a Surcharge", field=f"charges[{i}]", value=charge)
        adjustments: tuple[_Adjustment, ...] = (*self.discounts, *self.charges)
        for adjustment in adjustments:
            if adjustment.amount is not None and adjustment.amount.currency != self.currency:
                raise DocumentError(
                    "a line discount or charge must be in the line's currency",
                    field="discounts",
                    value=adjustment.amount.currency.code,
                    hint=f"give it in {self.currency.code}",
                )

    @property
    def currency(self) -> Currency:
        """The currency of the unit price."""
        return self.unit_price.currency

    def _check_other_taxes(self) -> None:
        for i, tax in enumerate(self.other_taxes):
            if tax.amount.currency != self.currency:
                raise DocumentError(
                    "a tax must be in the line's currency",
                    field=f"other_taxes[{i}].amount",
                    value=tax.amount.currency.code,
                    hint=f"give it in {self.currency.code}",
                )
        included = sum((tax.amount.amount for tax in self.other_taxes), Decimal(0))
        if included > self.unit_price.amount:
            raise DocumentError(
                "the taxes included in the unit price exceed it",
                field="other_taxes",
                value=str(included),
                hint=f"the unit price is {self.unit_price.amount}; give the taxes per unit",
            )


@exact
def other_tax_amounts(line: Line) -> tuple[tuple[OtherTax, Money], ...]:
    """Each `OtherTax` of *line* with its amount on the line: quantity × tax ÷ base
    quantity, rounded half up to the currency's minor unit — what the mention states.

    >>> from facturlib.core.money import to_money
    >>> from facturlib.core.vat import FR_STANDARD
    >>> eco = OtherTax(name="Éco-participation", amount=to_money("5.00", "EUR"))
    >>> fridge = Line(description="Réfrigérateur", quantity=2, vat=FR_STANDARD,
    ...               unit_price=to_money("499.00", "EUR"), other_taxes=[eco])
    >>> [(tax.name, amount) for tax, amount in other_tax_amounts(fridge)]
    [('Éco-participation', Money('10.00', 'EUR'))]

    .. versionadded:: 0.2
    """
    if not isinstance(line, Line):
        raise InvalidValue(
            f"expected a Line, got {type(line).__name__}",
            field="line",
            value=line,
            hint="pass the Line whose taxes to state",
        )
    quantum = Decimal(1).scaleb(-minor_units(line.currency))
    return tuple(
        (
            tax,
            Money(
                (line.quantity * tax.amount.amount / line.base_quantity).quantize(
                    quantum, rounding=ROUND_HALF_UP
                ),
                line.currency,
            ),
        )
        for tax in line.other_taxes
    )


def split_other_taxes(line: Line) -> tuple[Line, ...]:
    """*line* with its taxes other than VAT each on a line of its own.

    The first line sells the product at its unit price less the taxes; then one line
    per `OtherTax`, named "Éco-participation – Réfrigérateur", of the same quantity,
    unit and period, priced at the tax per unit, at the tax's own VAT rate or the
    line's, its ``source_line`` the product line's id. The line's discounts and
    charges stay on the product. Each line is rounded on its own (EN 16931 BR-DEC-23),
    so the lines may differ by a cent per tax from the single line.

    >>> from facturlib.core.money import to_money
    >>> from facturlib.core.vat import FR_STANDARD
    >>> eco = OtherTax(name="Éco-participation", amount=to_money("5.00", "EUR"))
    >>> fridge = Line(description="Réfrigérateur", quantity=2, vat=FR_STANDARD,
    ...               unit_price=to_money("499.00", "EUR"), other_taxes=[eco])
    >>> [(ln.description, ln.unit_price.amount) for ln in split_other_taxes(fridge)]
    [('Réfrigérateur', Decimal('494.00')), ('Éco-participation – Réfrigérateur', Decimal('5.00'))]

    .. versionadded:: 0.2
    """
    if not isinstance(line, Line):
        raise InvalidValue(f"expected a Line, got {type(line).__name__}", field="line", value=line)
    included = sum((tax.amount.amount for tax in line.other_taxes), Decimal(0))
    product = attrs.evolve(
        line, unit_price=Money(line.unit_price.amount - included, line.currency), other_taxes=()
    )
    taxes = tuple(
        Line(
            description=f"{tax.name} – {line.description}",
            quantity=line.quantity,
            unit_price=tax.amount,
            vat=tax.vat or line.vat,
            unit=line.unit,
            base_quantity=line.base_quantity,
            period=line.period,
            source_line=line.id,
            supply=line.supply,
        )
        for tax in line.other_taxes
    )
    return (product, *taxes)


@attrs.frozen(kw_only=True)
class Product:
    """A catalogue item that makes document lines.

    >>> from facturlib.core.money import to_money
    >>> from facturlib.core.vat import FR_REDUCED
    >>> book = Product(name="Book", unit_price=to_money("7.99", "EUR"), vat=FR_REDUCED, id="BK-1")
    >>> book.line("3").product_id
    'BK-1'

    A product's `supply` (goods or services, `SupplyKind`) passes to its lines.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 ``supply``.
    """

    name: str = attrs.field(converter=to_text, validator=is_text)
    unit_price: Money = attrs.field(
        converter=freeze_money, validator=_money_field("unit_price", places=6)
    )
    vat: VatRate = attrs.field(validator=_is_vat)
    unit: str = attrs.field(default="C62", validator=_is_unit_code)
    base_quantity: Decimal = attrs.field(default=ONE, converter=to_base_quantity)
    id: str | None = attrs.field(default=None, converter=optional_text, validator=is_optional_text)
    description: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    supply: SupplyKind | None = attrs.field(
        default=None, converter=_to_supply, metadata={"since": "0.2"}
    )

    def line(self, quantity: Decimal | int | str, **overrides: Any) -> Line:
        """A `Line` for *quantity* of this product; keyword arguments override line fields."""
        fields: dict[str, Any] = {
            "description": self.name,
            "quantity": quantity,
            "unit_price": self.unit_price,
            "vat": self.vat,
            "unit": self.unit,
            "base_quantity": self.base_quantity,
            "product_id": self.id,
            "note": self.description,
            "supply": self.supply,
        }
        fields.update(overrides)
        return Line(**fields)


def _adjustment_is_charge(adjustment: Any) -> bool:
    is_charge = getattr(adjustment, "is_charge", None)  # a computed AppliedAdjustment
    if isinstance(is_charge, bool):
        return is_charge
    if isinstance(adjustment, _Adjustment):
        return adjustment._is_charge
    raise InvalidValue(
        f"expected an allowance or a charge, got {type(adjustment).__name__}",
        field="adjustment",
        value=adjustment,
        hint="pass a Discount, Surcharge, DocumentAllowance, DocumentCharge or a "
        "totals().allowances / .charges entry",
    )


#: The default reason codes: 95 "Discount" (UNTDID 5189) for allowances, ZZZ
#: "Mutually defined" (UNTDID 7161) for charges.
DEFAULT_ALLOWANCE_CODE = "95"
DEFAULT_CHARGE_CODE = "ZZZ"


def reason_code_of(adjustment: Any) -> str:
    """The reason code an e-invoice states for an allowance or charge (BT-98/BT-105,
    BT-140/BT-145).

    The adjustment's own `reason_code`, else ``"95"`` (UNTDID 5189 "Discount") for
    an allowance and ``"ZZZ"`` (UNTDID 7161 "Mutually defined") for a charge:
    facturlib cannot know what a charge is for, so give shipping
    ``reason_code="FC"`` (freight) or ``"SAA"`` (shipping and handling) yourself.
    EN 16931 requires a reason or a code on every allowance and charge (BR-33,
    BR-38, BR-42, BR-44); with these defaults there is always a code.

    Args:
        adjustment: a `Discount`, `Surcharge`, `DocumentAllowance`,
            `DocumentCharge`, or an `AppliedAdjustment` of ``totals()``.

    Returns:
        The code.

    Raises:
        InvalidValue: *adjustment* is none of these.

    >>> reason_code_of(Discount(percent="10"))
    '95'
    >>> reason_code_of(Surcharge(percent="5", reason_code="ABL"))
    'ABL'

    .. versionadded:: 0.2
    """
    is_charge = _adjustment_is_charge(adjustment)
    code = getattr(adjustment, "reason_code", None)
    if code:
        return str(code)
    return DEFAULT_CHARGE_CODE if is_charge else DEFAULT_ALLOWANCE_CODE


def reason_text_of(adjustment: Any) -> str:
    """The reason text an e-invoice states for an allowance or charge (BT-97/BT-104,
    BT-139/BT-144): the adjustment's `reason`, else the official name of its reason
    code (`reason_code_of`).

    >>> reason_text_of(Discount(percent="10"))
    'Discount'
    >>> reason_text_of(Surcharge(percent="5", reason_code="FC"))
    'Freight service'
    >>> reason_text_of(Discount(percent="10", reason="Remise fidélité"))
    'Remise fidélité'

    .. versionadded:: 0.2
    """
    is_charge = _adjustment_is_charge(adjustment)
    reason = getattr(adjustment, "reason", None)
    if reason:
        return str(reason)
    code = reason_code_of(adjustment)
    names = CHARGE_REASONS if is_charge else ALLOWANCE_REASONS
    return names.get(code, code)
