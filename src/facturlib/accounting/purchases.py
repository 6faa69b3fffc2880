"""Booking received invoices: the purchase journal (HA), supplier payments and lettering.

A received invoice — typically read with `facturlib.read_einvoice` — is booked in
the purchase journal with the accounts of a `PurchaseChart` (PCG 2025):

* **C 401** the supplier (collective account, with the supplier's auxiliary account),
  for the amount due; a prepaid amount (BT-113) clears the advance paid, **C 4091**;
* **D 6xx / 2xx** each line's net amount, on the account found, in this order, by the
  line's product id, by the supplier, by the VAT rate, else the default purchase
  account (``606000``); document charges (BG-21) on the charges account, document
  allowances (BG-20) on **609** (rabais, remises et ristournes obtenus);
* **D 44566** the deductible VAT on goods and services, **D 44562** the part of it on
  fixed assets (lines booked on a class-2 account), per rate (CGI 271);
* **reverse charge and intra-EU acquisitions** (category AE or K on the supplier's
  invoice, CGI 283-2 and 256 bis): the buyer self-assesses the VAT at the French
  rate of the chart (20 % by default): **D 44566** (44562 for assets) and **C 4452**
  (TVA due intracommunautaire) — the entry stays balanced and the VAT costs nothing
  when fully deductible.

A credit note received is the reverse entry. `book_supplier_payment` books a payment
to a supplier in the bank journal (D 401 / C 512), and `facturlib.letter` matches
the supplier-account lines of an invoice, its credit notes and its payments (pass
`PaymentAllocation`\\s naming the supplier invoice numbers). The entries go through
the same ledger, trial balance and FEC export as the sales entries.

>>> from datetime import date
>>> from facturlib.core.issuing import issue
>>> from facturlib.core.numbering import SequenceState
>>> from facturlib.testing.builders import sample_invoice, sample_scheme
>>> supplier_invoice, _ = issue(sample_invoice(), sample_scheme(), SequenceState(),
...                             on=date(2025, 1, 15))
>>> entry = book_purchase(supplier_invoice)
>>> for line in entry.lines:
...     print(line.account.number, line.auxiliary, line.amount.amount)
401000 732829320 -1440.00
606000 None 1200.00
445660 None 240.00
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs
from moneyed import Money

from facturlib.accounting.accounts import Account, Journal, _is_account, _pairs, _rate_pairs
from facturlib.accounting.journal import JournalEntry, JournalLine
from facturlib.core._codes import DocumentKind
from facturlib.core._validators import check_date, check_instance, is_date, is_text, to_decimal
from facturlib.core.documents import Invoice
from facturlib.core.errors import LedgerError
from facturlib.core.money import allocate, minor_units
from facturlib.core.vat import VatCategory

__all__ = ["PurchaseChart", "SupplierPayment", "book_purchase", "book_supplier_payment"]

_ZERO = Decimal(0)
_SELF_ASSESSED = frozenset({VatCategory.AE, VatCategory.K})


# The PCG preset (module constants: attrs defaults are shared, and values are immutable).
_SUPPLIERS = Account("401000", "Fournisseurs")
_ADVANCES = Account("409100", "Fournisseurs - avances et acomptes versés")
_DEFAULT = Account("606000", "Achats non stockés de matières et fournitures")
_CHARGES = Account("624100", "Transports sur achats")
_ALLOWANCES = Account("609000", "Rabais, remises et ristournes obtenus sur achats")
_VAT_DEDUCTIBLE = Account("445660", "TVA déductible sur autres biens et services")
_VAT_DEDUCTIBLE_ASSETS = Account("445620", "TVA déductible sur immobilisations")
_VAT_SELF_ASSESSED = Account("445200", "TVA due intracommunautaire")
_BANK = Account("512000", "Banque")
_PURCHASE_JOURNAL = Journal("HA", "Achats")
_BANK_JOURNAL = Journal("BQ", "Banque")


def _rate(value: Any) -> Decimal:
    result = to_decimal(value, "self_assessment_rate")
    if not 0 < result < 100:
        raise LedgerError(
            "a self-assessment rate is a percentage above 0 and under 100",
            field="self_assessment_rate",
            value=value,
            hint='e.g. Decimal("20")',
        )
    return result


@attrs.frozen(kw_only=True)
class PurchaseChart:
    """The accounts purchase entries use; the defaults are the PCG preset.

    Attributes:
        suppliers: the collective supplier account (401000).
        auxiliary_accounts: supplier key (`Party.key`) → auxiliary account number;
            a supplier not listed uses its key.
        advances: advances and deposits paid on orders (409100), cleared by BT-113.
        by_product: product id (BT-155) → purchase account.
        by_supplier: supplier key → purchase account.
        by_vat_rate: VAT rate in percent → purchase account.
        default: the purchase account otherwise (606000).
        charges: document charges (BG-21), e.g. carriage (624100).
        allowances: document allowances obtained (609000).
        vat_deductible: deductible VAT on goods and services (445660).
        vat_deductible_assets: deductible VAT on fixed assets (445620).
        vat_self_assessed: VAT self-assessed on reverse-charge and intra-EU purchases
            (445200).
        self_assessment_rate: the French rate applied to them (20 by default).
        bank: the bank account payments leave from (512000).
        purchase_journal / bank_journal: the HA and BQ journals.

    .. versionadded:: 0.2
    """

    suppliers: Account = _SUPPLIERS
    auxiliary_accounts: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_pairs)
    advances: Account = _ADVANCES
    by_product: tuple[tuple[str, Account], ...] = attrs.field(default=(), converter=_pairs)
    by_supplier: tuple[tuple[str, Account], ...] = attrs.field(default=(), converter=_pairs)
    by_vat_rate: tuple[tuple[Decimal, Account], ...] = attrs.field(
        default=(), converter=_rate_pairs
    )
    default: Account = _DEFAULT
    charges: Account = _CHARGES
    allowances: Account = _ALLOWANCES
    vat_deductible: Account = _VAT_DEDUCTIBLE
    vat_deductible_assets: Account = _VAT_DEDUCTIBLE_ASSETS
    vat_self_assessed: Account = _VAT_SELF_ASSESSED
    self_assessment_rate: Decimal = attrs.field(default=Decimal(20), converter=_rate)
    bank: Account = _BANK
    purchase_journal: Journal = _PURCHASE_JOURNAL
    bank_journal: Journal = _BANK_JOURNAL

    def __attrs_post_init__(self) -> None:
        kinds: dict[str, tuple[type, type]] = {
            "auxiliary_accounts": (str, str),
            "by_product": (str, Account),
            "by_supplier": (str, Account),
            "by_vat_rate": (Decimal, Account),
        }
        for name, (key_kind, value_kind) in kinds.items():
            pairs = getattr(self, name)
            if not isinstance(pairs, tuple):
                raise LedgerError(
                    f"expected a mapping or (key, value) pairs, got {type(pairs).__name__}",
                    field=name,
                    value=pairs,
                    hint='e.g. {"732829320": Account("604000", "Prestations")}',
                )
            for key, value in pairs:
                if not isinstance(key, key_kind) or not isinstance(value, value_kind):
                    raise LedgerError(
                        f"cannot map {key!r} to {value!r}",
                        field=f"{name}[{key!r}]",
                        value=value,
                        hint=f"map a {key_kind.__name__} to a {value_kind.__name__}",
                    )
        for field in attrs.fields(PurchaseChart):
            value = getattr(self, field.name)
            if isinstance(field.default, Account):
                _is_account(self, field, value)
            elif isinstance(field.default, Journal) and not isinstance(value, Journal):
                raise LedgerError(
                    f"expected a Journal, got {type(value).__name__}",
                    field=field.name,
                    value=value,
                    hint="build it with Journal('HA', 'Achats')",
                )

    def auxiliary_account(self, supplier: str) -> str:
        """The auxiliary account number (FEC CompAuxNum) of the supplier with key *supplier*."""
        return str(dict(self.auxiliary_accounts).get(supplier, supplier))

    def account_for(
        self, product_id: str | None, supplier: str, percent: Decimal | None
    ) -> Account:
        """The purchase account of a line: by product, by supplier, by VAT rate, else default."""
        if product_id is not None:
            found = dict(self.by_product).get(product_id)
            if found is not None:
                return found
        found = dict(self.by_supplier).get(supplier)
        if found is not None:
            return found
        if percent is not None:
            found = dict(self.by_vat_rate).get(percent)
            if found is not None:
                return found
        return self.default


_DEFAULT_CHART = PurchaseChart()


def _is_asset(account: Account) -> bool:
    """Class 2 of the PCG: fixed assets (immobilisations)."""
    return account.number.startswith("2")


def book_purchase(
    document: Invoice, *, chart: PurchaseChart = _DEFAULT_CHART, on: dt.date | None = None
) -> JournalEntry:
    """The purchase-journal entry (HA) of a received invoice or credit note.

    Args:
        document: the received `Invoice` (issued by the supplier, e.g. from
            `facturlib.read_einvoice`): an invoice, deposit or corrective invoice,
            or a credit note (booked in reverse).
        chart: the `PurchaseChart`.
        on: the booking date, by default the invoice's issue date.

    Returns:
        A balanced `JournalEntry` in the purchase journal, piece = the supplier's number.

    Raises:
        LedgerError: a draft or proforma, not an `Invoice`, an invoice of zero.

    .. versionadded:: 0.2
    """
    check_instance(document, Invoice, "document", error=LedgerError, hint="pass an Invoice")
    check_instance(chart, PurchaseChart, "chart", error=LedgerError, hint="pass a PurchaseChart")
    check_date(on, "on", optional=True, error=LedgerError)
    if not document.is_issued or document.number is None or document.issue_date is None:
        raise LedgerError(
            "a draft has no accounting effect",
            field="document",
            value=document.number,
            hint="book the invoice the supplier issued (read_einvoice gives an issued one)",
        )
    day = on or document.issue_date
    sign = -1 if document.kind is DocumentKind.CREDIT_NOTE else 1
    totals = document.totals()
    cur = totals.currency
    supplier = document.seller
    key = supplier.key
    postings: dict[str, tuple[Account, Decimal]] = {}

    def post(account: Account, amount: Decimal) -> None:
        previous = postings.get(account.number, (account, _ZERO))[1]
        postings[account.number] = (account, previous + amount)

    # Net amounts, and per VAT group the part booked on fixed assets.
    asset_net: dict[tuple[VatCategory, Decimal | None], Decimal] = {}
    group_net: dict[tuple[VatCategory, Decimal | None], Decimal] = {}
    for line, net in zip(document.lines, totals.line_nets, strict=True):
        account = chart.account_for(line.product_id, key, line.vat.percent)
        post(account, net)
        group = (line.vat.category, line.vat.percent)
        group_net[group] = group_net.get(group, _ZERO) + net
        if _is_asset(account):
            asset_net[group] = asset_net.get(group, _ZERO) + net
    for charge in totals.charges:
        post(chart.charges, charge.amount.amount)
    for allowance in totals.allowances:
        post(chart.allowances, -allowance.amount.amount)
    # VAT: deductible as invoiced, or self-assessed for reverse charge / intra-EU.
    quantum = Decimal(1).scaleb(-minor_units(cur))
    for vat, taxable, amount in totals.vat_groups:
        group = (vat.category, vat.percent)
        if vat.category in _SELF_ASSESSED:
            due = (taxable * chart.self_assessment_rate / 100).quantize(
                quantum, rounding=ROUND_HALF_UP
            )
            if due:
                post(chart.vat_self_assessed, -due)
        else:
            due = amount
        if not due:
            continue
        net_all = group_net.get(group, _ZERO)
        on_assets = asset_net.get(group, _ZERO)
        if on_assets and net_all and on_assets != net_all:
            parts = allocate(Money(due, cur), [on_assets, net_all - on_assets])
            post(chart.vat_deductible_assets, parts[0].amount)
            post(chart.vat_deductible, parts[1].amount)
        elif on_assets and on_assets == net_all:
            post(chart.vat_deductible_assets, due)
        else:
            post(chart.vat_deductible, due)
    if totals.bt114:
        post(chart.default, totals.bt114)
    name = supplier.name
    label = f"{'Avoir' if sign < 0 else 'Facture'} {document.number} {name}"
    lines = []
    if totals.bt115:
        lines.append(
            JournalLine.of(
                chart.suppliers,
                Money(-totals.bt115 * sign, cur),
                auxiliary=chart.auxiliary_account(key),
                auxiliary_label=name,
                due_date=document.due_date,
            )
        )
    if totals.bt113:
        lines.append(JournalLine.of(chart.advances, Money(-totals.bt113 * sign, cur)))
    for account, amount in postings.values():
        if amount:
            lines.append(JournalLine.of(account, Money(amount * sign, cur)))
    if len(lines) < 2:
        raise LedgerError(
            "the invoice moves no amount: there is nothing to book",
            field="document",
            value=document.number,
            hint="leave zero invoices out of the purchase journal",
        )
    return JournalEntry(
        journal=chart.purchase_journal,
        date=day,
        piece=document.number,
        label=label,
        lines=lines,
        piece_date=document.issue_date,
    )


def _positive(instance: object, attribute: attrs.Attribute[Money], value: object) -> None:
    if not isinstance(value, Money) or value.amount <= 0:
        raise LedgerError(
            "a supplier payment is a positive Money amount",
            field="amount",
            value=value,
            hint='e.g. to_money("1440.00", "EUR")',
        )


@attrs.frozen(kw_only=True)
class SupplierPayment:
    """A payment made to a supplier.

    Attributes:
        id: its reference (the FEC PieceRef of the bank entry).
        supplier: the supplier's key (`Party.key` of the invoice's seller).
        supplier_name: its name (FEC CompAuxLib).
        amount: the amount paid, positive.
        date: the day it left the bank.

    .. versionadded:: 0.2
    """

    id: str = attrs.field(validator=is_text)
    supplier: str = attrs.field(validator=is_text)
    supplier_name: str = attrs.field(validator=is_text)
    amount: Money = attrs.field(validator=_positive)
    date: dt.date = attrs.field(validator=is_date)


def book_supplier_payment(
    payment: SupplierPayment, *, chart: PurchaseChart = _DEFAULT_CHART
) -> JournalEntry:
    """The bank-journal entry of a supplier payment: D 401 (supplier) / C 512.

    >>> from datetime import date
    >>> from facturlib.core.money import to_money
    >>> paid = SupplierPayment(id="VIR-7", supplier="732829320", supplier_name="Atelier",
    ...                        amount=to_money("1440.00", "EUR"), date=date(2025, 2, 10))
    >>> [(l.account.number, l.amount.amount) for l in book_supplier_payment(paid).lines]
    [('401000', Decimal('1440.00')), ('512000', Decimal('-1440.00'))]

    .. versionadded:: 0.2
    """
    check_instance(payment, SupplierPayment, "payment", error=LedgerError)
    check_instance(chart, PurchaseChart, "chart", error=LedgerError, hint="pass a PurchaseChart")
    return JournalEntry(
        journal=chart.bank_journal,
        date=payment.date,
        piece=payment.id,
        label=f"Règlement {payment.supplier_name}",
        lines=[
            JournalLine.of(
                chart.suppliers,
                payment.amount,
                auxiliary=chart.auxiliary_account(payment.supplier),
                auxiliary_label=payment.supplier_name,
            ),
            JournalLine.of(chart.bank, -payment.amount),
        ],
    )
