"""Reading received e-invoices: samples, stated-vs-computed problems, and hostile input."""

from __future__ import annotations

import io
import os
import zlib
from decimal import Decimal
from pathlib import Path

import attrs
import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moneyed import Money

from facturlib.core.documents import DocumentKind, DocumentStatus, Invoice
from facturlib.core.errors import EInvoiceReadError, FacturlibError, IssuedDocumentError
from facturlib.einvoice.reading import (
    HeaderOnlyInvoice,
    NamedParty,
    ReadLimits,
    ReceivedInvoice,
    profile_name,
    read_einvoice,
)

_REPO = Path(__file__).resolve().parents[2]


def _samples_dir() -> Path | None:
    for candidate in (
        os.environ.get("FACTURLIB_VALIDATE_DIR"),
        str(_REPO.parent / "shared/validate"),
    ):
        if candidate and (Path(candidate) / "samples").is_dir():
            return Path(candidate) / "samples"
    return None


SAMPLES = _samples_dir()
needs_samples = pytest.mark.skipif(SAMPLES is None, reason="../shared/validate/samples not found")

#: Problems about arithmetic: what the sender stated against what the lines give.
ARITHMETIC = ("BR-CO-1", "-08", "PEPPOL-EN16931-R120")

CII_MINIMAL = b"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
<rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>
<ram:ID>urn:cen.eu:en16931:2017</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
</rsm:ExchangedDocumentContext>
<rsm:ExchangedDocument><ram:ID>F-2026-7</ram:ID><ram:TypeCode>380</ram:TypeCode>
<ram:IssueDateTime><udt:DateTimeString format="102">20260915</udt:DateTimeString>
</ram:IssueDateTime>
<ram:IncludedNote><ram:Content>Merci</ram:Content>
<ram:SubjectCode>AAI</ram:SubjectCode></ram:IncludedNote>
</rsm:ExchangedDocument>
<rsm:SupplyChainTradeTransaction>
<ram:IncludedSupplyChainTradeLineItem>
<ram:AssociatedDocumentLineDocument><ram:LineID>1</ram:LineID></ram:AssociatedDocumentLineDocument>
<ram:SpecifiedTradeProduct><ram:Name>Conseil</ram:Name></ram:SpecifiedTradeProduct>
<ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice>
<ram:ChargeAmount>{PRICE}</ram:ChargeAmount>
</ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>
<ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="HUR">3</ram:BilledQuantity>
</ram:SpecifiedLineTradeDelivery>
<ram:SpecifiedLineTradeSettlement><ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode>
<ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>20</ram:RateApplicablePercent>
</ram:ApplicableTradeTax>
<ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>300.00</ram:LineTotalAmount>
</ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement>
</ram:IncludedSupplyChainTradeLineItem>
<ram:ApplicableHeaderTradeAgreement>
<ram:SellerTradeParty><ram:Name>Fournisseur SAS</ram:Name>
<ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">732829320</ram:ID>
</ram:SpecifiedLegalOrganization>
<ram:PostalTradeAddress><ram:CityName>Paris</ram:CityName>
<ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>
<ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">FR44732829320</ram:ID>
</ram:SpecifiedTaxRegistration>
</ram:SellerTradeParty>
<ram:BuyerTradeParty><ram:Name>Client SARL</ram:Name>
<ram:PostalTradeAddress><ram:CityName>Lyon</ram:CityName>
<ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>
</ram:BuyerTradeParty>
</ram:ApplicableHeaderTradeAgreement>
<ram:ApplicableHeaderTradeDelivery/>
<ram:ApplicableHeaderTradeSettlement>
<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
<ram:ApplicableTradeTax><ram:CalculatedAmount>{VAT}</ram:CalculatedAmount>
<ram:TypeCode>VAT</ram:TypeCode>
<ram:BasisAmount>300.00</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode>
<ram:RateApplicablePercent>20</ram:RateApplicablePercent></ram:ApplicableTradeTax>
<ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime>
<udt:DateTimeString format="102">20261015</udt:DateTimeString>
</ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>
<ram:SpecifiedTradeSettlementHeaderMonetarySummation>
<ram:LineTotalAmount>300.00</ram:LineTotalAmount>
<ram:TaxBasisTotalAmount>300.00</ram:TaxBasisTotalAmount>
<ram:TaxTotalAmount currencyID="EUR">{VAT}</ram:TaxTotalAmount>
<ram:GrandTotalAmount>{GRAND}</ram:GrandTotalAmount>
<ram:DuePayableAmount>{GRAND}</ram:DuePayableAmount>
</ram:SpecifiedTradeSettlementHeaderMonetarySummation>
</ram:ApplicableHeaderTradeSettlement>
</rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>"""


def cii(price: str = "100.00", vat: str = "60.00", grand: str = "360.00") -> bytes:
    """The small CII invoice above with the given line price, VAT and grand total."""
    return (
        CII_MINIMAL.replace(b"{PRICE}", price.encode())
        .replace(b"{VAT}", vat.encode())
        .replace(b"{GRAND}", grand.encode())
    )


def pdf_with(
    attachment: bytes | None, *, name: str = "factur-x.xml", raw_flate: bool = False
) -> bytes:
    """A one-page PDF carrying *attachment* under *name* (as pre-compressed Flate data if asked)."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    if attachment is not None:
        if raw_flate:
            stream = pikepdf.Stream(pdf, attachment)
            stream.Filter = pikepdf.Name.FlateDecode
        else:
            stream = pikepdf.Stream(pdf, attachment)
        stream.Type = pikepdf.Name.EmbeddedFile
        filespec = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Filespec,
                F=pikepdf.String(name),
                UF=pikepdf.String(name),
                EF=pikepdf.Dictionary(F=stream),
            )
        )
        pdf.Root.Names = pikepdf.Dictionary(
            EmbeddedFiles=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String(name), filespec]))
        )
        pdf.Root.AF = pikepdf.Array([filespec])
    out = io.BytesIO()
    pdf.save(out, compress_streams=not raw_flate)
    return out.getvalue()


