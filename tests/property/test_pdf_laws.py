"""Laws of the PDF renderer: it prints the totals it is given, the same way every time.

* the amount due, total TTC and total VAT printed are ``document.totals()``'s,
  formatted for the locale (the renderer never computes);
* rendering is deterministic: the same document gives the same bytes;
* the watermark is on drafts and never on issued invoices;
* the fast number formatting always equals babel's;
* a dunning letter prints the figures the letter holds (amounts due, interest,
  indemnities, total), and no other total;
* the installments `PdfContext.for_invoice` takes from `due_schedule` sum to the
  amount due and are each printed.
"""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

from babel.numbers import format_decimal
from hypothesis import assume, given, reject, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from facturlib import SequenceState, issue
from facturlib.core.errors import PaymentError
from facturlib.core.money import currency, minor_units, sum_money, to_money
from facturlib.receivables.dunning import DunningPolicy, dunning_letters, dunning_run
from facturlib.receivables.penalties import PenaltyPolicy
from facturlib.renderers._format import Formatter, parse_locale
from facturlib.renderers.pdf import PdfContext, PdfRenderer
from facturlib.testing.builders import sample_scheme
from facturlib.testing.strategies import (
    currencies,
    invoices,
    issued_invoices,
    payment_terms,
    pdf_contexts,
    pdf_options,
)

SPACES = str.maketrans({"\xa0": " ", "\u202f": " "})
LOCALES = st.sampled_from(["fr_FR", "en_GB", "de_DE", "de_CH", "en_IN"])


def flat_text(content: bytes) -> str:
    """The PDF's text with every run of white space (no-break ones too) as one space."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join("\n".join(p.extract_text() for p in reader.pages).translate(SPACES).split())


@settings(max_examples=25)
@given(invoice=invoices(max_lines=5), locale=LOCALES, options=pdf_options(), context=pdf_contexts())
def test_prints_the_documents_totals(invoice, locale, options, context) -> None:
    """Total VAT, total TTC and the amount due appear as `totals()` gives them."""
    issued, _ = issue(
        invoice, sample_scheme(), SequenceState(), on=invoice.due_date, allow_negative=True
    )
    renderer = PdfRenderer(locale=locale, options=options)
    text = flat_text(renderer.render(issued, context=context).content)
    fmt = Formatter(parse_locale(locale))
    totals = issued.totals()

    for amount in (totals.vat_total, totals.tax_inclusive_total, totals.amount_due):
        assert " ".join(fmt.money(amount).translate(SPACES).split()) in text


@settings(max_examples=15)
@given(invoice=invoices(max_lines=4), locale=LOCALES, context=pdf_contexts(conditions=False))
def test_deterministic(invoice, locale, context) -> None:
    """Two renderings of one document are byte for byte the same."""
    first = PdfRenderer(locale=locale).render(invoice, context=context).content
    second = PdfRenderer(locale=locale).render(invoice, context=context).content

    assert first == second


@settings(max_examples=15)
@given(invoice=invoices(max_lines=3), watermark=st.sampled_from(["BROUILLON", "SPECIMEN"]))
def test_watermark_on_drafts_only(invoice, watermark) -> None:
    """A draft carries the watermark; the same invoice issued never does."""
    issued, _ = issue(
        invoice, sample_scheme(), SequenceState(), on=invoice.due_date, allow_negative=True
    )
    renderer = PdfRenderer(watermark=watermark)

    assert watermark in flat_text(renderer.render(invoice).content)
    assert watermark not in flat_text(renderer.render(issued).content)


@given(
    value=st.decimals(min_value=-(10**12), max_value=10**12, places=6, allow_nan=False),
    code=currencies(),
    locale=LOCALES,
)
def test_amounts_format_as_babel(value: Decimal, code: str, locale: str) -> None:
    """Fast amount formatting equals babel's pattern at the same precision, never rounding."""
    fmt = Formatter(parse_locale(locale))
    cur = currency(code)
    places = max(minor_units(cur), -value.as_tuple().exponent)  # type: ignore[operator]

    assert fmt._babel_amount(value, code, places) == fmt.amount(value, cur)


@given(
    value=st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False),
    locale=LOCALES,
)
def test_quantities_format_as_babel(value: Decimal, locale: str) -> None:
    """Fast quantity formatting equals babel's ``format_decimal``."""
    expected = format_decimal(value, locale=locale, decimal_quantization=False)

    assert expected == Formatter(parse_locale(locale)).number(value)


def _shown(fmt: Formatter, amount: object) -> str:
    return " ".join(fmt.money(amount).translate(SPACES).split())  # type: ignore[arg-type]


@settings(max_examples=20)
@given(
    invoice=issued_invoices(max_lines=3),
    late=st.integers(min_value=7, max_value=400),
    rate=st.decimals(min_value=Decimal("0.5"), max_value=Decimal(20), places=2),
    locale=LOCALES,
)
def test_letters_print_their_own_figures(invoice, late, rate, locale) -> None:
    """Every figure of a dunning letter is printed as the letter holds it (DOMAIN §8)."""
    indemnity = to_money("40", invoice.currency.code)
    policy = DunningPolicy.french_default(penalties=PenaltyPolicy(rate=rate, indemnity=indemnity))
    day = invoice.due_date + timedelta(days=late)
    letters = dunning_letters(dunning_run([invoice], [], policy, day))
    assume(letters)
    (letter,) = letters
    text = flat_text(PdfRenderer(locale=locale).render(letter).content)
    fmt = Formatter(parse_locale(locale))

    assert letter.amount_due + letter.interest + indemnity == letter.total
    for amount in (letter.amount_due, letter.total, letter.indemnities):
        assert _shown(fmt, amount) in text
    if letter.interest.amount:
        assert _shown(fmt, letter.interest) in text


@settings(max_examples=20)
@given(invoice=issued_invoices(max_lines=3), terms=payment_terms(), locale=LOCALES)
def test_installments_sum_to_the_amount_due_and_are_printed(invoice, terms, locale) -> None:
    """The schedule on the page sums to the amount due; each installment is printed."""
    try:
        context = PdfContext.for_invoice(invoice, terms=terms)
    except PaymentError:
        reject()  # terms that do not fit this invoice (an installment before its issue)
    text = flat_text(PdfRenderer(locale=locale).render(invoice, context=context).content)
    fmt = Formatter(parse_locale(locale))

    if context.installments:
        total = sum_money((i.amount for i in context.installments), invoice.currency)
        assert invoice.totals().amount_due == total
    for installment in context.installments:
        assert f"{fmt.date(installment.date)}" in text
        assert _shown(fmt, installment.amount) in text


@settings(max_examples=25, deadline=None)
@given(invoice=invoices(max_lines=4, mentions=True), locale=LOCALES)
def test_prints_the_2026_mentions(invoice, locale) -> None:
    """With the 2026 data (goods or services, payment means, notes with hostile text,
    deliver-to), the PDF prints the nature of the operations and the totals, and never a
    VAT category code next to a rate."""
    from facturlib.core.documents import billing_framework
    from facturlib.renderers.pdf import LABELS

    renderer = PdfRenderer(locale=locale)
    text = flat_text(renderer.render(invoice).content)
    language = locale.split("_")[0]
    letter = billing_framework(invoice)[0]

    assert " ".join(LABELS[language][f"operation.{letter}"].split()) in text
    fmt = Formatter(parse_locale(locale))
    amount = invoice.totals().amount_due
    assert " ".join(fmt.money(amount).translate(SPACES).split()) in text
    for code in ("S", "Z", "E", "AE", "K", "G", "O"):
        assert f"% {code} " not in text + " "
