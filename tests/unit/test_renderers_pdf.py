"""The PDF renderer: content read back with pypdf, layout, locales, options, errors.

Figures come from DOMAIN.md and are checked to the cent in the rendered text.
pypdf reads the no-break space babel puts before "€" back as a plain space, so
`text_of` folds U+00A0 into a space; the narrow no-break space of French
thousands (U+202F) is kept.
"""

from __future__ import annotations

import io
import os
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from pypdf import PdfReader

from facturlib import (
    FR_FRANCHISE,
    FR_REDUCED,
    FR_STANDARD,
    Address,
    Contact,
    Discount,
    DocumentCharge,
    DocumentKind,
    Invoice,
    InvoiceReference,
    NumberingScheme,
    Order,
    Period,
    Quote,
    SequenceState,
    VatRate,
    credit_note,
    issue,
    to_money,
)
from facturlib.core.deliveries import DeliveryNote, delivery_note
from facturlib.core.documents import DeliverTo
from facturlib.core.errors import PaymentError, RenderError
from facturlib.core.payment_means import PaymentMeans
from facturlib.receivables.dunning import (
    DunningLetter,
    DunningLevel,
    DunningPolicy,
    DunningRecord,
    dunning_letters,
    dunning_run,
)
from facturlib.receivables.penalties import PenaltyPolicy
from facturlib.receivables.terms import (
    DueRule,
    EarlyPaymentDiscount,
    Installment,
    PaymentTerms,
    TermPart,
)
from facturlib.renderers import RenderedDocument, Renderer
from facturlib.renderers._format import Formatter, parse_locale
from facturlib.renderers.letters import LETTER_TEMPLATES, LetterTemplate
from facturlib.renderers.pdf import LABELS, PdfContext, PdfOptions, PdfRenderer
from facturlib.testing.builders import (
    sample_buyer,
    sample_deposit_invoices,
    sample_invoice,
    sample_line,
    sample_scheme,
    sample_seller,
)

SPACES = str.maketrans({"\xa0": " ", "\u202f": " "})
GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "pdf"
REGENERATE = os.environ.get("FACTURLIB_REGENERATE_GOLDEN") == "1"
JAN_15 = date(2025, 1, 15)
EUR = to_money("0", "EUR").currency


def pages_of(content: bytes) -> list[str]:
    """The text of every page, with no-break spaces (U+00A0, U+202F) read as spaces."""
    reader = PdfReader(io.BytesIO(content))
    return [page.extract_text().translate(SPACES) for page in reader.pages]


def text_of(content: bytes) -> str:
    """The text of the whole PDF."""
    return "\n".join(pages_of(content))


def issued(draft: Invoice, scheme: NumberingScheme | None = None, on: date = JAN_15) -> Invoice:
    """*draft*, issued as the first number of *scheme* on *on*."""
    invoice, _ = issue(draft, scheme or sample_scheme(), SequenceState(), on=on)
    return invoice


def render(document: object, **settings: object) -> str:
    """The text of *document* rendered with *settings*."""
    context = settings.pop("context", None)
    renderer = PdfRenderer(**settings)  # type: ignore[arg-type]
    return text_of(renderer.render(document, context=context).content)  # type: ignore[arg-type]


def credit_note_case() -> tuple[Invoice, Invoice]:
    """DOMAIN.md §5: FA-2025-0001 = 2 700 HT + 540 VAT; credit note for 900 HT at 20 %."""
    invoice = issued(
        sample_invoice(
            lines=[
                sample_line(
                    description="Licence annuelle",
                    quantity="3",
                    unit="ANN",
                    unit_price=to_money("900.00", "EUR"),
                )
            ]
        )
    )
    note = credit_note(invoice, amount=to_money("900.00", "EUR"), reason="Geste commercial")
    note = issued(note, NumberingScheme(pattern="AV-{yyyy}-{seq:04}"), on=date(2025, 2, 3))
    return invoice, note


def big_invoice(count: int = 1000) -> Invoice:
    """An issued invoice of *count* lines, some with long designations."""
    lines = [
        sample_line(
            description=f"Item {i:04d} "
            + ("maintenance et support sur site, déplacement compris " * (2 if i % 10 == 0 else 0)),
            quantity=str(i % 9 + 1),
            id=str(i),
        )
        for i in range(1, count + 1)
    ]
    return issued(sample_invoice(lines=lines))


def letter_of(
    invoices: list[Invoice],
    day: date,
    *,
    level: int = 1,
    policy: DunningPolicy | None = None,
) -> DunningLetter:
    """The one letter of a dunning run on *day* over *invoices* at *level* (history faked)."""
    policy = policy or DunningPolicy.french_default(penalties=PenaltyPolicy(rate="12.15"))
    history = [
        DunningRecord(invoice_number=str(invoice.number), level=step, date=invoice.issue_date)
        for invoice in invoices
        for step in range(1, level)
    ]
    (letter,) = dunning_letters(dunning_run(invoices, [], policy, day, history=history))
    assert level == letter.level
    return letter


def domain_letter(level: int = 1) -> DunningLetter:
    """DOMAIN.md §8: 7 800.00 TTC due 2025-03-31, chased on 2025-05-15 at 12.15 %."""
    draft = sample_invoice(
        lines=[sample_line(quantity="1", unit="LS", unit_price=to_money("6500.00", "EUR"))],
        due_date=date(2025, 3, 31),
    )
    return letter_of([issued(draft, on=date(2025, 3, 1))], date(2025, 5, 15), level=level)


def two_invoices() -> list[Invoice]:
    """FA-2025-0001 1 440.00 due 2025-02-14 and FA-2025-0002 600.00 due 2025-03-03."""
    first, state = issue(sample_invoice(), sample_scheme(), SequenceState(), on=JAN_15)
    draft = sample_invoice(
        lines=[sample_line(unit_price=to_money("50.00", "EUR"))], due_date=date(2025, 3, 3)
    )
    second, _ = issue(draft, sample_scheme(), state, on=date(2025, 2, 1))
    return [first, second]


# The renderer protocol ---------------------------------------------------------------------------


class TestPdfRendererProtocol:
    def test_is_a_renderer(self) -> None:
        """`PdfRenderer` satisfies the renderer protocol (DESIGN.md "Renderers")."""
        assert isinstance(PdfRenderer(), Renderer)

    def test_returns_a_pdf(self) -> None:
        """The result is PDF bytes with the application/pdf media type."""
        result = PdfRenderer().render(sample_invoice())

        assert isinstance(result, RenderedDocument)
        assert ("application/pdf", b"%PDF-") == (result.media_type, result.content[:5])

    def test_issued_file_is_named_after_the_number(self) -> None:
        """An issued invoice's file name is its number."""
        assert "FA-2025-0001.pdf" == PdfRenderer().render(issued(sample_invoice())).filename

    @pytest.mark.parametrize(
        ("document", "expected"),
        [
            (sample_invoice(), "facture-brouillon.pdf"),
            (sample_invoice(kind=DocumentKind.PROFORMA), "facture-proforma.pdf"),
        ],
    )
    def test_unnumbered_file_is_named_after_the_kind(
        self, document: Invoice, expected: str
    ) -> None:
        """Drafts and proformas are named after their title, in ASCII."""
        assert expected == PdfRenderer().render(document).filename

    def test_deterministic(self) -> None:
        """The same document gives the same bytes, from one renderer or another."""
        invoice = issued(sample_invoice())

        assert PdfRenderer().render(invoice).content == PdfRenderer().render(invoice).content

    def test_deterministic_whatever_was_rendered_before(self) -> None:
        """Rendering other documents in between (other fonts, locales) changes nothing."""
        invoice = issued(sample_invoice())
        first = PdfRenderer().render(invoice).content
        PdfRenderer(locale="de_DE").render(sample_invoice(buyer=sample_buyer(name="Ωμέγα ΑΕ")))

        assert first == PdfRenderer().render(invoice).content

    def test_dates_come_from_the_document(self) -> None:
        """The PDF creation and modification dates are the issue date, not the clock."""
        meta = PdfReader(
            io.BytesIO(PdfRenderer().render(issued(sample_invoice())).content)
        ).metadata

        assert "D:20250115000000+00'00'" == meta["/CreationDate"] == meta["/ModDate"]

    def test_metadata(self) -> None:
        """Title, author and language describe the document."""
        content = PdfRenderer().render(issued(sample_invoice())).content
        reader = PdfReader(io.BytesIO(content))

        assert ("Facture FA-2025-0001", "Atelier Numérique SAS") == (
            reader.metadata.title,
            reader.metadata.author,
        )
        assert "fr-FR" == reader.trailer["/Root"]["/Lang"]

    def test_every_font_is_embedded(self) -> None:
        """Every font is an embedded TrueType subset (no standard Type 1 font)."""
        content = PdfRenderer().render(issued(sample_invoice())).content
        reader = PdfReader(io.BytesIO(content))
        fonts = {}
        for page in reader.pages:
            for name, ref in page["/Resources"]["/Font"].items():
                fonts[name] = ref.get_object()

        assert fonts
        assert {"/TrueType"} == {font["/Subtype"] for font in fonts.values()}
        assert all("/FontFile2" in font["/FontDescriptor"] for font in fonts.values())

    def test_does_not_change_the_document(self) -> None:
        """Rendering leaves the document as it was."""
        invoice = issued(sample_invoice())
        before = attrs.asdict(invoice, recurse=False)
        PdfRenderer(context=PdfContext(notes=["x"])).render(
            invoice, context=PdfContext(notes=["y"])
        )

        assert before == attrs.asdict(invoice, recurse=False)


