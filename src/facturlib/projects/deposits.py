"""Deposit invoices (factures d'acompte) and the final invoice that deducts them.

A deposit received before the supply requires an invoice (CGI 289 I-1-c), of
type 386 (`DocumentKind.DEPOSIT`); VAT on it is due on receipt (CGI 269-2). The
**final invoice** states the full price and VAT, **deducts each deposit
(HT and VAT)** and **refers to the deposit invoices** (number and date, BG-3);
in EN 16931 the deposits are the paid amount BT-113, and the final invoice is
not itself of type 386 (BR-FR-CO-08).

* `deposit_invoice` makes the draft deposit invoice for an order, by percentage
  of the order or by amount (excluding or including VAT). A deposit is spread
  over the order's VAT rates in proportion to what remains to invoice at each,
  and its VAT per rate is cumulative: what brings the VAT of all deposits so far
  to ``round(taxable so far × rate)``, so a 100 % deposit bills exactly the
  order, VAT included. A deposit by percentage that would leave at most one minor
  unit per deposit so far is the rest of the order and bills exactly that (the
  rounding of the deposits explains the gap). Deposits beyond the order raise
  `BillingPlanError`.
* `final_invoice` is a core `Invoice` with the order's full lines, the deposits'
  total (TTC) as the prepaid amount BT-113 and references to them (BG-3).
* `deposit_deductions` gives, per VAT rate, the taxable amount and VAT the
  deposits deduct: what the final invoice prints under the totals, and what the
  sales journal reverses.

A worked example: an order of 10 000 HT at 20 %, a 30 % deposit of
3 000 + 600 = 3 600 TTC, and a final invoice of 12 000 TTC − 3 600 = 8 400 due
(7 000 HT + 1 400 VAT):

>>> from datetime import date
>>> from facturlib.core.documents import Order
>>> from facturlib.core.issuing import issue
>>> from facturlib.core.lines import Line
>>> from facturlib.core.money import to_money
>>> from facturlib.core.numbering import NumberingScheme, SequenceState
>>> from facturlib.testing.builders import sample_buyer, sample_seller
>>> from facturlib.core.vat import FR_STANDARD
>>> order = Order(seller=sample_seller(), buyer=sample_buyer(), currency="EUR", number="BC-42",
...               lines=[Line(description="Site web", quantity=1,
...                           unit_price=to_money("10000.00", "EUR"), vat=FR_STANDARD)])
>>> draft = deposit_invoice(order, percent="30", due_date=date(2025, 1, 15))
>>> draft.kind.code, draft.lines[0].description, draft.totals().tax_inclusive_total
('386', 'Site web – 1 × 10 000,00 – 30 % facturé', Money('3600.00', 'EUR'))
>>> draft.notes[-1].text, deposit_invoice(order, percent="30", lump=True).lines[0].description
('Acompte 30 % sur commande BC-42', 'Acompte 30 % sur commande BC-42')
>>> deposit, _ = issue(draft, NumberingScheme(pattern="AC-{yyyy}-{seq:04}"), SequenceState(),
...                    on=date(2025, 1, 10))
>>> final = final_invoice(order, [deposit], due_date=date(2025, 3, 31))
>>> t = final.totals()
>>> t.tax_inclusive_total, t.prepaid_total, t.amount_due
(Money('12000.00', 'EUR'), Money('3600.00', 'EUR'), Money('8400.00', 'EUR'))
>>> [(d.taxable, d.amount) for d in deposit_deductions(final, [deposit])]
[(Money('3000.00', 'EUR'), Money('600.00', 'EUR'))]
>>> final.preceding[0].number
'AC-2025-0001'
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from moneyed import Money

from facturlib.core._codes import DocumentKind
from facturlib.core._validators import check_bool, check_instance, items_of
from facturlib.core.documents import Invoice, Order, Quote
from facturlib.core.errors import BillingPlanError
from facturlib.core.money import _quantum, allocate, exact
from facturlib.core.totals import VatBreakdown
from facturlib.projects._shares import (
    Amounts,
    Deal,
    billed,
    check_deal,
    cumulative_vat,
    deal_amounts,
    deal_name,
    itemized_invoice,
    share_invoice,
    to_percent,
)

__all__ = ["deposit_deductions", "deposit_invoice", "final_invoice"]

_ZERO = Decimal(0)
_ONE = Decimal(1)
_HUNDRED = Decimal(100)


def deposit_invoice(
    order: Deal,
    *,
    percent: Decimal | int | str | None = None,
    amount: Money | None = None,
    includes_vat: bool = False,
    previous: Sequence[Invoice] = (),
    label: str | None = None,
    due_date: date | None = None,
    lump: bool = False,
) -> Invoice:
    """A draft deposit invoice (type 386) for *order*, by percentage or by amount.

    Args:
        order: the `Order` (or accepted `Quote`) the deposit is asked on.
        percent: the deposit as a percentage of the order's total excluding VAT
            (above 0, at most 100, up to 4 decimals).
        amount: the deposit as an amount, excluding VAT (or including it, see
            *includes_vat*).
        includes_vat: *amount* includes VAT: the invoice then totals exactly *amount*.
        previous: the deposit invoices already made on the order (issued or draft),
            so that the deposits never exceed the order.
        label: what the deposit is; default "Acompte 30 % sur commande BC-42". A note
            of the invoice (BT-22), or the description of its lines with *lump*.
        due_date: the due date (BT-9); a deposit's may precede its issue date (BR-FR-CO-07).
        lump: one line per VAT rate instead of the order's lines.

    Returns:
        A draft `Invoice` of kind `DocumentKind.DEPOSIT` referring to the order
        (BT-13, BT-14). It shows the order's lines with the share the deposit bills
        ("Site web – 1 × 10 000,00 – 30 % facturé": one lump sum each, keeping the
        line's product id, VAT rate and period) and the share of its document
        allowances and charges; each rate's amount is split over the rate's lines so
        that deposits adding up to the order add up to each of its lines. With
        *lump*, one line per VAT rate.

    Raises:
        BillingPlanError: neither or both of *percent* and *amount*; a percentage
            outside (0, 100]; an amount that is not positive or not in the order's
            currency; more than remains to invoice on the order (the message says
            how much remains); *previous* holding something other than a deposit
            invoice of the order.
        FloatNotAllowed: a float percentage.

    >>> from facturlib.core.money import to_money
    >>> from facturlib.testing.builders import sample_invoice
    >>> from facturlib.core.documents import Order
    >>> order = Order(**{k: getattr(sample_invoice(), k) for k in ("seller", "buyer", "lines")},
    ...               currency="EUR")
    >>> draft = deposit_invoice(order, amount=to_money("360.00", "EUR"), includes_vat=True)
    >>> draft.totals().tax_exclusive_total, draft.totals().vat_total
    (Money('300.00', 'EUR'), Money('60.00', 'EUR'))

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 the invoice keeps the order's lines; ``lump`` for one line
       per VAT rate.
    """
    check_deal(order, "order")
    check_bool(includes_vat, "includes_vat", error=BillingPlanError)
    check_bool(lump, "lump", error=BillingPlanError)
    previous = _check_deposits(order, previous, "previous")
    if (percent is None) == (amount is None):
        raise BillingPlanError(
            "a deposit is either a percentage or an amount",
            field="percent",
            value=percent,
            hint='pass exactly one of percent="30" or amount=to_money("3000.00", "EUR")',
        )
    cur = order.currency
    policy = order.rounding
    deal = deal_amounts(order)
    before = billed(previous)
    remaining = {
        vat: (t - before.get(vat, (_ZERO, _ZERO))[0], v - before.get(vat, (_ZERO, _ZERO))[1])
        for vat, (t, v) in deal.items()
    }
    with_vat = includes_vat and amount is not None
    left = sum(((t + v) if with_vat else t for t, v in remaining.values()), _ZERO)
    if percent is not None:
        share = to_percent(percent, "percent")
        total = sum((t for t, _ in deal.values()), _ZERO)
        requested = policy.round(total * share / _HUNDRED, cur)
        description = label or f"Acompte {share.normalize():f} % sur {deal_name(order)}"
        # Each deposit by percentage, this one included, may have rounded by up to a
        # minor unit (whatever the rounding mode): a request that close to what remains
        # is the rest of the order, and bills exactly that (as the last milestone does).
        tolerance = _quantum(cur) * (len(previous) + 1)
    else:
        requested = _deposit_amount(amount, order)
        description = label or f"Acompte sur {deal_name(order)}"
        tolerance = _ZERO
    if abs(requested - left) <= tolerance:
        amounts: Amounts = dict(remaining)
    elif requested <= 0:
        raise BillingPlanError(
            "the deposit rounds to nothing",
            field="percent",
            value=percent,
            hint=f"the order totals {sum((t for t, _ in deal.values()), _ZERO)} {cur.code} HT",
        )
    elif requested > left:
        raise BillingPlanError(
            "the deposit exceeds what remains to invoice on the order",
            field="amount" if amount is not None else "percent",
            value=str(requested),
            hint=f"at most {left} {cur.code} {'TTC' if with_vat else 'HT'} remains "
            f"after {len(previous)} earlier deposit(s)",
        )
    else:
        weights = [max((t + v) if with_vat else t, _ZERO) for t, v in remaining.values()]
        parts = allocate(Money(requested, cur), weights)
        amounts = {}
        for (vat, (deal_t, deal_v)), part in zip(deal.items(), parts, strict=True):
            before_t, before_v = before.get(vat, (_ZERO, _ZERO))
            if with_vat:
                # Tax-inclusive: HT = round(TTC / (1 + rate)), VAT = TTC − HT (EN 16931-1).
                taxable = policy.round(part.amount / (_ONE + vat.rate), cur)
                amounts[vat] = (taxable, part.amount - taxable)
            else:
                so_far = before_t + part.amount
                vat_so_far = cumulative_vat(vat, so_far, (deal_t, deal_v), policy, cur)
                amounts[vat] = (part.amount, vat_so_far - before_v)
    if lump:
        return share_invoice(
            order, amounts, kind=DocumentKind.DEPOSIT, description=description, due_date=due_date
        )
    deal_total = sum((t for t, _ in deal.values()), _ZERO)
    now_total = sum((t for t, _ in amounts.values()), _ZERO)
    # The share of the order this deposit bills, as asked or (by amount) as billed.
    shown = to_percent(percent, "percent") if percent is not None else _ZERO
    if percent is None and deal_total:
        shown = _share_percent(now_total, deal_total)
    return itemized_invoice(
        order,
        amounts,
        {vat: t for vat, (t, _v) in before.items()},
        # A rate whose lines net to zero is billed by no deposit.
        fractions=(_ZERO, _ZERO),
        percent=shown,
        kind=DocumentKind.DEPOSIT,
        description=description,
        due_date=due_date,
    )


@exact
def _share_percent(part: Decimal, whole: Decimal) -> Decimal:
    """*part* as a percentage of *whole*, to 0.01 % (half up), in facturlib's context."""
    return (_HUNDRED * part / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def deposit_deductions(
    document: Invoice | Deal, deposits: Sequence[Invoice]
) -> tuple[VatBreakdown, ...]:
    """What *deposits* deduct from *document*, per VAT rate: taxable amount and VAT.

    The final invoice prints these under its totals ("Acompte n° … du …: HT, TVA"),
    and the sales journal reverses them.

    Args:
        document: the final invoice, or the order it comes from.
        deposits: the deposit invoices (type 386) to deduct.

    Returns:
        One `VatBreakdown` per VAT rate of the deposits, in the document's order of
        rates; an empty tuple when there are no deposits.

    Raises:
        BillingPlanError: a deposit of another currency or kind, a VAT rate the
            document does not have, or deposits above the document's taxable amount
            or VAT at some rate (the message says which).

    .. versionadded:: 0.1
    """
    check_instance(
        document,
        (Invoice, Quote, Order),
        "document",
        error=BillingPlanError,
        hint="pass the final invoice, or the Order (or Quote) it comes from",
    )
    deposits = _check_deposits(document, deposits, "deposits")
    deducted = _deducted(deposits)
    available = {vat: (t, v) for vat, t, v in document.totals().vat_groups}
    cur = document.currency
    for vat, (t, v) in deducted.items():
        if vat not in available:
            raise BillingPlanError(
                f"a deposit has VAT {vat.label}, which the document does not",
                field="deposits",
                value=vat.label,
                hint="deposits are deducted at the VAT rates of the final invoice",
            )
        limit_t, limit_v = available[vat]
        if t > max(limit_t, _ZERO) or v > max(limit_v, _ZERO):
            raise BillingPlanError(
                f"the deposits exceed the document at VAT {vat.label}",
                field="deposits",
                value=f"{t} + {v} VAT",
                hint=f"at most {limit_t} {cur.code} HT + {limit_v} {cur.code} VAT can be "
                "deducted; pass only the deposits of this order",
            )
    return tuple(
        VatBreakdown(
            vat=vat, taxable=Money(deducted[vat][0], cur), amount=Money(deducted[vat][1], cur)
        )
        for vat in available
        if vat in deducted
    )


def _deducted(deposits: Sequence[Invoice]) -> Amounts:
    """Σ (taxable amount, VAT) per VAT rate of *deposits*, read from their own totals:
    what a final invoice deducts for them.

    Private, the one computation behind `deposit_deductions` (what the final invoice
    prints) and the sales journal (what `facturlib.accounting.journal` reverses on 4191 and
    44571x), so the two never disagree. No checks: each caller checks the deposits
    in its own terms.
    """
    return billed(deposits)


def final_invoice(order: Deal, deposits: Sequence[Invoice], **fields: Any) -> Invoice:
    """The final invoice of *order*: full price, the issued *deposits* deducted.

    The invoice has the order's lines, allowances and charges (so its totals are the
    order's), the deposits' total including VAT as the prepaid amount (BT-113) and a
    reference to each deposit invoice (BG-3: number and date). A 100 % deposit leaves
    exactly zero due.

    Args:
        order: the `Order` (or accepted `Quote`).
        deposits: the issued deposit invoices of the order.
        **fields: other invoice fields (``due_date``, ``period``…), as for `Order.to_invoice`.

    Returns:
        A draft `Invoice` of kind `DocumentKind.INVOICE` (380).

    Raises:
        BillingPlanError: a deposit not issued (it must be referenced by number), not a
            deposit invoice, in another currency, or deposits exceeding the order.

    .. versionadded:: 0.1
    """
    check_deal(order, "order")
    deposits = _deposit_list(deposits, "deposits")
    for i, deposit in enumerate(deposits):
        if not deposit.is_issued:
            raise BillingPlanError(
                "a deposit invoice must be issued before the final invoice refers to it",
                field=f"deposits[{i}]",
                value=deposit.number,
                hint="issue it with facturlib.issue() (its number and date go in BG-3)",
            )
    if fields.get("kind", DocumentKind.INVOICE) is not DocumentKind.INVOICE:
        raise BillingPlanError(
            "the final invoice is a plain invoice (380)",
            field="kind",
            value=fields["kind"],
            hint="a final invoice after deposits is not of type 386 (BR-FR-CO-08)",
        )
    deductions = deposit_deductions(order, deposits)
    prepaid = sum((d.taxable.amount + d.amount.amount for d in deductions), _ZERO)
    preceding = (*fields.pop("preceding", ()), *(d.reference for d in deposits))
    return order.to_invoice(
        prepaid=Money(prepaid, order.currency) if deposits else None,
        preceding=preceding,
        **fields,
    )


def _deposit_amount(amount: Any, order: Deal) -> Decimal:
    if not isinstance(amount, Money):
        raise BillingPlanError(
            "a deposit amount must be Money",
            field="amount",
            value=amount,
            hint='build it with facturlib.to_money("3000.00", "EUR")',
        )
    if amount.currency != order.currency:
        raise BillingPlanError(
            f"the order is in {order.currency.code}, the deposit in {amount.currency.code}",
            field="amount",
            value=str(amount),
            hint=f"give the deposit in {order.currency.code}",
        )
    value: Decimal = amount.amount
    if value <= 0 or value != value.quantize(_quantum(order.currency)):
        raise BillingPlanError(
            "a deposit amount must be positive, in whole minor units",
            field="amount",
            value=value,
            hint=f"e.g. {Decimal(3000).quantize(_quantum(order.currency))} {order.currency.code}",
        )
    return value


_DEPOSITS_HINT = "pass the invoices made with facturlib.deposit_invoice()"


def _deposit_list(deposits: object, field: str) -> tuple[Invoice, ...]:
    """*deposits* as a tuple of invoices (``None`` gives ``()``); `BillingPlanError`
    naming *field* (or the item) for anything else. The caller's list is not changed."""
    return items_of(deposits, Invoice, field, error=BillingPlanError, hint=_DEPOSITS_HINT)


def _check_deposits(document: Any, deposits: object, field: str) -> tuple[Invoice, ...]:
    """*deposits* as a tuple, each a deposit invoice in the document's currency and, when
    both say so, for the same order."""
    deposits = _deposit_list(deposits, field)
    order_number = document.number if not isinstance(document, Invoice) else None
    if isinstance(document, Invoice):
        order_number = document.order_reference
    for i, deposit in enumerate(deposits):
        if deposit.kind is not DocumentKind.DEPOSIT:
            raise BillingPlanError(
                "expected a deposit invoice (type 386)",
                field=f"{field}[{i}]",
                value=deposit.number,
                hint=_DEPOSITS_HINT,
            )
        if deposit.currency != document.currency:
            raise BillingPlanError(
                f"a deposit in {deposit.currency.code} on a {document.currency.code} document",
                field=f"{field}[{i}]",
                value=deposit.number,
                hint="deposits are in the currency of their order",
            )
        if (
            order_number is not None
            and deposit.order_reference is not None
            and deposit.order_reference != order_number
        ):
            raise BillingPlanError(
                f"deposit {deposit.number or '(draft)'} is for order {deposit.order_reference}, "
                f"not {order_number}",
                field=f"{field}[{i}]",
                value=deposit.number,
                hint="pass only the deposits of this order",
            )
    return deposits
