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

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from moneyed import Money

from facturlib.documents import Invoice
from facturlib.lines import Discount, DocumentAllowance, DocumentCharge, Line, Surcharge
from facturlib.money import RoundingPolicy, currency, minor_units
from facturlib.numbering import NumberingScheme, Reset
from facturlib.parties import Party
from facturlib.testing.builders import sample_buyer, sample_seller
from facturlib.vat import FR_FRANCHISE, FR_VAT_RATES, VatRate

__all__ = [
    "currencies",
    "invoices",
    "issue_dates",
    "lines",
    "money_amounts",
    "numbering_schemes",
    "pdf_contexts",
    "pdf_options",
    "quantities",
    "rounding_policies",
    "vat_rates",
    "weights",
]

#: Currencies with 2, 0 and 3 decimals, so minor units vary.
_CURRENCIES = ("EUR", "USD", "GBP", "CHF", "JPY", "KWD")
_NUMBER_CHARSET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-_/"


def currencies() -> st.SearchStrategy[str]:
    """ISO 4217 codes with 2 (EUR, USD…), 0 (JPY) and 3 (KWD) decimals."""
    return st.sampled_from(_CURRENCIES)


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
    from facturlib.money import ROUNDING_MODES

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
) -> Line:
    """A `Line` with a positive quantity, a price of up to 6 decimals, and optionally
    percentage or fixed line discounts and charges."""
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
) -> Invoice:
    """Draft invoices (kind 380) that can be issued: valid parties, a due date, lines in
    one currency, optionally a percentage global discount and a shipping charge."""
    code = draw(currency_codes if currency_codes is not None else currencies())
    cur = currency(code)
    line_list = draw(
        st.lists(
            lines(currency_codes=st.just(code), rates=rates),
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
    return Invoice(
        seller=draw(sellers if sellers is not None else st.just(sample_seller())),
        buyer=draw(buyers if buyers is not None else st.just(sample_buyer())),
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
    from facturlib.parties import Address
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
