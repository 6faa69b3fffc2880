"""Private: turn facturlib values into plain JSON-able data, canonically.

Used by `facturlib.core.serialize` (the dict/JSON round trip) and by the seal that
freezes an issued invoice's content. The output depends only on the values, never
on ``repr``: Decimals keep their exponent (``"12.50"`` stays ``"12.50"``), dates
are ISO strings, enums their value, Money ``{"amount", "currency"}``.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
from moneyed import Currency, Money

__all__ = ["fingerprint", "to_plain"]


def to_plain(value: Any, *, skip: frozenset[str] = frozenset()) -> Any:
    """Plain data (dict, list, str, int, bool, None) for *value*.

    Attribute names in *skip* are left out of the top-level attrs instance only.
    """
    if not skip:
        return _plain(value)
    names = _attrs_names(type(value))
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names if name not in skip}
    return _plain(value)


def _plain(value: Any) -> Any:
    # to_plain without *skip*, by a handler looked up once per type: the seal of every
    # issued invoice runs through here each time one is verified (issue 16).
    kind = type(value)
    try:
        handler = _HANDLERS[kind]
    except KeyError:
        handler = _HANDLERS[kind] = _handler(kind)
    return handler(value)


def _same(value: Any) -> Any:
    return value


def _tuple(value: tuple[Any, ...]) -> list[Any]:
    return [_plain(item) for item in value]


def _money(value: Money) -> dict[str, str]:
    return {"amount": str(value.amount), "currency": value.currency.code}


def _handler(kind: type) -> Any:
    """The function that turns a value of type *kind* into plain data."""
    if kind in (type(None), str, int, bool):
        return _same
    if kind is Decimal:
        return str
    if kind is tuple:
        return _tuple
    names = _attrs_names(kind)
    if names is not None:

        def plain_attrs(value: Any) -> dict[str, Any]:
            return {name: _plain(getattr(value, name)) for name in names}

        return plain_attrs
    if issubclass(kind, Money):
        return _money
    if issubclass(kind, Currency):
        return _code
    if issubclass(kind, enum.Enum):
        return _enum_value
    if issubclass(kind, date):
        return kind.isoformat
    return _plain_other


def _code(value: Currency) -> str:
    return value.code


def _enum_value(value: enum.Enum) -> Any:
    return value.value


_HANDLERS: dict[type, Any] = {}
_NAMES: dict[type, tuple[str, ...] | None] = {}


def _attrs_names(kind: type) -> tuple[str, ...] | None:
    """The public field names of the attrs class *kind* (``None`` for other types),
    looked up once per type."""
    try:
        return _NAMES[kind]
    except KeyError:
        names = None
        if attrs.has(kind):
            names = tuple(f.name for f in attrs.fields(kind) if not f.name.startswith("_"))
        _NAMES[kind] = names
        return names


def _plain_other(value: Any) -> Any:
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Money):
        return {"amount": str(value.amount), "currency": value.currency.code}
    if isinstance(value, Currency):
        return value.code
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, frozenset | set):
        return sorted((_plain(item) for item in value), key=_sort_key)
    if attrs.has(type(value)):
        return to_plain(value)
    raise TypeError(f"cannot serialize {type(value).__name__}")  # pragma: no cover


def _sort_key(item: Any) -> str:
    return json.dumps(item, sort_keys=True)


#: The canonical JSON encoder, built once (json.dumps builds one per call): sorted
#: keys, no spaces, UTF-8 text; plain data holds no cycle, so none is looked for.
_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, check_circular=False
)


def fingerprint(type_name: str, fields: Mapping[str, Any]) -> str:
    """A SHA-256 (hex) of the canonical JSON of a value's *fields*."""
    plain = {name: _plain(value) for name, value in fields.items()}
    text = _ENCODER.encode({"type": type_name, "content": plain})
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
