"""Pulling the EN 16931 business terms out of a parsed CII or UBL tree, as plain text.

Two extractors, one per syntax (UN/CEFACT CII D16B/D22B as used by Factur-X and
ZUGFeRD 2.x; OASIS UBL 2.1 Invoice and CreditNote), fill the same `RawDocument`
of strings, so the value-building and the checks in `facturlib.einvoice.reading`
exist once. Nothing here converts or judges a value: a missing term is ``None``.
The mapping follows EN 16931-3-2 (UBL) and EN 16931-3-3 (CII).
"""

from __future__ import annotations

import functools
import re
from typing import Any

import attrs

__all__ = ["CII_NS", "UBL_NS", "RawDocument", "extract_cii", "extract_ubl"]

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
CII_NS = {"rsm": RSM, "ram": RAM, "udt": UDT}

UBL_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
UBL_NS = {"cac": CAC, "cbc": CBC}


@attrs.define
class RawParty:
    """A party's terms as written (BG-4 seller, BG-7 buyer, BG-13 deliver-to)."""

    name: str | None = None
    trading_name: str | None = None
    ids: list[tuple[str | None, str]] = attrs.Factory(list)
    legal_ids: list[tuple[str | None, str]] = attrs.Factory(list)
    vat_ids: list[str] = attrs.Factory(list)
    legal_form: str | None = None
    line1: str | None = None
    line2: str | None = None
    line3: str | None = None
    city: str | None = None
    postal_code: str | None = None
    subdivision: str | None = None
    country: str | None = None
    contact_name: str | None = None
    phone: str | None = None
    email: str | None = None
    endpoint: tuple[str | None, str] | None = None


@attrs.define
class RawAdjustment:
    """An allowance or charge as written (BG-20/21 document, BG-27/28 line)."""

    is_charge: bool
    amount: str | None = None
    base: str | None = None
    percent: str | None = None
    reason: str | None = None
    reason_code: str | None = None
    category: str | None = None
    rate: str | None = None


@attrs.define
class RawLine:
    """An invoice line as written (BG-25)."""

    id: str | None = None
    note: str | None = None
    name: str | None = None
    description: str | None = None
    seller_id: str | None = None
    quantity: str | None = None
    unit: str | None = None
    net_price: str | None = None
    base_quantity: str | None = None
    category: str | None = None
    rate: str | None = None
    start: str | None = None
    end: str | None = None
    adjustments: list[RawAdjustment] = attrs.Factory(list)
    net: str | None = None


@attrs.define
class RawVat:
    """A VAT breakdown entry as written (BG-23)."""

    category: str | None = None
    rate: str | None = None
    taxable: str | None = None
    amount: str | None = None
    reason: str | None = None
    reason_code: str | None = None


@attrs.define
class RawPaymentMeans:
    """A payment means as written (BG-16)."""

    code: str | None = None
    text: str | None = None
    iban: str | None = None
    account_name: str | None = None
    bic: str | None = None
    debited_iban: str | None = None
    card: str | None = None


@attrs.define
class RawDocument:
    """Every business term the reader uses, as the strings found in the file."""

    syntax: str
    guideline: str | None = None
    process: str | None = None
    number: str | None = None
    type_code: str | None = None
    issue_date: str | None = None
    date_format: str | None = None
    notes: list[tuple[str | None, str]] = attrs.Factory(list)
    currency: str | None = None
    tax_currency: str | None = None
    buyer_reference: str | None = None
    purchase_order: str | None = None
    order_reference: str | None = None
    contract: str | None = None
    project: str | None = None
    preceding: list[tuple[str, str | None]] = attrs.Factory(list)
    seller: RawParty | None = None
    buyer: RawParty | None = None
    deliver_to: RawParty | None = None
    delivery_date: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    payment_means: list[RawPaymentMeans] = attrs.Factory(list)
    payment_reference: str | None = None
    creditor_id: str | None = None
    mandate: str | None = None
    payment_terms: str | None = None
    due_date: str | None = None
    lines: list[RawLine] = attrs.Factory(list)
    adjustments: list[RawAdjustment] = attrs.Factory(list)
    vat: list[RawVat] = attrs.Factory(list)
    vat_due_code: str | None = None
    totals: dict[str, str] = attrs.Factory(dict)
    tax_total_tax_currency: str | None = None
    bad_dates: list[str] = attrs.Factory(list)
    skipped_lines: int = 0


