"""The ledger: account balances, the trial balance and lettering, from journal entries.

Balances are read straight from `facturlib.accounting.journal.JournalEntry` values: the
balance of an account is Σ debits − Σ credits of its lines (a customer who owes
money has a debit balance on 411). The **trial balance** (balance générale) lists
every account with its debit and credit totals; since every entry balances, its
balances always sum to zero.

**Lettering** (lettrage, FEC EcritureLet/DateLet) marks the customer-account lines
that settle each other: an invoice, its credit notes and the payments allocated to
it. `letter` groups the unlettered lines of each customer account by the pieces
that refer to each other — a payment's allocations name the invoices it pays, a
credit note names the invoice it corrects, entries sharing a piece reference (an
invoice and its escompte, a payment and its reject) belong together — and gives a
code to every group whose lines sum to zero, dated by its latest entry
(invoice 3 240 / credit note 1 080 / payment 2 160 → one letter).

>>> from datetime import date
>>> from facturlib.accounting.accounts import Account, Journal
>>> from facturlib.accounting.journal import JournalEntry, JournalLine, _entries_currency
>>> from facturlib.core.money import to_money
>>> bank, sales = Account("512000", "Banque"), Account("706000", "Prestations de services")
>>> entry = JournalEntry(journal=Journal("VT", "Ventes"), date=date(2025, 1, 15),
...     piece="FA-1", label="Facture FA-1", lines=[
...         JournalLine(account=bank, debit=to_money("100.00", "EUR")),
...         JournalLine(account=sales, credit=to_money("100.00", "EUR"))])
>>> account_balance([entry], "706")
Money('-100.00', 'EUR')
>>> trial_balance([entry]).total_debit
Money('100.00', 'EUR')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import attrs
from moneyed import Currency, Money

from facturlib.accounting.accounts import Account
from facturlib.accounting.journal import JournalEntry, JournalLine, _entries_currency
from facturlib.core._codes import DocumentKind
from facturlib.core._display import money_text, pretty, summary_html
from facturlib.core._validators import (
    as_tuple,
    check_bool,
    check_date,
    check_instance,
    instance_of,
    is_money,
    items_of,
    tuple_of,
)
from facturlib.core.documents import Invoice
from facturlib.core.errors import LedgerError
from facturlib.core.money import _zero_amount, freeze_money, sum_money
from facturlib.receivables.payments import PaymentAllocation

__all__ = [
    "TrialBalance",
    "TrialBalanceRow",
    "account_balance",
    "letter",
    "trial_balance",
]

_ZERO = Decimal(0)


def _entries(entries: Iterable[JournalEntry], on: dt.date | None) -> list[JournalEntry]:
    items = items_of(entries, JournalEntry, "entries", error=LedgerError)
    check_date(on, "on", optional=True, error=LedgerError)
    return [entry for entry in items if on is None or entry.date <= on]


def _currency(entries: Sequence[JournalEntry], given: str | Currency | None) -> Currency:
    cur = _entries_currency(
        entries,
        given,
        what="the entries are in several currencies",
        hint="balance each currency separately",
    )
    if cur is None:
        raise LedgerError(
            "no entries and no currency",
            field="currency",
            value=None,
            hint='pass currency="EUR" to balance an empty ledger',
        )
    return cur


def account_balance(
    entries: Iterable[JournalEntry],
    account: Account | str,
    *,
    auxiliary: str | None = None,
    on: dt.date | None = None,
    currency: str | Currency | None = None,
) -> Money:
    """The balance (Σ debits − Σ credits) of *account* over *entries*.

    Args:
        entries: journal entries, in one currency.
        account: an `Account`, or a number prefix: ``"411"`` covers 411000, 411100…
        auxiliary: only the lines of this auxiliary (customer) account.
        on: only the entries dated on or before this day.
        currency: the currency, needed when there are no entries.

    Returns:
        A positive amount for a debit balance, negative for a credit balance.

    .. versionadded:: 0.1
    """
    items = _entries(entries, on)
    cur = _currency(items, currency)
    check_instance(account, (Account, str), "account", error=LedgerError, hint="e.g. '411'")
    check_instance(auxiliary, str, "auxiliary", optional=True, error=LedgerError)

    def matches(line: JournalLine) -> bool:
        if isinstance(account, Account):
            same = line.account == account
        else:
            same = line.account.number.startswith(str(account))
        return same and (auxiliary is None or line.auxiliary == auxiliary)

    total = sum(
        (line.amount.amount for entry in items for line in entry.lines if matches(line)), _ZERO
    )
    return Money(total, cur)


@attrs.frozen(kw_only=True)
class TrialBalanceRow:
    """One account of a trial balance with its debit and credit totals.

    .. versionadded:: 0.1
    """

    account: Account = attrs.field(validator=instance_of(Account))
    auxiliary: str | None = attrs.field(validator=instance_of(str, optional=True))
    auxiliary_label: str | None = attrs.field(validator=instance_of(str, optional=True))
    debit: Money = attrs.field(converter=freeze_money, validator=is_money())
    credit: Money = attrs.field(converter=freeze_money, validator=is_money())

    @property
    def balance(self) -> Money:
        """Σ debits − Σ credits."""
        return self.debit - self.credit


@attrs.frozen(kw_only=True)
class TrialBalance:
    """The trial balance (balance générale): every account's totals, by account number.

    Attributes:
        currency: the currency of the entries.
        rows: one `TrialBalanceRow` per account (per auxiliary account too, if asked).

    .. versionadded:: 0.1
    """

    currency: Currency = attrs.field(validator=instance_of(Currency))
    rows: tuple[TrialBalanceRow, ...] = attrs.field(
        converter=as_tuple, validator=tuple_of(TrialBalanceRow)
    )

    @property
    def total_debit(self) -> Money:
        """Σ debits of every row."""
        return sum_money((row.debit for row in self.rows), self.currency)

    @property
    def total_credit(self) -> Money:
        """Σ credits of every row."""
        return sum_money((row.credit for row in self.rows), self.currency)

    @property
    def balance(self) -> Money:
        """Σ of every row's balance: zero for any set of balanced entries."""
        return self.total_debit - self.total_credit

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """A one-line summary for IPython (``repr()`` keeps every row).

        .. versionadded:: 0.2
        """
        text = (
            f"<TrialBalance {self.currency.code}: {len(self.rows)} accounts, "
            f"debit {money_text(self.total_debit)} = credit {money_text(self.total_credit)}>"
        )
        pretty(printer, cycle, text)

    def _repr_html_(self) -> str:
        """The trial balance as an HTML table for Jupyter.

        .. versionadded:: 0.2
        """
        headers = ["account", "label", "auxiliary", "debit", "credit", "balance"]
        rows = [
            (
                row.account.number,
                row.account.label,
                row.auxiliary_label or row.auxiliary or "",
                row.debit,
                row.credit,
                row.balance,
            )
            for row in self.rows
        ]
        fields = [("total debit", self.total_debit), ("total credit", self.total_credit)]
        return summary_html("Trial balance", fields, (headers, rows))

    def row(self, number: str, auxiliary: str | None = None) -> TrialBalanceRow | None:
        """The row of account *number* (and *auxiliary*), or ``None``."""
        for row in self.rows:
            if row.account.number == number and row.auxiliary == auxiliary:
                return row
        return None


