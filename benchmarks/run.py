"""Run the facturlib benchmarks and print a table (see benchmarks/README.md).

    python benchmarks/run.py            # full run
    python benchmarks/run.py --quick    # small sizes, for CI
    python benchmarks/run.py --json results.json --check

Each workload is timed for every candidate (facturlib and raw baselines); the
report gives the median time per unit and the ratio to the workload's baseline.
Exit codes: 0 normally; 1 with ``--check`` when a workload misses its target
ratio; 2 when candidates disagree on the result (the timings would be meaningless).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import gc
import io
import json
import os
import platform
import pstats
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench_einvoice import CII_XML
from bench_einvoice_read import EINVOICE_READ
from bench_facturx import FACTURX_20, FACTURX_PACKAGING
from bench_journal import JOURNAL
from bench_pdf import PDF_20, PDF_1000
from bench_pricing import PRICING
from bench_reports import AGED, MRR
from bench_schedules import SCHEDULES
from bench_sepa import SEPA_1K, SEPA_10K, SEPA_100K
from bench_totals import TOTALS
from harness import Inputs, MismatchError, Workload, WorkloadResult, check_agreement, measure

import facturlib

#: Every workload, in report order. Add new ones here (proration, journals, PDF, …).
WORKLOADS: tuple[Workload, ...] = (
    TOTALS,
    SCHEDULES,
    JOURNAL,
    PDF_20,
    PDF_1000,
    MRR,
    AGED,
    SEPA_1K,
    SEPA_10K,
    SEPA_100K,
    CII_XML,
    FACTURX_PACKAGING,
    FACTURX_20,
    EINVOICE_READ,
    PRICING,
)


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python benchmarks/run.py", description="Time facturlib against raw baselines."
    )
    parser.add_argument(
        "--quick", action="store_true", help="small sizes and 3 repetitions (CI smoke run)"
    )
    parser.add_argument(
        "--repeat", type=int, default=None, help="repetitions per candidate (default 5, quick 3)"
    )
    parser.add_argument(
        "--invoices",
        type=int,
        default=None,
        help="number of invoices for per-invoice workloads (default 50000, quick 2000)",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=None,
        metavar="WORKLOAD",
        help="run only this workload (repeatable); one of: " + ", ".join(w.name for w in WORKLOADS),
    )
    parser.add_argument(
        "--gc",
        action="store_true",
        help="keep the garbage collector enabled while timing (default: off, as timeit)",
    )
    parser.add_argument("--json", type=Path, default=None, metavar="PATH", help="write results")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if a workload misses its target ratio"
    )
    parser.add_argument(
        "--profile",
        default=None,
        metavar="CANDIDATE",
        help="also run one repetition of CANDIDATE (e.g. facturlib) under cProfile "
        "and print its top functions to stderr",
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="print every repetition")
    args = parser.parse_args(argv)
    if args.repeat is not None and args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.invoices is not None and args.invoices < 1:
        parser.error("--invoices must be at least 1")
    known = {w.name for w in WORKLOADS}
    for name in args.only or ():
        if name not in known:
            parser.error(f"unknown workload {name!r}; choose from {', '.join(sorted(known))}")
    return args


def _size(workload: Workload, args: argparse.Namespace) -> int:
    if args.invoices is not None and workload.unit == "invoice":
        return int(args.invoices)
    return workload.quick_size if args.quick else workload.size


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _git_revision() -> str | None:
    """``git describe --always --dirty`` of the checkout, if there is one."""
    try:
        done = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except OSError:
        return None
    return done.stdout.strip() or None


def _load() -> float | None:
    try:
        return os.getloadavg()[0]
    except OSError:  # not available on this platform
        return None


def _environment(args: argparse.Namespace, repeat: int) -> dict[str, Any]:
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "facturlib": facturlib.__version__,
        "git": _git_revision(),
        "load_average_1min": _load(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "quick": bool(args.quick),
        "repeat": repeat,
        "gc_during_timing": bool(args.gc),
    }


def _table(results: Sequence[WorkloadResult]) -> str:
    header = (
        "workload",
        "candidate",
        "units",
        "median µs/unit",
        "units/s",
        "spread",
        "ratio vs baseline",
        "target",
    )
    rows: list[tuple[str, ...]] = []
    for result in results:
        w = result.workload
        for c in result.candidates:
            target = ""
            if c.name == w.target_candidate and w.target is not None:
                target = f"≤ {w.target:g}× {'met' if result.target_met else 'MISSED'}"
            rows.append(
                (
                    w.name,
                    c.name + (" (baseline)" if c.name == w.baseline else ""),
                    f"{c.units} {w.unit}s",
                    f"{c.median_us_per_unit:.1f}",
                    f"{c.per_second:,.0f}",
                    f"{c.spread:.0%}",
                    f"{c.ratio:.2f}×",
                    target,
                )
            )
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    right = {2, 3, 4, 5, 6}

    def fmt(row: tuple[str, ...]) -> str:
        cells = (
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        )
        return " | ".join(cells).rstrip()

    rule = "-+-".join("-" * width for width in widths)
    return "\n".join([fmt(header), rule, *map(fmt, rows)])


def _profile(workload: Workload, inputs: Inputs, candidate: str, keep_gc: bool) -> None:
    """Run one repetition of *candidate* under cProfile; print the top functions.

    The collector is off as while timing (unless ``--gc``): otherwise its pauses
    are charged to whichever function happens to allocate when it runs.
    """
    run = workload.candidates[candidate](inputs.data)
    profiler = cProfile.Profile()
    gc.collect()
    if not keep_gc:
        gc.disable()
    try:
        profiler.runcall(run)
    finally:
        gc.enable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    for key in ("cumulative", "tottime"):
        stats.sort_stats(key).print_stats(20)
    _log(f"profile of {workload.name} / {candidate}:\n{out.getvalue()}")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    repeat = args.repeat or (3 if args.quick else 5)
    workloads = [w for w in WORKLOADS if not args.only or w.name in args.only]
    cpus = os.cpu_count() or 1
    load = _load()
    if load is not None and load > cpus / 2:
        _log(
            f"warning: load average {load:.1f} on {cpus} CPUs: other jobs are running, "
            "expect noisy timings"
        )
    results: list[WorkloadResult] = []
    for workload in workloads:
        size = _size(workload, args)
        _log(f"{workload.name}: {workload.description}")
        started = time.perf_counter()
        inputs = workload.setup(size)
        _log(f"  setup: {inputs.units} {workload.unit}s in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        try:
            check_agreement(workload, inputs)
        except MismatchError as error:
            _log(f"error: {error}")
            return 2
        _log(f"  check: all candidates agree ({time.perf_counter() - started:.1f} s)")
        if args.profile is not None:
            if args.profile in workload.candidates:
                _profile(workload, inputs, args.profile, args.gc)
            else:
                _log(f"  (no candidate {args.profile!r} in {workload.name}: not profiled)")
        results.append(
            measure(
                workload,
                inputs,
                repeat=repeat,
                keep_gc=args.gc,
                progress=_log if args.verbose else None,
            )
        )
        del inputs

    env = _environment(args, repeat)
    print(
        f"facturlib benchmarks: Python {env['python']} ({env['implementation']}), "
        f"{env['platform']}, {env['cpus']} CPUs, {repeat} repetitions, "
        f"GC {'on' if args.gc else 'off'} while timing"
    )
    print(_table(results))
    if args.json is not None:
        payload = {"environment": env, "workloads": [r.as_dict() for r in results]}
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        _log(f"results written to {args.json}")
    missed = [r.workload.name for r in results if r.target_met is False]
    if missed:
        _log(f"target missed: {', '.join(missed)}")
        if args.check:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