class TestReadEinvoice:
    def test_cii_document_as_written(self) -> None:
        """A CII invoice reads back with its own number, dates, parties and lines, sealed."""
        received = read_einvoice(cii())
        document = received.document
        assert isinstance(document, Invoice)
        assert ("CII", "EN 16931", True) == (
            received.format,
            received.profile,
            received.lines_included,
        )
        assert ("F-2026-7", DocumentStatus.ISSUED) == (document.number, document.status)
        assert DocumentKind.INVOICE == document.kind
        assert "732829320" == document.seller.siren
        assert "HUR" == document.lines[0].unit
        assert Money("360.00", "EUR") == document.totals().amount_due
        assert ("AAI", "Merci") == (document.notes[0].subject, document.notes[0].text)
        assert () == received.problems

    def test_received_invoice_is_sealed(self) -> None:
        """Nobody edits a received invoice: it is issued and sealed like one of ours."""
        document = read_einvoice(cii()).document
        with pytest.raises(IssuedDocumentError):
            document.number = "X"  # type: ignore[misc]

    def test_trusted_issued_copy_equals_checked_one(self) -> None:
        """The sealed document equals what Invoice._issued_copy builds with every check."""
        from facturlib.core.documents import DocumentStatus as Status

        document = read_einvoice(cii()).document
        assert isinstance(document, Invoice)
        draft = attrs.evolve(document, status=Status.DRAFT, number=None, issue_date=None, seal=None)
        checked = draft._issued_copy(number=document.number, issue_date=document.issue_date)
        assert checked == document
        assert checked.seal == document.content_seal()

    def test_stated_totals_kept(self) -> None:
        """The stated totals are kept as written."""
        stated = read_einvoice(cii()).stated
        assert Money("300.00", "EUR") == stated.line_net_total
        assert Money("60.00", "EUR") == stated.vat_total
        assert (("1", Money("300.00", "EUR")),) == stated.line_nets

    def test_vat_within_tolerance_is_kept(self) -> None:
        """A VAT amount 0.01 off (sender's rounding, within BR-CO-17) is kept, not corrected."""
        received = read_einvoice(cii(vat="60.01", grand="360.01"))
        assert () == received.problems
        assert isinstance(received.document, Invoice)
        assert Money("60.01", "EUR") == received.document.totals().vat_total

    def test_wrong_grand_total_is_a_problem(self) -> None:
        """A grand total that is not BT-109 + BT-110 is BR-CO-15 (and BR-CO-16), not corrected."""
        received = read_einvoice(cii(grand="460.00"))
        assert ("BR-CO-15", "BR-CO-16") == received.rules_broken
        assert isinstance(received.document, Invoice)
        assert Money("360.00", "EUR") == received.document.totals().tax_inclusive_total

    def test_wrong_line_price_is_a_problem(self) -> None:
        """A line whose net is not quantity × price gives R120 and every total after it."""
        received = read_einvoice(cii(price="110.00"))
        expected = ("PEPPOL-EN16931-R120", "BR-CO-10", "BR-CO-13", "BR-S-08", "BR-CO-17")
        assert expected == received.rules_broken[:5]

    def test_vat_far_off_is_br_co_17(self) -> None:
        """A VAT amount more than one unit off is BR-CO-17."""
        received = read_einvoice(cii(vat="70.00", grand="370.00"))
        assert "BR-CO-17" in received.rules_broken

    def test_header_only(self) -> None:
        """A file without lines reads as a HeaderOnlyInvoice, with a BR-16 problem for EN 16931."""
        data = cii()
        start = data.index(b"<ram:IncludedSupplyChainTradeLineItem>")
        end = data.index(b"</ram:IncludedSupplyChainTradeLineItem>") + len(
            b"</ram:IncludedSupplyChainTradeLineItem>"
        )
        received = read_einvoice(data[:start] + data[end:])
        assert isinstance(received.document, HeaderOnlyInvoice)
        assert not received.lines_included
        assert "BR-16" in received.rules_broken

    def test_missing_number(self) -> None:
        """Without an invoice number there is no document: BR-02."""
        with pytest.raises(EInvoiceReadError) as caught:
            read_einvoice(cii().replace(b"<ram:ID>F-2026-7</ram:ID>", b""))
        assert ("BR-02",) == caught.value.rules

    def test_not_bytes(self) -> None:
        """A str is refused with a hint to read bytes."""
        with pytest.raises(EInvoiceReadError, match="expected bytes"):
            read_einvoice(cii().decode())  # type: ignore[arg-type]

    def test_caller_bytes_untouched(self) -> None:
        """Reading never changes what the caller passed."""
        data = bytearray(cii())
        before = bytes(data)
        read_einvoice(data)  # type: ignore[arg-type]
        assert before == bytes(data)

    def test_pdf_attachment(self) -> None:
        """The XML is found in the PDF's EmbeddedFiles under factur-x.xml."""
        received = read_einvoice(pdf_with(cii()))
        assert ("Factur-X PDF", "factur-x.xml") == (received.format, received.attachment)

    def test_pdf_zugferd_name(self) -> None:
        """A ZUGFeRD 2.x attachment name is found too."""
        received = read_einvoice(pdf_with(cii(), name="zugferd-invoice.xml"))
        assert "zugferd-invoice.xml" == received.attachment


