"""Short displays of values for IPython and Jupyter: `_repr_pretty_` and `_repr_html_`.

`repr()` keeps the exact attrs form (the doctests rely on it); the displays add a
one-line summary and an HTML table, amounts formatted for fr_FR, texts escaped.
"""

from __future__ import annotations

from datetime import date

import pytest

from facturlib import (
    Activity,
    ChartOfAccounts,
    Installment,
    Payment,
    customer_balances,
    issue,
    journalize,
    settle,
    to_money,
    trial_balance,
)
from facturlib.core.numbering import SequenceState
from facturlib.testing.builders import sample_buyer, sample_invoice, sample_scheme

HOSTILE = "<img src=x onerror=alert(1)> SARL"


class Printer:
    """The part of IPython's pretty printer the displays use."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def text(self, value: str) -> None:
        self.texts.append(value)


def pretty(value: object, cycle: bool = False) -> str:
    printer = Printer()
    value._repr_pretty_(printer, cycle)  # type: ignore[attr-defined]
    return "".join(printer.texts)


def invoice() -> object:
    draft = sample_invoice(buyer=sample_buyer(name=HOSTILE))
    issued, _ = issue(draft, sample_scheme(), SequenceState(), on=date(2025, 1, 15))
    return issued


def values() -> list[object]:
    inv = invoice()
    pay = Payment(
        id="P1",
        customer=inv.buyer.key,
        amount=to_money("440.00", "EUR"),  # type: ignore[attr-defined]
        date=date(2025, 2, 10),
    )
    settlement = settle([inv], [pay], on=date(2025, 3, 1))  # type: ignore[list-item]
    balance = customer_balances(settlement)[0]
    entries = journalize(Activity(documents=[inv]), chart=ChartOfAccounts())  # type: ignore[list-item]
    return [
        inv,
        inv.totals(),  # type: ignore[attr-defined]
        balance,
        balance.invoices[0],
        Installment(date=date(2025, 2, 14), amount=to_money("1440.00", "EUR")),
        trial_balance(entries),
    ]


class TestPretty:
    def test_invoice_summary(self) -> None:
        """One line: number, kind, date, parties, lines, totals."""
        assert (
            f"<Invoice FA-2025-0001 (invoice 2025-01-15) Atelier Numérique SAS → {HOSTILE}: "
            "1 line, 1200.00 EUR excl. VAT, 1440.00 EUR due>"
        ) == pretty(invoice())

    @pytest.mark.parametrize("index", range(6))
    def test_short_and_single_line(self, index: int) -> None:
        """Every display is one short line, far from the 2 000-character repr."""
        text = pretty(values()[index])
        assert "\n" not in text
        assert len(text) < 200
        assert text.startswith("<")

    def test_cycle(self) -> None:
        """A cycle prints an ellipsis, as IPython asks."""
        assert "..." == pretty(invoice(), cycle=True)

    def test_repr_unchanged(self) -> None:
        """repr() is still the attrs one (doctests rely on it)."""
        assert repr(invoice()).startswith("Invoice(seller=Party(")


class TestHtml:
    @pytest.mark.parametrize("index", range(6))
    def test_is_a_table_with_french_amounts(self, index: int) -> None:
        """Each value renders as an HTML table whose amounts are formatted for fr_FR."""
        html = values()[index]._repr_html_()  # type: ignore[attr-defined]
        assert html.startswith('<table class="facturlib"')
        assert "\xa0€" in html

    def test_invoice(self) -> None:
        """The invoice shows its totals and its lines, the buyer's name escaped."""
        html = invoice()._repr_html_()  # type: ignore[attr-defined]
        assert "1\u202f440,00\xa0€" in html
        assert "<img" not in html
        assert "&lt;img src=x onerror=alert(1)&gt; SARL" in html

    def test_trial_balance(self) -> None:
        """The trial balance lists its accounts."""
        html = values()[5]._repr_html_()  # type: ignore[attr-defined]
        assert all(number in html for number in ("411000", "706000", "445711"))