@functools.cache
def _clark(path: str) -> str:
    """*path* with its prefixes written out as ``{namespace}`` (lxml finds those fastest)."""
    namespaces = {**CII_NS, **UBL_NS}
    return re.sub(r"(\w+):", lambda m: "{" + namespaces[m.group(1)] + "}", path)


def _text(element: Any) -> str | None:
    if element is None or element.text is None:
        return None
    text: str = element.text.strip()
    return text or None


# ----------------------------------------------------------------------- CII (EN 16931-3-3)


def _cii(parent: Any, path: str) -> str | None:
    if parent is None:
        return None
    return _text(parent.find(_clark(path)))


def _cii_date(parent: Any, path: str, raw: RawDocument) -> str | None:
    """A ``udt:DateTimeString`` (format 102 = YYYYMMDD) under *path*, as ``YYYY-MM-DD``."""
    if parent is None:
        return None
    element = parent.find(_clark(path))
    if element is None:
        return None
    text = _text(element)
    fmt = element.get("format")
    if text is None:
        return None
    if fmt not in (None, "102") or len(text) != 8 or not text.isdigit():
        raw.bad_dates.append(f"{path.split('/')[-2] if '/' in path else path}={text!r}")
        return None
    return f"{text[:4]}-{text[4:6]}-{text[6:]}"


def _cii_party(element: Any) -> RawParty | None:
    if element is None:
        return None
    party = RawParty(
        name=_cii(element, "ram:Name"),
        trading_name=_cii(element, "ram:SpecifiedLegalOrganization/ram:TradingBusinessName"),
        legal_form=_cii(element, "ram:Description"),
    )
    for tag in ("ram:ID", "ram:GlobalID"):
        for id_element in element.findall(_clark(tag)):
            value = _text(id_element)
            if value is not None:
                party.ids.append((id_element.get("schemeID"), value))
    legal = element.find(_clark("ram:SpecifiedLegalOrganization/ram:ID"))
    if _text(legal) is not None:
        party.legal_ids.append((legal.get("schemeID"), _text(legal) or ""))
    for registration in element.findall(_clark("ram:SpecifiedTaxRegistration/ram:ID")):
        value = _text(registration)
        if value is not None and registration.get("schemeID", "VA") == "VA":
            party.vat_ids.append(value)
    address = element.find(_clark("ram:PostalTradeAddress"))
    if address is not None:
        party.line1 = _cii(address, "ram:LineOne")
        party.line2 = _cii(address, "ram:LineTwo")
        party.line3 = _cii(address, "ram:LineThree")
        party.city = _cii(address, "ram:CityName")
        party.postal_code = _cii(address, "ram:PostcodeCode")
        party.subdivision = _cii(address, "ram:CountrySubDivisionName")
        party.country = _cii(address, "ram:CountryID")
    contact = element.find(_clark("ram:DefinedTradeContact"))
    if contact is not None:
        party.contact_name = _cii(contact, "ram:PersonName") or _cii(contact, "ram:DepartmentName")
        party.phone = _cii(contact, "ram:TelephoneUniversalCommunication/ram:CompleteNumber")
        party.email = _cii(contact, "ram:EmailURIUniversalCommunication/ram:URIID")
    uri = element.find(_clark("ram:URIUniversalCommunication/ram:URIID"))
    if _text(uri) is not None:
        party.endpoint = (uri.get("schemeID"), _text(uri) or "")
    return party


def _cii_adjustment(element: Any) -> RawAdjustment:
    indicator = _cii(element, "ram:ChargeIndicator/udt:Indicator")
    return RawAdjustment(
        is_charge=(indicator or "").lower() == "true",
        amount=_cii(element, "ram:ActualAmount"),
        base=_cii(element, "ram:BasisAmount"),
        percent=_cii(element, "ram:CalculationPercent"),
        reason=_cii(element, "ram:Reason"),
        reason_code=_cii(element, "ram:ReasonCode"),
        category=_cii(element, "ram:CategoryTradeTax/ram:CategoryCode"),
        rate=_cii(element, "ram:CategoryTradeTax/ram:RateApplicablePercent"),
    )


