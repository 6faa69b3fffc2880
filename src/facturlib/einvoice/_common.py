"""What the CII and UBL writers share: profiles, the facts both formats write, formats.

The writers (`facturlib.einvoice.cii`, `facturlib.einvoice.ubl`) differ only in
element names and order. Everything they must agree on — which profile allows
what, the notes with their subject codes, the billing framework (BT-23), the
electronic addresses (BT-34/BT-49), the payment means (BG-16) and the refusal of
documents that cannot be an e-invoice — is decided here, once per document, in
`facts`.

.. versionadded:: 0.2
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

import attrs

from facturlib.core._codes import BILLING_FRAMEWORKS
from facturlib.core.documents import DeliverTo, Invoice, billing_framework, reporting_category
from facturlib.core.errors import EInvoiceError, RenderError
from facturlib.core.lines import Line, other_tax_amounts, reason_code_of
from facturlib.core.money import minor_units
from facturlib.core.parties import Party
from facturlib.core.payment_means import payment_means_of
from facturlib.core.vat import VatCategory
from facturlib.einvoice.checks import check
from facturlib.receivables.penalties import FR_REFERENCE_RATES, PenaltyPolicy, footer_mentions
from facturlib.receivables.terms import PaymentTerms, format_terms

__all__ = ["Facts", "Profile", "facts", "text_error"]


class Profile(enum.Enum):
    """The Factur-X 1.09 profiles and the French CTC profile (BT-24).

    The value is the name Factur-X uses (the XMP ``fx:ConformanceLevel``).
    """

    MINIMUM = "MINIMUM"
    BASIC_WL = "BASIC WL"
    BASIC = "BASIC"
    EN16931 = "EN 16931"
    EXTENDED = "EXTENDED"
    EXTENDED_CTC_FR = "EXTENDED-CTC-FR"

    @property
    def level(self) -> int:
        """0 MINIMUM, 1 BASIC WL, 2 BASIC, 3 EN 16931, 4 EXTENDED (and the French one)."""
        return _LEVELS[self]

    @property
    def guideline(self) -> str:
        """The specification identifier (BT-24)."""
        return _GUIDELINES[self]

    @property
    def admitted_in_france(self) -> bool:
        """Whether the French reform accepts this profile as the legal invoice.

        BASIC WL (first year only), EN 16931, EXTENDED and EXTENDED-CTC-FR; not
        MINIMUM nor BASIC (FNFE-MPE note on the profiles, V1.4.0).
        """
        return self in _ADMITTED

    @classmethod
    def of(cls, value: Profile | str) -> Profile:
        """The profile named *value*: ``"EN 16931"``, ``"en16931"``, ``"BASIC WL"``…"""
        if isinstance(value, Profile):
            return value
        if isinstance(value, str):
            key = value.replace(" ", "").replace("_", "").replace("-", "").upper()
            for profile in cls:
                if profile.value.replace(" ", "").replace("-", "").upper() == key:
                    return profile
        raise RenderError(
            "unknown e-invoice profile",
            field="profile",
            value=value,
            hint='use "MINIMUM", "BASIC WL", "BASIC", "EN 16931", "EXTENDED" or "EXTENDED-CTC-FR"',
        )


_LEVELS = {
    Profile.MINIMUM: 0,
    Profile.BASIC_WL: 1,
    Profile.BASIC: 2,
    Profile.EN16931: 3,
    Profile.EXTENDED: 4,
    Profile.EXTENDED_CTC_FR: 4,
}
_GUIDELINES = {
    Profile.MINIMUM: "urn:factur-x.eu:1p0:minimum",
    Profile.BASIC_WL: "urn:factur-x.eu:1p0:basicwl",
    Profile.BASIC: "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic",
    Profile.EN16931: "urn:cen.eu:en16931:2017",
    Profile.EXTENDED: "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended",
    Profile.EXTENDED_CTC_FR: (
        "urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr"
    ),
}
_ADMITTED = frozenset(
    {Profile.BASIC_WL, Profile.EN16931, Profile.EXTENDED, Profile.EXTENDED_CTC_FR}
)

#: The legal default of C. com. L441-10 II: the ECB refinancing rate + 10 points, €40.
LEGAL_PENALTIES = PenaltyPolicy(reference_rates=FR_REFERENCE_RATES)

_LANGS = ("fr", "en")
_NO_INDEMNITY = {
    "fr": "Indemnité forfaitaire pour frais de recouvrement : non applicable.",
    "en": "Fixed recovery compensation: not applicable.",
}


_NO_DUE_DATE = {
    "fr": "Pas d'échéance de paiement.",
    "en": "No payment due date.",
}


@attrs.frozen
class Means:
    """A payment means (BG-16) as both formats write it."""

    code: str
    text: str | None = None
    iban: str | None = None
    bic: str | None = None
    account_name: str | None = None
    debtor_iban: str | None = None
    card_pan: str | None = None
    card_holder: str | None = None


@attrs.frozen
class Facts:
    """What a writer needs beyond the document and its totals, decided once."""

    profile: Profile
    framework: str | None
    notes: tuple[tuple[str, str | None], ...]
    seller_endpoint: tuple[str, str] | None
    buyer_endpoint: tuple[str, str] | None
    means: tuple[Means, ...]
    mandate: str | None
    creditor_id: str | None
    remittance: str | None
    terms_text: str | None
    debits: bool
    seller_description: str | None
    deliver_to: DeliverTo | None
    project: str | None
    language: str


def _endpoint(party: Party) -> tuple[str, str] | None:
    """The electronic address (BT-34/BT-49) as (value, scheme), see `Party.endpoint`."""
    endpoint = party.endpoint
    return None if endpoint is None else (endpoint.value, endpoint.scheme)


def _means(invoice: Invoice) -> tuple[Means, ...]:
    return tuple(
        Means(
            code=m.code,
            text=m.text,
            iban=m.iban,
            bic=m.bic,
            account_name=m.account_name,
            debtor_iban=m.debtor_iban,
            card_pan=m.card_pan,
            card_holder=m.card_holder,
        )
        for m in payment_means_of(invoice)
    )


def _seller_description(party: Party) -> str | None:
    """BT-33, the seller's legal mentions: "SAS au capital de 10000 EUR, RCS Paris"."""
    parts = []
    if party.legal_form is not None:
        parts.append(party.legal_form)
    if party.capital is not None:
        amount = format(party.capital.amount, "f")
        parts.append(f"au capital de {amount} {party.capital.currency.code}")
    text = " ".join(parts)
    if party.registration is not None:
        text = f"{text}, {party.registration}" if text else party.registration
    return text or None


