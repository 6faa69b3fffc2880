"""Private helpers shared by project billing: billing a share of a deal, exactly.

Milestone, deposit and progress invoices all bill a *share* of a deal (a quote
or an order) and must add up to it to the cent, HT and VAT, for every VAT rate.
They do it the same way, the way credit notes do (CGI 289 I-5):

* the taxable amount billed so far per rate is a cumulative target, rounded once
  (``round(cumulative % × deal)``); an invoice bills the difference with what was
  billed before, so the last one bills exactly the remainder;
* the VAT billed so far per rate is ``round(taxable billed so far × rate)``, or the
  deal's own VAT once the whole taxable amount of the rate is billed; an invoice
  states the difference (`facturlib.core.totals.StatedVat`) where it differs from the
  VAT the core computes, which it never does by more than the EN 16931 tolerance.

By default a share keeps the deal's products (`itemized_invoice`): the taxable
amount of a rate is split over the deal's lines and document allowances and
charges of that rate, again by cumulative targets (``split_to_total`` of each
item's exact share of the rate's target so far), so the lines of all the shares
add up to each deal line exactly and every invoice keeps the per-rate amounts of
the lump form (`share_invoice`: one line per VAT rate).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs
from moneyed import Currency, Money

from facturlib.core._codes import DocumentKind
from facturlib.core._validators import to_decimal
from facturlib.core.documents import Invoice, Note, Order, Quote
from facturlib.core.errors import BillingPlanError, DocumentError
from facturlib.core.lines import (
    DocumentAllowance,
    DocumentCharge,
    Line,
    SupplyKind,
    reason_code_of,
    reason_text_of,
)
from facturlib.core.money import RoundingPolicy, exact, split_to_total
from facturlib.core.totals import StatedVat
from facturlib.core.vat import VatRate

#: What project billing bills from: a quote (devis) or an order (bon de commande).
Deal = Quote | Order

#: (taxable amount, VAT amount) per VAT rate.
Amounts = dict[VatRate, tuple[Decimal, Decimal]]

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
#: The EN 16931 schematron's tolerance on a VAT amount (BR-CO-17), in currency units.
_VAT_TOLERANCE = Decimal(1)


def to_percent(value: Any, field: str, *, allow_zero: bool = False) -> Decimal:
    """A percentage between 0 and 100 with at most 4 decimals (floats refused)."""
    percent = to_decimal(value, field)
    exponent = percent.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:
        raise BillingPlanError(
            "a percentage may have at most 4 decimals",
            field=field,
            value=percent,
            hint="round it to 4 decimals, e.g. 33.3333",
        )
    low_ok = percent >= 0 if allow_zero else percent > 0
    if not low_ok or percent > _HUNDRED:
        raise BillingPlanError(
            "a percentage must be above 0 and at most 100"
            if not allow_zero
            else "a percentage must be between 0 and 100",
            field=field,
            value=percent,
            hint='write 30 % as "30"',
        )
    return percent


def check_deal(deal: object, field: str = "deal") -> None:
    """Refuse anything but a `Quote` or an `Order`."""
    if not isinstance(deal, Quote | Order):
        raise BillingPlanError(
            f"expected a Quote or an Order, got {type(deal).__name__}",
            field=field,
            value=deal,
            hint="bill from the quote or the order the customer accepted",
        )


def deal_amounts(deal: Deal) -> Amounts:
    """The deal's (taxable, VAT) per VAT rate, in order of first use."""
    return {vat: (taxable, amount) for vat, taxable, amount in deal.totals().vat_groups}


def billed(documents: Iterable[Invoice]) -> Amounts:
    """Σ (taxable, VAT) per VAT rate over *documents*."""
    result: Amounts = {}
    for document in documents:
        for vat, taxable, amount in document.totals().vat_groups:
            t, v = result.get(vat, (_ZERO, _ZERO))
            result[vat] = (t + taxable, v + amount)
    return result


def cumulative_vat(
    vat: VatRate,
    taxable_so_far: Decimal,
    deal: tuple[Decimal, Decimal],
    policy: RoundingPolicy,
    cur: Currency,
) -> Decimal:
    """The VAT that should have been billed once *taxable_so_far* of *vat* is billed.

    The deal's own VAT once its whole taxable amount is billed, so the shares always
    add up to the deal's VAT. Before that, ``round(taxable_so_far × rate)`` when the
    deal's VAT is itself ``round(taxable × rate)`` (VAT rounded per rate, EN 16931
    BR-CO-17); otherwise (VAT rounded per line, or reconciled from tax-inclusive
    prices) the same share of the deal's VAT, ``round(VAT × taxable_so_far ÷ taxable)``,
    so that the difference the deal's rounding made is spread over the shares instead
    of falling on the last one.
    """
    deal_taxable, deal_vat = deal
    if taxable_so_far == deal_taxable:
        return deal_vat
    if deal_taxable == 0 or policy.round(deal_taxable * vat.rate, cur) == deal_vat:
        return policy.round(taxable_so_far * vat.rate, cur)
    return policy.round(deal_vat * taxable_so_far / deal_taxable, cur)


