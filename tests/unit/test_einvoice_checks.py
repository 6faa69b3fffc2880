"""Tests for facturlib.einvoice.checks: the pre-flight check, one rule at a time.

Each case starts from a valid issued invoice (no problem at all), breaks it in one
way and requires the official rule id of exactly that break.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings

from facturlib.core._codes import DocumentKind
from facturlib.core.documents import DeliverTo, DocumentStatus, Invoice, InvoiceReference, Note
from facturlib.core.errors import InvalidValue, Problem
from facturlib.core.issuing import issue
from facturlib.core.lines import DocumentAllowance
from facturlib.core.money import RoundingPolicy, to_money
from facturlib.core.numbering import SequenceState
from facturlib.core.parties import Address, ElectronicAddress
from facturlib.core.payment_means import PaymentMeans
from facturlib.core.periods import Period
from facturlib.core.serialize import to_dict
from facturlib.core.vat import FR_STANDARD, VatCategory, VatRate
from facturlib.einvoice import check, check_invoice_number
from facturlib.einvoice.cii import to_cii
from facturlib.einvoice.ubl import to_ubl
from facturlib.testing.builders import (
    sample_buyer,
    sample_invoice,
    sample_line,
    sample_scheme,
    sample_seller,
)
from facturlib.testing.strategies import invoices

ON = date(2025, 1, 10)
BERLIN = Address(city="Berlin", country_code="DE")
GERMAN_BUYER = sample_buyer(siren=None, vat_id="DE136695976", address=BERLIN)


def issued(**fields: Any) -> Invoice:
    """The sample invoice with *fields*, issued on 10 January 2025."""
    return issue(sample_invoice(**fields), sample_scheme(), SequenceState(), on=ON)[0]


def draft(**fields: Any) -> Invoice:
    """The sample draft with *fields*, dated 10 January 2025: for what `issue` refuses."""
    return sample_invoice(issue_date=ON, **fields)


def with_lines(vat: VatRate, make: Callable[..., Invoice] = issued, **fields: Any) -> Invoice:
    return make(lines=[sample_line(vat=vat)], **fields)


def fatal(problems: tuple[Problem, ...]) -> list[str]:
    return [p.code for p in problems if p.fatal]


#: (case id, document builder, rules, profile, the expected fatal codes).
CASES: list[tuple[str, Callable[[], Any], str, str, list[str]]] = [
    ("valid", issued, "FR", "EN 16931", []),
    ("valid-EXTENDED", issued, "FR", "EXTENDED", []),
    ("valid-BASIC-WL", issued, "FR", "BASIC WL", []),
    (
        "BR-04 proforma",
        lambda: sample_invoice(kind=DocumentKind.PROFORMA),
        "FR",
        "EN 16931",
        ["BR-04", "BR-FR-04_BT-3"],
    ),
    (
        "BR-CO-26 seller without identifier",
        lambda: with_lines(
            VatRate.outside_scope(), draft, seller=sample_seller(siren=None, vat_id=None)
        ),
        "EN16931",
        "EN 16931",
        ["BR-CO-26"],
    ),
    (
        "BR-S-02",
        lambda: issued(seller=sample_seller(vat_id=None)),
        "EN16931",
        "EN 16931",
        ["BR-S-02"],
    ),
    (
        "BR-E-02 and BR-S-03",
        lambda: with_lines(
            VatRate.exempt("Exonération, art. 261-4-4° du CGI"),
            seller=sample_seller(vat_id=None),
            allowances=[
                DocumentAllowance(amount=to_money("10.00", "EUR"), vat=FR_STANDARD, base=None)
            ],
        ),
        "EN16931",
        "EN 16931",
        ["BR-E-02", "BR-S-03"],
    ),
    (
        "BR-AE-02 buyer without ids",
        lambda: with_lines(
            VatRate.reverse_charge(), draft, buyer=sample_buyer(siren=None, vat_id=None)
        ),
        "EN16931",
        "EN 16931",
        ["BR-AE-02"],
    ),
    (
        "BR-IC-02 buyer without VAT id",
        lambda: with_lines(
            VatRate.intra_eu_goods(),
            draft,
            buyer=attrs.evolve(GERMAN_BUYER, vat_id=None, id="C-DE"),
            delivery_date=date(2025, 1, 5),
            deliver_to=DeliverTo(BERLIN),
        ),
        "EN16931",
        "EN 16931",
        ["BR-IC-02"],
    ),
    (
        "BR-IC-11 no delivery date",
        lambda: with_lines(
            VatRate.intra_eu_goods(), buyer=GERMAN_BUYER, deliver_to=DeliverTo(BERLIN)
        ),
        "EN16931",
        "EN 16931",
        ["BR-IC-11"],
    ),
    (
        "BR-IC-12 no deliver-to",
        lambda: with_lines(
            VatRate.intra_eu_goods(), buyer=GERMAN_BUYER, delivery_date=date(2025, 1, 5)
        ),
        "EN16931",
        "EN 16931",
        ["BR-IC-12"],
    ),
    (
        "BR-O-11 O mixed with S",
        lambda: draft(lines=[sample_line(), sample_line(vat=VatRate.outside_scope(), id="2")]),
        "FR",
        "EN 16931",
        ["BR-O-11", "BR-O-12", "BR-O-02"],
    ),
    (
        "BR-CO-17 per-line VAT rounding drifts",
        lambda: issued(
            lines=[
                sample_line(quantity="1", unit_price=to_money("0.03", "EUR"), id=str(i))
                for i in range(300)
            ],
            rounding=RoundingPolicy(vat_rounding="per_line"),
        ),
        "FR",
        "EN 16931",
        ["BR-CO-17", "BR-S-09"],
    ),
    (
        "BR-FR-02 preceding number",
        lambda: issued(
            kind=DocumentKind.CREDIT_NOTE,
            preceding=[InvoiceReference(number="FA 2024 1", issue_date=date(2024, 12, 1))],
        ),
        "FR",
        "EN 16931",
        ["BR-FR-02_BT-25"],
    ),
    (
        "BR-FR-01 preceding number",
        lambda: issued(
            kind=DocumentKind.CREDIT_NOTE,
            preceding=[InvoiceReference(number="F" * 36, issue_date=date(2024, 12, 1))],
        ),
        "FR",
        "EN 16931",
        ["BR-FR-01_BT-25"],
    ),
    (
        "BR-FR-03 due date",
        lambda: issued(due_date=date(2100, 1, 1)),
        "FR",
        "EN 16931",
        ["BR-FR-03_BT-9"],
    ),
    (
        "BR-FR-03 delivery date",
        lambda: issued(delivery_date=date(1999, 12, 31)),
        "FR",
        "EN 16931",
        ["BR-FR-03_BT-72"],
    ),
    (
        "BR-FR-03 period",
        lambda: issued(period=Period(date(1999, 12, 1), date(2000, 1, 1))),
        "FR",
        "EN 16931",
        ["BR-FR-03_BT-73", "BR-FR-03_BT-74"],
    ),
    (
        "BR-FR-05 MINIMUM",
        issued,
        "FR",
        "MINIMUM",
        [
            "FR-PROFILE",
            "BR-FR-05_BT-22_PMT",
            "BR-FR-05_BT-22_PMD",
            "BR-FR-05_BT-22_AAB",
            "BR-FR-12_BT-49",
            "BR-FR-13_BT-34",
        ],
    ),
    ("FR-PROFILE BASIC", issued, "FR", "BASIC", ["FR-PROFILE"]),
    (
        "BR-FR-06 two PMT notes",
        lambda: issued(notes=[Note("40 €", "PMT"), Note("40 EUR", "PMT")]),
        "FR",
        "EN 16931",
        ["BR-FR-06_BT-21_PMT"],
    ),
    (
        "BR-FR-10 seller without SIREN",
        lambda: issued(seller=sample_seller(siren=None, electronic_address="732829320")),
        "FR",
        "EN 16931",
        ["BR-FR-10_BT-30"],
    ),
    (
        "BR-FR-11 B2B buyer without SIREN",
        lambda: issued(buyer=sample_buyer(siren=None, electronic_address="552081317")),
        "FR",
        "EN 16931",
        ["BR-FR-11_BT-47"],
    ),
    (
        "BR-FR-12 buyer without address",
        lambda: issued(buyer=GERMAN_BUYER),
        "FR",
        "EN 16931",
        ["BR-FR-12_BT-49"],
    ),
    (
        "BR-FR-13 seller without address",
        lambda: issued(seller=sample_seller(siren=None)),
        "FR",
        "EN 16931",
        ["BR-FR-10_BT-30", "BR-FR-13_BT-34"],
    ),
    (
        "BR-FR-15 category L",
        lambda: with_lines(VatRate(category=VatCategory.L, percent="7")),
        "FR",
        "EN 16931",
        [
            "BR-FR-15_BT-95_BT-151",
            "BR-FR-15_BT-95_BT-151_LM",
            "BR-FR-15_BT-95_BT-118",
            "BR-FR-15_BT-95_BT-118_LM",
        ],
    ),
    (
        "BR-FR-16 German rate",
        lambda: with_lines(VatRate.standard("19")),
        "FR",
        "EN 16931",
        ["BR-FR-16_BT-119", "BR-FR-16_BT-152"],
    ),
    (
        "BR-FR-DEC-04 rate with 3 decimals",
        lambda: with_lines(VatRate.standard("5.525")),
        "FR",
        "EN 16931",
        ["BR-FR-16_BT-119", "BR-FR-DEC-04_BT-119", "BR-FR-16_BT-152", "BR-FR-DEC-04_BT-152"],
    ),
    (
        "BR-FR-20 BAR value",
        lambda: issued(notes=[Note("B2G", "BAR")]),
        "FR",
        "EN 16931",
        ["BR-FR-20_BT-21"],
    ),
    (
        "BR-FR-31 two BAR notes",
        lambda: issued(notes=[Note("B2B", "BAR"), Note("B2B", "BAR")]),
        "FR",
        "EN 16931",
        ["BR-FR-31_BT-21"],
    ),
    (
        "BR-FR-21 B2B buyer address not on its SIREN",
        lambda: issued(buyer=sample_buyer(electronic_address="CLIENT552081317")),
        "FR",
        "EN 16931",
        ["BR-FR-21_BT-49"],
    ),
    (
        # BR-FR-23 reads scheme 0225 only; facturx.py --fr accepts an EM address.
        "BR-FR-23 e-mail address is not a 0225 address",
        lambda: issued(seller=sample_seller(electronic_address="factures@atelier.fr")),
        "FR",
        "EN 16931",
        [],
    ),
    (
        "BR-FR-25 address too long",
        lambda: issued(
            seller=sample_seller(electronic_address=ElectronicAddress("3" * 130, "0088"))
        ),
        "FR",
        "EN 16931",
        ["BR-FR-25_BT-34"],
    ),
    (
        "BR-FR-CO-04 corrective without reference",
        lambda: draft(kind=DocumentKind.CORRECTIVE),
        "FR",
        "EN 16931",
        ["BR-FR-CO-04_BT-4"],
    ),
    (
        "BR-FR-CO-04 corrective citing two",
        lambda: draft(
            kind=DocumentKind.CORRECTIVE,
            preceding=[
                InvoiceReference(number="FA-1", issue_date=date(2024, 12, 1)),
                InvoiceReference(number="FA-2", issue_date=date(2024, 12, 2)),
            ],
        ),
        "FR",
        "EN 16931",
        ["BR-FR-CO-04_BT-4"],
    ),
    (
        "BR-FR-CO-05 credit note citing nothing",
        lambda: draft(kind=DocumentKind.CREDIT_NOTE),
        "FR",
        "EN 16931",
        ["BR-FR-CO-05_BT-3"],
    ),
    (
        "BR-FR-CO-05 credit note citing no date",
        lambda: issued(kind=DocumentKind.CREDIT_NOTE, preceding=[InvoiceReference(number="FA-1")]),
        "FR",
        "EN 16931",
        ["BR-FR-CO-05_BT-3"],
    ),
    (
        "BR-FR-CO-07 due before issue",
        lambda: sample_invoice(issue_date=date(2025, 2, 1), due_date=date(2025, 1, 31)),
        "FR",
        "EN 16931",
        ["BR-FR-CO-07_BT-9"],
    ),
    (
        "BR-FR-CO-08 deposit as final",
        lambda: issued(kind=DocumentKind.DEPOSIT, billing_framework="S4"),
        "FR",
        "EN 16931",
        ["BR-FR-CO-08_BT-23"],
    ),
    (
        "BR-FR-CO-09 paid framework, unpaid invoice",
        lambda: issued(billing_framework="S2"),
        "FR",
        "EN 16931",
        ["BR-FR-CO-09_BT-23-1", "BR-FR-CO-09_BT-23-2"],
    ),
    (
        "BR-FR-CO-09 paid without due date",
        lambda: draft(prepaid=to_money("1440.00", "EUR"), due_date=None),
        "FR",
        "EN 16931",
        ["BR-FR-CO-09_BT-23-3"],
    ),
    (
        "BR-FR-CO-12 dollars without euros",
        lambda: issued(currency="USD", lines=[sample_line(unit_price=to_money("10", "USD"))]),
        "FR",
        "EN 16931",
        ["BR-FR-CO-12_BT-5"],
    ),
    (
        "BR-FR-CO-12 not for EN 16931 alone",
        lambda: issued(currency="USD", lines=[sample_line(unit_price=to_money("10", "USD"))]),
        "EN16931",
        "EN 16931",
        [],
    ),
    (
        "dollars with euros",
        lambda: issued(
            currency="USD",
            lines=[sample_line(unit_price=to_money("10", "USD"))],
            tax_currency="EUR",
            tax_exchange_rate="0.92",
        ),
        "FR",
        "EN 16931",
        [],
    ),
]


class TestOneMeansCode:
    def test_two_codes(self) -> None:
        """Two payment means codes cannot be stated (CII-SR-467, UBL-SR-47); the writers
        refuse such a document."""
        invoice = issued(payment_means=[PaymentMeans.cheque(), PaymentMeans.cash()])

        assert ["CII-SR-467"] == fatal(check(invoice))

    def test_same_code_twice(self) -> None:
        """Several accounts under one code are fine."""
        means = [
            PaymentMeans.credit_transfer("FR7630006000011234567890189"),
            PaymentMeans.credit_transfer("DE89370400440532013000"),
        ]

        assert [] == fatal(check(issued(payment_means=means)))


class TestCheck:
    @pytest.mark.parametrize(
        ("build", "rules", "profile", "expected"),
        [pytest.param(*case[1:], id=case[0]) for case in CASES],
    )
    def test_one_break_one_rule(
        self, build: Callable[[], Any], rules: str, profile: str, expected: list[str]
    ) -> None:
        """A valid invoice broken in one way gives exactly that rule's problems."""
        problems = check(build(), profile, rules)

        assert sorted(expected) == sorted(fatal(problems))

    def test_rule_is_the_official_id(self) -> None:
        """`rule` is the rule id, `code` the id the Schematron reports (rule + BT)."""
        (problem,) = check(issued(notes=[Note("B2G", "BAR")]))

        assert ("BR-FR-20", "BR-FR-20_BT-21", "FA-2025-0001") == (
            problem.rule,
            problem.code,
            problem.reference,
        )

    def test_draft(self) -> None:
        """A draft lacks number and date: reported as advice, not fatal (BR-02, BR-03)."""
        problems = check(sample_invoice())

        assert [("BR-02", False), ("BR-03", False)] == [(p.rule, p.fatal) for p in problems]

    def test_kwd_amounts_have_three_decimals(self) -> None:
        """Amounts in a 3-decimal currency break BR-DEC-* and BR-FR-DEC-01."""
        invoice = issued(
            currency="KWD",
            lines=[sample_line(unit_price=to_money("10.125", "KWD"))],
            tax_currency="EUR",
            tax_exchange_rate="3",
        )
        rules = {p.rule for p in check(invoice)}

        assert {
            "BR-DEC-09",
            "BR-DEC-12",
            "BR-DEC-13",
            "BR-DEC-14",
            "BR-DEC-16",
            "BR-DEC-17",
            "BR-DEC-18",
            "BR-DEC-19",
            "BR-DEC-20",
            "BR-DEC-23",
            "BR-FR-DEC-01",
        } <= rules

    @pytest.mark.parametrize("profile", ["MINIMUM", "basic wl", "Basic", "EN16931", "extended"])
    def test_profile_names(self, profile: str) -> None:
        """Profiles are named as in Factur-X; case and spaces do not matter."""
        assert isinstance(check(issued(), profile, "EN16931"), tuple)

    @pytest.mark.parametrize(
        ("arguments", "field"),
        [
            ({"profile": "XRECHNUNG"}, "profile"),
            ({"rules": "DE"}, "rules"),
            ({"penalties": "12 %"}, "penalties"),
            ({"terms": "30 jours"}, "terms"),
        ],
    )
    def test_bad_arguments_raise(self, arguments: dict, field: str) -> None:
        """Wrong arguments (not a wrong document) raise InvalidValue naming them."""
        with pytest.raises(InvalidValue) as exc_info:
            check(issued(), **arguments)

        assert field == exc_info.value.field

    def test_not_a_document(self) -> None:
        """A quote or a string is not checked."""
        with pytest.raises(InvalidValue) as exc_info:
            check("FA-1")  # type: ignore[arg-type]

        assert "document" == exc_info.value.field

    @settings(max_examples=30, deadline=None)
    @given(invoices(mentions=True, currency_codes=None))
    def test_never_raises(self, invoice: Invoice) -> None:
        """Any invoice gets a tuple of problems, never an exception."""
        problems = check(invoice)

        assert all(isinstance(p, Problem) and p.rule for p in problems)


