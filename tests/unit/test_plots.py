"""Charts of the report tables: each returns a matplotlib Figure, drawn headless."""

from __future__ import annotations

import io
import sys
from datetime import date
from decimal import Decimal

import pytest

from facturlib import (
    Column,
    ColumnKind,
    ReportError,
    Table,
    plot_aged_balance,
    plot_forecast,
    plot_mrr,
)

MONTHS = [date(2025, m, 1) for m in (1, 2, 3)]


def history() -> Table:
    names = ["mrr", "new", "expansion", "contraction", "churn", "reactivation"]
    rows = [
        (MONTHS[0], Decimal("100.00"), Decimal("100.00"), *[Decimal(0)] * 4),
        (
            MONTHS[1],
            Decimal("150.00"),
            Decimal(0),
            Decimal("60.00"),
            Decimal("-10.00"),
            *[Decimal(0)] * 2,
        ),
        (MONTHS[2], Decimal("120.00"), *[Decimal(0)] * 3, Decimal("-30.00"), Decimal(0)),
    ]
    columns = [Column("month", ColumnKind.MONTH)] + [Column(n, ColumnKind.MONEY) for n in names]
    return Table(title="MRR by month", columns=columns, rows=rows, currency="EUR")


def forecast() -> Table:
    columns = [Column("month", ColumnKind.MONTH)] + [
        Column(n, ColumnKind.MONEY) for n in ("issued", "to_come", "total")
    ]
    rows = [(m, Decimal("10.00"), Decimal("5.00"), Decimal("15.00")) for m in MONTHS]
    return Table(title="Revenue forecast", columns=columns, rows=rows, currency="EUR")


def aged() -> Table:
    names = ["not_due", "days_1_30", "days_31_60", "days_61_90", "days_over_90", "total"]
    columns = [Column("customer", ColumnKind.TEXT), Column("name", ColumnKind.TEXT)] + [
        Column(n, ColumnKind.MONEY) for n in names
    ]
    rows = [("A", "<b>A</b>", *[Decimal("1.00")] * 5, Decimal("5.00"))]
    return Table(title="Aged balance", columns=columns, rows=rows, currency="EUR")


def png(figure: object) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")  # type: ignore[attr-defined]
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("plot", "make", "axes"),
    [(plot_mrr, history, 2), (plot_forecast, forecast, 1), (plot_aged_balance, aged, 1)],
)
class TestPlots:
    def test_returns_a_figure(self, plot: object, make: object, axes: int) -> None:
        """A new matplotlib Figure, with its axes, that saves as a PNG without a display."""
        from matplotlib.figure import Figure

        figure = plot(make())  # type: ignore[operator]
        assert isinstance(figure, Figure)
        assert axes == len(figure.axes)
        assert png(figure).startswith(b"\x89PNG")

    def test_wrong_table(self, plot: object, make: object, axes: int) -> None:
        """Another report's table is refused, naming the columns needed."""
        wrong = Table(title="t", columns=[Column("x", ColumnKind.TEXT)], rows=[])
        with pytest.raises(ReportError, match="needs the columns"):
            plot(wrong)  # type: ignore[operator]

    def test_missing_extra(
        self, plot: object, make: object, axes: int, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without matplotlib, the error names the extra to install."""
        monkeypatch.setitem(sys.modules, "matplotlib", None)
        with pytest.raises(ReportError, match="matplotlib is not installed"):
            plot(make())  # type: ignore[operator]


class TestPlotMrr:
    def test_draws_each_movement(self) -> None:
        """The bottom axes hold one bar series per movement, gains and losses."""
        figure = plot_mrr(history())
        labels = [c.get_label() for c in figure.axes[1].containers]
        assert ["new", "expansion", "reactivation", "contraction", "churn"] == labels
