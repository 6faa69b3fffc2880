"""The pre-flight check agrees with the official validator on drawn documents.

Hypothesis draws invoices carrying the 2026 mentions (goods and services, payment
means, notes, deliver-to, electronic addresses), in euros and in dollars, issued
on random dates; each is written as CII and all of them are checked by
``facturx.py --fr`` in one batched run. For every one, `check` must name exactly
the failed asserts the validator names (none for a valid document). The sample is
bounded (the validator runs once for the whole sample).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facturlib.core.documents import Invoice
from facturlib.einvoice import check
from facturlib.einvoice.cii import to_cii
from facturlib.testing.strategies import invoices


def _draw_documents(count: int) -> list[Invoice]:
    drawn: list[Invoice] = []

    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(
        invoices(mentions=True, currency_codes=st.sampled_from(["EUR", "USD"])),
        st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)),
    )
    def collect(invoice: Invoice, on: date) -> None:
        # One payment means code per e-invoice (the writers refuse more: CII-SR-467).
        if len({m.code for m in invoice.payment_means}) > 1:
            return
        number = f"FA-{on.year}-{len(drawn):04d}"
        drawn.append(invoice._issued_copy(number=number, issue_date=on))

    collect()
    return drawn


def test_check_names_what_the_validator_names(tmp_path: Path, validate: Callable[..., Any]) -> None:
    """For every drawn document, check() and facturx.py --fr name the same asserts."""
    documents = _draw_documents(40)
    assert len(documents) >= 20, "too few documents drawn"
    paths: dict[str, Invoice] = {}
    for index, document in enumerate(documents):
        path = tmp_path / f"{index:03d}.xml"
        path.write_bytes(to_cii(document))
        paths[str(path)] = document

    errors = validate("facturx.py", [Path(p) for p in paths], fr=True)

    disagreements = {}
    for path, document in paths.items():
        ours = sorted({p.code for p in check(document) if p.fatal})
        theirs = sorted({str(f["rule"]) for f in errors[path]})
        if ours != theirs:
            disagreements[document.number] = (ours, theirs)
    assert {} == disagreements