def deal_fields(deal: Deal) -> dict[str, Any]:
    """The invoice fields that tie an invoice to its deal: parties, conditions, references."""
    fields: dict[str, Any] = {
        "seller": deal.seller,
        "buyer": deal.buyer,
        "currency": deal.currency,
        "payment_terms": deal.payment_terms,
        "rounding": deal.rounding,
    }
    if isinstance(deal, Order):
        fields["purchase_order"] = deal.purchase_order or deal.number
        fields["order_reference"] = deal.number
        fields["quote_reference"] = deal.quote_reference
    else:
        fields["quote_reference"] = deal.number
    return fields


def deal_name(deal: Deal) -> str:
    """How a share line names its deal: "commande BC-12", "devis D-7" or just "commande"."""
    what = "commande" if isinstance(deal, Order) else "devis"
    return f"{what} {deal.number}" if deal.number else what


def share_invoice(
    deal: Deal,
    amounts: Mapping[VatRate, tuple[Decimal, Decimal]],
    *,
    kind: DocumentKind,
    description: str,
    allow_zero: bool = False,
    **fields: Any,
) -> Invoice:
    """A draft billing exactly *amounts* — (taxable, VAT) per rate — of *deal*.

    One line per VAT rate, excluding VAT, named *description* (with the rate when
    there are several); the VAT of a rate is stated where it differs from the
    computed one. With *allow_zero*, a share of nothing is one line at zero
    (a milestone of a deal too small to give it a minor unit).

    Raises:
        BillingPlanError: nothing to bill (unless *allow_zero*), or a VAT share the
            EN 16931 tolerance cannot carry (a deal rounded per line in a currency
            without decimals).
    """
    cur = deal.currency
    several = sum(1 for t, v in amounts.values() if t or v) > 1
    lines = []
    for vat, (taxable, vat_amount) in amounts.items():
        if not (taxable or vat_amount):
            continue
        lines.append(
            Line(
                description=f"{description} (TVA {vat.label})" if several else description,
                # A price is never negative (BR-27): a negative share is a quantity of -1.
                quantity=-1 if taxable < 0 else 1,
                unit_price=Money(abs(taxable), cur),
                vat=vat,
                unit="LS",
                supply=SupplyKind.of_goods(line for line in deal.lines if line.vat == vat),
            )
        )
    if not lines and allow_zero:
        lines.append(
            Line(
                description=description,
                quantity=1,
                unit_price=Money(0, cur),
                vat=next(iter(amounts)),
                unit="LS",
            )
        )
    if not lines:
        raise BillingPlanError(
            "nothing left to bill",
            field="amounts",
            value={vat.label: str(t) for vat, (t, _) in amounts.items()},
            hint="the deal is already billed in full for this share",
        )
    draft = Invoice(kind=kind, lines=tuple(lines), **deal_fields(deal), **fields)
    return with_vat(draft, {vat: v for vat, (_t, v) in amounts.items()})


def with_vat(draft: Invoice, vat_amounts: Mapping[VatRate, Decimal]) -> Invoice:
    """*draft* with the VAT of each rate stated as *vat_amounts* where it differs.

    Raises:
        BillingPlanError: a stated amount further from the computed VAT than the
            EN 16931 tolerance (one currency unit, BR-CO-17).
    """
    cur = draft.currency
    stated = tuple(
        StatedVat(vat=vat, amount=Money(vat_amounts[vat], cur))
        for vat, _taxable, computed in draft.totals().vat_groups
        if computed != vat_amounts[vat]
    )
    if not stated:
        return draft
    try:
        stated_draft = attrs.evolve(draft, stated_vat=stated)
        stated_draft.totals()  # computed lazily: check the stated VAT here
    except DocumentError as error:
        raise BillingPlanError(
            "a VAT share is further from its computed VAT than EN 16931 allows",
            field="vat",
            value=error.value,
            hint=(
                f"the deal's VAT rounding leaves more than {_VAT_TOLERANCE} {cur.code} to "
                "spread: round its VAT per rate (RoundingPolicy(vat_rounding='per_rate'))"
            ),
        ) from None
    return stated_draft


def _number_text(value: Decimal, places: int = 0) -> str:
    """*value* the French way, with at least *places* decimals: ``10 000,5`` → "10 000,50"."""
    value = value.normalize()
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent < places:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign, text = ("-", f"{-value:f}") if value < 0 else ("", f"{value:f}")
    whole, _, decimals = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + " ".join(groups) + ("," + decimals if decimals else "")


def _items(deal: Deal) -> list[tuple[Any, Decimal]]:
    """The deal's items, each with its signed amount excluding VAT: every line with its
    net (BT-131), then every document charge (+) and allowance (−) as totalled, so
    that the items of a rate add up to its taxable amount (BT-116)."""
    totals = deal.totals()
    items: list[tuple[Any, Decimal]] = list(zip(deal.lines, totals.line_nets, strict=True))
    items += [(charge, charge.amount.amount) for charge in totals.charges]
    items += [(allowance, -allowance.amount.amount) for allowance in totals.allowances]
    return items


