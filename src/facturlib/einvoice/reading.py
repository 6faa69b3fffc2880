"""Reading received e-invoices: CII, UBL and Factur-X/ZUGFeRD PDFs into facturlib values.

`read_einvoice` takes the bytes of a received file — UN/CEFACT CII (D16B or D22B,
every Factur-X 1.0 / ZUGFeRD 2.x profile), OASIS UBL 2.1 ``Invoice`` or
``CreditNote``, or a Factur-X/ZUGFeRD PDF whose XML it finds as the validators do
— and returns a `ReceivedInvoice`:

* ``document``: an `Invoice` with the sender's own number, dates, parties, lines,
  allowances and charges, notes and payment terms **as written**. It is *issued*
  (the sender issued it, under its number) and sealed, so it cannot be changed;
  facturlib never renumbers or re-issues it. A MINIMUM or BASIC WL file carries no
  lines: its document is a `HeaderOnlyInvoice`, which has no computed totals.
* ``stated``: the totals the sender wrote (`StatedTotals`, BT-106…BT-115, BG-23).
* ``problems``: every disagreement between what the sender stated and what
  facturlib computes from the lines, as `Problem`\\s carrying the EN 16931 rule id
  (BR-CO-10…BR-CO-17, BR-S-08…), and what the file lacks. Nothing is "corrected":
  a VAT amount the sender rounded differently, within the one-unit tolerance of
  BR-CO-17, is kept as written (`facturlib.core.totals.StatedVat`); beyond it the
  document keeps the computed amount and the difference is a problem.

Reading is safe against hostile files (see `ReadLimits`): no DTD, no entity, no
network or file access, bounded size, depth and element count, and a PDF
attachment decompressed with a cap. Anything that cannot be read raises
`EInvoiceReadError`.

>>> from pathlib import Path
>>> xml = b'''<rsm:CrossIndustryInvoice
...   xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
...   xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
...   xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
... <rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>
...   <ram:ID>urn:factur-x.eu:1p0:minimum</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
... </rsm:ExchangedDocumentContext>
... <rsm:ExchangedDocument><ram:ID>F-1</ram:ID><ram:TypeCode>380</ram:TypeCode>
...   <ram:IssueDateTime><udt:DateTimeString format="102">20260915</udt:DateTimeString>
...   </ram:IssueDateTime></rsm:ExchangedDocument>
... <rsm:SupplyChainTradeTransaction>
...  <ram:ApplicableHeaderTradeAgreement>
...   <ram:SellerTradeParty><ram:Name>Fournisseur SAS</ram:Name>
...    <ram:PostalTradeAddress><ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>
...   </ram:SellerTradeParty>
...   <ram:BuyerTradeParty><ram:Name>Client SARL</ram:Name></ram:BuyerTradeParty>
...  </ram:ApplicableHeaderTradeAgreement>
...  <ram:ApplicableHeaderTradeDelivery/>
...  <ram:ApplicableHeaderTradeSettlement>
...   <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
...   <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
...    <ram:TaxBasisTotalAmount>100.00</ram:TaxBasisTotalAmount>
...    <ram:TaxTotalAmount currencyID="EUR">20.00</ram:TaxTotalAmount>
...    <ram:GrandTotalAmount>120.00</ram:GrandTotalAmount>
...    <ram:DuePayableAmount>120.00</ram:DuePayableAmount>
...   </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
...  </ram:ApplicableHeaderTradeSettlement>
... </rsm:SupplyChainTradeTransaction></rsm:CrossIndustryInvoice>'''
>>> received = read_einvoice(xml)
>>> received.format, received.profile, received.lines_included
('CII', 'MINIMUM', False)
>>> received.document.number, received.stated.amount_due
('F-1', Money('120.00', 'EUR'))
>>> received.problems
()
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

import attrs
from moneyed import Currency, Money

from facturlib.core._codes import DocumentKind
from facturlib.core._trusted import unchecked
from facturlib.core._validators import (
    as_tuple,
    instance_of,
    is_date,
    is_optional_date,
    is_optional_text,
    is_text,
    optional_text,
    to_text,
    tuple_of,
)
from facturlib.core.documents import (
    DeliverTo,
    DocumentStatus,
    Invoice,
    InvoiceReference,
    Note,
    _seal_for,
)
from facturlib.core.errors import (
    EInvoiceReadError,
    FacturlibError,
    InvalidIdentifier,
    Problem,
)
from facturlib.core.lines import (
    Discount,
    DocumentAllowance,
    DocumentCharge,
    Line,
    Surcharge,
)
from facturlib.core.money import currency as to_currency
from facturlib.core.money import minor_units
from facturlib.core.parties import Address, Contact, ElectronicAddress, Party
from facturlib.core.payment_means import PaymentMeans
from facturlib.core.periods import Period
from facturlib.core.totals import StatedVat, Totals, VatBreakdown
from facturlib.core.vat import VatCategory, VatRate
from facturlib.einvoice._extract import (
    RSM,
    UBL_CREDIT_NOTE,
    UBL_INVOICE,
    RawAdjustment,
    RawDocument,
    RawLine,
    RawParty,
    extract_cii,
    extract_ubl,
)
from facturlib.einvoice._pdf import extract_invoice_xml
from facturlib.einvoice._xml import DEFAULT_LIMITS, ReadLimits, parse_untrusted

__all__ = [
    "HeaderOnlyInvoice",
    "NamedParty",
    "ReadLimits",
    "ReceivedInvoice",
    "StatedTotals",
    "profile_name",
    "read_einvoice",
]

T = TypeVar("T")

#: BT-24 guideline ids (Factur-X 1.0, ZUGFeRD 2.x, XRechnung, Peppol, French CTC) → names.
_PROFILES: tuple[tuple[str, str], ...] = (
    ("urn:factur-x.eu:1p0:minimum", "MINIMUM"),
    ("urn:zugferd.de:2p0:minimum", "MINIMUM"),
    ("urn:factur-x.eu:1p0:basicwl", "BASIC WL"),
    ("urn:zugferd.de:2p0:basicwl", "BASIC WL"),
    ("urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic", "BASIC"),
    ("urn:cen.eu:en16931:2017#compliant#urn:zugferd.de:2p0:basic", "BASIC"),
    ("urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended", "EXTENDED"),
    ("urn:cen.eu:en16931:2017#conformant#urn:zugferd.de:2p0:extended", "EXTENDED"),
    ("urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr", "EXTENDED-CTC-FR"),
    ("urn:cen.eu:en16931:2017#conformant#urn:cpro.gouv.fr:1p0:extended-ctc-fr", "EXTENDED-CTC-FR"),
    ("urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0", "PEPPOL BIS 3"),
    ("urn:cen.eu:en16931:2017", "EN 16931"),
    # Factur-X 1.0 release-candidate ids, still found in the wild.
    ("urn:cen.eu:en16931:2017:compliant:factur-x.eu:1p0:basic", "BASIC"),
    ("urn:cen.eu:en16931:2017:compliant:factur-x.eu:1p0:en16931", "EN 16931"),
    ("urn:cen.eu:en16931:2017:conformant:factur-x.eu:1p0:extended", "EXTENDED"),
)
_XRECHNUNG = ("urn:xeinkauf.de:kosit:xrechnung", "urn:xoev-de:kosit:standard:xrechnung")

#: The party terms that are one line of text (whitespace inside them is collapsed).
_ONE_LINE_FIELDS = (
    "name",
    "trading_name",
    "legal_form",
    "line1",
    "line2",
    "line3",
    "city",
    "postal_code",
    "subdivision",
    "contact_name",
    "phone",
)


def profile_name(guideline_id: str | None) -> str | None:
    """The profile named by a BT-24 specification identifier, else the identifier itself.

    >>> profile_name("urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended")
    'EXTENDED'
    >>> profile_name("urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0")
    'XRECHNUNG'
    >>> profile_name("urn:example:own") is None
    False

    .. versionadded:: 0.2
    """
    if guideline_id is None:
        return None
    if not isinstance(guideline_id, str):
        raise EInvoiceReadError(
            f"expected a str, got {type(guideline_id).__name__}",
            field="guideline_id",
            value=guideline_id,
            hint="pass BT-24 as written, e.g. 'urn:cen.eu:en16931:2017'",
        )
    for identifier, name in _PROFILES:
        if guideline_id == identifier:
            return name
    if any(marker in guideline_id for marker in _XRECHNUNG):
        return "XRECHNUNG"
    return guideline_id


# ----------------------------------------------------------------------------- values


@attrs.frozen(kw_only=True)
class NamedParty:
    """A party known only by its name and identifiers, without a postal address.

    A Factur-X MINIMUM file names the buyer without an address (and the seller with
    a country only); facturlib's `Party` needs an address, so such parties are
    read as this value.

    Attributes:
        name: BT-27 / BT-44.
        country_code: BT-40 / BT-55, when given.
        siren: the SIREN (BT-30 / BT-47, scheme 0002), when given.
        vat_id: BT-31 / BT-48, when given.
        electronic_address: BT-34 / BT-49, when given.

    .. versionadded:: 0.2
    """

    name: str = attrs.field(converter=to_text, validator=is_text)
    country_code: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    siren: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    vat_id: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    electronic_address: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )

    @property
    def key(self) -> str:
        """The SIREN, else the VAT id, else the name (as `Party.key` without an id)."""
        return self.siren or self.vat_id or self.name


def _money_or_none(instance: object, attribute: Any, value: object) -> None:
    if value is not None and not isinstance(value, Money):
        raise EInvoiceReadError(
            f"expected Money or None, got {type(value).__name__}", field=attribute.name
        )


@attrs.frozen(kw_only=True)
class StatedTotals:
    """The totals a received e-invoice states, as written (``None`` where absent).

    Attributes:
        line_net_total: BT-106. allowance_total: BT-107. charge_total: BT-108.
        tax_exclusive_total: BT-109. vat_total: BT-110 (invoice currency).
        vat_total_tax_currency: BT-111 (VAT accounting currency, BT-6).
        tax_inclusive_total: BT-112. prepaid_total: BT-113. rounding_amount: BT-114.
        amount_due: BT-115.
        vat_breakdown: the BG-23 entries as stated.
        line_nets: ``(line id, BT-131)`` for each line, as stated.

    .. versionadded:: 0.2
    """

    currency: Currency = attrs.field(validator=instance_of(Currency))
    line_net_total: Money | None = attrs.field(default=None, validator=_money_or_none)
    allowance_total: Money | None = attrs.field(default=None, validator=_money_or_none)
    charge_total: Money | None = attrs.field(default=None, validator=_money_or_none)
    tax_exclusive_total: Money | None = attrs.field(default=None, validator=_money_or_none)
    vat_total: Money | None = attrs.field(default=None, validator=_money_or_none)
    vat_total_tax_currency: Money | None = attrs.field(default=None, validator=_money_or_none)
    tax_inclusive_total: Money | None = attrs.field(default=None, validator=_money_or_none)
    prepaid_total: Money | None = attrs.field(default=None, validator=_money_or_none)
    rounding_amount: Money | None = attrs.field(default=None, validator=_money_or_none)
    amount_due: Money | None = attrs.field(default=None, validator=_money_or_none)
    vat_breakdown: tuple[VatBreakdown, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(VatBreakdown)
    )
    line_nets: tuple[tuple[str, Money], ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(tuple)
    )


@attrs.frozen(kw_only=True)
class HeaderOnlyInvoice:
    """A received invoice without lines (Factur-X MINIMUM or BASIC WL).

    It is not an EN 16931 invoice: it has no lines to compute totals from, so it
    has no ``totals()``; its amounts are the sender's (`ReceivedInvoice.stated`).
    BASIC WL files add document allowances and charges and the VAT breakdown.

    .. versionadded:: 0.2
    """

    kind: DocumentKind = attrs.field(validator=instance_of(DocumentKind))
    number: str = attrs.field(converter=to_text, validator=is_text)
    issue_date: date = attrs.field(validator=is_date)
    seller: Party | NamedParty = attrs.field(validator=instance_of((Party, NamedParty)))
    buyer: Party | NamedParty = attrs.field(validator=instance_of((Party, NamedParty)))
    currency: Currency = attrs.field(validator=instance_of(Currency))
    due_date: date | None = attrs.field(default=None, validator=is_optional_date)
    delivery_date: date | None = attrs.field(default=None, validator=is_optional_date)
    period: Period | None = attrs.field(default=None, validator=instance_of(Period, optional=True))
    buyer_reference: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    purchase_order: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    contract_reference: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    preceding: tuple[InvoiceReference, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(InvoiceReference)
    )
    project_reference: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    notes: tuple[Note, ...] = attrs.field(default=(), converter=as_tuple, validator=tuple_of(Note))
    payment_terms: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    payment_means: tuple[PaymentMeans, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(PaymentMeans)
    )
    allowances: tuple[DocumentAllowance, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(DocumentAllowance)
    )
    charges: tuple[DocumentCharge, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(DocumentCharge)
    )


@attrs.frozen(kw_only=True)
class ReceivedInvoice:
    """A received e-invoice read by `read_einvoice`.

    Attributes:
        document: the sealed, issued `Invoice` (lines included), or a
            `HeaderOnlyInvoice` (MINIMUM, BASIC WL).
        format: ``"CII"``, ``"UBL"`` or ``"Factur-X PDF"``.
        profile: the profile name (``"EN 16931"``, ``"EXTENDED"``, ``"BASIC WL"``,
            ``"XRECHNUNG"``…), else the BT-24 identifier as written, else ``None``.
        guideline_id: BT-24 as written.
        business_process: BT-23 as written (the French "cadre de facturation").
        attachment: the name of the PDF attachment the XML came from, else ``None``.
        stated: the totals the sender stated.
        problems: every disagreement and gap found, with EN 16931 rule ids.

    .. versionadded:: 0.2
    """

    document: Invoice | HeaderOnlyInvoice = attrs.field(
        validator=instance_of((Invoice, HeaderOnlyInvoice))
    )
    format: str = attrs.field(validator=is_text)
    profile: str | None = attrs.field(default=None, validator=is_optional_text)
    guideline_id: str | None = attrs.field(default=None, validator=is_optional_text)
    business_process: str | None = attrs.field(default=None, validator=is_optional_text)
    attachment: str | None = attrs.field(default=None, validator=is_optional_text)
    stated: StatedTotals = attrs.field(validator=instance_of(StatedTotals))
    problems: tuple[Problem, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Problem)
    )

    @property
    def lines_included(self) -> bool:
        """Whether the document has lines (an `Invoice`), not a `HeaderOnlyInvoice`."""
        return isinstance(self.document, Invoice)

    @property
    def rules_broken(self) -> tuple[str, ...]:
        """The distinct rule ids of `problems`, in order of first appearance."""
        return tuple(dict.fromkeys(p.code for p in self.problems))


# ----------------------------------------------------------------------------- reading


def read_einvoice(data: bytes, *, limits: ReadLimits = DEFAULT_LIMITS) -> ReceivedInvoice:
    """Read a received e-invoice (CII, UBL 2.1 or Factur-X/ZUGFeRD PDF).

    Args:
        data: the file's bytes, from anyone.
        limits: the bounds put on the input (`ReadLimits`).

    Returns:
        A `ReceivedInvoice`: the document as written, its format and profile, the
        totals the sender stated and the problems found.

    Raises:
        EInvoiceReadError: the input is not an e-invoice facturlib reads, is unsafe
            (DTD, entities, oversized, too deep, a compression bomb), damaged, or lacks
            what a document cannot exist without (BR-02 number, BR-03 issue date,
            BR-05 currency, BR-06/BR-07 party names); ``rules`` names the rules.

    .. versionadded:: 0.2
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise EInvoiceReadError(
            f"expected bytes, got {type(data).__name__}",
            field="data",
            hint="read the file in binary mode: Path(...).read_bytes()",
        )
    if not isinstance(limits, ReadLimits):
        raise EInvoiceReadError(
            "expected ReadLimits", field="limits", value=limits, hint="pass ReadLimits(...)"
        )
    data = bytes(data)
    if len(data) > limits.max_bytes:
        raise EInvoiceReadError(
            f"the file is {len(data)} bytes, more than the limit of {limits.max_bytes}",
            field="data",
            hint="raise ReadLimits(max_bytes=...) if such a large invoice is expected",
        )
    attachment = None
    fmt = None
    if data.lstrip()[:5] == b"%PDF-" or data[:1024].find(b"%PDF-") >= 0:
        attachment, data = extract_invoice_xml(data, limits)
        fmt = "Factur-X PDF"
    root = parse_untrusted(data, limits)
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag == f"{{{RSM}}}CrossIndustryInvoice":
        raw = extract_cii(root)
    elif tag in (f"{{{UBL_INVOICE}}}Invoice", f"{{{UBL_CREDIT_NOTE}}}CreditNote"):
        if fmt is not None:
            raise EInvoiceReadError(
                "the PDF carries a UBL invoice",
                field="attachment",
                hint="Factur-X and ZUGFeRD PDFs carry CII; read the UBL file itself",
            )
        raw = extract_ubl(root)
    else:
        raise _unknown_root(tag)
    return _build(raw, fmt or raw.syntax, attachment)


