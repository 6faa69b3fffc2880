"""Tests for facturlib.core.documents: quotes, orders and invoices (DOMAIN.md §1)."""

from __future__ import annotations

import decimal
from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from facturlib.core.documents import (
    DeliverTo,
    DocumentKind,
    DocumentStatus,
    Invoice,
    InvoiceReference,
    Note,
    Order,
    Quote,
    QuoteStatus,
    billing_framework,
    reporting_category,
)
from facturlib.core.errors import (
    CurrencyMismatch,
    DocumentError,
    FloatNotAllowed,
    FrozenValueError,
    InvalidValue,
    IssuedDocumentError,
    LifecycleError,
    UnknownCurrency,
)
from facturlib.core.issuing import issue
from facturlib.core.lines import Discount, DocumentAllowance, DocumentCharge, Line, SupplyKind
from facturlib.core.money import Money, RoundingPolicy, to_money
from facturlib.core.numbering import SequenceState
from facturlib.core.parties import Address
from facturlib.core.vat import FR_REDUCED, FR_STANDARD, VatRate
from facturlib.testing.builders import (
    sample_buyer,
    sample_invoice,
    sample_line,
    sample_scheme,
    sample_seller,
)


def eur(amount: str) -> Money:
    return to_money(amount, "EUR")


def quote(**overrides: object) -> Quote:
    """A dated quote with two VAT rates, a global discount, a charge and conditions."""
    fields: dict[str, object] = {
        "seller": sample_seller(),
        "buyer": sample_buyer(),
        "currency": "EUR",
        "lines": (
            Line(description="Audit", quantity="2", unit_price=eur("450.00"), vat=FR_STANDARD),
            Line(description="Livre", quantity="3", unit_price=eur("7.99"), vat=FR_REDUCED),
        ),
        "charges": (DocumentCharge(amount=eur("5.90"), vat=FR_STANDARD, reason="Port"),),
        "global_discount": Discount(percent="5"),
        "notes": ("Merci de votre confiance",),
        "payment_terms": "30 jours fin de mois",
        "rounding": RoundingPolicy(mode=decimal.ROUND_HALF_EVEN),
        "number": "DE-2025-0007",
        "issue_date": date(2025, 1, 2),
        "valid_until": date(2025, 1, 31),
        "status": QuoteStatus.ACCEPTED,
        "status_date": date(2025, 1, 8),
    }
    fields.update(overrides)
    return Quote(**fields)  # type: ignore[arg-type]


def issued(**overrides: object) -> Invoice:
    """sample_invoice() issued as FA-2025-0001 on 2025-01-15."""
    invoice, _ = issue(
        sample_invoice(**overrides), sample_scheme(), SequenceState(), date(2025, 1, 15)
    )
    return invoice


class TestDocumentKind:
    @pytest.mark.parametrize(
        ("kind", "code"),
        [
            (DocumentKind.INVOICE, "380"),
            (DocumentKind.CREDIT_NOTE, "381"),
            (DocumentKind.CORRECTIVE, "384"),
            (DocumentKind.DEPOSIT, "386"),
            (DocumentKind.PROFORMA, None),
        ],
    )
    def test_codes(self, kind: DocumentKind, code: str | None) -> None:
        """BT-3 codes (UNTDID 1001); a proforma has none (DOMAIN.md §1.2)."""
        assert code == kind.code

    def test_proforma_not_numbered(self) -> None:
        """A proforma is not an invoice and takes no number (DOMAIN.md §1.2)."""
        assert (False, True) == (
            DocumentKind.PROFORMA.is_numbered,
            DocumentKind.INVOICE.is_numbered,
        )

    def test_from_code(self) -> None:
        """A kind is found from its UNTDID 1001 code."""
        assert DocumentKind.DEPOSIT == DocumentKind.from_code("386")

    def test_unknown_code(self) -> None:
        """An unsupported BT-3 code is refused with the supported ones (BR-FR-04)."""
        with pytest.raises(InvalidValue) as info:
            DocumentKind.from_code("999")

        assert "kind" == info.value.field
        assert "380" in str(info.value)


