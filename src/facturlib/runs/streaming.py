"""Bill runs at scale: streamed, drafted in parallel, written incrementally, restartable.

`stream_bill_run` reads `facturlib.runs.drafting.CustomerBook` values from any
iterable (a generator over a file or a database cursor) and yields the issued
invoices one at a time, with their journal entries, in issue order; no list of the
run's invoices is kept. `write_bill_run` drives it into an output folder:

* ``invoices.jsonl``: one issued invoice per line (`facturlib.core.serialize.to_json`);
* the FEC ``<SIREN>FEC<YYYYMMDD>.txt`` (LPF art. A47 A-1), written line by line by
  `FecWriter`;
* ``sepa.xml``: one pain.008.001.08 message collecting the invoices of customers
  with a mandate, written by `write_pain008_stream`.

How it goes:

1. **Partitions.** The books are cut into partitions of *partition_size* customers,
   in the order they come. Each partition is drafted by `draft_partition` (a pure
   function: `facturlib.runs.drafting.draft_customer` over its books, the planned
   invoices sorted by date, customer and sources). Partitions are drafted in this
   process (``workers=1``), in a `multiprocessing` pool (``workers=N``, at most
   ``2 × N`` partitions in flight), or on a Dask cluster (``dask_client=``, the same
   function through ``dask.bag``). Each drafted partition is spooled to a private
   temporary file.
2. **One sequential pass.** The spooled partitions are merged (`heapq.merge`) into
   one chronological stream, ordered as `facturlib.runs.billing.issue_planned`
   orders them, then numbered against one numbering state (gapless and
   chronological: CGI ann. II art. 242 nonies A), re-dated if their series has gone
   past their planned date, and booked (`facturlib.accounting.journal.journalize`).
   The result is the same whatever the number of workers: byte for byte.
3. **Restart.** `write_bill_run` with a *checkpoint* folder commits, every
   *checkpoint_every* invoices, the numbering state, the sources stopped by a
   problem, the position in the stream and the length of every output file
   (`RunCheckpoint`, written to a temporary file and renamed). Run again after a
   crash with the same books and the same folders: the outputs are cut back to the
   committed lengths, the planned invoices read before the checkpoint are skipped, and
   the run goes on with the committed numbering state, without gap or duplicate.
   The checkpoint is removed when the run completes.

Every source of the books is billed through *through* after the run, except the
sources stopped by a problem (`StreamSummary.stopped`), billed through the planned
date of their last invoice issued (or not at all).

>>> from datetime import date
>>> from facturlib.core.numbering import SequenceState
>>> from facturlib.testing.builders import sample_customer_books, sample_numbering_plan
>>> books = sample_customer_books(3, start=date(2026, 1, 1))
>>> plan = sample_numbering_plan()
>>> run = stream_bill_run(books, through=date(2026, 1, 31), numbering=plan,
...                       state=SequenceState())
>>> [(s.invoice.number, s.invoice.buyer.key) for s in run]
[('FA-2026-00001', 'CLI000001'), ('FA-2026-00002', 'CLI000002'), ('FA-2026-00003', 'CLI000003')]

.. versionadded:: 0.2
"""

from __future__ import annotations

import heapq
import itertools
import json
import os
import pickle
import re
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import attrs

from facturlib.accounting.accounts import ChartOfAccounts
from facturlib.accounting.fec import (
    FEC_COLUMNS,
    _fec_amount,
    _fec_date,
    _records,
    _transliterated,
    fec_filename,
)
from facturlib.accounting.journal import Activity, JournalEntry, journalize
from facturlib.core._validators import (
    as_tuple,
    check_date,
    check_instance,
    instance_of,
    is_date,
    is_int,
    tuple_of,
)
from facturlib.core.documents import Invoice
from facturlib.core.errors import FacturlibError, InvalidValue, LedgerError, Problem
from facturlib.core.money import to_money
from facturlib.core.numbering import NumberingPlan, SequenceState
from facturlib.core.parties import Party
from facturlib.core.serialize import from_dict, from_json, to_dict, to_json
from facturlib.runs.billing import Redating, _issue_one, _issue_problem
from facturlib.runs.drafting import CustomerBook, PlannedInvoice, draft_customer
from facturlib.sepa.batch import DirectDebit, DirectDebitBatch, PaymentBlock, debits_due
from facturlib.sepa.calendar import next_target_day
from facturlib.sepa.charset import NAME_LENGTH, fit
from facturlib.sepa.mandates import Mandate

