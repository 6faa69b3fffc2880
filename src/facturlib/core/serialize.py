"""Round-trip every facturlib value to plain dicts and JSON, for storage wrappers.

`to_dict` turns a value into JSON-compatible data — Decimals as strings that keep
their exponent (``"12.50"``), dates as ISO strings, `Money` as
``{"amount": "12.50", "currency": "EUR"}``, enums as their value, tuples as lists.
`from_dict` rebuilds the value from its class and that data, running every
constructor check again: a stored issued invoice whose content was altered is
refused, because its seal no longer matches; one altered and re-sealed is refused
when it breaks a law every issued invoice keeps (its number, BR-FR-01/02; its
totals; BR-CO-17), see `facturlib.core.integrity.check_issued`. `to_dict` refuses to
write an issued invoice altered in memory. Loading is bounded: text of more than
`MAX_JSON_BYTES`, data nested deeper than `MAX_DEPTH`, and text that is not UTF-8
raise `InvalidValue`.

``from_dict(type(x), to_dict(x)) == x`` for every value (a property test checks it).

**Tags and versions.** The data of a value starts with two keys: ``"$type"``, the
name of its class (``"Invoice"``, ``"SequenceState"``: the name it is imported by,
``facturlib.Invoice``), and ``"$version"``, the version of the format,
`FORMAT_VERSION`. So `from_json` and `from_dict` can load a stored value without
being told its class: ``from_json(text)``. They accept only the classes that
``facturlib`` exports (``facturlib.__all__``); any other ``"$type"`` is refused,
nothing is imported on behalf of the data. Given a class, they check that the tag
names it. The tags are not part of an issued invoice's seal, which covers the
invoice's content only (`facturlib.core.documents.Invoice.content_seal`).

Older data still loads. Version 1 is the untagged form, written by 0.1 and by 0.2
before the tags; load it with its class, ``from_json(Invoice, text)``. Its notes and
electronic addresses may be bare strings (0.1), which become a
`facturlib.core.documents.Note` without subject and a
`facturlib.core.parties.ElectronicAddress`, and fields added since then take their
defaults; an invoice it issued keeps its seal. A ``"$version"`` higher than
`FORMAT_VERSION` was written by a later facturlib and is refused with a clear
message rather than half-read.

>>> from facturlib.testing.builders import sample_invoice
>>> from facturlib.core.documents import Invoice
>>> draft = sample_invoice()
>>> data = to_dict(draft)
>>> data["lines"][0]["unit_price"]
{'amount': '120.00', 'currency': 'EUR'}
>>> from_dict(Invoice, data) == draft
True
>>> from_json(Invoice, to_json(draft)) == draft
True
>>> data["$type"], data["$version"]
('Invoice', 2)
>>> from_json(to_json(draft)) == draft
True
"""

from __future__ import annotations

import enum
import importlib
import json
import types
import typing
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, Literal, TypeVar, Union, get_args, get_origin, overload

import attrs
from moneyed import Currency, Money

from facturlib.core._canonical import to_plain
from facturlib.core._validators import check_digits
from facturlib.core.documents import Invoice
from facturlib.core.errors import FacturlibError, InvalidValue
from facturlib.core.integrity import _verified
from facturlib.core.money import FrozenMoney
from facturlib.core.money import currency as to_currency

__all__ = ["FORMAT_VERSION", "from_dict", "from_json", "to_dict", "to_json"]

T = TypeVar("T")

#: The version of the JSON format that `to_dict` writes as ``"$version"``. Version 1
#: is the untagged form of 0.1 (and of 0.2 before the tags); version 2 added the
#: ``"$type"`` and ``"$version"`` keys. A later version that changes a value's form
#: raises this number, and `from_dict` keeps reading every earlier one.
#:
#: .. versionadded:: 0.2
FORMAT_VERSION = 2

_TYPE = "$type"
_VERSION = "$version"


