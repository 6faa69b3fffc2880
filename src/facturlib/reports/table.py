"""Report tables: immutable rows of exact values, for records, dataframes and Jupyter.

Every report returns a `Table`: a title, typed `Column`\\s and rows (tuples), in one
currency. Amounts are exact `decimal.Decimal` (never float), dates are
`datetime.date` (a month is its first day). A table converts to

* `Table.to_records` — one ``dict`` per row, plain Python values;
* `Table.to_pandas` — a ``pandas.DataFrame`` whose amount columns are of ``object``
  dtype holding the `Decimal`\\s themselves (pandas has no exact decimal dtype;
  ``float64`` would lose cents), dates as ``datetime64``, months as ``period[M]``;
* `Table.to_polars` — a ``polars.DataFrame`` whose amount columns are
  ``pl.Decimal`` (exact, scale of the most precise value), dates ``pl.Date``;

pandas and polars are optional extras (``pip install 'facturlib[reports]'``),
imported only when asked for; without them a `facturlib.core.errors.ReportError` names
the extra to install. In Jupyter a table displays itself as HTML (``_repr_html_``)
with amounts formatted for its ``locale`` by babel (CLDR) and every text escaped.

>>> from datetime import date
>>> from decimal import Decimal
>>> table = Table(title="MRR", columns=[Column("customer", ColumnKind.TEXT),
...                                     Column("mrr", ColumnKind.MONEY)],
...               rows=[("ACME", Decimal("100.00")), ("Globex", Decimal("33.33"))],
...               currency="EUR")
>>> table.total("mrr")
Decimal('133.33')
>>> table.to_records()[1]
{'customer': 'Globex', 'mrr': Decimal('33.33')}
>>> Table.from_records(table.to_records(), title="MRR", columns=table.columns,
...                    currency="EUR") == table
True
>>> print(table)
MRR (EUR)
customer  mrr
ACME      100.00
Globex    33.33

.. versionadded:: 0.2
"""

from __future__ import annotations

import enum
import importlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from types import ModuleType
from typing import Any

import attrs
from moneyed import Currency

from facturlib.core._display import amount_text, date_text, html_table, pretty
from facturlib.core._trusted import unchecked
from facturlib.core._validators import instance_of
from facturlib.core.errors import ReportError
from facturlib.core.money import currency as to_currency

__all__ = ["Column", "ColumnKind", "Table"]


class ColumnKind(enum.Enum):
    """What a column holds, which says how it is checked, converted and displayed.

    * ``TEXT``: ``str``; ``INTEGER``: ``int``; ``DATE``: a `datetime.date`;
    * ``MONTH``: a `datetime.date`, the first day of the month;
    * ``MONEY``: a `Decimal` amount in the table's currency;
    * ``DECIMAL``: a `Decimal` without currency (days, a ratio);
    * ``PERCENT``: a `Decimal` percentage (``12.50`` is 12.5 %).

    Any cell may be ``None`` (nothing to show).

    .. versionadded:: 0.2
    """

    TEXT = "text"
    INTEGER = "integer"
    DATE = "date"
    MONTH = "month"
    MONEY = "money"
    DECIMAL = "decimal"
    PERCENT = "percent"

    @property
    def numeric(self) -> bool:
        """Whether the column holds numbers (aligned right, summable)."""
        return self in _NUMERIC


_NUMERIC = frozenset({ColumnKind.INTEGER, ColumnKind.MONEY, ColumnKind.DECIMAL, ColumnKind.PERCENT})
_HUNDRED = Decimal(100)
#: A longer table shows its first `_HEAD_ROWS` and last `_TAIL_ROWS` rows in Jupyter.
_SHOWN_ROWS, _HEAD_ROWS, _TAIL_ROWS = 60, 40, 10
_DECIMALS = frozenset({ColumnKind.MONEY, ColumnKind.DECIMAL, ColumnKind.PERCENT})


def _error(message: str, field: str, value: Any, hint: str) -> ReportError:
    return ReportError(message, field=field, value=value, hint=hint)


def _to_kind(value: ColumnKind | str) -> ColumnKind:
    try:
        return ColumnKind(value)
    except ValueError:
        raise _error(
            "unknown column kind",
            "kind",
            value,
            f"use one of {', '.join(k.value for k in ColumnKind)}",
        ) from None


