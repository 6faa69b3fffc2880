"""Exchange rates: how an amount in a foreign currency is stated in the book currency.

A French company keeps its books in euros (C. com. L123-22; the FEC of LPF A47 A-1 is
in euros, with the foreign amount and its currency in ``Montantdevise``/``Idevise``).
An invoice issued in another currency is booked at the rate of the day of the
operation (PCG art. 420-5), and its VAT is also stated in euros on the invoice
(CGI art. 242 nonies A; EN 16931 BT-6 tax currency and BT-111 VAT total in the tax
currency). facturlib never fetches a rate: the caller passes it, as an
`ExchangeRate`, and the same rate gives both the invoice's BT-111 and its journal
entry.

*rate* is how many units of *book_currency* one unit of *currency* is worth
(1 USD = 0.92 EUR is ``rate="0.92"``); `ExchangeRate.convert` multiplies and rounds
half up (away from zero) to the book currency's minor unit.

>>> from datetime import date
>>> from facturlib.core.money import to_money
>>> usd = ExchangeRate(currency="USD", rate="0.92", on=date(2025, 3, 3))
>>> usd.book_currency
EUR
>>> usd.convert(to_money("1200.00", "USD"))
Money('1104.00', 'EUR')
>>> usd.convert(to_money("0.05", "USD"))
Money('0.05', 'EUR')
>>> sorted(usd.invoice_fields().items())
[('tax_currency', EUR), ('tax_exchange_rate', Decimal('0.92'))]
>>> ExchangeRate(currency="USD", rate="0", on=date(2025, 3, 3))
Traceback (most recent call last):
...
facturlib.core.errors.InvalidValue: an exchange rate is above zero ...
"""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal
from typing import Any

import attrs
from moneyed import Currency, Money

from facturlib.core._validators import is_date, to_decimal
from facturlib.core.errors import CurrencyMismatch, InvalidValue
from facturlib.core.money import FrozenMoney, _quantum, currency, exact

__all__ = ["ExchangeRate"]

#: The most decimals a rate may have (central banks publish 4 to 6).
_MAX_PLACES = 12
#: The largest rate accepted (1 unit worth a billion book units: anything above is a typo).
_MAX_RATE = Decimal(10) ** 9


_EUR = currency("EUR")


def _to_currency(value: Any) -> Currency:
    return currency(value)


def _to_rate(value: Any) -> Decimal:
    return to_decimal(value, "rate")


def _check_rate(instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if not value.is_finite() or value <= 0 or value > _MAX_RATE:
        raise InvalidValue(
            "an exchange rate is above zero and at most 10^9",
            field="rate",
            value=value,
            hint='give the units of book currency per unit of foreign currency, e.g. "0.92"',
        )
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > _MAX_PLACES:
        raise InvalidValue(
            f"an exchange rate has at most {_MAX_PLACES} decimals",
            field="rate",
            value=value,
            hint="round the published rate first",
        )


@attrs.frozen(kw_only=True)
class ExchangeRate:
    """The rate of a foreign *currency* in the *book_currency* on a day.

    Attributes:
        currency: the foreign currency (the invoice's or payment's, BT-5).
        book_currency: the currency the books are kept in (``EUR``, BT-6 on an invoice).
        rate: units of *book_currency* per unit of *currency*, above zero (floats refused).
        on: the day the rate applies to (the invoice's or payment's date).

    Raises:
        InvalidValue: a rate not above zero, above 10^9 or with more than 12 decimals;
            the same currency on both sides.
        UnknownCurrency: not an ISO 4217 code.

    .. versionadded:: 0.2
    """

    currency: Currency = attrs.field(converter=_to_currency)
    book_currency: Currency = attrs.field(default=_EUR, converter=_to_currency)
    rate: Decimal = attrs.field(converter=_to_rate, validator=_check_rate)
    on: dt.date = attrs.field(validator=is_date)

    def __attrs_post_init__(self) -> None:
        if self.currency == self.book_currency:
            raise InvalidValue(
                "an exchange rate converts between two different currencies",
                field="currency",
                value=self.currency.code,
                hint="amounts already in the book currency need no rate",
            )

    @exact
    def convert(self, amount: Money) -> Money:
        """*amount* in the book currency, rounded half up to its minor unit.

        Args:
            amount: an amount in `currency`.

        Returns:
            ``amount × rate`` in `book_currency`.

        Raises:
            CurrencyMismatch: *amount* is not in `currency`.

        .. versionadded:: 0.2
        """
        if not isinstance(amount, Money) or amount.currency != self.currency:
            raise CurrencyMismatch(
                f"this rate converts {self.currency.code}, not {amount!r}",
                field="amount",
                value=amount,
                hint=f"pass an amount in {self.currency.code}",
            )
        return FrozenMoney(
            (amount.amount * self.rate).quantize(
                _quantum(self.book_currency), rounding=decimal.ROUND_HALF_UP
            ),
            self.book_currency,
        )

    def invoice_fields(self) -> dict[str, Any]:
        """The invoice fields stating this rate: BT-6 (``tax_currency``) and the rate
        giving BT-111 (``tax_exchange_rate``), for ``attrs.evolve(draft, **fields)``.

        An invoice issued with them is booked at this rate by
        `facturlib.accounting.journal.journal_for`, and states its VAT in the book
        currency (CGI art. 242 nonies A).

        .. versionadded:: 0.2
        """
        return {"tax_currency": self.book_currency, "tax_exchange_rate": self.rate}