def plain(**changes: Any) -> dict[str, Any]:
    data = to_dict(draft(payment_means=[PaymentMeans.credit_transfer(sample_seller().iban)]))
    for path, value in changes.items():
        target: Any = data
        keys = path.split("__")
        for key in keys[:-1]:
            target = target[int(key)] if key.isdigit() else target[key]
        target[keys[-1]] = value
    return data


class TestCheckPlainData:
    @pytest.mark.parametrize(
        ("changes", "expected"),
        [
            ({}, []),
            ({"lines__0__vat__exemption_reason": "Exonéré"}, ["BR-S-10"]),
            ({"lines__0__vat__percent": "0"}, ["BR-S-05"]),
            (
                {
                    "lines__0__vat": {
                        "category": "E",
                        "percent": "0",
                        "exemption_reason": None,
                        "exemption_code": None,
                    }
                },
                ["BR-E-10"],
            ),
            (
                {
                    "lines__0__vat": {
                        "category": "O",
                        "percent": "0",
                        "exemption_reason": "HC",
                        "exemption_code": None,
                    }
                },
                ["BR-O-05"],
            ),
            (
                {
                    "lines__0__vat": {
                        "category": "AE",
                        "percent": "20",
                        "exemption_reason": "Autoliquidation",
                        "exemption_code": None,
                    }
                },
                ["BR-AE-05"],
            ),
            (
                {
                    "lines__0__vat": {
                        "category": "K",
                        "percent": "0",
                        "exemption_reason": None,
                        "exemption_code": None,
                    }
                },
                ["BR-IC-10"],
            ),
            (
                {
                    "lines__0__vat": {
                        "category": "X",
                        "percent": "0",
                        "exemption_reason": None,
                        "exemption_code": None,
                    }
                },
                ["BR-CL-18"],
            ),
            ({"lines": []}, ["BR-16"]),
            ({"seller__siret": "55208131766522"}, ["BR-FR-09_BT-29"]),
            ({"payment_means__0__iban": None}, ["BR-50"]),
            ({"lines__0__unit_price__amount": "-1.00"}, ["BR-27"]),
        ],
    )
    def test_what_a_constructor_refuses(self, changes: dict, expected: list[str]) -> None:
        """Plain data that does not build is reported under the rule it breaks."""
        assert expected == fatal(check(plain(**changes)))

    def test_valid_plain_data_is_checked_fully(self) -> None:
        """Plain data that builds gets every check of the invoice."""
        data = plain(seller__vat_id=None)

        assert ["BR-S-02"] == fatal(check(data, rules="EN16931"))