def _unknown_root(tag: str) -> EInvoiceReadError:
    namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    if "urn:oasis:names:specification:ubl" in namespace:
        hint = "facturlib reads UBL 2.1 Invoice and CreditNote documents only"
    elif "CrossIndustryDocument" in namespace or "ferd" in namespace:
        hint = "ZUGFeRD 1.0 is not read; ask the sender for Factur-X / ZUGFeRD 2.x (CII D16B+)"
    else:
        hint = (
            "facturlib reads CII (rsm:CrossIndustryInvoice), UBL 2.1 Invoice/CreditNote "
            "and Factur-X/ZUGFeRD PDFs"
        )
    return EInvoiceReadError(
        "the XML is not an e-invoice facturlib reads",
        field="root",
        value=f"{local} ({namespace})" if namespace else local,
        hint=hint,
    )


# ----------------------------------------------------------------------------- building

_NUMBER = re.compile(r"^[+-]?(\d{1,20}(\.\d{0,19})?|\.\d{1,19})$")


class _Reader:
    """Builds the values of one document, collecting problems on the way."""

    def __init__(self, raw: RawDocument) -> None:
        self.raw = raw
        self.problems: list[Problem] = []
        self.currency: Currency | None = None
        self.rates: dict[tuple[VatCategory, Decimal | None], VatRate] = {}

    def problem(self, code: str, message: str) -> None:
        official = code.startswith(("BR-", "PEPPOL-"))
        self.problems.append(
            Problem(
                code=code,
                message=message,
                reference=self.raw.number,
                rule=code if official else None,
                fatal=official,
            )
        )

    # scalars ---------------------------------------------------------------------

    def decimal(self, text: str | None, term: str) -> Decimal | None:
        if text is None:
            return None
        compact = text.strip()
        if not _NUMBER.match(compact):
            raise EInvoiceReadError(
                f"{term} is not a decimal number",
                field=term,
                value=text[:40],
                hint="amounts and quantities are written like 1234.56 (EN 16931-3, no "
                "thousands separator)",
            )
        value = Decimal(compact)
        if value == value.to_integral_value():
            return value.quantize(Decimal(1))
        return value.normalize()

    def money(self, text: str | None, term: str) -> Money | None:
        value = self.decimal(text, term)
        if value is None:
            return None
        assert self.currency is not None
        places = minor_units(self.currency)
        if -value.as_tuple().exponent > places:  # type: ignore[operator]
            raise EInvoiceReadError(
                f"{term} has more than {places} decimals",
                field=term,
                value=text,
                rules=("BR-DEC-01",),
                hint="document amounts have at most 2 decimals (EN 16931 BR-DEC-*)",
            )
        return Money(value.quantize(Decimal(1).scaleb(-places)), self.currency)

    def date(self, text: str | None, term: str) -> date | None:
        if text is None:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise EInvoiceReadError(
                f"{term} is not a date",
                field=term,
                value=text[:40],
                hint="dates are written YYYY-MM-DD (UBL) or YYYYMMDD with format 102 (CII)",
            ) from None

    def guard(self, where: str, build: Callable[[], T]) -> T:
        """Run *build*; a facturlib error from a value constructor becomes a read error."""
        try:
            return build()
        except EInvoiceReadError:
            raise
        except FacturlibError as exc:
            raise EInvoiceReadError(
                f"{where} cannot be read: {exc.message}",
                field=where,
                value=exc.value,
                hint=exc.hint or "the file breaks an EN 16931 rule; ask the sender to correct it",
            ) from None

    # VAT ---------------------------------------------------------------------------

    def vat_key(
        self, category: str | None, rate: str | None, where: str
    ) -> tuple[VatCategory, Decimal | None]:
        if category is None:
            raise EInvoiceReadError(
                f"{where} has no VAT category",
                field=where,
                rules=("BR-CO-04",),
                hint="every line, allowance and charge names its VAT category (UNTDID 5305)",
            )
        code = category.strip().upper()
        if code not in VatCategory.__members__:
            raise EInvoiceReadError(
                f"{where} has an unknown VAT category",
                field=where,
                value=category,
                rules=("BR-CL-17",),
                hint="VAT categories are S, Z, E, AE, K, G, O, L, M (UNTDID 5305)",
            )
        cat = VatCategory(code)
        percent = self.decimal(rate, f"{where} VAT rate")
        if cat is VatCategory.O:
            percent = None
        elif percent is None:
            percent = Decimal(0) if cat is not VatCategory.S else None
            if percent is None:
                raise EInvoiceReadError(
                    f"{where} has a standard-rated VAT category without a rate",
                    field=where,
                    rules=("BR-S-05",),
                    hint="state the VAT rate (BT-152)",
                )
        return cat, percent

    def vat_rate(self, key: tuple[VatCategory, Decimal | None], where: str) -> VatRate:
        found = self.rates.get(key)
        if found is not None:
            return found
        category, percent = key
        if category.needs_exemption_reason:
            self.problem(
                "BR-CO-18",
                f"{where}: VAT {category.value} {percent} has no VAT breakdown entry (BG-23)",
            )
            reason: str | None = "(not stated)"
        else:
            reason = None
        made = self.guard(
            where, lambda: VatRate(category=category, percent=percent, exemption_reason=reason)
        )
        self.rates[key] = made
        return made

    # parties -----------------------------------------------------------------------

    def party(self, raw: RawParty | None, role: str, rule: str, term: str) -> Party | NamedParty:
        if raw is not None:
            # XML text keeps the sender's indentation and line breaks; a name or an
            # address part is one line (facturlib.Party refuses control characters).
            changes: dict[str, Any] = {
                name: " ".join(value.split()) or None
                for name in _ONE_LINE_FIELDS
                if isinstance(value := getattr(raw, name), str)
            }
            raw = attrs.evolve(raw, **changes)
        if raw is None or raw.name is None:
            raise EInvoiceReadError(
                f"the {role} has no name",
                field=term,
                rules=(rule,),
                hint=f"the {role}'s name is mandatory ({rule}); ask the sender to correct it",
            )
        siren = next((v for s, v in raw.legal_ids if s in (None, "0002")), None)
        siret = next((v for s, v in (*raw.ids, *raw.legal_ids) if s == "0009"), None)
        registration = next((v for s, v in raw.legal_ids if s not in (None, "0002", "0009")), None)
        if siren is None and siret is None and registration is None and raw.legal_ids:
            registration = raw.legal_ids[0][1]
        party_id = next((v for s, v in raw.ids if s is None), None)
        fields: dict[str, Any] = {
            "siren": siren if siren is None or (siren.isdigit() and len(siren) == 9) else None,
            "siret": siret,
            "vat_id": raw.vat_ids[0] if raw.vat_ids else None,
            "electronic_address": self.endpoint(raw.endpoint, role),
            "registration": registration
            or (siren if siren is not None and not (siren.isdigit() and len(siren) == 9) else None),
        }
        if raw.country is None or raw.city is None:
            return NamedParty(
                name=raw.name,
                country_code=raw.country,
                siren=fields["siren"],
                vat_id=fields["vat_id"],
                electronic_address=(
                    fields["electronic_address"].value if fields["electronic_address"] else None
                ),
            )
        address = self.guard(
            f"{role} address",
            lambda: Address(
                line1=raw.line1,
                line2=raw.line2,
                line3=raw.line3,
                city=raw.city,
                postal_code=raw.postal_code,
                country_subdivision=raw.subdivision,
                country_code=raw.country,
            ),
        )
        contact = None
        if raw.contact_name or raw.phone or raw.email:
            try:
                contact = Contact(name=raw.contact_name, phone=raw.phone, email=raw.email)
            except FacturlibError:
                self.problem("BT-43", f"the {role} contact email {raw.email!r} is not an address")
                contact = Contact(name=raw.contact_name, phone=raw.phone)
        for _attempt in range(6):
            try:
                return Party(
                    name=raw.name,
                    address=address,
                    trading_name=raw.trading_name,
                    legal_form=raw.legal_form,
                    contact=contact,
                    id=party_id,
                    **fields,
                )
            except InvalidIdentifier as exc:
                bad = exc.field if exc.field in fields else None
                if bad is None or fields[bad] is None:
                    raise EInvoiceReadError(
                        f"the {role} cannot be read: {exc.message}",
                        field=term,
                        value=exc.value,
                        hint=exc.hint,
                    ) from None
                self.problem(
                    "identifier-check",
                    f"the {role}'s {bad} {fields[bad]!r} is not valid ({exc.message}); "
                    "it was left out",
                )
                fields[bad] = None
            except FacturlibError as exc:
                raise EInvoiceReadError(
                    f"the {role} cannot be read: {exc.message}",
                    field=term,
                    value=exc.value,
                    hint=exc.hint,
                ) from None
        raise EInvoiceReadError(f"the {role} cannot be read", field=term)  # pragma: no cover

    def endpoint(
        self, endpoint: tuple[str | None, str] | None, role: str
    ) -> ElectronicAddress | None:
        """The electronic address (BT-34/BT-49) with its scheme, or a problem and None."""
        if endpoint is None:
            return None
        scheme, value = endpoint
        try:
            if scheme is None:
                return ElectronicAddress.from_text(value)
            return ElectronicAddress(value, scheme)
        except FacturlibError as exc:
            self.problem(
                "identifier-check",
                f"the {role}'s electronic address {value!r} (scheme {scheme}) is not valid "
                f"({exc.message}); it was left out",
            )
            return None

    def notes(self) -> tuple[Note, ...]:
        """The notes (BG-1) with their subject codes; an unknown code is kept as text."""
        notes = []
        for subject, text in self.raw.notes:
            try:
                notes.append(Note(text, subject))
            except FacturlibError:
                self.problem("BR-CL-08", f"note subject {subject!r} is not a UNTDID 4451 code")
                notes.append(Note(text))
        return tuple(notes)

    def payment_means(self) -> tuple[PaymentMeans, ...]:
        """The payment means (BG-16); one that facturlib refuses becomes a problem."""
        means = []
        for raw in self.raw.payment_means:
            if raw.code is None:
                self.problem("BR-49", "a payment means has no type code (BT-81)")
                continue
            try:
                means.append(
                    PaymentMeans(
                        code=raw.code,
                        iban=raw.iban,
                        bic=raw.bic,
                        account_name=raw.account_name,
                        mandate=self.raw.mandate if raw.code in ("49", "59") else None,
                        creditor_id=self.raw.creditor_id if raw.code in ("49", "59") else None,
                        debtor_iban=raw.debited_iban,
                        card_pan=raw.card,
                        text=raw.text,
                        remittance=self.raw.payment_reference,
                    )
                )
            except FacturlibError as exc:
                self.problem(
                    "payment-means",
                    f"payment means {raw.code} cannot be read ({exc.message}); it was left out",
                )
        return tuple(means)

    def deliver_to(self) -> DeliverTo | None:
        """The deliver-to party and address (BG-13/BG-15), when it has a full address."""
        raw = self.raw.deliver_to
        if raw is None or raw.city is None or raw.country is None:
            return None
        try:
            address = Address(
                line1=raw.line1,
                line2=raw.line2,
                line3=raw.line3,
                city=raw.city,
                postal_code=raw.postal_code,
                country_subdivision=raw.subdivision,
                country_code=raw.country,
            )
            location = next((v for _, v in raw.ids), None)
            return DeliverTo(address=address, name=raw.name, location_id=location)
        except FacturlibError as exc:
            self.problem("deliver-to", f"the deliver-to address cannot be read ({exc.message})")
            return None

    # lines and adjustments -----------------------------------------------------------

    def line(self, raw: RawLine, index: int) -> Line:
        where = f"line {raw.id or index + 1}"
        name = raw.name or raw.description
        if name is None:
            raise EInvoiceReadError(
                f"{where} has no item name",
                field="BT-153",
                rules=("BR-25",),
                hint="every line names the item (BT-153)",
            )
        quantity = self.decimal(raw.quantity, f"{where} quantity (BT-129)")
        if quantity is None:
            raise EInvoiceReadError(
                f"{where} has no invoiced quantity",
                field="BT-129",
                rules=("BR-22",),
                hint="every line states its quantity (BT-129)",
            )
        price = self.decimal(raw.net_price, f"{where} net price (BT-146)")
        if price is None:
            raise EInvoiceReadError(
                f"{where} has no net price",
                field="BT-146",
                rules=("BR-26",),
                hint="every line states its net price (BT-146)",
            )
        unit = raw.unit
        if unit is None:
            self.problem("BR-23", f"{where} has no unit of measure (BT-130); read as C62")
            unit = "C62"
        base = self.decimal(raw.base_quantity, f"{where} base quantity (BT-149)") or Decimal(1)
        vat = self.vat_rate(self.vat_key(raw.category, raw.rate, where), where)
        discounts: list[Discount] = []
        surcharges: list[Surcharge] = []
        for adjustment in raw.adjustments:
            amount = self.money(adjustment.amount, f"{where} allowance/charge amount")
            if amount is None or amount.amount == 0:
                continue
            kind: type[Discount] | type[Surcharge] = Surcharge if adjustment.is_charge else Discount
            made = self.guard(
                where,
                functools.partial(
                    kind,
                    amount=abs(amount) if amount.amount < 0 else amount,
                    reason=adjustment.reason,
                    reason_code=adjustment.reason_code,
                ),
            )
            if amount.amount < 0:
                self.problem(
                    "negative-adjustment",
                    f"{where} has a negative allowance or charge amount {amount.amount}; "
                    "read as its absolute value",
                )
            if isinstance(made, Surcharge):
                surcharges.append(made)
            elif isinstance(made, Discount):
                discounts.append(made)
        period = self.period(raw.start, raw.end, where)
        assert self.currency is not None
        currency = self.currency
        return self.guard(
            where,
            lambda: Line(
                description=name,
                quantity=quantity,
                unit_price=Money(price, currency),
                vat=vat,
                unit=unit,
                base_quantity=base,
                discounts=tuple(discounts),
                charges=tuple(surcharges),
                period=period,
                note=raw.note,
                id=raw.id,
                product_id=raw.seller_id,
            ),
        )

    def period(self, start: str | None, end: str | None, where: str) -> Period | None:
        first = self.date(start, f"{where} period start")
        last = self.date(end, f"{where} period end")
        if first is None or last is None:
            return None
        if last < first:
            self.problem("BR-29", f"{where}: the period ends ({last}) before it starts ({first})")
            return None
        return Period(first, last + timedelta(days=1))

    def adjustment(
        self, raw: RawAdjustment, index: int
    ) -> DocumentAllowance | DocumentCharge | None:
        """The allowance or charge, or ``None`` for a zero amount (it changes no total)."""
        what = "charge" if raw.is_charge else "allowance"
        where = f"document {what} {index + 1}"
        amount = self.money(raw.amount, f"{where} amount")
        if amount is None:
            raise EInvoiceReadError(
                f"{where} has no amount",
                field=where,
                rules=("BR-36" if raw.is_charge else "BR-31",),
                hint="a document allowance or charge states its amount (BT-92/BT-99)",
            )
        vat = self.vat_rate(self.vat_key(raw.category, raw.rate, where), where)
        if amount.amount == 0:
            return None
        base = self.money(raw.base, f"{where} base amount")
        cls = DocumentCharge if raw.is_charge else DocumentAllowance
        return self.guard(
            where,
            lambda: cls(
                amount=amount, vat=vat, base=base, reason=raw.reason, reason_code=raw.reason_code
            ),
        )