def extract_cii(root: Any) -> RawDocument:
    """The business terms of a CII ``rsm:CrossIndustryInvoice`` tree."""
    raw = RawDocument(syntax="CII")
    context = root.find(_clark("rsm:ExchangedDocumentContext"))
    raw.guideline = _cii(context, "ram:GuidelineSpecifiedDocumentContextParameter/ram:ID")
    raw.process = _cii(context, "ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID")
    header = root.find(_clark("rsm:ExchangedDocument"))
    raw.number = _cii(header, "ram:ID")
    raw.type_code = _cii(header, "ram:TypeCode")
    raw.issue_date = _cii_date(header, "ram:IssueDateTime/udt:DateTimeString", raw)
    if header is not None:
        for note in header.findall(_clark("ram:IncludedNote")):
            content = _cii(note, "ram:Content")
            if content is not None:
                raw.notes.append((_cii(note, "ram:SubjectCode"), content))
    transaction = root.find(_clark("rsm:SupplyChainTradeTransaction"))
    if transaction is None:
        return raw
    for item in transaction.findall(_clark("ram:IncludedSupplyChainTradeLineItem")):
        # EXTENDED sub-total (GROUP) and text-only (INFORMATION) lines carry no amount
        # of their own: only DETAIL lines (and lines without a status) make BT-106.
        status = _cii(item, "ram:AssociatedDocumentLineDocument/ram:LineStatusReasonCode")
        if status in ("GROUP", "INFORMATION"):
            raw.skipped_lines += 1
            continue
        raw.lines.append(_cii_line(item))
    agreement = transaction.find(_clark("ram:ApplicableHeaderTradeAgreement"))
    if agreement is not None:
        raw.buyer_reference = _cii(agreement, "ram:BuyerReference")
        raw.seller = _cii_party(agreement.find(_clark("ram:SellerTradeParty")))
        raw.buyer = _cii_party(agreement.find(_clark("ram:BuyerTradeParty")))
        raw.purchase_order = _cii(
            agreement, "ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"
        )
        raw.order_reference = _cii(
            agreement, "ram:SellerOrderReferencedDocument/ram:IssuerAssignedID"
        )
        raw.contract = _cii(agreement, "ram:ContractReferencedDocument/ram:IssuerAssignedID")
        raw.project = _cii(agreement, "ram:SpecifiedProcuringProject/ram:ID")
    delivery = transaction.find(_clark("ram:ApplicableHeaderTradeDelivery"))
    if delivery is not None:
        raw.deliver_to = _cii_party(delivery.find(_clark("ram:ShipToTradeParty")))
        raw.delivery_date = _cii_date(
            delivery,
            "ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString",
            raw,
        )
    settlement = transaction.find(_clark("ram:ApplicableHeaderTradeSettlement"))
    if settlement is not None:
        _cii_settlement(settlement, raw)
    return raw


def _cii_line(item: Any) -> RawLine:
    line = RawLine(
        id=_cii(item, "ram:AssociatedDocumentLineDocument/ram:LineID"),
        note=_cii(item, "ram:AssociatedDocumentLineDocument/ram:IncludedNote/ram:Content"),
        name=_cii(item, "ram:SpecifiedTradeProduct/ram:Name"),
        description=_cii(item, "ram:SpecifiedTradeProduct/ram:Description"),
        seller_id=_cii(item, "ram:SpecifiedTradeProduct/ram:SellerAssignedID"),
    )
    agreement = item.find(_clark("ram:SpecifiedLineTradeAgreement"))
    if agreement is not None:
        net = agreement.find(_clark("ram:NetPriceProductTradePrice"))
        line.net_price = _cii(net, "ram:ChargeAmount")
        line.base_quantity = _cii(net, "ram:BasisQuantity")
        if line.base_quantity is None:
            gross = agreement.find(_clark("ram:GrossPriceProductTradePrice"))
            line.base_quantity = _cii(gross, "ram:BasisQuantity")
    quantity = item.find(_clark("ram:SpecifiedLineTradeDelivery/ram:BilledQuantity"))
    if quantity is not None:
        line.quantity = _text(quantity)
        line.unit = quantity.get("unitCode")
    settlement = item.find(_clark("ram:SpecifiedLineTradeSettlement"))
    if settlement is not None:
        tax = settlement.find(_clark("ram:ApplicableTradeTax"))
        line.category = _cii(tax, "ram:CategoryCode")
        line.rate = _cii(tax, "ram:RateApplicablePercent")
        period = settlement.find(_clark("ram:BillingSpecifiedPeriod"))
        if period is not None:
            line.start = _date_text(_cii(period, "ram:StartDateTime/udt:DateTimeString"))
            line.end = _date_text(_cii(period, "ram:EndDateTime/udt:DateTimeString"))
        for element in settlement.findall(_clark("ram:SpecifiedTradeAllowanceCharge")):
            line.adjustments.append(_cii_adjustment(element))
        line.net = _cii(
            settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount"
        )
    return line


