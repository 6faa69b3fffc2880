"""Tests for facturlib.core.errors: the exception tree and message format (STYLE.md "Errors")."""

from __future__ import annotations

import inspect

import attrs
import pytest

from facturlib.core import errors
from facturlib.core.errors import (
    AllocationError,
    CreditNoteError,
    CurrencyMismatch,
    DocumentError,
    EInvoiceError,
    FacturlibError,
    FloatNotAllowed,
    InvalidIdentifier,
    InvalidValue,
    IssuedDocumentError,
    LifecycleError,
    NotIssuable,
    NumberingError,
    Problem,
    RenderError,
    UnknownCurrency,
    VatError,
)

EXCEPTIONS = [
    obj
    for name in errors.__all__
    if inspect.isclass(obj := getattr(errors, name)) and issubclass(obj, BaseException)
]
VALUE_ERRORS = [
    FloatNotAllowed,
    UnknownCurrency,
    CurrencyMismatch,
    InvalidIdentifier,
    AllocationError,
    VatError,
    DocumentError,
    NumberingError,
]
LIFECYCLE_ERRORS = [IssuedDocumentError, NotIssuable, CreditNoteError]


class TestHierarchy:
    def test_all_listed(self) -> None:
        """Every exception class of the module is exported."""
        defined = {
            name
            for name, obj in vars(errors).items()
            if inspect.isclass(obj)
            and issubclass(obj, BaseException)
            and obj.__module__ == errors.__name__
        }

        assert defined == {cls.__name__ for cls in EXCEPTIONS}

    @pytest.mark.parametrize("cls", EXCEPTIONS, ids=lambda cls: cls.__name__)
    def test_derives_from_root(self, cls: type[Exception]) -> None:
        """Everything raised is a subclass of FacturlibError (STYLE.md "Errors")."""
        assert issubclass(cls, FacturlibError)

    @pytest.mark.parametrize("cls", VALUE_ERRORS, ids=lambda cls: cls.__name__)
    def test_value_errors(self, cls: type[Exception]) -> None:
        """Value errors derive from InvalidValue and ValueError, as stdnum's do."""
        assert (True, True) == (issubclass(cls, InvalidValue), issubclass(cls, ValueError))

    @pytest.mark.parametrize("cls", LIFECYCLE_ERRORS, ids=lambda cls: cls.__name__)
    def test_lifecycle_errors(self, cls: type[Exception]) -> None:
        """State errors derive from LifecycleError, not ValueError (DOMAIN.md §1.3)."""
        assert (True, False) == (issubclass(cls, LifecycleError), issubclass(cls, ValueError))

    def test_invalid_value_is_value_error(self) -> None:
        """InvalidValue is a ValueError, so `except ValueError` keeps working."""
        assert issubclass(InvalidValue, ValueError)

    def test_float_not_allowed_is_type_error(self) -> None:
        """A float is the wrong type: FloatNotAllowed is also a TypeError."""
        assert issubclass(FloatNotAllowed, TypeError)

    def test_issued_document_error_is_attribute_error(self) -> None:
        """Setting an attribute of an issued invoice fails like a frozen attrs instance."""
        assert issubclass(IssuedDocumentError, AttributeError)

    @pytest.mark.parametrize("cls", EXCEPTIONS, ids=lambda cls: cls.__name__)
    def test_tree_drawn_in_docstring(self, cls: type[Exception]) -> None:
        """The module docstring draws every class of the tree (STYLE.md, like httpx)."""
        assert cls.__name__ in (errors.__doc__ or "")


