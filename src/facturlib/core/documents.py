"""Quotes, orders and invoices.

The three documents share their body — seller, buyer, currency, lines,
document-level allowances and charges, a global discount, notes, payment terms
and a `RoundingPolicy` — and each has a ``totals()`` computed by
`facturlib.core.totals.compute_totals` (DOMAIN.md §2).

* `Quote` (devis) has a validity date; `Quote.to_order` and `Quote.to_invoice`
  carry parties, lines and conditions over and keep the link.
* `Order` (bon de commande) has a delivery date and the buyer's purchase order
  number, which becomes the invoice's BT-13 in `Order.to_invoice`.
* `Invoice` has a `DocumentKind` (380 invoice, 381 credit note, 386 deposit, 384
  corrective, or proforma) and a `DocumentStatus`. A draft has **no number**; a
  number is given only by `facturlib.core.issuing.issue`, which freezes the content
  (DOMAIN.md §1.3). An issued invoice cannot be changed: setting an attribute
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
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

import attrs
from moneyed import Currency, Money

from facturlib.core._canonical import fingerprint
from facturlib.core._codes import DocumentKind
from facturlib.core._display import money_text, pretty, summary_html
from facturlib.core._validators import (
    as_tuple,
    instance_of,
    is_bool,
    is_money,
    is_optional_date,
    is_optional_text,
    is_text,
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
)
from facturlib.core.lines import Discount, DocumentAllowance, DocumentCharge, Line
from facturlib.core.money import (
    DEFAULT_ROUNDING,
    RoundingPolicy,
    _require_currency,
    freeze_money,
)
from facturlib.core.money import currency as to_currency
from facturlib.core.parties import Party
from facturlib.core.periods import Period
from facturlib.core.totals import StatedVat, Totals, _compute

__all__ = [
    "DocumentKind",
    "DocumentStatus",
    "Invoice",
    "InvoiceReference",
    "Order",
    "Quote",
]

D = TypeVar("D", bound="_Document")


class DocumentStatus(enum.Enum):
    """Where a document is in its life (DOMAIN.md §1.3). Payment state is derived, not stored."""

    DRAFT = "draft"
    ISSUED = "issued"


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
    for i, line in enumerate(items):
        if not isinstance(line, Line):
            raise InvalidValue(
                f"expected a Line, got {type(line).__name__}", field=f"lines[{i}]", value=line
            )
    if all(line.id is not None for line in items):
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
    notes: tuple[str, ...] = attrs.field(default=(), converter=as_tuple, validator=tuple_of(str))
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

    def __attrs_post_init__(self) -> None:
        self._check_body()

    def _check_body(self, more_amounts: Sequence[tuple[str, Money | None]] = ()) -> None:
        if not self.lines:
            raise DocumentError(
                "a document needs at least one line", field="lines", value=(), hint="add a Line"
            )
        ids = [line.id for line in self.lines]
        if len(set(ids)) != len(ids):
            raise DocumentError("line ids must be unique", field="lines", value=ids)
        cur = self.currency
        amounts: list[tuple[str, Money | None]] = [
            (f"lines[{i}].unit_price", line.unit_price) for i, line in enumerate(self.lines)
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
        )

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
        }


@attrs.frozen(kw_only=True)
class Quote(_Document):
    """A quote (devis) with its validity date.

    Attributes:
        valid_until: the last day the quote can be accepted.

    .. versionadded:: 0.1
    """

    valid_until: date | None = attrs.field(default=None, validator=is_optional_date)

    def __attrs_post_init__(self) -> None:
        self._check_body()
        if self.valid_until and self.issue_date and self.valid_until < self.issue_date:
            raise DocumentError(
                "a quote cannot expire before it is dated",
                field="valid_until",
                value=self.valid_until,
                hint=f"give a date on or after {self.issue_date}",
            )

    def to_order(
        self,
        *,
        on: date,
        number: str | None = None,
        delivery_date: date | None = None,
        purchase_order: str | None = None,
    ) -> Order:
        """The order that accepts this quote, dated *on*.

        Raises:
            DocumentError: if the quote expired before *on*.
        """
        self._check_valid(on)
        return Order(
            **self._body(),
            number=number,
            issue_date=on,
            delivery_date=delivery_date,
            purchase_order=purchase_order,
            quote_reference=self.number,
        )

    def to_invoice(self, **fields: Any) -> Invoice:
        """A draft invoice for this quote; keyword arguments set invoice fields."""
        fields.setdefault("quote_reference", self.number)
        return Invoice(**self._body(), **fields)

    def _check_valid(self, on: date) -> None:
        if self.valid_until is not None and on > self.valid_until:
            raise DocumentError(
                "the quote has expired",
                field="valid_until",
                value=self.valid_until,
                hint="issue a new quote, or extend valid_until with attrs.evolve",
            )


@attrs.frozen(kw_only=True)
class Order(_Document):
    """A purchase order (bon de commande) accepted from the buyer.

    Attributes:
        delivery_date: planned delivery or performance date (BT-72 on the invoice).
        purchase_order: the buyer's order number, printed on invoices as BT-13.
        quote_reference: the number of the quote it accepts.

    .. versionadded:: 0.1
    """

    delivery_date: date | None = attrs.field(default=None, validator=is_optional_date)
    purchase_order: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    quote_reference: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )

    def to_invoice(self, **fields: Any) -> Invoice:
        """A draft invoice for this order; keyword arguments set invoice fields.

        The invoice's purchase order reference (BT-13) is the buyer's order number,
        falling back on this order's own number; its sales order reference (BT-14)
        is this order's number.
        """
        fields.setdefault("purchase_order", self.purchase_order or self.number)
        fields.setdefault("order_reference", self.number)
        fields.setdefault("quote_reference", self.quote_reference)
        fields.setdefault("delivery_date", self.delivery_date)
        return Invoice(**self._body(), **fields)


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
        seal: set at issue; a fingerprint of the content that must not change.

    .. versionadded:: 0.1
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
    seal: str | None = None

    def __attrs_post_init__(self) -> None:
        self._check_body(
            [("prepaid", self.prepaid)]
            + [(f"stated_vat[{i}]", s.amount) for i, s in enumerate(self.stated_vat)]
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
                    hint="numbers are given by facturlib.issue() (DOMAIN.md §1.3)",
                )
            return
        if self.kind is DocumentKind.PROFORMA:
            raise DocumentError(
                "a proforma is never issued",
                field="status",
                value=self.status,
                hint="a proforma is not an invoice (DOMAIN.md §1.2); issue a real invoice",
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
        return _seal_for({f.name: getattr(self, f.name) for f in attrs.fields(Invoice) if f.init})

    def _issued_copy(self, *, number: str, issue_date: date) -> Invoice:
        """This draft, numbered, dated and sealed; used only by `facturlib.issue`."""
        fields = {f.name: getattr(self, f.name) for f in attrs.fields(Invoice) if f.init}
        fields.update(number=number, issue_date=issue_date, status=DocumentStatus.ISSUED)
        fields["seal"] = _seal_for(fields)
        return Invoice(**fields)

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
        """A copy of this draft with other lines.

        Raises:
            IssuedDocumentError: if the invoice is issued.
        """
        self._refuse_if_issued("lines")
        return attrs.evolve(self, lines=tuple(lines))

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


def _seal_for(fields: dict[str, Any]) -> str:
    return fingerprint("Invoice", {k: v for k, v in fields.items() if k != "seal"})


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