__all__ = [
    "DraftedPartition",
    "FecWriter",
    "RunCheckpoint",
    "StreamSummary",
    "StreamedInvoice",
    "draft_partition",
    "stream_bill_run",
    "write_bill_run",
    "write_pain008_stream",
]


@attrs.frozen(kw_only=True)
class DraftedPartition:
    """What `draft_partition` found for a partition of customers.

    Attributes:
        planned: the planned invoices, in issue order (date, customer, sources).
        problems: what could not be drafted.
        failed: the sources that could not be drafted.

    .. versionadded:: 0.2
    """

    planned: tuple[PlannedInvoice, ...] = attrs.field(
        converter=as_tuple, validator=tuple_of(PlannedInvoice)
    )
    problems: tuple[Problem, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Problem)
    )
    failed: tuple[str, ...] = attrs.field(default=(), converter=as_tuple, validator=tuple_of(str))


def _order(item: PlannedInvoice) -> tuple[date, str, tuple[str, ...]]:
    return (item.planned, item.customer, item.sources)


def draft_partition(books: Sequence[CustomerBook], through: date) -> DraftedPartition:
    """Draft a partition of customers: the function run by every worker.

    A pure function of its arguments (no I/O, no clock), so a partition can be
    drafted in any process or on any machine.

    >>> from facturlib.testing.builders import sample_customer_books
    >>> drafted = draft_partition(list(sample_customer_books(2)), date(2026, 1, 31))
    >>> [p.customer for p in drafted.planned]
    ['CLI000001', 'CLI000002']

    Args:
        books: the customers' books.
        through: bill what is planned on or before this day.

    Returns:
        The `DraftedPartition`.

    .. versionadded:: 0.2
    """
    check_date(through, "through")
    planned: list[PlannedInvoice] = []
    problems: list[Problem] = []
    failed: list[str] = []
    for book in books:
        drafts = draft_customer(book, through=through)
        planned += drafts.planned
        problems += drafts.problems
        failed += drafts.failed
    planned.sort(key=_order)
    return DraftedPartition(planned=planned, problems=problems, failed=failed)


@attrs.frozen(kw_only=True)
class StreamedInvoice:
    """One invoice of a streamed run.

    Attributes:
        position: its rank among the run's invoices (1 for the first).
        read: how many planned invoices of the stream were read up to it, those
            skipped for a source stopped by a problem included.
        invoice: the issued invoice.
        entries: its journal entries (PCG chart).
        sources: the sources it bills.
        numbering: the numbering state after it.
        redated: set when it was issued after its planned date.

    .. versionadded:: 0.2
    """

    position: int = attrs.field(validator=is_int(minimum=1))
    read: int = attrs.field(validator=is_int(minimum=1))
    invoice: Invoice = attrs.field(validator=instance_of(Invoice))
    entries: tuple[JournalEntry, ...] = attrs.field(
        converter=as_tuple, validator=tuple_of(JournalEntry)
    )
    sources: tuple[str, ...] = attrs.field(converter=as_tuple)
    numbering: SequenceState = attrs.field(validator=instance_of(SequenceState))
    redated: Redating | None = attrs.field(
        default=None, validator=instance_of(Redating, optional=True)
    )


