"""Laws of foreign-currency sales in euro books (issue 18): a year of sales in USD, JPY,
KWD… stated at exchange rates is booked in EUR, balances, and keeps the foreign amounts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from moneyed import Money

from facturlib.accounting.accounts import ChartOfAccounts
from facturlib.accounting.fec import check_fec, export_fec, parse_fec
from facturlib.accounting.journal import journalize
from facturlib.accounting.ledger import letter, trial_balance
from facturlib.core._codes import DocumentKind
from facturlib.core.exchange import ExchangeRate
from facturlib.core.money import currency
from facturlib.testing.strategies import activities, charts_of_accounts, exchange_rates

SIREN = "732829320"
EUR = currency("EUR")
FEW = settings(max_examples=30, deadline=None)
_ZERO = Decimal(0)


def foreign_books():
    """A year of sales in a currency other than EUR, stated at exchange rates, and a
    chart keeping the books in EUR."""
    return st.tuples(
        activities(
            currency_codes=st.sampled_from(["USD", "GBP", "CHF", "JPY", "KWD"]),
            book_currency="EUR",
            refunds=True,
        ),
        charts_of_accounts(),
    )


def signed_foreign(line) -> Decimal:
    """The foreign amount of a line, signed like its book amount."""
    return line.foreign_amount.amount * (1 if line.amount.amount > 0 else -1)


@FEW
@given(foreign_books())
def test_trial_balance_is_zero_in_eur(case) -> None:
    """Every entry is in EUR and the trial balance sums to zero, by account and auxiliary."""
    activity, chart = case
    entries = journalize(activity, chart=chart)
    assert {entry.currency for entry in entries} <= {EUR}
    for by_auxiliary in (False, True):
        balance = trial_balance(entries, by_auxiliary=by_auxiliary, currency=EUR)
        assert _ZERO == balance.balance.amount
        assert balance.total_debit == balance.total_credit


@FEW
@given(foreign_books())
def test_foreign_amounts_are_the_invoices_totals(case) -> None:
    """Every line of a document's entry keeps its foreign amount in the document's currency;
    Σ foreign amounts on 411 = Σ amounts due of the invoices − credit notes booked."""
    activity, chart = case
    entries = {entry.piece: entry for entry in journalize(activity, chart=chart)}
    cur = activity.documents[0].currency
    expected, booked = _ZERO, _ZERO
    for document in activity.documents:
        entry = entries.get(document.number)
        if entry is None:  # nothing left in EUR (every amount rounds to zero)
            continue
        assert all(line.foreign_amount.currency == cur for line in entry.lines)
        sign = -1 if document.kind is DocumentKind.CREDIT_NOTE else 1
        expected += sign * document.totals().amount_due.amount
        booked += sum((signed_foreign(ln) for ln in entry.lines if ln.auxiliary), _ZERO)
    assert expected == booked


@FEW
@given(foreign_books())
def test_vat_booked_is_the_stated_bt111(case) -> None:
    """The VAT an invoice or credit note books in EUR is its BT-111 (same rate, one figure),
    unless it deducts deposits (then it books only the VAT not yet collected)."""
    activity, chart = case
    entries = {entry.piece: entry for entry in journalize(activity, chart=chart)}
    vat_accounts = {a for _, a in chart.vat_rates} | {a for _, a in chart.vat_pending_rates}
    vat_accounts |= {a for a in (chart.vat_collected, chart.vat_pending) if a}
    for document in activity.documents:
        entry = entries.get(document.number)
        if entry is None or (document.preceding and document.kind is DocumentKind.INVOICE):
            continue
        sign = -1 if document.kind is DocumentKind.CREDIT_NOTE else 1
        vat = -sum((ln.amount.amount for ln in entry.lines if ln.account in vat_accounts), _ZERO)
        assert sign * document.totals().vat_total_tax_currency.amount == vat


@FEW
@given(foreign_books())
def test_fec_is_valid_with_devise(case) -> None:
    """The FEC of a foreign-currency year checks clean and reads back, Idevise filled on
    every line of a document or payment."""
    activity, chart = case
    entries = letter(
        journalize(activity, chart=chart),
        allocations=activity.allocations,
        credit_notes=activity.documents,
    )
    closing = max((e.date for e in entries), default=date(2030, 12, 31))
    fec = export_fec(entries, siren=SIREN, closing=closing)
    assert () == check_fec(fec.content, filename=fec.filename, closing=closing)
    parsed = parse_fec(fec.content)
    assert len(entries) == len(parsed)
    code = activity.documents[0].currency.code
    for entry in parsed:
        if entry.journal.code == chart.sales_journal.code:
            assert {code} == {line.foreign_amount.currency.code for line in entry.lines}


@FEW
@given(
    exchange_rates(currency_codes=st.just("USD"), min_value="0.5", max_value="2"),
    st.decimals(min_value=Decimal("0.5"), max_value=Decimal("2"), places=4),
    st.integers(min_value=1, max_value=10**7),
)
def test_exchange_difference_is_bank_minus_receivable(invoice_rate, paid_rate, cents) -> None:
    """An invoice paid in full at another rate leaves 411 at zero in EUR; the difference
    between the bank and the receivable is on 756 (gain) or 656 (loss)."""
    from tests.unit.test_exchange import paid_in_full

    entries = paid_in_full(Money(Decimal(cents).scaleb(-2), "USD"), invoice_rate.rate, paid_rate)
    chart = ChartOfAccounts()
    total = {}
    for entry in entries:
        for line in entry.lines:
            total[line.account.number] = total.get(line.account.number, _ZERO) + line.amount.amount
    assert _ZERO == total.get(chart.customers.number, _ZERO)
    gain = -total.get("756000", _ZERO) - total.get("656000", _ZERO)
    assert total[chart.bank.number] - entries[0].lines[0].amount.amount == gain
    assert not ("756000" in total and "656000" in total)
    bank_rate = ExchangeRate(currency="USD", rate=paid_rate, on=date(2025, 4, 1))
    assert bank_rate.convert(entries[0].lines[0].foreign_amount).amount == total["512000"]
