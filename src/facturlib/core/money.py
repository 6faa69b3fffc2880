"""Money, rounding to a currency's minor unit, and exact allocation.

The money type is py-moneyed's `Money`/`Currency`, so callers who already hold
them (django-money and friends) pass them straight in. facturlib adds what
py-moneyed lacks:

* `to_money()` builds a `Money` but refuses floats and unknown ISO 4217 codes;
* `RoundingPolicy` names *how* and *where* amounts are rounded: the decimal
  rounding mode (default ``ROUND_HALF_UP``, "arrondi commercial": EN 16931
  only says "rounded to two decimals") and whether VAT is rounded per (category, rate) group — the
  EN 16931 way, BR-CO-17 — or per line;
* rounding always goes to the currency's minor unit (EUR 2 decimals, JPY 0,
  KWD 3) with an explicit ``rounding=``, never the ambient decimal context;
* `allocate()` splits an amount by weights with the largest-remainder method,
  so the parts always add up to the whole.

>>> from facturlib.core.money import to_money, allocate, round_money
>>> round_money(to_money("1.005", "EUR"))
Money('1.01', 'EUR')
>>> round_money(to_money("1234.5", "JPY"))
Money('1235', 'JPY')
>>> allocate(to_money("100.00", "EUR"), [1, 1, 1])
(Money('33.34', 'EUR'), Money('33.33', 'EUR'), Money('33.33', 'EUR'))
>>> to_money(0.1, "EUR")
Traceback (most recent call last):
...
facturlib.core.errors.FloatNotAllowed: floats are not exact enough for money ...
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal, getcontext, setcontext
from functools import lru_cache
from typing import Any, Literal, TypeVar

import attrs
from moneyed import Currency, CurrencyDoesNotExist, Money, get_currency

from facturlib.core._validators import (
    as_tuple,
    check_digits,
    check_money,
    max_places,
    to_cash_increment,
    to_decimal,
    to_tuple,
)
from facturlib.core.errors import (
    AllocationError,
    CurrencyMismatch,
    FloatNotAllowed,
    FrozenValueError,
    InvalidValue,
    UnknownCurrency,
)

__all__ = [
    "ROUNDING_MODES",
    "Currency",
    "FrozenMoney",
    "Money",
    "RoundingPolicy",
    "allocate",
    "currency",
    "minor_units",
    "round_money",
    "same_currency",
    "sum_money",
    "to_money",
]

#: The decimal rounding modes a `RoundingPolicy` accepts.
ROUNDING_MODES = frozenset(
    {
        decimal.ROUND_HALF_UP,
        decimal.ROUND_HALF_EVEN,
        decimal.ROUND_HALF_DOWN,
        decimal.ROUND_UP,
        decimal.ROUND_DOWN,
        decimal.ROUND_CEILING,
        decimal.ROUND_FLOOR,
    }
)

VatRounding = Literal["per_rate", "per_line"]

#: The decimal context every computation runs in (`decimal.localcontext`), so results
#: never depend on the caller's ambient context (a precision of 6, trapped Inexact…):
#: 100 digits hold any product of two 28-digit inputs exactly, and only the conditions
#: that mean a bug are trapped (private to facturlib).
EXACT = decimal.Context(
    prec=100,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999999,
    Emax=999999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

F = TypeVar("F", bound=Callable[..., Any])


def exact(function: F) -> F:
    """Decorator: run *function* in the `EXACT` decimal context and restore the caller's
    afterwards (private to facturlib).

    ``decimal.localcontext`` copies the context on every call (about 1 µs); setting
    the shared `EXACT` and putting the caller's back costs a fifth of that, which
    matters on the totals of every invoice. `EXACT` is never read back (only its
    traps matter), so sharing it between threads is harmless.
    """

    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        caller = getcontext()
        if caller is EXACT:
            return function(*args, **kwargs)
        setcontext(EXACT)
        try:
            return function(*args, **kwargs)
        finally:
            setcontext(caller)

    return run  # type: ignore[return-value]


# ------------------------------------------------------------------ integrity (issue 16)


class FrozenMoney(Money):
    """A `Money` that cannot be changed after it is built.

    py-moneyed's `Money` is a plain object: ``price.amount = Decimal("1.00")`` changes
    it in place, and with it every value that holds it, an issued invoice included.
    facturlib therefore copies every `Money` that enters one of its values into a
    `FrozenMoney` (`freeze_money`), and returns `FrozenMoney` from `to_money`,
    `round_money`, `sum_money`, `allocate` and the totals. It is a `Money` in every
    other respect: it compares, hashes, adds and prints like one, and arithmetic on
    it gives `FrozenMoney` again.

    >>> price = FrozenMoney("12.50", "EUR")
    >>> price == Money("12.50", "EUR"), price
    (True, Money('12.50', 'EUR'))
    >>> price.amount = Decimal("1.00")
    Traceback (most recent call last):
    ...
    facturlib.core.errors.FrozenValueError: a Money held by facturlib cannot be changed ...

    .. versionadded:: 0.2
    """

    # Slots for the two fields (Money keeps them in __dict__): set once by __init__
    # through the slot descriptors, read as fast as Money's; __setattr__ refuses.
    __slots__ = ("amount", "currency")

    def __init__(self, amount: object = Decimal(0), currency: str | Currency | None = None) -> None:
        if currency is None:
            raise InvalidValue("a Money needs its currency", field="currency", value=None)
        _set_amount(self, amount if type(amount) is Decimal else to_decimal(amount, "amount"))
        _set_currency(self, currency if isinstance(currency, Currency) else _lookup(currency))

    def __setattr__(self, name: str, value: object = None) -> None:
        raise FrozenValueError(
            "a Money held by facturlib cannot be changed",
            field=name,
            value=value,
            hint='build a new one, e.g. facturlib.to_money("12.50", "EUR")',
        )

    __delattr__ = __setattr__

    def __reduce__(self) -> tuple[type[FrozenMoney], tuple[Decimal, Currency]]:
        # Pickle and copy rebuild it through __init__ (the default would setattr).
        return (FrozenMoney, (self.amount, self.currency))


_set_amount = FrozenMoney.__dict__["amount"].__set__
_set_currency = FrozenMoney.__dict__["currency"].__set__


def _lookup(code: object) -> Currency:
    return currency(str(code))


def freeze_money(value: object) -> object:
    """attrs converter: a `Money` becomes a `FrozenMoney` copy (an infinite, NaN or
    more-than-28-digit amount is refused); anything else is left for the field's
    validator to refuse, naming the field (private to facturlib)."""
    if type(value) is FrozenMoney:
        return value
    if isinstance(value, Money):
        amount = value.amount
        if not isinstance(amount, Decimal):
            raise InvalidValue(
                f"a Money amount must be a Decimal, got {type(amount).__name__}",
                field="amount",
                value=amount,
                hint='build it with facturlib.to_money("12.50", "EUR")',
            )
        check_digits(amount, "amount")
        return FrozenMoney(amount, value.currency)
    return value


def freeze_money_tuple(value: object) -> object:
    """attrs converter: `as_tuple`, then `freeze_money` on every item (private)."""
    items = as_tuple(value)  # type: ignore[arg-type]
    if isinstance(items, tuple):
        return tuple(freeze_money(item) for item in items)
    return items


def currency(code: str | Currency) -> Currency:
    """Return the ISO 4217 `Currency` for *code*, or raise `UnknownCurrency`.

    >>> currency("eur")
    EUR

    .. versionadded:: 0.1
    """
    if isinstance(code, Currency):
        return code
    return _currency(str(code).strip().upper())


@lru_cache(maxsize=512)
def _currency(code: str) -> Currency:
    try:
        found = get_currency(code)
    except CurrencyDoesNotExist:
        found = None
    if found is None or not code.isalpha() or len(code) != 3 or code == "XXX":
        raise UnknownCurrency(
            "not an ISO 4217 currency code",
            field="currency",
            value=code,
            hint='use a three-letter code such as "EUR", "USD" or "JPY"',
        )
    return found


def to_money(amount: Decimal | int | str, currency_code: str | Currency) -> Money:
    """Build a `Money`, refusing floats and unknown currencies.

    Args:
        amount: a `Decimal`, `int` or numeric `str`; a ``float`` raises `FloatNotAllowed`.
        currency_code: an ISO 4217 code or a `Currency`.

    >>> to_money("12.50", "EUR")
    Money('12.50', 'EUR')

    .. versionadded:: 0.1
    """
    return FrozenMoney(to_decimal(amount, "amount"), currency(currency_code))


def minor_units(cur: Currency | str) -> int:
    """Number of decimals of *cur*'s minor unit (EUR 2, JPY 0, KWD 3).

    >>> minor_units(currency("KWD"))
    3

    .. versionadded:: 0.1
    """
    if not isinstance(cur, Currency):
        if not isinstance(cur, str):
            raise InvalidValue(
                f"expected a Currency or an ISO 4217 code, got {type(cur).__name__}",
                field="currency",
                value=cur,
                hint='pass facturlib.currency("EUR") or "EUR"',
            )
        cur = currency(cur)
    return _minor_units(cur)


@lru_cache(maxsize=512)
def _minor_units(cur: Currency) -> int:
    sub_unit = int(cur.sub_unit or 1)
    places = len(str(sub_unit)) - 1
    if sub_unit != 10**places:  # pragma: no cover - no ISO currency has this
        raise InvalidValue("minor unit is not a power of ten", field="currency", value=cur.code)
    return places


@lru_cache(maxsize=512)
def _quantum(cur: Currency) -> Decimal:
    return Decimal(1).scaleb(-minor_units(cur))


def _is_rounding_mode(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or value not in ROUNDING_MODES:
        raise InvalidValue(
            "unknown rounding mode",
            field=attribute.name,
            value=value,
            hint="use one of the decimal.ROUND_* constants, e.g. decimal.ROUND_HALF_UP",
        )


def _is_vat_rounding(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or value not in ("per_rate", "per_line"):
        raise InvalidValue(
            "VAT rounding must be 'per_rate' or 'per_line'",
            field=attribute.name,
            value=value,
            hint="EN 16931 rounds per rate (BR-CO-17); 'per_line' is for legacy systems",
        )


@attrs.frozen(kw_only=True)
class RoundingPolicy:
    """How and where amounts are rounded.

    Attributes:
        mode: a ``decimal.ROUND_*`` constant; default ``ROUND_HALF_UP`` (arrondi commercial).
        vat_rounding: ``"per_rate"`` (EN 16931 BR-CO-17, the default): VAT is computed once per
            (category, rate) group on the group's taxable base; ``"per_line"``: VAT is rounded
            on every line and summed (what some legacy tools do; the EN 16931 schematron
            tolerates the difference).
        cash_increment: if set (e.g. ``Decimal("0.05")`` for CHF cash), the amount due is
            rounded to this increment and the difference reported as BT-114.

    >>> policy = RoundingPolicy()
    >>> policy.round(Decimal("0.605"), currency("EUR"))
    Decimal('0.61')
    >>> RoundingPolicy(mode=decimal.ROUND_HALF_EVEN).round(Decimal("0.605"), currency("EUR"))
    Decimal('0.60')

    .. versionadded:: 0.1
    """

    mode: str = attrs.field(default=decimal.ROUND_HALF_UP, validator=_is_rounding_mode)
    vat_rounding: VatRounding = attrs.field(default="per_rate", validator=_is_vat_rounding)
    cash_increment: Decimal | None = attrs.field(
        default=None,
        converter=to_cash_increment,
    )

    @cash_increment.validator
    def _check_increment(self, attribute: attrs.Attribute[Decimal | None], value: object) -> None:
        if isinstance(value, Decimal) and value <= 0:
            raise InvalidValue(
                "cash increment must be positive", field="cash_increment", value=value
            )

    @exact
    def round(self, amount: Decimal, cur: Currency) -> Decimal:
        """Round a Decimal *amount* to the minor unit of *cur* with this policy's mode."""
        return amount.quantize(_quantum(cur), rounding=self.mode)

    def round_money(self, amount: Money) -> Money:
        """Round a `Money` to its currency's minor unit with this policy's mode."""
        return FrozenMoney(self.round(amount.amount, amount.currency), amount.currency)

    @exact
    def round_cash(self, amount: Decimal, cur: Currency) -> Decimal:
        """Round *amount* to the cash increment (or just the minor unit if none is set)."""
        if self.cash_increment is None:
            return self.round(amount, cur)
        steps = (amount / self.cash_increment).quantize(Decimal(1), rounding=self.mode)
        return self.round(steps * self.cash_increment, cur)