class TestCheckInvoiceNumber:
    @pytest.mark.parametrize("number", ["FA-2025-0001", "A", "2025/12/+_-x", "F" * 35])
    def test_valid(self, number: str) -> None:
        """Letters, digits and + - _ /, at most 35 characters."""
        assert () == check_invoice_number(number)

    @pytest.mark.parametrize(
        ("number", "expected"),
        [
            ("F" * 36, ["BR-FR-01_BT-1"]),
            ("FA 2025", ["BR-FR-02_BT-1"]),
            ("FA.2025", ["BR-FR-02_BT-1"]),
            ("", ["BR-FR-02_BT-1"]),
            ("é" * 40, ["BR-FR-01_BT-1", "BR-FR-02_BT-1"]),
        ],
    )
    def test_invalid(self, number: str, expected: list[str]) -> None:
        """Too long (BR-FR-01) or other characters (BR-FR-02)."""
        assert expected == [p.code for p in check_invoice_number(number)]

    def test_not_text(self) -> None:
        """A number that is not text raises."""
        with pytest.raises(InvalidValue):
            check_invoice_number(12)  # type: ignore[arg-type]


def test_decimal_places_helper_ignores_exponents() -> None:
    """Amounts like 1E+2 have no decimals."""
    from facturlib.einvoice.checks import _places

    assert (0, 2, 3) == (
        _places(Decimal("1E+2")),
        _places(Decimal("1.00")),
        _places(Decimal("1.125")),
    )


