"""Private converters and checks shared by the value objects."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from facturlib.errors import FloatNotAllowed, InvalidValue


def to_decimal(value: object, field: str) -> Decimal:
    """Return *value* as a Decimal; refuse floats and anything not a number.

    >>> to_decimal("1.50", "quantity")
    Decimal('1.50')
    >>> to_decimal(1.5, "quantity")
    Traceback (most recent call last):
    ...
    facturlib.errors.FloatNotAllowed: floats are not exact enough for money ...
    """
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool):
        raise InvalidValue("expected a number, got a bool", field=field, value=value)
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        raise FloatNotAllowed(
            "floats are not exact enough for money or quantities",
            field=field,
            value=value,
            hint=f'pass a str or Decimal instead, e.g. Decimal("{value!r}")',
        )
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip().replace(" ", ""))
        except InvalidOperation:
            raise InvalidValue(
                "not a decimal number", field=field, value=value, hint='write it like "12.50"'
            ) from None
    else:
        raise InvalidValue(
            f"expected a Decimal, int or str, got {type(value).__name__}",
            field=field,
            value=value,
        )
    if not result.is_finite():
        raise InvalidValue("must be a finite number", field=field, value=value)
    return result


def max_places(
    value: Decimal,
    places: int,
    field: str,
    what: str,
    *,
    error: type[InvalidValue] = InvalidValue,
    hint: str | None = None,
    shown: object = None,
) -> Decimal:
    """Refuse a Decimal with more than *places* decimals (trailing zeros ignored).

    Raises *error* (an `InvalidValue` subclass, so each layer raises its own)
    showing *shown* (default: *value*) and *hint*.
    """
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise error(
            f"{what} may have at most {places} decimals",
            field=field,
            value=value if shown is None else shown,
            hint=hint or f"round it to {places} decimals before passing it",
        )
    return value


def is_date(instance: object, attribute: Any, value: Any) -> None:
    """attrs validator: a `datetime.date` (a datetime or a string is refused)."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidValue(
            "expected a datetime.date",
            field=attribute.name,
            value=value,
            hint="pass a datetime.date (not a datetime or a string)",
        )


def is_optional_date(instance: object, attribute: Any, value: Any) -> None:
    """attrs validator: ``None`` or a `datetime.date`."""
    if value is not None:
        is_date(instance, attribute, value)


def optional_str(value: Any) -> str | None:
    """Converter: strip strings, turn empty ones into None."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def to_tuple(value: Iterable[Any] | None) -> tuple[Any, ...]:
    """Converter: any iterable (list, generator) to a tuple, so values stay immutable."""
    if value is None:
        return ()
    if isinstance(value, str | bytes):
        raise InvalidValue("expected a sequence of items, got a string", value=value)
    return tuple(value)


def to_base_quantity(value: Any) -> Decimal:
    """Converter for a base quantity (BT-149)."""
    return to_decimal(value, "base_quantity")


def to_cash_increment(value: Any) -> Decimal | None:
    """Converter for `RoundingPolicy.cash_increment` (floats refused)."""
    return None if value is None else to_decimal(value, "cash_increment")


def to_exchange_rate(value: Any) -> Decimal | None:
    """Converter for an invoice's tax exchange rate (floats refused)."""
    return None if value is None else to_decimal(value, "tax_exchange_rate")
