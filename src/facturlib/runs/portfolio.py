"""Portfolio files: everything a bill run needs, as one JSON or YAML document.

A portfolio holds the seller, its numbering series, its named payment terms, its
catalogue, its customers (with the e-invoice format each one wants and its default
terms), the SEPA mandates they signed, and what is billed: subscriptions
(`facturlib.recurring.subscriptions.Subscription`), projects billed by milestones
(`facturlib.projects.milestones.BillingPlan` over an order) and pre-billing
engagements (`facturlib.projects.prebilling.Engagement` and the month's usage). It
also holds the payments received and the **state** of the previous runs: the
numbering state (`facturlib.core.numbering.SequenceState`), what each source was
billed through, the invoices issued, the dunning history and each mandate's
collection history. `facturlib.runs.billing.bill_run` returns the state after the
run; `portfolio_to_dict` writes the whole portfolio back, ready for the next run.

The format is versioned: the ``version`` field (1 today) says which schema the file
follows; the JSON Schema ships with facturlib as ``facturlib/runs/portfolio-v1.schema.json``
(`schema_path`). Values are written as `facturlib.core.serialize.to_dict` writes
them (amounts as strings, dates as ISO strings), and refer to one another by id: a
subscription names its ``customer`` and each item its ``product``.

Loading checks everything and reports **every** problem at once, each with its
path, in one `PortfolioError`:

>>> data = {"version": 1, "seller": {"name": "Atelier"}, "numbering": {},
...         "customers": [{"id": "C1", "name": "Client", "address": {"city": "Lyon",
...                        "country_code": "FR"}}],
...         "subscriptions": [{"reference": "ABO-1", "customer": "C9", "currency": "EUR",
...                            "start": "2026-01-01", "items": [{"product": "NOPE"}]}]}
>>> portfolio_from_dict(data, source="p.yaml")
Traceback (most recent call last):
...
facturlib.runs.portfolio.PortfolioError: p.yaml: 6 problems in the portfolio ...
>>> try:
...     portfolio_from_dict(data, source="p.yaml")
... except PortfolioError as error:
...     for problem in error.problems:
...         print(problem.reference, "—", problem.message)
seller.address — missing fields for Party: address
numbering.invoice — missing: the pattern of the invoice series; expected e.g. "FA-{yyyy}-{seq:04}"
numbering.credit_note — missing: the pattern of the credit_note series; ...
numbering.deposit — missing: the pattern of the deposit series; expected e.g. "AC-{yyyy}-{seq:04}"
subscriptions[0].customer — no customer 'C9'; expected one of ['C1']
subscriptions[0].items[0].product — no product 'NOPE' in the catalogue; expected one of []

Input files are hostile: `load_portfolio` reads at most `MAX_PORTFOLIO_BYTES`, YAML
is read with a safe loader that builds plain data only (no tag constructs an
object; anchors and aliases are refused, so no "billion laughs"), decimals stay
text (never floats), and nothing but the named file is opened.

.. versionadded:: 0.2
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from functools import partial
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

import attrs

from facturlib.core._codes import DocumentKind
from facturlib.core._validators import (
    as_tuple,
    check_instance,
    instance_of,
    is_bool,
    is_date,
    is_int,
    is_optional_date,
    is_optional_text,
    is_text,
    to_enum,
    tuple_of,
)
from facturlib.core.documents import Invoice, Order
from facturlib.core.errors import FacturlibError, InvalidValue, Problem
from facturlib.core.lines import Line, Product
from facturlib.core.numbering import (
    NumberingPlan,
    NumberingScheme,
    Reset,
    SequenceState,
    SeriesRule,
)
from facturlib.core.parties import Address, Party
from facturlib.core.periods import (
    ANNUAL,
    BIMONTHLY,
    MONTHLY,
    QUARTERLY,
    SEMIANNUAL,
    WEEKLY,
    Period,
)
from facturlib.core.serialize import from_dict, to_dict
from facturlib.projects.milestones import BillingPlan
from facturlib.projects.prebilling import (
    Engagement,
    FlatFeeMission,
    Mission,
    TimeMission,
    UnitMission,
    Usage,
)
from facturlib.receivables.dunning import DunningRecord
from facturlib.receivables.payments import Payment, PaymentAllocation
from facturlib.receivables.terms import EndOfMonth, PaymentTerms, parse_terms
from facturlib.recurring.subscriptions import Subscription, SubscriptionItem
from facturlib.sepa.mandates import Mandate, MandateHistory

__all__ = [
    "MAX_PORTFOLIO_BYTES",
    "PORTFOLIO_VERSION",
    "Billed",
    "BillingPortfolio",
    "EInvoiceFormat",
    "NamedTerms",
    "PortfolioCustomer",
    "PortfolioError",
    "PortfolioProject",
    "PortfolioSubscription",
    "RunState",
    "load_portfolio",
    "portfolio_from_dict",
    "portfolio_to_dict",
    "read_portfolio",
    "schema_path",
]

#: The version of the portfolio format this facturlib reads and writes.
PORTFOLIO_VERSION = 1

#: The largest portfolio file `load_portfolio` reads: 64 MiB.
MAX_PORTFOLIO_BYTES = 64 * 1024 * 1024

_T = TypeVar("_T")


class PortfolioError(InvalidValue):
    """A portfolio file that cannot be loaded: every problem found, at once.

    Attributes:
        source: the file (or the name the caller gave the data).
        problems: one `facturlib.core.errors.Problem` per bad field; its ``reference`` is
            the path (``subscriptions[3].items[0].price``), its ``message`` says
            what is wrong and what is expected.

    .. versionadded:: 0.2
    """

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        count = len(self.problems)
        lines = "".join(f"\n  {p.reference}: {p.message}" for p in self.problems)
        super().__init__(
            f"{source}: {count} problem{'s' if count != 1 else ''} in the portfolio{lines}",
            field=self.problems[0].reference if self.problems else None,
            hint="fix each field named; the format is in docs/bill-runs.md",
        )


def _to_format(value: EInvoiceFormat | str) -> EInvoiceFormat:
    return to_enum(value, EInvoiceFormat, "e_invoice")


def _check_numbering(instance: object, attribute: Any, value: Any) -> None:
    """The (kind, pattern) pairs of the three series, each kind once."""
    if not isinstance(value, tuple) or not all(
        isinstance(item, tuple)
        and len(item) == 2
        and item[0] in _KINDS
        and isinstance(item[1], str)
        for item in value
    ):
        raise InvalidValue(
            "expected (kind, pattern) pairs",
            field=attribute.name,
            value=value,
            hint='e.g. [("invoice", "FA-{yyyy}-{seq:04}"), ("credit_note", …), ("deposit", …)]',
        )
    if sorted(kind for kind, _ in value) != sorted(_KINDS):
        raise InvalidValue(
            f"expected one pattern for each of {sorted(_KINDS)}",
            field=attribute.name,
            value=[kind for kind, _ in value],
            hint="give every series its pattern once",
        )
    for _, pattern in value:
        NumberingScheme(pattern=pattern)


def _check_usage(instance: object, attribute: Any, value: Any) -> None:
    """(month, Usage) pairs, the month given by its first day."""
    ok = isinstance(value, tuple) and all(
        isinstance(item, tuple)
        and len(item) == 2
        and isinstance(item[0], date)
        and not isinstance(item[0], datetime)
        and item[0].day == 1
        and isinstance(item[1], Usage)
        for item in value
    )
    if not ok:
        raise InvalidValue(
            "expected (month, Usage) pairs, the month as the date of its first day",
            field=attribute.name,
            value=value,
            hint="e.g. [(date(2026, 3, 1), Usage(...))]",
        )


class EInvoiceFormat(enum.Enum):
    """The e-invoice a customer receives with each invoice, besides the PDF and JSON.

    * ``facturx`` — a Factur-X PDF (PDF/A-3 with its CII XML, EN 16931 profile);
    * ``cii`` — the UN/CEFACT CII D22B XML alone;
    * ``ubl`` — the OASIS UBL 2.1 XML (Peppol networks);
    * ``none`` — the PDF only.

    .. versionadded:: 0.2
    """

    FACTURX = "facturx"
    CII = "cii"
    UBL = "ubl"
    NONE = "none"


@attrs.frozen(kw_only=True)
class NamedTerms:
    """Payment terms named in the portfolio, as written and as read.

    Attributes:
        name: what customers, subscriptions and projects call them (``"NET30"``).
        text: the wording, read by `facturlib.receivables.terms.parse_terms`
            (``"45 jours fin de mois"``) and printed on the invoice (BT-20).
        end_of_month: the `EndOfMonth` convention of an end-of-month wording.
        terms: the parsed `PaymentTerms`.

    .. versionadded:: 0.2
    """

    name: str = attrs.field(validator=is_text)
    text: str = attrs.field(validator=is_text)
    end_of_month: EndOfMonth | None = attrs.field(validator=instance_of(EndOfMonth, optional=True))
    terms: PaymentTerms = attrs.field(validator=instance_of(PaymentTerms))


@attrs.frozen(kw_only=True)
class PortfolioCustomer:
    """A customer of the portfolio: the party, its e-invoice format and default terms.

    .. versionadded:: 0.2
    """

    party: Party = attrs.field(validator=instance_of(Party))
    e_invoice: EInvoiceFormat = attrs.field(default=EInvoiceFormat.FACTURX, converter=_to_format)
    terms: str | None = attrs.field(default=None, validator=is_optional_text)

    @property
    def key(self) -> str:
        """The customer's id (`Party.key`)."""
        return self.party.key


