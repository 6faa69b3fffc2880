"""Tests for facturlib.core.credit_notes: credit_note and creditable (DOMAIN.md §5)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from facturlib.core._codes import DocumentKind
from facturlib.core.credit_notes import credit_note, creditable
from facturlib.core.documents import DocumentStatus, Invoice, InvoiceReference, Note
from facturlib.core.errors import CreditNoteError, FloatNotAllowed, InvalidValue
from facturlib.core.issuing import issue
from facturlib.core.lines import Discount, DocumentAllowance, DocumentCharge, Line
from facturlib.core.money import Money, RoundingPolicy, to_money
from facturlib.core.numbering import NumberingScheme, SequenceState
from facturlib.core.totals import StatedVat
from facturlib.core.vat import FR_REDUCED, FR_STANDARD, VatRate
from facturlib.testing.builders import sample_invoice, sample_scheme
from facturlib.testing.strategies import invoices

ON = date(2025, 1, 15)
AV = NumberingScheme(pattern="AV-{yyyy}-{seq:04}")


def eur(amount: str) -> Money:
    return to_money(amount, "EUR")


def line(quantity: object, price: str, vat: VatRate = FR_STANDARD) -> Line:
    return Line(description="Prestation", quantity=quantity, unit_price=eur(price), vat=vat)  # type: ignore[arg-type]


def issued(draft: Invoice) -> Invoice:
    invoice, _ = issue(draft, sample_scheme(), SequenceState(), ON)
    return invoice


def fa_2025_0001() -> Invoice:
    """DOMAIN.md §5: FA-2025-0001 = 2 700 HT + 540 VAT, here 3 lines of 900 @20 %."""
    return issued(sample_invoice(lines=[line(1, "900.00") for _ in range(3)]))


def worked_example() -> Invoice:
    """DOMAIN.md §2 worked example (without the prepaid amount), issued."""
    return issued(
        sample_invoice(
            lines=[line(10, "12.50"), line(3, "7.99", FR_REDUCED)],
            allowances=[DocumentAllowance(amount=eur("10.00"), vat=FR_STANDARD, reason="Remise")],
            charges=[DocumentCharge(amount=eur("5.90"), vat=FR_STANDARD, reason="Port")],
        )
    )


def two_invoices() -> tuple[Invoice, Invoice]:
    """FA-2025-0001 (2 700 HT) and FA-2025-0002 (sample_invoice, 1 200 HT) of one series."""
    first, state = issue(
        sample_invoice(lines=[line(1, "900.00") for _ in range(3)]),
        sample_scheme(),
        SequenceState(),
        ON,
    )
    second, _ = issue(sample_invoice(), sample_scheme(), state, ON)
    return first, second


def three_cents() -> Invoice:
    """DOMAIN.md §2: 3 lines × 1.01 @20 % → HT 3.03, VAT 0.61, TTC 3.64."""
    return issued(sample_invoice(lines=[line(1, "1.01") for _ in range(3)]))


CEILING_PER_LINE = RoundingPolicy(mode="ROUND_CEILING", vat_rounding="per_line")


def tiny(
    code: str,
    lines: Sequence[tuple[str, str, VatRate]],
    rounding: RoundingPolicy = CEILING_PER_LINE,
    **kw: object,
) -> Invoice:
    """An issued invoice of (quantity, price, VAT) lines in *code*, TTC prices by default."""
    kw.setdefault("prices_include_vat", True)
    return issued(
        sample_invoice(
            currency=code,
            lines=[
                Line(description="Article", quantity=q, unit_price=to_money(p, code), vat=vat)
                for q, p, vat in lines
            ],
            rounding=rounding,
            **kw,
        )
    )


def per_rate(notes: Sequence[Invoice]) -> dict[VatRate, tuple[Decimal, Decimal]]:
    """Σ (BT-116, BT-117) per VAT rate over *notes*."""
    sums: dict[VatRate, tuple[Decimal, Decimal]] = {}
    for note in notes:
        for entry in note.totals().vat_breakdown:
            taxable, vat = sums.get(entry.vat, (Decimal(0), Decimal(0)))
            sums[entry.vat] = (taxable + entry.taxable.amount, vat + entry.amount.amount)
    return sums


def invoiced(invoice: Invoice) -> dict[VatRate, tuple[Decimal, Decimal]]:
    return per_rate([invoice])


class TestCreditNote:
    def test_domain_example_amounts(self) -> None:
        """DOMAIN.md §5: 900 HT @20 % → VAT 180.00, TTC 1 080.00."""
        note = credit_note(fa_2025_0001(), amount=eur("900.00"))
        t = note.totals()

        assert (eur("900.00"), eur("180.00"), eur("1080.00")) == (
            t.tax_exclusive_total,
            t.vat_total,
            t.tax_inclusive_total,
        )

    def test_domain_example_reference(self) -> None:
        """CGI 289 I-5: the credit note refers to FA-2025-0001 du 15/01/2025 (BT-25, BT-26)."""
        note = credit_note(fa_2025_0001(), amount=eur("900.00"))

        assert (InvoiceReference(number="FA-2025-0001", issue_date=date(2025, 1, 15)),) == (
            note.preceding
        )

    def test_is_a_draft_credit_note(self) -> None:
        """A credit note (381) is made as a draft without a number, to be issued (§1.3)."""
        note = credit_note(fa_2025_0001(), amount=eur("900.00"))

        assert (DocumentKind.CREDIT_NOTE, "381", DocumentStatus.DRAFT, None) == (
            note.kind,
            note.kind.code,
            note.status,
            note.number,
        )

    def test_issued_in_its_series(self) -> None:
        """The credit note is issued like an invoice, e.g. as AV-2025-0001 (DOMAIN.md §4)."""
        note, _ = issue(
            credit_note(fa_2025_0001(), amount=eur("900.00")), AV, SequenceState(), date(2025, 2, 1)
        )

        assert "AV-2025-0001" == note.number

    def test_keeps_parties_and_currency(self) -> None:
        """Same seller, buyer and currency as the invoice (DOMAIN.md §5)."""
        invoice = fa_2025_0001()
        note = credit_note(invoice, ratio="0.5")

        assert (invoice.seller, invoice.buyer, invoice.currency) == (
            note.seller,
            note.buyer,
            note.currency,
        )

    def test_keeps_the_nature_of_goods(self) -> None:
        """A credit note by amount of an invoice of goods credits goods (BT-23 B1); by
        lines, each line keeps its own supply."""
        from facturlib.core.documents import billing_framework
        from facturlib.core.lines import SupplyKind

        invoice = issued(
            sample_invoice(lines=[attrs.evolve(line(1, "900.00"), supply=SupplyKind.GOODS)])
        )

        assert ("B1", "B1") == (
            billing_framework(credit_note(invoice, amount=eur("100.00"))),
            billing_framework(credit_note(invoice, lines={"1": 1})),
        )

    def test_reason_note(self) -> None:
        """The reason is printed as a note."""
        note = credit_note(fa_2025_0001(), lines={"1": 1}, reason="Retour marchandise")

        assert (Note("Retour marchandise"),) == note.notes

    def test_positive_amounts(self) -> None:
        """Credit-note amounts are positive (DOMAIN.md §5)."""
        t = credit_note(fa_2025_0001(), lines={"2": 1}).totals()

        assert all(x.net.amount > 0 for x in t.lines)
        assert t.tax_inclusive_total.amount > 0

    def test_full(self) -> None:
        """A full credit equals the invoice's totals exactly (cancellation, DOMAIN.md §5)."""
        invoice = worked_example()

        assert invoice.totals() == credit_note(invoice).totals()

    def test_full_domain_example(self) -> None:
        """Full credit of FA-2025-0001: 2 700.00 HT + 540.00 VAT."""
        t = credit_note(fa_2025_0001()).totals()

        assert (eur("2700.00"), eur("540.00")) == (t.tax_exclusive_total, t.vat_total)

    def test_full_with_negative_group(self) -> None:
        """A full credit mirrors an invoice whose return line makes one rate negative (§2)."""
        invoice = issued(sample_invoice(lines=[line(1, "100.00"), line(-1, "10.00", FR_REDUCED)]))

        assert invoice.totals() == credit_note(invoice).totals()

    def test_by_lines(self) -> None:
        """Crediting 1 of line "1" credits 900 HT; the line refers to its source."""
        note = credit_note(fa_2025_0001(), lines={"1": 1})

        assert [("1", Decimal(1), eur("900.00"))] == [
            (x.source_line, x.quantity, x.unit_price) for x in note.lines
        ]
        assert eur("1080.00") == note.totals().tax_inclusive_total

    def test_by_lines_partial_quantity(self) -> None:
        """3 of 10 × 12.50, with 3/10 of the 10.00 allowance; shipping is kept by default."""
        note = credit_note(worked_example(), lines={"1": 3})

        assert eur("37.50") == note.totals().line_net_total
        assert [(FR_STANDARD, eur("3.00"))] == [(a.vat, a.amount) for a in note.allowances]
        assert () == note.charges
        assert (eur("34.50"), eur("6.90")) == (
            note.totals().tax_exclusive_total,
            note.totals().vat_total,
        )

    def test_by_lines_with_charges(self) -> None:
        """include_charges=True also credits 3/10 of the 5.90 shipping charge: 1.77."""
        note = credit_note(worked_example(), lines={"1": 3}, include_charges=True)

        assert [(FR_STANDARD, eur("1.77"))] == [(c.vat, c.amount) for c in note.charges]
        assert eur("36.27") == note.totals().tax_exclusive_total

    def test_by_lines_too_many(self) -> None:
        """More than the invoiced quantity of a line is refused, saying what remains."""
        with pytest.raises(CreditNoteError) as info:
            credit_note(worked_example(), lines={"1": 11})

        assert "10 of 10 remain" in str(info.value)

    def test_by_lines_after_previous(self) -> None:
        """Earlier credit notes reduce what remains of a line."""
        invoice = worked_example()
        first = credit_note(invoice, lines={"1": 6})
        with pytest.raises(CreditNoteError) as info:
            credit_note(invoice, previous=[first], lines={"1": 5})

        assert "4 of 10 remain" in str(info.value)

    def test_by_lines_unknown(self) -> None:
        """An unknown line id is refused with the known ones."""
        with pytest.raises(CreditNoteError) as info:
            credit_note(fa_2025_0001(), lines={"9": 1})

        assert "['1', '2', '3']" in str(info.value)

    @pytest.mark.parametrize("quantity", ["0", "-1"])
    def test_by_lines_positive(self, quantity: str) -> None:
        """A credited quantity is positive."""
        with pytest.raises(CreditNoteError):
            credit_note(fa_2025_0001(), lines={"1": quantity})

    def test_by_lines_float(self) -> None:
        """A float quantity is refused."""
        with pytest.raises(FloatNotAllowed):
            credit_note(fa_2025_0001(), lines={"1": 0.5})  # type: ignore[dict-item]

    def test_by_amount(self) -> None:
        """An amount excluding VAT is credited as is: 900.00 HT → 1 080.00 TTC."""
        t = credit_note(fa_2025_0001(), amount=eur("900.00")).totals()

        assert (eur("900.00"), eur("1080.00")) == (t.tax_exclusive_total, t.tax_inclusive_total)

    def test_by_amount_including_vat(self) -> None:
        """includes_vat=True: 1 080.00 TTC → 900.00 HT + 180.00 VAT."""
        t = credit_note(fa_2025_0001(), amount=eur("1080.00"), includes_vat=True).totals()

        assert (eur("900.00"), eur("180.00"), eur("1080.00")) == (
            t.tax_exclusive_total,
            t.vat_total,
            t.tax_inclusive_total,
        )

    def test_by_amount_spread_over_rates(self) -> None:
        """An amount is spread over the rates in proportion to what remains at each."""
        t = credit_note(worked_example(), amount=eur("10.00")).totals()

        # 10.00 × 120.90/144.87 = 8.3454… → 8.35; 10.00 × 23.97/144.87 → 1.65.
        assert [(FR_STANDARD, eur("8.35")), (FR_REDUCED, eur("1.65"))] == [
            (b.vat, b.taxable) for b in t.vat_breakdown
        ]

    def test_by_amount_other_currency(self) -> None:
        """The amount is in the invoice currency."""
        with pytest.raises(CreditNoteError) as info:
            credit_note(fa_2025_0001(), amount=to_money("900.00", "USD"))

        assert "amount" == info.value.field

    def test_by_amount_positive(self) -> None:
        """The amount to credit is positive (DOMAIN.md §5)."""
        with pytest.raises(CreditNoteError) as info:
            credit_note(fa_2025_0001(), amount=eur("0.00"))

        assert "amount" == info.value.field

    def test_by_ratio(self) -> None:
        """ratio="0.5" credits half of every rate: 1 350.00 HT + 270.00."""
        t = credit_note(fa_2025_0001(), ratio="0.5").totals()

        assert (eur("1350.00"), eur("270.00")) == (t.tax_exclusive_total, t.vat_total)

    def test_by_ratio_per_rate(self) -> None:
        """A ratio applies to each VAT rate's taxable amount."""
        t = credit_note(worked_example(), ratio="0.25").totals()

        # 120.90 × 0.25 = 30.225 → 30.23; 23.97 × 0.25 = 5.9925 → 5.99.
        assert [(FR_STANDARD, eur("30.23")), (FR_REDUCED, eur("5.99"))] == [
            (b.vat, b.taxable) for b in t.vat_breakdown
        ]

    @pytest.mark.parametrize("ratio", ["0", "-0.5", "1.01"])
    def test_by_ratio_range(self, ratio: str) -> None:
        """A ratio is above 0 and at most 1."""
        with pytest.raises(InvalidValue) as info:
            credit_note(fa_2025_0001(), ratio=ratio)

        assert "ratio" == info.value.field

    def test_by_ratio_float(self) -> None:
        """A float ratio raises FloatNotAllowed."""
        with pytest.raises(FloatNotAllowed) as info:
            credit_note(fa_2025_0001(), ratio=0.5)  # type: ignore[arg-type]

        assert "ratio" == info.value.field

    def test_several_ways(self) -> None:
        """By lines, by amount or by ratio: not several at once."""
        with pytest.raises(InvalidValue) as info:
            credit_note(fa_2025_0001(), amount=eur("100.00"), ratio="0.5")

        assert ["amount", "ratio"] == info.value.value
        assert "previous=" in str(info.value)

    def test_exceeding(self) -> None:
        """Cumulative credits ≤ invoice (DOMAIN.md §5); the message says what remains."""
        invoice = fa_2025_0001()
        first = credit_note(invoice, amount=eur("900.00"))
        with pytest.raises(CreditNoteError) as info:
            credit_note(invoice, previous=[first], amount=eur("2000.00"))

        assert "1800.00 EUR excl. VAT" in str(info.value)
        assert "360.00 EUR VAT" in str(info.value)

    def test_exceeding_first_credit(self) -> None:
        """A first credit above the invoice is refused."""
        with pytest.raises(CreditNoteError) as info:
            credit_note(fa_2025_0001(), amount=eur("2700.01"))

        assert "2700.00 EUR excl. VAT" in str(info.value)

    def test_exceeding_by_one_cent(self) -> None:
        """An explicit amount one cent above what remains is refused, not silently reduced."""
        invoice = fa_2025_0001()
        first = credit_note(invoice, amount=eur("900.00"))
        try:
            note = credit_note(invoice, previous=[first], amount=eur("1800.01"))
        except CreditNoteError:
            return
        raise AssertionError(f"credited {note.totals().tax_exclusive_total} instead of raising")

    def test_draft_refused(self) -> None:
        """Only an issued invoice can be credited; a draft is simply changed."""
        with pytest.raises(CreditNoteError) as info:
            credit_note(sample_invoice())

        assert "invoice" == info.value.field
        assert "issued" in str(info.value)

    def test_credit_note_refused(self) -> None:
        """A credit note cannot be credited; issue a new invoice instead."""
        note, _ = issue(credit_note(fa_2025_0001(), ratio="0.5"), AV, SequenceState(), ON)
        with pytest.raises(CreditNoteError) as info:
            credit_note(note)

        assert "credit_note" == info.value.value

    def test_deposit_creditable(self) -> None:
        """A deposit invoice (386) can be credited."""
        deposit = issued(sample_invoice(kind=DocumentKind.DEPOSIT))

        assert eur("1440.00") == credit_note(deposit).totals().tax_inclusive_total

    def test_previous_of_other_invoice(self) -> None:
        """Credit notes of another invoice are refused as previous."""
        invoice, other = two_invoices()
        with pytest.raises(CreditNoteError) as info:
            credit_note(invoice, previous=[credit_note(other)], ratio="0.1")

        assert "previous[0]" == info.value.field
        assert "FA-2025-0001" in str(info.value)

    def test_previous_of_same_numbered_invoice(self) -> None:
        """A credit note of another FA-2025-0001 (other date, e.g. other entity) is refused."""
        invoice = fa_2025_0001()
        namesake, _ = issue(
            sample_invoice(due_date=None),
            sample_scheme(),
            SequenceState(),
            date(2025, 3, 1),
            due_date=date(2025, 3, 31),
        )
        try:
            credit_note(invoice, previous=[credit_note(namesake)], ratio="0.1")
        except CreditNoteError:
            return
        raise AssertionError("a credit note of another invoice was counted as previous")

    def test_previous_not_a_credit_note(self) -> None:
        """Only credit notes can be previous credits."""
        invoice = fa_2025_0001()
        with pytest.raises(CreditNoteError):
            credit_note(invoice, previous=[invoice], ratio="0.1")