class TestInvoice:
    def test_draft_defaults(self) -> None:
        """A new invoice is a draft without a number (DOMAIN.md §1.3)."""
        draft = sample_invoice()

        assert (DocumentKind.INVOICE, DocumentStatus.DRAFT, None, False) == (
            draft.kind,
            draft.status,
            draft.number,
            draft.is_issued,
        )

    def test_draft_has_no_number(self) -> None:
        """A draft must not carry a number: numbers are given at issue (DOMAIN.md §1.3, §4)."""
        with pytest.raises(DocumentError) as info:
            sample_invoice(number="FA-2025-0001")

        assert "number" == info.value.field
        assert "FA-2025-0001" == info.value.value
        assert "facturlib.issue()" in str(info.value)

    def test_draft_has_no_seal(self) -> None:
        """A draft carries no seal either."""
        with pytest.raises(DocumentError):
            sample_invoice(seal="abc")

    def test_kind_from_string(self) -> None:
        """The kind may be given by its value."""
        assert DocumentKind.CREDIT_NOTE == sample_invoice(kind="credit_note").kind

    def test_proforma_never_issued(self) -> None:
        """A proforma in the issued state cannot exist (DOMAIN.md §1.2)."""
        with pytest.raises(DocumentError) as info:
            sample_invoice(
                kind=DocumentKind.PROFORMA,
                status=DocumentStatus.ISSUED,
                number="PF-1",
                issue_date=date(2025, 1, 15),
            )

        assert "status" == info.value.field
        assert "proforma" in str(info.value)

    def test_issued_needs_number(self) -> None:
        """An issued invoice has its number and issue date (BT-1, BT-2)."""
        with pytest.raises(DocumentError) as info:
            sample_invoice(status=DocumentStatus.ISSUED)

        assert "number" == info.value.field

    def test_issued_with_wrong_seal(self) -> None:
        """An issued invoice whose content does not match its seal is refused (CGI 289 I-5)."""
        with pytest.raises(IssuedDocumentError):
            sample_invoice(
                status=DocumentStatus.ISSUED,
                number="FA-2025-0001",
                issue_date=date(2025, 1, 15),
                seal="0" * 64,
            )

    def test_rebuilt_from_fields(self) -> None:
        """An issued invoice rebuilt field by field (from storage) is accepted and equal."""
        original = issued()
        rebuilt = Invoice(**{f.name: getattr(original, f.name) for f in attrs.fields(Invoice)})

        assert original == rebuilt

    def test_needs_a_line(self) -> None:
        """BG-25 occurs at least once."""
        with pytest.raises(DocumentError) as info:
            sample_invoice(lines=())

        assert "lines" == info.value.field

    def test_lines_numbered(self) -> None:
        """Lines without an id get 1, 2, 3… (BT-126)."""
        draft = sample_invoice(lines=[sample_line(), sample_line(), sample_line()])

        assert ["1", "2", "3"] == [line.id for line in draft.lines]

    def test_explicit_ids_kept(self) -> None:
        """Explicit line ids are kept (BT-126)."""
        draft = sample_invoice(lines=[sample_line(id="A"), sample_line(id="B")])

        assert ["A", "B"] == [line.id for line in draft.lines]

    def test_duplicate_line_ids(self) -> None:
        """BT-126 is unique within the invoice (BR-21 family); the ids are shown."""
        with pytest.raises(DocumentError) as info:
            sample_invoice(lines=[sample_line(id="A"), sample_line(id="A")])

        assert "lines" == info.value.field
        assert ["A", "A"] == info.value.value

    def test_mixed_ids_do_not_clash(self) -> None:
        """A line without an id never gets one already given explicitly (BT-126 unique)."""
        draft = sample_invoice(lines=[sample_line(id="2"), sample_line()])

        assert 2 == len({line.id for line in draft.lines})

    def test_non_line(self) -> None:
        """Only Line objects are lines; the error names the index."""
        with pytest.raises(InvalidValue) as info:
            sample_invoice(lines=[sample_line(), "Consulting"])

        assert "lines[1]" == info.value.field
        assert "Consulting" == info.value.value

    def test_single_line_not_sequence(self) -> None:
        """A Line passed instead of a sequence of lines raises a FacturlibError naming lines."""
        with pytest.raises(InvalidValue) as info:
            sample_invoice(lines=sample_line())

        assert "lines" == info.value.field

    def test_lines_tuple(self) -> None:
        """Lines given as a list are stored as a tuple (STYLE.md "Value objects")."""
        assert isinstance(sample_invoice(lines=[sample_line()]).lines, tuple)

    def test_unknown_currency(self) -> None:
        """BT-5 is an ISO 4217 code (BR-CL-04)."""
        with pytest.raises(UnknownCurrency) as info:
            sample_invoice(currency="EUX")

        assert "currency" == info.value.field

    def test_line_in_other_currency(self) -> None:
        """Every amount is in the document currency; the error names the line."""
        usd = Line(description="A", quantity=1, unit_price=to_money("1.00", "USD"), vat=FR_STANDARD)
        with pytest.raises(CurrencyMismatch) as info:
            sample_invoice(lines=[sample_line(), usd])

        assert "lines[1].unit_price" == info.value.field
        assert "explicit rate" in str(info.value)

    def test_allowance_in_other_currency(self) -> None:
        """A document allowance in another currency is refused (CurrencyMismatch)."""
        with pytest.raises(CurrencyMismatch) as info:
            sample_invoice(
                allowances=[DocumentAllowance(amount=to_money("1.00", "USD"), vat=FR_STANDARD)]
            )

        assert "allowances[0].amount" == info.value.field

    def test_global_discount_in_other_currency(self) -> None:
        """A global discount amount in another currency is refused."""
        with pytest.raises(CurrencyMismatch) as info:
            sample_invoice(global_discount=Discount(amount=to_money("1.00", "USD")))

        assert "global_discount.amount" == info.value.field

    def test_prepaid_in_other_currency(self) -> None:
        """BT-113 is in the document currency."""
        with pytest.raises(CurrencyMismatch) as info:
            sample_invoice(prepaid=to_money("1.00", "USD"))

        assert "prepaid" == info.value.field

    def test_negative_prepaid(self) -> None:
        """BT-113 is not negative."""
        with pytest.raises(DocumentError) as info:
            sample_invoice(prepaid=eur("-1.00"))

        assert "prepaid" == info.value.field

    def test_global_discount_type(self) -> None:
        """A global discount is a Discount."""
        with pytest.raises(InvalidValue) as info:
            sample_invoice(global_discount=DocumentAllowance(amount=eur("1"), vat=FR_STANDARD))

        assert "global_discount" == info.value.field

    def test_date_type(self) -> None:
        """Dates are datetime.date, not strings (STYLE.md "Dates")."""
        with pytest.raises(InvalidValue) as info:
            sample_invoice(due_date="2025-02-14")

        assert "due_date" == info.value.field

    def test_tax_currency_needs_rate(self) -> None:
        """BT-6 and its exchange rate go together (BT-111)."""
        with pytest.raises(DocumentError) as info:
            sample_invoice(tax_currency="GBP")

        assert "tax_exchange_rate" == info.value.field

    def test_tax_exchange_rate_float(self) -> None:
        """A float exchange rate is refused (STYLE.md "Money and rounding")."""
        with pytest.raises(FloatNotAllowed):
            sample_invoice(tax_currency="GBP", tax_exchange_rate=0.85)

    def test_tax_exchange_rate_float_names_field(self) -> None:
        """A refused float exchange rate names its field (STYLE.md "Errors")."""
        with pytest.raises(FloatNotAllowed) as info:
            sample_invoice(tax_currency="GBP", tax_exchange_rate=0.85)

        assert "tax_exchange_rate" == info.value.field

    def test_bt_111(self) -> None:
        """BT-111: VAT 240.00 EUR × 0.85 = 204.00 GBP in the tax currency (BT-6)."""
        draft = sample_invoice(tax_currency="GBP", tax_exchange_rate="0.85")

        assert to_money("204.00", "GBP") == draft.totals().vat_total_tax_currency

    def test_worked_example(self) -> None:
        """DOMAIN.md §2 worked example through an Invoice: BT-112 170.37, BT-115 120.37."""
        draft = sample_invoice(
            lines=[
                Line(description="L1", quantity=10, unit_price=eur("12.50"), vat=FR_STANDARD),
                Line(description="L2", quantity=3, unit_price=eur("7.99"), vat=FR_REDUCED),
            ],
            allowances=[DocumentAllowance(amount=eur("10.00"), vat=FR_STANDARD)],
            charges=[DocumentCharge(amount=eur("5.90"), vat=FR_STANDARD)],
            prepaid=eur("50.00"),
        )
        t = draft.totals()

        assert (eur("144.87"), eur("25.50"), eur("170.37"), eur("120.37")) == (
            t.tax_exclusive_total,
            t.vat_total,
            t.tax_inclusive_total,
            t.amount_due,
        )

    def test_jpy_totals(self) -> None:
        """A JPY invoice has whole-yen totals: 3 × 333 = 999, VAT 200, TTC 1 199 (0 decimals)."""
        jpy = Line(description="A", quantity=3, unit_price=to_money("333", "JPY"), vat=FR_STANDARD)
        t = sample_invoice(currency="JPY", lines=[jpy]).totals()
        amounts = [t.tax_exclusive_total, t.vat_total, t.tax_inclusive_total, t.amount_due]

        assert [Decimal(999), Decimal(200), Decimal(1199), Decimal(1199)] == [
            m.amount for m in amounts
        ]
        assert [0, 0, 0, 0] == [m.amount.as_tuple().exponent for m in amounts]

    def test_totals_cached(self) -> None:
        """totals() is computed once and kept: the document is immutable."""
        draft = sample_invoice()

        assert draft.totals() is draft.totals()

    def test_totals_cached_on_issued(self) -> None:
        """An issued invoice caches its totals too, and they equal the draft's."""
        invoice = issued()

        assert invoice.totals() is invoice.totals()
        assert sample_invoice().totals() == invoice.totals()

    def test_draft_frozen(self) -> None:
        """A draft is immutable; the error is a FacturlibError that points to attrs.evolve."""
        draft = sample_invoice()
        with pytest.raises(FrozenValueError) as info:
            draft.payment_terms = "60 jours"  # type: ignore[misc]

        assert "payment_terms" == info.value.field
        assert "attrs.evolve" in str(info.value)
        assert isinstance(info.value, AttributeError)
        assert "60 jours" == attrs.evolve(draft, payment_terms="60 jours").payment_terms

    def test_draft_with_lines(self) -> None:
        """with_lines gives a draft copy with other lines."""
        draft = sample_invoice()
        changed = draft.with_lines([sample_line(quantity="1")])

        assert (eur("144.00"), eur("1440.00")) == (
            changed.totals().amount_due,
            draft.totals().amount_due,
        )

    def test_reference(self) -> None:
        """An issued invoice is referred to by number and date (BT-25, BT-26)."""
        assert InvoiceReference(number="FA-2025-0001", issue_date=date(2025, 1, 15)) == (
            issued().reference
        )

    def test_draft_reference(self) -> None:
        """A draft cannot be referenced: it has no number."""
        with pytest.raises(DocumentError) as info:
            sample_invoice().reference  # noqa: B018

        assert "number" == info.value.field

    def test_content_seal_stable(self) -> None:
        """The seal is a fingerprint of the content: equal content, equal seal."""
        assert sample_invoice().content_seal() == sample_invoice().content_seal()

    def test_content_seal_changes(self) -> None:
        """Any content change changes the seal."""
        assert sample_invoice().content_seal() != sample_invoice(notes=("x",)).content_seal()