# ---------------------------------------------------------------- agreement with the validators
# Every case above (a valid invoice broken in one way) is written as CII (in the case's
# Factur-X profile) and as UBL (EN 16931 cases), and checked by ../shared/validate
# (facturx.py --fr, ubl.py --fr) in two batched runs. For CII, check() and the validator
# must name exactly the same failed asserts (Problem.code = the Schematron assert id).
# The UBL Schematron names its asserts differently (BR-FR-01_BT-25-1…), so for UBL the
# rule ids (Problem.rule) must be the same sets. Documents issue() refuses (a corrective
# invoice citing nothing…) are sealed with Invoice._issued_copy, the step issue() ends
# with, so that the writers accept them: the point is to see the official rules fire.

#: Asserts of the FNFE-MPE BR-FR UBL Schematron 1.4.0.04 whose id names another rule
#: than the one they test (the CII Schematron names them right): the format of
#: BT-25 (BR-FR-02), the VAT category list on lines (BR-FR-15), and the single BAR
#: note (BR-FR-31).
UBL_ID_SLIPS = {
    "BR-FR-01_BT-25-2": "BR-FR-02",
    "BR-FR-08_BT-151-2": "BR-FR-15",
    "BR-FR-30_BT-21": "BR-FR-31",
}


def _sendable(build: Callable[[], Any]) -> Invoice | None:
    document: Invoice = build()
    if document.kind.code is None:
        return None  # a proforma has no e-invoice form at all (BR-04)
    if document.status is DocumentStatus.DRAFT:
        document = document._issued_copy(
            number="FA-2025-0099", issue_date=document.issue_date or ON
        )
    return document


