"""The CII D22B writer: the validator matrix, profiles, amounts, notes, refusals.

The matrix writes every document kind × VAT situation (`einvoice_documents` in
tests/conftest.py) in every Factur-X profile, then runs the official validators
of ../shared/validate in three batched calls: ``facturx.py --fr`` for the
profiles France admits (BASIC WL, EN 16931, EXTENDED, EXTENDED-CTC-FR) and
``facturx.py`` for MINIMUM and BASIC. Every file must have zero errors.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from lxml import etree

from facturlib import (
    CiiRenderer,
    DocumentKind,
    Invoice,
    NumberingScheme,
    SequenceState,
    issue,
    to_cii,
    to_money,
)
from facturlib.core.documents import Note
from facturlib.core.errors import EInvoiceError, RenderError
from facturlib.core.payment_means import PaymentMeans
from facturlib.einvoice._common import Profile
from facturlib.receivables.penalties import PenaltyPolicy, footer_mentions
from facturlib.receivables.terms import DueRule, EarlyPaymentDiscount, PaymentTerms, TermPart
from facturlib.renderers import RenderedDocument, Renderer
from facturlib.testing.builders import (
    sample_buyer,
    sample_deposit_invoices,
    sample_invoice,
    sample_line,
    sample_seller,
)

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
FRENCH = ("BASIC WL", "EN 16931", "EXTENDED", "EXTENDED-CTC-FR")
OTHER = ("MINIMUM", "BASIC")
PROFILES = FRENCH + OTHER


def parse(xml: bytes) -> Any:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(xml, parser)


def values(xml: bytes, path: str) -> list[str]:
    return [str(v) for v in parse(xml).xpath(path, namespaces=NS)]


def issued(draft: Invoice, on: date = date(2025, 1, 15)) -> Invoice:
    invoice, _ = issue(draft, NumberingScheme(pattern="FA-{yyyy}-{seq:04}"), SequenceState(), on=on)
    return invoice


# ------------------------------------------------------------------ the validator matrix


@pytest.fixture(scope="module")
def cii_matrix(
    tmp_path_factory: pytest.TempPathFactory,
    einvoice_documents: dict[str, Invoice],
    validate: Callable[..., dict[str, list[dict[str, object]]]],
) -> dict[str, list[dict[str, object]]]:
    """Every document in every profile, validated in three batched validator runs."""
    directory = tmp_path_factory.mktemp("cii")
    french: list[Path] = []
    other: list[Path] = []
    for name, document in einvoice_documents.items():
        for profile in PROFILES:
            path = directory / f"{name}.{profile.replace(' ', '_')}.xml"
            path.write_bytes(to_cii(document, profile))
            (french if profile in FRENCH else other).append(path)
    findings = validate("facturx.py", french, fr=True)
    findings.update(validate("facturx.py", other))
    return {Path(path).name: errors for path, errors in findings.items()}


class TestValidatorMatrix:
    def test_every_file_was_validated(
        self, cii_matrix: dict[str, list[dict[str, object]]], einvoice_documents: dict[str, Any]
    ) -> None:
        """The validators reported on every file of the matrix (documents × profiles)."""
        assert len(einvoice_documents) * len(PROFILES) == len(cii_matrix)

    def test_every_file_has_zero_errors(
        self, cii_matrix: dict[str, list[dict[str, object]]]
    ) -> None:
        """XSD, Factur-X, CEN EN 16931 and (for French profiles) BR-FR: no error anywhere."""
        failing = {
            name: [
                f"[{e.get('check')} {e.get('rule')}] {str(e.get('message'))[:200]}" for e in errors
            ]
            for name, errors in sorted(cii_matrix.items())
            if errors
        }

        assert {} == failing

    def test_matrix_covers_kinds_and_situations(self, einvoice_documents: dict[str, Any]) -> None:
        """The matrix has every kind (380, 381, 384, 386) and the final invoice after deposits."""
        kinds = {document.kind.code for document in einvoice_documents.values()}

        assert {"380", "381", "384", "386"} == kinds
        assert einvoice_documents["deposits-380"].totals().bt113 > 0


# ------------------------------------------------------------------ amounts and structure


class TestAmounts:
    def test_totals_come_from_totals(self, einvoice_documents: dict[str, Invoice]) -> None:
        """BT-106…BT-115 in the XML are the document's totals() to the cent."""
        document = einvoice_documents["adjustments-380"]
        totals = document.totals()
        xml = to_cii(document)
        base = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:"

        assert [str(totals.bt106)] == values(xml, base + "LineTotalAmount/text()")
        assert [str(totals.bt107)] == values(xml, base + "AllowanceTotalAmount/text()")
        assert [str(totals.bt108)] == values(xml, base + "ChargeTotalAmount/text()")
        assert [str(totals.bt109)] == values(xml, base + "TaxBasisTotalAmount/text()")
        assert [str(totals.bt110)] == values(xml, base + "TaxTotalAmount/text()")
        assert [str(totals.bt112)] == values(xml, base + "GrandTotalAmount/text()")
        assert [str(totals.bt115)] == values(xml, base + "DuePayableAmount/text()")

    def test_vat_breakdown_per_group(self, einvoice_documents: dict[str, Invoice]) -> None:
        """One ApplicableTradeTax per VAT group, with its base and amount."""
        document = einvoice_documents["mixed-380"]
        xml = to_cii(document)
        groups = document.totals().vat_groups

        assert [str(g[1]) for g in groups] == values(
            xml,
            "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:BasisAmount/text()",
        )
        assert [str(g[2]) for g in groups] == values(
            xml,
            "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CalculatedAmount/text()",
        )

    def test_line_nets(self, einvoice_documents: dict[str, Invoice]) -> None:
        """Each LineTotalAmount is the line's net amount (BT-131)."""
        document = einvoice_documents["adjustments-380"]

        assert [str(n) for n in document.totals().line_nets] == values(
            to_cii(document),
            "//ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount/text()",
        )

    def test_vat_in_tax_currency(self, einvoice_documents: dict[str, Invoice]) -> None:
        """A USD invoice carries BT-6 = EUR and BT-111, its VAT in euros."""
        document = einvoice_documents["foreign-currency-380"]
        xml = to_cii(document)
        expected = document.totals().vat_total_tax_currency

        assert expected is not None
        assert ["EUR"] == values(xml, "//ram:TaxCurrencyCode/text()")
        assert [str(expected.amount)] == values(
            xml, "//ram:TaxTotalAmount[@currencyID='EUR']/text()"
        )

    def test_prepaid_deposit(self) -> None:
        """The final invoice states the paid deposit (BT-113) and cites the deposit invoice."""
        _, final = sample_deposit_invoices()
        xml = to_cii(final)

        assert ["3600.00"] == values(xml, "//ram:TotalPrepaidAmount/text()")
        assert ["AC-2025-0001"] == values(
            xml, "//ram:InvoiceReferencedDocument/ram:IssuerAssignedID/text()"
        )

    def test_vat_inclusive_prices(self) -> None:
        """With VAT-inclusive prices the net price gives the reconciled net (≤ 6 decimals)."""
        document = issued(
            sample_invoice(
                prices_include_vat=True,
                lines=(sample_line(quantity="3", unit_price=to_money("9.99", "EUR")),),
            )
        )
        xml = to_cii(document)
        net = document.totals().line_nets[0]
        price = Decimal(values(xml, "//ram:NetPriceProductTradePrice/ram:ChargeAmount/text()")[0])

        assert [str(net)] == values(xml, "//ram:LineTotalAmount/text()")[:1]
        assert abs(price * 3 - net) < Decimal("0.01")
        assert price.as_tuple().exponent >= -6  # type: ignore[operator]