# What the page says ------------------------------------------------------------------------------


class TestContent:
    def test_seller_legal_mentions(self) -> None:
        """Legal form and capital, RCS, SIREN and VAT id of the seller (DOMAIN.md §1.1)."""
        text = render(issued(sample_invoice()))

        for mention in (
            "Atelier Numérique SAS",
            "SAS au capital de 10 000,00 €",
            "RCS Paris",
            "SIREN 732 829 320",
            "N° TVA FR44732829320",
        ):
            assert mention in text

    def test_buyer_block(self) -> None:
        """The buyer's name, "À l'attention de …", address, SIREN and VAT id."""
        buyer = sample_buyer(contact=Contact(name="Mme Durand"))
        text = render(issued(sample_invoice(buyer=buyer)))

        for mention in (
            "Facturé à",
            "Client Exemple SARL",
            "À l'attention de Mme Durand",
            "3 avenue Foch",
            "69006 Lyon",
            "SIREN 552 081 317",
            "FR03552081317",
        ):
            assert mention in text

    def test_attention_from_the_context(self) -> None:
        """The context names the recipient when the buyer has no contact."""
        text = render(issued(sample_invoice()), context=PdfContext(attention="Service achats"))

        assert "À l'attention de Service achats" in text

    def test_title_number_and_dates(self) -> None:
        """Title, number, issue date and due date (BT-1, BT-2, BT-9)."""
        text = render(issued(sample_invoice()))

        for mention in ("Facture", "FA-2025-0001", "15/01/2025", "Échéance", "14/02/2025"):
            assert mention in text

    def test_references(self) -> None:
        """Buyer reference (BT-10), purchase order (BT-13), delivery date and period."""
        draft = sample_invoice(
            buyer_reference="REF-ACHAT-7",
            purchase_order="PO-4512",
            delivery_date=date(2025, 1, 10),
            period=Period(start=date(2024, 12, 1), end=date(2025, 1, 1)),
        )
        text = render(issued(draft))

        for mention in (
            "Votre référence",
            "REF-ACHAT-7",
            "Bon de commande",
            "PO-4512",
            "Date de livraison",
            "10/01/2025",
            "du 01/12/2024 au 31/12/2024",
        ):
            assert mention in text

    def test_lines(self) -> None:
        """Each line shows its designation, quantity, unit, unit price, VAT rate and net."""
        text = render(issued(sample_invoice()))

        assert re.search(r"Consulting\s+10\s+h\s+120,00 €\s+20 %\s+1 200,00 €", text)

    def test_prices_including_vat(self) -> None:
        """Tax-inclusive unit prices are labelled TTC; the net column stays HT."""
        text = render(issued(sample_invoice(prices_include_vat=True)))

        assert "P.U. TTC" in text
        assert "Total TTC\n1 200,00 €" in text

    def test_description_longer_than_a_page(self) -> None:
        """A line whose description is taller than a page is split across pages."""
        line = sample_line(note="Lorem ipsum dolor sit amet. " * 400)
        pages = pages_of(PdfRenderer().render(issued(sample_invoice(lines=[line]))).content)

        assert len(pages) > 1
        assert "Net à payer" in pages[-1]

    def test_long_description_and_line_period(self) -> None:
        """A line's note (long description) and service period print under its name."""
        line = sample_line(
            note="Audit de sécurité du SI, rapport inclus",
            period=Period(start=date(2025, 1, 1), end=date(2025, 2, 1)),
        )
        text = render(issued(sample_invoice(lines=[line])))

        assert "Audit de sécurité du SI, rapport inclus" in text
        assert "Période : du 01/01/2025 au 31/01/2025" in text

    def test_vat_breakdown_per_rate(self) -> None:
        """One VAT row per rate with its base and amount (BG-23): 1 200 @ 20 %, 100 @ 5.5 %."""
        lines = [
            sample_line(),
            sample_line(
                description="Livre",
                quantity="10",
                unit="H87",
                unit_price=to_money("10.00", "EUR"),
                vat=FR_REDUCED,
            ),
        ]
        text = render(issued(sample_invoice(lines=lines)))

        assert re.search(r"20 %\s+1 200,00 €\s+240,00 €", text)
        assert re.search(r"5,5 %\s+100,00 €\s+5,50 €", text)
        assert "Total TTC\n1 545,50 €" in text

    def test_exemption_mention(self) -> None:
        """An exempt rate prints its legal mention (DOMAIN.md §3.2)."""
        text = render(issued(sample_invoice(lines=[sample_line(vat=FR_FRANCHISE)])))

        assert "TVA non applicable, art. 293 B du CGI" in text

    def test_reverse_charge_mention(self) -> None:
        """A reverse-charged line prints its rate referring to the mention "Autoliquidation",
        never the category code AE."""
        text = render(issued(sample_invoice(lines=[sample_line(vat=VatRate.reverse_charge())])))

        assert "(1) Autoliquidation" in text
        assert "0 % (1)" in text
        assert "AE" not in text

    def test_no_category_codes(self) -> None:
        """Rates print as customers read them: "20 %", the exempt mentions numbered, no
        "S 20%" or "0 % K" (issue 13)."""
        lines = [
            sample_line(vat=VatRate.intra_eu_goods()),
            sample_line(vat=VatRate.export(), id="2"),
            sample_line(vat=VatRate.exempt("Exonération, art. 261-4-4° du CGI"), id="3"),
        ]
        text = render(sample_invoice(lines=lines))

        assert "(1) Exonération de TVA, article 262 ter I du CGI" in text
        assert "(2) Exonération de TVA, article 262 I du CGI" in text
        assert "(3) Exonération, art. 261-4-4° du CGI" in text
        assert [] == re.findall(
            r"\b(?:S|Z|E|AE|K|G|O) ?\d+(?:[.,]\d+)? ?%|% (?:AE|K|G|E|O)\b", text
        )

    def test_outside_scope_rate(self) -> None:
        """An out-of-scope line has no rate: "–" referring to its mention."""
        text = render(sample_invoice(lines=[sample_line(vat=VatRate.outside_scope())]))

        assert "– (1)" in text
        assert "(1) Opération hors du champ d'application de la TVA" in text

    def test_nature_of_operations(self) -> None:
        """The nature of the operations is printed, from BT-23 (242 nonies A I-8° bis)."""
        goods = sample_line(supply="goods", id="2")

        assert "Nature de l'opération\nPrestation de services" in render(sample_invoice())
        assert "Nature de l'opération\nBiens et services" in render(
            sample_invoice(lines=[sample_line(), goods])
        )
        assert "Supply of goods" in render(
            sample_invoice(lines=[attrs.evolve(goods, id="1")]), language="en"
        )

    def test_vat_on_debits_from_the_seller(self) -> None:
        """A seller who opted for VAT on debits gets the mention (CGI 269-2-c)."""
        seller = sample_seller(vat_on_debits=True)

        assert "Option pour le paiement de la taxe d'après les débits" in render(
            sample_invoice(seller=seller)
        )
        assert "d'après les débits" not in render(sample_invoice())

    def test_buyer_siren(self) -> None:
        """The buyer's SIREN is printed (a 2026 mention)."""
        assert "SIREN 552 081 317" in render(sample_invoice())

    def test_deliver_to_of_the_invoice(self) -> None:
        """The invoice's deliver-to place is printed, even with the option off."""
        place = DeliverTo(
            Address(
                line1="ZI des Peupliers", city="Vénissieux", postal_code="69200", country_code="FR"
            ),
            name="Entrepôt Sud",
        )
        text = render(
            sample_invoice(deliver_to=place),
            options=PdfOptions(show_delivery_address=False),
        )

        assert "Livré à" in text
        assert "Entrepôt Sud" in text
        assert "69200 Vénissieux" in text

    @pytest.mark.parametrize(
        ("means", "expected"),
        [
            (
                PaymentMeans.direct_debit("RUM-2025-000042", "FR72ZZZ123456"),
                "Prélèvement SEPA, mandat (RUM) RUM-2025-000042 · ICS FR72ZZZ123456",
            ),
            (
                PaymentMeans.card(pan="1234"),
                "Paiement par carte bancaire · carte se terminant par 1234",
            ),
            (PaymentMeans.cash(), "Paiement en espèces"),
            (PaymentMeans.cheque(), "Paiement par chèque"),
            (
                PaymentMeans.credit_transfer("DE89370400440532013000", sepa=False),
                "Virement · IBAN DE89 3704 0044 0532 0130 00",
            ),
        ],
    )
    def test_payment_means(self, means: PaymentMeans, expected: str) -> None:
        """The invoice's payment means are printed, instead of the seller's IBAN."""
        text = render(sample_invoice(payment_means=[means]))

        assert expected in text
        if not means.is_credit_transfer:
            assert "FR76 3000" not in text

    def test_default_means_is_the_seller_account(self) -> None:
        """Without means, a SEPA transfer to the seller's IBAN and BIC."""
        assert "Virement SEPA · IBAN FR76 3000 6000 0112 3456 7890 189 · BIC AGRIFRPP" in render(
            sample_invoice()
        )

    def test_credit_note_has_no_due_date_nor_penalties(self) -> None:
        """A credit note has no due date, escompte, penalty or €40 mention."""
        _, note = credit_note_case()
        text = render(note)

        assert "Échéance" not in text
        assert "Pénalités" not in text
        assert "40,00" not in text
        assert "escompte" not in text

    def test_document_charge(self) -> None:
        """Document charges are listed above the totals, with their VAT rate."""
        charge = DocumentCharge(amount=to_money("15.00", "EUR"), vat=FR_STANDARD, reason="Port")
        text = render(issued(sample_invoice(charges=[charge])))

        assert "Frais – Port · TVA 20 %" in text
        assert "Total HT\n1 215,00 €" in text

    def test_mandatory_late_payment_mentions(self) -> None:
        """Escompte, penalty rate and the €40 indemnity are printed (DOMAIN.md §1.1, §8)."""
        text = render(issued(sample_invoice()))

        assert "Pas d'escompte pour paiement anticipé." in text
        flat = " ".join(text.split())
        assert "taux directeur de la BCE majoré de 10 points" in flat
        assert "recouvrement en cas de retard de paiement : 40,00 € (art. D441-5" in flat

    def test_agreed_penalty_rate_from_the_context(self) -> None:
        """The caller's penalty text (e.g. from payment terms) replaces the default."""
        context = PdfContext(
            late_penalty="Pénalités de retard : 12,15 % l'an.",
            early_payment_discount="Escompte 2 % pour paiement à 8 jours.",
        )
        text = render(issued(sample_invoice()), context=context)

        assert "Pénalités de retard : 12,15 % l'an." in text
        assert "Escompte 2 % pour paiement à 8 jours." in text
        assert "BCE" not in text

    def test_vat_on_debits(self) -> None:
        """The VAT-on-debits option prints its mention (DOMAIN.md §1.1)."""
        text = render(issued(sample_invoice()), context=PdfContext(vat_on_debits=True))

        assert "Option pour le paiement de la taxe d'après les débits" in text

    def test_bank_details(self) -> None:
        """IBAN in groups of four and BIC."""
        text = render(issued(sample_invoice()))

        assert "IBAN FR76 3000 6000 0112 3456 7890 189 · BIC AGRIFRPP" in text

    def test_sepa_mandate(self) -> None:
        """Paid by direct debit: the mandate reference (RUM) and the seller's ICS."""
        invoice = issued(sample_invoice(seller=sample_seller(creditor_id="FR72ZZZ123456")))
        text = render(invoice, context=PdfContext(sepa_mandate="RUM-2025-000042"))

        assert "Prélèvement SEPA, mandat (RUM) RUM-2025-000042 · ICS FR72ZZZ123456" in text
        assert "IBAN" not in text

    def test_payment_terms(self) -> None:
        """The document's payment terms, or the context's instead."""
        invoice = issued(sample_invoice(payment_terms="30 jours date de facture"))

        assert "Conditions de paiement : 30 jours date de facture" in render(invoice)
        text = render(invoice, context=PdfContext(payment_terms="45 jours fin de mois"))
        assert "Conditions de paiement : 45 jours fin de mois" in text

    def test_notes(self) -> None:
        """Document notes and context notes follow the totals."""
        text = render(
            issued(sample_invoice(notes=["Merci de votre confiance."])),
            context=PdfContext(notes="Livraison en deux fois."),
        )

        assert "Merci de votre confiance." in text
        assert "Livraison en deux fois." in text


