"""Hypothesis strategies for facturlib values.

For property-based tests of code that uses facturlib — "every ledger balances",
"credits never exceed the invoice" — and for facturlib's own suite. They follow
the hypothesis API style: plural nouns, keyword-only options, strategies for
anything that varies. The types are also registered with ``st.from_type`` through
the ``hypothesis`` entry point (`facturlib.testing._hypothesis_hook`).

>>> from hypothesis import given, settings
>>> @settings(max_examples=20)
... @given(invoices())
... def test_gross_is_net_plus_vat(invoice):
...     t = invoice.totals()
...     assert t.tax_inclusive_total == t.tax_exclusive_total + t.vat_total
>>> test_gross_is_net_plus_vat()
"""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

import attrs
from hypothesis import strategies as st
from moneyed import Money

from facturlib.accounting.accounts import Account, ChartOfAccounts, Journal, RevenueKind
from facturlib.accounting.journal import Activity, JournalEntry, JournalLine
from facturlib.core._codes import DocumentKind
from facturlib.core.credit_notes import credit_note
from facturlib.core.documents import DeliverTo, Invoice, Note, Order, Quote, QuoteStatus
from facturlib.core.errors import CreditNoteError, NotIssuable, ScheduleError
from facturlib.core.exchange import ExchangeRate
from facturlib.core.issuing import issue
from facturlib.core.lines import (
    CommentLine,
    Discount,
    DocumentAllowance,
    DocumentCharge,
    Line,
    OtherTax,
    Product,
    SupplyKind,
    Surcharge,
)
from facturlib.core.money import ROUNDING_MODES, RoundingPolicy, allocate, currency, minor_units
from facturlib.core.numbering import NumberingScheme, Reset, SequenceState
from facturlib.core.parties import Address, ElectronicAddress, Party
from facturlib.core.payment_means import PaymentMeans
from facturlib.core.periods import Anchoring, Period, PeriodGrid, Periodicity, PeriodUnit
from facturlib.core.pricing import (
    Indexation,
    IndexSeries,
    Tier,
    TieredPrice,
    Tiering,
    UnitConversion,
)
from facturlib.core.vat import FR_FRANCHISE, FR_VAT_RATES, VatRate
from facturlib.projects.milestones import BillingPlan, Milestone, MilestoneKind
from facturlib.projects.prebilling import (
    Engagement,
    FlatFeeMission,
    Portfolio,
    TimeMission,
    UnitMission,
)
from facturlib.receivables.payments import (
    Payment,
    PaymentAllocation,
    PaymentMethod,
    PaymentReversal,
    Refund,
    WriteOff,
    WriteOffKind,
    settle,
)
from facturlib.receivables.terms import (
    DueRule,
    EarlyPaymentDiscount,
    EndOfMonth,
    PaymentTerms,
    TermPart,
)
from facturlib.recurring.proration import DayCount
from facturlib.recurring.subscriptions import (
    BillingTerm,
    Subscription,
    SubscriptionItem,
    amend,
    cancel,
)
from facturlib.reports.table import Column, ColumnKind, Table
from facturlib.runs.portfolio import BillingPortfolio, PortfolioCustomer, PortfolioSubscription
from facturlib.testing.builders import sample_buyer, sample_seller

__all__ = [
    "activities",
    "billing_plans",
    "billing_portfolios",
    "charts_of_accounts",
    "commented_invoices",
    "currencies",
    "day_counts",
    "delivery_places",
    "direct_debit_batches",
    "due_rules",
    "electronic_addresses",
    "exchange_rates",
    "indexations",
    "invoices",
    "issue_dates",
    "issued_histories",
    "issued_invoices",
    "journal_entries",
    "lines",
    "lines_with_other_taxes",
    "money_amounts",
    "notes",
    "numbering_schemes",
    "order_deliveries",
    "orders",
    "payment_means",
    "payment_terms",
    "payments",
    "pdf_contexts",
    "pdf_options",
    "periodicities",
    "periods",
    "portfolios",
    "progress_steps",
    "quantities",
    "quotes",
    "report_tables",
    "rounding_policies",
    "status_histories",
    "subscription_portfolios",
    "subscriptions",
    "tiered_prices",
    "unit_conversions",
    "vat_rates",
    "weights",
]

#: Currencies with 2, 0 and 3 decimals, so minor units vary.
_CURRENCIES = ("EUR", "USD", "GBP", "CHF", "JPY", "KWD")
_NUMBER_CHARSET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-_/"


def currencies() -> st.SearchStrategy[str]:
    """ISO 4217 codes with 2 (EUR, USD…), 0 (JPY) and 3 (KWD) decimals."""
    return st.sampled_from(_CURRENCIES)


def _rates(min_value: str = "0.001", max_value: str = "1000") -> st.SearchStrategy[Decimal]:
    return st.decimals(
        min_value=Decimal(min_value),
        max_value=Decimal(max_value),
        places=6,
        allow_nan=False,
        allow_infinity=False,
    ).filter(lambda rate: rate > 0)


@st.composite
def exchange_rates(
    draw: st.DrawFn,
    *,
    currency_codes: st.SearchStrategy[str] | None = None,
    book_currency: str = "EUR",
    min_value: str = "0.001",
    max_value: str = "1000",
) -> ExchangeRate:
    """An `facturlib.ExchangeRate` from a currency drawn from *currency_codes* (default
    `currencies()` other than *book_currency*) to *book_currency*, with up to 6 decimals
    between *min_value* and *max_value*.

    .. versionadded:: 0.2
    """
    codes = currency_codes if currency_codes is not None else currencies()
    code = draw(codes.filter(lambda c: c != book_currency))
    return ExchangeRate(
        currency=code,
        book_currency=book_currency,
        rate=draw(_rates(min_value, max_value)),
        on=draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))),
    )


def _decimals(min_value: Decimal, max_value: Decimal, places: int) -> st.SearchStrategy[Decimal]:
    return st.decimals(
        min_value=min_value,
        max_value=max_value,
        places=places,
        allow_nan=False,
        allow_infinity=False,
    )


@st.composite
def money_amounts(
    draw: st.DrawFn,
    *,
    currency_codes: st.SearchStrategy[str] | None = None,
    min_value: Decimal | int | str = 0,
    max_value: Decimal | int | str = 1_000_000,
    places: int | None = None,
) -> Money:
    """`Money` in a currency drawn from *currency_codes* (default `currencies()`).

    Amounts have the currency's minor-unit decimals unless *places* is given.
    """
    code = draw(currency_codes if currency_codes is not None else currencies())
    cur = currency(code)
    digits = minor_units(cur) if places is None else places
    amount = draw(_decimals(Decimal(min_value), Decimal(max_value), digits))
    return Money(amount, cur)


def weights(*, min_size: int = 1, max_size: int = 12) -> st.SearchStrategy[list[Decimal]]:
    """Lists of non-negative allocation weights with at least one positive."""
    return st.lists(
        _decimals(Decimal(0), Decimal(1000), 2), min_size=min_size, max_size=max_size
    ).filter(lambda ws: any(w > 0 for w in ws))


def quantities(
    *, min_value: Decimal | int | str = "0.0001", max_value: Decimal | int | str = 10_000
) -> st.SearchStrategy[Decimal]:
    """Positive line quantities with up to 4 decimals (BR-FR-DEC-02)."""
    return _decimals(Decimal(min_value), Decimal(max_value), 4).filter(lambda q: q != 0)


@st.composite
def tiered_prices(
    draw: st.DrawFn,
    *,
    currency_codes: st.SearchStrategy[str] | None = None,
    max_tiers: int = 5,
    modes: st.SearchStrategy[Tiering] | None = None,
) -> TieredPrice:
    """`TieredPrice` values of 1…*max_tiers* tiers with bounds of up to 4 decimals and
    unit prices of up to 6 decimals (not negative), graduated or volume.

    .. versionadded:: 0.2
    """
    code = draw(currency_codes if currency_codes is not None else currencies())
    count = draw(st.integers(min_value=1, max_value=max_tiers))
    bounds = sorted(
        draw(
            st.sets(
                _decimals(Decimal("0.0001"), Decimal(10_000), 4),
                min_size=count - 1,
                max_size=count - 1,
            )
        )
    )
    prices = draw(
        st.lists(_decimals(Decimal(0), Decimal(10_000), 6), min_size=count, max_size=count)
    )
    tiers = [
        Tier(up_to=bound, unit_price=Money(price, code))
        for bound, price in zip([*bounds, None], prices, strict=True)
    ]
    mode = draw(modes if modes is not None else st.sampled_from(Tiering))
    return TieredPrice(tiers=tiers, mode=mode)


