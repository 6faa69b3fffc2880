"""Tests for facturlib.core.integrity, and one test per reproduction of issue 16
("Integrity under attack"): each failed before the fix."""

from __future__ import annotations

import csv
import decimal
import io
import json
import pickle
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest
from moneyed import Money

import facturlib as fl
from facturlib.core._canonical import to_plain
from facturlib.core.numbering import SeriesPosition
from facturlib.core.serialize import from_dict, from_json, to_dict, to_json
from facturlib.renderers.pdf import PdfRenderer
from facturlib.testing.builders import sample_invoice, sample_scheme, sample_seller

ON = date(2025, 1, 15)
KEY = b"0123456789abcdef0123456789abcdef"


def issued(**overrides: Any) -> fl.Invoice:
    return fl.issue(sample_invoice(**overrides), sample_scheme(), fl.SequenceState(), on=ON)[0]


def history(count: int) -> list[tuple[fl.Invoice, Any]]:
    state, pairs = fl.SequenceState(), []
    for day in range(count):
        invoice, state = fl.issue(
            sample_invoice(), sample_scheme(), state, on=ON + timedelta(days=day)
        )
        previous = pairs[-1][1] if pairs else None
        pairs.append((invoice, fl.chain_link(invoice, KEY, previous=previous)))
    return pairs


def chart() -> fl.ChartOfAccounts:
    return fl.ChartOfAccounts()


# ------------------------------------------------------------ an issued invoice cannot change


class TestFrozenMoney:
    def test_a_line_keeps_a_copy_of_the_callers_money(self) -> None:
        """Changing the caller's py-moneyed Money after issuing leaves the invoice as issued."""
        price = Money(Decimal("120.00"), "EUR")
        line = fl.Line(description="Audit", quantity="1", unit_price=price, vat=fl.FR_STANDARD)
        invoice = issued(lines=[line])
        price.amount = Decimal("1.00")
        assert Decimal("120.00") == invoice.lines[0].unit_price.amount
        assert () == fl.check_issued(invoice)
        assert invoice == from_json(fl.Invoice, to_json(invoice))

    def test_the_money_an_invoice_holds_refuses_changes(self) -> None:
        """price.amount = ... on an issued invoice's Money raises FrozenValueError."""
        invoice = issued()
        with pytest.raises(fl.FrozenValueError):
            invoice.lines[0].unit_price.amount = Decimal("1.00")  # type: ignore[misc]

    def test_the_cached_vat_breakdown_refuses_changes(self) -> None:
        """Mutating totals().vat_breakdown[0].amount is refused; creditable() is unchanged."""
        invoice = issued()
        before = fl.creditable(invoice)
        with pytest.raises(fl.FrozenValueError):
            invoice.totals().vat_breakdown[0].amount.amount = Decimal("0")  # type: ignore[misc]
        assert before == fl.creditable(invoice)

    def test_to_money_and_computations_return_frozen_money(self) -> None:
        """to_money, round_money, sum_money, allocate and totals give FrozenMoney."""
        eur = fl.to_money("10.00", "EUR")
        results = [
            eur,
            fl.round_money(eur),
            fl.sum_money([eur], "EUR"),
            *fl.allocate(eur, [1, 2]),
            issued().totals().amount_due,
        ]
        assert [True] * len(results) == [isinstance(r, fl.FrozenMoney) for r in results]

    def test_frozen_money_is_money(self) -> None:
        """It compares, hashes, adds, prints and pickles as a Money."""
        frozen = fl.FrozenMoney("12.50", "EUR")
        plain = Money("12.50", "EUR")
        assert plain == frozen
        assert hash(plain) == hash(frozen)
        assert Money("25.00", "EUR") == frozen + plain
        assert "Money('12.50', 'EUR')" == repr(frozen)
        assert frozen == pickle.loads(pickle.dumps(frozen))


