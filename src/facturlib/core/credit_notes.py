"""Credit notes (avoirs): full or partial, never more than the invoice.

A credit note (BT-3 = 381) corrects an issued invoice (CGI 289 I-5): it refers
to the original's number and date (BT-25/BT-26), uses the same VAT categories and
rates, and its amounts are positive (CGI 289 I-5). `credit_note` makes the draft;
issue it like any invoice with `facturlib.issue` (often in its own series, e.g.
``AV-{yyyy}-{seq:04}``).

Four ways to credit, all through one function:

* **in full** (no argument): the original's lines, allowances and charges — or,
  after earlier partial credits, whatever remains;
* **by lines**: ``lines={"1": "2"}`` credits 2 units of line ``"1"``;
* **by amount**: ``amount=to_money("100.00", "EUR")`` (excluding VAT, or including it
  with ``includes_vat=True``), spread over the VAT rates in proportion to what
  remains creditable at each;
* **by ratio**: ``ratio="0.25"`` credits a quarter of every VAT rate.

The law holds by construction, per (category, rate): the credit notes of an
invoice never credit more taxable amount, nor more VAT, than the invoice had. A
request that would raises `CreditNoteError` with what remains creditable.

Each credit note is rounded per document: its VAT is its own base × rate, rounded
under the invoice's `RoundingPolicy` (with tax-inclusive prices, its own TTC less
its own HT), so every note passes EN 16931 BR-CO-17 exactly and reads like any
invoice. A partial note whose own rounding would credit more VAT at a rate than is
left there, or would leave a rest that can no longer be credited exactly (BR-CO-17
tolerates one currency unit), is refused with what remains creditable.

A credit of the whole invoice is its mirror: the same lines, allowances, charges,
pricing and stated VAT, so it has the invoice's figures under the same rounding
policy — even where the invoice's VAT is not round(base × rate) (per-line rounding,
tax-inclusive prices, a JPY invoice off by several yen). Likewise the remainder, and
any request that leaves only rounding at every rate, is the invoice's mirror less a
"Déjà crédité" allowance per rate for what the earlier notes credited.

Only the note that completes a rate absorbs its last cent: when a credit note
brings a rate within rounding distance of fully credited, it credits exactly the
remainder, VAT included, through an "Arrondi" allowance or charge and a stated VAT
(StatedVat, BT-117 as stated). The rounding distance is what the credit notes' own
roundings can explain: half a minor unit per rounded item (lines and adjustments of
that rate) per credit note so far, this one included. So three credits of a third of
100.00 @ 20 % give 33.33 + 6.67, 33.33 + 6.67 and 33.34 + 6.66: the first two
notes' VAT is round(33.33 × 0.20) = 6.67 each, the last one's what is left of the
invoice's 20.00 (CGI 272-1: the collected VAT is reduced by what each note states).

>>> from datetime import date
>>> from facturlib.core.issuing import issue
>>> from facturlib.core.money import to_money
>>> from facturlib.core.numbering import SequenceState
>>> from facturlib.testing.builders import sample_invoice, sample_scheme
>>> invoice, _ = issue(sample_invoice(), sample_scheme(), SequenceState(), on=date(2025, 1, 15))
>>> partial = credit_note(invoice, lines={"1": "3"})
>>> partial.totals().tax_inclusive_total, partial.preceding[0].number
(Money('432.00', 'EUR'), 'FA-2025-0001')
>>> credit_note(invoice, previous=[partial], amount=to_money("900.00", "EUR"))
Traceback (most recent call last):
...
facturlib.core.errors.CreditNoteError: the credit note exceeds what remains creditable ...
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs
from moneyed import Money

from facturlib.core._codes import DocumentKind
from facturlib.core._validators import check_bool, to_decimal, to_tuple
from facturlib.core.documents import Invoice
from facturlib.core.errors import CreditNoteError, DocumentError, InvalidValue
from facturlib.core.integrity import _verified
from facturlib.core.lines import Discount, DocumentAllowance, DocumentCharge, Line, SupplyKind
from facturlib.core.money import RoundingPolicy, _quantum, allocate, exact
from facturlib.core.totals import StatedVat, VatBreakdown, compute_totals
from facturlib.core.vat import VatRate

__all__ = ["credit_note", "creditable"]

_CREDITABLE_KINDS = frozenset({DocumentKind.INVOICE, DocumentKind.DEPOSIT, DocumentKind.CORRECTIVE})
_ZERO = Decimal(0)


@exact  # in facturlib's decimal context, whatever the caller's (issue 16)
def creditable(invoice: Invoice, previous: Sequence[Invoice] = ()) -> tuple[VatBreakdown, ...]:
    """What remains creditable on *invoice* after the credit notes *previous*.

    Returns:
        One `VatBreakdown` per VAT rate of the invoice: the taxable amount and the
        VAT not yet credited.

    Raises:
        CreditNoteError: *invoice* is not an issued invoice, or one of *previous* is
            not a credit note of it.

    >>> from datetime import date
    >>> from facturlib.core.issuing import issue
    >>> from facturlib.core.numbering import SequenceState
    >>> from facturlib.testing.builders import sample_invoice, sample_scheme
    >>> invoice, _ = issue(sample_invoice(), sample_scheme(), SequenceState(), date(2025, 1, 15))
    >>> [(r.taxable, r.amount) for r in creditable(invoice)]
    [(Money('1200.00', 'EUR'), Money('240.00', 'EUR'))]

    .. versionadded:: 0.1
    """
    previous = to_tuple(previous, "previous")
    _check_creditable(invoice, previous)
    remaining = _remaining(invoice, previous)
    cur = invoice.currency
    return tuple(
        VatBreakdown(vat=vat, taxable=Money(t, cur), amount=Money(v, cur))
        for vat, (t, v) in remaining.items()
    )


@exact  # in facturlib's decimal context, whatever the caller's (issue 16)
def credit_note(
    invoice: Invoice,
    *,
    previous: Sequence[Invoice] = (),
    lines: Mapping[str, Decimal | int | str] | None = None,
    amount: Money | None = None,
    includes_vat: bool = False,
    ratio: Decimal | str | None = None,
    include_charges: bool = False,
    reason: str | None = None,
) -> Invoice:
    """A draft credit note for *invoice*: in full, by lines, by amount or by ratio.

    Args:
        invoice: the issued invoice to credit.
        previous: every credit note already made for it (issued or draft), so that
            their sum never exceeds the invoice.
        lines: line id → quantity to credit (positive, at most what is left of the line).
        amount: the amount to credit, excluding VAT (or including it, see *includes_vat*).
        includes_vat: *amount* includes VAT.
        ratio: the share of the invoice to credit, above 0 and at most 1.
        include_charges: when crediting by lines, also credit the document charges
            (shipping…) in proportion; by default a partial return keeps them.
            Document allowances (discounts) are always credited in proportion, so
            the customer never gets back more than was paid.
        reason: a note printed on the credit note (e.g. "Retour marchandise").

    Returns:
        A draft `Invoice` of kind `DocumentKind.CREDIT_NOTE` referring to *invoice*.

    Raises:
        CreditNoteError: *invoice* is a draft or a credit note; too much is asked
            (the message says what remains creditable); an unknown line.
        InvalidValue: several ways to credit at once, a float, a ratio outside (0, 1].
        TamperedDocumentError: *invoice* or a *previous* note was altered after issue.

    .. versionadded:: 0.1
    """
    previous = to_tuple(previous, "previous")
    check_bool(includes_vat, "includes_vat", error=DocumentError)
    check_bool(include_charges, "include_charges", error=DocumentError)
    _check_creditable(invoice, previous)
    chosen = [name for name, v in (("lines", lines), ("amount", amount), ("ratio", ratio)) if v]
    if len(chosen) > 1:
        raise InvalidValue(
            "credit by lines, by amount or by ratio, not several at once",
            field=chosen[1],
            value=chosen,
            hint="make one credit note per way, passing the first as previous= to the second",
        )
    remaining = _remaining(invoice, previous)
    absorb = True
    body: dict[str, Any]
    # A note that credits everything left is the remainder note: the invoice's mirror
    # (same lines, adjustments, pricing and, with nothing credited yet, stated VAT)
    # less what the previous notes credited. It computes under the same policy to the
    # figures left; a re-expression (one line per rate) may not: under per-line
    # rounding or tax-inclusive prices a rate's VAT can be a minor unit or more from
    # round(base × rate), further than a stated VAT may differ (BR-CO-17).
    whole = False
    if lines:
        body = _by_lines(invoice, previous, lines, include_charges)
        whole = not previous and (include_charges or not invoice.charges)
        whole = whole and _all_lines(invoice, lines)
    elif amount is not None:
        body = _by_amount(invoice, remaining, amount, includes_vat)
        # Only a request for exactly the whole remainder may absorb rounding.
        rest = sum((t + v if includes_vat else t) for t, v in remaining.values() if t > 0)
        absorb = amount.amount == rest
        # A rate the amount does not reach (nothing positive left there) keeps it partial.
        whole = absorb and all(t > 0 or t == v == 0 for t, v in remaining.values())
    elif ratio is not None:
        share = _ratio(ratio)
        body = _by_ratio(invoice, share)
        whole = share == 1 and not previous
    else:
        whole = True

    if not whole:
        note = _draft(invoice, body, reason)
        # By lines, the lines asked for are kept; a ratio or an amount that leaves only
        # rounding on every rate asks for the remainder.
        if lines or not absorb or not _closes_every_rate(note, remaining, len(previous)):
            return _cap(note, invoice, remaining, previous, absorb)
    closing = _draft(invoice, _remainder(invoice, previous, remaining), reason)
    return _cap(closing, invoice, remaining, previous)


def _draft(invoice: Invoice, body: Mapping[str, Any], reason: str | None) -> Invoice:
    """A credit-note draft of *invoice* with *body* (lines, adjustments, pricing)."""
    return Invoice(
        kind=DocumentKind.CREDIT_NOTE,
        seller=invoice.seller,
        buyer=invoice.buyer,
        currency=invoice.currency,
        rounding=invoice.rounding,
        preceding=(invoice.reference,),
        buyer_reference=invoice.buyer_reference,
        purchase_order=invoice.purchase_order,
        contract_reference=invoice.contract_reference,
        tax_currency=invoice.tax_currency,
        tax_exchange_rate=invoice.tax_exchange_rate,
        notes=(reason,) if reason else (),
        **body,
    )


# ----------------------------------------------------------------------------- checks


def _check_creditable(invoice: Invoice, previous: Sequence[Invoice]) -> None:
    if not isinstance(invoice, Invoice) or not invoice.is_issued:
        raise CreditNoteError(
            "only an issued invoice can be credited",
            field="invoice",
            value=getattr(invoice, "number", invoice),
            hint="a draft can simply be changed or dropped; issue it first if it was sent",
        )
    _verified(invoice, "invoice", laws=False)  # an invoice altered after issue is refused
    if invoice.kind not in _CREDITABLE_KINDS:
        raise CreditNoteError(
            f"a {invoice.kind.value.replace('_', ' ')} cannot be credited",
            field="invoice.kind",
            value=invoice.kind.value,
            hint="credit the invoice itself; to undo a credit note, issue a new invoice",
        )
    for i, note in enumerate(previous):
        # The same number may exist at another seller or date: match all three.
        refers = isinstance(note, Invoice) and note.seller.legal_id == invoice.seller.legal_id
        refers = refers and any(
            ref.number == invoice.number and ref.issue_date in (None, invoice.issue_date)
            for ref in note.preceding
        )
        if not isinstance(note, Invoice) or note.kind is not DocumentKind.CREDIT_NOTE or not refers:
            raise CreditNoteError(
                f"previous[{i}] is not a credit note of {invoice.number}",
                field=f"previous[{i}]",
                value=getattr(note, "number", note),
                hint="pass only the credit notes that refer to this invoice",
            )
        _verified(note, f"previous[{i}]", laws=False)


def _remaining(
    invoice: Invoice, previous: Sequence[Invoice]
) -> dict[VatRate, tuple[Decimal, Decimal]]:
    remaining = {
        entry.vat: (entry.taxable.amount, entry.amount.amount)
        for entry in invoice.totals().vat_breakdown
    }
    for note in previous:
        for entry in note.totals().vat_breakdown:
            if entry.vat not in remaining:
                raise CreditNoteError(
                    f"credit note {note.number or '(draft)'} uses VAT {entry.vat.label}, "
                    f"which {invoice.number} does not",
                    field="previous",
                    value=note.number,
                    hint="a credit note keeps the VAT rates of the invoice (CGI 289 I-5)",
                )
            t, v = remaining[entry.vat]
            remaining[entry.vat] = (t - entry.taxable.amount, v - entry.amount.amount)
    return remaining


# ------------------------------------------------------------------------- the bodies


def _mirror(invoice: Invoice) -> dict[str, Any]:
    """The body of a credit of the whole *invoice*: its lines, adjustments and stated VAT."""
    return {
        "lines": tuple(
            _credit_line(line, line.quantity, invoice.rounding) for line in invoice.lines
        ),
        "allowances": invoice.allowances,
        "charges": invoice.charges,
        "global_discount": invoice.global_discount,
        "prices_include_vat": invoice.prices_include_vat,
        "stated_vat": invoice.stated_vat,
    }


def _all_lines(invoice: Invoice, quantities: Mapping[str, Any]) -> bool:
    """Whether *quantities* (already checked by `_by_lines`) credit every line in full."""
    asked = {str(k): to_decimal(v, f"lines[{k!r}]") for k, v in quantities.items()}
    return all(asked.get(str(line.id)) == line.quantity for line in invoice.lines)


def _credit_line(line: Line, quantity: Decimal, policy: RoundingPolicy) -> Line:
    """A credit-note line for *quantity* of *line*, fixed-amount adjustments prorated."""
    share = quantity / line.quantity

    def prorate(adjustment: Any) -> Any:
        if adjustment.amount is None or share == 1:
            return adjustment
        scaled = _scaled(adjustment.amount, share, policy)
        # A fixed amount whose share rounds to nothing is left out rather than built
        # as a zero amount, which a Discount or Surcharge refuses (issue 16).
        return attrs.evolve(adjustment, amount=scaled) if scaled.amount else None

    discounts = tuple(d for d in map(prorate, line.discounts) if d is not None)
    charges = tuple(c for c in map(prorate, line.charges) if c is not None)
    return attrs.evolve(
        line, quantity=quantity, id=None, source_line=line.id, discounts=discounts, charges=charges
    )


def _nets_by_rate(lines: Sequence[Line], nets: Sequence[Decimal]) -> dict[VatRate, Decimal]:
    result: dict[VatRate, Decimal] = {}
    for line, net in zip(lines, nets, strict=True):
        result[line.vat] = result.get(line.vat, _ZERO) + net
    return result


def _by_lines(
    invoice: Invoice,
    previous: Sequence[Invoice],
    quantities: Mapping[str, Any],
    include_charges: bool,
) -> dict[str, Any]:
    originals = {line.id: line for line in invoice.lines}
    already: dict[str | None, Decimal] = {}
    for note in previous:
        for line in note.lines:
            already[line.source_line] = already.get(line.source_line, _ZERO) + line.quantity
    credit_lines = []
    for line_id, raw in quantities.items():
        original = originals.get(str(line_id))
        if original is None:
            raise CreditNoteError(
                f"{invoice.number} has no line {line_id!r}",
                field="lines",
                value=line_id,
                hint=f"line ids are {sorted(k for k in originals if k)}",
            )
        quantity = to_decimal(raw, f"lines[{line_id!r}]")
        left = original.quantity - already.get(original.id, _ZERO)
        if original.quantity < 0:
            raise CreditNoteError(
                f"line {line_id!r} has a negative quantity and cannot be credited",
                field="lines",
                value=line_id,
                hint="it already reduces the invoice",
            )
        if quantity <= 0 or quantity > left:
            raise CreditNoteError(
                f"cannot credit {quantity} of line {line_id!r}",
                field=f"lines[{line_id!r}]",
                value=quantity,
                hint=f"{left} of {original.quantity} remain creditable on that line",
            )
        credit_lines.append(_credit_line(original, quantity, invoice.rounding))
    # Document allowances follow the credited share of their VAT group's line nets
    # (after line discounts), so the customer never gets back more than was paid.
    original_net = _nets_by_rate(invoice.lines, invoice.totals().line_nets)
    credit_totals = compute_totals(
        lines=credit_lines,
        currency=invoice.currency,
        prices_include_vat=invoice.prices_include_vat,
        rounding=invoice.rounding,
    )
    credit_net = _nets_by_rate(credit_lines, credit_totals.line_nets)

    def share(vat: VatRate) -> Decimal:
        base = original_net.get(vat, _ZERO)
        return credit_net.get(vat, _ZERO) / base if base else _ZERO

    total_share = sum(credit_net.values(), _ZERO) / (sum(original_net.values(), _ZERO) or 1)
    return {
        "lines": tuple(credit_lines),
        "allowances": _prorated(invoice.allowances, share, invoice.rounding),
        "charges": (_prorated(invoice.charges, share, invoice.rounding) if include_charges else ()),
        "global_discount": _prorated_discount(
            invoice.global_discount, total_share, invoice.rounding
        ),
        "prices_include_vat": invoice.prices_include_vat,
    }


def _prorated(adjustments: Sequence[Any], share: Any, policy: RoundingPolicy) -> tuple[Any, ...]:
    result = []
    for adjustment in adjustments:
        part = share(adjustment.vat)
        if not part:
            continue
        changes: dict[str, Any] = {}
        if adjustment.amount is not None:
            changes["amount"] = _scaled(adjustment.amount, part, policy)
        if adjustment.base is not None:
            changes["base"] = _scaled(adjustment.base, part, policy)
        if (
            changes.get("amount", adjustment.amount) is not None
            and not changes.get("amount", adjustment.amount).amount
        ):
            continue
        result.append(attrs.evolve(adjustment, **changes))
    return tuple(result)


def _prorated_discount(
    discount: Discount | None, share: Decimal, policy: RoundingPolicy
) -> Discount | None:
    if discount is None or discount.amount is None:
        return discount
    amount = _scaled(discount.amount, share, policy)
    return attrs.evolve(discount, amount=amount) if amount.amount else None


def _scaled(amount: Money, share: Decimal, policy: RoundingPolicy) -> Money:
    """*share* of *amount*, rounded under the invoice's *policy*."""
    return policy.round_money(Money(amount.amount * share, amount.currency))