def unit_conversions() -> st.SearchStrategy[UnitConversion]:
    """`UnitConversion` values between two distinct UNECE units, with a positive
    factor of up to 4 decimals.

    .. versionadded:: 0.2
    """
    units = st.sampled_from(("MON", "ANN", "WEE", "DAY", "HUR", "KGM", "TNE", "C62"))
    return (
        st.tuples(units, units, _decimals(Decimal("0.0001"), Decimal(1000), 4))
        .filter(lambda t: t[0] != t[1] and t[2] > 0)
        .map(lambda t: UnitConversion(unit=t[0], base_unit=t[1], factor=t[2]))
    )


@st.composite
def indexations(draw: st.DrawFn) -> Indexation:
    """`Indexation` clauses ``P0 × (a + b × S/S0)`` with ``a + b = 1``, any stated
    rounding and places, maybe a rounded ratio, on a one-value series.

    .. versionadded:: 0.2
    """
    base = draw(_decimals(Decimal("0.1"), Decimal(10_000), 1))
    fixed = draw(_decimals(Decimal(0), Decimal(1), 2))
    series = IndexSeries(name="Index", values={date(2025, 1, 1): base})
    return Indexation(
        series=series,
        base_value=base,
        revisions=[date(2026, 1, 1)],
        fixed=fixed,
        variable=1 - fixed,
        places=draw(st.integers(min_value=0, max_value=6)),
        rounding=draw(st.sampled_from(sorted(ROUNDING_MODES))),
        ratio_places=draw(st.none() | st.integers(min_value=2, max_value=10)),
    )


def vat_rates(*, exempt: bool = True) -> st.SearchStrategy[VatRate]:
    """French rates (20, 10, 5.5, 2.1 %) and, if *exempt*, E/AE/K/G/Z rates (never O,
    which may not be mixed with other categories, BR-O-11)."""
    options = list(FR_VAT_RATES)
    if exempt:
        options += [
            FR_FRANCHISE,
            VatRate.reverse_charge(),
            VatRate.intra_eu_goods(),
            VatRate.export(),
            VatRate(category="Z", percent=0),
        ]
    return st.sampled_from(options)


def rounding_policies() -> st.SearchStrategy[RoundingPolicy]:
    """Every rounding mode, VAT per rate or per line, with or without cash rounding."""
    from facturlib.core.money import ROUNDING_MODES

    return st.builds(
        RoundingPolicy,
        mode=st.sampled_from(sorted(ROUNDING_MODES)),
        vat_rounding=st.sampled_from(["per_rate", "per_line"]),
        cash_increment=st.none() | st.sampled_from([Decimal("0.05"), Decimal("0.10")]),
    )


@st.composite
def lines(
    draw: st.DrawFn,
    *,
    currency_codes: st.SearchStrategy[str] | None = None,
    rates: st.SearchStrategy[VatRate] | None = None,
    adjustments: bool = True,
    supplies: st.SearchStrategy[SupplyKind | None] | None = None,
) -> Line:
    """A `Line` with a positive quantity, a price of up to 6 decimals, and optionally
    percentage or fixed line discounts and charges; *supplies* draws its
    `SupplyKind` (default: none, i.e. services)."""
    code = draw(currency_codes if currency_codes is not None else st.just("EUR"))
    cur = currency(code)
    price_places = draw(st.integers(min_value=minor_units(cur), max_value=6))
    price = draw(_decimals(Decimal(0), Decimal(5000), price_places))
    discounts: list[Discount] = []
    charges: list[Surcharge] = []
    if adjustments:
        discounts = draw(
            st.lists(
                st.builds(Discount, percent=_decimals(Decimal("0.01"), Decimal(100), 2)), max_size=2
            )
        )
        charges = draw(
            st.lists(
                st.builds(Surcharge, percent=_decimals(Decimal("0.01"), Decimal(50), 2)), max_size=1
            )
        )
    return Line(
        description=draw(st.sampled_from(["Consulting", "Licence", "Support", "Matériel"])),
        quantity=draw(quantities(max_value=1000)),
        unit_price=Money(price, cur),
        vat=draw(rates if rates is not None else vat_rates()),
        base_quantity=draw(st.sampled_from([Decimal(1), Decimal(1), Decimal(100)])),
        discounts=tuple(discounts),
        charges=tuple(charges),
        supply=draw(supplies) if supplies is not None else None,
    )


@st.composite
def lines_with_other_taxes(
    draw: st.DrawFn,
    *,
    currency_codes: st.SearchStrategy[str] | None = None,
    rates: st.SearchStrategy[VatRate] | None = None,
    max_taxes: int = 2,
) -> Line:
    """A `Line` from `lines()` whose unit price includes 1 to *max_taxes* `OtherTax`\\es
    (the éco-participation and the like), together at most the price, all at the line's
    VAT rate.

    .. versionadded:: 0.2
    """
    line = draw(lines(currency_codes=currency_codes, rates=rates, adjustments=False))
    cur = line.currency
    count = draw(st.integers(min_value=1, max_value=max_taxes))
    places = max(minor_units(cur), 1)
    step = Decimal(1).scaleb(-places)
    budget = line.unit_price.amount
    taxes = []
    for i in range(count):
        if budget < step:
            break
        amount = draw(_decimals(step, budget, places))
        budget -= amount
        taxes.append(OtherTax(name=f"Éco-contribution {i + 1}", amount=Money(amount, cur)))
    return attrs.evolve(line, other_taxes=tuple(taxes))


@st.composite
def commented_invoices(draw: st.DrawFn, *, max_comments: int = 4) -> Invoice:
    """A draft from `invoices()` with up to *max_comments* `CommentLine`\\s, each
    before one of its lines or after every line.

    .. versionadded:: 0.2
    """
    invoice = draw(invoices(max_lines=4))
    places = [None, *(line.id for line in invoice.lines)]
    comments = draw(
        st.lists(
            st.builds(
                CommentLine,
                st.sampled_from(["Lot 1 – Gros œuvre", "Remarque", *_HOSTILE_TEXTS[:2]]),
                st.sampled_from(places),
            ),
            max_size=max_comments,
        )
    )
    return attrs.evolve(invoice, comments=tuple(comments))


#: Texts that break naive XML or PDF writers: markup, quotes, non-Latin scripts, symbols
#: and an emoji. All are drawable: the PDF renderer refuses right-to-left scripts and
#: characters its embedded font lacks (issue 16).
_HOSTILE_TEXTS = (
    "Merci de votre confiance.",
    'Dupont & Fils <SARL> "ACME" l\'atelier',
    "Ελληνικά · Кириллица · Łódź",
    "Livraison → incluse ✓ 😀",
)


def electronic_addresses() -> st.SearchStrategy[ElectronicAddress]:
    """`ElectronicAddress` values: French directory addresses (``0225``) built on a
    SIREN, e-mail addresses (``EM``), SIRETs (``0009``) and GLNs (``0088``).

    .. versionadded:: 0.2
    """
    suffixes = st.text(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-_.", max_size=20
    )
    return st.one_of(
        suffixes.map(lambda tail: ElectronicAddress("732829320" + ("_" + tail if tail else ""))),
        st.just(ElectronicAddress("factures@exemple.fr", "EM")),
        st.just(ElectronicAddress("73282932000074", "0009")),
        st.just(ElectronicAddress("3014531200003", "0088")),
    )


