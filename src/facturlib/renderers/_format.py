"""Locale-aware formatting of amounts, quantities, rates and dates (babel, CLDR).

Formatting never rounds: an amount is printed with its currency's minor unit
(EUR 2, JPY 0, KWD 3) or more decimals if it has more (unit prices have up to 6,
BT-146). babel's ``format_currency`` would round to CLDR's digits under the
ambient decimal context, so its pattern is applied with an explicit fraction
precision instead.

babel's pattern machinery costs tens of microseconds per number, which adds up
over a 1 000-line invoice. For the common case — Latin digits, groups of three —
`Formatter` formats with Python's own ``format(value, ",f")`` and the locale's
symbols, and uses that fast path for a currency only after checking that it gives
exactly babel's output on a few probe values; otherwise it keeps using babel.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.numbers import NumberPattern, format_decimal, format_percent, get_currency_symbol
from moneyed import Currency, Money

from facturlib.core.errors import RenderError
from facturlib.core.money import minor_units

__all__ = ["DEFAULT_DATE_FORMAT", "Formatter", "parse_locale"]

#: The default date format: a CLDR skeleton, day, month (2 digits) and full year.
DEFAULT_DATE_FORMAT = "yMMdd"
_DATE_STYLES = frozenset({"short", "medium", "long", "full"})
_PROBES = (Decimal("-1234567.891"), Decimal("0.5"), Decimal("1000"), Decimal("12"))
_CACHE_LIMIT = 512
_Date = date  # `Formatter.date` shadows the type inside the class


def parse_locale(value: str) -> Locale:
    """The babel `Locale` for ``"fr_FR"``, ``"en-GB"``…, or `RenderError`."""
    try:
        return Locale.parse(str(value).replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise RenderError(
            "unknown locale",
            field="locale",
            value=value,
            hint='use a CLDR locale identifier such as "fr_FR", "en_GB" or "de_DE"',
        ) from None


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


class Formatter:
    """Formats values for one locale (amounts, quantities, percentages, dates)."""

    def __init__(self, locale: Locale, date_format: str = DEFAULT_DATE_FORMAT) -> None:
        self.locale = locale
        self.date_format = date_format
        self._currency_pattern: NumberPattern = locale.currency_formats["standard"]
        self._patterns: dict[int, NumberPattern] = {}
        self._fast: dict[str, Callable[[Decimal, int], str] | None] = {}
        self._fast_number = self._checked(self._grouped(), self._babel_number)
        self._percents: dict[Decimal, str] = {}
        self._dates: dict[date, str] = {}

    # Amounts ------------------------------------------------------------------------------

    def money(self, amount: Money) -> str:
        """``1 234,56 €`` (fr_FR), ``€1,234.56`` (en_GB); never rounds."""
        return self.amount(amount.amount, amount.currency)

    def amount(self, value: Decimal, currency: Currency) -> str:
        """Like `money`, for a Decimal *value* in *currency* (no Money built per line)."""
        places = max(minor_units(currency), _places(value))
        code = currency.code
        if code not in self._fast:
            self._fast[code] = self._checked(
                self._grouped(*self._affixes(code)),
                lambda v, p: self._babel_amount(v, code, p),
            )
        fast = self._fast[code]
        if fast is not None:
            return fast(value, places)
        return self._babel_amount(value, code, places)

    def _babel_amount(self, value: Decimal, code: str, places: int) -> str:
        pattern = self._patterns.get(places)
        if pattern is None:
            pattern = copy.copy(self._currency_pattern)
            pattern.frac_prec = (places, places)
            self._patterns[places] = pattern
        text: str = pattern.apply(value, self.locale, currency=code, currency_digits=False)
        return text

    def _affixes(self, code: str) -> tuple[tuple[str, str], tuple[str, str]]:
        symbol = get_currency_symbol(code, locale=self.locale)
        pattern = self._currency_pattern
        prefixes = tuple(p.replace("¤", symbol) for p in pattern.prefix)
        suffixes = tuple(s.replace("¤", symbol) for s in pattern.suffix)
        return (prefixes[0], suffixes[0]), (prefixes[1], suffixes[1])

    # Quantities and rates ---------------------------------------------------------------

    def number(self, value: Decimal) -> str:
        """A quantity, without trailing zeros: ``1,5`` (fr), ``1.5`` (en), ``1 000``."""
        if self._fast_number is not None:
            normal = _normal(value)
            return self._fast_number(normal, _places(normal))
        return self._babel_number(value, 0)

    def _babel_number(self, value: Decimal, places: int) -> str:
        text: str = format_decimal(value, locale=self.locale, decimal_quantization=False)
        return text

    def percent(self, value: Decimal) -> str:
        """A rate given in percent (``Decimal("5.5")``) as ``5,5 %`` (fr) or ``5.5%`` (en)."""
        text = self._percents.get(value)
        if text is None:
            text = format_percent(value.scaleb(-2), locale=self.locale, decimal_quantization=False)
            if len(self._percents) < _CACHE_LIMIT:
                self._percents[value] = text
        return text

    # Dates --------------------------------------------------------------------------------

    def date(self, value: date | None) -> str:
        """A date in the renderer's format; an em dash for a missing date."""
        if value is None:
            return "—"
        text = self._dates.get(value)
        if text is None:
            text = self._format_date(value)
            if len(self._dates) < _CACHE_LIMIT:  # a document prints a few dates, often the same
                self._dates[value] = text
        return text

    def _format_date(self, value: _Date) -> str:
        if self.date_format in _DATE_STYLES:
            return format_date(value, self.date_format, locale=self.locale)
        if self.date_format.isalpha():
            try:
                return format_skeleton(self.date_format, value, locale=self.locale)
            except KeyError:
                pass
        return format_date(value, self.date_format, locale=self.locale)

    # The fast path ------------------------------------------------------------------------

    def _grouped(
        self,
        positive: tuple[str, str] = ("", ""),
        negative: tuple[str, str] | None = None,
    ) -> Callable[[Decimal, int], str] | None:
        """Python formatting with the locale's symbols, for Latin digits in groups of 3."""
        locale = self.locale
        if locale.default_numbering_system != "latn":
            return None
        pattern = self._currency_pattern if negative is not None else locale.decimal_formats[None]
        if pattern.grouping != (3, 3):
            return None
        symbols = locale.number_symbols["latn"]
        table = str.maketrans({",": symbols["group"], ".": symbols["decimal"]})
        minus = symbols["minusSign"]
        if negative is None:
            negative = (minus, "")
        else:
            negative = (negative[0].replace("-", minus), negative[1].replace("-", minus))
        (pos_prefix, pos_suffix), (neg_prefix, neg_suffix) = positive, negative

        def fast(value: Decimal, places: int) -> str:
            if value < 0:
                digits = format(-value, f",.{places}f").translate(table)
                return f"{neg_prefix}{digits}{neg_suffix}"
            digits = format(value, f",.{places}f").translate(table)
            return f"{pos_prefix}{digits}{pos_suffix}"

        return fast

    @staticmethod
    def _checked(
        fast: Callable[[Decimal, int], str] | None, slow: Callable[[Decimal, int], str]
    ) -> Callable[[Decimal, int], str] | None:
        """*fast* if it gives exactly what babel gives on the probe values, else ``None``."""
        if fast is None:
            return None
        for probe in _PROBES:
            places = _places(probe)
            if fast(probe, places) != slow(probe, places):
                return None
        return fast


def _normal(value: Decimal) -> Decimal:
    """*value* without trailing zeros or exponent (babel prints ``1.50`` as ``1.5``)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()