def trial_balance(
    entries: Iterable[JournalEntry],
    *,
    by_auxiliary: bool = False,
    on: dt.date | None = None,
    currency: str | Currency | None = None,
) -> TrialBalance:
    """The trial balance of *entries*: debit and credit totals per account.

    Args:
        entries: journal entries, in one currency.
        by_auxiliary: one row per auxiliary (customer) account rather than per
            general account (balance auxiliaire).
        on: only the entries dated on or before this day.
        currency: the currency, needed when there are no entries.

    Returns:
        A `TrialBalance` sorted by account number (then auxiliary account).

    .. versionadded:: 0.1
    """
    items = _entries(entries, on)
    cur = _currency(items, currency)
    check_bool(by_auxiliary, "by_auxiliary", error=LedgerError)
    zero = _zero_amount(cur)
    sums: dict[tuple[str, str, str | None], list[Any]] = {}
    for entry in items:
        for line in entry.lines:
            aux = line.auxiliary if by_auxiliary else None
            key = (line.account.number, line.account.label, aux)
            found = sums.setdefault(key, [line.account, line.auxiliary_label, zero, zero])
            found[2] += line.debit.amount if line.debit else _ZERO
            found[3] += line.credit.amount if line.credit else _ZERO
    rows = [
        TrialBalanceRow(
            account=account,
            auxiliary=key[2],
            auxiliary_label=label if key[2] is not None else None,
            debit=Money(debit, cur),
            credit=Money(credit, cur),
        )
        for key, (account, label, debit, credit) in sorted(
            sums.items(), key=lambda item: (item[0][0], item[0][2] or "", item[0][1])
        )
    ]
    return TrialBalance(currency=cur, rows=rows)