def _is_name(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value:
        raise _error("a column name is a non-empty str", "name", value, 'e.g. "customer"')


@attrs.frozen
class Column:
    """A column of a `Table`: its name (the record key) and its `ColumnKind`.

    .. versionadded:: 0.2
    """

    name: str = attrs.field(validator=_is_name)
    kind: ColumnKind = attrs.field(converter=_to_kind)


def _check_cell(kind: ColumnKind, value: Any) -> bool:
    if value is None:
        return True
    if kind is ColumnKind.TEXT:
        return isinstance(value, str)
    if kind is ColumnKind.INTEGER:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind in _DECIMALS:
        return isinstance(value, Decimal) and value.is_finite()
    if kind is ColumnKind.MONTH:
        return type(value) is date and value.day == 1
    return type(value) is date


def _columns(value: Any) -> tuple[Column, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise _error("columns are a sequence of Column", "columns", value, "pass a list")
    return tuple(value)


def _rows(value: Any) -> tuple[tuple[Any, ...], ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise _error("rows are a sequence of tuples", "rows", value, "pass a list of tuples")
    rows = []
    for i, row in enumerate(value):
        if isinstance(row, str | bytes | Mapping) or not isinstance(row, Iterable):
            raise _error(
                "a row is a tuple of cells", f"rows[{i}]", row, "use from_records for dicts"
            )
        rows.append(tuple(row))
    return tuple(rows)


def _optional_currency(value: Any) -> Currency | None:
    return None if value is None else to_currency(value)


def _is_locale(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    from babel import Locale, UnknownLocaleError

    if isinstance(value, str):
        try:
            Locale.parse(value)
        except (UnknownLocaleError, ValueError, TypeError):
            pass
        else:
            return
    raise _error("unknown locale", "locale", value, 'use a CLDR locale such as "fr_FR" or "en_GB"')


@attrs.frozen(kw_only=True)
class Table:
    """An immutable report table.

    Attributes:
        title: what the table shows (its caption).
        columns: the `Column`\\s, with unique names.
        rows: one tuple per row, a cell per column, of the column's kind (or ``None``).
        currency: the currency of every ``MONEY`` column (required if there is one).
        locale: the CLDR locale of the HTML display (default ``fr_FR``).

    Raises:
        ReportError: a duplicate column name, a row of the wrong length, a cell of
            the wrong type (a float amount, a datetime…), money without currency.

    .. versionadded:: 0.2
    """

    title: str = attrs.field(validator=instance_of(str, error=ReportError, hint="a str"))
    columns: tuple[Column, ...] = attrs.field(converter=_columns)
    rows: tuple[tuple[Any, ...], ...] = attrs.field(converter=_rows)
    currency: Currency | None = attrs.field(default=None, converter=_optional_currency)
    locale: str = attrs.field(default="fr_FR", validator=_is_locale)

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for i, column in enumerate(self.columns):
            if not isinstance(column, Column):
                raise _error("expected a Column", f"columns[{i}]", column, "use Column(name, kind)")
            if column.name in seen:
                raise _error("duplicate column name", f"columns[{i}]", column.name, "rename it")
            seen.add(column.name)
        if self.currency is None and any(c.kind is ColumnKind.MONEY for c in self.columns):
            raise _error(
                "a table with amounts needs a currency", "currency", None, 'pass currency="EUR"'
            )
        width = len(self.columns)
        for r, row in enumerate(self.rows):
            if len(row) != width:
                raise _error(
                    f"a row has {len(row)} cells for {width} columns",
                    f"rows[{r}]",
                    row,
                    "give one cell per column (None for nothing)",
                )
            for column, cell in zip(self.columns, row, strict=True):
                if not _check_cell(column.kind, cell):
                    raise _error(
                        f"column {column.name!r} holds {column.kind.value} values, "
                        f"got {type(cell).__name__}",
                        f"rows[{r}].{column.name}",
                        cell,
                        "amounts are Decimal (never float), dates datetime.date, "
                        "months the first day of the month",
                    )

    # ------------------------------------------------------------------ reading

    @property
    def names(self) -> tuple[str, ...]:
        """The column names, in order."""
        return tuple(c.name for c in self.columns)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self.rows)

    def index(self, name: str) -> int:
        """The position of column *name*.

        Raises:
            ReportError: no such column.
        """
        for i, column in enumerate(self.columns):
            if column.name == name:
                return i
        raise _error("no such column", "name", name, f"columns are {', '.join(self.names)}")

    def column(self, name: str) -> tuple[Any, ...]:
        """The cells of column *name*, top to bottom."""
        i = self.index(name)
        return tuple(row[i] for row in self.rows)

    def total(self, name: str) -> Decimal:
        """Σ of the numeric column *name* (``None`` cells count as nothing).

        Raises:
            ReportError: no such column, or not a numeric one.
        """
        i = self.index(name)
        if not self.columns[i].kind.numeric:
            raise _error("only a numeric column has a total", "name", name, "pick an amount column")
        return sum((Decimal(row[i]) for row in self.rows if row[i] is not None), Decimal(0))

    def where(self, **equal: Any) -> Table:
        """The rows whose cells equal the given values (``where(customer="ACME")``)."""
        wanted = [(self.index(name), value) for name, value in equal.items()]
        rows = tuple(r for r in self.rows if all(r[i] == v for i, v in wanted))
        return attrs.evolve(self, rows=rows)

    # ------------------------------------------------------------------ conversions

    def to_records(self) -> tuple[dict[str, Any], ...]:
        """One new ``dict`` per row, column name → cell (exact `Decimal`\\s, dates).

        `Table.from_records` builds the same table back.
        """
        names = self.names
        return tuple(dict(zip(names, row, strict=True)) for row in self.rows)

    @classmethod
    def from_records(
        cls,
        records: Iterable[Mapping[str, Any]],
        *,
        title: str,
        columns: Sequence[Column],
        currency: str | Currency | None = None,
        locale: str = "fr_FR",
    ) -> Table:
        """The table of *records* (mappings with a key per column; extra keys refused).

        Raises:
            ReportError: a record missing a column or holding an unknown one.
        """
        columns = _columns(columns)
        names = [c.name for c in columns]
        rows = []
        for i, record in enumerate(records):
            if not isinstance(record, Mapping) or set(record) != set(names):
                raise _error(
                    "a record has a key per column, and only those",
                    f"records[{i}]",
                    record,
                    f"keys: {', '.join(names)}",
                )
            rows.append(tuple(record[n] for n in names))
        return cls(title=title, columns=columns, rows=rows, currency=currency, locale=locale)

    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame`` of the table (needs the ``reports`` extra).

        Amount, decimal and percent columns have ``object`` dtype and hold the exact
        `Decimal`\\s; integer columns ``Int64``; text ``object``; dates
        ``datetime64[ns]``; months ``period[M]``.

        Raises:
            ReportError: pandas is not installed.
        """
        pd = _optional("pandas")
        data: dict[str, Any] = {}
        for i, column in enumerate(self.columns):
            cells = [row[i] for row in self.rows]
            if column.kind is ColumnKind.INTEGER:
                data[column.name] = pd.array(cells, dtype="Int64")
            elif column.kind is ColumnKind.DATE:
                data[column.name] = pd.to_datetime(pd.Series(cells, dtype=object))
            elif column.kind is ColumnKind.MONTH:
                data[column.name] = pd.PeriodIndex(
                    [pd.NaT if c is None else pd.Period(c, freq="M") for c in cells],
                    dtype="period[M]",
                )
            else:
                data[column.name] = pd.Series(cells, dtype=object)
        frame = pd.DataFrame(data, columns=list(self.names))
        frame.attrs["title"] = self.title
        if self.currency is not None:
            frame.attrs["currency"] = self.currency.code
        return frame

    def to_polars(self) -> Any:
        """A ``polars.DataFrame`` of the table (needs the ``reports`` extra).

        Amount, decimal and percent columns are ``pl.Decimal`` with the scale of their
        most precise value (exact); integers ``pl.Int64``; dates and months ``pl.Date``.

        Raises:
            ReportError: polars is not installed.
        """
        pl = _optional("polars")
        series = []
        for i, column in enumerate(self.columns):
            cells = [row[i] for row in self.rows]
            dtype: Any
            if column.kind in _DECIMALS:
                scale = max((_scale(c) for c in cells if c is not None), default=0)
                dtype = pl.Decimal(precision=38, scale=scale)
            elif column.kind is ColumnKind.INTEGER:
                dtype = pl.Int64
            elif column.kind in (ColumnKind.DATE, ColumnKind.MONTH):
                dtype = pl.Date
            else:
                dtype = pl.String
            series.append(pl.Series(column.name, cells, dtype=dtype))
        return pl.DataFrame(series)

    # ------------------------------------------------------------------ display

    def _texts(self) -> list[list[str]]:
        """The displayed rows: all of them up to `_SHOWN_ROWS`, else the first and the last
        ones around a row saying how many are left out (as pandas shows a long frame)."""
        code = self.currency.code if self.currency is not None else None
        locale = self.locale
        rows: list[tuple[Any, ...] | None] = list(self.rows)
        hidden = len(rows) - _SHOWN_ROWS
        if hidden > 0:
            rows = [*rows[:_HEAD_ROWS], None, *rows[len(rows) - _TAIL_ROWS :]]
            hidden = len(self.rows) - _HEAD_ROWS - _TAIL_ROWS
        texts = []
        for row in rows:
            if row is None:
                texts.append([f"… {hidden} more rows"] + [""] * (len(self.columns) - 1))
                continue
            cells = []
            for column, cell in zip(self.columns, row, strict=True):
                cells.append(_cell_text(column.kind, cell, code, locale))
            texts.append(cells)
        return texts

    def _repr_html_(self) -> str:
        """The table as HTML, amounts formatted for ``locale``, totals (of every row) in the
        footer; a table of more than 60 rows shows its first 40 and last 10."""
        numeric = [c.kind.numeric for c in self.columns]
        footer = None
        summable = [c.kind in (ColumnKind.MONEY, ColumnKind.INTEGER) for c in self.columns]
        if len(self.rows) > 1 and any(summable):
            code = self.currency.code if self.currency is not None else None
            footer = [
                _cell_text(c.kind, self.total(c.name), code, self.locale) if summable[i] else ""
                for i, c in enumerate(self.columns)
            ]
            footer[0] = footer[0] or "Total"
        caption = self.title + (f" ({self.currency.code})" if self.currency else "")
        return html_table(caption, self.names, self._texts(), numeric, footer=footer)

    def __str__(self) -> str:
        header = self.title + (f" ({self.currency.code})" if self.currency else "")
        grid = [list(self.names)] + [[_plain(cell) for cell in row] for row in self.rows]
        widths = [max(len(r[i]) for r in grid) for i in range(len(self.columns))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in grid]
        return "\n".join([header, *(line.rstrip() for line in lines)])

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        pretty(printer, cycle, str(self))


def _plain(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return f"{cell:f}"
    return str(cell)


def _scale(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _cell_text(kind: ColumnKind, cell: Any, code: str | None, locale: str) -> str:
    if cell is None:
        return ""
    if kind is ColumnKind.MONEY:
        return amount_text(cell, code, locale)
    if kind in (ColumnKind.DECIMAL, ColumnKind.INTEGER):
        return amount_text(Decimal(cell), None, locale)
    if kind is ColumnKind.PERCENT:
        from babel.numbers import format_percent

        return str(format_percent(cell / _HUNDRED, locale=locale, decimal_quantization=False))
    if kind is ColumnKind.DATE:
        return date_text(cell, locale)
    if kind is ColumnKind.MONTH:
        return f"{cell:%Y-%m}"
    return str(cell)


_EXTRA = {"pandas": "reports", "polars": "reports", "matplotlib": "reports"}


def _optional(name: str) -> ModuleType:
    """Import the optional dependency *name*, or say which extra installs it."""
    try:
        return importlib.import_module(name)
    except ImportError:
        raise _error(
            f"{name} is not installed",
            "extra",
            name,
            f"install the optional extra: pip install 'facturlib[{_EXTRA.get(name, 'reports')}]'",
        ) from None


#: Tables built by the reports from values they computed themselves: every cell is of
#: its column's kind by construction (Decimals from Money amounts and exact sums, dates
#: from checked documents), the columns are module constants and the currency a
#: `Currency`; `tests/property/test_reports.py` compares with the checking constructor.
_table = unchecked(Table)


def _make(
    title: str,
    columns: tuple[Column, ...],
    rows: Iterable[tuple[Any, ...]],
    currency: Currency | None,
    locale: str = "fr_FR",
) -> Table:
    return _table(title=title, columns=columns, rows=tuple(rows), currency=currency, locale=locale)