def payment_means() -> st.SearchStrategy[PaymentMeans]:
    """`PaymentMeans` of every kind: SEPA and other credit transfers, SEPA direct
    debit, card, cash, cheque.

    .. versionadded:: 0.2
    """
    iban = "FR7630006000011234567890189"
    return st.one_of(
        st.builds(
            PaymentMeans.credit_transfer,
            st.just(iban),
            bic=st.none() | st.just("AGRIFRPP"),
            account_name=st.none() | st.sampled_from(_HOSTILE_TEXTS),
            sepa=st.booleans(),
            remittance=st.none() | st.just("FA-2025-0001"),
        ),
        st.builds(
            PaymentMeans.direct_debit,
            st.just("RUM-2025-000042"),
            st.just("FR72ZZZ123456"),
            debtor_iban=st.none() | st.just("DE89370400440532013000"),
        ),
        st.builds(
            PaymentMeans.card,
            pan=st.none() | st.just("1234"),
            holder=st.none() | st.just("M. Dupont"),
        ),
        st.just(PaymentMeans.cash()),
        st.just(PaymentMeans.cheque()),
    )


def notes(*, subjects: bool = True) -> st.SearchStrategy[Note]:
    """`Note` values with hostile texts and, with *subjects*, UNTDID 4451 subjects.

    .. versionadded:: 0.2
    """
    subject = st.none() | st.sampled_from(["AAI", "SUR", "REG", "ABL", "TXD"])
    return st.builds(Note, st.sampled_from(_HOSTILE_TEXTS), subject if subjects else st.none())


def delivery_places() -> st.SearchStrategy[DeliverTo]:
    """`DeliverTo` places (BG-13/BG-15) in France and abroad.

    .. versionadded:: 0.2
    """
    return st.builds(
        DeliverTo,
        st.sampled_from(
            [
                Address(
                    line1="ZI des Peupliers",
                    city="Vénissieux",
                    postal_code="69200",
                    country_code="FR",
                ),
                Address(
                    line1="Hafenstraße 1", city="Hamburg", postal_code="20457", country_code="DE"
                ),
            ]
        ),
        name=st.none() | st.sampled_from(_HOSTILE_TEXTS),
        location_id=st.none() | st.just("3014531200003"),
    )


@st.composite
def invoices(
    draw: st.DrawFn,
    *,
    currency_codes: st.SearchStrategy[str] | None = None,
    rates: st.SearchStrategy[VatRate] | None = None,
    min_lines: int = 1,
    max_lines: int = 8,
    document_adjustments: bool = True,
    prices_include_vat: st.SearchStrategy[bool] | None = None,
    policies: st.SearchStrategy[RoundingPolicy] | None = None,
    sellers: st.SearchStrategy[Party] | None = None,
    buyers: st.SearchStrategy[Party] | None = None,
    mentions: bool = False,
) -> Invoice:
    """Draft invoices (kind 380) that can be issued: valid parties, a due date, lines in
    one currency, optionally a percentage global discount and a shipping charge.

    With *mentions*, they also carry the 2026 French e-invoicing data: lines of goods
    or services, payment means, notes with subjects, a deliver-to place, a project
    reference, and the parties' electronic addresses.

    .. versionchanged:: 0.2 *mentions*.
    """
    code = draw(currency_codes if currency_codes is not None else currencies())
    cur = currency(code)
    supplies = st.sampled_from([None, SupplyKind.GOODS, SupplyKind.SERVICES]) if mentions else None
    line_list = draw(
        st.lists(
            lines(currency_codes=st.just(code), rates=rates, supplies=supplies),
            min_size=min_lines,
            max_size=max_lines,
        )
    )
    global_discount = None
    charges: list[DocumentCharge] = []
    allowances: list[DocumentAllowance] = []
    if document_adjustments:
        if draw(st.booleans()):
            global_discount = Discount(
                percent=draw(_decimals(Decimal("0.5"), Decimal(30), 1)), reason="Remise"
            )
        if draw(st.booleans()):
            charges.append(
                DocumentCharge(
                    amount=Money(draw(_decimals(Decimal(1), Decimal(50), minor_units(cur))), cur),
                    vat=line_list[0].vat,
                    reason="Port",
                )
            )
        if draw(st.booleans()):
            allowances.append(
                DocumentAllowance(
                    percent=draw(_decimals(Decimal(1), Decimal(10), 0)),
                    vat=line_list[0].vat,
                    reason="Remise fidélité",
                )
            )
    issue_day = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)))
    extra: dict[str, Any] = {}
    seller = draw(sellers if sellers is not None else st.just(sample_seller()))
    buyer = draw(buyers if buyers is not None else st.just(sample_buyer()))
    if mentions:
        if draw(st.booleans()):
            seller = attrs.evolve(seller, electronic_address=draw(electronic_addresses()))
        seller = attrs.evolve(seller, vat_on_debits=draw(st.booleans()))
        extra = {
            "payment_means": tuple(draw(st.lists(payment_means(), max_size=2))),
            "notes": tuple(draw(st.lists(notes(), max_size=3))),
            "deliver_to": draw(st.none() | delivery_places()),
            "project_reference": draw(st.none() | st.just("PRJ-2025-07")),
        }
    return Invoice(
        **extra,
        seller=seller,
        buyer=buyer,
        currency=cur,
        lines=tuple(line_list),
        allowances=tuple(allowances),
        charges=tuple(charges),
        global_discount=global_discount,
        prices_include_vat=draw(
            prices_include_vat if prices_include_vat is not None else st.booleans()
        ),
        rounding=draw(policies if policies is not None else st.just(RoundingPolicy())),
        due_date=issue_day + timedelta(days=draw(st.integers(min_value=0, max_value=60))),
    )


@st.composite
def numbering_schemes(
    draw: st.DrawFn, *, reset: st.SearchStrategy[Reset] | None = None
) -> NumberingScheme:
    """Valid schemes: any reset rule, the tokens it needs, short literals in any order."""
    rule = draw(reset if reset is not None else st.sampled_from(Reset))
    year_required = rule is not Reset.NEVER
    year = draw(st.sampled_from(["{yyyy}", "{yy}"] + ([] if year_required else [""])))
    month = "{mm}" if rule is Reset.MONTHLY else draw(st.sampled_from(["{mm}", ""]))
    width = draw(st.integers(min_value=1, max_value=6))
    seq = "{seq}" if width == 1 else f"{{seq:0{width}}}"
    parts = draw(st.permutations([part for part in (year, month, seq) if part]))
    separators = draw(
        st.lists(st.text(_NUMBER_CHARSET, max_size=2), min_size=len(parts), max_size=len(parts))
    )
    prefix = draw(st.text(_NUMBER_CHARSET, max_size=6))
    suffix = draw(st.text(_NUMBER_CHARSET, max_size=3))
    body = "".join(separator + part for separator, part in zip(separators, parts, strict=True))
    return NumberingScheme(pattern=prefix + body + suffix, reset=rule)


@st.composite
def issue_dates(
    draw: st.DrawFn, *, min_size: int = 1, max_size: int = 40, max_step: int = 400
) -> tuple[date, ...]:
    """Non-decreasing issue dates, often on the same day, spanning several years."""
    start = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)))
    steps = draw(
        st.lists(
            st.integers(min_value=0, max_value=3) | st.integers(min_value=0, max_value=max_step),
            min_size=min_size - 1,
            max_size=max_size - 1,
        )
    )
    dates = [start]
    for step in steps:
        dates.append(dates[-1] + timedelta(days=step))
    return tuple(dates)


# --- getting paid: terms and payments (issue 5) -----------------------------------------


def due_rules(*, fixed_dates: bool = False) -> st.SearchStrategy[DueRule]:
    """`DueRule` values of every kind: on receipt, cash, net 0–90 days, end of month
    (A, B with 0–60 days; C; with or without "le X"; A + M days), at order or at
    signature, N months, chained after the previous part and, if *fixed_dates*, fixed
    dates (which can fall before an issue date)."""
    end_of_month = st.builds(
        DueRule.end_of_month,
        st.integers(min_value=0, max_value=60),
        st.sampled_from([EndOfMonth.A, EndOfMonth.B]),
        day_of_month=st.none() | st.integers(min_value=1, max_value=31),
    )
    options = [
        st.just(DueRule.on_receipt()),
        st.just(DueRule.cash()),
        st.just(DueRule.on_order()),
        st.integers(min_value=0, max_value=90).map(DueRule.net),
        end_of_month,
        st.just(DueRule.end_of_month(30, EndOfMonth.C)),
        # Since 0.2: at signature, N months, chained, "N jours fin de mois + M jours".
        st.just(DueRule.on_signature()),
        st.integers(min_value=1, max_value=12).map(DueRule.months_after),
        st.tuples(st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=3))
        .filter(lambda gap: any(gap))
        .map(lambda gap: DueRule.after_previous(days=gap[0], months=gap[1])),
        st.builds(
            DueRule.end_of_month,
            st.integers(min_value=1, max_value=60),
            st.just(EndOfMonth.A),
            extra_days=st.integers(min_value=1, max_value=30),
        ),
    ]
    if fixed_dates:
        options.append(
            st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31)).map(DueRule.fixed)
        )
    return st.one_of(options)