class TestRounding:
    def test_thirds_by_ratio(self) -> None:
        """Three 1/3 credits of 3 × 1.01 @20 %: VAT 0.20 + 0.20 + 0.21 = 0.61 (last absorbs)."""
        invoice = three_cents()
        notes: list[Invoice] = []
        for _ in range(3):
            notes.append(credit_note(invoice, previous=notes, ratio=Decimal(1) / 3))

        assert [(eur("1.01"), eur("0.20"))] * 2 + [(eur("1.01"), eur("0.21"))] == [
            (n.totals().tax_exclusive_total, n.totals().vat_total) for n in notes
        ]
        assert invoiced(invoice) == per_rate(notes)

    def test_thirds_by_lines(self) -> None:
        """Crediting the three 1.01 lines one by one sums exactly to HT 3.03 + VAT 0.61."""
        invoice = three_cents()
        notes: list[Invoice] = []
        for line_id in ("1", "2", "3"):
            notes.append(credit_note(invoice, previous=notes, lines={line_id: 1}))

        assert [eur("0.20"), eur("0.20"), eur("0.21")] == [n.totals().vat_total for n in notes]
        assert {FR_STANDARD: (Decimal("3.03"), Decimal("0.61"))} == per_rate(notes)

    def test_thirds_ttc_sum(self) -> None:
        """The three credit notes add up to the invoice TTC 3.64."""
        invoice = three_cents()
        notes: list[Invoice] = []
        for _ in range(3):
            notes.append(credit_note(invoice, previous=notes, ratio=Decimal(1) / 3))

        assert eur("3.64") == sum((n.totals().tax_inclusive_total for n in notes), eur("0"))

    def test_full_after_partials(self) -> None:
        """A later "full" credit after partial ones credits exactly the remainder."""
        invoice = fa_2025_0001()
        first = credit_note(invoice, lines={"1": 1})
        rest = credit_note(invoice, previous=[first])

        assert (eur("1800.00"), eur("360.00")) == (
            rest.totals().tax_exclusive_total,
            rest.totals().vat_total,
        )

    def test_full_after_mixed_partials(self) -> None:
        """After credits by amount (HT and TTC), the remainder makes the sum exact per rate."""
        invoice = worked_example()
        notes = [credit_note(invoice, amount=eur("33.33"))]
        notes.append(credit_note(invoice, previous=notes, amount=eur("20.01"), includes_vat=True))
        notes.append(credit_note(invoice, previous=notes))

        assert invoiced(invoice) == per_rate(notes)

    def test_nothing_left(self) -> None:
        """Once fully credited, a further full credit is refused."""
        invoice = fa_2025_0001()
        full = credit_note(invoice)
        with pytest.raises(CreditNoteError) as info:
            credit_note(invoice, previous=[full])

        assert "nothing left" in str(info.value)

    def test_nothing_left_by_ratio(self) -> None:
        """Once fully credited, even a small ratio is refused."""
        invoice = fa_2025_0001()
        full = credit_note(invoice)
        with pytest.raises(CreditNoteError):
            credit_note(invoice, previous=[full], ratio="0.1")

    @settings(max_examples=40, deadline=None)
    @given(
        draft=invoices(currency_codes=st.sampled_from(["EUR", "JPY", "KWD"])),
        ratios=st.lists(
            st.decimals(min_value=Decimal("0.01"), max_value=Decimal("0.6"), places=2), max_size=3
        ),
    )
    def test_credits_never_exceed_and_close_exactly(
        self, draft: Invoice, ratios: list[Decimal]
    ) -> None:
        """Property: Σ credits ≤ invoice per rate, and a closing full credit makes it exact (§5)."""
        assume(all(b.taxable.amount >= 0 for b in draft.totals().vat_breakdown))
        invoice, _ = issue(draft, sample_scheme(), SequenceState(), draft.due_date)  # type: ignore[arg-type]
        target = {vat: v for vat, v in invoiced(invoice).items() if v[0] > 0}
        notes: list[Invoice] = []
        for ratio in ratios:
            try:
                notes.append(credit_note(invoice, previous=notes, ratio=ratio))
            except CreditNoteError:
                continue
            for vat, (taxable, vat_amount) in per_rate(notes).items():
                # A remainder mirrors the invoice, zero-valued rates included.
                assert taxable <= target.get(vat, (0, 0))[0]
                assert vat_amount <= target.get(vat, (0, 0))[1]
        try:
            notes.append(credit_note(invoice, previous=notes))
        except CreditNoteError as error:
            assert "nothing left" in str(error)  # noqa: PT017

        assert target == {vat: v for vat, v in per_rate(notes).items() if v != (0, 0)}


