"""The UBL 2.1 writer: the validator matrix, Invoice vs CreditNote, notes, refusals.

Every document kind × VAT situation (`einvoice_documents` in tests/conftest.py)
is written as EN 16931 and EXTENDED-CTC-FR UBL and validated in one batched
``ubl.py --fr`` run: zero errors per file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from facturlib import Invoice, UblRenderer, to_cii, to_ubl
from facturlib.core.errors import RenderError
from facturlib.renderers import Renderer
from facturlib.testing.builders import sample_deposit_invoices

NS = {
    "inv": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
PROFILES = ("EN 16931", "EXTENDED-CTC-FR")


def values(xml: bytes, path: str) -> list[str]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return [str(v) for v in etree.fromstring(xml, parser).xpath(path, namespaces=NS)]


@pytest.fixture(scope="module")
def ubl_matrix(
    tmp_path_factory: pytest.TempPathFactory,
    einvoice_documents: dict[str, Invoice],
    validate: Callable[..., dict[str, list[dict[str, object]]]],
) -> dict[str, list[dict[str, object]]]:
    """Every document in both UBL profiles, validated in one ``ubl.py --fr`` run."""
    directory = tmp_path_factory.mktemp("ubl")
    paths: list[Path] = []
    for name, document in einvoice_documents.items():
        for profile in PROFILES:
            path = directory / f"{name}.{profile.replace(' ', '_')}.xml"
            path.write_bytes(to_ubl(document, profile))
            paths.append(path)
    return {Path(p).name: e for p, e in validate("ubl.py", paths, fr=True).items()}


class TestValidatorMatrix:
    def test_every_file_was_validated(
        self, ubl_matrix: dict[str, list[dict[str, object]]], einvoice_documents: dict[str, Any]
    ) -> None:
        """The validator reported on every file (documents × 2 profiles)."""
        assert len(einvoice_documents) * len(PROFILES) == len(ubl_matrix)

    def test_every_file_has_zero_errors(
        self, ubl_matrix: dict[str, list[dict[str, object]]]
    ) -> None:
        """UBL XSD, CEN EN 16931, EXTENDED-CTC-FR and BR-FR schematrons: no error anywhere."""
        failing = {
            name: [
                f"[{e.get('check')} {e.get('rule')}] {str(e.get('message'))[:200]}" for e in errors
            ]
            for name, errors in sorted(ubl_matrix.items())
            if errors
        }

        assert {} == failing


class TestDocumentTypes:
    def test_credit_note_root(self, einvoice_documents: dict[str, Invoice]) -> None:
        """A credit note (381) is a UBL CreditNote with CreditNoteLine and CreditedQuantity."""
        xml = to_ubl(einvoice_documents["single-381"])

        assert ["381"] == values(xml, "/cn:CreditNote/cbc:CreditNoteTypeCode/text()")
        assert 1 == len(values(xml, "//cac:CreditNoteLine/cbc:CreditedQuantity"))

    @pytest.mark.parametrize("kind", ["380", "384", "386"])
    def test_invoice_root(self, kind: str, einvoice_documents: dict[str, Invoice]) -> None:
        """Invoices, corrective and deposit invoices are UBL Invoices with their type code."""
        xml = to_ubl(einvoice_documents[f"single-{kind}"])

        assert [kind] == values(xml, "/inv:Invoice/cbc:InvoiceTypeCode/text()")


class TestContent:
    def test_customization_and_profile_id(self) -> None:
        """BT-24 is CustomizationID, BT-23 is ProfileID."""
        xml = to_ubl(sample_deposit_invoices()[1], "EXTENDED-CTC-FR")

        assert [
            "urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr"
        ] == values(xml, "//cbc:CustomizationID/text()")
        assert ["S4"] == values(xml, "//cbc:ProfileID/text()")

    def test_notes_with_subject_prefix(self) -> None:
        """Notes carry their subject code as a #CODE# prefix (CEN/TS 16931-3-2)."""
        notes = values(to_ubl(sample_deposit_invoices()[1]), "/inv:Invoice/cbc:Note/text()")

        assert ["#PMT#", "#PMD#", "#AAB#", "#BAR#"] == [note[:5] for note in notes]

    def test_same_amounts_as_cii(self, einvoice_documents: dict[str, Invoice]) -> None:
        """The UBL and the CII of one document state the same totals."""
        document = einvoice_documents["adjustments-380"]
        ubl = to_ubl(document)
        cii = to_cii(document)
        cii_ns = "//*[local-name()='SpecifiedTradeSettlementHeaderMonetarySummation']/*"
        cii_values = {etree.QName(e).localname: e.text for e in etree.fromstring(cii).xpath(cii_ns)}

        assert [cii_values["LineTotalAmount"]] == values(
            ubl, "//cbc:LineExtensionAmount[parent::cac:LegalMonetaryTotal]/text()"
        )
        assert [cii_values["GrandTotalAmount"]] == values(ubl, "//cbc:TaxInclusiveAmount/text()")
        assert [cii_values["DuePayableAmount"]] == values(ubl, "//cbc:PayableAmount/text()")

    def test_deterministic(self) -> None:
        """The same document gives the same bytes."""
        _, final = sample_deposit_invoices()

        assert to_ubl(final) == to_ubl(final)


class TestRefusals:
    @pytest.mark.parametrize("profile", ["MINIMUM", "BASIC WL", "BASIC", "EXTENDED"])
    def test_factur_x_profiles(self, profile: str) -> None:
        """Factur-X profiles are CII only."""
        with pytest.raises(RenderError, match="not a UBL one"):
            to_ubl(sample_deposit_invoices()[1], profile)

    def test_renderer_refuses_at_construction(self) -> None:
        """The renderer checks its profile when built."""
        with pytest.raises(RenderError):
            UblRenderer(profile="BASIC")


class TestRenderer:
    def test_protocol(self) -> None:
        """UblRenderer is a Renderer returning application/xml named after the number."""
        renderer = UblRenderer()
        rendered = renderer.render(sample_deposit_invoices()[1])

        assert isinstance(renderer, Renderer)
        assert ("application/xml", "FA-2025-0001.ubl.xml") == (
            rendered.media_type,
            rendered.filename,
        )


class TestVatOnDebits:
    def test_description_code(self) -> None:
        """A seller on the VAT-on-debits option states BT-8 = 3 (invoice date) in UBL."""
        from datetime import date

        from facturlib import NumberingScheme, SequenceState, issue
        from facturlib.testing.builders import sample_invoice, sample_seller

        document, _ = issue(
            sample_invoice(seller=sample_seller(vat_on_debits=True)),
            NumberingScheme(pattern="FA-{yyyy}-{seq:04}"),
            SequenceState(),
            on=date(2025, 1, 15),
        )

        assert ["3"] == values(to_ubl(document), "//cac:InvoicePeriod/cbc:DescriptionCode/text()")