def to_dict(value: Any) -> dict[str, Any]:
    """The plain-data form of an attrs value (a document, a party, a state…).

    Returns:
        A dict that starts with ``"$type"`` (the class name) and ``"$version"``
        (`FORMAT_VERSION`), followed by the fields in their declared order.

    Raises:
        TamperedDocumentError: an issued invoice altered after issue (see
            `facturlib.verify_issued`): it is not written.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       Issued invoices are verified before they are written; the data is tagged
       with ``"$type"`` and ``"$version"``.
    """
    if not attrs.has(type(value)):
        raise InvalidValue(
            f"cannot serialize a {type(value).__name__}",
            field="value",
            value=value,
            hint="pass a facturlib value object",
        )
    if isinstance(value, Invoice):
        _verified(value, "value", laws=False)
    result: dict[str, Any] = {_TYPE: type(value).__name__, _VERSION: FORMAT_VERSION}
    result.update(to_plain(value))
    return result


def to_json(value: Any, *, indent: int | None = None) -> str:
    """`to_dict` as a JSON string (UTF-8 text, keys in field order).

    .. versionadded:: 0.1
    """
    return json.dumps(to_dict(value), ensure_ascii=False, indent=indent)


@overload
def from_dict(cls: type[T], data: Mapping[str, Any], /) -> T: ...
@overload
def from_dict(data: Mapping[str, Any], /) -> Any: ...
def from_dict(cls_or_data: Any, data: Any = None, /) -> Any:
    """Rebuild a value from `to_dict` data: ``from_dict(cls, data)`` or ``from_dict(data)``.

    Args:
        cls_or_data: the class to build (then *data* follows), or tagged data whose
            ``"$type"`` names a class that ``facturlib`` exports.
        data: the data, when a class comes first. Untagged data (format version 1)
            needs its class.

    Raises:
        InvalidValue: the data does not fit *cls* (the message names the path, e.g.
            ``lines[2].quantity``), a field is missing, or a constructor check fails;
            its ``"$type"`` is unknown or names another class than *cls*; its
            ``"$version"`` is not one this facturlib reads (a later one: upgrade).
        IssuedDocumentError: an issued invoice whose content does not match its seal;
            `TamperedDocumentError` if it was re-sealed but breaks a law every issued
            invoice keeps (`facturlib.check_issued`).

    .. versionchanged:: 0.2
       Missing fields raise `InvalidValue`; issued invoices are checked again; tagged
       data loads without its class.

    .. versionadded:: 0.1
    """
    if isinstance(cls_or_data, type):
        cls: type = cls_or_data
    else:
        data = cls_or_data
        cls = _tagged_class(data)
    if not attrs.has(cls):
        raise InvalidValue(
            f"cannot deserialize into {getattr(cls, '__name__', cls)!r}",
            field="cls",
            value=cls,
            hint="pass a facturlib value class such as facturlib.Invoice",
        )
    try:
        return _structure(cls, data, cls.__name__)
    except RecursionError:
        raise InvalidValue(
            "the data is nested too deeply",
            field=cls.__name__,
            value=type(data).__name__,
            hint="pass data produced by facturlib.core.serialize.to_dict",
        ) from None


@overload
def from_json(cls: type[T], text: str | bytes, /) -> T: ...
@overload
def from_json(text: str | bytes, /) -> Any: ...
def from_json(cls_or_text: Any, text: Any = None, /) -> Any:
    """Rebuild a value from `to_json` text (a str, or UTF-8 bytes):
    ``from_json(cls, text)``, or ``from_json(text)`` for tagged text.

    Args:
        cls_or_text: the class to build (then *text* follows), or tagged text whose
            ``"$type"`` names a class that ``facturlib`` exports.
        text: the text, when a class comes first.

    Returns:
        The value, every constructor check run again (see `from_dict`).

    Raises:
        InvalidValue: not JSON, not UTF-8, longer than `MAX_JSON_BYTES`, nested too
            deeply, or as `from_dict`.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       Tagged text loads without its class.
    """
    if isinstance(cls_or_text, type):
        cls: type | None = cls_or_text
    else:
        cls, text = None, cls_or_text
    if not isinstance(text, str | bytes | bytearray):
        raise InvalidValue(
            f"expected JSON text, got {type(text).__name__}",
            field="text",
            value=type(text).__name__,
            hint="pass what to_json returned",
        )
    if len(text) > MAX_JSON_BYTES:
        raise InvalidValue(
            f"the JSON text is longer than {MAX_JSON_BYTES} bytes",
            field="text",
            value=len(text),
            hint="store documents one by one",
        )
    if not isinstance(text, str):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidValue(
                "the JSON text is not UTF-8",
                field="text",
                value=str(exc),
                hint="to_json writes UTF-8 text (RFC 8259 §8.1); pass it as it was written",
            ) from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise InvalidValue(
            "the JSON text is nested too deeply",
            field="text",
            value=None,
            hint="pass what to_json returned",
        ) from None
    except ValueError as exc:  # JSONDecodeError, and integers too long to read
        raise InvalidValue(
            "not valid JSON", field="text", value=str(exc)[:200], hint="pass what to_json returned"
        ) from None
    return from_dict(data) if cls is None else from_dict(cls, data)


