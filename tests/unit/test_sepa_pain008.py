"""pain.008 files of every version pass the external validator (XSD + EPC checks)."""

from __future__ import annotations

import io
import os
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from lxml import etree

from facturlib.core.errors import SepaError
from facturlib.core.money import to_money
from facturlib.core.parties import Address, Party
from facturlib.sepa.batch import DirectDebit, DirectDebitBatch
from facturlib.sepa.checks import Pain008Version
from facturlib.sepa.mandates import Mandate, SequenceType
from facturlib.sepa.pain008 import write_pain008, write_pain008_to
from facturlib.testing.builders import sample_creditor, sample_direct_debit_batch, sample_mandate

VERSIONS = list(Pain008Version)


def _no_validators() -> None:
    """Skip without the validators, except where CI requires them."""
    reason = "no shared/validate directory (run shared/validate/setup.sh first)"
    if os.environ.get("FACTURLIB_REQUIRE_VALIDATORS") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def validator_dir() -> Path | None:
    """../shared/validate, else $FACTURLIB_VALIDATE_DIR, else /work/shared/validate."""
    root = Path(__file__).resolve().parents[2]
    candidates = [root.parent / "shared" / "validate"]
    if os.environ.get("FACTURLIB_VALIDATE_DIR"):
        candidates.append(Path(os.environ["FACTURLIB_VALIDATE_DIR"]))
    candidates.append(Path("/work/shared/validate"))
    for candidate in candidates:
        if (candidate / "pain008.py").is_file():
            return candidate
    return None


