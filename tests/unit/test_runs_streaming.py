"""Tests for facturlib.runs.streaming: streamed, parallel, distributed, restarted runs."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
from datetime import date, datetime
from pathlib import Path

import pytest

from facturlib.accounting.fec import check_fec, export_fec
from facturlib.core.documents import Invoice
from facturlib.core.errors import InvalidValue, LedgerError, SepaError
from facturlib.core.numbering import SequenceState, audit_numbers
from facturlib.core.serialize import from_json, to_json
from facturlib.runs.billing import issue_planned
from facturlib.runs.drafting import draft_customer
from facturlib.runs.sepa_check import check_pain008
from facturlib.runs.streaming import (
    FecWriter,
    RunCheckpoint,
    StreamedInvoice,
    draft_partition,
    stream_bill_run,
    write_bill_run,
    write_pain008_stream,
)
from facturlib.sepa.mandates import Mandate
from facturlib.sepa.pain008 import write_pain008
from facturlib.testing.builders import (
    sample_creditor,
    sample_customer_books,
    sample_direct_debit_batch,
    sample_mandate,
    sample_numbering_plan,
)

THROUGH = date(2026, 3, 31)
CUSTOMERS = 40


def _run(folder: Path, **options: object) -> dict[str, bytes]:
    options.setdefault("mandates", [sample_mandate(i) for i in range(1, CUSTOMERS + 1, 2)])
    write_bill_run(
        sample_customer_books(CUSTOMERS),
        folder,
        through=THROUGH,
        numbering=sample_numbering_plan(),
        state=SequenceState(),
        **options,  # type: ignore[arg-type]
    )
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The files of the single-process run, 3 months of 40 customers."""
    return _run(tmp_path_factory.mktemp("single"), partition_size=7)


class TestDraftPartition:
    def test_sorted_in_issue_order(self) -> None:
        """The planned invoices of a partition come by date, then customer."""
        drafted = draft_partition(list(sample_customer_books(3)), THROUGH)
        expected = sorted((p.planned, p.customer) for p in drafted.planned)
        assert expected == [(p.planned, p.customer) for p in drafted.planned]
        assert 9 == len(drafted.planned)

    def test_bad_through(self) -> None:
        """A through that is not a date is refused."""
        with pytest.raises(InvalidValue):
            draft_partition([], "2026-03-31")  # type: ignore[arg-type]


class TestStreamBillRun:
    def test_same_as_issue_planned(self) -> None:
        """The streamed run issues what issue_planned issues: numbers, dates, totals."""
        books = list(sample_customer_books(12))
        planned = [p for b in books for p in draft_customer(b, through=THROUGH).planned]
        expected = issue_planned(planned, sample_numbering_plan(), SequenceState())
        streamed = list(
            stream_bill_run(
                iter(books),
                through=THROUGH,
                numbering=sample_numbering_plan(),
                state=SequenceState(),
                partition_size=5,
            )
        )
        assert [(d.number, d.issue_date, d.totals()) for d in expected.documents] == [
            (s.invoice.number, s.invoice.issue_date, s.invoice.totals()) for s in streamed
        ]
        assert expected.numbering == streamed[-1].numbering
        assert list(range(1, 37)) == [s.position for s in streamed]

    def test_resume_from_checkpoint(self) -> None:
        """Started from a checkpoint taken after the 7th invoice, the stream gives the
        8th invoice on: same numbers, same documents."""
        options = {
            "through": THROUGH,
            "numbering": sample_numbering_plan(),
            "partition_size": 4,
        }
        full = list(stream_bill_run(sample_customer_books(6), state=SequenceState(), **options))  # type: ignore[arg-type]
        seventh = full[6]
        checkpoint = RunCheckpoint(
            through=THROUGH, position=7, read=seventh.read, numbering=seventh.numbering
        )
        rest = list(
            stream_bill_run(
                sample_customer_books(6),
                state=SequenceState(),
                start=checkpoint,
                **options,  # type: ignore[arg-type]
            )
        )
        assert [s.invoice for s in full[7:]] == [s.invoice for s in rest]
        assert [8, 9] == [s.position for s in rest[:2]]

    def test_each_invoice_booked(self) -> None:
        """Every streamed invoice carries its balanced journal entry."""
        streamed = next(
            stream_bill_run(
                sample_customer_books(1),
                through=THROUGH,
                numbering=sample_numbering_plan(),
                state=SequenceState(),
            )
        )
        assert isinstance(streamed, StreamedInvoice)
        assert 1 == len(streamed.entries)
        assert streamed.invoice.number == streamed.entries[0].piece

    def test_not_a_book(self) -> None:
        """Anything but a CustomerBook in the stream is refused with its position."""
        run = stream_bill_run(
            ["CLI1"],  # type: ignore[list-item]
            through=THROUGH,
            numbering=sample_numbering_plan(),
            state=SequenceState(),
        )
        with pytest.raises(InvalidValue, match="CustomerBook") as caught:
            next(run)
        assert "books[0]" == caught.value.field

    @pytest.mark.parametrize("workers", [0, -1, True, 1.5])
    def test_bad_workers(self, workers: object) -> None:
        """workers is a whole number ≥ 1."""
        with pytest.raises(InvalidValue, match="workers"):
            stream_bill_run(
                [],
                through=THROUGH,
                numbering=sample_numbering_plan(),
                state=SequenceState(),
                workers=workers,  # type: ignore[arg-type]
            )

    def test_not_iterable(self) -> None:
        """Books that are not iterable are refused at once."""
        with pytest.raises(InvalidValue, match="iterable") as caught:
            stream_bill_run(
                5,  # type: ignore[arg-type]
                through=THROUGH,
                numbering=sample_numbering_plan(),
                state=SequenceState(),
            )
        assert "books" == caught.value.field