_CATEGORY_RULE = {
    VatCategory.S: "BR-S-08",
    VatCategory.Z: "BR-Z-08",
    VatCategory.E: "BR-E-08",
    VatCategory.AE: "BR-AE-08",
    VatCategory.K: "BR-IC-08",
    VatCategory.G: "BR-G-08",
    VatCategory.O: "BR-O-08",
    VatCategory.L: "BR-AF-08",
    VatCategory.M: "BR-AG-08",
}


def _build(raw: RawDocument, fmt: str, attachment: str | None) -> ReceivedInvoice:
    reader = _Reader(raw)
    if raw.number is None:
        raise EInvoiceReadError(
            "the invoice has no number",
            field="BT-1",
            rules=("BR-02",),
            hint="an invoice has a number (BT-1, BR-02); ask the sender to correct it",
        )
    issue_date = reader.date(raw.issue_date, "issue date (BT-2)")
    if issue_date is None:
        raise EInvoiceReadError(
            "the invoice has no issue date",
            field="BT-2",
            rules=("BR-03",),
            hint="an invoice has an issue date (BT-2, BR-03)"
            + (f"; unreadable dates: {', '.join(raw.bad_dates)}" if raw.bad_dates else ""),
        )
    if raw.currency is None:
        raise EInvoiceReadError(
            "the invoice has no currency code",
            field="BT-5",
            rules=("BR-05",),
            hint="an invoice states its currency (BT-5, ISO 4217)",
        )
    currency = reader.guard("currency (BT-5)", lambda: to_currency(raw.currency or ""))
    reader.currency = currency
    kind = _kind(raw.type_code)
    for text in raw.bad_dates:
        reader.problem("date-format", f"a date is not in format 102 (YYYYMMDD): {text}")
    _read_vat_rates(reader)
    seller = reader.party(raw.seller, "seller", "BR-06", "BT-27")
    if isinstance(seller, Party) and raw.vat_due_code in ("5", "3"):
        # BT-8: VAT due on the invoice date, the option for the debits (CII 5, UBL 3).
        seller = attrs.evolve(seller, vat_on_debits=True)
    buyer = reader.party(raw.buyer, "buyer", "BR-07", "BT-44")
    allowances: list[DocumentAllowance] = []
    charges: list[DocumentCharge] = []
    for index, adjustment in enumerate(raw.adjustments):
        made = reader.adjustment(adjustment, index)
        if made is None:
            continue
        if isinstance(made, DocumentCharge):
            charges.append(made)
        else:
            allowances.append(made)
    stated = _stated(reader)
    preceding = tuple(
        reader.guard(
            "preceding invoice (BG-3)",
            functools.partial(
                InvoiceReference,
                number=number,
                issue_date=reader.date(when, "preceding invoice date (BT-26)"),
            ),
        )
        for number, when in raw.preceding
    )
    period = reader.period(raw.period_start, raw.period_end, "invoice period (BG-14)")
    notes = reader.notes()
    common: dict[str, Any] = {
        "due_date": reader.date(raw.due_date, "due date (BT-9)"),
        "delivery_date": reader.date(raw.delivery_date, "delivery date (BT-72)"),
        "period": period,
        "buyer_reference": raw.buyer_reference,
        "purchase_order": raw.purchase_order,
        "contract_reference": raw.contract,
        "preceding": preceding,
        "project_reference": raw.project,
    }
    document: Invoice | HeaderOnlyInvoice
    if not raw.lines:
        profile = profile_name(raw.guideline)
        if profile not in ("MINIMUM", "BASIC WL"):
            reader.problem("BR-16", "the invoice has no line (BG-25)")
        document = reader.guard(
            "invoice",
            lambda: HeaderOnlyInvoice(
                kind=kind,
                number=raw.number or "",
                issue_date=issue_date,
                seller=seller,
                buyer=buyer,
                currency=currency,
                notes=notes,
                payment_terms=raw.payment_terms,
                payment_means=reader.payment_means(),
                allowances=allowances,
                charges=charges,
                **common,
            ),
        )
        _check_stated(reader, stated, minimum=profile == "MINIMUM")
    else:
        if not isinstance(seller, Party) or not isinstance(buyer, Party):
            missing = "seller" if not isinstance(seller, Party) else "buyer"
            raise EInvoiceReadError(
                f"the {missing} has no postal address with a city and a country",
                field="BG-5" if missing == "seller" else "BG-8",
                rules=("BR-08", "BR-09") if missing == "seller" else ("BR-10", "BR-11"),
                hint="an invoice with lines states both postal addresses (EN 16931 BG-5, BG-8)",
            )
        lines = tuple(reader.line(line, i) for i, line in enumerate(raw.lines))
        ids = [line.id for line in lines]
        if len(set(ids)) != len(ids):
            raise EInvoiceReadError(
                "two lines have the same identifier",
                field="BT-126",
                value=ids,
                rules=("BR-21",),
                hint="each line has its own identifier (BT-126)",
            )
        prepaid = (
            stated.prepaid_total if stated.prepaid_total and stated.prepaid_total.amount else None
        )
        fields: dict[str, Any] = {
            "seller": seller,
            "buyer": buyer,
            "currency": reader.currency,
            "lines": lines,
            "allowances": tuple(allowances),
            "charges": tuple(charges),
            "notes": notes,
            "payment_terms": raw.payment_terms,
            "kind": kind,
            "prepaid": prepaid,
            "order_reference": raw.order_reference,
            "payment_means": reader.payment_means(),
            "deliver_to": reader.deliver_to(),
            **common,
        }
        rounding = stated.rounding_amount
        if rounding is not None and rounding.amount != 0:
            fields["rounding_amount"] = rounding
        draft = _draft(reader, fields, raw.process)
        kept = _compare(reader, draft.totals(), stated, lines)
        if kept:
            draft = _draft(reader, {**fields, "stated_vat": kept}, raw.process)
        document = _issued(draft, raw.number, issue_date)
    return ReceivedInvoice(
        document=document,
        format=fmt,
        profile=profile_name(raw.guideline),
        guideline_id=raw.guideline,
        business_process=raw.process,
        attachment=attachment,
        stated=stated,
        problems=tuple(reader.problems),
    )


