"""Hypothesis profiles: ``HYPOTHESIS_PROFILE=deep pytest tests/property`` for a long run,
``HYPOTHESIS_PROFILE=ci`` (derandomized) for the CI gate; the ``run_validator`` fixture.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("default", deadline=None)
# CI gate: the same examples on every run, so a landing never depends on luck.
settings.register_profile(
    "ci", deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "deep", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


# --- the external validators (../shared/validate) -------------------------------------------
# Every Factur-X, UBL and pain.008 file facturlib writes must pass the official validators
# with zero errors. They live next to the repository (../shared/validate, made ready by its
# setup.sh); FACTURLIB_VALIDATE_DIR points elsewhere. Without them the tests skip, except
# under FACTURLIB_REQUIRE_VALIDATORS=1 (set by .ci/run), where a missing validator fails.

_REPO = Path(__file__).resolve().parent.parent


def validate_dir() -> Path | None:
    """Where the validator scripts are, or None."""
    candidates = [os.environ.get("FACTURLIB_VALIDATE_DIR"), str(_REPO.parent / "shared/validate")]
    for candidate in candidates:
        if candidate and (Path(candidate) / "facturx.py").is_file():
            return Path(candidate)
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get("FACTURLIB_REQUIRE_VALIDATORS") == "1":
        pytest.fail(f"the external validators are required here: {reason}")
    pytest.skip(reason)


#: ``run_validator("facturx", files, "--fr")`` → {file name: its JSON report + "error_lines"}.
Validator = Callable[..., dict[str, dict[str, Any]]]


@pytest.fixture(scope="session")
def run_validator() -> Validator:
    """Run one validator script (facturx, ubl, pdfa, pain008) over many files at once.

    Each file's report is the script's ``--json`` entry plus ``error_lines``: its setup
    error and error findings as printable lines (empty when the file is valid).
    """
    directory = validate_dir()
    if directory is None:
        _unavailable("../shared/validate not found (set FACTURLIB_VALIDATE_DIR)")
    assert directory is not None

    def run(tool: str, files: Sequence[Path | str], *options: str) -> dict[str, dict[str, Any]]:
        paths = [str(f) for f in files]
        if not paths:
            return {}
        command = ["python3", str(directory / f"{tool}.py"), "--json", *options, *paths]
        done = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)
        if not done.stdout.strip().startswith("{"):
            _unavailable(f"{tool}.py could not run (bash {directory}/setup.sh?): {done.stderr}")
        reports: dict[str, dict[str, Any]] = {}
        for entry in json.loads(done.stdout)["files"]:
            lines = [f"setup error: {entry['setup_error']}"] if entry.get("setup_error") else []
            lines += [
                f"[{f['check']} {f['rule']}] {f['message']}"
                for f in entry.get("findings", ())
                if f["severity"] == "error"
            ]
            reports[Path(entry["file"]).name] = {**entry, "error_lines": lines}
        return reports

    return run