@pytest.fixture(scope="module")
def written(
    tmp_path_factory: pytest.TempPathFactory, validate: Callable[..., Any]
) -> dict[str, dict[str, Any]]:
    """case id → {format: (path, document, profile, validator errors)}."""
    directory = tmp_path_factory.mktemp("agreement")
    cases: dict[str, dict[str, Any]] = {}
    for name, build, _rules, profile, _expected in CASES:
        document = _sendable(build)
        if document is None:
            continue
        slug = "".join(c if c.isalnum() else "_" for c in name)
        entry: dict[str, Any] = {"document": document, "profile": profile}
        cii = directory / f"{slug}.cii.xml"
        cii.write_bytes(to_cii(document, profile))
        entry["cii"] = cii
        if profile == "EN 16931":
            ubl = directory / f"{slug}.ubl.xml"
            ubl.write_bytes(to_ubl(document))
            entry["ubl"] = ubl
        cases[name] = entry
    cii_errors = validate("facturx.py", [e["cii"] for e in cases.values()], fr=True)
    ubl_errors = validate("ubl.py", [e["ubl"] for e in cases.values() if "ubl" in e], fr=True)
    for entry in cases.values():
        entry["cii_errors"] = cii_errors[str(entry["cii"])]
        if "ubl" in entry:
            entry["ubl_errors"] = ubl_errors[str(entry["ubl"])]
    return cases


