"""Pre-flight checks of an e-invoice, in pure Python, before any XML is written.

`check` lists what would make the e-invoice of a document invalid: the rules of
EN 16931-1 (CEN validation artefacts 1.3.16) and, with ``rules="FR"``, the French
rules of the e-invoicing reform (FNFE-MPE "BR-FR" Flux 2 rules 1.4.0.04,
XP Z12-012) that a facturlib document can break. Each finding is a
`facturlib.core.errors.Problem` whose ``rule`` is the official rule id
(``"BR-CO-26"``, ``"BR-FR-10"``) and whose ``code`` is the id the official
Schematron reports (``"BR-FR-10_BT-30"``: the rule and the business term; the
same as ``rule`` for EN 16931). `check` never raises on an invalid document: it
returns every problem at once, for an issued invoice, a draft or plain data
(``to_dict`` form) that does not even build — there, what a constructor would
refuse is reported under its rule too (a standard-rated VAT rate with an
exemption reason is a ``BR-S-10`` problem). `check_invoice_number` checks an
invoice number alone (BR-FR-01, BR-FR-02).

Only rules that can fail on a facturlib document are checked here; the others
hold by construction (every total of ``totals()`` adds up, BR-CO-10…16; every
line has an id, a quantity, a unit, a price and a VAT category, BR-21…27 and
BR-CO-04; every party has a name and a country, BR-06…11; every allowance and
charge has a reason code, BR-33/BR-38, through
`facturlib.core.lines.reason_code_of`) or are left to the writers and the
official validators (XML syntax and schema, code lists written by the writers,
BR-CO-25 — the writers state "no due date" as BT-20 when there is none —,
BR-O-02 on a wholly out-of-scope invoice — the writers leave its VAT identifiers
out —, BR-FR-05 — the writers add the PMT, PMD and AAB notes from the penalty policy,
the legal one by default —).

Rules covered (EN 16931):

* BR-02, BR-03 (a draft has no number or issue date: reported, not fatal);
  BR-04 (a proforma is not an invoice); BR-16 (no line, plain data);
* BR-27 (negative price), BR-50/BR-61 (credit transfer without IBAN), BR-CO-09
  (VAT id prefix), BR-CL-16 (payment means code), BR-CL-18 (VAT category) — plain
  data that a constructor refuses;
* BR-CO-17 (VAT amount per rate, ±1 tolerance), BR-CO-26 (a seller identifier);
  CII-SR-467 / UBL-SR-47 (one payment means code per e-invoice);
* BR-S-02/03/04, BR-Z-02/03/04, BR-E-02/03/04, BR-AE-02/03/04, BR-IC-02/03/04,
  BR-G-02/03/04 (the VAT ids each category needs), BR-IC-11 (delivery date or
  period), BR-IC-12 (deliver-to country), BR-O-11…14 (out of scope mixed with
  other categories) and BR-O-02 (then the VAT ids the writers keep);
* BR-S-05…07, BR-S-09, BR-S-10; BR-Z-05…07, BR-Z-10; BR-E-05…07, BR-E-10;
  BR-AE-05…07, BR-AE-10; BR-IC-05…07, BR-IC-10; BR-G-05…07, BR-G-10; BR-O-05…07,
  BR-O-10 (rates and exemption reasons, plain data);
* BR-DEC-01, 02, 05, 06, 09…20, 23, 24, 25, 27, 28 (amounts with more than two
  decimals: currencies with three decimals).

Rules covered (French, ``rules="FR"``):

* BR-FR-01, BR-FR-02 (number and preceding numbers: ≤ 35 characters of
  ``A-Za-z0-9+-_/``), BR-FR-03 (dates in 2000–2099), BR-FR-04 (document type),
  BR-FR-05 (MINIMUM carries no notes), BR-FR-06 (PMT, PMD, AAB, TXD notes at
  most once), BR-FR-08 (BT-23), BR-FR-09 (SIRET starts with the SIREN, plain data),
  BR-FR-10 (seller SIREN), BR-FR-11 (buyer SIREN in B2B), BR-FR-12, BR-FR-13
  (electronic addresses; MINIMUM carries none), BR-FR-15 (VAT categories),
  BR-FR-16 (French VAT rates),
  BR-FR-20 and BR-FR-31 (the BAR note), BR-FR-21 (a B2B buyer's address starts
  with its SIREN, scheme 0225), BR-FR-23, BR-FR-25 (address characters and
  length);
* BR-FR-CO-04 (a corrective invoice cites exactly one invoice, with its date),
  BR-FR-CO-05 (a credit note cites the invoice), BR-FR-CO-07 (due date not before
  the issue date), BR-FR-CO-08 (no "final after deposit" framework on a deposit
  invoice), BR-FR-CO-09 (an "already paid" framework needs BT-113 = BT-112,
  BT-115 = 0 and a due date), BR-FR-CO-12 (a non-euro invoice states its VAT in
  euros);
* BR-FR-DEC-01 (amounts), BR-FR-DEC-04 (VAT rates with at most 2 decimals);
* FR-PROFILE: the reform does not admit the MINIMUM and BASIC profiles (the
  check ``FR-PROFILE`` of the validators).

>>> from facturlib.testing.builders import sample_invoice, sample_seller
>>> check(sample_invoice(issue_date=None))
(Problem(code='BR-02', ..., rule='BR-02', fatal=False), Problem(code='BR-03', ...))
>>> [p.code for p in check(sample_invoice(seller=sample_seller(siren=None, vat_id=None)))
...  if p.fatal]
['BR-CO-26', 'BR-S-02', 'BR-FR-10_BT-30', 'BR-FR-13_BT-34']
>>> check_invoice_number("FA 2025/001")
(Problem(code='BR-FR-02_BT-1', ...),)

.. versionadded:: 0.2
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from facturlib.core._codes import (
    BILLING_FRAMEWORKS,
    FR_DOCUMENT_TYPES,
    REPORTING_CATEGORIES,
)
from facturlib.core.documents import (
    DocumentStatus,
    Invoice,
    billing_framework,
    reporting_category,
)
from facturlib.core.errors import FacturlibError, InvalidValue, Problem
from facturlib.core.money import minor_units
from facturlib.core.payment_means import payment_means_of
from facturlib.core.serialize import from_dict
from facturlib.core.vat import VatCategory, VatRate
from facturlib.receivables.penalties import PenaltyPolicy
from facturlib.receivables.terms import PaymentTerms

__all__ = ["PROFILES", "RULE_SETS", "check", "check_invoice_number"]

#: The Factur-X profiles a document can be checked for.
PROFILES = ("MINIMUM", "BASIC WL", "BASIC", "EN 16931", "EXTENDED")
#: ``"FR"``: EN 16931 and the French rules; ``"EN16931"``: EN 16931 only.
RULE_SETS = ("FR", "EN16931")

_NUMBER = re.compile(r"^[A-Za-z0-9+\-_/]+$")
_FR_ADDRESS = re.compile(r"^[A-Za-z0-9+\-_.]+$")
#: BR-FR-16: the VAT rates in force in France (mainland, Corsica, overseas departments).
_FR_RATES = frozenset(
    Decimal(r)
    for r in (
        "0",
        "10",
        "13",
        "20",
        "8.5",
        "19.6",
        "2.1",
        "5.5",
        "7",
        "20.6",
        "1.05",
        "0.9",
        "1.75",
        "9.2",
        "9.6",
    )
)
_FR_CATEGORIES = frozenset(
    {
        VatCategory.S,
        VatCategory.E,
        VatCategory.AE,
        VatCategory.K,
        VatCategory.G,
        VatCategory.O,
        VatCategory.Z,
    }
)
_RULE_PREFIX = {VatCategory.K: "IC", VatCategory.L: "IG", VatCategory.M: "IP"}
#: The categories whose invoices need the seller's VAT id (BR-x-02/03/04).
_NEEDS_SELLER_VAT = (
    VatCategory.S,
    VatCategory.Z,
    VatCategory.E,
    VatCategory.AE,
    VatCategory.K,
    VatCategory.G,
    VatCategory.L,
    VatCategory.M,
)
_ONE_NOTE_SUBJECTS = ("PMT", "PMD", "AAB", "TXD")
_RULE_IN_TEXT = re.compile(r"\bBR-(?:[A-Z]{1,3}-)*\d{2}\b")


def _prefix(category: VatCategory) -> str:
    return "BR-" + _RULE_PREFIX.get(category, category.value)


class _Found:
    """Collects problems; keeps the first of each (code, message)."""

    def __init__(self, reference: str | None) -> None:
        self.reference = reference
        self.items: list[Problem] = []
        self._seen: set[tuple[str, str]] = set()

    def add(self, rule: str, message: str, *, code: str | None = None, fatal: bool = True) -> None:
        key = (code or rule, message)
        if key in self._seen:
            return
        self._seen.add(key)
        self.items.append(
            Problem(
                code=code or rule,
                message=message,
                reference=self.reference,
                rule=rule,
                fatal=fatal,
            )
        )


# ----------------------------------------------------------------------- public


def check(
    document: Invoice | Mapping[str, Any],
    profile: str = "EN 16931",
    rules: str = "FR",
    *,
    penalties: PenaltyPolicy | None = None,
    terms: PaymentTerms | None = None,
) -> tuple[Problem, ...]:
    """The problems that would make *document*'s e-invoice invalid.

    Args:
        document: an `Invoice` (credit note, deposit, corrective…), issued or draft,
            or its plain data (`facturlib.core.serialize.to_dict` form), which may not
            even build: then what a constructor refuses is reported under its rule.
        profile: the Factur-X profile: ``"MINIMUM"``, ``"BASIC WL"``, ``"BASIC"``,
            ``"EN 16931"`` (default) or ``"EXTENDED"``. MINIMUM carries no lines nor
            VAT breakdown and BASIC WL no lines: their rules are skipped.
        rules: ``"FR"`` (default) for EN 16931 and the French rules (BR-FR),
            ``"EN16931"`` for EN 16931 only.
        penalties: the late-payment penalty policy the writers word the PMT and PMD
            notes from (the legal one when omitted); accepted for symmetry with the
            writers, it changes no rule.
        terms: the payment terms the writers word BT-20 and the AAB note from.

    Returns:
        The problems, in the order of the rules above; empty when the document can
        be sent. A problem with ``fatal=False`` is advice (a draft has no number
        yet).

    Raises:
        InvalidValue: *document* is not an invoice nor a mapping, or *profile* or
            *rules* is not one of the values above. An invalid document never raises.

    .. versionadded:: 0.2
    """
    level = _profile_level(profile)
    if rules not in RULE_SETS:
        raise InvalidValue(
            "unknown rule set", field="rules", value=rules, hint='use "FR" or "EN16931"'
        )
    for name, value, kind in (
        ("penalties", penalties, PenaltyPolicy),
        ("terms", terms, PaymentTerms),
    ):
        if value is not None and not isinstance(value, kind):
            raise InvalidValue(
                f"expected a {kind.__name__}",
                field=name,
                value=value,
                hint=f"pass a facturlib.{kind.__name__} or None",
            )
    french = rules == "FR"
    if isinstance(document, Invoice):
        found = _Found(document.number)
        _check_invoice(document, found, level, french)
        return tuple(found.items)
    if isinstance(document, Mapping):
        return _check_plain(document, level, french)
    raise InvalidValue(
        f"expected an Invoice or its plain data, got {type(document).__name__}",
        field="document",
        value=document,
        hint="pass a facturlib.Invoice (credit notes and deposits are invoices too)",
    )


def check_invoice_number(number: str) -> tuple[Problem, ...]:
    """The problems of an invoice number under the French rules (BT-1): at most 35
    characters (BR-FR-01) of ``A-Za-z0-9+-_/``, without spaces (BR-FR-02).

    >>> check_invoice_number("FA-2025-0001")
    ()
    >>> [p.rule for p in check_invoice_number("F" * 36)]
    ['BR-FR-01']

    Raises:
        InvalidValue: *number* is not a string.

    .. versionadded:: 0.2
    """
    if not isinstance(number, str):
        raise InvalidValue(
            f"expected a str, got {type(number).__name__}",
            field="number",
            value=number,
            hint="pass the invoice number as text",
        )
    found = _Found(number)
    _check_number(found, number, "BT-1", "the invoice number")
    return tuple(found.items)


# ----------------------------------------------------------------------- helpers


def _profile_level(profile: object) -> int:
    if isinstance(profile, str):
        key = profile.replace(" ", "").replace("_", "").upper()
        for level, name in enumerate(PROFILES):
            if name.replace(" ", "").upper() == key:
                return level
    raise InvalidValue(
        "unknown e-invoice profile",
        field="profile",
        value=profile,
        hint='use "MINIMUM", "BASIC WL", "BASIC", "EN 16931" or "EXTENDED"',
    )


def _check_number(found: _Found, number: str, term: str, what: str) -> None:
    if len(number) > 35:
        found.add(
            "BR-FR-01",
            f"{what} {number!r} has {len(number)} characters; at most 35 are allowed",
            code=f"BR-FR-01_{term}",
        )
    if not _NUMBER.match(number):
        found.add(
            "BR-FR-02",
            f"{what} {number!r} may hold only letters, digits and + - _ / (no spaces)",
            code=f"BR-FR-02_{term}",
        )


def _check_date(found: _Found, day: date | None, term: str, what: str) -> None:
    if day is not None and not 2000 <= day.year <= 2099:
        found.add(
            "BR-FR-03",
            f"{what} {day.isoformat()} is not in the years 2000 to 2099",
            code=f"BR-FR-03_{term}",
        )


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _digits(value: Decimal) -> int:
    return len(value.as_tuple().digits)


# ----------------------------------------------------------------------- invoices


def _check_invoice(invoice: Invoice, found: _Found, level: int, french: bool) -> None:
    totals = invoice.totals()
    lines_too = level >= 2  # BASIC and above carry lines
    breakdown_too = level >= 1  # BASIC WL and above carry the VAT breakdown
    draft = invoice.status is DocumentStatus.DRAFT

    # BR-02, BR-03, BR-04 ------------------------------------------------------------
    if invoice.number is None:
        found.add(
            "BR-02",
            "the invoice has no number (BT-1): a draft gets one when issued",
            fatal=not draft,
        )
    if invoice.issue_date is None:
        found.add(
            "BR-03",
            "the invoice has no issue date (BT-2): a draft gets one when issued",
            fatal=not draft,
        )
    if invoice.kind.code is None:
        found.add("BR-04", "a proforma is not an invoice and has no document type code (BT-3)")
        if french:
            found.add(
                "BR-FR-04",
                "a proforma has no document type code of the French list",
                code="BR-FR-04_BT-3",
            )
    elif french and invoice.kind.code not in FR_DOCUMENT_TYPES:  # pragma: no cover - all are
        found.add(
            "BR-FR-04", f"type code {invoice.kind.code} is not admitted", code="BR-FR-04_BT-3"
        )

    seller, buyer = invoice.seller, invoice.buyer

    # BR-CO-26: the seller is identified ----------------------------------------------
    if seller.legal_id is None and seller.vat_id is None and seller.id is None:
        found.add(
            "BR-CO-26",
            "the seller has no identifier: give its SIREN (BT-30), its VAT id (BT-31) or an "
            "identifier (BT-29)",
        )

    # VAT categories ---------------------------------------------------------------------
    line_categories = {line.vat.category for line in invoice.lines}
    allowance_categories = {a.vat.category for a in totals.allowances}
    charge_categories = {c.vat.category for c in totals.charges}
    group_categories = {vat.category for vat, _, _ in totals.vat_groups}
    if breakdown_too:
        for category in _NEEDS_SELLER_VAT:
            prefix = _prefix(category)
            for suffix, used, where in (
                ("02", line_categories, "a line"),
                ("03", allowance_categories, "a document allowance"),
                ("04", charge_categories, "a document charge"),
            ):
                if category not in used or (suffix == "02" and not lines_too):
                    continue
                if seller.vat_id is None:
                    found.add(
                        f"{prefix}-{suffix}",
                        f"{where} has VAT category {category.value}: the seller's VAT id "
                        "(BT-31) is required",
                    )
                if category is VatCategory.AE and buyer.vat_id is None and buyer.legal_id is None:
                    found.add(
                        f"{prefix}-{suffix}",
                        f"{where} is reverse-charged (AE): the buyer's VAT id (BT-48) or legal "
                        "registration id (BT-47) is required",
                    )
                if category is VatCategory.K and buyer.vat_id is None:
                    found.add(
                        f"{prefix}-{suffix}",
                        f"{where} is an intra-EU supply (K): the buyer's VAT id (BT-48) is "
                        "required",
                    )
        if VatCategory.K in group_categories:
            if invoice.delivery_date is None and invoice.period is None:
                found.add(
                    "BR-IC-11",
                    "an intra-EU supply (K) needs the actual delivery date (BT-72) or the "
                    "invoicing period (BG-14)",
                )
            if invoice.deliver_to is None:
                found.add(
                    "BR-IC-12",
                    "an intra-EU supply (K) needs the deliver-to country (BT-80): give "
                    "deliver_to=DeliverTo(address)",
                )
        if VatCategory.O in group_categories and len(group_categories) > 1:
            others = sorted(c.value for c in group_categories - {VatCategory.O})
            found.add(
                "BR-O-11",
                "an invoice outside the scope of VAT (O) must not have other VAT categories "
                f"({', '.join(others)}); invoice them separately",
            )
            for rule, used, where in (
                ("BR-O-12", line_categories, "lines"),
                ("BR-O-13", allowance_categories, "document allowances"),
                ("BR-O-14", charge_categories, "document charges"),
            ):
                if used - {VatCategory.O}:
                    found.add(
                        rule,
                        f"an invoice outside the scope of VAT (O) has {where} with another "
                        "VAT category",
                    )
            # The writers leave the VAT ids out of an invoice that is wholly out of
            # scope; a mixed one keeps them, which BR-O-02 forbids.
            if VatCategory.O in line_categories and (seller.vat_id or buyer.vat_id):
                found.add(
                    "BR-O-02",
                    "an invoice with a line outside the scope of VAT (O) states no VAT id "
                    "(BT-31, BT-48)",
                )
        # BR-CO-17 and BR-x-09: the VAT amount of each group, within one unit.
        for vat, taxable, amount in totals.vat_groups:
            rate = vat.percent or Decimal(0)
            expected = (abs(taxable) * rate / 100).quantize(Decimal("0.01"))
            if abs(abs(amount) - expected) > 1 or (rate == 0 and amount != 0):
                found.add(
                    "BR-CO-17",
                    f"the VAT of {vat.label} is {amount}, not {taxable} × {rate} % = {expected} "
                    "(±1)",
                )
                if vat.category is VatCategory.S:
                    found.add("BR-S-09", f"the VAT of {vat.label} is {amount}, expected {expected}")

    # One payment means code per e-invoice (CII-SR-467, UBL-SR-47) ---------------------
    codes = sorted({means.code for means in payment_means_of(invoice)})
    if len(codes) > 1:
        found.add(
            "CII-SR-467",
            f"an e-invoice states one payment means code, here {', '.join(codes)} (CII-SR-467, "
            "UBL-SR-47): keep the means of one code",
        )

    # Decimals (BR-DEC-*, BR-FR-DEC-01) -----------------------------------------------
    if minor_units(invoice.currency) > 2:
        _check_decimals(invoice, found, lines_too, french)

    if not french:
        return

    # ----------------------------------------------------------------- French rules
    if level == 0:
        found.add(
            "FR-PROFILE",
            "the French e-invoicing reform does not admit the MINIMUM profile as an invoice",
        )
        for rule, term, role in (("BR-FR-12", "BT-49", "buyer"), ("BR-FR-13", "BT-34", "seller")):
            found.add(
                rule,
                f"the MINIMUM profile carries no electronic address of the {role} ({term})",
                code=f"{rule}_{term}",
            )
        for subject in ("PMT", "PMD", "AAB"):
            found.add(
                "BR-FR-05",
                f"the MINIMUM profile carries no notes: the {subject} note is missing",
                code=f"BR-FR-05_BT-22_{subject}",
            )
    elif level == 2:
        found.add(
            "FR-PROFILE",
            "the French e-invoicing reform does not admit the BASIC profile as an invoice",
        )
    if invoice.number is not None:
        _check_number(found, invoice.number, "BT-1", "the invoice number")
    for reference in invoice.preceding:
        _check_number(found, reference.number, "BT-25", "the preceding invoice number")
    _check_date(found, invoice.issue_date, "BT-2", "the issue date")
    _check_date(found, invoice.due_date, "BT-9", "the due date")
    _check_date(found, invoice.delivery_date, "BT-72", "the delivery date")
    if invoice.period is not None:
        _check_date(found, invoice.period.start, "BT-73", "the period start")
        _check_date(found, invoice.period.last_day, "BT-74", "the period end")
    for reference in invoice.preceding:
        _check_date(found, reference.issue_date, "BT-26", "the preceding invoice date")
    if lines_too:
        for line in invoice.lines:
            if line.period is not None:
                _check_date(found, line.period.start, "EXT-FR-FE-134", "a line period start")
                _check_date(found, line.period.last_day, "EXT-FR-FE-135", "a line period end")

    # Notes: BR-FR-06, BR-FR-20, BR-FR-31
    subjects = [note.subject for note in invoice.notes]
    for subject in _ONE_NOTE_SUBJECTS:
        if subjects.count(subject) > 1:
            found.add(
                "BR-FR-06",
                f"the {subject} note appears {subjects.count(subject)} times; once at most",
                code=f"BR-FR-06_BT-21_{subject}",
            )
    bars = [note.text.strip() for note in invoice.notes if note.subject == "BAR"]
    for text in bars:
        if text not in REPORTING_CATEGORIES:
            found.add(
                "BR-FR-20",
                f"the BAR note says {text!r}; use B2B, B2BINT, B2C, B2CINT, OUTOFSCOPE or "
                "ARCHIVEONLY (or set Invoice.reporting_category)",
                code="BR-FR-20_BT-21",
            )
    if len(bars) > 1:
        found.add("BR-FR-31", "only one BAR note is allowed", code="BR-FR-31_BT-21")
    treatment = bars[0] if bars else reporting_category(invoice)

    # BT-23 and its coherence: BR-FR-08, BR-FR-CO-07/08/09
    framework = billing_framework(invoice)
    if framework not in BILLING_FRAMEWORKS:  # pragma: no cover - refused by Invoice
        found.add("BR-FR-08", f"BT-23 {framework!r} is not admitted", code="BR-FR-08_BT-23")
    kind_code = invoice.kind.code or ""
    if framework[1:] == "4" and kind_code in ("386", "500", "503"):
        found.add(
            "BR-FR-CO-08",
            f"a deposit invoice cannot have the framework {framework} (final invoice after "
            "deposits)",
            code="BR-FR-CO-08_BT-23",
        )
    if framework[1:] == "2":
        if totals.bt113 != totals.bt112:
            found.add(
                "BR-FR-CO-09",
                f"the framework {framework} says the invoice is already paid, but the paid "
                f"amount (BT-113) {totals.bt113} differs from the total (BT-112) {totals.bt112}",
                code="BR-FR-CO-09_BT-23-1",
            )
        if totals.bt115 != 0:
            found.add(
                "BR-FR-CO-09",
                f"the framework {framework} says the invoice is already paid, but the amount "
                f"due (BT-115) is {totals.bt115}",
                code="BR-FR-CO-09_BT-23-2",
            )
        if invoice.due_date is None:
            found.add(
                "BR-FR-CO-09",
                f"the framework {framework} (already paid) needs the due date (BT-9): the "
                "date of payment",
                code="BR-FR-CO-09_BT-23-3",
            )
    if (
        invoice.due_date is not None
        and invoice.issue_date is not None
        and invoice.due_date < invoice.issue_date
        and kind_code not in ("386", "500", "503")
        and framework[1:] != "2"
    ):
        found.add(
            "BR-FR-CO-07",
            f"the due date {invoice.due_date} is before the issue date {invoice.issue_date}",
            code="BR-FR-CO-07_BT-9",
        )

    # References: BR-FR-CO-04, BR-FR-CO-05
    dated = [r for r in invoice.preceding if r.issue_date is not None]
    if kind_code in ("384", "471", "472", "473") and len(dated) != 1:
        found.add(
            "BR-FR-CO-04",
            f"a corrective invoice cites exactly one preceding invoice with its date (BT-25, "
            f"BT-26); it cites {len(dated)}",
            code="BR-FR-CO-04_BT-4",
        )
    if kind_code in ("261", "381", "396", "502", "503") and not dated:
        found.add(
            "BR-FR-CO-05",
            "a credit note cites the invoice it credits, with its date (BT-25, BT-26)",
            code="BR-FR-CO-05_BT-3",
        )

    # Parties: BR-FR-10, BR-FR-11
    if seller.legal_id is None:
        found.add(
            "BR-FR-10",
            "the seller's SIREN (BT-30) is required: give Party.siren or Party.siret",
            code="BR-FR-10_BT-30",
        )
    if treatment == "B2B" and buyer.legal_id is None:
        found.add(
            "BR-FR-11",
            "a B2B invoice needs the buyer's SIREN (BT-47): give Party.siren, or set "
            "Invoice.reporting_category",
            code="BR-FR-11_BT-47",
        )

    # Electronic addresses: BR-FR-12, -13, -21, -23, -25 (MINIMUM has none: above)
    for party, role, term, missing_rule in (
        (seller, "seller", "BT-34", "BR-FR-13"),
        (buyer, "buyer", "BT-49", "BR-FR-12"),
    ):
        endpoint = party.endpoint
        if level == 0:
            continue
        if endpoint is None:
            found.add(
                missing_rule,
                f"the {role}'s electronic address ({term}) is required: give "
                "Party.electronic_address or the SIREN (its default address)",
                code=f"{missing_rule}_{term}",
            )
            continue
        # BR-FR-23 reads addresses under scheme 0225 only (an e-mail, EM, has an @).
        if endpoint.scheme == "0225" and not _FR_ADDRESS.match(endpoint.value):
            found.add(
                "BR-FR-23",
                f"the {role}'s electronic address {endpoint.value!r} may hold only letters, "
                "digits and + - _ .",
                code=f"BR-FR-23_{term}",
            )
        if len(endpoint.value) > 125:
            found.add(
                "BR-FR-25",
                f"the {role}'s electronic address has {len(endpoint.value)} characters; at "
                "most 125",
                code=f"BR-FR-25_{term}",
            )
    buyer_endpoint = buyer.endpoint
    if level > 0 and treatment == "B2B" and buyer_endpoint is not None:
        siren = buyer.legal_id or ""
        if buyer_endpoint.scheme != "0225" or not buyer_endpoint.value.startswith(siren):
            found.add(
                "BR-FR-21",
                f"a B2B buyer's electronic address (BT-49) uses scheme 0225 and starts with its "
                f"SIREN {siren}; it is {buyer_endpoint.value!r} ({buyer_endpoint.scheme})",
                code="BR-FR-21_BT-49",
            )

    # VAT categories and rates: BR-FR-15, BR-FR-16, BR-FR-DEC-04
    if breakdown_too:
        _check_french_vat(invoice, found, lines_too)

    # Currency: BR-FR-CO-12
    if invoice.currency.code != "EUR" and (
        invoice.tax_currency is None or invoice.tax_currency.code != "EUR"
    ):
        found.add(
            "BR-FR-CO-12",
            f"an invoice in {invoice.currency.code} states its VAT in euros: give "
            "tax_currency='EUR' and tax_exchange_rate (BT-6, BT-111)",
            code="BR-FR-CO-12_BT-5",
        )


def _check_french_vat(invoice: Invoice, found: _Found, lines_too: bool) -> None:
    totals = invoice.totals()
    places: list[tuple[VatRate, str, str]] = [
        (vat, "BT-95_BT-118", "BT-119") for vat, _, _ in totals.vat_groups
    ]
    places += [
        (a.vat, "BT-95_BT-102", "BT-96_BT-103") for a in (*totals.allowances, *totals.charges)
    ]
    if lines_too:
        places += [(line.vat, "BT-95_BT-151", "BT-152") for line in invoice.lines]
    for vat, category_term, rate_term in places:
        if vat.category not in _FR_CATEGORIES:
            for suffix in ("", "_LM"):  # the category list, and L/M named as such
                found.add(
                    "BR-FR-15",
                    f"VAT category {vat.category.value} is not used in France; use S, E, AE, "
                    "K, G, O or Z",
                    code=f"BR-FR-15_{category_term}{suffix}",
                )
        if vat.percent is None:
            continue
        if vat.percent not in _FR_RATES:
            found.add(
                "BR-FR-16",
                f"{vat.percent.normalize():f} % is not a French VAT rate (20, 10, 5.5, 2.1, "
                "0 and the Corsican and overseas rates)",
                code=f"BR-FR-16_{rate_term}",
            )
        normal = vat.percent.normalize()
        if _places(normal) > 2 or _digits(normal) > 4:
            found.add(
                "BR-FR-DEC-04",
                f"the VAT rate {normal:f} has more than 2 decimals or 4 digits",
                code=f"BR-FR-DEC-04_{rate_term}",
            )


#: (EN 16931 rule, BR-FR-DEC-01 id suffix, what) for each amount of the totals.
_TOTAL_AMOUNTS = (
    ("bt106", "BR-DEC-09", "BT-106", "the sum of line net amounts (BT-106)"),
    ("bt107", "BR-DEC-10", "BT-107", "the sum of allowances (BT-107)"),
    ("bt108", "BR-DEC-11", "BT-108", "the sum of charges (BT-108)"),
    ("bt109", "BR-DEC-12", "BT-109", "the total without VAT (BT-109)"),
    ("bt110", "BR-DEC-13", "BT-110", "the total VAT (BT-110)"),
    ("bt112", "BR-DEC-14", "BT-112", "the total with VAT (BT-112)"),
    ("bt113", "BR-DEC-16", "BT-113", "the paid amount (BT-113)"),
    ("bt114", "BR-DEC-17", "BT-114", "the rounding amount (BT-114)"),
    ("bt115", "BR-DEC-18", "BT-115", "the amount due (BT-115)"),
)


def _check_decimals(invoice: Invoice, found: _Found, lines_too: bool, french: bool) -> None:
    totals = invoice.totals()
    cur = invoice.currency.code

    def amount(value: Decimal, rule: str, term: str, what: str) -> None:
        if _places(value) > 2:
            found.add(rule, f"{what} {value} {cur} has more than 2 decimals")
            if french:
                found.add(
                    "BR-FR-DEC-01",
                    f"{what} {value} {cur} has more than 2 decimals",
                    code=f"BR-FR-DEC-01_{term}",
                )

    for name, rule, term, what in _TOTAL_AMOUNTS:
        amount(getattr(totals, name), rule, term, what)
    if totals.vat_total_tax_currency is not None:
        amount(totals.vat_total_tax_currency.amount, "BR-DEC-15", "BT-111", "BT-111")
    for _, taxable, vat_amount in totals.vat_groups:
        amount(taxable, "BR-DEC-19", "BT-116", "a VAT taxable amount (BT-116)")
        amount(vat_amount, "BR-DEC-20", "BT-117", "a VAT amount (BT-117)")
    for adjustment in totals.allowances:
        amount(adjustment.amount.amount, "BR-DEC-01", "BT-92_BT-99", "an allowance (BT-92)")
        if adjustment.base is not None:
            amount(adjustment.base.amount, "BR-DEC-02", "BT-93_BT-100", "an allowance base")
    for adjustment in totals.charges:
        amount(adjustment.amount.amount, "BR-DEC-05", "BT-92_BT-99", "a charge (BT-99)")
        if adjustment.base is not None:
            amount(adjustment.base.amount, "BR-DEC-06", "BT-93_BT-100", "a charge base")
    if not lines_too:
        return
    for line_totals in totals.lines:
        amount(line_totals.net.amount, "BR-DEC-23", "BT-131", "a line net amount (BT-131)")
        for value in line_totals.allowances:
            amount(value.amount, "BR-DEC-24", "BT-136_BT-141", "a line allowance (BT-136)")
        for value in line_totals.charges:
            amount(value.amount, "BR-DEC-27", "BT-136_BT-141", "a line charge (BT-141)")
        if line_totals.allowances or line_totals.charges:
            base = line_totals.amount.amount
            if line_totals.allowances:
                amount(base, "BR-DEC-25", "BT-137_BT-142", "a line allowance base (BT-137)")
            if line_totals.charges:
                amount(base, "BR-DEC-28", "BT-137_BT-142", "a line charge base (BT-142)")


# ----------------------------------------------------------------------- plain data


def _check_plain(data: Mapping[str, Any], level: int, french: bool) -> tuple[Problem, ...]:
    number = data.get("number") if isinstance(data.get("number"), str) else None
    found = _Found(number)
    for path, vat in _vat_dicts(data, "document", 0):
        _check_plain_vat(found, path, vat, french)
    for path, party in (("seller", data.get("seller")), ("buyer", data.get("buyer"))):
        if isinstance(party, Mapping):
            siren, siret = party.get("siren"), party.get("siret")
            if (
                french
                and isinstance(siren, str)
                and isinstance(siret, str)
                and re.sub(r"\s", "", siret)[:9] != re.sub(r"\s", "", siren)
            ):
                found.add(
                    "BR-FR-09",
                    f"the {path}'s SIRET {siret} does not start with its SIREN {siren}",
                    code="BR-FR-09_BT-29" if path == "seller" else "BR-FR-09_BT-46",
                )
    if isinstance(data.get("lines"), list | tuple) and not data["lines"]:
        found.add("BR-16", "an invoice has at least one line (BG-25)")
    try:
        invoice = from_dict(Invoice, data)
    except FacturlibError as exc:
        if not found.items:
            rule = _rule_of(exc)
            found.add(
                rule or "build",
                f"the document does not build: {exc}",
                code=rule or "build",
            )
        return tuple(found.items)
    except (TypeError, ValueError, AttributeError, KeyError) as exc:  # pragma: no cover
        found.add("build", f"the document does not build: {exc}")
        return tuple(found.items)
    _check_invoice(invoice, found, level, french)
    return tuple(found.items)


def _rule_of(exc: FacturlibError) -> str | None:
    """The rule id an error names (in its message or hint), if any."""
    match = _RULE_IN_TEXT.search(str(exc))
    if match:
        return match.group(0)
    field = exc.field or ""
    if field.endswith("iban"):
        return "BR-61"
    if field.endswith("vat_id"):
        return "BR-CO-09"
    if field.endswith("code") and "payment" in str(exc):
        return "BR-CL-16"
    return None


def _vat_dicts(value: Any, path: str, depth: int) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every VAT rate in plain data: a mapping with a ``category`` under a ``vat`` key."""
    if depth > 8:
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            here = f"{path}.{key}"
            if key == "vat" and isinstance(item, Mapping):
                yield here, item
            else:
                yield from _vat_dicts(item, here, depth + 1)
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _vat_dicts(item, f"{path}[{i}]", depth + 1)