def _date_text(text: str | None) -> str | None:
    if text is None or len(text) != 8 or not text.isdigit():
        return text
    return f"{text[:4]}-{text[4:6]}-{text[6:]}"


_CII_TOTALS = {
    "BT-106": "ram:LineTotalAmount",
    "BT-107": "ram:AllowanceTotalAmount",
    "BT-108": "ram:ChargeTotalAmount",
    "BT-109": "ram:TaxBasisTotalAmount",
    "BT-112": "ram:GrandTotalAmount",
    "BT-113": "ram:TotalPrepaidAmount",
    "BT-114": "ram:RoundingAmount",
    "BT-115": "ram:DuePayableAmount",
}


def _cii_settlement(settlement: Any, raw: RawDocument) -> None:
    raw.currency = _cii(settlement, "ram:InvoiceCurrencyCode")
    raw.tax_currency = _cii(settlement, "ram:TaxCurrencyCode")
    raw.payment_reference = _cii(settlement, "ram:PaymentReference")
    raw.creditor_id = _cii(settlement, "ram:CreditorReferenceID")
    for element in settlement.findall(_clark("ram:SpecifiedTradeSettlementPaymentMeans")):
        raw.payment_means.append(
            RawPaymentMeans(
                code=_cii(element, "ram:TypeCode"),
                text=_cii(element, "ram:Information"),
                iban=_cii(element, "ram:PayeePartyCreditorFinancialAccount/ram:IBANID")
                or _cii(element, "ram:PayeePartyCreditorFinancialAccount/ram:ProprietaryID"),
                account_name=_cii(
                    element, "ram:PayeePartyCreditorFinancialAccount/ram:AccountName"
                ),
                bic=_cii(element, "ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID"),
                debited_iban=_cii(element, "ram:PayerPartyDebtorFinancialAccount/ram:IBANID"),
                card=_cii(element, "ram:ApplicableTradeSettlementFinancialCard/ram:ID"),
            )
        )
    for tax in settlement.findall(_clark("ram:ApplicableTradeTax")):
        raw.vat.append(
            RawVat(
                category=_cii(tax, "ram:CategoryCode"),
                rate=_cii(tax, "ram:RateApplicablePercent"),
                taxable=_cii(tax, "ram:BasisAmount"),
                amount=_cii(tax, "ram:CalculatedAmount"),
                reason=_cii(tax, "ram:ExemptionReason"),
                reason_code=_cii(tax, "ram:ExemptionReasonCode"),
            )
        )
        raw.vat_due_code = raw.vat_due_code or _cii(tax, "ram:DueDateTypeCode")
    period = settlement.find(_clark("ram:BillingSpecifiedPeriod"))
    if period is not None:
        raw.period_start = _cii_date(period, "ram:StartDateTime/udt:DateTimeString", raw)
        raw.period_end = _cii_date(period, "ram:EndDateTime/udt:DateTimeString", raw)
    for element in settlement.findall(_clark("ram:SpecifiedTradeAllowanceCharge")):
        raw.adjustments.append(_cii_adjustment(element))
    # EXTENDED logistics charges (freight…) are document charges counted in BT-108.
    for element in settlement.findall(_clark("ram:SpecifiedLogisticsServiceCharge")):
        raw.adjustments.append(
            RawAdjustment(
                is_charge=True,
                amount=_cii(element, "ram:AppliedAmount"),
                reason=_cii(element, "ram:Description"),
                category=_cii(element, "ram:AppliedTradeTax/ram:CategoryCode"),
                rate=_cii(element, "ram:AppliedTradeTax/ram:RateApplicablePercent"),
            )
        )
    terms = settlement.findall(_clark("ram:SpecifiedTradePaymentTerms"))
    descriptions = [d for t in terms if (d := _cii(t, "ram:Description")) is not None]
    raw.payment_terms = "\n".join(descriptions) or None
    for term in terms:
        raw.due_date = raw.due_date or _cii_date(
            term, "ram:DueDateDateTime/udt:DateTimeString", raw
        )
        raw.mandate = raw.mandate or _cii(term, "ram:DirectDebitMandateID")
    summary = settlement.find(_clark("ram:SpecifiedTradeSettlementHeaderMonetarySummation"))
    if summary is not None:
        for term, path in _CII_TOTALS.items():
            value = _cii(summary, path)
            if value is not None:
                raw.totals[term] = value
        for tax_total in summary.findall(_clark("ram:TaxTotalAmount")):
            value = _text(tax_total)
            if value is None:
                continue
            currency = tax_total.get("currencyID")
            if currency is None or currency == raw.currency:
                raw.totals["BT-110"] = value
            else:
                raw.tax_total_tax_currency = value
    for reference in settlement.findall(_clark("ram:InvoiceReferencedDocument")):
        number = _cii(reference, "ram:IssuerAssignedID")
        if number is not None:
            raw.preceding.append(
                (number, _cii_date(reference, "ram:FormattedIssueDateTime/*", raw))
            )


