"""Private: turn facturlib values into plain JSON-able data, canonically.

Used by `facturlib.core.serialize` (the dict/JSON round trip) and by the seal that
freezes an issued invoice's content. The output depends only on the values, never
on ``repr``: Decimals keep their exponent (``"12.50"`` stays ``"12.50"``), dates
are ISO strings, enums their value, Money ``{"amount", "currency"}``.
"""

from __future__ import annotations

import enum
import functools
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
    convert = _LEAVES.get(type(value))
    if convert is not None:  # the common leaves, by exact type (the seal's hot path)
        return convert(value)
    # What the isinstance chain below says of this type, computed once per type.
    kind = _KINDS.get(type(value)) or _kind(type(value))
    if kind == 1:
        return value
    if kind == 2:
        return str(value)
    if kind == 3:
        return {"amount": str(value.amount), "currency": value.currency.code}
    if kind == 4:
        return value.code
    if kind == 5:
        return value.isoformat()
    if kind == 6:
        return value.value
    if kind == 7:
        return [to_plain(item, legacy=legacy) for item in value]
    if kind == 8:
        return sorted((to_plain(item, legacy=legacy) for item in value), key=_sort_key)
    if legacy and not skip:  # the seal's form: one generated function per class
        sealer = _sealer(value.__class__)
        if sealer is not None:
            return sealer(value)
    plan = _plan(value.__class__)
    if plan is not None:
        fields, has_legacy_form = plan
        if legacy and has_legacy_form:
            plain = value._legacy_plain()
            if plain is not None:
                return plain
        out: dict[str, Any] = {}
        leaves = _LEAVES
        for name, new, default in fields:
            if name in skip:
                continue
            field_value = getattr(value, name)
            # a field added after 0.1 is left out of the legacy form at its default
            if legacy and new and field_value == default:
                continue
            # Leaves inline (most fields): what the recursive call would return.
            convert = leaves.get(type(field_value))
            out[name] = (
                convert(field_value)
                if convert is not None
                else to_plain(field_value, legacy=legacy)
            )
        return out
    raise TypeError(f"cannot serialize {type(value).__name__}")  # pragma: no cover


#: The isinstance tuples of `to_plain` (tuples: no type union built per call).
_SCALARS = (bool, int, str)
_SEQUENCES = (tuple, list)
_SETS = (frozenset, set)


#: `_kind` of each type met (issue 21: a dict lookup instead of up to nine isinstance).
_KINDS: dict[type, int] = {}


def _kind(cls: type) -> int:
    """How `to_plain` converts an instance of *cls*: the first of None or a scalar (1),
    Decimal, Money, Currency, date, Enum, sequence, set (2-8) it is, else 9."""
    kinds: tuple[type | tuple[type, ...], ...] = (
        (type(None), *_SCALARS),
        Decimal,
        Money,
        Currency,
        date,
        enum.Enum,
        _SEQUENCES,
        _SETS,
    )
    found = next((i for i, k in enumerate(kinds, start=1) if issubclass(cls, k)), 9)
    _KINDS[cls] = found
    return found


def _same(value: Any) -> Any:
    return value


#: Plain forms of the leaf types met most, by exact type; subclasses take the
#: isinstance path of `to_plain`, which gives the same result.
_LEAVES: dict[type, Any] = {
    type(None): _same,
    bool: _same,
    int: _same,
    str: _same,
    Decimal: str,
    date: date.isoformat,
}


@functools.cache
def _plan(cls: Any) -> tuple[tuple[tuple[str, bool, Any], ...], bool] | None:
    """The public fields of an attrs class, in order, as (name, added after 0.1,
    default), and whether the class has an older form (``_legacy_plain``); ``None`` for
    a class that is not an attrs class. A pure function of the class."""
    if not attrs.has(cls):
        return None
    fields = tuple(
        (field.name, "since" in field.metadata, field.default)
        for field in attrs.fields(cls)
        if not field.name.startswith("_")
    )
    return fields, hasattr(cls, "_legacy_plain")


@functools.cache
def _sealer(cls: Any) -> Any:
    """`to_plain(value, legacy=True)` for instances of the attrs class *cls*, as one
    function generated from its `_plan` (issue 21: the seal of every issued invoice is
    computed again wherever it is checked); ``None`` for a class that is not an attrs
    class. The generated body is the loop of `to_plain` unrolled: the same fields in
    the same order, the same leaf conversions, the same recursion, so the same result
    (tests/golden pins the seals)."""
    plan = _plan(cls)
    if plan is None:
        return None
    fields, has_legacy_form = plan
    namespace: dict[str, Any] = {"_leaves": _LEAVES, "_to_plain": to_plain}
    body = ["def sealer(value):"]
    if has_legacy_form:
        body += [
            "    plain = value._legacy_plain()",
            "    if plain is not None:",
            "        return plain",
        ]
    body.append("    out = {}")
    for index, (name, new, default) in enumerate(fields):
        body.append(f"    x = value.{name}")
        indent = "    "
        if new:
            namespace[f"_default{index}"] = default
            body.append(f"    if not (x == _default{index}):")
            indent = "        "
        body += [
            f"{indent}if x is None or type(x) is str:",
            f"{indent}    out[{name!r}] = x",
            f"{indent}else:",
            f"{indent}    convert = _leaves.get(type(x))",
            f"{indent}    out[{name!r}] = convert(x) if convert is not None "
            "else _to_plain(x, legacy=True)",
        ]
    body.append("    return out")
    exec(compile("\n".join(body), f"<sealer {cls.__qualname__}>", "exec"), namespace)
    return namespace["sealer"]


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
