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
from datetime import date, datetime, time
from decimal import Decimal
from importlib import resources
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from facturlib.accounting.accounts import ChartOfAccounts, RevenueKind
from facturlib.accounting.journal import Activity, JournalEntry, journalize
from facturlib.accounting.ledger import letter
from facturlib.core.credit_notes import credit_note
from facturlib.core.deliveries import DeliveryNote, delivery_note, invoice_deliveries
from facturlib.core.documents import DocumentKind, Invoice, Order, Quote
from facturlib.core.errors import InvalidValue
from facturlib.core.exchange import ExchangeRate
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
from facturlib.core.quotes import accept_quote, revise_quote, send_quote
from facturlib.core.serialize import from_dict
from facturlib.core.vat import VatRate
from facturlib.projects.deposits import deposit_invoice, final_invoice
from facturlib.receivables.dunning import (
    DunningPolicy,
    DunningRecord,
    PlannedStep,
    dunning_calendar,
    dunning_run,
)
from facturlib.receivables.payments import (
    Payment,
    PaymentAllocation,
    PaymentMethod,
    PaymentReversal,
    Refund,
    Settlement,
    WriteOff,
    balance,
    settle,
    small_differences,
)
from facturlib.receivables.penalties import (
    FR_REFERENCE_RATES,
    LatePenalty,
    PenaltyPolicy,
    penalties_owed,
)
from facturlib.recurring.subscriptions import (
    Subscription,
    SubscriptionItem,
    amend,
    regenerate,
    schedule,
)
from facturlib.runs.portfolio import BillingPortfolio, read_portfolio
from facturlib.sepa.batch import DirectDebit, DirectDebitBatch
from facturlib.sepa.calendar import next_target_day
from facturlib.sepa.mandates import Mandate, MandateHistory, next_collection
from facturlib.sepa.returns import read_pain002
from facturlib.sepa.returns import reversals as reject_reversals

#: The sample company's dunning ladder: the French default, with late interest at
#: the legal default rate (ECB rate + 10 points).
DUNNING_POLICY = DunningPolicy.french_default(
    penalties=PenaltyPolicy(reference_rates=FR_REFERENCE_RATES)
)

#: The rate the USD invoice of CLI0005 states (1 USD = 0.8550 EUR on 10 December 2025),
#: and the rate of the day it is paid.
USD_RATE = ExchangeRate(currency="USD", rate="0.8550", on=date(2025, 12, 10))
USD_PAID = ExchangeRate(currency="USD", rate="0.8610", on=date(2025, 12, 22))