#: The default policy: half-up, VAT per rate, no cash rounding.
DEFAULT_ROUNDING = RoundingPolicy()


def round_money(amount: Money, policy: RoundingPolicy = DEFAULT_ROUNDING) -> Money:
    """Round *amount* to its currency's minor unit under *policy*.

    >>> round_money(to_money("0.125", "KWD"))
    Money('0.125', 'KWD')

    .. versionadded:: 0.1
    """
    check_money(amount, "amount")
    check_digits(amount.amount, "amount")
    if not isinstance(policy, RoundingPolicy):
        raise InvalidValue(
            f"expected a RoundingPolicy, got {type(policy).__name__}",
            field="policy",
            value=policy,
            hint="pass a facturlib.RoundingPolicy, e.g. RoundingPolicy()",
        )
    return policy.round_money(amount)


def same_currency(amounts: Iterable[Money], field: str = "amounts") -> Currency | None:
    """Return the one currency of *amounts*, or raise `CurrencyMismatch`.

    Returns ``None`` when *amounts* is empty.

    >>> same_currency([to_money(1, "EUR"), to_money(2, "USD")])
    Traceback (most recent call last):
    ...
    facturlib.core.errors.CurrencyMismatch: cannot mix EUR and USD ...

    .. versionadded:: 0.1
    """
    found: Currency | None = None
    for amount in amounts:
        if not isinstance(amount, Money):
            raise InvalidValue(
                f"expected Money, got {type(amount).__name__}", field=field, value=amount
            )
        if found is None:
            found = amount.currency
        elif amount.currency != found:
            raise CurrencyMismatch(
                f"cannot mix {found.code} and {amount.currency.code}",
                field=field,
                value=f"{amount.amount} {amount.currency.code}",
                hint="convert one amount at an explicit rate first",
            )
    return found


