"""Tests for facturlib.fec: FEC export, reader and checker, plain CSV (DOMAIN.md §11)."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest

from facturlib.accounts import Account, ChartOfAccounts, Journal
from facturlib.credit_notes import credit_note
from facturlib.errors import LedgerError
from facturlib.fec import (
    CSV_COLUMNS,
    FEC_COLUMNS,
    as_in_fec,
    check_fec,
    export_csv,
    export_fec,
    fec_filename,
    parse_csv,
    parse_fec,
)
from facturlib.issuing import issue
from facturlib.journal import Activity, JournalEntry, JournalLine, journalize
from facturlib.ledger import letter
from facturlib.lines import Line
from facturlib.money import Money, to_money
from facturlib.numbering import NumberingScheme, SequenceState
from facturlib.payments import Payment, PaymentAllocation
from facturlib.testing.builders import sample_buyer, sample_invoice
from facturlib.vat import FR_STANDARD

SIREN = "732829320"
CLOSING = date(2025, 12, 31)
# DOMAIN §11 writes one VAT account 445710 "TVA collectee".
CHART = attrs.evolve(
    ChartOfAccounts(), vat_rates=(), vat_collected=Account("445710", "TVA collectee")
)
ON = date(2025, 1, 15)


def eur(amount: str) -> Money:
    return to_money(amount, "EUR")


def domain_entries() -> tuple[JournalEntry, ...]:
    """DOMAIN §10–11: invoice, credit note and payment of ACME SARL, lettered."""
    line = Line(description="Mission", quantity=1, unit_price=eur("2700.00"), vat=FR_STANDARD)
    draft = sample_invoice(
        buyer=sample_buyer(id="CLI0001", name="ACME SARL"),
        lines=[line],
        due_date=ON + timedelta(days=30),
    )
    invoice = issue(draft, NumberingScheme(pattern="FA-{yyyy}-{seq:04}"), SequenceState(), on=ON)[0]
    note = issue(
        credit_note(invoice, amount=eur("900.00")),
        NumberingScheme(pattern="AV-{yyyy}-{seq:04}"),
        SequenceState(),
        on=ON,
    )[0]
    payment = Payment(id="VIR-1", customer="CLI0001", amount=eur("2160.00"), date=date(2025, 2, 20))
    allocations = [
        PaymentAllocation(
            payment_id="VIR-1",
            invoice_number=invoice.number,
            amount=payment.amount,
            date=payment.date,
        )
    ]
    entries = journalize(
        Activity(documents=[invoice, note], payments=[payment], allocations=allocations),
        chart=CHART,
    )
    return letter(entries, allocations=allocations, credit_notes=[note])


def text(entries=None, **options) -> str:
    fec = export_fec(
        domain_entries() if entries is None else entries, siren=SIREN, closing=CLOSING, **options
    )
    return fec.content.decode(fec.encoding)


def encode(content: str) -> bytes:
    return content.encode("iso-8859-15")


def codes(content: str, **options) -> list[str]:
    return [p.code for p in check_fec(encode(content), **options)]


class TestFecFilename:
    def test_domain_name(self) -> None:
        """DOMAIN §11: 123456789FEC20251231.txt, with the SIREN and the closing date."""
        assert "732829320FEC20251231.txt" == fec_filename(SIREN, CLOSING)

    def test_bad_siren(self) -> None:
        """A SIREN failing its check digit is refused."""
        with pytest.raises(LedgerError, match="SIREN"):
            fec_filename("123456789", CLOSING)


class TestExportFec:
    def test_domain_lines(self) -> None:
        """DOMAIN §11: the three lines of the worked example, exactly."""
        assert [
            "|".join(FEC_COLUMNS),
            "VT|Ventes|VT000001|20250115|411000|Clients|CLI0001|ACME SARL|FA-2025-0001|20250115|"
            "Facture FA-2025-0001 ACME SARL|3240,00|0,00|A|20250220|20250115||",
            "VT|Ventes|VT000001|20250115|706000|Prestations de services|||FA-2025-0001|20250115|"
            "Facture FA-2025-0001 ACME SARL|0,00|2700,00|||20250115||",
            "VT|Ventes|VT000001|20250115|445710|TVA collectee|||FA-2025-0001|20250115|"
            "Facture FA-2025-0001 ACME SARL|0,00|540,00|||20250115||",
        ] == text().split("\r\n")[:4]

    def test_numbers_per_journal(self) -> None:
        """EcritureNum runs per journal: VT000001, VT000002, BQ000001."""
        numbers = [row.split("|")[2] for row in text().split("\r\n")[1:] if row]
        assert ["VT000001", "VT000002", "BQ000001"] == sorted(set(numbers), key=numbers.index)

    def test_tab_separator(self) -> None:
        """A tab separator is accepted and the file still checks."""
        content = text(separator="\t")
        assert content.startswith("JournalCode\tJournalLib\t")
        assert [] == codes(content)

    def test_other_separator_refused(self) -> None:
        """A separator other than tab or pipe is refused."""
        with pytest.raises(LedgerError, match="tab or a pipe"):
            text(separator=";")

    def test_encoding_default(self) -> None:
        """The default charset is ISO 8859-15: "é" is one byte, "€" is 0xA4."""
        entries = domain_entries()
        entry = attrs.evolve(entries[0], label="Facture été €")
        fec = export_fec([entry], siren=SIREN, closing=CLOSING)
        assert ("iso-8859-15", True) == (
            fec.encoding,
            "Facture été €".encode("iso-8859-15") in fec.content,
        )

    def test_unencodable_refused(self) -> None:
        """A character the encoding lacks is refused, naming it."""
        entry = attrs.evolve(domain_entries()[0], label="Facture ‘A’")
        with pytest.raises(LedgerError, match="‘"):
            export_fec([entry], siren=SIREN, closing=CLOSING)
        assert export_fec([entry], siren=SIREN, closing=CLOSING, encoding="utf-8").content

    def test_after_closing_refused(self) -> None:
        """An entry after the closing date does not belong to the year."""
        with pytest.raises(LedgerError, match="after the closing date"):
            export_fec(domain_entries(), siren=SIREN, closing=date(2025, 2, 1))

    def test_one_currency(self) -> None:
        """Entries in two currencies are refused."""
        usd = JournalEntry(
            journal=Journal("BQ", "Banque"),
            date=ON,
            piece="X",
            label="X",
            lines=[
                JournalLine(account=Account("512000", "Banque"), debit=to_money("1.00", "USD")),
                JournalLine(account=Account("411000", "Clients"), credit=to_money("1.00", "USD")),
            ],
        )
        with pytest.raises(LedgerError, match="one currency"):
            export_fec([*domain_entries(), usd], siren=SIREN, closing=CLOSING)

    def test_chronological_order(self) -> None:
        """Entries are written in order of validation, whatever the order given."""
        entries = domain_entries()
        assert text(entries).split("\r\n")[-2].startswith("BQ")
        assert text(tuple(reversed(entries))).split("\r\n")[-2].startswith("BQ")

    def test_zero_decimals(self) -> None:
        """JPY amounts have no decimals."""
        entry = JournalEntry(
            journal=Journal("BQ", "Banque"),
            date=ON,
            piece="X",
            label="X",
            lines=[
                JournalLine(account=Account("512000", "Banque"), debit=to_money("1500", "JPY")),
                JournalLine(account=Account("411000", "Clients"), credit=to_money("1500", "JPY")),
            ],
        )
        assert "|1500|0|" in text([entry])

    def test_empty(self) -> None:
        """No entries: a header only, which checks."""
        assert [] == codes(text(()))


class TestCheckFec:
    def test_clean(self) -> None:
        """The exported file breaks no rule."""
        fec = export_fec(domain_entries(), siren=SIREN, closing=CLOSING)
        assert () == check_fec(fec.content, filename=fec.filename, closing=CLOSING)

    def test_filename(self) -> None:
        """A wrong name, a bad SIREN and a closing date mismatch are reported."""
        assert ["filename"] == codes(text(), filename="FEC2025.txt")
        assert ["filename"] == codes(text(), filename="123456789FEC20251231.txt")
        assert ["filename"] == codes(text(), filename="732829320FEC20250630.txt", closing=CLOSING)

    def test_encoding(self) -> None:
        """Bytes that are not the declared charset are reported."""
        problems = check_fec("é".encode("utf-16"), encoding="ascii")
        assert ["encoding"] == [p.code for p in problems]

    def test_header(self) -> None:
        """A missing column is reported."""
        content = text().replace("Montantdevise|", "", 1)
        assert ["header"] == codes(content)

    def test_separator(self) -> None:
        """A file separated by semicolons is reported."""
        assert ["separator"] == codes(text().replace("|", ";"))

    def test_field_count(self) -> None:
        """A pipe inside a label shows as a wrong field count."""
        content = text().replace("Facture FA-2025-0001 ACME SARL", "Facture|FA", 1)
        assert "field_count" in codes(content)

    def test_missing(self) -> None:
        """An empty mandatory field is reported."""
        content = text().replace("|Ventes|", "||", 1)
        assert ["missing"] == codes(content)

    def test_dates_and_amounts(self) -> None:
        """A dashed date and a decimal point are reported."""
        content = (
            text()
            .replace("|20250115|411000", "|2025-01-15|411000", 1)
            .replace("3240,00", "3240.00", 1)
        )
        found = codes(content)
        assert {"date", "amount"} <= set(found)

    def test_thousands_separator(self) -> None:
        """A thousands separator is reported."""
        assert "amount" in codes(text().replace("3240,00", "3 240,00", 1))

    def test_account(self) -> None:
        """An account number not starting with 3 digits is reported."""
        assert ["account"] == codes(text().replace("|706000|", "|CL706|", 1))

    def test_pairs(self) -> None:
        """An auxiliary account without label, lettering without date are reported."""
        content = (
            text()
            .replace("|ACME SARL|FA-2025-0001", "||FA-2025-0001", 1)
            .replace("|A|20250220|", "|A||", 1)
        )
        assert ["auxiliary", "lettering"] == codes(content)

    def test_unbalanced(self) -> None:
        """An entry whose debits and credits differ is reported."""
        assert ["unbalanced"] == codes(text().replace("|0,00|540,00|", "|0,00|540,01|", 1))

    def test_sequence_gap(self) -> None:
        """A gap in the entry numbers of a journal is reported."""
        assert ["sequence"] == codes(text().replace("VT000002", "VT000003"))

    def test_split_entry(self) -> None:
        """Lines of one entry with different dates are reported."""
        rows = text().split("\r\n")
        rows[2] = rows[2].replace("|20250115|706000", "|20250116|706000")
        assert ["split_entry"] == codes("\r\n".join(rows))

    def test_order(self) -> None:
        """An entry validated before the one above it is reported."""
        rows = text().split("\r\n")
        last = [i for i, row in enumerate(rows) if row.startswith("BQ")]
        for i in last:
            rows[i] = rows[i].replace("|20250220||", "|20250101||")
        assert ["order"] == codes("\r\n".join(rows))

    def test_after_closing(self) -> None:
        """An entry after the closing date is reported."""
        assert {"after_closing"} == set(codes(text(), closing=date(2025, 1, 31)))

    def test_empty_file(self) -> None:
        """An empty file is reported."""
        assert ["empty"] == codes("")

    def test_reports_every_problem(self) -> None:
        """Several problems are all reported at once."""
        content = (
            text().replace("|706000|", "|CL706|", 1).replace("|0,00|540,00|", "|0,00|540,01|", 1)
        )
        assert ["account", "unbalanced"] == codes(content)


class TestParseFec:
    def test_round_trip(self) -> None:
        """parse_fec(export_fec(entries)) gives the entries back as the FEC keeps them."""
        entries = domain_entries()
        fec = export_fec(entries, siren=SIREN, closing=CLOSING)
        assert as_in_fec(entries) == parse_fec(fec.content)

    def test_drops_due_dates(self) -> None:
        """The FEC has no due date column: entries come back without one."""
        entries = domain_entries()
        back = parse_fec(export_fec(entries, siren=SIREN, closing=CLOSING).content)
        assert date(2025, 2, 14) == entries[0].lines[0].due_date
        assert None is back[0].lines[0].due_date

    def test_tab_and_text(self) -> None:
        """A tab-separated file given as text is read too."""
        entries = domain_entries()
        assert as_in_fec(entries) == parse_fec(text(entries, separator="\t"))

    def test_invalid_refused(self) -> None:
        """An unbalanced file is refused, naming the problem."""
        with pytest.raises(LedgerError, match="does not balance"):
            parse_fec(encode(text().replace("|0,00|540,00|", "|0,00|540,01|", 1)))

    def test_first_line_label(self) -> None:
        """An entry's label is its first line's: a different one is refused."""
        entry = domain_entries()[0]
        lines = (attrs.evolve(entry.lines[0], label="Autre"), *entry.lines[1:])
        with pytest.raises(LedgerError, match="first line's label"):
            attrs.evolve(entry, lines=lines)

    def test_line_labels(self) -> None:
        """A label on a later line survives the round trip."""
        entry = domain_entries()[0]
        entry = attrs.evolve(
            entry,
            lines=(entry.lines[0], attrs.evolve(entry.lines[1], label="Mission"), *entry.lines[2:]),
        )
        assert as_in_fec([entry]) == parse_fec(
            export_fec([entry], siren=SIREN, closing=CLOSING).content
        )


class TestCsv:
    def test_round_trip_keeps_everything(self) -> None:
        """parse_csv(export_csv(entries)) == entries, due dates and analytics included."""
        entries = domain_entries()
        first = attrs.evolve(
            entries[0],
            lines=(
                entries[0].lines[0],
                attrs.evolve(entries[0].lines[1], analytic1="PARIS"),
                *entries[0].lines[2:],
            ),
        )
        entries = (first, *entries[1:])
        assert entries == parse_csv(export_csv(entries))

    def test_header(self) -> None:
        """The header names the FEC columns and the extra ones."""
        assert ",".join(CSV_COLUMNS) == export_csv(()).strip()

    def test_decimal_point(self) -> None:
        """Amounts use a decimal point and dates are ISO."""
        row = export_csv(domain_entries()).split("\r\n")[1]
        assert "2025-01-15" in row
        assert ",3240.00,0.00," in row

    def test_bad_header(self) -> None:
        """A file without the header is refused."""
        with pytest.raises(LedgerError, match="CSV columns"):
            parse_csv("a,b\r\n")
