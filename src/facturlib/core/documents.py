"""Quotes, orders and invoices.

The three documents share their body — seller, buyer, currency, lines,
document-level allowances and charges, a global discount, notes, payment terms
and a `RoundingPolicy` — and each has a ``totals()`` computed by
`facturlib.core.totals.compute_totals` (EN 16931-1).

* `Quote` (devis) has a validity date; `Quote.to_order` and `Quote.to_invoice`
  carry parties, lines and conditions over and keep the link.
* `Order` (bon de commande) has a delivery date and the buyer's purchase order
  number, which becomes the invoice's BT-13 in `Order.to_invoice`.
* `Invoice` has a `DocumentKind` (380 invoice, 381 credit note, 386 deposit, 384
  corrective, or proforma) and a `DocumentStatus`. A draft has **no number**; a
  number is given only by `facturlib.core.issuing.issue`, which freezes the content
  (CGI 289 I-5). An issued invoice cannot be changed: setting an attribute
  raises `IssuedDocumentError`, and so does building a changed copy with
  ``attrs.evolve`` — its content no longer matches the seal set at issue. Correct
  an issued invoice with a credit note.

>>> from datetime import date
>>> from facturlib.testing.builders import sample_invoice
>>> draft = sample_invoice()
>>> draft.status, draft.number
(<DocumentStatus.DRAFT: 'draft'>, None)
>>> draft.totals().amount_due
Money('1440.00', 'EUR')

The 2026 French mentions (CGI ann. II 242 nonies A as amended by décret
2022-1299; XP Z12-012 for the e-invoice) are values here too: notes with a
UNTDID 4451 subject code (`Note`), the deliver-to place (`DeliverTo`, BG-15),
the payment means (``Invoice.payment_means``, BG-16), the project reference
(BT-11), and two derived codes with an override each: the "cadre de
facturation" BT-23 (`billing_framework`) and the treatment of the invoice for
the tax administration, the ``BAR`` note (`reporting_category`).

>>> billing_framework(draft), reporting_category(draft)
('S1', 'B2B')
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from itertools import repeat
from typing import Any, TypeVar

import attrs
from moneyed import Currency, Money

from facturlib.core._canonical import fingerprint
from facturlib.core._codes import (
    BILLING_FRAMEWORKS,
    NOTE_SUBJECT_CODES,
    REPORTING_CATEGORIES,
    DocumentKind,
)
from facturlib.core._display import money_text, pretty, summary_html
from facturlib.core._trusted import unchecked
from facturlib.core._validators import (
    as_tuple,
    check_bool,
    check_instance,
    check_text,
    instance_of,
    is_bool,
    is_int,
    is_money,
    is_optional_date,
    is_optional_text,
    is_text,
    items_of,
    optional_text,
    to_enum,
    to_exchange_rate,
    to_text,
    to_tuple,
    tuple_of,
)
from facturlib.core.errors import (
    DocumentError,
    FrozenValueError,
    InvalidValue,
    IssuedDocumentError,
    LifecycleError,
)
from facturlib.core.lines import (
    CommentLine,
    Discount,
    DocumentAllowance,
    DocumentCharge,
    Line,
    SupplyKind,
)
from facturlib.core.money import (
    DEFAULT_ROUNDING,
    RoundingPolicy,
    _require_currency,
    freeze_money,
)
from facturlib.core.money import currency as to_currency
from facturlib.core.orders import (
    OrderProgress,
    _build_progress,
    _part_adjustments,
    _partial_line,
    _selected_quantities,
)
from facturlib.core.parties import Address, Party
from facturlib.core.payment_means import PaymentMeans
from facturlib.core.periods import Period
from facturlib.core.totals import StatedVat, Totals, _compute
from facturlib.core.vat import VatCategory

__all__ = [
    "DeliverTo",
    "DocumentKind",
    "DocumentStatus",
    "Invoice",
    "InvoiceReference",
    "Note",
    "Order",
    "Quote",
    "QuoteStatus",
    "billing_framework",
    "reporting_category",
]

D = TypeVar("D", bound="_Document")


class DocumentStatus(enum.Enum):
    """Where a document is in its life (CGI 289 I-5). Payment state is derived, not stored."""

    DRAFT = "draft"
    ISSUED = "issued"


class QuoteStatus(enum.Enum):
    """Where a quote (devis) is in its life; changed by the functions of
    `facturlib.core.quotes` (``send_quote``, ``accept_quote``…), which refuse the
    impossible transitions.

    .. versionadded:: 0.2
    """

    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"
    CANCELLED = "cancelled"


def _is_party(instance: object, attribute: attrs.Attribute[Party], value: object) -> None:
    if not isinstance(value, Party):
        raise InvalidValue(
            f"expected a Party, got {type(value).__name__}",
            field=attribute.name,
            value=value,
            hint="build it with facturlib.Party(name=..., address=Address(...))",
        )


_ROUNDING_HINT = "pass a facturlib.RoundingPolicy, e.g. RoundingPolicy(vat_rounding='per_line')"


def _to_kind(value: DocumentKind | str) -> DocumentKind:
    return to_enum(value, DocumentKind, "kind", error=DocumentError)


def _to_status(value: DocumentStatus | str) -> DocumentStatus:
    return to_enum(value, DocumentStatus, "status", error=DocumentError)


def _number_lines(lines: Any) -> tuple[Line, ...]:
    """Give lines without an id the ids "1", "2", … by position (BT-126).

    A position whose number is already the explicit id of another line takes the
    next number no line uses, so generated ids never clash with given ones.
    """
    if isinstance(lines, Line | str) or not hasattr(lines, "__iter__"):
        raise InvalidValue(
            f"lines must be a sequence of Line, got a {type(lines).__name__}",
            field="lines",
            value=lines,
            hint="pass a list or tuple, e.g. lines=[line]",
        )
    items = to_tuple(lines)
    # The happy path in C; the loop below only runs to name the offending item.
    for i, line in enumerate(() if all(map(isinstance, items, repeat(Line))) else items):
        if not isinstance(line, Line):
            raise InvalidValue(
                f"expected a Line, got {type(line).__name__}", field=f"lines[{i}]", value=line
            )
    if None not in [line.id for line in items]:
        return items
    taken = {line.id for line in items if line.id is not None}
    spare = len(items)
    numbered = []
    for position, line in enumerate(items, start=1):
        if line.id is None:
            candidate = str(position)
            while candidate in taken:
                spare += 1
                candidate = str(spare)
            taken.add(candidate)
            line = attrs.evolve(line, id=candidate)
        numbered.append(line)
    return tuple(numbered)


def _note_text(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidValue(
            f"expected a str, got {type(value).__name__}",
            field="note.text",
            value=value,
            hint="pass the note's text as a string",
        )
    if not value.strip():
        raise DocumentError(
            "a note needs a text", field="note.text", value=value, hint="drop the note instead"
        )
    return check_text(value, "note.text")  # no lone surrogate (issue 16)


def _note_subject(value: object) -> str | None:
    if value is None:
        return None
    code = value.strip().upper() if isinstance(value, str) else None
    if code is None or code not in NOTE_SUBJECT_CODES:
        raise DocumentError(
            "not a UNTDID 4451 note subject code",
            field="note.subject",
            value=value,
            hint=(
                'use e.g. "PMT" (recovery fee), "PMD" (late-payment penalties), "AAB" '
                '(early-payment discount), "BAR" (treatment), "REG" (regulatory '
                'information), "ABL" (legal information), "TXD" (tax), "SUR" (seller '
                'notes), "AAI" (general information) (BR-CL-08), or None'
            ),
        )
    return str(code)


@attrs.frozen
class Note:
    """A note on a document (EN 16931 BG-1): a text (BT-22) and its subject (BT-21).

    The subject is a UNTDID 4451 code (BR-CL-08) or ``None``. French e-invoices
    carry the payment mentions as notes with a subject: ``PMT`` the €40 recovery
    fee (C. com. L441-10 II, D441-5), ``PMD`` the late-payment penalties, ``AAB``
    the early-payment discount or its absence (L441-9 I), ``BAR`` the treatment
    (XP Z12-012, BR-FR-05, BR-FR-20). Documents accept plain strings as notes
    without subject.

    >>> Note("Merci de votre confiance.")
    Note(text='Merci de votre confiance.', subject=None)
    >>> Note("Escompte pour paiement anticipé : néant.", "aab").subject
    'AAB'
    >>> Note("x", "FOO")
    Traceback (most recent call last):
    ...
    facturlib.core.errors.DocumentError: not a UNTDID 4451 note subject code ...

    .. versionadded:: 0.2
    """

    text: str = attrs.field(converter=_note_text)
    subject: str | None = attrs.field(default=None, converter=_note_subject)

    @classmethod
    def _from_plain(cls, data: object, path: str) -> Note:
        """From stored data: version 0.1 stored notes as bare strings."""
        if isinstance(data, str):
            return cls(data)
        raise InvalidValue(
            "expected a note",
            field=path,
            value=data,
            hint="pass data produced by facturlib.core.serialize.to_dict",
        )

    def _legacy_plain(self) -> str | None:
        """The 0.1 canonical form of a note without subject (a bare string): invoices
        sealed by 0.1 keep their seal."""
        return self.text if self.subject is None else None

    def __str__(self) -> str:
        return self.text


def _to_notes(value: Any) -> tuple[Note, ...]:
    if isinstance(value, str | Note):
        raise InvalidValue(
            f"notes must be a sequence, got a {type(value).__name__}",
            field="notes",
            value=value,
            hint="pass a list or tuple, e.g. notes=[text]",
        )
    notes = []
    for i, item in enumerate(to_tuple(value, "notes")):
        if isinstance(item, str):
            item = Note(item)
        if not isinstance(item, Note):
            raise InvalidValue(
                f"expected a str or a Note, got {type(item).__name__}",
                field=f"notes[{i}]",
                value=item,
                hint='pass text, or facturlib.Note("…", "PMT")',
            )
        notes.append(item)
    return tuple(notes)


@attrs.frozen
class DeliverTo:
    """Where the goods are delivered or the services performed (EN 16931 BG-13/BG-15).

    A French invoice states the delivery address when it differs from the buyer's
    (CGI ann. II 242 nonies A I-7° bis, from 2026).

    Attributes:
        address: the deliver-to address (BG-15).
        name: the deliver-to party name (BT-70).
        location_id: the deliver-to location identifier (BT-71), e.g. a GLN or SIRET.

    >>> DeliverTo(Address(city="Vénissieux", postal_code="69200", country_code="FR"),
    ...           name="Entrepôt Sud").name
    'Entrepôt Sud'

    .. versionadded:: 0.2
    """

    address: Address = attrs.field(
        validator=instance_of(Address, hint="pass a facturlib.Address(city=..., country_code=...)")
    )
    name: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    location_id: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )


def _code_in(value: object, codes: frozenset[str], field: str, hint: str) -> str | None:
    if value is None:
        return None
    code = value.strip().upper() if isinstance(value, str) else None
    if code is None or code not in codes:
        raise DocumentError(
            f"not an admitted {field.replace('_', ' ')}", field=field, value=value, hint=hint
        )
    return code


def _to_billing_framework(value: object) -> str | None:
    return _code_in(
        value,
        BILLING_FRAMEWORKS,
        "billing_framework",
        "use B (goods), S (services) or M (both) and 1 (standard), 2 (already paid), 4 "
        "(final after deposits)…: B1 S1 M1 B2 S2 M2 S3 B4 S4 M4 S5 S6 B7 S7 B8 S8 M8 B9 "
        "S9 M9 (BR-FR-08), or None to derive it",
    )


def _to_reporting_category(value: object) -> str | None:
    return _code_in(
        value,
        REPORTING_CATEGORIES,
        "reporting_category",
        "use B2B, B2BINT, B2C, B2CINT, OUTOFSCOPE or ARCHIVEONLY (BR-FR-20), or None to derive it",
    )


@attrs.frozen(kw_only=True)
class InvoiceReference:
    """A reference to a preceding invoice (BG-3): its number (BT-25) and issue date (BT-26).

    .. versionadded:: 0.1
    """

    number: str = attrs.field(converter=to_text, validator=is_text)
    issue_date: date | None = attrs.field(default=None, validator=is_optional_date)


@attrs.frozen(kw_only=True)
class _Document:
    """The body every document shares (private base class)."""

    seller: Party = attrs.field(validator=_is_party)
    buyer: Party = attrs.field(validator=_is_party)
    currency: Currency = attrs.field(converter=to_currency)
    lines: tuple[Line, ...] = attrs.field(converter=_number_lines)
    allowances: tuple[DocumentAllowance, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(DocumentAllowance)
    )
    charges: tuple[DocumentCharge, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(DocumentCharge)
    )
    global_discount: Discount | None = None
    notes: tuple[Note, ...] = attrs.field(default=(), converter=_to_notes)
    payment_terms: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    prices_include_vat: bool = attrs.field(default=False, validator=is_bool)
    rounding: RoundingPolicy = attrs.field(
        default=DEFAULT_ROUNDING, validator=instance_of(RoundingPolicy, hint=_ROUNDING_HINT)
    )
    number: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    issue_date: date | None = attrs.field(default=None, validator=is_optional_date)
    #: Comment-only rows (`CommentLine`), each before the line of its ``before`` id.
    comments: tuple[CommentLine, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(CommentLine), metadata={"since": "0.2"}
    )

    def __attrs_post_init__(self) -> None:
        self._check_body()

    def _check_body(self, more_amounts: Sequence[tuple[str, Money | None]] = ()) -> None:
        if not self.lines:
            raise DocumentError(
                "a document needs at least one line",
                field="lines",
                value=(),
                hint="add a Line (EN 16931 BR-16)",
            )
        ids = [line.id for line in self.lines]
        if len(set(ids)) != len(ids):
            raise DocumentError("line ids must be unique", field="lines", value=ids)
        for i, line in enumerate(self.lines):
            for tax in line.other_taxes:
                if tax.vat is not None and tax.vat != line.vat:
                    raise DocumentError(
                        f"{tax.name} has VAT {tax.vat.label}, its line {line.vat.label}: a tax "
                        "included in a price bears the line's VAT (CGI 267 I-1°)",
                        field=f"lines[{i}].other_taxes",
                        value=tax.vat.label,
                        hint="put it on its own line: lines=[*facturlib.split_other_taxes(line)]",
                    )
        for i, comment in enumerate(self.comments):
            if comment.before is not None and comment.before not in ids:
                raise DocumentError(
                    f"comment {comment.text!r} is placed before line {comment.before!r}, "
                    "which the document does not have",
                    field=f"comments[{i}].before",
                    value=comment.before,
                    hint=f"give one of the line ids {ids}, or None to place it after every line",
                )
        cur = self.currency
        # Labels are built only for the lines priced in another Currency object (rare:
        # one shared object per currency); `_require_currency` still compares by value.
        amounts: list[tuple[str, Money | None]] = [
            (f"lines[{i}].unit_price", line.unit_price)
            for i, line in enumerate(self.lines)
            if line.unit_price.currency is not cur
        ]
        for name, adjustments in (("allowances", self.allowances), ("charges", self.charges)):
            for i, adjustment in enumerate(adjustments):
                amounts.append((f"{name}[{i}].amount", adjustment.amount))
                amounts.append((f"{name}[{i}].base", adjustment.base))
        if self.global_discount is not None:
            if not isinstance(self.global_discount, Discount):
                raise InvalidValue(
                    "expected a Discount", field="global_discount", value=self.global_discount
                )
            amounts.append(("global_discount.amount", self.global_discount.amount))
        for field, amount in (*amounts, *more_amounts):
            if amount is not None:
                _require_currency(amount, cur, field)

    def _totals_arguments(self) -> tuple[Any, ...]:
        """The arguments of `facturlib.core.totals._compute`, in order."""
        return (
            self.lines,
            self.currency,
            self.allowances,
            self.charges,
            self.global_discount,
            # Only invoices have these; quotes and orders total without them.
            getattr(self, "prepaid", None),
            getattr(self, "stated_vat", ()),
            self.prices_include_vat,
            self.rounding,
            getattr(self, "tax_currency", None),
            getattr(self, "tax_exchange_rate", None),
            self._cash_rounding(),
            getattr(self, "rounding_amount", None),
        )

    def _cash_rounding(self) -> bool:
        """Cash rounding (BT-114) applies when the document names no payment means or
        one of them is cash (UNTDID 4461 code 10)."""
        means: tuple[PaymentMeans, ...] = getattr(self, "payment_means", ())
        return not means or any(m.is_cash for m in means)

    def totals(self) -> Totals:
        """Every total of this document (BT-106…BT-115) and its VAT breakdown (BG-23).

        Computed on first use and kept: the document is immutable.
        """
        return self._totals

    @functools.cached_property
    def _totals(self) -> Totals:
        return _compute(*self._totals_arguments())

    def _body(self) -> dict[str, Any]:
        """The fields a converted document carries over (parties, lines, conditions)."""
        return {
            "seller": self.seller,
            "buyer": self.buyer,
            "currency": self.currency,
            "lines": tuple(attrs.evolve(line, source_line=line.id) for line in self.lines),
            "allowances": self.allowances,
            "charges": self.charges,
            "global_discount": self.global_discount,
            "notes": self.notes,
            "payment_terms": self.payment_terms,
            "prices_include_vat": self.prices_include_vat,
            "rounding": self.rounding,
            "comments": self.comments,
        }


def _to_quote_status(value: QuoteStatus | str) -> QuoteStatus:
    return to_enum(value, QuoteStatus, "status", error=DocumentError)


#: The quote statuses that can still become an order or invoice with an override.
_OPEN_QUOTE = frozenset({QuoteStatus.DRAFT, QuoteStatus.SENT, QuoteStatus.EXPIRED})


@attrs.frozen(kw_only=True)
class Quote(_Document):
    """A quote (devis) with its validity date, status and version.

    Attributes:
        valid_until: the last day the quote can be accepted.
        status: the `QuoteStatus`; change it with the functions of
            `facturlib.core.quotes` (``send_quote``, ``accept_quote``…).
        status_date: the day of the last status change.
        revision: the version of the quote, 1 for the first; ``revise_quote``
            makes the next one.
        previous_number: the number of the quote this revision supersedes.
        previous_revision: the revision of the quote it supersedes.

    Only an accepted quote becomes an order or an invoice
    (``to_order``/``to_invoice``); ``allow_unaccepted=True`` and
    ``allow_expired=True`` override that, explicitly.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 ``status``, ``status_date``, ``revision``,
       ``previous_number``, ``previous_revision``; converting checks the status.
    """

    valid_until: date | None = attrs.field(default=None, validator=is_optional_date)
    status: QuoteStatus = attrs.field(default=QuoteStatus.DRAFT, converter=_to_quote_status)
    status_date: date | None = attrs.field(default=None, validator=is_optional_date)
    revision: int = attrs.field(default=1, validator=is_int(minimum=1, error=DocumentError))
    previous_number: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    previous_revision: int | None = attrs.field(
        default=None, validator=is_int(minimum=1, optional=True, error=DocumentError)
    )

    def __attrs_post_init__(self) -> None:
        self._check_body()
        if self.valid_until and self.issue_date and self.valid_until < self.issue_date:
            raise DocumentError(
                "a quote cannot expire before it is dated",
                field="valid_until",
                value=self.valid_until,
                hint=f"give a date on or after {self.issue_date}",
            )
        if self.status_date and self.issue_date and self.status_date < self.issue_date:
            raise DocumentError(
                "a quote's status cannot change before it is dated",
                field="status_date",
                value=self.status_date,
                hint=f"give a date on or after {self.issue_date}",
            )
        if self.previous_revision is not None and self.previous_number is None:
            raise DocumentError(
                "a previous revision needs the previous quote's number",
                field="previous_number",
                value=None,
                hint="give previous_number too, or build revisions with facturlib.revise_quote",
            )

    @property
    def label(self) -> str:
        """The quote's number with its revision ("DE-7 rév. 2"), "draft" when unnumbered."""
        number = self.number or "draft"
        return number if self.revision == 1 else f"{number} rév. {self.revision}"

    def to_order(
        self,
        *,
        on: date,
        number: str | None = None,
        delivery_date: date | None = None,
        purchase_order: str | None = None,
        allow_unaccepted: bool = False,
        allow_expired: bool = False,
    ) -> Order:
        """The order that accepts this quote, dated *on*.

        Args:
            on: the order date.
            number: the order's number.
            delivery_date: the planned delivery date.
            purchase_order: the buyer's purchase order number (BT-13 on invoices).
            allow_unaccepted: convert a draft, sent or expired quote anyway.
            allow_expired: with *allow_unaccepted*, convert after ``valid_until`` anyway.

        Raises:
            LifecycleError: the quote is not accepted (record the acceptance with
                `facturlib.core.quotes.accept_quote` first), or was refused,
                superseded or cancelled.
            DocumentError: an unaccepted quote converted after ``valid_until``.

        .. versionchanged:: 0.2 the quote must be accepted, unless overridden.
        """
        self._check_convertible(on, allow_unaccepted, allow_expired)
        return Order(
            **self._body(),
            number=number,
            issue_date=on,
            delivery_date=delivery_date,
            purchase_order=purchase_order,
            quote_reference=self.number,
        )

    def to_invoice(
        self,
        *,
        on: date | None = None,
        allow_unaccepted: bool = False,
        allow_expired: bool = False,
        **fields: Any,
    ) -> Invoice:
        """A draft invoice for this quote; keyword arguments set invoice fields.

        Args:
            on: the day of the conversion, checked against ``valid_until`` for an
                unaccepted quote.
            allow_unaccepted: convert a draft, sent or expired quote anyway.
            allow_expired: with *allow_unaccepted*, convert an expired quote anyway.
            **fields: invoice fields.

        Raises:
            LifecycleError: the quote is not accepted, or was refused, superseded
                or cancelled.
            DocumentError: an unaccepted quote converted after ``valid_until``.

        .. versionchanged:: 0.2 the quote must be accepted, unless overridden.
        """
        self._check_convertible(on, allow_unaccepted, allow_expired)
        fields.setdefault("quote_reference", self.number)
        return Invoice(**self._body(), **fields)

    def _check_convertible(
        self, on: date | None, allow_unaccepted: object, allow_expired: object
    ) -> None:
        check_bool(allow_unaccepted, "allow_unaccepted", error=DocumentError)
        check_bool(allow_expired, "allow_expired", error=DocumentError)
        if self.status is QuoteStatus.ACCEPTED:
            return  # accepted in time (accept_quote checks valid_until)
        if self.status not in _OPEN_QUOTE:
            raise LifecycleError(
                f"quote {self.label} is {self.status.value}; it cannot become an order "
                "or an invoice",
                field="status",
                value=self.status.value,
                hint="convert the quote that replaced it, or revise it "
                "(facturlib.revise_quote) and have the new version accepted",
            )
        if not allow_unaccepted:
            raise LifecycleError(
                f"quote {self.label} is {self.status.value}, not accepted",
                field="status",
                value=self.status.value,
                hint="record the customer's acceptance (the signed 'Bon pour accord') with "
                "facturlib.accept_quote(quote, on=...) first, or pass "
                "allow_unaccepted=True to convert it anyway",
            )
        expired = self.status is QuoteStatus.EXPIRED or (
            on is not None and self.valid_until is not None and on > self.valid_until
        )
        if expired and not allow_expired:
            raise DocumentError(
                "the quote has expired",
                field="valid_until",
                value=self.valid_until,
                hint="revise it with a new validity (facturlib.revise_quote), or pass "
                "allow_expired=True to convert it anyway",
            )