@attrs.frozen(kw_only=True)
class PortfolioSubscription:
    """A subscription of the portfolio.

    Attributes:
        subscription: the contract.
        terms: the name of its payment terms (default: the customer's); they set the
            due date instead of ``payment_days``.
        group: whether its invoices may be grouped with the customer's other
            subscriptions billed the same day ("groupement"); ``False`` opts out.

    .. versionadded:: 0.2
    """

    subscription: Subscription = attrs.field(validator=instance_of(Subscription))
    terms: str | None = attrs.field(default=None, validator=is_optional_text)
    group: bool = attrs.field(default=True, validator=is_bool)

    @property
    def source(self) -> str:
        """Its key in `RunState.billed`: ``"subscription:<reference>"``."""
        return f"subscription:{self.subscription.reference}"


@attrs.frozen(kw_only=True)
class PortfolioProject:
    """An order billed by milestones (`facturlib.projects.milestones.milestone_invoices`).

    Attributes:
        id: the project's id.
        order: the order (its lines from the catalogue).
        plan: the `BillingPlan`.
        start: the date milestone offsets count from.
        payment_days: days from a milestone's date to its due date.
        terms: the name of its payment terms (default: the customer's).

    .. versionadded:: 0.2
    """

    id: str = attrs.field(validator=is_text)
    order: Order = attrs.field(validator=instance_of(Order))
    plan: BillingPlan = attrs.field(validator=instance_of(BillingPlan))
    start: date | None = attrs.field(default=None, validator=is_optional_date)
    payment_days: int = attrs.field(default=30, validator=is_int(minimum=0))
    terms: str | None = attrs.field(default=None, validator=is_optional_text)

    @property
    def source(self) -> str:
        """Its key in `RunState.billed`: ``"project:<id>"``."""
        return f"project:{self.id}"


