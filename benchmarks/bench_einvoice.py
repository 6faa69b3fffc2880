"""Workload "cii_xml": write 1 000 EN 16931 invoices of 20 lines as CII D22B XML.

Candidates:

* ``raw lxml`` (baseline, the limit): a hand-written ``lxml.etree.SubElement``
  builder of the **same bytes** facturlib writes, from plain tuples of
  Decimals, dates and strings prepared before the timer (what an exporter
  reading its own rows has); formatting the numbers and dates, building the tree
  and serialising are timed.
* ``facturlib``: ``to_cii(invoice, "EN 16931")`` on issued invoices: reading the
  document and its (kept) totals, the notes PMT/PMD/AAB/BAR worded from the
  penalty policy, the billing framework, the electronic addresses, the tree and
  the serialisation.
* ``drafthorse``: the ``drafthorse`` package (a peer) filling its document model
  with the same header, parties, lines, VAT breakdown and totals, then
  ``Document.serialize(schema=None)`` (its XSD check off, as the others do not
  validate either). Skipped, with a note on stderr, when not installed
  (``pip install -e '.[bench]'``).

Before timing, the raw builder's bytes must equal facturlib's, and every
candidate's XML is parsed back: the invoice number, every line's net amount and
the grand and due totals must agree.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from harness import Inputs, Workload
from lxml import etree

from facturlib import (
    FR_REDUCED,
    FR_STANDARD,
    Invoice,
    Line,
    NumberingScheme,
    SequenceState,
    issue,
    to_cii,
    to_money,
)
from facturlib.receivables.penalties import FR_REFERENCE_RATES, PenaltyPolicy, footer_mentions
from facturlib.testing.builders import sample_buyer, sample_seller

__all__ = ["CII_XML", "make_invoices"]

SEED = 42
_WORDS = ("Conseil", "Audit", "Formation", "Hébergement", "Licence", "Support", "Maintenance")

try:  # the peer is optional: CI installs only the test extra
    from drafthorse.models.accounting import ApplicableTradeTax
    from drafthorse.models.document import Document
    from drafthorse.models.note import IncludedNote
    from drafthorse.models.party import TaxRegistration
    from drafthorse.models.payment import PaymentMeans, PaymentTerms
    from drafthorse.models.tradelines import LineItem
except ImportError:  # pragma: no cover - depends on the environment
    Document = None


def make_invoices(count: int, lines: int = 20, seed: int = SEED) -> list[Invoice]:
    """*count* issued invoices of *lines* lines at 20 % and 5.5 %."""
    rng = random.Random(seed)
    state = SequenceState()
    scheme = NumberingScheme(pattern="FA-{yyyy}-{seq:05}")
    seller, buyer = sample_seller(), sample_buyer()
    invoices = []
    for _ in range(count):
        items = [
            Line(
                description=f"{rng.choice(_WORDS)} {index}",
                quantity=Decimal(rng.randint(1, 20)),
                unit="HUR",
                unit_price=to_money(Decimal(rng.randint(50, 200_000)).scaleb(-2), "EUR"),
                vat=FR_STANDARD if rng.random() < 0.7 else FR_REDUCED,
            )
            for index in range(1, lines + 1)
        ]
        draft = Invoice(
            seller=seller, buyer=buyer, currency="EUR", lines=items, due_date=date(2025, 2, 14)
        )
        invoice, state = issue(draft, scheme, state, on=date(2025, 1, 15))
        invoice.totals()  # kept by the invoice, as in an application that showed it
        invoices.append(invoice)
    return invoices


class Written:
    """What a candidate returns: its XML documents; equal when they state the same figures."""

    def __init__(self, documents: list[bytes]) -> None:
        self.documents = documents

    def summary(self) -> list[tuple[str, ...]]:
        result = []
        for xml in self.documents:
            root = etree.fromstring(xml)

            def texts(name: str, root: Any = root) -> list[str]:
                return [str(Decimal(e.text)) for e in root.iter("{*}" + name)]

            number = next(root.iter("{*}ExchangedDocument")).findtext("{*}ID") or ""
            result.append(
                (
                    number,
                    *texts("LineTotalAmount"),
                    *texts("GrandTotalAmount"),
                    *texts("DuePayableAmount"),
                )
            )
        return result

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Written):
            return NotImplemented
        return self.summary() == other.summary()

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return f"<{len(self.documents)} XML documents, first {self.summary()[:1]}>"


# --------------------------------------------------------------------- raw lxml


def _plain(invoice: Invoice) -> tuple[Any, ...]:
    """The invoice as plain values, as an exporter's own rows would hold them."""
    t = invoice.totals()
    s, b = invoice.seller, invoice.buyer
    aab, pmd, pmt = footer_mentions(PenaltyPolicy(reference_rates=FR_REFERENCE_RATES))
    party = [
        (p.name, p.legal_id, p.address.postal_code, p.address.line1, p.address.city, p.vat_id)
        for p in (s, b)
    ]
    lines = [
        (
            line.id,
            line.description,
            line.unit_price.amount,
            line.quantity,
            line.unit,
            line.vat.percent,
            net,
        )
        for line, net in zip(invoice.lines, t.line_nets, strict=True)
    ]
    groups = [(vat.percent, base, amount) for vat, base, amount in t.vat_groups]
    return (
        invoice.number,
        invoice.issue_date,
        invoice.due_date,
        (pmt, pmd, aab),
        party,
        s.contact,
        s.iban,
        s.bic,
        lines,
        groups,
        (t.bt106, t.bt109, t.bt110, t.bt112, t.bt115),
    )


_RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
_RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
_UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
_QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"


def raw_lxml(data: list[Invoice]) -> Callable[[], Written]:
    """The limit: SubElement calls writing the same XML from plain values."""
    rows = [_plain(invoice) for invoice in data]
    SE = etree.SubElement  # noqa: N806 - read as the XML tag helpers below
    R, U = "{" + _RAM + "}", "{" + _UDT + "}"  # noqa: N806
    nsmap = {"rsm": _RSM, "qdt": _QDT, "ram": _RAM, "udt": _UDT}
    fmt = {"format": "102"}

    def text(parent: Any, tag: str, value: str) -> None:
        SE(parent, R + tag).text = value

    def day(parent: Any, tag: str, value: date) -> None:
        SE(SE(parent, R + tag), U + "DateTimeString", fmt).text = value.strftime("%Y%m%d")

    def pct(value: Decimal) -> str:
        t = format(value, "f")
        return t.rstrip("0").rstrip(".") if "." in t else t

    def one(row: tuple[Any, ...]) -> bytes:
        number, issued, due, notes, parties, contact, iban, bic, lines, groups, sums = row
        root = etree.Element("{" + _RSM + "}CrossIndustryInvoice", nsmap=nsmap)
        ctx = SE(root, "{" + _RSM + "}ExchangedDocumentContext")
        text(SE(ctx, R + "BusinessProcessSpecifiedDocumentContextParameter"), "ID", "S1")
        text(
            SE(ctx, R + "GuidelineSpecifiedDocumentContextParameter"),
            "ID",
            "urn:cen.eu:en16931:2017",
        )
        doc = SE(root, "{" + _RSM + "}ExchangedDocument")
        text(doc, "ID", number)
        text(doc, "TypeCode", "380")
        day(doc, "IssueDateTime", issued)
        for content, subject in zip((*notes, "B2B"), ("PMT", "PMD", "AAB", "BAR"), strict=True):
            note = SE(doc, R + "IncludedNote")
            text(note, "Content", content)
            text(note, "SubjectCode", subject)
        tx = SE(root, "{" + _RSM + "}SupplyChainTradeTransaction")
        for line_id, name, price, quantity, unit, rate, net in lines:
            item = SE(tx, R + "IncludedSupplyChainTradeLineItem")
            text(SE(item, R + "AssociatedDocumentLineDocument"), "LineID", line_id)
            text(SE(item, R + "SpecifiedTradeProduct"), "Name", name)
            text(
                SE(SE(item, R + "SpecifiedLineTradeAgreement"), R + "NetPriceProductTradePrice"),
                "ChargeAmount",
                format(price, "f"),
            )
            SE(
                SE(item, R + "SpecifiedLineTradeDelivery"), R + "BilledQuantity", unitCode=unit
            ).text = format(quantity, "f")
            st = SE(item, R + "SpecifiedLineTradeSettlement")
            tax = SE(st, R + "ApplicableTradeTax")
            text(tax, "TypeCode", "VAT")
            text(tax, "CategoryCode", "S")
            text(tax, "RateApplicablePercent", pct(rate))
            text(
                SE(st, R + "SpecifiedTradeSettlementLineMonetarySummation"),
                "LineTotalAmount",
                format(net, "f"),
            )
        agreement = SE(tx, R + "ApplicableHeaderTradeAgreement")
        for index, (name, siren, postcode, line1, city, vat_id) in enumerate(parties):
            p = SE(agreement, R + ("SellerTradeParty" if index == 0 else "BuyerTradeParty"))
            text(p, "Name", name)
            if index == 0:
                text(p, "Description", "SAS au capital de 10000 EUR, RCS Paris")
            SE(SE(p, R + "SpecifiedLegalOrganization"), R + "ID", schemeID="0002").text = siren
            if index == 0:
                c = SE(p, R + "DefinedTradeContact")
                text(c, "PersonName", contact.name)
                text(SE(c, R + "EmailURIUniversalCommunication"), "URIID", contact.email)
            a = SE(p, R + "PostalTradeAddress")
            text(a, "PostcodeCode", postcode)
            text(a, "LineOne", line1)
            text(a, "CityName", city)
            text(a, "CountryID", "FR")
            SE(SE(p, R + "URIUniversalCommunication"), R + "URIID", schemeID="0225").text = siren
            SE(SE(p, R + "SpecifiedTaxRegistration"), R + "ID", schemeID="VA").text = vat_id
        SE(tx, R + "ApplicableHeaderTradeDelivery")
        settlement = SE(tx, R + "ApplicableHeaderTradeSettlement")
        text(settlement, "InvoiceCurrencyCode", "EUR")
        means = SE(settlement, R + "SpecifiedTradeSettlementPaymentMeans")
        text(means, "TypeCode", "58")
        text(SE(means, R + "PayeePartyCreditorFinancialAccount"), "IBANID", iban)
        text(SE(means, R + "PayeeSpecifiedCreditorFinancialInstitution"), "BICID", bic)
        for rate, base, amount in groups:
            tax = SE(settlement, R + "ApplicableTradeTax")
            text(tax, "CalculatedAmount", format(amount, "f"))
            text(tax, "TypeCode", "VAT")
            text(tax, "BasisAmount", format(base, "f"))
            text(tax, "CategoryCode", "S")
            text(tax, "RateApplicablePercent", pct(rate))
        day(SE(settlement, R + "SpecifiedTradePaymentTerms"), "DueDateDateTime", due)
        summation = SE(settlement, R + "SpecifiedTradeSettlementHeaderMonetarySummation")
        bt106, bt109, bt110, bt112, bt115 = sums
        text(summation, "LineTotalAmount", format(bt106, "f"))
        text(summation, "TaxBasisTotalAmount", format(bt109, "f"))
        SE(summation, R + "TaxTotalAmount", currencyID="EUR").text = format(bt110, "f")
        text(summation, "GrandTotalAmount", format(bt112, "f"))
        text(summation, "DuePayableAmount", format(bt115, "f"))
        result: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
        return result

    # The limit must write what facturlib writes: compare the bytes before timing.
    for invoice, row in zip(data[:3], rows, strict=False):
        if one(row) != to_cii(invoice, "EN 16931"):
            raise AssertionError(f"raw lxml and facturlib differ on {invoice.number}")

    def run() -> Written:
        return Written([one(row) for row in rows])

    return run