def _group_lines(
    invoice: Invoice, amounts: Mapping[VatRate, Decimal], label: str, include_vat: bool = False
) -> dict[str, Any]:
    """One credit line per VAT rate for the given amounts (skipping zero ones)."""
    cur = invoice.currency
    credit_lines = tuple(
        # A negative rate (a return line on the invoice) is credited with quantity -1,
        # since a price is never negative (BR-27).
        Line(
            description=f"{label} {invoice.number}",
            quantity=1 if a > 0 else -1,
            unit_price=Money(abs(a), cur),
            vat=vat,
            supply=SupplyKind.of_goods(line for line in invoice.lines if line.vat == vat),
        )
        for vat, a in amounts.items()
        if a != 0
    )
    if not credit_lines:
        raise _nothing_left(invoice)
    return {"lines": credit_lines, "prices_include_vat": include_vat}


def _nothing_left(invoice: Invoice) -> CreditNoteError:
    return CreditNoteError(
        f"nothing left to credit on {invoice.number}",
        field="invoice",
        value=invoice.number,
        hint="its credit notes already cover it in full",
    )


def _remainder(
    invoice: Invoice,
    previous: Sequence[Invoice],
    remaining: Mapping[VatRate, tuple[Decimal, Decimal]],
) -> dict[str, Any]:
    """The invoice's mirror less what *previous* credited: one allowance per VAT rate.

    Keeping the invoice's lines, adjustments and pricing keeps its rounding: under
    per-line rounding or tax-inclusive prices, a rate's VAT can be a minor unit or more
    away from round(base × rate), and one new line per rate would compute another
    VAT than the one left to credit, further than a stated VAT may differ (BR-CO-17).
    """
    if not previous:
        return _mirror(invoice)
    if all(t <= 0 for t, _ in remaining.values()):
        raise _nothing_left(invoice)
    cur = invoice.currency
    numbers = ", ".join(note.number for note in previous if note.number)
    reason = f"Déjà crédité ({numbers})" if numbers else "Déjà crédité"
    allowances: list[DocumentAllowance] = []
    charges: list[DocumentCharge] = []
    for vat, taxable, vat_amount in invoice.totals().vat_groups:
        left_t, left_v = remaining[vat]
        credited = taxable - left_t
        if invoice.prices_include_vat:
            credited += vat_amount - left_v
        if credited > 0:
            allowances.append(
                DocumentAllowance(amount=Money(credited, cur), vat=vat, reason=reason)
            )
        elif credited < 0:
            charges.append(DocumentCharge(amount=Money(-credited, cur), vat=vat, reason=reason))
    mirror = _mirror(invoice)
    return {
        **mirror,
        "allowances": (*mirror["allowances"], *allowances),
        "charges": (*mirror["charges"], *charges),
        # The invoice's stated VAT was for its whole groups; `_cap` states what is left.
        "stated_vat": (),
    }


