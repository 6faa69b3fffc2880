"""E-invoices of the line kinds added for issue 18, checked by the official validators.

Milestone and deposit invoices that keep the deal's products (with a shipping charge
and a global discount shared), each written as CII (EN 16931 profile) and UBL, then
run through ``facturx.py --fr`` and ``ubl.py --fr`` of ../shared/validate in one
batched call each: zero errors (XSD, EN 16931 BR-LIN/BR-CO, BR-FR).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from facturlib import (
    FR_REDUCED,
    FR_STANDARD,
    BillingPlan,
    DocumentCharge,
    Invoice,
    Line,
    Milestone,
    NumberingScheme,
    Order,
    SequenceState,
    deposit_invoice,
    final_invoice,
    issue,
    milestone_invoices,
    to_cii,
    to_money,
    to_ubl,
)
from facturlib.core.lines import Discount
from facturlib.testing.builders import sample_buyer, sample_seller

SCHEME = NumberingScheme(pattern="FA-{yyyy}-{seq:04}")
START = date(2025, 1, 31)


def eur(amount: str) -> object:
    return to_money(amount, "EUR")


def product_deal() -> Order:
    return Order(
        seller=sample_seller(),
        buyer=sample_buyer(),
        currency="EUR",
        number="BC-9",
        lines=[
            Line(
                description="Développement",
                quantity=20,
                unit_price=eur("900.00"),
                vat=FR_STANDARD,
                product_id="DEV",
            ),
            Line(
                description="Licence",
                quantity=3,
                unit_price=eur("333.33"),
                vat=FR_STANDARD,
                product_id="LIC",
            ),
            Line(
                description="Livres",
                quantity=7,
                unit_price=eur("12.99"),
                vat=FR_REDUCED,
                product_id="BK",
                supply="goods",
            ),
        ],
        charges=[
            DocumentCharge(amount=eur("50.00"), vat=FR_STANDARD, reason="Port", reason_code="FC")
        ],
        global_discount=Discount(percent="5"),
    )


def issued_all(drafts: list[Invoice]) -> list[Invoice]:
    state = SequenceState()
    result = []
    for draft in drafts:
        invoice, state = issue(
            draft, SCHEME, state, on=draft.issue_date or START, due_date=draft.due_date or START
        )
        result.append(invoice)
    return result


def documents() -> dict[str, Invoice]:
    """Every new line kind, issued."""
    deal = product_deal()
    plan = BillingPlan(
        milestones=[
            Milestone(label="Acompte", percent="10", kind="deposit"),
            Milestone(label="Livraison", percent="33.3333", after_months=1),
            Milestone(label="Solde", percent="56.6667", kind="balance", after_months=2),
        ]
    )
    result: dict[str, Invoice] = {}
    for i, invoice in enumerate(
        issued_all(list(milestone_invoices(deal, plan, start=START, payment_days=30)))
    ):
        result[f"milestone-{i}"] = invoice
    deposit = issued_all([deposit_invoice(deal, amount=eur("1000.00"), due_date=START)])[0]
    result["deposit-amount"] = deposit
    result["final-after-deposit"] = issued_all(
        [final_invoice(deal, [deposit], due_date=date(2025, 3, 31))]
    )[0]
    return result


@pytest.fixture(scope="module")
def findings(
    tmp_path_factory: pytest.TempPathFactory,
    validate: Callable[..., dict[str, list[dict[str, object]]]],
) -> dict[str, list[dict[str, object]]]:
    """Each document as CII (EN 16931) and UBL, validated with the French rules."""
    directory = tmp_path_factory.mktemp("line-kinds")
    cii: list[Path] = []
    ubl: list[Path] = []
    for name, document in documents().items():
        cii.append(directory / f"{name}.cii.xml")
        cii[-1].write_bytes(to_cii(document, "EN 16931"))
        ubl.append(directory / f"{name}.ubl.xml")
        ubl[-1].write_bytes(to_ubl(document))
    result = validate("facturx.py", cii, fr=True)
    result.update(validate("ubl.py", ubl, fr=True))
    return {Path(path).name: errors for path, errors in result.items()}


class TestValidators:
    def test_every_file_validated(self, findings: dict[str, list[dict[str, object]]]) -> None:
        """The validators reported on each document, in both syntaxes."""
        assert 2 * len(documents()) == len(findings)

    def test_zero_errors(self, findings: dict[str, list[dict[str, object]]]) -> None:
        """XSD, EN 16931 (BR-LIN, BR-CO) and BR-FR: no error in any file."""
        failing = {
            name: [f"[{e.get('rule')}] {str(e.get('message'))[:160]}" for e in errors]
            for name, errors in sorted(findings.items())
            if errors
        }

        assert {} == failing