def _check_plain_vat(found: _Found, path: str, vat: Mapping[str, Any], french: bool) -> None:
    raw = vat.get("category")
    try:
        category = VatCategory(str(raw).strip().upper())
    except ValueError:
        found.add("BR-CL-18", f"{path}: {raw!r} is not a VAT category (UNTDID 5305)")
        return
    prefix = _prefix(category)
    suffix = "06" if ".allowances" in path else "07" if ".charges" in path else "05"
    raw_percent = vat.get("percent")
    try:
        percent = None if raw_percent is None else Decimal(str(raw_percent))
    except ArithmeticError:
        found.add(f"{prefix}-{suffix}", f"{path}: the rate {raw_percent!r} is not a number")
        return
    has_reason = bool(vat.get("exemption_reason")) or bool(vat.get("exemption_code"))
    if category is VatCategory.O:
        if percent is not None:
            found.add(f"{prefix}-{suffix}", f"{path}: out of scope (O) has no VAT rate")
    elif category is VatCategory.S:
        if percent is None or percent <= 0:
            found.add(f"{prefix}-{suffix}", f"{path}: a standard rate (S) is above 0")
    elif category in (VatCategory.L, VatCategory.M):
        if percent is None or percent < 0:
            found.add(f"{prefix}-{suffix}", f"{path}: the rate is 0 or more")
    elif percent != 0:
        found.add(f"{prefix}-{suffix}", f"{path}: category {category.value} has a 0 % rate")
    needs_reason = category in (
        VatCategory.E,
        VatCategory.AE,
        VatCategory.K,
        VatCategory.G,
        VatCategory.O,
    )
    if needs_reason and not has_reason:
        found.add(
            f"{prefix}-10",
            f"{path}: category {category.value} needs an exemption reason (BT-120/BT-121)",
        )
    if not needs_reason and has_reason:
        found.add(
            f"{prefix}-10",
            f"{path}: category {category.value} must not carry an exemption reason",
        )
    if french and category not in _FR_CATEGORIES:
        found.add(
            "BR-FR-15",
            f"{path}: VAT category {category.value} is not used in France",
            code="BR-FR-15_BT-95_BT-151_LM",
        )
