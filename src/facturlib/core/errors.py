"""The exceptions facturlib raises, and the `Problem` record that checks return.

Everything facturlib raises derives from `FacturlibError`. Errors caused by a bad
value also derive from `ValueError` (as python-stdnum's ``ValidationError`` does),
so ``except ValueError`` keeps working for callers who do not know facturlib::

    FacturlibError
    ├── InvalidValue (ValueError)             a value is malformed or out of range
    │   ├── FloatNotAllowed                   a float where a Decimal amount belongs
    │   ├── UnknownCurrency                   not an ISO 4217 code
    │   ├── CurrencyMismatch                  two currencies in one computation
    │   ├── InvalidIdentifier                 SIREN, SIRET, VAT id, IBAN, BIC
    │   ├── AllocationError                   a split that cannot be made exactly
    │   ├── VatError                          inconsistent VAT category/rate/exemption
    │   ├── DocumentError                     an inconsistent line or document
    │   ├── NumberingError                    bad pattern, number too long, date out of order
    │   │   └── StaleStateError               a numbering state older than the stored one
    │   ├── PricingError                      a price book, tier, unit conversion or indexation
    │   ├── ScheduleError                     bad period, periodicity, subscription or amendment
    │   ├── BillingPlanError                  milestones not summing to 100 %, progress going down…
    │   ├── PaymentError                      bad payment terms, payment or allocation
    │   ├── LedgerError                       unbalanced entry, missing account mapping, bad FEC
    │   ├── ReportError                       bad report input, or an optional extra missing
    │   ├── SepaError                         a mandate, direct debit or pain.008/pain.002 file
    │   └── EInvoiceReadError                 a received e-invoice that cannot be read safely
    ├── RenderError                           a document a renderer cannot render
    │   └── EInvoiceError                     an e-invoice that breaks EN 16931 / BR-FR rules
    ├── FrozenValueError (AttributeError)     setting an attribute of an immutable value
    └── LifecycleError                        an operation not allowed in the current state
        ├── IssuedDocumentError               editing an issued invoice
        │   └── TamperedDocumentError         an issued invoice altered behind its seal
        ├── NotIssuable                       issuing a proforma/quote or an incomplete draft
        └── CreditNoteError                   crediting a draft, or more than remains

Each exception carries ``field`` (which input was wrong), ``value`` (what it was)
and ``hint`` (how to fix it); its message says all three:

>>> from facturlib.core.errors import InvalidValue
>>> err = InvalidValue("quantity must not be zero", field="quantity", value=0,
...                    hint="remove the line instead")
>>> str(err)
'quantity must not be zero (quantity=0); remove the line instead.'
>>> isinstance(err, ValueError)
True

Checks that look at many documents at once (``audit_numbers`` …) do not raise:
they return a tuple of `Problem` so the caller sees every problem together.
"""

from __future__ import annotations

from typing import Any

import attrs

__all__ = [
    "AllocationError",
    "BillingPlanError",
    "CreditNoteError",
    "CurrencyMismatch",
    "DocumentError",
    "EInvoiceError",
    "EInvoiceReadError",
    "FacturlibError",
    "FloatNotAllowed",
    "FrozenValueError",
    "InvalidIdentifier",
    "InvalidValue",
    "IssuedDocumentError",
    "LedgerError",
    "LifecycleError",
    "NotIssuable",
    "NumberingError",
    "PaymentError",
    "PricingError",
    "Problem",
    "RenderError",
    "ReportError",
    "ScheduleError",
    "SepaError",
    "StaleStateError",
    "TamperedDocumentError",
    "UnknownCurrency",
    "VatError",
]

_UNSET: Any = object()


