"""Document totals: every EN 16931 total (BT-106…BT-115) and the VAT breakdown (BG-23).

This is the **only** place facturlib computes document amounts (DESIGN.md
principle 2); every document's ``totals()`` calls `compute_totals`, and renderers,
credit notes and journals read the resulting `Totals`. The rules, from EN 16931-1:

* line net BT-131 = round(quantity × net price ÷ base quantity) − line allowances
  + line charges, where a percentage allowance/charge is round(base × % ÷ 100);
* BT-106 = Σ BT-131 (BR-CO-10), BT-107 = Σ BT-92 (BR-CO-11), BT-108 = Σ BT-99
  (BR-CO-12), BT-109 = BT-106 − BT-107 + BT-108 (BR-CO-13);
* one BG-23 per (category, rate): BT-116 = Σ line nets + charges − allowances of that
  rate, BT-117 = round(BT-116 × rate) (BR-CO-17) — or, with
  ``RoundingPolicy(vat_rounding="per_line")``, the sum of the VAT rounded on each item;
* BT-110 = Σ BT-117 (BR-CO-14), BT-112 = BT-109 + BT-110 (BR-CO-15),
  BT-115 = BT-112 − BT-113 + BT-114 (BR-CO-16).

With tax-inclusive (TTC) unit prices, each VAT group is reconciled so that the
displayed TTC is kept: HT = round(TTC ÷ (1 + rate)), VAT = TTC − HT, and the group's
HT is spread over its lines exactly ("TTC-priced B2C").

The EN 16931-1 worked example:

>>> from facturlib.core.lines import Line, DocumentAllowance, DocumentCharge
>>> from facturlib.core.money import to_money
>>> from facturlib.core.vat import FR_STANDARD, FR_REDUCED
>>> eur = lambda amount: to_money(amount, "EUR")
>>> t = compute_totals(
...     currency="EUR",
...     lines=[Line(description="A", quantity=10, unit_price=eur("12.50"), vat=FR_STANDARD),
...            Line(description="B", quantity=3, unit_price=eur("7.99"), vat=FR_REDUCED)],
...     allowances=[DocumentAllowance(amount=eur("10.00"), vat=FR_STANDARD, reason="Remise")],
...     charges=[DocumentCharge(amount=eur("5.90"), vat=FR_STANDARD, reason="Port")],
...     prepaid=eur("50.00"))
>>> [t.line_net_total.amount, t.allowance_total.amount, t.charge_total.amount]
[Decimal('148.97'), Decimal('10.00'), Decimal('5.90')]
>>> [t.tax_exclusive_total.amount, t.vat_total.amount, t.tax_inclusive_total.amount]
[Decimal('144.87'), Decimal('25.50'), Decimal('170.37')]
>>> t.prepaid_total.amount, t.amount_due.amount
(Decimal('50.00'), Decimal('120.37'))
>>> [(b.vat.label, b.taxable.amount, b.amount.amount) for b in t.vat_breakdown]
[('S 20%', Decimal('120.90'), Decimal('24.18')), ('S 5.5%', Decimal('23.97'), Decimal('1.32'))]
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from decimal import Decimal, getcontext, setcontext
from typing import Any

import attrs
from moneyed import Currency, Money

from facturlib.core._display import pretty, summary_html
from facturlib.core._validators import (
    as_tuple,
    check_bool,
    check_instance,
    check_money,
    instance_of,
    is_bool,
    is_decimal,
    is_money,
    items_of,
    to_decimal,
    to_exchange_rate,
    tuple_of,
)
from facturlib.core.errors import DocumentError, InvalidValue
from facturlib.core.lines import (
    ONE,
    Discount,
    DocumentAllowance,
    DocumentCharge,
    Line,
    _DocumentAdjustment,
)
from facturlib.core.money import (
    DEFAULT_ROUNDING,
    EXACT,
    FrozenMoney,
    RoundingPolicy,
    _quantum,
    _require_currency,
    allocate,
    freeze_money,
    freeze_money_tuple,
    split_to_total,
)
from facturlib.core.money import currency as to_currency
from facturlib.core.vat import VatRate

__all__ = [
    "AppliedAdjustment",
    "LineTotals",
    "StatedVat",
    "Totals",
    "VatBreakdown",
    "compute_totals",
]

_ZERO = Decimal(0)
_ONE = Decimal(1)
_HUNDRED = Decimal(100)

_QUANTIZE = Decimal.quantize
_add = EXACT.add
_subtract = EXACT.subtract


@attrs.frozen(kw_only=True)
class StatedVat:
    """A VAT amount stated for one (category, rate) group instead of the computed one.

    Used where an exact figure must be kept, e.g. the last credit note of an
    invoice absorbing the rounding of the earlier ones (CGI 289 I-5). The stated
    amount may differ from round(BT-116 × rate) by at most one currency unit, the
    tolerance of the EN 16931 schematron for BR-CO-17.

    .. versionadded:: 0.1
    """

    vat: VatRate = attrs.field(validator=instance_of(VatRate, hint="e.g. facturlib.FR_STANDARD"))
    amount: Money = attrs.field(converter=freeze_money, validator=is_money())


@attrs.frozen(kw_only=True)
class VatBreakdown:
    """One VAT breakdown entry (BG-23) for a (category, rate) pair.

    Attributes:
        vat: the `VatRate` (BT-118 category, BT-119 rate, BT-120/BT-121 exemption).
        taxable: the taxable amount (BT-116).
        amount: the VAT amount (BT-117).

    .. versionadded:: 0.1
    """

    vat: VatRate = attrs.field(validator=instance_of(VatRate))
    taxable: Money = attrs.field(converter=freeze_money, validator=is_money())
    amount: Money = attrs.field(converter=freeze_money, validator=is_money())


@attrs.frozen(kw_only=True)
class AppliedAdjustment:
    """A document-level allowance (BG-20) or charge (BG-21) with its computed amount.

    Attributes:
        is_charge: ``True`` for a charge (BT-99), ``False`` for an allowance (BT-92).
        amount: the amount excluding VAT.
        base: the base amount of a percentage (BT-93/BT-100), else ``None``.
        percent: the percentage (BT-94/BT-101), else ``None``.
        vat: its `VatRate` (BT-95…BT-96 / BT-102…BT-103).
        reason: BT-97/BT-104. reason_code: BT-98/BT-105.

    .. versionadded:: 0.1
    """

    is_charge: bool = attrs.field(validator=is_bool)
    amount: Money = attrs.field(converter=freeze_money, validator=is_money())
    vat: VatRate = attrs.field(validator=instance_of(VatRate))
    base: Money | None = attrs.field(
        default=None, converter=freeze_money, validator=is_money(optional=True)
    )
    percent: Decimal | None = attrs.field(default=None, validator=is_decimal(optional=True))
    reason: str | None = attrs.field(default=None, validator=instance_of(str, optional=True))
    reason_code: str | None = attrs.field(default=None, validator=instance_of(str, optional=True))


@attrs.frozen(kw_only=True)
class LineTotals:
    """The computed amounts of one line.

    Attributes:
        amount: quantity × price ÷ base quantity, rounded (the base of line percentages, BT-137).
        allowances: each line allowance amount (BT-136), in the line's order.
        charges: each line charge amount (BT-141).
        net: the line net amount excluding VAT (BT-131).

    With tax-inclusive prices, *amount*, *allowances* and *charges* include VAT and
    *net* is the reconciled amount excluding VAT.

    .. versionadded:: 0.1
    """

    amount: Money = attrs.field(converter=freeze_money, validator=is_money())
    allowances: tuple[Money, ...] = attrs.field(
        converter=freeze_money_tuple, validator=tuple_of(Money)
    )
    charges: tuple[Money, ...] = attrs.field(
        converter=freeze_money_tuple, validator=tuple_of(Money)
    )
    net: Money = attrs.field(converter=freeze_money, validator=is_money())


#: A line's adjustments: (line index, amount before them, allowance amounts, charge amounts).
_LineAdjustments = tuple[int, Decimal, tuple[Decimal, ...], tuple[Decimal, ...]]


@attrs.frozen(kw_only=True)
class Totals:
    """Every EN 16931 document total, the VAT breakdown and the computed lines.

    A `Totals` stores exact Decimals in the document currency: each line's net
    (BT-131), the document allowances and charges, the (category, rate) groups with
    their taxable amount and VAT, and the sums BT-106, BT-107, BT-108, BT-110, BT-113
    (paid) and BT-114 (rounding). BT-109 = BT-106 − BT-107 + BT-108, BT-112 = BT-109 +
    BT-110 and BT-115 = BT-112 − BT-113 + BT-114 are derived, so BR-CO-13, 15 and 16
    hold by construction; the constructor checks the stored sums (BR-CO-10, 11, 12,
    14) and that the VAT groups' taxable amounts add up to BT-109. The named
    properties give the totals as `Money` (``line_net_total`` is BT-106); `vat_breakdown`
    and `lines` give `VatBreakdown` and `LineTotals`. Computing totals thus allocates
    no Money per line: it appears where you read it.

    Attributes:
        currency: the document currency (BT-5).
        line_nets: each line's net amount (BT-131), in document order.
        line_adjustments: ``(line index, amount before adjustments, allowance amounts,
            charge amounts)`` for each line whose amount differs from its net: lines with
            allowances or charges (BT-136, BT-141), and all lines priced with VAT included
            (their amount then includes VAT).
        allowances: document allowances (BG-20) as computed, as `AppliedAdjustment`.
        charges: document charges (BG-21) as computed.
        vat_groups: ``(VatRate, taxable BT-116, VAT BT-117)`` per (category, rate).
        bt106: Σ line net amounts (BR-CO-10).
        bt107: Σ document allowances (BR-CO-11).
        bt108: Σ document charges (BR-CO-12).
        bt110: total VAT, Σ BT-117 (BR-CO-14).
        bt113: paid amount (deposits…).
        bt114: rounding amount.
        vat_total_tax_currency: BT-111, the VAT in the tax accounting currency, or ``None``.

    .. versionadded:: 0.1
    """

    currency: Currency = attrs.field(validator=instance_of(Currency))
    line_nets: tuple[Decimal, ...] = attrs.field(converter=as_tuple, validator=tuple_of(Decimal))
    line_adjustments: tuple[_LineAdjustments, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(tuple)
    )
    allowances: tuple[AppliedAdjustment, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(AppliedAdjustment)
    )
    charges: tuple[AppliedAdjustment, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(AppliedAdjustment)
    )
    vat_groups: tuple[tuple[VatRate, Decimal, Decimal], ...] = attrs.field(
        converter=as_tuple, validator=tuple_of(tuple)
    )
    bt106: Decimal = attrs.field(validator=is_decimal())
    bt107: Decimal = attrs.field(validator=is_decimal())
    bt108: Decimal = attrs.field(validator=is_decimal())
    bt110: Decimal = attrs.field(validator=is_decimal())
    bt113: Decimal = attrs.field(default=_ZERO, validator=is_decimal())
    bt114: Decimal = attrs.field(default=_ZERO, validator=is_decimal())
    vat_total_tax_currency: Money | None = attrs.field(
        default=None, converter=freeze_money, validator=is_money(optional=True)
    )

    def __attrs_post_init__(self) -> None:
        for field in ("bt106", "bt107", "bt108", "bt110", "bt113", "bt114"):
            if not isinstance(getattr(self, field), Decimal):
                raise InvalidValue("expected a Decimal", field=field, value=getattr(self, field))
        checks = (
            ("BR-CO-10", self.bt106, sum(self.line_nets, _ZERO)),
            ("BR-CO-11", self.bt107, sum((a.amount.amount for a in self.allowances), _ZERO)),
            ("BR-CO-12", self.bt108, sum((c.amount.amount for c in self.charges), _ZERO)),
            ("BR-CO-14", self.bt110, sum((group[2] for group in self.vat_groups), _ZERO)),
        )
        for rule, stated, expected in checks:
            if stated != expected:
                raise DocumentError(
                    f"totals break {rule}",
                    field=rule,
                    value=f"{stated} != {expected}",
                    hint="compute totals with facturlib.compute_totals instead of by hand",
                )
        for adjustment in (*self.allowances, *self.charges):
            _require_currency(adjustment.amount, self.currency, "allowances")
        taxable = sum((group[1] for group in self.vat_groups), _ZERO)
        if taxable != self.bt109:
            raise DocumentError(
                "the VAT groups' taxable amounts do not add up to BT-109 (BR-CO-13, BG-23)",
                field="vat_groups",
                value=f"{taxable} != {self.bt109}",
                hint="compute totals with facturlib.compute_totals instead of by hand",
            )

    # The derived totals (BR-CO-10…16 by construction) ------------------------------

    @property
    def bt109(self) -> Decimal:
        """Total without VAT: BT-106 − BT-107 + BT-108 (BR-CO-13)."""
        # In facturlib's context, not the caller's: these run when read (issue 16).
        return _add(_subtract(self.bt106, self.bt107), self.bt108)

    @property
    def bt112(self) -> Decimal:
        """Total with VAT: BT-109 + BT-110 (BR-CO-15)."""
        return _add(self.bt109, self.bt110)

    @property
    def bt115(self) -> Decimal:
        """Amount due: BT-112 − BT-113 + BT-114 (BR-CO-16)."""
        return _add(_subtract(self.bt112, self.bt113), self.bt114)

    @classmethod
    def _trusted(
        cls,
        *,
        currency: Currency,
        line_nets: tuple[Decimal, ...],
        line_adjustments: tuple[_LineAdjustments, ...],
        allowances: tuple[AppliedAdjustment, ...],
        charges: tuple[AppliedAdjustment, ...],
        vat_groups: tuple[tuple[VatRate, Decimal, Decimal], ...],
        bt106: Decimal,
        bt107: Decimal,
        bt108: Decimal,
        bt110: Decimal,
        bt113: Decimal,
        bt114: Decimal,
        vat_total_tax_currency: Money | None,
    ) -> Totals:
        """Build without the constructor's checks: only for `compute_totals`, whose sums
        and VAT groups add up by construction (the property tests prove it). Every
        other way in — the constructor, `facturlib.core.serialize.from_dict` — checks them.

        Named parameters rather than ``**fields``: building that dict and looking up
        each setter by name cost more than the rest of a small document's totals.
        """
        self = object.__new__(cls)
        values = (
            currency,
            line_nets,
            line_adjustments,
            allowances,
            charges,
            vat_groups,
            bt106,
            bt107,
            bt108,
            bt110,
            bt113,
            bt114,
            vat_total_tax_currency,
        )
        # In field order, as `_SLOT_SETTERS`; both have every field (a unit test checks).
        for set_slot, value in zip(_SLOT_SETTERS, values, strict=False):
            set_slot(self, value)
        return self

    def _money(self, amount: Decimal) -> Money:
        return FrozenMoney(amount, self.currency)

    @property
    def line_net_total(self) -> Money:
        """BT-106, Σ line net amounts (BR-CO-10)."""
        return FrozenMoney(self.bt106, self.currency)

    @property
    def allowance_total(self) -> Money:
        """BT-107, Σ document allowances (BR-CO-11)."""
        return FrozenMoney(self.bt107, self.currency)

    @property
    def charge_total(self) -> Money:
        """BT-108, Σ document charges (BR-CO-12)."""
        return FrozenMoney(self.bt108, self.currency)

    @property
    def tax_exclusive_total(self) -> Money:
        """BT-109, total without VAT, HT (BR-CO-13)."""
        return FrozenMoney(self.bt109, self.currency)

    @property
    def vat_total(self) -> Money:
        """BT-110, total VAT (BR-CO-14)."""
        return FrozenMoney(self.bt110, self.currency)

    @property
    def tax_inclusive_total(self) -> Money:
        """BT-112, total with VAT, TTC (BR-CO-15)."""
        return FrozenMoney(self.bt112, self.currency)

    @property
    def prepaid_total(self) -> Money:
        """BT-113, amounts already paid."""
        return FrozenMoney(self.bt113, self.currency)

    @property
    def rounding_amount(self) -> Money:
        """BT-114, the rounding amount (cash rounding)."""
        return FrozenMoney(self.bt114, self.currency)

    @property
    def amount_due(self) -> Money:
        """BT-115, amount due for payment (BR-CO-16)."""
        return FrozenMoney(self.bt115, self.currency)

    @functools.cached_property
    def vat_breakdown(self) -> tuple[VatBreakdown, ...]:
        """One `VatBreakdown` (BG-23) per (category, rate), in order of first use."""
        return tuple(
            VatBreakdown(vat=vat, taxable=self._money(taxable), amount=self._money(amount))
            for vat, taxable, amount in self.vat_groups
        )

    @functools.cached_property
    def lines(self) -> tuple[LineTotals, ...]:
        """Per-line amounts as `LineTotals` (Money), in document order."""
        m = self._money
        adjusted = {entry[0]: entry for entry in self.line_adjustments}
        result = []
        for index, net in enumerate(self.line_nets):
            if index in adjusted:
                _, amount, allowances, charges = adjusted[index]
                result.append(
                    LineTotals(
                        amount=m(amount),
                        allowances=tuple(map(m, allowances)),
                        charges=tuple(map(m, charges)),
                        net=m(net),
                    )
                )
            else:
                result.append(LineTotals(amount=m(net), allowances=(), charges=(), net=m(net)))
        return tuple(result)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """A one-line summary for IPython (``repr()`` keeps every field).

        .. versionadded:: 0.2
        """
        text = (
            f"<Totals {self.currency.code}: net {self.bt109:f}, VAT {self.bt110:f}, "
            f"gross {self.bt112:f}, due {self.bt115:f}>"
        )
        pretty(printer, cycle, text)

    def _repr_html_(self) -> str:
        """The EN 16931 totals and the VAT breakdown as HTML for Jupyter.

        .. versionadded:: 0.2
        """
        fields = [
            ("Σ line net amounts (BT-106)", self.line_net_total),
            ("allowances (BT-107)", self.allowance_total),
            ("charges (BT-108)", self.charge_total),
            ("total excl. VAT (BT-109)", self.tax_exclusive_total),
            ("VAT (BT-110)", self.vat_total),
            ("total incl. VAT (BT-112)", self.tax_inclusive_total),
            ("paid (BT-113)", self.prepaid_total),
            ("rounding (BT-114)", self.rounding_amount),
            ("amount due (BT-115)", self.amount_due),
        ]
        rows = [
            (
                f"{entry.vat.category.value} {entry.vat.percent or 0:f} %",
                entry.taxable,
                entry.amount,
            )
            for entry in self.vat_breakdown
        ]
        return summary_html("Totals", fields, (["VAT", "taxable (BT-116)", "VAT (BT-117)"], rows))

    def breakdown_for(self, vat: VatRate) -> VatBreakdown | None:
        """The breakdown entry for *vat*, or ``None`` if no line or adjustment uses it."""
        for entry in self.vat_breakdown:
            if entry.vat == vat:
                return entry
        return None


#: The slot descriptors' setters of `Totals` in field order, for `Totals._trusted`
#: (a frozen class).
_SLOT_SETTERS: tuple[Any, ...] = tuple(
    Totals.__dict__[field.name].__set__ for field in attrs.fields(Totals)
)


class _Group:
    """Accumulates one VAT group while computing (private, mutable scratch space)."""

    __slots__ = ("adjustments", "items", "net")

    def __init__(self) -> None:
        self.net = _ZERO  # Σ line nets of the group
        self.adjustments = _ZERO  # Σ document charges − allowances of the group
        self.items: list[tuple[str, int, Decimal]] = []  # (kind, index, signed amount)


def compute_totals(
    *,
    lines: Sequence[Line],
    currency: str | Currency,
    allowances: Sequence[DocumentAllowance] = (),
    charges: Sequence[DocumentCharge] = (),
    global_discount: Any = None,
    prepaid: Money | None = None,
    stated_vat: Sequence[StatedVat] = (),
    prices_include_vat: bool = False,
    rounding: RoundingPolicy = DEFAULT_ROUNDING,
    tax_currency: str | Currency | None = None,
    tax_exchange_rate: Decimal | str | None = None,
    rounding_amount: Money | None = None,
) -> Totals:
    """Compute every total of a document from its parts.

    Documents call this from ``totals()``; call it directly to total lines without
    building a document.

    Args:
        lines: the `Line`\\s, all priced in *currency*.
        currency: the document currency (BT-5).
        allowances: document allowances (BG-20).
        charges: document charges (BG-21).
        global_discount: a `Discount` on the net total, spread over the VAT rates in
            proportion to their net amounts (one allowance per rate, BR-32).
        prepaid: amounts already paid (BT-113).
        stated_vat: VAT amounts stated per group (see `StatedVat`).
        prices_include_vat: unit prices and adjustment amounts include VAT (TTC).
        rounding: the `RoundingPolicy`.
        tax_currency: the VAT accounting currency (BT-6) if it differs from *currency*.
        tax_exchange_rate: units of *tax_currency* per unit of *currency*, for BT-111.
        rounding_amount: an explicit rounding amount (BT-114), added to the amount
            due; it replaces the cash rounding of *rounding*.

    Returns:
        The `Totals`.

    Raises:
        CurrencyMismatch: an amount in another currency.
        DocumentError: an allowance that cannot be computed (no base, more than the net).

    .. versionadded:: 0.1
    """
    cur = to_currency(currency)
    lines = items_of(lines, Line, "lines", error=DocumentError)
    allowances = items_of(allowances, DocumentAllowance, "allowances", error=DocumentError)
    charges = items_of(charges, DocumentCharge, "charges", error=DocumentError)
    check_instance(global_discount, Discount, "global_discount", optional=True, error=DocumentError)
    check_money(prepaid, "prepaid", optional=True, error=DocumentError)
    stated_vat = items_of(stated_vat, StatedVat, "stated_vat", error=DocumentError)
    check_bool(prices_include_vat, "prices_include_vat", error=DocumentError)
    check_instance(rounding, RoundingPolicy, "rounding", error=DocumentError)
    tax_exchange_rate = to_exchange_rate(tax_exchange_rate)
    check_money(rounding_amount, "rounding_amount", optional=True, error=DocumentError)
    # Identity first (every line priced through the same Currency object); the label
    # of an offending line is only built when one is found.
    if [line for line in lines if line.unit_price.currency is not cur]:
        for index, line in enumerate(lines):
            _require_currency(line.unit_price, cur, f"lines[{index}].unit_price")
    return _compute(
        lines,
        cur,
        allowances,
        charges,
        global_discount,
        prepaid,
        stated_vat,
        prices_include_vat,
        rounding,
        tax_currency,
        tax_exchange_rate,
        True,
        rounding_amount,
    )


def _compute(
    lines: Sequence[Line],
    cur: Currency,
    allowances: Sequence[DocumentAllowance],
    charges: Sequence[DocumentCharge],
    global_discount: Any,
    prepaid: Money | None,
    stated_vat: Sequence[StatedVat],
    prices_include_vat: bool,
    rounding: RoundingPolicy,
    tax_currency: str | Currency | None,
    tax_exchange_rate: Decimal | str | None,
    cash_rounding: bool = True,
    explicit_rounding: Money | None = None,
) -> Totals:
    """`compute_totals` with positional arguments.

    Documents call this directly: they have already checked that every line is
    priced in the document currency, so the hot loop does not check it again. It
    computes in facturlib's own decimal context (`facturlib.core.money.EXACT`, set as
    `facturlib.core.money.exact` does), so the caller's ambient context (a precision
    of 6, trapped ``Inexact``) changes nothing.
    *cash_rounding* ``False`` turns the policy's cash rounding off (an invoice
    paid by other means than cash); an explicit *explicit_rounding* (BT-114) wins.
    """
    caller = getcontext()
    if caller is EXACT:
        return _compute_exact(
            lines,
            cur,
            allowances,
            charges,
            global_discount,
            prepaid,
            stated_vat,
            prices_include_vat,
            rounding,
            tax_currency,
            tax_exchange_rate,
            cash_rounding,
            explicit_rounding,
        )
    setcontext(EXACT)
    try:
        return _compute_exact(
            lines,
            cur,
            allowances,
            charges,
            global_discount,
            prepaid,
            stated_vat,
            prices_include_vat,
            rounding,
            tax_currency,
            tax_exchange_rate,
            cash_rounding,
            explicit_rounding,
        )
    finally:
        setcontext(caller)


def _compute_exact(
    lines: Sequence[Line],
    cur: Currency,
    allowances: Sequence[DocumentAllowance],
    charges: Sequence[DocumentCharge],
    global_discount: Any,
    prepaid: Money | None,
    stated_vat: Sequence[StatedVat],
    prices_include_vat: bool,
    rounding: RoundingPolicy,
    tax_currency: str | Currency | None,
    tax_exchange_rate: Decimal | str | None,
    cash_rounding: bool,
    explicit_rounding: Money | None,
) -> Totals:
    q = _quantum(cur)
    # The policy's mode, read once: the line amounts below are rounded with it and
    # the currency's quantum directly (what RoundingPolicy.round does).
    mode = rounding.mode
    groups: dict[VatRate, _Group] = {}
    per_line = rounding.vat_rounding == "per_line"
    # Items are only needed to round per line or to reconcile inclusive prices; the
    # common case (per-rate VAT on net prices) just sums the nets of each group.
    keep_items = per_line or prices_include_vat

    # Line amounts BT-131 before adjustments, in one comprehension (lines with
    # adjustments are revisited below). A line with the default base quantity (the
    # shared object `facturlib.core.lines.ONE`: an identity test) needs no division; any
    # other base quantity, 1 included, is divided by, which gives the same result.
    # ``_QUANTIZE`` is Decimal.quantize with the rounding mode passed positionally:
    # the same explicit rounding as ``rounding=mode``, without the cost of parsing a
    # keyword argument.
    amounts = [
        _QUANTIZE(line.quantity * line.unit_price.amount, q, mode)
        if line.base_quantity is ONE
        else _QUANTIZE(line.quantity * line.unit_price.amount / line.base_quantity, q, mode)
        for line in lines
    ]
    line_nets = amounts
    # Amounts before adjustments, kept only where they differ from the net: every line
    # of a document priced with VAT included, and lines with allowances or charges.
    line_amounts: dict[int, Decimal] = dict(enumerate(amounts)) if prices_include_vat else {}
    line_adjustments: dict[int, tuple[tuple[Decimal, ...], tuple[Decimal, ...]]] = {}
    # (A list comprehension: cheaper than any() over a generator for a few lines.)
    if [line for line in lines if line.discounts or line.charges]:
        line_nets = amounts.copy()
        for index, line in enumerate(lines):
            if line.discounts or line.charges:
                amount = amounts[index]
                allowance_amounts = tuple(
                    _adjustment_amount(d, amount, q, mode, cur, f"lines[{index}].discounts")
                    for d in line.discounts
                )
                charge_amounts = tuple(
                    _adjustment_amount(c, amount, q, mode, cur, f"lines[{index}].charges")
                    for c in line.charges
                )
                line_nets[index] = (
                    amount - sum(allowance_amounts, _ZERO) + sum(charge_amounts, _ZERO)
                )
                line_adjustments[index] = (allowance_amounts, charge_amounts)
                line_amounts[index] = amount

    # Lines are grouped by the identity of their VatRate (an int hash, no Python-level
    # __hash__ call); equal rates held in different objects are merged into one group
    # right after, so grouping is still by value, in order of first use.
    nets_by_id: dict[int, Decimal] = {}
    rates_by_id: dict[int, VatRate] = {}
    for line, net in zip(lines, line_nets, strict=True):
        key = id(line.vat)
        previous = nets_by_id.get(key)
        if previous is None:
            nets_by_id[key] = net
            rates_by_id[key] = line.vat
        else:
            nets_by_id[key] = previous + net
    # Zero with the currency's decimals, so that an empty sum reads "0.00" (EUR).
    zero = _QUANTIZE(_ZERO, q, mode)
    # BT-106 from the few group sums rather than every line net again (exact either
    # way); inclusive prices replace the line nets below, and BT-106 with them.
    line_net_total = zero
    for key, vat in rates_by_id.items():
        net = nets_by_id[key]
        # setdefault: one (Python-level) VatRate hash per group instead of two.
        groups.setdefault(vat, _Group()).net += net
        line_net_total += net
    if keep_items:
        # In document order, whichever object holds each line's rate: the inclusive
        # reconciliation breaks ties by this order.
        for index, (line, net) in enumerate(zip(lines, line_nets, strict=True)):
            groups[line.vat].items.append(("line", index, net))

    applied_allowances: list[_Applied] = []
    applied_charges: list[_Applied] = []
    if allowances or charges or global_discount is not None:
        applied_allowances = [
            _apply_document_adjustment(a, groups, q, mode, cur, f"allowances[{i}]")
            for i, a in enumerate(allowances)
        ]
        applied_allowances += _spread_global_discount(global_discount, groups, q, mode, cur)
        applied_charges = [
            _apply_document_adjustment(c, groups, q, mode, cur, f"charges[{i}]")
            for i, c in enumerate(charges)
        ]
        for kind, sign, applied_list in (
            ("allowance", -1, applied_allowances),
            ("charge", 1, applied_charges),
        ):
            for i, (vat, amt, _base, _adj) in enumerate(applied_list):
                group = groups.get(vat)
                if group is None:
                    group = groups[vat] = _Group()
                group.adjustments += sign * amt
                if keep_items:
                    group.items.append((kind, i, sign * amt))

    stated = {s.vat: s.amount for s in stated_vat} if stated_vat else {}
    vat_total = zero
    breakdown: list[tuple[VatRate, Decimal, Decimal]] = []
    for vat, group in groups.items():
        rate = vat.rate
        if prices_include_vat:
            taxable, vat_amount = _reconcile_inclusive(
                group,
                vat,
                cur,
                rounding,
                per_line,
                stated.get(vat),
                line_nets,
                applied_allowances,
                applied_charges,
            )
        else:
            taxable = group.net + group.adjustments
            if per_line:
                vat_amount = sum(
                    ((item[2] * rate).quantize(q, rounding=mode) for item in group.items), _ZERO
                )
            else:
                vat_amount = _QUANTIZE(taxable * rate, q, mode)
            if stated and vat in stated:
                vat_amount = _use_stated(stated[vat], vat_amount, vat, cur)
        breakdown.append((vat, taxable, vat_amount))
        vat_total += vat_amount
    unknown = set(stated) - set(groups) if stated else None
    if unknown:
        raise DocumentError(
            "stated VAT for a rate no line uses",
            field="stated_vat",
            value=sorted(v.label for v in unknown),
        )

    if prices_include_vat:
        line_net_total = sum(line_nets, zero)
    allowance_total = sum((a[1] for a in applied_allowances), zero) if applied_allowances else zero
    charge_total = sum((c[1] for c in applied_charges), zero) if applied_charges else zero
    prepaid_amount = zero
    if prepaid is not None:
        _require_currency(prepaid, cur, "prepaid")
        prepaid_amount = prepaid.amount
    rounding_amount = zero
    if explicit_rounding is not None:
        _require_currency(explicit_rounding, cur, "rounding_amount")
        rounding_amount = explicit_rounding.amount
    elif cash_rounding and rounding.cash_increment is not None:
        # BT-114 is the only total needed here: the amount due is what gets rounded.
        tax_inclusive = line_net_total - allowance_total + charge_total + vat_total
        due_before_rounding = tax_inclusive - prepaid_amount
        rounding_amount = rounding.round_cash(due_before_rounding, cur) - due_before_rounding

    vat_tax_currency = None
    if tax_currency is not None:
        tcur = to_currency(tax_currency)
        if tax_exchange_rate is None:
            raise InvalidValue(
                "a tax currency needs an exchange rate",
                field="tax_exchange_rate",
                value=None,
                hint=f"give the number of {tcur.code} per {cur.code}",
            )
        xrate = to_decimal(tax_exchange_rate, "tax_exchange_rate")
        vat_tax_currency = FrozenMoney(rounding.round(vat_total * xrate, tcur), tcur)

    return Totals._trusted(
        currency=cur,
        line_nets=tuple(line_nets),
        line_adjustments=tuple(
            (i, amount, *line_adjustments.get(i, ((), ()))) for i, amount in line_amounts.items()
        )
        if line_amounts
        else (),
        allowances=tuple(_applied(a, False, cur) for a in applied_allowances)
        if applied_allowances
        else (),
        charges=tuple(_applied(c, True, cur) for c in applied_charges) if applied_charges else (),
        vat_groups=tuple(breakdown),
        bt106=line_net_total,
        bt107=allowance_total,
        bt108=charge_total,
        bt110=vat_total,
        bt113=prepaid_amount,
        bt114=rounding_amount,
        vat_total_tax_currency=vat_tax_currency,
    )


# An applied document adjustment while computing: (vat, amount, base, source or None).
_Applied = tuple[VatRate, Decimal, Decimal | None, Any]


def _adjustment_amount(
    adjustment: Any, base: Decimal, q: Decimal, mode: str, cur: Currency, field: str
) -> Decimal:
    if adjustment.percent is not None:
        result: Decimal = (base * adjustment.percent / _HUNDRED).quantize(q, rounding=mode)
        return result
    _require_currency(adjustment.amount, cur, field)
    amount: Decimal = adjustment.amount.amount
    return amount


def _apply_document_adjustment(
    adjustment: _DocumentAdjustment,
    groups: dict[VatRate, _Group],
    q: Decimal,
    mode: str,
    cur: Currency,
    field: str,
) -> _Applied:
    base: Decimal | None = None
    if adjustment.percent is not None:
        if adjustment.base is not None:
            _require_currency(adjustment.base, cur, f"{field}.base")
            base = adjustment.base.amount
        elif adjustment.vat in groups:
            base = groups[adjustment.vat].net
        else:
            raise DocumentError(
                "a percentage allowance or charge needs a base",
                field=f"{field}.base",
                value=None,
                hint=f"no line has VAT {adjustment.vat.label}: give base= explicitly",
            )
    amount = _adjustment_amount(adjustment, base or _ZERO, q, mode, cur, field)
    return (adjustment.vat, amount, base, adjustment)


def _spread_global_discount(
    discount: Any, groups: dict[VatRate, _Group], q: Decimal, mode: str, cur: Currency
) -> list[_Applied]:
    """Turn a global discount into one allowance per VAT rate (BR-32)."""
    if discount is None:
        return []
    positive = [(vat, g.net) for vat, g in groups.items() if g.net > 0]
    if discount.percent is not None and not positive:
        return []  # a percentage of nothing is nothing
    if not positive:
        raise DocumentError(
            "a global discount amount needs lines with a positive net amount",
            field="global_discount",
            value=discount.amount.amount,
            hint="give the discount as a percentage, or drop it",
        )
    if discount.percent is not None:
        return [
            (vat, (net * discount.percent / _HUNDRED).quantize(q, rounding=mode), net, discount)
            for vat, net in positive
        ]
    _require_currency(discount.amount, cur, "global_discount.amount")
    total_net = sum((net for _, net in positive), _ZERO)
    if discount.amount.amount > total_net:
        raise DocumentError(
            "the global discount exceeds the net amount of the lines",
            field="global_discount.amount",
            value=discount.amount.amount,
            hint=f"the lines total {total_net} {cur.code} before discount",
        )
    parts = allocate(discount.amount, [net for _, net in positive])
    return [
        (vat, part.amount, None, discount) for (vat, _), part in zip(positive, parts, strict=True)
    ]


def _applied(item: _Applied, is_charge: bool, cur: Currency) -> AppliedAdjustment:
    vat, amount, base, source = item
    is_global = isinstance(source, Discount)
    return AppliedAdjustment(
        is_charge=is_charge,
        amount=FrozenMoney(amount, cur),
        vat=vat,
        base=None if base is None else FrozenMoney(base, cur),
        percent=source.percent,
        reason=source.reason or ("Remise globale" if is_global else None),
        reason_code=source.reason_code,
    )


def _use_stated(stated: Money, computed: Decimal, vat: VatRate, cur: Currency) -> Decimal:
    _require_currency(stated, cur, "stated_vat")
    if abs(stated.amount - computed) > _ONE:
        raise DocumentError(
            "stated VAT is too far from the computed VAT",
            field="stated_vat",
            value=f"{vat.label}: {stated.amount} vs {computed}",
            hint="the EN 16931 schematron tolerates at most one currency unit (BR-CO-17)",
        )
    amount: Decimal = stated.amount
    return amount


def _reconcile_inclusive(
    group: _Group,
    vat: VatRate,
    cur: Currency,
    rounding: RoundingPolicy,
    per_line: bool,
    stated: Money | None,
    line_nets: list[Decimal],
    applied_allowances: list[_Applied],
    applied_charges: list[_Applied],
) -> tuple[Decimal, Decimal]:
    """Reconcile a TTC-priced VAT group: keep the TTC, derive HT and VAT (EN 16931-1).

    Replaces, in place, the group's line nets and adjustment amounts by their
    amounts excluding VAT; returns (taxable HT, VAT).
    """
    rate = vat.rate
    divisor = _ONE + rate
    inclusive = sum((item[2] for item in group.items), _ZERO)
    exact = [item[2] / divisor for item in group.items]
    if per_line:
        exclusive_items = [rounding.round(x, cur) for x in exact]
        taxable = sum(exclusive_items, _ZERO)
        if stated is None:
            return taxable, _replace_exclusive(
                group,
                exclusive_items,
                inclusive - taxable,
                line_nets,
                applied_allowances,
                applied_charges,
            )
    else:
        taxable = rounding.round(inclusive / divisor, cur)
    if stated is not None:
        # The stated VAT (checked against the VAT computed above) fixes the split of the
        # TTC; the taxable amount is then spread over the items in proportion.
        vat_amount = _use_stated(stated, inclusive - taxable, vat, cur)
        taxable = inclusive - vat_amount
        if inclusive == 0:
            if taxable != 0:
                raise DocumentError(
                    "stated VAT on a VAT group that nets to zero",
                    field="stated_vat",
                    value=stated.amount,
                )
        else:
            exact = [item[2] * taxable / inclusive for item in group.items]
    exclusive_items = split_to_total(exact, taxable, cur)
    return taxable, _replace_exclusive(
        group, exclusive_items, inclusive - taxable, line_nets, applied_allowances, applied_charges
    )


def _replace_exclusive(
    group: _Group,
    exclusive_items: list[Decimal],
    vat_amount: Decimal,
    line_nets: list[Decimal],
    applied_allowances: list[_Applied],
    applied_charges: list[_Applied],
) -> Decimal:
    """Put the amounts excluding VAT back in place of the inclusive ones; return the VAT."""
    for (kind, index, _), exclusive in zip(group.items, exclusive_items, strict=True):
        if kind == "line":
            line_nets[index] = exclusive
        else:
            target = applied_allowances if kind == "allowance" else applied_charges
            vat, _amount, base, source = target[index]
            target[index] = (vat, -exclusive if kind == "allowance" else exclusive, base, source)
    return vat_amount
