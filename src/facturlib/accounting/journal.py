"""Double-entry journal entries for sales: invoices, credit notes, deposits, payments.

A `JournalEntry` is one balanced accounting entry (écriture): a `Journal`, a date,
a piece reference (the invoice number, the payment id), a label and at least two
`JournalLine`\\s, each with an `Account`, an optional auxiliary (customer) account,
a debit *or* a credit, a label, a due date, analytic codes and lettering. **An entry
whose debits and credits differ cannot be built**: the constructor raises
`LedgerError` (PCG; PCG "every entry balances").

`journal_for` builds the entry of one finished operation with a `ChartOfAccounts`,
reproducing PCG:

* an issued invoice (VT): D 411 gross / C 70x net per revenue account / C 44571x VAT
  per rate; document allowances go to 709000, charges to 7085, cash rounding to 758/658;
* a credit note (VT): the reverse entry — on the rebate accounts 709x with ``rebate=True``,
  on 4191 for a credit note of a deposit invoice (``deposits=[that deposit]``);
* a deposit invoice (VT): D 411 / C 4191 net / C 44571x;
* a final invoice deducting its deposit invoices (``deposits=``): D 4191 the deposits'
  net, D 411 the rest, C 70x the full net, C 44571x the VAT not yet collected;
* a `facturlib.receivables.payments.Payment` (BQ): D 512 / C 411 — and, for VAT on receipts,
  D 44574x / C 44571x the VAT that the payment makes due (CGI 269-2);
* a `facturlib.receivables.payments.PaymentReversal` — a direct-debit reject (BQ): D 411 / C 512,
  D 627 / C 512 for the bank fee, and the VAT made due by the payment moved back;
* a `LatePaymentPenalty` (VT): D 411 / C 7631 interest / C 7581 the €40 indemnity, no VAT
  (`LatePaymentPenalty.from_penalty` takes them from a computed
  `facturlib.receivables.penalties.LatePenalty`);
* a `DiscountGranted`, escompte (OD): D 665 / D 44571x / C 411, split over the VAT rates
  as `facturlib.receivables.terms.early_payment_discount` splits it;
* a `facturlib.receivables.payments.Refund` (BQ): D 411 / C 512, no VAT;
* a `facturlib.receivables.payments.WriteOff` (OD): C 411 the amount written off, D 654
  (658 for a small difference) the loss; for a bad debt (créance définitivement
  irrécouvrable) D 44571x the VAT of the unpaid part is recovered (CGI 272-1;
  BOI-TVA-DED-40-10-20), and under VAT on receipts D 44574x the VAT never received
  (so never due, CGI 269-2-c) is cancelled whatever the kind.

Drafts and proformas have no accounting effect and are refused. `journalize` books
a whole `Activity` — documents, payments, reversals, penalties, discounts — in date
order, wiring deposits, receivables and VAT on receipts by itself.

>>> from datetime import date
>>> from facturlib.accounting.accounts import ChartOfAccounts
>>> from facturlib.core.issuing import issue
>>> from facturlib.core.numbering import SequenceState
>>> from facturlib.testing.builders import sample_invoice, sample_scheme
>>> invoice, _ = issue(sample_invoice(), sample_scheme(), SequenceState(), on=date(2025, 1, 15))
>>> entry = journal_for(invoice, chart=ChartOfAccounts())
>>> for line in entry.lines:
...     print(line.account.number, line.auxiliary, line.amount.amount)
411000 552081317 1440.00
706000 None -1200.00
445711 None -240.00
>>> journal_for(sample_invoice(), chart=ChartOfAccounts())
Traceback (most recent call last):
...
facturlib.core.errors.LedgerError: a draft has no accounting effect ...
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, cast

import attrs
from moneyed import Currency, Money

from facturlib.accounting.accounts import Account, ChartOfAccounts, Journal, _is_account, _one_line
from facturlib.core._codes import DocumentKind
from facturlib.core._trusted import unchecked
from facturlib.core._validators import (
    as_tuple,
    check_bool,
    check_instance,
    is_date,
    is_optional_date,
    items_of,
    optional_str,
    to_decimal,
    tuple_of,
)
from facturlib.core.documents import Invoice
from facturlib.core.errors import LedgerError
from facturlib.core.exchange import ExchangeRate
from facturlib.core.integrity import _verified
from facturlib.core.money import (
    DEFAULT_ROUNDING,
    FrozenMoney,
    _check_positive_money,
    _quantum,
    allocate,
    exact,
    freeze_money,
    minor_units,
    split_to_total,
)
from facturlib.core.money import currency as to_currency
from facturlib.core.periods import Period
from facturlib.core.vat import VatRate
from facturlib.projects.deposits import _deducted
from facturlib.receivables.payments import (
    Payment,
    PaymentAllocation,
    PaymentReversal,
    Refund,
    WriteOff,
    WriteOffKind,
)
from facturlib.receivables.penalties import LatePenalty
from facturlib.receivables.terms import _escompte

__all__ = [
    "Activity",
    "DiscountGranted",
    "JournalEntry",
    "JournalLine",
    "LatePaymentPenalty",
    "journal_for",
    "journalize",
]

_ZERO = Decimal(0)


# ------------------------------------------------------------------------ the values


def _optional_text(field: str) -> Callable[[Any], str | None]:
    required = _one_line(field, "remove tabs, pipes and line breaks")

    def convert(value: Any) -> str | None:
        return None if optional_str(value) is None else required(value)

    return convert


# The named wrappers below exist for mypy: its attrs plugin only reads converters that
# are named functions, not callables held in variables.
_AUX_TEXT = _optional_text("auxiliary")


def _aux_text(value: Any) -> str | None:
    return _AUX_TEXT(value)


_AUX_LABEL_TEXT = _optional_text("auxiliary_label")


def _aux_label_text(value: Any) -> str | None:
    return _AUX_LABEL_TEXT(value)


_LINE_LABEL_TEXT = _optional_text("label")


def _line_label_text(value: Any) -> str | None:
    return _LINE_LABEL_TEXT(value)


_ANALYTIC_TEXT = _optional_text("analytic")


def _analytic_text(value: Any) -> str | None:
    return _ANALYTIC_TEXT(value)


_LETTERING_TEXT = _optional_text("lettering")


def _lettering_text(value: Any) -> str | None:
    return _LETTERING_TEXT(value)


_PIECE_TEXT = _one_line("piece", "give the invoice number or payment id")


def _piece_text(value: Any) -> str:
    return _PIECE_TEXT(value)


_ENTRY_LABEL_TEXT = _one_line("label", "say what the entry records, e.g. 'Facture FA-2025-0001'")


def _entry_label_text(value: Any) -> str:
    return _ENTRY_LABEL_TEXT(value)


def _check_amount(field: str, value: Any) -> None:
    _check_positive_money(
        value,
        field,
        error=LedgerError,
        what=f"a {field}",
        negative_hint="put a negative amount on the other side instead",
        places_hint="round it to the currency's minor unit first",
    )


@attrs.frozen(kw_only=True)
class JournalLine:
    """One line of a journal entry: an amount on the debit *or* the credit of an account.

    Attributes:
        account: the general ledger `Account` (FEC CompteNum/CompteLib).
        debit: the amount debited, positive, or ``None``.
        credit: the amount credited, positive, or ``None`` (exactly one of the two).
        auxiliary: the auxiliary (customer) account number, FEC CompAuxNum.
        auxiliary_label: its label, FEC CompAuxLib (required with *auxiliary*).
        label: the line's label when it differs from the entry's (FEC EcritureLib).
        due_date: when a receivable is due (the invoice's BT-9).
        analytic1, analytic2: analytic codes.
        lettering, lettering_date: the matching code and date (FEC EcritureLet, DateLet).
        foreign_amount: the amount in a foreign currency (FEC Montantdevise, Idevise).
        vat_base: on a VAT line, the taxable base that VAT is on, in the line's direction
            (a VAT credit of 200.00 at 20 % has ``vat_base`` 1 000.00; a credit note's VAT
            debit has its base as a debit too). What the VAT return declares per rate next
            to the VAT (form 3310-CA3, lines 08 to 9B): `facturlib.vat_collected` reads it.
            Not part of the FEC.

    Raises:
        LedgerError: both or neither of debit and credit, a non-positive amount, an
            auxiliary account without a label, a lettering code without a date.

    .. versionadded:: 0.1
    """

    account: Account = attrs.field(validator=_is_account)
    debit: Money | None = attrs.field(default=None, converter=freeze_money)
    credit: Money | None = attrs.field(default=None, converter=freeze_money)
    auxiliary: str | None = attrs.field(default=None, converter=_aux_text)
    auxiliary_label: str | None = attrs.field(default=None, converter=_aux_label_text)
    label: str | None = attrs.field(default=None, converter=_line_label_text)
    due_date: dt.date | None = attrs.field(default=None, validator=is_optional_date)
    analytic1: str | None = attrs.field(default=None, converter=_analytic_text)
    analytic2: str | None = attrs.field(default=None, converter=_analytic_text)
    lettering: str | None = attrs.field(default=None, converter=_lettering_text)
    lettering_date: dt.date | None = attrs.field(default=None, validator=is_optional_date)
    foreign_amount: Money | None = attrs.field(default=None, converter=freeze_money)
    vat_base: Money | None = attrs.field(default=None, converter=freeze_money)

    def __attrs_post_init__(self) -> None:
        if (self.debit is None) == (self.credit is None):
            raise LedgerError(
                "a journal line has a debit or a credit, not both nor neither",
                field="debit",
                value=(self.debit, self.credit),
                hint="split it into two lines, or drop a line that moves nothing",
            )
        _check_amount("debit" if self.debit is not None else "credit", self.debit or self.credit)
        if self.foreign_amount is not None:
            _check_amount("foreign_amount", self.foreign_amount)
        if self.vat_base is not None and not isinstance(self.vat_base, Money):
            raise LedgerError(
                "a VAT base is an amount of money",
                field="vat_base",
                value=self.vat_base,
                hint='e.g. vat_base=to_money("1000.00", "EUR")',
            )
        if (self.auxiliary is None) != (self.auxiliary_label is None):
            raise LedgerError(
                "an auxiliary account needs its label, and a label its account",
                field="auxiliary_label",
                value=(self.auxiliary, self.auxiliary_label),
                hint="give both (FEC CompAuxNum and CompAuxLib) or neither",
            )
        if (self.lettering is None) != (self.lettering_date is None):
            raise LedgerError(
                "a lettering code needs its date, and a date its code",
                field="lettering_date",
                value=(self.lettering, self.lettering_date),
                hint="give both (FEC EcritureLet and DateLet) or neither",
            )

    @classmethod
    def of(cls, account: Account, amount: Money, **fields: Any) -> JournalLine:
        """A line debiting *account* with a positive *amount*, or crediting it with a
        negative one.

        >>> from facturlib.core.money import to_money
        >>> JournalLine.of(Account("706000", "Services"), to_money("-5.00", "EUR")).credit
        Money('5.00', 'EUR')

        .. versionadded:: 0.1
        """
        if amount.amount > 0:
            return cls(account=account, debit=amount, **fields)
        return cls(account=account, credit=-amount, **fields)

    @property
    def amount(self) -> Money:
        """The signed amount: the debit, or minus the credit."""
        if self.credit is not None:
            return -self.credit
        return cast(Money, self.debit)

    @property
    def currency(self) -> Currency:
        """The currency of the amount."""
        # The debit's or the credit's: no negated copy as in `amount` (issue 21).
        return cast(Money, self.credit if self.debit is None else self.debit).currency


def _is_journal(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Journal):
        raise LedgerError(
            f"expected a Journal, got {type(value).__name__}",
            field="journal",
            value=value,
            hint="use chart.sales_journal, chart.bank_journal or Journal('OD', 'Divers')",
        )


@attrs.frozen(kw_only=True)
class JournalEntry:
    """One balanced accounting entry (écriture): Σ debits = Σ credits, always.

    Attributes:
        journal: the `Journal` (FEC JournalCode/JournalLib).
        date: the entry date (FEC EcritureDate).
        piece: the piece reference: invoice number, payment id (FEC PieceRef).
        label: what the entry records (FEC EcritureLib of its lines).
        lines: two or more `JournalLine`\\s in one currency.
        piece_date: the piece's date when it differs from *date* (FEC PieceDate).
        validation_date: the validation date when it differs from *date* (FEC ValidDate).

    A *piece_date* or *validation_date* equal to *date*, and a line label equal to the
    entry label, are stored as ``None``, so that an entry read back from a file equals
    the one written.

    Raises:
        LedgerError: debits and credits differ (the message gives both), fewer than two
            lines, lines in several currencies.

    >>> from datetime import date
    >>> from facturlib.core.money import to_money
    >>> bank, clients = Account("512000", "Banque"), Account("411000", "Clients")
    >>> JournalEntry(journal=Journal("BQ", "Banque"), date=date(2025, 2, 20), piece="VIR-1",
    ...              label="Règlement", lines=[
    ...                  JournalLine(account=bank, debit=to_money("100.00", "EUR")),
    ...                  JournalLine(account=clients, credit=to_money("90.00", "EUR"))])
    Traceback (most recent call last):
    ...
    facturlib.core.errors.LedgerError: the entry does not balance: debits 100.00, credits 90.00 ...

    .. versionadded:: 0.1
    """

    journal: Journal = attrs.field(validator=_is_journal)
    date: dt.date = attrs.field(validator=is_date)
    piece: str = attrs.field(converter=_piece_text)
    label: str = attrs.field(converter=_entry_label_text)
    lines: tuple[JournalLine, ...] = attrs.field(
        converter=as_tuple, validator=tuple_of(JournalLine, error=LedgerError)
    )
    piece_date: dt.date | None = attrs.field(default=None, validator=is_optional_date)
    validation_date: dt.date | None = attrs.field(default=None, validator=is_optional_date)

    def __attrs_post_init__(self) -> None:
        if len(self.lines) < 2:
            raise LedgerError(
                "a journal entry has at least two lines",
                field="lines",
                value=len(self.lines),
                hint="debit one account and credit another",
            )
        codes = {line.currency.code for line in self.lines}
        if len(codes) > 1:
            raise LedgerError(
                "a journal entry is in one currency",
                field="lines",
                value=sorted(codes),
                hint="book each currency in its own entry, or convert at an explicit rate",
            )
        debit = sum((line.debit.amount for line in self.lines if line.debit), _ZERO)
        credit = sum((line.credit.amount for line in self.lines if line.credit), _ZERO)
        if debit != credit:
            raise LedgerError(
                f"the entry does not balance: debits {debit}, credits {credit}",
                field="lines",
                value=debit - credit,
                hint="every entry balances (PCG); add or fix a line",
            )
        first_label = self.lines[0].label
        if first_label is not None and first_label != self.label:
            raise LedgerError(
                "the first line's label is the entry's label",
                field="lines[0].label",
                value=first_label,
                hint="give the entry this label, or leave the first line's label empty "
                "(an FEC file has no entry label: it reads it from the first line)",
            )
        # Normalise what a file cannot tell apart, so that read(write(entry)) == entry.
        if self.piece_date == self.date:
            object.__setattr__(self, "piece_date", None)
        if self.validation_date == self.date:
            object.__setattr__(self, "validation_date", None)
        if any(line.label == self.label for line in self.lines):
            object.__setattr__(
                self,
                "lines",
                tuple(
                    attrs.evolve(line, label=None) if line.label == self.label else line
                    for line in self.lines
                ),
            )

    @property
    def currency(self) -> Currency:
        """The currency of the entry."""
        return self.lines[0].currency

    @property
    def total(self) -> Money:
        """Σ debits (= Σ credits)."""
        return Money(
            sum((line.debit.amount for line in self.lines if line.debit), _ZERO), self.currency
        )


def _clean(text: str) -> str:
    """A generated label with separators turned into spaces (FEC forbids them in data)."""
    return " ".join(text.replace("|", " ").split())


# ------------------------------------------------------------------ operations


def _positive_money(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _check_amount(attribute.name, value)


@attrs.frozen(kw_only=True)
class LatePaymentPenalty:
    """Late-payment interest and the fixed recovery indemnity claimed from a customer.

    Compensation, not a supply: no VAT (CGI 269-2; C. com. L441-10). Booked D 411 / C 7631
    (interest) / C 7581 (indemnity).

    Attributes:
        customer: the customer's key (`facturlib.Party.key`).
        reference: the piece reference: the penalty note or the late invoice's number.
        date: the day the penalty is claimed.
        interest: the late-payment interest, or ``None``.
        indemnity: the fixed indemnity (€40 per late invoice), or ``None``.
        customer_name: the customer's name for the auxiliary account label.

    .. versionadded:: 0.1
    """

    customer: str = attrs.field(converter=_piece_text)
    reference: str = attrs.field(converter=_piece_text)
    date: dt.date = attrs.field(validator=is_date)
    interest: Money | None = attrs.field(
        default=None, converter=freeze_money, validator=_positive_money
    )
    indemnity: Money | None = attrs.field(
        default=None, converter=freeze_money, validator=_positive_money
    )
    customer_name: str | None = attrs.field(default=None, converter=_aux_label_text)

    def __attrs_post_init__(self) -> None:
        amounts = [m for m in (self.interest, self.indemnity) if m is not None]
        if not amounts:
            raise LedgerError(
                "a penalty needs interest, an indemnity or both",
                field="interest",
                value=None,
                hint="pass interest=to_money(...) and/or indemnity=to_money('40.00', 'EUR')",
            )
        if len({m.currency.code for m in amounts}) > 1:
            raise LedgerError(
                "interest and indemnity must be in one currency",
                field="indemnity",
                value=self.indemnity,
            )

    @classmethod
    def from_penalty(
        cls,
        penalty: LatePenalty,
        *,
        customer: str,
        date: dt.date | None = None,
        reference: str | None = None,
        customer_name: str | None = None,
    ) -> LatePaymentPenalty:
        """The penalty to book for a `facturlib.receivables.penalties.LatePenalty`, as computed.

        The interest and the indemnity are the computed ones, so the journal books
        exactly what `facturlib.receivables.penalties.late_penalty` (or `late_interest`) found; a
        zero interest or indemnity is left out.

        Args:
            penalty: the computed `LatePenalty`.
            customer: the customer's key (`facturlib.Party.key`).
            date: the day the penalty is claimed; by default the last day the penalty
                counts (``penalty.until``).
            reference: the piece reference; by default the late invoice's number
                (``penalty.invoice_number``).
            customer_name: the customer's name for the auxiliary account label.

        Returns:
            The `LatePaymentPenalty` to pass to `journal_for` or `Activity`.

        Raises:
            LedgerError: not a `LatePenalty`; nothing to book (the amount was not late,
                or the interest is zero and no indemnity is due); no reference given
                for a penalty not computed for an invoice; interest and indemnity in
                two currencies.

        The worked example (C. com. L441-10), 7 800.00 due 2025-03-31 and paid 2025-05-15:

        >>> from facturlib.core.money import to_money
        >>> from facturlib.receivables.penalties import PenaltyPolicy, late_interest
        >>> amount, policy = to_money("7800.00", "EUR"), PenaltyPolicy(rate="12.15")
        >>> due, paid = dt.date(2025, 3, 31), dt.date(2025, 5, 15)
        >>> late = late_interest(amount, due, paid, policy)
        >>> booked = LatePaymentPenalty.from_penalty(late, customer="CLI0001", reference="FA-42")
        >>> booked.date, booked.interest, booked.indemnity
        (datetime.date(2025, 5, 15), Money('116.84', 'EUR'), Money('40.00', 'EUR'))
        >>> on_time = late_interest(amount, due, due, policy)
        >>> LatePaymentPenalty.from_penalty(on_time, customer="CLI0001", reference="FA-42")
        Traceback (most recent call last):
        ...
        facturlib.core.errors.LedgerError: nothing to book: FA-42 was not late on 2025-03-31 ...

        .. versionadded:: 0.1
        """
        if not isinstance(penalty, LatePenalty):
            raise LedgerError(
                f"expected a LatePenalty, got {type(penalty).__name__}",
                field="penalty",
                value=penalty,
                hint="compute it with facturlib.late_penalty() or facturlib.late_interest()",
            )
        piece = reference if reference is not None else penalty.invoice_number
        if piece is None:
            raise LedgerError(
                "the penalty was not computed for an invoice: give its piece reference",
                field="reference",
                value=None,
                hint="pass reference= the penalty note or the late invoice's number",
            )
        interest, indemnity = penalty.interest, penalty.indemnity
        if indemnity is not None and indemnity.currency != interest.currency:
            raise LedgerError(
                f"the interest is in {interest.currency.code}, "
                f"the indemnity in {indemnity.currency.code}",
                field="penalty.indemnity",
                value=indemnity,
                hint="give the PenaltyPolicy an indemnity in the invoice's currency",
            )
        booked_interest = interest if interest.amount > 0 else None
        booked_indemnity = indemnity if indemnity is not None and indemnity.amount > 0 else None
        if booked_interest is None and booked_indemnity is None:
            late = penalty.days_late > 0
            raise LedgerError(
                f"nothing to book: the penalty of {piece} is zero"
                if late
                else f"nothing to book: {piece} was not late on {penalty.until}",
                field="penalty",
                value=interest,
                hint="the interest rounds to zero and no indemnity is due; leave it out"
                if late
                else "book a penalty only for an amount paid (or still due) after its due date",
            )
        return cls(
            customer=customer,
            reference=piece,
            date=penalty.until if date is None else date,
            interest=booked_interest,
            indemnity=booked_indemnity,
            customer_name=customer_name,
        )


def _to_percent(value: Any) -> Decimal | None:
    return None if value is None else to_decimal(value, "percent")


def _issued_invoice(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    _check_booked(value, attribute.name)


@attrs.frozen(kw_only=True)
class DiscountGranted:
    """An early-payment discount (escompte) granted on an issued invoice.

    Booked (OD) D 665 the discount, D 44571x its VAT, C 411 the total: 2 % on
    2 700.00 HT at 20 % → 665 54.00, 44571 10.80, 411 64.80 (C. com. L441-10; PCG).

    Attributes:
        invoice: the issued invoice.
        date: the day the discount is granted (usually the payment date).
        percent: the discount in percent of the invoice's net total, or
        amount: the discount excluding VAT (exactly one of the two).

    .. versionadded:: 0.1
    """

    invoice: Invoice = attrs.field(validator=_issued_invoice)
    date: dt.date = attrs.field(validator=is_date)
    percent: Decimal | None = attrs.field(default=None, converter=_to_percent)
    amount: Money | None = attrs.field(
        default=None, converter=freeze_money, validator=_positive_money
    )

    def __attrs_post_init__(self) -> None:
        if (self.percent is None) == (self.amount is None):
            raise LedgerError(
                "an early-payment discount is a percent or an amount",
                field="percent",
                value=(self.percent, self.amount),
                hint='pass exactly one of percent="2" or amount=to_money("54.00", "EUR")',
            )
        if self.percent is not None and not 0 < self.percent <= 100:
            raise LedgerError(
                "a discount percentage is above 0 and at most 100",
                field="percent",
                value=self.percent,
                hint='write 2 % as percent="2"',
            )
        if self.invoice.kind is DocumentKind.CREDIT_NOTE:
            raise LedgerError(
                "an early-payment discount is granted on an invoice, not a credit note",
                field="invoice",
                value=self.invoice.number,
            )


# ----------------------------------------------------------------- postings


class _Postings:
    """Signed amounts per line key, in insertion order (private scratch space).

    Positive is a debit, negative a credit.
    """

    __slots__ = ("bases", "cur", "foreign", "sums")

    def __init__(self, cur: Currency) -> None:
        self.cur = cur
        self.sums: dict[tuple[Any, ...], Decimal] = {}
        self.bases: dict[tuple[Any, ...], Decimal] = {}
        self.foreign: dict[tuple[Any, ...], Money] = {}  # signed, when in a foreign currency

    def add(
        self,
        account: Account,
        amount: Decimal,
        *,
        auxiliary: tuple[str, str] | None = None,
        due_date: dt.date | None = None,
        analytics: tuple[str | None, str | None] = (None, None),
        label: str | None = None,
        base: Decimal | None = None,
        foreign: Money | None = None,
    ) -> None:
        """Add *amount* (and, on a VAT account, the taxable *base* of that VAT, signed
        like *amount*) to the line of that key."""
        key = (account, auxiliary, due_date, analytics, label)
        self.sums[key] = self.sums.get(key, _ZERO) + amount
        if base is not None:
            self.bases[key] = self.bases.get(key, _ZERO) + base
        if foreign is not None:
            self.foreign[key] = self.foreign[key] + foreign if key in self.foreign else foreign

    def lines(self) -> tuple[JournalLine, ...]:
        result = []
        places = minor_units(self.cur)
        for key, amount in self.sums.items():
            if amount == 0:
                continue
            account, auxiliary, due_date, analytics, label = key
            base = self.bases.get(key)
            foreign = self.foreign.get(key)
            fast = _fast_line(account, amount, self.cur, places, key, base, foreign)
            if fast is not None:
                result.append(fast)
                continue
            result.append(  # the checking constructor: it raises what the fast path doubts
                JournalLine.of(
                    account,
                    Money(amount, self.cur),
                    auxiliary=auxiliary[0] if auxiliary else None,
                    auxiliary_label=auxiliary[1] if auxiliary else None,
                    due_date=due_date,
                    analytic1=analytics[0],
                    analytic2=analytics[1],
                    label=label,
                    vat_base=None
                    if base is None
                    else Money(base if amount > 0 else -base, self.cur),
                    foreign_amount=abs(foreign) if foreign and foreign.amount else None,
                )
            )
        return tuple(result)


#: `JournalLine` without its checks, for `_fast_line` only (see there).
_trusted_line = unchecked(JournalLine)


def _exact_places(value: Decimal, places: int) -> bool:
    """Whether *value* passes `freeze_money`'s digit check and has at most *places*
    decimals, by its own exponent (a sufficient test: the checks may accept more)."""
    if not value.is_finite():
        return False
    _, digits, exponent = value.as_tuple()
    return len(digits) <= 28 and -cast(int, exponent) <= places and value.adjusted() < 28


def _fast_line(
    account: Account,
    amount: Decimal,
    cur: Currency,
    places: int,
    key: tuple[Any, ...],
    base: Decimal | None,
    foreign: Money | None,
) -> JournalLine | None:
    """The `JournalLine` `_Postings.lines` books for *key*, built with the trusted
    constructor; ``None`` when a check could fail (the caller then uses the checking one).

    Trusted (DESIGN.md): *account* is an `Account` of the checked chart; the amount
    goes on the debit when positive and on the credit (negated) when negative, so it
    is positive and exactly one side is set; it and the VAT base are finite Decimals
    of at most 28 digits in whole minor units of *cur* (`_exact_places`), stored as
    `FrozenMoney` as `freeze_money` would; the texts go through the field converters
    (which check them); the due date is the checked invoice's. A foreign amount, a text
    left empty by its converter or an amount failing `_exact_places` takes the
    checking constructor. tests/property/test_ledger_laws.py rebuilds every line
    of `journalize` with the checking constructor and requires equality.
    """
    _, auxiliary, due_date, analytics, label = key
    if foreign is not None or not _exact_places(amount, places):
        return None
    if base is not None and not _exact_places(base, places):
        return None
    aux = aux_label = None
    if auxiliary:
        aux, aux_label = _aux_text(auxiliary[0]), _aux_label_text(auxiliary[1])
        if aux is None or aux_label is None:
            return None
    positive = amount > 0
    value = FrozenMoney(amount if positive else -amount, cur)
    return _trusted_line(
        account=account,
        debit=value if positive else None,
        credit=None if positive else value,
        auxiliary=aux,
        auxiliary_label=aux_label,
        # The converters give None for None: called only on texts.
        label=None if label is None else _line_label_text(label),
        due_date=due_date,
        analytic1=None if analytics[0] is None else _analytic_text(analytics[0]),
        analytic2=None if analytics[1] is None else _analytic_text(analytics[1]),
        vat_base=None if base is None else FrozenMoney(base if positive else -base, cur),
    )


#: `JournalEntry` without its checks, for `_fast_entry` only (see there).
_trusted_entry = unchecked(JournalEntry)


def _fast_entry(
    journal: Journal, date: dt.date, piece: str, label: str, lines: tuple[JournalLine, ...]
) -> JournalEntry:
    """``JournalEntry(journal=..., date=..., piece=..., label=..., lines=...)`` for the
    entry of a document, with the trusted constructor when it would store the same.

    Trusted (DESIGN.md): *journal* is the checked chart's sales journal and *date* the
    checked invoice's issue date; the piece and label go through the field converters
    (which check them); *lines* is a tuple of journal lines. This function then checks
    what the constructor checks of them — two lines or more, one currency, debits equal
    to credits — and that no line has a label (so there is none to normalise); if any
    fails, the checking constructor runs and raises its error.
    tests/property/test_ledger_laws.py rebuilds every entry with the checking constructor.
    """
    piece, label = _piece_text(piece), _entry_label_text(label)
    debit = credit = _ZERO
    currencies = set()
    labelled = False
    for line in lines:
        if line.debit is not None:
            debit += line.debit.amount
            currencies.add(line.debit.currency.code)
        if line.credit is not None:
            credit += line.credit.amount
            currencies.add(line.credit.currency.code)
        labelled = labelled or line.label is not None
    if len(lines) < 2 or len(currencies) != 1 or debit != credit or labelled:
        return JournalEntry(journal=journal, date=date, piece=piece, label=label, lines=lines)
    return _trusted_entry(journal=journal, date=date, piece=piece, label=label, lines=lines)


@attrs.frozen
class _Item:
    """One revenue amount of a document (private): positive = revenue (a credit)."""

    account: Account
    analytics: tuple[str | None, str | None]
    amount: Decimal
    vat: VatRate
    period: Period | None
    service: bool | None  # None: an allowance, which follows the other items


def _check_booked(
    document: Any, field: str = "document", *, verify: bool = True
) -> tuple[str, dt.date]:
    if not isinstance(document, Invoice):
        raise LedgerError(
            f"expected an Invoice, got {type(document).__name__}",
            field=field,
            value=document,
            hint="journal entries are made from issued invoices, credit notes and payments",
        )
    if document.kind is DocumentKind.PROFORMA:
        raise LedgerError(
            "a proforma is not an invoice and has no accounting effect",
            field=field,
            value=document.number,
            hint="book the invoice issued for it instead (EN 16931 BT-3)",
        )
    if not document.is_issued or document.number is None or document.issue_date is None:
        raise LedgerError(
            "a draft has no accounting effect",
            field=field,
            value=document.number,
            hint="issue it with facturlib.issue() first; only issued invoices are booked",
        )
    if verify:  # never book an invoice altered after issue
        _verified(document, field, laws=False)
    return document.number, document.issue_date


def _revenue_items(document: Invoice, chart: ChartOfAccounts, rebate: bool) -> list[_Item]:
    """Every revenue amount of *document*: lines, document charges and allowances.

    Private to facturlib (`facturlib.accounting.deferred` spreads the same items over time).
    """
    totals = document.totals()
    items = []
    for line, net in zip(document.lines, totals.line_nets, strict=True):
        items.append(
            _Item(
                account=chart.revenue_account(line.product_id, line.description, rebate=rebate),
                analytics=chart.analytics(line.product_id),
                amount=net,
                vat=line.vat,
                period=line.period or document.period,
                service=chart.kind(line.product_id, line.description).is_service,
            )
        )
    for charge in totals.charges:
        kind = chart.charges_kind
        items.append(
            _Item(
                account=dict(chart.rebates if rebate else chart.revenue)[kind],
                analytics=(None, None),
                amount=charge.amount.amount,
                vat=charge.vat,
                period=document.period,
                service=kind.is_service,
            )
        )
    for allowance in totals.allowances:
        items.append(
            _Item(
                account=chart.allowances,
                analytics=(None, None),
                amount=-allowance.amount.amount,
                vat=allowance.vat,
                period=document.period,
                service=None,
            )
        )
    return items


def _vat_split(
    chart: ChartOfAccounts,
    vat: VatRate,
    amount: Decimal,
    base: Decimal,
    items: Sequence[_Item],
    cur: Currency,
) -> list[tuple[Account, Decimal, Decimal]]:
    """Where the VAT *amount* of rate *vat*, on the taxable *base*, goes: 44571x, or 44574x
    for services under VAT on receipts, both split exactly by the net amounts of goods
    and services at that rate: ``(account, VAT, base)``."""
    if amount == 0:
        return []
    percent = vat.percent or _ZERO
    if not chart.vat_on_receipts:
        return [(chart.vat_account(percent), amount, base)]
    goods = sum((i.amount for i in items if i.vat == vat and i.service is False), _ZERO)
    services = sum((i.amount for i in items if i.vat == vat and i.service), _ZERO)
    if services <= 0:
        return [(chart.vat_account(percent), amount, base)]
    if goods <= 0:
        return [(chart.vat_account(percent, pending=True), amount, base)]
    on_debits, on_receipts = allocate(Money(amount, cur), [goods, services])
    # A part whose VAT rounds to zero books no line: its base goes with the other part.
    if not on_debits.amount:
        return [(chart.vat_account(percent, pending=True), amount, base)]
    if not on_receipts.amount:
        return [(chart.vat_account(percent), amount, base)]
    base_debits, base_receipts = allocate(Money(base, cur), [goods, services])
    return [
        (chart.vat_account(percent), on_debits.amount, base_debits.amount),
        (chart.vat_account(percent, pending=True), on_receipts.amount, base_receipts.amount),
    ]


def _check_deposits(invoice: Invoice, deposits: Sequence[Invoice]) -> None:
    if deposits and invoice.kind is DocumentKind.DEPOSIT:
        raise LedgerError(
            "a deposit invoice deducts no deposits",
            field="deposits",
            value=invoice.number,
            hint="pass deposits= with the final invoice, or with a credit note of a deposit",
        )
    referenced = {ref.number for ref in invoice.preceding}
    for i, deposit in enumerate(deposits):
        _check_booked(deposit, f"deposits[{i}]")
        if deposit.kind is not DocumentKind.DEPOSIT:
            raise LedgerError(
                f"{deposit.number} is not a deposit invoice (386)",
                field=f"deposits[{i}]",
                value=deposit.number,
                hint="pass only the deposit invoices the final invoice deducts "
                "(or the credit note cancels)",
            )
        if deposit.number not in referenced:
            raise LedgerError(
                f"{invoice.number} does not refer to the deposit invoice {deposit.number}",
                field=f"deposits[{i}]",
                value=deposit.number,
                hint="a final invoice references every deposit it deducts (BG-3)",
            )
        if deposit.currency != invoice.currency or deposit.buyer.key != invoice.buyer.key:
            raise LedgerError(
                f"the deposit {deposit.number} is for another customer or currency",
                field=f"deposits[{i}]",
                value=deposit.number,
            )


_DOCUMENT_LABELS = {
    DocumentKind.INVOICE: "Facture",
    DocumentKind.CORRECTIVE: "Facture rectificative",
    DocumentKind.DEPOSIT: "Facture d'acompte",
    DocumentKind.CREDIT_NOTE: "Avoir",
}


def _customer(chart: ChartOfAccounts, key: str, name: str) -> tuple[Account, tuple[str, str]]:
    return chart.customer_account(key), (chart.auxiliary_account(key), _clean(name) or key)


# ------------------------------------------------------------- foreign currencies


def _half_up(value: Decimal, cur: Currency) -> Decimal:
    """*value* rounded half up (away from zero) to *cur*'s minor unit."""
    return value.quantize(_quantum(cur), rounding=decimal.ROUND_HALF_UP)


def _document_rate(document: Invoice, chart: ChartOfAccounts) -> ExchangeRate | None:
    """The rate *document* is booked at: ``None`` in the book currency, else the rate
    its BT-6/BT-111 state (one rate for the invoice's VAT in euros and its entry)."""
    if document.currency == chart.currency:
        return None
    rate = document.tax_exchange_rate
    if document.tax_currency != chart.currency or rate is None or rate <= 0:
        raise LedgerError(
            f"{document.number} is in {document.currency.code} and states no rate to "
            f"{chart.currency.code}, the currency of the books",
            field="tax_exchange_rate",
            value=rate,
            hint=f"draft it with **ExchangeRate(currency={document.currency.code!r}, "
            f"rate=..., on=...).invoice_fields() (BT-6 {chart.currency.code} and the rate "
            "giving BT-111, CGI art. 242 nonies A), or keep the books in "
            f"ChartOfAccounts(currency={document.currency.code!r})",
        )
    assert document.issue_date is not None  # checked by _check_booked
    return ExchangeRate(
        currency=document.currency,
        book_currency=chart.currency,
        rate=rate,
        on=document.issue_date,
    )


def _operation_rate(
    what: str, amount: Money, rate: ExchangeRate | None, chart: ChartOfAccounts
) -> ExchangeRate | None:
    """The rate a payment or refund in *amount*'s currency is booked at (``None`` in
    the book currency); a foreign amount needs its own rate to the book currency."""
    if amount.currency == chart.currency:
        return None
    if rate is None or rate.book_currency != chart.currency:
        raise LedgerError(
            f"{what} is in {amount.currency.code}, the books in {chart.currency.code}: "
            "it needs the exchange rate of its day",
            field="exchange_rate",
            value=None if rate is None else rate.book_currency.code,
            hint=f"pass exchange_rate=ExchangeRate(currency={amount.currency.code!r}, "
            f"book_currency={chart.currency.code!r}, rate=..., on=...)",
        )
    return rate


def _refuse_foreign(what: str, amount: Money, chart: ChartOfAccounts) -> None:
    """Operations without a rate of their own cannot be booked in another currency."""
    if amount.currency != chart.currency:
        raise LedgerError(
            f"{what} in {amount.currency.code} cannot be booked in books kept in "
            f"{chart.currency.code}",
            field="currency",
            value=amount.currency.code,
            hint=f"state it in {chart.currency.code} (converted at the rate of its day) "
            "and book it from there",
        )


def _vat_accounts(chart: ChartOfAccounts) -> frozenset[Account]:
    accounts = {a for _, a in chart.vat_rates} | {a for _, a in chart.vat_pending_rates}
    return frozenset(accounts | {a for a in (chart.vat_collected, chart.vat_pending) if a})


def _to_book(
    entry: JournalEntry,
    rate: ExchangeRate,
    chart: ChartOfAccounts,
    vat: tuple[Decimal, Decimal] | None = None,
) -> JournalEntry | None:
    """*entry*, written in a foreign currency, converted to the book currency.

    Every line keeps its foreign amount (FEC Montantdevise/Idevise). Each line is
    converted at *rate* and rounded half up to the book currency's minor unit,
    except: the VAT lines together make the converted VAT total — *vat* = (the
    VAT in the foreign currency, its stated BT-111) when the lines carry exactly
    that VAT, else the rounded conversion of their sum — split over them by largest
    remainder (their VAT bases are converted and rounded half up); and the customer
    line (411), or without one the largest line, takes what balances the entry, so the
    entry balances exactly. Lines that round to zero are left out; ``None`` when nothing is left.
    """
    book = chart.currency
    lines = entry.lines
    exact_values = [line.amount.amount * rate.rate for line in lines]
    converted = [_half_up(x, book) for x in exact_values]
    vat_accounts = _vat_accounts(chart)
    taxed = [i for i, line in enumerate(lines) if line.account in vat_accounts]
    if taxed:
        foreign_vat = sum((lines[i].amount.amount for i in taxed), _ZERO)
        target = (
            vat[1]
            if vat is not None and vat[0] == foreign_vat
            else _half_up(sum((exact_values[i] for i in taxed), _ZERO), book)
        )
        for i, part in zip(
            taxed, split_to_total([exact_values[i] for i in taxed], target, book), strict=True
        ):
            converted[i] = part
    others = [i for i in range(len(lines)) if i not in taxed] or list(range(len(lines)))
    balancing = next(
        (i for i in others if lines[i].auxiliary is not None),
        max(others, key=lambda i: (abs(lines[i].amount.amount), -i)),
    )
    converted[balancing] = -sum((c for i, c in enumerate(converted) if i != balancing), _ZERO)
    result = []
    for line, amount in zip(lines, converted, strict=True):
        if amount == 0:
            continue
        value = Money(amount, book)
        result.append(
            attrs.evolve(
                line,
                debit=value if amount > 0 else None,
                credit=None if amount > 0 else -value,
                foreign_amount=abs(line.amount),
                vat_base=None
                if line.vat_base is None
                else Money(_half_up(line.vat_base.amount * rate.rate, book), book),
            )
        )
    if not result:
        return None
    return attrs.evolve(entry, lines=result)


def _receivable(entry: JournalEntry) -> tuple[Decimal, Money]:
    """What *entry* put on the customer's account: in the book currency, and in the
    currency it was invoiced in (the foreign amounts, signed like the lines)."""
    book = sum((ln.amount.amount for ln in entry.lines if ln.auxiliary), _ZERO)
    foreign = [ln for ln in entry.lines if ln.auxiliary and ln.foreign_amount is not None]
    if not foreign:
        return book, Money(book, entry.currency)
    cur = cast(Money, foreign[0].foreign_amount).currency
    signed = sum(
        (
            cast(Money, ln.foreign_amount).amount * (1 if ln.amount.amount > 0 else -1)
            for ln in foreign
        ),
        _ZERO,
    )
    return book, Money(signed, cur)


def _document_entry(
    document: Invoice, chart: ChartOfAccounts, deposits: Sequence[Invoice], rebate: bool
) -> JournalEntry | None:
    """The entry of *document*, or ``None`` when every amount nets to zero."""
    # journal_for and journalize verified the document already (the seal is costly).
    number, issue_date = _check_booked(document, verify=False)
    _check_deposits(document, deposits)
    if rebate and document.kind is not DocumentKind.CREDIT_NOTE:
        raise LedgerError(
            "only a credit note can be booked as a rebate",
            field="rebate",
            value=document.number,
            hint="drop rebate=True for invoices",
        )
    rate = _document_rate(document, chart)
    for i, deposit in enumerate(deposits):
        if rate is not None and deposit.tax_exchange_rate != rate.rate:
            raise LedgerError(
                f"the deposit {deposit.number} states another exchange rate than {document.number}",
                field=f"deposits[{i}]",
                value=deposit.tax_exchange_rate,
                hint="a final invoice deducting deposits in a foreign currency is booked "
                "at the deposits' rate: draft it with the same tax_exchange_rate",
            )
    sign = -1 if document.kind is DocumentKind.CREDIT_NOTE else 1
    totals = document.totals()
    cur = document.currency
    items = _revenue_items(document, chart, rebate)
    # A credit note of a deposit invoice reverses the advance (4191), not revenue.
    of_deposit = document.kind is DocumentKind.CREDIT_NOTE and bool(deposits)
    # The sums `facturlib.projects.deposits.deposit_deductions` prints on the final invoice (one
    # computation); unlike it, the journal also books deposits whose VAT a rounding puts
    # above the invoice's at a rate, or at a rate the invoice lacks (reversed below).
    deducted = {} if of_deposit else _deducted(deposits)
    deducted_net = sum((net for net, _ in deducted.values()), _ZERO)
    deducted_gross = deducted_net + sum((tax for _, tax in deducted.values()), _ZERO)

    postings = _Postings(cur)
    account, auxiliary = _customer(chart, document.buyer.key, document.buyer.name)
    receivable = totals.bt112 + totals.bt114 - deducted_gross
    postings.add(account, sign * receivable, auxiliary=auxiliary, due_date=document.due_date)
    if deducted_net:
        postings.add(chart.advances, sign * deducted_net)
    if document.kind is DocumentKind.DEPOSIT or of_deposit:
        postings.add(chart.advances, -sign * totals.bt109)
    else:
        for item in items:
            postings.add(item.account, -sign * item.amount, analytics=item.analytics)
    if totals.bt114:
        gains_or_losses = chart.rounding_gains if totals.bt114 > 0 else chart.rounding_losses
        postings.add(gains_or_losses, -sign * totals.bt114)
    for vat, taxable, amount in totals.vat_groups:
        net_deducted, tax_deducted = deducted.get(vat, (_ZERO, _ZERO))
        due, base = amount - tax_deducted, taxable - net_deducted
        for vat_account, part, part_base in _vat_split(chart, vat, due, base, items, cur):
            postings.add(vat_account, -sign * part, base=-sign * part_base)
    for vat, (net, tax) in deducted.items():
        if totals.breakdown_for(vat) is None:  # a deposit rate the final invoice lacks
            for vat_account, part, part_base in _vat_split(chart, vat, -tax, -net, items, cur):
                postings.add(vat_account, -sign * part, base=-sign * part_base)
    lines = postings.lines()
    if not lines:
        return None
    name = _DOCUMENT_LABELS[document.kind]
    entry = _fast_entry(
        chart.sales_journal,
        issue_date,
        number,
        _clean(f"{name} {number} {document.buyer.name}"),
        lines,
    )
    if rate is None:
        return entry
    stated = totals.vat_total_tax_currency
    stated_vat = None if stated is None else (-sign * totals.bt110, -sign * stated.amount)
    return _to_book(entry, rate, chart, stated_vat)


def _allocated(allocations: Iterable[PaymentAllocation]) -> dict[str, Decimal]:
    result: dict[str, Decimal] = {}
    for allocation in allocations:
        result[allocation.invoice_number] = (
            result.get(allocation.invoice_number, _ZERO) + allocation.amount.amount
        )
    return result


def _vat_due(paid: Decimal, tax: Decimal, receivable: Decimal, cur: Currency) -> Decimal:
    """The VAT on receipts due once *paid* of *receivable* is paid (rounded half up)."""
    share = min(max(paid, _ZERO), receivable)
    return DEFAULT_ROUNDING.round(share * tax / receivable, cur)


def _vat_transfers(
    chart: ChartOfAccounts,
    payment_id: str,
    allocations: Sequence[PaymentAllocation],
    receivables: Sequence[JournalEntry],
    previous: Sequence[PaymentAllocation],
    sign: int,
) -> list[tuple[Account, Decimal, Decimal]]:
    """VAT on receipts made due (sign +1) or undone (−1) by the allocations of a payment,
    with its taxable base: ``(pending account, VAT, base)``.

    For each invoice, the VAT due so far is round(paid so far × pending VAT ÷ receivable),
    so the transfers of all payments add up exactly to the invoice's pending VAT
    (600 received on 1 200 TTC with 200 VAT → 100.00); the base, likewise, with the
    pending base (→ 500.00).
    """
    entries = {entry.piece: entry for entry in receivables}
    paid = _allocated(previous)
    pending_accounts = chart.pending_accounts
    transfers: dict[Account, Decimal] = {}
    bases: dict[Account, Decimal] = {}
    for i, allocation in enumerate(allocations):
        if allocation.payment_id != payment_id:
            raise LedgerError(
                f"allocations[{i}] is from payment {allocation.payment_id}, not {payment_id}",
                field=f"allocations[{i}]",
                value=allocation.payment_id,
                hint="pass only the allocations of this payment",
            )
        entry = entries.get(allocation.invoice_number)
        if entry is None:
            if receivables:
                raise LedgerError(
                    f"no journal entry for {allocation.invoice_number} among the receivables",
                    field="receivables",
                    value=allocation.invoice_number,
                    hint="pass the journal entries of every invoice the payment settles",
                )
            continue
        _, owed = _receivable(entry)
        if allocation.amount.currency != owed.currency:
            raise LedgerError(
                f"{allocation.invoice_number} is owed in {owed.currency.code}, the allocation "
                f"is in {allocation.amount.currency.code}",
                field=f"allocations[{i}]",
                value=allocation.amount,
                hint="allocate a payment to invoices in its own currency",
            )
        receivable = owed.amount
        pending: dict[Account, Decimal] = {}
        pending_base: dict[Account, Decimal] = {}
        for ln in entry.lines:
            if ln.account in pending_accounts:
                pending[ln.account] = pending.get(ln.account, _ZERO) - ln.amount.amount
                if ln.vat_base is not None:
                    base = ln.vat_base.amount if ln.credit is not None else -ln.vat_base.amount
                    pending_base[ln.account] = pending_base.get(ln.account, _ZERO) + base
        number = allocation.invoice_number
        before = paid.get(number, _ZERO)
        after = before + sign * allocation.amount.amount
        paid[number] = after
        if receivable <= 0:
            continue
        for account, tax in pending.items():
            moved = _vat_due(after, tax, receivable, entry.currency)
            moved -= _vat_due(before, tax, receivable, entry.currency)
            transfers[account] = transfers.get(account, _ZERO) + moved
            base = pending_base.get(account, _ZERO)
            moved_base = _vat_due(after, base, receivable, entry.currency)
            moved_base -= _vat_due(before, base, receivable, entry.currency)
            bases[account] = bases.get(account, _ZERO) + moved_base
    return [(account, amount, bases[account]) for account, amount in transfers.items() if amount]


def _bank_entry(
    chart: ChartOfAccounts,
    postings: _Postings,
    moves: Sequence[tuple[Account, Decimal, Decimal]],
    day: dt.date,
    piece: str,
    label: str,
) -> JournalEntry:
    """A bank-journal entry: *postings* plus the VAT on receipts *moves* (D 44574x / C 44571x
    for a positive amount, with its base)."""
    for pending, tax, base in moves:
        postings.add(pending, tax, base=base)
        postings.add(chart.collected_for_pending(pending), -tax, base=-base)
    return JournalEntry(
        journal=chart.bank_journal,
        date=day,
        piece=piece,
        label=_clean(label),
        lines=_some_lines(postings, piece),
    )


class _NothingToBook(LedgerError):
    """A foreign amount worth less than half a minor unit of the book currency (private:
    `journalize` leaves such an operation out, as it leaves out zero documents)."""


def _some_lines(postings: _Postings, piece: str) -> tuple[JournalLine, ...]:
    lines = postings.lines()
    if not lines:
        raise _NothingToBook(
            f"{piece} is worth nothing in {postings.cur.code} at its exchange rate",
            field="amount",
            value=piece,
            hint="an amount that rounds to zero in the book currency has no accounting "
            "effect; leave it out",
        )
    return lines


def _payment_entry(
    payment: Payment,
    chart: ChartOfAccounts,
    allocations: Sequence[PaymentAllocation],
    receivables: Sequence[JournalEntry],
    previous: Sequence[PaymentAllocation],
    customer_name: str | None,
) -> JournalEntry:
    if payment.pending:
        raise LedgerError(
            f"payment {payment.id} is pending and has no accounting effect yet",
            field="payment",
            value=payment.id,
            hint="book it once cleared: journal_for(payment.cleared(), ...)",
        )
    rate = _operation_rate(f"payment {payment.id}", payment.amount, payment.exchange_rate, chart)
    account, auxiliary = _customer(chart, payment.customer, customer_name or payment.customer)
    label = f"Règlement {auxiliary[1]}" + (f" {payment.reference}" if payment.reference else "")
    moves = _vat_transfers(chart, payment.id, allocations, receivables, previous, 1)
    if rate is not None:
        postings = _foreign_settlement(
            payment, rate, chart, account, auxiliary, allocations, receivables, previous, 1
        )
        return _bank_entry(chart, postings, moves, payment.date, payment.id, label)
    postings = _Postings(payment.amount.currency)
    amount = payment.amount.amount
    postings.add(chart.bank, amount)
    postings.add(account, -amount, auxiliary=auxiliary)
    return _bank_entry(chart, postings, moves, payment.date, payment.id, label)


def _foreign_settlement(
    payment: Payment,
    rate: ExchangeRate,
    chart: ChartOfAccounts,
    account: Account,
    auxiliary: tuple[str, str],
    allocations: Sequence[PaymentAllocation],
    receivables: Sequence[JournalEntry],
    previous: Sequence[PaymentAllocation],
    sign: int,
) -> _Postings:
    """The bank and customer postings of a payment (sign +1) or its reversal (−1) in a
    foreign currency, in the book currency.

    The bank takes the payment at its own rate. The customer account is credited, for
    each invoice settled, what the invoice put on it at the invoice's rate, in
    proportion of the foreign amount paid so far, rounded cumulatively (so an
    invoice paid in full leaves exactly zero on 411); the part of the payment
    allocated to no invoice is credited at the payment's rate. The difference is the
    exchange gain (756) or loss (656) on the commercial receivable (PCG art. 420-5).
    """
    book = chart.currency
    fx = payment.amount
    entries = {entry.piece: entry for entry in receivables}
    paid = _allocated(previous)
    credited, allocated = _ZERO, _ZERO
    for allocation in allocations:
        entry = entries.get(allocation.invoice_number)
        if entry is None:
            raise LedgerError(
                f"payment {payment.id} is in {fx.currency.code}: booking it needs the "
                f"journal entry of {allocation.invoice_number} (its rate)",
                field="receivables",
                value=allocation.invoice_number,
                hint="pass receivables= the entries of the invoices it settles (journalize does)",
            )
        owed_book, owed = _receivable(entry)
        number = allocation.invoice_number
        before = paid.get(number, _ZERO)
        after = before + sign * allocation.amount.amount
        paid[number] = after

        def booked(
            p: Decimal, owed_book: Decimal = owed_book, owed: Decimal = owed.amount
        ) -> Decimal:
            within = min(max(p, _ZERO), owed) if owed > 0 else _ZERO
            at_invoice = _half_up(within * owed_book / owed, book) if owed > 0 else _ZERO
            return at_invoice + _half_up((p - within) * rate.rate, book)

        credited += sign * (booked(after) - booked(before))
        allocated += allocation.amount.amount
    if allocated > fx.amount:
        raise LedgerError(
            f"the allocations of payment {payment.id} exceed it",
            field="allocations",
            value=allocated,
            hint=f"allocate at most {fx.amount} {fx.currency.code}",
        )
    credited += _half_up((fx.amount - allocated) * rate.rate, book)
    bank = rate.convert(fx).amount
    postings = _Postings(book)
    postings.add(chart.bank, sign * bank, foreign=fx if sign > 0 else -fx)
    postings.add(account, -sign * credited, auxiliary=auxiliary, foreign=-fx if sign > 0 else fx)
    difference = bank - credited
    if difference:
        gain_or_loss = chart.exchange_gains if difference > 0 else chart.exchange_losses
        postings.add(gain_or_loss, -sign * difference)
    return postings


_PAYMENT_HINT = "pass payment= the Payment whose id the reversal names"


def _reversal_entry(
    reversal: PaymentReversal,
    chart: ChartOfAccounts,
    payment: Payment | None,
    allocations: Sequence[PaymentAllocation],
    receivables: Sequence[JournalEntry],
    previous: Sequence[PaymentAllocation],
    customer_name: str | None,
) -> JournalEntry:
    if payment is None or payment.id != reversal.payment_id:
        raise LedgerError(
            f"a reversal needs the payment {reversal.payment_id} it reverses",
            field="payment",
            value=None if payment is None else payment.id,
            hint=_PAYMENT_HINT,
        )
    cur = payment.amount.currency
    rate = _operation_rate(f"payment {payment.id}", payment.amount, payment.exchange_rate, chart)
    account, auxiliary = _customer(chart, payment.customer, customer_name or payment.customer)
    label = f"Rejet {payment.id}" + (f" {reversal.reason}" if reversal.reason else "")
    moves = _vat_transfers(chart, payment.id, allocations, receivables, previous, -1)
    if rate is not None:
        # The mirror of the payment's entry: the bank and the exchange difference at
        # the payment's rate, the customer account at the invoices' rates.
        postings = _foreign_settlement(
            payment, rate, chart, account, auxiliary, allocations, receivables, previous, -1
        )
    else:
        postings = _Postings(cur)
        amount = payment.amount.amount
        postings.add(account, amount, auxiliary=auxiliary)
        postings.add(chart.bank, -amount)
    if reversal.fee is not None:
        if reversal.fee.currency != cur:
            raise LedgerError(
                "the reject fee is in another currency than the payment",
                field="fee",
                value=reversal.fee,
            )
        fee = reversal.fee if rate is None else rate.convert(reversal.fee)
        foreign = None if rate is None else reversal.fee
        postings.add(chart.bank_fees, fee.amount, foreign=foreign)
        postings.add(chart.bank, -fee.amount, foreign=None if foreign is None else -foreign)
    return _bank_entry(chart, postings, moves, reversal.date, payment.id, label)


def _penalty_entry(
    penalty: LatePaymentPenalty, chart: ChartOfAccounts, customer_name: str | None
) -> JournalEntry:
    amounts = [m for m in (penalty.interest, penalty.indemnity) if m is not None]
    _refuse_foreign(f"the penalty {penalty.reference}", amounts[0], chart)
    postings = _Postings(amounts[0].currency)
    name = penalty.customer_name or customer_name or penalty.customer
    account, auxiliary = _customer(chart, penalty.customer, name)
    postings.add(account, sum((m.amount for m in amounts), _ZERO), auxiliary=auxiliary)
    if penalty.interest is not None:
        postings.add(chart.late_interest, -penalty.interest.amount)
    if penalty.indemnity is not None:
        postings.add(chart.indemnities, -penalty.indemnity.amount)
    return JournalEntry(
        journal=chart.sales_journal,
        date=penalty.date,
        piece=penalty.reference,
        label=_clean(f"Pénalités de retard {penalty.reference} {name}"),
        lines=postings.lines(),
    )


def _discount_entry(discount: DiscountGranted, chart: ChartOfAccounts) -> JournalEntry:
    invoice = discount.invoice
    cur = invoice.currency
    number, issue_date = _check_booked(invoice, "invoice")
    rate = _document_rate(invoice, chart)
    # The split per VAT rate is the terms' own
    # (`facturlib.receivables.terms.early_payment_discount`):
    # one rounding-and-allocation rule, so the booking never differs from what was offered.
    share = discount.percent if discount.amount is None else discount.amount
    parts = _escompte(invoice, cast("Decimal | Money", share), error=LedgerError)
    net = sum((part.taxable.amount for part in parts), _ZERO)
    if net <= 0:
        field = "percent" if discount.amount is None else "amount"
        raise LedgerError(
            f"no discount to book on {number}: "
            + ("its net total is not positive" if not parts else "the discount rounds to zero"),
            field=field,
            value=share,
            hint="an escompte is a share of a positive net total; leave this one out",
        )
    items = _revenue_items(invoice, chart, rebate=False)
    postings = _Postings(cur)
    postings.add(chart.discounts, net)
    gross = net
    for part in parts:
        tax = part.amount.amount
        gross += tax
        for account, amount, base in _vat_split(
            chart, part.vat, tax, part.taxable.amount, items, cur
        ):
            postings.add(account, amount, base=base)
    account, auxiliary = _customer(chart, invoice.buyer.key, invoice.buyer.name)
    postings.add(account, -gross, auxiliary=auxiliary)
    entry = JournalEntry(
        journal=chart.misc_journal,
        date=discount.date,
        piece=number,
        label=_clean(f"Escompte {number} {invoice.buyer.name}"),
        lines=postings.lines(),
        piece_date=issue_date,
    )
    # At the invoice's rate, as the receivable it reduces (never None: net > 0).
    return entry if rate is None else cast(JournalEntry, _to_book(entry, rate, chart))


def _refund_entry(
    refund: Refund, chart: ChartOfAccounts, customer_name: str | None
) -> JournalEntry:
    fx = refund.amount
    rate = _operation_rate(f"refund {refund.id}", fx, refund.exchange_rate, chart)
    amount = fx if rate is None else rate.convert(fx)
    foreign = None if rate is None else fx
    postings = _Postings(amount.currency)
    account, auxiliary = _customer(chart, refund.customer, customer_name or refund.customer)
    postings.add(account, amount.amount, auxiliary=auxiliary, foreign=foreign)
    postings.add(chart.bank, -amount.amount, foreign=None if foreign is None else -foreign)
    label = f"Remboursement {auxiliary[1]}" + (f" {refund.reason}" if refund.reason else "")
    return JournalEntry(
        journal=chart.bank_journal,
        date=refund.date,
        piece=refund.id,
        label=_clean(label),
        lines=_some_lines(postings, refund.id),
    )


def _write_off_entry(
    item: WriteOff,
    chart: ChartOfAccounts,
    invoice: Invoice | None,
    receivables: Sequence[JournalEntry],
    previous: Sequence[PaymentAllocation],
) -> JournalEntry:
    if item.amount is None:
        raise LedgerError(
            f"write-off {item.id} has no amount yet",
            field="amount",
            value=None,
            hint="book the write-offs of settle(...).write_offs, which carry the amount",
        )
    if invoice is None or invoice.number != item.invoice_number:
        raise LedgerError(
            f"a write-off needs the invoice {item.invoice_number} it writes off",
            field="invoice",
            value=None if invoice is None else invoice.number,
            hint="pass invoice= the written-off invoice",
        )
    number, issue_date = _check_booked(invoice, "invoice")
    cur = invoice.currency
    _refuse_foreign(f"the write-off {item.id}", item.amount, chart)
    if item.amount.currency != cur:
        raise LedgerError(
            "the write-off is in another currency than the invoice",
            field="amount",
            value=item.amount,
        )
    written = item.amount.amount
    own = [entry for entry in receivables if entry.piece == number]
    if item.kind.recovers_vat and not own:
        raise LedgerError(
            f"recovering the VAT of {number} needs its journal entry",
            field="receivables",
            value=number,
            hint="pass receivables= the journal entries of the invoices (journalize does)",
        )
    postings = _Postings(cur)
    account, auxiliary = _customer(chart, invoice.buyer.key, invoice.buyer.name)
    postings.add(account, -written, auxiliary=auxiliary)
    loss = written
    # VAT on receipts never received is never due (CGI 269-2-c): cancel the pending VAT of
    # the part written off, rounded cumulatively with the payments' transfers.
    allocation = PaymentAllocation(
        payment_id=item.id, invoice_number=number, amount=item.amount, date=item.date
    )
    for pending, tax, base in _vat_transfers(chart, item.id, [allocation], own, previous, 1):
        postings.add(pending, tax, base=base)
        loss -= tax
    if item.kind.recovers_vat:
        # CGI 272-1: the VAT collected on a debt that has become definitively irrecoverable
        # is recovered, in proportion of the unpaid part of what the customer owed.
        entry = own[0]
        collected = {a for _, a in chart.vat_rates} | (
            {chart.vat_collected} if chart.vat_collected is not None else set()
        )
        receivable = sum((ln.amount.amount for ln in entry.lines if ln.auxiliary), _ZERO)
        if receivable > 0:
            share = min(written, receivable)
            for ln in entry.lines:
                if ln.account in collected and ln.amount.amount < 0:
                    tax = DEFAULT_ROUNDING.round(-ln.amount.amount * share / receivable, cur)
                    recovered = None
                    if ln.vat_base is not None:
                        recovered = DEFAULT_ROUNDING.round(
                            ln.vat_base.amount * share / receivable, cur
                        )
                    postings.add(ln.account, tax, base=recovered)
                    loss -= tax
    small = item.kind is WriteOffKind.SMALL_DIFFERENCE
    postings.add(chart.rounding_losses if small else chart.bad_debts, loss)
    what = "Écart de règlement" if small else "Créance irrécouvrable"
    if item.kind is WriteOffKind.ABANDONED:
        what = "Abandon de créance"
    return JournalEntry(
        journal=chart.misc_journal,
        date=item.date,
        piece=item.id,
        label=_clean(f"{what} {number} {invoice.buyer.name} {item.reason}"),
        lines=postings.lines(),
        piece_date=issue_date,
    )


def _check_chart(chart: object) -> None:
    if not isinstance(chart, ChartOfAccounts):
        raise LedgerError(
            f"expected a ChartOfAccounts, got {type(chart).__name__}",
            field="chart",
            value=chart,
            hint="pass chart=ChartOfAccounts() for the PCG preset",
        )


Bookable = (
    Invoice | Payment | PaymentReversal | LatePaymentPenalty | DiscountGranted | Refund | WriteOff
)


@exact  # in facturlib's decimal context, whatever the caller's (issue 16)
def journal_for(
    item: Bookable,
    *,
    chart: ChartOfAccounts,
    deposits: Sequence[Invoice] = (),
    rebate: bool = False,
    payment: Payment | None = None,
    allocations: Sequence[PaymentAllocation] = (),
    receivables: Sequence[JournalEntry] = (),
    previous: Sequence[PaymentAllocation] = (),
    customer_name: str | None = None,
    invoice: Invoice | None = None,
) -> JournalEntry:
    """The journal entry of one operation (PCG).

    Args:
        item: an issued invoice, credit note, deposit or corrective invoice; a cleared
            `Payment`; a `PaymentReversal`; a `LatePaymentPenalty`; an
            `DiscountGranted`; a `facturlib.receivables.payments.Refund` or
            `facturlib.receivables.payments.WriteOff` (``versionadded 0.2``).
        chart: the `ChartOfAccounts`.
        deposits: for a final invoice, the deposit invoices it deducts; for a credit note
            of a deposit invoice, that deposit invoice, so that the advance (4191) is
            reversed rather than revenue. The document must refer to each in ``preceding``.
        rebate: book a credit note on the rebate accounts (709x) instead of reversing
            the revenue accounts (a price rebate rather than a return).
        payment: for a reversal, the payment it reverses.
        allocations: for a payment or reversal, the payment's `PaymentAllocation`\\s;
            with *receivables*, they move VAT on receipts to VAT collected.
        receivables: the journal entries of the invoices the allocations settle.
        previous: the allocations to those invoices booked before this operation (so
            the VAT made due is rounded cumulatively and adds up to the invoice's VAT).
        customer_name: the customer's name for the auxiliary account label of payments,
            reversals, refunds and penalties (documents use their buyer's name).
        invoice: for a write-off, the invoice written off (``versionadded 0.2``).

    Returns:
        The balanced `JournalEntry`.

    Raises:
        LedgerError: a draft or proforma, a pending payment, a missing account mapping
            (the message names the product or VAT rate to map), deposits that the
            invoice does not refer to, an allocation of another payment.
        TamperedDocumentError: an invoice altered after issue (`facturlib.verify_issued`).

    .. versionadded:: 0.1
    """
    _check_chart(chart)
    deposits = items_of(
        deposits, Invoice, "deposits", error=LedgerError, hint="pass the deposit invoices"
    )
    check_bool(rebate, "rebate", error=LedgerError)
    check_instance(
        payment, Payment, "payment", optional=True, error=LedgerError, hint=_PAYMENT_HINT
    )
    allocations = items_of(allocations, PaymentAllocation, "allocations", error=LedgerError)
    receivables = items_of(
        receivables,
        JournalEntry,
        "receivables",
        error=LedgerError,
        hint="pass the journal entries of the invoices the allocations settle",
    )
    previous = items_of(previous, PaymentAllocation, "previous", error=LedgerError)
    check_instance(customer_name, str, "customer_name", optional=True, error=LedgerError)
    if isinstance(item, Invoice):
        _check_booked(item, "item")
    check_instance(
        invoice, Invoice, "invoice", optional=True, error=LedgerError, hint="the invoice"
    )
    return _entry(
        item,
        chart,
        deposits,
        rebate,
        payment,
        allocations,
        receivables,
        previous,
        customer_name,
        invoice,
    )


def _entry(
    item: Bookable,
    chart: ChartOfAccounts,
    deposits: Sequence[Invoice],
    rebate: bool,
    payment: Payment | None,
    allocations: Sequence[PaymentAllocation],
    receivables: Sequence[JournalEntry],
    previous: Sequence[PaymentAllocation],
    customer_name: str | None,
    invoice: Invoice | None = None,
) -> JournalEntry:
    """`journal_for`, its arguments checked (private: `journalize` calls it with values
    its `Activity` has checked, without copying its growing lists on every payment)."""
    if isinstance(item, Invoice):
        entry = _document_entry(item, chart, deposits, rebate)
        if entry is None:
            raise LedgerError(
                f"{item.number} has no amount to book: every amount is zero",
                field="item",
                value=item.number,
                hint="a zero invoice has no accounting effect; leave it out of the journal",
            )
        return entry
    if deposits or rebate:
        raise LedgerError(
            "deposits= and rebate= apply to invoices and credit notes only",
            field="deposits" if deposits else "rebate",
            value=type(item).__name__,
        )
    if isinstance(item, Payment):
        return _payment_entry(item, chart, allocations, receivables, previous, customer_name)
    if isinstance(item, PaymentReversal):
        return _reversal_entry(
            item, chart, payment, allocations, receivables, previous, customer_name
        )
    if isinstance(item, LatePaymentPenalty):
        return _penalty_entry(item, chart, customer_name)
    if isinstance(item, DiscountGranted):
        return _discount_entry(item, chart)
    if isinstance(item, Refund):
        return _refund_entry(item, chart, customer_name)
    if isinstance(item, WriteOff):
        return _write_off_entry(item, chart, invoice, receivables, previous)
    # A draft-like value or anything else: say what is accepted.
    _check_booked(item, "item")
    raise AssertionError("unreachable")  # pragma: no cover


# ------------------------------------------------------------------ a period's books


def _numbers(value: Iterable[str] | None) -> frozenset[str]:
    """Converter: an iterable of invoice numbers (an int is written out) to a frozenset;
    anything else is left for `_check_numbers` to refuse naming the field."""
    if value is None:
        return frozenset()
    if isinstance(value, str | bytes) or not hasattr(value, "__iter__"):
        return value  # type: ignore[return-value]
    return frozenset(str(n) if isinstance(n, int) and not isinstance(n, bool) else n for n in value)


def _check_numbers(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, frozenset):
        raise LedgerError(
            f"expected a set of credit note numbers, got {type(value).__name__}",
            field=attribute.name,
            value=value,
            hint='e.g. {"AV-2025-0001"}',
        )
    for number in value:
        if not isinstance(number, str):
            raise LedgerError(
                f"expected a credit note number (str), got {type(number).__name__}",
                field=attribute.name,
                value=number,
                hint='e.g. {"AV-2025-0001"}',
            )


@attrs.frozen(kw_only=True)
class Activity:
    """The sales activity of a period, to book with `journalize`.

    Attributes:
        documents: issued invoices, credit notes, deposit and final invoices.
        payments: payments received (pending ones are not booked until cleared).
        allocations: which invoices each payment settles.
        reversals: payments that came back (direct-debit rejects).
        penalties: late-payment penalties claimed.
        discounts: early-payment discounts granted.
        rebates: numbers of the credit notes to book as rebates (709x).
        refunds: money paid back to customers (``versionadded 0.2``).
        write_offs: balances written off, with their amounts (those of
            ``settle(...).write_offs``) (``versionadded 0.2``).

    .. versionadded:: 0.1
    """

    documents: tuple[Invoice, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Invoice, error=LedgerError)
    )
    payments: tuple[Payment, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Payment, error=LedgerError)
    )
    allocations: tuple[PaymentAllocation, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(PaymentAllocation, error=LedgerError)
    )
    reversals: tuple[PaymentReversal, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(PaymentReversal, error=LedgerError)
    )
    penalties: tuple[LatePaymentPenalty, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(LatePaymentPenalty, error=LedgerError)
    )
    discounts: tuple[DiscountGranted, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(DiscountGranted, error=LedgerError)
    )
    rebates: frozenset[str] = attrs.field(
        default=frozenset(), converter=_numbers, validator=_check_numbers
    )
    refunds: tuple[Refund, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Refund, error=LedgerError)
    )
    write_offs: tuple[WriteOff, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(WriteOff, error=LedgerError)
    )

    def __attrs_post_init__(self) -> None:
        for field, keys in (
            ("documents", [d.number for d in self.documents]),
            ("payments", [p.id for p in self.payments]),
            ("refunds", [r.id for r in self.refunds]),
            ("write_offs", [w.id for w in self.write_offs]),
        ):
            seen: set[Any] = set()
            for key in keys:
                if key in seen:
                    raise LedgerError(
                        f"{field} holds {key} twice",
                        field=field,
                        value=key,
                        hint="pass each document or payment once",
                    )
                seen.add(key)


