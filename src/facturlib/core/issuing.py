"""Issuing: the moment a draft gets its number and its content is frozen.

`issue` is pure: it takes the draft, the numbering (a `NumberingScheme`, or a
`NumberingPlan` with one series per document kind and legal entity) and the
`SequenceState`, and returns the issued invoice with the new state. The caller
stores both in one transaction (the number is consumed in the same
transaction that freezes the document). Drafts and proformas never get a number.

Before numbering, `check_invoice` looks for everything that would make the
issued invoice unlawful or non-compliant; `issue` refuses with all of them at once:

* a due date for invoices, deposit and corrective invoices (C. com. L441-9 I; EN 16931-1:
  always emit BT-9), not before the issue date except for deposits (BR-FR-CO-07);
* credit notes refer to the invoice they correct (CGI 289 I-5, BT-25), corrective
  invoices to exactly one (BR-FR-CO-04); credit-note amounts are positive (CGI 289 I-5);
* a seller identifier: SIREN or VAT id (BR-CO-26);
* an invoice (380) whose total is negative: EN 16931 allows it, but what is meant
  is a credit note (avoir, 381) referring to the invoice it corrects (CGI 289 I-5;
  BOI-TVA-DECLA-30-20-20-30); `issue` issues it only with ``allow_negative=True``;
* reverse charge needs the buyer's VAT id (BR-AE-02), intra-EU supply both VAT ids
  (BR-IC-02), and "outside scope" excludes every other category (BR-O-11).

>>> from datetime import date
>>> from facturlib.core.numbering import SequenceState
>>> from facturlib.testing.builders import sample_invoice, sample_scheme
>>> invoice, state = issue(sample_invoice(), sample_scheme(), SequenceState(), on=date(2025, 1, 15))
>>> invoice.number, invoice.status.value
('FA-2025-0001', 'issued')
>>> invoice.number = "FA-2025-0099"
Traceback (most recent call last):
...
facturlib.core.errors.IssuedDocumentError: invoice FA-2025-0001 is issued and cannot be changed ...
"""

from __future__ import annotations

from datetime import date

import attrs

from facturlib.core._codes import DocumentKind
from facturlib.core._validators import check_bool, check_date, check_instance, check_int
from facturlib.core.documents import Invoice
from facturlib.core.errors import (
    DocumentError,
    NotIssuable,
    NumberingError,
    Problem,
    StaleStateError,
)
from facturlib.core.numbering import Numbering, SequenceState, next_number
from facturlib.core.vat import VatCategory

__all__ = ["check_invoice", "issue"]

#: The `Problem` code of an invoice (380) with a negative total (see `check_invoice`).
_NEGATIVE_INVOICE = "negative_invoice"

_NEEDS_DUE_DATE = frozenset({DocumentKind.INVOICE, DocumentKind.CORRECTIVE, DocumentKind.DEPOSIT})


def check_invoice(invoice: Invoice, on: date | None = None) -> tuple[Problem, ...]:
    """Everything that stops *invoice* from being issued on *on* (its issue date by default).

    An invoice (380) with a negative total is one of them (code
    ``"negative_invoice"``): a credit note (381) is what is meant, see `issue`.

    Returns:
        A tuple of `Problem`\\s, empty when the invoice can be issued.

    >>> from facturlib.core.lines import Line
    >>> from facturlib.core.money import to_money
    >>> from facturlib.core.vat import FR_STANDARD
    >>> from facturlib.testing.builders import sample_invoice
    >>> refund = sample_invoice().with_lines([Line(description="Remboursement", quantity=-1,
    ...     unit_price=to_money("100.00", "EUR"), vat=FR_STANDARD)])
    >>> [p.code for p in check_invoice(refund)]
    ['negative_invoice']

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 an invoice with a negative total is a problem.
    """
    check_instance(invoice, Invoice, "invoice", error=DocumentError, hint="pass a draft Invoice")
    check_date(on, "on", optional=True, error=DocumentError)
    problems: list[Problem] = []

    def problem(code: str, message: str) -> None:
        problems.append(Problem(code=code, message=message, reference=invoice.number))

    day = on or invoice.issue_date
    kind = invoice.kind
    if invoice.is_issued:
        problem("already_issued", f"the invoice is already issued as {invoice.number}")
    if kind is DocumentKind.PROFORMA:
        problem("proforma", "a proforma is not an invoice and never gets a number (EN 16931 BT-3)")
    if kind in _NEEDS_DUE_DATE and invoice.due_date is None:
        problem("missing_due_date", "the due date (BT-9) is required as a date (C. com. L441-9)")
    if (
        invoice.due_date is not None
        and day is not None
        and invoice.due_date < day
        and kind is not DocumentKind.DEPOSIT
    ):
        problem(
            "due_before_issue",
            f"the due date {invoice.due_date} is before the issue date {day} (BR-FR-CO-07)",
        )
    if kind is DocumentKind.CREDIT_NOTE and not invoice.preceding:
        problem(
            "missing_preceding",
            "a credit note must refer to the invoice it corrects (CGI 289 I-5, BT-25)",
        )
    if kind is DocumentKind.CORRECTIVE and len(invoice.preceding) != 1:
        problem(
            "corrective_reference",
            "a corrective invoice refers to exactly one preceding invoice (BR-FR-CO-04)",
        )
    if invoice.seller.legal_id is None and invoice.seller.vat_id is None:
        problem("seller_id", "the seller needs a SIREN/SIRET or a VAT id (BR-CO-26)")
    totals = invoice.totals()
    if kind is DocumentKind.CREDIT_NOTE and totals.tax_inclusive_total.amount < 0:
        problem("negative_credit_note", "credit-note amounts are positive (CGI 289 I-5)")
    if kind is DocumentKind.INVOICE and totals.bt112 < 0:
        problem(
            _NEGATIVE_INVOICE,
            f"the invoice total is negative ({totals.bt112} {invoice.currency.code}): "
            "EN 16931 allows a negative invoice (380), but a refund or a correction is "
            "a credit note (avoir, 381) referring to the invoice it corrects "
            "(CGI 289 I-5; BOI-TVA-DECLA-30-20-20-30); make one with "
            "facturlib.credit_note(), or issue(..., allow_negative=True) if a negative "
            "invoice is really meant",
        )
    categories = {entry.vat.category for entry in totals.vat_breakdown}
    buyer_ids = invoice.buyer.vat_id or invoice.buyer.legal_id
    if VatCategory.AE in categories and buyer_ids is None:
        problem("reverse_charge_buyer", "reverse charge needs the buyer's VAT id (BR-AE-02)")
    if VatCategory.K in categories and (
        invoice.buyer.vat_id is None or invoice.seller.vat_id is None
    ):
        problem("intra_eu_ids", "an intra-EU supply needs both VAT ids (BR-IC-02)")
    if VatCategory.O in categories and len(categories) > 1:
        problem(
            "outside_scope_mixed",
            "an invoice with 'outside scope' VAT (O) has no other category (BR-O-11)",
        )
    return tuple(problems)