class TestQuote:
    def test_valid_until_after_issue(self) -> None:
        """A quote cannot expire before it is dated."""
        with pytest.raises(DocumentError) as info:
            quote(valid_until=date(2025, 1, 1))

        assert "valid_until" == info.value.field

    def test_to_order_carries_body(self) -> None:
        """Devis → bon de commande keeps parties, currency and conditions (DOMAIN.md §1.2)."""
        source = quote()
        order = source.to_order(on=date(2025, 1, 10), number="BC-42", purchase_order="PO-7781")

        assert (
            source.seller,
            source.buyer,
            source.currency,
            source.charges,
            source.global_discount,
            source.notes,
            source.payment_terms,
            source.rounding,
        ) == (
            order.seller,
            order.buyer,
            order.currency,
            order.charges,
            order.global_discount,
            order.notes,
            order.payment_terms,
            order.rounding,
        )

    def test_to_order_links(self) -> None:
        """The order refers to the quote and records the buyer's PO (future BT-13)."""
        order = quote().to_order(on=date(2025, 1, 10), number="BC-42", purchase_order="PO-7781")

        assert ("DE-2025-0007", "PO-7781", "BC-42", date(2025, 1, 10)) == (
            order.quote_reference,
            order.purchase_order,
            order.number,
            order.issue_date,
        )

    def test_to_order_source_lines(self) -> None:
        """Order lines keep the quote line ids as source_line."""
        order = quote().to_order(on=date(2025, 1, 10))

        assert [("1", "1"), ("2", "2")] == [(line.id, line.source_line) for line in order.lines]

    def test_to_order_on_last_day(self) -> None:
        """An unaccepted quote converted with the override on its last valid day."""
        sent = quote(status="sent")

        assert (
            date(2025, 1, 31)
            == sent.to_order(on=date(2025, 1, 31), allow_unaccepted=True).issue_date
        )

    def test_expired(self) -> None:
        """An unaccepted quote past valid_until refuses to become an order, with a hint."""
        with pytest.raises(DocumentError) as info:
            quote(status="sent").to_order(on=date(2025, 2, 1), allow_unaccepted=True)

        assert "valid_until" == info.value.field
        assert date(2025, 1, 31) == info.value.value
        assert "expired" in str(info.value)
        assert "allow_expired=True" in str(info.value)

    def test_expired_override(self) -> None:
        """allow_expired=True converts an expired quote anyway."""
        order = quote(status="expired").to_order(
            on=date(2025, 2, 1), allow_unaccepted=True, allow_expired=True
        )

        assert date(2025, 2, 1) == order.issue_date

    def test_accepted_converts_after_validity(self) -> None:
        """An accepted quote became a contract in time: the order may be dated later."""
        assert date(2025, 3, 1) == quote().to_order(on=date(2025, 3, 1)).issue_date

    def test_no_validity(self) -> None:
        """A quote without valid_until never expires."""
        sent = quote(valid_until=None, status="sent")

        assert isinstance(sent.to_order(on=date(2030, 1, 1), allow_unaccepted=True), Order)

    def test_unaccepted_refused(self) -> None:
        """A sent quote is not an order: the error says to record the acceptance."""
        with pytest.raises(LifecycleError) as info:
            quote(status="sent").to_order(on=date(2025, 1, 10))

        assert ("status", "sent") == (info.value.field, info.value.value)
        assert "accept_quote" in str(info.value)

    @pytest.mark.parametrize("status", ["refused", "superseded", "cancelled"])
    def test_closed_never_converts(self, status: str) -> None:
        """A refused, superseded or cancelled quote never converts, even overridden."""
        with pytest.raises(LifecycleError):
            quote(status=status).to_invoice(allow_unaccepted=True, allow_expired=True)

    def test_to_invoice(self) -> None:
        """A quote may be invoiced directly; the invoice refers to it."""
        invoice = quote().to_invoice(due_date=date(2025, 2, 28))

        assert ("DE-2025-0007", DocumentStatus.DRAFT, None) == (
            invoice.quote_reference,
            invoice.status,
            invoice.number,
        )

    def test_frozen(self) -> None:
        """A quote is immutable (STYLE.md "Value objects")."""
        with pytest.raises(FrozenValueError):
            quote().valid_until = None  # type: ignore[misc]


