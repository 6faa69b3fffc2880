"""Factur-X PDFs: PDF/A-3b and Factur-X 1.09 packaging, checked by the external validators.

Every PDF rendered here goes through ``shared/validate/pdfa.py`` (partial PDF/A-3
and the Factur-X packaging) and ``shared/validate/facturx.py`` (the attached XML:
XSD, Factur-X and EN 16931 schematrons, with ``--fr`` the French BR-FR rules for
the profiles France admits), in a few batched processes, and through pikepdf's
allowlist PDF/A validator (the veraPDF rule catalogue), which does not know the
PDF/A extension schemas: its findings about the Factur-X extension schema (ISO
19005-3 6.6.2.3.1-1, which ``pdfa.py`` checks instead) are the only ones allowed.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from lxml import etree
from reportlab.pdfgen.canvas import Canvas

from facturlib import (
    FR_REDUCED,
    FR_STANDARD,
    Address,
    DocumentKind,
    Line,
    Order,
    Party,
    SequenceState,
    credit_note,
    issue,
    to_money,
)
from facturlib.core.errors import EInvoiceError, RenderError
from facturlib.einvoice._common import LEGAL_PENALTIES
from facturlib.einvoice._pdfa import srgb_profile, xml_text
from facturlib.einvoice.cii import to_cii
from facturlib.einvoice.facturx import FILENAME, FacturXRenderer, make_facturx
from facturlib.renderers import RenderedDocument, Renderer
from facturlib.renderers._fonts import register_fonts
from facturlib.renderers.pdf import PdfContext, PdfRenderer
from facturlib.testing.builders import (
    sample_buyer,
    sample_deposit_invoices,
    sample_invoice,
    sample_line,
    sample_scheme,
    sample_seller,
)

PROFILES = ("MINIMUM", "BASIC WL", "BASIC", "EN 16931", "EXTENDED")
#: The profiles the French reform admits (checked with --fr); the others without.
FRENCH = ("BASIC WL", "EN 16931", "EXTENDED")
RELATIONSHIP = {
    "MINIMUM": "/Data",
    "BASIC WL": "/Data",
    "BASIC": "/Alternative",
    "EN 16931": "/Alternative",
    "EXTENDED": "/Alternative",
}
#: pikepdf.pdfa knows no PDF/A extension schema; these findings are about ours only.
EXTENSION_NAMESPACES = (
    "http://www.aiim.org/pdfa/ns/extension/",
    "http://www.aiim.org/pdfa/ns/schema#",
    "http://www.aiim.org/pdfa/ns/property#",
    "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#",
)
EXTENSION_PROPERTIES = (
    "pdfaExtension:schemas",
    "fx:DocumentFileName",
    "fx:DocumentType",
    "fx:Version",
    "fx:ConformanceLevel",
)
FOREIGN_BUYER = Party(
    name="Nordlicht Software GmbH",
    address=Address(
        line1="Friedrichstraße 120", city="Berlin", postal_code="10117", country_code="DE"
    ),
    vat_id="DE136695976",
)
# Markup, quotes, Greek, Cyrillic, an emoji the embedded font has: the PDF refuses
# right-to-left text and characters without a glyph (issue 16).
HOSTILE = "A & B <c> \"d\" 'e' Ελληνικά Кириллица 😀 " + "Ω" * 40


def _no_validators() -> None:
    """Skip without the validators, except where CI requires them."""
    reason = "no shared/validate directory (run shared/validate/setup.sh)"
    if os.environ.get("FACTURLIB_REQUIRE_VALIDATORS") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def validate_dir() -> Path | None:
    """shared/validate beside the repository, else $FACTURLIB_VALIDATE_DIR, else /work's."""
    repo = Path(__file__).resolve().parents[2]
    for candidate in (
        repo.parent / "shared" / "validate",
        Path(os.environ.get("FACTURLIB_VALIDATE_DIR", "/nonexistent")),
        Path("/work/shared/validate"),
    ):
        if (candidate / "pdfa.py").is_file():
            return candidate
    return None


