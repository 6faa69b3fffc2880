"""Building value objects the library made itself, without checking them again.

The constructors of `facturlib.core.lines.Line` and `facturlib.core.documents.Invoice`
convert and check every field, as they must for values a caller builds. A
schedule of 100 000 subscriptions builds over a million lines and invoices whose
every field comes from values already checked (the contract, its items, the
period grid), and those checks were most of its cost (issue 3). `unchecked`
returns a second, trusted constructor for such call sites.

A trusted constructor is only for fields that are *already* what the checked
constructor would store: converted (tuples, `Decimal`s), of the right types and
consistent with each other. Each call site says in a comment why that holds, and
the tests compare what it builds with the checked constructor's result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import attrs

__all__ = ["unchecked"]

T = TypeVar("T")


def unchecked(cls: type[T]) -> Callable[..., T]:
    """A keyword-only constructor of the slotted attrs class *cls* that stores its
    arguments as they are: no converter, validator or ``__attrs_post_init__`` runs.

    Fields left out take their default. The function is generated once per class,
    as attrs generates ``__init__``, so each call costs about a plain function call
    per field.

    >>> from facturlib.core.periods import Period
    >>> from datetime import date
    >>> make = unchecked(Period)
    >>> make(start=date(2025, 1, 1), end=date(2025, 2, 1)) == Period(date(2025, 1, 1),
    ...                                                             date(2025, 2, 1))
    True

    Raises:
        TypeError: *cls* is not a slotted attrs class, or has a factory default.
    """
    if not attrs.has(cls) or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__} is not a slotted attrs class")
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    parameters, body = [], []
    for index, field in enumerate(attrs.fields(cls)):
        if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            raise TypeError(f"{cls.__name__}.{field.name} has a factory default")
        # The slot's own setter: frozen classes refuse setattr on purpose.
        namespace[f"_set{index}"] = getattr(cls, field.name).__set__
        if field.default is attrs.NOTHING:
            parameters.append(field.name)
        else:
            namespace[f"_default{index}"] = field.default
            parameters.append(f"{field.name}=_default{index}")
        body.append(f"    _set{index}(self, {field.name})")
    source = "\n".join(
        [
            f"def build(*, {', '.join(parameters)}):",
            "    self = _new(_cls)",
            *body,
            "    return self",
        ]
    )
    exec(compile(source, f"<unchecked {cls.__qualname__}>", "exec"), namespace)
    build: Callable[..., T] = namespace["build"]
    build.__qualname__ = build.__name__ = f"unchecked_{cls.__name__}"
    return build