@attrs.frozen(kw_only=True)
class Order(_Document):
    """A purchase order (bon de commande) accepted from the buyer.

    Attributes:
        delivery_date: planned delivery or performance date (BT-72 on the invoice).
        purchase_order: the buyer's order number, printed on invoices as BT-13.
        quote_reference: the number of the quote it accepts.

    An order may be invoiced in parts (one invoice per delivery):
    ``to_invoice(quantities=…, invoiced=…)`` and ``progress(invoiced)``, see
    `facturlib.core.orders`.

    .. versionadded:: 0.1
    """

    delivery_date: date | None = attrs.field(default=None, validator=is_optional_date)
    purchase_order: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    quote_reference: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )

    def to_invoice(
        self,
        *,
        lines: Sequence[str] | None = None,
        quantities: Mapping[str, Decimal | int | str] | None = None,
        invoiced: Sequence[Invoice] = (),
        **fields: Any,
    ) -> Invoice:
        """A draft invoice for this order, or for part of it; keyword arguments set
        invoice fields.

        The invoice's purchase order reference (BT-13) is the buyer's order number,
        falling back on this order's own number; its sales order reference (BT-14)
        is this order's number.

        Without *lines*, *quantities* and *invoiced*, the invoice bills the whole
        order. Otherwise it bills what they select of what remains once *invoiced*
        is deducted (see `progress`), line by line: the invoice lines keep the
        order line ids (``source_line`` too). The order's document-level allowances
        and charges (and its global discount, spread per VAT rate) are carried by
        each part as amounts, in proportion to the net amount of the lines of their
        VAT rate it invoices; the running total is rounded, so the parts carry
        exactly the order's amounts once it is invoiced in full.

        Args:
            lines: ids of the order lines to invoice in full (what remains of them).
            quantities: order line id → quantity to invoice now (a delivery).
            invoiced: every invoice and credit note already made from this order
                (issued or draft), so nothing is invoiced twice.
            **fields: invoice fields (``due_date``, ``delivery_date``…).

        Raises:
            DocumentError: an unknown line id; a quantity beyond what remains of
                its line, or of the other sign; nothing left to invoice; a part of
                an order whose prices include VAT; a document of another order.

        .. versionchanged:: 0.2 ``lines``, ``quantities`` and ``invoiced``.
        """
        fields.setdefault("purchase_order", self.purchase_order or self.number)
        fields.setdefault("order_reference", self.number)
        fields.setdefault("quote_reference", self.quote_reference)
        fields.setdefault("delivery_date", self.delivery_date)
        body = self._body()
        if lines is None and quantities is None and not invoiced:
            return Invoice(**body, **fields)
        progress = self.progress(invoiced)
        selected = _selected_quantities(progress, lines, quantities)
        whole = progress.documents == 0 and all(
            selected.get(str(line.id)) == line.quantity for line in self.lines
        )
        if whole:
            return Invoice(**body, **fields)
        if self.prices_include_vat:
            raise DocumentError(
                "an order priced including VAT is invoiced in one go",
                field="prices_include_vat",
                value=True,
                hint="invoicing it in parts would change the VAT reconciled on its "
                "tax-inclusive prices; invoice the whole order, or price it excluding VAT",
            )
        body["lines"] = tuple(
            _partial_line(
                line,
                selected[str(line.id)],
                progress.line(str(line.id)),
                self.currency,
                self.rounding,
            )
            for line in self.lines
            if str(line.id) in selected
        )
        totals = self.totals()
        body["allowances"], body["charges"] = _part_adjustments(
            (*totals.allowances, *totals.charges),
            progress,
            body["lines"],
            selected,
            self.currency,
            self.rounding,
        )
        body["global_discount"] = None  # spread per rate into the allowances above
        return Invoice(**body, **fields)

    def progress(self, invoiced: Sequence[Invoice] = ()) -> OrderProgress:
        """What *invoiced* billed of this order, line by line, and what remains.

        Args:
            invoiced: the invoices and credit notes made from this order, issued or
                draft. Invoice lines count for the order line their ``source_line``
                names; credit note lines for the line of the invoice they credit
                (that invoice must be among *invoiced*). Proformas and deposit
                invoices bill no quantity and are skipped.

        Returns:
            An `OrderProgress`.

        Raises:
            DocumentError: a document that is not an `Invoice`, in another currency
                or made from another order; a credit note whose invoice is missing.

        .. versionadded:: 0.2
        """
        documents = items_of(invoiced, Invoice, "invoiced", error=DocumentError)
        billed: dict[str, tuple[Decimal, Decimal]] = {}
        order_ids = {str(line.id) for line in self.lines}
        by_number = {d.number: d for d in documents if d.number is not None}
        counted = 0
        for i, document in enumerate(documents):
            _check_from_order(document, self, f"invoiced[{i}]")
            if document.kind in (DocumentKind.PROFORMA, DocumentKind.DEPOSIT):
                continue
            counted += 1
            credit = document.kind is DocumentKind.CREDIT_NOTE
            sign = Decimal(-1) if credit else Decimal(1)
            origin = _credited_lines(document, by_number, f"invoiced[{i}]") if credit else {}
            nets = document.totals().line_nets
            for line, net in zip(document.lines, nets, strict=True):
                source = origin.get(str(line.source_line)) if credit else line.source_line
                if source is None or source not in order_ids:
                    continue  # a line the order does not have (e.g. extra shipping)
                quantity, amount = billed.get(source, (_ZERO_D, _ZERO_D))
                billed[source] = (quantity + sign * line.quantity, amount + sign * net)
        return _build_progress(
            number=self.number,
            cur=self.currency,
            lines=self.lines,
            nets=self.totals().line_nets,
            billed=billed,
            documents=counted,
        )


