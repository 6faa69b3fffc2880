"""Tests for facturlib.core.issuing: check_invoice and issue (DOMAIN.md §1.3, §4)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

from facturlib.core._codes import DocumentKind
from facturlib.core.credit_notes import credit_note
from facturlib.core.documents import DocumentStatus, Invoice, InvoiceReference
from facturlib.core.errors import DocumentError, IssuedDocumentError, NotIssuable, NumberingError
from facturlib.core.issuing import check_invoice, issue
from facturlib.core.lines import Line
from facturlib.core.money import Money, to_money
from facturlib.core.numbering import NumberingPlan, NumberingScheme, SequenceState, SeriesRule
from facturlib.core.vat import FR_STANDARD, VatRate
from facturlib.testing.builders import (
    sample_buyer,
    sample_invoice,
    sample_line,
    sample_scheme,
    sample_seller,
)

ON = date(2025, 1, 15)
FA = sample_scheme()
AV = NumberingScheme(pattern="AV-{yyyy}-{seq:04}")
PLAN = NumberingPlan(
    rules=(
        SeriesRule(
            scheme=FA,
            kinds={DocumentKind.INVOICE, DocumentKind.DEPOSIT, DocumentKind.CORRECTIVE},
        ),
        SeriesRule(scheme=AV, kinds={DocumentKind.CREDIT_NOTE}),
    )
)


def eur(amount: str) -> Money:
    return to_money(amount, "EUR")


def line_at(vat: VatRate, price: str = "100.00") -> Line:
    return Line(description="Article", quantity=1, unit_price=eur(price), vat=vat)


def codes(invoice: Invoice, on: date = ON) -> list[str]:
    return [problem.code for problem in check_invoice(invoice, on)]


class TestIssue:
    def test_first_number(self) -> None:
        """Issuing numbers, dates and freezes the draft: FA-2025-0001 (DOMAIN.md §1.3)."""
        invoice, _ = issue(sample_invoice(), FA, SequenceState(), ON)

        assert ("FA-2025-0001", ON, DocumentStatus.ISSUED, True) == (
            invoice.number,
            invoice.issue_date,
            invoice.status,
            invoice.is_issued,
        )

    def test_numbers_follow(self) -> None:
        """Numbers are continuous: FA-2025-0001, 0002, 0003 (DOMAIN.md §4)."""
        state = SequenceState()
        numbers = []
        for day in (15, 16, 16):
            invoice, state = issue(sample_invoice(), FA, state, date(2025, 1, day))
            numbers.append(invoice.number)

        assert ["FA-2025-0001", "FA-2025-0002", "FA-2025-0003"] == numbers

    def test_pure(self) -> None:
        """issue returns the new state and leaves the draft and the old state as they were."""
        draft = sample_invoice()
        before = SequenceState()
        _, after = issue(draft, FA, before, ON)

        assert SequenceState() == before
        assert (DocumentStatus.DRAFT, None, None) == (draft.status, draft.number, draft.issue_date)
        assert sample_invoice() == draft
        assert before != after

    def test_same_state_same_number(self) -> None:
        """Reusing the old state gives the same number again: storage must persist the state."""
        state = SequenceState()
        first, _ = issue(sample_invoice(), FA, state, ON)
        again, _ = issue(sample_invoice(), FA, state, ON)

        assert first.number == again.number

    def test_content_kept(self) -> None:
        """The issued invoice has the draft's content and totals (DOMAIN.md §1.3)."""
        draft = sample_invoice()
        invoice, _ = issue(draft, FA, SequenceState(), ON)

        assert (draft.lines, draft.totals()) == (invoice.lines, invoice.totals())

    def test_sealed(self) -> None:
        """The seal matches the content at issue."""
        invoice, _ = issue(sample_invoice(), FA, SequenceState(), ON)

        assert invoice.content_seal() == invoice.seal

    def test_due_date_argument(self) -> None:
        """due_date= sets BT-9 at issue."""
        invoice, _ = issue(
            sample_invoice(due_date=None), FA, SequenceState(), ON, due_date=date(2025, 2, 14)
        )

        assert date(2025, 2, 14) == invoice.due_date

    def test_due_date_same_day(self) -> None:
        """A due date on the issue date is allowed (BR-FR-CO-07)."""
        invoice, _ = issue(sample_invoice(due_date=ON), FA, SequenceState(), ON)

        assert ON == invoice.due_date

    def test_earlier_date_than_last_number(self) -> None:
        """A later number never bears an earlier date (DOMAIN.md §4)."""
        _, state = issue(sample_invoice(), FA, SequenceState(), ON)
        with pytest.raises(NumberingError):
            issue(sample_invoice(), FA, state, date(2025, 1, 14))

    def test_plan_separate_series(self) -> None:
        """A NumberingPlan numbers invoices FA-… and credit notes AV-… separately (DOMAIN.md §4)."""
        invoice, state = issue(sample_invoice(), PLAN, SequenceState(), ON)
        note, state = issue(credit_note(invoice, ratio="0.5"), PLAN, state, date(2025, 1, 16))
        second, state = issue(sample_invoice(), PLAN, state, date(2025, 1, 17))

        assert ["FA-2025-0001", "AV-2025-0001", "FA-2025-0002"] == [
            invoice.number,
            note.number,
            second.number,
        ]

    def test_plan_deposit_shares_invoice_series(self) -> None:
        """A deposit invoice (386) takes the next number of the invoice series."""
        _, state = issue(sample_invoice(), PLAN, SequenceState(), ON)
        deposit, _ = issue(sample_invoice(kind="deposit"), PLAN, state, ON)

        assert "FA-2025-0002" == deposit.number

    def test_proforma(self) -> None:
        """A proforma never gets a number (DOMAIN.md §1.2)."""
        with pytest.raises(NotIssuable) as info:
            issue(sample_invoice(kind=DocumentKind.PROFORMA), FA, SequenceState(), ON)

        assert "proforma" in str(info.value)
        assert "invoice" == info.value.field

    def test_already_issued(self) -> None:
        """An issued invoice cannot be issued again (DOMAIN.md §4: no renumbering)."""
        invoice, state = issue(sample_invoice(), FA, SequenceState(), ON)
        with pytest.raises(NotIssuable) as info:
            issue(invoice, FA, state, ON)

        assert "FA-2025-0001" == info.value.value
        assert "already issued" in str(info.value)

    def test_missing_due_date(self) -> None:
        """BT-9 is required as a date (C. com. L441-9; DOMAIN.md §2)."""
        with pytest.raises(NotIssuable) as info:
            issue(sample_invoice(due_date=None), FA, SequenceState(), ON)

        assert "BT-9" in str(info.value)

    def test_due_before_issue(self) -> None:
        """BR-FR-CO-07: the due date is not before the issue date."""
        with pytest.raises(NotIssuable) as info:
            issue(sample_invoice(due_date=date(2025, 1, 1)), FA, SequenceState(), ON)

        assert "BR-FR-CO-07" in str(info.value)

    def test_deposit_due_before_issue(self) -> None:
        """BR-FR-CO-07: a deposit invoice (386) may be due before it is issued."""
        invoice, _ = issue(
            sample_invoice(kind=DocumentKind.DEPOSIT, due_date=date(2025, 1, 1)),
            FA,
            SequenceState(),
            ON,
        )

        assert "FA-2025-0001" == invoice.number

    def test_credit_note_without_reference(self) -> None:
        """A credit note refers to the invoice it corrects (CGI 289 I-5, BT-25)."""
        with pytest.raises(NotIssuable) as info:
            issue(sample_invoice(kind=DocumentKind.CREDIT_NOTE), PLAN, SequenceState(), ON)

        assert "BT-25" in str(info.value)

    def test_every_problem_listed(self) -> None:
        """NotIssuable lists every problem at once (STYLE.md "Pure functions")."""
        draft = sample_invoice(
            kind=DocumentKind.CREDIT_NOTE, seller=sample_seller(siren=None, vat_id=None)
        )
        with pytest.raises(NotIssuable) as info:
            issue(draft, PLAN, SequenceState(), ON)

        assert "BT-25" in str(info.value)
        assert "BR-CO-26" in str(info.value)

    def test_nothing_consumed_on_refusal(self) -> None:
        """A refused draft consumes no number (DOMAIN.md §1.3: no gap)."""
        with pytest.raises(NotIssuable):
            issue(sample_invoice(due_date=None), FA, SequenceState(), ON)
        invoice, _ = issue(sample_invoice(), FA, SequenceState(), ON)

        assert "FA-2025-0001" == invoice.number