__all__ = [
    "DUNNING_POLICY",
    "Aftermath",
    "Books",
    "SampleCompany",
    "after_closing",
    "bill_year",
    "company_from_dict",
    "load_example_portfolio",
    "load_sample_company",
    "mandate",
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
        direct_debits: the SEPA direct-debit files sent to the bank (one per
            collection), written as pain.008.001.08 by ``facturlib demo --out``.
        dunning: the dunning steps taken during the year.
        dunning_policy: the ladder those steps followed.
        quotes: every version of the quotes of the year, in the order they were made.
        orders: the orders made from accepted quotes.
        delivery_notes: the delivery notes of the year.
    """

    company: SampleCompany
    documents: tuple[Invoice, ...]
    state: SequenceState
    payments: tuple[Payment, ...] = ()
    allocations: tuple[PaymentAllocation, ...] = ()
    reversals: tuple[PaymentReversal, ...] = ()
    direct_debits: tuple[DirectDebitBatch, ...] = ()
    dunning: tuple[DunningRecord, ...] = ()
    dunning_policy: DunningPolicy = attrs.field(factory=lambda: DUNNING_POLICY)
    quotes: tuple[Quote, ...] = ()
    orders: tuple[Order, ...] = ()
    delivery_notes: tuple[DeliveryNote, ...] = ()

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
            lines=lines,
            **{"currency": "EUR", **fields},
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
    """CLI0002: twenty days of development and five guides."""
    return Order(
        seller=company.seller,
        buyer=company.customer("CLI0002"),
        currency="EUR",
        lines=[_line(company, "DEV", "20"), _line(company, "GUIDE", "5")],
        number="CDE-2025-07",
        issue_date=date(2025, 2, 3),
    )


def _quoted_order(company: SampleCompany) -> tuple[tuple[Quote, ...], Order]:
    """CLI0003: a quote for 30 guides, revised to 40, accepted; the order made from it."""
    quote = Quote(
        seller=company.seller,
        buyer=company.customer("CLI0003"),
        currency="EUR",
        lines=[_line(company, "GUIDE", "30")],
        number="DE-2025-0004",
        issue_date=date(2025, 3, 3),
        valid_until=date(2025, 4, 2),
    )
    first, revised = revise_quote(
        send_quote(quote, on=date(2025, 3, 3)),
        on=date(2025, 3, 5),
        lines=[_line(company, "GUIDE", "40")],
    )
    accepted = accept_quote(send_quote(revised, on=date(2025, 3, 5)), on=date(2025, 3, 7))
    order = accepted.to_order(on=date(2025, 3, 7), number="CDE-2025-09")
    return (first, accepted), order


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
    * **CLI0005**, in Boston, is billed in US dollars for four seats at a seminar in
      Paris (French VAT: admission to an event, CGI art. 259 A 5° a), stating its
      rate to the euro (`USD_RATE`: BT-6, BT-111); it pays before the year end at a
      better rate, an exchange gain in the books.
    * **CLI0003** also buys guides: a quote for 30, revised to 40 and accepted in
      March (`facturlib.core.quotes`), the order delivered in two deliveries (25,
      then 15), each delivery note invoiced on its day (`facturlib.core.deliveries`).

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
    quotes, guides = _quoted_order(company)
    notes: list[DeliveryNote] = []

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
    plan(USD_RATE.on, 3, "usd")
    plan(date(2025, 3, 14), 3, "delivery", "25")
    plan(date(2025, 3, 28), 3, "delivery", "15")
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
        elif event == "delivery":  # each delivery note is invoiced on its day
            shipped = delivery_note(
                guides,
                number=f"BL-2025-{len(notes) + 1:04}",
                on=on,
                quantities={"1": data},
                delivered=notes,
            )
            notes.append(shipped)
            billed = [d for d in ledger.documents if d.order_reference == guides.number]
            ledger.issue(invoice_deliveries(guides, [shipped], invoiced=billed), on)
        elif event == "export":
            consulting = _line(
                company, "CONS", "24", vat=VatRate.reverse_charge(), note="Audit à distance"
            )
            ledger.issue(ledger.draft("CLI0004", [consulting]), on)
        elif event == "usd":
            seats = Line(
                description="Séminaire facturation électronique, Paris, 16 décembre 2025",
                quantity=4,
                unit_price=to_money("750.00", "USD"),
                vat=company.product("CONS").vat,
            )
            fields = {"currency": "USD", **USD_RATE.invoice_fields()}
            ledger.issue(ledger.draft("CLI0005", [seats], **fields), on)
        else:  # "credit": four hours of September were billed twice
            september = next(
                d
                for d in ledger.documents
                if d.buyer.key == "CLI0003" and d.period and d.period.start.month == 9
            )
            credit = credit_note(september, lines={"1": "4"}, reason="Heures facturées deux fois")
            ledger.issue(credit, on, due_in_days=None)
    books = Books(
        company=company,
        documents=tuple(ledger.documents),
        state=ledger.state,
        quotes=quotes,
        orders=(guides,),
        delivery_notes=tuple(notes),
    )
    books = _collect(books)
    return _chase(books)


def mandate(company: SampleCompany) -> Mandate:
    """The SEPA mandate CLI0001 signed in Lyon on 10 December 2024."""
    return Mandate(
        reference="RUM-CLI0001-2024",
        signed_on=date(2024, 12, 10),
        debtor=company.customer("CLI0001"),
        signed_at="Lyon",
    )


def _reject_report(batch: DirectDebitBatch, end_to_end_id: str, reason: str, on: date) -> bytes:
    """What the bank sends back: a pain.002 status report rejecting one debit."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>'
        f"<GrpHdr><MsgId>STS-{batch.message_id}</MsgId>"
        f"<CreDtTm>{on.isoformat()}T08:00:00</CreDtTm></GrpHdr>"
        f"<OrgnlGrpInfAndSts><OrgnlMsgId>{batch.message_id}</OrgnlMsgId>"
        "<OrgnlMsgNmId>pain.008.001.08</OrgnlMsgNmId><GrpSts>PART</GrpSts></OrgnlGrpInfAndSts>"
        f"<OrgnlPmtInfAndSts><OrgnlPmtInfId>{batch.blocks()[0].id}</OrgnlPmtInfId>"
        f"<TxInfAndSts><OrgnlEndToEndId>{end_to_end_id}</OrgnlEndToEndId><TxSts>RJCT</TxSts>"
        f"<StsRsnInf><Rsn><Cd>{reason}</Cd></Rsn></StsRsnInf></TxInfAndSts>"
        "</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>"
    ).encode()