def _by_amount(
    invoice: Invoice,
    remaining: Mapping[VatRate, tuple[Decimal, Decimal]],
    amount: Money,
    includes_vat: bool,
) -> dict[str, Any]:
    if not isinstance(amount, Money):
        raise InvalidValue("amount must be Money", field="amount", value=amount)
    if amount.currency != invoice.currency:
        raise CreditNoteError(
            f"the invoice is in {invoice.currency.code}, the amount in {amount.currency.code}",
            field="amount",
            value=str(amount),
        )
    if amount.amount <= 0:
        raise CreditNoteError(
            "the amount to credit must be positive",
            field="amount",
            value=amount.amount,
            hint="credit-note amounts are positive (CGI 289 I-5)",
        )
    # What is left at a rate is never negative once the earlier notes were capped, but a
    # rate whose VAT has the other sign than its base (per-line rounding) can leave a
    # TTC below zero: such a rate takes no share of a positive amount.
    weights = {
        vat: (t + v if includes_vat else t)
        for vat, (t, v) in remaining.items()
        if t > 0 and (t + v if includes_vat else t) > 0
    }
    if not weights:
        return _group_lines(invoice, {}, "Avoir sur facture")
    parts = allocate(amount, list(weights.values()))
    return _group_lines(
        invoice,
        {vat: part.amount for vat, part in zip(weights, parts, strict=True)},
        "Avoir sur facture",
        include_vat=includes_vat,
    )