_ZERO_D = Decimal(0)


def _check_from_order(document: Invoice, order: Order, field: str) -> None:
    if document.currency != order.currency:
        raise DocumentError(
            f"the document is in {document.currency.code}, the order in {order.currency.code}",
            field=field,
            value=document.number,
            hint="pass only the invoices and credit notes made from this order",
        )
    made_from = document.order_reference
    if made_from is not None and order.number is not None and made_from != order.number:
        raise DocumentError(
            f"the document was made from order {made_from}, not {order.number}",
            field=field,
            value=document.number,
            hint="pass only the invoices and credit notes made from this order",
        )


def _credited_lines(
    note: Invoice, by_number: dict[str, Invoice], field: str
) -> dict[str, str | None]:
    """Invoice line id → order line id, for the invoices a credit note corrects."""
    mapping: dict[str, str | None] = {}
    for ref in note.preceding:
        invoice = by_number.get(ref.number)
        if invoice is None:
            raise DocumentError(
                f"credit note {note.number or '(draft)'} corrects invoice {ref.number}, "
                "which is not among the documents",
                field=field,
                value=ref.number,
                hint="pass the invoice it corrects in invoiced=… too",
            )
        mapping.update({str(line.id): line.source_line for line in invoice.lines})
    return mapping


@attrs.frozen(kw_only=True)
class Invoice(_Document):
    """An invoice, credit note, deposit invoice, corrective invoice or proforma.

    Attributes:
        kind: the `DocumentKind` (BT-3).
        status: `DocumentStatus.DRAFT` until issued by `facturlib.issue`.
        number: BT-1, set only at issue.
        issue_date: BT-2, set at issue.
        due_date: BT-9.
        delivery_date: actual delivery date (BT-72).
        period: invoicing period (BG-14) as a half-open `Period`.
        buyer_reference: BT-10.
        purchase_order: the buyer's purchase order reference (BT-13).
        order_reference: the sales order reference (BT-14).
        quote_reference: the quote this invoice comes from.
        contract_reference: BT-12.
        preceding: preceding invoices (BG-3), e.g. the invoice a credit note corrects.
        prepaid: amounts already paid (BT-113).
        stated_vat: VAT stated per group, see `facturlib.core.totals.StatedVat`.
        tax_currency: VAT accounting currency (BT-6) if not the invoice currency.
        tax_exchange_rate: units of *tax_currency* per unit of the invoice currency.
            A French seller invoicing in another currency than the euro gives
            ``tax_currency="EUR"`` and the rate, so the VAT is also stated in euros
            (BT-111, BR-FR-CO-12).
        payment_means: the `PaymentMeans` offered (BG-16); see
            `facturlib.core.payment_means.payment_means_of` for the default.
        rounding_amount: an explicit rounding amount (BT-114), added to the amount
            due. Without it, the policy's cash rounding applies only when no payment
            means is named or one of them is cash (code 10).
        billing_framework: BT-23, overriding `billing_framework` (the function).
        reporting_category: the ``BAR`` treatment, overriding `reporting_category`.
        deliver_to: the deliver-to place (`DeliverTo`, BG-13/BG-15).
        project_reference: BT-11.
        seal: set at issue; a fingerprint of the content that must not change.

    Notes are `Note` values; strings are converted (a note without subject).

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 ``payment_means``, ``rounding_amount``,
       ``billing_framework``, ``reporting_category``, ``deliver_to``,
       ``project_reference``; ``notes`` hold `Note` values.
    """

    kind: DocumentKind = attrs.field(default=DocumentKind.INVOICE, converter=_to_kind)
    status: DocumentStatus = attrs.field(default=DocumentStatus.DRAFT, converter=_to_status)
    due_date: date | None = attrs.field(default=None, validator=is_optional_date)
    delivery_date: date | None = attrs.field(default=None, validator=is_optional_date)
    period: Period | None = attrs.field(
        default=None,
        validator=instance_of(Period, optional=True, hint="pass a facturlib.Period(start, end)"),
    )
    buyer_reference: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    purchase_order: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    order_reference: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    quote_reference: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    contract_reference: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    preceding: tuple[InvoiceReference, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(InvoiceReference)
    )
    prepaid: Money | None = attrs.field(
        default=None, converter=freeze_money, validator=is_money(optional=True)
    )
    stated_vat: tuple[StatedVat, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(StatedVat)
    )
    tax_currency: Currency | None = attrs.field(
        default=None, converter=attrs.converters.optional(to_currency)
    )
    tax_exchange_rate: Decimal | None = attrs.field(default=None, converter=to_exchange_rate)
    payment_means: tuple[PaymentMeans, ...] = attrs.field(
        default=(),
        converter=as_tuple,
        validator=tuple_of(PaymentMeans),
        metadata={"since": "0.2"},
    )
    rounding_amount: Money | None = attrs.field(
        default=None, validator=is_money(optional=True), metadata={"since": "0.2"}
    )
    billing_framework: str | None = attrs.field(
        default=None, converter=_to_billing_framework, metadata={"since": "0.2"}
    )
    reporting_category: str | None = attrs.field(
        default=None, converter=_to_reporting_category, metadata={"since": "0.2"}
    )
    deliver_to: DeliverTo | None = attrs.field(
        default=None,
        validator=instance_of(DeliverTo, optional=True, hint="pass a facturlib.DeliverTo(address)"),
        metadata={"since": "0.2"},
    )
    project_reference: str | None = attrs.field(
        default=None,
        converter=optional_text,
        validator=is_optional_text,
        metadata={"since": "0.2"},
    )
    seal: str | None = None

    def __attrs_post_init__(self) -> None:
        self._check_body(
            [("prepaid", self.prepaid), ("rounding_amount", self.rounding_amount)]
            + [(f"stated_vat[{i}]", s.amount) for i, s in enumerate(self.stated_vat)]
        )
        if self.tax_currency is not None and self.tax_currency == self.currency:
            raise DocumentError(
                "the tax currency is the invoice currency",
                field="tax_currency",
                value=self.tax_currency.code,
                hint="give a tax currency (BT-6) only when VAT is accounted in another "
                "currency, e.g. tax_currency='EUR' on a USD invoice",
            )
        if self.prepaid is not None and self.prepaid.amount < 0:
            raise DocumentError(
                "the prepaid amount must not be negative", field="prepaid", value=self.prepaid
            )
        if (self.tax_currency is None) != (self.tax_exchange_rate is None):
            raise DocumentError(
                "tax currency and tax exchange rate go together",
                field="tax_exchange_rate",
                value=self.tax_exchange_rate,
                hint="give both (BT-6 and the rate for BT-111) or neither",
            )
        if self.status is DocumentStatus.DRAFT:
            if self.number is not None or self.seal is not None:
                raise DocumentError(
                    "a draft has no number",
                    field="number",
                    value=self.number,
                    hint="numbers are given by facturlib.issue() (CGI 289 I-5)",
                )
            return
        if self.kind is DocumentKind.PROFORMA:
            raise DocumentError(
                "a proforma is never issued",
                field="status",
                value=self.status,
                hint="a proforma is not an invoice (EN 16931 BT-3); issue a real invoice",
            )
        if self.number is None or self.issue_date is None:
            raise DocumentError(
                "an issued invoice needs its number and issue date",
                field="number",
                value=self.number,
                hint="issue drafts with facturlib.issue()",
            )
        if self.seal != self.content_seal():
            raise IssuedDocumentError(
                f"invoice {self.number} is issued; its content cannot change",
                field="content",
                value=self.number,
                hint="correct an issued invoice with a credit note (CGI 289 I-5)",
            )

    def content_seal(self) -> str:
        """The fingerprint of everything but the seal itself (set as ``seal`` at issue)."""
        return _seal_for({name: getattr(self, name) for name in _SEALED_FIELDS})

    def _issued_copy(self, *, number: str, issue_date: date) -> Invoice:
        """This draft, numbered, dated and sealed; used only by `facturlib.issue`."""
        fields = {f.name: getattr(self, f.name) for f in attrs.fields(Invoice) if f.init}
        fields.update(number=number, issue_date=issue_date, status=DocumentStatus.ISSUED)
        fields["seal"] = _seal_for(fields)
        # Trusted (DESIGN.md): every field is this checked draft's but the number (from
        # `next_number`), the issue date (checked by `issue`), the status and the seal
        # just computed from these very fields, so the checking constructor would only
        # compute the seal a second time; `issue` has refused proformas
        # (`check_invoice`). tests/property/test_integrity_laws.py rebuilds it checked.
        issued = _issued_invoice(**fields)
        # The totals depend on none of the four changed fields: keep the draft's.
        object.__setattr__(issued, "_totals", self._totals)
        return issued

    @property
    def is_issued(self) -> bool:
        """Whether the invoice has been issued (numbered and frozen)."""
        return self.status is DocumentStatus.ISSUED

    @property
    def reference(self) -> InvoiceReference:
        """A `InvoiceReference` to this issued invoice (for BG-3 on a credit note)."""
        if self.number is None:
            raise DocumentError(
                "a draft cannot be referenced", field="number", value=None, hint="issue it first"
            )
        return InvoiceReference(number=self.number, issue_date=self.issue_date)

    def with_lines(self, lines: Sequence[Line]) -> Invoice:
        """A copy of this draft with other lines; comment lines placed before a line that
        is gone are dropped with it.

        Raises:
            IssuedDocumentError: if the invoice is issued.
        """
        self._refuse_if_issued("lines")
        lines = _number_lines(lines)
        ids = {line.id for line in lines}
        # Comments placed before a line that is gone are dropped with it.
        comments = tuple(c for c in self.comments if c.before is None or c.before in ids)
        return attrs.evolve(self, lines=lines, comments=comments)

    # Displays (IPython/Jupyter); ``__repr__`` stays the exact attrs one. ----------

    def _summary(self) -> str:
        totals = self.totals()
        what = self.kind.name.lower().replace("_", " ")
        number = self.number or "draft"
        day = f" {self.issue_date.isoformat()}" if self.issue_date else ""
        return (
            f"<Invoice {number} ({what}{day}) {self.seller.name} → {self.buyer.name}: "
            f"{len(self.lines)} line{'s' if len(self.lines) != 1 else ''}, "
            f"{money_text(totals.tax_exclusive_total)} excl. VAT, "
            f"{money_text(totals.amount_due)} due>"
        )

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """A one-line summary for IPython (``repr()`` keeps every field).

        .. versionadded:: 0.2
        """
        pretty(printer, cycle, self._summary())

    def _repr_html_(self) -> str:
        """The document as an HTML summary for Jupyter: header, lines, totals.

        .. versionadded:: 0.2
        """
        totals = self.totals()
        fields: list[tuple[str, Any]] = [
            ("kind", f"{self.kind.name.lower().replace('_', ' ')} ({self.kind.code})"),
            ("number", self.number or "draft"),
            ("issue date", self.issue_date),
            ("due date", self.due_date),
            ("seller", self.seller.name),
            ("buyer", self.buyer.name),
            ("net (BT-109)", totals.tax_exclusive_total),
            ("VAT (BT-110)", totals.vat_total),
            ("gross (BT-112)", totals.tax_inclusive_total),
            ("due (BT-115)", totals.amount_due),
        ]
        rows = [
            (
                line.description,
                line.quantity,
                line.unit_price,
                f"{line.vat.percent or 0:f} %",
                Money(net, self.currency),
            )
            for line, net in zip(self.lines, totals.line_nets, strict=True)
        ]
        headers = ["description", "quantity", "unit price", "VAT", "net"]
        return summary_html(f"Invoice {self.number or '(draft)'}", fields, (headers, rows))

    def _refuse_if_issued(self, field: str) -> None:
        if self.status is DocumentStatus.ISSUED:
            raise IssuedDocumentError(
                f"invoice {self.number} is issued and cannot be changed",
                field=field,
                hint="correct an issued invoice with a credit note (CGI 289 I-5)",
            )