class TestProfiles:
    @pytest.mark.parametrize("profile", PROFILES)
    def test_guideline_id(self, profile: str) -> None:
        """BT-24 is the profile's identifier."""
        _, final = sample_deposit_invoices()

        assert [Profile.of(profile).guideline] == values(
            to_cii(final, profile), "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID/text()"
        )

    def test_minimum_has_no_lines_nor_notes(self) -> None:
        """MINIMUM carries the header and totals only."""
        xml = to_cii(sample_deposit_invoices()[1], "MINIMUM")

        assert [] == values(xml, "//ram:IncludedSupplyChainTradeLineItem")
        assert [] == values(xml, "//ram:IncludedNote")

    def test_basic_wl_has_no_lines(self) -> None:
        """BASIC WL has the VAT breakdown and notes but no lines."""
        xml = to_cii(sample_deposit_invoices()[1], "BASIC WL")

        assert [] == values(xml, "//ram:IncludedSupplyChainTradeLineItem")
        assert ["PMT", "PMD", "AAB", "BAR"] == values(
            xml, "//ram:IncludedNote/ram:SubjectCode/text()"
        )

    def test_unknown_profile(self) -> None:
        """An unknown profile is refused with the list of profiles."""
        with pytest.raises(RenderError, match="unknown e-invoice profile"):
            to_cii(sample_deposit_invoices()[1], "COMFORT")

    @pytest.mark.parametrize("spelling", ["en16931", "EN_16931", "en 16931"])
    def test_profile_spellings(self, spelling: str) -> None:
        """Profiles are recognised however they are spaced or cased."""
        assert Profile.EN16931 == Profile.of(spelling)

    def test_admitted_in_france(self) -> None:
        """France admits BASIC WL, EN 16931, EXTENDED and EXTENDED-CTC-FR, not MINIMUM or BASIC."""
        assert list(FRENCH) == [p.value for p in Profile if p.admitted_in_france]


