"""The sample company behind ``facturlib demo``, and a year of its billing.

`load_sample_company` reads the bundled sample company — a small Paris software
studio, its customers, products and numbering series (``company.json`` in this
package; every identifier is valid but fictitious). `bill_year` then runs a
year of its billing through the library and returns the resulting `Books`:
every document issued, in the order it was issued, and the numbering state.

`bill_year` is a pure function of the company: run it twice, get the same books.
It is what the ``facturlib demo`` command prints and writes, and it doubles as a
realistic data set for notebooks and tests:

>>> company = load_sample_company()
>>> company.seller.name
'Atelier Numérique SAS'
>>> books = bill_year(company)
>>> books.documents[0].number
'FA-2025-0001'
>>> len(books.invoices()) > 12
True

.. versionadded:: 0.1
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from importlib import resources
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from facturlib.accounting.accounts import ChartOfAccounts, RevenueKind
from facturlib.accounting.journal import Activity, JournalEntry, journalize
from facturlib.accounting.ledger import letter
from facturlib.core.credit_notes import credit_note
from facturlib.core.documents import DocumentKind, Invoice, Order
from facturlib.core.errors import InvalidValue
from facturlib.core.issuing import issue
from facturlib.core.lines import Line, Product
from facturlib.core.money import Money, to_money
from facturlib.core.numbering import (
    NumberingPlan,
    NumberingScheme,
    Reset,
    SequenceState,
    SeriesRule,
)
from facturlib.core.parties import Party
from facturlib.core.periods import Period
from facturlib.core.serialize import from_dict
from facturlib.core.vat import VatRate
from facturlib.projects.deposits import deposit_invoice, final_invoice
from facturlib.receivables.dunning import DunningPolicy, DunningRecord, dunning_run
from facturlib.receivables.payments import (
    Payment,
    PaymentAllocation,
    PaymentMethod,
    PaymentReversal,
    Settlement,
    balance,
    settle,
)
from facturlib.receivables.penalties import FR_REFERENCE_RATES, PenaltyPolicy
from facturlib.recurring.subscriptions import (
    Subscription,
    SubscriptionItem,
    amend,
    regenerate,
    schedule,
)

#: The sample company's dunning ladder: the French default, with late interest at
#: the legal default rate (ECB rate + 10 points, DOMAIN §8).
DUNNING_POLICY = DunningPolicy.french_default(
    penalties=PenaltyPolicy(reference_rates=FR_REFERENCE_RATES)
)

__all__ = [
    "DUNNING_POLICY",
    "Books",
    "SampleCompany",
    "bill_year",
    "company_from_dict",
    "load_sample_company",
]


@attrs.frozen(kw_only=True)
class SampleCompany:
    """A seller with its customers, products, numbering plan and fiscal year.

    Attributes:
        seller: the company that bills.
        customers: its customers; each has an ``id`` (its `Party.key`).
        products: its catalogue; each has an ``id``.
        numbering: one series per document kind.
        fiscal_year: the year `bill_year` bills, as a half-open `Period`.
    """

    seller: Party
    customers: tuple[Party, ...]
    products: tuple[Product, ...]
    numbering: NumberingPlan
    fiscal_year: Period

    def customer(self, key: str) -> Party:
        """The customer whose `Party.key` is *key*."""
        for party in self.customers:
            if party.key == key:
                return party
        raise InvalidValue(
            "no such customer",
            field="key",
            value=key,
            hint="use one of " + ", ".join(p.key for p in self.customers),
        )

    def product(self, product_id: str) -> Product:
        """The product whose ``id`` is *product_id*."""
        for product in self.products:
            if product.id == product_id:
                return product
        raise InvalidValue(
            "no such product",
            field="product_id",
            value=product_id,
            hint="use one of " + ", ".join(str(p.id) for p in self.products),
        )


@attrs.frozen(kw_only=True)
class Books:
    """What a year of billing produced.

    Attributes:
        company: the company that billed.
        documents: every issued invoice, deposit invoice and credit note, in the
            order they were issued.
        state: the numbering state after the last one.
        payments: the payments received during the year.
        allocations: which invoice each payment was for (the remittance advice).
        reversals: the payments that came back (a rejected direct debit).
        dunning: the dunning steps taken during the year.
        dunning_policy: the ladder those steps followed.
    """

    company: SampleCompany
    documents: tuple[Invoice, ...]
    state: SequenceState
    payments: tuple[Payment, ...] = ()
    allocations: tuple[PaymentAllocation, ...] = ()
    reversals: tuple[PaymentReversal, ...] = ()
    dunning: tuple[DunningRecord, ...] = ()
    dunning_policy: DunningPolicy = attrs.field(factory=lambda: DUNNING_POLICY)

    @property
    def closing(self) -> date:
        """The last day of the fiscal year."""
        return self.company.fiscal_year.last_day

    def journal(self, chart: ChartOfAccounts | None = None) -> tuple[JournalEntry, ...]:
        """Every journal entry of the year (PCG chart by default), customer lines lettered."""
        if chart is None:  # the guides are goods (707), everything else services (706)
            chart = ChartOfAccounts().with_product("GUIDE", kind=RevenueKind.GOODS)
        activity = Activity(
            documents=self.documents,
            payments=self.payments,
            allocations=self.allocations,
            reversals=self.reversals,
        )
        return letter(
            journalize(activity, chart=chart),
            allocations=self.allocations,
            credit_notes=self.credit_notes(),
        )

    def settlement(self, on: date | None = None) -> Settlement:
        """Who paid what, on *on* (the closing date by default)."""
        day = self.closing if on is None else on
        return settle(
            self.documents,
            [p for p in self.payments if p.date <= day],
            on=day,
            allocations=[a for a in self.allocations if a.date <= day],
            reversals=[r for r in self.reversals if r.date <= day],
        )

    def invoices(self) -> tuple[Invoice, ...]:
        """The documents that are not credit notes."""
        return tuple(d for d in self.documents if d.kind is not DocumentKind.CREDIT_NOTE)

    def credit_notes(self) -> tuple[Invoice, ...]:
        """The credit notes."""
        return tuple(d for d in self.documents if d.kind is DocumentKind.CREDIT_NOTE)


_KINDS = {
    "invoice": DocumentKind.INVOICE,
    "credit_note": DocumentKind.CREDIT_NOTE,
    "deposit": DocumentKind.DEPOSIT,
}


def company_from_dict(data: Mapping[str, Any]) -> SampleCompany:
    """Build a `SampleCompany` from the plain data of ``company.json``.

    Every party and product goes through its constructor, so every identifier is
    checked again.

    Raises:
        InvalidValue: a missing key or a value that fails its check (the message
            names the path).
    """
    try:
        year = data["fiscal_year"]
        rules = [
            SeriesRule(
                scheme=NumberingScheme(pattern=pattern, reset=Reset.YEARLY),
                kinds={_KINDS[kind]},
            )
            for kind, pattern in data["numbering"].items()
        ]
        return SampleCompany(
            seller=from_dict(Party, data["seller"]),
            customers=tuple(from_dict(Party, c) for c in data["customers"]),
            products=tuple(from_dict(Product, p) for p in data["products"]),
            numbering=NumberingPlan(rules=rules),
            fiscal_year=Period(
                start=date.fromisoformat(year["start"]), end=date.fromisoformat(year["end"])
            ),
        )
    except KeyError as exc:
        raise InvalidValue(
            "sample company data lacks a key",
            field=str(exc.args[0]),
            hint="see facturlib/demo/company.json for the expected shape",
        ) from None


def load_sample_company() -> SampleCompany:
    """The bundled sample company (``facturlib/demo/company.json``)."""
    text = resources.files(__package__).joinpath("company.json").read_text(encoding="utf-8")
    return company_from_dict(json.loads(text))


def _line(company: SampleCompany, product_id: str, quantity: str, **fields: Any) -> Line:
    product = company.product(product_id)
    base: dict[str, Any] = {
        "description": product.name,
        "quantity": Decimal(quantity),
        "unit": product.unit,
        "unit_price": product.unit_price,
        "vat": product.vat,
        "product_id": product.id,
        "supply": product.supply,
    }
    return Line(**(base | fields))


class _Ledger:
    """Issues drafts in date order and keeps what was issued (a private helper of bill_year)."""

    def __init__(self, company: SampleCompany) -> None:
        self.company = company
        self.state = SequenceState()
        self.documents: list[Invoice] = []

    def issue(self, draft: Invoice, on: date, *, due_in_days: int | None = 30) -> Invoice:
        due = draft.due_date
        if due is None and due_in_days is not None:
            due = on + relativedelta(days=due_in_days)
        issued, self.state = issue(draft, self.company.numbering, self.state, on, due_date=due)
        self.documents.append(issued)
        return issued

    def draft(self, customer: str, lines: list[Line], **fields: Any) -> Invoice:
        return Invoice(
            seller=self.company.seller,
            buyer=self.company.customer(customer),
            currency="EUR",
            lines=lines,
            **fields,
        )


def _subscription(company: SampleCompany) -> Subscription:
    """CLI0001: hosting and three licences, billed monthly in advance, training once."""
    return Subscription(
        reference="ABO-2025-001",
        seller=company.seller,
        buyer=company.customer("CLI0001"),
        currency="EUR",
        items=[
            SubscriptionItem(product=company.product("HEB")),
            SubscriptionItem(product=company.product("LIC"), quantity=Decimal(3)),
            SubscriptionItem(product=company.product("FORM"), first_invoice_only=True),
        ],
        start=company.fiscal_year.start,
        installments=24,
    )


def _order(company: SampleCompany) -> Order:
    """CLI0002: twenty days of development and five guides (DOMAIN §6)."""
    return Order(
        seller=company.seller,
        buyer=company.customer("CLI0002"),
        currency="EUR",
        lines=[_line(company, "DEV", "20"), _line(company, "GUIDE", "5")],
        number="CDE-2025-07",
        issue_date=date(2025, 2, 3),
    )


def _issue_date(draft: Invoice) -> date:
    """The date `schedule` gave a subscription draft (it dates every one)."""
    if draft.issue_date is None:  # pragma: no cover - schedule() always dates drafts
        raise InvalidValue("a scheduled draft without a date", field="issue_date")
    return draft.issue_date


def bill_year(company: SampleCompany) -> Books:
    """Run the sample company's year of billing and return the `Books`.

    The year:

    * **CLI0001** subscribes on 1 January to hosting and three licences, billed
      monthly in advance by `facturlib.recurring.subscriptions.schedule` (the training
      day is on the first invoice only); on 16 June it goes from three to five
      licences, and `regenerate` issues the prorated credit and debit notes. It
      pays by SEPA direct debit on each due date; the July debit is rejected.
    * **CLI0002** orders a development project: a 30 % deposit invoice in
      February, the final invoice deducting it in May (`facturlib.projects.deposits`). It
      pays the deposit at once and the final invoice late, in two parts.
    * **CLI0003** is billed its consulting hours monthly, in arrears; four
      hours billed twice in September are credited in October; it pays by
      transfer, but not its last two invoices.
    * **CLI0004**, in Germany, gets a reverse-charge consulting invoice (AE).

    Dunning runs every week with the French default ladder
    (`facturlib.receivables.dunning.DunningPolicy.french_default`), and its history is kept.

    Args:
        company: the company, e.g. `load_sample_company()`.

    Returns:
        The `Books` of the year, documents in issue order.
    """
    ledger = _Ledger(company)
    year = company.fiscal_year
    months = [year.start + relativedelta(months=k) for k in range(12)]
    hours = ["12", "8", "15", "10", "9", "14", "6", "4", "16", "11", "13"]

    contract = _subscription(company)
    subscription_drafts = [d for d in schedule(contract) if _issue_date(d) in year]
    amendment = date(2025, 6, 16)
    amended = amend(contract, on=amendment, item="LIC", quantity=Decimal(5))
    order = _order(company)

    # Events happen in date order; on one day the subscription comes first. The
    # amendment adds the regenerated drafts of the rest of the year as it runs.
    agenda: list[tuple[date, int, int, str, Any]] = []

    def plan(on: date, rank: int, event: str, data: Any = None) -> None:
        heapq.heappush(agenda, (on, rank, len(agenda) + len(ledger.documents), event, data))

    for draft in subscription_drafts:
        if _issue_date(draft) < amendment:
            plan(_issue_date(draft), 0, "draft", draft)
    plan(amendment, 1, "amend")
    for index, month in enumerate(months[1:]):
        previous = Period(start=months[index], end=month)
        plan(month + relativedelta(days=4), 2, "hours", (previous, hours[index]))
    plan(date(2025, 2, 10), 3, "deposit")
    plan(date(2025, 5, 20), 3, "final")
    plan(date(2025, 6, 15), 3, "export")
    plan(date(2025, 10, 7), 3, "credit")
    while agenda:
        on, _, _, event, data = heapq.heappop(agenda)
        if event == "draft":
            ledger.issue(data, on)
        elif event == "amend":
            issued = [d for d in ledger.documents if d.contract_reference == contract.reference]
            result = regenerate(amended, issued, on=amendment)
            for note in result.credit_notes:
                ledger.issue(note, on, due_in_days=None)
            for note in result.debit_notes:
                ledger.issue(note, on)
            for draft in result.drafts:
                if _issue_date(draft) in year:
                    plan(_issue_date(draft), 0, "draft", draft)
        elif event == "hours":
            period, quantity = data
            lines = [_line(company, "CONS", quantity, period=period)]
            ledger.issue(ledger.draft("CLI0003", lines, period=period), on)
        elif event == "deposit":
            label = "Acompte 30 % sur commande CDE-2025-07"
            ledger.issue(deposit_invoice(order, percent=30, label=label), on, due_in_days=0)
        elif event == "final":
            deposits = [d for d in ledger.documents if d.kind is DocumentKind.DEPOSIT]
            ledger.issue(final_invoice(order, deposits), on)
        elif event == "export":
            consulting = _line(
                company, "CONS", "24", vat=VatRate.reverse_charge(), note="Audit à distance"
            )
            ledger.issue(ledger.draft("CLI0004", [consulting]), on)
        else:  # "credit": four hours of September were billed twice
            september = next(
                d
                for d in ledger.documents
                if d.buyer.key == "CLI0003" and d.period and d.period.start.month == 9
            )
            credit = credit_note(september, lines={"1": "4"}, reason="Heures facturées deux fois")
            ledger.issue(credit, on, due_in_days=None)
    books = Books(company=company, documents=tuple(ledger.documents), state=ledger.state)
    books = _collect(books)
    return _chase(books)


def _collect(books: Books) -> Books:
    """The payments of the year (see `bill_year`)."""
    payments: list[Payment] = []
    allocations: list[PaymentAllocation] = []
    reversals: list[PaymentReversal] = []
    closing = books.closing

    def pay(invoice: Invoice, amount: Money, on: date, method: PaymentMethod) -> Payment:
        payment = Payment(
            id=f"PAY-{len(payments) + 1:04}",
            customer=invoice.buyer.key,
            amount=amount,
            date=on,
            method=method,
            reference=invoice.number,
        )
        payments.append(payment)
        allocations.append(
            PaymentAllocation(
                payment_id=payment.id, invoice_number=invoice.number, amount=amount, date=on
            )
        )
        return payment

    def still_due(invoice: Invoice, on: date) -> Money:
        current = attrs.evolve(
            books,
            payments=tuple(payments),
            allocations=tuple(allocations),
            reversals=tuple(reversals),
        )
        return balance(invoice, current.settlement(on)).due

    for invoice in books.invoices():
        due_date = invoice.due_date or invoice.issue_date
        assert invoice.number is not None  # issued documents have a number…
        assert due_date is not None  # …and a date
        key = invoice.buyer.key
        if key == "CLI0001" and due_date <= closing:
            amount = still_due(invoice, due_date)
            if amount.amount > 0:
                debit = pay(invoice, amount, due_date, PaymentMethod.SEPA_DIRECT_DEBIT)
                if due_date == date(2025, 7, 1):  # the July debit bounces; paid by transfer
                    reversals.append(
                        PaymentReversal(
                            payment_id=debit.id,
                            date=due_date + relativedelta(days=5),
                            reason="AM04",
                        )
                    )
                    pay(invoice, amount, date(2025, 8, 20), PaymentMethod.CREDIT_TRANSFER)
        elif key == "CLI0002" and invoice.kind is DocumentKind.DEPOSIT:
            on = date(2025, 2, 12)
            pay(invoice, still_due(invoice, on), on, PaymentMethod.CREDIT_TRANSFER)
        elif key == "CLI0002":  # the final invoice: paid late, in two parts
            part = to_money("5000.00", invoice.currency)
            pay(invoice, part, date(2025, 7, 20), PaymentMethod.CREDIT_TRANSFER)
            on = date(2025, 9, 30)
            pay(invoice, still_due(invoice, on), on, PaymentMethod.CREDIT_TRANSFER)
        elif key == "CLI0003" and (invoice.issue_date or due_date).month < 11:
            on = (invoice.issue_date or due_date) + relativedelta(days=25)
            amount = still_due(invoice, on)
            if amount.amount > 0:
                pay(invoice, amount, on, PaymentMethod.CREDIT_TRANSFER)
        elif key == "CLI0004":
            on = due_date - relativedelta(days=3)
            pay(invoice, still_due(invoice, on), on, PaymentMethod.CREDIT_TRANSFER)
    payments.sort(key=lambda p: (p.date, p.id))
    return attrs.evolve(
        books,
        payments=tuple(payments),
        allocations=tuple(allocations),
        reversals=tuple(reversals),
    )


def _chase(books: Books) -> Books:
    """Run dunning every Monday of the year, keeping the history (see `bill_year`)."""
    history: list[DunningRecord] = []
    day = books.company.fiscal_year.start
    day += relativedelta(days=(7 - day.weekday()) % 7)
    while day <= books.closing:
        actions = dunning_run(
            books.documents,
            [p for p in books.payments if p.date <= day],
            books.dunning_policy,
            day,
            history=history,
            allocations=[a for a in books.allocations if a.date <= day],
            reversals=[r for r in books.reversals if r.date <= day],
        )
        history.extend(action.record() for action in actions)
        day += relativedelta(weeks=1)
    return attrs.evolve(books, dunning=tuple(history))
