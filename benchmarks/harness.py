"""The benchmark harness: workloads, candidates, timing and reporting.

A `Workload` is one job (e.g. "total N invoices") done by several *candidates*:
facturlib and the raw baselines it is compared with. Each candidate is a
factory: called with the workload's inputs **outside** the timed region, it
returns the zero-argument callable that is timed. The factory is called again
before every repetition, so a candidate can hand the timer fresh objects each
time (facturlib caches ``Invoice.totals()`` on the instance, so timing the same
invoices twice would time a cache lookup).

Every candidate returns a comparable result (e.g. the sum of the totals over all
invoices); the harness checks that all candidates agree before timing anything.
"""

from __future__ import annotations

import gc
import os
import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Candidate",
    "CandidateResult",
    "Inputs",
    "MismatchError",
    "Workload",
    "WorkloadResult",
    "check_agreement",
    "measure",
]

#: A candidate: given the inputs, build (untimed) the callable that is timed.
Candidate = Callable[[Any], Callable[[], object]]


@dataclass(frozen=True)
class Inputs:
    """The prepared inputs of a workload and how many units (invoices, …) they hold."""

    data: Any
    units: int


@dataclass(frozen=True)
class Workload:
    """One benchmarked job and the candidates that do it.

    Attributes:
        name: short identifier, used by ``--only`` and in the report.
        unit: what one unit of work is ("invoice"); times are reported per unit.
        description: one line saying what is measured.
        setup: builds the inputs for a given size (number of units); never timed.
        candidates: name → `Candidate`, in report order.
        baseline: the candidate ratios are computed against.
        size: the default number of units of a full run.
        quick_size: the number of units of a ``--quick`` run.
        target: the ratio *target_candidate* must stay within (``--check``), if any.
        target_candidate: the candidate the target applies to.
        targets: more targets, candidate name → the ratio it must stay within
            (for workloads with several targets; merged with *target*).
        note: printed under the report (e.g. what the baseline is), if any.
    """

    name: str
    unit: str
    description: str
    setup: Callable[[int], Inputs]
    candidates: Mapping[str, Candidate]
    baseline: str
    size: int
    quick_size: int
    target: float | None = None
    target_candidate: str | None = None
    targets: Mapping[str, float] | None = None
    note: str | None = None

    @property
    def all_targets(self) -> dict[str, float]:
        """Every target of the workload: candidate name → maximum ratio."""
        merged = dict(self.targets or {})
        if self.target is not None and self.target_candidate is not None:
            merged.setdefault(self.target_candidate, self.target)
        return merged

    def __post_init__(self) -> None:
        if self.baseline not in self.candidates:
            raise ValueError(f"{self.name}: baseline {self.baseline!r} is not a candidate")
        if (self.target is None) != (self.target_candidate is None):
            raise ValueError(f"{self.name}: give both target and target_candidate, or neither")
        if self.target_candidate is not None and self.target_candidate not in self.candidates:
            raise ValueError(f"{self.name}: target candidate {self.target_candidate!r} is unknown")
        for name in self.targets or {}:
            if name not in self.candidates:
                raise ValueError(f"{self.name}: target candidate {name!r} is unknown")


@dataclass(frozen=True)
class CandidateResult:
    """The timings of one candidate on one workload.

    *ratios* are the paired per-round ratios: this candidate's time in round *i*
    divided by the baseline's time in the same round (the two ran back to back, so
    a slow spell of the machine falls on both). *ratio* is their median.
    """

    name: str
    seconds: tuple[float, ...]
    units: int
    ratio: float
    ratios: tuple[float, ...] = ()

    @property
    def median(self) -> float:
        """Median seconds for the whole workload."""
        return statistics.median(self.seconds)

    @property
    def median_us_per_unit(self) -> float:
        """Median microseconds per unit."""
        return self.median / self.units * 1e6

    @property
    def per_second(self) -> float:
        """Units per second at the median time."""
        return self.units / self.median

    @property
    def spread(self) -> float:
        """(max − min) / median of the repetitions: a rough noise indicator."""
        return (max(self.seconds) - min(self.seconds)) / self.median

    @property
    def ratio_range(self) -> tuple[float, float]:
        """The smallest and largest paired per-round ratio."""
        ratios = self.ratios or (self.ratio,)
        return min(ratios), max(ratios)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "seconds": list(self.seconds),
            "median_seconds": self.median,
            "median_us_per_unit": self.median_us_per_unit,
            "units_per_second": self.per_second,
            "spread": self.spread,
            "ratio_to_baseline": self.ratio,
            "paired_ratios": list(self.ratios),
        }


