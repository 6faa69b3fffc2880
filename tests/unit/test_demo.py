"""The sample company and its year of billing (facturlib.demo) and the `facturlib` command."""

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from moneyed import Money

from facturlib import (
    DocumentKind,
    InvalidValue,
    audit_numbers,
    balance,
    creditable,
    customer_balances,
    to_money,
)
from facturlib.accounting.fec import check_fec, export_fec
from facturlib.accounting.ledger import account_balance, trial_balance
from facturlib.cli import main
from facturlib.core.documents import Invoice
from facturlib.core.serialize import from_json
from facturlib.demo import after_closing, bill_year, company_from_dict, load_sample_company


@pytest.fixture(scope="module")
def books():  # type: ignore[no-untyped-def]
    return bill_year(load_sample_company())


class TestLoadSampleCompany:
    def test_every_customer_has_a_key(self) -> None:
        """Customers are keyed CLI0001… so payments and ledgers can find them."""
        company = load_sample_company()
        expected = ["CLI0001", "CLI0002", "CLI0003", "CLI0004", "CLI0005"]
        assert expected == [c.key for c in company.customers]

    def test_unknown_customer_and_product_are_named(self) -> None:
        """Looking up a missing customer or product lists what exists."""
        company = load_sample_company()
        with pytest.raises(InvalidValue, match="CLI0001"):
            company.customer("CLI9999")
        with pytest.raises(InvalidValue, match="HEB"):
            company.product("NOPE")

    def test_missing_key_is_reported(self) -> None:
        """Incomplete company data names the missing key."""
        with pytest.raises(InvalidValue, match="fiscal_year"):
            company_from_dict({"seller": {}})


class TestBillYear:
    def test_is_deterministic(self, books) -> None:  # type: ignore[no-untyped-def]
        """Billing the same company twice gives the same books."""
        assert books == bill_year(load_sample_company())

    def test_numbers_are_continuous_per_series(self, books) -> None:  # type: ignore[no-untyped-def]
        """Every series of the year passes the numbering audit (DOMAIN §4)."""
        company = books.company
        for kind in (DocumentKind.INVOICE, DocumentKind.DEPOSIT, DocumentKind.CREDIT_NOTE):
            scheme = company.numbering.scheme_for(kind)
            issued = [(d.number, d.issue_date) for d in books.documents if d.kind is kind]
            assert () == audit_numbers(issued, scheme)

    def test_final_invoice_deducts_the_deposit(self, books) -> None:  # type: ignore[no-untyped-def]
        """The May invoice to CLI0002 refers to the deposit and deducts its TTC (BT-113)."""
        deposit = next(d for d in books.documents if d.kind is DocumentKind.DEPOSIT)
        final = next(d for d in books.documents if deposit.reference in d.preceding)
        totals = final.totals()
        assert deposit.totals().tax_inclusive_total == totals.prepaid_total
        expected = totals.tax_inclusive_total - deposit.totals().tax_inclusive_total
        assert expected == totals.amount_due

    def test_credit_note_stays_within_the_invoice(self, books) -> None:  # type: ignore[no-untyped-def]
        """The October credit note leaves a positive creditable remainder (DOMAIN §5)."""
        (credit,) = [c for c in books.credit_notes() if c.buyer.key == "CLI0003"]
        original = next(d for d in books.documents if d.reference in credit.preceding)
        left = creditable(original, previous=[credit])
        assert Decimal("1140.00") == sum(group.taxable.amount for group in left)