def _draft(reader: _Reader, fields: dict[str, Any], framework: str | None) -> Invoice:
    """The checked draft; BT-23 is kept when it is a French billing framework code."""
    if framework is not None:
        try:
            return Invoice(**fields, billing_framework=framework)
        except FacturlibError as exc:
            if exc.field != "billing_framework":
                return reader.guard("invoice", lambda: Invoice(**fields))
            # not a French BT-23 code: kept as written in ReceivedInvoice.business_process
    return reader.guard("invoice", lambda: Invoice(**fields))


_ISSUED = unchecked(Invoice)


def _issued(draft: Invoice, number: str, issue_date: date) -> Invoice:
    """*draft* as issued by its sender under the sender's *number*, sealed.

    A received invoice was issued by its sender: it is sealed as issued (nobody edits
    it) and consumes none of our numbers. Built without the checks again: every field
    comes from the checked *draft*; only the number (non-empty text), the issue date
    (a date), the status and the seal made for exactly these fields change — what
    ``Invoice._issued_copy`` builds, without fingerprinting the content twice (a test
    compares the two).
    """
    fields = {f.name: getattr(draft, f.name) for f in attrs.fields(Invoice) if f.init}
    fields.update(number=number, issue_date=issue_date, status=DocumentStatus.ISSUED)
    fields["seal"] = _seal_for(fields)
    return _ISSUED(**fields)