class TestInvoiceRounding:
    """Invoices whose VAT is not round(base × rate): per-line rounding, TTC prices."""

    def reported(self) -> Invoice:
        """The reported case: JPY, 3 × 100 TTC, 0.5 % discount, CEILING per line → 251 + 47."""
        return tiny(
            "JPY",
            [("1", "100", FR_STANDARD)] * 3,
            global_discount=Discount(percent="0.5"),
        )

    def test_reported_invoice(self) -> None:
        """The reported invoice's VAT, 47, is 4 yen from round(251 × 20 %) = 51."""
        assert [(FR_STANDARD, Decimal(251), Decimal(47))] == list(
            self.reported().totals().vat_groups
        )

    def test_full_by_ratio(self) -> None:
        """ratio="1" credits the reported invoice exactly (it raised "stated VAT is too far")."""
        invoice = self.reported()

        assert invoice.totals() == credit_note(invoice, ratio="1").totals()

    def test_full_by_ratio_mirrors_the_lines(self) -> None:
        """A full credit by ratio has the invoice's lines and discount, not one line per rate."""
        invoice = self.reported()
        note = credit_note(invoice, ratio="1")

        assert [(line.id, line.quantity, line.unit_price) for line in invoice.lines] == [
            (line.source_line, line.quantity, line.unit_price) for line in note.lines
        ]
        assert (invoice.global_discount, True) == (note.global_discount, note.prices_include_vat)

    def test_full_by_amount(self) -> None:
        """Crediting the whole TTC amount is the full credit too."""
        invoice = self.reported()
        note = credit_note(invoice, amount=to_money("298", "JPY"), includes_vat=True)

        assert invoice.totals().vat_breakdown == note.totals().vat_breakdown

    def test_halves_by_ratio(self) -> None:
        """Two halves by ratio close the reported invoice exactly: 126 + 26, then 125 + 21."""
        invoice = self.reported()
        first = credit_note(invoice, ratio="0.5")
        second = credit_note(invoice, previous=[first], ratio="0.5")

        assert invoiced(invoice) == per_rate([first, second])
        assert [(Decimal(126), Decimal(26)), (Decimal(125), Decimal(21))] == [
            per_rate([note])[FR_STANDARD] for note in (first, second)
        ]

    def test_full_keeps_stated_vat(self) -> None:
        """A full credit states the VAT the invoice stated."""
        stated = (StatedVat(vat=FR_STANDARD, amount=eur("0.60")),)
        invoice = issued(sample_invoice(lines=[line(1, "1.01")] * 3, stated_vat=stated))

        assert (stated, eur("0.60")) == (
            credit_note(invoice, ratio="1").stated_vat,
            credit_note(invoice).totals().vat_total,
        )

    def test_vat_of_the_other_sign(self) -> None:
        """A rate at 0.01 HT and -0.01 VAT (CEILING per line) is credited in full."""
        invoice = tiny(
            "EUR",
            [("0.0001", "0.00", FR_STANDARD), ("0.0001", "0.01", FR_STANDARD)],
            allowances=[DocumentAllowance(percent="1", vat=FR_STANDARD, reason="Remise")],
        )

        assert {FR_STANDARD: (Decimal("0.01"), Decimal("-0.01"))} == invoiced(invoice)
        assert invoiced(invoice) == per_rate([credit_note(invoice)])
        assert invoiced(invoice) == per_rate([credit_note(invoice, ratio="1")])

    def test_all_lines_of_zero_price(self) -> None:
        """Every line (all at 0.00) with the charges credits the shipping too."""
        invoice = issued(
            sample_invoice(
                lines=[line(1, "0.00"), line(1, "0.00")],
                charges=[DocumentCharge(amount=eur("1.00"), vat=FR_STANDARD, reason="Port")],
            )
        )
        note = credit_note(invoice, lines={"1": 1, "2": 1}, include_charges=True)

        assert {FR_STANDARD: (Decimal("1.00"), Decimal("0.20"))} == per_rate([note])

    def test_remainder_after_ttc_lines(self) -> None:
        """JPY 8 TTC = 7 + 1 (CEILING per rate): 1 TTC by lines, then the remainder, exact."""
        invoice = tiny(
            "JPY", [("0.0539", "130", FR_STANDARD)], RoundingPolicy(mode="ROUND_CEILING")
        )
        first = credit_note(invoice, lines={"1": "0.0005"})
        rest = credit_note(invoice, previous=[first])

        assert (Decimal(1), Decimal(0)) == per_rate([first])[FR_STANDARD]
        assert invoiced(invoice) == per_rate([first, rest])

    def test_remainder_deducts_previous_notes(self) -> None:
        """The remainder is the invoice's mirror less the TTC credited (126 + 26), per rate."""
        invoice = self.reported()
        first, _ = issue(credit_note(invoice, ratio="0.5"), AV, SequenceState(), ON)
        rest = credit_note(invoice, previous=[first])

        assert [("Déjà crédité (AV-2025-0001)", Money("152", "JPY"))] == [
            (a.reason, a.amount) for a in rest.allowances
        ]
        assert invoiced(invoice) == per_rate([first, rest])

    def test_partial_ttc_amount_keeps_the_ttc(self) -> None:
        """A partial credit of 19 TTC credits 19 TTC (CEILING per line once made it 21)."""
        reduced = VatRate.standard("5.5")
        invoice = tiny(
            "JPY",
            [("0.0001", "1", reduced)],
            prices_include_vat=False,
            charges=[DocumentCharge(amount=to_money("45", "JPY"), vat=reduced, reason="Port")],
        )
        note = credit_note(invoice, amount=to_money("19", "JPY"), includes_vat=True)
        rest = credit_note(invoice, previous=[note])

        assert Money("19", "JPY") == note.totals().tax_inclusive_total
        assert invoiced(invoice) == per_rate([note, rest])

    def test_small_ratio_closing_every_rate(self) -> None:
        """A ratio that leaves only rounding at every rate is the remainder (here the mirror)."""
        reduced = VatRate.standard("10")
        invoice = tiny(
            "JPY",
            [("0.0001", "0", reduced), ("0.0001", "0", FR_STANDARD), ("0.0001", "1", FR_STANDARD)],
            charges=[DocumentCharge(amount=to_money("1", "JPY"), vat=reduced, reason="Port")],
            global_discount=Discount(percent="0.5"),
        )

        assert invoiced(invoice) == per_rate([credit_note(invoice, ratio="0.01")])