class TestMain:
    def test_demo_prints_the_year(self) -> None:
        """`facturlib demo` lists every document and the VAT per rate."""
        out = io.StringIO()
        assert 0 == main(["demo"], out=out)
        text = out.getvalue()
        for expected in ("FA-2025-0001", "AC-2025-0001", "AV-2025-0001", "TVA collectée"):
            assert expected in text

    def test_demo_writes_documents_that_load_back(self, tmp_path: Path, books) -> None:  # type: ignore[no-untyped-def]
        """With --out, each document is written as JSON that round-trips."""
        assert 0 == main(["demo", "--out", str(tmp_path)], out=io.StringIO())
        path = tmp_path / "FA-2025-0001.json"
        assert books.documents[0] == from_json(Invoice, path.read_text(encoding="utf-8"))
        assert len(books.documents) == len(list(tmp_path.glob("*.json")))
        assert "FA-2025-0001" == json.loads(path.read_text(encoding="utf-8"))["number"]

    def test_requires_a_command(self) -> None:
        """Without a command, argparse exits with status 2 and a usage line."""
        with pytest.raises(SystemExit) as exc:
            main([], out=io.StringIO())
        assert 2 == exc.value.code


class TestTheYear:
    def test_licence_upgrade_is_prorated(self, books) -> None:  # type: ignore[no-untyped-def]
        """3 → 5 licences on 16 June: credit 3 × 35 × 15/30, charge 5 × 35 × 15/30 (DOMAIN §9)."""
        (credit,) = [c for c in books.credit_notes() if c.buyer.key == "CLI0001"]
        debit = next(d for d in books.invoices() if d.preceding and d.buyer.key == "CLI0001")
        assert Decimal("52.50") == credit.totals().tax_exclusive_total.amount
        assert Decimal("87.50") == debit.totals().tax_exclusive_total.amount

    def test_after_the_upgrade_five_licences_are_billed(self, books) -> None:  # type: ignore[no-untyped-def]
        """The July subscription invoice bills hosting and five licences."""
        july = next(
            d
            for d in books.invoices()
            if d.buyer.key == "CLI0001" and d.period and d.period.start == date(2025, 7, 1)
        )
        assert Decimal("375.00") == july.totals().tax_exclusive_total.amount

    def test_quote_revised_then_accepted(self, books) -> None:  # type: ignore[no-untyped-def]
        """CLI0003's quote for 30 guides is superseded by revision 2 (40 guides), accepted."""
        first, second = books.quotes
        assert ("superseded", "accepted") == (first.status.value, second.status.value)
        assert (2, "DE-2025-0004", Decimal(40)) == (
            second.revision,
            second.previous_number,
            second.lines[0].quantity,
        )
        (order,) = books.orders
        assert "DE-2025-0004" == order.quote_reference

    def test_order_invoiced_in_two_deliveries(self, books) -> None:  # type: ignore[no-untyped-def]
        """25 then 15 guides at 29.90, 5.5 %: 788.61 + 473.17 = the order's 1 261.78 TTC."""
        (order,) = books.orders
        parts = [d for d in books.documents if d.order_reference == order.number]
        assert ["BL-2025-0001", "BL-2025-0002"] == [n.number for n in books.delivery_notes]
        assert [Decimal("788.61"), Decimal("473.17")] == [
            d.totals().tax_inclusive_total.amount for d in parts
        ]
        assert order.totals().tax_inclusive_total.amount == sum(
            d.totals().tax_inclusive_total.amount for d in parts
        )
        assert order.progress(parts).is_fully_invoiced

    def test_only_the_last_two_consulting_invoices_are_open(self, books) -> None:  # type: ignore[no-untyped-def]
        """At closing, everything is paid but CLI0003's November and December invoices."""
        settlement = books.settlement()
        open_ = [d.number for d in books.invoices() if not balance(d, settlement).settled]
        assert ["FA-2025-0026", "FA-2025-0028"] == open_

    def test_the_rejected_debit_was_paid_again(self, books) -> None:  # type: ignore[no-untyped-def]
        """The July direct debit bounced (AM04): the invoice was due again, then paid."""
        (reject,) = books.reversals
        bounced = next(p for p in books.payments if p.id == reject.payment_id)
        invoice = next(d for d in books.documents if d.number == bounced.reference)
        assert not balance(invoice, books.settlement(reject.date)).settled
        assert balance(invoice, books.settlement()).settled

    def test_dunning_climbs_and_skips_settled_invoices(self, books) -> None:  # type: ignore[no-untyped-def]
        """Levels go 1, 2, 3 per invoice, each taken while the invoice was unpaid."""
        by_invoice: dict[str, list[int]] = {}
        for record in books.dunning:
            by_invoice.setdefault(record.invoice_number, []).append(record.level)
            invoice = next(d for d in books.documents if d.number == record.invoice_number)
            assert not balance(invoice, books.settlement(record.date)).settled
        for levels in by_invoice.values():
            assert list(range(1, len(levels) + 1)) == levels

    def test_payments_never_exceed_what_was_invoiced(self, books) -> None:  # type: ignore[no-untyped-def]
        """No customer ends with a credit: every payment matched an invoice."""
        for row in customer_balances(books.settlement()):
            assert Decimal(0) == row.credit.amount