def _kind(code: str | None) -> DocumentKind:
    if code is None:
        raise EInvoiceReadError(
            "the invoice has no type code",
            field="BT-3",
            rules=("BR-04",),
            hint="an invoice states its type code (BT-3, UNTDID 1001), e.g. 380",
        )
    try:
        return DocumentKind.from_code(code)
    except FacturlibError:
        raise EInvoiceReadError(
            "facturlib does not read this document type",
            field="BT-3",
            value=code,
            hint="facturlib reads 380 (invoice), 381 (credit note), 384 (corrective "
            "invoice) and 386 (prepayment invoice)",
        ) from None


def _read_vat_rates(reader: _Reader) -> None:
    """The VatRate of each (category, rate) in the breakdown, with its exemption reason."""
    for entry in reader.raw.vat:
        key = reader.vat_key(entry.category, entry.rate, "VAT breakdown (BG-23)")
        if key in reader.rates:
            continue
        category, percent = key
        reason, code = entry.reason, entry.reason_code
        if not category.needs_exemption_reason:
            if reason is not None or code is not None:
                reader.problem(
                    f"BR-{_CATEGORY_RULE[category].split('-')[1]}-10",
                    f"VAT {category.value} carries an exemption reason; it was left out",
                )
            reason = code = None
        elif reason is None and code is None:
            reader.problem(
                f"BR-{_CATEGORY_RULE[category].split('-')[1]}-10",
                f"VAT {category.value} has no exemption reason (BT-120/BT-121)",
            )
            reason = "(not stated)"
        reader.rates[key] = reader.guard(
            "VAT breakdown (BG-23)",
            functools.partial(
                VatRate,
                category=category,
                percent=percent,
                exemption_reason=reason,
                exemption_code=code,
            ),
        )