def _ratio(raw: Decimal | str) -> Decimal:
    ratio = to_decimal(raw, "ratio")
    if not 0 < ratio <= 1:
        raise InvalidValue(
            "a credit ratio is above 0 and at most 1",
            field="ratio",
            value=ratio,
            hint='credit a quarter with ratio="0.25"',
        )
    return ratio


def _by_ratio(invoice: Invoice, ratio: Decimal) -> dict[str, Any]:
    policy = invoice.rounding
    amounts = {
        entry.vat: policy.round(entry.taxable.amount * ratio, invoice.currency)
        for entry in invoice.totals().vat_breakdown
    }
    return _group_lines(invoice, amounts, "Avoir sur facture")


# --------------------------------------------------------------------- the law: cap


def _cap(
    draft: Invoice,
    invoice: Invoice,
    remaining: Mapping[VatRate, tuple[Decimal, Decimal]],
    previous: Sequence[Invoice],
    absorb: bool = True,
    *,
    check_rest: bool = True,
) -> Invoice:
    """Hold Σ credits ≤ invoice per VAT rate; let the note closing a rate absorb the rounding.

    Each credit note is rounded on its own: its VAT is what the invoice's rounding
    policy computes for its own lines (round(base × rate) per rate), so every note
    passes EN 16931 BR-CO-17 exactly. Only at a rate the note completes (within the
    rounding its items and the earlier notes can explain) is the note set to exactly
    what is left, through an "Arrondi" allowance or charge and a stated VAT.

    A rate whose invoice total is negative (a return line) is credited towards zero
    from below: the same law, with the sign turned. With ``absorb=False`` (an explicit
    amount that is not the whole remainder) nothing is treated as rounding.
    """
    cur = invoice.currency
    original = {vat: (t, v) for vat, t, v in invoice.totals().vat_groups}
    totals = draft.totals()
    extra_allowances: list[DocumentAllowance] = []
    extra_charges: list[DocumentCharge] = []
    stated: list[StatedVat] = []
    targets: dict[VatRate, tuple[Decimal, Decimal]] = {}
    closes_all = True
    for entry in totals.vat_breakdown:
        left_t, left_v = remaining[entry.vat]
        t, v = entry.taxable.amount, entry.amount.amount
        tolerance = _tolerance(draft, entry.vat, len(previous)) if absorb else _ZERO
        closing = abs(left_t - t) <= tolerance
        # The taxable amount and the VAT each go from 0 towards the invoice's figure, with
        # their own sign: rounding can leave a rate's VAT of the other sign than its base
        # (e.g. 0.01 + (-0.01) VAT under ROUND_CEILING per line), and its mirror must pass.
        sign = _sign(left_t, t)
        sign_v = _sign(original[entry.vat][1], sign)
        if closing:
            target_t, target_v = left_t, left_v
        else:
            # A closing note is set to exactly what is left, so it cannot exceed it; a
            # partial one keeps its own figures, which must fit in what is left.
            beyond = sign * t > sign * left_t or sign * t < 0 or (left_t == 0 and t != 0)
            if beyond:
                raise _exceeds(invoice, remaining)
            if sign_v * v > sign_v * left_v or sign_v * v < 0:
                raise _exceeds(
                    invoice,
                    remaining,
                    why=f"its own VAT at {entry.vat.label} ({v} {cur.code}, the rounding of "
                    f"its base) is more than the {left_v} {cur.code} of VAT left there",
                )
            target_t, target_v = t, v
            closes_all = False
        targets[entry.vat] = (target_t, target_v)
        difference = target_t - t
        if draft.prices_include_vat:
            difference = (target_t + target_v) - (t + v)
        if difference:
            adjustment = Money(abs(difference), cur)
            if difference > 0:
                extra_charges.append(
                    DocumentCharge(amount=adjustment, vat=entry.vat, reason="Arrondi")
                )
            else:
                extra_allowances.append(
                    DocumentAllowance(amount=adjustment, vat=entry.vat, reason="Arrondi")
                )
        if target_v != v or (draft.prices_include_vat and difference):
            stated.append(StatedVat(vat=entry.vat, amount=Money(target_v, cur)))
    if previous and not any(t or v for t, v in targets.values()):
        if all(t == 0 and v == 0 for t, v in remaining.values()):
            raise _nothing_left(invoice)  # only rounding was left on closed rates
        raise CreditNoteError(
            f"the credit note credits nothing: its amounts round to zero on {invoice.number}",
            field="invoice",
            value=invoice.number,
            hint="credit more (more units, a larger amount or ratio), or the whole remainder",
        )
    capped = draft
    if extra_allowances or extra_charges or stated:
        try:
            capped = attrs.evolve(
                draft,
                allowances=(*draft.allowances, *extra_allowances),
                charges=(*draft.charges, *extra_charges),
                stated_vat=(
                    *(s for s in draft.stated_vat if s.vat not in {t.vat for t in stated}),
                    *stated,
                ),
            )
            capped_totals = capped.totals()
        except DocumentError as error:
            raise _unclosable(invoice, remaining, error) from error
        for entry in capped_totals.vat_breakdown:
            if (entry.taxable.amount, entry.amount.amount) != targets[entry.vat]:
                raise _unclosable(invoice, remaining)
    untouched = [vat for vat in remaining if vat not in targets]
    open_rest = any(remaining[vat] != (_ZERO, _ZERO) for vat in untouched)
    if check_rest and (not closes_all or open_rest):
        _check_closable(invoice, (*previous, capped))
    return capped