class TestKinds:
    def test_deposit_invoice(self) -> None:
        """A deposit invoice: 3 000 HT + 600 VAT = 3 600 TTC (DOMAIN.md §6)."""
        deposit, _ = sample_deposit_invoices()
        text = render(deposit)

        assert "Facture d'acompte" in text
        for figure in (
            "Total HT\n3 000,00 €",
            "Total TVA\n600,00 €",
            "Total TTC\n3 600,00 €",
            "Net à payer\n3 600,00 €",
        ):
            assert figure in text

    def test_final_invoice_deducts_the_deposit(self) -> None:
        """Final invoice: 12 000 TTC − 3 600 paid → 8 400 due, deposit referenced (§6)."""
        _, final = sample_deposit_invoices()
        text = render(final)

        for figure in (
            "Total HT\n10 000,00 €",
            "Total TVA\n2 000,00 €",
            "Total TTC\n12 000,00 €",
            "Acomptes déjà versés\n-3 600,00 €",
            "Net à payer\n8 400,00 €",
            "Facture d'acompte",
            "AC-2025-0001 du 10/03/2025",
        ):
            assert figure in text

    def test_credit_note(self) -> None:
        """ "Avoir", "Facture initiale : FA-2025-0001 du 15/01/2025", 900 + 180 = 1 080 (§5)."""
        _, note = credit_note_case()
        text = render(note)

        assert "Avoir" in text
        assert "Facture initiale" in text
        assert "FA-2025-0001 du 15/01/2025" in text
        assert "AV-2025-0001" in text
        for figure in (
            "Total HT\n900,00 €",
            "Total TVA\n180,00 €",
            "Montant de l'avoir\n1 080,00 €",
        ):
            assert figure in text

    def test_credit_note_has_no_bank_details(self) -> None:
        """A credit note asks for no payment: no IBAN block."""
        _, note = credit_note_case()

        assert "IBAN" not in render(note)

    def test_proforma(self) -> None:
        """ "Facture proforma — ne constitue pas une facture" (DOMAIN.md §1.2), no watermark."""
        text = render(sample_invoice(kind=DocumentKind.PROFORMA))

        assert "Facture proforma" in text
        assert "Ne constitue pas une facture" in text
        assert "BROUILLON" not in text

    def test_corrective(self) -> None:
        """A corrective invoice (384) names the invoice it corrects."""
        draft = sample_invoice(
            kind=DocumentKind.CORRECTIVE,
            preceding=[InvoiceReference(number="FA-2024-0099", issue_date=date(2024, 12, 20))],
        )
        text = render(issued(draft))

        assert "Facture rectificative" in text
        assert "FA-2024-0099 du 20/12/2024" in text

    def test_quote(self) -> None:
        """A quote: "Devis", validity date, total, no late-payment mentions."""
        quote = Quote(
            seller=sample_seller(),
            buyer=sample_buyer(),
            currency="EUR",
            lines=[sample_line()],
            number="DE-2025-0007",
            issue_date=JAN_15,
            valid_until=date(2025, 2, 15),
        )
        text = render(quote)

        for mention in (
            "Devis",
            "DE-2025-0007",
            "Valable jusqu'au",
            "15/02/2025",
            "Total TTC du devis\n1 440,00 €",
        ):
            assert mention in text
        assert "D441-5" not in text

    def test_order(self) -> None:
        """An order: "Bon de commande", planned delivery, the buyer's PO number."""
        order = Order(
            seller=sample_seller(),
            buyer=sample_buyer(),
            currency="EUR",
            lines=[sample_line()],
            number="BC-2025-0003",
            issue_date=JAN_15,
            delivery_date=date(2025, 1, 30),
            purchase_order="PO-88",
        )
        text = render(order)

        for mention in (
            "Bon de commande",
            "BC-2025-0003",
            "Livraison prévue",
            "30/01/2025",
            "PO-88",
        ):
            assert mention in text