@dataclass(frozen=True)
class WorkloadResult:
    """The timings of every candidate of one workload."""

    workload: Workload
    units: int
    repeat: int
    candidates: tuple[CandidateResult, ...] = field(default=())
    #: The 1-minute load average before and after timing (``None`` if unknown).
    load: tuple[float | None, float | None] = (None, None)

    def get(self, name: str) -> CandidateResult:
        for result in self.candidates:
            if result.name == name:
                return result
        raise KeyError(name)

    def met(self, name: str) -> bool | None:
        """Whether candidate *name* is within its target ratio (``None``: no target)."""
        target = self.workload.all_targets.get(name)
        if target is None:
            return None
        return self.get(name).ratio <= target

    @property
    def target_met(self) -> bool | None:
        """Whether every target candidate is within its ratio (``None``: no target)."""
        targets = self.workload.all_targets
        if not targets:
            return None
        return all(self.get(name).ratio <= target for name, target in targets.items())

    def as_dict(self) -> dict[str, Any]:
        w = self.workload
        return {
            "name": w.name,
            "description": w.description,
            "unit": w.unit,
            "units": self.units,
            "repeat": self.repeat,
            "baseline": w.baseline,
            "target_ratio": w.target,
            "target_candidate": w.target_candidate,
            "targets": self.workload.all_targets,
            "target_met": self.target_met,
            "load_average_1min": list(self.load),
            "candidates": [c.as_dict() for c in self.candidates],
        }


class MismatchError(Exception):
    """Candidates of a workload do not compute the same result."""


def check_agreement(workload: Workload, inputs: Inputs) -> object:
    """Run every candidate once and check that they all agree; return the common result.

    Raises:
        MismatchError: with every candidate's result, when they differ.
    """
    results = {name: make(inputs.data)() for name, make in workload.candidates.items()}
    expected = results[workload.baseline]
    if any(result != expected for result in results.values()):
        shown = "\n".join(f"  {name}: {result!r}" for name, result in results.items())
        raise MismatchError(
            f"workload {workload.name!r}: candidates disagree, timings would be meaningless:\n"
            f"{shown}"
        )
    return expected


def _load() -> float | None:
    """The 1-minute load average, or ``None`` where the platform has none."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


#: The clocks a run can time with: CPU time of this process (the default: on a
#: machine shared with other jobs it does not count the time the process waits for a
#: CPU), or wall-clock time.
CLOCKS: dict[str, Callable[[], float]] = {"cpu": time.process_time, "wall": time.perf_counter}


def _time_once(make: Candidate, data: Any, keep_gc: bool, clock: str = "cpu") -> float:
    run = make(data)  # untimed: builds fresh objects for this repetition
    gc.collect()
    gc_was_enabled = gc.isenabled()
    if not keep_gc:
        gc.disable()  # as timeit does: the collector's pauses are noise here
    now = CLOCKS[clock]
    try:
        start = now()
        run()
        elapsed = now() - start
    finally:
        if gc_was_enabled:
            gc.enable()
    del run
    return elapsed


def measure(
    workload: Workload,
    inputs: Inputs,
    *,
    repeat: int,
    keep_gc: bool = False,
    clock: str = "cpu",
    progress: Callable[[str], None] | None = None,
) -> WorkloadResult:
    """Time every candidate *repeat* times, interleaving candidates round by round.

    Interleaving (A B C, A B C, …) rather than (A A A, B B B, …) spreads slow
    drifts of the machine (frequency scaling, a neighbour's job) over all candidates.
    *clock* is ``"cpu"`` (process CPU time) or ``"wall"`` (`time.perf_counter`).
    Each candidate's ratio is the median of its *paired* per-round ratios to the
    baseline (round i over round i), which cancels most of the machine's load.
    """
    load_before = _load()
    times: dict[str, list[float]] = {name: [] for name in workload.candidates}
    for round_ in range(repeat):
        for name, make in workload.candidates.items():
            elapsed = _time_once(make, inputs.data, keep_gc, clock)
            times[name].append(elapsed)
            if progress is not None:
                progress(
                    f"  {workload.name} / {name}: repetition {round_ + 1}/{repeat}: {elapsed:.3f} s"
                )
    baseline = times[workload.baseline]
    results = []
    for name, seconds in times.items():
        # Paired: round i of this candidate over round i of the baseline.
        ratios = tuple(t / b for t, b in zip(seconds, baseline, strict=True))
        results.append(
            CandidateResult(
                name=name,
                seconds=tuple(seconds),
                units=inputs.units,
                ratio=statistics.median(ratios),
                ratios=ratios,
            )
        )
    return WorkloadResult(
        workload=workload,
        units=inputs.units,
        repeat=repeat,
        candidates=tuple(results),
        load=(load_before, _load()),
    )
