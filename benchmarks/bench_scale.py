"""Workload ``scale``: a bill run of N monthly subscriptions of 3 items, end to end.

N customers (default 5 000, quick 200), each with one monthly subscription of 3
products started on 2026-01-01 and a SEPA mandate, billed through 2026-01-31 (one
invoice each).

Candidates (in this process, so the harness's CPU clock is right):

* ``drafts+totals`` (baseline): `facturlib.runs.streaming.draft_partition` over the
  books, then each draft's totals: the part of a run that runs in parallel;
* ``run, 1 worker``: `facturlib.write_bill_run` into a temporary folder: drafting,
  spooling, the sequential pass (numbering, sealing, journal), ``invoices.jsonl``,
  the FEC and the pain.008 file.

Both return (invoices, Σ amounts due); they must agree. No target ratio: the ratio
says how much of a run the sequential pass costs.

The figures of issue 22 (drafts/s per core, end-to-end invoices/s, peak RSS at two
sizes, 1 → 2 workers) come from fresh processes, one per measurement:

    python benchmarks/bench_scale.py --sizes 10000 100000 --workers 1 2
    python benchmarks/bench_scale.py --sizes 1000000 --workers 2   # the 1 M run

Each measurement prints one JSON line: ``size``, ``workers``, ``draft_s`` (wall
time until the last partition is drafted and spooled, including building the books,
i.e. reading the input), ``pass_s`` (the sequential pass and the pain.008 file),
``total_s``, ``invoices_per_s``, ``peak_rss_mib`` (``resource.getrusage`` max RSS
of the run's process; its drafting workers are listed apart as
``children_rss_mib``), measured before ``drafts_per_s_core``: the CPU-time rate
of `draft_partition` plus totals over up to 5 000 books already in memory.
"""

from __future__ import annotations

import argparse
import functools
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from harness import Inputs, Workload

from facturlib.core.numbering import SequenceState
from facturlib.runs.drafting import CustomerBook
from facturlib.runs.streaming import StreamedInvoice, draft_partition, write_bill_run
from facturlib.sepa.mandates import Mandate
from facturlib.testing.builders import (
    sample_customer_books,
    sample_mandate,
    sample_numbering_plan,
)

__all__ = ["SCALE", "measure_run"]

THROUGH = date(2026, 1, 31)
Result = tuple[int, Decimal]


@dataclass(frozen=True)
class ScaleData:
    books: tuple[CustomerBook, ...]
    mandates: tuple[Mandate, ...]


def _setup(size: int) -> Inputs:
    books = tuple(sample_customer_books(size))
    mandates = tuple(sample_mandate(i) for i in range(1, size + 1))
    return Inputs(data=ScaleData(books, mandates), units=size)


def drafts_and_totals(data: ScaleData) -> Callable[[], Result]:
    """The parallel part: drafts of every customer, with their totals."""

    def run() -> Result:
        drafted = draft_partition(data.books, THROUGH)
        due = sum((p.draft.totals().amount_due.amount for p in drafted.planned), Decimal(0))
        return len(drafted.planned), due

    return run


def run_one_worker(data: ScaleData) -> Callable[[], Result]:
    """The whole run, written to a temporary folder."""

    def run() -> Result:
        due = [Decimal(0)]

        def add(streamed: StreamedInvoice) -> None:
            due[0] += streamed.invoice.totals().amount_due.amount

        with tempfile.TemporaryDirectory() as folder:
            summary = write_bill_run(
                iter(data.books),
                folder,
                through=THROUGH,
                numbering=sample_numbering_plan(),
                state=SequenceState(),
                mandates=data.mandates,
                progress=add,
            )
        return summary.invoices, due[0]

    return run


SCALE = Workload(
    name="scale",
    unit="invoice",
    description="bill run of monthly subscriptions of 3 items: drafting vs the whole run",
    setup=_setup,
    candidates={"drafts+totals": drafts_and_totals, "run, 1 worker": run_one_worker},
    baseline="drafts+totals",
    size=5_000,
    quick_size=200,
    note="the whole run includes the sequential pass: numbering, sealing, journal, "
    "FEC, invoices.jsonl and pain.008 (see docs/large-runs.md)",
)


@functools.lru_cache(maxsize=4096)
def _mandate_of(customer: str) -> Mandate | None:
    """A lookup, as in a database: memory stays flat (a list of mandates is a dict)."""
    return sample_mandate(int(customer.removeprefix("CLI")))


def measure_run(size: int, workers: int, partition_size: int = 2000) -> dict[str, Any]:
    """One run of *size* customers with *workers* drafting processes, in this process."""
    first: list[float] = []

    def seen(streamed: StreamedInvoice) -> None:
        if not first:
            first.append(time.perf_counter())

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        summary = write_bill_run(
            sample_customer_books(size),
            folder,
            through=THROUGH,
            numbering=sample_numbering_plan(),
            state=SequenceState(),
            mandates=_mandate_of,
            workers=workers,
            partition_size=partition_size,
            progress=seen,
        )
    end = time.perf_counter()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sample = list(sample_customer_books(min(size, 5000)))
    cpu = time.process_time()
    drafted = draft_partition(sample, THROUGH)
    for planned in drafted.planned:
        planned.draft.totals()
    per_core = len(sample) / (time.process_time() - cpu)
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    spooled = (first[0] if first else end) - start
    return {
        "size": size,
        "workers": workers,
        "invoices": summary.invoices,
        "draft_s": round(spooled, 2),
        "pass_s": round(end - start - spooled, 2),
        "total_s": round(end - start, 2),
        "invoices_per_s": round(summary.invoices / (end - start)),
        "drafts_per_s_core": round(per_core),
        "peak_rss_mib": round(own),
        "children_rss_mib": round(children),
    }


def _main() -> None:
    parser = argparse.ArgumentParser(description="large bill runs: throughput and memory")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--partition-size", type=int, default=2000)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        size, workers = args.sizes[0], args.workers[0]
        print(json.dumps(measure_run(size, workers, args.partition_size)))
        return
    for size in args.sizes:
        for workers in args.workers:
            command = [
                sys.executable,
                __file__,
                "--one",
                "--sizes",
                str(size),
                "--workers",
                str(workers),
                "--partition-size",
                str(args.partition_size),
            ]
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            print(done.stdout.strip(), flush=True)


if __name__ == "__main__":
    _main()
