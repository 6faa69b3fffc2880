"""Private converters and checks shared by the value objects."""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from itertools import repeat
from typing import Any, TypeVar

from moneyed import Money

from facturlib.core.errors import FloatNotAllowed, InvalidValue


def to_decimal(value: object, field: str) -> Decimal:
    """Return *value* as a Decimal; refuse floats and anything not a number.

    >>> to_decimal("1.50", "quantity")
    Decimal('1.50')
    >>> to_decimal(1.5, "quantity")
    Traceback (most recent call last):
    ...
    facturlib.core.errors.FloatNotAllowed: floats are not exact enough for money ...
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
        raise InvalidValue(
            "must be a finite number",
            field=field,
            value=value,
            hint='NaN and Infinity are not amounts or quantities; pass e.g. "12.50"',
        )
    return check_digits(result, field)


#: The most significant digits facturlib takes in an amount, quantity or rate: what
#: the default decimal context holds exactly (28 digits).
MAX_DIGITS = 28


def check_digits(value: Decimal, field: str) -> Decimal:
    """Refuse a Decimal that exact arithmetic cannot hold: NaN, an infinity, more than
    28 significant digits, or a magnitude of 10**28 or more (or below 10**-28)."""
    if not value.is_finite():
        raise InvalidValue(
            "must be a finite number",
            field=field,
            value=value,
            hint='NaN and Infinity are not amounts or quantities; pass e.g. "12.50"',
        )
    digits = value.as_tuple().digits
    if len(digits) > MAX_DIGITS or (digits != (0,) and value.adjusted() >= MAX_DIGITS):
        significant = len(digits)
        while significant > 1 and digits[significant - 1] == 0:
            significant -= 1
        if significant > MAX_DIGITS or value.adjusted() >= MAX_DIGITS:
            raise InvalidValue(
                f"has more than {MAX_DIGITS} significant digits or is too large",
                field=field,
                value=str(value)[:60],
                hint=f"amounts and quantities are exact up to {MAX_DIGITS} digits; round it",
            )
    if digits != (0,) and value.adjusted() < -MAX_DIGITS:
        raise InvalidValue(
            f"is too small: below 10**-{MAX_DIGITS}",
            field=field,
            value=str(value)[:60],
            hint="round it to a sensible number of decimals",
        )
    return value


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


def to_tuple(value: Iterable[Any] | None, field: str | None = None) -> tuple[Any, ...]:
    """Converter: any iterable (list, generator) to a tuple, so values stay immutable.

    ``None`` gives ``()``. A string, or anything that is not iterable, raises
    `InvalidValue` naming *field*.

    >>> to_tuple(["a", "b"])
    ('a', 'b')
    >>> to_tuple(3, "lines")
    Traceback (most recent call last):
    ...
    facturlib.core.errors.InvalidValue: expected a sequence of items, got int (lines=3); ...
    """
    if value is None:
        return ()
    if isinstance(value, tuple):
        return value
    if isinstance(value, str | bytes):
        raise InvalidValue(
            "expected a sequence of items, got a string",
            field=field,
            value=value,
            hint="pass a list or tuple, e.g. [item]",
        )
    try:
        return tuple(value)
    except TypeError:
        raise InvalidValue(
            f"expected a sequence of items, got {type(value).__name__}",
            field=field,
            value=value,
            hint="pass a list or tuple, e.g. [item]",
        ) from None


def as_tuple(value: Iterable[Any] | None) -> tuple[Any, ...]:
    """Converter: a list, generator or other iterable (not a string) to a tuple, ``None``
    to ``()``.

    Anything else is left as it is, for the field's `tuple_of` validator to refuse
    naming the field (a converter is not told which field it converts).
    """
    if value is None:
        return ()
    if isinstance(value, tuple):
        return value
    if isinstance(value, str | bytes) or not hasattr(value, "__iter__"):
        return value  # type: ignore[return-value]
    return tuple(value)


def tuple_of(
    kind: type | tuple[type, ...],
    *,
    error: type[InvalidValue] = InvalidValue,
    hint: str | None = None,
) -> Callable[[object, Any, tuple[Any, ...]], None]:
    """attrs validator: the field holds a tuple (see `as_tuple`) whose every item is a
    *kind*; else raise *error* naming the field or the item (``lines[2]``)."""
    name = _kind_name(kind)

    def check(instance: object, attribute: Any, value: tuple[Any, ...]) -> None:
        if not isinstance(value, tuple):
            raise error(
                f"expected a sequence of {name}, got {type(value).__name__}",
                field=attribute.name,
                value=value,
                hint="pass a list or tuple, e.g. [item]",
            )
        for i, item in enumerate(value):
            if not isinstance(item, kind):
                raise error(
                    f"expected a {name}, got {type(item).__name__}",
                    field=f"{attribute.name}[{i}]",
                    value=item,
                    hint=hint,
                )
            if type(item) is str and not item.isascii():
                check_text(item, f"{attribute.name}[{i}]")  # no lone surrogate

    return check


def _kind_name(kind: type | tuple[type, ...]) -> str:
    if isinstance(kind, tuple):
        return " or ".join(k.__name__ for k in kind)
    return kind.__name__


def instance_of(
    kind: type | tuple[type, ...],
    *,
    optional: bool = False,
    error: type[InvalidValue] = InvalidValue,
    hint: str | None = None,
) -> Callable[[object, Any, Any], None]:
    """attrs validator: the field holds a *kind* (or ``None`` if *optional*); else
    raise *error* naming the field, what it holds and *hint*.

    Unlike ``attrs.validators.instance_of`` it raises facturlib's own errors.
    """
    name = _kind_name(kind)

    def check(instance: object, attribute: Any, value: Any) -> None:
        if not isinstance(value, kind) and not (optional and value is None):
            raise error(
                f"expected a {name}{' or None' if optional else ''}, got {type(value).__name__}",
                field=attribute.name,
                value=value,
                hint=hint,
            )

    return check


def is_bool(instance: object, attribute: Any, value: Any) -> None:
    """attrs validator: ``True`` or ``False`` (not ``0``, ``"false"`` or ``None``)."""
    if value is not True and value is not False:
        raise InvalidValue(
            f"expected True or False, got {type(value).__name__}",
            field=attribute.name,
            value=value,
            hint=f"pass {attribute.name}=True or {attribute.name}=False",
        )


def check_int(
    value: object,
    field: str,
    *,
    minimum: int | None = None,
    error: type[InvalidValue] = InvalidValue,
    hint: str | None = None,
) -> int:
    """Return *value* if it is an ``int`` (not a bool) of at least *minimum*; else raise
    *error* naming *field*."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise error(
            f"expected a whole number (int), got {type(value).__name__}",
            field=field,
            value=value,
            hint=hint or "pass an int, e.g. 30",
        )
    if minimum is not None and value < minimum:
        raise error(f"must be at least {minimum}", field=field, value=value, hint=hint)
    return value