def facts(
    invoice: object,
    profile: Profile,
    *,
    terms: PaymentTerms | None,
    penalties: PenaltyPolicy | None,
    language: str,
    framework: str | None,
) -> Facts:
    """Decide what *invoice* says in *profile*, or refuse it with a `RenderError`."""
    if framework is not None and (
        not isinstance(framework, str) or framework.strip().upper() not in BILLING_FRAMEWORKS
    ):
        raise RenderError(
            "not an admitted billing framework (BT-23, BR-FR-08)",
            field="framework",
            value=framework,
            hint="use B1 S1 M1 B2 S2 M2 S3 B4 S4 M4 S5 S6 B7 S7 B8 S8 M8 B9 S9 M9, or None",
        )
    if not isinstance(invoice, Invoice):
        raise RenderError(
            f"expected an Invoice, got {type(invoice).__name__}",
            field="document",
            value=type(invoice).__name__,
            hint="e-invoices are written for invoices, credit notes and deposit invoices",
        )
    if invoice.number is None or invoice.issue_date is None:
        raise RenderError(
            "a draft is not an invoice: it has no number or issue date",
            field="number",
            value=invoice.number,
            hint="issue it first with facturlib.issue() (CGI ann. II 242 nonies A I-7°)",
        )
    if invoice.kind.code is None:
        raise RenderError(
            "a proforma is not an invoice and has no e-invoice form",
            field="kind",
            value=invoice.kind,
            hint="issue a real invoice",
        )
    if language not in _LANGS:
        raise RenderError(
            "the payment mentions are worded in French and English only",
            field="language",
            value=language,
            hint='pass language="fr" or "en"',
        )
    lang: Literal["fr", "en"] = "fr" if language == "fr" else "en"
    notes: list[tuple[str, str | None]] = [(note.text, note.subject) for note in invoice.notes]
    subjects = {subject for _, subject in notes}
    if profile.level >= 1:
        policy = penalties if penalties is not None else LEGAL_PENALTIES
        aab, pmd, *pmt = footer_mentions(policy, terms, lang=lang)
        # BR-FR-05/06: PMT, PMD and AAB once each, on every document type.
        for text, subject in (
            (pmt[0] if pmt else _NO_INDEMNITY[lang], "PMT"),
            (pmd, "PMD"),
            (aab, "AAB"),
        ):
            if subject not in subjects:
                notes.append((text, subject))
        if "BAR" not in subjects:
            notes.append((reporting_category(invoice), "BAR"))
    offered = payment_means_of(invoice)
    if len({m.code for m in offered}) > 1:
        raise RenderError(
            "an e-invoice states one payment means code, possibly for several accounts",
            field="payment_means",
            value=tuple(m.code for m in offered),
            hint="keep the means of one code (EN 16931 syntax rules CII-SR-467, UBL-SR-47)",
        )
    mandate = next((m.mandate for m in offered if m.mandate is not None), None)
    creditor_id = next((m.creditor_id for m in offered if m.creditor_id is not None), None)
    remittance = next((m.remittance for m in offered if m.remittance is not None), None)
    terms_text = invoice.payment_terms
    if terms_text is None and terms is not None:
        terms_text = format_terms(terms, lang=lang)
    if terms_text is None and invoice.due_date is None and invoice.totals().bt115 > 0:
        # A credit note has no due date; say so, as BR-CO-25 of the Factur-X
        # EXTENDED schematron wants BT-9 or BT-20 whenever BT-115 is positive.
        terms_text = _NO_DUE_DATE[lang]
    return Facts(
        profile=profile,
        framework=framework.strip().upper()
        if framework is not None
        else billing_framework(invoice),
        notes=tuple(notes),
        seller_endpoint=_endpoint(invoice.seller),
        buyer_endpoint=_endpoint(invoice.buyer),
        means=_means(invoice),
        mandate=mandate,
        creditor_id=creditor_id,
        remittance=remittance,
        terms_text=terms_text,
        debits=invoice.seller.vat_on_debits,
        seller_description=_seller_description(invoice.seller),
        deliver_to=invoice.deliver_to,
        project=invoice.project_reference,
        language=lang,
    )