class TestWatermark:
    def test_draft_has_it(self) -> None:
        """A draft invoice carries "BROUILLON" and no number."""
        text = render(sample_invoice())

        assert "BROUILLON" in text
        assert "non numérotée (brouillon)" in text

    def test_issued_never(self) -> None:
        """An issued invoice never carries the watermark, whatever the setting."""
        assert "BROUILLON" not in render(issued(sample_invoice()))
        assert "SPECIMEN" not in render(issued(sample_invoice()), watermark="SPECIMEN")

    def test_custom_text(self) -> None:
        """The watermark text is configurable."""
        assert "SPECIMEN" in render(sample_invoice(), watermark="SPECIMEN")

    def test_turned_off(self) -> None:
        """``watermark=None`` draws none."""
        assert "BROUILLON" not in render(sample_invoice(), watermark=None)

    def test_follows_the_language(self) -> None:
        """English labels draw "DRAFT"."""
        assert "DRAFT" in render(sample_invoice(), locale="en_GB")

    def test_on_every_page(self) -> None:
        """Every page of a multi-page draft carries it."""
        draft = attrs.evolve(sample_invoice(), lines=[sample_line(id=str(i)) for i in range(80)])
        pages = pages_of(PdfRenderer().render(draft).content)

        assert len(pages) > 1
        assert all("BROUILLON" in page for page in pages)


class TestLocales:
    @pytest.mark.parametrize(
        ("locale", "amount", "day", "title", "due"),
        [
            ("fr_FR", "1 234,56 €", "15/01/2025", "Facture", "Net à payer"),
            ("en_GB", "€1,234.56", "15/01/2025", "Invoice", "Amount due"),
            ("de_DE", "1.234,56 €", "15.01.2025", "Rechnung", "Zahlbetrag"),
        ],
    )
    def test_numbers_dates_and_labels(
        self, locale: str, amount: str, day: str, title: str, due: str
    ) -> None:
        """Amounts, dates and labels follow the locale (fr "1 234,56 €", en "€1,234.56")."""
        line = sample_line(quantity="1", unit_price=to_money("1234.56", "EUR"))
        text = render(issued(sample_invoice(lines=[line])), locale=locale)

        assert amount in text
        assert day in text
        assert title in text
        assert due in text

    @pytest.mark.parametrize(
        ("code", "price", "expected"),
        [("JPY", "1234", "JP¥1,234"), ("KWD", "1.125", "KWD1.125"), ("USD", "19.99", "US$19.99")],
    )
    def test_any_currency(self, code: str, price: str, expected: str) -> None:
        """Each currency prints with its own minor unit (JPY 0, KWD 3)."""
        line = sample_line(quantity="1", unit_price=to_money(price, code))
        text = render(issued(sample_invoice(currency=code, lines=[line])), locale="en_GB")

        assert expected in text

    def test_unit_price_keeps_its_decimals(self) -> None:
        """A unit price with 4 decimals is printed in full, never rounded."""
        line = sample_line(quantity="1000", unit_price=to_money("0.1234", "EUR"))
        text = render(issued(sample_invoice(lines=[line])))

        assert "0,1234 €" in text
        assert "123,40 €" in text

    def test_language_apart_from_locale(self) -> None:
        """English labels with French numbers."""
        text = render(issued(sample_invoice()), locale="fr_FR", language="en")

        assert "Amount due\n1 440,00 €" in text

    def test_label_overrides(self) -> None:
        """One label can be replaced without a new catalogue."""
        text = render(issued(sample_invoice()), labels={"totals.due": "Reste à payer"})

        assert "Reste à payer\n1 440,00 €" in text

    def test_catalogues_have_the_same_keys(self) -> None:
        """French and English labels cover the same keys (German falls back on English)."""
        assert set(LABELS["en"]) == set(LABELS["fr"])
        assert set(LABELS["en"]) == set(LABELS["de"])


class TestUnicodeAndEscaping:
    def test_markup_characters_are_text(self) -> None:
        """`Dupont & Fils <SARL>` prints as written, not as markup."""
        buyer = sample_buyer(name="Dupont & Fils <SARL>")
        line = sample_line(description="Pose <b>non grasse</b> & finition", note="a < b > c &amp;")
        text = render(issued(sample_invoice(buyer=buyer, lines=[line])))

        assert "Dupont & Fils <SARL>" in text
        assert "Pose <b>non grasse</b> & finition" in text
        assert "a < b > c &amp;" in text

    def test_non_latin_names(self) -> None:
        """Greek, Cyrillic, accents and € render (embedded DejaVu Sans has the glyphs)."""
        buyer = sample_buyer(name="Ελληνική Εταιρεία ΑΕ")
        line = sample_line(description="Поставка оборудования — Ærø, Łódź, Zoë")
        text = render(issued(sample_invoice(buyer=buyer, lines=[line])))

        assert "Ελληνική Εταιρεία ΑΕ" in text
        assert "Поставка оборудования — Ærø, Łódź, Zoë" in text

    def test_foreign_address_names_the_country(self) -> None:
        """An address outside the locale's country prints the country's name."""
        buyer = sample_buyer(
            address=Address(
                line1="Unter den Linden 1", city="Berlin", postal_code="10117", country_code="DE"
            ),
            siren=None,
            vat_id=None,
        )
        text = render(issued(sample_invoice(buyer=buyer)))

        assert "10117 Berlin\nAllemagne" in text


class TestOptions:
    def discounted(self) -> Invoice:
        """Consulting 10 h × 120.00 with 10 % off (−120.00), and one plain line."""
        lines = [
            sample_line(discounts=(Discount(percent="10"),), product_id="CONS-1"),
            sample_line(
                description="Déplacement",
                quantity="1",
                unit="LS",
                unit_price=to_money("80.00", "EUR"),
            ),
        ]
        return issued(sample_invoice(lines=lines))

    def test_discount_column_when_a_line_has_one(self) -> None:
        """The discount column appears with the rate and the amount from the totals."""
        text = render(self.discounted())

        assert "Remise" in text
        assert "-10 %\n-120,00 €" in text
        assert "1 080,00 €" in text

    def test_no_discount_column_without_discounts(self) -> None:
        """No discount, no column."""
        assert "Remise" not in render(issued(sample_invoice()))

    def test_discount_column_forced_off(self) -> None:
        """``discount_column=False`` hides it even with discounts."""
        text = render(self.discounted(), options=PdfOptions(discount_column=False))

        assert "Remise" not in text

    def test_gross_amount_column(self) -> None:
        """The amount before line discounts, from the totals (10 × 120.00)."""
        text = render(self.discounted(), options=PdfOptions(gross_amount_column=True))

        assert "Montant brut" in " ".join(text.split())
        assert "1 200,00 €" in text

    def test_product_code(self) -> None:
        """The code column shows product ids, unless turned off."""
        assert "CONS-1" in render(self.discounted())
        assert "CONS-1" not in render(
            self.discounted(), options=PdfOptions(show_product_code=False)
        )

    def test_delivery_address(self) -> None:
        """A delivery address that differs is shown, unless turned off (242 nonies A I-7° bis)."""
        depot = Address(
            line1="ZI des Peupliers", city="Vénissieux", postal_code="69200", country_code="FR"
        )
        context = PdfContext(delivery_address=depot, delivery_name="Entrepôt Client Exemple")
        invoice = issued(sample_invoice())

        text = render(invoice, context=context)
        assert "Livré à" in text
        assert "Entrepôt Client Exemple" in text
        assert "69200 Vénissieux" in text
        hidden = render(invoice, context=context, options=PdfOptions(show_delivery_address=False))
        assert "Livré à" not in hidden

    def test_same_delivery_address_not_repeated(self) -> None:
        """A delivery address equal to the billing address is not printed twice."""
        context = PdfContext(delivery_address=sample_buyer().address)

        assert "Livré à" not in render(issued(sample_invoice()), context=context)

    def test_conditions_after_the_last_page(self) -> None:
        """General terms come on a page of their own, after the totals."""
        context = PdfContext(conditions="Article 1 – Objet.\n\nArticle 2 – Prix.")
        pages = pages_of(PdfRenderer(context=context).render(issued(sample_invoice())).content)

        assert 2 == len(pages)
        assert "Net à payer" in pages[0]
        assert "Conditions générales de vente" in pages[1]
        assert "Article 2 – Prix." in pages[1]

    def test_repeat_totals_on_every_page(self) -> None:
        """``repeat_totals`` prints the total and the amount due in every page's footer."""
        renderer = PdfRenderer(options=PdfOptions(repeat_totals=True))
        pages = pages_of(renderer.render(big_invoice(60)).content)

        assert len(pages) > 1
        assert all("Total TTC : " in page and "Net à payer : " in page for page in pages)

    def test_letter_page_size(self) -> None:
        """US letter pages."""
        content = PdfRenderer(options=PdfOptions(page_size="letter")).render(sample_invoice())
        box = PdfReader(io.BytesIO(content.content)).pages[0].mediabox

        assert (612, 792) == (round(box.width), round(box.height))

    def test_logo(self) -> None:
        """A PNG logo is drawn as an image on the first page."""
        image = pytest.importorskip("PIL.Image")
        buffer = io.BytesIO()
        image.new("RGB", (120, 40), (36, 59, 83)).save(buffer, format="PNG")
        content = PdfRenderer(logo=buffer.getvalue()).render(sample_invoice()).content
        page = PdfReader(io.BytesIO(content)).pages[0]

        assert 1 == len(page.images)