def is_int(
    *,
    minimum: int | None = None,
    optional: bool = False,
    error: type[InvalidValue] = InvalidValue,
    hint: str | None = None,
) -> Callable[[object, Any, Any], None]:
    """attrs validator: `check_int` on the field (``None`` passes if *optional*)."""

    def check(instance: object, attribute: Any, value: Any) -> None:
        if not (optional and value is None):
            check_int(value, attribute.name, minimum=minimum, error=error, hint=hint)

    return check


E = TypeVar("E", bound=enum.Enum)


def to_enum(
    value: object, kind: type[E], field: str, *, error: type[InvalidValue] = InvalidValue
) -> E:
    """Return *value* as a member of the enum *kind* (a member or a member's value);
    else raise *error* naming *field* and listing the members."""
    if isinstance(value, kind):
        return value
    try:
        return kind(value)
    except (ValueError, TypeError):
        members = ", ".join(f"{kind.__name__}.{m.name}" for m in kind)
        raise error(
            f"not a {kind.__name__}", field=field, value=value, hint=f"use one of {members}"
        ) from None


def to_text(value: str | int) -> str:
    """Converter: write an int out; leave a str, and anything else for `is_text` to
    refuse naming the field (``converter=str`` would turn a float or an object into
    text silently)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value  # type: ignore[return-value]


def optional_text(value: str | int | None) -> str | None:
    """Converter: strip a string (a blank one gives ``None``), write an int out.

    Anything else is left as it is, for `is_text` or `is_optional_text` to refuse
    naming the field: a float, a date or an object is not text.
    """
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value  # type: ignore[return-value]


def is_optional_text(instance: object, attribute: Any, value: Any) -> None:
    """attrs validator: ``None`` or a ``str`` (after `optional_text`) that UTF-8 can
    write (no lone surrogate)."""
    if value is not None:
        if not isinstance(value, str):
            _not_text(attribute.name, value)
        if not value.isascii():
            check_text(value, attribute.name)


def is_text(instance: object, attribute: Any, value: Any) -> None:
    """attrs validator: a ``str``, not ``None`` (after `to_text` or `optional_text`)."""
    if not isinstance(value, str):
        if value is None:
            raise InvalidValue(
                "must not be empty", field=attribute.name, value=value, hint="give it a value"
            )
        _not_text(attribute.name, value)
    if not value.isascii():
        check_text(value, attribute.name)


#: Characters that reorder text on screen (Unicode UAX #9 embeddings, overrides and
#: isolates): in a name they can make a printed line say something else.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def check_text(text: str, field: str, *, one_line: bool = False) -> str:
    """Return *text* if UTF-8 can write it (no lone surrogate) and, if *one_line*, it
    holds no control character: no line break or separator (C0 and C1 controls, U+2028,
    U+2029) and no bidirectional override; else raise `InvalidValue` naming *field*.

    A newline in a party's name could forge a line of a letter or a PDF (a fake
    "Total à régler : 0,00 €"), and a lone surrogate makes the JSON, PDF and XML
    writers fail far from where it came in.
    """
    if text.isascii():
        if one_line and not text.isprintable():
            bad = next(char for char in text if not char.isprintable())
            _bad_char(text, field, bad)
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InvalidValue(
            f"holds a lone surrogate (U+{ord(text[error.start]):04X}), which is not text",
            field=field,
            value=text.encode("utf-8", "backslashreplace").decode("ascii")[:80],
            hint="decode the input with errors='strict' and fix its source",
        ) from None
    if one_line:
        for char in text:
            if char in _BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Zl", "Zp"):
                _bad_char(text, field, char)
    return text


def _bad_char(text: str, field: str, char: str) -> None:
    raise InvalidValue(
        f"must be one line of text without control characters (found U+{ord(char):04X})",
        field=field,
        value=text[:80],
        hint="remove line breaks, tabs and other control characters; put each address "
        "part in its own field (line1, line2, line3)",
    )


def _not_text(field: str, value: object) -> None:
    raise InvalidValue(
        f"expected a str, got {type(value).__name__}",
        field=field,
        value=value,
        hint="pass a str",
    )


def to_base_quantity(value: Any) -> Decimal:
    """Converter for a base quantity (BT-149)."""
    return to_decimal(value, "base_quantity")


def to_cash_increment(value: Any) -> Decimal | None:
    """Converter for `RoundingPolicy.cash_increment` (floats refused)."""
    return None if value is None else to_decimal(value, "cash_increment")


def to_exchange_rate(value: Any) -> Decimal | None:
    """Converter for an invoice's tax exchange rate (floats refused)."""
    return None if value is None else to_decimal(value, "tax_exchange_rate")


