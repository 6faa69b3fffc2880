"""Laws of the Factur-X renderer over generated invoices.

* the PDF and its attached XML say the same thing: the PDF text (read with pypdf)
  shows the number (BT-1), the issue date (BT-2), the VAT total (BT-110), the
  total with VAT (BT-112) and the amount due (BT-115) that the XML (read from the
  attachment) holds, and both equal ``totals()``;
* every generated Factur-X PDF passes ``pdfa.py`` and ``facturx.py --fr`` with no
  error (validated in one batch after the examples are drawn);
* rendering is deterministic.

The hypothesis test runs inside a plain test so that the drawn PDFs can be
validated together by one process per validator; its budget is bounded (20
examples).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pikepdf
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from lxml import etree
from pypdf import PdfReader

from facturlib.core.vat import FR_VAT_RATES
from facturlib.einvoice.facturx import FILENAME, FacturXRenderer
from facturlib.renderers._format import Formatter, parse_locale
from facturlib.testing.strategies import issued_invoices

SPACES = str.maketrans({"\xa0": " ", "\u202f": " "})
NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
SUMMATION = (
    "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/"
    "ram:SpecifiedTradeSettlementHeaderMonetarySummation/"
)


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


def flat(text: str) -> str:
    return " ".join(text.translate(SPACES).split())


def read_back(content: bytes) -> tuple[str, etree._Element]:
    """The PDF's text (white space folded) and the attached XML's root."""
    text = flat("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages))
    with pikepdf.open(io.BytesIO(content)) as pdf:
        xml = pdf.attachments[FILENAME].get_file().read_bytes()
    return text, etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))


def errors(script: str, paths: list[Path], *options: str) -> dict[str, list[str]]:
    folder = validate_dir()
    assert folder is not None
    done = subprocess.run(
        ["python3", str(folder / script), "--json", *options, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert 2 != done.returncode, done.stderr
    found = {
        Path(entry["file"]).name: [
            f"[{f['check']} {f['rule']}] {f['message'][:160]}"
            for f in entry["findings"]
            if f["severity"] == "error"
        ]
        for entry in json.loads(done.stdout)["files"]
    }
    return {name: listed for name, listed in found.items() if listed}


def test_pdf_and_xml_agree_and_pass_the_validators(tmp_path: Path) -> None:
    """The PDF shows the XML's number, date and totals (= `totals()`); every file drawn
    passes pdfa.py and facturx.py --fr."""
    if validate_dir() is None:
        pytest.skip("no shared/validate directory (run shared/validate/setup.sh)")
    fmt = Formatter(parse_locale("fr_FR"))
    written: list[Path] = []

    @settings(max_examples=20, deadline=None, database=None)
    @given(
        invoice=issued_invoices(
            currency_codes=st.just("EUR"), rates=st.sampled_from(FR_VAT_RATES), max_lines=4
        ),
        profile=st.sampled_from(["BASIC WL", "EN 16931", "EXTENDED"]),
    )
    def law(invoice, profile) -> None:  # type: ignore[no-untyped-def]
        # Line discounts may sum past 100 % in the strategy; a negative net price is no
        # e-invoice (EN 16931 BR-27), which the pre-flight check reports.
        assume(all(net >= 0 for net in invoice.totals().line_nets))
        content = FacturXRenderer(profile=profile).render(invoice).content
        text, root = read_back(content)
        totals = invoice.totals()

        number = root.findtext("rsm:ExchangedDocument/ram:ID", namespaces=NS)
        issued_on = root.findtext(
            "rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString", namespaces=NS
        )
        figures = {
            tag: Decimal(str(root.findtext(SUMMATION + f"ram:{tag}", namespaces=NS)))
            for tag in ("TaxTotalAmount", "GrandTotalAmount", "DuePayableAmount")
        }
        assert invoice.number == number
        assert invoice.issue_date == date(
            int(issued_on[:4]), int(issued_on[4:6]), int(issued_on[6:8])
        )
        assert {
            "TaxTotalAmount": totals.vat_total.amount,
            "GrandTotalAmount": totals.tax_inclusive_total.amount,
            "DuePayableAmount": totals.amount_due.amount,
        } == figures
        assert number in text
        assert flat(fmt.date(invoice.issue_date)) in text
        for amount in (totals.vat_total, totals.tax_inclusive_total, totals.amount_due):
            assert flat(fmt.money(amount)) in text
        assert FacturXRenderer(profile=profile).render(invoice).content == content

        path = tmp_path / f"drawn-{len(written):02d}.pdf"
        path.write_bytes(content)
        written.append(path)

    law()

    assert written
    assert {} == errors("pdfa.py", written)
    assert {} == errors("facturx.py", written, "--fr")
