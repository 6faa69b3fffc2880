"""The chart of accounts: which ledger account each amount of a sale goes to.

A `ChartOfAccounts` maps every amount a journal entry needs to an `Account` of the
French chart of accounts (PCG 2025, ANC 2022-06) and names the
`Journal`\\s entries go to. Its defaults are the PCG preset:

* **411000** customers, with an *auxiliary account* per customer (FEC CompAuxNum,
  by default the buyer's `facturlib.Party.key`, e.g. ``CLI0001``); a customer may
  also get its own collective account;
* **419100** advances received on orders (deposit invoices);
* **44571x** VAT collected, one sub-account per rate (445711 at 20 %, 445712 at
  10 %, 445713 at 5.5 %, 445714 at 2.1 %, 445715 at 8.5 %); **44574x** VAT on
  services not yet due (VAT on receipts, a 4458 sub-account: "44574" is common
  practice, not PCG); **445870** VAT on invoices to issue;
* revenue by `RevenueKind`: **701** production sold, **706** services, **707**
  goods, **708** ancillary activities, **7085** shipping charged; **709x** rebates
  granted on each; **709000** allowances granted on invoices; **665** early-payment
  discounts granted (escompte);
* **512** bank, **627** bank fees, **487** deferred revenue (PCA), **4181**
  invoices to issue (FAE), **7631** late-payment interest, **7581** the €40 recovery
  indemnity;
* journals **VT** sales, **BQ** bank, **OD** miscellaneous.

Everything is configurable: an account per product, per VAT rate, per customer,
analytic codes 1 and 2 per product, the journal codes, and the VAT regime —
``vat_on_receipts=True`` for a service provider that did not opt for VAT on debits
(CGI 269-2). A line whose product has no mapping and no default
raises `LedgerError` naming the product to map; so does a VAT rate without an
account.

>>> from decimal import Decimal
>>> chart = ChartOfAccounts()
>>> chart.vat_account(Decimal("20")).number
'445711'
>>> chart = chart.with_product("BK-1", kind=RevenueKind.GOODS, analytics=("LIBRAIRIE", None))
>>> chart.revenue_account("BK-1").number, chart.analytics("BK-1")
('707000', ('LIBRAIRIE', None))
>>> chart.vat_account(Decimal("19.6"))
Traceback (most recent call last):
...
facturlib.core.errors.LedgerError: no VAT account for the rate 19.6 % ...
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs
from moneyed import Currency

from facturlib.core._validators import instance_of, is_bool, optional_str, to_decimal
from facturlib.core.errors import LedgerError
from facturlib.core.money import currency as to_currency

__all__ = ["Account", "ChartOfAccounts", "Journal", "RevenueKind"]

#: FEC rule: CompteNum starts with the 3 digits of a PCG class/account (LPF A47 A-1).
_ACCOUNT_NUMBER = re.compile(r"^[0-9]{3}[0-9A-Za-z]{0,37}$")
_JOURNAL_CODE = re.compile(r"^[0-9A-Za-z]{1,10}$")
# Tab and pipe separate FEC fields; every character str.splitlines() breaks a line at
# separates records (a file check reading lines would split the record there).
_FORBIDDEN = re.compile("[\t|\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _one_line(field: str, hint: str) -> Callable[[Any], str]:
    """A converter for a required one-line text (no tab, pipe or line break: FEC separators).

    Private to facturlib (the journal and FEC modules use it too).
    """

    def convert(value: Any) -> str:
        if value is not None and (not isinstance(value, str | int) or isinstance(value, bool)):
            raise LedgerError(
                f"expected a str, got {type(value).__name__}", field=field, value=value, hint=hint
            )
        text = optional_str(value)
        if text is None:
            raise LedgerError(f"{field} must not be empty", field=field, value=value, hint=hint)
        if _FORBIDDEN.search(text):
            raise LedgerError(
                f"{field} must not contain a tab, a pipe, a line break or a separator",
                field=field,
                value=text,
                hint="they separate fields and records in an FEC file (LPF A47 A-1)",
            )
        return text

    return convert


def _account_label(value: Any) -> str:
    return _one_line("label", "give the account's name, e.g. 'Clients'")(value)


def _journal_label(value: Any) -> str:
    return _one_line("label", "e.g. 'Ventes', 'Banque'")(value)


def _code_text(value: Any) -> str:
    """An account number or journal code given as text (or a whole number, ``411000``):
    never a float, a Decimal or anything ``str`` would turn into letters."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise LedgerError(
        f"an account number or journal code is text, not a {type(value).__name__}",
        field="code",
        value=value,
        hint="write it as text, e.g. '411000' or 'VT'",
    )