class TestIssuedInvoice:
    def issued(self) -> Invoice:
        invoice, _ = issue(sample_invoice(), FA, SequenceState(), ON)
        return invoice

    def test_setattr_refused(self) -> None:
        """An issued invoice cannot be changed (DOMAIN.md §1.3); the error says what to do."""
        invoice = self.issued()
        with pytest.raises(IssuedDocumentError) as info:
            invoice.due_date = date(2025, 3, 1)  # type: ignore[misc]

        assert "due_date" == info.value.field
        assert "credit note" in str(info.value)

    def test_delattr_refused(self) -> None:
        """Deleting an attribute of an issued invoice is refused too."""
        invoice = self.issued()
        with pytest.raises(IssuedDocumentError):
            del invoice.notes  # type: ignore[misc]

    def test_evolve_refused(self) -> None:
        """attrs.evolve with a change breaks the seal and raises (CGI 289 I-5)."""
        with pytest.raises(IssuedDocumentError) as info:
            attrs.evolve(self.issued(), due_date=date(2025, 3, 1))

        assert "FA-2025-0001" == info.value.value
        assert "credit note" in str(info.value)

    def test_evolve_lines_refused(self) -> None:
        """Changing the lines of an issued invoice through evolve is refused."""
        with pytest.raises(IssuedDocumentError):
            attrs.evolve(self.issued(), lines=(sample_line(quantity="1"),))

    def test_with_lines_refused(self) -> None:
        """with_lines on an issued invoice raises IssuedDocumentError."""
        with pytest.raises(IssuedDocumentError) as info:
            self.issued().with_lines([sample_line(quantity="1")])

        assert "lines" == info.value.field

    def test_evolve_without_change(self) -> None:
        """attrs.evolve with no change is an equal copy."""
        invoice = self.issued()

        assert invoice == attrs.evolve(invoice)

    def test_still_an_attribute_error(self) -> None:
        """IssuedDocumentError is an AttributeError, like attrs' FrozenInstanceError."""
        with pytest.raises(AttributeError):
            self.issued().number = "FA-2025-0099"  # type: ignore[misc]


