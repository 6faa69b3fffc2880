"""Tests for facturlib.core._trusted: constructors that skip the checks, for values the
library built from checked ones (issue 3's schedule speed)."""

from __future__ import annotations

from datetime import date

import attrs
import pytest

from facturlib.core._trusted import unchecked
from facturlib.core.documents import Invoice
from facturlib.core.lines import Line
from facturlib.core.periods import Period
from facturlib.testing.builders import sample_invoice


def test_builds_what_the_checking_constructor_builds() -> None:
    """Given the same fields, the result equals the checked constructor's."""
    draft = sample_invoice()
    fields = {f.name: getattr(draft, f.name) for f in attrs.fields(Invoice)}
    built = unchecked(Invoice)(**fields)
    assert draft == built
    assert draft.totals() == built.totals()


def test_fields_left_out_take_their_default() -> None:
    """Defaults are the class's defaults."""
    line = sample_invoice().lines[0]
    required = {"description", "quantity", "unit_price", "vat"}
    built = unchecked(Line)(**{name: getattr(line, name) for name in required})
    assert Line(**{name: getattr(line, name) for name in required}) == built
    assert ("C62", (), None) == (built.unit, built.discounts, built.id)


def test_skips_the_checks() -> None:
    """It checks nothing: that is its point, and why only checked values go in."""
    backwards = unchecked(Period)(start=date(2025, 2, 1), end=date(2025, 1, 1))
    assert date(2025, 2, 1) == backwards.start


def test_still_frozen() -> None:
    """What it builds is as immutable as any value."""
    period = unchecked(Period)(start=date(2025, 1, 1), end=date(2025, 2, 1))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        period.start = date(2024, 1, 1)  # type: ignore[misc]


def test_missing_required_field() -> None:
    """A required field left out is a TypeError, as for any function."""
    with pytest.raises(TypeError, match="end"):
        unchecked(Period)(start=date(2025, 1, 1))


def test_refuses_classes_it_cannot_build() -> None:
    """Only slotted attrs classes without factory defaults."""

    class Plain:
        pass

    @attrs.define(slots=False)
    class DictBased:
        x: int

    @attrs.define
    class WithFactory:
        x: list[int] = attrs.field(factory=list)

    for cls in (Plain, DictBased, WithFactory):
        with pytest.raises(TypeError):
            unchecked(cls)