class TestOrder:
    def order(self) -> Order:
        return quote().to_order(
            on=date(2025, 1, 10),
            number="BC-42",
            purchase_order="PO-7781",
            delivery_date=date(2025, 1, 20),
        )

    def test_to_invoice_links(self) -> None:
        """BT-13 = the buyer's PO, BT-14 = the sales order, and the quote is kept (§1.1)."""
        invoice = self.order().to_invoice(due_date=date(2025, 2, 28))

        assert ("PO-7781", "BC-42", "DE-2025-0007", date(2025, 1, 20)) == (
            invoice.purchase_order,
            invoice.order_reference,
            invoice.quote_reference,
            invoice.delivery_date,
        )

    def test_purchase_order_falls_back_on_number(self) -> None:
        """Without a buyer PO, BT-13 is the order's own number."""
        order = quote().to_order(on=date(2025, 1, 10), number="BC-42")

        assert "BC-42" == order.to_invoice().purchase_order

    def test_to_invoice_fields_override(self) -> None:
        """Keyword arguments set invoice fields, overriding the carried ones."""
        invoice = self.order().to_invoice(purchase_order="PO-OTHER", kind="deposit")

        assert ("PO-OTHER", DocumentKind.DEPOSIT) == (invoice.purchase_order, invoice.kind)

    def test_to_invoice_carries_body(self) -> None:
        """Parties, conditions and rounding reach the invoice unchanged."""
        source = quote()
        invoice = self.order().to_invoice()

        assert (
            source.seller,
            source.buyer,
            source.charges,
            source.global_discount,
            source.notes,
            source.payment_terms,
            source.rounding,
        ) == (
            invoice.seller,
            invoice.buyer,
            invoice.charges,
            invoice.global_discount,
            invoice.notes,
            invoice.payment_terms,
            invoice.rounding,
        )

    def test_to_invoice_source_lines(self) -> None:
        """Invoice lines refer to the order lines (source_line = original id)."""
        invoice = self.order().to_invoice()

        assert [("1", "1"), ("2", "2")] == [(line.id, line.source_line) for line in invoice.lines]
        assert [line.description for line in quote().lines] == [
            line.description for line in invoice.lines
        ]

    def test_totals_equal_along_the_chain(self) -> None:
        """Quote, order and invoice have the same totals (one computation, DOMAIN.md §2)."""
        source = quote()
        order = source.to_order(on=date(2025, 1, 10))
        invoice = order.to_invoice(due_date=date(2025, 2, 28))

        assert source.totals() == order.totals() == invoice.totals()

    def test_totals_cached(self) -> None:
        """Order totals are cached."""
        order = self.order()

        assert order.totals() is order.totals()


