"""Tests for facturlib.accounting.fec: FEC export, reader and checker, plain CSV (DOMAIN.md §11)."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest

from facturlib.accounting.accounts import Account, ChartOfAccounts, Journal
from facturlib.accounting.fec import (
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
from facturlib.accounting.journal import Activity, JournalEntry, JournalLine, journalize
from facturlib.accounting.ledger import letter
from facturlib.core.credit_notes import credit_note
from facturlib.core.errors import LedgerError
from facturlib.core.issuing import issue
from facturlib.core.lines import Line
from facturlib.core.money import Money, to_money
from facturlib.core.numbering import NumberingScheme, SequenceState
from facturlib.core.vat import FR_STANDARD
from facturlib.receivables.payments import Payment, PaymentAllocation
from facturlib.testing.builders import sample_buyer, sample_invoice

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

    def test_vat_base_round_trips(self) -> None:
        """The VAT lines' bases are written in BaseTVA and read back."""
        entries = domain_entries()
        bases = [
            ln.vat_base for e in parse_csv(export_csv(entries)) for ln in e.lines if ln.vat_base
        ]
        assert [ln.vat_base for e in entries for ln in e.lines if ln.vat_base] == bases
        assert bases  # the domain entries have VAT lines

    def test_files_without_vat_base_still_load(self) -> None:
        """A 0.1 file (no BaseTVA column) loads, its VAT lines without a base."""
        entries = domain_entries()
        old = "\r\n".join(row.rsplit(",", 1)[0] for row in export_csv(entries).splitlines())
        expected = tuple(
            attrs.evolve(e, lines=tuple(attrs.evolve(ln, vat_base=None) for ln in e.lines))
            for e in entries
        )
        assert expected == parse_csv(old + "\r\n")

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


# ------------------------------------------------------------------ a whole year