class TestCheckIssued:
    def test_an_intact_invoice_has_no_problem(self) -> None:
        """A freshly issued invoice keeps every law."""
        assert () == fl.check_issued(issued())

    def test_a_draft_is_not_issued(self) -> None:
        """A draft gives one not_issued problem."""
        assert ["not_issued"] == [p.code for p in fl.check_issued(sample_invoice())]

    def test_a_change_without_resealing_breaks_the_seal(self) -> None:
        """object.__setattr__ on an issued invoice, not re-sealed, is a seal problem."""
        invoice = issued()
        object.__setattr__(invoice, "due_date", date(2025, 3, 1))
        assert ["seal"] == [p.code for p in fl.check_issued(invoice)]

    def test_a_resealed_unlawful_number_is_found(self) -> None:
        """A number with spaces, re-sealed, breaks BR-FR-02."""
        invoice = issued()
        object.__setattr__(invoice, "number", "FA 2025 0001")
        object.__setattr__(invoice, "seal", invoice.content_seal())
        assert ["number"] == [p.code for p in fl.check_issued(invoice)]

    def test_resealed_lines_under_stale_totals_are_found(self) -> None:
        """Lines swapped (and re-sealed) after the totals were computed: totals problem."""
        invoice = issued()
        invoice.totals()
        line = attrs.evolve(invoice.lines[0], quantity=Decimal("100"))
        object.__setattr__(invoice, "lines", (line,))
        object.__setattr__(invoice, "seal", invoice.content_seal())
        assert ["totals"] == [p.code for p in fl.check_issued(invoice)]

    def test_a_resealed_credit_note_without_reference_is_found(self) -> None:
        """The issue rules are kept: a credit note refers to the invoice it corrects."""
        note, _ = fl.issue(fl.credit_note(issued()), sample_scheme(), fl.SequenceState(), on=ON)
        object.__setattr__(note, "preceding", ())
        object.__setattr__(note, "seal", note.content_seal())
        assert ["missing_preceding"] == [p.code for p in fl.check_issued(note)]


class TestVerifyIssued:
    def test_returns_an_intact_invoice(self) -> None:
        """An intact invoice comes back as it is."""
        invoice = issued()
        assert invoice is fl.verify_issued(invoice)

    def test_raises_on_a_tampered_invoice(self) -> None:
        """A tampered invoice raises TamperedDocumentError, an IssuedDocumentError."""
        invoice = issued()
        object.__setattr__(invoice, "number", "FA 2025 0001")
        object.__setattr__(invoice, "seal", invoice.content_seal())
        with pytest.raises(fl.TamperedDocumentError, match="BR-FR-02") as caught:
            fl.verify_issued(invoice)
        assert isinstance(caught.value, fl.IssuedDocumentError)


def tampered(reseal: bool = True) -> fl.Invoice:
    """An issued invoice whose number was changed to an unlawful one, behind its back."""
    invoice = issued()
    object.__setattr__(invoice, "number", "FA 2025 0001" if reseal else "FA-2025-0099")
    if reseal:
        object.__setattr__(invoice, "seal", invoice.content_seal())
    return invoice


class TestTamperingIsCaughtWhereItEnters:
    """The seal is verified by loading, storing, crediting, booking and rendering."""

    @pytest.mark.parametrize("reseal", [True, False])
    def test_loading(self, reseal: bool) -> None:
        """from_dict of a stored record altered, re-sealed or not, is refused."""
        data = to_plain(tampered(reseal))  # what a forger writes to the store
        with pytest.raises(fl.IssuedDocumentError):
            from_dict(fl.Invoice, data)

    @pytest.mark.parametrize("reseal", [True, False])
    def test_storing(self, reseal: bool) -> None:
        """to_dict refuses an invoice altered in memory."""
        with pytest.raises(fl.TamperedDocumentError):
            to_dict(tampered(reseal))

    @pytest.mark.parametrize("reseal", [True, False])
    def test_crediting(self, reseal: bool) -> None:
        """credit_note refuses an altered invoice."""
        with pytest.raises(fl.TamperedDocumentError):
            fl.credit_note(tampered(reseal))

    @pytest.mark.parametrize("reseal", [True, False])
    def test_booking(self, reseal: bool) -> None:
        """journal_for and journalize refuse an altered invoice."""
        with pytest.raises(fl.TamperedDocumentError):
            fl.journal_for(tampered(reseal), chart=chart())
        with pytest.raises(fl.TamperedDocumentError):
            fl.journalize(fl.Activity(documents=[tampered(reseal)]), chart=chart())

    @pytest.mark.parametrize("reseal", [True, False])
    def test_rendering(self, reseal: bool) -> None:
        """The PDF renderer refuses an altered invoice."""
        with pytest.raises(fl.TamperedDocumentError):
            PdfRenderer().render(tampered(reseal))


# ------------------------------------------------------------------------------ the chain