class TestHostileInput:
    def test_billion_laughs(self) -> None:
        """Entity expansion never happens: a DOCTYPE is refused outright."""
        laughs = b'<!ENTITY a0 "lol">' + b"".join(
            b'<!ENTITY a%d "%s">' % (i, b"&a%d;" % (i - 1) * 10) for i in range(1, 10)
        )
        data = b'<?xml version="1.0"?><!DOCTYPE r [' + laughs + b"]><r>&a9;</r>"
        with pytest.raises(EInvoiceReadError, match="DOCTYPE"):
            read_einvoice(data)

    def test_external_entity(self) -> None:
        """An external entity to /etc/passwd is refused, and the file never read."""
        data = (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
        )
        with pytest.raises(EInvoiceReadError) as caught:
            read_einvoice(data)
        assert "root:" not in str(caught.value)
        assert "DOCTYPE" in str(caught.value)

    def test_external_dtd(self) -> None:
        """A DTD reference (network or file) is refused."""
        with pytest.raises(EInvoiceReadError, match="DOCTYPE"):
            read_einvoice(b'<!DOCTYPE r SYSTEM "http://example.invalid/x.dtd"><r/>')

    def test_oversized(self) -> None:
        """A file above ReadLimits.max_bytes is refused before parsing."""
        with pytest.raises(EInvoiceReadError, match="more than the limit"):
            read_einvoice(cii(), limits=ReadLimits(max_bytes=100))

    def test_too_deep(self) -> None:
        """Nesting deeper than max_depth is refused while parsing."""
        with pytest.raises(EInvoiceReadError, match="deep"):
            read_einvoice(b"<a>" * 60 + b"</a>" * 60)

    def test_too_many_elements(self) -> None:
        """More elements than max_elements are refused while parsing."""
        with pytest.raises(EInvoiceReadError, match="more than 1000 elements"):
            read_einvoice(b"<a>" + b"<b/>" * 2000 + b"</a>", limits=ReadLimits(max_elements=1000))

    def test_wrong_encoding(self) -> None:
        """Latin-1 bytes are not UTF-8: the error says where."""
        with pytest.raises(EInvoiceReadError, match="not valid UTF-8 at byte"):
            read_einvoice("<r>Société</r>".encode("latin-1"))

    def test_declared_other_encoding(self) -> None:
        """A declared non-UTF-8 encoding is refused."""
        with pytest.raises(EInvoiceReadError, match="other than UTF-8"):
            read_einvoice(b'<?xml version="1.0" encoding="ISO-8859-1"?><r/>')

    def test_utf16(self) -> None:
        """UTF-16 is refused."""
        with pytest.raises(EInvoiceReadError, match="UTF-16"):
            read_einvoice("<r/>".encode("utf-16"))

    def test_not_xml(self) -> None:
        """Plain text is not well-formed XML."""
        with pytest.raises(EInvoiceReadError, match="not well-formed"):
            read_einvoice(b"hello, world")

    def test_empty(self) -> None:
        """An empty file is refused."""
        with pytest.raises(EInvoiceReadError, match="empty"):
            read_einvoice(b"   ")

    def test_ubl_root_not_invoice(self) -> None:
        """A UBL Order is not an invoice facturlib reads."""
        data = b'<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>'
        with pytest.raises(EInvoiceReadError, match=r"UBL 2\.1 Invoice and CreditNote"):
            read_einvoice(data)

    def test_other_root(self) -> None:
        """Any other XML is not an e-invoice."""
        with pytest.raises(EInvoiceReadError, match="not an e-invoice"):
            read_einvoice(b"<html/>")

    def test_truncated_pdf(self) -> None:
        """A PDF cut in half is refused as truncated."""
        data = pdf_with(cii())
        with pytest.raises(EInvoiceReadError, match="truncated"):
            read_einvoice(data[: len(data) // 2])

    def test_pdf_garbage(self) -> None:
        """A PDF header followed by garbage cannot be parsed."""
        with pytest.raises(EInvoiceReadError):
            read_einvoice(b"%PDF-1.7\n" + os.urandom(2000) + b"\n%%EOF\n")

    def test_pdf_without_attachment(self) -> None:
        """A plain PDF has no invoice."""
        with pytest.raises(EInvoiceReadError, match="no invoice attachment"):
            read_einvoice(pdf_with(None))

    def test_decompression_bomb(self) -> None:
        """An attachment inflating past max_xml_bytes stops at the cap."""
        bomb = zlib.compress(b"\0" * (64 * 1024 * 1024), 9)
        data = pdf_with(bomb, raw_flate=True)
        assert len(data) < 200_000
        with pytest.raises(EInvoiceReadError, match="compression bomb"):
            read_einvoice(data)

    def test_corrupt_flate(self) -> None:
        """An attachment whose Flate data is broken is refused."""
        with pytest.raises(EInvoiceReadError, match="does not decompress"):
            read_einvoice(pdf_with(b"not zlib at all", raw_flate=True))

    def test_pdf_carrying_hostile_xml(self) -> None:
        """The attachment goes through the same safe parser."""
        data = pdf_with(b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>')
        with pytest.raises(EInvoiceReadError, match="DOCTYPE"):
            read_einvoice(data)

    def test_limits_checked(self) -> None:
        """ReadLimits refuse a non-positive bound."""
        with pytest.raises(EInvoiceReadError):
            ReadLimits(max_elements=-1)


def _valid_samples() -> list[Path]:
    if SAMPLES is None:
        return []
    folders = ("facturx/valid", "ubl/valid", "fr/valid")
    return sorted(
        p for f in folders for p in (SAMPLES / f).glob("*") if p.suffix.lower() in (".xml", ".pdf")
    )


@needs_samples
class TestSamples:
    @pytest.mark.parametrize("path", _valid_samples(), ids=lambda p: p.name)
    def test_valid_sample_reads_and_totals_match(self, path: Path) -> None:
        """Every valid official/third-party sample reads and its stated totals match ours."""
        received = read_einvoice(path.read_bytes())
        arithmetic = [p for p in received.problems if any(k in p.code for k in ARITHMETIC)]
        assert [] == arithmetic
        if isinstance(received.document, Invoice):
            totals = received.document.totals()
            assert received.stated.amount_due is not None
            rounding = received.stated.rounding_amount or Money(0, totals.currency)
            assert received.stated.amount_due == totals.amount_due + rounding

    @pytest.mark.parametrize(
        ("name", "rules"),
        [
            ("facturx/mutated/en16931_grand_total_plus_100.xml", {"BR-CO-15"}),
            ("facturx/mutated/extended_grand_total_plus_100.xml", {"BR-CO-15"}),
            ("facturx/mutated/pdf_en16931_embedded_grand_total_plus_100.pdf", {"BR-CO-15"}),
            ("facturx/mutated/en16931_line1_net_price_plus_1.xml", {"PEPPOL-EN16931-R120"}),
            ("facturx/invalid/corpus_fail_noNetPriceValidation.xml", {"PEPPOL-EN16931-R120"}),
            ("ubl/mutated/example4_line1_price_plus_1.xml", {"PEPPOL-EN16931-R120"}),
            ("ubl/mutated/example4_payable_amount_plus_100.xml", {"BR-CO-16"}),
            ("facturx/legacy/cen_CII_example1.xml", {"PEPPOL-EN16931-R120"}),
            ("ubl/legacy/cen_ubl-tc434-example1.xml", {"PEPPOL-EN16931-R120"}),
        ],
    )
    def test_broken_sample_gives_expected_problems(self, name: str, rules: set[str]) -> None:
        """A sample with wrong arithmetic gives the rule the official validator names."""
        assert SAMPLES is not None
        received = read_einvoice((SAMPLES / name).read_bytes())
        assert rules <= set(received.rules_broken)

    @pytest.mark.parametrize(
        ("name", "rule"),
        [
            ("facturx/mutated/en16931_missing_invoice_number.xml", "BR-02"),
            ("ubl/mutated/example4_missing_invoice_number.xml", "BR-02"),
            ("facturx/mutated/en16931_missing_seller_name.xml", "BR-06"),
            ("ubl/mutated/creditnote1_missing_seller_name.xml", "BR-06"),
        ],
    )
    def test_sample_missing_mandatory_term(self, name: str, rule: str) -> None:
        """A sample lacking what a document cannot exist without raises with the rule id."""
        assert SAMPLES is not None
        with pytest.raises(EInvoiceReadError) as caught:
            read_einvoice((SAMPLES / name).read_bytes())
        assert rule in caught.value.rules

    def test_unstructured_pdf(self) -> None:
        """A PDF without an invoice XML is refused."""
        assert SAMPLES is not None
        data = (SAMPLES / "facturx/invalid/corpus_unstructured_Hetzner.pdf").read_bytes()
        with pytest.raises(EInvoiceReadError, match="no invoice attachment"):
            read_einvoice(data)

    def test_minimum_is_header_only(self) -> None:
        """A MINIMUM file has no lines and names its buyer without an address."""
        assert SAMPLES is not None
        received = read_einvoice(
            (SAMPLES / "facturx/valid/akretion_factur-x-minimum.xml").read_bytes()
        )
        assert isinstance(received.document, HeaderOnlyInvoice)
        assert isinstance(received.document.buyer, NamedParty)
        assert "MINIMUM" == received.profile

    def test_credit_note_ubl(self) -> None:
        """A UBL CreditNote reads as a credit note."""
        assert SAMPLES is not None
        received = read_einvoice((SAMPLES / "ubl/valid/cen_ubl-tc434-creditnote1.xml").read_bytes())
        assert isinstance(received.document, Invoice)
        assert DocumentKind.CREDIT_NOTE == received.document.kind


def _fuzz_seeds() -> list[bytes]:
    seeds = [cii()]
    if SAMPLES is not None:
        for name in (
            "facturx/valid/akretion_factur-x-basicwl.xml",
            "ubl/valid/cen_ubl-tc434-example4.xml",
        ):
            seeds.append((SAMPLES / name).read_bytes())
    seeds.append(pdf_with(cii()))
    return seeds


class TestFuzz:
    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        seed=st.sampled_from(_fuzz_seeds()),
        edits=st.lists(
            st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255), st.integers(0, 3)),
            min_size=1,
            max_size=8,
        ),
    )
    def test_mutated_bytes(self, seed: bytes, edits: list[tuple[float, int, int]]) -> None:
        """Mutated valid files give a ReceivedInvoice or a FacturlibError, nothing else."""
        data = bytearray(seed)
        for where, byte, action in edits:
            at = int(where * len(data))
            if action == 0:
                data[at] = byte
            elif action == 1:
                del data[at : at + 1 + byte]
            elif action == 2:
                data[at:at] = bytes([byte]) * 3
            else:
                data = data[:at]
            if not data:
                data = bytearray(b"x")
        try:
            result = read_einvoice(bytes(data))
        except FacturlibError:
            return
        assert isinstance(result, ReceivedInvoice)


class TestProfileName:
    def test_known(self) -> None:
        """Factur-X ids give their profile names."""
        assert "BASIC WL" == profile_name("urn:factur-x.eu:1p0:basicwl")

    def test_unknown_kept(self) -> None:
        """An unknown id is returned as written."""
        assert "urn:x" == profile_name("urn:x")

    def test_none(self) -> None:
        """No id, no profile."""
        assert profile_name(None) is None


def test_decimal_places_kept() -> None:
    """Quantities and prices keep their value (trailing zeros dropped, never rounded)."""
    received = read_einvoice(cii(price="100.000000"))
    assert isinstance(received.document, Invoice)
    assert Decimal("100") == received.document.lines[0].unit_price.amount