@st.composite
def payment_terms(
    draw: st.DrawFn,
    *,
    max_parts: int = 4,
    rules: st.SearchStrategy[DueRule] | None = None,
    discounts: bool = True,
) -> PaymentTerms:
    """`PaymentTerms` of 1 to *max_parts* parts: percentages (never over 100 in total)
    and balance parts, optionally an early-payment discount. Without fixed amounts, so
    they fit any invoice (fixed amounts depend on the invoice's currency and total)."""
    count = draw(st.integers(min_value=1, max_value=max_parts))
    rule_strategy = rules if rules is not None else due_rules()
    parts = []
    left = Decimal(100)
    for i in range(count):
        last = i == count - 1
        if not last and left > Decimal("0.01") and draw(st.booleans()):
            percent = draw(_decimals(Decimal("0.01"), left - Decimal("0.01"), 2))
            left -= percent
            parts.append(TermPart(percent=percent, due=draw(rule_strategy)))
        else:
            parts.append(TermPart(due=draw(rule_strategy)))
    discount = None
    if discounts and draw(st.booleans()):
        discount = EarlyPaymentDiscount(
            percent=draw(_decimals(Decimal("0.5"), Decimal(5), 1)),
            days=draw(st.integers(min_value=0, max_value=30)),
        )
    return PaymentTerms(parts=tuple(parts), discount=discount)


@st.composite
def payments(
    draw: st.DrawFn,
    *,
    customers: st.SearchStrategy[str] | None = None,
    currency_codes: st.SearchStrategy[str] | None = None,
    min_value: Decimal | int | str = "0.01",
    max_value: Decimal | int | str = 10_000,
    dates: st.SearchStrategy[date] | None = None,
    pending: st.SearchStrategy[bool] | None = None,
) -> Payment:
    """`Payment` values with a unique-looking id, a positive amount in whole minor units,
    any method, and pending or not."""
    code = draw(currency_codes if currency_codes is not None else st.just("EUR"))
    cur = currency(code)
    low = max(Decimal(min_value), Decimal(1).scaleb(-minor_units(cur)))
    amount = draw(_decimals(low, Decimal(max_value), minor_units(cur)))
    return Payment(
        id="PAY-" + draw(st.text("0123456789ABCDEF", min_size=8, max_size=8)),
        customer=draw(customers if customers is not None else st.just(sample_buyer().key)),
        amount=Money(amount, cur),
        date=draw(
            dates
            if dates is not None
            else st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
        ),
        method=draw(st.sampled_from(PaymentMethod)),
        pending=draw(pending if pending is not None else st.booleans()),
    )


@st.composite
def orders(
    draw: st.DrawFn,
    *,
    currency_codes: st.SearchStrategy[str] | None = None,
    rates: st.SearchStrategy[VatRate] | None = None,
    min_lines: int = 1,
    max_lines: int = 8,
    policies: st.SearchStrategy[RoundingPolicy] | None = None,
    positive: bool = True,
) -> Order:
    """Orders (the deals of project billing) with the bodies `invoices()` draws; with
    *positive*, every VAT rate's taxable amount is above zero, as a deal's is."""
    invoice = draw(
        invoices(
            currency_codes=currency_codes,
            rates=rates,
            min_lines=min_lines,
            max_lines=max_lines,
            policies=policies,
        ).filter(lambda inv: not positive or all(g[1] > 0 for g in inv.totals().vat_groups))
    )
    number = draw(st.none() | st.sampled_from(["BC-1", "BC-2025-0042", "PO/77"]))
    fields = {
        name: getattr(invoice, name)
        for name in (
            "seller",
            "buyer",
            "currency",
            "lines",
            "allowances",
            "charges",
            "global_discount",
            "prices_include_vat",
            "rounding",
        )
    }
    return Order(number=number, **fields)


@st.composite
def order_deliveries(
    draw: st.DrawFn, order: Order, *, max_parts: int = 4, complete: bool | None = None
) -> list[dict[str, Decimal]]:
    """Deliveries of *order* in parts: each part maps order line ids to a quantity of
    the line's sign; per line, the parts add up to at most its quantity, and to all
    of it when *complete* (drawn when ``None``). For ``Order.to_invoice(quantities=…)``
    and `facturlib.core.deliveries.delivery_note`.

    .. versionadded:: 0.2
    """
    whole = draw(st.booleans()) if complete is None else complete
    parts: list[dict[str, Decimal]] = [{} for _ in range(max_parts)]
    step = Decimal("0.0001")
    for line in order.lines:
        units = int(abs(line.quantity) / step)
        count = draw(st.integers(min_value=1, max_value=min(max_parts, units)))
        cuts = sorted(
            draw(
                st.lists(
                    st.integers(min_value=1, max_value=units - 1),
                    min_size=count - 1,
                    max_size=count - 1,
                    unique=True,
                )
            )
            if count > 1
            else []
        )
        bounds = [0, *cuts, units]
        pieces = [(b - a) * step for a, b in pairwise(bounds)]
        if not whole:
            pieces = pieces[: draw(st.integers(min_value=0, max_value=len(pieces)))]
        sign = 1 if line.quantity > 0 else -1
        slots = sorted(draw(st.permutations(range(max_parts)))[: len(pieces)])
        for slot, piece in zip(slots, pieces, strict=True):
            parts[slot][str(line.id)] = sign * piece
    return [part for part in parts if part]


@st.composite
def quotes(
    draw: st.DrawFn,
    *,
    currency_codes: st.SearchStrategy[str] | None = None,
    statuses: st.SearchStrategy[QuoteStatus] | None = None,
) -> Quote:
    """Quotes with the bodies `invoices()` draws, dated, with a validity, a status and
    a revision (linked to the previous one when above 1).

    .. versionadded:: 0.2
    """
    invoice = draw(invoices(currency_codes=currency_codes, max_lines=4))
    issued_on = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)))
    revision = draw(st.integers(min_value=1, max_value=4))
    number = draw(st.sampled_from(["DE-1", "DE-2025-0007", "D/77"]))
    return Quote(
        seller=invoice.seller,
        buyer=invoice.buyer,
        currency=invoice.currency,
        lines=invoice.lines,
        allowances=invoice.allowances,
        charges=invoice.charges,
        global_discount=invoice.global_discount,
        prices_include_vat=invoice.prices_include_vat,
        rounding=invoice.rounding,
        number=number,
        issue_date=issued_on,
        valid_until=issued_on + timedelta(days=draw(st.integers(min_value=0, max_value=90))),
        status=draw(statuses if statuses is not None else st.sampled_from(QuoteStatus)),
        status_date=issued_on,
        revision=revision,
        previous_number=number if revision > 1 else None,
        previous_revision=revision - 1 if revision > 1 else None,
    )


@st.composite
def billing_plans(
    draw: st.DrawFn,
    *,
    min_size: int = 1,
    max_size: int = 6,
    places: int = 2,
) -> BillingPlan:
    """Valid `BillingPlan`\\s: *min_size* to *max_size* milestones whose percentages (with
    up to *places* decimals, at most 4) add up to 100, deposits first, maybe a balance
    last, dates as offsets from the start."""
    size = draw(st.integers(min_value=min_size, max_value=max_size))
    cumulative = _cumulative_percents(draw, size, places)
    percents = [b - a for a, b in pairwise((Decimal(0), *cumulative))]
    deposits = draw(st.integers(min_value=0, max_value=size))
    balance = size > deposits and draw(st.booleans())
    offsets = sorted(draw(st.lists(st.integers(0, 24), min_size=size, max_size=size)))
    milestones = []
    for i, percent in enumerate(percents):
        if i < deposits:
            kind = MilestoneKind.DEPOSIT
        elif balance and i == size - 1:
            kind = MilestoneKind.BALANCE
        else:
            kind = MilestoneKind.INTERMEDIATE
        milestones.append(
            Milestone(label=f"Étape {i + 1}", percent=percent, kind=kind, after_months=offsets[i])
        )
    return BillingPlan(milestones=milestones)