@attrs.frozen(kw_only=True)
class Billed:
    """What one source (a subscription, project or engagement) was billed through.

    Attributes:
        source: ``"subscription:<reference>"``, ``"project:<id>"`` or
            ``"engagement:<id>"``.
        through: every draft of the source planned on or before this day was issued.

    .. versionadded:: 0.2
    """

    source: str = attrs.field(validator=is_text)
    through: date = attrs.field(validator=is_date)


@attrs.frozen(kw_only=True)
class RunState:
    """What the previous bill runs left: the state the next run starts from.

    Attributes:
        numbering: the numbering state of every series.
        billed: what each source was billed through.
        issued: every invoice the runs issued (for dunning and SEPA).
        dunning: the dunning steps taken so far.
        mandates: each SEPA mandate's collection history.

    .. versionadded:: 0.2
    """

    numbering: SequenceState = attrs.field(
        factory=SequenceState, validator=instance_of(SequenceState)
    )
    billed: tuple[Billed, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Billed)
    )
    issued: tuple[Invoice, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Invoice)
    )
    dunning: tuple[DunningRecord, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(DunningRecord)
    )
    mandates: tuple[MandateHistory, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(MandateHistory)
    )

    def billed_through(self, source: str) -> date | None:
        """The day *source* was billed through, or ``None`` if it never was."""
        for billed in self.billed:
            if billed.source == source:
                return billed.through
        return None


@attrs.frozen(kw_only=True)
class BillingPortfolio:
    """Everything a bill run reads: see the module docstring and docs/bill-runs.md.

    Attributes:
        seller: the company that bills.
        numbering: the numbering pattern of each document kind (``invoice``,
            ``credit_note``, ``deposit``), reset every year.
        payment_terms: the named payment terms.
        catalogue: the products.
        customers: the customers.
        subscriptions: the subscriptions.
        projects: the projects billed by milestones.
        engagements: the pre-billing engagements, billed month by month in arrears.
        usage: the work done on unit and time missions, as ``(month, usage)`` pairs
            (the month's first day).
        mandates: the SEPA mandates, by debtor (the debtor's id is the customer's).
        payments: the payments received.
        allocations: which invoice each payment settles.
        state: what the previous runs left.

    .. versionadded:: 0.2
    """

    seller: Party = attrs.field(validator=instance_of(Party))
    numbering: tuple[tuple[str, str], ...] = attrs.field(
        converter=as_tuple, validator=_check_numbering
    )
    payment_terms: tuple[NamedTerms, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(NamedTerms)
    )
    catalogue: tuple[Product, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Product)
    )
    customers: tuple[PortfolioCustomer, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(PortfolioCustomer)
    )
    subscriptions: tuple[PortfolioSubscription, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(PortfolioSubscription)
    )
    projects: tuple[PortfolioProject, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(PortfolioProject)
    )
    engagements: tuple[Engagement, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Engagement)
    )
    usage: tuple[tuple[date, Usage], ...] = attrs.field(
        default=(), converter=as_tuple, validator=_check_usage
    )
    mandates: tuple[Mandate, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Mandate)
    )
    payments: tuple[Payment, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Payment)
    )
    allocations: tuple[PaymentAllocation, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(PaymentAllocation)
    )
    state: RunState = attrs.field(factory=RunState, validator=instance_of(RunState))

    @property
    def numbering_plan(self) -> NumberingPlan:
        """The `NumberingPlan`: one yearly series per document kind."""
        return NumberingPlan(
            rules=[
                SeriesRule(
                    scheme=NumberingScheme(pattern=pattern, reset=Reset.YEARLY),
                    kinds={_KINDS[kind]},
                )
                for kind, pattern in self.numbering
            ]
        )

    def customer(self, key: str) -> PortfolioCustomer:
        """The customer *key*.

        Raises:
            InvalidValue: no such customer.
        """
        for customer in self.customers:
            if customer.key == key:
                return customer
        raise InvalidValue(
            "no such customer",
            field="customer",
            value=key,
            hint=f"use one of {[c.key for c in self.customers]}",
        )

    def terms(self, name: str | None) -> NamedTerms | None:
        """The payment terms called *name* (``None`` for none)."""
        for named in self.payment_terms:
            if named.name == name:
                return named
        return None


_KINDS = {
    "invoice": DocumentKind.INVOICE,
    "credit_note": DocumentKind.CREDIT_NOTE,
    "deposit": DocumentKind.DEPOSIT,
}

_EXAMPLES = {"invoice": "FA", "credit_note": "AV", "deposit": "AC"}

_PERIODICITIES = {
    "weekly": WEEKLY,
    "monthly": MONTHLY,
    "bimonthly": BIMONTHLY,
    "quarterly": QUARTERLY,
    "semiannual": SEMIANNUAL,
    "annual": ANNUAL,
}

_MISSIONS: dict[str, type[Mission]] = {
    "flat_fee": FlatFeeMission,
    "unit": UnitMission,
    "time": TimeMission,
}

_TOP = (
    "version",
    "seller",
    "numbering",
    "payment_terms",
    "catalogue",
    "customers",
    "mandates",
    "subscriptions",
    "projects",
    "engagements",
    "usage",
    "payments",
    "allocations",
    "state",
)


