"""E-invoices and PDFs of the line kinds added for issue 18, checked by the validators.

Milestone and deposit invoices that keep the deal's products (with a shipping charge
and a global discount shared), comment-only lines, taxes other than VAT (the
éco-participation as a mention, and on its own line with its own VAT), and unit
prices and quantities with more decimals: each written as CII (EN 16931 profile)
and UBL, then run through ``facturx.py --fr`` and ``ubl.py --fr`` of
../shared/validate in one batched call each: zero errors (XSD, EN 16931 BR-LIN,
BR-CO and BR-DEC, BR-FR).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from facturlib import (
    FR_STANDARD,
    BillingPlan,
    Invoice,
    Line,
    Milestone,
    NumberingScheme,
    Order,
    SequenceState,
    deposit_invoice,
    final_invoice,
    issue,
    milestone_invoices,
    to_cii,
    to_money,
    to_ubl,
)
from facturlib.core.lines import CommentLine, Discount, DocumentCharge, OtherTax, split_other_taxes
from facturlib.core.vat import VatRate
from facturlib.testing.builders import (
    sample_invoice,
    sample_product_order,
)

SCHEME = NumberingScheme(pattern="FA-{yyyy}-{seq:04}")
START = date(2025, 1, 31)


def eur(amount: str) -> object:
    return to_money(amount, "EUR")


def product_deal() -> Order:
    return sample_product_order(
        charges=[
            DocumentCharge(amount=eur("50.00"), vat=FR_STANDARD, reason="Port", reason_code="FC")
        ],
        global_discount=Discount(percent="5"),
    )


def issued_all(drafts: list[Invoice]) -> list[Invoice]:
    state = SequenceState()
    result = []
    for draft in drafts:
        invoice, state = issue(
            draft, SCHEME, state, on=draft.issue_date or START, due_date=draft.due_date or START
        )
        result.append(invoice)
    return result


def documents() -> dict[str, Invoice]:
    """Every new line kind, issued."""
    deal = product_deal()
    plan = BillingPlan(
        milestones=[
            Milestone(label="Acompte", percent="10", kind="deposit"),
            Milestone(label="Livraison", percent="33.3333", after_months=1),
            Milestone(label="Solde", percent="56.6667", kind="balance", after_months=2),
        ]
    )
    result: dict[str, Invoice] = {}
    for i, invoice in enumerate(
        issued_all(list(milestone_invoices(deal, plan, start=START, payment_days=30)))
    ):
        result[f"milestone-{i}"] = invoice
    deposit = issued_all([deposit_invoice(deal, amount=eur("1000.00"), due_date=START)])[0]
    result["deposit-amount"] = deposit
    result["final-after-deposit"] = issued_all(
        [final_invoice(deal, [deposit], due_date=date(2025, 3, 31))]
    )[0]
    result["comments"], result["eco-mention"], result["eco-own-lines"], result["decimals"] = (
        issued_all([comments_draft(), eco_draft(), eco_split_draft(), decimals_draft()])
    )
    return result


def fridge() -> Line:
    return Line(
        description="Réfrigérateur",
        quantity=2,
        unit_price=eur("499.00"),
        vat=FR_STANDARD,
        note="Classe A",
        supply="goods",
        other_taxes=[OtherTax(name="Éco-participation", amount=eur("5.00"))],
    )


def comments_draft() -> Invoice:
    """A heading before each line and a remark after the last one."""
    return sample_invoice(
        lines=[
            Line(description="Audit", quantity=2, unit_price=eur("800.00"), vat=FR_STANDARD),
            Line(description="Formation", quantity=1, unit_price=eur("1200.00"), vat=FR_STANDARD),
        ],
        comments=[
            CommentLine("Phase 1 – Diagnostic", before="1"),
            CommentLine("Phase 2 – Accompagnement", before="2"),
            CommentLine("Déplacements inclus"),
        ],
    )


def eco_draft() -> Invoice:
    """2 fridges at 499.00 HT, "dont Éco-participation : 10,00 EUR"."""
    return sample_invoice(lines=[fridge()])


def eco_split_draft() -> Invoice:
    """The éco-participation on its own line, and a tax exempt from VAT on its own line."""
    exempt = VatRate.exempt("Exonération de TVA, art. 261-4-4° du CGI")
    ticket = Line(
        description="Spectacle",
        quantity=3,
        unit_price=eur("30.00"),
        vat=FR_STANDARD,
        other_taxes=[OtherTax(name="Taxe sur les spectacles", amount=eur("1.05"), vat=exempt)],
    )
    return sample_invoice(lines=[*split_other_taxes(fridge()), *split_other_taxes(ticket)])


def decimals_draft() -> Invoice:
    """1 234.5678 kWh at 0.123456 = 152.4150… → 152.41; 1 000 screws at 0.0125 per 100
    = 0.125 → 0.13 (half up): prices up to 6 decimals, quantities up to 4 (BR-FR-DEC-02/03),
    line nets rounded at the line to 2 (BR-DEC-23)."""
    return sample_invoice(
        lines=[
            Line(
                description="Électricité",
                quantity="1234.5678",
                unit="KWH",
                unit_price=eur("0.123456"),
                vat=FR_STANDARD,
            ),
            Line(
                description="Vis",
                quantity="1000",
                base_quantity="100",
                unit_price=eur("0.0125"),
                vat=FR_STANDARD,
            ),
        ]
    )


@pytest.fixture(scope="module")
def findings(
    tmp_path_factory: pytest.TempPathFactory,
    validate: Callable[..., dict[str, list[dict[str, object]]]],
) -> dict[str, list[dict[str, object]]]:
    """Each document as CII (EN 16931) and UBL, validated with the French rules."""
    directory = tmp_path_factory.mktemp("line-kinds")
    cii: list[Path] = []
    ubl: list[Path] = []
    for name, document in documents().items():
        cii.append(directory / f"{name}.cii.xml")
        cii[-1].write_bytes(to_cii(document, "EN 16931"))
        ubl.append(directory / f"{name}.ubl.xml")
        ubl[-1].write_bytes(to_ubl(document))
    result = validate("facturx.py", cii, fr=True)
    result.update(validate("ubl.py", ubl, fr=True))
    return {Path(path).name: errors for path, errors in result.items()}


class TestValidators:
    def test_every_file_validated(self, findings: dict[str, list[dict[str, object]]]) -> None:
        """The validators reported on each document, in both syntaxes."""
        assert 2 * len(documents()) == len(findings)

    def test_zero_errors(self, findings: dict[str, list[dict[str, object]]]) -> None:
        """XSD, EN 16931 (BR-LIN, BR-CO) and BR-FR: no error in any file."""
        failing = {
            name: [f"[{e.get('rule')}] {str(e.get('message'))[:160]}" for e in errors]
            for name, errors in sorted(findings.items())
            if errors
        }

        assert {} == failing


NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}


def line_notes_of(document: Invoice) -> list[str]:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(to_cii(document, "EN 16931"), parser)
    path = "//ram:IncludedSupplyChainTradeLineItem/ram:AssociatedDocumentLineDocument"
    return [
        str(head.findtext("ram:IncludedNote/ram:Content", default="", namespaces=NS))
        for head in root.xpath(path, namespaces=NS)
    ]


class TestWritten:
    def test_comments_in_the_line_notes(self) -> None:
        """A comment goes to the note BT-127 of the line it precedes; a comment after every
        line to the last line's."""
        (document,) = issued_all([comments_draft()])

        assert [
            "Phase 1 – Diagnostic",
            "Phase 2 – Accompagnement\nDéplacements inclus",
        ] == line_notes_of(document)

    def test_eco_participation_mention(self) -> None:
        """The line note keeps the line's own note, then "dont Éco-participation : 10,00 EUR";
        the amounts are the line's (998.00 HT, 199.60 VAT)."""
        (document,) = issued_all([eco_draft()])
        totals = document.totals()

        assert (["Classe A\ndont Éco-participation : 10,00 EUR"], "998.00", "199.60") == (
            line_notes_of(document),
            f"{totals.bt109}",
            f"{totals.bt110}",
        )

    def test_eco_own_lines_by_hand(self) -> None:
        """Split: 2 × 494.00 + 2 × 5.00 at 20 %, 3 × 28.95 at 20 % and 3 × 1.05 exempt:
        1 084.85 at 20 % (216.97 VAT) and 3.15 exempt."""
        (document,) = issued_all([eco_split_draft()])

        assert [("S", "1084.85", "216.97"), ("E", "3.15", "0.00")] == [
            (vat.category.value, f"{taxable}", f"{amount}")
            for vat, taxable, amount in document.totals().vat_groups
        ]

    def test_decimals_by_hand(self) -> None:
        """152.41 and 0.13 (line nets rounded at the line), the price written as given."""
        (document,) = issued_all([decimals_draft()])
        xml = to_cii(document, "EN 16931")

        assert (
            ["152.41", "0.13"],
            True,
            True,
        ) == (
            [f"{net}" for net in document.totals().line_nets],
            b"<ram:ChargeAmount>0.123456</ram:ChargeAmount>" in xml,
            b'<ram:BilledQuantity unitCode="KWH">1234.5678</ram:BilledQuantity>' in xml,
        )

    def test_seventh_decimal_refused(self) -> None:
        """A unit price of 7 decimals is refused (BR-FR-DEC-03 allows 6)."""
        from facturlib.core.errors import InvalidValue

        with pytest.raises(InvalidValue, match="unit"):
            Line(description="x", quantity=1, unit_price=eur("0.1234567"), vat=FR_STANDARD)


class TestPdf:
    def text(self, draft: Invoice) -> str:
        import io

        from pypdf import PdfReader

        from facturlib.renderers.pdf import PdfRenderer

        (document,) = issued_all([draft])
        content = PdfRenderer().render(document).content
        reader = PdfReader(io.BytesIO(content))
        return "\n".join(page.extract_text() for page in reader.pages).replace("\u202f", " ")

    def test_comment_rows_in_place(self) -> None:
        """Each comment is a row of its own, before its line; the last after every line."""
        text = self.text(comments_draft())
        places = [
            text.index(s)
            for s in (
                "Phase 1 – Diagnostic",
                "Audit",
                "Phase 2 – Accompagnement",
                "Formation",
                "Déplacements inclus",
            )
        ]

        assert sorted(places) == places

    def test_eco_participation_mention(self) -> None:
        """The PDF says "dont Éco-participation : 10,00 €" under the line."""
        assert "dont Éco-participation : 10,00" in self.text(eco_draft())

    def test_more_decimals_shown(self) -> None:
        """Unit prices and quantities are printed with all their decimals."""
        text = self.text(decimals_draft())

        assert ("0,123456" in text, "234,5678" in text, "0,0125" in text) == (True, True, True)
