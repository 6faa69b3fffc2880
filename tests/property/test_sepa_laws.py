"""Laws of SEPA batches: counts and sums agree everywhere, files are always schema-valid,
and a reject reopens exactly the debits rejected."""

from __future__ import annotations

import os
import subprocess
import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from facturlib.core.issuing import issue
from facturlib.core.numbering import SequenceState
from facturlib.receivables.payments import balance, settle
from facturlib.sepa.batch import DirectDebitBatch, debits_due
from facturlib.sepa.checks import Pain008Version
from facturlib.sepa.pain008 import write_pain008
from facturlib.sepa.returns import reversals
from facturlib.testing.builders import (
    sample_buyer,
    sample_creditor,
    sample_invoice,
    sample_mandate,
    sample_scheme,
)
from facturlib.testing.strategies import direct_debit_batches

VERSIONS = [Pain008Version.V001_08, Pain008Version.V001_02, Pain008Version.V003_02]


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


def counts_and_sums(xml: bytes, version: Pain008Version) -> list[tuple[str, str, int, Decimal]]:
    ns = {"p": version.namespace}
    root = etree.fromstring(xml)
    result = []
    for holder in [
        root.find("p:CstmrDrctDbtInitn/p:GrpHdr", ns),
        *root.iterfind(".//p:PmtInf", ns),
    ]:
        scope = root if holder.tag.endswith("GrpHdr") else holder
        amounts = [Decimal(a) for a in scope.xpath(".//p:InstdAmt/text()", namespaces=ns)]
        result.append(
            (
                holder.findtext("p:NbOfTxs", namespaces=ns),
                holder.findtext("p:CtrlSum", namespaces=ns),
                len(amounts),
                sum(amounts),
            )
        )
    return result


class TestBatchLaws:
    @settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow])
    @given(direct_debit_batches(), st.sampled_from(VERSIONS))
    def test_counts_and_sums(self, batch: DirectDebitBatch, version: Pain008Version) -> None:
        """NbOfTxs = count and CtrlSum = Σ amounts in the header and every block."""
        for nb, ctrl, count, total in counts_and_sums(
            write_pain008(batch, version=version), version
        ):
            assert (str(count), total) == (nb, Decimal(ctrl))

    def test_schema_valid_on_a_sample(self) -> None:
        """A bounded sample of generated batches, in three versions, all pass pain008.py."""
        where = validator_dir()
        if where is None:
            pytest.skip("no shared/validate directory (run shared/validate/setup.sh first)")
        batches: list[DirectDebitBatch] = []

        @settings(max_examples=15, database=None, suppress_health_check=[HealthCheck.too_slow])
        @given(direct_debit_batches(max_debits=20))
        def collect(batch: DirectDebitBatch) -> None:
            batches.append(batch)

        collect()
        with tempfile.TemporaryDirectory() as folder:
            paths = []
            for i, batch in enumerate(batches):
                for version in VERSIONS:
                    path = Path(folder) / f"b{i}-{version.value}.xml"
                    path.write_bytes(write_pain008(batch, version=version))
                    paths.append(str(path))
            result = subprocess.run(
                ["python3", str(where / "pain008.py"), *paths],
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
        assert 0 == result.returncode, result.stdout[-4000:]


class TestRejectLaws:
    @settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
    @given(st.sets(st.integers(min_value=1, max_value=6)))
    def test_reject_reopens_exactly_the_rejected(self, rejected: set[int]) -> None:
        """Whatever subset is rejected, settle() shows exactly those invoices open again."""
        state = SequenceState()
        invoices = []
        for i in range(1, 7):
            buyer = sample_buyer(id=f"CLI{i:06d}", siren=None, vat_id=None)
            invoice, state = issue(
                sample_invoice(buyer=buyer), sample_scheme(), state, on=date(2025, 1, 15)
            )
            invoices.append(invoice)
        mandates = {inv.buyer.key: sample_mandate(n) for n, inv in enumerate(invoices, 1)}
        debits, _ = debits_due(
            invoices, mandates, due_by=date(2025, 2, 14), collection_date=date(2025, 2, 17)
        )
        batch = DirectDebitBatch(
            message_id="M",
            created_at=datetime(2025, 2, 14),
            creditor=sample_creditor(),
            debits=debits,
        )
        back = reversals(
            batch, [(f"FA-2025-{i:04d}", "AM04") for i in sorted(rejected)], on=date(2025, 2, 20)
        )
        result = settle(
            invoices,
            [p.cleared() for p in batch.payments()],
            reversals=back,
            allocations=batch.allocations(),
            on=date(2025, 2, 25),
        )

        assert {f"FA-2025-{i:04d}" for i in rejected} == {
            i.number for i in invoices if not balance(i, result).settled
        }