@attrs.frozen
class Account:
    """A general ledger account: its number (FEC CompteNum) and label (CompteLib).

    Raises:
        LedgerError: a number that does not start with three PCG digits, or an empty label.

    >>> Account("706000", "Prestations de services").number
    '706000'

    .. versionadded:: 0.1
    """

    number: str = attrs.field(converter=_code_text)
    label: str = attrs.field(converter=_account_label)

    @number.validator
    def _check_number(self, attribute: attrs.Attribute[str], value: str) -> None:
        if not _ACCOUNT_NUMBER.match(value):
            raise LedgerError(
                "an account number starts with three PCG digits, then letters or digits",
                field="number",
                value=value,
                hint="e.g. '411000', '445711' or '706SAAS' (FEC CompteNum)",
            )


@attrs.frozen
class Journal:
    """An accounting journal: its code (FEC JournalCode) and label (JournalLib).

    >>> Journal("VT", "Ventes")
    Journal(code='VT', label='Ventes')

    .. versionadded:: 0.1
    """

    code: str = attrs.field(converter=_code_text)
    label: str = attrs.field(converter=_journal_label)

    @code.validator
    def _check_code(self, attribute: attrs.Attribute[str], value: str) -> None:
        if not _JOURNAL_CODE.match(value):
            raise LedgerError(
                "a journal code is 1 to 10 letters or digits",
                field="code",
                value=value,
                hint="e.g. 'VT' (sales), 'BQ' (bank), 'OD' (miscellaneous)",
            )


class RevenueKind(enum.Enum):
    """What a line sells, which picks its revenue (70x) and rebate (709x) accounts.

    `is_service` tells which kinds follow the VAT chargeability of services (on
    receipt of payment unless the seller opted for VAT on debits).

    .. versionadded:: 0.1
    """

    PRODUCTION = "701"  #: finished products sold
    SERVICES = "706"  #: services rendered
    GOODS = "707"  #: goods bought for resale
    ANCILLARY = "708"  #: ancillary activities (rentals, commissions…)
    SHIPPING = "7085"  #: shipping and transport charged

    @property
    def is_service(self) -> bool:
        """Whether VAT on receipts applies to this kind (services and ancillary services)."""
        return self in (RevenueKind.SERVICES, RevenueKind.ANCILLARY)


def _pcg_revenue() -> tuple[tuple[RevenueKind, Account], ...]:
    return (
        (RevenueKind.PRODUCTION, Account("701000", "Ventes de produits finis")),
        (RevenueKind.SERVICES, Account("706000", "Prestations de services")),
        (RevenueKind.GOODS, Account("707000", "Ventes de marchandises")),
        (RevenueKind.ANCILLARY, Account("708000", "Produits des activités annexes")),
        (RevenueKind.SHIPPING, Account("708500", "Ports et frais accessoires facturés")),
    )


def _pcg_rebates() -> tuple[tuple[RevenueKind, Account], ...]:
    return (
        (RevenueKind.PRODUCTION, Account("709100", "RRR accordés sur ventes de produits")),
        (RevenueKind.SERVICES, Account("709600", "RRR accordés sur prestations de services")),
        (RevenueKind.GOODS, Account("709700", "RRR accordés sur ventes de marchandises")),
        (RevenueKind.ANCILLARY, Account("709800", "RRR accordés sur activités annexes")),
        (RevenueKind.SHIPPING, Account("709800", "RRR accordés sur activités annexes")),
    )


_RATES = ("20", "10", "5.5", "2.1", "8.5")


def _pcg_vat() -> tuple[tuple[Decimal, Account], ...]:
    return tuple(
        (Decimal(rate), Account(f"44571{i}", f"TVA collectée {rate.replace('.', ',')} %"))
        for i, rate in enumerate(_RATES, start=1)
    )