class TestFrenchMentions:
    def test_billing_framework_in_context(self) -> None:
        """BT-23 is the BusinessProcess context parameter; a final invoice after deposits is S4."""
        xml = to_cii(sample_deposit_invoices()[1])

        assert ["S4"] == values(
            xml, "//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID/text()"
        )

    def test_framework_override(self) -> None:
        """An explicit framework replaces the derived one."""
        xml = to_cii(sample_deposit_invoices()[1], framework="M4")

        assert ["M4"] == values(
            xml, "//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID/text()"
        )

    def test_notes_are_the_pdf_mentions(self) -> None:
        """PMT, PMD and AAB are footer_mentions of the policy and terms, as the PDF prints."""
        terms = PaymentTerms(
            parts=[TermPart(due=DueRule.net(30))], discount=EarlyPaymentDiscount(percent=2, days=8)
        )
        policy = PenaltyPolicy(rate="12.15")
        aab, pmd, pmt = footer_mentions(policy, terms)
        xml = to_cii(sample_deposit_invoices()[1], terms=terms, penalties=policy)

        assert [pmt] == values(xml, "//ram:IncludedNote[ram:SubjectCode='PMT']/ram:Content/text()")
        assert [pmd] == values(xml, "//ram:IncludedNote[ram:SubjectCode='PMD']/ram:Content/text()")
        assert [aab] == values(xml, "//ram:IncludedNote[ram:SubjectCode='AAB']/ram:Content/text()")

    def test_credit_note_keeps_the_payment_notes(
        self, einvoice_documents: dict[str, Invoice]
    ) -> None:
        """BR-FR-05/06 want PMT, PMD and AAB on every document type, credit notes too;
        a credit note has no due date and says so in BT-20 (Factur-X BR-CO-25)."""
        xml = to_cii(einvoice_documents["single-381"])

        assert ["PMT", "PMD", "AAB", "BAR"] == values(
            xml, "//ram:IncludedNote/ram:SubjectCode/text()"
        )[-4:]
        assert ["Pas d'échéance de paiement."] == values(
            xml, "//ram:SpecifiedTradePaymentTerms/ram:Description/text()"
        )

    def test_english_notes(self) -> None:
        """language="en" words the notes in English."""
        xml = to_cii(sample_deposit_invoices()[1], language="en")

        assert values(xml, "//ram:IncludedNote[ram:SubjectCode='PMD']/ram:Content/text()")[
            0
        ].startswith("Late-payment interest")

    def test_unknown_language(self) -> None:
        """Only French and English are worded."""
        with pytest.raises(RenderError, match="French and English"):
            to_cii(sample_deposit_invoices()[1], language="de")

    def test_electronic_addresses_default_to_siren(self) -> None:
        """BT-34 and BT-49 default to the SIREN under scheme 0225."""
        xml = to_cii(sample_deposit_invoices()[1])

        assert ["732829320", "552081317"] == values(
            xml, "//ram:URIUniversalCommunication/ram:URIID/text()"
        )
        assert ["0225", "0225"] == values(
            xml, "//ram:URIUniversalCommunication/ram:URIID/@schemeID"
        )

    def test_b2c_bar_note(self, einvoice_documents: dict[str, Invoice]) -> None:
        """A consumer buyer (no SIREN, no VAT id) gives the BAR note B2C."""
        xml = to_cii(einvoice_documents["b2c-380"])

        assert ["B2C"] == values(
            xml, "//ram:IncludedNote[ram:SubjectCode='BAR']/ram:Content/text()"
        )

    def test_out_of_scope_has_no_vat_ids(self, einvoice_documents: dict[str, Invoice]) -> None:
        """An invoice outside the scope of VAT carries no VAT id (BR-O-02, BR-O-03)."""
        assert [] == values(
            to_cii(einvoice_documents["out-of-scope-380"]), "//ram:SpecifiedTaxRegistration"
        )