#: `Invoice` without its checks, for `Invoice._issued_copy` only (see there).
_issued_invoice = unchecked(Invoice)


def _seal_for(fields: dict[str, Any]) -> str:
    return fingerprint(
        "Invoice", {k: v for k, v in fields.items() if k != "seal"}, _NEW_INVOICE_FIELDS
    )


#: The names of the fields the seal covers (the constructor's; `seal` is left out by
#: `_seal_for`), computed once rather than at every `Invoice.content_seal`.
_SEALED_FIELDS = tuple(f.name for f in attrs.fields(Invoice) if f.init)

#: Invoice fields added after 0.1, with their defaults: left out of the seal while at
#: their default, so that invoices sealed by 0.1 keep their seal.
_NEW_INVOICE_FIELDS: dict[str, Any] = {
    f.name: f.default for f in attrs.fields(Invoice) if "since" in f.metadata
}


def billing_framework(invoice: Invoice) -> str:
    """The French "cadre de facturation" of *invoice* (BT-23, XP Z12-012 BR-FR-08).

    ``invoice.billing_framework`` when set; else a letter for the nature of the
    operations (CGI ann. II 242 nonies A I-8° bis) — ``B`` when every line
    supplies goods, ``S`` when every line supplies services or does not say
    (`facturlib.core.lines.SupplyKind`), ``M`` for both — followed by a digit:
    ``2`` when the invoice is already paid (BT-113 = BT-112 > 0, BR-FR-CO-09),
    ``4`` for a final invoice after deposits (BT-113 > 0 and not a deposit invoice
    386, BR-FR-CO-08), else ``1``. The other frameworks (S3 and S5–S7 for public
    procurement and subcontracting, 8 and 9 for multi-vendor and self-billing) are
    only set by override.

    >>> from facturlib.testing.builders import sample_invoice
    >>> billing_framework(sample_invoice())
    'S1'
    >>> billing_framework(sample_invoice(billing_framework="s5"))
    'S5'

    .. versionadded:: 0.2
    """
    check_instance(invoice, Invoice, "invoice", hint="pass a facturlib.Invoice")
    if invoice.billing_framework is not None:
        return invoice.billing_framework
    kinds = {line.supply or SupplyKind.SERVICES for line in invoice.lines}
    letter = "M" if len(kinds) > 1 else ("B" if SupplyKind.GOODS in kinds else "S")
    totals = invoice.totals()
    paid = totals.bt113
    if paid > 0 and paid == totals.bt112:
        digit = "2"
    elif paid > 0 and invoice.kind is not DocumentKind.DEPOSIT:
        digit = "4"
    else:
        digit = "1"
    return letter + digit