class TestChainLink:
    def test_links_follow_each_other(self) -> None:
        """Positions count from 1 and each link names the digest before it."""
        pairs = history(3)
        links = [link for _, link in pairs]
        assert [1, 2, 3] == [link.position for link in links]
        assert ["", links[0].digest, links[1].digest] == [link.previous for link in links]

    def test_refuses_a_draft(self) -> None:
        """Only issued invoices are chained."""
        with pytest.raises(fl.DocumentError):
            fl.chain_link(sample_invoice(), KEY)

    def test_refuses_a_short_key(self) -> None:
        """A key of fewer than 16 bytes, or a str, is refused."""
        for key in (b"short", "a str key of more than 16 chars"):
            with pytest.raises(fl.InvalidValue, match="16 bytes"):
                fl.chain_link(issued(), key)  # type: ignore[arg-type]

    def test_refuses_a_tampered_invoice(self) -> None:
        """A tampered invoice is not chained."""
        with pytest.raises(fl.TamperedDocumentError):
            fl.chain_link(tampered(), KEY)


class TestVerifyChain:
    def test_an_intact_chain(self) -> None:
        """An intact chain has no problem."""
        pairs = history(4)
        assert () == fl.verify_chain(pairs, KEY, head=pairs[-1][1])

    def test_a_lawful_change_resealed_is_found(self) -> None:
        """A plausible change that keeps every law, re-sealed, is found by the chain."""
        pairs = history(3)
        invoice = pairs[1][0]
        object.__setattr__(invoice, "due_date", invoice.due_date + timedelta(days=30))
        object.__setattr__(invoice, "seal", invoice.content_seal())
        assert () == fl.check_issued(invoice)
        problems = fl.verify_chain(pairs, KEY)
        assert [("altered", invoice.number)] == [(p.code, p.reference) for p in problems]

    def test_the_wrong_key(self) -> None:
        """Links checked with another key are all suspect: the first is reported."""
        pairs = history(2)
        problems = fl.verify_chain(pairs, b"another key, 32 bytes long......")
        assert ["altered"] == [p.code for p in problems]

    def test_a_missing_tail_needs_the_head(self) -> None:
        """Deleting the last invoice is found only against the head kept apart."""
        pairs = history(3)
        head = pairs[-1][1]
        assert () == fl.verify_chain(pairs[:-1], KEY)
        problems = fl.verify_chain(pairs[:-1], KEY, head=head)
        assert [("missing", head.number)] == [(p.code, p.reference) for p in problems]

    def test_a_later_part_of_a_chain(self) -> None:
        """after= checks a slice that starts after a known link."""
        pairs = history(4)
        assert () == fl.verify_chain(pairs[2:], KEY, after=pairs[1][1])

    def test_a_malformed_entry(self) -> None:
        """An entry that is not an (Invoice, ChainLink) pair is reported."""
        assert ["malformed"] == [p.code for p in fl.verify_chain([("x", "y")], KEY)]


# ---------------------------------------------------------------- numbering that can't go stale


def position(**overrides: Any) -> SeriesPosition:
    fields: dict[str, Any] = {
        "counter": 42,
        "period": "2025",
        "last_date": date(2025, 6, 1),
        "last_number": "FA-2025-0042",
    }
    return SeriesPosition(**{**fields, **overrides})


class TestSequenceStateConsistency:
    def test_a_period_that_is_not_the_last_dates(self) -> None:
        """A position whose period is not its last date's is refused."""
        with pytest.raises(fl.NumberingError, match="period"):
            position(period="2024")

    def test_a_last_number_that_is_not_the_counters(self) -> None:
        """A state whose last number is not its counter's is refused (it would repeat 0042)."""
        scheme = sample_scheme()
        state = fl.SequenceState().with_position(scheme.key, position(counter=41))
        with pytest.raises(fl.NumberingError, match="inconsistent"):
            fl.next_number(scheme, state, date(2025, 6, 2))

    def test_a_consistent_state_goes_on(self) -> None:
        """A consistent state gives the next number."""
        scheme = sample_scheme()
        state = fl.SequenceState().with_position(scheme.key, position())
        assert "FA-2025-0043" == fl.next_number(scheme, state, date(2025, 6, 2))[0]