@st.composite
def progress_steps(
    draw: st.DrawFn, *, min_size: int = 1, max_size: int = 6, places: int = 2
) -> tuple[Decimal, ...]:
    """Cumulative progress percentages of a situation-invoice sequence: strictly
    increasing, with up to *places* decimals, the last one 100."""
    size = draw(st.integers(min_value=min_size, max_value=max_size))
    return _cumulative_percents(draw, size, places)


def _cumulative_percents(draw: st.DrawFn, size: int, places: int) -> tuple[Decimal, ...]:
    """*size* strictly increasing percentages with *places* decimals, the last one 100."""
    unit = 10**places
    cuts = draw(
        st.lists(
            st.integers(min_value=1, max_value=100 * unit - 1),
            min_size=size - 1,
            max_size=size - 1,
            unique=True,
        )
    )
    return tuple(Decimal(c).scaleb(-places) for c in (*sorted(cuts), 100 * unit))


@st.composite
def portfolios(draw: st.DrawFn, *, min_engagements: int = 1, max_engagements: int = 5) -> Portfolio:
    """Pre-billing portfolios: engagements over fiscal years of 12 whole months starting
    in 2024 or 2025, some clients with several engagements, each mixing flat-fee (equal
    or scheduled), unit and time missions."""
    clients = [sample_buyer(name=f"Client {i}", id=f"C{i}") for i in range(3)]
    count = draw(st.integers(min_value=min_engagements, max_value=max_engagements))
    engagements = []
    for e in range(count):
        start = date(draw(st.sampled_from([2024, 2025])), draw(st.integers(1, 12)), 1)
        end = date(start.year + 1, start.month, 1)
        kinds = draw(st.sets(st.sampled_from(["flat", "unit", "time"]), min_size=1))
        vat = draw(vat_rates(exempt=False))
        missions: list[FlatFeeMission | UnitMission | TimeMission] = []
        if "flat" in kinds:
            schedule = draw(
                st.just(()) | st.lists(st.integers(0, 3), min_size=12, max_size=12).filter(any)
            )
            fee = draw(_decimals(Decimal(0), Decimal(50_000), 2))
            missions.append(
                FlatFeeMission(
                    id="flat",
                    label="Forfait",
                    annual_fee=Money(fee, "EUR"),
                    vat=vat,
                    schedule=schedule,
                )
            )
        if "unit" in kinds:
            price = draw(_decimals(Decimal(0), Decimal(500), 2))
            missions.append(
                UnitMission(id="unit", label="Unités", unit_price=Money(price, "EUR"), vat=vat)
            )
        if "time" in kinds:
            names = draw(st.sets(st.sampled_from(["alice", "bob", "chloé"]), min_size=1))
            rates = {n: Money(draw(_decimals(Decimal(0), Decimal(300), 2)), "EUR") for n in names}
            missions.append(TimeMission(id="time", label="Temps", rates=rates, vat=vat))
        engagements.append(
            Engagement(
                id=f"E{e}",
                client=draw(st.sampled_from(clients)),
                fiscal_year=Period(start, end),
                missions=missions,
            )
        )
    return Portfolio(seller=sample_seller(), engagements=engagements)


# ------------------------------------------------------------------ recurring billing


def periodicities(*, max_count: int = 12, weeks: bool = True) -> st.SearchStrategy[Periodicity]:
    """Periodicities of 1…*max_count* months and, if *weeks*, of 1…4 weeks."""
    months = st.builds(Periodicity, count=st.integers(min_value=1, max_value=max_count))
    if not weeks:
        return months
    return months | st.builds(
        Periodicity, count=st.integers(min_value=1, max_value=4), unit=st.just(PeriodUnit.WEEK)
    )


@st.composite
def periods(
    draw: st.DrawFn,
    *,
    min_value: date = date(2000, 1, 1),
    max_value: date = date(2040, 12, 31),
    max_days: int = 800,
) -> Period:
    """Half-open periods of 1…*max_days* days starting between *min_value* and *max_value*."""
    start = draw(st.dates(min_value=min_value, max_value=max_value))
    return Period(start, start + timedelta(days=draw(st.integers(1, max_days))))


def day_counts() -> st.SearchStrategy[DayCount]:
    """Every `DayCount` convention."""
    return st.sampled_from(DayCount)


@st.composite
def subscriptions(
    draw: st.DrawFn,
    *,
    currency_codes: st.SearchStrategy[str] | None = None,
    periodicity: st.SearchStrategy[Periodicity] | None = None,
    max_items: int = 3,
    max_installments: int = 14,
) -> Subscription:
    """Valid subscriptions: 1…*max_items* items (some with their own dates or a one-off),
    anniversary or calendar anchoring, an optional billing day, in advance or in arrears,
    any day count, ending after 1…*max_installments* installments or on a date."""
    code = draw(currency_codes if currency_codes is not None else currencies())
    cur = currency(code)
    every = draw(periodicity if periodicity is not None else periodicities(max_count=12))
    start = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31)))
    anchoring = draw(st.sampled_from(Anchoring))
    billing_day = None
    if every.unit is PeriodUnit.MONTH and draw(st.booleans()):
        billing_day = draw(st.sampled_from([1, 15, 28, 29, 30, 31]))
    probe = PeriodGrid.for_start(start, every, anchoring, billing_day)
    installments = draw(st.integers(min_value=1, max_value=max_installments))
    stop = probe.periods(start, count=installments)[-1][0].end
    end = None
    if draw(st.booleans()):
        end = start + timedelta(days=draw(st.integers(1, (stop - start).days)))
        installments_or_none: int | None = None
    else:
        installments_or_none = installments
    last = end or stop
    items = []
    for index in range(draw(st.integers(min_value=1, max_value=max_items))):
        price = draw(_decimals(Decimal(0), Decimal(5000), minor_units(cur)))
        item_product = Product(
            name=f"Item {index}", unit_price=Money(price, cur), vat=draw(vat_rates(exempt=False))
        )
        item_start = None
        item_end = None
        if index and draw(st.booleans()):
            item_start = start + timedelta(days=draw(st.integers(0, (last - start).days - 1)))
            if draw(st.booleans()) and (last - item_start).days > 1:
                item_end = item_start + timedelta(
                    days=draw(st.integers(1, (last - item_start).days - 1))
                )
        items.append(
            SubscriptionItem(
                product=item_product,
                quantity=draw(st.integers(min_value=1, max_value=20)),
                first_invoice_only=bool(index) and draw(st.booleans()),
                start=item_start,
                end=item_end,
                day_count=draw(st.none() | day_counts()),
                discounts=draw(
                    st.just(()) | st.tuples(st.builds(Discount, percent=st.integers(1, 50)))
                ),
            )
        )
    return Subscription(
        reference=f"ABO-{draw(st.integers(1, 9999))}",
        seller=sample_seller(),
        buyer=sample_buyer(),
        currency=cur,
        items=tuple(items),
        start=start,
        end=end,
        installments=installments_or_none,
        periodicity=every,
        anchoring=anchoring,
        billing_day=billing_day,
        term=draw(st.sampled_from(BillingTerm)),
        day_count=draw(day_counts().filter(lambda d: d is not DayCount.NONE)),
    )


@st.composite
def subscription_portfolios(
    draw: st.DrawFn,
    *,
    currency_codes: st.SearchStrategy[str] | None = None,
    max_subscriptions: int = 6,
    customers: int = 3,
) -> tuple[Subscription, ...]:
    """Subscriptions in one currency for a few customers (buyer ids ``CLI1``…), some
    amended (a new quantity) or cancelled, with distinct references.

    .. versionadded:: 0.2
    """
    code = draw(currency_codes if currency_codes is not None else currencies())
    pool = [sample_buyer(id=f"CLI{k}", name=f"Client {k}") for k in range(1, customers + 1)]
    portfolio = []
    for index in range(draw(st.integers(min_value=1, max_value=max_subscriptions))):
        sub = draw(subscriptions(currency_codes=st.just(code), max_installments=8))
        sub = attrs.evolve(sub, buyer=draw(st.sampled_from(pool)), reference=f"ABO-{index}")
        stop = sub.stop or sub.start + timedelta(days=365)
        span = (stop - sub.start).days
        if span > 1 and draw(st.booleans()):
            day = sub.start + timedelta(days=draw(st.integers(1, span - 1)))
            item = draw(st.sampled_from(sub.items))
            quantity = draw(st.integers(min_value=1, max_value=9))
            # An item not billed that day cannot be amended: keep the subscription as it is.
            with contextlib.suppress(ScheduleError):
                sub = amend(sub, on=day, item=item.key, quantity=quantity)
        if span > 1 and draw(st.booleans()):
            sub = cancel(sub, on=sub.start + timedelta(days=draw(st.integers(1, span - 1))))
        portfolio.append(sub)
    return tuple(portfolio)


