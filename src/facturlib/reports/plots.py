"""Charts of the report tables, as matplotlib Figures (optional ``reports`` extra).

Each function takes the `Table` of a report and returns a new
``matplotlib.figure.Figure``, built with matplotlib's object API (no pyplot, no
global state, no display needed): save it with ``figure.savefig("mrr.png")`` or
let Jupyter show it. matplotlib is imported when a chart is asked for; without it
a `facturlib.core.errors.ReportError` names the extra to install
(``pip install 'facturlib[reports]'``). Amounts are converted to floats only to
draw them.

* `plot_mrr`: the MRR line over months (`mrr_history`) above bars of its
  movements, gains up and losses down;
* `plot_forecast`: monthly bars of revenue issued and to come, stacked (`forecast`);
* `plot_aged_balance`: one stacked bar per customer, by age bucket (`aged_balance`).

.. versionadded:: 0.2
"""

from __future__ import annotations

from typing import Any

from facturlib.core._validators import check_instance
from facturlib.core.errors import ReportError
from facturlib.reports.table import ColumnKind, Table, _optional

__all__ = ["plot_aged_balance", "plot_forecast", "plot_mrr"]

_COLORS = {
    "new": "#2e7d32",
    "expansion": "#81c784",
    "reactivation": "#00897b",
    "contraction": "#ef9a9a",
    "churn": "#c62828",
    "issued": "#1565c0",
    "to_come": "#90caf9",
}
_AGE_COLORS = ("#9e9e9e", "#ffe082", "#ffb74d", "#ff7043", "#c62828", "#6a1b9a", "#311b92")


def _figure(width: float = 8.0, height: float = 4.5) -> Any:
    _optional("matplotlib")
    figure_module = _optional("matplotlib.figure")
    return figure_module.Figure(figsize=(width, height), layout="constrained")


def _need(table: object, title: object, *names: str) -> Table:
    check_instance(title, str, "title", optional=True, error=ReportError, hint="a str or None")
    check_instance(table, Table, "table", error=ReportError, hint="pass the report's Table")
    assert isinstance(table, Table)
    missing = [n for n in names if n not in table.names]
    if missing:
        raise ReportError(
            "this table is not the report the chart draws",
            field="table",
            value=table.title,
            hint=f"it needs the columns {', '.join(names)}",
        )
    return table


def _floats(table: Table, name: str) -> list[float]:
    return [float(v) if v is not None else 0.0 for v in table.column(name)]


def _month_labels(table: Table) -> list[str]:
    return [f"{m:%Y-%m}" for m in table.column("month")]


def _money_label(table: Table) -> str:
    return f"amount ({table.currency.code})" if table.currency else "amount"


def plot_mrr(history: Table, *, title: str | None = None) -> Any:
    """The MRR over time with its movements, from `mrr_history`.

    Returns:
        A ``matplotlib.figure.Figure``: the MRR line on top, the movements of each
        month below as bars (new, expansion, reactivation up; contraction, churn down).

    Raises:
        ReportError: matplotlib is missing, or the table is not an MRR history.

    .. versionadded:: 0.2
    """
    table = _need(history, title, "month", "mrr", "new", "expansion", "contraction", "churn")
    figure = _figure(8.0, 6.0)
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    labels = _month_labels(table)
    positions = list(range(len(labels)))
    top.plot(positions, _floats(table, "mrr"), marker="o", color="#1565c0", label="MRR")
    top.set_ylabel(_money_label(table))
    top.set_title(title or table.title)
    top.set_ylim(bottom=0)
    top.margins(y=0.15)
    top.grid(axis="y", alpha=0.3)
    top.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
    up = [0.0] * len(positions)
    down = [0.0] * len(positions)
    for name in ("new", "expansion", "reactivation", "contraction", "churn"):
        if name not in table.names:
            continue
        values = _floats(table, name)
        gains = name in ("new", "expansion", "reactivation")
        base = up if gains else down
        bottom.bar(positions, values, bottom=base, color=_COLORS[name], label=name, width=0.7)
        for i, v in enumerate(values):
            base[i] += v
    bottom.axhline(0, color="#444", linewidth=0.8)
    bottom.set_ylabel("movements")
    # Stacked bars pin the axis limits to their edges: leave room explicitly.
    high, low = max(up, default=0.0), min(down, default=0.0)
    room = 0.15 * ((high - low) or 1.0)
    bottom.set_ylim(low - room if low < 0 else low, high + room)
    bottom.grid(axis="y", alpha=0.3)
    bottom.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize="small")
    bottom.set_xticks(positions, labels, rotation=45, ha="right")
    return figure


def plot_forecast(forecast: Table, *, title: str | None = None) -> Any:
    """Monthly revenue bars, issued and to come stacked, from `forecast`.

    Raises:
        ReportError: matplotlib is missing, or the table is not a forecast.

    .. versionadded:: 0.2
    """
    table = _need(forecast, title, "month", "issued", "to_come")
    figure = _figure()
    axes = figure.subplots()
    labels = _month_labels(table)
    positions = list(range(len(labels)))
    issued = _floats(table, "issued")
    axes.bar(positions, issued, color=_COLORS["issued"], label="issued", width=0.7)
    axes.bar(
        positions,
        _floats(table, "to_come"),
        bottom=issued,
        color=_COLORS["to_come"],
        label="to come",
        width=0.7,
    )
    axes.set_xticks(positions, labels, rotation=45, ha="right")
    axes.set_ylabel(_money_label(table))
    axes.set_title(title or table.title)
    totals = [a + b for a, b in zip(issued, _floats(table, "to_come"), strict=True)]
    high, low = max(totals, default=0.0), min(totals, default=0.0)
    room = 0.1 * ((high - min(low, 0.0)) or 1.0)
    axes.set_ylim(min(low, 0.0) - (room if low < 0 else 0.0), max(high, 0.0) + room)
    axes.grid(axis="y", alpha=0.3)
    axes.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
    return figure


def plot_aged_balance(aged: Table, *, title: str | None = None) -> Any:
    """One horizontal bar per customer, stacked by age bucket, from `aged_balance`.

    Raises:
        ReportError: matplotlib is missing, or the table is not an aged balance.

    .. versionadded:: 0.2
    """
    table = _need(aged, title, "customer", "not_due", "total")
    buckets = [
        c.name
        for c in table.columns
        if c.kind is ColumnKind.MONEY and (c.name == "not_due" or c.name.startswith("days_"))
    ]
    figure = _figure(8.0, max(2.5, 0.5 * len(table) + 1.5))
    axes = figure.subplots()
    names = table.column("name") if "name" in table.names else table.column("customer")
    labels = [str(n or c) for n, c in zip(names, table.column("customer"), strict=True)]
    positions = list(range(len(labels)))
    left = [0.0] * len(positions)
    for k, name in enumerate(buckets):
        values = _floats(table, name)
        label = name.replace("days_", "").replace("_", "–").replace("over–", "> ")
        axes.barh(
            positions,
            values,
            left=left,
            color=_AGE_COLORS[k % len(_AGE_COLORS)],
            label=label.replace("not–due", "not due"),
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.set_yticks(positions, labels)
    axes.set_xlim(min(min(left, default=0.0), 0.0), max(max(left, default=0.0), 1.0) * 1.05)
    axes.invert_yaxis()
    axes.set_xlabel(_money_label(table))
    axes.set_title(title or table.title)
    axes.grid(axis="x", alpha=0.3)
    axes.legend(title="days late", fontsize="small", loc="center left", bbox_to_anchor=(1.0, 0.5))
    return figure
