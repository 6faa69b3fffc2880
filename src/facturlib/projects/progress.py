"""Progress (situation) invoices: a contract billed as its work advances.

In construction and other long projects, each *situation* states the cumulative
progress of every line of the contract, and the invoice bills what that progress
adds since the previous one (DOMAIN.md §6): ``cumulative % × line − already
billed``. Progress never goes down: a decrease means too much was billed, which
only a credit note can correct (CGI 289 I-5), so `progress_invoice` raises
`BillingPlanError`. At 100 % a line bills exactly what remains of it, and once
every line is at 100 % the invoices add up to the contract to the cent —
taxable amount and VAT at every rate.

A progress line reads like the contract line it comes from: its quantity is the
progress added, in percent (unit ``P1``), its unit price a hundredth of the
contract line's net amount, and its ``source_line`` the contract line's id; a
line charge or allowance "Arrondi" of less than a minor unit makes its net exactly
the cumulative target. That is how `progress_billed` reads back, from the earlier
invoices alone, how far each line has been billed. The contract's document-level
allowances and charges (and global discount) follow the overall progress (by net
amount), and the VAT is cumulative per rate, as for milestones.

The DOMAIN.md §6 rule on a 10 000 contract, 10 → 20 → 50 → 100 %:

>>> from facturlib.core.documents import Order
>>> from facturlib.core.lines import Line
>>> from facturlib.core.money import to_money
>>> from facturlib.testing.builders import sample_buyer, sample_seller
>>> from facturlib.core.vat import FR_STANDARD
>>> contract = Order(seller=sample_seller(), buyer=sample_buyer(), currency="EUR",
...                  lines=[Line(description="Gros œuvre", quantity=1, id="GO",
...                              unit_price=to_money("10000.00", "EUR"), vat=FR_STANDARD)])
>>> invoices = []
>>> for step in ("10", "20", "50", "100"):
...     invoices.append(progress_invoice(contract, step, previous=invoices))
>>> [i.totals().tax_exclusive_total.amount for i in invoices]
[Decimal('1000.00'), Decimal('1000.00'), Decimal('3000.00'), Decimal('5000.00')]
>>> invoices[2].lines[0].description, invoices[2].lines[0].quantity
('Gros œuvre – avancement 20 % → 50 %', Decimal('30'))
>>> progress_billed(contract, invoices[:2])
{'GO': Decimal('20')}
>>> progress_invoice(contract, "40", previous=invoices[:3])
Traceback (most recent call last):
...
facturlib.core.errors.BillingPlanError: progress cannot go down (lines['GO']=Decimal('40')); ...
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from moneyed import Money

from facturlib.core._codes import DocumentKind
from facturlib.core._validators import check_date, items_of
from facturlib.core.documents import Invoice
from facturlib.core.errors import BillingPlanError
from facturlib.core.lines import Discount, DocumentAllowance, DocumentCharge, Line, Surcharge
from facturlib.core.totals import Totals
from facturlib.core.vat import VatRate
from facturlib.projects._shares import (
    Deal,
    billed,
    check_deal,
    cumulative_vat,
    deal_amounts,
    deal_fields,
    to_percent,
    with_vat,
)

__all__ = ["PROGRESS_UNIT", "progress_billed", "progress_invoice"]

#: UNECE Rec 20 code "percent": the unit of a progress line's quantity.
PROGRESS_UNIT = "P1"
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
_ADJUSTMENT_REASON = "Remises et frais au prorata de l'avancement"


def progress_billed(contract: Deal, previous: Sequence[Invoice]) -> dict[str, Decimal]:
    """How far each line of *contract* has been billed by the progress invoices *previous*.

    Args:
        contract: the `Order` (or accepted `Quote`) billed by progress.
        previous: its earlier progress invoices (issued or draft).

    Returns:
        Line id → cumulative percentage billed (0 for a line never billed), in the
        contract's line order.

    Raises:
        BillingPlanError: one of *previous* is not a progress invoice of *contract*.

    .. versionadded:: 0.1
    """
    previous = items_of(previous, Invoice, "previous", error=BillingPlanError)
    check_deal(contract, "contract")
    done, _ = _billed_lines(contract, previous)
    return done


def progress_invoice(
    contract: Deal,
    progress: Mapping[str, Decimal | int | str] | Decimal | int | str,
    *,
    previous: Sequence[Invoice] = (),
    due_date: date | None = None,
) -> Invoice:
    """A draft situation invoice billing the progress made since *previous*.

    Args:
        contract: the `Order` (or accepted `Quote`).
        progress: the cumulative progress now reached, in percent: one value for
            every line, or line id → percentage (lines left out keep their progress).
        previous: the earlier progress invoices of the contract, in any order.
        due_date: the due date (BT-9).

    Returns:
        A draft `Invoice` (380) with one line per contract line whose progress
        advanced, plus the share of the contract's document allowances and charges;
        its taxable amount and VAT bring what is billed so far to the cumulative
        targets, and to exactly the contract once every line is at 100 %.

    Raises:
        BillingPlanError: a percentage outside [0, 100] or with more than 4 decimals;
            progress going down (a decrease needs a credit note); an unknown line id;
            no progress since the previous invoice; *previous* holding an invoice that
            is not a progress invoice of the contract.

    .. versionadded:: 0.1
    """
    previous = items_of(previous, Invoice, "previous", error=BillingPlanError)
    check_date(due_date, "due_date", optional=True, error=BillingPlanError)
    check_deal(contract, "contract")
    cur = contract.currency
    policy = contract.rounding
    totals = contract.totals()
    done, billed_nets = _billed_lines(contract, previous)
    reached = _reached(contract, progress, done)
    nets = dict(zip(done, totals.line_nets, strict=True))
    lines: list[Line] = []
    targets: dict[str, Decimal] = {}
    for line in contract.lines:
        key = str(line.id)
        net = nets[key]
        if reached[key] == _HUNDRED:
            target = net  # the last step bills exactly what remains (DOMAIN.md §6)
        else:
            target = policy.round(net * reached[key] / _HUNDRED, cur)
        targets[key] = target
        added = reached[key] - done[key]
        if not added:
            continue
        sign = -1 if net < 0 else 1
        quantity = sign * added
        price = abs(net).scaleb(-2)
        bill = target - billed_nets[key]
        difference = bill - policy.round(quantity * price, cur)
        lines.append(
            Line(
                description=f"{line.description} – avancement "
                f"{_text(done[key])} % → {_text(reached[key])} %",
                quantity=quantity,
                unit=PROGRESS_UNIT,
                unit_price=Money(price, cur),
                vat=line.vat,
                charges=(Surcharge(amount=Money(difference, cur), reason="Arrondi"),)
                if difference > 0
                else (),
                discounts=(Discount(amount=Money(-difference, cur), reason="Arrondi"),)
                if difference < 0
                else (),
                period=line.period,
                product_id=line.product_id,
                source_line=line.id,
                supply=line.supply,
            )
        )
    if not lines:
        raise BillingPlanError(
            "no progress since the previous invoice",
            field="progress",
            value={k: f"{_text(v)} %" for k, v in reached.items()},
            hint="give a higher cumulative percentage for at least one line",
        )
    complete = all(p == _HUNDRED for p in reached.values())
    allowances, charges, adjusted = _adjustments(
        totals, previous, targets, nets, complete, policy, cur
    )
    draft = Invoice(
        kind=DocumentKind.INVOICE,
        lines=tuple(lines),
        allowances=allowances,
        charges=charges,
        due_date=due_date,
        **deal_fields(contract),
    )
    # Cumulative VAT per rate (DOMAIN.md §6), as for milestones.
    whole = deal_amounts(contract)
    before = billed(previous)
    so_far: dict[VatRate, Decimal] = dict(adjusted)
    for line in contract.lines:
        so_far[line.vat] = so_far.get(line.vat, _ZERO) + targets[str(line.id)]
    vat_amounts = {
        vat: cumulative_vat(vat, so_far.get(vat, _ZERO), whole[vat], policy, cur)
        - before.get(vat, (_ZERO, _ZERO))[1]
        for vat, _t, _v in draft.totals().vat_groups
    }
    return with_vat(draft, vat_amounts)


def _text(percent: Decimal) -> str:
    return f"{percent.normalize():f}"


def _billed_lines(
    contract: Deal, previous: Sequence[Invoice]
) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Per contract line id: the cumulative % billed and the net amount billed."""
    ids = [str(line.id) for line in contract.lines]
    nets = dict(zip(ids, contract.totals().line_nets, strict=True))
    done = dict.fromkeys(nets, _ZERO)
    amounts = dict.fromkeys(nets, _ZERO)
    for i, invoice in enumerate(previous):
        if (
            not isinstance(invoice, Invoice)
            or invoice.kind is not DocumentKind.INVOICE
            or invoice.currency != contract.currency
        ):
            raise BillingPlanError(
                "expected a progress invoice of the contract",
                field=f"previous[{i}]",
                value=getattr(invoice, "number", invoice),
                hint="pass the invoices made with facturlib.progress_invoice() for it",
            )
        for line, net in zip(invoice.lines, invoice.totals().line_nets, strict=True):
            key = line.source_line
            if line.unit != PROGRESS_UNIT or key not in nets:
                raise BillingPlanError(
                    f"line {line.id} of previous[{i}] is not a progress line of the contract",
                    field=f"previous[{i}].lines",
                    value=line.description,
                    hint="pass only the progress invoices of this contract",
                )
            done[key] += -line.quantity if nets[key] < 0 else line.quantity
            amounts[key] += net
    return done, amounts


