"""Factur-X 1.09: the invoice PDF, made PDF/A-3b, with its CII XML attached.

A Factur-X invoice is one file for both readers: a PDF/A-3 that people read,
carrying the UN/CEFACT CII D22B XML that software reads, attached as
``factur-x.xml`` (Factur-X 1.09 specification, §5 and §6; ZUGFeRD 2.5). It is
one of the three base formats of the French e-invoicing reform (CGI art. 289 bis;
XP Z12-012), with UBL 2.1 and bare CII.

`FacturXRenderer` renders both from the same document and the same settings —
the PDF with `facturlib.renderers.pdf.PdfRenderer`, the XML with
`facturlib.einvoice.cii.to_cii` — so the PDF and the XML always say the same
thing, then makes the PDF a PDF/A-3b (ISO 19005-3) with pikepdf:

* XMP metadata with ``pdfaid:part`` 3 and ``pdfaid:conformance`` B, the
  document information (title, seller, dates) and the Factur-X extension schema
  ``urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#`` (prefix ``fx``:
  ``DocumentType`` INVOICE, ``DocumentFileName`` factur-x.xml, ``Version`` 1.0,
  ``ConformanceLevel`` the profile);
* an sRGB output intent (``GTS_PDFA1``); every font is embedded already
  (DejaVu Sans); no transparency, JavaScript or annotation;
* ``factur-x.xml`` as an embedded file (``/Subtype /text#2Fxml``, ``/Params``
  with ``/ModDate`` and ``/Size``, ``/F`` and ``/UF``) listed in
  ``/Names /EmbeddedFiles`` and in the catalog ``/AF``, with the
  ``/AFRelationship`` of its profile: ``/Data`` for MINIMUM and BASIC WL (the
  XML holds less than the PDF), ``/Alternative`` for BASIC, EN 16931 and
  EXTENDED;
* a trailer ``/ID`` derived from the content and dates from the issue date, so
  the same document always gives the same bytes.

>>> from facturlib.testing.builders import sample_deposit_invoices
>>> _, final = sample_deposit_invoices()
>>> rendered = FacturXRenderer(profile="EN 16931").render(final)
>>> rendered.media_type, rendered.filename, rendered.content[:8]
('application/pdf', 'FA-2025-0001.pdf', b'%PDF-1.7')
>>> FacturXRenderer(profile="EN 16931").render(final).content == rendered.content
True

.. versionadded:: 0.2
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Final

from facturlib.core._codes import DocumentKind
from facturlib.core.documents import DocumentStatus, Invoice
from facturlib.core.errors import RenderError
from facturlib.renderers import RenderedDocument

if TYPE_CHECKING:
    from facturlib.einvoice._common import Profile
    from facturlib.receivables.penalties import PenaltyPolicy
    from facturlib.receivables.terms import PaymentTerms
    from facturlib.renderers._pdf_settings import PdfContext, PdfOptions

__all__ = ["FILENAME", "FacturXRenderer", "make_facturx"]

#: The name of the attached XML (Factur-X 1.09 §6.2.2).
FILENAME: Final = "factur-x.xml"

_NAMESPACE = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"

#: Profile (XMP conformance level) → /AFRelationship (Factur-X 1.09 §6.2.2).
_RELATIONSHIP: Final[Mapping[str, str]] = {
    "MINIMUM": "Data",
    "BASIC WL": "Data",
    "BASIC": "Alternative",
    "EN 16931": "Alternative",
    "EXTENDED": "Alternative",
}
_DESCRIPTION: Final = "Factur-X invoice (UN/CEFACT CII D22B)"


def _level_of(xml: bytes) -> str:
    """The profile the XML declares in BT-24, by its Factur-X name (``"EN 16931"``)."""
    from facturlib.einvoice._common import Profile

    # Through import_module: lxml ships no type information (mypy sees Any either way).
    etree: Any = importlib.import_module("lxml.etree")

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as error:
        raise RenderError(
            "the Factur-X XML is not well-formed", field="xml", value=str(error)
        ) from None
    found = root.findtext(
        "{*}ExchangedDocumentContext/{*}GuidelineSpecifiedDocumentContextParameter/{*}ID"
    )
    for profile in Profile:
        if profile.guideline == (found or "").strip() and profile.value in _RELATIONSHIP:
            return profile.value
    raise RenderError(
        "the XML declares no Factur-X profile",
        field="xml",
        value=found,
        hint="BT-24 must be the id of MINIMUM, BASIC WL, BASIC, EN 16931 or EXTENDED "
        "(Factur-X 1.09 §7.2.1)",
    )


def make_facturx(pdf: bytes, xml: bytes, *, on: date | None = None) -> bytes:
    """*pdf* as PDF/A-3b with *xml* attached as ``factur-x.xml`` (Factur-X 1.09 §6).

    The profile — the XMP ``fx:ConformanceLevel`` and the ``/AFRelationship`` —
    is read from the XML's BT-24, so the two cannot disagree.

    Args:
        pdf: the invoice PDF (not necessarily PDF/A).
        xml: its CII D22B XML in a Factur-X profile.
        on: the creation, modification and attachment date; default: the PDF's
            Info dictionary's.

    Returns:
        The Factur-X PDF bytes, the same for the same arguments.

    Raises:
        RenderError: an argument of the wrong type, *xml* not well-formed or
            declaring no Factur-X profile, or *pdf* using what PDF/A-3 forbids.

    >>> from facturlib.einvoice.cii import to_cii
    >>> from facturlib.renderers.pdf import PdfRenderer
    >>> from facturlib.testing.builders import sample_deposit_invoices
    >>> _, final = sample_deposit_invoices()
    >>> pdf = PdfRenderer().render(final).content
    >>> made = make_facturx(pdf, to_cii(final, "BASIC WL"), on=final.issue_date)
    >>> made[:8], b"/AFRelationship /Data" in made
    (b'%PDF-1.7', True)

    .. versionadded:: 0.2
    """
    for name, value in (("pdf", pdf), ("xml", xml)):
        if not isinstance(value, bytes):
            raise RenderError(
                f"{name} must be bytes, not {type(value).__name__}",
                field=name,
                value=type(value).__name__,
                hint=f"pass the content of the {name.upper()} file (e.g. Path(...).read_bytes())",
            )
    if on is not None and not isinstance(on, date):
        raise RenderError(
            f"on must be a date, not {type(on).__name__}",
            field="on",
            value=on,
            hint="pass a datetime.date, e.g. the invoice's issue_date",
        )
    if isinstance(on, datetime):
        on = on.date()
    return _package(pdf, xml, _level_of(xml), on=on, check=True)


def _package(pdf: bytes, xml: bytes, level: str, *, on: date | None, check: bool) -> bytes:
    """*pdf* as PDF/A-3b with *xml*, of profile *level*, attached as ``factur-x.xml``."""
    from facturlib.einvoice._pdfa import Attachment, ExtensionSchema, pdfa3

    schema = ExtensionSchema(
        namespace=_NAMESPACE,
        prefix="fx",
        name="Factur-X PDFA Extension Schema",
        properties=(
            ("DocumentFileName", "The name of the embedded XML document", FILENAME),
            (
                "DocumentType",
                "The type of the hybrid document in capital letters, e.g. INVOICE or ORDER",
                "INVOICE",
            ),
            ("Version", "The actual version of the standard applying to the XML document", "1.0"),
            ("ConformanceLevel", "The conformance level of the embedded XML document", level),
        ),
    )
    attachment = Attachment(
        name=FILENAME,
        content=xml,
        mime_type="text/xml",
        relationship=_RELATIONSHIP[level],
        description=_DESCRIPTION,
        modified=on or date(2000, 1, 1),
    )
    return pdfa3(pdf, attachments=(attachment,), extensions=(schema,), on=on, check=check)


class FacturXRenderer:
    """Renders issued invoices as Factur-X PDFs (`facturlib.renderers.Renderer`).

    Args:
        profile: the Factur-X profile: ``"MINIMUM"``, ``"BASIC WL"``, ``"BASIC"``,
            ``"EN 16931"`` (default) or ``"EXTENDED"``. France admits BASIC WL (the
            first year), EN 16931 and EXTENDED as the legal invoice.
        locale, language, labels, logo, options, context, date_format: the settings
            of `facturlib.renderers.pdf.PdfRenderer`.
        terms: the payment terms: printed on the PDF (`PdfContext.for_invoice`) and
            written in the XML (BT-20, the ``AAB`` note).
        penalties: the late-payment policy: printed on the PDF and written in the
            ``PMD``/``PMT`` notes; by default the legal one (ECB rate + 10 points
            and €40, C. com. L441-10 II, D441-5), on both.
        framework: the billing framework BT-23 when not the derived one.
        check: run the pre-flight check (`facturlib.einvoice.checks.check`, with the
            French rules for the profiles France admits) first and refuse a document
            with fatal problems, listing them all (default ``True``).
        allow_problems: write even when the pre-flight finds problems.

    Raises:
        RenderError: an unknown profile, EXTENDED-CTC-FR (a bare-CII profile that
            Factur-X does not carry), or a setting `PdfRenderer` refuses.

    .. versionadded:: 0.2
    """

    __slots__ = (
        "_check",
        "_cii",
        "_context_language",
        "_pdf",
        "_penalties",
        "_terms",
        "profile",
    )

    def __init__(
        self,
        profile: Profile | str = "EN 16931",
        *,
        locale: str = "fr_FR",
        language: str | None = None,
        labels: Mapping[str, str] | None = None,
        logo: bytes | None = None,
        options: PdfOptions | None = None,
        context: PdfContext | None = None,
        date_format: str | None = None,
        terms: PaymentTerms | None = None,
        penalties: PenaltyPolicy | None = None,
        framework: str | None = None,
        check: bool = True,
        allow_problems: bool = False,
    ) -> None:
        from facturlib.einvoice._common import LEGAL_PENALTIES, Profile
        from facturlib.einvoice.cii import CiiRenderer
        from facturlib.renderers.pdf import PdfRenderer

        chosen = Profile.of(profile)
        if chosen.value not in _RELATIONSHIP:
            raise RenderError(
                "this profile cannot be carried in a Factur-X PDF",
                field="profile",
                value=chosen.value,
                hint="EXTENDED-CTC-FR is for bare CII; a French Factur-X EXTENDED invoice "
                'declares the Factur-X EXTENDED profile: use profile="EXTENDED"',
            )
        settings: dict[str, Any] = {"date_format": date_format} if date_format else {}
        self._pdf = PdfRenderer(
            locale=locale,
            language=language,
            labels=labels,
            watermark=None,
            logo=logo,
            options=options,
            context=context,
            **settings,
        )
        # The payment texts of the PDF come in French or English, as the XML notes.
        self._context_language = "fr" if locale.lower().startswith("fr") else "en"
        # The pre-flight check runs here, once, on fatal problems only (see render).
        self._cii = CiiRenderer(
            chosen,
            terms=terms,
            penalties=penalties,
            language=self._context_language,
            framework=framework,
            check=False,
        )
        self._check = check and not allow_problems
        self.profile = chosen
        self._terms = terms
        self._penalties = penalties if penalties is not None else LEGAL_PENALTIES

    def render(
        self, document: Invoice, /, *, context: PdfContext | None = None
    ) -> RenderedDocument:
        """Render *document* as a Factur-X PDF.

        Args:
            document: an issued `facturlib.Invoice`: invoice (380), credit note
                (381), corrective (384) or deposit invoice (386).
            context: a `PdfContext` for this document, over the renderer's and the
                one made from *terms* and *penalties*.

        Returns:
            The PDF/A-3b bytes, ``application/pdf``, named after the invoice number.

        Raises:
            RenderError: a draft, a proforma or a document that is not an invoice,
                or a document the XML writer refuses.
            EInvoiceError: the pre-flight check found problems (all are listed),
                unless *allow_problems*.
        """
        from facturlib.renderers._pdf_settings import PdfContext

        if not isinstance(document, Invoice):
            raise RenderError(
                f"cannot render a {type(document).__name__} as Factur-X",
                field="document",
                value=type(document).__name__,
                hint="pass an issued Invoice (a quote, an order or a letter is no e-invoice)",
            )
        if document.status is DocumentStatus.DRAFT or document.kind is DocumentKind.PROFORMA:
            raise RenderError(
                "only an issued invoice can be a Factur-X invoice",
                field="document",
                value=document.number or document.kind.name.lower(),
                hint="issue the draft first (facturlib.issue); a proforma is not an invoice "
                "and has no e-invoice (render it with PdfRenderer)",
            )
        if self._check:
            self._preflight(document)
        xml = self._cii.render(document).content
        payment = PdfContext.for_invoice(
            document,
            terms=self._terms,
            penalties=self._penalties,
            language=self._context_language,
        )
        pdf = self._pdf.render(document, context=payment.merged(context))
        # Trusted inputs: the XML is to_cii's for self.profile, and PdfRenderer's PDF has
        # nothing PDF/A-3 forbids (every text in embedded DejaVu Sans, opaque colours, no
        # action or annotation; the test suite checks its output with pdfa.py and
        # pikepdf's PDF/A validator), so neither is parsed again for checks.
        content = _package(
            pdf.content, xml, self.profile.value, on=document.issue_date, check=False
        )
        return RenderedDocument(
            content=content, media_type="application/pdf", filename=pdf.filename
        )

    def _preflight(self, document: Invoice) -> None:
        """Raise `EInvoiceError` listing the fatal problems of the pre-flight check.

        The French rules (BR-FR) apply to the profiles France admits (BASIC WL,
        EN 16931, EXTENDED); MINIMUM and BASIC are checked against EN 16931 only.
        """
        from facturlib.core.errors import EInvoiceError
        from facturlib.einvoice.checks import check

        rules = "FR" if self.profile.admitted_in_france else "EN16931"
        problems = check(
            document, self.profile.value, rules, penalties=self._penalties, terms=self._terms
        )
        fatal = [problem for problem in problems if problem.fatal]
        if fatal:
            raise EInvoiceError(
                fatal,
                hint="fix the document, or pass allow_problems=True to write it anyway",
            )
