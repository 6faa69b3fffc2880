"""Round trip: every document of the e-invoicing matrix, written as CII and UBL, reads back
to the same lines, parties and totals, with no problem."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from facturlib.core.documents import Invoice
from facturlib.core.issuing import issue
from facturlib.core.numbering import NumberingScheme, SequenceState
from facturlib.core.vat import VatCategory
from facturlib.einvoice.cii import to_cii
from facturlib.einvoice.reading import HeaderOnlyInvoice, read_einvoice
from facturlib.einvoice.ubl import to_ubl
from facturlib.testing import strategies

CII_PROFILES = ("BASIC", "EN 16931", "EXTENDED")


def _line_facts(invoice: Invoice, ttc: bool = False) -> list[tuple[Any, ...]]:
    # An e-invoice states net prices without VAT (BT-146): a TTC-priced document comes
    # back HT-priced, with the same line nets and totals.
    return [
        (
            line.description,
            line.quantity,
            line.unit,
            None if ttc else line.unit_price,
            net,
            line.base_quantity,
            line.vat.category,
            line.vat.percent,
            line.id,
        )
        for line, net in zip(invoice.lines, invoice.totals().line_nets, strict=True)
    ]


def _party_facts(invoice: Invoice) -> list[tuple[Any, ...]]:
    # An invoice outside the scope of VAT carries no VAT ids (BR-O-02, BR-O-03).
    outside = all(line.vat.category is VatCategory.O for line in invoice.lines)
    return [
        (p.name, p.siren, None if outside else p.vat_id, p.address.city, p.address.country_code)
        for p in (invoice.seller, invoice.buyer)
    ]


def _total_facts(invoice: Invoice) -> tuple[Any, ...]:
    t = invoice.totals()
    return (
        t.line_net_total,
        t.allowance_total,
        t.charge_total,
        t.tax_exclusive_total,
        t.vat_total,
        t.tax_inclusive_total,
        t.prepaid_total,
        t.amount_due,
        tuple((b.vat.category, b.vat.percent, b.taxable, b.amount) for b in t.vat_breakdown),
    )


def assert_same(original: Invoice, data: bytes, tolerated: frozenset[str] = frozenset()) -> None:
    """*data* reads back as *original*: number, kind, dates, lines, parties, totals."""
    received = read_einvoice(data)
    document = received.document
    assert isinstance(document, Invoice)
    assert [] == [p for p in received.problems if p.code not in {"identifier-check", *tolerated}]
    assert (original.number, original.kind, original.issue_date, original.due_date) == (
        document.number,
        document.kind,
        document.issue_date,
        document.due_date,
    )
    ttc = original.prices_include_vat
    assert _line_facts(original, ttc) == _line_facts(document, ttc)
    assert _party_facts(original) == _party_facts(document)
    assert _total_facts(original) == _total_facts(document)
    assert [r.number for r in original.preceding] == [r.number for r in document.preceding]


@pytest.fixture(scope="module")
def matrix(einvoice_documents: dict[str, object]) -> dict[str, Invoice]:
    return {k: v for k, v in einvoice_documents.items() if isinstance(v, Invoice)}


class TestRoundTrip:
    @pytest.mark.parametrize("profile", CII_PROFILES)
    def test_cii_matrix(self, matrix: dict[str, Invoice], profile: str) -> None:
        """Every matrix document written as CII in *profile* reads back the same."""
        assert matrix
        for name, invoice in matrix.items():
            try:
                data = to_cii(invoice, profile)
            except Exception as exc:  # a profile that cannot carry the document
                pytest.fail(f"{name}: {exc}")
            assert_same(invoice, data)

    def test_ubl_matrix(self, matrix: dict[str, Invoice]) -> None:
        """Every matrix document written as UBL reads back the same."""
        for name, invoice in matrix.items():
            # The UBL writer does not write BT-90 (the SEPA creditor id) yet, so a direct
            # debit (59) read back lacks it: reported as a payment-means problem.
            tolerated = (
                frozenset({"payment-means"}) if name.startswith("direct-debit") else frozenset()
            )
            assert_same(invoice, to_ubl(invoice), tolerated)

    @pytest.mark.parametrize("profile", ["MINIMUM", "BASIC WL"])
    def test_header_only_profiles(self, matrix: dict[str, Invoice], profile: str) -> None:
        """MINIMUM and BASIC WL read back as header-only documents with the same due amount."""
        for invoice in matrix.values():
            received = read_einvoice(to_cii(invoice, profile))
            assert isinstance(received.document, HeaderOnlyInvoice)
            assert invoice.totals().amount_due == received.stated.amount_due
            assert [] == [p for p in received.problems if p.code != "identifier-check"]


class TestRoundTripProperty:
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(draft=strategies.invoices())
    def test_generated_documents(self, draft: Invoice) -> None:
        """Generated documents written as CII and UBL read back the same."""
        from datetime import date

        try:
            invoice, _ = issue(
                draft,
                NumberingScheme(pattern="FA-{yyyy}-{seq:05}"),
                SequenceState(),
                on=date(2026, 9, 15),
            )
        except Exception:
            return  # drafts that cannot be issued are the issuing tests' business
        assert_same(invoice, to_cii(invoice, "EN 16931"))
        assert_same(invoice, to_ubl(invoice))