def _reached(
    contract: Deal,
    progress: Mapping[str, Decimal | int | str] | Decimal | int | str,
    done: Mapping[str, Decimal],
) -> dict[str, Decimal]:
    """The cumulative progress asked for each line, checked against what is billed."""
    if isinstance(progress, Mapping):
        unknown = sorted(str(k) for k in progress if str(k) not in done)
        if unknown:
            raise BillingPlanError(
                f"the contract has no line {unknown[0]!r}",
                field="progress",
                value=unknown,
                hint=f"line ids are {list(done)}",
            )
        asked = {str(k): v for k, v in progress.items()}
    else:
        asked = dict.fromkeys(done, progress)
    reached = {}
    for key, before in done.items():
        if key not in asked:
            reached[key] = before
            continue
        percent = to_percent(asked[key], f"progress[{key!r}]", allow_zero=True)
        if percent < before:
            raise BillingPlanError(
                "progress cannot go down",
                field=f"lines[{key!r}]",
                value=percent,
                hint=f"line {key!r} is already billed at {_text(before)} %; "
                "to bill less, issue a credit note on the invoices already issued "
                "(CGI 289 I-5)",
            )
        reached[key] = percent
    return reached


def _adjustments(
    totals: Totals,
    previous: Sequence[Invoice],
    targets: Mapping[str, Decimal],
    nets: Mapping[str, Decimal],
    complete: bool,
    policy: Any,
    cur: Any,
) -> tuple[tuple[DocumentAllowance, ...], tuple[DocumentCharge, ...], dict[VatRate, Decimal]]:
    """The share of the contract's document allowances and charges this invoice bills.

    Each rate's net adjustment (charges − allowances) follows the overall progress by
    net amount; returns the allowances, the charges and the cumulative adjustment per
    rate billed once this invoice is issued.
    """
    whole: dict[VatRate, Decimal] = {}
    for adjustment in (*totals.charges, *totals.allowances):
        sign = 1 if adjustment.is_charge else -1
        whole[adjustment.vat] = whole.get(adjustment.vat, _ZERO) + sign * adjustment.amount.amount
    if not whole:
        return (), (), {}
    before: dict[VatRate, Decimal] = {}
    for invoice in previous:
        for adjustment in (*invoice.totals().charges, *invoice.totals().allowances):
            sign = 1 if adjustment.is_charge else -1
            amount = sign * adjustment.amount.amount
            before[adjustment.vat] = before.get(adjustment.vat, _ZERO) + amount
    total_net = sum(nets.values(), _ZERO)
    share = sum(targets.values(), _ZERO) / total_net if total_net else _ZERO
    allowances: list[DocumentAllowance] = []
    charges: list[DocumentCharge] = []
    cumulative: dict[VatRate, Decimal] = {}
    for vat, amount in whole.items():
        target = amount if complete else policy.round(amount * share, cur)
        cumulative[vat] = target
        bill = target - before.get(vat, _ZERO)
        if bill > 0:
            charges.append(
                DocumentCharge(amount=Money(bill, cur), vat=vat, reason=_ADJUSTMENT_REASON)
            )
        elif bill < 0:
            allowances.append(
                DocumentAllowance(amount=Money(-bill, cur), vat=vat, reason=_ADJUSTMENT_REASON)
            )
    return tuple(allowances), tuple(charges), cumulative