def _require_currency(amount: Money, cur: Currency, field: str) -> None:
    """Raise `CurrencyMismatch` unless *amount* is in *cur* (private: used by documents
    and totals, which name the offending field)."""
    if amount.currency is not cur and amount.currency != cur:
        raise CurrencyMismatch(
            f"an amount in {amount.currency.code} on a {cur.code} document",
            field=field,
            value=f"{amount.amount} {amount.currency.code}",
            hint=f"give every amount in {cur.code}, or convert at an explicit rate first",
        )


def _zero_amount(cur: Currency) -> Decimal:
    """Zero with the currency's minor-unit decimals (``0.00`` in EUR, ``0`` in JPY), the
    start of every sum, so that sums, even empty ones, show their cents (private: shared
    by the modules that sum money)."""
    return Decimal(0).scaleb(-minor_units(cur))


def sum_money(amounts: Iterable[Money], cur: str | Currency) -> Money:
    """Sum *amounts*, all in *cur*; an empty sum is zero in *cur*.

    >>> sum_money([to_money("1.10", "EUR"), to_money("2.20", "EUR")], "EUR")
    Money('3.30', 'EUR')

    .. versionadded:: 0.1
    """
    amounts = to_tuple(amounts, "amounts")
    target = currency(cur)
    items = tuple(amounts)
    found = same_currency(items)
    if found is not None and found != target:
        raise CurrencyMismatch(
            f"cannot sum {found.code} amounts as {target.code}",
            field="amounts",
            value=found.code,
            hint="convert the amounts at an explicit rate first",
        )
    for index, item in enumerate(items):
        check_digits(item.amount, f"amounts[{index}]")
    return _sum(items, target)