class FacturlibError(Exception):
    """Root of every exception facturlib raises.

    Attributes:
        field: the name of the offending input (``"unit_price"``, ``"lines[2].quantity"``…),
            or ``None`` when no single input is to blame.
        value: the offending value, or ``None``.
        hint: how to fix it, or ``None``.
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        value: Any = _UNSET,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.field = field
        self.value = None if value is _UNSET else value
        self.hint = hint
        text = message
        if field is not None and value is not _UNSET:
            text += f" ({field}={value!r})"
        elif field is not None:
            text += f" (field {field})"
        if hint:
            text += f"; {hint}"
        if not text.endswith("."):
            text += "."
        super().__init__(text)


class InvalidValue(FacturlibError, ValueError):
    """A value is malformed, out of range or inconsistent with another value."""


class FloatNotAllowed(InvalidValue, TypeError):
    """A ``float`` reached a place where an exact ``Decimal`` amount belongs."""


class UnknownCurrency(InvalidValue):
    """A currency code that is not in ISO 4217."""


class CurrencyMismatch(InvalidValue):
    """Amounts in two currencies met in one computation."""


class InvalidIdentifier(InvalidValue):
    """A SIREN, SIRET, VAT id, IBAN, BIC or other identifier failed its check."""


class AllocationError(InvalidValue):
    """An amount cannot be split as asked (no weights, negative weights…)."""


class VatError(InvalidValue):
    """A VAT category, rate and exemption reason that do not go together (CGI 278 ff.)."""


class DocumentError(InvalidValue):
    """A line, allowance, charge or document that breaks an EN 16931 rule."""


class NumberingError(InvalidValue):
    """A numbering pattern, number or issue date that breaks CGI ann. II 242 nonies A."""


class StaleStateError(NumberingError):
    """A `SequenceState` whose revision is not the one expected: another writer issued
    meanwhile (compare-and-swap refused).

    .. versionadded:: 0.2
    """


class PricingError(InvalidValue):
    """A price book, price tier, unit conversion or indexation clause that cannot price
    what was asked (no price for the product on that day, a quantity below the minimum,
    a revised price or converted price that is not exact…).

    .. versionadded:: 0.2
    """


class ScheduleError(InvalidValue):
    """A period, periodicity, subscription or amendment that cannot be scheduled."""


class BillingPlanError(InvalidValue):
    """A milestone plan, deposit or progress step that breaks ."""


class PaymentError(InvalidValue):
    """Payment terms, a payment or an allocation that breaks C. com. L441-10."""


class LedgerError(InvalidValue):
    """A journal entry, account mapping or FEC file that breaks PCG; LPF A47 A-1."""


class ReportError(InvalidValue):
    """A report cannot be built from its input (several currencies, dates in the wrong
    order…), or needs an optional extra that is not installed (``pip install
    'facturlib[reports]'``).

    .. versionadded:: 0.2
    """


class SepaError(InvalidValue):
    """A mandate, direct debit, batch or bank file that breaks the EPC SEPA Direct Debit
    rulebooks, or a status report that cannot be read.

    Attributes:
        problems: every `Problem` found when a whole batch was checked at once
            (empty when the error is about one value).
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        value: Any = _UNSET,
        hint: str | None = None,
        problems: tuple[Problem, ...] = (),
    ) -> None:
        super().__init__(message, field=field, value=value, hint=hint)
        self.problems = tuple(problems)