GOLDEN = Path(__file__).parent.parent / "golden" / "serialize"


class TestNote:
    def test_plain_strings_become_notes(self) -> None:
        """Documents accept strings and Notes, and store Notes (BG-1)."""
        invoice = sample_invoice(notes=["Merci", Note("Escompte : néant.", "AAB")])

        assert (Note("Merci"), Note("Escompte : néant.", "AAB")) == invoice.notes

    def test_quotes_and_orders_too(self) -> None:
        """Quotes and orders hold Notes as well."""
        quote = Quote(
            seller=sample_seller(),
            buyer=sample_buyer(),
            currency="EUR",
            lines=[sample_line()],
            notes=["Valable 30 jours"],
        )

        assert (Note("Valable 30 jours"),) == quote.notes

    def test_subject_is_checked(self) -> None:
        """A subject outside UNTDID 4451 (BR-CL-08) is refused; case is normalised."""
        assert "PMT" == Note("40 €", "pmt").subject
        with pytest.raises(DocumentError) as exc_info:
            Note("x", "XYZ")

        assert "note.subject" == exc_info.value.field

    @pytest.mark.parametrize("text", ["", "  "])
    def test_empty_text(self, text: str) -> None:
        """A note needs a text."""
        with pytest.raises(DocumentError):
            Note(text)

    @pytest.mark.parametrize("notes", ["Merci", Note("Merci"), [3]])
    def test_wrong_notes(self, notes: object) -> None:
        """A bare string or note (not a sequence) and non-text items are refused."""
        with pytest.raises(InvalidValue) as exc_info:
            sample_invoice(notes=notes)

        assert (exc_info.value.field or "").startswith("notes")

    def test_str(self) -> None:
        """str() of a note is its text."""
        assert "Merci" == str(Note("Merci", "AAI"))