class TestFecWriter:
    def test_same_as_export_fec(self) -> None:
        """Written entry by entry, the FEC is byte for byte export_fec's."""
        streamed = list(
            stream_bill_run(
                sample_customer_books(5),
                through=THROUGH,
                numbering=sample_numbering_plan(),
                state=SequenceState(),
            )
        )
        entries = [e for s in streamed for e in s.entries]
        out = io.StringIO(newline="")
        writer = FecWriter(out)
        writer.header()
        for s in streamed:
            writer.write(s.entries)
        expected = export_fec(entries, siren="732829320", closing=THROUGH, transliterate=True)
        assert expected.content == out.getvalue().encode("iso-8859-15")

    def test_out_of_order(self) -> None:
        """An entry earlier than the last one written is refused."""
        streamed = list(
            stream_bill_run(
                sample_customer_books(1),
                through=THROUGH,
                numbering=sample_numbering_plan(),
                state=SequenceState(),
            )
        )
        writer = FecWriter(io.StringIO())
        writer.write(streamed[-1].entries)
        with pytest.raises(LedgerError, match="chronological"):
            writer.write(streamed[0].entries)


class TestWritePain008Stream:
    def test_same_as_write_pain008(self) -> None:
        """Two passes over the debits give write_pain008's bytes, several blocks too."""
        batch = sample_direct_debit_batch(30, dates=3, sequence_types=True)
        out = io.BytesIO()
        count = write_pain008_stream(
            lambda: iter(batch.debits),
            out,
            message_id=batch.message_id,
            created_at=batch.created_at,
            creditor=batch.creditor,
        )
        assert 30 == count
        assert write_pain008(batch) == out.getvalue()

    def test_no_debit(self) -> None:
        """A message without debits is refused."""
        with pytest.raises(SepaError, match="at least one"):
            write_pain008_stream(
                lambda: iter(()),
                io.BytesIO(),
                message_id="M1",
                created_at=datetime(2026, 3, 31, 9),
                creditor=sample_creditor(),
            )