def safe_name(document: Invoice) -> str:
    """The file name stem of *document*: its number, with anything but letters, digits,
    ``-``, ``_`` and ``.`` replaced (a number may hold ``/``, BR-FR-02)."""
    number = document.number or "draft"
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in number)


def preflight(
    document: object,
    profile: Profile,
    *,
    terms: PaymentTerms | None,
    penalties: PenaltyPolicy | None,
) -> None:
    """Refuse *document* when `facturlib.einvoice.check` finds fatal problems, listing
    them all in one `EInvoiceError`.

    The French rules are checked for the profiles France admits; MINIMUM and BASIC
    (not admitted as the legal invoice) against EN 16931 only. EXTENDED-CTC-FR is
    checked as EXTENDED.
    """
    rules = "FR" if profile.admitted_in_france else "EN16931"
    name = Profile.EXTENDED.value if profile is Profile.EXTENDED_CTC_FR else profile.value
    if not isinstance(document, Invoice):
        return  # facts() refuses it with a RenderError naming the type
    problems = check(document, name, rules, penalties=penalties, terms=terms)
    fatal = [problem for problem in problems if problem.fatal]
    if fatal:
        raise EInvoiceError(
            fatal,
            hint="fix the document, or build the renderer with allow_problems=True",
        )


# --------------------------------------------------------------------- lines

#: A line allowance or charge as written: (is_charge, amount, percent, base, reason, code).
LineAdjustment = tuple[bool, Decimal, Decimal | None, Decimal | None, str | None, str | None]

_MICRO = Decimal("0.000001")
_ROUNDING_REASON = {"fr": "Arrondi du prix TTC", "en": "VAT-inclusive price rounding"}
_DISCOUNT_REASON = {"fr": "Remise (prix TTC)", "en": "Discount (VAT-inclusive price)"}