def _stated(reader: _Reader) -> StatedTotals:
    raw = reader.raw
    amounts = {term: reader.money(text, term) for term, text in raw.totals.items()}
    breakdown = []
    for entry in raw.vat:
        key = reader.vat_key(entry.category, entry.rate, "VAT breakdown (BG-23)")
        taxable = reader.money(entry.taxable, "VAT taxable amount (BT-116)")
        amount = reader.money(entry.amount, "VAT amount (BT-117)")
        if taxable is None or amount is None:
            reader.problem(
                "BR-45" if taxable is None else "BR-46", "a VAT breakdown entry lacks an amount"
            )
            continue
        breakdown.append(VatBreakdown(vat=reader.rates[key], taxable=taxable, amount=amount))
    tax_currency_total = None
    if raw.tax_total_tax_currency is not None and raw.tax_currency is not None:
        try:
            cur = to_currency(raw.tax_currency)
            value = reader.decimal(raw.tax_total_tax_currency, "BT-111")
            tax_currency_total = Money(value, cur) if value is not None else None
        except FacturlibError:
            reader.problem("BR-CL-05", f"unknown tax currency {raw.tax_currency!r} (BT-6)")
    line_nets = []
    for index, line in enumerate(raw.lines):
        net = reader.money(line.net, f"line {line.id or index + 1} net amount (BT-131)")
        if net is not None:
            line_nets.append((line.id or str(index + 1), net))
    assert reader.currency is not None
    return StatedTotals(
        currency=reader.currency,
        line_net_total=amounts.get("BT-106"),
        allowance_total=amounts.get("BT-107"),
        charge_total=amounts.get("BT-108"),
        tax_exclusive_total=amounts.get("BT-109"),
        vat_total=amounts.get("BT-110"),
        vat_total_tax_currency=tax_currency_total,
        tax_inclusive_total=amounts.get("BT-112"),
        prepaid_total=amounts.get("BT-113"),
        rounding_amount=amounts.get("BT-114"),
        amount_due=amounts.get("BT-115"),
        vat_breakdown=tuple(breakdown),
        line_nets=tuple(line_nets),
    )


