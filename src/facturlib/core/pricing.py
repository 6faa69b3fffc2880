"""Price books, tiered and volume prices, unit conversions and price indexation.

A `PriceBook` is a named list of prices (``standard``, ``partner``…) in one
currency: one `PriceEntry` per product and validity window, each a plain unit
price or a `TieredPrice`, with an optional minimum quantity, a percentage
discount and an `Indexation` clause. The book turns a product and a quantity on
a date into document lines (`PriceBook.lines`, `PriceBook.line`) or into the net
unit price a subscription bills (`PriceBook.unit_price`). Every result is an
exact ``Decimal``; nothing is a float and nothing is rounded except where a
clause says so (the revised price of an indexation).

* `TieredPrice` with `Tiering.GRADUATED`: each unit is billed at the price of
  its tier ("10 at 10.00, the next 40 at 8.00…"); with `Tiering.VOLUME`: the
  whole quantity is billed at the price of the tier it reaches.
* `UnitConversion`: one unit is *factor* base units (a year is 12 months), so a
  monthly price is sold yearly at 12 times the price. Units are UNECE
  Recommendation 20 codes, as on a line (BT-130).
* `Indexation`: the revision clause ``P = P0 × (a + b × S/S0)`` on an index series
  the caller supplies (`IndexSeries`, e.g. the Syntec index for IT services),
  with ``a + b = 1`` (``a = 0, b = 1`` gives ``P = P0 × S/S0``). The index must
  relate directly to the object of the contract or to a party's activity
  (Code monétaire et financier L112-2), and its variation period may not exceed
  the time between two revisions (L112-1).

**How a tiered total becomes invoice lines.** EN 16931 computes every line net
as quantity × net price (BT-131 = BT-129 × BT-146 / BT-149, with the line's
allowances and charges: BR-LIN). A graduated price is therefore stated as one
line per tier reached (`PriceBook.lines`): each line is the tier's quantity at
the tier's price, so each line net is exact and their sum is the tiered total.
`PriceBook.line` gives one line at the average unit price instead, only when the
average is exact with the 6 decimals a line's unit price may have; otherwise it
raises `PricingError` and asks for `lines`. A volume price is always one line.

Graduated, 10 at 10.00 then 8.00 each, for 15 units:

>>> from datetime import date
>>> from facturlib.core.lines import Product
>>> from facturlib.core.money import to_money
>>> from facturlib.core.vat import FR_STANDARD
>>> seats = TieredPrice(tiers=[Tier(up_to="10", unit_price=to_money("10.00", "EUR")),
...                            Tier(unit_price=to_money("8.00", "EUR"))])
>>> seats.amount("15")
Money('140.00', 'EUR')
>>> product = Product(name="Seat", unit_price=to_money("10.00", "EUR"), vat=FR_STANDARD,
...                   id="SEAT")
>>> book = PriceBook(name="standard", currency="EUR",
...                  entries=[PriceEntry(product="SEAT", price=seats)])
>>> [(line.quantity, line.unit_price.amount) for line in book.lines(product, 15,
...                                                                 on=date(2025, 1, 1))]
[(Decimal('10'), Decimal('10.00')), (Decimal('5'), Decimal('8.00'))]
>>> book.line(product, 15, on=date(2025, 1, 1))
Traceback (most recent call last):
...
facturlib.core.errors.PricingError: the average unit price of a graduated price is not exact ...

.. versionadded:: 0.2
"""

from __future__ import annotations

import decimal
import enum
import itertools
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

import attrs
from moneyed import Currency, Money

from facturlib.core._trusted import unchecked
from facturlib.core._validators import (
    as_tuple,
    check_date,
    check_instance,
    check_money,
    is_bool,
    is_optional_date,
    is_optional_text,
    is_text,
    max_places,
    optional_text,
    to_decimal,
    to_enum,
    to_text,
    tuple_of,
)
from facturlib.core.errors import PricingError
from facturlib.core.lines import ONE, Discount, Line, Product, _is_unit_code
from facturlib.core.money import ROUNDING_MODES, FrozenMoney, exact
from facturlib.core.money import currency as to_currency

__all__ = [
    "IndexSeries",
    "Indexation",
    "PriceBook",
    "PriceEntry",
    "Tier",
    "TierShare",
    "TieredPrice",
    "Tiering",
    "UnitConversion",
]

_ZERO = Decimal(0)
_ONE = Decimal(1)
_HUNDRED = Decimal(100)
#: A line's unit price has at most 6 decimals (`facturlib.Line`, BT-146).
_PRICE_PLACES = 6
_PRICE_QUANTUM = Decimal("1e-6")


def _error(message: str, field: str, value: Any, hint: str | None = None) -> PricingError:
    return PricingError(message, field=field, value=value, hint=hint)


def _quantity(value: Any, field: str = "quantity") -> Decimal:
    """A quantity as a line takes it (at most 4 decimals, BT-129); floats refused."""
    return max_places(to_decimal(value, field), 4, field, "a quantity", error=PricingError)


def _optional_quantity(value: Any) -> Decimal | None:
    return None if value is None else _quantity(value, "up_to")


def _optional_minimum(value: Any) -> Decimal | None:
    return None if value is None else _quantity(value, "minimum_quantity")


def _optional_percent(value: Any) -> Decimal | None:
    return None if value is None else to_decimal(value, "discount")


def _price_field(instance: object, attribute: attrs.Attribute[Money], value: object) -> None:
    """A unit price: a `Money`, not negative, with at most 6 decimals (BT-146, BR-27)."""
    if not isinstance(value, Money):
        raise _error(
            f"expected Money, got {type(value).__name__}",
            attribute.name,
            value,
            'build it with facturlib.to_money("12.50", "EUR")',
        )
    max_places(value.amount, _PRICE_PLACES, attribute.name, "a unit price", error=PricingError)
    if value.amount < 0:
        raise _error(
            "a unit price must not be negative",
            attribute.name,
            value.amount,
            "a line's net price is never negative (EN 16931 BR-27); give a discount instead",
        )