class TestDeliverTo:
    def test_deliver_to(self) -> None:
        """An invoice carries its deliver-to place (BG-13/BG-15)."""
        place = DeliverTo(Address(city="Vénissieux", country_code="FR"), name="Entrepôt")

        assert place == sample_invoice(deliver_to=place).deliver_to

    def test_address_is_required(self) -> None:
        """A deliver-to place needs an Address."""
        with pytest.raises(InvalidValue) as exc_info:
            DeliverTo("Lyon")  # type: ignore[arg-type]

        assert "address" == exc_info.value.field


class TestNewInvoiceFields:
    def test_defaults(self) -> None:
        """The 2026 fields default to nothing (derived at the point of use)."""
        invoice = sample_invoice()

        assert ((), None, None, None, None, None) == (
            invoice.payment_means,
            invoice.rounding_amount,
            invoice.billing_framework,
            invoice.reporting_category,
            invoice.deliver_to,
            invoice.project_reference,
        )

    @pytest.mark.parametrize(
        ("field", "value"),
        [("billing_framework", "S3X"), ("billing_framework", "B3"), ("reporting_category", "B2G")],
    )
    def test_overrides_are_checked(self, field: str, value: str) -> None:
        """BT-23 and BAR overrides are checked against the admitted lists (BR-FR-08/-20)."""
        with pytest.raises(DocumentError) as exc_info:
            sample_invoice(**{field: value})

        assert field == exc_info.value.field

    def test_rounding_amount_currency(self) -> None:
        """An explicit BT-114 is in the invoice currency."""
        with pytest.raises(CurrencyMismatch):
            sample_invoice(rounding_amount=to_money("0.01", "USD"))

    def test_tax_currency_differs(self) -> None:
        """A tax currency equal to the invoice currency is refused (BT-6)."""
        with pytest.raises(DocumentError) as exc_info:
            sample_invoice(tax_currency="EUR", tax_exchange_rate="1")

        assert "tax_currency" == exc_info.value.field

    def test_usd_invoice_with_vat_in_euros(self) -> None:
        """A USD invoice of a French seller states its VAT in EUR (BT-6, BT-111, BR-FR-CO-12)."""
        line = sample_line(unit_price=to_money("100.00", "USD"), quantity="1")
        invoice = sample_invoice(
            currency="USD", lines=[line], tax_currency="EUR", tax_exchange_rate="0.9"
        )

        assert to_money("18.00", "EUR") == invoice.totals().vat_total_tax_currency