#: The longest JSON text `from_json` reads (bytes or characters): 64 MiB, far more
#: than a 10 000-line invoice, far less than what would exhaust memory.
MAX_JSON_BYTES = 64 * 1024 * 1024


def _tagged_class(data: Any) -> type:
    """The class named by the ``"$type"`` of *data*: one that ``facturlib`` exports."""
    if not isinstance(data, Mapping) or _TYPE not in data:
        raise InvalidValue(
            'the data has no "$type"',
            field=_TYPE,
            value=type(data).__name__,
            hint="data written before the tags (format version 1) needs its class: "
            "from_dict(Invoice, data) or from_json(Invoice, text)",
        )
    _check_version(data, "")  # a later facturlib may have added the type
    name = data[_TYPE]
    # Resolved only among the names the package exports: the data never chooses a
    # module to import. The package is already imported (it imported this module).
    package = importlib.import_module("facturlib")
    found = getattr(package, name, None) if isinstance(name, str) else None
    if name not in package.__all__ or not (isinstance(found, type) and attrs.has(found)):
        raise InvalidValue(
            f"unknown type {str(name)[:80]!r}",
            field=_TYPE,
            value=name,
            hint="a facturlib value class exported by the package (e.g. Invoice, "
            "SequenceState); pass the class for any other: from_dict(cls, data)",
        )
    result: type = found
    return result


def _check_tags(tp: type, data: Mapping[str, Any], path: str) -> None:
    """Check the ``"$type"`` and ``"$version"`` of *data*, read as a *tp*."""
    if _TYPE in data and data[_TYPE] != tp.__name__:
        raise InvalidValue(
            f"the data is tagged {str(data[_TYPE])[:80]!r}, not {tp.__name__!r}",
            field=f"{path}.{_TYPE}",
            value=data[_TYPE],
            hint=f"load it as {str(data[_TYPE])[:80]}, or with from_dict(data) to follow its tag",
        )
    _check_version(data, path)


def _check_version(data: Mapping[str, Any], path: str) -> None:
    version = data.get(_VERSION, 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidValue(
            "the format version is not a positive integer",
            field=f"{path}.{_VERSION}".lstrip("."),
            value=version,
            hint="pass data produced by facturlib.core.serialize.to_dict",
        )
    if version > FORMAT_VERSION:
        raise InvalidValue(
            f"the data is in format version {version}, written by a later facturlib; "
            f"this one reads versions 1 to {FORMAT_VERSION}",
            field=f"{path}.{_VERSION}".lstrip("."),
            value=version,
            hint="upgrade facturlib to read it",
        )


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _fail(path: str, expected: str, data: Any) -> InvalidValue:
    return InvalidValue(
        f"expected {expected}",
        field=path,
        value=data,
        hint="pass data produced by facturlib.core.serialize.to_dict",
    )


def _structure(tp: Any, data: Any, path: str) -> Any:
    origin = get_origin(tp)
    if tp is Any:
        return data
    if origin in (Union, types.UnionType):
        return _structure_union(tp, data, path)
    if origin is Literal:
        if data not in get_args(tp):
            raise _fail(path, f"one of {get_args(tp)}", data)
        return data
    if origin is tuple or origin is frozenset:
        if not isinstance(data, list | tuple):
            raise _fail(path, "a list", data)
        args = get_args(tp)
        if origin is frozenset:
            return frozenset(_structure(args[0], x, f"{path}[]") for x in data)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_structure(args[0], x, f"{path}[{i}]") for i, x in enumerate(data))
        if len(args) != len(data):
            raise _fail(path, f"a list of {len(args)} items", data)
        return tuple(
            _structure(a, x, f"{path}[{i}]")
            for i, (a, x) in enumerate(zip(args, data, strict=True))
        )
    if tp is type(None):
        if data is not None:
            raise _fail(path, "null", data)
        return None
    if isinstance(tp, type):
        return _structure_class(tp, data, path)
    raise _fail(path, f"a value of type {tp!r}", data)  # pragma: no cover