def _pcg_vat_pending() -> tuple[tuple[Decimal, Account], ...]:
    return tuple(
        (
            Decimal(rate),
            Account(f"44574{i}", f"TVA sur encaissements à régulariser {rate.replace('.', ',')} %"),
        )
        for i, rate in enumerate(_RATES, start=1)
    )


def _pairs(value: Any) -> tuple[tuple[Any, Any], ...]:
    """Converter: a mapping or pairs to a tuple of pairs (hashable, immutable).

    Anything else is left as it is for `ChartOfAccounts` to refuse, naming the field.
    """
    items = value.items() if isinstance(value, Mapping) else value
    if isinstance(items, str | bytes):
        return items  # type: ignore[return-value]
    try:
        return tuple((key, item) for key, item in items)
    except (TypeError, ValueError):
        return value  # type: ignore[no-any-return]


def _rate_pairs(value: Any) -> tuple[tuple[Decimal, Account], ...]:
    pairs = _pairs(value)
    if not isinstance(pairs, tuple):
        return pairs
    return tuple((to_decimal(rate, "vat rate").normalize(), acc) for rate, acc in pairs)


#: The mapping fields of a chart: what their keys and values are.
_PAIR_FIELDS: dict[str, tuple[type | tuple[type, ...], type | tuple[type, ...], str]] = {
    "customer_accounts": (str, Account, "customer key → Account('411100', 'Clients groupe')"),
    "auxiliary_accounts": (str, str, "customer key → auxiliary account number, e.g. 'CLI0001'"),
    "vat_rates": (Decimal, Account, "VAT rate → Account('445711', 'TVA collectée 20 %')"),
    "vat_pending_rates": (Decimal, Account, "VAT rate → Account('445741', 'TVA 20 %')"),
    "revenue": (RevenueKind, Account, "RevenueKind → Account('706000', 'Prestations')"),
    "rebates": (RevenueKind, Account, "RevenueKind → Account('709600', 'RRR')"),
    "products": (str, RevenueKind, "product id → RevenueKind.SERVICES"),
    "product_accounts": (str, Account, "product id → Account('706100', 'Abonnements')"),
    "product_analytics": (str, tuple, "product id → (analytic code 1, analytic code 2)"),
}


_KIND_HINT = "use a RevenueKind member, e.g. RevenueKind.SERVICES"


def _is_account(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Account):
        raise LedgerError(
            f"expected an Account, got {type(value).__name__}",
            field=attribute.name,
            value=value,
            hint="build it with Account('706000', 'Prestations de services')",
        )


def _book_currency(value: Any) -> Currency:
    return to_currency(value)