def _collect(books: Books) -> Books:
    """The payments of the year (see `bill_year`)."""
    payments: list[Payment] = []
    allocations: list[PaymentAllocation] = []
    reversals: list[PaymentReversal] = []
    batches: list[DirectDebitBatch] = []
    closing = books.closing
    company = books.company
    mandate_1 = mandate(company)
    history: MandateHistory | None = None

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
                # The debit goes to the bank in a pain.008 file; the mandate's history
                # gives its sequence type. The file asks for the next TARGET day.
                collection, history = next_collection(mandate_1, history, on=due_date)
                batch = DirectDebitBatch(
                    message_id=f"PRLV-{due_date:%Y-%m-%d}",
                    created_at=datetime.combine(due_date - relativedelta(days=5), time(9)),
                    creditor=company.seller,
                    debits=[
                        DirectDebit(
                            end_to_end_id=debit.id,
                            amount=amount,
                            mandate=mandate_1,
                            collection_date=next_target_day(due_date),
                            sequence_type=collection.sequence_type,
                            remittance=f"Facture {invoice.number}",
                            customer=key,
                            invoice_number=invoice.number,
                        )
                    ],
                )
                batches.append(batch)
                if due_date == date(2025, 7, 1):  # the July debit bounces; paid by transfer
                    report = _reject_report(
                        batch, debit.id, "AM04", due_date + relativedelta(days=5)
                    )
                    reversals.extend(reject_reversals(batch, read_pain002(report)))
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
        elif key == "CLI0005":  # paid in dollars at the rate of its day
            pay(
                invoice, still_due(invoice, USD_PAID.on), USD_PAID.on, PaymentMethod.CREDIT_TRANSFER
            )
            payments[-1] = attrs.evolve(payments[-1], exchange_rate=USD_PAID)
        elif key == "CLI0004":
            on = due_date - relativedelta(days=3)
            pay(invoice, still_due(invoice, on), on, PaymentMethod.CREDIT_TRANSFER)
    payments.sort(key=lambda p: (p.date, p.id))
    return attrs.evolve(
        books,
        payments=tuple(payments),
        allocations=tuple(allocations),
        reversals=tuple(reversals),
        direct_debits=tuple(batches),
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


@attrs.frozen(kw_only=True)
class Aftermath:
    """January after the closing: chasing, refunding and writing off (see `after_closing`).

    Attributes:
        late_invoice: the invoice still overdue at closing.
        calendar: its dunning calendar: each step's planned date and the date taken.
        penalty: what it owes in penalties on the day it is paid (interest by
            half-year and the €40 indemnity, at the legal rate).
        payments: January's payments (one overpays, one falls 0.50 short).
        refund: the overpayment paid back.
        write_offs: the small difference written off (658).
        settlement: who paid what at the end of January.
        entries: the journal entries of January's payments, refund and write-off.

    .. versionadded:: 0.2
    """

    late_invoice: Invoice
    calendar: tuple[PlannedStep, ...]
    penalty: LatePenalty
    payments: tuple[Payment, ...]
    refund: Refund
    write_offs: tuple[WriteOff, ...]
    settlement: Settlement
    entries: tuple[JournalEntry, ...]


def after_closing(books: Books) -> Aftermath:
    """January after the year of `bill_year`: the customer still late at closing pays.

    The consulting customer (CLI0003) owes two invoices at closing, one overdue
    since 5 December and chased twice. On 20 January 2026 it pays the overdue one,
    but 1 300.00 for 1 254.00, and the other one 1 481.50 for 1 482.00 (its bank
    kept 0.50). The studio refunds the 46.00 overpaid on 27 January, and writes off
    the 0.50 left, under a tolerance of 1.00 (658, VAT kept). The late invoice's
    dunning calendar shows each step's planned and actual dates, and its penalties
    to the payment day are worked out at the legal rate (ECB rate + 10 points).

    >>> aftermath = after_closing(bill_year(load_sample_company()))
    >>> [(s.step.name, s.planned.isoformat(), s.taken and s.taken.isoformat())
    ...  for s in aftermath.calendar]
    [('Relance 1', '2025-12-12', '2025-12-15'), ('Relance 2', '2025-12-23', '2025-12-29'),
     ('Mise en demeure', '2026-01-04', None)]
    >>> aftermath.refund.amount, [w.amount for w in aftermath.write_offs]
    (Money('46.00', 'EUR'), [Money('0.50', 'EUR')])

    .. versionadded:: 0.2
    """
    settlement = books.settlement()
    open_ = [i for i in books.invoices() if not balance(i, settlement).settled and i.due_date]
    late, later = sorted(open_, key=lambda i: (i.due_date or books.closing, str(i.number)))[:2]
    assert late.number is not None  # issued
    assert later.number is not None
    customer = late.buyer.key
    paid_on = date(2026, 1, 20)
    payments = (
        Payment(
            id="PAY-2026-0001",
            customer=customer,
            amount=to_money("1300.00", "EUR"),
            date=paid_on,
            reference=late.number,
        ),
        Payment(
            id="PAY-2026-0002",
            customer=customer,
            amount=balance(later, settlement).due - to_money("0.50", "EUR"),
            date=paid_on,
            reference=later.number,
        ),
    )
    allocations = (
        PaymentAllocation(
            payment_id="PAY-2026-0001",
            invoice_number=late.number,
            amount=balance(late, settlement).due,
            date=paid_on,
        ),
        PaymentAllocation(
            payment_id="PAY-2026-0002",
            invoice_number=later.number,
            amount=payments[1].amount,
            date=paid_on,
        ),
    )
    refund = Refund(
        id="RBT-2026-0001",
        customer=customer,
        source_id="PAY-2026-0001",
        amount=payments[0].amount - allocations[0].amount,
        date=date(2026, 1, 27),
        reason="Trop-perçu",
    )
    every_payment = (*books.payments, *payments)
    every_allocation = (*books.allocations, *allocations)
    end = date(2026, 1, 31)

    def settled(write_offs: tuple[WriteOff, ...] = ()) -> Settlement:
        return settle(
            books.documents,
            every_payment,
            on=end,
            allocations=every_allocation,
            reversals=books.reversals,
            refunds=[refund],
            write_offs=write_offs,
        )

    write_offs = small_differences(settled(), tolerance=to_money("1.00", "EUR"), on=end)
    final = settled(write_offs)
    chart = ChartOfAccounts().with_product("GUIDE", kind=RevenueKind.GOODS)
    activity = Activity(
        documents=books.documents,
        payments=every_payment,
        allocations=every_allocation,
        reversals=books.reversals,
        refunds=(refund,),
        write_offs=write_offs,
    )
    entries = tuple(e for e in journalize(activity, chart=chart) if e.date > books.closing)
    penalty = penalties_owed(
        late,
        settle(
            books.documents,
            books.payments,
            on=paid_on,
            allocations=books.allocations,
            reversals=books.reversals,
        ),
    )
    return Aftermath(
        late_invoice=late,
        calendar=dunning_calendar(late, books.dunning_policy, history=books.dunning),
        penalty=penalty,
        payments=payments,
        refund=refund,
        write_offs=write_offs,
        settlement=final,
        entries=entries,
    )


def load_example_portfolio() -> BillingPortfolio:
    """The example portfolio of ``facturlib bill-run`` (``facturlib/demo/portfolio.yaml``).

    .. versionadded:: 0.2
    """
    path = resources.files(__package__).joinpath("portfolio.yaml")
    return read_portfolio(path.read_bytes(), source="portfolio.yaml")