class TestRevision:
    def test_every_number_moves_the_revision_on(self) -> None:
        """Each number given adds one to the revision; revisions play no part in equality."""
        state = fl.SequenceState()
        for _ in range(3):
            state = fl.next_number(sample_scheme(), state, ON)[1]
        assert 3 == state.revision
        assert state == attrs.evolve(state, revision=0)

    def test_issue_refuses_a_stale_state(self) -> None:
        """issue(expected_revision=) refuses a state at another revision."""
        _, state = fl.issue(sample_invoice(), sample_scheme(), fl.SequenceState(), on=ON)
        with pytest.raises(fl.StaleStateError, match="another writer"):
            fl.issue(sample_invoice(), sample_scheme(), state, on=ON, expected_revision=0)
        invoice, new = fl.issue(
            sample_invoice(), sample_scheme(), state, on=ON, expected_revision=1
        )
        assert ("FA-2025-0002", 2) == (invoice.number, new.revision)

    def test_a_revision_is_a_whole_number(self) -> None:
        """A negative or non-int revision is refused."""
        for bad in (-1, "1", True):
            with pytest.raises(fl.NumberingError):
                fl.SequenceState(revision=bad)  # type: ignore[arg-type]


# --------------------------------------------------------------------- exports can't be injected


def entry(label: str, **overrides: Any) -> fl.JournalEntry:
    return fl.JournalEntry(
        journal=fl.Journal("VT", "Ventes"),
        date=ON,
        piece="FA-2025-0001",
        label=label,
        lines=[
            fl.JournalLine(
                account=fl.Account("411000", "Clients"),
                auxiliary="CLI0001",
                auxiliary_label=overrides.get("auxiliary_label", "ACME"),
                debit=fl.to_money("12.00", "EUR"),
            ),
            fl.JournalLine(
                account=fl.Account("706000", "Prestations"), credit=fl.to_money("12.00", "EUR")
            ),
        ],
    )


class TestExportCsv:
    @pytest.mark.parametrize("start", ["=", "+", "-", "@", "'"])
    def test_a_formula_is_neutralised_and_read_back(self, start: str) -> None:
        """A text cell starting like a formula is written with a leading ' (OWASP)."""
        made = entry(f"{start}HYPERLINK(evil)", auxiliary_label=f"{start}cmd")
        text = fl.export_csv([made])
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert [] == [c for c in cells if c[:1] in ("=", "+", "@") or c.startswith("-c")]
        assert (made,) == fl.parse_csv(text)

    @pytest.mark.parametrize("start", ["\t", "\r"])
    def test_tab_and_cr_never_start_a_cell(self, start: str) -> None:
        """A leading tab or CR is stripped from a journal text; what follows is defused."""
        text = fl.export_csv([entry(f"{start}=1+1")])
        assert "'=1+1" in [cell for row in csv.reader(io.StringIO(text)) for cell in row]


class TestExportFec:
    @pytest.mark.parametrize(
        "char", ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
    )
    def test_separators_are_refused_in_labels(self, char: str) -> None:
        """Every character that splits an FEC record is refused in a label."""
        with pytest.raises(fl.LedgerError, match="separator"):
            entry(f"Facture{char}FA-2025-0001")

    def test_transliterate(self) -> None:
        """transliterate=True writes what ISO 8859-15 cannot hold; check_fec accepts it."""
        entries = [entry("Łódź – “Müller” Straße ｜ 株")]
        with pytest.raises(fl.LedgerError, match="cannot represent"):
            fl.export_fec(entries, siren="732829320", closing=date(2025, 12, 31))
        fec = fl.export_fec(
            entries, siren="732829320", closing=date(2025, 12, 31), transliterate=True
        )
        assert () == fl.check_fec(fec.content, filename=fec.filename)
        assert 'Lódz - "Müller" Straße   ?' == fl.parse_fec(fec.content)[0].label


class TestPartyText:
    @pytest.mark.parametrize("text", ["ACME\nTotal à régler : 0,00 €", "ACME\x00", "A\u202eB"])
    def test_names_and_addresses_refuse_control_characters(self, text: str) -> None:
        """A line break, NUL or bidi override in a name or address line is refused."""
        seller = sample_seller()
        with pytest.raises(fl.InvalidValue, match="control characters"):
            attrs.evolve(seller, name=text)
        with pytest.raises(fl.InvalidValue, match="control characters"):
            attrs.evolve(seller.address, line1=text)

    def test_lone_surrogates_are_refused(self) -> None:
        """A lone surrogate in any text is refused at construction."""
        with pytest.raises(fl.InvalidValue, match="surrogate"):
            attrs.evolve(sample_seller(), name="ACME \ud800")
        with pytest.raises(fl.InvalidValue, match="surrogate"):
            attrs.evolve(sample_invoice().lines[0], description="Audit \udfff")
        with pytest.raises(fl.InvalidValue, match="surrogate"):
            sample_invoice(notes=["Merci \ud83d"])


