"""Hypothesis profiles: ``HYPOTHESIS_PROFILE=deep pytest tests/property`` for a long run,
``HYPOTHESIS_PROFILE=ci`` (derandomized) for the CI gate; the ``run_validator`` fixture.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("default", deadline=None)
# CI gate: the same examples on every run, so a landing never depends on luck.
settings.register_profile(
    "ci", deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "deep", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


# --- the external validators (../shared/validate) -------------------------------------------
# Every Factur-X, UBL and pain.008 file facturlib writes must pass the official validators
# with zero errors. They live next to the repository (../shared/validate, made ready by its
# setup.sh); FACTURLIB_VALIDATE_DIR points elsewhere. Without them the tests skip, except
# under FACTURLIB_REQUIRE_VALIDATORS=1 (set by .ci/run), where a missing validator fails.

_REPO = Path(__file__).resolve().parent.parent


def validate_dir() -> Path | None:
    """Where the validator scripts are, or None."""
    candidates = [os.environ.get("FACTURLIB_VALIDATE_DIR"), str(_REPO.parent / "shared/validate")]
    for candidate in candidates:
        if candidate and (Path(candidate) / "facturx.py").is_file():
            return Path(candidate)
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get("FACTURLIB_REQUIRE_VALIDATORS") == "1":
        pytest.fail(f"the external validators are required here: {reason}")
    pytest.skip(reason)


#: ``run_validator("facturx", files, "--fr")`` → {file name: its JSON report + "error_lines"}.
Validator = Callable[..., dict[str, dict[str, Any]]]


@pytest.fixture(scope="session")
def run_validator() -> Validator:
    """Run one validator script (facturx, ubl, pdfa, pain008) over many files at once.

    Each file's report is the script's ``--json`` entry plus ``error_lines``: its setup
    error and error findings as printable lines (empty when the file is valid).
    """
    directory = validate_dir()
    if directory is None:
        _unavailable("../shared/validate not found (set FACTURLIB_VALIDATE_DIR)")
    assert directory is not None

    def run(tool: str, files: Sequence[Path | str], *options: str) -> dict[str, dict[str, Any]]:
        paths = [str(f) for f in files]
        if not paths:
            return {}
        command = ["python3", str(directory / f"{tool}.py"), "--json", *options, *paths]
        done = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)
        if not done.stdout.strip().startswith("{"):
            _unavailable(f"{tool}.py could not run (bash {directory}/setup.sh?): {done.stderr}")
        reports: dict[str, dict[str, Any]] = {}
        for entry in json.loads(done.stdout)["files"]:
            lines = [f"setup error: {entry['setup_error']}"] if entry.get("setup_error") else []
            lines += [
                f"[{f['check']} {f['rule']}] {f['message']}"
                for f in entry.get("findings", ())
                if f["severity"] == "error"
            ]
            reports[Path(entry["file"]).name] = {**entry, "error_lines": lines}
        return reports

    return run


# The e-invoice tests' form of the same: error findings per file path.
Findings = dict[str, list[dict[str, object]]]


def _run_validator(
    directory: Path, script: str, paths: Sequence[Path], *, fr: bool = False
) -> Findings:
    """Errors per file (path → findings of severity error) from one validator process."""
    if not paths:
        return {}
    command = ["python3", str(directory / script), "--json", *(["--fr"] if fr else [])]
    done = subprocess.run(
        [*command, *map(str, paths)], capture_output=True, text=True, timeout=1800, check=False
    )
    if done.returncode == 2:
        pytest.fail(f"{script} could not run: {done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    files = report["files"] if isinstance(report, dict) and "files" in report else report
    result: Findings = {}
    for entry in files:
        findings = entry.get("findings", [])
        errors = [f for f in findings if f.get("severity") == "error"]
        if not entry.get("valid", False) and not errors:
            errors.append({"check": "SETUP", "message": str(entry.get("setup_error"))})
        result[str(entry["file"])] = errors
    return result


@pytest.fixture(scope="session")
def validate() -> Callable[..., Findings]:
    """``validate(script, paths, fr=...)`` → error findings per file; skips without validators."""
    directory = validate_dir()
    if directory is None:
        _unavailable(
            "the e-invoice validators (../shared/validate) are absent: run "
            "`bash shared/validate/setup.sh` or set FACTURLIB_VALIDATE_DIR"
        )
    assert directory is not None

    def run(script: str, paths: Sequence[Path], *, fr: bool = False) -> Findings:
        return _run_validator(directory, script, paths, fr=fr)

    return run


def _einvoice_documents() -> dict[str, object]:
    """Issued documents covering every kind and VAT situation of an e-invoice.

    Keys are ``"<situation>-<kind code>"``; every situation has an invoice (380), a
    credit note of it (381), a corrective invoice citing it (384) and a deposit
    invoice (386); ``deposits-380`` is a final invoice deducting a paid deposit (BT-113).
    """
    from datetime import date

    import attrs

    from facturlib import DocumentKind, VatRate, credit_note, issue, to_money
    from facturlib.core.documents import DeliverTo, Note
    from facturlib.core.lines import (
        Discount,
        DocumentAllowance,
        DocumentCharge,
        SupplyKind,
        Surcharge,
    )
    from facturlib.core.numbering import NumberingScheme, SequenceState
    from facturlib.core.parties import Address, Party
    from facturlib.core.payment_means import PaymentMeans
    from facturlib.core.periods import Period
    from facturlib.core.vat import FR_INTERMEDIATE, FR_REDUCED, FR_STANDARD
    from facturlib.testing.builders import (
        sample_buyer,
        sample_deposit_invoices,
        sample_invoice,
        sample_line,
        sample_seller,
    )

    german = Party(
        name="Kunde GmbH",
        address=Address(
            line1="Hauptstraße 1", city="Berlin", postal_code="10115", country_code="DE"
        ),
        vat_id="DE136695976",
        electronic_address="rechnung@kunde.example",
    )
    american = Party(
        name="Customer Inc.",
        address=Address(
            line1="1 Main Street", city="Boston", postal_code="02110", country_code="US"
        ),
        electronic_address="ap@customer.example",
    )
    consumer = Party(
        name="Jeanne Martin",
        address=Address(
            line1="5 rue Victor Hugo", city="Nantes", postal_code="44000", country_code="FR"
        ),
        electronic_address="jeanne.martin@example.fr",
    )

    def eur(value: str) -> object:
        return to_money(value, "EUR")

    situations: dict[str, dict[str, object]] = {
        "single": {},
        "mixed": {
            "lines": (
                sample_line(),
                sample_line(
                    description="Livres",
                    quantity="3",
                    unit="C62",
                    unit_price=eur("7.99"),
                    vat=FR_REDUCED,
                ),
                sample_line(
                    description="Travaux",
                    quantity="2.5",
                    unit="HUR",
                    unit_price=eur("80.00"),
                    vat=FR_INTERMEDIATE,
                ),
            )
        },
        "reverse-charge": {
            "buyer": german,
            "lines": (sample_line(vat=VatRate.reverse_charge()),),
        },
        "intra-eu": {
            "buyer": german,
            "lines": (
                sample_line(
                    description="Machine",
                    unit="C62",
                    quantity="2",
                    vat=VatRate.intra_eu_goods(),
                    supply=SupplyKind.GOODS,
                ),
            ),
            "delivery_date": date(2025, 1, 10),
            "deliver_to": DeliverTo(
                Address(
                    line1="Lagerstraße 5", city="Hamburg", postal_code="20095", country_code="DE"
                ),
                name="Kunde GmbH Lager",
            ),
        },
        "exempt": {
            "lines": (sample_line(vat=VatRate.exempt("Exonération de TVA, art. 261-4-4° du CGI")),),
        },
        "export": {
            "buyer": american,
            "lines": (sample_line(description="Machine", unit="C62", vat=VatRate.export()),),
        },
        "out-of-scope": {
            "lines": (sample_line(description="Débours", vat=VatRate.outside_scope()),),
        },
        "adjustments": {
            "lines": (
                sample_line(discounts=(Discount(percent="10", reason="Remise volume"),)),
                sample_line(
                    description="Livres",
                    quantity="4",
                    unit="C62",
                    unit_price=eur("7.99"),
                    vat=FR_REDUCED,
                    charges=(Surcharge(amount=eur("1.50"), reason="Emballage"),),
                ),
            ),
            "allowances": (
                DocumentAllowance(amount=eur("10.00"), vat=FR_STANDARD, reason="Remise fidélité"),
            ),
            "charges": (DocumentCharge(amount=eur("5.90"), vat=FR_REDUCED, reason="Port"),),
            "period": Period(date(2025, 1, 1), date(2025, 2, 1)),
            "purchase_order": "PO-4711",
            "buyer_reference": "SERVICE-ACHATS",
            "contract_reference": "CT-2025-01",
        },
        "foreign-currency": {
            "currency": "USD",
            "lines": (sample_line(unit_price=to_money("120.00", "USD")),),
            "tax_currency": "EUR",
            "tax_exchange_rate": "0.9215",
        },
        "b2c": {"buyer": consumer, "payment_means": (PaymentMeans.cheque(),)},
        "direct-debit": {
            "buyer": sample_buyer(iban="FR1420041010050500013M02606"),
            "payment_means": (
                PaymentMeans.direct_debit(
                    "RUM-2025-0042", "FR72ZZZ123456", debtor_iban="FR1420041010050500013M02606"
                ),
            ),
            "notes": (Note("Merci de votre confiance."), Note("Livraison partielle.", "AAI")),
        },
        "debits-mixed": {
            "seller": sample_seller(vat_on_debits=True),
            "lines": (
                sample_line(),
                sample_line(
                    description="Serveur",
                    unit="C62",
                    quantity="1",
                    unit_price=eur("2400.00"),
                    supply=SupplyKind.GOODS,
                ),
            ),
            "payment_means": (PaymentMeans.card("1234", "J. Martin"),),
            "project_reference": "PRJ-2025-7",
            "order_reference": "CMD-2025-0099",
        },
    }
    scheme = NumberingScheme(pattern="FA-{yyyy}-{seq:04}")
    documents: dict[str, object] = {}
    for name, fields in situations.items():
        draft = sample_invoice(**fields)
        invoice, _ = issue(draft, scheme, SequenceState(), on=date(2025, 1, 15))
        documents[f"{name}-380"] = invoice
        credit, _ = issue(
            attrs.evolve(
                credit_note(invoice, reason="Retour"),
                delivery_date=invoice.delivery_date,
                deliver_to=invoice.deliver_to,
            ),
            NumberingScheme(pattern="AV-{yyyy}-{seq:04}"),
            SequenceState(),
            on=date(2025, 1, 20),
        )
        documents[f"{name}-381"] = credit
        corrective, _ = issue(
            attrs.evolve(draft, kind=DocumentKind.CORRECTIVE, preceding=(invoice.reference,)),
            NumberingScheme(pattern="FR-{yyyy}-{seq:04}"),
            SequenceState(),
            on=date(2025, 1, 21),
        )
        documents[f"{name}-384"] = corrective
        deposit, _ = issue(
            attrs.evolve(draft, kind=DocumentKind.DEPOSIT),
            NumberingScheme(pattern="AC-{yyyy}-{seq:04}"),
            SequenceState(),
            on=date(2025, 1, 10),
        )
        documents[f"{name}-386"] = deposit
    deposit, final = sample_deposit_invoices()
    documents["deposits-386"] = deposit
    documents["deposits-380"] = final
    return documents


@pytest.fixture(scope="session")
def einvoice_documents() -> dict[str, object]:
    """The issued documents of every kind × VAT situation (see `_einvoice_documents`)."""
    return _einvoice_documents()