def facturlib_cii(data: list[Invoice]) -> Callable[[], Written]:
    """``to_cii(invoice, "EN 16931")`` on each issued invoice."""

    def run() -> Written:
        return Written([to_cii(invoice, "EN 16931") for invoice in data])

    return run


def drafthorse_cii(data: list[Invoice]) -> Callable[[], Written]:
    """drafthorse's document model with the same content, serialised without its XSD check."""
    if Document is None:  # not registered then, see _candidates()
        raise RuntimeError("drafthorse is not installed")
    aab, pmd, pmt = footer_mentions(PenaltyPolicy(reference_rates=FR_REFERENCE_RATES))

    def one(invoice: Invoice) -> bytes:
        t = invoice.totals()
        doc = Document()
        doc.context.business_parameter.id = "S1"
        doc.context.guideline_parameter.id = "urn:cen.eu:en16931:2017"
        doc.header.id = invoice.number
        doc.header.type_code = "380"
        doc.header.issue_date_time = invoice.issue_date
        for content, subject in ((pmt, "PMT"), (pmd, "PMD"), (aab, "AAB"), ("B2B", "BAR")):
            note = IncludedNote()
            note.content = content
            note.subject_code = subject
            doc.header.notes.add(note)
        for party, target in (
            (invoice.seller, doc.trade.agreement.seller),
            (invoice.buyer, doc.trade.agreement.buyer),
        ):
            target.name = party.name
            target.legal_organization.id = ("0002", party.legal_id)
            target.address.postcode = party.address.postal_code
            target.address.line_one = party.address.line1
            target.address.city_name = party.address.city
            target.address.country_id = party.address.country_code
            target.electronic_address.uri_ID = ("0225", party.legal_id)
            target.tax_registrations.add(TaxRegistration(id=("VA", party.vat_id)))
        doc.trade.settlement.currency_code = "EUR"
        means = PaymentMeans()
        means.type_code = "58"
        means.payee_account.iban = invoice.seller.iban
        means.payee_institution.bic = invoice.seller.bic
        doc.trade.settlement.payment_means.add(means)
        for line, net in zip(invoice.lines, t.line_nets, strict=True):
            li = LineItem()
            li.document.line_id = line.id
            li.product.name = line.description
            li.agreement.net.amount = line.unit_price.amount
            li.delivery.billed_quantity = (line.quantity, line.unit)
            li.settlement.trade_tax.type_code = "VAT"
            li.settlement.trade_tax.category_code = "S"
            li.settlement.trade_tax.rate_applicable_percent = line.vat.percent
            li.settlement.monetary_summation.total_amount = net
            doc.trade.items.add(li)
        for vat, base, amount in t.vat_groups:
            tax = ApplicableTradeTax()
            tax.calculated_amount = amount
            tax.basis_amount = base
            tax.type_code = "VAT"
            tax.category_code = "S"
            tax.rate_applicable_percent = vat.percent
            doc.trade.settlement.trade_tax.add(tax)
        terms = PaymentTerms()
        terms.due = invoice.due_date
        doc.trade.settlement.terms.add(terms)
        summation = doc.trade.settlement.monetary_summation
        summation.line_total = t.bt106
        summation.tax_basis_total = t.bt109
        summation.tax_total = (t.bt110, "EUR")
        summation.grand_total = t.bt112
        summation.due_amount = t.bt115
        result: bytes = doc.serialize(schema=None)
        return result

    def run() -> Written:
        return Written([one(invoice) for invoice in data])

    return run


def _candidates() -> dict[str, Callable[[list[Invoice]], Callable[[], Written]]]:
    candidates = {"raw lxml": raw_lxml, "facturlib": facturlib_cii}
    if Document is not None:
        candidates["drafthorse"] = drafthorse_cii
    else:
        print(
            "note: drafthorse is not installed, its CII candidate is skipped "
            "(pip install -e '.[bench]' to compare with it)",
            file=sys.stderr,
        )
    return candidates


def _setup(size: int) -> Inputs:
    return Inputs(data=make_invoices(size), units=size)


CII_XML = Workload(
    name="cii_xml",
    unit="invoice",
    description="write an issued 20-line EN 16931 invoice as CII D22B XML, per invoice",
    setup=_setup,
    candidates=_candidates(),
    baseline="raw lxml",
    size=1000,
    quick_size=50,
    target=1.5,
    target_candidate="facturlib",
)
