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
from bench_pdf import PDF_20, PDF_1000, PDF_LINEAR
from bench_pricing import PRICING
from bench_reports import AGED, MRR
from bench_scale import SCALE
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
    PDF_LINEAR,
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
    SCALE,
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
    parser.add_argument(
        "--wall",
        action="store_true",
        help="time with the wall clock (default: this process's CPU time, which does "
        "not count the time spent waiting for a CPU on a shared machine)",
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
    parser.add_argument(
        "--record",
        action="store_true",
        help=f"store this run's ratios in {RECORDED.name} (the regression guard's reference)",
    )
    parser.add_argument(
        "--recorded",
        type=Path,
        default=RECORDED,
        metavar="PATH",
        help=f"the recorded ratios to compare with (default {RECORDED.name})",
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


#: The recorded ratios the regression guard compares each run with (per mode).
RECORDED = Path(__file__).resolve().parent / "recorded_ratios.json"

#: A ratio that grows by more than this fraction over the recorded one is reported.
REGRESSION_THRESHOLD = 0.25


def _mode(args: argparse.Namespace) -> str:
    return "quick" if args.quick else "full"


def _ratios(results: Sequence[WorkloadResult]) -> dict[str, float]:
    """``"workload / candidate"`` → ratio, for every non-baseline candidate."""
    return {
        f"{r.workload.name} / {c.name}": round(c.ratio, 4)
        for r in results
        for c in r.candidates
        if c.name != r.workload.baseline
    }


def _read_recorded(path: Path) -> dict[str, Any]:
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        _log(f"warning: cannot read the recorded ratios {path}: {error}")
        return {}
    return loaded if isinstance(loaded, dict) else {}


def regressions(
    recorded: dict[str, float], current: dict[str, float], threshold: float = REGRESSION_THRESHOLD
) -> list[str]:
    """One message per ratio that grew by more than *threshold* over its recorded value.

    >>> regressions({"totals / facturlib": 2.0}, {"totals / facturlib": 2.6})
    ['totals / facturlib: ratio 2.60× against 2.00× recorded (+30%)']
    >>> regressions({"totals / facturlib": 2.0}, {"totals / facturlib": 2.4})
    []
    """
    messages = []
    for key, ratio in current.items():
        before = recorded.get(key)
        if before is None or before <= 0:
            continue
        growth = ratio / before - 1
        if growth > threshold:
            messages.append(
                f"{key}: ratio {ratio:.2f}× against {before:.2f}× recorded (+{growth:.0%})"
            )
    return messages


def _guard(results: Sequence[WorkloadResult], args: argparse.Namespace) -> None:
    """The regression guard: compare with the recorded ratios; ``--record`` stores them."""
    mode = _mode(args)
    stored = _read_recorded(args.recorded)
    current = _ratios(results)
    recorded = stored.get(mode, {}).get("ratios", {})
    if not recorded:
        _log(f"regression guard: no recorded {mode} ratios in {args.recorded.name}")
    else:
        grown = regressions(recorded, current)
        compared = sum(key in recorded for key in current)
        if grown:
            print(
                f"\nWARNING: {len(grown)} ratio(s) grew by more than "
                f"{REGRESSION_THRESHOLD:.0%} over the recorded {mode} run "
                f"({stored[mode].get('git')}, load {stored[mode].get('load')}); "
                "rerun on a quieter machine before trusting it:"
            )
            for message in grown:
                print(f"  {message}")
        else:
            print(
                f"\nregression guard: {compared} ratios within {REGRESSION_THRESHOLD:.0%} "
                f"of the recorded {mode} run ({stored[mode].get('git')})"
            )
    if args.record:
        entry = stored.setdefault(mode, {})
        entry["git"] = _git_revision()
        entry["date"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        entry["load"] = _load()
        merged = dict(entry.get("ratios", {}))
        merged.update(current)
        entry["ratios"] = dict(sorted(merged.items()))
        args.recorded.write_text(json.dumps(stored, indent=2, sort_keys=True) + "\n", "utf-8")
        _log(f"ratios recorded in {args.recorded}")


def _rl_accel() -> str:
    """Whether reportlab's C accelerator is in use (it speeds every reportlab user)."""
    try:
        from reportlab.lib import rl_accel
    except ImportError:  # pragma: no cover - reportlab is a dependency
        return "reportlab missing"
    accelerated = type(rl_accel.fp_str).__name__ == "builtin_function_or_method"
    return "rl_accel C accelerator on" if accelerated else "rl_accel off (pure-Python helpers)"


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
        "clock": "wall" if args.wall else "cpu",
        "reportlab": _rl_accel(),
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
        "paired ratios",
        "target",
        "load",
    )
    rows: list[tuple[str, ...]] = []
    for result in results:
        w = result.workload
        for c in result.candidates:
            target = ""
            goal = w.all_targets.get(c.name)
            if goal is not None:
                target = f"≤ {goal:g}× {'met' if result.met(c.name) else 'MISSED'}"
            low, high = c.ratio_range
            paired = "" if c.name == w.baseline else f"{low:.2f}–{high:.2f}"
            load = "/".join("?" if x is None else f"{x:.1f}" for x in result.load)
            rows.append(
                (
                    w.name,
                    c.name + (" (baseline)" if c.name == w.baseline else ""),
                    f"{c.units} {w.unit}s",
                    f"{c.median_us_per_unit:.1f}",
                    f"{c.per_second:,.0f}",
                    f"{c.spread:.0%}",
                    f"{c.ratio:.2f}×",
                    paired,
                    target,
                    load if c.name == w.baseline else "",
                )
            )
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    right = {2, 3, 4, 5, 6, 7, 9}

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
                clock="wall" if args.wall else "cpu",
                progress=_log if args.verbose else None,
            )
        )
        del inputs

    env = _environment(args, repeat)
    print(
        f"facturlib benchmarks: Python {env['python']} ({env['implementation']}), "
        f"{env['platform']}, {env['cpus']} CPUs, {repeat} repetitions, "
        f"{'wall-clock' if args.wall else 'CPU'} time, "
        f"GC {'on' if args.gc else 'off'} while timing, {_rl_accel()}"
    )
    print(
        f"load average (1 min) {'?' if load is None else f'{load:.1f}'} at the start on "
        f"{cpus} CPUs; ratio = median of the paired per-round ratios (candidate ÷ "
        "baseline, same round); spread = (max − min) / median of the times"
    )
    print(_table(results))
    for result in results:
        if result.workload.note:
            print(f"{result.workload.name}: {result.workload.note}")
    if args.json is not None:
        payload = {"environment": env, "workloads": [r.as_dict() for r in results]}
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        _log(f"results written to {args.json}")
    _guard(results, args)
    missed = [r.workload.name for r in results if r.target_met is False]
    if missed:
        _log(f"target missed: {', '.join(missed)}")
        if args.check:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