@attrs.frozen(kw_only=True)
class ChartOfAccounts:
    """The accounts and journals journal entries use; the defaults are the PCG preset.

    Attributes:
        customers: the collective customer account (411000).
        customer_accounts: customer key → its own collective account (e.g. 411100 for
            group companies).
        auxiliary_accounts: customer key → auxiliary account number (FEC CompAuxNum);
            a customer not listed uses its key.
        advances: advances and deposits received on orders (419100).
        vat_rates: VAT rate in percent → VAT collected account (44571x).
        vat_collected: the VAT collected account for rates not in *vat_rates*;
            ``None`` (the default) makes an unmapped rate an error.
        vat_pending_rates: VAT rate → account holding VAT on services not yet due (44574x).
        vat_pending: the VAT-on-receipts account for rates not in *vat_pending_rates*.
        vat_accrued: VAT on invoices to issue (445870).
        revenue: `RevenueKind` → revenue account (701/706/707/708/7085).
        rebates: `RevenueKind` → rebates granted account (7091/7096/7097/7098).
        products: product id (`facturlib.Line.product_id`) → `RevenueKind`.
        product_accounts: product id → revenue account (wins over its kind).
        product_analytics: product id → (analytic code 1, analytic code 2).
        default_kind: the kind of lines whose product is not mapped; ``None`` makes
            such a line an error naming the product.
        charges_kind: the kind of document charges (BG-21), shipping by default.
        allowances: document allowances and global discounts granted on invoices (709000).
        discounts: early-payment discounts granted, escompte (665000).
        bank: the bank account payments arrive on (512000).
        bank_fees: bank fees on rejected direct debits (627000).
        deferred_revenue: deferred revenue, PCA (487000).
        accrued_revenue: invoices to issue, FAE (418100).
        late_interest: late-payment interest (763100).
        indemnities: the fixed recovery indemnity (758100).
        rounding_gains / rounding_losses: cash rounding (BT-114) gains and losses; the
            losses account also takes small settlement differences written off.
        bad_debts: balances written off (654000, pertes sur créances irrécouvrables;
            ``versionadded 0.2``).
        sales_journal / bank_journal / misc_journal: the VT, BQ and OD journals.
        vat_on_receipts: VAT on services is due on payment (CGI 269-2), so it waits on
            the 44574x accounts until the invoice is paid; ``False`` (the default)
            is VAT on debits.
        currency: the currency the books are kept in (``EUR``, C. com. L123-22); a
            document or payment in another currency is booked at its exchange rate
            (``versionadded 0.2``).
        exchange_losses / exchange_gains: exchange differences on commercial
            receivables, 656000 and 756000 (PCG art. 420-5, ANC regulation 2015-05;
            ``versionadded 0.2``).

    .. versionadded:: 0.1
    """

    customers: Account = Account("411000", "Clients")
    customer_accounts: tuple[tuple[str, Account], ...] = attrs.field(default=(), converter=_pairs)
    auxiliary_accounts: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_pairs)
    advances: Account = Account("419100", "Clients - avances et acomptes reçus")
    vat_rates: tuple[tuple[Decimal, Account], ...] = attrs.field(
        factory=_pcg_vat, converter=_rate_pairs
    )
    vat_collected: Account | None = None
    vat_pending_rates: tuple[tuple[Decimal, Account], ...] = attrs.field(
        factory=_pcg_vat_pending, converter=_rate_pairs
    )
    vat_pending: Account | None = None
    vat_accrued: Account = Account("445870", "TVA sur factures à établir")
    revenue: tuple[tuple[RevenueKind, Account], ...] = attrs.field(
        factory=_pcg_revenue, converter=_pairs
    )
    rebates: tuple[tuple[RevenueKind, Account], ...] = attrs.field(
        factory=_pcg_rebates, converter=_pairs
    )
    products: tuple[tuple[str, RevenueKind], ...] = attrs.field(default=(), converter=_pairs)
    product_accounts: tuple[tuple[str, Account], ...] = attrs.field(default=(), converter=_pairs)
    product_analytics: tuple[tuple[str, tuple[str | None, str | None]], ...] = attrs.field(
        default=(), converter=_pairs
    )
    default_kind: RevenueKind | None = attrs.field(
        default=RevenueKind.SERVICES,
        validator=instance_of(RevenueKind, optional=True, error=LedgerError, hint=_KIND_HINT),
    )
    charges_kind: RevenueKind = attrs.field(
        default=RevenueKind.SHIPPING,
        validator=instance_of(RevenueKind, error=LedgerError, hint=_KIND_HINT),
    )
    allowances: Account = Account("709000", "Rabais, remises et ristournes accordés")
    discounts: Account = Account("665000", "Escomptes accordés")
    bank: Account = Account("512000", "Banque")
    bank_fees: Account = Account("627000", "Services bancaires et assimilés")
    deferred_revenue: Account = Account("487000", "Produits constatés d'avance")
    accrued_revenue: Account = Account("418100", "Clients - factures à établir")
    late_interest: Account = Account("763100", "Revenus des créances commerciales")
    indemnities: Account = Account("758100", "Dédits et pénalités perçus")
    rounding_gains: Account = Account("758000", "Produits divers de gestion courante")
    rounding_losses: Account = Account("658000", "Charges diverses de gestion courante")
    bad_debts: Account = Account("654000", "Pertes sur créances irrécouvrables")
    sales_journal: Journal = Journal("VT", "Ventes")
    bank_journal: Journal = Journal("BQ", "Banque")
    misc_journal: Journal = Journal("OD", "Opérations diverses")
    vat_on_receipts: bool = attrs.field(default=False, validator=is_bool)
    currency: Currency = attrs.field(default=to_currency("EUR"), converter=_book_currency)
    exchange_losses: Account = Account(
        "656000", "Pertes de change sur créances et dettes commerciales"
    )
    exchange_gains: Account = Account(
        "756000", "Gains de change sur créances et dettes commerciales"
    )

    def __attrs_post_init__(self) -> None:
        for name, (key_kind, value_kind, hint) in _PAIR_FIELDS.items():
            pairs = getattr(self, name)
            if not isinstance(pairs, tuple):
                raise LedgerError(
                    f"expected a mapping or (key, value) pairs, got {type(pairs).__name__}",
                    field=name,
                    value=pairs,
                    hint=f"map {hint}",
                )
            for key, value in pairs:
                if not isinstance(key, key_kind) or not isinstance(value, value_kind):
                    raise LedgerError(
                        f"cannot map {key!r} to {value!r}",
                        field=f"{name}[{key!r}]",
                        value=value,
                        hint=f"map {hint}",
                    )
        for field in attrs.fields(ChartOfAccounts):
            value = getattr(self, field.name)
            if isinstance(field.default, Account) or (
                field.name in ("vat_collected", "vat_pending") and value is not None
            ):
                _is_account(self, field, value)
            elif isinstance(field.default, Journal) and not isinstance(value, Journal):
                raise LedgerError(
                    f"expected a Journal, got {type(value).__name__}",
                    field=field.name,
                    value=value,
                    hint="build it with Journal('VT', 'Ventes')",
                )
        for name in ("revenue", "rebates"):
            kinds = dict(getattr(self, name))
            missing = [kind.name for kind in RevenueKind if kind not in kinds]
            if missing:
                raise LedgerError(
                    f"{name} has no account for {', '.join(missing)}",
                    field=name,
                    value=missing,
                    hint="map every RevenueKind to an Account",
                )
        for product, kind in self.products:
            if not isinstance(kind, RevenueKind):
                raise LedgerError(
                    "expected a RevenueKind", field=f"products[{product!r}]", value=kind
                )

    # Lookups -----------------------------------------------------------------------

    @functools.cached_property
    def _maps(self) -> dict[str, dict[Any, Any]]:
        return {
            name: dict(getattr(self, name))
            for name in (
                "customer_accounts",
                "auxiliary_accounts",
                "vat_rates",
                "vat_pending_rates",
                "revenue",
                "rebates",
                "products",
                "product_accounts",
                "product_analytics",
            )
        }

    def customer_account(self, customer: str) -> Account:
        """The collective account (411…) of the customer with key *customer*.

        .. versionadded:: 0.1
        """
        found: Account = self._maps["customer_accounts"].get(customer, self.customers)
        return found

    def auxiliary_account(self, customer: str) -> str:
        """The auxiliary account number (FEC CompAuxNum) of the customer with key *customer*.

        .. versionadded:: 0.1
        """
        return str(self._maps["auxiliary_accounts"].get(customer, customer))

    def kind(self, product_id: str | None, description: str | None = None) -> RevenueKind:
        """The `RevenueKind` of a line selling *product_id*.

        Raises:
            LedgerError: the product is not mapped and the chart has no `default_kind`.

        .. versionadded:: 0.1
        """
        found: RevenueKind | None = self._maps["products"].get(product_id, self.default_kind)
        if found is None:
            what = f"product {product_id!r}" if product_id else f"line {description!r}"
            raise LedgerError(
                f"no revenue account for {what}",
                field="products",
                value=product_id or description,
                hint=(
                    "map it with chart.with_product(product_id, kind=RevenueKind.SERVICES) "
                    "or give the chart a default_kind"
                ),
            )
        return found

    def revenue_account(
        self, product_id: str | None, description: str | None = None, *, rebate: bool = False
    ) -> Account:
        """The revenue account (70x) — or with *rebate*, the rebates account (709x) — of a
        line selling *product_id*.

        Raises:
            LedgerError: the product is not mapped and the chart has no `default_kind`.

        .. versionadded:: 0.1
        """
        if not rebate and product_id in self._maps["product_accounts"]:
            explicit: Account = self._maps["product_accounts"][product_id]
            return explicit
        kind = self.kind(product_id, description)
        found: Account = self._maps["rebates" if rebate else "revenue"][kind]
        return found

    def analytics(self, product_id: str | None) -> tuple[str | None, str | None]:
        """The analytic codes 1 and 2 of *product_id* (``(None, None)`` if none).

        .. versionadded:: 0.1
        """
        codes: tuple[str | None, str | None] = self._maps["product_analytics"].get(
            product_id, (None, None)
        )
        return codes

    def vat_account(self, percent: Decimal, *, pending: bool = False) -> Account:
        """The VAT collected account (44571x) of the rate *percent* — with *pending*, the
        account holding it until payment (44574x).

        Raises:
            LedgerError: the rate has no account; the message names the rate to map.

        .. versionadded:: 0.1
        """
        rate = to_decimal(percent, "percent").normalize()
        table = self._maps["vat_pending_rates" if pending else "vat_rates"]
        found: Account | None = table.get(rate, self.vat_pending if pending else self.vat_collected)
        if found is None:
            field = "vat_pending_rates" if pending else "vat_rates"
            raise LedgerError(
                f"no {'VAT-on-receipts' if pending else 'VAT'} account for the rate {rate:f} %",
                field=field,
                value=rate,
                hint=f"map it with chart.with_vat_rate('{rate:f}', Account(...)) "
                f"or set {'vat_pending' if pending else 'vat_collected'}",
            )
        return found

    def collected_for_pending(self, pending: Account) -> Account:
        """The VAT collected account the VAT-on-receipts account *pending* empties into.

        Raises:
            LedgerError: *pending* is not a VAT-on-receipts account of this chart.

        .. versionadded:: 0.1
        """
        for rate, account in self.vat_pending_rates:
            if account == pending:
                return self.vat_account(rate)
        if pending == self.vat_pending and self.vat_collected is not None:
            return self.vat_collected
        raise LedgerError(
            f"account {pending.number} is not a VAT-on-receipts account of this chart",
            field="pending",
            value=pending.number,
            hint="map the rate in vat_pending_rates, or set vat_pending and vat_collected",
        )

    @property
    def pending_accounts(self) -> frozenset[Account]:
        """Every VAT-on-receipts account of this chart.

        .. versionadded:: 0.1
        """
        found = {account for _, account in self.vat_pending_rates}
        if self.vat_pending is not None:
            found.add(self.vat_pending)
        return frozenset(found)

    # Changed copies ----------------------------------------------------------------

    def with_product(
        self,
        product_id: str,
        *,
        kind: RevenueKind | None = None,
        account: Account | None = None,
        analytics: tuple[str | None, str | None] | None = None,
    ) -> ChartOfAccounts:
        """A copy of this chart mapping *product_id* to a kind, an account and analytic codes.

        .. versionadded:: 0.1
        """
        changes: dict[str, Any] = {}
        for name, value in (
            ("products", kind),
            ("product_accounts", account),
            ("product_analytics", analytics),
        ):
            if value is not None:
                table = dict(getattr(self, name))
                table[product_id] = value
                changes[name] = table
        return attrs.evolve(self, **changes)

    def with_vat_rate(
        self, percent: Decimal | str, account: Account, *, pending: Account | None = None
    ) -> ChartOfAccounts:
        """A copy of this chart with *account* (and *pending* for VAT on receipts) for a rate.

        .. versionadded:: 0.1
        """
        rate = to_decimal(percent, "percent").normalize()
        changes: dict[str, Any] = {"vat_rates": {**dict(self.vat_rates), rate: account}}
        if pending is not None:
            changes["vat_pending_rates"] = {**dict(self.vat_pending_rates), rate: pending}
        return attrs.evolve(self, **changes)

    def with_customer(
        self, customer: str, *, auxiliary: str | None = None, account: Account | None = None
    ) -> ChartOfAccounts:
        """A copy of this chart giving the customer *customer* an auxiliary number or account.

        .. versionadded:: 0.1
        """
        changes: dict[str, Any] = {}
        if auxiliary is not None:
            changes["auxiliary_accounts"] = {**dict(self.auxiliary_accounts), customer: auxiliary}
        if account is not None:
            changes["customer_accounts"] = {**dict(self.customer_accounts), customer: account}
        return attrs.evolve(self, **changes)