def _freeze(value: object) -> object:
    if isinstance(value, Money) and type(value) is not FrozenMoney:
        return FrozenMoney(value.amount, value.currency)
    return value


def _fmt(number: Decimal) -> str:
    """A quantity as a person writes it: ``10``, ``2.5`` (no exponent, no trailing zeros)."""
    text = f"{number.normalize():f}"
    return text


# --------------------------------------------------------------------------- tiers


class Tiering(enum.Enum):
    """How a `TieredPrice` bills a quantity.

    * ``GRADUATED``: each unit at the price of the tier it falls in (10 at 10.00,
      the next 40 at 8.00…); the amount grows with the quantity.
    * ``VOLUME``: every unit at the price of the tier the whole quantity reaches.
      The amount can fall when a tier is crossed (10 × 10.00 = 100.00 but
      11 × 8.00 = 88.00): that is what volume pricing means.

    >>> Tiering("volume")
    <Tiering.VOLUME: 'volume'>

    .. versionadded:: 0.2
    """

    GRADUATED = "graduated"
    VOLUME = "volume"


@attrs.frozen(kw_only=True)
class Tier:
    """One tier of a `TieredPrice`: the unit price of the quantities up to *up_to*.

    Attributes:
        up_to: the last quantity of the tier (included); ``None`` for the last tier,
            which has no upper bound. A tier starts just above the previous tier's
            *up_to* (0 for the first).
        unit_price: the price of one unit in this tier (at most 6 decimals, not negative).

    >>> from facturlib.core.money import to_money
    >>> Tier(up_to="10", unit_price=to_money("10.00", "EUR")).up_to
    Decimal('10')

    .. versionadded:: 0.2
    """

    unit_price: Money = attrs.field(converter=_freeze, validator=_price_field)
    up_to: Decimal | None = attrs.field(default=None, converter=_optional_quantity)

    def __attrs_post_init__(self) -> None:
        if self.up_to is not None and self.up_to <= 0:
            raise _error(
                "a tier's upper bound must be positive",
                "up_to",
                self.up_to,
                "give the last quantity of the tier, e.g. up_to=10",
            )


class TierShare(NamedTuple):
    """The part of a quantity billed in one tier (what `TieredPrice.shares` returns).

    Attributes:
        tier: the position of the tier (0 for the first).
        above: the quantity the tier starts above (0 for the first tier).
        up_to: the tier's upper bound (``None``: no bound).
        quantity: the quantity billed at this tier's price.
        unit_price: the tier's unit price.
        amount: ``quantity × unit_price``, exact (not rounded).

    .. versionadded:: 0.2
    """

    tier: int
    above: Decimal
    up_to: Decimal | None
    quantity: Decimal
    unit_price: Money
    amount: Money

    @property
    def label(self) -> str:
        """The tier's range in words: ``tier 2: above 10 up to 50``."""
        if self.up_to is None:
            bounds = f"above {_fmt(self.above)}" if self.above else "any quantity"
        elif self.above:
            bounds = f"above {_fmt(self.above)} up to {_fmt(self.up_to)}"
        else:
            bounds = f"up to {_fmt(self.up_to)}"
        return f"tier {self.tier + 1}: {bounds}"


def _to_tiering(value: Tiering | str) -> Tiering:
    return to_enum(value, Tiering, "mode", error=PricingError)