class EInvoiceReadError(InvalidValue):
    """A received e-invoice (CII, UBL, Factur-X PDF) that cannot be read safely or completely.

    Raised for hostile or malformed input (a DTD, entities, oversized or too deep XML, a
    damaged PDF, a compression bomb, a wrong encoding) and for a file lacking what a
    document cannot exist without (an invoice number, BR-02). ``rules`` names the
    EN 16931 rules involved, when there are any.

    >>> err = EInvoiceReadError("no invoice number", field="BT-1", rules=("BR-02",))
    >>> err.rules, isinstance(err, ValueError)
    (('BR-02',), True)

    .. versionadded:: 0.2
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        value: Any = _UNSET,
        hint: str | None = None,
        rules: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message, field=field, value=value, hint=hint)
        self.rules = rules


class RenderError(FacturlibError):
    """A document that a renderer cannot render (unsupported kind, missing data)."""


class EInvoiceError(RenderError):
    """An e-invoice a renderer refuses to write: it breaks EN 16931 or French rules.

    Raised by the e-invoice renderers (CII, UBL, Factur-X) when the pre-flight
    check (``facturlib.einvoice.check``) finds fatal problems, unless told to
    write anyway. It is a `RenderError` — the document is a valid facturlib
    value that cannot become a valid e-invoice — and it lists every problem at
    once.

    Attributes:
        problems: the `Problem`\\s found, each with its official ``rule`` id.

    >>> err = EInvoiceError([Problem(code="BR-FR-10", rule="BR-FR-10",
    ...                              message="the seller has no SIREN")])
    >>> str(err)
    'the document breaks 1 e-invoicing rule: [BR-FR-10] the seller has no SIREN (field document).'
    >>> [p.rule for p in err.problems]
    ['BR-FR-10']

    .. versionadded:: 0.2
    """

    def __init__(
        self,
        problems: Any,
        message: str | None = None,
        *,
        field: str = "document",
        hint: str | None = None,
    ) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        count = len(self.problems)
        listed = "; ".join(f"[{p.rule or p.code}] {p.message}".rstrip(".") for p in self.problems)
        text = message or (
            f"the document breaks {count} e-invoicing rule{'s' if count != 1 else ''}"
        )
        if listed:
            text += f": {listed}"
        super().__init__(text, field=field, hint=hint)


class FrozenValueError(FacturlibError, AttributeError):
    """An attempt to set an attribute of an immutable value; build a changed copy instead."""


class LifecycleError(FacturlibError):
    """An operation that the document's current state does not allow."""


class IssuedDocumentError(LifecycleError, AttributeError):
    """An attempt to change an issued invoice; correct it with a credit note instead."""


class TamperedDocumentError(IssuedDocumentError):
    """An issued invoice whose content no longer matches its seal, or that breaks a law
    every issued invoice keeps (its number, its totals, BR-CO-17): it was altered after
    issue, behind facturlib's back.

    .. versionadded:: 0.2
    """


class NotIssuable(LifecycleError):
    """A document that cannot be issued (a proforma, an already issued one, missing data)."""


class CreditNoteError(LifecycleError):
    """A credit note that cannot be made: the invoice is not issued, or too much is credited."""


def _is_str(instance: object, attribute: Any, value: Any) -> None:
    if not isinstance(value, str):
        raise InvalidValue(
            f"expected a str, got {type(value).__name__}",
            field=attribute.name,
            value=value,
            hint="pass a str",
        )


def _is_optional_str(instance: object, attribute: Any, value: Any) -> None:
    if value is not None:
        _is_str(instance, attribute, value)


def _is_bool(instance: object, attribute: Any, value: Any) -> None:
    if value is not True and value is not False:
        raise InvalidValue(
            f"expected True or False, got {type(value).__name__}",
            field=attribute.name,
            value=value,
            hint="pass True or False",
        )


@attrs.frozen(kw_only=True)
class Problem:
    """One finding of a check over many documents, or of an e-invoice pre-flight.

    Attributes:
        code: a short machine-readable code (``"gap"``, ``"duplicate"``…).
        message: a sentence for humans.
        reference: the document number or other reference it is about.
        rule: the official rule id it breaks, e.g. ``"BR-CO-15"`` (EN 16931) or
            ``"BR-FR-08"`` (French e-invoicing rules), or ``None``.
        fatal: whether the problem makes the document invalid (``False``: advice).

    >>> Problem(code="gap", message="FA-2025-0003 is missing", reference="FA-2025-0003")
    Problem(code='gap', message='FA-2025-0003 is missing', reference='FA-2025-0003', rule=None,
            fatal=True)

    .. versionchanged:: 0.2 ``rule`` and ``fatal``.
    """

    code: str = attrs.field(validator=_is_str)
    message: str = attrs.field(validator=_is_str)
    reference: str | None = attrs.field(default=None, validator=_is_optional_str)
    rule: str | None = attrs.field(default=None, validator=_is_optional_str)
    fatal: bool = attrs.field(default=True, validator=_is_bool)