class TestCreditable:
    def test_after_domain_example(self) -> None:
        """DOMAIN.md §5: after crediting 900 HT, 1 800 HT (and 360 VAT) remain creditable."""
        invoice = fa_2025_0001()
        first = credit_note(invoice, amount=eur("900.00"))
        (remaining,) = creditable(invoice, [first])

        assert (FR_STANDARD, eur("1800.00"), eur("360.00")) == (
            remaining.vat,
            remaining.taxable,
            remaining.amount,
        )

    def test_nothing_credited(self) -> None:
        """With no credit note, the whole invoice is creditable, per rate."""
        assert [
            (FR_STANDARD, eur("120.90"), eur("24.18")),
            (FR_REDUCED, eur("23.97"), eur("1.32")),
        ] == [(r.vat, r.taxable, r.amount) for r in creditable(worked_example())]

    def test_fully_credited(self) -> None:
        """After a full credit nothing remains."""
        invoice = fa_2025_0001()

        assert [(eur("0.00"), eur("0.00"))] == [
            (r.taxable, r.amount) for r in creditable(invoice, [credit_note(invoice)])
        ]

    def test_draft_refused(self) -> None:
        """A draft has nothing creditable: it is not issued."""
        with pytest.raises(CreditNoteError):
            creditable(sample_invoice())

    def test_previous_of_other_invoice(self) -> None:
        """Credit notes of another invoice are refused."""
        invoice, other = two_invoices()
        with pytest.raises(CreditNoteError):
            creditable(invoice, [credit_note(other)])