@exact  # in facturlib's decimal context, whatever the caller's (issue 16)
def journalize(activity: Activity, *, chart: ChartOfAccounts) -> tuple[JournalEntry, ...]:
    """Every journal entry of *activity*, in date order.

    On one day, documents come first, then discounts, penalties, payments,
    reversals, write-offs and refunds. Documents whose amounts are all zero are
    left out (they have no accounting effect); pending payments wait until cleared. A final invoice
    deducts the deposit invoices of *activity* it refers to; payments move the VAT
    on receipts of the invoices they settle; a reversal moves it back.

    Args:
        activity: the documents and payments of the period.
        chart: the `ChartOfAccounts`.

    Returns:
        The entries, oldest first.

    Raises:
        LedgerError: as `journal_for`, and a reversal of an unknown payment.

    .. versionadded:: 0.1
    """
    _check_chart(chart)
    if not isinstance(activity, Activity):
        raise LedgerError(
            f"expected an Activity, got {type(activity).__name__}",
            field="activity",
            value=activity,
            hint="wrap the documents and payments in Activity(documents=..., payments=...)",
        )
    by_number = {doc.number: doc for doc in activity.documents}
    names = {doc.buyer.key: doc.buyer.name for doc in activity.documents}
    payments = {payment.id: payment for payment in activity.payments}
    for i, reversal in enumerate(activity.reversals):
        if reversal.payment_id not in payments:
            raise LedgerError(
                f"reversal of an unknown payment {reversal.payment_id}",
                field=f"reversals[{i}]",
                value=reversal.payment_id,
                hint="add the payment to the activity",
            )
    events: list[tuple[dt.date, int, int, Any]] = []
    for i, doc in enumerate(activity.documents):
        _, issue_date = _check_booked(doc, f"documents[{i}]")
        events.append((issue_date, 0, i, doc))
    for i, discount in enumerate(activity.discounts):
        events.append((discount.date, 1, i, discount))
    for i, penalty in enumerate(activity.penalties):
        events.append((penalty.date, 2, i, penalty))
    for i, payment in enumerate(activity.payments):
        if not payment.pending:
            events.append((payment.date, 3, i, payment))
    for i, reversal in enumerate(activity.reversals):
        if not payments[reversal.payment_id].pending:
            events.append((reversal.date, 4, i, reversal))
    for i, write_off in enumerate(activity.write_offs):
        if write_off.invoice_number not in by_number:
            raise LedgerError(
                f"write-off of an unknown invoice {write_off.invoice_number}",
                field=f"write_offs[{i}]",
                value=write_off.invoice_number,
                hint="add the invoice to the activity",
            )
        events.append((write_off.date, 5, i, write_off))
    for i, refund in enumerate(activity.refunds):
        events.append((refund.date, 6, i, refund))
    events.sort(key=lambda event: event[:3])

    entries: list[JournalEntry] = []
    receivables: list[JournalEntry] = []
    effective: list[PaymentAllocation] = []
    # Documents with no entry (worth nothing in the book currency): a payment allocated
    # to one is booked as money received on account.
    unbooked: set[str] = set()
    for _, rank, _, item in events:
        if rank == 0:
            deposits = [
                by_number[ref.number]
                for ref in item.preceding
                if ref.number in by_number and by_number[ref.number].kind is DocumentKind.DEPOSIT
            ]
            found = _document_entry(item, chart, deposits, item.number in activity.rebates)
            if found is None:
                unbooked.add(item.number)
                continue
            entry = found
            receivables.append(entry)
        elif rank in (3, 4):
            payment = item if rank == 3 else payments[item.payment_id]
            mine = [
                a
                for a in activity.allocations
                if a.payment_id == payment.id and a.invoice_number not in unbooked
            ]
            try:
                found_entry: JournalEntry | None = _entry(
                    item,
                    chart,
                    (),
                    False,
                    payment,
                    mine,
                    receivables,
                    effective,
                    names.get(payment.customer),
                )
            except _NothingToBook:  # worth nothing in the book currency
                found_entry = None
            if rank == 3:
                effective += mine
            else:
                effective = [a for a in effective if a.payment_id != payment.id]
            if found_entry is None:
                continue
            entry = found_entry
        elif rank == 5:
            entry = _entry(
                item,
                chart,
                (),
                False,
                None,
                (),
                receivables,
                effective,
                None,
                by_number[item.invoice_number],
            )
            assert item.amount is not None  # the entry refuses a write-off without one
            effective.append(
                PaymentAllocation(
                    payment_id=item.id,
                    invoice_number=item.invoice_number,
                    amount=item.amount,
                    date=item.date,
                )
            )
        else:
            name = names.get(item.customer) if rank in (2, 6) else None
            try:
                entry = _entry(item, chart, (), False, None, (), (), (), name)
            except _NothingToBook:  # a foreign refund worth nothing in the book currency
                continue
        entries.append(entry)
    return tuple(entries)


def _entries_currency(
    entries: Iterable[JournalEntry], given: str | Currency | None, *, what: str, hint: str
) -> Currency | None:
    """The one currency of *entries* (and *given*), or ``None`` if there is none.

    Private, shared by the ledger and the FEC export: several currencies raise
    `LedgerError` saying *what* and *hint*."""
    codes = {entry.currency.code for entry in entries}
    if given is not None:
        codes.add(to_currency(given).code)
    if len(codes) > 1:
        raise LedgerError(what, field="entries", value=sorted(codes), hint=hint)
    return to_currency(codes.pop()) if codes else None