@attrs.frozen(kw_only=True)
class TieredPrice:
    """A price by quantity tiers, graduated or volume.

    Attributes:
        tiers: the `Tier`\\s in order of their bounds; every tier but the last has
            an ``up_to``, strictly increasing, and the last has none (so every
            quantity has a price). All in one currency.
        mode: `Tiering.GRADUATED` (default) or `Tiering.VOLUME`.

    Raises:
        PricingError: no tier, bounds not increasing, a bounded last tier, an
            unbounded tier before the last, or tiers in several currencies.

    With tiers up to 10 at 10.00, up to 50 at 8.00, then 6.00: 60 units cost
    10 × 10.00 + 40 × 8.00 + 10 × 6.00 = 480.00 graduated, and 60 × 6.00 = 360.00
    by volume.

    >>> from facturlib.core.money import to_money
    >>> tiers = [Tier(up_to="10", unit_price=to_money("10.00", "EUR")),
    ...          Tier(up_to="50", unit_price=to_money("8.00", "EUR")),
    ...          Tier(unit_price=to_money("6.00", "EUR"))]
    >>> TieredPrice(tiers=tiers).amount(60), TieredPrice(tiers=tiers, mode="volume").amount(60)
    (Money('480.00', 'EUR'), Money('360.00', 'EUR'))

    .. versionadded:: 0.2
    """

    tiers: tuple[Tier, ...] = attrs.field(
        converter=as_tuple, validator=tuple_of(Tier, error=PricingError)
    )
    mode: Tiering = attrs.field(default=Tiering.GRADUATED, converter=_to_tiering)

    def __attrs_post_init__(self) -> None:
        if not self.tiers:
            raise _error(
                "a tiered price needs at least one tier",
                "tiers",
                (),
                "give e.g. [Tier(up_to=10, unit_price=...), Tier(unit_price=...)]",
            )
        currencies = {tier.unit_price.currency for tier in self.tiers}
        if len(currencies) > 1:
            raise _error(
                "the tiers of a price are in one currency",
                "tiers",
                sorted(c.code for c in currencies),
                "give every tier's unit price in the same currency",
            )
        previous = _ZERO
        last = len(self.tiers) - 1
        for i, tier in enumerate(self.tiers):
            if tier.up_to is None and i != last:
                raise _error(
                    "only the last tier may have no upper bound",
                    f"tiers[{i}].up_to",
                    None,
                    "give this tier an up_to, or remove the tiers after it",
                )
            if i == last and tier.up_to is not None:
                raise _error(
                    "the last tier has no upper bound, so that every quantity has a price",
                    f"tiers[{i}].up_to",
                    tier.up_to,
                    "leave up_to out on the last tier",
                )
            if tier.up_to is not None and tier.up_to <= previous:
                raise _error(
                    "tier bounds must increase",
                    f"tiers[{i}].up_to",
                    tier.up_to,
                    f"give a bound above {_fmt(previous)}",
                )
            previous = tier.up_to if tier.up_to is not None else previous

    @property
    def currency(self) -> Currency:
        """The currency of the tiers."""
        return self.tiers[0].unit_price.currency

    @exact
    def shares(self, quantity: Decimal | int | str) -> tuple[TierShare, ...]:
        """The quantity billed in each tier and its exact amount.

        Graduated: one share per tier the quantity reaches, filling each tier in
        turn. Volume: one share, the whole quantity at the price of the tier it
        reaches. A zero quantity has no share.

        Args:
            quantity: at least 0, at most 4 decimals (as on a line).

        Returns:
            The shares in tier order; their amounts sum to `amount`.

        Raises:
            PricingError: a negative quantity or one with more than 4 decimals.

        >>> from facturlib.core.money import to_money
        >>> price = TieredPrice(tiers=[Tier(up_to="10", unit_price=to_money("10.00", "EUR")),
        ...                            Tier(unit_price=to_money("8.00", "EUR"))])
        >>> [(s.quantity, s.amount) for s in price.shares(15)]
        [(Decimal('10'), Money('100.00', 'EUR')), (Decimal('5'), Money('40.00', 'EUR'))]

        .. versionadded:: 0.2
        """
        q = _quantity(quantity)
        if q < 0:
            raise _error(
                "a tiered price is for a quantity of at least 0",
                "quantity",
                q,
                "bill a return as a credit note of the original lines",
            )
        return self._shares(q)

    def _shares(self, q: Decimal) -> tuple[TierShare, ...]:
        """`shares` of a checked quantity (at least 0, at most 4 decimals), in the
        `EXACT` context of the caller."""
        cur = self.currency
        shares: list[TierShare] = []
        above = _ZERO
        for i, tier in enumerate(self.tiers):
            if q <= above:
                break
            reached = tier.up_to is None or q <= tier.up_to
            if self.mode is Tiering.VOLUME:
                if reached:
                    price = tier.unit_price
                    amount = FrozenMoney(q * price.amount, cur)
                    return (TierShare(i, above, tier.up_to, q, price, amount),)
            else:
                top = q if reached or tier.up_to is None else tier.up_to
                part = top - above
                price = tier.unit_price
                shares.append(
                    TierShare(
                        i, above, tier.up_to, part, price, FrozenMoney(part * price.amount, cur)
                    )
                )
            if tier.up_to is None:
                break
            above = tier.up_to
        return tuple(shares)

    @exact
    def amount(self, quantity: Decimal | int | str) -> Money:
        """The exact amount of *quantity* (the sum of its `shares`), not rounded.

        Raises:
            PricingError: as `shares`.

        .. versionadded:: 0.2
        """
        total = sum((share.amount.amount for share in self.shares(quantity)), _ZERO)
        return FrozenMoney(total, self.currency)

    def map_prices(self, change: Any) -> TieredPrice:
        """The same tiers with every unit price passed through *change* (Money → Money).

        .. versionadded:: 0.2
        """
        tiers = tuple(attrs.evolve(t, unit_price=change(t.unit_price)) for t in self.tiers)
        return attrs.evolve(self, tiers=tiers)


# ------------------------------------------------------------------ unit conversion


def _to_factor(value: Any) -> Decimal:
    return to_decimal(value, "factor")


@attrs.frozen(kw_only=True)
class UnitConversion:
    """One *unit* is *factor* *base_unit*\\s: a price per base unit times *factor* is
    the price per unit (a year, ``ANN``, is 12 months, ``MON``).

    Units are UNECE Recommendation 20 codes, as on a line (BT-130): ``MON``
    month, ``ANN`` year, ``WEE`` week, ``DAY``, ``HUR`` hour, ``KGM`` kilogram,
    ``TNE`` tonne… Conversions are data: give the ones your catalogue uses.

    >>> from facturlib.core.money import to_money
    >>> yearly = UnitConversion(unit="ANN", base_unit="MON", factor="12")
    >>> yearly.price(to_money("29.90", "EUR"))
    Money('358.80', 'EUR')
    >>> yearly.base_price(to_money("358.80", "EUR"))
    Money('29.90', 'EUR')

    .. versionadded:: 0.2
    """

    unit: str = attrs.field(validator=_is_unit_code)
    base_unit: str = attrs.field(validator=_is_unit_code)
    factor: Decimal = attrs.field(converter=_to_factor)

    def __attrs_post_init__(self) -> None:
        if self.factor <= 0:
            raise _error(
                "a conversion factor is positive",
                "factor",
                self.factor,
                "give how many base units one unit is, e.g. 12 months in a year",
            )
        if self.unit == self.base_unit:
            raise _error(
                "a conversion is between two different units",
                "base_unit",
                self.base_unit,
                "give the unit the price is stated in",
            )

    @exact
    def price(self, base_price: Money) -> Money:
        """The price per *unit* of a price per *base_unit*: ``base_price × factor`` (exact).

        .. versionadded:: 0.2
        """
        check_money(base_price, "base_price", error=PricingError)
        return FrozenMoney(base_price.amount * self.factor, base_price.currency)

    @exact
    def base_price(self, price: Money) -> Money:
        """The price per *base_unit* of a price per *unit*: ``price / factor``.

        Raises:
            PricingError: the division is not exact (the price would need rounding).

        .. versionadded:: 0.2
        """
        check_money(price, "price", error=PricingError)
        amount = _exact_division(price.amount, self.factor, "price", price)
        return FrozenMoney(amount, price.currency)

    @exact
    def quantity(self, quantity: Decimal | int | str) -> Decimal:
        """*quantity* units in base units: ``quantity × factor`` (2 years are 24 months).

        .. versionadded:: 0.2
        """
        return _quantity(quantity) * self.factor

    @exact
    def unit_quantity(self, base_quantity: Decimal | int | str) -> Decimal:
        """*base_quantity* base units in units: ``base_quantity / factor``.

        Raises:
            PricingError: the division is not exact.

        .. versionadded:: 0.2
        """
        number = to_decimal(base_quantity, "base_quantity")
        return _exact_division(number, self.factor, "base_quantity", base_quantity)


