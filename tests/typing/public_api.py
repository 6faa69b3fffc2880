"""Typing test: pins the types of the public surface (checked by mypy --strict in CI).

This file is not run by pytest; ``mypy --strict tests/typing`` checks it. Each
``assert_type`` fails the type check if a public signature drifts, and each
``# type: ignore[...]`` line is a misuse that must stay a type error (mypy
--strict warns about unused ignores, so a signature that starts accepting the
misuse fails the check too).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, assert_type

import facturlib as fl
from facturlib.core.errors import Problem
from facturlib.core.serialize import from_dict, from_json, to_dict, to_json
from facturlib.renderers import RenderedDocument, Renderer
from facturlib.testing.builders import sample_invoice, sample_scheme


def money_helpers() -> None:
    eur = fl.to_money("12.50", "EUR")
    assert_type(eur, fl.Money)
    assert_type(fl.currency("EUR"), fl.Currency)
    assert_type(fl.minor_units(fl.currency("JPY")), int)
    assert_type(fl.allocate(eur, [1, 2, 3]), tuple[fl.Money, ...])
    assert_type(fl.round_money(eur), fl.Money)
    assert_type(fl.sum_money([eur, eur], "EUR"), fl.Money)
    fl.to_money(12.5, "EUR")  # type: ignore[arg-type]


def documents_and_issuing() -> None:
    draft = sample_invoice()
    totals = draft.totals()
    assert_type(totals, fl.Totals)
    assert_type(totals.amount_due, fl.Money)
    assert_type(totals.vat_breakdown, tuple[fl.VatBreakdown, ...])
    assert_type(fl.check_invoice(draft, date(2025, 1, 15)), tuple[Problem, ...])
    issued, state = fl.issue(draft, sample_scheme(), fl.SequenceState(), date(2025, 1, 15))
    assert_type(issued, fl.Invoice)
    assert_type(state, fl.SequenceState)
    assert_type(issued.number, str | None)
    credit = fl.credit_note(issued, ratio=Decimal("0.5"))
    assert_type(credit, fl.Invoice)
    assert_type(fl.creditable(issued, previous=[credit]), tuple[fl.VatBreakdown, ...])
    fl.issue(draft, sample_scheme(), fl.SequenceState(), "2025-01-15")  # type: ignore[arg-type]


def payments() -> None:
    payment = fl.Payment(
        id="PAY-1", customer="CLI0001", amount=fl.to_money("10", "EUR"), date=date(2025, 1, 1)
    )
    assert_type(payment.amount, fl.Money)
    assert_type(payment.method, fl.PaymentMethod)
    assert_type(payment.cleared(), fl.Payment)


def journal_events(late: fl.LatePenalty) -> None:
    penalty = fl.LatePaymentPenalty.from_penalty(late, customer="CLI0001", reference="FA-1")
    assert_type(penalty, fl.LatePaymentPenalty)
    assert_type(penalty.interest, fl.Money | None)
    fl.LatePaymentPenalty.from_penalty(fl.to_money("40", "EUR"), customer="CLI0001")  # type: ignore[arg-type]


def renderers(renderer: Renderer[fl.Invoice]) -> None:
    assert_type(renderer.render(sample_invoice()), RenderedDocument)
    renderer.render("not an invoice")  # type: ignore[arg-type]


def tagged_json() -> None:
    text = to_json(sample_invoice())
    assert_type(from_json(fl.Invoice, text), fl.Invoice)
    assert_type(from_json(text), Any)
    assert_type(from_dict(fl.SequenceState, to_dict(fl.SequenceState())), fl.SequenceState)
    assert_type(from_dict(to_dict(fl.SequenceState())), Any)
    from_json(fl.Invoice)  # type: ignore[call-overload]
