"""Laws of the e-invoice writers, on drawn documents.

* Every drawn invoice written as CII (EN 16931) and UBL passes the official
  validators with ``--fr``: zero errors. Each hypothesis example is a batch of
  documents validated in one process per format, so the budget stays bounded.
* The XML always parses back (hostile text included) and states the totals of
  ``totals()``; CII and UBL state the same figures.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from lxml import etree

from facturlib import (
    FR_INTERMEDIATE,
    FR_REDUCED,
    FR_STANDARD,
    FR_SUPER_REDUCED,
    Invoice,
    NumberingScheme,
    SequenceState,
    VatRate,
    issue,
    to_cii,
    to_ubl,
)
from facturlib.core.errors import FacturlibError
from facturlib.testing.builders import sample_buyer, sample_invoice, sample_line
from facturlib.testing.strategies import invoices

#: The rates and categories the French CTC admits (BR-FR-15, BR-FR-16) that need
#: nothing more than a French B2B buyer.
FRENCH_RATES = st.sampled_from(
    [
        FR_STANDARD,
        FR_REDUCED,
        FR_INTERMEDIATE,
        FR_SUPER_REDUCED,
        VatRate.exempt("Exonération de TVA, art. 261-4-4° du CGI"),
        VatRate.reverse_charge(),
    ]
)
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def issued(draft: Invoice) -> Invoice:
    assert draft.due_date is not None
    invoice, _ = issue(
        draft,
        NumberingScheme(pattern="FA-{yyyy}-{seq:04}"),
        SequenceState(),
        on=draft.due_date,
        allow_negative=True,
    )
    return invoice


def french_invoices() -> st.SearchStrategy[Invoice]:
    return invoices(currency_codes=st.just("EUR"), rates=FRENCH_RATES, max_lines=6).map(issued)


def amounts(xml: bytes, name: str) -> list[Decimal]:
    root = etree.fromstring(xml, PARSER)
    return [Decimal(e.text) for e in root.iter("{*}" + name)]


@pytest.mark.usefixtures("validate")
# A batch of documents makes a long repr, which hypothesis warns about on failure.
@pytest.mark.filterwarnings(
    "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning"
)
class TestValidatedSample:
    @settings(
        max_examples=3,
        # One example is a batch of 8 documents and two validator runs: no shrinking
        # (a failure prints every finding of the batch instead).
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(batch=st.lists(french_invoices(), min_size=8, max_size=8))
    def test_drawn_documents_pass_the_validators(
        self,
        batch: list[Invoice],
        validate: Callable[..., dict[str, list[dict[str, object]]]],
        tmp_path_factory: pytest.TempPathFactory,
    ) -> None:
        """Drawn invoices, as CII EN 16931 and UBL, pass facturx.py/ubl.py --fr: no error."""
        directory = tmp_path_factory.mktemp("drawn")
        cii: list[Path] = []
        ubl: list[Path] = []
        for index, invoice in enumerate(batch):
            cii.append(directory / f"{index}.cii.xml")
            cii[-1].write_bytes(to_cii(invoice))
            ubl.append(directory / f"{index}.ubl.xml")
            ubl[-1].write_bytes(to_ubl(invoice))
        findings = validate("facturx.py", cii, fr=True)
        findings.update(validate("ubl.py", ubl, fr=True))

        assert {} == {Path(p).name: e for p, e in findings.items() if e}


class TestParsesBack:
    @settings(max_examples=40)
    @given(invoice=french_invoices())
    def test_cii_and_ubl_state_the_totals(self, invoice: Invoice) -> None:
        """Both formats state BT-112 and BT-115 of totals(), and the same line nets."""
        totals = invoice.totals()
        cii = to_cii(invoice)
        ubl = to_ubl(invoice)

        assert [totals.bt112] == amounts(cii, "GrandTotalAmount")
        assert [totals.bt115] == amounts(cii, "DuePayableAmount")
        assert [totals.bt112] == amounts(ubl, "TaxInclusiveAmount")
        assert [totals.bt115] == amounts(ubl, "PayableAmount")
        assert list(totals.line_nets) == amounts(cii, "LineTotalAmount")[:-1]

    @settings(max_examples=50)
    @given(text=st.text(min_size=1, max_size=300))
    def test_hostile_text_parses_back_or_is_refused(self, text: str) -> None:
        """Any text in a name or designation either comes back unchanged or is refused
        with a facturlib error (at construction or when writing); the XML never breaks."""
        try:
            invoice = issued(
                sample_invoice(
                    buyer=sample_buyer(name=text),
                    lines=(sample_line(description=text),),
                    due_date=date(2025, 2, 14),
                )
            )
        except FacturlibError:
            return
        for write in (to_cii, to_ubl):
            try:
                xml = write(invoice)
            except FacturlibError:
                continue
            root: Any = etree.fromstring(xml, PARSER)
            names = [e.text or "" for e in root.iter("{*}Name", "{*}RegistrationName")]

            assert invoice.buyer.name in names
            assert invoice.lines[0].description in names