@st.composite
def billing_portfolios(
    draw: st.DrawFn, *, max_subscriptions: int = 4, customers: int = 2
) -> BillingPortfolio:
    """Bill-run portfolios (`facturlib.runs.portfolio.BillingPortfolio`) in EUR: the
    subscriptions of `subscription_portfolios`, each grouped or not, yearly series.

    .. versionadded:: 0.2
    """
    subs = draw(
        subscription_portfolios(
            currency_codes=st.just("EUR"), max_subscriptions=max_subscriptions, customers=customers
        )
    )
    buyers = {sub.buyer.key: sub.buyer for sub in subs}
    return BillingPortfolio(
        seller=subs[0].seller,
        numbering=(
            ("invoice", "FA-{yyyy}-{seq:05}"),
            ("credit_note", "AV-{yyyy}-{seq:05}"),
            ("deposit", "AC-{yyyy}-{seq:05}"),
        ),
        customers=[PortfolioCustomer(party=party) for party in buyers.values()],
        subscriptions=[
            PortfolioSubscription(subscription=sub, group=draw(st.booleans())) for sub in subs
        ],
    )


_CELLS: dict[ColumnKind, st.SearchStrategy[Any]] = {
    ColumnKind.TEXT: st.text(max_size=12),
    ColumnKind.INTEGER: st.integers(min_value=-(10**9), max_value=10**9),
    ColumnKind.DATE: st.dates(),
    ColumnKind.MONTH: st.dates().map(lambda d: d.replace(day=1)),
    ColumnKind.MONEY: _decimals(Decimal(-(10**9)), Decimal(10**9), 2),
    ColumnKind.DECIMAL: _decimals(Decimal(-(10**6)), Decimal(10**6), 4),
    ColumnKind.PERCENT: _decimals(Decimal(-100), Decimal(100), 2),
}


@st.composite
def report_tables(draw: st.DrawFn, *, max_columns: int = 6, max_rows: int = 8) -> Table:
    r"""Valid report `Table`\s: 1…*max_columns* columns of any kind, 0…*max_rows* rows,
    ``None`` cells now and then, in EUR.

    .. versionadded:: 0.2
    """
    kinds = draw(st.lists(st.sampled_from(ColumnKind), min_size=1, max_size=max_columns))
    columns = [Column(f"c{i}", kind) for i, kind in enumerate(kinds)]
    rows = draw(
        st.lists(
            st.tuples(*(st.none() | _CELLS[kind] for kind in kinds)), min_size=0, max_size=max_rows
        )
    )
    return Table(title=draw(st.text(max_size=20)), columns=columns, rows=rows, currency="EUR")


# ------------------------------------------------------------------------ accounting


_SCHEME_INVOICES = NumberingScheme(pattern="FA-{yyyy}-{seq:04}")
_SCHEME_DEPOSITS = NumberingScheme(pattern="AC-{yyyy}-{seq:04}")
_SCHEME_CREDIT_NOTES = NumberingScheme(pattern="AV-{yyyy}-{seq:04}")


@st.composite
def issued_invoices(
    draw: st.DrawFn,
    *,
    currency_codes: st.SearchStrategy[str] | None = None,
    rates: st.SearchStrategy[VatRate] | None = None,
    buyers: st.SearchStrategy[Party] | None = None,
    policies: st.SearchStrategy[RoundingPolicy] | None = None,
    max_lines: int = 8,
) -> Invoice:
    """Invoices (kind 380) drawn from `invoices()` and issued in the ``FA-{yyyy}-{seq:04}``
    series, on a day up to 30 days before their due date."""
    draft = draw(
        invoices(
            currency_codes=currency_codes,
            rates=rates,
            buyers=buyers,
            policies=policies,
            max_lines=max_lines,
        )
    )
    on = (draft.due_date or date(2025, 1, 1)) - timedelta(
        days=draw(st.integers(min_value=0, max_value=30))
    )
    # `invoices()` may draw a total of -0.01 (line percentages rounding above the line).
    invoice, _ = issue(draft, _SCHEME_INVOICES, SequenceState(), on=on, allow_negative=True)
    return invoice


@st.composite
def issued_histories(
    draw: st.DrawFn, *, min_size: int = 1, max_size: int = 6, max_lines: int = 3
) -> list[Invoice]:
    """Invoices drawn from `invoices()` and issued one after the other in one
    ``FA-{yyyy}-{seq:04}`` series and one state, in issue order (dates never go
    back): a history to chain with `facturlib.chain_link`.

    .. versionadded:: 0.2
    """
    count = draw(st.integers(min_value=min_size, max_value=max_size))
    state = SequenceState()
    day = date(2025, 1, 2)
    history: list[Invoice] = []
    for _ in range(count):
        draft = draw(invoices(max_lines=max_lines, document_adjustments=False))
        day += timedelta(days=draw(st.integers(min_value=0, max_value=3)))
        draft = attrs.evolve(draft, due_date=max(draft.due_date or day, day))
        invoice, state = issue(draft, _SCHEME_INVOICES, state, on=day, allow_negative=True)
        history.append(invoice)
    return history


@st.composite
def charts_of_accounts(
    draw: st.DrawFn, *, vat_on_receipts: st.SearchStrategy[bool] | None = None
) -> ChartOfAccounts:
    """The PCG preset `ChartOfAccounts`, VAT on debits or on receipts, with VAT sub-accounts
    per rate or one VAT account, and any default revenue kind."""
    chart = ChartOfAccounts(
        vat_on_receipts=draw(vat_on_receipts if vat_on_receipts is not None else st.booleans()),
        default_kind=draw(st.sampled_from(RevenueKind)),
    )
    if draw(st.booleans()):
        chart = attrs.evolve(
            chart,
            vat_rates=(),
            vat_collected=Account("445710", "TVA collectée"),
            vat_pending_rates=(),
            vat_pending=Account("445740", "TVA sur encaissements à régulariser"),
        )
    return chart


def _deposit_for(draft: Invoice) -> Invoice | None:
    """A 30 % deposit invoice (386) for *draft*: 30 % of each positive VAT group's net."""
    cur = draft.currency
    deposit_lines = []
    for vat, taxable, _ in draft.totals().vat_groups:
        if taxable > 0:
            part = allocate(Money(taxable, cur), [3, 7])[0]
            if part.amount > 0:
                deposit_lines.append(
                    Line(
                        description=f"Acompte 30 % {vat.label}",
                        quantity=1,
                        unit_price=part,
                        vat=vat,
                    )
                )
    if not deposit_lines:
        return None
    return Invoice(
        kind=DocumentKind.DEPOSIT,
        seller=draft.seller,
        buyer=draft.buyer,
        currency=cur,
        lines=tuple(deposit_lines),
        rounding=draft.rounding,
        due_date=draft.due_date,
        tax_currency=draft.tax_currency,
        tax_exchange_rate=draft.tax_exchange_rate,
    )