class TestWriteBillRun:
    def test_files_pass_the_checks(
        self, reference: dict[str, bytes], tmp_path: Path, run_validator: object
    ) -> None:
        """The FEC passes check_fec; the pain.008 passes check_pain008 and the validator."""
        fec_name = next(n for n in reference if "FEC" in n)
        assert () == check_fec(reference[fec_name], filename=fec_name)
        assert () == tuple(check_pain008(reference["sepa.xml"]))
        path = tmp_path / "sepa.xml"
        path.write_bytes(reference["sepa.xml"])
        reports = run_validator("pain008", [path])  # type: ignore[operator]
        assert [] == reports["sepa.xml"]["error_lines"]

    def test_numbers_gapless(self, reference: dict[str, bytes]) -> None:
        """120 invoices, numbered without gap, duplicate or disorder."""
        docs = [from_json(Invoice, line) for line in reference["invoices.jsonl"].splitlines()]
        assert CUSTOMERS * 3 == len(docs)
        numbers = [(d.number, d.issue_date) for d in docs]
        scheme = sample_numbering_plan().rules[0].scheme
        assert () == audit_numbers(numbers, scheme)  # type: ignore[arg-type]

    def test_two_workers_byte_identical(self, reference: dict[str, bytes], tmp_path: Path) -> None:
        """Drafting in 2 processes gives the same files, byte for byte."""
        assert reference == _run(tmp_path, partition_size=7, workers=2)

    def test_dask_byte_identical(self, reference: dict[str, bytes], tmp_path: Path) -> None:
        """Drafting on a dask LocalCluster gives the same files, byte for byte."""
        distributed = pytest.importorskip(
            "distributed", reason="dask[distributed] is not installed: pip install facturlib[dask]"
        )
        with (
            distributed.LocalCluster(
                n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            assert reference == _run(tmp_path, partition_size=7, dask_client=client)

    def test_mandate_lookup(self, reference: dict[str, bytes], tmp_path: Path) -> None:
        """Mandates given by a lookup function give the same files as a list."""

        def mandate_of(key: str) -> Mandate | None:
            index = int(key.removeprefix("CLI"))
            return sample_mandate(index) if index % 2 else None

        files = _run(tmp_path, partition_size=7, mandates=mandate_of)
        assert reference == files

    def test_bad_mandates(self, tmp_path: Path) -> None:
        """Mandates that are neither Mandate values nor a function are refused at once."""
        with pytest.raises(InvalidValue, match="mandates"):
            _run(tmp_path, mandates=[object()])
        assert [] == list(tmp_path.iterdir())

    def test_killed_and_resumed(self, reference: dict[str, bytes], tmp_path: Path) -> None:
        """A run killed (SIGKILL) after 53 invoices resumes from its checkpoint of the
        50th: no gap, no duplicate, the same files as an uninterrupted run."""
        out, saved = tmp_path / "out", tmp_path / "checkpoint"
        script = textwrap.dedent(
            f"""
            import os, signal
            from datetime import date
            from facturlib.core.numbering import SequenceState
            from facturlib.runs.streaming import write_bill_run
            from facturlib.testing.builders import (
                sample_customer_books, sample_mandate, sample_numbering_plan)

            def progress(streamed):
                if streamed.position == 53:
                    os.kill(os.getpid(), signal.SIGKILL)

            write_bill_run(
                sample_customer_books({CUSTOMERS}), {str(out)!r},
                through=date(2026, 3, 31), numbering=sample_numbering_plan(),
                state=SequenceState(),
                mandates=[sample_mandate(i) for i in range(1, {CUSTOMERS + 1}, 2)],
                partition_size=7, checkpoint={str(saved)!r}, checkpoint_every=10,
                progress=progress)
            """
        )
        done = subprocess.run([sys.executable, "-c", script], check=False, timeout=120)
        assert -signal.SIGKILL == done.returncode
        assert (saved / "checkpoint.json").exists()
        lines = (out / "invoices.jsonl").read_bytes().splitlines()
        assert len(lines) >= 50
        summary = write_bill_run(
            sample_customer_books(CUSTOMERS),
            out,
            through=THROUGH,
            numbering=sample_numbering_plan(),
            state=SequenceState(),
            mandates=[sample_mandate(i) for i in range(1, CUSTOMERS + 1, 2)],
            partition_size=7,
            checkpoint=saved,
            checkpoint_every=10,
        )
        assert 50 == summary.resumed_from
        assert CUSTOMERS * 3 == summary.invoices
        assert reference == {p.name: p.read_bytes() for p in sorted(out.iterdir())}
        assert not (saved / "checkpoint.json").exists()

    def test_checkpoint_of_another_run(self, tmp_path: Path) -> None:
        """A checkpoint of a run through another day is refused, not mixed in."""
        saved = tmp_path / "checkpoint"

        def stop(streamed: StreamedInvoice) -> None:
            if streamed.position == 2:
                raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            _run(tmp_path / "out", checkpoint=saved, checkpoint_every=1, progress=stop)
        with pytest.raises(InvalidValue, match="through 2026-03-31"):
            write_bill_run(
                sample_customer_books(2),
                tmp_path / "out",
                through=date(2026, 4, 30),
                numbering=sample_numbering_plan(),
                state=SequenceState(),
                checkpoint=saved,
            )

    def test_hostile_checkpoint(self, tmp_path: Path) -> None:
        """A checkpoint naming a file outside the run's own is refused, nothing is cut."""
        victim = tmp_path / "victim.txt"
        victim.write_text("keep me")
        saved = tmp_path / "checkpoint"
        saved.mkdir()
        checkpoint = RunCheckpoint(through=THROUGH, position=1, files=[("../victim.txt", 0)])
        (saved / "checkpoint.json").write_text(to_json(checkpoint))
        with pytest.raises(InvalidValue, match="does not write"):
            _run(tmp_path / "out", checkpoint=saved)
        assert "keep me" == victim.read_text()

    def test_bad_checkpoint_every(self, tmp_path: Path) -> None:
        """checkpoint_every is a whole number ≥ 1."""
        with pytest.raises(InvalidValue, match="checkpoint_every"):
            _run(tmp_path, checkpoint_every=0)


def test_spool_is_private() -> None:
    """The spool lives in a private temporary folder removed after the run."""
    before = set(os.listdir(os.environ.get("TMPDIR", "/tmp")))
    list(
        stream_bill_run(
            sample_customer_books(2),
            through=THROUGH,
            numbering=sample_numbering_plan(),
            state=SequenceState(),
        )
    )
    after = set(os.listdir(os.environ.get("TMPDIR", "/tmp")))
    assert set() == {n for n in after - before if n.startswith("facturlib-run-")}