def check_money(
    value: object,
    field: str,
    *,
    optional: bool = False,
    error: type[InvalidValue] = InvalidValue,
) -> None:
    """Raise unless *value* is a `Money` (or ``None`` if *optional*): `FloatNotAllowed`
    for a float, else *error* naming *field*."""
    if isinstance(value, Money) or (optional and value is None):
        return
    if isinstance(value, float):
        raise FloatNotAllowed(
            "floats are not exact enough for money",
            field=field,
            value=value,
            hint='pass Money built with facturlib.to_money("12.50", "EUR")',
        )
    raise error(
        f"expected a Money{' or None' if optional else ''}, got {type(value).__name__}",
        field=field,
        value=value,
        hint='build it with facturlib.to_money("12.50", "EUR")',
    )


def is_money(
    *, optional: bool = False, error: type[InvalidValue] = InvalidValue
) -> Callable[[object, Any, Any], None]:
    """attrs validator: `check_money` on the field."""

    def check(instance: object, attribute: Any, value: Any) -> None:
        check_money(value, attribute.name, optional=optional, error=error)

    return check


# ------------------------------------------------------- checks of function arguments


def check_date(
    value: object,
    field: str,
    *,
    optional: bool = False,
    error: type[InvalidValue] = InvalidValue,
) -> None:
    """Raise *error* naming *field* unless *value* is a `datetime.date` (not a datetime,
    not a string), or ``None`` if *optional*."""
    if optional and value is None:
        return
    if not isinstance(value, date) or isinstance(value, datetime):
        raise error(
            f"expected a datetime.date{' or None' if optional else ''}, got {type(value).__name__}",
            field=field,
            value=value,
            hint="pass a datetime.date (not a datetime or a string)",
        )