class TestSealCompatibility:
    def test_invoice_issued_by_0_1_keeps_its_seal(self) -> None:
        """JSON of an invoice issued by 0.1 (string notes and address) still loads."""
        from facturlib.core.serialize import from_json

        invoice = from_json(Invoice, (GOLDEN / "issued_invoice_0_1.json").read_text("utf-8"))

        assert ("FA-2025-0001", (Note("Merci"), Note("b")), "EM") == (
            invoice.number,
            invoice.notes,
            invoice.seller.electronic_address.scheme,
        )

    def test_new_fields_are_sealed(self) -> None:
        """Changing a 2026 field of an issued invoice breaks its seal."""
        invoice, _ = issue(sample_invoice(), sample_scheme(), SequenceState(), on=date(2025, 1, 10))

        with pytest.raises(IssuedDocumentError):
            attrs.evolve(invoice, project_reference="PRJ-1")
        with pytest.raises(IssuedDocumentError):
            attrs.evolve(invoice, notes=[Note("Merci", "AAI")])


class TestBillingFramework:
    def _invoice(self, *supplies: SupplyKind | None, **fields: object) -> Invoice:
        lines = [sample_line(supply=s, id=str(i)) for i, s in enumerate(supplies)]
        return sample_invoice(lines=lines, **fields)

    @pytest.mark.parametrize(
        ("supplies", "expected"),
        [
            ((None,), "S1"),
            ((SupplyKind.SERVICES, None), "S1"),
            ((SupplyKind.GOODS,), "B1"),
            ((SupplyKind.GOODS, SupplyKind.GOODS), "B1"),
            ((SupplyKind.GOODS, None), "M1"),
            ((SupplyKind.GOODS, SupplyKind.SERVICES), "M1"),
        ],
    )
    def test_letter_from_the_lines(self, supplies: tuple, expected: str) -> None:
        """B goods, S services or unspecified, M both (CGI ann. II 242 nonies A I-8° bis)."""
        assert expected == billing_framework(self._invoice(*supplies))

    def test_already_paid(self) -> None:
        """Prepaid = total with VAT gives digit 2 (BR-FR-CO-09)."""
        invoice = self._invoice(SupplyKind.GOODS, prepaid=to_money("1440.00", "EUR"))

        assert "B2" == billing_framework(invoice)

    def test_final_after_deposit(self) -> None:
        """A final invoice deducting deposits gives digit 4 (BR-FR-CO-08)."""
        from facturlib.testing.builders import sample_deposit_invoices

        deposit, final = sample_deposit_invoices()

        assert ("S1", "S4") == (billing_framework(deposit), billing_framework(final))

    def test_deposit_with_prepaid_is_not_4(self) -> None:
        """A deposit invoice never gets digit 4 (BR-FR-CO-08)."""
        invoice = self._invoice(None, kind=DocumentKind.DEPOSIT, prepaid=to_money("10", "EUR"))

        assert "S1" == billing_framework(invoice)

    def test_override_wins(self) -> None:
        """An explicit framework wins."""
        assert "S6" == billing_framework(self._invoice(SupplyKind.GOODS, billing_framework="S6"))


class TestReportingCategory:
    def test_french_businesses(self) -> None:
        """Seller and buyer in France: B2B."""
        assert "B2B" == reporting_category(sample_invoice())

    def test_consumer(self) -> None:
        """A buyer with no SIREN, SIRET or VAT id: B2C."""
        buyer = sample_buyer(siren=None, siret=None, vat_id=None)

        assert "B2C" == reporting_category(sample_invoice(buyer=buyer))

    def test_foreign_business(self) -> None:
        """A business buyer outside France: B2BINT."""
        buyer = sample_buyer(
            siren=None,
            siret=None,
            vat_id="DE136695976",
            address=Address(city="Berlin", country_code="DE"),
        )

        assert "B2BINT" == reporting_category(sample_invoice(buyer=buyer))

    def test_out_of_scope(self) -> None:
        """Every line outside the scope of VAT: OUTOFSCOPE."""
        line = sample_line(vat=VatRate.outside_scope())

        assert "OUTOFSCOPE" == reporting_category(sample_invoice(lines=[line]))

    def test_override_wins(self) -> None:
        """An explicit category wins."""
        assert "ARCHIVEONLY" == reporting_category(sample_invoice(reporting_category="archiveonly"))