@exact
def _sum(items: tuple[Money, ...], target: Currency) -> Money:
    return FrozenMoney(sum((m.amount for m in items), _zero_amount(target)), target)


def allocate(total: Money, weights: Sequence[Decimal | int | str]) -> tuple[Money, ...]:
    """Split *total* in proportion to *weights*, exactly, by largest remainder.

    Each part is first rounded down to the currency's minor unit; the minor units
    left over go one each to the parts with the largest remainders (earlier
    parts first on a tie). The parts therefore always add up to *total*, and no
    part differs from its exact share by a whole minor unit or more.

    Args:
        total: the amount to split (it is first rounded to the minor unit).
        weights: non-negative numbers, at least one positive; floats are refused.

    Returns:
        One `Money` per weight, in the same order.

    Raises:
        AllocationError: no weights, a negative weight, or all weights zero.

    >>> allocate(to_money("10.00", "EUR"), ["30", "40", "30"])
    (Money('3.00', 'EUR'), Money('4.00', 'EUR'), Money('3.00', 'EUR'))
    >>> allocate(to_money("-0.05", "EUR"), [1, 1])
    (Money('-0.03', 'EUR'), Money('-0.02', 'EUR'))

    .. versionadded:: 0.1
    """
    if not isinstance(total, Money):
        raise AllocationError("total must be Money", field="total", value=total)
    check_digits(total.amount, "total")
    ws = [to_decimal(w, f"weights[{i}]") for i, w in enumerate(to_tuple(weights, "weights"))]
    if not ws:
        raise AllocationError("cannot allocate over no weights", field="weights", value=ws)
    for i, w in enumerate(ws):
        if w < 0:
            raise AllocationError(
                "weights must not be negative",
                field=f"weights[{i}]",
                value=w,
                hint="allocate positive and negative parts separately",
            )
    weight_sum = sum(ws, Decimal(0))
    if weight_sum == 0:
        raise AllocationError("at least one weight must be positive", field="weights", value=ws)
    return _allocate(total, ws, weight_sum)