class TestTheBooks:
    def test_trial_balance_sums_to_zero(self, books) -> None:  # type: ignore[no-untyped-def]
        """Every entry of the year balances, so the trial balance is zero (DOMAIN §10)."""
        assert Decimal(0) == trial_balance(books.journal()).balance.amount

    def test_customer_accounts_match_the_payments_module(self, books) -> None:  # type: ignore[no-untyped-def]
        """Each customer's 411 balance is what `settle()` says it still owes (for the USD
        customer, the foreign amounts its 411 lines keep)."""
        entries = books.journal()
        for row in customer_balances(books.settlement()):
            if row.due.currency.code == "EUR":
                booked = account_balance(entries, "411", auxiliary=row.customer)
                assert row.due == booked
                continue
            lines = [ln for e in entries for ln in e.lines if ln.auxiliary == row.customer]
            owed = sum(ln.foreign_amount.amount * (1 if ln.debit else -1) for ln in lines)
            assert row.due.amount == owed

    def test_usd_customer_booked_in_euros(self, books) -> None:  # type: ignore[no-untyped-def]
        """CLI0005's 3 600.00 USD invoice at 0.8550 is 411 D 3 078.00 EUR; paid at 0.8610
        (3 099.60 EUR in the bank), the 21.60 difference is an exchange gain on 756."""
        entries = books.journal()
        usd = [e for e in entries if any(ln.auxiliary == "CLI0005" for ln in e.lines)]
        invoice, payment = usd
        assert {"USD"} == {ln.foreign_amount.currency.code for ln in invoice.lines}
        assert [("411000", "3078.00"), ("706000", "-2565.00"), ("445711", "-513.00")] == [
            (ln.account.number, str(ln.amount.amount)) for ln in invoice.lines
        ]
        assert [("512000", "3099.60"), ("411000", "-3078.00"), ("756000", "-21.60")] == [
            (ln.account.number, str(ln.amount.amount)) for ln in payment.lines
        ]

    def test_fec_has_no_problem(self, books) -> None:  # type: ignore[no-untyped-def]
        """The year's FEC passes the checker (DOMAIN §11)."""
        fec = export_fec(books.journal(), siren="732829320", closing=books.closing)
        assert "732829320FEC20251231.txt" == fec.filename
        assert () == check_fec(fec.content, filename=fec.filename, closing=books.closing)

    def test_out_writes_pdfs_fec_and_letters(self, tmp_path: Path) -> None:
        """`--out` writes a PDF per document, the FEC file and the last dunning letter."""
        assert 0 == main(["demo", "--out", str(tmp_path)], out=io.StringIO())
        assert (tmp_path / "FA-2025-0001.pdf").read_bytes().startswith(b"%PDF")
        assert (tmp_path / "732829320FEC20251231.txt").exists()
        (letter,) = tmp_path.glob("dunning-*.txt")
        assert "FA-2025-0026" in letter.read_text(encoding="utf-8")
        assert (tmp_path / "DE-2025-0004-rev2.pdf").read_bytes().startswith(b"%PDF")
        assert (tmp_path / "BL-2025-0002.pdf").read_bytes().startswith(b"%PDF")
        (pdf_letter,) = tmp_path.glob("deuxieme-relance-*.pdf")
        assert pdf_letter.read_bytes().startswith(b"%PDF")


