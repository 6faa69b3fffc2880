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

    def __post_init__(self) -> None:
        if self.baseline not in self.candidates:
            raise ValueError(f"{self.name}: baseline {self.baseline!r} is not a candidate")
        if (self.target is None) != (self.target_candidate is None):
            raise ValueError(f"{self.name}: give both target and target_candidate, or neither")
        if self.target_candidate is not None and self.target_candidate not in self.candidates:
            raise ValueError(f"{self.name}: target candidate {self.target_candidate!r} is unknown")


@dataclass(frozen=True)
class CandidateResult:
    """The timings of one candidate on one workload."""

    name: str
    seconds: tuple[float, ...]
    units: int
    ratio: float

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

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "seconds": list(self.seconds),
            "median_seconds": self.median,
            "median_us_per_unit": self.median_us_per_unit,
            "units_per_second": self.per_second,
            "spread": self.spread,
            "ratio_to_baseline": self.ratio,
        }


@dataclass(frozen=True)
class WorkloadResult:
    """The timings of every candidate of one workload."""

    workload: Workload
    units: int
    repeat: int
    candidates: tuple[CandidateResult, ...] = field(default=())

    def get(self, name: str) -> CandidateResult:
        for result in self.candidates:
            if result.name == name:
                return result
        raise KeyError(name)

    @property
    def target_met(self) -> bool | None:
        """Whether the target candidate is within the target ratio (``None``: no target)."""
        w = self.workload
        if w.target is None or w.target_candidate is None:
            return None
        return self.get(w.target_candidate).ratio <= w.target

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
            "target_met": self.target_met,
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


def _time_once(make: Candidate, data: Any, keep_gc: bool) -> float:
    run = make(data)  # untimed: builds fresh objects for this repetition
    gc.collect()
    gc_was_enabled = gc.isenabled()
    if not keep_gc:
        gc.disable()  # as timeit does: the collector's pauses are noise here
    try:
        start = time.perf_counter()
        run()
        elapsed = time.perf_counter() - start
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
    progress: Callable[[str], None] | None = None,
) -> WorkloadResult:
    """Time every candidate *repeat* times, interleaving candidates round by round.

    Interleaving (A B C, A B C, …) rather than (A A A, B B B, …) spreads slow
    drifts of the machine (frequency scaling, a neighbour's job) over all candidates.
    """
    times: dict[str, list[float]] = {name: [] for name in workload.candidates}
    for round_ in range(repeat):
        for name, make in workload.candidates.items():
            elapsed = _time_once(make, inputs.data, keep_gc)
            times[name].append(elapsed)
            if progress is not None:
                progress(
                    f"  {workload.name} / {name}: repetition {round_ + 1}/{repeat}: {elapsed:.3f} s"
                )
    baseline = statistics.median(times[workload.baseline])
    results = tuple(
        CandidateResult(
            name=name,
            seconds=tuple(seconds),
            units=inputs.units,
            ratio=statistics.median(seconds) / baseline,
        )
        for name, seconds in times.items()
    )
    return WorkloadResult(workload=workload, units=inputs.units, repeat=repeat, candidates=results)