def run_validator(script: str, paths: list[Path], *options: str) -> dict[str, dict[str, Any]]:
    """Run one validator over many files in one process; file → its JSON report."""
    folder = validate_dir()
    if folder is None:
        _no_validators()
    result = subprocess.run(
        ["python3", str(folder / script), "--json", *options, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if result.returncode == 2:
        pytest.fail(f"{script} could not run: {result.stderr or result.stdout}")
    return {entry["file"]: entry for entry in json.loads(result.stdout)["files"]}


def errors_of(reports: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    """file → its error findings, for the files that have any."""
    found = {
        Path(file).name: [
            f"[{f['check']} {f['rule']}] {f['message'][:200]}"
            for f in report["findings"]
            if f["severity"] == "error"
        ]
        for file, report in reports.items()
    }
    return {name: errors for name, errors in found.items() if errors}


def pikepdf_findings(path: Path) -> list[str]:
    """pikepdf.pdfa's findings on *path*, but those about the Factur-X extension schema."""
    import pikepdf.pdfa

    report = pikepdf.pdfa.validate_written(path, "3b")
    return [
        str(finding)
        for finding in report.findings
        if not (
            "6.6.2.3.1-1" in str(finding)
            and any(
                marker in str(finding) for marker in EXTENSION_NAMESPACES + EXTENSION_PROPERTIES
            )
        )
    ]


def attachment(content: bytes) -> tuple[bytes, dict[str, str]]:
    """The bytes of factur-x.xml and the entries of its file specification and stream."""
    with pikepdf.open(io.BytesIO(content)) as pdf:
        spec = pdf.attachments[FILENAME]
        stream = spec.obj.EF.F
        data = stream.read_bytes()
        entries = {
            "AFRelationship": str(spec.obj.AFRelationship),
            "F": str(spec.obj.F),
            "UF": str(spec.obj.UF),
            "Subtype": str(stream.Subtype),
            "ModDate": str(stream.Params.ModDate),
            "Size": str(stream.Params.Size),
        }
        return data, entries


def xmp_of(content: bytes) -> etree._Element:
    with pikepdf.open(io.BytesIO(content)) as pdf:
        raw = pdf.Root.Metadata.read_bytes()
    return etree.fromstring(raw, etree.XMLParser(resolve_entities=False, no_network=True))


def issued(**overrides: Any) -> Any:
    invoice, _ = issue(
        sample_invoice(**overrides), sample_scheme(), SequenceState(), on=date(2025, 1, 15)
    )
    return invoice


def documents() -> dict[str, Any]:
    """The documents of the matrix: deposit (386), final invoice, credit note, mixed rates,
    hostile text."""
    deposit, final = sample_deposit_invoices()
    mixed = issued(
        lines=(
            sample_line(),
            Line(
                description="Livre",
                quantity="3",
                unit="H87",
                unit_price=to_money("12.50", "EUR"),
                vat=FR_REDUCED,
            ),
        )
    )
    hostile = issued(
        seller=sample_seller(name=HOSTILE),
        buyer=sample_buyer(name="Client " + HOSTILE[::-1]),
        lines=(
            Line(
                description=HOSTILE * 3,
                quantity="1",
                unit="C62",
                unit_price=to_money("100.00", "EUR"),
                vat=FR_STANDARD,
            ),
        ),
    )
    long_names = issued(buyer=sample_buyer(name=(HOSTILE + " ") * 8 + "Z" * 200))
    credit = credit_note(final, reason="Remise accordée après livraison", ratio="0.1")
    credit, _ = issue(credit, sample_scheme(), SequenceState(), on=date(2025, 4, 10))
    return {
        "deposit": deposit,
        "final": final,
        "credit": credit,
        "mixed": mixed,
        "hostile": hostile,
        "long": long_names,
    }


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Every document × every profile, rendered to a file: (document, profile) → path."""
    folder = tmp_path_factory.mktemp("facturx")
    out = {}
    for name, document in documents().items():
        for profile in PROFILES:
            rendered = FacturXRenderer(profile=profile).render(document)
            path = folder / f"{name}-{profile.replace(' ', '')}.pdf"
            path.write_bytes(rendered.content)
            out[name, profile] = path
    # Text only the PDF prints (no XML counterpart): control characters, emoji, RTL.
    _, final = sample_deposit_invoices()
    notes = PdfContext(notes=("bell\x07 escape\x1b[31m nul\x00 " + HOSTILE, "<b>&amp;</b>"))
    path = folder / "notes-EN16931.pdf"
    path.write_bytes(FacturXRenderer().render(final, context=notes).content)
    out["notes", "EN 16931"] = path
    return out


@pytest.fixture(scope="module")
def pdfa_reports(matrix: dict[tuple[str, str], Path]) -> dict[str, dict[str, Any]]:
    return run_validator("pdfa.py", list(matrix.values()))


@pytest.fixture(scope="module")
def facturx_reports(matrix: dict[tuple[str, str], Path]) -> dict[str, dict[str, Any]]:
    french = [path for (_, profile), path in matrix.items() if profile in FRENCH]
    other = [path for (_, profile), path in matrix.items() if profile not in FRENCH]
    return {**run_validator("facturx.py", french, "--fr"), **run_validator("facturx.py", other)}


class TestValidators:
    def test_pdfa(self, matrix: dict[tuple[str, str], Path], pdfa_reports: Any) -> None:
        """Every Factur-X PDF passes pdfa.py (PDF/A-3 and Factur-X packaging), no error."""
        assert len(matrix) == len(pdfa_reports)
        assert {} == errors_of(pdfa_reports)

    def test_pdfa_sees_pdfa3b_and_the_profile(
        self, matrix: dict[tuple[str, str], Path], pdfa_reports: Any
    ) -> None:
        """pdfa.py reads part 3, conformance B, and the profile of the attached XML."""
        for (_, profile), path in matrix.items():
            info = pdfa_reports[str(path)]["info"]
            assert "part=3 conformance=B" == info["pdfaid"]
            assert profile == info["XML profile"]

    def test_facturx(self, matrix: dict[tuple[str, str], Path], facturx_reports: Any) -> None:
        """The attached XML passes facturx.py (--fr for BASIC WL, EN 16931, EXTENDED)."""
        assert len(matrix) == len(facturx_reports)
        assert {} == errors_of(facturx_reports)

    def test_pikepdf_allowlist(self, matrix: dict[tuple[str, str], Path]) -> None:
        """pikepdf's PDF/A-3b allowlist finds nothing but its unknown extension schema."""
        pytest.importorskip("jsonschema")
        names = ("final", "credit", "hostile", "long", "notes")
        paths = [matrix[name, "EN 16931"] for name in names]
        assert {} == {p.name: f for p in paths if (f := pikepdf_findings(p))}


class TestFacturXRenderer:
    def test_is_a_renderer(self) -> None:
        """It satisfies the `Renderer` protocol and returns a PDF named after the number."""
        _, final = sample_deposit_invoices()
        renderer = FacturXRenderer()
        rendered = renderer.render(final)

        assert isinstance(renderer, Renderer)
        assert (
            RenderedDocument(
                content=rendered.content, media_type="application/pdf", filename="FA-2025-0001.pdf"
            )
            == rendered
        )

    @pytest.mark.parametrize("profile", PROFILES)
    def test_attachment_is_the_cii(self, profile: str) -> None:
        """factur-x.xml holds exactly `to_cii`'s bytes, with its MIME type and dates."""
        _, final = sample_deposit_invoices()
        content = FacturXRenderer(profile=profile).render(final).content
        data, spec = attachment(content)

        assert to_cii(final, profile) == data
        assert {
            "AFRelationship": RELATIONSHIP[profile],
            "F": FILENAME,
            "UF": FILENAME,
            "Subtype": "/text/xml",
            "ModDate": "D:20250331000000+00'00'",
            "Size": str(len(data)),
        } == spec

    @pytest.mark.parametrize("profile", PROFILES)
    def test_same_bytes_as_the_checked_path(self, profile: str) -> None:
        """The renderer skips re-checking its own PDF and XML; it writes exactly what
        `make_facturx` (which parses the XML and checks the PDF) writes."""
        _, final = sample_deposit_invoices()
        context = PdfContext.for_invoice(final, penalties=LEGAL_PENALTIES)
        pdf = PdfRenderer().render(final, context=context).content
        checked = make_facturx(pdf, to_cii(final, profile), on=final.issue_date)

        assert checked == FacturXRenderer(profile=profile).render(final).content

    def test_catalog_af_and_names(self) -> None:
        """The file specification is in the catalog /AF and the EmbeddedFiles name tree."""
        _, final = sample_deposit_invoices()
        content = FacturXRenderer().render(final).content
        with pikepdf.open(io.BytesIO(content)) as pdf:
            af = pdf.Root.AF
            names = pdf.Root.Names.EmbeddedFiles.Names

            assert 1 == len(af)
            assert [FILENAME] == [str(n) for n in names[::2]]
            assert af[0].objgen == names[1].objgen
            assert "/GTS_PDFA1" == str(pdf.Root.OutputIntents[0].S)
            assert "1.7" == pdf.pdf_version
            assert 2 == len(pdf.trailer.ID)

    @pytest.mark.parametrize("profile", PROFILES)
    def test_xmp(self, profile: str) -> None:
        """XMP: PDF/A-3B, the fx: properties, the title, seller and issue date."""
        _, final = sample_deposit_invoices()
        root = xmp_of(FacturXRenderer(profile=profile).render(final).content)
        ns = {
            "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
            "fx": "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#",
            "xmp": "http://ns.adobe.com/xap/1.0/",
            "dc": "http://purl.org/dc/elements/1.1/",
            "pdf": "http://ns.adobe.com/pdf/1.3/",
        }

        def text(path: str) -> str:
            return str(root.findtext(f".//{path}", namespaces=ns))

        assert ("3", "B") == (text("pdfaid:part"), text("pdfaid:conformance"))
        assert ("INVOICE", FILENAME, "1.0", profile) == (
            text("fx:DocumentType"),
            text("fx:DocumentFileName"),
            text("fx:Version"),
            text("fx:ConformanceLevel"),
        )
        assert "2025-03-31T00:00:00+00:00" == text("xmp:CreateDate") == text("xmp:ModifyDate")
        assert "Facture FA-2025-0001" == root.findtext(".//dc:title//{*}li", namespaces=ns)
        assert "Atelier Numérique SAS" == root.findtext(".//dc:creator//{*}li", namespaces=ns)

    def test_info_agrees_with_xmp(self) -> None:
        """The Info dictionary says what the XMP says (title, author, producer, dates)."""
        _, final = sample_deposit_invoices()
        content = FacturXRenderer().render(final).content
        root = xmp_of(content)
        with pikepdf.open(io.BytesIO(content)) as pdf:
            info = {k: str(v) for k, v in pdf.docinfo.items()}

        assert "Facture FA-2025-0001" == info["/Title"]
        assert "Atelier Numérique SAS" == info["/Author"]
        assert info["/Producer"] == root.findtext(".//{http://ns.adobe.com/pdf/1.3/}Producer")
        assert "D:20250331000000+00'00'" == info["/CreationDate"] == info["/ModDate"]
        assert "/Trapped" not in info

    def test_deterministic(self) -> None:
        """The same document gives the same bytes, twice and in another process."""
        _, final = sample_deposit_invoices()
        first = FacturXRenderer().render(final).content
        code = (
            "import hashlib, sys\n"
            "from facturlib.einvoice.facturx import FacturXRenderer\n"
            "from facturlib.testing.builders import sample_deposit_invoices\n"
            "print(hashlib.sha256(FacturXRenderer().render(sample_deposit_invoices()[1])"
            ".content).hexdigest())\n"
        )
        other = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": "12345"},
        ).stdout.strip()

        assert first == FacturXRenderer().render(final).content
        assert hashlib.sha256(first).hexdigest() == other

    def test_every_font_embedded(self) -> None:
        """Every font of every page has an embedded program; no standard-14 font."""
        _, final = sample_deposit_invoices()
        content = FacturXRenderer().render(final).content
        with pikepdf.open(io.BytesIO(content)) as pdf:
            fonts = [f for page in pdf.pages for f in page.Resources.Font.values()]
            programs = [
                any(k in f.FontDescriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                for f in fonts
            ]

        assert fonts
        assert all(programs)

    def test_context_reaches_the_pdf(self) -> None:
        """A per-render `PdfContext` is printed (the text renderer's settings are kept)."""
        from pypdf import PdfReader

        _, final = sample_deposit_invoices()
        content = (
            FacturXRenderer()
            .render(final, context=PdfContext(notes=("Merci & à bientôt <3",)))
            .content
        )
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)

        assert "Merci & à bientôt <3" in text

    def test_pdf_matches_pdf_renderer(self) -> None:
        """The pages are PdfRenderer's with the payment texts of the XML notes (the legal
        penalties by default): same text, the XML only added."""
        from pypdf import PdfReader

        _, final = sample_deposit_invoices()
        facturx = FacturXRenderer().render(final).content
        context = PdfContext.for_invoice(final, penalties=LEGAL_PENALTIES)
        pdf = PdfRenderer().render(final, context=context).content

        def text(content: bytes) -> list[str]:
            return [p.extract_text() for p in PdfReader(io.BytesIO(content)).pages]

        assert text(pdf) == text(facturx)

    def test_refuses_a_draft(self) -> None:
        """A draft has no number: issue it first."""
        with pytest.raises(RenderError, match="issued invoice"):
            FacturXRenderer().render(sample_invoice())

    def test_refuses_a_proforma(self) -> None:
        """A proforma is not an invoice."""
        proforma = sample_invoice(kind=DocumentKind.PROFORMA)
        with pytest.raises(RenderError, match="issued invoice"):
            FacturXRenderer().render(proforma)

    def test_refuses_an_order(self) -> None:
        """An order is not an invoice."""
        order = Order(
            seller=sample_seller(), buyer=sample_buyer(), currency="EUR", lines=(sample_line(),)
        )
        with pytest.raises(RenderError, match="Order"):
            FacturXRenderer().render(order)  # type: ignore[arg-type]

    def test_refuses_extended_ctc_fr(self) -> None:
        """EXTENDED-CTC-FR is a bare-CII profile: Factur-X EXTENDED is declared instead."""
        with pytest.raises(RenderError, match="EXTENDED"):
            FacturXRenderer(profile="EXTENDED-CTC-FR")

    def test_refuses_an_unknown_profile(self) -> None:
        """A profile name that does not exist is refused at construction."""
        with pytest.raises(RenderError, match="profile"):
            FacturXRenderer(profile="COMFORT")

    def test_preflight_refuses_fatal_problems(self) -> None:
        """A foreign buyer without electronic address breaks BR-FR-12: EInvoiceError lists
        it; allow_problems=True writes the file anyway; MINIMUM is not held to BR-FR."""
        invoice = issued(buyer=FOREIGN_BUYER)
        with pytest.raises(EInvoiceError) as caught:
            FacturXRenderer().render(invoice)

        assert ["BR-FR-12"] == [p.rule for p in caught.value.problems]
        assert FacturXRenderer(allow_problems=True).render(invoice).content[:8] == b"%PDF-1.7"
        assert FacturXRenderer(check=False).render(invoice).content[:8] == b"%PDF-1.7"
        assert FacturXRenderer(profile="MINIMUM").render(invoice).content[:8] == b"%PDF-1.7"

    def test_a_name_too_long_to_lay_out_is_a_render_error(self) -> None:
        """A 10 kB seller name cannot fit a page: a RenderError, not reportlab's LayoutError."""
        with pytest.raises(RenderError, match="does not fit on a page"):
            FacturXRenderer().render(issued(seller=sample_seller(name="Société " * 1250)))

    def test_control_characters_are_refused_clearly(self) -> None:
        """Text XML 1.0 cannot hold (a BEL in a line's description) is a RenderError, not a
        broken file (party names refuse it at construction, issue 16)."""
        with pytest.raises(RenderError):
            FacturXRenderer().render(issued(lines=(sample_line(description="Client\x07 SARL"),)))


@pytest.fixture(scope="module")
def minimum_xml() -> bytes:
    """The MINIMUM CII of the final invoice of `sample_deposit_invoices`."""
    _, final = sample_deposit_invoices()
    return to_cii(final, "MINIMUM")


class TestMakeFacturX:
    def test_any_reportlab_pdf(self, tmp_path: Path, minimum_xml: bytes) -> None:
        """A plain PdfRenderer PDF (a draft, with its watermark) becomes a valid Factur-X
        PDF whose XMP and Info name the seller (party names hold no control character,
        issue 16)."""
        pdf = PdfRenderer().render(sample_invoice(seller=sample_seller(name="Bell & Co"))).content
        path = tmp_path / "made.pdf"
        path.write_bytes(make_facturx(pdf, minimum_xml, on=date(2025, 3, 31)))
        with pikepdf.open(path) as made:
            author = str(made.docinfo.Author)

        assert {} == errors_of(run_validator("pdfa.py", [path]))
        assert "Bell & Co" == author

    def test_profile_from_the_xml(self, minimum_xml: bytes) -> None:
        """The conformance level and relationship come from the XML's BT-24."""
        pdf = PdfRenderer().render(sample_invoice()).content
        content = make_facturx(pdf, minimum_xml)
        _, spec = attachment(content)
        level = xmp_of(content).findtext(
            ".//{urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#}ConformanceLevel"
        )

        assert ("MINIMUM", "/Data") == (level, spec["AFRelationship"])

    def test_refuses_xml_without_profile(self) -> None:
        """XML that declares no Factur-X profile is refused."""
        pdf = PdfRenderer().render(sample_invoice()).content
        with pytest.raises(RenderError, match="profile"):
            make_facturx(pdf, b"<a/>")

    def test_refuses_malformed_xml(self) -> None:
        """Malformed XML, or XML with an entity, is refused without expanding anything."""
        pdf = PdfRenderer().render(sample_invoice()).content
        bomb = b'<!DOCTYPE a [<!ENTITY e "xxxxxxxxxx">]><a>&e;&e;</a>'
        with pytest.raises(RenderError, match=r"well-formed|profile"):
            make_facturx(pdf, b"<a>")
        with pytest.raises(RenderError):
            make_facturx(pdf, bomb)

    def test_refuses_not_a_pdf(self, minimum_xml: bytes) -> None:
        """Bytes that are not a PDF are a RenderError."""
        with pytest.raises(RenderError, match="not a readable PDF"):
            make_facturx(b"hello", minimum_xml)

    def test_refuses_a_standard_font(self, minimum_xml: bytes) -> None:
        """A PDF with a standard-14 (unembedded) font cannot become PDF/A."""
        buffer = io.BytesIO()
        canvas = Canvas(buffer, invariant=1)
        canvas.setFont("Helvetica", 12)
        canvas.drawString(100, 100, "Hello")
        canvas.save()
        with pytest.raises(RenderError, match="not embedded"):
            make_facturx(buffer.getvalue(), minimum_xml)

    def test_refuses_transparency(self, minimum_xml: bytes) -> None:
        """A PDF drawing with alpha is refused (no transparency in our PDF/A)."""
        buffer = io.BytesIO()
        canvas = Canvas(buffer, invariant=1, initialFontName=register_fonts()[0])
        canvas.setFillAlpha(0.5)
        canvas.rect(10, 10, 100, 100, fill=1)
        canvas.save()
        with pytest.raises(RenderError, match="transparency"):
            make_facturx(buffer.getvalue(), minimum_xml)


class TestSrgbProfile:
    def test_icc_header(self) -> None:
        """An ICC v4.2 RGB display profile, created on a fixed date, the same every call."""
        profile = srgb_profile()

        assert (b"acsp", b"mntr", b"RGB ") == (profile[36:40], profile[12:16], profile[16:20])
        assert bytes((4, 0x20, 0, 0)) == profile[8:12]
        assert len(profile) == int.from_bytes(profile[:4], "big")
        assert srgb_profile() == profile


class TestXmlText:
    def test_escapes_and_drops(self) -> None:
        """Markup characters are escaped; characters XML 1.0 cannot hold are dropped."""
        assert "a &amp; &lt;b&gt; \"c\" 'd' 😀" == xml_text("a & <b> \"c\" 'd'\x00\x1f\ufffe 😀")


class TestDemoOut:
    def test_writes_valid_facturx_pdfs(self, tmp_path: Path) -> None:
        """`facturlib demo --out` writes a Factur-X PDF per document; each passes pdfa.py
        and facturx.py --fr."""
        from facturlib.cli import main

        assert 0 == main(["demo", "--out", str(tmp_path)], out=io.StringIO())
        written = sorted(tmp_path.glob("*-facturx.pdf"))

        assert 32 == len(written)  # 30 in euros (two delivery invoices) and the USD invoice
        assert {} == errors_of(run_validator("pdfa.py", written))
        assert {} == errors_of(run_validator("facturx.py", written, "--fr"))