class TestCheckInvoice:
    def test_clean(self) -> None:
        """A complete draft has no problem."""
        assert () == check_invoice(sample_invoice(), ON)

    def test_returns_problems(self) -> None:
        """Problems are returned, not raised (STYLE.md "Pure functions")."""
        problems = check_invoice(sample_invoice(due_date=None), ON)

        assert ["missing_due_date"] == [p.code for p in problems]
        assert "L441-9" in problems[0].message

    def test_uses_issue_date_by_default(self) -> None:
        """Without on=, the invoice's own issue date is used."""
        draft = sample_invoice(due_date=date(2025, 1, 1), issue_date=ON)

        assert ["due_before_issue"] == [p.code for p in check_invoice(draft)]

    def test_proforma(self) -> None:
        """A proforma is reported (DOMAIN.md §1.2)."""
        assert ["proforma"] == codes(sample_invoice(kind=DocumentKind.PROFORMA))

    def test_corrective_needs_one_reference(self) -> None:
        """BR-FR-CO-04: a corrective invoice (384) refers to exactly one invoice."""
        assert ["corrective_reference"] == codes(sample_invoice(kind=DocumentKind.CORRECTIVE))

    def test_corrective_with_reference(self) -> None:
        """BR-FR-CO-04 is met with one preceding reference."""
        draft = sample_invoice(
            kind=DocumentKind.CORRECTIVE,
            preceding=(InvoiceReference(number="FA-2024-0099", issue_date=date(2024, 12, 1)),),
        )

        assert [] == codes(draft)

    def test_seller_id(self) -> None:
        """BR-CO-26: the seller has a SIREN/SIRET or a VAT id."""
        assert ["seller_id"] == codes(sample_invoice(seller=sample_seller(siren=None, vat_id=None)))

    def test_reverse_charge_without_buyer_id(self) -> None:
        """BR-AE-02: reverse charge needs the buyer's VAT id (or legal id)."""
        draft = sample_invoice(
            lines=[line_at(VatRate.reverse_charge())],
            buyer=sample_buyer(siren=None, vat_id=None),
        )

        assert ["reverse_charge_buyer"] == codes(draft)

    def test_reverse_charge_with_buyer_vat_id(self) -> None:
        """BR-AE-02 is met by the buyer's VAT id."""
        draft = sample_invoice(
            lines=[line_at(VatRate.reverse_charge())], buyer=sample_buyer(siren=None)
        )

        assert [] == codes(draft)

    def test_intra_eu_without_buyer_vat_id(self) -> None:
        """BR-IC-02: an intra-EU supply (K) needs the buyer's VAT id."""
        draft = sample_invoice(
            lines=[line_at(VatRate.intra_eu_goods())], buyer=sample_buyer(vat_id=None)
        )

        assert ["intra_eu_ids"] == codes(draft)

    def test_intra_eu_without_seller_vat_id(self) -> None:
        """BR-IC-02: an intra-EU supply (K) needs the seller's VAT id."""
        draft = sample_invoice(
            lines=[line_at(VatRate.intra_eu_goods())], seller=sample_seller(vat_id=None)
        )

        assert ["intra_eu_ids"] == codes(draft)

    def test_intra_eu_with_both_ids(self) -> None:
        """BR-IC-02 is met with both VAT ids."""
        assert [] == codes(sample_invoice(lines=[line_at(VatRate.intra_eu_goods())]))

    def test_outside_scope_mixed(self) -> None:
        """BR-O-11: an invoice with category O has no other category."""
        draft = sample_invoice(lines=[line_at(VatRate.outside_scope()), line_at(FR_STANDARD)])

        assert ["outside_scope_mixed"] == codes(draft)

    def test_outside_scope_alone(self) -> None:
        """Category O alone is fine for BR-O-11."""
        assert [] == codes(sample_invoice(lines=[line_at(VatRate.outside_scope())]))

    def test_negative_credit_note(self) -> None:
        """Credit-note amounts are positive (DOMAIN.md §5)."""
        draft = sample_invoice(
            kind=DocumentKind.CREDIT_NOTE,
            lines=[sample_line(quantity="-1")],
            preceding=(InvoiceReference(number="FA-2025-0001", issue_date=ON),),
        )

        assert ["negative_credit_note"] == codes(draft)

    def test_problem_reference(self) -> None:
        """A problem names the document it is about (its number, if any)."""
        invoice, _ = issue(sample_invoice(), FA, SequenceState(), ON)

        assert ["FA-2025-0001"] == [p.reference for p in check_invoice(invoice, ON)]