def _check_closable(invoice: Invoice, notes: Sequence[Invoice]) -> None:
    """Refuse a partial note after which the rest could not be credited exactly.

    The note completing the invoice states the VAT left at each rate, which may
    differ from the VAT its own base computes by the roundings of the earlier notes;
    EN 16931 BR-CO-17 tolerates one currency unit. In a currency without minor units
    (JPY), a few notes rounding the same way can drift further: such a note is
    refused, so that the invoice can always be credited to the last unit.
    """
    left = _remaining(invoice, notes)
    if all(t == 0 and v == 0 for t, v in left.values()):
        return
    if all(t == 0 for t, _ in left.values()):
        raise _unclosable(invoice, left)
    try:
        draft = _draft(invoice, _remainder(invoice, notes, left), None)
        _cap(draft, invoice, left, notes, check_rest=False)
    except (CreditNoteError, DocumentError) as error:
        raise _unclosable(invoice, left, error) from error


def _unclosable(
    invoice: Invoice,
    remaining: Mapping[VatRate, tuple[Decimal, Decimal]],
    cause: Exception | None = None,
) -> CreditNoteError:
    detail = f" ({cause})" if cause is not None else ""
    return CreditNoteError(
        f"after this credit note the rest of {invoice.number} could not be credited "
        f"exactly: the roundings of its credit notes would leave VAT that no base "
        f"carries, beyond the one-unit tolerance of EN 16931 BR-CO-17{detail}",
        field="invoice",
        value=invoice.number,
        hint="credit the whole remainder at once (credit_note(invoice, previous=...)), "
        "or another amount",
    )


