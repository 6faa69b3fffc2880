"""Short text and HTML displays of values, for the REPL and Jupyter (private).

IPython shows ``_repr_pretty_`` in a terminal and ``_repr_html_`` in a notebook
before falling back to ``__repr__``. facturlib's values keep their attrs
``__repr__`` (exact, evaluable, used by the doctests) and add these two, built
here: a one-line summary and a small HTML table whose every text is escaped
(names on documents come from strangers) and whose amounts are formatted for a
locale with babel (CLDR), imported only when a display is asked for.

>>> from decimal import Decimal
>>> amount_text(Decimal("1440.00"), "EUR", "fr_FR")
'1\\u202f440,00\\xa0€'
>>> print(html_table("<b>", ["Name", "Total"], [["<i>x</i>", "1"]], [False, True]))
<table class="facturlib" ...&lt;b&gt;...&lt;i&gt;x&lt;/i&gt;...</table>
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

__all__ = [
    "DISPLAY_LOCALE",
    "amount_text",
    "date_text",
    "html_table",
    "money_text",
    "pretty",
    "summary_html",
    "value_text",
]

#: The locale of the displays of values (tables carry their own).
DISPLAY_LOCALE = "fr_FR"

_STYLE = (
    "border-collapse:collapse;font-variant-numeric:tabular-nums;"
    "font-family:system-ui,sans-serif;font-size:0.9em"
)


def amount_text(amount: Decimal, currency: str | None, locale: str) -> str:
    """*amount* formatted for *locale*: with its currency if given, all its decimals kept."""
    from babel.numbers import format_currency, format_decimal

    if currency is None:
        return str(format_decimal(amount, locale=locale, decimal_quantization=False))
    return str(format_currency(amount, currency, locale=locale, decimal_quantization=False))


def money_text(amount: Any) -> str:
    """A `Money` as ``1440.00 EUR`` (plain, for one-line summaries)."""
    return f"{amount.amount:f} {amount.currency.code}"


def value_text(value: Any, locale: str = DISPLAY_LOCALE) -> str:
    """Any displayed value as text for *locale*: money with its currency, dates short."""
    if value is None:
        return ""
    amount = getattr(value, "amount", None)
    currency = getattr(value, "currency", None)
    if isinstance(amount, Decimal) and currency is not None:
        return amount_text(amount, currency.code, locale)
    if isinstance(value, Decimal):
        return amount_text(value, None, locale)
    if isinstance(value, date):
        return date_text(value, locale)
    return str(value)


def summary_html(
    title: str,
    fields: Sequence[tuple[str, Any]],
    table: tuple[Sequence[str], Sequence[Sequence[Any]]] | None = None,
    *,
    locale: str = DISPLAY_LOCALE,
) -> str:
    """A value as HTML: *title*, a two-column table of its *fields* and, if given, a table
    of its parts (headers, rows of values), amounts formatted for *locale*."""
    head = html_table(
        title,
        ["", ""],
        [[name, value_text(value, locale)] for name, value in fields],
        [False, True],
    )
    if table is None:
        return head
    headers, rows = table
    texts = [[value_text(v, locale) for v in row] for row in rows]
    numeric = [
        bool(rows) and all(not isinstance(row[i], str) for row in rows) for i in range(len(headers))
    ]
    return head + html_table(None, headers, texts, numeric)


def date_text(day: date, locale: str) -> str:
    """*day* in the short date format of *locale*."""
    from babel.dates import format_date

    return str(format_date(day, format="short", locale=locale))


def html_table(
    caption: str | None,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: Sequence[bool],
    *,
    footer: Sequence[str] | None = None,
) -> str:
    """An HTML table of already formatted texts, every one escaped; *numeric* columns
    are aligned right."""
    esc = html.escape
    cell = "padding:2px 8px;border-bottom:1px solid #ddd;"

    def align(i: int) -> str:
        return "text-align:right;" if numeric[i] else "text-align:left;"

    parts = [f'<table class="facturlib" style="{_STYLE}">']
    if caption:
        parts.append(f'<caption style="text-align:left;font-weight:bold">{esc(caption)}</caption>')
    parts.append("<thead><tr>")
    parts += [f'<th style="{cell}{align(i)}">{esc(h)}</th>' for i, h in enumerate(headers)]
    parts.append("</tr></thead><tbody>")
    for row in rows:
        parts.append("<tr>")
        parts += [f'<td style="{cell}{align(i)}">{esc(v)}</td>' for i, v in enumerate(row)]
        parts.append("</tr>")
    parts.append("</tbody>")
    if footer is not None:
        parts.append("<tfoot><tr>")
        parts += [
            f'<td style="{cell}{align(i)}font-weight:bold">{esc(v)}</td>'
            for i, v in enumerate(footer)
        ]
        parts.append("</tr></tfoot>")
    parts.append("</table>")
    return "".join(parts)


def pretty(printer: Any, cycle: bool, text: str) -> None:
    """IPython's ``_repr_pretty_`` protocol: print *text* (``...`` on a cycle)."""
    printer.text("..." if cycle else text)