def _differs(
    reader: _Reader,
    rule: str,
    what: str,
    stated: Money | None,
    computed: Decimal,
    source: str = "the lines give",
) -> None:
    if stated is not None and stated.amount != computed:
        reader.problem(rule, f"{what}: the invoice states {stated.amount}, {source} {computed}")


def _compare(
    reader: _Reader, totals: Totals, stated: StatedTotals, lines: tuple[Line, ...]
) -> tuple[StatedVat, ...]:
    """Problems for every stated total that differs from the computed one.

    Returns the stated VAT amounts to keep (within BR-CO-17's one-unit tolerance).
    """
    for (line_id, net), line, computed in zip(
        stated.line_nets, lines, totals.line_nets, strict=False
    ):
        if line_id == line.id and net.amount != computed:
            reader.problem(
                "PEPPOL-EN16931-R120",
                f"line {line_id} net amount (BT-131): the invoice states {net.amount}, "
                f"quantity × price ± allowances and charges give {computed}",
            )
    _differs(
        reader, "BR-CO-10", "sum of line net amounts (BT-106)", stated.line_net_total, totals.bt106
    )
    _differs(reader, "BR-CO-11", "sum of allowances (BT-107)", stated.allowance_total, totals.bt107)
    _differs(reader, "BR-CO-12", "sum of charges (BT-108)", stated.charge_total, totals.bt108)
    _differs(
        reader, "BR-CO-13", "total without VAT (BT-109)", stated.tax_exclusive_total, totals.bt109
    )
    kept: list[StatedVat] = []
    computed_groups = {
        (vat.category, vat.percent): (vat, taxable, amount)
        for vat, taxable, amount in totals.vat_groups
    }
    stated_keys = set()
    one_unit = Decimal(1)
    vat_total = totals.bt110
    for entry in stated.vat_breakdown:
        key = (entry.vat.category, entry.vat.percent)
        stated_keys.add(key)
        group = computed_groups.get(key)
        label = entry.vat.label
        if group is None:
            reader.problem(
                _CATEGORY_RULE[entry.vat.category],
                f"VAT {label}: the breakdown states {entry.taxable.amount} taxable, no line, "
                "allowance or charge has this VAT",
            )
            continue
        vat, taxable, amount = group
        if entry.taxable.amount != taxable:
            reader.problem(
                _CATEGORY_RULE[entry.vat.category],
                f"VAT {label} taxable amount (BT-116): the invoice states "
                f"{entry.taxable.amount}, the lines give {taxable}",
            )
        if entry.amount.amount != amount:
            if abs(entry.amount.amount - amount) <= one_unit and entry.taxable.amount == taxable:
                kept.append(StatedVat(vat=vat, amount=entry.amount))
                vat_total += entry.amount.amount - amount
            else:
                reader.problem(
                    "BR-CO-17",
                    f"VAT {label} amount (BT-117): the invoice states {entry.amount.amount}, "
                    f"{taxable} × {vat.percent} % gives {amount}",
                )
    for key, (vat, taxable, _amount) in computed_groups.items():
        if key not in stated_keys:
            reader.problem(
                "BR-CO-18" if not stated.vat_breakdown else _CATEGORY_RULE[vat.category],
                f"VAT {vat.label}: the lines give {taxable} taxable, the breakdown has no entry",
            )
    _differs(reader, "BR-CO-14", "VAT total (BT-110)", stated.vat_total, vat_total)
    bt112 = totals.bt109 + vat_total
    _differs(reader, "BR-CO-15", "total with VAT (BT-112)", stated.tax_inclusive_total, bt112)
    rounding = stated.rounding_amount.amount if stated.rounding_amount else Decimal(0)
    due = bt112 - totals.bt113 + rounding
    _differs(reader, "BR-CO-16", "amount due (BT-115)", stated.amount_due, due)
    return tuple(kept)