class TestDemoEInvoices:
    def test_out_writes_valid_e_invoices(self, tmp_path: Path, validate) -> None:  # type: ignore[no-untyped-def]
        """`--out` writes a CII and a UBL e-invoice per document; both pass the official
        validators with the French rules (one batched run per format)."""
        assert 0 == main(["demo", "--out", str(tmp_path)], out=io.StringIO())
        documents = sorted(tmp_path.glob("*.json"))
        cii = sorted(tmp_path.glob("*.cii.xml"))
        ubl = sorted(tmp_path.glob("*.ubl.xml"))

        assert len(documents) == len(cii) == len(ubl)
        findings = validate("facturx.py", cii, fr=True)
        findings.update(validate("ubl.py", ubl, fr=True))
        assert {} == {Path(p).name: e for p, e in findings.items() if e}


class TestAfterClosing:
    def test_refund_write_off_and_calendar(self, books) -> None:  # type: ignore[no-untyped-def]
        """January: 46.00 overpaid refunded, 0.50 written off, the late invoice settled."""
        after = after_closing(books)
        assert (to_money("46.00", "EUR"), [to_money("0.50", "EUR")]) == (
            after.refund.amount,
            [w.amount for w in after.write_offs],
        )
        assert () == after.settlement.credits
        assert all(balance(i, after.settlement).settled for i in after.settlement.invoices)
        assert [None] == [s.taken for s in after.calendar if s.level == 3]

    def test_penalties_by_hand(self, books) -> None:  # type: ignore[no-untyped-def]
        """1 254.00 due 05/12/2025, paid 20/01/2026 at 12.15 % (MRO 2.15 + 10, L441-10 II):
        26 days 10.85 + 20 days 8.35 + €40 (D441-5) = 59.20."""
        penalty = after_closing(books).penalty
        assert to_money("59.20", "EUR") == penalty.total

    def test_journal_balances(self, books) -> None:  # type: ignore[no-untyped-def]
        """The January entries balance: refund D 411 / C 512, write-off D 658 / C 411."""
        entries = after_closing(books).entries
        assert all(0 == sum(ln.amount.amount for ln in e.lines) for e in entries)
        assert ["BQ", "BQ", "BQ", "OD"] == [e.journal.code for e in entries]


class TestDemoReceiving:
    def test_purchases_read_and_booked(self, books) -> None:  # type: ignore[no-untyped-def]
        """The suppliers' e-invoices read back without problem and book into a balanced
        purchase journal, the laptop on fixed assets; with the sales, the FEC passes."""
        from facturlib.demo.purchases import purchase_entries, received_purchases

        received = received_purchases(books.company)
        assert [()] * 3 == [r.problems for r in received]
        entries = purchase_entries(received)
        assert Money("0.00", "EUR") == trial_balance(entries).balance
        assert Money("0.00", "EUR") == account_balance(entries, "401")
        assert Money("460.00", "EUR") == account_balance(entries, "44562")
        everything = sorted((*books.journal(), *entries), key=lambda e: e.date)
        fec = export_fec(everything, siren="732829320", closing=books.closing)
        assert () == check_fec(fec.content, filename=fec.filename, closing=books.closing)

    def test_demo_reads_back_its_factur_x(self, tmp_path: Path) -> None:
        """`--out` reads back every Factur-X PDF it wrote, without a problem."""
        out = io.StringIO()
        assert 0 == main(["demo", "--out", str(tmp_path)], out=out)
        written = len(list(tmp_path.glob("*-facturx.pdf")))
        assert written > 0
        assert f"Relu {written} Factur-X : 0 écart(s)" in out.getvalue()
        assert "Achats reçus" in out.getvalue()