# --------------------------------------------------------- every failure is a facturlib error


class TestNumbersAtTheEdge:
    @pytest.mark.parametrize("amount", ["NaN", "sNaN", "Infinity", "-Infinity", "1" * 29, "1E+40"])
    def test_to_money_refuses_what_exact_arithmetic_cannot_hold(self, amount: str) -> None:
        """NaN, infinities and more than 28 significant digits are refused."""
        with pytest.raises(fl.InvalidValue):
            fl.to_money(amount, "EUR")

    def test_a_nan_money_is_refused_everywhere(self) -> None:
        """Money('NaN') never reaches a result: round_money, sum_money, a line refuse it."""
        nan = Money(Decimal("NaN"), "EUR")
        with pytest.raises(fl.InvalidValue):
            fl.round_money(nan)
        with pytest.raises(fl.InvalidValue):
            fl.sum_money([nan], "EUR")
        with pytest.raises(fl.InvalidValue):
            fl.Line(description="x", quantity="1", unit_price=nan, vat=fl.FR_STANDARD)

    def test_trailing_zeros_are_not_significant(self) -> None:
        """A 28-digit value with trailing zeros beyond is accepted."""
        assert Decimal("1.0" + "0" * 30) == fl.to_money("1.0" + "0" * 30, "EUR").amount

    @pytest.mark.parametrize(
        "context",
        [
            decimal.Context(prec=6),
            decimal.Context(traps=[decimal.Inexact, decimal.Rounded]),
            decimal.Context(prec=3, rounding=decimal.ROUND_DOWN),
        ],
    )
    def test_results_do_not_depend_on_the_ambient_context(self, context: Any) -> None:
        """Totals, allocation, rounding, credit notes and journal entries do not depend on the
        caller's decimal context."""
        line = fl.Line(
            description="x", quantity="3.3333", unit_price=fl.to_money("1234567.891", "EUR"),
            vat=fl.FR_STANDARD,
        )  # fmt: skip

        def compute() -> Any:
            draft = sample_invoice(lines=[line])
            invoice = fl.issue(draft, sample_scheme(), fl.SequenceState(), on=ON)[0]
            return (
                draft.totals().amount_due,
                fl.allocate(fl.to_money("1000000.00", "EUR"), [1, 1, 1]),
                fl.round_money(fl.to_money("1234567.125", "EUR")),
                fl.sum_money([fl.to_money("1234567.12", "EUR")] * 3, "EUR"),
                to_json(fl.issue(draft, sample_scheme(), fl.SequenceState(), on=ON)[0]),
                to_json(fl.credit_note(invoice, ratio="0.37")),
                fl.journal_for(invoice, chart=chart()),
            )

        expected = compute()
        with decimal.localcontext(context):
            assert expected == compute()


class TestLoaders:
    def test_from_dict_with_a_missing_key(self) -> None:
        """A missing required field raises InvalidValue naming it, not TypeError."""
        data = to_dict(sample_invoice())
        del data["seller"]
        with pytest.raises(fl.InvalidValue, match="seller"):
            from_dict(fl.Invoice, data)

    def test_from_json_of_bytes_that_are_not_utf8(self) -> None:
        """Latin-1 bytes raise InvalidValue, not UnicodeDecodeError."""
        with pytest.raises(fl.InvalidValue, match="UTF-8"):
            from_json(fl.Invoice, to_json(sample_invoice()).encode("latin-1", "replace") + b"\xff")

    def test_from_json_nested_deeply(self) -> None:
        """Deep nesting raises InvalidValue, not RecursionError."""
        with pytest.raises(fl.InvalidValue, match="nested"):
            from_json(fl.Invoice, "[" * 100_000 + "]" * 100_000)

    def test_from_json_of_a_huge_integer(self) -> None:
        """An integer too long to read raises InvalidValue, not ValueError."""
        with pytest.raises(fl.InvalidValue):
            from_json(fl.SequenceState, json.dumps({"revision": 1}).replace("1", "9" * 5000))


