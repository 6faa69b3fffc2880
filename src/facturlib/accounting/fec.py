"""FEC export (fichier des écritures comptables), its reader and checker, and a plain CSV.

French companies keeping computerised books must hand the tax authorities their
entries as an FEC file (LPF A47 A-1; BOI-CF-IOR-60-40-20):

* one flat file per fiscal year named ``<SIREN>FEC<AAAAMMJJ>.txt``, AAAAMMJJ being
  the closing date (`fec_filename`);
* the first line names the **18 columns** of `FEC_COLUMNS`, in that order; fields are
  separated by a tab or ``|`` (never found inside data), records by CR/LF;
* dates ``AAAAMMJJ``, amounts with a **decimal comma** and no thousands separator;
* entries in chronological order of validation, each ``EcritureNum`` balanced and
  numbered continuously — here ``<journal code><6 digits>``, one sequence per journal;
* charset ISO 8859-15 by default (the text lists ASCII, ISO 8859-15 and EBCDIC;
  UTF-8 acceptance is uncertain), configurable.

`export_fec` writes the entries of a year; `parse_fec` reads such a file back into
`facturlib.accounting.journal.JournalEntry` values: ``parse_fec(export_fec(entries).content)``
equals ``as_in_fec(entries)``, the entries in file order without due dates and
analytic codes (the FEC has no column for them); `check_fec` reads any FEC file
and returns every rule it breaks as `facturlib.core.errors.Problem`\\s. `export_csv` /
`parse_csv` are a plain CSV round trip that keeps every field.

>>> from datetime import date
>>> from facturlib.accounting.accounts import Account, Journal
>>> from facturlib.accounting.journal import JournalEntry, JournalLine, _entries_currency
>>> from facturlib.core.money import to_money
>>> entry = JournalEntry(journal=Journal("VT", "Ventes"), date=date(2025, 1, 15),
...     piece="FA-2025-0001", label="Facture FA-2025-0001 ACME SARL", lines=[
...         JournalLine(account=Account("411000", "Clients"), auxiliary="CLI0001",
...                     auxiliary_label="ACME SARL", debit=to_money("3240.00", "EUR")),
...         JournalLine(account=Account("706000", "Prestations de services"),
...                     credit=to_money("2700.00", "EUR")),
...         JournalLine(account=Account("445710", "TVA collectee"),
...                     credit=to_money("540.00", "EUR"))])
>>> fec = export_fec([entry], siren="732829320", closing=date(2025, 12, 31))
>>> fec.filename
'732829320FEC20251231.txt'
>>> fec.content.decode("iso-8859-15").splitlines()[1].split("|")
['VT', 'Ventes', 'VT000001', '20250115', '411000', 'Clients', 'CLI0001', 'ACME SARL',
 'FA-2025-0001', '20250115', 'Facture FA-2025-0001 ACME SARL', '3240,00', '0,00', '', '',
 '20250115', '', '']
>>> check_fec(fec.content, filename=fec.filename)
()
>>> parse_fec(fec.content) == (entry,)
True
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import operator
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs
from moneyed import Currency, Money
from stdnum.fr import siren as fr_siren

from facturlib.accounting.accounts import Account, Journal
from facturlib.accounting.journal import JournalEntry, JournalLine, _entries_currency
from facturlib.core._validators import (
    check_bool,
    check_date,
    check_instance,
    instance_of,
    items_of,
)
from facturlib.core.errors import LedgerError, Problem
from facturlib.core.money import currency as to_currency
from facturlib.core.money import minor_units

__all__ = [
    "CSV_COLUMNS",
    "FEC_COLUMNS",
    "FecFile",
    "as_in_fec",
    "check_fec",
    "export_csv",
    "export_fec",
    "fec_filename",
    "parse_csv",
    "parse_fec",
]

#: The 18 FEC columns, in the order the law sets (LPF A47 A-1).
FEC_COLUMNS = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)

#: The plain CSV columns: the FEC ones, then what the FEC has no column for.
CSV_COLUMNS = (*FEC_COLUMNS, "DateEcheance", "Analytique1", "Analytique2", "Devise", "BaseTVA")
#: The columns of files written by facturlib 0.1 (no ``BaseTVA``), which still load.
_CSV_COLUMNS_01 = CSV_COLUMNS[:-1]

#: The columns that may be empty: auxiliary account, lettering, foreign amount.
_OPTIONAL = ("CompAuxNum", "CompAuxLib", "EcritureLet", "DateLet", "Montantdevise", "Idevise")
_MANDATORY = tuple(name for name in FEC_COLUMNS if name not in _OPTIONAL)
_DATES = ("EcritureDate", "PieceDate", "DateLet", "ValidDate")
_FEC_AMOUNT = re.compile(r"^-?[0-9]+(,[0-9]+)?$")
_FILENAME = re.compile(r"^(?P<siren>[0-9]{9})FEC(?P<closing>[0-9]{8})(\.[A-Za-z]{3})?$")
_NUMBER = re.compile(r"^(?P<prefix>.*?)(?P<seq>[0-9]+)$")
_SEPARATORS = ("|", "\t")


@attrs.frozen(kw_only=True)
class FecFile:
    """An FEC file ready to hand over: its legal file name and its encoded content.

    .. versionadded:: 0.1
    """

    filename: str = attrs.field(validator=instance_of(str))
    content: bytes = attrs.field(validator=instance_of(bytes))
    encoding: str = attrs.field(validator=instance_of(str))
    media_type: str = attrs.field(default="text/plain", validator=instance_of(str))


_ENCODING_HINT = 'e.g. "iso-8859-15" or "utf-8"'
_CONTENT_HINT = "pass the file's bytes (or its text)"


def fec_filename(siren: str, closing: dt.date, extension: str = ".txt") -> str:
    """The legal name of an FEC file: ``<SIREN>FEC<closing date AAAAMMJJ>`` + *extension*.

    >>> fec_filename("732 829 320", dt.date(2025, 12, 31))
    '732829320FEC20251231.txt'

    Raises:
        LedgerError: *siren* is not a valid SIREN.

    .. versionadded:: 0.1
    """
    check_instance(siren, str, "siren", error=LedgerError, hint='e.g. "732829320"')
    check_date(closing, "closing", error=LedgerError)
    check_instance(extension, str, "extension", error=LedgerError, hint='".txt" or ".xml"')
    compact = fr_siren.compact(str(siren))
    if not fr_siren.is_valid(compact):
        raise LedgerError(
            "not a valid SIREN",
            field="siren",
            value=siren,
            hint="the FEC file is named after the company's 9-digit SIREN, e.g. 732829320",
        )
    return f"{compact}FEC{closing:%Y%m%d}{extension}"


# ------------------------------------------------------------------------- writing


def as_in_fec(entries: Iterable[JournalEntry]) -> tuple[JournalEntry, ...]:
    """*entries* as an FEC file keeps them: in chronological order of validation, without
    due dates, analytic codes and VAT bases, which have no FEC column.

    ``parse_fec(export_fec(entries, ...).content) == as_in_fec(entries)`` for any entries
    in one currency.

    .. versionadded:: 0.1
    """
    entries = items_of(entries, JournalEntry, "entries", error=LedgerError)
    return tuple(
        attrs.evolve(
            entry,
            lines=tuple(
                attrs.evolve(line, due_date=None, analytic1=None, analytic2=None, vat_base=None)
                for line in entry.lines
            ),
        )
        for entry in _ordered(entries)
    )


def _one_currency(entries: Sequence[JournalEntry], given: str | Currency | None) -> None:
    _entries_currency(
        entries,
        given,
        what="an FEC file is kept in one currency",
        hint="convert foreign-currency entries at an explicit rate first "
        "(the foreign amount goes to JournalLine.foreign_amount)",
    )


def _ordered(entries: Iterable[JournalEntry]) -> list[JournalEntry]:
    items = list(entries)
    for i, entry in enumerate(items):
        if not isinstance(entry, JournalEntry):
            raise LedgerError(
                f"expected a JournalEntry, got {type(entry).__name__}",
                field=f"entries[{i}]",
                value=entry,
            )
    return sorted(items, key=lambda entry: entry.validation_date or entry.date)


def _records(
    entries: Sequence[JournalEntry], date: Any, amount: Any
) -> Iterator[tuple[JournalEntry, JournalLine, dict[str, str]]]:
    """Every line as a record of FEC fields, with *date* and *amount* formatters; entries
    numbered ``<journal code><6 digits>``, one continuous sequence per journal."""
    counters: dict[str, int] = {}
    for entry in entries:
        code = entry.journal.code
        counters[code] = counters.get(code, 0) + 1
        number = f"{code}{counters[code]:06d}"
        places = minor_units(entry.currency)
        zero = Decimal(0).scaleb(-places)
        entry_date = date(entry.date)
        piece_date = date(entry.piece_date) if entry.piece_date else entry_date
        valid_date = date(entry.validation_date) if entry.validation_date else entry_date
        for line in entry.lines:
            foreign = line.foreign_amount
            yield (
                entry,
                line,
                {
                    "JournalCode": code,
                    "JournalLib": entry.journal.label,
                    "EcritureNum": number,
                    "EcritureDate": entry_date,
                    "CompteNum": line.account.number,
                    "CompteLib": line.account.label,
                    "CompAuxNum": line.auxiliary or "",
                    "CompAuxLib": line.auxiliary_label or "",
                    "PieceRef": entry.piece,
                    "PieceDate": piece_date,
                    "EcritureLib": line.label or entry.label,
                    "Debit": amount(line.debit.amount if line.debit else zero, places),
                    "Credit": amount(line.credit.amount if line.credit else zero, places),
                    "EcritureLet": line.lettering or "",
                    "DateLet": date(line.lettering_date) if line.lettering_date else "",
                    "ValidDate": valid_date,
                    "Montantdevise": amount(foreign.amount, minor_units(foreign.currency))
                    if foreign
                    else "",
                    "Idevise": foreign.currency.code if foreign else "",
                },
            )


def _fec_date(day: dt.date) -> str:
    return "%04d%02d%02d" % (day.year, day.month, day.day)  # noqa: UP031 - 3× faster


def _fec_amount(value: Decimal, places: int) -> str:
    return f"{value:.{places}f}".replace(".", ",")


def export_fec(
    entries: Iterable[JournalEntry],
    *,
    siren: str,
    closing: dt.date,
    separator: str = "|",
    encoding: str = "iso-8859-15",
    newline: str = "\r\n",
    currency: str | Currency | None = None,
    transliterate: bool = False,
) -> FecFile:
    """The FEC file of *entries* for the fiscal year closing on *closing* (LPF A47 A-1).

    Entries are written in chronological order of validation (their validation date,
    else their date; the order of *entries* is kept on a tie) and numbered
    ``VT000001``, ``VT000002``… per journal.

    Args:
        entries: the year's journal entries, in one currency.
        siren: the company's SIREN, for the file name.
        closing: the closing date of the fiscal year, for the file name.
        separator: ``"|"`` (default) or a tab ``"\\t"``.
        encoding: ``"iso-8859-15"`` (default), ``"ascii"`` or another Python codec name.
        newline: the record separator, CR LF by default.
        currency: the accounting currency if there are no entries (default EUR).
        transliterate: write a character *encoding* cannot hold as its closest
            letters (``ł`` → ``l``, ``ß`` → ``ss``, ``“`` → ``"``), or ``?`` when there is
            none, instead of refusing the whole file. Off by default: the FEC is a
            copy of the books, kept verbatim where the encoding allows.

            .. versionadded:: 0.2

    Returns:
        A `FecFile` with the legal file name and the encoded content.

    Raises:
        LedgerError: an invalid SIREN, a separator other than tab or pipe, entries in
            several currencies, an entry dated after *closing*, text the encoding
            cannot represent (the message names the character).

    .. versionadded:: 0.1
    """
    entries = items_of(entries, JournalEntry, "entries", error=LedgerError)
    check_date(closing, "closing", error=LedgerError)
    for name, text in (("separator", separator), ("encoding", encoding), ("newline", newline)):
        check_instance(text, str, name, error=LedgerError)
    if separator not in _SEPARATORS:
        raise LedgerError(
            "the FEC separator is a tab or a pipe",
            field="separator",
            value=separator,
            hint='pass separator="|" or separator="\\t"',
        )
    if newline not in ("\r\n", "\n", "\r"):
        raise LedgerError("records end with CR and/or LF", field="newline", value=newline)
    filename = fec_filename(siren, closing)
    items = _ordered(entries)
    _one_currency(items, currency)
    for entry in items:
        if entry.date > closing:
            raise LedgerError(
                f"entry {entry.piece} of {entry.date} is after the closing date {closing}",
                field="entries",
                value=entry.piece,
                hint="an FEC file holds the entries of one fiscal year",
            )
    check_bool(transliterate, "transliterate", error=LedgerError)
    rows = [separator.join(FEC_COLUMNS)]
    fields = operator.itemgetter(*FEC_COLUMNS)  # a record's fields in column order
    rows += [
        separator.join(fields(record)) for _, _, record in _records(items, _fec_date, _fec_amount)
    ]
    text = newline.join(rows) + newline
    if transliterate:
        text = _transliterated(text, encoding)
    try:
        content = text.encode(encoding)
    except LookupError:
        raise LedgerError(
            "unknown encoding", field="encoding", value=encoding, hint='use "iso-8859-15"'
        ) from None
    except UnicodeEncodeError as err:
        raise LedgerError(
            f"{encoding} cannot represent {err.object[err.start : err.end]!r}",
            field="encoding",
            value=encoding,
            hint="replace the character in the label, or choose another encoding "
            '(e.g. "utf-8", whose acceptance is uncertain)',
        ) from None
    return FecFile(filename=filename, content=content, encoding=encoding)


#: What a few frequent characters that ISO 8859-15 lacks become when transliterated
#: (Unicode NFKD handles accented letters; these have no decomposition).
_SPELLED = {
    "ß": "ss", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "æ": "ae",
    "Æ": "AE", "ı": "i", "‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"',
    "–": "-", "—": "-", "‐": "-", "‑": "-", "…": "...", "•": "-", "€": "EUR",
}  # fmt: skip


def _transliterated(text: str, encoding: str) -> str:
    """*text* with every character *encoding* cannot hold replaced by its closest
    letters or ``?`` (never by a separator: a decomposition such as the full-width
    ``｜`` into ``|`` would split a field)."""
    try:
        text.encode(encoding)
        return text
    except (UnicodeEncodeError, LookupError):
        pass
    out = []
    for char in text:
        try:
            char.encode(encoding)
            out.append(char)
            continue
        except UnicodeEncodeError:
            pass
        except LookupError:
            return text  # the unknown encoding is reported by the caller
        spelled = _SPELLED.get(char)
        if spelled is None:
            spelled = "".join(
                part
                for part in unicodedata.normalize("NFKD", char)
                if not unicodedata.combining(part) and _holds(part, encoding)
            )
        spelled = "".join(" " if _FORBIDDEN_TEXT.match(part) else part for part in spelled)
        out.append(spelled if spelled and _holds(spelled, encoding) else "?")
    return "".join(out)


def _holds(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


_FORBIDDEN_TEXT = re.compile("[\t|\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


# ------------------------------------------------------------------------- reading


@attrs.frozen
class _Row:
    """One record read back: its line number and fields by column name."""

    number: int
    fields: dict[str, str] = attrs.field(eq=False, hash=False)


def _decode(content: bytes | str, encoding: str) -> str:
    if isinstance(content, str):
        return content
    return content.decode(encoding)


def _read(content: bytes | str, encoding: str) -> tuple[list[_Row], list[Problem]]:
    """Split an FEC file into rows; report what breaks the file's structure."""
    problems: list[Problem] = []

    def problem(code: str, message: str, reference: str | None = None) -> None:
        problems.append(Problem(code=code, message=message, reference=reference))

    try:
        text = _decode(content, encoding)
    except (UnicodeDecodeError, LookupError) as err:
        problem("encoding", f"the file is not valid {encoding}: {err}")
        return [], problems
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        problem("empty", "the file is empty; its first line names the 18 columns")
        return [], problems
    header = lines[0]
    separator = "\t" if "\t" in header else "|" if "|" in header else None
    if separator is None:
        problem("separator", "the field separator is neither a tab nor a pipe", "line 1")
        return [], problems
    names = header.split(separator)
    if tuple(names) != FEC_COLUMNS:
        problem(
            "header",
            "the first line must name the 18 columns in order: " + "|".join(FEC_COLUMNS),
            "line 1",
        )
        return [], problems
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        values = line.split(separator)
        if len(values) != len(FEC_COLUMNS):
            problem(
                "field_count",
                f"{len(values)} fields instead of {len(FEC_COLUMNS)} "
                "(a separator inside the data?)",
                f"line {number}",
            )
            continue
        rows.append(_Row(number, dict(zip(FEC_COLUMNS, values, strict=True))))
    return rows, problems


def _date(text: str) -> dt.date | None:
    if not re.fullmatch(r"[0-9]{8}", text):
        return None
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        return None


def _amount(text: str) -> Decimal | None:
    if not _FEC_AMOUNT.match(text):
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern excludes it
        return None


def _row_problems(row: _Row) -> list[Problem]:
    where = f"line {row.number}"
    fields = row.fields
    found = []
    for name in _MANDATORY:
        if not fields[name].strip():
            found.append(Problem(code="missing", message=f"{name} is empty", reference=where))
    for name in _DATES:
        if fields[name] and _date(fields[name]) is None:
            found.append(
                Problem(
                    code="date",
                    message=f"{name} {fields[name]!r} is not a date AAAAMMJJ",
                    reference=where,
                )
            )
    for name in ("Debit", "Credit", "Montantdevise"):
        if fields[name] and _amount(fields[name]) is None:
            found.append(
                Problem(
                    code="amount",
                    message=f"{name} {fields[name]!r} is not an amount with a decimal comma "
                    "and no thousands separator",
                    reference=where,
                )
            )
    if fields["CompteNum"] and not re.match(r"^[0-9]{3}", fields["CompteNum"]):
        found.append(
            Problem(
                code="account",
                message=f"CompteNum {fields['CompteNum']!r} does not start with 3 PCG digits",
                reference=where,
            )
        )
    for a, b, code in (
        ("CompAuxNum", "CompAuxLib", "auxiliary"),
        ("EcritureLet", "DateLet", "lettering"),
        ("Montantdevise", "Idevise", "currency"),
    ):
        if bool(fields[a].strip()) != bool(fields[b].strip()):
            found.append(Problem(code=code, message=f"{a} and {b} go together", reference=where))
    if fields["Idevise"] and not re.fullmatch(r"[A-Z]{3}", fields["Idevise"]):
        found.append(
            Problem(
                code="currency",
                message=f"Idevise {fields['Idevise']!r} is not an ISO 4217 code",
                reference=where,
            )
        )
    return found


def _blocks(rows: Sequence[_Row]) -> list[list[_Row]]:
    """Consecutive rows sharing an EcritureNum."""
    blocks: list[list[_Row]] = []
    for row in rows:
        if blocks and blocks[-1][0].fields["EcritureNum"] == row.fields["EcritureNum"]:
            blocks[-1].append(row)
        else:
            blocks.append([row])
    return blocks


def _entry_problems(blocks: Sequence[list[_Row]], closing: dt.date | None) -> list[Problem]:
    found = []
    seen: set[str] = set()
    last_seq: dict[str, int] = {}
    last_valid: dt.date | None = None
    for block in blocks:
        first = block[0].fields
        number = first["EcritureNum"]
        where = f"EcritureNum {number}"
        if number in seen:
            found.append(
                Problem(
                    code="split_entry",
                    message=f"the lines of {number} are not together",
                    reference=where,
                )
            )
        seen.add(number)
        for name in ("JournalCode", "EcritureDate", "PieceRef", "ValidDate"):
            if len({row.fields[name] for row in block}) > 1:
                found.append(
                    Problem(
                        code="split_entry",
                        message=f"the lines of {number} have different {name}",
                        reference=where,
                    )
                )
        debit = sum((_amount(row.fields["Debit"]) or Decimal(0) for row in block), Decimal(0))
        credit = sum((_amount(row.fields["Credit"]) or Decimal(0) for row in block), Decimal(0))
        if debit != credit:
            found.append(
                Problem(
                    code="unbalanced",
                    message=f"{number} does not balance: debits {debit}, credits {credit}",
                    reference=where,
                )
            )
        match = _NUMBER.match(number)
        journal = first["JournalCode"]
        if match is None:
            found.append(
                Problem(
                    code="sequence",
                    message=f"{number} does not end with a sequence number",
                    reference=where,
                )
            )
        else:
            seq = int(match["seq"])
            expected = last_seq.get(journal, seq - 1) + 1
            if seq != expected:
                found.append(
                    Problem(
                        code="sequence",
                        message=f"{number} follows number {expected - 1} of journal {journal}: "
                        "entry numbers must be continuous",
                        reference=where,
                    )
                )
            last_seq[journal] = seq
        valid = _date(first["ValidDate"])
        if valid is not None:
            if last_valid is not None and valid < last_valid:
                found.append(
                    Problem(
                        code="order",
                        message=f"{number} was validated on {valid}, before the entry above it "
                        "(entries go in chronological order of validation)",
                        reference=where,
                    )
                )
            last_valid = valid if last_valid is None else max(valid, last_valid)
        day = _date(first["EcritureDate"])
        if closing is not None and day is not None and day > closing:
            found.append(
                Problem(
                    code="after_closing",
                    message=f"{number} is dated {day}, after the closing date {closing}",
                    reference=where,
                )
            )
    return found


def _filename_problems(filename: str, closing: dt.date | None) -> list[Problem]:
    match = _FILENAME.match(filename)
    if match is None:
        return [
            Problem(
                code="filename",
                message=f"{filename!r} is not named <SIREN>FEC<AAAAMMJJ>.txt",
                reference=filename,
            )
        ]
    found = []
    if not fr_siren.is_valid(match["siren"]):
        found.append(
            Problem(
                code="filename",
                message=f"{match['siren']} is not a valid SIREN",
                reference=filename,
            )
        )
    day = _date(match["closing"])
    if day is None or (closing is not None and day != closing):
        found.append(
            Problem(
                code="filename",
                message=f"{match['closing']} is not the closing date"
                + (f" {closing:%Y%m%d}" if closing else ""),
                reference=filename,
            )
        )
    return found


def check_fec(
    content: bytes | str,
    *,
    filename: str | None = None,
    closing: dt.date | None = None,
    encoding: str = "iso-8859-15",
) -> tuple[Problem, ...]:
    """Every rule of LPF A47 A-1 that an FEC file breaks.

    Checks the file name (SIREN, closing date), the charset, the header (the 18
    columns in order), the separator and field count, mandatory fields, dates
    ``AAAAMMJJ``, amounts with a decimal comma, account numbers starting with 3 PCG
    digits, fields that go in pairs (auxiliary account, lettering, foreign amount),
    that each ``EcritureNum`` is one balanced block with one journal, date and piece,
    that entry numbers run without gaps per journal, that entries come in order of
    validation, and that none is dated after the closing date.

    Args:
        content: the file's bytes (or text already decoded).
        filename: the file's name, to check it too.
        closing: the closing date of the fiscal year.
        encoding: the charset the file is said to be in.

    Returns:
        A tuple of `facturlib.core.errors.Problem` — empty for a compliant file.

    .. versionadded:: 0.1
    """
    check_instance(
        content, (bytes, str), "content", error=LedgerError, hint="pass the file's bytes"
    )
    check_instance(filename, str, "filename", optional=True, error=LedgerError)
    check_date(closing, "closing", optional=True, error=LedgerError)
    check_instance(
        encoding, str, "encoding", error=LedgerError, hint='e.g. "iso-8859-15" or "utf-8"'
    )
    problems: list[Problem] = []
    if filename is not None:
        problems += _filename_problems(filename, closing)
    rows, structure = _read(content, encoding)
    problems += structure
    for row in rows:
        problems += _row_problems(row)
    problems += _entry_problems(_blocks(rows), closing)
    return tuple(problems)


def _optional_date(text: str) -> dt.date | None:
    return _date(text) if text else None


def _entry_from(
    block: Sequence[_Row], cur: Currency, amount: Any, extra: Any = None
) -> JournalEntry:
    first = block[0].fields
    day = _date(first["EcritureDate"])
    if day is None:  # pragma: no cover - the checks run first
        raise LedgerError("bad EcritureDate", field="EcritureDate", value=first["EcritureDate"])
    lines = []
    for row in block:
        f = row.fields
        debit, credit = amount(f["Debit"]), amount(f["Credit"])
        foreign = None
        if f["Montantdevise"]:
            foreign = Money(amount(f["Montantdevise"]), to_currency(f["Idevise"]))
        fields: dict[str, Any] = extra(f) if extra else {}
        lines.append(
            JournalLine(
                account=Account(f["CompteNum"], f["CompteLib"]),
                debit=Money(debit, cur) if debit else None,
                credit=Money(credit, cur) if credit else None,
                auxiliary=f["CompAuxNum"],
                auxiliary_label=f["CompAuxLib"],
                label=f["EcritureLib"],
                lettering=f["EcritureLet"],
                lettering_date=_optional_date(f["DateLet"]),
                foreign_amount=foreign,
                **fields,
            )
        )
    return JournalEntry(
        journal=Journal(first["JournalCode"], first["JournalLib"]),
        date=day,
        piece=first["PieceRef"],
        label=first["EcritureLib"],
        lines=lines,
        piece_date=_date(first["PieceDate"]),
        validation_date=_date(first["ValidDate"]),
    )


def _raise_problems(problems: Sequence[Problem], what: str) -> None:
    if problems:
        first = problems[0]
        raise LedgerError(
            f"not a valid {what}: {first.message}"
            + (f" ({first.reference})" if first.reference else "")
            + (f" and {len(problems) - 1} more problem(s)" if len(problems) > 1 else ""),
            field="content",
            value=first.code,
            hint="check_fec() lists every problem",
        )


def parse_fec(
    content: bytes | str, *, encoding: str = "iso-8859-15", currency: str | Currency = "EUR"
) -> tuple[JournalEntry, ...]:
    """The journal entries of an FEC file, in file order.

    Due dates and analytic codes have no FEC column, so entries read back have none:
    ``parse_fec(export_fec(entries).content) == as_in_fec(entries)``. Use `export_csv`
    to keep them.

    Args:
        content: the file's bytes (or decoded text).
        encoding: its charset.
        currency: the accounting currency of the Debit and Credit columns.

    Returns:
        One `facturlib.accounting.journal.JournalEntry` per ``EcritureNum``.

    Raises:
        LedgerError: the file breaks a rule (see `check_fec`), or holds a line with both
            a debit and a credit.

    .. versionadded:: 0.1
    """
    check_instance(
        content, (bytes, str), "content", error=LedgerError, hint="pass the file's bytes"
    )
    check_instance(
        encoding, str, "encoding", error=LedgerError, hint='e.g. "iso-8859-15" or "utf-8"'
    )
    cur = to_currency(currency)
    rows, problems = _read(content, encoding)
    for row in rows:
        problems += _row_problems(row)
    blocks = _blocks(rows)
    problems += [
        p for p in _entry_problems(blocks, None) if p.code in ("unbalanced", "split_entry")
    ]
    _raise_problems(problems, "FEC file")
    return tuple(_entry_from(block, cur, _amount) for block in blocks)


# --------------------------------------------------------------------------- CSV


def _csv_amount(value: Decimal, places: int) -> str:
    return f"{value:.{places}f}"


def export_csv(entries: Iterable[JournalEntry]) -> str:
    """The entries as a plain CSV: a header, comma-separated, ISO dates, decimal point.

    The columns are `CSV_COLUMNS`: the 18 FEC columns, then the due date, the two
    analytic codes, the currency and the VAT base of VAT lines, so nothing of an entry is lost
    (``parse_csv(export_csv(entries)) == entries`` sorted by validation date).
    Entries in several currencies may share a file.

    Text cells are safe to open in a spreadsheet: one starting with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return (which a spreadsheet would run as a
    formula, OWASP "CSV Injection") is written with a leading ``'``, and so is one
    that starts with ``'``; `parse_csv` removes that prefix, so the round trip is exact.

    .. versionchanged:: 0.2
       Text cells that could start a formula are prefixed with ``'``; the ``BaseTVA``
       column (`JournalLine.vat_base`).

    .. versionadded:: 0.1
    """
    entries = items_of(entries, JournalEntry, "entries", error=LedgerError)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry, line, record in _records(_ordered(entries), dt.date.isoformat, _csv_amount):
        record.update(
            DateEcheance=line.due_date.isoformat() if line.due_date else "",
            Analytique1=line.analytic1 or "",
            Analytique2=line.analytic2 or "",
            Devise=entry.currency.code,
            BaseTVA=str(line.vat_base.amount) if line.vat_base is not None else "",
        )
        writer.writerow(
            [_defused(record[name]) if name in _CSV_TEXT else record[name] for name in CSV_COLUMNS]
        )
    return out.getvalue()


#: The CSV columns holding free text (the others hold dates, amounts and codes
#: facturlib wrote itself).
_CSV_TEXT = frozenset(
    {
        "JournalCode", "JournalLib", "EcritureNum", "CompteNum", "CompteLib", "CompAuxNum",
        "CompAuxLib", "PieceRef", "EcritureLib", "EcritureLet", "Analytique1", "Analytique2",
        "Devise",
    }
)  # fmt: skip
#: A cell starting with one of these is read as a formula by spreadsheets (OWASP,
#: "CSV Injection"); ``'`` is escaped too so that `parse_csv` can undo it exactly.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def _defused(text: str) -> str:
    """A text cell a spreadsheet shows as text: prefixed with ``'`` if it could start a
    formula (OWASP's recommendation against CSV injection)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _restored(text: str) -> str:
    return text[1:] if text.startswith("'") else text


def _iso(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _csv_decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text) if text else None
    except (InvalidOperation, ValueError):
        return None
    if value is not None and (not value.is_finite() or len(value.as_tuple().digits) > 28):
        return None  # NaN, Infinity or more than exact arithmetic holds
    return value


def parse_csv(text: str) -> tuple[JournalEntry, ...]:
    """The journal entries of an `export_csv` file.

    Raises:
        LedgerError: not an `export_csv` file (wrong header, bad date or amount,
            unbalanced entry).

    .. versionadded:: 0.1
    """
    check_instance(text, str, "text", error=LedgerError, hint="pass the text of an export_csv file")
    try:
        return _parse_csv(text)
    except csv.Error as error:  # a NUL, an over-long field, a stray quote…
        raise LedgerError(
            f"not a CSV file facturlib can read: {error}",
            field="text",
            value=None,
            hint="read files written by export_csv",
        ) from None


def _parse_csv(text: str) -> tuple[JournalEntry, ...]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    columns: tuple[str, ...] = CSV_COLUMNS
    if header is not None and tuple(header) == _CSV_COLUMNS_01:
        columns = _CSV_COLUMNS_01
    if header is None or tuple(header) != columns:
        raise LedgerError(
            "the first line must name the CSV columns",
            field="text",
            value=header,
            hint="read files written by export_csv",
        )
    rows = []
    for number, values in enumerate(reader, start=2):
        if len(values) != len(columns):
            raise LedgerError(f"line {number} has {len(values)} fields", field="text", value=values)
        fields = dict(zip(columns, values, strict=True))
        fields.setdefault("BaseTVA", "")
        for name in _CSV_TEXT:
            fields[name] = _restored(fields[name])
        for name in _DATES:
            if fields[name]:
                day = _iso(fields[name])
                if day is None:
                    raise LedgerError(f"bad date in {name}", field=name, value=fields[name])
                fields[name] = _fec_date(day)
        for name in ("Debit", "Credit", "Montantdevise", "BaseTVA"):
            if fields[name] and _csv_decimal(fields[name]) is None:
                raise LedgerError(f"bad amount in {name}", field=name, value=fields[name])
        rows.append(_Row(number, fields))

    def extra(fields: dict[str, str]) -> dict[str, Any]:
        base = fields["BaseTVA"]
        return {
            "due_date": _iso(fields["DateEcheance"]),
            "analytic1": fields["Analytique1"],
            "analytic2": fields["Analytique2"],
            "vat_base": None
            if not base
            else Money(_csv_decimal(base), to_currency(fields["Devise"])),
        }

    return tuple(
        _entry_from(block, to_currency(block[0].fields["Devise"]), _csv_decimal, extra)
        for block in _blocks(rows)
    )