@exact
def _allocate(total: Money, ws: list[Decimal], weight_sum: Decimal) -> tuple[Money, ...]:
    cur = total.currency
    amount = total.amount.quantize(_quantum(cur), rounding=decimal.ROUND_HALF_UP)
    sign = -1 if amount < 0 else 1
    parts = split_to_total([abs(amount) * w / weight_sum for w in ws], abs(amount), cur)
    return tuple(FrozenMoney(sign * p, cur) for p in parts)


@exact
def split_to_total(exact: Sequence[Decimal], total: Decimal, cur: Currency) -> list[Decimal]:
    """Round each of *exact* to the minor unit so that the results sum to *total*.

    Private to facturlib (used by `allocate` and the tax-inclusive price
    reconciliation): *exact* may hold signed values; *total* must be within one
    minor unit per value of ``sum(exact)``. Values are floored, then the missing
    minor units go to the largest remainders.
    """
    q = _quantum(cur)
    floors = [x.quantize(q, rounding=decimal.ROUND_FLOOR) for x in exact]
    missing = int(((total - sum(floors, Decimal(0))) / q).to_integral_value())
    if not 0 <= missing <= len(exact):
        raise AllocationError(
            "total is not reachable from the exact parts",
            field="total",
            value=total,
        )
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:missing]:
        floors[i] += q
    return floors


def _check_positive_money(
    value: object,
    field: str,
    *,
    error: type[InvalidValue],
    what: str,
    negative_hint: str,
    places_hint: str,
) -> None:
    """Private check shared by payments and journal lines: *value* is a `Money`,
    positive, in whole minor units of its currency; else raise *error* (the
    caller's layer) naming *what* it is and how to fix it. Floats raise
    `FloatNotAllowed`."""
    if isinstance(value, float):
        raise FloatNotAllowed(
            "floats are not exact enough for money",
            field=field,
            value=value,
            hint='pass Money built with facturlib.to_money("12.50", "EUR")',
        )
    if not isinstance(value, Money):
        raise error(
            f"expected a Money, got {type(value).__name__}",
            field=field,
            value=value,
            hint='build it with facturlib.to_money("12.50", "EUR")',
        )
    if not value.amount > 0:
        raise error(f"{what} must be positive", field=field, value=value, hint=negative_hint)
    max_places(
        value.amount,
        minor_units(value.currency),
        field,
        f"{what} in {value.currency.code}",
        error=error,
        hint=places_hint,
        shown=value,
    )