def check_instance(
    value: object,
    kind: type | tuple[type, ...],
    field: str,
    *,
    optional: bool = False,
    error: type[InvalidValue] = InvalidValue,
    hint: str | None = None,
) -> None:
    """Raise *error* naming *field* unless *value* is a *kind* (or ``None`` if *optional*)."""
    if not isinstance(value, kind) and not (optional and value is None):
        raise error(
            f"expected a {_kind_name(kind)}{' or None' if optional else ''}, "
            f"got {type(value).__name__}",
            field=field,
            value=value,
            hint=hint,
        )


def check_bool(value: object, field: str, *, error: type[InvalidValue] = InvalidValue) -> None:
    """Raise *error* naming *field* unless *value* is ``True`` or ``False``."""
    if value is not True and value is not False:
        raise error(
            f"expected True or False, got {type(value).__name__}",
            field=field,
            value=value,
            hint=f"pass {field}=True or {field}=False",
        )


#: Strings are iterable but never a sequence of items (a tuple: no union built per call).
_TEXT = (str, bytes)


def items_of(
    value: object,
    kind: type | tuple[type, ...],
    field: str,
    *,
    error: type[InvalidValue] = InvalidValue,
    hint: str | None = None,
) -> tuple[Any, ...]:
    """Return the iterable *value* as a tuple of *kind* items (``None`` gives ``()``);
    raise *error* naming *field* (or the item, ``field[i]``) otherwise. The caller's
    list is not changed."""
    if value is None or (value.__class__ is tuple and not value):  # nothing given
        return ()
    if isinstance(value, _TEXT) or not hasattr(value, "__iter__"):
        raise error(
            f"expected a sequence of {_kind_name(kind)}, got {type(value).__name__}",
            field=field,
            value=value,
            hint=hint or "pass a list or tuple",
        )
    items = to_tuple(value, field)
    # The happy path in C (no label built); the loop finds and names the culprit.
    if all(map(isinstance, items, repeat(kind, len(items)))):
        return items
    for i, item in enumerate(items):
        if not isinstance(item, kind):
            raise error(
                f"expected a {_kind_name(kind)}, got {type(item).__name__}",
                field=f"{field}[{i}]",
                value=item,
                hint=hint,
            )
    return items


def is_decimal(*, optional: bool = False) -> Callable[[object, Any, Any], None]:
    """attrs validator: a finite `Decimal` (or ``None`` if *optional*)."""

    def check(instance: object, attribute: Any, value: Any) -> None:
        if optional and value is None:
            return
        if not isinstance(value, Decimal) or not value.is_finite():
            raise InvalidValue(
                f"expected a finite Decimal, got {value!r}",
                field=attribute.name,
                value=value,
                hint='pass a Decimal, e.g. Decimal("12.50")',
            )

    return check