def validate(paths: list[Path]) -> str:
    """Validate every file in one validator process; fail with its report unless all pass."""
    where = validator_dir()
    if where is None:
        _no_validators()
    result = subprocess.run(
        ["python3", str(where / "pain008.py"), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if result.returncode == 2:
        pytest.fail(f"validator setup problem: {result.stdout}{result.stderr}")
    assert 0 == result.returncode, result.stdout[-5000:]
    return result.stdout


HOSTILE = "Société Dupont & Fils <Ç_>\x00\x07\t" + "ÿ" * 200
#: Party names and address lines hold no control character (issue 16): the name keeps
#: everything else of HOSTILE; the remittance keeps HOSTILE itself.
HOSTILE_NAME = "Société Dupont & Fils <Ç_> " + "ÿ" * 200


def hostile_batch() -> DirectDebitBatch:
    debtor = Party(
        name=HOSTILE_NAME,
        address=Address(
            line1="<script>&amp;" + "é" * 100,
            line2="\ufeff zone",
            postal_code="69001" * 5,
            city="Saint-Étienne" * 5,
            country_code="FR",
        ),
        iban="DE89370400440532013000",
        bic="COBADEFFXXX",
    )
    mandate = Mandate(reference="RUM-HOSTILE-1", signed_on=date(2025, 1, 10), debtor=debtor)
    amended = mandate.amend(
        on=date(2025, 2, 1), reference="RUM-HOSTILE-2", iban="FR7630006000011234567890189"
    )
    moved = mandate.amend(
        on=date(2025, 2, 1),
        other_bank=True,
        iban="BE68539007547034",
        creditor_id="FR72ZZZ123456",
        previous_creditor_id="ES23ZZZ47690558N",
        previous_creditor_name="Ancien Créancier & Cie <SA>",
    )
    creditor = sample_creditor(name="Crédit & Co " + "ß" * 100)
    debits = [
        DirectDebit(
            end_to_end_id="E2E-1",
            amount=to_money("10.00", "EUR"),
            mandate=mandate,
            collection_date=date(2025, 3, 5),
            remittance=HOSTILE * 3,
        ),
        DirectDebit(
            end_to_end_id="E2E-2",
            amount=to_money("0.01", "EUR"),
            mandate=amended,
            collection_date=date(2025, 3, 5),
            amendment=amended.amendments[0],
            remittance="\x01\x02",
        ),
        DirectDebit(
            end_to_end_id="E2E-3",
            amount=to_money("999999999.99", "EUR"),
            mandate=moved,
            collection_date=date(2025, 3, 6),
            sequence_type=SequenceType.FRST,
            amendment=moved.amendments[0],
        ),
    ]
    return DirectDebitBatch(
        message_id="MSG-HOSTILE",
        created_at=datetime(2025, 3, 1, 9),
        creditor=creditor,
        debits=debits,
        batch_booking=False,
    )


def write_all(tmp_path: Path, name: str, batch: DirectDebitBatch) -> list[Path]:
    paths = []
    for version in VERSIONS:
        path = tmp_path / f"{name}-{version.value}.xml"
        path.write_bytes(write_pain008(batch, version=version))
        paths.append(path)
    return paths


class TestWritePain008:
    def test_every_version_valid(self, tmp_path: Path) -> None:
        """Small, mixed sequence types, several dates, hostile texts and a 10 000-debit
        batch, in every version, all pass pain008.py in one run."""
        bic = sample_creditor().bic
        paths = []
        paths += write_all(tmp_path, "small", _with_bics(sample_direct_debit_batch(3), bic))
        mixed = sample_direct_debit_batch(40, dates=3, sequence_types=True, batch_booking=True)
        paths += write_all(tmp_path, "mixed", _with_bics(mixed, bic))
        paths += write_all(tmp_path, "hostile", hostile_batch())
        large = sample_direct_debit_batch(10_000, dates=4, sequence_types=True)
        paths += write_all(tmp_path, "large", _with_bics(large, bic))

        report = validate(paths)

        assert len(paths) == report.count("RESULT VALID")
        assert "transactions: 10000 in" in report

    def test_hostile_text_transliterated_and_cut(self) -> None:
        """Names are cut to 70, remittance to 140, in the EPC set, control characters gone."""
        root = etree.fromstring(write_pain008(hostile_batch()))
        ns = {"p": Pain008Version.V001_08.namespace}
        names = root.xpath("//p:Dbtr/p:Nm/text()", namespaces=ns)
        texts = root.xpath("//p:Ustrd/text()", namespaces=ns)

        assert "Societe Dupont + Fils C " + "y" * 46 == names[0]
        assert 140 == len(texts[0])
        assert ["E2E-1"] == root.xpath("//p:Ustrd/../../p:PmtId/p:EndToEndId/text()", namespaces=ns)

    def test_amendment_original_data(self) -> None:
        """An amendment carries the original reference, creditor id and SMNDA."""
        root = etree.fromstring(write_pain008(hostile_batch()))
        ns = {"p": Pain008Version.V001_08.namespace}
        details = root.xpath("//p:AmdmntInfDtls", namespaces=ns)

        assert ["RUM-HOSTILE-1"] == details[0].xpath("p:OrgnlMndtId/text()", namespaces=ns)
        assert ["Ancien Creancier + Cie SA"] == details[1].xpath(
            "p:OrgnlCdtrSchmeId/p:Nm/text()", namespaces=ns
        )
        assert ["ES23ZZZ47690558N"] == details[1].xpath(".//p:Othr/p:Id/text()", namespaces=ns)[:1]
        assert "SMNDA" in details[1].xpath(".//p:OrgnlDbtrAcct//p:Id/text()", namespaces=ns)

    def test_counts_and_sums(self) -> None:
        """NbOfTxs and CtrlSum in the header and each block match the debits."""
        batch = sample_direct_debit_batch(25, dates=2, sequence_types=True)
        root = etree.fromstring(write_pain008(batch, version="pain.008.001.02"))
        ns = {"p": Pain008Version.V001_02.namespace}

        assert str(batch.count) == root.findtext(
            "p:CstmrDrctDbtInitn/p:GrpHdr/p:NbOfTxs", namespaces=ns
        )
        assert f"{batch.total:.2f}" == root.findtext(
            "p:CstmrDrctDbtInitn/p:GrpHdr/p:CtrlSum", namespaces=ns
        )
        assert [(str(b.count), f"{b.total:.2f}") for b in batch.blocks()] == [
            (p.findtext("p:NbOfTxs", namespaces=ns), p.findtext("p:CtrlSum", namespaces=ns))
            for p in root.iterfind(".//p:PmtInf", namespaces=ns)
        ]

    def test_refuses_with_every_problem(self) -> None:
        """A bad batch raises one SepaError listing all problems and writes nothing."""
        bad = sample_direct_debit_batch(2, creditor=sample_creditor(creditor_id=None))
        bad = DirectDebitBatch(
            message_id="MSG//1",
            created_at=bad.created_at,
            creditor=bad.creditor,
            debits=[
                *bad.debits,
                DirectDebit(
                    end_to_end_id="E2E-0000001",
                    amount=to_money("5", "USD"),
                    mandate=sample_mandate(9, reference="RUM 9"),
                    collection_date=date(2025, 3, 5),
                ),
            ],
        )
        out = io.BytesIO()

        with pytest.raises(SepaError) as caught:
            write_pain008_to(bad, out)

        assert ["message-id", "creditor-id", "duplicate", "currency", "mandate-reference"] == [
            p.code for p in caught.value.problems
        ]
        assert b"" == out.getvalue()

    def test_002_02_needs_bics(self) -> None:
        """pain.008.002.02 has no IBAN-only form: a missing debtor BIC is reported."""
        with pytest.raises(SepaError) as caught:
            write_pain008(sample_direct_debit_batch(2), version=Pain008Version.V002_02)

        assert ["debtor-bic", "debtor-bic"] == [p.code for p in caught.value.problems]

    def test_unknown_version(self) -> None:
        """An unknown version is refused naming the members."""
        with pytest.raises(SepaError, match=r"Pain008Version\.V001_08"):
            write_pain008(sample_direct_debit_batch(1), version="pain.008.001.99")


def _with_bics(batch: DirectDebitBatch, bic: str | None) -> DirectDebitBatch:
    """Every debtor with a BIC, so that pain.008.002.02 can be written too."""
    import attrs

    debits = tuple(
        attrs.evolve(
            d,
            mandate=attrs.evolve(
                d.mandate, debtor=attrs.evolve(d.mandate.debtor, bic="COBADEFFXXX")
            ),
        )
        for d in batch.debits
    )
    return attrs.evolve(batch, debits=debits)


class TestDemoDirectDebits:
    def test_demo_files_valid_and_reject_booked(self, tmp_path: Path) -> None:
        """The demo's pain.008.001.08 files pass the validator; its July reject is booked."""
        from facturlib.demo import bill_year, load_sample_company
        from facturlib.receivables.payments import balance

        books = bill_year(load_sample_company())
        paths = []
        for batch in books.direct_debits:
            path = tmp_path / f"{batch.message_id}.xml"
            path.write_bytes(write_pain008(batch))
            paths.append(path)
        july = next(b for b in books.direct_debits if b.message_id == "PRLV-2025-07-01")
        invoice = july.debits[0].invoice_number

        validate(paths)
        assert [("PAY-0015", "AM04", date(2025, 7, 6))] == [
            (r.payment_id, r.reason, r.date) for r in books.reversals
        ]
        assert july.debits[0].end_to_end_id == books.reversals[0].payment_id
        assert not balance(invoice, books.settlement(date(2025, 7, 10))).settled


class TestPain008Renderer:
    def test_renders_what_write_pain008_writes(self) -> None:
        """The renderer's bytes are `write_pain008`'s, for the version it was built with."""
        from facturlib.sepa.pain008 import Pain008Renderer

        batch = sample_direct_debit_batch()
        rendered = Pain008Renderer(version="pain.008.001.02").render(batch)
        assert write_pain008(batch, version="pain.008.001.02") == rendered.content
        assert ("application/xml", True) == (
            rendered.media_type,
            rendered.filename.endswith(".xml"),
        )