@st.composite
def activities(
    draw: st.DrawFn,
    *,
    currency_codes: st.SearchStrategy[str] | None = None,
    max_customers: int = 3,
    max_invoices: int = 6,
    deposits: bool = True,
    credit_notes: bool = True,
    reversals: bool = True,
    refunds: bool = False,
    write_offs: bool = False,
    book_currency: str | None = None,
) -> Activity:
    """A consistent `facturlib.accounting.journal.Activity`: issued invoices of a few
    customers in one currency over about a year (continuous series FA-, AC-, AV-; any
    `rounding_policies()`: every rounding mode, VAT per rate or per line, with or
    without cash rounding), 30 % deposit invoices deducted by their final invoices
    (``prepaid`` = the deposit's gross), credit notes by ratio, payments each fully
    allocated to one invoice for at most what remains due, and direct-debit rejects of some of them.

    Every payment is allocated in full, so a customer's outstanding balance is
    Σ amount due of its invoices − Σ amount due of its credit notes − Σ allocations of
    its payments that were not reversed.

    With ``refunds=True`` (0.2), some credit transfers overpay their invoice and the
    surplus is refunded (a `facturlib.receivables.payments.Refund`), so the formula
    above still holds; with ``write_offs=True`` (0.2), some balances are written off
    (every `facturlib.receivables.payments.WriteOffKind`), their amounts resolved by
    `facturlib.receivables.payments.settle` as a caller would, and the outstanding
    balance is then also less Σ write-offs.

    With ``book_currency="EUR"`` (0.2), an activity in another currency states the
    exchange rates its books need: every invoice its rate to EUR (BT-6, BT-111; its
    credit notes and deposits the same), every payment and refund a rate of its own day;
    write-offs, which cannot be booked in a foreign currency, are then left out.
    """
    code = draw(currency_codes if currency_codes is not None else currencies())
    cur = currency(code)
    foreign = book_currency is not None and code != book_currency

    def rate_on(day: date) -> ExchangeRate | None:
        if not foreign:
            return None
        return ExchangeRate(
            currency=cur, book_currency=book_currency, rate=draw(_rates("0.01", "100")), on=day
        )

    customers = [
        sample_buyer(id=f"CLI{i:04d}", name=f"Client {i} SARL")
        for i in range(1, draw(st.integers(min_value=1, max_value=max_customers)) + 1)
    ]
    start = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)))
    offsets = sorted(
        draw(st.lists(st.integers(min_value=0, max_value=300), min_size=1, max_size=max_invoices))
    )
    documents: list[Invoice] = []
    fa_state, ac_state, av_state = SequenceState(), SequenceState(), SequenceState()
    for offset in offsets:
        day = start + timedelta(days=offset)
        buyer = draw(st.sampled_from(customers))
        draft = draw(
            invoices(
                currency_codes=st.just(code),
                buyers=st.just(buyer),
                max_lines=4,
                policies=rounding_policies(),
            )
        )
        stated = rate_on(day)
        if stated is not None:
            draft = attrs.evolve(draft, **stated.invoice_fields())
        deposit_draft = _deposit_for(draft) if deposits and draw(st.booleans()) else None
        if deposit_draft is not None:
            deposit, ac_state = issue(
                deposit_draft, _SCHEME_DEPOSITS, ac_state, on=day, due_date=day
            )
            draft = attrs.evolve(
                draft, preceding=(deposit.reference,), prepaid=deposit.totals().tax_inclusive_total
            )
            documents.append(deposit)
        invoice, fa_state = issue(
            draft,
            _SCHEME_INVOICES,
            fa_state,
            on=day,
            due_date=day + timedelta(days=30),
            allow_negative=True,
        )
        documents.append(invoice)
    finals = [doc for doc in documents if doc.kind is DocumentKind.INVOICE]
    notes: list[Invoice] = []
    if credit_notes and finals:
        targets = draw(st.lists(st.sampled_from(finals), max_size=3, unique_by=lambda d: d.number))
        plans = sorted(
            (
                (target.issue_date or start) + timedelta(days=draw(st.integers(0, 60))),
                i,
                target,
                draw(st.sampled_from(["1", "0.5", "0.25", "0.1"])),
            )
            for i, target in enumerate(targets)
        )
        for day, _, target, ratio in plans:
            try:
                note, av_state = issue(
                    credit_note(target, ratio=ratio), _SCHEME_CREDIT_NOTES, av_state, on=day
                )
            except (CreditNoteError, NotIssuable):  # nothing (positive) left to credit
                continue
            notes.append(note)
    credited: dict[str, Decimal] = {}
    for note in notes:
        number = note.preceding[0].number
        credited[number] = credited.get(number, Decimal(0)) + note.totals().amount_due.amount
    payments: list[Payment] = []
    allocations: list[PaymentAllocation] = []
    undone: list[PaymentReversal] = []
    back: list[Refund] = []
    for doc in documents:
        number = doc.number or ""
        remaining = doc.totals().amount_due.amount - credited.get(number, Decimal(0))
        if remaining <= 0 or not draw(st.booleans()):
            continue
        if draw(st.booleans()):
            remaining = allocate(Money(remaining, cur), [1, 1])[0].amount
        if remaining <= 0:
            continue
        day = (doc.issue_date or start) + timedelta(days=draw(st.integers(0, 90)))
        payment = Payment(
            id=f"PAY{len(payments) + 1:04d}",
            customer=doc.buyer.key,
            amount=Money(remaining, cur),
            date=day,
            method=draw(
                st.sampled_from(
                    [PaymentMethod.SEPA_DIRECT_DEBIT, PaymentMethod.SEPA_CREDIT_TRANSFER]
                )
            ),
            exchange_rate=rate_on(day),
        )
        allocated = payment.amount
        if refunds and not payment.method.is_direct_debit and draw(st.booleans()):
            # An overpayment, its surplus refunded some days later.
            surplus = Money(Decimal(draw(st.integers(1, 5000))).scaleb(-minor_units(cur)), cur)
            payment = attrs.evolve(payment, amount=payment.amount + surplus)
            refund_day = day + timedelta(days=draw(st.integers(0, 20)))
            back.append(
                Refund(
                    id=f"RBT{len(back) + 1:04d}",
                    customer=payment.customer,
                    source_id=payment.id,
                    amount=surplus,
                    date=refund_day,
                    reason="Trop-perçu",
                    exchange_rate=rate_on(refund_day),
                )
            )
        payments.append(payment)
        allocations.append(
            PaymentAllocation(
                payment_id=payment.id, invoice_number=number, amount=allocated, date=day
            )
        )
        if reversals and payment.method.is_direct_debit and draw(st.booleans()):
            fee = Money(Decimal(5).scaleb(0), cur) if draw(st.booleans()) else None
            undone.append(
                PaymentReversal(
                    payment_id=payment.id,
                    date=day + timedelta(days=draw(st.integers(1, 10))),
                    reason="AM04",
                    fee=fee,
                )
            )
    rebates = frozenset(n.number for n in notes if n.number and draw(st.booleans()))
    offs: tuple[WriteOff, ...] = ()
    if write_offs and not foreign:
        candidates = [
            WriteOff(
                id=f"PERTE{i + 1:04d}",
                invoice_number=doc.number or "",
                date=(doc.issue_date or start) + timedelta(days=draw(st.integers(100, 200))),
                kind=draw(st.sampled_from(list(WriteOffKind))),
                reason="Créance irrécouvrable",
            )
            for i, doc in enumerate(d for d in documents if draw(st.booleans()))
        ]
        if candidates:
            days = [d.issue_date or start for d in (*documents, *notes)]
            days += [p.date for p in payments] + [r.date for r in undone] + [r.date for r in back]
            days += [w.date for w in candidates]
            # The amounts written off are what `settle` finds open, as a caller books them.
            offs = settle(
                (*documents, *notes),
                payments,
                on=max(days),
                allocations=allocations,
                reversals=undone,
                refunds=back,
                write_offs=candidates,
            ).write_offs
    return Activity(
        documents=(*documents, *notes),
        payments=payments,
        allocations=allocations,
        reversals=undone,
        rebates=rebates,
        refunds=back,
        write_offs=offs,
    )


_LABEL_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 -'éèàçôÉ€/."


def _labels() -> st.SearchStrategy[str]:
    return st.text(_LABEL_CHARS, min_size=1, max_size=24).map(str.strip).filter(bool)