def _exact_division(number: Decimal, by: Decimal, field: str, shown: object) -> Decimal:
    """``number / by`` when the quotient is exact; `PricingError` otherwise (the
    division's Inexact flag, in a private copy of the caller's context)."""
    with decimal.localcontext() as context:
        context.clear_flags()
        result = number / by
        inexact = context.flags[decimal.Inexact]
    if inexact:
        raise _error(
            f"{_fmt(number)} / {_fmt(by)} is not an exact decimal",
            field,
            shown,
            "state the price in this unit (a PriceEntry with unit=...), or use a "
            "conversion in the other direction (multiplying)",
        )
    return result


# -------------------------------------------------------------------- indexation


def _to_series_values(value: Any) -> Any:
    if isinstance(value, Mapping):
        value = value.items()
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        return value
    pairs = []
    for item in value:
        if not (isinstance(item, tuple | list) and len(item) == 2):
            raise _error(
                "an index series is a list of (date, value) pairs",
                "values",
                item,
                'pass e.g. {date(2025, 1, 1): "250.0"}',
            )
        day, number = item
        check_date(day, "values", error=PricingError)
        pairs.append((day, to_decimal(number, f"values[{day}]")))
    return tuple(sorted(pairs))


def _is_series_values(instance: object, attribute: Any, value: Any) -> None:
    if not isinstance(value, tuple):
        raise _error(
            f"expected (date, value) pairs, got {type(value).__name__}",
            "values",
            value,
            'pass e.g. {date(2025, 1, 1): "250.0"}',
        )
    if not value:
        raise _error("an index series needs at least one value", "values", (), None)
    for (day, _), (next_day, _) in itertools.pairwise(value):
        if day == next_day:
            raise _error("two values on one date", "values", day, "give one value per date")
    for day, number in value:
        if number <= 0:
            raise _error("an index value is positive", f"values[{day}]", number, "check the series")


@attrs.frozen(kw_only=True)
class IndexSeries:
    """An index series the caller supplies: values by the date each applies from.

    Key each value by the date from which it is the one to use: its publication
    date when the contract says "the last index published" (the usual wording),
    or the first day of its month when the contract names the month's index.
    facturlib fetches nothing: the values are data you pass.

    Attributes:
        name: the index, e.g. ``"Syntec"``.
        values: (date, value) pairs, or a mapping date → value; values positive,
            as ``Decimal``, ``int`` or ``str`` (floats refused); kept sorted by date.

    >>> series = IndexSeries(name="Syntec (example values)",
    ...                      values={date(2025, 1, 1): "250.0", date(2026, 1, 1): "262.5"})
    >>> series.value_on(date(2025, 12, 31)), series.value_on(date(2026, 3, 1))
    (Decimal('250.0'), Decimal('262.5'))

    .. versionadded:: 0.2
    """

    name: str = attrs.field(converter=to_text, validator=is_text)
    values: tuple[tuple[date, Decimal], ...] = attrs.field(
        converter=_to_series_values, validator=_is_series_values
    )

    def value_on(self, day: date) -> Decimal:
        """The value in force on *day*: the last one dated on or before it.

        Raises:
            PricingError: *day* is before the first value.

        .. versionadded:: 0.2
        """
        check_date(day, "day", error=PricingError)
        found = None
        for when, number in self.values:
            if when > day:
                break
            found = number
        if found is None:
            raise _error(
                f"the {self.name} series has no value on or before {day}",
                "day",
                day,
                f"its first value is dated {self.values[0][0]}; add the earlier values",
            )
        return found


def _to_rate(value: Any) -> Decimal:
    return to_decimal(value, "fixed")


def _to_variable(value: Any) -> Decimal:
    return to_decimal(value, "variable")


def _to_base_value(value: Any) -> Decimal:
    return to_decimal(value, "base_value")


def _to_dates(value: Any) -> Any:
    if value is None:
        return ()
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        return value
    days = tuple(value)
    for day in days:
        check_date(day, "revisions", error=PricingError)
    return days


def _places(instance: object, attribute: Any, value: Any) -> None:
    if value is None and attribute.name == "ratio_places":
        return
    top = 6 if attribute.name == "places" else 10
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= top:
        raise _error(
            f"{attribute.name} is a whole number of decimals from 0 to {top}",
            attribute.name,
            value,
            "a line's unit price has at most 6 decimals (BT-146)"
            if attribute.name == "places"
            else None,
        )