class TestMessage:
    def test_field_value_hint(self) -> None:
        """A message says what was wrong, shows the value and says how to fix it (STYLE.md)."""
        err = InvalidValue(
            "quantity must not be zero", field="quantity", value=0, hint="remove the line instead"
        )

        assert "quantity must not be zero (quantity=0); remove the line instead." == str(err)

    def test_attributes(self) -> None:
        """Exceptions carry field, value, hint and message, like attrs' instance_of errors."""
        err = CurrencyMismatch(
            "cannot add EUR 10.00 and USD 5.00",
            field="amount",
            value="5.00 USD",
            hint="convert one amount at an explicit rate first",
        )

        assert (
            "amount",
            "5.00 USD",
            "convert one amount at an explicit rate first",
            "cannot add EUR 10.00 and USD 5.00",
        ) == (err.field, err.value, err.hint, err.message)

    def test_style_example(self) -> None:
        """STYLE.md's example message: what, value, how to fix."""
        err = CurrencyMismatch(
            "cannot add EUR 10.00 and USD 5.00",
            hint="convert one amount at an explicit rate first",
        )

        assert (
            "cannot add EUR 10.00 and USD 5.00; convert one amount at an explicit rate first."
            == str(err)
        )

    def test_value_repr(self) -> None:
        """The value is shown with repr, so strings are quoted."""
        assert "bad (currency='EUX')." == str(UnknownCurrency("bad", field="currency", value="EUX"))

    def test_explicit_none_value(self) -> None:
        """An explicit value=None is shown."""
        assert "missing (percent=None)." == str(VatError("missing", field="percent", value=None))

    def test_field_without_value(self) -> None:
        """A field without a value is named."""
        err = IssuedDocumentError("issued", field="lines")

        assert ("issued (field lines).", None) == (str(err), err.value)

    def test_message_only(self) -> None:
        """A bare message gets a full stop, and no attributes."""
        err = FacturlibError("something went wrong")

        assert ("something went wrong.", None, None, None) == (
            str(err),
            err.field,
            err.value,
            err.hint,
        )

    def test_no_double_full_stop(self) -> None:
        """A message already ending with a full stop keeps only one."""
        assert "Done." == str(FacturlibError("Done."))

    def test_hint_only(self) -> None:
        """A hint without a field follows the message."""
        assert "nope; do this." == str(NotIssuable("nope", hint="do this"))

    def test_keyword_only(self) -> None:
        """field, value and hint are keyword-only, so messages cannot be mixed up."""
        with pytest.raises(TypeError):
            InvalidValue("msg", "field")  # type: ignore[misc]

    def test_catchable_as_value_error(self) -> None:
        """A raised InvalidValue is caught by `except ValueError` (as stdnum's errors are)."""
        with pytest.raises(ValueError, match=r"\(quantity=0\)"):
            raise DocumentError("zero", field="quantity", value=0)


class TestProblem:
    def test_fields(self) -> None:
        """A Problem has a code, a message and an optional reference."""
        problem = Problem(code="gap", message="FA-2025-0003 is missing", reference="FA-2025-0003")

        assert ("gap", "FA-2025-0003 is missing", "FA-2025-0003") == (
            problem.code,
            problem.message,
            problem.reference,
        )

    def test_reference_optional(self) -> None:
        """The reference defaults to None."""
        assert None is Problem(code="x", message="y").reference

    def test_frozen(self) -> None:
        """A Problem is an immutable value (STYLE.md "Value objects")."""
        problem = Problem(code="x", message="y")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            problem.code = "z"  # type: ignore[misc]

    def test_not_an_exception(self) -> None:
        """Checks return Problems instead of raising (STYLE.md "Pure functions")."""
        assert not issubclass(Problem, BaseException)


class TestProblemRule:
    def test_rule_and_fatal(self) -> None:
        """A Problem may name the official rule it breaks; problems are fatal by default."""
        problem = Problem(code="BR-FR-10", message="no SIREN", rule="BR-FR-10")

        assert ("BR-FR-10", True) == (problem.rule, problem.fatal)

    def test_fatal_is_a_bool(self) -> None:
        """fatal must be True or False."""
        with pytest.raises(InvalidValue):
            Problem(code="x", message="y", fatal="no")  # type: ignore[arg-type]


class TestEInvoiceError:
    def test_lists_every_problem(self) -> None:
        """The message lists every problem with its rule; .problems keeps them."""
        problems = [
            Problem(code="BR-FR-10", rule="BR-FR-10", message="the seller has no SIREN."),
            Problem(code="BR-16", rule="BR-16", message="no line"),
        ]
        error = EInvoiceError(problems)

        assert tuple(problems) == error.problems
        assert "2 e-invoicing rules: [BR-FR-10] the seller has no SIREN; [BR-16] no line" in str(
            error
        )

    def test_is_a_render_error(self) -> None:
        """Renderers raise it: it is a RenderError and names the document."""
        error = EInvoiceError([])

        assert (True, "document") == (isinstance(error, RenderError), error.field)