def _structure_union(tp: Any, data: Any, path: str) -> Any:
    options = [a for a in get_args(tp) if a is not type(None)]
    if data is None and len(options) < len(get_args(tp)):
        return None
    if len(options) == 1:
        return _structure(options[0], data, path)
    for option in options:
        try:
            return _structure(option, data, path)
        except FacturlibError:
            continue
    raise _fail(path, " or ".join(getattr(o, "__name__", str(o)) for o in options), data)


def _structure_class(tp: type, data: Any, path: str) -> Any:
    if tp is bool or tp is str:
        if not isinstance(data, tp):
            raise _fail(path, tp.__name__, data)
        return data
    if tp is int:
        if not isinstance(data, int) or isinstance(data, bool):
            raise _fail(path, "an integer", data)
        return data
    if tp is Decimal:
        if not isinstance(data, str | int) or isinstance(data, bool):
            raise _fail(path, "a decimal number as a string", data)
        try:
            return check_digits(Decimal(data), path)
        except (InvalidOperation, ValueError):
            raise _fail(path, "a decimal number as a string", str(data)[:60]) from None
    if tp is datetime:
        try:
            return datetime.fromisoformat(data)
        except (TypeError, ValueError):
            raise _fail(path, "an ISO date and time (YYYY-MM-DDTHH:MM:SS)", data) from None
    if tp is date:
        try:
            return date.fromisoformat(data)
        except (TypeError, ValueError):
            raise _fail(path, "an ISO date (YYYY-MM-DD)", data) from None
    if tp is Money:
        if not isinstance(data, Mapping) or set(data) != {"amount", "currency"}:
            raise _fail(path, '{"amount": "…", "currency": "EUR"}', data)
        return FrozenMoney(
            _structure(Decimal, data["amount"], f"{path}.amount"), to_currency(data["currency"])
        )
    if tp is Currency:
        return to_currency(data)
    if issubclass(tp, enum.Enum):
        try:
            return tp(data)
        except ValueError:
            raise _fail(path, f"one of {[m.value for m in tp]}", data) from None
    if attrs.has(tp):
        return _structure_attrs(tp, data, path)
    raise _fail(path, f"a {tp.__name__}", data)  # pragma: no cover


def _structure_attrs(tp: type, data: Any, path: str) -> Any:
    older = getattr(tp, "_from_plain", None)
    if older is not None and not isinstance(data, Mapping):
        # A value stored in an older form (0.1 notes and electronic addresses were
        # bare strings).
        return older(data, path)
    if not isinstance(data, Mapping):
        raise _fail(path, f"an object for {tp.__name__}", data)
    if _TYPE in data or _VERSION in data:
        _check_tags(tp, data, path)
        data = {key: value for key, value in data.items() if key not in (_TYPE, _VERSION)}
    hints = _hints(tp)
    fields = {f.name: f for f in attrs.fields(tp) if f.init}
    unknown = set(data) - set(fields)
    if unknown:
        raise InvalidValue(
            f"unknown fields for {tp.__name__}",
            field=path,
            value=sorted(unknown),
            hint="pass data produced by facturlib.core.serialize.to_dict",
        )
    missing = [
        name
        for name, field in fields.items()
        if name not in data and field.default is attrs.NOTHING
    ]
    if missing:
        raise InvalidValue(
            f"missing fields for {tp.__name__}: {', '.join(missing)}",
            field=f"{path}.{missing[0]}",
            value=None,
            hint="pass data produced by facturlib.core.serialize.to_dict",
        )
    kwargs = {
        field.alias: _structure(hints[name], data[name], f"{path}.{name}")
        for name, field in fields.items()
        if name in data
    }
    try:
        result = tp(**kwargs)
    except TypeError as exc:  # a constructor handed a shape it does not take
        raise InvalidValue(
            f"cannot build a {tp.__name__}: {exc}",
            field=path,
            value=None,
            hint="pass data produced by facturlib.core.serialize.to_dict",
        ) from None
    if isinstance(result, Invoice):
        _verified(result, path)  # every law of an issued invoice, again
    return result