def _check_stated(reader: _Reader, stated: StatedTotals, *, minimum: bool) -> None:
    """The arithmetic of a header-only invoice, on its stated amounts alone.

    MINIMUM has no prepaid amount (BT-113): its BR-CO-16 cannot be checked without one.
    """

    def amount(value: Money | None) -> Decimal | None:
        return None if value is None else value.amount

    zero = Decimal(0)
    bt106, bt107, bt108 = (
        amount(stated.line_net_total),
        amount(stated.allowance_total),
        amount(stated.charge_total),
    )
    if bt106 is not None:
        _differs_stated(
            reader,
            "BR-CO-13",
            "total without VAT (BT-109)",
            stated.tax_exclusive_total,
            bt106 - (bt107 or zero) + (bt108 or zero),
        )
    doc = reader.raw
    allowances = [a for a in doc.adjustments if not a.is_charge]
    charges = [a for a in doc.adjustments if a.is_charge]
    if allowances:
        total = sum(
            (reader.money(a.amount, "BT-92") or Money(0, stated.currency) for a in allowances),
            Money(0, stated.currency),
        )
        _differs_stated(
            reader, "BR-CO-11", "sum of allowances (BT-107)", stated.allowance_total, total.amount
        )
    if charges:
        total = sum(
            (reader.money(a.amount, "BT-99") or Money(0, stated.currency) for a in charges),
            Money(0, stated.currency),
        )
        _differs_stated(
            reader, "BR-CO-12", "sum of charges (BT-108)", stated.charge_total, total.amount
        )
    if stated.vat_breakdown:
        group_total = sum((e.amount.amount for e in stated.vat_breakdown), zero)
        _differs_stated(reader, "BR-CO-14", "VAT total (BT-110)", stated.vat_total, group_total)
        for entry in stated.vat_breakdown:
            rate = entry.vat.rate
            expected = (entry.taxable.amount * rate).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
            if abs(entry.amount.amount - expected) > Decimal(1):
                reader.problem(
                    "BR-CO-17",
                    f"VAT {entry.vat.label} amount (BT-117): the invoice states "
                    f"{entry.amount.amount}, {entry.taxable.amount} × {entry.vat.percent} % "
                    f"gives {expected}",
                )
    bt109, bt110 = amount(stated.tax_exclusive_total), amount(stated.vat_total)
    if bt109 is not None:
        _differs_stated(
            reader,
            "BR-CO-15",
            "total with VAT (BT-112)",
            stated.tax_inclusive_total,
            bt109 + (bt110 or zero),
        )
    bt112 = amount(stated.tax_inclusive_total)
    if bt112 is not None and not (minimum and stated.prepaid_total is None):
        _differs_stated(
            reader,
            "BR-CO-16",
            "amount due (BT-115)",
            stated.amount_due,
            bt112
            - (amount(stated.prepaid_total) or zero)
            + (amount(stated.rounding_amount) or zero),
        )


def _differs_stated(
    reader: _Reader, rule: str, what: str, stated: Money | None, computed: Decimal
) -> None:
    _differs(reader, rule, what, stated, computed, source="its other stated amounts give")