class TestOutput:
    def test_deterministic(self) -> None:
        """The same document gives the same bytes."""
        _, final = sample_deposit_invoices()

        assert to_cii(final) == to_cii(final)

    def test_declaration_and_encoding(self) -> None:
        """UTF-8 with an XML declaration."""
        assert to_cii(sample_deposit_invoices()[1]).startswith(
            b"<?xml version='1.0' encoding='UTF-8'?>"
        )

    def test_dates_format_102(self) -> None:
        """Dates are YYYYMMDD with format 102."""
        xml = to_cii(sample_deposit_invoices()[1])

        assert ["20250331"] == values(xml, "//ram:IssueDateTime/udt:DateTimeString/text()")
        assert ["102"] == values(xml, "//ram:IssueDateTime/udt:DateTimeString/@format")


class TestRefusals:
    def test_draft(self) -> None:
        """A draft has no number: it is refused, with the way out."""
        with pytest.raises(RenderError, match="draft") as caught:
            to_cii(sample_invoice())
        assert "facturlib.issue" in (caught.value.hint or "")

    def test_proforma(self) -> None:
        """A proforma is not an invoice."""
        with pytest.raises(RenderError):
            to_cii(sample_invoice(kind=DocumentKind.PROFORMA))

    def test_not_an_invoice(self) -> None:
        """A quote or anything else is refused."""
        with pytest.raises(RenderError, match="expected an Invoice"):
            to_cii("FA-1")  # type: ignore[arg-type]

    def test_control_character_names_the_field(self) -> None:
        """A control character XML cannot carry is refused, naming the field."""
        # Party names refuse control characters at construction (issue 16); a line's
        # description still reaches the writer, which names it.
        document = issued(sample_invoice(lines=(sample_line(description="ACME\x01 SARL"),)))

        with pytest.raises(RenderError, match="U\\+0001") as caught:
            to_cii(document)
        assert caught.value.field.endswith("description")


class TestHostileText:
    @pytest.mark.parametrize(
        "text",
        [
            "& < > \" ' ]]> <!ENTITY x 'y'>",
            "שלום عليكم",
            "Café ☕ 🧾 — ligne",
            "N" * 10_000,
            "tab\tand\nnewline",
        ],
    )
    def test_round_trip(self, text: str) -> None:
        """Markup, RTL, emoji and 10 kB texts come back unchanged after parsing."""
        name = " ".join(text.split("\t")).replace("\n", " ")  # a name is one line (issue 16)
        document = issued(
            sample_invoice(
                buyer=sample_buyer(name=name),
                lines=(sample_line(description=text, note=text),),
            )
        )
        xml = to_cii(document)

        assert [name] == values(xml, "//ram:BuyerTradeParty/ram:Name/text()")
        assert [text] == values(xml, "//ram:SpecifiedTradeProduct/ram:Name/text()")


class TestRenderer:
    def test_protocol(self) -> None:
        """CiiRenderer is a Renderer and returns XML with a file name from the number."""
        renderer = CiiRenderer(profile="EXTENDED")
        rendered = renderer.render(sample_deposit_invoices()[1])

        assert isinstance(renderer, Renderer)
        assert isinstance(rendered, RenderedDocument)
        assert ("application/xml", "FA-2025-0001.cii.xml") == (
            rendered.media_type,
            rendered.filename,
        )
        assert rendered.content == to_cii(sample_deposit_invoices()[1], "EXTENDED")

    def test_unknown_profile_at_construction(self) -> None:
        """Settings are checked when the renderer is built."""
        with pytest.raises(RenderError):
            CiiRenderer(profile="XRECHNUNG")

    def test_import_stays_light(self) -> None:
        """`import facturlib` does not import lxml (it is loaded on first write)."""
        import subprocess
        import sys

        code = "import sys, facturlib; print('lxml' in sys.modules)"
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )

        assert "False" == done.stdout.strip()