def _pairs(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(tuple(v) if isinstance(v, list) else v for v in value)
    return value


def _check_pairs(instance: object, attribute: Any, value: Any) -> None:
    for pair in value:
        if not (
            isinstance(pair, tuple)
            and len(pair) == 2
            and isinstance(pair[0], str)
            and isinstance(pair[1], int)
            and not isinstance(pair[1], bool)
            and pair[1] >= 0
        ):
            raise InvalidValue(
                f"{attribute.name} holds (name, count ≥ 0) pairs",
                field=attribute.name,
                value=pair,
            )


#: The names of the files a streamed run writes; a checkpoint naming any other file
#: is refused (the run cuts those files back to their committed lengths).
_FILE_NAME = re.compile(r"(invoices\.jsonl|debits\.jsonl|[0-9]{9}FEC[0-9]{8}\.txt)")


@attrs.frozen(kw_only=True)
class RunCheckpoint:
    """The committed state of a streamed run (see the module docstring, "Restart").

    Attributes:
        through: the day the run bills through.
        position: how many invoices are issued and written.
        read: how many planned invoices of the stream were read to issue them.
        numbering: the numbering state after them.
        stopped: the sources stopped by a problem so far.
        fec_counters: the last ``EcritureNum`` of each journal in the FEC.
        files: the length in bytes of each output file at *position*.

    .. versionadded:: 0.2
    """

    through: date = attrs.field(validator=is_date)
    position: int = attrs.field(default=0, validator=is_int(minimum=0))
    read: int = attrs.field(default=0, validator=is_int(minimum=0))
    numbering: SequenceState = attrs.field(
        factory=SequenceState, validator=instance_of(SequenceState)
    )
    stopped: tuple[str, ...] = attrs.field(default=(), converter=as_tuple, validator=tuple_of(str))
    fec_counters: tuple[tuple[str, int], ...] = attrs.field(
        default=(), converter=_pairs, validator=_check_pairs
    )
    files: tuple[tuple[str, int], ...] = attrs.field(
        default=(), converter=_pairs, validator=_check_pairs
    )


@attrs.frozen(kw_only=True)
class StreamSummary:
    """What `write_bill_run` did.

    Attributes:
        invoices: how many invoices the run issued (resumed runs included).
        numbering: the numbering state after the run.
        stopped: the sources stopped by a problem: each is billed through the
            planned date of its last invoice in ``invoices.jsonl`` (if any); every
            other source of the books is billed through the run's day.
        problems: what could not be drafted, issued or collected in this process.
        files: the files written, relative to the output folder.
        resumed_from: the position the run resumed from (0: it started afresh).

    .. versionadded:: 0.2
    """

    invoices: int
    numbering: SequenceState
    stopped: tuple[str, ...]
    problems: tuple[Problem, ...]
    files: tuple[str, ...]
    resumed_from: int = 0


# -- partitions ----------------------------------------------------------------


def _chunks(books: Iterable[CustomerBook], size: int) -> Iterator[list[CustomerBook]]:
    iterator = iter(books)
    while chunk := list(itertools.islice(iterator, size)):
        for index, book in enumerate(chunk):
            if not isinstance(book, CustomerBook):
                raise InvalidValue(
                    f"expected a CustomerBook, got {type(book).__name__}",
                    field=f"books[{index}]",
                    hint="facturlib.runs.drafting.customer_books(portfolio) gives them",
                )
        yield chunk


def _spool_partition(books: Sequence[CustomerBook], through: date, path: str) -> DraftedPartition:
    """Draft a partition and spool its planned invoices to *path* (in a worker: only
    the problems travel back, not the drafts)."""
    drafted = draft_partition(books, through)
    _write_spool(Path(path), drafted.planned)
    return attrs.evolve(drafted, planned=())


def _write_spool(path: Path, planned: Sequence[PlannedInvoice]) -> None:
    with path.open("wb") as out:
        for item in planned:
            pickle.dump(item, out, protocol=pickle.HIGHEST_PROTOCOL)


def _local(
    chunks: Iterator[list[CustomerBook]], through: date, workers: int, spool: _Spool
) -> Iterator[DraftedPartition]:
    if workers == 1:
        for chunk in chunks:
            yield _spool_partition(chunk, through, str(spool.reserve()))
        return
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        pending: deque[Any] = deque()
        for chunk in chunks:
            job = (chunk, through, str(spool.reserve()))
            pending.append(pool.apply_async(_spool_partition, job))
            if len(pending) >= 2 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def _on_dask(
    chunks: Iterator[list[CustomerBook]], through: date, client: Any, window: int
) -> Iterator[DraftedPartition]:
    import importlib

    # Typed as Any: dask is an optional extra (pip install facturlib[dask]).
    bags: Any = importlib.import_module("dask.bag")
    while batch := list(itertools.islice(chunks, window)):
        bag = bags.from_sequence(batch, npartitions=len(batch))
        drafted = bag.map(draft_partition, through).compute(scheduler=client.get)
        yield from drafted


class _Spool:
    """The drafted partitions, pickled to private temporary files (written by this
    run's own processes, read back by it only), read back lazily for the merge."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="facturlib-run-")
        self.paths: list[Path] = []

    def reserve(self) -> Path:
        """The path of the next partition's file, in partition order."""
        path = Path(self._dir.name) / f"{len(self.paths):06d}.pickle"
        self.paths.append(path)
        return path

    def add(self, planned: Sequence[PlannedInvoice]) -> None:
        _write_spool(self.reserve(), planned)

    @staticmethod
    def _read(path: Path) -> Iterator[PlannedInvoice]:
        with path.open("rb") as source:
            while True:
                try:
                    yield pickle.load(source)
                except EOFError:
                    return

    def merged(self) -> Iterator[PlannedInvoice]:
        return heapq.merge(*(self._read(p) for p in self.paths), key=_order)

    def close(self) -> None:
        self._dir.cleanup()


def _check_run_arguments(
    through: object, numbering: object, state: object, workers: object, partition_size: object
) -> None:
    check_date(through, "through")
    check_instance(numbering, NumberingPlan, "numbering", hint="NumberingPlan.default()")
    check_instance(state, SequenceState, "state", hint="the state after the last run")
    for name, value in (("workers", workers), ("partition_size", partition_size)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise InvalidValue(f"{name} is a whole number ≥ 1", field=name, value=value)


def stream_bill_run(
    books: Iterable[CustomerBook],
    *,
    through: date,
    numbering: NumberingPlan,
    state: SequenceState,
    workers: int = 1,
    partition_size: int = 2000,
    dask_client: Any = None,
    start: RunCheckpoint | None = None,
    problems: list[Problem] | None = None,
    stopped: set[str] | None = None,
) -> Iterator[StreamedInvoice]:
    """Issue and book the invoices due by *books* through *through*, one at a time.

    See the module docstring. The books are read once, partition by partition; the
    drafted partitions are spooled to temporary files, so memory holds about
    ``2 × workers`` partitions and one planned invoice per partition.

    Args:
        books: the customers' books, from any iterable.
        through: bill what is planned on or before this day.
        numbering: the numbering plan.
        state: the numbering state before the run (ignored when *start* is given).
        workers: drafting processes (1: in this process).
        partition_size: customers per partition.
        dask_client: a ``dask.distributed.Client``: partitions are drafted on its
            cluster through ``dask.bag`` (``pip install facturlib[dask]``).
        start: a checkpoint to resume from: the first *read* planned invoices of
            the stream are skipped and numbering goes on from its state.
        problems: a list the problems met are appended to (drafting, issuing).
        stopped: a set the sources stopped by a problem are added to (their later
            invoices are not issued).

    Returns:
        An iterator of `StreamedInvoice` values, in issue order.

    Raises:
        InvalidValue: an argument of the wrong type (at once); a book that is not a
            `CustomerBook` (when the stream reaches it).

    .. versionadded:: 0.2
    """
    _check_run_arguments(through, numbering, state, workers, partition_size)
    check_instance(start, RunCheckpoint, "start", optional=True)
    try:
        iterator = iter(books)
    except TypeError:
        raise InvalidValue(
            f"expected an iterable of CustomerBook, got {type(books).__name__}",
            field="books",
            hint="facturlib.runs.drafting.customer_books(portfolio), or a generator",
        ) from None
    return _stream(
        iterator,
        through,
        numbering,
        state,
        workers,
        partition_size,
        dask_client,
        start,
        problems,
        stopped,
    )


def _stream(
    books: Iterator[CustomerBook],
    through: date,
    numbering: NumberingPlan,
    state: SequenceState,
    workers: int,
    partition_size: int,
    dask_client: Any,
    start: RunCheckpoint | None,
    problems: list[Problem] | None,
    stopped: set[str] | None,
) -> Iterator[StreamedInvoice]:
    found = problems if problems is not None else []
    chunks = _chunks(books, partition_size)
    failed: set[str] = stopped if stopped is not None else set()
    spool = _Spool()
    if dask_client is not None:
        drafted = _on_dask(chunks, through, dask_client, window=max(2, 2 * workers))
    else:
        drafted = _local(chunks, through, workers, spool)
    try:
        for part in drafted:
            if dask_client is not None:
                spool.add(part.planned)
            found += part.problems
            failed.update(part.failed)
        yield from _issue_stream(spool.merged(), numbering, state, start, failed, found)
    finally:
        spool.close()


def _issue_stream(
    ordered: Iterator[PlannedInvoice],
    numbering: NumberingPlan,
    state: SequenceState,
    start: RunCheckpoint | None,
    failed: set[str],
    problems: list[Problem],
) -> Iterator[StreamedInvoice]:
    chart = ChartOfAccounts()
    if start is not None:
        # The stream is the same (drafting is pure): skip what was read before the
        # checkpoint, issued or not, then go on as the interrupted run would have.
        ordered = itertools.islice(ordered, start.read, None)
        state = start.numbering
        failed.update(start.stopped)
    position = start.position if start is not None else 0
    read = start.read if start is not None else 0
    for item in ordered:
        read += 1
        if failed.intersection(item.sources):
            continue
        try:
            issued, state, on, due = _issue_one(item, numbering, state)
        except FacturlibError as error:
            failed.update(item.sources)
            problems.append(_issue_problem(item, error))
            continue
        position += 1
        redated = None
        if on != item.planned:
            assert issued.number is not None  # just issued
            redated = Redating(number=issued.number, planned=item.planned, issued=on, due_date=due)
        entries = journalize(Activity(documents=(issued,)), chart=chart)
        yield StreamedInvoice(
            position=position,
            read=read,
            invoice=issued,
            entries=entries,
            sources=item.sources,
            numbering=state,
            redated=redated,
        )


# -- incremental writers -------------------------------------------------------


class FecWriter:
    """An FEC file written entry by entry to a text stream (LPF art. A47 A-1).

    The records are those of `facturlib.accounting.fec.export_fec` (same columns,
    dates, amounts and ``EcritureNum`` numbering per journal): entries must come in
    chronological order of validation, as a bill run issues them. Open the stream
    with the file's encoding and ``newline=""``.

    >>> import io
    >>> out = io.StringIO()
    >>> writer = FecWriter(out)
    >>> writer.header()
    >>> out.getvalue().startswith("JournalCode|JournalLib|EcritureNum")
    True

    Args:
        out: a text stream.
        separator: ``"|"`` (default) or a tab.
        newline: the record separator, CR LF by default.
        encoding: the file's encoding; with *transliterate* (default), characters
            it cannot hold are written as their closest letters.
        counters: the last ``EcritureNum`` of each journal already written (to go
            on with a file).

    .. versionadded:: 0.2
    """

    def __init__(
        self,
        out: IO[str],
        *,
        separator: str = "|",
        newline: str = "\r\n",
        encoding: str = "iso-8859-15",
        transliterate: bool = True,
        counters: Iterable[tuple[str, int]] = (),
    ) -> None:
        if separator not in ("|", "\t"):
            raise LedgerError("the FEC separator is a tab or a pipe", field="separator")
        self._out = out
        self._separator = separator
        self._newline = newline
        self._encoding = encoding
        self._transliterate = transliterate
        self.counters: dict[str, int] = dict(counters)
        self.last: date | None = None

    def header(self) -> None:
        """Write the header record."""
        self._out.write(self._separator.join(FEC_COLUMNS) + self._newline)

    def write(self, entries: Iterable[JournalEntry]) -> None:
        """Write *entries* (chronological, after those already written).

        Raises:
            LedgerError: an entry earlier than the last one written.
        """
        rows = []
        for entry in entries:
            day = entry.validation_date or entry.date
            if self.last is not None and day < self.last:
                raise LedgerError(
                    f"entry {entry.piece} of {day} comes after an entry of {self.last}",
                    field="entries",
                    hint="write entries in chronological order of validation",
                )
            self.last = day
            code = entry.journal.code
            self.counters[code] = self.counters.get(code, 0) + 1
            number = f"{code}{self.counters[code]:06d}"
            for _, _, record in _records([entry], _fec_date, _fec_amount):
                record["EcritureNum"] = number
                rows.append(self._separator.join(record[name] for name in FEC_COLUMNS))
        if rows:
            text = self._newline.join(rows) + self._newline
            if self._transliterate:
                text = _transliterated(text, self._encoding)
            self._out.write(text)


def write_pain008_stream(
    debits: Callable[[], Iterable[DirectDebit]],
    out: IO[bytes],
    *,
    message_id: str,
    created_at: datetime,
    creditor: Party,
) -> int:
    """Write a pain.008.001.08 message of many debits, incrementally.

    The group header's ``NbOfTxs`` and ``CtrlSum`` come before the debits, and each
    payment block (``PmtInf``: one per sequence type, collection date and scheme)
    needs its own count and sum first: *debits* is called once to count and sum,
    then once per block to write its transactions (lxml's incremental
    ``etree.xmlfile``). It must give the same debits each time (e.g. read them back
    from a spooled file). Each debit is checked as `facturlib.sepa.pain008.write_pain008`
    checks a batch.

    Args:
        debits: a function returning an iterator over the debits.
        out: a binary stream.
        message_id: the message id (``MsgId``).
        created_at: the creation time (``CreDtTm``).
        creditor: the creditor (with IBAN, BIC and creditor identifier).

    Returns:
        The number of debits written.

    Raises:
        SepaError: a debit with problems (nothing is written), no debit at all.

    .. versionadded:: 0.2
    """
    from facturlib.core.errors import SepaError
    from facturlib.sepa import pain008
    from facturlib.sepa.checks import require_valid

    groups: dict[tuple[Any, date, Any], list[Any]] = {}
    first = None
    for debit in debits():
        if first is None:
            first = debit
            require_valid(
                DirectDebitBatch(
                    message_id=message_id, created_at=created_at, creditor=creditor, debits=[debit]
                )
            )
        key = (debit.sequence_type, debit.collection_date, debit.mandate.scheme)
        found = groups.setdefault(key, [0, Decimal(0)])
        found[0] += 1
        found[1] += debit.amount.amount
    if first is None:
        raise SepaError("a pain.008 message holds at least one debit", field="debits")
    stub = DirectDebitBatch(
        message_id=message_id, created_at=created_at, creditor=creditor, debits=[first]
    )
    keys = sorted(
        groups,
        key=lambda k: (k[1], _SEQUENCE_RANK[k[0].value], k[2].value == "B2B"),
    )
    pain008._load_lxml()
    etree = pain008.etree
    writer = pain008._Writer(stub, pain008.Pain008Version.V001_08)
    count = 0
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        with (
            xf.element("Document", xmlns=writer.version.namespace),
            xf.element("CstmrDrctDbtInitn"),
        ):
            header = etree.Element("GrpHdr")
            writer._text(header, "MsgId", message_id)
            writer._text(header, "CreDtTm", created_at.isoformat(timespec="seconds"))
            writer._text(header, "NbOfTxs", str(sum(g[0] for g in groups.values())))
            writer._text(header, "CtrlSum", f"{sum(g[1] for g in groups.values()):.2f}")
            party = etree.SubElement(header, "InitgPty")
            writer._text(party, "Nm", fit(creditor.name, NAME_LENGTH))
            xf.write(header)
            for rank, key in enumerate(keys, 1):
                suffix = f"-{rank}"
                block = PaymentBlock(
                    id=message_id[: 35 - len(suffix)] + suffix,
                    sequence_type=key[0],
                    collection_date=key[1],
                    scheme=key[2],
                    debits=(),
                    count=groups[key][0],
                    total=groups[key][1],
                )
                with xf.element("PmtInf"):
                    for head in writer._block_head(block, creditor):
                        xf.write(head)
                    for debit in debits():
                        if (
                            debit.sequence_type,
                            debit.collection_date,
                            debit.mandate.scheme,
                        ) == key:
                            xf.write(writer._transaction(debit))
                            count += 1
    return count


_SEQUENCE_RANK = {"FRST": 0, "OOFF": 1, "RCUR": 2, "FNAL": 3}


# -- the run, written to a folder ----------------------------------------------

_INVOICES = "invoices.jsonl"
_DEBITS = "debits.jsonl"
_SEPA = "sepa.xml"


#: A checkpoint is small (its size grows with the sources stopped by a problem only).
_CHECKPOINT_BYTES = 64 * 1024 * 1024


def _read_checkpoint(folder: Path, through: date) -> RunCheckpoint | None:
    path = folder / "checkpoint.json"
    if not path.exists():
        return None
    found = from_json(RunCheckpoint, path.read_bytes()[:_CHECKPOINT_BYTES])
    for name, _ in found.files:
        if not _FILE_NAME.fullmatch(name):
            raise InvalidValue(
                f"the checkpoint in {folder} names a file this run does not write",
                field="checkpoint",
                value=name,
                hint="remove the checkpoint folder and run again from the start",
            )
    if found.through != through:
        raise InvalidValue(
            f"the checkpoint in {folder} is of a run through {found.through}",
            field="checkpoint",
            value=str(folder),
            hint="resume with the same through date, or remove the checkpoint folder",
        )
    return found


def _commit(folder: Path, checkpoint: RunCheckpoint) -> None:
    temporary = folder / "checkpoint.json.tmp"
    with temporary.open("w", encoding="utf-8") as out:
        out.write(to_json(checkpoint))
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, folder / "checkpoint.json")


def write_bill_run(
    books: Iterable[CustomerBook],
    output: str | os.PathLike[str],
    *,
    through: date,
    numbering: NumberingPlan,
    state: SequenceState,
    mandates: Iterable[Mandate] | Callable[[str], Mandate | None] = (),
    workers: int = 1,
    partition_size: int = 2000,
    dask_client: Any = None,
    checkpoint: str | os.PathLike[str] | None = None,
    checkpoint_every: int = 1000,
    progress: Callable[[StreamedInvoice], None] | None = None,
) -> StreamSummary:
    """Run `stream_bill_run` into the folder *output* (see the module docstring).

    Customers with a mandate (by `facturlib.Party.key` of the debtor) are collected
    on the due date of each invoice, or on the first TARGET day after *through* if it
    has passed, with sequence type RCUR (the EPC SDD Core Rulebook allows RCUR for a
    first collection since November 2016); the mandates' histories are not tracked.

    Args:
        books: the customers' books, from any iterable.
        output: the output folder (created if missing).
        through: bill what is planned on or before this day.
        numbering: the numbering plan.
        state: the numbering state before the run.
        mandates: the customers' SEPA mandates, or a function giving a customer's
            mandate (or ``None``) from its `facturlib.Party.key`: a lookup in your
            store keeps memory flat, where an iterable is held in a dict.
        workers: drafting processes.
        partition_size: customers per partition.
        dask_client: draft on a Dask cluster instead (see `stream_bill_run`).
        checkpoint: a folder to commit the run's state to, and to resume from.
        checkpoint_every: invoices between two commits.
        progress: called with each invoice once written.

    Returns:
        The `StreamSummary`.

    Raises:
        InvalidValue: bad arguments, a checkpoint of another run.
        LedgerError: the seller has no SIREN (the FEC's name carries it).

    .. versionadded:: 0.2
    """
    _check_run_arguments(through, numbering, state, workers, partition_size)
    if not isinstance(checkpoint_every, int) or checkpoint_every < 1:
        raise InvalidValue(
            "checkpoint_every is a whole number ≥ 1",
            field="checkpoint_every",
            value=checkpoint_every,
        )
    folder = Path(output)
    folder.mkdir(parents=True, exist_ok=True)
    saved = Path(checkpoint) if checkpoint is not None else None
    start = None
    if saved is not None:
        saved.mkdir(parents=True, exist_ok=True)
        start = _read_checkpoint(saved, through)
    mandate_of = _mandate_lookup(mandates)
    earliest = through + timedelta(days=1)
    problems: list[Problem] = []
    stopped: set[str] = set(start.stopped) if start else set()
    fec_name = None
    files: dict[str, int] = dict(start.files) if start else {}
    if start is not None:
        for name, size in files.items():
            os.truncate(folder / name, size)
    for name in (_DEBITS, _SEPA):
        if name not in files:
            (folder / name).unlink(missing_ok=True)
    handles: dict[str, IO[str]] = {}

    def handle(name: str, encoding: str = "utf-8") -> IO[str]:
        # Go on with a file committed by the checkpoint; start any other afresh.
        if name not in handles:
            mode = "a" if name in files else "w"
            handles[name] = (folder / name).open(mode, encoding=encoding, newline="")
        return handles[name]

    fec: FecWriter | None = None
    position = start.position if start else 0
    numbering_state = start.numbering if start else state
    try:
        stream = stream_bill_run(
            books,
            through=through,
            numbering=numbering,
            state=state,
            workers=workers,
            partition_size=partition_size,
            dask_client=dask_client,
            start=start,
            problems=problems,
            stopped=stopped,
        )
        for streamed in stream:
            doc = streamed.invoice
            if fec is None:
                siren = doc.seller.legal_id
                if siren is None:
                    raise LedgerError("the seller has no SIREN", field="seller.legal_id")
                fec_name = fec_filename(siren, through)
                fec = FecWriter(
                    handle(fec_name, "iso-8859-15"),
                    counters=start.fec_counters if start else (),
                )
                if not files.get(fec_name):
                    fec.header()
            handle(_INVOICES).write(to_json(doc) + "\n")
            fec.write(streamed.entries)
            mandate = mandate_of(doc.buyer.key)
            if mandate is not None and doc.due_date is not None:
                day = next_target_day(max(doc.due_date, earliest))
                try:
                    debits, _ = debits_due(
                        [doc], {doc.buyer.key: mandate}, due_by=day, collection_date=day
                    )
                except FacturlibError as error:
                    problems.append(
                        Problem(code="sepa", message=f"{doc.number}: {error}", reference=doc.number)
                    )
                    debits = ()
                for debit in debits:
                    handle(_DEBITS).write(_spooled_debit(debit) + "\n")
            position = streamed.position
            numbering_state = streamed.numbering
            if progress is not None:
                progress(streamed)
            if saved is not None and position % checkpoint_every == 0:
                for out in handles.values():
                    out.flush()
                sizes = {name: (folder / name).stat().st_size for name in handles}
                files.update(sizes)
                _commit(
                    saved,
                    RunCheckpoint(
                        through=through,
                        position=position,
                        read=streamed.read,
                        numbering=numbering_state,
                        stopped=tuple(sorted(stopped)),
                        fec_counters=tuple(sorted(fec.counters.items())),
                        files=tuple(sorted(files.items())),
                    ),
                )
    finally:
        for out in handles.values():
            out.close()
    written = sorted(handles) or sorted(files)
    debit_file = folder / _DEBITS
    if debit_file.exists() and debit_file.stat().st_size:

        def spooled() -> Iterator[DirectDebit]:
            with debit_file.open(encoding="utf-8") as source:
                for line in source:
                    yield _unspooled_debit(line, mandate_of)

        creditor = _creditor_of(folder)
        with (folder / _SEPA).open("wb") as out_xml:
            write_pain008_stream(
                spooled,
                out_xml,
                message_id=f"PRLV-{through:%Y%m%d}-01",
                created_at=datetime.combine(through, time(9)),
                creditor=creditor,
            )
        written.append(_SEPA)
    if saved is not None and (saved / "checkpoint.json").exists():
        (saved / "checkpoint.json").unlink()
    return StreamSummary(
        invoices=position,
        numbering=numbering_state,
        stopped=tuple(sorted(stopped)),
        resumed_from=start.position if start else 0,
        problems=tuple(problems),
        files=tuple(sorted(set(written))),
    )


def _spooled_debit(debit: DirectDebit) -> str:
    """A debit as one JSON line; its mandate by reference (the run's mandates)."""
    if debit.amendment is not None or debit.installment_date is not None:
        return json.dumps({"debit": to_dict(debit)})
    return json.dumps(
        [
            debit.end_to_end_id,
            str(debit.amount.amount),
            debit.mandate.reference,
            debit.collection_date.isoformat(),
            debit.sequence_type.value,
            debit.remittance,
            debit.customer,
            debit.invoice_number,
        ]
    )


def _mandate_lookup(
    mandates: Iterable[Mandate] | Callable[[str], Mandate | None],
) -> Callable[[str], Mandate | None]:
    if callable(mandates):
        lookup = mandates

        def checked(key: str) -> Mandate | None:
            found = lookup(key)
            if found is not None and not isinstance(found, Mandate):
                raise InvalidValue(
                    f"the mandate of {key} is a {type(found).__name__}, not a Mandate",
                    field="mandates",
                    hint="return a facturlib.sepa.mandates.Mandate or None",
                )
            return found

        return checked
    try:
        items = list(mandates)
    except TypeError:
        raise InvalidValue(
            f"expected mandates or a function, got {type(mandates).__name__}",
            field="mandates",
            hint="a list of Mandate, or a function from a customer key to its Mandate",
        ) from None
    for index, mandate in enumerate(items):
        check_instance(mandate, Mandate, f"mandates[{index}]")
    table = {m.debtor.key: m for m in items}
    return table.get


def _unspooled_debit(line: str, mandate_of: Callable[[str], Mandate | None]) -> DirectDebit:
    data = json.loads(line)
    if isinstance(data, dict):
        return from_dict(DirectDebit, data["debit"])
    e2e, amount, reference, day, sequence, remittance, customer, number = data
    mandate = mandate_of(customer)
    if mandate is None or mandate.reference != reference:
        raise InvalidValue(
            f"the spooled debit {e2e} is on mandate {reference}, not given to this run",
            field="mandates",
            value=reference,
            hint="resume a run with the mandates it started with",
        )
    return DirectDebit(
        end_to_end_id=e2e,
        amount=to_money(Decimal(amount), "EUR"),
        mandate=mandate,
        collection_date=date.fromisoformat(day),
        sequence_type=sequence,
        remittance=remittance,
        customer=customer,
        invoice_number=number,
    )


def _creditor_of(folder: Path) -> Party:
    with (folder / _INVOICES).open(encoding="utf-8") as source:
        first = source.readline()
    return from_json(Invoice, first).seller
