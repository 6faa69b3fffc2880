"""Laws of the PDF renderer: it prints the totals it is given, the same way every time.

* the amount due, total TTC and total VAT printed are ``document.totals()``'s,
  formatted for the locale (the renderer never computes);
* rendering is deterministic: the same document gives the same bytes;
* the watermark is on drafts and never on issued invoices;
* the fast number formatting always equals babel's.
"""

from __future__ import annotations

import io
from decimal import Decimal

from babel.numbers import format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from facturlib import SequenceState, issue
from facturlib.money import currency, minor_units
from facturlib.renderers._format import Formatter, parse_locale
from facturlib.renderers.pdf import PdfRenderer
from facturlib.testing.builders import sample_scheme
from facturlib.testing.strategies import currencies, invoices, pdf_contexts, pdf_options

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
    issued, _ = issue(invoice, sample_scheme(), SequenceState(), on=invoice.due_date)
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
    issued, _ = issue(invoice, sample_scheme(), SequenceState(), on=invoice.due_date)
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