# ---------------------------------------------------------------------- lettering


def _code(n: int) -> str:
    """The n-th lettering code: A … Z, AA, AB … (bijective base 26)."""
    text = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        text = chr(ord("A") + rest) + text
    return text


class _Pieces:
    """Union-find over piece references (private scratch space)."""

    __slots__ = ("parent",)

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def root(self, piece: str) -> str:
        self.parent.setdefault(piece, piece)
        while self.parent[piece] != piece:
            self.parent[piece] = self.parent[self.parent[piece]]
            piece = self.parent[piece]
        return piece

    def join(self, a: str, b: str) -> None:
        self.parent[self.root(a)] = self.root(b)


def letter(
    entries: Iterable[JournalEntry],
    *,
    allocations: Iterable[PaymentAllocation] = (),
    credit_notes: Iterable[Invoice] = (),
) -> tuple[JournalEntry, ...]:
    """*entries* with the customer-account lines that settle each other lettered.

    Args:
        entries: journal entries (e.g. from `facturlib.accounting.journal.journalize`).
        allocations: which invoices each payment settles (payment id ↔ invoice number).
        credit_notes: credit notes, linked to the invoices they refer to.

    Returns:
        The same entries, in the same order, where every unlettered group of
        auxiliary-account lines summing to zero gets a new code (A, B, … Z, AA…, not
        used yet) and the date of its latest entry. Lines already lettered keep
        their code.

    .. versionadded:: 0.1
    """
    items = _entries(entries, None)
    allocations = items_of(allocations, PaymentAllocation, "allocations", error=LedgerError)
    credit_notes = items_of(credit_notes, Invoice, "credit_notes", error=LedgerError)
    pieces = _Pieces()
    for allocation in allocations:
        pieces.join(allocation.payment_id, allocation.invoice_number)
    for note in credit_notes:
        if note.kind is DocumentKind.CREDIT_NOTE and note.number is not None:
            for ref in note.preceding:
                pieces.join(note.number, ref.number)
    used = {line.lettering for entry in items for line in entry.lines if line.lettering}
    groups: dict[tuple[str, str, str], list[tuple[int, int]]] = {}
    for e, entry in enumerate(items):
        for n, line in enumerate(entry.lines):
            if line.auxiliary is not None and line.lettering is None:
                key = (line.account.number, line.auxiliary, pieces.root(entry.piece))
                groups.setdefault(key, []).append((e, n))
    changes: dict[tuple[int, int], tuple[str, dt.date]] = {}
    counter = 0
    for members in groups.values():
        total = sum((items[e].lines[n].amount.amount for e, n in members), _ZERO)
        if total != 0 or len(members) < 2:
            continue
        while _code(counter) in used:
            counter += 1
        code = _code(counter)
        used.add(code)
        day = max(items[e].date for e, _ in members)
        for member in members:
            changes[member] = (code, day)
    result = []
    for e, entry in enumerate(items):
        if not any((e, n) in changes for n in range(len(entry.lines))):
            result.append(entry)
            continue
        lines = tuple(
            attrs.evolve(line, lettering=changes[(e, n)][0], lettering_date=changes[(e, n)][1])
            if (e, n) in changes
            else line
            for n, line in enumerate(entry.lines)
        )
        result.append(attrs.evolve(entry, lines=lines))
    return tuple(result)