class TestParseCsv:
    @pytest.mark.parametrize(
        "row",
        [
            '"unterminated\x00',
            "VT,Ventes,VT000001,2025-01-15,411000,Clients,,,P,2025-01-15,L,NaN,0,,,2025-01-15,,,,,,EUR",
        ],
    )
    def test_raises_ledger_error_only(self, row: str) -> None:
        """A NUL byte or a NaN amount raises LedgerError, not csv.Error or InvalidOperation."""
        with pytest.raises(fl.LedgerError):
            fl.parse_csv(",".join(fl.CSV_COLUMNS) + "\r\n" + row + "\r\n")


class TestAuditNumbers:
    def test_a_4000_digit_counter(self) -> None:
        """A counter of thousands of digits is a foreign number, never a raised ValueError."""
        entries = [("FA-2025-" + "9" * n, ON) for n in (4_000, 5_000)]
        problems = fl.audit_numbers(entries, sample_scheme())
        assert ["foreign", "foreign"] == [p.code for p in problems]


class TestPdfText:
    def setup_method(self) -> None:
        self.renderer = PdfRenderer()

    def render_with_buyer(self, name: str) -> Any:
        buyer = attrs.evolve(sample_invoice().buyer, name=name)
        return self.renderer.render(sample_invoice(buyer=buyer))

    @pytest.mark.parametrize("name", ["株式会社テスト", "Licorne 🦄"])
    def test_text_without_glyphs_is_refused(self, name: str) -> None:
        """CJK or an emoji DejaVu lacks raises RenderError instead of printing boxes."""
        with pytest.raises(fl.RenderError, match="no glyph"):
            self.render_with_buyer(name)

    @pytest.mark.parametrize("name", ["شركة الاختبار", "חברת בדיקה"])
    def test_right_to_left_text_is_refused(self, name: str) -> None:
        """Arabic and Hebrew raise RenderError instead of printing unshaped and reversed."""
        with pytest.raises(fl.RenderError, match="right-to-left"):
            self.render_with_buyer(name)

    def test_latin_greek_and_cyrillic_are_drawn(self) -> None:
        """What the embedded font covers renders."""
        assert self.render_with_buyer("Ωμέγα Москва Łódź").content.startswith(b"%PDF")

    def test_party_text_too_long_for_a_page(self) -> None:
        """A name too long for the page raises RenderError, not reportlab's LayoutError."""
        with pytest.raises(fl.RenderError, match="does not fit"):
            self.render_with_buyer("Very long name " * 400)


class TestCreditNoteProration:
    def test_a_fixed_discount_prorated_to_zero(self) -> None:
        """Crediting 1 of 1 000 units with a 0.01 fixed discount works and can be issued."""
        line = fl.Line(
            description="Vis", quantity="1000", unit_price=fl.to_money("0.10", "EUR"),
            vat=fl.FR_STANDARD, discounts=[fl.Discount(amount=fl.to_money("0.01", "EUR"))],
            id="1",
        )  # fmt: skip
        invoice, state = fl.issue(
            sample_invoice(lines=[line]), sample_scheme(), fl.SequenceState(), on=ON
        )
        note = fl.credit_note(invoice, lines={"1": "1"})
        issued_note, _ = fl.issue(note, sample_scheme(), state, on=ON)
        assert fl.to_money("0.12", "EUR") == issued_note.totals().amount_due


class TestSealFormat:
    def test_the_seal_of_a_known_invoice_is_unchanged(self) -> None:
        """Seals stored by earlier versions still verify: the canonical form did not move."""
        draft = sample_invoice()
        line = attrs.evolve(
            draft.lines[0], discounts=[fl.Discount(amount=fl.to_money("1.00", "EUR"))]
        )
        invoice = issued(lines=[line], notes=["a", "é"])
        expected = "0d5d08ff2855a4bd476107b64fb19f0ac64e53d1be7c6a19c6fd843ed40c5f81"
        assert expected == invoice.seal


class TestNegativeInvoiceStaysIntact:
    def test_allowed_negative_invoice_is_intact(self) -> None:
        """A negative invoice issued with allow_negative=True has no problem once issued
        (EN 16931 allows it; the refusal is a default of issue(), not a law)."""
        from datetime import date

        from facturlib.core.integrity import check_issued
        from facturlib.core.issuing import issue
        from facturlib.core.numbering import SequenceState
        from facturlib.testing.builders import sample_invoice, sample_line, sample_scheme

        draft = sample_invoice(lines=[sample_line(quantity="-1")])
        invoice, _ = issue(
            draft, sample_scheme(), SequenceState(), on=date(2025, 1, 15), allow_negative=True
        )

        assert () == check_issued(invoice)