def line_price(
    line: Line, net: Decimal, entry: Any, inclusive: bool, language: str
) -> tuple[Decimal, list[LineAdjustment]]:
    """The net unit price (BT-146) and the line allowances/charges (BG-27/BG-28) to write.

    With prices excluding VAT they are the line's own. With VAT-inclusive prices
    the price is the unit price without VAT (≤ 6 decimals, BR-FR-DEC-03) and
    whatever separates quantity × price from the reconciled net amount (the
    line's discounts and the rounding of the VAT-inclusive total)
    is one allowance or charge, so that BT-131 = BT-129 × BT-146 / BT-149 ±
    BG-27/BG-28 holds and the price is never negative (BR-27).
    """
    if not inclusive:
        adjustments: list[LineAdjustment] = []
        if entry is not None:
            _, before, allowances, charges = entry
            for discount, value in zip(line.discounts, allowances, strict=True):
                adjustments.append(
                    (
                        False,
                        value,
                        discount.percent,
                        before,
                        discount.reason,
                        reason_code_of(discount),
                    )
                )
            for surcharge, value in zip(line.charges, charges, strict=True):
                adjustments.append(
                    (
                        True,
                        value,
                        surcharge.percent,
                        before,
                        surcharge.reason,
                        surcharge.reason_code,
                    )
                )
        return line.unit_price.amount, adjustments
    price = (line.unit_price.amount / (1 + line.vat.rate)).quantize(_MICRO, ROUND_HALF_UP)
    exact = line.quantity * price / line.base_quantity
    cent = Decimal(1).scaleb(-minor_units(line.currency))
    difference = (net - exact).quantize(cent, ROUND_HALF_UP)
    if not difference:
        return price, []
    lang = "fr" if language == "fr" else "en"
    if difference < 0:
        reason = (_DISCOUNT_REASON if line.discounts else _ROUNDING_REASON)[lang]
        return price, [(False, -difference, None, None, reason, "95")]
    return price, [(True, difference, None, None, _ROUNDING_REASON[lang], "ZZZ")]


# --------------------------------------------------------------------- formatting


def line_notes(invoice: Invoice) -> tuple[str | None, ...]:
    """The note (BT-127) of each line: the comment lines placed before it (after the last
    line for those placed after every line), its own note, then a mention of each tax
    other than VAT its price includes ("dont Éco-participation : 10,00 EUR").

    EN 16931 has no line without amount (BG-25), and one note per line (BT-127), so
    comment lines and mentions are written there, one per text line.
    """
    lines = invoice.lines
    before: dict[str | None, list[str]] = {}
    for comment in invoice.comments:
        before.setdefault(comment.before, []).append(comment.text)
    notes: list[str | None] = []
    last = len(lines) - 1
    for index, line in enumerate(lines):
        parts = [*before.get(line.id, ())]
        if line.note is not None:
            parts.append(line.note)
        for tax, total in other_tax_amounts(line) if line.other_taxes else ():
            parts.append(
                f"dont {tax.name} : {total.amount:f} {total.currency.code}".replace(".", ",")
            )
        if index == last:
            parts += before.get(None, ())
        notes.append("\n".join(parts) if parts else None)
    return tuple(notes)


def amount(value: Decimal) -> str:
    """An amount as XML writes it: plain digits, no exponent (``"1440.00"``); a negative
    zero (0 % of a negative base) is written ``0.00``, which the schematrons expect."""
    text = format(value, "f")
    if text[0] == "-" and not value:
        return text[1:]
    return text


def percent(value: Decimal) -> str:
    """A rate or percentage without trailing zeros: ``"20"``, ``"5.5"``."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def last_day(end: date) -> date:
    """The inclusive end of a half-open period (EN 16931 periods include their end)."""
    return end - timedelta(days=1)


def is_out_of_scope(invoice: Invoice) -> bool:
    """Whether every VAT group is category O (no VAT ids then, BR-O-02…)."""
    return all(vat.category is VatCategory.O for vat, _, _ in invoice.totals().vat_groups)


# --------------------------------------------------------------------- hostile text


def _is_xml_char(ch: str) -> bool:
    code = ord(ch)
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _texts(value: object, path: str, depth: int = 0) -> Iterator[tuple[str, str]]:
    if depth > 6:
        return
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from _texts(item, f"{path}[{i}]", depth + 1)
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):  # type: ignore[arg-type]
            yield from _texts(getattr(value, field.name), f"{path}.{field.name}", depth + 1)


def text_error(invoice: object, exc: ValueError, extra: dict[str, object]) -> RenderError:
    """The `RenderError` for text XML 1.0 cannot hold (control characters, U+FFFE…).

    lxml refuses such text while building; this names the field it came from.
    """
    sources: list[tuple[str, object]] = [("document", invoice), *extra.items()]
    for name, source in sources:
        for path, text in _texts(source, name):
            for ch in text:
                if not _is_xml_char(ch):
                    return RenderError(
                        f"{path} holds the character U+{ord(ch):04X}, which XML 1.0 cannot carry",
                        field=path,
                        value=text[:80],
                        hint="remove control characters from the text before issuing the invoice",
                    )
    return RenderError(
        f"the document's text cannot be written as XML: {exc}",
        field="document",
        value=None,
        hint="remove control characters from the document's texts",
    )
