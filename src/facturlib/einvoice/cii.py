"""UN/CEFACT Cross Industry Invoice (CII D22B) for the Factur-X 1.09 profiles.

`to_cii` writes an issued `facturlib.Invoice` — an invoice (380), a credit note
(381), a corrective invoice (384) or a deposit invoice (386) — as the
``rsm:CrossIndustryInvoice`` XML of a Factur-X profile: MINIMUM, BASIC WL,
BASIC, EN 16931 (the default), EXTENDED, or the French CTC profile
EXTENDED-CTC-FR for bare CII flows. Each profile writes only what its XSD
allows (Factur-X 1.09.2), elements in the order of the XSD. `CiiRenderer` is
the same behind the `facturlib.renderers.Renderer` protocol.

Every amount comes from ``document.totals()``; nothing is recomputed here.
The French e-invoicing rules (XP Z12-012, BR-FR 1.4) are written in: the
billing framework BT-23 in
``ExchangedDocumentContext/BusinessProcessSpecifiedDocumentContextParameter``,
the electronic addresses BT-34/BT-49 (scheme 0225, the SIREN by default), the
notes ``PMT``, ``PMD`` and ``AAB`` (the recovery indemnity, the late-payment
penalties and the escompte, C. com. L441-9 I and L441-10 II, worded by
`facturlib.receivables.penalties.footer_mentions` as on the PDF) and ``BAR``.

>>> from facturlib.testing.builders import sample_deposit_invoices
>>> _, final = sample_deposit_invoices()
>>> xml = to_cii(final)
>>> xml[:38]
b"<?xml version='1.0' encoding='UTF-8'?>"
>>> b"<ram:DuePayableAmount>8400.00</ram:DuePayableAmount>" in xml
True

.. versionadded:: 0.2
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from facturlib.core.documents import Invoice
from facturlib.core.errors import RenderError
from facturlib.core.lines import reason_code_of
from facturlib.core.parties import Party
from facturlib.core.vat import VatCategory, VatRate
from facturlib.einvoice._common import (
    Facts,
    Profile,
    amount,
    facts,
    last_day,
    line_notes,
    line_price,
    percent,
    preflight,
    safe_name,
    text_error,
)
from facturlib.receivables.penalties import PenaltyPolicy
from facturlib.receivables.terms import PaymentTerms
from facturlib.renderers import RenderedDocument

__all__ = ["CiiRenderer", "to_cii"]

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
_NSMAP = {"rsm": RSM, "qdt": QDT, "ram": RAM, "udt": UDT}

# lxml is imported on first use (`_lxml`), so that ``import facturlib`` stays light.
_SE: Any = None
_tostring: Any = None
_Element: Any = None


def _lxml() -> None:
    global _SE, _tostring, _Element
    from lxml import etree

    _SE, _tostring, _Element = etree.SubElement, etree.tostring, etree.Element


_R = "{" + RAM + "}"
_U = "{" + UDT + "}"
_DATE = _U + "DateTimeString"
_FORMAT = {"format": "102"}


def _text(parent: Any, tag: str, text: str) -> Any:
    element = _SE(parent, tag)
    element.text = text
    return element


def _date(parent: Any, tag: str, day: date, qualified: bool = False) -> None:
    holder = _SE(parent, tag)
    inner = _SE(holder, ("{" + QDT + "}DateTimeString") if qualified else _DATE, _FORMAT)
    inner.text = day.strftime("%Y%m%d")


def _address(parent: Any, party_address: Any, full: bool) -> None:
    element = _SE(parent, _R + "PostalTradeAddress")
    if full:
        a = party_address
        if a.postal_code is not None:
            _text(element, _R + "PostcodeCode", a.postal_code)
        if a.line1 is not None:
            _text(element, _R + "LineOne", a.line1)
        if a.line2 is not None:
            _text(element, _R + "LineTwo", a.line2)
        if a.line3 is not None:
            _text(element, _R + "LineThree", a.line3)
        _text(element, _R + "CityName", a.city)
    _text(element, _R + "CountryID", party_address.country_code)
    if full and party_address.country_subdivision is not None:
        _text(element, _R + "CountrySubDivisionName", party_address.country_subdivision)


def _party(
    parent: Any,
    tag: str,
    party: Party,
    endpoint: tuple[str, str] | None,
    level: int,
    *,
    seller: bool,
    description: str | None,
    vat_ids: bool,
) -> None:
    element = _SE(parent, tag)
    if level >= 1:
        if not seller and party.id is not None:
            _text(element, _R + "ID", party.id)
        if party.siret is not None:
            _SE(element, _R + "GlobalID", schemeID="0009").text = party.siret
    _text(element, _R + "Name", party.name)
    if level >= 3 and description is not None:
        _text(element, _R + "Description", description)
    legal_id = party.legal_id
    trading = party.trading_name if level >= 1 else None
    if legal_id is not None or trading is not None:
        organization = _SE(element, _R + "SpecifiedLegalOrganization")
        if legal_id is not None:
            _SE(organization, _R + "ID", schemeID="0002").text = legal_id
        if trading is not None:
            _text(organization, _R + "TradingBusinessName", trading)
    contact = party.contact
    if level >= 3 and contact is not None:
        holder = _SE(element, _R + "DefinedTradeContact")
        if contact.name is not None:
            _text(holder, _R + "PersonName", contact.name)
        if contact.phone is not None:
            _text(
                _SE(holder, _R + "TelephoneUniversalCommunication"),
                _R + "CompleteNumber",
                contact.phone,
            )
        if contact.email is not None:
            _text(_SE(holder, _R + "EmailURIUniversalCommunication"), _R + "URIID", contact.email)
    if seller or level >= 1:
        _address(element, party.address, level >= 1)
    if level >= 1 and endpoint is not None:
        _SE(
            _SE(element, _R + "URIUniversalCommunication"), _R + "URIID", schemeID=endpoint[1]
        ).text = endpoint[0]
    if vat_ids and party.vat_id is not None and (seller or level >= 1):
        _SE(
            _SE(element, _R + "SpecifiedTaxRegistration"), _R + "ID", schemeID="VA"
        ).text = party.vat_id


def _category(parent: Any, vat: VatRate) -> None:
    _text(parent, _R + "TypeCode", "VAT")
    _text(parent, _R + "CategoryCode", vat.category.value)
    if vat.percent is not None:
        _text(parent, _R + "RateApplicablePercent", percent(vat.percent))


def _adjustment(
    parent: Any,
    charge: bool,
    value: Decimal,
    *,
    pct: Decimal | None = None,
    base: Decimal | None = None,
    reason: str | None = None,
    code: str | None = None,
    vat: VatRate | None = None,
    with_base: bool = True,
) -> None:
    element = _SE(parent, _R + "SpecifiedTradeAllowanceCharge")
    _text(_SE(element, _R + "ChargeIndicator"), _U + "Indicator", "true" if charge else "false")
    if with_base and pct is not None and base is not None:
        _text(element, _R + "CalculationPercent", percent(pct))
        _text(element, _R + "BasisAmount", amount(base))
    _text(element, _R + "ActualAmount", amount(value))
    if code is not None:
        _text(element, _R + "ReasonCode", code)
    if reason is not None or code is None:
        _text(element, _R + "Reason", reason or ("Frais" if charge else "Remise"))
    if vat is not None:
        _category(_SE(element, _R + "CategoryTradeTax"), vat)


def _line_items(transaction: Any, invoice: Invoice, level: int, language: str) -> None:
    totals = invoice.totals()
    adjusted = {entry[0]: entry for entry in totals.line_adjustments}
    inclusive = invoice.prices_include_vat
    notes = line_notes(invoice)
    for index, (line, net) in enumerate(zip(invoice.lines, totals.line_nets, strict=True)):
        item = _SE(transaction, _R + "IncludedSupplyChainTradeLineItem")
        head = _SE(item, _R + "AssociatedDocumentLineDocument")
        _text(head, _R + "LineID", line.id or str(index + 1))
        note = notes[index]
        if note is not None:
            _text(_SE(head, _R + "IncludedNote"), _R + "Content", note)
        product = _SE(item, _R + "SpecifiedTradeProduct")
        if level >= 3 and line.product_id is not None:
            _text(product, _R + "SellerAssignedID", line.product_id)
        _text(product, _R + "Name", line.description)
        agreement = _SE(item, _R + "SpecifiedLineTradeAgreement")
        price = _SE(agreement, _R + "NetPriceProductTradePrice")
        unit_price, adjustments = line_price(line, net, adjusted.get(index), inclusive, language)
        _text(price, _R + "ChargeAmount", amount(unit_price))
        if line.base_quantity != 1:
            _SE(price, _R + "BasisQuantity", unitCode=line.unit).text = amount(line.base_quantity)
        _SE(
            _SE(item, _R + "SpecifiedLineTradeDelivery"), _R + "BilledQuantity", unitCode=line.unit
        ).text = amount(line.quantity)
        settlement = _SE(item, _R + "SpecifiedLineTradeSettlement")
        _category(_SE(settlement, _R + "ApplicableTradeTax"), line.vat)
        if line.period is not None and level >= 2:
            period = _SE(settlement, _R + "BillingSpecifiedPeriod")
            _date(period, _R + "StartDateTime", line.period.start)
            _date(period, _R + "EndDateTime", last_day(line.period.end))
        for charge, value, pct, base, reason, code in adjustments:
            _adjustment(
                settlement,
                charge,
                value,
                pct=pct,
                base=base,
                reason=reason,
                code=code,
                with_base=level >= 3,
            )
        _text(
            _SE(settlement, _R + "SpecifiedTradeSettlementLineMonetarySummation"),
            _R + "LineTotalAmount",
            amount(net),
        )


def _build(invoice: Invoice, f: Facts) -> Any:
    level = f.profile.level
    full = level >= 3
    totals = invoice.totals()
    currency = invoice.currency.code
    out_of_scope = all(vat.category is VatCategory.O for vat, _, _ in totals.vat_groups)

    root = _Element("{" + RSM + "}CrossIndustryInvoice", nsmap=_NSMAP)
    context = _SE(root, "{" + RSM + "}ExchangedDocumentContext")
    if f.framework is not None:
        _text(
            _SE(context, _R + "BusinessProcessSpecifiedDocumentContextParameter"),
            _R + "ID",
            f.framework,
        )
    _text(
        _SE(context, _R + "GuidelineSpecifiedDocumentContextParameter"),
        _R + "ID",
        f.profile.guideline,
    )

    document = _SE(root, "{" + RSM + "}ExchangedDocument")
    # facts() refused drafts: both are set.
    assert invoice.number is not None
    assert invoice.issue_date is not None
    _text(document, _R + "ID", invoice.number)
    _text(document, _R + "TypeCode", invoice.kind.code or "380")
    _date(document, _R + "IssueDateTime", invoice.issue_date)
    if level >= 1:
        for content, subject in f.notes:
            note = _SE(document, _R + "IncludedNote")
            _text(note, _R + "Content", content)
            if subject is not None:
                _text(note, _R + "SubjectCode", subject)

    transaction = _SE(root, "{" + RSM + "}SupplyChainTradeTransaction")
    if level >= 2:
        _line_items(transaction, invoice, level, f.language)

    agreement = _SE(transaction, _R + "ApplicableHeaderTradeAgreement")
    if invoice.buyer_reference is not None:
        _text(agreement, _R + "BuyerReference", invoice.buyer_reference)
    _party(
        agreement,
        _R + "SellerTradeParty",
        invoice.seller,
        f.seller_endpoint,
        level,
        seller=True,
        description=f.seller_description,
        vat_ids=not out_of_scope,
    )
    _party(
        agreement,
        _R + "BuyerTradeParty",
        invoice.buyer,
        f.buyer_endpoint,
        level,
        seller=False,
        description=None,
        vat_ids=not out_of_scope,
    )
    if full and invoice.order_reference is not None:
        _text(
            _SE(agreement, _R + "SellerOrderReferencedDocument"),
            _R + "IssuerAssignedID",
            invoice.order_reference,
        )
    if invoice.purchase_order is not None:
        _text(
            _SE(agreement, _R + "BuyerOrderReferencedDocument"),
            _R + "IssuerAssignedID",
            invoice.purchase_order,
        )
    if level >= 1 and invoice.contract_reference is not None:
        _text(
            _SE(agreement, _R + "ContractReferencedDocument"),
            _R + "IssuerAssignedID",
            invoice.contract_reference,
        )
    if full and f.project is not None:
        project = _SE(agreement, _R + "SpecifiedProcuringProject")
        _text(project, _R + "ID", f.project)
        _text(project, _R + "Name", "Projet" if f.language == "fr" else "Project")

    delivery = _SE(transaction, _R + "ApplicableHeaderTradeDelivery")
    if level >= 1:
        deliver_to = f.deliver_to
        if deliver_to is not None:
            ship = _SE(delivery, _R + "ShipToTradeParty")
            location = deliver_to.location_id
            if location is not None:
                _text(ship, _R + "ID", location)
            name = deliver_to.name
            if name is not None:
                _text(ship, _R + "Name", name)
            _address(ship, deliver_to.address, True)
        if invoice.delivery_date is not None:
            _date(
                _SE(delivery, _R + "ActualDeliverySupplyChainEvent"),
                _R + "OccurrenceDateTime",
                invoice.delivery_date,
            )

    settlement = _SE(transaction, _R + "ApplicableHeaderTradeSettlement")
    if level >= 1:
        if f.creditor_id is not None:
            _text(settlement, _R + "CreditorReferenceID", f.creditor_id)
        if f.remittance is not None:
            _text(settlement, _R + "PaymentReference", f.remittance)
        if invoice.tax_currency is not None:
            _text(settlement, _R + "TaxCurrencyCode", invoice.tax_currency.code)
    _text(settlement, _R + "InvoiceCurrencyCode", currency)
    if level >= 1:
        for means in f.means:
            element = _SE(settlement, _R + "SpecifiedTradeSettlementPaymentMeans")
            _text(element, _R + "TypeCode", means.code)
            if full and means.text is not None:
                _text(element, _R + "Information", means.text)
            if full and means.card_pan is not None:
                card = _SE(element, _R + "ApplicableTradeSettlementFinancialCard")
                _text(card, _R + "ID", means.card_pan)
                if means.card_holder is not None:
                    _text(card, _R + "CardholderName", means.card_holder)
            if means.debtor_iban is not None:
                _text(
                    _SE(element, _R + "PayerPartyDebtorFinancialAccount"),
                    _R + "IBANID",
                    means.debtor_iban,
                )
            if means.iban is not None:
                account = _SE(element, _R + "PayeePartyCreditorFinancialAccount")
                _text(account, _R + "IBANID", means.iban)
                if full and means.account_name is not None:
                    _text(account, _R + "AccountName", means.account_name)
            if full and means.bic is not None:
                _text(
                    _SE(element, _R + "PayeeSpecifiedCreditorFinancialInstitution"),
                    _R + "BICID",
                    means.bic,
                )
        for vat, taxable, vat_amount in totals.vat_groups:
            tax = _SE(settlement, _R + "ApplicableTradeTax")
            _text(tax, _R + "CalculatedAmount", amount(vat_amount))
            _text(tax, _R + "TypeCode", "VAT")
            if vat.exemption_reason is not None:
                _text(tax, _R + "ExemptionReason", vat.exemption_reason)
            _text(tax, _R + "BasisAmount", amount(taxable))
            _text(tax, _R + "CategoryCode", vat.category.value)
            if vat.exemption_code is not None:
                _text(tax, _R + "ExemptionReasonCode", vat.exemption_code)
            if f.debits and vat.category is VatCategory.S:
                _text(tax, _R + "DueDateTypeCode", "5")
            if vat.percent is not None:
                _text(tax, _R + "RateApplicablePercent", percent(vat.percent))
        if invoice.period is not None:
            period = _SE(settlement, _R + "BillingSpecifiedPeriod")
            _date(period, _R + "StartDateTime", invoice.period.start)
            _date(period, _R + "EndDateTime", last_day(invoice.period.end))
        for applied in (*totals.allowances, *totals.charges):
            _adjustment(
                settlement,
                applied.is_charge,
                applied.amount.amount,
                pct=applied.percent,
                base=applied.base.amount if applied.base is not None else None,
                reason=applied.reason,
                code=reason_code_of(applied),
                vat=applied.vat,
            )
        if f.terms_text is not None or invoice.due_date is not None or f.mandate is not None:
            terms = _SE(settlement, _R + "SpecifiedTradePaymentTerms")
            if f.terms_text is not None:
                _text(terms, _R + "Description", f.terms_text)
            if invoice.due_date is not None:
                _date(terms, _R + "DueDateDateTime", invoice.due_date)
            if f.mandate is not None:
                _text(terms, _R + "DirectDebitMandateID", f.mandate)

    summation = _SE(settlement, _R + "SpecifiedTradeSettlementHeaderMonetarySummation")
    if level >= 1:
        _text(summation, _R + "LineTotalAmount", amount(totals.bt106))
        if totals.charges:
            _text(summation, _R + "ChargeTotalAmount", amount(totals.bt108))
        if totals.allowances:
            _text(summation, _R + "AllowanceTotalAmount", amount(totals.bt107))
    _text(summation, _R + "TaxBasisTotalAmount", amount(totals.bt109))
    _SE(summation, _R + "TaxTotalAmount", currencyID=currency).text = amount(totals.bt110)
    vat_in_tax_currency = totals.vat_total_tax_currency
    if vat_in_tax_currency is not None and level >= 1:
        _SE(
            summation, _R + "TaxTotalAmount", currencyID=vat_in_tax_currency.currency.code
        ).text = amount(vat_in_tax_currency.amount)
    if totals.bt114:
        if not full:
            raise RenderError(
                f"the {f.profile.value} profile has no rounding amount (BT-114)",
                field="profile",
                value=f.profile.value,
                hint='write a document with cash rounding in the "EN 16931" or "EXTENDED" profile',
            )
        _text(summation, _R + "RoundingAmount", amount(totals.bt114))
    _text(summation, _R + "GrandTotalAmount", amount(totals.bt112))
    if level >= 1 and totals.bt113:
        _text(summation, _R + "TotalPrepaidAmount", amount(totals.bt113))
    _text(summation, _R + "DuePayableAmount", amount(totals.bt115))
    if level >= 1:
        for reference in invoice.preceding:
            referenced = _SE(settlement, _R + "InvoiceReferencedDocument")
            _text(referenced, _R + "IssuerAssignedID", reference.number)
            if reference.issue_date is not None:
                _date(
                    referenced, _R + "FormattedIssueDateTime", reference.issue_date, qualified=True
                )
    return root


def to_cii(
    document: Invoice,
    profile: Profile | str = Profile.EN16931,
    *,
    terms: PaymentTerms | None = None,
    penalties: PenaltyPolicy | None = None,
    language: str = "fr",
    framework: str | None = None,
) -> bytes:
    """The CII D22B XML of an issued *document* in a Factur-X *profile*.

    Args:
        document: an issued `facturlib.Invoice` (380, 381, 384 or 386).
        profile: ``"MINIMUM"``, ``"BASIC WL"``, ``"BASIC"``, ``"EN 16931"`` (default),
            ``"EXTENDED"`` or ``"EXTENDED-CTC-FR"`` (French CTC, bare CII only).
        terms: the payment terms: their text is BT-20 when the invoice has none,
            and their escompte is the ``AAB`` note.
        penalties: the late-payment policy worded in the ``PMD`` and ``PMT``
            notes; by default the legal one (ECB rate + 10 points and €40,
            C. com. L441-10 II, D441-5).
        language: ``"fr"`` (default) or ``"en"``, the language of those notes.
        framework: the billing framework BT-23 (``"S1"``, ``"B4"``…) when not
            the one derived from the document.

    Returns:
        The XML, UTF-8 with an XML declaration; the same document always gives
        the same bytes.

    Raises:
        RenderError: a draft or proforma, an unknown profile or language, a
            profile that cannot carry the document (a rounding amount in BASIC),
            or text XML 1.0 cannot carry (control characters).

    >>> from facturlib.testing.builders import sample_deposit_invoices
    >>> deposit, _ = sample_deposit_invoices()
    >>> b"<ram:TypeCode>386</ram:TypeCode>" in to_cii(deposit, "BASIC WL")
    True

    .. versionadded:: 0.2
    """
    chosen = Profile.of(profile)
    f = facts(
        document,
        chosen,
        terms=terms,
        penalties=penalties,
        language=language,
        framework=framework,
    )
    if _SE is None:
        _lxml()
    try:
        root = _build(document, f)
    except ValueError as exc:
        if isinstance(exc, RenderError):
            raise
        raise text_error(document, exc, {"terms": f.terms_text, "notes": f.notes}) from None
    result: bytes = _tostring(root, xml_declaration=True, encoding="UTF-8")
    return result


class CiiRenderer:
    """Renders issued invoices as CII D22B XML (`facturlib.renderers.Renderer`).

    Args:
        profile: the Factur-X profile (default ``"EN 16931"``), see `to_cii`.
        terms, penalties, language, framework: as for `to_cii`.
        check: run the pre-flight `facturlib.einvoice.check` first and refuse a
            document with problems (default ``True``).
        allow_problems: write even when the pre-flight finds problems.

    >>> from facturlib.testing.builders import sample_deposit_invoices
    >>> _, final = sample_deposit_invoices()
    >>> rendered = CiiRenderer(profile="EN 16931").render(final)
    >>> rendered.media_type, rendered.filename
    ('application/xml', 'FA-2025-0001.cii.xml')

    .. versionadded:: 0.2
    """

    def __init__(
        self,
        profile: Profile | str = Profile.EN16931,
        *,
        terms: PaymentTerms | None = None,
        penalties: PenaltyPolicy | None = None,
        language: str = "fr",
        framework: str | None = None,
        check: bool = True,
        allow_problems: bool = False,
    ) -> None:
        self.profile = Profile.of(profile)
        self.terms = terms
        self.penalties = penalties
        self.language = language
        self.framework = framework
        self.check = check and not allow_problems

    def render(self, document: Invoice, /) -> RenderedDocument:
        """The CII XML of *document* with its media type and file name."""
        if self.check:
            preflight(document, self.profile, terms=self.terms, penalties=self.penalties)
        content = to_cii(
            document,
            self.profile,
            terms=self.terms,
            penalties=self.penalties,
            language=self.language,
            framework=self.framework,
        )
        return RenderedDocument(
            content=content,
            media_type="application/xml",
            filename=f"{safe_name(document)}.cii.xml",
        )