# ----------------------------------------------------------------------- UBL (EN 16931-3-2)


def _ubl(parent: Any, path: str) -> str | None:
    if parent is None:
        return None
    return _text(parent.find(_clark(path)))


def _ubl_party(element: Any) -> RawParty | None:
    if element is None:
        return None
    party = RawParty(
        name=_ubl(element, "cac:PartyLegalEntity/cbc:RegistrationName"),
        trading_name=_ubl(element, "cac:PartyName/cbc:Name"),
        legal_form=_ubl(element, "cac:PartyLegalEntity/cbc:CompanyLegalForm"),
    )
    for id_element in element.findall(_clark("cac:PartyIdentification/cbc:ID")):
        value = _text(id_element)
        if value is not None:
            party.ids.append((id_element.get("schemeID"), value))
    legal = element.find(_clark("cac:PartyLegalEntity/cbc:CompanyID"))
    if _text(legal) is not None:
        party.legal_ids.append((legal.get("schemeID"), _text(legal) or ""))
    for scheme in element.findall(_clark("cac:PartyTaxScheme")):
        value = _ubl(scheme, "cbc:CompanyID")
        if value is not None and _ubl(scheme, "cac:TaxScheme/cbc:ID") in (None, "VAT"):
            party.vat_ids.append(value)
    address = element.find(_clark("cac:PostalAddress"))
    if address is not None:
        party.line1 = _ubl(address, "cbc:StreetName")
        party.line2 = _ubl(address, "cbc:AdditionalStreetName")
        party.line3 = _ubl(address, "cac:AddressLine/cbc:Line")
        party.city = _ubl(address, "cbc:CityName")
        party.postal_code = _ubl(address, "cbc:PostalZone")
        party.subdivision = _ubl(address, "cbc:CountrySubentity")
        party.country = _ubl(address, "cac:Country/cbc:IdentificationCode")
    contact = element.find(_clark("cac:Contact"))
    if contact is not None:
        party.contact_name = _ubl(contact, "cbc:Name")
        party.phone = _ubl(contact, "cbc:Telephone")
        party.email = _ubl(contact, "cbc:ElectronicMail")
    endpoint = element.find(_clark("cbc:EndpointID"))
    if _text(endpoint) is not None:
        party.endpoint = (endpoint.get("schemeID"), _text(endpoint) or "")
    return party


def _ubl_adjustment(element: Any) -> RawAdjustment:
    return RawAdjustment(
        is_charge=(_ubl(element, "cbc:ChargeIndicator") or "").lower() == "true",
        amount=_ubl(element, "cbc:Amount"),
        base=_ubl(element, "cbc:BaseAmount"),
        percent=_ubl(element, "cbc:MultiplierFactorNumeric"),
        reason=_ubl(element, "cbc:AllowanceChargeReason"),
        reason_code=_ubl(element, "cbc:AllowanceChargeReasonCode"),
        category=_ubl(element, "cac:TaxCategory/cbc:ID"),
        rate=_ubl(element, "cac:TaxCategory/cbc:Percent"),
    )


