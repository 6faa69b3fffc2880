"""Direct debits and the batches (pain.008 messages) that carry them.

A `DirectDebit` is one collection: an amount in euros on a mandate, for a
requested collection date, with its sequence type, end-to-end id and remittance
text, and the invoice (and installment) it collects. A `DirectDebitBatch` is one
message to the creditor's bank (ISO 20022 ``CstmrDrctDbtInitn``): its debits are
grouped into payment-information blocks (`PaymentBlock`, ``PmtInf``) by sequence
type, requested collection date and scheme, as the EPC SDD implementation
guidelines (EPC130-08) require, each block with its count and control sum.
`DirectDebitBatch.split_by_sequence_type` makes one message per sequence type for
banks that refuse mixed sequence types in one file.

`debits_due` builds the debits from issued invoices, or from the installments of
their due schedule (`facturlib.receivables.terms.due_schedule`) due by a date,
with each customer's mandate, deriving every sequence type from the mandate's
history (`facturlib.sepa.mandates.next_collection`). `DirectDebitBatch.payments`
and `DirectDebitBatch.allocations` give the pending `Payment` of each debit and
the allocation to the invoice it collects, ready for `facturlib.settle`.

>>> from datetime import date, datetime
>>> from facturlib.core.money import to_money
>>> from facturlib.core.parties import Address, Party
>>> creditor = Party(name="Exemple SAS", address=Address(city="Paris", country_code="FR"),
...                  iban="FR7630006000011234567890189", creditor_id="FR72ZZZ123456")
>>> debtor = Party(name="Jean Dupont", address=Address(city="Lyon", country_code="FR"),
...                iban="DE89370400440532013000", id="CLI0001")
>>> mandate = Mandate(reference="RUM-0001", signed_on=date(2025, 1, 10), debtor=debtor)
>>> debits = [DirectDebit(end_to_end_id=f"FA-{i}", amount=to_money(amount, "EUR"),
...                       mandate=mandate, collection_date=date(2025, 2, 5))
...           for i, amount in enumerate(["10.00", "20.50"], 1)]
>>> batch = DirectDebitBatch(message_id="MSG-1", created_at=datetime(2025, 2, 1, 9, 30),
...                          creditor=creditor, debits=debits)
>>> [(b.id, b.sequence_type.value, b.count, b.total) for b in batch.blocks()]
[('MSG-1-1', 'RCUR', 2, Decimal('30.50'))]

.. versionadded:: 0.2
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs
from moneyed import Money

from facturlib.core._codes import DocumentKind
from facturlib.core._validators import (
    as_tuple,
    check_date,
    check_instance,
    is_bool,
    is_date,
    is_money,
    is_optional_date,
    is_optional_text,
    is_text,
    items_of,
    optional_text,
    to_enum,
    tuple_of,
)
from facturlib.core.documents import Invoice
from facturlib.core.errors import SepaError
from facturlib.core.parties import Party
from facturlib.receivables.payments import Payment, PaymentAllocation, PaymentMethod
from facturlib.receivables.terms import PaymentTerms, due_schedule
from facturlib.sepa.mandates import (
    LocalInstrument,
    Mandate,
    MandateAmendment,
    MandateHistory,
    SequenceType,
    next_collection,
)

__all__ = ["DirectDebit", "DirectDebitBatch", "PaymentBlock", "debits_due"]

_SEQUENCE_ORDER = {
    SequenceType.FRST: 0,
    SequenceType.OOFF: 1,
    SequenceType.RCUR: 2,
    SequenceType.FNAL: 3,
}


def _to_sequence_type(value: SequenceType | str) -> SequenceType:
    return to_enum(value, SequenceType, "sequence_type", error=SepaError)


def _is_mandate(instance: object, attribute: attrs.Attribute[Mandate], value: object) -> None:
    check_instance(value, Mandate, attribute.name, error=SepaError, hint="pass a sepa Mandate")


def _is_optional_amendment(instance: object, attribute: Any, value: object) -> None:
    check_instance(value, MandateAmendment, attribute.name, optional=True, error=SepaError)


def _is_party(instance: object, attribute: Any, value: Any) -> None:
    check_instance(
        value, Party, attribute.name, error=SepaError, hint="pass the creditor as a facturlib.Party"
    )


def _is_datetime(instance: object, attribute: Any, value: Any) -> None:
    if not isinstance(value, datetime):
        raise SepaError(
            f"expected a datetime, got {type(value).__name__}",
            field=attribute.name,
            value=value,
            hint="pass the creation time, e.g. datetime(2025, 2, 1, 9, 30)",
        )


def _is_optional_bool(instance: object, attribute: Any, value: object) -> None:
    if value is not None:
        is_bool(instance, attribute, value)


@attrs.frozen(kw_only=True)
class DirectDebit:
    """One collection on a mandate (``DrctDbtTxInf``).

    Attributes:
        end_to_end_id: the creditor's id of the collection (``EndToEndId``, AT-10),
            unique in the batch; returned in rejects, and the `Payment.id` of the
            collection.
        amount: the amount, in euros, with at most 2 decimals (AT-06).
        mandate: the mandate collected on (its debtor is debited).
        collection_date: the requested collection date (AT-11).
        sequence_type: FRST, RCUR, FNAL or OOFF (AT-21).
        amendment: the mandate amendment reported with this collection, if any.
        remittance: the unstructured remittance text (AT-22, ``Ustrd``);
            transliterated and cut to 140 characters when written.
        customer: the `facturlib.Party.key` of the customer whose invoice it
            collects (defaults to the debtor's key).
        invoice_number: the invoice it collects.
        installment_date: the due date of the installment it collects, when the
            invoice is paid in installments.

    Amount, currency and identifiers are checked for the EPC rules by
    `facturlib.sepa.checks.check_batch` before a file is written, so that every
    problem of a batch is reported at once.

    .. versionadded:: 0.2
    """

    end_to_end_id: str = attrs.field(converter=optional_text, validator=is_text)
    amount: Money = attrs.field(validator=is_money(error=SepaError))
    mandate: Mandate = attrs.field(validator=_is_mandate)
    collection_date: date = attrs.field(validator=is_date)
    sequence_type: SequenceType = attrs.field(
        default=SequenceType.RCUR, converter=_to_sequence_type
    )
    amendment: MandateAmendment | None = attrs.field(default=None, validator=_is_optional_amendment)
    remittance: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    customer: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    invoice_number: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    installment_date: date | None = attrs.field(default=None, validator=is_optional_date)

    @property
    def debtor(self) -> Party:
        """The debited party (the mandate's debtor)."""
        return self.mandate.debtor

    @property
    def customer_key(self) -> str:
        """`customer`, else the debtor's `facturlib.Party.key`."""
        return self.customer or self.mandate.debtor.key

    def payment(self, *, pending: bool = True) -> Payment:
        """The `facturlib.Payment` this collection brings: id = end-to-end id, SEPA direct
        debit (UNTDID 4461 code 59), dated on the collection date, pending until it
        clears (a direct debit can be rejected or returned).

        .. versionadded:: 0.2
        """
        return Payment(
            id=self.end_to_end_id,
            customer=self.customer_key,
            amount=self.amount,
            date=self.collection_date,
            method=PaymentMethod.SEPA_DIRECT_DEBIT,
            reference=self.end_to_end_id,
            pending=pending,
        )


@attrs.frozen(kw_only=True)
class PaymentBlock:
    """One payment-information block (``PmtInf``): debits of one sequence type,
    collection date and scheme.

    Attributes:
        id: the block id (``PmtInfId``): the message id, ``-`` and the block's rank.
        sequence_type: its sequence type.
        collection_date: its requested collection date.
        scheme: CORE or B2B.
        debits: its debits, in batch order.
        count: the number of debits (``NbOfTxs``).
        total: the sum of their amounts (``CtrlSum``).

    .. versionadded:: 0.2
    """

    id: str
    sequence_type: SequenceType
    collection_date: date
    scheme: LocalInstrument
    debits: tuple[DirectDebit, ...]
    count: int
    total: Decimal


@attrs.frozen(kw_only=True)
class DirectDebitBatch:
    """A direct-debit message to the creditor's bank (``CstmrDrctDbtInitn``).

    Attributes:
        message_id: the message id (``MsgId``), unique for the creditor's bank.
        created_at: the creation time (``CreDtTm``); facturlib reads no clock.
        creditor: the creditor: name, structured address, IBAN, BIC and creditor
            identifier (`facturlib.Party.creditor_id`).
        debits: the collections.
        batch_booking: ask the bank to book each block as one credit (``True``)
            or each debit separately (``False``); ``None`` leaves it to the bank.
        initiating_party: the name of the party sending the file, when it is
            not the creditor.

    .. versionadded:: 0.2
    """

    message_id: str = attrs.field(converter=optional_text, validator=is_text)
    created_at: datetime = attrs.field(validator=_is_datetime)
    creditor: Party = attrs.field(validator=_is_party)
    debits: tuple[DirectDebit, ...] = attrs.field(
        converter=as_tuple, validator=tuple_of(DirectDebit)
    )
    batch_booking: bool | None = attrs.field(default=None, validator=_is_optional_bool)
    initiating_party: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )

    @property
    def count(self) -> int:
        """The number of debits (``GrpHdr/NbOfTxs``)."""
        return len(self.debits)

    @property
    def total(self) -> Decimal:
        """The sum of the amounts (``GrpHdr/CtrlSum``)."""
        return sum((d.amount.amount for d in self.debits), Decimal(0))

    def blocks(self) -> tuple[PaymentBlock, ...]:
        """The payment-information blocks: one per (sequence type, collection date,
        scheme), by date, then FRST, OOFF, RCUR, FNAL, then CORE before B2B.

        .. versionadded:: 0.2
        """
        groups: dict[tuple[SequenceType, date, LocalInstrument], list[DirectDebit]] = {}
        for debit in self.debits:
            key = (debit.sequence_type, debit.collection_date, debit.mandate.scheme)
            found = groups.get(key)
            if found is None:
                groups[key] = [debit]
            else:
                found.append(debit)
        keys = sorted(
            groups, key=lambda k: (k[1], _SEQUENCE_ORDER[k[0]], k[2] is LocalInstrument.B2B)
        )
        result = []
        for rank, key in enumerate(keys, 1):
            debits = tuple(groups[key])
            suffix = f"-{rank}"
            result.append(
                PaymentBlock(
                    id=self.message_id[: 35 - len(suffix)] + suffix,
                    sequence_type=key[0],
                    collection_date=key[1],
                    scheme=key[2],
                    debits=debits,
                    count=len(debits),
                    total=sum((d.amount.amount for d in debits), Decimal(0)),
                )
            )
        return tuple(result)

    def split_by_sequence_type(self) -> tuple[DirectDebitBatch, ...]:
        """One batch per sequence type, for banks that refuse mixed sequence types in
        one file; message ids get the sequence type as suffix (``MSG-1-RCUR``).

        .. versionadded:: 0.2
        """
        kinds = sorted({d.sequence_type for d in self.debits}, key=_SEQUENCE_ORDER.__getitem__)
        return tuple(
            attrs.evolve(
                self,
                message_id=f"{self.message_id[:30]}-{kind.value}",
                debits=tuple(d for d in self.debits if d.sequence_type is kind),
            )
            for kind in kinds
        )

    def payments(self, *, pending: bool = True) -> tuple[Payment, ...]:
        """The pending `facturlib.Payment` of each debit (see `DirectDebit.payment`).

        .. versionadded:: 0.2
        """
        return tuple(d.payment(pending=pending) for d in self.debits)

    def allocations(self) -> tuple[PaymentAllocation, ...]:
        """The allocation of each debit to the invoice it collects, for `facturlib.settle`
        (debits that name no invoice are left out).

        .. versionadded:: 0.2
        """
        return tuple(
            PaymentAllocation(
                payment_id=d.end_to_end_id,
                invoice_number=d.invoice_number,
                amount=d.amount,
                date=d.collection_date,
            )
            for d in self.debits
            if d.invoice_number is not None
        )


def debits_due(
    invoices: Iterable[Invoice],
    mandates: Mapping[str, Mandate],
    histories: Mapping[str, MandateHistory] | None = None,
    *,
    due_by: date,
    collection_date: date,
    terms: Mapping[str, PaymentTerms] | None = None,
    exclude: Iterable[str] = (),
    first: SequenceType | str = SequenceType.RCUR,
) -> tuple[tuple[DirectDebit, ...], dict[str, MandateHistory]]:
    """The debits collecting what *invoices* ask by *due_by*, on each customer's mandate.

    An invoice without terms is collected whole when its due date (BT-9) is on or
    before *due_by*, with end-to-end id = the invoice number. With terms, each
    installment of `facturlib.receivables.terms.due_schedule` due by then is
    collected on its own, with end-to-end id ``<number>-<rank>``. Invoices of
    customers without a mandate, credit notes, drafts and ids in *exclude* (already
    collected) are left out. Sequence types come from each mandate's history.

    Args:
        invoices: issued invoices.
        mandates: each customer's mandate, by `facturlib.Party.key` of the buyer.
        histories: each mandate's history, by mandate reference.
        due_by: collect what falls due on or before this date.
        collection_date: the requested collection date of every debit.
        terms: payment terms by invoice number, for invoices paid in installments.
        exclude: end-to-end ids already collected.
        first: FRST or RCUR for first collections (see `next_collection`).

    Returns:
        ``(debits, histories)``: the debits by due date then invoice number, and
        every history after them (the mapping passed in is not changed).

    Raises:
        SepaError: a mandate that cannot be collected on (lapsed, closed, signed
            after the collection date), arguments of the wrong type.

    .. versionadded:: 0.2
    """
    check_date(due_by, "due_by", error=SepaError)
    check_date(collection_date, "collection_date", error=SepaError)
    check_instance(mandates, Mapping, "mandates", error=SepaError, hint="a dict by customer key")
    check_instance(histories, Mapping, "histories", optional=True, error=SepaError)
    check_instance(terms, Mapping, "terms", optional=True, error=SepaError)
    excluded = frozenset(
        items_of(exclude, str, "exclude", error=SepaError, hint="end-to-end ids already collected")
    )
    invoices = items_of(invoices, Invoice, "invoices", error=SepaError, hint="issued invoices")
    terms = terms or {}
    wanted: list[tuple[date, str, int, Invoice, Money, date | None, str]] = []
    for invoice in invoices:
        if (
            invoice.number is None
            or invoice.issue_date is None
            or invoice.kind is DocumentKind.CREDIT_NOTE
            or invoice.buyer.key not in mandates
        ):
            continue
        invoice_terms = terms.get(invoice.number)
        if invoice_terms is None:
            due = invoice.due_date or invoice.issue_date
            amount = invoice.totals().amount_due
            if due <= due_by and invoice.number not in excluded and amount.amount > 0:
                wanted.append((due, invoice.number, 0, invoice, amount, None, invoice.number))
            continue
        schedule = due_schedule(invoice, invoice_terms)
        for rank, installment in enumerate(schedule, 1):
            e2e = f"{invoice.number}-{rank}"
            if installment.date <= due_by and e2e not in excluded:
                text = f"{invoice.number} {rank}/{len(schedule)}"
                wanted.append(
                    (
                        installment.date,
                        invoice.number,
                        rank,
                        invoice,
                        installment.amount,
                        installment.date,
                        text,
                    )
                )
    wanted.sort(key=lambda w: (w[0], w[1], w[2]))
    state = dict(histories or {})
    debits = []
    for _due, number, rank, invoice, amount, installment_date, text in wanted:
        mandate = mandates[invoice.buyer.key]
        check_instance(mandate, Mandate, f"mandates[{invoice.buyer.key!r}]", error=SepaError)
        collection, state[mandate.reference] = next_collection(
            mandate, state.get(mandate.reference), on=collection_date, first=first
        )
        debits.append(
            DirectDebit(
                end_to_end_id=f"{number}-{rank}" if rank else number,
                amount=amount,
                mandate=mandate,
                collection_date=collection_date,
                sequence_type=collection.sequence_type,
                amendment=collection.amendment,
                remittance=text,
                customer=invoice.buyer.key,
                invoice_number=number,
                installment_date=installment_date,
            )
        )
    return tuple(debits), state
