"""OASIS UBL 2.1 Invoice and CreditNote for EN 16931 and the French CTC profile.

`to_ubl` writes an issued `facturlib.Invoice` as a UBL 2.1 ``Invoice`` (380,
384, 386) or ``CreditNote`` (381) in the EN 16931 syntax binding (CEN/TS
16931-3-2): BT-24 ``cbc:CustomizationID`` is ``urn:cen.eu:en16931:2017`` (profile
``"EN 16931"``, the default) or the French EXTENDED-CTC-FR identifier, and the
French billing framework BT-23 is ``cbc:ProfileID`` (BR-FR-08). It says what
`facturlib.einvoice.cii.to_cii` says, with the same notes (``#PMT#…``,
``#PMD#…``, ``#AAB#…``, ``#BAR#…``), from the same ``document.totals()``.
`UblRenderer` is the same behind the `facturlib.renderers.Renderer` protocol.

>>> from facturlib.testing.builders import sample_deposit_invoices
>>> _, final = sample_deposit_invoices()
>>> xml = to_ubl(final)
>>> b'<cbc:PayableAmount currencyID="EUR">8400.00</cbc:PayableAmount>' in xml
True

.. versionadded:: 0.2
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from facturlib.core._codes import DocumentKind
from facturlib.core.documents import Invoice
from facturlib.core.errors import RenderError
from facturlib.core.lines import reason_code_of
from facturlib.core.parties import Address, Party
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

__all__ = ["UblRenderer", "to_ubl"]

INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"

# lxml is imported on first use (`_lxml`), so that ``import facturlib`` stays light.
_SE: Any = None
_tostring: Any = None
_Element: Any = None


def _lxml() -> None:
    global _SE, _tostring, _Element
    from lxml import etree

    _SE, _tostring, _Element = etree.SubElement, etree.tostring, etree.Element


_A = "{" + CAC + "}"
_B = "{" + CBC + "}"

_UBL_PROFILES = frozenset({Profile.EN16931, Profile.EXTENDED_CTC_FR})


def _text(parent: Any, tag: str, text: str) -> Any:
    element = _SE(parent, _B + tag)
    element.text = text
    return element


def _money(parent: Any, tag: str, value: Decimal, currency: str) -> None:
    _SE(parent, _B + tag, currencyID=currency).text = amount(value)


def _iso(day: date) -> str:
    return day.isoformat()


def _address(parent: Any, tag: str, address: Address) -> None:
    element = _SE(parent, _A + tag)
    if address.line1 is not None:
        _text(element, "StreetName", address.line1)
    if address.line2 is not None:
        _text(element, "AdditionalStreetName", address.line2)
    _text(element, "CityName", address.city)
    if address.postal_code is not None:
        _text(element, "PostalZone", address.postal_code)
    if address.country_subdivision is not None:
        _text(element, "CountrySubentity", address.country_subdivision)
    if address.line3 is not None:
        _text(_SE(element, _A + "AddressLine"), "Line", address.line3)
    _text(_SE(element, _A + "Country"), "IdentificationCode", address.country_code)


def _party(
    parent: Any,
    tag: str,
    party: Party,
    endpoint: tuple[str, str] | None,
    *,
    seller: bool,
    description: str | None,
    vat_ids: bool,
) -> None:
    element = _SE(_SE(parent, _A + tag), _A + "Party")
    if endpoint is not None:
        _SE(element, _B + "EndpointID", schemeID=endpoint[1]).text = endpoint[0]
    # The buyer's number in the seller's books (BT-46) is not written: UBL states it
    # as a global identifier, which BR-FR-CO-10 wants with a scheme it has none of.
    if party.siret is not None:
        identification = _SE(element, _A + "PartyIdentification")
        _SE(identification, _B + "ID", schemeID="0009").text = party.siret
    if party.trading_name is not None:
        _text(_SE(element, _A + "PartyName"), "Name", party.trading_name)
    _address(element, "PostalAddress", party.address)
    if vat_ids and party.vat_id is not None:
        scheme = _SE(element, _A + "PartyTaxScheme")
        _text(scheme, "CompanyID", party.vat_id)
        _text(_SE(scheme, _A + "TaxScheme"), "ID", "VAT")
    legal = _SE(element, _A + "PartyLegalEntity")
    _text(legal, "RegistrationName", party.name)
    if party.legal_id is not None:
        _SE(legal, _B + "CompanyID", schemeID="0002").text = party.legal_id
    if description is not None:
        _text(legal, "CompanyLegalForm", description)
    contact = party.contact
    if contact is not None:
        holder = _SE(element, _A + "Contact")
        if contact.name is not None:
            _text(holder, "Name", contact.name)
        if contact.phone is not None:
            _text(holder, "Telephone", contact.phone)
        if contact.email is not None:
            _text(holder, "ElectronicMail", contact.email)


def _tax_category(parent: Any, tag: str, vat: VatRate, *, exemption: bool = False) -> None:
    element = _SE(parent, _A + tag)
    _text(element, "ID", vat.category.value)
    if vat.percent is not None:
        _text(element, "Percent", percent(vat.percent))
    if exemption:
        if vat.exemption_code is not None:
            _text(element, "TaxExemptionReasonCode", vat.exemption_code)
        if vat.exemption_reason is not None:
            _text(element, "TaxExemptionReason", vat.exemption_reason)
    _text(_SE(element, _A + "TaxScheme"), "ID", "VAT")


def _adjustment(
    parent: Any,
    charge: bool,
    value: Decimal,
    currency: str,
    *,
    pct: Decimal | None = None,
    base: Decimal | None = None,
    reason: str | None = None,
    code: str | None = None,
    vat: VatRate | None = None,
) -> None:
    element = _SE(parent, _A + "AllowanceCharge")
    _text(element, "ChargeIndicator", "true" if charge else "false")
    if code is not None:
        _text(element, "AllowanceChargeReasonCode", code)
    if reason is not None or code is None:
        _text(element, "AllowanceChargeReason", reason or ("Frais" if charge else "Remise"))
    with_base = pct is not None and base is not None
    if with_base:
        assert pct is not None
        _text(element, "MultiplierFactorNumeric", percent(pct))
    _money(element, "Amount", value, currency)
    if with_base:
        assert base is not None
        _money(element, "BaseAmount", base, currency)
    if vat is not None:
        _tax_category(element, "TaxCategory", vat)


def _lines(root: Any, invoice: Invoice, credit: bool, currency: str, language: str) -> None:
    totals = invoice.totals()
    adjusted = {entry[0]: entry for entry in totals.line_adjustments}
    inclusive = invoice.prices_include_vat
    line_tag = _A + ("CreditNoteLine" if credit else "InvoiceLine")
    quantity_tag = _B + ("CreditedQuantity" if credit else "InvoicedQuantity")
    notes = line_notes(invoice)
    for index, (line, net) in enumerate(zip(invoice.lines, totals.line_nets, strict=True)):
        element = _SE(root, line_tag)
        _text(element, "ID", line.id or str(index + 1))
        note = notes[index]
        if note is not None:
            _text(element, "Note", note)
        _SE(element, quantity_tag, unitCode=line.unit).text = amount(line.quantity)
        _money(element, "LineExtensionAmount", net, currency)
        if line.period is not None:
            period = _SE(element, _A + "InvoicePeriod")
            _text(period, "StartDate", _iso(line.period.start))
            _text(period, "EndDate", _iso(last_day(line.period.end)))
        unit_price, adjustments = line_price(line, net, adjusted.get(index), inclusive, language)
        for charge, value, pct, base, reason, code in adjustments:
            _adjustment(
                element, charge, value, currency, pct=pct, base=base, reason=reason, code=code
            )
        item = _SE(element, _A + "Item")
        _text(item, "Name", line.description)
        if line.product_id is not None:
            _text(_SE(item, _A + "SellersItemIdentification"), "ID", line.product_id)
        _tax_category(item, "ClassifiedTaxCategory", line.vat)
        price = _SE(element, _A + "Price")
        _money(price, "PriceAmount", unit_price, currency)
        if line.base_quantity != 1:
            _SE(price, _B + "BaseQuantity", unitCode=line.unit).text = amount(line.base_quantity)


def _build(invoice: Invoice, f: Facts) -> Any:
    credit = invoice.kind is DocumentKind.CREDIT_NOTE
    namespace = CREDIT_NOTE_NS if credit else INVOICE_NS
    root = _Element(
        "{" + namespace + "}" + ("CreditNote" if credit else "Invoice"),
        nsmap={None: namespace, "cac": CAC, "cbc": CBC},
    )
    totals = invoice.totals()
    currency = invoice.currency.code
    out_of_scope = all(vat.category is VatCategory.O for vat, _, _ in totals.vat_groups)
    # facts() refused drafts: both are set.
    assert invoice.number is not None
    assert invoice.issue_date is not None

    _text(root, "CustomizationID", f.profile.guideline)
    if f.framework is not None:
        _text(root, "ProfileID", f.framework)
    _text(root, "ID", invoice.number)
    _text(root, "IssueDate", _iso(invoice.issue_date))
    if not credit and invoice.due_date is not None:
        _text(root, "DueDate", _iso(invoice.due_date))
    _text(root, "CreditNoteTypeCode" if credit else "InvoiceTypeCode", invoice.kind.code or "380")
    for content, subject in f.notes:
        _text(root, "Note", f"#{subject}#{content}" if subject is not None else content)
    _text(root, "DocumentCurrencyCode", currency)
    if invoice.tax_currency is not None:
        _text(root, "TaxCurrencyCode", invoice.tax_currency.code)
    if invoice.buyer_reference is not None:
        _text(root, "BuyerReference", invoice.buyer_reference)
    if invoice.period is not None or f.debits:
        period = _SE(root, _A + "InvoicePeriod")
        if invoice.period is not None:
            _text(period, "StartDate", _iso(invoice.period.start))
            _text(period, "EndDate", _iso(last_day(invoice.period.end)))
        if f.debits:
            _text(period, "DescriptionCode", "3")
    if invoice.purchase_order is not None or invoice.order_reference is not None:
        order = _SE(root, _A + "OrderReference")
        _text(order, "ID", invoice.purchase_order or "NA")
        if invoice.order_reference is not None:
            _text(order, "SalesOrderID", invoice.order_reference)
    for reference in invoice.preceding:
        document = _SE(_SE(root, _A + "BillingReference"), _A + "InvoiceDocumentReference")
        _text(document, "ID", reference.number)
        if reference.issue_date is not None:
            _text(document, "IssueDate", _iso(reference.issue_date))
    if invoice.contract_reference is not None:
        _text(_SE(root, _A + "ContractDocumentReference"), "ID", invoice.contract_reference)
    if f.project is not None:
        project_id = f.project
        if credit:
            document = _SE(root, _A + "AdditionalDocumentReference")
            _text(document, "ID", project_id)
            _text(document, "DocumentTypeCode", "50")
        else:
            _text(_SE(root, _A + "ProjectReference"), "ID", project_id)
    _party(
        root,
        "AccountingSupplierParty",
        invoice.seller,
        f.seller_endpoint,
        seller=True,
        description=f.seller_description,
        vat_ids=not out_of_scope,
    )
    _party(
        root,
        "AccountingCustomerParty",
        invoice.buyer,
        f.buyer_endpoint,
        seller=False,
        description=None,
        vat_ids=not out_of_scope,
    )
    if f.deliver_to is not None or invoice.delivery_date is not None:
        delivery = _SE(root, _A + "Delivery")
        if invoice.delivery_date is not None:
            _text(delivery, "ActualDeliveryDate", _iso(invoice.delivery_date))
        deliver_to = f.deliver_to
        if deliver_to is not None:
            location = _SE(delivery, _A + "DeliveryLocation")
            location_id = deliver_to.location_id
            if location_id is not None:
                _text(location, "ID", location_id)
            _address(location, "Address", deliver_to.address)
            name = deliver_to.name
            if name is not None:
                _text(_SE(_SE(delivery, _A + "DeliveryParty"), _A + "PartyName"), "Name", name)
    for means in f.means:
        element = _SE(root, _A + "PaymentMeans")
        _text(element, "PaymentMeansCode", means.code)
        if credit and invoice.due_date is not None:
            _text(element, "PaymentDueDate", _iso(invoice.due_date))
        if f.remittance is not None:
            _text(element, "PaymentID", f.remittance)
        if means.card_pan is not None:
            card = _SE(element, _A + "CardAccount")
            _text(card, "PrimaryAccountNumberID", means.card_pan)
            _text(card, "NetworkID", "NA")
            if means.card_holder is not None:
                _text(card, "HolderName", means.card_holder)
        if means.iban is not None:
            account = _SE(element, _A + "PayeeFinancialAccount")
            _text(account, "ID", means.iban)
            if means.account_name is not None:
                _text(account, "Name", means.account_name)
            if means.bic is not None:
                _text(_SE(account, _A + "FinancialInstitutionBranch"), "ID", means.bic)
        if f.mandate is not None:
            mandate = _SE(element, _A + "PaymentMandate")
            _text(mandate, "ID", f.mandate)
            if means.debtor_iban is not None:
                _text(_SE(mandate, _A + "PayerFinancialAccount"), "ID", means.debtor_iban)
    if f.terms_text is not None:
        _text(_SE(root, _A + "PaymentTerms"), "Note", f.terms_text)
    for applied in (*totals.allowances, *totals.charges):
        _adjustment(
            root,
            applied.is_charge,
            applied.amount.amount,
            currency,
            pct=applied.percent,
            base=applied.base.amount if applied.base is not None else None,
            reason=applied.reason,
            code=reason_code_of(applied),
            vat=applied.vat,
        )
    tax_total = _SE(root, _A + "TaxTotal")
    _money(tax_total, "TaxAmount", totals.bt110, currency)
    for vat, taxable, vat_amount in totals.vat_groups:
        subtotal = _SE(tax_total, _A + "TaxSubtotal")
        _money(subtotal, "TaxableAmount", taxable, currency)
        _money(subtotal, "TaxAmount", vat_amount, currency)
        _tax_category(subtotal, "TaxCategory", vat, exemption=True)
    in_tax_currency = totals.vat_total_tax_currency
    if in_tax_currency is not None:
        _money(
            _SE(root, _A + "TaxTotal"),
            "TaxAmount",
            in_tax_currency.amount,
            in_tax_currency.currency.code,
        )
    monetary = _SE(root, _A + "LegalMonetaryTotal")
    _money(monetary, "LineExtensionAmount", totals.bt106, currency)
    _money(monetary, "TaxExclusiveAmount", totals.bt109, currency)
    _money(monetary, "TaxInclusiveAmount", totals.bt112, currency)
    if totals.allowances:
        _money(monetary, "AllowanceTotalAmount", totals.bt107, currency)
    if totals.charges:
        _money(monetary, "ChargeTotalAmount", totals.bt108, currency)
    if totals.bt113:
        _money(monetary, "PrepaidAmount", totals.bt113, currency)
    if totals.bt114:
        _money(monetary, "PayableRoundingAmount", totals.bt114, currency)
    _money(monetary, "PayableAmount", totals.bt115, currency)
    _lines(root, invoice, credit, currency, f.language)
    return root


def to_ubl(
    document: Invoice,
    profile: Profile | str = Profile.EN16931,
    *,
    terms: PaymentTerms | None = None,
    penalties: PenaltyPolicy | None = None,
    language: str = "fr",
    framework: str | None = None,
) -> bytes:
    """The UBL 2.1 XML of an issued *document*: a ``CreditNote`` for a credit note (381),
    else an ``Invoice``.

    Args:
        document: an issued `facturlib.Invoice` (380, 381, 384 or 386).
        profile: ``"EN 16931"`` (default) or ``"EXTENDED-CTC-FR"``: the BT-24
            identifier written in ``cbc:CustomizationID``.
        terms, penalties, language, framework: as for `facturlib.einvoice.cii.to_cii`.

    Returns:
        The XML, UTF-8 with an XML declaration, byte for byte the same for the
        same document.

    Raises:
        RenderError: a draft or proforma, a profile UBL has no identifier for
            (the Factur-X profiles MINIMUM, BASIC WL, BASIC, EXTENDED are CII
            only), or text XML 1.0 cannot carry.

    >>> from facturlib.testing.builders import sample_deposit_invoices
    >>> _, final = sample_deposit_invoices()
    >>> b"<cbc:ProfileID>S4</cbc:ProfileID>" in to_ubl(final, "EXTENDED-CTC-FR")
    True

    .. versionadded:: 0.2
    """
    chosen = Profile.of(profile)
    if chosen not in _UBL_PROFILES:
        raise RenderError(
            f"the {chosen.value} profile is a Factur-X (CII) profile, not a UBL one",
            field="profile",
            value=chosen.value,
            hint='write UBL as "EN 16931" or "EXTENDED-CTC-FR", or use to_cii',
        )
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


class UblRenderer:
    """Renders issued invoices as UBL 2.1 XML (`facturlib.renderers.Renderer`).

    Args:
        profile: ``"EN 16931"`` (default) or ``"EXTENDED-CTC-FR"``.
        terms, penalties, language, framework: as for `to_ubl`.
        check: run the pre-flight `facturlib.einvoice.check` first and refuse a
            document with problems (default ``True``).
        allow_problems: write even when the pre-flight finds problems.

    >>> from facturlib.testing.builders import sample_deposit_invoices
    >>> _, final = sample_deposit_invoices()
    >>> UblRenderer().render(final).filename
    'FA-2025-0001.ubl.xml'

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
        if self.profile not in _UBL_PROFILES:
            raise RenderError(
                f"the {self.profile.value} profile is a Factur-X (CII) profile, not a UBL one",
                field="profile",
                value=self.profile.value,
                hint='write UBL as "EN 16931" or "EXTENDED-CTC-FR"',
            )
        self.terms = terms
        self.penalties = penalties
        self.language = language
        self.framework = framework
        self.check = check and not allow_problems

    def render(self, document: Invoice, /) -> RenderedDocument:
        """The UBL XML of *document* with its media type and file name."""
        if self.check:
            preflight(document, self.profile, terms=self.terms, penalties=self.penalties)
        content = to_ubl(
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
            filename=f"{safe_name(document)}.ubl.xml",
        )