_UBL_TOTALS = {
    "BT-106": "cbc:LineExtensionAmount",
    "BT-107": "cbc:AllowanceTotalAmount",
    "BT-108": "cbc:ChargeTotalAmount",
    "BT-109": "cbc:TaxExclusiveAmount",
    "BT-112": "cbc:TaxInclusiveAmount",
    "BT-113": "cbc:PrepaidAmount",
    "BT-114": "cbc:PayableRoundingAmount",
    "BT-115": "cbc:PayableAmount",
}


def extract_ubl(root: Any) -> RawDocument:
    """The business terms of a UBL 2.1 ``Invoice`` or ``CreditNote`` tree."""
    raw = RawDocument(syntax="UBL")
    credit = root.tag == f"{{{UBL_CREDIT_NOTE}}}CreditNote"
    raw.guideline = _ubl(root, "cbc:CustomizationID")
    raw.process = _ubl(root, "cbc:ProfileID")
    raw.number = _ubl(root, "cbc:ID")
    raw.type_code = _ubl(root, "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode")
    raw.issue_date = _ubl(root, "cbc:IssueDate")
    raw.due_date = _ubl(root, "cbc:DueDate")
    for note in root.findall(_clark("cbc:Note")):
        text = _text(note)
        if text is None:
            continue
        # EN 16931-3-2: the subject code is written "#CODE#text" in cbc:Note.
        if text.startswith("#") and text.count("#") >= 2:
            _, code, rest = text.split("#", 2)
            raw.notes.append((code or None, rest))
        else:
            raw.notes.append((None, text))
    raw.currency = _ubl(root, "cbc:DocumentCurrencyCode")
    raw.tax_currency = _ubl(root, "cbc:TaxCurrencyCode")
    raw.buyer_reference = _ubl(root, "cbc:BuyerReference")
    raw.purchase_order = _ubl(root, "cac:OrderReference/cbc:ID")
    raw.order_reference = _ubl(root, "cac:OrderReference/cbc:SalesOrderID")
    raw.contract = _ubl(root, "cac:ContractDocumentReference/cbc:ID")
    raw.project = _ubl(root, "cac:ProjectReference/cbc:ID")
    for reference in root.findall(_clark("cac:BillingReference/cac:InvoiceDocumentReference")):
        number = _ubl(reference, "cbc:ID")
        if number is not None:
            raw.preceding.append((number, _ubl(reference, "cbc:IssueDate")))
    period = root.find(_clark("cac:InvoicePeriod"))
    raw.vat_due_code = _ubl(period, "cbc:DescriptionCode")
    raw.period_start = _ubl(period, "cbc:StartDate")
    raw.period_end = _ubl(period, "cbc:EndDate")
    raw.seller = _ubl_party(root.find(_clark("cac:AccountingSupplierParty/cac:Party")))
    raw.buyer = _ubl_party(root.find(_clark("cac:AccountingCustomerParty/cac:Party")))
    delivery = root.find(_clark("cac:Delivery"))
    if delivery is not None:
        raw.delivery_date = _ubl(delivery, "cbc:ActualDeliveryDate")
        location = delivery.find(_clark("cac:DeliveryLocation"))
        name = _ubl(delivery, "cac:DeliveryParty/cac:PartyName/cbc:Name")
        if location is not None or name is not None:
            party = RawParty(name=name)
            address = location.find(_clark("cac:Address")) if location is not None else None
            if address is not None:
                party.line1 = _ubl(address, "cbc:StreetName")
                party.line2 = _ubl(address, "cbc:AdditionalStreetName")
                party.city = _ubl(address, "cbc:CityName")
                party.postal_code = _ubl(address, "cbc:PostalZone")
                party.country = _ubl(address, "cac:Country/cbc:IdentificationCode")
            raw.deliver_to = party
    for means in root.findall(_clark("cac:PaymentMeans")):
        raw.payment_reference = raw.payment_reference or _ubl(means, "cbc:PaymentID")
        raw.mandate = raw.mandate or _ubl(means, "cac:PaymentMandate/cbc:ID")
        raw.payment_means.append(
            RawPaymentMeans(
                code=_ubl(means, "cbc:PaymentMeansCode"),
                text=means.find(_clark("cbc:PaymentMeansCode")).get("name")
                if means.find(_clark("cbc:PaymentMeansCode")) is not None
                else None,
                iban=_ubl(means, "cac:PayeeFinancialAccount/cbc:ID"),
                account_name=_ubl(means, "cac:PayeeFinancialAccount/cbc:Name"),
                bic=_ubl(means, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID"),
                debited_iban=_ubl(means, "cac:PaymentMandate/cac:PayerFinancialAccount/cbc:ID"),
                card=_ubl(means, "cac:CardAccount/cbc:PrimaryAccountNumberID"),
            )
        )
    for identification in root.findall(
        "cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification/cbc:ID", UBL_NS
    ):
        if identification.get("schemeID") == "SEPA":
            raw.creditor_id = _text(identification)
    terms = [t for t in (_text(e) for e in root.findall(_clark("cac:PaymentTerms/cbc:Note"))) if t]
    raw.payment_terms = "\n".join(terms) or None
    for element in root.findall(_clark("cac:AllowanceCharge")):
        raw.adjustments.append(_ubl_adjustment(element))
    for tax_total in root.findall(_clark("cac:TaxTotal")):
        amount = tax_total.find(_clark("cbc:TaxAmount"))
        value = _text(amount)
        if value is None:
            continue
        currency = amount.get("currencyID")
        if currency is not None and raw.currency is not None and currency != raw.currency:
            raw.tax_total_tax_currency = value
            continue
        raw.totals["BT-110"] = value
        for subtotal in tax_total.findall(_clark("cac:TaxSubtotal")):
            raw.vat.append(
                RawVat(
                    category=_ubl(subtotal, "cac:TaxCategory/cbc:ID"),
                    rate=_ubl(subtotal, "cac:TaxCategory/cbc:Percent"),
                    taxable=_ubl(subtotal, "cbc:TaxableAmount"),
                    amount=_ubl(subtotal, "cbc:TaxAmount"),
                    reason=_ubl(subtotal, "cac:TaxCategory/cbc:TaxExemptionReason"),
                    reason_code=_ubl(subtotal, "cac:TaxCategory/cbc:TaxExemptionReasonCode"),
                )
            )
    summary = root.find(_clark("cac:LegalMonetaryTotal"))
    if summary is not None:
        for term, path in _UBL_TOTALS.items():
            value = _ubl(summary, path)
            if value is not None:
                raw.totals[term] = value
    line_tag = "cac:CreditNoteLine" if credit else "cac:InvoiceLine"
    quantity_tag = "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity"
    for element in root.findall(_clark(line_tag)):
        raw.lines.append(_ubl_line(element, quantity_tag))
    return raw


def _ubl_line(element: Any, quantity_tag: str) -> RawLine:
    line = RawLine(
        id=_ubl(element, "cbc:ID"),
        note=_ubl(element, "cbc:Note"),
        name=_ubl(element, "cac:Item/cbc:Name"),
        description=_ubl(element, "cac:Item/cbc:Description"),
        seller_id=_ubl(element, "cac:Item/cac:SellersItemIdentification/cbc:ID"),
        net_price=_ubl(element, "cac:Price/cbc:PriceAmount"),
        base_quantity=_ubl(element, "cac:Price/cbc:BaseQuantity"),
        category=_ubl(element, "cac:Item/cac:ClassifiedTaxCategory/cbc:ID"),
        rate=_ubl(element, "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent"),
        net=_ubl(element, "cbc:LineExtensionAmount"),
    )
    quantity = element.find(_clark(quantity_tag))
    if quantity is not None:
        line.quantity = _text(quantity)
        line.unit = quantity.get("unitCode")
    period = element.find(_clark("cac:InvoicePeriod"))
    line.start = _ubl(period, "cbc:StartDate")
    line.end = _ubl(period, "cbc:EndDate")
    for adjustment in element.findall(_clark("cac:AllowanceCharge")):
        line.adjustments.append(_ubl_adjustment(adjustment))
    return line