def _tolerance(draft: Invoice, vat: VatRate, previous_count: int) -> Decimal:
    """The gap to what is left of *vat* that the credit notes' own roundings explain.

    Each rounding moves an amount by at most half a minor unit: a gap smaller than
    the rounding of all the credit notes so far (this one included) is rounding, not
    intent.
    """
    totals = draft.totals()
    items = sum(1 for line in draft.lines if line.vat == vat) + sum(
        1 for a in (*totals.allowances, *totals.charges) if a.vat == vat
    )
    return _quantum(draft.currency) * (previous_count + 1) * max(items, 1) / 2


def _closes_every_rate(
    draft: Invoice, remaining: Mapping[VatRate, tuple[Decimal, Decimal]], previous_count: int
) -> bool:
    """Whether *draft* leaves, at every VAT rate, no more than rounding to credit."""
    credited = {vat: t for vat, t, _ in draft.totals().vat_groups}
    return all(
        abs(left_t - credited.get(vat, _ZERO)) <= _tolerance(draft, vat, previous_count)
        for vat, (left_t, _) in remaining.items()
    )


def _sign(amount: Decimal, otherwise: Decimal | int) -> int:
    """-1 or 1: the sign of *amount*, or of *otherwise* when *amount* is zero."""
    return -1 if amount < 0 or (amount == 0 and otherwise < 0) else 1


def _exceeds(
    invoice: Invoice,
    remaining: Mapping[VatRate, tuple[Decimal, Decimal]],
    why: str | None = None,
) -> CreditNoteError:
    cur = invoice.currency.code
    left = ", ".join(
        f"{vat.label}: {t} {cur} excl. VAT + {v} {cur} VAT" for vat, (t, v) in remaining.items()
    )
    return CreditNoteError(
        f"the credit note exceeds what remains creditable on {invoice.number}"
        + (f": {why}" if why else ""),
        field="invoice",
        value=invoice.number,
        hint=f"at most {left} can still be credited",
    )