def test_does_not_mutate(einvoice_documents: dict[str, Invoice]) -> None:
    """Writing leaves the document as it was."""
    document = einvoice_documents["adjustments-380"]
    before = attrs.asdict(document, recurse=False)
    to_cii(document)

    assert before == attrs.asdict(document, recurse=False)


class TestPreflight:
    def test_renderer_refuses_with_every_problem(self) -> None:
        """A document check() finds fatal problems in is refused, all problems listed."""
        document = issued(sample_invoice(notes=[Note("B2G", "BAR")]))

        with pytest.raises(EInvoiceError) as caught:
            CiiRenderer().render(document)
        assert ["BR-FR-20"] == [problem.rule for problem in caught.value.problems]

    @pytest.mark.parametrize("options", [{"allow_problems": True}, {"check": False}])
    def test_renderer_writes_when_told(self, options: dict[str, bool]) -> None:
        """allow_problems=True or check=False writes the document anyway."""
        document = issued(sample_invoice(notes=[Note("B2G", "BAR")]))

        assert ["B2G"] == values(
            CiiRenderer(**options).render(document).content,
            "//ram:IncludedNote[ram:SubjectCode='BAR']/ram:Content/text()",
        )

    def test_own_notes_replace_the_defaults(self) -> None:
        """A document's own PMT note is written once, instead of the default one."""
        document = issued(sample_invoice(notes=[Note("Indemnité : 40 EUR.", "PMT")]))

        assert ["Indemnité : 40 EUR."] == values(
            to_cii(document), "//ram:IncludedNote[ram:SubjectCode='PMT']/ram:Content/text()"
        )


class TestPaymentMeans:
    def test_direct_debit(self) -> None:
        """A SEPA direct debit states its code, mandate (BT-89), ICS (BT-90) and IBAN (BT-91)."""
        means = PaymentMeans.direct_debit(
            "RUM-42", "FR72ZZZ123456", debtor_iban="FR1420041010050500013M02606"
        )
        xml = to_cii(issued(sample_invoice(payment_means=(means,))))

        assert ["59"] == values(
            xml, "//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode/text()"
        )
        assert ["RUM-42"] == values(xml, "//ram:DirectDebitMandateID/text()")
        assert ["FR72ZZZ123456"] == values(xml, "//ram:CreditorReferenceID/text()")
        assert ["FR1420041010050500013M02606"] == values(
            xml, "//ram:PayerPartyDebtorFinancialAccount/ram:IBANID/text()"
        )

    def test_several_codes_refused(self) -> None:
        """Means of different codes cannot go in one e-invoice (CII-SR-467)."""
        document = issued(
            sample_invoice(payment_means=(PaymentMeans.cheque(), PaymentMeans.card("1234")))
        )

        with pytest.raises(RenderError, match="one payment means code"):
            to_cii(document)


class TestRounding:
    def test_cash_rounding(self) -> None:
        """A cash invoice with a rounding amount states BT-114 in EN 16931."""
        document = issued(
            sample_invoice(
                payment_means=(PaymentMeans.cash(),), rounding_amount=to_money("0.02", "EUR")
            )
        )

        assert ["0.02"] == values(to_cii(document), "//ram:RoundingAmount/text()")

    def test_basic_has_no_rounding(self) -> None:
        """BASIC has no BT-114: such a document is refused there."""
        document = issued(
            sample_invoice(
                payment_means=(PaymentMeans.cash(),), rounding_amount=to_money("0.02", "EUR")
            )
        )

        with pytest.raises(RenderError, match="rounding amount"):
            to_cii(document, "BASIC")


class TestVatOnDebits:
    def test_due_date_type_code(self) -> None:
        """A seller on the VAT-on-debits option states BT-8 = 5 (date of invoice)."""
        document = issued(sample_invoice(seller=sample_seller(vat_on_debits=True)))

        assert ["5"] == values(
            to_cii(document), "//ram:ApplicableTradeTax/ram:DueDateTypeCode/text()"
        )
