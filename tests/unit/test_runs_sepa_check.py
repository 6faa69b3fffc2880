"""check_pain008 (facturlib.runs.sepa_check) and check_file (facturlib.runs.outputs)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from facturlib.demo import load_example_portfolio
from facturlib.runs.billing import bill_run
from facturlib.runs.outputs import check_file
from facturlib.runs.sepa_check import check_pain008
from facturlib.sepa.pain008 import write_pain008


@pytest.fixture(scope="module")
def pain008() -> bytes:
    """The pain.008 file of the example's first quarter."""
    run = bill_run(load_example_portfolio(), through=date(2026, 3, 31))
    return write_pain008(run.direct_debits[0])


def codes(data: bytes) -> list[str]:
    return [p.code for p in check_pain008(data)]


class TestCheckPain008:
    def test_written_file_passes(self, pain008: bytes) -> None:
        """What facturlib writes has no problem."""
        assert [] == codes(pain008)

    def test_control_sum(self, pain008: bytes) -> None:
        """A control sum off by 10.00 is found, in the header and the block."""
        text = pain008.decode()
        start = text.index("<CtrlSum>") + len("<CtrlSum>")
        end = text.index("</CtrlSum>")
        wrong = str(Decimal(text[start:end]) + 10)
        tampered = text.replace(
            f"<CtrlSum>{text[start:end]}</CtrlSum>", f"<CtrlSum>{wrong}</CtrlSum>"
        )
        assert ["control", "control"] == codes(tampered.encode())

    def test_debtor_iban(self, pain008: bytes) -> None:
        """A debtor IBAN with a wrong check digit is found (schwifty)."""
        tampered = pain008.replace(b"FR7630004000030001234567897", b"FR7630004000030001234567898")
        assert ["debtor_iban"] * 3 == codes(tampered)  # the quarter's three debits

    def test_amount_with_three_decimals(self, pain008: bytes) -> None:
        """An amount of 1530.001 breaks AT-06."""
        text = pain008.decode()
        tampered = text.replace('Ccy="EUR">1530.00<', 'Ccy="EUR">1530.001<', 1)
        assert "amount" in codes(tampered.encode())

    def test_entities_are_refused(self) -> None:
        """A DOCTYPE with entities is refused, never expanded."""
        bomb = (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]>'
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.08">&a;</Document>'
        )
        assert ["unreadable"] == codes(bomb)

    def test_other_xml(self) -> None:
        """An XML that is not a pain.008 says so."""
        assert ["not_pain008"] == codes(b"<Document/>")


class TestCheckFile:
    def test_kinds(self, pain008: bytes) -> None:
        """A pain.008 and an unknown file are told apart by content."""
        assert "pain.008" == check_file(pain008).kind
        assert "unknown" == check_file(b"hello").kind
        assert check_file(b"hello").problems