@st.composite
def journal_entries(
    draw: st.DrawFn,
    *,
    currency_codes: st.SearchStrategy[str] | None = None,
    min_lines: int = 2,
    max_lines: int = 6,
) -> JournalEntry:
    """Balanced `facturlib.accounting.journal.JournalEntry` values as a user might key them by hand:
    any PCG-like accounts, auxiliary accounts, line labels, due dates, analytic codes,
    lettering, foreign amounts, piece and validation dates; labels use ISO 8859-15
    characters only."""
    cur = currency(draw(currency_codes if currency_codes is not None else currencies()))
    places = minor_units(cur)
    count = draw(st.integers(min_value=min_lines, max_value=max_lines))
    amounts = draw(
        st.lists(
            _decimals(Decimal(-100_000), Decimal(100_000), places).filter(lambda d: d != 0),
            min_size=count - 1,
            max_size=count - 1,
        )
    )
    balance = -sum(amounts, Decimal(0))
    if balance == 0:
        amounts[0] = amounts[0] * 2
        balance = -sum(amounts, Decimal(0))
    amounts.append(balance)
    day = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
    label = draw(_labels())
    lines = []
    for i, amount in enumerate(amounts):
        number = draw(st.sampled_from(["411000", "512000", "706000", "445711", "622600", "7085"]))
        number += draw(st.text("0123456789ABC", max_size=3))
        aux = draw(st.none() | st.text("0123456789ABCDEFGHIJ", min_size=1, max_size=8))
        lettered = draw(st.booleans())
        foreign = draw(st.none() | money_amounts(min_value=1, max_value=10_000))
        lines.append(
            JournalLine.of(
                Account(number, draw(_labels())),
                Money(amount, cur),
                auxiliary=aux,
                auxiliary_label=draw(_labels()) if aux else None,
                label=None if i == 0 else draw(st.none() | _labels()),
                due_date=draw(st.none() | st.dates(min_value=date(2000, 1, 1))),
                analytic1=draw(st.none() | _labels()),
                analytic2=draw(st.none() | _labels()),
                lettering=draw(st.sampled_from(["A", "B", "AA"])) if lettered else None,
                lettering_date=day + timedelta(days=draw(st.integers(0, 60))) if lettered else None,
                foreign_amount=foreign if foreign is None or foreign.amount > 0 else None,
            )
        )
    journal = draw(
        st.sampled_from(
            [
                Journal("VT", "Ventes"),
                Journal("BQ", "Banque"),
                Journal("OD", "Opérations diverses"),
            ]
        )
    )
    return JournalEntry(
        journal=journal,
        date=day,
        piece=draw(_labels()),
        label=label,
        lines=lines,
        piece_date=draw(st.none() | st.dates(min_value=date(2000, 1, 1), max_value=day)),
        validation_date=draw(st.none() | st.just(day) | st.just(day + timedelta(days=3))),
    )


def pdf_options() -> st.SearchStrategy[Any]:
    """`facturlib.renderers.pdf.PdfOptions` with every combination of switches.

    Imports the PDF renderer (and reportlab) only when called.
    """
    from facturlib.renderers.pdf import PdfOptions

    return st.builds(
        PdfOptions,
        page_size=st.sampled_from(["A4", "LETTER"]),
        show_product_code=st.booleans(),
        discount_column=st.sampled_from([None, True, False]),
        gross_amount_column=st.booleans(),
        show_delivery_address=st.booleans(),
        repeat_totals=st.booleans(),
    )


def pdf_contexts(*, conditions: bool = True) -> st.SearchStrategy[Any]:
    """`facturlib.renderers.pdf.PdfContext` values: mentions, mandate, delivery, notes.

    Texts include markup characters (``&``, ``<``) and non-Latin letters; with
    *conditions*, some contexts carry general terms (an extra page).
    """
    from facturlib.core.parties import Address
    from facturlib.renderers.pdf import PdfContext

    texts = st.none() | st.sampled_from(
        ["Pénalités : 12,15 % l'an", "Dupont & Fils <SARL>", "Ελληνικά · Кириллица", "30 jours"]
    )
    addresses = st.none() | st.just(
        Address(line1="ZI des Peupliers", city="Vénissieux", postal_code="69200", country_code="FR")
    )
    return st.builds(
        PdfContext,
        payment_terms=texts,
        late_penalty=texts,
        early_payment_discount=texts,
        vat_on_debits=st.booleans(),
        sepa_mandate=st.none() | st.just("RUM-2025-000042"),
        delivery_address=addresses,
        attention=texts,
        notes=st.lists(st.sampled_from(["Merci.", "a < b & c"]), max_size=2).map(tuple),
        conditions=(st.none() | st.just("Article 1.\n\nArticle 2.")) if conditions else st.none(),
    )


@st.composite
def direct_debit_batches(draw: st.DrawFn, *, min_debits: int = 1, max_debits: int = 30) -> Any:
    """`facturlib.sepa.batch.DirectDebitBatch` values: amounts 0.01–99 999.99 EUR, mixed
    sequence types, schemes and collection dates, hostile debtor names and remittance
    texts (any Unicode, control characters, 0–300 characters), with or without a BIC.

    .. versionadded:: 0.2
    """
    from datetime import datetime

    from facturlib.core.money import to_money
    from facturlib.sepa.batch import DirectDebit, DirectDebitBatch
    from facturlib.sepa.mandates import LocalInstrument, Mandate, SequenceType
    from facturlib.testing.builders import SAMPLE_IBANS, sample_creditor

    count = draw(st.integers(min_value=min_debits, max_value=max_debits))
    texts = st.text(max_size=300)
    # A party name is one line: no control character, no lone surrogate (issue 16).
    names = st.text(
        st.characters(
            blacklist_categories=("Cc", "Cs", "Zl", "Zp"),
            blacklist_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
        ),
        max_size=300,
    )
    debits = []
    for i in range(count):
        name = draw(st.sampled_from("ADMZ")) + draw(names)  # at least one EPC letter
        debtor = Party(
            name=name,
            address=Address(
                city=draw(st.sampled_from(["Lyon", "Saint-Étienne", "Zürich"])), country_code="FR"
            ),
            iban=draw(st.sampled_from(SAMPLE_IBANS)),
            bic=draw(st.sampled_from([None, "COBADEFFXXX", "AGRIFRPP"])),
        )
        mandate = Mandate(
            reference=f"RUM-{i}",
            signed_on=date(2025, 1, 1),
            debtor=debtor,
            scheme=draw(st.sampled_from(list(LocalInstrument))),
        )
        cents = draw(st.integers(min_value=1, max_value=9_999_999))
        debits.append(
            DirectDebit(
                end_to_end_id=f"E2E-{i}",
                amount=to_money(Decimal(cents).scaleb(-2), "EUR"),
                mandate=mandate,
                collection_date=date(2025, 3, 3) + timedelta(days=draw(st.integers(0, 3))),
                sequence_type=draw(st.sampled_from(list(SequenceType))),
                remittance=draw(st.none() | texts),
            )
        )
    return DirectDebitBatch(
        message_id="MSG-PROPERTY",
        created_at=datetime(2025, 3, 1, 8, 0),
        creditor=sample_creditor(),
        debits=tuple(debits),
        batch_booking=draw(st.none() | st.booleans()),
    )


@st.composite
def status_histories(draw: st.DrawFn, *, max_size: int = 8) -> list[Any]:
    """Lifecycle histories of one invoice that `facturlib.fold_statuses` accepts.

    Each history walks the allowed transitions (`facturlib.einvoice.statuses.TRANSITIONS`)
    from the start, one `facturlib.StatusEvent` a day, with a reason code where the
    status needs one and amounts for 212 Encaissée.

    .. versionadded:: 0.2
    """
    from facturlib.einvoice.statuses import TRANSITIONS, EncashedAmount, StatusEvent

    size = draw(st.integers(min_value=1, max_value=max_size))
    day = draw(st.dates(min_value=date(2026, 9, 1), max_value=date(2030, 12, 31)))
    current = None
    events: list[Any] = []
    for _ in range(size):
        allowed = sorted(TRANSITIONS[current], key=lambda s: s.value)
        if not allowed:
            break
        status = draw(st.sampled_from(allowed))
        amounts: tuple[Any, ...] = ()
        if status.value == "212":
            amount = draw(st.decimals(min_value="0.01", max_value="10000", places=2))
            amounts = (
                EncashedAmount(
                    vat_percent="20",
                    amount=Money(amount, "EUR"),
                    vat=Money((amount / 6).quantize(Decimal("0.01")), "EUR"),
                ),
            )
        events.append(
            StatusEvent(
                invoice_number="FA-2026-0001",
                status=status,
                on=day,
                reason_code="AUTRE" if status.needs_reason else None,
                amounts=amounts,
            )
        )
        current = status
        day += timedelta(days=1)
    return events