def _rounding_mode(instance: object, attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or value not in ROUNDING_MODES:
        raise _error(
            "unknown rounding mode",
            "rounding",
            value,
            "use one of the decimal.ROUND_* constants, e.g. decimal.ROUND_HALF_UP",
        )


@attrs.frozen(kw_only=True)
class Indexation:
    """A price revision clause: ``P = P0 × (a + b × S/S0)``, rounded as stated.

    *P0* is the base price, *S0* the index value of the base (``base_value``),
    *S* the value in force on the revision date, ``a`` the fixed part and ``b``
    the indexed part, with ``a + b = 1`` so that an unchanged index leaves the
    price unchanged. The usual French IT-services clause is ``P = P0 × S/S0`` on
    the Syntec index (``a = 0``, ``b = 1``). Each revision starts again from
    *P0* and *S0* (no compounding of rounded prices). The index must relate
    directly to the object of the contract or a party's activity (Code monétaire
    et financier L112-2), and its variation period may not exceed the time between
    two revisions (L112-1).

    Attributes:
        series: the `IndexSeries`.
        base_value: *S0*, positive.
        revisions: the dates the price is revised on (e.g. each 1 January); before
            the first the price is *P0*; from each, the price uses the index in force
            on that date.
        fixed: ``a`` (default 0).
        variable: ``b`` (default 1).
        places: decimals of the revised price (0–6; default 2).
        rounding: the ``decimal.ROUND_*`` mode of the revised price (default
            ``ROUND_HALF_UP``).
        ratio_places: if set, ``S/S0`` is first rounded to this many decimals (with
            *rounding*), as some clauses state the coefficient; by default it is exact.

    Raises:
        PricingError: ``a + b`` is not 1, a negative part, a base value not
            positive, revision dates out of order, bad places or rounding.

    With S0 = 250.0 and S = 262.5 (example values), 650.00 per day revised as
    ``P0 × S/S0`` is 682.50, and as ``P0 × (0.15 + 0.85 × S/S0)`` is 677.63:

    >>> from facturlib.core.money import to_money
    >>> series = IndexSeries(name="Syntec (example values)",
    ...                      values={date(2025, 1, 1): "250.0", date(2026, 1, 1): "262.5"})
    >>> clause = Indexation(series=series, base_value="250.0", revisions=[date(2026, 1, 1)])
    >>> clause.price_on(to_money("650.00", "EUR"), date(2026, 6, 1))
    Money('682.50', 'EUR')
    >>> attrs.evolve(clause, fixed="0.15", variable="0.85").revise(
    ...     to_money("650.00", "EUR"), Decimal("262.5"))
    Money('677.63', 'EUR')

    .. versionadded:: 0.2
    """

    series: IndexSeries = attrs.field()
    base_value: Decimal = attrs.field(converter=_to_base_value)
    revisions: tuple[date, ...] = attrs.field(default=(), converter=_to_dates)
    fixed: Decimal = attrs.field(default=_ZERO, converter=_to_rate)
    variable: Decimal = attrs.field(default=_ONE, converter=_to_variable)
    places: int = attrs.field(default=2, validator=_places)
    rounding: str = attrs.field(default=decimal.ROUND_HALF_UP, validator=_rounding_mode)
    ratio_places: int | None = attrs.field(default=None, validator=_places)

    def __attrs_post_init__(self) -> None:
        check_instance(
            self.series,
            IndexSeries,
            "series",
            error=PricingError,
            hint="build it with IndexSeries(name=..., values=...)",
        )
        if self.base_value <= 0:
            raise _error("the base index value S0 is positive", "base_value", self.base_value)
        for name, part in (("fixed", self.fixed), ("variable", self.variable)):
            if part < 0:
                raise _error(f"the {name} part is not negative", name, part, None)
        if self.fixed + self.variable != 1:
            raise _error(
                "the fixed and indexed parts of a revision formula add up to 1",
                "variable",
                self.variable,
                f"with fixed={_fmt(self.fixed)} give variable={_fmt(1 - self.fixed)}",
            )
        if not isinstance(self.revisions, tuple):
            raise _error("expected a list of dates", "revisions", self.revisions, None)
        if list(self.revisions) != sorted(set(self.revisions)):
            raise _error(
                "revision dates are in order, each once",
                "revisions",
                self.revisions,
                "sort them and drop duplicates",
            )

    @exact
    def revise(self, price: Money, index: Decimal | int | str) -> Money:
        """*price* (P0) revised for the index value *index* (S), rounded to ``places``.

        Exact: ``P0 × (a × S0 + b × S) / S0`` is computed with 100 significant digits,
        more than any quotient of 28-digit inputs needs to round correctly.

        Raises:
            PricingError: *price* has more decimals than ``places`` (the revised price
                could not give it back for an unchanged index), or *index* is not positive.

        .. versionadded:: 0.2
        """
        check_money(price, "price", error=PricingError)
        max_places(
            price.amount,
            self.places,
            "price",
            "a price under this clause",
            error=PricingError,
            hint=f"give P0 with at most {self.places} decimals, or raise places",
        )
        s = to_decimal(index, "index")
        if s <= 0:
            raise _error("an index value is positive", "index", s, None)
        s0 = self.base_value
        if self.ratio_places is None:
            exact_price = price.amount * (self.fixed * s0 + self.variable * s) / s0
        else:
            ratio = (s / s0).quantize(Decimal(1).scaleb(-self.ratio_places), self.rounding)
            exact_price = price.amount * (self.fixed + self.variable * ratio)
        revised = exact_price.quantize(Decimal(1).scaleb(-self.places), self.rounding)
        return FrozenMoney(revised, price.currency)

    def index_on(self, day: date) -> Decimal | None:
        """The index value S used on *day*: the one in force on the last revision date
        on or before *day*; ``None`` before the first revision.

        .. versionadded:: 0.2
        """
        check_date(day, "on", error=PricingError)
        revision = None
        for when in self.revisions:
            if when > day:
                break
            revision = when
        return None if revision is None else self.series.value_on(revision)

    def price_on(self, price: Money, day: date) -> Money:
        """*price* (P0) as revised on *day*: P0 before the first revision.

        .. versionadded:: 0.2
        """
        index = self.index_on(day)
        return price if index is None else self.revise(price, index)


# ---------------------------------------------------------------------- price book


def _is_price(instance: object, attribute: Any, value: Any) -> None:
    if isinstance(value, TieredPrice):
        return
    _price_field(instance, attribute, value)


def _is_optional_indexation(instance: object, attribute: Any, value: Any) -> None:
    check_instance(value, Indexation, "indexation", optional=True, error=PricingError)


def _is_optional_unit(instance: object, attribute: Any, value: Any) -> None:
    if value is not None:
        _is_unit_code(instance, attribute, value)


@attrs.frozen(kw_only=True)
class PriceEntry:
    """The price of one product in a `PriceBook`, over a validity window.

    Attributes:
        product: the product's key: its ``id``, else its name (as `Product` gives it).
        price: a unit price (`Money`) or a `TieredPrice`.
        unit: the UNECE unit the price is per (default: the product's unit).
        minimum_quantity: the least quantity sold (in *unit*); below it the book
            refuses, or bills the minimum when *bill_minimum*.
        bill_minimum: bill *minimum_quantity* for any smaller quantity.
        discount: a percentage discount, stated on each line as a line allowance
            (BG-27) with *discount_reason*; a subscription bills the net price.
        discount_reason: the allowance's reason text (BT-139).
        valid_from: the first day of the price (included); ``None``: always.
        valid_until: the first day it no longer applies (excluded); ``None``: open.
        indexation: an `Indexation` clause revising the price (every tier's price).

    .. versionadded:: 0.2
    """

    product: str = attrs.field(converter=to_text, validator=is_text)
    price: Money | TieredPrice = attrs.field(converter=_freeze, validator=_is_price)
    unit: str | None = attrs.field(default=None, validator=_is_optional_unit)
    minimum_quantity: Decimal | None = attrs.field(default=None, converter=_optional_minimum)
    bill_minimum: bool = attrs.field(default=False, validator=is_bool)
    discount: Decimal | None = attrs.field(default=None, converter=_optional_percent)
    discount_reason: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    valid_from: date | None = attrs.field(default=None, validator=is_optional_date)
    valid_until: date | None = attrs.field(default=None, validator=is_optional_date)
    indexation: Indexation | None = attrs.field(default=None, validator=_is_optional_indexation)

    def __attrs_post_init__(self) -> None:
        if not self.product.strip():
            raise _error(
                "a price entry names its product",
                "product",
                self.product,
                "give the product's id (or its name if it has none)",
            )
        if self.minimum_quantity is not None and self.minimum_quantity <= 0:
            raise _error(
                "a minimum quantity is positive",
                "minimum_quantity",
                self.minimum_quantity,
                "leave it out for no minimum",
            )
        if self.bill_minimum and self.minimum_quantity is None:
            raise _error(
                "bill_minimum needs a minimum_quantity",
                "bill_minimum",
                True,
                "give minimum_quantity=",
            )
        if self.discount is not None and not 0 < self.discount < _HUNDRED:
            raise _error(
                "a discount is a percentage above 0 and below 100",
                "discount",
                self.discount,
                'write 20 % as discount="20"',
            )
        if (
            self.valid_from is not None
            and self.valid_until is not None
            and self.valid_until <= self.valid_from
        ):
            raise _error(
                "a price must end after it starts",
                "valid_until",
                self.valid_until,
                f"give a day after {self.valid_from} (valid_until is the first day excluded)",
            )

    @property
    def currency(self) -> Currency:
        """The currency of the price."""
        return self.price.currency

    def applies_on(self, day: date) -> bool:
        """Whether the price is valid on *day*."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day < self.valid_until
        )


def _is_book_entries(instance: object, attribute: Any, value: Any) -> None:
    tuple_of(PriceEntry, error=PricingError, hint="use PriceEntry(product=..., price=...)")(
        instance, attribute, value
    )


_trusted_line = unchecked(Line)


class _Priced(NamedTuple):
    """What a book bills for a product and quantity: lines' quantities and prices."""

    entry: PriceEntry
    unit: str
    quantity: Decimal
    #: (quantity, unit price, tier share or None) per line.
    parts: tuple[tuple[Decimal, Money, TierShare | None], ...]
    graduated: bool
    minimum_billed: bool


@attrs.frozen(kw_only=True)
class PriceBook:
    """A named list of prices in one currency: ``standard``, ``partner``, ``export``…

    Attributes:
        name: the book's name.
        currency: the currency of every price in it.
        entries: the `PriceEntry`\\s; the windows of one product must not overlap.
        conversions: the `UnitConversion`\\s the book may sell in (a monthly price
            sold by the year…); a conversion works both ways when exact.

    Raises:
        PricingError: an entry in another currency, overlapping windows for one
            product, two conversions between the same units.

    A partner book at 20 % off, the monthly price sold yearly:

    >>> from facturlib.core.money import to_money
    >>> from facturlib.core.lines import Product
    >>> from facturlib.core.vat import FR_STANDARD
    >>> plan = Product(name="Plan Pro", unit_price=to_money("90.00", "EUR"), vat=FR_STANDARD,
    ...                unit="MON", id="PRO")
    >>> partner = PriceBook(name="partner", currency="EUR",
    ...                     entries=[PriceEntry(product="PRO", price=to_money("90.00", "EUR"),
    ...                                         discount="20", discount_reason="Partner")],
    ...                     conversions=[UnitConversion(unit="ANN", base_unit="MON", factor=12)])
    >>> line = partner.line(plan, 1, on=date(2025, 1, 1), unit="ANN")
    >>> line.unit, line.unit_price, line.discounts[0].percent
    ('ANN', Money('1080.00', 'EUR'), Decimal('20'))
    >>> partner.unit_price(plan, 1, on=date(2025, 1, 1))
    Money('72.00', 'EUR')

    .. versionadded:: 0.2
    """

    name: str = attrs.field(converter=to_text, validator=is_text)
    currency: Currency = attrs.field(converter=to_currency)
    entries: tuple[PriceEntry, ...] = attrs.field(converter=as_tuple, validator=_is_book_entries)
    conversions: tuple[UnitConversion, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(UnitConversion, error=PricingError)
    )

    def __attrs_post_init__(self) -> None:
        windows: dict[str, list[tuple[date, date, int]]] = {}
        for i, entry in enumerate(self.entries):
            if entry.currency != self.currency:
                raise _error(
                    f"a price in {entry.currency.code} in a {self.currency.code} book",
                    f"entries[{i}].price",
                    entry.product,
                    f"give every price in {self.currency.code}, or make one book per currency",
                )
            windows.setdefault(entry.product, []).append(
                (entry.valid_from or date.min, entry.valid_until or date.max, i)
            )
        for product, spans in windows.items():
            spans.sort()
            for (_, end, _), (start, _, index) in itertools.pairwise(spans):
                if start < end:
                    raise _error(
                        f"two prices of {product!r} overlap",
                        f"entries[{index}].valid_from",
                        start if start != date.min else None,
                        "end the first (valid_until) on or before the day the second starts",
                    )
        pairs = set()
        for i, conversion in enumerate(self.conversions):
            pair = frozenset((conversion.unit, conversion.base_unit))
            if pair in pairs:
                raise _error(
                    "two conversions between the same units",
                    f"conversions[{i}]",
                    (conversion.unit, conversion.base_unit),
                    "keep one",
                )
            pairs.add(pair)

    # -- lookups ---------------------------------------------------------------

    def entry(self, product: Product | str, *, on: date) -> PriceEntry:
        """The entry pricing *product* (a `Product` or its key) on *on*.

        Raises:
            PricingError: no price for it on that day.

        .. versionadded:: 0.2
        """
        check_date(on, "on", error=PricingError)
        key = _key(product)
        known = [e for e in self.entries if e.product == key]
        for entry in known:
            if entry.applies_on(on):
                return entry
        if not known:
            hint = f"add a PriceEntry(product={key!r}, ...) to the book"
        else:
            spans = ", ".join(f"{e.valid_from or '…'} to {e.valid_until or '…'}" for e in known)
            hint = f"its prices apply {spans} (end excluded)"
        raise _error(f"the {self.name} book has no price for {key!r} on {on}", "product", key, hint)

    @exact
    def _priced(
        self, product: Product, quantity: Decimal | int | str, on: date, unit: str | None
    ) -> _Priced:
        check_instance(
            product, Product, "product", error=PricingError, hint="pass a facturlib.Product"
        )
        if not product.name.strip():
            raise _error(
                "a product priced by a book needs a name", "product.name", product.name, None
            )
        q = _quantity(quantity)
        if q <= 0:
            raise _error(
                "a price book prices a positive quantity",
                "quantity",
                q,
                "bill a return as a credit note of the original lines",
            )
        entry = self.entry(product, on=on)
        entry_unit = entry.unit or product.unit
        sold_unit = entry_unit if unit is None else unit
        if unit is not None:
            _is_unit_code(None, None, unit)  # type: ignore[arg-type]
        to_price, to_entry_quantity = self._conversion(sold_unit, entry_unit)
        minimum_billed = False
        if entry.minimum_quantity is not None and to_entry_quantity(q) < entry.minimum_quantity:
            if not entry.bill_minimum:
                raise _error(
                    f"{product.name} is sold from {_fmt(entry.minimum_quantity)} {entry_unit}",
                    "quantity",
                    q,
                    f"order at least {_fmt(entry.minimum_quantity)} {entry_unit}",
                )
            q = self._in_sold_units(entry.minimum_quantity, sold_unit, entry_unit)
            minimum_billed = True
        price = entry.price
        if entry.indexation is not None:
            clause = entry.indexation
            if isinstance(price, TieredPrice):
                price = price.map_prices(lambda p: clause.price_on(p, on))
            else:
                price = clause.price_on(price, on)
        graduated = False
        if isinstance(price, TieredPrice):
            graduated = price.mode is Tiering.GRADUATED
            if graduated and sold_unit != entry_unit:
                raise _error(
                    "a graduated price is sold in the unit of its tiers",
                    "unit",
                    sold_unit,
                    f"sell in {entry_unit}, or give a PriceEntry in {sold_unit}",
                )
            shares = price._shares(to_entry_quantity(q))
            parts: tuple[tuple[Decimal, Money, TierShare | None], ...] = tuple(
                (s.quantity, to_price(s.unit_price), s) for s in shares
            )
            if not graduated:
                parts = ((q, parts[0][1], None),)
        else:
            parts = ((q, to_price(price), None),)
        # Book and tier prices are checked; a conversion may add decimals.
        for _, unit_price, _ in parts if sold_unit != entry_unit else ():
            max_places(
                unit_price.amount,
                _PRICE_PLACES,
                "unit_price",
                "a line's unit price (BT-146)",
                error=PricingError,
                shown=unit_price,
            )
        return _Priced(entry, sold_unit, q, parts, graduated, minimum_billed)

    def _conversion(self, sold: str, base: str) -> tuple[Any, Any]:
        """(price per base unit → price per sold unit, sold quantity → base quantity)."""
        if sold == base:
            return (lambda p: p), (lambda q: q)
        for conversion in self.conversions:
            if (conversion.unit, conversion.base_unit) == (sold, base):
                return conversion.price, conversion.quantity
            if (conversion.unit, conversion.base_unit) == (base, sold):
                return conversion.base_price, conversion.unit_quantity
        raise _error(
            f"the {self.name} book cannot sell in {sold} a price stated in {base}",
            "unit",
            sold,
            f"add UnitConversion(unit={sold!r}, base_unit={base!r}, factor=...) to its conversions",
        )

    def _in_sold_units(self, quantity: Decimal, sold: str, base: str) -> Decimal:
        """*quantity* in the entry's unit, in the sold unit (exact, at most 4 decimals)."""
        if sold == base:
            return quantity
        for conversion in self.conversions:
            if (conversion.unit, conversion.base_unit) == (sold, base):
                result = conversion.unit_quantity(quantity)
                break
        else:
            result = next(
                c.quantity(quantity)
                for c in self.conversions
                if (c.unit, c.base_unit) == (base, sold)
            )
        return max_places(result, 4, "minimum_quantity", "a quantity", error=PricingError)

    # -- results ---------------------------------------------------------------

    def lines(
        self,
        product: Product,
        quantity: Decimal | int | str,
        *,
        on: date,
        unit: str | None = None,
        **overrides: Any,
    ) -> tuple[Line, ...]:
        """The document lines of *quantity* of *product* at this book's price on *on*.

        One line for a unit or volume price; one line per tier reached for a
        graduated price (each the tier's quantity at the tier's price, its range in
        the line's note), so every line net is quantity × price (EN 16931 BR-LIN) and
        the lines sum to the tiered amount. A discount of the entry is a line
        allowance (BG-27) on every line. Below the minimum quantity, the minimum is
        billed (noted on the line) if the entry says so.

        Args:
            product: the `Product` (name, VAT rate, unit, id of the lines).
            quantity: positive, at most 4 decimals, in *unit*.
            on: the day whose price applies (the order or delivery date, a period's start).
            unit: the UNECE unit sold, if not the entry's (a `UnitConversion` of the book
                converts it).
            overrides: other `Line` fields (``period=``, ``note=``…).

        Returns:
            The lines, in tier order.

        Raises:
            PricingError: no price on *on*, a quantity below the minimum, a unit the
                book cannot convert to, a converted or revised price with more than
                6 decimals.

        .. versionadded:: 0.2
        """
        priced = self._priced(product, quantity, on, unit)
        many = len(priced.parts) > 1
        result = []
        for part_quantity, unit_price, share in priced.parts:
            note = share.label.capitalize() if share is not None and many else None
            if priced.minimum_billed:
                note = _minimum_note(priced, note)
            result.append(self._line(product, priced, part_quantity, unit_price, note, overrides))
        return tuple(result)

    def line(
        self,
        product: Product,
        quantity: Decimal | int | str,
        *,
        on: date,
        unit: str | None = None,
        **overrides: Any,
    ) -> Line:
        """One document line of *quantity* of *product* at this book's price on *on*.

        As `lines`, but a graduated price reaching several tiers is one line at the
        average unit price (the tiers in its note). That average must be exact with
        6 decimals, so that the line net is the tiered amount (BR-LIN); when it is
        not, use `lines`.

        Raises:
            PricingError: as `lines`, or an average unit price that is not exact.

        .. versionadded:: 0.2
        """
        priced = self._priced(product, quantity, on, unit)
        if len(priced.parts) == 1:
            (part_quantity, unit_price, _), note = priced.parts[0], None
        else:
            part_quantity = priced.quantity
            unit_price = _average(priced)
            note = "Graduated price: " + " + ".join(
                f"{_fmt(q)} × {p.amount}" for q, p, _ in priced.parts
            )
        if priced.minimum_billed:
            note = _minimum_note(priced, note)
        return self._line(product, priced, part_quantity, unit_price, note, overrides)

    @exact
    def unit_price(
        self,
        product: Product,
        quantity: Decimal | int | str = 1,
        *,
        on: date,
        unit: str | None = None,
    ) -> Money:
        """The net unit price (BT-146) one line of *quantity* bills on *on*.

        The unit price, the volume tier's price, or the exact average of a graduated
        price, less the entry's discount; what a subscription item priced from a book
        bills (see `facturlib.SubscriptionItem`).

        Raises:
            PricingError: as `line`; a quantity below the minimum (a unit price cannot
                bill a minimum: use `lines`); a net price with more than 6 decimals.

        .. versionadded:: 0.2
        """
        priced = self._priced(product, quantity, on, unit)
        if priced.minimum_billed:
            raise _error(
                f"{_fmt(to_decimal(quantity, 'quantity'))} is below the minimum quantity",
                "quantity",
                quantity,
                "a unit price cannot bill a minimum; bill the minimum quantity, or use lines()",
            )
        price = priced.parts[0][1] if len(priced.parts) == 1 else _average(priced)
        discount = priced.entry.discount
        if discount is None:
            return price
        net = price.amount * (_HUNDRED - discount) / _HUNDRED
        max_places(
            net,
            _PRICE_PLACES,
            "unit_price",
            "a net unit price (BT-146)",
            error=PricingError,
            hint="the discounted price needs more than 6 decimals; give the net price in the book",
        )
        return FrozenMoney(net, price.currency)

    def _line(
        self,
        product: Product,
        priced: _Priced,
        quantity: Decimal,
        unit_price: Money,
        note: str | None,
        overrides: dict[str, Any],
    ) -> Line:
        entry = priced.entry
        discounts: tuple[Discount, ...] = ()
        if entry.discount is not None:
            discounts = (Discount(percent=entry.discount, reason=entry.discount_reason),)
        if not overrides:
            # Trusted (see facturlib.core._trusted): these are `Product.line`'s fields,
            # each already what `Line` would store: the product's checked fields (its
            # name not blank, `_priced` checks), a positive quantity of at most 4
            # decimals (a checked quantity or a tier's part of it), a unit price
            # `_priced` checked (FrozenMoney, at most 6 decimals, not negative), a
            # checked unit code, BT-149 = 1, a checked Discount. A property test
            # (test_pricing_laws) compares the result with the checking constructor.
            return _trusted_line(
                description=product.name,
                quantity=quantity,
                unit_price=unit_price,
                vat=product.vat,
                unit=priced.unit,
                base_quantity=ONE,
                discounts=discounts,
                note=product.description if note is None else note,
                product_id=product.id,
                supply=product.supply,
            )
        # A book's prices are per one unit (BT-149 = 1), whatever the product's base.
        fields: dict[str, Any] = {
            "unit_price": unit_price,
            "unit": priced.unit,
            "base_quantity": ONE,
        }
        if note is not None:
            fields["note"] = note
        if discounts:
            fields["discounts"] = discounts
        fields.update(overrides)
        return product.line(quantity, **fields)


def _key(product: Product | str) -> str:
    if isinstance(product, Product):
        return product.id or product.name
    if isinstance(product, str):
        return product
    raise _error(
        f"expected a Product or its key, got {type(product).__name__}",
        "product",
        product,
        "pass the Product (or its id)",
    )


@exact
def _average(priced: _Priced) -> Money:
    """The exact average unit price of a graduated price, or `PricingError`."""
    total = sum((q * p.amount for q, p, _ in priced.parts), _ZERO)
    average = total / priced.quantity
    if average * priced.quantity != total or average != average.quantize(_PRICE_QUANTUM):
        raise _error(
            "the average unit price of a graduated price is not exact with 6 decimals",
            "quantity",
            priced.quantity,
            "use PriceBook.lines() (one line per tier), which is always exact",
        )
    currency = priced.parts[0][1].currency
    return FrozenMoney(average, currency)


def _minimum_note(priced: _Priced, note: str | None) -> str:
    text = f"Minimum quantity billed: {_fmt(priced.quantity)} {priced.unit}"
    return text if note is None else f"{note}; {text}"
