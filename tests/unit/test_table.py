"""Report tables: checks, records, pandas, polars and the localized, escaped HTML display."""

from __future__ import annotations

import sys
from datetime import date, datetime
from decimal import Decimal

import pytest

from facturlib import Column, ColumnKind, ReportError, Table

HOSTILE = '<script>alert("x")</script> & Cie'


def table(locale: str = "fr_FR") -> Table:
    return Table(
        title="Aged <balance>",
        columns=[
            Column("customer", ColumnKind.TEXT),
            Column("month", ColumnKind.MONTH),
            Column("amount", ColumnKind.MONEY),
            Column("share", ColumnKind.PERCENT),
            Column("count", ColumnKind.INTEGER),
            Column("due", ColumnKind.DATE),
        ],
        rows=[
            (HOSTILE, date(2025, 1, 1), Decimal("1234.56"), Decimal("12.50"), 3, date(2025, 2, 14)),
            ("ACME", date(2025, 2, 1), Decimal("-0.005"), None, None, None),
        ],
        currency="EUR",
        locale=locale,
    )


class TestTable:
    def test_is_immutable(self) -> None:
        """A table is a frozen value with tuple rows."""
        t = table()
        with pytest.raises(AttributeError):
            t.title = "x"  # type: ignore[misc]
        assert isinstance(t.rows[0], tuple)

    def test_float_amount_refused(self) -> None:
        """A float amount is refused: amounts are Decimal."""
        with pytest.raises(ReportError, match="money values, got float"):
            Table(title="t", columns=[Column("a", "money")], rows=[(1.5,)], currency="EUR")

    def test_datetime_refused(self) -> None:
        """A datetime is not a date."""
        with pytest.raises(ReportError, match="date values"):
            Table(title="t", columns=[Column("d", "date")], rows=[(datetime(2025, 1, 1),)])

    def test_month_is_a_first_day(self) -> None:
        """A month cell is the first day of its month."""
        with pytest.raises(ReportError, match="first day of the month"):
            Table(title="t", columns=[Column("m", "month")], rows=[(date(2025, 1, 2),)])

    def test_row_length(self) -> None:
        """A row has one cell per column."""
        with pytest.raises(ReportError, match="2 cells for 1 columns"):
            Table(title="t", columns=[Column("a", "text")], rows=[("x", "y")])

    def test_money_needs_a_currency(self) -> None:
        """Amount columns need the table's currency."""
        with pytest.raises(ReportError, match="currency"):
            Table(title="t", columns=[Column("a", "money")], rows=[])

    def test_duplicate_columns(self) -> None:
        """Column names are unique (they are the record keys)."""
        with pytest.raises(ReportError, match="duplicate"):
            Table(title="t", columns=[Column("a", "text"), Column("a", "text")], rows=[])

    def test_unknown_kind_and_locale(self) -> None:
        """Unknown column kinds and locales are refused with the accepted values."""
        with pytest.raises(ReportError, match="column kind"):
            Column("a", "float")
        with pytest.raises(ReportError, match="locale"):
            Table(title="t", columns=[], rows=[], locale="xx_YY")

    def test_total_and_column(self) -> None:
        """total() sums a numeric column exactly, skipping empty cells."""
        t = table()
        assert Decimal("1234.555") == t.total("amount")
        assert Decimal("12.50") == t.total("share")
        with pytest.raises(ReportError, match="numeric"):
            t.total("customer")
        with pytest.raises(ReportError, match="no such column"):
            t.column("nope")

    def test_where(self) -> None:
        """where() keeps the rows whose cells match."""
        assert [("ACME",)] == [r[:1] for r in table().where(customer="ACME").rows]


class TestRecords:
    def test_round_trip(self) -> None:
        """from_records(to_records()) gives the same table back."""
        t = table()
        assert t == Table.from_records(
            t.to_records(), title=t.title, columns=t.columns, currency="EUR"
        )

    def test_records_are_new_dicts(self) -> None:
        """Changing a record does not change the table."""
        t = table()
        t.to_records()[0]["amount"] = Decimal(0)
        assert Decimal("1234.56") == t.rows[0][2]

    def test_extra_key_refused(self) -> None:
        """A record with a key that is not a column is refused."""
        with pytest.raises(ReportError, match="a key per column"):
            Table.from_records([{"a": "x", "b": 1}], title="t", columns=[Column("a", "text")])


class TestPandas:
    def test_exact_decimals(self) -> None:
        """Amounts stay Decimal (object dtype); months are periods, dates datetimes."""
        frame = table().to_pandas()
        assert [Decimal("1234.56"), Decimal("-0.005")] == list(frame["amount"])
        assert "object" == str(frame["amount"].dtype)
        assert "period[M]" == str(frame["month"].dtype)
        assert str(frame["due"].dtype).startswith("datetime64")
        assert "Int64" == str(frame["count"].dtype)
        assert "EUR" == frame.attrs["currency"]

    def test_missing_extra(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without pandas, the error names the extra to install."""
        monkeypatch.setitem(sys.modules, "pandas", None)
        with pytest.raises(ReportError, match=r"pip install 'facturlib\[reports\]'"):
            table().to_pandas()


class TestPolars:
    def test_exact_decimals(self) -> None:
        """Amounts are pl.Decimal at the scale of the most precise value, dates pl.Date."""
        import polars as pl

        frame = table().to_polars()
        assert pl.Decimal(precision=38, scale=3) == frame.schema["amount"]
        assert [Decimal("1234.560"), Decimal("-0.005")] == frame["amount"].to_list()
        assert pl.Date == frame.schema["month"]
        assert [HOSTILE, "ACME"] == frame["customer"].to_list()

    def test_missing_extra(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without polars, the error names the extra to install."""
        monkeypatch.setitem(sys.modules, "polars", None)
        with pytest.raises(ReportError, match="polars is not installed"):
            table().to_polars()


class TestHtml:
    def test_french_amounts(self) -> None:
        """fr_FR: a narrow no-break space between thousands, a comma, the € after."""
        html = table()._repr_html_()
        assert "1\u202f234,56\xa0€" in html
        assert "12,5\xa0%" in html
        assert "14/02/2025" in html

    def test_english_amounts(self) -> None:
        """en_GB: a comma between thousands, the € before."""
        assert "€1,234.56" in table("en_GB")._repr_html_()

    def test_escapes_hostile_names(self) -> None:
        """Names and titles are escaped: no markup from a customer's name gets through."""
        html = table()._repr_html_()
        assert "<script>" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Cie" in html
        assert "Aged &lt;balance&gt;" in html

    def test_long_table_is_shortened(self) -> None:
        """A long table shows its first and last rows, says how many are hidden, and
        totals every row."""
        rows = [(f"C{i}", Decimal(1)) for i in range(1000)]
        long = Table(
            title="t",
            columns=[Column("c", "text"), Column("a", "money")],
            rows=rows,
            currency="EUR",
        )
        html = long._repr_html_()
        assert ("C39" in html, "C40<" in html, "C990" in html) == (True, False, True)
        assert "… 950 more rows" in html
        assert "1\u202f000,00\xa0€" in html

    def test_footer_totals(self) -> None:
        """Amount columns are totalled in the footer."""
        assert "<tfoot>" in table()._repr_html_()

    def test_pretty(self) -> None:
        """IPython's pretty printer gets the text table."""

        class Printer:
            text_seen = ""

            def text(self, value: str) -> None:
                self.text_seen = value

        printer = Printer()
        table()._repr_pretty_(printer, False)
        assert printer.text_seen == str(table())
        assert printer.text_seen.startswith("Aged <balance> (EUR)\ncustomer")