class TestNegativeInvoice:
    """A 380 with a negative total: a credit note (381) is what is meant (CGI 289 I-5)."""

    def refund(self) -> Invoice:
        # 100.00 sold, 250.00 returned at 20 %: -150.00 HT, -30.00 VAT, -180.00 TTC.
        return sample_invoice(
            lines=[
                line_at(FR_STANDARD),
                Line(description="Retour", quantity=-1, unit_price=eur("250.00"), vat=FR_STANDARD),
            ]
        )

    def test_flagged(self) -> None:
        """check_invoice flags a negative invoice (-180.00 TTC) and names the credit note."""
        problems = check_invoice(self.refund(), ON)

        assert (["negative_invoice"], True) == (
            [p.code for p in problems],
            "-180.00 EUR" in problems[0].message and "381" in problems[0].message,
        )

    def test_zero_total_not_flagged(self) -> None:
        """An invoice totalling exactly zero is not negative."""
        draft = sample_invoice(
            lines=[
                line_at(FR_STANDARD),
                Line(description="Geste", quantity=-1, unit_price=eur("100.00"), vat=FR_STANDARD),
            ]
        )

        assert [] == codes(draft)

    def test_deposit_not_flagged(self) -> None:
        """Only invoices (380) are flagged; credit notes have their own rule."""
        draft = attrs.evolve(self.refund(), kind=DocumentKind.DEPOSIT)

        assert "negative_invoice" not in codes(draft)

    def test_issue_refuses(self) -> None:
        """issue() refuses a negative invoice by default, citing the credit note."""
        with pytest.raises(NotIssuable, match=r"credit note \(avoir, 381\)"):
            issue(self.refund(), FA, SequenceState(), ON)

    def test_issue_allowed_explicitly(self) -> None:
        """allow_negative=True issues it, with its negative total."""
        invoice, _ = issue(self.refund(), FA, SequenceState(), ON, allow_negative=True)

        assert ("FA-2025-0001", Decimal("-180.00")) == (
            invoice.number,
            invoice.totals().tax_inclusive_total.amount,
        )

    def test_allow_negative_keeps_other_problems(self) -> None:
        """allow_negative lifts only that problem: a missing due date still stops issue."""
        draft = attrs.evolve(self.refund(), due_date=None)

        with pytest.raises(NotIssuable, match="due date"):
            issue(draft, FA, SequenceState(), ON, allow_negative=True)

    def test_allow_negative_must_be_bool(self) -> None:
        """A non-bool allow_negative is refused with a DocumentError."""
        with pytest.raises(DocumentError, match="allow_negative"):
            issue(self.refund(), FA, SequenceState(), ON, allow_negative="yes")  # type: ignore[arg-type]