@exact
def _cumulative_items(
    items: list[tuple[Any, Decimal]],
    target: Decimal,
    whole: Decimal,
    fraction: Decimal,
    cur: Currency,
) -> list[Decimal]:
    """Each item's share once *target* of a rate whose items total *whole* is billed,
    rounded so that they add up to *target* exactly (and to the items at *whole*)."""
    share = target / whole if whole else fraction
    return split_to_total([amount * share for _item, amount in items], target, cur)


def itemized_invoice(
    deal: Deal,
    amounts: Mapping[VatRate, tuple[Decimal, Decimal]],
    before: Mapping[VatRate, Decimal],
    *,
    fractions: tuple[Decimal, Decimal],
    percent: Decimal,
    kind: DocumentKind,
    description: str,
    allow_zero: bool = False,
    **fields: Any,
) -> Invoice:
    """A draft billing exactly *amounts* of *deal*, line by line of the deal.

    Each deal line with a share becomes a line of one lump sum (``LS``) worth its
    share, keeping the line's product id, VAT rate, period, supply and note, its
    ``source_line`` the deal line's id and its description telling what is billed
    ("Site web – 20 × 900,00 – 10 % facturé"); each document allowance or charge with
    a share becomes one of the same rate and reason. *description* becomes a note
    (BT-22). The taxable amount of a rate is split over its items by cumulative
    targets: *before* is the taxable amount of each rate billed earlier, and
    *fractions* the share of the deal billed before and after this invoice (used only
    for a rate whose items net to zero). Falls back on `share_invoice` when no line
    has a share.
    """
    cur = deal.currency
    by_rate: dict[VatRate, list[int]] = {}
    items = _items(deal)
    for index, (item, _amount) in enumerate(items):
        by_rate.setdefault(item.vat, []).append(index)
    now = [_ZERO] * len(items)
    for vat, (taxable, _vat_amount) in amounts.items():
        indexes = by_rate.get(vat, [])
        if not indexes:
            continue
        group = [items[i] for i in indexes]
        whole = sum((amount for _item, amount in group), _ZERO)
        start = before.get(vat, _ZERO)
        earlier = _cumulative_items(group, start, whole, fractions[0], cur)
        later = _cumulative_items(group, start + taxable, whole, fractions[1], cur)
        for i, a, b in zip(indexes, earlier, later, strict=True):
            now[i] = b - a
    lines: list[Line] = []
    allowances: list[DocumentAllowance] = []
    charges: list[DocumentCharge] = []
    share_text = f"{_number_text(percent)} % facturé"
    for (item, amount), billed_now in zip(items, now, strict=True):
        if not billed_now:
            continue
        if isinstance(item, Line):
            what = f"{_number_text(item.quantity)} × {_number_text(item.unit_price.amount, 2)}"
            if deal.prices_include_vat:
                what += " TTC"
            if item.discounts or item.charges or item.base_quantity != 1:
                what += f" (net {_number_text(amount, 2)})"
            lines.append(
                Line(
                    description=f"{item.description} – {what} – {share_text}",
                    # A price is never negative (BR-27): a negative share is a quantity of -1.
                    quantity=-1 if billed_now < 0 else 1,
                    unit_price=Money(abs(billed_now), cur),
                    vat=item.vat,
                    unit="LS",
                    period=item.period,
                    note=item.note,
                    product_id=item.product_id,
                    source_line=item.id,
                    supply=item.supply,
                )
            )
            continue
        # A charge's reason code is a UNTDID 7161 code, an allowance's a 5189 one: a
        # share of the other sign (a rounding cent) keeps only the reason text.
        same_sign = (billed_now > 0) == item.is_charge
        code = reason_code_of(item) if same_sign and item.reason_code else None
        reason = reason_text_of(item)
        if billed_now > 0:
            charges.append(
                DocumentCharge(
                    amount=Money(billed_now, cur), vat=item.vat, reason=reason, reason_code=code
                )
            )
        else:
            allowances.append(
                DocumentAllowance(
                    amount=Money(-billed_now, cur), vat=item.vat, reason=reason, reason_code=code
                )
            )
    billed_rates = {item.vat for (item, _a), b in zip(items, now, strict=True) if b}
    vat_only = any(v and vat not in billed_rates for vat, (_t, v) in amounts.items())
    if not lines or vat_only:
        return share_invoice(
            deal, amounts, kind=kind, description=description, allow_zero=allow_zero, **fields
        )
    notes = (*fields.pop("notes", ()), Note(description))
    draft = Invoice(
        kind=kind,
        lines=tuple(lines),
        allowances=tuple(allowances),
        charges=tuple(charges),
        notes=notes,
        **deal_fields(deal),
        **fields,
    )
    return with_vat(draft, {vat: v for vat, (_t, v) in amounts.items()})