def reporting_category(invoice: Invoice) -> str:
    """How the invoice is treated by the French tax administration: the ``BAR`` note.

    ``invoice.reporting_category`` when set; else ``OUTOFSCOPE`` when every VAT
    group is outside the scope of VAT (category O); ``B2C`` when the buyer has no
    SIREN, SIRET or VAT id (a consumer: e-reporting, not e-invoicing); ``B2B`` when
    seller and buyer are both in France (e-invoicing, BR-FR-11 then asks for the
    buyer's SIREN); else ``B2BINT`` (an international business sale:
    e-reporting).

    >>> from facturlib.testing.builders import sample_invoice, sample_buyer
    >>> reporting_category(sample_invoice())
    'B2B'
    >>> consumer = sample_buyer(siren=None, vat_id=None)
    >>> reporting_category(sample_invoice(buyer=consumer))
    'B2C'

    .. versionadded:: 0.2
    """
    check_instance(invoice, Invoice, "invoice", hint="pass a facturlib.Invoice")
    if invoice.reporting_category is not None:
        return invoice.reporting_category
    groups = invoice.totals().vat_groups
    if groups and all(vat.category is VatCategory.O for vat, _, _ in groups):
        return "OUTOFSCOPE"
    buyer, seller = invoice.buyer, invoice.seller
    if buyer.legal_id is None and buyer.vat_id is None:
        return "B2C"
    if _in_france(buyer) and _in_france(seller):
        return "B2B"
    return "B2BINT"


def _in_france(party: Party) -> bool:
    """A party established in France: a SIREN, a French VAT id or a French address."""
    return (
        party.legal_id is not None
        or (party.vat_id or "").startswith("FR")
        or party.address.country_code == "FR"
    )


def _refuse_setattr(self: _Document, name: str, value: object = None) -> None:
    """Documents are immutable: say what to do instead (an issued invoice: why not)."""
    if isinstance(self, Invoice) and self.status is DocumentStatus.ISSUED:
        self._refuse_if_issued(name)
    raise FrozenValueError(
        f"a {type(self).__name__} is immutable",
        field=name,
        hint=f"build a changed copy with attrs.evolve(document, {name}=...)",
    )


for _cls in (Quote, Order, Invoice):
    _cls.__setattr__ = _refuse_setattr  # type: ignore[assignment]
    _cls.__delattr__ = _refuse_setattr  # type: ignore[assignment]
