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
    kind = type(value)
    if value is None or kind is str or kind is int or kind is bool:
        return value
    names = _attrs_names(kind)
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names if name not in skip}
    return _plain_other(value)


def _plain(value: Any) -> Any:
    # to_plain without *skip*, its hot path first: the common scalar types, then
    # attrs values by their cached field names (the seal of every issued invoice runs
    # through here, issue 16).
    kind = type(value)
    if value is None or kind is str or kind is int or kind is bool:
        return value
    if kind is Decimal:
        return str(value)
    if kind is tuple:
        return [_plain(item) for item in value]
    names = _attrs_names(kind)
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    return _plain_other(value)


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


def fingerprint(type_name: str, fields: Mapping[str, Any]) -> str:
    """A SHA-256 (hex) of the canonical JSON of a value's *fields*."""
    plain = {name: to_plain(value) for name, value in fields.items()}
    text = json.dumps(
        {"type": type_name, "content": plain},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
