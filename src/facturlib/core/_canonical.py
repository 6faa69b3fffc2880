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


def to_plain(value: Any, *, skip: frozenset[str] = frozenset(), legacy: bool = False) -> Any:
    """Plain data (dict, list, str, int, bool, None) for *value*.

    Attribute names in *skip* are left out of the top-level attrs instance only.

    With *legacy* (the seal's form), a field added after 0.1 (``metadata={"since":
    ...}``) is left out while it holds its default, and a value whose class has a
    ``_legacy_plain()`` giving a non-``None`` result is written in that older form:
    an invoice sealed by an earlier version keeps its seal.
    """
    if legacy and value is not None and not isinstance(value, str | int):
        older = getattr(value, "_legacy_plain", None)
        if older is not None:
            plain = older()
            if plain is not None:
                return plain
    if value is None or isinstance(value, bool | int | str):
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
        return [to_plain(item, legacy=legacy) for item in value]
    if isinstance(value, frozenset | set):
        return sorted((to_plain(item, legacy=legacy) for item in value), key=_sort_key)
    if attrs.has(type(value)):
        return {
            field.name: to_plain(getattr(value, field.name), legacy=legacy)
            for field in attrs.fields(type(value))
            if field.name not in skip
            and not field.name.startswith("_")
            and not (legacy and _is_new_default(field, getattr(value, field.name)))
        }
    raise TypeError(f"cannot serialize {type(value).__name__}")  # pragma: no cover


def _is_new_default(field: attrs.Attribute[Any], value: Any) -> bool:
    """Whether *field* was added after 0.1 and still holds its default."""
    return "since" in field.metadata and value == field.default


def _sort_key(item: Any) -> str:
    return json.dumps(item, sort_keys=True)


def fingerprint(
    type_name: str, fields: Mapping[str, Any], new_fields: Mapping[str, Any] | None = None
) -> str:
    """A SHA-256 (hex) of the canonical JSON of a value's *fields*.

    *new_fields* maps the names of top-level fields added after 0.1 to their
    defaults: such a field is left out while at its default (see `to_plain`).
    """
    new_fields = new_fields or {}
    plain = {
        name: to_plain(value, legacy=True)
        for name, value in fields.items()
        if not (name in new_fields and value == new_fields[name])
    }
    text = json.dumps(
        {"type": type_name, "content": plain},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
