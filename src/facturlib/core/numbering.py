"""Sequential invoice numbering: patterns, series state, next numbers and audits.

French law requires every invoice to carry a unique number taken from a
*chronological and continuous* sequence: no gap, no duplicate, and a later
number never bears an earlier date (CGI annexe II art. 242 nonies A I-7°;
BOI-TVA-DECLA-30-20-20-10). Several series are allowed when the
activity justifies them (sites, deposits, credit notes…), each continuous on its
own; BOFiP recommends a distinct prefix per series so that two invoices cannot
share a number. A number is given only when a draft is issued (CGI 289 I-5),
and a proforma never gets one (EN 16931 BT-3). Under the French e-invoicing
reform the number (BT-1) has at most 35 characters, taken from
``A-Z a-z 0-9 + - _ /`` with no spaces (BR-FR-01/02).

* `NumberingScheme` is one series: a pattern such as ``"FA-{yyyy}-{seq:04}"``
  and a `Reset` rule saying when the counter starts again at 1. The pattern is
  checked when the scheme is built, so a scheme can only make lawful numbers.
* `SequenceState` is the position of every series (its last counter, period,
  date and number): an immutable value that callers store between calls.
* `next_number` is a pure function: it takes a scheme, a state and the issue
  date, and returns the number together with the new state.
* `NumberingPlan` picks the scheme for a document kind and an entity (the
  seller's SIREN or any key of the caller), for businesses that keep several
  series.
* `audit_numbers` checks a list of issued numbers and returns every
  `~facturlib.core.errors.Problem` it finds (gap, duplicate, date out of order…).

>>> from datetime import date
>>> from facturlib.core.numbering import NumberingScheme, SequenceState, next_number
>>> scheme = NumberingScheme(pattern="FA-{yyyy}-{seq:04}")
>>> number, state = next_number(scheme, SequenceState(), date(2025, 1, 15))
>>> number
'FA-2025-0001'
>>> number, state = next_number(scheme, state, date(2025, 1, 20))
>>> number
'FA-2025-0002'
>>> next_number(scheme, state, date(2026, 1, 2))[0]
'FA-2026-0001'
>>> next_number(scheme, state, date(2025, 1, 10))
Traceback (most recent call last):
...
facturlib.core.errors.NumberingError: issue date is earlier than the last number of the series ...

A pattern that could make an unlawful number is refused at once:

>>> NumberingScheme(pattern="FA {yyyy} {seq}")
Traceback (most recent call last):
...
facturlib.core.errors.NumberingError: character ' ' is not allowed in an invoice number ...

Audits return problems instead of raising:

>>> from facturlib.core.numbering import audit_numbers
>>> entries = [("FA-2025-0001", date(2025, 1, 2)), ("FA-2025-0004", date(2025, 1, 3))]
>>> for problem in audit_numbers(entries, scheme):
...     print(problem.code, "|", problem.message)
gap | FA-2025-0002 and FA-2025-0003 are missing; a series has no gap (CGI ann. II 242 nonies A)
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Protocol, runtime_checkable

import attrs

from facturlib.core._codes import DocumentKind
from facturlib.core._validators import (
    check_instance,
    is_optional_text,
    items_of,
    optional_str,
    optional_text,
    to_tuple,
)
from facturlib.core.errors import NumberingError, Problem

__all__ = [
    "MAX_NUMBER_LENGTH",
    "Numbering",
    "NumberingPlan",
    "NumberingScheme",
    "ParsedNumber",
    "Reset",
    "SequenceState",
    "SeriesPosition",
    "SeriesRule",
    "audit_numbers",
    "next_number",
]

#: The longest invoice number (BT-1) the French CTC accepts (BR-FR-01).
MAX_NUMBER_LENGTH = 35

#: Characters allowed in an invoice number outside the tokens (BR-FR-02).
_CHARSET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-_/")
_MAX_WIDTH = 12
_TOKEN_HINT = "use {yyyy}, {yy}, {mm}, {seq} or {seq:0N} with N from 1 to 12"
_LAW = "CGI ann. II 242 nonies A"


class Reset(enum.Enum):
    """When the counter of a series starts again at 1.

    ``YEARLY`` with a year in the number (``FA-2025-0001`` … ``FA-2026-0001``)
    is the accepted practice (CGI ann. II 242 nonies A).

    >>> Reset("monthly")
    <Reset.MONTHLY: 'monthly'>

    .. versionadded:: 0.1
    """

    NEVER = "never"
    YEARLY = "yearly"
    MONTHLY = "monthly"


def _to_reset(value: Reset | str) -> Reset:
    if isinstance(value, Reset):
        return value
    if isinstance(value, str):
        try:
            return Reset(value.strip().lower())
        except ValueError:
            pass
    raise NumberingError(
        "unknown reset rule",
        field="reset",
        value=value,
        hint="use 'never', 'yearly' or 'monthly' (or the Reset enum)",
    )


# --------------------------------------------------------------------------- patterns


@attrs.frozen
class _Compiled:
    """A checked pattern: its segments, a parsing regex and a few measures."""

    segments: tuple[tuple[str, str], ...]  # (token or "lit", literal text)
    width: int  # zero-padding width of {seq}; 1 means no padding
    fixed_length: int  # characters that do not depend on the counter
    year_token: str | None  # "yyyy", "yy" or None
    has_month: bool
    regex: re.Pattern[str]
    canonical: str  # the pattern with {seq:01} written {seq}


def _pattern_error(message: str, pattern: object, hint: str) -> NumberingError:
    return NumberingError(message, field="pattern", value=pattern, hint=hint)


def _token_hint(token: str) -> str:
    lowered = token.lower()
    if lowered in ("yyyy", "yy", "mm", "seq") and token != lowered:
        return f"tokens are lower case: write {{{lowered}}}"
    padded = re.fullmatch(r"seq:0?(\d+)d?", lowered)
    if padded:
        return f"write the zero-padded counter as {{seq:0{int(padded.group(1))}}}; " + _TOKEN_HINT
    return _TOKEN_HINT


@lru_cache(maxsize=256)
def _compile(pattern: str) -> _Compiled:
    segments: list[tuple[str, str]] = []
    literal: list[str] = []
    width = 0
    seq_count = 0
    seen: set[str] = set()
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "{":
            end = pattern.find("}", i + 1)
            nested = pattern.find("{", i + 1)
            if end == -1 or (nested != -1 and nested < end):
                raise _pattern_error(
                    "unbalanced '{' in the numbering pattern",
                    pattern,
                    "close every '{' with '}'; braces only surround tokens such as {seq:04}",
                )
            token = pattern[i + 1 : end]
            padded = re.fullmatch(r"seq:0([0-9]{1,2})", token)
            if token in ("yyyy", "yy", "mm"):
                if token in seen:
                    raise _pattern_error(
                        f"the token {{{token}}} appears twice", pattern, "keep one of them"
                    )
                name = token
            elif token == "seq" or padded:
                seq_count += 1
                width = int(padded.group(1)) if padded else 1
                if not 1 <= width <= _MAX_WIDTH:
                    raise _pattern_error(
                        f"the counter width must be from 1 to {_MAX_WIDTH}",
                        pattern,
                        "write {seq:04} for four digits, or {seq} for no padding",
                    )
                name = "seq"
            else:
                raise _pattern_error(
                    f"unknown token {{{token}}} in the numbering pattern",
                    pattern,
                    _token_hint(token),
                )
            seen.add(name)
            if literal:
                segments.append(("lit", "".join(literal)))
                literal = []
            segments.append((name, str(width) if name == "seq" else ""))
            i = end + 1
            continue
        if char == "}":
            raise _pattern_error(
                "unbalanced '}' in the numbering pattern",
                pattern,
                "braces only surround tokens such as {yyyy} or {seq:04}",
            )
        if char not in _CHARSET:
            raise _pattern_error(
                f"character {char!r} is not allowed in an invoice number",
                pattern,
                "use only A-Z a-z 0-9 + - _ / outside the tokens, e.g. '-' instead of a space "
                "(BR-FR-02)",
            )
        literal.append(char)
        i += 1
    if literal:
        segments.append(("lit", "".join(literal)))

    if seq_count != 1:
        raise _pattern_error(
            "the numbering pattern must hold exactly one counter token"
            + (f", not {seq_count}" if seq_count else ""),
            pattern,
            "write a single {seq} or {seq:04}, e.g. 'FA-{yyyy}-{seq:04}'",
        )
    if "yyyy" in seen and "yy" in seen:
        raise _pattern_error(
            "the pattern holds both {yyyy} and {yy}", pattern, "keep only one year token"
        )

    fixed = 0
    parts: list[str] = []
    canonical: list[str] = []
    for name, text in segments:
        if name == "lit":
            fixed += len(text)
            parts.append(re.escape(text))
            canonical.append(text)
        elif name == "yyyy":
            fixed += 4
            parts.append(r"(?P<yyyy>[0-9]{4})")
            canonical.append("{yyyy}")
        elif name == "yy":
            fixed += 2
            parts.append(r"(?P<yy>[0-9]{2})")
            canonical.append("{yy}")
        elif name == "mm":
            fixed += 2
            parts.append(r"(?P<mm>0[1-9]|1[0-2])")
            canonical.append("{mm}")
        else:
            parts.append(r"(?P<seq>[0-9]+)")
            canonical.append("{seq}" if width == 1 else f"{{seq:0{width}}}")
    shortest = fixed + width
    if shortest > MAX_NUMBER_LENGTH:
        raise _pattern_error(
            f"the pattern makes numbers of at least {shortest} characters",
            pattern,
            f"shorten the prefix or the counter width: an invoice number holds at most "
            f"{MAX_NUMBER_LENGTH} characters (BR-FR-01)",
        )
    year_token = "yyyy" if "yyyy" in seen else "yy" if "yy" in seen else None
    return _Compiled(
        segments=tuple(segments),
        width=width,
        fixed_length=fixed,
        year_token=year_token,
        has_month="mm" in seen,
        regex=re.compile("".join(parts)),
        canonical="".join(canonical),
    )


def _render(compiled: _Compiled, counter: int, on: date) -> str:
    """Fill *compiled* with *counter* and *on*, without any length check."""
    out: list[str] = []
    for name, text in compiled.segments:
        if name == "lit":
            out.append(text)
        elif name == "yyyy":
            out.append(f"{on.year:04d}")
        elif name == "yy":
            out.append(f"{on.year % 100:02d}")
        elif name == "mm":
            out.append(f"{on.month:02d}")
        else:
            out.append(f"{counter:0{compiled.width}d}")
    return "".join(out)


def _match(compiled: _Compiled, number: str) -> ParsedNumber | None:
    """Read *number* with *compiled*, without any length check."""
    found = compiled.regex.fullmatch(number)
    if found is None:
        return None
    digits = found.group("seq")
    if len(digits) > MAX_NUMBER_LENGTH:
        return None  # no lawful number has such a counter (and int() would refuse it)
    counter = int(digits)
    # Only the canonical rendering counts: "0042" is not a {seq} number, "42" not a {seq:04} one.
    if counter < 1 or f"{counter:0{compiled.width}d}" != digits:
        return None
    year: int | None = None
    if compiled.year_token == "yyyy":
        year = int(found.group("yyyy"))
        if year < 1:
            return None
    elif compiled.year_token == "yy":
        year = 2000 + int(found.group("yy"))
    month = int(found.group("mm")) if compiled.has_month else None
    return ParsedNumber(counter=counter, year=year, month=month)


def _check_date(on: object, field: str) -> date:
    if isinstance(on, datetime):
        raise NumberingError(
            "expected a date, got a datetime",
            field=field,
            value=on,
            hint="pass on.date(); facturlib works with calendar dates only",
        )
    if not isinstance(on, date):
        raise NumberingError(
            f"expected a datetime.date, got {type(on).__name__}",
            field=field,
            value=on,
            hint="pass a datetime.date such as date(2025, 1, 15)",
        )
    return on


def _check_counter(counter: object) -> int:
    if isinstance(counter, bool) or not isinstance(counter, int) or counter < 1:
        raise NumberingError(
            "the counter must be a positive int",
            field="counter",
            value=counter,
            hint="counters start at 1",
        )
    return counter


def _refuse_proforma(kind: object) -> DocumentKind:
    if not isinstance(kind, DocumentKind):
        raise NumberingError(
            f"expected a DocumentKind, got {type(kind).__name__}",
            field="kind",
            value=kind,
            hint="pass a facturlib DocumentKind such as DocumentKind.INVOICE",
        )
    if not kind.is_numbered:
        raise NumberingError(
            "a proforma is not an invoice and never gets a number",
            field="kind",
            value=kind,
            hint="number the invoice made from the proforma instead (EN 16931 BT-3)",
        )
    return kind


# --------------------------------------------------------------------------- schemes


@attrs.frozen(kw_only=True)
class ParsedNumber:
    """What `NumberingScheme.parse` reads back from a number.

    Attributes:
        counter: the sequential counter (1 for the first number of a period).
        year: the year written in the number, or ``None`` if the pattern has none;
            a two-digit ``{yy}`` year is read as ``2000 + yy``.
        month: the month written in the number, or ``None`` if the pattern has none.

    .. versionadded:: 0.1
    """

    counter: int
    year: int | None = None
    month: int | None = None


def _check_pattern(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        raise _pattern_error(
            f"expected a str pattern, got {type(value).__name__}",
            value,
            "write a pattern such as 'FA-{yyyy}-{seq:04}'",
        )
    _compile(value)


def _check_reset(
    instance: NumberingScheme, attribute: attrs.Attribute[Reset], value: Reset
) -> None:
    compiled = _compile(instance.pattern)
    if value is Reset.YEARLY and compiled.year_token is None:
        raise _pattern_error(
            "a yearly reset needs a year token in the pattern",
            instance.pattern,
            "add {yyyy} (e.g. 'FA-{yyyy}-{seq:04}') or use reset='never'; otherwise the "
            f"numbers of each year would repeat those of the last, a duplicate ({_LAW})",
        )
    if value is Reset.MONTHLY and (compiled.year_token is None or not compiled.has_month):
        raise _pattern_error(
            "a monthly reset needs a year and a month token in the pattern",
            instance.pattern,
            "add {yyyy} and {mm} (e.g. 'FA-{yyyy}{mm}-{seq:03}') or reset less often; otherwise "
            f"the numbers of each month would repeat, a duplicate ({_LAW})",
        )


@attrs.frozen(kw_only=True)
class NumberingScheme:
    """One numbering series: a pattern and a reset rule (CGI ann. II 242 nonies A).

    The pattern mixes literal characters with tokens:

    * ``{yyyy}`` the four-digit year, ``{yy}`` its last two digits, ``{mm}`` the month;
    * ``{seq}`` the counter, or ``{seq:0N}`` zero-padded to N digits (N from 1 to 12);
      a counter that outgrows the padding just gets longer.

    The pattern is checked when the scheme is built: exactly one counter token;
    no unknown token or stray brace; literal characters from ``A-Z a-z 0-9 + - _ /``
    only (BR-FR-02); numbers of at most 35 characters (BR-FR-01); and a year token
    for a yearly reset, a year and a month token for a monthly one, since otherwise
    the numbers of each period would repeat those of the previous one.

    Attributes:
        pattern: e.g. ``"FA-{yyyy}-{seq:04}"`` or ``"AV{yy}{mm}{seq:03}"``.
        reset: when the counter starts again at 1 (a `Reset` or its value);
            default yearly.
        series: the key of this series in a `SequenceState`; defaults to the
            pattern itself (see `key`). Set it to keep a series' counter when its
            pattern changes.

    >>> from datetime import date
    >>> scheme = NumberingScheme(pattern="FA-{yyyy}-{seq:04}")
    >>> scheme.format(43, date(2025, 6, 1))
    'FA-2025-0043'
    >>> scheme.parse("FA-2025-0043")
    ParsedNumber(counter=43, year=2025, month=None)
    >>> NumberingScheme(pattern="FA-{seq:04}")
    Traceback (most recent call last):
    ...
    facturlib.core.errors.NumberingError: a yearly reset needs a year token in the pattern ...

    .. versionadded:: 0.1
    """

    pattern: str = attrs.field(validator=_check_pattern)
    reset: Reset = attrs.field(default=Reset.YEARLY, converter=_to_reset, validator=_check_reset)
    series: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )

    @property
    def _compiled(self) -> _Compiled:
        return _compile(self.pattern)

    @property
    def key(self) -> str:
        """The key of this series in a `SequenceState`: `series`, or else the pattern.

        .. versionadded:: 0.1
        """
        return self.series if self.series is not None else self.pattern

    @property
    def max_counter(self) -> int:
        """The largest counter whose number still fits in 35 characters (BR-FR-01).

        >>> NumberingScheme(pattern="FACTURE-CLIENT-{yyyy}-{seq:06}").max_counter
        999999999999999

        .. versionadded:: 0.1
        """
        return int(10 ** (MAX_NUMBER_LENGTH - self._compiled.fixed_length)) - 1

    def format(self, counter: int, on: date) -> str:
        """The number for *counter* in a document issued *on*.

        Args:
            counter: the position in the period, from 1.
            on: the issue date, which fills the year and month tokens.

        Returns:
            The number, at most 35 characters long.

        Raises:
            NumberingError: *counter* is not a positive int, *on* is not a date, or
                the number would exceed 35 characters (the series is full).

        >>> from datetime import date
        >>> scheme = NumberingScheme(pattern="AV{yy}{mm}-{seq:03}", reset="monthly")
        >>> scheme.format(7, date(2025, 3, 9))
        'AV2503-007'

        .. versionadded:: 0.1
        """
        _check_counter(counter)
        _check_date(on, "on")
        number = _render(self._compiled, counter, on)
        if len(number) > MAX_NUMBER_LENGTH:
            raise NumberingError(
                f"the number {number} has {len(number)} characters, more than the "
                f"{MAX_NUMBER_LENGTH} an invoice number may have (BR-FR-01)",
                field="counter",
                value=counter,
                hint=f"the series {self.key!r} is full after {self.max_counter}; start a new "
                "series with a shorter prefix or a reset rule",
            )
        return number

    def period_of(self, on: date) -> str:
        """The reset period *on* belongs to: ``""``, ``"2025"`` or ``"2025-03"``.

        The counter starts again at 1 whenever this period changes.

        >>> from datetime import date
        >>> NumberingScheme(pattern="F{yyyy}{mm}{seq}", reset="monthly").period_of(date(2025, 3, 9))
        '2025-03'

        .. versionadded:: 0.1
        """
        _check_date(on, "on")
        return _period(self.reset, on.year, on.month)

    def parse(self, number: str) -> ParsedNumber | None:
        """Read the counter, and the year and month if the pattern has them, from *number*.

        Only numbers this scheme could have made are read: the counter must be
        written as `format` writes it (``"FA-2025-043"`` is not a
        ``{seq:04}`` number), and the number must fit in 35 characters.

        Returns:
            A `ParsedNumber`, or ``None`` if *number* does not match the pattern.

        >>> scheme = NumberingScheme(pattern="FA-{yyyy}-{seq:04}")
        >>> scheme.parse("AV-2025-0001") is None
        True

        .. versionadded:: 0.1
        """
        if not isinstance(number, str) or len(number) > MAX_NUMBER_LENGTH:
            return None
        return _match(self._compiled, number)

    def scheme_for(self, kind: DocumentKind, entity: str | None = None) -> NumberingScheme:
        """Return this scheme for any numbered kind, so a scheme is a `Numbering`.

        Raises:
            NumberingError: *kind* is a proforma, which never gets a number.

        .. versionadded:: 0.1
        """
        _refuse_proforma(kind)
        return self


def _period(reset: Reset, year: int, month: int) -> str:
    if reset is Reset.NEVER:
        return ""
    if reset is Reset.YEARLY:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}"


def _number_breaks(number: object) -> str | None:
    """Why *number* cannot be an invoice number (BR-FR-01/02), or ``None`` if it can
    (private: `facturlib.core.integrity` re-checks stored numbers with it)."""
    if not isinstance(number, str) or not number:
        return "an issued invoice needs a number (BT-1)"
    if len(number) > MAX_NUMBER_LENGTH:
        return f"the number has more than {MAX_NUMBER_LENGTH} characters (BR-FR-01)"
    bad = sorted({char for char in number if char not in _CHARSET})
    if bad:
        return (
            f"the number holds {', '.join(map(repr, bad))}; only A-Z a-z 0-9 + - _ / are "
            "allowed (BR-FR-02)"
        )
    return None


# --------------------------------------------------------------------------- state


def _positive_int(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise NumberingError(
            "must be a positive int", field=attribute.name, value=value, hint="counters start at 1"
        )


def _is_str(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        raise NumberingError(
            f"expected a str, got {type(value).__name__}", field=attribute.name, value=value
        )


def _is_date(instance: object, attribute: attrs.Attribute[date], value: object) -> None:
    _check_date(value, attribute.name)


@attrs.frozen(kw_only=True)
class SeriesPosition:
    """Where one series stands: the last number given and when.

    Attributes:
        counter: the counter of the last number.
        period: the reset period of the last number (see `NumberingScheme.period_of`).
        last_date: the issue date of the last number.
        last_number: the last number itself.

    .. versionadded:: 0.1
    """

    counter: int = attrs.field(validator=_positive_int)
    period: str = attrs.field(validator=_is_str)
    last_date: date = attrs.field(validator=_is_date)
    last_number: str = attrs.field(validator=_is_str)

    def __attrs_post_init__(self) -> None:
        # A period that is not the last date's would restart or continue the wrong
        # counter, and so repeat a number (issue 16).
        year, month = self.last_date.year, self.last_date.month
        if self.period not in ("", f"{year:04d}", f"{year:04d}-{month:02d}"):
            raise NumberingError(
                "the period of a series position does not match its last date",
                field="period",
                value=self.period,
                hint=f"the last number is dated {self.last_date.isoformat()}: its period is "
                f'"" (never reset), "{year:04d}" (yearly) or "{year:04d}-{month:02d}" '
                "(monthly), as NumberingScheme.period_of gives",
            )


Positions = tuple[tuple[str, SeriesPosition], ...]


def _sorted_positions(value: Iterable[tuple[str, SeriesPosition]]) -> Positions:
    items = to_tuple(value, "positions")
    if all(isinstance(item, tuple) and len(item) == 2 for item in items):
        return tuple(sorted(items, key=lambda item: str(item[0])))
    return items  # the validator says what is wrong


def _check_positions(
    instance: object, attribute: attrs.Attribute[Positions], value: Positions
) -> None:
    seen: set[str] = set()
    for index, item in enumerate(value):
        if not (
            isinstance(item, tuple)
            and len(item) == 2
            and isinstance(item[0], str)
            and isinstance(item[1], SeriesPosition)
        ):
            raise NumberingError(
                "expected (key, SeriesPosition) pairs",
                field=f"positions[{index}]",
                value=item,
                hint="build states with SequenceState() and with_position()",
            )
        if item[0] in seen:
            raise NumberingError(
                "a series appears twice in the state",
                field="positions",
                value=item[0],
                hint="keep one position per series key",
            )
        seen.add(item[0])


def _revision(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise NumberingError(
            "a state revision is a whole number, 0 or more",
            field="revision",
            value=value,
            hint="store the revision next to the state and pass it back unchanged",
        )


@attrs.frozen(kw_only=True)
class SequenceState:
    """The position of every numbering series, as an immutable value.

    ``SequenceState()`` is the start of everything. `next_number` returns a new
    state; store it in the same transaction that freezes the issued document
    (CGI ann. II 242 nonies A), and pass it back on the next call. The positions are kept
    sorted by key, so two states with the same positions are equal.

    Attributes:
        positions: ``(key, SeriesPosition)`` pairs, one per series key.
        revision: how many times the state has moved on (`with_position`, and so
            every number given, adds one). A storage wrapper stores it with the
            state and writes a new state only where the stored revision is still the
            one it read (compare-and-swap), or passes it to `facturlib.issue` as
            ``expected_revision``; see the "Integrity" page of the docs. It takes no
            part in equality: two states at the same positions are equal.

            .. versionadded:: 0.2

    >>> from datetime import date
    >>> position = SeriesPosition(
    ...     counter=42, period="2025", last_date=date(2025, 6, 1), last_number="FA-2025-0042"
    ... )
    >>> state = SequenceState().with_position("FA-{yyyy}-{seq:04}", position)
    >>> state.position("FA-{yyyy}-{seq:04}").counter
    42
    >>> state.position("AV-{yyyy}-{seq:04}") is None
    True

    .. versionadded:: 0.1
    """

    positions: Positions = attrs.field(
        default=(), converter=_sorted_positions, validator=_check_positions
    )
    revision: int = attrs.field(default=0, validator=_revision, eq=False)

    @classmethod
    def from_mapping(cls, positions: Mapping[str, SeriesPosition]) -> SequenceState:
        """Build a state from a ``{key: SeriesPosition}`` mapping.

        .. versionadded:: 0.1
        """
        return cls(positions=tuple(positions.items()))

    def position(self, key: str) -> SeriesPosition | None:
        """The position of the series *key*, or ``None`` if it has not started.

        .. versionadded:: 0.1
        """
        for found, position in self.positions:
            if found == key:
                return position
        return None

    def with_position(self, key: str, position: SeriesPosition) -> SequenceState:
        """A copy of this state with the series *key* at *position*.

        .. versionadded:: 0.1
        """
        kept = tuple(item for item in self.positions if item[0] != key)
        return attrs.evolve(self, positions=(*kept, (key, position)), revision=self.revision + 1)


def _check_position(scheme: NumberingScheme, key: str, position: SeriesPosition) -> None:
    """Refuse a position whose last number is not the one its counter and date give:
    counting on from it would repeat or skip numbers (issue 16)."""
    if position.counter > scheme.max_counter:
        made = None
    else:
        made = scheme.format(position.counter, position.last_date)
    if made != position.last_number:
        raise NumberingError(
            "the state of the series is inconsistent: its last number is not the one "
            "its counter and date give",
            field="state",
            value=position.last_number,
            hint=f"counter {position.counter} on {position.last_date.isoformat()} gives "
            f"{made!r} under {scheme.pattern!r}; restore the state stored with the last "
            f"issued document of the series {key!r}",
        )
    if len(position.period) != len(scheme.period_of(position.last_date)):
        return  # a changed reset rule: next_number says so
    if position.period != scheme.period_of(position.last_date):
        raise NumberingError(
            "the state of the series is inconsistent: its period is not its last date's",
            field="state",
            value=position.period,
            hint=f"restore the state stored with the last issued document of the series {key!r}",
        )


def _period_shape(period: str) -> int:
    return len(period)


def next_number(
    scheme: NumberingScheme, state: SequenceState, on: date
) -> tuple[str, SequenceState]:
    """The next number of *scheme*'s series for a document issued *on*, and the new state.

    The counter goes up by one, and starts again at 1 when the reset period
    (`NumberingScheme.period_of`) changes. Nothing is changed in place: store
    the returned state with the issued document, in one transaction.

    Args:
        scheme: the series to draw from; its `~NumberingScheme.key` names it in *state*.
        state: the positions of the series so far (``SequenceState()`` at the start).
        on: the issue date.

    Returns:
        ``(number, new_state)``.

    Raises:
        NumberingError: *on* is earlier than the date of the series' last number
            (a later number never bears an earlier date); the
            series' reset rule changed under the same key; or the series is full.

    >>> from datetime import date
    >>> scheme = NumberingScheme(pattern="FA-{yyyy}-{seq:04}")
    >>> state = SequenceState().with_position(
    ...     scheme.key,
    ...     SeriesPosition(
    ...         counter=42, period="2025", last_date=date(2025, 6, 1), last_number="FA-2025-0042"
    ...     ),
    ... )
    >>> next_number(scheme, state, date(2025, 6, 2))[0]
    'FA-2025-0043'

    .. versionadded:: 0.1
    """
    if not isinstance(scheme, NumberingScheme):
        raise NumberingError(
            f"expected a NumberingScheme, got {type(scheme).__name__}",
            field="scheme",
            value=scheme,
            hint="pick one with plan.scheme_for(kind, entity)",
        )
    if not isinstance(state, SequenceState):
        raise NumberingError(
            f"expected a SequenceState, got {type(state).__name__}",
            field="state",
            value=state,
            hint="start with SequenceState()",
        )
    _check_date(on, "on")
    key = scheme.key
    period = scheme.period_of(on)
    position = state.position(key)
    if position is None:
        counter = 1
    else:
        _check_position(scheme, key, position)
        if on < position.last_date:
            raise NumberingError(
                "issue date is earlier than the last number of the series",
                field="on",
                value=on,
                hint=f"{position.last_number} was issued on {position.last_date.isoformat()}; "
                f"issue on or after that date, since a later number never bears an earlier "
                f"date ({_LAW})",
            )
        if _period_shape(position.period) != _period_shape(period):
            raise NumberingError(
                "the reset rule of the series changed",
                field="scheme",
                value=scheme.reset.value,
                hint=f"the series {key!r} was last counted per period {position.period!r}; "
                "changing its reset rule could repeat numbers, so give the new scheme its own "
                "series= key",
            )
        counter = position.counter + 1 if position.period == period else 1
    number = scheme.format(counter, on)
    new_position = SeriesPosition(counter=counter, period=period, last_date=on, last_number=number)
    return number, state.with_position(key, new_position)


# --------------------------------------------------------------------------- plans


@runtime_checkable
class Numbering(Protocol):
    """Anything that picks the numbering scheme of a document: a scheme or a plan.

    .. versionadded:: 0.1
    """

    def scheme_for(self, kind: DocumentKind, entity: str | None = None) -> NumberingScheme:
        """The scheme that numbers documents of *kind* for *entity*."""
        ...


def _to_kinds(value: DocumentKind | str | Iterable[DocumentKind | str]) -> frozenset[DocumentKind]:
    items = (value,) if isinstance(value, DocumentKind | str) else to_tuple(value, "kinds")
    kinds: set[DocumentKind] = set()
    for item in items:
        try:
            kinds.add(item if isinstance(item, DocumentKind) else DocumentKind(item))
        except (ValueError, TypeError):
            raise NumberingError(
                "unknown document kind",
                field="kinds",
                value=item,
                hint="use DocumentKind members such as DocumentKind.INVOICE",
            ) from None
    return frozenset(kinds)


def _check_kinds(
    instance: object, attribute: attrs.Attribute[frozenset[DocumentKind]], value: frozenset[Any]
) -> None:
    if not value:
        raise NumberingError(
            "a series rule must cover at least one document kind",
            field="kinds",
            value=value,
            hint="pass e.g. kinds={DocumentKind.INVOICE}",
        )
    if DocumentKind.PROFORMA in value:
        raise NumberingError(
            "a proforma is not an invoice and never gets a number",
            field="kinds",
            value=DocumentKind.PROFORMA,
            hint="remove PROFORMA from the kinds (EN 16931 BT-3)",
        )


def _is_scheme(
    instance: object, attribute: attrs.Attribute[NumberingScheme], value: object
) -> None:
    if not isinstance(value, NumberingScheme):
        raise NumberingError(
            f"expected a NumberingScheme, got {type(value).__name__}",
            field=attribute.name,
            value=value,
            hint="pass NumberingScheme(pattern=...)",
        )


@attrs.frozen(kw_only=True)
class SeriesRule:
    """Which documents a scheme numbers: some kinds, for one entity or for all.

    Attributes:
        scheme: the series.
        kinds: the document kinds it numbers (never `~DocumentKind.PROFORMA`).
        entity: the seller's SIREN or any key of the caller; ``None`` matches
            every entity that has no rule of its own for the kind.

    .. versionadded:: 0.1
    """

    scheme: NumberingScheme = attrs.field(validator=_is_scheme)
    kinds: frozenset[DocumentKind] = attrs.field(converter=_to_kinds, validator=_check_kinds)
    entity: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )


def _may_share_entity(first: SeriesRule, second: SeriesRule) -> bool:
    return first.entity is None or second.entity is None or first.entity == second.entity


def _collision(first: NumberingScheme, second: NumberingScheme) -> str | None:
    """A number both schemes can make, or ``None`` if none was found.

    Identical patterns always collide. Otherwise a few sample numbers of each
    scheme are read with the other: a best-effort check that catches shared
    prefixes such as ``FA-{yyyy}-{seq}`` and ``FA-2025-{seq}``.
    """
    a, b = first._compiled, second._compiled
    if a.canonical == b.canonical:
        return _render(a, 1, date(2025, 1, 1))
    big = 10 ** max(a.width, b.width)
    for counter in (1, big):
        for on in (date(2025, 1, 1), date(2025, 12, 1)):
            for made, reader in ((a, b), (b, a)):
                number = _render(made, counter, on)
                if _match(reader, number) is not None:
                    return number
    return None


def _to_rules(value: Iterable[SeriesRule]) -> tuple[SeriesRule, ...]:
    if isinstance(value, SeriesRule):
        return (value,)
    return to_tuple(value, "rules")


def _check_rules(
    instance: object, attribute: attrs.Attribute[tuple[SeriesRule, ...]], value: tuple[Any, ...]
) -> None:
    if not value:
        raise NumberingError(
            "a numbering plan needs at least one rule",
            field="rules",
            value=value,
            hint="pass rules=(SeriesRule(scheme=..., kinds={DocumentKind.INVOICE}),)",
        )
    owner: dict[tuple[DocumentKind, str | None], int] = {}
    by_key: dict[str, NumberingScheme] = {}
    for index, rule in enumerate(value):
        if not isinstance(rule, SeriesRule):
            raise NumberingError(
                f"expected a SeriesRule, got {type(rule).__name__}",
                field=f"rules[{index}]",
                value=rule,
                hint="wrap each scheme in SeriesRule(scheme=..., kinds=...)",
            )
        for kind in sorted(rule.kinds, key=lambda k: k.value):
            other = owner.setdefault((kind, rule.entity), index)
            if other != index:
                whom = "any entity" if rule.entity is None else f"entity {rule.entity!r}"
                raise NumberingError(
                    f"rules {other} and {index} both number {kind.value} documents of {whom}",
                    field=f"rules[{index}]",
                    value=rule,
                    hint="give each (kind, entity) pair a single rule",
                )
        known = by_key.setdefault(rule.scheme.key, rule.scheme)
        if known != rule.scheme:
            raise NumberingError(
                f"two different schemes use the series key {rule.scheme.key!r}",
                field=f"rules[{index}]",
                value=rule.scheme,
                hint="give each scheme its own series= key, or use the very same scheme",
            )
    for i, first in enumerate(value):
        for j in range(i + 1, len(value)):
            second = value[j]
            if first.scheme.key == second.scheme.key or not _may_share_entity(first, second):
                continue
            shared = _collision(first.scheme, second.scheme)
            if shared is not None:
                raise NumberingError(
                    f"the series {first.scheme.key!r} and {second.scheme.key!r} can both make "
                    f"the number {shared}",
                    field=f"rules[{j}]",
                    value=second.scheme.pattern,
                    hint=f"give each series a distinct prefix, e.g. 'FA-' and 'AV-' ({_LAW})",
                )


@attrs.frozen(kw_only=True)
class NumberingPlan:
    """The numbering series of a business, and which documents each one numbers.

    `scheme_for` picks the most specific rule: one naming the entity beats one
    for any entity (``entity=None``). The plan is checked when built: a (kind,
    entity) pair has at most one rule; a series key names one scheme only; and
    two series that could be used for the same entity must not be able to make
    the same number (CGI ann. II 242 nonies A recommends a distinct prefix per series).
    Series of distinct entities (two sellers) may share a pattern.

    Attributes:
        rules: the `SeriesRule` of each series.

    >>> invoices = NumberingScheme(pattern="FA-{yyyy}-{seq:04}")
    >>> credits = NumberingScheme(pattern="AV-{yyyy}-{seq:04}")
    >>> plan = NumberingPlan(rules=(
    ...     SeriesRule(scheme=invoices, kinds={DocumentKind.INVOICE, DocumentKind.DEPOSIT}),
    ...     SeriesRule(scheme=credits, kinds={DocumentKind.CREDIT_NOTE}),
    ... ))
    >>> plan.scheme_for(DocumentKind.CREDIT_NOTE).pattern
    'AV-{yyyy}-{seq:04}'

    .. versionadded:: 0.1
    """

    rules: tuple[SeriesRule, ...] = attrs.field(converter=_to_rules, validator=_check_rules)

    def scheme_for(self, kind: DocumentKind, entity: str | None = None) -> NumberingScheme:
        """The scheme that numbers documents of *kind* for *entity*.

        Args:
            kind: the document kind; a proforma is refused.
            entity: the seller's SIREN or the caller's key, or ``None``.

        Raises:
            NumberingError: *kind* is a proforma, or no rule covers it.

        .. versionadded:: 0.1
        """
        _refuse_proforma(kind)
        wanted = optional_str(entity)
        wildcard: NumberingScheme | None = None
        for rule in self.rules:
            if kind not in rule.kinds:
                continue
            if wanted is not None and rule.entity == wanted:
                return rule.scheme
            if rule.entity is None:
                wildcard = rule.scheme
        if wildcard is not None:
            return wildcard
        whom = "" if wanted is None else f" of entity {wanted!r}"
        raise NumberingError(
            f"no numbering rule for {kind.value} documents{whom}",
            field="kind",
            value=kind,
            hint="add a SeriesRule covering this kind (and entity) to the plan",
        )


# --------------------------------------------------------------------------- audits


@attrs.frozen
class _Entry:
    number: str
    on: date
    counter: int
    period: str
    shown: date  # a date whose year and month render this number's date tokens


def _expand_yy(yy: int, near: int) -> int:
    """The year ending in *yy* closest to *near*."""
    year = near - ((near - yy) % 100)
    if near - year > 50 or year < 1:
        year += 100
    return year if year <= 9999 else year - 100


def _run_message(first: str, last: str, run: int) -> str:
    if run == 1:
        return f"{first} is missing"
    if run == 2:
        return f"{first} and {last} are missing"
    return f"{first} … {last} ({run} numbers) are missing"


_AUDIT_HINT = 'pass (number, issue date) pairs, e.g. [("FA-2025-0001", date(2025, 1, 15))]'


def audit_numbers(
    entries: Iterable[tuple[str, date]], scheme: NumberingScheme
) -> tuple[Problem, ...]:
    """Check issued numbers against *scheme* and the law (CGI ann. II 242 nonies A).

    Reports, as `~facturlib.core.errors.Problem` records:

    * ``"duplicate"``: the same number appears more than once;
    * ``"gap"``: counters missing between 1 and the highest counter of a reset
      period, one problem per run of missing numbers (long runs are shortened to
      ``"FA-2025-0003 … FA-2025-0007 (5 numbers)"``); date tokens that the reset
      period does not fix are shown as in the number just before the gap;
    * ``"out_of_order"``: a higher counter in the same period bearing an earlier
      date than a lower one;
    * ``"foreign"``: a number that does not match the pattern (or longer than 35
      characters, BR-FR-01); it is left out of the other checks;
    * ``"period_mismatch"``: the year or month written in the number differs
      from the entry's date.

    The counter's period is read from the number itself. Gaps are counted from
    1, so pass every number of each period being audited.

    Args:
        entries: ``(number, issue_date)`` pairs, in any order.
        scheme: the scheme the numbers should follow.

    Returns:
        The problems, sorted by period and counter (foreign numbers last); empty
        if all is well. Bad data never raises.

    >>> from datetime import date
    >>> scheme = NumberingScheme(pattern="FA-{yyyy}-{seq:04}")
    >>> problems = audit_numbers(
    ...     [
    ...         ("FA-2025-0001", date(2025, 1, 2)),
    ...         ("FA-2025-0002", date(2025, 1, 9)),
    ...         ("FA-2025-0003", date(2025, 1, 5)),
    ...         ("FA-2025-0003", date(2025, 1, 10)),
    ...         ("FA-2024-0004", date(2025, 1, 11)),
    ...         ("FA 2025 0005", date(2025, 1, 12)),
    ...     ],
    ...     scheme,
    ... )
    >>> [(problem.code, problem.reference) for problem in problems]
    [('gap', 'FA-2024-0001'), ('period_mismatch', 'FA-2024-0004'),
     ('duplicate', 'FA-2025-0003'), ('out_of_order', 'FA-2025-0003'),
     ('foreign', 'FA 2025 0005')]
    >>> print(problems[0].message)
    FA-2024-0001 … FA-2024-0003 (3 numbers) are missing; a series has no gap (CGI ann. II ...)
    >>> print(problems[3].message)
    FA-2025-0003 is dated 2025-01-05, earlier than FA-2025-0002 dated 2025-01-09; a later
    number never bears an earlier date (CGI ann. II 242 nonies A)

    .. versionadded:: 0.1
    """
    # Malformed pairs are reported as problems, not raised; the sequence itself must be one.
    entries = items_of(entries, object, "entries", error=NumberingError, hint=_AUDIT_HINT)
    check_instance(scheme, NumberingScheme, "scheme", error=NumberingError)
    compiled = scheme._compiled
    found: list[tuple[tuple[int, str, int, int, str, str], Problem]] = []
    order = {"duplicate": 0, "gap": 1, "out_of_order": 2, "period_mismatch": 3, "foreign": 4}

    def report(code: str, message: str, reference: str, period: str = "", counter: int = 0) -> None:
        rank = 1 if code == "foreign" else 0
        problem = Problem(code=code, message=message, reference=reference)
        found.append(((rank, period, counter, order[code], reference, message), problem))

    parsed: list[_Entry] = []
    for item in entries:
        if not (isinstance(item, tuple | list) and len(item) == 2):
            report("foreign", f"{item!r} is not a (number, date) pair", repr(item))
            continue
        number, on = item
        if not isinstance(number, str) or not isinstance(on, date):
            report("foreign", f"{item!r} is not a (number, date) pair", repr(item))
            continue
        if isinstance(on, datetime):
            on = on.date()
        read = _match(compiled, number)
        if read is None or len(number) > MAX_NUMBER_LENGTH:
            why = (
                f"is longer than {MAX_NUMBER_LENGTH} characters (BR-FR-01)"
                if len(number) > MAX_NUMBER_LENGTH
                else f"does not match the pattern {scheme.pattern}"
            )
            text = number if len(number) <= 80 else f"{number[:40]}…{number[-10:]}"
            report("foreign", f"{text} {why}", text)
            continue
        year = on.year
        if read.year is not None:
            year = (
                _expand_yy(read.year % 100, on.year) if compiled.year_token == "yy" else read.year
            )
        month = read.month if read.month is not None else on.month
        entry = _Entry(
            number=number,
            on=on,
            counter=read.counter,
            period=_period(scheme.reset, year, month),
            shown=date(year, month, 1),
        )
        parsed.append(entry)
        if year != on.year or month != on.month:
            if read.year is None:
                written = f"month {month:02d}"
            elif read.month is None:
                written = f"{year:04d}"
            else:
                written = f"{year:04d}-{month:02d}"
            report(
                "period_mismatch",
                f"{number} bears the period {written} but is dated {on.isoformat()}; "
                "write the issue date's year and month in the number",
                number,
                entry.period,
                entry.counter,
            )

    counts = Counter(entry.number for entry in parsed)
    by_period: dict[str, dict[int, list[_Entry]]] = {}
    for entry in parsed:
        by_period.setdefault(entry.period, {}).setdefault(entry.counter, []).append(entry)

    for period, by_counter in by_period.items():
        counters = sorted(by_counter)
        for counter in counters:
            for number in sorted({entry.number for entry in by_counter[counter]}):
                if counts[number] > 1:
                    report(
                        "duplicate",
                        f"{number} appears {counts[number]} times; a number is given once ({_LAW})",
                        number,
                        period,
                        counter,
                    )
        previous = 0
        for counter in counters:
            if counter > previous + 1:
                # Show the missing numbers with the date tokens of the number before the gap.
                before = by_counter[previous] if previous else by_counter[counter]
                shown = min(entry.shown for entry in before)
                first = _render(compiled, previous + 1, shown)
                last = _render(compiled, counter - 1, shown)
                report(
                    "gap",
                    f"{_run_message(first, last, counter - 1 - previous)}; a series has no gap "
                    f"({_LAW})",
                    first,
                    period,
                    previous + 1,
                )
            previous = counter
        latest: _Entry | None = None
        for counter in counters:
            group = sorted(
                {(entry.on, entry.number): entry for entry in by_counter[counter]}.values(),
                key=lambda entry: (entry.on, entry.number),
            )
            if latest is not None:
                for entry in group:
                    if entry.on < latest.on:
                        report(
                            "out_of_order",
                            f"{entry.number} is dated {entry.on.isoformat()}, earlier than "
                            f"{latest.number} dated {latest.on.isoformat()}; a later number "
                            f"never bears an earlier date ({_LAW})",
                            entry.number,
                            period,
                            counter,
                        )
            if latest is None or group[-1].on > latest.on:
                latest = group[-1]
    found.sort(key=lambda pair: pair[0])
    return tuple(problem for _, problem in found)