NAMES = [case[0] for case in CASES if case[0] != "BR-04 proforma"]


@pytest.mark.parametrize("name", NAMES)
def test_cii_validator_names_the_same_asserts(
    name: str, written: dict[str, dict[str, Any]]
) -> None:
    """check() and facturx.py --fr report exactly the same failed asserts."""
    entry = written[name]
    ours = sorted({p.code for p in check(entry["document"], entry["profile"]) if p.fatal})
    theirs = sorted({str(f["rule"]) for f in entry["cii_errors"]})

    assert theirs == ours


@pytest.mark.parametrize("name", [c[0] for c in CASES if c[3] == "EN 16931" and c[0] in NAMES])
def test_ubl_validator_names_the_same_rules(name: str, written: dict[str, dict[str, Any]]) -> None:
    """check() and ubl.py --fr report the same rules (ids reduced to the rule)."""
    entry = written[name]
    ours = sorted({str(p.rule) for p in check(entry["document"]) if p.fatal})
    theirs = sorted(
        {
            UBL_ID_SLIPS.get(str(f["rule"]), str(f["rule"]).split("_")[0])
            for f in entry["ubl_errors"]
        }
    )

    assert theirs == ours


def test_every_rule_of_the_cases_was_seen_by_the_validator(
    written: dict[str, dict[str, Any]],
) -> None:
    """The cases make the validator fire every rule check() is tested for, so the
    agreement above is not vacuous."""
    fired = {str(f["rule"]) for e in written.values() for f in e["cii_errors"]}
    expected = {code for case in CASES for code in case[4]} - {"BR-04", "BR-FR-04_BT-3"}

    assert set() == expected - fired