def issue(
    draft: Invoice,
    numbering: Numbering,
    state: SequenceState,
    on: date,
    *,
    due_date: date | None = None,
    expected_revision: int | None = None,
    allow_negative: bool = False,
) -> tuple[Invoice, SequenceState]:
    """Number *draft*, date it *on* and freeze it.

    Args:
        draft: a draft `Invoice` (any kind but proforma).
        numbering: a `NumberingScheme`, or a `NumberingPlan` that picks the series
            by document kind and by the seller's SIREN.
        state: the current `SequenceState`.
        on: the issue date (BT-2).
        due_date: sets the due date (BT-9) if given.
        expected_revision: the `SequenceState.revision` the caller's store holds; a
            *state* of another revision is refused (compare-and-swap), so that a state
            read before another writer issued can never give a number twice.
        allow_negative: issue an invoice (380) whose total is negative. By default it
            is refused: EN 16931 allows it, but French practice corrects or refunds
            with a credit note (avoir, 381) that refers to the invoice (CGI 289 I-5;
            BOI-TVA-DECLA-30-20-20-30).

    Returns:
        ``(issued invoice, new state)``; *draft* and *state* are left as they were.

    Raises:
        NotIssuable: the draft breaks one of the rules of `check_invoice`; the
            message lists every problem.
        NumberingError: *on* is earlier than the last number of the series, or
            *state* is inconsistent (its last number is not its counter's).
        StaleStateError: *state* is not at *expected_revision*.

    .. versionchanged:: 0.2
       ``expected_revision``; ``allow_negative``: a negative invoice (380) is refused
       without it.

    .. versionadded:: 0.1
    """
    check_instance(draft, Invoice, "draft", error=DocumentError, hint="pass a draft Invoice")
    if not callable(getattr(numbering, "scheme_for", None)):
        raise NumberingError(
            f"expected a NumberingScheme or NumberingPlan, got {type(numbering).__name__}",
            field="numbering",
            value=numbering,
            hint='e.g. NumberingScheme(pattern="FA-{yyyy}-{seq:04}")',
        )
    check_date(on, "on", error=NumberingError)
    check_instance(
        state, SequenceState, "state", error=NumberingError, hint="start with SequenceState()"
    )
    if expected_revision is not None:
        check_int(expected_revision, "expected_revision", minimum=0, error=NumberingError)
        if state.revision != expected_revision:
            raise StaleStateError(
                f"the numbering state is at revision {state.revision}, not the "
                f"{expected_revision} expected: another writer issued meanwhile",
                field="state",
                value=state.revision,
                hint="read the state again inside the transaction that stores the invoice "
                "(BEGIN IMMEDIATE / SELECT ... FOR UPDATE) and issue again",
            )
    if due_date is not None and not draft.is_issued:
        draft = attrs.evolve(draft, due_date=due_date)
    check_bool(allow_negative, "allow_negative", error=DocumentError)
    problems = check_invoice(draft, on)
    if allow_negative:
        problems = tuple(p for p in problems if p.code != _NEGATIVE_INVOICE)
    if problems:
        raise NotIssuable(
            "cannot issue: " + "; ".join(p.message for p in problems),
            field="invoice",
            value=draft.number,
            hint="fix the draft with attrs.evolve and issue it again",
        )
    scheme = numbering.scheme_for(draft.kind, draft.seller.legal_id)
    number, new_state = next_number(scheme, state, on)
    return draft._issued_copy(number=number, issue_date=on), new_state