def small_company_year():
    """A year of a small company under VAT on receipts (DOMAIN §3.3, §6, §10):

    * a SaaS subscriber billed 99.90 HT on the 1st of each month, paid by direct
      debit five days later; April's debit is rejected (fee 7.50) and paid again;
    * an annual licence of 1 200 HT for Oct 2025–Sep 2026 (deferred at closing);
    * a project: 30 % deposit in March, final invoice of 10 000 HT in June deducting
      it, a rebate credit note of 500 HT, the balance of 7 800 paid in July;
    * a bookshop buying 40 books and shipping, returning 4, paid with a 2 % escompte;
      a later invoice stays unpaid and bears a late-payment penalty;
    * December audit work invoiced in January 2026 (accrued at closing).
    """
    from facturlib.accounting.accounts import RevenueKind
    from facturlib.accounting.deferred import DeferralBasis, accrued_revenue, deferred_revenue
    from facturlib.accounting.journal import DiscountGranted, LatePaymentPenalty
    from facturlib.core._codes import DocumentKind
    from facturlib.core.lines import DocumentCharge
    from facturlib.core.periods import Period
    from facturlib.core.vat import FR_REDUCED
    from facturlib.receivables.payments import PaymentMethod, PaymentReversal

    chart = (
        ChartOfAccounts(vat_on_receipts=True)
        .with_product("SAAS", account=Account("706100", "Abonnements"), analytics=("SAAS", None))
        .with_product("BOOK", kind=RevenueKind.GOODS)
        .with_customer("CLI0001", auxiliary="C0001")
    )
    saas = sample_buyer(id="CLI0001", name="Abonné Mensuel SAS")
    annual = sample_buyer(id="CLI0002", name="Client Annuel SARL")
    project = sample_buyer(id="CLI0003", name="Projet & Cie")
    shop = sample_buyer(id="CLI0004", name="Librairie du Coin")

    def line(description, price, vat=FR_STANDARD, **fields):
        fields.setdefault("quantity", 1)
        return Line(description=description, unit_price=eur(price), vat=vat, **fields)

    # Every invoice (FA series) in date order.
    plan = []
    for month in range(1, 13):
        start, end = date(2025, month, 1), date(2025 + month // 12, month % 12 + 1, 1)
        saas_line = line("Abonnement SaaS", "99.90", product_id="SAAS", period=Period(start, end))
        plan.append((start, sample_invoice(buyer=saas, lines=[saas_line])))
    plan.append(
        (
            date(2025, 10, 1),
            sample_invoice(
                buyer=annual,
                lines=[line("Licence annuelle", "1200.00")],
                period=Period.inclusive(date(2025, 10, 1), date(2026, 9, 30)),
            ),
        )
    )
    deposit, _ = issue(
        sample_invoice(
            buyer=project, kind=DocumentKind.DEPOSIT, lines=[line("Acompte 30 %", "3000.00")]
        ),
        NumberingScheme(pattern="AC-{yyyy}-{seq:04}"),
        SequenceState(),
        on=date(2025, 3, 10),
        due_date=date(2025, 3, 10),
    )
    plan.append(
        (
            date(2025, 6, 30),
            sample_invoice(
                buyer=project,
                lines=[line("Développement", "500.00", quantity=20, unit="DAY")],
                preceding=[deposit.reference],
                prepaid=deposit.totals().tax_inclusive_total,
            ),
        )
    )
    plan.append(
        (
            date(2025, 9, 5),
            sample_invoice(
                buyer=shop,
                lines=[line("Livre", "12.50", FR_REDUCED, quantity=40, product_id="BOOK")],
                charges=[DocumentCharge(amount=eur("15.00"), vat=FR_STANDARD, reason="Port")],
            ),
        )
    )
    plan.append(
        (
            date(2025, 10, 2),
            sample_invoice(
                buyer=shop,
                lines=[line("Livre", "12.50", FR_REDUCED, quantity=10, product_id="BOOK")],
            ),
        )
    )
    plan.sort(key=lambda item: item[0])
    fa, state = NumberingScheme(pattern="FA-{yyyy}-{seq:04}"), SequenceState()
    invoices = []
    for on, draft in plan:
        invoice, state = issue(draft, fa, state, on=on, due_date=on + timedelta(days=30))
        invoices.append(invoice)
    subscription = [i for i in invoices if i.buyer.key == "CLI0001"]
    (licence,) = [i for i in invoices if i.buyer.key == "CLI0002"]
    (final,) = [i for i in invoices if i.buyer.key == "CLI0003"]
    books, late = [i for i in invoices if i.buyer.key == "CLI0004"]

    av, av_state = NumberingScheme(pattern="AV-{yyyy}-{seq:04}"), SequenceState()
    rebate, av_state = issue(
        credit_note(final, amount=eur("500.00"), reason="Geste commercial"),
        av,
        av_state,
        on=date(2025, 7, 15),
    )
    returned, av_state = issue(
        credit_note(books, lines={"1": "4"}, reason="Retour"), av, av_state, on=date(2025, 9, 20)
    )

    payments, allocations = [], []

    def pay(invoice, on, amount, pid, method=PaymentMethod.SEPA_CREDIT_TRANSFER):
        payments.append(
            Payment(id=pid, customer=invoice.buyer.key, amount=eur(amount), date=on, method=method)
        )
        allocations.append(
            PaymentAllocation(
                payment_id=pid, invoice_number=invoice.number, amount=eur(amount), date=on
            )
        )

    for invoice in subscription:
        pay(
            invoice,
            invoice.issue_date + timedelta(days=5),
            "119.88",
            f"DD-{invoice.issue_date:%m}",
            PaymentMethod.SEPA_DIRECT_DEBIT,
        )
    reject = PaymentReversal(
        payment_id="DD-04", date=date(2025, 4, 12), reason="AM04", fee=eur("7.50")
    )
    pay(subscription[3], date(2025, 4, 20), "119.88", "VIR-APR")
    pay(licence, date(2025, 10, 20), "1440.00", "VIR-LIC")
    pay(deposit, date(2025, 3, 12), "3600.00", "VIR-ACOMPTE")
    pay(final, date(2025, 7, 30), "7800.00", "VIR-SOLDE")  # 8 400 − the 600 rebate
    # Books: 500 HT @5.5 % + 15 shipping @20 % = 545.50; return 52.75; escompte 2 % of
    # 515.00 = 10.30 HT (10.00 @5.5 % + 0.30 @20 %) + 0.61 VAT = 10.91; paid 481.84.
    escompte = DiscountGranted(invoice=books, date=date(2025, 9, 25), percent="2")
    pay(books, date(2025, 9, 25), "481.84", "CHQ-1", PaymentMethod.CHEQUE)
    penalty = LatePaymentPenalty(
        customer="CLI0004",
        reference=late.number,
        date=date(2025, 12, 15),
        interest=eur("1.23"),
        indemnity=eur("40.00"),
    )
    activity = Activity(
        documents=[*invoices, deposit, rebate, returned],
        payments=payments,
        allocations=allocations,
        reversals=[reject],
        penalties=[penalty],
        discounts=[escompte],
        rebates=[rebate.number],
    )
    entries = journalize(activity, chart=chart)
    closing = date(2025, 12, 31)
    pca = deferred_revenue(
        activity.documents, chart=chart, closing=closing, basis=DeferralBasis.MONTHS
    )
    audit = sample_invoice(
        buyer=annual,
        lines=[line("Audit", "1000.00", period=Period(date(2025, 12, 1), date(2026, 1, 1)))],
    )
    fae = accrued_revenue([audit], chart=chart, closing=closing, basis=DeferralBasis.DAYS)
    entries += tuple(d.entry for d in (*pca, *fae))
    return activity, letter(entries, allocations=allocations, credit_notes=activity.documents)


class TestSmallCompanyYear:
    """A full year of a small company, journalized, cut off, lettered and exported."""

    CLOSING = date(2025, 12, 31)

    def test_fec_checks_clean(self) -> None:
        """The year's FEC has zero problems and reads back as written; so does the CSV."""
        _, entries = small_company_year()
        fec = export_fec(entries, siren=SIREN, closing=self.CLOSING)
        assert () == check_fec(fec.content, filename=fec.filename, closing=self.CLOSING)
        assert as_in_fec(entries) == parse_fec(fec.content)
        assert tuple(sorted(entries, key=lambda e: e.validation_date or e.date)) == parse_csv(
            export_csv(entries)
        )

    def test_balances(self) -> None:
        """Trial balance zero; cut-off, VAT, penalty and fee accounts hold the right figures."""
        from facturlib.accounting.ledger import account_balance, trial_balance

        _, entries = small_company_year()
        assert eur("0.00") == trial_balance(entries).balance
        expected = {
            "487": "-900.00",  # 1 200 × 9/12 deferred
            "4181": "1200.00",  # December audit, FAE
            "44587": "-200.00",  # its VAT
            "44574": "0.00",  # every services invoice is paid, so its VAT is due
            "4457": "-2413.78",  # 239.76 + 240 + 600 + 1 400 − 100 + 30.50 − 2.75 − 0.61 + 6.88
            "7096": "500.00",  # the rebate
            "665": "10.30",  # the escompte
            "627": "7.50",  # the reject fee
            "7631": "-1.23",  # late interest
            "7581": "-40.00",  # the indemnity, no VAT
        }
        assert {k: eur(v) for k, v in expected.items()} == {
            k: account_balance(entries, k) for k in expected
        }

    def test_customer_balances(self) -> None:
        """Everyone paid but the bookshop, which owes its late invoice and the penalty."""
        from facturlib.accounting.ledger import account_balance

        _, entries = small_company_year()
        assert [eur("0.00"), eur("0.00"), eur("0.00"), eur("173.11")] == [
            account_balance(entries, "411", auxiliary=aux)
            for aux in ("C0001", "CLI0002", "CLI0003", "CLI0004")
        ]

    def test_lettering(self) -> None:
        """Settled customer lines are lettered; the unpaid invoice and penalty are not."""
        _, entries = small_company_year()
        open_pieces = {
            ln_entry.piece
            for ln_entry in entries
            for ln in ln_entry.lines
            if ln.auxiliary and not ln.lettering
        }
        assert 1 == len(open_pieces)
        assert open_pieces.pop().startswith("FA-2025-")