def schema_path() -> Traversable:
    """The JSON Schema of the portfolio format (``portfolio-v1.schema.json``).

    >>> json.loads(schema_path().read_text(encoding="utf-8"))["properties"]["version"]
    {'const': 1, 'description': 'The version of the portfolio format.'}

    .. versionadded:: 0.2
    """
    return resources.files(__package__).joinpath(f"portfolio-v{PORTFOLIO_VERSION}.schema.json")


# ------------------------------------------------------------------------------- reading


class _Reader:
    """Collects the problems of one portfolio, each with its path."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(code="portfolio", message=message, reference=path))

    def error(
        self, path: str, error: FacturlibError, cls: type | None = None, *, field: bool = True
    ) -> None:
        field_name = (error.field or "") if field else ""
        if cls is not None and (
            field_name == cls.__name__ or field_name.startswith(cls.__name__ + ".")
        ):
            field_name = field_name[len(cls.__name__) :].lstrip(".")
        message = error.message
        if error.value is not None and not isinstance(error.value, type):
            message += f" (got {_short(error.value)})"
        if error.hint and error.hint != "pass data produced by facturlib.core.serialize.to_dict":
            message += f"; {error.hint}"
        if field_name and not field_name.startswith("["):
            where = f"{path}.{field_name}"
        else:
            where = path + field_name
        self.fail(where, message)

    def build(self, cls: type[_T], data: Any, path: str) -> _T | None:
        try:
            return from_dict(cls, data)
        except FacturlibError as error:
            self.error(path, error, cls)
            return None

    def call(self, path: str, make: Callable[[], _T]) -> _T | None:
        try:
            return make()
        except FacturlibError as error:
            self.error(path, error, field=False)
            return None

    def mapping(self, data: Any, path: str) -> Mapping[str, Any] | None:
        if not isinstance(data, Mapping):
            self.fail(path, f"expected an object, got {_kind(data)}")
            return None
        return data

    def items(self, data: Mapping[str, Any], key: str, path: str = "") -> list[Any]:
        value = data.get(key, [])
        where = f"{path}.{key}" if path else key
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(where, f"expected a list, got {_kind(value)}")
            return []
        return value

    def known(self, data: Mapping[str, Any], keys: Sequence[str], path: str) -> None:
        for key in data:
            if key not in keys:
                where = f"{path}.{key}" if path else str(key)
                self.fail(where, f"unknown field; expected one of {list(keys)}")

    def text(self, data: Mapping[str, Any], key: str, path: str, *, required: bool) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(f"{path}.{key}" if path else key, "missing: expected a text")
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{path}.{key}" if path else key, f"expected a text, got {_short(value)}")
            return None
        return value


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    return f"{type(value).__name__} {_short(value)}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _date(reader: _Reader, value: Any, path: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        reader.fail(path, f"expected an ISO date (YYYY-MM-DD), got {_short(value)}")
        return None


def _terms(reader: _Reader, data: Any) -> list[NamedTerms]:
    found: list[NamedTerms] = []
    if data is None:
        return found
    if not isinstance(data, Mapping):
        reader.fail("payment_terms", "expected an object: {name: wording}")
        return found
    for name, value in data.items():
        path = f"payment_terms.{name}"
        convention = None
        text = value
        if isinstance(value, Mapping):
            reader.known(value, ("text", "end_of_month"), path)
            text, convention = value.get("text"), value.get("end_of_month")
        if not isinstance(text, str):
            reader.fail(path, f'expected a wording such as "30 jours nets", got {_kind(text)}')
            continue
        parsed = reader.call(path, partial(parse_terms, text, end_of_month=convention))
        if parsed is not None:
            eom = None if convention is None else EndOfMonth(convention)
            found.append(NamedTerms(name=str(name), text=text, end_of_month=eom, terms=parsed))
    return found


def _numbering(reader: _Reader, data: Any) -> tuple[tuple[str, str], ...]:
    result: list[tuple[str, str]] = []
    if reader.mapping(data, "numbering") is None:
        return ()
    reader.known(data, tuple(_KINDS), "numbering")
    for kind in _KINDS:
        pattern = data.get(kind)
        if pattern is None:
            reader.fail(
                f"numbering.{kind}",
                f"missing: the pattern of the {kind} series; "
                f'expected e.g. "{_EXAMPLES[kind]}-{{yyyy}}-{{seq:04}}"',
            )
        elif reader.call(f"numbering.{kind}", partial(NumberingScheme, pattern=pattern)):
            result.append((kind, pattern))
    if len(result) == len(_KINDS):
        plan = reader.call(
            "numbering",
            lambda: NumberingPlan(
                rules=[
                    SeriesRule(scheme=NumberingScheme(pattern=p), kinds={_KINDS[k]})
                    for k, p in result
                ]
            ),
        )
        if plan is None:
            return ()
    return tuple(result)


def _customer(reader: _Reader, data: Any, path: str) -> PortfolioCustomer | None:
    if reader.mapping(data, path) is None:
        return None
    fields = dict(data)
    e_invoice = fields.pop("e_invoice", "facturx")
    terms = fields.pop("terms", None)
    fmt = None
    try:
        fmt = EInvoiceFormat(e_invoice)
    except ValueError:
        reader.fail(
            f"{path}.e_invoice",
            f"expected one of {[f.value for f in EInvoiceFormat]}, got {_short(e_invoice)}",
        )
    if "id" not in fields:
        reader.fail(f"{path}.id", "missing: every customer needs an id (e.g. CLI0001)")
    party = reader.build(Party, fields, path)
    if party is None or fmt is None:
        return None
    return PortfolioCustomer(party=party, e_invoice=fmt, terms=terms)


def _product(reader: _Reader, products: Mapping[str, Product], value: Any, path: str) -> Any:
    if not isinstance(value, str) or value not in products:
        reader.fail(
            path,
            f"no product {_short(value)} in the catalogue; expected one of {sorted(products)}",
        )
        return None
    return to_dict(products[value])


def _customer_of(reader: _Reader, customers: Mapping[str, Party], value: Any, path: str) -> Any:
    if value in _broken_ids(customers):
        return None  # the customer's own problems are reported already
    if not isinstance(value, str) or value not in customers:
        reader.fail(path, f"no customer {_short(value)}; expected one of {sorted(customers)}")
        return None
    return customers[value]


class _Parties(dict[str, Party]):
    """Customers by id, and the ids of the customers that could not be built."""

    def __init__(self, parties: Mapping[str, Party], broken: set[str]) -> None:
        super().__init__(parties)
        self.broken = broken


def _broken_ids(customers: Mapping[str, Party]) -> set[str]:
    return customers.broken if isinstance(customers, _Parties) else set()


def _check_terms_name(reader: _Reader, names: set[str], value: Any, path: str) -> None:
    if value is not None and value not in names:
        reader.fail(path, f"no payment terms {_short(value)}; expected one of {sorted(names)}")


_SUB_EXTRA = ("customer", "terms", "group")


def _subscription(
    reader: _Reader,
    data: Any,
    path: str,
    context: _Context,
) -> PortfolioSubscription | None:
    if reader.mapping(data, path) is None:
        return None
    fields = {k: v for k, v in data.items() if k not in _SUB_EXTRA}
    buyer = _customer_of(reader, context.parties, data.get("customer"), f"{path}.customer")
    terms = data.get("terms")
    _check_terms_name(reader, context.terms, terms, f"{path}.terms")
    group = data.get("group", True)
    if not isinstance(group, bool):
        reader.fail(f"{path}.group", f"expected true or false, got {_short(group)}")
    periodicity = fields.get("periodicity")
    if isinstance(periodicity, str):
        if periodicity in _PERIODICITIES:
            fields["periodicity"] = to_dict(_PERIODICITIES[periodicity])
        else:
            reader.fail(
                f"{path}.periodicity",
                f"expected one of {sorted(_PERIODICITIES)} or {{count, unit}}, "
                f"got {_short(periodicity)}",
            )
            return None
    items = []
    raw_items = fields.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        reader.fail(f"{path}.items", "expected a list of at least one item")
        return None
    ok = True
    for j, raw in enumerate(raw_items):
        where = f"{path}.items[{j}]"
        if reader.mapping(raw, where) is None:
            ok = False
            continue
        item_fields = dict(raw)
        product = _product(reader, context.products, raw.get("product"), f"{where}.product")
        if product is None:
            ok = False
            continue
        item_fields["product"] = product
        item = reader.build(SubscriptionItem, item_fields, where)
        if item is None:
            ok = False
        else:
            items.append(item)
    if not ok:
        return None
    fields["seller"] = to_dict(context.seller)
    # The seller stands in for a bad customer, so that the other fields are checked too.
    fields["buyer"] = to_dict(buyer or context.seller)
    skeleton = reader.build(Subscription, fields | {"items": [to_dict(i) for i in items]}, path)
    if skeleton is None or buyer is None or not isinstance(group, bool):
        return None
    return PortfolioSubscription(subscription=skeleton, terms=terms, group=group)


_PROJECT_KEYS = ("id", "customer", "order", "plan", "start", "payment_days", "terms")


def _project(reader: _Reader, data: Any, path: str, context: _Context) -> PortfolioProject | None:
    if reader.mapping(data, path) is None:
        return None
    reader.known(data, _PROJECT_KEYS, path)
    project_id = reader.text(data, "id", path, required=True)
    buyer = _customer_of(reader, context.parties, data.get("customer"), f"{path}.customer")
    terms = data.get("terms")
    _check_terms_name(reader, context.terms, terms, f"{path}.terms")
    start = None if data.get("start") is None else _date(reader, data["start"], f"{path}.start")
    payment_days = data.get("payment_days", 30)
    if isinstance(payment_days, bool) or not isinstance(payment_days, int) or payment_days < 0:
        reader.fail(f"{path}.payment_days", f"expected a whole number ≥ 0, got {payment_days!r}")
        payment_days = None
    plan = reader.build(BillingPlan, data.get("plan"), f"{path}.plan")
    order_data = reader.mapping(data.get("order"), f"{path}.order")
    order = None
    if order_data is not None and buyer is not None:
        fields = dict(order_data)
        lines = []
        for j, raw in enumerate(fields.get("lines") or []):
            where = f"{path}.order.lines[{j}]"
            if isinstance(raw, Mapping) and "product" in raw:
                product = _product(reader, context.products, raw["product"], f"{where}.product")
                overrides = {k: v for k, v in raw.items() if k != "product"}
                if product is not None:
                    quantity = overrides.pop("quantity", "1")
                    line = reader.build(Line, _product_line(product, quantity, overrides), where)
                    lines.append(line)
            else:
                lines.append(reader.build(Line, raw, where))
        if not lines:
            reader.fail(f"{path}.order.lines", "expected a list of at least one line")
        fields["lines"] = [to_dict(line) for line in lines if line is not None]
        fields |= {"seller": to_dict(context.seller), "buyer": to_dict(buyer)}
        fields.setdefault("currency", "EUR")
        if all(line is not None for line in lines) and lines:
            order = reader.build(Order, fields, f"{path}.order")
    if project_id is None or order is None or plan is None or payment_days is None:
        return None
    return PortfolioProject(
        id=project_id, order=order, plan=plan, start=start, payment_days=payment_days, terms=terms
    )


def _product_line(product: Mapping[str, Any], quantity: Any, overrides: Mapping[str, Any]) -> Any:
    """The plain data of a line of *product* (its `to_dict` form) for *quantity*, as
    `facturlib.core.lines.Product.line` builds it."""
    base = {
        "description": product["name"],
        "quantity": quantity,
        "unit_price": product["unit_price"],
        "vat": product["vat"],
        "unit": product["unit"],
        "base_quantity": product["base_quantity"],
        "product_id": product["id"],
        "note": product["description"],
        "supply": product["supply"],
    }
    return base | dict(overrides)


_ENGAGEMENT_KEYS = ("id", "customer", "fiscal_year", "missions", "payment_days")


def _engagement(reader: _Reader, data: Any, path: str, context: _Context) -> Engagement | None:
    if reader.mapping(data, path) is None:
        return None
    reader.known(data, _ENGAGEMENT_KEYS, path)
    client = _customer_of(reader, context.parties, data.get("customer"), f"{path}.customer")
    year = reader.build(Period, data.get("fiscal_year"), f"{path}.fiscal_year")
    missions = []
    for j, raw in enumerate(reader.items(data, "missions", path)):
        where = f"{path}.missions[{j}]"
        if reader.mapping(raw, where) is None:
            continue
        kind = raw.get("type")
        if kind not in _MISSIONS:
            reader.fail(f"{where}.type", f"expected one of {sorted(_MISSIONS)}, got {kind!r}")
            continue
        fields = {k: v for k, v in raw.items() if k != "type"}
        if isinstance(fields.get("rates"), Mapping):  # {collaborator: rate}, as written by hand
            fields["rates"] = [[name, rate] for name, rate in fields["rates"].items()]
        mission = reader.build(_MISSIONS[kind], fields, where)
        if mission is not None:
            missions.append(mission)
    if client is None or year is None or not missions:
        return None
    return reader.call(
        path,
        lambda: Engagement(
            id=data.get("id"),
            client=client,
            fiscal_year=year,
            missions=missions,
            payment_days=data.get("payment_days", 30),
        ),
    )


def _usage(reader: _Reader, data: Any, path: str) -> tuple[date, Usage] | None:
    if reader.mapping(data, path) is None:
        return None
    fields = dict(data)
    month = fields.pop("month", None)
    day = None
    if isinstance(month, str) and len(month) == 7:
        day = _date(reader, month + "-01", f"{path}.month")
    else:
        reader.fail(f"{path}.month", f'expected a month "YYYY-MM", got {_short(month)}')
    usage = reader.build(Usage, fields, path)
    if usage is None or day is None:
        return None
    return day, usage


def _mandate(reader: _Reader, data: Any, path: str, context: _Context) -> Mandate | None:
    if reader.mapping(data, path) is None:
        return None
    fields = dict(data)
    debtor = _customer_of(reader, context.parties, fields.pop("customer", None), f"{path}.customer")
    if debtor is None:
        return None
    return reader.build(Mandate, fields | {"debtor": to_dict(debtor)}, path)


def _state(reader: _Reader, data: Any) -> RunState:
    if data is None:
        return RunState()
    if reader.mapping(data, "state") is None:
        return RunState()
    reader.known(data, ("numbering", "billed", "issued", "dunning", "mandates"), "state")
    numbering = SequenceState()
    if data.get("numbering") is not None:
        numbering = reader.build(SequenceState, data["numbering"], "state.numbering") or numbering
    billed = []
    for i, raw in enumerate(reader.items(data, "billed", "state")):
        found = reader.build(Billed, raw, f"state.billed[{i}]")
        if found is not None:
            billed.append(found)
    issued = []
    for i, raw in enumerate(reader.items(data, "issued", "state")):
        invoice = reader.build(Invoice, raw, f"state.issued[{i}]")
        if invoice is not None:
            issued.append(invoice)
    dunning = [
        reader.build(DunningRecord, raw, f"state.dunning[{i}]")
        for i, raw in enumerate(reader.items(data, "dunning", "state"))
    ]
    histories = [
        reader.build(MandateHistory, raw, f"state.mandates[{i}]")
        for i, raw in enumerate(reader.items(data, "mandates", "state"))
    ]
    return RunState(
        numbering=numbering,
        billed=tuple(billed),
        issued=tuple(issued),
        dunning=tuple(d for d in dunning if d is not None),
        mandates=tuple(h for h in histories if h is not None),
    )


@attrs.frozen
class _Context:
    seller: Party
    parties: dict[str, Party]
    products: dict[str, Product]
    terms: set[str]


def _unique(reader: _Reader, keys: Sequence[tuple[str, str]], what: str) -> None:
    seen: set[str] = set()
    for path, key in keys:
        if key in seen:
            reader.fail(path, f"{what} {key!r} appears twice; expected each {what} once")
        seen.add(key)


def portfolio_from_dict(data: Any, *, source: str = "<portfolio>") -> BillingPortfolio:
    """Build a `BillingPortfolio` from the plain data of a portfolio file.

    Args:
        data: what `json.load` or a YAML safe load returned for the file.
        source: the file's name, for the messages.

    Returns:
        The portfolio, every value checked by its constructor.

    Raises:
        PortfolioError: every bad field, each with its path, at once.

    .. versionadded:: 0.2
    """
    check_instance(source, str, "source", hint="the file's name, for the messages")
    reader = _Reader(source)
    if not isinstance(data, Mapping):
        reader.fail(
            "(top)", f"expected an object with version: {PORTFOLIO_VERSION}, got {_kind(data)}"
        )
        raise PortfolioError(source, reader.problems)
    version = data.get("version")
    if version != PORTFOLIO_VERSION:
        reader.fail(
            "version",
            f"expected {PORTFOLIO_VERSION} (the format this facturlib reads), "
            f"got {_short(version)}",
        )
        raise PortfolioError(source, reader.problems)
    reader.known(data, _TOP, "")
    seller = reader.build(Party, data.get("seller"), "seller")
    numbering = _numbering(reader, data.get("numbering"))
    named_terms = _terms(reader, data.get("payment_terms"))
    catalogue = []
    for i, raw in enumerate(reader.items(data, "catalogue")):
        product = reader.build(Product, raw, f"catalogue[{i}]")
        if product is not None:
            if product.id is None:
                reader.fail(f"catalogue[{i}].id", "missing: every product needs an id")
            else:
                catalogue.append(product)
    _unique(reader, [(f"catalogue[{i}].id", str(p.id)) for i, p in enumerate(catalogue)], "product")
    customers = []
    broken: set[str] = set()
    for i, raw in enumerate(reader.items(data, "customers")):
        customer = _customer(reader, raw, f"customers[{i}]")
        if customer is not None:
            customers.append(customer)
        elif isinstance(raw, Mapping) and isinstance(raw.get("id"), str):
            broken.add(raw["id"])
    _unique(reader, [(f"customers[{i}].id", c.key) for i, c in enumerate(customers)], "customer")
    names = {t.name for t in named_terms}
    for i, customer in enumerate(customers):
        _check_terms_name(reader, names, customer.terms, f"customers[{i}].terms")
    context = _Context(
        # A stand-in when the seller is bad, so that every other field is checked too.
        seller=seller or Party(name="(seller)", address=Address(city="-", country_code="FR")),
        parties=_Parties({c.key: c.party for c in customers}, broken),
        products={str(p.id): p for p in catalogue},
        terms=names,
    )
    mandates = [
        m
        for i, raw in enumerate(reader.items(data, "mandates"))
        if (m := _mandate(reader, raw, f"mandates[{i}]", context)) is not None
    ]
    subscriptions = [
        s
        for i, raw in enumerate(reader.items(data, "subscriptions"))
        if (s := _subscription(reader, raw, f"subscriptions[{i}]", context)) is not None
    ]
    _unique(
        reader,
        [(f"subscriptions[{i}].reference", s.source) for i, s in enumerate(subscriptions)],
        "subscription",
    )
    projects = [
        p
        for i, raw in enumerate(reader.items(data, "projects"))
        if (p := _project(reader, raw, f"projects[{i}]", context)) is not None
    ]
    engagements = [
        e
        for i, raw in enumerate(reader.items(data, "engagements"))
        if (e := _engagement(reader, raw, f"engagements[{i}]", context)) is not None
    ]
    usage = [
        u
        for i, raw in enumerate(reader.items(data, "usage"))
        if (u := _usage(reader, raw, f"usage[{i}]")) is not None
    ]
    payments = [
        reader.build(Payment, raw, f"payments[{i}]")
        for i, raw in enumerate(reader.items(data, "payments"))
    ]
    allocations = [
        reader.build(PaymentAllocation, raw, f"allocations[{i}]")
        for i, raw in enumerate(reader.items(data, "allocations"))
    ]
    state = _state(reader, data.get("state"))
    if reader.problems or seller is None:
        raise PortfolioError(source, reader.problems)
    return BillingPortfolio(
        seller=seller,
        numbering=numbering,
        payment_terms=tuple(named_terms),
        catalogue=tuple(catalogue),
        customers=tuple(customers),
        subscriptions=tuple(subscriptions),
        projects=tuple(projects),
        engagements=tuple(engagements),
        usage=tuple(usage),
        mandates=tuple(mandates),
        payments=tuple(p for p in payments if p is not None),
        allocations=tuple(a for a in allocations if a is not None),
        state=state,
    )


# ---------------------------------------------------------------------------- the files


def _yaml_loader() -> Any:
    """A safe YAML loader that keeps decimals and dates as text, reads only true and
    false as booleans, and refuses aliases."""
    import yaml

    class Loader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(
                    None, None, "anchors and aliases are not allowed", event.start_mark
                )
            return super().compose_node(parent, index)

    # Floats and timestamps stay strings: amounts are decimals (never binary floats)
    # and dates are read by the portfolio's own checks.
    # Booleans are true and false only: YAML 1.1 also reads yes/no/on/off, which would
    # turn Norway's country code NO into False.
    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in _TEXT_TAGS]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )
    return Loader


_TEXT_TAGS = ("tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")


def read_portfolio(text: str | bytes, *, source: str = "<portfolio>") -> BillingPortfolio:
    """Read a portfolio from the text of a JSON or YAML file.

    JSON is recognised by its first character (``{``); anything else is read as YAML.

    Args:
        text: the file's content (UTF-8).
        source: its name, for the messages.

    Raises:
        PortfolioError: text too long, not UTF-8, not JSON or YAML, or any bad field.

    .. versionadded:: 0.2
    """

    check_instance(text, (str, bytes), "text", hint="the file's content")
    check_instance(source, str, "source", hint="the file's name, for the messages")

    def refuse(message: str) -> PortfolioError:
        return PortfolioError(
            source, [Problem(code="portfolio", message=message, reference="(file)")]
        )

    if len(text) > MAX_PORTFOLIO_BYTES:
        raise refuse(f"the file is longer than {MAX_PORTFOLIO_BYTES} bytes; split the portfolio")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise refuse(
                f"not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8"
            ) from None
    text = text.removeprefix("\ufeff")
    try:
        if text.lstrip().startswith("{"):
            data = json.loads(text, parse_float=str, parse_constant=_no_constant)
        else:
            import yaml

            data = yaml.load(text, Loader=_yaml_loader())
    except RecursionError:
        raise refuse("the data is nested too deeply") from None
    except ValueError as exc:
        raise refuse(f"not valid JSON: {exc}") from None
    except Exception as exc:  # yaml.YAMLError, whose module is imported lazily
        if type(exc).__module__.startswith("yaml"):
            raise refuse(f"not valid YAML: {' '.join(str(exc).split())}") from None
        raise
    try:
        return portfolio_from_dict(data, source=source)
    except RecursionError:
        raise refuse("the data is nested too deeply") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def load_portfolio(path: str | Path) -> BillingPortfolio:
    """Read the portfolio file at *path* (JSON or YAML), and nothing else.

    Raises:
        PortfolioError: the file cannot be read, is too long, or has bad fields
            (every one, with its path).

    .. versionadded:: 0.2
    """
    check_instance(path, (str, Path), "path", hint="the portfolio file's path")
    path = Path(path)
    try:
        with path.open("rb") as handle:
            content = handle.read(MAX_PORTFOLIO_BYTES + 1)
    except OSError as exc:
        problem = Problem(
            code="portfolio", message=f"cannot read the file: {exc.strerror}", reference="(file)"
        )
        raise PortfolioError(str(path), [problem]) from None
    return read_portfolio(content, source=str(path))


# ---------------------------------------------------------------------------- writing


def _plain(value: Any) -> dict[str, Any]:
    """*value*'s plain data without the storage tags (``$type``, ``$version``): the
    portfolio file is versioned as a whole (``version``) and its schema names each field."""
    data = to_dict(value)
    data.pop("$type", None)
    data.pop("$version", None)
    return data


def portfolio_to_dict(portfolio: BillingPortfolio) -> dict[str, Any]:
    """The plain data of *portfolio*, in the file format (`portfolio_from_dict` reads it back).

    >>> from facturlib.demo import load_example_portfolio
    >>> portfolio = load_example_portfolio()
    >>> portfolio_from_dict(portfolio_to_dict(portfolio)) == portfolio
    True

    .. versionadded:: 0.2
    """
    check_instance(portfolio, BillingPortfolio, "portfolio", hint="load_portfolio(path)")
    customers = []
    for customer in portfolio.customers:
        entry = _plain(customer.party) | {"e_invoice": customer.e_invoice.value}
        if customer.terms is not None:
            entry["terms"] = customer.terms
        customers.append(entry)
    subscriptions = []
    for held in portfolio.subscriptions:
        sub = _plain(held.subscription)
        del sub["seller"]
        sub["customer"] = held.subscription.buyer.key
        sub["items"] = [
            _plain(item) | {"product": item.product.id} for item in held.subscription.items
        ]
        subscriptions.append(sub | {"terms": held.terms, "group": held.group})
    projects = []
    for project in portfolio.projects:
        order = _plain(project.order)
        for key in ("seller", "buyer"):
            del order[key]
        projects.append(
            {
                "id": project.id,
                "customer": project.order.buyer.key,
                "order": order,
                "plan": _plain(project.plan),
                "start": None if project.start is None else project.start.isoformat(),
                "payment_days": project.payment_days,
                "terms": project.terms,
            }
        )
    engagements = []
    for engagement in portfolio.engagements:
        kinds = {cls: name for name, cls in _MISSIONS.items()}
        engagements.append(
            {
                "id": engagement.id,
                "customer": engagement.client.key,
                "fiscal_year": _plain(engagement.fiscal_year),
                "missions": [{"type": kinds[type(m)]} | _plain(m) for m in engagement.missions],
                "payment_days": engagement.payment_days,
            }
        )
    mandates = []
    for mandate in portfolio.mandates:
        entry = _plain(mandate)
        del entry["debtor"]
        mandates.append(entry | {"customer": mandate.debtor.key})
    state = portfolio.state
    return {
        "version": PORTFOLIO_VERSION,
        "seller": _plain(portfolio.seller),
        "numbering": dict(portfolio.numbering),
        "payment_terms": {
            t.name: {
                "text": t.text,
                "end_of_month": None if t.end_of_month is None else t.end_of_month.value,
            }
            for t in portfolio.payment_terms
        },
        "catalogue": [_plain(p) for p in portfolio.catalogue],
        "customers": customers,
        "mandates": mandates,
        "subscriptions": subscriptions,
        "projects": projects,
        "engagements": engagements,
        "usage": [{"month": f"{month:%Y-%m}"} | _plain(usage) for month, usage in portfolio.usage],
        "payments": [_plain(p) for p in portfolio.payments],
        "allocations": [_plain(a) for a in portfolio.allocations],
        "state": {
            "numbering": _plain(state.numbering),
            "billed": [_plain(b) for b in state.billed],
            "issued": [_plain(i) for i in state.issued],
            "dunning": [_plain(d) for d in state.dunning],
            "mandates": [_plain(h) for h in state.mandates],
        },
    }