class TestComments:
    """Comment-only lines (issue 18): placed before a line, carried over, never totalled."""

    def draft(self, *comments: object) -> Invoice:
        from facturlib.core.lines import CommentLine

        return sample_invoice(
            comments=[c if not isinstance(c, str) else CommentLine(c) for c in comments]
            or [CommentLine("Lot 1", before="1"), CommentLine("Livraison offerte")]
        )

    def test_kept_in_order(self) -> None:
        """Comments keep their text and place; the totals ignore them."""
        draft = self.draft()

        assert (
            [("Lot 1", "1"), ("Livraison offerte", None)],
            sample_invoice().totals(),
        ) == ([(c.text, c.before) for c in draft.comments], draft.totals())

    def test_unknown_line_refused(self) -> None:
        """A comment before a line the document does not have is refused, naming the ids."""
        from facturlib.core.lines import CommentLine

        with pytest.raises(DocumentError, match=r"line ids \['1'\]"):
            self.draft(CommentLine("Lot 9", before="9"))

    def test_must_be_comment_lines(self) -> None:
        """comments holds CommentLine values."""
        with pytest.raises(InvalidValue):
            sample_invoice(comments=[42])

    def test_carried_to_the_invoice(self) -> None:
        """An order's comments go to the invoice made from it."""
        from facturlib.core.lines import CommentLine

        order = Order(
            seller=sample_seller(),
            buyer=sample_buyer(),
            currency="EUR",
            lines=[sample_line()],
            comments=[CommentLine("Lot 1", before="1")],
        )

        assert order.comments == order.to_invoice().comments

    def test_with_lines_drops_orphans(self) -> None:
        """with_lines keeps comments whose line is still there (and those after every line)."""
        from facturlib.core.lines import CommentLine

        draft = self.draft(CommentLine("Lot 1", before="1"), CommentLine("Fin"))
        other = draft.with_lines([sample_line(id="X")])

        assert [("Fin", None)] == [(c.text, c.before) for c in other.comments]

    def test_issued_seal_unchanged_without_comments(self) -> None:
        """An invoice without comments seals as before the field existed (it is left out)."""
        on = date(2025, 1, 15)
        invoice, _ = issue(sample_invoice(), sample_scheme(), SequenceState(), on=on)
        with_comment, _ = issue(self.draft(), sample_scheme(), SequenceState(), on=on)

        from facturlib.core._canonical import fingerprint

        fields = {f.name: getattr(invoice, f.name) for f in attrs.fields(Invoice) if f.init}
        del fields["comments"]  # the invoice as 0.1 knew it
        fields.pop("seal")

        assert (fingerprint("Invoice", fields, _since_fields()), False) == (
            invoice.seal,
            with_comment.seal == invoice.seal,
        )


def _since_fields() -> dict[str, object]:
    return {
        f.name: f.default
        for f in attrs.fields(Invoice)
        if "since" in f.metadata and f.name != "comments"
    }


class TestOtherTaxesOnDocuments:
    def test_other_rate_refused_with_the_fix(self) -> None:
        """A tax of another VAT rate included in a line's price is refused; the hint says
        to split it onto its own line."""
        from facturlib.core.lines import OtherTax

        line = sample_line(
            other_taxes=[OtherTax(name="Éco", amount=to_money("1.00", "EUR"), vat=FR_REDUCED)]
        )

        with pytest.raises(DocumentError, match="split_other_taxes"):
            sample_invoice(lines=[line])

    def test_split_lines_accepted(self) -> None:
        """Split, the same line makes a document with a line per VAT rate."""
        from facturlib.core.lines import OtherTax, split_other_taxes

        line = sample_line(
            other_taxes=[OtherTax(name="Éco", amount=to_money("1.00", "EUR"), vat=FR_REDUCED)]
        )
        draft = sample_invoice(lines=split_other_taxes(line))

        assert [FR_STANDARD, FR_REDUCED] == [entry.vat for entry in draft.totals().vat_breakdown]