class TestPagination:
    @pytest.fixture(scope="class")
    @classmethod
    def pages(cls) -> list[str]:
        """The pages of a 1 000-line invoice."""
        return pages_of(PdfRenderer().render(big_invoice()).content)

    def test_page_count(self, pages: list[str]) -> None:
        """1 000 lines take 26 A4 pages with this layout."""
        assert 26 == len(pages)

    def test_page_numbers(self, pages: list[str]) -> None:
        """Every page says "Page n/N"."""
        total = len(pages)

        assert all(f"Page {n}/{total}" in page for n, page in enumerate(pages, start=1))

    def test_header_repeats_on_every_page(self, pages: list[str]) -> None:
        """The lines table header row is on every page."""
        assert all(re.search(r"Désignation\s+Qté\s+Unité\s+P\.U\. HT", page) for page in pages)

    def test_every_line_once(self, pages: list[str]) -> None:
        """Each of the 1 000 lines is printed exactly once, in order."""
        found = re.findall(r"Item (\d{4})", "\n".join(pages))

        assert [f"{i:04d}" for i in range(1, 1001)] == found

    def test_totals_on_the_last_page_only(self, pages: list[str]) -> None:
        """The totals close the document, on its last page."""
        due = big_invoice().totals().amount_due
        amount = Formatter(parse_locale("fr_FR")).money(due).translate(SPACES)

        assert [len(pages)] == [n for n, page in enumerate(pages, 1) if "Net à payer" in page]
        assert f"Net à payer\n{amount}" in pages[-1]

    def test_footer_on_every_page(self, pages: list[str]) -> None:
        """The legal mentions are in every page's footer."""
        assert all("Pas d'escompte pour paiement anticipé." in page for page in pages)

    @pytest.mark.parametrize("window", [40, 97])
    def test_windowed_table_is_the_same_pdf(
        self, window: int, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A long lines table laid out a window of rows at a time (linear time) gives
        the same bytes as one table, at any window size, long designations included."""
        from facturlib.renderers import _pdf_layout

        invoice = big_invoice(400)
        whole = PdfRenderer().render(invoice).content
        monkeypatch.setattr(_pdf_layout, "_WINDOW", window)

        assert whole == PdfRenderer().render(invoice).content

    def test_windowed_table_with_comment_rows(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Comment rows (spanning the table) keep their span in every window: the same
        pages as one table."""
        from facturlib.core.lines import CommentLine
        from facturlib.renderers import _pdf_layout

        lines = [sample_line(description=f"Item {i:04d}", id=str(i)) for i in range(1, 121)]
        comments = [CommentLine(f"Lot {k}", before=str(k * 25 + 1)) for k in range(4)]
        invoice = issued(sample_invoice(lines=lines, comments=comments))
        whole = PdfRenderer().render(invoice).content
        monkeypatch.setattr(_pdf_layout, "_WINDOW", 30)

        windowed = PdfRenderer().render(invoice).content

        assert pages_of(whole) == pages_of(windowed)
        assert all(f"Lot {k}" in "\n".join(pages_of(windowed)) for k in range(4))

    def test_a_row_taller_than_a_page_in_a_window(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A designation longer than a page is split within its row in a windowed table
        too, and every line is still printed once, in order."""
        from facturlib.renderers import _pdf_layout

        lines = [sample_line(description=f"Item {i:04d}", id=str(i)) for i in range(1, 121)]
        lines[60] = sample_line(description="Item 0061 " + "très long texte " * 900, id="61")
        invoice = issued(sample_invoice(lines=lines))
        whole = PdfRenderer().render(invoice).content
        monkeypatch.setattr(_pdf_layout, "_WINDOW", 30)
        windowed = PdfRenderer().render(invoice).content

        found = re.findall(r"Item (\d{4})", "\n".join(pages_of(windowed)))
        assert [f"{i:04d}" for i in range(1, 121)] == found
        assert pages_of(whole) == pages_of(windowed)


class TestPageImage:
    def test_draft_and_issued_pages_differ_by_the_watermark(self) -> None:
        """Rendered to pixels, a draft page is darker than the issued page (the watermark)."""
        pdfium = pytest.importorskip("pypdfium2")

        def ink(content: bytes) -> int:
            image = pdfium.PdfDocument(content)[0].render(scale=0.5).to_pil().convert("L")
            return sum(image.histogram()[:245])

        draft = sample_invoice()
        issued_ink = ink(PdfRenderer().render(issued(draft)).content)
        draft_ink = ink(PdfRenderer().render(draft).content)

        assert issued_ink > 1000  # the page is not blank
        assert draft_ink > issued_ink * 1.2


class TestErrors:
    def test_unknown_locale(self) -> None:
        """An unknown locale names the field and how to fix it."""
        with pytest.raises(RenderError, match="locale") as info:
            PdfRenderer(locale="xx_YY")
        assert "locale" == info.value.field

    def test_unknown_language(self) -> None:
        """A language without labels is refused."""
        with pytest.raises(RenderError, match="language"):
            PdfRenderer(language="tlh")

    def test_not_an_image(self) -> None:
        """Logo bytes that are not an image are refused at construction."""
        with pytest.raises(RenderError, match="logo") as info:
            PdfRenderer(logo=b"not an image")
        assert "logo" == info.value.field

    def test_logo_not_bytes(self) -> None:
        """A path instead of bytes is refused with a hint."""
        with pytest.raises(RenderError, match="read_bytes"):
            PdfRenderer(logo="logo.png")  # type: ignore[arg-type]

    def test_unknown_document(self) -> None:
        """Anything but an invoice, quote or order is refused."""
        with pytest.raises(RenderError, match="cannot render a str"):
            PdfRenderer().render("invoice")  # type: ignore[arg-type]

    def test_wrong_context(self) -> None:
        """A context of the wrong type is refused."""
        with pytest.raises(RenderError, match="PdfContext"):
            PdfRenderer().render(sample_invoice(), context={"notes": "x"})  # type: ignore[arg-type]

    def test_wrong_options(self) -> None:
        """Options of the wrong type are refused."""
        with pytest.raises(RenderError, match="PdfOptions"):
            PdfRenderer(options={"page_size": "A4"})  # type: ignore[arg-type]


class TestPdfOptions:
    def test_defaults(self) -> None:
        """A4, codes shown, automatic discount column."""
        options = PdfOptions()

        assert ("A4", True, None) == (
            options.page_size,
            options.show_product_code,
            options.discount_column,
        )

    def test_unknown_page_size(self) -> None:
        """An unknown page size names the ones there are."""
        with pytest.raises(RenderError, match="A4, LETTER"):
            PdfOptions(page_size="A5")

    @pytest.mark.parametrize("field", ["show_product_code", "repeat_totals", "discount_column"])
    def test_refuses_non_bools(self, field: str) -> None:
        """Flags are booleans, not truthy strings."""
        with pytest.raises(RenderError) as info:
            PdfOptions(**{field: "yes"})  # type: ignore[arg-type]
        assert field == info.value.field


class TestPdfContext:
    def test_merged_prefers_what_the_second_sets(self) -> None:
        """Fields the per-document context sets win; the others are kept."""
        base = PdfContext(conditions="CGV", late_penalty="12 %")
        merged = base.merged(PdfContext(late_penalty="15 %", notes=["n"]))

        assert ("CGV", "15 %", ("n",)) == (merged.conditions, merged.late_penalty, merged.notes)

    def test_merged_with_nothing(self) -> None:
        """Merging ``None`` gives the context itself."""
        base = PdfContext(conditions="CGV")

        assert base is base.merged(None)

    def test_refuses_a_non_address(self) -> None:
        """The delivery address is an `Address`."""
        with pytest.raises(RenderError, match="Address"):
            PdfContext(delivery_address="1 rue X")  # type: ignore[arg-type]


class TestFormatter:
    @pytest.mark.parametrize("locale", ["fr_FR", "en_GB", "de_DE", "de_CH", "en_IN", "ar_EG"])
    @pytest.mark.parametrize(
        "value", ["0", "0.5", "-1234.5", "1234567.891", "12.345678", "1000000", "-0.01"]
    )
    def test_fast_path_matches_babel(self, locale: str, value: str) -> None:
        """The fast amount formatting gives exactly babel's output, or babel is used."""
        fmt = Formatter(parse_locale(locale))
        amount = Decimal(value)
        places = max(2, -amount.as_tuple().exponent)  # type: ignore[operator]

        assert fmt._babel_amount(amount, "EUR", places) == fmt.amount(amount, EUR)

    @pytest.mark.parametrize("locale", ["fr_FR", "en_GB", "de_DE", "de_CH", "en_IN", "ar_EG"])
    @pytest.mark.parametrize("value", ["1.50", "1000", "-2.5", "0.0001", "12345.6789", "3"])
    def test_fast_numbers_match_babel(self, locale: str, value: str) -> None:
        """Quantities format as babel does (no trailing zeros, grouped thousands)."""
        from babel.numbers import format_decimal

        expected = format_decimal(Decimal(value), locale=locale, decimal_quantization=False)

        assert expected == Formatter(parse_locale(locale)).number(Decimal(value))

    def test_never_rounds(self) -> None:
        """A value with more decimals than the currency keeps them."""
        fmt = Formatter(parse_locale("en_GB"))

        assert "€0.125" == fmt.money(to_money("0.125", "EUR"))

    def test_missing_date(self) -> None:
        """A missing date prints as a dash."""
        assert "—" == Formatter(parse_locale("fr_FR")).date(None)

    @pytest.mark.parametrize(
        ("date_format", "expected"),
        [("medium", "15 janv. 2025"), ("dd MMMM yyyy", "15 janvier 2025"), ("yMMdd", "15/01/2025")],
    )
    def test_date_formats(self, date_format: str, expected: str) -> None:
        """Styles, CLDR patterns and skeletons."""
        assert expected == Formatter(parse_locale("fr_FR"), date_format).date(JAN_15)


class TestTextLines:
    def test_amounts_are_never_split(self) -> None:
        """Long lines break at plain spaces, never inside "1 234,00 €"."""
        from facturlib.renderers._fonts import register_fonts
        from facturlib.renderers._pdf_layout import TextLines, make_styles

        register_fonts()
        text = "total 1\u202f234,00\xa0€ dû " * 6
        lines = TextLines([(text, make_styles().footer, False)])
        lines.wrap(60)
        parts = [item[0] for item in lines._items]

        assert len(parts) > 1
        assert all(part.count("1\u202f234,00\xa0€") == part.count("1") for part in parts)

    def test_an_unbreakable_word_becomes_a_paragraph(self) -> None:
        """A word wider than the line is cut by a Paragraph instead of overflowing."""
        from reportlab.platypus import Paragraph

        from facturlib.renderers._fonts import register_fonts
        from facturlib.renderers._pdf_layout import TextLines, make_styles

        register_fonts()
        lines = TextLines([("https://example.com/" + "x" * 200, make_styles().body, False)])
        lines.wrap(100)

        assert isinstance(lines._items[0][0], Paragraph)


# Dunning letters (issues 5 and 7) ----------------------------------------------------------------


def flat(text: str) -> str:
    """*text* with every run of white space as one space."""
    return " ".join(text.split())


class TestDunningLetter:
    def test_domain_figures_to_the_cent(self) -> None:
        """DOMAIN §8: 7 800.00 due 2025-03-31, 45 days late at 12.15 % → 116.84 + €40."""
        letter = domain_letter()
        text = flat(render(letter))

        assert (Decimal("116.84"), Decimal("7956.84")) == (
            letter.interest.amount,
            letter.total.amount,
        )
        assert "FA-2025-0001 01/03/2025 31/03/2025 45 j 7 800,00 € 116,84 €" in text
        assert "Total dû 7 800,00 €" in text
        assert "Pénalités de retard au 15/05/2025 116,84 €" in text
        assert "Indemnité forfaitaire pour frais de recouvrement 40,00 €" in text
        assert "Total à régler 7 956,84 €" in text

    def test_amounts_are_the_letters(self) -> None:
        """Every amount printed is one the letter holds, formatted (the renderer never computes)."""
        letter = letter_of(two_invoices(), date(2025, 3, 10))
        fmt = Formatter(parse_locale("fr_FR"))
        text = flat(render(letter))
        expected = [letter.amount_due, letter.interest, letter.total]
        expected += [item.amount_due for item in letter.items]
        expected += [item.interest for item in letter.items]

        assert letter.indemnities is not None
        assert (Decimal("2040.00"), Decimal("80.00")) == (
            letter.amount_due.amount,
            letter.indemnities.amount,
        )
        for amount in [*expected, letter.indemnities]:
            assert flat(fmt.money(amount).translate(SPACES)) in text
        assert "FA-2025-0001" in text
        assert "FA-2025-0002" in text

    def test_fee(self) -> None:
        """A level's fee is printed and is part of the total the letter carries."""
        level = DunningLevel(name="Relance", days=7, fee=to_money("15.00", "EUR"))
        policy = DunningPolicy(levels=[level], penalties=PenaltyPolicy(rate="12.15"))
        letter = letter_of(two_invoices()[:1], date(2025, 2, 21), policy=policy)
        text = flat(render(letter))

        assert "Frais de relance 15,00 €" in text
        assert "Total à régler 1 498,36 €" in text
        assert Decimal("1498.36") == letter.total.amount

    def test_without_penalties(self) -> None:
        """No penalty policy: no interest column, no interest or indemnity line."""
        policy = DunningPolicy.french_default()
        letter = letter_of(two_invoices()[:1], date(2025, 2, 21), policy=policy)
        text = flat(render(letter))

        assert "Pénalités" not in text
        assert "Indemnité" not in text
        assert "Total dû 1 440,00 € Total à régler 1 440,00 €" in text

    @pytest.mark.parametrize(
        ("level", "locale", "title", "subject"),
        [
            (1, "fr_FR", "Relance", "Objet : Relance de paiement"),
            (2, "fr_FR", "Deuxième relance", "Objet : Deuxième relance de paiement"),
            (3, "fr_FR", "Mise en demeure", "Objet : Mise en demeure de payer"),
            (1, "en_GB", "Payment reminder", "Subject: Payment reminder"),
            (2, "en_GB", "Second reminder", "Subject: Second payment reminder"),
            (3, "en_GB", "Formal notice", "Subject: Formal notice to pay"),
            (1, "de_DE", "Zahlungserinnerung", "Betreff: Zahlungserinnerung"),
            (2, "de_DE", "Zweite Mahnung", "Betreff: Zweite Mahnung"),
            (
                3,
                "de_DE",
                "Förmliche Zahlungsaufforderung",
                "Betreff: Förmliche Zahlungsaufforderung",
            ),
        ],
    )
    def test_title_and_subject_per_level(
        self, level: int, locale: str, title: str, subject: str
    ) -> None:
        """Each level has its title and the subject of its template, in each language."""
        text = render(domain_letter(level), locale=locale)

        assert title in text.splitlines()
        assert subject in text.splitlines()

    @pytest.mark.parametrize("lang", ["fr", "en", "de"])
    @pytest.mark.parametrize("template", ["reminder", "second_reminder", "formal_notice"])
    def test_wording_from_the_letter_templates(self, lang: str, template: str) -> None:
        """The opening and closing are `LETTER_TEMPLATES`' own, as the text renderer's."""
        level = ("reminder", "second_reminder", "formal_notice").index(template) + 1
        wording = LETTER_TEMPLATES[lang][template]
        text = flat(
            render(domain_letter(level), locale={"fr": "fr_FR", "en": "en_GB"}.get(lang, "de_DE"))
        )

        assert flat(wording.opening) in text
        assert flat(wording.closing) in text

    def test_english_amounts(self) -> None:
        """en_GB formats amounts and dates for the locale."""
        text = flat(render(domain_letter(), locale="en_GB"))

        assert "FA-2025-0001 01/03/2025 31/03/2025 45 d €7,800.00 €116.84" in text
        assert "Total to pay €7,956.84" in text
        assert "Paris, 15/05/2025" in text

    def test_parties_place_date_and_bank(self) -> None:
        """Letterhead, recipient, place and date, IBAN/BIC, regards and signature."""
        text = render(domain_letter())

        for mention in (
            "SAS au capital de 10 000,00 €",
            "Destinataire\nClient Exemple SARL\n3 avenue Foch\n69006 Lyon",
            "Paris, le 15/05/2025",
            "Madame, Monsieur,",
            "IBAN FR76 3000 6000 0112 3456 7890 189 · BIC AGRIFRPP",
            "Veuillez agréer, Madame, Monsieur, nos salutations distinguées.",
            "Réf. client\n552081317",
            "Niveau de relance\n1",
            "Page 1/1",
        ):
            assert mention in text

    def test_attention_from_the_context(self) -> None:
        """The context names the person the letter is for."""
        text = render(domain_letter(), context=PdfContext(attention="Service comptabilité"))

        assert "À l'attention de Service comptabilité" in text

    def test_escaping(self) -> None:
        """Markup characters in names print as written."""
        buyer = sample_buyer(name="Dupont & Fils <SARL>")
        invoice = issued(sample_invoice(buyer=buyer))
        text = render(letter_of([invoice], date(2025, 2, 21)))

        assert "Dupont & Fils <SARL>" in text
        assert (
            "Relance – Dupont & Fils <SARL>"
            == PdfReader(
                io.BytesIO(PdfRenderer().render(letter_of([invoice], date(2025, 2, 21))).content)
            ).metadata.title
        )

    def test_no_watermark_and_no_invoice_mentions(self) -> None:
        """A letter is never watermarked and its footer is the seller's identity only."""
        text = render(domain_letter(), watermark="SPECIMEN")

        assert "SPECIMEN" not in text
        assert "Pas d'escompte" not in text

    def test_deterministic(self) -> None:
        """The same letter gives the same bytes; the PDF dates are the letter's date."""
        first = PdfRenderer().render(domain_letter()).content
        PdfRenderer(locale="de_DE").render(sample_invoice())
        meta = PdfReader(io.BytesIO(first)).metadata

        assert first == PdfRenderer().render(domain_letter()).content
        assert "D:20250515000000+00'00'" == meta["/CreationDate"]

    def test_file_name(self) -> None:
        """Title, customer and date name the file, in ASCII."""
        names = [
            PdfRenderer(locale=locale).render(domain_letter(3)).filename
            for locale in ("fr_FR", "en_GB")
        ]

        assert [
            "mise-en-demeure-552081317-2025-05-15.pdf",
            "formal-notice-552081317-2025-05-15.pdf",
        ] == names

    def test_does_not_change_the_letter(self) -> None:
        """Rendering leaves the letter as it was."""
        letter = domain_letter()
        before = attrs.asdict(letter, recurse=False)
        PdfRenderer().render(letter)

        assert before == attrs.asdict(letter, recurse=False)

    def test_many_invoices_paginate(self) -> None:
        """A letter listing 80 invoices runs over pages; the header repeats, the total ends it."""
        state = SequenceState()
        invoices = []
        for _ in range(80):
            invoice, state = issue(sample_invoice(), sample_scheme(), state, on=JAN_15)
            invoices.append(invoice)
        letter = letter_of(invoices, date(2025, 2, 21))
        pages = pages_of(PdfRenderer().render(letter).content)

        assert len(pages) > 1
        assert all("Facture Date Échéance Retard Montant dû Pénalités" in flat(p) for p in pages)
        assert all(f"Page {n}/{len(pages)}" in page for n, page in enumerate(pages, start=1))
        assert 80 == len(re.findall(r"FA-2025-\d{4}", "".join(pages)))
        assert "Total à régler 118 668,80 €" in flat(pages[-1])
        assert Decimal("118668.80") == letter.total.amount

    def test_custom_template(self) -> None:
        """A level with its own template key uses the wording given to the renderer."""
        level = DunningLevel(name="Pré-relance", days=7, template="courtesy")
        letter = letter_of(
            two_invoices()[:1], date(2025, 2, 21), policy=DunningPolicy(levels=[level])
        )
        courtesy = LetterTemplate(subject="Petit rappel", opening="Bonjour.", closing="Merci.")
        text = render(letter, templates={"courtesy": courtesy})

        assert "Objet : Petit rappel" in text
        assert "petit-rappel-552081317-2025-02-21.pdf" == (
            PdfRenderer(templates={"courtesy": courtesy}).render(letter).filename
        )
        with pytest.raises(RenderError, match="no wording") as info:
            PdfRenderer().render(letter)
        assert "template" == info.value.field

    def test_templates_must_be_letter_templates(self) -> None:
        """Templates of the wrong type are refused at construction."""
        with pytest.raises(RenderError, match="LetterTemplate") as info:
            PdfRenderer(templates={"reminder": "Bonjour"})  # type: ignore[dict-item]
        assert "templates['reminder']" == info.value.field


class TestPdfContextForInvoice:
    def test_installments_of_the_domain_example(self) -> None:
        """DOMAIN §7: 1 000.00 in three → 333.33, 333.33, 333.34, printed with their dates."""
        invoice = issued(
            sample_invoice(
                prices_include_vat=True,
                lines=[sample_line(unit_price=to_money("100.00", "EUR"))],
            )
        )
        terms = PaymentTerms(parts=[TermPart(due=DueRule.net(days)) for days in (30, 60, 90)])
        context = PdfContext.for_invoice(invoice, terms=terms)
        text = render(invoice, context=context)

        assert [Decimal("333.33"), Decimal("333.33"), Decimal("333.34")] == [
            i.amount.amount for i in context.installments
        ]
        assert "Conditions de paiement : 3 échéances de 1/3 à 30, 60 et 90 jours" in text
        for line in (
            "– 14/02/2025 : 333,33 €",
            "– 16/03/2025 : 333,33 €",
            "– 15/04/2025 : 333,34 €",
        ):
            assert line in text

    def test_single_payment_has_no_schedule(self) -> None:
        """One installment: the terms text, no schedule."""
        invoice = issued(sample_invoice())
        context = PdfContext.for_invoice(invoice, terms=PaymentTerms.single(DueRule.net(30)))

        assert ("À 30 jours", ()) == (context.payment_terms, context.installments)
        assert "Échéancier" not in render(invoice, context=context)

    def test_penalty_mentions(self) -> None:
        """The agreed rate, the escompte offered and the €40 indemnity reach the footer."""
        invoice = issued(sample_invoice())
        terms = PaymentTerms.single(
            DueRule.net(30), discount=EarlyPaymentDiscount(percent="1.5", days=8)
        )
        context = PdfContext.for_invoice(
            invoice, terms=terms, penalties=PenaltyPolicy(rate="12.15")
        )
        text = flat(render(invoice, context=context))

        assert "Escompte de 1,5 % pour paiement sous 8 jours." in text
        assert "Pénalités de retard : 12,15 %, exigibles sans rappel" in text
        assert "Indemnité forfaitaire pour frais de recouvrement : 40,00 EUR par facture" in text
        assert "BCE" not in text
        assert "Pas d'escompte" not in text

    def test_legal_default_rate(self) -> None:
        """Without a contractual rate the mention names the ECB rate + 10 points."""
        from facturlib.receivables.penalties import FR_REFERENCE_RATES

        policy = PenaltyPolicy(reference_rates=FR_REFERENCE_RATES)
        context = PdfContext.for_invoice(issued(sample_invoice()), penalties=policy)

        assert "Pas d'escompte pour paiement anticipé." == context.early_payment_discount
        assert context.late_penalty is not None
        assert "BCE majoré de 10 points" in context.late_penalty

    def test_no_indemnity(self) -> None:
        """A policy without the indemnity (collective proceedings) prints none."""
        invoice = issued(sample_invoice())
        context = PdfContext.for_invoice(
            invoice, penalties=PenaltyPolicy(rate="12.15", indemnity=None)
        )
        text = flat(render(invoice, context=context))

        assert context.no_recovery_indemnity
        assert "D441-5" not in text
        assert "Pénalités de retard : 12,15 %" in text

    def test_english(self) -> None:
        """The texts in English."""
        invoice = issued(sample_invoice())
        context = PdfContext.for_invoice(
            invoice,
            terms=PaymentTerms.single(DueRule.net(30)),
            penalties=PenaltyPolicy(rate="12.15"),
            language="en",
        )
        text = flat(render(invoice, context=context, locale="en_GB"))

        assert "Payment terms: Net 30 days" in text
        assert "Late-payment interest: 12.15%" in text

    def test_nothing_given(self) -> None:
        """Without terms and penalties the context sets nothing."""
        assert PdfContext() == PdfContext.for_invoice(issued(sample_invoice()))

    def test_credit_note_has_no_schedule(self) -> None:
        """A credit note gets the texts but no installments."""
        _, note = credit_note_case()
        terms = PaymentTerms(parts=[TermPart(due=DueRule.net(days)) for days in (30, 60)])

        assert () == PdfContext.for_invoice(note, terms=terms).installments

    def test_draft_needs_an_issue_date_for_installments(self) -> None:
        """A draft's schedule needs its issue date: the payment module says so."""
        terms = PaymentTerms(parts=[TermPart(due=DueRule.net(days)) for days in (30, 60)])
        with pytest.raises(PaymentError, match="issue date"):
            PdfContext.for_invoice(sample_invoice(), terms=terms)
        context = PdfContext.for_invoice(sample_invoice(), terms=terms, issue_date=JAN_15)
        assert 2 == len(context.installments)

    def test_unsupported_language(self) -> None:
        """German wording of the terms does not exist: a clear error."""
        with pytest.raises(RenderError, match="French and English") as info:
            PdfContext.for_invoice(issued(sample_invoice()), language="de")
        assert "language" == info.value.field

    def test_not_an_invoice(self) -> None:
        """Only invoices have payment terms and penalties."""
        with pytest.raises(RenderError, match="expected an Invoice"):
            PdfContext.for_invoice("FA-1")  # type: ignore[arg-type]

    def test_installments_are_checked(self) -> None:
        """Installments are `Installment` values."""
        with pytest.raises(RenderError, match="Installment") as info:
            PdfContext(installments=[("2025-01-01", "10")])  # type: ignore[list-item]
        assert "installments[0]" == info.value.field

    def test_installments_render_in_the_locale(self) -> None:
        """The renderer formats the installments: dates and amounts per locale."""
        context = PdfContext(
            installments=[
                Installment(date=date(2025, 2, 14), amount=to_money("720.00", "EUR")),
                Installment(date=date(2025, 3, 16), amount=to_money("720.00", "EUR")),
            ]
        )
        text = render(issued(sample_invoice()), context=context, locale="en_GB")

        assert "Installments:" in text
        assert "– 14/02/2025: €720.00" in text


# Golden files ------------------------------------------------------------------------------------


def _delivery_case() -> DeliveryNote:
    """BL-2025-0012: 4 of the 10 hours of order BC-2025-0003, delivered to a warehouse."""
    order = Order(
        seller=sample_seller(),
        buyer=sample_buyer(),
        currency="EUR",
        lines=[sample_line(product_id="CONS-H")],
        number="BC-2025-0003",
        issue_date=JAN_15,
        purchase_order="PO-88",
    )
    place = DeliverTo(
        Address(line1="ZI des Bruyères", city="Vénissieux", postal_code="69200", country_code="FR"),
        name="Entrepôt Sud",
    )
    return delivery_note(
        order,
        number="BL-2025-0012",
        on=date(2025, 1, 20),
        quantities={"1": "4"},
        deliver_to=place,
        notes=["Livraison partielle : le solde suit."],
    )


class TestQuotesAndDeliveries:
    def test_quote_addressed_with_acceptance_boxes(self) -> None:
        """A quote is "Adressé à" its buyer (never "Facturé à") and carries the
        "Bon pour accord" boxes: date, name, signature."""
        quote = Quote(
            seller=sample_seller(),
            buyer=sample_buyer(),
            currency="EUR",
            lines=[sample_line()],
            number="DE-2025-0007",
            issue_date=JAN_15,
        )
        text = render(quote)

        for mention in (
            "Adressé à",
            "Bon pour accord",
            "« Bon pour accord »",
            "Date",
            "Nom et qualité du signataire",
            "Signature (et cachet)",
        ):
            assert mention in text
        assert "Facturé à" not in text

    def test_quote_revision(self) -> None:
        """A revision states its number and the version it replaces."""
        quote = Quote(
            seller=sample_seller(),
            buyer=sample_buyer(),
            currency="EUR",
            lines=[sample_line()],
            number="DE-2025-0007",
            issue_date=JAN_15,
            revision=3,
            previous_number="DE-2025-0007",
            previous_revision=2,
        )

        text = render(quote)

        assert "Révision\n3" in text
        assert "Remplace le devis\nDE-2025-0007 rév. 2" in text

    def test_invoice_still_billed_to(self) -> None:
        """An invoice keeps "Facturé à" and no acceptance boxes."""
        text = render(sample_invoice())

        assert "Facturé à" in text
        assert "Bon pour accord" not in text

    def test_delivery_note(self) -> None:
        """A delivery note: title, number, date, order references, quantities delivered,
        the deliver-to place, "Reçu conforme" — and no price nor payment mention."""
        rendered = PdfRenderer(locale="fr_FR").render(_delivery_case())
        text = text_of(rendered.content)

        for mention in (
            "Bon de livraison",
            "BL-2025-0012",
            "20/01/2025",
            "BC-2025-0003",
            "PO-88",
            "Qté livrée",
            "Entrepôt Sud",
            "Reçu conforme",
        ):
            assert mention in text
        assert [] == [price for price in ("120,00", "P.U. HT", "Montant HT") if price in text]
        assert "D441-5" not in text
        assert "BL-2025-0012.pdf" == rendered.filename

    def test_delivery_note_english(self) -> None:
        """Labels follow the language."""
        text = render(_delivery_case(), locale="en_GB")

        assert "Delivery note" in text
        assert "Qty delivered" in text


def _golden_cases() -> dict[str, tuple[object, dict[str, object]]]:
    deposit, final = sample_deposit_invoices()
    invoice, note = credit_note_case()
    quote = Quote(
        seller=sample_seller(),
        buyer=sample_buyer(),
        currency="EUR",
        lines=[
            sample_line(),
            sample_line(
                description="Formation",
                quantity="2",
                unit="DAY",
                vat=FR_REDUCED,
                unit_price=to_money("650.00", "EUR"),
            ),
        ],
        number="DE-2025-0007",
        issue_date=JAN_15,
        valid_until=date(2025, 2, 15),
    )
    return {
        "invoice_fr": (invoice, {}),
        "invoice_en": (invoice, {"locale": "en_GB"}),
        "invoice_de": (invoice, {"locale": "de_DE"}),
        "draft_fr": (sample_invoice(), {}),
        "credit_note_fr": (note, {}),
        "deposit_fr": (deposit, {}),
        "final_after_deposit_fr": (final, {}),
        "proforma_fr": (sample_invoice(kind=DocumentKind.PROFORMA), {}),
        "quote_fr": (quote, {}),
        "delivery_note_fr": (_delivery_case(), {}),
        "letter_reminder_fr": (letter_of(two_invoices(), date(2025, 3, 10)), {}),
        "letter_second_reminder_en": (domain_letter(level=2), {"locale": "en_GB"}),
        "letter_formal_notice_de": (domain_letter(level=3), {"locale": "de_DE"}),
    }


GOLDEN_CASES = _golden_cases()


@pytest.mark.parametrize("case", sorted(GOLDEN_CASES))
def test_golden_text(case: str) -> None:
    """The text of each sample document equals its reviewed golden file.

    Regenerate with ``FACTURLIB_REGENERATE_GOLDEN=1 pytest tests/unit/test_renderers_pdf.py``
    and review the diff before committing.
    """
    document, settings = GOLDEN_CASES[case]
    actual = render(document, **settings).strip() + "\n"
    path = GOLDEN / f"{case}.txt"
    if REGENERATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; regenerate with FACTURLIB_REGENERATE_GOLDEN=1"

    assert path.read_text(encoding="utf-8") == actual


def test_reportlab_runs_with_its_c_accelerator() -> None:
    """facturlib installs rl_accel, so reportlab formats numbers and encodes streams in C
    (about 30 % of a short invoice's render time otherwise; benchmarks/README.md)."""
    import inspect

    from reportlab.lib import rl_accel

    assert inspect.isbuiltin(rl_accel.fp_str)
